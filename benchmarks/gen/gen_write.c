/**
 * @file gen_write.c
 * @brief Output stage of `blendsched-gen`: the instance as blendsched/1
 *        JSON and the planted calendar as blendsched-calendar/1 JSON, both
 *        written with a fixed layout so equal options give equal bytes.
 */
#include "benchmarks/gen/gen.h"

#include <stdlib.h>
#include <string.h>

/* Weights written into the input's objective block; the planted
 * calendar's objective uses the same. */
enum {
    W_UNPLACED = 10000,
    W_INSTR = 50,
    W_ROOM = 20,
    W_PREF = 5,
    W_RHYTHM = 10,
    W_COST = 1,
    W_SPREAD = 5
};

/* ==== Pieces ==== */

static void put_date(bs_buf *b, int64_t days)
{
    int y, m, d;
    bs_civil_from_days(days, &y, &m, &d);
    bs_buf_printf(b, "\"%04d-%02d-%02d\"", y, m, d);
}

static void put_hm(bs_buf *b, int minute)
{
    bs_buf_printf(b, "\"%02d:%02d\"", minute / 60, minute % 60);
}

static void put_local_dt(bs_buf *b, int64_t days, int minute)
{
    if (minute >= 1440) {
        days += minute / 1440;
        minute %= 1440;
    }
    int y, m, d;
    bs_civil_from_days(days, &y, &m, &d);
    bs_buf_printf(b, "\"%04d-%02d-%02dT%02d:%02d\"", y, m, d, minute / 60, minute % 60);
}

static void put_days(bs_buf *b, unsigned mask)
{
    bs_buf_puts(b, "[");
    bool first = true;
    for (int d = 0; d < 7; d++) {
        if (mask & (1u << d)) {
            bs_buf_printf(b, "%s\"%s\"", first ? "" : ", ", bs__gen_weekday_names[d]);
            first = false;
        }
    }
    bs_buf_puts(b, "]");
}

static void put_tags(bs_buf *b, unsigned mask, const char *const *names, int n)
{
    bs_buf_puts(b, "[");
    bool first = true;
    for (int i = 0; i < n; i++) {
        if (mask & (1u << i)) {
            bs_buf_printf(b, "%s", first ? "" : ", ");
            bs_buf_json_string(b, names[i]);
            first = false;
        }
    }
    bs_buf_puts(b, "]");
}

static void put_unavail(bs_buf *b, const gen_unavail *u, int n)
{
    if (n == 0)
        return;
    bs_buf_puts(b, ", \"unavailable\": [");
    for (int i = 0; i < n; i++) {
        bs_buf_puts(b, i ? ", {\"from\": " : "{\"from\": ");
        if (u[i].whole_days) {
            put_date(b, u[i].d1);
            bs_buf_puts(b, ", \"to\": ");
            put_date(b, u[i].d2);
        } else {
            put_local_dt(b, u[i].d1, u[i].m1);
            bs_buf_puts(b, ", \"to\": ");
            put_local_dt(b, u[i].d2, u[i].m2);
        }
        bs_buf_puts(b, "}");
    }
    bs_buf_puts(b, "]");
}

static void put_window(bs_buf *b, const gen_window *w)
{
    bs_buf_puts(b, "{\"days\": ");
    put_days(b, w->days);
    bs_buf_puts(b, ", \"from\": ");
    put_hm(b, w->from);
    bs_buf_puts(b, ", \"to\": ");
    put_hm(b, w->to);
    bs_buf_puts(b, "}");
}

static const char *model_name(gen_model m)
{
    switch (m) {
    case GEN_ROTATION:
        return "rotation";
    case GEN_FLIPPED:
        return "flipped";
    case GEN_FLEX:
        return "flex";
    case GEN_ENRICHED:
        return "enriched-virtual";
    }
    return "flex";
}

/* ==== Input ==== */

static void put_calendar(const gen *g, bs_buf *b)
{
    bs_buf_puts(b, "  \"calendar\": {\"start\": ");
    put_date(b, g->day0);
    bs_buf_puts(b, ", \"end\": ");
    put_date(b, g->day0 + g->n_days - 1);
    bs_buf_printf(b, ", \"timezone\": \"%s\", \"slot_minutes\": %d,\n", bs__gen_zone_names[0],
                  GEN_SLOT);
    bs_buf_puts(b, "    \"workdays\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], "
                   "\"day_start\": \"09:00\", \"day_end\": \"17:00\",\n    \"holidays\": [");
    for (int i = 0; i < g->n_holidays; i++) {
        bs_buf_puts(b, i ? ", " : "");
        put_date(b, g->holidays[i]);
    }
    bs_buf_puts(b, "]},\n");
}

static void put_rooms(const gen *g, bs_buf *b)
{
    bs_buf_puts(b, "  \"rooms\": [");
    bool first = true;
    for (int i = 0; i < g->n_rooms; i++) {
        const gen_room *r = &g->rooms[i];
        if (r->removed)
            continue;
        bs_buf_puts(b, first ? "\n    {\"id\": " : ",\n    {\"id\": ");
        first = false;
        bs_buf_json_string(b, r->id);
        if (r->is_virtual)
            bs_buf_puts(b, ", \"virtual\": true");
        else
            bs_buf_printf(b, ", \"site\": \"%s\"", bs__gen_site_ids[r->site]);
        bs_buf_printf(b, ", \"capacity\": %d", r->capacity);
        if (r->features) {
            bs_buf_puts(b, ", \"features\": ");
            put_tags(b, r->features, bs__gen_feature_names, GEN_NFEATURES);
        }
        put_unavail(b, r->unavail, r->n_unavail);
        if (r->cost > 0)
            bs_buf_printf(b, ", \"cost_per_hour\": %d", r->cost);
        bs_buf_puts(b, "}");
    }
    bs_buf_puts(b, first ? "],\n" : "\n  ],\n");
}

static void put_instructors(const gen *g, bs_buf *b)
{
    bs_buf_puts(b, "  \"instructors\": [");
    bool first = true;
    for (int i = 0; i < g->n_instructors; i++) {
        const gen_instructor *in = &g->instructors[i];
        if (in->removed)
            continue;
        bs_buf_puts(b, first ? "\n    {\"id\": " : ",\n    {\"id\": ");
        first = false;
        bs_buf_json_string(b, in->id);
        bs_buf_puts(b, ", \"name\": ");
        bs_buf_json_string(b, in->name);
        bs_buf_puts(b, ", \"skills\": ");
        put_tags(b, in->skills, bs__gen_skill_names, GEN_NSKILLS);
        if (in->sites) {
            bs_buf_puts(b, ", \"sites\": ");
            put_tags(b, in->sites, bs__gen_site_ids, GEN_NSITES);
        }
        if (in->zone != 0)
            bs_buf_printf(b, ", \"timezone\": \"%s\"", bs__gen_zone_names[in->zone]);
        if (in->out_explicit) {
            bs_buf_puts(b, ", \"available\": [");
            for (int w = 0; w < in->n_out_win; w++) {
                bs_buf_puts(b, w ? ", " : "");
                put_window(b, &in->out_win[w]);
            }
            bs_buf_puts(b, "]");
        }
        put_unavail(b, in->unavail, in->n_unavail);
        if (in->max_day >= 0)
            bs_buf_printf(b, ", \"max_minutes_per_day\": %d", in->max_day);
        if (in->max_week >= 0)
            bs_buf_printf(b, ", \"max_minutes_per_week\": %d", in->max_week);
        if (in->cost > 0)
            bs_buf_printf(b, ", \"cost_per_hour\": %d", in->cost);
        bs_buf_puts(b, "}");
    }
    bs_buf_puts(b, first ? "],\n" : "\n  ],\n");
}

static void put_module_list(bs_buf *b, const gen_program *p, uint64_t mask)
{
    bs_buf_puts(b, "[");
    bool first = true;
    for (int m = 0; m < p->n_modules; m++) {
        if (mask & (1ULL << m)) {
            bs_buf_puts(b, first ? "" : ", ");
            bs_buf_json_string(b, p->modules[m].id);
            first = false;
        }
    }
    bs_buf_puts(b, "]");
}

static void put_programs(const gen *g, bs_buf *b)
{
    bs_buf_puts(b, "  \"programs\": [");
    for (int i = 0; i < g->n_programs; i++) {
        const gen_program *p = &g->programs[i];
        bs_buf_puts(b, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
        bs_buf_json_string(b, p->id);
        bs_buf_puts(b, ", \"name\": ");
        bs_buf_json_string(b, p->name);
        bs_buf_printf(b, ", \"model\": \"%s\"", model_name(p->model));
        if (p->model == GEN_ROTATION)
            bs_buf_printf(b, ", \"cadence_days\": %d", p->cadence);
        if (!p->ordered)
            bs_buf_puts(b, ", \"ordered\": false");
        bs_buf_puts(b, ",\n      \"modules\": [");
        for (int k = 0; k < p->n_modules; k++) {
            const gen_module *m = &p->modules[k];
            bs_buf_puts(b, k ? ",\n        {\"id\": " : "\n        {\"id\": ");
            bs_buf_json_string(b, m->id);
            bs_buf_puts(b, ", \"title\": ");
            bs_buf_json_string(b, m->title);
            if (!m->live) {
                bs_buf_printf(b, ", \"kind\": \"self_paced\", \"effort_minutes\": %d", m->effort);
            } else {
                bs_buf_printf(b, ", \"kind\": \"live\", \"mode\": \"%s\", \"duration_minutes\": %d",
                              m->in_person ? "in_person" : "virtual", m->duration);
                bs_buf_puts(b, ", \"skills\": ");
                put_tags(b, m->skills, bs__gen_skill_names, GEN_NSKILLS);
                if (m->n_instructors != 1)
                    bs_buf_printf(b, ", \"instructors\": %d", m->n_instructors);
                if (m->features) {
                    bs_buf_puts(b, ", \"room_features\": ");
                    put_tags(b, m->features, bs__gen_feature_names, GEN_NFEATURES);
                }
                if (m->has_window)
                    bs_buf_printf(b, ", \"window\": {\"from_day\": %d, \"to_day\": %d}", m->wfrom,
                                  m->wto);
                if (m->min_gap > 0)
                    bs_buf_printf(b, ", \"min_gap_days\": %d", m->min_gap);
                if (m->optional)
                    bs_buf_puts(b, ", \"optional\": true");
            }
            if (m->requires) {
                bs_buf_puts(b, ", \"requires\": ");
                put_module_list(b, p, m->requires);
            }
            bs_buf_puts(b, "}");
        }
        bs_buf_puts(b, "\n      ]}");
    }
    bs_buf_puts(b, "\n  ],\n");
}

static void put_cohorts(const gen *g, bs_buf *b)
{
    bs_buf_puts(b, "  \"cohorts\": [");
    for (int i = 0; i < g->n_cohorts; i++) {
        const gen_cohort *c = &g->cohorts[i];
        bs_buf_puts(b, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
        bs_buf_json_string(b, c->id);
        bs_buf_puts(b, ", \"program\": ");
        bs_buf_json_string(b, g->programs[c->program].id);
        bs_buf_puts(b, ", \"start\": ");
        put_date(b, g->day0 + c->start);
        bs_buf_puts(b, ", \"end\": ");
        put_date(b, g->day0 + c->end);
        if (c->site >= 0)
            bs_buf_printf(b, ", \"site\": \"%s\"", bs__gen_site_ids[c->site]);
        if (c->zone_explicit)
            bs_buf_printf(b, ", \"timezone\": \"%s\"", bs__gen_zone_names[c->zone]);
        if (c->n_learners > 0) {
            bs_buf_puts(b, ", \"learners\": [");
            for (int k = 0; k < c->n_learners; k++) {
                bs_buf_puts(b, k ? ", " : "");
                bs_buf_json_string(b, g->learners[c->learners[k]].id);
            }
            bs_buf_puts(b, "]");
        }
        bs_buf_printf(b, ", \"size\": %d", c->size);
        if (c->mpd_explicit)
            bs_buf_printf(b, ", \"self_paced_minutes_per_day\": %d", c->mpd);
        if (c->instructors != NULL) {
            bs_buf_puts(b, ", \"instructors\": [");
            for (int k = 0; k < c->n_instructors; k++) {
                bs_buf_puts(b, k ? ", " : "");
                bs_buf_json_string(b, g->instructors[c->instructors[k]].id);
            }
            bs_buf_puts(b, "]");
        }
        put_unavail(b, c->unavail, c->n_unavail);
        if (c->has_preferred) {
            bs_buf_puts(b, ", \"preferred\": ");
            put_window(b, &c->preferred);
        }
        if (c->priority > 1)
            bs_buf_printf(b, ", \"priority\": %d", c->priority);
        if (c->min_days > 0)
            bs_buf_printf(b, ", \"min_days\": %d", c->min_days);
        bs_buf_puts(b, "}");
    }
    bs_buf_puts(b, "\n  ],\n");
}

static void put_learners(const gen *g, bs_buf *b)
{
    bs_buf_puts(b, "  \"learners\": [");
    bool first = true;
    for (int i = 0; i < g->n_learners; i++) {
        const gen_learner *l = &g->learners[i];
        if (l->n_cohorts == 0)
            continue;
        bs_buf_puts(b, first ? "\n    {\"id\": " : ",\n    {\"id\": ");
        first = false;
        bs_buf_json_string(b, l->id);
        if (l->zone_explicit)
            bs_buf_printf(b, ", \"timezone\": \"%s\"", bs__gen_zone_names[l->zone]);
        if (l->hours_explicit) {
            bs_buf_puts(b, ", \"hours\": {\"from\": ");
            put_hm(b, l->hours_from);
            bs_buf_puts(b, ", \"to\": ");
            put_hm(b, l->hours_to);
            bs_buf_puts(b, "}");
        }
        put_unavail(b, l->unavail, l->n_unavail);
        if (l->n_completed > 0) {
            bs_buf_puts(b, ", \"completed\": [");
            bool f2 = true;
            for (int k = 0; k < l->n_completed; k++) {
                const gen_program *p = &g->programs[l->completed[k].program];
                for (int m = 0; m < p->n_modules; m++) {
                    if (!(l->completed[k].modules & (1ULL << m)))
                        continue;
                    bs_buf_printf(b, "%s\"%s/%s\"", f2 ? "" : ", ", p->id, p->modules[m].id);
                    f2 = false;
                }
            }
            bs_buf_puts(b, "]");
        }
        if (l->mpd > 0)
            bs_buf_printf(b, ", \"self_paced_minutes_per_day\": %d", l->mpd);
        bs_buf_puts(b, "}");
    }
    bs_buf_puts(b, first ? "],\n" : "\n  ],\n");
}

static void put_fixed(const gen *g, bs_buf *b)
{
    bs_buf_puts(b, "  \"fixed\": [");
    bool first = true;
    for (int i = 0; i < g->n_sessions; i++) {
        const gen_session *s = &g->sessions[i];
        if (!s->pinned)
            continue;
        const gen_cohort *c = &g->cohorts[s->cohort];
        bs_buf_puts(b, first ? "\n    {\"cohort\": " : ",\n    {\"cohort\": ");
        first = false;
        bs_buf_json_string(b, c->id);
        bs_buf_puts(b, ", \"module\": ");
        bs_buf_json_string(b, g->programs[c->program].modules[s->module].id);
        int64_t ld;
        int minute;
        bs__gen_utc_to_local(g, 0, s->start, &ld, &minute);
        bs_buf_puts(b, ", \"start\": ");
        put_local_dt(b, ld, minute);
        if (s->pin_room) {
            bs_buf_puts(b, ", \"room\": ");
            bs_buf_json_string(b, g->rooms[s->room].id);
        }
        if (s->pin_instructors) {
            bs_buf_puts(b, ", \"instructors\": [");
            for (int k = 0; k < s->n_instructors; k++) {
                bs_buf_puts(b, k ? ", " : "");
                bs_buf_json_string(b, g->instructors[s->instructors[k]].id);
            }
            bs_buf_puts(b, "]");
        }
        bs_buf_puts(b, "}");
    }
    bs_buf_puts(b, first ? "]\n" : "\n  ]\n");
}

bs_rc bs__gen_write_input(const gen *g, bs_buf *b, bs_err *err)
{
    bs_buf_puts(b, "{\n  \"format\": \"blendsched/1\",\n");
    bs_buf_printf(b,
                  "  \"x-generator\": {\"by\": \"%s\", \"cohorts\": %d, \"seed\": \"%llu\", "
                  "\"tightness\": \"%.6g\", \"planted_sessions\": %d},\n",
                  BS_GEN_VERSION, g->opts.cohorts, (unsigned long long)g->opts.seed,
                  g->opts.tightness, g->n_sessions);
    if (g->opts.threads_hint)
        bs_buf_printf(b, "  \"x-threads-hint\": %d,\n", g->n_clusters);
    put_calendar(g, b);
    put_rooms(g, b);
    put_instructors(g, b);
    put_programs(g, b);
    put_cohorts(g, b);
    put_learners(g, b);
    bs_buf_printf(b,
                  "  \"objective\": {\"unplaced\": %d, \"instructor_change\": %d, "
                  "\"room_change\": %d, \"outside_preferred\": %d, \"rhythm\": %d, "
                  "\"cost\": %d, \"spread\": %d, \"isolated\": 0},\n",
                  W_UNPLACED, W_INSTR, W_ROOM, W_PREF, W_RHYTHM, W_COST, W_SPREAD);
    put_fixed(g, b);
    bs_buf_puts(b, "}\n");
    if (b->failed)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    return BS_OK;
}

/* ==== Planted calendar ==== */

static void put_rfc3339(const gen *g, bs_buf *b, int64_t t)
{
    int off = bs_tz_offset_at(g->tz[0], t);
    int64_t ld;
    int minute;
    bs__gen_utc_to_local(g, 0, t, &ld, &minute);
    int y, m, d;
    bs_civil_from_days(ld, &y, &m, &d);
    int aoff = off < 0 ? -off : off;
    bs_buf_printf(b, "\"%04d-%02d-%02dT%02d:%02d:00%c%02d:%02d\"", y, m, d, minute / 60,
                  minute % 60, off < 0 ? '-' : '+', aoff / 60, aoff % 60);
}

/* ==== Objective of the plant ==== */

enum { T_UNPLACED, T_INSTR, T_ROOM, T_PREF, T_RHYTHM, T_COST, T_SPREAD, T_ISOLATED, T_N };
static const char *const TERM_NAMES[T_N] = {
    "unplaced", "instructor_change", "room_change", "outside_preferred", "rhythm", "cost",
    "spread",   "isolated"};

static bool inside_preferred(const gen *g, const gen_cohort *c, const gen_session *s)
{
    int64_t ld;
    int minute;
    bs__gen_utc_to_local(g, c->zone, s->start, &ld, &minute);
    int64_t a, b;
    return (c->preferred.days & (1u << bs_weekday_from_days(ld))) &&
           bs__gen_local_to_utc(g, c->zone, ld, c->preferred.from, &a) &&
           bs__gen_local_to_utc(g, c->zone, ld, c->preferred.to, &b) && a <= s->start &&
           s->end <= b;
}

/* Every weighted term of the planted calendar, by FORMAT.md's objective
 * table, so the plant's value is an upper bound a solver can be held to.
 * Costs are whole currency units per hour times multiples of 30 minutes,
 * hence multiples of 0.5 and exact in a double. */
static void plant_objective(const gen *g, double t[T_N])
{
    for (int i = 0; i < T_N; i++)
        t[i] = 0.0;
    for (int ci = 0; ci < g->n_cohorts; ci++) {
        const gen_cohort *c = &g->cohorts[ci];
        const gen_program *p = &g->programs[c->program];
        const gen_session *ss = &g->sessions[c->first_session];
        int largest = 0;
        for (int m = 0; m < p->n_modules; m++) {
            if (p->modules[m].live && p->modules[m].n_instructors > largest)
                largest = p->modules[m].n_instructors;
        }
        int ins[2 * GEN_MAX_MODULES], n_ins = 0, rooms[GEN_MAX_MODULES], n_rooms = 0;
        const gen_session *first = NULL;
        for (int k = 0; k < c->n_sessions; k++) {
            const gen_session *s = &ss[k];
            for (int j = 0; j < s->n_instructors; j++) {
                bool seen = false;
                for (int x = 0; x < n_ins; x++)
                    seen = seen || ins[x] == s->instructors[j];
                if (!seen)
                    ins[n_ins++] = s->instructors[j];
            }
            bool seen = s->room < 0;
            for (int x = 0; x < n_rooms && !seen; x++)
                seen = rooms[x] == s->room;
            if (!seen)
                rooms[n_rooms++] = s->room;
            if (c->has_preferred && !inside_preferred(g, c, s))
                t[T_PREF] += W_PREF;
            double per_hour = s->room >= 0 ? g->rooms[s->room].cost : 0;
            for (int j = 0; j < s->n_instructors; j++)
                per_hour += g->instructors[s->instructors[j]].cost;
            t[T_COST] += W_COST * per_hour * (double)(s->end - s->start) / 60.0;
            if (first == NULL || s->start < first->start)
                first = s;
        }
        if (n_ins > largest)
            t[T_INSTR] += W_INSTR * (n_ins - largest);
        if (n_rooms > 1)
            t[T_ROOM] += W_ROOM * (n_rooms - 1);
        /* Sessions of a cohort fall on distinct dates. */
        if (c->min_days > c->n_sessions)
            t[T_SPREAD] += W_SPREAD * (c->min_days - c->n_sessions);
        if (p->model == GEN_ROTATION && first != NULL) {
            int64_t d0;
            int m0;
            bs__gen_utc_to_local(g, 0, first->start, &d0, &m0);
            for (int k = 0; k < c->n_sessions; k++) {
                int64_t d;
                int m;
                bs__gen_utc_to_local(g, 0, ss[k].start, &d, &m);
                if (&ss[k] != first &&
                    (bs_weekday_from_days(d) != bs_weekday_from_days(d0) || m != m0))
                    t[T_RHYTHM] += W_RHYTHM;
            }
        }
    }
}

static void put_number(bs_buf *b, double v)
{
    if (v == (double)(int64_t)v)
        bs_buf_printf(b, "%lld", (long long)v);
    else
        bs_buf_printf(b, "%.1f", v);
}

static const gen *sort_gen; /* qsort has no context argument in C11 */

static int cmp_session(const void *pa, const void *pb)
{
    const gen_session *a = &sort_gen->sessions[*(const int *)pa];
    const gen_session *b = &sort_gen->sessions[*(const int *)pb];
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->cohort != b->cohort)
        return a->cohort < b->cohort ? -1 : 1; /* cohort ids are zero-padded in input order */
    const gen_program *p = &sort_gen->programs[sort_gen->cohorts[a->cohort].program];
    return strcmp(p->modules[a->module].id, p->modules[b->module].id);
}

bs_rc bs__gen_write_calendar(const gen *g, const char *input_sha256, bs_buf *b, bs_err *err)
{
    int *order = bs_calloc(g->n_sessions > 0 ? (size_t)g->n_sessions : 1, sizeof *order);
    if (order == NULL)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    for (int i = 0; i < g->n_sessions; i++)
        order[i] = i;
    sort_gen = g;
    qsort(order, (size_t)g->n_sessions, sizeof *order, cmp_session);
    sort_gen = NULL;
    bs_buf_printf(b,
                  "{\n  \"format\": \"blendsched-calendar/1\",\n  \"generated_by\": \"%s\",\n"
                  "  \"input_sha256\": \"%s\",\n  \"status\": \"complete\",\n"
                  "  \"objective\": {\"total\": ",
                  BS_GEN_VERSION, input_sha256);
    double terms[T_N], total = 0.0;
    plant_objective(g, terms);
    for (int i = 0; i < T_N; i++)
        total += terms[i];
    put_number(b, total);
    for (int i = 0; i < T_N; i++) {
        bs_buf_printf(b, ", \"%s\": ", TERM_NAMES[i]);
        put_number(b, terms[i]);
    }
    bs_buf_puts(b, "},\n  \"sessions\": [");
    for (int i = 0; i < g->n_sessions; i++) {
        const gen_session *s = &g->sessions[order[i]];
        const gen_cohort *c = &g->cohorts[s->cohort];
        bs_buf_puts(b, i ? ",\n    {\"cohort\": " : "\n    {\"cohort\": ");
        bs_buf_json_string(b, c->id);
        bs_buf_puts(b, ", \"module\": ");
        bs_buf_json_string(b, g->programs[c->program].modules[s->module].id);
        bs_buf_puts(b, ", \"start\": ");
        put_rfc3339(g, b, s->start);
        bs_buf_puts(b, ", \"end\": ");
        put_rfc3339(g, b, s->end);
        bs_buf_puts(b, ", \"room\": ");
        if (s->room >= 0)
            bs_buf_json_string(b, g->rooms[s->room].id);
        else
            bs_buf_puts(b, "null");
        bs_buf_puts(b, ", \"instructors\": [");
        for (int k = 0; k < s->n_instructors; k++) {
            bs_buf_puts(b, k ? ", " : "");
            bs_buf_json_string(b, g->instructors[s->instructors[k]].id);
        }
        bs_buf_puts(b, "]}");
    }
    bs_buf_puts(b, g->n_sessions ? "\n  ],\n  \"self_paced\": []\n}\n"
                                 : "],\n  \"self_paced\": []\n}\n");
    free(order);
    if (b->failed)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    return BS_OK;
}
