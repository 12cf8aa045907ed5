/**
 * @file export_ics.c
 * @brief iCalendar (RFC 5545) files of a calendar: one per instructor,
 *        cohort, room and learner, with a VTIMEZONE built from the
 *        transitions the zone makes over the problem's days, stable UIDs,
 *        TEXT escaping and line folding.
 */
#define _POSIX_C_SOURCE 200809L
#include "io/export_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ==== Content lines ==== */

void bs_ics_append_text(bs_buf *b, const char *s)
{
    const unsigned char *c = (const unsigned char *)s;
    while (*c) {
        switch (*c) {
        case '\\':
            bs_buf_puts(b, "\\\\");
            c++;
            continue;
        case ';':
            bs_buf_puts(b, "\\;");
            c++;
            continue;
        case ',':
            bs_buf_puts(b, "\\,");
            c++;
            continue;
        case '\n':
            bs_buf_puts(b, "\\n");
            c++;
            continue;
        case '\r':
            /* CRLF and a lone CR are both one line break. */
            bs_buf_puts(b, "\\n");
            c += c[1] == '\n' ? 2 : 1;
            continue;
        default:
            break;
        }
        if (*c == '\t') {
            bs_buf_append(b, "\t", 1);
            c++;
        } else if (*c < 0x20 || *c == 0x7F) {
            /* RFC 5545 TEXT excludes the other control characters. */
            bs_buf_append(b, " ", 1);
            c++;
        } else {
            size_t n = bs__utf8_len(c);
            if (n == 0) {
                bs_buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD */
                c++;
            } else {
                bs_buf_append(b, (const char *)c, n);
                c += n;
            }
        }
    }
}

void bs_ics_append_folded(bs_buf *b, const char *line, size_t len)
{
    /* The first physical line holds 75 octets, each continuation a space
     * plus 74. A cut never falls before a continuation byte (10xxxxxx), so
     * a multi-byte character is never split; a sequence is at most 4
     * octets, so every line still carries at least one character. */
    size_t pos = 0, room = 75;
    do {
        size_t take = len - pos;
        if (take > room) {
            take = room;
            while (take > 0 && ((unsigned char)line[pos + take] & 0xC0) == 0x80)
                take--;
            if (take == 0)
                take = room; /* not UTF-8 at all: cut anyway */
        }
        if (pos > 0)
            bs_buf_append(b, " ", 1);
        bs_buf_append(b, line + pos, take);
        bs_buf_append(b, "\r\n", 2);
        pos += take;
        room = 74;
    } while (pos < len);
}

/* ==== Time zones ==== */

/* One observance of a VTIMEZONE: from `onset` (UTC minutes) the offset is
 * `to`; before it, `from`. */
typedef struct observance {
    bs_time onset;
    int from, to;
} observance;

typedef struct zone_entry {
    const char *name; /* borrowed from the problem */
    bool utc;         /* "UTC": times in UTC with 'Z', no VTIMEZONE */
    bs_tz *tz;
    bs_buf vtimezone; /* the whole component, folded, CRLF */
} zone_entry;

/* The local wall-clock time of instant t in offset `off` as
 * YYYYMMDDTHHMMSS (the form of DTSTART in a VTIMEZONE). */
static void format_local(bs_time t, int off, char *buf, size_t size)
{
    bs_time local = t + off;
    int64_t days = local / 1440;
    if (local % 1440 < 0)
        days--;
    int minute = (int)(local - days * 1440), y, m, d;
    bs_civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04d%02d%02dT%02d%02d00", y, m, d, minute / 60, minute % 60);
}

static void format_offset(int off, char *buf, size_t size)
{
    int a = off < 0 ? -off : off;
    a %= 100 * 60; /* offsets are within a day; keeps the field 4 digits */
    snprintf(buf, size, "%c%02d%02d", off < 0 ? '-' : '+', a / 60, a % 60);
}

/* The span the files cover: the problem's whole day table (every session
 * and due date lies in it). */
static void day_span(const bs_problem *p, bs_time *lo, bs_time *hi)
{
    *lo = p->days[0].begin;
    *hi = p->days[p->n_days - 1].begin + 2 * 1440;
}

/* Observances of tz over [lo, hi): the one in force at lo (its real onset
 * when the zone changed within the lookback loaded before lo, else lo
 * itself with from == to), then every change in (lo, hi). The loaded
 * offsets are searched hourly and bisected to the minute, as model/tz.c
 * samples them; zones change offset at most once an hour. */
static bs_rc observances(const bs_tz *tz, bs_time look, bs_time lo, bs_time hi, observance **out,
                         size_t *n, int *min_offset)
{
    size_t cap = 8, count = 0;
    observance *v = bs_calloc(cap, sizeof *v);
    if (v == NULL)
        return BS_ENOMEM;
    int first = bs_tz_offset_at(tz, look);
    v[count++] = (observance){lo, bs_tz_offset_at(tz, lo), bs_tz_offset_at(tz, lo)};
    *min_offset = first;
    for (bs_time t = look; t < hi; t += 60) {
        int cur = bs_tz_offset_at(tz, t);
        if (bs_tz_offset_at(tz, t + 60) == cur)
            continue;
        bs_time a = t, b = t + 60; /* offset(a) == cur != offset(b) */
        while (b - a > 1) {
            bs_time mid = a + (b - a) / 2;
            if (bs_tz_offset_at(tz, mid) == cur)
                a = mid;
            else
                b = mid;
        }
        int to = bs_tz_offset_at(tz, b);
        if (to < *min_offset)
            *min_offset = to;
        if (b <= lo) {
            v[0] = (observance){b, cur, to}; /* the latest change before lo */
            continue;
        }
        if (count == cap) {
            observance *g = bs_reallocarray(v, cap * 2, sizeof *g);
            if (g == NULL) {
                free(v);
                return BS_ENOMEM;
            }
            v = g;
            cap *= 2;
        }
        v[count++] = (observance){b, cur, to};
    }
    *out = v;
    *n = count;
    return BS_OK;
}

/* The VTIMEZONE of z over the problem's days. An observance whose offset
 * is above the lowest offset the zone had in the loaded span (the days
 * plus a year before) is DAYLIGHT, the others STANDARD: tzdata's own
 * is-DST flag is not kept by model/tz.h, and this reading gives the usual
 * answer for every zone with seasonal time. */
static bs_rc build_vtimezone(const bs_problem *p, zone_entry *z, bs_buf *line)
{
    bs_time lo, hi;
    day_span(p, &lo, &hi);
    observance *v = NULL;
    size_t n = 0;
    int min_offset = 0;
    BS_TRY(observances(z->tz, lo - 400 * 1440, lo, hi, &v, &n, &min_offset));
    bs_buf *b = &z->vtimezone;
    bs_buf_puts(b, "BEGIN:VTIMEZONE\r\n");
    line->len = 0;
    bs_buf_printf(line, "TZID:%s", z->name);
    bs_ics_append_folded(b, line->data, line->len);
    for (size_t i = 0; i < n; i++) {
        const char *kind = v[i].to > min_offset ? "DAYLIGHT" : "STANDARD";
        char start[24], from[16], to[16];
        format_local(v[i].onset, v[i].from, start, sizeof start);
        format_offset(v[i].from, from, sizeof from);
        format_offset(v[i].to, to, sizeof to);
        bs_buf_printf(b, "BEGIN:%s\r\nDTSTART:%s\r\nTZOFFSETFROM:%s\r\nTZOFFSETTO:%s\r\nEND:%s\r\n",
                      kind, start, from, to, kind);
    }
    bs_buf_puts(b, "END:VTIMEZONE\r\n");
    free(v);
    return b->failed || line->failed ? BS_ENOMEM : BS_OK;
}

/* ==== The writer's context ==== */

typedef struct ics_ctx {
    const bs_problem *p;
    const bs_solution *s;
    const bs_export_opts *o;
    char dtstamp[24];
    zone_entry *zones;
    size_t n_zones, zones_cap;
    size_t *order; /* placed assignments in the calendar's order */
    size_t n_order;
    bs_selfpaced_due *due;
    size_t n_due;
    size_t *due_first; /* due items of cohort c: [due_first[c], due_first[c+1]) */
    bs_buf line;       /* the content line being built */
    size_t *pick;      /* positions in `order` of one file's sessions */
    size_t n_pick;
} ics_ctx;

static void ctx_free(ics_ctx *x)
{
    for (size_t i = 0; i < x->n_zones; i++) {
        bs_tz_destroy(&x->zones[i].tz);
        bs_buf_free(&x->zones[i].vtimezone);
    }
    free(x->zones);
    free(x->order);
    free(x->due);
    free(x->due_first);
    free(x->pick);
    bs_buf_free(&x->line);
}

static bs_rc ctx_init(ics_ctx *x, const bs_problem *p, const bs_solution *s,
                      const bs_export_opts *o, bs_err *err)
{
    memset(x, 0, sizeof *x);
    x->p = p;
    x->s = s;
    x->o = o;
    bs_buf_init(&x->line);
    if (!bs_export_uid_domain_is_valid(o->uid_domain))
        return bs_err_set(err, BS_EINVAL, "invalid UID domain \"%.64s\"",
                          o->uid_domain ? o->uid_domain : "");
    /* DTSTAMP is a UTC date-time; seconds since the epoch to civil time. */
    int64_t secs = o->dtstamp, days = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int y, m, d;
    bs_civil_from_days(days, &y, &m, &d);
    snprintf(x->dtstamp, sizeof x->dtstamp, "%04d%02d%02dT%02d%02d%02dZ", y % 10000, m, d,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
    bs_rc rc = bs__placed_in_order(p, s, &x->order, &x->n_order);
    if (rc == BS_OK)
        rc = bs_export_self_paced(p, s, &x->due, &x->n_due);
    if (rc == BS_OK) {
        x->due_first = bs_calloc(p->n_cohorts + 1, sizeof *x->due_first);
        x->pick = bs_calloc(x->n_order ? x->n_order : 1, sizeof *x->pick);
        if (x->due_first == NULL || x->pick == NULL)
            rc = BS_ENOMEM;
    }
    if (rc == BS_OK) {
        for (size_t k = 0; k < x->n_due; k++)
            x->due_first[x->due[k].cohort + 1]++;
        for (size_t c = 0; c < p->n_cohorts; c++)
            x->due_first[c + 1] += x->due_first[c];
    }
    if (rc != BS_OK)
        return bs_err_set(err, rc, "out of memory");
    return BS_OK;
}

/* The zone entry of `name`, loaded (and its VTIMEZONE built) on first use. */
static bs_rc zone_get(ics_ctx *x, const char *name, zone_entry **out, bs_err *err)
{
    for (size_t i = 0; i < x->n_zones; i++)
        if (strcmp(x->zones[i].name, name) == 0) {
            *out = &x->zones[i];
            return BS_OK;
        }
    if (x->n_zones == x->zones_cap) {
        size_t cap = x->zones_cap ? x->zones_cap * 2 : 4;
        zone_entry *g = bs_reallocarray(x->zones, cap, sizeof *g);
        if (g == NULL)
            return bs_err_set(err, BS_ENOMEM, "out of memory");
        x->zones = g;
        x->zones_cap = cap;
    }
    zone_entry *z = &x->zones[x->n_zones];
    memset(z, 0, sizeof *z);
    z->name = name;
    z->utc = strcmp(name, "UTC") == 0;
    if (!z->utc) {
        bs_time lo, hi;
        day_span(x->p, &lo, &hi);
        BS_TRY(bs_tz_load(name, lo - 400 * 1440, hi, &z->tz, err));
        bs_rc rc = build_vtimezone(x->p, z, &x->line);
        if (rc != BS_OK) {
            bs_tz_destroy(&z->tz);
            bs_buf_free(&z->vtimezone);
            return bs_err_set(err, rc, "out of memory");
        }
    }
    x->n_zones++;
    *out = z;
    return BS_OK;
}

/* ==== Properties ==== */

static void line_start(ics_ctx *x, const char *name)
{
    x->line.len = 0;
    bs_buf_puts(&x->line, name);
}

static void line_end(ics_ctx *x, bs_buf *out)
{
    bs_ics_append_folded(out, x->line.data ? x->line.data : "", x->line.len);
}

/* NAME:text, escaped and folded. */
static void text_prop(ics_ctx *x, bs_buf *out, const char *name, const char *text)
{
    line_start(x, name);
    bs_buf_puts(&x->line, ":");
    bs_ics_append_text(&x->line, text);
    line_end(x, out);
}

/* NAME;TZID=zone:local, or NAME:utcZ where the zone is UTC or the local
 * time is ambiguous (the second pass of an autumn hour: RFC 5545 reads an
 * ambiguous TZID time as the first). */
static void time_prop(ics_ctx *x, bs_buf *out, const char *name, const zone_entry *z, bs_time t)
{
    char buf[24];
    bs_time back = 0;
    if (!z->utc) {
        bs__wall w;
        bs__wall_of(z->tz, t, &w);
        if (bs_tz_local_to_utc(z->tz, w.days, w.minute, &back) && back == t) {
            format_local(t, w.offset, buf, sizeof buf);
            bs_buf_printf(out, "%s;TZID=%s:%s\r\n", name, z->name, buf);
            return;
        }
    }
    format_local(t, 0, buf, sizeof buf);
    bs_buf_printf(out, "%s:%sZ\r\n", name, buf);
}

/* Wall-clock time of t in zone z (UTC without a loaded zone). */
static void wall_in(const zone_entry *z, bs_time t, bs__wall *w)
{
    if (!z->utc) {
        bs__wall_of(z->tz, t, w);
        return;
    }
    w->offset = 0;
    w->days = t / 1440 - (t % 1440 < 0);
    w->minute = (int)(t - w->days * 1440);
    bs_civil_from_days(w->days, &w->year, &w->month, &w->mday);
    w->weekday = bs_weekday_from_days(w->days);
}

/* "Tue 2027-01-12 09:00" in zone z. */
static void human_time(const zone_entry *z, bs_time t, char *buf, size_t size)
{
    bs__wall w;
    wall_in(z, t, &w);
    snprintf(buf, size, "%s %04d-%02d-%02d %02d:%02d", bs__wday_abbr[w.weekday], w.year, w.month,
             w.mday, w.minute / 60, w.minute % 60);
}

/* ==== Items ==== */

static const char *const CHANGE_WORD[] = {"", "moved", "reassigned", "new"};

static void session_event(ics_ctx *x, bs_buf *out, const zone_entry *z, const bs_assignment *a)
{
    const bs_problem *p = x->p;
    const bs_cohort *c = &p->cohorts[a->cohort];
    const bs_module *m = bs__module_of(p, a->cohort, a->module);
    char lab[1024], when[40];

    bs_buf_puts(out, "BEGIN:VEVENT\r\n");
    line_start(x, "UID:");
    bs_buf_printf(&x->line, "%s/%s@%s", c->id, m->id, x->o->uid_domain);
    line_end(x, out);
    bs_buf_printf(out, "DTSTAMP:%s\r\n", x->dtstamp);
    time_prop(x, out, "DTSTART", z, a->start);
    time_prop(x, out, "DTEND", z, a->end);

    line_start(x, "SUMMARY:");
    bs_ics_append_text(&x->line, m->title && m->title[0] ? m->title : m->id);
    bs_buf_puts(&x->line, " \xC2\xB7 "); /* a middle dot */
    bs_ics_append_text(&x->line, c->name && c->name[0] ? c->name : c->id);
    line_end(x, out);

    line_start(x, "LOCATION:");
    if (a->room >= 0) {
        const bs_room *r = &p->rooms[a->room];
        if (r->is_virtual)
            bs_buf_puts(&x->line, "virtual: ");
        bs_ics_append_text(&x->line, bs__label(r->name, r->id, lab, sizeof lab));
        if (!r->is_virtual && r->site >= 0) {
            bs_buf_puts(&x->line, "\\, site ");
            bs_ics_append_text(&x->line, p->sites[r->site]);
        }
    } else {
        bs_buf_puts(&x->line, m->in_person ? "in person" : "virtual");
    }
    line_end(x, out);

    line_start(x, "DESCRIPTION:");
    bs_buf_puts(&x->line, "Cohort: ");
    bs_ics_append_text(&x->line, bs__label(c->name, c->id, lab, sizeof lab));
    bs_buf_puts(&x->line, "\\nProgram: ");
    const bs_program *pr = &p->programs[c->program];
    bs_ics_append_text(&x->line, bs__label(pr->name, pr->id, lab, sizeof lab));
    bs_buf_puts(&x->line, "\\nSession: ");
    bs_ics_append_text(&x->line, bs__label(m->title, m->id, lab, sizeof lab));
    bs_buf_printf(&x->line, "\\nMode: %s\\, %d minutes", m->in_person ? "in person" : "virtual",
                  (int)(a->end - a->start));
    bs_buf_puts(&x->line, "\\nInstructors: ");
    for (size_t q = 0; q < a->instructors.count; q++) {
        const bs_instructor *in = &p->instructors[a->instructors.items[q]];
        if (q)
            bs_buf_puts(&x->line, "\\; ");
        bs_ics_append_text(&x->line, bs__label(in->name, in->id, lab, sizeof lab));
    }
    if (a->instructors.count == 0)
        bs_buf_puts(&x->line, "none");
    bs_buf_printf(&x->line, "\\nParticipants: %d", c->size);
    human_time(z, a->start, when, sizeof when);
    bs_buf_puts(&x->line, "\\nStarts: ");
    bs_buf_puts(&x->line, when);
    bs_buf_puts(&x->line, " (");
    bs_ics_append_text(&x->line, z->name);
    bs_buf_puts(&x->line, ")");
    if (a->change != BS_CHANGE_NONE)
        bs_buf_printf(&x->line, "\\nChange against the baseline: %s", CHANGE_WORD[a->change]);
    line_end(x, out);

    bs_buf_puts(out, "STATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\n");
}

/* An all-day event on the date (in zone z) when self-paced work is due. */
static void due_event(ics_ctx *x, bs_buf *out, const zone_entry *z, const bs_selfpaced_due *d)
{
    const bs_problem *p = x->p;
    const bs_cohort *c = &p->cohorts[d->cohort];
    const bs_module *m = bs__module_of(p, d->cohort, d->module);
    const bs_module *before = bs__module_of(p, d->cohort, d->due_module);
    char lab[1024], when[40];
    bs__wall w;
    wall_in(z, d->due, &w);
    /* A session that starts at midnight needs the work done the day before. */
    if (w.minute == 0)
        w.days--;
    int y, mo, dd, y2, mo2, dd2;
    bs_civil_from_days(w.days, &y, &mo, &dd);
    bs_civil_from_days(w.days + 1, &y2, &mo2, &dd2);

    bs_buf_puts(out, "BEGIN:VEVENT\r\n");
    line_start(x, "UID:");
    bs_buf_printf(&x->line, "%s/%s/due@%s", c->id, m->id, x->o->uid_domain);
    line_end(x, out);
    bs_buf_printf(out, "DTSTAMP:%s\r\n", x->dtstamp);
    bs_buf_printf(out, "DTSTART;VALUE=DATE:%04d%02d%02d\r\n", y, mo, dd);
    bs_buf_printf(out, "DTEND;VALUE=DATE:%04d%02d%02d\r\n", y2, mo2, dd2);

    line_start(x, "SUMMARY:Due: ");
    bs_ics_append_text(&x->line, m->title && m->title[0] ? m->title : m->id);
    bs_buf_puts(&x->line, " (self-paced) \xC2\xB7 ");
    bs_ics_append_text(&x->line, c->name && c->name[0] ? c->name : c->id);
    line_end(x, out);

    line_start(x, "DESCRIPTION:");
    bs_buf_puts(&x->line, "Self-paced module ");
    bs_ics_append_text(&x->line, bs__label(m->title, m->id, lab, sizeof lab));
    bs_buf_printf(&x->line, "\\, about %d minutes of work\\, for cohort ", m->effort_minutes);
    bs_ics_append_text(&x->line, bs__label(c->name, c->id, lab, sizeof lab));
    bs_buf_puts(&x->line, ".\\nAvailable from: ");
    human_time(z, d->available_from, when, sizeof when);
    bs_buf_puts(&x->line, when);
    bs_buf_puts(&x->line, "\\nDue before: ");
    bs_ics_append_text(&x->line, bs__label(before->title, before->id, lab, sizeof lab));
    human_time(z, d->due, when, sizeof when);
    bs_buf_puts(&x->line, " starting ");
    bs_buf_puts(&x->line, when);
    bs_buf_puts(&x->line, " (");
    bs_ics_append_text(&x->line, z->name);
    bs_buf_puts(&x->line, ")");
    line_end(x, out);
    bs_buf_puts(out, "TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n");
}

/* ==== Files ==== */

static const char *const KIND_WORD[] = {"instructor", "cohort", "room", "learner"};
static const char *const KIND_TITLE[] = {"Instructor", "Cohort", "Room", "Learner"};

static size_t kind_count(const bs_problem *p, bs_ics_kind kind)
{
    switch (kind) {
    case BS_ICS_INSTRUCTOR:
        return p->n_instructors;
    case BS_ICS_COHORT:
        return p->n_cohorts;
    case BS_ICS_ROOM:
        return p->n_rooms;
    case BS_ICS_LEARNER:
        return p->n_learners;
    }
    return 0;
}

void bs_export_ics_filename(const bs_problem *p, bs_ics_kind kind, size_t index, char *buf,
                            size_t size)
{
    const char *id = "";
    switch (kind) {
    case BS_ICS_INSTRUCTOR:
        id = p->instructors[index].id;
        break;
    case BS_ICS_COHORT:
        id = p->cohorts[index].id;
        break;
    case BS_ICS_ROOM:
        id = p->rooms[index].id;
        break;
    case BS_ICS_LEARNER:
        id = p->learners[index].id;
        break;
    }
    snprintf(buf, size, "%s-%s.ics", KIND_WORD[kind], id);
}

/* Does session a belong to the file of (kind, index)? */
static bool attends(const bs_problem *p, bs_ics_kind kind, size_t index, const bs_assignment *a)
{
    switch (kind) {
    case BS_ICS_INSTRUCTOR:
        return bs_ids_contains(&a->instructors, (int)index);
    case BS_ICS_COHORT:
        return a->cohort == (int)index;
    case BS_ICS_ROOM:
        return a->room == (int)index;
    case BS_ICS_LEARNER:
        return bs_ids_contains(&p->learners[index].cohorts, a->cohort);
    }
    return false;
}

static bool has_completed(const bs_learner *le, int program, int module)
{
    for (size_t k = 0; k < le->n_completed; k++)
        if (le->completed[k].program == program && le->completed[k].module == module)
            return true;
    return false;
}

/* Due items of cohort c into the file (a learner's skip what they did). */
static void cohort_dues(ics_ctx *x, bs_buf *out, const zone_entry *z, int c, const bs_learner *le)
{
    for (size_t k = x->due_first[c]; k < x->due_first[c + 1]; k++) {
        const bs_selfpaced_due *d = &x->due[k];
        if (!d->has_due)
            continue;
        if (le != NULL && has_completed(le, x->p->cohorts[c].program, d->module))
            continue;
        due_event(x, out, z, d);
    }
}

/* The file of (kind, index); x->pick holds its sessions (positions in
 * x->order, ascending). */
static bs_rc write_file(ics_ctx *x, bs_ics_kind kind, size_t index, bs_buf *out, bs_err *err)
{
    const bs_problem *p = x->p;
    const char *zone = p->timezone, *name = NULL, *id = NULL;
    switch (kind) {
    case BS_ICS_INSTRUCTOR:
        zone = p->instructors[index].timezone;
        name = p->instructors[index].name;
        id = p->instructors[index].id;
        break;
    case BS_ICS_COHORT:
        zone = p->cohorts[index].timezone;
        name = p->cohorts[index].name;
        id = p->cohorts[index].id;
        break;
    case BS_ICS_ROOM:
        name = p->rooms[index].name;
        id = p->rooms[index].id;
        break;
    case BS_ICS_LEARNER:
        zone = p->learners[index].timezone;
        name = p->learners[index].name;
        id = p->learners[index].id;
        break;
    }
    if (zone == NULL)
        zone = p->timezone;
    zone_entry *z = NULL;
    BS_TRY(zone_get(x, zone, &z, err));

    char lab[1024], title[1100];
    snprintf(title, sizeof title, "%s %s", KIND_TITLE[kind], bs__label(name, id, lab, sizeof lab));
    bs_buf_puts(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
                     "PRODID:-//blendsched//blendsched " BS_VERSION "//EN\r\n"
                     "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    text_prop(x, out, "NAME", title);
    text_prop(x, out, "X-WR-CALNAME", title);
    text_prop(x, out, "X-WR-TIMEZONE", zone);
    if (!z->utc)
        bs_buf_append(out, z->vtimezone.data, z->vtimezone.len);
    for (size_t k = 0; k < x->n_pick; k++)
        session_event(x, out, z, &x->s->items[x->order[x->pick[k]]]);
    if (kind == BS_ICS_COHORT) {
        cohort_dues(x, out, z, (int)index, NULL);
    } else if (kind == BS_ICS_LEARNER) {
        const bs_learner *le = &p->learners[index];
        for (size_t k = 0; k < le->cohorts.count; k++)
            cohort_dues(x, out, z, le->cohorts.items[k], le);
    }
    bs_buf_puts(out, "END:VCALENDAR\r\n");
    if (out->failed || x->line.failed)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    return BS_OK;
}

bs_rc bs_export_ics(const bs_problem *p, const bs_solution *s, bs_ics_kind kind, size_t index,
                    const bs_export_opts *o, bs_buf *out, bs_err *err)
{
    if ((unsigned)kind > BS_ICS_LEARNER || index >= kind_count(p, kind))
        return bs_err_set(err, BS_EINVAL, "no such entity");
    ics_ctx x;
    bs_rc rc = ctx_init(&x, p, s, o, err);
    if (rc == BS_OK) {
        for (size_t k = 0; k < x.n_order; k++)
            if (attends(p, kind, index, &s->items[x.order[k]]))
                x.pick[x.n_pick++] = k;
        rc = write_file(&x, kind, index, out, err);
    }
    ctx_free(&x);
    return rc;
}

/* ==== A directory of files ==== */

/* mkdir -p: each missing component of dir, in turn. */
static bs_rc make_dirs(const char *dir, bs_err *err)
{
    char *path = bs_strdup(dir);
    if (path == NULL)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    bs_rc rc = BS_OK;
    size_t n = strlen(path);
    for (size_t i = 1; i <= n && rc == BS_OK; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        char saved = path[i];
        path[i] = '\0';
        struct stat st;
        if (stat(path, &st) != 0) {
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                rc = bs_err_set(err, BS_EIO, "%s: cannot create the directory: %s", path,
                                strerror(errno));
        } else if (!S_ISDIR(st.st_mode)) {
            rc = bs_err_set(err, BS_EIO, "%s: not a directory", path);
        }
        path[i] = saved;
    }
    free(path);
    return rc;
}

static int size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

bs_rc bs_export_ics_dir(const bs_problem *p, const bs_solution *s, const char *dir,
                        const bs_export_opts *o, size_t *written, bs_err *err)
{
    if (written != NULL)
        *written = 0;
    ics_ctx x;
    bs_rc rc = ctx_init(&x, p, s, o, err);
    if (rc == BS_OK)
        rc = make_dirs(dir, err);
    size_t dlen = strlen(dir);
    char *path = malloc(dlen + 200);
    if (rc == BS_OK && path == NULL)
        rc = bs_err_set(err, BS_ENOMEM, "out of memory");
    bs_buf out;
    bs_buf_init(&out);
    for (int kind = BS_ICS_INSTRUCTOR; kind <= BS_ICS_LEARNER && rc == BS_OK; kind++) {
        bs__lists l = {NULL, NULL};
        if (bs__entity_sessions(p, s, x.order, x.n_order, (bs_ics_kind)kind, &l) != BS_OK)
            rc = bs_err_set(err, BS_ENOMEM, "out of memory");
        size_t n = kind_count(p, (bs_ics_kind)kind);
        for (size_t e = 0; e < n && rc == BS_OK; e++) {
            x.n_pick = 0;
            if (kind == BS_ICS_LEARNER) {
                /* a learner's sessions: their cohorts' lists, in order */
                const bs_ids *cs = &p->learners[e].cohorts;
                for (size_t q = 0; q < cs->count; q++) {
                    int c = cs->items[q];
                    for (size_t k = l.first[c]; k < l.first[c + 1]; k++)
                        x.pick[x.n_pick++] = l.items[k];
                }
                qsort(x.pick, x.n_pick, sizeof *x.pick, size_cmp);
            } else {
                for (size_t k = l.first[e]; k < l.first[e + 1]; k++)
                    x.pick[x.n_pick++] = l.items[k];
            }
            out.len = 0;
            rc = write_file(&x, (bs_ics_kind)kind, e, &out, err);
            if (rc == BS_OK) {
                memcpy(path, dir, dlen);
                path[dlen] = '/';
                bs_export_ics_filename(p, (bs_ics_kind)kind, e, path + dlen + 1, 190);
                rc = bs_write_file_atomic(path, out.data, out.len, err);
                if (rc == BS_OK && written != NULL)
                    (*written)++;
            }
        }
        bs__lists_free(&l);
    }
    bs_buf_free(&out);
    free(path);
    ctx_free(&x);
    return rc;
}
