/**
 * @file isolated_cases.h
 * @brief Shared by the units of the phases that model `isolated`
 *        (test_lns.c, test_polish.c): a small instance whose cohorts,
 *        placed one by one, leave a learner's sessions apart, and the
 *        loading, solving and rule-checking helpers.
 */
#ifndef BS_TEST_ISOLATED_CASES_H
#define BS_TEST_ISOLATED_CASES_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "io/input.h"
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

/* Solve without the monolithic step (it leaves `isolated` out too), with
 * `lns` passes of coupled neighbourhoods and `polish` steps per chain. */
static bs_solution *solve_isolated(const bs_problem *p, int threads, int lns, long polish,
                                   unsigned long seed)
{
    bs_solve_opts o;
    bs_solve_opts_init(&o);
    o.threads = threads;
    o.monolithic_columns = 0;
    o.lns_passes = lns;
    o.polish_steps = polish;
    o.seed = seed;
    bs_solution *s = NULL;
    bs_report *r = NULL;
    bs_err err = {0};
    cr_assert_eq(bs_solver_run(p, &o, &s, &r, &err), BS_OK, "solve failed: %s", err.msg);
    bs_report_destroy(&r);
    return s;
}

/* Every session at the same start in the same room in both calendars. */
static void assert_same_placements(const bs_solution *one, const bs_solution *two)
{
    cr_assert_eq(one->count, two->count);
    for (size_t k = 0; k < one->count; k++) {
        cr_assert_eq(one->items[k].placed, two->items[k].placed, "session %zu", k);
        cr_assert_eq(one->items[k].start, two->items[k].start, "session %zu", k);
        cr_assert_eq(one->items[k].room, two->items[k].room, "session %zu", k);
    }
}

#endif
