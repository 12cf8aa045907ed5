/**
 * @file gen_decor.c
 * @brief Decoration stage of `blendsched-gen`: builds the rest of the
 *        instance around the planted calendar (cohort ends, spare or removed
 *        resources by tightness, instructor windows and minute limits,
 *        unavailability that misses the plant, cohort restrictions and
 *        preferences, pins) and gives rooms and instructors their ids.
 */
#include "benchmarks/gen/gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool tight(const gen *g)
{
    return g->opts.tightness >= 1.0;
}

static int round_up(int v, int step)
{
    return (v + step - 1) / step * step;
}

/* ==== Cohort ends ==== */

static void set_ends(gen *g)
{
    int slack_max = tight(g) ? 0 : 2 + (int)(14.0 * (1.0 - g->opts.tightness));
    for (int ci = 0; ci < g->n_cohorts; ci++) {
        gen_cohort *c = &g->cohorts[ci];
        int last = c->start;
        for (int k = 0; k < c->n_sessions; k++) {
            int d = g->sessions[c->first_session + k].day;
            if (d > last)
                last = d;
        }
        int end = last + bs__gen_rng_range(&g->rng, 0, slack_max);
        c->end = end > g->n_days - 1 ? g->n_days - 1 : end;
    }
}

/* ==== Spares and removals ==== */

static bs_rc add_spares(gen *g)
{
    if (tight(g)) {
        for (int i = 0; i < g->n_rooms; i++)
            g->rooms[i].removed = g->rooms[i].uses == 0;
        for (int i = 0; i < g->n_instructors; i++)
            g->instructors[i].removed = g->instructors[i].uses == 0;
        return BS_OK;
    }
    double frac = (1.0 - g->opts.tightness) / g->opts.tightness;
    if (frac > 2.0)
        frac = 2.0;
    int n_instr = (int)(g->n_instructors * frac * 0.5 + 0.5);
    int n_rooms = (int)(g->n_rooms * frac * 0.5 + 0.5);
    int base_instr = g->n_instructors, base_rooms = g->n_rooms;
    for (int k = 0; k < n_instr; k++) {
        int src = bs__gen_rng_below(&g->rng, base_instr);
        int ii = bs__gen_add_instructor(g);
        if (ii < 0)
            return BS_ENOMEM;
        gen_instructor *in = &g->instructors[ii];
        const gen_instructor *from = &g->instructors[src];
        in->zone = from->zone;
        in->cluster = from->cluster;
        in->skills = from->skills | (1u << bs__gen_rng_below(&g->rng, GEN_NSKILLS));
        in->sites = from->sites;
        in->explicit_avail = from->explicit_avail;
        in->n_win = from->n_win;
        memcpy(in->win, from->win, sizeof in->win);
        in->allowed = from->allowed;
        in->cap_day = from->cap_day;
        in->cap_week = from->cap_week;
        in->cost = from->cost;
        in->spare = true;
    }
    for (int k = 0; k < n_rooms; k++) {
        const gen_room *from = &g->rooms[bs__gen_rng_below(&g->rng, base_rooms)];
        int ri;
        bool virt = from->is_virtual;
        int site = from->site, cluster = from->cluster, cap = from->capacity;
        unsigned feat = from->features;
        if (bs__gen_new_room(g, virt, site, cluster, cap, feat, &ri) != BS_OK)
            return BS_ENOMEM;
        g->rooms[ri].spare = true;
    }
    return BS_OK;
}

/* ==== Instructor windows and limits ==== */

static bs_rc set_windows(gen *g)
{
    int n = g->n_instructors;
    for (int i = 0; i < n; i++) {
        gen_instructor *in = &g->instructors[i];
        in->out_explicit = in->explicit_avail;
        in->n_out_win = in->n_win;
        memcpy(in->out_win, in->win, sizeof in->win);
    }
    if (!tight(g))
        return BS_OK;
    /* Tightness 1: each instructor's windows become the hull of their
     * planted sessions per local weekday. */
    int *from = bs_calloc((size_t)n * 7, sizeof *from);
    int *to = bs_calloc((size_t)n * 7, sizeof *to);
    if (from == NULL || to == NULL) {
        free(from);
        free(to);
        return BS_ENOMEM;
    }
    for (int i = 0; i < n * 7; i++)
        from[i] = 1440;
    for (int s = 0; s < g->n_sessions; s++) {
        const gen_session *ss = &g->sessions[s];
        for (int k = 0; k < ss->n_instructors; k++) {
            int i = ss->instructors[k];
            int64_t d1, d2;
            int m1, m2;
            bs__gen_utc_to_local(g, g->instructors[i].zone, ss->start, &d1, &m1);
            bs__gen_utc_to_local(g, g->instructors[i].zone, ss->end, &d2, &m2);
            if (d2 == d1 + 1 && m2 == 0)
                m2 = 1440;
            int wd = i * 7 + bs_weekday_from_days(d1);
            if (m1 < from[wd])
                from[wd] = m1;
            if (m2 > to[wd])
                to[wd] = m2;
        }
    }
    for (int i = 0; i < n; i++) {
        gen_instructor *in = &g->instructors[i];
        const int *f = &from[i * 7], *t = &to[i * 7];
        in->out_explicit = true;
        in->n_out_win = 0;
        unsigned done = 0;
        for (int w = 0; w < 7; w++) {
            if (f[w] >= t[w] || (done & (1u << w)))
                continue;
            gen_window win = {0, f[w], t[w]};
            for (int v = w; v < 7; v++) {
                if (f[v] == f[w] && t[v] == t[w]) {
                    win.days |= 1u << v;
                    done |= 1u << v;
                }
            }
            in->out_win[in->n_out_win++] = win;
        }
    }
    free(from);
    free(to);
    return BS_OK;
}

static void set_limits(gen *g)
{
    double t = g->opts.tightness;
    for (int i = 0; i < g->n_instructors; i++) {
        gen_instructor *in = &g->instructors[i];
        int max_d = 0, max_w = 0;
        for (int d = 0; d < g->n_days; d++)
            max_d = in->day_minutes[d] > max_d ? in->day_minutes[d] : max_d;
        for (int w = 0; w < g->n_weeks; w++)
            max_w = in->week_minutes[w] > max_w ? in->week_minutes[w] : max_w;
        in->max_day = in->max_week = -1;
        if (bs__gen_rng_chance(&g->rng, 50)) {
            int v = max_d == 0 ? in->cap_day : round_up((int)(max_d / t + 0.999), GEN_SLOT);
            in->max_day = tight(g) ? max_d : (v < max_d ? max_d : v);
        }
        if (bs__gen_rng_chance(&g->rng, 40)) {
            int v = max_w == 0 ? in->cap_week : round_up((int)(max_w / t + 0.999), GEN_SLOT);
            in->max_week = tight(g) ? max_w : (v < max_w ? max_w : v);
        }
        if (in->max_day == 0)
            in->max_day = -1;
        if (in->max_week == 0)
            in->max_week = -1;
    }
}

/* ==== Unavailability ==== */

static bool cells_free(const gen *g, const uint64_t *busy, int64_t from, int64_t to)
{
    int a = bs__gen_cell_of(g, from), b = bs__gen_cell_of(g, to - 1);
    if (a < 0)
        a = 0;
    if (b >= g->n_cells)
        b = g->n_cells - 1;
    for (int c = a; c <= b; c++) {
        if ((busy[c >> 6] >> (c & 63)) & 1)
            return false;
    }
    return true;
}

/* Add one interval in `zone` that overlaps none of the busy cells; a few
 * random tries, then give up (an entity without unavailability is fine). */
static void add_unavail(gen *g, int zone, const uint64_t *busy, gen_unavail *list, int *n)
{
    if (*n >= GEN_MAX_UNAVAIL)
        return;
    gen_rng *r = &g->rng;
    bool whole = bs__gen_rng_chance(r, 60);
    for (int tries = 0; tries < 10; tries++) {
        gen_unavail u;
        memset(&u, 0, sizeof u);
        u.whole_days = whole;
        u.d1 = g->day0 + bs__gen_rng_below(r, g->n_days);
        int64_t a, b;
        if (whole) {
            u.d2 = u.d1 + bs__gen_rng_range(r, 0, 4);
            if (!bs__gen_local_to_utc(g, zone, u.d1, 0, &a) ||
                !bs__gen_local_to_utc(g, zone, u.d2 + 1, 0, &b))
                continue;
        } else {
            u.d2 = u.d1;
            u.m1 = GEN_SLOT * bs__gen_rng_range(r, 14, 34);
            u.m2 = u.m1 + GEN_SLOT * bs__gen_rng_range(r, 2, 8);
            if (u.m2 > 1440)
                u.m2 = 1440;
            if (!bs__gen_local_to_utc(g, zone, u.d1, u.m1, &a) ||
                !bs__gen_local_to_utc(g, zone, u.d2, u.m2, &b))
                continue;
        }
        if (b > a && cells_free(g, busy, a, b)) {
            list[(*n)++] = u;
            return;
        }
    }
}

static void set_unavailability(gen *g)
{
    gen_rng *r = &g->rng;
    for (int i = 0; i < g->n_rooms; i++) {
        gen_room *rm = &g->rooms[i];
        int k = bs__gen_rng_chance(r, 30) ? bs__gen_rng_range(r, 1, 2) : 0;
        while (k-- > 0)
            add_unavail(g, 0, rm->busy, rm->unavail, &rm->n_unavail);
    }
    for (int i = 0; i < g->n_instructors; i++) {
        gen_instructor *in = &g->instructors[i];
        int k = bs__gen_rng_chance(r, 40) ? bs__gen_rng_range(r, 1, 2) : 0;
        while (k-- > 0)
            add_unavail(g, in->zone, in->busy, in->unavail, &in->n_unavail);
    }
    for (int i = 0; i < g->n_learners; i++) {
        gen_learner *l = &g->learners[i];
        if (l->n_cohorts > 0 && bs__gen_rng_chance(r, 15))
            add_unavail(g, l->zone, l->busy, l->unavail, &l->n_unavail);
    }
    for (int i = 0; i < g->n_cohorts; i++) {
        gen_cohort *c = &g->cohorts[i];
        if (bs__gen_rng_chance(r, 10))
            add_unavail(g, c->zone, c->busy, c->unavail, &c->n_unavail);
    }
}

/* ==== Cohort settings and pins ==== */

static bs_rc set_cohorts(gen *g)
{
    gen_rng *r = &g->rng;
    for (int ci = 0; ci < g->n_cohorts; ci++) {
        gen_cohort *c = &g->cohorts[ci];
        const gen_program *p = &g->programs[c->program];
        if (bs__gen_rng_chance(r, 15)) {
            /* Only these may teach: the planted ones, plus (with slack) a few
             * who share a skill with the program. */
            unsigned prog_skills = 0;
            for (int m = 0; m < p->n_modules; m++)
                prog_skills |= p->modules[m].skills;
            int cap = 2 * c->n_sessions + 3;
            c->instructors = bs_calloc((size_t)cap, sizeof(int));
            if (c->instructors == NULL)
                return BS_ENOMEM;
            bool *seen = bs_calloc((size_t)g->n_instructors, sizeof *seen);
            if (seen == NULL)
                return BS_ENOMEM;
            for (int k = 0; k < c->n_sessions; k++) {
                const gen_session *s = &g->sessions[c->first_session + k];
                for (int j = 0; j < s->n_instructors; j++)
                    seen[s->instructors[j]] = true;
            }
            int extra = tight(g) ? 0 : bs__gen_rng_range(r, 1, 3);
            for (int tries = 0; tries < 20 && extra > 0; tries++) {
                int i = bs__gen_rng_below(r, g->n_instructors);
                const gen_instructor *in = &g->instructors[i];
                if (!seen[i] && !in->removed && (in->skills & prog_skills) &&
                    (!g->opts.threads_hint || in->cluster == c->cluster)) {
                    seen[i] = true;
                    extra--;
                }
            }
            for (int i = 0; i < g->n_instructors && c->n_instructors < cap; i++) {
                if (seen[i])
                    c->instructors[c->n_instructors++] = i;
            }
            free(seen);
        }
        if (bs__gen_rng_chance(r, 30)) {
            static const int spans[][2] = {{540, 780}, {780, 1020}, {600, 960}};
            int sp = bs__gen_rng_below(r, 3);
            unsigned days = 0;
            int want = bs__gen_rng_range(r, 2, 3);
            while (want > 0) {
                int d = bs__gen_rng_below(r, 5);
                if (!(days & (1u << d))) {
                    days |= 1u << d;
                    want--;
                }
            }
            c->has_preferred = true;
            c->preferred = (gen_window){days, spans[sp][0], spans[sp][1]};
        }
        if (bs__gen_rng_chance(r, 20))
            c->priority = bs__gen_rng_range(r, 2, 5);
        if (bs__gen_rng_chance(r, 20)) {
            int required = 0;
            for (int m = 0; m < p->n_modules; m++)
                required += p->modules[m].live && !p->modules[m].optional;
            c->min_days = required;
        }
    }
    for (int s = 0; s < g->n_sessions; s++) {
        gen_session *ss = &g->sessions[s];
        if (!bs__gen_rng_chance(r, 2))
            continue;
        ss->pinned = true;
        ss->pin_room = ss->room >= 0 && bs__gen_rng_chance(r, 50);
        ss->pin_instructors = bs__gen_rng_chance(r, 20);
    }
    return BS_OK;
}

/* ==== Ids and names ==== */

static const char *const FIRST[] = {"Ana",    "Björn",  "Chloé", "Dev",    "Emeka", "Fatima",
                                    "Grace",  "Hiro",   "Inés",  "Jonas",  "Kavya", "Liam",
                                    "Maëlle", "Nikhil", "Olu",   "Priya",  "Quinn", "Rosa",
                                    "Søren",  "Tariq",  "Uma",   "Viktor", "Wen",   "Zoë"};
static const char *const LAST[] = {"Almeida",  "Bauer",   "Chen",     "Dubois",  "Eriksson",
                                   "Fischer",  "García",  "Hoffmann", "Iyer",    "Jansen",
                                   "Kowalski", "Lehmann", "Müller",   "Nair",    "O'Brien",
                                   "Patel",    "Quirke",  "Rossi",    "Schmidt", "Thompson"};

static void set_ids(gen *g)
{
    int per_site[GEN_NSITES] = {0}, n_virtual = 0, n_instr = 0;
    for (int i = 0; i < g->n_rooms; i++) {
        gen_room *rm = &g->rooms[i];
        if (rm->removed)
            continue;
        if (rm->is_virtual)
            snprintf(rm->id, sizeof rm->id, "vc-%02d", ++n_virtual);
        else
            snprintf(rm->id, sizeof rm->id, "%s-r%02d", bs__gen_site_ids[rm->site],
                     ++per_site[rm->site]);
    }
    for (int i = 0; i < g->n_instructors; i++) {
        if (!g->instructors[i].removed)
            n_instr++;
    }
    int width = n_instr >= 1000 ? 4 : 3;
    int k = 0;
    for (int i = 0; i < g->n_instructors; i++) {
        gen_instructor *in = &g->instructors[i];
        if (in->removed)
            continue;
        snprintf(in->id, sizeof in->id, "t%0*d", width, ++k);
        snprintf(in->name, sizeof in->name, "%s %s",
                 FIRST[bs__gen_rng_below(&g->rng, (int)(sizeof FIRST / sizeof *FIRST))],
                 LAST[bs__gen_rng_below(&g->rng, (int)(sizeof LAST / sizeof *LAST))]);
    }
    g->n_clusters = 1;
    if (g->opts.threads_hint) {
        bool used[GEN_NSITES + 1] = {false};
        g->n_clusters = 0;
        for (int ci = 0; ci < g->n_cohorts; ci++) {
            if (!used[g->cohorts[ci].cluster]) {
                used[g->cohorts[ci].cluster] = true;
                g->n_clusters++;
            }
        }
    }
}

bs_rc bs__gen_decorate(gen *g, bs_err *err)
{
    set_ends(g);
    bs_rc rc = add_spares(g);
    if (rc == BS_OK)
        rc = set_windows(g);
    if (rc == BS_OK) {
        set_limits(g);
        set_unavailability(g);
        rc = set_cohorts(g);
    }
    if (rc == BS_OK)
        set_ids(g);
    if (rc != BS_OK || g->failed)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    return BS_OK;
}
