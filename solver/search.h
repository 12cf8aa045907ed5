/**
 * @file search.h
 * @brief Solver-internal: GLPK's search of one sub-MIP (solver/search.c):
 *        scaling, the root LP, branch and cut from a given start within a
 *        node budget, and what the search reports back.
 */
#ifndef BS_SOLVER_SEARCH_H
#define BS_SOLVER_SEARCH_H

#include <glpk.h>
#include <signal.h>
#include <stdbool.h>

/** The search of one sub-MIP and what it reports (solver/search.c). */
typedef struct bs__search {
    /* in */
    int node_limit;                     /* nodes created at most; 0 = none */
    double deadline;                    /* bs__now() at which to stop; 0 = none */
    volatile sig_atomic_t *interrupt;   /* stop when set; may be NULL */
    double mip_gap;
    int verbosity;                      /* 2 and up: GLPK's own messages */
    const double *start;                /* a feasible solution (1-based, all columns) or NULL */
    /* out */
    bool start_given, time_hit, has_bound;
    double bound;                       /* the best node bound GLPK reported */
    int nodes;                          /* nodes created */
    double root_time;                   /* bs__now() when the root LP was done */
} bs__search;

/** Scale lp, solve its LP relaxation, then branch and cut from s->start
 *  within the node budget; GLPK's return code. */
int bs__mip_search(glp_prob *lp, bs__search *s);

#endif
