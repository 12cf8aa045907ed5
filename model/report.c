/**
 * @file report.c
 * @brief Lifetime of conflict reports.
 */
#include "model/report.h"

#include <stdlib.h>

void bs_report_destroy(bs_report **pr)
{
    if (pr == NULL || *pr == NULL)
        return;
    bs_report *r = *pr;
    for (size_t i = 0; i < r->n_unplaced; i++) {
        free(r->unplaced[i].message);
        for (size_t k = 0; k < r->unplaced[i].n_blocking; k++)
            free(r->unplaced[i].blocking[k]);
        free(r->unplaced[i].blocking);
    }
    free(r->unplaced);
    free(r->skipped);
    for (size_t i = 0; i < r->n_warnings; i++) {
        free(r->warnings[i].code);
        free(r->warnings[i].message);
    }
    free(r->warnings);
    free(r);
    *pr = NULL;
}

bs_rc bs_report_add_warning(bs_report *r, const char *code, const char *message)
{
    bs_warning *g = bs_reallocarray(r->warnings, r->n_warnings + 1, sizeof *g);
    if (g == NULL)
        return BS_ENOMEM;
    r->warnings = g;
    g[r->n_warnings].code = bs_strdup(code);
    g[r->n_warnings].message = bs_strdup(message);
    if (!g[r->n_warnings].code || !g[r->n_warnings].message) {
        free(g[r->n_warnings].code);
        free(g[r->n_warnings].message);
        return BS_ENOMEM;
    }
    r->n_warnings++;
    return BS_OK;
}
