/**
 * @file tz.c
 * @brief Offsets of an IANA zone over a span, sampled once from the system
 *        time-zone database, and local/UTC conversions on them.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "model/tz.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

typedef struct tz_change {
    int64_t from; /* UTC minute from which `offset` holds */
    int offset;   /* minutes east of UTC */
} tz_change;

struct bs_tz {
    char *name;
    tz_change *changes; /* sorted by from; changes[0].from is the span start */
    size_t count;
};

const char *bs_tz_dir(void)
{
    /* the C library reads zones from TZDIR when it is set: so do we, so that
     * what we check and what localtime_r loads are the same files */
    const char *d = getenv("TZDIR");
    return d != NULL && d[0] != '\0' ? d : "/usr/share/zoneinfo";
}

bool bs_tz_database_present(void)
{
    char path[4096];
    struct stat st;
    if ((size_t)snprintf(path, sizeof path, "%s/tzdata.zi", bs_tz_dir()) < sizeof path &&
        stat(path, &st) == 0)
        return true;
    return (size_t)snprintf(path, sizeof path, "%s/zone1970.tab", bs_tz_dir()) < sizeof path &&
           stat(path, &st) == 0;
}

/* The file of zone name under bs_tz_dir() into path; false when the name
 * cannot be a zone (empty, absolute, climbing out, odd characters). */
static bool zone_path(const char *name, char *path, size_t size)
{
    if (name == NULL || name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL)
        return false;
    for (const char *c = name; *c; c++) {
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '/' || *c == '_' || *c == '-' || *c == '+'))
            return false;
    }
    return (size_t)snprintf(path, size, "%s/%s", bs_tz_dir(), name) < size;
}

bool bs_tz_exists(const char *name)
{
    if (name != NULL && strcmp(name, "UTC") == 0)
        return true;
    char path[4096];
    struct stat st;
    return zone_path(name, path, sizeof path) && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int offset_of(int64_t minute)
{
    time_t t = (time_t)(minute * 60);
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL)
        return 0;
    return (int)(tm.tm_gmtoff / 60);
}

bs_rc bs_tz_load(const char *name, int64_t from, int64_t to, bs_tz **out, bs_err *err)
{
    if (!bs_tz_exists(name))
        return bs_err_set(err, BS_EINVAL, "unknown time zone \"%s\"", name);
    bs_tz *tz = bs_calloc(1, sizeof *tz);
    if (tz == NULL || (tz->name = bs_strdup(name)) == NULL) {
        free(tz);
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    }
    /* TZ=":FILE" makes the C library read exactly the file bs_tz_exists
     * checked (UTC needs no file) */
    char spec[4100] = "UTC";
    if (strcmp(name, "UTC") != 0) {
        spec[0] = ':';
        if (!zone_path(name, spec + 1, sizeof spec - 1)) {
            bs_tz_destroy(&tz);
            return bs_err_set(err, BS_EINVAL, "unknown time zone \"%s\"", name);
        }
    }
    char *saved = getenv("TZ") ? bs_strdup(getenv("TZ")) : NULL;
    setenv("TZ", spec, 1);
    tzset();

    size_t cap = 8;
    tz->changes = bs_calloc(cap, sizeof *tz->changes);
    bs_rc rc = tz->changes ? BS_OK : BS_ENOMEM;
    if (rc == BS_OK) {
        tz->changes[0].from = from;
        tz->changes[0].offset = offset_of(from);
        tz->count = 1;
    }
    /* Sample hourly; where the offset changes, bisect to the exact minute.
     * Zones change offset at most once in any hour. */
    for (int64_t t = from; rc == BS_OK && t < to; t += 60) {
        int64_t next = t + 60;
        int cur = tz->changes[tz->count - 1].offset;
        if (offset_of(next) == cur)
            continue;
        int64_t lo = t, hi = next; /* offset(lo) == cur, offset(hi) != cur */
        while (hi - lo > 1) {
            int64_t mid = lo + (hi - lo) / 2;
            if (offset_of(mid) == cur)
                lo = mid;
            else
                hi = mid;
        }
        if (tz->count == cap) {
            tz_change *grown = bs_reallocarray(tz->changes, cap * 2, sizeof *grown);
            if (grown == NULL) {
                rc = BS_ENOMEM;
                break;
            }
            tz->changes = grown;
            cap *= 2;
        }
        tz->changes[tz->count].from = hi;
        tz->changes[tz->count].offset = offset_of(hi);
        tz->count++;
    }
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
    if (rc != BS_OK) {
        bs_tz_destroy(&tz);
        return bs_err_set(err, rc, "out of memory");
    }
    *out = tz;
    return BS_OK;
}

void bs_tz_destroy(bs_tz **ptz)
{
    if (ptz == NULL || *ptz == NULL)
        return;
    free((*ptz)->name);
    free((*ptz)->changes);
    free(*ptz);
    *ptz = NULL;
}

const char *bs_tz_name(const bs_tz *tz)
{
    return tz->name;
}

int bs_tz_offset_at(const bs_tz *tz, int64_t t)
{
    size_t lo = 0, hi = tz->count; /* last change with from <= t */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->changes[mid].from <= t)
            lo = mid;
        else
            hi = mid;
    }
    return tz->changes[lo].offset;
}

bool bs_tz_local_to_utc(const bs_tz *tz, int64_t local_days, int minute, int64_t *utc)
{
    int64_t local = local_days * 1440 + minute;
    /* Each offset in force is a candidate; the earliest consistent one wins. */
    bool found = false;
    int64_t best = 0;
    for (size_t i = 0; i < tz->count; i++) {
        int64_t cand = local - tz->changes[i].offset;
        if (bs_tz_offset_at(tz, cand) == tz->changes[i].offset && (!found || cand < best)) {
            best = cand;
            found = true;
        }
    }
    if (found)
        *utc = best;
    return found;
}

int64_t bs_days_from_civil(int y, int m, int d)
{
    /* Howard Hinnant's days_from_civil. */
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (unsigned)d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void bs_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

int bs_weekday_from_days(int64_t days)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0). */
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

int bs_iso_week_from_days(int64_t days)
{
    int wd = bs_weekday_from_days(days);
    int64_t thursday = days - wd + 3; /* the ISO year is the Thursday's year */
    int y, m, d;
    bs_civil_from_days(thursday, &y, &m, &d);
    int64_t jan1 = bs_days_from_civil(y, 1, 1);
    return y * 100 + (int)((thursday - jan1) / 7) + 1;
}
