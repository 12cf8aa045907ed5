/**
 * @file verify_order.c
 * @brief The checker's rules between a cohort's own sessions: which modules
 *        each program's modules reach (the module graphs), rule 6 (order,
 *        minimum gaps, rotation cadence) and rule 7 (the study days the
 *        self-paced prework needs before each live session). The rest of
 *        the checker, and its independence from the solver, is
 *        model/verify.c's.
 */
#include "model/verify_internal.h"

#include <stdlib.h>
#include <string.h>

/* ==== Module graphs (rules 6 and 7) ==== */

/* The live module listed before live module i, or -1: with `ordered`, each
 * live module implicitly requires it. */
static int ordered_pred(const bs_program *pr, size_t i)
{
    if (!pr->ordered || !pr->modules[i].is_live)
        return -1;
    for (size_t j = i; j-- > 0;)
        if (pr->modules[j].is_live)
            return (int)j;
    return -1;
}

/* Direct predecessors of module i: its `requires` plus the `ordered` edge.
 * `out` holds requires.count + 1 entries. */
static size_t direct_preds(const bs_program *pr, size_t i, int *out)
{
    size_t n = 0;
    const bs_ids *req = &pr->modules[i].requires;
    for (size_t k = 0; k < req->count; k++)
        if (req->items[k] >= 0 && (size_t)req->items[k] < pr->n_modules)
            out[n++] = req->items[k];
    int o = ordered_pred(pr, i);
    if (o >= 0)
        out[n++] = o;
    return n;
}

/* Depth-first walk from `from`; with `self_paced_only`, live modules are
 * reached but not walked through. Marks reached live modules in `live` and
 * self-paced ones in `sp` (both rows of n). */
static bs_rc walk(const bs_program *pr, size_t from, bool self_paced_only, bool *live, bool *sp)
{
    size_t n = pr->n_modules, max_req = 0;
    for (size_t i = 0; i < n; i++)
        if (pr->modules[i].requires.count > max_req)
    max_req = pr->modules[i].requires.count;
    /* Each module is expanded once and `from` seeds the stack, so it never
     * holds more than (n + 1) * (max_req + 1) entries. */
    int *stack = bs_calloc((n + 1) * (max_req + 1), sizeof *stack);
    int *preds = bs_calloc(max_req + 1, sizeof *preds);
    bool *seen = bs_calloc(n, sizeof *seen);
    if (stack == NULL || preds == NULL || seen == NULL) {
        free(stack);
        free(preds);
        free(seen);
        return BS_ENOMEM;
    }
    size_t top = direct_preds(pr, from, stack);
    while (top > 0) {
        int y = stack[--top];
        if (seen[y])
            continue;
        seen[y] = true;
        if (pr->modules[y].is_live) {
            live[y] = true;
            if (self_paced_only)
                continue;
        } else {
            sp[y] = true;
        }
        size_t np = direct_preds(pr, (size_t)y, preds);
        for (size_t k = 0; k < np; k++)
            if (!seen[preds[k]])
                stack[top++] = preds[k];
    }
    free(stack);
    free(preds);
    free(seen);
    return BS_OK;
}

void bs__vgraph_free(graph *g)
{
    free(g->reach);
    free(g->near);
    free(g->sp);
    memset(g, 0, sizeof *g);
}

bs_rc bs__vgraph_build(const bs_program *pr, graph *g)
{
    size_t n = pr->n_modules;
    memset(g, 0, sizeof *g);
    g->n = n;
    g->reach = bs_calloc(n * n, sizeof *g->reach);
    g->near = bs_calloc(n * n, sizeof *g->near);
    g->sp = bs_calloc(n * n, sizeof *g->sp);
    bs_rc rc = g->reach && g->near && g->sp ? BS_OK : BS_ENOMEM;
    for (size_t i = 0; i < n && rc == BS_OK; i++) {
        /* Transitive predecessors: both kinds land in `reach`. */
        rc = walk(pr, i, false, &g->reach[i * n], &g->reach[i * n]);
        if (rc == BS_OK)
            rc = walk(pr, i, true, &g->near[i * n], &g->sp[i * n]);
    }
    if (rc != BS_OK)
        bs__vgraph_free(g);
    return rc;
}

/* ==== Rule 6: order, gaps, cadence ==== */

void bs__vcheck_order(vctx *x, const graph *graphs)
{
    const bs_problem *p = x->p;
    for (size_t c = 0; c < p->n_cohorts && x->rc == BS_OK; c++) {
        const bs_cohort *co = &p->cohorts[c];
        const bs_program *pr = &p->programs[co->program];
        const graph *g = &graphs[co->program];
        const int *mine = &x->byc[x->first[c]];
        size_t n = x->first[c + 1] - x->first[c];
        for (size_t u = 0; u < n; u++) {
            const bs_assignment *b = item(x, mine[u]);
            const bs_module *mb = &pr->modules[b->module];
            for (size_t v = 0; v < n; v++) {
                const bs_assignment *a = item(x, mine[v]);
                if (u == v)
                    continue;
                int pair[2] = {mine[v], mine[u]};
                char ae[40], bs[40];
                if (g->reach[(size_t)b->module * g->n + (size_t)a->module] && b->start < a->end)
                    bs__vreport(x, 6, pair, 2,
                                "\"%s\" starts at %s, before \"%s\", which it requires, "
                                "ends at %s",
                                mb->id, time_text(p, b->start, bs), pr->modules[a->module].id,
                                time_text(p, a->end, ae));
                if (mb->min_gap_days > 0 && g->near[(size_t)b->module * g->n + (size_t)a->module]) {
                    int64_t gap = local_date(p, b->start) - local_date(p, a->start);
                    if (gap < mb->min_gap_days)
                        bs__vreport(x, 6, pair, 2,
                                    "\"%s\" starts %lld day(s) after its nearest live predecessor "
                                    "\"%s\", min_gap_days is %d",
                                    mb->id, (long long)gap, pr->modules[a->module].id,
                                    mb->min_gap_days);
                }
            }
        }
        if (pr->model != BS_ROTATION || pr->cadence_days < 0 || n < 2)
            continue;
        /* Cadence: consecutive placed sessions in chronological order. */
        int *chrono = bs_calloc(n, sizeof *chrono), *tmp = bs_calloc(n, sizeof *tmp);
        if (chrono == NULL || tmp == NULL) {
            free(chrono);
            free(tmp);
            x->rc = BS_ENOMEM;
            return;
        }
        memcpy(chrono, mine, n * sizeof *chrono);
        bs__vsort_by_start(x->s, chrono, tmp, n);
        for (size_t u = 1; u < n; u++) {
            const bs_assignment *a = item(x, chrono[u - 1]), *b = item(x, chrono[u]);
            int64_t gap = local_date(p, b->start) - local_date(p, a->start);
            int pair[2] = {chrono[u - 1], chrono[u]};
            if (gap > pr->cadence_days)
                bs__vreport(x, 6, pair, 2,
                            "consecutive sessions of rotation cohort \"%s\" start %lld days apart, "
                            "cadence_days is %d",
                            co->id, (long long)gap, pr->cadence_days);
        }
        free(chrono);
        free(tmp);
    }
}

/* ==== Rule 7: self-paced prework ==== */

static bool has_completed(const bs_learner *l, int program, int module)
{
    for (size_t k = 0; k < l->n_completed; k++)
        if (l->completed[k].program == program && l->completed[k].module == module)
            return true;
    return false;
}

/* Checks one anchor of one placed live session b: `w` marks the modules of
 * W(a, b) (a = START when `a` is -1), study days run from day index
 * `from_day` to the day before b's start date. */
static void check_prework(vctx *x, size_t cohort, int b_item, int a_item, const bool *w,
                          int from_day)
{
    const bs_problem *p = x->p;
    const bs_cohort *c = &p->cohorts[cohort];
    const bs_program *pr = &p->programs[c->program];
    const bs_assignment *b = item(x, b_item);
    int b_day = bs_problem_day_of(p, b->start);
    if (b_day < 0 || from_day < 0)
        return; /* outside the day table: rule 1 has reported it */
    int study = bs_problem_study_days(p, from_day, b_day - 1);
    char from[16], to[16];
    format_date(day_civil(&p->days[from_day]), from, sizeof from);
    format_date(day_civil(&p->days[b_day]) - 1, to, sizeof to);
    const char *anchor =
        a_item < 0 ? "the cohort's start" : pr->modules[item(x, a_item)->module].id;
    int ids[2] = {a_item < 0 ? b_item : a_item, b_item};
    size_t n_ids = a_item < 0 ? 1 : 2;

    size_t n_learners = c->learners.count > 0 ? c->learners.count : 1;
    for (size_t k = 0; k < n_learners && x->rc == BS_OK; k++) {
        const bs_learner *l = c->learners.count > 0 ? &p->learners[c->learners.items[k]] : NULL;
        long per_day = l != NULL && l->self_paced_minutes_per_day >= 0
                           ? l->self_paced_minutes_per_day
                           : c->self_paced_minutes_per_day;
        long need = 0;
        char list[200] = "";
        size_t len = 0;
        for (size_t m = 0; m < pr->n_modules; m++) {
            if (!w[m] || (l != NULL && has_completed(l, c->program, (int)m)))
                continue;
            need += pr->modules[m].effort_minutes;
            if (len < sizeof list) {
                int wr = snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "",
                                  pr->modules[m].id);
                len += wr > 0 ? (size_t)wr : 0;
            }
        }
        if ((long)study * per_day >= need)
            continue;
        char who[120];
        if (l != NULL)
            snprintf(who, sizeof who, "learner \"%s\"", l->id);
        else
            snprintf(who, sizeof who, "cohort \"%s\" (no learners listed)", c->id);
        char since[120];
        if (a_item < 0)
            snprintf(since, sizeof since, "the cohort's start");
        else
            snprintf(since, sizeof since, "the end of \"%s\"", anchor);
        bs__vreport(x, 7, ids, n_ids,
                    "%s has %d study day(s) (%s to %s) x %ld minutes = %ld minutes between %s and "
                    "\"%s\", but the self-paced work due in between takes %ld minutes (%s)",
                    who, study, from, to, per_day, (long)study * per_day, since,
                    pr->modules[b->module].id, need, list);
    }
}

void bs__vcheck_prework_all(vctx *x, const graph *graphs)
{
    const bs_problem *p = x->p;
    for (size_t c = 0; c < p->n_cohorts && x->rc == BS_OK; c++) {
        const bs_cohort *co = &p->cohorts[c];
        const bs_program *pr = &p->programs[co->program];
        const graph *g = &graphs[co->program];
        const int *mine = &x->byc[x->first[c]];
        size_t n = x->first[c + 1] - x->first[c];
        bool *w = bs_calloc(pr->n_modules, sizeof *w);
        if (w == NULL) {
            x->rc = BS_ENOMEM;
            return;
        }
        for (size_t u = 0; u < n && x->rc == BS_OK; u++) {
            const bs_assignment *b = item(x, mine[u]);
            const bool *sp_b = &g->sp[(size_t)b->module * g->n];
            /* START: every self-paced module reached from b through
             * self-paced modules only. */
            check_prework(x, c, mine[u], -1, sp_b, co->start_day);
            for (size_t v = 0; v < n && x->rc == BS_OK; v++) {
                const bs_assignment *a = item(x, mine[v]);
                if (v == u)
                    continue;
                /* W(a, b): those of them that reach a the same way. */
                bool any = false;
                for (size_t m = 0; m < pr->n_modules; m++) {
                    w[m] = sp_b[m] && g->near[m * g->n + (size_t)a->module];
                    any |= w[m];
                }
                if (any)
                    check_prework(x, c, mine[u], mine[v], w, bs_problem_day_of(p, a->end - 1));
            }
        }
        free(w);
    }
}
