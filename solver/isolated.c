/**
 * @file isolated.c
 * @brief The `isolated` term inside a sub-MIP (used by the coupled
 *        neighbourhoods of solver/lns.c): per learner of the free cohorts,
 *        one continuous z per placement class (start, end, date) with
 *        z >= X - N, where X counts the learner's sessions in that class and
 *        N those that end as it starts or start as it ends on that date.
 *
 * A learner's sessions never overlap (a hard rule), so X is 0 or 1 and the
 * minimised z is exactly 1 when a session of the class is placed and no
 * neighbour is: FORMAT.md's isolated session. Sessions of fixed cohorts
 * enter as constants, so a free session moving next to a fixed one makes
 * the fixed one non-isolated too. A cohort without learners counts as one
 * learner of its own (model/evaluate.c does the same).
 */
#include <stdlib.h>

#include "solver/isolated.h"

typedef struct event {
    bs_time start, end;
    int day, var; /* var 0: a fixed session (a constant 1) */
} event;

static int cmp_event(const void *a, const void *b)
{
    const event *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return (x->var > y->var) - (x->var < y->var);
}

/* The rows of one learner whose sessions come from `lc` (n_lc cohorts). */
static bs_rc learner_rows(mip *m, const bs__ctx *ctx, const bs_solution *sol, const bool *is_free,
                          const int *lc, size_t n_lc, const column *cols, size_t n_cols,
                          int col_var0, double w)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    size_t n = 0, cap = 16;
    event *ev = bs_calloc(cap, sizeof *ev);
    if (ev == NULL)
        return BS_ENOMEM;
    bool any_free = false;
    for (size_t k = 0; k < n_lc; k++) {
        int c = lc[k];
        if (is_free[c]) {
            any_free = true;
            continue;
        }
        for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++) {
            const bs_assignment *a = &sol->items[s];
            if (!a->placed)
                continue;
            if (n == cap) {
                event *g = bs_reallocarray(ev, cap * 2, sizeof *ev);
                if (g == NULL) {
                    free(ev);
                    return BS_ENOMEM;
                }
                ev = g, cap *= 2;
            }
            ev[n++] = (event){a->start, a->end, bs_problem_day_of(p, a->start), 0};
        }
    }
    for (size_t j = 0; any_free && j < n_cols; j++) {
        const column *col = &cols[j];
        int c = d->sessions[col->s].cohort;
        bool mine = false;
        for (size_t k = 0; k < n_lc && !mine; k++)
            mine = lc[k] == c;
        if (!mine)
            continue;
        if (n == cap) {
            event *g = bs_reallocarray(ev, cap * 2, sizeof *ev);
            if (g == NULL) {
                free(ev);
                return BS_ENOMEM;
            }
            ev = g, cap *= 2;
        }
        bs_time t = p->slots[col->slot].start;
        ev[n++] = (event){t, t + d->sessions[col->s].duration, p->slots[col->slot].day,
                          col_var0 + (int)j};
    }
    qsort(ev, n, sizeof *ev, cmp_event);
    /* one class per distinct (day, start, end): ev[i..j) */
    for (size_t i = 0; any_free && i < n;) {
        size_t j = i;
        double xc = 0;
        bool xvar = false;
        while (j < n && ev[j].day == ev[i].day && ev[j].start == ev[i].start &&
               ev[j].end == ev[i].end) {
            xc += ev[j].var == 0;
            xvar = xvar || ev[j].var != 0;
            j++;
        }
        double nc = 0;
        bool nvar = false;
        for (size_t k = 0; k < n; k++)
            if (ev[k].day == ev[i].day && (ev[k].end == ev[i].start || ev[k].start == ev[i].end)) {
                nc += ev[k].var == 0;
                nvar = nvar || ev[k].var != 0;
            }
        /* a class with nothing variable costs a constant: no row */
        if (xvar || (xc > 0 && nvar)) {
            int z = bs__add_cols(m, 1, GLP_CV, 0, 1, w);
            int r = bs__add_row(m, GLP_LO, xc - nc, 0); /* z - ΣX + ΣN >= Xc - Nc */
            bs__add_nz(m, r, z, 1);
            for (size_t k = i; k < j; k++)
                if (ev[k].var)
                    bs__add_nz(m, r, ev[k].var, -1);
            for (size_t k = 0; k < n; k++)
                if (ev[k].var && ev[k].day == ev[i].day &&
                    (ev[k].end == ev[i].start || ev[k].start == ev[i].end))
                    bs__add_nz(m, r, ev[k].var, 1);
        }
        i = j;
    }
    free(ev);
    return BS_OK;
}

bs_rc bs__isolated_terms(mip *m, const bs__ctx *ctx, const bs_solution *sol, const int *cohorts,
                         size_t n_cohorts, const column *cols, size_t n_cols, int col_var0)
{
    const bs_problem *p = ctx->p;
    double w = p->weights.isolated;
    if (w <= 0 || n_cols == 0)
        return BS_OK;
    bool *is_free = bs_calloc(p->n_cohorts + 1, sizeof(bool));
    bool *seen = bs_calloc(p->n_learners + 1, sizeof(bool));
    int *lc = bs_calloc(p->n_cohorts + 1, sizeof(int));
    bs_rc rc = is_free && seen && lc ? BS_OK : BS_ENOMEM;
    for (size_t k = 0; rc == BS_OK && k < n_cohorts; k++)
        is_free[cohorts[k]] = true;
    for (size_t k = 0; rc == BS_OK && k < n_cohorts; k++) {
        const bs_cohort *co = &p->cohorts[cohorts[k]];
        if (co->learners.count == 0) {
            lc[0] = cohorts[k];
            rc = learner_rows(m, ctx, sol, is_free, lc, 1, cols, n_cols, col_var0, w);
            continue;
        }
        for (size_t q = 0; rc == BS_OK && q < co->learners.count; q++) {
            int l = co->learners.items[q];
            if (l < 0 || (size_t)l >= p->n_learners || seen[l])
                continue;
            seen[l] = true;
            const bs_ids *of = &p->learners[l].cohorts;
            size_t n_lc = 0;
            for (size_t j = 0; j < of->count; j++) {
                int c = of->items[j];
                bool again = c < 0 || (size_t)c >= p->n_cohorts;
                for (size_t i = 0; i < n_lc && !again; i++)
                    again = lc[i] == c;
                if (!again)
                    lc[n_lc++] = c;
            }
            rc = learner_rows(m, ctx, sol, is_free, lc, n_lc, cols, n_cols, col_var0, w);
        }
    }
    free(is_free);
    free(seen);
    free(lc);
    return rc;
}
