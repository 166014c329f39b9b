/* PURPOSE: the SID parser's fast path for the common form (issue 11) agrees with the full
 * parser: whenever it accepts a text, the full parser accepts it too and gives the same
 * SID; the public parser answers exactly as the full one (status, SID, message) on valid
 * and malformed texts alike, hand-picked and generated.
 */
#include <stdio.h>
#include "../helpers.h"
#include "core/sid_int.h"

/* One text through the three entry points: fast agrees with full, public is full. */
static void agree(const char *text, size_t len)
{
    toksim_sid full, pub, fast;
    memset(&full, 0xA5, sizeof full);
    memset(&pub, 0xA5, sizeof pub);
    memset(&fast, 0xA5, sizeof fast);
    toksim_error ef = {0}, ep = {0};
    toksim_status rf = ts_sid_parse_full(&full, text, len, &ef);
    toksim_status rp = toksim_sid_parse_n(&pub, text, len, &ep);
    cr_assert_eq(rp, rf, "\"%.*s\": public %d, full %d", (int)len, text, rp, rf);
    cr_assert_str_eq(ep.message, ef.message, "\"%.*s\"", (int)len, text);
    cr_assert_eq(ep.offset, ef.offset, "\"%.*s\"", (int)len, text);
    cr_assert_eq(memcmp(&pub, &full, sizeof pub), 0, "\"%.*s\": SIDs differ", (int)len,
                 text);
    if (ts_sid_parse_fast(&fast, text, len)) {
        cr_assert_eq(rf, TOKSIM_OK, "\"%.*s\": fast accepts what full refuses (%s)",
                     (int)len, text, ef.message);
        cr_assert_eq(memcmp(&fast, &full, sizeof fast), 0, "\"%.*s\": SIDs differ",
                     (int)len, text);
    }
}

static void agree_s(const char *text)
{
    agree(text, strlen(text));
}

Test(sid_fast, takes_the_common_forms)
{
    const char *common[] = {"S-1-5-32-544",
                            "S-1-1-0",
                            "s-1-5-18",
                            "S-1-5",
                            "S-1-5-21-1004336348-1177238915-682003330-512",
                            "S-1-16-12288",
                            "S-1-4294967295-4294967295"};
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        toksim_sid s;
        cr_assert(ts_sid_parse_fast(&s, common[i], strlen(common[i])), "%s", common[i]);
        agree_s(common[i]);
    }
}

Test(sid_fast, leaves_the_rest_to_the_full_parser)
{
    const char *other[] = {"",
                           "S",
                           "S-",
                           "S-1",
                           "S-1-",
                           "S-1-5-",
                           "S-1-5--1",
                           "S-2-5-32",
                           "S-01-5-18",
                           "S-0x1-0XC-0x1a",
                           "S-1-0x5-18",
                           "S-1-0x28651FE848-12",
                           "S-1-0x-1",
                           "S-1-0x1234567890123-1",
                           "S-1-5-0x20-0x220",
                           "S-1-5-0X",
                           "S-1-5-0x",
                           "S-1-4294967296-1",
                           "S-1-5-4294967296",
                           "S-1-5-99999999999",
                           "S-1-5-00000000000000000032",
                           "S-1-005-032-0544",
                           "X-1-5-18",
                           "S_1_5_18",
                           "S-1-5-18 ",
                           " S-1-5-18",
                           "S-1-5-18-",
                           "S-1-+5-18",
                           "S-1-5-1a",
                           "S-1-5-a1",
                           "S-1--5",
                           "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15",
                           "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16",
                           "S-256-5",
                           "S-1-5-18\xff"};
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
        agree_s(other[i]);
    agree("S-1-5-18\0-1", 11); /* a NUL inside the length */
    agree("S-1-5-32-544", 9);  /* a prefix: "S-1-5-32-" */
    char long_sid[400] = "S-1-5";
    while (strlen(long_sid) < sizeof long_sid - 3)
        strcat(long_sid, "-1");
    agree_s(long_sid); /* past the length limit */
    long_sid[256] = '\0';
    agree_s(long_sid);
    cr_assert_not(ts_sid_parse_fast(NULL, "S-1-5", 5));
    toksim_sid s;
    cr_assert_not(ts_sid_parse_fast(&s, NULL, 5));
}

Test(sid_fast, agrees_on_generated_texts)
{
    /* texts over the characters SIDs are made of and the ones that break them,
     * from a fixed linear congruential sequence (reproducible) */
    static const char alphabet[] = "S-1-5-0123456789-xX-aF -s-";
    static const char *const starts[] = {"", "S-1-", "S-1-5-", "S-1-5-21-", "s-1-0x"};
    uint32_t x = 12345u;
    char text[48];
    for (int n = 0; n < 20000; n++) {
        x = x * 1103515245u + 12345u;
        const char *start = starts[(x >> 16) % 5];
        size_t len = strlen(start);
        memcpy(text, start, len);
        x = x * 1103515245u + 12345u;
        size_t extra = (x >> 16) % 30;
        for (size_t k = 0; k < extra; k++) {
            x = x * 1103515245u + 12345u;
            text[len++] = alphabet[(x >> 16) % (sizeof alphabet - 1)];
        }
        agree(text, len);
    }
    /* well-formed shapes with values around the 32-bit limit and up to 17 parts */
    char sid[400];
    for (int n = 0; n < 5000; n++) {
        size_t len = (size_t)snprintf(sid, sizeof sid, "S-1");
        x = x * 1103515245u + 12345u;
        unsigned parts = 1 + (x >> 16) % 17;
        for (unsigned k = 0; k < parts; k++) {
            x = x * 1103515245u + 12345u;
            uint64_t v = (x >> 8) % 4 == 0 ? 4294967290ull + (x >> 16) % 12 : (x >> 12);
            len += (size_t)snprintf(sid + len, sizeof sid - len, "-%llu",
                                    (unsigned long long)v);
        }
        agree(sid, len);
    }
}
