/**
 * @file evaluate.h
 * @brief The objective of a calendar computed from the calendar alone:
 *        every weighted term of FORMAT.md "objective", recomputed exactly
 *        from the placed sessions (used by `verify` and by tests that check
 *        the solver's own bookkeeping).
 */
#ifndef BS_MODEL_EVALUATE_H
#define BS_MODEL_EVALUATE_H

#include "model/solution.h"

/** Number of terms of a bs_objective, `total` not included. */
#define BS_N_OBJECTIVE_TERMS 11

/** Name of term i (0 .. BS_N_OBJECTIVE_TERMS-1) as written in a calendar's
 *  `objective` block, in FORMAT.md's order: unplaced, instructor_change,
 *  room_change, outside_preferred, rhythm, cost, spread, isolated,
 *  over_capacity, moved, reassigned. NULL when i is out of range. */
const char *bs_objective_term_name(size_t i);

/** Index of the term called `name`, or -1 (`total` is not a term). */
int bs_objective_term_index(const char *name);

/** Value of term i of o (0 when i is out of range). */
double bs_objective_term(const bs_objective *o, size_t i);

/** Set term i of o (ignored when i is out of range). */
void bs_objective_set_term(bs_objective *o, size_t i, double v);

/** Recompute every objective term of calendar s of problem p, weighted, and
 *  total = their sum.
 *
 *  - unplaced: weight x cohort priority per unplaced live session, except
 *    the optional sessions of `flex` programs.
 *  - instructor_change: per cohort, distinct instructors of its placed
 *    sessions beyond the largest `instructors` count of its live modules.
 *  - room_change: per cohort, distinct rooms (null not counted) beyond 1.
 *  - outside_preferred: placed session of a cohort with `preferred` that
 *    does not lie wholly inside one preferred interval.
 *  - rhythm: placed session of a rotation cohort whose weekday or local
 *    start time (calendar zone) differs from the cohort's earliest one.
 *  - cost: weight x sum over placed sessions of (room cost_per_hour + sum
 *    of its instructors' cost_per_hour) x duration_minutes / 60.
 *  - spread: per cohort with min_days, weight x max(0, min_days - distinct
 *    start dates of its placed sessions).
 *  - isolated: per learner (a cohort without learners listed counts as one
 *    learner) and placed session of theirs with no other session of theirs
 *    on the same date ending as it starts or starting as it ends.
 *  - over_capacity: only when the weight is set: weight x max(0, size -
 *    capacity) per placed session in a room.
 *  - moved, reassigned: weight per session marked so by its `change`.
 *
 *  @param p (in) the problem
 *  @param s (in) a calendar of p (assignment indices must be valid)
 *  @param out (out) the weighted terms and their total; written on success
 *  @return BS_OK; BS_EINVAL when s refers to cohorts, modules, rooms or
 *          instructors p does not have; BS_ENOMEM.
 *  Thread-safe: reads p and s only. */
bs_rc bs_evaluate_objective(const bs_problem *p, const bs_solution *s, bs_objective *out);

#endif
