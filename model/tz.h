/**
 * @file tz.h
 * @brief Time zones: UTC offsets of one IANA zone over a span, read once
 *        from the system time-zone database, and conversions between local
 *        wall-clock time and UTC minutes.
 *
 * Loading uses the C library's TZ machinery (setenv + tzset + localtime_r),
 * which is process-global: load every zone from one thread, at load time.
 * A loaded bs_tz is immutable and safe to read from any thread.
 */
#ifndef BS_MODEL_TZ_H
#define BS_MODEL_TZ_H

#include "core/bs.h"

typedef struct bs_tz bs_tz;

/** The folder of the time-zone database: $TZDIR when set and not empty
 *  (as the C library reads it), else /usr/share/zoneinfo. */
const char *bs_tz_dir(void);

/** True when bs_tz_dir() holds a database (its tzdata.zi or zone1970.tab):
 *  tells "no such zone" from "no time-zone data installed". */
bool bs_tz_database_present(void);

/** True when name is a zone of the database (a file under bs_tz_dir(), or
 *  "UTC", which needs none); rejects paths that climb out of it. */
bool bs_tz_exists(const char *name);

/** Load the offsets of zone `name` for UTC minutes [from, to).
 *  @return BS_OK, BS_EINVAL (unknown zone), BS_ENOMEM. Not thread-safe. */
bs_rc bs_tz_load(const char *name, int64_t from, int64_t to, bs_tz **out, bs_err *err);

void bs_tz_destroy(bs_tz **ptz);

const char *bs_tz_name(const bs_tz *tz);

/** UTC offset in minutes at UTC instant t (east positive). */
int bs_tz_offset_at(const bs_tz *tz, int64_t t);

/** Convert a local wall-clock time (days since 1970-01-01 of the local date,
 *  plus minute of day 0..1440) to UTC. In a gap (spring forward) the time
 *  does not exist: returns false. In an overlap (fall back) the earlier
 *  instant is chosen. */
bool bs_tz_local_to_utc(const bs_tz *tz, int64_t local_days, int minute, int64_t *utc);

/** Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t bs_days_from_civil(int y, int m, int d);
/** Inverse of bs_days_from_civil. */
void bs_civil_from_days(int64_t days, int *y, int *m, int *d);
/** Weekday of a day count: 0 = Monday .. 6 = Sunday. */
int bs_weekday_from_days(int64_t days);
/** ISO week of a day count as year*100 + week. */
int bs_iso_week_from_days(int64_t days);

#endif
