/**
 * @file test_verify.c
 * @brief Units of the independent calendar checker (model/verify.c and
 *        model/verify_order.c): each hard rule broken and kept, and the
 *        pins. The objective and the calendar reader are test_objective.c's.
 *
 * Inputs and calendars come from verify_cases.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "tests/model/verify_cases.h"

TestSuite(verify);

/* ==== A calendar that keeps every rule ==== */

Test(verify, keeps_every_rule)
{
    cr_expect_eq(expect_rules((spec){0}, CALENDAR(M1_OK "," M2_OK), ""), 0);
}

Test(verify, unlisted_sessions_are_unplaced_and_break_nothing)
{
    bs_problem *p = load((spec){0});
    bs_solution *s = read_ok(p, CALENDAR(M1_OK));
    int k = bs_solution_find(s, 0, 3); /* m2 */
    cr_assert_geq(k, 0);
    cr_expect_not(s->items[k].placed);
    bs_violations v = {0};
    cr_assert_eq(bs_verify(p, s, &v), BS_OK);
    cr_expect_eq(v.count, 0);
    bs_violations_free(&v);
    bs_solution_destroy(&s);
    bs_problem_destroy(&p);
}

/* ==== Rule 1: time ==== */

Test(verify, rule1_off_the_grid)
{
    expect_rules(
        (spec){0},
        CALENDAR(SES("c1", "m1", "2027-01-06T09:15:00Z", "2027-01-06T11:15:00Z", "'r1'", "'ana'")),
        "1");
}

Test(verify, rule1_weekend_and_holiday)
{
    /* Saturday: the cohort's daily windows may also be missing that day,
     * so only rule 1 is asserted as present. */
    bs_problem *p = load((spec){0});
    bs_solution *s =
        read_ok(p, CALENDAR(SES("c1", "m1", "2027-01-09T09:00:00Z", "2027-01-09T11:00:00Z", "'r1'",
                                "'ana'") "," SES("c1", "m2", "2027-01-13T09:00:00Z",
                                                 "2027-01-13T11:00:00Z", "'r1'", "'ana'")));
    bs_violations v = {0};
    cr_assert_eq(bs_verify(p, s, &v), BS_OK);
    size_t rule1 = 0;
    for (size_t i = 0; i < v.count; i++)
        if (v.items[i].rule == 1) {
            rule1++;
            cr_expect(strstr(v.items[i].message, "Saturday") ||
                          strstr(v.items[i].message, "holiday 2027-01-13"),
                      "%s", v.items[i].message);
        }
    cr_expect_eq(rule1, 2);
    bs_violations_free(&v);
    bs_solution_destroy(&s);
    bs_problem_destroy(&p);
}

Test(verify, rule1_duration_must_match)
{
    expect_rules(
        (spec){0},
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T10:00:00Z", "'r1'", "'ana'")),
        "1");
}

Test(verify, rule1_cohort_start_and_end)
{
    spec sp = {.cohorts = "{'id': 'c1', 'program': 'p', 'site': 's1', 'start': '2027-01-04', "
                          "'end': '2027-01-07', 'size': 8}"};
    /* m2 on the 8th ends after the cohort's end (the 7th). */
    expect_rules(sp, CALENDAR(M1_OK "," M2_OK), "1");
    /* Ending at the midnight after c.end is still "on or before". */
    spec late = {.calendar = CAL_DEFAULT ", 'day_end': '24:00'",
                 .cohorts = "{'id': 'c1', 'program': 'p', 'site': 's1', 'start': '2027-01-04', "
                            "'end': '2027-01-06', 'size': 8}"};
    expect_rules(
        late,
        CALENDAR(SES("c1", "m1", "2027-01-06T22:00:00Z", "2027-01-07T00:00:00Z", "'r1'", "'ana'")),
        "");
    spec early = {.cohorts = "{'id': 'c1', 'program': 'p', 'site': 's1', 'start': '2027-01-07', "
                             "'end': '2027-01-22', 'size': 8}"};
    bs_problem *p = load(early);
    bs_solution *s = read_ok(p, CALENDAR(M1_OK));
    bs_violations v = {0};
    cr_assert_eq(bs_verify(p, s, &v), BS_OK);
    bool before_start = false;
    for (size_t i = 0; i < v.count; i++)
        before_start |= v.items[i].rule == 1 && strstr(v.items[i].message, "before the cohort");
    cr_expect(before_start);
    bs_violations_free(&v);
    bs_solution_destroy(&s);
    bs_problem_destroy(&p);
}

Test(verify, rule1_module_window)
{
    spec sp = {.programs = "{'id': 'p', 'model': 'flipped', 'modules': ["
                           "{'id': 'prep', 'kind': 'self_paced', 'effort_minutes': 120},"
                           "{'id': 'm1', 'kind': 'live', 'mode': 'in_person', "
                           "'duration_minutes': 120, 'skills': ['k8s'], 'requires': ['prep'], "
                           "'window': {'from_day': 0, 'to_day': 3}}]}"};
    /* Day 2 of the cohort: inside; day 4: outside. */
    expect_rules(sp, CALENDAR(M1_OK), "");
    expect_rules(
        sp,
        CALENDAR(SES("c1", "m1", "2027-01-08T09:00:00Z", "2027-01-08T11:00:00Z", "'r1'", "'ana'")),
        "1");
}

/* ==== Rule 2: participants' windows ==== */

Test(verify, rule2_cohort_window)
{
    expect_rules(
        (spec){0},
        CALENDAR(SES("c1", "m1", "2027-01-06T16:00:00Z", "2027-01-06T18:00:00Z", "'r1'", "'ana'")),
        "2");
}

Test(verify, rule2_learner_hours_and_unavailable)
{
    spec sp = {.cohorts = COHORT_C1 ", 'learners': ['l1']}",
               .tail = ", 'learners': [{'id': 'l1', 'hours': {'from': '10:00', 'to': '17:00'}, "
                       "'completed': ['p/prep']}]"};
    expect_rules(sp, CALENDAR(M1_OK), "2");
    expect_rules(
        sp,
        CALENDAR(SES("c1", "m1", "2027-01-06T10:00:00Z", "2027-01-06T12:00:00Z", "'r1'", "'ana'")),
        "");
    spec un = {.cohorts = COHORT_C1 ", 'learners': ['l1']}",
               .tail = ", 'learners': [{'id': 'l1', 'unavailable': "
                       "[{'from': '2027-01-06T10:30', 'to': '2027-01-06T11:00'}]}]"};
    expect_rules(un, CALENDAR(M1_OK), "2");
}

Test(verify, rule2_instructor_inside_one_available_window)
{
    spec sp = {.instructors = "{'id': 'ana', 'skills': ['k8s'], 'sites': ['s1'], 'available': ["
                              "{'days': ['mon','tue','wed','thu','fri'], 'from': '09:00', "
                              "'to': '10:00'},"
                              "{'days': ['mon','tue','wed','thu','fri'], 'from': '10:00', "
                              "'to': '12:00'}]}"};
    /* 09:00-11:00 spans two adjacent windows: not inside ONE. */
    expect_rules(sp, CALENDAR(M1_OK), "2");
    expect_rules(
        sp,
        CALENDAR(SES("c1", "m1", "2027-01-06T10:00:00Z", "2027-01-06T12:00:00Z", "'r1'", "'ana'")),
        "");
}

Test(verify, rule2_unavailable_instructor_room_cohort)
{
    spec ins = {.instructors = "{'id': 'ana', 'skills': ['k8s'], 'sites': ['s1'], "
                               "'unavailable': [{'from': '2027-01-06', 'to': '2027-01-06'}]}"};
    expect_rules(ins, CALENDAR(M1_OK), "2");
    spec room = {.rooms =
                     "{'id': 'r1', 'site': 's1', 'capacity': 10, 'features': ['lab'], "
                     "'unavailable': [{'from': '2027-01-06T08:00', 'to': '2027-01-06T09:30'}]}"};
    expect_rules(room, CALENDAR(M1_OK), "2");
    /* Touching the unavailable span is no overlap. */
    spec touch = {.rooms =
                      "{'id': 'r1', 'site': 's1', 'capacity': 10, 'features': ['lab'], "
                      "'unavailable': [{'from': '2027-01-06T08:00', 'to': '2027-01-06T09:00'}]}"};
    expect_rules(touch, CALENDAR(M1_OK), "");
    spec co = {.cohorts =
                   COHORT_C1 ", 'unavailable': [{'from': '2027-01-06', 'to': '2027-01-06'}]}"};
    expect_rules(co, CALENDAR(M1_OK), "2");
}

/* ==== Rule 3: instructors ==== */

Test(verify, rule3_count_skills_allowed_sites)
{
    expect_rules((spec){0},
                 CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r1'",
                              "'ana', 'bo'")),
                 "3");
    expect_rules(
        (spec){0},
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r1'", "")), "3");
    /* dee lacks k8s. */
    expect_rules(
        (spec){0},
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r1'", "'dee'")),
        "3");
    /* cy teaches in person at s2 only. */
    expect_rules(
        (spec){0},
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r1'", "'cy'")),
        "3");
    spec only_bo = {.cohorts = COHORT_C1 ", 'instructors': ['bo']}"};
    expect_rules(only_bo, CALENDAR(M1_OK), "3");
    expect_rules(
        only_bo,
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r1'", "'bo'")),
        "");
}

Test(verify, rule3_instructor_overlap_sites_and_limits)
{
    spec two = {.cohorts = COHORT_C1 "}," COHORT_C2 "}"};
    /* Same instructor, overlapping, different rooms; c1 and c2 share no
     * learner, so rule 5 stays quiet. */
    expect_rules(two,
                 CALENDAR(M1_OK "," SES("c2", "m1", "2027-01-06T10:00:00Z", "2027-01-06T12:00:00Z",
                                        "'r2'", "'ana'")),
                 "34"); /* r2 seats 4 < 8: rule 4 too */
    expect_rules(two,
                 CALENDAR(M1_OK "," SES("c2", "m1", "2027-01-06T11:00:00Z", "2027-01-06T13:00:00Z",
                                        "'r1'", "'ana'")),
                 "");
    /* In person at s1 and s2 on one date. */
    spec sites = {.cohorts = COHORT_C1 "}, {'id': 'c2', 'program': 'p', 'site': 's2', "
                                       "'start': '2027-01-04', 'end': '2027-01-22', 'size': 8}"};
    expect_rules(sites,
                 CALENDAR(M1_OK "," SES("c2", "m1", "2027-01-06T13:00:00Z", "2027-01-06T15:00:00Z",
                                        "'r3'", "'ana'")),
                 "3");
    expect_rules(sites,
                 CALENDAR(M1_OK "," SES("c2", "m1", "2027-01-07T13:00:00Z", "2027-01-07T15:00:00Z",
                                        "'r3'", "'ana'")),
                 "");
    spec daily = {.instructors = "{'id': 'ana', 'skills': ['k8s'], 'sites': ['s1'], "
                                 "'max_minutes_per_day': 180}",
                  .cohorts = COHORT_C1 "}," COHORT_C2 "}"};
    expect_rules(daily,
                 CALENDAR(M1_OK "," SES("c2", "m1", "2027-01-06T13:00:00Z", "2027-01-06T15:00:00Z",
                                        "'r1'", "'ana'")),
                 "3");
    spec weekly = {.instructors = "{'id': 'ana', 'skills': ['k8s'], 'sites': ['s1'], "
                                  "'max_minutes_per_week': 200}",
                   .cohorts = COHORT_C1 "}," COHORT_C2 "}"};
    expect_rules(weekly,
                 CALENDAR(M1_OK "," SES("c2", "m1", "2027-01-08T13:00:00Z", "2027-01-08T15:00:00Z",
                                        "'r1'", "'ana'")),
                 "3");
    /* Monday the 11th starts ISO week 2. */
    expect_rules(weekly,
                 CALENDAR(M1_OK "," SES("c2", "m1", "2027-01-11T13:00:00Z", "2027-01-11T15:00:00Z",
                                        "'r1'", "'ana'")),
                 "");
}

/* ==== Rule 4: rooms ==== */

Test(verify, rule4_room_site_capacity_features)
{
    expect_rules(
        (spec){0},
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "null", "'ana'")),
        "4");
    expect_rules(
        (spec){0},
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r3'", "'ana'")),
        "4");
    expect_rules(
        (spec){0},
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r2'", "'ana'")),
        "4");
    /* r4 has no lab. */
    expect_rules(
        (spec){0},
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r4'", "'ana'")),
        "4");
    /* With an over_capacity weight, capacity is a penalty, not a rule. */
    spec over = {.tail = ", 'objective': {'over_capacity': 7}"};
    const char *cal =
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r2'", "'ana'"));
    expect_rules(over, cal, "");
    bs_objective o = objective_of(over, cal);
    cr_expect_float_eq(o.over_capacity, 7.0 * (8 - 4), 1e-9);
}

Test(verify, rule4_room_overlap)
{
    spec two = {.cohorts = COHORT_C1 "}," COHORT_C2 "}"};
    expect_rules(two,
                 CALENDAR(M1_OK "," SES("c2", "m1", "2027-01-06T10:00:00Z", "2027-01-06T12:00:00Z",
                                        "'r1'", "'bo'")),
                 "4");
}

#define VIRTUAL_PROGRAM                                                                            \
    "{'id': 'v', 'model': 'flipped', 'modules': [{'id': 'w', 'kind': 'live', "                     \
    "'mode': 'virtual', 'duration_minutes': 60, 'room_features': ['hd']}]}"
#define VIRTUAL_COHORT                                                                             \
    "{'id': 'cv', 'program': 'v', 'start': '2027-01-04', "                                         \
    "'end': '2027-01-22', 'size': 8}"

Test(verify, rule4_virtual_rooms)
{
    /* No virtual room in the input: the room must be null and the module's
     * room_features do not apply. */
    spec none = {.programs = VIRTUAL_PROGRAM, .cohorts = VIRTUAL_COHORT};
    expect_rules(
        none,
        CALENDAR(SES("cv", "w", "2027-01-06T09:00:00Z", "2027-01-06T10:00:00Z", "null", "'ana'")),
        "");
    expect_rules(
        none,
        CALENDAR(SES("cv", "w", "2027-01-06T09:00:00Z", "2027-01-06T10:00:00Z", "'r4'", "'ana'")),
        "4");
    /* With virtual rooms: one is needed, and it needs the features. */
    spec some = {.programs = VIRTUAL_PROGRAM,
                 .cohorts = VIRTUAL_COHORT,
                 .rooms = ROOMS_DEFAULT ", {'id': 'z1', 'virtual': true, 'capacity': 50, "
                                        "'features': ['hd']}, {'id': 'z2', 'virtual': true, "
                                        "'capacity': 50}"};
    expect_rules(
        some,
        CALENDAR(SES("cv", "w", "2027-01-06T09:00:00Z", "2027-01-06T10:00:00Z", "'z1'", "'ana'")),
        "");
    expect_rules(
        some,
        CALENDAR(SES("cv", "w", "2027-01-06T09:00:00Z", "2027-01-06T10:00:00Z", "null", "'ana'")),
        "4");
    expect_rules(
        some,
        CALENDAR(SES("cv", "w", "2027-01-06T09:00:00Z", "2027-01-06T10:00:00Z", "'z2'", "'ana'")),
        "4");
}

/* ==== Rule 5: learners ==== */

Test(verify, rule5_shared_learner_across_cohorts)
{
    spec shared = {.cohorts =
                       COHORT_C1 ", 'learners': ['l1']}," COHORT_C2 ", 'learners': ['l1', 'l2']}",
                   .tail = ", 'learners': [{'id': 'l1'}, {'id': 'l2'}]"};
    const char *cal = CALENDAR(
        M1_OK "," SES("c2", "m1", "2027-01-06T10:00:00Z", "2027-01-06T12:00:00Z", "'r3'", "'bo'"));
    /* r3 is at s2: rule 4 as well; the learner clash is rule 5. */
    expect_rules(shared, cal, "45");
    expect_rules(shared,
                 CALENDAR(M1_OK "," SES("c2", "m1", "2027-01-06T11:00:00Z", "2027-01-06T13:00:00Z",
                                        "'r4'", "'bo'")),
                 "4"); /* r4: no lab, no clash */
    spec apart = {.cohorts = COHORT_C1 ", 'learners': ['l1']}," COHORT_C2 ", 'learners': ['l2']}",
                  .tail = ", 'learners': [{'id': 'l1'}, {'id': 'l2'}]"};
    expect_rules(apart, cal, "4");
}

Test(verify, rule5_sessions_of_one_cohort_never_overlap)
{
    spec sp = {.programs =
                   "{'id': 'p', 'model': 'flipped', 'ordered': false, 'modules': ["
                   "{'id': 'a', 'kind': 'live', 'mode': 'virtual', 'duration_minutes': 60},"
                   "{'id': 'b', 'kind': 'live', 'mode': 'virtual', 'duration_minutes': 60}]}"};
    expect_rules(sp,
                 CALENDAR(SES("c1", "a", "2027-01-06T09:00:00Z", "2027-01-06T10:00:00Z", "null",
                              "'ana'") "," SES("c1", "b", "2027-01-06T09:30:00Z",
                                               "2027-01-06T10:30:00Z", "null", "'bo'")),
                 "5");
    expect_rules(sp,
                 CALENDAR(SES("c1", "a", "2027-01-06T09:00:00Z", "2027-01-06T10:00:00Z", "null",
                              "'ana'") "," SES("c1", "b", "2027-01-06T10:00:00Z",
                                               "2027-01-06T11:00:00Z", "null", "'bo'")),
                 "");
}

/* ==== Rule 6: order, gaps, cadence ==== */

Test(verify, rule6_min_gap_to_nearest_live_predecessor)
{
    /* m2 one day after m1; min_gap_days is 2. */
    expect_rules((spec){0},
                 CALENDAR(M1_OK "," SES("c1", "m2", "2027-01-07T09:00:00Z", "2027-01-07T11:00:00Z",
                                        "'r1'", "'ana'")),
                 "6");
}

Test(verify, rule6_order_through_requires_and_ordered)
{
    spec unordered = {.programs = "{'id': 'p', 'model': 'flipped', 'ordered': false, 'modules': ["
                                  "{'id': 'a', 'kind': 'live', 'mode': 'virtual', "
                                  "'duration_minutes': 60},"
                                  "{'id': 'b', 'kind': 'live', 'mode': 'virtual', "
                                  "'duration_minutes': 60}]}"};
    spec ordered = {.programs = "{'id': 'p', 'model': 'flipped', 'modules': ["
                                "{'id': 'a', 'kind': 'live', 'mode': 'virtual', "
                                "'duration_minutes': 60},"
                                "{'id': 'b', 'kind': 'live', 'mode': 'virtual', "
                                "'duration_minutes': 60}]}"};
    const char *b_first = CALENDAR(
        SES("c1", "a", "2027-01-07T09:00:00Z", "2027-01-07T10:00:00Z", "null", "'ana'") "," SES(
            "c1", "b", "2027-01-06T09:00:00Z", "2027-01-06T10:00:00Z", "null", "'ana'"));
    expect_rules(unordered, b_first, "");
    expect_rules(ordered, b_first, "6");
    /* Transitive: c requires b requires a (through live b). */
    spec chain = {.programs = "{'id': 'p', 'model': 'flipped', 'ordered': false, 'modules': ["
                              "{'id': 'a', 'kind': 'live', 'mode': 'virtual', "
                              "'duration_minutes': 60},"
                              "{'id': 'b', 'kind': 'live', 'mode': 'virtual', "
                              "'duration_minutes': 60, 'requires': ['a']},"
                              "{'id': 'c', 'kind': 'live', 'mode': 'virtual', "
                              "'duration_minutes': 60, 'requires': ['b']}]}"};
    /* b unplaced: c before a still breaks the order. */
    expect_rules(chain,
                 CALENDAR(SES("c1", "a", "2027-01-07T09:00:00Z", "2027-01-07T10:00:00Z", "null",
                              "'ana'") "," SES("c1", "c", "2027-01-07T09:30:00Z",
                                               "2027-01-07T10:30:00Z", "null", "'bo'")),
                 "56");
    expect_rules(chain,
                 CALENDAR(SES("c1", "a", "2027-01-07T09:00:00Z", "2027-01-07T10:00:00Z", "null",
                              "'ana'") "," SES("c1", "c", "2027-01-07T10:00:00Z",
                                               "2027-01-07T11:00:00Z", "null", "'bo'")),
                 "");
}

Test(verify, rule6_rotation_cadence_in_chronological_order)
{
    spec sp = {.programs = ROTATION("false")};
    /* 4th -> 11th -> 18th: 7 days each. */
    expect_rules(
        sp,
        CALENDAR(SES("c1", "a", "2027-01-04T09:00:00Z", "2027-01-04T10:00:00Z", "null",
                     "'ana'") "," SES("c1", "b", "2027-01-11T09:00:00Z", "2027-01-11T10:00:00Z",
                                      "null", "'ana'") "," SES("c1", "c", "2027-01-18T09:00:00Z",
                                                               "2027-01-18T10:00:00Z", "null",
                                                               "'ana'")),
        "");
    /* 4th -> 12th: 8 days. */
    expect_rules(sp,
                 CALENDAR(SES("c1", "a", "2027-01-04T09:00:00Z", "2027-01-04T10:00:00Z", "null",
                              "'ana'") "," SES("c1", "b", "2027-01-12T09:00:00Z",
                                               "2027-01-12T10:00:00Z", "null", "'ana'")),
                 "6");
    /* Chronological, not module order: c (5th), a (11th), b (18th). */
    expect_rules(
        sp,
        CALENDAR(SES("c1", "c", "2027-01-05T09:00:00Z", "2027-01-05T10:00:00Z", "null",
                     "'ana'") "," SES("c1", "a", "2027-01-11T09:00:00Z", "2027-01-11T10:00:00Z",
                                      "null", "'ana'") "," SES("c1", "b", "2027-01-18T09:00:00Z",
                                                               "2027-01-18T10:00:00Z", "null",
                                                               "'ana'")),
        "");
}

/* ==== Rule 7: self-paced prework ==== */

Test(verify, rule7_start_anchor)
{
    /* prep takes 120 minutes at 60 a day: two study days (4th, 5th). */
    expect_rules(
        (spec){0},
        CALENDAR(SES("c1", "m1", "2027-01-05T09:00:00Z", "2027-01-05T11:00:00Z", "'r1'", "'ana'")),
        "7");
    /* Learners: l1 has completed prep, l2 studies 120 a day; l3 does not. */
    spec ok = {.cohorts = COHORT_C1 ", 'learners': ['l1', 'l2']}",
               .tail = ", 'learners': [{'id': 'l1', 'completed': ['p/prep']}, "
                       "{'id': 'l2', 'self_paced_minutes_per_day': 120}]"};
    const char *cal =
        CALENDAR(SES("c1", "m1", "2027-01-05T09:00:00Z", "2027-01-05T11:00:00Z", "'r1'", "'ana'"));
    expect_rules(ok, cal, "");
    spec bad = {.cohorts = COHORT_C1 ", 'learners': ['l1', 'l3']}",
                .tail = ", 'learners': [{'id': 'l1', 'completed': ['p/prep']}, {'id': 'l3'}]"};
    bs_problem *p = load(bad);
    bs_solution *s = read_ok(p, cal);
    bs_violations v = {0};
    cr_assert_eq(bs_verify(p, s, &v), BS_OK);
    cr_assert_eq(v.count, 1);
    cr_expect_eq(v.items[0].rule, 7);
    cr_expect(strstr(v.items[0].message, "\"l3\"") != NULL, "%s", v.items[0].message);
    bs_violations_free(&v);
    bs_solution_destroy(&s);
    bs_problem_destroy(&p);
}

Test(verify, rule7_days_from_the_end_of_the_live_predecessor)
{
    /* read takes 120: from m1's end date (the 6th, counted) to the 7th is
     * two study days, enough; with 180 it is not, while the START anchor
     * (4th..7th, four days) still holds. */
    spec enough = {.programs = "{'id': 'p', 'model': 'flipped', 'modules': ["
                               "{'id': 'prep', 'kind': 'self_paced', 'effort_minutes': 120},"
                               "{'id': 'm1', 'kind': 'live', 'mode': 'in_person', "
                               "'duration_minutes': 120, 'skills': ['k8s'], "
                               "'room_features': ['lab'], 'requires': ['prep']},"
                               "{'id': 'read', 'kind': 'self_paced', 'effort_minutes': 120, "
                               "'requires': ['m1']},"
                               "{'id': 'm2', 'kind': 'live', 'mode': 'in_person', "
                               "'duration_minutes': 120, 'skills': ['k8s'], "
                               "'requires': ['read'], 'min_gap_days': 2}]}"};
    expect_rules(enough, CALENDAR(M1_OK "," M2_OK), "");
    spec short_ = {.programs = "{'id': 'p', 'model': 'flipped', 'modules': ["
                               "{'id': 'prep', 'kind': 'self_paced', 'effort_minutes': 120},"
                               "{'id': 'm1', 'kind': 'live', 'mode': 'in_person', "
                               "'duration_minutes': 120, 'skills': ['k8s'], "
                               "'room_features': ['lab'], 'requires': ['prep']},"
                               "{'id': 'read', 'kind': 'self_paced', 'effort_minutes': 180, "
                               "'requires': ['m1']},"
                               "{'id': 'm2', 'kind': 'live', 'mode': 'in_person', "
                               "'duration_minutes': 120, 'skills': ['k8s'], "
                               "'requires': ['read'], 'min_gap_days': 2}]}"};
    bs_problem *p = load(short_);
    bs_solution *s = read_ok(p, CALENDAR(M1_OK "," M2_OK));
    bs_violations v = {0};
    cr_assert_eq(bs_verify(p, s, &v), BS_OK);
    cr_assert_eq(v.count, 1);
    cr_expect_eq(v.items[0].rule, 7);
    cr_expect_eq(v.items[0].sessions.count, 2, "names m1 and m2");
    bs_violations_free(&v);
    bs_solution_destroy(&s);
    bs_problem_destroy(&p);
    /* m1 unplaced: only the START anchor applies (4th..7th: 4 x 60 >= 180). */
    expect_rules(short_, CALENDAR(M2_OK), "");
}

/* ==== Pins ==== */

Test(verify, pins_hold_for_placed_sessions)
{
    spec sp = {.tail = ", 'fixed': [{'cohort': 'c1', 'module': 'm1', "
                       "'start': '2027-01-06T09:00', 'room': 'r1', 'instructors': ['ana']}]"};
    expect_rules(sp, CALENDAR(M1_OK), "");
    expect_rules(sp, CALENDAR(""), "");
    expect_rules(
        sp,
        CALENDAR(SES("c1", "m1", "2027-01-06T09:30:00Z", "2027-01-06T11:30:00Z", "'r1'", "'ana'")),
        "p");
    expect_rules(
        sp,
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r1'", "'bo'")),
        "p");
}
