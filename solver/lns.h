/**
 * @file lns.h
 * @brief Solver-internal: coupled neighbourhoods, larger sub-MIPs over a
 *        cohort and the cohorts coupled to it in the calendar (solver/lns.c).
 */
#ifndef BS_SOLVER_LNS_H
#define BS_SOLVER_LNS_H

#include "solver/batch.h"

/** Up to `passes` serial passes over every cohort as a seed; keeps a
 *  result only when the whole objective falls. The engine's calendar,
 *  occupancy (e->occ) and costs stay consistent; its other replicas do
 *  not (the caller rebuilds the engine when *improved). */
bs_rc bs__lns_run(bs__engine *e, int passes, bool *improved, bs_err *err);

#endif
