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
#include "solver/internal.h"


void bs_solve_opts_init(bs_solve_opts *o)
{
    memset(o, 0, sizeof *o);
    o->threads = 0;
    o->time_limit = 0;
    o->node_limit = 300;
    o->improve_rounds = 3;
    o->monolithic_columns = 20000;
    o->verbosity = 0;
    o->progress = false;
    o->seed = 1;
}

/* ==== Cost of one cohort's assignments (the sub-MIP's objective) ==== */

double bs__cohort_cost(const bs__ctx *ctx, const bs_solution *sol, int cohort)
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
        const bs_assignment *a = &sol->items[s];
        const bs_session *se = &d->sessions[s];
        if (se->n_instructors > team)
            team = se->n_instructors;
        if (!a->placed) {
            cost += se->optional ? OPTIONAL_EPS : w->unplaced * c->priority;
            continue;
        }
        if (earliest == NULL || a->start < earliest->start)
            earliest = a;
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
            const bs_assignment *a = &sol->items[s];
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
static bs_rc build_peers(const bs_problem *p, bs_ids **out)
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
} cohort_key;

/* Most important first, then the most constrained (fewest candidate slots). */
static int cmp_cohort_key(const void *a, const void *b)
{
    const cohort_key *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    if (x->slots != y->slots)
        return x->slots < y->slots ? -1 : 1;
    return x->cohort - y->cohort;
}

static void progress(const bs__ctx *ctx, const char *phase, size_t done, size_t total,
                     const bs_solution *sol)
{
    if (!ctx->o->progress)
        return;
    size_t placed = 0;
    for (size_t k = 0; k < sol->count; k++)
        placed += sol->items[k].placed;
    fprintf(stderr, "blendsched: %-12s cohorts %zu/%zu  placed %zu/%zu  %.1fs\n", phase, done,
            total, placed, sol->count, bs__now() - ctx->start_time);
}

static bs_rc occ_apply_cohort(bs__occ *occ, const bs_domains *d, const bs_solution *sol, int c,
                              int sign)
{
    for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++)
        BS_TRY(bs__occ_apply(occ, &sol->items[s], (int)s, sign));
    return BS_OK;
}

static bool stop_requested(const bs__ctx *ctx)
{
    if (ctx->o->interrupt && *ctx->o->interrupt)
        return true;
    return ctx->o->time_limit > 0 && bs__now() > ctx->start_time + ctx->o->time_limit;
}

/* ==== Every cohort alone, in parallel ==== */

typedef struct alone_result {
    double bound;
    bool time_hit;
    bs_rc rc;
    bs_err err;
} alone_result;

/* Solve the listed cohorts each alone (no other cohort present) in `mode`:
 * BS_MODE_LP_BOUND gives each one's LP bound in cohort_bound[c];
 * BS_MODE_ALONE writes each one's best calendar alone into `alone`. Each
 * cohort is independent, so the threads share nothing but read-only data,
 * and results land in slots indexed by cohort. */
static bs_rc solve_alone(bs__ctx *ctx, int mode, const int *cohorts, size_t n, bs_solution *alone,
                         double *cohort_bound)
{
    const bs_problem *p = ctx->p;
    bs__occ *empty = NULL;
    BS_TRY(bs__occ_create(p, ctx->d, &empty));
    alone_result *res = bs_calloc(n, sizeof *res);
    if (res == NULL) {
        bs__occ_destroy(&empty);
        return BS_ENOMEM;
    }
    int threads = ctx->o->threads > 0 ? ctx->o->threads : omp_get_max_threads();
    ctx->mode = mode;
#pragma omp parallel num_threads(threads)
    {
        glp_term_out(GLP_OFF);
#pragma omp for schedule(dynamic, 1)
        for (size_t k = 0; k < n; k++) {
            bool improved;
            res[k].rc = bs__submip_solve(ctx, empty, &cohorts[k], 1, alone, &improved,
                                         &res[k].bound, &res[k].time_hit, &res[k].err);
        }
        glp_free_env();
    }
    ctx->mode = BS_MODE_NORMAL;
    bs_rc rc = BS_OK;
    for (size_t k = 0; k < n; k++) {
        if (res[k].rc != BS_OK && rc == BS_OK)
            rc = res[k].rc;
        ctx->limit_hit = ctx->limit_hit || res[k].time_hit;
        if (cohort_bound == NULL)
            continue;
        /* optional sessions cost OPTIONAL_EPS inside the MIP only */
        int c = cohorts[k];
        double eps = 0;
        for (size_t s = ctx->d->cohort_first[c]; s < ctx->d->cohort_first[c + 1]; s++)
            eps += ctx->d->sessions[s].optional ? OPTIONAL_EPS : 0;
        double b = res[k].bound - eps;
        cohort_bound[c] = b > 0 ? b : 0;
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
            int h = bs__occ_holder(occ, bs__res_instructor(occ, i), t, e);
            if (h >= 0 && h != si) {
                describe_holder(p, sol, "instructor", p->instructors[i].id, h, buf, sizeof buf);
                BS_TRY(add_blocking(cf, buf));
            }
        }
        for (size_t q = 0; q < s->rooms.count; q++) {
            int r = s->rooms.items[q];
            int h = bs__occ_holder(occ, bs__res_room(occ, r), t, e);
            if (h >= 0 && h != si) {
                describe_holder(p, sol, "room", p->rooms[r].id, h, buf, sizeof buf);
                BS_TRY(add_blocking(cf, buf));
            }
        }
        const bs_ids *peers = &ctx->peers[s->cohort];
        for (size_t q = 0; q < peers->count; q++) {
            int h = bs__occ_holder(occ, bs__res_cohort(occ, peers->items[q]), t, e);
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

/* Add the cohort of the session holding `res` during [t, e), if any and
 * not in the group yet. */
static void add_holder(const bs__occ *occ, const bs_solution *sol, size_t res, bs_time t,
                       bs_time e, int *group, size_t *n)
{
    int h = bs__occ_holder(occ, res, t, e);
    if (h < 0)
        return;
    int hc = sol->items[h].cohort;
    for (size_t g = 0; g < *n; g++)
        if (group[g] == hc)
            return;
    group[(*n)++] = hc;
}

/* Cohorts holding resources that block the cohort's unplaced sessions. */
static size_t blocking_group(const bs__ctx *ctx, const bs__occ *occ, const bs_solution *sol,
                             int c, int *group, size_t max)
{
    const bs_domains *d = ctx->d;
    const bs_problem *p = ctx->p;
    size_t n = 0;
    group[n++] = c;
    for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1] && n < max; s++) {
        const bs_session *se = &d->sessions[s];
        if (sol->items[s].placed || se->reason != BS_REASON_NONE)
            continue;
        for (size_t k = 0; k < se->n_slots && n < max; k++) {
            bs_time t = p->slots[se->slots[k]].start, e = t + se->duration;
            for (size_t q = 0; q < se->instructors.count && n < max; q++)
                add_holder(occ, sol, bs__res_instructor(occ, se->instructors.items[q]), t, e,
                           group, &n);
            for (size_t q = 0; q < se->rooms.count && n < max; q++)
                add_holder(occ, sol, bs__res_room(occ, se->rooms.items[q]), t, e, group, &n);
        }
    }
    qsort(group, n, sizeof(int), cmp_int);
    return n;
}

static bs_rc reoptimise(bs__ctx *ctx, bs__occ *occ, bs_solution *sol, const int *group, size_t n,
                        bool *improved, bs_err *err)
{
    for (size_t g = 0; g < n; g++)
        BS_TRY(occ_apply_cohort(occ, ctx->d, sol, group[g], -1));
    bool time_hit = false;
    bs_rc rc = bs__submip_solve(ctx, occ, group, n, sol, improved, NULL, &time_hit, err);
    ctx->limit_hit = ctx->limit_hit || time_hit;
    for (size_t g = 0; g < n; g++) {
        bs_rc rc2 = occ_apply_cohort(occ, ctx->d, sol, group[g], +1);
        if (rc == BS_OK)
            rc = rc2;
    }
    return rc;
}

bs_rc bs_solver_run(const bs_problem *p, const bs_solve_opts *o, bs_solution **out_sol,
                    bs_report **out_report, bs_err *err)
{
    bs__ctx ctx = {.p = p, .o = o, .start_time = bs__now()};
    bs_domains *d = NULL;
    bs_solution *sol = NULL, *alone = NULL;
    bs__occ *occ = NULL;
    bs_report *report = NULL;
    cohort_key *order = NULL;
    int *group = NULL;
    glp_term_out(GLP_OFF);
    bs_rc rc = bs_domains_build(p, &d, err);
    ctx.d = d;
    if (rc == BS_OK)
        rc = build_peers(p, &ctx.peers);
    if (rc == BS_OK)
        rc = bs_solution_create(p, &sol);
    if (rc == BS_OK)
        rc = bs_solution_create(p, &alone);
    if (rc == BS_OK)
        rc = bs__occ_create(p, d, &occ);
    if (rc == BS_OK) {
        order = bs_calloc(p->n_cohorts, sizeof *order);
        group = bs_calloc(p->n_cohorts, sizeof *group);
        if (!order || !group)
            rc = BS_ENOMEM;
    }
    /* Lower bound (and what each cohort could do alone). */
    double bound = 0;
    double *cohort_bound = rc == BS_OK ? bs_calloc(p->n_cohorts, sizeof(double)) : NULL;
    if (rc == BS_OK && cohort_bound == NULL)
        rc = BS_ENOMEM;
    for (size_t c = 0; rc == BS_OK && c < p->n_cohorts; c++)
        group[c] = (int)c;
    if (rc == BS_OK)
        rc = solve_alone(&ctx, BS_MODE_LP_BOUND, group, p->n_cohorts, alone, cohort_bound);
    for (size_t c = 0; rc == BS_OK && c < p->n_cohorts; c++)
        bound += cohort_bound[c];
    progress(&ctx, "bound", p->n_cohorts, p->n_cohorts, sol);
    /* Construction, most important and most constrained cohorts first. */
    size_t total_slots = 0;
    for (size_t c = 0; rc == BS_OK && c < p->n_cohorts; c++) {
        size_t slots = 0;
        for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++)
            slots += d->sessions[s].n_slots * (d->sessions[s].rooms.count + 1) *
                     (d->sessions[s].instructors.count + 1);
        total_slots += slots;
        order[c] = (cohort_key){(int)c, p->cohorts[c].priority, slots};
    }
    if (rc == BS_OK)
        qsort(order, p->n_cohorts, sizeof *order, cmp_cohort_key);
    for (size_t k = 0; rc == BS_OK && k < p->n_cohorts; k++) {
        bool improved;
        rc = reoptimise(&ctx, occ, sol, &order[k].cohort, 1, &improved, err);
        if ((k + 1) % 50 == 0)
            progress(&ctx, "construct", k + 1, p->n_cohorts, sol);
        if (stop_requested(&ctx)) {
            ctx.limit_hit = true;
            break;
        }
    }
    progress(&ctx, "construct", p->n_cohorts, p->n_cohorts, sol);
    /* Small instances: the whole problem as one MIP. */
    if (rc == BS_OK && !stop_requested(&ctx) && total_slots <= (size_t)o->monolithic_columns &&
        p->n_cohorts > 1) {
        for (size_t c = 0; c < p->n_cohorts; c++)
            group[c] = (int)c;
        bool improved;
        rc = reoptimise(&ctx, occ, sol, group, p->n_cohorts, &improved, err);
        progress(&ctx, "monolithic", p->n_cohorts, p->n_cohorts, sol);
    }
    /* Fix-and-optimize: each cohort, with the cohorts blocking it, re-placed
     * against all others; stop after a round without improvement. */
    for (int round = 0; rc == BS_OK && round < o->improve_rounds; round++) {
        bool any = false;
        for (size_t k = 0; rc == BS_OK && k < p->n_cohorts; k++) {
            if (stop_requested(&ctx)) {
                ctx.limit_hit = true;
                break;
            }
            /* a cohort that costs what it would alone cannot do better */
            int c = order[k].cohort;
            if (bs__cohort_cost(&ctx, sol, c) <= cohort_bound[c] + OPTIONAL_EPS * 0.5)
                continue;
            size_t n = blocking_group(&ctx, occ, sol, c, group, 4);
            bool improved = false;
            rc = reoptimise(&ctx, occ, sol, group, n, &improved, err);
            any = any || improved;
        }
        progress(&ctx, "improve", p->n_cohorts, p->n_cohorts, sol);
        if (!any || ctx.limit_hit)
            break;
    }
    /* Cohorts left with unplaced sessions: could they place them alone?
     * (NO_FEASIBLE_TIME when not, RESOURCES_BUSY when so) */
    size_t n_short = 0;
    for (size_t c = 0; rc == BS_OK && c < p->n_cohorts; c++) {
        bool missing = false;
        for (size_t s = d->cohort_first[c]; s < d->cohort_first[c + 1]; s++)
            missing = missing || (!sol->items[s].placed && !d->sessions[s].optional &&
                                  d->sessions[s].reason == BS_REASON_NONE);
        if (missing)
            group[n_short++] = (int)c;
    }
    if (rc == BS_OK && n_short > 0)
        rc = solve_alone(&ctx, BS_MODE_ALONE, group, n_short, alone, NULL);
    if (rc == BS_OK)
        rc = build_report(&ctx, occ, sol, alone, &report);
    if (rc == BS_OK)
        rc = bs_evaluate_objective(p, sol, &sol->objective);
    if (rc == BS_OK) {
        bool complete = report->n_unplaced == 0;
        bool interrupted = o->interrupt && *o->interrupt;
        sol->status = interrupted ? BS_STATUS_INTERRUPTED
                                  : (complete ? BS_STATUS_COMPLETE : BS_STATUS_PARTIAL);
        sol->has_bound = true;
        sol->bound = bound < sol->objective.total ? bound : sol->objective.total;
    }
    free(order);
    free(group);
    free(cohort_bound);
    for (size_t c = 0; ctx.peers && c < p->n_cohorts; c++)
        free(ctx.peers[c].items);
    free(ctx.peers);
    bs__occ_destroy(&occ);
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
