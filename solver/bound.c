/**
 * @file bound.c
 * @brief A lower bound on each cohort's share of the objective, from a
 *        small MIP that relaxes the cohort's problem: every other cohort
 *        absent and the rooms' and instructors' time windows ignored.
 *
 * With the windows ignored, which slot a session takes no longer limits
 * which room or team it can have, so the cohort's problem falls apart
 * into a time part and a resource part joined only by whether each
 * session is placed (u_s) and by one row on price (below). The time
 * part's terms are bounded from below by that row (outside the preferred
 * window, rhythm) and in closed form (spread); the resource part is
 * solved exactly as a MIP of a few hundred binaries:
 *
 *   Σ_q r_{s,q} + u_s = 1              (a suitable room, or unplaced)
 *   Σ_i a_{s,i} + k_s·u_s = k_s        (k_s qualified instructors)
 *   y_q ≥ r_{s,q},  e_R ≥ Σ_q y_q − 1  (room changes)
 *   v_i ≥ a_{s,i},  e_I ≥ Σ_i v_i − K  (instructor changes, K the largest team)
 *   e_S ≥ min_days − Σ_s (1 − u_s)     (spread: one date per placed session at most)
 *
 * minimising unplaced·priority·u_s + cost·(room and team cost per hour)·hours
 * + over_capacity + outside_preferred·(1 − u_s) when every candidate slot
 * of s is outside the window + (with a baseline) the least moved or
 * reassigned cost that every candidate of s pays, times (1 − u_s) + the
 * change and spread terms, and one row that ties the prices back to time
 * across the sessions (solver/time_bound.c):
 *
 *   Σ price·x + g + T·Σ_s u_s ≥ T        (g ≥ 0 at cost 1)
 *
 * where T is the least the placeable sessions can cost together in price
 * at their starts, outside-preferred penalty and rhythm when all are
 * placed in the order the rules impose (a dynamic programme over their
 * chain); g stands for the penalties. When they cannot all be placed, the
 * row is Σ_s u_s ≥ 1 instead. Every
 * calendar of the cohort maps onto a solution of this MIP of no greater
 * cost, so its optimum (or, when the node budget stops it, its best
 * bound) is a valid lower bound; the sum over cohorts bounds the whole
 * objective because every other term (isolated, the rest of moved and
 * reassigned) is non-negative. Solving it costs milliseconds, where the LP relaxation of
 * the full column model cost a second per cohort.
 */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solver/formulation.h"
#include "solver/glpk_guard.h"

#define BOUND_NODE_LIMIT 2000

typedef struct bound_cb {
    bool has_bound;
    double bound;
} bound_cb;

static void bound_callback(glp_tree *tree, void *info)
{
    bound_cb *cb = info;
    int a_cnt, n_cnt, t_cnt;
    glp_ios_tree_size(tree, &a_cnt, &n_cnt, &t_cnt);
    int best = glp_ios_best_node(tree);
    if (best != 0) {
        cb->bound = glp_ios_node_bound(tree, best);
        cb->has_bound = true;
    }
    if (t_cnt > BOUND_NODE_LIMIT)
        glp_ios_terminate(tree);
}

/* Would every candidate start of s end outside the cohort's preferred times? */
static bool always_outside_preferred(const bs_problem *p, const bs_cohort *c, const bs_session *s)
{
    if (!c->has_preferred)
        return false;
    for (size_t k = 0; k < s->n_slots; k++) {
        bs_time t = p->slots[s->slots[k]].start;
        if (bs_intervals_contain(&c->preferred, t, t + s->duration))
            return false;
    }
    return true;
}

/* Is the room (or instructor) free at one candidate start of s at least?
 * One that never is cannot serve s, whatever the other cohorts do. */
static bool usable_somewhen(const bs_problem *p, const bs_session *s, int id, bool room)
{
    for (size_t k = 0; k < s->n_slots; k++) {
        bs_time t = p->slots[s->slots[k]].start, e = t + s->duration;
        if (room ? bs_room_free_at(&p->rooms[id], t, e)
                 : bs_instructor_free_at(&p->instructors[id], t, e))
            return true;
    }
    return false;
}

/* A room or instructor with its price for the session, for walking them
 * cheapest first. */
typedef struct priced {
    double cost;
    int id;
} priced;

static int cmp_priced(const void *a, const void *b)
{
    const priced *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* The least a placement of s can cost in rooms, instructors and seats
 * short: over its candidate starts, the cheapest team of instructors free
 * then plus the cheapest room free then. INFINITY when no start has both.
 * (The MIP below prices rooms and teams apart; this row is what ties them
 * back to time, and on generated quarters it is most of the bound.)
 * Rooms and instructors are sorted by price once, so each start stops at
 * the first free room and the first free team: with hundreds of qualified
 * instructors a full scan per start made this the bound's main cost.
 * With `at`, also the least price at each candidate start (INFINITY
 * where none). *failed is set when out of memory. */
static double cheapest_start_cost(const bs_problem *p, const bs_cohort *c, const bs_session *se,
                                  const bs_weights *w, double *at, bool *failed)
{
    double best = INFINITY, hours = se->duration / 60.0;
    size_t n_rooms = se->needs_room ? se->rooms.count : 0, n_people = se->instructors.count;
    priced *rooms = bs_calloc(n_rooms + 1, sizeof *rooms);
    priced *people = bs_calloc(n_people + 1, sizeof *people);
    if (rooms == NULL || people == NULL) {
        free(rooms);
        free(people);
        *failed = true;
        return INFINITY;
    }
    for (size_t q = 0; q < n_rooms; q++) {
        const bs_room *r = &p->rooms[se->rooms.items[q]];
        double cost = w->cost * r->cost_per_hour * hours;
        if (w->has_over_capacity && r->capacity < c->size)
            cost += w->over_capacity * (c->size - r->capacity);
        rooms[q] = (priced){cost, se->rooms.items[q]};
    }
    for (size_t q = 0; q < n_people; q++) {
        int i = se->instructors.items[q];
        people[q] = (priced){w->cost * p->instructors[i].cost_per_hour * hours, i};
    }
    qsort(rooms, n_rooms, sizeof *rooms, cmp_priced);
    qsort(people, n_people, sizeof *people, cmp_priced);
    int n = se->n_instructors < BS_MAX_TEAM ? se->n_instructors : BS_MAX_TEAM;
    for (size_t k = 0; k < se->n_slots; k++) {
        bs_time t = p->slots[se->slots[k]].start, e = t + se->duration;
        double cost = 0;
        if (at != NULL)
            at[k] = INFINITY;
        if (n_rooms > 0) {
            size_t q = 0;
            while (q < n_rooms && !bs_room_free_at(&p->rooms[rooms[q].id], t, e))
                q++;
            if (q == n_rooms)
                continue;
            cost = rooms[q].cost;
        }
        /* the n cheapest free instructors (all of them when each start's
         * price is wanted, else only while they can beat the best) */
        int have = 0;
        for (size_t q = 0; q < n_people && have < n && (at != NULL || cost < best); q++) {
            if (!bs_instructor_free_at(&p->instructors[people[q].id], t, e))
                continue;
            cost += people[q].cost;
            have++;
        }
        if (have == n && at != NULL)
            at[k] = cost;
        if (have == n && cost < best)
            best = cost;
    }
    free(rooms);
    free(people);
    return best;
}

/* Rooms (or instructors) that serve exactly the same sessions of the
 * cohort at the same price are interchangeable in this relaxation: a
 * calendar using one of them can use its twin instead at no extra cost
 * and with no more distinct rooms (instructors). So only `keep` of each
 * kind need be in the MIP: 1 room, and as many instructors as the largest
 * team (a team needs distinct members). This keeps the MIP small when
 * hundreds of instructors share a skill. Sets kept[id] for the ids to use;
 * the cohort's sessions must be at most 64 (else every usable id is kept). */
static bs_rc keep_one_of_each_kind(const bs_problem *p, const bs_domains *d, int cohort,
                                   bool room, int keep, bool *kept)
{
    const bs_cohort *c = &p->cohorts[cohort];
    size_t s0 = d->cohort_first[cohort], s1 = d->cohort_first[cohort + 1];
    size_t n_ids = room ? p->n_rooms : p->n_instructors;
    uint64_t *mask = bs_calloc(n_ids + 1, sizeof(uint64_t));
    int *ids = bs_calloc(n_ids + 1, sizeof(int));
    if (!mask || !ids) {
        free(mask);
        free(ids);
        return BS_ENOMEM;
    }
    size_t n = 0;
    for (size_t s = s0; s < s1; s++) {
        const bs_session *se = &d->sessions[s];
        if (se->reason != BS_REASON_NONE || se->n_slots == 0)
            continue;
        const bs_ids *list = room ? &se->rooms : &se->instructors;
        for (size_t q = 0; q < list->count; q++) {
            int id = list->items[q];
            if (!usable_somewhen(p, se, id, room))
                continue;
            if (mask[id] == 0 && !kept[id])
                ids[n++] = id;
            if (s1 - s0 <= 64)
                mask[id] |= (uint64_t)1 << (s - s0);
            else
                kept[id] = true;
        }
    }
    for (size_t a = 0; a < n; a++) {
        int id = ids[a];
        if (kept[id])
            continue;
        double price = room ? p->rooms[id].cost_per_hour : p->instructors[id].cost_per_hour;
        int over = room && p->weights.has_over_capacity && p->rooms[id].capacity < c->size
                       ? c->size - p->rooms[id].capacity
                       : 0;
        int twins = 0;
        for (size_t b = 0; b < a && twins < keep; b++) {
            int o = ids[b];
            double o_price = room ? p->rooms[o].cost_per_hour : p->instructors[o].cost_per_hour;
            int o_over = room && p->weights.has_over_capacity && p->rooms[o].capacity < c->size
                             ? c->size - p->rooms[o].capacity
                             : 0;
            twins += kept[o] && mask[o] == mask[id] && o_price == price && o_over == over;
        }
        kept[id] = twins < keep;
    }
    free(mask);
    free(ids);
    return BS_OK;
}

bs_rc bs__cohort_bound(const bs__ctx *ctx, int cohort, double *out, int *rhythm_hint)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    const bs_cohort *c = &p->cohorts[cohort];
    const bs_weights *w = &p->weights;
    size_t s0 = d->cohort_first[cohort], s1 = d->cohort_first[cohort + 1];
    double constant = 0;
    mip m = {0};
    *rhythm_hint = -1;
    bs__glpk_guard();
    m.lp = glp_create_prob();
    glp_set_obj_dir(m.lp, GLP_MIN);
    int *room_use = bs_calloc(p->n_rooms + 1, sizeof(int));   /* y_q column, 0 = none yet */
    int *person_use = bs_calloc(p->n_instructors + 1, sizeof(int)); /* v_i column */
    int *u_of = bs_calloc(s1 - s0 + 1, sizeof(int));
    bool *room_kept = bs_calloc(p->n_rooms + 1, sizeof(bool));
    bool *person_kept = bs_calloc(p->n_instructors + 1, sizeof(bool));
    bs_rc rc = (room_use && person_use && u_of && room_kept && person_kept) ? BS_OK : BS_ENOMEM;
    int team = 0;
    for (size_t s = s0; s < s1; s++)
        if (d->sessions[s].n_instructors > team)
            team = d->sessions[s].n_instructors;
    if (rc == BS_OK)
        rc = keep_one_of_each_kind(p, d, cohort, true, 1, room_kept);
    if (rc == BS_OK)
        rc = keep_one_of_each_kind(p, d, cohort, false, team, person_kept);

    /* Each session's price at each start (plus the outside-preferred
     * penalty beyond what every start pays, which the MIP counts apart),
     * its cheapest, and the time part of the bound over all of them. */
    size_t n_sess = s1 - s0;
    double **at = bs_calloc(n_sess + 1, sizeof(double *));
    double *cheapest = bs_calloc(n_sess + 1, sizeof(double));
    bool *covered = bs_calloc(n_sess + 1, sizeof(bool));
    if (rc == BS_OK && (!at || !cheapest || !covered))
        rc = BS_ENOMEM;
    size_t n_covered = 0;
    double priced_sum = 0; /* Σ cheapest over the covered sessions */
    for (size_t j = 0; rc == BS_OK && j < n_sess; j++) {
        const bs_session *se = &d->sessions[s0 + j];
        if (se->reason != BS_REASON_NONE || se->n_slots == 0)
            continue;
        bool failed = false;
        at[j] = bs_calloc(se->n_slots, sizeof(double));
        cheapest[j] = at[j] ? cheapest_start_cost(p, c, se, w, at[j], &failed) : INFINITY;
        if (at[j] == NULL || failed) {
            rc = BS_ENOMEM;
            break;
        }
        if (c->has_preferred && w->outside_preferred > 0 && !always_outside_preferred(p, c, se))
            for (size_t k = 0; k < se->n_slots; k++) {
                bs_time t = p->slots[se->slots[k]].start;
                if (!bs_intervals_contain(&c->preferred, t, t + se->duration))
                    at[j][k] += w->outside_preferred;
            }
        covered[j] = !se->optional && cheapest[j] < INFINITY;
        if (covered[j]) {
            n_covered++;
            priced_sum += cheapest[j];
        }
    }
    double time_part = 0;
    if (rc == BS_OK) {
        bool failed = false;
        time_part = bs__time_part_bound(ctx, cohort, at, covered, rhythm_hint, &failed);
        if (failed)
            rc = BS_ENOMEM;
    }
    /* Σ price·x + g + T·Σ u ≥ T over the covered sessions, g the time
     * cost beyond price (in the objective): with all of them placed it is
     * the time part's bound; with any unplaced it says nothing. When they
     * cannot all be placed, Σ u ≥ 1. */
    int time_row = 0;
    if (rc == BS_OK && time_part == INFINITY && n_covered > 0) {
        time_row = bs__add_row(&m, GLP_LO, 1, 0);
    } else if (rc == BS_OK && time_part < INFINITY && time_part > priced_sum + 1e-6) {
        time_row = bs__add_row(&m, GLP_LO, time_part, 0);
        bs__add_nz(&m, time_row, bs__add_cols(&m, 1, GLP_CV, 0, 1e9, 1), 1);
    }
    double u_in_time_row = time_part == INFINITY ? 1 : time_part;

    for (size_t s = s0; rc == BS_OK && s < s1; s++) {
        const bs_session *se = &d->sessions[s];
        double unplaced = se->optional ? 0 : w->unplaced * c->priority;
        if (se->reason != BS_REASON_NONE || se->n_slots == 0) {
            constant += unplaced;
            continue;
        }
        double hours = se->duration / 60.0;
        double preferred = always_outside_preferred(p, c, se) ? w->outside_preferred : 0;
        /* the change every placement of s pays against the baseline, likewise */
        double forced = bs__forced_change_cost(ctx, (int)s);
        /* outside_preferred·(1 − u) = constant − outside_preferred·u */
        constant += preferred + forced;
        int u = bs__add_cols(&m, 1, GLP_CV, 0, 1, unplaced - preferred - forced);
        u_of[s - s0] = u;
        /* the price of s at its cheapest start, where room and team are
         * free together: Σ price·x ≥ that·(1 − u) */
        double least = cheapest[s - s0];
        int price_row = 0;
        bool timed = time_row != 0 && covered[s - s0];
        if (least == INFINITY) {
            glp_set_col_bnds(m.lp, u, GLP_FX, 1, 1); /* no start has both free */
        } else if (least > 0) {
            price_row = bs__add_row(&m, GLP_LO, least, 0);
            bs__add_nz(&m, price_row, u, least);
        }
        if (timed)
            bs__add_nz(&m, time_row, u, u_in_time_row);
        if (se->needs_room && se->rooms.count > 0) {
            int row = bs__add_row(&m, GLP_FX, 1, 1);
            bs__add_nz(&m, row, u, 1);
            for (size_t q = 0; q < se->rooms.count; q++) {
                int r = se->rooms.items[q];
                if (!room_kept[r] || !usable_somewhen(p, se, r, true))
                    continue;
                const bs_room *room = &p->rooms[r];
                double cost = w->cost * room->cost_per_hour * hours;
                if (w->has_over_capacity && room->capacity < c->size)
                    cost += w->over_capacity * (c->size - room->capacity);
                int x = bs__add_cols(&m, 1, GLP_BV, 0, 1, cost);
                bs__add_nz(&m, row, x, 1);
                if (price_row && cost > 0)
                    bs__add_nz(&m, price_row, x, cost);
                if (timed && time_part < INFINITY && cost > 0)
                    bs__add_nz(&m, time_row, x, cost);
                if (room_use[r] == 0)
                    room_use[r] = bs__add_cols(&m, 1, GLP_CV, 0, 1, 0);
                int link = bs__add_row(&m, GLP_LO, 0, 0); /* y_q − r_{s,q} ≥ 0 */
                bs__add_nz(&m, link, room_use[r], 1);
                bs__add_nz(&m, link, x, -1);
            }
        }
        if (se->n_instructors > 0) {
            int row = bs__add_row(&m, GLP_FX, se->n_instructors, se->n_instructors);
            bs__add_nz(&m, row, u, se->n_instructors);
            for (size_t q = 0; q < se->instructors.count; q++) {
                int i = se->instructors.items[q];
                if (!person_kept[i] || !usable_somewhen(p, se, i, false))
                    continue;
                double cost = w->cost * p->instructors[i].cost_per_hour * hours;
                int x = bs__add_cols(&m, 1, GLP_BV, 0, 1, cost);
                bs__add_nz(&m, row, x, 1);
                if (price_row && cost > 0)
                    bs__add_nz(&m, price_row, x, cost);
                if (timed && time_part < INFINITY && cost > 0)
                    bs__add_nz(&m, time_row, x, cost);
                if (person_use[i] == 0)
                    person_use[i] = bs__add_cols(&m, 1, GLP_CV, 0, 1, 0);
                int link = bs__add_row(&m, GLP_LO, 0, 0);
                bs__add_nz(&m, link, person_use[i], 1);
                bs__add_nz(&m, link, x, -1);
            }
        }
    }
    /* e ≥ Σ y − allowed, e ≥ 0 */
    for (int pass = 0; rc == BS_OK && pass < 2; pass++) {
        const int *used = pass == 0 ? room_use : person_use;
        size_t n = pass == 0 ? p->n_rooms : p->n_instructors;
        double weight = pass == 0 ? w->room_change : w->instructor_change;
        int allowed = pass == 0 ? 1 : team;
        if (weight <= 0)
            continue;
        int e = bs__add_cols(&m, 1, GLP_CV, 0, 1e9, weight);
        int row = bs__add_row(&m, GLP_UP, 0, allowed); /* Σ y − e ≤ allowed */
        bs__add_nz(&m, row, e, -1);
        for (size_t k = 0; k < n; k++)
            if (used[k])
                bs__add_nz(&m, row, used[k], 1);
    }
    /* spread: at most one new date per placed session, so
     * e_S ≥ min_days − n_placeable + Σ u_s */
    size_t n_placeable = 0;
    for (size_t k = 0; k < s1 - s0; k++)
        n_placeable += u_of[k] != 0;
    if (rc == BS_OK && w->spread > 0 && c->min_days > 0) {
        double rhs = (double)c->min_days - (double)n_placeable;
        int e = bs__add_cols(&m, 1, GLP_CV, 0, 1e9, w->spread);
        int row = bs__add_row(&m, GLP_LO, rhs, 0); /* e − Σ u ≥ rhs */
        bs__add_nz(&m, row, e, 1);
        for (size_t k = 0; k < s1 - s0; k++)
            if (u_of[k])
                bs__add_nz(&m, row, u_of[k], -1);
    }
    if (rc == BS_OK && m.failed)
        rc = BS_ENOMEM;
    double bound = constant;
    if (rc == BS_OK && glp_get_num_cols(m.lp) > 0) {
        glp_set_obj_coef(m.lp, 0, constant);
        glp_load_matrix(m.lp, (int)m.nnz, m.ia, m.ja, m.ar);
        glp_smcp smcp;
        glp_init_smcp(&smcp);
        smcp.msg_lev = GLP_MSG_OFF;
        bound_cb cb = {false, 0};
        glp_iocp parm;
        glp_init_iocp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        parm.cb_func = bound_callback;
        parm.cb_info = &cb;
        if (glp_simplex(m.lp, &smcp) == 0 && glp_get_status(m.lp) == GLP_OPT) {
            bound = glp_get_obj_val(m.lp);
            if (glp_intopt(m.lp, &parm) == 0 && glp_mip_status(m.lp) == GLP_OPT)
                bound = glp_mip_obj_val(m.lp);
            else if (cb.has_bound && cb.bound > bound)
                bound = cb.bound;
        }
    }
    glp_delete_prob(m.lp);
    free(m.ia);
    free(m.ja);
    free(m.ar);
    free(room_use);
    free(person_use);
    free(u_of);
    free(room_kept);
    free(person_kept);
    for (size_t j = 0; at != NULL && j < n_sess; j++)
        free(at[j]);
    free(at);
    free(cheapest);
    free(covered);
    *out = bound > 0 ? bound : 0;
    return rc;
}
