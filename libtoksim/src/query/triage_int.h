/*
 * PURPOSE: private to the triage query (src/query/triage*.c): the table of causes, one
 * row per (API set, error, cause), and how each row is marked from the capture. Prefix
 * ts_tri_.
 */
#ifndef TOKSIM_TRIAGE_INT_H
#define TOKSIM_TRIAGE_INT_H

#include "internal.h"
#include "toksim/triage.h"

/** How a cause is marked confirmed / unknown / ruled out. */
typedef enum ts_tri_eval {
    /** The privilege is absent from the caller's token (and the §2.2 test denied). */
    TS_TRI_PRIV_MISSING,
    /** The privilege is held but disabled (and the §2.2 test denied). */
    TS_TRI_PRIV_DISABLED,
    /** The client token is below Impersonation (Identify or Anonymous). */
    TS_TRI_CLIENT_BELOW_IMPERSONATE,
    /** The client token is at Anonymous level. */
    TS_TRI_CLIENT_ANONYMOUS,
    /** The client's token was made in another logon session (no step-6 exception). */
    TS_TRI_OTHER_LOGON_SESSION,
    /** Confirmed when the §2.2 test on the stated facts decided with this row's rule. */
    TS_TRI_MODEL_RULE,
    /** A privilege an API needs held (the calls enable it themselves): 1314. */
    TS_TRI_PRIV_NOT_HELD,
    /** Nothing in a token capture shows it (a handle's access, a call's state). */
    TS_TRI_NOT_VISIBLE
} ts_tri_eval;

/** Bits of toksim_triage_api for a row's API set. */
#define TS_TRI_API(a) (1u << (a))
/** The APIs that put a client token on a thread, and the open after them. */
#define TS_TRI_IMPERSONATORS                                                             \
    (TS_TRI_API(TOKSIM_TRIAGE_API_IMPERSONATE_LOGGED_ON_USER) |                          \
     TS_TRI_API(TOKSIM_TRIAGE_API_SET_THREAD_TOKEN) |                                    \
     TS_TRI_API(TOKSIM_TRIAGE_API_IMPERSONATE_NAMED_PIPE_CLIENT) |                       \
     TS_TRI_API(TOKSIM_TRIAGE_API_RPC_IMPERSONATE_CLIENT) |                              \
     TS_TRI_API(TOKSIM_TRIAGE_API_CO_IMPERSONATE_CLIENT) |                               \
     TS_TRI_API(TOKSIM_TRIAGE_API_OBJECT_OPEN))

typedef struct ts_tri_row {
    const char *id;
    unsigned apis;    /**< TS_TRI_API bits */
    const char *code; /**< catalog name of the error: "ERROR_BAD_IMPERSONATION_LEVEL" */
    toksim_rule rule;
    ts_tri_eval eval;
    uint32_t privilege; /**< for the privilege evaluations */
    unsigned rank;
    bool unconfirmed;
    const char *title;
    const char *reason;
    const char *confirm;
} ts_tri_row;

/** The table (triage_causes.c) and its length. */
extern const ts_tri_row ts_tri_rows[];
extern const size_t ts_tri_row_count;

/** What the evaluations read: the request and the §2.2 decision on the stated facts. */
typedef struct ts_tri_ctx {
    const toksim_triage_request *req;
    bool model_ran;
    toksim_imp_check_result model;
    bool saw_missing, saw_disabled; /* the test's imp.privilege.missing / .disabled */
} ts_tri_ctx;

/** Mark one row; writes the evidence sentence. */
toksim_triage_state
ts_tri_eval_row(const ts_tri_row *row, const ts_tri_ctx *cx, char *evidence, size_t n);

#endif
