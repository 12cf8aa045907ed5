/**
 * @file rooms.c
 * @brief Room re-assignment: with every placed session's start and team
 *        fixed, choose all rooms again in one MIP per group of rooms that
 *        sessions can swap between.
 *
 * Why: the cohort sub-MIPs choose a room per session among at most two per
 * start and against rooms held by everyone else, so a cohort spread over
 * three rooms stays so when the room it lacks is held, at one period, by
 * a cohort that could move to a fourth. Once the times are fixed, rooms
 * are a small assignment problem that sees every cohort at once; on
 * ITC-2007 (one component of 131 cohorts sharing 20 rooms) room stability
 * is most of the soft cost. This is the "periods first, rooms by matching"
 * split of the timetabling literature, done at the end of each phase
 * rather than instead of it.
 *
 * The MIP, for the placed sessions that need a room and whose room is not
 * pinned (movable), grouped into components of rooms that some session
 * could use interchangeably (union-find over each session's candidates):
 *
 *   Σ_r x_{s,r} = 1                          (each session one room)
 *   Σ_{s active at t} x_{s,r} ≤ 1             (per room, at each start t
 *                                              of a session that could use it)
 *   y_{c,r} ≥ x_{s,r}                        (cohort c uses room r)
 *
 * minimising Σ (room cost, seats short, reassigned against a baseline)·x
 * + room_change·Σ y. A candidate room of s suits s (its static domain),
 * is open at s's time and is not held then by a session that stays (no
 * room needed, or a pinned one); a cohort's pinned rooms enter as y = 1.
 * Every other objective term is fixed with the times, and the room term
 * separates by room, so solving components apart is exact. The current
 * rooms are given to GLPK as a first solution, so a component never gets
 * worse; the result is kept only when the whole objective falls. GLPK's
 * search is bounded by nodes, components run in parallel into slots of
 * their own, so the result does not depend on the thread count. Skipped
 * under a change budget (the budget couples every session).
 */
#include <glpk.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "model/evaluate.h"
#include "solver/formulation.h"
#include "solver/glpk_guard.h"
#include "solver/rooms.h"
#include "solver/search.h"

#define ROOMS_NODE_FACTOR 10 /* its node budget: this many times --node-limit */

typedef struct room_cand {
    int room;
    double cost;
} room_cand;

typedef struct component {
    int *sessions; /* movable sessions, ascending (so cohort by cohort) */
    size_t n;
    int root; /* the union-find root of its rooms */
    bs_rc rc;
} component;

/* The sessions whose rooms one MIP chooses (whole cohorts), and the other
 * sessions of the component, which keep theirs. */
typedef struct chunk {
    const int *sessions;
    size_t n;
    const int *held_first; /* [room], [room + 1]: in held, the component's */
    const int *held;       /* sessions outside the chunk now in that room */
} chunk;

static int find_root(int *parent, int x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Placed, needs a room, and its room is not pinned. */
static bool is_movable(const bs__ctx *ctx, const bs_solution *sol, size_t s)
{
    const bs_assignment *a = &sol->items[s];
    const bs_session *se = &ctx->d->sessions[s];
    if (!a->placed || a->room < 0 || !se->needs_room)
        return false;
    return !(se->pin >= 0 && ctx->p->pins[se->pin].has_room);
}

/* The rooms s could take with its start and team kept, and their cost:
 * suitable, open then, not held then by a session that keeps its room.
 * Returns how many (0 when out of memory or when its own room is not
 * among them, which leaves it where it is). */
static size_t candidates_of(const bs__ctx *ctx, const bs_solution *sol, const int *fixed_first,
                            const int *fixed, const chunk *ch, size_t s,
                            room_cand *out)
{
    const bs_problem *p = ctx->p;
    const bs_weights *w = &p->weights;
    const bs_session *se = &ctx->d->sessions[s];
    const bs_assignment *a = &sol->items[s];
    const bs_cohort *c = &p->cohorts[se->cohort];
    size_t n = 0;
    bool own = false;
    for (size_t q = 0; q < se->rooms.count; q++) {
        int r = se->rooms.items[q];
        const bs_room *room = &p->rooms[r];
        if (!bs_room_free_at(room, a->start, a->end))
            continue;
        bool held = false;
        for (int k = fixed_first[r]; k < fixed_first[r + 1] && !held; k++) {
            const bs_assignment *f = &sol->items[fixed[k]];
            held = f->start < a->end && a->start < f->end;
        }
        for (int k = ch->held_first[r]; k < ch->held_first[r + 1] && !held; k++) {
            const bs_assignment *f = &sol->items[ch->held[k]];
            held = f->start < a->end && a->start < f->end;
        }
        if (held)
            continue;
        double cost = w->cost * room->cost_per_hour * (a->end - a->start) / 60.0;
        if (w->has_over_capacity && room->capacity < c->size)
            cost += w->over_capacity * (c->size - room->capacity);
        cost += bs__change_cost(ctx, (int)s, a->start, r, a->instructors.items,
                                (int)a->instructors.count);
        out[n++] = (room_cand){r, cost};
        own = own || r == a->room;
    }
    return own ? n : 0;
}

typedef struct timed {
    bs_time start, end;
    int col;
} timed;

static int cmp_timed(const void *x, const void *y)
{
    const timed *a = x, *b = y;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->col > b->col) - (a->col < b->col);
}

/* One chunk's MIP; when it finds rooms that cost less than the current
 * ones, writes them into sol (the chunk's sessions only). */
static bs_rc solve_chunk(const bs__ctx *ctx, bs_solution *sol, const int *fixed_first,
                         const int *fixed, const int *root_of_room, int root, const chunk *ch)
{
    struct {
        const int *sessions;
        size_t n;
        bs_rc rc;
    } chunk_state = {ch->sessions, ch->n, BS_OK}, *comp = &chunk_state;
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    const size_t nr = p->n_rooms, nc = p->n_cohorts;
    size_t max_cands = 0;
    for (size_t k = 0; k < comp->n; k++)
        max_cands += d->sessions[comp->sessions[k]].rooms.count;
    room_cand *cands = bs_calloc(max_cands + 1, sizeof *cands);
    size_t *first = bs_calloc(comp->n + 1, sizeof *first);
    int *ycol = NULL; /* [cohort * nr + room] column of y, 0 = none */
    timed *per_room = NULL;
    size_t *room_count = NULL;
    double *start = NULL;
    mip m = {0};
    comp->rc = (cands && first) ? BS_OK : BS_ENOMEM;
    size_t n_cands = 0;
    for (size_t k = 0; comp->rc == BS_OK && k < comp->n; k++) {
        first[k] = n_cands;
        size_t got = candidates_of(ctx, sol, fixed_first, fixed, ch, (size_t)comp->sessions[k],
                                   &cands[n_cands]);
        if (got == 0) { /* keeps its room: only that one */
            cands[n_cands] = (room_cand){sol->items[comp->sessions[k]].room, 0};
            got = 1;
        }
        n_cands += got;
    }
    first[comp->n] = n_cands;
    if (comp->rc != BS_OK || n_cands == comp->n)
        goto done; /* (nothing to choose) */
    ycol = bs_calloc(nc * nr + 1, sizeof *ycol);
    room_count = bs_calloc(nr + 1, sizeof *room_count);
    per_room = bs_calloc(n_cands + 1, sizeof *per_room);
    if (!ycol || !room_count || !per_room) {
        comp->rc = BS_ENOMEM;
        goto done;
    }
    bs__glpk_guard();
    m.lp = glp_create_prob();
    glp_set_obj_dir(m.lp, GLP_MIN);
    int x0 = bs__add_cols(&m, (int)n_cands, GLP_BV, 0, 1, 0);
    for (size_t k = 0; k < comp->n; k++) {
        size_t s = (size_t)comp->sessions[k];
        int cohort = d->sessions[s].cohort;
        int row = bs__add_row(&m, GLP_FX, 1, 1);
        for (size_t j = first[k]; j < first[k + 1]; j++) {
            int x = x0 + (int)j;
            glp_set_obj_coef(m.lp, x, cands[j].cost);
            bs__add_nz(&m, row, x, 1);
            size_t yk = (size_t)cohort * nr + (size_t)cands[j].room;
            if (ycol[yk] == 0)
                ycol[yk] = bs__add_cols(&m, 1, GLP_CV, 0, 1, p->weights.room_change);
            int link = bs__add_row(&m, GLP_LO, 0, 0); /* y − x ≥ 0 */
            bs__add_nz(&m, link, ycol[yk], 1);
            bs__add_nz(&m, link, x, -1);
            room_count[cands[j].room]++;
        }
    }
    /* a cohort's pinned rooms count as used */
    for (size_t r = 0; r < nr; r++) {
        if (root_of_room[r] != root)
            continue;
        for (int k = fixed_first[r]; k < fixed_first[r + 1]; k++) {
            size_t yk = (size_t)sol->items[fixed[k]].cohort * nr + r;
            if (ycol[yk] != 0)
                glp_set_col_bnds(m.lp, ycol[yk], GLP_FX, 1, 1);
        }
    }
    /* per room, one clique at each distinct start of a session that could
     * use it: the sessions running then */
    size_t *room_first = bs_calloc(nr + 1, sizeof *room_first);
    if (room_first == NULL) {
        comp->rc = BS_ENOMEM;
        goto done;
    }
    for (size_t r = 0; r < nr; r++)
        room_first[r + 1] = room_first[r] + room_count[r];
    for (size_t r = 0; r < nr; r++)
        room_count[r] = 0;
    for (size_t k = 0; k < comp->n; k++) {
        const bs_assignment *a = &sol->items[comp->sessions[k]];
        for (size_t j = first[k]; j < first[k + 1]; j++) {
            int r = cands[j].room;
            per_room[room_first[r] + room_count[r]++] = (timed){a->start, a->end, x0 + (int)j};
        }
    }
    for (size_t r = 0; r < nr; r++) {
        timed *list = &per_room[room_first[r]];
        size_t n = room_first[r + 1] - room_first[r];
        qsort(list, n, sizeof *list, cmp_timed);
        bs_time longest = 0;
        for (size_t i = 0; i < n; i++)
            if (list[i].end - list[i].start > longest)
                longest = list[i].end - list[i].start;
        /* sessions starting at or before t − longest have ended by t */
        for (size_t i = 0, lo = 0; i < n; i++) {
            if (i + 1 < n && list[i + 1].start == list[i].start)
                continue; /* the last session starting at this time */
            bs_time t = list[i].start;
            while (list[lo].start + longest <= t)
                lo++;
            size_t active = 0;
            for (size_t j = lo; j <= i; j++)
                active += list[j].end > t;
            if (active < 2)
                continue;
            int row = bs__add_row(&m, GLP_UP, 0, 1);
            for (size_t j = lo; j <= i; j++)
                if (list[j].end > t)
                    bs__add_nz(&m, row, list[j].col, 1);
        }
    }
    free(room_first);
    if (m.failed) {
        comp->rc = BS_ENOMEM;
        goto done;
    }
    glp_load_matrix(m.lp, (int)m.nnz, m.ia, m.ja, m.ar);
    /* the current rooms, as GLPK's first solution */
    int n_cols = glp_get_num_cols(m.lp);
    start = bs_calloc((size_t)n_cols + 1, sizeof *start);
    if (start == NULL) {
        comp->rc = BS_ENOMEM;
        goto done;
    }
    for (size_t k = 0; k < comp->n; k++) {
        const bs_assignment *a = &sol->items[comp->sessions[k]];
        for (size_t j = first[k]; j < first[k + 1]; j++) {
            if (cands[j].room != a->room)
                continue;
            start[x0 + (int)j] = 1;
            start[ycol[(size_t)a->cohort * nr + (size_t)a->room]] = 1;
        }
    }
    for (int col = 1; col <= n_cols; col++)
        if (glp_get_col_type(m.lp, col) == GLP_FX)
            start[col] = 1;
    /* scaled, and the deadline on the LP too (solver/search.c): on 3,000
     * cohorts this MIP ran 59 s past the time limit without either */
    bs__search search = {
        .node_limit = ROOMS_NODE_FACTOR * (ctx->o->node_limit > 0 ? ctx->o->node_limit : 300),
        .deadline = ctx->o->time_limit > 0 ? ctx->start_time + ctx->o->time_limit : 0,
        .interrupt = ctx->o->interrupt,
        .start = start,
    };
    double current = 0;
    for (int col = 1; col <= n_cols; col++)
        current += glp_get_obj_coef(m.lp, col) * start[col];
    if (bs__mip_search(m.lp, &search) == 0) {
        int ms = glp_mip_status(m.lp);
        if ((ms == GLP_OPT || ms == GLP_FEAS) && glp_mip_obj_val(m.lp) < current - 1e-6) {
            for (size_t k = 0; k < comp->n; k++)
                for (size_t j = first[k]; j < first[k + 1]; j++)
                    if (glp_mip_col_val(m.lp, x0 + (int)j) > 0.5)
                        sol->items[comp->sessions[k]].room = cands[j].room;
        }
    }
done:
    if (m.lp)
        glp_delete_prob(m.lp);
    free(m.ia);
    free(m.ja);
    free(m.ar);
    free(cands);
    free(first);
    free(ycol);
    free(per_room);
    free(room_count);
    free(start);
    return comp->rc;
}

/* Cohorts of a component taken together in one MIP: at most this many
 * candidate columns (GLPK's LP of a whole 131-cohort, 20-room component
 * of ITC-2007 with 8,680 columns took minutes; chunks of this size take
 * milliseconds), over ROOMS_PASSES passes whose chunks start half a chunk
 * apart, so that every pair of neighbouring cohorts meets in one. */
#define ROOMS_CHUNK_COLUMNS 1500
#define ROOMS_PASSES 2

static void improve_component(const bs__ctx *ctx, bs_solution *sol, const int *fixed_first,
                              const int *fixed, const int *root_of_room, component *comp)
{
    const bs_domains *d = ctx->d;
    int *inside = bs_calloc(comp->n + 1, sizeof *inside);
    int *held = bs_calloc(comp->n + 1, sizeof *held);
    int *held_first = bs_calloc(ctx->p->n_rooms + 2, sizeof *held_first);
    bool *in_chunk = bs_calloc(d->n_sessions + 1, sizeof *in_chunk);
    size_t *cohort_first = bs_calloc(comp->n + 2, sizeof *cohort_first); /* runs of a cohort */
    comp->rc = (inside && held && held_first && in_chunk && cohort_first) ? BS_OK : BS_ENOMEM;
    size_t n_runs = 0, total = 0;
    for (size_t k = 0; comp->rc == BS_OK && k < comp->n; k++) {
        if (k == 0 || d->sessions[comp->sessions[k]].cohort !=
                          d->sessions[comp->sessions[k - 1]].cohort)
            cohort_first[n_runs++] = k;
        total += d->sessions[comp->sessions[k]].rooms.count;
    }
    cohort_first[n_runs] = comp->n;
    int passes = total <= ROOMS_CHUNK_COLUMNS ? 1 : ROOMS_PASSES;
    for (int pass = 0; comp->rc == BS_OK && pass < passes; pass++) {
        /* chunks of consecutive cohorts from a rotated start */
        size_t offset = 0;
        if (pass > 0) {
            size_t cols = 0;
            while (offset < n_runs && cols < ROOMS_CHUNK_COLUMNS / 2) {
                for (size_t k = cohort_first[offset]; k < cohort_first[offset + 1]; k++)
                    cols += d->sessions[comp->sessions[k]].rooms.count;
                offset++;
            }
        }
        for (size_t taken = 0; comp->rc == BS_OK && taken < n_runs;) {
            size_t n_in = 0, cols = 0, runs = 0;
            while (taken + runs < n_runs) {
                size_t run = (offset + taken + runs) % n_runs, add = 0;
                for (size_t k = cohort_first[run]; k < cohort_first[run + 1]; k++)
                    add += d->sessions[comp->sessions[k]].rooms.count;
                if (runs > 0 && cols + add > ROOMS_CHUNK_COLUMNS)
                    break;
                for (size_t k = cohort_first[run]; k < cohort_first[run + 1]; k++)
                    inside[n_in++] = comp->sessions[k];
                cols += add;
                runs++;
            }
            taken += runs;
            /* the component's sessions outside the chunk, by their room now
             * (earlier chunks moved some): a list per room, since scanning
             * them all per candidate room made this phase quadratic (59 s
             * on 3,000 cohorts, where virtual rooms form one component) */
            for (size_t k = 0; k < n_in; k++)
                in_chunk[inside[k]] = true;
            size_t nr = ctx->p->n_rooms;
            memset(held_first, 0, (nr + 2) * sizeof *held_first);
            for (size_t k = 0; k < comp->n; k++)
                if (!in_chunk[comp->sessions[k]])
                    held_first[sol->items[comp->sessions[k]].room + 2]++;
            for (size_t r = 0; r < nr; r++)
                held_first[r + 2] += held_first[r + 1];
            for (size_t k = 0; k < comp->n; k++)
                if (!in_chunk[comp->sessions[k]])
                    held[held_first[sol->items[comp->sessions[k]].room + 1]++] = comp->sessions[k];
            for (size_t k = 0; k < n_in; k++)
                in_chunk[inside[k]] = false;
            chunk ch = {inside, n_in, held_first, held};
            comp->rc = solve_chunk(ctx, sol, fixed_first, fixed, root_of_room, comp->root, &ch);
        }
    }
    free(inside);
    free(held);
    free(held_first);
    free(in_chunk);
    free(cohort_first);
}

bs_rc bs__rooms_reassign(const bs__ctx *ctx, int threads, bs_solution *sol, bool *changed,
                         bs_err *err)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    const size_t n = d->n_sessions, nr = p->n_rooms;
    *changed = false;
    if (nr == 0 || n == 0 || bs__has_budget(ctx))
        return BS_OK;
    bool *movable = bs_calloc(n + 1, sizeof *movable);
    int *fixed_first = bs_calloc(nr + 2, sizeof *fixed_first);
    int *fixed = bs_calloc(n + 1, sizeof *fixed);
    int *parent = bs_calloc(nr + 1, sizeof *parent);
    int *root_of_room = bs_calloc(nr + 1, sizeof *root_of_room);
    int *comp_of_root = bs_calloc(nr + 1, sizeof *comp_of_root);
    component *comps = bs_calloc(nr + 1, sizeof *comps);
    int *old_room = bs_calloc(n + 1, sizeof *old_room);
    bs_rc rc = (movable && fixed_first && fixed && parent && root_of_room && comp_of_root &&
                comps && old_room)
                   ? BS_OK
                   : BS_ENOMEM;
    size_t n_comps = 0;
    if (rc != BS_OK)
        goto out;
    /* the sessions that keep their rooms, by room */
    for (size_t s = 0; s < n; s++) {
        movable[s] = is_movable(ctx, sol, s);
        if (!movable[s] && sol->items[s].placed && sol->items[s].room >= 0)
            fixed_first[sol->items[s].room + 1]++;
    }
    for (size_t r = 0; r < nr; r++)
        fixed_first[r + 1] += fixed_first[r];
    {
        int *fill = bs_calloc(nr + 1, sizeof *fill);
        if (fill == NULL) {
            rc = BS_ENOMEM;
            goto out;
        }
        for (size_t s = 0; s < n; s++)
            if (!movable[s] && sol->items[s].placed && sol->items[s].room >= 0) {
                int r = sol->items[s].room;
                fixed[fixed_first[r] + fill[r]++] = (int)s;
            }
        free(fill);
    }
    /* components: rooms joined by the sessions that could use both */
    for (size_t r = 0; r < nr; r++)
        parent[r] = (int)r;
    for (size_t s = 0; s < n; s++) {
        if (!movable[s])
            continue;
        const bs_ids *rooms = &d->sessions[s].rooms;
        for (size_t q = 1; q < rooms->count; q++) {
            int a = find_root(parent, rooms->items[0]), b = find_root(parent, rooms->items[q]);
            if (a != b)
                parent[a > b ? a : b] = a < b ? a : b;
        }
    }
    for (size_t r = 0; r < nr; r++) {
        root_of_room[r] = find_root(parent, (int)r);
        comp_of_root[r] = -1;
    }
    for (size_t s = 0; s < n; s++) {
        if (!movable[s] || d->sessions[s].rooms.count == 0)
            continue;
        int root = root_of_room[d->sessions[s].rooms.items[0]];
        if (comp_of_root[root] < 0)
            comp_of_root[root] = (int)n_comps++;
        comps[comp_of_root[root]].n++;
    }
    for (size_t k = 0; k < n_comps && rc == BS_OK; k++) {
        comps[k].sessions = bs_calloc(comps[k].n + 1, sizeof(int));
        if (!comps[k].sessions)
            rc = BS_ENOMEM;
        comps[k].n = 0;
    }
    for (size_t s = 0; rc == BS_OK && s < n; s++) {
        if (!movable[s] || d->sessions[s].rooms.count == 0)
            continue;
        int root = root_of_room[d->sessions[s].rooms.items[0]];
        component *c = &comps[comp_of_root[root]];
        c->sessions[c->n++] = (int)s;
        c->root = root;
    }
    bs_objective before, after;
    if (rc == BS_OK)
        rc = bs_evaluate_objective(p, sol, &before);
    for (size_t s = 0; s < n; s++)
        old_room[s] = sol->items[s].room;
    /* Components share no room and no session: each thread writes the
     * rooms of its component's sessions only, and reads no other's. */
    if (rc == BS_OK) {
#pragma omp parallel num_threads(threads)
        {
            glp_term_out(GLP_OFF);
#pragma omp for schedule(dynamic, 1)
            for (size_t k = 0; k < n_comps; k++)
                improve_component(ctx, sol, fixed_first, fixed, root_of_room, &comps[k]);
            glp_free_env();
        }
    }
    for (size_t k = 0; rc == BS_OK && k < n_comps; k++)
        rc = comps[k].rc;
    if (rc == BS_OK) {
        /* keep every component's rooms when the whole objective falls */
        bool any = false;
        for (size_t s = 0; s < n; s++)
            any = any || sol->items[s].room != old_room[s];
        if (any)
            rc = bs_evaluate_objective(p, sol, &after);
        if (rc == BS_OK && any && after.total < before.total - 1e-6) {
            *changed = true;
        } else {
            for (size_t s = 0; s < n; s++)
                sol->items[s].room = old_room[s];
        }
    } else {
        for (size_t s = 0; old_room && s < n; s++)
            sol->items[s].room = old_room[s];
    }
out:
    for (size_t k = 0; comps && k < n_comps; k++) {
        free(comps[k].sessions);
    }
    free(comps);
    free(movable);
    free(fixed_first);
    free(fixed);
    free(parent);
    free(root_of_room);
    free(comp_of_root);
    free(old_room);
    if (rc != BS_OK)
        bs_err_set(err, rc, "out of memory re-assigning rooms");
    return rc;
}
