/**
 * @file candidates.h
 * @brief Candidate placements of a sub-MIP's sessions (solver/candidates.c).
 */
#ifndef BS_SOLVER_CANDIDATES_H
#define BS_SOLVER_CANDIDATES_H

#include "solver/formulation.h"

/* The columns of one sub-MIP as they are generated, and what they are
 * generated against. */
typedef struct bs__colgen {
    const bs__ctx *ctx;
    const bs__occ *occ;
    const bs_solution *sol; /* the current calendar (free cohorts' part is the start) */
    const int *rhythm_ref;  /* per cohort: reference pattern of rotation cohorts, or -1 */
    const bool *is_free;    /* per cohort */
    int col_budget;         /* per session; 0 = every candidate; < 0: -col_budget for
                               sessions placed in the calendar, every candidate for the rest */
    column *cols;
    size_t n_cols, cap_cols;
    /* One cohort's view of every room and instructor (candidates.c,
     * cohort_profile), computed once per cohort; profile_cohort is that
     * cohort + 1 (0: none). cover: at how many sampled (session, start)
     * pairs of its domain the occupancy leaves it usable; suits: how many
     * of its sessions it suits. */
    int profile_cohort;
    int *room_cover, *instr_cover, *room_suits, *instr_suits;
} bs__colgen;

/** Free what bs__gen_session allocated in g (not g itself). */
void bs__colgen_free(bs__colgen *g);

/** Append session si's candidate placements (slot x room x team) to g->cols:
 *  those the occupancy and the static rules allow, thinned to the budget. */
bs_rc bs__gen_session(bs__colgen *g, int si);

/** The rhythm reference pattern of a rotation cohort in this sub-MIP (-1
 *  for other programs, or when rhythm has no weight). */
int bs__rhythm_reference(const bs__ctx *ctx, const bs_solution *sol, int cohort);

#endif
