/**
 * @file fuzz_util.h
 * @brief What the fuzz targets share: reading the fixed base file a target
 *        fuzzes against (path given at build time as BS_FUZZ_FIXTURES).
 */
#ifndef BS_FUZZ_UTIL_H
#define BS_FUZZ_UTIL_H

#include <stdio.h>
#include <stdlib.h>

#ifndef BS_FUZZ_FIXTURES
#define BS_FUZZ_FIXTURES "fixtures"
#endif

/* Read fixtures/REL whole; the target cannot run without it, so abort. */
static inline char *fuzz_read_fixture(const char *rel, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", BS_FUZZ_FIXTURES, rel);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz: cannot open %s\n", path);
        abort();
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    fclose(f);
    if (!buf)
        abort();
    *len = n;
    return buf;
}

#endif
