/**
 * @file baseline.h
 * @brief Re-planning against a published calendar: the baseline placement
 *        of every live session (matched by cohort and module id), the
 *        change marks of a new calendar against it, sessions frozen by
 *        `--now`, and the checks `verify` makes of marks, freezing and the
 *        change budget.
 *
 * A baseline is read by ids (io/compare_write.h, bs_flat_read_calendar_*)
 * and matched here to a problem that may have lost rooms, instructors,
 * cohorts or modules since: what the input no longer has is remembered as
 * gone, never resolved to an index.
 */
#ifndef BS_MODEL_BASELINE_H
#define BS_MODEL_BASELINE_H

#include "model/compare.h"
#include "model/solution.h"
#include "model/verify.h"

/** Room of a baseline session that the input no longer has. */
#define BS_ROOM_GONE (-2)

/** The baseline placement of one live session of the problem. */
typedef struct bs_baseline_item {
    bool listed;          /**< the session is in the baseline calendar */
    bs_time start, end;   /**< UTC minutes */
    int room;             /**< -1 none, BS_ROOM_GONE a room the input no longer has */
    bs_ids instructors;   /**< the instructors the input still has, ascending */
    bool instructor_gone; /**< it named an instructor the input no longer has */
    char gone[72];        /**< the first room or instructor id gone ("" when none) */
    bool frozen;          /**< starts before --now: kept exactly as it was */
} bs_baseline_item;

typedef struct bs_baseline {
    bs_baseline_item *items; /**< one per live session, in bs_solution item order */
    size_t count;
    size_t n_listed;  /**< baseline sessions matched to a live session of the input */
    size_t n_ignored; /**< baseline sessions whose cohort or live module is gone */
} bs_baseline;

/** Match the sessions of a baseline calendar (by ids) to problem p.
 *  @param out (out) written on success; free with bs_baseline_destroy
 *  @return BS_OK or BS_ENOMEM. Thread-safe. */
bs_rc bs_baseline_create(const bs_problem *p, const bs_flat_calendar *cal, bs_baseline **out);
void bs_baseline_destroy(bs_baseline **pb);

/** The change of a placement of session `session` (start, room, team of n
 *  instructors in any order) against the baseline: NEW when the baseline
 *  does not list the session, MOVED when the start differs, REASSIGNED when
 *  only the room or the instructors differ (a gone room or instructor
 *  always differs), NONE otherwise. Thread-safe. */
bs_change bs_baseline_change_of(const bs_baseline *b, size_t session, bs_time start, int room,
                                const int *team, size_t n);

/** Set the `change` mark of every assignment of s against b (NONE for
 *  unplaced ones) and s->has_baseline. */
void bs_baseline_mark(const bs_baseline *b, bs_solution *s);

/** Freeze the baseline sessions that start before `now`: each becomes a
 *  pin of its start, room and instructors (replacing an input pin of the
 *  same session), marked `frozen`; one that names a room or instructor the
 *  input no longer has gets a `broken` pin (PIN_BROKEN). Sets p->has_now:
 *  no other session may start before `now`.
 *  @return BS_OK or BS_ENOMEM (p is then unchanged but for pins already
 *          replaced). Call before the domains are built. */
bs_rc bs_baseline_freeze(bs_problem *p, bs_baseline *b, bs_time now);

/** The checks of a calendar against its baseline, added to out as
 *  BS_RULE_CHANGE violations: every placed session's `change` mark is the
 *  one b gives; no session that is not frozen starts before p->now (when
 *  p->has_now); moved plus reassigned sessions at most max_changes (when
 *  max_changes >= 0). Frozen sessions keep their pins (bs_verify checks
 *  pins). @return BS_OK or BS_ENOMEM. */
bs_rc bs_baseline_verify(const bs_problem *p, const bs_baseline *b, const bs_solution *s,
                         long max_changes, bs_violations *out);

/** Label of a change mark as the calendar writes it: "null", "moved",
 *  "reassigned", "new". */
const char *bs_change_name(bs_change c);

#endif
