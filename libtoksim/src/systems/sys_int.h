/*
 * PURPOSE: private helpers shared by the systems layer (src/systems): trace events with
 * the fields the systems rules use, and recording findings. Prefix ts_sys_.
 */
#ifndef TOKSIM_SYS_INT_H
#define TOKSIM_SYS_INT_H

#include "internal.h"

/** Optional parts of a systems trace event; zero-initialise and fill what the rule uses.
 */
typedef struct ts_sys_ev {
    const toksim_sid *sid;
    const toksim_sid *sid2;
    int64_t a, b;
    uint32_t status;
    uint32_t mask;
    const char *text;
} ts_sys_ev;

/** Append one event (index -1). Returns the trace's status (TOKSIM_ENOMEM). */
toksim_status ts_sys_trace(toksim_trace *trace,
                           toksim_rule rule,
                           toksim_verdict verdict,
                           const ts_sys_ev *ev);

/**
 * Record a finding in `f` (drops it and sets `truncated` past the cap) and trace it with
 * the finding rule (sid = subject, sid2 = client, text = context).
 */
toksim_status ts_sys_finding(toksim_findings *f,
                             toksim_trace *trace,
                             toksim_rule rule,
                             int step,
                             const toksim_sid *subject,
                             const toksim_sid *client,
                             const char *context);

/** Copy a well-known SID string into out (the strings used here are constants that
 * parse). */
toksim_sid ts_sys_sid(const char *text);

#endif
