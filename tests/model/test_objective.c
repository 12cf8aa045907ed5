/**
 * @file test_objective.c
 * @brief Units of the objective evaluator (model/evaluate.c) on
 *        hand-computed cases, and of the calendar reader
 *        (io/calendar_read.c): errors with JSON paths, offsets, the
 *        recorded objective, dates across a daylight-saving change.
 *
 * Inputs and calendars come from verify_cases.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "tests/model/verify_cases.h"

/* ==== Objective ==== */

Test(verify, objective_terms_hand_computed)
{
    /* c1: m1 Wed 09-11 in r1 (10/h) by ana (30/h), m2 Fri 09-11 in r4
     * (0/h) by bo (20/h). c2 (priority 3) has nothing placed.
     *   unplaced          2 x 10000 x 3                 = 60000
     *   instructor_change (2 distinct - 1) x 50         = 50
     *   room_change       (2 distinct - 1) x 20         = 20
     *   outside_preferred m2 outside Wed 09-11, x 5     = 5
     *   cost              (40 x 2h + 20 x 2h) x 1       = 120
     *   spread            (3 - 2 dates) x 5             = 5
     *   isolated          both of c1's sessions x 1     = 2
     *   total                                           = 60202 */
    spec sp = {.rooms = "{'id': 'r1', 'site': 's1', 'capacity': 10, 'features': ['lab'], "
                        "'cost_per_hour': 10},"
                        "{'id': 'r4', 'site': 's1', 'capacity': 10}",
               .instructors = "{'id': 'ana', 'skills': ['k8s'], 'sites': ['s1'], "
                              "'cost_per_hour': 30},"
                              "{'id': 'bo', 'skills': ['k8s'], 'sites': ['s1'], "
                              "'cost_per_hour': 20}",
               .cohorts = COHORT_C1 ", 'preferred': {'days': ['wed'], 'from': '09:00', "
                                    "'to': '11:00'}, 'min_days': 3}," COHORT_C2 ", 'priority': 3}",
               .tail = ", 'objective': {'cost': 1, 'isolated': 1}"};
    const char *cal = CALENDAR(
        M1_OK "," SES("c1", "m2", "2027-01-08T09:00:00Z", "2027-01-08T11:00:00Z", "'r4'", "'bo'"));
    expect_rules(sp, cal, "");
    bs_objective o = objective_of(sp, cal);
    cr_expect_float_eq(o.unplaced, 60000, 1e-9);
    cr_expect_float_eq(o.instructor_change, 50, 1e-9);
    cr_expect_float_eq(o.room_change, 20, 1e-9);
    cr_expect_float_eq(o.outside_preferred, 5, 1e-9);
    cr_expect_float_eq(o.rhythm, 0, 1e-9);
    cr_expect_float_eq(o.cost, 120, 1e-9);
    cr_expect_float_eq(o.spread, 5, 1e-9);
    cr_expect_float_eq(o.isolated, 2, 1e-9);
    cr_expect_float_eq(o.over_capacity, 0, 1e-9);
    cr_expect_float_eq(o.total, 60202, 1e-9);
}

Test(verify, objective_rhythm_isolated_learners_and_flex)
{
    /* Rotation cohort with learners l1 (also in the flex cohort) and l2:
     *   a Mon 4th 09-10, b Mon 4th 10-11 (adjacent: neither isolated),
     *   c Mon 11th 09-10 (isolated).
     *   rhythm: b starts at 10:00, not 09:00: 1 x 10.
     * Flex cohort cf (l1): x placed Tue 5th 09-10 (isolated for l1),
     *   y optional and unplaced: free; z not optional, unplaced: 10000.
     *   isolated: l1 {c, x} = 2, l2 {c} = 1: 3 x 2 = 6. */
    spec sp = {.programs = ROTATION("true") ",{'id': 'f', 'model': 'flex', 'modules': ["
                                            "{'id': 'x', 'kind': 'live', 'mode': 'virtual', "
                                            "'duration_minutes': 60},"
                                            "{'id': 'y', 'kind': 'live', 'mode': 'virtual', "
                                            "'duration_minutes': 60, 'optional': true},"
                                            "{'id': 'z', 'kind': 'live', 'mode': 'virtual', "
                                            "'duration_minutes': 60}]}",
               .cohorts = "{'id': 'cr', 'program': 'p', 'start': '2027-01-04', "
                          "'end': '2027-01-22', 'learners': ['l1', 'l2']},"
                          "{'id': 'cf', 'program': 'f', 'start': '2027-01-04', "
                          "'end': '2027-01-22', 'learners': ['l1']}",
               .tail = ", 'learners': [{'id': 'l1'}, {'id': 'l2'}], "
                       "'objective': {'isolated': 2}"};
    const char *cal = CALENDAR(
        SES("cr", "a", "2027-01-04T09:00:00Z", "2027-01-04T10:00:00Z", "null", "'ana'") "," SES(
            "cr", "b", "2027-01-04T10:00:00Z", "2027-01-04T11:00:00Z", "null",
            "'ana'") "," SES("cr", "c", "2027-01-11T09:00:00Z", "2027-01-11T10:00:00Z", "null",
                             "'ana'") "," SES("cf", "x", "2027-01-05T09:00:00Z",
                                              "2027-01-05T10:00:00Z", "null", "'bo'"));
    expect_rules(sp, cal, "");
    bs_objective o = objective_of(sp, cal);
    cr_expect_float_eq(o.rhythm, 10, 1e-9);
    cr_expect_float_eq(o.isolated, 6, 1e-9);
    cr_expect_float_eq(o.unplaced, 10000, 1e-9);
    cr_expect_float_eq(o.instructor_change, 0, 1e-9);
    cr_expect_float_eq(o.room_change, 0, 1e-9);
    cr_expect_float_eq(o.total, 10016, 1e-9);
}

Test(verify, objective_moved_and_reassigned_from_change_marks)
{
    const char *cal = "{'format': 'blendsched-calendar/1', 'sessions': ["
                      "{'cohort': 'c1', 'module': 'm1', 'start': '2027-01-06T09:00:00Z', "
                      "'end': '2027-01-06T11:00:00Z', 'room': 'r1', 'instructors': ['ana'], "
                      "'change': 'moved'},"
                      "{'cohort': 'c1', 'module': 'm2', 'start': '2027-01-08T09:00:00Z', "
                      "'end': '2027-01-08T11:00:00Z', 'room': 'r1', 'instructors': ['ana'], "
                      "'change': 'reassigned'}]}";
    bs_objective o = objective_of((spec){0}, cal);
    cr_expect_float_eq(o.moved, 100, 1e-9);
    cr_expect_float_eq(o.reassigned, 30, 1e-9);
    cr_expect_float_eq(o.total, 130, 1e-9);
}

/* ==== Reading calendars ==== */

static void expect_read_error(const char *cal, bs_rc want, const char *fragment)
{
    bs_problem *p = load((spec){0});
    bs_solution *s = NULL;
    bs_messages msgs = {0};
    bs_rc rc = read_cal(p, cal, &s, NULL, &msgs);
    cr_expect_eq(rc, want, "rc %d, want %d", rc, want);
    cr_expect_null(s);
    bool found = false;
    for (size_t i = 0; i < msgs.count; i++)
        found |= strstr(msgs.items[i], fragment) != NULL;
    if (!found)
        print_messages(&msgs);
    cr_expect(found, "a message contains: %s", fragment);
    bs_messages_free(&msgs);
    bs_problem_destroy(&p);
}

Test(verify, reader_reports_errors_with_json_paths)
{
    expect_read_error(CALENDAR(M1_OK "," SES("c1", "m2", "2027-01-08T09:00:00Z",
                                             "2027-01-08T11:00:00Z", "'zz'", "'ana'")),
                      BS_EINVAL, "cal.json: $.sessions[1].room: unknown room \"zz\"");
    expect_read_error(CALENDAR(M1_OK "," M1_OK), BS_EINVAL, "$.sessions[1]: session");
    expect_read_error(CALENDAR(SES("c1", "prep", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z",
                                   "'r1'", "'ana'")),
                      BS_EINVAL, "$.sessions[0].module: module \"prep\" is self-paced");
    expect_read_error(
        CALENDAR(SES("c9", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r1'", "'ana'")),
        BS_EINVAL, "$.sessions[0].cohort: unknown cohort \"c9\"");
    expect_read_error(
        CALENDAR(SES("c1", "m1", "2027-01-06T09:00Z", "2027-01-06T11:00:00Z", "'r1'", "'ana'")),
        BS_EINVAL, "$.sessions[0].start:");
    expect_read_error(
        CALENDAR(SES("c1", "m1", "2027-02-30T09:00:00Z", "2027-01-06T11:00:00Z", "'r1'", "'ana'")),
        BS_EINVAL, "$.sessions[0].start:");
    expect_read_error(CALENDAR(SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z",
                                   "'r1'", "'ana', 'ana'")),
                      BS_EINVAL,
                      "$.sessions[0].instructors[1]: instructor \"ana\" is listed twice");
    expect_read_error("{'format': 'blendsched-calendar/1', 'sessions': [], 'sessions': []}",
                      BS_EINVAL, "duplicate key \"sessions\"");
    expect_read_error("{'format': 'blendsched/1', 'sessions': []}", BS_EINVAL, "$.format");
    expect_read_error("{'format': 'blendsched-calendar/1', 'sessions': [}", BS_EPARSE,
                      "malformed JSON");
    expect_read_error("{'format': 'blendsched-calendar/1', 'sessions': [], 'extra': 1}", BS_EINVAL,
                      "unknown key \"extra\"");
}

Test(verify, reader_honours_offsets_and_records_the_objective)
{
    bs_problem *p = load((spec){0});
    bs_solution *s = NULL;
    bs_calendar_info info;
    bs_messages msgs = {0};
    /* 10:00+01:00 is 09:00Z; 03:00-06:00 is 09:00Z. */
    const char *cal = "{'format': 'blendsched-calendar/1', 'status': 'partial', "
                      "'objective': {'total': 12.5, 'cost': 12.5, 'bound': 3, 'x-note': 'n'}, "
                      "'sessions': [{'cohort': 'c1', 'module': 'm1', "
                      "'start': '2027-01-06T10:00:00+01:00', 'end': '2027-01-06T05:00:00-06:00', "
                      "'room': 'r1', 'instructors': ['ana'], 'x-mine': true}]}";
    cr_assert_eq(read_cal(p, cal, &s, &info, &msgs), BS_OK);
    int k = bs_solution_find(s, 0, 1);
    cr_assert_geq(k, 0);
    cr_expect(s->items[k].placed);
    cr_expect_eq(s->items[k].start, p->days[0].begin + 2 * 1440 + 9 * 60);
    cr_expect_eq(s->items[k].end, s->items[k].start + 120);
    cr_expect_eq(s->status, BS_STATUS_PARTIAL);
    cr_expect(info.has_objective && info.has_total);
    cr_expect(info.has_term[bs_objective_term_index("cost")]);
    cr_expect_not(info.has_term[bs_objective_term_index("unplaced")]);
    cr_expect_float_eq(s->objective.cost, 12.5, 1e-9);
    cr_expect(s->has_bound);
    bs_violations v = {0};
    cr_assert_eq(bs_verify(p, s, &v), BS_OK);
    cr_expect_eq(v.count, 0);
    bs_violations_free(&v);
    bs_messages_free(&msgs);
    bs_solution_destroy(&s);
    bs_problem_destroy(&p);
}

Test(verify, calendar_zone_dates_with_daylight_saving)
{
    /* Berlin: 2027-03-29 is a Monday after the spring change (UTC+2).
     * 09:00 local is 07:00Z; the date and the grid are local. */
    spec sp = {.calendar = "'start': '2027-03-22', 'end': '2027-04-09', "
                           "'timezone': 'Europe/Berlin'",
               .cohorts = "{'id': 'c1', 'program': 'p', 'site': 's1', 'start': '2027-03-22', "
                          "'end': '2027-04-09', 'size': 8}"};
    expect_rules(sp,
                 CALENDAR(SES("c1", "m1", "2027-03-24T09:00:00+01:00", "2027-03-24T11:00:00+01:00",
                              "'r1'", "'ana'") "," SES("c1", "m2", "2027-03-29T07:00:00Z",
                                                       "2027-03-29T09:00:00Z", "'r1'", "'ana'")),
                 "");
    /* 08:00Z on the 29th is 10:00 local: still fine; 08:15Z is off the grid
     * and 06:00Z (08:00 local) is outside the cohort's window. */
    expect_rules(sp,
                 CALENDAR(SES("c1", "m1", "2027-03-24T09:00:00+01:00", "2027-03-24T11:00:00+01:00",
                              "'r1'", "'ana'") "," SES("c1", "m2", "2027-03-29T06:00:00Z",
                                                       "2027-03-29T08:00:00Z", "'r1'", "'ana'")),
                 "2");
}
