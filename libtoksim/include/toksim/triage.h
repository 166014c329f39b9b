/*
 * PURPOSE: triage of an impersonation / token error (query layer): given the calling
 * process's token (a `whoami /all` or WinDbg `!token` capture, or a scenario token), the
 * API that failed, the error seen and what is known of the other (client) token, list the
 * causes the model knows for that API and error, most likely first, each marked
 * confirmed / ruled out / unknown from what the capture shows, with the model rule that
 * produces the error and how to confirm it.
 *
 * Nothing is re-derived here: the §2.2 impersonation test is run through
 * toksim_imp_check() on the caller's token and a client token built from the stated
 * facts (facts not stated are taken as neutral: a different user, the caller's
 * integrity and session, the Impersonation level), and each cause reads the decision
 * and the token. The cause rows and their likelihood order live in one table
 * (src/query/triage_causes.c).
 *
 * Ownership: toksim_triage_run() returns a result the caller frees with
 * toksim_triage_free(). Strings inside it are static or owned by the result.
 */
#ifndef TOKSIM_TRIAGE_H
#define TOKSIM_TRIAGE_H

#include <stdbool.h>
#include "common.h"
#include "token.h"
#include "trace.h"
#include "impersonate.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The API that reported the error. */
typedef enum toksim_triage_api {
    TOKSIM_TRIAGE_API_IMPERSONATE_LOGGED_ON_USER = 0, /**< ImpersonateLoggedOnUser */
    TOKSIM_TRIAGE_API_SET_THREAD_TOKEN = 1,           /**< SetThreadToken */
    TOKSIM_TRIAGE_API_IMPERSONATE_NAMED_PIPE_CLIENT = 2,
    TOKSIM_TRIAGE_API_RPC_IMPERSONATE_CLIENT = 3,
    TOKSIM_TRIAGE_API_CO_IMPERSONATE_CLIENT = 4,
    TOKSIM_TRIAGE_API_DUPLICATE_TOKEN_EX = 5,
    TOKSIM_TRIAGE_API_OPEN_THREAD_TOKEN = 6,
    TOKSIM_TRIAGE_API_CREATE_PROCESS_AS_USER = 7,
    TOKSIM_TRIAGE_API_CREATE_PROCESS_WITH_TOKEN = 8,
    /** CreateFile, RegOpenKeyEx ... from the (impersonating) thread: "object-open" */
    TOKSIM_TRIAGE_API_OBJECT_OPEN = 9
} toksim_triage_api;

#define TOKSIM_TRIAGE_API_COUNT 10

/** "ImpersonateLoggedOnUser" ... "object-open". NULL for an unknown value. */
TOKSIM_API const char *toksim_triage_api_name(toksim_triage_api api);
/** Parse an API name (case-insensitive; the names above). TOKSIM_ENOTFOUND otherwise. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_triage_api_parse(toksim_triage_api *out,
                                                                  const char *name);

/** A fact about the client token: not stated, yes, no. */
typedef enum toksim_triage_fact {
    TOKSIM_TRIAGE_FACT_UNKNOWN = 0,
    TOKSIM_TRIAGE_FACT_YES = 1,
    TOKSIM_TRIAGE_FACT_NO = 2
} toksim_triage_fact;

/** What is known of the other token (the one the caller tried to impersonate or use). */
typedef struct toksim_triage_client {
    bool has_level;
    toksim_imp_level level; /**< its impersonation level (what the client allowed) */
    bool has_integrity;
    uint32_t integrity; /**< its integrity RID (TOKSIM_IL_*) */
    bool has_session;
    uint32_t session; /**< its terminal-services session id */
    /** It is the caller's own user (the same-user exception, §2.2 step 7). */
    toksim_triage_fact same_user;
    /**
     * It was made by LogonUser with explicit credentials in the caller's own logon
     * session (TOKEN_ORIGIN = the caller's logon id: §2.2 step 6). NO = made in another
     * logon session (an SSPI network logon, another process's LogonUser).
     */
    toksim_triage_fact own_logon_session;
    /** It is elevated (UAC full token); only the same-user path looks at it. */
    toksim_triage_fact elevated;
    /** Its TOKEN_SOURCE name as a hint ("NtLmSsp", "Kerberos", "Advapi"), or NULL. */
    const char *source;
} toksim_triage_client;

typedef struct toksim_triage_request {
    /** The calling process's primary token (required; borrowed). */
    const toksim_token *caller;
    /** The capture showed the privileges (whoami /priv or /all, !token Privs:). */
    bool caller_privileges_known;
    toksim_triage_api api;
    /** The error as seen: Win32 (1346), HRESULT (0x80070542) or NTSTATUS (0xC00000A5). */
    uint32_t error;
    toksim_triage_client client;
    /** Model switches (NULL = defaults): the UNCONFIRMED session rule is off by default.
     */
    const toksim_imp_options *opts;
} toksim_triage_request;

/** Fill the defaults: no caller, privileges known, ImpersonateLoggedOnUser, 1346. */
TOKSIM_API void toksim_triage_request_init(toksim_triage_request *req);

/** What the capture and the stated facts say about one cause. */
typedef enum toksim_triage_state {
    TOKSIM_TRIAGE_CONFIRMED = 0, /**< the capture shows it (and the model decides so) */
    TOKSIM_TRIAGE_UNKNOWN = 1,   /**< not visible in what was given */
    TOKSIM_TRIAGE_RULED_OUT = 2  /**< the capture or a stated fact excludes it */
} toksim_triage_state;

/** "confirmed", "unknown", "ruled out". */
TOKSIM_API const char *toksim_triage_state_name(toksim_triage_state s);

#define TOKSIM_TRIAGE_EVIDENCE_SIZE 256

/** One possible cause. Strings are static except `evidence` (owned by the result). */
typedef struct toksim_triage_cause {
    const char *id;    /**< stable short id: "privilege-disabled" */
    const char *title; /**< one line: what is wrong */
    toksim_rule rule;  /**< the model rule that produces the error ("imp.*") */
    toksim_triage_state state;
    unsigned rank;       /**< base likelihood rank of the table (1 = most likely) */
    const char *reason;  /**< why it has that rank */
    const char *confirm; /**< how to confirm it (command, field, API) */
    bool unconfirmed;    /**< the rule is UNCONFIRMED in the model (behind a switch) */
    char evidence[TOKSIM_TRIAGE_EVIDENCE_SIZE]; /**< what the capture / facts showed */
} toksim_triage_cause;

typedef struct toksim_triage {
    toksim_triage_api api;
    uint32_t error;   /**< the value as given */
    uint32_t win32;   /**< the Win32 error it is (0 for a COM HRESULT without one) */
    uint32_t hresult; /**< the HRESULT form (HRESULT_FROM_WIN32, or the COM HRESULT) */
    const char *name; /**< catalog name: "ERROR_BAD_IMPERSONATION_LEVEL" */
    const char
        *read_as; /**< "Win32 error", "HRESULT_FROM_WIN32", "NTSTATUS", "HRESULT" */
    /** The §2.2 test run on the caller and the client as described. */
    bool model_ran;
    toksim_imp_check_result model;
    toksim_triage_cause *causes; /**< most likely first: confirmed, unknown, ruled out */
    size_t count;
} toksim_triage;

/**
 * Triage the error. Causes are the table rows for (api, error) in likelihood order:
 * confirmed ones first, then unknown, then ruled out, each group by the table's rank.
 * No row for the pair is a result (count 0, trace "query.triage.no_known_cause"), not an
 * error. trace (may be NULL): "query.triage.error", the §2.2 test's own "imp.*" events
 * one level deeper, and one "query.triage.cause" per cause (verdict grant = confirmed,
 * deny = ruled out, info = unknown).
 * @return TOKSIM_OK; TOKSIM_EINVAL (no caller token, unknown api); TOKSIM_ENOTFOUND (the
 * error value is in no form of the catalog; err says which value); TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_triage_run(toksim_triage **out,
                  const toksim_triage_request *req,
                  toksim_trace *trace,
                  toksim_error *err);
TOKSIM_API void toksim_triage_free(toksim_triage *t);

#ifdef __cplusplus
}
#endif
#endif
