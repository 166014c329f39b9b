/*
 * PURPOSE: step parameters read the same way by several operation files (ops_params.h):
 * one reading of an SDDL parameter (the world's aliases, the error with its byte offset)
 * and of an RPC impersonation level name, and run errors positioned at a parameter. No
 * Windows rule lives here.
 */
#include <stdarg.h>
#include <stdio.h>
#include "scenario/ops_params.h"
#include "toksim/world.h"
#include "toksim/impersonate.h"
#include "imperson/imp_adopt.h"
#include "scenario/model_int.h"

toksim_status ts_param_sd(toksim_run *run,
                          toksim_error *err,
                          const ts_step *st,
                          const char *key,
                          toksim_sd **out)
{
    *out = NULL;
    const char *s = ts_step_str(st, key);
    if (!s)
        return TOKSIM_OK;
    toksim_sid_context ctx = toksim_world_sid_context(run->world);
    toksim_error e = {0};
    toksim_status rc = toksim_sd_from_sddl(out, s, &ctx, &e);
    if (rc == TOKSIM_ENOMEM)
        return rc;
    return rc ? ts_run_fail(run, err, rc, "%s: %s (at byte %zu)", key, e.message,
                            e.offset)
              : TOKSIM_OK;
}

bool ts_parse_rpc_level(const char *s, int *out)
{
    /* RPC_C_IMP_LEVEL_DEFAULT .. RPC_C_IMP_LEVEL_DELEGATE (toksim/impersonate.h) */
    static const char *const names[] = {"default", "anonymous", "identify", "impersonate",
                                        "delegate"};
    for (int i = 0; s && i < 5; i++)
        if (ts_strcasecmp(s, names[i]) == 0) {
            *out = i;
            return true;
        }
    return false;
}

toksim_status ts_param_fail(toksim_run *run,
                            toksim_error *err,
                            const ts_step *st,
                            const char *key,
                            toksim_status code,
                            const char *fmt,
                            ...)
{
    if (!err)
        return code;
    char msg[TOKSIM_ERROR_MESSAGE_SIZE]; /* as ts_run_fail cuts it */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ts_run_fail(run, err, code, "%s", msg);
    const ts_param *p = ts_step_param(st, key);
    if (!p || !p->offset || code == TOKSIM_ENOMEM)
        return code;
    err->offset = p->offset;
    ts_text_linecol(run->sc->text, run->sc->len, p->offset, &err->line, &err->column);
    return code;
}

toksim_status ts_param_sid(toksim_run *run,
                           toksim_error *err,
                           const ts_step *st,
                           const char *key,
                           const char *name,
                           toksim_sid *out)
{
    toksim_error e = {0};
    if (toksim_world_resolve(run->world, name, out, &e) == TOKSIM_OK)
        return TOKSIM_OK;
    return ts_param_fail(run, err, st, key, TOKSIM_ENOTFOUND,
                         "%s: unknown account or group \"%.80s\" (expected a name of the "
                         "world, a well-known name, an SDDL alias or a SID)",
                         key, name ? name : "");
}

toksim_status ts_step_required_privileges(const ts_step *st,
                                          uint32_t *luids,
                                          size_t *n,
                                          const char **bad)
{
    const ts_param *rp = ts_step_param(st, "required_privileges");
    *n = 0;
    *bad = NULL;
    if (rp && rp->nlist > TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES)
        return TOKSIM_ELIMIT;
    for (size_t i = 0; rp && i < rp->nlist; i++) {
        const toksim_privilege_info *pi = toksim_privilege_by_name(rp->list[i]);
        if (!pi) {
            *bad = rp->list[i];
            return TOKSIM_EPARSE;
        }
        luids[(*n)++] = pi->luid;
    }
    return TOKSIM_OK;
}

toksim_status ts_make_process_owned(toksim_run *run,
                                    toksim_error *err,
                                    const char *name,
                                    const char *what,
                                    toksim_token *token,
                                    ts_named **out)
{
    ts_named *n;
    toksim_status rc = ts_named_add(run, err, name, TS_N_PROCESS, what, &n);
    if (rc) {
        toksim_token_free(token);
        return rc;
    }
    if ((rc = ts_process_adopt(&n->proc, token, ts_run_model(run))))
        return rc;
    if ((rc = toksim_thread_new(&n->thread, n->proc)))
        return rc;
    if (out)
        *out = n;
    return TOKSIM_OK;
}
