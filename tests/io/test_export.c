/**
 * @file test_export.c
 * @brief Criterion units of the exports: iCalendar TEXT escaping and line
 *        folding, CSV quoting and formula neutralising, HTML escaping,
 *        UIDs, time zones (VTIMEZONE, an ambiguous autumn hour, all-day due
 *        dates), the CSV and HTML writers and the conflict report reader.
 */
#include "io/export.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(export);

/* ==== Helpers ==== */

static char *text_of(void (*fn)(bs_buf *, const char *), const char *s)
{
    bs_buf b;
    bs_buf_init(&b);
    fn(&b, s);
    cr_assert_not(b.failed);
    char *out = bs_strdup(b.data ? b.data : "");
    bs_buf_free(&b);
    return out;
}

static void expect(void (*fn)(bs_buf *, const char *), const char *in, const char *want)
{
    char *got = text_of(fn, in);
    cr_expect_str_eq(got, want, "input \"%s\": got \"%s\", want \"%s\"", in, got, want);
    free(got);
}

/* True when s[0..n) is well-formed UTF-8. */
static bool utf8_ok(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (k == 0 || i + k > n)
            return false;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
        i += k;
    }
    return true;
}

/* Fold `line`, then check every physical line and that unfolding gives
 * the line back. Returns the number of physical lines. */
static size_t fold_and_check(const char *line)
{
    bs_buf b;
    bs_buf_init(&b);
    bs_ics_append_folded(&b, line, strlen(line));
    cr_assert_not(b.failed);
    size_t lines = 0;
    bs_buf un;
    bs_buf_init(&un);
    const char *p = b.data, *end = b.data + b.len;
    while (p < end) {
        const char *crlf = strstr(p, "\r\n");
        cr_assert_not_null(crlf, "every physical line ends in CRLF");
        size_t n = (size_t)(crlf - p);
        cr_expect_leq(n, 75, "physical line %zu has %zu octets", lines, n);
        cr_expect(utf8_ok((const unsigned char *)p, n), "line %zu splits a UTF-8 sequence", lines);
        cr_expect(memchr(p, '\n', n) == NULL && memchr(p, '\r', n) == NULL);
        if (lines > 0) {
            cr_expect_eq(p[0], ' ', "continuation lines start with a space");
            bs_buf_append(&un, p + 1, n - 1);
        } else {
            bs_buf_append(&un, p, n);
        }
        lines++;
        p = crlf + 2;
    }
    cr_expect_str_eq(un.data ? un.data : "", line, "unfolding gives the line back");
    bs_buf_free(&un);
    bs_buf_free(&b);
    return lines;
}

/* ==== iCalendar text and folding ==== */

Test(export, ics_text_escapes_separators_and_line_breaks)
{
    expect(bs_ics_append_text, "plain text", "plain text");
    expect(bs_ics_append_text, "a,b;c\\d", "a\\,b\\;c\\\\d");
    expect(bs_ics_append_text, "one\ntwo\r\nthree\rfour", "one\\ntwo\\nthree\\nfour");
    expect(bs_ics_append_text,
           "tab\tbell\x07"
           "del\x7f",
           "tab\tbell del ");
    expect(bs_ics_append_text, "<b>x</b> \"q\" :", "<b>x</b> \"q\" :");
    expect(bs_ics_append_text, "Zo\xC3\xAB \xE6\x97\xA5 \xF0\x9F\x98\x80",
           "Zo\xC3\xAB \xE6\x97\xA5 \xF0\x9F\x98\x80");
}

Test(export, ics_text_replaces_invalid_utf8)
{
    expect(bs_ics_append_text,
           "a\xFF"
           "b",
           "a\xEF\xBF\xBD"
           "b");
    expect(bs_ics_append_text, "\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"); /* overlong */
    expect(bs_ics_append_text, "\xED\xA0\x80",
           "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");                       /* surrogate */
    expect(bs_ics_append_text, "x\xE2\x82", "x\xEF\xBF\xBD\xEF\xBF\xBD"); /* cut short */
}

Test(export, folds_at_75_octets)
{
    char line[512];
    memset(line, 'a', 75);
    line[75] = '\0';
    cr_expect_eq(fold_and_check(line), 1, "75 octets fit one line");
    line[75] = 'b';
    line[76] = '\0';
    cr_expect_eq(fold_and_check(line), 2, "76 octets need a fold");
    memset(line, 'c', 300);
    line[300] = '\0';
    cr_expect_eq(fold_and_check(line), 5, "75 + 74 + 74 + 74 + 3");
    cr_expect_eq(fold_and_check(""), 1, "an empty line is one line");
}

Test(export, folds_never_inside_a_utf8_sequence)
{
    /* 2-, 3- and 4-octet characters at every alignment against the fold */
    static const char *const CH[] = {"\xC3\xBC", "\xE6\x97\xA5", "\xF0\x9F\x98\x80"};
    for (size_t k = 0; k < 3; k++) {
        for (size_t shift = 0; shift < 4; shift++) {
            char line[1024] = "SUMMARY:";
            for (size_t i = 0; i < shift; i++)
                strcat(line, "x");
            for (size_t i = 0; i < 60; i++)
                strcat(line, CH[k]);
            cr_expect_gt(fold_and_check(line), 1);
        }
    }
}

/* ==== CSV ==== */

Test(export, csv_quotes_per_rfc4180)
{
    expect(bs_csv_append_field, "plain", "plain");
    expect(bs_csv_append_field, "", "");
    expect(bs_csv_append_field, "a,b", "\"a,b\"");
    expect(bs_csv_append_field, "say \"hi\"", "\"say \"\"hi\"\"\"");
    expect(bs_csv_append_field, "two\nlines", "\"two\nlines\"");
    expect(bs_csv_append_field, "cr\rhere", "\"cr\rhere\"");
    expect(bs_csv_append_field, "a;b <x>", "a;b <x>");
    expect(bs_csv_append_field, "bad\xFF", "bad\xEF\xBF\xBD");
}

Test(export, csv_neutralises_formula_prefixes)
{
    expect(bs_csv_append_field, "=1+2", "'=1+2");
    expect(bs_csv_append_field, "+SUM(A1)", "'+SUM(A1)");
    expect(bs_csv_append_field, "-2+3", "'-2+3");
    expect(bs_csv_append_field, "@cmd", "'@cmd");
    expect(bs_csv_append_field, "\tx", "'\tx");
    expect(bs_csv_append_field, "=HYPERLINK(\"http://e\",\"x\")",
           "\"'=HYPERLINK(\"\"http://e\"\",\"\"x\"\")\"");
    expect(bs_csv_append_field, "a=1", "a=1");
    expect(bs_csv_append_field, "'=x", "'=x"); /* already text */
}

/* ==== HTML ==== */

Test(export, html_escapes_markup)
{
    expect(bs_html_append_text, "<script>alert(1)</script>",
           "&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(bs_html_append_text, "a & b \"c\" 'd'", "a &amp; b &quot;c&quot; &#39;d&#39;");
    expect(bs_html_append_text, "&lt;", "&amp;lt;");
    expect(bs_html_append_text, "x\x01y\tz\n", "x y\tz\n");
    expect(bs_html_append_text, "\xFF", "\xEF\xBF\xBD");
}

Test(export, uid_domain_rules)
{
    cr_expect(bs_export_uid_domain_is_valid("blendsched"));
    cr_expect(bs_export_uid_domain_is_valid("training.example.org"));
    cr_expect_not(bs_export_uid_domain_is_valid(""));
    cr_expect_not(bs_export_uid_domain_is_valid(NULL));
    cr_expect_not(bs_export_uid_domain_is_valid("a b"));
    cr_expect_not(bs_export_uid_domain_is_valid("a;b"));
    cr_expect_not(bs_export_uid_domain_is_valid("a,b"));
    cr_expect_not(bs_export_uid_domain_is_valid("a\\b"));
    cr_expect_not(bs_export_uid_domain_is_valid("\xC3\xBC"));
}

/* ==== Writers on a small problem ==== */

/* Calendar in UTC, every day a workday; cohort and instructor in New York
 * (2027-11-07: clocks go back at 02:00 EDT to 01:00 EST). */
static const char INPUT[] =
    "{\"format\": \"blendsched/1\",\n"
    " \"calendar\": {\"start\": \"2027-11-01\", \"end\": \"2027-11-12\", \"timezone\": \"UTC\",\n"
    "   \"slot_minutes\": 30, \"day_start\": \"00:00\", \"day_end\": \"24:00\",\n"
    "   \"workdays\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]},\n"
    " \"rooms\": [{\"id\": \"r1\", \"site\": \"s\", \"capacity\": 10, \"name\": \"<b>x</b>\"}],\n"
    " \"instructors\": [{\"id\": \"bo\", \"timezone\": \"America/New_York\", \"sites\": [\"s\"],\n"
    "   \"name\": \"=cmd\"}],\n"
    " \"programs\": [{\"id\": \"p\", \"model\": \"flipped\", \"ordered\": false, \"modules\": [\n"
    "   {\"id\": \"pre\", \"kind\": \"self_paced\", \"effort_minutes\": 30},\n"
    "   {\"id\": \"a\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60,\n"
    "    \"requires\": [\"pre\"]},\n"
    "   {\"id\": \"b\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60},\n"
    "   {\"id\": \"c\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60},\n"
    "   {\"id\": \"d\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": "
    "60}]}],\n"
    " \"cohorts\": [{\"id\": \"c1\", \"program\": \"p\", \"site\": \"s\", \"start\": "
    "\"2027-11-01\",\n"
    "   \"end\": \"2027-11-12\", \"timezone\": \"America/New_York\", \"learners\": [\"l1\", "
    "\"l2\"],\n"
    "   \"name\": \"Cohort, one; \\\"A\\\"\"}],\n"
    " \"learners\": [{\"id\": \"l1\", \"completed\": [\"p/pre\"]}, {\"id\": \"l2\"}]}\n";

static bs_problem *g_p;
static bs_solution *g_s;
static bs_export_opts g_o;

static bs_time utc(int y, int m, int d, int hh, int mm)
{
    return bs_days_from_civil(y, m, d) * 1440 + hh * 60 + mm;
}

static void place(const char *module, bs_time start)
{
    const bs_program *pr = &g_p->programs[0];
    int m = -1;
    for (size_t i = 0; i < pr->n_modules; i++)
        if (strcmp(pr->modules[i].id, module) == 0)
            m = (int)i;
    int k = bs_solution_find(g_s, 0, m);
    cr_assert_geq(k, 0);
    bs_assignment *a = &g_s->items[k];
    a->placed = true;
    a->start = start;
    a->end = start + 60;
    a->room = 0;
    a->instructors.items = malloc(sizeof(int));
    a->instructors.items[0] = 0;
    a->instructors.count = 1;
}

static void setup(void)
{
    bs_messages msgs = {0};
    bs_err err = {BS_OK, ""};
    bs_rc rc = bs_input_load_buffer("t.json", INPUT, strlen(INPUT), &g_p, &msgs, &err);
    for (size_t i = 0; i < msgs.count; i++)
        cr_log_error("%s", msgs.items[i]);
    bs_messages_free(&msgs);
    cr_assert_eq(rc, BS_OK, "%s %s", bs_strerror(rc), err.msg);
    cr_assert_eq(bs_solution_create(g_p, &g_s), BS_OK);
    place("a", utc(2027, 11, 3, 4, 0));  /* 00:00 EDT: midnight in New York */
    place("b", utc(2027, 11, 7, 5, 30)); /* 01:30 EDT, the first 01:30 */
    place("c", utc(2027, 11, 7, 6, 30)); /* 01:30 EST, the repeated 01:30 */
    bs_export_opts_init(&g_o);
    g_o.dtstamp = 1800000000; /* 2027-01-15T08:00:00Z */
}

static void teardown(void)
{
    bs_solution_destroy(&g_s);
    bs_problem_destroy(&g_p);
}

static char *ics(bs_ics_kind kind, size_t index)
{
    bs_buf b;
    bs_buf_init(&b);
    bs_err err = {BS_OK, ""};
    bs_rc rc = bs_export_ics(g_p, g_s, kind, index, &g_o, &b, &err);
    cr_assert_eq(rc, BS_OK, "%s %s", bs_strerror(rc), err.msg);
    char *out = bs_strdup(b.data);
    bs_buf_free(&b);
    return out;
}

#define EXPECT_HAS(text, needle)                                                                   \
    cr_expect_not_null(strstr(text, needle), "missing \"%s\" in:\n%s", needle, text)
#define EXPECT_LACKS(text, needle)                                                                 \
    cr_expect_null(strstr(text, needle), "unexpected \"%s\" in:\n%s", needle, text)

Test(export, ics_times_in_the_entity_zone_with_its_vtimezone, .init = setup, .fini = teardown)
{
    char *t = ics(BS_ICS_INSTRUCTOR, 0);
    EXPECT_HAS(t, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:");
    EXPECT_HAS(t, "X-WR-CALNAME:Instructor =cmd (bo)\r\n");
    /* the observance in force at the start (since March), then November */
    EXPECT_HAS(t, "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"
                  "BEGIN:DAYLIGHT\r\nDTSTART:20270314T020000\r\nTZOFFSETFROM:-0500\r\n"
                  "TZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\n"
                  "BEGIN:STANDARD\r\nDTSTART:20271107T020000\r\nTZOFFSETFROM:-0400\r\n"
                  "TZOFFSETTO:-0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n");
    EXPECT_HAS(t, "UID:c1/a@blendsched\r\nDTSTAMP:20270115T080000Z\r\n"
                  "DTSTART;TZID=America/New_York:20271103T000000\r\n"
                  "DTEND;TZID=America/New_York:20271103T010000\r\n");
    /* the repeated 01:30 would read as the first one under TZID: UTC */
    EXPECT_HAS(t, "UID:c1/b@blendsched\r\nDTSTAMP:20270115T080000Z\r\n"
                  "DTSTART;TZID=America/New_York:20271107T013000\r\n"
                  "DTEND:20271107T063000Z\r\n");
    EXPECT_HAS(t, "UID:c1/c@blendsched\r\nDTSTAMP:20270115T080000Z\r\n"
                  "DTSTART:20271107T063000Z\r\n"
                  "DTEND;TZID=America/New_York:20271107T023000\r\n");
    EXPECT_LACKS(t, "/due@");
    EXPECT_HAS(t, "END:VCALENDAR\r\n");
    free(t);
}

Test(export, ics_utc_zone_has_no_vtimezone, .init = setup, .fini = teardown)
{
    char *t = ics(BS_ICS_ROOM, 0);
    EXPECT_LACKS(t, "VTIMEZONE");
    EXPECT_LACKS(t, "TZID=");
    EXPECT_HAS(t, "DTSTART:20271103T040000Z\r\n");
    EXPECT_HAS(t, "LOCATION:<b>x</b> (r1)\\, site s\r\n");
    free(t);
}

Test(export, ics_due_dates_all_day_and_per_learner, .init = setup, .fini = teardown)
{
    char *t = ics(BS_ICS_COHORT, 0);
    EXPECT_HAS(t, "X-WR-CALNAME:Cohort Cohort\\, one\\; \"A\" (c1)\r\n");
    /* due at 00:00 on 3 Nov (New York): the work is due by the day before */
    EXPECT_HAS(t, "UID:c1/pre/due@blendsched\r\nDTSTAMP:20270115T080000Z\r\n"
                  "DTSTART;VALUE=DATE:20271102\r\nDTEND;VALUE=DATE:20271103\r\n");
    EXPECT_HAS(t, "TRANSP:TRANSPARENT\r\n");
    free(t);
    t = ics(BS_ICS_LEARNER, 0); /* l1 completed pre */
    EXPECT_HAS(t, "UID:c1/a@blendsched");
    EXPECT_LACKS(t, "/due@");
    EXPECT_HAS(t, "TZID:America/New_York"); /* the cohort's zone */
    free(t);
    t = ics(BS_ICS_LEARNER, 1);
    EXPECT_HAS(t, "UID:c1/pre/due@blendsched");
    free(t);
}

Test(export, ics_uid_domain_and_bad_arguments, .init = setup, .fini = teardown)
{
    g_o.uid_domain = "example.org";
    char *t = ics(BS_ICS_COHORT, 0);
    EXPECT_HAS(t, "UID:c1/a@example.org\r\n");
    EXPECT_LACKS(t, "@blendsched");
    free(t);
    bs_buf b;
    bs_buf_init(&b);
    bs_err err = {BS_OK, ""};
    cr_expect_eq(bs_export_ics(g_p, g_s, BS_ICS_COHORT, 1, &g_o, &b, &err), BS_EINVAL);
    g_o.uid_domain = "bad domain";
    cr_expect_eq(bs_export_ics(g_p, g_s, BS_ICS_COHORT, 0, &g_o, &b, &err), BS_EINVAL);
    bs_buf_free(&b);
    char name[128];
    bs_export_ics_filename(g_p, BS_ICS_LEARNER, 1, name, sizeof name);
    cr_expect_str_eq(name, "learner-l2.ics");
}

static bs_report *one_conflict(void)
{
    bs_report *r = bs_calloc(1, sizeof *r);
    r->unplaced = bs_calloc(1, sizeof *r->unplaced);
    r->n_unplaced = 1;
    r->unplaced[0].cohort = 0;
    r->unplaced[0].module = 4; /* d */
    r->unplaced[0].reason = BS_REASON_NO_SUITABLE_ROOM;
    r->unplaced[0].message = bs_strdup("no <room>, sorry");
    return r;
}

Test(export, csv_rows_for_placed_and_unplaced, .init = setup, .fini = teardown)
{
    bs_report *r = one_conflict();
    bs_buf b;
    bs_buf_init(&b);
    cr_assert_eq(bs_export_csv(g_p, g_s, r, &b), BS_OK);
    const char *t = b.data;
    cr_expect_eq(strncmp(t, "status,cohort,cohort_name,program,module,title,mode,date,", 57), 0);
    EXPECT_HAS(t, "\r\nplaced,c1,\"Cohort, one; \"\"A\"\"\",p,a,,in_person,2027-11-03,"
                  "2027-11-03 04:00,2027-11-03 05:00,UTC,2027-11-03T04:00:00Z,"
                  "2027-11-03T05:00:00Z,60,s,r1,<b>x</b>,bo,'=cmd,l1; l2,2,,,\r\n");
    EXPECT_HAS(t, "\r\nunplaced,c1,\"Cohort, one; \"\"A\"\"\",p,d,,in_person,,,,UTC,,,60,s,,,,,"
                  "l1; l2,2,,NO_SUITABLE_ROOM,\"no <room>, sorry\"\r\n");
    /* one header and four rows; placed rows in time order */
    size_t rows = 0;
    for (const char *c = t; (c = strstr(c, "\r\n")) != NULL; c += 2)
        rows++;
    cr_expect_eq(rows, 5);
    cr_expect_lt(strstr(t, ",p,a,"), strstr(t, ",p,b,"));
    cr_expect_lt(strstr(t, ",p,b,"), strstr(t, ",p,c,"));
    bs_buf_free(&b);
    bs_report_destroy(&r);
}

Test(export, html_escapes_every_input_string, .init = setup, .fini = teardown)
{
    bs_report *r = one_conflict();
    bs_buf b;
    bs_buf_init(&b);
    cr_assert_eq(bs_export_html(g_p, g_s, r, &g_o, &b), BS_OK);
    const char *t = b.data;
    cr_expect_eq(strncmp(t, "<!DOCTYPE html>", 15), 0);
    EXPECT_HAS(t, "Content-Security-Policy");
    EXPECT_HAS(t, "&lt;b&gt;x&lt;/b&gt;");
    EXPECT_LACKS(t, "<b>x</b>");
    EXPECT_HAS(t, "no &lt;room&gt;, sorry");
    EXPECT_LACKS(t, "<room>");
    EXPECT_HAS(t, "Cohort, one; &quot;A&quot;");
    EXPECT_HAS(t, "NO_SUITABLE_ROOM");
    EXPECT_LACKS(t, "<script");
    EXPECT_LACKS(t, "http:");
    EXPECT_LACKS(t, "https:");
    EXPECT_LACKS(t, " src=");
    EXPECT_HAS(t, "</html>\n");
    bs_buf_free(&b);
    bs_report_destroy(&r);
}

Test(export, self_paced_due_matches_the_calendar_rule, .init = setup, .fini = teardown)
{
    bs_selfpaced_due *d = NULL;
    size_t n = 0;
    cr_assert_eq(bs_export_self_paced(g_p, g_s, &d, &n), BS_OK);
    cr_assert_eq(n, 1);
    cr_expect(d[0].has_due);
    cr_expect_eq(d[0].due, utc(2027, 11, 3, 4, 0));
    cr_expect_eq(d[0].due_module, 1);
    cr_expect_eq(d[0].available_from, g_p->days[g_p->cohorts[0].start_day].begin);
    free(d);
}

/* ==== Reading a conflict report ==== */

static bs_rc read_report(const char *json, bs_report **r, bs_messages *m)
{
    bs_err err = {BS_OK, ""};
    return bs_export_read_report_buffer("c.json", json, strlen(json), g_p, r, m, &err);
}

static bool has_msg(const bs_messages *m, const char *needle)
{
    for (size_t i = 0; i < m->count; i++)
        if (strstr(m->items[i], needle) != NULL)
            return true;
    return false;
}

Test(export, reads_a_conflict_report, .init = setup, .fini = teardown)
{
    bs_report *r = NULL;
    bs_messages m = {0};
    bs_rc rc = read_report("{\"format\": \"blendsched-conflicts/1\", \"unplaced\": [{\"cohort\": "
                           "\"c1\", \"module\": \"d\", \"reason\": \"RESOURCES_BUSY\", "
                           "\"message\": \"m\", \"blocking\": [\"room r1: c1/a\"]}], "
                           "\"skipped\": [{\"cohort\": \"c1\", \"module\": \"c\"}], "
                           "\"warnings\": [{\"code\": \"W\", \"message\": \"w\"}]}",
                           &r, &m);
    cr_assert_eq(rc, BS_OK, "%s", m.count ? m.items[0] : "");
    cr_expect_eq(r->n_unplaced, 1);
    cr_expect_eq(r->unplaced[0].module, 4);
    cr_expect_eq(r->unplaced[0].reason, BS_REASON_RESOURCES_BUSY);
    cr_expect_str_eq(r->unplaced[0].blocking[0], "room r1: c1/a");
    cr_expect_eq(r->n_skipped, 1);
    cr_expect_eq(r->skipped[0].module, 3);
    cr_expect_str_eq(r->warnings[0].code, "W");
    bs_report_destroy(&r);
    bs_messages_free(&m);
}

Test(export, report_errors_name_the_json_path, .init = setup, .fini = teardown)
{
    bs_report *r = NULL;
    bs_messages m = {0};
    cr_expect_eq(read_report("{\"format\": \"blendsched-conflicts/1\", \"unplaced\": [{\"cohort\": "
                             "\"c1\", \"module\": \"d\", \"reason\": \"BUSY\", \"message\": "
                             "\"m\"}, {\"cohort\": \"zz\", \"module\": \"d\", \"reason\": "
                             "\"PIN_BROKEN\", \"message\": \"m\"}]}",
                             &r, &m),
                 BS_EINVAL);
    cr_expect_null(r);
    cr_expect(has_msg(&m, "c.json: $.unplaced[0].reason: unknown reason \"BUSY\""));
    cr_expect(has_msg(&m, "c.json: $.unplaced[1].cohort: unknown cohort \"zz\""));
    bs_messages_free(&m);
    cr_expect_eq(read_report("{\"format\": \"blendsched-conflicts/1\", \"skipped\": "
                             "[{\"cohort\": \"c1\", \"module\": \"pre\"}]}",
                             &r, &m),
                 BS_EINVAL);
    cr_expect(has_msg(&m, "$.skipped[0].module"));
    bs_messages_free(&m);
    cr_expect_eq(read_report("{\"format\": \"blendsched-calendar/1\"}", &r, &m), BS_EINVAL);
    cr_expect(has_msg(&m, "$.format"));
    bs_messages_free(&m);
    cr_expect_eq(read_report("{\"format\": \"blendsched-conflicts/1\", \"format\": \"x\"}", &r, &m),
                 BS_EINVAL);
    bs_messages_free(&m);
    cr_expect_eq(read_report("{\"format\": ", &r, &m), BS_EPARSE);
    cr_expect_gt(m.count, 0);
    bs_messages_free(&m);
}
