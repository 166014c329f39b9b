/*
 * PURPOSE: libFuzzer target for the security-template (INF) parser: parse arbitrary bytes
 * (with and without a world for name resolution); every accepted template must export and
 * re-parse to the same effective rights (abort otherwise).
 */
#include "fuzz_common.h"

static void roundtrip(const toksim_policy *p)
{
    uint8_t *b = NULL;
    size_t n = 0;
    if (toksim_policy_to_inf(&b, &n, p) != TOKSIM_OK)
        return;
    toksim_policy *back = NULL;
    /* our own export must always parse */
    FUZZ_CHECK(toksim_policy_parse_inf(&back, b, n, "export", NULL, NULL) == TOKSIM_OK);
    for (size_t i = 0; i < toksim_right_count(); i++) {
        uint32_t r = toksim_right_at(i)->right;
        size_t n1 = 0, n2 = 0;
        const toksim_sid *h1 = toksim_policy_holders(p, r, &n1),
                         *h2 = toksim_policy_holders(back, r, &n2);
        FUZZ_CHECK(n1 == n2);
        for (size_t k = 0; k < n1; k++)
            FUZZ_CHECK(toksim_sid_equal(&h1[k], &h2[k]));
    }
    toksim_policy_free(back);
    free(b);
}

static void
count_skip(const char *name, const char *right, int line, int col, void *payload)
{
    FUZZ_CHECK(name && right && line >= 1 && col >= 1);
    ++*(size_t *)payload;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 16))
        return 0;
    toksim_error err;
    toksim_policy *p = NULL;
    if (toksim_policy_parse_inf(&p, data, size, "fuzz.inf", NULL, &err) == TOKSIM_OK) {
        roundtrip(p);
        toksim_policy_free(p);
    }
    /* --unresolved skip: never fails on a name, and whatever it accepts the strict
     * parse accepts too unless a name was skipped */
    size_t skipped = 0;
    toksim_inf_options io = {TOKSIM_INF_SKIP_UNRESOLVED, count_skip, &skipped};
    toksim_status rs = toksim_policy_parse_inf_ex(&p, data, size, "fuzz.inf", NULL, &io,
                                                  NULL, NULL, &err);
    if (rs == TOKSIM_OK) {
        (void)toksim_policy_looks_like_dc(p, NULL, NULL);
        toksim_policy_free(p);
        toksim_policy *strict = NULL;
        toksim_status rt =
            toksim_policy_parse_inf(&strict, data, size, "fuzz.inf", NULL, &err);
        FUZZ_CHECK(skipped > 0 || rt == TOKSIM_OK);
        toksim_policy_free(strict);
    }
    toksim_world *w = NULL;
    if (toksim_world_new(&w, "WS01", NULL, NULL, NULL) == TOKSIM_OK) {
        if (toksim_policy_parse_inf(&p, data, size, "fuzz.inf", w, &err) == TOKSIM_OK) {
            FUZZ_CHECK(toksim_policy_apply(toksim_world_policy(w), p) == TOKSIM_OK);
            toksim_policy_free(p);
        }
        toksim_world_free(w);
    }
    return 0;
}
