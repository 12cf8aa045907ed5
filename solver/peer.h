/**
 * @file peer.h
 * @brief The engine's monolithic model for other MIP solvers: written as
 *        fixed MPS (GLPK's writer) for `glpsol` and CBC, and their solutions
 *        read back into a calendar, so that peers are compared with the
 *        decomposition on the very same model (BENCHMARKS.md).
 */
#ifndef BS_SOLVER_PEER_H
#define BS_SOLVER_PEER_H

#include "model/solution.h"

/** Which solver wrote a solution file. */
typedef enum bs_peer_format {
    BS_PEER_GLPK, /**< `glpsol -w FILE`: GLPK's plain text MIP solution */
    BS_PEER_CBC   /**< `cbc ... -solu FILE`: CBC's solution listing */
} bs_peer_format;

/** What the model holds, for the bench's report. */
typedef struct bs_peer_model {
    size_t rows, columns, binaries, nonzeros;
    /** Objective constant (sessions without any candidate). Not in the MPS
     *  file, whose objective row GLPK and CBC read with opposite signs of
     *  its constant: a peer's objective plus this is the model's. */
    double constant;
    /** An integer solution whose objective in the file is below this places
     *  every required session that has a candidate (each unplaced one costs
     *  at least this much; no objective coefficient is negative). Lets a
     *  bench read completeness off a peer's log of incumbents. */
    double complete_below;
    double mip_objective; /**< the read solution's objective in the model,
                               constant included; NaN when it has none */
} bs_peer_model;

/** Build the monolithic model (every cohort in one MIP with every candidate
 *  placement and every precedence record, against an empty calendar: the
 *  MIP of the engine's monolithic step, docs/solver.md) and write it to
 *  path as fixed MPS (GLP_MPS_DECK; generic names R0000001, C0000001, ...
 *  numbered as GLPK numbers rows and columns). Written atomically: a
 *  temporary file renamed into place.
 *  @param info (out, may be NULL) the model's size
 *  @return BS_OK, BS_ENOMEM, BS_EIO (path not writable). */
bs_rc bs_peer_write_mps(const bs_problem *p, const char *path, bs_peer_model *info, bs_err *err);

/** Rebuild the same model, read a peer's solution of it from path and turn
 *  the chosen candidates into a calendar (status complete when every
 *  required session is placed, else partial; objective evaluated as
 *  FORMAT.md says). A solution without an integer point (the peer found
 *  none) gives a calendar with nothing placed.
 *  @param out (out) the calendar; the caller destroys it
 *  @param info (out, may be NULL) the model's size and the solution's objective
 *  @return BS_OK, BS_ENOMEM, BS_EIO (unreadable), BS_EPARSE (not a solution
 *          of this model). */
bs_rc bs_peer_read_solution(const bs_problem *p, bs_peer_format fmt, const char *path,
                            bs_solution **out, bs_peer_model *info, bs_err *err);

#endif
