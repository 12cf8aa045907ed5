/**
 * @file bs.h
 * @brief Error codes, the caller-owned error record, allocation helpers and
 *        small string utilities shared by every module.
 */
#ifndef BS_CORE_H
#define BS_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BS_VERSION "0.1.0"

/** Return code of every fallible function: BS_OK or a negative error. */
typedef enum bs_rc {
    BS_OK = 0,
    BS_ENOMEM = -1,  /**< allocation failed */
    BS_EIO = -2,     /**< reading or writing a file failed */
    BS_EPARSE = -3,  /**< malformed JSON */
    BS_EINVAL = -4,  /**< input breaks the format's rules */
    BS_ESOLVER = -5, /**< the MIP solver failed */
    BS_EUSAGE = -6,  /**< bad command line */
    BS_EINTERNAL = -7
} bs_rc;

/** Caller-owned error context: set once where the error happens. */
typedef struct bs_err {
    bs_rc code;
    char msg[512];
} bs_err;

/** Human-readable name of a code; never NULL. */
const char *bs_strerror(bs_rc rc);

/** Record an error (printf-style) into err (may be NULL); returns rc. */
bs_rc bs_err_set(bs_err *err, bs_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define BS_TRY(expr)                                                                               \
    do {                                                                                           \
        bs_rc rc_ = (expr);                                                                        \
        if (rc_ != BS_OK)                                                                          \
            return rc_;                                                                            \
    } while (0)

/* Allocation helpers: abort-free, they return NULL on failure (count * size
 * overflow included), so callers map NULL to BS_ENOMEM. */
void *bs_calloc(size_t count, size_t size);
void *bs_reallocarray(void *ptr, size_t count, size_t size);
char *bs_strdup(const char *s);

/** Growable byte buffer used for building output text. */
typedef struct bs_buf {
    char *data;
    size_t len, cap;
    bool failed; /**< an allocation failed; contents are incomplete */
} bs_buf;

void bs_buf_init(bs_buf *b);
void bs_buf_free(bs_buf *b);
void bs_buf_append(bs_buf *b, const char *s, size_t n);
void bs_buf_puts(bs_buf *b, const char *s);
void bs_buf_printf(bs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Append s as a JSON string literal (quotes and escapes included). */
void bs_buf_json_string(bs_buf *b, const char *s);

/** Read a whole file ("-" is stdin) into a NUL-terminated buffer.
 *  max_bytes 0 means no limit. */
bs_rc bs_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len, bs_err *err);

/** Write data to path atomically: a temporary file in the same folder,
 *  fsync, rename. "-" writes to stdout. */
bs_rc bs_write_file_atomic(const char *path, const char *data, size_t len, bs_err *err);

/** SHA-256 of data as 64 lowercase hex digits plus NUL. */
void bs_sha256_hex(const void *data, size_t len, char out[65]);

#endif
