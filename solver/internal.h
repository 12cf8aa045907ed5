/**
 * @file internal.h
 * @brief Solver-internal state shared by its files: the occupancy of rooms,
 *        instructors and cohorts by placed sessions, and the sub-MIP entry.
 */
#ifndef BS_SOLVER_INTERNAL_H
#define BS_SOLVER_INTERNAL_H

#include "solver/solver.h"

#define BS_MAX_TEAM 8 /* instructors teaching one session together */

/* Weight of a skipped optional session inside the MIPs only: placed when
 * that costs nothing else; never part of the reported objective. */
#define OPTIONAL_EPS 1e-3

enum { BS_MODE_NORMAL = 0, BS_MODE_LP_BOUND, BS_MODE_ALONE };

typedef struct occ_entry {
    bs_time from, to;
    int session;
} occ_entry;

typedef struct occ_list {
    occ_entry *items;
    uint32_t count, cap;
} occ_list;

/** Who holds what: per resource (rooms, then instructors, then cohorts) and
 *  per day the intervals of placed sessions; instructors' minutes per day
 *  and week; the site of their in-person sessions per day. */
typedef struct bs__occ {
    const bs_problem *p;
    const bs_domains *d;
    size_t n_res, n_days, n_weeks;
    occ_list *lists;   /* [res * n_days + day] */
    int *minutes_day;  /* [instructor * n_days + day] */
    int *minutes_week; /* [instructor * n_weeks + week] */
    int *site_count;   /* [instructor * n_days + day]: in-person sessions */
    int *site_of;      /* their site */
    int *week_of_day;
} bs__occ;

/** Everything a solve shares across its steps. */
typedef struct bs__ctx {
    const bs_problem *p;
    const bs_domains *d;
    const bs_solve_opts *o;
    bs_ids *peers;      /* per cohort: other cohorts sharing a learner */
    double start_time;  /* omp_get_wtime at the start */
    bool limit_hit;     /* the time limit cut some search (set by the serial part) */
    /* Relaxed modes (cohorts solved alone): every room and team is a
     * candidate and rhythm is left out, so that the sub-MIP is a relaxation
     * of the cohort's true problem. BS_MODE_LP_BOUND solves only its LP
     * relaxation (a lower bound, no assignment); BS_MODE_ALONE solves the
     * MIP (can the cohort place a session at all?). Read-only while
     * threads run. */
    int mode;
} bs__ctx;

static inline size_t bs__res_room(const bs__occ *o, int r)
{
    (void)o;
    return (size_t)r;
}
static inline size_t bs__res_instructor(const bs__occ *o, int i)
{
    return o->p->n_rooms + (size_t)i;
}
static inline size_t bs__res_cohort(const bs__occ *o, int c)
{
    return o->p->n_rooms + o->p->n_instructors + (size_t)c;
}

bs_rc bs__occ_create(const bs_problem *p, const bs_domains *d, bs__occ **out);
void bs__occ_destroy(bs__occ **po);
/** Add (sign +1) or remove (sign -1) a placed assignment. */
bs_rc bs__occ_apply(bs__occ *o, const bs_assignment *a, int session, int sign);
/** The session holding resource res during [from, to), or -1. */
int bs__occ_holder(const bs__occ *o, size_t res, bs_time from, bs_time to);

/** Re-place the sessions of the given cohorts (which must be absent from
 *  occ) as one MIP against everything in occ. On success the assignments of
 *  those sessions in `sol` are replaced when the new ones cost no more
 *  (by the sub-MIP's objective); *improved tells whether they changed,
 *  *bound receives the sub-MIP's best bound, *time_hit whether the time
 *  limit or an interrupt cut it. Thread-safe for disjoint cohort sets when
 *  occ is not modified meanwhile. */
bs_rc bs__submip_solve(bs__ctx *ctx, const bs__occ *occ, const int *cohorts, size_t n_cohorts,
                       bs_solution *sol, bool *improved, double *bound, bool *time_hit,
                       bs_err *err);

/** The sub-MIP objective of one cohort's current assignments (every term
 *  but `isolated`, which spans cohorts). */
double bs__cohort_cost(const bs__ctx *ctx, const bs_solution *sol, int cohort);

double bs__now(void);

#endif
