/*
 * PURPOSE: User Account Control: which logons of administrators get a split token, and
 * the filtered (limited) token derived from a full one.
 *
 * Modelled (windows-model §4.4): an interactive logon of an administrator yields a
 * filtered token (Administrators and other admin-like groups deny-only, Medium integrity,
 * only the five privileges a standard user holds on a client) linked to the full elevated
 * token (High integrity, every granted privilege); the RID-500 Administrator is not
 * filtered unless FilterAdministratorToken=1; network logons of local accounts are
 * filtered unless LocalAccountTokenFilterPolicy=1, those of domain accounts are not
 * [D-UACREMOTE]; service and batch logons are not split; EnableLUA=0 turns UAC off. Left
 * out: UIAccess, the consent prompt and elevation of processes (CreateProcess side). A
 * Windows token pair links both ways; here the returned token owns its linked token and
 * the linked token carries no link back (ownership stays a tree).
 */
#include <stdlib.h>
#include <string.h>
#include "identity/identity_int.h"

/* Privileges a filtered token keeps (CreateRestrictedToken LUA_TOKEN; matches the
 * filtered
 * `!token` dump of [MSJP-WMI4]). */
static const uint32_t keep[] = {TOKSIM_PRIV_SHUTDOWN, TOKSIM_PRIV_CHANGE_NOTIFY,
                                TOKSIM_PRIV_UNDOCK, TOKSIM_PRIV_INCREASE_WORKING_SET,
                                TOKSIM_PRIV_TIME_ZONE};

/* The UAC elevated set: ONE table deciding both whether a logon is split/filtered and
 * whether an unfiltered token is High integrity. Source: C. Corio, "Teach Your Apps To
 * Play Nicely With Windows Vista User Account Control" (MSDN Magazine, January 2007,
 * Microsoft Learn archive) and "New Technologies for Windows Vista": a token is
 * filtered when it holds Administrators, Power Users, Account/Server/Print/Backup
 * Operators, RAS Servers, Pre-Windows 2000 Compatible Access, Network Configuration
 * Operators, Cryptographic Operators, Domain Admins, Domain Controllers, Cert
 * Publishers, Schema Admins, Enterprise Admins, Group Policy Creator Owners, or one of
 * SeCreateToken, SeTcb, SeTakeOwnership, SeBackup, SeRestore, SeDebug, SeImpersonate,
 * SeRelabel. Read-only Domain Controllers (521) is kept from the earlier list
 * (UNVERIFIED). The groups besides Administrators are behind
 * TOKSIM_LOGON_UAC_DENY_ADMIN_LIKE. */
static const uint32_t builtin_admin_like[] = {547, 548, 549, 550, 551,
                                              553, 554, 556, 569};
static const uint32_t domain_admin_like[] = {512, 516, 517, 518, 519, 520, 521};
static const uint32_t elevated_privs[] = {
    TOKSIM_PRIV_CREATE_TOKEN, TOKSIM_PRIV_TCB,     TOKSIM_PRIV_TAKE_OWNERSHIP,
    TOKSIM_PRIV_BACKUP,       TOKSIM_PRIV_RESTORE, TOKSIM_PRIV_DEBUG,
    TOKSIM_PRIV_IMPERSONATE,  TOKSIM_PRIV_RELABEL};

static bool elevated_priv(uint32_t luid)
{
    for (size_t i = 0; i < sizeof elevated_privs / sizeof elevated_privs[0]; i++)
        if (elevated_privs[i] == luid)
            return true;
    return false;
}

/* S-1-5-...: the NT authority, read from the bytes (issue 11: no call per group). */
static bool nt_authority(const toksim_sid *s)
{
    return s->authority[5] == 5 && !(s->authority[0] | s->authority[1] | s->authority[2] |
                                     s->authority[3] | s->authority[4]);
}

static bool admin_like(const toksim_sid *s, bool others)
{
    /* Every SID of the set below is S-1-5-...; BUILTIN is S-1-5-32-x. */
    if (!nt_authority(s))
        return false;
    if (s->count == 2 && s->sub[0] == 32) {
        if (s->sub[1] == 544)
            return true;
        for (size_t i = 0;
             others && i < sizeof builtin_admin_like / sizeof builtin_admin_like[0]; i++)
            if (s->sub[1] == builtin_admin_like[i])
                return true;
        return false;
    }
    /* "Local account and member of Administrators group" (KB 2871997) goes with
     * Administrators */
    if (s->count == 1 && s->sub[0] == 114)
        return true;
    /* domain groups: S-1-5-21-x-y-z-RID */
    if (!others || s->count != 5 || s->sub[0] != 21)
        return false;
    for (size_t i = 0; i < sizeof domain_admin_like / sizeof domain_admin_like[0]; i++)
        if (s->sub[4] == domain_admin_like[i])
            return true;
    return false;
}

bool ts_uac_token_elevated(const toksim_token *tok, bool others, const char **what)
{
    static const char *const group_text = "an elevated group";
    for (size_t i = 0, n = toksim_token_group_count(tok); i < n; i++) {
        const toksim_group *g = toksim_token_group_at(tok, i);
        if (!(g->attributes & TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY) &&
            admin_like(&g->sid, others)) {
            if (what)
                *what = group_text;
            return true;
        }
    }
    /* the elevated privileges as a mask, taken in LUID order (issue 11: no scan of the
     * table per LUID) */
    uint64_t elevated = 0;
    for (size_t i = 0; i < sizeof elevated_privs / sizeof elevated_privs[0]; i++)
        elevated |= (uint64_t)1 << elevated_privs[i];
    for (uint32_t luid = 2; luid <= TOKSIM_PRIV_MAX; luid++)
        if ((elevated >> luid & 1u) && toksim_token_privilege(tok, luid) >= 0) {
            if (what) {
                const toksim_privilege_info *pi = toksim_privilege_by_luid(luid);
                *what = pi ? pi->name : "an elevated privilege";
            }
            return true;
        }
    return false;
}

bool toksim_uac_is_admin_set(const toksim_world *world,
                             const toksim_sid *sids,
                             size_t count)
{
    (void)world;
    for (size_t i = 0; i < count; i++)
        if (admin_like(&sids[i], true))
            return true;
    return false;
}

toksim_status toksim_uac_filter(toksim_token **out,
                                const toksim_token *full,
                                uint32_t flags,
                                toksim_trace *trace)
{
    ts_trace_reserve(trace, 24); /* an event per group and privilege (issue 11) */
    toksim_token *tok = NULL;
    toksim_status rc = toksim_token_copy(&tok, full);
    if (rc != TOKSIM_OK)
        return rc;
    toksim_token_set_linked(tok, NULL);
    bool others = flags & TOKSIM_LOGON_UAC_DENY_ADMIN_LIKE;
    for (size_t i = 0; rc == TOKSIM_OK && i < toksim_token_group_count(tok); i++) {
        const toksim_group *g = toksim_token_group_at(tok, i);
        if (!admin_like(&g->sid, others))
            continue;
        toksim_sid sid = g->sid;
        rc = toksim_token_add_group(tok, &sid, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
        ts_trace(trace, TOKSIM_RULE_UAC_DENY_ONLY, TOKSIM_V_CHANGE, &sid, NULL, 0, 0, 0,
                 0, NULL);
    }
    /* With an elevated group every privilege but the standard user's five goes; with
     * only elevated privileges, just those go ("New Technologies for Windows Vista"). */
    bool any_group = false;
    for (size_t i = 0; i < toksim_token_group_count(full); i++)
        any_group = any_group || admin_like(&toksim_token_group_at(full, i)->sid, others);
    for (uint32_t luid = 2; rc == TOKSIM_OK && luid <= TOKSIM_PRIV_MAX; luid++) {
        if (toksim_token_privilege(tok, luid) < 0)
            continue;
        bool kept = !any_group && !elevated_priv(luid);
        for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++)
            kept = kept || keep[k] == luid;
        if (!kept) {
            toksim_token_remove_privilege(tok, luid);
            ts_trace(trace, TOKSIM_RULE_UAC_PRIVILEGE_REMOVED, TOKSIM_V_CHANGE, NULL,
                     NULL, luid, 0, 0, 0, NULL);
        }
    }
    if (rc == TOKSIM_OK)
        rc = toksim_token_set_integrity(tok, TOKSIM_IL_MEDIUM);
    if (rc == TOKSIM_OK)
        rc = toksim_token_set_owner(tok, toksim_token_user(tok));
    if (rc == TOKSIM_OK) {
        /* The Administrators owner bit goes with the deny-only state. */
        rc = ts_default_dacl(tok);
        toksim_token_set_elevation(tok, TOKSIM_ELEVATION_LIMITED, false);
        toksim_token_set_token_id(tok, toksim_token_id(full) + 1);
    }
    if (rc != TOKSIM_OK) {
        toksim_token_free(tok);
        return rc;
    }
    *out = tok;
    return TOKSIM_OK;
}

toksim_status ts_uac_finish(toksim_token **tokp,
                            const toksim_world *w,
                            const ts_acct_info *ai,
                            toksim_logon_type type,
                            const toksim_logon_options *opt,
                            toksim_trace *t)
{
    (void)w;
    toksim_token *full = *tokp;
    if (ai->builtin_service ||
        !ts_uac_token_elevated(full, opt->flags & TOKSIM_LOGON_UAC_DENY_ADMIN_LIKE, NULL))
        return TOKSIM_OK;
    const char *why = NULL;
    bool filtered_only = false;
    bool network = type == TOKSIM_LOGON_NETWORK || type == TOKSIM_LOGON_NETWORK_CLEARTEXT;
    if (opt->flags & TOKSIM_LOGON_UAC_DISABLED)
        why = "UAC is off (EnableLUA=0)";
    else if (ai->rid500 && !(opt->flags & TOKSIM_LOGON_FILTER_ADMINISTRATOR_TOKEN))
        why = "built-in Administrator, FilterAdministratorToken=0";
    else if (type == TOKSIM_LOGON_SERVICE || type == TOKSIM_LOGON_BATCH)
        why = "service and batch logons are not filtered";
    else if (network && (ai->domain_account || ai->trust)) /* a trusted domain's too */
        why = "domain account over the network (KB 951016)";
    else if (network && (opt->flags & TOKSIM_LOGON_LOCAL_ACCOUNT_TOKEN_FILTER))
        why = "LocalAccountTokenFilterPolicy=1";
    else if (network)
        filtered_only = true;
    if (why) {
        ts_trace(t, TOKSIM_RULE_UAC_NO_SPLIT, TOKSIM_V_INFO, &ai->sid, NULL, 0, type, 0,
                 0, why);
        toksim_token_set_elevation(full, TOKSIM_ELEVATION_DEFAULT, true);
        return TOKSIM_OK;
    }
    toksim_token *limited = NULL;
    toksim_status rc = toksim_uac_filter(&limited, full, opt->flags, t);
    if (rc != TOKSIM_OK)
        return rc;
    if (filtered_only) {
        /* Remote UAC: a local administrator's network logon gets the filtered token only.
         */
        ts_trace(t, TOKSIM_RULE_UAC_NO_SPLIT, TOKSIM_V_INFO, &ai->sid, NULL, 0, type, 0,
                 0,
                 "local account over the network: filtered token only "
                 "(LocalAccountTokenFilterPolicy=0)");
        toksim_token_free(full);
        *tokp = limited;
        return TOKSIM_OK;
    }
    ts_trace(t, TOKSIM_RULE_UAC_SPLIT, TOKSIM_V_CHANGE, &ai->sid, NULL, 0, type, 0, 0,
             NULL);
    toksim_token_set_elevation(full, TOKSIM_ELEVATION_FULL, true);
    if (opt->elevated) {
        toksim_token_set_linked(full, limited);
        *tokp = full;
    } else {
        toksim_token_set_linked(limited, full);
        *tokp = limited;
    }
    return TOKSIM_OK;
}
