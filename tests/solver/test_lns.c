/**
 * @file test_lns.c
 * @brief Units of the coupled neighbourhoods (solver/lns.c) and their
 *        `isolated` rows (solver/isolated.c): the phase finds the calendar
 *        the cohort-by-cohort rounds cannot see (a learner's sessions side
 *        by side, paid for with preference penalties), keeps every rule,
 *        and writes the same calendar on one and two threads.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/input.h"
#include "model/evaluate.h"
#include "model/verify.h"
#include "solver/solver.h"

/* One learner in three cohorts of one one-hour session each; every cohort
 * prefers a different hour, so placed alone each sits in its own hour with
 * a free hour between (isolated three times, 3 x 10). Side by side they
 * cost 1: one cohort leaves its preferred hour. */
static const char SPREAD_OUT[] =
    "{\"format\": \"blendsched/1\","
    " \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"timezone\": \"UTC\","
    "  \"slot_minutes\": 60, \"day_start\": \"09:00\", \"day_end\": \"14:00\"},"
    " \"rooms\": [{\"id\": \"r1\", \"site\": \"s\", \"capacity\": 10},"
    "            {\"id\": \"r2\", \"site\": \"s\", \"capacity\": 10}],"
    " \"instructors\": [{\"id\": \"t1\", \"sites\": [\"s\"]}, {\"id\": \"t2\", \"sites\": [\"s\"]},"
    "                  {\"id\": \"t3\", \"sites\": [\"s\"]}],"
    " \"programs\": [{\"id\": \"p\", \"model\": \"flex\", \"modules\": ["
    "   {\"id\": \"l1\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60}]}],"
    " \"cohorts\": ["
    "   {\"id\": \"a\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","
    "    \"end\": \"2027-01-04\", \"learners\": [\"l\"], \"instructors\": [\"t1\"],"
    "    \"preferred\": {\"days\": [\"mon\"], \"from\": \"09:00\", \"to\": \"10:00\"}},"
    "   {\"id\": \"b\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","
    "    \"end\": \"2027-01-04\", \"learners\": [\"l\"], \"instructors\": [\"t2\"],"
    "    \"preferred\": {\"days\": [\"mon\"], \"from\": \"11:00\", \"to\": \"12:00\"}},"
    "   {\"id\": \"c\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","
    "    \"end\": \"2027-01-04\", \"learners\": [\"l\"], \"instructors\": [\"t3\"],"
    "    \"preferred\": {\"days\": [\"mon\"], \"from\": \"13:00\", \"to\": \"14:00\"}}],"
    " \"learners\": [{\"id\": \"l\"}],"
    " \"objective\": {\"isolated\": 10, \"outside_preferred\": 1, \"room_change\": 0,"
    "               \"spread\": 0}}";

static bs_problem *load(const char *json)
{
    bs_problem *p = NULL;
    bs_messages errors = {0};
    bs_err err = {0};
    bs_rc rc = bs_input_load_buffer("test.json", json, strlen(json), &p, &errors, &err);
    for (size_t k = 0; k < errors.count; k++)
        fprintf(stderr, "%s\n", errors.items[k]);
    bs_messages_free(&errors);
    cr_assert_eq(rc, BS_OK, "input does not load: %s", err.msg);
    return p;
}

static bs_solution *solve(const bs_problem *p, int threads, int lns)
{
    bs_solve_opts o;
    bs_solve_opts_init(&o);
    o.threads = threads;
    o.monolithic_columns = 0; /* the monolithic step leaves isolated out too */
    o.lns_passes = lns;
    bs_solution *s = NULL;
    bs_report *r = NULL;
    bs_err err = {0};
    cr_assert_eq(bs_solver_run(p, &o, &s, &r, &err), BS_OK, "solve failed: %s", err.msg);
    bs_report_destroy(&r);
    return s;
}

static size_t violations(const bs_problem *p, const bs_solution *s)
{
    bs_violations v = {0};
    cr_assert_eq(bs_verify(p, s, &v), BS_OK);
    size_t n = v.count;
    for (size_t k = 0; k < v.count; k++)
        fprintf(stderr, "violation: rule %d: %s\n", v.items[k].rule, v.items[k].message);
    bs_violations_free(&v);
    return n;
}

Test(lns, puts_a_learners_sessions_side_by_side)
{
    bs_problem *p = load(SPREAD_OUT);
    bs_solution *rounds = solve(p, 2, 0);
    cr_assert_eq(violations(p, rounds), 0);
    /* the premise: without the phase each cohort keeps its own hour */
    cr_assert_float_eq(rounds->objective.isolated, 30, 1e-9, "isolated %g without --lns",
                       rounds->objective.isolated);
    bs_solution *lns = solve(p, 2, 3);
    cr_assert_eq(violations(p, lns), 0);
    cr_assert_eq(lns->status, BS_STATUS_COMPLETE);
    cr_assert_float_eq(lns->objective.isolated, 0, 1e-9, "isolated %g with --lns",
                       lns->objective.isolated);
    /* the optimum: three hours in a row holding two cohorts' preferred
     * hours (9-12 or 11-14), the third cohort between or beside them */
    cr_assert_float_eq(lns->objective.total, 1, 1e-9, "total %g", lns->objective.total);
    bs_solution_destroy(&rounds);
    bs_solution_destroy(&lns);
    bs_problem_destroy(&p);
}

Test(lns, one_and_two_threads_give_the_same_calendar)
{
    bs_problem *p = load(SPREAD_OUT);
    bs_solution *one = solve(p, 1, 3), *two = solve(p, 2, 3);
    cr_assert_eq(one->count, two->count);
    for (size_t k = 0; k < one->count; k++) {
        cr_assert_eq(one->items[k].placed, two->items[k].placed);
        cr_assert_eq(one->items[k].start, two->items[k].start, "session %zu", k);
        cr_assert_eq(one->items[k].room, two->items[k].room, "session %zu", k);
    }
    bs_solution_destroy(&one);
    bs_solution_destroy(&two);
    bs_problem_destroy(&p);
}
