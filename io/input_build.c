/**
 * @file input_build.c
 * @brief The second half of loading: with the input known valid, load each
 *        time zone once and turn local dates and times into UTC minutes
 *        (the day table, the slot grid, every interval list, pins) and link
 *        learners to their cohorts.
 */
#include "io/input_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Local to UTC ==== */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Exact conversion of a local wall-clock minute; false in a DST gap. The
 * common case (no offset change within 18 hours either side) costs two
 * lookups; near a change it asks tz.c, which weighs every candidate. */
static bool to_utc(const bs_tz *tz, int64_t local, bs_time *out)
{
    int oa = bs_tz_offset_at(tz, local - 1080), ob = bs_tz_offset_at(tz, local + 1080);
    if (oa == ob && bs_tz_offset_at(tz, local - oa) == oa) {
        *out = local - oa;
        return true;
    }
    int64_t day = floor_div(local, 1440);
    return bs_tz_local_to_utc(tz, day, (int)(local - day * 1440), out);
}

/* As to_utc, but a time inside a gap becomes the first instant after it:
 * a window or an unavailable span that opens at 02:30 on the day clocks
 * jump from 02:00 to 03:00 opens at 03:00. */
static bs_time to_utc_forward(const bs_tz *tz, int64_t day, int minute)
{
    int64_t local = day * 1440 + minute;
    bs_time t;
    if (to_utc(tz, local, &t))
        return t;
    /* Gaps are at most a day long (Samoa, 2011). */
    for (int64_t k = 1; k <= 1440 * 2; k++)
        if (to_utc(tz, local + k, &t))
            return t;
    return local - bs_tz_offset_at(tz, local);
}

/* ==== Zones ==== */

static const bs_tz *tz_of(const bs__ld *ld, int zone)
{
    if (zone < 0 || zone == ld->calendar_zone)
        return ld->p->tz;
    return ld->zones[zone].tz;
}

static const char *zone_name(const bs__ld *ld, int zone)
{
    return zone < 0 ? ld->p->timezone : ld->zones[zone].name;
}

static bool convert_raw(const bs__raw_ivs *raw, const bs_tz *tz, bs_intervals *out)
{
    if (raw->count == 0)
        return true; /* (empty: nothing to index) */
    out->items = bs_calloc(raw->count, sizeof *out->items);
    if (out->items == NULL)
        return false;
    for (size_t i = 0; i < raw->count; i++) {
        const bs__raw_iv *r = &raw->items[i];
        bs_time from = to_utc_forward(tz, r->from_day, r->from_min);
        bs_time to = to_utc_forward(tz, r->to_day, r->to_min);
        if (to > from)
            out->items[out->count++] = (bs_interval){from, to};
    }
    bs_intervals_index(out);
    return true;
}

/* ==== Daily windows, cached: thousands of learners share a few shapes ==== */

typedef struct win_key {
    int zone, from, to, mask;
    int64_t lo, hi;
} win_key;

typedef struct win_entry {
    bool used;
    win_key key;
    bs_interval *items;
    size_t count;
} win_entry;

typedef struct win_cache {
    win_entry *e;
    size_t cap, count;
} win_cache;

static uint64_t win_hash(const win_key *k)
{
    uint64_t h = 1469598103934665603ULL;
    int64_t parts[6] = {k->zone, k->from, k->to, k->mask, k->lo, k->hi};
    for (int i = 0; i < 6; i++) {
        h ^= (uint64_t)parts[i];
        h *= 1099511628211ULL;
        h ^= h >> 29;
    }
    return h;
}

static bool win_eq(const win_key *a, const win_key *b)
{
    return a->zone == b->zone && a->from == b->from && a->to == b->to && a->mask == b->mask &&
           a->lo == b->lo && a->hi == b->hi;
}

static void win_cache_free(win_cache *c)
{
    for (size_t i = 0; i < c->cap; i++)
        free(c->e[i].items);
    free(c->e);
    memset(c, 0, sizeof *c);
}

static bool win_compute(const bs__ld *ld, const win_key *k, bs_interval **items, size_t *count)
{
    *items = NULL;
    *count = 0;
    if (k->hi < k->lo)
        return true;
    const bs_tz *tz = tz_of(ld, k->zone);
    size_t n = (size_t)(k->hi - k->lo + 1);
    bs_interval *iv = bs_calloc(n, sizeof *iv);
    if (iv == NULL)
        return false;
    size_t m = 0;
    for (int64_t d = k->lo; d <= k->hi; d++) {
        if (!(k->mask & (1 << bs_weekday_from_days(d))))
            continue;
        bs_time from = to_utc_forward(tz, d, k->from);
        bs_time to = to_utc_forward(tz, d, k->to);
        if (to > from)
            iv[m++] = (bs_interval){from, to};
    }
    *items = iv;
    *count = m;
    return true;
}

static const win_entry *win_get(const bs__ld *ld, win_cache *c, const win_key *k)
{
    if ((c->count + 1) * 2 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        win_entry *e = bs_calloc(cap, sizeof *e);
        if (e == NULL)
            return NULL;
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->e[i].used)
                continue;
            size_t j = (size_t)win_hash(&c->e[i].key) & (cap - 1);
            while (e[j].used)
                j = (j + 1) & (cap - 1);
            e[j] = c->e[i];
        }
        free(c->e);
        c->e = e;
        c->cap = cap;
    }
    size_t j = (size_t)win_hash(k) & (c->cap - 1);
    while (c->e[j].used) {
        if (win_eq(&c->e[j].key, k))
            return &c->e[j];
        j = (j + 1) & (c->cap - 1);
    }
    win_entry *e = &c->e[j];
    if (!win_compute(ld, k, &e->items, &e->count))
        return NULL;
    e->used = true;
    e->key = *k;
    c->count++;
    return e;
}

/* Append the windows of key k to out (sorted afterwards by the caller). */
static bool add_windows(const bs__ld *ld, win_cache *c, const win_key *k, bs_intervals *out)
{
    const win_entry *e = win_get(ld, c, k);
    if (e == NULL)
        return false;
    if (e->count == 0)
        return true;
    bs_interval *grown = bs_reallocarray(out->items, out->count + e->count, sizeof *grown);
    if (grown == NULL)
        return false;
    memcpy(grown + out->count, e->items, e->count * sizeof *grown);
    out->items = grown;
    out->count += e->count;
    return true;
}

static int day_mask(const bool days[7])
{
    int m = 0;
    for (int d = 0; d < 7; d++)
        if (days[d])
            m |= 1 << d;
    return m;
}

/* ==== Day table and slot grid ==== */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_slot(const void *a, const void *b)
{
    const bs_slot *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static bs_rc build_days(bs__ld *ld, int64_t first, int64_t last)
{
    bs_problem *p = ld->p;
    if (ld->n_holidays > 1)
        qsort(ld->holidays, ld->n_holidays, sizeof *ld->holidays, cmp_i64);
    p->n_days = (size_t)(last - first + 1);
    p->days = bs_calloc(p->n_days, sizeof *p->days);
    if (p->days == NULL)
        return BS_ENOMEM;
    for (size_t i = 0; i < p->n_days; i++) {
        int64_t d = first + (int64_t)i;
        bs_day *day = &p->days[i];
        bs_civil_from_days(d, &day->year, &day->month, &day->mday);
        day->weekday = bs_weekday_from_days(d);
        day->iso_week = bs_iso_week_from_days(d);
        day->begin = to_utc_forward(p->tz, d, 0);
        day->in_horizon = d >= ld->h_start && d <= ld->h_end;
        bool holiday = ld->n_holidays > 0 &&
                       bsearch(&d, ld->holidays, ld->n_holidays, sizeof *ld->holidays, cmp_i64);
        day->is_workday = p->workdays[day->weekday] && !holiday;
    }
    p->horizon_first_day = (int)(ld->h_start - first);
    p->horizon_last_day = (int)(ld->h_end - first);

    /* Every wall-clock multiple of the step on each horizon workday. Both
     * offsets in force that day are tried, so a time repeated when clocks
     * fall back gives two slots and a time skipped when they spring
     * forward gives none. */
    size_t per_day = (size_t)(1440 / p->slot_minutes) * 2, cap = 0;
    for (int i = p->horizon_first_day; i <= p->horizon_last_day; i++)
        cap += p->days[i].is_workday ? per_day : 0;
    p->slots = bs_calloc(cap, sizeof *p->slots);
    if (p->slots == NULL)
        return BS_ENOMEM;
    for (int i = p->horizon_first_day; i <= p->horizon_last_day; i++) {
        const bs_day *day = &p->days[i];
        if (!day->is_workday)
            continue;
        int64_t d = first + i;
        bs_time begin = day->begin, next = to_utc_forward(p->tz, d + 1, 0);
        int offs[2] = {bs_tz_offset_at(p->tz, begin), bs_tz_offset_at(p->tz, next - 1)};
        int n_offs = offs[0] == offs[1] ? 1 : 2;
        for (int m = 0; m < 1440; m += p->slot_minutes) {
            for (int k = 0; k < n_offs; k++) {
                bs_time t = d * 1440 + m - offs[k];
                if (t < begin || t >= next || bs_tz_offset_at(p->tz, t) != offs[k])
                    continue;
                p->slots[p->n_slots++] = (bs_slot){t, i, m};
            }
        }
    }
    if (p->n_slots > 1)
        qsort(p->slots, p->n_slots, sizeof *p->slots, cmp_slot);
    return BS_OK;
}

/* ==== Entities ==== */

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static char *dup_zone(bs__ld *ld, int zone)
{
    char *s = bs_strdup(zone_name(ld, zone));
    if (s == NULL)
        ld->oom = true;
    return s;
}

static bs_rc build_entities(bs__ld *ld)
{
    bs_problem *p = ld->p;
    win_cache cache = {0};
    bs_rc rc = BS_OK;
    int all_days = 0x7F, workdays = day_mask(p->workdays);
    int cal = ld->calendar_zone;
    int64_t hlo = ld->h_start - 1, hhi = ld->h_end + 1;

    for (size_t i = 0; i < p->n_rooms && rc == BS_OK; i++)
        if (!convert_raw(&ld->raw_rooms[i].unavailable, p->tz, &p->rooms[i].unavailable))
            rc = BS_ENOMEM;

    for (size_t i = 0; i < p->n_instructors && rc == BS_OK; i++) {
        bs_instructor *in = &p->instructors[i];
        const bs__raw_instructor *raw = &ld->raw_instructors[i];
        int z = raw->zone >= 0 ? raw->zone : cal;
        in->timezone = dup_zone(ld, z);
        if (!convert_raw(&raw->unavailable, tz_of(ld, z), &in->unavailable))
            rc = BS_ENOMEM;
        if (raw->has_available) {
            for (size_t w = 0; w < raw->n_available && rc == BS_OK; w++) {
                win_key k = {z,
                             raw->available[w].from,
                             raw->available[w].to,
                             day_mask(raw->available[w].days),
                             hlo,
                             hhi};
                if (!add_windows(ld, &cache, &k, &in->available))
                    rc = BS_ENOMEM;
            }
        } else {
            win_key k = {z, p->day_start_minute, p->day_end_minute, workdays, hlo, hhi};
            if (!add_windows(ld, &cache, &k, &in->available))
                rc = BS_ENOMEM;
        }
        bs_intervals_index(&in->available);
    }

    /* Sessions of a cohort lie on its dates inside the horizon; a day either
     * side covers any zone's date shift. Windows outside could never
     * matter, and thousands of cohorts and learners would pay for them. */
    int64_t *span_lo = bs_calloc(p->n_cohorts, sizeof *span_lo);
    int64_t *span_hi = bs_calloc(p->n_cohorts, sizeof *span_hi);
    if (span_lo == NULL || span_hi == NULL)
        rc = BS_ENOMEM;
    for (size_t i = 0; i < p->n_cohorts && rc == BS_OK; i++) {
        bs_cohort *c = &p->cohorts[i];
        const bs__raw_cohort *raw = &ld->raw_cohorts[i];
        int z = raw->zone >= 0 ? raw->zone : cal;
        c->timezone = dup_zone(ld, z);
        c->start_day = (int)(raw->start - (ld->h_start - p->horizon_first_day));
        c->end_day = (int)(raw->end - (ld->h_start - p->horizon_first_day));
        span_lo[i] = max64(ld->h_start, raw->start) - 1;
        span_hi[i] = min64(ld->h_end, raw->end) + 1;
        win_key k = {z, p->day_start_minute, p->day_end_minute, all_days, span_lo[i], span_hi[i]};
        if (!add_windows(ld, &cache, &k, &c->window))
            rc = BS_ENOMEM;
        if (rc == BS_OK && raw->has_preferred) {
            win_key kp = {
                z,          raw->preferred.from, raw->preferred.to, day_mask(raw->preferred.days),
                span_lo[i], span_hi[i]};
            if (!add_windows(ld, &cache, &kp, &c->preferred))
                rc = BS_ENOMEM;
        }
        if (rc == BS_OK && !convert_raw(&raw->unavailable, tz_of(ld, z), &c->unavailable))
            rc = BS_ENOMEM;
        bs_intervals_index(&c->window);
        bs_intervals_index(&c->preferred);
    }

    /* Learners' cohorts, in input order; their zone defaults to the first. */
    size_t *n_of = bs_calloc(p->n_learners, sizeof *n_of);
    if (n_of == NULL)
        rc = BS_ENOMEM;
    for (size_t i = 0; i < p->n_cohorts && rc == BS_OK; i++)
        for (size_t k = 0; k < p->cohorts[i].learners.count; k++)
            n_of[p->cohorts[i].learners.items[k]]++;
    for (size_t l = 0; l < p->n_learners && rc == BS_OK; l++) {
        if (n_of[l] > 0 && (p->learners[l].cohorts.items =
                                bs_calloc(n_of[l], sizeof *p->learners[l].cohorts.items)) == NULL)
            rc = BS_ENOMEM;
    }
    for (size_t i = 0; i < p->n_cohorts && rc == BS_OK; i++) {
        for (size_t k = 0; k < p->cohorts[i].learners.count; k++) {
            bs_ids *cs = &p->learners[p->cohorts[i].learners.items[k]].cohorts;
            cs->items[cs->count++] = (int)i;
        }
    }
    for (size_t l = 0; l < p->n_learners && rc == BS_OK; l++) {
        bs_learner *le = &p->learners[l];
        const bs__raw_learner *raw = &ld->raw_learners[l];
        int z = raw->zone;
        int64_t lo = hlo, hi = hhi;
        if (le->cohorts.count > 0) {
            int first = le->cohorts.items[0];
            if (z < 0)
                z = ld->raw_cohorts[first].zone;
            lo = INT64_MAX;
            hi = INT64_MIN;
            for (size_t k = 0; k < le->cohorts.count; k++) {
                lo = min64(lo, span_lo[le->cohorts.items[k]]);
                hi = max64(hi, span_hi[le->cohorts.items[k]]);
            }
        }
        if (z < 0)
            z = cal;
        le->timezone = dup_zone(ld, z);
        win_key k = {z,
                     raw->has_hours ? raw->hours_from : p->day_start_minute,
                     raw->has_hours ? raw->hours_to : p->day_end_minute,
                     all_days,
                     lo,
                     hi};
        if (!add_windows(ld, &cache, &k, &le->hours))
            rc = BS_ENOMEM;
        if (rc == BS_OK && !convert_raw(&raw->unavailable, tz_of(ld, z), &le->unavailable))
            rc = BS_ENOMEM;
        bs_intervals_index(&le->hours);
    }
    free(n_of);
    free(span_lo);
    free(span_hi);
    win_cache_free(&cache);
    if (rc == BS_OK && ld->oom)
        rc = BS_ENOMEM;
    return rc;
}

static void build_pins(bs__ld *ld)
{
    bs_problem *p = ld->p;
    for (size_t i = 0; i < p->n_pins; i++) {
        const bs__raw_pin *raw = &ld->raw_pins[i];
        if (!raw->has_start)
            continue;
        if (!to_utc(p->tz, raw->day * 1440 + raw->minute, &p->pins[i].start)) {
            size_t o1 = bs__path_key(ld, "fixed"), o2 = bs__path_index(ld, i);
            bs__error_key(ld, "start",
                          "%02d:%02d on that date does not exist in %s (clocks skip it)",
                          raw->minute / 60, raw->minute % 60, p->timezone);
            bs__path_pop(ld, o2);
            bs__path_pop(ld, o1);
        }
    }
}

bs_rc bs__input_build(bs__ld *ld)
{
    bs_problem *p = ld->p;
    int64_t first = ld->h_start, last = ld->h_end;
    for (size_t i = 0; i < p->n_cohorts; i++) {
        first = min64(first, ld->raw_cohorts[i].start);
        last = max64(last, ld->raw_cohorts[i].end);
    }
    /* The calendar zone covers every day of the table (day begins, study
     * days before the horizon); participants' zones only the horizon, since
     * their windows are built there and sessions happen there. A margin of
     * three days covers any zone's date shift and the windows a day
     * outside. bs_tz_load samples hourly: this keeps many zones cheap. */
    for (size_t z = 0; z < ld->n_zones; z++) {
        bool cal = (int)z == ld->calendar_zone;
        int64_t from = ((cal ? first : ld->h_start) - 3) * 1440;
        int64_t to = ((cal ? last : ld->h_end) + 4) * 1440;
        bs_err e;
        bs_rc rc = bs_tz_load(ld->zones[z].name, from, to, &ld->zones[z].tz, &e);
        if (rc == BS_EINVAL) {
            /* Checked at validation; a zone file can still vanish. */
            bs__error(ld, "%s", e.msg);
            return BS_OK;
        }
        if (rc != BS_OK)
            return rc;
    }
    if (ld->calendar_zone < 0)
        return BS_EINTERNAL;
    p->tz = ld->zones[ld->calendar_zone].tz;
    ld->zones[ld->calendar_zone].tz = NULL;
    bs_rc rc = build_days(ld, first, last);
    if (rc == BS_OK)
        rc = build_entities(ld);
    if (rc == BS_OK)
        build_pins(ld);
    return rc;
}
