/**
 * @file calendar_write.h
 * @brief The calendar (`blendsched-calendar/1`) and the conflict report
 *        (`blendsched-conflicts/1`) as JSON text.
 */
#ifndef BS_IO_CALENDAR_WRITE_H
#define BS_IO_CALENDAR_WRITE_H

#include "model/report.h"
#include "model/solution.h"

/** Write the calendar of FORMAT.md "Output: the calendar" into out.
 *  Sessions sorted by start, cohort id, module id; self-paced entries per
 *  cohort and self-paced module in input order. With s->has_baseline,
 *  the `changes` counts and every session's `change` mark.
 *  @return BS_OK or BS_ENOMEM. */
bs_rc bs_calendar_write_json(const bs_problem *p, const bs_solution *s, bs_buf *out);

/** Write the conflict report of FORMAT.md into out. */
bs_rc bs_report_write_json(const bs_problem *p, const bs_report *r, bs_buf *out);

/** Append a number the way every output prints it: integers without a
 *  fraction, other values with up to 6 decimals and no trailing zeros. */
void bs_buf_number(bs_buf *b, double v);

#endif
