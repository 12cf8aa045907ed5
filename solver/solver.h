/**
 * @file solver.h
 * @brief Placement of live sessions: decomposition by cohort, GLPK sub-MIPs,
 *        improvement rounds, and the conflict report.
 */
#ifndef BS_SOLVER_SOLVER_H
#define BS_SOLVER_SOLVER_H

#include <signal.h>

#include "model/baseline.h"
#include "model/report.h"
#include "model/solution.h"

typedef struct bs_solve_opts {
    int threads;            /**< OpenMP threads; 0 = all cores */
    double time_limit;      /**< seconds of wall time, a safety net; 0 = none */
    int node_limit;         /**< branch-and-bound nodes per sub-MIP (deterministic) */
    int improve_rounds;     /**< fix-and-optimize rounds over all cohorts */
    int lns_passes;         /**< passes of coupled neighbourhoods (solver/lns.c); 0 = none */
    long polish_steps;      /**< local-search steps after them (solver/polish.c); 0 = none */
    int monolithic_columns; /**< solve in one MIP when it has at most this many columns */
    double mip_gap;         /**< a sub-MIP's search stops within this relative gap */
    int column_budget;      /**< candidate placements per session in a sub-MIP (the
                                 cheapest of each day); 0 = all */
    int verbosity;          /**< 0 quiet, 1 progress, 2 GLPK output */
    bool progress;          /**< print progress lines on stderr */
    unsigned long seed;     /**< tie-breaking seed */
    volatile sig_atomic_t *interrupt; /**< set non-zero (by a signal) to stop early */
    /** re-planning (solve --baseline): the published calendar; NULL for none.
     *  Candidates pay `moved` or `reassigned` against it and the calendar
     *  gets change marks. Frozen sessions (--now) are pins of the problem. */
    const bs_baseline *baseline;
    /** with a baseline: at most this many moved plus reassigned sessions
     *  (a hard budget); -1 = no budget */
    long max_changes;
} bs_solve_opts;

void bs_solve_opts_init(bs_solve_opts *o);

/** Solve a problem.
 *  @param sol (out) the calendar, one assignment per live session
 *  @param report (out) unplaced sessions with reasons, skipped, warnings
 *  With a change budget that leaves required sessions unplaced, the run is
 *  repeated without the budget, and the report gets a CHANGE_BUDGET
 *  warning saying how many more sessions that places with how many
 *  changes (docs/FORMAT.md).
 *  @return BS_OK (an incomplete calendar is still BS_OK: see sol->status),
 *          BS_ENOMEM, BS_ESOLVER. */
bs_rc bs_solver_run(const bs_problem *p, const bs_solve_opts *o, bs_solution **sol,
                    bs_report **report, bs_err *err);

#endif
