/**
 * @file formulation.c
 * @brief The row families of a sub-MIP (docs/model.md): resource cliques,
 *        per-day aggregates and their chains, precedence, cadence, the
 *        cohort-level objective terms, sites per date and minute limits.
 */
#include <stdlib.h>

#include "solver/formulation.h"


int bs__add_cols(mip *m, int n, int kind, double lb, double ub, double obj)
{
    int first = glp_add_cols(m->lp, n);
    for (int j = first; j < first + n; j++) {
        glp_set_col_kind(m->lp, j, kind);
        glp_set_col_bnds(m->lp, j, lb == ub ? GLP_FX : GLP_DB, lb, ub);
        glp_set_obj_coef(m->lp, j, obj);
    }
    return first;
}

int bs__add_row(mip *m, int type, double lb, double ub)
{
    int r = glp_add_rows(m->lp, 1);
    glp_set_row_bnds(m->lp, r, type, lb, ub);
    return r;
}

void bs__add_nz(mip *m, int row, int col, double v)
{
    if (m->failed)
        return;
    if (m->nnz + 1 >= m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 4096;
        int *ia = bs_reallocarray(m->ia, cap, sizeof(int));
        if (ia)
            m->ia = ia;
        int *ja = bs_reallocarray(m->ja, cap, sizeof(int));
        if (ja)
            m->ja = ja;
        double *ar = bs_reallocarray(m->ar, cap, sizeof(double));
        if (ar)
            m->ar = ar;
        if (!ia || !ja || !ar) {
            m->failed = true;
            return;
        }
        m->cap = cap;
    }
    m->nnz++;
    m->ia[m->nnz] = row;
    m->ja[m->nnz] = col;
    m->ar[m->nnz] = v;
}

/* ==== Clique rows ==== */


static int cmp_use(const void *a, const void *b)
{
    const use *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return (x->var > y->var) - (x->var < y->var);
}

/* For each resource key, one row per maximal set of pairwise overlapping
 * uses: intervals overlap pairwise iff they share a point, and a maximal
 * such set is found at a start instant followed by an end. */
void bs__clique_rows(mip *m, use *u, size_t n)
{
    qsort(u, n, sizeof *u, cmp_use);
    size_t *active = bs_calloc(n, sizeof(size_t));
    if (active == NULL) {
        m->failed = true;
        return;
    }
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b < n && u[b].key == u[a].key)
            b++;
        size_t n_active = 0;
        for (size_t k = a; k < b;) {
            bs_time tau = u[k].from;
            /* drop uses that ended by tau */
            size_t w = 0;
            for (size_t q = 0; q < n_active; q++)
                if (u[active[q]].to > tau)
                    active[w++] = active[q];
            n_active = w;
            while (k < b && u[k].from == tau)
                active[n_active++] = k++;
            /* emit when the next start comes after some active use ends */
            bool emit = k == b;
            for (size_t q = 0; !emit && q < n_active; q++)
                emit = u[active[q]].to <= u[k].from;
            bool one_cohort = !u[a].own_clique;
            for (size_t q = 1; one_cohort && q < n_active; q++)
                one_cohort = u[active[q]].cohort == u[active[0]].cohort;
            if (emit && n_active >= 2 && !one_cohort) {
                /* dedupe variables (a placement may appear twice under one key) */
                int row = bs__add_row(m, GLP_UP, 0, 1);
                int last = -1;
                for (size_t q = 0; q < n_active; q++) {
                    if (u[active[q]].var == last)
                        continue;
                    bs__add_nz(m, row, u[active[q]].var, 1);
                    last = u[active[q]].var;
                }
            }
        }
        a = b;
    }
    free(active);
}


void bs__free_infos(sess_info *si, size_t n)
{
    for (size_t k = 0; si && k < n; k++) {
        free(si[k].day);
        free(si[k].latest_end);
        free(si[k].earliest_start);
    }
    free(si);
}

/* coef·D[k] (the session's candidates on its k-th day) into row r. */
static void add_day_sum(mip *m, int r, const sess_info *s, int k, double coef)
{
    bs__add_nz(m, r, s->pre_var + k, coef);
    if (k > 0)
        bs__add_nz(m, r, s->pre_var + k - 1, -coef);
}

/* coef·S[k] = coef·((1 - u) - P[k-1]) into row r; returns the constant
 * coef, which the caller moves to the row's bound. */
static double add_suffix_sum(mip *m, int r, const sess_info *s, int k, double coef)
{
    bs__add_nz(m, r, s->u_var, -coef);
    if (k > 0)
        bs__add_nz(m, r, s->pre_var + k - 1, -coef);
    return coef;
}

/* The prefix chain of one session over the days of its candidates.
 * Precedence, cadence and spread only need start dates, so day-level
 * chains (a few dozen per session) replace slot-level ones (hundreds). */
bs_rc bs__build_aggregates(mip *m, const bs_problem *p, const column *cols, sess_info *in,
                              int duration, int col_var0)
{
    if (in->n_cols == 0)
        return BS_OK;
    size_t n = (size_t)in->n_cols;
    in->day = bs_calloc(n, sizeof(int));
    in->latest_end = bs_calloc(n, sizeof(bs_time));
    in->earliest_start = bs_calloc(n, sizeof(bs_time));
    if (!in->day || !in->latest_end || !in->earliest_start)
        return BS_ENOMEM;
    /* columns are generated slot by slot, so days come in ascending order */
    for (int k = 0; k < in->n_cols; k++) {
        const bs_slot *sl = &p->slots[cols[in->first_col + k].slot];
        if (in->n_days == 0 || in->day[in->n_days - 1] != sl->day) {
            in->day[in->n_days] = sl->day;
            in->earliest_start[in->n_days] = sl->start;
            in->latest_end[in->n_days] = sl->start + duration;
            in->n_days++;
        }
        if (sl->start + duration > in->latest_end[in->n_days - 1])
            in->latest_end[in->n_days - 1] = sl->start + duration;
    }
    in->pre_var = bs__add_cols(m, in->n_days, GLP_CV, 0, 1, 0);
    int k = -1, row = 0;
    for (int q = 0; q < in->n_cols; q++) {
        int c = in->first_col + q;
        if (k < 0 || in->day[k] != p->slots[cols[c].slot].day) {
            k++; /* P[k] - P[k-1] - Σ x on day k = 0 */
            row = bs__add_row(m, GLP_FX, 0, 0);
            bs__add_nz(m, row, in->pre_var + k, 1);
            if (k > 0)
                bs__add_nz(m, row, in->pre_var + k - 1, -1);
        }
        bs__add_nz(m, row, col_var0 + c, -1);
    }
    return BS_OK;
}

/* Is `before` at slot ta compatible with `after` at slot tb? (slot level) */
bool bs__prec_ok(const bs_problem *p, const bs_domains *d, const bs_precedence *pr, int ta,
                    int tb)
{
    const bs_session *a = &d->sessions[pr->before];
    bs_time a_end = p->slots[ta].start + a->duration;
    const bs_slot *sb = &p->slots[tb];
    if (pr->order && a_end > sb->start)
        return false;
    if (sb->day - p->slots[ta].day < pr->min_gap_days)
        return false;
    if (pr->study_days > 0) {
        int end_day = bs_problem_day_of(p, a_end - 1);
        if (bs_problem_study_days(p, end_day, sb->day - 1) < pr->study_days)
            return false;
    }
    return true;
}

/* Day level: is every candidate of `before` on its day ka compatible with
 * every candidate of `after` on its day kb (different days)? Monotone: a
 * later day of `before` is never more compatible. */
static bool prec_days_ok(const bs_problem *p, const bs_precedence *pr, const sess_info *a, int ka,
                         const sess_info *b, int kb)
{
    int da = a->day[ka], db = b->day[kb];
    if (da >= db)
        return false;
    if (db - da < pr->min_gap_days)
        return false;
    if (pr->order && a->latest_end[ka] > b->earliest_start[kb])
        return false;
    if (pr->study_days > 0) {
        int end_day = bs_problem_day_of(p, a->latest_end[ka] - 1);
        if (bs_problem_study_days(p, end_day, db - 1) < pr->study_days)
            return false;
    }
    return true;
}

/* Rules 6 and 7 between two sessions: across days, P_b[k] + S_a[thr(k)] <= 1
 * where thr(k) is the first day of a that cannot come before b's k-th day;
 * on one day (possible only without gap and study days), slot-level clique
 * rows. */
bool bs__precedence_rows(mip *m, const bs_problem *p, const bs_domains *d,
                            const bs_precedence *pr, const column *cols, int col_var0,
                            const sess_info *a, const sess_info *b, bool exact_same_day)
{
    if (a->n_days == 0 || b->n_days == 0)
        return false;
    int *thr = bs_calloc((size_t)b->n_days, sizeof(int));
    if (thr == NULL) {
        m->failed = true;
        return false;
    }
    int i = 0;
    for (int k = 0; k < b->n_days; k++) {
        while (i < a->n_days && prec_days_ok(p, pr, a, i, b, k))
            i++;
        /* the same day is settled by the slot-level rows below */
        int t = i;
        while (t < a->n_days && a->day[t] == b->day[k] && pr->min_gap_days == 0 &&
               pr->study_days == 0)
            t++;
        thr[k] = t;
    }
    for (int k = 0; k < b->n_days; k++) {
        if (thr[k] >= a->n_days)
            continue;
        if (k + 1 < b->n_days && thr[k + 1] == thr[k])
            continue; /* dominated by the row of k+1 */
        int r = bs__add_row(m, GLP_UP, 0, 1); /* P_b[k] + S_a[thr] <= 1 */
        bs__add_nz(m, r, b->pre_var + k, 1);
        double constant = add_suffix_sum(m, r, a, thr[k], 1);
        glp_set_row_bnds(m->lp, r, GLP_UP, 0, 1 - constant);
    }
    free(thr);
    if (pr->min_gap_days != 0 || pr->study_days != 0)
        return false;
    /* Same day: b at slot tb (or earlier that day) excludes a at any slot
     * that does not fit before tb. These rows grow with the square of the
     * slots per day; past SAME_DAY_NZ_CAP nonzeros for one pair (outside
     * the relaxed modes) the pair simply may not share a date, which keeps
     * every calendar valid at the price of a few forgone ones. */
    if (exact_same_day == false) {
        size_t nz = 0;
        for (int kb = 0, ka = 0; kb < b->n_days; kb++) {
            while (ka < a->n_days && a->day[ka] < b->day[kb])
                ka++;
            if (ka < a->n_days && a->day[ka] == b->day[kb])
                nz += (size_t)(b->n_cols / b->n_days + 1) * (size_t)(a->n_cols / a->n_days + 1);
        }
        if (nz > SAME_DAY_NZ_CAP) {
            for (int kb = 0, ka = 0; kb < b->n_days; kb++) {
                while (ka < a->n_days && a->day[ka] < b->day[kb])
                    ka++;
                if (ka < a->n_days && a->day[ka] == b->day[kb]) {
                    int r = bs__add_row(m, GLP_UP, 0, 1);
                    add_day_sum(m, r, a, ka, 1);
                    add_day_sum(m, r, b, kb, 1);
                }
            }
            return true; /* the pair may not share a date */
        }
    }
    for (int kb = 0; kb < b->n_days; kb++) {
        int ka = 0;
        while (ka < a->n_days && a->day[ka] < b->day[kb])
            ka++;
        if (ka >= a->n_days || a->day[ka] != b->day[kb])
            continue;
        int b0 = b->first_col, b1 = b->first_col + b->n_cols;
        int a0 = a->first_col, a1 = a->first_col + a->n_cols;
        for (int c = b0; c < b1; c++) {
            if (p->slots[cols[c].slot].day != b->day[kb])
                continue;
            if (c + 1 < b1 && cols[c + 1].slot == cols[c].slot)
                continue; /* one row per slot: at its last column */
            int tb = cols[c].slot;
            int r = 0;
            for (int q = a0; q < a1; q++) {
                if (p->slots[cols[q].slot].day != b->day[kb] || bs__prec_ok(p, d, pr, cols[q].slot, tb))
                    continue;
                if (r == 0)
                    r = bs__add_row(m, GLP_UP, 0, 1);
                bs__add_nz(m, r, col_var0 + q, 1);
            }
            if (r == 0)
                continue;
            for (int q = b0; q <= c; q++)
                if (p->slots[cols[q].slot].day == b->day[kb])
                    bs__add_nz(m, r, col_var0 + q, 1);
        }
    }
    return false;
}

/* Cadence: P_a[i] + S_b[late(i)] + Σ u_mid <= 1 + |mid|, late(i) = first
 * day of b more than max_days after a's i-th day; mid are the sessions
 * between a and b (the row binds only when all of them are unplaced). */
void bs__cadence_rows(mip *m, int max_days, const sess_info *a, const sess_info *b)
{
    int n_mid = (int)(b - a) - 1, rhs = 1 + n_mid;
    for (const sess_info *x = a + 1; x < b; x++)
        rhs -= x->u_var == 0; /* a session without candidates is unplaced for good */
    if (a->n_days == 0 || b->n_days == 0)
        return;
    int j = 0;
    for (int i = 0; i < a->n_days; i++) {
        while (j < b->n_days && b->day[j] - a->day[i] <= max_days)
            j++;
        if (j >= b->n_days)
            break; /* nothing of b is too late for this or later days of a */
        int jn = j;
        if (i + 1 < a->n_days)
            while (jn < b->n_days && b->day[jn] - a->day[i + 1] <= max_days)
                jn++;
        if (i + 1 < a->n_days && jn == j)
            continue; /* dominated by the row of i+1 */
        int r = bs__add_row(m, GLP_UP, 0, rhs);
        bs__add_nz(m, r, a->pre_var + i, 1);
        double constant = add_suffix_sum(m, r, b, j, 1);
        glp_set_row_bnds(m->lp, r, GLP_UP, 0, rhs - constant);
        for (const sess_info *x = a + 1; x < b; x++)
            if (x->u_var)
                bs__add_nz(m, r, x->u_var, 1);
    }
}

/* ==== Cohort-level objective terms ==== */

/* Largest team size among a cohort's live modules. */
int bs__largest_team(const bs_problem *p, int cohort)
{
    const bs_program *pr = &p->programs[p->cohorts[cohort].program];
    int k = 0;
    for (size_t m = 0; m < pr->n_modules; m++)
        if (pr->modules[m].is_live && pr->modules[m].instructors > k)
            k = pr->modules[m].instructors;
    return k;
}


int bs__cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Distinct values of an int array, sorted, in place; returns the count. */
size_t bs__uniq(int *v, size_t n)
{
    qsort(v, n, sizeof *v, bs__cmp_int);
    size_t w = 0;
    for (size_t k = 0; k < n; k++)
        if (w == 0 || v[w - 1] != v[k])
            v[w++] = v[k];
    return w;
}

/* Indicator rows: y[key] >= Σ x over the session's columns using key, one
 * row per (session, key); then excess >= Σ y - allowed. */
bs_rc bs__change_terms(mip *m, const bs_problem *p, const column *cols, const sess_info *si,
                          int s0, int s1, int col_var0, bool rooms, int allowed, double weight)
{
    if (weight <= 0)
        return BS_OK;
    int *keys = NULL;
    size_t n = 0;
    for (int s = s0; s < s1; s++)
        n += (size_t)si[s - s0].n_cols * (rooms ? 1 : BS_MAX_TEAM);
    keys = bs_calloc(n ? n : 1, sizeof(int));
    if (keys == NULL)
        return BS_ENOMEM;
    n = 0;
    for (int s = s0; s < s1; s++)
        for (int k = 0; k < si[s - s0].n_cols; k++) {
            const column *c = &cols[si[s - s0].first_col + k];
            if (rooms) {
                if (c->room >= 0)
                    keys[n++] = c->room;
            } else {
                for (int q = 0; q < c->n_instr; q++)
                    keys[n++] = c->instr[q];
            }
        }
    size_t nk = bs__uniq(keys, n);
    if ((int)nk <= allowed) {
        free(keys);
        return BS_OK;
    }
    int y0 = bs__add_cols(m, (int)nk, GLP_BV, 0, 1, 0);
    int excess = bs__add_cols(m, 1, GLP_CV, 0, (double)nk, weight);
    int er = bs__add_row(m, GLP_LO, -allowed, 0); /* excess - Σy >= -allowed */
    bs__add_nz(m, er, excess, 1);
    for (size_t k = 0; k < nk; k++)
        bs__add_nz(m, er, y0 + (int)k, -1);
    (void)p;
    for (int s = s0; s < s1; s++) {
        const sess_info *in = &si[s - s0];
        for (size_t k = 0; k < nk; k++) {
            int row = 0;
            for (int c = in->first_col; c < in->first_col + in->n_cols; c++) {
                bool uses = rooms ? cols[c].room == keys[k] : false;
                for (int q = 0; !rooms && q < cols[c].n_instr; q++)
                    uses = uses || cols[c].instr[q] == keys[k];
                if (!uses)
                    continue;
                if (row == 0) {
                    row = bs__add_row(m, GLP_UP, 0, 0); /* Σx - y <= 0 */
                    bs__add_nz(m, row, y0 + (int)k, -1);
                }
                bs__add_nz(m, row, col_var0 + c, 1);
            }
        }
    }
    free(keys);
    return BS_OK;
}

/* Spread: date indicators e <= Σ D on that date; short >= min_days - Σ e. */
bs_rc bs__spread_terms(mip *m, const sess_info *si, int n_s, int min_days, double w)
{
    if (w <= 0 || min_days <= 0)
        return BS_OK;
    size_t n = 0;
    for (int s = 0; s < n_s; s++)
        n += (size_t)si[s].n_days;
    int *days = bs_calloc(n ? n : 1, sizeof(int));
    if (days == NULL)
        return BS_ENOMEM;
    n = 0;
    for (int s = 0; s < n_s; s++)
        for (int x = 0; x < si[s].n_days; x++)
            days[n++] = si[s].day[x];
    size_t nd = bs__uniq(days, n);
    int d0 = bs__add_cols(m, (int)nd, GLP_BV, 0, 1, 0);
    int shortv = bs__add_cols(m, 1, GLP_CV, 0, min_days, w);
    int sr = bs__add_row(m, GLP_LO, min_days, 0);
    bs__add_nz(m, sr, shortv, 1);
    for (size_t k = 0; k < nd; k++) {
        bs__add_nz(m, sr, d0 + (int)k, 1);
        int r = bs__add_row(m, GLP_UP, 0, 0); /* e - Σ D(day) <= 0 */
        bs__add_nz(m, r, d0 + (int)k, 1);
        for (int s = 0; s < n_s; s++)
            for (int x = 0; x < si[s].n_days; x++)
                if (si[s].day[x] == days[k])
                    add_day_sum(m, r, &si[s], x, -1);
    }
    free(days);
    return BS_OK;
}

/* ==== Resource rows ==== */


int bs__cmp_team_use(const void *a, const void *b)
{
    const team_use *x = a, *y = b;
    if (x->instr != y->instr)
        return x->instr < y->instr ? -1 : 1;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->site != y->site)
        return x->site < y->site ? -1 : 1;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return (x->var > y->var) - (x->var < y->var);
}

/* One site per instructor and date for in-person teaching. */
void bs__site_rows(mip *m, team_use *t, size_t n)
{
    qsort(t, n, sizeof *t, bs__cmp_team_use);
    for (size_t a = 0; a < n;) {
        size_t b = a;
        int n_sites = 0, last_site = -2;
        while (b < n && t[b].instr == t[a].instr && t[b].day == t[a].day) {
            if (t[b].site != last_site)
                n_sites++;
            last_site = t[b].site;
            b++;
        }
        if (n_sites >= 2) {
            int z0 = bs__add_cols(m, n_sites, GLP_BV, 0, 1, 0);
            int one = bs__add_row(m, GLP_UP, 0, 1);
            for (int k = 0; k < n_sites; k++)
                bs__add_nz(m, one, z0 + k, 1);
            int zi = -1, row = 0, last_pos = -1;
            last_site = -2;
            for (size_t k = a; k < b; k++) {
                if (t[k].site != last_site) {
                    zi++;
                    last_site = t[k].site;
                    last_pos = -1;
                }
                if (t[k].pos != last_pos) {
                    row = bs__add_row(m, GLP_UP, 0, 0); /* Σ x(session, site) - z <= 0 */
                    bs__add_nz(m, row, z0 + zi, -1);
                    last_pos = t[k].pos;
                }
                bs__add_nz(m, row, t[k].var, 1);
            }
        }
        a = b;
    }
}

/* Σ minutes x <= limit - minutes already taught, per instructor and day
 * (week when by_week). t must be sorted by instructor then day. */
void bs__minute_rows(mip *m, const bs__occ *occ, team_use *t, size_t n, bool by_week)
{
    const bs_problem *p = occ->p;
    for (size_t a = 0; a < n;) {
        int i = t[a].instr;
        int key = by_week ? occ->week_of_day[t[a].day] : t[a].day;
        size_t b = a;
        long total = 0;
        while (b < n && t[b].instr == i &&
               (by_week ? occ->week_of_day[t[b].day] : t[b].day) == key) {
            total += t[b].minutes;
            b++;
        }
        const bs_instructor *in = &p->instructors[i];
        int limit = by_week ? in->max_minutes_per_week : in->max_minutes_per_day;
        int used = by_week ? occ->minutes_week[(size_t)i * occ->n_weeks + (size_t)key]
                           : occ->minutes_day[(size_t)i * occ->n_days + (size_t)key];
        if (limit >= 0 && total > limit - used) {
            int row = bs__add_row(m, GLP_UP, 0, limit - used);
            for (size_t k = a; k < b; k++)
                bs__add_nz(m, row, t[k].var, t[k].minutes);
        }
        a = b;
    }
}

