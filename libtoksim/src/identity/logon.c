/*
 * PURPOSE: LogonUser: account checks, the logon-right check, and the token LSA builds for
 * each logon type (groups, privileges with their initial state, integrity, owner, default
 * DACL, type, logon session and origin), UAC split tokens via uac.c, and the built-in
 * service accounts.
 *
 * Modelled (windows-model): §4.1 logon types, their SIDs and rights (Deny wins, 1385);
 * §4.2 the groups LSA adds (Everyone, logon-type SID, Authenticated Users except Guest,
 * logon SID with 0xC0000007, LOCAL, CONSOLE LOGON, This Organization, NTLM
 * Authentication) and the SAM/domain groups found by nested expansion; §4.3 initial
 * privilege state; §4.4 UAC; §4.5 built-in accounts; [D-TOKORIGIN] origin = caller's
 * logon session for explicit-credential logons, 0 for tokens from network authentication;
 * [D-LOGONUSER] network logons return an impersonation token. Issue 18: computer
 * accounts refused except over the network (1808), the account state (lockout, expiry,
 * password, workstations, logon hours), the authentication-package SIDs (NTLM, Kerberos
 * S-1-18-1, S4U S-1-18-2), the ANONYMOUS LOGON null session, the world's UAC settings.
 * Left out: Kerberos PAC contents beyond S-1-18-x, claims, cached logons' differences,
 * Other Organization (no trusts in the world).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "identity/identity_int.h"
#include "core/token_int.h" /* ts_token_new_reserved, ts_token_take_default_dacl */

#define TS_SE_GROUP_LOGON                                                                \
    0xC0000007u /* Mandatory|EnabledByDefault|Enabled|LogonId (§4.2) */

void toksim_logon_options_init(toksim_logon_options *opt)
{
    const toksim_logon_options d = TOKSIM_LOGON_OPTIONS_INIT;
    *opt = d;
}

static const struct {
    toksim_logon_type type;
    const char *name;
} type_names[] = {{TOKSIM_LOGON_INTERACTIVE, "interactive"},
                  {TOKSIM_LOGON_NETWORK, "network"},
                  {TOKSIM_LOGON_BATCH, "batch"},
                  {TOKSIM_LOGON_SERVICE, "service"},
                  {TOKSIM_LOGON_UNLOCK, "unlock"},
                  {TOKSIM_LOGON_NETWORK_CLEARTEXT, "network-cleartext"},
                  {TOKSIM_LOGON_NEW_CREDENTIALS, "new-credentials"},
                  {TOKSIM_LOGON_REMOTE_INTERACTIVE, "remote-interactive"},
                  {TOKSIM_LOGON_CACHED_INTERACTIVE, "cached-interactive"}};

const char *toksim_logon_type_name(toksim_logon_type type)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (type_names[i].type == type)
            return type_names[i].name;
    return "unknown";
}

toksim_status toksim_logon_type_parse(toksim_logon_type *out, const char *name)
{
    if (!name)
        return TOKSIM_EINVAL;
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++) {
        char num[8]; /* the type's number as "%d" writes it (the types are 2..11) */
        int v = (int)type_names[i].type;
        size_t k = 0;
        if (v >= 10)
            num[k++] = (char)('0' + v / 10 % 10);
        num[k++] = (char)('0' + v % 10);
        num[k] = '\0';
        if (ts_strcasecmp(type_names[i].name, name) == 0 || strcmp(num, name) == 0) {
            *out = type_names[i].type;
            return TOKSIM_OK;
        }
    }
    return TOKSIM_ENOTFOUND;
}

toksim_status toksim_auth_package_parse(toksim_auth_package *out, const char *name)
{
    static const struct {
        const char *name;
        toksim_auth_package p;
    } pk[] = {{"negotiate", TOKSIM_AUTH_DEFAULT},
              {"ntlm", TOKSIM_AUTH_NTLM},
              {"kerberos", TOKSIM_AUTH_KERBEROS},
              {"s4u", TOKSIM_AUTH_S4U}};
    if (!out || !name)
        return TOKSIM_EINVAL;
    for (size_t i = 0; i < sizeof pk / sizeof pk[0]; i++)
        if (ts_strcasecmp(pk[i].name, name) == 0) {
            *out = pk[i].p;
            return TOKSIM_OK;
        }
    return TOKSIM_ENOTFOUND;
}

bool toksim_logon_type_sid(toksim_logon_type type, toksim_sid *out)
{
    switch (type) {
    case TOKSIM_LOGON_INTERACTIVE:
    case TOKSIM_LOGON_UNLOCK:
    case TOKSIM_LOGON_CACHED_INTERACTIVE:
    case TOKSIM_LOGON_REMOTE_INTERACTIVE:
        *out = TS_SID_INTERACTIVE;
        return true;
    case TOKSIM_LOGON_NETWORK:
    case TOKSIM_LOGON_NETWORK_CLEARTEXT:
        *out = TS_SID_NETWORK;
        return true;
    case TOKSIM_LOGON_BATCH:
        *out = TS_SID_BATCH;
        return true;
    case TOKSIM_LOGON_SERVICE:
        *out = TS_SID_SERVICE;
        return true;
    case TOKSIM_LOGON_NEW_CREDENTIALS:
        break;
    }
    return false;
}

void toksim_logon_type_rights(toksim_logon_type type,
                              uint32_t *allow_right,
                              uint32_t *deny_right)
{
    uint32_t a = TOKSIM_RIGHT_NONE, d = TOKSIM_RIGHT_NONE;
    switch (type) {
    case TOKSIM_LOGON_INTERACTIVE:
    case TOKSIM_LOGON_UNLOCK:
    case TOKSIM_LOGON_CACHED_INTERACTIVE:
        a = TOKSIM_RIGHT_INTERACTIVE_LOGON, d = TOKSIM_RIGHT_DENY_INTERACTIVE_LOGON;
        break;
    case TOKSIM_LOGON_NETWORK:
    case TOKSIM_LOGON_NETWORK_CLEARTEXT:
        a = TOKSIM_RIGHT_NETWORK_LOGON, d = TOKSIM_RIGHT_DENY_NETWORK_LOGON;
        break;
    case TOKSIM_LOGON_BATCH:
        a = TOKSIM_RIGHT_BATCH_LOGON, d = TOKSIM_RIGHT_DENY_BATCH_LOGON;
        break;
    case TOKSIM_LOGON_SERVICE:
        a = TOKSIM_RIGHT_SERVICE_LOGON, d = TOKSIM_RIGHT_DENY_SERVICE_LOGON;
        break;
    case TOKSIM_LOGON_REMOTE_INTERACTIVE:
        a = TOKSIM_RIGHT_REMOTE_INTERACTIVE_LOGON,
        d = TOKSIM_RIGHT_DENY_REMOTE_INTERACTIVE_LOGON;
        break;
    case TOKSIM_LOGON_NEW_CREDENTIALS:
        break;
    }
    if (allow_right)
        *allow_right = a;
    if (deny_right)
        *deny_right = d;
}

static const char *right_name(uint32_t r)
{
    const toksim_right_info *i = toksim_right_get(r);
    return i ? i->name : "?";
}

toksim_status toksim_logon_check_right(toksim_logon_right_check *out,
                                       const toksim_policy *policy,
                                       toksim_logon_type type,
                                       const toksim_sid *sids,
                                       size_t count,
                                       uint32_t flags,
                                       toksim_trace *trace)
{
    memset(out, 0, sizeof *out);
    if (!policy || (!sids && count))
        return TOKSIM_EINVAL;
    toksim_logon_type_rights(type, &out->right, &out->deny_right);
    if (out->right == TOKSIM_RIGHT_NONE) {
        /* §4.1: NewCredentials checks no right (UNCONFIRMED:
         * TOKSIM_LOGON_NEWCRED_SKIPS_RIGHTS). */
        if (type == TOKSIM_LOGON_NEW_CREDENTIALS &&
            !(flags & TOKSIM_LOGON_NEWCRED_SKIPS_RIGHTS)) {
            out->right = TOKSIM_RIGHT_INTERACTIVE_LOGON;
            out->deny_right = TOKSIM_RIGHT_DENY_INTERACTIVE_LOGON;
        } else {
            out->granted = true;
            ts_trace(trace, TOKSIM_RULE_LOGON_RIGHT_NOT_CHECKED, TOKSIM_V_INFO, NULL,
                     NULL, 0, type, 0, 0, NULL);
            return TOKSIM_OK;
        }
    }
    /* Deny always beats allow ([D-ACCRIGHTS]: "the SE_DENY rights override"). */
    const toksim_sid *d = toksim_policy_held_by_any(policy, out->deny_right, sids, count);
    if (d) {
        out->denied_explicitly = true;
        out->has_sid = true;
        out->sid = *d;
        ts_trace(trace, TOKSIM_RULE_LOGON_RIGHT_DENIED, TOKSIM_V_DENY, d, NULL, 0, type,
                 0, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED, right_name(out->deny_right));
        return TOKSIM_OK;
    }
    /* Implicit rights (§4.1, §7.1): NETWORK SERVICE's service right is documented;
     * LocalSystem's and LOCAL SERVICE's are UNCONFIRMED and switchable. */
    const toksim_sid sys = TS_SID_SYSTEM, ls = TS_SID_LOCAL_SERVICE,
                     ns = TS_SID_NETWORK_SERVICE;
    const toksim_sid *imp = NULL;
    if ((flags & TOKSIM_LOGON_SYSTEM_IMPLICIT_RIGHTS) &&
        ts_sids_contain(sids, count, &sys))
        imp = &sys;
    else if (type == TOKSIM_LOGON_SERVICE &&
             (flags & TOKSIM_LOGON_NETWORKSERVICE_IMPLICIT_SERVICE) &&
             ts_sids_contain(sids, count, &ns))
        imp = &ns;
    else if (type == TOKSIM_LOGON_SERVICE &&
             (flags & TOKSIM_LOGON_LOCALSERVICE_IMPLICIT_SERVICE) &&
             ts_sids_contain(sids, count, &ls))
        imp = &ls;
    const toksim_sid *a = toksim_policy_held_by_any(policy, out->right, sids, count);
    if (a) {
        out->granted = true;
        out->has_sid = true;
        out->sid = *a;
        ts_trace(trace, TOKSIM_RULE_LOGON_RIGHT_GRANTED, TOKSIM_V_GRANT, a, NULL, 0, type,
                 0, 0, right_name(out->right));
    } else if (imp) {
        out->granted = true;
        out->implicit = true;
        out->has_sid = true;
        out->sid = *imp;
        ts_trace(trace, TOKSIM_RULE_LOGON_RIGHT_IMPLICIT, TOKSIM_V_GRANT, imp, NULL, 0,
                 type, 0, 0, right_name(out->right));
    } else {
        ts_trace(trace, TOKSIM_RULE_LOGON_RIGHT_MISSING, TOKSIM_V_DENY, NULL, NULL, 0,
                 type, 0, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED, right_name(out->right));
    }
    return TOKSIM_OK;
}

/* ---- token construction ---- */

typedef struct gl {
    toksim_group *v;
    size_t n, cap;
} gl;

static toksim_status gl_add(gl *g, const toksim_sid *sid, uint32_t attrs)
{
    /* count and RID first, as ts_sids_contain (issue 11) */
    const unsigned c = sid->count;
    const uint32_t last = c ? sid->sub[c - 1] : 0;
    for (size_t i = 0; i < g->n; i++)
        if (g->v[i].sid.count == c && (!c || g->v[i].sid.sub[c - 1] == last) &&
            toksim_sid_equal(&g->v[i].sid, sid))
            return TOKSIM_OK;
    if (g->n >= TOKSIM_TOKEN_MAX_GROUPS)
        return TOKSIM_ELIMIT;
    if (!ts_grow((void **)&g->v, &g->cap, g->n + 1, sizeof *g->v))
        return TOKSIM_ENOMEM;
    g->v[g->n].sid = *sid;
    g->v[g->n].attributes = attrs;
    g->n++;
    return TOKSIM_OK;
}

static bool is_virtual_sid(const toksim_sid *s)
{
    if (toksim_sid_authority(s) != 5 || s->count < 2)
        return false;
    uint32_t a = s->sub[0];
    return (a == 80 || a == 82 || a == 83 || a == 99) && s->count == 6;
}

static bool is_builtin_service(const toksim_sid *s)
{
    return toksim_sid_authority(s) == 5 && s->count == 1 && s->sub[0] >= 18 &&
           s->sub[0] <= 20;
}

toksim_logon_type toksim_logon_default_type(const toksim_sid *sid)
{
    /* Service identities log on as services (LocalSystem, LocalService, NetworkService,
     * NT SERVICE\x = S-1-5-80-..., IIS APPPOOL\x = S-1-5-82-...: the SCM and WAS use
     * LOGON32_LOGON_SERVICE for them); every other account interactively. */
    if (!sid)
        return TOKSIM_LOGON_INTERACTIVE;
    const toksim_sid anonymous = TS_SID_ANONYMOUS;
    if (toksim_sid_equal(sid, &anonymous))
        return TOKSIM_LOGON_NETWORK; /* ANONYMOUS LOGON exists only as a null session */
    if (is_builtin_service(sid) || (toksim_sid_authority(sid) == 5 && sid->count == 6 &&
                                    (sid->sub[0] == 80 || sid->sub[0] == 82)))
        return TOKSIM_LOGON_SERVICE;
    return TOKSIM_LOGON_INTERACTIVE;
}

toksim_status toksim_logon_remote_network_token(toksim_token **out,
                                                const toksim_sid *user)
{
    if (!out || !user)
        return TOKSIM_EINVAL;
    *out = NULL;
    toksim_token *t = NULL;
    toksim_status rc = toksim_token_new(&t, user);
    const toksim_sid everyone = TS_SID_EVERYONE, au = TS_SID_AUTH_USERS;
    if (rc == TOKSIM_OK)
        rc = toksim_token_add_group(t, &everyone, TOKSIM_SE_GROUP_DEFAULT);
    if (rc == TOKSIM_OK)
        rc = toksim_token_add_group(t, &au, TOKSIM_SE_GROUP_DEFAULT);
    /* The logon-type SID of a network logon (windows-model §4.1: NETWORK S-1-5-2). */
    const uint32_t network_rid = 2;
    toksim_sid network;
    if (rc == TOKSIM_OK)
        rc = toksim_sid_make(&network, 5, &network_rid, 1);
    if (rc == TOKSIM_OK)
        rc = toksim_token_add_group(t, &network, TOKSIM_SE_GROUP_DEFAULT);
    if (rc == TOKSIM_OK) /* a network logon: Medium integrity (windows-model §4) */
        rc = toksim_token_set_integrity(t, TOKSIM_IL_MEDIUM);
    if (rc != TOKSIM_OK) {
        toksim_token_free(t);
        return rc;
    }
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    *out = t;
    return TOKSIM_OK;
}

static void classify(const toksim_world *w, const toksim_sid *sid, ts_acct_info *ai)
{
    memset(ai, 0, sizeof *ai);
    ai->sid = *sid;
    toksim_account a;
    bool found = toksim_world_lookup_sid(w, sid, &a);
    ai->builtin_service = is_builtin_service(sid);
    ai->is_virtual = is_virtual_sid(sid);
    ai->known = found || ai->is_virtual;
    /* IUSR (S-1-5-17): the built-in IIS anonymous account, logon session 0x3E3
     * ([D-IIS-ACCT]). */
    ai->is_iusr = toksim_sid_authority(sid) == 5 && sid->count == 1 && sid->sub[0] == 17;
    ai->known = ai->known || ai->is_iusr;
    ai->is_user = ai->builtin_service || ai->is_virtual || ai->is_iusr ||
                  (found && a.kind == TOKSIM_ACCOUNT_USER);
    if (found) {
        ai->flags = a.flags;
        ai->password = a.password;
        ai->domain_account = a.scope == TOKSIM_SCOPE_DOMAIN;
        /* A domain user account named NAME$ is a computer (workstation trust) account. */
        size_t nl = a.name ? strlen(a.name) : 0;
        ai->computer = ai->domain_account && a.kind == TOKSIM_ACCOUNT_USER &&
                       ((a.flags & TOKSIM_ACCOUNT_COMPUTER) ||
                        (nl > 1 && a.name[nl - 1] == '$' &&
                         !(a.flags & TOKSIM_ACCOUNT_MANAGED_SERVICE)));
        ai->managed = ai->domain_account && (a.flags & TOKSIM_ACCOUNT_MANAGED_SERVICE);
        /* issue 18: an account of a trusted domain (world "trusts") */
        if (a.scope == TOKSIM_SCOPE_TRUSTED)
            ai->trust = toksim_world_trust_of(w, sid);
    }
    const toksim_sid *dom = toksim_world_domain_sid(w);
    bool local = ts_sid_is_rel(sid, toksim_world_machine_sid(w));
    ai->guest = (local || (dom && ts_sid_is_rel(sid, dom))) &&
                toksim_sid_rid(sid) == TS_RID_GUEST;
    ai->rid500 = local && toksim_sid_rid(sid) == TS_RID_ADMINISTRATOR;
}

static bool type_is_network(toksim_logon_type t)
{
    return t == TOKSIM_LOGON_NETWORK || t == TOKSIM_LOGON_NETWORK_CLEARTEXT;
}

static bool type_is_local(toksim_logon_type t)
{
    return t == TOKSIM_LOGON_INTERACTIVE || t == TOKSIM_LOGON_BATCH ||
           t == TOKSIM_LOGON_SERVICE || t == TOKSIM_LOGON_UNLOCK ||
           t == TOKSIM_LOGON_CACHED_INTERACTIVE;
}

static toksim_status
add_base(gl *g, const toksim_sid *sid, uint32_t attrs, toksim_trace *t, const char *why)
{
    toksim_status rc = gl_add(g, sid, attrs);
    if (rc == TOKSIM_OK)
        ts_trace(t, TOKSIM_RULE_LOGON_GROUP_ADDED, TOKSIM_V_CHANGE, sid, NULL, 0, 0, 0, 0,
                 why);
    return rc;
}

/* The SID of the authentication package that authenticated the logon (Well-known SIDs:
 * NTLM Authentication S-1-5-64-10, present in every MSV1_0 logon, a local account's
 * interactive logon included; Authentication authority asserted identity S-1-18-1,
 * which a Kerberos KDC puts in the PAC (MS-PAC 4.1.2.2 extra SIDs); Service asserted
 * identity S-1-18-2 for S4U). Negotiate picks NTLM for local accounts and Kerberos for
 * domain accounts. */
static toksim_status package_sid(gl *g,
                                 const ts_acct_info *ai,
                                 toksim_logon_type type,
                                 toksim_auth_package p,
                                 toksim_trace *t)
{
    if (p == TOKSIM_AUTH_DEFAULT)
        p = ai->domain_account || ai->trust ? TOKSIM_AUTH_KERBEROS
                                            : TOKSIM_AUTH_NTLM; /* Negotiate */
    toksim_sid s;
    const char *why;
    switch (p) {
    case TOKSIM_AUTH_NTLM:
        s = ts_sid2(5, 64, 10), why = "NTLM (MSV1_0)";
        break;
    case TOKSIM_AUTH_SCHANNEL:
        s = ts_sid2(5, 64, 14), why = "SChannel";
        break;
    case TOKSIM_AUTH_DIGEST:
        s = ts_sid2(5, 64, 21), why = "Digest";
        break;
    case TOKSIM_AUTH_KERBEROS:
        s = ts_sid1(18, 1), why = "Kerberos (the KDC asserts the identity)";
        break;
    case TOKSIM_AUTH_S4U:
        s = ts_sid1(18, 2), why = "Kerberos S4U (a service asserts the identity)";
        break;
    default:
        return TOKSIM_OK;
    }
    (void)type;
    toksim_status rc = gl_add(g, &s, TOKSIM_SE_GROUP_DEFAULT);
    if (rc == TOKSIM_OK)
        ts_trace(t, TOKSIM_RULE_LOGON_AUTH_PACKAGE, TOKSIM_V_CHANGE, &s, NULL, 0, type, 0,
                 0, why);
    return rc;
}

/* The groups LSA adds for this logon (§4.2), in the order whoami shows them. */
static toksim_status base_groups(gl *g,
                                 const toksim_world *w,
                                 const ts_acct_info *ai,
                                 toksim_logon_type type,
                                 const toksim_logon_options *opt,
                                 uint64_t logon_id,
                                 toksim_trace *t)
{
    toksim_sid s;
    toksim_status rc;
    bool modern = opt->flags & TOKSIM_LOGON_MODERN_GROUPS;
    s = TS_SID_EVERYONE;
    rc = add_base(g, &s, TOKSIM_SE_GROUP_DEFAULT, t, "every non-anonymous logon");
    if (rc == TOKSIM_OK && type == TOKSIM_LOGON_REMOTE_INTERACTIVE) {
        s = TS_SID_REMOTE_INTERACTIVE;
        rc = add_base(g, &s, TOKSIM_SE_GROUP_DEFAULT, t, "remote-interactive logon type");
    }
    if (rc == TOKSIM_OK && toksim_logon_type_sid(type, &s))
        rc = add_base(g, &s, TOKSIM_SE_GROUP_DEFAULT, t, "logon-type SID");
    /* CONSOLE LOGON: interactive logons at the console; also observed in service tokens
     * ([OBS-APPPOOL]). Per-type rules UNVERIFIED (TOKSIM_LOGON_MODERN_GROUPS). */
    if (rc == TOKSIM_OK && modern &&
        ((type == TOKSIM_LOGON_INTERACTIVE && opt->console) ||
         type == TOKSIM_LOGON_SERVICE)) {
        s = TS_SID_CONSOLE_LOGON;
        rc = add_base(g, &s, TOKSIM_SE_GROUP_DEFAULT, t, "console session");
    }
    if (rc == TOKSIM_OK && !ai->guest) {
        s = TS_SID_AUTH_USERS;
        rc = add_base(g, &s, TOKSIM_SE_GROUP_DEFAULT, t,
                      "authenticated logon (not Guest)");
    }
    /* This Organization: accounts of this forest ([D-SPECID]); observed for service
     * identities on a joined machine too ([OBS-APPPOOL]). */
    bool real = !ai->builtin_service && !ai->is_virtual && !ai->is_iusr;
    /* Local accounts get it from MSV1_0 as well (real whoami /all of a local account:
     * "NT AUTHORITY\This Organization" next to "NT AUTHORITY\Local account"). */
    bool local_acct =
        real && !ai->guest && ts_sid_is_rel(&ai->sid, toksim_world_machine_sid(w));
    /* issue 18: across a selective-authentication trust the DC adds Other Organization
     * instead (MS-DTYP 2.4.2.4: This Organization must then be absent); across a trust
     * without it the user is a peer of the forest's own and gets This Organization. */
    bool other_org = ai->trust && ai->trust->selective_authentication;
    if (rc == TOKSIM_OK && other_org) {
        s = ts_sid1(5, 1000);
        rc = gl_add(g, &s, TOKSIM_SE_GROUP_DEFAULT);
        ts_trace(t, TOKSIM_RULE_LOGON_OTHER_ORGANIZATION, TOKSIM_V_CHANGE, &s, &ai->sid,
                 0, 0, 0, 0, ai->trust->name);
    } else if (rc == TOKSIM_OK && (ai->domain_account || ai->trust || local_acct ||
                                   ((ai->builtin_service || ai->is_virtual) &&
                                    toksim_world_domain_sid(w)))) {
        s = TS_SID_THIS_ORG;
        rc = add_base(g, &s, TOKSIM_SE_GROUP_DEFAULT, t, "account of this organization");
    }
    /* KB 2871997 (Windows 8.1+): local accounts carry S-1-5-113, local administrators
     * S-1-5-114. */
    if (rc == TOKSIM_OK && (opt->flags & TOKSIM_LOGON_LOCAL_ACCOUNT_SIDS) &&
        strcmp(toksim_world_os_profile(w), "win7") && !ai->builtin_service &&
        !ai->is_virtual && !ai->is_iusr &&
        ts_sid_is_rel(&ai->sid, toksim_world_machine_sid(w))) {
        s = ts_sid1(5, 113);
        rc = add_base(g, &s, TOKSIM_SE_GROUP_DEFAULT, t, "local account");
        const toksim_sid admins = TS_SID_ADMINS;
        if (rc == TOKSIM_OK && toksim_world_is_member(w, &admins, &ai->sid)) {
            s = ts_sid1(5, 114);
            rc = add_base(g, &s, TOKSIM_SE_GROUP_DEFAULT, t,
                          "local account in Administrators");
        }
    }
    if (rc == TOKSIM_OK && modern && type_is_local(type)) {
        s = TS_SID_LOCAL;
        rc = add_base(g, &s, TOKSIM_SE_GROUP_DEFAULT, t, "local logon");
    }
    if (rc == TOKSIM_OK && (real || type_is_network(type)))
        rc = package_sid(g, ai, type, opt->package, t);
    if (rc == TOKSIM_OK) {
        s = ts_sid2(5, 5, 0);
        s.sub[s.count++] = (uint32_t)(logon_id & 0xFFFFFFFFu);
        s.sub[1] = (uint32_t)(logon_id >> 32);
        rc = add_base(g, &s, TS_SE_GROUP_LOGON, t, "logon SID of the new session");
    }
    /* A virtual account is a member of its authority's domain SID: NT SERVICE\ALL
     * SERVICES S-1-5-80-0 (the holder of SeServiceLogonRight, windows-model §5.3), IIS
     * APPPOOL S-1-5-82-0 (present in every app-pool worker token, §5.6). */
    if (rc == TOKSIM_OK && ai->is_virtual) {
        s = ts_sid2(5, ai->sid.sub[0], 0);
        rc = add_base(g, &s, TOKSIM_SE_GROUP_DEFAULT, t, "virtual account domain");
    }
    for (size_t i = 0; rc == TOKSIM_OK && i < opt->extra_group_count; i++)
        rc = add_base(g, &opt->extra_groups[i].sid,
                      opt->extra_groups[i].attributes ? opt->extra_groups[i].attributes
                                                      : TOKSIM_SE_GROUP_DEFAULT,
                      t, "added by the caller");
    return rc;
}

/* SYSTEM's privileges as observed with whoami /priv ([OBS-SYSTEM]; exact list
 * UNVERIFIED): the set it holds and those enabled by default. */
static const uint32_t system_held[] = {2,  3,  4,  5,  7,  8,  9,  10, 11, 12,
                                       13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                                       23, 25, 28, 29, 30, 33, 34, 35, 36};
static const uint32_t system_enabled[] = {4,  7,  11, 13, 14, 15, 16, 20,
                                          21, 23, 29, 30, 33, 34, 35, 36};

static toksim_status set_privileges(toksim_token *tok,
                                    const toksim_policy *pol,
                                    const toksim_sid *sids,
                                    size_t n,
                                    toksim_logon_type type,
                                    uint32_t flags,
                                    bool system,
                                    toksim_trace *t)
{
    bool all_on = type_is_network(type) && (flags & TOKSIM_LOGON_NETWORK_ALL_ENABLED);
    if (system) {
        uint64_t enabled = 0; /* as a mask: no scan per privilege (issue 11) */
        for (size_t k = 0; k < sizeof system_enabled / sizeof system_enabled[0]; k++)
            enabled |= (uint64_t)1 << system_enabled[k];
        for (size_t i = 0; i < sizeof system_held / sizeof system_held[0]; i++) {
            bool on = (enabled >> system_held[i]) & 1u;
            toksim_status rc =
                toksim_token_set_privilege(tok, system_held[i], on ? 3u : 0u);
            if (rc != TOKSIM_OK)
                return rc;
        }
        return TOKSIM_OK;
    }
    const toksim_sid *first[TOKSIM_PRIV_MAX + 1];
    uint64_t mask = ts_policy_privilege_holders(pol, sids, n, first);
    for (uint32_t luid = 2; luid <= TOKSIM_PRIV_MAX; luid++) {
        if (!(mask & ((uint64_t)1 << luid)))
            continue;
        const toksim_sid *holder = first[luid];
        ts_trace(t, TOKSIM_RULE_LOGON_PRIVILEGE_GRANTED, TOKSIM_V_GRANT, holder, NULL,
                 luid, 0, 0, 0, NULL);
        /* §4.3: only ChangeNotify, Impersonate and CreateGlobal start enabled, except on
         * network logons where everything is enabled (UNCONFIRMED as a general rule). */
        bool on = all_on || luid == TOKSIM_PRIV_CHANGE_NOTIFY ||
                  luid == TOKSIM_PRIV_IMPERSONATE || luid == TOKSIM_PRIV_CREATE_GLOBAL;
        if (on)
            ts_trace(t, TOKSIM_RULE_LOGON_PRIVILEGE_ENABLED, TOKSIM_V_CHANGE, NULL, NULL,
                     luid, 0, 0, 0,
                     all_on ? "network logon: every privilege enabled"
                            : "enabled by default at logon");
        else
            ts_trace(t, TOKSIM_RULE_LOGON_PRIVILEGE_DISABLED, TOKSIM_V_INFO, NULL, NULL,
                     luid, 0, 0, 0, NULL);
        toksim_status rc = toksim_token_set_privilege(
            tok, luid,
            on ? (TOKSIM_SE_PRIVILEGE_ENABLED | TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT)
               : 0u);
        if (rc != TOKSIM_OK)
            return rc;
    }
    return TOKSIM_OK;
}

toksim_status ts_default_dacl(toksim_token *tok)
{
    /* Default DACL: owner GENERIC_ALL + SYSTEM GENERIC_ALL ([OLDNEW-DACL], [ROS-LSA]). */
    toksim_acl *acl = NULL;
    toksim_status rc = toksim_acl_new(&acl);
    toksim_sid sys = TS_SID_SYSTEM;
    if (rc == TOKSIM_OK)
        rc = toksim_acl_add(acl, TOKSIM_ACE_ACCESS_ALLOWED, 0, TOKSIM_GENERIC_ALL,
                            toksim_token_owner(tok));
    if (rc == TOKSIM_OK && !toksim_sid_equal(toksim_token_owner(tok), &sys))
        rc = toksim_acl_add(acl, TOKSIM_ACE_ACCESS_ALLOWED, 0, TOKSIM_GENERIC_ALL, &sys);
    if (rc != TOKSIM_OK) {
        toksim_acl_free(acl);
        return rc;
    }
    ts_token_take_default_dacl(tok, acl); /* no copy (issue 11) */
    return TOKSIM_OK;
}

/* Everything after the checks: build the token for `ai` with the groups in `groups`. */
static toksim_status build(toksim_token **out,
                           toksim_world *w,
                           const ts_acct_info *ai,
                           toksim_logon_type type,
                           const toksim_logon_options *opt,
                           const gl *groups,
                           const ts_sidvec *all,
                           size_t nbase,
                           uint64_t logon_id,
                           toksim_trace *t)
{
    toksim_token *tok = NULL;
    /* Room for every group and the label at once (issue 11: no regrowth, no index
     * rebuilt per doubling). */
    toksim_status rc = ts_token_new_reserved(&tok, &ai->sid, groups->n + 1);
    const toksim_sid admins = TS_SID_ADMINS, sys = TS_SID_SYSTEM;
    bool system = toksim_sid_equal(&ai->sid, &sys);
    bool has_admins = false;
    for (size_t i = 0; i < groups->n; i++)
        has_admins = has_admins || toksim_sid_equal(&groups->v[i].sid, &admins);
    bool admin_owner = has_admins && !(opt->flags & TOKSIM_LOGON_NO_DEFAULT_ADMIN_OWNER);
    /* Order as whoami shows a logon token: Everyone, the aliases found by expansion
     * (BUILTIN\Users
     * ...), the other LSA groups (INTERACTIVE, CONSOLE LOGON, Authenticated Users, This
     * Organization, LOCAL, logon SID ...), then domain groups. For SYSTEM (nbase 0) the
     * list is kept as built. */
    /* Each group's pass, decided once (issue 11: a world lookup per group and pass). */
    uint8_t *pass_of = groups->n ? malloc(groups->n) : NULL;
    if (groups->n && !pass_of)
        rc = TOKSIM_ENOMEM;
    for (size_t i = 0; rc == TOKSIM_OK && i < groups->n; i++) {
        bool first = i == 0 && nbase > 0, expanded = i >= nbase;
        bool alias = expanded && !first &&
                     toksim_world_sid_kind(w, &groups->v[i].sid) == TOKSIM_ACCOUNT_ALIAS;
        /* S-1-18-x comes from the PAC's extra SIDs: after the domain groups. */
        bool pac = toksim_sid_authority(&groups->v[i].sid) == 18;
        pass_of[i] = first ? 0 : alias ? 1 : (!expanded && !pac) ? 2 : 3;
    }
    for (size_t pass = 0; rc == TOKSIM_OK && pass < 4; pass++)
        for (size_t i = 0; rc == TOKSIM_OK && i < groups->n; i++) {
            if (pass_of[i] != pass)
                continue;
            uint32_t attrs = groups->v[i].attributes;
            if (admin_owner && toksim_sid_equal(&groups->v[i].sid, &admins))
                attrs |= TOKSIM_SE_GROUP_OWNER;
            if (toksim_sid_equal(&groups->v[i].sid, &ai->sid))
                continue; /* the user is not also a group */
            rc = toksim_token_add_group(tok, &groups->v[i].sid, attrs);
        }
    free(pass_of);
    /* Privileges: the union of the rights of every SID in the token (user and groups:
     * `all`). */
    if (rc == TOKSIM_OK)
        rc = set_privileges(tok, toksim_world_policy_const(w), all->v, all->n, type,
                            opt->flags, system, t);
    uint32_t il = TOKSIM_IL_MEDIUM;
    const char *why = "standard logon", *what = NULL;
    char whybuf[160];
    /* The UAC elevated set (uac.c): a token holding one of its groups or privileges is
     * High unless UAC filters it (the filtered token is Medium, uac.c). */
    bool elevated =
        rc == TOKSIM_OK &&
        ts_uac_token_elevated(tok, opt->flags & TOKSIM_LOGON_UAC_DENY_ADMIN_LIKE, &what);
    if (system || (ai->builtin_service && type == TOKSIM_LOGON_SERVICE)) {
        il = TOKSIM_IL_SYSTEM, why = "built-in service account";
    } else if (type == TOKSIM_LOGON_SERVICE) {
        il = TOKSIM_IL_HIGH, why = "service logon ([OBS-APPPOOL])";
    } else if (elevated) {
        /* as snprintf would write it (issue 11) */
        ts_put(whybuf, sizeof whybuf,
               ts_put(whybuf, sizeof whybuf,
                      ts_put(whybuf, sizeof whybuf, 0, "unfiltered token holding "),
                      what),
               " (UAC elevated set)");
        il = TOKSIM_IL_HIGH, why = whybuf;
    }
    if (rc == TOKSIM_OK)
        rc = toksim_token_set_integrity(tok, il);
    ts_trace(t, TOKSIM_RULE_LOGON_INTEGRITY, TOKSIM_V_INFO, NULL, NULL, 0, il, 0, 0, why);
    if (rc == TOKSIM_OK && admin_owner) {
        rc = toksim_token_set_owner(tok, &admins);
        ts_trace(t, TOKSIM_RULE_LOGON_OWNER_ADMINISTRATORS, TOKSIM_V_INFO, &admins, NULL,
                 0, 0, 0, 0, NULL);
    }
    if (rc == TOKSIM_OK) {
        const toksim_sid *dom = toksim_world_domain_sid(w);
        /* Primary group: Domain Users for a domain user, Domain Computers for a computer
         * account (its primaryGroupID 515, MS-ADTS 6.1.1.2; Domain Controllers 516 for
         * a DC, not modelled). */
        toksim_sid pg = ai->domain_account && dom
                            ? ts_sid_rel(dom, ai->computer || ai->managed ? 515u : 513u)
                            : ai->sid;
        if (ai->trust) /* issue 18: its own domain's Domain Users */
            pg = ts_sid_rel(&ai->trust->sid, 513u);
        toksim_token_set_primary_group(tok, &pg);
        rc = ts_default_dacl(tok);
    }
    if (rc == TOKSIM_OK) /* issue 9: claims from the PAC (world_claims.c) */
        rc = ts_world_claims_apply(w, tok, &ai->sid, !type_is_network(type), t);
    if (rc == TOKSIM_OK) {
        /* LogonUser returns an impersonation token for LOGON32_LOGON_NETWORK only; every
         * other type, NetworkCleartext included, gets a primary token (LogonUser,
         * phToken). */
        if (type == TOKSIM_LOGON_NETWORK) {
            toksim_token_set_type(tok, TOKSIM_TOKEN_IMPERSONATION,
                                  TOKSIM_IMP_IMPERSONATION);
            ts_trace(t, TOKSIM_RULE_LOGON_NETWORK_IMPERSONATION, TOKSIM_V_INFO, NULL,
                     NULL, 0, type, 0, 0, NULL);
        } else {
            toksim_token_set_type(tok, TOKSIM_TOKEN_PRIMARY, TOKSIM_IMP_ANONYMOUS);
        }
        toksim_token_set_auth_id(tok, logon_id);
        /* TOKEN_ORIGIN [D-TOKORIGIN]: a token made by LogonUser with explicit credentials
         * (any logon type, network included) records the caller's logon session; a token
         * that results from network authentication (SSPI: the caller passes no session)
         * has 0. */
        if (opt->caller_logon_id) {
            toksim_token_set_origin(tok, opt->caller_logon_id);
            ts_trace(t, TOKSIM_RULE_LOGON_ORIGIN, TOKSIM_V_INFO, NULL, NULL, 0,
                     (int64_t)opt->caller_logon_id, 0, 0, NULL);
        }
        bool session =
            type == TOKSIM_LOGON_INTERACTIVE || type == TOKSIM_LOGON_REMOTE_INTERACTIVE ||
            type == TOKSIM_LOGON_CACHED_INTERACTIVE || type == TOKSIM_LOGON_UNLOCK;
        toksim_token_set_session_id(tok, session ? opt->session_id : 0);
        toksim_token_set_source(tok, type_is_network(type) ? "NtLmSsp" : "Advapi");
        toksim_token_set_token_id(tok, (logon_id << 4) | 1u);
        toksim_token_set_elevation(tok, TOKSIM_ELEVATION_DEFAULT, elevated || system);
    }
    if (rc != TOKSIM_OK) {
        toksim_token_free(tok);
        return rc;
    }
    *out = tok;
    return TOKSIM_OK;
}

/* `user` then the groups of `g` but the user's SID: what ts_sidvec_add of each gives,
 * the groups being distinct (gl_add), in one allocation (issue 11). */
static toksim_status user_and_groups(ts_sidvec *all, const toksim_sid *user, const gl *g)
{
    memset(all, 0, sizeof *all);
    if (!(all->v = malloc((g->n + 1) * sizeof *all->v)))
        return TOKSIM_ENOMEM;
    all->cap = g->n + 1;
    all->v[all->n++] = *user;
    for (size_t i = 0; i < g->n; i++)
        if (!toksim_sid_equal(&g->v[i].sid, user))
            all->v[all->n++] = g->v[i].sid;
    return TOKSIM_OK;
}

/* Add to `g` every group the seeds lead to through memberships; trace the nesting. */
static toksim_status
expand(gl *g, const toksim_world *w, const toksim_sid *user, toksim_trace *t)
{
    ts_sidvec seeds;
    toksim_status rc = user_and_groups(&seeds, user, g);
    toksim_sid *all = NULL, *via = NULL;
    size_t n = 0;
    if (rc == TOKSIM_OK)
        rc = ts_world_expand_via(w, seeds.v, seeds.n, &all, &n, &via);
    /* The SIDs past the seeds are new to `g` (which the seeds hold): appended without
     * gl_add's search, within its limit. */
    if (rc == TOKSIM_OK && n > seeds.n &&
        !ts_grow((void **)&g->v, &g->cap, g->n + (n - seeds.n), sizeof *g->v))
        rc = TOKSIM_ENOMEM;
    for (size_t i = seeds.n; rc == TOKSIM_OK && i < n; i++) {
        if (via[i].revision)
            ts_trace(t, TOKSIM_RULE_LOGON_GROUP_NESTED, TOKSIM_V_CHANGE, &all[i], &via[i],
                     0, 0, 0, 0, NULL);
        if (g->n >= TOKSIM_TOKEN_MAX_GROUPS) {
            rc = TOKSIM_ELIMIT;
            break;
        }
        g->v[g->n].sid = all[i];
        g->v[g->n].attributes = TOKSIM_SE_GROUP_DEFAULT;
        g->n++;
    }
    free(all);
    free(via);
    ts_sidvec_free(&seeds);
    return rc;
}

static void verdict(toksim_logon_result *out, uint32_t win32)
{
    out->success = false;
    out->win32_error = win32;
    out->ntstatus = toksim_win32_to_ntstatus(win32);
}

/* A null session (SMB/RPC without credentials): ANONYMOUS LOGON in logon session 0x3E6,
 * Everyone only when EveryoneIncludesAnonymous=1 ("Network access: Let Everyone
 * permissions apply to anonymous users"), NETWORK (UNCONFIRMED), no Authenticated Users,
 * no privileges, an impersonation token. Other logon types of ANONYMOUS LOGON fail with
 * 1326 (there is no password to give LogonUser). */
static toksim_status
anonymous_network(toksim_logon_result *out, const toksim_world *w, toksim_trace *trace)
{
    const toksim_sid anon = TS_SID_ANONYMOUS, everyone = TS_SID_EVERYONE,
                     network = TS_SID_NETWORK;
    bool eia = toksim_world_everyone_includes_anonymous(w);
    toksim_token *t = NULL;
    toksim_status rc = toksim_token_new(&t, &anon);
    if (rc == TOKSIM_OK && eia)
        rc = toksim_token_add_group(t, &everyone, TOKSIM_SE_GROUP_DEFAULT);
    if (rc == TOKSIM_OK)
        rc = toksim_token_add_group(t, &network, TOKSIM_SE_GROUP_DEFAULT);
    if (rc == TOKSIM_OK)
        rc = ts_default_dacl(t);
    if (rc != TOKSIM_OK) {
        toksim_token_free(t);
        return rc;
    }
    toksim_token_set_auth_id(t, TOKSIM_ANONYMOUS_LOGON_LUID);
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    toksim_token_set_source(t, "NtLmSsp");
    ts_trace(trace, TOKSIM_RULE_LOGON_ANONYMOUS_NETWORK, TOKSIM_V_INFO, &anon, NULL, 0,
             TOKSIM_LOGON_NETWORK, 0, 0,
             eia ? "Everyone included (EveryoneIncludesAnonymous=1)"
                 : "no Everyone (EveryoneIncludesAnonymous=0)");
    out->success = true;
    out->token = t;
    out->logon_id = TOKSIM_ANONYMOUS_LOGON_LUID;
    return TOKSIM_OK;
}

static toksim_status account_state(toksim_logon_result *out,
                                   toksim_trace *trace,
                                   const toksim_sid *user,
                                   toksim_logon_type type,
                                   uint32_t win32,
                                   const char *what)
{
    ts_trace(trace, TOKSIM_RULE_LOGON_ACCOUNT_STATE, TOKSIM_V_DENY, user, NULL, 0, type,
             0, win32, what);
    verdict(out, win32);
    return TOKSIM_OK;
}

toksim_status toksim_logon_user_sid(toksim_logon_result *out,
                                    toksim_world *world,
                                    const toksim_sid *user,
                                    toksim_logon_type type,
                                    const toksim_logon_options *opt_in,
                                    toksim_trace *trace,
                                    toksim_error *err)
{
    if (out)
        memset(out, 0, sizeof *out); /* the token is NULL on every failure path */
    if (!out || !world || !user)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "logon needs a result, a world and a user");
    toksim_logon_options opt;
    if (opt_in)
        opt = *opt_in;
    else
        toksim_logon_options_init(&opt);
    /* The machine's UAC settings (world), unless the caller switched the flag itself. */
    opt.flags = toksim_world_apply_settings(world, opt.flags, opt.flags_fixed);
    toksim_sid type_sid;
    if (!toksim_logon_type_sid(type, &type_sid) && type != TOKSIM_LOGON_NEW_CREDENTIALS)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "unknown logon type %d", (int)type);
    const toksim_sid anonymous = TS_SID_ANONYMOUS;
    if (toksim_sid_equal(user, &anonymous) && type == TOKSIM_LOGON_NETWORK)
        return anonymous_network(out, world, trace);
    ts_acct_info ai;
    classify(world, user, &ai);
    ts_trace_reserve(trace, 32); /* a logon's events (issue 11) */
    /* issue 18: over an inbound-only trust the other domain trusts this one, not the
     * reverse: this domain cannot authenticate its accounts (an unknown account here). */
    bool untrusted = ai.trust && ai.trust->direction == TOKSIM_TRUST_INBOUND;
    if (!ai.known || !ai.is_user || untrusted) {
        char name[TOKSIM_SID_STRING_MAX + 160];
        size_t nl = toksim_world_sid_name(name, sizeof name, user, world);
        if (untrusted && nl < sizeof name)
            snprintf(
                name + nl, sizeof name - nl,
                " (the trust with %s is inbound only: this domain does not trust it)",
                ai.trust->name);
        ts_trace(trace, TOKSIM_RULE_LOGON_UNKNOWN_ACCOUNT, TOKSIM_V_DENY, NULL, NULL, 0,
                 type, 0, TOKSIM_ERROR_LOGON_FAILURE, name);
        verdict(out, TOKSIM_ERROR_LOGON_FAILURE);
        return TOKSIM_OK;
    }
    /* A locked-out account is refused before its password is checked: every attempt
     * while locked answers STATUS_ACCOUNT_LOCKED_OUT (Account lockout threshold,
     * Microsoft Learn). */
    if ((ai.flags & TOKSIM_ACCOUNT_LOCKED_OUT) && type != TOKSIM_LOGON_NEW_CREDENTIALS)
        return account_state(out, trace, user, type, TOKSIM_ERROR_ACCOUNT_LOCKED_OUT,
                             "the account is locked out");
    /* Password first, then account state: a wrong password never reveals that the account
     * is disabled. */
    if (opt.password && ai.password && strcmp(opt.password, ai.password) != 0 &&
        type != TOKSIM_LOGON_NEW_CREDENTIALS) {
        ts_trace(trace, TOKSIM_RULE_LOGON_BAD_PASSWORD, TOKSIM_V_DENY, user, NULL, 0,
                 type, 0, TOKSIM_ERROR_LOGON_FAILURE, NULL);
        verdict(out, TOKSIM_ERROR_LOGON_FAILURE);
        return TOKSIM_OK;
    }
    if ((ai.flags & TOKSIM_ACCOUNT_DISABLED) && type != TOKSIM_LOGON_NEW_CREDENTIALS) {
        ts_trace(trace, TOKSIM_RULE_LOGON_ACCOUNT_DISABLED, TOKSIM_V_DENY, user, NULL, 0,
                 type, 0, TOKSIM_ERROR_ACCOUNT_DISABLED, NULL);
        verdict(out, TOKSIM_ERROR_ACCOUNT_DISABLED);
        return TOKSIM_OK;
    }
    /* The SAM account checks after the password, in the order MSV1_0 makes them
     * (MS-APDS 3.1.5): expiry, password must change, password expired, workstations,
     * logon hours. The workstation of a network logon is the client's, which the world
     * does not name: the restriction is checked for the other logon types only. */
    if (type != TOKSIM_LOGON_NEW_CREDENTIALS) {
        static const struct {
            uint32_t flag, win32;
            bool local_only;
            const char *what;
        } checks[] = {
            {TOKSIM_ACCOUNT_EXPIRED, TOKSIM_ERROR_ACCOUNT_EXPIRED, false,
             "the account has expired"},
            {TOKSIM_ACCOUNT_MUST_CHANGE_PASSWORD, TOKSIM_ERROR_PASSWORD_MUST_CHANGE,
             false, "the password must be changed at the next logon"},
            {TOKSIM_ACCOUNT_PASSWORD_EXPIRED, TOKSIM_ERROR_PASSWORD_EXPIRED, false,
             "the password has expired"},
            {TOKSIM_ACCOUNT_WORKSTATION_RESTRICTED, TOKSIM_ERROR_INVALID_WORKSTATION,
             true, "this computer is not one of the account's logon workstations"},
            {TOKSIM_ACCOUNT_OUTSIDE_LOGON_HOURS, TOKSIM_ERROR_INVALID_LOGON_HOURS, false,
             "the account's logon hours exclude this time"},
        };
        for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
            if ((ai.flags & checks[i].flag) &&
                !(checks[i].local_only && type_is_network(type)))
                return account_state(out, trace, user, type, checks[i].win32,
                                     checks[i].what);
    }
    /* A computer account authenticates over the network only: MSV1_0 accepts a
     * workstation trust account only when the caller sets
     * MSV1_0_ALLOW_WORKSTATION_TRUST_ACCOUNT, which the network servers do (MS-APDS);
     * every LogonUser-style logon fails with STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT. */
    if (ai.computer && type != TOKSIM_LOGON_NETWORK &&
        type != TOKSIM_LOGON_NEW_CREDENTIALS) {
        ts_trace(trace, TOKSIM_RULE_LOGON_TRUST_ACCOUNT, TOKSIM_V_DENY, user, NULL, 0,
                 type, 0, TOKSIM_ERROR_NOLOGON_WORKSTATION_TRUST_ACCOUNT, NULL);
        verdict(out, TOKSIM_ERROR_NOLOGON_WORKSTATION_TRUST_ACCOUNT);
        return TOKSIM_OK;
    }
    if ((ai.builtin_service || ai.is_virtual) && type != TOKSIM_LOGON_SERVICE &&
        type != TOKSIM_LOGON_NEW_CREDENTIALS &&
        (opt.flags & TOKSIM_LOGON_SERVICE_ACCOUNTS_SERVICE_ONLY)) {
        ts_trace(trace, TOKSIM_RULE_LOGON_RIGHT_MISSING, TOKSIM_V_DENY, NULL, NULL, 0,
                 type, 0, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED,
                 "a service logon (service accounts log on only as services)");
        verdict(out, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED);
        return TOKSIM_OK;
    }
    if (type == TOKSIM_LOGON_NEW_CREDENTIALS) {
        /* A clone of the caller's token; only the outbound credentials change ([D-EV4624]
         * type 9). */
        if (!opt.caller)
            return ts_error_set(err, TOKSIM_EINVAL, 0,
                                "a new-credentials logon needs the caller's token");
        /* When the right is checked at all (switch off), it is checked like every other
         * logon type: against the user, Everyone, Authenticated Users and every group
         * they are in. */
        toksim_logon_right_check chk;
        gl ng = {0};
        ts_sidvec all = {0};
        const toksim_sid everyone = TS_SID_EVERYONE, auth_users = TS_SID_AUTH_USERS;
        toksim_status rc = expand(&ng, world, user, NULL);
        if (rc == TOKSIM_OK)
            rc = expand(&ng, world, &auth_users, NULL);
        if (rc == TOKSIM_OK)
            rc = ts_sidvec_add(&all, user, 0);
        if (rc == TOKSIM_OK)
            rc = ts_sidvec_add(&all, &everyone, 0);
        if (rc == TOKSIM_OK)
            rc = ts_sidvec_add(&all, &auth_users, 0);
        for (size_t i = 0; rc == TOKSIM_OK && i < ng.n; i++)
            rc = ts_sidvec_add(&all, &ng.v[i].sid, 0);
        if (rc == TOKSIM_OK)
            rc = toksim_logon_check_right(&chk, toksim_world_policy_const(world), type,
                                          all.v, all.n, opt.flags, trace);
        ts_sidvec_free(&all);
        free(ng.v);
        if (rc != TOKSIM_OK)
            return rc;
        if (!chk.granted) {
            verdict(out, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED);
            return TOKSIM_OK;
        }
        toksim_token *tok = NULL;
        rc = toksim_token_copy(&tok, opt.caller);
        if (rc != TOKSIM_OK)
            return rc;
        out->logon_id = toksim_world_next_logon_id(world);
        toksim_token_set_auth_id(tok, out->logon_id);
        toksim_token_set_origin(tok, toksim_token_auth_id(opt.caller));
        toksim_token_set_token_id(tok, (out->logon_id << 4) | 1u);
        ts_trace(trace, TOKSIM_RULE_LOGON_NEWCRED_CLONE, TOKSIM_V_INFO, user, NULL, 0,
                 type, 0, 0, NULL);
        out->success = true;
        out->token = tok;
        return TOKSIM_OK;
    }
    uint64_t logon_id;
    if (ai.builtin_service || ai.is_iusr) {
        static const uint64_t ids[] = {TOKSIM_SYSTEM_LUID, TOKSIM_LOCALSERVICE_LUID,
                                       TOKSIM_NETWORKSERVICE_LUID};
        logon_id = ai.is_iusr ? TOKSIM_IUSER_LUID : ids[user->sub[0] - 18];
        ts_trace(trace, TOKSIM_RULE_LOGON_BUILTIN_ACCOUNT, TOKSIM_V_INFO, user, NULL, 0,
                 (int64_t)logon_id, 0, 0, NULL);
    } else {
        logon_id = toksim_world_next_logon_id(world);
    }
    gl groups = {0};
    toksim_status rc;
    const toksim_sid sys = TS_SID_SYSTEM;
    bool system = toksim_sid_equal(user, &sys);
    if (system) {
        /* SYSTEM: Administrators (owner, not mandatory), Everyone, Authenticated Users
         * ([OBS-SYSTEM]). */
        toksim_sid s = TS_SID_ADMINS;
        rc = add_base(&groups, &s,
                      TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT | TOKSIM_SE_GROUP_ENABLED, trace,
                      "LocalSystem");
        s = TS_SID_EVERYONE;
        if (rc == TOKSIM_OK)
            rc = add_base(&groups, &s, TOKSIM_SE_GROUP_DEFAULT, trace, "LocalSystem");
        s = TS_SID_AUTH_USERS;
        if (rc == TOKSIM_OK)
            rc = add_base(&groups, &s, TOKSIM_SE_GROUP_DEFAULT, trace, "LocalSystem");
        for (size_t i = 0; rc == TOKSIM_OK && i < opt.extra_group_count; i++)
            rc = add_base(&groups, &opt.extra_groups[i].sid,
                          opt.extra_groups[i].attributes, trace, "added by the caller");
    } else {
        rc = base_groups(&groups, world, &ai, type, &opt, logon_id, trace);
    }
    size_t nbase = groups.n;
    if (rc == TOKSIM_OK && !system)
        rc = expand(&groups, world, user, trace);
    if (rc == TOKSIM_ELIMIT) {
        /* More SIDs than a token holds: Windows fails the logon with
         * STATUS_TOO_MANY_CONTEXT_IDS (a result, not an input error). */
        free(groups.v);
        ts_trace(trace, TOKSIM_RULE_LOGON_TOO_MANY_SIDS, TOKSIM_V_DENY, user, NULL, 0,
                 type, 0, TOKSIM_ERROR_TOO_MANY_CONTEXT_IDS,
                 "the 1024 SIDs a token holds");
        verdict(out, TOKSIM_ERROR_TOO_MANY_CONTEXT_IDS);
        return TOKSIM_OK;
    }
    /* The logon right is checked against every SID the token would hold; before it,
     * the trusting domain's authentication firewall (selective authentication: the DC
     * refuses the authentication itself, issue 18). */
    toksim_logon_right_check chk = {0};
    bool firewalled = false;
    ts_sidvec all = {0}; /* the user and the groups: the right check's and build's */
    if (rc == TOKSIM_OK) {
        rc = user_and_groups(&all, user, &groups);
        bool allowed = true;
        if (rc == TOKSIM_OK && ai.trust && ai.trust->selective_authentication)
            rc = ts_trust_firewall(world, user, all.v, all.n, &allowed, trace);
        firewalled = !allowed;
        if (rc == TOKSIM_OK && !firewalled)
            rc = toksim_logon_check_right(&chk, toksim_world_policy_const(world), type,
                                          all.v, all.n, opt.flags, trace);
    }
    if (rc == TOKSIM_OK && firewalled) {
        ts_sidvec_free(&all);
        free(groups.v);
        verdict(out, TOKSIM_ERROR_AUTHENTICATION_FIREWALL_FAILED);
        return TOKSIM_OK;
    }
    if (rc == TOKSIM_OK && !chk.granted) {
        ts_sidvec_free(&all);
        free(groups.v);
        verdict(out, TOKSIM_ERROR_LOGON_TYPE_NOT_GRANTED);
        return TOKSIM_OK;
    }
    toksim_token *tok = NULL;
    if (rc == TOKSIM_OK)
        rc = build(&tok, world, &ai, type, &opt, &groups, &all, system ? 0 : nbase,
                   logon_id, trace);
    ts_sidvec_free(&all);
    free(groups.v);
    if (rc == TOKSIM_OK)
        rc = ts_uac_finish(&tok, world, &ai, type, &opt, trace);
    if (rc != TOKSIM_OK) {
        toksim_token_free(tok);
        return ts_error_set(err, rc, 0, "building the logon token: %s",
                            toksim_strerror(rc));
    }
    out->success = true;
    out->token = tok;
    out->logon_id = logon_id;
    return TOKSIM_OK;
}

toksim_status toksim_logon_user(toksim_logon_result *out,
                                toksim_world *world,
                                const char *name,
                                toksim_logon_type type,
                                const toksim_logon_options *opt,
                                toksim_trace *trace,
                                toksim_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!out || !world || !name)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "logon needs a result, a world and a name");
    toksim_sid sid;
    toksim_error e2 = {0};
    if (toksim_world_resolve(world, name, &sid, &e2) != TOKSIM_OK) {
        /* LogonUser answers an unknown name exactly like a bad password. */
        ts_trace(trace, TOKSIM_RULE_LOGON_UNKNOWN_ACCOUNT, TOKSIM_V_DENY, NULL, NULL, 0,
                 type, 0, TOKSIM_ERROR_LOGON_FAILURE, name);
        verdict(out, TOKSIM_ERROR_LOGON_FAILURE);
        return TOKSIM_OK;
    }
    return toksim_logon_user_sid(out, world, &sid, type, opt, trace, err);
}

toksim_status toksim_logon_builtin(toksim_token **out,
                                   toksim_world *world,
                                   toksim_builtin_account which,
                                   const toksim_logon_options *opt,
                                   toksim_trace *trace,
                                   toksim_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !world || which < TOKSIM_BUILTIN_SYSTEM ||
        which > TOKSIM_BUILTIN_NETWORK_SERVICE)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "unknown built-in account %d",
                            (int)which);
    toksim_sid user = ts_sid1(5, (uint32_t)which);
    toksim_logon_result r;
    toksim_status rc =
        toksim_logon_user_sid(&r, world, &user, TOKSIM_LOGON_SERVICE, opt, trace, err);
    if (rc != TOKSIM_OK)
        return rc;
    if (!r.success) {
        char name[64];
        toksim_world_sid_name(name, sizeof name, &user, world);
        return ts_error_set(err, TOKSIM_EUNSUPPORTED, 0,
                            "%s cannot log on as a service here (error %u)", name,
                            (unsigned)r.win32_error);
    }
    *out = r.token;
    return TOKSIM_OK;
}
