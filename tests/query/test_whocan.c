/*
 * PURPOSE: who-can (issue 17, item 1): every expectation below is derived by hand from
 * the descriptor and the world (tests/data/world/whocan.json: alice a plain user, bob an
 * administrator, carol disabled, dave denied network logons, IIS APPPOOL\Shop, NT
 * SERVICE\Sync; win10 user rights), never from running the command: a deny ACE for
 * NETWORK keeps alice to her interactive logon; Administrators is deny-only in the UAC
 * filtered token; an OWNER RIGHTS ACE replaces the owner's implicit rights; a High
 * no-write-up label keeps Medium tokens from writing; SERVICE and IIS_IUSRS bring
 * SeImpersonatePrivilege; a share limits what NTFS grants.
 */
#include "../rules_helpers.h"

#define WORLD   "tests/data/world/whocan.json"
#define MACHINE "S-1-5-21-1000-2000-3000"

static toksim_world *load(void)
{
    toksim_world *w = NULL;
    toksim_error err = {0}, *errp = &err;
    ts_assert_ok(toksim_world_load_file(&w, WORLD, &err), errp);
    return w;
}

static toksim_sd *sddl(toksim_world *w, const char *text)
{
    toksim_sd *sd = NULL;
    toksim_error err = {0}, *errp = &err;
    toksim_sid_context ctx = toksim_world_sid_context(w);
    ts_assert_ok(toksim_sd_from_sddl(&sd, text, &ctx, &err), errp);
    return sd;
}

static toksim_whocan_query access_q(const toksim_sd *sd, uint32_t desired)
{
    toksim_whocan_query q;
    memset(&q, 0, sizeof q);
    q.kind = TOKSIM_WHOCAN_ACCESS;
    q.sd = sd;
    q.object_type = TOKSIM_OBJ_FILE;
    q.desired = desired;
    return q;
}

static toksim_whocan_result *run(toksim_world *w, const toksim_whocan_query *q)
{
    toksim_whocan_result *r = NULL;
    toksim_error err = {0}, *errp = &err;
    ts_assert_ok(toksim_whocan_run(&r, w, q, &err), errp);
    return r;
}

/* The answer of principal `sid` for logon type `t` and token kind `k`, or NULL. */
static const toksim_whocan_answer *find(const toksim_whocan_result *r,
                                        const char *sid,
                                        toksim_logon_type t,
                                        toksim_whocan_token_kind k)
{
    toksim_sid s = ts_test_sid(sid);
    for (size_t i = 0; i < toksim_whocan_answer_count(r); i++) {
        const toksim_whocan_answer *a = toksim_whocan_answer_at(r, i);
        if (toksim_sid_equal(&a->principal, &s) && a->logon_type == t &&
            a->token_kind == k)
            return a;
    }
    return NULL;
}

static size_t answers_of(const toksim_whocan_result *r, const char *sid)
{
    toksim_sid s = ts_test_sid(sid);
    size_t n = 0;
    for (size_t i = 0; i < toksim_whocan_answer_count(r); i++)
        n += toksim_sid_equal(&toksim_whocan_answer_at(r, i)->principal, &s);
    return n;
}

static bool has_reason(const toksim_whocan_answer *a, toksim_rule rule, const char *sid)
{
    toksim_sid s;
    if (sid)
        s = ts_test_sid(sid);
    for (size_t i = 0; a && i < a->reason_count; i++)
        if (a->reasons[i].rule == rule &&
            (!sid || (a->reasons[i].has_sid && toksim_sid_equal(&a->reasons[i].sid, &s))))
            return true;
    return false;
}

#define ALICE MACHINE "-1001"
#define BOB   MACHINE "-1002"
#define CAROL MACHINE "-1003"
#define DAVE  MACHINE "-1004"
#define FR    0x120089u
#define FW    0x120116u

Test(whocan, deny_ace_for_network_leaves_alice_only_her_interactive_logon)
{
    /* Users (which holds INTERACTIVE and Authenticated Users) may read, NETWORK may not.
     * win10: alice holds only the interactive and network logon rights; the network
     * token holds NETWORK, which ACE 0 denies. */
    toksim_world *w = load();
    toksim_sd *sd = sddl(w, "O:BAG:SYD:(D;;FR;;;NU)(A;;FR;;;BU)");
    toksim_whocan_query q = access_q(sd, FR);
    toksim_whocan_result *r = run(w, &q);
    const toksim_whocan_answer *a =
        find(r, ALICE, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_LOGON);
    cr_assert(a && a->granted && a->granted_mask == FR);
    cr_assert(has_reason(a, ts_rule("access.ace.allow"), "S-1-5-32-545"));
    cr_assert_eq(answers_of(r, ALICE), 1, "only the interactive answer is granted");
    cr_assert_eq(answers_of(r, CAROL), 0, "a disabled account gets no token at all");
    toksim_whocan_result_free(r);
    q.include_denied = true;
    r = run(w, &q);
    a = find(r, ALICE, TOKSIM_LOGON_NETWORK, TOKSIM_WHOCAN_T_LOGON);
    cr_assert(a && a->logon_ok && !a->granted);
    cr_assert(has_reason(a, ts_rule("access.ace.deny"), "S-1-5-2"));
    a = find(r, ALICE, TOKSIM_LOGON_BATCH, TOKSIM_WHOCAN_T_LOGON);
    cr_assert(a && !a->logon_ok && a->logon_win32 == 1385, "win10: no SeBatchLogonRight");
    a = find(r, CAROL, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_LOGON);
    cr_assert(a && !a->logon_ok && a->logon_win32 == 1331);
    /* dave holds SeDenyNetworkLogonRight: no network token (1385), whatever the ACL */
    a = find(r, DAVE, TOKSIM_LOGON_NETWORK, TOKSIM_WHOCAN_T_LOGON);
    cr_assert(a && !a->logon_ok && a->logon_win32 == 1385);
    toksim_whocan_result_free(r);
    toksim_sd_free(sd);
    toksim_world_free(w);
}

Test(whocan, uac_filtered_token_holds_administrators_for_deny_only)
{
    toksim_world *w = load();
    toksim_sd *sd = sddl(w, "O:SYG:SYD:(A;;FA;;;BA)");
    toksim_whocan_query q = access_q(sd, FR);
    q.include_denied = true;
    toksim_whocan_result *r = run(w, &q);
    const toksim_whocan_answer *f =
        find(r, BOB, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_FILTERED);
    const toksim_whocan_answer *e =
        find(r, BOB, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_ELEVATED);
    cr_assert(f && e, "an administrator's interactive logon is two answers");
    cr_assert(!f->granted &&
              has_reason(f, ts_rule("access.ace.deny_only_group"), "S-1-5-32-544"));
    cr_assert(e->granted && e->maximum_mask == 0x1F01FF);
    /* batch logons are not split (UAC): one full token */
    const toksim_whocan_answer *b =
        find(r, BOB, TOKSIM_LOGON_BATCH, TOKSIM_WHOCAN_T_LOGON);
    cr_assert(b && b->granted);
    /* a local administrator over the network: the filtered token only */
    cr_assert(find(r, BOB, TOKSIM_LOGON_NETWORK, TOKSIM_WHOCAN_T_FILTERED));
    cr_assert_null(find(r, BOB, TOKSIM_LOGON_NETWORK, TOKSIM_WHOCAN_T_ELEVATED));
    cr_assert(!find(r, ALICE, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_LOGON)->granted);
    toksim_whocan_result_free(r);
    toksim_sd_free(sd);
    toksim_world_free(w);
}

Test(whocan, owner_rights_ace_replaces_the_owners_implicit_write_dac)
{
    toksim_world *w = load();
    /* alice owns the file; without an OWNER RIGHTS ACE she gets WRITE_DAC implicitly */
    toksim_sd *plain = sddl(w, "O:" ALICE "G:SYD:(A;;FR;;;WD)");
    toksim_sd *ow = sddl(w, "O:" ALICE "G:SYD:(A;;FR;;;WD)(A;;FR;;;OW)");
    toksim_whocan_query q = access_q(plain, 0x00040000u /* WRITE_DAC */);
    toksim_sid alice = ts_test_sid(ALICE);
    q.principal = &alice;
    toksim_whocan_result *r = run(w, &q);
    const toksim_whocan_answer *a =
        find(r, ALICE, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_LOGON);
    cr_assert(a && a->granted && has_reason(a, ts_rule("access.owner.implicit"), NULL));
    toksim_whocan_result_free(r);
    q.sd = ow;
    r = run(w, &q);
    cr_assert_eq(toksim_whocan_answer_count(r), 0,
                 "OWNER RIGHTS grants read only: the implicit WRITE_DAC is gone");
    toksim_whocan_result_free(r);
    toksim_sd_free(plain);
    toksim_sd_free(ow);
    toksim_world_free(w);
}

Test(whocan, high_no_write_up_label_excludes_medium_tokens)
{
    toksim_world *w = load();
    toksim_sd *sd = sddl(w, "O:BAG:SYD:(A;;FA;;;WD)S:(ML;;NW;;;HI)");
    toksim_whocan_query q = access_q(sd, FW);
    toksim_whocan_result *r = run(w, &q);
    cr_assert_eq(answers_of(r, ALICE), 0, "Medium tokens cannot write up to High");
    cr_assert_null(find(r, BOB, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_FILTERED));
    cr_assert(find(r, BOB, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_ELEVATED));
    cr_assert(find(r, "S-1-5-18", TOKSIM_LOGON_SERVICE, TOKSIM_WHOCAN_T_LOGON));
    toksim_whocan_result_free(r);
    toksim_sd_free(sd);
    toksim_world_free(w);
}

Test(whocan, virtual_accounts_answer_with_their_service_managers_tokens)
{
    toksim_world *w = load();
    toksim_whocan_query q;
    memset(&q, 0, sizeof q);
    q.kind = TOKSIM_WHOCAN_PRIVILEGE;
    q.right = 29; /* SeImpersonatePrivilege: win10 gives it to SERVICE */
    toksim_whocan_result *r = run(w, &q);
    toksim_sid shop, sync;
    toksim_error err = {0}, *errp = &err;
    ts_assert_ok(toksim_sid_virtual(&shop, TOKSIM_VIRTUAL_APPPOOL, "Shop", &err), errp);
    ts_assert_ok(toksim_sid_virtual(&sync, TOKSIM_VIRTUAL_SERVICE, "Sync", &err), errp);
    char s1[TOKSIM_SID_STRING_MAX], s2[TOKSIM_SID_STRING_MAX];
    toksim_sid_format(s1, sizeof s1, &shop);
    toksim_sid_format(s2, sizeof s2, &sync);
    const toksim_whocan_answer *p =
        find(r, s1, TOKSIM_LOGON_SERVICE, TOKSIM_WHOCAN_T_APPPOOL);
    const toksim_whocan_answer *s =
        find(r, s2, TOKSIM_LOGON_SERVICE, TOKSIM_WHOCAN_T_SERVICE);
    cr_assert(p && p->granted && s && s->granted);
    cr_assert(has_reason(s, ts_rule("logon.privilege.granted"), "S-1-5-6"),
              "the SCM's SERVICE group brings it");
    cr_assert(s->enabled, "SeImpersonatePrivilege starts enabled");
    cr_assert(ts_trace_has(toksim_whocan_trace(r), ts_rule("query.whocan.service_token"),
                           TOKSIM_V_INFO));
    cr_assert(find(r, "S-1-5-20", TOKSIM_LOGON_SERVICE, TOKSIM_WHOCAN_T_LOGON));
    cr_assert_null(find(r, ALICE, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_LOGON));
    cr_assert_null(find(r, BOB, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_FILTERED),
                   "the filtered token loses SeImpersonatePrivilege");
    cr_assert(find(r, BOB, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_ELEVATED));
    toksim_whocan_result_free(r);
    /* Only IIS_IUSRS holds it: WAS injects IIS_IUSRS into the pool's worker, the SCM
     * gives the service SERVICE only. */
    toksim_sid iis = ts_test_sid("S-1-5-32-568");
    ts_assert_ok(toksim_policy_set(toksim_world_policy(w), 29, &iis, 1), NULL);
    r = run(w, &q);
    p = find(r, s1, TOKSIM_LOGON_SERVICE, TOKSIM_WHOCAN_T_APPPOOL);
    cr_assert(p && p->granted &&
              has_reason(p, ts_rule("logon.privilege.granted"), "S-1-5-32-568"));
    cr_assert_null(find(r, s2, TOKSIM_LOGON_SERVICE, TOKSIM_WHOCAN_T_SERVICE));
    cr_assert_null(find(r, "S-1-5-20", TOKSIM_LOGON_SERVICE, TOKSIM_WHOCAN_T_LOGON));
    toksim_whocan_result_free(r);
    toksim_world_free(w);
}

Test(whocan, logon_right_answers_come_from_the_logon_right_check)
{
    toksim_world *w = load();
    toksim_whocan_query q;
    memset(&q, 0, sizeof q);
    q.kind = TOKSIM_WHOCAN_LOGON_RIGHT;
    q.right = TOKSIM_RIGHT_NETWORK_LOGON;
    q.include_denied = true;
    toksim_whocan_result *r = run(w, &q);
    const toksim_whocan_answer *a =
        find(r, ALICE, TOKSIM_LOGON_NETWORK, TOKSIM_WHOCAN_T_LOGON);
    const toksim_whocan_answer *d =
        find(r, DAVE, TOKSIM_LOGON_NETWORK, TOKSIM_WHOCAN_T_LOGON);
    cr_assert(a && a->granted && has_reason(a, ts_rule("logon.right.granted"), NULL));
    cr_assert(d && !d->granted && has_reason(d, ts_rule("logon.right.deny"), DAVE));
    cr_assert_null(find(r, ALICE, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_LOGON),
                   "only the logon type the right gates is asked");
    toksim_whocan_result_free(r);
    /* the Deny right: who holds it */
    q.right = TOKSIM_RIGHT_DENY_NETWORK_LOGON;
    q.include_denied = false;
    r = run(w, &q);
    cr_assert_eq(toksim_whocan_answer_count(r), 1);
    cr_assert(find(r, DAVE, TOKSIM_LOGON_NETWORK, TOKSIM_WHOCAN_T_LOGON));
    toksim_whocan_result_free(r);
    toksim_world_free(w);
}

Test(whocan, share_permissions_limit_what_ntfs_grants_over_the_network)
{
    toksim_world *w = load();
    toksim_sd *ntfs = sddl(w, "O:BAG:SYD:(A;;FA;;;BU)");
    toksim_sd *share = sddl(w, "O:BAG:SYD:(A;;FR;;;WD)");
    toksim_whocan_query q = access_q(ntfs, FW);
    q.share_sd = share;
    q.remote = true;
    toksim_whocan_result *r = run(w, &q);
    cr_assert_eq(toksim_whocan_answer_count(r), 0, "the share grants read only");
    cr_assert(ts_trace_has(toksim_whocan_trace(r),
                           ts_rule("query.whocan.remote_network_only"), TOKSIM_V_INFO));
    toksim_whocan_result_free(r);
    q.desired = FR;
    r = run(w, &q);
    const toksim_whocan_answer *a =
        find(r, ALICE, TOKSIM_LOGON_NETWORK, TOKSIM_WHOCAN_T_LOGON);
    cr_assert(a && a->granted && a->via_share);
    cr_assert_eq(a->ntfs_mask, 0x1F01FF);
    cr_assert_eq(a->share_mask, FR);
    cr_assert_eq(a->maximum_mask, FR, "share and NTFS: the smaller grant");
    cr_assert(has_reason(a, ts_rule("query.whocan.share_limits"), NULL));
    cr_assert_null(find(r, ALICE, TOKSIM_LOGON_INTERACTIVE, TOKSIM_WHOCAN_T_LOGON),
                   "a remote object is reached over the network only");
    toksim_whocan_result_free(r);
    toksim_sd_free(ntfs);
    toksim_sd_free(share);
    toksim_world_free(w);
}

Test(whocan, explain_gives_the_full_trace_of_one_answer)
{
    toksim_world *w = load();
    toksim_sd *sd = sddl(w, "O:BAG:SYD:(D;;FR;;;NU)(A;;FR;;;BU)");
    toksim_whocan_query q = access_q(sd, FR);
    toksim_sid alice = ts_test_sid(ALICE);
    toksim_trace t;
    toksim_trace_init(&t);
    bool found = false;
    toksim_whocan_answer a;
    toksim_error err = {0}, *errp = &err;
    ts_assert_ok(toksim_whocan_explain(&found, &a, w, &q, &alice, TOKSIM_LOGON_NETWORK,
                                       TOKSIM_WHOCAN_T_LOGON, &t, &err),
                 errp);
    cr_assert(found && !a.granted);
    cr_assert(ts_trace_has(&t, ts_rule("logon.right.granted"), TOKSIM_V_GRANT),
              "the logon's own events come first");
    cr_assert(ts_trace_has(&t, ts_rule("access.ace.deny"), TOKSIM_V_DENY));
    toksim_trace_dispose(&t);
    toksim_sd_free(sd);
    toksim_world_free(w);
}

Test(whocan, unknown_principal_and_bad_rights_are_errors)
{
    toksim_world *w = load();
    toksim_whocan_query q;
    memset(&q, 0, sizeof q);
    q.kind = TOKSIM_WHOCAN_PRIVILEGE;
    q.right = TOKSIM_RIGHT_NETWORK_LOGON; /* a logon right is not a privilege */
    toksim_whocan_result *r = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_whocan_run(&r, w, &q, &err), TOKSIM_EINVAL);
    q.right = 29;
    toksim_sid users = ts_test_sid("S-1-5-32-545");
    q.principal = &users; /* a group does not log on */
    cr_assert_eq(toksim_whocan_run(&r, w, &q, &err), TOKSIM_ENOTFOUND);
    cr_assert(strstr(err.message, "BUILTIN\\Users"), "%s", err.message);
    q.principal = NULL;
    q.kind = TOKSIM_WHOCAN_ACCESS;
    cr_assert_eq(toksim_whocan_run(&r, w, &q, &err), TOKSIM_EINVAL, "no descriptor");
    cr_assert_null(r);
    toksim_world_free(w);
}

Test(whocan, declared_pools_and_services_use_their_declared_identities)
{
    /* tests/data/world/pools_services.json (issue 18): only IIS_IUSRS holds
     * SeImpersonatePrivilege. WAS injects IIS_IUSRS into every worker token unless
     * manualGroupMembership is set (IIS docs), whatever the pool identity; the SCM puts
     * no IIS_IUSRS in a service's token. */
    toksim_world *w = NULL;
    toksim_error err = {0}, *errp = &err;
    ts_assert_ok(toksim_world_load_file(&w, "tests/data/world/pools_services.json", &err),
                 errp);
    toksim_sid iis = ts_test_sid("S-1-5-32-568");
    ts_assert_ok(toksim_policy_set(toksim_world_policy(w), 29, &iis, 1), NULL);
    toksim_whocan_query q;
    memset(&q, 0, sizeof q);
    q.kind = TOKSIM_WHOCAN_PRIVILEGE;
    q.right = 29;
    toksim_whocan_result *r = run(w, &q);
    bool intranet = false, legacy = false, services = false;
    for (size_t i = 0; i < toksim_whocan_answer_count(r); i++) {
        const toksim_whocan_answer *a = toksim_whocan_answer_at(r, i);
        if (strcmp(a->via, "pool Intranet as CONTOSO\\svc_web") == 0)
            intranet = a->token_kind == TOKSIM_WHOCAN_T_APPPOOL &&
                       has_reason(a, ts_rule("logon.privilege.granted"), "S-1-5-32-568");
        legacy = legacy || strcmp(a->via, "pool Legacy") == 0;
        services = services || strcmp(a->via, "service MSSQLSERVER") == 0 ||
                   strcmp(a->via, "service SQLAgent as CONTOSO\\gmsa_sql$") == 0;
    }
    cr_assert(intranet, "a SpecificUser pool's worker holds it through IIS_IUSRS");
    cr_assert(!legacy, "manualGroupMembership: no IIS_IUSRS, no privilege");
    cr_assert(!services, "the SCM puts SERVICE, not IIS_IUSRS, in a service's token");
    toksim_whocan_result_free(r);
    toksim_world_free(w);
}

Test(whocan, a_restricted_service_sid_type_limits_writes_to_its_restricting_sids)
{
    /* W32Time runs as LOCAL SERVICE with SERVICE_SID_TYPE_RESTRICTED: a write-restricted
     * token whose restricting SIDs (the service SID, Everyone, WRITE RESTRICTED, the
     * logon SID) do not include LOCAL SERVICE, so an ACE for LOCAL SERVICE alone grants
     * it read but not write (SERVICE_SID_INFO, Microsoft Learn); LOCAL SERVICE itself
     * writes. */
    toksim_world *w = NULL;
    toksim_error err = {0}, *errp = &err;
    ts_assert_ok(toksim_world_load_file(&w, "tests/data/world/pools_services.json", &err),
                 errp);
    toksim_sd *sd = sddl(w, "O:BAG:SYD:(A;;FA;;;LS)");
    toksim_whocan_query q = access_q(sd, FW);
    q.include_denied = true;
    toksim_whocan_result *r = run(w, &q);
    const toksim_whocan_answer *ls =
        find(r, "S-1-5-19", TOKSIM_LOGON_SERVICE, TOKSIM_WHOCAN_T_LOGON);
    cr_assert(ls && ls->granted);
    const toksim_whocan_answer *wt = NULL;
    for (size_t i = 0; i < toksim_whocan_answer_count(r); i++)
        if (strcmp(toksim_whocan_answer_at(r, i)->via,
                   "service W32Time as NT AUTHORITY\\LOCAL SERVICE") == 0)
            wt = toksim_whocan_answer_at(r, i);
    cr_assert(wt && wt->logon_ok && !wt->granted);
    cr_assert(has_reason(wt, ts_rule("access.restricted.pass"), NULL));
    cr_assert_eq(wt->maximum_mask & 0x2u, 0, "no FILE_WRITE_DATA");
    cr_assert(wt->maximum_mask & 0x1u, "FILE_READ_DATA: the restriction is for writes");
    toksim_whocan_result_free(r);
    toksim_sd_free(sd);
    toksim_world_free(w);
}
