/**
 * @file export_report_read.c
 * @brief Reading a conflict report (`blendsched-conflicts/1`) back into a
 *        bs_report of a loaded problem, so that `export` can show reasons
 *        in the HTML report; strict JSON and JSON-path diagnostics come
 *        from the input loader's helpers.
 */
#include "io/export.h"
#include "io/input_internal.h"
#include "model/domain.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_FORMAT "blendsched-conflicts/1"

typedef struct id_entry {
    const char *id;
    int index;
} id_entry;

typedef struct rd {
    bs__ld ld; /* name, messages and the JSON path */
    const bs_problem *p;
    id_entry *cohort_ids; /* sorted by id, for bsearch */
    bs_report *r;
} rd;

static int id_cmp(const void *a, const void *b)
{
    return strcmp(((const id_entry *)a)->id, ((const id_entry *)b)->id);
}

/* The cohort index of id, or -1: cohort ids are sorted once, then looked
 * up by binary search (reports of big inputs name thousands). */
static int find_cohort(const rd *x, const char *id)
{
    if (x->p->n_cohorts == 0)
        return -1;
    id_entry key = {id, -1};
    const id_entry *hit =
        bsearch(&key, x->cohort_ids, x->p->n_cohorts, sizeof *x->cohort_ids, id_cmp);
    return hit != NULL ? hit->index : -1;
}

/* Resolve obj.cohort and obj.module (a live module of the cohort's
 * program); reports what is wrong. */
static bool read_session(rd *x, const cJSON *obj, int *cohort, int *module)
{
    const char *cid = NULL, *mid = NULL;
    bool ok = bs__get_string(&x->ld, obj, "cohort", true, &cid);
    ok = bs__get_string(&x->ld, obj, "module", true, &mid) && ok;
    if (!ok)
        return false;
    char q[160];
    *cohort = find_cohort(x, cid);
    if (*cohort < 0) {
        bs__error_key(&x->ld, "cohort", "unknown cohort %s", bs__q(cid, q, sizeof q));
        return false;
    }
    const bs_program *pr = &x->p->programs[x->p->cohorts[*cohort].program];
    *module = -1;
    for (size_t m = 0; m < pr->n_modules; m++)
        if (strcmp(pr->modules[m].id, mid) == 0)
            *module = (int)m;
    if (*module < 0 || !pr->modules[*module].is_live) {
        bs__error_key(&x->ld, "module", "%s is not a live module of program \"%s\" (cohort \"%s\")",
                      bs__q(mid, q, sizeof q), pr->id, x->p->cohorts[*cohort].id);
        return false;
    }
    return true;
}

static bs_reason parse_reason(const char *s)
{
    for (int r = BS_REASON_NO_QUALIFIED_INSTRUCTOR; r <= BS_REASON_PIN_BROKEN; r++)
        if (strcmp(s, bs_reason_name((bs_reason)r)) == 0)
            return (bs_reason)r;
    return BS_REASON_NONE;
}

static char *dup_or_oom(rd *x, const char *s)
{
    char *d = bs_strdup(s);
    if (d == NULL)
        x->ld.oom = true;
    return d;
}

static void read_unplaced(rd *x, const cJSON *v)
{
    static const char *const KEYS[] = {"cohort", "module", "reason", "message", "blocking", NULL};
    if (!bs__want_object(&x->ld, v))
        return;
    bs__check_keys(&x->ld, v, KEYS);
    size_t before = x->ld.n_errors;
    int cohort = -1, module = -1;
    read_session(x, v, &cohort, &module);
    const char *reason = NULL, *message = NULL;
    bs_reason rs = BS_REASON_NONE;
    if (bs__get_string(&x->ld, v, "reason", true, &reason)) {
        rs = parse_reason(reason);
        if (rs == BS_REASON_NONE) {
            char q[160];
            bs__error_key(&x->ld, "reason",
                          "unknown reason %s (FORMAT.md lists "
                          "NO_QUALIFIED_INSTRUCTOR, NO_SUITABLE_ROOM, NO_FEASIBLE_TIME, "
                          "RESOURCES_BUSY, SOLVER_LIMIT, PIN_BROKEN)",
                          bs__q(reason, q, sizeof q));
        }
    }
    bs__get_string(&x->ld, v, "message", true, &message);
    const cJSON *blocking = NULL;
    const cJSON *bv = bs__member(v, "blocking");
    if (bv != NULL && !cJSON_IsArray(bv))
        bs__error_key(&x->ld, "blocking", "must be an array of strings (got %s)",
                      bs__type_name(bv));
    else
        blocking = bv;
    size_t nb = 0;
    if (blocking != NULL) {
        size_t old = bs__path_key(&x->ld, "blocking");
        for (const cJSON *e = blocking->child; e != NULL; e = e->next, nb++) {
            if (!cJSON_IsString(e)) {
                size_t o2 = bs__path_index(&x->ld, nb);
                bs__error(&x->ld, "must be a string (got %s)", bs__type_name(e));
                bs__path_pop(&x->ld, o2);
            }
        }
        bs__path_pop(&x->ld, old);
    }
    if (x->ld.n_errors != before)
        return;

    bs_report *r = x->r;
    bs_conflict *g = bs_reallocarray(r->unplaced, r->n_unplaced + 1, sizeof *g);
    if (g == NULL) {
        x->ld.oom = true;
        return;
    }
    r->unplaced = g;
    bs_conflict *cf = &g[r->n_unplaced++];
    memset(cf, 0, sizeof *cf);
    cf->cohort = cohort;
    cf->module = module;
    cf->reason = rs;
    cf->message = dup_or_oom(x, message);
    if (nb > 0) {
        cf->blocking = bs_calloc(nb, sizeof *cf->blocking);
        if (cf->blocking == NULL) {
            x->ld.oom = true;
            return;
        }
        for (const cJSON *e = blocking->child; e != NULL; e = e->next)
            if ((cf->blocking[cf->n_blocking] = dup_or_oom(x, e->valuestring)) != NULL)
                cf->n_blocking++;
    }
}

static void read_skipped(rd *x, const cJSON *v)
{
    static const char *const KEYS[] = {"cohort", "module", NULL};
    if (!bs__want_object(&x->ld, v))
        return;
    bs__check_keys(&x->ld, v, KEYS);
    int cohort = -1, module = -1;
    if (!read_session(x, v, &cohort, &module))
        return;
    bs_report *r = x->r;
    struct bs_skipped *g = bs_reallocarray(r->skipped, r->n_skipped + 1, sizeof *g);
    if (g == NULL) {
        x->ld.oom = true;
        return;
    }
    r->skipped = g;
    g[r->n_skipped].cohort = cohort;
    g[r->n_skipped].module = module;
    r->n_skipped++;
}

static void read_warning(rd *x, const cJSON *v)
{
    static const char *const KEYS[] = {"code", "message", NULL};
    if (!bs__want_object(&x->ld, v))
        return;
    bs__check_keys(&x->ld, v, KEYS);
    const char *code = NULL, *message = NULL;
    bool ok = bs__get_string(&x->ld, v, "code", true, &code);
    ok = bs__get_string(&x->ld, v, "message", true, &message) && ok;
    if (ok && bs_report_add_warning(x->r, code, message) != BS_OK)
        x->ld.oom = true;
}

/* Each element of the array member `key` (absent: nothing). */
static void read_list(rd *x, const cJSON *root, const char *key, void (*fn)(rd *, const cJSON *))
{
    const cJSON *arr = bs__member(root, key);
    if (arr == NULL)
        return;
    size_t old = bs__path_key(&x->ld, key);
    if (!cJSON_IsArray(arr)) {
        bs__error(&x->ld, "must be an array (got %s)", bs__type_name(arr));
    } else {
        size_t i = 0;
        for (const cJSON *e = arr->child; e != NULL && !x->ld.oom; e = e->next, i++) {
            size_t o2 = bs__path_index(&x->ld, i);
            fn(x, e);
            bs__path_pop(&x->ld, o2);
        }
    }
    bs__path_pop(&x->ld, old);
}

static void read_root(rd *x, const cJSON *root)
{
    static const char *const KEYS[] = {"format", "unplaced", "skipped", "warnings", NULL};
    if (!bs__want_object(&x->ld, root))
        return;
    bs__check_keys(&x->ld, root, KEYS);
    const char *format = NULL;
    if (bs__get_string(&x->ld, root, "format", true, &format) &&
        strcmp(format, REPORT_FORMAT) != 0) {
        char q[160];
        bs__error_key(&x->ld, "format", "unsupported format %s (expected \"" REPORT_FORMAT "\")",
                      bs__q(format, q, sizeof q));
        return;
    }
    read_list(x, root, "unplaced", read_unplaced);
    read_list(x, root, "skipped", read_skipped);
    read_list(x, root, "warnings", read_warning);
}

bs_rc bs_export_read_report_buffer(const char *name, const char *data, size_t len,
                                   const bs_problem *p, bs_report **out, bs_messages *errors,
                                   bs_err *err)
{
    if (errors != NULL)
        memset(errors, 0, sizeof *errors);
    rd x;
    memset(&x, 0, sizeof x);
    x.ld.name = name ? name : "conflicts";
    x.ld.msgs = errors;
    snprintf(x.ld.path, sizeof x.ld.path, "$");
    x.ld.path_len = 1;
    x.p = p;
    /* the parser wants data[len] == NUL */
    char *text = malloc(len + 1);
    x.r = bs_calloc(1, sizeof *x.r);
    x.cohort_ids = bs_calloc(p->n_cohorts ? p->n_cohorts : 1, sizeof *x.cohort_ids);
    if (text == NULL || x.r == NULL || x.cohort_ids == NULL) {
        free(text);
        free(x.r);
        free(x.cohort_ids);
        return bs_err_set(err, BS_ENOMEM, "%s: out of memory", x.ld.name);
    }
    if (len > 0)
        memcpy(text, data, len);
    text[len] = '\0';
    for (size_t c = 0; c < p->n_cohorts; c++)
        x.cohort_ids[c] = (id_entry){p->cohorts[c].id, (int)c};
    qsort(x.cohort_ids, p->n_cohorts, sizeof *x.cohort_ids, id_cmp);

    cJSON *root = NULL;
    bs_rc rc = bs__json_parse(&x.ld, text, len, &root);
    if (rc == BS_OK) {
        read_root(&x, root);
        if (x.ld.oom)
            rc = BS_ENOMEM;
        else if (x.ld.n_errors > 0)
            rc = BS_EINVAL;
    } else if (rc == BS_EPARSE && x.ld.n_errors == 0) {
        bs__error(&x.ld, "not a JSON text");
    }
    cJSON_Delete(root);
    free((void *)x.ld.nonint);
    free(text);
    free(x.cohort_ids);
    if (rc != BS_OK) {
        bs_report_destroy(&x.r);
        if (rc == BS_ENOMEM || rc == BS_EINTERNAL)
            return bs_err_set(err, rc, "%s: %s while reading", x.ld.name,
                              rc == BS_ENOMEM ? "out of memory" : "internal error");
        return rc;
    }
    *out = x.r;
    return BS_OK;
}

bs_rc bs_export_read_report_file(const char *path, size_t max_bytes, const bs_problem *p,
                                 bs_report **out, bs_messages *errors, bs_err *err)
{
    if (errors != NULL)
        memset(errors, 0, sizeof *errors);
    char *data = NULL;
    size_t len = 0;
    BS_TRY(bs_read_file(path, max_bytes, &data, &len, err));
    bs_rc rc = bs_export_read_report_buffer(strcmp(path, "-") == 0 ? "<stdin>" : path, data, len, p,
                                            out, errors, err);
    free(data);
    return rc;
}
