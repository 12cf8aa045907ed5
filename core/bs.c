/**
 * @file bs.c
 * @brief Error records, allocation helpers, the output buffer, whole-file
 *        reading, atomic file writing and SHA-256 (through libcrypto).
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath */
#include "core/bs.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *bs_strerror(bs_rc rc)
{
    switch (rc) {
    case BS_OK: return "success";
    case BS_ENOMEM: return "out of memory";
    case BS_EIO: return "input/output error";
    case BS_EPARSE: return "malformed JSON";
    case BS_EINVAL: return "invalid input";
    case BS_ESOLVER: return "solver failure";
    case BS_EUSAGE: return "usage error";
    case BS_EINTERNAL: return "internal error";
    }
    return "unknown error";
}

bs_rc bs_err_set(bs_err *err, bs_rc rc, const char *fmt, ...)
{
    if (err != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = rc;
    }
    return rc;
}

void *bs_calloc(size_t count, size_t size)
{
    return calloc(count ? count : 1, size ? size : 1);
}

void *bs_reallocarray(void *ptr, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    size_t bytes = count * size;
    return realloc(ptr, bytes ? bytes : 1);
}

char *bs_strdup(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

/* ==== Output buffer ==== */

void bs_buf_init(bs_buf *b)
{
    memset(b, 0, sizeof *b);
}

void bs_buf_free(bs_buf *b)
{
    free(b->data);
    bs_buf_init(b);
}

static bool buf_reserve(bs_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (d == NULL) {
        b->failed = true;
        return false;
    }
    b->data = d;
    b->cap = cap;
    return true;
}

void bs_buf_append(bs_buf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void bs_buf_puts(bs_buf *b, const char *s)
{
    bs_buf_append(b, s, strlen(s));
}

void bs_buf_printf(bs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        bs_buf_append(b, small, (size_t)n);
        return;
    }
    if (!buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void bs_buf_json_string(bs_buf *b, const char *s)
{
    bs_buf_puts(b, "\"");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        switch (*c) {
        case '"': bs_buf_puts(b, "\\\""); break;
        case '\\': bs_buf_puts(b, "\\\\"); break;
        case '\n': bs_buf_puts(b, "\\n"); break;
        case '\r': bs_buf_puts(b, "\\r"); break;
        case '\t': bs_buf_puts(b, "\\t"); break;
        default:
            if (*c < 0x20)
                bs_buf_printf(b, "\\u%04x", *c);
            else
                bs_buf_append(b, (const char *)c, 1);
        }
    }
    bs_buf_puts(b, "\"");
}

/* ==== Files ==== */

bs_rc bs_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len, bs_err *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL)
        return bs_err_set(err, BS_EIO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *data = malloc(cap);
    bs_rc rc = data ? BS_OK : BS_ENOMEM;
    while (rc == BS_OK) {
        if (len + 1 >= cap) {
            char *grown = cap > SIZE_MAX / 2 ? NULL : realloc(data, cap * 2);
            if (grown == NULL) {
                rc = bs_err_set(err, BS_ENOMEM, "%s: out of memory reading the file", path);
                break;
            }
            data = grown;
            cap *= 2;
        }
        size_t n = fread(data + len, 1, cap - len - 1, f);
        len += n;
        if (max_bytes != 0 && len > max_bytes) {
            rc = bs_err_set(err, BS_EINVAL, "%s: input larger than the limit of %zu MB", path,
                            max_bytes / (1024 * 1024));
            break;
        }
        if (n == 0) {
            if (ferror(f))
                rc = bs_err_set(err, BS_EIO, "%s: read error: %s", path, strerror(errno));
            break;
        }
    }
    if (!is_stdin)
        fclose(f);
    if (rc != BS_OK) {
        free(data);
        if (rc == BS_ENOMEM && err && err->code != BS_ENOMEM)
            bs_err_set(err, rc, "%s: out of memory", path);
        return rc;
    }
    data[len] = '\0';
    *out = data;
    *out_len = len;
    return BS_OK;
}

static bs_rc write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return BS_EIO;
        }
        data += n;
        len -= (size_t)n;
    }
    return BS_OK;
}

/* The folder of path ("." when it has none), for fsync after a rename. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return bs_strdup(".");
    if (slash == path)
        return bs_strdup("/");
    size_t n = (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

/* A rename is durable once its folder is on disk. Folders that cannot be
 * opened or synced (some file systems refuse fsync on them) are not an
 * error: the file itself was synced before the rename. */
static void sync_dir_of(const char *path)
{
    char *d = dir_of(path);
    if (d == NULL)
        return;
    int fd = open(d, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(d);
}

/* One staged output of the open write group: a file written and synced
 * under `tmp`, renamed to `path` on commit; or (tmp NULL) bytes for
 * standard output, written after every rename. */
typedef struct staged {
    char *tmp, *path;
    char *data;
    size_t len;
} staged;

static struct {
    bool open;
    staged *items;
    size_t n, cap;
} g_group;

void bs_write_group_begin(void)
{
    g_group.open = true;
}

static void group_clear(void)
{
    for (size_t k = 0; k < g_group.n; k++) {
        free(g_group.items[k].tmp);
        free(g_group.items[k].path);
        free(g_group.items[k].data);
    }
    free(g_group.items);
    g_group.items = NULL;
    g_group.n = g_group.cap = 0;
    g_group.open = false;
}

void bs_write_group_abort(void)
{
    for (size_t k = 0; k < g_group.n; k++)
        if (g_group.items[k].tmp != NULL)
            unlink(g_group.items[k].tmp);
    group_clear();
}

bs_rc bs_write_group_commit(bs_err *err)
{
    bs_rc rc = BS_OK;
    size_t k = 0;
    for (; k < g_group.n; k++) {
        staged *s = &g_group.items[k];
        if (s->tmp == NULL)
            continue;
        if (rename(s->tmp, s->path) != 0) {
            rc = bs_err_set(err, BS_EIO, "%s: cannot write: %s", s->path, strerror(errno));
            break;
        }
    }
    /* each folder after its renames, once per run of files in it (an
     * iCalendar folder holds thousands, written one after another) */
    const char *prev = NULL;
    size_t prev_len = 0;
    for (size_t j = 0; j < k; j++) {
        const staged *s = &g_group.items[j];
        if (s->tmp == NULL)
            continue;
        const char *slash = strrchr(s->path, '/');
        size_t dl = slash ? (size_t)(slash - s->path) : 0;
        if (prev == NULL || dl != prev_len || strncmp(prev, s->path, dl) != 0)
            sync_dir_of(s->path);
        prev = s->path;
        prev_len = dl;
    }
    for (; k < g_group.n; k++)
        if (g_group.items[k].tmp != NULL)
            unlink(g_group.items[k].tmp);
    for (k = 0; rc == BS_OK && k < g_group.n; k++) {
        staged *s = &g_group.items[k];
        if (s->tmp == NULL && write_all(STDOUT_FILENO, s->data, s->len) != BS_OK)
            rc = bs_err_set(err, BS_EIO, "stdout: write error: %s", strerror(errno));
    }
    group_clear();
    return rc;
}

/* Stage tmp (owned by the group on success) for path; or, tmp NULL, a copy
 * of data for standard output. */
static bs_rc group_add(char *tmp, const char *path, const char *data, size_t len)
{
    if (g_group.n == g_group.cap) {
        size_t ncap = g_group.cap ? g_group.cap * 2 : 8;
        staged *grown = bs_reallocarray(g_group.items, ncap, sizeof *grown);
        if (grown == NULL)
            return BS_ENOMEM;
        g_group.items = grown;
        g_group.cap = ncap;
    }
    staged s = {tmp, bs_strdup(path), NULL, 0};
    if (tmp == NULL) {
        s.data = malloc(len ? len : 1);
        if (s.data != NULL && len)
            memcpy(s.data, data, len);
        s.len = len;
    }
    if (s.path == NULL || (tmp == NULL && s.data == NULL)) {
        free(s.path);
        free(s.data);
        return BS_ENOMEM;
    }
    g_group.items[g_group.n++] = s;
    return BS_OK;
}

/* A target that exists and is not a regular file (a device such as
 * /dev/null or /dev/full, a FIFO) cannot be replaced by a rename without
 * destroying it: it is written in place. */
static bs_rc write_in_place(const char *path, const char *data, size_t len, bs_err *err)
{
    int fd = open(path, O_WRONLY | O_NONBLOCK);
    if (fd < 0)
        return bs_err_set(err, BS_EIO, "%s: cannot write: %s", path, strerror(errno));
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK); /* only the open must not wait for a reader */
    bs_rc rc = write_all(fd, data, len);
    int saved = errno;
    if (close(fd) != 0 && rc == BS_OK) {
        rc = BS_EIO;
        saved = errno;
    }
    if (rc != BS_OK)
        return bs_err_set(err, rc, "%s: cannot write: %s", path, strerror(saved));
    return BS_OK;
}

bs_rc bs_write_file_atomic(const char *path, const char *data, size_t len, bs_err *err)
{
    if (strcmp(path, "-") == 0) {
        if (g_group.open)
            return group_add(NULL, path, data, len) == BS_OK
                       ? BS_OK
                       : bs_err_set(err, BS_ENOMEM, "out of memory");
        if (write_all(STDOUT_FILENO, data, len) != BS_OK)
            return bs_err_set(err, BS_EIO, "stdout: write error: %s", strerror(errno));
        return BS_OK;
    }
    struct stat st;
    bool exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode))
        return bs_err_set(err, BS_EIO, "%s: cannot write: %s", path, strerror(EISDIR));
    if (exists && !S_ISREG(st.st_mode))
        return write_in_place(path, data, len, err);
    /* A symbolic link to a file stays a link: the file it names is replaced. */
    char *real = NULL;
    struct stat lst;
    if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        real = realpath(path, NULL);
    const char *target = real ? real : path;
    /* A replaced file keeps its permissions; a new one gets 0666 less the
     * umask, as open(2) would give it. */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(022);
        umask(mask);
        mode = 0666 & ~mask;
    }
    size_t plen = strlen(target);
    char *tmp = malloc(plen + 16);
    if (tmp == NULL) {
        free(real);
        return bs_err_set(err, BS_ENOMEM, "out of memory");
    }
    /* same folder as the target: rename(2) is atomic only within one file
     * system */
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", target);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        bs_rc rc = bs_err_set(err, BS_EIO, "%s: cannot create a temporary file: %s", path,
                              strerror(errno));
        free(tmp);
        free(real);
        return rc;
    }
    bs_rc rc = fchmod(fd, mode) == 0 ? BS_OK : BS_EIO;
    int saved = errno;
    if (rc == BS_OK)
        rc = write_all(fd, data, len);
    if (rc == BS_OK && fsync(fd) != 0)
        rc = BS_EIO;
    if (rc != BS_OK)
        saved = errno;
    if (close(fd) != 0 && rc == BS_OK) {
        rc = BS_EIO;
        saved = errno;
    }
    if (rc == BS_OK && g_group.open) {
        rc = group_add(tmp, target, NULL, 0);
        if (rc == BS_OK)
            tmp = NULL; /* the group owns it now */
        else
            bs_err_set(err, rc, "out of memory");
    } else if (rc == BS_OK) {
        if (rename(tmp, target) != 0) {
            rc = BS_EIO;
            saved = errno;
        } else {
            sync_dir_of(target);
        }
    }
    if (rc == BS_EIO)
        bs_err_set(err, rc, "%s: cannot write: %s", path, strerror(saved));
    if (tmp != NULL && rc != BS_OK)
        unlink(tmp);
    free(tmp);
    free(real);
    return rc;
}

void bs_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) != 1)
        md_len = 0;
    for (unsigned int i = 0; i < md_len && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[md_len ? 64 : 0] = '\0';
}
