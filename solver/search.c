/**
 * @file search.c
 * @brief GLPK's search of one sub-MIP built by solver/submip.c: the model
 *        scaled, its LP relaxation, then branch and cut from the start it
 *        is handed, bounded by nodes (deterministic) and by the deadline
 *        (a safety net).
 */
#include <glpk.h>

#include "solver/internal.h"
#include "solver/search.h"

static void callback(glp_tree *tree, void *info)
{
    bs__search *cb = info;
    if (glp_ios_reason(tree) == GLP_IHEUR && cb->start && !cb->start_given) {
        cb->start_given = true;
        glp_ios_heur_sol(tree, cb->start);
    }
    int a_cnt, n_cnt, t_cnt;
    glp_ios_tree_size(tree, &a_cnt, &n_cnt, &t_cnt);
    cb->nodes = t_cnt;
    int best = glp_ios_best_node(tree);
    if (best != 0) {
        cb->bound = glp_ios_node_bound(tree, best);
        cb->has_bound = true;
    }
    if (cb->node_limit > 0 && t_cnt > cb->node_limit)
        glp_ios_terminate(tree);
    if ((cb->deadline > 0 && bs__now() > cb->deadline) || (cb->interrupt && *cb->interrupt)) {
        cb->time_hit = true;
        glp_ios_terminate(tree);
    }
}

int bs__mip_search(glp_prob *lp, bs__search *s)
{
    /* Scaled: minute rows (coefficients up to a day's minutes) beside
     * assignment rows, and prices from 0.001 to 40,000, sent GLPK's unscaled
     * node LPs into numerical-instability loops of hundreds of thousands of
     * dual simplex iterations (one sub-MIP of 751 columns ran 170 s on 3,000
     * cohorts; scaled, 3,115 iterations in 0.2 s: tests/solver/test_search.c) */
    glp_scale_prob(lp, GLP_SF_AUTO);
    glp_smcp smcp;
    glp_init_smcp(&smcp);
    smcp.msg_lev = s->verbosity >= 2 ? GLP_MSG_ON : GLP_MSG_OFF;
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.msg_lev = s->verbosity >= 2 ? GLP_MSG_ON : GLP_MSG_OFF;
    parm.presolve = GLP_OFF; /* the callback hands solutions in original columns */
    parm.mip_gap = s->mip_gap;
    parm.cb_func = callback;
    parm.cb_info = s;
    /* most-fractional branching: GLPK's default (Driebeck-Tomlin)
     * evaluates a tableau row per fractional column at every node,
     * which took a third of the run on 1,000 cohorts (measured with
     * perf) and placed fewer sessions in construction */
    parm.br_tech = GLP_BR_MFV;
    s->start_given = false;
    if (s->deadline > 0) {
        double left = s->deadline - bs__now();
        parm.tm_lim = left > 0 ? (int)(left * 1000) + 1 : 1;
        smcp.tm_lim = parm.tm_lim;
    }
    /* GLPK's LP presolver halves the root LP's time on these models
     * (measured); the search itself runs without, on the original
     * columns that the callback's start solution is written in */
    smcp.presolve = GLP_ON;
    int ret = glp_simplex(lp, &smcp);
    s->root_time = bs__now();
    if (ret == 0 && glp_get_status(lp) == GLP_OPT)
        ret = glp_intopt(lp, &parm);
    if (ret == GLP_ETMLIM)
        s->time_hit = true;
    return ret;
}
