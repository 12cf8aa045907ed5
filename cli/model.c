/**
 * @file model.c
 * @brief `blendsched model`: the engine's monolithic MIP for other solvers
 *        (fixed MPS for glpsol and CBC) and their solutions read back into a
 *        calendar that `verify` can check (benchmarks/run.sh compares them).
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/commands.h"
#include "io/calendar_write.h"
#include "io/input.h"
#include "solver/peer.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char MODEL_HELP[] =
    "Usage: blendsched model INPUT --mps FILE\n"
    "       blendsched model INPUT (--glpk-solution | --cbc-solution) SOL [-o CAL]\n"
    "\n"
    "Write the engine's monolithic model of INPUT (every cohort in one MIP with\n"
    "every candidate placement and every precedence record, the model of the\n"
    "solver's monolithic step; docs/solver.md) as fixed MPS, or read another\n"
    "solver's solution of that model back and write it as a calendar.\n"
    "\n"
    "Options:\n"
    "      --mps FILE            write the model (fixed MPS, generic names\n"
    "                            R0000001.., C0000001..; minimise) and print its\n"
    "                            size on standard output\n"
    "      --glpk-solution SOL   read SOL as written by 'glpsol --mps FILE -w SOL'\n"
    "      --cbc-solution SOL    read SOL as written by 'cbc FILE -solve -solu SOL'\n"
    "  -o, --output CAL          the calendar of the read solution (default '-')\n"
    "      --max-input-mb N      refuse inputs larger than N MB (default 512)\n"
    "  -h, --help                this text\n"
    "\n"
    "The size lines: rows, columns, binaries, nonzeros, constant (the objective\n"
    "constant, left out of the file: glpsol and CBC read its sign differently;\n"
    "add it to their objectives), complete_below (an integer solution whose\n"
    "objective in the file is lower places every required session that has a\n"
    "candidate).\n"
    "\n"
    "Exit status: 0 model written, or the solution places every required\n"
    "session; 1 the solution leaves some unplaced (calendar written);\n"
    "2 invalid input, usage or solution file; 3 internal failure.\n";

int bs_cli_model(int argc, char **argv)
{
    static const struct option longopts[] = {{"mps", required_argument, NULL, 'm'},
                                             {"glpk-solution", required_argument, NULL, 'g'},
                                             {"cbc-solution", required_argument, NULL, 'c'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"max-input-mb", required_argument, NULL, 'M'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *mps = NULL, *solution = NULL, *out_path = "-";
    bs_peer_format fmt = BS_PEER_GLPK;
    long max_mb = BS_DEFAULT_MAX_INPUT_MB, v;
    int modes = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'm':
            mps = optarg;
            modes++;
            break;
        case 'g':
            solution = optarg;
            fmt = BS_PEER_GLPK;
            modes++;
            break;
        case 'c':
            solution = optarg;
            fmt = BS_PEER_CBC;
            modes++;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'M':
            if (!bs_cli_parse_long(optarg, 1, 1 << 20, &v))
                return bs_cli_usage_error("model", "--max-input-mb needs 1..1048576");
            max_mb = v;
            break;
        case 'h':
            fputs(MODEL_HELP, stdout);
            return BS_EXIT_OK;
        default:
            return bs_cli_usage_error("model", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return bs_cli_usage_error("model",
                                  optind == argc ? "missing INPUT" : "one INPUT file expected");
    if (modes != 1)
        return bs_cli_usage_error("model", "give one of --mps, --glpk-solution, --cbc-solution");
    if (mps != NULL && mps[0] == '\0')
        return bs_cli_usage_error("model", "--mps needs a file name");
    const char *input = argv[optind];

    bs_problem *p = NULL;
    bs_messages errors = {0};
    bs_err err = {0};
    bs_rc rc = bs_input_load_file(input, (size_t)max_mb * 1024 * 1024, &p, &errors, &err);
    if (rc != BS_OK) {
        for (size_t k = 0; k < errors.count; k++)
            fprintf(stderr, "%s\n", errors.items[k]);
        if (errors.count == 0)
            bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
        bs_messages_free(&errors);
        return bs_cli_exit_for(rc);
    }
    bs_messages_free(&errors);

    bs_peer_model info;
    int status = BS_EXIT_OK;
    if (mps != NULL) {
        rc = bs_peer_write_mps(p, mps, &info, &err);
        if (rc == BS_OK)
            printf("rows %zu\ncolumns %zu\nbinaries %zu\nnonzeros %zu\nconstant %.17g\n"
                   "complete_below %.17g\n",
                   info.rows, info.columns, info.binaries, info.nonzeros, info.constant,
                   info.complete_below);
    } else {
        bs_solution *sol = NULL;
        bs_buf cal;
        bs_buf_init(&cal);
        rc = bs_peer_read_solution(p, fmt, solution, &sol, &info, &err);
        if (rc == BS_OK)
            rc = bs_calendar_write_json(p, sol, &cal);
        if (rc == BS_OK)
            rc = bs_write_file_atomic(out_path, cal.data, cal.len, &err);
        if (rc == BS_OK) {
            size_t placed = 0;
            for (size_t k = 0; k < sol->count; k++)
                placed += sol->items[k].placed;
            char mip[40] = "none: no integer solution";
            if (!isnan(info.mip_objective))
                snprintf(mip, sizeof mip, "%.10g", info.mip_objective);
            fprintf(stderr,
                    "blendsched model: %s: %zu of %zu live sessions placed; objective %.10g "
                    "(in the MIP: %s)\n",
                    sol->status == BS_STATUS_COMPLETE ? "complete" : "partial", placed, sol->count,
                    sol->objective.total, mip);
            status = sol->status == BS_STATUS_COMPLETE ? BS_EXIT_OK : BS_EXIT_UNPLACED;
        }
        bs_buf_free(&cal);
        bs_solution_destroy(&sol);
    }
    if (rc != BS_OK) {
        bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
        status = bs_cli_exit_for(rc);
    }
    bs_problem_destroy(&p);
    return status;
}
