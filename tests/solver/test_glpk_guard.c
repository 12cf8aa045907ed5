/**
 * @file test_glpk_guard.c
 * @brief GLPK's fatal-error path (solver/glpk_guard.c): an invalid GLPK call
 *        ends the process with status 3 and a message on stderr, nothing on
 *        stdout, in the main thread and in an OpenMP worker alike; without
 *        the guard the same call aborts (the test would catch a guard that
 *        does nothing).
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <glpk.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "solver/glpk_guard.h"

/* A GLPK fatal error: column 5 of a problem that has none. */
static void bad_glpk_call(bool guarded)
{
    if (guarded)
        bs__glpk_guard();
    glp_prob *lp = glp_create_prob();
    glp_set_col_bnds(lp, 5, GLP_LO, 0.0, 0.0);
    glp_delete_prob(lp); /* not reached */
}

typedef struct child_result {
    int status;
    char out[4096], err[4096];
} child_result;

static void drain(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    ssize_t r;
    while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
}

/* Run bad_glpk_call in a child (in an OpenMP worker when `in_worker`),
 * capturing its stdout and stderr. */
static void run_child(bool guarded, bool in_worker, child_result *res)
{
    int out[2], err[2];
    cr_assert(pipe(out) == 0 && pipe(err) == 0);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        close(out[0]);
        close(err[0]);
        if (in_worker) {
#pragma omp parallel num_threads(2)
            {
#pragma omp single
                bad_glpk_call(guarded);
            }
        } else {
            bad_glpk_call(guarded);
        }
        _exit(0); /* GLPK returned: the call did not fail as expected */
    }
    close(out[1]);
    close(err[1]);
    drain(err[0], res->err, sizeof res->err); /* small outputs: no deadlock */
    drain(out[0], res->out, sizeof res->out);
    close(out[0]);
    close(err[0]);
    cr_assert(waitpid(pid, &res->status, 0) == pid);
}

Test(glpk_guard, fatal_error_exits_3_with_a_message)
{
    child_result r;
    run_child(true, false, &r);
    cr_assert(WIFEXITED(r.status), "the child did not exit (signal %d)",
              WIFSIGNALED(r.status) ? WTERMSIG(r.status) : 0);
    cr_expect_eq(WEXITSTATUS(r.status), 3);
    cr_expect(strstr(r.err, "internal failure") != NULL, "stderr: %s", r.err);
    cr_expect(strstr(r.err, "glp_set_col_bnds") != NULL, "GLPK's reason is shown: %s", r.err);
    cr_expect_str_empty(r.out, "nothing on stdout: %s", r.out);
}

Test(glpk_guard, fatal_error_in_a_worker_thread_exits_3)
{
    child_result r;
    run_child(true, true, &r);
    cr_assert(WIFEXITED(r.status), "the child did not exit (signal %d)",
              WIFSIGNALED(r.status) ? WTERMSIG(r.status) : 0);
    cr_expect_eq(WEXITSTATUS(r.status), 3);
    cr_expect(strstr(r.err, "internal failure") != NULL, "stderr: %s", r.err);
    cr_expect_str_empty(r.out);
}

Test(glpk_guard, without_the_guard_glpk_aborts)
{
    child_result r;
    run_child(false, false, &r);
    cr_expect(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGABRT,
              "unguarded GLPK should abort (status %d)", r.status);
}
