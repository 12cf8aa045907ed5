/**
 * @file json_util.c
 * @brief The input loader's JSON toolkit: diagnostics that name the JSON
 *        path, did-you-mean suggestions, typed member access (numbers,
 *        strings, ids, dates and times) and a string map for id lookups.
 *        Parsing itself, with the checks cJSON leaves out, is
 *        io/json_strict.c's.
 */
#include "io/input_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== String map ==== */

static uint64_t hash_str(const char *s)
{
    /* FNV-1a: ids are short, and the map only needs a decent spread. */
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        h ^= *c;
        h *= 1099511628211ULL;
    }
    return h;
}

/* Slots hold the key's hash too: a probe compares strings only when the
 * hashes agree, which matters with hundreds of thousands of similar ids. */
static size_t strmap_find(const bs__strmap *m, const char *key, uint32_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    while (m->keys[i] != NULL && (m->hashes[i] != h || strcmp(m->keys[i], key) != 0))
        i = (i + 1) & (m->cap - 1);
    return i;
}

int bs__strmap_get(const bs__strmap *m, const char *key)
{
    if (m->cap == 0)
        return -1;
    size_t i = strmap_find(m, key, (uint32_t)hash_str(key));
    return m->keys[i] != NULL ? m->vals[i] : -1;
}

bs_rc bs__strmap_put(bs__strmap *m, const char *key, int val)
{
    if ((m->count + 1) * 2 > m->cap) {
        bs__strmap grown = {NULL, NULL, NULL, m->cap ? m->cap * 2 : 16, 0};
        grown.keys = bs_calloc(grown.cap, sizeof *grown.keys);
        grown.vals = bs_calloc(grown.cap, sizeof *grown.vals);
        grown.hashes = bs_calloc(grown.cap, sizeof *grown.hashes);
        if (grown.keys == NULL || grown.vals == NULL || grown.hashes == NULL) {
            bs__strmap_free(&grown);
            return BS_ENOMEM;
        }
        for (size_t i = 0; i < m->cap; i++) {
            if (m->keys[i] == NULL)
                continue;
            size_t j = (size_t)m->hashes[i] & (grown.cap - 1);
            while (grown.keys[j] != NULL)
                j = (j + 1) & (grown.cap - 1);
            grown.keys[j] = m->keys[i];
            grown.vals[j] = m->vals[i];
            grown.hashes[j] = m->hashes[i];
        }
        grown.count = m->count;
        bs__strmap_free(m);
        *m = grown;
    }
    uint32_t h = (uint32_t)hash_str(key);
    size_t i = strmap_find(m, key, h);
    if (m->keys[i] == NULL)
        m->count++;
    m->keys[i] = key;
    m->vals[i] = val;
    m->hashes[i] = h;
    return BS_OK;
}

void bs__strmap_free(bs__strmap *m)
{
    free(m->keys);
    free(m->vals);
    free(m->hashes);
    memset(m, 0, sizeof *m);
}

/* ==== Diagnostics ==== */

void bs__msg_add(bs__ld *ld, const char *line)
{
    ld->n_errors++;
    bs_messages *m = ld->msgs;
    if (m == NULL)
        return;
    if (m->count >= BS_MAX_ERRORS) {
        m->dropped++;
        return;
    }
    if (m->items == NULL) {
        m->items = bs_calloc(BS_MAX_ERRORS, sizeof *m->items);
        if (m->items == NULL) {
            ld->oom = true;
            return;
        }
    }
    char *copy = bs_strdup(line);
    if (copy == NULL) {
        ld->oom = true;
        return;
    }
    m->items[m->count++] = copy;
}

static void error_v(bs__ld *ld, const char *fmt, va_list ap)
{
    char msg[768], line[1400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    snprintf(line, sizeof line, "%s: %s: %s", ld->name, ld->path, msg);
    bs__msg_add(ld, line);
}

void bs__error(bs__ld *ld, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_v(ld, fmt, ap);
    va_end(ap);
}

void bs__error_key(bs__ld *ld, const char *key, const char *fmt, ...)
{
    size_t old = bs__path_key(ld, key);
    va_list ap;
    va_start(ap, fmt);
    error_v(ld, fmt, ap);
    va_end(ap);
    bs__path_pop(ld, old);
}

static bool is_plain_key(const char *k)
{
    if (*k == '\0' || strlen(k) > 64)
        return false;
    for (; *k; k++)
        if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
              *k == '_' || *k == '-'))
            return false;
    return true;
}

/* Append one path segment for key k: `.k` when k is plain, else `["k"]`. */
size_t bs__format_key(char *buf, size_t size, const char *k)
{
    if (is_plain_key(k))
        return (size_t)snprintf(buf, size, ".%s", k);
    char q[160];
    return (size_t)snprintf(buf, size, "[%s]", bs__q(k, q, sizeof q));
}

size_t bs__path_key(bs__ld *ld, const char *key)
{
    size_t old = ld->path_len;
    if (old < sizeof ld->path) {
        size_t n = bs__format_key(ld->path + old, sizeof ld->path - old, key);
        ld->path_len = old + n < sizeof ld->path ? old + n : sizeof ld->path - 1;
    }
    return old;
}

size_t bs__path_index(bs__ld *ld, size_t i)
{
    size_t old = ld->path_len;
    if (old < sizeof ld->path) {
        size_t n = (size_t)snprintf(ld->path + old, sizeof ld->path - old, "[%zu]", i);
        ld->path_len = old + n < sizeof ld->path ? old + n : sizeof ld->path - 1;
    }
    return old;
}

void bs__path_pop(bs__ld *ld, size_t len)
{
    ld->path_len = len;
    ld->path[len] = '\0';
}

const char *bs__q(const char *s, char *buf, size_t size)
{
    size_t o = 0, chars = 0;
    if (size < 16)
        return "\"\"";
    buf[o++] = '"';
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c & 0xC0) != 0x80 && ++chars > 64) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (o + 8 >= size - 2)
            break;
        if (*c == '"' || *c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)*c;
        } else if (*c < 0x20) {
            o += (size_t)snprintf(buf + o, size - o, "\\u%04x", *c);
        } else {
            buf[o++] = (char)*c;
        }
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

/* Optimal-string-alignment distance, computed only within a band of 3
 * around the diagonal: returns 3 for anything farther than 2. */
static int distance_within2(const char *a, size_t n, const char *b, size_t m)
{
    enum { BIG = 3 };
    if (n > 64 || m > 64 || (n > m ? n - m : m - n) > 2)
        return BIG;
    int d[66][66];
#define D(i, j) (((i) > (j) + 3 || (j) > (i) + 3) ? BIG : d[i][j])
    for (size_t i = 0; i <= n; i++) {
        size_t jlo = i > 3 ? i - 3 : 0, jhi = i + 3 < m ? i + 3 : m;
        int rowmin = BIG;
        for (size_t j = jlo; j <= jhi; j++) {
            int v;
            if (i == 0) {
                v = (int)j;
            } else if (j == 0) {
                v = (int)i;
            } else {
                int cost = a[i - 1] != b[j - 1];
                v = D(i - 1, j - 1) + cost;
                if (D(i - 1, j) + 1 < v)
                    v = D(i - 1, j) + 1;
                if (D(i, j - 1) + 1 < v)
                    v = D(i, j - 1) + 1;
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                    D(i - 2, j - 2) + 1 < v)
                    v = D(i - 2, j - 2) + 1;
            }
            if (v > BIG)
                v = BIG;
            d[i][j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin >= BIG)
            return BIG;
    }
    return D(n, m);
#undef D
}

const char *bs__suggest(const char *s, const char *const *cands, size_t n)
{
    size_t len = strlen(s);
    const char *best = NULL;
    int best_d = 3;
    for (size_t i = 0; i < n; i++) {
        if (cands[i] == NULL)
            continue;
        int d = distance_within2(s, len, cands[i], strlen(cands[i]));
        if (d > 0 && d < best_d && (size_t)d < len) {
            best = cands[i];
            best_d = d;
            if (d == 1)
                break;
        }
    }
    return best;
}

const char *bs__dym(bs__ld *ld, const char *s, const char *const *cands, size_t n, char *buf,
                    size_t size)
{
    /* Suggestions cost a scan of every candidate: only the messages that
     * are kept get one. */
    buf[0] = '\0';
    if (ld->msgs != NULL && ld->msgs->count >= BS_MAX_ERRORS)
        return buf;
    const char *best = bs__suggest(s, cands, n);
    if (best != NULL) {
        char q[160];
        snprintf(buf, size, " (did you mean %s?)", bs__q(best, q, sizeof q));
    }
    return buf;
}

/* ==== Typed access ==== */

const char *bs__type_name(const cJSON *v)
{
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    if (cJSON_IsNull(v))
        return "null";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsObject(v))
        return "an object";
    return "invalid";
}

const cJSON *bs__member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

bool bs__want_object(bs__ld *ld, const cJSON *v)
{
    if (cJSON_IsObject(v))
        return true;
    bs__error(ld, "must be an object (got %s)", bs__type_name(v));
    return false;
}

void bs__check_keys(bs__ld *ld, const cJSON *obj, const char *const *allowed)
{
    size_t n_allowed = 0;
    while (allowed[n_allowed] != NULL)
        n_allowed++;
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        if (strncmp(c->string, "x-", 2) == 0)
            continue;
        bool known = false;
        for (size_t i = 0; i < n_allowed && !known; i++)
            known = strcmp(c->string, allowed[i]) == 0;
        if (known)
            continue;
        char q[160], dym[200];
        bs__error_key(ld, c->string, "unknown key %s%s", bs__q(c->string, q, sizeof q),
                      bs__dym(ld, c->string, allowed, n_allowed, dym, sizeof dym));
    }
}

bool bs__get_int(bs__ld *ld, const cJSON *obj, const char *key, bool required, int64_t lo,
                 int64_t hi, int *out)
{
    const cJSON *v = bs__member(obj, key);
    if (v == NULL) {
        if (required)
            bs__error_key(ld, key, "required key is missing");
        return false;
    }
    if (!cJSON_IsNumber(v)) {
        bs__error_key(ld, key, "must be an integer (got %s)", bs__type_name(v));
        return false;
    }
    if (!bs__json_integral(ld, v)) {
        bs__error_key(ld, key, "must be an integer, without fraction or exponent (got %.17g)",
                      v->valuedouble);
        return false;
    }
    double d = v->valuedouble;
    if (!(d >= (double)INT32_MIN && d <= (double)INT32_MAX)) {
        bs__error_key(ld, key, "integer %.17g does not fit in 32 bits", d);
        return false;
    }
    int x = (int)d;
    if (x < lo || x > hi) {
        if (hi >= INT32_MAX)
            bs__error_key(ld, key, "must be at least %lld (got %d)", (long long)lo, x);
        else
            bs__error_key(ld, key, "must be between %lld and %lld (got %d)", (long long)lo,
                          (long long)hi, x);
        return false;
    }
    *out = x;
    return true;
}

bool bs__get_number(bs__ld *ld, const cJSON *obj, const char *key, double lo, double *out)
{
    const cJSON *v = bs__member(obj, key);
    if (v == NULL)
        return false;
    if (!cJSON_IsNumber(v)) {
        bs__error_key(ld, key, "must be a number (got %s)", bs__type_name(v));
        return false;
    }
    if (!isfinite(v->valuedouble) || v->valuedouble < lo) {
        bs__error_key(ld, key, "must be a finite number of at least %g (got %g)", lo,
                      v->valuedouble);
        return false;
    }
    *out = v->valuedouble;
    return true;
}

bool bs__get_bool(bs__ld *ld, const cJSON *obj, const char *key, bool *out)
{
    const cJSON *v = bs__member(obj, key);
    if (v == NULL)
        return false;
    if (!cJSON_IsBool(v)) {
        bs__error_key(ld, key, "must be true or false (got %s)", bs__type_name(v));
        return false;
    }
    *out = cJSON_IsTrue(v);
    return true;
}

bool bs__get_string(bs__ld *ld, const cJSON *obj, const char *key, bool required, const char **out)
{
    const cJSON *v = bs__member(obj, key);
    if (v == NULL) {
        if (required)
            bs__error_key(ld, key, "required key is missing");
        return false;
    }
    if (!cJSON_IsString(v)) {
        bs__error_key(ld, key, "must be a string (got %s)", bs__type_name(v));
        return false;
    }
    *out = v->valuestring;
    return true;
}

bool bs__is_identifier(const char *s)
{
    size_t n = 0;
    for (const char *c = s; *c; c++, n++) {
        if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '_' || *c == ':' || *c == '-'))
            return false;
    }
    return n >= 1 && n <= 64;
}

bool bs__get_id(bs__ld *ld, const cJSON *obj, const char *key, bool required, const char **out)
{
    const char *s;
    if (!bs__get_string(ld, obj, key, required, &s))
        return false;
    if (!bs__is_identifier(s)) {
        char q[160];
        bs__error_key(ld, key, "invalid identifier %s (1-64 characters of A-Z a-z 0-9 . _ : -)",
                      bs__q(s, q, sizeof q));
        return false;
    }
    *out = s;
    return true;
}

bool bs__get_display(bs__ld *ld, const cJSON *obj, const char *key, char **out)
{
    const char *s;
    if (!bs__get_string(ld, obj, key, false, &s))
        return false;
    size_t chars = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        chars += (*c & 0xC0) != 0x80;
    if (chars > 200) {
        bs__error_key(ld, key, "display string of %zu characters (at most 200)", chars);
        return false;
    }
    char *copy = bs_strdup(s);
    if (copy == NULL) {
        ld->oom = true;
        return false;
    }
    *out = copy;
    return true;
}

static bool digits(const char *s, size_t n, int *v)
{
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

static int parse_date_n(const char *s, int64_t *days)
{
    int y, m, d;
    if (s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
        !digits(s + 8, 2, &d))
        return BS__PARSE_SYNTAX;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return BS__PARSE_IMPOSSIBLE;
    *days = bs_days_from_civil(y, m, d);
    return BS__PARSE_OK;
}

static int parse_time_n(const char *s, int *minutes)
{
    int h, m;
    if (s[2] != ':' || !digits(s, 2, &h) || !digits(s + 3, 2, &m))
        return BS__PARSE_SYNTAX;
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        return BS__PARSE_IMPOSSIBLE;
    *minutes = h * 60 + m;
    return BS__PARSE_OK;
}

int bs__parse_date(const char *s, int64_t *days)
{
    if (strlen(s) != 10)
        return BS__PARSE_SYNTAX;
    return parse_date_n(s, days);
}

int bs__parse_time(const char *s, int *minutes)
{
    if (strlen(s) != 5)
        return BS__PARSE_SYNTAX;
    return parse_time_n(s, minutes);
}

int bs__parse_datetime(const char *s, int64_t *days, int *minutes)
{
    if (strlen(s) != 16 || s[10] != 'T')
        return BS__PARSE_SYNTAX;
    int64_t d = 0;
    int m = 0;
    int rd = parse_date_n(s, &d);
    int rt = parse_time_n(s + 11, &m);
    if (rd == BS__PARSE_SYNTAX || rt == BS__PARSE_SYNTAX)
        return BS__PARSE_SYNTAX;
    if (rd != BS__PARSE_OK || rt != BS__PARSE_OK)
        return BS__PARSE_IMPOSSIBLE;
    *days = d;
    *minutes = m;
    return BS__PARSE_OK;
}

bool bs__get_date(bs__ld *ld, const cJSON *obj, const char *key, bool required, int64_t *out)
{
    const char *s;
    if (!bs__get_string(ld, obj, key, required, &s))
        return false;
    char q[160];
    switch (bs__parse_date(s, out)) {
    case BS__PARSE_OK:
        return true;
    case BS__PARSE_IMPOSSIBLE:
        bs__error_key(ld, key, "impossible date %s", bs__q(s, q, sizeof q));
        return false;
    default:
        bs__error_key(ld, key, "invalid date %s (expected YYYY-MM-DD)", bs__q(s, q, sizeof q));
        return false;
    }
}

bool bs__get_time(bs__ld *ld, const cJSON *obj, const char *key, bool required, bool allow_end,
                  int *out)
{
    const char *s;
    if (!bs__get_string(ld, obj, key, required, &s))
        return false;
    char q[160];
    int m = 0;
    switch (bs__parse_time(s, &m)) {
    case BS__PARSE_OK:
        if (m == 1440 && !allow_end) {
            bs__error_key(ld, key, "24:00 is allowed only as an end");
            return false;
        }
        *out = m;
        return true;
    case BS__PARSE_IMPOSSIBLE:
        bs__error_key(ld, key, "impossible time %s", bs__q(s, q, sizeof q));
        return false;
    default:
        bs__error_key(ld, key, "invalid time %s (expected HH:MM)", bs__q(s, q, sizeof q));
        return false;
    }
}

bool bs__get_array(bs__ld *ld, const cJSON *obj, const char *key, const cJSON **out)
{
    const cJSON *v = bs__member(obj, key);
    *out = NULL;
    if (v == NULL)
        return false;
    if (!cJSON_IsArray(v)) {
        bs__error_key(ld, key, "must be an array (got %s)", bs__type_name(v));
        return false;
    }
    *out = v;
    return true;
}

const char *const bs__weekday_names[8] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};

int bs__weekday(const char *s)
{
    for (int i = 0; i < 7; i++)
        if (strcmp(s, bs__weekday_names[i]) == 0)
            return i;
    return -1;
}
