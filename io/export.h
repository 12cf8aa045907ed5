/**
 * @file export.h
 * @brief Exports of a calendar for other systems and people: iCalendar
 *        (RFC 5545) files per instructor, cohort, room and learner, a CSV
 *        table of sessions (RFC 4180), a self-contained HTML report, and
 *        the reader of a conflict report file that the HTML report shows.
 *
 * Every writer takes the loaded problem and a calendar as data (a
 * bs_solution, from the solver or from io/calendar_read.h) and appends text
 * to a caller-owned bs_buf; none of them writes files except
 * bs_export_ics_dir. The output is a function of its arguments (the
 * iCalendar DTSTAMP comes from the options), so equal inputs give equal
 * bytes. docs/export.md describes the files for their readers.
 *
 * Thread-safety: the iCalendar writers load time zones through model/tz.h,
 * which uses the process-global TZ: call them from one thread. The CSV and
 * HTML writers only read their arguments.
 */
#ifndef BS_IO_EXPORT_H
#define BS_IO_EXPORT_H

#include "io/input.h"
#include "model/report.h"
#include "model/solution.h"

/* ==== Options ==== */

/** Options shared by the writers. Initialise with bs_export_opts_init. */
typedef struct bs_export_opts {
    /** DTSTAMP of every iCalendar item, seconds since 1970-01-01T00:00Z
     *  (the CLI takes SOURCE_DATE_EPOCH when set, else the current time). */
    int64_t dtstamp;
    /** Right-hand side of every iCalendar UID ("<cohort>/<module>@DOMAIN");
     *  default "blendsched". Must be non-empty printable ASCII without
     *  spaces, ';', ',' or '\\' (bs_export_uid_domain_is_valid). */
    const char *uid_domain;
    /** Shown in the HTML report as the input's name (may be NULL). */
    const char *input_name;
} bs_export_opts;

/** dtstamp 0 (1970-01-01), uid_domain "blendsched", input_name NULL. */
void bs_export_opts_init(bs_export_opts *o);

/** True when d may stand after '@' in a UID (see bs_export_opts). */
bool bs_export_uid_domain_is_valid(const char *d);

/* ==== Self-paced due dates (FORMAT.md "Output: the calendar") ==== */

/** One self-paced module of one cohort: when it can start and when it is
 *  due, as the calendar's `self_paced` list defines them. */
typedef struct bs_selfpaced_due {
    int cohort, module;     /**< problem->cohorts, the program's modules */
    bs_time available_from; /**< end of the latest placed live session it
                                 requires, else the cohort's start */
    bool has_due;           /**< false: no placed live session requires it */
    bs_time due;            /**< start of the earliest placed live session
                                 that requires it (through self-paced only) */
    int due_module;         /**< that live session's module; -1 without due */
} bs_selfpaced_due;

/** Every (cohort, self-paced module) pair, in cohort then module order.
 *  @param out (out) array of *n items; free() it; NULL when *n is 0
 *  @return BS_OK or BS_ENOMEM. */
bs_rc bs_export_self_paced(const bs_problem *p, const bs_solution *s, bs_selfpaced_due **out,
                           size_t *n);

/* ==== iCalendar ==== */

/** Whose calendar a file is. */
typedef enum bs_ics_kind {
    BS_ICS_INSTRUCTOR,
    BS_ICS_COHORT,
    BS_ICS_ROOM,
    BS_ICS_LEARNER
} bs_ics_kind;

/** The iCalendar file of one entity: the placed sessions it attends
 *  (instructor: teaches; cohort: its own; room: held there; learner: of
 *  every cohort listing them) with times in the entity's time zone (rooms:
 *  the calendar's zone) and one VTIMEZONE for it, plus, for cohorts and
 *  learners, the self-paced due dates as all-day events (a learner's omit
 *  the modules they have completed). Lines end in CRLF and are folded at
 *  75 octets.
 *  @param index (in) index into the entity table of `kind`
 *  @return BS_OK; BS_EINVAL (index out of range, bad uid_domain);
 *          BS_ENOMEM (err filled). Not thread-safe (loads a time zone). */
bs_rc bs_export_ics(const bs_problem *p, const bs_solution *s, bs_ics_kind kind, size_t index,
                    const bs_export_opts *o, bs_buf *out, bs_err *err);

/** The file name of an entity's calendar: "<kind>-<id>.ics" with kind
 *  instructor, cohort, room or learner (ids are file-name safe). */
void bs_export_ics_filename(const bs_problem *p, bs_ics_kind kind, size_t index, char *buf,
                            size_t size);

/** Write one calendar file per instructor, cohort, room and learner of p
 *  into dir (created, with its parents, when missing). Every file is built
 *  in memory first, so a failure while building writes nothing; each file
 *  is then written atomically (bs_write_file_atomic). Files of entities
 *  that are no longer in the input are left alone.
 *  @param written (out, may be NULL) number of files written
 *  @return BS_OK; BS_EIO (err names the path); BS_EINVAL (bad uid_domain);
 *          BS_ENOMEM. Not thread-safe. */
bs_rc bs_export_ics_dir(const bs_problem *p, const bs_solution *s, const char *dir,
                        const bs_export_opts *o, size_t *written, bs_err *err);

/** Append s to b as an iCalendar TEXT value: backslash, ';' and ',' are
 *  escaped, a line break (LF, CRLF or CR) becomes "\n", other control
 *  characters become spaces and invalid UTF-8 becomes U+FFFD. */
void bs_ics_append_text(bs_buf *b, const char *s);

/** Append one content line (line[0..len), no line break in it) folded as
 *  RFC 5545 3.1 says: at most 75 octets per physical line, continuation
 *  lines start with one space, a fold never splits a UTF-8 sequence; each
 *  physical line ends in CRLF. */
void bs_ics_append_folded(bs_buf *b, const char *line, size_t len);

/* ==== CSV ==== */

/** Append s as one CSV field: a value that begins with '=', '+', '-', '@',
 *  TAB or CR gets a leading apostrophe (so that spreadsheets show it as
 *  text instead of evaluating it), invalid UTF-8 becomes U+FFFD, and the
 *  field is quoted (quotes doubled) when it holds ',', '"', CR or LF. */
void bs_csv_append_field(bs_buf *b, const char *s);

/** The session table (docs/export.md lists the columns): a header line,
 *  then one row per placed session in the calendar's order (start, cohort,
 *  module), then one row per live session left unplaced (cohort, then
 *  module order). Rows end in CRLF.
 *  @param r (in, may be NULL) the conflict report: fills the reason column
 *  @return BS_OK or BS_ENOMEM. */
bs_rc bs_export_csv(const bs_problem *p, const bs_solution *s, const bs_report *r, bs_buf *out);

/* ==== HTML ==== */

/** Append s with &, <, >, " and ' as character references; invalid UTF-8
 *  becomes U+FFFD and control characters other than TAB and LF spaces. */
void bs_html_append_text(bs_buf *b, const char *s);

/** One self-contained HTML page (no scripts, no external resources; a
 *  Content-Security-Policy forbids both): summary, the conflict report
 *  with reasons in plain words, utilisation bars of rooms and instructors,
 *  week-by-week timelines per room, instructor and cohort, and the
 *  self-paced due dates. Times are in the calendar's zone.
 *  @param r (in, may be NULL) the conflict report; without it unplaced
 *         sessions are listed with an unknown reason
 *  @return BS_OK or BS_ENOMEM. */
bs_rc bs_export_html(const bs_problem *p, const bs_solution *s, const bs_report *r,
                     const bs_export_opts *o, bs_buf *out);

/* ==== Everything at once (the CLI's `export` and `solve`) ==== */

/** Where bs_export_write puts each export; NULL skips it. csv and html may
 *  be "-" (standard output). */
typedef struct bs_export_targets {
    const char *ics_dir, *csv, *html;
} bs_export_targets;

/** Build the CSV and the HTML report in memory, then write them (each
 *  atomically), then the iCalendar directory (bs_export_ics_dir). A
 *  failure while building writes nothing.
 *  @param r (in, may be NULL) the conflict report, for CSV and HTML
 *  @param ics_files (out, may be NULL) iCalendar files written
 *  @return BS_OK; BS_EIO (err names the path); BS_EINVAL (bad
 *          uid_domain); BS_ENOMEM. Not thread-safe. */
bs_rc bs_export_write(const bs_problem *p, const bs_solution *s, const bs_report *r,
                      const bs_export_targets *t, const bs_export_opts *o, size_t *ics_files,
                      bs_err *err);

/** The DTSTAMP to use now: SOURCE_DATE_EPOCH (reproducible builds) when it
 *  is set to a whole number of seconds, else the current time. */
int64_t bs_export_default_dtstamp(void);

/* ==== Reading a conflict report ==== */

/** Read a conflict report (`blendsched-conflicts/1`, FORMAT.md) written
 *  for problem p from data[0..len). Cohort and module ids are resolved
 *  against p, reasons against FORMAT.md's list.
 *  @param name (in) stands for the file in messages: `NAME: $.unplaced[2].reason: ...`
 *  @param out (out) the report; free with bs_report_destroy
 *  @param errors (out, may be NULL) every error found (at most
 *         BS_MAX_ERRORS kept); free with bs_messages_free
 *  @return BS_OK; BS_EPARSE (not JSON) or BS_EINVAL (errors filled);
 *          BS_ENOMEM (err filled). */
bs_rc bs_export_read_report_buffer(const char *name, const char *data, size_t len,
                                   const bs_problem *p, bs_report **out, bs_messages *errors,
                                   bs_err *err);

/** As bs_export_read_report_buffer, from file `path` ("-" is stdin).
 *  @return as above, plus BS_EIO (err filled). */
bs_rc bs_export_read_report_file(const char *path, size_t max_bytes, const bs_problem *p,
                                 bs_report **out, bs_messages *errors, bs_err *err);

#endif
