/**
 * @file rooms.h
 * @brief Solver-internal: room re-assignment with starts and teams fixed
 *        (solver/rooms.c).
 */
#ifndef BS_SOLVER_ROOMS_H
#define BS_SOLVER_ROOMS_H

#include "solver/internal.h"

/** Choose every movable session's room again (starts and teams kept), one
 *  MIP per component of interchangeable rooms, in parallel; sol changes
 *  (and *changed is set) only when the whole objective falls. The caller
 *  brings occupancies and cohort costs up to date when *changed. */
bs_rc bs__rooms_reassign(const bs__ctx *ctx, int threads, bs_solution *sol, bool *changed,
                         bs_err *err);

#endif
