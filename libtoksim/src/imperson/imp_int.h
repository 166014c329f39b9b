/*
 * PURPOSE: private helpers of the impersonation layer (src/imperson): the process and
 * thread structs, result and trace-event helpers, and the few error codes the
 * impersonation APIs return that the shared catalog (errors.inc) does not list yet.
 */
#ifndef TOKSIM_IMP_INT_H
#define TOKSIM_IMP_INT_H

#include <stdio.h>
#include <string.h>
#include "internal.h"

/*
 * COM HRESULTs of CoImpersonateClient failures (windows-model §9.3, §10.3.1). errors.inc
 * catalogues them as HRESULT rows, which have no C constant.
 * Outside a call: RPC_E_CALL_COMPLETE, the answer of CoGetCallContext on a thread with no
 * call (Wine dlls/ole32/tests/compobj.c test_CoGetCallContext, run on Windows; Chromium
 * updater IsCOMCallerAdmin relies on it; docs/fidelity-notes.md F-IMP-1). The code for an
 * unauthenticated call stays UNVERIFIED.
 */
#define TS_IMP_RPC_E_UNSECURE_CALL 0x80010118u /* RPC_E_UNSECURE_CALL */
#define TS_IMP_RPC_E_CALL_COMPLETE 0x80010117u /* RPC_E_CALL_COMPLETE */

struct toksim_process {
    toksim_token *primary;
    toksim_imp_options opts;
    char holders[TOKSIM_TRACE_TEXT_SIZE]; /* who holds SeImpersonatePrivilege by policy,
                                             or "" */
};

struct toksim_thread {
    toksim_process *proc;
    toksim_token *imp; /* owned copy, or NULL when not impersonating */
};

/** The options to use: opts, or the defaults when NULL. */
const toksim_imp_options *ts_imp_opts(const toksim_imp_options *opts);

/** A zeroed event for a rule (index -1). */
static inline toksim_trace_event ts_imp_ev(toksim_rule rule, toksim_verdict verdict)
{
    toksim_trace_event e = toksim_trace_event_make(rule, verdict);
    return e;
}
void ts_imp_ev_sid(toksim_trace_event *e, const toksim_sid *sid);
void ts_imp_ev_sid2(toksim_trace_event *e, const toksim_sid *sid);
void ts_imp_ev_text(toksim_trace_event *e, const char *text);
/** Append ev; remember the first failure in *st (so callers trace unconditionally). */
void ts_imp_emit(toksim_status *st, toksim_trace *trace, const toksim_trace_event *ev);

/** Result helpers: success, and failure with a Win32 code (NTSTATUS looked up when 0). */
void ts_imp_result_reset(toksim_imp_result *out, const toksim_thread *thread);
void ts_imp_result_fail(toksim_imp_result *out,
                        uint32_t win32,
                        uint32_t ntstatus,
                        toksim_rule rule);
/**
 * The success-class outcome of AdjustTokenPrivileges / AdjustTokenGroups: the call
 * returns TRUE and GetLastError() says ERROR_NOT_ALL_ASSIGNED (1300) because `count`
 * entries named nothing adjustable; traced as `rule`. The first tracing failure is kept
 * in *st.
 */
void ts_imp_not_all_assigned(toksim_imp_result *out,
                             toksim_rule rule,
                             int64_t count,
                             toksim_status *st,
                             toksim_trace *trace);
/**
 * Fail the API with a Win32 code and trace `rule` as a deny event built from `tmpl` (its
 * SID, mask, text ...; NULL for an empty event). Returns the first tracing failure, or
 * OK.
 */
toksim_status ts_imp_fail(toksim_imp_result *out,
                          uint32_t win32,
                          uint32_t ntstatus,
                          toksim_rule rule,
                          const toksim_trace_event *tmpl,
                          toksim_trace *trace);

/**
 * Put (a copy of) `client` on the thread through the §2.2 test and §2.3 downgrade at
 * level `requested`. client_level: the client token's own level (Delegation for a primary
 * token).
 */
toksim_status ts_imp_assign(toksim_imp_result *out,
                            toksim_thread *thread,
                            const toksim_token *client,
                            toksim_imp_level client_level,
                            toksim_imp_level requested,
                            toksim_imp_route route,
                            toksim_trace *trace);

/** toksim_imp_check() with the process's "held by" note (holders NULL or "" = none). */
toksim_status ts_imp_check_ex(toksim_imp_check_result *out,
                              const toksim_token *process_token,
                              const toksim_token *client,
                              toksim_imp_level client_level,
                              toksim_imp_level requested,
                              toksim_imp_route route,
                              const toksim_imp_options *opts,
                              const char *holders,
                              toksim_trace *trace);

/** Level of a token for the purposes of capping: its level, or Delegation for a primary
 * token. */
toksim_imp_level ts_imp_token_level(const toksim_token *tok);

#endif
