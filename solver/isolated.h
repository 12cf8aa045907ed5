/**
 * @file isolated.h
 * @brief Solver-internal: the `isolated` objective term as sub-MIP rows
 *        (solver/isolated.c), written only when ctx->full_objective is set.
 */
#ifndef BS_SOLVER_ISOLATED_H
#define BS_SOLVER_ISOLATED_H

#include "solver/formulation.h"

/** Rows and costed columns for `isolated` of every learner of the free
 *  cohorts; sessions of the other cohorts are read from sol. */
bs_rc bs__isolated_terms(mip *m, const bs__ctx *ctx, const bs_solution *sol, const int *cohorts,
                         size_t n_cohorts, const column *cols, size_t n_cols, int col_var0);

#endif
