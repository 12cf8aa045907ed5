/**
 * @file test_search.c
 * @brief Units of one sub-MIP's search (bs__mip_search in solver/search.c)
 *        on a model kept from a real run (fixtures/glpk/): it finishes
 *        within its node budget in bounded simplex work, keeps the start
 *        it is handed, and reports a bound no higher than what it found.
 */
#include <criterion/criterion.h>
#include <glpk.h>
#include <stdio.h>
#include <stdlib.h>

#include "solver/internal.h"
#include "solver/search.h"

#define STALLED_MPS "fixtures/glpk/stalled-submip.mps"
#define STALLED_START "fixtures/glpk/stalled-submip.start"

static glp_prob *load_stalled(double **start)
{
    glp_term_out(GLP_OFF);
    glp_prob *lp = glp_create_prob();
    cr_assert_eq(glp_read_mps(lp, GLP_MPS_FILE, NULL, STALLED_MPS), 0);
    int n = glp_get_num_cols(lp);
    *start = calloc((size_t)n + 1, sizeof(double));
    cr_assert_not_null(*start);
    FILE *f = fopen(STALLED_START, "r");
    cr_assert_not_null(f);
    for (int j = 1; j <= n; j++)
        cr_assert_eq(fscanf(f, "%lf", &(*start)[j]), 1, "start value %d", j);
    fclose(f);
    return lp;
}

static double objective_of(glp_prob *lp, const double *x)
{
    double z = glp_get_obj_coef(lp, 0);
    for (int j = 1; j <= glp_get_num_cols(lp); j++)
        z += glp_get_obj_coef(lp, j) * x[j];
    return z;
}

/* Unscaled, this model's node LPs ran 366,942 dual simplex iterations
 * ("numerical instability", 27 s here; 170 s inside a 3,000-cohort run);
 * scaled it needs about 3,000 in all. */
Test(search, stalled_submip_finishes_within_its_node_budget)
{
    double *start = NULL;
    glp_prob *lp = load_stalled(&start);
    bs__search s = {.node_limit = 50, .deadline = bs__now() + 60, .start = start};
    int ret = bs__mip_search(lp, &s);
    cr_expect(!s.time_hit, "the search met its safety deadline");
    cr_expect(ret == 0 || ret == GLP_ESTOP, "GLPK returned %d", ret);
    cr_expect_lt(glp_get_it_cnt(lp), 20000, "%d simplex iterations", glp_get_it_cnt(lp));
    cr_expect(s.start_given, "the start was never handed to GLPK");
    int status = glp_mip_status(lp);
    cr_assert(status == GLP_FEAS || status == GLP_OPT, "status %d", status);
    double found = glp_mip_obj_val(lp);
    cr_expect_leq(found, objective_of(lp, start) + 1e-6, "worse than the start: %g", found);
    cr_expect(s.has_bound);
    cr_expect_leq(s.bound, found + 1e-6, "bound %g above the solution %g", s.bound, found);
    glp_delete_prob(lp);
    glp_free_env();
    free(start);
}
