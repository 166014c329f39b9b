/*
 * PURPOSE: ISAPI extensions in the IIS 5/6 (IIS 5.0 isolation) process model, as far as
 * tokens go: where an extension runs (in-process in inetinfo.exe as SYSTEM; pooled or
 * isolated in a COM+ dllhost.exe as IWAM_<machine>), the request token IIS builds per
 * authentication scheme (anonymous = IUSR_<machine>, Basic, NTLM, a client certificate
 * mapped to an account), the I/O thread IIS impersonates with SetThreadToken before it
 * calls HttpExtensionProc, and the threads of a pending extension (HSE_STATUS_PENDING):
 * they run as the process identity until they fetch HSE_REQ_GET_IMPERSONATION_TOKEN and
 * impersonate it. The handle is IIS's and lives as long as the EXTENSION_CONTROL_BLOCK:
 * until HttpExtensionProc returns (synchronous) or HSE_REQ_DONE_WITH_SESSION (pending);
 * a use after that fails with ERROR_INVALID_HANDLE. RevertToSelf returns a thread to
 * SYSTEM or IWAM_<machine>. A thread that opens an object as its process identity on a
 * user's behalf is a finding (finding.system_context_on_behalf for SYSTEM,
 * finding.process_context_on_behalf for IWAM).
 *
 * Sources: "Extension Security Issues" (IIS SDK, 1997; seed 004), HSE_REQ_GET_
 * IMPERSONATION_TOKEN (IIS 6.0 SDK), KB Q236855 (pooled/isolated applications run in
 * COM+ as IWAM_<machine>), LogonMethod metabase property (IIS 6.0). windows-model §12.1,
 * §12.5.
 *
 * Everything that decides uses the impersonation layer (SetThreadToken,
 * ImpersonateLoggedOnUser, the §2.2 test and its silent Identify downgrade, RevertToSelf,
 * object opens) on the caller's threads: the caller creates the extension process from
 * the token toksim_isapi_app_token() returns, and passes its threads in. Left out:
 * filters, the IIS 6 worker-process mode (see iis.h), handle-value reuse after a close,
 * the DS certificate mapper, per-request UNC credentials.
 */
#ifndef TOKSIM_ISAPI_H
#define TOKSIM_ISAPI_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "token.h"
#include "trace.h"
#include "findings.h"
#include "impersonate.h"
#include "logon.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Application protection (IIS 5 "Application Protection"). */
typedef enum toksim_isapi_isolation {
    TOKSIM_ISAPI_INPROC = 0, /**< Low (IIS process): inetinfo.exe, LocalSystem */
    TOKSIM_ISAPI_POOLED = 1, /**< Medium (pooled): a shared dllhost.exe, IWAM_<machine> */
    TOKSIM_ISAPI_ISOLATED = 2 /**< High (isolated): its own dllhost.exe, IWAM_<machine> */
} toksim_isapi_isolation;

/** An application's process. Strings borrowed for the call. */
typedef struct toksim_isapi_app_config {
    const char *name; /**< application / extension ("/scripts/report.dll"); required */
    toksim_isapi_isolation isolation;
    /** POOLED/ISOLATED: the COM+ identity; NULL = "<MACHINE>\IWAM_<MACHINE>". */
    const char *wam_user;
    const char *wam_password; /**< NULL = the stored password is right */
    /**
     * POOLED/ISOLATED: the logon type COM+ uses for the RunAs identity. 0 = batch, the
     * model's default (UNCONFIRMED: IIS setup grants IWAM "Log on as a batch job", which
     * points there, but no public source states the type).
     */
    toksim_logon_type wam_logon;
} toksim_isapi_app_config;

/** Outcome of an application start. */
typedef struct toksim_isapi_app_result {
    bool loaded;
    uint32_t logon_win32; /**< why IWAM could not log on (1385, 1326 ...), else 0 */
    uint32_t logon_ntstatus;
    toksim_sid user; /**< the process identity (SYSTEM or IWAM_<machine>) */
} toksim_isapi_app_result;

/**
 * The primary token of the process an extension runs in: LocalSystem's (in-process) or a
 * batch logon of IWAM_<machine> made by COM+ (pooled, isolated; logon type UNCONFIRMED).
 * @param[out] out  the token (caller frees), NULL when the identity could not log on
 * @return TOKSIM_OK, TOKSIM_EINVAL (no name, bad isolation), TOKSIM_ENOTFOUND (the IWAM
 * account is not in the world: IIS setup creates it, declare it), TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_isapi_app_token(toksim_token **out,
                       toksim_isapi_app_result *res,
                       struct toksim_world *world,
                       const toksim_isapi_app_config *cfg,
                       toksim_trace *trace,
                       toksim_error *err);

/** Authentication of the request. */
typedef enum toksim_isapi_auth {
    TOKSIM_ISAPI_AUTH_ANONYMOUS = 0, /**< IUSR_<machine> (or the configured user) */
    TOKSIM_ISAPI_AUTH_BASIC = 1,     /**< cleartext credentials: LogonUser(LogonMethod) */
    TOKSIM_ISAPI_AUTH_NTLM = 2, /**< Windows NT Challenge/Response: SSPI network logon */
    TOKSIM_ISAPI_AUTH_CERTIFICATE = 3 /**< client certificate mapped to an account */
} toksim_isapi_auth;

/** LogonMethod metabase values (MD_LOGON_*, iiscnfg.h). */
typedef enum toksim_isapi_logon_method {
    TOKSIM_ISAPI_LOGON_INTERACTIVE = 0,
    TOKSIM_ISAPI_LOGON_BATCH = 1,
    TOKSIM_ISAPI_LOGON_NETWORK = 2,
    TOKSIM_ISAPI_LOGON_CLEARTEXT = 3 /**< the IIS 6.0 default */
} toksim_isapi_logon_method;

/** One request. Strings borrowed for the call. Initialise with toksim_isapi_request_init.
 */
typedef struct toksim_isapi_request {
    toksim_isapi_auth auth;
    /** BASIC/NTLM: the account; CERTIFICATE: the account the certificate maps to. */
    const char *user;
    const char *password; /**< BASIC and mapping passwords: NULL = right */
    /** ANONYMOUS: the anonymous account; NULL = "<MACHINE>\IUSR_<MACHINE>". */
    const char *anonymous_user;
    /** How inetinfo logs cleartext credentials on (anonymous, Basic, mapped accounts). */
    toksim_isapi_logon_method logon_method;
} toksim_isapi_request;

/** Defaults: anonymous, LogonMethod cleartext (3, the documented IIS 6.0 default). */
TOKSIM_API void toksim_isapi_request_init(toksim_isapi_request *req);

/** An EXTENSION_CONTROL_BLOCK: the request token and the lifetime of its handle. Opaque.
 */
typedef struct toksim_isapi_ecb toksim_isapi_ecb;

/** What one ISAPI call answered. */
typedef struct toksim_isapi_result {
    bool ok;        /**< the call's BOOL (an open: the handle was opened) */
    uint32_t win32; /**< GetLastError(): 6 for a stale token handle, 5, 1346, 1326 ... */
    uint32_t ntstatus;
    uint32_t hresult;
    int http_status;        /**< request start: 401 when the logon failed, else 0 */
    bool impersonating;     /**< the thread impersonates after the call */
    toksim_imp_level level; /**< its level (when impersonating) */
    bool downgraded;        /**< §2.3: an Identification copy was substituted */
    toksim_sid acting_user; /**< the thread's effective user after the call */
    toksim_sid request_user;
    uint32_t granted; /**< an open: the access granted */
    toksim_findings findings;
} toksim_isapi_result;

/**
 * IIS authenticates a request for an extension and calls HttpExtensionProc on
 * `io_thread` (a thread of the extension's process) after SetThreadToken with the
 * request token (§2.2 test and downgrade apply). A failed logon: *out NULL, http 401.
 * @return TOKSIM_OK, TOKSIM_EINVAL, TOKSIM_ENOTFOUND (unknown user / IUSR not
 * declared), TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_isapi_request_begin(toksim_isapi_ecb **out,
                           toksim_isapi_result *res,
                           struct toksim_world *world,
                           toksim_thread *io_thread,
                           const toksim_isapi_request *req,
                           toksim_trace *trace,
                           toksim_error *err);
TOKSIM_API void toksim_isapi_ecb_free(toksim_isapi_ecb *ecb);
/** The ECB is still valid (no return without PENDING, no DONE_WITH_SESSION yet). */
TOKSIM_API bool toksim_isapi_ecb_alive(const toksim_isapi_ecb *ecb);
/** The authenticated user (borrowed). */
TOKSIM_API const toksim_sid *toksim_isapi_ecb_user(const toksim_isapi_ecb *ecb);
/** The request's impersonation token while the ECB lives, else NULL (borrowed). */
TOKSIM_API const toksim_token *toksim_isapi_ecb_token(const toksim_isapi_ecb *ecb);

/**
 * ServerSupportFunction(HSE_REQ_GET_IMPERSONATION_TOKEN): the extension receives the
 * handle. TOKSIM_EINVAL once the ECB ended (the ECB pointer itself is then dangling on
 * Windows: not modelled).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_isapi_get_impersonation_token(toksim_isapi_result *res,
                                     toksim_isapi_ecb *ecb,
                                     toksim_trace *trace,
                                     toksim_error *err);

/**
 * ImpersonateLoggedOnUser (set_thread_token false) or SetThreadToken with the handle
 * fetched earlier. After the ECB ended: ok=false, ERROR_INVALID_HANDLE, thread unchanged.
 * TOKSIM_EINVAL when the handle was never fetched.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_isapi_impersonate(toksim_isapi_result *res,
                         toksim_isapi_ecb *ecb,
                         toksim_thread *thread,
                         bool set_thread_token,
                         toksim_trace *trace,
                         toksim_error *err);

/**
 * The extension opens an object from `thread` for the request
 * (toksim_thread_open_object). A thread that is not impersonating acts as the process
 * identity: a finding when that is not the request's user.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_isapi_open(toksim_isapi_result *res,
                  const toksim_isapi_ecb *ecb,
                  const toksim_thread *thread,
                  const toksim_open_request *orq,
                  toksim_trace *trace,
                  toksim_error *err);

/** RevertToSelf: the thread runs as SYSTEM or IWAM_<machine> again. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_isapi_revert(toksim_isapi_result *res,
                                                              toksim_thread *thread,
                                                              toksim_trace *trace,
                                                              toksim_error *err);

/**
 * HttpExtensionProc returns on the I/O thread; IIS reverts that thread. pending false
 * (HSE_STATUS_SUCCESS ...): the ECB ends and the token handle is closed; pending true
 * (HSE_STATUS_PENDING): the ECB lives until HSE_REQ_DONE_WITH_SESSION. TOKSIM_EINVAL when
 * it already returned or the ECB ended.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_isapi_return(toksim_isapi_result *res,
                                                              toksim_isapi_ecb *ecb,
                                                              toksim_thread *io_thread,
                                                              bool pending,
                                                              toksim_trace *trace,
                                                              toksim_error *err);

/** ServerSupportFunction(HSE_REQ_DONE_WITH_SESSION): the ECB ends, the handle is closed.
 * TOKSIM_EINVAL when the ECB already ended. */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_isapi_done_with_session(toksim_isapi_result *res,
                               toksim_isapi_ecb *ecb,
                               toksim_trace *trace,
                               toksim_error *err);

/** "inproc", "pooled", "isolated". */
TOKSIM_API const char *toksim_isapi_isolation_name(toksim_isapi_isolation i);
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_isapi_isolation_parse(toksim_isapi_isolation *out, const char *name);
/** "anonymous", "basic", "ntlm", "certificate". */
TOKSIM_API const char *toksim_isapi_auth_name(toksim_isapi_auth a);
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_isapi_auth_parse(toksim_isapi_auth *out,
                                                                  const char *name);
/** "interactive", "batch", "network", "cleartext". */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_isapi_logon_method_parse(toksim_isapi_logon_method *out, const char *name);

#ifdef __cplusplus
}
#endif
#endif
