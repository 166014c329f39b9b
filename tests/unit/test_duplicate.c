/* PURPOSE: DuplicateTokenEx level rules (windows-model §2.5, I16-I19) and
 * AdjustTokenPrivileges (ERROR_NOT_ALL_ASSIGNED, SE_PRIVILEGE_REMOVED, unknown names,
 * integrity minimum switch). */
#include "imp_fixtures.h"

static toksim_imp_result dup(const toksim_token *src,
                             uint32_t access,
                             toksim_token_type type,
                             toksim_imp_level level,
                             toksim_token **out)
{
    toksim_token_handle h = {src, access};
    toksim_imp_result r;
    ts_assert_ok(toksim_duplicate_token_ex(&r, out, &h, type, level, NULL), NULL);
    return r;
}

#define ALL TOKSIM_TOKEN_ACCESS_ALL

/* I16: impersonation at Identification -> impersonation at Impersonation: 1346 */
Test(duplicate, i16_cannot_raise_level)
{
    toksim_token *s =
        tk((tk_spec){.impersonation = true, .level = TOKSIM_IMP_IDENTIFICATION});
    toksim_token *out = (toksim_token *)&out;
    toksim_imp_result r =
        dup(s, ALL, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION, &out);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    cr_assert_eq(r.ntstatus, TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL);
    cr_assert_eq(r.hresult, 0x80070542u);
    cr_assert_null(out);
    /* [WINE-SEC]: Anonymous -> Identification fails too */
    toksim_token *a = tk((tk_spec){.impersonation = true, .level = TOKSIM_IMP_ANONYMOUS});
    r = dup(a, ALL, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IDENTIFICATION, &out);
    cr_assert_not(r.ok);
    /* same or lower is fine */
    r = dup(s, ALL, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IDENTIFICATION, &out);
    cr_assert(r.ok);
    toksim_token_free(out);
    r = dup(s, ALL, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_ANONYMOUS, &out);
    cr_assert(r.ok);
    cr_assert_eq(toksim_token_level(out), TOKSIM_IMP_ANONYMOUS);
    toksim_token_free(out);
    toksim_token_free(a);
    toksim_token_free(s);
}

/* I17, I18: impersonation -> primary needs >= Impersonation; the level asked is ignored
 */
Test(duplicate, i17_i18_impersonation_to_primary)
{
    toksim_token *id =
        tk((tk_spec){.impersonation = true, .level = TOKSIM_IMP_IDENTIFICATION});
    toksim_token *im =
        tk((tk_spec){.impersonation = true, .level = TOKSIM_IMP_IMPERSONATION});
    toksim_token *out = NULL;
    toksim_imp_result r = dup(id, ALL, TOKSIM_TOKEN_PRIMARY, TOKSIM_IMP_DELEGATION, &out);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    cr_assert_null(out);
    r = dup(im, ALL, TOKSIM_TOKEN_PRIMARY, TOKSIM_IMP_IDENTIFICATION, &out);
    cr_assert(r.ok);
    cr_assert_eq(toksim_token_type_of(out), TOKSIM_TOKEN_PRIMARY);
    toksim_token_free(out);
    toksim_token_free(id);
    toksim_token_free(im);
}

/* I19: primary -> impersonation at any level, Delegation included */
Test(duplicate, i19_primary_to_any_level)
{
    toksim_token *p = tk((tk_spec){0});
    for (int l = TOKSIM_IMP_ANONYMOUS; l <= TOKSIM_IMP_DELEGATION; l++) {
        toksim_token *out = NULL;
        toksim_imp_result r =
            dup(p, ALL, TOKSIM_TOKEN_IMPERSONATION, (toksim_imp_level)l, &out);
        cr_assert(r.ok);
        cr_assert_eq(toksim_token_type_of(out), TOKSIM_TOKEN_IMPERSONATION);
        cr_assert_eq((int)toksim_token_level(out), l);
        cr_assert(toksim_sid_equal(toksim_token_user(out), toksim_token_user(p)));
        toksim_token_free(out);
    }
    toksim_token *out = NULL;
    toksim_imp_result r =
        dup(p, ALL, TOKSIM_TOKEN_IMPERSONATION, (toksim_imp_level)4, &out);
    cr_assert_not(r.ok); /* an invalid level: 1346 */
    cr_assert_eq(r.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    toksim_token_free(p);
}

Test(duplicate, needs_duplicate_access)
{
    toksim_token *p = tk((tk_spec){0});
    toksim_token *out = NULL;
    toksim_imp_result r = dup(p, TOKSIM_TOKEN_ACCESS_QUERY, TOKSIM_TOKEN_PRIMARY,
                              TOKSIM_IMP_IMPERSONATION, &out);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_null(out);
    toksim_token_handle h = {p, ALL};
    cr_assert_eq(toksim_duplicate_token_ex(&r, &out, NULL, TOKSIM_TOKEN_PRIMARY, 2, NULL),
                 TOKSIM_EINVAL);
    cr_assert_eq(toksim_duplicate_token_ex(&r, &out, &h, (toksim_token_type)9, 2, NULL),
                 TOKSIM_EINVAL);
    cr_assert_eq(toksim_duplicate_token_ex(&r, NULL, &h, TOKSIM_TOKEN_PRIMARY, 2, NULL),
                 TOKSIM_EINVAL);
    toksim_token_free(p);
}

/* ---- AdjustTokenPrivileges ---- */

static toksim_imp_result adjust(toksim_token *t,
                                uint32_t access,
                                bool all,
                                const toksim_priv_change *ch,
                                size_t n,
                                const toksim_imp_options *o)
{
    toksim_imp_result r;
    ts_assert_ok(toksim_adjust_token_privileges(&r, t, access, all, ch, n, o, NULL),
                 NULL);
    return r;
}

#define ADJ TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES

Test(adjust, enable_and_disable)
{
    toksim_token *t = tk((tk_spec){.imp_priv = IMP_PRIV_DISABLED});
    toksim_priv_change ch = {"SeImpersonatePrivilege", 0, TOKSIM_SE_PRIVILEGE_ENABLED};
    toksim_imp_result r = adjust(t, ADJ, false, &ch, 1, NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, 0);
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    ch.attributes = 0;
    r = adjust(t, ADJ, false, &ch, 1, NULL);
    cr_assert(r.ok);
    cr_assert_not(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    cr_assert(toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE) >= 0);
    toksim_token_free(t);
}

/* a privilege the token does not hold: TRUE + ERROR_NOT_ALL_ASSIGNED; the others still
 * apply */
Test(adjust, not_all_assigned)
{
    toksim_token *t = tk((tk_spec){.imp_priv = IMP_PRIV_DISABLED});
    toksim_priv_change ch[2] = {
        {"SeDebugPrivilege", 0, TOKSIM_SE_PRIVILEGE_ENABLED},
        {NULL, TOKSIM_PRIV_IMPERSONATE, TOKSIM_SE_PRIVILEGE_ENABLED}};
    toksim_imp_result r = adjust(t, ADJ, false, ch, 2, NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_NOT_ALL_ASSIGNED);
    cr_assert_eq(r.ntstatus, 0x106u);
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_DEBUG), -1);
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    toksim_token_free(t);
}

Test(adjust, removed_is_for_good)
{
    toksim_token *t = tk((tk_spec){.imp_priv = IMP_PRIV_ENABLED});
    toksim_priv_change ch = {"seimpersonateprivilege", 0, TOKSIM_SE_PRIVILEGE_REMOVED};
    toksim_imp_result r = adjust(t, ADJ, false, &ch, 1, NULL);
    cr_assert(r.ok);
    cr_assert_eq(toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE), -1);
    ch.attributes = TOKSIM_SE_PRIVILEGE_ENABLED;
    r = adjust(t, ADJ, false, &ch, 1, NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_NOT_ALL_ASSIGNED);
    cr_assert_not(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    toksim_token_free(t);
}

Test(adjust, unknown_name_changes_nothing)
{
    toksim_token *t = tk((tk_spec){.imp_priv = IMP_PRIV_DISABLED});
    toksim_priv_change ch[2] = {
        {"SeImpersonatePrivilege", 0, TOKSIM_SE_PRIVILEGE_ENABLED},
        {"SeNoSuchPrivilege", 0, TOKSIM_SE_PRIVILEGE_ENABLED}};
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_imp_result r;
    ts_assert_ok(toksim_adjust_token_privileges(&r, t, ADJ, false, ch, 2, NULL, &tr),
                 NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_NO_SUCH_PRIVILEGE);
    cr_assert_not(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    cr_assert(imp_trace_has(&tr, "imp.adjust.unknown_privilege"));
    toksim_trace_dispose(&tr);
    toksim_token_free(t);
}

Test(adjust, handle_access_and_disable_all)
{
    toksim_token *t = tk((tk_spec){.imp_priv = IMP_PRIV_ENABLED});
    toksim_imp_result r = adjust(t, TOKSIM_TOKEN_ACCESS_QUERY, true, NULL, 0, NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    r = adjust(t, ADJ, true, NULL, 0, NULL);
    cr_assert(r.ok);
    cr_assert_not(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    cr_assert_not(toksim_token_privilege_enabled(t, TOKSIM_PRIV_CHANGE_NOTIFY));
    cr_assert(toksim_token_privilege(t, TOKSIM_PRIV_CHANGE_NOTIFY) >=
              0); /* held, disabled */
    toksim_priv_change ch = {"SeImpersonatePrivilege", 0, TOKSIM_SE_PRIVILEGE_ENABLED};
    toksim_imp_result rr;
    cr_assert_eq(toksim_adjust_token_privileges(&rr, t, ADJ, false, &ch,
                                                TOKSIM_PRIV_CHANGE_MAX + 1, NULL, NULL),
                 TOKSIM_ELIMIT);
    cr_assert_eq(toksim_adjust_token_privileges(&rr, t, ADJ, false, NULL, 1, NULL, NULL),
                 TOKSIM_EINVAL);
    toksim_token_free(t);
}

/* §3.5 integrity minimum (UNCONFIRMED, off by default) */
Test(adjust, integrity_minimum_switch)
{
    toksim_token *t =
        tk((tk_spec){.imp_priv = IMP_PRIV_DISABLED, .il = TOKSIM_IL_MEDIUM});
    toksim_priv_change ch = {"SeImpersonatePrivilege", 0, TOKSIM_SE_PRIVILEGE_ENABLED};
    toksim_imp_options o;
    toksim_imp_options_init(&o);
    o.privilege_integrity_minimum = true;
    toksim_imp_result r = adjust(t, ADJ, false, &ch, 1, &o);
    cr_assert(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_NOT_ALL_ASSIGNED); /* Impersonate needs High */
    cr_assert_not(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    r = adjust(t, ADJ, false, &ch, 1, NULL); /* default: no minimum */
    cr_assert_eq(r.win32, 0);
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_IMPERSONATE));
    /* ChangeNotify needs nothing, even at Low */
    toksim_token *low = tk((tk_spec){.il = TOKSIM_IL_LOW});
    toksim_priv_change cn = {"SeChangeNotifyPrivilege", 0, TOKSIM_SE_PRIVILEGE_ENABLED};
    r = adjust(low, ADJ, false, &cn, 1, &o);
    cr_assert_eq(r.win32, 0);
    toksim_token_free(low);
    toksim_token_free(t);
}

/* ---- GetTokenInformation(TokenLinkedToken), §2.7.2 (UNVERIFIED switch) ---- */

static toksim_token *split_admin(void)
{
    toksim_token *filtered = tk((tk_spec){.il = TOKSIM_IL_MEDIUM});
    toksim_token *full = tk((tk_spec){.il = TOKSIM_IL_HIGH, .elevated = true});
    toksim_token_set_elevation(filtered, TOKSIM_ELEVATION_LIMITED, false);
    toksim_token_set_linked(filtered, full);
    return filtered;
}

Test(linked, identification_without_tcb)
{
    toksim_token *filtered = split_admin();
    toksim_token *caller = tk((tk_spec){0});
    toksim_token_handle h = {filtered, TOKSIM_TOKEN_ACCESS_QUERY};
    toksim_token *out = NULL;
    toksim_imp_result r;
    ts_assert_ok(toksim_get_linked_token(&r, &out, caller, &h, NULL, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_not_null(out);
    cr_assert_eq(toksim_token_type_of(out), TOKSIM_TOKEN_IMPERSONATION);
    cr_assert_eq(toksim_token_level(out), TOKSIM_IMP_IDENTIFICATION);
    cr_assert(toksim_token_is_elevated(out));
    cr_assert_null(toksim_token_linked(out));
    toksim_token_free(out);

    toksim_imp_options o;
    toksim_imp_options_init(&o);
    o.linked_token_needs_tcb = false;
    ts_assert_ok(toksim_get_linked_token(&r, &out, caller, &h, &o, NULL), NULL);
    cr_assert_eq(toksim_token_type_of(out), TOKSIM_TOKEN_PRIMARY);
    toksim_token_free(out);
    toksim_token_free(caller);
    toksim_token_free(filtered);
}

Test(linked, primary_with_tcb)
{
    toksim_token *filtered = split_admin();
    toksim_token *system = tk((tk_spec){.user = "S-1-5-18", .il = TOKSIM_IL_SYSTEM});
    cr_assert(toksim_token_set_privilege(system, TOKSIM_PRIV_TCB,
                                         TOKSIM_SE_PRIVILEGE_ENABLED) == TOKSIM_OK);
    toksim_token_handle h = {filtered, TOKSIM_TOKEN_ACCESS_QUERY};
    toksim_token *out = NULL;
    toksim_imp_result r;
    ts_assert_ok(toksim_get_linked_token(&r, &out, system, &h, NULL, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(toksim_token_type_of(out), TOKSIM_TOKEN_PRIMARY);
    toksim_token_free(out);
    /* held but disabled does not count */
    cr_assert(toksim_token_set_privilege(system, TOKSIM_PRIV_TCB, 0) == TOKSIM_OK);
    ts_assert_ok(toksim_get_linked_token(&r, &out, system, &h, NULL, NULL), NULL);
    cr_assert_eq(toksim_token_level(out), TOKSIM_IMP_IDENTIFICATION);
    cr_assert_eq(toksim_token_type_of(out), TOKSIM_TOKEN_IMPERSONATION);
    toksim_token_free(out);
    toksim_token_free(system);
    toksim_token_free(filtered);
}

Test(linked, errors)
{
    toksim_token *plain = tk((tk_spec){0});
    toksim_token *filtered = split_admin();
    toksim_token *out = NULL;
    toksim_imp_result r;
    toksim_token_handle h = {plain, TOKSIM_TOKEN_ACCESS_QUERY};
    ts_assert_ok(toksim_get_linked_token(&r, &out, plain, &h, NULL, NULL), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_NO_SUCH_LOGON_SESSION);
    cr_assert_null(out);
    h.token = filtered;
    h.access = TOKSIM_TOKEN_ACCESS_DUPLICATE;
    ts_assert_ok(toksim_get_linked_token(&r, &out, plain, &h, NULL, NULL), NULL);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_eq(toksim_get_linked_token(&r, &out, NULL, &h, NULL, NULL), TOKSIM_EINVAL);
    toksim_token_free(plain);
    toksim_token_free(filtered);
}
