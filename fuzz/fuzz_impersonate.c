/*
 * PURPOSE: property fuzzer of the impersonation test (windows-model §2.2/2.3) and of the
 * DuplicateTokenEx level rule (§2.5). The input bytes describe a process token P, a
 * client token C, a requested level and model switches; the target aborts when an
 * invariant breaks:
 *   1. the level obtained never exceeds the level requested;
 *   2. P with SeImpersonatePrivilege enabled and integrity >= C's always gets the
 * requested level (defaults of the privilege step; P not an AppContainer, see step 2's
 * exception);
 *   3. a request at or below Identification is never refused (step 1 on);
 *   4. the same inputs give the same result (pure check twice, and through
 * SetThreadToken);
 *   5. a duplicate of an impersonation token is never above the source's level;
 *   6. a network hop is deterministic, fails for a thread token below Impersonation, and
 *      arrives as the client only from an Impersonate-or-better token of a delegable
 * client. Byte layout (missing bytes read as 0): [0] P flags, [1] C flags, [2] P IL, [3]
 * C IL, [4] requested level / client level / route, [5] sessions / duplicate level,
 * [6..7] option switches ([7] also drives the network-hop request).
 */
#include "fuzz_common.h"

static const uint32_t il_table[8] = {
    TOKSIM_IL_UNTRUSTED, TOKSIM_IL_LOW,    TOKSIM_IL_MEDIUM,    TOKSIM_IL_MEDIUM_PLUS,
    TOKSIM_IL_HIGH,      TOKSIM_IL_SYSTEM, TOKSIM_IL_PROTECTED, TOKSIM_IL_MEDIUM};

static toksim_token *
make(uint8_t flags, uint8_t il, uint32_t session, uint32_t user_rid, uint64_t auth_id)
{
    toksim_sid user;
    uint32_t subs[5] = {21, 1111, 2222, 3333, user_rid};
    if (toksim_sid_make(&user, 5, subs, 5) != TOKSIM_OK)
        abort();
    toksim_token *t = NULL;
    if (toksim_token_new(&t, &user) != TOKSIM_OK)
        return NULL;
    if (toksim_token_set_integrity(t, il_table[il & 7]) != TOKSIM_OK)
        abort();
    if (flags & 0x01) {
        uint32_t attrs = (flags & 0x02) ? TOKSIM_SE_PRIVILEGE_ENABLED : 0;
        if (toksim_token_set_privilege(t, TOKSIM_PRIV_IMPERSONATE, attrs) != TOKSIM_OK)
            abort();
    }
    if (flags & 0x04)
        toksim_token_set_elevation(t, TOKSIM_ELEVATION_FULL, true);
    if (flags & 0x08) {
        toksim_sid w;
        uint32_t ws[1] = {0};
        if (toksim_sid_make(&w, 1, ws, 1) != TOKSIM_OK ||
            toksim_token_add_restricted_sid(t, &w, TOKSIM_SE_GROUP_DEFAULT) != TOKSIM_OK)
            abort();
    }
    if (flags & 0x10)
        toksim_token_set_write_restricted(t, true);
    if (flags & 0x20)
        toksim_token_set_appcontainer(t, true);
    toksim_token_set_session_id(t, session);
    toksim_token_set_auth_id(t, auth_id);
    return t;
}

static bool same_result(const toksim_imp_check_result *a,
                        const toksim_imp_check_result *b)
{
    return a->allowed == b->allowed && a->level == b->level && a->rule == b->rule &&
           a->requested == b->requested;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t in[8] = {0};
    memcpy(in, data, size < sizeof in ? size : sizeof in);
    uint8_t pf = in[0], cf = in[1];
    toksim_imp_level requested = (toksim_imp_level)(in[4] & 3);
    toksim_imp_level client_level = (toksim_imp_level)((in[4] >> 2) & 3);
    toksim_imp_route route =
        (in[4] & 0x10) ? TOKSIM_IMP_ROUTE_ANONYMOUS_TOKEN : TOKSIM_IMP_ROUTE_GENERIC;

    toksim_imp_options o;
    toksim_imp_options_init(&o);
    uint16_t sw = (uint16_t)(in[6] | (in[7] << 8));
    o.allow_below_impersonate = !(sw & 0x001);
    o.anonymous_logon_any_route = !(sw & 0x002);
    o.allow_privilege = !(sw & 0x004);
    o.check_integrity = !(sw & 0x008);
    o.allow_explicit_credentials = !(sw & 0x010);
    o.allow_same_user = !(sw & 0x020);
    o.check_uac_elevation = !(sw & 0x040);
    o.restricted_rule = (toksim_imp_restricted_rule)((sw >> 7) % 3);
    o.check_session = !(sw & 0x200);
    o.check_appcontainer = !(sw & 0x400);
    o.anonymous_stays_anonymous = !(sw & 0x800);

    uint64_t p_auth = 0x1000;
    uint64_t c_auth = (cf & 0x80) ? TOKSIM_ANONYMOUS_LOGON_LUID : 0x2000;
    toksim_token *p = make(pf, in[2], in[5] & 3, 1105, p_auth);
    toksim_token *c =
        make(cf & 0x3F, in[3], (in[5] >> 2) & 3, (pf & 0x40) ? 1105 : 1200, c_auth);
    if (!p || !c)
        abort();
    if (cf & 0x40)
        toksim_token_set_origin(c, p_auth);
    toksim_token_set_type(c, TOKSIM_TOKEN_IMPERSONATION, client_level);

    toksim_imp_check_result r1, r2;
    toksim_trace tr;
    toksim_trace_init(&tr);
    FUZZ_CHECK(toksim_imp_check(&r1, p, c, client_level, requested, route, &o, &tr) ==
               TOKSIM_OK);
    FUZZ_CHECK(toksim_imp_check(&r2, p, c, client_level, requested, route, &o, NULL) ==
               TOKSIM_OK);
    toksim_trace_dispose(&tr);

    /* 1 */
    FUZZ_CHECK(r1.level <= requested);
    FUZZ_CHECK(r1.requested == requested);
    if (r1.allowed)
        FUZZ_CHECK(r1.level == requested);
    /* 2 */
    if (o.allow_privilege && toksim_token_privilege_enabled(p, TOKSIM_PRIV_IMPERSONATE) &&
        toksim_token_integrity(p) >= toksim_token_integrity(c) &&
        !toksim_token_is_appcontainer(p))
        FUZZ_CHECK(r1.allowed && r1.level == requested);
    /* 3 */
    if (o.allow_below_impersonate && requested <= TOKSIM_IMP_IDENTIFICATION)
        FUZZ_CHECK(r1.allowed && r1.level == requested);
    /* 4 */
    FUZZ_CHECK(same_result(&r1, &r2));

    /* 4 through a thread: SetThreadToken with C at the requested level */
    if (route == TOKSIM_IMP_ROUTE_GENERIC) {
        toksim_process *proc = NULL;
        toksim_thread *th = NULL;
        FUZZ_CHECK(toksim_process_new(&proc, p, &o) == TOKSIM_OK);
        FUZZ_CHECK(toksim_thread_new(&th, proc) == TOKSIM_OK);
        toksim_token_set_type(c, TOKSIM_TOKEN_IMPERSONATION, requested);
        toksim_imp_check_result r3;
        FUZZ_CHECK(toksim_imp_check(&r3, p, c, requested, requested, route, &o, NULL) ==
                   TOKSIM_OK);
        toksim_token_handle h = {c, TOKSIM_TOKEN_ACCESS_ALL};
        toksim_imp_result ir;
        FUZZ_CHECK(toksim_set_thread_token(&ir, th, &h, NULL) == TOKSIM_OK);
        FUZZ_CHECK(ir.ok && ir.impersonating);
        FUZZ_CHECK(ir.level == r3.level && ir.downgraded == !r3.allowed);
        FUZZ_CHECK(toksim_token_level(toksim_thread_token(th)) == r3.level);
        FUZZ_CHECK(ir.level <= requested);
        toksim_thread_free(th);
        toksim_process_free(proc);
    }

    /* 5: DuplicateTokenEx never raises an impersonation token's level */
    toksim_imp_level want = (toksim_imp_level)((in[5] >> 4) & 3);
    toksim_token_set_type(c, TOKSIM_TOKEN_IMPERSONATION, client_level);
    toksim_token_handle src = {c, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_token *dup = NULL;
    toksim_imp_result dr;
    FUZZ_CHECK(toksim_duplicate_token_ex(&dr, &dup, &src, TOKSIM_TOKEN_IMPERSONATION,
                                         want, NULL) == TOKSIM_OK);
    FUZZ_CHECK(dr.ok == (want <= client_level));
    if (dup)
        FUZZ_CHECK(toksim_token_level(dup) <= client_level);
    toksim_token_free(dup);

    /* 6: network hop from a thread impersonating C: only an Impersonate-or-better token
     * of a non-sensitive client can arrive as the client; the result is deterministic */
    {
        toksim_process *proc = NULL;
        toksim_thread *th = NULL;
        FUZZ_CHECK(toksim_process_new(&proc, p, &o) == TOKSIM_OK);
        FUZZ_CHECK(toksim_thread_new(&th, proc) == TOKSIM_OK);
        toksim_token_handle h = {c, TOKSIM_TOKEN_ACCESS_ALL};
        toksim_imp_result ir;
        FUZZ_CHECK(toksim_impersonate_logged_on_user(&ir, th, &h, NULL) == TOKSIM_OK);
        const char *spns[1] = {"cifs/fs01"};
        toksim_hop_request hr;
        memset(&hr, 0, sizeof hr);
        uint8_t hb = in[7];
        hr.client_auth = (hb & 1) ? TOKSIM_AUTH_KERBEROS : TOKSIM_AUTH_NTLM;
        hr.client_cleartext = hb & 2;
        hr.client_sensitive = hb & 4;
        hr.client_protected_users = hb & 8;
        hr.server_delegation = (toksim_delegation)((hb >> 4) & 3);
        hr.allowed_spns = spns;
        hr.allowed_spn_count = (hb & 0x40) ? 1 : 0;
        hr.target_spn = "cifs/fs01";
        toksim_hop_result h1, h2;
        FUZZ_CHECK(toksim_network_hop(&h1, th, &hr, NULL) == TOKSIM_OK);
        FUZZ_CHECK(toksim_network_hop(&h2, th, &hr, NULL) == TOKSIM_OK);
        FUZZ_CHECK(h1.identity == h2.identity && h1.rule == h2.rule &&
                   h1.win32 == h2.win32);
        FUZZ_CHECK(h1.ok == (h1.identity != TOKSIM_HOP_FAILED));
        if (h1.identity == TOKSIM_HOP_CLIENT && toksim_token_auth_id(c) != p_auth) {
            FUZZ_CHECK(ir.level >= TOKSIM_IMP_IMPERSONATION);
            FUZZ_CHECK(!hr.client_sensitive && !hr.client_protected_users);
        }
        if (ir.level < TOKSIM_IMP_IMPERSONATION)
            FUZZ_CHECK(h1.identity == TOKSIM_HOP_FAILED);
        toksim_thread_free(th);
        toksim_process_free(proc);
    }

    toksim_token_free(p);
    toksim_token_free(c);
    return 0;
}
