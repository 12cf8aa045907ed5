/**
 * @file replan.c
 * @brief Re-planning inside the engine: the per-candidate `moved` and
 *        `reassigned` costs against the baseline, the change budget
 *        (`--max-changes`) shared out in merge order, and the conflict
 *        report's CHANGE_BUDGET warning.
 *
 * The costs are per candidate placement (docs/model.md): a candidate whose
 * start differs from the baseline session's pays `moved`; one at the same
 * start in another room or with other instructors pays `reassigned`; a
 * session the baseline does not list pays nothing. The budget is one
 * global row split by the decomposition: each sub-MIP gets what the
 * calendar outside its group leaves, and the serial merge commits a result
 * only while the whole calendar keeps the budget (solver/batch.c).
 */
#include "solver/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double bs__change_cost(const bs__ctx *ctx, int session, bs_time start, int room, const int *team,
                       int n)
{
    if (ctx->o->baseline == NULL)
        return 0;
    switch (
        bs_baseline_change_of(ctx->o->baseline, (size_t)session, start, room, team, (size_t)n)) {
    case BS_CHANGE_MOVED:
        return ctx->p->weights.moved;
    case BS_CHANGE_REASSIGNED:
        return ctx->p->weights.reassigned;
    default:
        return 0;
    }
}

double bs__forced_change_cost(const bs__ctx *ctx, int session)
{
    const bs_baseline *b = ctx->o->baseline;
    if (b == NULL || !b->items[session].listed)
        return 0;
    const bs_problem *p = ctx->p;
    const bs_session *s = &ctx->d->sessions[session];
    const bs_baseline_item *bi = &b->items[session];
    bool start_ok = false;
    for (size_t k = 0; k < s->n_slots && !start_ok; k++)
        start_ok = p->slots[s->slots[k]].start == bi->start;
    if (!start_ok)
        return p->weights.moved;
    bool same_ok = bi->room != BS_ROOM_GONE && !bi->instructor_gone &&
                   (int)bi->instructors.count == s->n_instructors &&
                   (s->needs_room ? bs_ids_contains(&s->rooms, bi->room) : bi->room == -1);
    for (size_t q = 0; same_ok && q < bi->instructors.count; q++)
        same_ok = bs_ids_contains(&s->instructors, bi->instructors.items[q]);
    if (same_ok)
        return 0;
    return p->weights.reassigned < p->weights.moved ? p->weights.reassigned : p->weights.moved;
}

bool bs__is_change(const bs__ctx *ctx, int session, bs_time start, int room, const int *team, int n)
{
    if (ctx->o->baseline == NULL)
        return false;
    bs_change c =
        bs_baseline_change_of(ctx->o->baseline, (size_t)session, start, room, team, (size_t)n);
    return c == BS_CHANGE_MOVED || c == BS_CHANGE_REASSIGNED;
}

bool bs__has_budget(const bs__ctx *ctx)
{
    return ctx->o->baseline != NULL && ctx->o->max_changes >= 0;
}

static bool assignment_is_change(const bs__ctx *ctx, const bs_assignment *a, size_t session)
{
    return a->placed && bs__is_change(ctx, (int)session, a->start, a->room, a->instructors.items,
                                      (int)a->instructors.count);
}

long bs__changes_outside(const bs__ctx *ctx, const bs_solution *sol, const int *cohorts,
                         size_t n_cohorts)
{
    const bs_domains *d = ctx->d;
    long n = 0;
    for (size_t s = 0; s < sol->count; s++)
        n += assignment_is_change(ctx, &sol->items[s], s);
    for (size_t k = 0; k < n_cohorts; k++)
        for (size_t s = d->cohort_first[cohorts[k]]; s < d->cohort_first[cohorts[k] + 1]; s++)
            n -= assignment_is_change(ctx, &sol->items[s], s);
    return n;
}

bool bs__budget_fits(const bs__ctx *ctx, const bs_solution *sol, const int *cohorts,
                     size_t n_cohorts, const bs_assignment *items)
{
    if (!bs__has_budget(ctx))
        return true;
    const bs_domains *d = ctx->d;
    long n = bs__changes_outside(ctx, sol, cohorts, n_cohorts);
    size_t w = 0;
    for (size_t k = 0; k < n_cohorts; k++)
        for (size_t s = d->cohort_first[cohorts[k]]; s < d->cohort_first[cohorts[k] + 1]; s++)
            n += assignment_is_change(ctx, &items[w++], s);
    return n <= ctx->o->max_changes;
}

bool bs__budget_spent(const bs__ctx *ctx, const bs_solution *sol, const int *cohorts,
                      size_t n_cohorts, const bs_assignment *items)
{
    if (!bs__has_budget(ctx))
        return false;
    const bs_domains *d = ctx->d;
    long n = bs__changes_outside(ctx, sol, cohorts, n_cohorts);
    size_t w = 0;
    for (size_t k = 0; k < n_cohorts; k++)
        for (size_t s = d->cohort_first[cohorts[k]]; s < d->cohort_first[cohorts[k] + 1]; s++) {
            const bs_assignment *a = items != NULL ? &items[w++] : &sol->items[s];
            n += assignment_is_change(ctx, a, s);
        }
    return n >= ctx->o->max_changes;
}

bs_rc bs__budget_report(const bs__ctx *ctx, const bs_solution *sol, bs_report *report, bs_err *err)
{
    if (!bs__has_budget(ctx) || report->n_unplaced == 0 || ctx->limit_hit)
        return BS_OK;
    bs_solve_opts o = *ctx->o;
    o.max_changes = -1;
    o.progress = false;
    bs_solution *free_sol = NULL;
    bs_report *free_report = NULL;
    BS_TRY(bs_solver_run(ctx->p, &o, &free_sol, &free_report, err));
    size_t more = 0, changes = 0;
    for (size_t s = 0; s < free_sol->count; s++) {
        const bs_assignment *a = &free_sol->items[s];
        changes += a->placed && (a->change == BS_CHANGE_MOVED || a->change == BS_CHANGE_REASSIGNED);
    }
    bs_rc rc = BS_OK;
    for (size_t k = 0; rc == BS_OK && k < report->n_unplaced; k++) {
        bs_conflict *cf = &report->unplaced[k];
        int s = bs_solution_find(free_sol, cf->cohort, cf->module);
        if (s < 0 || !free_sol->items[s].placed || cf->reason != BS_REASON_RESOURCES_BUSY)
            continue;
        more++;
        char msg[300];
        snprintf(msg, sizeof msg,
                 "possible alone, but placing it needs more changes than --max-changes %ld "
                 "allows (without the budget it is placed, with %zu changes in all)",
                 ctx->o->max_changes, changes);
        char *m = bs_strdup(msg);
        if (m == NULL) {
            rc = BS_ENOMEM;
            break;
        }
        free(cf->message);
        cf->message = m;
    }
    if (rc == BS_OK && more > 0) {
        size_t placed = 0, placed_free = 0;
        for (size_t s = 0; s < sol->count; s++) {
            placed += sol->items[s].placed;
            placed_free += free_sol->items[s].placed;
        }
        char msg[400];
        snprintf(msg, sizeof msg,
                 "--max-changes %ld leaves %zu required session(s) unplaced; without the "
                 "budget %zu of them are placed (%zu sessions placed instead of %zu) with %zu "
                 "changes: --max-changes %zu would allow that calendar",
                 ctx->o->max_changes, report->n_unplaced, more, placed_free, placed, changes,
                 changes);
        rc = bs_report_add_warning(report, "CHANGE_BUDGET", msg);
    }
    bs_solution_destroy(&free_sol);
    bs_report_destroy(&free_report);
    if (rc != BS_OK)
        bs_err_set(err, rc, "out of memory writing the change budget warning");
    return rc;
}

bs_rc bs__pin_busy(const bs__ctx *ctx, const bs_session *se, bs_conflict *cf)
{
    const bs_problem *p = ctx->p;
    const bs_pin *pin = &p->pins[se->pin];
    bool by_instructor = false, by_room = false, by_learners = false;
    char want[100];
    for (size_t k = 0; k < cf->n_blocking; k++) {
        const char *b = cf->blocking[k];
        for (size_t q = 0; pin->has_instructors && q < pin->instructors.count; q++) {
            snprintf(want, sizeof want,
                     "instructor %s:", p->instructors[pin->instructors.items[q]].id);
            by_instructor = by_instructor || strncmp(b, want, strlen(want)) == 0;
        }
        if (pin->has_room && pin->room >= 0) {
            snprintf(want, sizeof want, "room %s:", p->rooms[pin->room].id);
            by_room = by_room || strncmp(b, want, strlen(want)) == 0;
        }
        by_learners = by_learners || (pin->has_start && strncmp(b, "learners ", 9) == 0);
    }
    char msg[300];
    if (by_instructor || by_room || by_learners)
        snprintf(
            msg, sizeof msg, "%s%s%s%s%s: what the pin fixes is taken by sessions already placed",
            by_instructor ? "rule 3 (instructors)" : "",
            by_instructor && (by_room || by_learners) ? ", " : "", by_room ? "rule 4 (room)" : "",
            by_room && by_learners ? ", " : "", by_learners ? "rule 5 (learners)" : "");
    else
        snprintf(msg, sizeof msg,
                 "rule 3, 4 or 5: at every start the pin allows, the instructors, rooms or "
                 "learners it needs are taken by sessions already placed (or their daily, "
                 "weekly or site limits)");
    char *m = bs_strdup(msg);
    if (m == NULL)
        return BS_ENOMEM;
    free(cf->message);
    cf->message = m;
    cf->reason = BS_REASON_PIN_BROKEN;
    return BS_OK;
}
