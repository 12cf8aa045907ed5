/**
 * @file export.c
 * @brief `blendsched export CALENDAR --input INPUT`: turn a calendar into
 *        iCalendar files, a CSV table and an HTML report.
 */
#include "io/export.h"

#include "cli/commands.h"
#include "io/calendar_read.h"
#include "io/input.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char EXPORT_HELP[] =
    "Usage: blendsched export CALENDAR --input INPUT [options]\n"
    "\n"
    "Turns CALENDAR (a blendsched-calendar/1 file written by 'solve' for\n"
    "INPUT) into files for calendar programs, spreadsheets and people. Give\n"
    "at least one of --ics, --csv and --html. CALENDAR or INPUT may be '-'\n"
    "(standard input), not both. docs/export.md describes every file.\n"
    "\n"
    "Options:\n"
    "  -i, --input INPUT      the blendsched/1 input the calendar was made for\n"
    "                         (required)\n"
    "      --ics DIR          write one iCalendar (RFC 5545) file per instructor,\n"
    "                         cohort, room and learner into DIR (created when\n"
    "                         missing): instructor-ID.ics, cohort-ID.ics,\n"
    "                         room-ID.ics, learner-ID.ics. Each holds the live\n"
    "                         sessions the entity attends, in its own time zone\n"
    "                         (rooms: the calendar's), and for cohorts and\n"
    "                         learners the self-paced due dates as all-day events.\n"
    "                         A session keeps its UID (COHORT/MODULE@DOMAIN)\n"
    "                         across re-plans, so calendar programs update it.\n"
    "      --csv FILE         write one CSV row (RFC 4180) per live session,\n"
    "                         placed or not ('-': standard output); cells that\n"
    "                         begin with = + - @ get a leading apostrophe so\n"
    "                         spreadsheets show them as text\n"
    "      --html FILE        write a self-contained HTML report ('-': standard\n"
    "                         output): sessions that need attention and why,\n"
    "                         utilisation of rooms and instructors, week-by-week\n"
    "                         timelines per room, instructor and cohort, and the\n"
    "                         self-paced due dates\n"
    "  -c, --conflicts FILE   the conflict report 'solve -c' wrote for CALENDAR:\n"
    "                         gives the reasons and planner notes to the HTML\n"
    "                         report and the reason columns of the CSV\n"
    "      --uid-domain NAME  the part after '@' of every iCalendar UID (default\n"
    "                         'blendsched'); use your own domain so that UIDs\n"
    "                         cannot clash with another organisation's\n"
    "      --max-input-mb N   refuse an INPUT, CALENDAR or report larger than N MB\n"
    "                         (default 512)\n"
    "  -q, --quiet            no summary on standard error\n"
    "  -h, --help             this text\n"
    "\n"
    "The iCalendar DTSTAMP is the current time, or SOURCE_DATE_EPOCH when set\n"
    "(for byte-identical files). Each file is written to a temporary file and\n"
    "renamed; iCalendar files of entities no longer in INPUT are left alone.\n"
    "\n"
    "Exit status:\n"
    "  0  every file written\n"
    "  2  invalid input, calendar, conflict report or usage; nothing written\n"
    "     (errors name the file and the JSON path)\n"
    "  3  internal failure, or a file could not be written\n";

static void print_messages(const bs_messages *m, const char *name)
{
    for (size_t k = 0; k < m->count; k++)
        fprintf(stderr, "%s\n", m->items[k]);
    if (m->dropped)
        fprintf(stderr, "%s: ... and %zu more errors\n", name, m->dropped);
}

/* Prints a load failure (the messages, else err) and returns the status. */
static int load_failed(bs_rc rc, const bs_messages *m, const bs_err *err, const char *name)
{
    print_messages(m, name);
    if (m->count == 0)
        bs_cli_error("%s", err->msg[0] ? err->msg : bs_strerror(rc));
    return bs_cli_exit_for(rc);
}

int bs_cli_export(int argc, char **argv)
{
    static const struct option longopts[] = {{"input", required_argument, NULL, 'i'},
                                             {"ics", required_argument, NULL, 'I'},
                                             {"csv", required_argument, NULL, 'C'},
                                             {"html", required_argument, NULL, 'H'},
                                             {"conflicts", required_argument, NULL, 'c'},
                                             {"uid-domain", required_argument, NULL, 'u'},
                                             {"max-input-mb", required_argument, NULL, 'M'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *input = NULL, *conflicts = NULL;
    bs_export_targets t = {NULL, NULL, NULL};
    bs_export_opts opts;
    bs_export_opts_init(&opts);
    long max_mb = BS_DEFAULT_MAX_INPUT_MB;
    bool quiet = false;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "i:c:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'i':
            input = optarg;
            break;
        case 'I':
            t.ics_dir = optarg;
            break;
        case 'C':
            t.csv = optarg;
            break;
        case 'H':
            t.html = optarg;
            break;
        case 'c':
            conflicts = optarg;
            break;
        case 'u':
            opts.uid_domain = optarg;
            break;
        case 'M': {
            char *end;
            max_mb = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || max_mb < 1 || max_mb > (1L << 20))
                return bs_cli_usage_error("export", "--max-input-mb needs 1..1048576");
            break;
        }
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(EXPORT_HELP, stdout);
            return BS_EXIT_OK;
        default:
            return bs_cli_usage_error("export", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return bs_cli_usage_error("export", optind == argc ? "missing CALENDAR"
                                                           : "one CALENDAR file expected");
    const char *calendar = argv[optind];
    if (input == NULL)
        return bs_cli_usage_error("export", "missing --input INPUT");
    if (t.ics_dir == NULL && t.csv == NULL && t.html == NULL)
        return bs_cli_usage_error("export", "nothing to write: give --ics, --csv or --html");
    int stdin_users = (strcmp(input, "-") == 0) + (strcmp(calendar, "-") == 0) +
                      (conflicts != NULL && strcmp(conflicts, "-") == 0);
    if (stdin_users > 1)
        return bs_cli_usage_error("export", "only one of INPUT, CALENDAR and --conflicts may "
                                            "be '-'");
    if (t.csv != NULL && t.html != NULL && strcmp(t.csv, "-") == 0 && strcmp(t.html, "-") == 0)
        return bs_cli_usage_error("export", "only one of --csv and --html may be '-'");
    if (t.ics_dir != NULL && t.ics_dir[0] == '\0')
        return bs_cli_usage_error("export", "--ics needs a directory");
    if (!bs_export_uid_domain_is_valid(opts.uid_domain))
        return bs_cli_usage_error("export",
                                  "--uid-domain needs printable ASCII without spaces, ';', "
                                  "',', '\"' or '\\'");
    opts.dtstamp = bs_export_default_dtstamp();

    bs_problem *p = NULL;
    bs_solution *s = NULL;
    bs_report *r = NULL;
    bs_calendar_info info;
    bs_messages msgs = {0};
    bs_err err = {0};
    int status = BS_EXIT_OK;
    bs_rc rc = bs_input_load_file(input, (size_t)max_mb * 1024 * 1024, &p, &msgs, &err);
    if (rc != BS_OK) {
        status = load_failed(rc, &msgs, &err, input);
        goto out;
    }
    bs_messages_free(&msgs);
    rc = bs_calendar_read_file(calendar, (size_t)max_mb * 1024 * 1024, p, &s, &info, &msgs, &err);
    if (rc != BS_OK) {
        status = load_failed(rc, &msgs, &err, calendar);
        goto out;
    }
    bs_messages_free(&msgs);
    if (conflicts != NULL) {
        rc = bs_export_read_report_file(conflicts, (size_t)max_mb * 1024 * 1024, p, &r, &msgs,
                                        &err);
        if (rc != BS_OK) {
            status = load_failed(rc, &msgs, &err, conflicts);
            goto out;
        }
        bs_messages_free(&msgs);
    }
    if (!quiet && info.has_input_sha256 && strcmp(info.input_sha256, p->input_sha256) != 0)
        fprintf(stderr,
                "blendsched: warning: %s was made for another input (input_sha256 differs "
                "from %s)\n",
                calendar, input);
    opts.input_name = strcmp(input, "-") == 0 ? NULL : input;
    size_t files = 0;
    /* all of the export's files (the iCalendar folder's too) or none */
    bs_write_group_begin();
    rc = bs_export_write(p, s, r, &t, &opts, &files, &err);
    if (rc == BS_OK)
        rc = bs_write_group_commit(&err);
    else
        bs_write_group_abort();
    if (rc != BS_OK) {
        bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
        status = BS_EXIT_INTERNAL;
        goto out;
    }
    if (!quiet) {
        if (t.ics_dir)
            fprintf(stderr, "blendsched: export: %zu iCalendar files in %s\n", files, t.ics_dir);
        if (t.csv && strcmp(t.csv, "-") != 0)
            fprintf(stderr, "blendsched: export: CSV table %s\n", t.csv);
        if (t.html && strcmp(t.html, "-") != 0)
            fprintf(stderr, "blendsched: export: HTML report %s\n", t.html);
    }
out:
    bs_messages_free(&msgs);
    bs_report_destroy(&r);
    bs_solution_destroy(&s);
    bs_problem_destroy(&p);
    return status;
}
