/**
 * @file export_common.c
 * @brief What the export writers share: options, the self-paced due dates
 *        of a calendar, UTF-8 checking, labels, wall-clock times and the
 *        calendar's session order.
 */
#include "io/export_internal.h"
#include "model/domain.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const bs__wday_abbr[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char *const bs__month_abbr[13] = {"",    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void bs_export_opts_init(bs_export_opts *o)
{
    memset(o, 0, sizeof *o);
    o->uid_domain = "blendsched";
}

bool bs_export_uid_domain_is_valid(const char *d)
{
    if (d == NULL || d[0] == '\0' || strlen(d) > 200)
        return false;
    /* The UID is a TEXT value: these characters would need escaping, and
     * calendar clients compare UIDs as opaque strings, so refuse them
     * rather than escape them. */
    for (const char *c = d; *c; c++)
        if (*c <= ' ' || *c > '~' || *c == ';' || *c == ',' || *c == '\\' || *c == '"')
            return false;
    return true;
}

int64_t bs_export_default_dtstamp(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e != NULL && *e != '\0') {
        char *end;
        errno = 0;
        long long v = strtoll(e, &end, 10);
        if (*end == '\0' && errno == 0 && v >= 0 && v < 253402300800LL) /* before year 10000 */
            return (int64_t)v;
    }
    return (int64_t)time(NULL);
}

bs_rc bs_export_write(const bs_problem *p, const bs_solution *s, const bs_report *r,
                      const bs_export_targets *t, const bs_export_opts *o, size_t *ics_files,
                      bs_err *err)
{
    if (ics_files != NULL)
        *ics_files = 0;
    if (t->ics_dir != NULL && !bs_export_uid_domain_is_valid(o->uid_domain))
        return bs_err_set(err, BS_EINVAL, "invalid UID domain \"%.64s\"",
                          o->uid_domain ? o->uid_domain : "");
    bs_buf csv, html;
    bs_buf_init(&csv);
    bs_buf_init(&html);
    bs_rc rc = BS_OK;
    if (t->csv != NULL)
        rc = bs_export_csv(p, s, r, &csv);
    if (rc == BS_OK && t->html != NULL)
        rc = bs_export_html(p, s, r, o, &html);
    if (rc != BS_OK)
        bs_err_set(err, rc, "out of memory");
    if (rc == BS_OK && t->html != NULL)
        rc = bs_write_file_atomic(t->html, html.data ? html.data : "", html.len, err);
    if (rc == BS_OK && t->csv != NULL)
        rc = bs_write_file_atomic(t->csv, csv.data ? csv.data : "", csv.len, err);
    bs_buf_free(&csv);
    bs_buf_free(&html);
    if (rc == BS_OK && t->ics_dir != NULL)
        rc = bs_export_ics_dir(p, s, t->ics_dir, o, ics_files, err);
    return rc;
}

/* ==== Self-paced due dates ==== */

bs_rc bs_export_self_paced(const bs_problem *p, const bs_solution *s, bs_selfpaced_due **out,
                           size_t *n)
{
    size_t total = 0, max_modules = 0;
    for (size_t c = 0; c < p->n_cohorts; c++) {
        const bs_program *pr = &p->programs[p->cohorts[c].program];
        for (size_t m = 0; m < pr->n_modules; m++)
            total += !pr->modules[m].is_live;
        if (pr->n_modules > max_modules)
            max_modules = pr->n_modules;
    }
    *out = NULL;
    *n = 0;
    if (total == 0)
        return BS_OK;
    bs_selfpaced_due *items = bs_calloc(total, sizeof *items);
    bool *sp = bs_calloc(max_modules, sizeof(bool)), *live = bs_calloc(max_modules, sizeof(bool));
    if (items == NULL || sp == NULL || live == NULL) {
        free(items);
        free(sp);
        free(live);
        return BS_ENOMEM;
    }
    /* The same definitions as the calendar's `self_paced` list
     * (io/calendar_write.c), so that every export agrees with the JSON. */
    size_t k = 0;
    for (size_t c = 0; c < p->n_cohorts; c++) {
        const bs_cohort *co = &p->cohorts[c];
        const bs_program *pr = &p->programs[co->program];
        size_t nm = pr->n_modules;
        for (size_t m = 0; m < nm; m++) {
            if (pr->modules[m].is_live)
                continue;
            bs_selfpaced_due *it = &items[k++];
            it->cohort = (int)c;
            it->module = (int)m;
            it->due_module = -1;
            for (size_t b = 0; b < nm; b++) {
                if (!pr->modules[b].is_live)
                    continue;
                memset(sp, 0, nm * sizeof(bool));
                bs_module_reach_selfpaced(pr, (int)b, sp, NULL);
                int a = bs_solution_find(s, (int)c, (int)b);
                if (sp[m] && a >= 0 && s->items[a].placed &&
                    (!it->has_due || s->items[a].start < it->due)) {
                    it->due = s->items[a].start;
                    it->has_due = true;
                    it->due_module = (int)b;
                }
            }
            memset(sp, 0, nm * sizeof(bool));
            memset(live, 0, nm * sizeof(bool));
            bs_module_reach_selfpaced(pr, (int)m, sp, live);
            it->available_from = p->days[co->start_day].begin;
            bool any = false;
            for (size_t a = 0; a < nm; a++) {
                int q = bs_solution_find(s, (int)c, (int)a);
                if (live[a] && q >= 0 && s->items[q].placed &&
                    (!any || s->items[q].end > it->available_from)) {
                    it->available_from = s->items[q].end;
                    any = true;
                }
            }
        }
    }
    free(sp);
    free(live);
    *out = items;
    *n = total;
    return BS_OK;
}

/* ==== Text ==== */

size_t bs__utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    /* Each continuation byte is checked before the next is read, so a
     * sequence cut short by the terminating NUL stops there. */
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

const char *bs__label(const char *name, const char *id, char *buf, size_t size)
{
    if (name != NULL && name[0] != '\0')
        snprintf(buf, size, "%s (%s)", name, id);
    else
        snprintf(buf, size, "%s", id);
    return buf;
}

/* ==== Times ==== */

void bs__wall_of(const bs_tz *tz, bs_time t, bs__wall *w)
{
    w->offset = bs_tz_offset_at(tz, t);
    bs_time local = t + w->offset;
    int64_t days = local / 1440;
    if (local % 1440 < 0)
        days--;
    w->days = days;
    w->minute = (int)(local - days * 1440);
    bs_civil_from_days(days, &w->year, &w->month, &w->mday);
    w->weekday = bs_weekday_from_days(days);
}

const bs_module *bs__module_of(const bs_problem *p, int cohort, int module)
{
    return &p->programs[p->cohorts[cohort].program].modules[module];
}

/* ==== Session order ==== */

typedef struct order_key {
    bs_time start;
    const char *cohort, *module;
    size_t index;
} order_key;

static int cmp_order(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    int c = strcmp(x->cohort, y->cohort);
    return c != 0 ? c : strcmp(x->module, y->module);
}

bs_rc bs__placed_in_order(const bs_problem *p, const bs_solution *s, size_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t count = 0;
    for (size_t k = 0; k < s->count; k++)
        count += s->items[k].placed;
    if (count == 0)
        return BS_OK;
    order_key *keys = bs_calloc(count, sizeof *keys);
    size_t *idx = bs_calloc(count, sizeof *idx);
    if (keys == NULL || idx == NULL) {
        free(keys);
        free(idx);
        return BS_ENOMEM;
    }
    size_t j = 0;
    for (size_t k = 0; k < s->count; k++) {
        const bs_assignment *a = &s->items[k];
        if (a->placed)
            keys[j++] = (order_key){a->start, p->cohorts[a->cohort].id,
                                    bs__module_of(p, a->cohort, a->module)->id, k};
    }
    qsort(keys, count, sizeof *keys, cmp_order);
    for (size_t k = 0; k < count; k++)
        idx[k] = keys[k].index;
    free(keys);
    *out = idx;
    *n = count;
    return BS_OK;
}

bs_rc bs__outcomes(const bs_solution *s, const bs_report *r, const bs_conflict ***conflict,
                   bool **skipped)
{
    size_t n = s->count ? s->count : 1;
    const bs_conflict **cf = bs_calloc(n, sizeof *cf);
    bool *sk = bs_calloc(n, sizeof *sk);
    if (cf == NULL || sk == NULL) {
        free(cf);
        free(sk);
        return BS_ENOMEM;
    }
    for (size_t k = 0; r != NULL && k < r->n_unplaced; k++) {
        int a = bs_solution_find(s, r->unplaced[k].cohort, r->unplaced[k].module);
        if (a >= 0 && cf[a] == NULL)
            cf[a] = &r->unplaced[k];
    }
    for (size_t k = 0; r != NULL && k < r->n_skipped; k++) {
        int a = bs_solution_find(s, r->skipped[k].cohort, r->skipped[k].module);
        if (a >= 0)
            sk[a] = true;
    }
    *conflict = cf;
    *skipped = sk;
    return BS_OK;
}

bs_rc bs__entity_sessions(const bs_problem *p, const bs_solution *s, const size_t *order,
                          size_t n_order, bs_ics_kind kind, bs__lists *l)
{
    size_t n = kind == BS_ICS_INSTRUCTOR ? p->n_instructors
               : kind == BS_ICS_ROOM     ? p->n_rooms
                                         : p->n_cohorts;
    size_t total = 0;
    for (size_t k = 0; k < n_order; k++) {
        const bs_assignment *a = &s->items[order[k]];
        total += kind == BS_ICS_INSTRUCTOR ? a->instructors.count
                 : kind == BS_ICS_ROOM     ? (a->room >= 0)
                                           : 1;
    }
    l->first = bs_calloc(n + 2, sizeof *l->first);
    l->items = bs_calloc(total ? total : 1, sizeof *l->items);
    if (l->first == NULL || l->items == NULL) {
        bs__lists_free(l);
        return BS_ENOMEM;
    }
    /* Counting sort: count entity e into first[e + 2], prefix-sum, then
     * fill through first[e + 1], which leaves e's range at first[e]. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; k < n_order; k++) {
            const bs_assignment *a = &s->items[order[k]];
            size_t m = kind == BS_ICS_INSTRUCTOR ? a->instructors.count : 1;
            for (size_t q = 0; q < m; q++) {
                int e = kind == BS_ICS_INSTRUCTOR ? a->instructors.items[q]
                        : kind == BS_ICS_ROOM     ? a->room
                                                  : a->cohort;
                if (e < 0)
                    continue;
                if (pass == 0)
                    l->first[e + 2]++;
                else
                    l->items[l->first[e + 1]++] = k;
            }
        }
        if (pass == 0)
            for (size_t e = 0; e < n; e++)
                l->first[e + 2] += l->first[e + 1];
    }
    return BS_OK;
}

void bs__lists_free(bs__lists *l)
{
    free(l->first);
    free(l->items);
    l->first = l->items = NULL;
}
