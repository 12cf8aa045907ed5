/**
 * @file calendar_read.c
 * @brief Parsing and validation of a `blendsched-calendar/1` JSON calendar
 *        into a bs_solution of a loaded problem, with JSON-path diagnostics.
 *
 * The reader checks structure and references only; whether the sessions
 * keep the rules is model/verify.c's business, so a calendar that breaks
 * every rule still reads fine as long as it names real entities.
 */
#include "io/calendar_read.h"
#include "io/input_internal.h"

#include <cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAL_FORMAT "blendsched-calendar/1"

typedef struct id_index id_index;

typedef struct reader {
    const char *name;
    const bs_problem *p;
    bs_messages *msgs;
    size_t n_errors;
    bool oom;
    const id_index *cohorts, *rooms, *instructors;
} reader;

/* ==== Diagnostics ==== */

static void add_line(reader *r, char *line)
{
    r->n_errors++;
    if (line == NULL) {
        r->oom = true;
        return;
    }
    if (r->msgs == NULL) {
        free(line);
        return;
    }
    if (r->msgs->count >= BS_MAX_ERRORS) {
        r->msgs->dropped++;
        free(line);
        return;
    }
    char **grown = bs_reallocarray(r->msgs->items, r->msgs->count + 1, sizeof *grown);
    if (grown == NULL) {
        r->oom = true;
        free(line);
        return;
    }
    r->msgs->items = grown;
    r->msgs->items[r->msgs->count++] = line;
}

static void error_at(reader *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* `NAME: PATH: message` (PATH omitted when NULL). */
static void error_at(reader *r, const char *path, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t n = strlen(r->name) + (path ? strlen(path) : 0) + strlen(msg) + 8;
    char *line = malloc(n);
    if (line != NULL) {
        if (path != NULL)
            snprintf(line, n, "%s: %s: %s", r->name, path, msg);
        else
            snprintf(line, n, "%s: %s", r->name, msg);
    }
    add_line(r, line);
}

/* ==== JSON helpers ==== */

static int str_ptr_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Reports one duplicate key of object v, if any: sorted, so that a hostile
 * object with very many keys costs n log n, not n^2. */
static void check_object_keys(reader *r, const cJSON *v, const char *path)
{
    size_t n = 0;
    for (const cJSON *c = v->child; c != NULL; c = c->next)
        n += c->string != NULL;
    if (n < 2)
        return;
    const char **keys = bs_calloc(n, sizeof *keys);
    if (keys == NULL) {
        r->oom = true;
        return;
    }
    n = 0;
    for (const cJSON *c = v->child; c != NULL; c = c->next)
        if (c->string != NULL)
            keys[n++] = c->string;
    qsort(keys, n, sizeof *keys, str_ptr_cmp);
    for (size_t i = 1; i < n; i++)
        if (strcmp(keys[i - 1], keys[i]) == 0) {
            char q[100];
            error_at(r, path, "duplicate key %s", bs__q(keys[i], q, sizeof q));
            while (i + 1 < n && strcmp(keys[i], keys[i + 1]) == 0)
                i++;
        }
    free(keys);
}

/* cJSON keeps duplicate keys silently; the format makes them an error. */
static void check_duplicates(reader *r, const cJSON *v, const char *path)
{
    if (cJSON_IsObject(v))
        check_object_keys(r, v, path);
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        size_t i = 0;
        for (const cJSON *c = v->child; c != NULL && !r->oom; c = c->next, i++) {
            char sub[256];
            if (cJSON_IsObject(v))
                snprintf(sub, sizeof sub, "%s.%.64s", path, c->string ? c->string : "?");
            else
                snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            check_duplicates(r, c, sub);
        }
    }
}

/* Reports keys of obj outside `allowed` (NULL-terminated) not starting
 * with "x-". */
static void check_keys(reader *r, const cJSON *obj, const char *path, const char *const *allowed)
{
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        if (c->string == NULL || strncmp(c->string, "x-", 2) == 0)
            continue;
        bool known = false;
        for (size_t i = 0; allowed[i] != NULL && !known; i++)
            known = strcmp(allowed[i], c->string) == 0;
        if (!known) {
            char q[100];
            error_at(r, path, "unknown key %s", bs__q(c->string, q, sizeof q));
        }
    }
}

/* ==== RFC 3339 ==== */

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* "YYYY-MM-DDTHH:MM:SS" then "Z" or "+HH:MM"/"-HH:MM", seconds 00 (the
 * format counts whole minutes), into UTC minutes. Returns NULL on success,
 * else what is wrong. */
static const char *parse_rfc3339(const char *s, bs_time *out)
{
    static const char SYNTAX[] = "not an RFC 3339 date-time such as \"2027-01-12T09:00:00+01:00\"";
    size_t n = strlen(s);
    if (n < 20)
        return SYNTAX;
    /* the date and minute part is the input format's local date-time */
    char head[17];
    memcpy(head, s, 16);
    head[16] = '\0';
    int64_t days = 0;
    int minutes = 0, se, oh = 0, om = 0;
    int parsed = bs__parse_datetime(head, &days, &minutes);
    if (parsed == BS__PARSE_SYNTAX || s[16] != ':' || !digits(s + 17, 2, &se))
        return SYNTAX;
    int sign = 0;
    if (n == 20 && s[19] == 'Z') {
        sign = 1;
    } else if (n == 25 && (s[19] == '+' || s[19] == '-') && digits(s + 20, 2, &oh) &&
               s[22] == ':' && digits(s + 23, 2, &om)) {
        sign = s[19] == '+' ? 1 : -1;
    } else {
        return "not an RFC 3339 date-time such as \"2027-01-12T09:00:00+01:00\" (offset)";
    }
    if (parsed != BS__PARSE_OK || minutes >= 1440 || se > 59 || oh > 23 || om > 59)
        return "not a valid date and time";
    if (se != 0)
        return "not a whole minute (seconds must be 00)";
    *out = days * 1440 + minutes - sign * (oh * 60 + om);
    return NULL;
}

/* ==== Lookups ==== */

/* Ids of one kind sorted for binary search: calendars of the largest
 * instances name tens of thousands of cohorts over a hundred thousand
 * sessions, too many for linear scans. */
typedef struct id_entry {
    const char *id;
    int index;
} id_entry;

struct id_index {
    id_entry *items;
    size_t count;
};

static int id_entry_cmp(const void *a, const void *b)
{
    return strcmp(((const id_entry *)a)->id, ((const id_entry *)b)->id);
}

/* Indexes the n ids that `get` returns for entities 0..n-1 of p. */
static bool id_index_build(id_index *ix, size_t n, const char *(*get)(const bs_problem *, size_t),
                           const bs_problem *p)
{
    ix->count = n;
    ix->items = bs_calloc(n, sizeof *ix->items);
    if (ix->items == NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        ix->items[i].id = get(p, i);
        ix->items[i].index = (int)i;
    }
    qsort(ix->items, n, sizeof *ix->items, id_entry_cmp);
    return true;
}

static int id_index_find(const id_index *ix, const char *id)
{
    id_entry key = {id, -1};
    const id_entry *e = bsearch(&key, ix->items, ix->count, sizeof *ix->items, id_entry_cmp);
    return e != NULL ? e->index : -1;
}

static const char *cohort_id(const bs_problem *p, size_t i)
{
    return p->cohorts[i].id;
}

static const char *room_id(const bs_problem *p, size_t i)
{
    return p->rooms[i].id;
}

static const char *instructor_id(const bs_problem *p, size_t i)
{
    return p->instructors[i].id;
}

/* Modules are few per program: a linear scan is enough. */
static int find_module(const bs_program *pr, const char *id)
{
    for (size_t i = 0; i < pr->n_modules; i++)
        if (strcmp(pr->modules[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* ==== Parts of the calendar ==== */

static const char *const TOP_KEYS[] = {"format",  "generated_by", "input_sha256",
                                       "status",  "objective",    "changes",
                                       "sessions", "self_paced",  NULL};
static const char *const SESSION_KEYS[] = {"cohort", "module",      "start",  "end",
                                           "room",   "instructors", "change", NULL};

static void read_objective(reader *r, const cJSON *obj, bs_solution *s, bs_calendar_info *info)
{
    if (!cJSON_IsObject(obj)) {
        error_at(r, "$.objective", "expected an object, found %s", bs__type_name(obj));
        return;
    }
    info->has_objective = true;
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        if (c->string == NULL || strncmp(c->string, "x-", 2) == 0)
            continue;
        char path[128];
        snprintf(path, sizeof path, "$.objective.%.64s", c->string);
        /* The format allows further numbers here (bound, gap, ...). */
        if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble)) {
            error_at(r, path, "expected a number, found %s", bs__type_name(c));
            continue;
        }
        int t = bs_objective_term_index(c->string);
        if (t >= 0) {
            bs_objective_set_term(&s->objective, (size_t)t, c->valuedouble);
            info->has_term[t] = true;
        } else if (strcmp(c->string, "total") == 0) {
            s->objective.total = c->valuedouble;
            info->has_total = true;
        } else if (strcmp(c->string, "bound") == 0) {
            s->has_bound = true;
            s->bound = c->valuedouble;
        }
    }
}

/* `changes`: the counts of each mark, as non-negative integers. */
static void read_changes(reader *r, const cJSON *obj, bs_solution *s, bs_calendar_info *info)
{
    static const char *const KEYS[] = {"moved", "reassigned", "new", NULL};
    if (!cJSON_IsObject(obj)) {
        error_at(r, "$.changes", "expected an object, found %s", bs__type_name(obj));
        return;
    }
    check_keys(r, obj, "$.changes", KEYS);
    s->has_baseline = true;
    info->has_changes = true;
    for (size_t k = 0; KEYS[k] != NULL; k++) {
        const cJSON *v = bs__member(obj, KEYS[k]);
        char path[64];
        snprintf(path, sizeof path, "$.changes.%s", KEYS[k]);
        if (v == NULL) {
            error_at(r, "$.changes", "missing key \"%s\"", KEYS[k]);
        } else if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e9 ||
                   v->valuedouble != floor(v->valuedouble)) {
            error_at(r, path, "expected a count (an integer >= 0)");
        } else {
            info->changes[k] = (size_t)v->valuedouble;
        }
    }
}

/* The string member `key` of obj; NULL (reported) when it is absent or
 * not a string. Ids are not checked for form: lookups reject unknown ones. */
static const char *want_string(reader *r, const cJSON *obj, const char *key, const char *path)
{
    const cJSON *v = bs__member(obj, key);
    char sub[160];
    snprintf(sub, sizeof sub, "%s.%s", path, key);
    if (v == NULL) {
        error_at(r, path, "missing key \"%s\"", key);
        return NULL;
    }
    if (!cJSON_IsString(v) || v->valuestring == NULL) {
        error_at(r, sub, "expected a string, found %s", bs__type_name(v));
        return NULL;
    }
    return v->valuestring;
}

static bool read_time(reader *r, const cJSON *obj, const char *key, const char *path, bs_time *out)
{
    const char *s = want_string(r, obj, key, path);
    if (s == NULL)
        return false;
    const char *why = parse_rfc3339(s, out);
    if (why != NULL) {
        char sub[160], q[100];
        snprintf(sub, sizeof sub, "%s.%s", path, key);
        error_at(r, sub, "%s: %s", bs__q(s, q, sizeof q), why);
        return false;
    }
    return true;
}

/* Reads session `index`; on success marks its assignment placed.
 * `listed_at` remembers, per assignment, the index that listed it (+1). */
static void read_session(reader *r, const cJSON *v, size_t index, bs_solution *s, size_t *listed_at)
{
    const bs_problem *p = r->p;
    char path[64], sub[128], q[100];
    snprintf(path, sizeof path, "$.sessions[%zu]", index);
    if (!cJSON_IsObject(v)) {
        error_at(r, path, "expected an object, found %s", bs__type_name(v));
        return;
    }
    check_keys(r, v, path, SESSION_KEYS);
    size_t errors_before = r->n_errors;

    int cohort = -1, module = -1;
    const char *cid = want_string(r, v, "cohort", path);
    if (cid != NULL) {
        cohort = id_index_find(r->cohorts, cid);
        if (cohort < 0) {
            snprintf(sub, sizeof sub, "%s.cohort", path);
            error_at(r, sub, "unknown cohort %s", bs__q(cid, q, sizeof q));
        }
    }
    const char *mid = want_string(r, v, "module", path);
    if (mid != NULL && cohort >= 0) {
        const bs_program *pr = &p->programs[p->cohorts[cohort].program];
        module = find_module(pr, mid);
        snprintf(sub, sizeof sub, "%s.module", path);
        if (module < 0) {
            error_at(r, sub, "unknown module %s of program \"%s\" (cohort \"%s\")",
                     bs__q(mid, q, sizeof q), pr->id, p->cohorts[cohort].id);
        } else if (!pr->modules[module].is_live) {
            error_at(r, sub, "module %s is self-paced: only live sessions are placed",
                     bs__q(mid, q, sizeof q));
            module = -1;
        }
    }

    bs_time start = 0, end = 0;
    read_time(r, v, "start", path, &start);
    read_time(r, v, "end", path, &end);

    int room = -1;
    const cJSON *rv = bs__member(v, "room");
    snprintf(sub, sizeof sub, "%s.room", path);
    if (rv == NULL) {
        error_at(r, path, "missing key \"room\" (null for a session without a room)");
    } else if (cJSON_IsString(rv) && rv->valuestring != NULL) {
        room = id_index_find(r->rooms, rv->valuestring);
        if (room < 0)
            error_at(r, sub, "unknown room %s", bs__q(rv->valuestring, q, sizeof q));
    } else if (!cJSON_IsNull(rv)) {
        error_at(r, sub, "expected a room id or null, found %s", bs__type_name(rv));
    }

    bs_ids ins = {NULL, 0};
    const cJSON *iv = bs__member(v, "instructors");
    snprintf(sub, sizeof sub, "%s.instructors", path);
    if (iv == NULL) {
        error_at(r, path, "missing key \"instructors\"");
    } else if (!cJSON_IsArray(iv)) {
        error_at(r, sub, "expected an array, found %s", bs__type_name(iv));
    } else {
        size_t n = (size_t)cJSON_GetArraySize(iv), k = 0;
        ins.items = bs_calloc(n, sizeof *ins.items);
        if (ins.items == NULL) {
            r->oom = true;
            return;
        }
        for (const cJSON *e = iv->child; e != NULL; e = e->next, k++) {
            char esub[160];
            snprintf(esub, sizeof esub, "%s[%zu]", sub, k);
            if (!cJSON_IsString(e) || e->valuestring == NULL) {
                error_at(r, esub, "expected an instructor id, found %s", bs__type_name(e));
                continue;
            }
            int in = id_index_find(r->instructors, e->valuestring);
            if (in < 0) {
                error_at(r, esub, "unknown instructor %s", bs__q(e->valuestring, q, sizeof q));
            } else if (bs_ids_contains(&ins, in)) {
                error_at(r, esub, "instructor %s is listed twice",
                         bs__q(e->valuestring, q, sizeof q));
            } else {
                ins.items[ins.count++] = in;
            }
        }
        qsort(ins.items, ins.count, sizeof *ins.items, int_cmp);
    }

    bs_change change = BS_CHANGE_NONE;
    const cJSON *cv = bs__member(v, "change");
    snprintf(sub, sizeof sub, "%s.change", path);
    if (cv != NULL && !cJSON_IsNull(cv)) {
        const char *cs = cJSON_IsString(cv) ? cv->valuestring : NULL;
        if (cs != NULL && strcmp(cs, "moved") == 0)
            change = BS_CHANGE_MOVED;
        else if (cs != NULL && strcmp(cs, "reassigned") == 0)
            change = BS_CHANGE_REASSIGNED;
        else if (cs != NULL && strcmp(cs, "new") == 0)
            change = BS_CHANGE_NEW;
        else
            error_at(r, sub, "expected null, \"moved\", \"reassigned\" or \"new\"");
    }

    int k = cohort >= 0 && module >= 0 ? bs_solution_find(s, cohort, module) : -1;
    if (k >= 0 && listed_at[k] != 0) {
        error_at(r, path, "session \"%s\"/\"%s\" is listed twice (first at $.sessions[%zu])",
                 p->cohorts[cohort].id, p->programs[p->cohorts[cohort].program].modules[module].id,
                 listed_at[k] - 1);
        k = -1;
    }
    if (k < 0 || r->n_errors != errors_before) {
        free(ins.items);
        return;
    }
    listed_at[k] = index + 1;
    bs_assignment *a = &s->items[k];
    a->placed = true;
    a->start = start;
    a->end = end;
    a->room = room;
    free(a->instructors.items);
    a->instructors = ins;
    a->change = change;
    if (cv != NULL)
        s->has_baseline = true;
}

static void read_root(reader *r, const cJSON *root, bs_solution *s, bs_calendar_info *info)
{
    if (!cJSON_IsObject(root)) {
        error_at(r, "$", "expected an object, found %s", bs__type_name(root));
        return;
    }
    check_keys(r, root, "$", TOP_KEYS);

    const cJSON *f = bs__member(root, "format");
    if (f == NULL)
        error_at(r, "$", "missing key \"format\" (\"" CAL_FORMAT "\")");
    else if (!cJSON_IsString(f) || strcmp(f->valuestring, CAL_FORMAT) != 0)
        error_at(r, "$.format", "expected \"" CAL_FORMAT "\"");

    const cJSON *sha = bs__member(root, "input_sha256");
    if (sha != NULL) {
        bool ok = cJSON_IsString(sha) && strlen(sha->valuestring) == 64;
        for (size_t i = 0; ok && i < 64; i++)
            ok = isxdigit((unsigned char)sha->valuestring[i]);
        if (!ok) {
            error_at(r, "$.input_sha256", "expected 64 hex digits");
        } else {
            info->has_input_sha256 = true;
            for (size_t i = 0; i < 64; i++)
                info->input_sha256[i] = (char)tolower((unsigned char)sha->valuestring[i]);
            info->input_sha256[64] = '\0';
        }
    }

    const cJSON *st = bs__member(root, "status");
    s->status = BS_STATUS_COMPLETE;
    if (st != NULL) {
        const char *v = cJSON_IsString(st) ? st->valuestring : "";
        if (strcmp(v, "complete") == 0)
            s->status = BS_STATUS_COMPLETE;
        else if (strcmp(v, "partial") == 0)
            s->status = BS_STATUS_PARTIAL;
        else if (strcmp(v, "interrupted") == 0)
            s->status = BS_STATUS_INTERRUPTED;
        else
            error_at(r, "$.status", "expected \"complete\", \"partial\" or \"interrupted\"");
    }

    const cJSON *obj = bs__member(root, "objective");
    if (obj != NULL)
        read_objective(r, obj, s, info);

    const cJSON *ch = bs__member(root, "changes");
    if (ch != NULL)
        read_changes(r, ch, s, info);

    const cJSON *sessions = bs__member(root, "sessions");
    if (sessions == NULL) {
        error_at(r, "$", "missing key \"sessions\"");
        return;
    }
    if (!cJSON_IsArray(sessions)) {
        error_at(r, "$.sessions", "expected an array, found %s", bs__type_name(sessions));
        return;
    }
    size_t *listed_at = bs_calloc(s->count, sizeof *listed_at);
    if (listed_at == NULL) {
        r->oom = true;
        return;
    }
    size_t i = 0;
    for (const cJSON *v = sessions->child; v != NULL && !r->oom; v = v->next, i++)
        read_session(r, v, i, s, listed_at);
    free(listed_at);
}

/* ==== Entry points ==== */

static void parse_error(reader *r, const char *data, size_t len, const char *at)
{
    size_t off = at != NULL && at >= data && at <= data + len ? (size_t)(at - data) : 0;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
        if (data[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    char where[64];
    snprintf(where, sizeof where, "line %zu, column %zu", line, col);
    error_at(r, where, "malformed JSON");
}

bs_rc bs_calendar_read_buffer(const char *name, const char *data, size_t len, const bs_problem *p,
                              bs_solution **out, bs_calendar_info *info, bs_messages *errors,
                              bs_err *err)
{
    reader r = {.name = name ? name : "calendar", .p = p, .msgs = errors};
    bs_calendar_info local_info;
    memset(&local_info, 0, sizeof local_info);

    /* cJSON wants a terminated string: copy, so data need not be one. */
    char *text = malloc(len + 1);
    if (text == NULL)
        return bs_err_set(err, BS_ENOMEM, "out of memory reading %s", r.name);
    if (len > 0)
        memcpy(text, data, len);
    text[len] = '\0';
    if (memchr(text, '\0', len) != NULL) {
        error_at(&r, NULL, "contains a NUL byte: not a JSON text");
        free(text);
        return r.oom ? bs_err_set(err, BS_ENOMEM, "out of memory") : BS_EPARSE;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (root == NULL) {
        parse_error(&r, text, len, end);
        free(text);
        return r.oom ? bs_err_set(err, BS_ENOMEM, "out of memory") : BS_EPARSE;
    }

    bs_solution *s = NULL;
    id_index cohorts = {NULL, 0}, rooms = {NULL, 0}, instructors = {NULL, 0};
    if (!id_index_build(&cohorts, p->n_cohorts, cohort_id, p) ||
        !id_index_build(&rooms, p->n_rooms, room_id, p) ||
        !id_index_build(&instructors, p->n_instructors, instructor_id, p) ||
        bs_solution_create(p, &s) != BS_OK) {
        free(cohorts.items);
        free(rooms.items);
        free(instructors.items);
        cJSON_Delete(root);
        free(text);
        return bs_err_set(err, BS_ENOMEM, "out of memory reading %s", r.name);
    }
    r.cohorts = &cohorts;
    r.rooms = &rooms;
    r.instructors = &instructors;
    memset(&s->objective, 0, sizeof s->objective);
    check_duplicates(&r, root, "$");
    read_root(&r, root, s, &local_info);
    cJSON_Delete(root);
    free(text);
    free(cohorts.items);
    free(rooms.items);
    free(instructors.items);

    if (r.oom) {
        bs_solution_destroy(&s);
        return bs_err_set(err, BS_ENOMEM, "out of memory reading %s", r.name);
    }
    if (r.n_errors > 0) {
        bs_solution_destroy(&s);
        return BS_EINVAL;
    }
    if (info != NULL)
        *info = local_info;
    *out = s;
    return BS_OK;
}

bs_rc bs_calendar_read_file(const char *path, size_t max_bytes, const bs_problem *p,
                            bs_solution **out, bs_calendar_info *info, bs_messages *errors,
                            bs_err *err)
{
    char *data = NULL;
    size_t len = 0;
    BS_TRY(bs_read_file(path, max_bytes, &data, &len, err));
    bs_rc rc = bs_calendar_read_buffer(strcmp(path, "-") == 0 ? "<stdin>" : path, data, len, p, out,
                                       info, errors, err);
    free(data);
    return rc;
}
