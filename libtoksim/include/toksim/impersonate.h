/*
 * PURPOSE: impersonation: processes with a primary token, threads that may carry an
 * impersonation token, and the Windows operations that put a token on a thread or take it
 * off, with Windows' results and error codes:
 *   ImpersonateLoggedOnUser, SetThreadToken, ImpersonateSelf, ImpersonateAnonymousToken,
 *   RevertToSelf, OpenThreadToken, DuplicateTokenEx,
 * GetTokenInformation(TokenLinkedToken), AdjustTokenPrivileges,
 * ImpersonateNamedPipeClient, RpcImpersonateClient, CoImpersonateClient, the kernel
 * permission test applied when a token is put on a thread (windows-model §2.2, publicly
 * known as SeTokenCanImpersonate) and its silent downgrade to an Identification copy
 * (§2.3), object opens from a thread (effective token; Identify-level tokens cannot open
 * objects, §1.5), and which identity reaches a remote machine (network hops, §11).
 *
 * Modelled deliberately NOT: handles and handle tables (a token handle is a token plus
 * the access mask it was opened with), job-object restrictions (§2.3.4),
 * protected-process trust levels (§2.2 step 3), AppContainer package SIDs (only the
 * lowbox flag is compared), COM cloaking (§10.4), CreateProcessAsUser (§2.6).
 *
 * Every rule whose Windows behaviour is UNCONFIRMED sits behind a named switch of
 * toksim_imp_options, so a test can flip it when a Windows run settles it.
 *
 * Results: library status codes (toksim_status) report misuse and allocation failure
 * only. What Windows answers (TRUE/FALSE, GetLastError, HRESULT, the level obtained) is a
 * RESULT in toksim_imp_result. Decisions append toksim_trace_events with the "imp.*" rule
 * ids of rules_imperson.inc.
 *
 * Ownership: toksim_process_new() copies the primary token; the process owns it and frees
 * it in toksim_process_free(). A thread belongs to one process (which must outlive it)
 * and owns a private copy of its impersonation token (Windows shares the token object;
 * the simulator copies so that callers never see aliasing). Getters return borrowed
 * pointers valid until the next operation on that process/thread.
 */
#ifndef TOKSIM_IMPERSONATE_H
#define TOKSIM_IMPERSONATE_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "token.h"
#include "sd.h"
#include "access.h"
#include "trace.h"
#include "logon.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== Switches for the UNCONFIRMED parts of the model ==== */

/** Which restricted-token rule the same-user check (§2.2 step 8c) applies. */
typedef enum toksim_imp_restricted_rule {
    /** Off: restricted-ness is not compared. */
    TOKSIM_IMP_RESTRICTED_OFF = 0,
    /**
     * Windows 10/11 as observed (UNCONFIRMED): an unrestricted process passes whatever
     * the client is; a restricted process passes only when the client is restricted too
     * and either the process is write-restricted or the client is not write-restricted.
     */
    TOKSIM_IMP_RESTRICTED_WINDOWS = 1,
    /** ReactOS (pre-2023 SeTokenCanImpersonate): restricted-ness must be equal. */
    TOKSIM_IMP_RESTRICTED_EQUAL = 2
} toksim_imp_restricted_rule;

/** Version of toksim_imp_options; bump when fields are appended. */
#define TOKSIM_IMP_OPTIONS_VERSION 1

/**
 * Model switches. Initialise with TOKSIM_IMP_OPTIONS_INIT or toksim_imp_options_init()
 * (the defaults are the best current model of Windows 10/11); a NULL options pointer
 * means defaults. Each field names the windows-model rule it controls and whether that
 * rule is documented or UNCONFIRMED.
 */
typedef struct toksim_imp_options {
    unsigned int version; /**< TOKSIM_IMP_OPTIONS_VERSION */

    /* ---- §2.2 permission test: allow exits (documented unless noted) ---- */
    /** Step 1: a level below Impersonation is always allowed. [D-ILOU] Default true. */
    bool allow_below_impersonate;
    /**
     * Step 2: a client token of the anonymous logon session (0x3E6) is allowed. Default
     * true. Via ImpersonateAnonymousToken this is documented [D-IAT]; for every other
     * route (SetThreadToken of a 0x3E6 token ...) it is UNCONFIRMED: set false to apply
     * the exception to ImpersonateAnonymousToken only.
     */
    bool anonymous_logon_any_route;
    /** Step 4: SeImpersonatePrivilege present and enabled in the process token. Default
     * true. */
    bool allow_privilege;
    /** Step 5: process integrity must dominate client integrity. Default true. */
    bool check_integrity;
    /**
     * Step 6: client token created with explicit credentials from the caller's logon
     * session (client.origin == process.auth_id) is allowed. [D-ILOU], [D-TOKORIGIN].
     * Default true.
     */
    bool allow_explicit_credentials;
    /**
     * Step 7/9: a token of the caller's own user is allowed once the same-user checks
     * pass. [D-ILOU]. Default true. (False = only the privilege and the other exits
     * allow.)
     */
    bool allow_same_user;

    /* ---- §2.2 step 8: same-user extra checks (all UNCONFIRMED) ---- */
    /** 8a: a non-elevated process cannot impersonate an elevated token of its user.
     * Default true. */
    bool check_uac_elevation;
    /** 8c: restricted-token rule. Default TOKSIM_IMP_RESTRICTED_WINDOWS. */
    toksim_imp_restricted_rule restricted_rule;
    /**
     * 8d: deny a session-0 client token to a process of another session. UNCONFIRMED:
     * no public Windows-run source shows it (docs/impersonation.md, "The session rule"),
     * so it is off by default; when switched on and it decides, the trace says so.
     * Default false.
     */
    bool check_session;
    /**
     * 2 and 8b: a lowbox (AppContainer) process may only impersonate lowbox tokens
     * (package SIDs are not modelled: any lowbox client passes). Default true.
     */
    bool check_appcontainer;

    /* ---- §2.3 downgrade ---- */
    /**
     * On deny the thread gets a copy at Identification; a client token already at
     * Anonymous level stays Anonymous instead of being raised (UNCONFIRMED). Default
     * true.
     */
    bool anonymous_stays_anonymous;

    /* ---- AdjustTokenPrivileges ---- */
    /**
     * §3.5 [NTUTILS, secondary source]: enabling a privilege needs a minimum token
     * integrity (High for Tcb, Debug, Impersonate ...; Medium for most; none for
     * ChangeNotify, Undock, IncreaseWorkingSet). When on, enabling below the minimum is
     * not assigned (ERROR_NOT_ALL_ASSIGNED). UNCONFIRMED. Default false.
     */
    bool privilege_integrity_minimum;

    /* ---- server side ---- */
    /**
     * RpcImpersonateClient on an unauthenticated call (RPC_C_AUTHN_LEVEL_NONE) fails with
     * RPC_S_NO_CONTEXT_AVAILABLE (1765; the code per Learn RpcImpersonateClient and
     * docs/fidelity-notes.md F-IMP-2). Whether it fails at all is UNCONFIRMED (over named
     * pipes Windows may still impersonate). Default true.
     */
    bool rpc_unauthenticated_fails;

    /* ---- §11 network hops ---- */
    /**
     * NTLM double hop: the remote side sees ANONYMOUS LOGON (false, default) or the
     * connection fails with ERROR_ACCESS_DENIED (true). Which one is per-protocol and
     * UNVERIFIED (§11.1).
     */
    bool ntlm_hop_fails;
    /**
     * Kerberos constrained delegation (S4U2Proxy) works from an Impersonation-level token
     * (false, default) or needs a Delegation-level token like unconstrained delegation
     * (true). UNCONFIRMED.
     */
    bool kcd_needs_delegation_level;

    /* ---- GetTokenInformation(TokenLinkedToken), §2.7.2 ---- */
    /**
     * Without SeTcbPrivilege enabled in the caller's primary token, the linked token of a
     * UAC split token is returned as an Identification-level impersonation token (usable
     * for AccessCheck only); with it, as a primary token. UNVERIFIED (§2.7.2). Default
     * true; false = always the usable primary token.
     */
    bool linked_token_needs_tcb;

    /* ---- GetTokenInformation(TokenHasRestrictions) ---- */
    /**
     * The UAC split's filtered (Limited) token counts as "ever filtered", so
     * TokenHasRestrictions is nonzero for it (Learn TOKEN_INFORMATION_CLASS: "nonzero if
     * the token has ever been filtered"; the limited token is the filtered half of the
     * split). UNCONFIRMED (no Windows-run test found). Default true.
     */
    bool uac_limited_is_filtered;
} toksim_imp_options;

/** Defaults (keep in sync with toksim_imp_options_init()). */
#define TOKSIM_IMP_OPTIONS_INIT                                                          \
    {                                                                                    \
        TOKSIM_IMP_OPTIONS_VERSION, true, true, true, true, true, true, true,            \
            TOKSIM_IMP_RESTRICTED_WINDOWS, false, true, true, false, true, false, false, \
            true, true                                                                   \
    }

/** Fill *opts with the defaults. */
TOKSIM_API void toksim_imp_options_init(toksim_imp_options *opts);

/** A switch of toksim_imp_options by name, for scenarios and the CLI (static storage). */
typedef struct toksim_imp_option_info {
    const char *name;    /**< the field name: "check_session" */
    const char *summary; /**< one line: what turning it on models */
    const char *rule;    /**< the windows-model rule it controls: "§2.2 step 8d" */
    bool unconfirmed;    /**< the rule is UNCONFIRMED / UNVERIFIED */
    int default_value;   /**< value after toksim_imp_options_init() */
    int max_value; /**< 1 for booleans; 2 for restricted_rule (toksim_imp_restricted_rule)
                    */
} toksim_imp_option_info;

/** Number of switches, and switch i (in struct order). */
TOKSIM_API size_t toksim_imp_option_count(void);
TOKSIM_API const toksim_imp_option_info *toksim_imp_option_at(size_t i);
/**
 * Set a switch by name (case-sensitive field name) to value (0/1; 0..2 for
 * restricted_rule).
 * @return TOKSIM_OK, TOKSIM_ENOTFOUND (unknown name), TOKSIM_EINVAL (value out of range
 * or NULL arguments); detail in err (may be NULL).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_imp_options_set(toksim_imp_options *opts,
                                                                 const char *name,
                                                                 int value,
                                                                 toksim_error *err);
/** Read a switch by name. TOKSIM_ENOTFOUND for an unknown name. */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_imp_options_get(const toksim_imp_options *opts, const char *name, int *value);
/**
 * Parse a level: "Anonymous", "Identification"/"Identify", "Impersonation"/"Impersonate",
 * "Delegation"/"Delegate", each also with a "Security" prefix (SecurityIdentification),
 * or a digit 0-3. Case-insensitive. TOKSIM_EPARSE otherwise.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_imp_level_parse(toksim_imp_level *out,
                                                                 const char *text);

/* ==== The permission test (pure) ==== */

/** Routes into PsImpersonateClient; only ImpersonateAnonymousToken changes a rule (step
 * 2). */
typedef enum toksim_imp_route {
    TOKSIM_IMP_ROUTE_GENERIC = 0, /**< SetThreadToken, ImpersonateLoggedOnUser, servers */
    TOKSIM_IMP_ROUTE_ANONYMOUS_TOKEN = 1 /**< ImpersonateAnonymousToken */
} toksim_imp_route;

/** Outcome of the §2.2 test plus the §2.3 downgrade. */
typedef struct toksim_imp_check_result {
    bool allowed; /**< the test allowed the requested level */
    toksim_imp_level requested;
    /**
     * Level the thread ends up with: `requested` when allowed; else Identification (or
     * Anonymous when the client level is Anonymous and anonymous_stays_anonymous is on).
     */
    toksim_imp_level level;
    toksim_rule rule; /**< the rule that decided (an "imp.allow.*" or "imp.deny.*" id) */
} toksim_imp_check_result;

/**
 * Run the kernel permission test of windows-model §2.2 for a thread of a process with
 * primary token `process_token` that asks to impersonate `client` at `requested`, and
 * apply the §2.3 downgrade. Pure: no token is modified. `client_level` is the level the
 * client token already has (its own level for an impersonation token; pass
 * TOKSIM_IMP_DELEGATION for a primary token); it only matters for the
 * Anonymous-stays-Anonymous rule.
 *
 * @param[out] out        the decision
 * @param[in]  opts       switches, NULL = defaults
 * @param[in,out] trace   events appended ("imp.check", "imp.allow.*", "imp.deny.*",
 *                        "imp.downgrade"); NULL = no trace
 * @return TOKSIM_OK, TOKSIM_EINVAL (NULL token or out), TOKSIM_ENOMEM (trace)
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_imp_check(toksim_imp_check_result *out,
                 const toksim_token *process_token,
                 const toksim_token *client,
                 toksim_imp_level client_level,
                 toksim_imp_level requested,
                 toksim_imp_route route,
                 const toksim_imp_options *opts,
                 toksim_trace *trace);

/* ==== Processes, threads, token handles ==== */

typedef struct toksim_process toksim_process; /* opaque */
typedef struct toksim_thread toksim_thread;   /* opaque */

/** Token object access rights (winnt.h TOKEN_*), for toksim_token_handle.access. */
#define TOKSIM_TOKEN_ACCESS_ASSIGN_PRIMARY    0x0001u
#define TOKSIM_TOKEN_ACCESS_DUPLICATE         0x0002u
#define TOKSIM_TOKEN_ACCESS_IMPERSONATE       0x0004u
#define TOKSIM_TOKEN_ACCESS_QUERY             0x0008u
#define TOKSIM_TOKEN_ACCESS_QUERY_SOURCE      0x0010u
#define TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES 0x0020u
#define TOKSIM_TOKEN_ACCESS_ADJUST_GROUPS     0x0040u
#define TOKSIM_TOKEN_ACCESS_ADJUST_DEFAULT    0x0080u
#define TOKSIM_TOKEN_ACCESS_ADJUST_SESSIONID  0x0100u
#define TOKSIM_TOKEN_ACCESS_ALL               0x000F01FFu

/**
 * A token handle: the token and the access the handle was opened with. Borrowed: the
 * token must stay alive for the duration of the call that receives the handle.
 */
typedef struct toksim_token_handle {
    const toksim_token *token;
    uint32_t access; /**< TOKSIM_TOKEN_ACCESS_* */
} toksim_token_handle;

/**
 * Create a process whose primary token is a copy of `primary` (its type is forced to
 * Primary). opts: the model switches every operation of this process and its threads uses
 * (copied; NULL = defaults). Free with toksim_process_free().
 * @return TOKSIM_OK, TOKSIM_EINVAL (NULL out/primary, opts->version unknown),
 * TOKSIM_ENOMEM
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_process_new(
    toksim_process **out, const toksim_token *primary, const toksim_imp_options *opts);
/** Free a process and its primary token. NULL is accepted. Threads must be freed first.
 */
TOKSIM_API void toksim_process_free(toksim_process *proc);
/** The primary token (borrowed). */
TOKSIM_API const toksim_token *toksim_process_token(const toksim_process *proc);
/** The primary token for in-place changes (AdjustTokenPrivileges on the process token).
 */
TOKSIM_API toksim_token *toksim_process_token_mut(toksim_process *proc);
/**
 * Note who the user-rights policy gives SeImpersonatePrivilege to ("Administrators,
 * SERVICE"; copied, truncated to TOKSIM_TRACE_TEXT_SIZE - 1 bytes; NULL or "" clears it).
 * When set, the §2.2 test of this process's threads adds an "imp.privilege.holders" event
 * right after its "lacks SeImpersonatePrivilege" event, so the chain reads "... lacks
 * SeImpersonatePrivilege (held by: Administrators, SERVICE) ...". Explanation only: it
 * never changes a decision.
 */
TOKSIM_API void toksim_process_set_privilege_holders(toksim_process *proc,
                                                     const char *holders);
/** The process's switches (borrowed). */
TOKSIM_API const toksim_imp_options *toksim_process_options(const toksim_process *proc);

/**
 * Create a thread of `proc`, not impersonating. Free with toksim_thread_free() before the
 * process. @return TOKSIM_OK, TOKSIM_EINVAL, TOKSIM_ENOMEM
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_thread_new(toksim_thread **out,
                                                            toksim_process *proc);
/** Free a thread and its impersonation token. NULL is accepted. */
TOKSIM_API void toksim_thread_free(toksim_thread *thread);
TOKSIM_API toksim_process *toksim_thread_process(const toksim_thread *thread);
/** Impersonation token of the thread, or NULL when it is not impersonating (borrowed). */
TOKSIM_API const toksim_token *toksim_thread_token(const toksim_thread *thread);
/** The thread token for in-place changes (AdjustTokenPrivileges), or NULL. */
TOKSIM_API toksim_token *toksim_thread_token_mut(toksim_thread *thread);
/** Effective token (§0.1): the impersonation token if any, else the process primary
 * token. */
TOKSIM_API const toksim_token *toksim_thread_effective_token(const toksim_thread *thread);
TOKSIM_API bool toksim_thread_is_impersonating(const toksim_thread *thread);

/* ==== Results of the Windows operations ==== */

/** What a simulated Windows call answered. */
typedef struct toksim_imp_result {
    bool ok;           /**< the API's BOOL result (TRUE), or SUCCEEDED(hresult) for COM */
    uint32_t win32;    /**< GetLastError() after the call: 0 on plain success; 1300 for
                            AdjustTokenPrivileges' partial success (ok stays true) */
    uint32_t ntstatus; /**< the NTSTATUS behind win32 (0 when none applies) */
    uint32_t hresult;  /**< S_OK, HRESULT_FROM_WIN32(win32), or the COM/RPC HRESULT */
    bool impersonating;         /**< the thread impersonates after the call */
    toksim_imp_level requested; /**< level asked for (when the call impersonates) */
    toksim_imp_level
        level;        /**< level of the thread token now (valid when impersonating) */
    bool downgraded;  /**< §2.3: the check denied and an Identification copy was set */
    toksim_rule rule; /**< rule that decided the outcome */
} toksim_imp_result;

/* ---- putting a token on a thread ---- */

/**
 * ImpersonateLoggedOnUser(hToken) [D-ILOU], §2.1.1. A primary token needs TOKEN_QUERY |
 * TOKEN_DUPLICATE and is impersonated at SecurityImpersonation; an impersonation token
 * needs TOKEN_QUERY | TOKEN_IMPERSONATE and keeps its own level. Missing access:
 * ok=false, ERROR_ACCESS_DENIED. Then the §2.2 test and §2.3 downgrade (ok=true either
 * way).
 * @return TOKSIM_OK, TOKSIM_EINVAL, TOKSIM_ENOMEM
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_impersonate_logged_on_user(toksim_imp_result *out,
                                  toksim_thread *thread,
                                  const toksim_token_handle *token,
                                  toksim_trace *trace);

/**
 * SetThreadToken(thread, hToken) §2.1.2. token NULL (or token->token NULL) = revert.
 * Handle without TOKEN_IMPERSONATE: ERROR_ACCESS_DENIED (I12). Primary token:
 * ERROR_BAD_TOKEN_TYPE 1349 (I11). Else the test at the token's own level, with
 * downgrade.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_set_thread_token(toksim_imp_result *out,
                        toksim_thread *thread,
                        const toksim_token_handle *token,
                        toksim_trace *trace);

/**
 * ImpersonateSelf(level) §2.1.4: a copy of the process token at `level` (any level,
 * Anonymous included [WINE-SEC]) goes through the same test (which a token of the
 * process's own user passes unless a same-user check says otherwise).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_impersonate_self(toksim_imp_result *out,
                                                                  toksim_thread *thread,
                                                                  toksim_imp_level level,
                                                                  toksim_trace *trace);

/**
 * ImpersonateAnonymousToken(thread) §2.1.6 [D-IAT]: impersonate the system
 * anonymous-logon token (user S-1-5-7, logon session 0x3E6) at SecurityImpersonation. A
 * restricted process token: ok=false, ERROR_ACCESS_DENIED / STATUS_ACCESS_DENIED (I22).
 * No privilege needed. everyone_includes_anonymous:
 * HKLM\...\Lsa\EveryoneIncludesAnonymous (0 by default: the token has no Everyone group).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_impersonate_anonymous_token(toksim_imp_result *out,
                                   toksim_thread *thread,
                                   bool everyone_includes_anonymous,
                                   toksim_trace *trace);

/**
 * Build the system anonymous-logon token ImpersonateAnonymousToken uses: an impersonation
 * token at SecurityImpersonation, user ANONYMOUS LOGON S-1-5-7, auth id 0x3E6, Everyone
 * only when everyone_includes_anonymous, no integrity label. Caller frees with
 * toksim_token_free().
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_imp_anonymous_token(toksim_token **out, bool everyone_includes_anonymous);

/** RevertToSelf / RpcRevertToSelf / CoRevertToSelf (§2.4): the thread stops
 * impersonating. */
TOKSIM_API void
toksim_revert_to_self(toksim_imp_result *out, toksim_thread *thread, toksim_trace *trace);

/* ---- the server side of a connection ---- */

/** Transport of a client connection. */
typedef enum toksim_conn_kind {
    TOKSIM_CONN_NAMED_PIPE = 0,
    TOKSIM_CONN_RPC = 1,
    TOKSIM_CONN_COM = 2
} toksim_conn_kind;

/* The authentication package of a connection is toksim_auth_package (logon.h). */

/** SQOS flags of CreateFile for pipe clients (§1.3; level = SIL << 16). */
#define TOKSIM_SECURITY_ANONYMOUS        0x00000000u
#define TOKSIM_SECURITY_IDENTIFICATION   0x00010000u
#define TOKSIM_SECURITY_IMPERSONATION    0x00020000u
#define TOKSIM_SECURITY_DELEGATION       0x00030000u
#define TOKSIM_SECURITY_CONTEXT_TRACKING 0x00040000u
#define TOKSIM_SECURITY_EFFECTIVE_ONLY   0x00080000u
#define TOKSIM_SECURITY_SQOS_PRESENT     0x00100000u

/** RPC_C_IMP_LEVEL_* (§1.2): RPC value = SECURITY_IMPERSONATION_LEVEL + 1; 0 = default.
 */
#define TOKSIM_RPC_C_IMP_LEVEL_DEFAULT     0u
#define TOKSIM_RPC_C_IMP_LEVEL_ANONYMOUS   1u
#define TOKSIM_RPC_C_IMP_LEVEL_IDENTIFY    2u
#define TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE 3u
#define TOKSIM_RPC_C_IMP_LEVEL_DELEGATE    4u

/** RPC_C_AUTHN_LEVEL_* (§10.1). */
#define TOKSIM_RPC_C_AUTHN_LEVEL_DEFAULT       0u
#define TOKSIM_RPC_C_AUTHN_LEVEL_NONE          1u
#define TOKSIM_RPC_C_AUTHN_LEVEL_CONNECT       2u
#define TOKSIM_RPC_C_AUTHN_LEVEL_CALL          3u
#define TOKSIM_RPC_C_AUTHN_LEVEL_PKT           4u
#define TOKSIM_RPC_C_AUTHN_LEVEL_PKT_INTEGRITY 5u
#define TOKSIM_RPC_C_AUTHN_LEVEL_PKT_PRIVACY   6u

/**
 * A client connected to a server. The server thread impersonates `client` at the level
 * the client allowed (SQOS for pipes, RPC_C_IMP_LEVEL for RPC/COM), never above the level
 * of the client token itself when that is an impersonation token (§2.5.2).
 */
typedef struct toksim_client_conn {
    toksim_conn_kind kind;
    const toksim_token *client; /**< client's effective token (borrowed) */
    bool remote;                /**< the client is on another machine */
    /**
     * Package of a remote connection (logon.h). Only TOKSIM_AUTH_KERBEROS can carry
     * delegation; resolve Negotiate (TOKSIM_AUTH_DEFAULT) to what it picked before
     * calling.
     */
    toksim_auth_package auth;
    /** Pipes: dwFlagsAndAttributes of the client's CreateFile (SQOS bits). */
    uint32_t sqos_flags;
    /** Pipes: the server has read data from the pipe (else ERROR_CANNOT_IMPERSONATE,
     * I20). */
    bool data_read;
    /** RPC/COM: RPC_C_IMP_LEVEL_* the client set (0 = default). */
    uint32_t rpc_imp_level;
    /**
     * RPC/COM: what RPC_C_IMP_LEVEL_DEFAULT resolves to (the client machine's
     * LegacyImpersonationLevel, §10.2.1); 0 = the Windows default IDENTIFY.
     */
    uint32_t default_rpc_imp_level;
    /** RPC/COM: RPC_C_AUTHN_LEVEL_* of the call (0 = default = CONNECT). */
    uint32_t authn_level;
    /** RPC/COM: the server thread is servicing a call on this connection. */
    bool in_call;
    /**
     * Remote connections (§1.4): the server account is trusted for delegation; with
     * Kerberos the server then receives Delegation whatever the client asked.
     */
    bool server_trusted_for_delegation;
} toksim_client_conn;

/**
 * ImpersonateNamedPipeClient(hPipe) §2.1.3 [D-INPC]. kind must be TOKSIM_CONN_NAMED_PIPE.
 * No data read yet: ok=false, ERROR_CANNOT_IMPERSONATE 1368 (I20). Level: SQOS level when
 * SECURITY_SQOS_PRESENT, else SecurityImpersonation; remote: §1.4. Then the §2.2 test
 * with downgrade.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_impersonate_named_pipe_client(toksim_imp_result *out,
                                     toksim_thread *thread,
                                     const toksim_client_conn *conn,
                                     toksim_trace *trace);

/**
 * RpcImpersonateClient §2.1.4. No call active: ok=false, RPC_S_NO_CALL_ACTIVE 1725. An
 * unauthenticated call: see toksim_imp_options.rpc_unauthenticated_fails. Level from the
 * client's RPC_C_IMP_LEVEL (§1.2); remote NTLM caps at Impersonate, Delegate needs
 * Kerberos and server_trusted_for_delegation (§10.2.3). Win32-style result (RPC_STATUS in
 * win32).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_rpc_impersonate_client(toksim_imp_result *out,
                              toksim_thread *thread,
                              const toksim_client_conn *conn,
                              toksim_trace *trace);

/**
 * CoImpersonateClient §10.3. Outside a call: RPC_E_CALL_COMPLETE 0x80010117 (what
 * CoGetCallContext answers there; docs/fidelity-notes.md F-IMP-1); an
 * RPC_C_AUTHN_LEVEL_NONE call: RPC_E_UNSECURE_CALL 0x80010118 (UNVERIFIED code, §15).
 * Otherwise S_OK, even when the client allowed only Identify or the test downgraded
 * (§10.3.2). The HRESULT is in out->hresult.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_co_impersonate_client(toksim_imp_result *out,
                             toksim_thread *thread,
                             const toksim_client_conn *conn,
                             toksim_trace *trace);

/** Level a pipe server gets from the client's CreateFile flags (local connection, §1.3).
 */
TOKSIM_API toksim_imp_level toksim_imp_level_from_sqos(uint32_t flags_and_attributes);
/**
 * SECURITY_IMPERSONATION_LEVEL for an RPC_C_IMP_LEVEL_* value (§1.2); DEFAULT (0)
 * resolves to `default_rpc_level` (0 there = IDENTIFY). Values above 4 are treated as
 * DELEGATE.
 */
TOKSIM_API toksim_imp_level toksim_imp_level_from_rpc(uint32_t rpc_level,
                                                      uint32_t default_rpc_level);
/** RPC_C_IMP_LEVEL_* for a level (level + 1). */
TOKSIM_API uint32_t toksim_imp_level_to_rpc(toksim_imp_level level);

/* ---- opening, duplicating and adjusting tokens ---- */

/**
 * OpenThreadToken(thread, desired, OpenAsSelf) §1.6/1.7. Not impersonating:
 * ERROR_NO_TOKEN 1008 (I13, I21). Anonymous-level thread token: ERROR_CANT_OPEN_ANONYMOUS
 * 1347, whatever OpenAsSelf says [WINE-SEC] (I14). OpenAsSelf=FALSE with a thread token
 * below Impersonation: the token object is opened under that token,
 * ERROR_BAD_IMPERSONATION_LEVEL 1346 (I15). token_sd: the token object's security
 * descriptor, checked for `desired` with the process token (OpenAsSelf) or the thread
 * token; NULL = not modelled (access assumed). On success *out_token is a new handle: a
 * copy of the thread token the caller frees with toksim_token_free(); else NULL.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_open_thread_token(toksim_imp_result *out,
                         toksim_token **out_token,
                         const toksim_thread *thread,
                         uint32_t desired,
                         bool open_as_self,
                         const toksim_sd *token_sd,
                         toksim_trace *trace);

/**
 * DuplicateTokenEx(src, type, level) §2.5. Handle without TOKEN_DUPLICATE:
 * ERROR_ACCESS_DENIED. Impersonation -> impersonation: level must not exceed the source
 * level (I16); impersonation
 * -> primary: source level must be >= Impersonation (I17, I18), the requested level plays
 * no part in that test but is recorded in the new token (docs/fidelity-notes.md F-IMP-3);
 * primary -> anything: any level (I19). An out-of-range level: 1346. Failures: ok=false,
 * 1346. On success *out_token is a new token (caller frees) with the requested type and
 * level; else NULL.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_duplicate_token_ex(toksim_imp_result *out,
                          toksim_token **out_token,
                          const toksim_token_handle *src,
                          toksim_token_type type,
                          toksim_imp_level level,
                          toksim_trace *trace);

/**
 * GetTokenInformation(token, TokenLinkedToken) §2.7.2, §4.4. The handle needs TOKEN_QUERY
 * (else ERROR_ACCESS_DENIED). A token without a linked token: ERROR_NO_SUCH_LOGON_SESSION
 * 1312 (UNVERIFIED number). SeTcbPrivilege is looked up, enabled, in `caller_primary`
 * (the calling process's primary token: "Tcb is always checked in the primary token",
 * [D-LEVELS]); see toksim_imp_options.linked_token_needs_tcb. On success *out_token is a
 * new token (caller frees): the linked token as Primary (Tcb) or as an
 * Identification-level impersonation token. opts NULL = defaults.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_get_linked_token(toksim_imp_result *out,
                        toksim_token **out_token,
                        const toksim_token *caller_primary,
                        const toksim_token_handle *token,
                        const toksim_imp_options *opts,
                        toksim_trace *trace);

/** One entry of AdjustTokenPrivileges' NewState. */
typedef struct toksim_priv_change {
    /**
     * Privilege name ("SeImpersonatePrivilege"; looked up as LookupPrivilegeValue would,
     * unknown -> ERROR_NO_SUCH_PRIVILEGE before the call), or NULL to use `luid`.
     */
    const char *name;
    uint32_t luid;
    /** TOKSIM_SE_PRIVILEGE_ENABLED to enable, 0 to disable, TOKSIM_SE_PRIVILEGE_REMOVED
     * to delete. */
    uint32_t attributes;
} toksim_priv_change;

/** Cap on NewState entries (hostile input). */
#define TOKSIM_PRIV_CHANGE_MAX 256u

/**
 * AdjustTokenPrivileges(token, DisableAllPrivileges, NewState). handle_access must hold
 * TOKEN_ADJUST_PRIVILEGES (else ERROR_ACCESS_DENIED). disable_all: every privilege is
 * disabled and `changes` ignored. Otherwise each entry is applied; privileges the token
 * does not hold are not assigned: the call still succeeds (ok=true) with win32 =
 * ERROR_NOT_ALL_ASSIGNED 1300. SE_PRIVILEGE_REMOVED deletes the privilege for good.
 * See toksim_imp_options.privilege_integrity_minimum. opts NULL = defaults.
 * @return TOKSIM_OK, TOKSIM_EINVAL, TOKSIM_ELIMIT (more than TOKSIM_PRIV_CHANGE_MAX
 * changes)
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_adjust_token_privileges(toksim_imp_result *out,
                               toksim_token *token,
                               uint32_t handle_access,
                               bool disable_all,
                               const toksim_priv_change *changes,
                               size_t count,
                               const toksim_imp_options *opts,
                               toksim_trace *trace);

/* ==== Using the effective token ==== */

/** An object open from a thread (CreateFile, RegOpenKeyEx, OpenProcess ...). */
typedef struct toksim_open_request {
    const toksim_sd *sd; /**< the object's security descriptor (required) */
    toksim_access_request
        access;       /**< desired access etc.; `mode` is forced to TOKSIM_ACCESS_OPEN */
    const char *name; /**< object name for the trace ("site.css"), or NULL */
} toksim_open_request;

/** Outcome of an object open. */
typedef struct toksim_open_result {
    bool ok;        /**< the handle was opened */
    uint32_t win32; /**< 0, ERROR_ACCESS_DENIED, ERROR_BAD_IMPERSONATION_LEVEL ... */
    uint32_t ntstatus;
    uint32_t hresult;       /**< HRESULT_FROM_WIN32(win32): 0x80070542 for 1346 */
    uint32_t granted;       /**< granted access mask */
    bool used_thread_token; /**< the thread's impersonation token was the effective token
                             */
    toksim_imp_level level; /**< its level (when used_thread_token) */
    toksim_access_result access; /**< the access check (zeroed when it did not run) */
} toksim_open_result;

/**
 * Open an object from a thread: the effective token (impersonation token, else the
 * process primary token) is checked with toksim_access_check() in TOKSIM_ACCESS_OPEN
 * mode. A thread token below SecurityImpersonation fails first with
 * ERROR_BAD_IMPERSONATION_LEVEL 1346 / STATUS_BAD_IMPERSONATION_LEVEL 0xC00000A5 /
 * 0x80070542 — Anonymous as well as Identification (kernel rule "client token level <
 * SecurityImpersonation", §1.5 [ROS-ACC]; Wine's test sees ERROR_INVALID_HANDLE for the
 * predefined HKCU key, which is a registry surface detail, not modelled). A server-side
 * AccessCheck with such a token still works: call toksim_access_check() in
 * TOKSIM_ACCESS_API mode with toksim_thread_token().
 * @return TOKSIM_OK, TOKSIM_EINVAL (NULL thread/req/sd), TOKSIM_ENOMEM
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_thread_open_object(toksim_open_result *out,
                          const toksim_thread *thread,
                          const toksim_open_request *req,
                          toksim_trace *trace);

/* ==== Network hops (§11) ==== */

/** Delegation configured on the server (the process account) in Active Directory. */
typedef enum toksim_delegation {
    TOKSIM_DELEGATION_NONE = 0,
    TOKSIM_DELEGATION_UNCONSTRAINED = 1, /**< TRUSTED_FOR_DELEGATION (UAC 0x80000) */
    TOKSIM_DELEGATION_CONSTRAINED = 2,   /**< msDS-AllowedToDelegateTo (Kerberos only) */
    TOKSIM_DELEGATION_CONSTRAINED_ANY_PROTOCOL =
        3 /**< KCD + protocol transition (0x1000000) */
} toksim_delegation;

/** How the impersonated client reached this server, and where the thread goes next. */
typedef struct toksim_hop_request {
    /**
     * Package the client authenticated with. Only TOKSIM_AUTH_KERBEROS delegates; every
     * other value (TOKSIM_AUTH_DEFAULT included: resolve Negotiate first) counts as NTLM.
     */
    toksim_auth_package client_auth;
    /** The client logged on with NetworkCleartext (IIS Basic auth): the password is
     * there. */
    bool client_cleartext;
    bool client_sensitive;       /**< "Account is sensitive and cannot be delegated"
                                    (NOT_DELEGATED) */
    bool client_protected_users; /**< member of Protected Users */
    toksim_delegation server_delegation;
    /** SPNs of msDS-AllowedToDelegateTo ("cifs/fs01.contoso.com"); compared
     * case-insensitively. */
    const char *const *allowed_spns;
    size_t allowed_spn_count;
    /** SPN of the service the thread connects to. */
    const char *target_spn;
    /** SID of this computer's domain account DOMAIN\MACHINE$, or NULL (workgroup
     * machine). */
    const toksim_sid *machine_account;
    /** The process's own logon session has no credentials (network or S4U logon, §2.6.4).
     */
    bool process_without_credentials;
} toksim_hop_request;

/** Who the remote machine sees. */
typedef enum toksim_hop_identity {
    TOKSIM_HOP_CLIENT =
        0, /**< the impersonated client user (delegation, cleartext, own session) */
    TOKSIM_HOP_PROCESS_USER =
        1, /**< the process account itself (domain user with credentials) */
    TOKSIM_HOP_MACHINE = 2,   /**< the computer account DOMAIN\MACHINE$ */
    TOKSIM_HOP_ANONYMOUS = 3, /**< ANONYMOUS LOGON S-1-5-7 (null session) */
    TOKSIM_HOP_FAILED = 4     /**< the connection fails locally or at the target */
} toksim_hop_identity;

typedef struct toksim_hop_result {
    toksim_hop_identity identity;
    bool has_sid;
    toksim_sid sid;   /**< SID the remote side sees (when has_sid) */
    bool ok;          /**< false for TOKSIM_HOP_FAILED */
    uint32_t win32;   /**< failure code (1346 for an Identify-level thread, 5 ...) */
    toksim_rule rule; /**< deciding rule ("imp.hop.*") */
} toksim_hop_result;

/**
 * Which identity arrives when `thread` accesses a resource on another machine
 * (§11.1-11.2):
 * - thread token below Impersonation: the open fails locally (1346);
 * - thread token of the anonymous logon: anonymous;
 * - client sensitive or in Protected Users: never delegated (as the NTLM case below);
 * - Kerberos + Delegation-level token + unconstrained delegation: the client;
 * - constrained delegation with target_spn in allowed_spns (Kerberos client, or any
 * package with protocol transition): the client;
 * - NetworkCleartext logon: the client (the server holds the password);
 * - thread token of the process's own logon session (ImpersonateSelf): the process
 * identity;
 * - otherwise (NTLM / Impersonate-level double hop): ANONYMOUS LOGON, or failure when
 *   toksim_imp_options.ntlm_hop_fails;
 * - not impersonating: SYSTEM, NETWORK SERVICE, NT SERVICE\x and IIS APPPOOL\x go out as
 * the machine account (anonymous when machine_account is NULL); LOCAL SERVICE and IUSR go
 * out anonymously; any other account as itself (anonymous when
 * process_without_credentials).
 * @return TOKSIM_OK, TOKSIM_EINVAL, TOKSIM_ENOMEM (trace)
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_network_hop(toksim_hop_result *out,
                   const toksim_thread *thread,
                   const toksim_hop_request *req,
                   toksim_trace *trace);

/** "client", "process-user", "machine", "anonymous", "failed". */
TOKSIM_API const char *toksim_hop_identity_name(toksim_hop_identity id);

/* ==== Explanations ==== */

/**
 * Append an info event "imp.privilege.holders": which accounts the user-rights policy
 * gives privilege `luid` to (`holders`, e.g. "Administrators, SERVICE"; copied, truncated
 * to the event's text size). The impersonation layer does not know the policy; the layer
 * that does (scenario engine, identity) calls this right after a "lacks
 * SeImpersonatePrivilege" event so the chain reads "... lacks SeImpersonatePrivilege
 * (held by: Administrators, SERVICE)".
 */
TOKSIM_API toksim_status toksim_imp_trace_holders(toksim_trace *trace,
                                                  uint32_t luid,
                                                  const char *holders);

#ifdef __cplusplus
}
#endif
#endif
