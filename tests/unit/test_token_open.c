/*
 * PURPOSE: tests of the token API of issue 16 (toksim/token_open.h): OpenThreadToken /
 * OpenProcessToken against the token object's own security descriptor and the rights the
 * handle keeps, NtDuplicateToken with and without a QoS, and EffectiveOnly. Sources:
 * Learn OpenThreadToken, OpenProcessToken, NtDuplicateToken; Wine advapi32
 * test_impersonation_level and kernel32 pipe.c test_impersonation (run on Windows).
 */
#include "imp_fixtures.h"

#define ALICE "S-1-5-21-1111-2222-3333-1001"
#define BOB   "S-1-5-21-1111-2222-3333-1002"

/* The default SD decides: another user is refused, the owner granted (rule
 * imp.token_object.default_sd); an explicit SD granting everyone lets the other user in.
 */
Test(token_open, process_token_object_sd_decides)
{
    imp_world alice = imp_world_new((tk_spec){.user = ALICE}, NULL);
    imp_world bob = imp_world_new((tk_spec){.user = BOB}, NULL);
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_token_open_result r;
    toksim_token *tok = NULL;
    ts_assert_ok(toksim_open_process_token(&r, &tok, bob.thread, alice.proc,
                                           TOKSIM_TOKEN_ACCESS_QUERY, NULL, &tr),
                 NULL);
    cr_assert_not(r.api.ok);
    cr_assert_eq(r.api.win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_eq(r.api.ntstatus, TOKSIM_STATUS_ACCESS_DENIED);
    cr_assert_null(tok);
    cr_assert(imp_trace_has(&tr, "imp.token_object.default_sd"));
    toksim_trace_dispose(&tr);

    toksim_sd *sd = NULL;
    ts_assert_ok(toksim_token_object_sd(&sd, toksim_process_token(alice.proc)), NULL);
    cr_assert_str_eq(sd->dacl ? "dacl" : "", "dacl");
    cr_assert_eq(sd->dacl->count, 2); /* owner + SYSTEM, GENERIC_ALL */
    cr_assert(toksim_sid_equal(&sd->owner,
                               toksim_token_user(toksim_process_token(alice.proc))));
    toksim_sd_free(sd);

    toksim_sd *open = imp_sd_allow("S-1-1-0", TOKSIM_TOKEN_ACCESS_QUERY);
    toksim_trace_init(&tr);
    ts_assert_ok(toksim_open_process_token(&r, &tok, bob.thread, alice.proc,
                                           TOKSIM_TOKEN_ACCESS_QUERY, open, &tr),
                 NULL);
    cr_assert(r.api.ok);
    cr_assert_eq(r.granted, TOKSIM_TOKEN_ACCESS_QUERY);
    cr_assert_not(imp_trace_has(&tr, "imp.token_object.default_sd"));
    toksim_trace_dispose(&tr);
    toksim_token_free(tok);
    toksim_sd_free(open);
    imp_world_free(&bob);
    imp_world_free(&alice);
}

/* The handle holds what was granted (imp.token_handle.granted): TOKEN_QUERY alone cannot
 * feed DuplicateTokenEx (TOKEN_DUPLICATE needed, Learn DuplicateTokenEx); MAXIMUM_ALLOWED
 * on the owner's GENERIC_ALL is TOKEN_ALL_ACCESS. */
Test(token_open, handle_keeps_granted_rights)
{
    imp_world w = imp_world_new((tk_spec){.user = ALICE}, NULL);
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_token_open_result r;
    toksim_token *tok = NULL;
    ts_assert_ok(toksim_open_process_token(&r, &tok, w.thread, w.proc,
                                           TOKSIM_TOKEN_ACCESS_QUERY, NULL, &tr),
                 NULL);
    cr_assert(r.api.ok);
    cr_assert_eq(r.granted, TOKSIM_TOKEN_ACCESS_QUERY);
    bool seen = false;
    for (size_t i = 0; i < tr.count; i++)
        if (tr.events[i].rule == TOKSIM_RULE_IMP_TOKEN_HANDLE_GRANTED)
            seen = tr.events[i].mask == TOKSIM_TOKEN_ACCESS_QUERY;
    cr_assert(seen);
    toksim_trace_dispose(&tr);

    toksim_token_handle h = {tok, r.granted};
    toksim_imp_result ir;
    toksim_token *dup = NULL;
    ts_assert_ok(toksim_duplicate_token_ex(&ir, &dup, &h, TOKSIM_TOKEN_IMPERSONATION,
                                           TOKSIM_IMP_IMPERSONATION, NULL),
                 NULL);
    cr_assert_not(ir.ok);
    cr_assert_eq(ir.win32, TOKSIM_ERROR_ACCESS_DENIED);
    toksim_token_free(tok);

    ts_assert_ok(toksim_open_process_token(&r, &tok, w.thread, w.proc,
                                           0x02000000u /* MAXIMUM_ALLOWED */, NULL, NULL),
                 NULL);
    cr_assert(r.api.ok);
    cr_assert_eq(r.granted, TOKSIM_TOKEN_ACCESS_ALL);
    toksim_token_free(tok);
    imp_world_free(&w);
}

/* OpenThreadToken: no token 1008; Anonymous 1347 even as self; Identification 1346
 * unless OpenAsSelf; while impersonating at Identification OpenProcessToken fails 1346.
 */
Test(token_open, thread_token_levels)
{
    imp_world w = imp_world_new((tk_spec){.user = ALICE}, NULL);
    toksim_token_open_result r;
    toksim_token *tok = NULL;
    ts_assert_ok(toksim_open_thread_token_handle(
                     &r, &tok, w.thread, TOKSIM_TOKEN_ACCESS_QUERY, true, NULL, NULL),
                 NULL);
    cr_assert_eq(r.api.win32, TOKSIM_ERROR_NO_TOKEN);
    cr_assert_eq(r.api.ntstatus, 0xC000007Cu); /* STATUS_NO_TOKEN */
    toksim_imp_result ir;
    ts_assert_ok(toksim_impersonate_self(&ir, w.thread, TOKSIM_IMP_ANONYMOUS, NULL),
                 NULL);
    ts_assert_ok(toksim_open_thread_token_handle(
                     &r, &tok, w.thread, TOKSIM_TOKEN_ACCESS_QUERY, true, NULL, NULL),
                 NULL);
    cr_assert_eq(r.api.win32, TOKSIM_ERROR_CANT_OPEN_ANONYMOUS);
    ts_assert_ok(toksim_impersonate_self(&ir, w.thread, TOKSIM_IMP_IDENTIFICATION, NULL),
                 NULL);
    ts_assert_ok(toksim_open_thread_token_handle(
                     &r, &tok, w.thread, TOKSIM_TOKEN_ACCESS_QUERY, false, NULL, NULL),
                 NULL);
    cr_assert_eq(r.api.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    ts_assert_ok(toksim_open_process_token(&r, &tok, w.thread, w.proc,
                                           TOKSIM_TOKEN_ACCESS_QUERY, NULL, NULL),
                 NULL);
    cr_assert_eq(r.api.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    ts_assert_ok(toksim_open_thread_token_handle(
                     &r, &tok, w.thread, TOKSIM_TOKEN_ACCESS_QUERY, true, NULL, NULL),
                 NULL);
    cr_assert(r.api.ok);
    cr_assert_eq(toksim_token_level(tok), TOKSIM_IMP_IDENTIFICATION);
    toksim_token_free(tok);
    imp_world_free(&w);
}

/* NtDuplicateToken without a QoS: an impersonation source keeps its level (Learn remarks,
 * imp.nt_duplicate.no_qos); a primary source gets the UNCONFIRMED switch's level
 * (imp.nt_duplicate.no_qos_primary), Anonymous by default. */
Test(token_open, nt_duplicate_without_qos)
{
    toksim_token *imp = tk((tk_spec){
        .user = ALICE, .impersonation = true, .level = TOKSIM_IMP_IDENTIFICATION});
    toksim_token_handle h = {imp, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_nt_duplicate_request req = {.type = TOKSIM_TOKEN_IMPERSONATION};
    toksim_imp_result ir;
    toksim_token *dup = NULL;
    toksim_trace tr;
    toksim_trace_init(&tr);
    ts_assert_ok(toksim_nt_duplicate_token(&ir, &dup, &h, &req, &tr), NULL);
    cr_assert(ir.ok);
    cr_assert_eq(toksim_token_level(dup), TOKSIM_IMP_IDENTIFICATION);
    cr_assert(imp_trace_has(&tr, "imp.nt_duplicate.no_qos"));
    toksim_trace_dispose(&tr);
    toksim_token_free(dup);
    /* a QoS above the source: STATUS_BAD_IMPERSONATION_LEVEL */
    req.has_qos = true;
    req.qos_level = TOKSIM_IMP_IMPERSONATION;
    ts_assert_ok(toksim_nt_duplicate_token(&ir, &dup, &h, &req, NULL), NULL);
    cr_assert_not(ir.ok);
    cr_assert_eq(ir.ntstatus, TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL);
    cr_assert_null(dup);
    toksim_token_free(imp);

    toksim_token *prim = tk((tk_spec){.user = ALICE});
    h.token = prim;
    req.has_qos = false;
    toksim_trace_init(&tr);
    ts_assert_ok(toksim_nt_duplicate_token(&ir, &dup, &h, &req, &tr), NULL);
    cr_assert(ir.ok);
    cr_assert_eq(toksim_token_level(dup), TOKSIM_IMP_ANONYMOUS);
    cr_assert(imp_trace_has(&tr, "imp.nt_duplicate.no_qos_primary"));
    toksim_trace_dispose(&tr);
    toksim_token_free(dup);
    req.no_qos_primary_level = TOKSIM_IMP_IMPERSONATION; /* the switch flipped */
    ts_assert_ok(toksim_nt_duplicate_token(&ir, &dup, &h, &req, NULL), NULL);
    cr_assert_eq(toksim_token_level(dup), TOKSIM_IMP_IMPERSONATION);
    toksim_token_free(dup);
    /* no TOKEN_DUPLICATE on the handle: STATUS_ACCESS_DENIED */
    h.access = TOKSIM_TOKEN_ACCESS_QUERY;
    ts_assert_ok(toksim_nt_duplicate_token(&ir, &dup, &h, &req, NULL), NULL);
    cr_assert_not(ir.ok);
    cr_assert_eq(ir.ntstatus, TOKSIM_STATUS_ACCESS_DENIED);
    toksim_token_free(prim);
}

/* EffectiveOnly (imp.effective_only): disabled privileges and groups are gone; enabled
 * ones, deny-only groups and the integrity label stay (Learn NtDuplicateToken). */
Test(token_open, effective_only_keeps_the_enabled_part)
{
    toksim_token *t = tk((tk_spec){.user = ALICE, .imp_priv = IMP_PRIV_DISABLED});
    toksim_sid off = ts_test_sid("S-1-5-32-545"), deny = ts_test_sid("S-1-5-32-544");
    ts_assert_ok(toksim_token_add_group(t, &off, TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT),
                 NULL);
    ts_assert_ok(toksim_token_add_group(t, &deny, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY),
                 NULL);
    toksim_token_handle h = {t, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_nt_duplicate_request req = {.type = TOKSIM_TOKEN_IMPERSONATION,
                                       .has_qos = true,
                                       .qos_level = TOKSIM_IMP_IMPERSONATION,
                                       .effective_only = true};
    toksim_imp_result ir;
    toksim_token *dup = NULL;
    toksim_trace tr;
    toksim_trace_init(&tr);
    ts_assert_ok(toksim_nt_duplicate_token(&ir, &dup, &h, &req, &tr), NULL);
    cr_assert(ir.ok);
    cr_assert_lt(toksim_token_privilege(dup, TOKSIM_PRIV_IMPERSONATE), 0);
    cr_assert(toksim_token_privilege_enabled(dup, TOKSIM_PRIV_CHANGE_NOTIFY));
    cr_assert_null(toksim_token_find_group(dup, &off));
    cr_assert_not_null(toksim_token_find_group(dup, &deny));
    cr_assert_eq(toksim_token_integrity(dup), TOKSIM_IL_MEDIUM);
    const toksim_trace_event *ev = NULL;
    for (size_t i = 0; i < tr.count; i++)
        if (tr.events[i].rule == TOKSIM_RULE_IMP_EFFECTIVE_ONLY)
            ev = &tr.events[i];
    cr_assert_not_null(ev);
    cr_assert_eq(ev->a, 1);
    cr_assert_eq(ev->b, 1);
    toksim_trace_dispose(&tr);
    toksim_token_free(dup);
    req.effective_only = false;
    ts_assert_ok(toksim_nt_duplicate_token(&ir, &dup, &h, &req, NULL), NULL);
    cr_assert_geq(toksim_token_privilege(dup, TOKSIM_PRIV_IMPERSONATE), 0);
    cr_assert_not_null(toksim_token_find_group(dup, &off));
    toksim_token_free(dup);
    toksim_token_free(t);
}

/* ImpersonateAnonymousToken: Everyone only with EveryoneIncludesAnonymous
 * (imp.anonymous.everyone); an Everyone-granted object follows. */
Test(token_open, anonymous_everyone_policy)
{
    imp_world w = imp_world_new((tk_spec){.user = ALICE}, NULL);
    toksim_sd *sd = imp_sd_allow("S-1-1-0", 0x00120089u /* FILE_GENERIC_READ */);
    toksim_sid everyone = ts_test_sid("S-1-1-0");
    for (int eia = 0; eia <= 1; eia++) {
        toksim_trace tr;
        toksim_trace_init(&tr);
        toksim_imp_result ir;
        ts_assert_ok(toksim_impersonate_anonymous_token(&ir, w.thread, eia, &tr), NULL);
        cr_assert(ir.ok);
        const toksim_trace_event *ev = NULL;
        for (size_t i = 0; i < tr.count; i++)
            if (tr.events[i].rule == TOKSIM_RULE_IMP_ANON_EVERYONE)
                ev = &tr.events[i];
        cr_assert_not_null(ev);
        cr_assert_eq(ev->a, eia);
        toksim_trace_dispose(&tr);
        cr_assert_eq(toksim_token_find_group(toksim_thread_token(w.thread), &everyone) !=
                         NULL,
                     eia == 1);
        toksim_open_request req = {.sd = sd, .name = "readme.txt"};
        req.access.desired = 0x00120089u;
        req.access.object_type = TOKSIM_OBJ_FILE;
        toksim_open_result orr;
        ts_assert_ok(toksim_thread_open_object(&orr, w.thread, &req, NULL), NULL);
        cr_assert_eq(orr.ok, eia == 1);
    }
    toksim_sd_free(sd);
    imp_world_free(&w);
}
