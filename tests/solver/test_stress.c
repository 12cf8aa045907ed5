/**
 * @file test_stress.c
 * @brief Concurrent use of GLPK as Debian builds it: many solves at once in
 *        many threads give exactly what the same solves give one by one.
 *        Run under ASan/UBSan by `make asan`, which also catches a GLPK
 *        environment shared across threads.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <glpk.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/calendar_write.h"
#include "io/input.h"
#include "solver/solver.h"

#define STRESS_THREADS 4

Test(stress, glpk_keeps_its_environment_per_thread)
{
    /* TOOLCHAIN.md: without thread-local storage GLPK shares one
     * environment, and concurrent solves would corrupt each other */
    const char *tls = glp_config("TLS");
    cr_assert_not_null(tls, "this GLPK build has no thread-local storage");
}

/* A small knapsack-with-conflicts MIP whose optimum depends on `seed`:
 * enough branching to exercise the search in every thread. */
static double raw_glpk_solve(int seed)
{
    glp_term_out(GLP_OFF);
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    enum { N = 30 };
    glp_add_cols(lp, N);
    glp_add_rows(lp, 2);
    glp_set_row_bnds(lp, 1, GLP_UP, 0, 50 + seed % 7);
    glp_set_row_bnds(lp, 2, GLP_UP, 0, 40 + seed % 5);
    int ia[2 * N + 1], ja[2 * N + 1];
    double ar[2 * N + 1];
    unsigned x = 2166136261u ^ (unsigned)seed;
    for (int j = 1; j <= N; j++) {
        x = x * 16777619u + 12345u;
        glp_set_col_kind(lp, j, GLP_BV);
        glp_set_obj_coef(lp, j, 1 + (x >> 8) % 17);
        ia[j] = 1, ja[j] = j, ar[j] = 1 + (x >> 13) % 9;
        ia[N + j] = 2, ja[N + j] = j, ar[N + j] = 1 + (x >> 18) % 7;
    }
    glp_load_matrix(lp, 2 * N, ia, ja, ar);
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    double obj = -1;
    if (glp_intopt(lp, &parm) == 0 && glp_mip_status(lp) == GLP_OPT)
        obj = glp_mip_obj_val(lp);
    glp_delete_prob(lp);
    return obj;
}

Test(stress, concurrent_raw_glpk_solves_equal_serial_ones)
{
    enum { RUNS = 64 };
    double serial[RUNS], parallel[RUNS];
    for (int k = 0; k < RUNS; k++)
        serial[k] = raw_glpk_solve(k);
#pragma omp parallel num_threads(STRESS_THREADS)
    {
#pragma omp for schedule(dynamic, 1)
        for (int k = 0; k < RUNS; k++)
            parallel[k] = raw_glpk_solve(k);
        glp_free_env();
    }
    glp_free_env();
    for (int k = 0; k < RUNS; k++) {
        cr_assert_gt(serial[k], 0, "run %d found no optimum", k);
        cr_assert_float_eq(parallel[k], serial[k], 1e-9, "run %d: %g concurrently, %g alone", k,
                           parallel[k], serial[k]);
    }
}

static bs_problem *load_file(const char *path)
{
    bs_problem *p = NULL;
    bs_messages errors = {0};
    bs_err err = {0};
    bs_rc rc = bs_input_load_file(path, 0, &p, &errors, &err);
    bs_messages_free(&errors);
    cr_assert_eq(rc, BS_OK, "%s does not load: %s", path, err.msg);
    return p;
}

/* The calendar and conflict report of one whole solve, as the bytes
 * `solve` would write. */
static char *solve_text(const bs_problem *p, int threads)
{
    bs_solve_opts o;
    bs_solve_opts_init(&o);
    o.threads = threads;
    bs_solution *s = NULL;
    bs_report *r = NULL;
    bs_err err = {0};
    if (bs_solver_run(p, &o, &s, &r, &err) != BS_OK)
        return NULL;
    bs_buf b;
    bs_buf_init(&b);
    bool ok = bs_calendar_write_json(p, s, &b) == BS_OK && bs_report_write_json(p, r, &b) == BS_OK;
    bs_solution_destroy(&s);
    bs_report_destroy(&r);
    if (!ok) {
        free(b.data);
        return NULL;
    }
    return b.data;
}

Test(stress, concurrent_whole_solves_equal_serial_ones, .timeout = 600)
{
    /* whole solves at once, each itself asking for two threads (nested
     * regions run on one), as `compare` runs scenarios */
    const char *paths[] = {"fixtures/example/input.json", "fixtures/solve/rule6-rotation-cadence/input.json",
                           "fixtures/solve/rule5-shared-learner/input.json"};
    enum { N_INPUTS = sizeof paths / sizeof *paths, RUNS = 12 };
    bs_problem *p[N_INPUTS];
    char *serial[N_INPUTS];
    for (int k = 0; k < N_INPUTS; k++) {
        p[k] = load_file(paths[k]);
        serial[k] = solve_text(p[k], 1);
        cr_assert_not_null(serial[k], "%s: serial solve failed", paths[k]);
    }
    char *parallel[RUNS];
#pragma omp parallel num_threads(STRESS_THREADS)
    {
#pragma omp for schedule(dynamic, 1)
        for (int k = 0; k < RUNS; k++)
            parallel[k] = solve_text(p[k % N_INPUTS], 2);
        glp_free_env();
    }
    glp_free_env();
    for (int k = 0; k < RUNS; k++) {
        cr_assert_not_null(parallel[k], "run %d failed", k);
        cr_assert_str_eq(parallel[k], serial[k % N_INPUTS], "run %d (%s) differs from its serial solve",
                         k, paths[k % N_INPUTS]);
        free(parallel[k]);
    }
    for (int k = 0; k < N_INPUTS; k++) {
        free(serial[k]);
        bs_problem_destroy(&p[k]);
    }
}
