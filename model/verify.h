/**
 * @file verify.h
 * @brief The independent checker of calendars: every violation of the hard
 *        rules 1-7 of FORMAT.md (and of the input's pins) by a calendar,
 *        computed from the problem's raw entities, never from the solver's
 *        domains or formulation.
 */
#ifndef BS_MODEL_VERIFY_H
#define BS_MODEL_VERIFY_H

#include "model/solution.h"

/** Kinds of violation beyond the numbered rules 1-7 of FORMAT.md. */
enum {
    BS_RULE_PIN = 8,      /**< a placed session differs from its pin (`fixed`) */
    BS_RULE_OBJECTIVE = 9, /**< the recorded objective differs from the recomputed one */
    BS_RULE_CHANGE = 10    /**< change marks, counts, --now or --max-changes (model/baseline.h) */
};

/** At most this many violations are kept; the rest are only counted. */
#define BS_MAX_VIOLATIONS 10000

/** One broken rule. */
typedef struct bs_violation {
    int rule;        /**< 1..7, BS_RULE_PIN or BS_RULE_OBJECTIVE */
    char *message;   /**< one line, no trailing newline */
    bs_ids sessions; /**< the sessions involved: indices into the solution's items */
} bs_violation;

typedef struct bs_violations {
    bs_violation *items; /**< in rule order, then in the order found */
    size_t count, cap;
    size_t dropped; /**< violations found beyond BS_MAX_VIOLATIONS */
} bs_violations;

/** Free every violation; accepts a zeroed or NULL list; leaves it zeroed. */
void bs_violations_free(bs_violations *v);

/** Label of a rule for people: "rule 1" .. "rule 7", "pin", "objective", "change";
 *  "unknown" for anything else. Never NULL. */
const char *bs_rule_label(int rule);

/** Append one violation (printf-style message) naming `n` sessions (indices
 *  into the solution's items; copied). Past BS_MAX_VIOLATIONS only counts.
 *  @return BS_OK or BS_ENOMEM (the list is left as it was). */
bs_rc bs_violations_add(bs_violations *v, int rule, const int *sessions, size_t n, const char *fmt,
                        ...) __attribute__((format(printf, 5, 6)));

/** Check calendar s against every hard rule of FORMAT.md (1-7) and against
 *  the pins of p, following the spec's "Readings that make the rules exact".
 *  Only placed sessions are checked; an unplaced session breaks no rule
 *  (rules 6 and 7 toward it hold vacuously).
 *
 *  @param p (in) the loaded problem
 *  @param s (in) a calendar of p (as read by io/calendar_read.h)
 *  @param out (out) the violations found (empty when the calendar keeps
 *             every rule); written on success, to be freed with
 *             bs_violations_free
 *  @return BS_OK; BS_EINVAL when s refers to entities p does not have;
 *          BS_ENOMEM.
 *  Thread-safe: reads p and s only. */
bs_rc bs_verify(const bs_problem *p, const bs_solution *s, bs_violations *out);

#endif
