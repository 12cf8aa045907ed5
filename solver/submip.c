/**
 * @file submip.c
 * @brief One sub-MIP: the sessions of a set of cohorts placed against the
 *        fixed occupancy of all others, as a GLPK integer program over
 *        candidate placements (slot x room x instructor team).
 *
 * The candidate placements come from solver/candidates.c, the first
 * calendar handed to GLPK from solver/start.c.
 *
 * Formulation (docs/model.md): a binary x per candidate placement that the
 * occupancy and static rules allow, an elastic u per session (Σx + u = 1),
 * clique rows per resource and start instant (rooms, instructors, cohorts,
 * pairs of cohorts sharing learners), site-per-date rows with z binaries,
 * daily/weekly minute rows, precedence and cadence rows over day-level
 * prefix sums P, and the objective's cohort-level terms (room and
 * instructor changes through indicator y, rhythm as a column cost against
 * the cohort's reference pattern, spread through day indicators).
 */
#include <glpk.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver/candidates.h"
#include "solver/formulation.h"
#include "solver/isolated.h"
#include "solver/glpk_guard.h"

/* Solved alone, the question is only whether a session fits at all: a
 * bounded number of candidates per session, so that the check stays small
 * when hundreds of rooms and instructors qualify (and a few more rooms and
 * teams per slot: solver/candidates.c). */
#define ALONE_COLUMN_BUDGET 240

double bs__now(void)
{
    return omp_get_wtime();
}

/* ==== Solve ==== */

/* Sessions without a pick take their baseline placement's column when it
 * is a candidate (the fix-solve rejects the start if picks clash). */
static void baseline_start(const bs__ctx *ctx, const column *cols, const sess_info *si,
                           const int *sess, size_t n_s, int *pick)
{
    const bs_baseline *b = ctx->o->baseline;
    if (b == NULL)
        return;
    for (size_t k = 0; k < n_s; k++) {
        const bs_baseline_item *bi = &b->items[sess[k]];
        if (pick[k] >= 0 || !bi->listed)
            continue;
        for (int c = si[k].first_col; c < si[k].first_col + si[k].n_cols && pick[k] < 0; c++)
            if (ctx->p->slots[cols[c].slot].start == bi->start && cols[c].room == bi->room &&
                !bi->instructor_gone && bs__same_team(&cols[c], &bi->instructors))
                pick[k] = c;
    }
}

static void free_assignment(bs_assignment *a)
{
    free(a->instructors.items);
    a->instructors.items = NULL;
    a->instructors.count = 0;
}

void bs__subresult_free(bs__subresult *res)
{
    for (size_t k = 0; res->items && k < res->n; k++)
        free_assignment(&res->items[k]);
    free(res->items);
    memset(res, 0, sizeof *res);
}

void bs__subresult_swap(const bs__ctx *ctx, bs_solution *sol, const int *cohorts,
                        size_t n_cohorts, bs__subresult *res)
{
    size_t w = 0;
    for (size_t k = 0; k < n_cohorts; k++)
        for (size_t s = ctx->d->cohort_first[cohorts[k]];
             s < ctx->d->cohort_first[cohorts[k] + 1] && w < res->n; s++, w++) {
            bs_assignment tmp = sol->items[s];
            sol->items[s] = res->items[w];
            res->items[w] = tmp;
        }
}

static bool same_assignment(const bs_assignment *a, const bs_assignment *b)
{
    if (a->placed != b->placed)
        return false;
    if (!a->placed)
        return true;
    if (a->start != b->start || a->room != b->room || a->instructors.count != b->instructors.count)
        return false;
    for (size_t k = 0; k < a->instructors.count; k++)
        if (a->instructors.items[k] != b->instructors.items[k])
            return false;
    return true;
}

static bs_rc solve_group(const bs__ctx *ctx, const bs__occ *occ, const int *cohorts,
                         size_t n_cohorts, const bs_solution *sol, int col_budget, bool lazy,
                         bs__subresult *res, bs_err *err)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    memset(res, 0, sizeof *res);
    bool *is_free = bs_calloc(p->n_cohorts, sizeof(bool));
    size_t n_s = 0;
    for (size_t k = 0; k < n_cohorts; k++)
        n_s += d->cohort_first[cohorts[k] + 1] - d->cohort_first[cohorts[k]];
    int *sess = bs_calloc(n_s, sizeof(int));
    sess_info *si = bs_calloc(n_s, sizeof(sess_info));
    int *pos_of = bs_calloc(d->n_sessions, sizeof(int));
    if (ctx->mode == BS_MODE_ALONE && (col_budget == 0 || abs(col_budget) > ALONE_COLUMN_BUDGET))
        col_budget = ALONE_COLUMN_BUDGET;
    bs__colgen g = {.ctx = ctx, .occ = occ, .sol = sol, .is_free = is_free, .col_budget = col_budget};
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
        rhythm_ref[c] = is_free[c] ? bs__rhythm_reference(ctx, sol, (int)c) : -1;
    g.rhythm_ref = rhythm_ref;
    for (size_t k = 0; rc == BS_OK && k < n_s; k++) {
        si[k].first_col = (int)g.n_cols;
        if (d->sessions[sess[k]].reason == BS_REASON_NONE)
            rc = bs__gen_session(&g, sess[k]);
        si[k].n_cols = (int)g.n_cols - si[k].first_col;
    }
    if (rc == BS_OK) {
        bs__glpk_guard();
        m.lp = glp_create_prob();
        glp_set_obj_dir(m.lp, GLP_MIN);
    }
    int col_var0 = 0;
    if (rc == BS_OK && g.n_cols > 0)
        col_var0 = bs__add_cols(&m, (int)g.n_cols, GLP_BV, 0, 1, 0);
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
        si[k].u_var = bs__add_cols(&m, 1, GLP_CV, 0, 1, wu);
        int r = bs__add_row(&m, GLP_FX, 1, 1);
        bs__add_nz(&m, r, si[k].u_var, 1);
        for (int c = 0; c < si[k].n_cols; c++)
            bs__add_nz(&m, r, col_var0 + si[k].first_col + c, 1);
        rc = bs__build_aggregates(&m, p, g.cols, &si[k], s->duration, col_var0);
    }
    /* the change budget: what the calendar outside the group leaves */
    if (rc == BS_OK && bs__has_budget(ctx) && ctx->mode == BS_MODE_NORMAL && g.n_cols > 0) {
        long left = ctx->o->max_changes - bs__changes_outside(ctx, sol, cohorts, n_cohorts);
        int r = bs__add_row(&m, GLP_UP, 0, left > 0 ? (double)left : 0);
        for (size_t c = 0; c < g.n_cols; c++) {
            const column *col = &g.cols[c];
            if (bs__is_change(ctx, col->s, p->slots[col->slot].start, col->room, col->instr,
                              col->n_instr))
                bs__add_nz(&m, r, col_var0 + (int)c, 1);
        }
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
            uses[n_uses++] = (use){col->room, t, e, var, s->cohort, false};
        for (int q = 0; q < col->n_instr; q++)
            uses[n_uses++] = (use){(long)p->n_rooms + col->instr[q], t, e, var, s->cohort, false};
        uses[n_uses++] = (use){key_cohort0 + s->cohort, t, e, var, s->cohort, true};
        long k = cohort_pos[s->cohort];
        for (size_t q = 0; q < ctx->peers[s->cohort].count; q++) {
            int other = ctx->peers[s->cohort].items[q];
            if (!is_free[other])
                continue;
            long ko = cohort_pos[other];
            long lo = k < ko ? k : ko, hi = k < ko ? ko : k;
            uses[n_uses++] = (use){key_pair0 + lo * (long)n_cohorts + hi, t, e, var, s->cohort,
                                   false};
        }
    }
    free(cohort_pos);
    if (rc == BS_OK)
        bs__clique_rows(&m, uses, n_uses);
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
            bs__site_rows(&m, ip, n_ip);
        free(ip);
        qsort(teams, n_teams, sizeof *teams, bs__cmp_team_use);
        bs__minute_rows(&m, occ, teams, n_teams, false);
        bs__minute_rows(&m, occ, teams, n_teams, true);
    }
    /* precedence and cadence inside each free cohort; split[k]: the pair of
     * d->prec[k] may not share a date (see precedence_rows) */
    bool *split = rc == BS_OK ? bs_calloc(d->n_prec + 1, sizeof(bool)) : NULL;
    if (rc == BS_OK && split == NULL)
        rc = BS_ENOMEM;
    /* lazy: records that hold whenever the sessions between are placed
     * are left out and checked on the result (see bs__submip_solve) */
    for (size_t q = 0; rc == BS_OK && q < n_cohorts; q++)
        for (size_t k = d->prec_first[cohorts[q]]; k < d->prec_first[cohorts[q] + 1]; k++) {
            const bs_precedence *pr = &d->prec[k];
            if (lazy && pr->via >= 0)
                continue;
            split[k] = bs__precedence_rows(&m, p, d, pr, g.cols, col_var0,
                                           &si[pos_of[pr->before]], &si[pos_of[pr->after]],
                                           ctx->mode != BS_MODE_NORMAL);
        }
    for (size_t q = 0; rc == BS_OK && q < n_cohorts; q++)
        for (size_t k = d->cadence_first[cohorts[q]]; k < d->cadence_first[cohorts[q] + 1]; k++) {
            const struct bs_cadence *cd = &d->cadence[k];
            if (lazy && cd->after - cd->before > 1)
                continue;
            bs__cadence_rows(&m, cd->max_days, &si[pos_of[cd->before]], &si[pos_of[cd->after]]);
        }
    /* cohort-level objective terms */
    for (size_t k = 0; rc == BS_OK && k < n_cohorts; k++) {
        int c = cohorts[k];
        int s0 = (int)d->cohort_first[c], s1 = (int)d->cohort_first[c + 1];
        sess_info *ci = &si[pos_of[s0]];
        const bs_weights *wt = &p->weights;
        rc = bs__change_terms(&m, p, g.cols, ci, s0, s1, col_var0, true, 1, wt->room_change);
        if (rc == BS_OK)
            rc = bs__change_terms(&m, p, g.cols, ci, s0, s1, col_var0, false, bs__largest_team(p, c),
                              wt->instructor_change);
        if (rc == BS_OK)
            rc = bs__spread_terms(&m, ci, s1 - s0, p->cohorts[c].min_days, wt->spread);
    }
    if (rc == BS_OK && ctx->full_objective)
        rc = bs__isolated_terms(&m, ctx, sol, cohorts, n_cohorts, g.cols, g.n_cols, col_var0);
    if (rc == BS_OK && m.failed)
        rc = BS_ENOMEM;

    /* solve: a first calendar (the current one, else greedy) completed into
     * a full GLPK solution by a solve with the placements fixed, then the
     * real search with that solution handed to it */
    /* the node budget shrinks with the model, so that each sub-MIP costs
     * about the same bounded work (node LPs grow with the columns) */
    int node_limit = ctx->node_limit > 0 ? ctx->node_limit : ctx->o->node_limit;
    if (g.n_cols > 2000)
        node_limit = (int)((long)node_limit * 2000 / (long)g.n_cols);
    if (m.nnz > 20000)
        node_limit = (int)((long)node_limit * 20000 / (long)m.nnz);
    if (node_limit < 5)
        node_limit = 5;
    bs__search cb = {.node_limit = node_limit,
                     .interrupt = ctx->o->interrupt,
                     .mip_gap = ctx->o->mip_gap,
                     .verbosity = ctx->o->verbosity};
    if (ctx->o->time_limit > 0)
        cb.deadline = ctx->start_time + ctx->o->time_limit;
    double *val = NULL, *start = NULL;
    int *pick = NULL;
    if (rc == BS_OK && g.n_cols == 0) {
        cb.bound = constant;
        cb.has_bound = true;
    }
    if (rc == BS_OK && g.n_cols > 0) {
        pick = bs_calloc(n_s, sizeof(int));
        val = bs_calloc(g.n_cols, sizeof(double));
        if (!pick || !val)
            rc = BS_ENOMEM;
    }
    if (rc == BS_OK && g.n_cols > 0 && ctx->model_hook != NULL) {
        /* the model leaves through the hook (solver/peer.c), unsearched */
        glp_set_obj_coef(m.lp, 0, constant);
        glp_load_matrix(m.lp, (int)m.nnz, m.ia, m.ja, m.ar);
        rc = ctx->model_hook(ctx->hook_info, m.lp, col_var0, g.n_cols, val, err);
    }
    if (rc == BS_OK && g.n_cols > 0 && ctx->model_hook == NULL) {
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
        /* With a baseline, sessions the current calendar leaves open start
         * at their baseline placement; under a change budget, a second try
         * keeps just those (no changes at all) before greedy alone. */
        for (int attempt = 0; rc == BS_OK && start == NULL && attempt < 3; attempt++) {
            if (attempt == 1 && !bs__has_budget(ctx))
                continue;
            if (attempt == 2 || !bs__current_start(p, sol, g.cols, si, sess, n_s, pick))
                for (size_t k = 0; k < n_s; k++)
                    pick[k] = -1;
            if (attempt < 2)
                baseline_start(ctx, g.cols, si, sess, n_s, pick);
            if (attempt != 1)
                rc = bs__greedy_start(ctx, occ, g.cols, si, sess, n_s, pos_of, split, pick);
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
        cb.start = start;
        double t1 = bs__now();
        int ret = rc == BS_OK ? bs__mip_search(m.lp, &cb) : GLP_EFAIL;
        double t2 = cb.root_time;
        int status = glp_mip_status(m.lp);
        if (getenv("BS_DEBUG_MIP"))
            fprintf(stderr,
                    "submip: %zu cohorts %zu sessions %zu cols %d rows %d vars %zu nz ret %d "
                    "status %d obj %g start %g fix %.3f root %.3f nodes %d %.2fs\n",
                    n_cohorts, n_s, g.n_cols, glp_get_num_rows(m.lp), glp_get_num_cols(m.lp),
                    m.nnz, ret, status, glp_mip_obj_val(m.lp), start_obj, t1 - t0, t2 - t1,
                    cb.nodes, bs__now() - t0);
        res->optimal = ret == 0 && status == GLP_OPT;
        if (rc == BS_OK && (status == GLP_OPT || status == GLP_FEAS) &&
            glp_mip_obj_val(m.lp) <= start_obj + 1e-9) {
            if (status == GLP_OPT)
                cb.bound = glp_mip_obj_val(m.lp), cb.has_bound = true;
            for (size_t c = 0; c < g.n_cols; c++)
                val[c] = glp_mip_col_val(m.lp, col_var0 + (int)c);
        }
    }
    res->time_hit = cb.time_hit;
    res->bound = cb.has_bound ? cb.bound : 0;

    /* the new assignments, offered only when they cost no more than the old */
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
            qsort(a->instructors.items, a->instructors.count, sizeof(int), bs__cmp_int);
            break;
        }
    }
    if (rc == BS_OK && (val != NULL || g.n_cols == 0)) {
        bool differs = false;
        for (size_t k = 0; k < n_cohorts; k++) {
            size_t s0 = d->cohort_first[cohorts[k]];
            res->old_cost += bs__cohort_cost(ctx, &sol->items[s0], cohorts[k]);
            res->new_cost += bs__cohort_cost(ctx, &fresh[pos_of[s0]], cohorts[k]);
        }
        for (size_t k = 0; k < n_s && !differs; k++)
            differs = !same_assignment(&fresh[k], &sol->items[sess[k]]);
        /* (a peer's solution read through the hook is taken as it is; the
         * coupled neighbourhoods judge by the whole objective) */
        if (differs && (res->new_cost <= res->old_cost + 1e-9 || ctx->model_hook != NULL ||
                        ctx->full_objective)) {
            res->changed = true;
            res->items = fresh;
            res->n = n_s;
            fresh = NULL;
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
    bs__colgen_free(&g);
    bs__free_infos(si, n_s);
    free(sess);
    free(pos_of);
    free(is_free);
    if (rc == BS_ENOMEM)
        bs_err_set(err, rc, "out of memory building a sub-MIP");
    return rc;
}

/* Does the result keep the records that a lazy model left out? */
static bool keeps_lazy_records(const bs__ctx *ctx, const int *cohorts, size_t n_cohorts,
                               const bs__subresult *res)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    size_t w = 0;
    for (size_t q = 0; q < n_cohorts; q++) {
        int c = cohorts[q];
        const bs_assignment *items = &res->items[w];
        size_t s0 = d->cohort_first[c];
        w += d->cohort_first[c + 1] - s0;
        for (size_t k = d->prec_first[c]; k < d->prec_first[c + 1]; k++) {
            const bs_precedence *pr = &d->prec[k];
            const bs_assignment *a = &items[pr->before - (int)s0], *b = &items[pr->after - (int)s0];
            if (pr->via < 0 || !a->placed || !b->placed)
                continue;
            int ta = (int)bs_problem_slot_at_or_after(p, a->start);
            int tb = (int)bs_problem_slot_at_or_after(p, b->start);
            if (!bs__prec_ok(p, d, pr, ta, tb))
                return false;
        }
        for (size_t k = d->cadence_first[c]; k < d->cadence_first[c + 1]; k++) {
            const struct bs_cadence *cd = &d->cadence[k];
            const bs_assignment *a = &items[cd->before - (int)s0], *b = &items[cd->after - (int)s0];
            if (cd->after - cd->before <= 1 || !a->placed || !b->placed)
                continue;
            bool mid_placed = false;
            for (int x = cd->before + 1; x < cd->after; x++)
                mid_placed = mid_placed || items[x - (int)s0].placed;
            if (!mid_placed && bs_problem_day_of(p, b->start) - bs_problem_day_of(p, a->start) >
                                   cd->max_days)
                return false;
        }
    }
    return true;
}

bs_rc bs__submip_solve(const bs__ctx *ctx, const bs__occ *occ, const int *cohorts,
                       size_t n_cohorts, const bs_solution *sol, int col_budget,
                       bs__subresult *res, bs_err *err)
{
    /* First without the records that other records imply while the
     * sessions between are placed (the usual case: a third of the rows or
     * fewer), then, only if the result breaks one, with all of them. */
    if (ctx->model_hook != NULL) /* peers get every record */
        return solve_group(ctx, occ, cohorts, n_cohorts, sol, col_budget, false, res, err);
    BS_TRY(solve_group(ctx, occ, cohorts, n_cohorts, sol, col_budget, true, res, err));
    if (!res->changed || keeps_lazy_records(ctx, cohorts, n_cohorts, res))
        return BS_OK;
    bool time_hit = res->time_hit;
    bs__subresult_free(res);
    bs_rc rc = solve_group(ctx, occ, cohorts, n_cohorts, sol, col_budget, false, res, err);
    res->time_hit = res->time_hit || time_hit;
    return rc;
}
