/**
 * @file commands.h
 * @brief The subcommands of the `blendsched` command, one per file in cli/.
 *        Each takes argc/argv from the subcommand name on and returns the
 *        process exit status (FORMAT.md: 0, 1, 2 or 3).
 */
#ifndef BS_CLI_COMMANDS_H
#define BS_CLI_COMMANDS_H

#include <signal.h>
#include <stdbool.h>

#include "core/bs.h"

enum { BS_EXIT_OK = 0, BS_EXIT_UNPLACED = 1, BS_EXIT_INPUT = 2, BS_EXIT_INTERNAL = 3 };

int bs_cli_check(int argc, char **argv);
int bs_cli_solve(int argc, char **argv);
int bs_cli_verify(int argc, char **argv);
int bs_cli_export(int argc, char **argv);
int bs_cli_compare(int argc, char **argv);
int bs_cli_scenario(int argc, char **argv);
int bs_cli_diff(int argc, char **argv);
int bs_cli_model(int argc, char **argv);

/** Print "blendsched: error: ..." to stderr. */
void bs_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Print a one-line usage error plus the --help hint to stderr; returns 2. */
int bs_cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Map a failure code to an exit status: input errors 2, the rest 3. */
int bs_cli_exit_for(bs_rc rc);

/** Parse a whole decimal integer in [lo, hi]; false when it is not one. */
bool bs_cli_parse_long(const char *s, long lo, long hi, long *out);

struct bs_baseline;
struct bs_problem;
/** Read `--baseline` file `path` against p and, with now_text (may be
 *  NULL), freeze its sessions before then (cli/baseline.c). Messages name
 *  the file and JSON path. @return an exit status: 0 (*out written), 2
 *  invalid calendar or --now, 3 internal failure. */
int bs_cli_load_baseline(struct bs_problem *p, const char *path, const char *now_text, bool quiet,
                         struct bs_baseline **out);

/** Set by SIGINT or SIGTERM once bs_cli_catch_stop_signals ran: the
 *  solver's interrupt flag, so a long run stops and writes what it has. */
extern volatile sig_atomic_t bs_cli_interrupted;
void bs_cli_catch_stop_signals(void);

#endif
