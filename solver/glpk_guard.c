/**
 * @file glpk_guard.c
 * @brief GLPK's per-thread error and terminal hooks: a GLPK fatal error
 *        becomes a message and exit status 3 instead of abort(); GLPK's
 *        text goes to standard error.
 */
#define _POSIX_C_SOURCE 200809L
#include "solver/glpk_guard.h"

#include <glpk.h>
#include <string.h>
#include <unistd.h>

static void write_stderr(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* GLPK prints its error text (it turns terminal output back on to do so)
 * before calling the error hook; both reach stderr through this hook. */
static int on_glpk_text(void *info, const char *s)
{
    (void)info;
    write_stderr(s);
    return 1; /* handled: GLPK must not print to stdout */
}

/* Called by GLPK instead of returning to its abort(). Only async-signal-safe
 * calls: another thread may hold stdio locks, and _exit skips atexit
 * handlers and OpenMP teardown, which could wait on threads inside GLPK. */
static void on_glpk_fatal(void *info)
{
    (void)info;
    write_stderr("blendsched: internal failure: the GLPK solver library stopped on an error "
                 "(above); nothing written\n");
    _exit(BS_GLPK_FATAL_EXIT);
}

void bs__glpk_guard(void)
{
    glp_term_hook(on_glpk_text, NULL);
    glp_error_hook(on_glpk_fatal, NULL);
}
