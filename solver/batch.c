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
#include "solver/blame.h"
#include "solver/formulation.h"

#define BATCH_GROUPS 32  /* groups per batch: fixed, so results do not depend on threads */
#define MAX_DEFERRALS 2  /* construction: clashing results retried in later batches */
#define LOOKAHEAD 48     /* construction: cohorts ahead in order a batch may take */
#define MIN_BATCH 8      /* construction: groups a batch takes even when they share */

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


bs_rc bs__engine_improve(bs__engine *e, const int *targets, size_t n, bool *improved, bs_err *err)
{
    bs__ctx *ctx = e->ctx;
    const size_t n_cohorts = ctx->p->n_cohorts;
    task *tasks = bs_calloc(BATCH_GROUPS, sizeof *tasks);
    bool *in_batch = bs_calloc(n_cohorts + 1, sizeof(bool));
    int *pending = bs_calloc(n + 1, sizeof(int));
    bs__blockers blk = {bs_calloc(n_cohorts + 1, sizeof(int)), bs_calloc(n_cohorts + 1, sizeof(int)),
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
            size_t gn = nt < BATCH_GROUPS ? bs__blocking_group(e, pending[k], group, &blk) : 0;
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
