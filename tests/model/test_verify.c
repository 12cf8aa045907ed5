/**
 * @file test_verify.c
 * @brief Units of the independent calendar checker (model/verify.c), the
 *        objective evaluator (model/evaluate.c) and the calendar reader
 *        (io/calendar_read.c): each hard rule broken and kept, and every
 *        objective term on hand-computed cases.
 *
 * Inputs and calendars are written inline with single quotes standing for
 * double quotes (no id contains one), which keeps the JSON readable.
 * The default calendar is in UTC so that times read as written; 2027-01-04
 * is a Monday and 2027-01-13 a holiday.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/calendar_read.h"
#include "io/input.h"
#include "model/evaluate.h"
#include "model/verify.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Building inputs and calendars ==== */

/* Parts of an input; NULL takes the default below. */
typedef struct spec {
    const char *calendar, *rooms, *instructors, *programs, *cohorts, *tail;
} spec;

#define CAL_DEFAULT                                                                                \
    "'start': '2027-01-04', 'end': '2027-01-29', 'timezone': 'UTC', "                              \
    "'holidays': ['2027-01-13']"
#define ROOMS_DEFAULT                                                                              \
    "{'id': 'r1', 'site': 's1', 'capacity': 10, 'features': ['lab']},"                             \
    "{'id': 'r2', 'site': 's1', 'capacity': 4, 'features': ['lab']},"                              \
    "{'id': 'r3', 'site': 's2', 'capacity': 10, 'features': ['lab']},"                             \
    "{'id': 'r4', 'site': 's1', 'capacity': 10}"
#define INSTRUCTORS_DEFAULT                                                                        \
    "{'id': 'ana', 'skills': ['k8s'], 'sites': ['s1', 's2']},"                                     \
    "{'id': 'bo', 'skills': ['k8s'], 'sites': ['s1']},"                                            \
    "{'id': 'cy', 'skills': ['k8s'], 'sites': ['s2']},"                                            \
    "{'id': 'dee', 'skills': ['x'], 'sites': ['s1']}"
/* prep (120 min) -> m1 (live, lab) -> read (60 min) -> m2 (live, gap 2). */
#define MODULES_P                                                                                  \
    "{'id': 'prep', 'kind': 'self_paced', 'effort_minutes': 120},"                                 \
    "{'id': 'm1', 'kind': 'live', 'mode': 'in_person', 'duration_minutes': 120,"                   \
    " 'skills': ['k8s'], 'room_features': ['lab'], 'requires': ['prep']},"                         \
    "{'id': 'read', 'kind': 'self_paced', 'effort_minutes': 60, 'requires': ['m1']},"              \
    "{'id': 'm2', 'kind': 'live', 'mode': 'in_person', 'duration_minutes': 120,"                   \
    " 'skills': ['k8s'], 'requires': ['read'], 'min_gap_days': 2}"
#define PROGRAMS_DEFAULT "{'id': 'p', 'model': 'flipped', 'modules': [" MODULES_P "]}"
#define COHORT_C1                                                                                  \
    "{'id': 'c1', 'program': 'p', 'site': 's1', 'start': '2027-01-04', "                           \
    "'end': '2027-01-22', 'size': 8"
#define COHORTS_DEFAULT COHORT_C1 "}"
#define COHORT_C2                                                                                  \
    "{'id': 'c2', 'program': 'p', 'site': 's1', 'start': '2027-01-04', "                           \
    "'end': '2027-01-22', 'size': 8"

/* A session of a calendar; room is "'r1'" or "null", ins "'ana'" or "". */
#define SES(c, m, st, en, room, ins)                                                               \
    "{'cohort': '" c "', 'module': '" m "', 'start': '" st "', 'end': '" en "', 'room': " room     \
    ", 'instructors': [" ins "]}"
#define CALENDAR(sessions) "{'format': 'blendsched-calendar/1', 'sessions': [" sessions "]}"

/* The default cohort's calendar that keeps every rule. */
#define M1_OK SES("c1", "m1", "2027-01-06T09:00:00Z", "2027-01-06T11:00:00Z", "'r1'", "'ana'")
#define M2_OK SES("c1", "m2", "2027-01-08T09:00:00Z", "2027-01-08T11:00:00Z", "'r1'", "'ana'")

static char *dequote(const char *s)
{
    char *d = strdup(s);
    cr_assert_not_null(d);
    for (char *c = d; *c; c++)
        if (*c == '\'')
            *c = '"';
    return d;
}

static void print_messages(bs_messages *m)
{
    for (size_t i = 0; i < m->count; i++)
        fprintf(stderr, "  %s\n", m->items[i]);
}

static bs_problem *load(spec s)
{
    char *json = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&json, &len);
    cr_assert_not_null(f);
    fprintf(f,
            "{'format': 'blendsched/1', 'calendar': {%s}, 'rooms': [%s], 'instructors': [%s], "
            "'programs': [%s], 'cohorts': [%s]%s}",
            s.calendar ? s.calendar : CAL_DEFAULT, s.rooms ? s.rooms : ROOMS_DEFAULT,
            s.instructors ? s.instructors : INSTRUCTORS_DEFAULT,
            s.programs ? s.programs : PROGRAMS_DEFAULT, s.cohorts ? s.cohorts : COHORTS_DEFAULT,
            s.tail ? s.tail : "");
    fclose(f);
    char *text = dequote(json);
    free(json);
    bs_problem *p = NULL;
    bs_messages msgs = {0};
    bs_err err = {0};
    bs_rc rc = bs_input_load_buffer("in.json", text, strlen(text), &p, &msgs, &err);
    if (rc != BS_OK) {
        fprintf(stderr, "input rejected (%s): %s\n%s\n", bs_strerror(rc), err.msg, text);
        print_messages(&msgs);
    }
    bs_messages_free(&msgs);
    free(text);
    cr_assert_eq(rc, BS_OK, "the test input must load");
    return p;
}

static bs_rc read_cal(const bs_problem *p, const char *cal, bs_solution **out,
                      bs_calendar_info *info, bs_messages *msgs)
{
    char *text = dequote(cal);
    bs_err err = {0};
    bs_rc rc = bs_calendar_read_buffer("cal.json", text, strlen(text), p, out, info, msgs, &err);
    free(text);
    return rc;
}

static bs_solution *read_ok(const bs_problem *p, const char *cal)
{
    bs_solution *s = NULL;
    bs_messages msgs = {0};
    bs_rc rc = read_cal(p, cal, &s, NULL, &msgs);
    if (rc != BS_OK)
        print_messages(&msgs);
    bs_messages_free(&msgs);
    cr_assert_eq(rc, BS_OK, "the test calendar must read");
    return s;
}

/* The rules broken, as a string of labels in order without repeats:
 * "" when none, "1", "37", "p" for pins. */
static void rules_of(const bs_violations *v, char *buf)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < v->count; i++) {
        char c = v->items[i].rule == BS_RULE_PIN ? 'p' : (char)('0' + v->items[i].rule);
        if (strchr(buf, c) == NULL) {
            buf[n++] = c;
            buf[n] = '\0';
        }
    }
}

/* Verifies `cal` against the input of `s` and asserts the set of rules
 * broken; returns the number of violations. */
static size_t expect_rules(spec sp, const char *cal, const char *want)
{
    bs_problem *p = load(sp);
    bs_solution *s = read_ok(p, cal);
    bs_violations v = {0};
    cr_assert_eq(bs_verify(p, s, &v), BS_OK);
    char got[16] = "";
    rules_of(&v, got);
    if (strcmp(got, want) != 0)
        for (size_t i = 0; i < v.count; i++)
            fprintf(stderr, "  %s: %s\n", bs_rule_label(v.items[i].rule), v.items[i].message);
    cr_expect_str_eq(got, want, "rules broken: got \"%s\", want \"%s\"", got, want);
    size_t n = v.count;
    bs_violations_free(&v);
    bs_solution_destroy(&s);
    bs_problem_destroy(&p);
    return n;
}

static bs_objective objective_of(spec sp, const char *cal)
{
    bs_problem *p = load(sp);
    bs_solution *s = read_ok(p, cal);
    bs_objective o;
    cr_assert_eq(bs_evaluate_objective(p, s, &o), BS_OK);
    bs_solution_destroy(&s);
    bs_problem_destroy(&p);
    return o;
}

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

#define ROTATION(ordered)                                                                          \
    "{'id': 'p', 'model': 'rotation', 'cadence_days': 7, 'ordered': " ordered ", 'modules': ["     \
    "{'id': 'a', 'kind': 'live', 'mode': 'virtual', 'duration_minutes': 60},"                      \
    "{'id': 'b', 'kind': 'live', 'mode': 'virtual', 'duration_minutes': 60},"                      \
    "{'id': 'c', 'kind': 'live', 'mode': 'virtual', 'duration_minutes': 60}]}"

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
