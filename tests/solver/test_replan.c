/**
 * @file test_replan.c
 * @brief Units of re-planning: after an instructor is removed, the engine's
 *        count of changes against the baseline is minimal, proven by an
 *        exhaustive search over every calendar of the grid checked by the
 *        independent verifier; and the change budget is kept.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/compare_write.h"
#include "io/input.h"
#include "model/baseline.h"
#include "model/verify.h"
#include "solver/solver.h"
#include "tests/solver/solve_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIR "fixtures/replan/instructor-removed/"

static bs_problem *load(const char *path)
{
    bs_problem *p = NULL;
    bs_messages errors = {0};
    bs_err err = {0};
    bs_rc rc = bs_input_load_file(path, 0, &p, &errors, &err);
    bs_messages_free(&errors);
    cr_assert_eq(rc, BS_OK, "%s does not load: %s", path, err.msg);
    return p;
}

static bs_baseline *load_baseline(const bs_problem *p, const char *path)
{
    bs_flat_calendar *flat = NULL;
    bs_messages errors = {0};
    bs_err err = {0};
    cr_assert_eq(bs_flat_read_calendar_file(path, 0, &flat, &errors, &err), BS_OK);
    bs_messages_free(&errors);
    bs_baseline *b = NULL;
    cr_assert_eq(bs_baseline_create(p, flat, &b), BS_OK);
    bs_flat_destroy(&flat);
    return b;
}

static bs_solution *solve(const bs_problem *p, const bs_baseline *b, long max_changes, int threads)
{
    bs_solve_opts o;
    bs_solve_opts_init(&o);
    o.threads = threads;
    o.baseline = b;
    o.max_changes = max_changes;
    return run_solver(p, &o, NULL);
}

static size_t hard_violations(const bs_problem *p, const bs_solution *s)
{
    return violations_of(p, s, false);
}

/* One placement of a one-instructor session: a grid start, a room, an
 * instructor; with what it costs against the baseline. */
typedef struct option {
    bs_time start;
    int room, instructor;
    bool change;
    double cost;
} option;

typedef struct search {
    const bs_problem *p;
    bs_solution *cal;
    option *opt[8];
    size_t n_opt[8];
    bool *compat[8][8]; /* [a][b][i * n_opt[b] + j]: options i of a and j of b together */
    size_t n;
    int chosen[8];
    int best_changes;
    double best_cost;
    size_t leaves, complete;
    bool count_only; /* keep the bounds: count every calendar within them */
    int min_found;
} search;

static void place(bs_solution *cal, size_t s, const option *o, int duration)
{
    bs_assignment *a = &cal->items[s];
    a->placed = o != NULL;
    if (o == NULL)
        return;
    a->start = o->start;
    a->end = o->start + duration;
    a->room = o->room;
    a->instructors.count = 1;
    a->instructors.items[0] = o->instructor;
}

static int duration_of(const bs_problem *p, const bs_assignment *a)
{
    return p->programs[p->cohorts[a->cohort].program].modules[a->module].duration_minutes;
}

/* Depth-first over sessions; a branch dies when a pair clashes (every rule
 * of this fixture is about one session or a pair: no minute limits, no
 * cadence) or when it can beat neither the engine's change count nor its
 * cost. Every complete calendar reached is checked by bs_verify whole. */
static void dfs(search *x, size_t depth, int changes, double cost)
{
    if (changes >= x->best_changes && cost >= x->best_cost - 1e-9)
        return;
    if (depth == x->n) {
        x->leaves++;
        for (size_t s = 0; s < x->n; s++)
            place(x->cal, s, &x->opt[s][x->chosen[s]], duration_of(x->p, &x->cal->items[s]));
        if (hard_violations(x->p, x->cal) == 0) {
            x->complete++;
            if (changes < x->min_found)
                x->min_found = changes;
            if (x->count_only)
                return;
            if (changes < x->best_changes)
                x->best_changes = changes;
            if (cost < x->best_cost)
                x->best_cost = cost;
        }
        return;
    }
    for (size_t i = 0; i < x->n_opt[depth]; i++) {
        bool ok = true;
        for (size_t q = 0; q < depth && ok; q++)
            ok = x->compat[q][depth][(size_t)x->chosen[q] * x->n_opt[depth] + i];
        if (!ok)
            continue;
        x->chosen[depth] = (int)i;
        const option *o = &x->opt[depth][i];
        dfs(x, depth + 1, changes + o->change, cost + o->cost);
    }
}

Test(replan, change_count_after_removing_an_instructor_is_minimal)
{
    bs_problem *p = load(DIR "input.json");
    bs_baseline *b = load_baseline(p, DIR "baseline.json");
    bs_solution *s = solve(p, b, -1, 2);
    cr_assert_eq(hard_violations(p, s), 0);
    int engine_changes = 0;
    for (size_t k = 0; k < s->count; k++) {
        cr_assert(s->items[k].placed, "the engine's calendar is complete");
        engine_changes +=
            s->items[k].change == BS_CHANGE_MOVED || s->items[k].change == BS_CHANGE_REASSIGNED;
    }
    cr_assert_eq(engine_changes, 4, "2 reassigned and 2 displaced sessions moved");
    /* the bound counts the two reassignments ana's absence forces */
    cr_assert(s->has_bound);
    cr_assert_float_eq(s->bound, 2 * p->weights.reassigned, 1e-9, "bound %g", s->bound);

    search x = {
        .p = p, .n = s->count, .best_changes = engine_changes, .best_cost = s->objective.total};
    cr_assert_leq(x.n, 8);
    cr_assert_eq(bs_solution_create(p, &x.cal), BS_OK);
    for (size_t q = 0; q < x.n; q++)
        x.cal->items[q].instructors.items = calloc(1, sizeof(int));
    /* every grid start x room x instructor, kept when the session alone
     * keeps every rule there (independent of the engine's domains) */
    for (size_t q = 0; q < x.n; q++) {
        x.opt[q] = calloc(p->n_slots * p->n_rooms * p->n_instructors + 1, sizeof(option));
        int dur = duration_of(p, &x.cal->items[q]);
        for (size_t t = 0; t < p->n_slots; t++)
            for (int r = 0; r < (int)p->n_rooms; r++)
                for (int i = 0; i < (int)p->n_instructors; i++) {
                    option o = {p->slots[t].start, r, i, false, 0};
                    for (size_t u = 0; u < x.n; u++)
                        x.cal->items[u].placed = false;
                    place(x.cal, q, &o, dur);
                    if (hard_violations(p, x.cal) != 0)
                        continue;
                    bs_change c = bs_baseline_change_of(b, q, o.start, r, &i, 1);
                    o.change = c == BS_CHANGE_MOVED || c == BS_CHANGE_REASSIGNED;
                    o.cost = c == BS_CHANGE_MOVED        ? p->weights.moved
                             : c == BS_CHANGE_REASSIGNED ? p->weights.reassigned
                                                         : 0;
                    x.opt[q][x.n_opt[q]++] = o;
                }
        cr_assert_gt(x.n_opt[q], 0);
    }
    /* pairwise compatibility, by the verifier */
    for (size_t a = 0; a < x.n; a++)
        for (size_t c = a + 1; c < x.n; c++) {
            x.compat[a][c] = calloc(x.n_opt[a] * x.n_opt[c], sizeof(bool));
            for (size_t u = 0; u < x.n; u++)
                x.cal->items[u].placed = false;
            for (size_t i = 0; i < x.n_opt[a]; i++) {
                place(x.cal, a, &x.opt[a][i], duration_of(p, &x.cal->items[a]));
                for (size_t j = 0; j < x.n_opt[c]; j++) {
                    place(x.cal, c, &x.opt[c][j], duration_of(p, &x.cal->items[c]));
                    x.compat[a][c][i * x.n_opt[c] + j] = hard_violations(p, x.cal) == 0;
                }
            }
            place(x.cal, a, NULL, 0);
            place(x.cal, c, NULL, 0);
        }
    /* 1. nothing beats the engine: fewer changes, or a lower change cost */
    dfs(&x, 0, 0, 0);
    cr_assert_eq(x.best_changes, engine_changes,
                 "a complete calendar with %d changes exists; the engine made %d", x.best_changes,
                 engine_changes);
    cr_assert_float_eq(x.best_cost, s->objective.total, 1e-9,
                       "a complete calendar costs %g; the engine's %g", x.best_cost,
                       s->objective.total);
    /* 2. the search is not vacuous: it reaches calendars with that many
     * changes, and finds the minimum of them is that count */
    x.best_changes = engine_changes + 1;
    x.best_cost = -1e18;
    x.complete = x.leaves = 0;
    x.count_only = true;
    x.min_found = 1 << 30;
    dfs(&x, 0, 0, 0);
    cr_log_info("exhaustive search: %zu complete calendars with <= %d changes, the fewest %d",
                x.complete, engine_changes, x.min_found);
    cr_assert_gt(x.complete, 0);
    cr_assert_eq(x.min_found, engine_changes);
    /* only c1's sessions (ana's) are reassigned; what moves is what they displace */
    for (size_t k = 0; k < s->count; k++) {
        const bs_assignment *a = &s->items[k];
        if (a->cohort == 0)
            cr_assert_eq(a->change, BS_CHANGE_REASSIGNED);
        else
            cr_assert(a->change == BS_CHANGE_NONE || a->change == BS_CHANGE_MOVED);
    }
    for (size_t a = 0; a < x.n; a++) {
        free(x.opt[a]);
        for (size_t c = 0; c < x.n; c++)
            free(x.compat[a][c]);
    }
    bs_solution_destroy(&x.cal);
    bs_solution_destroy(&s);
    bs_baseline_destroy(&b);
    bs_problem_destroy(&p);
}

Test(replan, budget_is_kept_and_output_is_thread_independent)
{
    bs_problem *p = load(DIR "input.json");
    bs_baseline *b = load_baseline(p, DIR "baseline.json");
    for (long k = 0; k <= 4; k++) {
        bs_solution *s1 = solve(p, b, k, 1), *s2 = solve(p, b, k, 2);
        cr_assert_eq(hard_violations(p, s2), 0);
        long changes = 0;
        size_t placed = 0;
        for (size_t i = 0; i < s2->count; i++) {
            const bs_assignment *a = &s2->items[i];
            changes += a->change == BS_CHANGE_MOVED || a->change == BS_CHANGE_REASSIGNED;
            placed += a->placed;
            cr_assert_eq(a->placed, s1->items[i].placed);
            cr_assert_eq(a->start, s1->items[i].start);
            cr_assert_eq(a->room, s1->items[i].room);
            cr_assert_eq(a->change, s1->items[i].change);
        }
        cr_assert_leq(changes, k, "budget %ld, %ld changes", k, changes);
        /* each c1 session costs two changes: budgets below 4 leave some out */
        cr_assert_eq(placed, (size_t)(4 + k / 2), "budget %ld places %zu", k, placed);
        bs_violations v = {0};
        cr_assert_eq(bs_baseline_verify(p, b, s2, k, &v), BS_OK);
        cr_assert_eq(v.count, 0, "%s", v.count ? v.items[0].message : "");
        bs_violations_free(&v);
        bs_solution_destroy(&s1);
        bs_solution_destroy(&s2);
    }
    bs_baseline_destroy(&b);
    bs_problem_destroy(&p);
}

Test(replan, verifier_catches_marks_and_budget)
{
    bs_problem *p = load(DIR "input.json");
    bs_baseline *b = load_baseline(p, DIR "baseline.json");
    bs_solution *s = solve(p, b, -1, 1);
    bs_violations v = {0};
    cr_assert_eq(bs_baseline_verify(p, b, s, 3, &v), BS_OK);
    cr_assert_eq(v.count, 1, "4 changes are over a budget of 3");
    cr_assert_eq(v.items[0].rule, BS_RULE_CHANGE);
    bs_violations_free(&v);
    s->items[0].change = BS_CHANGE_NONE;
    cr_assert_eq(bs_baseline_verify(p, b, s, -1, &v), BS_OK);
    cr_assert_eq(v.count, 1, "a wrong mark");
    cr_assert(strstr(v.items[0].message, "marked null") != NULL, "%s", v.items[0].message);
    bs_violations_free(&v);
    bs_solution_destroy(&s);
    bs_baseline_destroy(&b);
    bs_problem_destroy(&p);
}
