/**
 * @file scenario.h
 * @brief What-if scenarios (`blendsched-scenario/1`, FORMAT.md "Scenarios"):
 *        applying a scenario file to a base input as a JSON-level edit
 *        (remove, then add, then set), and loading the edited input through
 *        the same validation as any input.
 */
#ifndef BS_IO_SCENARIO_H
#define BS_IO_SCENARIO_H

#include "io/input.h"

/** A scenario applied to a base input. */
typedef struct bs_scenario_result {
    /** The scenario's `name`; without one, the file's base name less a
     *  `.json` suffix. */
    char *name;
    /** The edited input as JSON text (NUL-terminated, `len` bytes without
     *  the NUL): what `blendsched scenario apply` writes, and the bytes whose
     *  digest a scenario's calendar records. */
    char *input;
    size_t len;
} bs_scenario_result;

/** Free what r owns and zero it; accepts NULL and a zeroed result. */
void bs_scenario_result_free(bs_scenario_result *r);

/** Apply the scenario in scen[0..scen_len) to the base input in
 *  base[0..base_len) (neither need be NUL-terminated).
 *
 *  The scenario is parsed strictly (as inputs are) and checked: `format` is
 *  `blendsched-scenario/1`; `name` a display string; `remove`, `add` and
 *  `set` objects of the kinds FORMAT.md and docs/schema/scenario.schema.json
 *  allow; removed and set ids exist, added ids do not (after the removals);
 *  set keys are keys of that entity, never `id`. Then, in this order:
 *  every `remove` (a removed instructor or learner is also dropped from
 *  every cohort's `instructors` or `learners`; pins of a removed cohort are
 *  dropped, and a pin's `room` or `instructors` naming a removed room or
 *  instructor is unpinned), every `add` (appended to its section), every
 *  `set` (keys merged, `null` deleting a key). The edited document is not
 *  validated here: load it with bs_scenario_load_problem or
 *  bs_input_load_buffer.
 *
 *  @param base_name (in) names the base in messages (`base.json`)
 *  @param scen_name (in) names the scenario file in messages: every error
 *                   reads `SCEN_NAME: $.remove.instructors[0]: ...`
 *  @param out (out) written on success; free with bs_scenario_result_free
 *  @param errors (out, may be NULL) every error found (at most
 *                BS_MAX_ERRORS kept); free with bs_messages_free
 *  @return BS_OK; BS_EPARSE or BS_EINVAL (errors filled); BS_ENOMEM,
 *          BS_EINTERNAL (err filled). Thread-safe (cJSON's parse-error
 *          pointer aside, which is not used). */
bs_rc bs_scenario_apply_buffer(const char *base_name, const char *base, size_t base_len,
                               const char *scen_name, const char *scen, size_t scen_len,
                               bs_scenario_result *out, bs_messages *errors, bs_err *err);

/** As bs_scenario_apply_buffer, reading the scenario from file `path`
 *  ("-" is stdin; it names the file in messages). max_bytes 0 = no limit.
 *  @return as bs_scenario_apply_buffer, plus BS_EIO (err filled); a file
 *          over max_bytes is BS_EINVAL with a message. */
bs_rc bs_scenario_apply_file(const char *base_name, const char *base, size_t base_len,
                             const char *path, size_t max_bytes, bs_scenario_result *out,
                             bs_messages *errors, bs_err *err);

/** Load the edited input of an applied scenario as any input is loaded;
 *  messages name it `SCEN_NAME (applied to BASE_NAME)`, e.g.
 *  `ana-leaves.json (applied to base.json): $.cohorts[1].instructors: ...`.
 *  @return as bs_input_load_buffer. Not thread-safe (time zones). */
bs_rc bs_scenario_load_problem(const char *base_name, const char *scen_name,
                               const bs_scenario_result *r, bs_problem **out, bs_messages *errors,
                               bs_err *err);

/** True when name can be a folder name under compare's --out-dir: not
 *  empty, not "." or "..", no '/', no control characters. */
bool bs_scenario_name_is_usable(const char *name);

#endif
