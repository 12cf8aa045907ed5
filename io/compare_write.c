/**
 * @file compare_write.c
 * @brief comparison.json and compare's table, calendars read for `diff`,
 *        and diff's text and JSON output.
 */
#include "io/compare_write.h"

#include "io/calendar_write.h"
#include "io/input_internal.h"
#include "model/evaluate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *status_name(const bs_compare_row *r)
{
    if (r->state == BS_ROW_INVALID)
        return "invalid";
    if (r->state == BS_ROW_FAILED)
        return "failed";
    switch (r->status) {
    case BS_STATUS_COMPLETE:
        return "complete";
    case BS_STATUS_PARTIAL:
        return "partial";
    case BS_STATUS_INTERRUPTED:
        return "interrupted";
    }
    return "failed";
}

static void str_or_null(bs_buf *b, const char *s)
{
    if (s == NULL)
        bs_buf_puts(b, "null");
    else
        bs_buf_json_string(b, s);
}

static void ratio(bs_buf *b, const bs_usage *u)
{
    if (u->available_minutes <= 0)
        bs_buf_puts(b, "null");
    else
        bs_buf_number(b, (double)u->used_minutes / (double)u->available_minutes);
}

static void usage_fields(bs_buf *b, const bs_usage *u)
{
    bs_buf_printf(b, "\"used_minutes\": %lld, \"available_minutes\": %lld, \"ratio\": ",
                  (long long)u->used_minutes, (long long)u->available_minutes);
    ratio(b, u);
}

/* ==== comparison.json ==== */

static void write_usage_block(bs_buf *b, const char *key, const bs_usage *total,
                              const bs_usage *each, size_t n,
                              const char *(*id)(const bs_problem *, size_t), const bs_problem *p,
                              bool last)
{
    bs_buf_printf(b, "        \"%s\": {", key);
    usage_fields(b, total);
    bs_buf_puts(b, ", \"by_id\": [");
    for (size_t i = 0; i < n; i++) {
        bs_buf_puts(b, i ? ",\n          {\"id\": " : "\n          {\"id\": ");
        bs_buf_json_string(b, id(p, i));
        bs_buf_puts(b, ", ");
        usage_fields(b, &each[i]);
        bs_buf_puts(b, "}");
    }
    bs_buf_puts(b, n ? "\n        ]}" : "]}");
    bs_buf_puts(b, last ? "\n" : ",\n");
}

static const char *instructor_id(const bs_problem *p, size_t i)
{
    return p->instructors[i].id;
}

static const char *room_id(const bs_problem *p, size_t i)
{
    return p->rooms[i].id;
}

static void write_row_json(bs_buf *b, const bs_compare_row *r)
{
    bool solved = r->state == BS_ROW_SOLVED && r->fig != NULL;
    bs_buf_puts(b, "    {\n      \"name\": ");
    bs_buf_json_string(b, r->name);
    bs_buf_puts(b, ",\n      \"file\": ");
    bs_buf_json_string(b, r->file);
    bs_buf_printf(b, ",\n      \"base\": %s", r->is_base ? "true" : "false");
    bs_buf_printf(b, ",\n      \"status\": \"%s\"", status_name(r));
    bs_buf_puts(b, ",\n      \"input_sha256\": ");
    str_or_null(b, solved ? r->input_sha256 : NULL);
    bs_buf_puts(b, ",\n      \"calendar\": ");
    str_or_null(b, solved ? r->calendar_path : NULL);
    bs_buf_puts(b, ",\n      \"conflicts\": ");
    str_or_null(b, solved ? r->conflicts_path : NULL);
    bs_buf_puts(b, ",\n      \"errors\": [");
    for (size_t i = 0; i < r->n_errors; i++) {
        bs_buf_puts(b, i ? ",\n        " : "\n        ");
        bs_buf_json_string(b, r->errors[i]);
    }
    bs_buf_puts(b, r->n_errors ? "\n      ]" : "]");
    if (!solved) {
        bs_buf_puts(b, ",\n      \"sessions\": null,\n      \"objective\": null,\n"
                       "      \"cost\": null,\n      \"utilisation\": null,\n"
                       "      \"against_base\": null\n    }");
        return;
    }
    const bs_figures *f = r->fig;
    bs_buf_printf(b,
                  ",\n      \"sessions\": {\"live\": %zu, \"placed\": %zu, \"unplaced\": %zu, "
                  "\"skipped\": %zu,\n        \"unplaced_by_reason\": {",
                  f->live, f->placed, f->unplaced, f->skipped);
    for (int k = 1; k <= BS_N_REASONS; k++)
        bs_buf_printf(b, "%s\"%s\": %zu", k > 1 ? ", " : "", bs_reason_name((bs_reason)k),
                      f->by_reason[k]);
    bs_buf_puts(b, "}},\n      \"objective\": {\"total\": ");
    bs_buf_number(b, f->objective.total);
    for (size_t i = 0; i < BS_N_OBJECTIVE_TERMS; i++) {
        bs_buf_printf(b, ", \"%s\": ", bs_objective_term_name(i));
        bs_buf_number(b, bs_objective_term(&f->objective, i));
    }
    bs_buf_puts(b, "},\n      \"cost\": ");
    bs_buf_number(b, f->cost);
    bs_buf_puts(b, ",\n      \"utilisation\": {\n");
    write_usage_block(b, "instructors", &f->instructors_total, f->instructors, f->n_instructors,
                      instructor_id, r->p, false);
    write_usage_block(b, "rooms", &f->rooms_total, f->rooms, f->n_rooms, room_id, r->p, true);
    bs_buf_puts(b, "      },\n      \"against_base\": ");
    if (!r->has_diff) {
        bs_buf_puts(b, "null");
    } else {
        bs_buf_printf(b,
                      "{\"added\": %zu, \"removed\": %zu, \"moved\": %zu, \"reassigned\": %zu, "
                      "\"unchanged\": %zu, \"learners_affected\": %zu, \"cohorts_affected\": %zu}",
                      r->added, r->removed, r->moved, r->reassigned, r->unchanged,
                      r->learners_affected, r->cohorts_affected);
    }
    bs_buf_puts(b, "\n    }");
}

bs_rc bs_compare_write_json(const bs_compare_row *rows, size_t n, bs_buf *out)
{
    bs_buf_puts(out, "{\n  \"format\": \"blendsched-comparison/1\",\n  \"generated_by\": "
                     "\"blendsched " BS_VERSION "\",\n  \"scenarios\": [");
    for (size_t i = 0; i < n; i++) {
        bs_buf_puts(out, i ? ",\n" : "\n");
        write_row_json(out, &rows[i]);
    }
    bs_buf_puts(out, n ? "\n  ]\n}\n" : "]\n}\n");
    return out->failed ? BS_ENOMEM : BS_OK;
}

/* ==== The table ==== */

enum { MAX_LINES = 64, CELL = 48 };

typedef struct table {
    const char *labels[MAX_LINES];
    size_t n_lines;
    size_t n_cols;
    char (*cells)[MAX_LINES][CELL]; /* [column][line] */
} table;

static size_t add_line(table *t, const char *label)
{
    t->labels[t->n_lines] = label;
    return t->n_lines++;
}

static void cell(table *t, size_t col, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void cell(table *t, size_t col, size_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->cells[col][line], CELL, fmt, ap);
    va_end(ap);
}

/* Characters (not bytes) of a UTF-8 string, for alignment. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        w += (*c & 0xC0) != 0x80;
    return w;
}

static void number_cell(table *t, size_t col, size_t line, double v)
{
    bs_buf b;
    bs_buf_init(&b);
    bs_buf_number(&b, v);
    cell(t, col, line, "%s", b.failed ? "?" : b.data);
    bs_buf_free(&b);
}

static void percent_cell(table *t, size_t col, size_t line, const bs_usage *u)
{
    if (u->available_minutes <= 0)
        cell(t, col, line, "-");
    else
        cell(t, col, line, "%.1f%%",
             100.0 * (double)u->used_minutes / (double)u->available_minutes);
}

static void pad(bs_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bs_buf_puts(b, " ");
}

bs_rc bs_compare_write_table(const bs_compare_row *rows, size_t n, bs_buf *out)
{
    table t;
    memset(&t, 0, sizeof t);
    t.n_cols = n;
    t.cells = bs_calloc(n ? n : 1, sizeof *t.cells);
    if (t.cells == NULL)
        return BS_ENOMEM;
    static const char *const REASON_LABELS[BS_N_REASONS + 1] = {"",
                                                                "unplaced NO_QUALIFIED_INSTRUCTOR",
                                                                "unplaced NO_SUITABLE_ROOM",
                                                                "unplaced NO_FEASIBLE_TIME",
                                                                "unplaced RESOURCES_BUSY",
                                                                "unplaced SOLVER_LIMIT",
                                                                "unplaced PIN_BROKEN"};
    static const char *const TERM_LABELS[BS_N_OBJECTIVE_TERMS] = {
        "objective unplaced",      "objective instructor_change",
        "objective room_change",   "objective outside_preferred",
        "objective rhythm",        "objective cost",
        "objective spread",        "objective isolated",
        "objective over_capacity", "objective moved",
        "objective reassigned"};
    size_t l_status = add_line(&t, "status");
    size_t l_live = add_line(&t, "live sessions");
    size_t l_placed = add_line(&t, "placed");
    size_t l_unplaced = add_line(&t, "unplaced");
    size_t l_reason[BS_N_REASONS + 1] = {0};
    for (int k = 1; k <= BS_N_REASONS; k++)
        l_reason[k] = add_line(&t, REASON_LABELS[k]);
    size_t l_skipped = add_line(&t, "skipped optional");
    size_t l_total = add_line(&t, "objective total");
    size_t l_term[BS_N_OBJECTIVE_TERMS];
    for (size_t i = 0; i < BS_N_OBJECTIVE_TERMS; i++)
        l_term[i] = add_line(&t, TERM_LABELS[i]);
    size_t l_iu = add_line(&t, "instructor utilisation");
    size_t l_ru = add_line(&t, "room utilisation");
    size_t l_cost = add_line(&t, "cost");
    size_t l_moved = add_line(&t, "moved vs base");
    size_t l_reass = add_line(&t, "reassigned vs base");
    size_t l_added = add_line(&t, "added vs base");
    size_t l_removed = add_line(&t, "removed vs base");
    size_t l_learners = add_line(&t, "learners affected");

    for (size_t c = 0; c < n; c++) {
        const bs_compare_row *r = &rows[c];
        for (size_t l = 0; l < t.n_lines; l++)
            cell(&t, c, l, "-");
        cell(&t, c, l_status, "%s", status_name(r));
        if (r->state != BS_ROW_SOLVED || r->fig == NULL)
            continue;
        const bs_figures *f = r->fig;
        cell(&t, c, l_live, "%zu", f->live);
        cell(&t, c, l_placed, "%zu", f->placed);
        cell(&t, c, l_unplaced, "%zu", f->unplaced);
        for (int k = 1; k <= BS_N_REASONS; k++)
            cell(&t, c, l_reason[k], "%zu", f->by_reason[k]);
        cell(&t, c, l_skipped, "%zu", f->skipped);
        number_cell(&t, c, l_total, f->objective.total);
        for (size_t i = 0; i < BS_N_OBJECTIVE_TERMS; i++)
            number_cell(&t, c, l_term[i], bs_objective_term(&f->objective, i));
        percent_cell(&t, c, l_iu, &f->instructors_total);
        percent_cell(&t, c, l_ru, &f->rooms_total);
        number_cell(&t, c, l_cost, f->cost);
        if (r->has_diff) {
            cell(&t, c, l_moved, "%zu", r->moved);
            cell(&t, c, l_reass, "%zu", r->reassigned);
            cell(&t, c, l_added, "%zu", r->added);
            cell(&t, c, l_removed, "%zu", r->removed);
            cell(&t, c, l_learners, "%zu", r->learners_affected);
        }
    }

    size_t label_w = 0;
    for (size_t l = 0; l < t.n_lines; l++)
        if (strlen(t.labels[l]) > label_w)
            label_w = strlen(t.labels[l]);
    label_w += 2;
    size_t *col_w = bs_calloc(n ? n : 1, sizeof *col_w);
    if (col_w == NULL) {
        free(t.cells);
        return BS_ENOMEM;
    }
    for (size_t c = 0; c < n; c++) {
        col_w[c] = width(rows[c].name);
        for (size_t l = 0; l < t.n_lines; l++)
            if (width(t.cells[c][l]) > col_w[c])
                col_w[c] = width(t.cells[c][l]);
        col_w[c] += 2;
    }
    pad(out, label_w);
    for (size_t c = 0; c < n; c++) {
        bs_buf_puts(out, rows[c].name);
        if (c + 1 < n)
            pad(out, col_w[c] - width(rows[c].name));
    }
    bs_buf_puts(out, "\n");
    for (size_t l = 0; l < t.n_lines; l++) {
        bs_buf_puts(out, t.labels[l]);
        pad(out, label_w - strlen(t.labels[l]));
        for (size_t c = 0; c < n; c++) {
            bs_buf_puts(out, t.cells[c][l]);
            if (c + 1 < n)
                pad(out, col_w[c] - width(t.cells[c][l]));
        }
        bs_buf_puts(out, "\n");
    }
    free(col_w);
    free(t.cells);
    return out->failed ? BS_ENOMEM : BS_OK;
}

/* ==== Calendars read for diff ==== */

/* "2027-01-12T09:00:00+01:00" or "...Z" to UTC minutes; NULL or why not. */
static const char *parse_rfc3339(const char *s, bs_time *out)
{
    static const char SYNTAX[] = "not an RFC 3339 date-time with seconds and an offset, such as "
                                 "\"2027-01-12T09:00:00+01:00\"";
    size_t n = strlen(s);
    if (n != 20 && n != 25)
        return SYNTAX;
    char head[17];
    memcpy(head, s, 16);
    head[16] = '\0';
    int64_t day;
    int minute;
    int rc = bs__parse_datetime(head, &day, &minute);
    if (rc == BS__PARSE_SYNTAX)
        return SYNTAX;
    if (rc != BS__PARSE_OK || minute == 1440)
        return "impossible date-time";
    if (s[16] != ':' || s[17] < '0' || s[17] > '9' || s[18] < '0' || s[18] > '9')
        return SYNTAX;
    if (s[17] != '0' || s[18] != '0')
        return "seconds must be 00 (sessions start and end on whole minutes)";
    int offset = 0;
    if (n == 20) {
        if (s[19] != 'Z')
            return SYNTAX;
    } else {
        int oh, om;
        char sign = s[19];
        char off[6];
        memcpy(off, s + 20, 5);
        off[5] = '\0';
        if ((sign != '+' && sign != '-') || bs__parse_time(off, &om) != BS__PARSE_OK)
            return SYNTAX;
        oh = om / 60;
        if (oh > 23)
            return "offset out of range";
        offset = sign == '+' ? om : -om;
    }
    *out = day * 1440 + minute - offset;
    return NULL;
}

static bool read_time(bs__ld *ld, const cJSON *obj, const char *key, const char **text, bs_time *t)
{
    if (!bs__get_string(ld, obj, key, true, text))
        return false;
    const char *why = parse_rfc3339(*text, t);
    if (why != NULL) {
        char q[160];
        bs__error_key(ld, key, "%s %s", bs__q(*text, q, sizeof q), why);
        return false;
    }
    return true;
}

static bool read_session(bs__ld *ld, const cJSON *v, bs_flat_calendar *c)
{
    if (!bs__want_object(ld, v))
        return true;
    const char *cohort = NULL, *module = NULL, *st = NULL, *en = NULL, *room = NULL;
    bs_time ts = 0, te = 0;
    bool ok = bs__get_id(ld, v, "cohort", true, &cohort);
    ok = bs__get_id(ld, v, "module", true, &module) && ok;
    ok = read_time(ld, v, "start", &st, &ts) && ok;
    ok = read_time(ld, v, "end", &en, &te) && ok;
    if (ok && te <= ts) {
        bs__error_key(ld, "end", "ends at or before its start");
        ok = false;
    }
    const cJSON *rv = bs__member(v, "room");
    if (rv == NULL) {
        bs__error_key(ld, "room", "required key is missing (null for none)");
        ok = false;
    } else if (!cJSON_IsNull(rv)) {
        ok = bs__get_id(ld, v, "room", true, &room) && ok;
    }
    const cJSON *arr = NULL;
    if (!bs__get_array(ld, v, "instructors", &arr)) {
        if (bs__member(v, "instructors") == NULL)
            bs__error_key(ld, "instructors", "required key is missing");
        ok = false;
    }
    size_t n = arr != NULL ? (size_t)cJSON_GetArraySize(arr) : 0, k = 0;
    const char **ids = bs_calloc(n ? n : 1, sizeof *ids);
    if (ids == NULL) {
        ld->oom = true;
        return false;
    }
    size_t o = bs__path_key(ld, "instructors");
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        size_t o2 = bs__path_index(ld, k);
        if (!cJSON_IsString(e) || !bs__is_identifier(e->valuestring)) {
            bs__error(ld, "must be an instructor id (got %s)", bs__type_name(e));
            ok = false;
        } else {
            for (size_t j = 0; j < k; j++)
                if (ids[j] != NULL && strcmp(ids[j], e->valuestring) == 0) {
                    char q[160];
                    bs__error(ld, "instructor %s is listed twice",
                              bs__q(e->valuestring, q, sizeof q));
                    ok = false;
                }
            ids[k] = e->valuestring;
        }
        bs__path_pop(ld, o2);
        k++;
    }
    bs__path_pop(ld, o);
    if (ok && bs_flat_add(c, cohort, module, ts, te, st, en, room, ids, n) != BS_OK)
        ld->oom = true;
    free((void *)ids);
    return ok;
}

bs_rc bs_flat_read_calendar_buffer(const char *name, const char *data, size_t len,
                                   bs_flat_calendar **out, bs_messages *errors, bs_err *err)
{
    if (errors != NULL)
        memset(errors, 0, sizeof *errors);
    bs__ld ld;
    memset(&ld, 0, sizeof ld);
    ld.name = name;
    ld.msgs = errors;
    snprintf(ld.path, sizeof ld.path, "$");
    ld.path_len = 1;
    char *copy = malloc(len + 1);
    bs_flat_calendar *c = NULL;
    if (copy == NULL || bs_flat_create(&c) != BS_OK) {
        free(copy);
        return bs_err_set(err, BS_ENOMEM, "%s: out of memory", name);
    }
    memcpy(copy, data, len);
    copy[len] = '\0';
    cJSON *root = NULL;
    bs_rc rc = bs__json_parse(&ld, copy, len, &root);
    if (rc == BS_OK && bs__want_object(&ld, root)) {
        const char *format;
        if (bs__get_string(&ld, root, "format", true, &format) &&
            strcmp(format, "blendsched-calendar/1") != 0) {
            char q[160];
            bs__error_key(&ld, "format",
                          "not a calendar: format %s (expected \"blendsched-calendar/1\")",
                          bs__q(format, q, sizeof q));
        }
        const cJSON *sessions = NULL;
        if (!bs__get_array(&ld, root, "sessions", &sessions) &&
            bs__member(root, "sessions") == NULL)
            bs__error_key(&ld, "sessions", "required key is missing");
        size_t o = bs__path_key(&ld, "sessions"), i = 0;
        const cJSON *v;
        cJSON_ArrayForEach(v, sessions)
        {
            size_t o2 = bs__path_index(&ld, i++);
            read_session(&ld, v, c);
            bs__path_pop(&ld, o2);
            if (ld.oom)
                break;
        }
        bs__path_pop(&ld, o);
        size_t dup = 0;
        if (!ld.oom && ld.n_errors == 0 && bs_flat_finish(c, &dup) != BS_OK) {
            char q1[160], q2[160];
            bs__error_key(&ld, "sessions", "session %s/%s is listed twice",
                          bs__q(c->items[dup].cohort, q1, sizeof q1),
                          bs__q(c->items[dup].module, q2, sizeof q2));
        }
    }
    cJSON_Delete(root);
    free((void *)ld.nonint);
    free(copy);
    if (rc == BS_OK && ld.oom)
        rc = BS_ENOMEM;
    if (rc == BS_OK && ld.n_errors > 0)
        rc = BS_EINVAL;
    if (rc == BS_ENOMEM)
        bs_err_set(err, rc, "%s: out of memory", name);
    else if (rc == BS_EINTERNAL)
        bs_err_set(err, rc, "%s: internal error while parsing", name);
    if (rc != BS_OK) {
        bs_flat_destroy(&c);
        return rc;
    }
    *out = c;
    return BS_OK;
}

bs_rc bs_flat_read_calendar_file(const char *path, size_t max_bytes, bs_flat_calendar **out,
                                 bs_messages *errors, bs_err *err)
{
    if (errors != NULL)
        memset(errors, 0, sizeof *errors);
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    char *data = NULL;
    size_t len = 0;
    bs_rc rc = bs_read_file(path, max_bytes, &data, &len, err);
    if (rc == BS_EINVAL)
        return bs_err_set(err, BS_EINVAL, "%s: larger than the limit of %zu MB", name,
                          max_bytes / (1024 * 1024));
    if (rc != BS_OK)
        return rc;
    rc = bs_flat_read_calendar_buffer(name, data, len, out, errors, err);
    free(data);
    return rc;
}

/* ==== diff output ==== */

static void team_text(bs_buf *b, const bs_flat_session *s)
{
    bs_buf_puts(b, "room ");
    bs_buf_puts(b, s->room ? s->room : "none");
    bs_buf_puts(b, ", instructors ");
    if (s->n_instructors == 0)
        bs_buf_puts(b, "none");
    for (size_t k = 0; k < s->n_instructors; k++) {
        if (k)
            bs_buf_puts(b, ",");
        bs_buf_puts(b, s->instructors[k]);
    }
}

static bool same_room(const bs_flat_session *a, const bs_flat_session *b)
{
    return (a->room == NULL && b->room == NULL) ||
           (a->room != NULL && b->room != NULL && strcmp(a->room, b->room) == 0);
}

static bool same_instructors(const bs_flat_session *a, const bs_flat_session *b)
{
    if (a->n_instructors != b->n_instructors)
        return false;
    for (size_t k = 0; k < a->n_instructors; k++)
        if (strcmp(a->instructors[k], b->instructors[k]) != 0)
            return false;
    return true;
}

bs_rc bs_diff_write_text(const bs_diff *d, bs_buf *out)
{
    for (size_t i = 0; i < d->count; i++) {
        const bs_diff_entry *e = &d->items[i];
        const bs_flat_session *s = e->b != NULL ? e->b : e->a;
        bs_buf_printf(out, "%-11s %s/%s  ", bs_diff_kind_name(e->kind), s->cohort, s->module);
        switch (e->kind) {
        case BS_DIFF_ADDED:
        case BS_DIFF_REMOVED:
            bs_buf_printf(out, "%s  ", s->start_text);
            team_text(out, s);
            break;
        case BS_DIFF_MOVED:
        case BS_DIFF_REASSIGNED:
            if (e->kind == BS_DIFF_MOVED)
                bs_buf_printf(out, "%s -> %s", e->a->start_text, e->b->start_text);
            else
                bs_buf_printf(out, "%s", e->b->start_text);
            if (!same_room(e->a, e->b))
                bs_buf_printf(out, "  room %s -> %s", e->a->room ? e->a->room : "none",
                              e->b->room ? e->b->room : "none");
            if (!same_instructors(e->a, e->b)) {
                bs_buf_puts(out, "  instructors ");
                for (size_t k = 0; k < e->a->n_instructors; k++)
                    bs_buf_printf(out, "%s%s", k ? "," : "", e->a->instructors[k]);
                if (e->a->n_instructors == 0)
                    bs_buf_puts(out, "none");
                bs_buf_puts(out, " -> ");
                for (size_t k = 0; k < e->b->n_instructors; k++)
                    bs_buf_printf(out, "%s%s", k ? "," : "", e->b->instructors[k]);
                if (e->b->n_instructors == 0)
                    bs_buf_puts(out, "none");
            }
            break;
        }
        bs_buf_puts(out, "\n");
    }
    size_t changes = d->added + d->removed + d->moved + d->reassigned;
    bs_buf_printf(out,
                  "%zu change%s: %zu added, %zu removed, %zu moved, %zu reassigned (%zu "
                  "unchanged)\n",
                  changes, changes == 1 ? "" : "s", d->added, d->removed, d->moved, d->reassigned,
                  d->unchanged);
    return out->failed ? BS_ENOMEM : BS_OK;
}

static void session_json(bs_buf *b, const bs_flat_session *s)
{
    if (s == NULL) {
        bs_buf_puts(b, "null");
        return;
    }
    bs_buf_puts(b, "{\"start\": ");
    bs_buf_json_string(b, s->start_text);
    bs_buf_puts(b, ", \"end\": ");
    bs_buf_json_string(b, s->end_text);
    bs_buf_puts(b, ", \"room\": ");
    str_or_null(b, s->room);
    bs_buf_puts(b, ", \"instructors\": [");
    for (size_t k = 0; k < s->n_instructors; k++) {
        if (k)
            bs_buf_puts(b, ", ");
        bs_buf_json_string(b, s->instructors[k]);
    }
    bs_buf_puts(b, "]}");
}

bs_rc bs_diff_write_json(const char *name_a, const char *name_b, const bs_diff *d, bs_buf *out)
{
    bs_buf_puts(out, "{\n  \"format\": \"blendsched-diff/1\",\n  \"a\": ");
    bs_buf_json_string(out, name_a);
    bs_buf_puts(out, ",\n  \"b\": ");
    bs_buf_json_string(out, name_b);
    bs_buf_printf(out,
                  ",\n  \"summary\": {\"added\": %zu, \"removed\": %zu, \"moved\": %zu, "
                  "\"reassigned\": %zu, \"unchanged\": %zu},\n  \"changes\": [",
                  d->added, d->removed, d->moved, d->reassigned, d->unchanged);
    for (size_t i = 0; i < d->count; i++) {
        const bs_diff_entry *e = &d->items[i];
        const bs_flat_session *s = e->b != NULL ? e->b : e->a;
        bs_buf_puts(out, i ? ",\n    {\"change\": \"" : "\n    {\"change\": \"");
        bs_buf_puts(out, bs_diff_kind_name(e->kind));
        bs_buf_puts(out, "\", \"cohort\": ");
        bs_buf_json_string(out, s->cohort);
        bs_buf_puts(out, ", \"module\": ");
        bs_buf_json_string(out, s->module);
        bs_buf_puts(out, ",\n     \"from\": ");
        session_json(out, e->a);
        bs_buf_puts(out, ",\n     \"to\": ");
        session_json(out, e->b);
        bs_buf_puts(out, "}");
    }
    bs_buf_puts(out, d->count ? "\n  ]\n}\n" : "]\n}\n");
    return out->failed ? BS_ENOMEM : BS_OK;
}
