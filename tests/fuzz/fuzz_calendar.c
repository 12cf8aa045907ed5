/**
 * @file fuzz_calendar.c
 * @brief libFuzzer target: any bytes given to `verify`'s calendar loader
 *        (against fixtures/verify/clean/input.json) are read or refused with
 *        messages, and a calendar read is verified and evaluated as
 *        `blendsched verify` does; never a crash, leak or hang.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_util.h"
#include "io/calendar_read.h"
#include "model/evaluate.h"
#include "model/verify.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bs_problem *problem;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    size_t len;
    char *text = fuzz_read_fixture("verify/clean/input.json", &len);
    bs_messages errors = {0};
    bs_err err = {0};
    if (bs_input_load_buffer("input.json", text, len, &problem, &errors, &err) != BS_OK)
        abort();
    bs_messages_free(&errors);
    free(text);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bs_solution *s = NULL;
    bs_calendar_info info;
    bs_messages errors = {0};
    bs_err err = {0};
    if (bs_calendar_read_buffer("fuzz.json", (const char *)data, size, problem, &s, &info,
                                &errors, &err) == BS_OK) {
        if (s == NULL)
            abort(); /* success must produce a calendar */
        bs_violations v = {0};
        bs_objective o;
        if (bs_verify(problem, s, &v) != BS_OK)
            abort(); /* the reader resolved every id: verify cannot refuse it */
        if (bs_evaluate_objective(problem, s, &o) != BS_OK)
            abort();
        bs_violations_free(&v);
    }
    bs_messages_free(&errors);
    bs_solution_destroy(&s);
    return 0;
}
