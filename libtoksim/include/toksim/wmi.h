/*
 * PURPOSE: COM/DCOM calls and WMI providers as far as tokens go. A client with an
 * impersonation level (RPC_C_IMP_LEVEL_*, default resolved as COM or WMI scripting does)
 * calls a server; for WMI the server is a provider hosted in WmiPrvSE under the account
 * its HostingModel selects, registered with ImpersonationLevel 0 or 1,
 * PerUserInitialization, InitializeAsAdminFirst. The provider then runs a list of actions
 * (CoImpersonateClient, CoRevertToSelf, open an object, call back into WMI) through the
 * impersonation engine; the outcome is reported as HRESULT/WBEM codes with findings.
 *
 * Modelled: windows-model §1.2, §10.2-10.5, §13.6 C1, C3-C9. Left out: authentication
 * levels beyond "NONE refuses impersonation", cloaking of outbound calls (§10.4,
 * UNVERIFIED), namespace security descriptors, decoupled providers' FoldIdentity, remote
 * hops.
 */
#ifndef TOKSIM_WMI_H
#define TOKSIM_WMI_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "sd.h"
#include "token.h"
#include "trace.h"
#include "findings.h"
#include "impersonate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* RPC_C_IMP_LEVEL_* and RPC_C_AUTHN_LEVEL_* constants come from impersonate.h. */

/** WBEM and COM codes the model returns (also catalogued in errors.inc). */
#define TOKSIM_WBEM_S_NO_ERROR      0x00000000u
#define TOKSIM_WBEM_S_ACCESS_DENIED 0x00040009u
#define TOKSIM_WBEM_E_FAILED        0x80041001u
#define TOKSIM_WBEM_E_ACCESS_DENIED 0x80041003u
#define TOKSIM_RPC_E_UNSECURE_CALL  0x80010118u
#define TOKSIM_RPC_E_NO_CONTEXT     0x8001011Eu
#define TOKSIM_S_OK                 0x00000000u

/** Registry defaults when nothing is configured (windows-model §10.2.1, §10.5.1). */
#define TOKSIM_COM_LEGACY_IMP_LEVEL_DEFAULT TOKSIM_RPC_C_IMP_LEVEL_IDENTIFY
#define TOKSIM_WMI_SCRIPT_IMP_LEVEL_DEFAULT TOKSIM_RPC_C_IMP_LEVEL_IMPERSONATE

/** Which client stack resolves RPC_C_IMP_LEVEL_DEFAULT. */
typedef enum toksim_com_client_kind {
    /** COM API client that never called CoInitializeSecurity: LegacyImpersonationLevel
       (2). */
    TOKSIM_COM_CLIENT_API = 0,
    /** WMI scripting / Get-WmiObject: WBEM\Scripting\Default Impersonation Level (3);
       Anonymous is raised to Identify. */
    TOKSIM_COM_CLIENT_WMI_SCRIPT = 1
} toksim_com_client_kind;

/** __Win32Provider.HostingModel (windows-model §10.5.4). */
typedef enum toksim_wmi_hosting {
    TOKSIM_WMI_HOST_DEFAULT = 0, /**< unset: NetworkServiceHostOrSelfHost since Vista */
    TOKSIM_WMI_HOST_NETWORK_SERVICE,
    TOKSIM_WMI_HOST_NETWORK_SERVICE_OR_SELF,
    TOKSIM_WMI_HOST_LOCAL_SERVICE,
    TOKSIM_WMI_HOST_LOCAL_SYSTEM,
    TOKSIM_WMI_HOST_LOCAL_SYSTEM_OR_SELF,
    TOKSIM_WMI_HOST_SELF,     /**< the provider's own server process:
                                 toksim_com_call.server_token */
    TOKSIM_WMI_HOST_DECOUPLED /**< Decoupled:Com: the provider's own process */
} toksim_wmi_hosting;

/** A provider registration (__Win32Provider instance). Strings borrowed. */
typedef struct toksim_wmi_provider {
    const char *name; /**< "MS_NT_EVENTLOG_PROVIDER" */
    toksim_wmi_hosting hosting;
    const char *host_group;  /**< "NetworkServiceHost:<group>" suffix, or NULL */
    int impersonation_level; /**< 0 = run in WMI's context, 1 = impersonate the client */
    bool per_user_initialization;
    bool initialize_as_admin_first;
} toksim_wmi_provider;

/** What the server/provider does, step by step. */
typedef enum toksim_com_action_kind {
    TOKSIM_COM_IMPERSONATE = 0, /**< CoImpersonateClient */
    TOKSIM_COM_REVERT = 1,      /**< CoRevertToSelf */
    TOKSIM_COM_OPEN = 2,        /**< open an object from the current thread */
    TOKSIM_COM_CALL_WMI = 3,    /**< call back into WMI (reentrancy); with `sd` set, the
                                   nested work opens that object */
    TOKSIM_COM_INITIALIZE =
        4, /**< start of the provider's initialization phase (IWbemProviderInit) */
    TOKSIM_COM_INIT_DONE =
        5 /**< end of the initialization phase (request work follows) */
} toksim_com_action_kind;

/** When an open is denied, how the provider reports it (windows-model §10.5.5). */
typedef enum toksim_wmi_on_deny {
    TOKSIM_WMI_DENY_FAIL = 0,    /**< fail the operation: WBEM_E_ACCESS_DENIED */
    TOKSIM_WMI_DENY_PARTIAL = 1, /**< return what it could with WBEM_S_ACCESS_DENIED */
    TOKSIM_WMI_DENY_SILENT =
        2 /**< NULL properties / skipped instances, WBEM_S_NO_ERROR */
} toksim_wmi_on_deny;

typedef struct toksim_com_action {
    toksim_com_action_kind kind;
    const char *object;  /**< OPEN / CALL_WMI: object name for traces */
    const toksim_sd *sd; /**< its SD; NULL = no DACL */
    toksim_object_type object_type;
    uint32_t desired; /**< 0 = GENERIC_READ mapped for object_type */
    toksim_wmi_on_deny on_deny;
} toksim_com_action;

/** Cap on actions per call. */
#define TOKSIM_COM_MAX_ACTIONS 64

/** One call from a client into a COM server or a WMI provider. Everything borrowed. */
typedef struct toksim_com_call {
    const toksim_token
        *client;          /**< the client's token (primary or impersonation); required */
    int client_imp_level; /**< RPC_C_IMP_LEVEL_* 0..4 */
    int client_authn_level; /**< RPC_C_AUTHN_LEVEL_*; 0 = default (CONNECT) */
    toksim_com_client_kind client_kind;
    /** LegacyImpersonationLevel / scripting default if set in the registry; 0 = absent.
     */
    int registry_default_level;
    /**
     * The server process token. Plain COM: required. WMI: used for SELF/DECOUPLED
     * hosting; NULL otherwise (WmiPrvSE's token is built from the hosting model).
     */
    const toksim_token *server_token;
    /** WMI: the provider; NULL = a plain COM server. */
    const toksim_wmi_provider *provider;
    /** The WMI service (winmgmt) token for reentrant calls and ImpersonationLevel 0; NULL
     * = LocalSystem built from the world. */
    const toksim_token *wmi_service_token;
    const toksim_com_action *actions;
    size_t action_count;
    /**
     * DCOM from another machine (§1.4, §10.2.3): NTLM caps the level at Impersonate;
     * Delegate needs Kerberos and a server trusted for delegation. false = a local call.
     */
    bool remote_client;
    toksim_auth_package client_auth; /**< package of a remote call (logon.h) */
    bool server_trusted_for_delegation;
    /**
     * WMI: the namespace's security descriptor (root\cimv2 ...). WMI checks the client's
     * token for Enable Account (and Remote Enable for a remote client) before any
     * provider runs; NULL = not checked.
     */
    const toksim_sd *namespace_sd;
    const char *namespace_name; /**< for traces ("root\cimv2"), or NULL */
    /** The model switches of the processes the call makes (the server host, WMI's
     * re-entry); NULL = the defaults. */
    const toksim_imp_options *options;
} toksim_com_call;

/** WMI namespace rights (wbemcli.h WBEM_*), checked before a provider runs. */
#define TOKSIM_WBEM_ENABLE        0x00000001u
#define TOKSIM_WBEM_REMOTE_ACCESS 0x00000020u

/** Per-action outcome. */
typedef struct toksim_com_action_result {
    uint32_t hresult; /**< S_OK, HRESULT_FROM_WIN32(1346), E_ACCESSDENIED ... */
    uint32_t win32;
    bool impersonating; /**< thread state after the action */
    toksim_imp_level
        level; /**< thread token level after the action (valid when impersonating) */
    toksim_sid
        acting; /**< identity the thread runs as after the action (for OPEN: opened as) */
    uint32_t granted;
} toksim_com_action_result;

typedef struct toksim_com_result {
    bool ok;                             /**< the call succeeded (success-class code) */
    uint32_t hresult;                    /**< overall HRESULT (COM) */
    uint32_t wbem;                       /**< overall WBEM code (WMI calls) */
    int effective_client_level;          /**< RPC_C_IMP_LEVEL after default resolution */
    toksim_imp_level client_token_level; /**< level of the token the server received */
    toksim_sid host_user;                /**< server / WmiPrvSE process user */
    bool host_has_impersonate; /**< host token holds SeImpersonatePrivilege enabled */
    size_t action_count;
    /** actions[0..action_count) are set; the slots after them are left as they were */
    toksim_com_action_result actions[TOKSIM_COM_MAX_ACTIONS];
    toksim_findings findings; /**< items[0..count) are set, the rest as they were */
} toksim_com_result;

/**
 * Run a call. For WMI (call->provider set) the host token is built in `world` from the
 * hosting model (service logon of NETWORK SERVICE / LOCAL SERVICE / SYSTEM with SERVICE
 * S-1-5-6).
 * @return TOKSIM_OK (denials are results), TOKSIM_EINVAL (no client, no server token for
 * a plain COM call, level out of 0..4, too many actions), TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_com_call_run(toksim_com_result *out,
                                                              struct toksim_world *world,
                                                              const toksim_com_call *call,
                                                              toksim_trace *trace,
                                                              toksim_error *err);

/**
 * Build the WmiPrvSE token a hosting model selects (NETWORK SERVICE by default). Caller
 * frees. TOKSIM_EINVAL for SELF/DECOUPLED (no WmiPrvSE).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_wmi_host_token(toksim_token **out,
                      struct toksim_world *world,
                      toksim_wmi_hosting hosting,
                      toksim_trace *trace,
                      toksim_error *err);

/**
 * Parse a HostingModel string: "NetworkServiceHost", "LocalSystemHostOrSelfHost",
 * "NetworkServiceHost:MyGroup" (group copied into group_buf when not NULL),
 * "Decoupled:Com",
 * "" = default. Case-insensitive.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_wmi_hosting_parse(toksim_wmi_hosting *out,
                         char *group_buf,
                         size_t group_n,
                         const char *text,
                         toksim_error *err);
TOKSIM_API const char *toksim_wmi_hosting_name(toksim_wmi_hosting h);
/** "impersonate", "revert", "open", "call_wmi", "initialize", "init_done". */
TOKSIM_API const char *toksim_com_action_name(toksim_com_action_kind k);
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_com_action_parse(toksim_com_action_kind *out, const char *name);
/** Effective RPC_C_IMP_LEVEL after default resolution (pure function of
 * §10.2.1/§10.5.1-2). */
TOKSIM_API int toksim_com_effective_level(int requested,
                                          toksim_com_client_kind kind,
                                          int registry_default_level);

/** IWbemLocator::ConnectServer to a namespace: who connects, at what level, and the
 * namespace's security descriptor. Everything borrowed. */
typedef struct toksim_wmi_connect_request {
    const toksim_token *client; /**< required */
    int client_imp_level;       /**< RPC_C_IMP_LEVEL_* 0..4 */
    toksim_com_client_kind client_kind;
    int registry_default_level; /**< 0 = absent */
    bool remote_client;         /**< from another machine: Remote Enable is needed too */
    const toksim_sd *namespace_sd; /**< required: the namespace's descriptor */
    const char *namespace_name;    /**< for traces ("root\cimv2"), or NULL */
} toksim_wmi_connect_request;

typedef struct toksim_wmi_connect_result {
    bool ok;                             /**< the connection is made */
    uint32_t wbem;                       /**< WBEM_S_NO_ERROR or WBEM_E_ACCESS_DENIED */
    int effective_client_level;          /**< after default resolution */
    toksim_imp_level client_token_level; /**< level of the token WMI checked */
    uint32_t granted; /**< namespace rights granted (WBEM_ENABLE ...) when checked */
} toksim_wmi_connect_result;

/**
 * Connect to a namespace: an Anonymous-level client is refused (Impersonating a Client),
 * then the client's token is checked against the namespace SD for WBEM_ENABLE, plus
 * WBEM_REMOTE_ACCESS when remote (Access to WMI Namespaces). Refusals are
 * WBEM_E_ACCESS_DENIED results.
 * @return TOKSIM_OK, TOKSIM_EINVAL (no client or SD, level out of 0..4), TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_wmi_connect(toksim_wmi_connect_result *out,
                   const toksim_wmi_connect_request *req,
                   toksim_trace *trace,
                   toksim_error *err);

#ifdef __cplusplus
}
#endif
#endif
