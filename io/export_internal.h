/**
 * @file export_internal.h
 * @brief Helpers shared by the export writers (io/export_*.c): UTF-8
 *        checking, display labels, wall-clock times of UTC instants and
 *        the placed sessions in the calendar's order.
 */
#ifndef BS_IO_EXPORT_INTERNAL_H
#define BS_IO_EXPORT_INTERNAL_H

#include "io/export.h"

/** Length (1..4) of the well-formed UTF-8 sequence at s, or 0 when the
 *  bytes there are not one (overlong forms and surrogates included). */
size_t bs__utf8_len(const unsigned char *s);

/** "Name (id)" when the entity has a name, else "id", into buf. */
const char *bs__label(const char *name, const char *id, char *buf, size_t size);

/** A UTC instant as wall-clock time in some zone. */
typedef struct bs__wall {
    int64_t days;                   /**< local date as days since 1970-01-01 */
    int year, month, mday, weekday; /**< weekday BS_MON..BS_SUN */
    int minute;                     /**< minute of day */
    int offset;                     /**< UTC offset in minutes at that instant */
} bs__wall;

void bs__wall_of(const bs_tz *tz, bs_time t, bs__wall *out);

/** The module of assignment a. */
const bs_module *bs__module_of(const bs_problem *p, int cohort, int module);

/** Indices of the placed assignments of s, sorted as the calendar sorts
 *  sessions (start, cohort id, module id). *n may be 0 (then *out is NULL).
 *  @return BS_OK or BS_ENOMEM. */
bs_rc bs__placed_in_order(const bs_problem *p, const bs_solution *s, size_t **out, size_t *n);

/** Per assignment of s: its conflict in r (or NULL) and whether r lists it
 *  as skipped. r may be NULL (then every entry is NULL / false).
 *  @param conflict (out) s->count entries; free()
 *  @param skipped (out) s->count entries; free()
 *  @return BS_OK or BS_ENOMEM (nothing allocated). */
bs_rc bs__outcomes(const bs_solution *s, const bs_report *r, const bs_conflict ***conflict,
                   bool **skipped);

/** Lists of positions in a session order, one per entity: entity e owns
 *  items[first[e] .. first[e + 1]) (ascending). */
typedef struct bs__lists {
    size_t *first, *items;
} bs__lists;

/** The sessions of every entity of one kind, as positions in `order` (the
 *  placed assignments of s in the calendar's order): per instructor
 *  teaching, per room, per cohort; BS_ICS_LEARNER gives per-cohort lists
 *  too (a learner's sessions are their cohorts'). One pass over `order`.
 *  @return BS_OK or BS_ENOMEM (l cleared). */
bs_rc bs__entity_sessions(const bs_problem *p, const bs_solution *s, const size_t *order,
                          size_t n_order, bs_ics_kind kind, bs__lists *l);
void bs__lists_free(bs__lists *l);

/** Short words for the weekday BS_MON..BS_SUN ("Mon") and month 1..12. */
extern const char *const bs__wday_abbr[7];
extern const char *const bs__month_abbr[13];

#endif
