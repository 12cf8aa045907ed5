/**
 * @file fuzz_scenario.c
 * @brief libFuzzer target: any bytes given as a what-if scenario of the
 *        bundled example are applied or refused with messages, and an
 *        applied result loads or is refused; never a crash, leak or hang.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "io/scenario.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *base;
static size_t base_len;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    base = fuzz_read_fixture("example/input.json", &base_len);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bs_scenario_result res = {0};
    bs_messages errors = {0};
    bs_err err = {0};
    if (bs_scenario_apply_buffer("base.json", base, base_len, "fuzz.json", (const char *)data,
                                 size, &res, &errors, &err) == BS_OK) {
        if (res.input == NULL || res.name == NULL)
            abort(); /* success must produce an edited input */
        bs_problem *p = NULL;
        bs_messages_free(&errors);
        if (bs_scenario_load_problem("base.json", "fuzz.json", &res, &p, &errors, &err) ==
                BS_OK &&
            p == NULL)
            abort();
        bs_problem_destroy(&p);
    }
    bs_messages_free(&errors);
    bs_scenario_result_free(&res);
    return 0;
}
