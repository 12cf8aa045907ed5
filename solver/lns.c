/**
 * @file lns.c
 * @brief Coupled neighbourhoods (`--lns N`): after the improvement rounds,
 *        passes of larger sub-MIPs that re-place a seed cohort together
 *        with the cohorts it is coupled to in the calendar, judged by the
 *        whole objective.
 *
 * The improvement rounds of batch.c re-place a cohort alone, or with the
 * cohorts blocking its unplaced sessions. On tightly coupled instances
 * (every cohort sharing learners, instructors and a few rooms with others,
 * as in ITC-2007 course timetabling) a complete calendar then stays where
 * construction left it: a cohort in too small a room can only get a larger
 * one if the cohort holding it moves in the same sub-MIP, and two cohorts
 * of one learner can only trade periods together. Here each seed cohort is
 * re-placed with up to LNS_GROUP_MIN (16) cohorts, 32 once a pass at 16 has
 * kept nothing: first, when the seed has a required session left
 * unplaced, the cohorts holding its instructors or rooms in its slots; then
 * those holding, during the seed's sessions, a room that would cost the
 * seed less; then those sharing a learner; then those sharing an
 * instructor (each list in index order, rotated by the pass number so that
 * passes differ). Each pass seeds the cohorts short of a session first,
 * then every cohort.
 *
 * The sub-MIP models `isolated` (solver/isolated.c) against the calendar
 * outside the group, but a result is kept only when the whole objective
 * (bs_evaluate_objective) falls. A pass takes its seeds in batches of up
 * to LNS_BATCH disjoint groups (a seed whose group meets one already in
 * the batch waits, looking at most LNS_LOOKAHEAD seeds ahead), solved in
 * parallel against the calendar at the batch's start and merged in batch
 * order (batch.c, bs__engine_try_groups): the make-up of a batch depends
 * only on the calendar, so the output does not depend on the thread count.
 * The work is bounded by the pass count (a pass at the largest size that
 * improves nothing ends the phase); the time limit is only a safety net.
 */
#include <stdlib.h>
#include <string.h>

#include "model/evaluate.h"
#include "solver/lns.h"
#include "solver/rooms.h"

/* cohorts in one coupled sub-MIP: LNS_GROUP_MIN, doubled each time a pass
 * improves nothing, up to LNS_GROUP_MAX (see bs__lns_run) */
#define LNS_GROUP_MIN 16
#define LNS_GROUP_MAX 32
#define LNS_BATCH 4      /* groups per parallel batch: fixed, so results do not depend on threads */
#define LNS_LOOKAHEAD 16 /* seeds past the first pending one that a batch may take */

/* A merged result stays when the whole objective falls. */
typedef struct lns_judge {
    const bs_problem *p;
    bs_objective cur;
} lns_judge;

static bs_rc lns_keep(void *arg, const bs__engine *e, bool *keep)
{
    lns_judge *j = arg;
    bs_objective next;
    BS_TRY(bs_evaluate_objective(j->p, e->sol, &next));
    *keep = next.total < j->cur.total - 1e-6;
    if (*keep)
        j->cur = next;
    return BS_OK;
}

static bool in_group(const int *group, size_t n, int c)
{
    for (size_t g = 0; g < n; g++)
        if (group[g] == c)
            return true;
    return false;
}

/* Append the candidates (ascending, duplicates allowed) starting at offset
 * `rot`, while there is room in the group. */
static void add_rotated(int *group, size_t *n, size_t size, const int *cand, size_t n_cand,
                        size_t rot)
{
    for (size_t k = 0; k < n_cand && *n < size; k++) {
        int c = cand[(k + rot) % n_cand];
        if (!in_group(group, *n, c))
            group[(*n)++] = c;
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static size_t uniq(int *v, size_t n)
{
    size_t w = 0;
    for (size_t k = 0; k < n; k++)
        if (w == 0 || v[w - 1] != v[k])
            v[w++] = v[k];
    return w;
}

/* Does the cohort have a required session left unplaced that could be placed? */
static bool short_of_sessions(const bs__engine *e, int c)
{
    const bs_domains *d = e->ctx->d;
    for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++)
        if (!e->sol->items[s].placed && !d->sessions[s].optional &&
            d->sessions[s].reason == BS_REASON_NONE)
            return true;
    return false;
}

/* The seed's neighbourhood in the calendar as it is (see the file comment). */
static size_t coupled_group(const bs__engine *e, int seed, size_t pass, size_t most_cohorts,
                            int *cand, size_t most, int *group)
{
    const bs__ctx *ctx = e->ctx;
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    const bs_solution *sol = e->sol;
    const bs_weights *w = &p->weights;
    size_t n = 0, nc = 0;
    group[n++] = seed;
    int size = p->cohorts[seed].size;
    /* first, for a required session left unplaced: the holders of its
     * instructors and rooms in each of its slots (the blockers) */
    for (size_t s = d->cohort_first[seed]; s < d->cohort_first[seed + 1]; s++) {
        const bs_session *se = &d->sessions[s];
        if (sol->items[s].placed || se->optional || se->reason != BS_REASON_NONE)
            continue;
        for (size_t k = 0; k < se->n_slots; k++) {
            bs_time t = p->slots[se->slots[k]].start, end = t + se->duration;
            for (size_t q = 0; q < se->instructors.count && nc < most; q++) {
                int h = bs__occ_holder(e->occ, bs__res_instructor(e->occ, se->instructors.items[q]),
                                       t, end);
                if (h >= 0)
                    cand[nc++] = sol->items[h].cohort;
            }
            for (size_t q = 0; q < se->rooms.count && nc < most; q++) {
                int h = bs__occ_holder(e->occ, bs__res_room(e->occ, se->rooms.items[q]), t, end);
                if (h >= 0)
                    cand[nc++] = sol->items[h].cohort;
            }
        }
    }
    qsort(cand, nc, sizeof *cand, cmp_int);
    nc = uniq(cand, nc);
    add_rotated(group, &n, most_cohorts, cand, nc, pass);
    nc = 0;
    /* holders of rooms that would cost the seed less than the one it has */
    for (size_t s = d->cohort_first[seed]; s < d->cohort_first[seed + 1]; s++) {
        const bs_assignment *a = &sol->items[s];
        const bs_session *se = &d->sessions[s];
        if (!a->placed || a->room < 0 || !w->has_over_capacity ||
            p->rooms[a->room].capacity >= size)
            continue;
        for (size_t q = 0; q < se->rooms.count && nc < most; q++) {
            int r = se->rooms.items[q];
            if (p->rooms[r].capacity <= p->rooms[a->room].capacity)
                continue;
            int h = bs__occ_holder(e->occ, bs__res_room(e->occ, r), a->start, a->end);
            if (h >= 0 && sol->items[h].cohort != seed)
                cand[nc++] = sol->items[h].cohort;
        }
    }
    qsort(cand, nc, sizeof *cand, cmp_int);
    add_rotated(group, &n, most_cohorts, cand, nc, pass);
    /* cohorts sharing a learner */
    const bs_ids *peers = &ctx->peers[seed];
    add_rotated(group, &n, most_cohorts, peers->items, peers->count, pass);
    /* cohorts sharing an instructor */
    nc = 0;
    for (size_t c = 0; c < p->n_cohorts && n < most_cohorts && nc < most; c++) {
        if ((int)c == seed)
            continue;
        bool shares = false;
        for (size_t s = d->cohort_first[seed]; s < d->cohort_first[seed + 1] && !shares; s++)
            for (size_t t = d->cohort_first[c]; t < d->cohort_first[c + 1] && !shares; t++)
                for (size_t q = 0; q < d->sessions[s].instructors.count && !shares; q++)
                    for (size_t r = 0; r < d->sessions[t].instructors.count && !shares; r++)
                        shares = d->sessions[s].instructors.items[q] ==
                                 d->sessions[t].instructors.items[r];
        if (shares)
            cand[nc++] = (int)c;
    }
    add_rotated(group, &n, most_cohorts, cand, nc, pass);
    qsort(group, n, sizeof *group, cmp_int);
    return n;
}

/* Rooms re-chosen for the whole calendar with its times fixed; the
 * engine's occupancies and cohort costs follow the sessions that moved. */
static bs_rc rooms_again(bs__engine *e, int *old_rooms, bool *moved, bs_err *err)
{
    bs__ctx *ctx = e->ctx;
    const bs_domains *d = ctx->d;
    bs_solution *sol = e->sol;
    for (size_t s = 0; s < d->n_sessions; s++)
        old_rooms[s] = sol->items[s].room;
    bs_rc rc = bs__rooms_reassign(ctx, e->threads, sol, moved, err);
    for (size_t s = 0; rc == BS_OK && *moved && s < d->n_sessions; s++) {
        if (sol->items[s].room == old_rooms[s])
            continue;
        bs_assignment was = sol->items[s];
        was.room = old_rooms[s];
        /* every replica: the batches solve against them */
        for (int r = 0; rc == BS_OK && r < e->threads; r++) {
            rc = bs__occ_apply(e->replica[r], &was, (int)s, -1);
            if (rc == BS_OK)
                rc = bs__occ_apply(e->replica[r], &sol->items[s], (int)s, +1);
        }
        int c = d->sessions[s].cohort;
        e->cost[c] = bs__cohort_cost(ctx, &sol->items[d->cohort_first[c]], c);
    }
    return rc;
}

bs_rc bs__lns_run(bs__engine *e, int passes, bool *improved_any, bs_err *err)
{
    bs__ctx *ctx = e->ctx;
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    *improved_any = false;
    if (p->n_cohorts < 2 || passes <= 0)
        return BS_OK;
    /* candidates: room holders (at most sessions x rooms) or cohorts */
    size_t most = p->n_cohorts;
    for (size_t c = 0; c < p->n_cohorts; c++) {
        size_t k = 0;
        for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++)
            k += d->sessions[s].rooms.count +
                 d->sessions[s].n_slots * (d->sessions[s].rooms.count +
                                           d->sessions[s].instructors.count);
        most = k > most ? k : most;
    }
    int *cand = bs_calloc(most + 1, sizeof *cand);
    int *seeds = bs_calloc(2 * p->n_cohorts + 1, sizeof *seeds);
    int *old_rooms = bs_calloc(d->n_sessions + 1, sizeof *old_rooms);
    bool *seed_done = bs_calloc(2 * p->n_cohorts + 1, sizeof *seed_done);
    bool *in_batch = bs_calloc(p->n_cohorts + 1, sizeof *in_batch);
    int groups[LNS_BATCH * BS_TASK_COHORTS];
    size_t sizes[LNS_BATCH];
    if (!cand || !seeds || !old_rooms || !seed_done || !in_batch) {
        free(cand);
        free(seeds);
        free(old_rooms);
        free(seed_done);
        free(in_batch);
        return BS_ENOMEM;
    }
    lns_judge judge = {.p = p};
    bs_rc rc = bs_evaluate_objective(p, e->sol, &judge.cur);
    ctx->full_objective = true;
    size_t size = LNS_GROUP_MIN;
    for (int pass = 0; rc == BS_OK && pass < passes; pass++) {
        bool improved = false;
        /* seeds: the cohorts short of a session first, then every cohort */
        size_t n_seeds = 0;
        for (size_t c = 0; c < p->n_cohorts; c++)
            if (short_of_sessions(e, (int)c))
                seeds[n_seeds++] = (int)c;
        for (size_t k = 0; k < p->n_cohorts; k++)
            seeds[n_seeds++] = (int)((k + (size_t)pass * 7) % p->n_cohorts);
        /* batches of disjoint groups, solved in parallel (batch.c); a seed
         * whose group meets one already in the batch waits for the next */
        memset(seed_done, 0, n_seeds * sizeof *seed_done);
        size_t first = 0;
        while (rc == BS_OK && first < n_seeds) {
            if (bs__engine_should_stop(e)) {
                ctx->limit_hit = true;
                break;
            }
            size_t nb = 0;
            for (size_t k = first; k < n_seeds && k < first + LNS_LOOKAHEAD && nb < LNS_BATCH;
                 k++) {
                if (seed_done[k])
                    continue;
                int *group = &groups[nb * BS_TASK_COHORTS];
                size_t gn =
                    coupled_group(e, seeds[k], (size_t)pass, size, cand, most, group);
                if (gn < 2) { /* alone: the improvement rounds did that */
                    seed_done[k] = true;
                    continue;
                }
                bool meets = false;
                for (size_t g = 0; g < gn && !meets; g++)
                    meets = in_batch[group[g]];
                if (meets)
                    continue;
                for (size_t g = 0; g < gn; g++)
                    in_batch[group[g]] = true;
                sizes[nb++] = gn;
                seed_done[k] = true;
            }
            bool kept = false;
            rc = bs__engine_try_groups(e, groups, sizes, nb, lns_keep, &judge, &kept, err);
            for (size_t k = 0; k < nb; k++)
                for (size_t g = 0; g < sizes[k]; g++)
                    in_batch[groups[k * BS_TASK_COHORTS + g]] = false;
            improved = improved || kept;
            while (first < n_seeds && seed_done[first])
                first++;
            bs__engine_progress(e, "lns", first, n_seeds, false);
        }
        *improved_any = *improved_any || improved;
        /* rooms again with the pass's times fixed (solver/rooms.c) */
        if (rc == BS_OK && improved && !bs__engine_should_stop(e)) {
            bool moved_rooms = false;
            rc = rooms_again(e, old_rooms, &moved_rooms, err);
            if (rc == BS_OK && moved_rooms)
                rc = bs_evaluate_objective(p, e->sol, &judge.cur);
            *improved_any = *improved_any || moved_rooms;
        }
        if (ctx->limit_hit)
            break;
        /* a pass that improves nothing: larger neighbourhoods, else done */
        if (!improved && size >= LNS_GROUP_MAX)
            break;
        if (!improved)
            size = 2 * size < LNS_GROUP_MAX ? 2 * size : LNS_GROUP_MAX;
    }
    ctx->full_objective = false;
    free(cand);
    free(seeds);
    free(old_rooms);
    free(seed_done);
    free(in_batch);
    return rc;
}
