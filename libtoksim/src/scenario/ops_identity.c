/*
 * PURPOSE: scenario operations of the identity layer: "logon" (LogonUser through logon.c,
 * with the caller's logon session as TOKEN_ORIGIN for explicit-credential logons) and
 * "policy.set" (a GPO replacing the holders of one user right). The decisions are the
 * identity layer's; this file maps step parameters to its API and its verdicts to the
 * step result.
 */
#include "scenario/ops_claims.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/run_int.h"
#include "scenario/ops_params.h"
#include "toksim/world.h"
#include "toksim/policy.h"
#include "toksim/logon.h"

toksim_status
ts_op_logon(toksim_run *run, const ts_step *st, toksim_step_result *r, toksim_error *err)
{
    const char *user = ts_step_str(st, "user");
    const char *tname = ts_step_str(st, "type");
    toksim_logon_type type = TOKSIM_LOGON_INTERACTIVE;
    if (tname && toksim_logon_type_parse(&type, tname) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "type \"%.40s\": expected interactive, network, batch, "
                           "service, network-cleartext, "
                           "new-credentials, remote-interactive",
                           tname);
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    opt.password = ts_step_str(st, "password");
    const ts_param *el = ts_step_param(st, "elevated");
    opt.elevated = el && el->b;
    const char *pkg = ts_step_str(st, "package");
    if (pkg && toksim_auth_package_parse(&opt.package, pkg) != TOKSIM_OK)
        return ts_run_fail(run, err, TOKSIM_EPARSE,
                           "package \"%.40s\": expected negotiate, ntlm, kerberos or s4u",
                           pkg);
    const char *caller = ts_step_str(st, "caller");
    const toksim_token *ctok = NULL;
    if (caller) {
        toksim_status rc = ts_lookup_effective(run, err, caller, &ctok);
        if (rc)
            return rc;
        /* LogonUser from that process: the new token's TOKEN_ORIGIN is the caller's logon
         * session */
        opt.caller_logon_id = toksim_token_auth_id(ctok);
        opt.caller = ctok;
    }
    toksim_logon_result res;
    memset(&res, 0, sizeof res);
    toksim_error e = {0};
    toksim_status rc =
        toksim_logon_user(&res, run->world, user, type, &opt, &r->trace, &e);
    if (rc && rc != TOKSIM_ENOMEM)
        return ts_run_fail(run, err, rc, "user \"%.80s\": %s", user, e.message);
    if (rc)
        return rc;
    ts_result_codes(r, res.success, res.win32_error, res.ntstatus, 0);
    if (!res.success) {
        char ename[96];
        ts_result_error_name(ename, sizeof ename, r);
        ts_summary(run, "LogonUser(%s, %s) failed: %s", user,
                   toksim_logon_type_name(type), ename);
        return TOKSIM_OK;
    }
    r->token = res.token;
    if ((rc = ts_step_add_claims(run, st, res.token, err)) != TOKSIM_OK) { /* issue 9 */
        toksim_token_free(res.token);
        r->token = NULL;
        return rc;
    }
    if (toksim_token_type_of(res.token) == TOKSIM_TOKEN_IMPERSONATION) {
        r->has_level = true;
        r->level = toksim_token_level(res.token);
    }
    char uname[160];
    ts_run_sid_name(uname, sizeof uname, run, toksim_token_user(res.token));
    /* what a trainer compares with whoami /priv or !token: privilege counts and integrity
     */
    size_t np = toksim_token_privilege_count(res.token), ne = 0;
    for (size_t i = 0; i < np; i++) {
        uint32_t luid, attrs;
        if (toksim_token_privilege_at(res.token, i, &luid, &attrs) &&
            (attrs & TOKSIM_SE_PRIVILEGE_ENABLED))
            ne++;
    }
    uint32_t il = toksim_token_integrity(res.token);
    const char *iln = toksim_integrity_name(il) ? toksim_integrity_name(il) : "other";
    ts_summary(
        run,
        "%s logged on (%s): %s token%s%s, %s integrity, %zu privileges (%zu enabled)%s",
        uname, toksim_logon_type_name(type),
        toksim_token_type_name(toksim_token_type_of(res.token)),
        r->has_level ? " at level " : "",
        r->has_level ? toksim_imp_level_name(r->level) : "",
        toksim_token_has_integrity(res.token) ? iln : "no", np, ne,
        toksim_token_is_elevated(res.token) ? ", elevated" : "");
    const char *as = ts_step_str(st, "as");
    if (as) {
        ts_named *n;
        if ((rc = ts_named_add(run, err, as, TS_N_TOKEN, "token", &n))) {
            toksim_token_free(res.token);
            r->token = NULL;
            return rc;
        }
        n->token =
            res.token; /* owned by the name; the result points at it until the snapshot */
    } else {
        /* nobody keeps it: the runner snapshots r->token, so hand ownership to a hidden
         * name */
        char hidden[96];
        snprintf(hidden, sizeof hidden, "#%s", st->id);
        ts_named *n;
        if ((rc = ts_named_add(run, err, hidden, TS_N_TOKEN, "token", &n))) {
            toksim_token_free(res.token);
            r->token = NULL;
            return rc;
        }
        n->token = res.token;
    }
    return TOKSIM_OK;
}

toksim_status ts_op_policy_set(toksim_run *run,
                               const ts_step *st,
                               toksim_step_result *r,
                               toksim_error *err)
{
    const char *right = ts_step_str(st, "right");
    const toksim_right_info *ri = toksim_right_by_name(right);
    if (!ri)
        return ts_run_fail(run, err, TOKSIM_ENOTFOUND,
                           "unknown user right \"%.60s\" (expected a privilege or logon "
                           "right name such as "
                           "SeImpersonatePrivilege)",
                           right);
    const ts_param *h = ts_step_param(st, "holders");
    toksim_sid *sids = ts_calloc(h->nlist ? h->nlist : 1, sizeof *sids);
    if (!sids)
        return TOKSIM_ENOMEM;
    ts_buf names = {0};
    for (size_t i = 0; i < h->nlist; i++) {
        toksim_error e = {0};
        if (toksim_world_resolve(run->world, h->list[i], &sids[i], &e) != TOKSIM_OK) {
            free(sids);
            ts_buf_dispose(&names);
            return ts_run_fail(run, err, TOKSIM_ENOTFOUND, "holders: %s", e.message);
        }
        char nm[160];
        ts_run_sid_name(nm, sizeof nm, run, &sids[i]);
        ts_buf_printf(&names, "%s%s", i ? ", " : "", nm);
    }
    toksim_status rc =
        toksim_policy_set(toksim_world_policy(run->world), ri->right, sids, h->nlist);
    free(sids);
    if (rc) {
        ts_buf_dispose(&names);
        return rc;
    }
    r->ok = true;
    char *list = ts_buf_take(&names);
    ts_summary(run, "%s is now held by: %s", ri->name, list && *list ? list : "(nobody)");
    free(list);
    return TOKSIM_OK;
}
