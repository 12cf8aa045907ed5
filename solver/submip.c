/**
 * @file submip.c
 * @brief One sub-MIP: the sessions of a set of cohorts placed against the
 *        fixed occupancy of all others, as a GLPK integer program over
 *        candidate placements (slot x room x instructor team).
 *
 * Formulation (docs/model.md): a binary x per candidate placement that the
 * occupancy and static rules allow, an elastic u per session (Σx + u = 1),
 * clique rows per resource and start instant (rooms, instructors, cohorts,
 * pairs of cohorts sharing learners), site-per-date rows with z binaries,
 * daily/weekly minute rows, precedence and cadence rows over cumulative
 * sums of per-slot aggregates X, and the objective's cohort-level terms
 * (room and instructor changes through indicator y, rhythm through a
 * pattern choice h, spread through day indicators).
 */
#include <glpk.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver/internal.h"

#define MAX_TEAMS_PER_SLOT 2
#define MAX_ROOMS_PER_SLOT 2
#define SAME_DAY_NZ_CAP 4000
#define BOUND_TEAMS_PER_SLOT 64 /* beyond this the bound may not be valid: see docs/model.md */
#define OPTIONAL_EPS 1e-3

double bs__now(void)
{
    return omp_get_wtime();
}

typedef struct column {
    int s, slot, room, n_instr;
    int instr[BS_MAX_TEAM];
    double cost;
} column;

typedef struct mip {
    glp_prob *lp;
    int *ia, *ja;
    double *ar;
    size_t nnz, cap;
    bool failed;
} mip;

static int add_cols(mip *m, int n, int kind, double lb, double ub, double obj)
{
    int first = glp_add_cols(m->lp, n);
    for (int j = first; j < first + n; j++) {
        glp_set_col_kind(m->lp, j, kind);
        glp_set_col_bnds(m->lp, j, lb == ub ? GLP_FX : GLP_DB, lb, ub);
        glp_set_obj_coef(m->lp, j, obj);
    }
    return first;
}

static int add_row(mip *m, int type, double lb, double ub)
{
    int r = glp_add_rows(m->lp, 1);
    glp_set_row_bnds(m->lp, r, type, lb, ub);
    return r;
}

static void add_nz(mip *m, int row, int col, double v)
{
    if (m->failed)
        return;
    if (m->nnz + 1 >= m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 4096;
        int *ia = bs_reallocarray(m->ia, cap, sizeof(int));
        if (ia)
            m->ia = ia;
        int *ja = bs_reallocarray(m->ja, cap, sizeof(int));
        if (ja)
            m->ja = ja;
        double *ar = bs_reallocarray(m->ar, cap, sizeof(double));
        if (ar)
            m->ar = ar;
        if (!ia || !ja || !ar) {
            m->failed = true;
            return;
        }
        m->cap = cap;
    }
    m->nnz++;
    m->ia[m->nnz] = row;
    m->ja[m->nnz] = col;
    m->ar[m->nnz] = v;
}

/* ==== Candidate placements ==== */

typedef struct gen {
    bs__ctx *ctx;
    const bs__occ *occ;
    const bs_solution *sol; /* the current calendar (free cohorts' part is the start) */
    const int *rhythm_ref;  /* per cohort: reference pattern of rotation cohorts, or -1 */
    const bool *is_free; /* per cohort */
    column *cols;
    size_t n_cols, cap_cols;
} gen;

static bool push_col(gen *g, const column *c)
{
    if (g->n_cols == g->cap_cols) {
        size_t cap = g->cap_cols ? 2 * g->cap_cols : 1024;
        column *n = bs_reallocarray(g->cols, cap, sizeof *n);
        if (n == NULL)
            return false;
        g->cols = n;
        g->cap_cols = cap;
    }
    g->cols[g->n_cols++] = *c;
    return true;
}

static bool instructor_usable(const gen *g, const bs_session *s, int i, const bs_slot *sl)
{
    const bs_problem *p = g->ctx->p;
    const bs__occ *o = g->occ;
    const bs_instructor *in = &p->instructors[i];
    bs_time t = sl->start, e = t + s->duration;
    if (!bs_instructor_free_at(in, t, e))
        return false;
    if (bs__occ_holder(o, bs__res_instructor(o, i), t, e) >= 0)
        return false;
    size_t di = (size_t)i * o->n_days + (size_t)sl->day;
    if (in->max_minutes_per_day >= 0 && o->minutes_day[di] + s->duration > in->max_minutes_per_day)
        return false;
    size_t wi = (size_t)i * o->n_weeks + (size_t)o->week_of_day[sl->day];
    if (in->max_minutes_per_week >= 0 &&
        o->minutes_week[wi] + s->duration > in->max_minutes_per_week)
        return false;
    if (s->in_person && o->site_count[di] > 0 && o->site_of[di] != p->cohorts[s->cohort].site)
        return false;
    return true;
}

static int pattern_of(const bs_problem *p, int slot)
{
    return p->days[p->slots[slot].day].weekday * 1440 + p->slots[slot].local_minute;
}

/* The column's share of the objective: preferred window, cost, capacity
 * overflow, and rhythm against the cohort's reference pattern (rotation):
 * with the pattern fixed, rhythm is a plain column cost, which keeps the LP
 * relaxation as tight as the rest. */
static double column_cost(const gen *g, const bs_session *s, int slot, int room, const int *team,
                          int n_team)
{
    const bs_problem *p = g->ctx->p;
    const bs_cohort *c = &p->cohorts[s->cohort];
    const bs_weights *w = &p->weights;
    bs_time t = p->slots[slot].start, e = t + s->duration;
    double cost = 0;
    if (c->has_preferred && !bs_intervals_contain(&c->preferred, t, e))
        cost += w->outside_preferred;
    double per_hour = room >= 0 ? p->rooms[room].cost_per_hour : 0;
    for (int k = 0; k < n_team; k++)
        per_hour += p->instructors[team[k]].cost_per_hour;
    cost += w->cost * per_hour * s->duration / 60.0;
    if (w->has_over_capacity && room >= 0 && p->rooms[room].capacity < c->size)
        cost += w->over_capacity * (c->size - p->rooms[room].capacity);
    int ref = g->rhythm_ref[s->cohort];
    if (ref >= 0 && pattern_of(p, slot) != ref)
        cost += w->rhythm;
    return cost;
}

/* Preference order of a session's rooms or instructors: those the cohort
 * uses now first (so the current calendar stays representable), then those
 * suitable for most of the cohort's sessions (so one room and one team can
 * serve them all), then the cheaper, then the input order. */
typedef struct ranked {
    int id, used, suits;
    double cost;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->used != y->used)
        return y->used - x->used;
    if (x->suits != y->suits)
        return y->suits - x->suits;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    return x->id - y->id;
}

static bs_rc rank_resources(const gen *g, const bs_session *s, bool rooms, int **out)
{
    const bs_domains *d = g->ctx->d;
    const bs_problem *p = g->ctx->p;
    const bs_ids *list = rooms ? &s->rooms : &s->instructors;
    ranked *r = bs_calloc(list->count, sizeof *r);
    int *ids = bs_calloc(list->count, sizeof(int));
    if (!r || !ids) {
        free(r);
        free(ids);
        return BS_ENOMEM;
    }
    size_t s0 = d->cohort_first[s->cohort], s1 = d->cohort_first[s->cohort + 1];
    for (size_t k = 0; k < list->count; k++) {
        int id = list->items[k];
        r[k].id = id;
        r[k].cost = rooms ? p->rooms[id].cost_per_hour * 1e6 + p->rooms[id].capacity
                          : p->instructors[id].cost_per_hour;
        for (size_t q = s0; q < s1; q++) {
            const bs_assignment *a = &g->sol->items[q];
            r[k].suits += bs_ids_contains(rooms ? &d->sessions[q].rooms : &d->sessions[q].instructors, id);
            if (a->placed)
                r[k].used += rooms ? a->room == id : bs_ids_contains(&a->instructors, id);
        }
    }
    qsort(r, list->count, sizeof *r, cmp_ranked);
    for (size_t k = 0; k < list->count; k++)
        ids[k] = r[k].id;
    free(r);
    *out = ids;
    return BS_OK;
}

static bool same_team(const column *c, const bs_ids *team)
{
    if ((size_t)c->n_instr != team->count)
        return false;
    for (int q = 0; q < c->n_instr; q++)
        if (!bs_ids_contains(team, c->instr[q]))
            return false;
    return true;
}

static bs_rc gen_session(gen *g, int si)
{
    const bs_problem *p = g->ctx->p;
    const bs_session *s = &g->ctx->d->sessions[si];
    const bs__occ *o = g->occ;
    const bs_ids *peers = &g->ctx->peers[s->cohort];
    const bs_assignment *cur = &g->sol->items[si];
    int *room_order = NULL, *people_order = NULL;
    BS_TRY(rank_resources(g, s, true, &room_order));
    bs_rc rc = rank_resources(g, s, false, &people_order);
    int *avail = bs_calloc(s->instructors.count + 1, sizeof(int));
    int *rooms = bs_calloc(s->rooms.count + 2, sizeof(int));
    if (rc == BS_OK && (!avail || !rooms))
        rc = BS_ENOMEM;
    int k_team = s->n_instructors;
    for (size_t k = 0; rc == BS_OK && k < s->n_slots && k_team <= BS_MAX_TEAM; k++) {
        int slot = s->slots[k];
        const bs_slot *sl = &p->slots[slot];
        bs_time t = sl->start, e = t + s->duration;
        bool blocked = false;
        for (size_t q = 0; q < peers->count && !blocked; q++)
            blocked = !g->is_free[peers->items[q]] &&
                      bs__occ_holder(o, bs__res_cohort(o, peers->items[q]), t, e) >= 0;
        if (blocked)
            continue;
        int n_rooms = 0;
        for (size_t r = 0; r < s->rooms.count; r++) {
            int room = room_order[r];
            if (bs_room_free_at(&p->rooms[room], t, e) &&
                bs__occ_holder(o, bs__res_room(o, room), t, e) < 0)
                rooms[n_rooms++] = room;
        }
        if (!s->needs_room)
            rooms[n_rooms++] = -1;
        if (n_rooms == 0)
            continue;
        int n_avail = 0;
        for (size_t q = 0; q < s->instructors.count; q++)
            if (instructor_usable(g, s, people_order[q], sl))
                avail[n_avail++] = people_order[q];
        if (n_avail < k_team)
            continue;
        bool at_current = cur->placed && cur->start == t;
        bool current_seen = false;
        int max_rooms = g->ctx->mode != BS_MODE_NORMAL ? n_rooms : MAX_ROOMS_PER_SLOT;
        int max_teams = g->ctx->mode != BS_MODE_NORMAL ? BOUND_TEAMS_PER_SLOT : MAX_TEAMS_PER_SLOT;
        int use_rooms = n_rooms < max_rooms ? n_rooms : max_rooms;
        /* Teams: k-subsets of the ranked available instructors, lexicographic. */
        int idx[BS_MAX_TEAM];
        for (int a = 0; a < k_team; a++)
            idx[a] = a;
        for (int teams = 0; rc == BS_OK && teams < max_teams; teams++) {
            column c = {.s = si, .slot = slot, .n_instr = k_team};
            for (int a = 0; a < k_team; a++)
                c.instr[a] = avail[idx[a]];
            for (int r = 0; r < use_rooms; r++) {
                c.room = rooms[r];
                c.cost = column_cost(g, s, slot, c.room, c.instr, k_team);
                current_seen = current_seen || (at_current && c.room == cur->room &&
                                                same_team(&c, &cur->instructors));
                if (!push_col(g, &c))
                    rc = BS_ENOMEM;
            }
            int a = k_team - 1;
            while (a >= 0 && idx[a] == n_avail - k_team + a)
                a--;
            if (a < 0)
                break;
            idx[a]++;
            for (int b = a + 1; b < k_team; b++)
                idx[b] = idx[b - 1] + 1;
        }
        /* The current placement stays a candidate, so the search never
         * loses the calendar it starts from. */
        if (rc == BS_OK && at_current && !current_seen && (int)cur->instructors.count == k_team) {
            column c = {.s = si, .slot = slot, .n_instr = k_team, .room = cur->room};
            for (int a = 0; a < k_team; a++)
                c.instr[a] = cur->instructors.items[a];
            c.cost = column_cost(g, s, slot, c.room, c.instr, k_team);
            if (!push_col(g, &c))
                rc = BS_ENOMEM;
        }
    }
    free(room_order);
    free(people_order);
    free(avail);
    free(rooms);
    return rc;
}

/* ==== Clique rows ==== */

typedef struct use {
    long key; /* resource key */
    bs_time from, to;
    int var;
} use;

static int cmp_use(const void *a, const void *b)
{
    const use *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return (x->var > y->var) - (x->var < y->var);
}

/* For each resource key, one row per maximal set of pairwise overlapping
 * uses: intervals overlap pairwise iff they share a point, and a maximal
 * such set is found at a start instant followed by an end. */
static void clique_rows(mip *m, use *u, size_t n)
{
    qsort(u, n, sizeof *u, cmp_use);
    size_t *active = bs_calloc(n, sizeof(size_t));
    if (active == NULL) {
        m->failed = true;
        return;
    }
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && u[b].key == u[a].key)
            b++;
        size_t n_active = 0;
        for (size_t k = a; k < b;) {
            bs_time tau = u[k].from;
            /* drop uses that ended by tau */
            size_t w = 0;
            for (size_t q = 0; q < n_active; q++)
                if (u[active[q]].to > tau)
                    active[w++] = active[q];
            n_active = w;
            while (k < b && u[k].from == tau)
                active[n_active++] = k++;
            /* emit when the next start comes after some active use ends */
            bool emit = k == b;
            for (size_t q = 0; !emit && q < n_active; q++)
                emit = u[active[q]].to <= u[k].from;
            if (emit && n_active >= 2) {
                /* dedupe variables (a placement may appear twice under one key) */
                int row = add_row(m, GLP_UP, 0, 1);
                int last = -1;
                for (size_t q = 0; q < n_active; q++) {
                    if (u[active[q]].var == last)
                        continue;
                    add_nz(m, row, u[active[q]].var, 1);
                    last = u[active[q]].var;
                }
            }
        }
        a = b;
    }
    free(active);
}

/* ==== The model ==== */

typedef struct cbinfo {
    int node_limit;
    double deadline;
    volatile sig_atomic_t *interrupt;
    bool time_hit;
    bool has_bound;
    double bound;
    const double *start; /* a feasible solution (1-based, all columns) or NULL */
    bool start_given;
} cbinfo;

static void callback(glp_tree *tree, void *info)
{
    cbinfo *cb = info;
    if (glp_ios_reason(tree) == GLP_IHEUR && cb->start && !cb->start_given) {
        cb->start_given = true;
        glp_ios_heur_sol(tree, cb->start);
    }
    int a_cnt, n_cnt, t_cnt;
    glp_ios_tree_size(tree, &a_cnt, &n_cnt, &t_cnt);
    int best = glp_ios_best_node(tree);
    if (best != 0) {
        cb->bound = glp_ios_node_bound(tree, best);
        cb->has_bound = true;
    }
    if (cb->node_limit > 0 && t_cnt > cb->node_limit)
        glp_ios_terminate(tree);
    if ((cb->deadline > 0 && bs__now() > cb->deadline) || (cb->interrupt && *cb->interrupt)) {
        cb->time_hit = true;
        glp_ios_terminate(tree);
    }
}

typedef struct sess_info {
    int u_var;      /* 0 when the session has no candidate */
    int first_col, n_cols;
    int *day;       /* distinct start days of its candidates, ascending */
    int *day_var;   /* D[k]: Σ x of its candidates on day[k] */
    bs_time *latest_end; /* per day: the latest end of a candidate starting that day */
    bs_time *earliest_start; /* per day: the earliest start */
    int n_days;
    int pre_var;    /* first of n_days prefix sums P[k] = Σ_{j<=k} D[j] */
    int suf_var;    /* first of n_days suffix sums S[k] = Σ_{j>=k} D[j] */
} sess_info;

static void free_infos(sess_info *si, size_t n)
{
    for (size_t k = 0; si && k < n; k++) {
        free(si[k].day);
        free(si[k].day_var);
        free(si[k].latest_end);
        free(si[k].earliest_start);
    }
    free(si);
}

/* Per-day aggregates D and their prefix/suffix chains for one session.
 * Precedence, cadence and spread only need start dates, so day-level
 * chains (about 60 per session) replace slot-level ones (about 600). */
static bs_rc build_aggregates(mip *m, const bs_problem *p, const column *cols, sess_info *in,
                              int duration, int col_var0)
{
    if (in->n_cols == 0)
        return BS_OK;
    size_t n = (size_t)in->n_cols;
    in->day = bs_calloc(n, sizeof(int));
    in->day_var = bs_calloc(n, sizeof(int));
    in->latest_end = bs_calloc(n, sizeof(bs_time));
    in->earliest_start = bs_calloc(n, sizeof(bs_time));
    if (!in->day || !in->day_var || !in->latest_end || !in->earliest_start)
        return BS_ENOMEM;
    /* columns are generated slot by slot, so days come in ascending order */
    int row = 0;
    for (int k = 0; k < in->n_cols; k++) {
        int c = in->first_col + k;
        const bs_slot *sl = &p->slots[cols[c].slot];
        if (in->n_days == 0 || in->day[in->n_days - 1] != sl->day) {
            in->day[in->n_days] = sl->day;
            in->day_var[in->n_days] = add_cols(m, 1, GLP_CV, 0, 1, 0);
            in->earliest_start[in->n_days] = sl->start;
            in->latest_end[in->n_days] = sl->start + duration;
            row = add_row(m, GLP_FX, 0, 0);
            add_nz(m, row, in->day_var[in->n_days], -1);
            in->n_days++;
        }
        if (sl->start + duration > in->latest_end[in->n_days - 1])
            in->latest_end[in->n_days - 1] = sl->start + duration;
        add_nz(m, row, col_var0 + c, 1);
    }
    in->pre_var = add_cols(m, in->n_days, GLP_CV, 0, 1, 0);
    in->suf_var = add_cols(m, in->n_days, GLP_CV, 0, 1, 0);
    for (int k = 0; k < in->n_days; k++) {
        int r = add_row(m, GLP_FX, 0, 0); /* P[k] - P[k-1] - D[k] = 0 */
        add_nz(m, r, in->pre_var + k, 1);
        if (k > 0)
            add_nz(m, r, in->pre_var + k - 1, -1);
        add_nz(m, r, in->day_var[k], -1);
        int q = in->n_days - 1 - k; /* S[q] - S[q+1] - D[q] = 0 */
        r = add_row(m, GLP_FX, 0, 0);
        add_nz(m, r, in->suf_var + q, 1);
        if (q + 1 < in->n_days)
            add_nz(m, r, in->suf_var + q + 1, -1);
        add_nz(m, r, in->day_var[q], -1);
    }
    return BS_OK;
}

/* Is `before` at slot ta compatible with `after` at slot tb? (slot level) */
static bool prec_ok(const bs_problem *p, const bs_domains *d, const bs_precedence *pr, int ta,
                    int tb)
{
    const bs_session *a = &d->sessions[pr->before];
    bs_time a_end = p->slots[ta].start + a->duration;
    const bs_slot *sb = &p->slots[tb];
    if (pr->order && a_end > sb->start)
        return false;
    if (sb->day - p->slots[ta].day < pr->min_gap_days)
        return false;
    if (pr->study_days > 0) {
        int end_day = bs_problem_day_of(p, a_end - 1);
        if (bs_problem_study_days(p, end_day, sb->day - 1) < pr->study_days)
            return false;
    }
    return true;
}

/* Day level: is every candidate of `before` on its day ka compatible with
 * every candidate of `after` on its day kb (different days)? Monotone: a
 * later day of `before` is never more compatible. */
static bool prec_days_ok(const bs_problem *p, const bs_precedence *pr, const sess_info *a, int ka,
                         const sess_info *b, int kb)
{
    int da = a->day[ka], db = b->day[kb];
    if (da >= db)
        return false;
    if (db - da < pr->min_gap_days)
        return false;
    if (pr->order && a->latest_end[ka] > b->earliest_start[kb])
        return false;
    if (pr->study_days > 0) {
        int end_day = bs_problem_day_of(p, a->latest_end[ka] - 1);
        if (bs_problem_study_days(p, end_day, db - 1) < pr->study_days)
            return false;
    }
    return true;
}

/* Rules 6 and 7 between two sessions: across days, P_b[k] + S_a[thr(k)] <= 1
 * where thr(k) is the first day of a that cannot come before b's k-th day;
 * on one day (possible only without gap and study days), slot-level clique
 * rows. */
static bool precedence_rows(mip *m, const bs_problem *p, const bs_domains *d,
                            const bs_precedence *pr, const column *cols, int col_var0,
                            const sess_info *a, const sess_info *b, bool exact_same_day)
{
    if (a->n_days == 0 || b->n_days == 0)
        return false;
    int *thr = bs_calloc((size_t)b->n_days, sizeof(int));
    if (thr == NULL) {
        m->failed = true;
        return false;
    }
    int i = 0;
    for (int k = 0; k < b->n_days; k++) {
        while (i < a->n_days && prec_days_ok(p, pr, a, i, b, k))
            i++;
        /* the same day is settled by the slot-level rows below */
        int t = i;
        while (t < a->n_days && a->day[t] == b->day[k] && pr->min_gap_days == 0 &&
               pr->study_days == 0)
            t++;
        thr[k] = t;
    }
    for (int k = 0; k < b->n_days; k++) {
        if (thr[k] >= a->n_days)
            continue;
        if (k + 1 < b->n_days && thr[k + 1] == thr[k])
            continue; /* dominated by the row of k+1 */
        int r = add_row(m, GLP_UP, 0, 1);
        add_nz(m, r, b->pre_var + k, 1);
        add_nz(m, r, a->suf_var + thr[k], 1);
    }
    free(thr);
    if (pr->min_gap_days != 0 || pr->study_days != 0)
        return false;
    /* Same day: b at slot tb (or earlier that day) excludes a at any slot
     * that does not fit before tb. These rows grow with the square of the
     * slots per day; past SAME_DAY_NZ_CAP nonzeros for one pair (outside
     * the relaxed modes) the pair simply may not share a date, which keeps
     * every calendar valid at the price of a few forgone ones. */
    if (exact_same_day == false) {
        size_t nz = 0;
        for (int kb = 0, ka = 0; kb < b->n_days; kb++) {
            while (ka < a->n_days && a->day[ka] < b->day[kb])
                ka++;
            if (ka < a->n_days && a->day[ka] == b->day[kb])
                nz += (size_t)(b->n_cols / b->n_days + 1) * (size_t)(a->n_cols / a->n_days + 1);
        }
        if (nz > SAME_DAY_NZ_CAP) {
            for (int kb = 0, ka = 0; kb < b->n_days; kb++) {
                while (ka < a->n_days && a->day[ka] < b->day[kb])
                    ka++;
                if (ka < a->n_days && a->day[ka] == b->day[kb]) {
                    int r = add_row(m, GLP_UP, 0, 1);
                    add_nz(m, r, a->day_var[ka], 1);
                    add_nz(m, r, b->day_var[kb], 1);
                }
            }
            return true; /* the pair may not share a date */
        }
    }
    for (int kb = 0; kb < b->n_days; kb++) {
        int ka = 0;
        while (ka < a->n_days && a->day[ka] < b->day[kb])
            ka++;
        if (ka >= a->n_days || a->day[ka] != b->day[kb])
            continue;
        int b0 = b->first_col, b1 = b->first_col + b->n_cols;
        int a0 = a->first_col, a1 = a->first_col + a->n_cols;
        for (int c = b0; c < b1; c++) {
            if (p->slots[cols[c].slot].day != b->day[kb])
                continue;
            if (c + 1 < b1 && cols[c + 1].slot == cols[c].slot)
                continue; /* one row per slot: at its last column */
            int tb = cols[c].slot;
            int r = 0;
            for (int q = a0; q < a1; q++) {
                if (p->slots[cols[q].slot].day != b->day[kb] || prec_ok(p, d, pr, cols[q].slot, tb))
                    continue;
                if (r == 0)
                    r = add_row(m, GLP_UP, 0, 1);
                add_nz(m, r, col_var0 + q, 1);
            }
            if (r == 0)
                continue;
            for (int q = b0; q <= c; q++)
                if (p->slots[cols[q].slot].day == b->day[kb])
                    add_nz(m, r, col_var0 + q, 1);
        }
    }
    return false;
}

/* Cadence: P_a[i] + S_b[late(i)] + Σ u_mid <= 1 + |mid|, late(i) = first
 * day of b more than max_days after a's i-th day; mid are the sessions
 * between a and b (the row binds only when all of them are unplaced). */
static void cadence_rows(mip *m, int max_days, const sess_info *a, const sess_info *b)
{
    int n_mid = (int)(b - a) - 1, rhs = 1 + n_mid;
    for (const sess_info *x = a + 1; x < b; x++)
        rhs -= x->u_var == 0; /* a session without candidates is unplaced for good */
    if (a->n_days == 0 || b->n_days == 0)
        return;
    int j = 0;
    for (int i = 0; i < a->n_days; i++) {
        while (j < b->n_days && b->day[j] - a->day[i] <= max_days)
            j++;
        if (j >= b->n_days)
            break; /* nothing of b is too late for this or later days of a */
        int jn = j;
        if (i + 1 < a->n_days)
            while (jn < b->n_days && b->day[jn] - a->day[i + 1] <= max_days)
                jn++;
        if (i + 1 < a->n_days && jn == j)
            continue; /* dominated by the row of i+1 */
        int r = add_row(m, GLP_UP, 0, rhs);
        add_nz(m, r, a->pre_var + i, 1);
        add_nz(m, r, b->suf_var + j, 1);
        for (const sess_info *x = a + 1; x < b; x++)
            if (x->u_var)
                add_nz(m, r, x->u_var, 1);
    }
}

/* ==== Cohort-level objective terms ==== */

/* Largest team size among a cohort's live modules. */
static int largest_team(const bs_problem *p, int cohort)
{
    const bs_program *pr = &p->programs[p->cohorts[cohort].program];
    int k = 0;
    for (size_t m = 0; m < pr->n_modules; m++)
        if (pr->modules[m].is_live && pr->modules[m].instructors > k)
            k = pr->modules[m].instructors;
    return k;
}


static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Distinct values of an int array, sorted, in place; returns the count. */
static size_t uniq(int *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_int);
    size_t w = 0;
    for (size_t k = 0; k < n; k++)
        if (w == 0 || v[w - 1] != v[k])
            v[w++] = v[k];
    return w;
}

/* Indicator rows: y[key] >= Σ x over the session's columns using key, one
 * row per (session, key); then excess >= Σ y - allowed. */
static bs_rc change_terms(mip *m, const bs_problem *p, const column *cols, const sess_info *si,
                          int s0, int s1, int col_var0, bool rooms, int allowed, double weight)
{
    if (weight <= 0)
        return BS_OK;
    int *keys = NULL;
    size_t n = 0;
    for (int s = s0; s < s1; s++)
        n += (size_t)si[s - s0].n_cols * (rooms ? 1 : BS_MAX_TEAM);
    keys = bs_calloc(n ? n : 1, sizeof(int));
    if (keys == NULL)
        return BS_ENOMEM;
    n = 0;
    for (int s = s0; s < s1; s++)
        for (int k = 0; k < si[s - s0].n_cols; k++) {
            const column *c = &cols[si[s - s0].first_col + k];
            if (rooms) {
                if (c->room >= 0)
                    keys[n++] = c->room;
            } else {
                for (int q = 0; q < c->n_instr; q++)
                    keys[n++] = c->instr[q];
            }
        }
    size_t nk = uniq(keys, n);
    if ((int)nk <= allowed) {
        free(keys);
        return BS_OK;
    }
    int y0 = add_cols(m, (int)nk, GLP_BV, 0, 1, 0);
    int excess = add_cols(m, 1, GLP_CV, 0, (double)nk, weight);
    int er = add_row(m, GLP_LO, -allowed, 0); /* excess - Σy >= -allowed */
    add_nz(m, er, excess, 1);
    for (size_t k = 0; k < nk; k++)
        add_nz(m, er, y0 + (int)k, -1);
    (void)p;
    for (int s = s0; s < s1; s++) {
        const sess_info *in = &si[s - s0];
        for (size_t k = 0; k < nk; k++) {
            int row = 0;
            for (int c = in->first_col; c < in->first_col + in->n_cols; c++) {
                bool uses = rooms ? cols[c].room == keys[k] : false;
                for (int q = 0; !rooms && q < cols[c].n_instr; q++)
                    uses = uses || cols[c].instr[q] == keys[k];
                if (!uses)
                    continue;
                if (row == 0) {
                    row = add_row(m, GLP_UP, 0, 0); /* Σx - y <= 0 */
                    add_nz(m, row, y0 + (int)k, -1);
                }
                add_nz(m, row, col_var0 + c, 1);
            }
        }
    }
    free(keys);
    return BS_OK;
}

/* Spread: date indicators e <= Σ D on that date; short >= min_days - Σ e. */
static bs_rc spread_terms(mip *m, const sess_info *si, int n_s, int min_days, double w)
{
    if (w <= 0 || min_days <= 0)
        return BS_OK;
    size_t n = 0;
    for (int s = 0; s < n_s; s++)
        n += (size_t)si[s].n_days;
    int *days = bs_calloc(n ? n : 1, sizeof(int));
    if (days == NULL)
        return BS_ENOMEM;
    n = 0;
    for (int s = 0; s < n_s; s++)
        for (int x = 0; x < si[s].n_days; x++)
            days[n++] = si[s].day[x];
    size_t nd = uniq(days, n);
    int d0 = add_cols(m, (int)nd, GLP_BV, 0, 1, 0);
    int shortv = add_cols(m, 1, GLP_CV, 0, min_days, w);
    int sr = add_row(m, GLP_LO, min_days, 0);
    add_nz(m, sr, shortv, 1);
    for (size_t k = 0; k < nd; k++) {
        add_nz(m, sr, d0 + (int)k, 1);
        int r = add_row(m, GLP_UP, 0, 0); /* e - Σ D(day) <= 0 */
        add_nz(m, r, d0 + (int)k, 1);
        for (int s = 0; s < n_s; s++)
            for (int x = 0; x < si[s].n_days; x++)
                if (si[s].day[x] == days[k])
                    add_nz(m, r, si[s].day_var[x], -1);
    }
    free(days);
    return BS_OK;
}

/* ==== Resource rows ==== */

typedef struct team_use {
    int instr, day, site, pos, var, minutes;
} team_use;

static int cmp_team_use(const void *a, const void *b)
{
    const team_use *x = a, *y = b;
    if (x->instr != y->instr)
        return x->instr < y->instr ? -1 : 1;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->site != y->site)
        return x->site < y->site ? -1 : 1;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return (x->var > y->var) - (x->var < y->var);
}

/* One site per instructor and date for in-person teaching. */
static void site_rows(mip *m, team_use *t, size_t n)
{
    qsort(t, n, sizeof *t, cmp_team_use);
    for (size_t a = 0; a < n;) {
        size_t b = a;
        int n_sites = 0, last_site = -2;
        while (b < n && t[b].instr == t[a].instr && t[b].day == t[a].day) {
            if (t[b].site != last_site)
                n_sites++;
            last_site = t[b].site;
            b++;
        }
        if (n_sites >= 2) {
            int z0 = add_cols(m, n_sites, GLP_BV, 0, 1, 0);
            int one = add_row(m, GLP_UP, 0, 1);
            for (int k = 0; k < n_sites; k++)
                add_nz(m, one, z0 + k, 1);
            int zi = -1, row = 0, last_pos = -1;
            last_site = -2;
            for (size_t k = a; k < b; k++) {
                if (t[k].site != last_site) {
                    zi++;
                    last_site = t[k].site;
                    last_pos = -1;
                }
                if (t[k].pos != last_pos) {
                    row = add_row(m, GLP_UP, 0, 0); /* Σ x(session, site) - z <= 0 */
                    add_nz(m, row, z0 + zi, -1);
                    last_pos = t[k].pos;
                }
                add_nz(m, row, t[k].var, 1);
            }
        }
        a = b;
    }
}

/* Σ minutes x <= limit - minutes already taught, per instructor and day
 * (week when by_week). t must be sorted by instructor then day. */
static void minute_rows(mip *m, const bs__occ *occ, team_use *t, size_t n, bool by_week)
{
    const bs_problem *p = occ->p;
    for (size_t a = 0; a < n;) {
        int i = t[a].instr;
        int key = by_week ? occ->week_of_day[t[a].day] : t[a].day;
        size_t b = a;
        long total = 0;
        while (b < n && t[b].instr == i &&
               (by_week ? occ->week_of_day[t[b].day] : t[b].day) == key) {
            total += t[b].minutes;
            b++;
        }
        const bs_instructor *in = &p->instructors[i];
        int limit = by_week ? in->max_minutes_per_week : in->max_minutes_per_day;
        int used = by_week ? occ->minutes_week[(size_t)i * occ->n_weeks + (size_t)key]
                           : occ->minutes_day[(size_t)i * occ->n_days + (size_t)key];
        if (limit >= 0 && total > limit - used) {
            int row = add_row(m, GLP_UP, 0, limit - used);
            for (size_t k = a; k < b; k++)
                add_nz(m, row, t[k].var, t[k].minutes);
        }
        a = b;
    }
}

/* The weekday and start time that a rotation cohort's sessions should keep:
 * its earliest placed session's, else the pattern of the first session's
 * candidate slots that most of its sessions can also use. -1 for other
 * programs. */
static int rhythm_reference(const bs__ctx *ctx, const bs_solution *sol, int cohort)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    if (p->programs[p->cohorts[cohort].program].model != BS_ROTATION || p->weights.rhythm <= 0 ||
        ctx->mode != BS_MODE_NORMAL)
        return -1;
    size_t s0 = d->cohort_first[cohort], s1 = d->cohort_first[cohort + 1];
    const bs_assignment *earliest = NULL;
    for (size_t s = s0; s < s1; s++)
        if (sol->items[s].placed && (!earliest || sol->items[s].start < earliest->start))
            earliest = &sol->items[s];
    if (earliest)
        return pattern_of(p, (int)bs_problem_slot_at_or_after(p, earliest->start));
    size_t first = s0;
    while (first < s1 && d->sessions[first].n_slots == 0)
        first++;
    if (first == s1)
        return -1;
    int best = -1, best_cover = -1;
    const bs_session *f = &d->sessions[first];
    for (size_t k = 0; k < f->n_slots; k++) {
        int pat = pattern_of(p, f->slots[k]);
        int cover = 0;
        for (size_t s = s0; s < s1; s++) {
            const bs_session *o = &d->sessions[s];
            for (size_t q = 0; q < o->n_slots; q++)
                if (pattern_of(p, o->slots[q]) == pat) {
                    cover++;
                    break;
                }
        }
        if (cover > best_cover) {
            best_cover = cover;
            best = pat;
        }
    }
    return best;
}

/* ==== A first calendar for the sub-MIP ==== */

typedef struct greedy_use {
    int instr, day, minutes;
} greedy_use;

/* Would column `c` clash with the column `o` already picked? */
static bool columns_clash(const bs__ctx *ctx, const column *c, const column *o)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    const bs_session *sc = &d->sessions[c->s], *so = &d->sessions[o->s];
    bs_time t = p->slots[c->slot].start, e = t + sc->duration;
    bs_time ot = p->slots[o->slot].start, oe = ot + so->duration;
    bool overlap = t < oe && ot < e;
    bool same_day = p->slots[c->slot].day == p->slots[o->slot].day;
    for (int a = 0; a < c->n_instr; a++)
        for (int b = 0; b < o->n_instr; b++) {
            if (c->instr[a] != o->instr[b])
                continue;
            if (overlap)
                return true;
            if (same_day && sc->in_person && so->in_person &&
                p->cohorts[sc->cohort].site != p->cohorts[so->cohort].site)
                return true;
        }
    if (!overlap)
        return false;
    if (c->room >= 0 && c->room == o->room)
        return true;
    if (sc->cohort == so->cohort)
        return true;
    return bs_ids_contains(&ctx->peers[sc->cohort], so->cohort);
}

/* Earliest-cheapest placement, session by session in precedence order,
 * keeping every rule among the picks (the occupancy already holds the rest).
 * pick[k] is a column index or -1 for the k-th free session; sessions
 * already picked on entry stay as they are and the others are added. */
static bs_rc greedy_start(const bs__ctx *ctx, const bs__occ *occ, const column *cols,
                          const sess_info *si, const int *sess, size_t n_s, const int *pos_of,
                          const bool *split, int *pick)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    bool *done = bs_calloc(n_s, sizeof(bool));
    greedy_use *used = bs_calloc(n_s * BS_MAX_TEAM + 1, sizeof *used);
    if (!done || !used) {
        free(done);
        free(used);
        return BS_ENOMEM;
    }
    size_t n_used = 0;
    size_t n_done = 0;
    for (size_t k = 0; k < n_s; k++) {
        if (pick[k] < 0)
            continue;
        done[k] = true;
        n_done++;
        for (int a = 0; a < cols[pick[k]].n_instr; a++)
            used[n_used++] = (greedy_use){cols[pick[k]].instr[a], p->slots[cols[pick[k]].slot].day,
                                          d->sessions[cols[pick[k]].s].duration};
    }
    for (size_t round = n_done; round < n_s; round++) {
        /* next session whose free predecessors are all decided */
        size_t k = n_s;
        for (size_t q = 0; q < n_s && k == n_s; q++) {
            if (done[q])
                continue;
            bool ready = true;
            for (size_t r = 0; r < d->n_prec && ready; r++)
                if (d->prec[r].after == sess[q] &&
                    d->sessions[d->prec[r].before].cohort == d->sessions[sess[q]].cohort)
                    ready = done[pos_of[d->prec[r].before]];
            if (ready)
                k = q;
        }
        if (k == n_s)
            for (k = 0; done[k]; k++)
                ; /* a cycle cannot happen (validated), but never loop forever */
        done[k] = true;
        int best = -1;
        for (int c = si[k].first_col; c < si[k].first_col + si[k].n_cols; c++) {
            const column *col = &cols[c];
            /* earliest day first (it leaves room for the successors), the
             * cheapest candidate of that day */
            if (best >= 0 && p->slots[col->slot].day != p->slots[cols[best].slot].day)
                break;
            if (best >= 0 && col->cost >= cols[best].cost)
                continue;
            bool ok = true;
            for (size_t q = 0; q < n_s && ok; q++)
                if (pick[q] >= 0)
                    ok = !columns_clash(ctx, col, &cols[pick[q]]);
            for (size_t r = 0; r < d->n_prec && ok; r++) {
                const bs_precedence *pr = &d->prec[r];
                if (pr->after == sess[k] && d->sessions[pr->before].cohort == d->sessions[sess[k]].cohort &&
                    pick[pos_of[pr->before]] >= 0) {
                    int ta = cols[pick[pos_of[pr->before]]].slot;
                    ok = prec_ok(p, d, pr, ta, col->slot) &&
                         !(split[r] && p->slots[ta].day == p->slots[col->slot].day);
                }
            }
            for (size_t r = 0; r < d->n_cadence && ok; r++) {
                const struct bs_cadence *cd = &d->cadence[r];
                if (cd->after != sess[k] || pick[pos_of[cd->before]] < 0)
                    continue;
                bool mid_placed = false; /* sessions between come earlier in precedence order */
                for (int x = pos_of[cd->before] + 1; x < pos_of[cd->after]; x++)
                    mid_placed = mid_placed || pick[x] >= 0;
                if (!mid_placed)
                    ok = p->slots[col->slot].day -
                             p->slots[cols[pick[pos_of[cd->before]]].slot].day <=
                         cd->max_days;
            }
            for (int a = 0; a < col->n_instr && ok; a++) {
                int i = col->instr[a], day = p->slots[col->slot].day;
                const bs_instructor *in = &p->instructors[i];
                int m_day = occ->minutes_day[(size_t)i * occ->n_days + (size_t)day];
                int m_week = occ->minutes_week[(size_t)i * occ->n_weeks +
                                               (size_t)occ->week_of_day[day]];
                for (size_t u = 0; u < n_used; u++) {
                    if (used[u].instr != i)
                        continue;
                    m_day += used[u].day == day ? used[u].minutes : 0;
                    m_week += occ->week_of_day[used[u].day] == occ->week_of_day[day]
                                  ? used[u].minutes
                                  : 0;
                }
                int dur = d->sessions[col->s].duration;
                ok = (in->max_minutes_per_day < 0 || m_day + dur <= in->max_minutes_per_day) &&
                     (in->max_minutes_per_week < 0 || m_week + dur <= in->max_minutes_per_week);
            }
            if (ok)
                best = c;
        }
        pick[k] = best;
        for (int a = 0; best >= 0 && a < cols[best].n_instr; a++)
            used[n_used++] = (greedy_use){cols[best].instr[a], p->slots[cols[best].slot].day,
                                          d->sessions[cols[best].s].duration};
    }
    free(done);
    free(used);
    return BS_OK;
}

/* The current calendar of the free sessions as columns, when every placed
 * one is among the candidates; false otherwise. */
static bool current_start(const bs_problem *p, const bs_solution *sol, const column *cols,
                          const sess_info *si, const int *sess, size_t n_s, int *pick)
{
    for (size_t k = 0; k < n_s; k++) {
        const bs_assignment *a = &sol->items[sess[k]];
        pick[k] = -1;
        if (!a->placed)
            continue;
        for (int c = si[k].first_col; c < si[k].first_col + si[k].n_cols && pick[k] < 0; c++)
            if (p->slots[cols[c].slot].start == a->start && cols[c].room == a->room &&
                same_team(&cols[c], &a->instructors))
                pick[k] = c;
        if (pick[k] < 0)
            return false;
    }
    return true;
}

/* ==== Solve ==== */

static void free_assignment(bs_assignment *a)
{
    free(a->instructors.items);
    a->instructors.items = NULL;
    a->instructors.count = 0;
}

bs_rc bs__submip_solve(bs__ctx *ctx, const bs__occ *occ, const int *cohorts, size_t n_cohorts,
                       bs_solution *sol, bool *improved, double *bound, bool *time_hit,
                       bs_err *err)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    *improved = false;
    bool *is_free = bs_calloc(p->n_cohorts, sizeof(bool));
    size_t n_s = 0;
    for (size_t k = 0; k < n_cohorts; k++)
        n_s += d->cohort_first[cohorts[k] + 1] - d->cohort_first[cohorts[k]];
    int *sess = bs_calloc(n_s, sizeof(int));
    sess_info *si = bs_calloc(n_s, sizeof(sess_info));
    int *pos_of = bs_calloc(d->n_sessions, sizeof(int));
    gen g = {ctx, occ, sol, NULL, is_free, NULL, 0, 0};
    mip m = {0};
    use *uses = NULL;
    team_use *teams = NULL;
    bs_assignment *fresh = NULL;
    bs_rc rc = (is_free && sess && si && pos_of) ? BS_OK : BS_ENOMEM;
    size_t w = 0;
    for (size_t k = 0; rc == BS_OK && k < n_cohorts; k++) {
        is_free[cohorts[k]] = true;
        for (size_t s = d->cohort_first[cohorts[k]]; s < d->cohort_first[cohorts[k] + 1]; s++) {
            pos_of[s] = (int)w;
            sess[w++] = (int)s;
        }
    }
    int *rhythm_ref = rc == BS_OK ? bs_calloc(p->n_cohorts, sizeof(int)) : NULL;
    if (rc == BS_OK && rhythm_ref == NULL)
        rc = BS_ENOMEM;
    for (size_t c = 0; rc == BS_OK && c < p->n_cohorts; c++)
        rhythm_ref[c] = is_free[c] ? rhythm_reference(ctx, sol, (int)c) : -1;
    g.rhythm_ref = rhythm_ref;
    for (size_t k = 0; rc == BS_OK && k < n_s; k++) {
        si[k].first_col = (int)g.n_cols;
        if (d->sessions[sess[k]].reason == BS_REASON_NONE)
            rc = gen_session(&g, sess[k]);
        si[k].n_cols = (int)g.n_cols - si[k].first_col;
    }
    if (rc == BS_OK) {
        m.lp = glp_create_prob();
        glp_set_obj_dir(m.lp, GLP_MIN);
    }
    int col_var0 = 0;
    if (rc == BS_OK && g.n_cols > 0)
        col_var0 = add_cols(&m, (int)g.n_cols, GLP_BV, 0, 1, 0);
    for (size_t c = 0; rc == BS_OK && c < g.n_cols; c++)
        glp_set_obj_coef(m.lp, col_var0 + (int)c, g.cols[c].cost);
    /* assignment rows and elastic u; a session without candidates is a
     * constant of the objective */
    double constant = 0;
    for (size_t k = 0; rc == BS_OK && k < n_s; k++) {
        const bs_session *s = &d->sessions[sess[k]];
        double wu = s->optional ? OPTIONAL_EPS
                                : p->weights.unplaced * p->cohorts[s->cohort].priority;
        if (si[k].n_cols == 0) {
            constant += wu;
            continue;
        }
        si[k].u_var = add_cols(&m, 1, GLP_CV, 0, 1, wu);
        int r = add_row(&m, GLP_FX, 1, 1);
        add_nz(&m, r, si[k].u_var, 1);
        for (int c = 0; c < si[k].n_cols; c++)
            add_nz(&m, r, col_var0 + si[k].first_col + c, 1);
        rc = build_aggregates(&m, p, g.cols, &si[k], s->duration, col_var0);
    }
    /* clique rows: rooms, instructors, cohorts, pairs of free cohorts sharing
     * learners (key: both positions in `cohorts`) */
    size_t n_uses = 0, cap_uses = 0;
    long key_cohort0 = (long)(p->n_rooms + p->n_instructors);
    long key_pair0 = key_cohort0 + (long)p->n_cohorts;
    int *cohort_pos = rc == BS_OK ? bs_calloc(p->n_cohorts, sizeof(int)) : NULL;
    if (rc == BS_OK && cohort_pos == NULL)
        rc = BS_ENOMEM;
    for (size_t k = 0; rc == BS_OK && k < n_cohorts; k++)
        cohort_pos[cohorts[k]] = (int)k;
    for (size_t c = 0; rc == BS_OK && c < g.n_cols; c++) {
        int co = d->sessions[g.cols[c].s].cohort;
        cap_uses += 2 + (size_t)g.cols[c].n_instr;
        for (size_t q = 0; q < ctx->peers[co].count; q++)
            cap_uses += is_free[ctx->peers[co].items[q]];
    }
    if (rc == BS_OK && (uses = bs_calloc(cap_uses + 1, sizeof(use))) == NULL)
        rc = BS_ENOMEM;
    for (size_t c = 0; rc == BS_OK && c < g.n_cols; c++) {
        const column *col = &g.cols[c];
        const bs_session *s = &d->sessions[col->s];
        bs_time t = p->slots[col->slot].start, e = t + s->duration;
        int var = col_var0 + (int)c;
        if (col->room >= 0)
            uses[n_uses++] = (use){col->room, t, e, var};
        for (int q = 0; q < col->n_instr; q++)
            uses[n_uses++] = (use){(long)p->n_rooms + col->instr[q], t, e, var};
        uses[n_uses++] = (use){key_cohort0 + s->cohort, t, e, var};
        long k = cohort_pos[s->cohort];
        for (size_t q = 0; q < ctx->peers[s->cohort].count; q++) {
            int other = ctx->peers[s->cohort].items[q];
            if (!is_free[other])
                continue;
            long ko = cohort_pos[other];
            long lo = k < ko ? k : ko, hi = k < ko ? ko : k;
            uses[n_uses++] = (use){key_pair0 + lo * (long)n_cohorts + hi, t, e, var};
        }
    }
    free(cohort_pos);
    if (rc == BS_OK)
        clique_rows(&m, uses, n_uses);
    /* instructors: site per date, minutes per day and week */
    size_t n_teams = 0;
    if (rc == BS_OK) {
        teams = bs_calloc(g.n_cols * BS_MAX_TEAM + 1, sizeof(team_use));
        if (teams == NULL)
            rc = BS_ENOMEM;
    }
    for (size_t c = 0; rc == BS_OK && c < g.n_cols; c++) {
        const column *col = &g.cols[c];
        const bs_session *s = &d->sessions[col->s];
        for (int q = 0; q < col->n_instr; q++)
            teams[n_teams++] = (team_use){col->instr[q], p->slots[col->slot].day,
                                          s->in_person ? p->cohorts[s->cohort].site : -1,
                                          pos_of[col->s], col_var0 + (int)c, s->duration};
    }
    if (rc == BS_OK) {
        /* site rows only over in-person uses */
        size_t n_ip = 0;
        team_use *ip = bs_calloc(n_teams + 1, sizeof(team_use));
        if (ip == NULL)
            rc = BS_ENOMEM;
        for (size_t k = 0; ip && k < n_teams; k++)
            if (teams[k].site >= 0)
                ip[n_ip++] = teams[k];
        if (ip)
            site_rows(&m, ip, n_ip);
        free(ip);
        qsort(teams, n_teams, sizeof *teams, cmp_team_use);
        minute_rows(&m, occ, teams, n_teams, false);
        minute_rows(&m, occ, teams, n_teams, true);
    }
    /* precedence and cadence inside each free cohort; split[k]: the pair of
     * d->prec[k] may not share a date (see precedence_rows) */
    bool *split = rc == BS_OK ? bs_calloc(d->n_prec + 1, sizeof(bool)) : NULL;
    if (rc == BS_OK && split == NULL)
        rc = BS_ENOMEM;
    for (size_t k = 0; rc == BS_OK && k < d->n_prec; k++) {
        const bs_precedence *pr = &d->prec[k];
        if (!is_free[d->sessions[pr->after].cohort])
            continue;
        split[k] = precedence_rows(&m, p, d, pr, g.cols, col_var0, &si[pos_of[pr->before]],
                                   &si[pos_of[pr->after]], ctx->mode != BS_MODE_NORMAL);
    }
    for (size_t k = 0; rc == BS_OK && k < d->n_cadence; k++) {
        const struct bs_cadence *cd = &d->cadence[k];
        if (!is_free[d->sessions[cd->after].cohort])
            continue;
        cadence_rows(&m, cd->max_days, &si[pos_of[cd->before]], &si[pos_of[cd->after]]);
    }
    /* cohort-level objective terms */
    for (size_t k = 0; rc == BS_OK && k < n_cohorts; k++) {
        int c = cohorts[k];
        int s0 = (int)d->cohort_first[c], s1 = (int)d->cohort_first[c + 1];
        sess_info *ci = &si[pos_of[s0]];
        const bs_weights *wt = &p->weights;
        rc = change_terms(&m, p, g.cols, ci, s0, s1, col_var0, true, 1, wt->room_change);
        if (rc == BS_OK)
            rc = change_terms(&m, p, g.cols, ci, s0, s1, col_var0, false, largest_team(p, c),
                              wt->instructor_change);
        if (rc == BS_OK)
            rc = spread_terms(&m, ci, s1 - s0, p->cohorts[c].min_days, wt->spread);
    }
    if (rc == BS_OK && m.failed)
        rc = BS_ENOMEM;

    /* solve: a first calendar (the current one, else greedy) completed into
     * a full GLPK solution by a solve with the placements fixed, then the
     * real search with that solution handed to it */
    /* the node budget shrinks with the model, so that each sub-MIP costs
     * about the same bounded work (node LPs grow with the columns) */
    int node_limit = ctx->o->node_limit;
    if (g.n_cols > 2000) {
        long scaled = (long)node_limit * 2000 / (long)g.n_cols;
        node_limit = scaled < 10 ? 10 : (int)scaled;
    }
    cbinfo cb = {node_limit, 0, ctx->o->interrupt, false, false, 0, NULL, false};
    if (ctx->o->time_limit > 0)
        cb.deadline = ctx->start_time + ctx->o->time_limit;
    double *val = NULL, *start = NULL;
    int *pick = NULL;
    if (rc == BS_OK && g.n_cols == 0) {
        cb.bound = constant;
        cb.has_bound = true;
    }
    if (rc == BS_OK && g.n_cols > 0 && ctx->mode == BS_MODE_LP_BOUND) {
        /* the LP relaxation alone: a lower bound, nothing placed */
        glp_set_obj_coef(m.lp, 0, constant);
        glp_load_matrix(m.lp, (int)m.nnz, m.ia, m.ja, m.ar);
        glp_smcp smcp;
        glp_init_smcp(&smcp);
        smcp.msg_lev = GLP_MSG_OFF;
        smcp.presolve = GLP_ON;
        if (glp_simplex(m.lp, &smcp) == 0 && glp_get_status(m.lp) == GLP_OPT) {
            cb.bound = glp_get_obj_val(m.lp);
            cb.has_bound = true;
        }
        g.n_cols = 0; /* skip the search and keep the current assignments */
    }
    if (rc == BS_OK && g.n_cols > 0) {
        pick = bs_calloc(n_s, sizeof(int));
        val = bs_calloc(g.n_cols, sizeof(double));
        if (!pick || !val)
            rc = BS_ENOMEM;
    }
    if (rc == BS_OK && g.n_cols > 0) {
        glp_set_obj_coef(m.lp, 0, constant);
        glp_load_matrix(m.lp, (int)m.nnz, m.ia, m.ja, m.ar);
        if (ctx->o->verbosity < 2)
            glp_term_out(GLP_OFF);
        double t0 = bs__now();
        /* 1. the first calendar: the current one when it is representable,
         * completed greedily; failing that (a rule of this sub-MIP it does not
         * keep), greedy alone. A solve with the placements fixed turns it
         * into values for every column. */
        int ncols = glp_get_num_cols(m.lp);
        for (int attempt = 0; rc == BS_OK && start == NULL && attempt < 2; attempt++) {
            if (attempt == 1 || !current_start(p, sol, g.cols, si, sess, n_s, pick))
                for (size_t k = 0; k < n_s; k++)
                    pick[k] = -1;
            rc = greedy_start(ctx, occ, g.cols, si, sess, n_s, pos_of, split, pick);
            for (size_t k = 0; rc == BS_OK && k < n_s; k++) {
                for (int c = si[k].first_col; c < si[k].first_col + si[k].n_cols; c++) {
                    double v = pick[k] == c ? 1 : 0;
                    glp_set_col_bnds(m.lp, col_var0 + c, GLP_FX, v, v);
                }
                if (si[k].u_var)
                    glp_set_col_bnds(m.lp, si[k].u_var, GLP_FX, pick[k] < 0, pick[k] < 0);
            }
            glp_iocp fix;
            glp_init_iocp(&fix);
            fix.msg_lev = GLP_MSG_OFF;
            fix.presolve = GLP_ON;
            if (rc == BS_OK && glp_intopt(m.lp, &fix) == 0 && glp_mip_status(m.lp) == GLP_OPT) {
                start = bs_calloc((size_t)ncols + 1, sizeof(double));
                if (start == NULL)
                    rc = BS_ENOMEM;
                for (int j = 1; start && j <= ncols; j++)
                    start[j] = glp_mip_col_val(m.lp, j);
            }
        }
        for (size_t k = 0; k < n_s; k++) {
            for (int c = si[k].first_col; c < si[k].first_col + si[k].n_cols; c++)
                glp_set_col_bnds(m.lp, col_var0 + c, GLP_DB, 0, 1);
            if (si[k].u_var)
                glp_set_col_bnds(m.lp, si[k].u_var, GLP_DB, 0, 1);
        }
        if (start == NULL)
            for (size_t k = 0; k < n_s; k++)
                pick[k] = -1; /* no valid start: the search alone decides */
        for (size_t k = 0; k < n_s; k++)
            if (pick[k] >= 0)
                val[pick[k]] = 1;
        double start_obj = start ? glp_mip_obj_val(m.lp) : INFINITY;
        /* 2. the search: LP relaxation, then branch-and-cut from the start */
        glp_smcp smcp;
        glp_init_smcp(&smcp);
        smcp.msg_lev = ctx->o->verbosity >= 2 ? GLP_MSG_ON : GLP_MSG_OFF;
        glp_iocp parm;
        glp_init_iocp(&parm);
        parm.msg_lev = ctx->o->verbosity >= 2 ? GLP_MSG_ON : GLP_MSG_OFF;
        parm.presolve = GLP_OFF; /* the callback hands solutions in original columns */
        parm.mip_gap = 1e-6;
        parm.cb_func = callback;
        parm.cb_info = &cb;
        cb.start = start;
        if (cb.deadline > 0) {
            double left = cb.deadline - bs__now();
            parm.tm_lim = left > 0 ? (int)(left * 1000) + 1 : 1;
            smcp.tm_lim = parm.tm_lim;
        }
        int ret = rc == BS_OK ? glp_simplex(m.lp, &smcp) : GLP_EFAIL;
        if (ret == 0 && glp_get_status(m.lp) == GLP_OPT)
            ret = glp_intopt(m.lp, &parm);
        else if (ret == GLP_ETMLIM)
            cb.time_hit = true;
        int status = glp_mip_status(m.lp);
        if (getenv("BS_DEBUG_MIP"))
            fprintf(stderr,
                    "submip: %zu cohorts %zu sessions %zu cols %d rows %d vars %zu nz ret %d "
                    "status %d obj %g start %g %.2fs\n",
                    n_cohorts, n_s, g.n_cols, glp_get_num_rows(m.lp), glp_get_num_cols(m.lp),
                    m.nnz, ret, status, glp_mip_obj_val(m.lp), start_obj, bs__now() - t0);
        if (ret == GLP_ETMLIM)
            cb.time_hit = true;
        if (rc == BS_OK && (status == GLP_OPT || status == GLP_FEAS) &&
            glp_mip_obj_val(m.lp) <= start_obj + 1e-9) {
            if (status == GLP_OPT)
                cb.bound = glp_mip_obj_val(m.lp), cb.has_bound = true;
            for (size_t c = 0; c < g.n_cols; c++)
                val[c] = glp_mip_col_val(m.lp, col_var0 + (int)c);
        }
    }
    if (time_hit)
        *time_hit = cb.time_hit;
    if (bound)
        *bound = cb.has_bound ? cb.bound : 0;

    /* the new assignments, kept only when they cost no more than the old */
    if (rc == BS_OK) {
        fresh = bs_calloc(n_s, sizeof *fresh);
        if (fresh == NULL)
            rc = BS_ENOMEM;
    }
    for (size_t k = 0; rc == BS_OK && k < n_s; k++) {
        const bs_session *s = &d->sessions[sess[k]];
        bs_assignment *a = &fresh[k];
        a->cohort = s->cohort;
        a->module = s->module;
        a->room = -1;
        for (int c = si[k].first_col; val && c < si[k].first_col + si[k].n_cols; c++) {
            if (val[c] < 0.5)
                continue;
            const column *col = &g.cols[c];
            a->placed = true;
            a->start = p->slots[col->slot].start;
            a->end = a->start + s->duration;
            a->room = col->room;
            a->instructors.items = bs_calloc((size_t)col->n_instr, sizeof(int));
            if (a->instructors.items == NULL) {
                rc = BS_ENOMEM;
                break;
            }
            memcpy(a->instructors.items, col->instr, sizeof(int) * (size_t)col->n_instr);
            a->instructors.count = (size_t)col->n_instr;
            qsort(a->instructors.items, a->instructors.count, sizeof(int), cmp_int);
            break;
        }
    }
    if (rc == BS_OK && ctx->mode != BS_MODE_LP_BOUND && (val != NULL || g.n_cols == 0)) {
        double old_cost = 0, new_cost = 0;
        for (size_t k = 0; k < n_cohorts; k++)
            old_cost += bs__cohort_cost(ctx, sol, cohorts[k]);
        for (size_t k = 0; k < n_s; k++) {
            bs_assignment tmp = sol->items[sess[k]];
            sol->items[sess[k]] = fresh[k];
            fresh[k] = tmp;
        }
        for (size_t k = 0; k < n_cohorts; k++)
            new_cost += bs__cohort_cost(ctx, sol, cohorts[k]);
        if (new_cost <= old_cost + 1e-9) {
            /* placing an optional session (a 0.001 tie-break) is no reason
             * for another improvement round */
            *improved = new_cost < old_cost - 0.01;
        } else {
            for (size_t k = 0; k < n_s; k++) {
                bs_assignment tmp = sol->items[sess[k]];
                sol->items[sess[k]] = fresh[k];
                fresh[k] = tmp;
            }
        }
    }
    for (size_t k = 0; fresh && k < n_s; k++)
        free_assignment(&fresh[k]);
    free(fresh);
    free(val);
    free(start);
    free(pick);
    free(split);
    free(rhythm_ref);
    if (m.lp)
        glp_delete_prob(m.lp);
    free(m.ia);
    free(m.ja);
    free(m.ar);
    free(uses);
    free(teams);
    free(g.cols);
    free_infos(si, n_s);
    free(sess);
    free(pos_of);
    free(is_free);
    if (rc == BS_ENOMEM)
        bs_err_set(err, rc, "out of memory building a sub-MIP");
    return rc;
}
