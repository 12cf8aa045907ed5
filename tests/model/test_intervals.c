/**
 * @file test_intervals.c
 * @brief Criterion units of the time lookups of model/problem.c that the
 *        candidate generation asks millions of times: interval lists
 *        searched by bisection (bs_intervals_index, _contain, _overlap)
 *        and the day of an instant (bs_problem_day_of), each against a
 *        brute-force reference on lists that nest, overlap and repeat.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "model/problem.h"

static unsigned long long rng_state;

static long rnd(long n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (long)((rng_state >> 33) % (unsigned long long)n);
}

static bool contain_ref(const bs_intervals *l, bs_time from, bs_time to)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].from <= from && l->items[i].to >= to)
            return true;
    return false;
}

static bool overlap_ref(const bs_intervals *l, bs_time from, bs_time to)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i].from < to && l->items[i].to > from)
            return true;
    return false;
}

/* A list of n intervals: mostly short windows, some long ones that span
 * many of them (an unavailable week), some repeated. */
static bs_intervals random_list(size_t n)
{
    bs_intervals l = {calloc(n + 1, sizeof(bs_interval)), n, 0};
    for (size_t i = 0; i < n; i++) {
        bs_time from = rnd(20000);
        bs_time len = rnd(10) == 0 ? 1 + rnd(5000) : 1 + rnd(300);
        l.items[i] = (bs_interval){from, from + len};
        if (i > 0 && rnd(8) == 0)
            l.items[i] = l.items[i - 1];
    }
    return l;
}

Test(intervals, indexed_lookups_equal_a_full_scan)
{
    rng_state = 7;
    for (int round = 0; round < 300; round++) {
        bs_intervals l = random_list((size_t)rnd(60));
        bs_intervals_index(&l);
        for (size_t i = 1; i < l.count; i++)
            cr_assert(l.items[i - 1].from <= l.items[i].from, "sorted by from");
        for (int q = 0; q < 400; q++) {
            bs_time from = rnd(26000) - 1000, to = from + 1 + rnd(rnd(4) == 0 ? 6000 : 200);
            cr_assert_eq(bs_intervals_contain(&l, from, to), contain_ref(&l, from, to),
                         "contain [%lld, %lld) round %d", (long long)from, (long long)to, round);
            cr_assert_eq(bs_intervals_overlap(&l, from, to), overlap_ref(&l, from, to),
                         "overlap [%lld, %lld) round %d", (long long)from, (long long)to, round);
        }
        free(l.items);
    }
}

Test(intervals, a_nested_interval_does_not_hide_the_one_around_it)
{
    /* [0, 1000) holds [500, 520); a query inside the first but ending past
     * the second must still find the first, though the second starts later */
    bs_interval items[] = {{0, 1000}, {500, 520}, {600, 610}};
    bs_intervals l = {items, 3, 0};
    bs_intervals_index(&l);
    cr_assert_eq(l.longest, 1000);
    cr_assert(bs_intervals_contain(&l, 505, 900));
    cr_assert(bs_intervals_overlap(&l, 990, 2000));
    cr_assert_not(bs_intervals_contain(&l, 505, 1001));
    cr_assert_not(bs_intervals_overlap(&l, 1000, 2000));
}

Test(intervals, an_unindexed_list_is_scanned)
{
    bs_interval items[] = {{0, 1000}, {500, 520}};
    bs_intervals l = {items, 2, 0}; /* longest unknown */
    cr_assert(bs_intervals_contain(&l, 505, 900));
    cr_assert(bs_intervals_overlap(&l, 900, 950));
    cr_assert_not(bs_intervals_contain(&l, 1000, 1001));
}

Test(intervals, empty_lists)
{
    bs_intervals l = {NULL, 0, 0};
    bs_intervals_index(&l);
    cr_assert_not(bs_intervals_contain(&l, 0, 1));
    cr_assert_not(bs_intervals_overlap(&l, 0, 1));
}

/* Days of 23, 24 and 25 hours (time-zone changes), a year and more. */
Test(intervals, day_of_equals_the_last_midnight_before)
{
    enum { N = 400 };
    bs_day days[N];
    bs_time t = 1000000;
    rng_state = 11;
    for (int k = 0; k < N; k++) {
        days[k] = (bs_day){.begin = t};
        long r = rnd(30);
        t += 24 * 60 + (r == 0 ? -60 : r == 1 ? 60 : 0);
    }
    bs_problem p = {.days = days, .n_days = N};
    cr_assert_eq(bs_problem_day_of(&p, days[0].begin - 1), -1);
    for (int q = 0; q < 20000; q++) {
        bs_time x = days[0].begin + rnd((long)(t - days[0].begin) + 3000);
        int want = -1;
        for (int k = 0; k < N; k++)
            if (days[k].begin <= x)
                want = k;
        if (want == N - 1 && x >= days[N - 1].begin + 25 * 60)
            want = -1;
        cr_assert_eq(bs_problem_day_of(&p, x), want, "t = %lld", (long long)x);
    }
}
