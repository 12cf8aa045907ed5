/**
 * @file input.c
 * @brief The blendsched/1 input loader: reads the file, checks every rule of
 *        FORMAT.md section by section (reporting all errors with their JSON
 *        paths) and fills a bs_problem; the programs section is
 *        io/input_programs.c's, time-zone names io/input_zones.c's, and
 *        io/input_build.c then converts the local times to UTC.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/input_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const KIND_NAMES[BS__N_KINDS] = {"room", "instructor", "program", "cohort",
                                                    "learner"};

/** Cohort dates may lie before or after the horizon (self-paced work starts
 *  before it, cohorts end after it), but not unboundedly: the day table and
 *  every zone's offsets are built over that span. Ten years either way. */
#define BS__MAX_DAYS_OUTSIDE_HORIZON 3660

/* ==== Small helpers ==== */

char *bs__dup_or_oom(bs__ld *ld, const char *s)
{
    if (s == NULL)
        return NULL;
    char *d = bs_strdup(s);
    if (d == NULL)
        ld->oom = true;
    return d;
}

size_t bs__array_size(const cJSON *arr)
{
    size_t n = 0;
    for (const cJSON *c = arr ? arr->child : NULL; c != NULL; c = c->next)
        n++;
    return n;
}

bool bs__push_int(bs__ld *ld, bs_ids *ids, size_t *cap, int v)
{
    if (ids->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        int *grown = bs_reallocarray(ids->items, ncap, sizeof *grown);
        if (grown == NULL) {
            ld->oom = true;
            return false;
        }
        ids->items = grown;
        *cap = ncap;
    }
    ids->items[ids->count++] = v;
    return true;
}

typedef struct pos_val {
    int val;
    size_t pos;
} pos_val;

static int cmp_pos_val(const void *a, const void *b)
{
    const pos_val *x = a, *y = b;
    if (x->val != y->val)
        return x->val < y->val ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The position of a later occurrence of a repeated value, or SIZE_MAX. */
static size_t find_repeat(bs__ld *ld, const int *items, size_t n)
{
    if (n < 2)
        return SIZE_MAX;
    pos_val *pv = bs_calloc(n, sizeof *pv);
    if (pv == NULL) {
        ld->oom = true;
        return SIZE_MAX;
    }
    for (size_t i = 0; i < n; i++)
        pv[i] = (pos_val){items[i], i};
    qsort(pv, n, sizeof *pv, cmp_pos_val);
    size_t at = SIZE_MAX;
    for (size_t i = 1; i < n; i++)
        if (pv[i].val == pv[i - 1].val && (at == SIZE_MAX || pv[i].pos < at))
            at = pv[i].pos;
    free(pv);
    return at;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

/* Sort and drop repeats: tag and site lists are sets. */
static void make_set(bs_ids *ids)
{
    if (ids->count < 2)
        return;
    qsort(ids->items, ids->count, sizeof *ids->items, cmp_int);
    size_t o = 1;
    for (size_t i = 1; i < ids->count; i++)
        if (ids->items[i] != ids->items[o - 1])
            ids->items[o++] = ids->items[i];
    ids->count = o;
}

/* ==== Interned strings: sites, tags (zones: io/input_zones.c) ==== */

static int intern(bs__ld *ld, bool site, const char *s)
{
    bs__strmap *map = site ? &ld->site_map : &ld->tag_map;
    char ***table = site ? &ld->p->sites : &ld->p->tags;
    size_t *n = site ? &ld->p->n_sites : &ld->p->n_tags;
    size_t *cap = site ? &ld->sites_cap : &ld->tags_cap;
    int found = bs__strmap_get(map, s);
    if (found >= 0)
        return found;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        char **grown = bs_reallocarray(*table, ncap, sizeof *grown);
        if (grown == NULL) {
            ld->oom = true;
            return -1;
        }
        *table = grown;
        *cap = ncap;
    }
    char *copy = bs__dup_or_oom(ld, s);
    if (copy == NULL)
        return -1;
    (*table)[*n] = copy;
    if (bs__strmap_put(map, copy, (int)*n) != BS_OK) {
        free(copy);
        ld->oom = true;
        return -1;
    }
    return (int)(*n)++;
}

/* ==== References ==== */

/* Resolve string node v (at the current path) to an entity of `kind`. */
static int ref_value(bs__ld *ld, const cJSON *v, int kind)
{
    if (!cJSON_IsString(v)) {
        bs__error(ld, "must be a %s id (got %s)", KIND_NAMES[kind], bs__type_name(v));
        return -1;
    }
    int i = bs__strmap_get(&ld->ids[kind], v->valuestring);
    if (i >= 0)
        return i;
    if (!ld->section_bad[kind]) {
        char q[160], dym[200];
        bs__error(ld, "unknown %s %s%s", KIND_NAMES[kind], bs__q(v->valuestring, q, sizeof q),
                  bs__dym(ld, v->valuestring, ld->idv[kind], ld->n_idv[kind], dym, sizeof dym));
    }
    return -1;
}

static int ref_member(bs__ld *ld, const cJSON *obj, const char *key, bool required, int kind)
{
    const cJSON *v = bs__member(obj, key);
    if (v == NULL) {
        if (required)
            bs__error_key(ld, key, "required key is missing");
        return -1;
    }
    size_t old = bs__path_key(ld, key);
    int i = ref_value(ld, v, kind);
    bs__path_pop(ld, old);
    return i;
}

/* A list of entity ids; a repeated id is an error. Returns whether the key
 * was present as an array. */
static bool ref_list(bs__ld *ld, const cJSON *obj, const char *key, int kind, bs_ids *out)
{
    const cJSON *arr;
    if (!bs__get_array(ld, obj, key, &arr))
        return false;
    size_t old = bs__path_key(ld, key), cap = 0, i = 0;
    const cJSON *v;
    bool ok = true;
    cJSON_ArrayForEach(v, arr)
    {
        size_t o2 = bs__path_index(ld, i++);
        int r = ref_value(ld, v, kind);
        bs__path_pop(ld, o2);
        if (r < 0)
            ok = false;
        else if (!bs__push_int(ld, out, &cap, r))
            break;
    }
    if (ok && out->count > 1) {
        size_t at = find_repeat(ld, out->items, out->count);
        if (at != SIZE_MAX) {
            char q[160];
            size_t o2 = bs__path_index(ld, at);
            bs__error(ld, "%s %s is listed twice", KIND_NAMES[kind],
                      bs__q(ld->idv[kind][out->items[at]], q, sizeof q));
            bs__path_pop(ld, o2);
        }
    }
    bs__path_pop(ld, old);
    return true;
}

/* A set of free strings (skills, features, sites) interned into a table. */
void bs__string_set(bs__ld *ld, const cJSON *obj, const char *key, bool site, bs_ids *out)
{
    const cJSON *arr;
    if (!bs__get_array(ld, obj, key, &arr))
        return;
    size_t old = bs__path_key(ld, key), cap = 0, i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, arr)
    {
        size_t o2 = bs__path_index(ld, i++);
        if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
            bs__error(ld, "must be a non-empty string (got %s)",
                      cJSON_IsString(v) ? "an empty string" : bs__type_name(v));
        } else {
            int t = intern(ld, site, v->valuestring);
            if (t >= 0)
                bs__push_int(ld, out, &cap, t);
        }
        bs__path_pop(ld, o2);
    }
    bs__path_pop(ld, old);
    make_set(out);
}

/* ==== Registration of ids (first pass: references may point forward) ==== */

static void register_ids(bs__ld *ld, const cJSON *arr, const char *section, int kind)
{
    size_t n = bs__array_size(arr);
    ld->n_idv[kind] = n;
    ld->idv[kind] = bs_calloc(n, sizeof *ld->idv[kind]);
    if (ld->idv[kind] == NULL) {
        ld->oom = true;
        return;
    }
    size_t old = bs__path_key(ld, section), i = 0;
    const cJSON *el;
    cJSON_ArrayForEach(el, arr)
    {
        const cJSON *id = cJSON_IsObject(el) ? bs__member(el, "id") : NULL;
        if (cJSON_IsString(id)) {
            int prev = bs__strmap_get(&ld->ids[kind], id->valuestring);
            if (prev >= 0) {
                char q[160];
                size_t o2 = bs__path_index(ld, i);
                bs__error_key(ld, "id", "duplicate %s id %s (first at $.%s[%d])", KIND_NAMES[kind],
                              bs__q(id->valuestring, q, sizeof q), section, prev);
                bs__path_pop(ld, o2);
            } else {
                /* Syntax is checked later; registering an id with bad
                 * syntax still resolves references to it, so one mistake
                 * gives one message. */
                ld->idv[kind][i] = id->valuestring;
                if (bs__strmap_put(&ld->ids[kind], id->valuestring, (int)i) != BS_OK)
                    ld->oom = true;
            }
        }
        i++;
    }
    bs__path_pop(ld, old);
}

/* ==== Shared shapes: intervals and weekly windows ==== */

static const char *const IV_KEYS[] = {"from", "to", NULL};

/* One end of an interval: a date (kind 1) or a local date-time (kind 2). */
static int interval_end(bs__ld *ld, const cJSON *obj, const char *key, bool is_end, int64_t *day,
                        int *minute)
{
    const char *s;
    if (!bs__get_string(ld, obj, key, true, &s))
        return 0;
    char q[160];
    size_t len = strlen(s);
    int r;
    if (len == 10) {
        r = bs__parse_date(s, day);
        *minute = 0;
        if (r == BS__PARSE_OK)
            return 1;
    } else if (len == 16 && s[10] == 'T') {
        r = bs__parse_datetime(s, day, minute);
        if (r == BS__PARSE_OK) {
            if (*minute == 1440 && !is_end) {
                bs__error_key(ld, key, "24:00 is allowed only as an end");
                return 0;
            }
            return 2;
        }
    } else {
        r = BS__PARSE_SYNTAX;
    }
    if (r == BS__PARSE_IMPOSSIBLE)
        bs__error_key(ld, key, "impossible date or time %s", bs__q(s, q, sizeof q));
    else
        bs__error_key(ld, key,
                      "invalid date or date-time %s (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM)",
                      bs__q(s, q, sizeof q));
    return 0;
}

static void parse_intervals(bs__ld *ld, const cJSON *obj, const char *key, bs__raw_ivs *out)
{
    const cJSON *arr;
    if (!bs__get_array(ld, obj, key, &arr))
        return;
    size_t n = bs__array_size(arr);
    out->items = bs_calloc(n, sizeof *out->items);
    if (out->items == NULL) {
        ld->oom = true;
        return;
    }
    size_t old = bs__path_key(ld, key), i = 0;
    const cJSON *el;
    cJSON_ArrayForEach(el, arr)
    {
        size_t o2 = bs__path_index(ld, i++);
        if (bs__want_object(ld, el)) {
            bs__check_keys(ld, el, IV_KEYS);
            int64_t fd = 0, td = 0;
            int fm = 0, tm = 0;
            int kf = interval_end(ld, el, "from", false, &fd, &fm);
            int kt = interval_end(ld, el, "to", true, &td, &tm);
            if (kf != 0 && kt != 0) {
                if (kf != kt) {
                    bs__error(ld, "mixes a date and a date-time: use two dates (whole days) or "
                                  "two date-times");
                } else if (kf == 1) {
                    if (td < fd)
                        bs__error_key(ld, "to", "the interval ends before it starts");
                    else
                        out->items[out->count++] = (bs__raw_iv){fd, td + 1, 0, 0};
                } else {
                    if (td * 1440 + tm <= fd * 1440 + fm)
                        bs__error_key(ld, "to", "must be after \"from\" (the span is [from, to))");
                    else
                        out->items[out->count++] = (bs__raw_iv){fd, td, fm, tm};
                }
            }
        }
        bs__path_pop(ld, o2);
    }
    bs__path_pop(ld, old);
}

/* Weekday names into flags; a repeated day is harmless. */
static bool parse_days(bs__ld *ld, const cJSON *obj, const char *key, bool required, bool out[7])
{
    const cJSON *arr;
    if (!bs__get_array(ld, obj, key, &arr)) {
        if (arr == NULL && bs__member(obj, key) == NULL && required)
            bs__error_key(ld, key, "required key is missing");
        return false;
    }
    for (int d = 0; d < 7; d++)
        out[d] = false;
    size_t old = bs__path_key(ld, key), i = 0;
    const cJSON *v;
    bool ok = true;
    cJSON_ArrayForEach(v, arr)
    {
        size_t o2 = bs__path_index(ld, i++);
        if (!cJSON_IsString(v)) {
            bs__error(ld, "must be a weekday name (got %s)", bs__type_name(v));
            ok = false;
        } else {
            int d = bs__weekday(v->valuestring);
            if (d < 0) {
                char q[160], dym[200];
                bs__error(ld, "unknown weekday %s (one of mon tue wed thu fri sat sun)%s",
                          bs__q(v->valuestring, q, sizeof q),
                          bs__dym(ld, v->valuestring, bs__weekday_names, 7, dym, sizeof dym));
                ok = false;
            } else {
                out[d] = true;
            }
        }
        bs__path_pop(ld, o2);
    }
    bs__path_pop(ld, old);
    return ok;
}

/* {"from": "HH:MM", "to": "HH:MM"} with from < to (24:00 as an end). */
static bool parse_span(bs__ld *ld, const cJSON *obj, int *from, int *to)
{
    bool hf = bs__get_time(ld, obj, "from", true, false, from);
    bool ht = bs__get_time(ld, obj, "to", true, true, to);
    if (hf && ht && *to <= *from) {
        bs__error_key(ld, "to", "must be after \"from\"");
        return false;
    }
    return hf && ht;
}

static const char *const WEEKLY_KEYS[] = {"days", "from", "to", NULL};

static bool parse_weekly(bs__ld *ld, const cJSON *obj, bs__weekly *out)
{
    if (!bs__want_object(ld, obj))
        return false;
    bs__check_keys(ld, obj, WEEKLY_KEYS);
    bool ok = parse_days(ld, obj, "days", true, out->days);
    return parse_span(ld, obj, &out->from, &out->to) && ok;
}

/* ==== calendar ==== */

const char *const bs__cal_keys[] = {"start",        "end",      "timezone",
                                       "slot_minutes", "workdays", "day_start",
                                       "day_end",      "holidays", NULL};

static void parse_calendar(bs__ld *ld, const cJSON *cal)
{
    bs_problem *p = ld->p;
    size_t old = bs__path_key(ld, "calendar");
    /* Defaults first, so later sections can check against something. */
    p->slot_minutes = 30;
    ld->slot_ok = true;
    p->day_start_minute = 9 * 60;
    p->day_end_minute = 17 * 60;
    for (int d = 0; d < 7; d++)
        p->workdays[d] = d <= BS_FRI;
    ld->calendar_zone = -1;
    if (cal == NULL) {
        bs__error(ld, "required key is missing");
        bs__path_pop(ld, old);
        return;
    }
    if (!bs__want_object(ld, cal)) {
        bs__path_pop(ld, old);
        return;
    }
    bs__check_keys(ld, cal, bs__cal_keys);
    int64_t s = 0, e = 0;
    bool hs = bs__get_date(ld, cal, "start", true, &s);
    bool he = bs__get_date(ld, cal, "end", true, &e);
    if (hs && he) {
        if (e < s)
            bs__error_key(ld, "end", "the horizon ends before it starts");
        else if (e - s + 1 > 366)
            bs__error_key(ld, "end", "horizon of %lld days (at most 366, both ends counted)",
                          (long long)(e - s + 1));
        else {
            ld->calendar_ok = true;
            ld->h_start = s;
            ld->h_end = e;
        }
    }
    const char *tzname = "UTC";
    bs__get_string(ld, cal, "timezone", false, &tzname);
    ld->calendar_zone = bs__zone_ref(ld, "timezone", tzname);
    p->timezone = bs__dup_or_oom(ld, tzname);

    int slot = 30;
    if (bs__get_int(ld, cal, "slot_minutes", false, 5, 240, &slot)) {
        if (1440 % slot != 0) {
            bs__error_key(ld, "slot_minutes", "must divide 1440 (got %d)", slot);
            ld->slot_ok = false;
        }
        p->slot_minutes = slot;
    } else if (bs__member(cal, "slot_minutes") != NULL) {
        ld->slot_ok = false;
    }
    parse_days(ld, cal, "workdays", false, p->workdays);

    int ds = 540, de = 1020;
    bool ok_s = true, ok_e = true;
    if (bs__member(cal, "day_start") != NULL)
        ok_s = bs__get_time(ld, cal, "day_start", false, false, &ds);
    if (bs__member(cal, "day_end") != NULL)
        ok_e = bs__get_time(ld, cal, "day_end", false, true, &de);
    if (ok_s && ld->slot_ok && ds % p->slot_minutes != 0)
        bs__error_key(ld, "day_start", "must be a multiple of slot_minutes (%d)", p->slot_minutes);
    if (ok_e && ld->slot_ok && de % p->slot_minutes != 0)
        bs__error_key(ld, "day_end", "must be a multiple of slot_minutes (%d)", p->slot_minutes);
    if (ok_s && ok_e && de <= ds)
        bs__error_key(ld, "day_end", "must be after day_start");
    p->day_start_minute = ds;
    p->day_end_minute = de;

    const cJSON *hol;
    if (bs__get_array(ld, cal, "holidays", &hol)) {
        size_t n = bs__array_size(hol), i = 0;
        ld->holidays = bs_calloc(n, sizeof *ld->holidays);
        if (ld->holidays == NULL) {
            ld->oom = true;
        } else {
            size_t o2 = bs__path_key(ld, "holidays");
            const cJSON *v;
            cJSON_ArrayForEach(v, hol)
            {
                size_t o3 = bs__path_index(ld, i++);
                char q[160];
                int64_t d = 0;
                if (!cJSON_IsString(v))
                    bs__error(ld, "must be a date (got %s)", bs__type_name(v));
                else if (bs__parse_date(v->valuestring, &d) == BS__PARSE_OK)
                    ld->holidays[ld->n_holidays++] = d;
                else if (bs__parse_date(v->valuestring, &d) == BS__PARSE_IMPOSSIBLE)
                    bs__error(ld, "impossible date %s", bs__q(v->valuestring, q, sizeof q));
                else
                    bs__error(ld, "invalid date %s (expected YYYY-MM-DD)",
                              bs__q(v->valuestring, q, sizeof q));
                bs__path_pop(ld, o3);
            }
            bs__path_pop(ld, o2);
        }
    }
    bs__path_pop(ld, old);
}

/* ==== rooms ==== */

const char *const bs__room_keys[] = {
    "id", "name", "virtual", "site", "capacity", "features", "unavailable", "cost_per_hour", NULL};

static void parse_room(bs__ld *ld, size_t i, const cJSON *obj)
{
    bs_room *r = &ld->p->rooms[i];
    r->site = -1;
    if (!bs__want_object(ld, obj))
        return;
    bs__check_keys(ld, obj, bs__room_keys);
    const char *id;
    if (bs__get_id(ld, obj, "id", true, &id))
        r->id = bs__dup_or_oom(ld, id);
    bs__get_display(ld, obj, "name", &r->name);
    bs__get_bool(ld, obj, "virtual", &r->is_virtual);
    const char *site;
    if (bs__get_string(ld, obj, "site", false, &site)) {
        if (r->is_virtual)
            bs__error_key(ld, "site", "a virtual room has no site");
        else if (site[0] == '\0')
            bs__error_key(ld, "site", "must be a non-empty string");
        else
            r->site = intern(ld, true, site);
    } else if (!r->is_virtual && bs__member(obj, "site") == NULL) {
        bs__error_key(ld, "site", "required key is missing (the room is not virtual)");
    }
    bs__get_int(ld, obj, "capacity", true, 1, INT32_MAX, &r->capacity);
    bs__string_set(ld, obj, "features", false, &r->features);
    parse_intervals(ld, obj, "unavailable", &ld->raw_rooms[i].unavailable);
    bs__get_number(ld, obj, "cost_per_hour", 0, &r->cost_per_hour);
    if (r->is_virtual)
        ld->p->has_virtual_rooms = true;
}

/* ==== instructors ==== */

const char *const bs__instr_keys[] = {"id",
                                         "name",
                                         "skills",
                                         "sites",
                                         "timezone",
                                         "available",
                                         "unavailable",
                                         "max_minutes_per_day",
                                         "max_minutes_per_week",
                                         "cost_per_hour",
                                         NULL};

static void parse_instructor(bs__ld *ld, size_t i, const cJSON *obj)
{
    bs_instructor *in = &ld->p->instructors[i];
    bs__raw_instructor *raw = &ld->raw_instructors[i];
    in->max_minutes_per_day = -1;
    in->max_minutes_per_week = -1;
    raw->zone = -1;
    if (!bs__want_object(ld, obj))
        return;
    bs__check_keys(ld, obj, bs__instr_keys);
    const char *id;
    if (bs__get_id(ld, obj, "id", true, &id))
        in->id = bs__dup_or_oom(ld, id);
    bs__get_display(ld, obj, "name", &in->name);
    bs__string_set(ld, obj, "skills", false, &in->skills);
    bs__string_set(ld, obj, "sites", true, &in->sites);
    const char *tz;
    if (bs__get_string(ld, obj, "timezone", false, &tz))
        raw->zone = bs__zone_ref(ld, "timezone", tz);
    const cJSON *arr;
    if (bs__get_array(ld, obj, "available", &arr)) {
        size_t n = bs__array_size(arr), k = 0;
        raw->has_available = true;
        raw->available = bs_calloc(n, sizeof *raw->available);
        if (raw->available == NULL) {
            ld->oom = true;
            return;
        }
        size_t old = bs__path_key(ld, "available");
        const cJSON *w;
        cJSON_ArrayForEach(w, arr)
        {
            size_t o2 = bs__path_index(ld, k++);
            if (parse_weekly(ld, w, &raw->available[raw->n_available]))
                raw->n_available++;
            bs__path_pop(ld, o2);
        }
        bs__path_pop(ld, old);
    }
    parse_intervals(ld, obj, "unavailable", &raw->unavailable);
    bs__get_int(ld, obj, "max_minutes_per_day", false, 0, INT32_MAX, &in->max_minutes_per_day);
    bs__get_int(ld, obj, "max_minutes_per_week", false, 0, INT32_MAX, &in->max_minutes_per_week);
    bs__get_number(ld, obj, "cost_per_hour", 0, &in->cost_per_hour);
}

/* ==== cohorts ==== */

const char *const bs__cohort_keys[] = {
    "id",          "name",        "program",   "start",    "end",
    "site",        "timezone",    "learners",  "size",     "self_paced_minutes_per_day",
    "instructors", "unavailable", "preferred", "priority", "min_days",
    NULL};

static void parse_cohort(bs__ld *ld, size_t i, const cJSON *obj)
{
    bs_cohort *c = &ld->p->cohorts[i];
    bs__raw_cohort *raw = &ld->raw_cohorts[i];
    c->program = -1;
    c->site = -1;
    c->self_paced_minutes_per_day = 60;
    c->priority = 1;
    raw->zone = -1;
    if (!bs__want_object(ld, obj))
        return;
    bs__check_keys(ld, obj, bs__cohort_keys);
    const char *id;
    if (bs__get_id(ld, obj, "id", true, &id))
        c->id = bs__dup_or_oom(ld, id);
    bs__get_display(ld, obj, "name", &c->name);
    c->program = ref_member(ld, obj, "program", true, BS__PROGRAM);
    bool hs = bs__get_date(ld, obj, "start", true, &raw->start);
    bool he = bs__get_date(ld, obj, "end", true, &raw->end);
    if (hs && he && raw->end < raw->start)
        bs__error_key(ld, "end", "the cohort ends before it starts");
    if (hs && ld->calendar_ok && raw->start < ld->h_start - BS__MAX_DAYS_OUTSIDE_HORIZON)
        bs__error_key(ld, "start", "starts more than %d days before the horizon",
                      BS__MAX_DAYS_OUTSIDE_HORIZON);
    if (he && ld->calendar_ok && raw->end > ld->h_end + BS__MAX_DAYS_OUTSIDE_HORIZON)
        bs__error_key(ld, "end", "ends more than %d days after the horizon",
                      BS__MAX_DAYS_OUTSIDE_HORIZON);
    const char *site;
    if (bs__get_string(ld, obj, "site", false, &site)) {
        if (site[0] == '\0')
            bs__error_key(ld, "site", "must be a non-empty string");
        else
            c->site = intern(ld, true, site);
    } else if (bs__member(obj, "site") == NULL && c->program >= 0 &&
               ld->program_has_in_person[c->program]) {
        char q[160];
        bs__error_key(ld, "site", "required key is missing (program %s has an in-person module)",
                      bs__q(ld->idv[BS__PROGRAM][c->program], q, sizeof q));
    }
    const char *tz;
    if (bs__get_string(ld, obj, "timezone", false, &tz))
        raw->zone = bs__zone_ref(ld, "timezone", tz);
    bool listed_ok = true;
    if (ref_list(ld, obj, "learners", BS__LEARNER, &c->learners))
        listed_ok = c->learners.count == bs__array_size(bs__member(obj, "learners"));
    c->size = (int)c->learners.count;
    int size;
    if (bs__get_int(ld, obj, "size", false, 1, INT32_MAX, &size)) {
        if (listed_ok && (size_t)size < c->learners.count)
            bs__error_key(ld, "size", "size %d is less than the %zu learners listed", size,
                          c->learners.count);
        c->size = size;
    }
    bs__get_int(ld, obj, "self_paced_minutes_per_day", false, 0, 1440,
                &c->self_paced_minutes_per_day);
    c->has_instructors = ref_list(ld, obj, "instructors", BS__INSTRUCTOR, &c->instructors);
    parse_intervals(ld, obj, "unavailable", &raw->unavailable);
    const cJSON *pref = bs__member(obj, "preferred");
    if (pref != NULL) {
        size_t old = bs__path_key(ld, "preferred");
        raw->has_preferred = parse_weekly(ld, pref, &raw->preferred);
        c->has_preferred = raw->has_preferred;
        bs__path_pop(ld, old);
    }
    bs__get_int(ld, obj, "priority", false, 1, 100, &c->priority);
    bs__get_int(ld, obj, "min_days", false, 0, INT32_MAX, &c->min_days);
}

/* ==== learners ==== */

const char *const bs__learner_keys[] = {
    "id", "name", "timezone", "hours", "unavailable", "completed", "self_paced_minutes_per_day",
    NULL};

static void parse_completed(bs__ld *ld, bs_learner *l, const cJSON *arr)
{
    size_t n = bs__array_size(arr), k = 0;
    l->completed = bs_calloc(n, sizeof *l->completed);
    if (l->completed == NULL) {
        ld->oom = true;
        return;
    }
    size_t old = bs__path_key(ld, "completed");
    const cJSON *v;
    cJSON_ArrayForEach(v, arr)
    {
        size_t o2 = bs__path_index(ld, k++);
        char q[160], q2[160], dym[200];
        const char *slash = cJSON_IsString(v) ? strchr(v->valuestring, '/') : NULL;
        if (!cJSON_IsString(v)) {
            bs__error(ld, "must be a string \"program/module\" (got %s)", bs__type_name(v));
        } else if (slash == NULL) {
            bs__error(ld, "%s is not \"program/module\"", bs__q(v->valuestring, q, sizeof q));
        } else {
            char prog[128];
            size_t plen = (size_t)(slash - v->valuestring);
            snprintf(prog, sizeof prog, "%.*s", (int)(plen < 127 ? plen : 127), v->valuestring);
            const char *mod = slash + 1;
            int pi = bs__strmap_get(&ld->ids[BS__PROGRAM], prog);
            int mi = pi >= 0 ? bs__strmap_get(&ld->module_ids[pi], mod) : -1;
            if (pi < 0) {
                if (!ld->section_bad[BS__PROGRAM])
                    bs__error(ld, "unknown program %s%s", bs__q(prog, q, sizeof q),
                              bs__dym(ld, prog, ld->idv[BS__PROGRAM], ld->n_idv[BS__PROGRAM], dym,
                                      sizeof dym));
            } else if (mi < 0) {
                bs__error(ld, "unknown module %s of program %s%s", bs__q(mod, q, sizeof q),
                          bs__q(prog, q2, sizeof q2),
                          bs__dym(ld, mod, ld->module_idv[pi], ld->p->programs[pi].n_modules, dym,
                                  sizeof dym));
            } else if (ld->p->programs[pi].modules[mi].is_live) {
                bs__error(ld, "%s is a live module: only self-paced modules can be completed",
                          bs__q(v->valuestring, q, sizeof q));
            } else {
                l->completed[l->n_completed].program = pi;
                l->completed[l->n_completed].module = mi;
                l->n_completed++;
            }
        }
        bs__path_pop(ld, o2);
    }
    bs__path_pop(ld, old);
}

static const char *const HOURS_KEYS[] = {"from", "to", NULL};

static void parse_learner(bs__ld *ld, size_t i, const cJSON *obj)
{
    bs_learner *l = &ld->p->learners[i];
    bs__raw_learner *raw = &ld->raw_learners[i];
    l->self_paced_minutes_per_day = -1;
    raw->zone = -1;
    if (!bs__want_object(ld, obj))
        return;
    bs__check_keys(ld, obj, bs__learner_keys);
    const char *id;
    if (bs__get_id(ld, obj, "id", true, &id))
        l->id = bs__dup_or_oom(ld, id);
    bs__get_display(ld, obj, "name", &l->name);
    const char *tz;
    if (bs__get_string(ld, obj, "timezone", false, &tz))
        raw->zone = bs__zone_ref(ld, "timezone", tz);
    const cJSON *hours = bs__member(obj, "hours");
    if (hours != NULL) {
        size_t old = bs__path_key(ld, "hours");
        if (bs__want_object(ld, hours)) {
            bs__check_keys(ld, hours, HOURS_KEYS);
            raw->has_hours = parse_span(ld, hours, &raw->hours_from, &raw->hours_to);
        }
        bs__path_pop(ld, old);
    }
    parse_intervals(ld, obj, "unavailable", &raw->unavailable);
    const cJSON *done;
    if (bs__get_array(ld, obj, "completed", &done))
        parse_completed(ld, l, done);
    bs__get_int(ld, obj, "self_paced_minutes_per_day", false, 0, 1440,
                &l->self_paced_minutes_per_day);
}

/* ==== objective ==== */

const char *const bs__objective_keys[] = {
    "unplaced", "instructor_change", "room_change", "outside_preferred", "rhythm", "cost", "spread",
    "isolated", "over_capacity",     "moved",       "reassigned",        NULL};

static void weight(bs__ld *ld, const cJSON *obj, const char *key, int lo, double *out)
{
    int v;
    if (bs__get_int(ld, obj, key, false, lo, INT32_MAX, &v))
        *out = v;
}

static void parse_objective(bs__ld *ld, const cJSON *obj)
{
    bs_weights *w = &ld->p->weights;
    *w = (bs_weights){.unplaced = 10000,
                      .instructor_change = 50,
                      .room_change = 20,
                      .outside_preferred = 5,
                      .rhythm = 10,
                      .cost = 0,
                      .spread = 5,
                      .isolated = 0,
                      .has_over_capacity = false,
                      .over_capacity = 0,
                      .moved = 100,
                      .reassigned = 30};
    if (obj == NULL)
        return;
    size_t old = bs__path_key(ld, "objective");
    if (bs__want_object(ld, obj)) {
        bs__check_keys(ld, obj, bs__objective_keys);
        const cJSON *u = bs__member(obj, "unplaced");
        if (cJSON_IsNumber(u) && u->valuedouble == 0)
            bs__error_key(ld, "unplaced", "must not be 0 (leaving sessions unplaced must cost)");
        else
            weight(ld, obj, "unplaced", 1, &w->unplaced);
        weight(ld, obj, "instructor_change", 0, &w->instructor_change);
        weight(ld, obj, "room_change", 0, &w->room_change);
        weight(ld, obj, "outside_preferred", 0, &w->outside_preferred);
        weight(ld, obj, "rhythm", 0, &w->rhythm);
        weight(ld, obj, "cost", 0, &w->cost);
        weight(ld, obj, "spread", 0, &w->spread);
        weight(ld, obj, "isolated", 0, &w->isolated);
        if (bs__member(obj, "over_capacity") != NULL) {
            w->has_over_capacity = true;
            weight(ld, obj, "over_capacity", 0, &w->over_capacity);
        }
        weight(ld, obj, "moved", 0, &w->moved);
        weight(ld, obj, "reassigned", 0, &w->reassigned);
    }
    bs__path_pop(ld, old);
}

/* ==== fixed (pins) ==== */

static const char *const PIN_KEYS[] = {"cohort", "module", "start", "room", "instructors", NULL};

static void parse_pin(bs__ld *ld, size_t i, const cJSON *obj)
{
    bs_pin *pin = &ld->p->pins[i];
    bs__raw_pin *raw = &ld->raw_pins[i];
    pin->cohort = pin->module = pin->room = -1;
    if (!bs__want_object(ld, obj))
        return;
    bs__check_keys(ld, obj, PIN_KEYS);
    pin->cohort = ref_member(ld, obj, "cohort", true, BS__COHORT);
    const char *mod;
    if (bs__get_string(ld, obj, "module", true, &mod) && pin->cohort >= 0) {
        int pi = ld->p->cohorts[pin->cohort].program;
        if (pi >= 0) {
            char q[160], q2[160], dym[200];
            int mi = bs__strmap_get(&ld->module_ids[pi], mod);
            if (mi < 0)
                bs__error_key(ld, "module", "unknown module %s of program %s%s",
                              bs__q(mod, q, sizeof q),
                              bs__q(ld->idv[BS__PROGRAM][pi], q2, sizeof q2),
                              bs__dym(ld, mod, ld->module_idv[pi], ld->p->programs[pi].n_modules,
                                      dym, sizeof dym));
            else if (!ld->p->programs[pi].modules[mi].is_live)
                bs__error_key(ld, "module",
                              "%s is a self-paced module: only live sessions can be pinned",
                              bs__q(mod, q, sizeof q));
            else
                pin->module = mi;
        }
    }
    const char *start;
    if (bs__get_string(ld, obj, "start", false, &start)) {
        char q[160];
        int r = bs__parse_datetime(start, &raw->day, &raw->minute);
        if (r == BS__PARSE_SYNTAX)
            bs__error_key(ld, "start", "invalid date-time %s (expected YYYY-MM-DDTHH:MM)",
                          bs__q(start, q, sizeof q));
        else if (r == BS__PARSE_IMPOSSIBLE)
            bs__error_key(ld, "start", "impossible date-time %s", bs__q(start, q, sizeof q));
        else if (raw->minute == 1440)
            bs__error_key(ld, "start", "24:00 is allowed only as an end");
        else
            raw->has_start = pin->has_start = true;
    }
    if (bs__member(obj, "room") != NULL) {
        pin->room = ref_member(ld, obj, "room", false, BS__ROOM);
        pin->has_room = pin->room >= 0;
    }
    pin->has_instructors = ref_list(ld, obj, "instructors", BS__INSTRUCTOR, &pin->instructors);
}

typedef struct pin_key {
    int cohort, module;
    size_t index;
} pin_key;

static int cmp_pin_key(const void *a, const void *b)
{
    const pin_key *x = a, *y = b;
    if (x->cohort != y->cohort)
        return x->cohort < y->cohort ? -1 : 1;
    if (x->module != y->module)
        return x->module < y->module ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Two pins of one session: sort by (cohort, module), compare neighbours. */
static void check_duplicate_pins(bs__ld *ld)
{
    size_t n = ld->p->n_pins;
    if (n < 2)
        return;
    pin_key *keys = bs_calloc(n, sizeof *keys);
    if (keys == NULL) {
        ld->oom = true;
        return;
    }
    for (size_t i = 0; i < n; i++)
        keys[i] = (pin_key){ld->p->pins[i].cohort, ld->p->pins[i].module, i};
    qsort(keys, n, sizeof *keys, cmp_pin_key);
    for (size_t k = 1; k < n; k++) {
        const pin_key *a = &keys[k - 1], *b = &keys[k];
        if (b->cohort >= 0 && b->module >= 0 && a->cohort == b->cohort && a->module == b->module) {
            size_t o1 = bs__path_key(ld, "fixed");
            size_t o2 = bs__path_index(ld, b->index);
            bs__error(ld, "pins the same session as $.fixed[%zu]", a->index);
            bs__path_pop(ld, o2);
            bs__path_pop(ld, o1);
        }
    }
    free(keys);
}

/* ==== The whole document ==== */

static const char *const TOP_KEYS[] = {"format",   "calendar", "rooms",    "instructors",
                                       "programs", "cohorts",  "learners", "objective",
                                       "fixed",    NULL};

/* A top-level array section, or NULL (reported when required or mistyped). */
static const cJSON *section(bs__ld *ld, const cJSON *root, const char *key, bool required, int kind)
{
    const cJSON *v = bs__member(root, key);
    if (v == NULL) {
        if (required)
            bs__error_key(ld, key, "required key is missing");
    } else if (!cJSON_IsArray(v)) {
        bs__error_key(ld, key, "must be an array (got %s)", bs__type_name(v));
        v = NULL;
    }
    if (v == NULL && kind >= 0)
        ld->section_bad[kind] = required || bs__member(root, key) != NULL;
    return v;
}

#define ALLOC_ARRAY(ptr, n)                                                                        \
    do {                                                                                           \
        (ptr) = bs_calloc((n), sizeof *(ptr));                                                     \
        if ((ptr) == NULL)                                                                         \
            ld->oom = true;                                                                        \
    } while (0)

#define FOR_EACH_ENTITY(arr, name, fn)                                                             \
    do {                                                                                           \
        size_t old_ = bs__path_key(ld, name), i_ = 0;                                              \
        const cJSON *el_;                                                                          \
        cJSON_ArrayForEach(el_, arr)                                                               \
        {                                                                                          \
            size_t o2_ = bs__path_index(ld, i_);                                                   \
            fn(ld, i_, el_);                                                                       \
            bs__path_pop(ld, o2_);                                                                 \
            i_++;                                                                                  \
        }                                                                                          \
        bs__path_pop(ld, old_);                                                                    \
    } while (0)

static void load_document(bs__ld *ld, const cJSON *root)
{
    bs_problem *p = ld->p;
    bs__path_pop(ld, 0);
    snprintf(ld->path, sizeof ld->path, "$");
    ld->path_len = 1;
    if (!bs__want_object(ld, root))
        return;
    bs__check_keys(ld, root, TOP_KEYS);
    const char *format;
    if (bs__get_string(ld, root, "format", true, &format) && strcmp(format, "blendsched/1") != 0) {
        char q[160];
        bs__error_key(ld, "format", "unsupported format %s (expected \"blendsched/1\")",
                      bs__q(format, q, sizeof q));
    }
    const cJSON *cal = bs__member(root, "calendar");
    const cJSON *rooms = section(ld, root, "rooms", false, BS__ROOM);
    const cJSON *instr = section(ld, root, "instructors", false, BS__INSTRUCTOR);
    const cJSON *progs = section(ld, root, "programs", true, BS__PROGRAM);
    const cJSON *cohorts = section(ld, root, "cohorts", true, BS__COHORT);
    const cJSON *learners = section(ld, root, "learners", false, BS__LEARNER);
    const cJSON *fixed = section(ld, root, "fixed", false, -1);

    register_ids(ld, rooms, "rooms", BS__ROOM);
    register_ids(ld, instr, "instructors", BS__INSTRUCTOR);
    register_ids(ld, progs, "programs", BS__PROGRAM);
    register_ids(ld, cohorts, "cohorts", BS__COHORT);
    register_ids(ld, learners, "learners", BS__LEARNER);
    p->n_rooms = ld->n_idv[BS__ROOM];
    p->n_instructors = ld->n_idv[BS__INSTRUCTOR];
    p->n_programs = ld->n_idv[BS__PROGRAM];
    p->n_cohorts = ld->n_idv[BS__COHORT];
    p->n_learners = ld->n_idv[BS__LEARNER];
    p->n_pins = bs__array_size(fixed);
    ALLOC_ARRAY(p->rooms, p->n_rooms);
    ALLOC_ARRAY(ld->raw_rooms, p->n_rooms);
    ALLOC_ARRAY(p->instructors, p->n_instructors);
    ALLOC_ARRAY(ld->raw_instructors, p->n_instructors);
    ALLOC_ARRAY(p->programs, p->n_programs);
    ALLOC_ARRAY(ld->module_ids, p->n_programs);
    ALLOC_ARRAY(ld->module_idv, p->n_programs);
    ALLOC_ARRAY(ld->program_has_in_person, p->n_programs);
    ALLOC_ARRAY(p->cohorts, p->n_cohorts);
    ALLOC_ARRAY(ld->raw_cohorts, p->n_cohorts);
    ALLOC_ARRAY(p->learners, p->n_learners);
    ALLOC_ARRAY(ld->raw_learners, p->n_learners);
    ALLOC_ARRAY(p->pins, p->n_pins);
    ALLOC_ARRAY(ld->raw_pins, p->n_pins);
    if (ld->oom) {
        /* Counts must match what was allocated, for the destroy. */
        if (p->rooms == NULL)
            p->n_rooms = 0;
        if (p->instructors == NULL)
            p->n_instructors = 0;
        if (p->programs == NULL)
            p->n_programs = 0;
        if (p->cohorts == NULL)
            p->n_cohorts = 0;
        if (p->learners == NULL)
            p->n_learners = 0;
        if (p->pins == NULL)
            p->n_pins = 0;
        return;
    }

    parse_calendar(ld, cal);
    if (ld->oom)
        return;
    FOR_EACH_ENTITY(rooms, "rooms", parse_room);
    FOR_EACH_ENTITY(instr, "instructors", parse_instructor);
    FOR_EACH_ENTITY(progs, "programs", bs__parse_program);
    FOR_EACH_ENTITY(cohorts, "cohorts", parse_cohort);
    FOR_EACH_ENTITY(learners, "learners", parse_learner);
    parse_objective(ld, bs__member(root, "objective"));
    FOR_EACH_ENTITY(fixed, "fixed", parse_pin);
    check_duplicate_pins(ld);
}

/* ==== Entry points ==== */

static void free_raw_ivs(bs__raw_ivs *iv)
{
    free(iv->items);
}

static void ld_free(bs__ld *ld)
{
    bs_problem *p = ld->p;
    for (int k = 0; k < BS__N_KINDS; k++) {
        bs__strmap_free(&ld->ids[k]);
        free((void *)ld->idv[k]);
    }
    size_t n_programs = p ? p->n_programs : 0;
    for (size_t i = 0; ld->module_ids && i < n_programs; i++)
        bs__strmap_free(&ld->module_ids[i]);
    free(ld->module_ids);
    for (size_t i = 0; ld->module_idv && i < n_programs; i++)
        free((void *)ld->module_idv[i]);
    free((void *)ld->module_idv);
    free(ld->program_has_in_person);
    bs__strmap_free(&ld->site_map);
    bs__strmap_free(&ld->tag_map);
    bs__strmap_free(&ld->zone_map);
    for (size_t i = 0; i < ld->n_zones; i++) {
        free(ld->zones[i].name);
        bs_tz_destroy(&ld->zones[i].tz);
    }
    free(ld->zones);
    free(ld->holidays);
    for (size_t i = 0; ld->raw_rooms && i < p->n_rooms; i++)
        free_raw_ivs(&ld->raw_rooms[i].unavailable);
    free(ld->raw_rooms);
    for (size_t i = 0; ld->raw_instructors && i < p->n_instructors; i++) {
        free(ld->raw_instructors[i].available);
        free_raw_ivs(&ld->raw_instructors[i].unavailable);
    }
    free(ld->raw_instructors);
    for (size_t i = 0; ld->raw_cohorts && i < p->n_cohorts; i++)
        free_raw_ivs(&ld->raw_cohorts[i].unavailable);
    free(ld->raw_cohorts);
    for (size_t i = 0; ld->raw_learners && i < p->n_learners; i++)
        free_raw_ivs(&ld->raw_learners[i].unavailable);
    free(ld->raw_learners);
    free(ld->raw_pins);
    free((void *)ld->nonint);
}

void bs_messages_free(bs_messages *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->count; i++)
        free(m->items[i]);
    free(m->items);
    m->items = NULL;
    m->count = 0;
    m->dropped = 0;
}

/* data[len] is NUL. */
static bs_rc load_terminated(const char *name, const char *data, size_t len, bs_problem **out,
                             bs_messages *errors, bs_err *err)
{
    bs__ld ld;
    memset(&ld, 0, sizeof ld);
    ld.name = name;
    ld.msgs = errors;
    ld.p = bs_calloc(1, sizeof *ld.p);
    if (ld.p == NULL)
        return bs_err_set(err, BS_ENOMEM, "%s: out of memory", name);
    bs_sha256_hex(data, len, ld.p->input_sha256);
    ld.p->horizon_first_day = ld.p->horizon_last_day = -1;
    cJSON *root = NULL;
    bs_rc rc = bs__json_parse(&ld, data, len, &root);
    if (rc == BS_OK) {
        load_document(&ld, root);
        if (ld.n_errors == 0 && !ld.oom)
            rc = bs__input_build(&ld);
        if (rc == BS_OK && ld.oom)
            rc = BS_ENOMEM;
        if (rc == BS_OK && ld.n_errors > 0)
            rc = ld.tz_missing ? BS_EINTERNAL : BS_EINVAL;
    }
    cJSON_Delete(root);
    ld_free(&ld);
    if (rc == BS_ENOMEM)
        bs_err_set(err, rc, "%s: out of memory while loading", name);
    else if (rc == BS_EINTERNAL)
        bs_err_set(err, rc, "%s: internal error while loading", name);
    if (rc != BS_OK) {
        bs_problem_destroy(&ld.p);
        return rc;
    }
    *out = ld.p;
    return BS_OK;
}

bs_rc bs_input_load_buffer(const char *name, const char *data, size_t len, bs_problem **out,
                           bs_messages *errors, bs_err *err)
{
    if (errors != NULL)
        memset(errors, 0, sizeof *errors);
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return bs_err_set(err, BS_ENOMEM, "%s: out of memory", name);
    memcpy(copy, data, len);
    copy[len] = '\0';
    bs_rc rc = load_terminated(name, copy, len, out, errors, err);
    free(copy);
    return rc;
}

bs_rc bs_input_load_file(const char *path, size_t max_bytes, bs_problem **out, bs_messages *errors,
                         bs_err *err)
{
    if (errors != NULL)
        memset(errors, 0, sizeof *errors);
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    char *data = NULL;
    size_t len = 0;
    bs_err rerr = {BS_OK, ""};
    bs_rc rc = bs_read_file(path, max_bytes, &data, &len, &rerr);
    if (rc == BS_EINVAL) {
        /* Over the size limit: an input error, reported like the others. */
        char line[700];
        snprintf(line, sizeof line,
                 "%s: input larger than the limit of %zu MB (see --max-input-mb)", name,
                 max_bytes / (1024 * 1024));
        bs_messages tmp = {0};
        bs__ld ld;
        memset(&ld, 0, sizeof ld);
        ld.msgs = errors != NULL ? errors : &tmp;
        bs__msg_add(&ld, line);
        bs_messages_free(&tmp);
        return BS_EINVAL;
    }
    if (rc != BS_OK) {
        if (err != NULL)
            *err = rerr;
        return rc;
    }
    rc = load_terminated(name, data, len, out, errors, err);
    free(data);
    return rc;
}

bs_rc bs_input_parse_local_time(const bs_problem *p, const char *text, bs_time *out)
{
    int64_t day = 0;
    int minute = 0;
    if (text == NULL || bs__parse_datetime(text, &day, &minute) != 0)
        return BS_EINVAL;
    int64_t utc = 0;
    if (!bs_tz_local_to_utc(p->tz, day, minute, &utc))
        return BS_EINVAL; /* in a daylight-saving gap */
    *out = utc;
    return BS_OK;
}
