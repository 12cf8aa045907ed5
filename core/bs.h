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

/** Write data to path atomically: a temporary file `PATH.tmpXXXXXX` in the
 *  same folder, fsync, rename, fsync of the folder. A reader of path sees
 *  the earlier file or the new one, never part of one; a process killed
 *  midway may leave the temporary file behind, never a partial `path`.
 *  "-" writes to stdout. A path that exists and is not a regular file (a
 *  device such as /dev/full, a FIFO with a reader) is written in place; a
 *  folder is an error; a symbolic link keeps pointing at the replaced file.
 *  A replaced file keeps its permissions, a new one gets 0666 less the umask.
 *  Inside a write group (below) the rename waits for the commit.
 *  @return BS_OK; BS_EIO (err names path and the system's reason: no
 *          space, permission, ...); BS_ENOMEM. */
bs_rc bs_write_file_atomic(const char *path, const char *data, size_t len, bs_err *err);

/** A write group makes several outputs of one command appear together or
 *  not at all: between begin and commit, bs_write_file_atomic writes and
 *  syncs each temporary file but does not rename it; commit renames them
 *  all in the order written, then writes what was given for standard
 *  output ("-"), so a failure to write any file beforehand leaves stdout
 *  empty too. After a failure, abort removes the temporary files and leaves
 *  every output path as it was. Targets written in place (devices, FIFOs)
 *  are written at once. Process-global, for the command line's single
 *  writing thread; one group at a time. */
void bs_write_group_begin(void);
/** Rename every staged file into place. @return BS_OK or BS_EIO (the files
 *  after the failing one are not written). */
bs_rc bs_write_group_commit(bs_err *err);
/** Remove every staged temporary file; no output path changes. */
void bs_write_group_abort(void);

/** SHA-256 of data as 64 lowercase hex digits plus NUL. */
void bs_sha256_hex(const void *data, size_t len, char out[65]);

#endif
