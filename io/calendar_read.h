/**
 * @file calendar_read.h
 * @brief Reading a calendar (JSON, format `blendsched-calendar/1`, FORMAT.md
 *        "Output: the calendar") back into a bs_solution of a loaded problem,
 *        for `blendsched verify` and for baselines.
 */
#ifndef BS_IO_CALENDAR_READ_H
#define BS_IO_CALENDAR_READ_H

#include "io/input.h"
#include "model/evaluate.h"
#include "model/solution.h"

/** What a calendar says beyond its sessions. */
typedef struct bs_calendar_info {
    bool has_objective;                  /**< it has an `objective` block */
    bool has_total;                      /**< the block records `total` */
    bool has_term[BS_N_OBJECTIVE_TERMS]; /**< which terms the block records
                                              (bs_objective_term_name order) */
    bool has_changes;        /**< it has a `changes` block (counts below) */
    size_t changes[3];       /**< recorded moved, reassigned, new */
    bool has_input_sha256;
    char input_sha256[65]; /**< as recorded (lower-cased), when has_input_sha256 */
} bs_calendar_info;

/** Read a calendar from data[0..len) (need not be NUL-terminated) against
 *  problem p.
 *
 *  Every session listed becomes a placed assignment: cohort, module, room
 *  and instructor ids are resolved to indices of p, and `start` and `end`
 *  (RFC 3339 with seconds `:00` and an offset or `Z`) to UTC minutes.
 *  Sessions of p that are not listed stay unplaced. It is an error to list a
 *  session twice, to list a module that is not live, to name an unknown
 *  entity, or to name an instructor twice in one session. Keys that are not
 *  in the format are errors unless they begin with `x-` (the `objective`
 *  block may carry further numbers, such as `bound` and `gap`). The
 *  recorded objective goes into (*out)->objective, with what it records
 *  in `info`. A `changes` block or a `change` key on some session sets
 *  (*out)->has_baseline. `self_paced` is accepted and not interpreted.
 *
 *  @param name (in) stands for the file in messages: `NAME: $.sessions[3].room: ...`
 *  @param p (in) the loaded problem the calendar is for
 *  @param out (out) the calendar; written on success, free with
 *             bs_solution_destroy
 *  @param info (out, may be NULL) what the calendar records beyond sessions
 *  @param errors (out, may be NULL) every error found (at most
 *                BS_MAX_ERRORS kept); free with bs_messages_free
 *  @return BS_OK; BS_EPARSE (not JSON) or BS_EINVAL (errors filled);
 *          BS_ENOMEM (err filled). Thread-safe (cJSON's error pointer aside).
 */
bs_rc bs_calendar_read_buffer(const char *name, const char *data, size_t len, const bs_problem *p,
                              bs_solution **out, bs_calendar_info *info, bs_messages *errors,
                              bs_err *err);

/** As bs_calendar_read_buffer, from file `path` ("-" is stdin), which also
 *  names it in messages. max_bytes 0 = no limit.
 *  @return as bs_calendar_read_buffer, plus BS_EIO (err filled). */
bs_rc bs_calendar_read_file(const char *path, size_t max_bytes, const bs_problem *p,
                            bs_solution **out, bs_calendar_info *info, bs_messages *errors,
                            bs_err *err);

#endif
