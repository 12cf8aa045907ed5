/**
 * @file evaluate.c
 * @brief Recomputation of every weighted objective term of a calendar from
 *        its placed sessions alone (FORMAT.md "objective").
 *
 * This file deliberately knows nothing of the solver's formulation: it reads
 * the problem and the calendar and counts, so that it can serve as an
 * independent check of what the solver reports.
 */
#include "model/evaluate.h"

#include <stdlib.h>
#include <string.h>

static const char *const TERM_NAMES[BS_N_OBJECTIVE_TERMS] = {
    "unplaced", "instructor_change", "room_change", "outside_preferred", "rhythm", "cost", "spread",
    "isolated", "over_capacity",     "moved",       "reassigned"};

const char *bs_objective_term_name(size_t i)
{
    return i < BS_N_OBJECTIVE_TERMS ? TERM_NAMES[i] : NULL;
}

int bs_objective_term_index(const char *name)
{
    if (name == NULL)
        return -1;
    for (size_t i = 0; i < BS_N_OBJECTIVE_TERMS; i++)
        if (strcmp(TERM_NAMES[i], name) == 0)
            return (int)i;
    return -1;
}

/* The terms in TERM_NAMES order; one table keeps names and fields in step. */
static double *term_ptr(bs_objective *o, size_t i)
{
    switch (i) {
    case 0:
        return &o->unplaced;
    case 1:
        return &o->instructor_change;
    case 2:
        return &o->room_change;
    case 3:
        return &o->outside_preferred;
    case 4:
        return &o->rhythm;
    case 5:
        return &o->cost;
    case 6:
        return &o->spread;
    case 7:
        return &o->isolated;
    case 8:
        return &o->over_capacity;
    case 9:
        return &o->moved;
    case 10:
        return &o->reassigned;
    default:
        return NULL;
    }
}

double bs_objective_term(const bs_objective *o, size_t i)
{
    /* term_ptr only computes an address; the cast does not write. */
    double *v = term_ptr((bs_objective *)o, i);
    return v != NULL ? *v : 0.0;
}

void bs_objective_set_term(bs_objective *o, size_t i, double v)
{
    double *t = term_ptr(o, i);
    if (t != NULL)
        *t = v;
}

/* ==== Helpers ==== */

/* Civil day number (days since 1970-01-01) of instant t in the calendar
 * zone. Computed from the zone rather than the day table so that a session
 * outside the table (a broken calendar) still has a date. */
static int64_t local_date(const bs_problem *p, bs_time t)
{
    int64_t local = t + bs_tz_offset_at(p->tz, t);
    return local >= 0 ? local / 1440 : -((-local + 1439) / 1440);
}

static int local_minute(const bs_problem *p, bs_time t)
{
    int64_t local = t + bs_tz_offset_at(p->tz, t);
    int64_t m = local % 1440;
    return (int)(m < 0 ? m + 1440 : m);
}

static const bs_module *module_of(const bs_problem *p, const bs_assignment *a)
{
    return &p->programs[p->cohorts[a->cohort].program].modules[a->module];
}

/* Checks that every index the terms below follow is inside p, so that a
 * hand-made calendar cannot make them read out of bounds. */
static bool solution_fits(const bs_problem *p, const bs_solution *s)
{
    for (size_t i = 0; i < s->count; i++) {
        const bs_assignment *a = &s->items[i];
        if (a->cohort < 0 || (size_t)a->cohort >= p->n_cohorts)
            return false;
        const bs_program *pr = &p->programs[p->cohorts[a->cohort].program];
        if (a->module < 0 || (size_t)a->module >= pr->n_modules)
            return false;
        if (a->room < -1 || (a->room >= 0 && (size_t)a->room >= p->n_rooms))
            return false;
        for (size_t k = 0; k < a->instructors.count; k++) {
            int in = a->instructors.items[k];
            if (in < 0 || (size_t)in >= p->n_instructors)
                return false;
        }
    }
    return true;
}

/* Adds v to a small set of ints kept in an array; returns the new size. */
static size_t set_add(int *set, size_t n, int v)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == v)
            return n;
    set[n] = v;
    return n + 1;
}

static size_t count_distinct_dates(int64_t *dates, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < d && !seen; j++)
            seen = dates[j] == dates[i];
        if (!seen)
            dates[d++] = dates[i];
    }
    return d;
}

/* Number of isolated sessions among the placed sessions `idx` of one
 * learner: a session is not isolated when another of them on the same date
 * ends exactly as it starts or starts exactly as it ends. */
static size_t count_isolated(const bs_problem *p, const bs_solution *s, const size_t *idx, size_t n)
{
    size_t isolated = 0;
    for (size_t i = 0; i < n; i++) {
        const bs_assignment *x = &s->items[idx[i]];
        int64_t dx = local_date(p, x->start);
        bool joined = false;
        for (size_t j = 0; j < n && !joined; j++) {
            if (j == i)
                continue;
            const bs_assignment *y = &s->items[idx[j]];
            if ((y->end == x->start || y->start == x->end) && local_date(p, y->start) == dx)
                joined = true;
        }
        isolated += !joined;
    }
    return isolated;
}

/* ==== The terms ==== */

bs_rc bs_evaluate_objective(const bs_problem *p, const bs_solution *s, bs_objective *out)
{
    if (!solution_fits(p, s))
        return BS_EINVAL;
    const bs_weights *w = &p->weights;
    bs_objective o;
    memset(&o, 0, sizeof o);

    /* Placed assignments of each cohort: first[c] .. first[c+1] in `byc`. */
    size_t *first = bs_calloc(p->n_cohorts + 1, sizeof *first);
    size_t *byc = bs_calloc(s->count, sizeof *byc);
    size_t *scratch = bs_calloc(s->count, sizeof *scratch);
    /* Distinct instructors or rooms of one cohort: at most the table sizes. */
    int *ids =
        bs_calloc((p->n_instructors > p->n_rooms ? p->n_instructors : p->n_rooms) + 1, sizeof *ids);
    int64_t *dates = bs_calloc(s->count, sizeof *dates);
    if (first == NULL || byc == NULL || scratch == NULL || ids == NULL || dates == NULL) {
        free(first);
        free(byc);
        free(scratch);
        free(ids);
        free(dates);
        return BS_ENOMEM;
    }
    for (size_t i = 0; i < s->count; i++)
        if (s->items[i].placed)
            first[s->items[i].cohort + 1]++;
    for (size_t c = 0; c < p->n_cohorts; c++)
        first[c + 1] += first[c];
    {
        size_t *fill = scratch; /* borrowed as a write cursor per cohort */
        for (size_t c = 0; c < p->n_cohorts; c++)
            fill[c] = first[c];
        for (size_t i = 0; i < s->count; i++)
            if (s->items[i].placed)
                byc[fill[s->items[i].cohort]++] = i;
    }

    /* Per-session terms. */
    for (size_t i = 0; i < s->count; i++) {
        const bs_assignment *a = &s->items[i];
        const bs_cohort *c = &p->cohorts[a->cohort];
        const bs_program *pr = &p->programs[c->program];
        const bs_module *m = module_of(p, a);
        if (a->change == BS_CHANGE_MOVED)
            o.moved += w->moved;
        else if (a->change == BS_CHANGE_REASSIGNED)
            o.reassigned += w->reassigned;
        if (!a->placed) {
            /* Skipped optional sessions of a flex program cost nothing. */
            if (!(m->optional && pr->model == BS_FLEX))
                o.unplaced += w->unplaced * c->priority;
            continue;
        }
        if (c->has_preferred && !bs_intervals_contain(&c->preferred, a->start, a->end))
            o.outside_preferred += w->outside_preferred;
        double per_hour = a->room >= 0 ? p->rooms[a->room].cost_per_hour : 0.0;
        for (size_t k = 0; k < a->instructors.count; k++)
            per_hour += p->instructors[a->instructors.items[k]].cost_per_hour;
        o.cost += w->cost * per_hour * m->duration_minutes / 60.0;
        if (w->has_over_capacity && a->room >= 0 && c->size > p->rooms[a->room].capacity)
            o.over_capacity += w->over_capacity * (c->size - p->rooms[a->room].capacity);
    }

    /* Per-cohort terms. */
    for (size_t c = 0; c < p->n_cohorts; c++) {
        const bs_cohort *co = &p->cohorts[c];
        const bs_program *pr = &p->programs[co->program];
        size_t n = first[c + 1] - first[c];
        const size_t *mine = &byc[first[c]];

        int largest = 0;
        for (size_t m = 0; m < pr->n_modules; m++)
            if (pr->modules[m].is_live && pr->modules[m].instructors > largest)
                largest = pr->modules[m].instructors;
        size_t n_ins = 0, n_rooms = 0;
        for (size_t k = 0; k < n; k++) {
            const bs_assignment *a = &s->items[mine[k]];
            for (size_t j = 0; j < a->instructors.count; j++)
                n_ins = set_add(ids, n_ins, a->instructors.items[j]);
        }
        if (n_ins > (size_t)largest)
            o.instructor_change += w->instructor_change * (double)(n_ins - (size_t)largest);
        for (size_t k = 0; k < n; k++)
            if (s->items[mine[k]].room >= 0)
                n_rooms = set_add(ids, n_rooms, s->items[mine[k]].room);
        if (n_rooms > 1)
            o.room_change += w->room_change * (double)(n_rooms - 1);

        if (co->min_days > 0) {
            for (size_t k = 0; k < n; k++)
                dates[k] = local_date(p, s->items[mine[k]].start);
            size_t distinct = count_distinct_dates(dates, n);
            if (distinct < (size_t)co->min_days)
                o.spread += w->spread * (double)((size_t)co->min_days - distinct);
        }

        if (pr->model == BS_ROTATION && n > 0) {
            /* The earliest placed session sets the rhythm; ties in start go
             * to the module listed first (items are in module order). */
            const bs_assignment *e = &s->items[mine[0]];
            for (size_t k = 1; k < n; k++)
                if (s->items[mine[k]].start < e->start)
                    e = &s->items[mine[k]];
            int64_t ed = local_date(p, e->start);
            int ewd = bs_weekday_from_days(ed), em = local_minute(p, e->start);
            for (size_t k = 0; k < n; k++) {
                const bs_assignment *a = &s->items[mine[k]];
                if (a == e)
                    continue;
                if (bs_weekday_from_days(local_date(p, a->start)) != ewd ||
                    local_minute(p, a->start) != em)
                    o.rhythm += w->rhythm;
            }
        }

        if (co->learners.count == 0)
            o.isolated += w->isolated * (double)count_isolated(p, s, mine, n);
    }

    /* Learners listed in cohorts: their sessions come from every cohort that
     * lists them. */
    for (size_t l = 0; l < p->n_learners; l++) {
        const bs_learner *le = &p->learners[l];
        size_t n = 0;
        for (size_t k = 0; k < le->cohorts.count; k++) {
            int c = le->cohorts.items[k];
            /* A cohort named twice would count its sessions twice (and
             * overrun `scratch`): take each once. */
            bool again = false;
            for (size_t j = 0; j < k && !again; j++)
                again = le->cohorts.items[j] == c;
            if (again || c < 0 || (size_t)c >= p->n_cohorts)
                continue;
            for (size_t j = first[c]; j < first[c + 1]; j++)
                scratch[n++] = byc[j];
        }
        o.isolated += w->isolated * (double)count_isolated(p, s, scratch, n);
    }

    o.total = 0;
    for (size_t i = 0; i < BS_N_OBJECTIVE_TERMS; i++)
        o.total += bs_objective_term(&o, i);
    free(first);
    free(byc);
    free(scratch);
    free(ids);
    free(dates);
    *out = o;
    return BS_OK;
}
