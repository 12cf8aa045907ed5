/**
 * @file formulation.h
 * @brief Solver-internal: the pieces of a sub-MIP's formulation (candidate
 *        placements as columns, the GLPK matrix under construction, and the
 *        row families of docs/model.md) shared by solver/formulation.c,
 *        which writes the rows, solver/candidates.c, which generates the
 *        candidates, and solver/submip.c, which builds and runs the search.
 */
#ifndef BS_SOLVER_FORMULATION_H
#define BS_SOLVER_FORMULATION_H

#include <glpk.h>

#include "solver/internal.h"
#include "solver/search.h"

#define SAME_DAY_NZ_CAP 4000 /* nonzeros of one pair's same-day rows; see docs/model.md */

/** One candidate placement: slot x room x team, with its objective share. */
typedef struct column {
    int s, slot, room, n_instr;
    int instr[BS_MAX_TEAM];
    double cost;
} column;

/** The matrix being built (1-based triplets, as glp_load_matrix wants). */
typedef struct mip {
    glp_prob *lp;
    int *ia, *ja;
    double *ar;
    size_t nnz, cap;
    bool failed;
} mip;

/** Per free session: its columns, per-day aggregates and their chains. */
typedef struct sess_info {
    int u_var;      /* 0 when the session has no candidate */
    int first_col, n_cols;
    int *day;       /* distinct start days of its candidates, ascending */
    bs_time *latest_end; /* per day: the latest end of a candidate starting that day */
    bs_time *earliest_start; /* per day: the earliest start */
    int n_days;
    /* First of n_days prefix sums P[k] = Σ x of its candidates on day[0..k].
     * The day sums D[k] = P[k] - P[k-1] and the suffix sums
     * S[k] = (1 - u) - P[k-1] are written in terms of P (one chain row per
     * day instead of three). */
    int pre_var;
} sess_info;

/** A column's use of one resource key during [from, to). */
typedef struct use {
    long key; /* resource key */
    bs_time from, to;
    int var;
    int cohort;      /* whose placement */
    bool own_clique; /* key is the cohort's own: its rows dominate any row of
                        another key whose placements all belong to that cohort */
} use;

/** A column's use of one instructor on one date (sites, minutes). */
typedef struct team_use {
    int instr, day, site, pos, var, minutes;
} team_use;

int bs__add_cols(mip *m, int n, int kind, double lb, double ub, double obj);
int bs__add_row(mip *m, int type, double lb, double ub);
void bs__add_nz(mip *m, int row, int col, double v);
void bs__clique_rows(mip *m, use *u, size_t n);
void bs__free_infos(sess_info *si, size_t n);
bs_rc bs__build_aggregates(mip *m, const bs_problem *p, const column *cols, sess_info *in,
                           int duration, int col_var0);
bool bs__prec_ok(const bs_problem *p, const bs_domains *d, const bs_precedence *pr, int ta, int tb);
bool bs__precedence_rows(mip *m, const bs_problem *p, const bs_domains *d,
                         const bs_precedence *pr, const column *cols, int col_var0,
                         const sess_info *a, const sess_info *b, bool exact_same_day);
void bs__cadence_rows(mip *m, int max_days, const sess_info *a, const sess_info *b);
int bs__largest_team(const bs_problem *p, int cohort);
int bs__cmp_int(const void *a, const void *b);
size_t bs__uniq(int *v, size_t n);
bs_rc bs__change_terms(mip *m, const bs_problem *p, const column *cols, const sess_info *si,
                       int s0, int s1, int col_var0, bool rooms, int allowed, double weight);
bs_rc bs__spread_terms(mip *m, const sess_info *si, int n_s, int min_days, double w);
int bs__cmp_team_use(const void *a, const void *b);
void bs__site_rows(mip *m, team_use *t, size_t n);
void bs__minute_rows(mip *m, const bs__occ *occ, team_use *t, size_t n, bool by_week);

/* solver/start.c: the sub-MIP's first calendar */
bool bs__same_team(const column *c, const bs_ids *team);
/** The current calendar of the free sessions as columns (pick[k] per free
 *  session, -1 unplaced), when every placed one is among the candidates. */
bool bs__current_start(const bs_problem *p, const bs_solution *sol, const column *cols,
                       const sess_info *si, const int *sess, size_t n_s, int *pick);
/** Complete pick[] greedily (sessions already picked stay), keeping every
 *  rule among the picks; the occupancy holds the rest. split[k]: the pair of
 *  d->prec[k] may not share a date. */
bs_rc bs__greedy_start(const bs__ctx *ctx, const bs__occ *occ, const column *cols,
                       const sess_info *si, const int *sess, size_t n_s, const int *pos_of,
                       const bool *split, int *pick);

#endif
