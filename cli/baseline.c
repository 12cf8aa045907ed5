/**
 * @file baseline.c
 * @brief The re-planning options shared by `solve` and `verify`: reading
 *        `--baseline CALENDAR` against the loaded input and applying
 *        `--now DATETIME` (freezing the baseline's past sessions).
 */
#include "model/baseline.h"

#include "cli/commands.h"
#include "io/compare_write.h"
#include "io/input.h"

#include <stdio.h>
#include <string.h>

int bs_cli_load_baseline(bs_problem *p, const char *path, const char *now_text, bool quiet,
                         bs_baseline **out)
{
    bs_flat_calendar *flat = NULL;
    bs_messages msgs = {0};
    bs_err err = {BS_OK, ""};
    bs_rc rc = bs_flat_read_calendar_file(path, (size_t)BS_DEFAULT_MAX_INPUT_MB * 1024 * 1024,
                                          &flat, &msgs, &err);
    if (rc != BS_OK) {
        for (size_t k = 0; k < msgs.count; k++)
            fprintf(stderr, "%s\n", msgs.items[k]);
        if (msgs.dropped)
            fprintf(stderr, "%s: ... and %zu more errors\n", path, msgs.dropped);
        if (msgs.count == 0)
            bs_cli_error("%s: %s", path, err.msg[0] ? err.msg : bs_strerror(rc));
        bs_messages_free(&msgs);
        return bs_cli_exit_for(rc);
    }
    bs_messages_free(&msgs);
    bs_baseline *b = NULL;
    rc = bs_baseline_create(p, flat, &b);
    bs_flat_destroy(&flat);
    if (rc != BS_OK) {
        bs_cli_error("%s: %s", path, bs_strerror(rc));
        return BS_EXIT_INTERNAL;
    }
    if (b->n_ignored > 0 && !quiet)
        fprintf(stderr,
                "blendsched: warning: %s: %zu baseline session(s) of cohorts or live modules the "
                "input no longer has are ignored\n",
                path, b->n_ignored);
    if (now_text != NULL) {
        bs_time now = 0;
        if (bs_input_parse_local_time(p, now_text, &now) != BS_OK) {
            bs_baseline_destroy(&b);
            bs_cli_error("--now: '%s' is not a local date-time YYYY-MM-DDTHH:MM of the "
                         "calendar's zone (%s)",
                         now_text, p->timezone);
            return BS_EXIT_INPUT;
        }
        if (bs_baseline_freeze(p, b, now) != BS_OK) {
            bs_baseline_destroy(&b);
            bs_cli_error("out of memory");
            return BS_EXIT_INTERNAL;
        }
    }
    *out = b;
    return BS_EXIT_OK;
}
