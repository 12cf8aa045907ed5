/**
 * @file report.h
 * @brief The conflict report as data: every required session left unplaced
 *        with its reason, message and what blocks it; optional sessions
 *        skipped; warnings (near misses, load warnings).
 */
#ifndef BS_MODEL_REPORT_H
#define BS_MODEL_REPORT_H

#include "model/domain.h"

typedef struct bs_conflict {
    int cohort, module;
    bs_reason reason;
    char *message;
    char **blocking; /**< "instructor ana: k8s-ber-2/lab-1 2027-01-12T09:00:00+01:00" */
    size_t n_blocking;
} bs_conflict;

typedef struct bs_report {
    bs_conflict *unplaced;
    size_t n_unplaced;
    struct bs_skipped {
        int cohort, module;
    } *skipped;
    size_t n_skipped;
    bs_warning *warnings;
    size_t n_warnings;
} bs_report;

void bs_report_destroy(bs_report **pr);
/** Append a warning (copies the strings). */
bs_rc bs_report_add_warning(bs_report *r, const char *code, const char *message);

#endif
