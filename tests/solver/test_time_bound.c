/**
 * @file test_time_bound.c
 * @brief Units of the time part of the cohort bound (solver/time_bound.c,
 *        used by solver/bound.c): rhythm and outside-preferred penalties
 *        that a cohort's order forces are in its bound, the bound never
 *        exceeds what a solve reaches, and the order the engine only
 *        assumes (unordered rotations) never tightens it.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/input.h"
#include "solver/internal.h"

/* One cohort, one week of three one-hour slots a day (09:00-12:00, UTC),
 * three live virtual sessions; PROGRAM is the program's model and flags,
 * MODULE3 the third module's extra keys, COHORT the cohort's. */
#define ONE_COHORT_M1(PROGRAM, MODULE1, MODULE3, COHORT)                                           \
    "{\"format\": \"blendsched/1\","                                                               \
    " \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-08\", \"timezone\": \"UTC\","   \
    "  \"slot_minutes\": 60, \"day_start\": \"09:00\", \"day_end\": \"12:00\"},"                   \
    " \"instructors\": [{\"id\": \"t1\"}],"                                                        \
    " \"programs\": [{\"id\": \"p\", " PROGRAM ", \"modules\": ["                                  \
    "   {\"id\": \"m1\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": "        \
    "60" MODULE1 "},"                                                                              \
    "   {\"id\": \"m2\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": 60,"     \
    "    \"min_gap_days\": 1},"                                                                    \
    "   {\"id\": \"m3\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": "        \
    "60" MODULE3 "}]}],"                                                                           \
    " \"cohorts\": [{\"id\": \"c\", \"program\": \"p\", \"start\": \"2027-01-04\","                \
    "   \"size\": 5 " COHORT "}],"                                                                 \
    " \"objective\": {\"spread\": 0, \"rhythm\": 10, \"outside_preferred\": 5}}"
#define ONE_COHORT(PROGRAM, MODULE3, COHORT) ONE_COHORT_M1(PROGRAM, "", MODULE3, COHORT)

static double bound_of(const char *json)
{
    bs_problem *p = NULL;
    bs_domains *d = NULL;
    bs_messages errors = {0};
    bs_err err = {0};
    cr_assert_eq(bs_input_load_buffer("test.json", json, strlen(json), &p, &errors, &err), BS_OK,
                 "input does not load: %s", err.msg);
    bs_messages_free(&errors);
    cr_assert_eq(bs_domains_build(p, &d, &err), BS_OK);
    bs_solve_opts o;
    bs_solve_opts_init(&o);
    bs__ctx ctx = {.p = p, .d = d, .o = &o, .start_time = bs__now()};
    double bound = -1;
    int hint = -2;
    cr_assert_eq(bs__cohort_bound(&ctx, 0, &bound, &hint), BS_OK);
    bs_domains_destroy(&d);
    bs_problem_destroy(&p);
    return bound;
}

/* Three ordered sessions on three dates of Mon-Wed: the second and third
 * cannot keep the first's weekday, 2 x 10 whatever the times. */
Test(time_bound, forced_rhythm_of_an_ordered_rotation)
{
    double b = bound_of(ONE_COHORT("\"model\": \"rotation\", \"cadence_days\": 7",
                                   ", \"min_gap_days\": 1", ", \"end\": \"2027-01-06\""));
    cr_expect_float_eq(b, 20.0, 1e-9, "bound %g", b);
}

/* With a five-day span the sessions still cannot share a weekday (one
 * week), so the bound stays 20 (a calendar reaches it: Mon, Tue, Wed at
 * 09:00). */
Test(time_bound, rhythm_over_the_whole_week)
{
    double b = bound_of(ONE_COHORT("\"model\": \"rotation\", \"cadence_days\": 7",
                                   ", \"min_gap_days\": 1", ", \"end\": \"2027-01-08\""));
    cr_expect_float_eq(b, 20.0, 1e-9, "bound %g", b);
}

/* Flipped-style chain (ordered), preferred only Monday 09:00-10:00: the
 * second session is a date later, so at least two sessions are outside. */
Test(time_bound, forced_outside_preferred_of_a_chain)
{
    double b = bound_of(ONE_COHORT(
        "\"model\": \"flex\"", "",
        ", \"end\": \"2027-01-08\", \"preferred\": {\"days\": [\"mon\"], \"from\": \"09:00\","
        " \"to\": \"10:00\"}"));
    cr_expect_float_eq(b, 10.0, 1e-9, "bound %g", b);
}

/* Unordered flex: the sessions may share Monday 09:00-12:00 but only one
 * hour is preferred, so two are outside; the gap of m2 binds nothing
 * (no live predecessor), and the bound must not assume module order. */
Test(time_bound, unordered_sessions_are_independent)
{
    double b = bound_of(ONE_COHORT(
        "\"model\": \"flex\", \"ordered\": false", "",
        ", \"end\": \"2027-01-08\", \"preferred\": {\"days\": [\"mon\"], \"from\": \"09:00\","
        " \"to\": \"10:00\"}"));
    cr_expect(b <= 10.0 + 1e-9, "bound %g above the optimum 10", b);
}

/* An unordered rotation whose third module must come first (window: the
 * first day only) and whose first comes later (days 1-4): the engine keeps
 * module order and cannot place all three, but a calendar can (m3 Mon, m1
 * and m2 later: rhythm 20). The bound must not count an unplaced session. */
Test(time_bound, assumed_rotation_order_never_tightens_the_bound)
{
    double b = bound_of(ONE_COHORT_M1(
        "\"model\": \"rotation\", \"cadence_days\": 7, \"ordered\": false",
        ", \"window\": {\"from_day\": 1, \"to_day\": 4}",
        ", \"window\": {\"from_day\": 0, \"to_day\": 0}", ", \"end\": \"2027-01-08\""));
    cr_expect(b <= 20.0 + 1e-9, "bound %g above a real calendar's 20", b);
}
