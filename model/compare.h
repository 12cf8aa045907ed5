/**
 * @file compare.h
 * @brief The figures of `compare` and `diff`: per solved calendar, sessions
 *        placed and unplaced by reason, the objective's terms, instructor
 *        and room utilisation and cost; between two calendars, the sessions
 *        added, removed, moved and reassigned and the learners affected.
 *
 * Pure computation on a bs_problem, bs_solution and bs_report (or on two
 * calendars flattened to ids and UTC times); nothing here reads files.
 */
#ifndef BS_MODEL_COMPARE_H
#define BS_MODEL_COMPARE_H

#include "model/report.h"
#include "model/solution.h"

/** Number of unplaced reasons (bs_reason values 1 .. BS_N_REASONS). */
#define BS_N_REASONS 6

/** Use of one instructor or room over the horizon. */
typedef struct bs_usage {
    int64_t used_minutes;      /**< taught (instructor) or booked (room) */
    int64_t available_minutes; /**< bookable time, see bs_figures_compute */
} bs_usage;

/** The figures of one solved calendar. */
typedef struct bs_figures {
    size_t live;                        /**< live sessions of the problem (assignments) */
    size_t placed;                      /**< placed, optional ones included */
    size_t unplaced;                    /**< required sessions left unplaced (conflict report) */
    size_t skipped;                     /**< optional sessions left out */
    size_t by_reason[BS_N_REASONS + 1]; /**< unplaced per bs_reason (index 0 unused) */
    bs_objective objective;             /**< the calendar's weighted terms and total */
    double cost; /**< unweighted: sum over placed sessions of (room + instructors)
                      cost_per_hour x duration / 60 */
    bs_usage instructors_total, rooms_total;
    bs_usage *instructors; /**< one per problem instructor, input order */
    size_t n_instructors;
    bs_usage *rooms; /**< one per problem room, input order */
    size_t n_rooms;
} bs_figures;

/** Compute the figures of calendar s (with report r) of problem p.
 *
 *  Utilisation: the study days are the horizon's workdays that are no
 *  holiday, each the span from midnight to midnight in the calendar's zone.
 *  An instructor's available minutes are the union of their `available`
 *  windows inside the study days, less their `unavailable` intervals; a
 *  room's are the calendar's day window (`day_start`..`day_end`, calendar
 *  zone) of each study day, less its `unavailable` intervals. Used minutes
 *  are the durations of the placed sessions they teach or hold.
 *
 *  @param out (out) written on success; free with bs_figures_free
 *  @return BS_OK, BS_EINVAL (s or r refer to what p does not have),
 *          BS_ENOMEM. Thread-safe: reads p, s, r only. */
bs_rc bs_figures_compute(const bs_problem *p, const bs_solution *s, const bs_report *r,
                         bs_figures *out);
void bs_figures_free(bs_figures *f);

/* ==== Calendars as ids and times, and their differences ==== */

/** One placed session by ids: what two calendars are compared on. */
typedef struct bs_flat_session {
    char *cohort, *module;
    bs_time start, end;          /**< UTC minutes */
    char *start_text, *end_text; /**< as the calendar writes them (RFC 3339) */
    char *room;                  /**< NULL for none */
    char **instructors;          /**< ids, sorted by strcmp */
    size_t n_instructors;
} bs_flat_session;

/** The placed sessions of a calendar, sorted by (cohort id, module id),
 *  each pair at most once. */
typedef struct bs_flat_calendar {
    bs_flat_session *items;
    size_t count, cap;
} bs_flat_calendar;

bs_rc bs_flat_create(bs_flat_calendar **out);
void bs_flat_destroy(bs_flat_calendar **pc);
/** Append a session (copies every string; instructors in any order).
 *  Call bs_flat_finish once all are added. */
bs_rc bs_flat_add(bs_flat_calendar *c, const char *cohort, const char *module, bs_time start,
                  bs_time end, const char *start_text, const char *end_text, const char *room,
                  const char *const *instructors, size_t n_instructors);
/** Sort by (cohort, module). @return BS_OK, or BS_EINVAL when a pair is
 *  listed twice (*dup_index is then the index of the second, sorted). */
bs_rc bs_flat_finish(bs_flat_calendar *c, size_t *dup_index);
/** The placed sessions of solution s of problem p. */
bs_rc bs_flat_from_solution(const bs_problem *p, const bs_solution *s, bs_flat_calendar **out);

typedef enum bs_diff_kind {
    BS_DIFF_ADDED,     /**< placed in B only */
    BS_DIFF_REMOVED,   /**< placed in A only */
    BS_DIFF_MOVED,     /**< placed in both, start differs */
    BS_DIFF_REASSIGNED /**< same start; room or instructors differ */
} bs_diff_kind;

const char *bs_diff_kind_name(bs_diff_kind k);

typedef struct bs_diff_entry {
    bs_diff_kind kind;
    const bs_flat_session *a, *b; /**< views into A and B; NULL where absent */
} bs_diff_entry;

/** The differences from calendar A to calendar B, sessions matched by
 *  (cohort id, module id); entries sorted by cohort id, then module id. A
 *  moved session is not also counted as reassigned (as a calendar's
 *  `change` marks one or the other). */
typedef struct bs_diff {
    bs_diff_entry *items;
    size_t count;
    size_t added, removed, moved, reassigned, unchanged;
} bs_diff;

/** @return BS_OK, BS_ENOMEM. The entries point into a and b: keep both. */
bs_rc bs_diff_compute(const bs_flat_calendar *a, const bs_flat_calendar *b, bs_diff **out);
void bs_diff_destroy(bs_diff **pd);

/** Learners affected by d (A of problem pa, B of problem pb): the distinct
 *  learner ids of the cohorts of every added session (in pb), removed
 *  session (in pa) and moved session (both); a cohort that lists no
 *  learners counts as one learner of its own, as FORMAT.md counts it for
 *  `isolated`. Reassigned sessions do not count.
 *  @param learners (out) that count
 *  @param cohorts (out, may be NULL) distinct cohorts with such a session
 *  @return BS_OK, BS_ENOMEM. */
bs_rc bs_diff_learners_affected(const bs_diff *d, const bs_problem *pa, const bs_problem *pb,
                                size_t *learners, size_t *cohorts);

#endif
