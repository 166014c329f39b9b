/*
 * PURPOSE: what the who-can files of the query layer share (whocan.c, whocan_eval.c,
 * whocan_tab.c): the principal list, reason extraction from a trace, and event helpers.
 * Private to libtoksim/src/query/.
 */
#ifndef TS_QUERY_INT_H
#define TS_QUERY_INT_H

#include "internal.h"
#include "toksim/whocan.h"

/** One principal to ask about. */
typedef struct ts_wc_principal {
    toksim_sid sid;
    toksim_whocan_principal_kind kind;
    const char *virtual_name; /* NT SERVICE\x / IIS APPPOOL\x: x (borrowed from world) */
    bool apppool;             /* virtual: IIS APPPOOL (else NT SERVICE) */
} ts_wc_principal;

/** The principals of a world: accounts that log on, built-ins, virtual accounts. *out
 * is malloc'd (caller frees). */
toksim_status ts_wc_principals(const toksim_world *w, ts_wc_principal **out, size_t *n);

/** Copy the decisive events of an access-check / logon trace into reasons[]. */
void ts_wc_reasons_from_trace(toksim_whocan_reason *reasons,
                              size_t *count,
                              const toksim_trace *t);
/** Append one reason (dropped past TOKSIM_WHOCAN_MAX_REASONS). */
void ts_wc_reason_add(toksim_whocan_reason *reasons,
                      size_t *count,
                      const toksim_trace_event *ev);
/** Append a query event to t (NULL is a no-op). */
toksim_status ts_wc_event(toksim_trace *t,
                          toksim_rule rule,
                          toksim_verdict v,
                          const toksim_sid *sid,
                          int32_t index,
                          uint32_t mask,
                          int64_t a,
                          int64_t b,
                          const char *text);

/** Evaluate one token for the query: fills granted / masks / enabled / reasons of *a.
 * `scratch` is a reusable trace. */
toksim_status ts_wc_evaluate(toksim_whocan_answer *a,
                             const toksim_whocan_query *q,
                             const toksim_world *w,
                             const toksim_token *tok,
                             toksim_trace *scratch,
                             bool want_reasons,
                             toksim_trace *full);

#endif
