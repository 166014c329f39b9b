/*
 * PURPOSE: TEACHING MODEL of the "potato" / token-kidnapping family: a service holding
 * SeImpersonatePrivilege coerces a local SYSTEM authentication (the print spooler
 * connecting to a pipe the service created - PrintSpoofer; DCOM activation through rpcss
 * with a local OXID resolver - RottenPotato/JuicyPotato; a remote OXID redirector -
 * RoguePotato) and impersonates SYSTEM. The model reuses the impersonation layer (the
 * §2.2 test and its silent Identify downgrade, object opens at Identification failing
 * with ERROR_BAD_IMPERSONATION_LEVEL 1346) and shows what stops it: the privilege absent,
 * a write-restricted service token (UNCONFIRMED switch), or no coercion path for the OS
 * profile. It is a model of preconditions from public write-ups, not an exploit.
 *
 * Sources: itm4n, "PrintSpoofer - Abusing Impersonation Privileges on Windows 10 and
 * Server 2019" (2020); ohpe/juicy-potato README; decoder.cloud, "No more JuicyPotato? Old
 * story, welcome RoguePotato!" (2020: local OXID resolution on a port other than 135 is
 * refused from Windows 10 1809 / Server 2019); J. Forshaw, "Sharing a Logon Session a
 * Little Too Much" (2020) and "Windows Security Internals" (2024) on the impersonation
 * check; Learn "Impersonate a client after authentication".
 */
#ifndef TOKSIM_POTATO_H
#define TOKSIM_POTATO_H
#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "token.h"
#include "sd.h"
#include "trace.h"
#include "impersonate.h"
#include "findings.h"
#ifdef __cplusplus
extern "C" {
#endif

/** How SYSTEM is made to authenticate to the service. */
typedef enum toksim_potato_path {
    TOKSIM_POTATO_SPOOLER = 0,    /**< print spooler connects to the service's pipe */
    TOKSIM_POTATO_DCOM_LOCAL = 1, /**< DCOM activation, local OXID resolver (Juicy) */
    TOKSIM_POTATO_DCOM_REMOTE = 2 /**< DCOM activation, remote OXID redirector (Rogue) */
} toksim_potato_path;

typedef struct toksim_potato_request {
    const toksim_token *service; /**< the service process's primary token (required) */
    toksim_potato_path path;
    bool spooler_running; /**< the Spooler service runs (SPOOLER path) */
    /** DCOM_REMOTE: the attacker controls a host that answers on port 135. */
    bool remote_redirector;
    /** An object only SYSTEM may open (NULL: owner SYSTEM, DACL SYSTEM full control). */
    const toksim_sd *target_sd;
    const char *target_name;
    uint32_t target_access; /**< desired access on the target (0: FILE_ALL_ACCESS) */
    toksim_object_type target_type;
    /**
     * UNCONFIRMED: a write-restricted service token (SERVICE_SID_TYPE_RESTRICTED) cannot
     * complete the chain. Default true in the teaching model; no public write-up states
     * the mechanism, hence the switch.
     */
    bool write_restricted_blocks;
    /** The model switches of the service process the lab makes; NULL = the defaults. */
    const toksim_imp_options *options;
} toksim_potato_request;

/** Fill the defaults: SPOOLER, spooler running, write_restricted_blocks true. */
TOKSIM_API void toksim_potato_request_init(toksim_potato_request *req);

typedef struct toksim_potato_result {
    bool coerced;           /**< a SYSTEM authentication reached the service */
    bool impersonated;      /**< the thread holds SYSTEM at Impersonation level */
    toksim_imp_level level; /**< level of the thread token after the impersonation */
    bool ok;                /**< the SYSTEM-only object was opened */
    uint32_t win32;         /**< 0, 1346 (Identify), 5 ... */
    uint32_t hresult;
    toksim_rule stopped_by; /**< the "potato.*" rule that stopped the chain, or 0 */
    toksim_findings findings;
} toksim_potato_result;

/**
 * Run the teaching model in `world` (its OS profile decides the DCOM_LOCAL path).
 * @return TOKSIM_OK, TOKSIM_EINVAL, TOKSIM_ENOMEM
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_potato_run(toksim_potato_result *out,
                  struct toksim_world *world,
                  const toksim_potato_request *req,
                  toksim_trace *trace,
                  toksim_error *err);

/** "spooler", "dcom_local", "dcom_remote"; parse is case-insensitive. */
TOKSIM_API const char *toksim_potato_path_name(toksim_potato_path p);
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_potato_path_parse(toksim_potato_path *out, const char *name);

#ifdef __cplusplus
}
#endif
#endif
