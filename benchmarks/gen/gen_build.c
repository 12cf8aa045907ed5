/**
 * @file gen_build.c
 * @brief Build stage of `blendsched-gen`: the program pool (all four
 *        models), the cohorts with their learners (some shared between two
 *        cohorts), and the starting pool of rooms and instructors drawn from
 *        the cohorts' demand.
 */
#include "benchmarks/gen/gen.h"

#include <stdio.h>
#include <string.h>

/* ==== Programs ==== */

static const char *const PROGRAM_NAMES[GEN_NSKILLS] = {
    "Kubernetes in der Praxis", "Linux für Administratoren", "Python für Datenanalyse",
    "SQL – Grundlagen",         "Cloud-Architektur",         "Sécurité informatique",
    "Data Engineering",         "Machine Learning",          "Agile Coaching",
    "Führungskräfte-Programm",  "Design Thinking",           "Netzwerke – Vertiefung"};

static const char *const MODEL_NAMES[4] = {"rotation", "flipped", "flex", "enriched-virtual"};

static int pick_duration(gen_rng *r)
{
    static const int durations[] = {60, 90, 120, 120, 150, 180, 240};
    return durations[bs__gen_rng_below(r, (int)(sizeof durations / sizeof *durations))];
}

static int add_module(gen_program *p)
{
    if (p->n_modules >= GEN_MAX_MODULES)
        return -1;
    gen_module *m = &p->modules[p->n_modules];
    memset(m, 0, sizeof *m);
    return p->n_modules++;
}

/* Self-paced prework for live module number k (1-based in ids); it
 * requires `after` (a live module index, or -1). `easy` keeps efforts small
 * so a program that failed its simulation many times still fits. Returns
 * the mask of the module(s) the live module should require. */
static uint64_t add_prework(gen_program *p, gen_rng *r, int k, int after, int max_effort, bool easy)
{
    int a = add_module(p);
    if (a < 0)
        return 0;
    gen_module *m = &p->modules[a];
    snprintf(m->id, sizeof m->id, "prep-%02d", k);
    snprintf(m->title, sizeof m->title, "Vorbereitung %d", k);
    m->effort = easy ? 30 : 15 * bs__gen_rng_range(r, 2, max_effort / 15);
    if (after >= 0)
    m->requires = 1ULL << after;
    uint64_t last = 1ULL << a;
    /* Sometimes a chain of two self-paced modules (video, then quiz). */
    if (!easy && bs__gen_rng_chance(r, 25)) {
        int b = add_module(p);
        if (b >= 0) {
            gen_module *q = &p->modules[b];
            snprintf(q->id, sizeof q->id, "quiz-%02d", k);
            snprintf(q->title, sizeof q->title, "Quiz %d", k);
            q->effort = 15 * bs__gen_rng_range(r, 1, 3);
            q->requires = last;
            last = 1ULL << b;
        }
    }
    return last;
}

static void generate_program(gen *g, gen_program *p, gen_model model, int topic, bool easy,
                             bool want_pair)
{
    gen_rng *r = &g->rng;
    int second = (topic + 1 + bs__gen_rng_below(r, GEN_NSKILLS - 1)) % GEN_NSKILLS;
    p->model = model;
    p->n_modules = 0;
    p->ordered = model != GEN_FLEX || bs__gen_rng_chance(r, 30);
    p->cadence = model == GEN_ROTATION ? bs__gen_rng_range(r, 7, 14) : 0;
    int n_live = bs__gen_rng_range(r, 4, 8);
    int step = bs__gen_rng_range(r, 7, 70 / n_live < 7 ? 7 : (70 / n_live > 12 ? 12 : 70 / n_live));
    int prev_live = -1;
    for (int k = 0; k < n_live; k++) {
        uint64_t req = 0;
        switch (model) {
        case GEN_FLIPPED:
            req = add_prework(p, r, k + 1, prev_live, 180, easy);
            break;
        case GEN_ROTATION:
            if (bs__gen_rng_chance(r, k == 0 ? 50 : 30))
                req = add_prework(p, r, k + 1, prev_live, 120, easy);
            break;
        case GEN_FLEX:
            if (bs__gen_rng_chance(r, 40))
                req = add_prework(p, r, k + 1, prev_live, 150, easy);
            break;
        case GEN_ENRICHED:
            if (bs__gen_rng_chance(r, 60))
                req = add_prework(p, r, k + 1, prev_live, 150, easy);
            break;
        }
        int li = add_module(p);
        if (li < 0)
            break;
        gen_module *m = &p->modules[li];
        m->live = true;
        snprintf(m->id, sizeof m->id, "live-%02d", k + 1);
        snprintf(m->title, sizeof m->title, "Live-Session %d: %s", k + 1,
                 bs__gen_skill_names[topic]);
        m->duration = pick_duration(r);
        m->in_person = model == GEN_ENRICHED ? (k == 0 && bs__gen_rng_chance(r, 30))
                                             : bs__gen_rng_chance(r, 50);
        m->skills = 1u << topic;
        if (bs__gen_rng_chance(r, 20))
            m->skills |= 1u << second;
        m->n_instructors = bs__gen_rng_chance(r, 15) ? 2 : 1;
        if (m->in_person) {
            if (bs__gen_rng_chance(r, 30))
                m->features |= 1u << 0; /* lab */
            if (bs__gen_rng_chance(r, 25))
                m->features |= 1u << 1; /* projector */
        } else if (bs__gen_rng_chance(r, 15)) {
            m->features |= 1u << 4; /* breakout */
        }
        if (!easy && k > 0 && bs__gen_rng_chance(r, 30))
            m->min_gap = bs__gen_rng_range(r, 1, 3);
        if (model == GEN_FLEX && k > 0 && bs__gen_rng_chance(r, 35))
            m->optional = true;
        if (model == GEN_ENRICHED) {
            m->has_window = true;
            m->wfrom = easy ? k * 7 : k * step;
            m->wto = m->wfrom + (easy ? 14 : step + bs__gen_rng_range(r, 3, 7));
        }
        m->requires = req;
        /* Unordered flex programs chain some live modules explicitly. */
        if (!p->ordered && req == 0 && prev_live >= 0 && bs__gen_rng_chance(r, 50))
        m->requires |= 1ULL << prev_live;
        if (m->in_person)
            p->has_in_person = true;
        prev_live = li;
    }
    /* Every flex program has an optional module, and half the programs
     * have a session taught by two, so small instances show both. */
    bool any_optional = false, any_pair = false;
    for (int k = 0; k < p->n_modules; k++) {
        any_optional = any_optional || p->modules[k].optional;
        any_pair = any_pair || p->modules[k].n_instructors == 2;
    }
    if (model == GEN_FLEX && !any_optional && prev_live > 0)
        p->modules[prev_live].optional = true;
    if (want_pair && !any_pair && prev_live >= 0)
        p->modules[prev_live].n_instructors = 2;
    snprintf(p->name, sizeof p->name, "%s (%s)", PROGRAM_NAMES[topic], MODEL_NAMES[model]);
}

/* Fill the derived masks: for each module, what it reaches through
 * self-paced modules only. */
static void derive_program(gen_program *p)
{
    int live_before = -1;
    uint64_t direct[GEN_MAX_MODULES];
    for (int i = 0; i < p->n_modules; i++) {
        direct[i] = p->modules[i].requires;
        if (p->modules[i].live) {
            if (p->ordered && live_before >= 0)
                direct[i] |= 1ULL << live_before;
            live_before = i;
        }
    }
    /* Requires only point backwards in the list, so one forward pass sees
     * every predecessor's closure already computed. */
    uint64_t sp_reach[GEN_MAX_MODULES], live_reach[GEN_MAX_MODULES];
    for (int i = 0; i < p->n_modules; i++) {
        sp_reach[i] = live_reach[i] = 0;
        for (int j = 0; j < p->n_modules; j++) {
            if (!(direct[i] & (1ULL << j)))
                continue;
            if (p->modules[j].live) {
                live_reach[i] |= 1ULL << j;
            } else {
                sp_reach[i] |= (1ULL << j) | sp_reach[j];
                live_reach[i] |= live_reach[j];
            }
        }
        gen_module *m = &p->modules[i];
        if (m->live) {
            m->sp_reach = sp_reach[i];
            m->near_live = live_reach[i];
        } else {
            m->live_reach = live_reach[i];
        }
    }
}

static bs_rc build_programs(gen *g, bs_err *err)
{
    int n = g->opts.cohorts / 10;
    g->n_programs = n < 4 ? 4 : n;
    g->programs = bs_calloc((size_t)g->n_programs, sizeof *g->programs);
    if (g->programs == NULL)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    int width = g->n_programs >= 1000 ? 4 : 3;
    for (int i = 0; i < g->n_programs; i++) {
        gen_program *p = &g->programs[i];
        gen_model model = i < 4 ? (gen_model)i : (gen_model)bs__gen_rng_below(&g->rng, 4);
        int topic = bs__gen_rng_below(&g->rng, GEN_NSKILLS);
        /* Redraw until the earliest plan of a cohort starting on the first
         * day fits in the horizon: that plan is the planter's guaranteed
         * last resort. */
        bool ok = false;
        for (int attempt = 0; attempt < 60 && !ok; attempt++) {
            memset(p, 0, sizeof *p);
            generate_program(g, p, model, topic, attempt >= 30, i % 2 == 0);
            derive_program(p);
            ok = bs__gen_program_sim(g, p, &p->sim_span) && p->sim_span <= g->n_days - 8;
        }
        if (!ok)
            return bs_err_set(err, BS_EINTERNAL, "could not generate a feasible program");
        snprintf(p->id, sizeof p->id, "p%0*d", width, i + 1);
    }
    return BS_OK;
}

/* ==== Cohorts and learners ==== */

static int pick_site(gen_rng *r)
{
    int x = bs__gen_rng_below(r, 100);
    return x < 35 ? 0 : x < 60 ? 1 : x < 85 ? 2 : 3;
}

static int digits(int n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* Offset of zone z minus offset of zone y in mid-January (winter time
 * everywhere it applies). */
static int winter_shift(const gen *g, int z, int y)
{
    int64_t t = (g->day0 + 10) * 1440 + 720;
    return bs_tz_offset_at(g->tz[z], t) - bs_tz_offset_at(g->tz[y], t);
}

static int new_learner(gen *g, gen_cohort *c, int ci)
{
    gen_rng *r = &g->rng;
    int li = bs__gen_add_learner(g);
    if (li < 0)
        return -1;
    gen_learner *l = &g->learners[li];
    l->zone = c->zone;
    l->home_cohort = ci;
    l->hours_from = 9 * 60;
    l->hours_to = 17 * 60;
    int x = bs__gen_rng_below(r, 100);
    if (x < 10) {
        /* Lives in another zone, works the cohort's hours as seen from
         * there in winter (the DST weeks shift them). */
        int z = (c->zone + 1 + bs__gen_rng_below(r, GEN_NZONES - 1)) % GEN_NZONES;
        int shift = winter_shift(g, z, c->zone);
        int from = 9 * 60 + shift, to = 17 * 60 + shift;
        if (from >= 0 && to <= 1440) {
            l->zone = z;
            l->zone_explicit = true;
            l->hours_explicit = true;
            l->hours_from = from;
            l->hours_to = to;
        }
    } else if (x < 25) {
        l->zone_explicit = true;
    }
    if (!l->hours_explicit && bs__gen_rng_chance(r, 15)) {
        static const int hours[][2] = {{480, 960}, {600, 1080}, {540, 900}, {480, 1080}};
        int h = bs__gen_rng_below(r, 4);
        l->hours_explicit = true;
        l->hours_from = hours[h][0];
        l->hours_to = hours[h][1];
    }
    if (bs__gen_rng_chance(r, 15)) {
        static const int mpd[] = {30, 45, 90, 120};
        l->mpd = mpd[bs__gen_rng_below(r, 4)];
    }
    const gen_program *p = &g->programs[c->program];
    if (bs__gen_rng_chance(r, 15)) {
        uint64_t done = 0;
        for (int m = 0; m < p->n_modules; m++) {
            if (!p->modules[m].live && bs__gen_rng_chance(r, 50))
                done |= 1ULL << m;
        }
        if (done) {
            l->completed[0].program = c->program;
            l->completed[0].modules = done;
            l->n_completed = 1;
        }
    }
    l->n_cohorts = 1;
    return li;
}

static bs_rc build_cohorts(gen *g, bs_err *err)
{
    gen_rng *r = &g->rng;
    g->n_cohorts = g->opts.cohorts;
    g->cohorts = bs_calloc((size_t)g->n_cohorts, sizeof *g->cohorts);
    if (g->cohorts == NULL)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    g->id_width_cohort = digits(g->n_cohorts) < 4 ? 4 : digits(g->n_cohorts);
    static const int mpds[] = {30, 45, 90};
    bool shared_any = false;
    for (int ci = 0; ci < g->n_cohorts; ci++) {
        gen_cohort *c = &g->cohorts[ci];
        snprintf(c->id, sizeof c->id, "c%0*d", g->id_width_cohort, ci + 1);
        c->program = ci < g->n_programs ? ci : bs__gen_rng_below(r, g->n_programs);
        const gen_program *p = &g->programs[c->program];
        if (p->has_in_person) {
            c->site = pick_site(r);
            c->zone = bs__gen_site_zone[c->site];
        } else {
            c->site = GEN_NO_SITE;
            c->zone = pick_site(r); /* same weights, over zones */
        }
        c->zone_explicit = c->zone != 0 || bs__gen_rng_chance(r, 30);
        c->cluster = g->opts.threads_hint ? (c->site >= 0 ? c->site : GEN_NSITES) : 0;
        c->size = bs__gen_rng_range(r, 6, 24);
        c->mpd = 60;
        if (bs__gen_rng_chance(r, 40)) {
            c->mpd = mpds[bs__gen_rng_below(r, 3)];
            c->mpd_explicit = true;
        }
        c->priority = 1;
        c->busy = bs__gen_bits_new(g);
        if (c->busy == NULL)
            return bs_err_set(err, BS_ENOMEM, "out of memory");
        if (bs__gen_rng_chance(r, 80)) {
            int n = bs__gen_rng_range(r, 3, 8);
            for (int k = 0; k < n; k++) {
                int li = new_learner(g, c, ci);
                if (li < 0 || !bs__gen_cohort_add_learner(g, c, li))
                    return bs_err_set(err, BS_ENOMEM, "out of memory");
            }
        }
        /* Shared learners: one or two learners of a recent cohort in the
         * same zone (and cluster) attend this cohort too. */
        if (ci > 0 && (bs__gen_rng_chance(r, 15) || (ci == g->n_cohorts - 1 && !shared_any))) {
            for (int back = 1; back <= 20 && back <= ci; back++) {
                gen_cohort *o = &g->cohorts[ci - back];
                if (o->zone != c->zone || o->cluster != c->cluster || o->n_learners == 0)
                    continue;
                int want = bs__gen_rng_range(r, 1, 2);
                for (int k = 0; k < o->n_learners && want > 0; k++) {
                    int li = o->learners[k];
                    gen_learner *l = &g->learners[li];
                    if (l->n_cohorts != 1 || l->home_cohort != ci - back)
                        continue;
                    if (!bs__gen_cohort_add_learner(g, c, li))
                        return bs_err_set(err, BS_ENOMEM, "out of memory");
                    l->n_cohorts++;
                    want--;
                    shared_any = true;
                }
                break;
            }
        }
        if (c->size < c->n_learners)
            c->size = c->n_learners;
    }
    g->id_width_learner = digits(g->n_learners) < 5 ? 5 : digits(g->n_learners);
    for (int li = 0; li < g->n_learners; li++)
        snprintf(g->learners[li].id, sizeof g->learners[li].id, "l%0*d", g->id_width_learner,
                 li + 1);
    return BS_OK;
}

/* ==== Resource pool ==== */

/* Planting windows of instructors: the format's default, or one of a few
 * weekly patterns (each weekday in at most one window, so windows never
 * touch). */
static void pick_windows(gen_rng *r, gen_instructor *in)
{
    static const struct {
        int n;
        gen_window w[2];
    } templates[] = {
        {1, {{0x1f, 480, 1080}, {0, 0, 0}}},         {1, {{0x0f, 420, 900}, {0, 0, 0}}},
        {2, {{0x07, 540, 1020}, {0x18, 720, 1200}}}, {1, {{0x1e, 600, 1140}, {0, 0, 0}}},
        {1, {{0x1f, 360, 840}, {0, 0, 0}}},          {1, {{0x1f, 780, 1260}, {0, 0, 0}}},
    };
    if (bs__gen_rng_chance(r, 45)) {
        in->explicit_avail = false;
        in->n_win = 1;
        in->win[0] = (gen_window){0x1f, 540, 1020};
        return;
    }
    int t = bs__gen_rng_below(r, (int)(sizeof templates / sizeof *templates));
    in->explicit_avail = true;
    in->n_win = templates[t].n;
    for (int i = 0; i < in->n_win; i++)
        in->win[i] = templates[t].w[i];
}

bs_rc bs__gen_new_instructor(gen *g, int zone, int cluster, unsigned skills, unsigned sites,
                             bool default_window, int *out)
{
    gen_rng *r = &g->rng;
    int ii = bs__gen_add_instructor(g);
    if (ii < 0)
        return BS_ENOMEM;
    gen_instructor *in = &g->instructors[ii];
    in->zone = zone;
    in->cluster = cluster;
    in->skills = skills;
    in->sites = sites;
    if (default_window) {
        in->n_win = 1;
        in->win[0] = (gen_window){0x1f, 540, 1020};
    } else {
        pick_windows(r, in);
    }
    in->allowed = bs__gen_pattern(g, zone, in->win, in->n_win);
    if (in->allowed == NULL)
        return BS_ENOMEM;
    static const int caps_day[] = {240, 360, 360, 480};
    static const int caps_week[] = {900, 1200, 1200, 1500};
    in->cap_day = default_window ? 480 : caps_day[bs__gen_rng_below(r, 4)];
    in->cap_week = default_window ? 2400 : caps_week[bs__gen_rng_below(r, 4)];
    in->cost = bs__gen_rng_chance(r, 50) ? 5 * bs__gen_rng_range(r, 8, 24) : 0;
    for (int k = 0; k < GEN_NSKILLS; k++) {
        if ((skills & (1u << k)) && !bs__gen_list_push(g, &g->by_skill[k], ii))
            return BS_ENOMEM;
    }
    *out = ii;
    return BS_OK;
}

bs_rc bs__gen_new_room(gen *g, bool is_virtual, int site, int cluster, int min_capacity,
                       unsigned features, int *out)
{
    gen_rng *r = &g->rng;
    int ri = bs__gen_add_room(g);
    if (ri < 0)
        return BS_ENOMEM;
    gen_room *rm = &g->rooms[ri];
    rm->is_virtual = is_virtual;
    rm->site = is_virtual ? GEN_NO_SITE : site;
    rm->cluster = cluster;
    if (is_virtual) {
        static const int caps[] = {50, 100, 300};
        rm->capacity = caps[bs__gen_rng_below(r, 3)];
        if (bs__gen_rng_chance(r, 40))
            features |= 1u << 4;
        if (bs__gen_rng_chance(r, 30))
            features |= 1u << 5;
        rm->cost = bs__gen_rng_chance(r, 30) ? bs__gen_rng_range(r, 2, 10) : 0;
    } else {
        rm->capacity =
            bs__gen_rng_chance(r, 25) ? bs__gen_rng_range(r, 8, 16) : bs__gen_rng_range(r, 12, 40);
        for (int f = 0; f < 4; f++) {
            static const int pct[] = {35, 50, 40, 20};
            if (bs__gen_rng_chance(r, pct[f]))
                features |= 1u << f;
        }
        rm->cost = bs__gen_rng_chance(r, 30) ? bs__gen_rng_range(r, 10, 60) : 0;
    }
    if (rm->capacity < min_capacity)
        rm->capacity = min_capacity;
    rm->features = features;
    if (!bs__gen_list_push(g, &g->by_site[is_virtual ? GEN_NSITES : site], ri))
        return BS_ENOMEM;
    *out = ri;
    return BS_OK;
}

static bs_rc build_pool(gen *g, bs_err *err)
{
    gen_rng *r = &g->rng;
    int n = g->opts.cohorts;
    int n_instr = (3 * n + 5) / 10 < 6 ? 6 : (3 * n + 5) / 10;
    int n_rooms = (2 * n + 5) / 10 < 4 ? 4 : (2 * n + 5) / 10;
    for (int i = 0; i < n_instr; i++) {
        /* Draw the demand this instructor serves from a random cohort. */
        const gen_cohort *c = &g->cohorts[bs__gen_rng_below(r, g->n_cohorts)];
        const gen_program *p = &g->programs[c->program];
        int lives[GEN_MAX_MODULES] = {0}, nl = 0;
        for (int m = 0; m < p->n_modules; m++) {
            if (p->modules[m].live)
                lives[nl++] = m;
        }
        /* Teachers of a program usually cover all of its skills. */
        unsigned skills = p->modules[lives[bs__gen_rng_below(r, nl)]].skills;
        if (bs__gen_rng_chance(r, 70)) {
            for (int k = 0; k < nl; k++)
                skills |= p->modules[lives[k]].skills;
        }
        if (bs__gen_rng_chance(r, 50))
            skills |= 1u << bs__gen_rng_below(r, GEN_NSKILLS);
        unsigned sites = 0;
        int zone = c->zone;
        if (c->site >= 0) {
            sites = 1u << c->site;
            if (!g->opts.threads_hint && bs__gen_rng_chance(r, 20))
                sites |= 1u << bs__gen_rng_below(r, GEN_NSITES);
            /* Berlin and London teachers commute between the two. */
            if (c->site <= 1 && bs__gen_rng_chance(r, 15))
                zone = 1 - c->site;
        } else if (bs__gen_rng_chance(r, 30)) {
            zone = bs__gen_rng_below(r, GEN_NZONES);
        }
        int ii;
        if (bs__gen_new_instructor(g, zone, c->cluster, skills, sites, false, &ii) != BS_OK)
            return bs_err_set(err, BS_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n_rooms; i++) {
        const gen_cohort *c = &g->cohorts[bs__gen_rng_below(r, g->n_cohorts)];
        bool virt = g->opts.virtual_rooms && (c->site < 0 || bs__gen_rng_chance(r, 20));
        int site = c->site, cluster = c->cluster;
        if (!virt && site < 0) {
            site = pick_site(r);
            cluster = g->opts.threads_hint ? site : 0;
        }
        int ri;
        if (bs__gen_new_room(g, virt, site, cluster, 1, 0, &ri) != BS_OK)
            return bs_err_set(err, BS_ENOMEM, "out of memory");
    }
    return BS_OK;
}

bs_rc bs__gen_build(gen *g, bs_err *err)
{
    BS_TRY(build_programs(g, err));
    BS_TRY(build_cohorts(g, err));
    BS_TRY(build_pool(g, err));
    if (g->failed)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    return BS_OK;
}
