/*
 * PURPOSE: IIS 7.5+ (WAS + w3wp) as far as tokens go: an application pool starts a worker
 * process whose token WAS builds per identity type (virtual account IIS APPPOOL\<pool>,
 * NetworkService, LocalService, LocalSystem, a specific account), injecting
 * BUILTIN\IIS_IUSRS and the pool SIDs at run time; a request is authenticated (anonymous,
 * basic, Windows), the handler puts the request token on the worker thread through the
 * impersonation engine (so the SeImpersonatePrivilege test and the silent Identify
 * downgrade apply) and opens the file from that thread; failures map to the HTTP status
 * IIS returns.
 *
 * Modelled: windows-model §12.1-12.5, §12.7, §13.5 L13-L14 (the MBAM case), the threads
 * of pending ISAPI extensions, remote (UNC) content through the network-hop rules of §11
 * (double hop, Kerberos delegation). Left out: URL authorization, kernel-mode caching,
 * the integrated/classic pipeline split (HTTP 500.24), loadUserProfile, the file server's
 * own local groups (its token for the arriving identity is approximated in the same
 * world).
 */
#ifndef TOKSIM_IIS_H
#define TOKSIM_IIS_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "sd.h"
#include "token.h"
#include "trace.h"
#include "findings.h"
#include "impersonate.h"
#include "world.h"

#ifdef __cplusplus
extern "C" {
#endif

/** processModel identityType (applicationHost.config values). */
typedef enum toksim_iis_identity {
    TOKSIM_IIS_LOCAL_SYSTEM = 0,
    TOKSIM_IIS_LOCAL_SERVICE = 1,
    TOKSIM_IIS_NETWORK_SERVICE = 2,
    TOKSIM_IIS_SPECIFIC_USER = 3,
    TOKSIM_IIS_APPPOOL_IDENTITY = 4 /**< default since IIS 7.5 */
} toksim_iis_identity;

/** An application pool as applicationHost.config describes it. Strings borrowed for the
 * call. */
typedef struct toksim_iis_pool_config {
    const char *name; /**< pool name ("DefaultAppPool"); required */
    toksim_iis_identity identity;
    const char *user_name; /**< TOKSIM_IIS_SPECIFIC_USER: account the world knows */
    const char
        *password; /**< TOKSIM_IIS_SPECIFIC_USER: NULL = stored password is right */
    /** processModel manualGroupMembership: WAS does not inject IIS_IUSRS (IIS docs). */
    bool manual_group_membership;
    /** Delegation configured on the identity's AD account (for remote content, §11.2). */
    toksim_delegation delegation;
    /** msDS-AllowedToDelegateTo SPNs (copied), for constrained delegation. */
    const char *const *allowed_spns;
    size_t allowed_spn_count;
    /** The model switches of the worker process (w3wp) the pool starts, copied; NULL =
     * the defaults. */
    const toksim_imp_options *options;
} toksim_iis_pool_config;

/** Cap on allowed_spn_count. */
#define TOKSIM_IIS_MAX_SPNS 64

/** A pool: its configuration, state and worker token. Opaque. */
typedef struct toksim_iis_pool toksim_iis_pool;

/** Outcome of a pool start (WAS launching w3wp). */
typedef struct toksim_iis_pool_result {
    bool started;
    uint32_t logon_win32; /**< why the identity could not log on (1385, 1326), else 0 */
    uint32_t logon_ntstatus;
    toksim_sid user; /**< worker process user */
    toksim_sid
        pool_sid; /**< IIS APPPOOL\<name> (S-1-5-82-...), whatever the identity type */
    toksim_findings findings;
} toksim_iis_pool_result;

/**
 * Start a pool (WAS launches its worker). A pool whose identity cannot log on is still
 * returned, stopped: its requests answer 503.
 * @param[out] out     the pool (caller frees with toksim_iis_pool_free), also when not
 * started
 * @param[out] res     NULL or the start outcome
 * @param[in]  world   the machine (policy read at this moment: later policy changes need
 * a recycle, as on Windows)
 * @return TOKSIM_OK, TOKSIM_EINVAL (no name, bad enum), TOKSIM_ELIMIT (name longer than
 * TOKSIM_WORLD_MAX_NAME), TOKSIM_ENOTFOUND (user_name
 * unknown), TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_iis_pool_start(toksim_iis_pool **out,
                      toksim_iis_pool_result *res,
                      struct toksim_world *world,
                      const toksim_iis_pool_config *cfg,
                      toksim_trace *trace,
                      toksim_error *err);
/** Recycle: rebuild the worker token from the world's current policy (same rules as
 * start). */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_iis_pool_recycle(toksim_iis_pool *pool,
                        toksim_iis_pool_result *res,
                        struct toksim_world *world,
                        toksim_trace *trace,
                        toksim_error *err);
TOKSIM_API void toksim_iis_pool_free(toksim_iis_pool *pool);
TOKSIM_API bool toksim_iis_pool_started(const toksim_iis_pool *pool);
/** Pool name (borrowed). */
TOKSIM_API const char *toksim_iis_pool_name(const toksim_iis_pool *pool);
/** The worker (w3wp) primary token, NULL when the pool is stopped. Borrowed. */
TOKSIM_API const toksim_token *toksim_iis_pool_token(const toksim_iis_pool *pool);

/** Authentication of the request. */
typedef enum toksim_iis_auth {
    TOKSIM_IIS_AUTH_ANONYMOUS = 0,
    TOKSIM_IIS_AUTH_BASIC =
        1, /**< logonMethod ClearText (default): LogonUser type 8 by the worker */
    TOKSIM_IIS_AUTH_WINDOWS =
        2 /**< NTLM/Kerberos via SSPI: network logon token (type 3) */
} toksim_iis_auth;

/** Whose token the handler uses to open the file. */
typedef enum toksim_iis_access {
    /**
     * The request token is put on the worker thread (static file handler; ASP.NET with
     * <identity impersonate="true"/>): goes through the impersonation engine.
     */
    TOKSIM_IIS_ACCESS_IMPERSONATE = 0,
    /** The handler stays in the worker identity (ASP.NET without impersonation). */
    TOKSIM_IIS_ACCESS_PROCESS = 1,
    /**
     * A pending ISAPI extension (HSE_STATUS_PENDING) works on its own thread: IIS set the
     * request token only on the I/O thread, so this one runs as the process (IIS SDK
     * "Extension Security Issues"; windows-model §12.1, §12.5).
     */
    TOKSIM_IIS_ACCESS_ISAPI_PENDING = 2,
    /**
     * The extension fetched HSE_REQ_GET_IMPERSONATION_TOKEN and impersonates it on its
     * thread with ImpersonateLoggedOnUser (same engine rules as IMPERSONATE).
     * These two modes collapse the ISAPI rules into one call on a pool; the IIS 5/6
     * model with processes, the I/O thread and the ECB lifetime of the handle is isapi.h.
     */
    TOKSIM_IIS_ACCESS_ISAPI_TOKEN = 3
} toksim_iis_access;

/** One request. Strings and the SD are borrowed for the call. */
typedef struct toksim_iis_request {
    toksim_iis_auth auth;
    const char *user;     /**< BASIC/WINDOWS: the authenticating account */
    const char *password; /**< BASIC: NULL = right password */
    /**
     * ANONYMOUS: anonymousAuthentication userName. NULL = "IUSR" (default); "" = the pool
     * identity (the worker's own token); else an account of the world.
     */
    const char *anonymous_user;
    /** Level of the Windows-auth token: 0 = Impersonation (default), else a
     * toksim_imp_level. */
    int windows_level;
    toksim_iis_access access;
    const char *path; /**< file name for traces ("C:\inetpub\wwwroot\index.html") */
    const toksim_sd
        *sd;          /**< the file's security descriptor; NULL = no DACL (all granted) */
    uint32_t desired; /**< access wanted; 0 = FILE_GENERIC_READ */
    /**
     * Remote content (UNC path): the file lives on another machine reached through this
     * SPN
     * ("cifs/fs01.contoso.com"); `sd` is its descriptor there. The identity that arrives
     * is decided by the impersonation layer's network-hop rules (§11). NULL = local file.
     */
    const char *remote_spn;
    /** WINDOWS: the client authenticated with Kerberos (else NTLM). */
    bool kerberos;
} toksim_iis_request;

/** What the browser would see, and why. */
typedef struct toksim_iis_response {
    int http_status;    /**< 200, 401, 500, 503 */
    int http_substatus; /**< 401.3 -> 3, 401.1 -> 1, else 0 */
    uint32_t win32;     /**< error behind a failure (1346, 5, 1385 ...), else 0 */
    uint32_t hresult; /**< HRESULT_FROM_WIN32(win32) as Failed Request Tracing logs it */
    uint32_t ntstatus;
    bool impersonated;       /**< a token was put on the thread */
    toksim_imp_level level;  /**< level of the thread token actually obtained */
    bool downgraded;         /**< the engine substituted an Identification copy */
    toksim_sid request_user; /**< the authenticated identity */
    toksim_sid acting_user;  /**< the identity the file was opened as */
    uint32_t granted;
    toksim_findings findings;
    bool remote;                      /**< the file was on another machine */
    toksim_hop_identity hop_identity; /**< who the remote server saw (when remote) */
    toksim_sid remote_user;           /**< its SID (when remote and not failed) */
} toksim_iis_response;

/**
 * Serve one request on a pool.
 * @return TOKSIM_OK (every HTTP outcome is a result), TOKSIM_EINVAL, TOKSIM_ENOTFOUND
 * (unknown user), TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_iis_request_run(toksim_iis_response *out,
                       toksim_iis_pool *pool,
                       struct toksim_world *world,
                       const toksim_iis_request *req,
                       toksim_trace *trace,
                       toksim_error *err);

/** "LocalSystem", "LocalService", "NetworkService", "SpecificUser",
 * "ApplicationPoolIdentity". */
TOKSIM_API const char *toksim_iis_identity_name(toksim_iis_identity id);
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_iis_identity_parse(toksim_iis_identity *out, const char *name);
/** "impersonate", "process", "isapi_pending", "isapi_token". */
TOKSIM_API const char *toksim_iis_access_name(toksim_iis_access a);
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_iis_access_parse(toksim_iis_access *out,
                                                                  const char *name);
/** "anonymous", "basic", "windows". */
TOKSIM_API const char *toksim_iis_auth_name(toksim_iis_auth a);
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_iis_auth_parse(toksim_iis_auth *out,
                                                                const char *name);

/* ---- issue 18: pools declared in the world (world.h "app_pools") ---- */

/**
 * The pool configuration of a declaration (world "app_pools" entry or scenario step
 * iis.app_pool.start: one parser): identity parsed with toksim_iis_identity_parse()
 * (NULL = ApplicationPoolIdentity, or SpecificUser when `user` is set). *cfg borrows the
 * strings of `decl`; delegation fields are zeroed.
 * @return TOKSIM_OK, TOKSIM_EINVAL (NULL argument), TOKSIM_EPARSE (unknown identity
 * type, SpecificUser without a user, a user with another identity type), err says which.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_iis_pool_config_from_decl(
    toksim_iis_pool_config *cfg, const toksim_world_pool *decl, toksim_error *err);

/**
 * Start the pool the world declares under `name` ("DefaultAppPool" or "IIS
 * APPPOOL\DefaultAppPool") exactly as toksim_iis_pool_start() does: the worker token
 * with IIS_IUSRS and the pool SID injected, the privileges the identity gets. The world
 * is changed as WAS changes the machine (the pool SID gets SeServiceLogonRight ..., the
 * logon-session counter advances). Who-can style callers: enumerate with
 * toksim_world_pool_count()/_at(), start each, read toksim_iis_pool_token(), free.
 * @return as toksim_iis_pool_start(); TOKSIM_ENOTFOUND when no such pool is declared.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_iis_pool_start_declared(toksim_iis_pool **out,
                               toksim_iis_pool_result *res,
                               struct toksim_world *world,
                               const char *name,
                               toksim_trace *trace,
                               toksim_error *err);

#ifdef __cplusplus
}
#endif
#endif
