/**
 * @file solve.c
 * @brief `blendsched solve`: load, solve, write the calendar and the
 *        conflict report atomically, exit with the FORMAT.md status.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "io/calendar_write.h"
#include "io/export.h"
#include "io/input.h"
#include "model/baseline.h"
#include "solver/solver.h"

static const char SOLVE_HELP[] =
    "Usage: blendsched solve INPUT [options]\n"
    "\n"
    "Place every live session of every cohort of INPUT ('-' for stdin) and\n"
    "write the calendar and the conflict report (FORMAT.md).\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      calendar (default '-': standard output)\n"
    "  -c, --conflicts FILE   conflict report (default: not written; the\n"
    "                         unplaced sessions are listed on stderr)\n"
    "      --ics DIR          also write one iCalendar file per instructor, cohort,\n"
    "                         room and learner into DIR (see 'blendsched export\n"
    "                         --help' and docs/export.md)\n"
    "      --csv FILE         also write the sessions as a CSV table\n"
    "      --html FILE        also write the HTML report (with the conflict report)\n"
    "      --uid-domain NAME  the part after '@' of iCalendar UIDs (default\n"
    "                         'blendsched')\n"
    "      --time-limit SEC   wall-clock safety net (default: none); when it\n"
    "                         cuts the search, the conflict report carries a\n"
    "                         TIME_LIMIT warning and unplaced sessions say\n"
    "                         SOLVER_LIMIT\n"
    "      --threads N        OpenMP threads (default: all cores); the output is\n"
    "                         byte-identical for any N\n"
    "      --node-limit N     branch-and-bound nodes per sub-MIP of up to 2000\n"
    "                         candidates in improvement (default 300; fewer for\n"
    "                         larger ones); construction and repair use a sixth\n"
    "      --rounds N         improvement rounds (default 3)\n"
    "      --lns N            then up to N passes of coupled neighbourhoods: each\n"
    "                         cohort re-placed with up to 15 cohorts it shares\n"
    "                         rooms, learners or instructors with (31 once a\n"
    "                         pass keeps nothing; ends when a pass at 31 keeps\n"
    "                         nothing), in parallel batches (default 0)\n"
    "      --polish N         then local search: two chains of N steps each\n"
    "                         (simulated annealing over moves and swaps of single\n"
    "                         sessions, judged by the whole objective) in\n"
    "                         parallel, the better calendar kept (default 0;\n"
    "                         make itc uses 100000000; docs/solver.md)\n"
    "      --columns N        candidate placements per session in a sub-MIP: the\n"
    "                         cheapest of each day (default 60; twice as many\n"
    "                         when first placing a cohort; 0 = all; a session\n"
    "                         left out is retried with all)\n"
    "      --monolithic N     solve in one MIP up to N candidate placements\n"
    "                         (default 20000; 0 = never)\n"
    "      --seed N           tie-breaking seed (default 1)\n"
    "      --baseline CAL     re-plan against the published calendar CAL: each\n"
    "                         session whose start differs pays objective.moved\n"
    "                         (default 100), one with the same start but another\n"
    "                         room or instructors objective.reassigned (default\n"
    "                         30); sessions get a \"change\" mark and the calendar\n"
    "                         \"changes\" counts\n"
    "      --now DATETIME     with --baseline: sessions of CAL that start before\n"
    "                         DATETIME (YYYY-MM-DDTHH:MM, calendar zone) are kept\n"
    "                         exactly as they were; nothing else starts before it\n"
    "      --max-changes K    with --baseline: at most K sessions moved or\n"
    "                         reassigned (a hard budget); when it leaves sessions\n"
    "                         unplaced, the conflict report's CHANGE_BUDGET warning\n"
    "                         says what a larger budget would place\n"
    "      --max-input-mb N   refuse inputs larger than N MB (default 512)\n"
    "      --progress         progress lines on stderr even when not a terminal\n"
    "  -q, --quiet            no progress, no summary\n"
    "  -v, --verbose          GLPK's own output on stderr too\n"
    "  -h, --help             this text\n";

/* (two strings: C99 compilers need only support 4,095 characters in one) */
static const char SOLVE_HELP_TAIL[] =
    "\n"
    "Outputs are written to temporary files in their folders, synced, and\n"
    "renamed together once all are written: a file is either the earlier one\n"
    "or the complete new one, and if any cannot be written (full disk,\n"
    "unwritable folder) none is replaced (exit 3). An existing device or FIFO\n"
    "(/dev/null) is written in place. SIGINT or SIGTERM stops the search; the best\n"
    "calendar so far is written with status \"interrupted\".\n"
    "\n"
    "Exit status: 0 every required session placed; 1 some unplaced or\n"
    "interrupted (both files written); 2 invalid input or usage (nothing\n"
    "written); 3 internal failure: an output that cannot be written, no\n"
    "time-zone data (TZDIR), out of memory, a GLPK error (nothing written).\n";


int bs_cli_solve(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"conflicts", required_argument, NULL, 'c'},
        {"time-limit", required_argument, NULL, 't'},
        {"threads", required_argument, NULL, 'j'},
        {"node-limit", required_argument, NULL, 'n'},
        {"rounds", required_argument, NULL, 'r'},
        {"lns", required_argument, NULL, 'L'},
        {"polish", required_argument, NULL, 'W'},
        {"monolithic", required_argument, NULL, 'm'},
        {"columns", required_argument, NULL, 'k'},
        {"seed", required_argument, NULL, 's'},
        {"max-input-mb", required_argument, NULL, 'M'},
        {"progress", no_argument, NULL, 'P'},
        {"ics", required_argument, NULL, 'I'},
        {"csv", required_argument, NULL, 'C'},
        {"html", required_argument, NULL, 'H'},
        {"uid-domain", required_argument, NULL, 'u'},
        {"baseline", required_argument, NULL, 'B'},
        {"now", required_argument, NULL, 'N'},
        {"max-changes", required_argument, NULL, 'X'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *out_path = "-", *conflicts_path = NULL;
    const char *baseline_path = NULL, *now_text = NULL;
    long max_changes = -1;
    long max_mb = BS_DEFAULT_MAX_INPUT_MB, v;
    bool quiet = false, force_progress = false;
    bs_export_targets exports = {NULL, NULL, NULL};
    bs_export_opts export_opts;
    bs_export_opts_init(&export_opts);
    bs_solve_opts opts;
    bs_solve_opts_init(&opts);
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "o:c:qvh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'o': out_path = optarg; break;
        case 'c': conflicts_path = optarg; break;
        case 't': {
            char *end;
            double t = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || !(t >= 0) || t > 1e7)
                return bs_cli_usage_error("solve", "--time-limit needs seconds >= 0, not '%s'",
                                          optarg);
            opts.time_limit = t;
            break;
        }
        case 'j':
            if (!bs_cli_parse_long(optarg, 1, 1024, &v))
                return bs_cli_usage_error("solve", "--threads needs 1..1024, not '%s'", optarg);
            opts.threads = (int)v;
            break;
        case 'n':
            if (!bs_cli_parse_long(optarg, 1, 100000000, &v))
                return bs_cli_usage_error("solve", "--node-limit needs a positive count");
            opts.node_limit = (int)v;
            break;
        case 'r':
            if (!bs_cli_parse_long(optarg, 0, 1000, &v))
                return bs_cli_usage_error("solve", "--rounds needs 0..1000");
            opts.improve_rounds = (int)v;
            break;
        case 'L':
            if (!bs_cli_parse_long(optarg, 0, 1000, &v))
                return bs_cli_usage_error("solve", "--lns needs 0..1000");
            opts.lns_passes = (int)v;
            break;
        case 'W':
            if (!bs_cli_parse_long(optarg, 0, 2000000000L, &v))
                return bs_cli_usage_error("solve", "--polish needs 0..2000000000 steps, not '%s'",
                                          optarg);
            opts.polish_steps = v;
            break;
        case 'm':
            if (!bs_cli_parse_long(optarg, 0, 100000000, &v))
                return bs_cli_usage_error("solve", "--monolithic needs a count >= 0");
            opts.monolithic_columns = (int)v;
            break;
        case 'k':
            if (!bs_cli_parse_long(optarg, 0, 100000000, &v))
                return bs_cli_usage_error("solve", "--columns needs a count >= 0");
            opts.column_budget = (int)v;
            break;
        case 's':
            if (!bs_cli_parse_long(optarg, 0, 2147483647L, &v))
                return bs_cli_usage_error("solve", "--seed needs a number >= 0");
            opts.seed = (unsigned long)v;
            break;
        case 'M':
            if (!bs_cli_parse_long(optarg, 1, 1 << 20, &v))
                return bs_cli_usage_error("solve", "--max-input-mb needs 1..1048576");
            max_mb = v;
            break;
        case 'P': force_progress = true; break;
        case 'I': exports.ics_dir = optarg; break;
        case 'C': exports.csv = optarg; break;
        case 'H': exports.html = optarg; break;
        case 'u': export_opts.uid_domain = optarg; break;
        case 'B': baseline_path = optarg; break;
        case 'N': now_text = optarg; break;
        case 'X':
            if (!bs_cli_parse_long(optarg, 0, 100000000, &v))
                return bs_cli_usage_error("solve", "--max-changes needs a count >= 0, not '%s'",
                                          optarg);
            max_changes = v;
            break;
        case 'q': quiet = true; break;
        case 'v': opts.verbosity = 2; break;
        case 'h':
            fputs(SOLVE_HELP, stdout);
            fputs(SOLVE_HELP_TAIL, stdout);
            return BS_EXIT_OK;
        default: return bs_cli_usage_error("solve", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return bs_cli_usage_error("solve", optind == argc ? "missing INPUT"
                                                          : "one INPUT file expected");
    const char *input = argv[optind];
    if ((now_text != NULL || max_changes >= 0) && baseline_path == NULL)
        return bs_cli_usage_error("solve", "--now and --max-changes need --baseline");
    if (baseline_path != NULL && strcmp(baseline_path, "-") == 0 && strcmp(input, "-") == 0)
        return bs_cli_usage_error("solve", "INPUT and --baseline cannot both be '-'");
    {
        /* standard output carries one document at most: an export to '-'
         * needs the calendar (and the report) in files */
        int export_stdout = (exports.csv != NULL && strcmp(exports.csv, "-") == 0) +
                            (exports.html != NULL && strcmp(exports.html, "-") == 0);
        int other_stdout = (strcmp(out_path, "-") == 0) +
                           (conflicts_path != NULL && strcmp(conflicts_path, "-") == 0);
        if (export_stdout > 0 && export_stdout + other_stdout > 1)
            return bs_cli_usage_error("solve", "only one output may be '-' (standard output; "
                                               "the calendar is by default)");
        if (exports.ics_dir != NULL && exports.ics_dir[0] == '\0')
            return bs_cli_usage_error("solve", "--ics needs a directory");
        if (!bs_export_uid_domain_is_valid(export_opts.uid_domain))
            return bs_cli_usage_error("solve", "--uid-domain needs printable ASCII without "
                                               "spaces, ';', ',', '\"' or '\\'");
        export_opts.dtstamp = bs_export_default_dtstamp();
        export_opts.input_name = strcmp(input, "-") == 0 ? NULL : input;
    }
    opts.progress = !quiet && (force_progress || isatty(STDERR_FILENO));
    opts.interrupt = &bs_cli_interrupted;

    bs_problem *p = NULL;
    bs_messages errors = {0};
    bs_err err = {0};
    bs_rc rc = bs_input_load_file(input, (size_t)max_mb * 1024 * 1024, &p, &errors, &err);
    if (rc != BS_OK) {
        for (size_t k = 0; k < errors.count; k++)
            fprintf(stderr, "%s\n", errors.items[k]);
        if (errors.dropped)
            fprintf(stderr, "%s: ... and %zu more errors\n", input, errors.dropped);
        if (errors.count == 0)
            bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
        bs_messages_free(&errors);
        return bs_cli_exit_for(rc);
    }
    bs_messages_free(&errors);
    bs_baseline *baseline = NULL;
    if (baseline_path != NULL) {
        int st = bs_cli_load_baseline(p, baseline_path, now_text, quiet, &baseline);
        if (st != BS_EXIT_OK) {
            bs_problem_destroy(&p);
            return st;
        }
        opts.baseline = baseline;
        opts.max_changes = max_changes;
    }
    for (size_t k = 0; k < p->n_warnings && !quiet; k++)
        fprintf(stderr, "%s: warning: %s: %s\n", input, p->warnings[k].code,
                p->warnings[k].message);

    bs_cli_catch_stop_signals();

    bs_solution *sol = NULL;
    bs_report *report = NULL;
    bs_buf cal, conf;
    bs_buf_init(&cal);
    bs_buf_init(&conf);
    rc = bs_solver_run(p, &opts, &sol, &report, &err);
    if (rc == BS_OK)
        rc = bs_calendar_write_json(p, sol, &cal);
    if (rc == BS_OK)
        rc = bs_report_write_json(p, report, &conf);
    int status = BS_EXIT_INTERNAL;
    if (rc != BS_OK) {
        bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
    } else {
        /* one write group: every output is staged first and renamed into
         * place only when all of them could be written, so a failure (a full
         * disk, an unwritable folder) leaves nothing new behind (exit 3) */
        size_t ics_files = 0;
        bs_write_group_begin();
        if (exports.ics_dir || exports.csv || exports.html)
            rc = bs_export_write(p, sol, report, &exports, &export_opts, &ics_files, &err);
        if (rc == BS_OK && conflicts_path)
            rc = bs_write_file_atomic(conflicts_path, conf.data, conf.len, &err);
        if (rc == BS_OK)
            rc = bs_write_file_atomic(out_path, cal.data, cal.len, &err);
        if (rc == BS_OK)
            rc = bs_write_group_commit(&err);
        else
            bs_write_group_abort();
        if (rc != BS_OK) {
            bs_cli_error("%s", err.msg);
            status = BS_EXIT_INTERNAL;
        } else {
            status = sol->status == BS_STATUS_COMPLETE ? BS_EXIT_OK : BS_EXIT_UNPLACED;
            if (!quiet) {
                size_t placed = 0;
                for (size_t k = 0; k < sol->count; k++)
                    placed += sol->items[k].placed;
                fprintf(stderr,
                        "blendsched: %s: %zu of %zu live sessions placed, %zu unplaced, %zu "
                        "skipped; objective %.6g (bound %.6g)\n",
                        sol->status == BS_STATUS_COMPLETE
                            ? "complete"
                            : (sol->status == BS_STATUS_PARTIAL ? "partial" : "interrupted"),
                        placed, sol->count, report->n_unplaced, report->n_skipped,
                        sol->objective.total, sol->bound);
                if (baseline != NULL) {
                    bs_change_counts n = bs_solution_count_changes(sol);
                    fprintf(stderr,
                            "blendsched: against %s: %zu moved, %zu reassigned, %zu new\n",
                            baseline_path, n.moved, n.reassigned, n.added);
                }
                for (size_t k = 0; k < report->n_unplaced && !conflicts_path; k++) {
                    const bs_conflict *cf = &report->unplaced[k];
                    fprintf(stderr, "  unplaced %s/%s: %s: %s\n", p->cohorts[cf->cohort].id,
                            p->programs[p->cohorts[cf->cohort].program].modules[cf->module].id,
                            bs_reason_name(cf->reason), cf->message);
                }
            }
        }
    }
    bs_buf_free(&cal);
    bs_buf_free(&conf);
    bs_solution_destroy(&sol);
    bs_report_destroy(&report);
    bs_baseline_destroy(&baseline);
    bs_problem_destroy(&p);
    return status;
}
