/**
 * @file solution.c
 * @brief Creation and lookup of calendars as data.
 */
#include "model/solution.h"

#include <stdlib.h>

bs_rc bs_solution_create(const bs_problem *p, bs_solution **out)
{
    size_t n = 0;
    for (size_t c = 0; c < p->n_cohorts; c++) {
        const bs_program *pr = &p->programs[p->cohorts[c].program];
        for (size_t m = 0; m < pr->n_modules; m++)
            n += pr->modules[m].is_live;
    }
    bs_solution *s = bs_calloc(1, sizeof *s);
    if (s == NULL || (s->items = bs_calloc(n, sizeof *s->items)) == NULL) {
        free(s);
        return BS_ENOMEM;
    }
    s->count = n;
    size_t k = 0;
    for (size_t c = 0; c < p->n_cohorts; c++) {
        const bs_program *pr = &p->programs[p->cohorts[c].program];
        for (size_t m = 0; m < pr->n_modules; m++) {
            if (!pr->modules[m].is_live)
                continue;
            s->items[k].cohort = (int)c;
            s->items[k].module = (int)m;
            s->items[k].room = -1;
            k++;
        }
    }
    s->status = BS_STATUS_PARTIAL;
    *out = s;
    return BS_OK;
}

void bs_solution_destroy(bs_solution **ps)
{
    if (ps == NULL || *ps == NULL)
        return;
    for (size_t i = 0; i < (*ps)->count; i++)
        free((*ps)->items[i].instructors.items);
    free((*ps)->items);
    free(*ps);
    *ps = NULL;
}

int bs_solution_find(const bs_solution *s, int cohort, int module)
{
    /* Items are sorted by (cohort, module): binary search. */
    size_t lo = 0, hi = s->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const bs_assignment *a = &s->items[mid];
        if (a->cohort < cohort || (a->cohort == cohort && a->module < module))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->count && s->items[lo].cohort == cohort && s->items[lo].module == module)
        return (int)lo;
    return -1;
}

bs_change_counts bs_solution_count_changes(const bs_solution *s)
{
    bs_change_counts n = {0, 0, 0};
    for (size_t i = 0; i < s->count; i++) {
        const bs_assignment *a = &s->items[i];
        if (!a->placed)
            continue;
        n.moved += a->change == BS_CHANGE_MOVED;
        n.reassigned += a->change == BS_CHANGE_REASSIGNED;
        n.added += a->change == BS_CHANGE_NEW;
    }
    return n;
}
