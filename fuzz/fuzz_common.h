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

/* Whether s is well-formed UTF-8 (RFC 3629: no overlong form, no surrogate, nothing past
 * U+10FFFF): what a reader hands on (names shown or written as JSON) must be. Written
 * out here rather than taken from the library, so the check does not trust the code it
 * checks. */
static inline int fuzz_utf8_ok(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        unsigned c = *s, need = c < 0x80                 ? 0
                                : c >= 0xC2 && c <= 0xDF ? 1
                                : (c & 0xF0) == 0xE0     ? 2
                                : c >= 0xF0 && c <= 0xF4 ? 3
                                                         : 9;
        if (need == 9)
            return 0;
        unsigned long cp = need == 0   ? c
                           : need == 1 ? (c & 0x1F)
                           : need == 2 ? (c & 0x0F)
                                       : (c & 0x07);
        for (unsigned j = 1; j <= need; j++) {
            if ((s[j] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[j] & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        s += need + 1;
    }
    return 1;
}

#endif
