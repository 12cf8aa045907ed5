/**
 * @file candidates.c
 * @brief The candidate placements of a sub-MIP's sessions: for each start
 *        of a session's static domain, the rooms and instructor teams the
 *        occupancy leaves free, ranked by price (and the current placement
 *        first), at most a few per start, then thinned to the column budget
 *        spread over the session's days; and the rhythm reference pattern
 *        that prices a rotation cohort's columns. solver/submip.c builds
 *        and solves the MIP over them.
 */
#include "solver/candidates.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEAMS_PER_SLOT 2
#define MAX_ROOMS_PER_SLOT 2
/* Solved alone (does the session fit at all?): a few more rooms and teams
 * per slot than usual, since minute limits and sites can rule some out. */
#define ALONE_ROOMS_PER_SLOT 4
#define ALONE_TEAMS_PER_SLOT 8

static bool push_col(bs__colgen *g, const column *c)
{
    if (g->n_cols == g->cap_cols) {
        size_t cap = g->cap_cols ? 2 * g->cap_cols : 1024;
        column *n = bs_reallocarray(g->cols, cap, sizeof *n);
        if (n == NULL)
            return false;
        g->cols = n;
        g->cap_cols = cap;
    }
    g->cols[g->n_cols++] = *c;
    return true;
}

static bool instructor_usable(const bs__colgen *g, const bs_session *s, int i, const bs_slot *sl)
{
    const bs_problem *p = g->ctx->p;
    const bs__occ *o = g->occ;
    const bs_instructor *in = &p->instructors[i];
    bs_time t = sl->start, e = t + s->duration;
    if (!bs_instructor_free_at(in, t, e))
        return false;
    if (bs__occ_holder(o, bs__res_instructor(o, i), t, e) >= 0)
        return false;
    size_t di = (size_t)i * o->n_days + (size_t)sl->day;
    if (in->max_minutes_per_day >= 0 && o->minutes_day[di] + s->duration > in->max_minutes_per_day)
        return false;
    size_t wi = (size_t)i * o->n_weeks + (size_t)o->week_of_day[sl->day];
    if (in->max_minutes_per_week >= 0 &&
        o->minutes_week[wi] + s->duration > in->max_minutes_per_week)
        return false;
    if (s->in_person && o->site_count[di] > 0 && o->site_of[di] != p->cohorts[s->cohort].site)
        return false;
    return true;
}

static int pattern_of(const bs_problem *p, int slot)
{
    return p->days[p->slots[slot].day].weekday * 1440 + p->slots[slot].local_minute;
}

/* The column's share of the objective: preferred window, cost, capacity
 * overflow, and rhythm against the cohort's reference pattern (rotation):
 * with the pattern fixed, rhythm is a plain column cost, which keeps the LP
 * relaxation as tight as the rest. */
static double column_cost(const bs__colgen *g, const bs_session *s, int slot, int room,
                          const int *team, int n_team)
{
    const bs_problem *p = g->ctx->p;
    const bs_cohort *c = &p->cohorts[s->cohort];
    const bs_weights *w = &p->weights;
    bs_time t = p->slots[slot].start, e = t + s->duration;
    double cost = 0;
    if (c->has_preferred && !bs_intervals_contain(&c->preferred, t, e))
        cost += w->outside_preferred;
    double per_hour = room >= 0 ? p->rooms[room].cost_per_hour : 0;
    for (int k = 0; k < n_team; k++)
        per_hour += p->instructors[team[k]].cost_per_hour;
    cost += w->cost * per_hour * s->duration / 60.0;
    if (w->has_over_capacity && room >= 0 && p->rooms[room].capacity < c->size)
        cost += w->over_capacity * (c->size - p->rooms[room].capacity);
    /* The real reference is the earliest session's pattern, which is the
     * first session's (the engine keeps a rotation in module order): off
     * the reference, the first session would put every other session off
     * rhythm, so it pays for all of them. The column costs are then exact
     * when the first session keeps the reference and never below the real
     * rhythm otherwise. */
    int ref = g->rhythm_ref[s->cohort];
    if (ref >= 0 && pattern_of(p, slot) != ref) {
        const bs_domains *d = g->ctx->d;
        size_t s0 = d->cohort_first[s->cohort], n = d->cohort_first[s->cohort + 1] - s0;
        bool first = (size_t)(s - d->sessions) == s0;
        cost += first && n > 1 ? w->rhythm * (double)(n - 1) : w->rhythm;
    }
    cost += bs__change_cost(g->ctx, (int)(s - g->ctx->d->sessions), t, room, team, n_team);
    return cost;
}

/* Starts sampled per session for the cover: evenly spread over its
 * domain, enough to tell a mostly free resource from a mostly taken one. */
#define COVER_SAMPLES 24

void bs__colgen_free(bs__colgen *g)
{
    free(g->cols);
    free(g->room_cover);
    free(g->instr_cover);
    free(g->room_suits);
    free(g->instr_suits);
    g->cols = NULL;
    g->room_cover = g->instr_cover = g->room_suits = g->instr_suits = NULL;
    g->profile_cohort = 0;
}

/* For every room and instructor, how many of the cohort's sessions it
 * suits and at how many sampled starts of those the occupancy leaves it
 * usable (its cover). Once the calendar fills up, the rooms and
 * instructors that suit a cohort are free at scattered times; with input
 * order as the last key of the preference order, the first free ones
 * differed from start to start, so that the last construction sub-MIPs at
 * 1,000 cohorts offered 32 distinct rooms and 17 instructors (13 and 10 at
 * 300), with a weaker LP for room and instructor changes and more nodes.
 * With cover before input order, the same few mostly free ones come first
 * at every start. Once per cohort, not per session: with hundreds of rooms
 * and instructors qualified, per-session counts were a tenth of the run. */
static bs_rc cohort_profile(bs__colgen *g, int cohort)
{
    if (g->profile_cohort == cohort + 1)
        return BS_OK;
    const bs_problem *p = g->ctx->p;
    const bs_domains *d = g->ctx->d;
    const bs__occ *o = g->occ;
    if (g->room_cover == NULL) {
        g->room_cover = bs_calloc(p->n_rooms + 1, sizeof(int));
        g->instr_cover = bs_calloc(p->n_instructors + 1, sizeof(int));
        g->room_suits = bs_calloc(p->n_rooms + 1, sizeof(int));
        g->instr_suits = bs_calloc(p->n_instructors + 1, sizeof(int));
        if (!g->room_cover || !g->instr_cover || !g->room_suits || !g->instr_suits)
            return BS_ENOMEM;
    }
    memset(g->room_cover, 0, (p->n_rooms + 1) * sizeof(int));
    memset(g->instr_cover, 0, (p->n_instructors + 1) * sizeof(int));
    memset(g->room_suits, 0, (p->n_rooms + 1) * sizeof(int));
    memset(g->instr_suits, 0, (p->n_instructors + 1) * sizeof(int));
    for (size_t si = d->cohort_first[cohort]; si < d->cohort_first[cohort + 1]; si++) {
        const bs_session *s = &d->sessions[si];
        for (size_t r = 0; r < s->rooms.count; r++)
            g->room_suits[s->rooms.items[r]]++;
        for (size_t q = 0; q < s->instructors.count; q++)
            g->instr_suits[s->instructors.items[q]]++;
        size_t step = (s->n_slots + COVER_SAMPLES - 1) / COVER_SAMPLES;
        for (size_t k = step / 2; step > 0 && k < s->n_slots; k += step) {
            const bs_slot *sl = &p->slots[s->slots[k]];
            bs_time t = sl->start, e = t + s->duration;
            for (size_t r = 0; r < s->rooms.count; r++) {
                int room = s->rooms.items[r];
                g->room_cover[room] += bs_room_free_at(&p->rooms[room], t, e) &&
                                       bs__occ_holder(o, bs__res_room(o, room), t, e) < 0;
            }
            for (size_t q = 0; q < s->instructors.count; q++)
                g->instr_cover[s->instructors.items[q]] +=
                    instructor_usable(g, s, s->instructors.items[q], sl);
        }
    }
    g->profile_cohort = cohort + 1;
    return BS_OK;
}

/* Preference order of a session's rooms or instructors: those the cohort
 * uses now first (so the current calendar stays representable), then those
 * suitable for most of the cohort's sessions (so one room and one team can
 * serve them all), then the cheaper, then those free most often where the
 * cohort could meet (cohort_profile), then the input order. */
typedef struct ranked {
    int id, used, cover, suits;
    double cost;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->used != y->used)
        return y->used - x->used;
    if (x->suits != y->suits)
        return y->suits - x->suits;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    if (x->cover != y->cover)
        return y->cover - x->cover;
    return x->id - y->id;
}

/* Cheaper first, then as cmp_ranked. */
static int cmp_ranked_price(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    return cmp_ranked(a, b);
}

/* A session's rooms (or instructors) in preference order (*pref) and in
 * price order (*cheap). */
static bs_rc rank_resources(bs__colgen *g, const bs_session *s, bool rooms, int **pref,
                            int **cheap)
{
    BS_TRY(cohort_profile(g, s->cohort));
    const int *cover = rooms ? g->room_cover : g->instr_cover;
    const int *suits = rooms ? g->room_suits : g->instr_suits;
    const bs_domains *d = g->ctx->d;
    const bs_problem *p = g->ctx->p;
    const bs_ids *list = rooms ? &s->rooms : &s->instructors;
    ranked *r = bs_calloc(list->count, sizeof *r);
    *pref = bs_calloc(list->count, sizeof(int));
    *cheap = bs_calloc(list->count, sizeof(int));
    if (!r || !*pref || !*cheap) {
        free(r);
        return BS_ENOMEM;
    }
    size_t s0 = d->cohort_first[s->cohort], s1 = d->cohort_first[s->cohort + 1];
    const bs_baseline *base = g->ctx->o->baseline;
    for (size_t k = 0; k < list->count; k++) {
        int id = list->items[k];
        r[k].id = id;
        r[k].cover = cover[id];
        r[k].suits = suits[id];
        r[k].cost = rooms ? p->rooms[id].cost_per_hour * 1e6 + p->rooms[id].capacity
                          : p->instructors[id].cost_per_hour;
        /* Coupled neighbourhoods with capacity as a penalty: a room too
         * small costs its overflow on every session, so the fitting and the
         * least overfull rooms come first (each slot offers only
         * MAX_ROOMS_PER_SLOT rooms). Construction keeps smallest-first,
         * which leaves the large rooms free and places more sessions. */
        if (rooms && p->weights.has_over_capacity && g->ctx->full_objective) {
            int size = p->cohorts[s->cohort].size, over = size - p->rooms[id].capacity;
            double hour_cost = p->weights.cost * p->rooms[id].cost_per_hour * s->duration / 60.0;
            r[k].cost = (hour_cost + p->weights.over_capacity * (over > 0 ? over : 0)) * 1e6 +
                        p->rooms[id].capacity;
        }
        for (size_t q = s0; q < s1; q++) {
            const bs_assignment *a = &g->sol->items[q];
            if (a->placed)
                r[k].used += rooms ? a->room == id : bs_ids_contains(&a->instructors, id);
            if (base != NULL && base->items[q].listed)
                r[k].used += rooms ? base->items[q].room == id
                                   : bs_ids_contains(&base->items[q].instructors, id);
        }
    }
    qsort(r, list->count, sizeof *r, cmp_ranked);
    for (size_t k = 0; k < list->count; k++)
        (*pref)[k] = r[k].id;
    qsort(r, list->count, sizeof *r, cmp_ranked_price);
    for (size_t k = 0; k < list->count; k++)
        (*cheap)[k] = r[k].id;
    free(r);
    return BS_OK;
}

/* Keep at most about `budget` of the session's candidates, which
 * start at g->cols[first]: per start day the cheapest few, so that every
 * day of the domain stays reachable for the order, gap and cadence rules
 * while the MIP shrinks to a fraction. Among equals, those whose room and
 * instructors can serve the most of the cohort's sessions come first (they
 * are what keeps room and instructor changes down, which no single column
 * prices), then the earlier slots. The column of the current placement
 * always stays. Candidates keep their day order, which greedy_start relies
 * on. */
typedef struct ranked_col {
    double cost;
    int reach; /* Σ over the column's room and instructors of the cohort's sessions they suit */
    size_t index;
} ranked_col;

static int cmp_ranked_col(const void *a, const void *b)
{
    const ranked_col *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    if (x->reach != y->reach)
        return y->reach - x->reach;
    return (x->index > y->index) - (x->index < y->index);
}

static bs_rc thin_columns(bs__colgen *g, size_t first, long current, long base, int budget)
{
    const bs_problem *p = g->ctx->p;
    size_t n = g->n_cols - first;
    if (budget <= 0 || n <= (size_t)budget)
        return BS_OK;
    size_t n_days = 0;
    for (size_t k = first; k < g->n_cols; k++)
        n_days += k == first || p->slots[g->cols[k].slot].day != p->slots[g->cols[k - 1].slot].day;
    size_t per_day = ((size_t)budget + n_days - 1) / n_days;
    ranked_col *r = bs_calloc(n, sizeof *r);
    bool *keep = bs_calloc(n, sizeof *keep);
    int *reach = bs_calloc(n, sizeof *reach);
    if (!r || !keep || !reach) {
        free(r);
        free(keep);
        free(reach);
        return BS_ENOMEM;
    }
    /* the session's own cohort profile (bs__gen_session computed it) */
    for (size_t k = first; k < g->n_cols; k++) {
        const column *c = &g->cols[k];
        int sum = c->room >= 0 ? g->room_suits[c->room] : 0;
        for (int a = 0; a < c->n_instr; a++)
            sum += g->instr_suits[c->instr[a]];
        reach[k - first] = sum;
    }
    for (size_t a = first; a < g->n_cols;) {
        size_t b = a;
        while (b < g->n_cols && p->slots[g->cols[b].slot].day == p->slots[g->cols[a].slot].day)
            b++;
        for (size_t k = a; k < b; k++)
            r[k - a] = (ranked_col){g->cols[k].cost, reach[k - first], k};
        qsort(r, b - a, sizeof *r, cmp_ranked_col);
        for (size_t k = 0; k < b - a && k < per_day; k++)
            keep[r[k].index - first] = true;
        a = b;
    }
    if (current >= 0)
        keep[(size_t)current - first] = true;
    if (base >= 0)
        keep[(size_t)base - first] = true;
    size_t w = first;
    for (size_t k = first; k < g->n_cols; k++)
        if (keep[k - first])
            g->cols[w++] = g->cols[k];
    g->n_cols = w;
    free(r);
    free(keep);
    free(reach);
    return BS_OK;
}

/* The baseline placement of session si at slot `slot` as a column, unless
 * a room or instructor it names is gone, not free (rooms[0..n_rooms),
 * avail[0..n_avail) are the free ones) or the column is there already
 * (from index slot_first on). *index is set to the column's index. */
/* Do the two columns have the same instructors (in any order)? */
static bool same_members(const column *a, const column *b)
{
    if (a->n_instr != b->n_instr)
        return false;
    for (int x = 0; x < a->n_instr; x++) {
        bool found = false;
        for (int y = 0; y < b->n_instr && !found; y++)
            found = a->instr[x] == b->instr[y];
        if (!found)
            return false;
    }
    return true;
}

static bs_rc baseline_column(bs__colgen *g, const bs_session *s, int si, int slot,
                             const bs_baseline_item *bi, const int *rooms, int n_rooms,
                             const int *avail, int n_avail, size_t slot_first, long *index)
{
    if (bi->room == BS_ROOM_GONE || bi->instructor_gone ||
        (int)bi->instructors.count != s->n_instructors)
        return BS_OK;
    bool room_ok = false;
    for (int r = 0; r < n_rooms && !room_ok; r++)
        room_ok = rooms[r] == bi->room;
    for (size_t q = 0; q < bi->instructors.count && room_ok; q++) {
        bool free_now = false;
        for (int a = 0; a < n_avail && !free_now; a++)
            free_now = avail[a] == bi->instructors.items[q];
        room_ok = free_now;
    }
    if (!room_ok)
        return BS_OK;
    for (size_t k = slot_first; k < g->n_cols; k++)
        if (g->cols[k].room == bi->room && bs__same_team(&g->cols[k], &bi->instructors)) {
            *index = (long)k;
            return BS_OK;
        }
    column c = {.s = si, .slot = slot, .n_instr = s->n_instructors, .room = bi->room};
    for (int a = 0; a < c.n_instr; a++)
        c.instr[a] = bi->instructors.items[a];
    c.cost = column_cost(g, s, slot, c.room, c.instr, c.n_instr);
    *index = (long)g->n_cols;
    return push_col(g, &c) ? BS_OK : BS_ENOMEM;
}

bs_rc bs__gen_session(bs__colgen *g, int si)
{
    const bs_problem *p = g->ctx->p;
    const bs_session *s = &g->ctx->d->sessions[si];
    const bs__occ *o = g->occ;
    const bs_ids *peers = &g->ctx->peers[s->cohort];
    const bs_assignment *cur = &g->sol->items[si];
    int *room_order = NULL, *people_order = NULL, *cheap_rooms = NULL, *cheap_people = NULL;
    bs_rc rc = rank_resources(g, s, true, &room_order, &cheap_rooms);
    if (rc == BS_OK)
        rc = rank_resources(g, s, false, &people_order, &cheap_people);
    int *avail = bs_calloc(s->instructors.count + 1, sizeof(int));
    int *cheap_avail = bs_calloc(s->instructors.count + 1, sizeof(int));
    int *rooms = bs_calloc(s->rooms.count + 2, sizeof(int));
    if (rc == BS_OK && (!avail || !cheap_avail || !rooms))
        rc = BS_ENOMEM;
    int k_team = s->n_instructors;
    size_t first = g->n_cols;
    long current = -1; /* index of the current placement's column */
    long base = -1;    /* index of the baseline placement's column */
    const bs_baseline_item *bi =
        g->ctx->o->baseline != NULL ? &g->ctx->o->baseline->items[si] : NULL;
    for (size_t k = 0; rc == BS_OK && k < s->n_slots && k_team <= BS_MAX_TEAM; k++) {
        int slot = s->slots[k];
        const bs_slot *sl = &p->slots[slot];
        bs_time t = sl->start, e = t + s->duration;
        bool blocked = false;
        for (size_t q = 0; q < peers->count && !blocked; q++)
            blocked = !g->is_free[peers->items[q]] &&
                      bs__occ_holder(o, bs__res_cohort(o, peers->items[q]), t, e) >= 0;
        if (blocked)
            continue;
        int max_rooms = g->ctx->mode != BS_MODE_NORMAL ? ALONE_ROOMS_PER_SLOT : MAX_ROOMS_PER_SLOT;
        int max_teams = g->ctx->mode != BS_MODE_NORMAL ? ALONE_TEAMS_PER_SLOT : MAX_TEAMS_PER_SLOT;
        /* Only the first max_rooms free rooms of the preference order are
         * offered, so the scan stops there (a full scan at every start was
         * the largest share of the engine's own time at 3,000 cohorts);
         * the baseline's room is looked up among all of them. */
        int n_rooms = 0, rooms_enough = bi != NULL ? (int)s->rooms.count : max_rooms;
        for (size_t r = 0; r < s->rooms.count && n_rooms < rooms_enough; r++) {
            int room = room_order[r];
            if (bs_room_free_at(&p->rooms[room], t, e) &&
                bs__occ_holder(o, bs__res_room(o, room), t, e) < 0)
                rooms[n_rooms++] = room;
        }
        if (!s->needs_room)
            rooms[n_rooms++] = -1;
        if (n_rooms == 0)
            continue;
        int use_rooms = n_rooms < max_rooms ? n_rooms : max_rooms;
        /* and the cheapest free room, when the preference order left it out */
        for (size_t r = 0; s->needs_room && r < s->rooms.count; r++) {
            int room = cheap_rooms[r];
            if (!bs_room_free_at(&p->rooms[room], t, e) ||
                bs__occ_holder(o, bs__res_room(o, room), t, e) >= 0)
                continue;
            bool listed = false;
            for (int q = 0; q < use_rooms && !listed; q++)
                listed = rooms[q] == room;
            if (!listed) {
                for (int q = n_rooms; q > use_rooms; q--)
                    rooms[q] = rooms[q - 1];
                rooms[use_rooms++] = room;
                n_rooms++;
            }
            break;
        }
        /* The first max_teams k-subsets in lexicographic order use only the
         * first k + max_teams - 1 free instructors of each order, so the
         * scans stop there (with hundreds qualified, full scans per start
         * dominated candidate generation); the baseline's team is looked
         * up among all of them. */
        int enough = bi != NULL ? (int)s->instructors.count : k_team + max_teams - 1;
        int n_avail = 0, n_cheap = 0;
        for (size_t q = 0; q < s->instructors.count && n_avail < enough; q++)
            if (instructor_usable(g, s, people_order[q], sl))
                avail[n_avail++] = people_order[q];
        if (n_avail < k_team)
            continue;
        for (size_t q = 0; q < s->instructors.count && n_cheap < enough; q++)
            if (instructor_usable(g, s, cheap_people[q], sl))
                cheap_avail[n_cheap++] = cheap_people[q];
        size_t slot_first = g->n_cols;
        bool at_current = cur->placed && cur->start == t;
        bool current_seen = false;
        /* Teams: k-subsets of the available instructors, lexicographic,
         * first in preference order (the cohort's own and widely suitable
         * instructors: few distinct ones), then in price order (the
         * cheapest teams), skipping teams already written. */
        for (int order = 0; rc == BS_OK && order < 2; order++) {
            const int *pool = order == 0 ? avail : cheap_avail;
            int n_pool = order == 0 ? n_avail : n_cheap;
            int idx[BS_MAX_TEAM];
            for (int a = 0; a < k_team; a++)
                idx[a] = a;
            for (int teams = 0; rc == BS_OK && teams < max_teams; teams++) {
                column c = {.s = si, .slot = slot, .n_instr = k_team};
                for (int a = 0; a < k_team; a++)
                    c.instr[a] = pool[idx[a]];
                bool written = false;
                for (size_t q = slot_first; order == 1 && q < g->n_cols && !written; q++)
                    written = same_members(&g->cols[q], &c);
                for (int r = 0; !written && r < use_rooms; r++) {
                    c.room = rooms[r];
                    c.cost = column_cost(g, s, slot, c.room, c.instr, k_team);
                    if (at_current && !current_seen && c.room == cur->room &&
                        bs__same_team(&c, &cur->instructors)) {
                        current_seen = true;
                        current = (long)g->n_cols;
                    }
                    if (!push_col(g, &c))
                        rc = BS_ENOMEM;
                }
                int a = k_team - 1;
                while (a >= 0 && idx[a] == n_pool - k_team + a)
                    a--;
                if (a < 0)
                    break;
                idx[a]++;
                for (int b = a + 1; b < k_team; b++)
                    idx[b] = idx[b - 1] + 1;
            }
        }
        /* The current placement stays a candidate, so the search never
         * loses the calendar it starts from. */
        if (rc == BS_OK && at_current && !current_seen && (int)cur->instructors.count == k_team) {
            column c = {.s = si, .slot = slot, .n_instr = k_team, .room = cur->room};
            for (int a = 0; a < k_team; a++)
                c.instr[a] = cur->instructors.items[a];
            c.cost = column_cost(g, s, slot, c.room, c.instr, k_team);
            current = (long)g->n_cols;
            if (!push_col(g, &c))
                rc = BS_ENOMEM;
        }
        /* So does the baseline placement, when the rules and the occupancy
         * still allow it: re-planning can always keep a session as it was. */
        if (rc == BS_OK && bi != NULL && bi->listed && bi->start == t)
            rc = baseline_column(g, s, si, slot, bi, rooms, n_rooms, avail, n_avail, slot_first,
                                 &base);
    }
    int budget = g->col_budget >= 0 ? g->col_budget : (cur->placed ? -g->col_budget : 0);
    if (rc == BS_OK)
        rc = thin_columns(g, first, current, base, budget);
    free(room_order);
    free(people_order);
    free(cheap_rooms);
    free(cheap_people);
    free(avail);
    free(cheap_avail);
    free(rooms);
    return rc;
}

/* ==== The model ==== */

/* The weekday and start time that a rotation cohort's sessions should keep:
 * its earliest placed session's, else the one with which the bound found
 * the cohort's time part cheapest (order, gaps, holidays and prices all
 * counted), else the pattern of the first session's candidate slots that
 * most of its sessions can also use. -1 for other programs. */
int bs__rhythm_reference(const bs__ctx *ctx, const bs_solution *sol, int cohort)
{
    const bs_problem *p = ctx->p;
    const bs_domains *d = ctx->d;
    if (p->programs[p->cohorts[cohort].program].model != BS_ROTATION || p->weights.rhythm <= 0 ||
        ctx->mode != BS_MODE_NORMAL)
        return -1;
    size_t s0 = d->cohort_first[cohort], s1 = d->cohort_first[cohort + 1];
    const bs_assignment *earliest = NULL;
    for (size_t s = s0; s < s1; s++)
        if (sol->items[s].placed && (!earliest || sol->items[s].start < earliest->start))
            earliest = &sol->items[s];
    if (earliest)
        return pattern_of(p, (int)bs_problem_slot_at_or_after(p, earliest->start));
    if (ctx->rhythm_hint != NULL && ctx->rhythm_hint[cohort] >= 0)
        return ctx->rhythm_hint[cohort];
    size_t first = s0;
    while (first < s1 && d->sessions[first].n_slots == 0)
        first++;
    if (first == s1)
        return -1;
    int best = -1, best_cover = -1;
    const bs_session *f = &d->sessions[first];
    for (size_t k = 0; k < f->n_slots; k++) {
        int pat = pattern_of(p, f->slots[k]);
        int cover = 0;
        for (size_t s = s0; s < s1; s++) {
            const bs_session *o = &d->sessions[s];
            for (size_t q = 0; q < o->n_slots; q++)
                if (pattern_of(p, o->slots[q]) == pat) {
                    cover++;
                    break;
                }
        }
        if (cover > best_cover) {
            best_cover = cover;
            best = pat;
        }
    }
    return best;
}
