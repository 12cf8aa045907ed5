/**
 * @file solve_util.h
 * @brief Shared by the solver units: load an instance from a JSON string,
 *        run the solver with given options, count what the independent
 *        verifier finds. Static inline, so each unit takes what it uses.
 */
#ifndef BS_TEST_SOLVE_UTIL_H
#define BS_TEST_SOLVE_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "io/input.h"
#include "model/verify.h"
#include "solver/solver.h"

/* The instance in `json`; its input errors on stderr, then a failed assertion. */
static inline bs_problem *load_json(const char *json)
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

/* The calendar of one solve; the report in *report, or dropped when NULL. */
static inline bs_solution *run_solver(const bs_problem *p, const bs_solve_opts *o,
                                      bs_report **report)
{
    bs_solution *s = NULL;
    bs_report *r = NULL;
    bs_err err = {0};
    cr_assert_eq(bs_solver_run(p, o, &s, &r, &err), BS_OK, "solve failed: %s", err.msg);
    if (report != NULL)
        *report = r;
    else
        bs_report_destroy(&r);
    return s;
}

/* What verify finds in s, each printed on stderr; a recorded objective
 * that differs from the recomputed one counts only with `objective`. */
static inline size_t violations_of(const bs_problem *p, const bs_solution *s, bool objective)
{
    bs_violations v = {0};
    cr_assert_eq(bs_verify(p, s, &v), BS_OK);
    size_t n = 0;
    for (size_t k = 0; k < v.count; k++) {
        if (!objective && v.items[k].rule == BS_RULE_OBJECTIVE)
            continue;
        fprintf(stderr, "violation: rule %d: %s\n", v.items[k].rule, v.items[k].message);
        n++;
    }
    bs_violations_free(&v);
    return n;
}

#endif
