/**
 * @file input_programs.c
 * @brief The input loader's `programs` section: each program and its
 *        modules (kinds, modes, skills, windows, prework effort), their
 *        `requires` references, the check that no module depends on itself
 *        through them, and the warnings of flipped programs. The rest of
 *        the document is io/input.c's.
 */
#include "io/input_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== programs and modules ==== */

const char *const bs__program_keys[] = {"id",      "name",    "model", "cadence_days",
                                        "ordered", "modules", NULL};
static const char *const MODELS[] = {"rotation", "flipped", "flex", "enriched-virtual", NULL};
static const char *const KINDS[] = {"self_paced", "live", NULL};
static const char *const MODES[] = {"in_person", "virtual", NULL};
static const char *const MODULE_COMMON_KEYS[] = {"id", "title", "kind", "requires", NULL};
static const char *const MODULE_SELF_KEYS[] = {"effort_minutes", NULL};
static const char *const MODULE_LIVE_KEYS[] = {"duration_minutes", "mode",          "skills",
                                               "instructors",      "room_features", "window",
                                               "min_gap_days",     "optional",      NULL};
static const char *const MODULE_ALL_KEYS[] = {
    "id",       "title",  "kind",        "requires",      "effort_minutes", "duration_minutes",
    "mode",     "skills", "instructors", "room_features", "window",         "min_gap_days",
    "optional", NULL};
static const char *const WINDOW_KEYS[] = {"from_day", "to_day", NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (; *list != NULL; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

/* An enumerated string member: its index in `values`, or -1 (reported). */
static int get_enum(bs__ld *ld, const cJSON *obj, const char *key, const char *const *values)
{
    const char *s;
    if (!bs__get_string(ld, obj, key, true, &s))
        return -1;
    size_t n = 0;
    while (values[n] != NULL) {
        if (strcmp(values[n], s) == 0)
            return (int)n;
        n++;
    }
    char q[160], dym[200], list[200] = "";
    for (size_t i = 0; i < n; i++) {
        strncat(list, values[i], sizeof list - strlen(list) - 1);
        if (i + 1 < n)
            strncat(list, ", ", sizeof list - strlen(list) - 1);
    }
    bs__error_key(ld, key, "unknown %s %s (one of %s)%s", key, bs__q(s, q, sizeof q), list,
                  bs__dym(ld, s, values, n, dym, sizeof dym));
    return -1;
}

static void check_module_keys(bs__ld *ld, const cJSON *obj, int kind)
{
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        const char *k = c->string;
        if (strncmp(k, "x-", 2) == 0 || in_list(MODULE_COMMON_KEYS, k))
            continue;
        bool self = in_list(MODULE_SELF_KEYS, k), live = in_list(MODULE_LIVE_KEYS, k);
        if ((self && kind != 1) || (live && kind != 0))
            continue;
        if (self || live) {
            bs__error_key(ld, k, "allowed only on %s modules", self ? "self_paced" : "live");
            continue;
        }
        size_t n = 0;
        while (MODULE_ALL_KEYS[n] != NULL)
            n++;
        char q[160], dym[200];
        bs__error_key(ld, k, "unknown key %s%s", bs__q(k, q, sizeof q),
                      bs__dym(ld, k, MODULE_ALL_KEYS, n, dym, sizeof dym));
    }
}

/* Returns whether the module's kind is known. */
static bool parse_module(bs__ld *ld, size_t pi, size_t mi, const cJSON *obj)
{
    bs_program *pr = &ld->p->programs[pi];
    bs_module *m = &pr->modules[mi];
    m->instructors = 1;
    if (!bs__want_object(ld, obj))
        return false;
    const char *id;
    if (bs__get_id(ld, obj, "id", true, &id))
        m->id = bs__dup_or_oom(ld, id);
    bs__get_display(ld, obj, "title", &m->title);
    int kind = get_enum(ld, obj, "kind", KINDS);
    check_module_keys(ld, obj, kind);
    m->is_live = kind == 1;

    const cJSON *req;
    if (bs__get_array(ld, obj, "requires", &req)) {
        size_t old = bs__path_key(ld, "requires"), k = 0, cap = 0;
        const cJSON *v;
        cJSON_ArrayForEach(v, req)
        {
            size_t o2 = bs__path_index(ld, k++);
            if (!cJSON_IsString(v)) {
                bs__error(ld, "must be a module id (got %s)", bs__type_name(v));
            } else {
                int r = bs__strmap_get(&ld->module_ids[pi], v->valuestring);
                if (r < 0) {
                    char q[160], q2[160], dym[200];
                    bs__error(ld, "unknown module %s of program %s%s",
                              bs__q(v->valuestring, q, sizeof q),
                              bs__q(pr->id ? pr->id : "", q2, sizeof q2),
                              bs__dym(ld, v->valuestring, ld->module_idv[pi], pr->n_modules, dym,
                                      sizeof dym));
                } else if (!bs_ids_contains(&m->requires, r)) {
                    bs__push_int(ld, &m->requires, &cap, r);
                }
            }
            bs__path_pop(ld, o2);
        }
        bs__path_pop(ld, old);
    }
    if (kind == 0) {
        bs__get_int(ld, obj, "effort_minutes", true, 0, INT32_MAX, &m->effort_minutes);
        return true;
    }
    if (kind != 1)
        return false;
    if (bs__get_int(ld, obj, "duration_minutes", true, 1, INT32_MAX, &m->duration_minutes) &&
        ld->slot_ok && m->duration_minutes % ld->p->slot_minutes != 0)
        bs__error_key(ld, "duration_minutes", "must be a multiple of slot_minutes (%d), got %d",
                      ld->p->slot_minutes, m->duration_minutes);
    int mode = get_enum(ld, obj, "mode", MODES);
    m->in_person = mode == 0;
    if (m->in_person)
        ld->program_has_in_person[pi] = true;
    bs__string_set(ld, obj, "skills", false, &m->skills);
    bs__get_int(ld, obj, "instructors", false, 1, INT32_MAX, &m->instructors);
    bs__string_set(ld, obj, "room_features", false, &m->room_features);
    const cJSON *win = bs__member(obj, "window");
    if (win != NULL) {
        size_t old = bs__path_key(ld, "window");
        if (bs__want_object(ld, win)) {
            bs__check_keys(ld, win, WINDOW_KEYS);
            bool hf = bs__get_int(ld, win, "from_day", true, 0, INT32_MAX, &m->window_from_day);
            bool ht = bs__get_int(ld, win, "to_day", true, 0, INT32_MAX, &m->window_to_day);
            if (hf && ht && m->window_to_day < m->window_from_day)
                bs__error_key(ld, "to_day", "must be at least from_day (%d)", m->window_from_day);
            m->has_window = hf && ht;
        }
        bs__path_pop(ld, old);
    } else if (pr->model == BS_ENRICHED_VIRTUAL) {
        bs__error_key(ld, "window",
                      "required key is missing (every live module of an enriched-virtual "
                      "program has a window)");
    }
    bs__get_int(ld, obj, "min_gap_days", false, 0, INT32_MAX, &m->min_gap_days);
    if (bs__member(obj, "optional") != NULL) {
        if (pr->model != BS_FLEX)
            bs__error_key(ld, "optional", "allowed only in flex programs");
        else
            bs__get_bool(ld, obj, "optional", &m->optional);
    }
    return true;
}

/* Report the first `requires` cycle of a program, counting the implicit
 * edges of `ordered` (each live module requires the live one before it). */
static void check_cycles(bs__ld *ld, size_t pi)
{
    bs_program *pr = &ld->p->programs[pi];
    size_t n = pr->n_modules;
    int *prev_live = bs_calloc(n, sizeof *prev_live);
    int *color = bs_calloc(n, sizeof *color);
    int *stack = bs_calloc(n, sizeof *stack);
    size_t *next_edge = bs_calloc(n, sizeof *next_edge);
    if (!prev_live || !color || !stack || !next_edge) {
        ld->oom = true;
        goto out;
    }
    int last = -1;
    for (size_t k = 0; k < n; k++) {
        prev_live[k] = pr->ordered && pr->modules[k].is_live ? last : -1;
        if (pr->modules[k].is_live)
            last = (int)k;
    }
    for (size_t s = 0; s < n; s++) {
        if (color[s] != 0)
            continue;
        size_t top = 0;
        stack[top++] = (int)s;
        color[s] = 1;
        while (top > 0) {
            int u = stack[top - 1];
            const bs_module *mu = &pr->modules[u];
            size_t e = next_edge[u]++;
            int v = -1;
            if (e < mu->requires.count)
            v = mu->requires.items[e];
            else if (e == mu->requires.count) v = prev_live[u];
            else
            {
                color[u] = 2;
                top--;
                continue;
            }
            if (v < 0 || color[v] == 2)
                continue;
            if (color[v] == 0) {
                color[v] = 1;
                stack[top++] = v;
                continue;
            }
            /* Back edge u -> v: the cycle is stack[from..top) then v. */
            size_t from = top - 1;
            while (stack[from] != v)
                from--;
            char names[600] = "";
            int report_at = -1;
            bool implicit = false;
            for (size_t k = from; k < top; k++) {
                int a = stack[k], b = k + 1 < top ? stack[k + 1] : v;
                const char *nm = pr->modules[a].id ? pr->modules[a].id : "?";
                strncat(names, nm, sizeof names - strlen(names) - 1);
                strncat(names, " -> ", sizeof names - strlen(names) - 1);
                bool explicit_edge = bs_ids_contains(&pr->modules[a].requires, b);
                if (report_at < 0 && explicit_edge)
                    report_at = a;
                implicit = implicit || !explicit_edge;
            }
            strncat(names, pr->modules[v].id ? pr->modules[v].id : "?",
                    sizeof names - strlen(names) - 1);
            size_t o1 = bs__path_key(ld, "modules");
            size_t o2 = bs__path_index(ld, (size_t)(report_at >= 0 ? report_at : u));
            bs__error_key(ld, "requires", "requires cycle: %s%s", names,
                          implicit ? " (with \"ordered\", each live module also requires the "
                                     "live module listed before it)"
                                   : "");
            bs__path_pop(ld, o2);
            bs__path_pop(ld, o1);
            goto out;
        }
    }
out:
    free(prev_live);
    free(color);
    free(stack);
    free(next_edge);
}

static bool add_warning(bs__ld *ld, const char *code, const char *message)
{
    bs_problem *p = ld->p;
    bs_warning *grown = bs_reallocarray(p->warnings, p->n_warnings + 1, sizeof *grown);
    if (grown == NULL) {
        ld->oom = true;
        return false;
    }
    p->warnings = grown;
    bs_warning *w = &p->warnings[p->n_warnings];
    w->code = bs__dup_or_oom(ld, code);
    w->message = bs__dup_or_oom(ld, message);
    p->n_warnings++;
    return !ld->oom;
}

static void flipped_warnings(bs__ld *ld, size_t pi)
{
    const bs_program *pr = &ld->p->programs[pi];
    for (size_t k = 0; k < pr->n_modules; k++) {
        const bs_module *m = &pr->modules[k];
        if (!m->is_live)
            continue;
        bool prework = false;
        for (size_t r = 0; r < m->requires.count && !prework; r++)
            prework = !pr->modules[m->requires.items[r]].is_live;
        if (prework)
            continue;
        char q[160], q2[160], msg[512];
        snprintf(msg, sizeof msg,
                 "$.programs[%zu].modules[%zu]: live module %s of flipped program %s requires "
                 "no self-paced module",
                 pi, k, bs__q(m->id ? m->id : "", q, sizeof q),
                 bs__q(pr->id ? pr->id : "", q2, sizeof q2));
        add_warning(ld, "FLIPPED_WITHOUT_PREWORK", msg);
    }
}

void bs__parse_program(bs__ld *ld, size_t pi, const cJSON *obj)
{
    bs_program *pr = &ld->p->programs[pi];
    pr->cadence_days = -1;
    pr->ordered = true;
    if (!bs__want_object(ld, obj))
        return;
    bs__check_keys(ld, obj, bs__program_keys);
    const char *id;
    if (bs__get_id(ld, obj, "id", true, &id))
        pr->id = bs__dup_or_oom(ld, id);
    bs__get_display(ld, obj, "name", &pr->name);
    int model = get_enum(ld, obj, "model", MODELS);
    pr->model = model < 0 ? BS_FLIPPED : (bs_model_kind)model;
    if (model == BS_ROTATION)
        bs__get_int(ld, obj, "cadence_days", true, 1, INT32_MAX, &pr->cadence_days);
    else if (model >= 0 && bs__member(obj, "cadence_days") != NULL)
        bs__error_key(ld, "cadence_days", "allowed only in rotation programs");
    bs__get_bool(ld, obj, "ordered", &pr->ordered);

    const cJSON *mods = bs__member(obj, "modules");
    if (mods == NULL) {
        bs__error_key(ld, "modules", "required key is missing");
        return;
    }
    if (!cJSON_IsArray(mods)) {
        bs__error_key(ld, "modules", "must be an array (got %s)", bs__type_name(mods));
        return;
    }
    size_t n = bs__array_size(mods);
    pr->modules = bs_calloc(n, sizeof *pr->modules);
    ld->module_idv[pi] = bs_calloc(n, sizeof *ld->module_idv[pi]);
    if (pr->modules == NULL || ld->module_idv[pi] == NULL) {
        ld->oom = true;
        return;
    }
    pr->n_modules = n;
    size_t old = bs__path_key(ld, "modules"), k = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, mods)
    {
        const cJSON *mid = cJSON_IsObject(m) ? bs__member(m, "id") : NULL;
        if (cJSON_IsString(mid)) {
            int prev = bs__strmap_get(&ld->module_ids[pi], mid->valuestring);
            if (prev >= 0) {
                char q[160];
                size_t o2 = bs__path_index(ld, k);
                bs__error_key(ld, "id",
                              "duplicate module id %s in this program (first at "
                              "modules[%d])",
                              bs__q(mid->valuestring, q, sizeof q), prev);
                bs__path_pop(ld, o2);
            } else {
                ld->module_idv[pi][k] = mid->valuestring;
                if (bs__strmap_put(&ld->module_ids[pi], mid->valuestring, (int)k) != BS_OK)
                    ld->oom = true;
            }
        }
        k++;
    }
    k = 0;
    size_t n_live = 0;
    bool kinds_known = true;
    size_t errors_before = ld->n_errors;
    cJSON_ArrayForEach(m, mods)
    {
        size_t o2 = bs__path_index(ld, k);
        kinds_known = parse_module(ld, pi, k, m) && kinds_known;
        n_live += pr->modules[k].is_live;
        bs__path_pop(ld, o2);
        k++;
    }
    bs__path_pop(ld, old);
    /* A module of unknown kind may be the live one: no second message. */
    if (n_live == 0 && kinds_known)
        bs__error_key(ld, "modules", "a program needs at least one live module");
    if (ld->n_errors == errors_before && !ld->oom) {
        check_cycles(ld, pi);
        if (pr->model == BS_FLIPPED)
            flipped_warnings(ld, pi);
    }
}
