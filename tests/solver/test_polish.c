/**
 * @file test_polish.c
 * @brief Units of the local-search polish (solver/polish.c): it finds what
 *        the cohort sub-MIPs do not model (a learner's sessions side by
 *        side), never breaks rules 6 and 7 to get there, never returns a
 *        worse calendar, and depends on --seed, not on the thread count.
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

#define CALENDAR_5_DAYS                                                                        \
    " \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-08\", \"timezone\": \"UTC\"," \
    "  \"slot_minutes\": 60, \"day_start\": \"09:00\", \"day_end\": \"12:00\"},"

/* Rule 7 against temptation: cohort a has lab-1, then 120 minutes of
 * reading at 60 a day, then lab-2; lab-1 is pinned on Wednesday, so lab-2
 * can be on Friday only (Wednesday and Thursday the study days). Cohort b,
 * of the same learner, is pinned on Thursday at 10:00. lab-2 beside it
 * would save one isolated session (10) but break rule 7; keeping the rules
 * every session is alone (30). (With lab-1 on Monday the START anchor
 * alone would keep lab-2 off Monday and Tuesday: the pin is what makes the
 * record between the two labs bind.) */
static const char PREWORK[] =
    "{\"format\": \"blendsched/1\"," CALENDAR_5_DAYS
    " \"rooms\": [{\"id\": \"r1\", \"site\": \"s\", \"capacity\": 10},"
    "            {\"id\": \"r2\", \"site\": \"s\", \"capacity\": 10}],"
    " \"instructors\": [{\"id\": \"t1\", \"sites\": [\"s\"]}, {\"id\": \"t2\", \"sites\": [\"s\"]}],"
    " \"programs\": [{\"id\": \"p\", \"model\": \"flipped\", \"modules\": ["
    "   {\"id\": \"lab-1\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60},"
    "   {\"id\": \"reading\", \"kind\": \"self_paced\", \"effort_minutes\": 120,"
    "    \"requires\": [\"lab-1\"]},"
    "   {\"id\": \"lab-2\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60,"
    "    \"requires\": [\"reading\"]}]},"
    "  {\"id\": \"q\", \"model\": \"flex\", \"modules\": ["
    "   {\"id\": \"talk\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60}]}],"
    " \"cohorts\": ["
    "   {\"id\": \"a\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","
    "    \"end\": \"2027-01-08\", \"learners\": [\"l\"], \"instructors\": [\"t1\"]},"
    "   {\"id\": \"b\", \"program\": \"q\", \"site\": \"s\", \"start\": \"2027-01-04\","
    "    \"end\": \"2027-01-08\", \"learners\": [\"l\"], \"instructors\": [\"t2\"]}],"
    " \"learners\": [{\"id\": \"l\", \"self_paced_minutes_per_day\": 60}],"
    " \"fixed\": [{\"cohort\": \"a\", \"module\": \"lab-1\", \"start\": \"2027-01-06T09:00\"},"
    "            {\"cohort\": \"b\", \"module\": \"talk\", \"start\": \"2027-01-07T10:00\"}],"
    " \"objective\": {\"isolated\": 10, \"room_change\": 0, \"spread\": 0,"
    "               \"outside_preferred\": 0}}";

static bs_solution *solve(const bs_problem *p, int threads, long polish, unsigned long seed)
{
    return solve_isolated(p, threads, 0, polish, seed);
}

Test(polish, puts_a_learners_sessions_side_by_side)
{
    bs_problem *p = load(SPREAD_OUT);
    bs_solution *plain = solve(p, 1, 0, 1), *polished = solve(p, 1, 20000, 1);
    cr_assert_gt(plain->objective.total, 1, "without polish: %g (the sub-MIPs place it apart)",
                 plain->objective.total);
    cr_assert_eq(polished->objective.total, 1, "with polish: %g, expected 1",
                 polished->objective.total);
    cr_assert_eq(polished->objective.isolated, 0);
    cr_assert_eq(violations(p, polished), 0);
    bs_solution_destroy(&plain);
    bs_solution_destroy(&polished);
    bs_problem_destroy(&p);
}

Test(polish, keeps_study_days_between_live_sessions)
{
    bs_problem *p = load(PREWORK);
    for (unsigned long seed = 1; seed <= 5; seed++) {
        bs_solution *s = solve(p, 1, 20000, seed);
        cr_assert_eq(violations(p, s), 0, "seed %lu: rule broken", seed);
        cr_assert_eq(s->objective.total, 30, "seed %lu: objective %g, expected 30", seed,
                     s->objective.total);
        /* lab-2 (session 1) on Friday 2027-01-08 */
        cr_assert_geq(s->items[1].start, s->items[0].start + 2 * 24 * 60 - 9 * 60,
                      "seed %lu: lab-2 too soon after lab-1", seed);
        bs_solution_destroy(&s);
    }
    bs_problem_destroy(&p);
}

Test(polish, same_calendar_on_one_and_two_threads)
{
    bs_problem *p = load(SPREAD_OUT);
    bs_solution *one = solve(p, 1, 5000, 7), *two = solve(p, 2, 5000, 7);
    assert_same_placements(one, two);
    bs_solution_destroy(&one);
    bs_solution_destroy(&two);
    bs_problem_destroy(&p);
}

/* Regression: a step listed at most 64 (learner, date) pairs and was not
 * taken beyond, so a cohort of more than 64 learners never moved (more
 * than 32 to swap or change date). Three cohorts of 70 shared learners,
 * one session each, placed apart by the sub-MIPs (isolated 3 x 70 x 10):
 * the polish must put them side by side. */
Test(polish, moves_cohorts_of_many_learners)
{
    char learners[70 * 8], ids[70 * 16];
    size_t nl = 0, ni = 0;
    for (int k = 0; k < 70; k++) {
        nl += (size_t)snprintf(learners + nl, sizeof learners - nl, "%s\"l%d\"", k ? "," : "", k);
        ni += (size_t)snprintf(ids + ni, sizeof ids - ni, "%s{\"id\": \"l%d\"}", k ? "," : "", k);
    }
    char json[8192];
    snprintf(json, sizeof json,
             "{\"format\": \"blendsched/1\","
             " \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-04\","
             "  \"timezone\": \"UTC\", \"slot_minutes\": 60, \"day_start\": \"09:00\","
             "  \"day_end\": \"14:00\"},"
             " \"rooms\": [{\"id\": \"r1\", \"site\": \"s\", \"capacity\": 70},"
             "            {\"id\": \"r2\", \"site\": \"s\", \"capacity\": 70}],"
             " \"instructors\": [{\"id\": \"t1\", \"sites\": [\"s\"]},"
             "   {\"id\": \"t2\", \"sites\": [\"s\"]}, {\"id\": \"t3\", \"sites\": [\"s\"]}],"
             " \"programs\": [{\"id\": \"p\", \"model\": \"flex\", \"modules\": [{\"id\": \"m\","
             "   \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60}]}],"
             " \"cohorts\": ["
             "  {\"id\": \"a\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","
             "   \"end\": \"2027-01-04\", \"size\": 70, \"learners\": [%s], \"instructors\": [\"t1\"],"
             "   \"preferred\": {\"days\": [\"mon\"], \"from\": \"09:00\", \"to\": \"10:00\"}},"
             "  {\"id\": \"b\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","
             "   \"end\": \"2027-01-04\", \"size\": 70, \"learners\": [%s], \"instructors\": [\"t2\"],"
             "   \"preferred\": {\"days\": [\"mon\"], \"from\": \"11:00\", \"to\": \"12:00\"}},"
             "  {\"id\": \"c\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","
             "   \"end\": \"2027-01-04\", \"size\": 70, \"learners\": [%s], \"instructors\": [\"t3\"],"
             "   \"preferred\": {\"days\": [\"mon\"], \"from\": \"13:00\", \"to\": \"14:00\"}}],"
             " \"learners\": [%s],"
             " \"objective\": {\"isolated\": 10, \"outside_preferred\": 1, \"room_change\": 0,"
             "               \"spread\": 0}}",
             learners, learners, learners, ids);
    bs_problem *p = load(json);
    bs_solution *plain = solve(p, 1, 0, 1), *polished = solve(p, 1, 20000, 1);
    cr_assert_gt(plain->objective.isolated, 0, "without polish: isolated %g",
                 plain->objective.isolated);
    cr_assert_eq(polished->objective.isolated, 0, "with polish: isolated %g, expected 0",
                 polished->objective.isolated);
    cr_assert_eq(polished->objective.total, 1, "with polish: %g, expected 1",
                 polished->objective.total);
    cr_assert_eq(violations(p, polished), 0);
    bs_solution_destroy(&plain);
    bs_solution_destroy(&polished);
    bs_problem_destroy(&p);
}
