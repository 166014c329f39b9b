/*
 * PURPOSE: the Service Control Manager starting a service: which logon it makes for each
 * account kind, the logon-right check (SeServiceLogonRight / deny variant, from the
 * effective policy of the world), and the groups the SCM puts in the process token:
 * SERVICE S-1-5-6, the service SID per SERVICE_SID_TYPE (none / unrestricted / restricted
 * with write-restricted restricting SIDs), the logon SID and LOCAL.
 *
 * Modelled: windows-model §4.1, §4.5, §5.8, §13.5 L11-L12. Left out: shared svchost
 * groups (all services of a process must agree on the SID type), required privileges
 * (SERVICE_REQUIRED_PRIVILEGES_INFO), service DACLs, start/stop access checks on the SCM.
 */
#ifndef TOKSIM_SCM_H
#define TOKSIM_SCM_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "token.h"
#include "trace.h"
#include "findings.h"
#include "world.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which account the service is configured to run as (ObjectName in the service config).
 */
typedef enum toksim_service_account {
    TOKSIM_SVC_LOCAL_SYSTEM = 0,    /**< "LocalSystem" */
    TOKSIM_SVC_LOCAL_SERVICE = 1,   /**< "NT AUTHORITY\LocalService" */
    TOKSIM_SVC_NETWORK_SERVICE = 2, /**< "NT AUTHORITY\NetworkService" */
    TOKSIM_SVC_USER = 3,            /**< a local or domain account with a password */
    TOKSIM_SVC_VIRTUAL = 4          /**< virtual account "NT SERVICE\<service name>" */
} toksim_service_account;

/** SERVICE_SID_INFO.dwServiceSidType (winsvc.h). */
typedef enum toksim_service_sid_type {
    TOKSIM_SERVICE_SID_TYPE_NONE = 0,
    TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED = 1,
    TOKSIM_SERVICE_SID_TYPE_RESTRICTED = 3
} toksim_service_sid_type;

/**
 * Attributes the SCM gives the service SID (SERVICE_SID_INFO doc: EnabledByDefault|Owner,
 * windows-model §5.8, L11).
 */
#define TOKSIM_SCM_SERVICE_SID_ATTRIBUTES 0x0000000Au
/**
 * The service SID of a started service: also SE_GROUP_ENABLED. Public `whoami /groups`
 * captures of running services (NT SERVICE\MSSQLSERVER, NT SERVICE\TrustedInstaller) show
 * "Enabled by default, Enabled group, Group owner" (0xE); in a shared svchost the SIDs of
 * the services not started show "Enabled by default, Group owner" (0xA) only.
 */
#define TOKSIM_SCM_SERVICE_SID_STARTED_ATTRIBUTES 0x0000000Eu

/** A service as the SCM database describes it. Strings are borrowed for the call. */
typedef struct toksim_service_config {
    const char *name; /**< service name ("MSSQLSERVER"); required */
    toksim_service_account account;
    const char
        *account_name; /**< TOKSIM_SVC_USER: "CONTOSO\svc_sql", a name the world knows */
    const char *password; /**< TOKSIM_SVC_USER: NULL = the stored password is right */
    toksim_service_sid_type sid_type;
    /**
     * SERVICE_REQUIRED_PRIVILEGES_INFO: when count > 0 the SCM removes every other
     * privilege from the process token (SeChangeNotifyPrivilege is never removed). LUIDs
     * (privilege.h).
     */
    const uint32_t *required_privileges;
    size_t required_privilege_count;
} toksim_service_config;

/** Cap on required privileges (there are 35 privileges; duplicates are allowed). */
#define TOKSIM_SCM_MAX_REQUIRED_PRIVILEGES TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES

/** What Windows would show. */
typedef struct toksim_service_result {
    bool started;
    /** 0 when started; ERROR_SERVICE_LOGON_FAILED 1069 when the logon failed
     * (StartService). */
    uint32_t win32;
    /** The logon error behind a 1069 (1385 logon type not granted, 1326 bad password),
     * else 0. */
    uint32_t logon_win32;
    uint32_t logon_ntstatus;
    toksim_sid user; /**< the account the process runs as (valid when started) */
    bool has_service_sid;
    toksim_sid service_sid; /**< NT SERVICE\<name> (S-1-5-80-...) */
    toksim_findings findings;
} toksim_service_result;

/**
 * Start a service: log its account on with a service logon (type 5) in `world`, check the
 * logon right, build the process token with the SCM's groups.
 *
 * @param[out] out       verdict (always filled when TOKSIM_OK is returned)
 * @param[out] token     NULL, or receives the process token when the service started
 * (caller frees it with toksim_token_free); set to NULL otherwise
 * @param[in]  world     the machine; its logon-session counter advances
 * @param[in]  cfg       the service
 * @param      trace     NULL or a trace the decisions are appended to
 * @param[out] err       NULL or error detail
 * @return TOKSIM_OK (a service that does not start is a result), TOKSIM_EINVAL (missing
 * name, unknown enum value), TOKSIM_ELIMIT (name longer than TOKSIM_WORLD_MAX_NAME),
 * TOKSIM_ENOTFOUND (account_name unknown to the world),
 * TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_service_start(toksim_service_result *out,
                     toksim_token **token,
                     struct toksim_world *world,
                     const toksim_service_config *cfg,
                     toksim_trace *trace,
                     toksim_error *err);

/** "LocalSystem", "LocalService", "NetworkService", "User", "Virtual". */
TOKSIM_API const char *toksim_service_account_name(toksim_service_account a);
/** Parse the names above, case-insensitive (also "NT AUTHORITY\NetworkService" forms). */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_service_account_parse(toksim_service_account *out, const char *name);
/** "none", "unrestricted", "restricted". */
TOKSIM_API const char *toksim_service_sid_type_name(toksim_service_sid_type t);
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_service_sid_type_parse(toksim_service_sid_type *out, const char *name);

/* ---- issue 18: services declared in the world (world.h "services") ---- */

/**
 * The service configuration of a declaration (world "services" entry or scenario step
 * service.start: one parser). `account`: NULL or a name toksim_service_account_parse()
 * knows (LocalSystem, LocalService, NetworkService and their NT AUTHORITY spellings);
 * "NT SERVICE\<name>" = the service's virtual account (another service's name is an
 * error, as ChangeServiceConfig refuses it); anything else = a user or gMSA account.
 * `sid_type` via toksim_service_sid_type_parse() (NULL = none). *cfg borrows `decl`.
 * @return TOKSIM_OK, TOKSIM_EINVAL (NULL argument), TOKSIM_EPARSE (bad SID type, the
 * bare words "User"/"Virtual" without a name, another service's virtual account).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_service_config_from_decl(
    toksim_service_config *cfg, const toksim_world_service *decl, toksim_error *err);

/**
 * Start the service the world declares under `name` ("MSSQLSERVER" or "NT
 * SERVICE\MSSQLSERVER") exactly as toksim_service_start() does (SERVICE, the service SID
 * per its SID type, required privileges). Who-can style callers: enumerate with
 * toksim_world_service_count()/_at() and start each by name.
 * @return as toksim_service_start(); TOKSIM_ENOTFOUND when no such service is declared.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_service_start_declared(toksim_service_result *out,
                              toksim_token **token,
                              struct toksim_world *world,
                              const char *name,
                              toksim_trace *trace,
                              toksim_error *err);

#ifdef __cplusplus
}
#endif
#endif
