/**
 * @file gen.c
 * @brief Entry point of `blendsched-gen`: options, the random-number
 *        generator, the fixed tables, the calendar grid and the helpers the
 *        build, plant and write stages share.
 */
#include "benchmarks/gen/gen.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "Usage: blendsched-gen --cohorts N [--seed S] [--tightness T] [--threads-hint]\n"
    "                      [--no-virtual-rooms] -o INPUT.json [--planted CALENDAR.json]\n"
    "\n"
    "Writes a blendsched/1 benchmark instance that has a complete calendar: the\n"
    "generator plants every cohort's live sessions first (respecting every hard\n"
    "rule) and then builds rooms, instructors and their limits around the plant.\n"
    "\n"
    "Options:\n"
    "  --cohorts N         number of cohorts, 1..100000 (required)\n"
    "  --seed S            random seed, 0..2^64-1 (default 1); same options give\n"
    "                      byte-identical files\n"
    "  --tightness T       0 < T <= 1 (default 0.8): 1 leaves no slack beyond the\n"
    "                      plant (unused rooms and instructors removed, instructor\n"
    "                      windows and minute limits shrunk to the planted load);\n"
    "                      lower values add spare rooms, instructors and availability\n"
    "  --threads-hint      split the instance into independent clusters (one per\n"
    "                      site, one for virtual-only cohorts) that share no\n"
    "                      instructor, room or learner; writes their number as the\n"
    "                      top-level key x-threads-hint\n"
    "  --no-virtual-rooms  virtual sessions use no room (room null)\n"
    "  -o, --output FILE   where to write the input ('-' for stdout)\n"
    "  --planted FILE      also write the planted calendar (blendsched-calendar/1)\n"
    "  -h, --help          this text\n"
    "\n"
    "Exit status: 0 written; 2 usage error or a file could not be written;\n"
    "3 internal failure.\n";

/* ==== Random numbers ==== */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void bs__gen_rng_seed(gen_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t bs__gen_rng_next(gen_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

int bs__gen_rng_below(gen_rng *r, int n)
{
    if (n <= 1)
        return 0;
    /* Rejection keeps the draw unbiased. */
    uint64_t bound = (uint64_t)n;
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t v;
    do {
        v = bs__gen_rng_next(r);
    } while (v >= limit);
    return (int)(v % bound);
}

int bs__gen_rng_range(gen_rng *r, int lo, int hi)
{
    return hi <= lo ? lo : lo + bs__gen_rng_below(r, hi - lo + 1);
}

bool bs__gen_rng_chance(gen_rng *r, int percent)
{
    return bs__gen_rng_below(r, 100) < percent;
}

/* ==== Tables ==== */

const char *const bs__gen_zone_names[GEN_NZONES] = {"Europe/Berlin", "Europe/London",
                                                    "America/New_York", "Asia/Kolkata"};
const char *const bs__gen_site_ids[GEN_NSITES] = {"ber", "lon", "nyc", "blr"};
const int bs__gen_site_zone[GEN_NSITES] = {0, 1, 2, 3};
const char *const bs__gen_skill_names[GEN_NSKILLS] = {
    "k8s",  "linux", "python", "sql",        "cloud",  "security",
    "data", "ml",    "agile",  "leadership", "design", "networking"};
const char *const bs__gen_feature_names[GEN_NFEATURES] = {"lab",        "projector", "whiteboard",
                                                          "accessible", "breakout",  "recording"};
const char *const bs__gen_weekday_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* ==== Calendar and grid ==== */

bs_rc bs__gen_calendar(gen *g, bs_err *err)
{
    /* One quarter (13 weeks) in the calendar zone Europe/Berlin with both
     * the US (2027-03-14) and the EU (2027-03-28) daylight-saving changes
     * in its middle, so many sessions lie on each side of them. Holidays:
     * Presidents' Day (US), Good Friday, Easter Monday. */
    g->day0 = bs_days_from_civil(2027, 2, 1); /* a Monday */
    g->n_days = (int)(bs_days_from_civil(2027, 4, 30) - g->day0 + 1);
    g->n_weeks = (g->n_days + 6) / 7;
    static const int hol[][3] = {{2027, 2, 15}, {2027, 3, 26}, {2027, 3, 29}};
    g->n_holidays = 3;
    for (int i = 0; i < g->n_holidays; i++)
        g->holidays[i] = bs_days_from_civil(hol[i][0], hol[i][1], hol[i][2]);

    int64_t span_from = (g->day0 - 4) * 1440, span_to = (g->day0 + g->n_days + 4) * 1440;
    for (int z = 0; z < GEN_NZONES; z++)
        BS_TRY(bs_tz_load(bs__gen_zone_names[z], span_from, span_to, &g->tz[z], err));

    g->day_begin = bs_calloc((size_t)g->n_days + 1, sizeof *g->day_begin);
    g->study = bs_calloc((size_t)g->n_days, sizeof *g->study);
    g->study_prefix = bs_calloc((size_t)g->n_days + 1, sizeof *g->study_prefix);
    if (!g->day_begin || !g->study || !g->study_prefix)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    for (int d = 0; d <= g->n_days; d++) {
        if (!bs_tz_local_to_utc(g->tz[0], g->day0 + d, 0, &g->day_begin[d]))
            return bs_err_set(err, BS_EINTERNAL, "local midnight does not exist");
    }
    for (int d = 0; d < g->n_days; d++) {
        bool hol_day = false;
        for (int i = 0; i < g->n_holidays; i++)
            hol_day = hol_day || g->holidays[i] == g->day0 + d;
        g->study[d] = bs_weekday_from_days(g->day0 + d) < 5 && !hol_day;
        g->study_prefix[d + 1] = g->study_prefix[d] + (g->study[d] ? 1 : 0);
    }
    g->t0 = g->day_begin[0];
    g->n_cells = (int)((g->day_begin[g->n_days] - g->t0) / GEN_SLOT);
    g->n_words = (g->n_cells + 63) / 64;
    g->cell_day = bs_calloc((size_t)g->n_cells, sizeof *g->cell_day);
    if (!g->cell_day)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    for (int d = 0, c = 0; d < g->n_days; d++) {
        int64_t end = g->day_begin[d + 1];
        for (; c < g->n_cells && g->t0 + (int64_t)c * GEN_SLOT < end; c++)
            g->cell_day[c] = d;
    }
    return BS_OK;
}

int bs__gen_cell_of(const gen *g, int64_t t)
{
    int64_t rel = t - g->t0;
    int64_t c = rel >= 0 ? rel / GEN_SLOT : -((-rel + GEN_SLOT - 1) / GEN_SLOT);
    return (int)c;
}

bool bs__gen_local_to_utc(const gen *g, int zone, int64_t day, int minute, int64_t *utc)
{
    return bs_tz_local_to_utc(g->tz[zone], day, minute, utc);
}

void bs__gen_utc_to_local(const gen *g, int zone, int64_t t, int64_t *day, int *minute)
{
    int64_t local = t + bs_tz_offset_at(g->tz[zone], t);
    int64_t d = local >= 0 ? local / 1440 : -((-local + 1439) / 1440);
    *day = d;
    *minute = (int)(local - d * 1440);
}

uint64_t *bs__gen_bits_new(gen *g)
{
    uint64_t *b = bs_calloc((size_t)g->n_words, sizeof *b);
    if (b == NULL)
        g->failed = true;
    return b;
}

const uint64_t *bs__gen_pattern(gen *g, int zone, const gen_window *win, int n_win)
{
    for (int i = 0; i < g->n_patterns; i++) {
        const gen_pattern *p = &g->patterns[i];
        if (p->zone != zone || p->n_win != n_win)
            continue;
        bool same = true;
        for (int w = 0; w < n_win && same; w++)
            same = p->win[w].days == win[w].days && p->win[w].from == win[w].from &&
                   p->win[w].to == win[w].to;
        if (same)
            return p->bits;
    }
    if (g->n_patterns == g->cap_patterns) {
        int cap = g->cap_patterns ? g->cap_patterns * 2 : 16;
        gen_pattern *grown = bs_reallocarray(g->patterns, (size_t)cap, sizeof *grown);
        if (grown == NULL) {
            g->failed = true;
            return NULL;
        }
        g->patterns = grown;
        g->cap_patterns = cap;
    }
    uint64_t *bits = bs__gen_bits_new(g);
    if (bits == NULL)
        return NULL;
    /* Walk the local dates that can touch the horizon and set the cells of
     * each window that fall on the same calendar date. */
    for (int64_t ld = g->day0 - 2; ld < g->day0 + g->n_days + 2; ld++) {
        int wd = bs_weekday_from_days(ld);
        for (int w = 0; w < n_win; w++) {
            int64_t a, b;
            if (!(win[w].days & (1u << wd)) || win[w].from >= win[w].to ||
                !bs__gen_local_to_utc(g, zone, ld, win[w].from, &a) ||
                !bs__gen_local_to_utc(g, zone, ld, win[w].to, &b))
                continue;
            int first = bs__gen_cell_of(g, a + GEN_SLOT - 1), last = bs__gen_cell_of(g, b) - 1;
            for (int c = first < 0 ? 0 : first; c <= last && c < g->n_cells; c++) {
                if (g->day0 + g->cell_day[c] == ld)
                    bits[c / 64] |= 1ULL << (c % 64);
            }
        }
    }
    gen_pattern *p = &g->patterns[g->n_patterns++];
    p->zone = zone;
    p->n_win = n_win;
    memcpy(p->win, win, (size_t)n_win * sizeof *win);
    p->bits = bits;
    return bits;
}

/* ==== Growable arrays ==== */

static bool grow(void **items, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return true;
    int ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    void *grown = bs_reallocarray(*items, (size_t)ncap, size);
    if (grown == NULL)
        return false;
    memset((char *)grown + (size_t)*cap * size, 0, (size_t)(ncap - *cap) * size);
    *items = grown;
    *cap = ncap;
    return true;
}

int bs__gen_add_room(gen *g)
{
    if (!grow((void **)&g->rooms, &g->cap_rooms, g->n_rooms + 1, sizeof *g->rooms)) {
        g->failed = true;
        return -1;
    }
    gen_room *r = &g->rooms[g->n_rooms];
    memset(r, 0, sizeof *r);
    r->busy = bs__gen_bits_new(g);
    r->site = GEN_NO_SITE;
    return r->busy ? g->n_rooms++ : -1;
}

int bs__gen_add_instructor(gen *g)
{
    if (!grow((void **)&g->instructors, &g->cap_instructors, g->n_instructors + 1,
              sizeof *g->instructors)) {
        g->failed = true;
        return -1;
    }
    gen_instructor *in = &g->instructors[g->n_instructors];
    memset(in, 0, sizeof *in);
    in->busy = bs__gen_bits_new(g);
    in->day_minutes = bs_calloc((size_t)g->n_days, sizeof(int));
    in->day_site = bs_calloc((size_t)g->n_days, sizeof(int));
    in->day_in_person = bs_calloc((size_t)g->n_days, sizeof(int));
    in->week_minutes = bs_calloc((size_t)g->n_weeks, sizeof(int));
    in->max_day = in->max_week = -1;
    if (!in->busy || !in->day_minutes || !in->day_site || !in->day_in_person || !in->week_minutes) {
        free(in->busy);
        free(in->day_minutes);
        free(in->day_site);
        free(in->day_in_person);
        free(in->week_minutes);
        g->failed = true;
        return -1;
    }
    for (int d = 0; d < g->n_days; d++)
        in->day_site[d] = -1;
    return g->n_instructors++;
}

int bs__gen_add_learner(gen *g)
{
    if (!grow((void **)&g->learners, &g->cap_learners, g->n_learners + 1, sizeof *g->learners)) {
        g->failed = true;
        return -1;
    }
    gen_learner *l = &g->learners[g->n_learners];
    memset(l, 0, sizeof *l);
    l->mpd = -1;
    l->busy = bs__gen_bits_new(g);
    return l->busy ? g->n_learners++ : -1;
}

bool bs__gen_list_push(gen *g, gen_list *list, int v)
{
    if (!grow((void **)&list->items, &list->cap, list->n + 1, sizeof(int))) {
        g->failed = true;
        return false;
    }
    list->items[list->n++] = v;
    return true;
}

bool bs__gen_cohort_add_learner(gen *g, gen_cohort *c, int learner)
{
    if (!grow((void **)&c->learners, &c->cap_learners, c->n_learners + 1, sizeof(int))) {
        g->failed = true;
        return false;
    }
    c->learners[c->n_learners++] = learner;
    return true;
}

void bs__gen_free(gen *g)
{
    for (int z = 0; z < GEN_NZONES; z++)
        bs_tz_destroy(&g->tz[z]);
    free(g->day_begin);
    free(g->study);
    free(g->study_prefix);
    free(g->cell_day);
    for (int i = 0; i < g->n_rooms; i++)
        free(g->rooms[i].busy);
    free(g->rooms);
    for (int i = 0; i < g->n_instructors; i++) {
        gen_instructor *in = &g->instructors[i];
        free(in->busy);
        free(in->day_minutes);
        free(in->week_minutes);
        free(in->day_site);
        free(in->day_in_person);
    }
    free(g->instructors);
    free(g->programs);
    for (int i = 0; i < g->n_cohorts; i++) {
        free(g->cohorts[i].learners);
        free(g->cohorts[i].busy);
        free(g->cohorts[i].instructors);
    }
    free(g->cohorts);
    for (int i = 0; i < g->n_learners; i++)
        free(g->learners[i].busy);
    free(g->learners);
    free(g->sessions);
    for (int i = 0; i < GEN_NSKILLS; i++)
        free(g->by_skill[i].items);
    for (int i = 0; i <= GEN_NSITES; i++)
        free(g->by_site[i].items);
    for (int i = 0; i < g->n_patterns; i++)
        free(g->patterns[i].bits);
    free(g->patterns);
    memset(g, 0, sizeof *g);
}

/* ==== Command line ==== */

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("blendsched-gen: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'blendsched-gen --help'.\n", stderr);
    return 2;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    if (s == NULL || *s < '0' || *s > '9')
        return false;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0')
        return false;
    *out = (uint64_t)v;
    return true;
}

static int exit_for(bs_rc rc)
{
    return rc == BS_EIO || rc == BS_EUSAGE || rc == BS_EINVAL ? 2 : 3;
}

static int run(const gen_opts *opts)
{
    gen g;
    memset(&g, 0, sizeof g);
    g.opts = *opts;
    bs_rc rc = BS_OK;
    bs_err err = {0};
    bs_buf input, cal;
    bs_buf_init(&input);
    bs_buf_init(&cal);
    bs__gen_rng_seed(&g.rng, opts->seed);
    rc = bs__gen_calendar(&g, &err);
    if (rc == BS_OK)
        rc = bs__gen_build(&g, &err);
    if (rc == BS_OK)
        rc = bs__gen_plant(&g, &err);
    if (rc == BS_OK)
        rc = bs__gen_write_input(&g, &input, &err);
    char sha[65] = {0};
    if (rc == BS_OK && opts->planted != NULL) {
        bs_sha256_hex(input.data, input.len, sha);
        rc = bs__gen_write_calendar(&g, sha, &cal, &err);
    }
    if (rc == BS_OK)
        rc = bs_write_file_atomic(opts->out, input.data, input.len, &err);
    if (rc == BS_OK && opts->planted != NULL)
        rc = bs_write_file_atomic(opts->planted, cal.data, cal.len, &err);
    if (rc != BS_OK)
        fprintf(stderr, "blendsched-gen: error: %s\n", err.msg[0] ? err.msg : bs_strerror(rc));
    bs_buf_free(&input);
    bs_buf_free(&cal);
    bs__gen_free(&g);
    return rc == BS_OK ? 0 : exit_for(rc);
}

int main(int argc, char **argv)
{
    enum { OPT_COHORTS = 256, OPT_SEED, OPT_TIGHT, OPT_THREADS, OPT_PLANTED, OPT_NOVR };
    static const struct option longopts[] = {{"cohorts", required_argument, NULL, OPT_COHORTS},
                                             {"seed", required_argument, NULL, OPT_SEED},
                                             {"tightness", required_argument, NULL, OPT_TIGHT},
                                             {"threads-hint", no_argument, NULL, OPT_THREADS},
                                             {"no-virtual-rooms", no_argument, NULL, OPT_NOVR},
                                             {"planted", required_argument, NULL, OPT_PLANTED},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    gen_opts o = {.cohorts = 0, .seed = 1, .tightness = 0.8, .virtual_rooms = true};
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
        uint64_t v;
        char *end = NULL;
        switch (ch) {
        case 'h':
            fputs(HELP, stdout);
            return 0;
        case 'o':
            o.out = optarg;
            break;
        case OPT_PLANTED:
            o.planted = optarg;
            break;
        case OPT_THREADS:
            o.threads_hint = true;
            break;
        case OPT_NOVR:
            o.virtual_rooms = false;
            break;
        case OPT_COHORTS:
            if (!parse_u64(optarg, &v) || v < 1 || v > 100000)
                return usage_error("--cohorts wants an integer 1..100000, not '%s'", optarg);
            o.cohorts = (int)v;
            break;
        case OPT_SEED:
            if (!parse_u64(optarg, &v))
                return usage_error("--seed wants a non-negative integer, not '%s'", optarg);
            o.seed = v;
            break;
        case OPT_TIGHT:
            errno = 0;
            o.tightness = strtod(optarg, &end);
            if (errno != 0 || end == optarg || *end != '\0' || !(o.tightness > 0.0) ||
                o.tightness > 1.0)
                return usage_error("--tightness wants a number in (0, 1], not '%s'", optarg);
            break;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (o.cohorts == 0)
        return usage_error("%s", "--cohorts is required");
    if (o.out == NULL)
        return usage_error("%s", "-o is required");
    if (o.planted != NULL && strcmp(o.planted, "-") == 0 && strcmp(o.out, "-") == 0)
        return usage_error("%s", "only one of -o and --planted may be stdout");
    return run(&o);
}
