/**
 * @file test_solver.c
 * @brief Units of the placement engine: its calendars keep every rule
 *        (checked by the independent verifier), its optimum equals an
 *        exhaustive search on instances small enough to enumerate, and its
 *        output does not depend on the thread count.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/calendar_write.h"
#include "io/input.h"
#include "model/domain.h"
#include "model/evaluate.h"
#include "model/verify.h"
#include "solver/solver.h"
#include "tests/solver/solve_util.h"

static bs_problem *load(const char *json)
{
    return load_json(json);
}

static bs_solution *solve(const bs_problem *p, int threads, int monolithic, bs_report **report)
{
    bs_solve_opts o;
    bs_solve_opts_init(&o);
    o.threads = threads;
    o.monolithic_columns = monolithic;
    return run_solver(p, &o, report);
}

/* Rule violations only: the recorded objective is not what these check. */
static size_t violations(const bs_problem *p, const bs_solution *s)
{
    return violations_of(p, s, false);
}

/* Two cohorts sharing a learner and the one instructor, three days of two
 * one-hour slots, a prework day before the second session of each: few
 * enough placements to enumerate every calendar. */
static const char TINY[] =
    "{\"format\": \"blendsched/1\","
    " \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-06\", \"timezone\": \"UTC\","
    "  \"slot_minutes\": 60, \"day_start\": \"09:00\", \"day_end\": \"11:00\"},"
    " \"rooms\": [{\"id\": \"r1\", \"site\": \"s\", \"capacity\": 10},"
    "            {\"id\": \"r2\", \"site\": \"s\", \"capacity\": 10, \"cost_per_hour\": 3}],"
    " \"instructors\": [{\"id\": \"ana\", \"skills\": [\"x\"], \"sites\": [\"s\"]},"
    "                  {\"id\": \"bo\", \"skills\": [\"x\"], \"sites\": [\"s\"], \"cost_per_hour\": 2}],"
    " \"programs\": [{\"id\": \"p\", \"model\": \"flipped\", \"modules\": ["
    "   {\"id\": \"l1\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60,"
    "    \"skills\": [\"x\"]},"
    "   {\"id\": \"read\", \"kind\": \"self_paced\", \"effort_minutes\": 60, \"requires\": [\"l1\"]},"
    "   {\"id\": \"l2\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60,"
    "    \"skills\": [\"x\"], \"requires\": [\"read\"]}]}],"
    " \"cohorts\": ["
    "   {\"id\": \"a\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","
    "    \"end\": \"2027-01-06\", \"learners\": [\"l\"],"
    "    \"preferred\": {\"days\": [\"mon\", \"wed\"], \"from\": \"09:00\", \"to\": \"10:00\"}},"
    "   {\"id\": \"b\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","
    "    \"end\": \"2027-01-06\", \"learners\": [\"l\", \"m\"]}],"
    " \"learners\": [{\"id\": \"l\"}, {\"id\": \"m\"}],"
    " \"objective\": {\"cost\": 1}}";

/* Every placement of one session: each slot x room x instructor, or none. */
typedef struct option {
    bool placed;
    bs_time start;
    int room, instructor;
} option;

Test(solver, optimum_equals_exhaustive_search)
{
    bs_problem *p = load(TINY);
    bs_report *report = NULL;
    bs_solution *s = solve(p, 2, 20000, &report);
    cr_assert_eq(violations(p, s), 0);
    double found = s->objective.total;

    /* enumerate all calendars: 4 sessions, each unplaced or at one of
     * 6 slots x 2 rooms x 2 instructors */
    size_t n_opt = 1 + p->n_slots * p->n_rooms * p->n_instructors;
    option *opt = calloc(n_opt, sizeof *opt);
    size_t k = 1;
    for (size_t t = 0; t < p->n_slots; t++)
        for (int r = 0; r < (int)p->n_rooms; r++)
            for (int i = 0; i < (int)p->n_instructors; i++)
                opt[k++] = (option){true, p->slots[t].start, r, i};
    bs_solution *e = NULL;
    cr_assert_eq(bs_solution_create(p, &e), BS_OK);
    cr_assert_eq(e->count, 4);
    for (size_t q = 0; q < e->count; q++) {
        e->items[q].instructors.items = calloc(1, sizeof(int));
    }
    /* options each session keeps alone (the rest unplaced): the only ones
     * that can appear in a feasible calendar */
    size_t *alone[4], n_alone[4];
    for (size_t q = 0; q < 4; q++) {
        alone[q] = calloc(n_opt, sizeof(size_t));
        n_alone[q] = 0;
        for (size_t c = 0; c < n_opt; c++) {
            for (size_t x = 0; x < 4; x++)
                e->items[x].placed = false;
            const option *o = &opt[c];
            bs_assignment *a = &e->items[q];
            a->placed = o->placed;
            a->start = o->start;
            a->end = o->start + 60;
            a->room = o->placed ? o->room : -1;
            a->instructors.count = o->placed ? 1 : 0;
            a->instructors.items[0] = o->instructor;
            bs_violations v = {0};
            cr_assert_eq(bs_verify(p, e, &v), BS_OK);
            size_t hard = 0;
            for (size_t r = 0; r < v.count; r++)
                hard += v.items[r].rule != BS_RULE_OBJECTIVE;
            bs_violations_free(&v);
            if (hard == 0)
                alone[q][n_alone[q]++] = c;
        }
        cr_assert_gt(n_alone[q], 1);
    }
    double best = 1e18;
    size_t pos[4] = {0};
    size_t feasible = 0;
    for (;;) {
        size_t choice[4];
        for (size_t q = 0; q < 4; q++)
            choice[q] = alone[q][pos[q]];
        for (size_t q = 0; q < 4; q++) {
            const option *o = &opt[choice[q]];
            bs_assignment *a = &e->items[q];
            a->placed = o->placed;
            a->start = o->start;
            a->end = o->start + 60;
            a->room = o->placed ? o->room : -1;
            a->instructors.count = o->placed ? 1 : 0;
            a->instructors.items[0] = o->instructor;
        }
        bs_violations v = {0};
        cr_assert_eq(bs_verify(p, e, &v), BS_OK);
        size_t hard = 0;
        for (size_t q = 0; q < v.count; q++)
            hard += v.items[q].rule != BS_RULE_OBJECTIVE;
        bs_violations_free(&v);
        if (hard == 0) {
            bs_objective obj;
            cr_assert_eq(bs_evaluate_objective(p, e, &obj), BS_OK);
            feasible++;
            if (obj.total < best)
                best = obj.total;
        }
        size_t q = 0;
        while (q < 4 && ++pos[q] == n_alone[q])
            pos[q++] = 0;
        if (q == 4)
            break;
    }
    for (size_t q = 0; q < 4; q++)
        free(alone[q]);
    cr_assert_gt(feasible, 1);
    cr_assert_float_eq(found, best, 1e-9, "engine %g, exhaustive optimum %g", found, best);
    cr_assert(s->has_bound);
    cr_assert_leq(s->bound, found + 1e-9);
    free(opt);
    bs_solution_destroy(&e);
    bs_solution_destroy(&s);
    bs_report_destroy(&report);
    bs_problem_destroy(&p);
}

Test(solver, decomposition_matches_the_monolithic_optimum_on_the_tiny_case)
{
    bs_problem *p = load(TINY);
    bs_report *r1 = NULL, *r2 = NULL;
    bs_solution *mono = solve(p, 1, 1000000, &r1);
    bs_solution *deco = solve(p, 1, 0, &r2);
    cr_assert_eq(violations(p, deco), 0);
    cr_assert_float_eq(mono->objective.total, deco->objective.total, 1e-9);
    bs_solution_destroy(&mono);
    bs_solution_destroy(&deco);
    bs_report_destroy(&r1);
    bs_report_destroy(&r2);
    bs_problem_destroy(&p);
}

static char *calendar_text(const bs_problem *p, const bs_solution *s, const bs_report *r)
{
    bs_buf b;
    bs_buf_init(&b);
    cr_assert_eq(bs_calendar_write_json(p, s, &b), BS_OK);
    cr_assert_eq(bs_report_write_json(p, r, &b), BS_OK);
    return b.data;
}

Test(solver, output_is_the_same_for_one_and_two_threads)
{
    bs_problem *p = load(TINY);
    bs_report *r1 = NULL, *r2 = NULL;
    bs_solution *s1 = solve(p, 1, 0, &r1);
    bs_solution *s2 = solve(p, 2, 0, &r2);
    char *t1 = calendar_text(p, s1, r1), *t2 = calendar_text(p, s2, r2);
    cr_assert_str_eq(t1, t2);
    free(t1);
    free(t2);
    bs_solution_destroy(&s1);
    bs_solution_destroy(&s2);
    bs_report_destroy(&r1);
    bs_report_destroy(&r2);
    bs_problem_destroy(&p);
}

Test(solver, a_session_nobody_can_teach_is_reported_with_its_reason)
{
    /* the same tiny case, with skill "x" required but instructors knowing "y" */
    char *json = strdup(TINY);
    for (char *c = strstr(json, "\"skills\": [\"x\"], \"sites\""); c;
         c = strstr(c + 1, "\"skills\": [\"x\"], \"sites\""))
        c[12] = 'y';
    bs_problem *p = load(json);
    bs_report *r = NULL;
    bs_solution *s = solve(p, 1, 0, &r);
    cr_assert_eq(s->status, BS_STATUS_PARTIAL);
    cr_assert_eq(r->n_unplaced, 4);
    for (size_t k = 0; k < r->n_unplaced; k++)
        cr_assert_eq(r->unplaced[k].reason, BS_REASON_NO_QUALIFIED_INSTRUCTOR);
    cr_assert_float_eq(s->objective.unplaced, 4 * 10000.0, 1e-9);
    bs_solution_destroy(&s);
    bs_report_destroy(&r);
    bs_problem_destroy(&p);
    free(json);
}

/* Regression: rotation cadence binds between the sessions around an
 * unplaced one (they become chronologically consecutive). m2 cannot be
 * taught; m1 is on Monday 01-04; m3 would rather be on a Friday or a Monday,
 * both more than cadence_days after m1. */
Test(solver, cadence_binds_across_an_unplaced_rotation_session)
{
    static const char json[] =
        "{\"format\": \"blendsched/1\","
        " \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-15\", \"timezone\": \"UTC\","
        "  \"slot_minutes\": 60, \"day_start\": \"09:00\", \"day_end\": \"11:00\"},"
        " \"rooms\": [{\"id\": \"v\", \"virtual\": true, \"capacity\": 50}],"
        " \"instructors\": [{\"id\": \"ana\", \"skills\": [\"x\"]}],"
        " \"programs\": [{\"id\": \"p\", \"model\": \"rotation\", \"cadence_days\": 3, \"modules\": ["
        "   {\"id\": \"m1\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": 60,"
        "    \"skills\": [\"x\"], \"window\": {\"from_day\": 0, \"to_day\": 0}},"
        "   {\"id\": \"m2\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": 60,"
        "    \"skills\": [\"nobody\"]},"
        "   {\"id\": \"m3\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": 60,"
        "    \"skills\": [\"x\"]}]}],"
        " \"cohorts\": [{\"id\": \"c\", \"program\": \"p\", \"start\": \"2027-01-04\","
        "   \"end\": \"2027-01-15\","
        "   \"preferred\": {\"days\": [\"fri\"], \"from\": \"09:00\", \"to\": \"11:00\"}}]}";
    bs_problem *p = load(json);
    bs_report *r = NULL;
    bs_solution *s = solve(p, 1, 20000, &r);
    cr_assert_eq(violations(p, s), 0);
    cr_assert_eq(r->n_unplaced, 1);
    cr_assert_eq(r->unplaced[0].reason, BS_REASON_NO_QUALIFIED_INSTRUCTOR);
    cr_assert(s->items[0].placed && s->items[2].placed);
    cr_assert_leq(s->items[2].start - s->items[0].start, 3 * 1440 + 120);
    bs_solution_destroy(&s);
    bs_report_destroy(&r);
    bs_problem_destroy(&p);
}
