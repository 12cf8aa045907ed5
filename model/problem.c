/**
 * @file problem.c
 * @brief Destruction of a problem and the small queries every module shares
 *        (slots, days, study days, interval tests, time formatting).
 */
#include "model/problem.h"

#include <stdio.h>
#include <stdlib.h>

static void free_ids(bs_ids *ids)
{
    free(ids->items);
    ids->items = NULL;
    ids->count = 0;
}

static void free_intervals(bs_intervals *iv)
{
    free(iv->items);
    iv->items = NULL;
    iv->count = 0;
}

void bs_problem_destroy(bs_problem **pp)
{
    if (pp == NULL || *pp == NULL)
        return;
    bs_problem *p = *pp;
    free(p->timezone);
    bs_tz_destroy(&p->tz);
    free(p->days);
    free(p->slots);
    for (size_t i = 0; i < p->n_sites; i++)
        free(p->sites[i]);
    free(p->sites);
    for (size_t i = 0; i < p->n_tags; i++)
        free(p->tags[i]);
    free(p->tags);
    for (size_t i = 0; i < p->n_rooms; i++) {
        bs_room *r = &p->rooms[i];
        free(r->id);
        free(r->name);
        free_ids(&r->features);
        free_intervals(&r->unavailable);
    }
    free(p->rooms);
    for (size_t i = 0; i < p->n_instructors; i++) {
        bs_instructor *in = &p->instructors[i];
        free(in->id);
        free(in->name);
        free(in->timezone);
        free_ids(&in->skills);
        free_ids(&in->sites);
        free_intervals(&in->available);
        free_intervals(&in->unavailable);
    }
    free(p->instructors);
    for (size_t i = 0; i < p->n_programs; i++) {
        bs_program *pr = &p->programs[i];
        free(pr->id);
        free(pr->name);
        for (size_t m = 0; m < pr->n_modules; m++) {
            bs_module *mo = &pr->modules[m];
            free(mo->id);
            free(mo->title);
            free_ids(&mo->requires);
            free_ids(&mo->skills);
            free_ids(&mo->room_features);
        }
        free(pr->modules);
    }
    free(p->programs);
    for (size_t i = 0; i < p->n_cohorts; i++) {
        bs_cohort *c = &p->cohorts[i];
        free(c->id);
        free(c->name);
        free(c->timezone);
        free_ids(&c->learners);
        free_ids(&c->instructors);
        free_intervals(&c->window);
        free_intervals(&c->unavailable);
        free_intervals(&c->preferred);
    }
    free(p->cohorts);
    for (size_t i = 0; i < p->n_learners; i++) {
        bs_learner *l = &p->learners[i];
        free(l->id);
        free(l->name);
        free(l->timezone);
        free_intervals(&l->hours);
        free_intervals(&l->unavailable);
        free(l->completed);
        free_ids(&l->cohorts);
    }
    free(p->learners);
    for (size_t i = 0; i < p->n_pins; i++) {
        free_ids(&p->pins[i].instructors);
        free(p->pins[i].broken);
    }
    free(p->pins);
    for (size_t i = 0; i < p->n_warnings; i++) {
        free(p->warnings[i].code);
        free(p->warnings[i].message);
    }
    free(p->warnings);
    free(p);
    *pp = NULL;
}

size_t bs_problem_slot_at_or_after(const bs_problem *p, bs_time t)
{
    size_t lo = 0, hi = p->n_slots;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->slots[mid].start < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int bs_problem_day_of(const bs_problem *p, bs_time t)
{
    if (p->n_days == 0 || t < p->days[0].begin)
        return -1;
    /* the last day with begin <= t: days are consecutive dates of 23 to
     * 25 hours, so t's distance from the first midnight in whole days is
     * at most a day or two off; walk from there */
    size_t lo = (size_t)((t - p->days[0].begin) / (24 * 60));
    if (lo >= p->n_days)
        lo = p->n_days - 1;
    while (lo > 0 && p->days[lo].begin > t)
        lo--;
    while (lo + 1 < p->n_days && p->days[lo + 1].begin <= t)
        lo++;
    /* Past the last day's end (the next local midnight) is outside. */
    if (lo == p->n_days - 1 && t >= p->days[lo].begin + 25 * 60)
        return -1;
    return (int)lo;
}

int bs_problem_study_days(const bs_problem *p, int from_day, int to_day)
{
    if (from_day < 0)
        from_day = 0;
    if (to_day >= (int)p->n_days)
        to_day = (int)p->n_days - 1;
    int n = 0;
    for (int d = from_day; d <= to_day; d++)
        n += p->days[d].is_workday;
    return n;
}

void bs_problem_format_time(const bs_problem *p, bs_time t, char *buf, size_t size)
{
    int off = bs_tz_offset_at(p->tz, t);
    int64_t local = t + off;
    int64_t days = local >= 0 ? local / 1440 : -((-local + 1439) / 1440);
    int minute = (int)(local - days * 1440);
    int y, m, d;
    bs_civil_from_days(days, &y, &m, &d);
    int aoff = off < 0 ? -off : off;
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:00%c%02d:%02d", y, m, d, minute / 60,
             minute % 60, off < 0 ? '-' : '+', aoff / 60, aoff % 60);
}

bool bs_ids_contains(const bs_ids *set, int v)
{
    for (size_t i = 0; i < set->count; i++)
        if (set->items[i] == v)
            return true;
    return false;
}

long bs_ids_find_sorted(const bs_ids *set, int v)
{
    size_t lo = 0, hi = set->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->items[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < set->count && set->items[lo] == v ? (long)lo : -1;
}

static int cmp_interval(const void *a, const void *b)
{
    const bs_interval *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->to < y->to ? -1 : x->to > y->to;
}

void bs_intervals_index(bs_intervals *list)
{
    for (size_t i = 1; i < list->count; i++) {
        if (cmp_interval(&list->items[i - 1], &list->items[i]) > 0) {
            qsort(list->items, list->count, sizeof *list->items, cmp_interval);
            break;
        }
    }
    list->longest = 0;
    for (size_t i = 0; i < list->count; i++)
        if (list->items[i].to - list->items[i].from > list->longest)
            list->longest = list->items[i].to - list->items[i].from;
}

/* How many intervals start before `limit` (strictly, or at it too). */
static size_t starting_before(const bs_intervals *list, bs_time limit, bool or_at)
{
    size_t lo = 0, hi = list->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        bs_time f = list->items[mid].from;
        if (f < limit || (or_at && f == limit))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Lists of windows per date hold hundreds of intervals and candidate
 * generation asks them millions of times: the intervals that can contain
 * or meet [from, to) start in (from − longest, to], found by bisection.
 * Without `longest` (a list not indexed) every earlier one is looked at. */
bool bs_intervals_contain(const bs_intervals *list, bs_time from, bs_time to)
{
    size_t end = starting_before(list, from, true);
    for (size_t i = end; i-- > 0;) {
        const bs_interval *iv = &list->items[i];
        if (iv->to >= to)
            return true;
        if (list->longest > 0 && iv->from < to - list->longest)
            break; /* no earlier interval reaches `to` */
    }
    return false;
}

bool bs_intervals_overlap(const bs_intervals *list, bs_time from, bs_time to)
{
    size_t end = starting_before(list, to, false);
    for (size_t i = end; i-- > 0;) {
        const bs_interval *iv = &list->items[i];
        if (iv->to > from)
            return true;
        if (list->longest > 0 && iv->from <= from - list->longest)
            break; /* no earlier interval reaches past `from` */
    }
    return false;
}
