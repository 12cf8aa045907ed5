/**
 * @file glpk_guard.h
 * @brief Routing GLPK's fatal errors and terminal output for the calling
 *        thread: never a silent abort, never GLPK text on standard output.
 */
#ifndef BS_SOLVER_GLPK_GUARD_H
#define BS_SOLVER_GLPK_GUARD_H

/** Exit status after a GLPK fatal error (BS_EXIT_INTERNAL of the CLI). */
#define BS_GLPK_FATAL_EXIT 3

/** Install, in the calling thread's GLPK environment (GLPK keeps one per
 *  thread), an error hook and a terminal hook: GLPK's own text goes to
 *  standard error (standard output may carry the calendar), and a GLPK
 *  fatal error (a failed assertion, an invalid call, out of memory) ends the
 *  process at once with a message on standard error and exit status 3.
 *  After such an error the thread's GLPK environment is unusable and the
 *  other threads may be inside GLPK, so nothing is unwound or written:
 *  outputs are only renamed into place after the solve (core/bs.h), so none
 *  is half-written. Cheap; call it before each glp_create_prob. */
void bs__glpk_guard(void);

#endif
