/**
 * @file compare_write.h
 * @brief The documents of `compare` and `diff`: comparison.json
 *        (`blendsched-comparison/1`) and compare's side-by-side table, the
 *        calendars that `diff` reads (sessions only, no input needed), and
 *        diff's text and JSON (`blendsched-diff/1`) output.
 *        Byte-for-byte deterministic: fixed key order and number format.
 */
#ifndef BS_IO_COMPARE_WRITE_H
#define BS_IO_COMPARE_WRITE_H

#include "io/input.h"
#include "model/compare.h"

/** What became of one scenario (or the base) in a comparison. */
typedef enum bs_row_state {
    BS_ROW_SOLVED,  /**< loaded and solved: fig, p and the paths are set */
    BS_ROW_INVALID, /**< the scenario or its edited input is invalid */
    BS_ROW_FAILED   /**< the solve or a write failed (internal) */
} bs_row_state;

/** One column of the comparison. Every pointer is borrowed. */
typedef struct bs_compare_row {
    const char *name; /**< scenario name ("base" for the base) */
    const char *file; /**< the file as given on the command line */
    bool is_base;
    bs_row_state state;
    bs_status status;          /**< when SOLVED */
    const char *input_sha256;  /**< when SOLVED: digest of the (edited) input */
    const char *calendar_path; /**< when SOLVED: relative to the output folder */
    const char *conflicts_path;
    const bs_problem *p;   /**< when SOLVED: for the instructor and room ids */
    const bs_figures *fig; /**< when SOLVED */
    bool has_diff;         /**< SOLVED scenario with a SOLVED base */
    size_t added, removed, moved, reassigned, unchanged, learners_affected, cohorts_affected;
    const char *const *errors; /**< messages when INVALID or FAILED */
    size_t n_errors;
} bs_compare_row;

/** comparison.json: format `blendsched-comparison/1` (docs/scenarios.md,
 *  docs/schema/comparison.schema.json), the rows in the order given.
 *  @return BS_OK or BS_ENOMEM. */
bs_rc bs_compare_write_json(const bs_compare_row *rows, size_t n, bs_buf *out);

/** The side-by-side table: one column per row, one line per figure, the
 *  label column first; columns separated by at least two spaces, labels
 *  and values without two spaces in a row. @return BS_OK or BS_ENOMEM. */
bs_rc bs_compare_write_table(const bs_compare_row *rows, size_t n, bs_buf *out);

/** Read the sessions of a calendar (`blendsched-calendar/1`) without its
 *  input: `cohort`, `module`, `start`, `end` (RFC 3339 with seconds `:00`
 *  and an offset or `Z`), `room` (id or null) and `instructors` of every
 *  entry of `sessions`; other keys are not interpreted. A (cohort, module)
 *  listed twice is an error.
 *  @param name (in) names the file in messages
 *  @return BS_OK; BS_EPARSE or BS_EINVAL (errors filled); BS_ENOMEM. */
bs_rc bs_flat_read_calendar_buffer(const char *name, const char *data, size_t len,
                                   bs_flat_calendar **out, bs_messages *errors, bs_err *err);

/** As bs_flat_read_calendar_buffer, from file path ("-" is stdin).
 *  @return also BS_EIO (err filled). */
bs_rc bs_flat_read_calendar_file(const char *path, size_t max_bytes, bs_flat_calendar **out,
                                 bs_messages *errors, bs_err *err);

/** diff's text: one line per difference, then the summary line
 *  `N changes: A added, R removed, M moved, S reassigned (U unchanged)`.
 *  @return BS_OK or BS_ENOMEM. */
bs_rc bs_diff_write_text(const bs_diff *d, bs_buf *out);

/** diff --json: format `blendsched-diff/1` with both file names, the
 *  summary counts and every difference. @return BS_OK or BS_ENOMEM. */
bs_rc bs_diff_write_json(const char *name_a, const char *name_b, const bs_diff *d, bs_buf *out);

#endif
