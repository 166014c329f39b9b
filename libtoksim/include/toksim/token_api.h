/*
 * PURPOSE: the Win32 token calls a lab or a policy test makes, with Windows' results:
 *   GetTokenInformation (one class at a time), CreateRestrictedToken, IsTokenRestricted,
 *   CheckTokenMembership, PrivilegeCheck, SetTokenInformation(TokenIntegrityLevel),
 *   CreateProcessAsUser and CreateProcessWithTokenW.
 *
 * Results: like impersonate.h, a toksim_status reports misuse or allocation failure only;
 * what Windows answers (BOOL, GetLastError, NTSTATUS) is a toksim_imp_result. Decisions
 * append "token.*" / "process.create.*" trace events (rules_imperson.inc).
 *
 * Ownership: tokens and processes returned through out-parameters are the caller's
 * (toksim_token_free, toksim_process_free); a toksim_token_info is released with
 * toksim_token_info_dispose().
 */
#ifndef TOKSIM_TOKEN_API_H
#define TOKSIM_TOKEN_API_H

#include <stdbool.h>
#include "common.h"
#include "token.h"
#include "trace.h"
#include "impersonate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ==== GetTokenInformation ==== */

/** TOKEN_INFORMATION_CLASS values (winnt.h) the model answers: one row each. */
typedef enum toksim_token_info_class {
#define TOKSIM_TIC_ROW(e, num, name) TOKSIM_TIC_##e = num,
#include "token_info_classes.inc"
#undef TOKSIM_TIC_ROW
} toksim_token_info_class;

/** The class named "TokenUser" ... (exact, case-sensitive); false when unknown. */
TOKSIM_API bool toksim_token_info_class_parse(toksim_token_info_class *out,
                                              const char *name);
/** "TokenUser" ... or NULL for a class the model does not answer. Static storage. */
TOKSIM_API const char *toksim_token_info_class_name(toksim_token_info_class cls);
/** Number of classes, and the i-th in table order (for listings). */
TOKSIM_API size_t toksim_token_info_class_count(void);
TOKSIM_API toksim_token_info_class toksim_token_info_class_at(size_t i);

/** What GetTokenInformation returned for one class. */
typedef struct toksim_token_info {
    toksim_token_info_class cls;
    toksim_imp_result call; /**< ok / win32 / ntstatus of the call */
    /**
     * TokenType (1/2), TokenImpersonationLevel, TokenSessionId, TokenElevationType
     * (1/2/3), TokenElevation (0/1), TokenIntegrityLevel (the label RID),
     * TokenHasRestrictions, TokenIsAppContainer, TokenMandatoryPolicy.
     */
    uint32_t value;
    /** TokenOrigin, TokenStatistics.AuthenticationId. */
    uint64_t luid;
    /** TokenStatistics: TokenId, GroupCount, PrivilegeCount, ImpersonationLevel. */
    uint64_t token_id;
    uint32_t group_count, privilege_count;
    toksim_imp_level stats_level;
    toksim_token_type stats_type;
    /** TokenUser, TokenOwner, TokenPrimaryGroup, TokenIntegrityLevel (label SID). */
    toksim_sid sid;
    /** TokenUser attributes, TokenIntegrityLevel attributes. */
    uint32_t attributes;
    /** TokenLinkedToken: the token handed out (owned; NULL on failure). */
    toksim_token *linked;
    /* TokenGroups, TokenPrivileges, TokenRestrictedSids: read the token itself
     * (toksim_token_group_at ...); the call's success is in `call`. */
} toksim_token_info;

/**
 * GetTokenInformation(token, cls). The handle needs TOKEN_QUERY (TokenSource:
 * TOKEN_QUERY_SOURCE), else ERROR_ACCESS_DENIED. TokenImpersonationLevel on a primary
 * token fails with ERROR_INVALID_PARAMETER. TokenLinkedToken follows
 * toksim_get_linked_token() (caller_primary: the calling process's primary token, NULL =
 * one without SeTcbPrivilege; opts NULL = defaults). Release *out with
 * toksim_token_info_dispose(). TOKSIM_OK, TOKSIM_EINVAL (NULL or unknown class),
 * TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_token_query(toksim_token_info *out,
                   const toksim_token_handle *token,
                   toksim_token_info_class cls,
                   const toksim_token *caller_primary,
                   const toksim_imp_options *opts,
                   toksim_trace *trace);
TOKSIM_API void toksim_token_info_dispose(toksim_token_info *info);

/* ==== CreateRestrictedToken ==== */

/** CreateRestrictedToken flags (winnt.h). */
#define TOKSIM_DISABLE_MAX_PRIVILEGE 0x1u
#define TOKSIM_SANDBOX_INERT         0x2u
#define TOKSIM_LUA_TOKEN             0x4u
#define TOKSIM_WRITE_RESTRICTED      0x8u

/** The arguments of CreateRestrictedToken (borrowed arrays). */
typedef struct toksim_restrict_request {
    uint32_t flags;            /**< TOKSIM_DISABLE_MAX_PRIVILEGE ... */
    const toksim_sid *disable; /**< SidsToDisable: become deny-only */
    size_t ndisable;
    const uint32_t *delete_privs; /**< PrivilegesToDelete (LUIDs) */
    size_t ndelete;
    const toksim_sid *restrict_sids; /**< SidsToRestrict */
    size_t nrestrict;
} toksim_restrict_request;

/**
 * CreateRestrictedToken(src, flags, ...). The handle needs TOKEN_DUPLICATE (else
 * ERROR_ACCESS_DENIED). The new token keeps the source's type and level; its parent id is
 * the source's token id. SidsToDisable present in the token (user or group) become
 * deny-only (ENABLED and ENABLED_BY_DEFAULT cleared, USE_FOR_DENY_ONLY set), SIDs absent
 * are ignored; PrivilegesToDelete are removed (DISABLE_MAX_PRIVILEGE: all but
 * SeChangeNotifyPrivilege, and the list is ignored); SidsToRestrict become restricting
 * SIDs (Mandatory|EnabledByDefault|Enabled); WRITE_RESTRICTED marks them for write
 * checks only. LUA_TOKEN: the token is not elevated and its integrity is at most Medium
 * (UNCONFIRMED). *out_token: the new token (caller frees), NULL on failure.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_create_restricted_token(toksim_imp_result *out,
                               toksim_token **out_token,
                               const toksim_token_handle *src,
                               const toksim_restrict_request *req,
                               toksim_trace *trace);

/* ==== AdjustTokenGroups ==== */

/** One entry of AdjustTokenGroups' NewState: a group SID and whether to enable it. */
typedef struct toksim_group_change {
    toksim_sid sid;
    bool enable; /**< SE_GROUP_ENABLED set in the entry's attributes */
} toksim_group_change;

/**
 * AdjustTokenGroups(token, reset_to_default, NewState) (Learn AdjustTokenGroups). The
 * handle needs TOKEN_ADJUST_GROUPS (else ERROR_ACCESS_DENIED). reset_to_default: every
 * group takes its SE_GROUP_ENABLED_BY_DEFAULT state and `changes` is ignored. Otherwise,
 * disabling a mandatory group fails with ERROR_CANT_DISABLE_MANDATORY (1310), enabling a
 * deny-only group with ERROR_CANT_ENABLE_DENY_ONLY (629), and then nothing changes
 * (UNCONFIRMED: a model of the kernel's validate-then-apply); a SID the token does not
 * hold as an adjustable group (the user SID, the integrity label, an absent SID) is not
 * assigned: the call succeeds with ERROR_NOT_ALL_ASSIGNED (1300) and adjusts the rest.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_adjust_token_groups(toksim_imp_result *out,
                           toksim_token *token,
                           uint32_t handle_access,
                           bool reset_to_default,
                           const toksim_group_change *changes,
                           size_t count,
                           toksim_trace *trace);

/* ==== CheckTokenMembership, PrivilegeCheck ==== */

/**
 * CheckTokenMembership(token, sid, &is_member). token NULL: the thread's impersonation
 * token, else a copy of its process token made into an impersonation token (Learn). A
 * primary token handle: ERROR_NO_IMPERSONATION_TOKEN and *is_member cleared (Wine
 * test_CheckTokenMembership, run on Windows); an Anonymous-level token:
 * ERROR_BAD_IMPERSONATION_LEVEL; a handle without TOKEN_QUERY: ERROR_ACCESS_DENIED. A SID
 * counts when it is the user or an enabled group, not deny-only; in a restricted token it
 * must also be an enabled restricting SID (unless the token is write-restricted).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_check_token_membership(toksim_imp_result *out,
                              bool *is_member,
                              const toksim_thread *thread,
                              const toksim_token_handle *token,
                              const toksim_sid *sid,
                              toksim_trace *trace);

/** Switches of the token calls whose Windows behaviour is UNCONFIRMED. */
typedef struct toksim_token_api_options {
    /**
     * PrivilegeCheck on a primary token: false (default) = accepted, as Wine's server and
     * ReactOS's NtPrivilegeCheck do; true = ERROR_NO_IMPERSONATION_TOKEN, as the Learn
     * page's "obtained by opening the token of a thread impersonating the client" reads.
     * UNCONFIRMED.
     */
    bool privilege_check_needs_impersonation;
    /**
     * CreateProcessAsUser with a token derived from the caller's own primary token (a
     * restricted child or a DuplicateTokenEx sibling): false (default) = no privilege is
     * needed, as Microsoft's Low-integrity sample run by a standard user (who holds no
     * SeIncreaseQuotaPrivilege) shows; true = SeIncreaseQuotaPrivilege is still needed,
     * as the Learn remarks' "typically ... must have SE_INCREASE_QUOTA_NAME" reads.
     * UNCONFIRMED.
     */
    bool quota_for_own_token;
    /**
     * The privilege SetTokenInformation(TokenIntegrityLevel) wants before it raises a
     * token's level: 0 (default) = SeTcbPrivilege, as Forshaw's tooling and the reference
     * model have it; any other LUID (SeRelabelPrivilege 32 ...) to try another reading.
     * UNCONFIRMED: no Windows-run test in reach states it.
     */
    uint32_t raise_integrity_privilege;
} toksim_token_api_options;

/**
 * PrivilegeCheck(token, set, &result): *result is true when every listed privilege
 * (require_all, PRIVILEGE_SET_ALL_NECESSARY) or any of them is held and enabled. An
 * impersonation token below Identification: ERROR_BAD_IMPERSONATION_LEVEL; no
 * TOKEN_QUERY: ERROR_ACCESS_DENIED. opts NULL = defaults.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_privilege_check(toksim_imp_result *out,
                       bool *result,
                       const toksim_token_handle *token,
                       const uint32_t *luids,
                       size_t count,
                       bool require_all,
                       const toksim_token_api_options *opts,
                       toksim_trace *trace);

/* ==== SetTokenInformation(TokenIntegrityLevel) ==== */

/**
 * Set a token's integrity label to S-1-16-<rid>. The handle needs TOKEN_ADJUST_DEFAULT
 * (else ERROR_ACCESS_DENIED). Lowering (or keeping) the level always works; raising it
 * needs SeTcbPrivilege enabled in `caller` (the calling thread's effective token), else
 * ERROR_PRIVILEGE_NOT_HELD (the privilege is UNCONFIRMED: see
 * toksim_token_api_options.raise_integrity_privilege; opts NULL = defaults). The token is
 * changed in place on success.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_set_token_integrity(toksim_imp_result *out,
                           toksim_token *token,
                           uint32_t handle_access,
                           uint32_t rid,
                           const toksim_token *caller,
                           const toksim_token_api_options *opts,
                           toksim_trace *trace);

/* ==== CreateProcessAsUser / CreateProcessWithTokenW ==== */

typedef enum toksim_create_process_api {
    TOKSIM_CREATE_PROCESS_AS_USER = 0,   /**< CreateProcessAsUser */
    TOKSIM_CREATE_PROCESS_WITH_TOKEN = 1 /**< CreateProcessWithTokenW */
} toksim_create_process_api;

/**
 * Start a process with a token on behalf of `caller` (its effective token holds the
 * privileges). Both APIs: the handle needs TOKEN_QUERY | TOKEN_DUPLICATE |
 * TOKEN_ASSIGN_PRIMARY (else ERROR_ACCESS_DENIED) and the token must be primary (else
 * ERROR_BAD_TOKEN_TYPE). CreateProcessAsUser: SeIncreaseQuotaPrivilege and
 * SeAssignPrimaryTokenPrivilege, except for a token derived from the caller's own primary
 * token (a restricted child, Learn remarks; or a DuplicateTokenEx sibling, windows-model
 * §2.6.1), which needs neither (see toksim_token_api_options.quota_for_own_token);
 * CreateProcessWithTokenW: SeImpersonatePrivilege. A missing privilege:
 * ERROR_PRIVILEGE_NOT_HELD. Privileges count when held (the calls enable them). On
 * success *out_proc is the new process (caller frees), else NULL. opts NULL = defaults.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_create_process_with_token(toksim_imp_result *out,
                                 toksim_process **out_proc,
                                 const toksim_thread *caller,
                                 const toksim_token_handle *token,
                                 toksim_create_process_api api,
                                 const toksim_token_api_options *opts,
                                 toksim_trace *trace);

#ifdef __cplusplus
}
#endif
#endif
