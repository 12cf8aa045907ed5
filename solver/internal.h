/**
 * @file internal.h
 * @brief Solver-internal state shared by its files: the occupancy of rooms,
 *        instructors and cohorts by placed sessions, and the sub-MIP entry.
 */
#ifndef BS_SOLVER_INTERNAL_H
#define BS_SOLVER_INTERNAL_H

#include "solver/solver.h"

#define BS_MAX_TEAM 8 /* instructors teaching one session together */

struct glp_prob; /* glpk.h's, for the model hook */

/* Weight of a skipped optional session inside the MIPs only: placed when
 * that costs nothing else; never part of the reported objective. */
#define OPTIONAL_EPS 1e-3

enum { BS_MODE_NORMAL = 0, BS_MODE_ALONE };

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
    double bound;       /* the best lower bound known (for progress lines) */
    double last_progress; /* when the last progress line was printed */
    /* per cohort: the rhythm reference whose time part the bound found
     * cheapest (solver/time_bound.c), -1 none; NULL until the bound ran */
    const int *rhythm_hint;
    bool complete_seen;   /* the "first complete calendar" line is out */
    /* BS_MODE_ALONE (cohorts solved alone: can the cohort place a session
     * at all?): every room and team is a candidate and rhythm is left
     * out. Read-only while threads run. */
    int mode;
    /* > 0: the node budget of a sub-MIP of up to 2000 candidates in the
     * current phase, instead of --node-limit (set between phases only) */
    int node_limit;
    /* > 0: the candidates per session of the current phase, instead of
     * --columns (set between phases only) */
    int column_budget;
    /* solver/peer.c: when set, each sub-MIP, once built, goes to the hook
     * instead of the search (the model written as MPS, or a peer's solution
     * read into it). The hook fills val[c] (n_cols entries, 1 = chosen) for
     * the candidate in GLPK column col_var0 + c. NULL in a solve. */
    bs_rc (*model_hook)(void *info, struct glp_prob *lp, int col_var0, size_t n_cols,
                        double *val, bs_err *err);
    void *hook_info;
    /* Set by solver/lns.c around its sub-MIPs: they also model `isolated`
     * (solver/isolated.c) and offer any different result, which the caller
     * judges by the whole objective. Read-only while threads run. */
    bool full_objective;
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

/** Per cohort: the other cohorts sharing a learner (ascending). */
bs_rc bs__build_peers(const bs_problem *p, bs_ids **out);

bs_rc bs__occ_create(const bs_problem *p, const bs_domains *d, bs__occ **out);
void bs__occ_destroy(bs__occ **po);
/** Add (sign +1) or remove (sign -1) a placed assignment. */
bs_rc bs__occ_apply(bs__occ *o, const bs_assignment *a, int session, int sign);
/** The session holding resource res during [from, to), or -1. Which one,
 *  when several do, depends on the order of past edits: use it as a test. */
int bs__occ_holder(const bs__occ *o, size_t res, bs_time from, bs_time to);
/** As bs__occ_holder, but the lowest session index of those holding it:
 *  for answers that must not depend on the edit history (each thread's
 *  replica has its own), such as whom to name or to re-place. */
int bs__occ_first_holder(const bs__occ *o, size_t res, bs_time from, bs_time to);
/** The lowest session index of the in-person sessions that tie instructor i
 *  to a site other than `site` on `day` (rule 3: in person at one site per
 *  date), or -1. Of all the holders, call `each` (may be NULL) with `arg`. */
int bs__occ_site_holders(const bs__occ *o, int i, int day, int site,
                         void (*each)(void *arg, int session), void *arg);

/** What one sub-MIP found for its group of cohorts, kept apart from the
 *  calendar so that parallel sub-MIPs never write shared state: the caller
 *  merges it (bs__subresult_swap) in a fixed order. */
typedef struct bs__subresult {
    bs_assignment *items; /* the group's sessions, cohort by cohort in group order */
    size_t n;
    double old_cost, new_cost; /* the group's sub-MIP objective before and after */
    bool changed;              /* items differ from the calendar and cost no more */
    bool time_hit;             /* the time limit or an interrupt cut the search */
    bool optimal;              /* the search finished (no node or time limit) */
    double bound;              /* the sub-MIP's best bound (0 when none) */
} bs__subresult;

/** Re-place the sessions of the given cohorts (which must be absent from
 *  occ) as one MIP against everything in occ; `sol` is only read.
 *  col_budget > 0 keeps at most about that many candidate placements per
 *  session (the cheapest of each day, spread over its days); 0 keeps all;
 *  < 0 keeps -col_budget for the sessions placed in sol and all for the
 *  others (a repair that needs every way to place what is missing).
 *  Thread-safe: concurrent calls may share ctx, occ and sol read-only. */
bs_rc bs__submip_solve(const bs__ctx *ctx, const bs__occ *occ, const int *cohorts,
                       size_t n_cohorts, const bs_solution *sol, int col_budget,
                       bs__subresult *res, bs_err *err);

/** Exchange res->items with the group's assignments in sol (afterwards
 *  res->items hold the old ones). */
void bs__subresult_swap(const bs__ctx *ctx, bs_solution *sol, const int *cohorts,
                        size_t n_cohorts, bs__subresult *res);
void bs__subresult_free(bs__subresult *res);

/** The sub-MIP objective of one cohort's assignments (every term but
 *  `isolated`, which spans cohorts); items[k] is the assignment of the
 *  cohort's k-th session. */
double bs__cohort_cost(const bs__ctx *ctx, const bs_assignment *items, int cohort);

/** Could the placed assignment a of session `session` join occ without
 *  breaking a hard rule against what occ holds (resources free, learners
 *  free, minutes, site per date)? The static rules are the candidate
 *  generator's. */
bool bs__occ_fits(const bs__occ *occ, const bs_ids *peers, const bs_assignment *a, int session);

/** A lower bound on the cohort's share of the objective (solver/bound.c),
 *  and in *rhythm_hint the reference pattern of its cheapest time part
 *  (-1 when it has no rhythm). Thread-safe. */
bs_rc bs__cohort_bound(const bs__ctx *ctx, int cohort, double *bound, int *rhythm_hint);
/** The least time cost (price at the start, outside-preferred, rhythm) of
 *  the cohort's sessions marked in[] when all of them are placed
 *  (solver/time_bound.c); session j is cohort_first + j, cost[j][k] its
 *  cost at its k-th start, INFINITY where it cannot start. INFINITY when
 *  they cannot all be placed. *best_pattern gets the rhythm reference
 *  (weekday × 1440 + minute) of that least cost, the first such in that
 *  order, or -1 without rhythm. *failed on out of memory. Thread-safe. */
double bs__time_part_bound(const bs__ctx *ctx, int cohort, double *const *cost, const bool *in,
                           int *best_pattern, bool *failed);

double bs__now(void);

/* ==== Re-planning (solver/replan.c) ==== */

/** The moved or reassigned weight that placing session `session` at
 *  (start, room, team of n) pays against the baseline; 0 without one. */
double bs__change_cost(const bs__ctx *ctx, int session, bs_time start, int room, const int *team,
                       int n);
/** The least change cost that every candidate of the session's static
 *  domain pays against the baseline (for the lower bound): `moved` when
 *  its baseline start is not in the domain, the smaller of `moved` and
 *  `reassigned` when the baseline room or team is not, else 0. */
double bs__forced_change_cost(const bs__ctx *ctx, int session);
/** Whether that placement uses the change budget (moved or reassigned). */
bool bs__is_change(const bs__ctx *ctx, int session, bs_time start, int room, const int *team,
                   int n);
/** Whether the run has a change budget (a baseline and --max-changes). */
bool bs__has_budget(const bs__ctx *ctx);
/** Changes in sol by the sessions of cohorts not in the list. */
long bs__changes_outside(const bs__ctx *ctx, const bs_solution *sol, const int *cohorts,
                         size_t n_cohorts);
/** Would the calendar keep the budget with the group's assignments
 *  replaced by `items` (the group's sessions, cohort by cohort)? */
bool bs__budget_fits(const bs__ctx *ctx, const bs_solution *sol, const int *cohorts,
                     size_t n_cohorts, const bs_assignment *items);
/** A pinned session left unplaced because what its pin fixes is taken
 *  (RESOURCES_BUSY with its blocking list): PIN_BROKEN, naming the rule
 *  (3 instructors, 4 room, 5 learners) from the pinned parts that block. */
bs_rc bs__pin_busy(const bs__ctx *ctx, const bs_session *se, bs_conflict *cf);
/** Whether the calendar, with the group's assignments replaced by `items`
 *  (NULL: as they are), has no change of the budget left. */
bool bs__budget_spent(const bs__ctx *ctx, const bs_solution *sol, const int *cohorts,
                      size_t n_cohorts, const bs_assignment *items);
/** With a budget that leaves required sessions unplaced: solve again
 *  without it and say in the report what a larger budget would place. */
bs_rc bs__budget_report(const bs__ctx *ctx, const bs_solution *sol, bs_report *report,
                        bs_err *err);

#endif
