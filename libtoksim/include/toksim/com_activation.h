/*
 * PURPOSE: COM/DCOM activation as the server machine decides it: which identity the
 * activation presents (cloaking of the caller), a remote caller arriving as a network
 * logon, the launch/activation permission of the AppID (LaunchPermission, else
 * DefaultLaunchPermission) with the COM rights, the access permission, and the identity
 * the server process gets from the AppID's RunAs setting (launching user, interactive
 * user, a RunAs account logged on as a batch job with NT AUTHORITY\SERVICE, a service).
 * Also the identity an outgoing call presents per cloaking mode (EOAC_NONE,
 * EOAC_STATIC_CLOAKING, EOAC_DYNAMIC_CLOAKING).
 *
 * Sources: Microsoft Learn "RunAs", "LaunchPermission", "DefaultLaunchPermission",
 * "Access Control Lists for COM", "Activation Security", "Cloaking"; DCOM event 10016
 * (EVENT_COM_ACCESS_DENIED_IN_SERVER_ACTIVATION_OR_LAUNCH_PERMISSION); seed
 * 000_7f8f931655fb0c01 (RunAs COM servers carry SERVICE). Left out:
 * MachineLaunchRestriction and MachineAccessRestriction (limits), COM+ roles,
 * AppContainer activations, SRP checks, the class table and surrogates.
 */
#ifndef TOKSIM_COM_ACTIVATION_H
#define TOKSIM_COM_ACTIVATION_H
#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "token.h"
#include "sd.h"
#include "trace.h"
#include "logon.h"
#include "impersonate.h"
#include "findings.h"
#ifdef __cplusplus
extern "C" {
#endif

/** COM access rights (Learn "Access Control Lists for COM"). */
#define TOKSIM_COM_RIGHTS_EXECUTE         0x01u
#define TOKSIM_COM_RIGHTS_EXECUTE_LOCAL   0x02u
#define TOKSIM_COM_RIGHTS_EXECUTE_REMOTE  0x04u
#define TOKSIM_COM_RIGHTS_ACTIVATE_LOCAL  0x08u
#define TOKSIM_COM_RIGHTS_ACTIVATE_REMOTE 0x10u

/**
 * DefaultLaunchPermission as Windows ships it. The Learn page names the principals
 * (Administrators, SYSTEM, INTERACTIVE: allow launch); the local/remote split
 * (Administrators local and remote, the others local only) is how dcomcnfg shows it and
 * is UNCONFIRMED by a Microsoft text.
 */
#define TOKSIM_COM_DEFAULT_LAUNCH_SDDL                                                   \
    "O:BAG:BAD:(A;;CCDCLCSWRP;;;BA)(A;;CCDCSW;;;SY)(A;;CCDCSW;;;IU)"

/** COM codes the activation answers (also catalogued in errors.inc). */
#define TOKSIM_E_ACCESSDENIED           0x80070005u
#define TOKSIM_CO_E_RUNAS_LOGON_FAILURE 0x8000401Au
#define TOKSIM_CO_E_SERVER_EXEC_FAILURE 0x80080005u

/** The AppID's RunAs setting. */
typedef enum toksim_com_runas {
    TOKSIM_COM_RUNAS_LAUNCHING_USER = 0,   /**< no RunAs value (the default) */
    TOKSIM_COM_RUNAS_INTERACTIVE_USER = 1, /**< RunAs = "Interactive User" */
    TOKSIM_COM_RUNAS_ACCOUNT = 2,          /**< RunAs = an account with a password */
    TOKSIM_COM_RUNAS_SERVICE = 3           /**< LocalService = a Windows service */
} toksim_com_runas;

/** EOLE_AUTHENTICATION_CAPABILITIES cloaking flags of the caller. */
typedef enum toksim_com_cloaking {
    TOKSIM_COM_CLOAK_NONE = 0,   /**< EOAC_NONE: the process token */
    TOKSIM_COM_CLOAK_STATIC = 1, /**< EOAC_STATIC_CLOAKING (0x20) */
    TOKSIM_COM_CLOAK_DYNAMIC = 2 /**< EOAC_DYNAMIC_CLOAKING (0x40) */
} toksim_com_cloaking;

/** An AppID registration (HKLM\SOFTWARE\Classes\AppID\{...}). Borrowed for the call. */
typedef struct toksim_com_appid {
    const char *name; /**< AppID name or GUID, for traces and findings */
    toksim_com_runas runas;
    const char *runas_account; /**< TOKSIM_COM_RUNAS_ACCOUNT: a name the world knows */
    const char *password;      /**< its stored password (NULL = the right one) */
    const toksim_token
        *service_token; /**< TOKSIM_COM_RUNAS_SERVICE: the service's token */
    const toksim_sd *launch_permission; /**< LaunchPermission; NULL = machine default */
    const toksim_sd *access_permission; /**< AccessPermission; NULL = not checked here */
} toksim_com_appid;

/** One activation request (CoCreateInstanceEx). Tokens are borrowed. */
typedef struct toksim_com_activation {
    const toksim_com_appid *app;
    const toksim_token *caller_process; /**< the calling process's primary token */
    const toksim_token *caller_thread;  /**< its thread's impersonation token, or NULL */
    toksim_com_cloaking cloaking;       /**< the caller's CoInitializeSecurity cloaking */
    bool remote;                        /**< the caller is on another machine */
    toksim_auth_package auth;           /**< remote: NTLM or Kerberos (DEFAULT = NTLM) */
    /** The server already runs with this token: an activation, not a launch. */
    const toksim_token *running_server;
    /** TOKSIM_COM_RUNAS_INTERACTIVE_USER: the console user's token; NULL = nobody. */
    const toksim_token *interactive_user;
    /** DefaultLaunchPermission; NULL = TOKSIM_COM_DEFAULT_LAUNCH_SDDL. */
    const toksim_sd *default_launch_permission;
} toksim_com_activation;

/** What the activation answered. */
typedef struct toksim_com_activation_result {
    bool ok;
    uint32_t hresult;       /**< S_OK, E_ACCESSDENIED, CO_E_RUNAS_LOGON_FAILURE ... */
    uint32_t logon_win32;   /**< the logon error behind a failed RunAs or remote logon */
    bool launched;          /**< a new server process was started */
    toksim_sid caller;      /**< the identity the server machine checked */
    toksim_sid server_user; /**< the server process's user (when ok) */
    uint32_t needed;        /**< the COM right the permission check asked for */
    toksim_findings findings;
} toksim_com_activation_result;

/**
 * Activate a class of `act->app` on this machine (`world`). On success *server_token
 * (when not NULL) receives the server process's primary token (a copy of running_server
 * when the server was running) and *caller_token (when not NULL) the caller's token as
 * the server machine sees it (a network logon for a remote caller); the caller frees
 * both. Windows failures (E_ACCESSDENIED, CO_E_RUNAS_LOGON_FAILURE,
 * CO_E_SERVER_EXEC_FAILURE) are results. @return TOKSIM_OK, TOKSIM_EINVAL,
 * TOKSIM_ENOTFOUND (runas_account unknown), TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_com_activate(toksim_com_activation_result *out,
                    toksim_token **server_token,
                    toksim_token **caller_token,
                    struct toksim_world *world,
                    const toksim_com_activation *act,
                    toksim_trace *trace,
                    toksim_error *err);

/**
 * The identity an outgoing COM call from `thread` presents (Learn "Cloaking"): NONE = the
 * process token; DYNAMIC = the current thread token (else the process token); STATIC =
 * the proxy's identity fixed at its first call (`*proxy_identity`; when NULL it is taken
 * now from the thread token, else the process token, and *captured is set true).
 * *presented is borrowed from the thread, its process or *proxy_identity.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_com_cloak_identity(const toksim_token **presented,
                          bool *captured,
                          const toksim_thread *thread,
                          toksim_com_cloaking cloaking,
                          const toksim_token *proxy_identity,
                          toksim_trace *trace);

/** "none", "static", "dynamic"; parse is case-insensitive. */
TOKSIM_API const char *toksim_com_cloaking_name(toksim_com_cloaking c);
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_com_cloaking_parse(toksim_com_cloaking *out, const char *name);

#ifdef __cplusplus
}
#endif
#endif
