/**
 * @file domain.h
 * @brief The live sessions to place and their static candidate domains:
 *        the start slots, rooms and instructors that the rules allow for each
 *        session with every other cohort absent, the precedence relations
 *        between a cohort's sessions (order, gaps, cadence, study days), and,
 *        for a session whose domain is empty, the rule that emptied it.
 *
 * Built once from an immutable problem; read-only afterwards, so solver
 * threads share it.
 */
#ifndef BS_MODEL_DOMAIN_H
#define BS_MODEL_DOMAIN_H

#include "model/problem.h"

/** Why a session cannot be placed even alone (FORMAT.md reasons). */
typedef enum bs_reason {
    BS_REASON_NONE = 0,
    BS_REASON_NO_QUALIFIED_INSTRUCTOR,
    BS_REASON_NO_SUITABLE_ROOM,
    BS_REASON_NO_FEASIBLE_TIME,
    BS_REASON_RESOURCES_BUSY,
    BS_REASON_SOLVER_LIMIT,
    BS_REASON_PIN_BROKEN
} bs_reason;

const char *bs_reason_name(bs_reason r);

/** A must-come-after relation between two sessions of one cohort:
 *  `after` may start only at or after `before` ends (when `order`), at least
 *  `min_gap_days` dates later, with at least `study_days` study days from the
 *  date `before` ends to the day before `after` starts. Both placed, else
 *  it holds vacuously. */
typedef struct bs_precedence {
    int before, after; /**< session indices */
    bool order;
    int min_gap_days;
    int study_days;
    /** An order-only record implied by two others through the live session
     *  `via` (a before via, via before after) whenever via is placed; -1
     *  when none. Solvers may leave it out and check it afterwards. */
    int via;
    /** The order the engine itself assumes between consecutive sessions of
     *  an unordered rotation program (a restriction it keeps, not a rule of
     *  FORMAT.md): lower bounds must not rely on it. */
    bool assumed;
} bs_precedence;

typedef struct bs_session {
    int cohort, module;
    int duration;
    bool in_person, optional;
    int n_instructors;  /**< how many teach it together */
    bs_ids instructors; /**< qualified and allowed, ascending */
    bs_ids rooms;       /**< suitable rooms, ascending; empty with needs_room false */
    bool needs_room;
    int *slots; /**< start slots passing the static rules, ascending */
    size_t n_slots;
    bs_reason reason; /**< NONE unless the domain is empty */
    char *message;    /**< what emptied it (NULL when not empty) */
    int pin;          /**< index into problem->pins, -1 */
} bs_session;

typedef struct bs_domains {
    bs_session *sessions; /**< cohort order, then module order (as bs_solution) */
    size_t n_sessions;
    size_t *cohort_first; /**< sessions of cohort c: [cohort_first[c], cohort_first[c+1]) */
    bs_precedence *prec;
    size_t n_prec;
    size_t *prec_first; /**< records of cohort c: [prec_first[c], prec_first[c+1]) */
    /** rotation cadence: every pair (before, after) of a rotation cohort's
     *  sessions in module order; it binds when the sessions listed between
     *  them (session indices before+1 .. after-1) are all unplaced */
    struct bs_cadence {
        int before, after, max_days;
    } *cadence;
    size_t n_cadence;
    size_t *cadence_first; /**< cadence records of cohort c, as prec_first */
    bs_time *day_end; /**< midnight after each day (UTC), n_days entries */
} bs_domains;

bs_rc bs_domains_build(const bs_problem *p, bs_domains **out, bs_err *err);
void bs_domains_destroy(bs_domains **pd);

/** True when instructor i may teach [from, to): inside one available window
 *  and overlapping no unavailable interval. */
bool bs_instructor_free_at(const bs_instructor *in, bs_time from, bs_time to);
/** True when room r is not unavailable during [from, to). */
bool bs_room_free_at(const bs_room *r, bs_time from, bs_time to);

/** Walk `requires` (plus the implicit `ordered` edge of live modules) from
 *  module `from` through self-paced modules only: marks in sp the self-paced
 *  modules reached and in live (may be NULL) the live modules where such
 *  paths end. The caller clears both arrays (n_modules entries). */
void bs_module_reach_selfpaced(const bs_program *pr, int from, bool *sp, bool *live);

/** Required study days for `minutes` of effort at `per_day` minutes a day;
 *  INT32_MAX when the work can never be done. */
int bs_study_days_needed(int minutes, int per_day);

#endif
