/**
 * @file gen_plant.c
 * @brief Planting stage of `blendsched-gen`: places every cohort's live
 *        sessions on concrete (date, start, room, instructors) that keep all
 *        hard rules of FORMAT.md, with busy maps on the cell grid, creating
 *        rooms or instructors where the pool runs short.
 *
 * Rules kept here, by construction:
 * 1 grid, workday, holiday, horizon, windows of enriched-virtual modules
 *   (cohort ends are set after planting, on or after the last session);
 * 2 cohort, learner and instructor windows (allowed-cell bit sets built from
 *   the real zone offsets, so the daylight-saving weeks are exact); the
 *   unavailability added later avoids the planted sessions;
 * 3 instructor count, skills, sites, one site per date, planting caps on
 *   daily and weekly minutes (the written limits are at least the load);
 * 4 room kind, site, capacity, features, no double booking;
 * 5 learner and cohort overlaps (a cohort's sessions fall on distinct dates);
 * 6 order, min_gap_days, cadence;
 * 7 study days for the self-paced effort of every learner.
 */
#include "benchmarks/gen/gen.h"

#include <stdlib.h>
#include <string.h>

/* ==== Bit sets ==== */

static bool bits_all(const uint64_t *b, int s, int k)
{
    for (int c = s; c < s + k; c++) {
        if (!((b[c >> 6] >> (c & 63)) & 1))
            return false;
    }
    return true;
}

static bool bits_none(const uint64_t *b, int s, int k)
{
    for (int c = s; c < s + k; c++) {
        if ((b[c >> 6] >> (c & 63)) & 1)
            return false;
    }
    return true;
}

static void bits_put(uint64_t *b, int s, int k, bool on)
{
    for (int c = s; c < s + k; c++) {
        if (on)
            b[c >> 6] |= 1ULL << (c & 63);
        else
            b[c >> 6] &= ~(1ULL << (c & 63));
    }
}

/* ==== Rules 6 and 7: the days a live module may take ==== */

typedef struct plan {
    gen *g;
    const gen_program *p;
    const gen_cohort *c; /* NULL: simulation, one learner with 30 minutes a day */
    int start;
    int prev_day;
    int day_of[GEN_MAX_MODULES];
    int need_start[GEN_MAX_MODULES];
    int need_from[GEN_MAX_MODULES][GEN_MAX_MODULES];
} plan;

static int effort_days(const gen_program *p, uint64_t w, uint64_t done, int mpd)
{
    int e = 0;
    for (int m = 0; m < p->n_modules; m++) {
        if ((w & ~done) & (1ULL << m))
            e += p->modules[m].effort;
    }
    return (e + mpd - 1) / mpd;
}

static void need_for(plan *pl, int mpd, uint64_t done)
{
    const gen_program *p = pl->p;
    for (int b = 0; b < p->n_modules; b++) {
        const gen_module *mb = &p->modules[b];
        if (!mb->live)
            continue;
        int n = effort_days(p, mb->sp_reach, done, mpd);
        if (n > pl->need_start[b])
            pl->need_start[b] = n;
        for (int a = 0; a < p->n_modules; a++) {
            if (!(mb->near_live & (1ULL << a)))
                continue;
            uint64_t w = 0;
            for (int s = 0; s < p->n_modules; s++) {
                if ((mb->sp_reach & (1ULL << s)) && (p->modules[s].live_reach & (1ULL << a)))
                    w |= 1ULL << s;
            }
            n = effort_days(p, w, done, mpd);
            if (n > pl->need_from[b][a])
                pl->need_from[b][a] = n;
        }
    }
}

static void plan_init(plan *pl, gen *g, const gen_program *p, const gen_cohort *c, int start)
{
    memset(pl, 0, sizeof *pl);
    pl->g = g;
    pl->p = p;
    pl->c = c;
    pl->start = start;
    pl->prev_day = -1;
    for (int m = 0; m < GEN_MAX_MODULES; m++)
        pl->day_of[m] = -1;
    if (c == NULL || c->n_learners == 0) {
        need_for(pl, c == NULL ? 30 : c->mpd, 0);
        return;
    }
    int program = (int)(p - g->programs);
    for (int k = 0; k < c->n_learners; k++) {
        const gen_learner *l = &g->learners[c->learners[k]];
        uint64_t done = 0;
        for (int i = 0; i < l->n_completed; i++) {
            if (l->completed[i].program == program)
                done |= l->completed[i].modules;
        }
        need_for(pl, l->mpd > 0 ? l->mpd : c->mpd, done);
    }
}

/* Smallest day D >= from with `need` study days in [from, D - 1]. */
static int study_reach(const gen *g, int from, int need)
{
    if (need <= 0)
        return from;
    for (int d = from + 1; d <= g->n_days; d++) {
        if (g->study_prefix[d] - g->study_prefix[from] >= need)
            return d;
    }
    return g->n_days;
}

static void plan_bounds(const plan *pl, int b, int *early, int *late)
{
    const gen *g = pl->g;
    const gen_module *m = &pl->p->modules[b];
    int e = pl->start, l = g->n_days - 1;
    if (pl->prev_day >= 0 && pl->prev_day + 1 > e)
        e = pl->prev_day + 1;
    for (int a = 0; a < pl->p->n_modules; a++) {
        if (!(m->near_live & (1ULL << a)) || pl->day_of[a] < 0)
            continue;
        int d = pl->day_of[a] + m->min_gap;
        if (d > e)
            e = d;
        d = study_reach(g, pl->day_of[a], pl->need_from[b][a]);
        if (d > e)
            e = d;
    }
    int d = study_reach(g, pl->start, pl->need_start[b]);
    if (d > e)
        e = d;
    if (m->has_window) {
        if (pl->start + m->wfrom > e)
            e = pl->start + m->wfrom;
        if (pl->start + m->wto < l)
            l = pl->start + m->wto;
    }
    if (pl->p->model == GEN_ROTATION && pl->prev_day >= 0 && pl->prev_day + pl->p->cadence < l)
        l = pl->prev_day + pl->p->cadence;
    *early = e;
    *late = l;
}

bool bs__gen_program_sim(gen *g, gen_program *p, int *span)
{
    plan pl;
    plan_init(&pl, g, p, NULL, 0);
    for (int b = 0; b < p->n_modules; b++) {
        if (!p->modules[b].live)
            continue;
        int e, l, day = -1;
        plan_bounds(&pl, b, &e, &l);
        for (int d = e; d <= l && day < 0; d++) {
            if (g->study[d])
                day = d;
        }
        if (day < 0) {
            if (p->modules[b].optional)
                continue;
            return false;
        }
        pl.day_of[b] = day;
        pl.prev_day = day;
    }
    *span = pl.prev_day;
    return pl.prev_day >= 0;
}

/* ==== Booking ==== */

typedef struct planter {
    gen *g;
    int ci;
    plan pl;
    int *room_cand, n_room_cand, cap_room_cand;
    int *instr_cand, n_instr_cand, cap_instr_cand;
    int first_wd, first_minute; /* rotation rhythm: first session's weekday and minute */
} planter;

static void book(gen *g, const gen_session *s, bool on)
{
    gen_cohort *c = &g->cohorts[s->cohort];
    const gen_module *m = &g->programs[c->program].modules[s->module];
    int dur = (int)(s->end - s->start);
    bits_put(c->busy, s->cell, s->cells, on);
    for (int k = 0; k < c->n_learners; k++)
        bits_put(g->learners[c->learners[k]].busy, s->cell, s->cells, on);
    if (s->room >= 0) {
        bits_put(g->rooms[s->room].busy, s->cell, s->cells, on);
        g->rooms[s->room].uses += on ? 1 : -1;
    }
    for (int k = 0; k < s->n_instructors; k++) {
        gen_instructor *in = &g->instructors[s->instructors[k]];
        bits_put(in->busy, s->cell, s->cells, on);
        in->uses += on ? 1 : -1;
        in->day_minutes[s->day] += on ? dur : -dur;
        in->week_minutes[s->day / 7] += on ? dur : -dur;
        if (m->in_person) {
            in->day_in_person[s->day] += on ? 1 : -1;
            in->day_site[s->day] = in->day_in_person[s->day] > 0 ? c->site : -1;
        }
    }
}

static bool push_session(gen *g, const gen_session *s)
{
    if (g->n_sessions == g->cap_sessions) {
        int cap = g->cap_sessions ? g->cap_sessions * 2 : 1024;
        gen_session *grown = bs_reallocarray(g->sessions, (size_t)cap, sizeof *grown);
        if (grown == NULL) {
            g->failed = true;
            return false;
        }
        g->sessions = grown;
        g->cap_sessions = cap;
    }
    g->sessions[g->n_sessions++] = *s;
    book(g, s, true);
    return true;
}

static void rollback(gen *g, gen_cohort *c)
{
    while (g->n_sessions > c->first_session)
        book(g, &g->sessions[--g->n_sessions], false);
    c->n_sessions = 0;
}

static bool push_cand(gen *g, int **list, int *n, int *cap, int v)
{
    if (*n == *cap) {
        int ncap = *cap ? *cap * 2 : 64;
        int *grown = bs_reallocarray(*list, (size_t)ncap, sizeof *grown);
        if (grown == NULL) {
            g->failed = true;
            return false;
        }
        *list = grown;
        *cap = ncap;
    }
    (*list)[(*n)++] = v;
    return true;
}

static bool needs_room(const gen *g, const gen_module *m)
{
    return m->in_person || g->opts.virtual_rooms;
}

static bool room_fits(const gen *g, const gen_cohort *c, const gen_module *m, const gen_room *r)
{
    if (r->is_virtual == m->in_person || r->capacity < c->size ||
        (r->features & m->features) != m->features)
        return false;
    if (m->in_person && r->site != c->site)
        return false;
    return !g->opts.threads_hint || r->cluster == c->cluster;
}

static bool instructor_fits(const gen *g, const gen_cohort *c, const gen_module *m,
                            const gen_instructor *in)
{
    if ((in->skills & m->skills) != m->skills)
        return false;
    if (m->in_person && !(in->sites & (1u << c->site)))
        return false;
    return !g->opts.threads_hint || in->cluster == c->cluster;
}

static bool collect_candidates(planter *pt, const gen_module *m)
{
    gen *g = pt->g;
    const gen_cohort *c = &g->cohorts[pt->ci];
    pt->n_room_cand = pt->n_instr_cand = 0;
    /* Scan only the rooms of the right site (or the virtual ones) and the
     * instructors who have the module's first skill; indexes ascend. */
    const gen_list *rooms = &g->by_site[m->in_person ? c->site : GEN_NSITES];
    for (int k = 0; k < rooms->n; k++) {
        int r = rooms->items[k];
        if (room_fits(g, c, m, &g->rooms[r]) &&
            !push_cand(g, &pt->room_cand, &pt->n_room_cand, &pt->cap_room_cand, r))
            return false;
    }
    int skill = 0;
    while (skill < GEN_NSKILLS - 1 && !(m->skills & (1u << skill)))
        skill++;
    const gen_list *instr = &g->by_skill[skill];
    for (int k = 0; k < instr->n; k++) {
        int i = instr->items[k];
        if (instructor_fits(g, c, m, &g->instructors[i]) &&
            !push_cand(g, &pt->instr_cand, &pt->n_instr_cand, &pt->cap_instr_cand, i))
            return false;
    }
    return true;
}

static bool instructor_free(const gen *g, const gen_instructor *in, const gen_session *s,
                            bool in_person, int site)
{
    int dur = s->cells * GEN_SLOT;
    if (!bits_all(in->allowed, s->cell, s->cells) || !bits_none(in->busy, s->cell, s->cells))
        return false;
    if (in->day_minutes[s->day] + dur > in->cap_day ||
        in->week_minutes[s->day / 7] + dur > in->cap_week)
        return false;
    (void)g;
    return !in_person || in->day_site[s->day] < 0 || in->day_site[s->day] == site;
}

/* Try one start cell for live module b. With `create`, rooms and
 * instructors that are missing are made on the spot (the cohort and its
 * learners must still be free). */
static bool try_cell(planter *pt, int b, int cell, bool create, gen_session *out)
{
    gen *g = pt->g;
    gen_cohort *c = &g->cohorts[pt->ci];
    const gen_module *m = &g->programs[c->program].modules[b];
    gen_session s = {
        .cohort = pt->ci, .module = b, .cell = cell, .cells = m->duration / GEN_SLOT, .room = -1};
    s.day = g->cell_day[cell];
    s.start = g->t0 + (int64_t)cell * GEN_SLOT;
    s.end = s.start + m->duration;
    if (!bits_all(c->allowed, cell, s.cells) || !bits_none(c->busy, cell, s.cells))
        return false;
    for (int k = 0; k < c->n_learners; k++) {
        const gen_learner *l = &g->learners[c->learners[k]];
        if (!bits_all(l->allowed, cell, s.cells) || !bits_none(l->busy, cell, s.cells))
            return false;
    }
    bool want_room = needs_room(g, m);
    if (want_room && pt->n_room_cand > 0) {
        int off = bs__gen_rng_below(&g->rng, pt->n_room_cand);
        for (int j = 0; j < pt->n_room_cand && s.room < 0; j++) {
            int r = pt->room_cand[(off + j) % pt->n_room_cand];
            if (bits_none(g->rooms[r].busy, cell, s.cells))
                s.room = r;
        }
    }
    if (want_room && s.room < 0 && !create)
        return false;
    if (pt->n_instr_cand > 0) {
        int off = bs__gen_rng_below(&g->rng, pt->n_instr_cand);
        for (int j = 0; j < pt->n_instr_cand && s.n_instructors < m->n_instructors; j++) {
            int i = pt->instr_cand[(off + j) % pt->n_instr_cand];
            if (instructor_free(g, &g->instructors[i], &s, m->in_person, c->site))
                s.instructors[s.n_instructors++] = i;
        }
    }
    if (s.n_instructors < m->n_instructors && !create)
        return false;
    /* Build what is missing around this slot. */
    if (want_room && s.room < 0) {
        int site = m->in_person ? c->site : GEN_NO_SITE;
        if (bs__gen_new_room(g, !m->in_person, site, c->cluster, c->size, m->features, &s.room) !=
                BS_OK ||
            !push_cand(g, &pt->room_cand, &pt->n_room_cand, &pt->cap_room_cand, s.room))
            return false;
    }
    while (s.n_instructors < m->n_instructors) {
        int ii;
        unsigned sites = c->site >= 0 ? 1u << c->site : 0;
        if (bs__gen_new_instructor(g, c->zone, c->cluster, m->skills, sites, true, &ii) != BS_OK ||
            !push_cand(g, &pt->instr_cand, &pt->n_instr_cand, &pt->cap_instr_cand, ii))
            return false;
        if (!instructor_free(g, &g->instructors[ii], &s, m->in_person, c->site))
            return false; /* cannot happen: it shares the cohort's window */
        s.instructors[s.n_instructors++] = ii;
    }
    *out = s;
    return true;
}

static bool try_day(planter *pt, int b, int d, bool create, bool earliest, gen_session *out)
{
    gen *g = pt->g;
    const gen_module *m = &g->programs[g->cohorts[pt->ci].program].modules[b];
    int k = m->duration / GEN_SLOT;
    int c0 = bs__gen_cell_of(g, g->day_begin[d]), c1 = bs__gen_cell_of(g, g->day_begin[d + 1]);
    int n = c1 - c0;
    int off = earliest ? 0 : bs__gen_rng_below(&g->rng, n);
    for (int j = 0; j < n; j++) {
        int cell = c0 + (off + j) % n;
        /* The session ends before the calendar date's midnight, so its end
         * date is its start date. */
        if (cell + k >= c1)
            continue;
        if (try_cell(pt, b, cell, create, out))
            return true;
        if (g->failed)
            return false;
    }
    return false;
}

static bool find_slot(planter *pt, int b, int e, int l, bool create, int spread, bool rhythm,
                      gen_session *out)
{
    gen *g = pt->g;
    const gen_module *m = &g->programs[g->cohorts[pt->ci].program].modules[b];
    int k = m->duration / GEN_SLOT;
    if (rhythm && pt->first_wd >= 0) {
        /* Rotation: first try the weekday and start time of the first session. */
        for (int d = e; d <= l; d++) {
            int64_t t;
            if (!g->study[d] || bs_weekday_from_days(g->day0 + d) != pt->first_wd ||
                !bs__gen_local_to_utc(g, 0, g->day0 + d, pt->first_minute, &t))
                continue;
            int cell = bs__gen_cell_of(g, t);
            int c1 = bs__gen_cell_of(g, g->day_begin[d + 1]);
            if (cell + k < c1 && try_cell(pt, b, cell, create, out))
                return true;
        }
    }
    int p = e + (spread > 0 ? bs__gen_rng_range(&g->rng, 0, spread) : 0);
    if (p > l)
        p = l;
    for (int d = p; d <= l; d++) {
        if (g->study[d] && try_day(pt, b, d, create, spread == 0 && !rhythm, out))
            return true;
    }
    for (int d = e; d < p; d++) {
        if (g->study[d] && try_day(pt, b, d, create, false, out))
            return true;
    }
    return false;
}

/* ==== Cohorts ==== */

static const gen_window DAY_WINDOW = {0x7f, 540, 1020};

static bool learner_pattern(gen *g, gen_learner *l)
{
    gen_window w = {0x7f, l->hours_from, l->hours_to};
    l->allowed = bs__gen_pattern(g, l->zone, &w, 1);
    return l->allowed != NULL;
}

/* Last resort: keep only the cohort's own learners with the format's
 * defaults and study 30 minutes a day, which makes the cohort's plan the
 * one bs__gen_program_sim proved feasible. */
static bool simplify_cohort(gen *g, int ci)
{
    gen_cohort *c = &g->cohorts[ci];
    int kept = 0;
    for (int k = 0; k < c->n_learners; k++) {
        gen_learner *l = &g->learners[c->learners[k]];
        if (l->home_cohort != ci) {
            l->n_cohorts--;
            continue;
        }
        l->zone = c->zone;
        l->zone_explicit = l->hours_explicit = false;
        l->hours_from = DAY_WINDOW.from;
        l->hours_to = DAY_WINDOW.to;
        l->mpd = -1;
        l->n_completed = 0;
        if (!learner_pattern(g, l))
            return false;
        c->learners[kept++] = c->learners[k];
    }
    c->n_learners = kept;
    c->mpd = 30;
    c->mpd_explicit = true;
    return true;
}

enum { ATTEMPTS = 7 };

static bool plant_attempt(planter *pt, int attempt)
{
    gen *g = pt->g;
    gen_cohort *c = &g->cohorts[pt->ci];
    const gen_program *p = &g->programs[c->program];
    bool last = attempt == ATTEMPTS - 1;
    if (last) {
        if (!simplify_cohort(g, pt->ci))
            return false;
        c->start = 0;
    } else {
        int max_start = g->n_days - 1 - p->sim_span - 5;
        if (max_start < 0)
            max_start = 0;
        c->start = bs__gen_rng_range(&g->rng, 0, attempt < 3 ? max_start : max_start / 3);
    }
    plan_init(&pt->pl, g, p, c, c->start);
    c->first_session = g->n_sessions;
    c->n_sessions = 0;
    pt->first_wd = -1;
    bool rhythm = p->model == GEN_ROTATION && !last;
    for (int b = 0; b < p->n_modules; b++) {
        const gen_module *m = &p->modules[b];
        if (!m->live)
            continue;
        int e, l;
        plan_bounds(&pt->pl, b, &e, &l);
        gen_session s;
        bool found = false;
        if (e <= l && collect_candidates(pt, m)) {
            int spread = last ? 0 : attempt < 2 ? 4 : 1;
            if (!last)
                found = find_slot(pt, b, e, l, false, spread, rhythm, &s);
            if (!found && !g->failed && (last || attempt >= 2))
                found = find_slot(pt, b, e, l, true, spread, rhythm, &s);
        }
        if (g->failed)
            return false;
        if (!found) {
            if (m->optional)
                continue;
            rollback(g, c);
            return false;
        }
        if (!push_session(g, &s))
            return false;
        pt->pl.day_of[b] = s.day;
        pt->pl.prev_day = s.day;
        if (pt->first_wd < 0) {
            int64_t ld;
            int minute;
            bs__gen_utc_to_local(g, 0, s.start, &ld, &minute);
            pt->first_wd = bs_weekday_from_days(ld);
            pt->first_minute = minute;
        }
    }
    c->n_sessions = g->n_sessions - c->first_session;
    return true;
}

bs_rc bs__gen_plant(gen *g, bs_err *err)
{
    for (int ci = 0; ci < g->n_cohorts; ci++) {
        gen_cohort *c = &g->cohorts[ci];
        c->allowed = bs__gen_pattern(g, c->zone, &DAY_WINDOW, 1);
        if (c->allowed == NULL)
            return bs_err_set(err, BS_ENOMEM, "out of memory");
    }
    for (int li = 0; li < g->n_learners; li++) {
        if (!learner_pattern(g, &g->learners[li]))
            return bs_err_set(err, BS_ENOMEM, "out of memory");
    }
    planter pt;
    memset(&pt, 0, sizeof pt);
    pt.g = g;
    bs_rc rc = BS_OK;
    for (int ci = 0; ci < g->n_cohorts && rc == BS_OK; ci++) {
        pt.ci = ci;
        bool ok = false;
        for (int attempt = 0; attempt < ATTEMPTS && !ok && !g->failed; attempt++)
            ok = plant_attempt(&pt, attempt);
        if (g->failed)
            rc = bs_err_set(err, BS_ENOMEM, "out of memory");
        else if (!ok)
            rc = bs_err_set(err, BS_EINTERNAL, "could not plant cohort %s", g->cohorts[ci].id);
    }
    free(pt.room_cand);
    free(pt.instr_cand);
    if (rc == BS_OK)
        rc = bs__gen_decorate(g, err);
    return rc;
}
