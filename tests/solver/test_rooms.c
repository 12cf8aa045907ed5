/**
 * @file test_rooms.c
 * @brief Units of the room re-assignment (solver/rooms.c): with starts and
 *        teams fixed, two cohorts that each alternate between two rooms
 *        get one room each; pinned rooms stay; nothing else moves; the
 *        result keeps every rule and is the same on one and two threads;
 *        a component solved in chunks never double-books a room.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/input.h"
#include "model/evaluate.h"
#include "model/verify.h"
#include "solver/rooms.h"

/* Two cohorts of two one-hour sessions, 09:00 and 10:00, on one day;
 * two interchangeable rooms. */
#define TWO_COHORTS(PINS)                                                                        \
    "{\"format\": \"blendsched/1\","                                                             \
    " \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"timezone\": \"UTC\","  \
    "  \"slot_minutes\": 60, \"day_start\": \"09:00\", \"day_end\": \"12:00\"},"                 \
    " \"rooms\": [{\"id\": \"r1\", \"site\": \"s\", \"capacity\": 10},"                          \
    "            {\"id\": \"r2\", \"site\": \"s\", \"capacity\": 10}],"                          \
    " \"instructors\": [{\"id\": \"t1\", \"sites\": [\"s\"]}, {\"id\": \"t2\", \"sites\": [\"s\"]}]," \
    " \"programs\": [{\"id\": \"p\", \"model\": \"flex\", \"ordered\": false, \"modules\": ["    \
    "   {\"id\": \"m1\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60}," \
    "   {\"id\": \"m2\", \"kind\": \"live\", \"mode\": \"in_person\", \"duration_minutes\": 60}]}]," \
    " \"cohorts\": ["                                                                            \
    "   {\"id\": \"a\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","         \
    "    \"end\": \"2027-01-04\", \"size\": 5, \"instructors\": [\"t1\"]},"                      \
    "   {\"id\": \"b\", \"program\": \"p\", \"site\": \"s\", \"start\": \"2027-01-04\","         \
    "    \"end\": \"2027-01-04\", \"size\": 5, \"instructors\": [\"t2\"]}],"                     \
    " \"fixed\": [" PINS "],"                                                                    \
    " \"objective\": {\"room_change\": 20, \"spread\": 0}}"

typedef struct fixture {
    bs_problem *p;
    bs_domains *d;
    bs_solution *sol;
    bs_solve_opts o;
    bs__ctx ctx;
} fixture;

/* The calendar the cohort sub-MIPs could leave: a in r1 then r2, b in r2
 * then r1 (two room changes, 40). */
static void set_up(fixture *f, const char *json)
{
    bs_messages errors = {0};
    bs_err err = {0};
    cr_assert_eq(bs_input_load_buffer("test.json", json, strlen(json), &f->p, &errors, &err),
                 BS_OK, "input does not load: %s", err.msg);
    bs_messages_free(&errors);
    cr_assert_eq(bs_domains_build(f->p, &f->d, &err), BS_OK);
    cr_assert_eq(bs_solution_create(f->p, &f->sol), BS_OK);
    bs_solve_opts_init(&f->o);
    f->ctx = (bs__ctx){.p = f->p, .d = f->d, .o = &f->o, .start_time = bs__now()};
    bs_time nine = f->p->days[f->p->horizon_first_day].begin + 9 * 60;
    static const int room_of[4] = {0, 1, 1, 0}; /* a.m1 a.m2 b.m1 b.m2 */
    static int instructor_of[4] = {0, 0, 1, 1};
    cr_assert_eq(f->sol->count, 4);
    for (size_t s = 0; s < 4; s++) {
        bs_assignment *a = &f->sol->items[s];
        a->placed = true;
        a->start = nine + (bs_time)(s % 2) * 60;
        a->end = a->start + 60;
        a->room = room_of[s];
        a->instructors = (bs_ids){&instructor_of[s], 1};
    }
}

static void tear_down(fixture *f)
{
    for (size_t s = 0; s < f->sol->count; s++)
        f->sol->items[s].instructors = (bs_ids){NULL, 0}; /* (static storage) */
    bs_solution_destroy(&f->sol);
    bs_domains_destroy(&f->d);
    bs_problem_destroy(&f->p);
}

static double room_changes(const fixture *f)
{
    bs_objective o;
    cr_assert_eq(bs_evaluate_objective(f->p, f->sol, &o), BS_OK);
    return o.room_change;
}

static void assert_valid(const fixture *f)
{
    bs_violations v = {0};
    cr_assert_eq(bs_verify(f->p, f->sol, &v), BS_OK);
    for (size_t k = 0; k < v.count; k++)
        fprintf(stderr, "violation: rule %d: %s\n", v.items[k].rule, v.items[k].message);
    cr_assert_eq(v.count, 0);
    bs_violations_free(&v);
}

Test(rooms, gives_each_cohort_one_room_and_keeps_the_times)
{
    fixture f;
    set_up(&f, TWO_COHORTS(""));
    cr_assert_float_eq(room_changes(&f), 40, 1e-9, "the premise: two room changes");
    bs_time starts[4];
    for (size_t s = 0; s < 4; s++)
        starts[s] = f.sol->items[s].start;
    bool changed = false;
    bs_err err = {0};
    cr_assert_eq(bs__rooms_reassign(&f.ctx, 2, f.sol, &changed, &err), BS_OK, "%s", err.msg);
    cr_assert(changed);
    cr_assert_float_eq(room_changes(&f), 0, 1e-9, "room changes %g after", room_changes(&f));
    cr_assert_eq(f.sol->items[0].room, f.sol->items[1].room);
    cr_assert_eq(f.sol->items[2].room, f.sol->items[3].room);
    cr_assert_neq(f.sol->items[0].room, f.sol->items[2].room);
    for (size_t s = 0; s < 4; s++) {
        cr_assert_eq(f.sol->items[s].start, starts[s], "session %zu moved", s);
        cr_assert(f.sol->items[s].placed);
    }
    assert_valid(&f);
    tear_down(&f);
}

Test(rooms, a_pinned_room_stays_and_the_others_make_way)
{
    /* b's 10:00 session is pinned to r1: b takes r1 at 09:00 too, so a
     * must leave r1 for r2 at both hours */
    fixture f;
    set_up(&f, TWO_COHORTS("{\"cohort\": \"b\", \"module\": \"m2\", \"room\": \"r1\"}"));
    bool changed = false;
    bs_err err = {0};
    cr_assert_eq(bs__rooms_reassign(&f.ctx, 1, f.sol, &changed, &err), BS_OK, "%s", err.msg);
    cr_assert(changed);
    cr_assert_eq(f.sol->items[3].room, 0, "the pinned room stays");
    cr_assert_eq(f.sol->items[2].room, 0);
    cr_assert_eq(f.sol->items[0].room, 1);
    cr_assert_eq(f.sol->items[1].room, 1);
    cr_assert_float_eq(room_changes(&f), 0, 1e-9);
    assert_valid(&f);
    tear_down(&f);
}

Test(rooms, one_room_each_already_changes_nothing)
{
    fixture f;
    set_up(&f, TWO_COHORTS(""));
    f.sol->items[1].room = 0; /* a: r1, r1; b: r2, r2 */
    f.sol->items[3].room = 1;
    bool changed = true;
    bs_err err = {0};
    cr_assert_eq(bs__rooms_reassign(&f.ctx, 2, f.sol, &changed, &err), BS_OK, "%s", err.msg);
    cr_assert_not(changed);
    cr_assert_eq(f.sol->items[0].room, 0);
    cr_assert_eq(f.sol->items[1].room, 0);
    cr_assert_eq(f.sol->items[2].room, 1);
    cr_assert_eq(f.sol->items[3].room, 1);
    tear_down(&f);
}

/* GRID_COHORTS cohorts of GRID_HOURS one-hour sessions, all at the same
 * hours, in as many rooms as cohorts: every room is busy every hour, and
 * session h of cohort k starts in room (k + h) mod GRID_COHORTS, so every
 * cohort changes rooms at every hour. 30 x 4 sessions with 30 rooms each
 * are more columns than one MIP takes: the component is solved in chunks,
 * and each chunk must see the rooms earlier chunks moved sessions into. */
#define GRID_COHORTS 30
#define GRID_HOURS 4

static char *grid_json(void)
{
    size_t cap = 64 * 1024, len = 0;
    char *j = malloc(cap);
    cr_assert_not_null(j);
#define PUT(...) (len += (size_t)snprintf(j + len, cap - len, __VA_ARGS__))
    PUT("{\"format\": \"blendsched/1\","
        " \"calendar\": {\"start\": \"2027-01-04\", \"end\": \"2027-01-04\","
        " \"timezone\": \"UTC\", \"slot_minutes\": 60, \"day_start\": \"09:00\","
        " \"day_end\": \"17:00\"}, \"rooms\": [");
    for (int k = 0; k < GRID_COHORTS; k++)
        PUT("%s{\"id\": \"r%02d\", \"site\": \"s\", \"capacity\": 10}", k ? ", " : "", k);
    PUT("], \"instructors\": [");
    for (int k = 0; k < GRID_COHORTS; k++)
        PUT("%s{\"id\": \"t%02d\", \"sites\": [\"s\"]}", k ? ", " : "", k);
    PUT("], \"programs\": [{\"id\": \"p\", \"model\": \"flex\", \"ordered\": false,"
        " \"modules\": [");
    for (int h = 0; h < GRID_HOURS; h++)
        PUT("%s{\"id\": \"m%d\", \"kind\": \"live\", \"mode\": \"in_person\","
            " \"duration_minutes\": 60}",
            h ? ", " : "", h);
    PUT("]}], \"cohorts\": [");
    for (int k = 0; k < GRID_COHORTS; k++)
        PUT("%s{\"id\": \"c%02d\", \"program\": \"p\", \"site\": \"s\","
            " \"start\": \"2027-01-04\", \"end\": \"2027-01-04\", \"size\": 5,"
            " \"instructors\": [\"t%02d\"]}",
            k ? ", " : "", k, k);
    PUT("], \"objective\": {\"room_change\": 20, \"spread\": 0}}");
#undef PUT
    cr_assert_lt(len, cap);
    return j;
}

Test(rooms, chunks_of_one_component_never_share_a_room)
{
    char *json = grid_json();
    fixture f;
    bs_messages errors = {0};
    bs_err err = {0};
    cr_assert_eq(bs_input_load_buffer("grid.json", json, strlen(json), &f.p, &errors, &err),
                 BS_OK, "input does not load: %s", err.msg);
    bs_messages_free(&errors);
    free(json);
    cr_assert_eq(bs_domains_build(f.p, &f.d, &err), BS_OK);
    cr_assert_eq(bs_solution_create(f.p, &f.sol), BS_OK);
    bs_solve_opts_init(&f.o);
    f.ctx = (bs__ctx){.p = f.p, .d = f.d, .o = &f.o, .start_time = bs__now()};
    static int instructor_of[GRID_COHORTS];
    bs_time nine = f.p->days[f.p->horizon_first_day].begin + 9 * 60;
    cr_assert_eq(f.sol->count, GRID_COHORTS * GRID_HOURS);
    for (size_t s = 0; s < f.sol->count; s++) {
        bs_assignment *a = &f.sol->items[s];
        int k = a->cohort, h = a->module;
        instructor_of[k] = k;
        a->placed = true;
        a->start = nine + (bs_time)h * 60;
        a->end = a->start + 60;
        a->room = (k + h) % GRID_COHORTS;
        a->instructors = (bs_ids){&instructor_of[k], 1};
    }
    assert_valid(&f);
    double before = room_changes(&f);
    cr_assert_float_eq(before, 20.0 * GRID_COHORTS * (GRID_HOURS - 1), 1e-9, "the premise");
    bool changed = false;
    cr_assert_eq(bs__rooms_reassign(&f.ctx, 2, f.sol, &changed, &err), BS_OK, "%s", err.msg);
    cr_assert(changed);
    assert_valid(&f); /* (a chunk blind to an earlier one's moves double-books) */
    cr_assert_lt(room_changes(&f), before);
    for (size_t s = 0; s < f.sol->count; s++)
        cr_assert_eq(f.sol->items[s].start, nine + (bs_time)f.sol->items[s].module * 60);
    tear_down(&f);
}
