/**
 * @file input_internal.h
 * @brief Shared state and helpers of the input loader (io/input*.c,
 *        io/json_util.c and io/json_strict.c): the loader context,
 *        diagnostics with JSON paths, typed member access, string maps and
 *        the raw (local-time) data kept between validation and the UTC
 *        build.
 *
 * Nothing here leaves io/: cJSON types appear only in this internal header.
 */
#ifndef BS_IO_INPUT_INTERNAL_H
#define BS_IO_INPUT_INTERNAL_H

#include "io/input.h"

#include <cJSON.h>

/* ==== String map (open addressing; keys are borrowed) ==== */

typedef struct bs__strmap {
    const char **keys;
    int *vals;
    uint32_t *hashes;
    size_t cap, count;
} bs__strmap;

/** Value stored for key, or -1. */
int bs__strmap_get(const bs__strmap *m, const char *key);
/** Insert or overwrite; the key pointer must outlive the map. */
bs_rc bs__strmap_put(bs__strmap *m, const char *key, int val);
void bs__strmap_free(bs__strmap *m);

/* ==== Raw, still local, times kept between validation and the build ==== */

/** One `unavailable` entry as written: local days (since 1970-01-01) and
 *  minutes of day. Date intervals have from_min = 0 and to = the day after
 *  `to`, minute 0, so both kinds become [from, to) in local time. */
typedef struct bs__raw_iv {
    int64_t from_day, to_day;
    int from_min, to_min;
} bs__raw_iv;

typedef struct bs__raw_ivs {
    bs__raw_iv *items;
    size_t count;
} bs__raw_ivs;

/** A weekly window: on the weekdays marked, [from, to) minutes of day. */
typedef struct bs__weekly {
    bool days[7];
    int from, to;
} bs__weekly;

typedef struct bs__raw_room {
    bs__raw_ivs unavailable;
} bs__raw_room;

typedef struct bs__raw_instructor {
    int zone; /**< index into the zone table; -1: the calendar's */
    bool has_available;
    bs__weekly *available;
    size_t n_available;
    bs__raw_ivs unavailable;
} bs__raw_instructor;

typedef struct bs__raw_cohort {
    int zone;
    int64_t start, end; /**< local dates as day numbers */
    bs__raw_ivs unavailable;
    bool has_preferred;
    bs__weekly preferred;
} bs__raw_cohort;

typedef struct bs__raw_learner {
    int zone; /**< -1: inherited */
    bool has_hours;
    int hours_from, hours_to;
    bs__raw_ivs unavailable;
} bs__raw_learner;

typedef struct bs__raw_pin {
    bool has_start;
    int64_t day;
    int minute;
} bs__raw_pin;

/** A distinct time-zone name of the input; loaded once in the build. */
typedef struct bs__zone {
    char *name;
    bool valid; /**< a zone of the system database */
    bs_tz *tz;
} bs__zone;

/** The entity kinds that references name. */
enum { BS__ROOM, BS__INSTRUCTOR, BS__PROGRAM, BS__COHORT, BS__LEARNER, BS__N_KINDS };

/* ==== The loader context ==== */

#define BS__PATH_MAX 512

typedef struct bs__ld {
    const char *name; /**< stands for the file in messages */
    bs_messages *msgs;
    size_t n_errors;
    bool oom;
    bool tz_missing; /* a zone was refused because the machine has no zone data */
    char path[BS__PATH_MAX];
    size_t path_len;
    /* number nodes whose literal has a fraction or an exponent, sorted by
     * address: they are never integers, whatever their value */
    const cJSON **nonint;
    size_t n_nonint;
    bs_problem *p;
    /* calendar, local */
    bool calendar_ok;
    int64_t h_start, h_end; /**< horizon dates as day numbers */
    bool slot_ok;           /**< slot_minutes valid: multiples can be checked */
    int64_t *holidays;
    size_t n_holidays;
    /* ids per kind: a map to the index and the ids in input order (borrowed
     * from the cJSON tree; NULL where an entry has no usable id) */
    bs__strmap ids[BS__N_KINDS];
    const char **idv[BS__N_KINDS];
    size_t n_idv[BS__N_KINDS];
    bool section_bad[BS__N_KINDS]; /**< not an array: references stay quiet */
    bs__strmap *module_ids;        /**< one per program */
    const char ***module_idv;      /**< one per program */
    bs__strmap site_map, tag_map;
    size_t sites_cap, tags_cap;
    bs__strmap zone_map;
    bs__zone *zones;
    size_t n_zones, zones_cap;
    int calendar_zone;
    /* raw local data, parallel to the problem's entity arrays */
    bs__raw_room *raw_rooms;
    bs__raw_instructor *raw_instructors;
    bs__raw_cohort *raw_cohorts;
    bs__raw_learner *raw_learners;
    bs__raw_pin *raw_pins;
    bool *program_has_in_person;
} bs__ld;

/* ==== Diagnostics ==== */

/** Add a whole message line (takes a formatted string). Counts it even when
 *  the list is full. */
void bs__msg_add(bs__ld *ld, const char *line);
/** Report an error at the current path: `NAME: PATH: message`. */
void bs__error(bs__ld *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Report an error at the current path extended by `.key`. */
void bs__error_key(bs__ld *ld, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Path stack: push returns the length to restore with bs__path_pop. */
/** Write the path segment of key k (`.k` when plain, else `["k"]`) into
 *  buf; returns the length snprintf would write. */
size_t bs__format_key(char *buf, size_t size, const char *k);
size_t bs__path_key(bs__ld *ld, const char *key);
size_t bs__path_index(bs__ld *ld, size_t i);
void bs__path_pop(bs__ld *ld, size_t len);

/** Quote a user string for a message: JSON-escaped, cut after 64 characters. */
const char *bs__q(const char *s, char *buf, size_t size);

/** The closest candidate within edit distance 2 (and shorter than s), or
 *  NULL. Cheap enough for tens of thousands of candidates. */
const char *bs__suggest(const char *s, const char *const *cands, size_t n);
/** " (did you mean \"x\"?)" into buf, or "" when there is no suggestion. */
const char *bs__dym(bs__ld *ld, const char *s, const char *const *cands, size_t n, char *buf,
                    size_t size);

/* ==== JSON parsing and typed access ==== */

/** Parse data[0..len) (data[len] must be NUL) strictly: malformed JSON,
 *  invalid UTF-8, raw control characters and \u0000 in strings, numbers
 *  outside JSON's grammar and duplicate keys are reported. *out is NULL
 *  when the text is not JSON at all. */
bs_rc bs__json_parse(bs__ld *ld, const char *data, size_t len, cJSON **out);
/** Was number v written as an integer (no fraction or exponent)? From the
 *  set bs__json_parse recorded (io/json_strict.c). */
bool bs__json_integral(const bs__ld *ld, const cJSON *v);

const char *bs__type_name(const cJSON *v);
const cJSON *bs__member(const cJSON *obj, const char *key);
/** Report every key of obj that is not in allowed (NULL-terminated) and
 *  does not begin with "x-". */
void bs__check_keys(bs__ld *ld, const cJSON *obj, const char *const *allowed);
/** True when v is an object; reports otherwise (at the current path). */
bool bs__want_object(bs__ld *ld, const cJSON *v);

/** Typed members. Each returns true when the key is present and valid
 *  (then *out is written); false when absent (an error if required) or
 *  invalid (an error is reported at PATH.key). */
bool bs__get_int(bs__ld *ld, const cJSON *obj, const char *key, bool required, int64_t lo,
                 int64_t hi, int *out);
bool bs__get_number(bs__ld *ld, const cJSON *obj, const char *key, double lo, double *out);
bool bs__get_bool(bs__ld *ld, const cJSON *obj, const char *key, bool *out);
bool bs__get_string(bs__ld *ld, const cJSON *obj, const char *key, bool required, const char **out);
bool bs__get_id(bs__ld *ld, const cJSON *obj, const char *key, bool required, const char **out);
/** A display string (name, title): at most 200 characters; copied. */
bool bs__get_display(bs__ld *ld, const cJSON *obj, const char *key, char **out);
bool bs__get_date(bs__ld *ld, const cJSON *obj, const char *key, bool required, int64_t *out);
/** Time of day as minutes 0..1440; 24:00 only when allow_end. */
bool bs__get_time(bs__ld *ld, const cJSON *obj, const char *key, bool required, bool allow_end,
                  int *out);
/** An array member (absent: *out NULL, returns false without error). */
bool bs__get_array(bs__ld *ld, const cJSON *obj, const char *key, const cJSON **out);

bool bs__is_identifier(const char *s);

/** Results of the date and time parsers. */
enum { BS__PARSE_OK = 0, BS__PARSE_SYNTAX = 1, BS__PARSE_IMPOSSIBLE = 2 };
/** "YYYY-MM-DD" (years 0001..9999) into a day number since 1970-01-01. */
int bs__parse_date(const char *s, int64_t *days);
/** "HH:MM" into minutes of day; "24:00" gives 1440 (the caller decides
 *  whether an end is allowed there). */
int bs__parse_time(const char *s, int *minutes);
/** "YYYY-MM-DDTHH:MM" into a day number and minutes of day (24:00 allowed,
 *  as for times). */
int bs__parse_datetime(const char *s, int64_t *days, int *minutes);
/** Weekday name ("mon".."sun") to BS_MON..BS_SUN, or -1. */
int bs__weekday(const char *s);
extern const char *const bs__weekday_names[8];

/* ==== Build (io/input_build.c) ==== */

/** Turn validated local data into UTC: zones, the day table, the slot grid,
 *  every interval list, pins and learners' cohorts. Reports errors (DST-gap
 *  pin starts); returns BS_ENOMEM or BS_EINTERNAL on failure, else BS_OK. */
bs_rc bs__input_build(bs__ld *ld);


/* ==== Loader helpers shared by io/input.c, io/input_programs.c and io/input_zones.c ==== */

/** bs_strdup, setting ld->oom when it fails; NULL stays NULL. */
char *bs__dup_or_oom(bs__ld *ld, const char *s);
/** Number of elements of a cJSON array (0 for NULL). */
size_t bs__array_size(const cJSON *arr);
/** Append v to ids (capacity *cap, grown as needed); false (ld->oom) on failure. */
bool bs__push_int(bs__ld *ld, bs_ids *ids, size_t *cap, int v);
/** The strings of obj[key] (skills, features, sites) interned into out. */
void bs__string_set(bs__ld *ld, const cJSON *obj, const char *key, bool site, bs_ids *out);
/** The index of zone `name` in ld->zones (added on first use), or -1 after
 *  reporting an unknown zone, or a machine without zone data, at PATH.key
 *  (io/input_zones.c). */
int bs__zone_ref(bs__ld *ld, const char *key, const char *name);
/** Program pi from `programs[pi]`: its modules, their references, cycles
 *  and the flipped-model warnings (io/input_programs.c). */
void bs__parse_program(bs__ld *ld, size_t pi, const cJSON *obj);

/* The keys each input entity and section may have (FORMAT.md), shared by
 * the loader and the scenario loader (io/scenario.c). NULL-terminated. */
extern const char *const bs__room_keys[];
extern const char *const bs__instr_keys[];
extern const char *const bs__program_keys[];
extern const char *const bs__cohort_keys[];
extern const char *const bs__learner_keys[];
extern const char *const bs__cal_keys[];
extern const char *const bs__objective_keys[];

#endif
