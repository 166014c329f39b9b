/*
 * PURPOSE: AdjustTokenGroups (toksim_adjust_token_groups, Learn AdjustTokenGroups):
 * TOKEN_ADJUST_GROUPS, enabling/disabling an optional group, ResetToDefault, the
 * mandatory and deny-only refusals (1310, 629; nothing changes), and
 * ERROR_NOT_ALL_ASSIGNED for a SID that is not an adjustable group (absent, the user SID,
 * the integrity label). Each rule is asserted with the behaviour it explains.
 */
#include "imp_fixtures.h"
#include "toksim/token_api.h"

#define OPTIONAL_SID "S-1-5-21-1111-2222-3333-1100"
#define OPT_ATTRS    (TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT | TOKSIM_SE_GROUP_ENABLED)

static toksim_token *token_with_optional(void)
{
    toksim_token *t =
        tk((tk_spec){0}); /* Everyone is mandatory (TOKSIM_SE_GROUP_DEFAULT) */
    toksim_sid opt = ts_test_sid(OPTIONAL_SID), users = ts_test_sid("S-1-5-32-545");
    cr_assert(toksim_token_add_group(t, &opt, OPT_ATTRS) == TOKSIM_OK);
    cr_assert(toksim_token_add_group(t, &users,
                                     TOKSIM_SE_GROUP_MANDATORY |
                                         TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY) == TOKSIM_OK);
    return t;
}

static uint32_t attrs_of(const toksim_token *t, const char *sid)
{
    toksim_sid s = ts_test_sid(sid);
    const toksim_group *g = toksim_token_find_group(t, &s);
    cr_assert_not_null(g, "%s", sid);
    return g->attributes;
}

static toksim_imp_result adjust(toksim_token *t,
                                uint32_t access,
                                bool reset,
                                const toksim_group_change *ch,
                                size_t n,
                                toksim_trace *tr)
{
    toksim_imp_result r;
    cr_assert(toksim_adjust_token_groups(&r, t, access, reset, ch, n, tr) == TOKSIM_OK);
    return r;
}

Test(adjust_groups, optional_group_off_and_on)
{
    toksim_token *t = token_with_optional();
    toksim_group_change off = {ts_test_sid(OPTIONAL_SID), false};
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_imp_result r =
        adjust(t, TOKSIM_TOKEN_ACCESS_ADJUST_GROUPS, false, &off, 1, &tr);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, 0);
    cr_assert_not(attrs_of(t, OPTIONAL_SID) & TOKSIM_SE_GROUP_ENABLED);
    cr_assert(attrs_of(t, OPTIONAL_SID) & TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT);
    cr_assert(imp_trace_has(&tr, "token.adjust_groups.changed"));
    toksim_trace_dispose(&tr);

    toksim_group_change on = {ts_test_sid(OPTIONAL_SID), true};
    r = adjust(t, TOKSIM_TOKEN_ACCESS_ALL, false, &on, 1, NULL);
    cr_assert(r.ok);
    cr_assert(attrs_of(t, OPTIONAL_SID) & TOKSIM_SE_GROUP_ENABLED);
    toksim_token_free(t);
}

Test(adjust_groups, needs_token_adjust_groups)
{
    toksim_token *t = token_with_optional();
    toksim_group_change off = {ts_test_sid(OPTIONAL_SID), false};
    toksim_imp_result r =
        adjust(t, TOKSIM_TOKEN_ACCESS_QUERY | TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES,
               false, &off, 1, NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert(attrs_of(t, OPTIONAL_SID) & TOKSIM_SE_GROUP_ENABLED);
    toksim_token_free(t);
}

/* Disabling a mandatory group fails with 1310; the optional group named before it in the
 * same call is not changed either. */
Test(adjust_groups, mandatory_cannot_be_disabled)
{
    toksim_token *t = token_with_optional();
    toksim_group_change ch[2] = {{ts_test_sid(OPTIONAL_SID), false},
                                 {ts_test_sid("S-1-1-0"), false}};
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_imp_result r = adjust(t, TOKSIM_TOKEN_ACCESS_ALL, false, ch, 2, &tr);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_CANT_DISABLE_MANDATORY);
    cr_assert_eq(r.win32, 1310u);
    cr_assert(imp_trace_has(&tr, "token.adjust_groups.mandatory"));
    toksim_trace_dispose(&tr);
    cr_assert(attrs_of(t, "S-1-1-0") & TOKSIM_SE_GROUP_ENABLED);
    cr_assert(attrs_of(t, OPTIONAL_SID) & TOKSIM_SE_GROUP_ENABLED);
    toksim_token_free(t);
}

Test(adjust_groups, deny_only_cannot_be_enabled)
{
    toksim_token *t = token_with_optional();
    toksim_group_change on = {ts_test_sid("S-1-5-32-545"), true};
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_imp_result r = adjust(t, TOKSIM_TOKEN_ACCESS_ALL, false, &on, 1, &tr);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, 629u);
    cr_assert(imp_trace_has(&tr, "token.adjust_groups.deny_only"));
    toksim_trace_dispose(&tr);
    cr_assert_not(attrs_of(t, "S-1-5-32-545") & TOKSIM_SE_GROUP_ENABLED);
    toksim_token_free(t);
}

/* Absent SID, the user SID and the integrity label are not assigned: TRUE + 1300, the
 * other entry is applied. */
Test(adjust_groups, not_held_is_not_all_assigned)
{
    toksim_token *t = token_with_optional();
    toksim_group_change ch[4] = {{ts_test_sid("S-1-5-32-544"), false},
                                 {*toksim_token_user(t), false},
                                 {ts_test_sid("S-1-16-8192"), false},
                                 {ts_test_sid(OPTIONAL_SID), false}};
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_imp_result r = adjust(t, TOKSIM_TOKEN_ACCESS_ALL, false, ch, 4, &tr);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_NOT_ALL_ASSIGNED);
    cr_assert(imp_trace_has(&tr, "token.adjust_groups.not_held"));
    cr_assert(imp_trace_has(&tr, "token.adjust_groups.not_all_assigned"));
    toksim_trace_dispose(&tr);
    cr_assert_not(attrs_of(t, OPTIONAL_SID) & TOKSIM_SE_GROUP_ENABLED);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_MEDIUM);
    toksim_token_free(t);
}

/* ResetToDefault: the disabled optional group comes back (enabled by default); the
 * deny-only group stays as it is; the list is ignored. */
Test(adjust_groups, reset_to_default)
{
    toksim_token *t = token_with_optional();
    toksim_group_change off = {ts_test_sid(OPTIONAL_SID), false};
    cr_assert(adjust(t, TOKSIM_TOKEN_ACCESS_ALL, false, &off, 1, NULL).ok);
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_group_change ignored = {ts_test_sid("S-1-1-0"), false};
    toksim_imp_result r = adjust(t, TOKSIM_TOKEN_ACCESS_ALL, true, &ignored, 1, &tr);
    cr_assert(r.ok);
    cr_assert(imp_trace_has(&tr, "token.adjust_groups.reset"));
    toksim_trace_dispose(&tr);
    cr_assert(attrs_of(t, OPTIONAL_SID) & TOKSIM_SE_GROUP_ENABLED);
    cr_assert(attrs_of(t, "S-1-1-0") & TOKSIM_SE_GROUP_ENABLED);
    cr_assert_not(attrs_of(t, "S-1-5-32-545") & TOKSIM_SE_GROUP_ENABLED);
    toksim_token_free(t);
}
