/**
 * @file diff.c
 * @brief `blendsched diff CALENDAR_A CALENDAR_B`: the sessions added,
 *        removed, moved and reassigned from one calendar to another, as
 *        text with a summary line or as JSON.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli/commands.h"
#include "io/compare_write.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char DIFF_HELP[] =
    "Usage: blendsched diff CALENDAR_A CALENDAR_B [--json]\n"
    "\n"
    "Compare two calendars (blendsched-calendar/1; no input needed). Sessions\n"
    "are matched by (cohort id, module id):\n"
    "  added       placed in B only\n"
    "  removed     placed in A only\n"
    "  moved       placed in both, the start differs (room or instructors may\n"
    "              differ too)\n"
    "  reassigned  same start, the room or the instructors differ\n"
    "Prints one line per difference (sorted by cohort, then module) and a\n"
    "summary line: 'N changes: A added, R removed, M moved, S reassigned\n"
    "(U unchanged)'. Either file may be '-' for standard input.\n"
    "\n"
    "Options:\n"
    "      --json             print the differences as JSON (blendsched-diff/1)\n"
    "      --max-input-mb N   refuse files larger than N MB (default 512)\n"
    "  -h, --help             this text\n"
    "\n"
    "Exit status: 0 no differences; 1 differences found; 2 an invalid\n"
    "calendar or usage; 3 internal failure.\n";

static bs_rc read_one(const char *path, size_t max_bytes, bs_flat_calendar **out)
{
    bs_messages msgs = {0};
    bs_err err = {BS_OK, ""};
    bs_rc rc = bs_flat_read_calendar_file(path, max_bytes, out, &msgs, &err);
    if (rc != BS_OK) {
        for (size_t k = 0; k < msgs.count; k++)
            fprintf(stderr, "%s\n", msgs.items[k]);
        if (msgs.dropped)
            fprintf(stderr, "%s: ... and %zu more errors\n", path, msgs.dropped);
        if (msgs.count == 0)
            bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
    }
    bs_messages_free(&msgs);
    return rc;
}

int bs_cli_diff(int argc, char **argv)
{
    static const struct option longopts[] = {{"json", no_argument, NULL, 'J'},
                                             {"max-input-mb", required_argument, NULL, 'M'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    bool json = false;
    size_t max_bytes = (size_t)BS_DEFAULT_MAX_INPUT_MB * 1024 * 1024;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'J':
            json = true;
            break;
        case 'M': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || v < 1 || v > (1 << 20))
                return bs_cli_usage_error("diff", "--max-input-mb needs 1..1048576");
            max_bytes = (size_t)v * 1024 * 1024;
            break;
        }
        case 'h':
            fputs(DIFF_HELP, stdout);
            return BS_EXIT_OK;
        default:
            return bs_cli_usage_error("diff", "unknown option");
        }
    }
    if (argc - optind != 2)
        return bs_cli_usage_error("diff", "needs two calendars, CALENDAR_A and CALENDAR_B");
    const char *pa = argv[optind], *pb = argv[optind + 1];
    if (strcmp(pa, "-") == 0 && strcmp(pb, "-") == 0)
        return bs_cli_usage_error("diff", "only one calendar can come from standard input");

    bs_flat_calendar *a = NULL, *b = NULL;
    bs_diff *d = NULL;
    bs_buf out;
    bs_buf_init(&out);
    bs_rc rc = read_one(pa, max_bytes, &a);
    if (rc == BS_OK)
        rc = read_one(pb, max_bytes, &b);
    int status;
    if (rc != BS_OK) {
        status = bs_cli_exit_for(rc);
    } else {
        bs_err err = {BS_OK, ""};
        rc = bs_diff_compute(a, b, &d);
        if (rc == BS_OK)
            rc = json ? bs_diff_write_json(strcmp(pa, "-") == 0 ? "<stdin>" : pa,
                                           strcmp(pb, "-") == 0 ? "<stdin>" : pb, d, &out)
                      : bs_diff_write_text(d, &out);
        if (rc == BS_OK)
            rc = bs_write_file_atomic("-", out.data, out.len, &err);
        if (rc != BS_OK) {
            bs_cli_error("%s", err.msg[0] ? err.msg : bs_strerror(rc));
            status = BS_EXIT_INTERNAL;
        } else {
            status = d->added + d->removed + d->moved + d->reassigned > 0 ? BS_EXIT_UNPLACED
                                                                          : BS_EXIT_OK;
        }
    }
    bs_buf_free(&out);
    bs_diff_destroy(&d);
    bs_flat_destroy(&a);
    bs_flat_destroy(&b);
    return status;
}
