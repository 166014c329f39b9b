/*
 * PURPOSE: who-can, one token at a time: put a real token (from LogonUser, the SCM or
 * WAS) through the question asked (toksim_access_check() against the object's
 * descriptor and, through a share, the share's; the privilege in the token; nothing is
 * re-derived) and keep the decisive events of the check's own trace as the answer's
 * reasons. Also the principal list of a world (accounts that log on, built-in service
 * accounts, ANONYMOUS LOGON, virtual accounts).
 */
#include <stdlib.h>
#include <string.h>
#include "query/query_int.h"

toksim_status ts_wc_event(toksim_trace *t,
                          toksim_rule rule,
                          toksim_verdict v,
                          const toksim_sid *sid,
                          int32_t index,
                          uint32_t mask,
                          int64_t a,
                          int64_t b,
                          const char *text)
{
    if (!t)
        return TOKSIM_OK;
    toksim_trace_event ev = toksim_trace_event_make(rule, v);
    if (sid) {
        ev.has_sid = true;
        ev.sid = *sid;
    }
    ev.index = index;
    ev.mask = mask;
    ev.a = a;
    ev.b = b;
    if (text) {
        strncpy(ev.text, text, sizeof ev.text - 1);
        ev.text[sizeof ev.text - 1] = '\0';
    }
    return toksim_trace_add(t, &ev);
}

void ts_wc_reason_add(toksim_whocan_reason *reasons,
                      size_t *count,
                      const toksim_trace_event *ev)
{
    if (*count >= TOKSIM_WHOCAN_MAX_REASONS)
        return;
    toksim_whocan_reason *r = &reasons[(*count)++];
    memset(r, 0, sizeof *r);
    r->rule = ev->rule;
    r->verdict = ev->verdict;
    r->index = ev->index;
    r->mask = ev->mask;
    r->privilege = ev->privilege;
    r->a = ev->a;
    r->b = ev->b;
    r->status = ev->status;
    r->has_sid = ev->has_sid;
    if (ev->has_sid)
        r->sid = ev->sid;
    size_t l = strnlen(ev->text, sizeof r->text - 1);
    memcpy(r->text, ev->text, l);
    r->text[l] = '\0';
}

/* The events that decided: an ACE that granted or denied, a group that could not grant
 * (deny-only, disabled), the owner rules, a privilege, the integrity check, the DACL's
 * absence, the restricting SIDs' pass of a restricted token; a logon right. The summary
 * events (access.granted / denied) are left out. */
static bool decisive(const toksim_trace_event *e)
{
    switch (e->rule) {
    case TOKSIM_RULE_ACCESS_GRANTED:
    case TOKSIM_RULE_ACCESS_DENIED:
    case TOKSIM_RULE_ACCESS_GENERIC_MAPPED:
    case TOKSIM_RULE_ACCESS_MAXIMUM_ALLOWED:
        return false;
    case TOKSIM_RULE_ACCESS_ACE_DENY_ONLY:
    case TOKSIM_RULE_ACCESS_ACE_DISABLED:
    case TOKSIM_RULE_ACCESS_MIC_LABEL:
    case TOKSIM_RULE_ACCESS_PRIV_DISABLED:
    case TOKSIM_RULE_ACCESS_RESTRICTED_PASS:
    case TOKSIM_RULE_ACCESS_WRITE_RESTRICTED_SKIP:
    case TOKSIM_RULE_QUERY_WHOCAN_SHARE_LIMITS:
        return true;
    default:
        return e->verdict == TOKSIM_V_GRANT || e->verdict == TOKSIM_V_DENY;
    }
}

void ts_wc_reasons_from_trace(toksim_whocan_reason *reasons,
                              size_t *count,
                              const toksim_trace *t)
{
    /* The integrity comparison is a reason only when the label refused something. */
    bool mic_denied = false;
    for (size_t i = 0; t && i < t->count; i++)
        mic_denied = mic_denied ||
                     t->events[i].rule == TOKSIM_RULE_ACCESS_MIC_NO_WRITE_UP ||
                     t->events[i].rule == TOKSIM_RULE_ACCESS_MIC_NO_READ_UP ||
                     t->events[i].rule == TOKSIM_RULE_ACCESS_MIC_NO_EXECUTE_UP;
    for (size_t i = 0; t && i < t->count; i++)
        if (decisive(&t->events[i]) &&
            (mic_denied || t->events[i].rule != TOKSIM_RULE_ACCESS_MIC_LABEL))
            ts_wc_reason_add(reasons, count, &t->events[i]);
}

static toksim_status check(toksim_access_result *r,
                           const toksim_sd *sd,
                           const toksim_token *tok,
                           uint32_t desired,
                           toksim_object_type type,
                           toksim_trace *t)
{
    toksim_access_request req;
    memset(&req, 0, sizeof req);
    req.desired = desired;
    req.mode = TOKSIM_ACCESS_OPEN; /* any token type: the open a process would make */
    req.object_type = type;
    return toksim_access_check(r, sd, tok, &req, t);
}

static toksim_status eval_access(toksim_whocan_answer *a,
                                 const toksim_whocan_query *q,
                                 const toksim_token *tok,
                                 toksim_trace *scratch,
                                 bool want_reasons,
                                 toksim_trace *full)
{
    toksim_access_result r, rs;
    toksim_status rc = check(&r, q->sd, tok, q->desired, q->object_type, NULL);
    bool share = q->share_sd != NULL;
    if (rc == TOKSIM_OK && share)
        rc = check(&rs, q->share_sd, tok, q->desired, TOKSIM_OBJ_FILE, NULL);
    if (rc != TOKSIM_OK)
        return rc;
    a->granted = r.api_ok && r.granted_all && (!share || (rs.api_ok && rs.granted_all));
    a->granted_mask = a->granted ? (r.granted & (share ? rs.granted : ~0u)) : 0;
    if (!want_reasons && !full)
        return TOKSIM_OK;
    /* The kept answers: their reasons (the traced check) and what MAXIMUM_ALLOWED gets.
     */
    toksim_access_result m, ms;
    rc = check(&m, q->sd, tok, TOKSIM_MAXIMUM_ALLOWED, q->object_type, NULL);
    a->ntfs_mask = m.granted;
    a->maximum_mask = m.granted;
    if (rc == TOKSIM_OK && share) {
        rc = check(&ms, q->share_sd, tok, TOKSIM_MAXIMUM_ALLOWED, TOKSIM_OBJ_FILE, NULL);
        a->via_share = true;
        a->share_mask = ms.granted;
        a->maximum_mask &= ms.granted;
    }
    toksim_trace *t = full ? full : scratch;
    if (rc == TOKSIM_OK && t) {
        size_t from = t->count;
        if (share) {
            rc =
                ts_wc_event(t, TOKSIM_RULE_QUERY_WHOCAN_SHARE_LIMITS,
                            (rs.api_ok && rs.granted_all) ? TOKSIM_V_INFO : TOKSIM_V_DENY,
                            NULL, -1, ms.granted, ms.granted, m.granted, NULL);
            if (rc == TOKSIM_OK)
                rc = check(&rs, q->share_sd, tok, q->desired, TOKSIM_OBJ_FILE, t);
        }
        if (rc == TOKSIM_OK)
            rc = check(&r, q->sd, tok, q->desired, q->object_type, t);
        if (rc == TOKSIM_OK) {
            toksim_trace view = *t;
            view.events = t->events + from;
            view.count = t->count - from;
            ts_wc_reasons_from_trace(a->reasons, &a->reason_count, &view);
        }
    }
    return rc;
}

static toksim_status eval_privilege(toksim_whocan_answer *a,
                                    const toksim_whocan_query *q,
                                    const toksim_world *w,
                                    const toksim_token *tok)
{
    int64_t attrs = toksim_token_privilege(tok, q->right);
    a->granted = attrs >= 0;
    a->enabled = toksim_token_privilege_enabled(tok, q->right);
    if (!a->granted)
        return TOKSIM_OK;
    /* Which SID of the token the policy assigns it to (LSA's union over user + groups).
     */
    size_t n = toksim_token_group_count(tok) + 1;
    toksim_sid *sids = ts_calloc(n, sizeof *sids);
    if (!sids)
        return TOKSIM_ENOMEM;
    sids[0] = *toksim_token_user(tok);
    for (size_t i = 1; i < n; i++)
        sids[i] = toksim_token_group_at(tok, i - 1)->sid;
    const toksim_sid *holder =
        toksim_policy_held_by_any(toksim_world_policy_const(w), q->right, sids, n);
    toksim_trace_event ev =
        toksim_trace_event_make(TOKSIM_RULE_LOGON_PRIVILEGE_GRANTED, TOKSIM_V_GRANT);
    ev.privilege = q->right;
    if (holder) {
        ev.has_sid = true;
        ev.sid = *holder;
    }
    free(sids);
    ts_wc_reason_add(a->reasons, &a->reason_count, &ev);
    return TOKSIM_OK;
}

toksim_status ts_wc_evaluate(toksim_whocan_answer *a,
                             const toksim_whocan_query *q,
                             const toksim_world *w,
                             const toksim_token *tok,
                             toksim_trace *scratch,
                             bool want_reasons,
                             toksim_trace *full)
{
    if (q->kind == TOKSIM_WHOCAN_PRIVILEGE)
        return eval_privilege(a, q, w, tok);
    if (scratch)
        toksim_trace_clear(scratch);
    return eval_access(a, q, tok, scratch, want_reasons, full);
}

/* ---- the principals of a world ---- */

static bool push(ts_wc_principal **v, size_t *n, size_t *cap, const ts_wc_principal *p)
{
    for (size_t i = 0; i < *n; i++)
        if (toksim_sid_equal(&(*v)[i].sid, &p->sid))
            return true;
    if (!ts_grow((void **)v, cap, *n + 1, sizeof **v))
        return false;
    (*v)[(*n)++] = *p;
    return true;
}

static toksim_sid nt_authority(uint32_t rid)
{
    toksim_sid s;
    memset(&s, 0, sizeof s);
    s.revision = 1;
    s.count = 1;
    s.authority[5] = 5;
    s.sub[0] = rid;
    return s;
}

toksim_status ts_wc_principals(const toksim_world *w, ts_wc_principal **out, size_t *n)
{
    ts_wc_principal *v = NULL;
    size_t cnt = 0, cap = 0;
    size_t total = toksim_world_account_count(w);
    /* Duplicates are checked only among the few non-account principals: accounts are
     * unique by SID in the world. */
    for (size_t i = 0; i < total; i++) {
        const toksim_account *acc = toksim_world_account_at(w, i);
        ts_wc_principal p;
        memset(&p, 0, sizeof p);
        p.sid = acc->sid;
        if (acc->kind == TOKSIM_ACCOUNT_USER) {
            size_t len = acc->name ? strlen(acc->name) : 0;
            if (acc->flags & TOKSIM_ACCOUNT_MANAGED_SERVICE)
                p.kind = TOKSIM_WHOCAN_P_GMSA;
            else if ((acc->flags & TOKSIM_ACCOUNT_COMPUTER) ||
                     (acc->scope == TOKSIM_SCOPE_DOMAIN && len &&
                      acc->name[len - 1] == '$'))
                p.kind = TOKSIM_WHOCAN_P_COMPUTER;
            else
                p.kind = TOKSIM_WHOCAN_P_USER;
        } else if (acc->kind == TOKSIM_ACCOUNT_WELL_KNOWN && acc->domain &&
                   (ts_strcasecmp(acc->domain, "NT SERVICE") == 0 ||
                    ts_strcasecmp(acc->domain, "IIS APPPOOL") == 0)) {
            p.kind = TOKSIM_WHOCAN_P_VIRTUAL;
            p.virtual_name = acc->name;
            p.apppool = ts_strcasecmp(acc->domain, "IIS APPPOOL") == 0;
        } else {
            continue;
        }
        if (!ts_grow((void **)&v, &cap, cnt + 1, sizeof *v)) {
            free(v);
            return TOKSIM_ENOMEM;
        }
        v[cnt++] = p;
    }
    /* The built-in principals every machine has (well-known SIDs, MS-DTYP 2.4.2.4). */
    static const struct {
        uint32_t rid;
        toksim_whocan_principal_kind kind;
    } builtin[] = {{18, TOKSIM_WHOCAN_P_BUILTIN}, /* LocalSystem */
                   {19, TOKSIM_WHOCAN_P_BUILTIN}, /* LOCAL SERVICE */
                   {20, TOKSIM_WHOCAN_P_BUILTIN}, /* NETWORK SERVICE */
                   {17, TOKSIM_WHOCAN_P_BUILTIN}, /* IUSR */
                   {7, TOKSIM_WHOCAN_P_ANONYMOUS}};
    size_t first_builtin = cnt;
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
        ts_wc_principal p;
        memset(&p, 0, sizeof p);
        p.sid = nt_authority(builtin[i].rid);
        p.kind = builtin[i].kind;
        bool dup = false;
        for (size_t j = 0; j < first_builtin && !dup; j++)
            dup = toksim_sid_equal(&v[j].sid, &p.sid);
        if (!dup && !push(&v, &cnt, &cap, &p)) {
            free(v);
            return TOKSIM_ENOMEM;
        }
    }
    *out = v;
    *n = cnt;
    return TOKSIM_OK;
}
