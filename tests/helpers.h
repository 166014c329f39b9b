/* PURPOSE: helpers shared by the Criterion tests: assertions with the library's error
 * detail. */
#ifndef TOKSIM_TEST_HELPERS_H
#define TOKSIM_TEST_HELPERS_H
#include <criterion/criterion.h>
#include <string.h>
#include <toksim.h>

/** Assert a library call succeeded, printing the error detail when it did not. */
#define ts_assert_ok(expr, errp)                                                         \
    do {                                                                                 \
        toksim_status rc_ = (expr);                                                      \
        cr_assert(rc_ == TOKSIM_OK, "%s failed: %s (%s)", #expr, toksim_strerror(rc_),   \
                  (errp) ? ((const toksim_error *)(errp))->message : "");                \
    } while (0)

/** Parse a SID or fail the test. */
static inline toksim_sid ts_test_sid(const char *text)
{
    toksim_sid s;
    toksim_error e = {0};
    toksim_status rc = toksim_sid_parse(&s, text, &e);
    cr_assert(rc == TOKSIM_OK, "SID %s: %s", text, e.message);
    return s;
}
#endif
