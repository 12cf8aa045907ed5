/**
 * @file main.c
 * @brief Entry point of `blendsched`: dispatches to the subcommands, prints
 *        the top-level help, and holds what the subcommands share (error
 *        messages, exit codes, integer options, stop signals).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"

static const char HELP[] =
    "Usage: blendsched <command> [options] [--] [file...]\n"
    "\n"
    "Places the live sessions of blended-learning cohorts (rooms, instructors,\n"
    "learners, time zones, self-paced prework) with integer programming (GLPK).\n"
    "\n"
    "Commands:\n"
    "  check INPUT               validate an input and print a summary\n"
    "  solve INPUT [-o CAL] [-c CONFLICTS] [--baseline CAL [--now DT] [--max-changes K]]\n"
    "                            place the sessions, write the calendar and the\n"
    "                            conflict report; re-plan against a published one\n"
    "  verify INPUT CALENDAR     check a calendar against every hard rule\n"
    "  export CALENDAR --input INPUT [--ics DIR] [--csv FILE] [--html FILE]\n"
    "                            iCalendar files, a CSV table, an HTML report\n"
    "  compare BASE SCENARIO... [--out-dir DIR]\n"
    "                            solve what-if scenarios of BASE side by side\n"
    "  scenario apply BASE SCENARIO [-o OUT]\n"
    "                            write the input a scenario makes of BASE\n"
    "  diff CALENDAR_A CALENDAR_B [--json]\n"
    "                            sessions added, removed, moved, reassigned\n"
    "  model INPUT --mps FILE    write the monolithic model for other MIP solvers;\n"
    "                            --glpk-solution/--cbc-solution SOL read theirs back\n"
    "  version                   print the version\n"
    "  help [COMMAND]            this text, or a command's help\n"
    "\n"
    "INPUT may be '-' for standard input. Each command has --help.\n"
    "The data format is documented in docs/FORMAT.md (the contract).\n"
    "\n"
    "Exit status:\n"
    "  0  every required session placed (check, verify: input or calendar valid)\n"
    "  1  some sessions unplaced or the run interrupted; outputs written\n"
    "     (verify: the calendar breaks a rule)\n"
    "  2  invalid input or usage; nothing written\n"
    "  3  internal failure; nothing written\n";

void bs_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("blendsched: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int bs_cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "blendsched%s%s: ", command ? " " : "", command ? command : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fprintf(stderr, "Try 'blendsched %s%s--help'.\n", command ? command : "", command ? " " : "");
    return BS_EXIT_INPUT;
}

bool bs_cli_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

volatile sig_atomic_t bs_cli_interrupted;

static void on_stop_signal(int sig)
{
    (void)sig;
    bs_cli_interrupted = 1;
}

void bs_cli_catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int bs_cli_exit_for(bs_rc rc)
{
    switch (rc) {
    case BS_OK: return BS_EXIT_OK;
    case BS_EPARSE:
    case BS_EINVAL:
    case BS_EUSAGE:
    case BS_EIO: return BS_EXIT_INPUT;
    default: return BS_EXIT_INTERNAL;
    }
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return bs_cli_usage_error(NULL, "missing command");
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
        (strcmp(cmd, "help") == 0 && argc == 2)) {
        fputs(HELP, stdout);
        return 0;
    }
    static char help_flag[] = "--help";
    char *sub[3] = {NULL, help_flag, NULL};
    if (strcmp(cmd, "help") == 0) {
        sub[0] = argv[2];
        argc = 2;
        argv = sub;
        cmd = argv[0];
    } else {
        argc--;
        argv++;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("blendsched %s\n", BS_VERSION);
        return 0;
    }
    if (strcmp(cmd, "check") == 0)
        return bs_cli_check(argc, argv);
    if (strcmp(cmd, "solve") == 0)
        return bs_cli_solve(argc, argv);
    if (strcmp(cmd, "verify") == 0)
        return bs_cli_verify(argc, argv);
    if (strcmp(cmd, "export") == 0)
        return bs_cli_export(argc, argv);
    if (strcmp(cmd, "compare") == 0)
        return bs_cli_compare(argc, argv);
    if (strcmp(cmd, "scenario") == 0)
        return bs_cli_scenario(argc, argv);
    if (strcmp(cmd, "diff") == 0)
        return bs_cli_diff(argc, argv);
    if (strcmp(cmd, "model") == 0)
        return bs_cli_model(argc, argv);
    return bs_cli_usage_error(NULL, "unknown command '%s'", cmd);
}
