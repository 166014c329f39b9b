/*
 * PURPOSE: the token API of token_api.h with Windows' results: GetTokenInformation per
 * class (TokenImpersonationLevel on a primary token: ERROR_INVALID_PARAMETER, ReactOS
 * NtQueryInformationToken / Wine server; TokenLinkedToken per Wine test_elevation),
 * CreateRestrictedToken (Wine test_CreateRestrictedToken: deny-only attributes, type and
 * level kept), CheckTokenMembership (Wine test_CheckTokenMembership: a primary token
 * gives ERROR_NO_IMPERSONATION_TOKEN), PrivilegeCheck,
 * SetTokenInformation(TokenIntegrityLevel) and CreateProcessAsUser /
 * CreateProcessWithTokenW (Microsoft Learn remarks). Each trace rule is asserted together
 * with the behaviour it explains.
 */
#include "imp_fixtures.h"

#define ALL TOKSIM_TOKEN_ACCESS_ALL

static const toksim_trace_event *find(const toksim_trace *t, const char *id)
{
    const toksim_rule_info *ri = toksim_rule_by_id(id);
    cr_assert(ri != NULL, "unknown rule id %s", id);
    for (size_t i = 0; i < t->count; i++)
        if (t->events[i].rule == ri->rule)
            return &t->events[i];
    return NULL;
}

static toksim_token_info query(const toksim_token *t,
                               uint32_t access,
                               toksim_token_info_class cls,
                               toksim_trace *tr)
{
    toksim_token_handle h = {t, access};
    toksim_token_info in;
    cr_assert_eq(toksim_token_query(&in, &h, cls, NULL, NULL, tr), TOKSIM_OK);
    return in;
}

/* ---- GetTokenInformation ---- */

Test(token_api, class_table_names_and_numbers)
{
    toksim_token_info_class c;
    cr_assert(toksim_token_info_class_parse(&c, "TokenLinkedToken"));
    cr_assert_eq(c, 19); /* winnt.h TokenLinkedToken */
    cr_assert(toksim_token_info_class_parse(&c, "TokenIntegrityLevel"));
    cr_assert_eq(c, 25);
    cr_assert_not(toksim_token_info_class_parse(&c, "tokenuser"));
    cr_assert_str_eq(toksim_token_info_class_name(TOKSIM_TIC_ELEVATION_TYPE),
                     "TokenElevationType");
    cr_assert_null(toksim_token_info_class_name((toksim_token_info_class)6));
    cr_assert_eq(toksim_token_info_class_at(0), TOKSIM_TIC_USER);
}

Test(token_api, impersonation_level_on_primary_is_invalid_parameter)
{
    toksim_token *p = tk((tk_spec){0});
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_token_info in = query(p, ALL, TOKSIM_TIC_IMPERSONATION_LEVEL, &tr);
    cr_assert_not(in.call.ok);
    cr_assert_eq(in.call.win32, TOKSIM_ERROR_INVALID_PARAMETER);
    cr_assert_eq(in.call.ntstatus, 0xC0000003u); /* STATUS_INVALID_INFO_CLASS */
    cr_assert_not_null(find(&tr, "token.info.level_on_primary"));
    toksim_trace_dispose(&tr);
    /* an impersonation token answers */
    toksim_token *i =
        tk((tk_spec){.impersonation = true, .level = TOKSIM_IMP_IDENTIFICATION});
    toksim_trace_init(&tr);
    in = query(i, ALL, TOKSIM_TIC_IMPERSONATION_LEVEL, &tr);
    cr_assert(in.call.ok);
    cr_assert_eq(in.value, TOKSIM_IMP_IDENTIFICATION);
    cr_assert_not_null(find(&tr, "token.info.query"));
    toksim_trace_dispose(&tr);
    toksim_token_free(i);
    toksim_token_free(p);
}

Test(token_api, query_needs_token_query_and_reports_values)
{
    toksim_token *p = tk((tk_spec){.auth_id = 0x3e7,
                                   .origin = 0x3e4,
                                   .session = 2,
                                   .il = TOKSIM_IL_HIGH,
                                   .elevated = true});
    toksim_token_info in = query(p, TOKSIM_TOKEN_ACCESS_DUPLICATE, TOKSIM_TIC_USER, NULL);
    cr_assert_not(in.call.ok);
    cr_assert_eq(in.call.win32, TOKSIM_ERROR_ACCESS_DENIED);
    in = query(p, TOKSIM_TOKEN_ACCESS_QUERY, TOKSIM_TIC_STATISTICS, NULL);
    cr_assert(in.call.ok);
    cr_assert_eq(in.luid, 0x3e7);
    cr_assert_eq(in.group_count, toksim_token_group_count(p));
    in = query(p, TOKSIM_TOKEN_ACCESS_QUERY, TOKSIM_TIC_ORIGIN, NULL);
    cr_assert_eq(in.luid, 0x3e4);
    in = query(p, TOKSIM_TOKEN_ACCESS_QUERY, TOKSIM_TIC_SESSION_ID, NULL);
    cr_assert_eq(in.value, 2);
    in = query(p, TOKSIM_TOKEN_ACCESS_QUERY, TOKSIM_TIC_INTEGRITY_LEVEL, NULL);
    cr_assert_eq(in.value, TOKSIM_IL_HIGH);
    cr_assert_eq(in.attributes,
                 TOKSIM_SE_GROUP_INTEGRITY | TOKSIM_SE_GROUP_INTEGRITY_ENABLED);
    in = query(p, TOKSIM_TOKEN_ACCESS_QUERY, TOKSIM_TIC_ELEVATION_TYPE, NULL);
    cr_assert_eq(in.value, TOKSIM_ELEVATION_FULL);
    in = query(p, TOKSIM_TOKEN_ACCESS_QUERY, TOKSIM_TIC_ELEVATION, NULL);
    cr_assert_eq(in.value, 1);
    /* TokenSource wants TOKEN_QUERY_SOURCE, not TOKEN_QUERY */
    in = query(p, TOKSIM_TOKEN_ACCESS_QUERY, TOKSIM_TIC_SOURCE, NULL);
    cr_assert_not(in.call.ok);
    in = query(p, TOKSIM_TOKEN_ACCESS_QUERY_SOURCE, TOKSIM_TIC_SOURCE, NULL);
    cr_assert(in.call.ok);
    toksim_token_free(p);
}

Test(token_api, linked_token_default_and_split)
{
    toksim_token *p = tk((tk_spec){0});
    toksim_token_info in = query(p, ALL, TOKSIM_TIC_LINKED_TOKEN, NULL);
    cr_assert_not(in.call.ok);
    cr_assert_eq(in.call.win32, TOKSIM_ERROR_NO_SUCH_LOGON_SESSION);
    cr_assert_null(in.linked);
    /* a Limited token linked to a Full one: Identification impersonation copy */
    toksim_token *full = tk((tk_spec){.il = TOKSIM_IL_HIGH, .elevated = true});
    toksim_token_set_elevation(p, TOKSIM_ELEVATION_LIMITED, false);
    toksim_token_set_linked(p, full);
    in = query(p, ALL, TOKSIM_TIC_LINKED_TOKEN, NULL);
    cr_assert(in.call.ok);
    cr_assert_eq(toksim_token_type_of(in.linked), TOKSIM_TOKEN_IMPERSONATION);
    cr_assert_eq(toksim_token_level(in.linked), TOKSIM_IMP_IDENTIFICATION);
    cr_assert(toksim_token_is_elevated(in.linked));
    toksim_token_info_dispose(&in);
    toksim_token_free(p);
}

/* ---- CreateRestrictedToken ---- */

static toksim_token *
restrict_ok(const toksim_token *src, toksim_restrict_request *req, toksim_trace *tr)
{
    toksim_token_handle h = {src, ALL};
    toksim_imp_result r;
    toksim_token *out = NULL;
    cr_assert_eq(toksim_create_restricted_token(&r, &out, &h, req, tr), TOKSIM_OK);
    cr_assert(r.ok);
    cr_assert_not_null(out);
    return out;
}

Test(token_api, restrict_deny_only_keeps_type_and_level)
{
    toksim_token *src =
        tk((tk_spec){.impersonation = true, .level = TOKSIM_IMP_IMPERSONATION});
    toksim_sid users = ts_test_sid("S-1-5-32-545"), absent = ts_test_sid("S-1-5-32-546");
    cr_assert_eq(toksim_token_add_group(src, &users, TOKSIM_SE_GROUP_DEFAULT), TOKSIM_OK);
    toksim_sid dis[] = {users, absent};
    toksim_restrict_request req = {0};
    req.disable = dis;
    req.ndisable = 2;
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_token *t = restrict_ok(src, &req, &tr);
    const toksim_group *g = toksim_token_find_group(t, &users);
    cr_assert_eq(g->attributes,
                 TOKSIM_SE_GROUP_MANDATORY | TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_null(toksim_token_find_group(t, &absent)); /* absent SIDs are ignored */
    cr_assert_eq(toksim_token_type_of(t), TOKSIM_TOKEN_IMPERSONATION);
    cr_assert_eq(toksim_token_level(t), TOKSIM_IMP_IMPERSONATION);
    cr_assert_not(toksim_token_is_restricted(t));
    cr_assert_eq(toksim_token_parent_id(t), toksim_token_id(src));
    const toksim_trace_event *e = find(&tr, "token.restrict.deny_only");
    cr_assert_not_null(e);
    cr_assert(toksim_sid_equal(&e->sid2, &users));
    e = find(&tr, "token.restrict.created");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->text, "filtered");
    /* CheckTokenMembership: deny-only is no membership */
    toksim_token_handle h = {t, ALL};
    toksim_imp_result r;
    bool member = true;
    toksim_trace_dispose(&tr);
    toksim_trace_init(&tr);
    cr_assert_eq(toksim_check_token_membership(&r, &member, NULL, &h, &users, &tr),
                 TOKSIM_OK);
    cr_assert(r.ok);
    cr_assert_not(member);
    cr_assert_not_null(find(&tr, "token.membership.deny_only"));
    toksim_trace_dispose(&tr);
    toksim_token_free(t);
    toksim_token_free(src);
}

Test(token_api, restrict_user_and_owner)
{
    toksim_token *src = tk((tk_spec){0});
    toksim_sid admins = ts_test_sid("S-1-5-32-544");
    cr_assert_eq(toksim_token_add_group(src, &admins,
                                        TOKSIM_SE_GROUP_DEFAULT | TOKSIM_SE_GROUP_OWNER),
                 TOKSIM_OK);
    cr_assert_eq(toksim_token_set_owner(src, &admins), TOKSIM_OK);
    toksim_sid dis[] = {admins, *toksim_token_user(src)};
    toksim_restrict_request req = {.disable = dis, .ndisable = 2};
    toksim_token *t = restrict_ok(src, &req, NULL);
    cr_assert(toksim_token_user_attributes(t) & TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert(toksim_sid_equal(toksim_token_owner(t), toksim_token_user(t)));
    toksim_token_free(t);
    toksim_token_free(src);
}

Test(token_api, restrict_privileges)
{
    toksim_token *src = tk((tk_spec){.imp_priv = IMP_PRIV_ENABLED});
    cr_assert_eq(toksim_token_set_privilege(src, TOKSIM_PRIV_SHUTDOWN, 0), TOKSIM_OK);
    uint32_t del[] = {TOKSIM_PRIV_SHUTDOWN, TOKSIM_PRIV_DEBUG /* not held */};
    toksim_restrict_request req = {.delete_privs = del, .ndelete = 2};
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_token *t = restrict_ok(src, &req, &tr);
    cr_assert_lt(toksim_token_privilege(t, TOKSIM_PRIV_SHUTDOWN), 0);
    cr_assert_geq(toksim_token_privilege(t, TOKSIM_PRIV_IMPERSONATE), 0);
    const toksim_trace_event *e = find(&tr, "token.restrict.delete_privilege");
    cr_assert_not_null(e);
    cr_assert_eq(e->privilege, TOKSIM_PRIV_SHUTDOWN);
    toksim_token_free(t);
    toksim_trace_dispose(&tr);
    /* DISABLE_MAX_PRIVILEGE: only SeChangeNotifyPrivilege stays; the list is ignored */
    req.flags = TOKSIM_DISABLE_MAX_PRIVILEGE;
    toksim_trace_init(&tr);
    t = restrict_ok(src, &req, &tr);
    cr_assert_eq(toksim_token_privilege_count(t), 1);
    cr_assert(toksim_token_privilege_enabled(t, TOKSIM_PRIV_CHANGE_NOTIFY));
    e = find(&tr, "token.restrict.disable_max_privilege");
    cr_assert_not_null(e);
    cr_assert_eq(e->a, 2);
    toksim_trace_dispose(&tr);
    toksim_token_free(t);
    toksim_token_free(src);
}

Test(token_api, restrict_sids_and_membership)
{
    toksim_token *src =
        tk((tk_spec){.impersonation = true, .level = TOKSIM_IMP_IMPERSONATION});
    toksim_sid au = ts_test_sid("S-1-5-11"), wd = ts_test_sid("S-1-1-0");
    cr_assert_eq(toksim_token_add_group(src, &au, TOKSIM_SE_GROUP_DEFAULT), TOKSIM_OK);
    toksim_sid rs[] = {wd};
    toksim_restrict_request req = {.restrict_sids = rs, .nrestrict = 1};
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_token *t = restrict_ok(src, &req, &tr);
    cr_assert(toksim_token_is_restricted(t));
    cr_assert_eq(toksim_token_restricted_at(t, 0)->attributes, TOKSIM_SE_GROUP_DEFAULT);
    cr_assert_not_null(find(&tr, "token.restrict.restricting_sid"));
    toksim_trace_dispose(&tr);
    toksim_token_handle h = {t, ALL};
    toksim_imp_result r;
    bool member = false;
    toksim_trace_init(&tr);
    cr_assert_eq(toksim_check_token_membership(&r, &member, NULL, &h, &wd, &tr),
                 TOKSIM_OK);
    cr_assert(member);
    cr_assert_not_null(find(&tr, "token.membership.member"));
    toksim_trace_dispose(&tr);
    toksim_trace_init(&tr);
    cr_assert_eq(toksim_check_token_membership(&r, &member, NULL, &h, &au, &tr),
                 TOKSIM_OK);
    cr_assert_not(member); /* enabled, but not a restricting SID */
    cr_assert_not_null(find(&tr, "token.membership.not_restricting"));
    toksim_trace_dispose(&tr);
    toksim_token_free(t);
    /* WRITE_RESTRICTED: the restricting SIDs only apply to writes */
    req.flags = TOKSIM_WRITE_RESTRICTED;
    toksim_trace_init(&tr);
    t = restrict_ok(src, &req, &tr);
    cr_assert(toksim_token_is_write_restricted(t));
    cr_assert_not_null(find(&tr, "token.restrict.write_restricted"));
    toksim_trace_dispose(&tr);
    h.token = t;
    cr_assert_eq(toksim_check_token_membership(&r, &member, NULL, &h, &au, NULL),
                 TOKSIM_OK);
    cr_assert(member);
    toksim_token_free(t);
    toksim_token_free(src);
}

Test(token_api, restrict_lua_and_handle_access)
{
    toksim_token *src = tk((tk_spec){.il = TOKSIM_IL_HIGH, .elevated = true});
    toksim_restrict_request req = {.flags = TOKSIM_LUA_TOKEN};
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_token *t = restrict_ok(src, &req, &tr);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_MEDIUM);
    cr_assert_not(toksim_token_is_elevated(t));
    cr_assert_not_null(find(&tr, "token.restrict.lua"));
    toksim_trace_dispose(&tr);
    toksim_token_free(t);
    toksim_token_handle h = {src, TOKSIM_TOKEN_ACCESS_QUERY};
    toksim_imp_result r;
    t = (toksim_token *)&r;
    cr_assert_eq(toksim_create_restricted_token(&r, &t, &h, &req, NULL), TOKSIM_OK);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_null(t);
    toksim_token_free(src);
}

/* ---- CheckTokenMembership ---- */

Test(token_api, membership_primary_token_and_levels)
{
    toksim_token *p = tk((tk_spec){0});
    toksim_sid wd = ts_test_sid("S-1-1-0"), bg = ts_test_sid("S-1-5-32-546");
    toksim_token_handle h = {p, ALL};
    toksim_imp_result r;
    bool member = true;
    toksim_trace tr;
    toksim_trace_init(&tr);
    cr_assert_eq(toksim_check_token_membership(&r, &member, NULL, &h, &wd, &tr),
                 TOKSIM_OK);
    cr_assert_not(r.ok); /* Wine test_CheckTokenMembership, run on Windows */
    cr_assert_eq(r.win32, TOKSIM_ERROR_NO_IMPERSONATION_TOKEN);
    cr_assert_eq(r.ntstatus, 0xC000005Cu);
    cr_assert_not(member); /* cleared */
    cr_assert_not_null(find(&tr, "token.membership.primary_token"));
    toksim_trace_dispose(&tr);
    toksim_token *a = tk((tk_spec){.impersonation = true, .level = TOKSIM_IMP_ANONYMOUS});
    h.token = a;
    toksim_trace_init(&tr);
    cr_assert_eq(toksim_check_token_membership(&r, &member, NULL, &h, &wd, &tr),
                 TOKSIM_OK);
    cr_assert_eq(r.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    cr_assert_not_null(find(&tr, "token.membership.anonymous"));
    toksim_trace_dispose(&tr);
    toksim_token *i =
        tk((tk_spec){.impersonation = true, .level = TOKSIM_IMP_IDENTIFICATION});
    h.token = i;
    toksim_trace_init(&tr);
    cr_assert_eq(toksim_check_token_membership(&r, &member, NULL, &h, &bg, &tr),
                 TOKSIM_OK);
    cr_assert(r.ok);
    cr_assert_not(member);
    cr_assert_not_null(find(&tr, "token.membership.absent"));
    toksim_trace_dispose(&tr);
    h.access = TOKSIM_TOKEN_ACCESS_DUPLICATE;
    cr_assert_eq(toksim_check_token_membership(&r, &member, NULL, &h, &wd, NULL),
                 TOKSIM_OK);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    toksim_token_free(i);
    toksim_token_free(a);
    toksim_token_free(p);
}

Test(token_api, membership_null_handle_uses_thread_then_process)
{
    imp_world w = imp_world_new((tk_spec){0}, NULL);
    toksim_sid wd = ts_test_sid("S-1-1-0");
    toksim_imp_result r;
    bool member = false;
    toksim_trace tr;
    toksim_trace_init(&tr);
    cr_assert_eq(toksim_check_token_membership(&r, &member, w.thread, NULL, &wd, &tr),
                 TOKSIM_OK);
    cr_assert(r.ok); /* the primary token is copied as an impersonation token */
    cr_assert(member);
    const toksim_trace_event *e = find(&tr, "token.membership.null_handle");
    cr_assert_not_null(e);
    cr_assert_str_eq(e->text, "a copy of the process token");
    toksim_trace_dispose(&tr);
    imp_world_free(&w);
}

/* ---- PrivilegeCheck ---- */

Test(token_api, privilege_check_results_and_switch)
{
    toksim_token *p = tk((tk_spec){.imp_priv = IMP_PRIV_DISABLED});
    uint32_t both[] = {TOKSIM_PRIV_CHANGE_NOTIFY, TOKSIM_PRIV_IMPERSONATE};
    toksim_token_handle h = {p, ALL};
    toksim_imp_result r;
    bool res = true;
    toksim_trace tr;
    toksim_trace_init(&tr);
    cr_assert_eq(toksim_privilege_check(&r, &res, &h, both, 2, true, NULL, &tr),
                 TOKSIM_OK);
    cr_assert(r.ok);    /* primary accepted by default (Wine server, ReactOS) */
    cr_assert_not(res); /* Impersonate is held but disabled */
    const toksim_trace_event *e = find(&tr, "token.privilege_check.result");
    cr_assert_not_null(e);
    cr_assert_eq(e->a, 1);
    cr_assert_eq(e->b, 2);
    toksim_trace_dispose(&tr);
    cr_assert_eq(toksim_privilege_check(&r, &res, &h, both, 2, false, NULL, NULL),
                 TOKSIM_OK);
    cr_assert(res); /* any one will do */
    /* the UNCONFIRMED switch: a primary token is refused */
    toksim_token_api_options o = {.privilege_check_needs_impersonation = true};
    toksim_trace_init(&tr);
    cr_assert_eq(toksim_privilege_check(&r, &res, &h, both, 2, false, &o, &tr),
                 TOKSIM_OK);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_NO_IMPERSONATION_TOKEN);
    cr_assert_not_null(find(&tr, "token.privilege_check.primary_token"));
    toksim_trace_dispose(&tr);
    toksim_token *a = tk((tk_spec){.impersonation = true, .level = TOKSIM_IMP_ANONYMOUS});
    h.token = a;
    toksim_trace_init(&tr);
    cr_assert_eq(toksim_privilege_check(&r, &res, &h, both, 2, false, NULL, &tr),
                 TOKSIM_OK);
    cr_assert_eq(r.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    cr_assert_not_null(find(&tr, "token.privilege_check.anonymous"));
    toksim_trace_dispose(&tr);
    toksim_token_free(a);
    toksim_token_free(p);
}

/* ---- SetTokenInformation(TokenIntegrityLevel) ---- */

Test(token_api, integrity_lower_raise)
{
    toksim_token *caller = tk((tk_spec){0});
    toksim_token *t = tk((tk_spec){0});
    toksim_imp_result r;
    toksim_trace tr;
    toksim_trace_init(&tr);
    cr_assert_eq(toksim_set_token_integrity(&r, t, ALL, TOKSIM_IL_LOW, caller, NULL, &tr),
                 TOKSIM_OK);
    cr_assert(r.ok);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_LOW);
    const toksim_trace_event *e = find(&tr, "token.integrity.lower");
    cr_assert_not_null(e);
    cr_assert_eq(e->a, TOKSIM_IL_MEDIUM);
    cr_assert_eq(e->b, TOKSIM_IL_LOW);
    toksim_trace_dispose(&tr);
    toksim_trace_init(&tr);
    cr_assert_eq(
        toksim_set_token_integrity(&r, t, ALL, TOKSIM_IL_MEDIUM, caller, NULL, &tr),
        TOKSIM_OK);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_PRIVILEGE_NOT_HELD);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_LOW); /* unchanged */
    cr_assert_not_null(find(&tr, "token.integrity.raise_needs_tcb"));
    toksim_trace_dispose(&tr);
    cr_assert_eq(
        toksim_token_set_privilege(caller, TOKSIM_PRIV_TCB, TOKSIM_SE_PRIVILEGE_ENABLED),
        TOKSIM_OK);
    toksim_trace_init(&tr);
    cr_assert_eq(
        toksim_set_token_integrity(&r, t, ALL, TOKSIM_IL_SYSTEM, caller, NULL, &tr),
        TOKSIM_OK);
    cr_assert(r.ok);
    cr_assert_eq(toksim_token_integrity(t), TOKSIM_IL_SYSTEM);
    cr_assert_not_null(find(&tr, "token.integrity.raise_with_tcb"));
    toksim_trace_dispose(&tr);
    cr_assert_eq(toksim_set_token_integrity(&r, t, TOKSIM_TOKEN_ACCESS_QUERY,
                                            TOKSIM_IL_LOW, caller, NULL, NULL),
                 TOKSIM_OK);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED); /* needs TOKEN_ADJUST_DEFAULT */
    /* the UNCONFIRMED switch: another privilege guards raising; Tcb no longer does */
    toksim_token_api_options o = {.raise_integrity_privilege = TOKSIM_PRIV_RELABEL};
    cr_assert_eq(
        toksim_set_token_integrity(&r, t, ALL, TOKSIM_IL_LOW, caller, NULL, NULL),
        TOKSIM_OK);
    cr_assert_eq(toksim_set_token_integrity(&r, t, ALL, TOKSIM_IL_HIGH, caller, &o, NULL),
                 TOKSIM_OK);
    cr_assert_eq(r.win32, TOKSIM_ERROR_PRIVILEGE_NOT_HELD);
    cr_assert_eq(toksim_token_set_privilege(caller, TOKSIM_PRIV_RELABEL,
                                            TOKSIM_SE_PRIVILEGE_ENABLED),
                 TOKSIM_OK);
    cr_assert_eq(toksim_set_token_integrity(&r, t, ALL, TOKSIM_IL_HIGH, caller, &o, NULL),
                 TOKSIM_OK);
    cr_assert(r.ok);
    toksim_token_free(t);
    toksim_token_free(caller);
}

/* ---- CreateProcessAsUser / CreateProcessWithTokenW ---- */

static toksim_imp_result create(imp_world *w,
                                const toksim_token *t,
                                uint32_t access,
                                toksim_create_process_api api,
                                const toksim_token_api_options *o,
                                toksim_trace *tr)
{
    toksim_token_handle h = {t, access};
    toksim_imp_result r;
    toksim_process *p = (toksim_process *)&r;
    cr_assert_eq(toksim_create_process_with_token(&r, &p, w->thread, &h, api, o, tr),
                 TOKSIM_OK);
    cr_assert_eq(p != NULL, r.ok);
    if (p)
        cr_assert(toksim_sid_equal(toksim_token_user(toksim_process_token(p)),
                                   toksim_token_user(t)));
    toksim_process_free(p);
    return r;
}

#define CP_RIGHTS                                                                        \
    (TOKSIM_TOKEN_ACCESS_QUERY | TOKSIM_TOKEN_ACCESS_DUPLICATE |                         \
     TOKSIM_TOKEN_ACCESS_ASSIGN_PRIMARY)

Test(token_api, create_process_type_rights_privileges)
{
    imp_world w = imp_world_new((tk_spec){.user = "S-1-5-18"}, NULL);
    toksim_token *client = tk((tk_spec){0});
    toksim_trace tr;
    toksim_trace_init(&tr);
    /* no privileges yet */
    toksim_imp_result r =
        create(&w, client, CP_RIGHTS, TOKSIM_CREATE_PROCESS_AS_USER, NULL, &tr);
    cr_assert_eq(r.win32, TOKSIM_ERROR_PRIVILEGE_NOT_HELD);
    const toksim_trace_event *e = find(&tr, "process.create.privilege_missing");
    cr_assert_not_null(e);
    cr_assert_eq(e->privilege, TOKSIM_PRIV_INCREASE_QUOTA);
    toksim_trace_dispose(&tr);
    toksim_token *pt = toksim_process_token_mut(w.proc);
    cr_assert_eq(toksim_token_set_privilege(pt, TOKSIM_PRIV_INCREASE_QUOTA, 0),
                 TOKSIM_OK);
    toksim_trace_init(&tr);
    r = create(&w, client, CP_RIGHTS, TOKSIM_CREATE_PROCESS_AS_USER, NULL, &tr);
    cr_assert_eq(r.win32, TOKSIM_ERROR_PRIVILEGE_NOT_HELD);
    cr_assert_eq(find(&tr, "process.create.privilege_missing")->privilege,
                 TOKSIM_PRIV_ASSIGN_PRIMARY_TOKEN);
    toksim_trace_dispose(&tr);
    /* held (even disabled) is enough: the call enables it */
    cr_assert_eq(toksim_token_set_privilege(pt, TOKSIM_PRIV_ASSIGN_PRIMARY_TOKEN, 0),
                 TOKSIM_OK);
    toksim_trace_init(&tr);
    r = create(&w, client, CP_RIGHTS, TOKSIM_CREATE_PROCESS_AS_USER, NULL, &tr);
    cr_assert(r.ok);
    cr_assert_not_null(find(&tr, "process.create.created"));
    toksim_trace_dispose(&tr);
    /* the handle rights */
    r = create(&w, client, TOKSIM_TOKEN_ACCESS_QUERY | TOKSIM_TOKEN_ACCESS_DUPLICATE,
               TOKSIM_CREATE_PROCESS_AS_USER, NULL, NULL);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    /* CreateProcessWithTokenW wants SeImpersonatePrivilege */
    r = create(&w, client, CP_RIGHTS, TOKSIM_CREATE_PROCESS_WITH_TOKEN, NULL, NULL);
    cr_assert_eq(r.win32, TOKSIM_ERROR_PRIVILEGE_NOT_HELD);
    cr_assert_eq(toksim_token_set_privilege(pt, TOKSIM_PRIV_IMPERSONATE, 0), TOKSIM_OK);
    r = create(&w, client, CP_RIGHTS, TOKSIM_CREATE_PROCESS_WITH_TOKEN, NULL, NULL);
    cr_assert(r.ok);
    /* an impersonation token: ERROR_BAD_TOKEN_TYPE for both */
    toksim_token *imp =
        tk((tk_spec){.impersonation = true, .level = TOKSIM_IMP_IMPERSONATION});
    toksim_trace_init(&tr);
    r = create(&w, imp, CP_RIGHTS, TOKSIM_CREATE_PROCESS_WITH_TOKEN, NULL, &tr);
    cr_assert_eq(r.win32, TOKSIM_ERROR_BAD_TOKEN_TYPE);
    cr_assert_eq(r.ntstatus, 0xC00000A8u);
    cr_assert_not_null(find(&tr, "process.create.bad_token_type"));
    toksim_trace_dispose(&tr);
    toksim_token_free(imp);
    toksim_token_free(client);
    imp_world_free(&w);
}

Test(token_api, create_process_own_token_exemption_and_switch)
{
    imp_world w = imp_world_new((tk_spec){0}, NULL);
    toksim_token_set_token_id(toksim_process_token_mut(w.proc), 0x1234);
    toksim_restrict_request req = {.flags = TOKSIM_DISABLE_MAX_PRIVILEGE};
    toksim_token *child = restrict_ok(toksim_process_token(w.proc), &req, NULL);
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_imp_result r =
        create(&w, child, CP_RIGHTS, TOKSIM_CREATE_PROCESS_AS_USER, NULL, &tr);
    cr_assert(r.ok); /* no privilege at all: a restricted version of its own token */
    cr_assert_not_null(find(&tr, "process.create.own_token"));
    toksim_trace_dispose(&tr);
    /* the UNCONFIRMED switch: SeIncreaseQuotaPrivilege still asked for */
    toksim_token_api_options o = {.quota_for_own_token = true};
    r = create(&w, child, CP_RIGHTS, TOKSIM_CREATE_PROCESS_AS_USER, &o, NULL);
    cr_assert_eq(r.win32, TOKSIM_ERROR_PRIVILEGE_NOT_HELD);
    /* another user's token is not exempt */
    toksim_token *other = tk((tk_spec){.user = IMP_SID_OTHER});
    r = create(&w, other, CP_RIGHTS, TOKSIM_CREATE_PROCESS_AS_USER, NULL, NULL);
    cr_assert_eq(r.win32, TOKSIM_ERROR_PRIVILEGE_NOT_HELD);
    toksim_token_free(other);
    toksim_token_free(child);
    imp_world_free(&w);
}

/* Learn, SidsToRestrict: a restricted source keeps only the SIDs in both lists */
Test(token_api, restrict_an_already_restricted_token_intersects)
{
    toksim_token *src = tk((tk_spec){0});
    toksim_sid wd = ts_test_sid("S-1-1-0"), rc = ts_test_sid("S-1-5-12"),
               au = ts_test_sid("S-1-5-11");
    toksim_sid first[] = {wd, rc};
    toksim_restrict_request req = {.restrict_sids = first, .nrestrict = 2};
    toksim_token *once = restrict_ok(src, &req, NULL);
    cr_assert_eq(toksim_token_restricted_count(once), 2);
    toksim_sid second[] = {rc, au};
    req.restrict_sids = second;
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_token *twice = restrict_ok(once, &req, &tr);
    cr_assert_eq(toksim_token_restricted_count(twice), 1);
    cr_assert(toksim_sid_equal(&toksim_token_restricted_at(twice, 0)->sid, &rc));
    const toksim_trace_event *e = find(&tr, "token.restrict.intersect");
    cr_assert_not_null(e);
    toksim_trace_dispose(&tr);
    /* no new list: the restricting SIDs stay as they were */
    req.nrestrict = 0;
    toksim_token *kept = restrict_ok(once, &req, NULL);
    cr_assert_eq(toksim_token_restricted_count(kept), 2);
    cr_assert_eq(toksim_token_remove_restricted_sid(kept, &au), TOKSIM_ENOTFOUND);
    cr_assert_eq(toksim_token_remove_restricted_sid(kept, &wd), TOKSIM_OK);
    cr_assert_eq(toksim_token_restricted_count(kept), 1);
    cr_assert_eq(toksim_token_match_restricted(kept, &wd), TOKSIM_MATCH_NONE);
    toksim_token_free(kept);
    toksim_token_free(twice);
    toksim_token_free(once);
    toksim_token_free(src);
}
