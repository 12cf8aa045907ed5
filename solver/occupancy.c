/**
 * @file occupancy.c
 * @brief Who holds which room, instructor and cohort when: per resource and
 *        per day lists of placed sessions, plus instructors' daily and weekly
 *        minutes and in-person sites, updated as sessions are placed and
 *        removed.
 */
#include <stdlib.h>
#include <string.h>

#include "solver/internal.h"

bs_rc bs__occ_create(const bs_problem *p, const bs_domains *d, bs__occ **out)
{
    bs__occ *o = bs_calloc(1, sizeof *o);
    if (o == NULL)
        return BS_ENOMEM;
    o->p = p;
    o->d = d;
    o->n_res = p->n_rooms + p->n_instructors + p->n_cohorts;
    o->n_days = p->n_days;
    o->week_of_day = bs_calloc(p->n_days, sizeof(int));
    if (o->week_of_day == NULL) {
        free(o);
        return BS_ENOMEM;
    }
    int last = 0;
    for (size_t k = 0; k < p->n_days; k++) {
        if (k == 0 || p->days[k].iso_week != last)
            o->n_weeks++;
        last = p->days[k].iso_week;
        o->week_of_day[k] = (int)o->n_weeks - 1;
    }
    size_t ni = p->n_instructors ? p->n_instructors : 1;
    o->lists = bs_calloc(o->n_res * o->n_days, sizeof(occ_list));
    o->minutes_day = bs_calloc(ni * o->n_days, sizeof(int));
    o->minutes_week = bs_calloc(ni * o->n_weeks, sizeof(int));
    o->site_count = bs_calloc(ni * o->n_days, sizeof(int));
    o->site_of = bs_calloc(ni * o->n_days, sizeof(int));
    if (!o->lists || !o->minutes_day || !o->minutes_week || !o->site_count || !o->site_of) {
        bs__occ_destroy(&o);
        return BS_ENOMEM;
    }
    *out = o;
    return BS_OK;
}

void bs__occ_destroy(bs__occ **po)
{
    if (po == NULL || *po == NULL)
        return;
    bs__occ *o = *po;
    if (o->lists)
        for (size_t k = 0; k < o->n_res * o->n_days; k++)
            free(o->lists[k].items);
    free(o->lists);
    free(o->minutes_day);
    free(o->minutes_week);
    free(o->site_count);
    free(o->site_of);
    free(o->week_of_day);
    free(o);
    *po = NULL;
}

static bs_rc list_add(occ_list *l, bs_time from, bs_time to, int session)
{
    if (l->count == l->cap) {
        uint32_t cap = l->cap ? 2 * l->cap : 4;
        occ_entry *g = bs_reallocarray(l->items, cap, sizeof *g);
        if (g == NULL)
            return BS_ENOMEM;
        l->items = g;
        l->cap = cap;
    }
    l->items[l->count++] = (occ_entry){from, to, session};
    return BS_OK;
}

static void list_remove(occ_list *l, int session)
{
    for (uint32_t k = 0; k < l->count; k++) {
        if (l->items[k].session == session) {
            l->items[k] = l->items[--l->count];
            return;
        }
    }
}

/* The days [*d0, *d1] that [from, to) touches, clamped to the day table. */
static void days_touched(const bs__occ *o, bs_time from, bs_time to, int *d0, int *d1)
{
    *d0 = bs_problem_day_of(o->p, from);
    *d1 = bs_problem_day_of(o->p, to - 1);
    if (*d0 < 0)
        *d0 = 0;
    if (*d1 < 0)
        *d1 = (int)o->n_days - 1;
}

/* Register an interval under every day it touches, so that a lookup needs
 * only the days of the interval asked about. */
static bs_rc touch(bs__occ *o, size_t res, bs_time from, bs_time to, int session, int sign)
{
    int d0, d1;
    days_touched(o, from, to, &d0, &d1);
    for (int day = d0; day <= d1; day++) {
        occ_list *l = &o->lists[res * o->n_days + (size_t)day];
        if (sign > 0)
            BS_TRY(list_add(l, from, to, session));
        else
            list_remove(l, session);
    }
    return BS_OK;
}

bs_rc bs__occ_apply(bs__occ *o, const bs_assignment *a, int session, int sign)
{
    if (!a->placed)
        return BS_OK;
    const bs_session *s = &o->d->sessions[session];
    int day = bs_problem_day_of(o->p, a->start);
    if (a->room >= 0)
        BS_TRY(touch(o, bs__res_room(o, a->room), a->start, a->end, session, sign));
    BS_TRY(touch(o, bs__res_cohort(o, a->cohort), a->start, a->end, session, sign));
    for (size_t k = 0; k < a->instructors.count; k++) {
        int i = a->instructors.items[k];
        BS_TRY(touch(o, bs__res_instructor(o, i), a->start, a->end, session, sign));
        if (day < 0)
            continue;
        size_t di = (size_t)i * o->n_days + (size_t)day;
        o->minutes_day[di] += sign * s->duration;
        o->minutes_week[(size_t)i * o->n_weeks + (size_t)o->week_of_day[day]] +=
            sign * s->duration;
        if (s->in_person) {
            o->site_count[di] += sign;
            o->site_of[di] = o->p->cohorts[a->cohort].site;
        }
    }
    return BS_OK;
}

int bs__occ_holder(const bs__occ *o, size_t res, bs_time from, bs_time to)
{
    int d0, d1;
    days_touched(o, from, to, &d0, &d1);
    for (int day = d0; day <= d1; day++) {
        const occ_list *l = &o->lists[res * o->n_days + (size_t)day];
        for (uint32_t k = 0; k < l->count; k++)
            if (l->items[k].from < to && l->items[k].to > from)
                return l->items[k].session;
    }
    return -1;
}

int bs__occ_first_holder(const bs__occ *o, size_t res, bs_time from, bs_time to)
{
    int d0, d1, best = -1;
    days_touched(o, from, to, &d0, &d1);
    for (int day = d0; day <= d1; day++) {
        const occ_list *l = &o->lists[res * o->n_days + (size_t)day];
        for (uint32_t k = 0; k < l->count; k++)
            if (l->items[k].from < to && l->items[k].to > from &&
                (best < 0 || l->items[k].session < best))
                best = l->items[k].session;
    }
    return best;
}

int bs__occ_site_holders(const bs__occ *o, int i, int day, int site,
                         void (*each)(void *arg, int session), void *arg)
{
    if (day < 0 || (size_t)day >= o->n_days)
        return -1;
    size_t di = (size_t)i * o->n_days + (size_t)day;
    if (o->site_count[di] == 0 || o->site_of[di] == site)
        return -1;
    int best = -1;
    const occ_list *l = &o->lists[bs__res_instructor(o, i) * o->n_days + (size_t)day];
    for (uint32_t k = 0; k < l->count; k++) {
        int h = l->items[k].session;
        if (!o->d->sessions[h].in_person ||
            o->p->cohorts[o->d->sessions[h].cohort].site == site ||
            bs_problem_day_of(o->p, l->items[k].from) != day)
            continue;
        if (each != NULL)
            each(arg, h);
        if (best < 0 || h < best)
            best = h;
    }
    return best;
}

bool bs__occ_fits(const bs__occ *o, const bs_ids *peers, const bs_assignment *a, int session)
{
    if (!a->placed)
        return true;
    const bs_problem *p = o->p;
    const bs_session *s = &o->d->sessions[session];
    if (a->room >= 0 && bs__occ_holder(o, bs__res_room(o, a->room), a->start, a->end) >= 0)
        return false;
    if (bs__occ_holder(o, bs__res_cohort(o, a->cohort), a->start, a->end) >= 0)
        return false;
    for (size_t q = 0; q < peers->count; q++)
        if (bs__occ_holder(o, bs__res_cohort(o, peers->items[q]), a->start, a->end) >= 0)
            return false;
    int day = bs_problem_day_of(p, a->start);
    for (size_t k = 0; k < a->instructors.count; k++) {
        int i = a->instructors.items[k];
        const bs_instructor *in = &p->instructors[i];
        if (bs__occ_holder(o, bs__res_instructor(o, i), a->start, a->end) >= 0)
            return false;
        if (day < 0)
            continue;
        size_t di = (size_t)i * o->n_days + (size_t)day;
        if (in->max_minutes_per_day >= 0 &&
            o->minutes_day[di] + s->duration > in->max_minutes_per_day)
            return false;
        size_t wi = (size_t)i * o->n_weeks + (size_t)o->week_of_day[day];
        if (in->max_minutes_per_week >= 0 &&
            o->minutes_week[wi] + s->duration > in->max_minutes_per_week)
            return false;
        if (s->in_person && o->site_count[di] > 0 &&
            o->site_of[di] != p->cohorts[a->cohort].site)
            return false;
    }
    return true;
}
