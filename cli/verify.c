/**
 * @file verify.c
 * @brief `blendsched verify INPUT CALENDAR [--json]`: checks a calendar
 *        against every hard rule of its input, recomputes its objective and
 *        compares it with the one the calendar records.
 */
#include "model/verify.h"

#include "cli/commands.h"
#include "io/calendar_read.h"
#include "io/input.h"
#include "model/baseline.h"
#include "model/evaluate.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "Usage: blendsched verify INPUT CALENDAR [--json] [--max-input-mb N]\n"
    "                         [--baseline CAL [--now DATETIME] [--max-changes K]]\n"
    "\n"
    "Checks CALENDAR (a blendsched-calendar/1 file) against the hard rules 1-7\n"
    "of INPUT (FORMAT.md) and against INPUT's pins, with a checker that shares\n"
    "no code with the solver; then recomputes every objective term from the\n"
    "sessions and compares them with the calendar's `objective` block.\n"
    "\n"
    "Output (stdout): one line per violation,\n"
    "  rule N: MESSAGE [cohort/module, ...]\n"
    "  pin: MESSAGE [cohort/module]         (a placed session breaks its pin)\n"
    "  objective: MESSAGE                   (recorded and recomputed differ)\n"
    "  change: MESSAGE [cohort/module]      (change marks or counts, --now,\n"
    "                                        --max-changes)\n"
    "then the objective term by term (recomputed, recorded).\n"
    "\n"
    "Options:\n"
    "  --json             print a JSON report instead (blendsched-verify/1:\n"
    "                     valid, violations [{rule, message, sessions}],\n"
    "                     objective {recomputed, recorded, matches})\n"
    "  --baseline CAL     recompute every session's change mark against the\n"
    "                     baseline CAL (as solve --baseline) and the moved and\n"
    "                     reassigned terms from them\n"
    "  --now DATETIME     with --baseline: CAL's sessions before DATETIME must be\n"
    "                     kept exactly (they are pins) and nothing else may\n"
    "                     start before it\n"
    "  --max-changes K    with --baseline: at most K moved plus reassigned\n"
    "  --max-input-mb N   refuse an INPUT or CALENDAR larger than N MB (default\n"
    "                     512)\n"
    "  -h, --help         this text\n"
    "\n"
    "Without --baseline, the calendar's own change marks count for the objective\n"
    "and its `changes` counts are checked against them.\n"
    "Terms are compared to within 0.005 (a writer may round money to cents).\n"
    "\n"
    "Exit status:\n"
    "  0  the calendar keeps every rule and its objective matches\n"
    "  1  violations found (or the recorded objective differs)\n"
    "  2  invalid input, calendar or usage\n"
    "  3  internal failure\n";

/* Terms written by another program may be rounded (money to cents). */
static bool close_enough(double a, double b)
{
    return fabs(a - b) <= 0.005 + 1e-9 * fabs(b);
}

/* Integers print as integers, other values with up to 6 decimals. */
static void format_number(double v, char *buf, size_t size)
{
    if (fabs(v) < 1e15 && v == floor(v)) {
        snprintf(buf, size, "%lld", (long long)v);
        return;
    }
    snprintf(buf, size, "%.6f", v);
    char *e = buf + strlen(buf);
    while (e > buf && e[-1] == '0')
        *--e = '\0';
    if (e > buf && e[-1] == '.')
        e[-1] = '\0';
}

static void print_messages(const bs_messages *m)
{
    for (size_t i = 0; i < m->count; i++)
        bs_cli_error("%s", m->items[i]);
    if (m->dropped > 0)
        bs_cli_error("... and %zu more error(s)", m->dropped);
}

static const char *session_cohort(const bs_problem *p, const bs_solution *s, int i)
{
    return p->cohorts[s->items[i].cohort].id;
}

static const char *session_module(const bs_problem *p, const bs_solution *s, int i)
{
    const bs_assignment *a = &s->items[i];
    return p->programs[p->cohorts[a->cohort].program].modules[a->module].id;
}

/* Compares the recorded objective with the recomputed one; every
 * difference becomes an `objective` violation. Returns whether they match
 * (false also when nothing was recorded: then nothing is added). */
static bs_rc compare_objective(const bs_solution *s, const bs_calendar_info *info,
                               const bs_objective *computed, bs_violations *v, bool *matches)
{
    *matches = info->has_objective;
    if (!info->has_objective)
        return BS_OK;
    char rec[40], com[40];
    for (size_t t = 0; t < BS_N_OBJECTIVE_TERMS; t++) {
        double want = bs_objective_term(computed, t);
        double got = info->has_term[t] ? bs_objective_term(&s->objective, t) : 0.0;
        if (close_enough(got, want))
            continue;
        *matches = false;
        format_number(want, com, sizeof com);
        if (info->has_term[t]) {
            format_number(got, rec, sizeof rec);
            BS_TRY(bs_violations_add(v, BS_RULE_OBJECTIVE, NULL, 0,
                                     "recorded %s is %s, recomputed %s", bs_objective_term_name(t),
                                     rec, com));
        } else {
            BS_TRY(bs_violations_add(v, BS_RULE_OBJECTIVE, NULL, 0,
                                     "%s is not recorded, recomputed %s", bs_objective_term_name(t),
                                     com));
        }
    }
    format_number(computed->total, com, sizeof com);
    if (!info->has_total) {
        *matches = false;
        BS_TRY(bs_violations_add(v, BS_RULE_OBJECTIVE, NULL, 0,
                                 "total is not recorded, recomputed %s", com));
    } else if (!close_enough(s->objective.total, computed->total)) {
        *matches = false;
        format_number(s->objective.total, rec, sizeof rec);
        BS_TRY(bs_violations_add(v, BS_RULE_OBJECTIVE, NULL, 0,
                                 "recorded total is %s, recomputed %s", rec, com));
    }
    return BS_OK;
}

/* The recorded `changes` counts against the marks (recomputed ones with
 * --baseline); a calendar with marks must record them. */
static bs_rc check_change_counts(const bs_solution *s, const bs_calendar_info *info,
                                 bs_violations *v)
{
    if (!s->has_baseline)
        return BS_OK;
    if (!info->has_changes)
        return bs_violations_add(v, BS_RULE_CHANGE, NULL, 0,
                                 "the calendar has change marks but no \"changes\" counts");
    bs_change_counts n = bs_solution_count_changes(s);
    size_t want[3] = {n.moved, n.reassigned, n.added};
    static const char *const NAMES[3] = {"moved", "reassigned", "new"};
    for (size_t k = 0; k < 3; k++)
        if (info->changes[k] != want[k])
            BS_TRY(bs_violations_add(v, BS_RULE_CHANGE, NULL, 0,
                                     "changes.%s is %zu, but %zu sessions are marked so", NAMES[k],
                                     info->changes[k], want[k]));
    return BS_OK;
}

static void print_text(const bs_problem *p, const bs_solution *s, const bs_calendar_info *info,
                       const bs_violations *v, const bs_objective *computed, bool matches)
{
    for (size_t i = 0; i < v->count; i++) {
        const bs_violation *it = &v->items[i];
        printf("%s: %s", bs_rule_label(it->rule), it->message);
        if (it->sessions.count > 0) {
            fputs(" [", stdout);
            for (size_t k = 0; k < it->sessions.count; k++)
                printf("%s%s/%s", k ? ", " : "", session_cohort(p, s, it->sessions.items[k]),
                       session_module(p, s, it->sessions.items[k]));
            fputs("]", stdout);
        }
        fputc('\n', stdout);
    }
    if (v->dropped > 0)
        printf("... and %zu more violation(s)\n", v->dropped);

    char a[40], b[40];
    printf("term                 %14s %14s\n", "recomputed", "recorded");
    for (size_t t = 0; t <= BS_N_OBJECTIVE_TERMS; t++) {
        bool is_total = t == BS_N_OBJECTIVE_TERMS;
        double val = is_total ? computed->total : bs_objective_term(computed, t);
        bool has = info->has_objective && (is_total ? info->has_total : info->has_term[t]);
        double rec = is_total ? s->objective.total : bs_objective_term(&s->objective, t);
        format_number(val, a, sizeof a);
        if (has)
            format_number(rec, b, sizeof b);
        else
            snprintf(b, sizeof b, "-");
        printf("  %-18s %14s %14s\n", is_total ? "total" : bs_objective_term_name(t), a, b);
    }
    if (!info->has_objective)
        puts("the calendar records no objective: not compared");
    else if (matches)
        puts("the recorded objective matches the recomputation");
    else
        puts("the recorded objective differs from the recomputation");
    size_t n = v->count + v->dropped;
    if (n == 0)
        puts("the calendar keeps every rule");
    else
        printf("%zu violation(s)\n", n);
}

static void json_objective(bs_buf *b, const bs_objective *o, const bool *has, bool has_total)
{
    char num[40];
    bool first = true;
    bs_buf_puts(b, "{");
    for (size_t t = 0; t < BS_N_OBJECTIVE_TERMS; t++) {
        if (has != NULL && !has[t])
            continue;
        format_number(bs_objective_term(o, t), num, sizeof num);
        bs_buf_printf(b, "%s\"%s\": %s", first ? "" : ", ", bs_objective_term_name(t), num);
        first = false;
    }
    if (has_total) {
        format_number(o->total, num, sizeof num);
        bs_buf_printf(b, "%s\"total\": %s", first ? "" : ", ", num);
    }
    bs_buf_puts(b, "}");
}

static bs_rc print_json(const bs_problem *p, const bs_solution *s, const bs_calendar_info *info,
                        const bs_violations *v, const bs_objective *computed, bool matches)
{
    bs_buf b;
    bs_buf_init(&b);
    size_t n = v->count + v->dropped;
    bs_buf_printf(&b, "{\n  \"format\": \"blendsched-verify/1\",\n  \"valid\": %s,\n",
                  n == 0 ? "true" : "false");
    bs_buf_puts(&b, "  \"violations\": [");
    for (size_t i = 0; i < v->count; i++) {
        const bs_violation *it = &v->items[i];
        const char *label = bs_rule_label(it->rule);
        if (strncmp(label, "rule ", 5) == 0)
            label += 5;
        bs_buf_puts(&b, i ? ",\n    " : "\n    ");
        bs_buf_puts(&b, "{\"rule\": ");
        bs_buf_json_string(&b, label);
        bs_buf_puts(&b, ", \"message\": ");
        bs_buf_json_string(&b, it->message);
        bs_buf_puts(&b, ", \"sessions\": [");
        for (size_t k = 0; k < it->sessions.count; k++) {
            bs_buf_puts(&b, k ? ", {\"cohort\": " : "{\"cohort\": ");
            bs_buf_json_string(&b, session_cohort(p, s, it->sessions.items[k]));
            bs_buf_puts(&b, ", \"module\": ");
            bs_buf_json_string(&b, session_module(p, s, it->sessions.items[k]));
            bs_buf_puts(&b, "}");
        }
        bs_buf_puts(&b, "]}");
    }
    bs_buf_puts(&b, v->count ? "\n  ],\n" : "],\n");
    bs_buf_printf(&b, "  \"violations_dropped\": %zu,\n", v->dropped);
    bs_buf_puts(&b, "  \"objective\": {\n    \"recomputed\": ");
    json_objective(&b, computed, NULL, true);
    bs_buf_puts(&b, ",\n    \"recorded\": ");
    if (info->has_objective)
        json_objective(&b, &s->objective, info->has_term, info->has_total);
    else
        bs_buf_puts(&b, "null");
    bs_buf_printf(&b, ",\n    \"matches\": %s\n  }\n}\n",
                  !info->has_objective ? "null"
                  : matches            ? "true"
                                       : "false");
    if (b.failed) {
        bs_buf_free(&b);
        return BS_ENOMEM;
    }
    fwrite(b.data, 1, b.len, stdout);
    bs_buf_free(&b);
    return BS_OK;
}

int bs_cli_verify(int argc, char **argv)
{
    static const struct option OPTS[] = {{"json", no_argument, NULL, 'j'},
                                         {"baseline", required_argument, NULL, 'B'},
                                         {"now", required_argument, NULL, 'N'},
                                         {"max-changes", required_argument, NULL, 'X'},
                                         {"max-input-mb", required_argument, NULL, 'M'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    bool json = false;
    const char *baseline_path = NULL, *now_text = NULL;
    long max_changes = -1, lv;
    long max_mb = BS_DEFAULT_MAX_INPUT_MB;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", OPTS, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = true;
            break;
        case 'B':
            baseline_path = optarg;
            break;
        case 'N':
            now_text = optarg;
            break;
        case 'X':
            if (!bs_cli_parse_long(optarg, 0, 100000000, &lv))
                return bs_cli_usage_error("verify", "--max-changes needs a count >= 0");
            max_changes = lv;
            break;
        case 'M':
            if (!bs_cli_parse_long(optarg, 1, 1L << 20, &max_mb))
                return bs_cli_usage_error("verify", "--max-input-mb needs 1..1048576");
            break;
        case 'h':
            fputs(HELP, stdout);
            return BS_EXIT_OK;
        default:
            return bs_cli_usage_error("verify", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return bs_cli_usage_error("verify", "expected INPUT and CALENDAR, got %d file(s)",
                                  argc - optind);
    const char *input = argv[optind], *calendar = argv[optind + 1];
    if (strcmp(input, "-") == 0 && strcmp(calendar, "-") == 0)
        return bs_cli_usage_error("verify", "INPUT and CALENDAR cannot both be '-'");
    if ((now_text != NULL || max_changes >= 0) && baseline_path == NULL)
        return bs_cli_usage_error("verify", "--now and --max-changes need --baseline");

    bs_problem *p = NULL;
    bs_solution *s = NULL;
    bs_messages msgs = {NULL, 0, 0};
    bs_err err = {BS_OK, ""};
    bs_violations v = {NULL, 0, 0, 0};
    bs_baseline *baseline = NULL;
    bs_calendar_info info;
    memset(&info, 0, sizeof info);
    int status = BS_EXIT_OK;

    bs_rc rc =
        bs_input_load_file(input, (size_t)max_mb * 1024 * 1024, &p, &msgs, &err);
    if (rc != BS_OK) {
        print_messages(&msgs);
        if (msgs.count == 0)
            bs_cli_error("%s: %s", input, err.msg[0] ? err.msg : bs_strerror(rc));
        status = bs_cli_exit_for(rc);
        goto out;
    }
    if (baseline_path != NULL) {
        /* before the calendar is read: --now adds the frozen sessions' pins */
        status = bs_cli_load_baseline(p, baseline_path, now_text, false, &baseline);
        if (status != BS_EXIT_OK)
            goto out;
    }
    rc = bs_calendar_read_file(calendar, (size_t)max_mb * 1024 * 1024, p, &s,
                               &info, &msgs, &err);
    if (rc != BS_OK) {
        print_messages(&msgs);
        if (msgs.count == 0)
            bs_cli_error("%s: %s", calendar, err.msg[0] ? err.msg : bs_strerror(rc));
        status = bs_cli_exit_for(rc);
        goto out;
    }
    if (info.has_input_sha256 && strcmp(info.input_sha256, p->input_sha256) != 0)
        fprintf(stderr,
                "blendsched: warning: %s was written for another input "
                "(its input_sha256 is not the digest of %s)\n",
                calendar, input);

    bs_objective computed;
    bool matches = false;
    rc = bs_verify(p, s, &v);
    if (rc == BS_OK && baseline != NULL) {
        /* the marks are checked, then the recomputed ones price the terms */
        rc = bs_baseline_verify(p, baseline, s, max_changes, &v);
        bs_baseline_mark(baseline, s);
    }
    if (rc == BS_OK)
        rc = check_change_counts(s, &info, &v);
    if (rc == BS_OK)
        rc = bs_evaluate_objective(p, s, &computed);
    if (rc == BS_OK)
        rc = compare_objective(s, &info, &computed, &v, &matches);
    if (rc == BS_OK && json)
        rc = print_json(p, s, &info, &v, &computed, matches);
    else if (rc == BS_OK)
        print_text(p, s, &info, &v, &computed, matches);
    if (rc != BS_OK) {
        bs_cli_error("verify: %s", bs_strerror(rc));
        status = BS_EXIT_INTERNAL;
        goto out;
    }
    if (fflush(stdout) != 0) {
        bs_cli_error("verify: cannot write the report");
        status = BS_EXIT_INTERNAL;
        goto out;
    }
    status = v.count + v.dropped > 0 ? BS_EXIT_UNPLACED : BS_EXIT_OK;
out:
    bs_baseline_destroy(&baseline);
    bs_violations_free(&v);
    bs_solution_destroy(&s);
    bs_messages_free(&msgs);
    bs_problem_destroy(&p);
    return status;
}
