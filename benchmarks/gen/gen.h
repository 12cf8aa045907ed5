/**
 * @file gen.h
 * @brief Internal model of the benchmark generator `blendsched-gen`: the
 *        instance being built (calendar, sites, rooms, instructors, programs,
 *        cohorts, learners), the planted sessions, and the functions of its
 *        stages (calendar, build, plant, decorate, write).
 *
 * The generator plants a calendar first and builds the resources around it,
 * so every instance it writes has at least one complete calendar. Times are
 * UTC minutes; the planting grid is a row of 30-minute UTC cells starting at
 * local midnight of the first horizon day in the calendar zone (every zone
 * used has an offset that is a multiple of 30 minutes, so every local HH:00
 * and HH:30 is a cell boundary).
 */
#ifndef BS_GEN_H
#define BS_GEN_H

#include "core/bs.h"
#include "model/tz.h"

#include <stdbool.h>
#include <stdint.h>

#define BS_GEN_VERSION "blendsched-gen " BS_VERSION

enum {
    GEN_SLOT = 30,        /* slot_minutes of every generated instance */
    GEN_MAX_MODULES = 40, /* module masks are 64-bit */
    GEN_NZONES = 4,
    GEN_NSITES = 4,
    GEN_NSKILLS = 12,
    GEN_NFEATURES = 6,
    GEN_NO_SITE = -1
};

/* ==== Random numbers ==== */

/** xoshiro256** seeded through splitmix64: the same seed gives the same
 *  stream on every platform, unlike rand(). */
typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

void bs__gen_rng_seed(gen_rng *r, uint64_t seed);
uint64_t bs__gen_rng_next(gen_rng *r);
/** Uniform in [0, n); n >= 1. */
int bs__gen_rng_below(gen_rng *r, int n);
/** Uniform in [lo, hi] inclusive. */
int bs__gen_rng_range(gen_rng *r, int lo, int hi);
/** True with the given probability in percent. */
bool bs__gen_rng_chance(gen_rng *r, int percent);

/* ==== Entities ==== */

/** A weekly window: weekday bit mask (bit 0 = Monday) and minutes of day. */
typedef struct gen_window {
    unsigned days;
    int from, to;
} gen_window;

/** An `unavailable` entry: whole local days [d1, d2] (day counts since
 *  1970-01-01), or the local date-time span [d1 m1, d2 m2). */
typedef struct gen_unavail {
    bool whole_days;
    int64_t d1, d2;
    int m1, m2;
} gen_unavail;

enum { GEN_MAX_UNAVAIL = 3, GEN_MAX_WINDOWS = 7 };

typedef struct gen_room {
    char id[24];
    bool is_virtual;
    int site; /* GEN_NO_SITE when virtual */
    int cluster;
    int capacity;
    unsigned features;
    int cost;
    uint64_t *busy;
    int n_unavail;
    gen_unavail unavail[GEN_MAX_UNAVAIL];
    int uses;
    bool spare;
    bool removed; /* tightness 1: unused, not written */
} gen_room;

typedef struct gen_instructor {
    char id[24];
    char name[64];
    int zone;
    int cluster;
    unsigned skills;
    unsigned sites; /* bit per site */
    /* planting windows; `explicit_avail` false means the format's default
     * (calendar workdays x day window in their zone) */
    bool explicit_avail;
    int n_win;
    gen_window win[GEN_MAX_WINDOWS];
    const uint64_t *allowed; /* cells inside a planting window (shared cache) */
    uint64_t *busy;
    int *day_minutes;  /* per horizon day */
    int *week_minutes; /* per week of the horizon (the horizon starts on a Monday) */
    int *day_site;     /* site taught in person on that day, or -1 */
    int *day_in_person;
    int cap_day, cap_week; /* planting caps */
    int max_day, max_week; /* written limits, -1: none */
    int cost;
    int n_unavail;
    gen_unavail unavail[GEN_MAX_UNAVAIL];
    int uses;
    bool spare;
    bool removed; /* tightness 1: unused, not written */
    /* written windows (hull of the plant at tightness 1) */
    bool out_explicit;
    int n_out_win;
    gen_window out_win[GEN_MAX_WINDOWS];
} gen_instructor;

typedef enum gen_model { GEN_ROTATION, GEN_FLIPPED, GEN_FLEX, GEN_ENRICHED } gen_model;

typedef struct gen_module {
    char id[32];
    char title[64];
    bool live;
    int effort;
    int duration;
    bool in_person;
    unsigned skills;
    int n_instructors;
    unsigned features;
    bool has_window;
    int wfrom, wto;
    int min_gap;
    bool optional;
    uint64_t requires; /* explicit requires as a module mask */
    /* derived (live modules): self-paced modules reached through
     * self-paced modules only, i.e. W(START, b), and the nearest live
     * predecessors (ordered edges included) */
    uint64_t sp_reach;
    uint64_t near_live;
    /* derived (self-paced modules): live modules reached through
     * self-paced modules only */
    uint64_t live_reach;
} gen_module;

typedef struct gen_program {
    char id[24];
    char name[96];
    gen_model model;
    int cadence; /* rotation; 0 otherwise */
    bool ordered;
    int n_modules;
    gen_module modules[GEN_MAX_MODULES];
    bool has_in_person;
    int sim_span; /* days from a cohort start on day 0 to its last session, earliest plan */
} gen_program;

typedef struct gen_cohort {
    char id[24];
    int program;
    int site; /* GEN_NO_SITE for virtual-only programs */
    int zone;
    bool zone_explicit;
    int cluster;
    int start, end; /* horizon day indices */
    int *learners;
    int n_learners, cap_learners;
    int size;
    int mpd; /* self_paced_minutes_per_day */
    bool mpd_explicit;
    const uint64_t *allowed;
    uint64_t *busy;
    /* post-plant decoration */
    int *instructors; /* `instructors` restriction, NULL: none */
    int n_instructors;
    int n_unavail;
    gen_unavail unavail[GEN_MAX_UNAVAIL];
    bool has_preferred;
    gen_window preferred;
    int priority;
    int min_days;
    int first_session, n_sessions; /* slice of gen.sessions */
} gen_cohort;

typedef struct gen_completed {
    int program;
    uint64_t modules;
} gen_completed;

typedef struct gen_learner {
    char id[24];
    int zone; /* effective zone */
    bool zone_explicit;
    bool hours_explicit;
    int hours_from, hours_to;
    int mpd; /* -1: the cohort's */
    int n_completed;
    gen_completed completed[2];
    int n_cohorts;
    int home_cohort; /* first cohort listing them */
    const uint64_t *allowed;
    uint64_t *busy;
    int n_unavail;
    gen_unavail unavail[GEN_MAX_UNAVAIL];
} gen_learner;

typedef struct gen_session {
    int cohort, module;
    int64_t start, end; /* UTC minutes */
    int cell, cells, day;
    int room; /* -1: none */
    int n_instructors;
    int instructors[2];
    bool pinned;
    bool pin_room;
    bool pin_instructors;
} gen_session;

/** A cached bit set of allowed cells for one (zone, windows) pattern. */
typedef struct gen_pattern {
    int zone;
    int n_win;
    gen_window win[GEN_MAX_WINDOWS];
    uint64_t *bits;
} gen_pattern;

/** A growable list of indices. */
typedef struct gen_list {
    int *items;
    int n, cap;
} gen_list;

typedef struct gen_opts {
    int cohorts;
    uint64_t seed;
    double tightness;
    bool threads_hint;
    bool virtual_rooms;
    const char *out;
    const char *planted;
} gen_opts;

typedef struct gen {
    gen_opts opts;
    gen_rng rng;
    /* calendar */
    int64_t day0; /* days since 1970-01-01 of the first horizon day */
    int n_days;
    int n_weeks;
    int64_t *day_begin; /* n_days + 1 local midnights in UTC */
    int64_t t0;         /* == day_begin[0] */
    int n_cells;
    int n_words;       /* 64-bit words per cell bit set */
    int *cell_day;     /* horizon day of each cell */
    bool *study;       /* workday and no holiday, per day */
    int *study_prefix; /* n_days + 1 running counts of study days */
    int n_holidays;
    int64_t holidays[8];
    bs_tz *tz[GEN_NZONES];
    /* entities (growable) */
    gen_room *rooms;
    int n_rooms, cap_rooms;
    gen_instructor *instructors;
    int n_instructors, cap_instructors;
    gen_program *programs;
    int n_programs;
    gen_cohort *cohorts;
    int n_cohorts;
    gen_learner *learners;
    int n_learners, cap_learners;
    gen_session *sessions;
    int n_sessions, cap_sessions;
    gen_pattern *patterns;
    int n_patterns, cap_patterns;
    /* planting indexes: instructors by skill, rooms by site (virtual last) */
    gen_list by_skill[GEN_NSKILLS];
    gen_list by_site[GEN_NSITES + 1];
    int id_width_cohort, id_width_learner, id_width_instructor;
    int n_clusters;
    bool failed; /* an allocation failed somewhere */
} gen;

/* ==== Tables ==== */
extern const char *const bs__gen_zone_names[GEN_NZONES];
extern const char *const bs__gen_site_ids[GEN_NSITES];
extern const int bs__gen_site_zone[GEN_NSITES];
extern const char *const bs__gen_skill_names[GEN_NSKILLS];
extern const char *const bs__gen_feature_names[GEN_NFEATURES];
extern const char *const bs__gen_weekday_names[7];

/* ==== Stages ==== */

/** Set up the calendar, zones and the cell grid. */
bs_rc bs__gen_calendar(gen *g, bs_err *err);
/** Generate programs, cohorts, learners and the resource pool. */
bs_rc bs__gen_build(gen *g, bs_err *err);
/** Plant every cohort's live sessions; then decorate the instance around
 *  the plant (limits, windows, spares, unavailability, pins). */
bs_rc bs__gen_plant(gen *g, bs_err *err);
/** Build the instance around the plant: cohort ends, spare or removed
 *  resources, written windows and limits, unavailability that avoids the
 *  plant, restrictions, preferences and pins; then final ids. */
bs_rc bs__gen_decorate(gen *g, bs_err *err);
/** Write the input (and the planted calendar) as JSON text into buffers. */
bs_rc bs__gen_write_input(const gen *g, bs_buf *out, bs_err *err);
bs_rc bs__gen_write_calendar(const gen *g, const char *input_sha256, bs_buf *out, bs_err *err);
void bs__gen_free(gen *g);

/* ==== Shared helpers ==== */

/** Bit set of cells allowed by the weekly windows `win` in zone `zone`,
 *  cached by pattern; NULL on allocation failure. Only cells whose local
 *  date in that zone equals their calendar date are set, so a session
 *  inside them never straddles a local midnight. */
const uint64_t *bs__gen_pattern(gen *g, int zone, const gen_window *win, int n_win);
uint64_t *bs__gen_bits_new(gen *g);
/** Cell index of UTC minute t (floor). */
int bs__gen_cell_of(const gen *g, int64_t t);
/** UTC minute of a local date (day count) and minute in zone z. */
bool bs__gen_local_to_utc(const gen *g, int zone, int64_t day, int minute, int64_t *utc);
/** Local day count and minute of a UTC instant in zone z. */
void bs__gen_utc_to_local(const gen *g, int zone, int64_t t, int64_t *day, int *minute);

/* Growable arrays: each returns the new element's index, or -1 (and sets
 * g->failed) when memory runs out. */
int bs__gen_add_room(gen *g);
/** A new instructor in zone/cluster with those skills and sites; planting
 *  windows are the format's default when default_window, else drawn. */
bs_rc bs__gen_new_instructor(gen *g, int zone, int cluster, unsigned skills, unsigned sites,
                             bool default_window, int *out);
/** A new room (virtual, or physical at site) with at least min_capacity
 *  seats and at least the given features. */
bs_rc bs__gen_new_room(gen *g, bool is_virtual, int site, int cluster, int min_capacity,
                       unsigned features, int *out);
/** Plan a cohort of program p starting on day 0 with 30 study minutes a
 *  day, each live session on the first day its rules allow; false when a
 *  required session does not fit. *span: the last session's day. This is
 *  exactly the planter's last-resort attempt, so it proves that attempt
 *  succeeds. */
bool bs__gen_program_sim(gen *g, gen_program *p, int *span);
int bs__gen_add_instructor(gen *g);
int bs__gen_add_learner(gen *g);
bool bs__gen_list_push(gen *g, gen_list *list, int v);
bool bs__gen_cohort_add_learner(gen *g, gen_cohort *c, int learner);

#endif
