/**
 * @file scenario.c
 * @brief Scenario files: strict parsing and checking of a
 *        `blendsched-scenario/1` document, its application to a parsed base
 *        input (remove, then add, then set), and the edited input written
 *        back as JSON text for the ordinary loader.
 *
 * Working on the JSON documents rather than on a bs_problem keeps one
 * validation path: the edited input goes through bs_input_load_buffer like
 * any other, so a scenario can never produce a problem the loader would
 * refuse. The cost is writing the document back out, which is done here
 * (not with cJSON_Print) so that number literals keep what the loader
 * checks about them: an integer stays an integer literal, and a number
 * written with a fraction or an exponent keeps one, so `30.0` is still
 * refused where an integer is required.
 */
#include "io/scenario.h"

#include "io/input_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Entity kinds ==== */

enum { K_ROOM, K_INSTR, K_PROG, K_COHORT, K_LEARNER, N_KINDS };

static const char *const SECTION[N_KINDS + 1] = {"rooms",   "instructors", "programs",
                                                 "cohorts", "learners",    NULL};
static const char *const SINGULAR[N_KINDS] = {"room", "instructor", "program", "cohort", "learner"};

/* The keys of each entity: the loader's own lists. */
static const char *const *const ENTITY_KEYS[N_KINDS] = {
    bs__room_keys, bs__instr_keys, bs__program_keys, bs__cohort_keys, bs__learner_keys};

static const char *const TOP_KEYS[] = {"format", "name", "add", "remove", "set", NULL};
static const char *const ADD_KEYS[] = {"rooms",    "instructors", "programs", "cohorts",
                                       "learners", "fixed",       NULL};
static const char *const SET_KEYS[] = {"rooms",    "instructors", "programs",  "cohorts",
                                       "learners", "calendar",    "objective", NULL};

/* ==== The applier ==== */

/* The live entities of one kind in the base document, by id. */
typedef struct entity_index {
    cJSON **nodes;    /* in document order; NULL once removed */
    const char **ids; /* parallel to nodes (NULL: removed or no id): did-you-mean candidates */
    size_t count, cap;
    bs__strmap map;     /* id -> index into nodes; -1 once removed */
    bs__strmap removed; /* ids removed by this scenario */
} entity_index;

typedef struct applier {
    bs__ld ld; /* diagnostics of the scenario (name = the scenario file) */
    cJSON *base, *scen;
    const cJSON **base_nonint; /* the base's non-integer number nodes, sorted */
    size_t n_base_nonint;
    entity_index idx[N_KINDS];
    /* Detached nodes are parked here until the document has been written:
     * freeing them early would let a new node take the address of a number
     * node still listed in a nonint table. */
    cJSON *grave;
} applier;

static void oom(applier *a)
{
    a->ld.oom = true;
}

static void bury(applier *a, cJSON *node)
{
    if (node != NULL)
        cJSON_AddItemToArray(a->grave, node);
}

static bool index_push(applier *a, int k, cJSON *node, const char *id)
{
    entity_index *e = &a->idx[k];
    if (e->count == e->cap) {
        size_t ncap = e->cap ? e->cap * 2 : 16;
        cJSON **nn = bs_reallocarray(e->nodes, ncap, sizeof *nn);
        if (nn == NULL) {
            oom(a);
            return false;
        }
        e->nodes = nn;
        const char **ni = bs_reallocarray((void *)e->ids, ncap, sizeof *ni);
        if (ni == NULL) {
            oom(a);
            return false;
        }
        e->ids = ni;
        e->cap = ncap;
    }
    e->nodes[e->count] = node;
    e->ids[e->count] = id;
    if (id != NULL && bs__strmap_get(&e->map, id) < 0 &&
        bs__strmap_put(&e->map, id, (int)e->count) != BS_OK) {
        oom(a);
        return false;
    }
    e->count++;
    return true;
}

/* The string id of an entity node, or NULL. */
static const char *id_of(const cJSON *node)
{
    const cJSON *id = bs__member(node, "id");
    return cJSON_IsString(id) ? id->valuestring : NULL;
}

/* A top-level array section of the base, or NULL when absent or not an
 * array (the loader reports that for the base itself). */
static cJSON *base_section(applier *a, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(a->base, key);
    return cJSON_IsArray(v) ? v : NULL;
}

static void index_base(applier *a)
{
    for (int k = 0; k < N_KINDS && !a->ld.oom; k++) {
        cJSON *sec = base_section(a, SECTION[k]);
        cJSON *el;
        cJSON_ArrayForEach(el, sec)
        {
            if (!index_push(a, k, el, id_of(el)))
                return;
        }
    }
}

static int lookup(const applier *a, int k, const char *id)
{
    return bs__strmap_get(&a->idx[k].map, id);
}

/* "unknown instructor "anna" (did you mean "ana"?)" at the current path. */
static void unknown_id(applier *a, int k, const char *id)
{
    char q[160], dym[200];
    const entity_index *e = &a->idx[k];
    if (bs__strmap_get(&e->removed, id) >= 0) {
        bs__error(&a->ld, "unknown %s %s (removed by this scenario's \"remove\")", SINGULAR[k],
                  bs__q(id, q, sizeof q));
        return;
    }
    bs__error(&a->ld, "unknown %s %s%s", SINGULAR[k], bs__q(id, q, sizeof q),
              bs__dym(&a->ld, id, (const char *const *)e->ids, e->count, dym, sizeof dym));
}

/* The member `key` of the scenario object obj as an object, or NULL
 * (reported when present but not an object). */
static cJSON *want_object_member(applier *a, cJSON *obj, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (v == NULL)
        return NULL;
    size_t old = bs__path_key(&a->ld, key);
    bool ok = bs__want_object(&a->ld, v);
    bs__path_pop(&a->ld, old);
    return ok ? v : NULL;
}

static cJSON *want_array_member(applier *a, cJSON *obj, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (v == NULL)
        return NULL;
    if (!cJSON_IsArray(v)) {
        bs__error_key(&a->ld, key, "must be an array (got %s)", bs__type_name(v));
        return NULL;
    }
    return v;
}

/* ==== remove ==== */

/* Remove from the string list `key` of obj every string in `gone`. */
static void drop_from_list(applier *a, cJSON *obj, const char *key, const bs__strmap *gone)
{
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsArray(arr))
        return;
    cJSON *el = arr->child;
    while (el != NULL) {
        cJSON *next = el->next;
        if (cJSON_IsString(el) && bs__strmap_get(gone, el->valuestring) >= 0)
            bury(a, cJSON_DetachItemViaPointer(arr, el));
        el = next;
    }
}

static bool list_names_any(const cJSON *arr, const bs__strmap *gone)
{
    const cJSON *el;
    cJSON_ArrayForEach(el, arr)
    {
        if (cJSON_IsString(el) && bs__strmap_get(gone, el->valuestring) >= 0)
            return true;
    }
    return false;
}

/* What removing entities does to the entities that name them. */
static void cascade_removals(applier *a)
{
    const entity_index *ci = &a->idx[K_COHORT];
    bool instr = a->idx[K_INSTR].removed.count > 0, learners = a->idx[K_LEARNER].removed.count > 0;
    for (size_t i = 0; i < ci->count && (instr || learners); i++) {
        if (ci->nodes[i] == NULL || !cJSON_IsObject(ci->nodes[i]))
            continue;
        if (instr)
            drop_from_list(a, ci->nodes[i], "instructors", &a->idx[K_INSTR].removed);
        if (learners)
            drop_from_list(a, ci->nodes[i], "learners", &a->idx[K_LEARNER].removed);
    }
    /* Pins: a pin of a removed cohort goes with it; a pinned room or team
     * that no longer exists is unpinned rather than left dangling, since a
     * scenario has no other way to edit pins. */
    cJSON *fixed = base_section(a, "fixed");
    if (fixed == NULL)
        return;
    cJSON *pin = fixed->child;
    while (pin != NULL) {
        cJSON *next = pin->next;
        if (cJSON_IsObject(pin)) {
            const cJSON *c = bs__member(pin, "cohort");
            const cJSON *r = bs__member(pin, "room");
            const cJSON *t = bs__member(pin, "instructors");
            if (cJSON_IsString(c) &&
                bs__strmap_get(&a->idx[K_COHORT].removed, c->valuestring) >= 0) {
                bury(a, cJSON_DetachItemViaPointer(fixed, pin));
            } else {
                if (cJSON_IsString(r) &&
                    bs__strmap_get(&a->idx[K_ROOM].removed, r->valuestring) >= 0)
                    bury(a, cJSON_DetachItemFromObjectCaseSensitive(pin, "room"));
                if (cJSON_IsArray(t) && list_names_any(t, &a->idx[K_INSTR].removed))
                    bury(a, cJSON_DetachItemFromObjectCaseSensitive(pin, "instructors"));
            }
        }
        pin = next;
    }
}

static void apply_remove(applier *a, cJSON *remove)
{
    size_t old = bs__path_key(&a->ld, "remove");
    if (!bs__want_object(&a->ld, remove)) {
        bs__path_pop(&a->ld, old);
        return;
    }
    bs__check_keys(&a->ld, remove, SECTION);
    for (int k = 0; k < N_KINDS; k++) {
        cJSON *arr = want_array_member(a, remove, SECTION[k]);
        if (arr == NULL)
            continue;
        size_t o1 = bs__path_key(&a->ld, SECTION[k]), i = 0;
        const cJSON *el;
        cJSON_ArrayForEach(el, arr)
        {
            size_t o2 = bs__path_index(&a->ld, i++);
            entity_index *e = &a->idx[k];
            char q[160];
            if (!cJSON_IsString(el)) {
                bs__error(&a->ld, "must be a %s id (got %s)", SINGULAR[k], bs__type_name(el));
            } else if (bs__strmap_get(&e->removed, el->valuestring) >= 0) {
                bs__error(&a->ld, "%s %s is listed twice", SINGULAR[k],
                          bs__q(el->valuestring, q, sizeof q));
            } else {
                int at = lookup(a, k, el->valuestring);
                if (at < 0) {
                    unknown_id(a, k, el->valuestring);
                } else {
                    cJSON *node = e->nodes[at];
                    /* the id string lives in the node, which is parked, not
                     * freed: the maps may keep pointing at it */
                    bury(a, cJSON_DetachItemViaPointer(base_section(a, SECTION[k]), node));
                    e->nodes[at] = NULL;
                    e->ids[at] = NULL;
                    const char *key = id_of(node);
                    if (bs__strmap_put(&e->map, key, -1) != BS_OK ||
                        bs__strmap_put(&e->removed, key, 1) != BS_OK)
                        oom(a);
                }
            }
            bs__path_pop(&a->ld, o2);
        }
        bs__path_pop(&a->ld, o1);
    }
    bs__path_pop(&a->ld, old);
    cascade_removals(a);
}

/* ==== add ==== */

/* The base's top-level array `key`, created (appended) when absent. NULL
 * when the base has it but not as an array: reported, naming the base. */
static cJSON *section_for_add(applier *a, const char *base_name, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(a->base, key);
    if (v == NULL) {
        v = cJSON_AddArrayToObject(a->base, key);
        if (v == NULL)
            oom(a);
        return v;
    }
    if (!cJSON_IsArray(v)) {
        char line[400];
        snprintf(line, sizeof line, "%s: $.%s: must be an array (got %s)", base_name, key,
                 bs__type_name(v));
        bs__msg_add(&a->ld, line);
        return NULL;
    }
    return v;
}

static void apply_add(applier *a, const char *base_name, cJSON *add)
{
    size_t old = bs__path_key(&a->ld, "add");
    if (!bs__want_object(&a->ld, add)) {
        bs__path_pop(&a->ld, old);
        return;
    }
    bs__check_keys(&a->ld, add, ADD_KEYS);
    for (int k = 0; ADD_KEYS[k] != NULL; k++) {
        bool is_pin = k == N_KINDS; /* ADD_KEYS ends with "fixed" */
        cJSON *arr = want_array_member(a, add, ADD_KEYS[k]);
        if (arr == NULL)
            continue;
        size_t o1 = bs__path_key(&a->ld, ADD_KEYS[k]), i = 0;
        cJSON *el = arr->child;
        while (el != NULL) {
            cJSON *next = el->next;
            size_t o2 = bs__path_index(&a->ld, i++);
            const char *id = NULL;
            bool ok = bs__want_object(&a->ld, el);
            if (ok && !is_pin) {
                ok = bs__get_id(&a->ld, el, "id", true, &id);
                if (ok && lookup(a, k, id) >= 0) {
                    char q[160];
                    bs__error_key(&a->ld, "id", "%s %s already exists", SINGULAR[k],
                                  bs__q(id, q, sizeof q));
                    ok = false;
                }
            }
            if (ok) {
                cJSON *sec = section_for_add(a, base_name, ADD_KEYS[k]);
                if (sec != NULL) {
                    cJSON_AddItemToArray(sec, cJSON_DetachItemViaPointer(arr, el));
                    if (!is_pin)
                        index_push(a, k, el, id);
                }
            }
            bs__path_pop(&a->ld, o2);
            el = next;
        }
        bs__path_pop(&a->ld, o1);
    }
    bs__path_pop(&a->ld, old);
}

/* ==== set ==== */

/* Put replacement where item is in parent's list and unlink item (not
 * freed). The key stays in place, so the edited input reads like the base.
 * (cJSON 1.7.15's cJSON_InsertItemInArray loses items, and its
 * cJSON_ReplaceItemViaPointer frees the one replaced.) */
static void replace_node(cJSON *parent, cJSON *item, cJSON *replacement)
{
    replacement->next = item->next;
    replacement->prev = item->prev;
    if (replacement->next != NULL)
        replacement->next->prev = replacement;
    if (parent->child == item) {
        if (item->prev == item)
            replacement->prev = replacement; /* the only child */
        parent->child = replacement;
    } else {
        replacement->prev->next = replacement;
        if (replacement->next == NULL)
            parent->child->prev = replacement;
    }
    item->next = item->prev = NULL;
}

/* Merge the keys of obj (the scenario's partial entity) into target. */
static void merge_keys(applier *a, cJSON *target, cJSON *obj, const char *const *allowed,
                       bool has_id)
{
    bs__check_keys(&a->ld, obj, allowed);
    cJSON *kv = obj->child;
    while (kv != NULL) {
        cJSON *next = kv->next;
        const char *key = kv->string;
        bool known = strncmp(key, "x-", 2) == 0;
        for (size_t i = 0; allowed[i] != NULL && !known; i++)
            known = strcmp(allowed[i], key) == 0;
        if (has_id && strcmp(key, "id") == 0) {
            bs__error_key(&a->ld, "id",
                          "an id cannot be set (remove the entity and add it under the new id)");
        } else if (known) {
            cJSON *cur = cJSON_GetObjectItemCaseSensitive(target, key);
            if (cJSON_IsNull(kv)) {
                if (cur != NULL)
                    bury(a, cJSON_DetachItemViaPointer(target, cur));
            } else {
                cJSON_DetachItemViaPointer(obj, kv);
                if (cur != NULL) {
                    replace_node(target, cur, kv);
                    bury(a, cur);
                } else {
                    cJSON_AddItemToArray(target, kv); /* keeps kv->string as the key */
                }
            }
        }
        kv = next;
    }
}

/* The base's top-level object `key` (calendar, objective), created when
 * absent; NULL when it is there but not an object (reported). */
static cJSON *object_for_set(applier *a, const char *base_name, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(a->base, key);
    if (v == NULL) {
        v = cJSON_AddObjectToObject(a->base, key);
        if (v == NULL)
            oom(a);
        return v;
    }
    if (!cJSON_IsObject(v)) {
        char line[400];
        snprintf(line, sizeof line, "%s: $.%s: must be an object (got %s)", base_name, key,
                 bs__type_name(v));
        bs__msg_add(&a->ld, line);
        return NULL;
    }
    return v;
}

static void apply_set(applier *a, const char *base_name, cJSON *set)
{
    size_t old = bs__path_key(&a->ld, "set");
    if (!bs__want_object(&a->ld, set)) {
        bs__path_pop(&a->ld, old);
        return;
    }
    bs__check_keys(&a->ld, set, SET_KEYS);
    for (int k = 0; k < N_KINDS; k++) {
        cJSON *byid = want_object_member(a, set, SECTION[k]);
        if (byid == NULL)
            continue;
        size_t o1 = bs__path_key(&a->ld, SECTION[k]);
        for (cJSON *part = byid->child; part != NULL; part = part->next) {
            size_t o2 = bs__path_key(&a->ld, part->string);
            int at = lookup(a, k, part->string);
            if (at < 0)
                unknown_id(a, k, part->string);
            else if (bs__want_object(&a->ld, part) && cJSON_IsObject(a->idx[k].nodes[at]))
                merge_keys(a, a->idx[k].nodes[at], part, ENTITY_KEYS[k], true);
            bs__path_pop(&a->ld, o2);
        }
        bs__path_pop(&a->ld, o1);
    }
    static const char *const WHOLE[] = {"calendar", "objective"};
    static const char *const *const WHOLE_KEYS[] = {bs__cal_keys, bs__objective_keys};
    for (int w = 0; w < 2; w++) {
        cJSON *part = want_object_member(a, set, WHOLE[w]);
        if (part == NULL)
            continue;
        size_t o1 = bs__path_key(&a->ld, WHOLE[w]);
        cJSON *target = object_for_set(a, base_name, WHOLE[w]);
        if (target != NULL)
            merge_keys(a, target, part, WHOLE_KEYS[w], false);
        bs__path_pop(&a->ld, o1);
    }
    bs__path_pop(&a->ld, old);
}

/* ==== The scenario's own keys ==== */

/* Checks format and name; returns the name (borrowed) or NULL. */
static const char *check_header(applier *a)
{
    bs__check_keys(&a->ld, a->scen, TOP_KEYS);
    const char *format;
    if (bs__get_string(&a->ld, a->scen, "format", true, &format) &&
        strcmp(format, "blendsched-scenario/1") != 0) {
        char q[160];
        bs__error_key(&a->ld, "format",
                      "unsupported format %s (expected \"blendsched-scenario/1\")",
                      bs__q(format, q, sizeof q));
    }
    char *name = NULL;
    if (!bs__get_display(&a->ld, a->scen, "name", &name))
        return NULL;
    bool usable = bs_scenario_name_is_usable(name);
    free(name);
    if (!usable) {
        /* compare writes a scenario's outputs in a folder of that name */
        bs__error_key(&a->ld, "name",
                      "must be usable as a folder name: not empty, not \".\" or \"..\", "
                      "without '/' or control characters");
        return NULL;
    }
    return bs__member(a->scen, "name")->valuestring;
}

/* ==== Writing the edited document ==== */

static int cmp_ptr(const void *x, const void *y)
{
    uintptr_t p = (uintptr_t) * (const cJSON *const *)x, q = (uintptr_t) * (const cJSON *const *)y;
    return p < q ? -1 : p > q;
}

static bool in_table(const cJSON *v, const cJSON **table, size_t n)
{
    return n > 0 && bsearch(&v, table, n, sizeof *table, cmp_ptr) != NULL;
}

static void write_number(bs_buf *b, double d, bool nonint)
{
    if (!isfinite(d)) {
        /* only a literal beyond double range gets here: keep it out of range */
        bs_buf_puts(b, d < 0 ? "-1e999" : "1e999");
        return;
    }
    if (!nonint && d == nearbyint(d)) {
        bs_buf_printf(b, "%.0f", d);
        return;
    }
    /* the shortest form that reads back as the same double */
    char tmp[64];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    bs_buf_puts(b, tmp);
    if (strpbrk(tmp, ".eE") == NULL)
        bs_buf_puts(b, ".0"); /* it had a fraction or exponent: keep one */
}

static bool is_scalar(const cJSON *v)
{
    return !cJSON_IsArray(v) && !cJSON_IsObject(v);
}

static void indent(bs_buf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        bs_buf_puts(b, "  ");
}

static void write_value(const applier *a, bs_buf *b, const cJSON *v, int depth)
{
    if (cJSON_IsNumber(v)) {
        write_number(b, v->valuedouble,
                     in_table(v, a->base_nonint, a->n_base_nonint) ||
                         in_table(v, a->ld.nonint, a->ld.n_nonint));
    } else if (cJSON_IsString(v)) {
        bs_buf_json_string(b, v->valuestring);
    } else if (cJSON_IsTrue(v)) {
        bs_buf_puts(b, "true");
    } else if (cJSON_IsFalse(v)) {
        bs_buf_puts(b, "false");
    } else if (cJSON_IsNull(v)) {
        bs_buf_puts(b, "null");
    } else {
        bool obj = cJSON_IsObject(v);
        bool flat = !obj;
        for (const cJSON *c = v->child; c != NULL && flat; c = c->next)
            flat = is_scalar(c);
        bs_buf_puts(b, obj ? "{" : "[");
        if (v->child == NULL) {
            bs_buf_puts(b, obj ? "}" : "]");
            return;
        }
        for (const cJSON *c = v->child; c != NULL; c = c->next) {
            if (flat) {
                if (c != v->child)
                    bs_buf_puts(b, ", ");
            } else {
                bs_buf_puts(b, c == v->child ? "\n" : ",\n");
                indent(b, depth + 1);
            }
            if (obj) {
                bs_buf_json_string(b, c->string);
                bs_buf_puts(b, ": ");
            }
            write_value(a, b, c, depth + 1);
        }
        if (!flat) {
            bs_buf_puts(b, "\n");
            indent(b, depth);
        }
        bs_buf_puts(b, obj ? "}" : "]");
    }
}

/* ==== Entry points ==== */

void bs_scenario_result_free(bs_scenario_result *r)
{
    if (r == NULL)
        return;
    free(r->name);
    free(r->input);
    memset(r, 0, sizeof *r);
}

/* "dir/ana-leaves.json" -> "ana-leaves"; "-" -> "stdin". */
static char *name_from_path(const char *path)
{
    if (strcmp(path, "-") == 0 || strcmp(path, "<stdin>") == 0)
        return bs_strdup("stdin");
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".json") == 0)
        n -= 5;
    char *s = malloc(n + 1);
    if (s != NULL) {
        memcpy(s, base, n);
        s[n] = '\0';
    }
    return s;
}

static char *terminated_copy(const char *data, size_t len)
{
    char *c = malloc(len + 1);
    if (c != NULL) {
        memcpy(c, data, len);
        c[len] = '\0';
    }
    return c;
}

bs_rc bs_scenario_apply_buffer(const char *base_name, const char *base, size_t base_len,
                               const char *scen_name, const char *scen, size_t scen_len,
                               bs_scenario_result *out, bs_messages *errors, bs_err *err)
{
    if (errors != NULL)
        memset(errors, 0, sizeof *errors);
    applier a;
    memset(&a, 0, sizeof a);
    a.ld.name = scen_name;
    a.ld.msgs = errors;
    snprintf(a.ld.path, sizeof a.ld.path, "$");
    a.ld.path_len = 1;

    char *bcopy = terminated_copy(base, base_len), *scopy = terminated_copy(scen, scen_len);
    a.grave = cJSON_CreateArray();
    bs_rc rc = bcopy && scopy && a.grave ? BS_OK : BS_ENOMEM;

    /* The base, parsed as strictly as the loader does, with its messages
     * naming the base. */
    if (rc == BS_OK) {
        bs__ld bld;
        memset(&bld, 0, sizeof bld);
        bld.name = base_name;
        bld.msgs = errors;
        rc = bs__json_parse(&bld, bcopy, base_len, &a.base);
        a.base_nonint = bld.nonint;
        a.n_base_nonint = bld.n_nonint;
        a.ld.n_errors += bld.n_errors;
        if (rc == BS_OK && !cJSON_IsObject(a.base)) {
            char line[300];
            snprintf(line, sizeof line, "%s: $: must be an object (got %s)", base_name,
                     bs__type_name(a.base));
            bs__msg_add(&a.ld, line);
        }
    }
    if (rc == BS_OK) {
        rc = bs__json_parse(&a.ld, scopy, scen_len, &a.scen);
    }
    const char *name = NULL;
    if (rc == BS_OK && a.ld.n_errors == 0 && bs__want_object(&a.ld, a.scen)) {
        name = check_header(&a);
        index_base(&a);
        cJSON *remove = cJSON_GetObjectItemCaseSensitive(a.scen, "remove");
        cJSON *add = cJSON_GetObjectItemCaseSensitive(a.scen, "add");
        cJSON *set = cJSON_GetObjectItemCaseSensitive(a.scen, "set");
        if (remove != NULL && !a.ld.oom)
            apply_remove(&a, remove);
        if (add != NULL && !a.ld.oom)
            apply_add(&a, base_name, add);
        if (set != NULL && !a.ld.oom)
            apply_set(&a, base_name, set);
    }
    if (rc == BS_OK && a.ld.oom)
        rc = BS_ENOMEM;
    if (rc == BS_OK && a.ld.n_errors > 0)
        rc = BS_EINVAL;

    bs_scenario_result res = {0};
    if (rc == BS_OK) {
        bs_buf b;
        bs_buf_init(&b);
        write_value(&a, &b, a.base, 0);
        bs_buf_puts(&b, "\n");
        res.name = name ? bs_strdup(name) : name_from_path(scen_name);
        if (b.failed || res.name == NULL) {
            bs_buf_free(&b);
            rc = BS_ENOMEM;
        } else {
            res.input = b.data;
            res.len = b.len;
        }
    }

    for (int k = 0; k < N_KINDS; k++) {
        free(a.idx[k].nodes);
        free((void *)a.idx[k].ids);
        bs__strmap_free(&a.idx[k].map);
        bs__strmap_free(&a.idx[k].removed);
    }
    cJSON_Delete(a.base);
    cJSON_Delete(a.scen);
    cJSON_Delete(a.grave);
    free((void *)a.base_nonint);
    free((void *)a.ld.nonint);
    free(bcopy);
    free(scopy);
    if (rc == BS_ENOMEM)
        bs_err_set(err, rc, "%s: out of memory while applying the scenario", scen_name);
    else if (rc == BS_EINTERNAL)
        bs_err_set(err, rc, "%s: internal error while parsing", scen_name);
    if (rc != BS_OK) {
        bs_scenario_result_free(&res);
        return rc;
    }
    *out = res;
    return BS_OK;
}

bs_rc bs_scenario_apply_file(const char *base_name, const char *base, size_t base_len,
                             const char *path, size_t max_bytes, bs_scenario_result *out,
                             bs_messages *errors, bs_err *err)
{
    if (errors != NULL)
        memset(errors, 0, sizeof *errors);
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    char *data = NULL;
    size_t len = 0;
    bs_err rerr = {BS_OK, ""};
    bs_rc rc = bs_read_file(path, max_bytes, &data, &len, &rerr);
    if (rc == BS_EINVAL) {
        char line[700];
        snprintf(line, sizeof line, "%s: scenario larger than the limit of %zu MB", name,
                 max_bytes / (1024 * 1024));
        bs__ld ld;
        memset(&ld, 0, sizeof ld);
        ld.msgs = errors;
        bs__msg_add(&ld, line);
        return BS_EINVAL;
    }
    if (rc != BS_OK) {
        if (err != NULL)
            *err = rerr;
        return rc;
    }
    rc = bs_scenario_apply_buffer(base_name, base, base_len, name, data, len, out, errors, err);
    free(data);
    return rc;
}

bs_rc bs_scenario_load_problem(const char *base_name, const char *scen_name,
                               const bs_scenario_result *r, bs_problem **out, bs_messages *errors,
                               bs_err *err)
{
    size_t n = strlen(base_name) + strlen(scen_name) + 32;
    char *name = malloc(n);
    if (name == NULL)
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    snprintf(name, n, "%s (applied to %s)", scen_name, base_name);
    bs_rc rc = bs_input_load_buffer(name, r->input, r->len, out, errors, err);
    free(name);
    return rc;
}

bool bs_scenario_name_is_usable(const char *name)
{
    if (name == NULL || name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        if (*c == '/' || *c < 0x20 || *c == 0x7F)
            return false;
    return true;
}
