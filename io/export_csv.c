/**
 * @file export_csv.c
 * @brief The CSV table of a calendar (RFC 4180): one row per live session,
 *        placed or not, with cells neutralised against spreadsheet formula
 *        injection.
 */
#include "io/export_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bs_csv_append_field(bs_buf *b, const char *s)
{
    /* A spreadsheet evaluates a cell that begins with one of these as a
     * formula (TAB and CR too, in some of them): an apostrophe in front
     * makes it text, and is the prefix spreadsheets themselves hide. */
    bool neutralise = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        bs_buf_append(b, "\"", 1);
    if (neutralise)
        bs_buf_append(b, "'", 1);
    const unsigned char *c = (const unsigned char *)s;
    while (*c) {
        size_t n = bs__utf8_len(c);
        if (n == 0) {
            bs_buf_puts(b, "\xEF\xBF\xBD");
            c++;
        } else if (*c == '"') {
            bs_buf_append(b, "\"\"", 2);
            c++;
        } else {
            bs_buf_append(b, (const char *)c, n);
            c += n;
        }
    }
    if (quote)
        bs_buf_append(b, "\"", 1);
}

static const char *const COLUMNS[] = {
    "status",   "cohort",    "cohort_name", "program",          "module",
    "title",    "mode",      "date",        "start_local",      "end_local",
    "timezone", "start_utc", "end_utc",     "duration_minutes", "site",
    "room",     "room_name", "instructors", "instructor_names", "learners",
    "size",     "change",    "reason",      "reason_message"};
#define N_COLUMNS (sizeof COLUMNS / sizeof COLUMNS[0])

static const char *const CHANGE_WORD[] = {"", "moved", "reassigned", "new"};

/* One row being built: each cell is appended to `cell` and then emitted. */
typedef struct row {
    bs_buf *out;
    bs_buf cell;
    size_t n;
} row;

static void cell_done(row *r)
{
    if (r->n++ > 0)
        bs_buf_append(r->out, ",", 1);
    bs_csv_append_field(r->out, r->cell.data ? r->cell.data : "");
    r->cell.len = 0;
    if (r->cell.data)
        r->cell.data[0] = '\0';
}

static void cell(row *r, const char *s)
{
    bs_buf_puts(&r->cell, s ? s : "");
    cell_done(r);
}

static void cell_int(row *r, long v)
{
    bs_buf_printf(&r->cell, "%ld", v);
    cell_done(r);
}

static void row_end(row *r)
{
    bs_buf_append(r->out, "\r\n", 2);
    r->n = 0;
}

static void local_cell(row *r, const bs_problem *p, bs_time t, bool with_date_only)
{
    bs__wall w;
    bs__wall_of(p->tz, t, &w);
    if (with_date_only)
        bs_buf_printf(&r->cell, "%04d-%02d-%02d", w.year, w.month, w.mday);
    else
        bs_buf_printf(&r->cell, "%04d-%02d-%02d %02d:%02d", w.year, w.month, w.mday, w.minute / 60,
                      w.minute % 60);
    cell_done(r);
}

static void utc_cell(row *r, bs_time t)
{
    int64_t days = t / 1440 - (t % 1440 < 0);
    int minute = (int)(t - days * 1440), y, m, d;
    bs_civil_from_days(days, &y, &m, &d);
    bs_buf_printf(&r->cell, "%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, minute / 60, minute % 60);
    cell_done(r);
}

static void write_row(row *r, const bs_problem *p, const bs_assignment *a, const bs_conflict *cf,
                      bool skipped)
{
    const bs_cohort *c = &p->cohorts[a->cohort];
    const bs_program *pr = &p->programs[c->program];
    const bs_module *m = &pr->modules[a->module];
    cell(r, a->placed ? "placed" : (skipped || m->optional) ? "skipped" : "unplaced");
    cell(r, c->id);
    cell(r, c->name);
    cell(r, pr->id);
    cell(r, m->id);
    cell(r, m->title);
    cell(r, m->in_person ? "in_person" : "virtual");
    if (a->placed) {
        local_cell(r, p, a->start, true);
        local_cell(r, p, a->start, false);
        local_cell(r, p, a->end, false);
    } else {
        cell(r, "");
        cell(r, "");
        cell(r, "");
    }
    cell(r, p->timezone);
    if (a->placed) {
        utc_cell(r, a->start);
        utc_cell(r, a->end);
    } else {
        cell(r, "");
        cell(r, "");
    }
    cell_int(r, a->placed ? (long)(a->end - a->start) : (long)m->duration_minutes);
    const bs_room *room = a->placed && a->room >= 0 ? &p->rooms[a->room] : NULL;
    if (room != NULL && room->site >= 0)
        cell(r, p->sites[room->site]);
    else if (room == NULL && m->in_person && c->site >= 0)
        cell(r, p->sites[c->site]);
    else
        cell(r, "");
    cell(r, room ? room->id : "");
    cell(r, room ? room->name : "");
    for (int names = 0; names < 2; names++) {
        for (size_t q = 0; a->placed && q < a->instructors.count; q++) {
            const bs_instructor *in = &p->instructors[a->instructors.items[q]];
            if (q)
                bs_buf_puts(&r->cell, "; ");
            bs_buf_puts(&r->cell, names ? (in->name ? in->name : "") : in->id);
        }
        cell_done(r);
    }
    for (size_t q = 0; q < c->learners.count; q++) {
        if (q)
            bs_buf_puts(&r->cell, "; ");
        bs_buf_puts(&r->cell, p->learners[c->learners.items[q]].id);
    }
    cell_done(r);
    cell_int(r, c->size);
    cell(r, CHANGE_WORD[a->change]);
    cell(r, cf ? bs_reason_name(cf->reason) : "");
    cell(r, cf ? cf->message : "");
    row_end(r);
}

bs_rc bs_export_csv(const bs_problem *p, const bs_solution *s, const bs_report *rep, bs_buf *out)
{
    size_t *order = NULL, n = 0;
    const bs_conflict **cf = NULL;
    bool *skipped = NULL;
    BS_TRY(bs__placed_in_order(p, s, &order, &n));
    if (bs__outcomes(s, rep, &cf, &skipped) != BS_OK) {
        free(order);
        return BS_ENOMEM;
    }
    row r = {out, {NULL, 0, 0, false}, 0};
    for (size_t i = 0; i < N_COLUMNS; i++)
        cell(&r, COLUMNS[i]);
    row_end(&r);
    for (size_t k = 0; k < n; k++)
        write_row(&r, p, &s->items[order[k]], NULL, false);
    for (size_t k = 0; k < s->count; k++)
        if (!s->items[k].placed)
            write_row(&r, p, &s->items[k], cf[k], skipped[k]);
    bool failed = r.cell.failed || out->failed;
    bs_buf_free(&r.cell);
    free(order);
    free(cf);
    free(skipped);
    return failed ? BS_ENOMEM : BS_OK;
}
