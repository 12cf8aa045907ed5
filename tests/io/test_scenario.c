/**
 * @file test_scenario.c
 * @brief Criterion units of what-if scenarios: the semantics of remove, add
 *        and set (order, cascades, null deletion, key order, numbers kept as
 *        written), the errors of a scenario file (file and JSON path), and
 *        the comparison figures (utilisation, cost, diff classes, learners
 *        affected) that `compare` builds on.
 */
#include "io/scenario.h"
#include "model/compare.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(scenario);

/* A small base: two rooms, two instructors, one program, two cohorts (one
 * restricted to ana, one with learners), a pin on ana and the lab. */
static const char BASE[] =
    "{\"format\": \"blendsched/1\",\n"
    " \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-15\", \"holidays\": "
    "[\"2027-01-06\"]},\n"
    " \"rooms\": [{\"id\": \"lab\", \"site\": \"ber\", \"capacity\": 20, \"cost_per_hour\": "
    "12.5},\n"
    "            {\"id\": \"hall\", \"site\": \"ber\", \"capacity\": 99, \"unavailable\": "
    "[{\"from\": \"2027-01-11\", \"to\": \"2027-01-12\"}]}],\n"
    " \"instructors\": [{\"id\": \"ana\", \"skills\": [\"k8s\"], \"sites\": [\"ber\"], "
    "\"cost_per_hour\": 100},\n"
    "                  {\"id\": \"cy\", \"skills\": [\"k8s\"], \"sites\": [\"ber\"], "
    "\"available\": [{\"days\": [\"mon\"], \"from\": \"09:00\", \"to\": \"12:00\"}]}],\n"
    " \"programs\": [{\"id\": \"p\", \"model\": \"flipped\", \"modules\": [\n"
    "   {\"id\": \"pre\", \"kind\": \"self_paced\", \"effort_minutes\": 30},\n"
    "   {\"id\": \"s1\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60,\n"
    "    \"skills\": [\"k8s\"], \"requires\": [\"pre\"]}]}],\n"
    " \"cohorts\": [{\"id\": \"c1\", \"program\": \"p\", \"site\": \"ber\", \"start\": "
    "\"2027-01-04\", \"end\": \"2027-01-15\", \"instructors\": [\"ana\"], \"learners\": "
    "[\"l1\", \"l2\"]},\n"
    "             {\"id\": \"c2\", \"program\": \"p\", \"site\": \"ber\", \"start\": "
    "\"2027-01-04\", \"end\": \"2027-01-15\", \"size\": 5}],\n"
    " \"learners\": [{\"id\": \"l1\"}, {\"id\": \"l2\"}],\n"
    " \"fixed\": [{\"cohort\": \"c1\", \"module\": \"s1\", \"room\": \"lab\", \"instructors\": "
    "[\"ana\"]},\n"
    "           {\"cohort\": \"c2\", \"module\": \"s1\", \"start\": \"2027-01-05T10:00\"}]}\n";

static bs_messages g_msgs;
static bs_scenario_result g_res;
static bs_problem *g_p;

static void cleanup(void)
{
    bs_messages_free(&g_msgs);
    bs_scenario_result_free(&g_res);
    bs_problem_destroy(&g_p);
}

static bs_rc apply_to(const char *base, const char *scen)
{
    bs_err err = {BS_OK, ""};
    bs_messages_free(&g_msgs);
    bs_scenario_result_free(&g_res);
    return bs_scenario_apply_buffer("base.json", base, strlen(base), "s.json", scen, strlen(scen),
                                    &g_res, &g_msgs, &err);
}

static bs_rc apply(const char *scen)
{
    return apply_to(BASE, scen);
}

/* Apply and load the result as an input. */
static bs_rc apply_load(const char *scen)
{
    bs_rc rc = apply(scen);
    if (rc != BS_OK)
        return rc;
    bs_err err = {BS_OK, ""};
    bs_problem_destroy(&g_p);
    return bs_scenario_load_problem("base.json", "s.json", &g_res, &g_p, &g_msgs, &err);
}

static bool has_msg(const char *needle)
{
    for (size_t i = 0; i < g_msgs.count; i++)
        if (strstr(g_msgs.items[i], needle) != NULL)
            return true;
    return false;
}

static void dump(void)
{
    for (size_t i = 0; i < g_msgs.count; i++)
        cr_log_info("%s", g_msgs.items[i]);
}

static int cohort_index(const bs_problem *p, const char *id)
{
    for (size_t i = 0; i < p->n_cohorts; i++)
        if (strcmp(p->cohorts[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int instructor_index(const bs_problem *p, const char *id)
{
    for (size_t i = 0; i < p->n_instructors; i++)
        if (strcmp(p->instructors[i].id, id) == 0)
            return (int)i;
    return -1;
}

#define S(body) "{\"format\": \"blendsched-scenario/1\"" body "}"

/* ==== Semantics ==== */

Test(scenario, empty_scenario_gives_the_same_problem, .fini = cleanup)
{
    cr_assert_eq(apply_load(S("")), BS_OK);
    cr_assert_str_eq(g_res.name, "s");
    cr_assert_eq(g_p->n_rooms, 2);
    cr_assert_eq(g_p->n_instructors, 2);
    cr_assert_eq(g_p->n_cohorts, 2);
    cr_assert_eq(g_p->n_pins, 2);
    cr_assert_float_eq(g_p->rooms[0].cost_per_hour, 12.5, 1e-12);
    cr_assert_eq(g_p->cohorts[0].instructors.count, 1);
}

Test(scenario, name_comes_from_the_file_or_the_name_key, .fini = cleanup)
{
    bs_err err = {BS_OK, ""};
    const char *sc = S(", \"name\": \"ana leaves\"");
    cr_assert_eq(bs_scenario_apply_buffer("b.json", BASE, strlen(BASE), "dir/x.json", sc,
                                          strlen(sc), &g_res, &g_msgs, &err),
                 BS_OK);
    cr_assert_str_eq(g_res.name, "ana leaves");
    bs_scenario_result_free(&g_res);
    sc = S("");
    cr_assert_eq(bs_scenario_apply_buffer("b.json", BASE, strlen(BASE), "dir/what-if.json", sc,
                                          strlen(sc), &g_res, &g_msgs, &err),
                 BS_OK);
    cr_assert_str_eq(g_res.name, "what-if");
}

Test(scenario, removing_an_instructor_drops_it_from_cohorts_and_pins, .fini = cleanup)
{
    cr_assert_eq(apply_load(S(", \"remove\": {\"instructors\": [\"ana\"]}")), BS_OK, "%s",
                 g_msgs.count ? g_msgs.items[0] : "");
    cr_assert_eq(g_p->n_instructors, 1);
    cr_assert_eq(instructor_index(g_p, "ana"), -1);
    int c1 = cohort_index(g_p, "c1");
    /* c1 was restricted to ana: it stays restricted, to nobody */
    cr_assert(g_p->cohorts[c1].has_instructors);
    cr_assert_eq(g_p->cohorts[c1].instructors.count, 0);
    /* the pin keeps its room, loses its team */
    cr_assert_eq(g_p->n_pins, 2);
    cr_assert(g_p->pins[0].has_room);
    cr_assert_not(g_p->pins[0].has_instructors);
}

Test(scenario, removing_a_learner_drops_it_from_cohorts, .fini = cleanup)
{
    cr_assert_eq(apply_load(S(", \"remove\": {\"learners\": [\"l2\"]}")), BS_OK);
    cr_assert_eq(g_p->n_learners, 1);
    int c1 = cohort_index(g_p, "c1");
    cr_assert_eq(g_p->cohorts[c1].learners.count, 1);
    cr_assert_str_eq(g_p->learners[g_p->cohorts[c1].learners.items[0]].id, "l1");
    cr_assert_eq(g_p->cohorts[c1].size, 1, "size follows the listed learners");
}

Test(scenario, removing_a_cohort_or_room_cleans_the_pins, .fini = cleanup)
{
    cr_assert_eq(apply_load(S(", \"remove\": {\"cohorts\": [\"c2\"], \"rooms\": [\"lab\"]}")),
                 BS_OK);
    cr_assert_eq(g_p->n_cohorts, 1);
    cr_assert_eq(g_p->n_rooms, 1);
    cr_assert_eq(g_p->n_pins, 1, "the pin of c2 goes with it");
    cr_assert_not(g_p->pins[0].has_room, "the pinned room no longer exists");
    cr_assert(g_p->pins[0].has_instructors);
}

Test(scenario, remove_comes_before_add_so_an_entity_can_be_replaced, .fini = cleanup)
{
    cr_assert_eq(apply_load(S(", \"remove\": {\"rooms\": [\"lab\"]},"
                              " \"add\": {\"rooms\": [{\"id\": \"lab\", \"site\": \"ber\","
                              " \"capacity\": 7}]}")),
                 BS_OK);
    cr_assert_eq(g_p->n_rooms, 2);
    cr_assert_str_eq(g_p->rooms[1].id, "lab", "added at the end of its section");
    cr_assert_eq(g_p->rooms[1].capacity, 7);
    cr_assert_float_eq(g_p->rooms[1].cost_per_hour, 0, 1e-12);
}

Test(scenario, set_comes_after_add_and_merges_keys, .fini = cleanup)
{
    cr_assert_eq(apply_load(S(", \"add\": {\"instructors\": [{\"id\": \"dee\", \"sites\": "
                              "[\"ber\"]}]},"
                              " \"set\": {\"instructors\": {\"dee\": {\"skills\": [\"k8s\"],"
                              " \"cost_per_hour\": 60}}, \"rooms\": {\"hall\": {\"capacity\": "
                              "50}}}")),
                 BS_OK);
    int dee = instructor_index(g_p, "dee");
    cr_assert_geq(dee, 0);
    cr_assert_eq(g_p->instructors[dee].skills.count, 1);
    cr_assert_float_eq(g_p->instructors[dee].cost_per_hour, 60, 1e-12);
    cr_assert_eq(g_p->rooms[1].capacity, 50);
    cr_assert_eq(g_p->rooms[1].unavailable.count, 1, "keys not set are kept");
}

Test(scenario, set_null_deletes_a_key_and_set_keeps_key_order, .fini = cleanup)
{
    cr_assert_eq(apply(S(", \"set\": {\"rooms\": {\"hall\": {\"unavailable\": null, "
                         "\"capacity\": 40, \"x-note\": \"kept\"}},"
                         " \"cohorts\": {\"c1\": {\"instructors\": null}}}")),
                 BS_OK);
    const char *hall = strstr(g_res.input, "\"id\": \"hall\"");
    cr_assert_not_null(hall);
    const char *site = strstr(hall, "\"site\""), *cap = strstr(hall, "\"capacity\": 40");
    cr_assert(site != NULL && cap != NULL && site < cap, "capacity stays after site");
    cr_assert_null(strstr(hall, "unavailable"));
    cr_assert_not_null(strstr(hall, "\"x-note\": \"kept\""));
    bs_err err = {BS_OK, ""};
    cr_assert_eq(bs_scenario_load_problem("base.json", "s.json", &g_res, &g_p, &g_msgs, &err),
                 BS_OK);
    cr_assert_eq(g_p->rooms[1].unavailable.count, 0);
    cr_assert_not(g_p->cohorts[0].has_instructors, "instructors deleted: anyone qualified");
}

Test(scenario, set_calendar_and_objective, .fini = cleanup)
{
    cr_assert_eq(apply_load(S(", \"set\": {\"calendar\": {\"holidays\": null, \"slot_minutes\": "
                              "60}, \"objective\": {\"cost\": 3}}")),
                 BS_OK);
    cr_assert_eq(g_p->slot_minutes, 60);
    cr_assert_float_eq(g_p->weights.cost, 3, 1e-12);
    cr_assert_float_eq(g_p->weights.room_change, 20, 1e-12, "defaults still apply");
    /* 2027-01-06 is a workday again */
    bool wed = false;
    for (size_t d = 0; d < g_p->n_days; d++)
        if (g_p->days[d].mday == 6 && g_p->days[d].month == 1)
            wed = g_p->days[d].is_workday;
    cr_assert(wed);
}

Test(scenario, numbers_keep_what_the_loader_checks, .fini = cleanup)
{
    /* 20.0 is not an integer literal: it must stay one that is not */
    cr_assert_eq(apply_load(S(", \"set\": {\"rooms\": {\"lab\": {\"capacity\": 20.0}}}")),
                 BS_EINVAL);
    cr_assert(has_msg("s.json (applied to base.json): $.rooms[0].capacity: must be an integer"));
    /* fractions round-trip exactly, integers stay integers */
    cr_assert_eq(apply_load(S(", \"set\": {\"rooms\": {\"lab\": {\"cost_per_hour\": 0.1, "
                              "\"capacity\": 2147483647}}}")),
                 BS_OK);
    cr_assert_eq(g_p->rooms[0].cost_per_hour, 0.1);
    cr_assert_eq(g_p->rooms[0].capacity, 2147483647);
    cr_assert_not_null(strstr(g_res.input, "\"cost_per_hour\": 0.1\n"), "%s", g_res.input);
    /* an exponent in the base stays refused */
    char base[sizeof BASE + 16];
    const char *cap = strstr(BASE, "\"capacity\": 20,");
    cr_assert_not_null(cap);
    snprintf(base, sizeof base, "%.*s\"capacity\": 2e1%s", (int)(cap - BASE), BASE,
             cap + strlen("\"capacity\": 20"));
    cr_assert_eq(apply_to(base, S("")), BS_OK);
    cr_assert_not_null(strstr(g_res.input, "\"capacity\": 20.0,"), "%s", g_res.input);
    bs_err err = {BS_OK, ""};
    cr_assert_eq(bs_scenario_load_problem("base.json", "s.json", &g_res, &g_p, &g_msgs, &err),
                 BS_EINVAL);
}

Test(scenario, applied_errors_name_the_scenario_and_the_base, .fini = cleanup)
{
    cr_assert_eq(apply_load(S(", \"remove\": {\"programs\": [\"p\"]}")), BS_EINVAL);
    dump();
    cr_assert(has_msg("s.json (applied to base.json): $.cohorts[0].program: unknown program"));
}

/* ==== Errors in the scenario file ==== */

typedef struct bad_case {
    const char *scenario, *needle;
} bad_case;

Test(scenario, errors_name_the_file_and_the_path, .fini = cleanup)
{
    static const bad_case cases[] = {
        {S(", \"remove\": {\"instructors\": [\"anna\"]}"),
         "s.json: $.remove.instructors[0]: unknown instructor \"anna\" (did you mean \"ana\"?)"},
        {S(", \"remove\": {\"rooms\": [\"lab\", \"lab\"]}"),
         "s.json: $.remove.rooms[1]: room \"lab\" is listed twice"},
        {S(", \"remove\": {\"rooms\": \"lab\"}"), "s.json: $.remove.rooms: must be an array"},
        {S(", \"remove\": {\"cohorts\": [7]}"), "s.json: $.remove.cohorts[0]: must be a cohort id"},
        {S(", \"remove\": {\"fixed\": [0]}"), "s.json: $.remove.fixed: unknown key \"fixed\""},
        {S(", \"add\": {\"rooms\": [{\"id\": \"hall\", \"site\": \"b\", \"capacity\": 1}]}"),
         "s.json: $.add.rooms[0].id: room \"hall\" already exists"},
        {S(", \"add\": {\"learners\": [{\"id\": \"l9\"}, {\"id\": \"l9\"}]}"),
         "s.json: $.add.learners[1].id: learner \"l9\" already exists"},
        {S(", \"add\": {\"instructors\": [{\"skills\": []}]}"),
         "s.json: $.add.instructors[0].id: required key is missing"},
        {S(", \"add\": {\"instructors\": [{\"id\": \"a b\"}]}"),
         "s.json: $.add.instructors[0].id: invalid identifier"},
        {S(", \"add\": {\"calendar\": []}"), "s.json: $.add.calendar: unknown key"},
        {S(", \"add\": {\"fixed\": [3]}"), "s.json: $.add.fixed[0]: must be an object"},
        {S(", \"set\": {\"cohorts\": {\"c9\": {\"size\": 3}}}"),
         "s.json: $.set.cohorts.c9: unknown cohort \"c9\""},
        {S(", \"set\": {\"rooms\": {\"lab\": {\"id\": \"lab2\"}}}"),
         "s.json: $.set.rooms.lab.id: an id cannot be set"},
        {S(", \"set\": {\"rooms\": {\"lab\": {\"seats\": 3}}}"),
         "s.json: $.set.rooms.lab.seats: unknown key \"seats\""},
        {S(", \"set\": {\"rooms\": {\"lab\": 3}}"), "s.json: $.set.rooms.lab: must be an object"},
        {S(", \"set\": {\"rooms\": []}"), "s.json: $.set.rooms: must be an object"},
        {S(", \"set\": {\"calendar\": {\"id\": \"x\"}}"),
         "s.json: $.set.calendar.id: unknown key \"id\""},
        {S(", \"set\": {\"objective\": {\"fairness\": 1}}"),
         "s.json: $.set.objective.fairness: unknown key"},
        {S(", \"remove\": {\"learners\": [\"l1\"]}, \"set\": {\"learners\": {\"l1\": {}}}"),
         "s.json: $.set.learners.l1: unknown learner \"l1\" (removed by this scenario"},
        {S(", \"name\": \"a/b\""), "s.json: $.name: must be usable as a folder name"},
        {S(", \"name\": 5"), "s.json: $.name: must be a string"},
        {S(", \"replace\": {}"), "s.json: $.replace: unknown key \"replace\""},
        {"{\"format\": \"blendsched/1\"}", "s.json: $.format: unsupported format"},
        {"{}", "s.json: $.format: required key is missing"},
        {"[]", "s.json: $: must be an object"},
        {"{\"format\": \"blendsched-scenario/1\",}", "s.json:1:36: malformed JSON"},
        {S(", \"add\": {}, \"add\": {}"), "s.json: $.add: duplicate key \"add\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bs_rc rc = apply(cases[i].scenario);
        if (!has_msg(cases[i].needle))
            dump();
        cr_expect(rc == BS_EINVAL || rc == BS_EPARSE, "case %zu: rc %d", i, rc);
        cr_expect(has_msg(cases[i].needle), "case %zu: no message '%s'", i, cases[i].needle);
        cr_expect_null(g_res.input, "case %zu: nothing out on failure", i);
    }
}

Test(scenario, base_errors_name_the_base, .fini = cleanup)
{
    cr_assert_eq(apply_to("{\"format\": 1,}", S("")), BS_EPARSE);
    cr_assert(has_msg("base.json:1:14: malformed JSON"));
    cr_assert_eq(apply_to("[1]", S("")), BS_EINVAL);
    cr_assert(has_msg("base.json: $: must be an object"));
}

Test(scenario, reports_every_error_not_only_the_first, .fini = cleanup)
{
    cr_assert_eq(apply(S(", \"remove\": {\"rooms\": [\"x\"]}, \"set\": {\"rooms\": {\"y\": {}}}")),
                 BS_EINVAL);
    cr_assert(has_msg("$.remove.rooms[0]"));
    cr_assert(has_msg("$.set.rooms.y"));
}

Test(scenario, folder_names)
{
    cr_assert(bs_scenario_name_is_usable("ana leaves"));
    cr_assert(bs_scenario_name_is_usable("Zürich"));
    cr_assert_not(bs_scenario_name_is_usable(""));
    cr_assert_not(bs_scenario_name_is_usable("."));
    cr_assert_not(bs_scenario_name_is_usable(".."));
    cr_assert_not(bs_scenario_name_is_usable("a/b"));
    cr_assert_not(bs_scenario_name_is_usable("a\nb"));
}

/* ==== Figures and differences ==== */

Test(scenario, figures_count_utilisation_and_cost, .fini = cleanup)
{
    cr_assert_eq(apply_load(S("")), BS_OK);
    bs_solution *s = NULL;
    cr_assert_eq(bs_solution_create(g_p, &s), BS_OK);
    cr_assert_eq(s->count, 2);
    /* c1/s1 on Monday 2027-01-04 10:00-11:00 Berlin in the lab with ana */
    bs_assignment *a = &s->items[0];
    a->placed = true;
    a->start = bs_days_from_civil(2027, 1, 4) * 1440 + 9 * 60; /* 10:00 +01:00 */
    a->end = a->start + 60;
    a->room = 0;
    a->instructors.items = malloc(sizeof(int));
    a->instructors.items[0] = instructor_index(g_p, "ana");
    a->instructors.count = 1;
    bs_report r;
    memset(&r, 0, sizeof r);
    bs_conflict cf = {1, 1, BS_REASON_RESOURCES_BUSY, NULL, NULL, 0};
    r.unplaced = &cf;
    r.n_unplaced = 1;
    bs_figures f;
    cr_assert_eq(bs_figures_compute(g_p, s, &r, &f), BS_OK);
    cr_assert_eq(f.live, 2);
    cr_assert_eq(f.placed, 1);
    cr_assert_eq(f.unplaced, 1);
    cr_assert_eq(f.by_reason[BS_REASON_RESOURCES_BUSY], 1);
    cr_assert_float_eq(f.cost, 112.5, 1e-9, "(12.5 + 100) x 1 h");
    /* 2027-01-04..15: 10 weekdays, one holiday: 9 study days */
    cr_assert_eq(f.instructors[0].available_minutes, 9 * 480, "ana: the default day window");
    cr_assert_eq(f.instructors[1].available_minutes, 2 * 180, "cy: Mondays 09-12");
    cr_assert_eq(f.rooms[0].available_minutes, 9 * 480);
    cr_assert_eq(f.rooms[1].available_minutes, 7 * 480, "hall closed 11 and 12 January");
    cr_assert_eq(f.instructors[0].used_minutes, 60);
    cr_assert_eq(f.rooms[0].used_minutes, 60);
    cr_assert_eq(f.instructors_total.used_minutes, 60);
    cr_assert_eq(f.rooms_total.available_minutes, 16 * 480);
    bs_figures_free(&f);
    bs_solution_destroy(&s);
}

static void add(bs_flat_calendar *c, const char *cohort, const char *module, bs_time start,
                const char *room, const char *i1, const char *i2)
{
    const char *ins[2] = {i1, i2};
    size_t n = i1 == NULL ? 0 : (i2 == NULL ? 1 : 2);
    cr_assert_eq(bs_flat_add(c, cohort, module, start, start + 60, "s", "e", room, ins, n), BS_OK);
}

Test(scenario, diff_classifies_and_counts_learners, .fini = cleanup)
{
    cr_assert_eq(apply_load(S("")), BS_OK);
    bs_flat_calendar *a = NULL, *b = NULL;
    cr_assert_eq(bs_flat_create(&a), BS_OK);
    cr_assert_eq(bs_flat_create(&b), BS_OK);
    add(a, "c1", "s1", 100, "lab", "ana", NULL);
    add(a, "c2", "s1", 200, "hall", "ana", "cy");
    add(a, "c2", "s2", 300, NULL, NULL, NULL);
    add(b, "c2", "s1", 200, "hall", "cy", "ana"); /* same team, other order */
    add(b, "c1", "s1", 160, "hall", "ana", NULL); /* moved (and a new room) */
    add(b, "c2", "s2", 300, "lab", NULL, NULL);   /* reassigned */
    add(b, "c3", "s1", 100, NULL, NULL, NULL);    /* added */
    cr_assert_eq(bs_flat_finish(a, NULL), BS_OK);
    cr_assert_eq(bs_flat_finish(b, NULL), BS_OK);
    bs_diff *d = NULL;
    cr_assert_eq(bs_diff_compute(a, b, &d), BS_OK);
    cr_assert_eq(d->moved, 1);
    cr_assert_eq(d->reassigned, 1);
    cr_assert_eq(d->added, 1);
    cr_assert_eq(d->removed, 0);
    cr_assert_eq(d->unchanged, 1);
    cr_assert_eq(d->count, 3);
    cr_assert_eq(d->items[0].kind, BS_DIFF_MOVED);
    cr_assert_str_eq(d->items[0].a->cohort, "c1");
    size_t learners = 0, cohorts = 0;
    cr_assert_eq(bs_diff_learners_affected(d, g_p, g_p, &learners, &cohorts), BS_OK);
    /* c1 moved: l1 and l2; c3 is not in the problem; c2 only reassigned */
    cr_assert_eq(learners, 2);
    cr_assert_eq(cohorts, 2);
    bs_diff_destroy(&d);

    /* the other way round, c2's anonymous learners count once when c2 loses
     * a session */
    bs_flat_calendar *c = NULL;
    cr_assert_eq(bs_flat_create(&c), BS_OK);
    cr_assert_eq(bs_flat_finish(c, NULL), BS_OK);
    cr_assert_eq(bs_diff_compute(a, c, &d), BS_OK);
    cr_assert_eq(d->removed, 3);
    cr_assert_eq(bs_diff_learners_affected(d, g_p, g_p, &learners, &cohorts), BS_OK);
    cr_assert_eq(learners, 3, "l1, l2 and c2 as one");
    cr_assert_eq(cohorts, 2);
    bs_diff_destroy(&d);
    bs_flat_destroy(&a);
    bs_flat_destroy(&b);
    bs_flat_destroy(&c);
}

Test(scenario, flat_calendar_refuses_a_session_twice)
{
    bs_flat_calendar *a = NULL;
    cr_assert_eq(bs_flat_create(&a), BS_OK);
    add(a, "c1", "s1", 100, NULL, NULL, NULL);
    add(a, "c1", "s1", 200, NULL, NULL, NULL);
    size_t dup = 99;
    cr_assert_eq(bs_flat_finish(a, &dup), BS_EINVAL);
    cr_assert_eq(dup, 1);
    bs_flat_destroy(&a);
}
