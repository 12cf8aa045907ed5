/**
 * @file export_html.c
 * @brief The HTML report of a calendar: one self-contained page (inline
 *        CSS, no scripts, no external resources) with the conflict report
 *        in plain words, utilisation bars, week-by-week timelines per room,
 *        instructor and cohort, and the self-paced due dates.
 *
 * Every string that comes from the input or the conflict report goes
 * through bs_html_append_text; the page's Content-Security-Policy forbids
 * scripts and every fetch, so even a mistake here could not run code or
 * reach the network.
 */
#include "io/calendar_write.h"
#include "io/export_internal.h"
#include "model/evaluate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bs_html_append_text(bs_buf *b, const char *s)
{
    const unsigned char *c = (const unsigned char *)s;
    while (*c) {
        switch (*c) {
        case '&':
            bs_buf_puts(b, "&amp;");
            c++;
            continue;
        case '<':
            bs_buf_puts(b, "&lt;");
            c++;
            continue;
        case '>':
            bs_buf_puts(b, "&gt;");
            c++;
            continue;
        case '"':
            bs_buf_puts(b, "&quot;");
            c++;
            continue;
        case '\'':
            bs_buf_puts(b, "&#39;");
            c++;
            continue;
        default:
            break;
        }
        if (*c == '\t' || *c == '\n') {
            bs_buf_append(b, (const char *)c, 1);
            c++;
        } else if (*c < 0x20 || *c == 0x7F) {
            bs_buf_append(b, " ", 1);
            c++;
        } else {
            size_t n = bs__utf8_len(c);
            if (n == 0) {
                bs_buf_puts(b, "\xEF\xBF\xBD");
                c++;
            } else {
                bs_buf_append(b, (const char *)c, n);
                c += n;
            }
        }
    }
}

/* ==== The page's frame ==== */

static const char HEAD[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<meta name=\"generator\" content=\"blendsched " BS_VERSION "\">\n";

static const char STYLE[] =
    "<style>\n"
    ":root{--ink:#1d2430;--mute:#5b6576;--line:#d9dee7;--bg:#f5f7fa;--ok:#1f7a4d;"
    "--warn:#b25e00;--bad:#b3261e}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',"
    "sans-serif;color:var(--ink);background:var(--bg)}\n"
    "header{background:#22324a;color:#fff;padding:20px 28px}\n"
    "header h1{margin:0 0 4px;font-size:24px}\n"
    "header p{margin:0;color:#cdd6e4}\n"
    "nav{padding:8px 28px;background:#fff;border-bottom:1px solid var(--line)}\n"
    "nav a{margin-right:16px;color:#22509a;text-decoration:none}\n"
    "main{padding:8px 28px 28px}\n"
    "section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 18px;"
    "margin:16px 0}\n"
    "h2{font-size:18px;margin:0 0 10px}\n"
    "h3{font-size:15px;margin:14px 0 8px}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:12px}\n"
    ".card{flex:1 1 160px;border:1px solid var(--line);border-radius:8px;padding:10px 14px;"
    "background:#fbfcfe}\n"
    ".card b{display:block;font-size:22px}\n"
    ".card.ok b{color:var(--ok)}.card.bad b{color:var(--bad)}.card.warn b{color:var(--warn)}\n"
    ".muted{color:var(--mute)}\n"
    ".good{border-left:4px solid var(--ok);padding:8px 12px;background:#eef8f2}\n"
    "table{border-collapse:collapse;width:100%}\n"
    "th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#eef1f6;font-weight:600}\n"
    "code{font:12px ui-monospace,'DejaVu Sans Mono',monospace;background:#eef1f6;"
    "padding:1px 4px;border-radius:3px}\n"
    ".reason{font-weight:600;color:var(--bad)}\n"
    ".util{display:grid;grid-template-columns:minmax(160px,260px) 1fr minmax(150px,220px);"
    "gap:6px 12px;align-items:center}\n"
    ".bar{height:14px;background:#e6eaf0;border-radius:7px;overflow:hidden}\n"
    ".bar span{display:block;height:100%;background:#3b7dd8}\n"
    ".bar span.high{background:#d9822b}.bar span.full{background:var(--bad)}\n"
    ".scroll{overflow-x:auto}\n"
    "table.tl{width:auto;min-width:100%;font-size:12px}\n"
    "table.tl th.who{position:sticky;left:0;z-index:1;min-width:170px;max-width:240px;"
    "background:#eef1f6}\n"
    "table.tl td{min-width:124px;max-width:180px;padding:3px}\n"
    "table.tl thead th{white-space:nowrap}\n"
    ".ev{border-radius:4px;padding:3px 5px;margin:2px 0;border-left:4px solid;"
    "overflow-wrap:anywhere}\n"
    ".ev b{font-weight:600}\n"
    ".due{border:1px dashed #8a6d00;background:#fff8dc;border-radius:4px;padding:3px 5px;"
    "margin:2px 0;overflow-wrap:anywhere}\n"
    ".c0{background:#e3eefc;border-color:#2f6fd0}.c1{background:#e5f5ea;border-color:#2e8b57}\n"
    ".c2{background:#fdeee0;border-color:#d9822b}.c3{background:#f1e8fb;border-color:#7b4fc9}\n"
    ".c4{background:#fde8ec;border-color:#c9364f}.c5{background:#e0f5f5;border-color:#1c8c8c}\n"
    ".c6{background:#f6f2dc;border-color:#9c8418}.c7{background:#ebeef2;border-color:#56657a}\n"
    ".c8{background:#fbe9f6;border-color:#b5408f}.c9{background:#e9f3df;border-color:#5a8f29}\n"
    "footer{padding:0 28px 24px;color:var(--mute);font-size:12px;overflow-wrap:anywhere}\n"
    "details summary{cursor:pointer;color:#22509a}\n"
    "</style>\n";

/* ==== Helpers ==== */

typedef struct page {
    const bs_problem *p;
    const bs_solution *s;
    const bs_report *r;
    const bs_export_opts *o;
    bs_buf *b;
    size_t *order; /* placed sessions in calendar order */
    size_t n_order;
    const bs_conflict **conflict; /* per assignment */
    bool *skipped;                /* per assignment */
    bs_selfpaced_due *due;
    size_t n_due;
    int64_t week0; /* day number of the Monday of the horizon's first week */
    size_t n_weeks;
} page;

static void H(page *g, const char *s)
{
    bs_html_append_text(g->b, s ? s : "");
}

static void P(page *g, const char *s)
{
    bs_buf_puts(g->b, s);
}

/* "Name (id)" escaped; the id in a muted span when there is a name. */
static void label(page *g, const char *name, const char *id)
{
    if (name != NULL && name[0] != '\0') {
        H(g, name);
        P(g, " <span class=\"muted\">(");
        H(g, id);
        P(g, ")</span>");
    } else {
        H(g, id);
    }
}

static void module_label(page *g, const bs_module *m)
{
    label(g, m->title, m->id);
}

/* "Thu 28 Jan 2027, 09:30" in the calendar's zone. */
static void when(page *g, bs_time t, bool year)
{
    bs__wall w;
    bs__wall_of(g->p->tz, t, &w);
    bs_buf_printf(g->b, "%s %d %s", bs__wday_abbr[w.weekday], w.mday, bs__month_abbr[w.month]);
    if (year)
        bs_buf_printf(g->b, " %d", w.year);
    bs_buf_printf(g->b, ", %02d:%02d", w.minute / 60, w.minute % 60);
}

/* "Tue 12 Jan 09:00–12:00" (the end's date only when it differs). */
static void span(page *g, bs_time from, bs_time to)
{
    bs__wall a, z;
    bs__wall_of(g->p->tz, from, &a);
    bs__wall_of(g->p->tz, to, &z);
    bs_buf_printf(g->b, "%s %d %s %02d:%02d\xE2\x80\x93", bs__wday_abbr[a.weekday], a.mday,
                  bs__month_abbr[a.month], a.minute / 60, a.minute % 60);
    /* A session ending at midnight ends "24:00" of its own day. */
    if (z.days == a.days || (z.days == a.days + 1 && z.minute == 0))
        bs_buf_printf(g->b, "%02d:%02d", z.days == a.days ? z.minute / 60 : 24,
                      z.days == a.days ? z.minute % 60 : 0);
    else
        bs_buf_printf(g->b, "%s %d %s %02d:%02d", bs__wday_abbr[z.weekday], z.mday,
                      bs__month_abbr[z.month], z.minute / 60, z.minute % 60);
}

static void date_of_day(page *g, int64_t days, bool year)
{
    int y, m, d;
    bs_civil_from_days(days, &y, &m, &d);
    bs_buf_printf(g->b, "%d %s", d, bs__month_abbr[m]);
    if (year)
        bs_buf_printf(g->b, " %d", y);
}

static int64_t day_number(const bs_day *d)
{
    return bs_days_from_civil(d->year, d->month, d->mday);
}

static void minutes_text(page *g, long minutes)
{
    if (minutes % 60 == 0)
        bs_buf_printf(g->b, "%ld h", minutes / 60);
    else
        bs_buf_printf(g->b, "%ld h %02ld", minutes / 60, minutes % 60);
}

static const char *reason_words(bs_reason r)
{
    switch (r) {
    case BS_REASON_NO_QUALIFIED_INSTRUCTOR:
        return "No instructor can teach it: nobody has the skills it needs, teaches at the "
               "site, or is allowed for this cohort.";
    case BS_REASON_NO_SUITABLE_ROOM:
        return "No room fits: none at the site has enough seats and the equipment it needs.";
    case BS_REASON_NO_FEASIBLE_TIME:
        return "No time works, even with every other cohort away: working hours, holidays, "
               "its window, the order of sessions or the study time for prework rule every "
               "time out.";
    case BS_REASON_RESOURCES_BUSY:
        return "It would fit on its own, but the instructors, rooms or learners it needs are "
               "already booked.";
    case BS_REASON_SOLVER_LIMIT:
        return "The time limit stopped the planner before it placed this session.";
    case BS_REASON_PIN_BROKEN:
        return "It is fixed to a time, room or instructor that breaks a rule.";
    case BS_REASON_NONE:
        break;
    }
    return "Reason not known.";
}

/* ==== Sections ==== */

static void header(page *g)
{
    const bs_problem *p = g->p;
    static const char *const STATUS[] = {"complete", "partial", "interrupted"};
    P(g, "<title>Training plan");
    if (g->o->input_name) {
        P(g, ": ");
        H(g, g->o->input_name);
    }
    P(g, "</title>\n");
    P(g, STYLE);
    P(g, "</head>\n<body>\n<header>\n<h1>Training plan</h1>\n<p>");
    if (g->o->input_name) {
        H(g, g->o->input_name);
        P(g, " &middot; ");
    }
    const bs_day *d0 = &p->days[p->horizon_first_day], *d1 = &p->days[p->horizon_last_day];
    date_of_day(g, day_number(d0), true);
    P(g, " \xE2\x80\x93 ");
    date_of_day(g, day_number(d1), true);
    P(g, " &middot; all times in ");
    H(g, p->timezone);
    bs_buf_printf(g->b, " &middot; plan %s</p>\n</header>\n", STATUS[g->s->status]);
    P(g, "<nav><a href=\"#attention\">Needs attention</a><a href=\"#utilisation\">Utilisation</a>"
         "<a href=\"#rooms\">Rooms</a><a href=\"#instructors\">Instructors</a>"
         "<a href=\"#cohorts\">Cohorts</a><a href=\"#selfpaced\">Self-paced work</a></nav>\n"
         "<main>\n");
}

static void summary(page *g)
{
    size_t placed = 0, unplaced = 0, skipped = 0;
    for (size_t k = 0; k < g->s->count; k++) {
        const bs_assignment *a = &g->s->items[k];
        if (a->placed)
            placed++;
        else if (g->skipped[k] || bs__module_of(g->p, a->cohort, a->module)->optional)
            skipped++;
        else
            unplaced++;
    }
    size_t warnings = g->r ? g->r->n_warnings : 0;
    P(g, "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">\n");
    bs_buf_printf(g->b,
                  "<div class=\"card ok\"><b>%zu of %zu</b>live sessions placed</div>\n"
                  "<div class=\"card %s\"><b>%zu</b>sessions need attention</div>\n"
                  "<div class=\"card\"><b>%zu</b>optional sessions skipped</div>\n"
                  "<div class=\"card %s\"><b>%zu</b>notes from the planner</div>\n"
                  "<div class=\"card\"><b>%zu &middot; %zu &middot; %zu</b>cohorts &middot; "
                  "instructors &middot; rooms</div>\n",
                  placed, g->s->count, unplaced ? "bad" : "ok", unplaced, skipped,
                  warnings ? "warn" : "", warnings, g->p->n_cohorts, g->p->n_instructors,
                  g->p->n_rooms);
    P(g, "</div>\n<details><summary>Plan quality: penalty points (lower is better)</summary>"
         "<table><tr><th>Term</th><th>Points</th></tr>\n");
    for (size_t t = 0; t < BS_N_OBJECTIVE_TERMS; t++) {
        bs_buf_printf(g->b, "<tr><td>%s</td><td>", bs_objective_term_name(t));
        bs_buf_number(g->b, bs_objective_term(&g->s->objective, t));
        P(g, "</td></tr>\n");
    }
    P(g, "<tr><th>total</th><th>");
    bs_buf_number(g->b, g->s->objective.total);
    P(g, "</th></tr></table></details></section>\n");
}

static void attention(page *g)
{
    const bs_problem *p = g->p;
    P(g, "<section id=\"attention\"><h2>Sessions that need attention</h2>\n");
    size_t n = 0;
    for (size_t k = 0; k < g->s->count; k++) {
        const bs_assignment *a = &g->s->items[k];
        const bs_module *m = bs__module_of(p, a->cohort, a->module);
        if (a->placed || g->skipped[k] || m->optional)
            continue;
        if (n++ == 0)
            P(g, "<p>These required live sessions could not be placed without breaking a "
                 "rule. Each line says why and what stands in the way.</p>\n"
                 "<table><tr><th>Cohort</th><th>Session</th><th>Why</th>"
                 "<th>What blocks it</th></tr>\n");
        const bs_cohort *c = &p->cohorts[a->cohort];
        const bs_conflict *cf = g->conflict[k];
        P(g, "<tr><td>");
        label(g, c->name, c->id);
        P(g, "</td><td>");
        module_label(g, m);
        P(g, "</td><td><span class=\"reason\">");
        H(g, reason_words(cf ? cf->reason : BS_REASON_NONE));
        P(g, "</span>");
        if (cf != NULL) {
            bs_buf_printf(g->b, " <code>%s</code><br>", bs_reason_name(cf->reason));
            H(g, cf->message);
        } else {
            P(g, "<br><span class=\"muted\">Give the conflict report (--conflicts) to see "
                 "why.</span>");
        }
        P(g, "</td><td>");
        if (cf != NULL && cf->n_blocking > 0) {
            P(g, "<ul>");
            for (size_t q = 0; q < cf->n_blocking; q++) {
                P(g, "<li>");
                H(g, cf->blocking[q]);
                P(g, "</li>");
            }
            P(g, "</ul>");
        } else {
            P(g, "<span class=\"muted\">&mdash;</span>");
        }
        P(g, "</td></tr>\n");
    }
    if (n == 0)
        P(g, "<p class=\"good\">Every required live session is placed.</p>\n");
    else
        P(g, "</table>\n");

    size_t ns = 0;
    for (size_t k = 0; k < g->s->count; k++) {
        const bs_assignment *a = &g->s->items[k];
        if (a->placed || !(g->skipped[k] || bs__module_of(p, a->cohort, a->module)->optional))
            continue;
        if (ns++ == 0)
            P(g, "<h3>Optional sessions left out</h3><ul>\n");
        P(g, "<li>");
        module_label(g, bs__module_of(p, a->cohort, a->module));
        P(g, " for ");
        label(g, p->cohorts[a->cohort].name, p->cohorts[a->cohort].id);
        P(g, "</li>\n");
    }
    if (ns > 0)
        P(g, "</ul>\n");
    if (g->r != NULL && g->r->n_warnings > 0) {
        P(g, "<h3>Notes from the planner</h3><ul>\n");
        for (size_t k = 0; k < g->r->n_warnings; k++) {
            P(g, "<li><code>");
            H(g, g->r->warnings[k].code);
            P(g, "</code> ");
            H(g, g->r->warnings[k].message);
            P(g, "</li>\n");
        }
        P(g, "</ul>\n");
    } else if (g->r == NULL) {
        P(g, "<p class=\"muted\">No conflict report was given: reasons and planner notes are "
             "not shown.</p>\n");
    }
    P(g, "</section>\n");
}

/* One utilisation row: label, bar, "12 h of 40 h (30 %)". */
static void util_row(page *g, const char *name, const char *id, long used, long open)
{
    double pct = open > 0 ? 100.0 * (double)used / (double)open : (used > 0 ? 100.0 : 0.0);
    P(g, "<div>");
    label(g, name, id);
    bs_buf_printf(g->b,
                  "</div><div class=\"bar\"><span class=\"%s\" style=\"width:%.1f%%\">"
                  "</span></div><div>",
                  pct > 100.0   ? "full"
                  : pct >= 90.0 ? "high"
                                : "",
                  pct > 100.0 ? 100.0 : pct);
    minutes_text(g, used);
    P(g, " of ");
    minutes_text(g, open);
    bs_buf_printf(g->b, " (%.0f&nbsp;%%)</div>\n", pct);
}

static void utilisation(page *g)
{
    const bs_problem *p = g->p;
    bs_time h0 = p->days[p->horizon_first_day].begin, h1 = 0;
    int64_t last = day_number(&p->days[p->horizon_last_day]);
    if (!bs_tz_local_to_utc(p->tz, last + 1, 0, &h1))
        h1 = p->days[p->horizon_last_day].begin + 1440;
    P(g, "<section id=\"utilisation\"><h2>Utilisation</h2>\n<p class=\"muted\">Booked "
         "teaching time against open time in the planning period. Rooms are open on working "
         "days during the calendar's working hours; instructors during their available "
         "hours.</p>\n<h3>Rooms</h3><div class=\"util\">\n");
    /* Open minutes of a room: the workday windows of the horizon. */
    long room_open = 0;
    for (int d = p->horizon_first_day; d <= p->horizon_last_day; d++) {
        if (!p->days[d].is_workday)
            continue;
        bs_time a, b;
        int64_t dn = day_number(&p->days[d]);
        if (bs_tz_local_to_utc(p->tz, dn, p->day_start_minute, &a) &&
            bs_tz_local_to_utc(p->tz, dn, p->day_end_minute, &b) && b > a)
            room_open += (long)(b - a);
    }
    long *used_room = bs_calloc(p->n_rooms + 1, sizeof *used_room);
    long *used_ins = bs_calloc(p->n_instructors + 1, sizeof *used_ins);
    if (used_room == NULL || used_ins == NULL) {
        g->b->failed = true;
        free(used_room);
        free(used_ins);
        return;
    }
    for (size_t k = 0; k < g->s->count; k++) {
        const bs_assignment *a = &g->s->items[k];
        if (!a->placed)
            continue;
        if (a->room >= 0)
            used_room[a->room] += (long)(a->end - a->start);
        for (size_t q = 0; q < a->instructors.count; q++)
            used_ins[a->instructors.items[q]] += (long)(a->end - a->start);
    }
    for (size_t i = 0; i < p->n_rooms; i++)
        util_row(g, p->rooms[i].name, p->rooms[i].id, used_room[i], room_open);
    if (p->n_rooms == 0)
        P(g, "<div class=\"muted\">No rooms in the input.</div><div></div><div></div>\n");
    P(g, "</div>\n<h3>Instructors</h3><div class=\"util\">\n");
    for (size_t i = 0; i < p->n_instructors; i++) {
        /* The same open time as the planner's INSTRUCTOR_OVERBOOKED note. */
        const bs_instructor *in = &p->instructors[i];
        long open = 0;
        for (size_t k = 0; k < in->available.count; k++) {
            bs_time f = in->available.items[k].from, t = in->available.items[k].to;
            if (f < h0)
                f = h0;
            if (t > h1)
                t = h1;
            if (t > f)
                open += (long)(t - f);
        }
        util_row(g, in->name, in->id, used_ins[i], open);
    }
    if (p->n_instructors == 0)
        P(g, "<div class=\"muted\">No instructors in the input.</div><div></div><div></div>\n");
    P(g, "</div></section>\n");
    free(used_room);
    free(used_ins);
}

/* Week column of an instant (its date in the calendar's zone). */
static size_t week_of(page *g, bs_time t)
{
    bs__wall w;
    bs__wall_of(g->p->tz, t, &w);
    int64_t k = (w.days - g->week0) / 7;
    if (w.days < g->week0)
        k = 0;
    return (size_t)k < g->n_weeks ? (size_t)k : g->n_weeks - 1;
}

static void week_head(page *g, const char *what)
{
    P(g, "<div class=\"scroll\"><table class=\"tl\"><thead><tr><th class=\"who\">");
    P(g, what);
    P(g, "</th>");
    for (size_t w = 0; w < g->n_weeks; w++) {
        int64_t mon = g->week0 + 7 * (int64_t)w;
        bs_buf_printf(g->b, "<th>Week %d<br><span class=\"muted\">",
                      bs_iso_week_from_days(mon) % 100);
        date_of_day(g, mon, false);
        P(g, " \xE2\x80\x93 ");
        date_of_day(g, mon + 6, false);
        P(g, "</span></th>");
    }
    P(g, "</tr></thead><tbody>\n");
}

typedef enum tl_kind { TL_ROOM, TL_INSTRUCTOR, TL_COHORT } tl_kind;

/* One session in a timeline cell: time, then what the row does not say. */
static void chip(page *g, tl_kind kind, const bs_assignment *a)
{
    const bs_problem *p = g->p;
    const bs_cohort *c = &p->cohorts[a->cohort];
    bs_buf_printf(g->b, "<div class=\"ev c%d\"><b>", a->cohort % 10);
    span(g, a->start, a->end);
    P(g, "</b><br>");
    const bs_module *m = bs__module_of(p, a->cohort, a->module);
    H(g, m->title && m->title[0] ? m->title : m->id);
    if (kind != TL_COHORT) {
        P(g, " &middot; ");
        H(g, c->name && c->name[0] ? c->name : c->id);
    }
    if (kind != TL_ROOM) {
        P(g, " &middot; ");
        if (a->room >= 0)
            H(g, p->rooms[a->room].name && p->rooms[a->room].name[0] ? p->rooms[a->room].name
                                                                     : p->rooms[a->room].id);
        else
            P(g, m->in_person ? "in person" : "online");
    }
    if (kind != TL_INSTRUCTOR) {
        for (size_t q = 0; q < a->instructors.count; q++) {
            const bs_instructor *in = &p->instructors[a->instructors.items[q]];
            P(g, q ? ", " : " &middot; ");
            H(g, in->name && in->name[0] ? in->name : in->id);
        }
    }
    P(g, "</div>");
}

static void due_chip(page *g, const bs_selfpaced_due *d)
{
    const bs_module *m = bs__module_of(g->p, d->cohort, d->module);
    P(g, "<div class=\"due\"><b>Due</b> ");
    when(g, d->due, false);
    P(g, "<br>");
    H(g, m->title && m->title[0] ? m->title : m->id);
    P(g, " (self-paced)</div>");
}

static int due_cmp(const void *a, const void *b)
{
    const bs_selfpaced_due *x = *(const bs_selfpaced_due *const *)a;
    const bs_selfpaced_due *y = *(const bs_selfpaced_due *const *)b;
    if (x->due != y->due)
        return x->due < y->due ? -1 : 1;
    return (x->module > y->module) - (x->module < y->module);
}

static void timeline(page *g, tl_kind kind)
{
    const bs_problem *p = g->p;
    static const char *const ID[] = {"rooms", "instructors", "cohorts"};
    static const char *const TITLE[] = {"Week by week: rooms", "Week by week: instructors",
                                        "Week by week: cohorts"};
    static const char *const WHO[] = {"Room", "Instructor", "Cohort"};
    static const bs_ics_kind LIST[] = {BS_ICS_ROOM, BS_ICS_INSTRUCTOR, BS_ICS_COHORT};
    size_t n = kind == TL_ROOM         ? p->n_rooms
               : kind == TL_INSTRUCTOR ? p->n_instructors
                                       : p->n_cohorts;
    bs_buf_printf(g->b, "<section id=\"%s\"><h2>%s</h2>\n", ID[kind], TITLE[kind]);
    if (kind == TL_COHORT)
        P(g, "<p class=\"muted\">Live sessions of each cohort and, dashed, the dates by which "
             "its self-paced work is due.</p>\n");
    if (n == 0) {
        bs_buf_printf(g->b, "<p class=\"muted\">None in the input.</p></section>\n");
        return;
    }
    bs__lists l = {NULL, NULL};
    const bs_selfpaced_due **dues = bs_calloc(g->n_due + 1, sizeof *dues);
    if (dues == NULL ||
        bs__entity_sessions(p, g->s, g->order, g->n_order, LIST[kind], &l) != BS_OK) {
        free(dues);
        g->b->failed = true;
        return;
    }
    week_head(g, WHO[kind]);
    size_t due_at = 0;
    for (size_t e = 0; e < n; e++) {
        const char *name = kind == TL_ROOM         ? p->rooms[e].name
                           : kind == TL_INSTRUCTOR ? p->instructors[e].name
                                                   : p->cohorts[e].name;
        const char *id = kind == TL_ROOM         ? p->rooms[e].id
                         : kind == TL_INSTRUCTOR ? p->instructors[e].id
                                                 : p->cohorts[e].id;
        P(g, "<tr><th class=\"who\">");
        label(g, name, id);
        P(g, "</th>");
        /* this cohort's due dates, by time (due items are in cohort order) */
        size_t nd = 0;
        if (kind == TL_COHORT) {
            while (due_at < g->n_due && g->due[due_at].cohort < (int)e)
                due_at++;
            for (size_t k = due_at; k < g->n_due && g->due[k].cohort == (int)e; k++)
                if (g->due[k].has_due)
                    dues[nd++] = &g->due[k];
            qsort(dues, nd, sizeof *dues, due_cmp);
        }
        size_t si = l.first[e], se = l.first[e + 1], di = 0;
        for (size_t w = 0; w < g->n_weeks; w++) {
            P(g, "<td>");
            for (;;) {
                bool s_here = si < se && week_of(g, g->s->items[g->order[l.items[si]]].start) == w;
                bool d_here = di < nd && week_of(g, dues[di]->due) == w;
                if (!s_here && !d_here)
                    break;
                const bs_assignment *a = s_here ? &g->s->items[g->order[l.items[si]]] : NULL;
                /* due markers go before a session starting at the same time */
                if (d_here && (!s_here || dues[di]->due <= a->start))
                    due_chip(g, dues[di++]);
                else {
                    chip(g, kind, a);
                    si++;
                }
            }
            P(g, "</td>");
        }
        P(g, "</tr>\n");
    }
    P(g, "</tbody></table></div></section>\n");
    free(dues);
    bs__lists_free(&l);
}

static void self_paced(page *g)
{
    const bs_problem *p = g->p;
    P(g, "<section id=\"selfpaced\"><h2>Self-paced work and due dates</h2>\n");
    if (g->n_due == 0) {
        P(g, "<p class=\"muted\">The programs have no self-paced modules.</p></section>\n");
        return;
    }
    P(g, "<p class=\"muted\">Each self-paced module opens when the live session before it "
         "ends (or when the cohort starts) and is due when the first live session that "
         "builds on it begins.</p>\n<table><tr><th>Cohort</th><th>Self-paced module</th>"
         "<th>Work</th><th>Available from</th><th>Due</th><th>Before</th></tr>\n");
    for (size_t k = 0; k < g->n_due; k++) {
        const bs_selfpaced_due *d = &g->due[k];
        const bs_cohort *c = &p->cohorts[d->cohort];
        const bs_module *m = bs__module_of(p, d->cohort, d->module);
        P(g, "<tr><td>");
        label(g, c->name, c->id);
        P(g, "</td><td>");
        module_label(g, m);
        P(g, "</td><td>");
        minutes_text(g, m->effort_minutes);
        P(g, "</td><td>");
        when(g, d->available_from, true);
        P(g, "</td><td>");
        if (d->has_due) {
            P(g, "<b>");
            when(g, d->due, true);
            P(g, "</b></td><td>");
            module_label(g, bs__module_of(p, d->cohort, d->due_module));
        } else {
            P(g, "<span class=\"muted\">no placed session needs it</span></td><td>");
        }
        P(g, "</td></tr>\n");
    }
    P(g, "</table></section>\n");
}

bs_rc bs_export_html(const bs_problem *p, const bs_solution *s, const bs_report *r,
                     const bs_export_opts *o, bs_buf *out)
{
    page g = {.p = p, .s = s, .r = r, .o = o, .b = out};
    bs_rc rc = bs__placed_in_order(p, s, &g.order, &g.n_order);
    if (rc == BS_OK)
        rc = bs__outcomes(s, r, &g.conflict, &g.skipped);
    if (rc == BS_OK)
        rc = bs_export_self_paced(p, s, &g.due, &g.n_due);
    if (rc == BS_OK) {
        /* weeks run Monday to Sunday, from the horizon's first week */
        int64_t first = day_number(&p->days[p->horizon_first_day]);
        int64_t last = day_number(&p->days[p->horizon_last_day]);
        g.week0 = first - p->days[p->horizon_first_day].weekday;
        g.n_weeks = (size_t)((last - g.week0) / 7 + 1);
        P(&g, HEAD);
        header(&g);
        summary(&g);
        attention(&g);
        utilisation(&g);
        timeline(&g, TL_ROOM);
        timeline(&g, TL_INSTRUCTOR);
        timeline(&g, TL_COHORT);
        self_paced(&g);
        P(&g, "</main>\n<footer>Made by blendsched " BS_VERSION " from input sha256 ");
        H(&g, p->input_sha256);
        P(&g, ". This page holds no scripts and loads nothing from the network.</footer>\n"
              "</body>\n</html>\n");
        if (out->failed)
            rc = BS_ENOMEM;
    }
    free(g.order);
    free(g.conflict);
    free(g.skipped);
    free(g.due);
    return rc;
}
