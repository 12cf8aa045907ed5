/**
 * @file blame.h
 * @brief Solver-internal: which cohorts to re-place with a cohort in an
 *        improvement or repair sub-MIP (solver/blame.c).
 */
#ifndef BS_SOLVER_BLAME_H
#define BS_SOLVER_BLAME_H

#include "solver/batch.h"

/* Scores of the cohorts that block a cohort's unplaced sessions: one point
 * per (candidate start, resource) pair a cohort takes away. */
typedef struct bs__blockers {
    int *score;   /* [n_cohorts], zero outside the call */
    int *touched; /* cohorts with a score */
    size_t n;
    int weight;   /* points per blocked pair, set by the caller (see scarcity) */
} bs__blockers;

/** Cohort c (group[0] before sorting) with the cohorts that block its
 *  unplaced required sessions most, or, when it has none, the one that
 *  competes with it on price; at most BS_MAX_GROUP, ascending. In repair
 *  round r (e->repair_round) the blockers ranked from r·(group − 1) on;
 *  with e->repair_opening, those in the way of one start first. b's score
 *  array is all zero on entry and on return. */
size_t bs__blocking_group(const bs__engine *e, int c, int *group, bs__blockers *b);

#endif
