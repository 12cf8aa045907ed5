/**
 * @file domain.c
 * @brief Static candidate domains of every live session and the precedence
 *        relations inside each cohort, with the rule that empties a domain.
 *
 * Filtering here is exact for rules that involve one session alone (grid,
 * dates, windows, unavailability, qualification, rooms, START study days,
 * pins); relations between sessions become bs_precedence records that the
 * solver turns into rows and `verify` checks on its own.
 */
#include "model/domain.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *bs_reason_name(bs_reason r)
{
    switch (r) {
    case BS_REASON_NONE: return "NONE";
    case BS_REASON_NO_QUALIFIED_INSTRUCTOR: return "NO_QUALIFIED_INSTRUCTOR";
    case BS_REASON_NO_SUITABLE_ROOM: return "NO_SUITABLE_ROOM";
    case BS_REASON_NO_FEASIBLE_TIME: return "NO_FEASIBLE_TIME";
    case BS_REASON_RESOURCES_BUSY: return "RESOURCES_BUSY";
    case BS_REASON_SOLVER_LIMIT: return "SOLVER_LIMIT";
    case BS_REASON_PIN_BROKEN: return "PIN_BROKEN";
    }
    return "NONE";
}

bool bs_instructor_free_at(const bs_instructor *in, bs_time from, bs_time to)
{
    return bs_intervals_contain(&in->available, from, to) &&
           !bs_intervals_overlap(&in->unavailable, from, to);
}

bool bs_room_free_at(const bs_room *r, bs_time from, bs_time to)
{
    return !bs_intervals_overlap(&r->unavailable, from, to);
}

int bs_study_days_needed(int minutes, int per_day)
{
    if (minutes <= 0)
        return 0;
    if (per_day <= 0)
        return INT32_MAX;
    return (minutes + per_day - 1) / per_day;
}

/* ==== Module graph: self-paced work between live modules ==== */

/* Effective requires of module m: its own plus, with `ordered`, the live
 * module listed before it (for live modules). */
static int prev_live(const bs_program *pr, int m)
{
    if (!pr->ordered || !pr->modules[m].is_live)
        return -1;
    for (int k = m - 1; k >= 0; k--)
        if (pr->modules[k].is_live)
            return k;
    return -1;
}

/* Self-paced modules reachable from `from` through self-paced-only paths
 * (marks in `sp`), and live modules reached at the end of such paths
 * (marks in `live`). */
void bs_module_reach_selfpaced(const bs_program *pr, int from, bool *sp, bool *live)
{
    const bs_module *mo = &pr->modules[from];
    int pl = prev_live(pr, from);
    for (size_t r = 0; r <= mo->requires.count; r++) {
        int q = r < mo->requires.count ? mo->requires.items[r] : pl;
        if (q < 0)
            continue;
        if (pr->modules[q].is_live) {
            if (live)
                live[q] = true;
        } else if (!sp[q]) {
            sp[q] = true;
            bs_module_reach_selfpaced(pr, q, sp, live);
        }
    }
}

/* All live modules reachable from `from` through any path. */
static void reach_live(const bs_program *pr, int from, bool *seen, bool *live)
{
    const bs_module *mo = &pr->modules[from];
    int pl = prev_live(pr, from);
    for (size_t r = 0; r <= mo->requires.count; r++) {
        int q = r < mo->requires.count ? mo->requires.items[r] : pl;
        if (q < 0 || seen[q])
            continue;
        seen[q] = true;
        if (pr->modules[q].is_live)
            live[q] = true;
        reach_live(pr, q, seen, live);
    }
}

static bool learner_completed(const bs_learner *l, int program, int module)
{
    for (size_t i = 0; i < l->n_completed; i++)
        if (l->completed[i].program == program && l->completed[i].module == module)
            return true;
    return false;
}

/* Study days a cohort needs for the self-paced set `w`: the most any of its
 * learners needs (a cohort without learners is one learner). */
static int cohort_days_needed(const bs_problem *p, const bs_cohort *c, const bool *w)
{
    const bs_program *pr = &p->programs[c->program];
    size_t nl = c->learners.count;
    int worst = 0;
    for (size_t k = 0; k < (nl ? nl : 1); k++) {
        const bs_learner *l = nl ? &p->learners[c->learners.items[k]] : NULL;
        int minutes = 0;
        for (size_t m = 0; m < pr->n_modules; m++)
            if (w[m] && !(l && learner_completed(l, c->program, (int)m)))
                minutes += pr->modules[m].effort_minutes;
        int per_day = (l && l->self_paced_minutes_per_day >= 0) ? l->self_paced_minutes_per_day
                                                                 : c->self_paced_minutes_per_day;
        int need = bs_study_days_needed(minutes, per_day);
        if (need > worst)
            worst = need;
    }
    return worst;
}

/* ==== Building ==== */

typedef struct builder {
    const bs_problem *p;
    bs_domains *d;
    size_t cap_prec, cap_cad;
} builder;

static bs_rc push_prec(builder *b, bs_precedence pr)
{
    if (b->d->n_prec == b->cap_prec) {
        size_t cap = b->cap_prec ? 2 * b->cap_prec : 64;
        bs_precedence *g = bs_reallocarray(b->d->prec, cap, sizeof *g);
        if (g == NULL)
            return BS_ENOMEM;
        b->d->prec = g;
        b->cap_prec = cap;
    }
    b->d->prec[b->d->n_prec++] = pr;
    return BS_OK;
}

static bs_rc push_cadence(builder *b, int before, int after, int max_days)
{
    if (b->d->n_cadence == b->cap_cad) {
        size_t cap = b->cap_cad ? 2 * b->cap_cad : 64;
        struct bs_cadence *g = bs_reallocarray(b->d->cadence, cap, sizeof *g);
        if (g == NULL)
            return BS_ENOMEM;
        b->d->cadence = g;
        b->cap_cad = cap;
    }
    b->d->cadence[b->d->n_cadence++] = (struct bs_cadence){before, after, max_days};
    return BS_OK;
}

static bool has_all(const bs_ids *have, const bs_ids *need)
{
    for (size_t i = 0; i < need->count; i++)
        if (!bs_ids_contains(have, need->items[i]))
            return false;
    return true;
}

static char *fmt_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *fmt_msg(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return bs_strdup(buf);
}

static void date_str(const bs_problem *p, int day, char out[16])
{
    if (day < 0 || (size_t)day >= p->n_days) {
        snprintf(out, 16, "?");
        return;
    }
    snprintf(out, 16, "%04d-%02d-%02d", p->days[day].year % 10000, p->days[day].month % 100,
             p->days[day].mday % 100);
}

/* Qualified instructors and suitable rooms (no time involved). */
static bs_rc choose_people_and_rooms(const bs_problem *p, bs_session *s)
{
    const bs_cohort *c = &p->cohorts[s->cohort];
    const bs_module *mo = &p->programs[c->program].modules[s->module];
    s->instructors.items = bs_calloc(p->n_instructors, sizeof(int));
    s->rooms.items = bs_calloc(p->n_rooms, sizeof(int));
    if (!s->instructors.items || !s->rooms.items)
        return BS_ENOMEM;
    for (size_t i = 0; i < p->n_instructors; i++) {
        const bs_instructor *in = &p->instructors[i];
        if (!has_all(&in->skills, &mo->skills))
            continue;
        if (c->has_instructors && !bs_ids_contains(&c->instructors, (int)i))
            continue;
        if (s->in_person && !bs_ids_contains(&in->sites, c->site))
            continue;
        s->instructors.items[s->instructors.count++] = (int)i;
    }
    s->needs_room = s->in_person || p->has_virtual_rooms;
    for (size_t r = 0; s->needs_room && r < p->n_rooms; r++) {
        const bs_room *ro = &p->rooms[r];
        if (s->in_person ? (ro->is_virtual || ro->site != c->site) : !ro->is_virtual)
            continue;
        if (!p->weights.has_over_capacity && ro->capacity < c->size)
            continue;
        if (!has_all(&ro->features, &mo->room_features))
            continue;
        s->rooms.items[s->rooms.count++] = (int)r;
    }
    if ((int)s->instructors.count < s->n_instructors) {
        s->reason = BS_REASON_NO_QUALIFIED_INSTRUCTOR;
        char skills[256] = "";
        for (size_t k = 0; k < mo->skills.count; k++) {
            size_t used = strlen(skills);
            snprintf(skills + used, sizeof skills - used, "%s%s", k ? ", " : "",
                     p->tags[mo->skills.items[k]]);
        }
        s->message = fmt_msg(
            "%zu instructor(s) qualified, %d needed: skills [%s]%s%s%s", s->instructors.count,
            s->n_instructors, skills, s->in_person ? ", teaching in person at site " : "",
            s->in_person && c->site >= 0 ? p->sites[c->site] : "",
            c->has_instructors ? ", among the cohort's instructors" : "");
        return s->message ? BS_OK : BS_ENOMEM;
    }
    if (s->needs_room && s->rooms.count == 0) {
        s->reason = BS_REASON_NO_SUITABLE_ROOM;
        s->message =
            s->in_person
                ? fmt_msg("no room at site %s with capacity >= %d and the features required",
                          c->site >= 0 ? p->sites[c->site] : "?", c->size)
                : fmt_msg("no virtual room with capacity >= %d and the features required",
                          c->size);
        return s->message ? BS_OK : BS_ENOMEM;
    }
    return BS_OK;
}

/* Whether enough qualified instructors and one room are free at [t, e). */
static bool resources_free_at(const bs_problem *p, const bs_session *s, bs_time t, bs_time e)
{
    int n = 0;
    for (size_t k = 0; k < s->instructors.count && n < s->n_instructors; k++)
        n += bs_instructor_free_at(&p->instructors[s->instructors.items[k]], t, e);
    if (n < s->n_instructors)
        return false;
    if (!s->needs_room)
        return true;
    for (size_t k = 0; k < s->rooms.count; k++)
        if (bs_room_free_at(&p->rooms[s->rooms.items[k]], t, e))
            return true;
    return false;
}

/* A pin that leaves no start: name the rule its start (or, without one,
 * its room and instructors) breaks. `stage` counts the filters of
 * choose_slots that the pinned start passed, -1 when it is no grid slot. */
static bs_rc pin_broken_message(const bs_problem *p, bs_session *s, const bs_pin *pin,
                                int stage)
{
    static const char *const WHY[] = {
        "rule 1: the pinned start is outside the cohort's dates or the horizon (or before --now)",
        "rule 1: the pinned start is outside the module's window",
        "rule 2: the pinned start is outside the cohort's working window or in its unavailability",
        "rule 2: the pinned start is outside a learner's hours or in their unavailability",
        "rule 7: the pinned start leaves too few study days for the prework",
        "rule 1: the pinned start is not a slot of the grid",
        "rule 2: the pinned instructors or room are not available at the pinned start"};
    s->reason = BS_REASON_PIN_BROKEN;
    if (!pin->has_start)
        s->message = fmt_msg("rule 2: the pinned %s not available at any start the rules allow",
                             pin->has_room && pin->has_instructors ? "room and instructors are"
                             : pin->has_room                      ? "room is"
                                                                  : "instructors are");
    else if (stage < 0)
        s->message = fmt_msg("rule 1: the pinned start is not on the grid of a workday that is "
                             "no holiday in the horizon");
    else
        s->message = fmt_msg("%s", WHY[stage < 7 ? stage : 6]);
    (void)p;
    return s->message ? BS_OK : BS_ENOMEM;
}

/* The start slots for one session, filtered rule by rule; the first filter
 * that leaves nothing names the reason. */
static bs_rc choose_slots(const bs_problem *p, const bs_domains *d, bs_session *s,
                          int start_days_needed)
{
    const bs_cohort *c = &p->cohorts[s->cohort];
    const bs_module *mo = &p->programs[c->program].modules[s->module];
    s->slots = bs_calloc(p->n_slots, sizeof(int));
    if (s->slots == NULL)
        return BS_ENOMEM;
    enum { F_SPAN, F_WINDOW, F_COHORT, F_LEARNERS, F_STUDY, F_PIN, F_RESOURCES, F_N };
    size_t passed[F_N] = {0};
    const bs_pin *pin = s->pin >= 0 ? &p->pins[s->pin] : NULL;
    /* the filters the pinned start passed (-1: it is no slot of the grid) */
    int pin_stage = -1;
    /* --now: only a frozen session (pinned to its past start) starts before it */
    bs_time not_before = p->has_now && !(pin && pin->frozen) ? p->now : INT64_MIN;
    bs_time cohort_end = d->day_end[c->end_day];
    bs_time horizon_end = d->day_end[p->horizon_last_day];
    for (size_t k = 0; k < p->n_slots; k++) {
        const bs_slot *sl = &p->slots[k];
        bs_time t = sl->start, e = t + s->duration;
        bool at_pin = pin && pin->has_start && pin->start == t;
        if (at_pin)
            pin_stage = F_SPAN;
        if (sl->day < c->start_day || sl->day > c->end_day || e > cohort_end || e > horizon_end ||
            t < not_before)
            continue;
        passed[F_SPAN]++;
        pin_stage += at_pin;
        if (mo->has_window && (sl->day - c->start_day < mo->window_from_day ||
                               sl->day - c->start_day > mo->window_to_day))
            continue;
        passed[F_WINDOW]++;
        pin_stage += at_pin;
        if (!bs_intervals_contain(&c->window, t, e) || bs_intervals_overlap(&c->unavailable, t, e))
            continue;
        passed[F_COHORT]++;
        pin_stage += at_pin;
        bool ok = true;
        for (size_t l = 0; ok && l < c->learners.count; l++) {
            const bs_learner *le = &p->learners[c->learners.items[l]];
            ok = bs_intervals_contain(&le->hours, t, e) &&
                 !bs_intervals_overlap(&le->unavailable, t, e);
        }
        if (!ok)
            continue;
        passed[F_LEARNERS]++;
        pin_stage += at_pin;
        if (bs_problem_study_days(p, c->start_day, sl->day - 1) < start_days_needed)
            continue;
        passed[F_STUDY]++;
        pin_stage += at_pin;
        if (s->pin >= 0 && p->pins[s->pin].has_start && p->pins[s->pin].start != t)
            continue;
        passed[F_PIN]++;
        pin_stage += at_pin;
        if (!resources_free_at(p, s, t, e))
            continue;
        passed[F_RESOURCES]++;
        s->slots[s->n_slots++] = (int)k;
    }
    if (s->n_slots > 0)
        return BS_OK;
    if (pin && (pin->has_start || passed[F_PIN] > 0))
        return pin_broken_message(p, s, pin, pin_stage);
    char from[16], to[16];
    date_str(p, c->start_day, from);
    date_str(p, c->end_day, to);
    s->reason = BS_REASON_NO_FEASIBLE_TIME;
    if (passed[F_SPAN] == 0)
        s->message = fmt_msg("no workday slot between cohort start %s and end %s fits %d minutes",
                             from, to, s->duration);
    else if (passed[F_WINDOW] == 0)
        s->message = fmt_msg("no workday slot inside the module window (days %d..%d after %s)",
                             mo->window_from_day, mo->window_to_day, from);
    else if (passed[F_COHORT] == 0)
        s->message = fmt_msg("the cohort's working window and unavailability leave no slot");
    else if (passed[F_LEARNERS] == 0)
        s->message = fmt_msg("no slot lies inside every learner's hours and availability");
    else if (passed[F_STUDY] == 0) {
        s->message = fmt_msg("cohort window ends %s but prework needs %d study days after the "
                             "cohort start %s",
                             to, start_days_needed, from);
    } else if (passed[F_PIN] == 0) {
        s->reason = BS_REASON_PIN_BROKEN;
        s->message = fmt_msg("the pinned start breaks rule 1, 2 or 7 (grid, dates, windows, "
                             "availability or study days)");
    } else
        s->message = fmt_msg("no slot where %d qualified instructor(s) are available%s",
                             s->n_instructors,
                             s->needs_room ? " and a suitable room is open" : "");
    return s->message ? BS_OK : BS_ENOMEM;
}

/* Apply the room and instructor parts of a pin to the candidate lists. */
static bs_rc apply_pin(const bs_problem *p, bs_session *s)
{
    const bs_pin *pin = &p->pins[s->pin];
    if (pin->broken != NULL) {
        s->reason = BS_REASON_PIN_BROKEN;
        s->message = fmt_msg("%s", pin->broken);
        return s->message ? BS_OK : BS_ENOMEM;
    }
    if (pin->has_room) {
        bool ok = bs_ids_contains(&s->rooms, pin->room) ||
                  (!s->needs_room && pin->room < 0);
        if (!ok) {
            s->reason = BS_REASON_PIN_BROKEN;
            s->message = fmt_msg("rule 4: pinned room %s is not suitable (site, capacity, "
                                 "features or mode)",
                                 pin->room >= 0 ? p->rooms[pin->room].id : "null");
            return s->message ? BS_OK : BS_ENOMEM;
        }
        if (s->needs_room) {
            s->rooms.items[0] = pin->room;
            s->rooms.count = 1;
        }
    }
    if (pin->has_instructors) {
        bool ok = (int)pin->instructors.count == s->n_instructors;
        for (size_t k = 0; ok && k < pin->instructors.count; k++)
            ok = bs_ids_contains(&s->instructors, pin->instructors.items[k]);
        if (!ok) {
            s->reason = BS_REASON_PIN_BROKEN;
            s->message = fmt_msg("rule 3: pinned instructors are not %d qualified instructor(s) "
                                 "allowed for this cohort",
                                 s->n_instructors);
            return s->message ? BS_OK : BS_ENOMEM;
        }
        for (size_t k = 0; k < pin->instructors.count; k++)
            s->instructors.items[k] = pin->instructors.items[k];
        s->instructors.count = pin->instructors.count;
        /* keep ascending order */
        for (size_t a = 1; a < s->instructors.count; a++)
            for (size_t b = a; b > 0 && s->instructors.items[b - 1] > s->instructors.items[b]; b--) {
                int t = s->instructors.items[b];
                s->instructors.items[b] = s->instructors.items[b - 1];
                s->instructors.items[b - 1] = t;
            }
    }
    return BS_OK;
}

static bs_rc build_cohort(builder *b, size_t ci)
{
    const bs_problem *p = b->p;
    bs_domains *d = b->d;
    const bs_cohort *c = &p->cohorts[ci];
    const bs_program *pr = &p->programs[c->program];
    size_t first = d->cohort_first[ci];
    size_t nm = pr->n_modules;
    int *session_of = bs_calloc(nm, sizeof(int));
    bool *sp = bs_calloc(nm, sizeof(bool)), *live = bs_calloc(nm, sizeof(bool));
    bool *w = bs_calloc(nm, sizeof(bool)), *seen = bs_calloc(nm, sizeof(bool));
    bs_rc rc = (session_of && sp && live && w && seen) ? BS_OK : BS_ENOMEM;
    size_t k = first;
    for (size_t m = 0; rc == BS_OK && m < nm; m++) {
        session_of[m] = -1;
        if (pr->modules[m].is_live)
            session_of[m] = (int)k++;
    }
    int last_live = -1;
    for (size_t m = 0; rc == BS_OK && m < nm; m++) {
        const bs_module *mo = &pr->modules[m];
        if (!mo->is_live)
            continue;
        bs_session *s = &d->sessions[session_of[m]];
        s->cohort = (int)ci;
        s->module = (int)m;
        s->duration = mo->duration_minutes;
        s->in_person = mo->in_person;
        s->optional = mo->optional;
        s->n_instructors = mo->instructors;
        s->pin = -1;
        for (size_t q = 0; q < p->n_pins; q++)
            if (p->pins[q].cohort == (int)ci && p->pins[q].module == (int)m)
                s->pin = (int)q;
        /* START anchor: every self-paced module reachable through self-paced. */
        memset(sp, 0, nm * sizeof(bool));
        memset(live, 0, nm * sizeof(bool));
        bs_module_reach_selfpaced(pr, (int)m, sp, live);
        int start_need = cohort_days_needed(p, c, sp);
        /* Nearest live predecessors a: W(a, m) = self-paced of S_m reaching a. */
        for (size_t a = 0; rc == BS_OK && a < nm; a++) {
            if (!live[a])
                continue;
            for (size_t x = 0; x < nm; x++) {
                w[x] = false;
                if (!sp[x])
                    continue;
                bool *sp2 = seen, *live2 = bs_calloc(nm, sizeof(bool));
                if (live2 == NULL) {
                    rc = BS_ENOMEM;
                    break;
                }
                memset(sp2, 0, nm * sizeof(bool));
                bs_module_reach_selfpaced(pr, (int)x, sp2, live2);
                w[x] = live2[a];
                free(live2);
            }
            if (rc == BS_OK)
                rc = push_prec(b, (bs_precedence){session_of[a], session_of[m], true,
                                                  mo->min_gap_days, cohort_days_needed(p, c, w), -1,
                                                  false});
        }
        /* Other transitive live predecessors: order only. */
        memset(seen, 0, nm * sizeof(bool));
        bool *all_live = w;
        memset(all_live, 0, nm * sizeof(bool));
        reach_live(pr, (int)m, seen, all_live);
        for (size_t a = 0; rc == BS_OK && a < nm; a++)
            if (all_live[a] && !live[a] && a != m)
                rc = push_prec(b, (bs_precedence){session_of[a], session_of[m], true, 0, 0, -1,
                                                  false});
        /* Rotation: start dates of chronologically consecutive placed
         * sessions at most cadence_days apart. The engine keeps rotation
         * sessions in listed order (implicitly so when `ordered` is false:
         * a restriction, never a breach), so chronological order is module
         * order, and a pair (i, j) is consecutive exactly when every live
         * session listed between them is unplaced: one record per pair. */
        if (rc == BS_OK && pr->model == BS_ROTATION && last_live >= 0) {
            if (!pr->ordered)
                rc = push_prec(b, (bs_precedence){session_of[last_live], session_of[m], true, 0, 0,
                                                  -1, true});
            for (size_t a = 0; rc == BS_OK && a < m; a++)
                if (pr->modules[a].is_live)
                    rc = push_cadence(b, session_of[a], session_of[m], pr->cadence_days);
        }
        last_live = (int)m;
        if (rc == BS_OK)
            rc = choose_people_and_rooms(p, s);
        if (rc == BS_OK && s->reason == BS_REASON_NONE && s->pin >= 0)
            rc = apply_pin(p, s);
        if (rc == BS_OK && s->reason == BS_REASON_NONE)
            rc = choose_slots(p, d, s, start_need);
    }
    free(session_of);
    free(sp);
    free(live);
    free(w);
    free(seen);
    return rc;
}

/* Midnight after each day in the calendar zone. */
static bs_rc compute_day_ends(const bs_problem *p, bs_domains *d)
{
    d->day_end = bs_calloc(p->n_days, sizeof(bs_time));
    if (d->day_end == NULL)
        return BS_ENOMEM;
    for (size_t i = 0; i < p->n_days; i++) {
        if (i + 1 < p->n_days) {
            d->day_end[i] = p->days[i + 1].begin;
            continue;
        }
        const bs_day *day = &p->days[i];
        bs_time t;
        int64_t next = bs_days_from_civil(day->year, day->month, day->mday) + 1;
        d->day_end[i] = bs_tz_local_to_utc(p->tz, next, 0, &t) ? t : day->begin + 1440;
    }
    return BS_OK;
}

/* Order-only records of one cohort ([r0, r1)) that two others imply
 * through a live session in between. */
static void mark_implied(bs_domains *d, size_t r0, size_t r1)
{
    for (size_t r = r0; r < r1; r++) {
        bs_precedence *pr = &d->prec[r];
        pr->via = -1;
        if (!pr->order || pr->min_gap_days > 0 || pr->study_days > 0)
            continue;
        for (size_t x = r0; x < r1 && pr->via < 0; x++) {
            const bs_precedence *first = &d->prec[x];
            if (x == r || first->before != pr->before || !first->order)
                continue;
            for (size_t y = r0; y < r1; y++)
                if (y != r && d->prec[y].before == first->after && d->prec[y].after == pr->after &&
                    d->prec[y].order) {
                    pr->via = first->after;
                    break;
                }
        }
    }
}

bs_rc bs_domains_build(const bs_problem *p, bs_domains **out, bs_err *err)
{
    builder b = {p, bs_calloc(1, sizeof(bs_domains)), 0, 0};
    bs_domains *d = b.d;
    if (d == NULL)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    d->cohort_first = bs_calloc(p->n_cohorts + 1, sizeof(size_t));
    bs_rc rc = d->cohort_first ? BS_OK : BS_ENOMEM;
    for (size_t c = 0; rc == BS_OK && c < p->n_cohorts; c++) {
        const bs_program *pr = &p->programs[p->cohorts[c].program];
        size_t n = 0;
        for (size_t m = 0; m < pr->n_modules; m++)
            n += pr->modules[m].is_live;
        d->cohort_first[c + 1] = d->cohort_first[c] + n;
    }
    if (rc == BS_OK) {
        d->n_sessions = d->cohort_first[p->n_cohorts];
        d->sessions = bs_calloc(d->n_sessions, sizeof *d->sessions);
        rc = d->sessions ? compute_day_ends(p, d) : BS_ENOMEM;
    }
    if (rc == BS_OK) {
        d->prec_first = bs_calloc(p->n_cohorts + 1, sizeof(size_t));
        d->cadence_first = bs_calloc(p->n_cohorts + 1, sizeof(size_t));
        if (!d->prec_first || !d->cadence_first)
            rc = BS_ENOMEM;
    }
    for (size_t c = 0; rc == BS_OK && c < p->n_cohorts; c++) {
        d->prec_first[c] = d->n_prec;
        d->cadence_first[c] = d->n_cadence;
        rc = build_cohort(&b, c);
        if (rc == BS_OK)
            mark_implied(d, d->prec_first[c], d->n_prec);
    }
    if (rc == BS_OK) {
        d->prec_first[p->n_cohorts] = d->n_prec;
        d->cadence_first[p->n_cohorts] = d->n_cadence;
    }
    if (rc != BS_OK) {
        bs_domains_destroy(&d);
        return bs_err_set(err, rc, "out of memory building candidate domains");
    }
    *out = d;
    return BS_OK;
}

void bs_domains_destroy(bs_domains **pd)
{
    if (pd == NULL || *pd == NULL)
        return;
    bs_domains *d = *pd;
    for (size_t i = 0; d->sessions && i < d->n_sessions; i++) {
        free(d->sessions[i].instructors.items);
        free(d->sessions[i].rooms.items);
        free(d->sessions[i].slots);
        free(d->sessions[i].message);
    }
    free(d->sessions);
    free(d->cohort_first);
    free(d->prec);
    free(d->prec_first);
    free(d->cadence);
    free(d->cadence_first);
    free(d->day_end);
    free(d);
    *pd = NULL;
}
