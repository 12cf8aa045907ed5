/**
 * @file problem.h
 * @brief The validated planning problem: every entity of a blendsched/1
 *        input with defaults applied, references resolved to indices and
 *        every time converted to UTC minutes on the slot grid.
 *
 * A bs_problem is immutable once built (io/ builds it, everything else only
 * reads it), so any number of threads may read it at once. The structs are
 * visible on purpose: they are read-only views, and the solver's inner loops
 * read them directly.
 *
 * Time: a bs_time is a count of minutes since 1970-01-01T00:00Z. All time-zone
 * work happens once, at load time; afterwards only UTC minutes are compared.
 * Intervals are half-open [from, to).
 *
 * Days: the day table covers every date any cohort or the horizon touches
 * (cohorts may start before the horizon); day index 0 is the earliest.
 * Session dates, holidays, study days and weekly limits are dates in the
 * calendar's zone.
 */
#ifndef BS_MODEL_PROBLEM_H
#define BS_MODEL_PROBLEM_H

#include "core/bs.h"
#include "model/tz.h"

typedef int64_t bs_time;

typedef struct bs_interval {
    bs_time from, to;
} bs_interval;

/** A list of UTC intervals sorted by `from` (not merged: an instructor's
 *  `available` windows are kept one by one, since a session must lie inside
 *  one of them). `longest` (the longest interval's length, set by
 *  bs_intervals_index) lets the lookups below search instead of scan;
 *  0 means unknown and they scan. */
typedef struct bs_intervals {
    bs_interval *items;
    size_t count;
    bs_time longest;
} bs_intervals;

/** Index list (into some table of the problem). */
typedef struct bs_ids {
    int *items;
    size_t count;
} bs_ids;

enum { BS_MON = 0, BS_TUE, BS_WED, BS_THU, BS_FRI, BS_SAT, BS_SUN };

typedef struct bs_day {
    int year, month, mday; /**< the civil date */
    int weekday;           /**< BS_MON..BS_SUN */
    int iso_week;          /**< year*100 + ISO week number */
    bs_time begin;         /**< local midnight in the calendar zone, UTC minutes */
    bool in_horizon;
    bool is_workday; /**< calendar workday and not a holiday: a study day */
} bs_day;

/** A start instant on the slot grid: on a horizon workday that is no
 *  holiday, its wall-clock time a multiple of slot_minutes. */
typedef struct bs_slot {
    bs_time start;
    int day;          /**< index into problem->days */
    int local_minute; /**< wall-clock minute of day in the calendar zone */
} bs_slot;

typedef struct bs_room {
    char *id, *name;
    bool is_virtual;
    int site; /**< index into problem->sites; -1 when virtual */
    int capacity;
    bs_ids features; /**< indices into problem->tags */
    bs_intervals unavailable;
    double cost_per_hour;
} bs_room;

typedef struct bs_instructor {
    char *id, *name;
    char *timezone;
    bs_ids skills; /**< indices into problem->tags */
    bs_ids sites;  /**< indices into problem->sites */
    bs_intervals available;   /**< one interval per weekly window per date */
    bs_intervals unavailable;
    int max_minutes_per_day;  /**< -1: no limit */
    int max_minutes_per_week; /**< -1: no limit */
    double cost_per_hour;
} bs_instructor;

typedef enum bs_model_kind {
    BS_ROTATION,
    BS_FLIPPED,
    BS_FLEX,
    BS_ENRICHED_VIRTUAL
} bs_model_kind;

typedef struct bs_module {
    char *id, *title;
    bool is_live;
    bs_ids requires; /**< indices of modules of the same program */
    int effort_minutes; /**< self-paced */
    /* live only: */
    int duration_minutes;
    bool in_person;
    bs_ids skills;        /**< tags */
    int instructors;      /**< how many teach it together */
    bs_ids room_features; /**< tags */
    bool has_window;
    int window_from_day, window_to_day;
    int min_gap_days;
    bool optional;
} bs_module;

typedef struct bs_program {
    char *id, *name;
    bs_model_kind model;
    int cadence_days; /**< rotation; -1 otherwise */
    bool ordered;
    bs_module *modules;
    size_t n_modules;
} bs_program;

typedef struct bs_cohort {
    char *id, *name;
    int program;
    int start_day, end_day; /**< indices into problem->days */
    int site;               /**< -1 when none */
    char *timezone;
    bs_ids learners;
    int size;
    int self_paced_minutes_per_day;
    bool has_instructors; /**< `instructors` given: only these may teach */
    bs_ids instructors;
    bs_intervals window;      /**< daily working window, one per date */
    bs_intervals unavailable;
    bool has_preferred;
    bs_intervals preferred;   /**< one per preferred date */
    int priority;
    int min_days; /**< 0: none */
} bs_cohort;

typedef struct bs_learner {
    char *id, *name;
    char *timezone;
    bs_intervals hours; /**< daily working window, one per date */
    bs_intervals unavailable;
    /** completed self-paced modules as (program, module) index pairs */
    struct {
        int program, module;
    } *completed;
    size_t n_completed;
    int self_paced_minutes_per_day; /**< -1: the cohort's */
    bs_ids cohorts;                 /**< cohorts listing them, in input order */
} bs_learner;

typedef struct bs_weights {
    double unplaced, instructor_change, room_change, outside_preferred, rhythm, cost, spread,
        isolated;
    bool has_over_capacity;
    double over_capacity;
    double moved, reassigned;
} bs_weights;

/** A pin from `fixed`: only the parts given are pinned. */
typedef struct bs_pin {
    int cohort, module;
    bool has_start;
    bs_time start;
    bool has_room;
    int room;
    bool has_instructors;
    bs_ids instructors;
    /** A frozen baseline session (solve --now): pinned exactly as it was;
     *  `broken` (owned, NULL when none) says why it cannot be kept (the
     *  baseline names a room or instructor the input no longer has). */
    bool frozen;
    char *broken;
} bs_pin;

/** A warning found while loading (e.g. FLIPPED_WITHOUT_PREWORK). */
typedef struct bs_warning {
    char *code, *message;
} bs_warning;

typedef struct bs_problem {
    char input_sha256[65]; /**< hex digest of the input bytes */
    /* calendar */
    char *timezone;
    struct bs_tz *tz; /**< the calendar zone's offsets over the day table */
    int slot_minutes;
    int day_start_minute, day_end_minute; /**< default window, minutes of day */
    bool workdays[7];
    bs_day *days;
    size_t n_days;
    int horizon_first_day, horizon_last_day; /**< indices into days */
    bs_slot *slots; /**< sorted by start */
    size_t n_slots;
    /* string tables: sites and tags (skills and features share one table) */
    char **sites;
    size_t n_sites;
    char **tags;
    size_t n_tags;
    /* entities, in input order */
    bs_room *rooms;
    size_t n_rooms;
    bool has_virtual_rooms;
    bs_instructor *instructors;
    size_t n_instructors;
    bs_program *programs;
    size_t n_programs;
    bs_cohort *cohorts;
    size_t n_cohorts;
    bs_learner *learners;
    size_t n_learners;
    bs_weights weights;
    bs_pin *pins;
    size_t n_pins;
    /** solve --now: no session other than a frozen one starts before `now` */
    bool has_now;
    bs_time now;
    bs_warning *warnings;
    size_t n_warnings;
} bs_problem;

/** Free a problem and everything it owns; accepts NULL; sets *pp = NULL. */
void bs_problem_destroy(bs_problem **pp);

/** Index of the first slot whose start is >= t (n_slots if none). */
size_t bs_problem_slot_at_or_after(const bs_problem *p, bs_time t);

/** Day index of a UTC instant in the calendar zone, or -1 outside the table. */
int bs_problem_day_of(const bs_problem *p, bs_time t);

/** Number of study days (workdays that are no holiday) in [from_day, to_day]
 *  inclusive; 0 when from_day > to_day. */
int bs_problem_study_days(const bs_problem *p, int from_day, int to_day);

/** Format a UTC instant as RFC 3339 with seconds and the calendar zone's
 *  offset at that instant ("2027-01-12T09:00:00+01:00"); buf >= 32 bytes. */
void bs_problem_format_time(const bs_problem *p, bs_time t, char *buf, size_t size);

/** True when the list holds index v (linear scan: lists are short). */
bool bs_ids_contains(const bs_ids *set, int v);
/** Position of v in an ascending set (bisection), or -1 when absent. */
long bs_ids_find_sorted(const bs_ids *set, int v);

/** Sort the list by `from` (then `to`) and record its longest interval,
 *  after which the lookups below take O(log n + overlapping intervals). */
void bs_intervals_index(bs_intervals *list);

/** True when [from, to) lies inside one interval of the list. */
bool bs_intervals_contain(const bs_intervals *list, bs_time from, bs_time to);

/** True when [from, to) overlaps some interval of the list. */
bool bs_intervals_overlap(const bs_intervals *list, bs_time from, bs_time to);

#endif
