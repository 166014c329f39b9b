/*
 * PURPOSE: the "Effective Access" tab of Windows' Advanced Security Settings (called
 * "Effective Permissions" up to Windows 7 / Server 2008 R2), as its documentation
 * describes it, and why it differs from what a real logon gets. Source: "How Effective
 * Permissions Are Determined" (TechNet cc772184, Windows Server 2008 R2 / Windows 7): the
 * tab uses global, local and universal group membership, local permissions and local
 * privileges; it leaves out the well-known SIDs listed in `omitted` below (the logon-type
 * SIDs among them) and share permissions. What the tab's token holds beyond that is
 * UNCONFIRMED and documented as such (docs/who-can.md): Everyone and Authenticated
 * Users (not in the omitted list), every group enabled (no UAC filtering), the policy's
 * privileges enabled, and no mandatory-label check (a System-level context; the switch
 * toksim_whocan_query.tab_applies_integrity makes it Medium).
 */
#include <stdlib.h>
#include <string.h>
#include "query/query_int.h"

/* The omitted SIDs ({authority, count, sub0}), in the order the TechNet page lists them:
 * Anonymous Logon, Batch, Creator Group, Dialup, Enterprise Domain Controllers,
 * Interactive, Network, Proxy, Restricted, Remote (REMOTE INTERACTIVE LOGON), Service,
 * System, Terminal Server User, Other Organization, This Organization. */
static const struct {
    uint8_t authority;
    uint32_t rid;
} omitted[] = {{5, 7},  {5, 3},  {3, 1}, {5, 1},  {5, 9},  {5, 4},    {5, 2}, {5, 8},
               {5, 12}, {5, 14}, {5, 6}, {5, 18}, {5, 13}, {5, 1000}, {5, 15}};

bool toksim_whocan_tab_omits(const toksim_sid *sid)
{
    if (!sid || sid->count != 1 || sid->authority[0] || sid->authority[1] ||
        sid->authority[2] || sid->authority[3] || sid->authority[4])
        return false;
    for (size_t i = 0; i < sizeof omitted / sizeof omitted[0]; i++)
        if (sid->authority[5] == omitted[i].authority && sid->sub[0] == omitted[i].rid)
            return true;
    return false;
}

static toksim_sid sid1(uint8_t authority, uint32_t rid)
{
    toksim_sid s;
    memset(&s, 0, sizeof s);
    s.revision = 1;
    s.count = 1;
    s.authority[5] = authority;
    s.sub[0] = rid;
    return s;
}

/* The tab's token: the account, its groups (nested), Everyone, Authenticated Users; no
 * omitted SID; every group enabled; the privileges the policy gives them, enabled. */
static toksim_status
tab_token(toksim_token **out, toksim_world *w, const toksim_sid *who, bool medium)
{
    toksim_sid start[3] = {*who, sid1(1, 0), sid1(5, 11)};
    toksim_sid *all = NULL;
    size_t n = 0;
    toksim_status rc = toksim_world_expand(w, start, 3, &all, &n);
    if (rc != TOKSIM_OK)
        return rc;
    toksim_token *tok = NULL;
    rc = toksim_token_new(&tok, who);
    const uint32_t on = TOKSIM_SE_GROUP_MANDATORY | TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT |
                        TOKSIM_SE_GROUP_ENABLED;
    for (size_t i = 1; rc == TOKSIM_OK && i < n; i++)
        if (!toksim_whocan_tab_omits(&all[i]))
            rc = toksim_token_add_group(tok, &all[i], on);
    uint64_t privs = toksim_policy_privileges_of(toksim_world_policy_const(w), all, n);
    for (uint32_t luid = 0; rc == TOKSIM_OK && luid < 64; luid++)
        if (privs & ((uint64_t)1 << luid))
            rc = toksim_token_set_privilege(tok, luid,
                                            TOKSIM_SE_PRIVILEGE_ENABLED |
                                                TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT);
    if (rc == TOKSIM_OK)
        rc =
            toksim_token_set_integrity(tok, medium ? TOKSIM_IL_MEDIUM : TOKSIM_IL_SYSTEM);
    free(all);
    if (rc != TOKSIM_OK) {
        toksim_token_free(tok);
        return rc;
    }
    *out = tok;
    return TOKSIM_OK;
}

toksim_status toksim_whocan_tab_run(toksim_whocan_tab *out,
                                    toksim_world *world,
                                    const toksim_whocan_query *q,
                                    const toksim_sid *who,
                                    toksim_trace *trace,
                                    toksim_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!out || !world || !q || !who || q->kind != TOKSIM_WHOCAN_ACCESS || !q->sd)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "the Effective Access tab answers access questions only");
    out->principal = *who;
    toksim_token *tok = NULL;
    toksim_status rc = tab_token(&tok, world, who, q->tab_applies_integrity);
    if (rc != TOKSIM_OK)
        return ts_error_set(err, rc, 0, "building the tab's token: %s",
                            toksim_strerror(rc));
    toksim_access_request req;
    memset(&req, 0, sizeof req);
    req.mode = TOKSIM_ACCESS_OPEN;
    req.object_type = q->object_type;
    req.desired = TOKSIM_MAXIMUM_ALLOWED;
    toksim_access_result r;
    rc = toksim_access_check(&r, q->sd, tok, &req, NULL);
    out->granted_mask = r.granted;
    toksim_trace local;
    toksim_trace_init(&local);
    toksim_trace *t = trace ? trace : &local;
    size_t from = t->count;
    req.desired = q->desired;
    if (rc == TOKSIM_OK)
        rc = toksim_access_check(&r, q->sd, tok, &req, t);
    if (rc == TOKSIM_OK) {
        out->granted = r.api_ok && r.granted_all;
        toksim_trace view = *t;
        view.events = t->events + from;
        view.count = t->count - from;
        ts_wc_reasons_from_trace(out->reasons, &out->reason_count, &view);
    }
    toksim_trace_dispose(&local);
    toksim_token_free(tok);
    return rc;
}

static bool is_ace_rule(toksim_rule r)
{
    return r == TOKSIM_RULE_ACCESS_ACE_ALLOW || r == TOKSIM_RULE_ACCESS_ACE_DENY ||
           r == TOKSIM_RULE_ACCESS_ACE_OBJECT_TYPE;
}

static bool is_mic_denial(toksim_rule r)
{
    return r == TOKSIM_RULE_ACCESS_MIC_NO_WRITE_UP ||
           r == TOKSIM_RULE_ACCESS_MIC_NO_READ_UP ||
           r == TOKSIM_RULE_ACCESS_MIC_NO_EXECUTE_UP;
}

static bool is_privilege_rule(toksim_rule r)
{
    return r == TOKSIM_RULE_ACCESS_PRIV_SECURITY ||
           r == TOKSIM_RULE_ACCESS_PRIV_SECURITY_MISSING ||
           r == TOKSIM_RULE_ACCESS_PRIV_TAKE_OWNERSHIP ||
           r == TOKSIM_RULE_ACCESS_PRIV_RELABEL || r == TOKSIM_RULE_ACCESS_PRIV_BACKUP ||
           r == TOKSIM_RULE_ACCESS_PRIV_RESTORE || r == TOKSIM_RULE_ACCESS_PRIV_DISABLED;
}

toksim_status toksim_whocan_tab_explain(const toksim_whocan_tab *tab,
                                        const toksim_whocan_answer *real,
                                        toksim_trace *out)
{
    if (!tab || !real || !out)
        return TOKSIM_EINVAL;
    if (!real->logon_ok) {
        toksim_trace_event ev =
            toksim_trace_event_make(TOKSIM_RULE_QUERY_WHOCAN_TAB_NO_LOGON, TOKSIM_V_DENY);
        ev.a = real->logon_type;
        ev.status = real->logon_win32;
        ev.has_sid = true;
        ev.sid = real->principal;
        return toksim_trace_add(out, &ev);
    }
    if (tab->granted == real->granted && tab->granted_mask == real->maximum_mask)
        return TOKSIM_OK;
    toksim_status rc = TOKSIM_OK;
    const toksim_whocan_reason *label = NULL;
    for (size_t i = 0; rc == TOKSIM_OK && i < real->reason_count; i++) {
        const toksim_whocan_reason *r = &real->reasons[i];
        if (r->rule == TOKSIM_RULE_ACCESS_MIC_LABEL)
            label = r;
        if (is_ace_rule(r->rule) && r->has_sid && toksim_whocan_tab_omits(&r->sid))
            rc = ts_wc_event(out, TOKSIM_RULE_QUERY_WHOCAN_TAB_OMITS_SID, r->verdict,
                             &r->sid, r->index, r->mask, 0, 0, NULL);
        else if (r->rule == TOKSIM_RULE_ACCESS_ACE_DENY_ONLY)
            rc = ts_wc_event(out, TOKSIM_RULE_QUERY_WHOCAN_TAB_IGNORES_UAC, TOKSIM_V_DENY,
                             r->has_sid ? &r->sid : NULL, r->index, r->mask, 0, 0, NULL);
        else if (is_mic_denial(r->rule))
            rc = ts_wc_event(out, TOKSIM_RULE_QUERY_WHOCAN_TAB_IGNORES_INTEGRITY,
                             TOKSIM_V_DENY, NULL, -1, r->mask, label ? label->a : 0,
                             label ? label->b : 0, NULL);
        else if (is_privilege_rule(r->rule)) {
            toksim_trace_event ev = toksim_trace_event_make(
                TOKSIM_RULE_QUERY_WHOCAN_TAB_PRIVILEGE, r->verdict);
            ev.privilege = r->privilege;
            ev.mask = r->mask;
            rc = toksim_trace_add(out, &ev);
        } else if (r->rule == TOKSIM_RULE_QUERY_WHOCAN_SHARE_LIMITS &&
                   (real->ntfs_mask & ~real->share_mask))
            rc = ts_wc_event(out, TOKSIM_RULE_QUERY_WHOCAN_SHARE_LIMITS, TOKSIM_V_DENY,
                             NULL, -1, real->share_mask, real->share_mask,
                             real->ntfs_mask, NULL);
    }
    return rc;
}
