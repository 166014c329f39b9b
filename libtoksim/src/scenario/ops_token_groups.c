/*
 * PURPOSE: the scenario operation token.adjust_groups, translated onto
 * toksim_adjust_token_groups() (AdjustTokenGroups): "enable" and "disable" lists of
 * account names, "reset" (ResetToDefault), "access" (the handle's rights, default
 * TOKEN_ALL_ACCESS). No Windows rule lives here.
 */
#include <stdio.h>
#include <string.h>
#include "scenario/ops_token_groups.h"
#include "toksim/world.h"
#include "toksim/token_api.h"
#include "scenario/ops_params.h"

#define TS_GROUP_CHANGES_MAX 64

static toksim_status add_list(toksim_run *run,
                              toksim_error *err,
                              const ts_step *st,
                              const char *key,
                              bool enable,
                              toksim_group_change *out,
                              size_t *n)
{
    const ts_param *p = ts_step_param(st, key);
    for (size_t i = 0; p && i < p->nlist; i++) {
        if (*n >= TS_GROUP_CHANGES_MAX)
            return ts_param_fail(run, err, st, key, TOKSIM_ELIMIT,
                                 "%s: more than %d groups in all", key,
                                 TS_GROUP_CHANGES_MAX);
        toksim_status rc = ts_param_sid(run, err, st, key, p->list[i], &out[*n].sid);
        if (rc)
            return rc;
        out[*n].enable = enable;
        (*n)++;
    }
    return TOKSIM_OK;
}

toksim_status ts_op_token_adjust_groups(toksim_run *run,
                                        const ts_step *st,
                                        toksim_step_result *r,
                                        toksim_error *err)
{
    const toksim_token *tok;
    toksim_token *mut;
    toksim_status rc = ts_lookup_token(run, err, ts_step_str(st, "token"), &tok, &mut);
    if (rc)
        return rc;
    toksim_group_change ch[TS_GROUP_CHANGES_MAX];
    size_t n = 0;
    uint32_t access = 0;
    if ((rc = add_list(run, err, st, "enable", true, ch, &n)) ||
        (rc = add_list(run, err, st, "disable", false, ch, &n)) ||
        (rc = ts_param_access(run, err, st, "access", TOKSIM_OBJ_TOKEN,
                              TOKSIM_TOKEN_ACCESS_ALL, &access)))
        return rc;
    const ts_param *reset = ts_step_param(st, "reset");
    toksim_imp_result ir;
    memset(&ir, 0, sizeof ir);
    if ((rc = toksim_adjust_token_groups(&ir, mut, access, reset && reset->b, ch, n,
                                         &r->trace)))
        return rc;
    ts_result_codes(r, ir.ok, ir.win32, ir.ntstatus, ir.hresult);
    r->token = mut;
    char ename[96];
    ts_result_error_name(ename, sizeof ename, r);
    ts_summary(run, "AdjustTokenGroups %s%s%s", ir.ok ? "succeeded" : "failed",
               r->win32 ? ": " : "", r->win32 ? ename : "");
    return TOKSIM_OK;
}
