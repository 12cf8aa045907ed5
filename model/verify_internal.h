/**
 * @file verify_internal.h
 * @brief Private to the checker (model/verify.c, model/verify_order.c):
 *        its context, the helpers both files use, and the module graphs of
 *        rules 6 and 7.
 */
#ifndef BS_MODEL_VERIFY_INTERNAL_H
#define BS_MODEL_VERIFY_INTERNAL_H

#include "model/verify.h"

#include <stdio.h>

typedef struct vctx {
    const bs_problem *p;
    const bs_solution *s;
    bs_violations *v;
    bs_rc rc; /* first failure; once set, nothing more is reported */
    /* Placed sessions sorted by start (then item index). */
    int *order;
    size_t n_placed;
    /* Placed sessions of cohort c, in item (module) order:
     * byc[first[c]] .. byc[first[c + 1] - 1]. */
    size_t *first;
    int *byc;
    /* Cohorts sharing a learner with cohort c, ascending. */
    bs_ids *peers;
} vctx;

/** Add a violation of `rule` naming `sessions` (nothing once x->rc is set). */
void bs__vreport(vctx *x, int rule, const int *sessions, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/** Sort session indices v[0..n) by start, then index (tmp: n entries). */
void bs__vsort_by_start(const bs_solution *s, int *v, int *tmp, size_t n);

static inline const bs_assignment *item(const vctx *x, int i)
{
    return &x->s->items[i];
}

/* Civil day number of instant t in the calendar zone, from the zone itself
 * so that sessions outside the day table still have a date. */
static inline int64_t local_date(const bs_problem *p, bs_time t)
{
    int64_t local = t + bs_tz_offset_at(p->tz, t);
    return local >= 0 ? local / 1440 : -((-local + 1439) / 1440);
}

static inline int64_t day_civil(const bs_day *d)
{
    return bs_days_from_civil(d->year, d->month, d->mday);
}

static inline void format_date(int64_t civil, char *buf, size_t size)
{
    int y, m, d;
    bs_civil_from_days(civil, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/* Formats t into a 40-byte buffer and returns it: called in the argument
 * list of report() so that text is made only for violations. */
static inline const char *time_text(const bs_problem *p, bs_time t, char *buf)
{
    bs_problem_format_time(p, t, buf, 40);
    return buf;
}

/* What one program's modules reach, as n x n tables (row = from). */
typedef struct graph {
    size_t n;
    bool *reach; /* live and self-paced modules reached through any modules */
    bool *near;  /* live modules reached through self-paced modules only */
    bool *sp;    /* self-paced modules reached through self-paced modules only */
} graph;

/** The graph of one program's modules; BS_ENOMEM when it cannot be built. */
bs_rc bs__vgraph_build(const bs_program *pr, graph *g);
void bs__vgraph_free(graph *g);
/** Rule 6 (order, gaps, cadence) over every cohort. */
void bs__vcheck_order(vctx *x, const graph *graphs);
/** Rule 7 (self-paced prework before each live session) over every cohort. */
void bs__vcheck_prework_all(vctx *x, const graph *graphs);

#endif
