/**
 * @file polish.h
 * @brief Solver-internal: the local-search polish after the sub-MIP phases
 *        (simulated annealing over single-session moves and swaps).
 */
#ifndef BS_SOLVER_POLISH_H
#define BS_SOLVER_POLISH_H

#include "solver/batch.h"

/** `steps` annealing steps on e's calendar and its occupancy (replica 0
 *  only: the caller rebuilds the engine when *improved). The calendar left
 *  is the best seen, never worse than the one given. */
bs_rc bs__polish_run(bs__engine *e, long steps, bool *improved, bs_err *err);

#endif
