/**
 * @file blame.c
 * @brief Who blocks whom: the cohorts an improvement or repair sub-MIP
 *        re-places together with its target (solver/batch.c), scored by
 *        the resources, minutes, sites and learners they take from the
 *        target's candidate starts, or chosen to free one start.
 */
#include <stdlib.h>
#include <string.h>

#include "solver/blame.h"
#include "solver/formulation.h"

#define PRICE_BLOCKERS 1 /* improvement: cohorts re-placed with one competing on price */

static void blame(bs__blockers *b, const bs_solution *sol, int session, int self)
{
    if (session < 0)
        return;
    int hc = sol->items[session].cohort;
    if (hc == self)
        return;
    if (b->score[hc] == 0)
        b->touched[b->n++] = hc;
    b->score[hc] += b->weight;
}

/* Points for holding one of `choices` resources that could serve a start:
 * the fewer the choices, the more a holder blocks (a pinned room, or the
 * learners a cohort shares, leave no other way; one of a dozen qualified
 * instructors leaves eleven). */
#define SCARCITY 60
static int scarcity(size_t choices)
{
    return choices == 0 || choices >= SCARCITY ? 1 : (int)(SCARCITY / choices);
}

/* Every session holding resource res during [t, end): all of them, so
 * that answers do not depend on the order of the occupancy lists (which
 * differs between replicas, hence between thread counts). */
static void each_holder(const bs__occ *o, size_t res, bs_time t, bs_time end,
                        void (*each)(void *arg, int session), void *arg)
{
    int d0 = bs_problem_day_of(o->p, t), d1 = bs_problem_day_of(o->p, end - 1);
    if (d0 < 0)
        d0 = 0;
    if (d1 < 0 || d1 >= (int)o->n_days)
        d1 = (int)o->n_days - 1;
    for (int day = d0; day <= d1; day++) {
        const occ_list *l = &o->lists[res * o->n_days + (size_t)day];
        for (uint32_t k = 0; k < l->count; k++)
            if (l->items[k].from < end && l->items[k].to > t)
                each(arg, l->items[k].session);
    }
}

/* Every session filling instructor i's minutes on the day or in the week
 * of `day`, when one more session of `dur` minutes would break the limit
 * (none when it would not). */
static void each_minute_filler(const bs__occ *o, int i, int day, int dur,
                               void (*each)(void *arg, int session), void *arg)
{
    const bs_instructor *in = &o->p->instructors[i];
    size_t res = bs__res_instructor(o, i);
    bool day_full = in->max_minutes_per_day >= 0 &&
                    o->minutes_day[(size_t)i * o->n_days + (size_t)day] + dur > in->max_minutes_per_day;
    int week = o->week_of_day[day];
    bool week_full = in->max_minutes_per_week >= 0 &&
                     o->minutes_week[(size_t)i * o->n_weeks + (size_t)week] + dur >
                         in->max_minutes_per_week;
    for (size_t dd = 0; (day_full || week_full) && dd < o->n_days; dd++) {
        if (!(week_full ? o->week_of_day[dd] == week : (int)dd == day))
            continue;
        const occ_list *l = &o->lists[res * o->n_days + dd];
        for (uint32_t k = 0; k < l->count; k++)
            each(arg, l->items[k].session);
    }
}

typedef struct blame_arg {
    bs__blockers *b;
    const bs_solution *sol;
    int self;
} blame_arg;

static void blame_one(void *arg, int session)
{
    blame_arg *ba = arg;
    blame(ba->b, ba->sol, session, ba->self);
}

static void blame_holders(bs__blockers *b, const bs__engine *e, size_t res, bs_time t, bs_time end,
                          int self)
{
    blame_arg ba = {b, e->sol, self};
    each_holder(e->occ, res, t, end, blame_one, &ba);
}

/* Blame whoever fills an instructor's minutes when one more session of
 * `dur` minutes would break the limit. */
static void blame_minutes(bs__blockers *b, const bs__engine *e, int i, int day, int dur, int self)
{
    blame_arg ba = {b, e->sol, self};
    each_minute_filler(e->occ, i, day, dur, blame_one, &ba);
}

/* Blame whoever ties instructor i, in person, to another site on `day`
 * when the session to place is in person at `site` (rule 3). */
static void blame_site(bs__blockers *b, const bs__engine *e, int i, int day, int site, int self)
{
    blame_arg ba = {b, e->sol, self};
    bs__occ_site_holders(e->occ, i, day, site, blame_one, &ba);
}

/* Highest score first, then lowest cohort index: an insertion sort, since
 * a cohort has a few dozen blockers at most. */
static void rank_blockers(bs__blockers *b)
{
    for (size_t k = 1; k < b->n; k++) {
        int x = b->touched[k];
        size_t j = k;
        while (j > 0) {
            int y = b->touched[j - 1];
            if (b->score[y] > b->score[x] || (b->score[y] == b->score[x] && y < x))
                break;
            b->touched[j] = y;
            j--;
        }
        b->touched[j] = x;
    }
}

/* A cohort with every session placed competes for price: blame whoever
 * holds, at one of the session's candidate starts, an instructor cheaper
 * than the dearest of its team or a room cheaper than its room. */
static void blame_price(bs__blockers *b, const bs__engine *e, int c, int s)
{
    const bs_problem *p = e->ctx->p;
    const bs_session *se = &e->ctx->d->sessions[s];
    const bs_assignment *a = &e->sol->items[s];
    const bs__occ *o = e->occ;
    if (!a->placed)
        return;
    double dearest = 0, room_price = a->room >= 0 ? p->rooms[a->room].cost_per_hour : 0;
    for (size_t q = 0; q < a->instructors.count; q++)
        if (p->instructors[a->instructors.items[q]].cost_per_hour > dearest)
            dearest = p->instructors[a->instructors.items[q]].cost_per_hour;
    if (dearest <= 0 && room_price <= 0)
        return;
    for (size_t k = 0; k < se->n_slots; k++) {
        bs_time t = p->slots[se->slots[k]].start, end = t + se->duration;
        int day = p->slots[se->slots[k]].day;
        for (size_t q = 0; dearest > 0 && q < se->instructors.count; q++) {
            int i = se->instructors.items[q];
            if (p->instructors[i].cost_per_hour >= dearest ||
                !bs_instructor_free_at(&p->instructors[i], t, end))
                continue;
            blame_holders(b, e, bs__res_instructor(o, i), t, end, c);
            if (day >= 0)
                blame_minutes(b, e, i, day, se->duration, c);
        }
        for (size_t q = 0; room_price > 0 && q < se->rooms.count; q++) {
            int r = se->rooms.items[q];
            if (p->rooms[r].cost_per_hour < room_price && bs_room_free_at(&p->rooms[r], t, end))
                blame_holders(b, e, bs__res_room(o, r), t, end, c);
        }
    }
}

/* ==== Repair: open one start of a missing session ==== */

/* The cohorts (ascending, the re-placed cohort itself never among them)
 * whose sessions would have to move for a placement to fit. */
#define OPENING_CAP 8
#define OPENING_OPTIONS 16 /* distinct blocker sets a cohort's repair rounds go through */
typedef struct opening {
    int cohort[OPENING_CAP];
    int n;
    bool over; /* more than OPENING_CAP: treated as impossible */
} opening;

static void opening_add(opening *u, int cohort)
{
    int k = 0;
    while (k < u->n && u->cohort[k] < cohort)
        k++;
    if (k < u->n && u->cohort[k] == cohort)
        return;
    if (u->n == OPENING_CAP) {
        u->over = true;
        return;
    }
    memmove(&u->cohort[k + 1], &u->cohort[k], (size_t)(u->n - k) * sizeof(int));
    u->cohort[k] = cohort;
    u->n++;
}

typedef struct opening_arg {
    opening *u;
    const bs_solution *sol;
    int self;
} opening_arg;

static void opening_add_session(void *arg, int session)
{
    opening_arg *a = arg;
    int hc = a->sol->items[session].cohort;
    if (hc != a->self)
        opening_add(a->u, hc);
}

static void opening_holders(opening *u, const bs__engine *e, size_t res, bs_time t, bs_time end,
                            int self)
{
    opening_arg a = {u, e->sol, self};
    each_holder(e->occ, res, t, end, opening_add_session, &a);
}

/* What instructor i needs moved to teach session se at [t, end) on `day`:
 * whoever holds the time, ties the instructor to another site that date
 * (rule 3), or fills the day's or the week's minutes (all of that day's or
 * week's sessions: usually too many, which rules the instructor out). */
static void opening_instructor(opening *u, const bs__engine *e, const bs_session *se, int i,
                               bs_time t, bs_time end, int day, int self)
{
    opening_arg a = {u, e->sol, self};
    each_holder(e->occ, bs__res_instructor(e->occ, i), t, end, opening_add_session, &a);
    if (day < 0)
        return;
    if (se->in_person)
        bs__occ_site_holders(e->occ, i, day, e->ctx->p->cohorts[self].site, opening_add_session,
                             &a);
    each_minute_filler(e->occ, i, day, se->duration, opening_add_session, &a);
}

/* Does slot k of session s keep order and gaps with the cohort's sessions
 * placed now? (a start the cohort reaches without moving its own other
 * sessions; study days and cadence are left to the sub-MIP) */
static bool opening_keeps_order(const bs__engine *e, int s, int slot)
{
    const bs_problem *p = e->ctx->p;
    const bs_domains *d = e->ctx->d;
    int c = d->sessions[s].cohort;
    for (size_t r = d->prec_first[c]; r < d->prec_first[c + 1]; r++) {
        const bs_precedence *pr = &d->prec[r];
        int other = pr->before == s ? pr->after : pr->after == s ? pr->before : -1;
        if (other < 0 || pr->assumed || !e->sol->items[other].placed)
            continue;
        int other_slot = (int)bs_problem_slot_at_or_after(p, e->sol->items[other].start);
        if (other_slot >= (int)p->n_slots)
            continue;
        bool ok = pr->before == s ? bs__prec_ok(p, d, pr, slot, other_slot)
                                  : bs__prec_ok(p, d, pr, other_slot, slot);
        if (!ok)
            return false;
    }
    return true;
}

/* The fewest cohorts (at most `want`) that, re-placed with cohort c, would
 * free slot k of its unplaced session s: the learners' other cohorts busy
 * then, the holders of the room that needs the fewest moved, and of the
 * instructors that need the fewest, one by one. False when no room or team
 * can be freed by moving `want` cohorts or fewer. */
static bool open_slot(const bs__engine *e, int c, int s, size_t k, int want, opening *out)
{
    const bs_problem *p = e->ctx->p;
    const bs_session *se = &e->ctx->d->sessions[s];
    const bs__occ *o = e->occ;
    bs_time t = p->slots[se->slots[k]].start, end = t + se->duration;
    int day = p->slots[se->slots[k]].day;
    opening u = {.n = 0};
    const bs_ids *peers = &e->ctx->peers[c];
    for (size_t q = 0; q < peers->count && !u.over; q++)
        opening_holders(&u, e, bs__res_cohort(o, peers->items[q]), t, end, c);
    if (u.over || u.n > want)
        return false;
    if (se->needs_room) {
        opening best = {.over = true};
        for (size_t q = 0; q < se->rooms.count; q++) {
            int r = se->rooms.items[q];
            if (!bs_room_free_at(&p->rooms[r], t, end))
                continue;
            opening x = u;
            opening_holders(&x, e, bs__res_room(o, r), t, end, c);
            if (!x.over && (best.over || x.n < best.n))
                best = x;
            if (!best.over && best.n == u.n)
                break; /* free: nothing better */
        }
        if (best.over || best.n > want)
            return false;
        u = best;
    }
    int chosen[8], n_chosen = 0;
    for (int m = 0; m < se->n_instructors && m < 8; m++) {
        opening best = {.over = true};
        int best_i = -1;
        for (size_t q = 0; q < se->instructors.count; q++) {
            int i = se->instructors.items[q];
            bool taken = false;
            for (int j = 0; j < n_chosen; j++)
                taken = taken || chosen[j] == i;
            if (taken || !bs_instructor_free_at(&p->instructors[i], t, end))
                continue;
            opening x = u;
            opening_instructor(&x, e, se, i, t, end, day, c);
            if (!x.over && (best.over || x.n < best.n)) {
                best = x;
                best_i = i;
            }
            if (!best.over && best.n == u.n)
                break;
        }
        if (best_i < 0 || best.n > want)
            return false;
        u = best;
        chosen[n_chosen++] = best_i;
    }
    *out = u;
    return true;
}

/* The `pick`-th way to open a start of cohort c's first unplaced required
 * session: of the starts that `want` cohorts or fewer block, those its
 * placed sessions allow first, then the fewest blockers, then the
 * earliest, each distinct set of blockers once. Aggregate blame (below)
 * ranks cohorts over every start at once, so its top blockers may each
 * block a different start and the group frees none; this picks one start
 * and everything in its way (fixtures/solve/repair-opening). False when
 * no start opens. */
static bool repair_opening(const bs__engine *e, int c, int want, size_t pick, opening *out)
{
    const bs_domains *d = e->ctx->d;
    int s = -1;
    for (size_t q = d->cohort_first[c]; q < d->cohort_first[c + 1] && s < 0; q++)
        if (!e->sol->items[q].placed && !d->sessions[q].optional &&
            d->sessions[q].reason == BS_REASON_NONE)
            s = (int)q;
    if (s < 0)
        return false;
    const bs_session *se = &d->sessions[s];
    /* distinct blocker sets in rank order, as far as the round needs */
    opening found[OPENING_OPTIONS];
    size_t n_found = 0;
    for (int pass = 0; pass < 2 && n_found <= pick && n_found < OPENING_OPTIONS; pass++)
        for (int n = 1; n <= want && n_found <= pick && n_found < OPENING_OPTIONS; n++)
            for (size_t k = 0; k < se->n_slots && n_found <= pick && n_found < OPENING_OPTIONS;
                 k++) {
                opening u;
                if (opening_keeps_order(e, s, se->slots[k]) != (pass == 0) ||
                    !open_slot(e, c, s, k, want, &u) || u.n != n)
                    continue;
                bool again = false;
                for (size_t f = 0; f < n_found && !again; f++)
                    again = found[f].n == u.n &&
                            memcmp(found[f].cohort, u.cohort, (size_t)u.n * sizeof(int)) == 0;
                if (!again)
                    found[n_found++] = u;
            }
    if (n_found == 0)
        return false;
    *out = found[pick % n_found]; /* fewer than the rounds: wrap around */
    return true;
}

/* The cohort with the cohorts that block its unplaced required sessions
 * most (rooms and instructors taken at its candidate starts, instructors'
 * minute limits filled or tied to another site that date, learners shared
 * with other cohorts busy). In repair round r the blockers ranked from
 * r·(group − 1) on are taken, so that successive rounds try other
 * neighbourhoods; once those stall (repair_opening set), the r-th way to
 * open one start of the missing session instead. All deterministic. */
size_t bs__blocking_group(const bs__engine *e, int c, int *group, bs__blockers *b)
{
    const bs_domains *d = e->ctx->d;
    const bs_problem *p = e->ctx->p;
    const bs_solution *sol = e->sol;
    const bs__occ *o = e->occ;
    const bs_ids *peers = &e->ctx->peers[c];
    size_t n = 0;
    group[n++] = c;
    b->n = 0;
    for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++) {
        const bs_session *se = &d->sessions[s];
        /* a skipped optional session costs a tie-break only: not worth
         * re-placing other cohorts for */
        if (sol->items[s].placed || se->reason != BS_REASON_NONE || se->optional)
            continue;
        for (size_t k = 0; k < se->n_slots; k++) {
            bs_time t = p->slots[se->slots[k]].start, end = t + se->duration;
            int day = p->slots[se->slots[k]].day;
            b->weight = scarcity(se->instructors.count);
            for (size_t q = 0; q < se->instructors.count; q++) {
                int i = se->instructors.items[q];
                blame_holders(b, e, bs__res_instructor(o, i), t, end, c);
                if (day >= 0)
                    blame_minutes(b, e, i, day, se->duration, c);
                if (day >= 0 && se->in_person)
                    blame_site(b, e, i, day, p->cohorts[c].site, c);
            }
            b->weight = scarcity(se->rooms.count);
            for (size_t q = 0; q < se->rooms.count; q++)
                blame_holders(b, e, bs__res_room(o, se->rooms.items[q]), t, end, c);
            b->weight = scarcity(1);
            for (size_t q = 0; q < peers->count; q++)
                blame_holders(b, e, bs__res_cohort(o, peers->items[q]), t, end, c);
        }
    }
    bool short_of_sessions = b->n > 0;
    b->weight = 1;
    for (size_t s = d->cohort_first[c]; !short_of_sessions && s < d->cohort_first[c + 1]; s++)
        blame_price(b, e, c, (int)s);
    rank_blockers(b);
    /* price neighbourhoods take the one strongest competitor: four cohorts
     * per sub-MIP cost twenty times as much for a few points more */
    size_t want = short_of_sessions ? BS_MAX_GROUP - 1 : PRICE_BLOCKERS, first = 0;
    /* after aggregate blame has stalled: the blockers of one start
     * (topped up by aggregate blame) */
    size_t turn = (size_t)e->repair_round;
    opening u = {.n = 0};
    if (short_of_sessions && e->repair_opening && repair_opening(e, c, (int)want, turn, &u))
        for (int k = 0; k < u.n; k++)
            group[n++] = u.cohort[k];
    if (b->n > want)
        first = (turn * want) % b->n;
    for (size_t k = 0; k < b->n && n < 1 + want; k++) {
        int other = b->touched[(first + k) % b->n];
        bool in_group = false;
        for (size_t g = 0; g < n; g++)
            in_group = in_group || group[g] == other;
        if (!in_group)
            group[n++] = other;
    }
    for (size_t k = 0; k < b->n; k++)
        b->score[b->touched[k]] = 0;
    qsort(group, n, sizeof(int), bs__cmp_int);
    return n;
}
