/**
 * @file test_candidates.c
 * @brief Units for a sub-MIP's candidate placements (solver/candidates.c):
 *        which rooms a session is offered once the calendar around it has
 *        filled up.
 */
#include "io/input.h"
#include "solver/candidates.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One day of eight one-hour starts (09:00 .. 16:00). Cohort f (eight
 * sessions, instructor t2) fills the calendar: r1 from 09:00 to 13:00, r2
 * from 13:00 to 17:00. Cohort n (one session, instructor t1) is to be
 * placed; four interchangeable rooms suit it, r3 and r4 free all day. */
#define FILLED_DAY                                                                                 \
    "{\"format\": \"blendsched/1\","                                                               \
    " \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"timezone\": \"UTC\","   \
    "  \"slot_minutes\": 60, \"day_start\": \"09:00\", \"day_end\": \"17:00\"},"                   \
    " \"rooms\": [{\"id\": \"r1\", \"site\": \"s\", \"capacity\": 10},"                            \
    "            {\"id\": \"r2\", \"site\": \"s\", \"capacity\": 10},"                             \
    "            {\"id\": \"r3\", \"site\": \"s\", \"capacity\": 10},"                             \
    "            {\"id\": \"r4\", \"site\": \"s\", \"capacity\": 10}],"                            \
    " \"instructors\": [{\"id\": \"t1\", \"sites\": [\"s\"]}, {\"id\": \"t2\", \"sites\": "        \
    "[\"s\"]}],"                                                                                   \
    " \"programs\": ["                                                                             \
    "  {\"id\": \"q\", \"model\": \"flex\", \"ordered\": false, \"modules\": ["                    \
    "   {\"id\": \"q1\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60},"  \
    "   {\"id\": \"q2\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60},"  \
    "   {\"id\": \"q3\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60},"  \
    "   {\"id\": \"q4\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60},"  \
    "   {\"id\": \"q5\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60},"  \
    "   {\"id\": \"q6\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60},"  \
    "   {\"id\": \"q7\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60},"  \
    "   {\"id\": \"q8\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": "      \
    "60}]},"                                                                                       \
    "  {\"id\": \"p\", \"model\": \"flex\", \"modules\": ["                                        \
    "   {\"id\": \"m1\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": "      \
    "60}]}],"                                                                                      \
    " \"cohorts\": ["                                                                              \
    "   {\"id\": \"f\", \"program\": \"q\", \"site\": \"s\", \"start\": \"2027-01-04\","           \
    "    \"end\": \"2027-01-04\", \"size\": 5, \"instructors\": [\"t2\"]},"                        \
    "   {\"id\": \"n\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","           \
    "    \"end\": \"2027-01-04\", \"size\": 5, \"instructors\": [\"t1\"]}]}"

Test(candidates, offer_the_rooms_free_most_often_at_every_start)
{
    bs_problem *p = NULL;
    bs_domains *d = NULL;
    bs_solution *sol = NULL;
    bs__occ *occ = NULL;
    bs_messages errors = {0};
    bs_err err = {0};
    const char *json = FILLED_DAY;
    cr_assert_eq(bs_input_load_buffer("test.json", json, strlen(json), &p, &errors, &err), BS_OK,
                 "input does not load: %s", err.msg);
    bs_messages_free(&errors);
    cr_assert_eq(bs_domains_build(p, &d, &err), BS_OK);
    cr_assert_eq(bs_solution_create(p, &sol), BS_OK);
    cr_assert_eq(bs__occ_create(p, d, &occ), BS_OK);
    cr_assert_eq(sol->count, 9, "f's eight sessions, then n's one");
    cr_assert_eq(d->sessions[8].rooms.count, 4, "the premise: four rooms suit n's session");

    /* f: r1 (index 0) at 09..12, r2 (index 1) at 13..16, taught by t2 */
    static int t2 = 1;
    bs_time nine = p->days[p->horizon_first_day].begin + 9 * 60;
    for (size_t s = 0; s < 8; s++) {
        bs_assignment *a = &sol->items[s];
        a->placed = true;
        a->start = nine + (bs_time)s * 60;
        a->end = a->start + 60;
        a->room = s < 4 ? 0 : 1;
        a->instructors = (bs_ids){&t2, 1};
        cr_assert_eq(bs__occ_apply(occ, a, (int)s, +1), BS_OK);
    }

    bs_solve_opts o;
    bs_solve_opts_init(&o);
    bs__ctx ctx = {.p = p, .d = d, .o = &o, .mode = BS_MODE_NORMAL};
    cr_assert_eq(bs__build_peers(p, &ctx.peers), BS_OK);
    int rhythm_ref[2] = {-1, -1};
    bool is_free[2] = {false, true};
    bs__colgen g = {.ctx = &ctx,
                    .occ = occ,
                    .sol = sol,
                    .rhythm_ref = rhythm_ref,
                    .is_free = is_free,
                    .col_budget = 0};
    cr_assert_eq(bs__gen_session(&g, 8), BS_OK);

    /* Every start is offered, each with two rooms (MAX_ROOMS_PER_SLOT):
     * r3 and r4, the two that are free all day. Ranked by input order
     * alone, each start offered the first free of r1 and r2 with r3, so
     * that the session's columns spread over three rooms. */
    cr_assert_eq(g.n_cols, 16, "eight starts, two rooms each (got %zu columns)", g.n_cols);
    for (size_t c = 0; c < g.n_cols; c++)
        cr_assert(g.cols[c].room == 2 || g.cols[c].room == 3,
                  "column %zu offers room r%d, taken for half the day", c, g.cols[c].room + 1);

    bs__colgen_free(&g);
    for (size_t c = 0; c < p->n_cohorts; c++)
        free(ctx.peers[c].items);
    free(ctx.peers);
    for (size_t s = 0; s < sol->count; s++)
        sol->items[s].instructors = (bs_ids){NULL, 0}; /* (static storage) */
    bs__occ_destroy(&occ);
    bs_solution_destroy(&sol);
    bs_domains_destroy(&d);
    bs_problem_destroy(&p);
}
