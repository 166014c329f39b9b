/*
 * PURPOSE: TokenHasRestrictions as Learn defines it (docs/fidelity-notes.md F-TOK-3):
 * "nonzero if the token has ever been filtered". CreateRestrictedToken that changes the
 * token marks it filtered (deny-only SIDs, deleted privileges, DISABLE_MAX_PRIVILEGE,
 * restricting SIDs), copies keep the mark, a call that changes nothing leaves none; the
 * UAC split's Limited token counts as filtered behind the UNCONFIRMED switch
 * uac_limited_is_filtered.
 */
#include "imp_fixtures.h"

static uint32_t
has_restrictions(const toksim_token *t, const toksim_imp_options *opts, toksim_trace *tr)
{
    toksim_token_handle h = {t, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_token_info in;
    cr_assert_eq(toksim_token_query(&in, &h, TOKSIM_TIC_HAS_RESTRICTIONS, NULL, opts, tr),
                 TOKSIM_OK);
    cr_assert(in.call.ok);
    return in.value;
}

static toksim_token *
restricted(const toksim_token *src, const toksim_restrict_request *req, toksim_trace *tr)
{
    toksim_token_handle h = {src, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_imp_result r;
    toksim_token *out = NULL;
    cr_assert_eq(toksim_create_restricted_token(&r, &out, &h, req, tr), TOKSIM_OK);
    cr_assert(r.ok);
    return out;
}

/* DISABLE_MAX_PRIVILEGE alone (no restricting SID): IsTokenRestricted is FALSE, yet the
 * token was filtered, so TokenHasRestrictions is nonzero (it was 0 before). */
Test(fidelity_hasrestrictions, disable_max_privilege_is_filtering)
{
    toksim_token *src = tk((tk_spec){.imp_priv = IMP_PRIV_ENABLED});
    cr_assert_eq(has_restrictions(src, NULL, NULL), 0u);
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_restrict_request req = {.flags = TOKSIM_DISABLE_MAX_PRIVILEGE};
    toksim_token *t = restricted(src, &req, &tr);
    cr_assert(imp_trace_has(&tr, "token.restrict.filtered"));
    toksim_trace_dispose(&tr);
    cr_assert_not(toksim_token_is_restricted(t));
    cr_assert(toksim_token_is_filtered(t));
    cr_assert_eq(has_restrictions(t, NULL, NULL), 1u);

    /* a duplicate keeps the mark: "has ever been filtered" */
    toksim_token *copy = NULL;
    cr_assert_eq(toksim_token_copy(&copy, t), TOKSIM_OK);
    cr_assert_eq(has_restrictions(copy, NULL, NULL), 1u);
    toksim_token_free(copy);
    toksim_token_free(t);
    toksim_token_free(src);
}

/* Deny-only SIDs are filtering too; disabling a SID the token does not hold changes
 * nothing and leaves no mark (UNCONFIRMED for such a no-op call). */
Test(fidelity_hasrestrictions, deny_only_marks_a_no_op_does_not)
{
    toksim_token *src = tk((tk_spec){0});
    toksim_sid everyone = ts_test_sid("S-1-1-0"), absent = ts_test_sid("S-1-5-32-546");
    toksim_restrict_request req = {.disable = &everyone, .ndisable = 1};
    toksim_token *t = restricted(src, &req, NULL);
    cr_assert_eq(has_restrictions(t, NULL, NULL), 1u);
    toksim_token_free(t);

    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_restrict_request none = {.disable = &absent, .ndisable = 1};
    t = restricted(src, &none, &tr);
    cr_assert_not(imp_trace_has(&tr, "token.restrict.filtered"));
    toksim_trace_dispose(&tr);
    cr_assert_eq(has_restrictions(t, NULL, NULL), 0u);
    toksim_token_free(t);
    toksim_token_free(src);
}

/* The UAC Limited token: nonzero by default (switch uac_limited_is_filtered, UNCONFIRMED,
 * rule token.info.uac_filtered); switched off, 0; a Full token is never affected. */
Test(fidelity_hasrestrictions, uac_limited_token_switch)
{
    toksim_token *lim = tk((tk_spec){0});
    toksim_token_set_elevation(lim, TOKSIM_ELEVATION_LIMITED, false);
    toksim_trace tr;
    toksim_trace_init(&tr);
    cr_assert_eq(has_restrictions(lim, NULL, &tr), 1u);
    cr_assert(imp_trace_has(&tr, "token.info.uac_filtered"));
    toksim_trace_dispose(&tr);

    toksim_imp_options o;
    toksim_imp_options_init(&o);
    cr_assert(o.uac_limited_is_filtered);
    cr_assert_eq(toksim_imp_options_set(&o, "uac_limited_is_filtered", 0, NULL),
                 TOKSIM_OK);
    cr_assert_eq(has_restrictions(lim, &o, NULL), 0u);

    toksim_token *full = tk((tk_spec){.il = TOKSIM_IL_HIGH, .elevated = true});
    cr_assert_eq(has_restrictions(full, NULL, NULL), 0u);
    toksim_token_free(full);
    toksim_token_free(lim);
}
