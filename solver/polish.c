/**
 * @file polish.c
 * @brief Local-search polish (`--polish N`): after the sub-MIP phases,
 *        N simulated-annealing steps over single-session moves and swaps
 *        of the placed sessions, judged by the whole objective.
 *
 * Why: the sub-MIPs re-place whole cohorts, a few dozen at a time. On
 * tightly coupled instances (ITC-2007 course timetabling: every cohort
 * sharing learners, a teacher and twenty rooms with the rest) what is left
 * after them is made of many small trades (a lecture next to another of its
 * curriculum, one lecture into the room its course already uses) that each
 * touch cohorts no one sub-MIP holds together. A step here is one such
 * trade, evaluated in microseconds, so millions fit where a sub-MIP takes
 * tens of milliseconds: the usual matheuristic split of MIP for structure
 * and local search for the last points.
 *
 * A step picks a placed session and a new start from its static domain
 * (model/domain.c) and a room (its own, or another suitable one), or a new
 * room at the same start. When that room is held at that time by a session
 * of another cohort with the same times, the two swap places instead. The
 * new placement keeps every hard rule: its start is in the domain, the room
 * suits and is open, each instructor of the (unchanged) team is available,
 * and bs__occ_fits checks everything that depends on other sessions. Only
 * sessions whose placement no other session of their cohort constrains are
 * moved (no order, gap, prework or cadence record, no pin), so rules 6 and 7
 * hold as they did; a run with a change budget is left alone.
 *
 * The cost of a step is the change in the cohorts' own terms
 * (bs__cohort_cost) plus the change in `isolated` over the learners of the
 * moved sessions on the dates they leave and reach. A worse step is taken
 * with probability exp(-delta / T), T falling geometrically from
 * POLISH_T0 to POLISH_T1 times the smallest positive weight over the N
 * steps; the best calendar seen is the result. The random numbers come from
 * --seed and the work is counted in steps, so the output does not depend on
 * the machine's speed; the time limit is only a safety net.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/evaluate.h"
#include "solver/formulation.h"
#include "solver/polish.h"

/* Temperatures in units of the smallest positive weight (ITC-2007: a room
 * change). Trials on comp04 and comp07 are in docs/solver.md: 0.5 and 0.7
 * at the start did worse, 1.5 and 2 no better within the noise. */
#define POLISH_T0 1.0  /* at the first step */
#define POLISH_T1 0.05 /* at the last */
#define POLISH_CHECK 4096 /* steps between looks at the clock and progress */
#define POLISH_CHAINS 2   /* independent chains (seeds), the best kept: fixed, so
                             the result does not depend on the thread count */

typedef struct polish {
    bs__engine *e;
    const bs_problem *p;
    const bs_domains *d;
    int chain;
    bs_solution own; /* the chain's calendar: the engine's, assignments copied
                        (teams shared, never changed) */
    bs_solution *sol; /* &own */
    bs__occ *occ;     /* its occupancy */
    uint64_t rng;
    double w_isolated;
    int *movable; /* sessions a step may pick */
    size_t n_movable;
    bool *is_movable;
    int *slot_of; /* per session: its start slot, -1 unplaced */
    int *day_of;  /* per session: its day (index into p->days), -1 unplaced */
    double *cost; /* per cohort: bs__cohort_cost now */
    /* learner keys: learner l is key l; a cohort without learners is its
     * own learner, key n_learners + c */
    size_t *key_first, *cohort_first_key; /* CSR: key -> cohorts, cohort -> keys */
    int *key_cohorts, *cohort_keys;
    int *stamp, stamp_now;  /* per key: the step that listed it last */
    size_t *step_keys;      /* a step's keys: at most twice a cohort's most */
    bs_time *iso_from, *iso_to; /* one key's sessions of one date: at most its most */
    /* the best calendar: starts and rooms (teams never change) */
    bs_time *best_start;
    int *best_room;
    int *dirty; /* sessions changed since the best was taken */
    size_t n_dirty;
    bool *is_dirty;
} polish;

static uint64_t next_random(polish *ps)
{
    /* xorshift64*: small, fast, and the same everywhere */
    ps->rng ^= ps->rng >> 12;
    ps->rng ^= ps->rng << 25;
    ps->rng ^= ps->rng >> 27;
    return ps->rng * 2685821657736338717ULL;
}

static size_t random_below(polish *ps, size_t n)
{
    return (size_t)(next_random(ps) >> 11) % n;
}

static double random_unit(polish *ps)
{
    return (double)(next_random(ps) >> 11) * (1.0 / 9007199254740992.0);
}

/* Is x in the ascending items[0..n)? */
static bool sorted_has(const int *items, size_t n, int x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (items[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && items[lo] == x;
}

/* The static rules of session s at (slot, room) with its current team:
 * the start in its domain, the room suitable and open, each instructor
 * available. What depends on other sessions is bs__occ_fits's. */
static bool static_fits(const polish *ps, int s, int slot, int room)
{
    const bs_problem *p = ps->p;
    const bs_session *se = &ps->d->sessions[s];
    if (slot < 0 || !sorted_has(se->slots, se->n_slots, slot))
        return false;
    bs_time t = p->slots[slot].start, end = t + se->duration;
    if (se->needs_room) {
        if (room < 0 || !sorted_has(se->rooms.items, se->rooms.count, room) || !bs_room_free_at(&p->rooms[room], t, end))
            return false;
    } else if (room >= 0) {
        return false;
    }
    const bs_assignment *a = &ps->sol->items[s];
    for (size_t k = 0; k < a->instructors.count; k++)
        if (!bs_instructor_free_at(&p->instructors[a->instructors.items[k]], t, end))
            return false;
    /* rules 6 and 7 against the cohort's other placed sessions (every
     * record that names s, implied ones too: stricter is still right) */
    const bs_domains *d = ps->d;
    int c = se->cohort;
    for (size_t q = d->prec_first[c]; q < d->prec_first[c + 1]; q++) {
        const bs_precedence *pr = &d->prec[q];
        if (pr->before == s && ps->slot_of[pr->after] >= 0 &&
            !bs__prec_ok(p, d, pr, slot, ps->slot_of[pr->after]))
            return false;
        if (pr->after == s && ps->slot_of[pr->before] >= 0 &&
            !bs__prec_ok(p, d, pr, ps->slot_of[pr->before], slot))
            return false;
    }
    return true;
}

/* Sessions of learner key k on day `day` that no other of them touches
 * (model/evaluate.c's count_isolated on that date): the learner's sessions
 * of that date gathered first (at most iso_cap), then compared. */
static int isolated_on(const polish *ps, size_t k, int day)
{
    const bs_domains *d = ps->d;
    size_t m = 0;
    for (size_t q = ps->key_first[k]; q < ps->key_first[k + 1]; q++) {
        int c = ps->key_cohorts[q];
        for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++)
            if (ps->day_of[s] == day) {
                ps->iso_from[m] = ps->sol->items[s].start;
                ps->iso_to[m++] = ps->sol->items[s].end;
            }
    }
    int n = 0;
    for (size_t i = 0; i < m; i++) {
        bool joined = false;
        for (size_t j = 0; j < m && !joined; j++)
            joined = j != i && (ps->iso_to[j] == ps->iso_from[i] || ps->iso_from[j] == ps->iso_to[i]);
        n += !joined;
    }
    return n;
}

/* The learner keys a step can change (those of the moved sessions'
 * cohorts, each once) into ps->step_keys. */
static size_t list_step_keys(polish *ps, int c, int ch)
{
    size_t n = 0;
    ps->stamp_now++;
    for (int pass = 0; pass < 2; pass++) {
        int cohort = pass == 0 ? c : ch;
        if (cohort < 0)
            continue;
        for (size_t q = ps->cohort_first_key[cohort]; q < ps->cohort_first_key[cohort + 1]; q++) {
            int k = ps->cohort_keys[q];
            if (ps->stamp[k] != ps->stamp_now) {
                ps->stamp[k] = ps->stamp_now;
                ps->step_keys[n++] = (size_t)k;
            }
        }
    }
    return n;
}

/* `isolated` over those keys on the days (1 or 2) a step leaves and reaches. */
static double isolated_of(const polish *ps, size_t n_keys, const int *days, int n_days)
{
    double n = 0;
    for (size_t j = 0; j < n_keys; j++)
        for (int i = 0; i < n_days; i++)
            n += isolated_on(ps, ps->step_keys[j], days[i]);
    return n * ps->w_isolated;
}

static void mark_dirty(polish *ps, int s)
{
    if (!ps->is_dirty[s]) {
        ps->is_dirty[s] = true;
        ps->dirty[ps->n_dirty++] = s;
    }
}

/* Session s to (start, room): occupancy, day and dirty list follow. */
static bs_rc place(polish *ps, int s, bs_time start, int room)
{
    bs_assignment *a = &ps->sol->items[s];
    const bs_session *se = &ps->d->sessions[s];
    a->start = start;
    a->end = start + se->duration;
    a->room = room;
    ps->slot_of[s] = (int)bs_problem_slot_at_or_after(ps->p, start);
    ps->day_of[s] = ps->p->slots[ps->slot_of[s]].day;
    mark_dirty(ps, s);
    return bs__occ_apply(ps->occ, a, s, +1);
}

static bs_rc lift(polish *ps, int s)
{
    return bs__occ_apply(ps->occ, &ps->sol->items[s], s, -1);
}

/* One step: *delta the change of the objective when taken (*taken). */
static bs_rc step(polish *ps, double temperature, double *delta, bool *taken)
{
    const bs_problem *p = ps->p;
    const bs_domains *d = ps->d;
    *taken = false;
    *delta = 0;
    int s = ps->movable[random_below(ps, ps->n_movable)];
    const bs_session *se = &d->sessions[s];
    bs_assignment *a = &ps->sol->items[s];
    bs_time old_start = a->start;
    int old_room = a->room, old_slot = ps->slot_of[s];
    int slot, room;
    unsigned kind = (unsigned)random_below(ps, 3);
    if (kind == 2 && se->needs_room && se->rooms.count > 1) {
        slot = old_slot;
        room = se->rooms.items[random_below(ps, se->rooms.count)];
    } else {
        slot = se->slots[random_below(ps, se->n_slots)];
        room = old_room;
        if (kind == 1 && se->needs_room)
            room = se->rooms.items[random_below(ps, se->rooms.count)];
    }
    if (slot == old_slot && room == old_room)
        return BS_OK;
    if (!static_fits(ps, s, slot, room))
        return BS_OK;
    bs_time start = p->slots[slot].start, end = start + se->duration;
    /* the partner of a swap: the session holding the room then, when it
     * has these very times and could take s's */
    int h = -1;
    if (room >= 0) {
        h = bs__occ_first_holder(ps->occ, bs__res_room(ps->occ, room), start, end);
        if (h >= 0) {
            const bs_assignment *b = &ps->sol->items[h];
            if (h == s || !ps->is_movable[h] || b->start != start || b->end != end ||
                b->cohort == a->cohort || !static_fits(ps, h, old_slot, old_room))
                return BS_OK;
        }
    }
    int c = a->cohort, ch = h >= 0 ? ps->sol->items[h].cohort : -1;
    BS_TRY(lift(ps, s));
    if (h >= 0)
        BS_TRY(lift(ps, h));
    int old_day = ps->day_of[s];
    bs_assignment trial = *a;
    trial.start = start;
    trial.end = end;
    trial.room = room;
    bool fits = bs__occ_fits(ps->occ, &ps->e->ctx->peers[c], &trial, s);
    /* (lifting changes no assignment: `before` is still the calendar's) */
    /* s moves from old_day to the slot's day and h the other way: the
     * learners of both cohorts on those two days are all that changes */
    int days[2] = {old_day, p->slots[slot].day};
    int n_days = days[1] == days[0] ? 1 : 2;
    size_t n_keys = fits && ps->w_isolated > 0 ? list_step_keys(ps, c, ch) : 0;
    double before = n_keys > 0 ? isolated_of(ps, n_keys, days, n_days) : 0;
    if (fits) {
        BS_TRY(place(ps, s, start, room));
        if (h >= 0) {
            bs_assignment back = ps->sol->items[h];
            back.start = old_start;
            back.end = old_start + d->sessions[h].duration;
            back.room = old_room;
            fits = bs__occ_fits(ps->occ, &ps->e->ctx->peers[ch], &back, h);
            if (fits)
                BS_TRY(place(ps, h, old_start, old_room));
            else
                BS_TRY(lift(ps, s));
        }
    }
    if (!fits) {
        /* s is out of the occupancy, h too when there is one */
        a->start = old_start;
        a->end = old_start + se->duration;
        a->room = old_room;
        ps->day_of[s] = old_day;
        ps->slot_of[s] = old_slot;
        BS_TRY(bs__occ_apply(ps->occ, a, s, +1));
        if (h >= 0)
            BS_TRY(bs__occ_apply(ps->occ, &ps->sol->items[h], h, +1));
        return BS_OK;
    }
    const bs_assignment *items = ps->sol->items;
    double cost_c = bs__cohort_cost(ps->e->ctx, items + d->cohort_first[c], c);
    double cost_h = ch >= 0 ? bs__cohort_cost(ps->e->ctx, items + d->cohort_first[ch], ch) : 0;
    double after = n_keys > 0 ? isolated_of(ps, n_keys, days, n_days) : 0;
    double change = (cost_c - ps->cost[c]) + (ch >= 0 ? cost_h - ps->cost[ch] : 0) +
                    (after - before);
    bool take = change <= 1e-9 ||
                (change / temperature < 30 && random_unit(ps) < exp(-change / temperature));
    if (take) {
        ps->cost[c] = cost_c;
        if (ch >= 0)
            ps->cost[ch] = cost_h;
        *delta = change;
        *taken = true;
        return BS_OK;
    }
    /* undo: both out, both back where they were */
    BS_TRY(lift(ps, s));
    if (h >= 0) {
        BS_TRY(lift(ps, h));
        BS_TRY(place(ps, h, start, room));
    }
    return place(ps, s, old_start, old_room);
}

static void take_best(polish *ps)
{
    for (size_t k = 0; k < ps->n_dirty; k++) {
        int s = ps->dirty[k];
        ps->best_start[s] = ps->sol->items[s].start;
        ps->best_room[s] = ps->sol->items[s].room;
        ps->is_dirty[s] = false;
    }
    ps->n_dirty = 0;
}

/* Back to the best calendar (the assignments; the occupancy is dropped). */
static void restore_best(polish *ps)
{
    for (size_t k = 0; k < ps->n_dirty; k++) {
        int s = ps->dirty[k];
        bs_assignment *a = &ps->sol->items[s];
        a->start = ps->best_start[s];
        a->end = a->start + ps->d->sessions[s].duration;
        a->room = ps->best_room[s];
        ps->is_dirty[s] = false;
    }
    ps->n_dirty = 0;
}

/* A session a step may move: placed on the grid and unpinned, of a
 * cohort without rotation cadence (whose consecutive sessions depend on
 * the chronological order that moves change). */
static bool session_movable(const polish *ps, int s)
{
    const bs_domains *d = ps->d;
    const bs_session *se = &d->sessions[s];
    int c = se->cohort;
    return ps->sol->items[s].placed && ps->slot_of[s] >= 0 && se->pin < 0 && se->n_slots > 0 &&
           d->cadence_first[c] == d->cadence_first[c + 1];
}

static double smallest_weight(const bs_weights *w)
{
    double terms[] = {w->instructor_change, w->room_change, w->outside_preferred, w->rhythm,
                      w->spread, w->isolated, w->has_over_capacity ? w->over_capacity : 0};
    double least = 0;
    for (size_t k = 0; k < sizeof terms / sizeof terms[0]; k++)
        if (terms[k] > 0 && (least == 0 || terms[k] < least))
            least = terms[k];
    return least > 0 ? least : 1;
}

static void polish_free(polish *ps)
{
    free(ps->own.items);
    bs__occ_destroy(&ps->occ);
    free(ps->movable);
    free(ps->is_movable);
    free(ps->slot_of);
    free(ps->day_of);
    free(ps->cost);
    free(ps->key_first);
    free(ps->cohort_first_key);
    free(ps->key_cohorts);
    free(ps->cohort_keys);
    free(ps->stamp);
    free(ps->step_keys);
    free(ps->iso_from);
    free(ps->iso_to);
    free(ps->best_start);
    free(ps->best_room);
    free(ps->dirty);
    free(ps->is_dirty);
}

/* Learner keys as model/evaluate.c counts `isolated`: each learner over
 * the cohorts listing it (each once), each cohort without learners alone. */
static bs_rc build_keys(polish *ps)
{
    const bs_problem *p = ps->p;
    size_t n_keys = p->n_learners + p->n_cohorts, n_pairs = 0;
    for (size_t l = 0; l < p->n_learners; l++)
        n_pairs += p->learners[l].cohorts.count;
    n_pairs += p->n_cohorts;
    ps->key_first = bs_calloc(n_keys + 1, sizeof(size_t));
    ps->cohort_first_key = bs_calloc(p->n_cohorts + 1, sizeof(size_t));
    ps->key_cohorts = bs_calloc(n_pairs + 1, sizeof(int));
    ps->cohort_keys = bs_calloc(n_pairs + 1, sizeof(int));
    if (!ps->key_first || !ps->cohort_first_key || !ps->key_cohorts || !ps->cohort_keys)
        return BS_ENOMEM;
    size_t n = 0;
    for (size_t k = 0; k < n_keys; k++) {
        ps->key_first[k] = n;
        if (k < p->n_learners) {
            const bs_ids *lc = &p->learners[k].cohorts;
            for (size_t j = 0; j < lc->count; j++) {
                int c = lc->items[j];
                bool again = c < 0 || (size_t)c >= p->n_cohorts;
                for (size_t i = 0; i < j && !again; i++)
                    again = lc->items[i] == c;
                if (!again)
                    ps->key_cohorts[n++] = c;
            }
        } else if (p->cohorts[k - p->n_learners].learners.count == 0) {
            ps->key_cohorts[n++] = (int)(k - p->n_learners);
        }
    }
    ps->key_first[n_keys] = n;
    /* and the inverse, cohort -> keys, by counting */
    for (size_t q = 0; q < n; q++)
        ps->cohort_first_key[ps->key_cohorts[q] + 1]++;
    for (size_t c = 0; c < p->n_cohorts; c++)
        ps->cohort_first_key[c + 1] += ps->cohort_first_key[c];
    size_t *fill = bs_calloc(p->n_cohorts + 1, sizeof(size_t));
    if (fill == NULL)
        return BS_ENOMEM;
    memcpy(fill, ps->cohort_first_key, (p->n_cohorts + 1) * sizeof(size_t));
    for (size_t k = 0; k < n_keys; k++)
        for (size_t q = ps->key_first[k]; q < ps->key_first[k + 1]; q++)
            ps->cohort_keys[fill[ps->key_cohorts[q]]++] = (int)k;
    free(fill);
    /* scratch for a step: keys of two cohorts, sessions of one key */
    size_t most_keys = 0, most_sessions = 0;
    for (size_t c = 0; c < p->n_cohorts; c++) {
        size_t nk = ps->cohort_first_key[c + 1] - ps->cohort_first_key[c];
        most_keys = nk > most_keys ? nk : most_keys;
    }
    for (size_t k = 0; k < n_keys; k++) {
        size_t ns = 0;
        for (size_t q = ps->key_first[k]; q < ps->key_first[k + 1]; q++)
            ns += ps->d->cohort_first[ps->key_cohorts[q] + 1] - ps->d->cohort_first[ps->key_cohorts[q]];
        most_sessions = ns > most_sessions ? ns : most_sessions;
    }
    ps->stamp = bs_calloc(n_keys + 1, sizeof(int));
    ps->step_keys = bs_calloc(2 * most_keys + 1, sizeof(size_t));
    ps->iso_from = bs_calloc(most_sessions + 1, sizeof(bs_time));
    ps->iso_to = bs_calloc(most_sessions + 1, sizeof(bs_time));
    if (!ps->stamp || !ps->step_keys || !ps->iso_from || !ps->iso_to)
        return BS_ENOMEM;
    return BS_OK;
}

static bs_rc polish_init(polish *ps, bs__engine *e, int chain)
{
    const bs_problem *p = e->ctx->p;
    const bs_domains *d = e->ctx->d;
    size_t n = d->n_sessions;
    memset(ps, 0, sizeof *ps);
    ps->e = e;
    ps->p = p;
    ps->d = d;
    ps->chain = chain;
    ps->own = *e->sol;
    ps->own.items = bs_calloc(n + 1, sizeof(bs_assignment));
    ps->sol = &ps->own;
    if (ps->own.items == NULL)
        return BS_ENOMEM;
    memcpy(ps->own.items, e->sol->items, n * sizeof(bs_assignment));
    BS_TRY(bs__occ_create(p, d, &ps->occ));
    for (size_t s = 0; s < n; s++)
        BS_TRY(bs__occ_apply(ps->occ, &ps->own.items[s], (int)s, +1));
    uint64_t seed = (uint64_t)e->ctx->o->seed * POLISH_CHAINS + (uint64_t)chain;
    ps->rng = 0x9E3779B97F4A7C15ULL ^ (seed * 0xD1B54A32D192ED03ULL);
    if (ps->rng == 0)
        ps->rng = 1;
    ps->w_isolated = p->weights.isolated;
    ps->movable = bs_calloc(n + 1, sizeof(int));
    ps->is_movable = bs_calloc(n + 1, sizeof(bool));
    ps->slot_of = bs_calloc(n + 1, sizeof(int));
    ps->day_of = bs_calloc(n + 1, sizeof(int));
    ps->cost = bs_calloc(p->n_cohorts + 1, sizeof(double));
    ps->best_start = bs_calloc(n + 1, sizeof(bs_time));
    ps->best_room = bs_calloc(n + 1, sizeof(int));
    ps->dirty = bs_calloc(n + 1, sizeof(int));
    ps->is_dirty = bs_calloc(n + 1, sizeof(bool));
    if (!ps->movable || !ps->is_movable || !ps->slot_of || !ps->day_of || !ps->cost ||
        !ps->best_start || !ps->best_room || !ps->dirty || !ps->is_dirty)
        return BS_ENOMEM;
    BS_TRY(build_keys(ps));
    for (size_t s = 0; s < n; s++) {
        const bs_assignment *a = &ps->sol->items[s];
        ps->slot_of[s] = ps->day_of[s] = -1;
        if (a->placed) {
            size_t k = bs_problem_slot_at_or_after(p, a->start);
            if (k < p->n_slots && p->slots[k].start == a->start) {
                ps->slot_of[s] = (int)k;
                ps->day_of[s] = p->slots[k].day;
            } else {
                ps->day_of[s] = bs_problem_day_of(p, a->start);
            }
        }
        ps->best_start[s] = a->start;
        ps->best_room[s] = a->room;
    }
    for (size_t s = 0; s < n; s++)
        if (session_movable(ps, (int)s)) {
            ps->is_movable[s] = true;
            ps->movable[ps->n_movable++] = (int)s;
        }
    for (size_t c = 0; c < p->n_cohorts; c++)
        ps->cost[c] = bs__cohort_cost(e->ctx, ps->sol->items + d->cohort_first[c], (int)c);
    return BS_OK;
}

/* A progress line as bs__engine_progress's, counting steps (thousands) and
 * with the whole objective of the chain's best (`isolated` included,
 * which the engine's cohort costs leave out). Chain 0 only. */
static void progress(polish *ps, long done, long steps, double objective)
{
    bs__ctx *ctx = ps->e->ctx;
    double now = bs__now();
    if (!ctx->o->progress || now - ctx->last_progress < 1.0)
        return;
    ctx->last_progress = now;
    size_t placed = 0;
    for (size_t k = 0; k < ps->sol->count; k++)
        placed += ps->sol->items[k].placed;
    double gap = objective > 0 ? (objective - ctx->bound) / objective : 0;
    fprintf(stderr,
            "blendsched: %-10s steps %ldk/%ldk  placed %zu/%zu  objective %.1f  bound %.1f  "
            "gap %.1f%%  %.1fs\n",
            "polish", done / 1000, steps / 1000, placed, ps->sol->count, objective, ctx->bound,
            100.0 * (gap > 0 ? gap : 0), now - ctx->start_time);
}

/* One chain's annealing from a calendar of whole objective `start`:
 * *best its objective change (<= 0), its calendar left at that best; *cut
 * when the clock or an interrupt ended it. */
static bs_rc anneal(polish *ps, long steps, double start, double *best_change, bool *cut)
{
    double unit = smallest_weight(&ps->p->weights);
    double t0 = POLISH_T0 * unit, cooling = log(POLISH_T1 / POLISH_T0) / (double)steps;
    double current = 0, best = 0;
    bs_rc rc = BS_OK;
    *cut = false;
    for (long i = 0; rc == BS_OK && i < steps; i++) {
        if (i % POLISH_CHECK == 0 && i > 0) {
            if (bs__engine_should_stop(ps->e)) {
                *cut = true;
                break;
            }
            if (ps->chain == 0)
                progress(ps, i, steps, start + best);
        }
        double delta;
        bool taken;
        rc = step(ps, t0 * exp(cooling * (double)i), &delta, &taken);
        if (rc != BS_OK || !taken)
            continue;
        current += delta;
        if (current < best - 1e-9) {
            best = current;
            take_best(ps);
        }
    }
    restore_best(ps);
    *best_change = best;
    return rc;
}

bs_rc bs__polish_run(bs__engine *e, long steps, bool *improved, bs_err *err)
{
    *improved = false;
    if (steps <= 0 || bs__has_budget(e->ctx))
        return BS_OK;
    const bs_problem *p = e->ctx->p;
    const bs_domains *d = e->ctx->d;
    polish chains[POLISH_CHAINS];
    double change[POLISH_CHAINS];
    bool cut[POLISH_CHAINS];
    bs_rc rcs[POLISH_CHAINS];
    bs_rc rc = BS_OK;
    memset(chains, 0, sizeof chains);
    for (int k = 0; k < POLISH_CHAINS && rc == BS_OK; k++)
        rc = polish_init(&chains[k], e, k);
    bs_objective start_objective;
    if (rc == BS_OK)
        rc = bs_evaluate_objective(p, e->sol, &start_objective);
    if (rc == BS_OK && chains[0].n_movable > 0) {
        int threads = e->threads < POLISH_CHAINS ? e->threads : POLISH_CHAINS;
        /* (chains share only what they read; chain 0 alone prints progress) */
#pragma omp parallel for num_threads(threads) schedule(static, 1)
        for (int k = 0; k < POLISH_CHAINS; k++)
            rcs[k] = anneal(&chains[k], steps, start_objective.total, &change[k], &cut[k]);
        int win = 0;
        for (int k = 0; k < POLISH_CHAINS; k++) {
            if (rc == BS_OK && rcs[k] != BS_OK)
                rc = rcs[k];
            if (cut[k])
                e->ctx->limit_hit = true;
            if (change[k] < change[win] - 1e-9)
                win = k;
        }
        if (rc == BS_OK && change[win] < -1e-9) {
            for (size_t s = 0; s < d->n_sessions; s++) {
                bs_assignment *a = &e->sol->items[s];
                const bs_assignment *b = &chains[win].own.items[s];
                a->start = b->start;
                a->end = b->end;
                a->room = b->room;
            }
            bs_objective end_objective;
            rc = bs_evaluate_objective(p, e->sol, &end_objective);
            /* the steps' own sum against the whole objective: a difference
             * is a bug in the deltas, which the end-to-end tests watch for */
            if (rc == BS_OK &&
                fabs(end_objective.total - (start_objective.total + change[win])) >
                    1e-6 * (1 + start_objective.total))
                fprintf(stderr,
                        "blendsched: internal: polish expected objective %.6g, found %.6g\n",
                        start_objective.total + change[win], end_objective.total);
            *improved = rc == BS_OK && end_objective.total < start_objective.total - 1e-9;
        }
    }
    for (int k = 0; k < POLISH_CHAINS; k++)
        polish_free(&chains[k]);
    if (rc != BS_OK)
        bs_err_set(err, rc, "%s", bs_strerror(rc));
    return rc;
}
