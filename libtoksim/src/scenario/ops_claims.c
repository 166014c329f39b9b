/*
 * PURPOSE: the claims parameters of token-creating steps (ops_claims.h). A logon made
 * over the network from another device carries that device's claims and groups
 * (compound authentication, MS-KILE 3.3.5.7.4); a step states them here, and may add
 * user claims on top of the world's (world-format.md, users[].claims).
 */
#include <stdio.h>
#include "scenario/ops_claims.h"
#include "toksim/claims.h"
#include "toksim/world.h"

static toksim_status fail_at(toksim_run *run,
                             toksim_error *err,
                             const ts_step *st,
                             const char *key,
                             int i,
                             toksim_status rc,
                             const char *msg)
{
    if (rc == TOKSIM_ENOMEM)
        return rc;
    rc = ts_run_fail(run, err, rc, "%s[%d]: %s", key, i, msg);
    const ts_param *p = ts_step_param(st, key);
    if (err && p && p->offset) {
        err->offset = p->offset;
        ts_text_linecol(run->sc->text, run->sc->len, p->offset, &err->line, &err->column);
    }
    return rc;
}

toksim_status ts_step_add_claims(toksim_run *run,
                                 const ts_step *st,
                                 toksim_token *tok,
                                 toksim_error *err)
{
    static const char *const keys[] = {"user_claims", "device_claims", "device_groups"};
    for (int k = 0; k < 3; k++) {
        const ts_param *p = ts_step_param(st, keys[k]);
        for (size_t i = 0; p && i < p->nlist; i++) {
            toksim_error e = {0};
            toksim_status rc;
            if (k == 2) {
                toksim_sid sid;
                rc = toksim_world_resolve(run->world, p->list[i], &sid, &e);
                if (rc == TOKSIM_OK)
                    rc = toksim_token_add_device_group(tok, &sid);
            } else {
                rc = toksim_token_add_claim(
                    tok, k == 0 ? TOKSIM_CLAIMS_USER : TOKSIM_CLAIMS_DEVICE, p->list[i],
                    &e);
            }
            if (rc)
                return fail_at(run, err, st, keys[k], (int)i, rc,
                               e.message[0] ? e.message : "out of memory");
        }
    }
    return TOKSIM_OK;
}
