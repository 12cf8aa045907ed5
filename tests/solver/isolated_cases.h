/**
 * @file isolated_cases.h
 * @brief Shared by the units of the phases that model `isolated`
 *        (test_lns.c, test_polish.c): a small instance whose cohorts,
 *        placed one by one, leave a learner's sessions apart, and the
 *        loading, solving and rule-checking helpers.
 */
#ifndef BS_TEST_ISOLATED_CASES_H
#define BS_TEST_ISOLATED_CASES_H

#include "tests/solver/solve_util.h"

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
    return load_json(json);
}

/* Every finding of verify counts, the objective's too. */
static size_t violations(const bs_problem *p, const bs_solution *s)
{
    return violations_of(p, s, true);
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
    return run_solver(p, &o, NULL);
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
