/**
 * @file input.h
 * @brief Reading a blendsched/1 input (JSON) into a validated bs_problem.
 */
#ifndef BS_IO_INPUT_H
#define BS_IO_INPUT_H

#include "model/problem.h"

/** Diagnostics collected while loading: each item is a whole line such as
 *  `in.json: $.cohorts[2].program: unknown program "k8s-cret" (did you mean
 *  "k8s-cert"?)`. At most BS_MAX_ERRORS are kept; `dropped` counts the rest. */
typedef struct bs_messages {
    char **items;
    size_t count;
    size_t dropped;
} bs_messages;

#define BS_MAX_ERRORS 50
#define BS_DEFAULT_MAX_INPUT_MB 512

void bs_messages_free(bs_messages *m);

/** Load and validate the input in file `path` ("-" is stdin).
 *  max_bytes 0 = no limit.
 *  @param errors (out) every validation error found, for the user
 *  @return BS_OK; BS_EPARSE or BS_EINVAL (errors filled); BS_EIO, BS_ENOMEM
 *          (err filled). On failure *out stays NULL. Not thread-safe (time
 *          zones are read through the process-global TZ). */
bs_rc bs_input_load_file(const char *path, size_t max_bytes, bs_problem **out,
                         bs_messages *errors, bs_err *err);

/** As bs_input_load_file, from a buffer; `name` stands for the file in
 *  messages. data need not be NUL-terminated. */
bs_rc bs_input_load_buffer(const char *name, const char *data, size_t len, bs_problem **out,
                           bs_messages *errors, bs_err *err);

/** Parse a local date-time "YYYY-MM-DDTHH:MM" of the calendar's zone (as a
 *  pin's `start`; a time in a daylight-saving gap is an error, an ambiguous
 *  one takes the earlier instant) into UTC minutes.
 *  @return BS_OK or BS_EINVAL. Thread-safe. */
bs_rc bs_input_parse_local_time(const bs_problem *p, const char *text, bs_time *out);

#endif
