/* PURPOSE: ts_vfmt (issue 11: step summaries written without stdio) gives the bytes and
 * the result vsnprintf gives, for every conversion it writes itself, for the ones it
 * hands on, and for every buffer size down to 0 (truncation). */
#include "../helpers.h"
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include "internal.h"
#include "scenario/run_int.h"

static int fast(char *b, size_t n, const char *fmt, ...) TS_PRINTF(3, 4);
static int fast(char *b, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = ts_vfmt(b, n, fmt, ap);
    va_end(ap);
    return r;
}

#define SAME(...)                                                                        \
    do {                                                                                 \
        char want[300], got[300];                                                        \
        for (size_t n = 0; n <= sizeof want; n += n < 40 ? 1 : 37) {                     \
            memset(want, 'x', sizeof want);                                              \
            memset(got, 'x', sizeof got);                                                \
            int rw = snprintf(want, n, __VA_ARGS__);                                     \
            int rg = fast(got, n, __VA_ARGS__);                                          \
            cr_assert_eq(rg, rw, "n=%zu", n);                                            \
            cr_assert(memcmp(want, got, sizeof want) == 0, "n=%zu: \"%s\" / \"%s\"", n,  \
                      n ? want : "", n ? got : "");                                      \
        }                                                                                \
    } while (0)

Test(fmt, matches_snprintf)
{
    SAME("plain text, no conversion");
    SAME("%s", "");
    SAME("alice logged on as %s (%s): %s, 100%% sure", "t1", "Interactive", "elevated");
    SAME("%d %i %u %d %d", 0, -1, 4294967295u, INT_MIN, INT_MAX);
    SAME("%zu steps, %zd, %lu %ld", (size_t)SIZE_MAX, (ssize_t)-5, ULONG_MAX, LONG_MIN);
    SAME("%s%s%s", "a", "bb", "ccc");
    SAME("0x%08X and %s", 0x1234u, "written here");
    SAME("%08X %08x %X %x %02u %03X", 0xFFFFFFFFu, 0xabcdef12u, 0u, 0x1fu, 123456u, 7u);
    SAME("%.60s.%.3s|%.0s|%.*s|%.*s", "abcdef", "abcdef", "zz", 2, "xyz", -1, "neg");
    SAME("%s[%d].%s", "users", 12, "name");
    SAME("%8X %5d %+d %lld %hhd %p %-3u %08d %.2d", 1u, 2, 3, 4ll, (char)5, (void *)0, 6u,
         -7, 8);
    SAME("%zX %lx %zu%%", (size_t)0xABCu, 0xdeadUL, (size_t)1);
    SAME("%-10s|%.3s|%5d", "ab", "abcdef", 42);
    const char *volatile null = NULL; /* not a constant: no -Wformat-overflow */
    SAME("%s then null %s", "x", null);
    SAME("trailing %%");
    SAME("%c%s", 'q', "char is not written here");
    char longs[400];
    memset(longs, 'L', sizeof longs - 1);
    longs[sizeof longs - 1] = 0;
    SAME("%s/%u/%s", longs, 7u, longs);
}
