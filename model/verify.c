/**
 * @file verify.c
 * @brief The independent checker of calendars: hard rules 1-7 of FORMAT.md
 *        and the pins, checked on the placed sessions of a calendar directly
 *        from the problem's raw entities.
 *
 * Independence is the point of this file: it must not share the solver's
 * reading of the rules, or a misreading would pass unnoticed. So it uses
 * only the loaded problem (model/problem.h) and recomputes everything the
 * solver precomputes in its domains: transitive and nearest live
 * predecessors, the self-paced work W(a, b) between live modules, study
 * days, rotation cadence in chronological order.
 *
 * Readings (FORMAT.md "Readings that make the rules exact") taken here:
 * - A session's date is its start's date in the calendar's zone; weekly
 *   limits use that date's ISO week.
 * - "Ends on or before c.end" is: ends by the midnight after c.end (calendar
 *   zone); likewise every session ends by the midnight after the horizon.
 * - Rule 7: study days are counted from the date on which `a` ends up to
 *   the day before `b`'s start date, both in the calendar zone. The date on
 *   which `a` ends is the date of its last minute (end - 1): an end at
 *   exactly midnight belongs to the date it closes, matching how rule 1
 *   reads "ends on or before c.end". Sessions never cross midnight inside a
 *   working window, so this is a's start date in practice.
 */
#include "model/verify.h"
#include "model/verify_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== The violation list ==== */

void bs_violations_free(bs_violations *v)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < v->count; i++) {
        free(v->items[i].message);
        free(v->items[i].sessions.items);
    }
    free(v->items);
    memset(v, 0, sizeof *v);
}

const char *bs_rule_label(int rule)
{
    static const char *const LABELS[] = {"unknown", "rule 1", "rule 2", "rule 3", "rule 4",
                                         "rule 5",  "rule 6", "rule 7", "pin",    "objective",
                                         "change"};
    return rule >= 1 && rule <= BS_RULE_CHANGE ? LABELS[rule] : LABELS[0];
}

static bs_rc violations_vadd(bs_violations *v, int rule, const int *sessions, size_t n,
                             const char *fmt, va_list ap)
{
    if (v->count >= BS_MAX_VIOLATIONS) {
        v->dropped++;
        return BS_OK;
    }
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        bs_violation *grown = bs_reallocarray(v->items, cap, sizeof *grown);
        if (grown == NULL)
            return BS_ENOMEM;
        v->items = grown;
        v->cap = cap;
    }
    va_list aq;
    va_copy(aq, ap);
    int len = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (len < 0)
        return BS_EINTERNAL;
    char *msg = malloc((size_t)len + 1);
    int *ids = bs_calloc(n, sizeof *ids);
    if (msg == NULL || ids == NULL) {
        free(msg);
        free(ids);
        return BS_ENOMEM;
    }
    vsnprintf(msg, (size_t)len + 1, fmt, ap);
    if (n > 0)
        memcpy(ids, sessions, n * sizeof *ids);
    bs_violation *it = &v->items[v->count++];
    it->rule = rule;
    it->message = msg;
    it->sessions.items = ids;
    it->sessions.count = n;
    return BS_OK;
}

bs_rc bs_violations_add(bs_violations *v, int rule, const int *sessions, size_t n, const char *fmt,
                        ...)
{
    va_list ap;
    va_start(ap, fmt);
    bs_rc rc = violations_vadd(v, rule, sessions, n, fmt, ap);
    va_end(ap);
    return rc;
}

/* ==== Context and small helpers ==== */

void bs__vreport(vctx *x, int rule, const int *sessions, size_t n, const char *fmt, ...)
{
    if (x->rc != BS_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    x->rc = violations_vadd(x->v, rule, sessions, n, fmt, ap);
    va_end(ap);
}

static const bs_cohort *cohort_of(const vctx *x, const bs_assignment *a)
{
    return &x->p->cohorts[a->cohort];
}

static const bs_program *program_of(const vctx *x, const bs_assignment *a)
{
    return &x->p->programs[x->p->cohorts[a->cohort].program];
}

static const bs_module *module_of(const vctx *x, const bs_assignment *a)
{
    return &program_of(x, a)->modules[a->module];
}

static int local_minute(const bs_problem *p, bs_time t)
{
    int64_t local = t + bs_tz_offset_at(p->tz, t);
    int64_t m = local % 1440;
    return (int)(m < 0 ? m + 1440 : m);
}

static void format_time(const bs_problem *p, bs_time t, char *buf, size_t size)
{
    bs_problem_format_time(p, t, buf, size);
}

/* The midnight (calendar zone) that ends day index d. */
static bs_time midnight_after(const bs_problem *p, int d)
{
    if (d + 1 < (int)p->n_days)
        return p->days[d + 1].begin;
    bs_time t;
    if (bs_tz_local_to_utc(p->tz, day_civil(&p->days[d]) + 1, 0, &t))
        return t;
    /* Midnight falls in a daylight-saving gap: the day then lasts until the
     * first instant of the next date, an hour later at most. */
    return p->days[d].begin + 24 * 60;
}

static const char *const WEEKDAYS[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                        "Friday", "Saturday", "Sunday"};

static bool placed_before(const bs_solution *s, int i, int j)
{
    const bs_assignment *a = &s->items[i], *b = &s->items[j];
    return a->start < b->start || (a->start == b->start && i < j);
}

/* Insertion sort would be quadratic on big calendars; a merge sort keeps
 * the order deterministic without qsort's global comparator context. */
void bs__vsort_by_start(const bs_solution *s, int *v, int *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    bs__vsort_by_start(s, v, tmp, h);
    bs__vsort_by_start(s, v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = placed_before(s, v[j], v[i]) ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

/* ==== Rule 1: time ==== */

static void check_time(vctx *x)
{
    const bs_problem *p = x->p;
    for (size_t k = 0; k < x->n_placed; k++) {
        int i = x->order[k];
        const bs_assignment *a = item(x, i);
        const bs_cohort *c = cohort_of(x, a);
        const bs_module *m = module_of(x, a);
        char st[40], en[40], dt[16];

        if (a->end != a->start + m->duration_minutes)
            bs__vreport(x, 1, &i, 1, "ends at %s, not %d minutes after its start %s",
                   time_text(p, a->end, en), m->duration_minutes, time_text(p, a->start, st));

        size_t slot = bs_problem_slot_at_or_after(p, a->start);
        bool on_grid = slot < p->n_slots && p->slots[slot].start == a->start;
        int d = bs_problem_day_of(p, a->start);
        if (!on_grid || m->has_window)
            format_date(local_date(p, a->start), dt, sizeof dt);
        if (!on_grid) {
            if (d < 0 || !p->days[d].in_horizon)
                bs__vreport(x, 1, &i, 1, "starts at %s, outside the planning horizon",
                       time_text(p, a->start, st));
            else if (!p->workdays[p->days[d].weekday])
                bs__vreport(x, 1, &i, 1, "starts at %s, on a %s, which is not a workday",
                       time_text(p, a->start, st), WEEKDAYS[p->days[d].weekday]);
            else if (!p->days[d].is_workday)
                bs__vreport(x, 1, &i, 1, "starts at %s, on holiday %s", time_text(p, a->start, st), dt);
            else if (local_minute(p, a->start) % p->slot_minutes != 0)
                bs__vreport(x, 1, &i, 1, "starts at %s, off the %d-minute grid",
                       time_text(p, a->start, st), p->slot_minutes);
            else
                bs__vreport(x, 1, &i, 1, "starts at %s, which is not a start on the slot grid",
                       time_text(p, a->start, st));
        }

        char cd[16];
        if (a->start < p->days[c->start_day].begin) {
            format_date(day_civil(&p->days[c->start_day]), cd, sizeof cd);
            bs__vreport(x, 1, &i, 1, "starts at %s, before the cohort's start %s",
                   time_text(p, a->start, st), cd);
        }
        if (a->end > midnight_after(p, c->end_day)) {
            format_date(day_civil(&p->days[c->end_day]), cd, sizeof cd);
            bs__vreport(x, 1, &i, 1, "ends at %s, after the cohort's end %s", time_text(p, a->end, en),
                   cd);
        }
        if (p->horizon_last_day >= 0 && a->end > midnight_after(p, p->horizon_last_day))
            bs__vreport(x, 1, &i, 1, "ends at %s, after the planning horizon", time_text(p, a->end, en));

        if (m->has_window) {
            int64_t off = local_date(p, a->start) - day_civil(&p->days[c->start_day]);
            if (off < m->window_from_day || off > m->window_to_day)
                bs__vreport(x, 1, &i, 1,
                       "takes place on %s, day %lld of the cohort, outside the module's "
                       "window (days %d to %d)",
                       dt, (long long)off, m->window_from_day, m->window_to_day);
        }
    }
}

/* ==== Rule 2: participants' windows ==== */

static void check_windows(vctx *x)
{
    const bs_problem *p = x->p;
    for (size_t k = 0; k < x->n_placed; k++) {
        int i = x->order[k];
        const bs_assignment *a = item(x, i);
        const bs_cohort *c = cohort_of(x, a);
        char st[40], en[40];

        if (!bs_intervals_contain(&c->window, a->start, a->end))
            bs__vreport(x, 2, &i, 1, "%s to %s lies outside the working window of cohort \"%s\"",
                   time_text(p, a->start, st), time_text(p, a->end, en), c->id);
        if (bs_intervals_overlap(&c->unavailable, a->start, a->end))
            bs__vreport(x, 2, &i, 1, "%s to %s overlaps an unavailable interval of cohort \"%s\"",
                   time_text(p, a->start, st), time_text(p, a->end, en), c->id);
        for (size_t j = 0; j < c->learners.count; j++) {
            const bs_learner *l = &p->learners[c->learners.items[j]];
            if (!bs_intervals_contain(&l->hours, a->start, a->end))
                bs__vreport(x, 2, &i, 1, "%s to %s lies outside the hours of learner \"%s\"",
                       time_text(p, a->start, st), time_text(p, a->end, en), l->id);
            if (bs_intervals_overlap(&l->unavailable, a->start, a->end))
                bs__vreport(x, 2, &i, 1, "%s to %s overlaps an unavailable interval of learner \"%s\"",
                       time_text(p, a->start, st), time_text(p, a->end, en), l->id);
        }
        for (size_t j = 0; j < a->instructors.count; j++) {
            const bs_instructor *in = &p->instructors[a->instructors.items[j]];
            if (!bs_intervals_contain(&in->available, a->start, a->end))
                bs__vreport(x, 2, &i, 1,
                       "%s to %s does not lie inside one available window of instructor \"%s\"",
                       time_text(p, a->start, st), time_text(p, a->end, en), in->id);
            if (bs_intervals_overlap(&in->unavailable, a->start, a->end))
                bs__vreport(x, 2, &i, 1,
                       "%s to %s overlaps an unavailable interval of instructor \"%s\"",
                       time_text(p, a->start, st), time_text(p, a->end, en), in->id);
        }
        if (a->room >= 0 && bs_intervals_overlap(&p->rooms[a->room].unavailable, a->start, a->end))
            bs__vreport(x, 2, &i, 1, "%s to %s overlaps an unavailable interval of room \"%s\"",
                   time_text(p, a->start, st), time_text(p, a->end, en), p->rooms[a->room].id);
    }
}

/* ==== Overlapping pairs (rules 3, 4, 5) ==== */

/* Learners two cohorts share, as text ("l1", "l2"), or an empty string. */
static void shared_learners(const bs_problem *p, const bs_cohort *c1, const bs_cohort *c2,
                            char *buf, size_t size)
{
    size_t len = 0, n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c1->learners.count; i++) {
        int l = c1->learners.items[i];
        if (!bs_ids_contains(&c2->learners, l))
            continue;
        if (n++ < 4 && len < size) {
            int w =
                snprintf(buf + len, size - len, "%s\"%s\"", n > 1 ? ", " : "", p->learners[l].id);
            len += w > 0 ? (size_t)w : 0;
        }
    }
    if (n > 4 && len < size)
        snprintf(buf + len, size - len, " and %zu more", n - 4);
}

static const char *start_text(const bs_problem *p, const bs_assignment *a, char *buf, size_t size)
{
    format_time(p, a->start, buf, size);
    return buf;
}

static bool is_peer(const vctx *x, int c1, int c2)
{
    return bs_ids_find_sorted(&x->peers[c1], c2) >= 0;
}

/* Reports, for one rule, every overlapping pair of placed sessions that
 * breaks it. A sweep over sessions sorted by start visits each overlapping
 * pair once: j starts before i ends. Most overlapping pairs break nothing,
 * so the cheap tests come first and text is formatted only to report. */
static void check_overlaps(vctx *x, int rule)
{
    const bs_problem *p = x->p;
    char st[40];
    for (size_t k = 0; k < x->n_placed && x->rc == BS_OK; k++) {
        int i = x->order[k];
        const bs_assignment *a = item(x, i);
        for (size_t q = k + 1; q < x->n_placed && item(x, x->order[q])->start < a->end; q++) {
            int j = x->order[q];
            const bs_assignment *b = item(x, j);
            if (b->end <= b->start)
                continue; /* an empty session overlaps nothing (rule 1 flags it) */
            int pair[2] = {i, j};
            if (rule == 3) {
                for (size_t u = 0; u < a->instructors.count; u++)
                    if (bs_ids_contains(&b->instructors, a->instructors.items[u]))
                        bs__vreport(x, 3, pair, 2,
                               "instructor \"%s\" teaches two overlapping sessions (from %s)",
                               p->instructors[a->instructors.items[u]].id,
                               start_text(p, b, st, sizeof st));
            } else if (rule == 4) {
                if (a->room >= 0 && a->room == b->room)
                    bs__vreport(x, 4, pair, 2, "room \"%s\" holds two overlapping sessions (from %s)",
                           p->rooms[a->room].id, start_text(p, b, st, sizeof st));
            } else if (rule == 5) {
                if (a->cohort == b->cohort) {
                    bs__vreport(x, 5, pair, 2, "two sessions of cohort \"%s\" overlap (from %s)",
                           cohort_of(x, a)->id, start_text(p, b, st, sizeof st));
                } else if (is_peer(x, a->cohort, b->cohort)) {
                    char names[300];
                    shared_learners(p, cohort_of(x, a), cohort_of(x, b), names, sizeof names);
                    bs__vreport(x, 5, pair, 2, "learner(s) %s attend two overlapping sessions (from %s)",
                           names, start_text(p, b, st, sizeof st));
                }
            }
        }
    }
}

/* ==== Rule 3: instructors ==== */

typedef struct teach {
    int instructor;
    int64_t date; /* start date, calendar zone */
    int item;
} teach;

static int teach_cmp(const void *l, const void *r)
{
    const teach *a = l, *b = r;
    if (a->instructor != b->instructor)
        return a->instructor < b->instructor ? -1 : 1;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    return (a->item > b->item) - (a->item < b->item);
}

static void check_instructors(vctx *x)
{
    const bs_problem *p = x->p;
    size_t n_teach = 0;
    for (size_t k = 0; k < x->n_placed; k++) {
        int i = x->order[k];
        const bs_assignment *a = item(x, i);
        const bs_cohort *c = cohort_of(x, a);
        const bs_module *m = module_of(x, a);
        n_teach += a->instructors.count;
        if (a->instructors.count != (size_t)m->instructors)
            bs__vreport(x, 3, &i, 1, "taught by %zu instructor(s), the module needs %d",
                   a->instructors.count, m->instructors);
        for (size_t j = 0; j < a->instructors.count; j++) {
            const bs_instructor *in = &p->instructors[a->instructors.items[j]];
            for (size_t t = 0; t < m->skills.count; t++)
                if (!bs_ids_contains(&in->skills, m->skills.items[t]))
                    bs__vreport(x, 3, &i, 1, "instructor \"%s\" lacks skill \"%s\"", in->id,
                           p->tags[m->skills.items[t]]);
            if (c->has_instructors && !bs_ids_contains(&c->instructors, a->instructors.items[j]))
                bs__vreport(x, 3, &i, 1,
                       "instructor \"%s\" is not among the instructors of cohort \"%s\"", in->id,
                       c->id);
            if (m->in_person && !bs_ids_contains(&in->sites, c->site))
                bs__vreport(x, 3, &i, 1, "instructor \"%s\" does not teach in person at site \"%s\"",
                       in->id, c->site >= 0 ? p->sites[c->site] : "(none)");
        }
    }

    check_overlaps(x, 3);

    /* Per instructor and date: sites of in-person sessions and minutes; per
     * ISO week: minutes. Sorted by instructor then date, so each date and
     * each week is one run. */
    teach *t = bs_calloc(n_teach, sizeof *t);
    int *ids = bs_calloc(n_teach, sizeof *ids);
    if (t == NULL || ids == NULL) {
        free(t);
        free(ids);
        if (x->rc == BS_OK)
            x->rc = BS_ENOMEM;
        return;
    }
    size_t n = 0;
    for (size_t k = 0; k < x->n_placed; k++) {
        const bs_assignment *a = item(x, x->order[k]);
        for (size_t j = 0; j < a->instructors.count; j++)
            t[n++] = (teach){a->instructors.items[j], local_date(p, a->start), x->order[k]};
    }
    qsort(t, n, sizeof *t, teach_cmp);
    for (size_t lo = 0; lo < n;) {
        const bs_instructor *in = &p->instructors[t[lo].instructor];
        size_t hi = lo;
        while (hi < n && t[hi].instructor == t[lo].instructor && t[hi].date == t[lo].date)
            hi++;
        char dt[16];
        format_date(t[lo].date, dt, sizeof dt);
        /* Sites taught in person that date. */
        int site = -1;
        bool two_sites = false;
        long minutes = 0;
        size_t n_ids = 0;
        for (size_t u = lo; u < hi; u++) {
            const bs_assignment *a = item(x, t[u].item);
            minutes += module_of(x, a)->duration_minutes;
            ids[n_ids++] = t[u].item;
            if (module_of(x, a)->in_person) {
                int s = cohort_of(x, a)->site;
                if (site < 0)
                    site = s;
                else if (s != site)
                    two_sites = true;
            }
        }
        if (two_sites)
            bs__vreport(x, 3, ids, n_ids, "instructor \"%s\" teaches in person at two sites on %s",
                   in->id, dt);
        if (in->max_minutes_per_day >= 0 && minutes > in->max_minutes_per_day)
            bs__vreport(x, 3, ids, n_ids,
                   "instructor \"%s\" teaches %ld minutes on %s, more than their %d a day", in->id,
                   minutes, dt, in->max_minutes_per_day);
        lo = hi;
    }
    for (size_t lo = 0; lo < n;) {
        const bs_instructor *in = &p->instructors[t[lo].instructor];
        int week = bs_iso_week_from_days(t[lo].date);
        size_t hi = lo;
        long minutes = 0;
        size_t n_ids = 0;
        while (hi < n && t[hi].instructor == t[lo].instructor &&
               bs_iso_week_from_days(t[hi].date) == week) {
            minutes += module_of(x, item(x, t[hi].item))->duration_minutes;
            ids[n_ids++] = t[hi].item;
            hi++;
        }
        if (in->max_minutes_per_week >= 0 && minutes > in->max_minutes_per_week)
            bs__vreport(x, 3, ids, n_ids,
                   "instructor \"%s\" teaches %ld minutes in ISO week %d-W%02d, more than their "
                   "%d a week",
                   in->id, minutes, week / 100, week % 100, in->max_minutes_per_week);
        lo = hi;
    }
    free(t);
    free(ids);
}

/* ==== Rule 4: rooms ==== */

static void check_rooms(vctx *x)
{
    const bs_problem *p = x->p;
    for (size_t k = 0; k < x->n_placed; k++) {
        int i = x->order[k];
        const bs_assignment *a = item(x, i);
        const bs_cohort *c = cohort_of(x, a);
        const bs_module *m = module_of(x, a);
        const bs_room *r = a->room >= 0 ? &p->rooms[a->room] : NULL;
        if (m->in_person) {
            if (r == NULL)
                bs__vreport(x, 4, &i, 1, "in-person session has no room");
            else if (r->is_virtual)
                bs__vreport(x, 4, &i, 1, "in-person session in virtual room \"%s\"", r->id);
            else if (r->site != c->site)
                bs__vreport(x, 4, &i, 1,
                       "room \"%s\" is at site \"%s\", not at the cohort's site \"%s\"", r->id,
                       r->site >= 0 ? p->sites[r->site] : "(none)",
                       c->site >= 0 ? p->sites[c->site] : "(none)");
        } else if (p->has_virtual_rooms) {
            if (r == NULL)
                bs__vreport(x, 4, &i, 1, "virtual session has no virtual room");
            else if (!r->is_virtual)
                bs__vreport(x, 4, &i, 1, "virtual session in physical room \"%s\"", r->id);
        } else if (r != NULL) {
            bs__vreport(x, 4, &i, 1,
                   "virtual session has room \"%s\", but the input has no virtual rooms "
                   "(room must be null)",
                   r->id);
        }
        if (r == NULL)
            continue;
        if (!p->weights.has_over_capacity && r->capacity < c->size)
            bs__vreport(x, 4, &i, 1, "room \"%s\" seats %d, cohort \"%s\" has %d", r->id, r->capacity,
                   c->id, c->size);
        /* A virtual module's room_features apply only when the input has
         * virtual rooms (FORMAT.md readings). */
        if (m->in_person || p->has_virtual_rooms)
            for (size_t f = 0; f < m->room_features.count; f++)
                if (!bs_ids_contains(&r->features, m->room_features.items[f]))
                    bs__vreport(x, 4, &i, 1, "room \"%s\" lacks feature \"%s\"", r->id,
                           p->tags[m->room_features.items[f]]);
    }
    check_overlaps(x, 4);
}

/* ==== Pins ==== */

static void check_pins(vctx *x)
{
    const bs_problem *p = x->p;
    for (size_t k = 0; k < p->n_pins; k++) {
        const bs_pin *pin = &p->pins[k];
        int i = bs_solution_find(x->s, pin->cohort, pin->module);
        if (i < 0 || !item(x, i)->placed)
            continue; /* a pin that cannot hold leaves the session unplaced */
        const bs_assignment *a = item(x, i);
        if (pin->has_start && a->start != pin->start) {
            char st[40], pt[40];
            format_time(p, a->start, st, sizeof st);
            format_time(p, pin->start, pt, sizeof pt);
            bs__vreport(x, BS_RULE_PIN, &i, 1, "starts at %s, but is pinned to start at %s", st, pt);
        }
        if (pin->has_room && a->room != pin->room)
            bs__vreport(x, BS_RULE_PIN, &i, 1, "is in room %s%s%s, but is pinned to room \"%s\"",
                   a->room >= 0 ? "\"" : "", a->room >= 0 ? p->rooms[a->room].id : "null",
                   a->room >= 0 ? "\"" : "", p->rooms[pin->room].id);
        if (pin->has_instructors) {
            bool same = a->instructors.count == pin->instructors.count;
            for (size_t j = 0; same && j < a->instructors.count; j++)
                same = bs_ids_contains(&pin->instructors, a->instructors.items[j]);
            if (!same)
                bs__vreport(x, BS_RULE_PIN, &i, 1, "is not taught by exactly its pinned instructors");
        }
    }
}

/* ==== Entry point ==== */

static int int_cmp(const void *l, const void *r)
{
    int a = *(const int *)l, b = *(const int *)r;
    return (a > b) - (a < b);
}

/* For each cohort, the other cohorts that list one of its learners. */
static bs_rc build_peers(const bs_problem *p, bs_ids **out)
{
    bs_ids *peers = bs_calloc(p->n_cohorts, sizeof *peers);
    size_t *cap = bs_calloc(p->n_cohorts, sizeof *cap);
    bs_rc rc = peers != NULL && cap != NULL ? BS_OK : BS_ENOMEM;
    for (size_t l = 0; l < p->n_learners && rc == BS_OK; l++) {
        const bs_ids *cs = &p->learners[l].cohorts;
        for (size_t u = 0; u < cs->count && rc == BS_OK; u++)
            for (size_t v = 0; v < cs->count && rc == BS_OK; v++) {
                int a = cs->items[u], b = cs->items[v];
                if (a == b || a < 0 || b < 0 || (size_t)a >= p->n_cohorts ||
                    (size_t)b >= p->n_cohorts)
                    continue;
                bs_ids *list = &peers[a];
                if (list->count == cap[a]) {
                    size_t grown_cap = cap[a] ? cap[a] * 2 : 4;
                    int *grown = bs_reallocarray(list->items, grown_cap, sizeof *grown);
                    if (grown == NULL) {
                        rc = BS_ENOMEM;
                        break;
                    }
                    list->items = grown;
                    cap[a] = grown_cap;
                }
                list->items[list->count++] = b;
            }
    }
    for (size_t c = 0; c < p->n_cohorts && rc == BS_OK; c++) {
        bs_ids *list = &peers[c];
        if (list->count < 2)
            continue; /* qsort may not be handed a NULL list, even empty */
        qsort(list->items, list->count, sizeof *list->items, int_cmp);
        size_t n = 0;
        for (size_t k = 0; k < list->count; k++)
            if (n == 0 || list->items[n - 1] != list->items[k])
                list->items[n++] = list->items[k];
        list->count = n;
    }
    free(cap);
    if (rc != BS_OK) {
        for (size_t c = 0; peers != NULL && c < p->n_cohorts; c++)
            free(peers[c].items);
        free(peers);
        return rc;
    }
    *out = peers;
    return BS_OK;
}

static bool solution_fits(const bs_problem *p, const bs_solution *s)
{
    for (size_t i = 0; i < s->count; i++) {
        const bs_assignment *a = &s->items[i];
        if (a->cohort < 0 || (size_t)a->cohort >= p->n_cohorts)
            return false;
        const bs_program *pr = &p->programs[p->cohorts[a->cohort].program];
        if (a->module < 0 || (size_t)a->module >= pr->n_modules || !pr->modules[a->module].is_live)
            return false;
        if (a->room < -1 || (a->room >= 0 && (size_t)a->room >= p->n_rooms))
            return false;
        for (size_t k = 0; k < a->instructors.count; k++)
            if (a->instructors.items[k] < 0 || (size_t)a->instructors.items[k] >= p->n_instructors)
                return false;
    }
    return true;
}

bs_rc bs_verify(const bs_problem *p, const bs_solution *s, bs_violations *out)
{
    if (!solution_fits(p, s))
        return BS_EINVAL;
    bs_violations v;
    memset(&v, 0, sizeof v);
    vctx x = {.p = p, .s = s, .v = &v, .rc = BS_OK};
    graph *graphs = bs_calloc(p->n_programs, sizeof *graphs);
    int *tmp = bs_calloc(s->count, sizeof *tmp);
    x.order = bs_calloc(s->count, sizeof *x.order);
    x.first = bs_calloc(p->n_cohorts + 1, sizeof *x.first);
    x.byc = bs_calloc(s->count, sizeof *x.byc);
    if (graphs == NULL || tmp == NULL || x.order == NULL || x.first == NULL || x.byc == NULL)
        x.rc = BS_ENOMEM;
    for (size_t i = 0; i < p->n_programs && x.rc == BS_OK; i++)
        x.rc = bs__vgraph_build(&p->programs[i], &graphs[i]);
    if (x.rc == BS_OK)
        x.rc = build_peers(p, &x.peers);

    if (x.rc == BS_OK) {
        for (size_t i = 0; i < s->count; i++) {
            if (!s->items[i].placed)
                continue;
            x.order[x.n_placed++] = (int)i;
            x.first[s->items[i].cohort + 1]++;
        }
        bs__vsort_by_start(s, x.order, tmp, x.n_placed);
        for (size_t c = 0; c < p->n_cohorts; c++)
            x.first[c + 1] += x.first[c];
        size_t *fill = bs_calloc(p->n_cohorts + 1, sizeof *fill);
        if (fill == NULL) {
            x.rc = BS_ENOMEM;
        } else {
            memcpy(fill, x.first, (p->n_cohorts + 1) * sizeof *fill);
            for (size_t i = 0; i < s->count; i++)
                if (s->items[i].placed)
                    x.byc[fill[s->items[i].cohort]++] = (int)i;
            free(fill);
        }
    }

    if (x.rc == BS_OK) {
        check_time(&x);
        check_windows(&x);
        check_instructors(&x);
        check_rooms(&x);
        check_overlaps(&x, 5);
        bs__vcheck_order(&x, graphs);
        bs__vcheck_prework_all(&x, graphs);
        check_pins(&x);
    }

    for (size_t i = 0; graphs != NULL && i < p->n_programs; i++)
        bs__vgraph_free(&graphs[i]);
    free(graphs);
    free(tmp);
    free(x.order);
    free(x.first);
    free(x.byc);
    for (size_t c = 0; x.peers != NULL && c < p->n_cohorts; c++)
        free(x.peers[c].items);
    free(x.peers);
    if (x.rc != BS_OK) {
        bs_violations_free(&v);
        return x.rc;
    }
    *out = v;
    return BS_OK;
}
