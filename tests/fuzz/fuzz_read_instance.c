/**
 * @file fuzz_read_instance.c
 * @brief libFuzzer target: any bytes given to the input loader are either
 *        loaded or refused with messages; never a crash, leak or hang.
 */
#include <stdint.h>
#include <stdlib.h>

#include "io/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bs_problem *p = NULL;
    bs_messages errors = {0};
    bs_err err = {0};
    if (bs_input_load_buffer("fuzz.json", (const char *)data, size, &p, &errors, &err) == BS_OK &&
        p == NULL)
        abort(); /* success must produce a problem */
    bs_messages_free(&errors);
    bs_problem_destroy(&p);
    return 0;
}
