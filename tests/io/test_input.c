/**
 * @file test_input.c
 * @brief Criterion units of the input loader: defaults, reference
 *        resolution, time-zone conversion (DST, learner zones, 24:00),
 *        and error reporting (paths, did-you-mean, strict JSON).
 */
#include "io/input.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(input);

/* A minimal valid input; %s slots let tests add keys to the calendar, the
 * program, the cohort and the top level. */
static const char BASE[] =
    "{\"format\": \"blendsched/1\",\n"
    " \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-08\"%s},\n"
    " \"programs\": [{\"id\": \"k8s-cert\", \"model\": \"flipped\", \"modules\": [\n"
    "   {\"id\": \"pre\", \"kind\": \"self_paced\", \"effort_minutes\": 30},\n"
    "   {\"id\": \"s1\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": 60,\n"
    "    \"requires\": [\"pre\"]%s}]}],\n"
    " \"cohorts\": [{\"id\": \"c\", \"program\": \"k8s-cert\", \"start\": \"2027-01-04\",\n"
    "   \"end\": \"2027-01-08\"%s}]%s}\n";

static bs_messages g_msgs;
static bs_problem *g_p;

static void cleanup(void)
{
    bs_messages_free(&g_msgs);
    bs_problem_destroy(&g_p);
}

/* Load len bytes (NULs allowed) as "t.json" into g_p / g_msgs. */
static bs_rc load_bytes(const char *data, size_t len)
{
    bs_err err = {BS_OK, ""};
    bs_problem_destroy(&g_p);
    bs_messages_free(&g_msgs);
    return bs_input_load_buffer("t.json", data, len, &g_p, &g_msgs, &err);
}

static bs_rc load_text(const char *json)
{
    return load_bytes(json, strlen(json));
}

static bs_rc load_base(const char *cal, const char *live, const char *cohort, const char *top)
{
    char buf[8192];
    snprintf(buf, sizeof buf, BASE, cal, live, cohort, top);
    return load_text(buf);
}

static bool has_msg(const char *needle)
{
    for (size_t i = 0; i < g_msgs.count; i++)
        if (strstr(g_msgs.items[i], needle) != NULL)
            return true;
    return false;
}

static void dump_msgs(void)
{
    for (size_t i = 0; i < g_msgs.count; i++)
        cr_log_info("%s", g_msgs.items[i]);
}

static char *read_example(size_t *len)
{
    FILE *f = fopen("fixtures/example/input.json", "rb");
    cr_assert_not_null(f, "run from the repository root");
    char *buf = malloc(1 << 16);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static int tag(const bs_problem *p, const char *name)
{
    for (size_t i = 0; i < p->n_tags; i++)
        if (strcmp(p->tags[i], name) == 0)
            return (int)i;
    return -1;
}

/* 2027-03-26 etc. as UTC minutes of local wall time minus an offset. */
static bs_time utc(int y, int m, int d, int hh, int mm)
{
    return bs_days_from_civil(y, m, d) * 1440 + hh * 60 + mm;
}

Test(input, applies_defaults, .fini = cleanup)
{
    bs_rc rc = load_base("", "", "", "");
    dump_msgs();
    cr_assert_eq(rc, BS_OK, "%s", bs_strerror(rc));
    const bs_problem *p = g_p;
    cr_assert_str_eq(p->timezone, "UTC");
    cr_assert_eq(p->slot_minutes, 30);
    cr_assert_eq(p->day_start_minute, 9 * 60);
    cr_assert_eq(p->day_end_minute, 17 * 60);
    for (int d = 0; d < 7; d++)
        cr_assert_eq(p->workdays[d], d <= BS_FRI);
    cr_assert_eq(p->weights.unplaced, 10000);
    cr_assert_eq(p->weights.instructor_change, 50);
    cr_assert_eq(p->weights.room_change, 20);
    cr_assert_eq(p->weights.outside_preferred, 5);
    cr_assert_eq(p->weights.rhythm, 10);
    cr_assert_eq(p->weights.cost, 0);
    cr_assert_eq(p->weights.spread, 5);
    cr_assert_eq(p->weights.isolated, 0);
    cr_assert_not(p->weights.has_over_capacity);
    cr_assert_eq(p->weights.moved, 100);
    cr_assert_eq(p->weights.reassigned, 30);
    const bs_program *pr = &p->programs[0];
    cr_assert(pr->ordered);
    cr_assert_eq(pr->cadence_days, -1);
    cr_assert_eq(pr->modules[1].instructors, 1);
    cr_assert_eq(pr->modules[1].min_gap_days, 0);
    cr_assert_not(pr->modules[1].has_window);
    cr_assert_not(pr->modules[1].optional);
    const bs_cohort *c = &p->cohorts[0];
    cr_assert_eq(c->priority, 1);
    cr_assert_eq(c->self_paced_minutes_per_day, 60);
    cr_assert_eq(c->size, 0);
    cr_assert_eq(c->site, -1);
    cr_assert_not(c->has_instructors);
    cr_assert_str_eq(c->timezone, "UTC");
    /* The cohort window: 09:00-17:00 every date of the cohort, a day either
     * side (here the whole horizon plus a day). */
    cr_assert_eq(c->window.count, 7);
    cr_assert_eq(c->window.items[1].from, utc(2027, 1, 4, 9, 0));
    cr_assert_eq(c->window.items[1].to, utc(2027, 1, 4, 17, 0));
    cr_assert_eq(p->n_days, 5);
    cr_assert_eq(p->horizon_first_day, 0);
    cr_assert_eq(p->horizon_last_day, 4);
    cr_assert_eq(p->n_slots, 5 * 48);
    cr_assert_eq(p->slots[0].start, utc(2027, 1, 4, 0, 0));
    cr_assert_eq(p->days[0].weekday, BS_MON);
    cr_assert_eq(p->days[0].iso_week, 202701);
    cr_assert_eq(strlen(p->input_sha256), 64);
}

Test(input, resolves_references_in_the_example, .fini = cleanup)
{
    size_t len;
    char *buf = read_example(&len);
    bs_err err;
    bs_rc rc = bs_input_load_buffer("example.json", buf, len, &g_p, &g_msgs, &err);
    free(buf);
    dump_msgs();
    cr_assert_eq(rc, BS_OK);
    const bs_problem *p = g_p;
    cr_assert_eq(p->n_rooms, 3);
    cr_assert_eq(p->n_cohorts, 3);
    cr_assert_eq(p->cohorts[0].program, 0);
    cr_assert_eq(p->cohorts[2].program, 1);
    cr_assert_str_eq(p->sites[p->cohorts[0].site], "ber");
    cr_assert_eq(p->rooms[0].site, p->cohorts[0].site);
    cr_assert_eq(p->rooms[2].site, -1);
    cr_assert(p->has_virtual_rooms);
    /* learners l3 (index 2) is in cohorts 0 and 2, in that order */
    cr_assert_eq(p->cohorts[0].learners.count, 3);
    cr_assert_eq(p->cohorts[0].learners.items[2], 2);
    cr_assert_eq(p->learners[2].cohorts.count, 2);
    cr_assert_eq(p->learners[2].cohorts.items[0], 0);
    cr_assert_eq(p->learners[2].cohorts.items[1], 2);
    cr_assert_eq(p->cohorts[0].size, 12);
    cr_assert_eq(p->cohorts[2].priority, 2);
    /* modules: lab-2 requires docs-reading (index 2) */
    const bs_module *lab2 = &p->programs[0].modules[3];
    cr_assert_str_eq(lab2->id, "lab-2");
    cr_assert_eq(lab2->requires.count, 1);
    cr_assert_eq(lab2->requires.items[0], 2);
    cr_assert_eq(lab2->min_gap_days, 3);
    cr_assert(lab2->in_person);
    cr_assert(bs_ids_contains(&lab2->room_features, tag(p, "lab")));
    cr_assert(bs_ids_contains(&p->instructors[0].skills, tag(p, "k8s")));
    cr_assert(bs_ids_contains(&p->rooms[0].features, tag(p, "lab")));
    /* learner l1 completed k8s-cert/setup-videos */
    cr_assert_eq(p->learners[0].n_completed, 1);
    cr_assert_eq(p->learners[0].completed[0].program, 0);
    cr_assert_eq(p->learners[0].completed[0].module, 0);
    cr_assert_eq(p->learners[1].self_paced_minutes_per_day, 30);
    /* enriched-virtual windows */
    const bs_module *kick = &p->programs[1].modules[1];
    cr_assert(kick->has_window);
    cr_assert_eq(kick->window_to_day, 14);
    /* holiday 2027-01-06 (a Wednesday) is no workday; day 0 is the 4th */
    cr_assert_not(p->days[2].is_workday);
    cr_assert(p->days[1].is_workday);
    /* instructor bo: America/New_York, mon-thu 08:00-14:00 -> 13:00Z-19:00Z
     * in January; the first window is on Mon 2027-01-04 (the horizon starts
     * that Monday; the Sunday before has no window) */
    const bs_instructor *bo = &p->instructors[1];
    cr_assert_str_eq(bo->timezone, "America/New_York");
    cr_assert_eq(bo->available.items[0].from, utc(2027, 1, 4, 13, 0));
    cr_assert_eq(bo->available.items[0].to, utc(2027, 1, 4, 19, 0));
    cr_assert_eq(bo->max_minutes_per_day, -1);
    cr_assert_eq(p->instructors[0].max_minutes_per_week, 900);
    /* ana (calendar zone, default): mon-fri 09:00-17:00 Berlin = 08:00Z */
    cr_assert_eq(p->instructors[0].available.items[0].from, utc(2027, 1, 4, 8, 0));
    /* room unavailable 2027-02-01..2027-02-05: whole days, Berlin */
    const bs_intervals *ru = &p->rooms[1].unavailable;
    cr_assert_eq(ru->count, 1);
    cr_assert_eq(ru->items[0].from, utc(2027, 1, 31, 23, 0));
    cr_assert_eq(ru->items[0].to, utc(2027, 2, 5, 23, 0));
    /* l3: 2027-01-25T09:00..12:00 in Berlin (its first cohort's zone) */
    cr_assert_eq(p->learners[2].unavailable.items[0].from, utc(2027, 1, 25, 8, 0));
    cr_assert_eq(p->learners[2].unavailable.items[0].to, utc(2027, 1, 25, 11, 0));
    /* the preferred window of k8s-ber-1: tue and thu 09:00-13:00 */
    const bs_cohort *c0 = &p->cohorts[0];
    cr_assert(c0->has_preferred);
    cr_assert_eq(c0->preferred.items[0].from, utc(2027, 1, 12, 8, 0));
    cr_assert_eq(c0->preferred.items[1].from, utc(2027, 1, 14, 8, 0));
    cr_assert_eq(p->n_warnings, 0);
}

Test(input, slot_grid_follows_daylight_saving_in_berlin, .fini = cleanup)
{
    /* Clocks go forward on Sunday 2027-03-28 and back on Sunday 2027-10-31. */
    bs_rc rc = load_text(
        "{\"format\": \"blendsched/1\",\n"
        " \"calendar\": {\"start\": \"2027-03-26\", \"end\": \"2027-03-29\",\n"
        "   \"timezone\": \"Europe/Berlin\",\n"
        "   \"workdays\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sun\"]},\n"
        " \"programs\": [{\"id\": \"p\", \"model\": \"flex\", \"modules\": [\n"
        "   {\"id\": \"s1\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": "
        "60}]}],\n"
        " \"cohorts\": [{\"id\": \"c\", \"program\": \"p\", \"start\": \"2027-03-26\", "
        "\"end\": \"2027-03-29\"}]}");
    dump_msgs();
    cr_assert_eq(rc, BS_OK);
    const bs_problem *p = g_p;
    size_t fri = bs_problem_slot_at_or_after(p, utc(2027, 3, 26, 8, 0));
    cr_assert_eq(p->slots[fri].start, utc(2027, 3, 26, 8, 0)); /* 09:00 CET */
    cr_assert_eq(p->slots[fri].local_minute, 9 * 60);
    size_t mon = bs_problem_slot_at_or_after(p, utc(2027, 3, 29, 7, 0));
    cr_assert_eq(p->slots[mon].start, utc(2027, 3, 29, 7, 0)); /* 09:00 CEST */
    cr_assert_eq(p->slots[mon].local_minute, 9 * 60);
    cr_assert_eq(p->slots[mon - 1].local_minute, 8 * 60 + 30);
    /* Sunday: 02:00 and 02:30 do not exist; the day has 46 slots. Saturday
     * is no workday. */
    int sun = 2;
    size_t n_sun = 0;
    for (size_t i = 0; i < p->n_slots; i++) {
        if (p->slots[i].day != sun)
            continue;
        n_sun++;
        cr_assert(p->slots[i].local_minute != 120 && p->slots[i].local_minute != 150);
    }
    cr_assert_eq(n_sun, 46);
    cr_assert_eq(p->n_slots, 48 + 46 + 48);
    for (size_t i = 1; i < p->n_slots; i++)
        cr_assert_lt(p->slots[i - 1].start, p->slots[i].start);
    /* Days begin at local midnight: 23:00Z in winter, 22:00Z in summer. */
    cr_assert_eq(p->days[2].begin, utc(2027, 3, 27, 23, 0));
    cr_assert_eq(p->days[3].begin, utc(2027, 3, 28, 22, 0));
    cr_assert_eq(bs_problem_day_of(p, utc(2027, 3, 28, 22, 30)), 3);
    /* The cohort window on the Monday, 09:00-17:00 CEST. */
    cr_assert(bs_intervals_contain(&p->cohorts[0].window, utc(2027, 3, 29, 7, 0),
                                   utc(2027, 3, 29, 15, 0)));
    cr_assert_not(bs_intervals_contain(&p->cohorts[0].window, utc(2027, 3, 29, 8, 0),
                                       utc(2027, 3, 29, 16, 0)));
}

Test(input, slot_grid_repeats_the_hour_clocks_fall_back, .fini = cleanup)
{
    bs_rc rc = load_text(
        "{\"format\": \"blendsched/1\",\n"
        " \"calendar\": {\"start\": \"2027-10-31\", \"end\": \"2027-10-31\",\n"
        "   \"timezone\": \"Europe/Berlin\", \"slot_minutes\": 60, \"workdays\": [\"sun\"]},\n"
        " \"programs\": [{\"id\": \"p\", \"model\": \"flex\", \"modules\": [\n"
        "   {\"id\": \"s1\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": "
        "60}]}],\n"
        " \"cohorts\": [{\"id\": \"c\", \"program\": \"p\", \"start\": \"2027-10-31\", "
        "\"end\": \"2027-10-31\"}]}");
    dump_msgs();
    cr_assert_eq(rc, BS_OK);
    /* 25 hours: 02:00 happens twice (00:00Z in CEST, 01:00Z in CET). */
    cr_assert_eq(g_p->n_slots, 25);
    cr_assert_eq(g_p->slots[2].start, utc(2027, 10, 31, 0, 0));
    cr_assert_eq(g_p->slots[2].local_minute, 120);
    cr_assert_eq(g_p->slots[3].start, utc(2027, 10, 31, 1, 0));
    cr_assert_eq(g_p->slots[3].local_minute, 120);
}

Test(input, learner_takes_the_zone_of_its_first_cohort, .fini = cleanup)
{
    bs_rc rc = load_base(
        "", "", ", \"timezone\": \"America/New_York\", \"learners\": [\"ann\", \"bea\"]",
        ", \"learners\": [{\"id\": \"ann\"}, {\"id\": \"bea\", \"timezone\": \"Asia/Tokyo\","
        " \"hours\": {\"from\": \"08:00\", \"to\": \"24:00\"}}, {\"id\": \"cid\"}]");
    dump_msgs();
    cr_assert_eq(rc, BS_OK);
    const bs_problem *p = g_p;
    cr_assert_str_eq(p->learners[0].timezone, "America/New_York");
    cr_assert_str_eq(p->learners[1].timezone, "Asia/Tokyo");
    cr_assert_str_eq(p->learners[2].timezone, "UTC"); /* in no cohort */
    /* ann: 09:00 New York (EST, -5) is 14:00Z; the first window is the day
     * before the cohort starts. */
    const bs_intervals *h = &p->learners[0].hours;
    cr_assert_eq(h->items[0].from, utc(2027, 1, 3, 14, 0));
    cr_assert_eq(h->items[1].from, utc(2027, 1, 4, 14, 0));
    cr_assert_eq(h->items[1].to, utc(2027, 1, 4, 22, 0));
    /* bea: 08:00-24:00 Tokyo (+9) = 23:00Z the day before .. 15:00Z */
    const bs_intervals *hb = &p->learners[1].hours;
    cr_assert_eq(hb->items[1].from, utc(2027, 1, 3, 23, 0));
    cr_assert_eq(hb->items[1].to, utc(2027, 1, 4, 15, 0));
}

Test(input, converts_unavailable_spans_in_the_owners_zone, .fini = cleanup)
{
    bs_rc rc = load_text(
        "{\"format\": \"blendsched/1\",\n"
        " \"calendar\": {\"start\": \"2027-03-22\", \"end\": \"2027-04-02\",\n"
        "   \"timezone\": \"Europe/Berlin\"},\n"
        " \"instructors\": [{\"id\": \"i\", \"timezone\": \"America/New_York\",\n"
        "   \"unavailable\": [{\"from\": \"2027-03-23\", \"to\": \"2027-03-23\"}]}],\n"
        " \"programs\": [{\"id\": \"p\", \"model\": \"flex\", \"modules\": [\n"
        "   {\"id\": \"s1\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": "
        "60}]}],\n"
        " \"cohorts\": [{\"id\": \"c\", \"program\": \"p\", \"start\": \"2027-03-22\", "
        "\"end\": \"2027-04-02\", \"learners\": [\"l\"]}],\n"
        " \"learners\": [{\"id\": \"l\", \"unavailable\": [\n"
        "   {\"from\": \"2027-03-28T02:30\", \"to\": \"2027-03-28T04:00\"}]}]}");
    dump_msgs();
    cr_assert_eq(rc, BS_OK);
    /* A whole day in New York (EDT since 2027-03-14: -4). */
    const bs_intervals *iu = &g_p->instructors[0].unavailable;
    cr_assert_eq(iu->count, 1);
    cr_assert_eq(iu->items[0].from, utc(2027, 3, 23, 4, 0));
    cr_assert_eq(iu->items[0].to, utc(2027, 3, 24, 4, 0));
    /* 02:30 does not exist in Berlin that night: the span opens when the
     * clocks reach 03:00 CEST (01:00Z) and ends at 04:00 CEST (02:00Z). */
    const bs_intervals *lu = &g_p->learners[0].unavailable;
    cr_assert_eq(lu->count, 1);
    cr_assert_eq(lu->items[0].from, utc(2027, 3, 28, 1, 0));
    cr_assert_eq(lu->items[0].to, utc(2027, 3, 28, 2, 0));
    /* The instructor's default windows: calendar workdays 09:00-17:00 in
     * New York, sorted, none on the weekend. */
    const bs_intervals *av = &g_p->instructors[0].available;
    cr_assert_eq(av->items[0].from, utc(2027, 3, 22, 13, 0));
    for (size_t i = 1; i < av->count; i++)
        cr_assert_lt(av->items[i - 1].from, av->items[i].from);
    cr_assert_not(bs_intervals_overlap(av, utc(2027, 3, 27, 0, 0), utc(2027, 3, 29, 0, 0)));
}

Test(input, accepts_24_00_only_as_an_end, .fini = cleanup)
{
    bs_rc rc = load_base(", \"day_end\": \"24:00\"", "", "", "");
    dump_msgs();
    cr_assert_eq(rc, BS_OK);
    cr_assert_eq(g_p->day_end_minute, 1440);
    cr_assert_eq(g_p->cohorts[0].window.items[1].to, utc(2027, 1, 5, 0, 0));
    rc = load_base(", \"day_start\": \"24:00\"", "", "", "");
    cr_assert_eq(rc, BS_EINVAL);
    cr_assert(has_msg("t.json: $.calendar.day_start: 24:00 is allowed only as an end"));
}

Test(input, reports_every_error_with_its_path, .fini = cleanup)
{
    bs_rc rc = load_base(", \"slot_minutes\": 7", ", \"instructors\": 0",
                         ", \"priority\": 101, \"colour\": \"red\"", "");
    cr_assert_eq(rc, BS_EINVAL);
    cr_assert_null(g_p);
    dump_msgs();
    cr_assert_eq(g_msgs.count, 4);
    cr_assert(has_msg("t.json: $.calendar.slot_minutes: must divide 1440 (got 7)"));
    cr_assert(has_msg("t.json: $.programs[0].modules[1].instructors: must be at least 1"));
    cr_assert(has_msg("t.json: $.cohorts[0].priority: must be between 1 and 100 (got 101)"));
    cr_assert(has_msg("t.json: $.cohorts[0].colour: unknown key \"colour\""));
}

Test(input, caps_the_number_of_messages, .fini = cleanup)
{
    char buf[20000];
    char extra[16000] = "";
    for (int i = 0; i < 80; i++) {
        char k[40];
        snprintf(k, sizeof k, ", \"bad%d\": 1", i);
        strcat(extra, k);
    }
    snprintf(buf, sizeof buf, BASE, "", "", extra, "");
    cr_assert_eq(load_text(buf), BS_EINVAL);
    cr_assert_eq(g_msgs.count, BS_MAX_ERRORS);
    cr_assert_eq(g_msgs.dropped, 80 - BS_MAX_ERRORS);
}

Test(input, suggests_the_nearest_id, .fini = cleanup)
{
    bs_rc rc = load_text(
        "{\"format\": \"blendsched/1\", \"calendar\": {\"start\": \"2027-01-04\", \"end\": "
        "\"2027-01-08\"},\n"
        " \"programs\": [{\"id\": \"k8s-cert\", \"model\": \"flex\", \"modules\": [\n"
        "   {\"id\": \"s1\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": "
        "60}]}],\n"
        " \"cohorts\": [{\"id\": \"a\", \"program\": \"k8s-cert\", \"start\": \"2027-01-04\", "
        "\"end\": \"2027-01-08\"},\n"
        "   {\"id\": \"b\", \"program\": \"k8s-cret\", \"start\": \"2027-01-04\", \"end\": "
        "\"2027-01-08\"},\n"
        "   {\"id\": \"c\", \"program\": \"zzz\", \"start\": \"2027-01-04\", \"end\": "
        "\"2027-01-08\"}]}");
    cr_assert_eq(rc, BS_EINVAL);
    dump_msgs();
    cr_assert(has_msg("t.json: $.cohorts[1].program: unknown program \"k8s-cret\" (did you "
                      "mean \"k8s-cert\"?)"));
    cr_assert(has_msg("t.json: $.cohorts[2].program: unknown program \"zzz\""));
    cr_assert_not(has_msg("\"zzz\" (did you mean"));
}

Test(input, rejects_a_duplicate_key, .fini = cleanup)
{
    bs_rc rc = load_base(", \"start\": \"2027-01-05\"", "", "", "");
    cr_assert_eq(rc, BS_EINVAL);
    dump_msgs();
    cr_assert(has_msg("t.json: $.calendar.start: duplicate key \"start\""));
}

Test(input, rejects_integers_beyond_32_bits_and_fractions, .fini = cleanup)
{
    cr_assert_eq(load_base("", ", \"min_gap_days\": 4294967296", "", ""), BS_EINVAL);
    cr_assert(has_msg("$.programs[0].modules[1].min_gap_days: integer 4294967296 does not fit "
                      "in 32 bits"));
    cr_assert_eq(load_base("", ", \"min_gap_days\": 2147483647", "", ""), BS_OK);
    cr_assert_eq(load_base("", ", \"min_gap_days\": 1.5", "", ""), BS_EINVAL);
    cr_assert(has_msg("$.programs[0].modules[1].min_gap_days: must be an integer"));
    /* 1.0 and 1e1 have integral values but are not integers by the format */
    cr_assert_eq(load_base("", ", \"min_gap_days\": 1.0", "", ""), BS_EINVAL);
    cr_assert_eq(load_base("", ", \"min_gap_days\": 1e1", "", ""), BS_EINVAL);
    cr_assert_eq(load_base("", ", \"min_gap_days\": -0", "", ""), BS_OK);
}

Test(input, reports_malformed_json_with_line_and_column, .fini = cleanup)
{
    cr_assert_eq(load_text("{\n  \"format\": \"blendsched/1\",\n  \"calendar\": }\n"), BS_EPARSE);
    dump_msgs();
    cr_assert_eq(g_msgs.count, 1);
    cr_assert(has_msg("t.json:3:15: malformed JSON"));
    cr_assert_eq(load_text("{} x"), BS_EPARSE);
    cr_assert(has_msg("t.json:1:4: malformed JSON"));
    cr_assert_eq(load_text(""), BS_EPARSE);
    cr_assert(has_msg("t.json:1:1: malformed JSON: unexpected end of input"));
    cr_assert_eq(load_text("[01]"), BS_EPARSE);
    cr_assert(has_msg("t.json:1:2: malformed JSON: invalid number"));
    cr_assert_eq(load_text("{\"a\": \"x\ty\"}"), BS_EPARSE);
    cr_assert(has_msg("t.json:1:9: malformed JSON: raw control character"));
    cr_assert_eq(load_text("{\"a\": \"x\\u0000y\"}"), BS_EPARSE);
    cr_assert(has_msg("\\u0000"));
    cr_assert_eq(load_text("{\"a\": \"\xff\"}"), BS_EPARSE);
    cr_assert(has_msg("t.json:1:8: malformed JSON: invalid UTF-8"));
    /* A NUL byte after the document is no end of it. */
    cr_assert_eq(load_bytes("{}\0", 3), BS_EPARSE);
    cr_assert(has_msg("t.json:1:3: malformed JSON: control character U+0000"));
    cr_assert_eq(load_bytes("{}\0{}", 5), BS_EPARSE);
    cr_assert(has_msg("t.json:1:3: malformed JSON"));
    cr_assert_eq(load_text("{\n  'format': 1}"), BS_EPARSE);
    cr_assert(has_msg("t.json:2:3: malformed JSON: unexpected character '''"));
    cr_assert_eq(load_text("[1, 2,]"), BS_EPARSE);
    cr_assert(has_msg("t.json:1:7: malformed JSON: unexpected character ']' (expected a value)"));
    cr_assert_eq(load_text("{\"a\": \"\\ud800\"}"), BS_EPARSE);
    cr_assert(has_msg("t.json:1:8: malformed JSON: high surrogate"));
    /* Valid escapes, a surrogate pair and multi-byte UTF-8 pass the
     * recognizer (and fail later, on the schema, as an unknown key). */
    cr_assert_eq(
        load_text("{\"x-a\": \"\\ud83d\\ude00 \\n\\/ caf\xc3\xa9\", \"\xe2\x82\xac\": 1e-3}"),
        BS_EINVAL);
    cr_assert(has_msg("t.json: $[\"\xe2\x82\xac\"]: unknown key"));
    cr_assert_eq(load_text("{\"a\":\f1}"), BS_EPARSE);
    cr_assert(has_msg("t.json:1:6: malformed JSON: control character U+000C"));
}

/* Kept out of fixtures/invalid: Python's json (used by other checks on the
 * corpus) gives up on such depth with a RecursionError. */
Test(input, refuses_nesting_deeper_than_cjson_allows, .fini = cleanup)
{
    size_t depth = 1200, len = depth * 2 + 16;
    char *buf = malloc(len);
    size_t o = (size_t)sprintf(buf, "{\"x-deep\": ");
    memset(buf + o, '[', depth);
    memset(buf + o + depth, ']', depth);
    strcpy(buf + o + 2 * depth, "}");
    bs_rc rc = load_text(buf);
    free(buf);
    cr_assert_eq(rc, BS_EPARSE);
    /* '{' is level 1, so the 1000th '[' (column 1011) is level 1001 */
    cr_assert(has_msg("t.json:1:1011: malformed JSON: nesting deeper than 1000 levels"));
}

Test(input, names_a_requires_cycle, .fini = cleanup)
{
    bs_rc rc = load_text(
        "{\"format\": \"blendsched/1\", \"calendar\": {\"start\": \"2027-01-04\", \"end\": "
        "\"2027-01-08\"},\n"
        " \"programs\": [{\"id\": \"p\", \"model\": \"flex\", \"ordered\": false, \"modules\": [\n"
        "   {\"id\": \"a\", \"kind\": \"live\", \"mode\": \"virtual\", \"duration_minutes\": 60, "
        "\"requires\": [\"b\"]},\n"
        "   {\"id\": \"b\", \"kind\": \"self_paced\", \"effort_minutes\": 1, \"requires\": "
        "[\"a\"]}]}],\n"
        " \"cohorts\": []}");
    cr_assert_eq(rc, BS_EINVAL);
    dump_msgs();
    cr_assert(has_msg("$.programs[0].modules[0].requires: requires cycle: a -> b -> a"));
}

Test(input, warns_about_flipped_live_modules_without_prework, .fini = cleanup)
{
    /* s1 requires pre; the second live module requires only s1 */
    char live2[200];
    snprintf(live2, sizeof live2,
             "}, {\"id\": \"s2\", \"kind\": \"live\", \"mode\": \"virtual\","
             " \"duration_minutes\": 30, \"requires\": [\"s1\"]");
    cr_assert_eq(load_base("", live2, "", ""), BS_OK);
    cr_assert_eq(g_p->n_warnings, 1);
    cr_assert_str_eq(g_p->warnings[0].code, "FLIPPED_WITHOUT_PREWORK");
    cr_assert(strstr(g_p->warnings[0].message, "\"s2\"") != NULL);
}

Test(input, converts_pins_from_the_calendar_zone, .fini = cleanup)
{
    cr_assert_eq(load_base(", \"timezone\": \"Europe/Berlin\"", "", "",
                           ", \"fixed\": [{\"cohort\": \"c\", \"module\": \"s1\", \"start\": "
                           "\"2027-01-05T10:00\"}]"),
                 BS_OK);
    cr_assert_eq(g_p->n_pins, 1);
    cr_assert(g_p->pins[0].has_start);
    cr_assert_eq(g_p->pins[0].start, utc(2027, 1, 5, 9, 0));
    cr_assert_eq(g_p->pins[0].module, 1);
    cr_assert_not(g_p->pins[0].has_room);
    cr_assert_eq(load_base(", \"timezone\": \"Europe/Berlin\"", "", "",
                           ", \"fixed\": [{\"cohort\": \"c\", \"module\": \"pre\"}]"),
                 BS_EINVAL);
    cr_assert(has_msg("$.fixed[0].module: \"pre\" is a self-paced module"));
}

Test(input, refuses_an_oversized_file, .fini = cleanup)
{
    bs_err err;
    bs_rc rc = bs_input_load_file("fixtures/example/input.json", 100, &g_p, &g_msgs, &err);
    cr_assert_eq(rc, BS_EINVAL);
    cr_assert(has_msg("fixtures/example/input.json: input larger than the limit"));
    bs_messages_free(&g_msgs);
    rc = bs_input_load_file("fixtures/example/nonexistent.json", 0, &g_p, &g_msgs, &err);
    cr_assert_eq(rc, BS_EIO);
    cr_assert_null(g_p);
}
