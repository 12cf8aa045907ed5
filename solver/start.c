/**
 * @file start.c
 * @brief A first calendar for a sub-MIP, handed to GLPK as its starting
 *        incumbent: the current placements when the candidates still hold
 *        them, completed (or built) greedily, earliest and cheapest first,
 *        keeping every rule among the picks.
 */
#include <stdlib.h>

#include "solver/formulation.h"

bool bs__same_team(const column *c, const bs_ids *team)
{
    if ((size_t)c->n_instr != team->count)
        return false;
    for (int q = 0; q < c->n_instr; q++)
        if (!bs_ids_contains(team, c->instr[q]))
            return false;
    return true;
}

typedef struct greedy_use {
    int instr, day, minutes;
} greedy_use;

/* Would column `c` clash with the column `o` already picked? */
static bool columns_clash(const bs__ctx *ctx, const column *c, const column *o)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    const bs_session *sc = &d->sessions[c->s], *so = &d->sessions[o->s];
    bs_time t = p->slots[c->slot].start, e = t + sc->duration;
    bs_time ot = p->slots[o->slot].start, oe = ot + so->duration;
    bool overlap = t < oe && ot < e;
    bool same_day = p->slots[c->slot].day == p->slots[o->slot].day;
    for (int a = 0; a < c->n_instr; a++)
        for (int b = 0; b < o->n_instr; b++) {
            if (c->instr[a] != o->instr[b])
                continue;
            if (overlap)
                return true;
            if (same_day && sc->in_person && so->in_person &&
                p->cohorts[sc->cohort].site != p->cohorts[so->cohort].site)
                return true;
        }
    if (!overlap)
        return false;
    if (c->room >= 0 && c->room == o->room)
        return true;
    if (sc->cohort == so->cohort)
        return true;
    return bs_ids_contains(&ctx->peers[sc->cohort], so->cohort);
}

/* Earliest-cheapest placement, session by session in precedence order,
 * keeping every rule among the picks (the occupancy already holds the rest).
 * pick[k] is a column index or -1 for the k-th free session; sessions
 * already picked on entry stay as they are and the others are added. */
bs_rc bs__greedy_start(const bs__ctx *ctx, const bs__occ *occ, const column *cols,
                          const sess_info *si, const int *sess, size_t n_s, const int *pos_of,
                          const bool *split, int *pick)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    bool *done = bs_calloc(n_s, sizeof(bool));
    greedy_use *used = bs_calloc(n_s * BS_MAX_TEAM + 1, sizeof *used);
    if (!done || !used) {
        free(done);
        free(used);
        return BS_ENOMEM;
    }
    size_t n_used = 0;
    size_t n_done = 0;
    for (size_t k = 0; k < n_s; k++) {
        if (pick[k] < 0)
            continue;
        done[k] = true;
        n_done++;
        for (int a = 0; a < cols[pick[k]].n_instr; a++)
            used[n_used++] = (greedy_use){cols[pick[k]].instr[a], p->slots[cols[pick[k]].slot].day,
                                          d->sessions[cols[pick[k]].s].duration};
    }
    for (size_t round = n_done; round < n_s; round++) {
        /* next session whose free predecessors are all decided */
        size_t k = n_s;
        for (size_t q = 0; q < n_s && k == n_s; q++) {
            if (done[q])
                continue;
            bool ready = true;
            int cq = d->sessions[sess[q]].cohort;
            for (size_t r = d->prec_first[cq]; r < d->prec_first[cq + 1] && ready; r++)
                if (d->prec[r].after == sess[q])
                    ready = done[pos_of[d->prec[r].before]];
            if (ready)
                k = q;
        }
        if (k == n_s)
            for (k = 0; done[k]; k++)
                ; /* a cycle cannot happen (validated), but never loop forever */
        done[k] = true;
        int best = -1;
        int ck = d->sessions[sess[k]].cohort;
        for (int c = si[k].first_col; c < si[k].first_col + si[k].n_cols; c++) {
            const column *col = &cols[c];
            /* earliest day first (it leaves room for the successors), the
             * cheapest candidate of that day */
            if (best >= 0 && p->slots[col->slot].day != p->slots[cols[best].slot].day)
                break;
            if (best >= 0 && col->cost >= cols[best].cost)
                continue;
            bool ok = true;
            for (size_t q = 0; q < n_s && ok; q++)
                if (pick[q] >= 0)
                    ok = !columns_clash(ctx, col, &cols[pick[q]]);
            for (size_t r = d->prec_first[ck]; r < d->prec_first[ck + 1] && ok; r++) {
                const bs_precedence *pr = &d->prec[r];
                if (pr->after == sess[k] && pick[pos_of[pr->before]] >= 0) {
                    int ta = cols[pick[pos_of[pr->before]]].slot;
                    ok = bs__prec_ok(p, d, pr, ta, col->slot) &&
                         !(split[r] && p->slots[ta].day == p->slots[col->slot].day);
                }
            }
            for (size_t r = d->cadence_first[ck]; r < d->cadence_first[ck + 1] && ok; r++) {
                const struct bs_cadence *cd = &d->cadence[r];
                if (cd->after != sess[k] || pick[pos_of[cd->before]] < 0)
                    continue;
                bool mid_placed = false; /* sessions between come earlier in precedence order */
                for (int x = pos_of[cd->before] + 1; x < pos_of[cd->after]; x++)
                    mid_placed = mid_placed || pick[x] >= 0;
                if (!mid_placed)
                    ok = p->slots[col->slot].day -
                             p->slots[cols[pick[pos_of[cd->before]]].slot].day <=
                         cd->max_days;
            }
            for (int a = 0; a < col->n_instr && ok; a++) {
                int i = col->instr[a], day = p->slots[col->slot].day;
                const bs_instructor *in = &p->instructors[i];
                int m_day = occ->minutes_day[(size_t)i * occ->n_days + (size_t)day];
                int m_week = occ->minutes_week[(size_t)i * occ->n_weeks +
                                               (size_t)occ->week_of_day[day]];
                for (size_t u = 0; u < n_used; u++) {
                    if (used[u].instr != i)
                        continue;
                    m_day += used[u].day == day ? used[u].minutes : 0;
                    m_week += occ->week_of_day[used[u].day] == occ->week_of_day[day]
                                  ? used[u].minutes
                                  : 0;
                }
                int dur = d->sessions[col->s].duration;
                ok = (in->max_minutes_per_day < 0 || m_day + dur <= in->max_minutes_per_day) &&
                     (in->max_minutes_per_week < 0 || m_week + dur <= in->max_minutes_per_week);
            }
            if (ok)
                best = c;
        }
        pick[k] = best;
        for (int a = 0; best >= 0 && a < cols[best].n_instr; a++)
            used[n_used++] = (greedy_use){cols[best].instr[a], p->slots[cols[best].slot].day,
                                          d->sessions[cols[best].s].duration};
    }
    free(done);
    free(used);
    return BS_OK;
}

/* The current calendar of the free sessions as columns, when every placed
 * one is among the candidates; false otherwise. */
bool bs__current_start(const bs_problem *p, const bs_solution *sol, const column *cols,
                          const sess_info *si, const int *sess, size_t n_s, int *pick)
{
    for (size_t k = 0; k < n_s; k++) {
        const bs_assignment *a = &sol->items[sess[k]];
        pick[k] = -1;
        if (!a->placed)
            continue;
        for (int c = si[k].first_col; c < si[k].first_col + si[k].n_cols && pick[k] < 0; c++)
            if (p->slots[cols[c].slot].start == a->start && cols[c].room == a->room &&
                bs__same_team(&cols[c], &a->instructors))
                pick[k] = c;
        if (pick[k] < 0)
            return false;
    }
    return true;
}
