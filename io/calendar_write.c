/**
 * @file calendar_write.c
 * @brief JSON text of calendars and conflict reports, byte-for-byte
 *        deterministic (fixed key order, fixed number formatting).
 */
#include "io/calendar_write.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/evaluate.h"

void bs_buf_number(bs_buf *b, double v)
{
    if (fabs(v - nearbyint(v)) < 1e-9 && fabs(v) < 1e15) {
        bs_buf_printf(b, "%.0f", nearbyint(v) == 0 ? 0.0 : nearbyint(v));
        return;
    }
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.6f", v);
    size_t n = strlen(tmp);
    while (n > 0 && tmp[n - 1] == '0')
        tmp[--n] = '\0';
    if (n > 0 && tmp[n - 1] == '.')
        tmp[--n] = '\0';
    bs_buf_puts(b, tmp);
}

static const char *module_id(const bs_problem *p, int cohort, int module)
{
    return p->programs[p->cohorts[cohort].program].modules[module].id;
}

/* Sort key of a placed session: start, cohort id, module id. */
typedef struct session_key {
    bs_time start;
    const char *cohort, *module;
    size_t index;
} session_key;

static int cmp_session(const void *a, const void *b)
{
    const session_key *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    int c = strcmp(x->cohort, y->cohort);
    return c != 0 ? c : strcmp(x->module, y->module);
}

static void write_time(bs_buf *b, const bs_problem *p, bs_time t)
{
    char buf[40];
    bs_problem_format_time(p, t, buf, sizeof buf);
    bs_buf_json_string(b, buf);
}

static const char *STATUS[] = {"complete", "partial", "interrupted"};
static const char *CHANGE[] = {"null", "\"moved\"", "\"reassigned\"", "\"new\""};

/* Self-paced availability and due times of one cohort's modules. */
static bs_rc write_self_paced(const bs_problem *p, const bs_solution *s, size_t ci, bs_buf *b,
                              bool *first)
{
    const bs_cohort *c = &p->cohorts[ci];
    const bs_program *pr = &p->programs[c->program];
    size_t nm = pr->n_modules;
    bool *sp = bs_calloc(nm, sizeof(bool)), *live = bs_calloc(nm, sizeof(bool));
    if (!sp || !live) {
        free(sp);
        free(live);
        return BS_ENOMEM;
    }
    for (size_t m = 0; m < nm; m++) {
        if (pr->modules[m].is_live)
            continue;
        /* due: earliest placed live session whose self-paced closure holds m */
        bool has_due = false;
        bs_time due = 0;
        for (size_t b2 = 0; b2 < nm; b2++) {
            if (!pr->modules[b2].is_live)
                continue;
            memset(sp, 0, nm * sizeof(bool));
            bs_module_reach_selfpaced(pr, (int)b2, sp, NULL);
            int k = bs_solution_find(s, (int)ci, (int)b2);
            if (sp[m] && k >= 0 && s->items[k].placed && (!has_due || s->items[k].start < due)) {
                due = s->items[k].start;
                has_due = true;
            }
        }
        /* available_from: latest placed live session m requires through self-paced */
        memset(sp, 0, nm * sizeof(bool));
        memset(live, 0, nm * sizeof(bool));
        bs_module_reach_selfpaced(pr, (int)m, sp, live);
        bs_time from = p->days[c->start_day].begin;
        bool any = false;
        for (size_t a = 0; a < nm; a++) {
            int k = bs_solution_find(s, (int)ci, (int)a);
            if (live[a] && k >= 0 && s->items[k].placed && (!any || s->items[k].end > from)) {
                from = s->items[k].end;
                any = true;
            }
        }
        bs_buf_puts(b, *first ? "\n    " : ",\n    ");
        *first = false;
        bs_buf_puts(b, "{ \"cohort\": ");
        bs_buf_json_string(b, c->id);
        bs_buf_puts(b, ", \"module\": ");
        bs_buf_json_string(b, pr->modules[m].id);
        bs_buf_puts(b, ", \"available_from\": ");
        write_time(b, p, from);
        bs_buf_puts(b, ", \"due\": ");
        if (has_due)
            write_time(b, p, due);
        else
            bs_buf_puts(b, "null");
        bs_buf_puts(b, " }");
    }
    free(sp);
    free(live);
    return BS_OK;
}

bs_rc bs_calendar_write_json(const bs_problem *p, const bs_solution *s, bs_buf *b)
{
    bs_buf_puts(b, "{\n  \"format\": \"blendsched-calendar/1\",\n");
    bs_buf_puts(b, "  \"generated_by\": \"blendsched " BS_VERSION "\",\n");
    bs_buf_printf(b, "  \"input_sha256\": \"%s\",\n", p->input_sha256);
    bs_buf_printf(b, "  \"status\": \"%s\",\n", STATUS[s->status]);
    bs_buf_puts(b, "  \"objective\": { \"total\": ");
    bs_buf_number(b, s->objective.total);
    for (size_t i = 0; i < BS_N_OBJECTIVE_TERMS; i++) {
        bs_buf_printf(b, ", \"%s\": ", bs_objective_term_name(i));
        bs_buf_number(b, bs_objective_term(&s->objective, i));
    }
    if (s->has_bound) {
        bs_buf_puts(b, ", \"bound\": ");
        bs_buf_number(b, s->bound);
        double gap = s->objective.total > 0
                         ? (s->objective.total - s->bound) / s->objective.total
                         : 0;
        bs_buf_puts(b, ", \"gap\": ");
        bs_buf_number(b, gap < 0 ? 0 : gap);
    }
    bs_buf_puts(b, " },\n");
    if (s->has_baseline) {
        bs_change_counts n = bs_solution_count_changes(s);
        bs_buf_printf(b, "  \"changes\": { \"moved\": %zu, \"reassigned\": %zu, \"new\": %zu },\n",
                      n.moved, n.reassigned, n.added);
    }
    /* placed sessions, sorted */
    size_t n = 0;
    session_key *idx = bs_calloc(s->count, sizeof *idx);
    if (idx == NULL)
        return BS_ENOMEM;
    for (size_t k = 0; k < s->count; k++) {
        const bs_assignment *a = &s->items[k];
        if (a->placed)
            idx[n++] = (session_key){a->start, p->cohorts[a->cohort].id,
                                     module_id(p, a->cohort, a->module), k};
    }
    qsort(idx, n, sizeof *idx, cmp_session);
    bs_buf_puts(b, "  \"sessions\": [");
    for (size_t k = 0; k < n; k++) {
        const bs_assignment *a = &s->items[idx[k].index];
        bs_buf_puts(b, k ? ",\n    " : "\n    ");
        bs_buf_puts(b, "{ \"cohort\": ");
        bs_buf_json_string(b, p->cohorts[a->cohort].id);
        bs_buf_puts(b, ", \"module\": ");
        bs_buf_json_string(b, module_id(p, a->cohort, a->module));
        bs_buf_puts(b, ", \"start\": ");
        write_time(b, p, a->start);
        bs_buf_puts(b, ", \"end\": ");
        write_time(b, p, a->end);
        bs_buf_puts(b, ", \"room\": ");
        if (a->room >= 0)
            bs_buf_json_string(b, p->rooms[a->room].id);
        else
            bs_buf_puts(b, "null");
        bs_buf_puts(b, ", \"instructors\": [");
        for (size_t q = 0; q < a->instructors.count; q++) {
            if (q)
                bs_buf_puts(b, ", ");
            bs_buf_json_string(b, p->instructors[a->instructors.items[q]].id);
        }
        bs_buf_puts(b, "]");
        if (s->has_baseline) {
            bs_buf_puts(b, ", \"change\": ");
            bs_buf_puts(b, CHANGE[a->change]);
        }
        bs_buf_puts(b, " }");
    }
    free(idx);
    bs_buf_puts(b, n ? "\n  ],\n" : "],\n");
    bs_buf_puts(b, "  \"self_paced\": [");
    bool first = true;
    for (size_t c = 0; c < p->n_cohorts; c++)
        BS_TRY(write_self_paced(p, s, c, b, &first));
    bs_buf_puts(b, first ? "]\n}\n" : "\n  ]\n}\n");
    return b->failed ? BS_ENOMEM : BS_OK;
}

bs_rc bs_report_write_json(const bs_problem *p, const bs_report *r, bs_buf *b)
{
    bs_buf_puts(b, "{\n  \"format\": \"blendsched-conflicts/1\",\n  \"unplaced\": [");
    for (size_t k = 0; k < r->n_unplaced; k++) {
        const bs_conflict *cf = &r->unplaced[k];
        bs_buf_puts(b, k ? ",\n    " : "\n    ");
        bs_buf_puts(b, "{ \"cohort\": ");
        bs_buf_json_string(b, p->cohorts[cf->cohort].id);
        bs_buf_puts(b, ", \"module\": ");
        bs_buf_json_string(b, module_id(p, cf->cohort, cf->module));
        bs_buf_printf(b, ", \"reason\": \"%s\", \"message\": ", bs_reason_name(cf->reason));
        bs_buf_json_string(b, cf->message);
        bs_buf_puts(b, ", \"blocking\": [");
        for (size_t q = 0; q < cf->n_blocking; q++) {
            if (q)
                bs_buf_puts(b, ", ");
            bs_buf_json_string(b, cf->blocking[q]);
        }
        bs_buf_puts(b, "] }");
    }
    bs_buf_puts(b, r->n_unplaced ? "\n  ],\n  \"skipped\": [" : "],\n  \"skipped\": [");
    for (size_t k = 0; k < r->n_skipped; k++) {
        bs_buf_puts(b, k ? ",\n    " : "\n    ");
        bs_buf_puts(b, "{ \"cohort\": ");
        bs_buf_json_string(b, p->cohorts[r->skipped[k].cohort].id);
        bs_buf_puts(b, ", \"module\": ");
        bs_buf_json_string(b, module_id(p, r->skipped[k].cohort, r->skipped[k].module));
        bs_buf_puts(b, " }");
    }
    bs_buf_puts(b, r->n_skipped ? "\n  ],\n  \"warnings\": [" : "],\n  \"warnings\": [");
    for (size_t k = 0; k < r->n_warnings; k++) {
        bs_buf_puts(b, k ? ",\n    " : "\n    ");
        bs_buf_puts(b, "{ \"code\": ");
        bs_buf_json_string(b, r->warnings[k].code);
        bs_buf_puts(b, ", \"message\": ");
        bs_buf_json_string(b, r->warnings[k].message);
        bs_buf_puts(b, " }");
    }
    bs_buf_puts(b, r->n_warnings ? "\n  ]\n}\n" : "]\n}\n");
    return b->failed ? BS_ENOMEM : BS_OK;
}
