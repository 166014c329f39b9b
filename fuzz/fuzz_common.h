/*
 * PURPOSE: what every libFuzzer target of toksim shares: the entry-point prototype, the
 * invariant check that aborts (so libFuzzer and the standalone replayer both report it),
 * and the capped, NUL-terminated copy of the input that the text parsers take.
 */
#ifndef TOKSIM_FUZZ_COMMON_H
#define TOKSIM_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <toksim.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the target: a breach is a finding, so crash where libFuzzer sees it. */
#define FUZZ_CHECK(cond)                                                                 \
    do {                                                                                 \
        if (!(cond))                                                                     \
            abort();                                                                     \
    } while (0)

/*
 * The input as a NUL-terminated string (caller frees), or NULL when it is longer than
 * `cap` bytes (inputs past a parser's own limit only test the limit) or memory ran out.
 */
static inline char *fuzz_text(const uint8_t *data, size_t size, size_t cap)
{
    if (size > cap)
        return NULL;
    char *text = malloc(size + 1);
    if (!text)
        return NULL;
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';
    return text;
}

#endif
