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
#include "tests/solver/isolated_cases.h"

static bs_solution *solve(const bs_problem *p, int threads, int lns)
{
    return solve_isolated(p, threads, lns, 0, 1);
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

/* Four copies of SPREAD_OUT at four sites (own room, own instructors, own
 * learner): the neighbourhoods of different copies are disjoint, so the
 * phase solves several in one parallel batch and merges them in order
 * (batch.c, bs__engine_try_groups). Each copy ends at 1 as alone. */
static const char FOUR_SITES[] =
    "{\"format\": \"blendsched/1\", \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"timez"
    "one\": \"UTC\", \"slot_minutes\": 60, \"day_start\": \"09:00\", \"day_end\": \"14:00\"}, \"rooms\": [{\"id"
    "\": \"r1\", \"site\": \"s1\", \"capacity\": 10}, {\"id\": \"r2\", \"site\": \"s2\", \"capacity\": 10}, {\"id\":"
    " \"r3\", \"site\": \"s3\", \"capacity\": 10}, {\"id\": \"r4\", \"site\": \"s4\", \"capacity\": 10}], \"instru"
    "ctors\": [{\"id\": \"t1a\", \"sites\": [\"s1\"]}, {\"id\": \"t1b\", \"sites\": [\"s1\"]}, {\"id\": \"t1c\", \"si"
    "tes\": [\"s1\"]}, {\"id\": \"t2a\", \"sites\": [\"s2\"]}, {\"id\": \"t2b\", \"sites\": [\"s2\"]}, {\"id\": \"t2c"
    "\", \"sites\": [\"s2\"]}, {\"id\": \"t3a\", \"sites\": [\"s3\"]}, {\"id\": \"t3b\", \"sites\": [\"s3\"]}, {\"id\""
    ": \"t3c\", \"sites\": [\"s3\"]}, {\"id\": \"t4a\", \"sites\": [\"s4\"]}, {\"id\": \"t4b\", \"sites\": [\"s4\"]},"
    " {\"id\": \"t4c\", \"sites\": [\"s4\"]}], \"programs\": [{\"id\": \"p\", \"model\": \"flex\", \"modules\": [{\""
    "id\": \"l1\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60}]}], \"cohorts\": [{\""
    "id\": \"a1\", \"program\": \"p\", \"site\": \"s1\", \"start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"lear"
    "ners\": [\"l1\"], \"instructors\": [\"t1a\"], \"preferred\": {\"days\": [\"mon\"], \"from\": \"09:00\", \"to"
    "\": \"10:00\"}}, {\"id\": \"b1\", \"program\": \"p\", \"site\": \"s1\", \"start\": \"2027-01-04\", \"end\": \"20"
    "27-01-04\", \"learners\": [\"l1\"], \"instructors\": [\"t1b\"], \"preferred\": {\"days\": [\"mon\"], \"fro"
    "m\": \"11:00\", \"to\": \"12:00\"}}, {\"id\": \"c1\", \"program\": \"p\", \"site\": \"s1\", \"start\": \"2027-01"
    "-04\", \"end\": \"2027-01-04\", \"learners\": [\"l1\"], \"instructors\": [\"t1c\"], \"preferred\": {\"days"
    "\": [\"mon\"], \"from\": \"13:00\", \"to\": \"14:00\"}}, {\"id\": \"a2\", \"program\": \"p\", \"site\": \"s2\", \""
    "start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"learners\": [\"l2\"], \"instructors\": [\"t2a\"], \"pr"
    "eferred\": {\"days\": [\"mon\"], \"from\": \"09:00\", \"to\": \"10:00\"}}, {\"id\": \"b2\", \"program\": \"p\","
    " \"site\": \"s2\", \"start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"learners\": [\"l2\"], \"instructor"
    "s\": [\"t2b\"], \"preferred\": {\"days\": [\"mon\"], \"from\": \"11:00\", \"to\": \"12:00\"}}, {\"id\": \"c2\","
    " \"program\": \"p\", \"site\": \"s2\", \"start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"learners\": [\"l"
    "2\"], \"instructors\": [\"t2c\"], \"preferred\": {\"days\": [\"mon\"], \"from\": \"13:00\", \"to\": \"14:00\""
    "}}, {\"id\": \"a3\", \"program\": \"p\", \"site\": \"s3\", \"start\": \"2027-01-04\", \"end\": \"2027-01-04\","
    " \"learners\": [\"l3\"], \"instructors\": [\"t3a\"], \"preferred\": {\"days\": [\"mon\"], \"from\": \"09:00"
    "\", \"to\": \"10:00\"}}, {\"id\": \"b3\", \"program\": \"p\", \"site\": \"s3\", \"start\": \"2027-01-04\", \"end"
    "\": \"2027-01-04\", \"learners\": [\"l3\"], \"instructors\": [\"t3b\"], \"preferred\": {\"days\": [\"mon\"]"
    ", \"from\": \"11:00\", \"to\": \"12:00\"}}, {\"id\": \"c3\", \"program\": \"p\", \"site\": \"s3\", \"start\": \"2"
    "027-01-04\", \"end\": \"2027-01-04\", \"learners\": [\"l3\"], \"instructors\": [\"t3c\"], \"preferred\": "
    "{\"days\": [\"mon\"], \"from\": \"13:00\", \"to\": \"14:00\"}}, {\"id\": \"a4\", \"program\": \"p\", \"site\": \""
    "s4\", \"start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"learners\": [\"l4\"], \"instructors\": [\"t4a\""
    "], \"preferred\": {\"days\": [\"mon\"], \"from\": \"09:00\", \"to\": \"10:00\"}}, {\"id\": \"b4\", \"program\""
    ": \"p\", \"site\": \"s4\", \"start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"learners\": [\"l4\"], \"inst"
    "ructors\": [\"t4b\"], \"preferred\": {\"days\": [\"mon\"], \"from\": \"11:00\", \"to\": \"12:00\"}}, {\"id\":"
    " \"c4\", \"program\": \"p\", \"site\": \"s4\", \"start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"learners"
    "\": [\"l4\"], \"instructors\": [\"t4c\"], \"preferred\": {\"days\": [\"mon\"], \"from\": \"13:00\", \"to\": \""
    "14:00\"}}], \"learners\": [{\"id\": \"l1\"}, {\"id\": \"l2\"}, {\"id\": \"l3\"}, {\"id\": \"l4\"}], \"objectiv"
    "e\": {\"isolated\": 10, \"outside_preferred\": 1, \"room_change\": 0, \"spread\": 0}}";

Test(lns, parallel_batches_merge_disjoint_neighbourhoods)
{
    bs_problem *p = load(FOUR_SITES);
    bs_solution *one = solve(p, 1, 3), *two = solve(p, 2, 3);
    cr_assert_eq(violations(p, two), 0);
    cr_assert_eq(two->status, BS_STATUS_COMPLETE);
    cr_assert_float_eq(two->objective.isolated, 0, 1e-9, "isolated %g", two->objective.isolated);
    cr_assert_float_eq(two->objective.total, 4, 1e-9, "total %g", two->objective.total);
    assert_same_placements(one, two);
    bs_solution_destroy(&one);
    bs_solution_destroy(&two);
    bs_problem_destroy(&p);
}
