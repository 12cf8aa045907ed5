/**
 * @file solution.h
 * @brief A calendar as data: one assignment per live session of every
 *        cohort (placed or not), the objective's terms, and the run's status.
 *        Produced by the solver, read back from JSON by io/ for `verify`.
 */
#ifndef BS_MODEL_SOLUTION_H
#define BS_MODEL_SOLUTION_H

#include "model/problem.h"

/** Objective terms, each already weighted (FORMAT.md "objective"). */
typedef struct bs_objective {
    double unplaced, instructor_change, room_change, outside_preferred, rhythm, cost, spread,
        isolated, over_capacity, moved, reassigned;
    double total;
} bs_objective;

typedef enum bs_change { BS_CHANGE_NONE = 0, BS_CHANGE_MOVED, BS_CHANGE_REASSIGNED, BS_CHANGE_NEW } bs_change;

/** One live session of one cohort. */
typedef struct bs_assignment {
    int cohort, module; /**< indices: problem->cohorts, program's modules */
    bool placed;
    bs_time start, end; /**< UTC minutes; end = start + duration */
    int room;           /**< index into problem->rooms, -1 for none */
    bs_ids instructors; /**< indices into problem->instructors, ascending */
    bs_change change;   /**< against a baseline; NONE without one */
} bs_assignment;

typedef enum bs_status { BS_STATUS_COMPLETE, BS_STATUS_PARTIAL, BS_STATUS_INTERRUPTED } bs_status;

typedef struct bs_solution {
    bs_assignment *items; /**< every live session, by cohort then module order */
    size_t count;
    bs_status status;
    bs_objective objective;
    bool has_bound;
    double bound; /**< best lower bound on objective.total known to the solver */
    /** solved against a baseline (solve --baseline): the calendar carries
     *  `change` marks and `changes` counts */
    bool has_baseline;
} bs_solution;

/** How many assignments of s carry each change mark (placed ones only). */
typedef struct bs_change_counts {
    size_t moved, reassigned, added;
} bs_change_counts;

bs_change_counts bs_solution_count_changes(const bs_solution *s);

/** An empty solution with one unplaced assignment per live session of every
 *  cohort, in cohort order then module order. */
bs_rc bs_solution_create(const bs_problem *p, bs_solution **out);
void bs_solution_destroy(bs_solution **ps);
/** Index of the assignment of (cohort, module), or -1. */
int bs_solution_find(const bs_solution *s, int cohort, int module);

#endif
