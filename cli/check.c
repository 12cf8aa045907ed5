/**
 * @file check.c
 * @brief `blendsched check`: load and validate an input, print every error
 *        (exit 2) or a summary of the problem (exit 0), as text or JSON;
 *        with --domains also the sizes of the static candidate domains.
 */
#define _GNU_SOURCE
#include "cli/commands.h"
#include "io/input.h"
#include "model/domain.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char CHECK_HELP[] =
    "Usage: blendsched check [options] [--] INPUT\n"
    "\n"
    "Validates a blendsched/1 input (INPUT may be '-' for standard input) and\n"
    "prints a summary: rooms, instructors, programs, cohorts, learners, live\n"
    "sessions to place, the horizon, the slot grid and warnings.\n"
    "Every error goes to standard error as 'FILE: $.json.path: message'\n"
    "(malformed JSON: 'FILE:LINE:COL: ...'); warnings as\n"
    "'FILE: warning: CODE: message'.\n"
    "\n"
    "Options:\n"
    "  --json              print the summary as JSON\n"
    "  --domains           also build every live session's static domain (the\n"
    "                      starts, rooms and instructors the hard rules allow\n"
    "                      before other sessions are placed) and print their\n"
    "                      mean sizes: how many choices the solver weighs per\n"
    "                      session, which grows with a shared pool\n"
    "  --max-input-mb N    refuse inputs larger than N MB (default 512; 0: no limit)\n"
    "  -h, --help          this text\n"
    "\n"
    "Exit status:\n"
    "  0  the input is valid (warnings do not fail)\n"
    "  2  invalid input or usage\n"
    "  3  internal failure\n";

typedef struct summary {
    size_t live, optional;
} summary;

/* Static domain sizes over all live sessions (d NULL: not asked for). */
typedef struct domain_sizes {
    size_t sessions, empty;
    double slots, rooms, instructors; /* means */
} domain_sizes;

static domain_sizes measure_domains(const bs_domains *d)
{
    domain_sizes z = {0};
    double slots = 0, rooms = 0, instructors = 0;
    for (size_t s = 0; s < d->n_sessions; s++) {
        const bs_session *se = &d->sessions[s];
        slots += (double)se->n_slots;
        rooms += (double)se->rooms.count;
        instructors += (double)se->instructors.count;
        z.empty += se->reason != BS_REASON_NONE;
    }
    z.sessions = d->n_sessions;
    if (z.sessions > 0) {
        z.slots = slots / (double)z.sessions;
        z.rooms = rooms / (double)z.sessions;
        z.instructors = instructors / (double)z.sessions;
    }
    return z;
}

static summary count_sessions(const bs_problem *p)
{
    summary s = {0, 0};
    for (size_t c = 0; c < p->n_cohorts; c++) {
        const bs_program *pr = &p->programs[p->cohorts[c].program];
        for (size_t m = 0; m < pr->n_modules; m++) {
            if (!pr->modules[m].is_live)
                continue;
            s.live++;
            s.optional += pr->modules[m].optional;
        }
    }
    return s;
}

static void format_day(const bs_problem *p, int i, char *buf, size_t size)
{
    const bs_day *d = &p->days[i];
    snprintf(buf, size, "%04d-%02d-%02d", d->year, d->month, d->mday);
}

static void print_text(const bs_problem *p, const char *name, const domain_sizes *z)
{
    summary s = count_sessions(p);
    char first[16], last[16];
    format_day(p, p->horizon_first_day, first, sizeof first);
    format_day(p, p->horizon_last_day, last, sizeof last);
    int workdays = bs_problem_study_days(p, p->horizon_first_day, p->horizon_last_day);
    printf("%s: valid blendsched/1 input (sha256 %s)\n", name, p->input_sha256);
    printf("horizon:      %s .. %s, %d days (%d workdays), time zone %s\n", first, last,
           p->horizon_last_day - p->horizon_first_day + 1, workdays, p->timezone);
    printf("slots:        %zu of %d minutes\n", p->n_slots, p->slot_minutes);
    printf("rooms:        %zu%s\n", p->n_rooms, p->has_virtual_rooms ? " (some virtual)" : "");
    printf("instructors:  %zu\n", p->n_instructors);
    printf("programs:     %zu\n", p->n_programs);
    printf("cohorts:      %zu\n", p->n_cohorts);
    printf("learners:     %zu\n", p->n_learners);
    printf("live sessions to place: %zu (%zu optional)\n", s.live, s.optional);
    printf("pins:         %zu\n", p->n_pins);
    printf("warnings:     %zu\n", p->n_warnings);
    if (z)
        printf("domains:      per live session %.1f starts, %.1f rooms, %.1f instructors on "
               "average (%zu sessions, %zu with an empty domain)\n",
               z->slots, z->rooms, z->instructors, z->sessions, z->empty);
}

static bool print_json(const bs_problem *p, const char *name, const domain_sizes *z)
{
    summary s = count_sessions(p);
    char first[16], last[16];
    format_day(p, p->horizon_first_day, first, sizeof first);
    format_day(p, p->horizon_last_day, last, sizeof last);
    bs_buf b;
    bs_buf_init(&b);
    bs_buf_puts(&b, "{\n  \"input\": ");
    bs_buf_json_string(&b, name);
    bs_buf_printf(&b, ",\n  \"input_sha256\": \"%s\",\n  \"timezone\": ", p->input_sha256);
    bs_buf_json_string(&b, p->timezone);
    bs_buf_printf(&b,
                  ",\n  \"horizon\": { \"start\": \"%s\", \"end\": \"%s\", \"days\": %d, "
                  "\"workdays\": %d },\n",
                  first, last, p->horizon_last_day - p->horizon_first_day + 1,
                  bs_problem_study_days(p, p->horizon_first_day, p->horizon_last_day));
    bs_buf_printf(&b, "  \"slot_minutes\": %d,\n  \"slots\": %zu,\n", p->slot_minutes, p->n_slots);
    bs_buf_printf(&b,
                  "  \"rooms\": %zu,\n  \"instructors\": %zu,\n  \"programs\": %zu,\n"
                  "  \"cohorts\": %zu,\n  \"learners\": %zu,\n",
                  p->n_rooms, p->n_instructors, p->n_programs, p->n_cohorts, p->n_learners);
    bs_buf_printf(&b, "  \"live_sessions\": %zu,\n  \"optional_sessions\": %zu,\n", s.live,
                  s.optional);
    if (z)
        bs_buf_printf(&b,
                      "  \"domains\": { \"sessions\": %zu, \"empty\": %zu, \"mean_starts\": %.2f, "
                      "\"mean_rooms\": %.2f, \"mean_instructors\": %.2f },\n",
                      z->sessions, z->empty, z->slots, z->rooms, z->instructors);
    bs_buf_printf(&b, "  \"pins\": %zu,\n  \"warnings\": [", p->n_pins);
    for (size_t i = 0; i < p->n_warnings; i++) {
        bs_buf_puts(&b, i ? ",\n    { \"code\": " : "\n    { \"code\": ");
        bs_buf_json_string(&b, p->warnings[i].code);
        bs_buf_puts(&b, ", \"message\": ");
        bs_buf_json_string(&b, p->warnings[i].message);
        bs_buf_puts(&b, " }");
    }
    bs_buf_puts(&b, p->n_warnings ? "\n  ]\n}\n" : "]\n}\n");
    bool ok = !b.failed && fwrite(b.data, 1, b.len, stdout) == b.len;
    bs_buf_free(&b);
    return ok;
}

int bs_cli_check(int argc, char **argv)
{
    static const struct option longopts[] = {{"json", no_argument, NULL, 'j'},
                                             {"domains", no_argument, NULL, 'd'},
                                             {"max-input-mb", required_argument, NULL, 'm'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    bool json = false, domains = false;
    size_t max_mb = BS_DEFAULT_MAX_INPUT_MB;
    int opt;
    optind = 0; /* glibc: a full reset, so a second call parses afresh */
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'j':
            json = true;
            break;
        case 'd':
            domains = true;
            break;
        case 'm': {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || optarg[0] == '-' || v > SIZE_MAX / (1024 * 1024))
                return bs_cli_usage_error("check", "invalid --max-input-mb '%s'", optarg);
            max_mb = (size_t)v;
            break;
        }
        case 'h':
            fputs(CHECK_HELP, stdout);
            return BS_EXIT_OK;
        default:
            return bs_cli_usage_error("check", "invalid option or missing argument '%s'",
                                      argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return bs_cli_usage_error("check", argc - optind == 0 ? "missing INPUT"
                                                              : "expected exactly one INPUT");
    const char *path = argv[optind];
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;

    bs_problem *p = NULL;
    bs_messages msgs;
    bs_err err = {BS_OK, ""};
    bs_rc rc = bs_input_load_file(path, max_mb * 1024 * 1024, &p, &msgs, &err);
    if (rc == BS_EPARSE || rc == BS_EINVAL) {
        for (size_t i = 0; i < msgs.count; i++)
            fprintf(stderr, "%s\n", msgs.items[i]);
        if (msgs.dropped > 0)
            fprintf(stderr, "%s: ... and %zu more errors\n", name, msgs.dropped);
        size_t total = msgs.count + msgs.dropped;
        bs_cli_error("%s: %zu error%s: input refused", name, total, total == 1 ? "" : "s");
        bs_messages_free(&msgs);
        return BS_EXIT_INPUT;
    }
    bs_messages_free(&msgs);
    if (rc != BS_OK) {
        bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
        return bs_cli_exit_for(rc);
    }
    for (size_t i = 0; i < p->n_warnings; i++)
        fprintf(stderr, "%s: warning: %s: %s\n", name, p->warnings[i].code, p->warnings[i].message);
    domain_sizes sizes, *z = NULL;
    if (domains) {
        bs_domains *d = NULL;
        rc = bs_domains_build(p, &d, &err);
        if (rc != BS_OK) {
            bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
            bs_problem_destroy(&p);
            return bs_cli_exit_for(rc);
        }
        sizes = measure_domains(d);
        z = &sizes;
        bs_domains_destroy(&d);
    }
    bool ok = true;
    if (json)
        ok = print_json(p, name, z);
    else
        print_text(p, name, z);
    if (fflush(stdout) != 0)
        ok = false;
    bs_problem_destroy(&p);
    if (!ok) {
        bs_cli_error("cannot write the summary to standard output");
        return BS_EXIT_INTERNAL;
    }
    return BS_EXIT_OK;
}
