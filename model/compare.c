/**
 * @file compare.c
 * @brief The figures of a solved calendar (placement by reason, objective,
 *        utilisation, cost) and the differences between two calendars
 *        (added, removed, moved, reassigned, learners affected).
 */
#include "model/compare.h"

#include <stdlib.h>
#include <string.h>

/* ==== Interval arithmetic on sorted lists ==== */

typedef struct ivlist {
    bs_interval *items;
    size_t count, cap;
} ivlist;

static bool iv_push(ivlist *l, bs_time from, bs_time to)
{
    if (to <= from)
        return true;
    if (l->count > 0 && l->items[l->count - 1].to >= from) {
        /* touching or overlapping the last one (input sorted by from) */
        if (to > l->items[l->count - 1].to)
            l->items[l->count - 1].to = to;
        return true;
    }
    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        bs_interval *g = bs_reallocarray(l->items, ncap, sizeof *g);
        if (g == NULL)
            return false;
        l->items = g;
        l->cap = ncap;
    }
    l->items[l->count++] = (bs_interval){from, to};
    return true;
}

static int cmp_iv(const void *x, const void *y)
{
    const bs_interval *a = x, *b = y;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return a->to < b->to ? -1 : a->to > b->to;
}

/* The union of a list of intervals, as a sorted disjoint list. */
static bool iv_union(const bs_intervals *in, ivlist *out)
{
    if (in->count == 0)
        return true;
    bs_interval *tmp = bs_calloc(in->count, sizeof *tmp);
    if (tmp == NULL)
        return false;
    memcpy(tmp, in->items, in->count * sizeof *tmp);
    qsort(tmp, in->count, sizeof *tmp, cmp_iv);
    bool ok = true;
    for (size_t i = 0; i < in->count && ok; i++)
        ok = iv_push(out, tmp[i].from, tmp[i].to);
    free(tmp);
    return ok;
}

/* The intersection of two sorted disjoint lists. */
static bool iv_intersect(const ivlist *a, const ivlist *b, ivlist *out)
{
    size_t i = 0, j = 0;
    while (i < a->count && j < b->count) {
        bs_time lo = a->items[i].from > b->items[j].from ? a->items[i].from : b->items[j].from;
        bs_time hi = a->items[i].to < b->items[j].to ? a->items[i].to : b->items[j].to;
        if (lo < hi && !iv_push(out, lo, hi))
            return false;
        if (a->items[i].to < b->items[j].to)
            i++;
        else
            j++;
    }
    return true;
}

static int64_t iv_measure(const ivlist *l)
{
    int64_t m = 0;
    for (size_t i = 0; i < l->count; i++)
        m += l->items[i].to - l->items[i].from;
    return m;
}

/* |W| - |W n U| for sorted disjoint W and the raw list `minus`. */
static bool measure_less(const ivlist *w, const bs_intervals *minus, int64_t *out)
{
    ivlist u = {0}, wu = {0};
    bool ok = iv_union(minus, &u) && iv_intersect(w, &u, &wu);
    if (ok)
        *out = iv_measure(w) - iv_measure(&wu);
    free(u.items);
    free(wu.items);
    return ok;
}

/* A local wall-clock time of the calendar's zone in UTC; a time inside a
 * gap becomes the first instant after it, as the loader reads windows. */
static bs_time local_forward(const bs_problem *p, int64_t day, int minute)
{
    bs_time t;
    for (int k = 0; k <= 2 * 1440; k++) {
        int64_t m = (int64_t)minute + k;
        if (bs_tz_local_to_utc(p->tz, day + m / 1440, (int)(m % 1440), &t))
            return t;
    }
    return day * 1440 + minute; /* unreachable with real zones */
}

/* Study days of the horizon, midnight to midnight, and the calendar's day
 * window on each of them. */
static bool study_spans(const bs_problem *p, ivlist *days, ivlist *windows)
{
    for (int d = p->horizon_first_day; d >= 0 && d <= p->horizon_last_day; d++) {
        const bs_day *day = &p->days[d];
        if (!day->is_workday)
            continue;
        int64_t local = bs_days_from_civil(day->year, day->month, day->mday);
        bs_time next =
            (size_t)d + 1 < p->n_days ? p->days[d + 1].begin : local_forward(p, local + 1, 0);
        if (!iv_push(days, day->begin, next))
            return false;
        if (!iv_push(windows, local_forward(p, local, p->day_start_minute),
                     local_forward(p, local, p->day_end_minute)))
            return false;
    }
    return true;
}

/* ==== Figures ==== */

void bs_figures_free(bs_figures *f)
{
    if (f == NULL)
        return;
    free(f->instructors);
    free(f->rooms);
    memset(f, 0, sizeof *f);
}

static bool assignment_ok(const bs_problem *p, const bs_assignment *a)
{
    if (a->cohort < 0 || (size_t)a->cohort >= p->n_cohorts)
        return false;
    const bs_program *pr = &p->programs[p->cohorts[a->cohort].program];
    if (a->module < 0 || (size_t)a->module >= pr->n_modules)
        return false;
    if (a->room >= 0 && (size_t)a->room >= p->n_rooms)
        return false;
    for (size_t k = 0; k < a->instructors.count; k++)
        if (a->instructors.items[k] < 0 || (size_t)a->instructors.items[k] >= p->n_instructors)
            return false;
    return true;
}

bs_rc bs_figures_compute(const bs_problem *p, const bs_solution *s, const bs_report *r,
                         bs_figures *out)
{
    bs_figures f;
    memset(&f, 0, sizeof f);
    f.live = s->count;
    f.unplaced = r->n_unplaced;
    f.skipped = r->n_skipped;
    f.objective = s->objective;
    for (size_t i = 0; i < r->n_unplaced; i++) {
        int reason = (int)r->unplaced[i].reason;
        if (reason < 1 || reason > BS_N_REASONS)
            return BS_EINVAL;
        f.by_reason[reason]++;
    }
    f.n_instructors = p->n_instructors;
    f.n_rooms = p->n_rooms;
    f.instructors = bs_calloc(p->n_instructors ? p->n_instructors : 1, sizeof *f.instructors);
    f.rooms = bs_calloc(p->n_rooms ? p->n_rooms : 1, sizeof *f.rooms);
    if (f.instructors == NULL || f.rooms == NULL) {
        bs_figures_free(&f);
        return BS_ENOMEM;
    }

    for (size_t i = 0; i < s->count; i++) {
        const bs_assignment *a = &s->items[i];
        if (!a->placed)
            continue;
        if (!assignment_ok(p, a)) {
            bs_figures_free(&f);
            return BS_EINVAL;
        }
        f.placed++;
        int64_t minutes = a->end - a->start;
        double per_hour = 0;
        if (a->room >= 0) {
            f.rooms[a->room].used_minutes += minutes;
            per_hour += p->rooms[a->room].cost_per_hour;
        }
        for (size_t k = 0; k < a->instructors.count; k++) {
            int in = a->instructors.items[k];
            f.instructors[in].used_minutes += minutes;
            per_hour += p->instructors[in].cost_per_hour;
        }
        f.cost += per_hour * (double)minutes / 60.0;
    }

    ivlist days = {0}, windows = {0};
    bool ok = study_spans(p, &days, &windows);
    for (size_t i = 0; i < p->n_instructors && ok; i++) {
        const bs_instructor *in = &p->instructors[i];
        ivlist avail = {0}, inside = {0};
        ok = iv_union(&in->available, &avail) && iv_intersect(&avail, &days, &inside) &&
             measure_less(&inside, &in->unavailable, &f.instructors[i].available_minutes);
        free(avail.items);
        free(inside.items);
    }
    for (size_t i = 0; i < p->n_rooms && ok; i++)
        ok = measure_less(&windows, &p->rooms[i].unavailable, &f.rooms[i].available_minutes);
    free(days.items);
    free(windows.items);
    if (!ok) {
        bs_figures_free(&f);
        return BS_ENOMEM;
    }
    for (size_t i = 0; i < p->n_instructors; i++) {
        f.instructors_total.used_minutes += f.instructors[i].used_minutes;
        f.instructors_total.available_minutes += f.instructors[i].available_minutes;
    }
    for (size_t i = 0; i < p->n_rooms; i++) {
        f.rooms_total.used_minutes += f.rooms[i].used_minutes;
        f.rooms_total.available_minutes += f.rooms[i].available_minutes;
    }
    *out = f;
    return BS_OK;
}

/* ==== Flat calendars ==== */

static void flat_session_free(bs_flat_session *s)
{
    free(s->cohort);
    free(s->module);
    free(s->start_text);
    free(s->end_text);
    free(s->room);
    for (size_t k = 0; k < s->n_instructors; k++)
        free(s->instructors[k]);
    free(s->instructors);
}

bs_rc bs_flat_create(bs_flat_calendar **out)
{
    bs_flat_calendar *c = bs_calloc(1, sizeof *c);
    if (c == NULL)
        return BS_ENOMEM;
    *out = c;
    return BS_OK;
}

void bs_flat_destroy(bs_flat_calendar **pc)
{
    if (pc == NULL || *pc == NULL)
        return;
    bs_flat_calendar *c = *pc;
    for (size_t i = 0; i < c->count; i++)
        flat_session_free(&c->items[i]);
    free(c->items);
    free(c);
    *pc = NULL;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

bs_rc bs_flat_add(bs_flat_calendar *c, const char *cohort, const char *module, bs_time start,
                  bs_time end, const char *start_text, const char *end_text, const char *room,
                  const char *const *instructors, size_t n_instructors)
{
    if (c->count == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 32;
        bs_flat_session *g = bs_reallocarray(c->items, ncap, sizeof *g);
        if (g == NULL)
            return BS_ENOMEM;
        c->items = g;
        c->cap = ncap;
    }
    bs_flat_session s;
    memset(&s, 0, sizeof s);
    s.start = start;
    s.end = end;
    s.cohort = bs_strdup(cohort);
    s.module = bs_strdup(module);
    s.start_text = bs_strdup(start_text);
    s.end_text = bs_strdup(end_text);
    bool ok = s.cohort && s.module && s.start_text && s.end_text;
    if (ok && room != NULL)
        ok = (s.room = bs_strdup(room)) != NULL;
    if (ok && n_instructors > 0) {
        s.instructors = bs_calloc(n_instructors, sizeof *s.instructors);
        ok = s.instructors != NULL;
        for (size_t k = 0; ok && k < n_instructors; k++) {
            s.instructors[k] = bs_strdup(instructors[k]);
            ok = s.instructors[k] != NULL;
            s.n_instructors = k + 1;
        }
        if (ok)
            qsort(s.instructors, n_instructors, sizeof *s.instructors, cmp_str);
    }
    if (!ok) {
        flat_session_free(&s);
        return BS_ENOMEM;
    }
    c->items[c->count++] = s;
    return BS_OK;
}

static int cmp_pair(const bs_flat_session *a, const bs_flat_session *b)
{
    int c = strcmp(a->cohort, b->cohort);
    return c != 0 ? c : strcmp(a->module, b->module);
}

static int cmp_flat(const void *x, const void *y)
{
    return cmp_pair(x, y);
}

bs_rc bs_flat_finish(bs_flat_calendar *c, size_t *dup_index)
{
    if (c->count > 1)
        qsort(c->items, c->count, sizeof *c->items, cmp_flat);
    for (size_t i = 1; i < c->count; i++) {
        if (cmp_pair(&c->items[i - 1], &c->items[i]) == 0) {
            if (dup_index != NULL)
                *dup_index = i;
            return BS_EINVAL;
        }
    }
    return BS_OK;
}

bs_rc bs_flat_from_solution(const bs_problem *p, const bs_solution *s, bs_flat_calendar **out)
{
    bs_flat_calendar *c = NULL;
    BS_TRY(bs_flat_create(&c));
    bs_rc rc = BS_OK;
    const char **ins = NULL;
    for (size_t i = 0; i < s->count && rc == BS_OK; i++) {
        const bs_assignment *a = &s->items[i];
        if (!a->placed)
            continue;
        if (!assignment_ok(p, a)) {
            rc = BS_EINVAL;
            break;
        }
        const bs_cohort *co = &p->cohorts[a->cohort];
        const bs_module *m = &p->programs[co->program].modules[a->module];
        char st[48], en[48];
        bs_problem_format_time(p, a->start, st, sizeof st);
        bs_problem_format_time(p, a->end, en, sizeof en);
        free((void *)ins);
        ins = bs_calloc(a->instructors.count ? a->instructors.count : 1, sizeof *ins);
        if (ins == NULL) {
            rc = BS_ENOMEM;
            break;
        }
        for (size_t k = 0; k < a->instructors.count; k++)
            ins[k] = p->instructors[a->instructors.items[k]].id;
        rc = bs_flat_add(c, co->id, m->id, a->start, a->end, st, en,
                         a->room >= 0 ? p->rooms[a->room].id : NULL, ins, a->instructors.count);
    }
    free((void *)ins);
    if (rc == BS_OK)
        rc = bs_flat_finish(c, NULL);
    if (rc != BS_OK) {
        bs_flat_destroy(&c);
        return rc;
    }
    *out = c;
    return BS_OK;
}

/* ==== Differences ==== */

const char *bs_diff_kind_name(bs_diff_kind k)
{
    switch (k) {
    case BS_DIFF_ADDED:
        return "added";
    case BS_DIFF_REMOVED:
        return "removed";
    case BS_DIFF_MOVED:
        return "moved";
    case BS_DIFF_REASSIGNED:
        return "reassigned";
    }
    return "?";
}

static bool same_team(const bs_flat_session *a, const bs_flat_session *b)
{
    if ((a->room == NULL) != (b->room == NULL))
        return false;
    if (a->room != NULL && strcmp(a->room, b->room) != 0)
        return false;
    if (a->n_instructors != b->n_instructors)
        return false;
    for (size_t k = 0; k < a->n_instructors; k++)
        if (strcmp(a->instructors[k], b->instructors[k]) != 0)
            return false;
    return true;
}

void bs_diff_destroy(bs_diff **pd)
{
    if (pd == NULL || *pd == NULL)
        return;
    free((*pd)->items);
    free(*pd);
    *pd = NULL;
}

bs_rc bs_diff_compute(const bs_flat_calendar *a, const bs_flat_calendar *b, bs_diff **out)
{
    bs_diff *d = bs_calloc(1, sizeof *d);
    size_t cap = a->count + b->count;
    if (d != NULL)
        d->items = bs_calloc(cap ? cap : 1, sizeof *d->items);
    if (d == NULL || d->items == NULL) {
        bs_diff_destroy(&d);
        return BS_ENOMEM;
    }
    size_t i = 0, j = 0;
    while (i < a->count || j < b->count) {
        int c = i == a->count ? 1 : j == b->count ? -1 : cmp_pair(&a->items[i], &b->items[j]);
        if (c < 0) {
            d->items[d->count++] = (bs_diff_entry){BS_DIFF_REMOVED, &a->items[i++], NULL};
            d->removed++;
        } else if (c > 0) {
            d->items[d->count++] = (bs_diff_entry){BS_DIFF_ADDED, NULL, &b->items[j++]};
            d->added++;
        } else {
            const bs_flat_session *x = &a->items[i++], *y = &b->items[j++];
            if (x->start != y->start) {
                d->items[d->count++] = (bs_diff_entry){BS_DIFF_MOVED, x, y};
                d->moved++;
            } else if (!same_team(x, y)) {
                d->items[d->count++] = (bs_diff_entry){BS_DIFF_REASSIGNED, x, y};
                d->reassigned++;
            } else {
                d->unchanged++;
            }
        }
    }
    *out = d;
    return BS_OK;
}

/* A cohort of a problem by id: an index sorted by id. */
typedef struct cohort_index {
    const bs_problem *p;
    int *order;
} cohort_index;

static bool build_index(const bs_problem *p, cohort_index *ix)
{
    ix->p = p;
    ix->order = bs_calloc(p->n_cohorts ? p->n_cohorts : 1, sizeof *ix->order);
    if (ix->order == NULL)
        return false;
    for (size_t i = 0; i < p->n_cohorts; i++)
        ix->order[i] = (int)i;
    /* qsort has no context argument, and a global one would not be
     * thread-safe: a bottom-up merge sort of the indices by id. */
    size_t n = p->n_cohorts;
    int *tmp = bs_calloc(n ? n : 1, sizeof *tmp);
    if (tmp == NULL)
        return false;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t x = lo, y = mid, k = lo;
            while (x < mid && y < hi)
                tmp[k++] = strcmp(p->cohorts[ix->order[x]].id, p->cohorts[ix->order[y]].id) <= 0
                               ? ix->order[x++]
                               : ix->order[y++];
            while (x < mid)
                tmp[k++] = ix->order[x++];
            while (y < hi)
                tmp[k++] = ix->order[y++];
        }
        memcpy(ix->order, tmp, n * sizeof *tmp);
    }
    free(tmp);
    return true;
}

static int find_cohort(const cohort_index *ix, const char *id)
{
    size_t lo = 0, hi = ix->p->n_cohorts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ix->p->cohorts[ix->order[mid]].id, id);
        if (c == 0)
            return ix->order[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* A learner key: a learner id, or (anonymous) the id of a cohort that
 * lists none. */
typedef struct lkey {
    bool anonymous;
    const char *id;
} lkey;

static int cmp_lkey(const void *x, const void *y)
{
    const lkey *a = x, *b = y;
    if (a->anonymous != b->anonymous)
        return a->anonymous ? 1 : -1;
    return strcmp(a->id, b->id);
}

typedef struct lkeys {
    lkey *items;
    size_t count, cap;
} lkeys;

static bool lkeys_push(lkeys *l, bool anonymous, const char *id)
{
    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        lkey *g = bs_reallocarray(l->items, ncap, sizeof *g);
        if (g == NULL)
            return false;
        l->items = g;
        l->cap = ncap;
    }
    l->items[l->count++] = (lkey){anonymous, id};
    return true;
}

static bool add_cohort_learners(const cohort_index *ix, const char *cohort_id, lkeys *out)
{
    int c = find_cohort(ix, cohort_id);
    if (c < 0)
        return true;
    const bs_cohort *co = &ix->p->cohorts[c];
    if (co->learners.count == 0)
        return lkeys_push(out, true, co->id);
    for (size_t k = 0; k < co->learners.count; k++)
        if (!lkeys_push(out, false, ix->p->learners[co->learners.items[k]].id))
            return false;
    return true;
}

static size_t count_distinct(lkey *items, size_t n)
{
    if (n == 0)
        return 0;
    qsort(items, n, sizeof *items, cmp_lkey);
    size_t distinct = 1;
    for (size_t i = 1; i < n; i++)
        distinct += cmp_lkey(&items[i - 1], &items[i]) != 0;
    return distinct;
}

bs_rc bs_diff_learners_affected(const bs_diff *d, const bs_problem *pa, const bs_problem *pb,
                                size_t *learners, size_t *cohorts)
{
    cohort_index ia = {0}, ib = {0};
    lkeys keys = {0}, cks = {0};
    bool ok = build_index(pa, &ia) && build_index(pb, &ib);
    for (size_t i = 0; i < d->count && ok; i++) {
        const bs_diff_entry *e = &d->items[i];
        if (e->kind == BS_DIFF_REASSIGNED)
            continue;
        if (e->a != NULL)
            ok = add_cohort_learners(&ia, e->a->cohort, &keys) &&
                 lkeys_push(&cks, false, e->a->cohort);
        if (ok && e->b != NULL)
            ok = add_cohort_learners(&ib, e->b->cohort, &keys) &&
                 lkeys_push(&cks, false, e->b->cohort);
    }
    if (ok) {
        *learners = count_distinct(keys.items, keys.count);
        if (cohorts != NULL)
            *cohorts = count_distinct(cks.items, cks.count);
    }
    free(ia.order);
    free(ib.order);
    free(keys.items);
    free(cks.items);
    return ok ? BS_OK : BS_ENOMEM;
}
