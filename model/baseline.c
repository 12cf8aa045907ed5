/**
 * @file baseline.c
 * @brief The baseline of a re-planning run: matching a published calendar
 *        to the new problem, change marks, `--now` freezing as pins, and
 *        the checks of marks, freezing and the change budget for `verify`.
 */
#include "model/baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Entity counts are small next to the sessions: linear scans suffice. */
static int find_cohort(const bs_problem *p, const char *id)
{
    for (size_t i = 0; i < p->n_cohorts; i++)
        if (strcmp(p->cohorts[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int find_room(const bs_problem *p, const char *id)
{
    for (size_t i = 0; i < p->n_rooms; i++)
        if (strcmp(p->rooms[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int find_instructor(const bs_problem *p, const char *id)
{
    for (size_t i = 0; i < p->n_instructors; i++)
        if (strcmp(p->instructors[i].id, id) == 0)
            return (int)i;
    return -1;
}

void bs_baseline_destroy(bs_baseline **pb)
{
    if (pb == NULL || *pb == NULL)
        return;
    for (size_t i = 0; i < (*pb)->count; i++)
        free((*pb)->items[i].instructors.items);
    free((*pb)->items);
    free(*pb);
    *pb = NULL;
}

bs_rc bs_baseline_create(const bs_problem *p, const bs_flat_calendar *cal, bs_baseline **out)
{
    bs_solution *shape = NULL;
    BS_TRY(bs_solution_create(p, &shape));
    bs_baseline *b = bs_calloc(1, sizeof *b);
    if (b == NULL || (b->items = bs_calloc(shape->count + 1, sizeof *b->items)) == NULL) {
        free(b);
        bs_solution_destroy(&shape);
        return BS_ENOMEM;
    }
    b->count = shape->count;
    for (size_t k = 0; k < cal->count; k++) {
        const bs_flat_session *f = &cal->items[k];
        int c = find_cohort(p, f->cohort);
        int m = -1;
        if (c >= 0) {
            const bs_program *pr = &p->programs[p->cohorts[c].program];
            for (size_t q = 0; q < pr->n_modules && m < 0; q++)
                if (pr->modules[q].is_live && strcmp(pr->modules[q].id, f->module) == 0)
                    m = (int)q;
        }
        int s = m >= 0 ? bs_solution_find(shape, c, m) : -1;
        if (s < 0) {
            b->n_ignored++;
            continue;
        }
        bs_baseline_item *it = &b->items[s];
        it->listed = true;
        it->start = f->start;
        it->end = f->end;
        it->room = -1;
        if (f->room != NULL) {
            it->room = find_room(p, f->room);
            if (it->room < 0) {
                it->room = BS_ROOM_GONE;
                snprintf(it->gone, sizeof it->gone, "room %s", f->room);
            }
        }
        it->instructors.items = bs_calloc(f->n_instructors + 1, sizeof(int));
        if (it->instructors.items == NULL) {
            bs_baseline_destroy(&b);
            bs_solution_destroy(&shape);
            return BS_ENOMEM;
        }
        for (size_t q = 0; q < f->n_instructors; q++) {
            int i = find_instructor(p, f->instructors[q]);
            if (i >= 0) {
                it->instructors.items[it->instructors.count++] = i;
            } else {
                if (!it->instructor_gone && it->gone[0] == '\0')
                    snprintf(it->gone, sizeof it->gone, "instructor %s", f->instructors[q]);
                it->instructor_gone = true;
            }
        }
        qsort(it->instructors.items, it->instructors.count, sizeof(int), cmp_int);
        b->n_listed++;
    }
    bs_solution_destroy(&shape);
    *out = b;
    return BS_OK;
}

bs_change bs_baseline_change_of(const bs_baseline *b, size_t session, bs_time start, int room,
                                const int *team, size_t n)
{
    const bs_baseline_item *it = &b->items[session];
    if (!it->listed)
        return BS_CHANGE_NEW;
    if (it->start != start)
        return BS_CHANGE_MOVED;
    if (it->room != room || it->instructor_gone || it->instructors.count != n)
        return BS_CHANGE_REASSIGNED;
    for (size_t k = 0; k < n; k++)
        if (!bs_ids_contains(&it->instructors, team[k]))
            return BS_CHANGE_REASSIGNED;
    return BS_CHANGE_NONE;
}

void bs_baseline_mark(const bs_baseline *b, bs_solution *s)
{
    for (size_t k = 0; k < s->count && k < b->count; k++) {
        bs_assignment *a = &s->items[k];
        a->change = a->placed ? bs_baseline_change_of(b, k, a->start, a->room, a->instructors.items,
                                                      a->instructors.count)
                              : BS_CHANGE_NONE;
    }
    s->has_baseline = true;
}

const char *bs_change_name(bs_change c)
{
    switch (c) {
    case BS_CHANGE_MOVED:
        return "moved";
    case BS_CHANGE_REASSIGNED:
        return "reassigned";
    case BS_CHANGE_NEW:
        return "new";
    default:
        return "null";
    }
}

bs_rc bs_baseline_freeze(bs_problem *p, bs_baseline *b, bs_time now)
{
    bs_solution *shape = NULL;
    BS_TRY(bs_solution_create(p, &shape));
    size_t extra = 0;
    for (size_t k = 0; k < b->count; k++)
        extra += b->items[k].listed && b->items[k].start < now;
    bs_pin *pins = bs_reallocarray(p->pins, p->n_pins + extra + 1, sizeof *pins);
    if (pins == NULL) {
        bs_solution_destroy(&shape);
        return BS_ENOMEM;
    }
    p->pins = pins;
    bs_rc rc = BS_OK;
    for (size_t k = 0; rc == BS_OK && k < b->count; k++) {
        bs_baseline_item *it = &b->items[k];
        if (!it->listed || it->start >= now)
            continue;
        it->frozen = true;
        const bs_assignment *a = &shape->items[k];
        bs_pin *pin = NULL;
        for (size_t q = 0; q < p->n_pins && pin == NULL; q++)
            if (pins[q].cohort == a->cohort && pins[q].module == a->module)
                pin = &pins[q];
        if (pin == NULL) {
            pin = &pins[p->n_pins++];
            memset(pin, 0, sizeof *pin);
        }
        /* The past happened as the baseline says: it replaces any pin. */
        free(pin->instructors.items);
        free(pin->broken);
        memset(pin, 0, sizeof *pin);
        pin->cohort = a->cohort;
        pin->module = a->module;
        pin->frozen = true;
        pin->has_start = true;
        pin->start = it->start;
        pin->has_room = true;
        pin->room = it->room == BS_ROOM_GONE ? -1 : it->room;
        pin->has_instructors = true;
        pin->instructors.items = bs_calloc(it->instructors.count + 1, sizeof(int));
        if (pin->instructors.items == NULL) {
            rc = BS_ENOMEM;
            break;
        }
        memcpy(pin->instructors.items, it->instructors.items, it->instructors.count * sizeof(int));
        pin->instructors.count = it->instructors.count;
        if (it->gone[0] != '\0') {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "frozen (starts before --now), but the baseline's %s is not in the input "
                     "(rule %d)",
                     it->gone, it->room == BS_ROOM_GONE ? 4 : 3);
            if ((pin->broken = bs_strdup(msg)) == NULL)
                rc = BS_ENOMEM;
        }
    }
    bs_solution_destroy(&shape);
    if (rc == BS_OK) {
        p->has_now = true;
        p->now = now;
    }
    return rc;
}

static const char *session_name(const bs_problem *p, const bs_assignment *a, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", p->cohorts[a->cohort].id,
             p->programs[p->cohorts[a->cohort].program].modules[a->module].id);
    return buf;
}

bs_rc bs_baseline_verify(const bs_problem *p, const bs_baseline *b, const bs_solution *s,
                         long max_changes, bs_violations *out)
{
    size_t changes = 0;
    char name[160];
    for (size_t k = 0; k < s->count && k < b->count; k++) {
        const bs_assignment *a = &s->items[k];
        if (!a->placed)
            continue;
        int idx = (int)k;
        bs_change want = bs_baseline_change_of(b, k, a->start, a->room, a->instructors.items,
                                               a->instructors.count);
        changes += want == BS_CHANGE_MOVED || want == BS_CHANGE_REASSIGNED;
        if (a->change != want)
            BS_TRY(bs_violations_add(out, BS_RULE_CHANGE, &idx, 1,
                                     "is marked %s, but against the baseline it is %s",
                                     bs_change_name(a->change), bs_change_name(want)));
        if (p->has_now && a->start < p->now && !b->items[k].frozen)
            BS_TRY(bs_violations_add(out, BS_RULE_CHANGE, &idx, 1,
                                     "%s starts before --now but is not a baseline session "
                                     "that started then",
                                     session_name(p, a, name, sizeof name)));
    }
    if (max_changes >= 0 && changes > (size_t)max_changes)
        BS_TRY(
            bs_violations_add(out, BS_RULE_CHANGE, NULL, 0,
                              "%zu sessions are moved or reassigned, more than --max-changes %ld",
                              changes, max_changes));
    return BS_OK;
}
