/**
 * @file solver.c
 * @brief The solve as a whole: candidate domains, a lower bound from every
 *        cohort solved alone (in parallel), construction cohort by cohort
 *        against what is already placed, an optional monolithic MIP for
 *        small instances, fix-and-optimize rounds, and the final objective.
 *
 * Every step is bounded by deterministic work (node limits, round counts),
 * and parallel work writes into slots indexed by cohort that are merged in
 * index order, so the result does not depend on the thread count.
 * The time limit is a safety net; when it fires, the report says so.
 */
#include <glpk.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/evaluate.h"
#include "solver/batch.h"
#include "solver/lns.h"
#include "solver/polish.h"
#include "solver/rooms.h"


void bs_solve_opts_init(bs_solve_opts *o)
{
    memset(o, 0, sizeof *o);
    o->threads = 0;
    o->time_limit = 0;
    o->node_limit = 300;
    o->improve_rounds = 3;
    o->monolithic_columns = 20000;
    o->column_budget = 60;
    o->mip_gap = 1e-6;
    o->verbosity = 0;
    o->progress = false;
    o->seed = 1;
    o->polish_steps = 0;
    o->baseline = NULL;
    o->max_changes = -1;
}

/* ==== Cost of one cohort's assignments (the sub-MIP's objective) ==== */

double bs__cohort_cost(const bs__ctx *ctx, const bs_assignment *items, int cohort)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    const bs_cohort *c = &p->cohorts[cohort];
    const bs_program *pr = &p->programs[c->program];
    const bs_weights *w = &p->weights;
    size_t s0 = d->cohort_first[cohort], s1 = d->cohort_first[cohort + 1];
    double cost = 0;
    int rooms[64], n_rooms = 0, people[64], n_people = 0, days[64], n_days = 0;
    int team = 0;
    const bs_assignment *earliest = NULL;
    for (size_t s = s0; s < s1; s++) {
        const bs_assignment *a = &items[s - s0];
        const bs_session *se = &d->sessions[s];
        if (se->n_instructors > team)
            team = se->n_instructors;
        if (!a->placed) {
            cost += se->optional ? OPTIONAL_EPS : w->unplaced * c->priority;
            continue;
        }
        if (earliest == NULL || a->start < earliest->start)
            earliest = a;
        cost += bs__change_cost(ctx, (int)s, a->start, a->room, a->instructors.items,
                                (int)a->instructors.count);
        if (c->has_preferred && !bs_intervals_contain(&c->preferred, a->start, a->end))
            cost += w->outside_preferred;
        double per_hour = a->room >= 0 ? p->rooms[a->room].cost_per_hour : 0;
        for (size_t k = 0; k < a->instructors.count; k++)
            per_hour += p->instructors[a->instructors.items[k]].cost_per_hour;
        cost += w->cost * per_hour * se->duration / 60.0;
        if (w->has_over_capacity && a->room >= 0 && p->rooms[a->room].capacity < c->size)
            cost += w->over_capacity * (c->size - p->rooms[a->room].capacity);
        bool seen = false;
        for (int k = 0; k < n_rooms; k++)
            seen = seen || rooms[k] == a->room;
        if (!seen && a->room >= 0 && n_rooms < 64)
            rooms[n_rooms++] = a->room;
        for (size_t q = 0; q < a->instructors.count; q++) {
            seen = false;
            for (int k = 0; k < n_people; k++)
                seen = seen || people[k] == a->instructors.items[q];
            if (!seen && n_people < 64)
                people[n_people++] = a->instructors.items[q];
        }
        int day = bs_problem_day_of(p, a->start);
        seen = false;
        for (int k = 0; k < n_days; k++)
            seen = seen || days[k] == day;
        if (!seen && n_days < 64)
            days[n_days++] = day;
    }
    if (n_rooms > 1)
        cost += w->room_change * (n_rooms - 1);
    if (n_people > team)
        cost += w->instructor_change * (n_people - team);
    if (c->min_days > n_days)
        cost += w->spread * (c->min_days - n_days);
    if (pr->model == BS_ROTATION && earliest != NULL) {
        int ed = bs_problem_day_of(p, earliest->start);
        int ewd = p->days[ed].weekday;
        int emin = (int)(earliest->start - p->days[ed].begin);
        for (size_t s = s0; s < s1; s++) {
            const bs_assignment *a = &items[s - s0];
            if (!a->placed || a == earliest)
                continue;
            int dd = bs_problem_day_of(p, a->start);
            if (p->days[dd].weekday != ewd || (int)(a->start - p->days[dd].begin) != emin)
                cost += w->rhythm;
        }
    }
    return cost;
}

/* ==== Set-up ==== */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Cohorts that share a learner with each cohort. */
bs_rc bs__build_peers(const bs_problem *p, bs_ids **out)
{
    bs_ids *peers = bs_calloc(p->n_cohorts, sizeof *peers);
    size_t *cap = bs_calloc(p->n_cohorts, sizeof(size_t));
    bs_rc rc = (peers && cap) ? BS_OK : BS_ENOMEM;
    for (size_t l = 0; rc == BS_OK && l < p->n_learners; l++) {
        const bs_ids *cs = &p->learners[l].cohorts;
        for (size_t a = 0; rc == BS_OK && a < cs->count; a++)
            for (size_t b = 0; b < cs->count; b++) {
                int ca = cs->items[a], cb = cs->items[b];
                if (ca == cb)
                    continue;
                bs_ids *pe = &peers[ca];
                if (pe->count == cap[ca]) {
                    size_t nc = cap[ca] ? 2 * cap[ca] : 4;
                    int *g = bs_reallocarray(pe->items, nc, sizeof(int));
                    if (g == NULL) {
                        rc = BS_ENOMEM;
                        break;
                    }
                    pe->items = g;
                    cap[ca] = nc;
                }
                pe->items[pe->count++] = cb;
            }
    }
    for (size_t c = 0; rc == BS_OK && c < p->n_cohorts; c++) {
        bs_ids *pe = &peers[c];
        if (pe->count > 1)
            qsort(pe->items, pe->count, sizeof(int), cmp_int);
        size_t w = 0;
        for (size_t k = 0; k < pe->count; k++)
            if (w == 0 || pe->items[w - 1] != pe->items[k])
                pe->items[w++] = pe->items[k];
        pe->count = w;
    }
    free(cap);
    if (rc != BS_OK) {
        for (size_t c = 0; peers && c < p->n_cohorts; c++)
            free(peers[c].items);
        free(peers);
        return rc;
    }
    *out = peers;
    return BS_OK;
}

typedef struct cohort_key {
    int cohort, priority;
    size_t slots;
    int pinned_starts; /* sessions whose start a pin fixes */
} cohort_key;

/* Cohorts with pinned starts first (a pinned session has one start, and
 * whatever takes its instructors or room then first makes the pin
 * unplaceable: on 1,000 generated cohorts both sessions left unplaced were
 * such pins), then the most important, then the most constrained (fewest
 * candidate slots). */
static int cmp_cohort_key(const void *a, const void *b)
{
    const cohort_key *x = a, *y = b;
    if ((x->pinned_starts > 0) != (y->pinned_starts > 0))
        return x->pinned_starts > 0 ? -1 : 1;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    if (x->slots != y->slots)
        return x->slots < y->slots ? -1 : 1;
    return x->cohort - y->cohort;
}

/* ==== Every cohort alone, in parallel ==== */

/* Each cohort's lower bound (solver/bound.c), in parallel; cohorts share
 * nothing here and results land in slots indexed by cohort. */
static bs_rc cohort_bounds(const bs__ctx *ctx, int threads, double *cohort_bound,
                           int *rhythm_hint, bs_err *err)
{
    const size_t n = ctx->p->n_cohorts;
    bs_rc *rcs = bs_calloc(n + 1, sizeof *rcs);
    if (rcs == NULL)
        return BS_ENOMEM;
#pragma omp parallel num_threads(threads)
    {
        glp_term_out(GLP_OFF);
#pragma omp for schedule(dynamic, 8)
        for (size_t c = 0; c < n; c++)
            rcs[c] = bs__cohort_bound(ctx, (int)c, &cohort_bound[c], &rhythm_hint[c]);
        glp_free_env();
    }
    bs_rc rc = BS_OK;
    for (size_t c = 0; c < n && rc == BS_OK; c++)
        rc = rcs[c];
    free(rcs);
    if (rc != BS_OK)
        bs_err_set(err, rc, "out of memory computing the lower bound");
    return rc;
}

typedef struct alone_result {
    bs__subresult res;
    bs_rc rc;
    bs_err err;
} alone_result;

/* Solve the listed cohorts each alone (no other cohort present, every room
 * and team a candidate) and write each one's best calendar alone into
 * `alone`: can the cohort place a session at all? */
static bs_rc solve_alone(bs__ctx *ctx, int threads, const int *cohorts, size_t n,
                         bs_solution *alone, bs_err *err)
{
    const bs_problem *p = ctx->p;
    bs__occ *empty = NULL;
    BS_TRY(bs__occ_create(p, ctx->d, &empty));
    alone_result *res = bs_calloc(n, sizeof *res);
    if (res == NULL) {
        bs__occ_destroy(&empty);
        return BS_ENOMEM;
    }
    ctx->mode = BS_MODE_ALONE;
#pragma omp parallel num_threads(threads)
    {
        glp_term_out(GLP_OFF);
#pragma omp for schedule(dynamic, 1)
        for (size_t k = 0; k < n; k++)
            res[k].rc = bs__submip_solve(ctx, empty, &cohorts[k], 1, alone, 0, &res[k].res,
                                         &res[k].err);
        glp_free_env();
    }
    ctx->mode = BS_MODE_NORMAL;
    bs_rc rc = BS_OK;
    for (size_t k = 0; k < n; k++) {
        if (res[k].rc != BS_OK && rc == BS_OK) {
            rc = res[k].rc;
            *err = res[k].err;
        }
        ctx->limit_hit = ctx->limit_hit || res[k].res.time_hit;
        if (res[k].res.changed)
            bs__subresult_swap(ctx, alone, &cohorts[k], 1, &res[k].res);
        bs__subresult_free(&res[k].res);
    }
    free(res);
    bs__occ_destroy(&empty);
    return rc;
}

/* ==== Conflict report ==== */

static bs_rc add_blocking(bs_conflict *cf, const char *text)
{
    for (size_t k = 0; k < cf->n_blocking; k++)
        if (strcmp(cf->blocking[k], text) == 0)
            return BS_OK;
    if (cf->n_blocking >= 12)
        return BS_OK;
    char **g = bs_reallocarray(cf->blocking, cf->n_blocking + 1, sizeof *g);
    if (g == NULL)
        return BS_ENOMEM;
    cf->blocking = g;
    if ((g[cf->n_blocking] = bs_strdup(text)) == NULL)
        return BS_ENOMEM;
    cf->n_blocking++;
    return BS_OK;
}

static void describe_holder(const bs_problem *p, const bs_solution *sol, const char *kind,
                            const char *id, int holder, char *buf, size_t size)
{
    const bs_assignment *h = &sol->items[holder];
    char when[40];
    bs_problem_format_time(p, h->start, when, sizeof when);
    snprintf(buf, size, "%s %s: %s/%s %s", kind, id, p->cohorts[h->cohort].id,
             p->programs[p->cohorts[h->cohort].program].modules[h->module].id, when);
}

/* Which placed sessions hold the resources an unplaced session needs, over
 * all its candidate slots. */
static bs_rc find_blocking(const bs__ctx *ctx, const bs__occ *occ, const bs_solution *sol,
                           int si, bs_conflict *cf)
{
    const bs_problem *p = ctx->p;
    const bs_session *s = &ctx->d->sessions[si];
    char buf[400];
    for (size_t k = 0; k < s->n_slots && cf->n_blocking < 12; k++) {
        bs_time t = p->slots[s->slots[k]].start, e = t + s->duration;
        for (size_t q = 0; q < s->instructors.count; q++) {
            int i = s->instructors.items[q];
            int h = bs__occ_first_holder(occ, bs__res_instructor(occ, i), t, e);
            if (h >= 0 && h != si) {
                describe_holder(p, sol, "instructor", p->instructors[i].id, h, buf, sizeof buf);
                BS_TRY(add_blocking(cf, buf));
            }
            /* rule 3: in person at one site per date */
            int day = p->slots[s->slots[k]].day;
            h = s->in_person ? bs__occ_site_holders(occ, i, day, p->cohorts[s->cohort].site,
                                                    NULL, NULL)
                             : -1;
            if (h >= 0 && h != si) {
                describe_holder(p, sol, "instructor", p->instructors[i].id, h, buf, sizeof buf);
                size_t len = strlen(buf);
                snprintf(buf + len, sizeof buf - len, " (in person at %s that date)",
                         p->sites[p->cohorts[sol->items[h].cohort].site]);
                BS_TRY(add_blocking(cf, buf));
            }
        }
        for (size_t q = 0; q < s->rooms.count; q++) {
            int r = s->rooms.items[q];
            int h = bs__occ_first_holder(occ, bs__res_room(occ, r), t, e);
            if (h >= 0 && h != si) {
                describe_holder(p, sol, "room", p->rooms[r].id, h, buf, sizeof buf);
                BS_TRY(add_blocking(cf, buf));
            }
        }
        const bs_ids *peers = &ctx->peers[s->cohort];
        for (size_t q = 0; q < peers->count; q++) {
            int h = bs__occ_first_holder(occ, bs__res_cohort(occ, peers->items[q]), t, e);
            if (h >= 0) {
                char who[200];
                snprintf(who, sizeof who, "of cohort %s", p->cohorts[s->cohort].id);
                describe_holder(p, sol, "learners", who, h, buf, sizeof buf);
                BS_TRY(add_blocking(cf, buf));
            }
        }
    }
    return BS_OK;
}

static bs_rc build_report(const bs__ctx *ctx, const bs__occ *occ, const bs_solution *sol,
                          const bs_solution *alone, bs_report **out)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    bs_report *r = bs_calloc(1, sizeof *r);
    if (r == NULL)
        return BS_ENOMEM;
    size_t n_unplaced = 0, n_skipped = 0;
    for (size_t s = 0; s < sol->count; s++) {
        if (sol->items[s].placed)
            continue;
        if (d->sessions[s].optional)
            n_skipped++;
        else
            n_unplaced++;
    }
    r->unplaced = bs_calloc(n_unplaced, sizeof *r->unplaced);
    r->skipped = bs_calloc(n_skipped, sizeof *r->skipped);
    bs_rc rc = (r->unplaced && r->skipped) ? BS_OK : BS_ENOMEM;
    for (size_t s = 0; rc == BS_OK && s < sol->count; s++) {
        const bs_assignment *a = &sol->items[s];
        const bs_session *se = &d->sessions[s];
        if (a->placed)
            continue;
        if (se->optional) {
            r->skipped[r->n_skipped++] = (struct bs_skipped){a->cohort, a->module};
            continue;
        }
        bs_conflict *cf = &r->unplaced[r->n_unplaced++];
        cf->cohort = a->cohort;
        cf->module = a->module;
        if (se->reason != BS_REASON_NONE) {
            cf->reason = se->reason;
            cf->message = bs_strdup(se->message);
        } else if (!alone->items[s].placed && se->pin >= 0 && !ctx->limit_hit) {
            /* the static rules allow the pin: the cohort's own sessions do not */
            cf->reason = BS_REASON_PIN_BROKEN;
            cf->message = bs_strdup("rule 6 or 7: the pin keeps no order, gap, cadence or study "
                                    "days with the cohort's other sessions, even with every "
                                    "other cohort absent");
        } else if (!alone->items[s].placed) {
            cf->reason = ctx->limit_hit ? BS_REASON_SOLVER_LIMIT : BS_REASON_NO_FEASIBLE_TIME;
            cf->message = bs_strdup(
                ctx->limit_hit
                    ? "the time limit ended the search before this session was placed"
                    : "no slot keeps order, gaps, cadence and study days together with the "
                      "cohort's other sessions (rules 6 and 7), even with every other cohort "
                      "absent");
        } else {
            rc = find_blocking(ctx, occ, sol, (int)s, cf);
            if (ctx->limit_hit && cf->n_blocking == 0) {
                cf->reason = BS_REASON_SOLVER_LIMIT;
                cf->message =
                    bs_strdup("the time limit ended the search before this session was placed");
            } else {
                cf->reason = BS_REASON_RESOURCES_BUSY;
                cf->message = bs_strdup(
                    cf->n_blocking
                        ? "possible alone, but the instructors, rooms or learners it needs are "
                          "taken at every time that suits it"
                        : "possible alone, but not together with the sessions already placed "
                          "(the resources' daily or weekly limits or sites per date)");
                if (se->pin >= 0 && cf->message != NULL)
                    rc = bs__pin_busy(ctx, se, cf);
            }
        }
        if (rc == BS_OK && cf->message == NULL)
            rc = BS_ENOMEM;
    }
    /* load warnings, then near misses */
    for (size_t k = 0; rc == BS_OK && k < p->n_warnings; k++)
        rc = bs_report_add_warning(r, p->warnings[k].code, p->warnings[k].message);
    if (rc == BS_OK && ctx->limit_hit)
        rc = bs_report_add_warning(r, "TIME_LIMIT",
                                   "the time limit or an interrupt cut the search; the calendar "
                                   "is the best found so far");
    for (size_t i = 0; rc == BS_OK && i < p->n_instructors; i++) {
        const bs_instructor *in = &p->instructors[i];
        long avail = 0, taught = 0;
        bs_time h0 = p->days[p->horizon_first_day].begin;
        bs_time h1 = d->day_end[p->horizon_last_day];
        for (size_t k = 0; k < in->available.count; k++) {
            bs_time f = in->available.items[k].from, t = in->available.items[k].to;
            if (f < h0)
                f = h0;
            if (t > h1)
                t = h1;
            if (t > f)
                avail += (long)(t - f);
        }
        for (size_t s = 0; s < sol->count; s++)
            if (sol->items[s].placed && bs_ids_contains(&sol->items[s].instructors, (int)i))
                taught += d->sessions[s].duration;
        if (avail > 0 && taught * 10 > avail * 9) {
            char msg[300];
            snprintf(msg, sizeof msg, "instructor %s is booked %ld of %ld available minutes (%.0f%%)",
                     in->id, taught, avail, 100.0 * (double)taught / (double)avail);
            rc = bs_report_add_warning(r, "INSTRUCTOR_OVERBOOKED", msg);
        }
    }
    for (size_t s = 0; rc == BS_OK && s < sol->count; s++) {
        if (sol->items[s].placed && d->sessions[s].n_slots == 1) {
            char msg[300];
            const bs_assignment *a = &sol->items[s];
            snprintf(msg, sizeof msg, "%s/%s fits only one start time: it has zero slack",
                     p->cohorts[a->cohort].id,
                     p->programs[p->cohorts[a->cohort].program].modules[a->module].id);
            rc = bs_report_add_warning(r, "ZERO_SLACK", msg);
        }
    }
    if (rc != BS_OK) {
        bs_report_destroy(&r);
        return rc;
    }
    *out = r;
    return BS_OK;
}

/* ==== The run ==== */

/* Rooms re-chosen with starts and teams fixed; the engine (occupancies,
 * cohort costs) is rebuilt when they changed. */
static bs_rc reassign_rooms(bs__ctx *ctx, bs__engine *eng, int threads, bs_solution *sol,
                            bs_err *err)
{
    bool changed = false;
    bs_rc rc = bs__rooms_reassign(ctx, threads, sol, &changed, err);
    if (rc == BS_OK && changed) {
        bs__engine_free(eng);
        rc = bs__engine_init(eng, ctx, sol, threads);
        if (rc == BS_OK)
            bs__engine_progress(eng, "rooms", ctx->p->n_cohorts, ctx->p->n_cohorts, true);
    }
    return rc;
}

#define REPAIR_ROUNDS 12 /* repair rounds at most after construction */
#define REPAIR_STALLS 3 /* repair blames otherwise after this many rounds in a row place nothing */

/* The node budget of construction and repair sub-MIPs: a sixth of
 * --node-limit. Construction only needs a good first calendar (repair and
 * improvement re-place every cohort it leaves short or dear; on 300
 * cohorts the final objective was the same, on 1,000 construction took
 * 30 s instead of several minutes), and a repair sub-MIP either places
 * what is missing soon or not at all. At least SHORT_NODE_FLOOR (or all of
 * --node-limit when it is smaller): ITC-2007 comp01 with --node-limit 50
 * left two lectures unplaced with 8. */
#define SHORT_NODE_FLOOR 50
static int short_node_limit(const bs_solve_opts *o)
{
    int n = o->node_limit / 6;
    if (n < SHORT_NODE_FLOOR)
        n = o->node_limit < SHORT_NODE_FLOOR ? o->node_limit : SHORT_NODE_FLOOR;
    return n;
}

/* The cohorts missing a required session that could be placed (no static
 * reason against it), in index order; returns their count. */
static size_t short_cohorts(const bs_problem *p, const bs_domains *d, const bs_solution *sol,
                            int *out)
{
    size_t n = 0;
    for (size_t c = 0; c < p->n_cohorts; c++) {
        bool missing = false;
        for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++)
            missing = missing || (!sol->items[s].placed && !d->sessions[s].optional &&
                                  d->sessions[s].reason == BS_REASON_NONE);
        if (missing)
            out[n++] = (int)c;
    }
    return n;
}

/* Small instances: every cohort in one MIP against nothing, kept when it
 * costs less than the calendar built so far. The engine is rebuilt after,
 * since its replicas know only the old calendar. */
static bs_rc solve_monolithic(bs__engine *e, int *all, bs_err *err)
{
    bs__ctx *ctx = e->ctx;
    const bs_problem *p = ctx->p;
    for (size_t c = 0; c < p->n_cohorts; c++)
        all[c] = (int)c;
    bs__occ *empty = NULL;
    BS_TRY(bs__occ_create(p, ctx->d, &empty));
    bs__subresult res;
    bs_rc rc = bs__submip_solve(ctx, empty, all, p->n_cohorts, e->sol, 0, &res, err);
    bs__occ_destroy(&empty);
    if (rc != BS_OK)
        return rc;
    ctx->limit_hit = ctx->limit_hit || res.time_hit;
    bool better = res.changed && res.new_cost < res.old_cost - 1e-6;
    if (better)
        bs__subresult_swap(ctx, e->sol, all, p->n_cohorts, &res);
    bs__subresult_free(&res);
    if (!better)
        return BS_OK;
    int threads = e->threads;
    bs_solution *sol = e->sol;
    bs__engine_free(e);
    return bs__engine_init(e, ctx, sol, threads);
}

bs_rc bs_solver_run(const bs_problem *p, const bs_solve_opts *o, bs_solution **out_sol,
                    bs_report **out_report, bs_err *err)
{
    bs__ctx ctx = {.p = p, .o = o, .start_time = bs__now()};
    bs_domains *d = NULL;
    bs_solution *sol = NULL, *alone = NULL;
    bs__engine eng = {0};
    bs_report *report = NULL;
    cohort_key *keys = NULL;
    int *order = NULL, *targets = NULL;
    double *cohort_bound = NULL;
    int *rhythm_hint = NULL;
    int threads = o->threads > 0 ? o->threads : omp_get_max_threads();
    glp_term_out(GLP_OFF);
    bs_rc rc = bs_domains_build(p, &d, err);
    ctx.d = d;
    if (rc == BS_OK)
        rc = bs__build_peers(p, &ctx.peers);
    if (rc == BS_OK)
        rc = bs_solution_create(p, &sol);
    if (rc == BS_OK)
        rc = bs_solution_create(p, &alone);
    if (rc == BS_OK) {
        keys = bs_calloc(p->n_cohorts + 1, sizeof *keys);
        order = bs_calloc(p->n_cohorts + 1, sizeof *order);
        targets = bs_calloc(p->n_cohorts + 1, sizeof *targets);
        cohort_bound = bs_calloc(p->n_cohorts + 1, sizeof *cohort_bound);
        rhythm_hint = bs_calloc(p->n_cohorts + 1, sizeof *rhythm_hint);
        if (!keys || !order || !targets || !cohort_bound || !rhythm_hint)
            rc = BS_ENOMEM;
    }
    /* The lower bound, cohort by cohort in parallel. */
    if (rc == BS_OK)
        rc = cohort_bounds(&ctx, threads, cohort_bound, rhythm_hint, err);
    ctx.rhythm_hint = rhythm_hint;
    for (size_t c = 0; rc == BS_OK && c < p->n_cohorts; c++)
        ctx.bound += cohort_bound[c];
    if (rc == BS_OK)
        rc = bs__engine_init(&eng, &ctx, sol, threads);
    if (rc == BS_OK)
        bs__engine_progress(&eng, "bound", p->n_cohorts, p->n_cohorts, true);
    /* Construction, most important and most constrained cohorts first. */
    size_t total_columns = 0;
    for (size_t c = 0; rc == BS_OK && c < p->n_cohorts; c++) {
        size_t columns = 0;
        int pinned = 0;
        for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++) {
            const bs_session *se = &d->sessions[s];
            columns += se->n_slots * (se->rooms.count + 1) * (se->instructors.count + 1);
            pinned += se->pin >= 0 && p->pins[se->pin].has_start;
        }
        total_columns += columns;
        keys[c] = (cohort_key){(int)c, p->cohorts[c].priority, columns, pinned};
    }
    if (rc == BS_OK)
        qsort(keys, p->n_cohorts, sizeof *keys, cmp_cohort_key);
    for (size_t k = 0; rc == BS_OK && k < p->n_cohorts; k++)
        order[k] = keys[k].cohort;
    /* Construction places each cohort once, against a calendar that only
     * fills up, so it gets twice the candidates: measured on nine generated
     * quarters (100 and 300 cohorts) that gave a better calendar for about
     * the same time, since the rounds after it had less to repair. */
    ctx.node_limit = short_node_limit(o);
    ctx.column_budget = o->column_budget > 0 ? 2 * o->column_budget : 0;
    if (rc == BS_OK)
        rc = bs__engine_construct(&eng, order, p->n_cohorts, err);
    ctx.node_limit = 0;
    ctx.column_budget = 0;
    if (rc == BS_OK)
        bs__engine_progress(&eng, "construct", p->n_cohorts, p->n_cohorts, true);
    if (rc == BS_OK && !bs__engine_should_stop(&eng) && p->n_cohorts > 1 &&
        total_columns <= (size_t)o->monolithic_columns) {
        rc = solve_monolithic(&eng, targets, err);
        if (rc == BS_OK)
            bs__engine_progress(&eng, "monolithic", p->n_cohorts, p->n_cohorts, true);
    }
    /* Repair: each cohort still missing a required session re-placed with
     * the cohorts that block it most; every round takes the next-ranked
     * blockers, until REPAIR_STALLS rounds in a row place nothing more.
     * Then, while rounds remain, the blockers of one start of the missing
     * session (solver/blame.c, repair_opening), until those stall too. */
    for (int round = 0, stalls = 0, opening = -1; rc == BS_OK && round < REPAIR_ROUNDS;
         round++) {
        size_t n_targets = short_cohorts(p, d, sol, targets);
        if (n_targets == 0 || bs__engine_should_stop(&eng))
            break;
        bool improved = false;
        eng.repair_round = opening >= 0 ? opening : round;
        eng.repair_opening = opening >= 0;
        /* (its LP spreads the missing session fractionally over every
         * candidate, and a long search mostly proves that it cannot) */
        ctx.node_limit = short_node_limit(o);
        rc = bs__engine_improve(&eng, targets, n_targets, &improved, err);
        ctx.node_limit = 0;
        if (rc == BS_OK)
            bs__engine_progress(&eng, "repair", p->n_cohorts, p->n_cohorts, true);
        stalls = improved ? 0 : stalls + 1;
        if (opening >= 0)
            opening++;
        if (ctx.limit_hit || (stalls >= REPAIR_STALLS && opening >= 0))
            break;
        if (stalls >= REPAIR_STALLS) {
            opening = 0;
            stalls = 0;
        }
    }
    eng.repair_round = 0;
    eng.repair_opening = false;
    /* Fix-and-optimize rounds over the cohorts that cost more than their
     * bound, until a round improves nothing. */
    for (int round = 0; rc == BS_OK && round < o->improve_rounds; round++) {
        size_t n_targets = 0;
        for (size_t k = 0; k < p->n_cohorts; k++) {
            int c = order[k];
            if (eng.cost[c] > cohort_bound[c] + OPTIONAL_EPS * 0.5)
                targets[n_targets++] = c;
        }
        bool improved = false;
        if (n_targets > 0 && !bs__engine_should_stop(&eng))
            rc = bs__engine_improve(&eng, targets, n_targets, &improved, err);
        if (rc == BS_OK)
            bs__engine_progress(&eng, "improve", p->n_cohorts, p->n_cohorts, true);
        if (!improved || ctx.limit_hit)
            break;
    }
    /* Rooms again with every start and team fixed (solver/rooms.c), after
     * the rounds and again after the coupled neighbourhoods. */
    if (rc == BS_OK && !bs__engine_should_stop(&eng))
        rc = reassign_rooms(&ctx, &eng, threads, sol, err);
    /* Coupled neighbourhoods (off by default), in parallel batches that
     * keep every replica in step with the calendar (solver/lns.c). */
    if (rc == BS_OK && o->lns_passes > 0 && !bs__engine_should_stop(&eng)) {
        bool lns_improved = false;
        rc = bs__lns_run(&eng, o->lns_passes, &lns_improved, err);
        if (rc == BS_OK)
            bs__engine_progress(&eng, "lns", p->n_cohorts, p->n_cohorts, true);
        if (rc == BS_OK && lns_improved && !bs__engine_should_stop(&eng))
            rc = reassign_rooms(&ctx, &eng, threads, sol, err);
    }
    /* Local search last (off by default, solver/polish.c): it works on the
     * calendar and replica 0, so the engine is rebuilt after it. */
    if (rc == BS_OK && o->polish_steps > 0 && !bs__engine_should_stop(&eng)) {
        bool polished = false;
        rc = bs__polish_run(&eng, o->polish_steps, &polished, err);
        if (rc == BS_OK && polished) {
            bs__engine_free(&eng);
            rc = bs__engine_init(&eng, &ctx, sol, threads);
        }
        if (rc == BS_OK)
            bs__engine_progress(&eng, "polish", p->n_cohorts, p->n_cohorts, true);
        if (rc == BS_OK && polished && !bs__engine_should_stop(&eng))
            rc = reassign_rooms(&ctx, &eng, threads, sol, err);
    }
    if (rc == BS_OK && bs__engine_should_stop(&eng))
        ctx.limit_hit = true;
    /* Cohorts left with unplaced sessions: could they place them alone?
     * (NO_FEASIBLE_TIME when not, RESOURCES_BUSY when so) */
    size_t n_short = rc == BS_OK ? short_cohorts(p, d, sol, targets) : 0;
    /* (after the time limit the report says SOLVER_LIMIT instead) */
    if (rc == BS_OK && n_short > 0 && !ctx.limit_hit)
        rc = solve_alone(&ctx, threads, targets, n_short, alone, err);
    if (rc == BS_OK)
        rc = build_report(&ctx, eng.occ, sol, alone, &report);
    if (rc == BS_OK && o->baseline != NULL)
        bs_baseline_mark(o->baseline, sol);
    if (rc == BS_OK)
        rc = bs_evaluate_objective(p, sol, &sol->objective);
    if (rc == BS_OK) {
        bool complete = report->n_unplaced == 0;
        bool interrupted = o->interrupt && *o->interrupt;
        sol->status = interrupted ? BS_STATUS_INTERRUPTED
                                  : (complete ? BS_STATUS_COMPLETE : BS_STATUS_PARTIAL);
        sol->has_bound = true;
        sol->bound = ctx.bound < sol->objective.total ? ctx.bound : sol->objective.total;
        /* A bound above a calendar's objective is a bug in the bound: the
         * calendar gets the objective as its bound, and stderr says so,
         * which the end-to-end tests watch for. */
        if (ctx.bound > sol->objective.total + 1e-6 * (1 + sol->objective.total))
            fprintf(stderr,
                    "blendsched: internal: the lower bound %.6g exceeds the objective %.6g; "
                    "reporting the objective as the bound\n",
                    ctx.bound, sol->objective.total);
    }
    if (rc == BS_OK)
        rc = bs__budget_report(&ctx, sol, report, err);
    if (o->progress)
        fprintf(stderr, "blendsched: %zu merge clashes, %zu improvement targets skipped\n",
                eng.n_clashes, eng.n_skipped);
    free(keys);
    free(order);
    free(targets);
    free(cohort_bound);
    free(rhythm_hint);
    for (size_t c = 0; ctx.peers && c < p->n_cohorts; c++)
        free(ctx.peers[c].items);
    free(ctx.peers);
    bs__engine_free(&eng);
    bs_solution_destroy(&alone);
    bs_domains_destroy(&d);
    if (rc != BS_OK) {
        bs_solution_destroy(&sol);
        bs_report_destroy(&report);
        if (err && err->msg[0] == '\0')
            bs_err_set(err, rc, "%s", bs_strerror(rc));
        return rc;
    }
    *out_sol = sol;
    *out_report = report;
    return BS_OK;
}
