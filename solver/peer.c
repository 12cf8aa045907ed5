/**
 * @file peer.c
 * @brief The monolithic model handed to other solvers: built by the
 *        sub-MIP builder of solver/submip.c (every cohort, every candidate,
 *        every precedence record, an empty calendar around it), written as
 *        fixed MPS, and a peer's solution of it read back into a calendar.
 *
 * The model is taken from the builder through the context's model hook
 * instead of being rebuilt here, so that the peers solve exactly the rows
 * and columns the engine's monolithic step would, and a change to the
 * formulation reaches them without a second copy. Reading a solution
 * rebuilds the same model (the build is deterministic) to map GLPK's column
 * numbers back to placements.
 */
#define _POSIX_C_SOURCE 200809L
#include "solver/peer.h"

#include "model/evaluate.h"
#include "solver/glpk_guard.h"
#include "solver/internal.h"

#include <errno.h>
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct hook_state {
    const char *write_path; /* the MPS to write, or NULL to read read_path */
    const char *read_path;
    bs_peer_format fmt;
    double min_unplaced; /* least penalty of leaving one required session unplaced */
    bs_peer_model model;
    bool called;
} hook_state;

/* ==== Writing ==== */

static bs_rc write_mps(glp_prob *lp, const char *path, bs_err *err)
{
    /* GLPK writes in place; a temporary file in the same folder renamed
     * over the target keeps a failed write from leaving half a model */
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (tmp == NULL)
        return bs_err_set(err, BS_ENOMEM, "out of memory writing %s", path);
    snprintf(tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        bs_err_set(err, BS_EIO, "%s: cannot write: %s", path, strerror(errno));
        free(tmp);
        return BS_EIO;
    }
    close(fd);
    bs_rc rc = BS_OK;
    if (glp_write_mps(lp, GLP_MPS_DECK, NULL, tmp) != 0) {
        rc = bs_err_set(err, BS_EIO, "%s: GLPK could not write the MPS file", path);
    } else if (rename(tmp, path) != 0) {
        rc = bs_err_set(err, BS_EIO, "%s: cannot write: %s", path, strerror(errno));
    }
    if (rc != BS_OK)
        unlink(tmp);
    free(tmp);
    return rc;
}

/* ==== Reading ==== */

/* CBC's listing: a status line ("Optimal - objective value 12.5",
 * "Stopped on time - objective value ...", "Infeasible ...", or a line
 * saying no integer solution was found), then one line per nonzero column:
 * index, name, value, reduced cost, with "**" in front of values outside
 * their bounds. Without an integer point nothing is taken. */
static bs_rc read_cbc(const char *path, int col_var0, size_t n_cols, double *val, double *objective,
                      bs_err *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return bs_err_set(err, BS_EIO, "%s: cannot read: %s", path, strerror(errno));
    char line[512];
    bs_rc rc = BS_OK;
    if (fgets(line, sizeof line, f) == NULL) {
        fclose(f);
        return bs_err_set(err, BS_EPARSE, "%s: empty, not a CBC solution", path);
    }
    const char *ov = strstr(line, "objective value");
    bool integer = ov != NULL && strstr(line, "Infeasible") == NULL &&
                   strstr(line, "no integer") == NULL && strstr(line, "continuous") == NULL;
    if (ov == NULL && strstr(line, "Infeasible") == NULL && strstr(line, "no integer") == NULL &&
        strstr(line, "No feasible") == NULL && strstr(line, "nfeasible") == NULL) {
        fclose(f);
        return bs_err_set(err, BS_EPARSE, "%s: line 1: not a CBC solution status line", path);
    }
    if (integer)
        *objective = strtod(ov + strlen("objective value"), NULL);
    for (long lineno = 2; integer && fgets(line, sizeof line, f) != NULL; lineno++) {
        char *s = line;
        while (*s == ' ' || *s == '*')
            s++;
        long index;
        char name[64];
        double v;
        if (sscanf(s, "%ld %63s %lf", &index, name, &v) != 3) {
            rc = bs_err_set(err, BS_EPARSE, "%s: line %ld: expected index, name and value", path,
                            lineno);
            break;
        }
        char *end;
        long j = name[0] == 'C' ? strtol(name + 1, &end, 10) : -1;
        if (j < 0 || *end != '\0')
            continue; /* a row, or a name this model does not write */
        if (j >= col_var0 && (size_t)(j - col_var0) < n_cols)
            val[j - col_var0] = v;
    }
    fclose(f);
    return rc;
}

static bs_rc read_glpk(glp_prob *lp, const char *path, int col_var0, size_t n_cols, double *val,
                       double *objective, bs_err *err)
{
    if (access(path, R_OK) != 0)
        return bs_err_set(err, BS_EIO, "%s: cannot read: %s", path, strerror(errno));
    if (glp_read_mip(lp, path) != 0)
        return bs_err_set(err, BS_EPARSE,
                          "%s: not a GLPK MIP solution of this model (glpsol -w writes one)", path);
    int status = glp_mip_status(lp);
    if (status != GLP_OPT && status != GLP_FEAS)
        return BS_OK;
    *objective = glp_mip_obj_val(lp);
    for (size_t c = 0; c < n_cols; c++)
        val[c] = glp_mip_col_val(lp, col_var0 + (int)c);
    return BS_OK;
}

/* ==== The hook and the common part ==== */

static bs_rc take_model(void *info, struct glp_prob *lp, int col_var0, size_t n_cols, double *val,
                        bs_err *err)
{
    hook_state *h = info;
    h->called = true;
    bs_peer_model *m = &h->model;
    m->rows = (size_t)glp_get_num_rows(lp);
    m->columns = (size_t)glp_get_num_cols(lp);
    m->binaries = (size_t)glp_get_num_bin(lp);
    m->nonzeros = (size_t)glp_get_num_nz(lp);
    m->constant = glp_get_obj_coef(lp, 0);
    double negative = 0;
    for (int j = 1; j <= glp_get_num_cols(lp); j++) {
        double c = glp_get_obj_coef(lp, j);
        if (c < 0)
            negative += c * (glp_get_col_type(lp, j) == GLP_DB ? glp_get_col_ub(lp, j) : INFINITY);
    }
    m->complete_below = h->min_unplaced + negative;
    /* The constant stays out of the file: glpsol reads the objective row's
     * RHS as +constant and CBC as -constant (measured), so each peer's
     * objective is the file's plus info->constant. */
    glp_set_obj_coef(lp, 0, 0);
    if (h->write_path != NULL)
        return write_mps(lp, h->write_path, err);
    bs_rc rc = h->fmt == BS_PEER_CBC
                   ? read_cbc(h->read_path, col_var0, n_cols, val, &m->mip_objective, err)
                   : read_glpk(lp, h->read_path, col_var0, n_cols, val, &m->mip_objective, err);
    m->mip_objective += m->constant;
    return rc;
}

/* Build the model of every cohort against an empty calendar and pass it to
 * the hook; the calendar that comes back holds what the hook chose. */
static bs_rc run_model(const bs_problem *p, hook_state *h, bs_solution **out, bs_err *err)
{
    bs_solve_opts o;
    bs_solve_opts_init(&o);
    o.threads = 1;
    bs__ctx ctx = {
        .p = p, .o = &o, .start_time = bs__now(), .model_hook = take_model, .hook_info = h};
    bs_domains *d = NULL;
    bs_solution *sol = NULL;
    bs__occ *empty = NULL;
    int *all = NULL;
    bs__subresult res = {0};
    glp_term_out(GLP_OFF);
    bs_rc rc = bs_domains_build(p, &d, err);
    ctx.d = d;
    if (rc == BS_OK)
        rc = bs__build_peers(p, &ctx.peers);
    if (rc == BS_OK)
        rc = bs_solution_create(p, &sol);
    if (rc == BS_OK)
        rc = bs__occ_create(p, d, &empty);
    if (rc == BS_OK && (all = bs_calloc(p->n_cohorts + 1, sizeof *all)) == NULL)
        rc = BS_ENOMEM;
    h->min_unplaced = INFINITY;
    for (size_t s = 0; rc == BS_OK && s < d->n_sessions; s++) {
        double w = p->weights.unplaced * p->cohorts[d->sessions[s].cohort].priority;
        if (!d->sessions[s].optional && w < h->min_unplaced)
            h->min_unplaced = w;
    }
    for (size_t c = 0; rc == BS_OK && c < p->n_cohorts; c++)
        all[c] = (int)c;
    if (rc == BS_OK)
        rc = bs__submip_solve(&ctx, empty, all, p->n_cohorts, sol, 0, &res, err);
    if (rc == BS_OK && !h->called) {
        /* no session has a candidate: the builder makes no MIP, so the
         * model is an empty one */
        bs__glpk_guard();
        glp_prob *lp = glp_create_prob();
        glp_set_obj_dir(lp, GLP_MIN);
        rc = take_model(h, lp, 1, 0, NULL, err);
        glp_delete_prob(lp);
    }
    if (rc == BS_OK && res.changed)
        bs__subresult_swap(&ctx, sol, all, p->n_cohorts, &res);
    bs__subresult_free(&res);
    if (rc == BS_OK) {
        rc = bs_evaluate_objective(p, sol, &sol->objective);
        bool complete = true;
        for (size_t s = 0; s < sol->count; s++)
            complete = complete && (sol->items[s].placed || d->sessions[s].optional);
        sol->status = complete ? BS_STATUS_COMPLETE : BS_STATUS_PARTIAL;
    }
    free(all);
    bs__occ_destroy(&empty);
    for (size_t c = 0; ctx.peers && c < p->n_cohorts; c++)
        free(ctx.peers[c].items);
    free(ctx.peers);
    bs_domains_destroy(&d);
    glp_free_env();
    if (rc == BS_OK && out != NULL)
        *out = sol;
    else
        bs_solution_destroy(&sol);
    return rc;
}

bs_rc bs_peer_write_mps(const bs_problem *p, const char *path, bs_peer_model *info, bs_err *err)
{
    hook_state h = {.write_path = path};
    BS_TRY(run_model(p, &h, NULL, err));
    if (info)
        *info = h.model;
    return BS_OK;
}

bs_rc bs_peer_read_solution(const bs_problem *p, bs_peer_format fmt, const char *path,
                            bs_solution **out, bs_peer_model *info, bs_err *err)
{
    hook_state h = {.read_path = path, .fmt = fmt};
    h.model.mip_objective = NAN;
    BS_TRY(run_model(p, &h, out, err));
    if (info)
        *info = h.model;
    return BS_OK;
}
