/**
 * @file time_bound.c
 * @brief The time part of a cohort's lower bound: the least its sessions
 *        can cost together in price at their starts, outside-preferred
 *        penalty and rhythm, when all of them are placed in the order the
 *        rules impose.
 *
 * solver/bound.c prices each session at its own cheapest start, which
 * misses what the sessions cost one another: a rotation of seven ordered
 * sessions in four weeks cannot keep one weekday, and the cheapest start of
 * each can be outside the cohort's preferred times. Here the sessions
 * joined by real order records (`requires`, `ordered`; never the order the
 * engine assumes for unordered rotations) form chains, and a dynamic
 * programme over each chain finds the cheapest sequence of starts keeping
 * order, gaps, study days and (for a cohort that is one whole chain) the
 * rotation cadence. Rhythm is charged against a reference pattern (weekday
 * and start time) tried in turn: the earliest session sets the real one,
 * so for some pattern every session's charge is at most its real one.
 *
 * Every rule the programme keeps is a rule of FORMAT.md between the same
 * two sessions, and the rules it drops only remove calendars, so its
 * optimum is at most the time cost of any calendar that places all the
 * sessions it covers: a valid bound.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solver/formulation.h"

/* Is the module-order pair (a, a + 1) joined by a real order record? */
static bool chained(const bs_domains *d, size_t r0, size_t r1, int a)
{
    for (size_t r = r0; r < r1; r++) {
        const bs_precedence *pr = &d->prec[r];
        if (pr->before == a && pr->after == a + 1 && pr->order && !pr->assumed)
            return true;
    }
    return false;
}

/* Do all real records from a to b allow a at slot ta, b at slot tb? */
static bool pair_ok(const bs_problem *p, const bs_domains *d, size_t r0, size_t r1, int a, int ta,
                    int tb)
{
    for (size_t r = r0; r < r1; r++) {
        const bs_precedence *pr = &d->prec[r];
        if (pr->before == a && pr->after == a + 1 && !pr->assumed && !bs__prec_ok(p, d, pr, ta, tb))
            return false;
    }
    return true;
}

static int pattern_of(const bs_problem *p, int slot)
{
    const bs_slot *sl = &p->slots[slot];
    return p->days[sl->day].weekday * 1440 + sl->local_minute;
}

double bs__time_part_bound(const bs__ctx *ctx, int cohort, double *const *cost, const bool *in,
                           int *best_pattern, bool *failed)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    const bs_program *pr = &p->programs[p->cohorts[cohort].program];
    size_t s0 = d->cohort_first[cohort], n = d->cohort_first[cohort + 1] - s0;
    size_t r0 = d->prec_first[cohort], r1 = d->prec_first[cohort + 1];
    double rhythm = pr->model == BS_ROTATION ? p->weights.rhythm : 0;
    *failed = false;
    *best_pattern = -1;
    if (n == 0)
        return 0;

    /* linked[j]: session j continues the chain of j − 1 */
    bool *linked = bs_calloc(n, sizeof(bool));
    size_t *offset = bs_calloc(n + 1, sizeof(size_t));
    bool whole_chain = true;
    if (!linked || !offset) {
        free(linked);
        free(offset);
        *failed = true;
        return 0;
    }
    for (size_t j = 0; j < n; j++) {
        const bs_session *se = &d->sessions[s0 + j];
        offset[j + 1] = offset[j] + se->n_slots;
        if (j == 0)
            continue;
        bool real = chained(d, r0, r1, (int)(s0 + j - 1));
        whole_chain = whole_chain && real;
        linked[j] = real && in[j] && in[j - 1];
    }
    /* The earliest session sets the rhythm; in a whole chain with the first
     * session covered (so placed), that is the first. */
    bool force_first = whole_chain && in[0];
    size_t total = offset[n];
    double *dp = bs_calloc(total + 1, sizeof(double));
    int *lo = bs_calloc(total + 1, sizeof(int)), *hi = bs_calloc(total + 1, sizeof(int));
    int *patterns = bs_calloc(total + 1, sizeof(int)), *deque = bs_calloc(total + 1, sizeof(int));
    double best = INFINITY;
    if (!dp || !lo || !hi || !patterns || !deque) {
        *failed = true;
        goto done;
    }

    /* For each start kb of a linked session, the starts of its predecessor
     * that it allows form one range [lo, hi): every rule is monotone (an
     * earlier predecessor is never less compatible with order, gaps and
     * study days, a later one never less with the cadence). */
    for (size_t j = 1; j < n; j++) {
        if (!linked[j])
            continue;
        const bs_session *a = &d->sessions[s0 + j - 1], *b = &d->sessions[s0 + j];
        int max_days = -1;
        if (whole_chain && pr->model == BS_ROTATION)
            for (size_t k = d->cadence_first[cohort]; k < d->cadence_first[cohort + 1]; k++)
                if (d->cadence[k].before == (int)(s0 + j - 1) &&
                    d->cadence[k].after == (int)(s0 + j))
                    max_days = d->cadence[k].max_days;
        size_t up = 0, down = 0;
        for (size_t kb = 0; kb < b->n_slots; kb++) {
            while (up < a->n_slots &&
                   pair_ok(p, d, r0, r1, (int)(s0 + j - 1), a->slots[up], b->slots[kb]))
                up++;
            int day_b = p->slots[b->slots[kb]].day;
            while (max_days >= 0 && down < a->n_slots &&
                   day_b - p->slots[a->slots[down]].day > max_days)
                down++;
            lo[offset[j] + kb] = (int)down;
            hi[offset[j] + kb] = (int)(up > down ? up : down);
        }
    }

    /* Reference patterns to try: the first session's when it sets the
     * rhythm, else every pattern of a covered session. */
    size_t n_patterns = 0;
    if (rhythm > 0) {
        for (size_t j = 0; j < n; j++) {
            if (!in[j] || (force_first && j > 0))
                continue;
            const bs_session *se = &d->sessions[s0 + j];
            for (size_t k = 0; k < se->n_slots; k++)
                if (cost[j][k] < INFINITY)
                    patterns[n_patterns++] = pattern_of(p, se->slots[k]);
        }
        qsort(patterns, n_patterns, sizeof(int), bs__cmp_int);
        size_t u = 0;
        for (size_t k = 0; k < n_patterns; k++)
            if (u == 0 || patterns[u - 1] != patterns[k])
                patterns[u++] = patterns[k];
        n_patterns = u;
    }
    if (n_patterns == 0)
        patterns[n_patterns++] = -1; /* no rhythm: one pass */

    for (size_t q = 0; q < n_patterns; q++) {
        int ref = patterns[q];
        double sum = 0;
        for (size_t j = 0; j < n && sum < best; j++) {
            if (!in[j])
                continue;
            const bs_session *se = &d->sessions[s0 + j];
            double *row = &dp[offset[j]];
            const double *prev = linked[j] ? &dp[offset[j - 1]] : NULL;
            size_t head = 0, tail = 0, next = 0; /* deque of predecessor starts */
            for (size_t k = 0; k < se->n_slots; k++) {
                double c = cost[j][k];
                bool match = ref < 0 || pattern_of(p, se->slots[k]) == ref;
                if (j == 0 && force_first)
                    c = match ? c : INFINITY;
                else if (!match)
                    c += rhythm;
                if (prev != NULL) {
                    /* the least prev[] over [lo, hi): a sliding window whose
                     * ends only move right */
                    size_t l = (size_t)lo[offset[j] + k], h = (size_t)hi[offset[j] + k];
                    for (; next < h; next++) {
                        while (tail > head && prev[deque[tail - 1]] >= prev[next])
                            tail--;
                        deque[tail++] = (int)next;
                    }
                    while (tail > head && (size_t)deque[head] < l)
                        head++;
                    c = tail > head ? c + prev[deque[head]] : INFINITY;
                }
                row[k] = c;
            }
            if (j + 1 < n && linked[j + 1])
                continue;
            double least = INFINITY;
            for (size_t k = 0; k < se->n_slots; k++)
                if (row[k] < least)
                    least = row[k];
            sum += least;
        }
        if (sum < best) {
            best = sum;
            *best_pattern = ref;
        }
    }

done:
    free(linked);
    free(offset);
    free(dp);
    free(lo);
    free(hi);
    free(patterns);
    free(deque);
    return best;
}
