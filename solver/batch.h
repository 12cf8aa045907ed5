/**
 * @file batch.h
 * @brief Solver-internal: the parallel fix-and-optimize engine (construction
 *        and improvement in batches of groups of cohorts, merged in order).
 */
#ifndef BS_SOLVER_BATCH_H
#define BS_SOLVER_BATCH_H

#include "solver/internal.h"

#define BS_MAX_GROUP 4 /* cohorts re-placed together in one improvement sub-MIP */
#define BS_TASK_COHORTS 32 /* cohorts in one sub-MIP of any batch (lns.c's are the largest) */

typedef struct bs__engine {
    bs__ctx *ctx;
    bs_solution *sol; /* the calendar */
    bs__occ *occ;     /* its occupancy (replica[0]) */
    bs__occ **replica; /* [threads]: each thread's copy, equal at the start of a batch */
    int threads;
    double *cost;     /* per cohort: its sub-MIP objective in the calendar */
    size_t n_clashes; /* results that no longer fitted at their merge */
    size_t n_skipped; /* improvement targets left alone: nothing near them freed */
    /* Work avoidance, all in commit counts (deterministic): a cohort solved
     * alone against a calendar in which nothing it could use has been freed
     * since would get the same answer again. */
    size_t epoch;       /* commits so far */
    size_t *freed_at;   /* per resource key (rooms, instructors, cohorts): last commit
                           that took a placement off it */
    size_t *solved_at;  /* per cohort: epoch of the calendar it was last solved alone
                           against, 0 = never */
    int repair_round;   /* which blockers an improvement round takes (see batch.c) */
    bool repair_opening; /* repair: the blockers of one start instead (see batch.c) */
} bs__engine;

bs_rc bs__engine_init(bs__engine *e, bs__ctx *ctx, bs_solution *sol, int threads);
void bs__engine_free(bs__engine *e);
double bs__engine_objective(const bs__engine *e);
bool bs__engine_should_stop(const bs__engine *e);
/** A progress line on stderr (when asked for), at most once a second
 *  unless forced. */
void bs__engine_progress(bs__engine *e, const char *phase, size_t done, size_t total, bool force);
/** Place the cohorts (absent from the calendar) in this order. */
bs_rc bs__engine_construct(bs__engine *e, const int *order, size_t n, bs_err *err);
/** One round: each target cohort with the cohorts blocking it re-placed
 *  against the rest; *improved when some group's cost fell. */
bs_rc bs__engine_improve(bs__engine *e, const int *targets, size_t n, bool *improved,
                         bs_err *err);

/** Judge the calendar with one more result merged: *keep false undoes it. */
typedef bs_rc (*bs__keep_fn)(void *arg, const bs__engine *e, bool *keep);
/** One batch of disjoint groups (group k: sizes[k] cohorts, ascending, at
 *  groups + k * BS_TASK_COHORTS), each re-placed in parallel against the
 *  calendar as it is, then merged in order: a result is kept when it still
 *  fits what earlier merges placed and `keep` approves the calendar with
 *  it; *improved when one was kept. Solver/lns.c's coupled neighbourhoods. */
bs_rc bs__engine_try_groups(bs__engine *e, const int *groups, const size_t *sizes, size_t n,
                            bs__keep_fn keep, void *arg, bool *improved, bs_err *err);

#endif
