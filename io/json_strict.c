/**
 * @file json_strict.c
 * @brief Strict JSON parsing for the input loader: a recognizer run before
 *        cJSON for what cJSON accepts or reports without a position
 *        (invalid UTF-8, control characters in strings, the number grammar,
 *        trailing data), exact line/column diagnostics, and a walk of the
 *        parsed tree that reports duplicate keys by JSON path.
 */
#include "io/input_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Strict parsing ==== */

/* Line and column (1-based; columns count characters) of byte offset off. */
static void line_col(const char *data, size_t off, size_t *line, size_t *col)
{
    size_t l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)data[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

static void malformed(bs__ld *ld, const char *data, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void malformed(bs__ld *ld, const char *data, size_t off, const char *fmt, ...)
{
    size_t line, col;
    line_col(data, off, &line, &col);
    char msg[256], out[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(out, sizeof out, "%s:%zu:%zu: malformed JSON: %s", ld->name, line, col, msg);
    bs__msg_add(ld, out);
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Check a number token against JSON's grammar; *integral is false when it
 * has a fraction or an exponent. */
static bool number_ok(const char *t, size_t n, bool *integral)
{
    size_t i = 0;
    *integral = true;
    if (i < n && t[i] == '-')
        i++;
    if (i >= n || !is_digit(t[i]))
        return false;
    if (t[i] == '0') {
        i++;
    } else {
        while (i < n && is_digit(t[i]))
            i++;
    }
    if (i < n && t[i] == '.') {
        *integral = false;
        i++;
        if (i >= n || !is_digit(t[i]))
            return false;
        while (i < n && is_digit(t[i]))
            i++;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        *integral = false;
        i++;
        if (i < n && (t[i] == '+' || t[i] == '-'))
            i++;
        if (i >= n || !is_digit(t[i]))
            return false;
        while (i < n && is_digit(t[i]))
            i++;
    }
    return i == n;
}

/* ==== The recognizer ====
 *
 * cJSON is lenient (raw control characters, invalid UTF-8, `01`, bytes below
 * space as whitespace, NUL as an end) and its error offsets are approximate.
 * This recognizer checks RFC 8259 exactly, reports the first problem at its
 * line and column, enforces cJSON's nesting limit, and records which number
 * literals are not integers (in document order) for the tree walk. */

typedef struct rec {
    bs__ld *ld;
    const char *s;
    size_t len, i;
    bool *flags; /* per number literal: has a fraction or an exponent */
    size_t n_numbers, cap;
} rec;

static bool rec_fail(rec *r, size_t at, const char *what)
{
    if (at >= r->len) {
        malformed(r->ld, r->s, r->len, "unexpected end of input (%s)", what);
        return false;
    }
    unsigned char c = (unsigned char)r->s[at];
    if (c > 0x20 && c < 0x7F)
        malformed(r->ld, r->s, at, "unexpected character '%c' (%s)", c, what);
    else if (c < 0x20)
        malformed(r->ld, r->s, at, "control character U+%04X outside a string (%s)", c, what);
    else
        malformed(r->ld, r->s, at, "unexpected byte 0x%02X (%s)", c, what);
    return false;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* \uXXXX at r->s[at]: its code unit, or -1. */
static long rec_u_escape(const rec *r, size_t at)
{
    if (at + 6 > r->len || r->s[at] != '\\' || r->s[at + 1] != 'u')
        return -1;
    long v = 0;
    for (size_t k = 2; k < 6; k++) {
        int h = hex_value(r->s[at + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static bool rec_string(rec *r)
{
    r->i++;
    while (r->i < r->len) {
        unsigned char c = (unsigned char)r->s[r->i];
        if (c == '"') {
            r->i++;
            return true;
        }
        if (c == '\\') {
            char e = r->i + 1 < r->len ? r->s[r->i + 1] : '\0';
            if (e == 'u') {
                long u = rec_u_escape(r, r->i);
                if (u < 0) {
                    malformed(r->ld, r->s, r->i, "invalid \\u escape (four hex digits)");
                    return false;
                }
                if (u == 0) {
                    malformed(r->ld, r->s, r->i, "\\u0000 is not allowed in strings");
                    return false;
                }
                if (u >= 0xDC00 && u <= 0xDFFF) {
                    malformed(r->ld, r->s, r->i, "lone low surrogate \\u%04lX", u);
                    return false;
                }
                if (u >= 0xD800 && u <= 0xDBFF) {
                    long lo = rec_u_escape(r, r->i + 6);
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        malformed(r->ld, r->s, r->i,
                                  "high surrogate \\u%04lX without a low surrogate", u);
                        return false;
                    }
                    r->i += 6;
                }
                r->i += 6;
                continue;
            }
            if (e == '\0' || strchr("\"\\/bfnrt", e) == NULL) {
                if (r->i + 1 >= r->len)
                    return rec_fail(r, r->len, "unterminated string");
                malformed(r->ld, r->s, r->i, "invalid escape \\%c", e);
                return false;
            }
            r->i += 2;
            continue;
        }
        if (c < 0x20) {
            malformed(r->ld, r->s, r->i, "raw control character U+%04X in a string (escape it)", c);
            return false;
        }
        if (c >= 0x80) {
            size_t l = utf8_len((const unsigned char *)r->s + r->i, r->len - r->i);
            if (l == 0) {
                malformed(r->ld, r->s, r->i, "invalid UTF-8 byte 0x%02X", c);
                return false;
            }
            r->i += l;
            continue;
        }
        r->i++;
    }
    return rec_fail(r, r->len, "unterminated string");
}

static bool rec_number(rec *r)
{
    size_t j = r->i;
    while (j < r->len && (is_digit(r->s[j]) || r->s[j] == '-' || r->s[j] == '+' || r->s[j] == '.' ||
                          r->s[j] == 'e' || r->s[j] == 'E'))
        j++;
    bool integral;
    if (!number_ok(r->s + r->i, j - r->i, &integral)) {
        malformed(r->ld, r->s, r->i, "invalid number \"%.*s\"",
                  (int)(j - r->i > 40 ? 40 : j - r->i), r->s + r->i);
        return false;
    }
    if (r->n_numbers == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 256;
        bool *grown = bs_reallocarray(r->flags, ncap, sizeof *grown);
        if (grown == NULL) {
            r->ld->oom = true;
            return false;
        }
        r->flags = grown;
        r->cap = ncap;
    }
    r->flags[r->n_numbers++] = !integral;
    r->i = j;
    return true;
}

static bool rec_literal(rec *r)
{
    static const char *const lits[] = {"true", "false", "null"};
    for (int k = 0; k < 3; k++) {
        size_t n = strlen(lits[k]);
        if (r->i + n <= r->len && memcmp(r->s + r->i, lits[k], n) == 0) {
            r->i += n;
            return true;
        }
    }
    return rec_fail(r, r->i, "expected a value");
}

static bool recognize(bs__ld *ld, const char *data, size_t len, bool **flags, size_t *n_numbers)
{
    enum { VALUE, VALUE_OR_CLOSE, KEY, KEY_OR_CLOSE, COLON, COMMA_OR_CLOSE, DONE };
    rec r = {ld, data, len, 0, NULL, 0, 0};
    char stack[CJSON_NESTING_LIMIT + 1];
    int depth = 0, st = VALUE;
    bool ok = true;
    while (ok) {
        while (r.i < len &&
               (data[r.i] == ' ' || data[r.i] == '\t' || data[r.i] == '\n' || data[r.i] == '\r'))
            r.i++;
        if (r.i >= len) {
            if (st != DONE)
                ok = rec_fail(&r, len, depth > 0 ? "unclosed array or object" : "no JSON value");
            break;
        }
        char c = data[r.i];
        bool value_done = false;
        switch (st) {
        case DONE:
            ok = rec_fail(&r, r.i, "text after the JSON value");
            break;
        case VALUE:
        case VALUE_OR_CLOSE:
            if (st == VALUE_OR_CLOSE && c == ']') {
                depth--;
                r.i++;
                value_done = true;
            } else if (c == '{' || c == '[') {
                if (depth >= CJSON_NESTING_LIMIT) {
                    malformed(ld, data, r.i, "nesting deeper than %d levels", CJSON_NESTING_LIMIT);
                    ok = false;
                    break;
                }
                stack[depth++] = c;
                r.i++;
                st = c == '{' ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
            } else if (c == '"') {
                ok = rec_string(&r);
                value_done = true;
            } else if (c == '-' || is_digit(c)) {
                ok = rec_number(&r);
                value_done = true;
            } else {
                ok = rec_literal(&r);
                value_done = true;
            }
            break;
        case KEY:
        case KEY_OR_CLOSE:
            if (st == KEY_OR_CLOSE && c == '}') {
                depth--;
                r.i++;
                value_done = true;
            } else if (c == '"') {
                ok = rec_string(&r);
                st = COLON;
            } else {
                ok = rec_fail(&r, r.i,
                              st == KEY ? "expected a key in double quotes"
                                        : "expected a key in double quotes or '}'");
            }
            break;
        case COLON:
            if (c == ':') {
                r.i++;
                st = VALUE;
            } else {
                ok = rec_fail(&r, r.i, "expected ':' after the key");
            }
            break;
        case COMMA_OR_CLOSE:
            if (c == ',') {
                r.i++;
                st = stack[depth - 1] == '{' ? KEY : VALUE;
            } else if ((c == '}' && stack[depth - 1] == '{') ||
                       (c == ']' && stack[depth - 1] == '[')) {
                depth--;
                r.i++;
                value_done = true;
            } else {
                ok = rec_fail(&r, r.i,
                              stack[depth - 1] == '{' ? "expected ',' or '}'"
                                                      : "expected ',' or ']'");
            }
            break;
        }
        if (ok && value_done)
            st = depth == 0 ? DONE : COMMA_OR_CLOSE;
    }
    if (!ok) {
        free(r.flags);
        return false;
    }
    *flags = r.flags;
    *n_numbers = r.n_numbers;
    return true;
}

/* A segment of the path during the generic walk: built into text only
 * when an error needs it, so big arrays cost nothing. */
typedef struct seg {
    const struct seg *up;
    const char *key; /* NULL: index */
    size_t index;
} seg;

static size_t seg_format(const seg *s, char *buf, size_t size)
{
    if (s == NULL)
        return (size_t)snprintf(buf, size, "$");
    size_t n = seg_format(s->up, buf, size);
    if (n >= size)
        return n;
    if (s->key != NULL)
        return n + bs__format_key(buf + n, size - n, s->key);
    return n + (size_t)snprintf(buf + n, size - n, "[%zu]", s->index);
}

typedef struct walk {
    bs__ld *ld;
    const bool *nonint_flags;
    size_t n_numbers, next_number;
    const cJSON **nodes;
    size_t n_nodes, cap_nodes;
} walk;

static int cmp_key_entry(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    int c = strcmp(x->string, y->string);
    if (c != 0)
        return c;
    return x < y ? -1 : x > y; /* unused: order within runs is fixed below */
}

static void report_duplicate(walk *w, const seg *at, const char *key)
{
    char path[BS__PATH_MAX], q[160], line[1024];
    seg s = {at, key, 0};
    seg_format(&s, path, sizeof path);
    snprintf(line, sizeof line, "%s: %s: duplicate key %s", w->ld->name, path,
             bs__q(key, q, sizeof q));
    bs__msg_add(w->ld, line);
}

static void check_duplicates(walk *w, const cJSON *obj, const seg *at)
{
    size_t n = 0;
    for (const cJSON *c = obj->child; c != NULL; c = c->next)
        n++;
    if (n < 2)
        return;
    if (n <= 16) {
        for (const cJSON *c = obj->child; c != NULL; c = c->next)
            for (const cJSON *d = obj->child; d != c; d = d->next)
                if (strcmp(c->string, d->string) == 0) {
                    report_duplicate(w, at, c->string);
                    break;
                }
        return;
    }
    const cJSON **all = bs_calloc(n, sizeof *all);
    if (all == NULL) {
        w->ld->oom = true;
        return;
    }
    size_t i = 0;
    for (const cJSON *c = obj->child; c != NULL; c = c->next)
        all[i++] = c;
    qsort(all, n, sizeof *all, cmp_key_entry);
    for (i = 1; i < n; i++)
        if (strcmp(all[i]->string, all[i - 1]->string) == 0 &&
            (i + 1 == n || strcmp(all[i + 1]->string, all[i]->string) != 0))
            report_duplicate(w, at, all[i]->string);
    free(all);
}

static void walk_node(walk *w, const cJSON *v, const seg *at)
{
    if (cJSON_IsNumber(v)) {
        size_t k = w->next_number++;
        if (k < w->n_numbers && w->nonint_flags[k]) {
            if (w->n_nodes == w->cap_nodes) {
                size_t ncap = w->cap_nodes ? w->cap_nodes * 2 : 64;
                const cJSON **grown = bs_reallocarray(w->nodes, ncap, sizeof *grown);
                if (grown == NULL) {
                    w->ld->oom = true;
                    return;
                }
                w->nodes = grown;
                w->cap_nodes = ncap;
            }
            w->nodes[w->n_nodes++] = v;
        }
        return;
    }
    if (cJSON_IsObject(v)) {
        check_duplicates(w, v, at);
        for (const cJSON *c = v->child; c != NULL; c = c->next) {
            seg s = {at, c->string, 0};
            walk_node(w, c, &s);
        }
    } else if (cJSON_IsArray(v)) {
        size_t i = 0;
        for (const cJSON *c = v->child; c != NULL; c = c->next, i++) {
            seg s = {at, NULL, i};
            walk_node(w, c, &s);
        }
    }
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (const cJSON *const *)a, y = (uintptr_t) * (const cJSON *const *)b;
    return x < y ? -1 : x > y;
}

bs_rc bs__json_parse(bs__ld *ld, const char *data, size_t len, cJSON **out)
{
    *out = NULL;
    bool *flags = NULL;
    size_t n_numbers = 0;
    if (!recognize(ld, data, len, &flags, &n_numbers))
        return ld->oom ? BS_ENOMEM : BS_EPARSE;
    /* The text is valid JSON within cJSON's limits: cJSON failing now can
     * only mean memory ran out. */
    cJSON *root = cJSON_ParseWithLengthOpts(data, len + 1, NULL, 1);
    if (root == NULL) {
        free(flags);
        return BS_ENOMEM;
    }
    walk w = {ld, flags, n_numbers, 0, NULL, 0, 0};
    walk_node(&w, root, NULL);
    free(flags);
    if (ld->oom) {
        free(w.nodes);
        cJSON_Delete(root);
        return BS_ENOMEM;
    }
    if (w.next_number != n_numbers) {
        /* The recognizer and the tree disagree: trust neither. */
        free(w.nodes);
        cJSON_Delete(root);
        return BS_EINTERNAL;
    }
    if (w.n_nodes > 1)
        qsort(w.nodes, w.n_nodes, sizeof *w.nodes, cmp_ptr);
    ld->nonint = w.nodes;
    ld->n_nonint = w.n_nodes;
    *out = root;
    return BS_OK;
}

bool bs__json_integral(const bs__ld *ld, const cJSON *v)
{
    return ld->n_nonint == 0 ||
           bsearch(&v, ld->nonint, ld->n_nonint, sizeof *ld->nonint, cmp_ptr) == NULL;
}
