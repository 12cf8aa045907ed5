/**
 * @file batch.c
 * @brief Parallel fix-and-optimize: sub-MIPs over small groups of cohorts
 *        solved in parallel against one snapshot of the calendar, then
 *        merged one by one in a fixed order.
 *
 * A batch is a list of groups fixed before any thread starts (its make-up
 * never depends on the thread count). Every thread solves its groups
 * against its own replica of the calendar's occupancy; all replicas equal
 * the calendar at the start of the batch, so a group's result depends only
 * on the batch, not on which thread ran it or when. The merge then takes
 * the results in batch order: a result that still fits the calendar (no
 * resource, learner, minute or site clash with what earlier merges placed)
 * is committed, one that does not is dropped (improvement) or deferred to
 * the next batch (construction). Finally every replica replays the
 * committed changes. Hence `--threads 1` and `--threads N` give the same
 * calendar, byte for byte.
 */
#include <glpk.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver/batch.h"
#include "solver/formulation.h"

#define BATCH_GROUPS 32  /* groups per batch: fixed, so results do not depend on threads */
#define MAX_DEFERRALS 2  /* construction: clashing results retried in later batches */
#define LOOKAHEAD 48     /* construction: cohorts ahead in order a batch may take */
#define MIN_BATCH 8      /* construction: groups a batch takes even when they share */
#define PRICE_BLOCKERS 1 /* improvement: cohorts re-placed with one competing on price */

typedef struct task {
    int group[BS_TASK_COHORTS];
    size_t n;
    int deferrals;
    bs__subresult res;
    bs_rc rc;
    bs_err err;
    bool committed;
} task;

static bs_rc occ_apply_cohort(bs__occ *occ, const bs_domains *d, const bs_assignment *items, int c,
                              int sign)
{
    size_t s0 = d->cohort_first[c];
    for (size_t s = s0; s < d->cohort_first[c + 1]; s++)
        BS_TRY(bs__occ_apply(occ, &items[s - s0], (int)s, sign));
    return BS_OK;
}

static bs_rc occ_apply_group(bs__occ *occ, const bs_domains *d, const bs_solution *sol,
                             const int *group, size_t n, int sign)
{
    for (size_t g = 0; g < n; g++)
        BS_TRY(occ_apply_cohort(occ, d, &sol->items[d->cohort_first[group[g]]], group[g], sign));
    return BS_OK;
}

bs_rc bs__engine_init(bs__engine *e, bs__ctx *ctx, bs_solution *sol, int threads)
{
    memset(e, 0, sizeof *e);
    e->ctx = ctx;
    e->sol = sol;
    e->threads = threads > 0 ? threads : 1;
    e->replica = bs_calloc((size_t)e->threads, sizeof *e->replica);
    e->cost = bs_calloc(ctx->p->n_cohorts + 1, sizeof(double));
    size_t n_keys = ctx->p->n_rooms + ctx->p->n_instructors + ctx->p->n_cohorts;
    e->freed_at = bs_calloc(n_keys + 1, sizeof(size_t));
    e->solved_at = bs_calloc(ctx->p->n_cohorts + 1, sizeof(size_t));
    if (!e->replica || !e->cost || !e->freed_at || !e->solved_at)
        return BS_ENOMEM;
    e->epoch = 1;
    for (int r = 0; r < e->threads; r++) {
        BS_TRY(bs__occ_create(ctx->p, ctx->d, &e->replica[r]));
        for (size_t s = 0; s < sol->count; s++)
            BS_TRY(bs__occ_apply(e->replica[r], &sol->items[s], (int)s, +1));
    }
    e->occ = e->replica[0];
    for (size_t c = 0; c < ctx->p->n_cohorts; c++)
        e->cost[c] = bs__cohort_cost(ctx, &sol->items[ctx->d->cohort_first[c]], (int)c);
    return BS_OK;
}

void bs__engine_free(bs__engine *e)
{
    for (int r = 0; e->replica && r < e->threads; r++)
        bs__occ_destroy(&e->replica[r]);
    free(e->replica);
    free(e->cost);
    free(e->freed_at);
    free(e->solved_at);
    memset(e, 0, sizeof *e);
}

double bs__engine_objective(const bs__engine *e)
{
    double total = 0;
    for (size_t c = 0; c < e->ctx->p->n_cohorts; c++)
        total += e->cost[c];
    return total;
}

void bs__engine_progress(bs__engine *e, const char *phase, size_t done, size_t total, bool force)
{
    bs__ctx *ctx = e->ctx;
    if (!ctx->o->progress)
        return;
    double now = bs__now();
    /* once, when every required session is placed: the bench's time to the
     * first complete calendar (benchmarks/run.sh) */
    bool complete = !ctx->complete_seen;
    for (size_t k = 0; complete && k < e->sol->count; k++)
        complete = e->sol->items[k].placed || ctx->d->sessions[k].optional;
    if (complete) {
        ctx->complete_seen = true;
        fprintf(stderr, "blendsched: first complete calendar at %.2fs, objective %.1f\n",
                now - ctx->start_time, bs__engine_objective(e));
    }
    if (!force && now - ctx->last_progress < 1.0)
        return;
    ctx->last_progress = now;
    size_t placed = 0;
    for (size_t k = 0; k < e->sol->count; k++)
        placed += e->sol->items[k].placed;
    double obj = bs__engine_objective(e);
    double gap = obj > 0 ? (obj - ctx->bound) / obj : 0;
    fprintf(stderr,
            "blendsched: %-10s cohorts %zu/%zu  placed %zu/%zu  objective %.1f  bound %.1f  "
            "gap %.1f%%  %.1fs\n",
            phase, done, total, placed, e->sol->count, obj, ctx->bound,
            100.0 * (gap > 0 ? gap : 0), now - ctx->start_time);
}

/* Does the result leave a required session with candidates unplaced? */
static bool leaves_required_unplaced(const bs__ctx *ctx, const bs_solution *sol, const task *t)
{
    const bs_domains *d = ctx->d;
    size_t w = 0;
    for (size_t g = 0; g < t->n; g++)
        for (size_t s = d->cohort_first[t->group[g]]; s < d->cohort_first[t->group[g] + 1];
             s++, w++) {
            const bs_assignment *a = t->res.changed ? &t->res.items[w] : &sol->items[s];
            if (!a->placed && !d->sessions[s].optional && d->sessions[s].reason == BS_REASON_NONE)
                return true;
        }
    return false;
}

/* One group's sub-MIP against occ (from which the group must be absent):
 * first with the candidate budget, then, when that leaves a required
 * session unplaced, with every candidate for the sessions the calendar
 * has not placed (the others keep the budget: every candidate of a whole
 * group is a MIP of ten thousand columns, and moving a blocker to one of
 * its cheapest placements of a day is what a repair needs). */
static void solve_task(const bs__ctx *ctx, const bs__occ *occ, const bs_solution *sol, task *t)
{
    int budget = ctx->column_budget > 0 ? ctx->column_budget : ctx->o->column_budget;
    t->rc = bs__submip_solve(ctx, occ, t->group, t->n, sol, budget, &t->res, &t->err);
    /* (a change budget the result spends to the last change is what leaves
     * sessions out, not the candidates left out) */
    if (t->rc == BS_OK && budget > 0 && leaves_required_unplaced(ctx, sol, t) &&
        !bs__budget_spent(ctx, sol, t->group, t->n, t->res.changed ? t->res.items : NULL)) {
        bool time_hit = t->res.time_hit;
        bs__subresult_free(&t->res);
        t->rc = bs__submip_solve(ctx, occ, t->group, t->n, sol, -budget, &t->res, &t->err);
        t->res.time_hit = t->res.time_hit || time_hit;
    }
}

/* Commit the task's result into the calendar and the master occupancy if
 * every new assignment still fits; the group's old assignments are out of
 * occ on entry and back in it when this returns false. */
static bs_rc try_commit(bs__engine *e, task *t, bool *fits)
{
    const bs__ctx *ctx = e->ctx;
    const bs_domains *d = ctx->d;
    size_t w = 0, applied = 0;
    *fits = true;
    /* the change budget goes to results in merge order */
    if (!bs__budget_fits(ctx, e->sol, t->group, t->n, t->res.items)) {
        *fits = false;
        return occ_apply_group(e->occ, d, e->sol, t->group, t->n, +1);
    }
    for (size_t g = 0; g < t->n && *fits; g++)
        for (size_t s = d->cohort_first[t->group[g]];
             s < d->cohort_first[t->group[g] + 1] && *fits; s++, w++) {
            const bs_assignment *a = &t->res.items[w];
            if (!bs__occ_fits(e->occ, &ctx->peers[a->cohort], a, (int)s)) {
                *fits = false;
                break;
            }
            BS_TRY(bs__occ_apply(e->occ, a, (int)s, +1));
            applied = w + 1;
        }
    if (!*fits) {
        w = 0;
        for (size_t g = 0; g < t->n; g++)
            for (size_t s = d->cohort_first[t->group[g]];
                 s < d->cohort_first[t->group[g] + 1] && w < applied; s++, w++)
                BS_TRY(bs__occ_apply(e->occ, &t->res.items[w], (int)s, -1));
        return occ_apply_group(e->occ, d, e->sol, t->group, t->n, +1);
    }
    bs__subresult_swap(ctx, e->sol, t->group, t->n, &t->res);
    e->epoch++;
    for (size_t k = 0; k < t->res.n; k++) {
        const bs_assignment *old = &t->res.items[k];
        if (!old->placed)
            continue;
        if (old->room >= 0)
            e->freed_at[bs__res_room(e->occ, old->room)] = e->epoch;
        for (size_t q = 0; q < old->instructors.count; q++)
            e->freed_at[bs__res_instructor(e->occ, old->instructors.items[q])] = e->epoch;
        e->freed_at[bs__res_cohort(e->occ, old->cohort)] = e->epoch;
    }
    for (size_t g = 0; g < t->n; g++) {
        int c = t->group[g];
        e->cost[c] = bs__cohort_cost(ctx, &e->sol->items[d->cohort_first[c]], c);
    }
    t->committed = true;
    return BS_OK;
}

/* Bring replicas 1.. up to the calendar: undo each committed task's old
 * assignments (now in its result) and apply the new ones. */
static bs_rc replay(bs__engine *e, task *tasks, size_t n)
{
    const bs_domains *d = e->ctx->d;
    int worst = BS_OK;
#pragma omp parallel for num_threads(e->threads) schedule(static, 1) reduction(min : worst)
    for (int r = 1; r < e->threads; r++) {
        bs_rc mine = BS_OK;
        for (size_t k = 0; k < n && mine == BS_OK; k++) {
            task *t = &tasks[k];
            if (!t->committed)
                continue;
            size_t w = 0;
            for (size_t g = 0; g < t->n && mine == BS_OK; g++) {
                int c = t->group[g];
                for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1] && mine == BS_OK;
                     s++, w++) {
                    mine = bs__occ_apply(e->replica[r], &t->res.items[w], (int)s, -1);
                    if (mine == BS_OK)
                        mine = bs__occ_apply(e->replica[r], &e->sol->items[s], (int)s, +1);
                }
            }
        }
        if ((int)mine < worst) /* errors are negative */
            worst = (int)mine;
    }
    return (bs_rc)worst;
}

/* Solve the batch's groups in parallel, each against its thread's replica
 * (the group taken out of it while its sub-MIP runs when `present`). */
/* Larger groups first: a thread that picks the largest sub-MIP last
 * leaves the others idle at the end of the batch. Only the order in which
 * threads take tasks changes, never a result (each task writes its own
 * slot), so the output stays the same for every thread count. */
typedef struct task_size {
    size_t sessions, index;
} task_size;

static int cmp_task_size(const void *a, const void *b)
{
    const task_size *x = a, *y = b;
    if (x->sessions != y->sessions)
        return x->sessions > y->sessions ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static void solve_batch(bs__engine *e, task *tasks, size_t n, bool present)
{
    const bs__ctx *ctx = e->ctx;
    task_size order[BATCH_GROUPS];
    for (size_t k = 0; k < n; k++) {
        order[k] = (task_size){0, k};
        for (size_t g = 0; g < tasks[k].n; g++)
            order[k].sessions += ctx->d->cohort_first[tasks[k].group[g] + 1] -
                                 ctx->d->cohort_first[tasks[k].group[g]];
    }
    qsort(order, n, sizeof *order, cmp_task_size);
#pragma omp parallel num_threads(e->threads)
    {
        glp_term_out(GLP_OFF);
        bs__occ *occ = e->replica[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 1)
        for (size_t k = 0; k < n; k++) {
            task *t = &tasks[order[k].index];
            t->rc = present ? occ_apply_group(occ, ctx->d, e->sol, t->group, t->n, -1) : BS_OK;
            if (t->rc == BS_OK)
                solve_task(ctx, occ, e->sol, t);
            if (present) {
                bs_rc rc2 = occ_apply_group(occ, ctx->d, e->sol, t->group, t->n, +1);
                if (t->rc == BS_OK)
                    t->rc = rc2;
            }
        }
        glp_free_env();
    }
}

static bs_rc first_failure(task *tasks, size_t n, bs_err *err)
{
    for (size_t k = 0; k < n; k++)
        if (tasks[k].rc != BS_OK) {
            if (err)
                *err = tasks[k].err;
            return tasks[k].rc;
        }
    return BS_OK;
}

static void free_tasks(task *tasks, size_t n)
{
    for (size_t k = 0; k < n; k++)
        bs__subresult_free(&tasks[k].res);
}

bool bs__engine_should_stop(const bs__engine *e)
{
    const bs__ctx *ctx = e->ctx;
    if (ctx->o->interrupt && *ctx->o->interrupt)
        return true;
    return ctx->o->time_limit > 0 && bs__now() > ctx->start_time + ctx->o->time_limit;
}

/* Mark (mark = true) the resources cohort c could use (its sessions'
 * rooms and instructors, its learners), or tell whether one is marked. */
static bool cohort_resources(const bs__engine *e, int c, unsigned char *marks, bool mark)
{
    const bs_domains *d = e->ctx->d;
    const bs__occ *o = e->occ;
    for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++) {
        const bs_session *se = &d->sessions[s];
        for (size_t q = 0; q < se->rooms.count; q++) {
            size_t key = bs__res_room(o, se->rooms.items[q]);
            if (!mark && marks[key])
                return true;
            marks[key] = mark ? 1 : marks[key];
        }
        for (size_t q = 0; q < se->instructors.count; q++) {
            size_t key = bs__res_instructor(o, se->instructors.items[q]);
            if (!mark && marks[key])
                return true;
            marks[key] = mark ? 1 : marks[key];
        }
    }
    const bs_ids *peers = &e->ctx->peers[c];
    for (size_t q = 0; q < peers->count; q++)
        if (!mark && marks[bs__res_cohort(o, peers->items[q])])
            return true;
    if (mark)
        marks[bs__res_cohort(o, c)] = 1;
    return false;
}

bs_rc bs__engine_construct(bs__engine *e, const int *order, size_t n, bs_err *err)
{
    bs__ctx *ctx = e->ctx;
    const bs_problem *p = ctx->p;
    task *tasks = bs_calloc(BATCH_GROUPS, sizeof *tasks);
    task *carry = bs_calloc(BATCH_GROUPS, sizeof *carry); /* deferred to the next batch */
    bool *taken = bs_calloc(n + 1, sizeof(bool));           /* by position in order */
    unsigned char *marks = bs_calloc(p->n_rooms + p->n_instructors + p->n_cohorts + 1, 1);
    if (!tasks || !carry || !taken || !marks) {
        free(tasks);
        free(carry);
        free(taken);
        free(marks);
        return BS_ENOMEM;
    }
    size_t next = 0, n_carry = 0, done = 0;
    bs_rc rc = BS_OK;
    while (rc == BS_OK && (next < n || n_carry > 0)) {
        if (bs__engine_should_stop(e)) {
            ctx->limit_hit = true;
            break;
        }
        size_t nt = 0, snapshot = e->epoch;
        for (size_t k = 0; k < n_carry; k++) {
            tasks[nt++] = carry[k];
            cohort_resources(e, carry[k].group[0], marks, true);
        }
        n_carry = 0;
        /* Cohorts that could clash in the merge (sharing a room, an
         * instructor or learners) go to different batches: from the next
         * LOOKAHEAD cohorts in order, those that share nothing with the
         * batch so far, after the first MIN_BATCH (parallel work even when
         * everything is shared). */
        for (size_t pos = next; pos < n && pos < next + LOOKAHEAD && nt < BATCH_GROUPS; pos++) {
            if (taken[pos])
                continue;
            if (nt >= MIN_BATCH && cohort_resources(e, order[pos], marks, false))
                continue;
            cohort_resources(e, order[pos], marks, true);
            taken[pos] = true;
            tasks[nt++] = (task){.group = {order[pos]}, .n = 1};
        }
        while (next < n && taken[next])
            next++;
        memset(marks, 0, p->n_rooms + p->n_instructors + p->n_cohorts + 1);
        solve_batch(e, tasks, nt, false);
        rc = first_failure(tasks, nt, err);
        for (size_t k = 0; rc == BS_OK && k < nt; k++) {
            task *t = &tasks[k];
            ctx->limit_hit = ctx->limit_hit || t->res.time_hit;
            /* unchanged and proven: the same sub-MIP would answer the same */
            if (t->res.optimal && !t->res.changed)
                e->solved_at[t->group[0]] = snapshot;
            if (!t->res.changed) {
                done++;
                continue;
            }
            bool fits;
            rc = try_commit(e, t, &fits);
            if (rc != BS_OK || fits) {
                done++;
                continue;
            }
            e->n_clashes++;
            if (t->deferrals < MAX_DEFERRALS) {
                /* retried in the next batch against the calendar as it is then */
                carry[n_carry] = (task){.group = {t->group[0]}, .n = 1,
                                        .deferrals = t->deferrals + 1};
                n_carry++;
                continue;
            }
            /* against the calendar as it is now, which cannot clash */
            bs__subresult_free(&t->res);
            solve_task(ctx, e->occ, e->sol, t);
            rc = t->rc;
            if (rc == BS_OK && t->res.changed)
                rc = try_commit(e, t, &fits);
            done++;
        }
        if (rc == BS_OK)
            rc = replay(e, tasks, nt);
        free_tasks(tasks, nt);
        bs__engine_progress(e, "construct", done, n, false);
    }
    free_tasks(tasks, BATCH_GROUPS);
    free(tasks);
    free(carry);
    free(taken);
    free(marks);
    return rc;
}

/* Has anything the cohort could use (its sessions' rooms and instructors,
 * its learners' other cohorts) been freed since a sub-MIP of it alone last
 * proved its calendar optimal without changing it? (The candidates depend
 * on the cohort's own calendar, which ranks the rooms and instructors it
 * uses first, and a search cut by its node budget may do better from a
 * better start: after either, the cohort is worth another look.) */
static bool freed_since_solved(const bs__engine *e, int c)
{
    const bs_domains *d = e->ctx->d;
    size_t since = e->solved_at[c];
    if (since == 0)
        return true;
    for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++) {
        const bs_session *se = &d->sessions[s];
        for (size_t q = 0; q < se->rooms.count; q++)
            if (e->freed_at[bs__res_room(e->occ, se->rooms.items[q])] > since)
                return true;
        for (size_t q = 0; q < se->instructors.count; q++)
            if (e->freed_at[bs__res_instructor(e->occ, se->instructors.items[q])] > since)
                return true;
    }
    const bs_ids *peers = &e->ctx->peers[c];
    for (size_t q = 0; q < peers->count; q++)
        if (e->freed_at[bs__res_cohort(e->occ, peers->items[q])] > since)
            return true;
    return false;
}

/* Scores of the cohorts that block a cohort's unplaced sessions: one point
 * per (candidate start, resource) pair a cohort takes away. */
typedef struct blockers {
    int *score;   /* [n_cohorts], zero outside the call */
    int *touched; /* cohorts with a score */
    size_t n;
    int weight;   /* points per blocked pair, set by the caller (see scarcity) */
} blockers;

static void blame(blockers *b, const bs_solution *sol, int session, int self)
{
    if (session < 0)
        return;
    int hc = sol->items[session].cohort;
    if (hc == self)
        return;
    if (b->score[hc] == 0)
        b->touched[b->n++] = hc;
    b->score[hc] += b->weight;
}

/* Points for holding one of `choices` resources that could serve a start:
 * the fewer the choices, the more a holder blocks (a pinned room, or the
 * learners a cohort shares, leave no other way; one of a dozen qualified
 * instructors leaves eleven). */
#define SCARCITY 60
static int scarcity(size_t choices)
{
    return choices == 0 || choices >= SCARCITY ? 1 : (int)(SCARCITY / choices);
}

/* Blame every session holding resource res during [t, end): all of them,
 * so that the scores do not depend on the order of the occupancy lists
 * (which differs between replicas, hence between thread counts). */
static void blame_holders(blockers *b, const bs__engine *e, size_t res, bs_time t, bs_time end,
                          int self)
{
    const bs__occ *o = e->occ;
    int d0 = bs_problem_day_of(o->p, t), d1 = bs_problem_day_of(o->p, end - 1);
    if (d0 < 0)
        d0 = 0;
    if (d1 < 0 || d1 >= (int)o->n_days)
        d1 = (int)o->n_days - 1;
    for (int day = d0; day <= d1; day++) {
        const occ_list *l = &o->lists[res * o->n_days + (size_t)day];
        for (uint32_t k = 0; k < l->count; k++)
            if (l->items[k].from < end && l->items[k].to > t)
                blame(b, e->sol, l->items[k].session, self);
    }
}

/* Blame whoever fills an instructor's minutes on the day or in the week of
 * `day` when one more session of `dur` minutes would break the limit. */
static void blame_minutes(blockers *b, const bs__engine *e, int i, int day, int dur, int self)
{
    const bs__occ *o = e->occ;
    const bs_instructor *in = &e->ctx->p->instructors[i];
    size_t res = bs__res_instructor(o, i);
    bool day_full = in->max_minutes_per_day >= 0 &&
                    o->minutes_day[(size_t)i * o->n_days + (size_t)day] + dur > in->max_minutes_per_day;
    int week = o->week_of_day[day];
    bool week_full = in->max_minutes_per_week >= 0 &&
                     o->minutes_week[(size_t)i * o->n_weeks + (size_t)week] + dur >
                         in->max_minutes_per_week;
    for (size_t dd = 0; (day_full || week_full) && dd < o->n_days; dd++) {
        if (!(week_full ? o->week_of_day[dd] == week : (int)dd == day))
            continue;
        const occ_list *l = &o->lists[res * o->n_days + dd];
        for (uint32_t k = 0; k < l->count; k++)
            blame(b, e->sol, l->items[k].session, self);
    }
}

/* Blame whoever ties instructor i, in person, to another site on `day`
 * when the session to place is in person at `site` (rule 3). */
typedef struct site_blame {
    blockers *b;
    const bs_solution *sol;
    int self;
} site_blame;

static void blame_one(void *arg, int session)
{
    site_blame *sb = arg;
    blame(sb->b, sb->sol, session, sb->self);
}

static void blame_site(blockers *b, const bs__engine *e, int i, int day, int site, int self)
{
    site_blame sb = {b, e->sol, self};
    bs__occ_site_holders(e->occ, i, day, site, blame_one, &sb);
}

/* Highest score first, then lowest cohort index: an insertion sort, since
 * a cohort has a few dozen blockers at most. */
static void rank_blockers(blockers *b)
{
    for (size_t k = 1; k < b->n; k++) {
        int x = b->touched[k];
        size_t j = k;
        while (j > 0) {
            int y = b->touched[j - 1];
            if (b->score[y] > b->score[x] || (b->score[y] == b->score[x] && y < x))
                break;
            b->touched[j] = y;
            j--;
        }
        b->touched[j] = x;
    }
}

/* A cohort with every session placed competes for price: blame whoever
 * holds, at one of the session's candidate starts, an instructor cheaper
 * than the dearest of its team or a room cheaper than its room. */
static void blame_price(blockers *b, const bs__engine *e, int c, int s)
{
    const bs_problem *p = e->ctx->p;
    const bs_session *se = &e->ctx->d->sessions[s];
    const bs_assignment *a = &e->sol->items[s];
    const bs__occ *o = e->occ;
    if (!a->placed)
        return;
    double dearest = 0, room_price = a->room >= 0 ? p->rooms[a->room].cost_per_hour : 0;
    for (size_t q = 0; q < a->instructors.count; q++)
        if (p->instructors[a->instructors.items[q]].cost_per_hour > dearest)
            dearest = p->instructors[a->instructors.items[q]].cost_per_hour;
    if (dearest <= 0 && room_price <= 0)
        return;
    for (size_t k = 0; k < se->n_slots; k++) {
        bs_time t = p->slots[se->slots[k]].start, end = t + se->duration;
        int day = p->slots[se->slots[k]].day;
        for (size_t q = 0; dearest > 0 && q < se->instructors.count; q++) {
            int i = se->instructors.items[q];
            if (p->instructors[i].cost_per_hour >= dearest ||
                !bs_instructor_free_at(&p->instructors[i], t, end))
                continue;
            blame_holders(b, e, bs__res_instructor(o, i), t, end, c);
            if (day >= 0)
                blame_minutes(b, e, i, day, se->duration, c);
        }
        for (size_t q = 0; room_price > 0 && q < se->rooms.count; q++) {
            int r = se->rooms.items[q];
            if (p->rooms[r].cost_per_hour < room_price && bs_room_free_at(&p->rooms[r], t, end))
                blame_holders(b, e, bs__res_room(o, r), t, end, c);
        }
    }
}

/* ==== Repair: open one start of a missing session ==== */

/* The cohorts (ascending, the re-placed cohort itself never among them)
 * whose sessions would have to move for a placement to fit. */
#define OPENING_CAP 8
#define OPENING_OPTIONS 16 /* distinct blocker sets a cohort's repair rounds go through */
typedef struct opening {
    int cohort[OPENING_CAP];
    int n;
    bool over; /* more than OPENING_CAP: treated as impossible */
} opening;

static void opening_add(opening *u, int cohort)
{
    int k = 0;
    while (k < u->n && u->cohort[k] < cohort)
        k++;
    if (k < u->n && u->cohort[k] == cohort)
        return;
    if (u->n == OPENING_CAP) {
        u->over = true;
        return;
    }
    memmove(&u->cohort[k + 1], &u->cohort[k], (size_t)(u->n - k) * sizeof(int));
    u->cohort[k] = cohort;
    u->n++;
}

typedef struct opening_arg {
    opening *u;
    const bs_solution *sol;
    int self;
} opening_arg;

static void opening_add_session(void *arg, int session)
{
    opening_arg *a = arg;
    int hc = a->sol->items[session].cohort;
    if (hc != a->self)
        opening_add(a->u, hc);
}

/* Every cohort holding resource res during [t, end), as blame_holders. */
static void opening_holders(opening *u, const bs__engine *e, size_t res, bs_time t, bs_time end,
                            int self)
{
    const bs__occ *o = e->occ;
    opening_arg a = {u, e->sol, self};
    int d0 = bs_problem_day_of(o->p, t), d1 = bs_problem_day_of(o->p, end - 1);
    if (d0 < 0)
        d0 = 0;
    if (d1 < 0 || d1 >= (int)o->n_days)
        d1 = (int)o->n_days - 1;
    for (int day = d0; day <= d1 && !u->over; day++) {
        const occ_list *l = &o->lists[res * o->n_days + (size_t)day];
        for (uint32_t k = 0; k < l->count; k++)
            if (l->items[k].from < end && l->items[k].to > t)
                opening_add_session(&a, l->items[k].session);
    }
}

/* What instructor i needs moved to teach session se at [t, end) on `day`:
 * whoever holds the time, ties the instructor to another site that date
 * (rule 3), or fills the day's or the week's minutes (all of that day's or
 * week's sessions: usually too many, which rules the instructor out). */
static void opening_instructor(opening *u, const bs__engine *e, const bs_session *se, int i,
                               bs_time t, bs_time end, int day, int self)
{
    const bs__occ *o = e->occ;
    const bs_instructor *in = &e->ctx->p->instructors[i];
    size_t res = bs__res_instructor(o, i);
    opening_holders(u, e, res, t, end, self);
    if (day < 0 || u->over)
        return;
    opening_arg a = {u, e->sol, self};
    if (se->in_person)
        bs__occ_site_holders(o, i, day, e->ctx->p->cohorts[self].site, opening_add_session, &a);
    int week = o->week_of_day[day];
    bool day_full = in->max_minutes_per_day >= 0 &&
                    o->minutes_day[(size_t)i * o->n_days + (size_t)day] + se->duration >
                        in->max_minutes_per_day;
    bool week_full = in->max_minutes_per_week >= 0 &&
                     o->minutes_week[(size_t)i * o->n_weeks + (size_t)week] + se->duration >
                         in->max_minutes_per_week;
    for (size_t dd = 0; (day_full || week_full) && dd < o->n_days && !u->over; dd++) {
        if (!(week_full ? o->week_of_day[dd] == week : (int)dd == day))
            continue;
        const occ_list *l = &o->lists[res * o->n_days + dd];
        for (uint32_t k = 0; k < l->count; k++)
            opening_add_session(&a, l->items[k].session);
    }
}

/* Does slot k of session s keep order and gaps with the cohort's sessions
 * placed now? (a start the cohort reaches without moving its own other
 * sessions; study days and cadence are left to the sub-MIP) */
static bool opening_keeps_order(const bs__engine *e, int s, int slot)
{
    const bs_problem *p = e->ctx->p;
    const bs_domains *d = e->ctx->d;
    int c = d->sessions[s].cohort;
    for (size_t r = d->prec_first[c]; r < d->prec_first[c + 1]; r++) {
        const bs_precedence *pr = &d->prec[r];
        int other = pr->before == s ? pr->after : pr->after == s ? pr->before : -1;
        if (other < 0 || pr->assumed || !e->sol->items[other].placed)
            continue;
        int other_slot = (int)bs_problem_slot_at_or_after(p, e->sol->items[other].start);
        if (other_slot >= (int)p->n_slots)
            continue;
        bool ok = pr->before == s ? bs__prec_ok(p, d, pr, slot, other_slot)
                                  : bs__prec_ok(p, d, pr, other_slot, slot);
        if (!ok)
            return false;
    }
    return true;
}

/* The fewest cohorts (at most `want`) that, re-placed with cohort c, would
 * free slot k of its unplaced session s: the learners' other cohorts busy
 * then, the holders of the room that needs the fewest moved, and of the
 * instructors that need the fewest, one by one. False when no room or team
 * can be freed by moving `want` cohorts or fewer. */
static bool open_slot(const bs__engine *e, int c, int s, size_t k, int want, opening *out)
{
    const bs_problem *p = e->ctx->p;
    const bs_session *se = &e->ctx->d->sessions[s];
    const bs__occ *o = e->occ;
    bs_time t = p->slots[se->slots[k]].start, end = t + se->duration;
    int day = p->slots[se->slots[k]].day;
    opening u = {.n = 0};
    const bs_ids *peers = &e->ctx->peers[c];
    for (size_t q = 0; q < peers->count && !u.over; q++)
        opening_holders(&u, e, bs__res_cohort(o, peers->items[q]), t, end, c);
    if (u.over || u.n > want)
        return false;
    if (se->needs_room) {
        opening best = {.over = true};
        for (size_t q = 0; q < se->rooms.count; q++) {
            int r = se->rooms.items[q];
            if (!bs_room_free_at(&p->rooms[r], t, end))
                continue;
            opening x = u;
            opening_holders(&x, e, bs__res_room(o, r), t, end, c);
            if (!x.over && (best.over || x.n < best.n))
                best = x;
            if (!best.over && best.n == u.n)
                break; /* free: nothing better */
        }
        if (best.over || best.n > want)
            return false;
        u = best;
    }
    int chosen[8], n_chosen = 0;
    for (int m = 0; m < se->n_instructors && m < 8; m++) {
        opening best = {.over = true};
        int best_i = -1;
        for (size_t q = 0; q < se->instructors.count; q++) {
            int i = se->instructors.items[q];
            bool taken = false;
            for (int j = 0; j < n_chosen; j++)
                taken = taken || chosen[j] == i;
            if (taken || !bs_instructor_free_at(&p->instructors[i], t, end))
                continue;
            opening x = u;
            opening_instructor(&x, e, se, i, t, end, day, c);
            if (!x.over && (best.over || x.n < best.n)) {
                best = x;
                best_i = i;
            }
            if (!best.over && best.n == u.n)
                break;
        }
        if (best_i < 0 || best.n > want)
            return false;
        u = best;
        chosen[n_chosen++] = best_i;
    }
    *out = u;
    return true;
}

/* The `pick`-th way to open a start of cohort c's first unplaced required
 * session: of the starts that `want` cohorts or fewer block, those its
 * placed sessions allow first, then the fewest blockers, then the
 * earliest, each distinct set of blockers once. Aggregate blame (below)
 * ranks cohorts over every start at once, so its top blockers may each
 * block a different start and the group frees none; this picks one start
 * and everything in its way (fixtures/solve/repair-opening). False when
 * no start opens. */
static bool repair_opening(const bs__engine *e, int c, int want, size_t pick, opening *out)
{
    const bs_domains *d = e->ctx->d;
    int s = -1;
    for (size_t q = d->cohort_first[c]; q < d->cohort_first[c + 1] && s < 0; q++)
        if (!e->sol->items[q].placed && !d->sessions[q].optional &&
            d->sessions[q].reason == BS_REASON_NONE)
            s = (int)q;
    if (s < 0)
        return false;
    const bs_session *se = &d->sessions[s];
    /* distinct blocker sets in rank order, as far as the round needs */
    opening found[OPENING_OPTIONS];
    size_t n_found = 0;
    for (int pass = 0; pass < 2 && n_found <= pick && n_found < OPENING_OPTIONS; pass++)
        for (int n = 1; n <= want && n_found <= pick && n_found < OPENING_OPTIONS; n++)
            for (size_t k = 0; k < se->n_slots && n_found <= pick && n_found < OPENING_OPTIONS;
                 k++) {
                opening u;
                if (opening_keeps_order(e, s, se->slots[k]) != (pass == 0) ||
                    !open_slot(e, c, s, k, want, &u) || u.n != n)
                    continue;
                bool again = false;
                for (size_t f = 0; f < n_found && !again; f++)
                    again = found[f].n == u.n &&
                            memcmp(found[f].cohort, u.cohort, (size_t)u.n * sizeof(int)) == 0;
                if (!again)
                    found[n_found++] = u;
            }
    if (n_found == 0)
        return false;
    *out = found[pick % n_found]; /* fewer than the rounds: wrap around */
    return true;
}

/* The cohort with the cohorts that block its unplaced required sessions
 * most (rooms and instructors taken at its candidate starts, instructors'
 * minute limits filled or tied to another site that date, learners shared
 * with other cohorts busy). In repair round r the blockers ranked from
 * r·(group − 1) on are taken, so that successive rounds try other
 * neighbourhoods; once those stall (repair_opening set), the r-th way to
 * open one start of the missing session instead. All deterministic. */
static size_t blocking_group(const bs__engine *e, int c, int *group, blockers *b)
{
    const bs_domains *d = e->ctx->d;
    const bs_problem *p = e->ctx->p;
    const bs_solution *sol = e->sol;
    const bs__occ *o = e->occ;
    const bs_ids *peers = &e->ctx->peers[c];
    size_t n = 0;
    group[n++] = c;
    b->n = 0;
    for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++) {
        const bs_session *se = &d->sessions[s];
        /* a skipped optional session costs a tie-break only: not worth
         * re-placing other cohorts for */
        if (sol->items[s].placed || se->reason != BS_REASON_NONE || se->optional)
            continue;
        for (size_t k = 0; k < se->n_slots; k++) {
            bs_time t = p->slots[se->slots[k]].start, end = t + se->duration;
            int day = p->slots[se->slots[k]].day;
            b->weight = scarcity(se->instructors.count);
            for (size_t q = 0; q < se->instructors.count; q++) {
                int i = se->instructors.items[q];
                blame_holders(b, e, bs__res_instructor(o, i), t, end, c);
                if (day >= 0)
                    blame_minutes(b, e, i, day, se->duration, c);
                if (day >= 0 && se->in_person)
                    blame_site(b, e, i, day, p->cohorts[c].site, c);
            }
            b->weight = scarcity(se->rooms.count);
            for (size_t q = 0; q < se->rooms.count; q++)
                blame_holders(b, e, bs__res_room(o, se->rooms.items[q]), t, end, c);
            b->weight = scarcity(1);
            for (size_t q = 0; q < peers->count; q++)
                blame_holders(b, e, bs__res_cohort(o, peers->items[q]), t, end, c);
        }
    }
    bool short_of_sessions = b->n > 0;
    b->weight = 1;
    for (size_t s = d->cohort_first[c]; !short_of_sessions && s < d->cohort_first[c + 1]; s++)
        blame_price(b, e, c, (int)s);
    rank_blockers(b);
    /* price neighbourhoods take the one strongest competitor: four cohorts
     * per sub-MIP cost twenty times as much for a few points more */
    size_t want = short_of_sessions ? BS_MAX_GROUP - 1 : PRICE_BLOCKERS, first = 0;
    /* after aggregate blame has stalled: the blockers of one start
     * (topped up by aggregate blame) */
    size_t turn = (size_t)e->repair_round;
    opening u = {.n = 0};
    if (short_of_sessions && e->repair_opening && repair_opening(e, c, (int)want, turn, &u))
        for (int k = 0; k < u.n; k++)
            group[n++] = u.cohort[k];
    if (b->n > want)
        first = (turn * want) % b->n;
    for (size_t k = 0; k < b->n && n < 1 + want; k++) {
        int other = b->touched[(first + k) % b->n];
        bool in_group = false;
        for (size_t g = 0; g < n; g++)
            in_group = in_group || group[g] == other;
        if (!in_group)
            group[n++] = other;
    }
    for (size_t k = 0; k < b->n; k++)
        b->score[b->touched[k]] = 0;
    qsort(group, n, sizeof(int), bs__cmp_int);
    return n;
}

bs_rc bs__engine_improve(bs__engine *e, const int *targets, size_t n, bool *improved, bs_err *err)
{
    bs__ctx *ctx = e->ctx;
    const size_t n_cohorts = ctx->p->n_cohorts;
    task *tasks = bs_calloc(BATCH_GROUPS, sizeof *tasks);
    bool *in_batch = bs_calloc(n_cohorts + 1, sizeof(bool));
    int *pending = bs_calloc(n + 1, sizeof(int));
    blockers blk = {bs_calloc(n_cohorts + 1, sizeof(int)), bs_calloc(n_cohorts + 1, sizeof(int)),
                    0, 1};
    if (!tasks || !in_batch || !pending || !blk.score || !blk.touched) {
        free(tasks);
        free(in_batch);
        free(pending);
        free(blk.score);
        free(blk.touched);
        return BS_ENOMEM;
    }
    memcpy(pending, targets, n * sizeof(int));
    size_t n_pending = n, done = 0;
    *improved = false;
    bs_rc rc = BS_OK;
    while (rc == BS_OK && n_pending > 0) {
        if (bs__engine_should_stop(e)) {
            ctx->limit_hit = true;
            break;
        }
        /* groups of this batch are disjoint; a target whose group meets one
         * already taken waits for the next batch */
        size_t nt = 0, kept = 0, snapshot = e->epoch;
        for (size_t k = 0; k < n_pending; k++) {
            int group[BS_MAX_GROUP];
            size_t gn = nt < BATCH_GROUPS ? blocking_group(e, pending[k], group, &blk) : 0;
            if (gn == 1 && !freed_since_solved(e, pending[k])) {
                e->n_skipped++;
                done++;
                continue; /* the same sub-MIP would give the same answer */
            }
            bool overlaps = gn == 0;
            for (size_t g = 0; g < gn && !overlaps; g++)
                overlaps = in_batch[group[g]];
            if (overlaps) {
                pending[kept++] = pending[k];
                continue;
            }
            tasks[nt] = (task){.n = gn};
            memcpy(tasks[nt].group, group, gn * sizeof(int));
            for (size_t g = 0; g < gn; g++)
                in_batch[group[g]] = true;
            nt++;
        }
        n_pending = kept;
        solve_batch(e, tasks, nt, true);
        rc = first_failure(tasks, nt, err);
        for (size_t k = 0; rc == BS_OK && k < nt; k++) {
            task *t = &tasks[k];
            ctx->limit_hit = ctx->limit_hit || t->res.time_hit;
            done++;
            e->solved_at[t->group[0]] = 0;
            if (t->n == 1 && t->res.optimal && !t->res.changed)
                e->solved_at[t->group[0]] = snapshot;
            if (!t->res.changed || !(t->res.new_cost < t->res.old_cost - 1e-6))
                continue;
            rc = occ_apply_group(e->occ, ctx->d, e->sol, t->group, t->n, -1);
            bool fits = false;
            if (rc == BS_OK)
                rc = try_commit(e, t, &fits);
            if (!fits) {
                e->n_clashes++;
                continue;
            }
            *improved = *improved || t->res.new_cost < t->res.old_cost - 0.01;
        }
        for (size_t k = 0; k < nt; k++)
            for (size_t g = 0; g < tasks[k].n; g++)
                in_batch[tasks[k].group[g]] = false;
        if (rc == BS_OK)
            rc = replay(e, tasks, nt);
        free_tasks(tasks, nt);
        bs__engine_progress(e, "improve", done, n, false);
    }
    free(tasks);
    free(in_batch);
    free(pending);
    free(blk.score);
    free(blk.touched);
    return rc;
}

/* Take a committed result back out: the calendar, the master occupancy and
 * the cohort costs return to the old assignments (which try_commit left in
 * the result); the other replicas never saw it (replay skips it). */
static bs_rc undo_commit(bs__engine *e, task *t)
{
    const bs__ctx *ctx = e->ctx;
    const bs_domains *d = ctx->d;
    BS_TRY(occ_apply_group(e->occ, d, e->sol, t->group, t->n, -1));
    bs__subresult_swap(ctx, e->sol, t->group, t->n, &t->res);
    BS_TRY(occ_apply_group(e->occ, d, e->sol, t->group, t->n, +1));
    for (size_t g = 0; g < t->n; g++) {
        int c = t->group[g];
        e->cost[c] = bs__cohort_cost(ctx, &e->sol->items[d->cohort_first[c]], c);
    }
    t->committed = false;
    return BS_OK;
}

bs_rc bs__engine_try_groups(bs__engine *e, const int *groups, const size_t *sizes, size_t n,
                            bs__keep_fn keep, void *arg, bool *improved, bs_err *err)
{
    bs__ctx *ctx = e->ctx;
    *improved = false;
    if (n == 0)
        return BS_OK;
    if (n > BATCH_GROUPS)
        n = BATCH_GROUPS;
    task *tasks = bs_calloc(n, sizeof *tasks);
    if (tasks == NULL)
        return BS_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        tasks[k].n = sizes[k] < BS_TASK_COHORTS ? sizes[k] : BS_TASK_COHORTS;
        memcpy(tasks[k].group, groups + k * BS_TASK_COHORTS, tasks[k].n * sizeof(int));
    }
    solve_batch(e, tasks, n, true);
    bs_rc rc = first_failure(tasks, n, err);
    for (size_t k = 0; rc == BS_OK && k < n; k++) {
        task *t = &tasks[k];
        ctx->limit_hit = ctx->limit_hit || t->res.time_hit;
        if (!t->res.changed)
            continue;
        rc = occ_apply_group(e->occ, ctx->d, e->sol, t->group, t->n, -1);
        bool fits = false;
        if (rc == BS_OK)
            rc = try_commit(e, t, &fits);
        if (rc != BS_OK || !fits) {
            e->n_clashes += rc == BS_OK;
            continue;
        }
        bool kept = false;
        rc = keep(arg, e, &kept);
        if (rc == BS_OK && !kept)
            rc = undo_commit(e, t);
        *improved = *improved || kept;
    }
    if (rc == BS_OK)
        rc = replay(e, tasks, n);
    free_tasks(tasks, n);
    free(tasks);
    return rc;
}
