/**
 * @file verify_cases.h
 * @brief The checker units' inputs and calendars (test_verify.c and
 *        test_objective.c): a default input in parts, calendars written
 *        inline with single quotes standing for double quotes, and loaders
 *        that fail the test on a bad fixture.
 *
 * The default calendar is in UTC so that times read as written; 2027-01-04
 * is a Monday and 2027-01-13 a holiday.
 */
#ifndef BS_TESTS_VERIFY_CASES_H
#define BS_TESTS_VERIFY_CASES_H

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

static inline char *dequote(const char *s)
{
    char *d = strdup(s);
    cr_assert_not_null(d);
    for (char *c = d; *c; c++)
        if (*c == '\'')
            *c = '"';
    return d;
}

static inline void print_messages(bs_messages *m)
{
    for (size_t i = 0; i < m->count; i++)
        fprintf(stderr, "  %s\n", m->items[i]);
}

static inline bs_problem *load(spec s)
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

static inline bs_rc read_cal(const bs_problem *p, const char *cal, bs_solution **out,
                             bs_calendar_info *info, bs_messages *msgs)
{
    char *text = dequote(cal);
    bs_err err = {0};
    bs_rc rc = bs_calendar_read_buffer("cal.json", text, strlen(text), p, out, info, msgs, &err);
    free(text);
    return rc;
}

static inline bs_solution *read_ok(const bs_problem *p, const char *cal)
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
static inline void rules_of(const bs_violations *v, char *buf)
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
static inline size_t expect_rules(spec sp, const char *cal, const char *want)
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

static inline bs_objective objective_of(spec sp, const char *cal)
{
    bs_problem *p = load(sp);
    bs_solution *s = read_ok(p, cal);
    bs_objective o;
    cr_assert_eq(bs_evaluate_objective(p, s, &o), BS_OK);
    bs_solution_destroy(&s);
    bs_problem_destroy(&p);
    return o;
}

/* A rotation program of three live modules a, b, c, a week apart at most. */
#define ROTATION(ordered)                                                                          \
    "{'id': 'p', 'model': 'rotation', 'cadence_days': 7, 'ordered': " ordered ", 'modules': ["     \
    "{'id': 'a', 'kind': 'live', 'mode': 'virtual', 'duration_minutes': 60},"                      \
    "{'id': 'b', 'kind': 'live', 'mode': 'virtual', 'duration_minutes': 60},"                      \
    "{'id': 'c', 'kind': 'live', 'mode': 'virtual', 'duration_minutes': 60}]}"

#endif
