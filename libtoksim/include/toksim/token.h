/*
 * PURPOSE: access tokens: user, groups with attributes, privileges with attributes, owner
 * and primary group, default DACL, type and impersonation level, integrity, logon session
 * ids, elevation and linked token, restricting SIDs. Construction, copy and queries.
 *
 * Ownership: toksim_token_new() / toksim_token_copy() return a token the caller frees
 * with toksim_token_free(). Getters return borrowed pointers valid until the token
 * changes or dies. A linked token (UAC) is owned by the token that links it.
 */
#ifndef TOKSIM_TOKEN_H
#define TOKSIM_TOKEN_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "privilege.h"

#ifdef __cplusplus
extern "C" {
#endif

/** SE_GROUP_* attributes (winnt.h; "SID Attributes in an Access Token"). */
#define TOKSIM_SE_GROUP_MANDATORY          0x00000001u
#define TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT 0x00000002u
#define TOKSIM_SE_GROUP_ENABLED            0x00000004u
#define TOKSIM_SE_GROUP_OWNER              0x00000008u
#define TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY  0x00000010u
#define TOKSIM_SE_GROUP_INTEGRITY          0x00000020u
#define TOKSIM_SE_GROUP_INTEGRITY_ENABLED  0x00000040u
#define TOKSIM_SE_GROUP_RESOURCE           0x20000000u
#define TOKSIM_SE_GROUP_LOGON_ID           0xC0000000u
/** Mandatory | EnabledByDefault | Enabled: what LSA gives ordinary groups. */
#define TOKSIM_SE_GROUP_DEFAULT 0x00000007u

/** TOKEN_TYPE */
typedef enum toksim_token_type {
    TOKSIM_TOKEN_PRIMARY = 1,
    TOKSIM_TOKEN_IMPERSONATION = 2
} toksim_token_type;

/** SECURITY_IMPERSONATION_LEVEL: ordered, compare with < and >. */
typedef enum toksim_imp_level {
    TOKSIM_IMP_ANONYMOUS = 0,
    TOKSIM_IMP_IDENTIFICATION = 1,
    TOKSIM_IMP_IMPERSONATION = 2,
    TOKSIM_IMP_DELEGATION = 3
} toksim_imp_level;

/** TOKEN_ELEVATION_TYPE */
typedef enum toksim_elevation_type {
    TOKSIM_ELEVATION_DEFAULT = 1,
    TOKSIM_ELEVATION_FULL = 2,
    TOKSIM_ELEVATION_LIMITED = 3
} toksim_elevation_type;

/** Integrity level RIDs (S-1-16-<rid>). */
#define TOKSIM_IL_UNTRUSTED   0x0000u
#define TOKSIM_IL_LOW         0x1000u
#define TOKSIM_IL_MEDIUM      0x2000u
#define TOKSIM_IL_MEDIUM_PLUS 0x2100u
#define TOKSIM_IL_HIGH        0x3000u
#define TOKSIM_IL_SYSTEM      0x4000u
#define TOKSIM_IL_PROTECTED   0x5000u

/** TOKEN_MANDATORY_POLICY */
#define TOKSIM_TOKEN_MANDATORY_POLICY_OFF             0x0u
#define TOKSIM_TOKEN_MANDATORY_POLICY_NO_WRITE_UP     0x1u
#define TOKSIM_TOKEN_MANDATORY_POLICY_NEW_PROCESS_MIN 0x2u

/** Well-known logon session LUIDs (winnt.h). */
#define TOKSIM_SYSTEM_LUID          0x3e7u
#define TOKSIM_ANONYMOUS_LOGON_LUID 0x3e6u
#define TOKSIM_LOCALSERVICE_LUID    0x3e5u
#define TOKSIM_NETWORKSERVICE_LUID  0x3e4u
#define TOKSIM_IUSER_LUID           0x3e3u

/** Caps: a token never holds more than this many groups / restricting SIDs. */
#define TOKSIM_TOKEN_MAX_GROUPS 1024

/** A group entry as stored in the token (borrowed view). */
typedef struct toksim_group {
    toksim_sid sid;
    uint32_t attributes; /**< TOKSIM_SE_GROUP_* */
} toksim_group;

/**
 * Create a primary token for `user` with no groups, no privileges, Medium-less (no
 * label). The caller frees *out with toksim_token_free(). TOKSIM_OK, TOKSIM_EINVAL (NULL
 * argument) or TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_new(toksim_token **out,
                                                           const toksim_sid *user);
/** Deep copy (linked token included) into *out; the caller frees it with
 * toksim_token_free(). TOKSIM_OK, TOKSIM_EINVAL or TOKSIM_ENOMEM. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_copy(toksim_token **out,
                                                            const toksim_token *src);
/** Free a token and its linked token. NULL is accepted. */
TOKSIM_API void toksim_token_free(toksim_token *tok);

/* ---- construction ---- */

/**
 * Add a group, or replace the attributes when the SID is already a group. Adding a SID
 * with TOKSIM_SE_GROUP_INTEGRITY replaces the integrity label (a token has at most one).
 * TOKSIM_ELIMIT past TOKSIM_TOKEN_MAX_GROUPS.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_add_group(toksim_token *tok,
                                                                 const toksim_sid *sid,
                                                                 uint32_t attributes);
/** Remove a group; TOKSIM_ENOTFOUND when absent. */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_token_remove_group(toksim_token *tok, const toksim_sid *sid);
/** Set the attributes of the user SID (0, or USE_FOR_DENY_ONLY in a filtered token). */
TOKSIM_API void toksim_token_set_user_attributes(toksim_token *tok, uint32_t attributes);
/** Add or update a privilege (TOKSIM_SE_PRIVILEGE_* attributes). TOKSIM_EINVAL for a bad
 * LUID. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_set_privilege(toksim_token *tok,
                                                                     uint32_t luid,
                                                                     uint32_t attributes);
/** Delete a privilege from the token (SE_PRIVILEGE_REMOVED semantics). */
TOKSIM_API void toksim_token_remove_privilege(toksim_token *tok, uint32_t luid);
/** Add a restricting SID (makes the token restricted). TOKSIM_OK, TOKSIM_EINVAL,
 * TOKSIM_ELIMIT past TOKSIM_TOKEN_MAX_GROUPS, or TOKSIM_ENOMEM. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_add_restricted_sid(
    toksim_token *tok, const toksim_sid *sid, uint32_t attributes);
/** Remove a restricting SID (CreateRestrictedToken's intersection rule); the token stays
 * restricted only while it holds some. TOKSIM_OK, TOKSIM_EINVAL, TOKSIM_ENOTFOUND (not a
 * restricting SID) or TOKSIM_ENOMEM. */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_token_remove_restricted_sid(toksim_token *tok, const toksim_sid *sid);
/** Write-restricted token: the restricting SIDs are checked for write access only. */
TOKSIM_API void toksim_token_set_write_restricted(toksim_token *tok, bool on);
/** Set the integrity label to S-1-16-<rid> (adds/replaces the integrity group).
 * TOKSIM_OK, TOKSIM_EINVAL or TOKSIM_ENOMEM. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_set_integrity(toksim_token *tok,
                                                                     uint32_t rid);
/** TOKEN_MANDATORY_POLICY bits (TOKSIM_TOKEN_MANDATORY_POLICY_*). */
TOKSIM_API void toksim_token_set_mandatory_policy(toksim_token *tok, uint32_t policy);
/** Type and level; the level is meaningful for impersonation tokens only. */
TOKSIM_API void
toksim_token_set_type(toksim_token *tok, toksim_token_type type, toksim_imp_level level);
/** Default owner: the user or one of the groups (must be present). TOKSIM_ENOTFOUND
 * otherwise. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_set_owner(toksim_token *tok,
                                                                 const toksim_sid *owner);
TOKSIM_API void toksim_token_set_primary_group(toksim_token *tok,
                                               const toksim_sid *group);
/** Default DACL: copied (the caller keeps `dacl`). NULL clears it. TOKSIM_OK,
 * TOKSIM_EINVAL or TOKSIM_ENOMEM. */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_token_set_default_dacl(toksim_token *tok, const toksim_acl *dacl);
TOKSIM_API void toksim_token_set_auth_id(toksim_token *tok, uint64_t luid);
/** TOKEN_ORIGIN: logon session that created this token from explicit credentials, or 0.
 */
TOKSIM_API void toksim_token_set_origin(toksim_token *tok, uint64_t luid);
TOKSIM_API void toksim_token_set_session_id(toksim_token *tok, uint32_t session);
TOKSIM_API void
toksim_token_set_elevation(toksim_token *tok, toksim_elevation_type type, bool elevated);
/** Link another token (UAC split); takes ownership of `linked` (freed with tok). NULL
 * unlinks. */
TOKSIM_API void toksim_token_set_linked(toksim_token *tok, toksim_token *linked);
TOKSIM_API void toksim_token_set_token_id(toksim_token *tok, uint64_t id);
TOKSIM_API void toksim_token_set_parent_id(toksim_token *tok, uint64_t id);
/** Token source name (8 chars max, e.g. "User32", "Advapi", "NtLmSsp"). */
TOKSIM_API void toksim_token_set_source(toksim_token *tok, const char *name);
/** AppContainer (lowbox) flag. */
TOKSIM_API void toksim_token_set_appcontainer(toksim_token *tok, bool on);

/* ---- queries ----
 * Pointers returned by the queries are borrowed from the token: valid until it is changed
 * or freed, never freed by the caller. A NULL token gives a neutral value (NULL, 0,
 * false, "", a primary token at Anonymous level), never a crash. */

TOKSIM_API const toksim_sid *toksim_token_user(const toksim_token *tok);
TOKSIM_API uint32_t toksim_token_user_attributes(const toksim_token *tok);
TOKSIM_API size_t toksim_token_group_count(const toksim_token *tok);
/** Group i in token order (borrowed). NULL past the end. */
TOKSIM_API const toksim_group *toksim_token_group_at(const toksim_token *tok, size_t i);
/** The group entry for a SID, or NULL when the token does not hold it as a group. */
TOKSIM_API const toksim_group *toksim_token_find_group(const toksim_token *tok,
                                                       const toksim_sid *sid);
TOKSIM_API size_t toksim_token_restricted_count(const toksim_token *tok);
TOKSIM_API const toksim_group *toksim_token_restricted_at(const toksim_token *tok,
                                                          size_t i);
TOKSIM_API bool toksim_token_is_restricted(const toksim_token *tok);
TOKSIM_API bool toksim_token_is_write_restricted(const toksim_token *tok);
/** The token has been filtered (CreateRestrictedToken changed it); copies keep the flag.
 * What TokenHasRestrictions reports ("nonzero if the token has ever been filtered",
 * Learn TOKEN_INFORMATION_CLASS). */
TOKSIM_API bool toksim_token_is_filtered(const toksim_token *tok);
TOKSIM_API void toksim_token_set_filtered(toksim_token *tok, bool on);

/** Attributes of a privilege in the token, or -1 when the token does not hold it. */
TOKSIM_API int64_t toksim_token_privilege(const toksim_token *tok, uint32_t luid);
/** Held and enabled: the only state in which Windows honours a privilege. */
TOKSIM_API bool toksim_token_privilege_enabled(const toksim_token *tok, uint32_t luid);
/** Number of privileges held, and the i-th in LUID order (luid and attributes out). */
TOKSIM_API size_t toksim_token_privilege_count(const toksim_token *tok);
TOKSIM_API bool toksim_token_privilege_at(const toksim_token *tok,
                                          size_t i,
                                          uint32_t *luid,
                                          uint32_t *attributes);

/** Integrity RID (TOKSIM_IL_*); a token without a label reports TOKSIM_IL_UNTRUSTED. */
TOKSIM_API uint32_t toksim_token_integrity(const toksim_token *tok);
TOKSIM_API bool toksim_token_has_integrity(const toksim_token *tok);
TOKSIM_API uint32_t toksim_token_mandatory_policy(const toksim_token *tok);
TOKSIM_API toksim_token_type toksim_token_type_of(const toksim_token *tok);
TOKSIM_API toksim_imp_level toksim_token_level(const toksim_token *tok);
/** Default owner SID (the user unless set). */
TOKSIM_API const toksim_sid *toksim_token_owner(const toksim_token *tok);
TOKSIM_API const toksim_sid *toksim_token_primary_group(const toksim_token *tok);
/** Default DACL or NULL. */
TOKSIM_API const toksim_acl *toksim_token_default_dacl(const toksim_token *tok);
TOKSIM_API uint64_t toksim_token_auth_id(const toksim_token *tok);
TOKSIM_API uint64_t toksim_token_origin(const toksim_token *tok);
TOKSIM_API uint32_t toksim_token_session_id(const toksim_token *tok);
TOKSIM_API toksim_elevation_type toksim_token_elevation_type(const toksim_token *tok);
TOKSIM_API bool toksim_token_is_elevated(const toksim_token *tok);
TOKSIM_API const toksim_token *toksim_token_linked(const toksim_token *tok);
TOKSIM_API uint64_t toksim_token_id(const toksim_token *tok);
TOKSIM_API uint64_t toksim_token_parent_id(const toksim_token *tok);
TOKSIM_API const char *toksim_token_source(const toksim_token *tok);
TOKSIM_API bool toksim_token_is_appcontainer(const toksim_token *tok);

/**
 * Does the token contain `sid` as its user or a group, and how may it match ACEs?
 * Returns 0 when absent; otherwise TOKSIM_MATCH_ALLOW (enabled: matches allow and deny
 * ACEs), TOKSIM_MATCH_DENY_ONLY (deny-only: matches deny ACEs only) or
 * TOKSIM_MATCH_DISABLED (present but disabled: matches nothing). One hash probe; this is
 * the access check's inner loop.
 */
enum {
    TOKSIM_MATCH_NONE = 0,
    TOKSIM_MATCH_ALLOW = 1,
    TOKSIM_MATCH_DENY_ONLY = 2,
    TOKSIM_MATCH_DISABLED = 3
};
TOKSIM_API int toksim_token_match(const toksim_token *tok, const toksim_sid *sid);
/** Same against the restricting-SID list. */
TOKSIM_API int toksim_token_match_restricted(const toksim_token *tok,
                                             const toksim_sid *sid);

/**
 * Name of an integrity level RID as Windows names the label ("Low", "Medium", "Medium
 * Plus", "High", "System", "Untrusted", "Protected"), or NULL for any other RID. Static
 * storage.
 */
TOKSIM_API const char *toksim_integrity_name(uint32_t rid);
/**
 * Parse an integrity level: a name of toksim_integrity_name() in any case, '-' standing
 * for the space ("medium-plus" = "Medium Plus"), or a label SID "S-1-16-<rid>". false for
 * anything else (NULL included); *rid is set only on success.
 */
TOKSIM_API bool toksim_integrity_parse(const char *s, uint32_t *rid);
TOKSIM_API const char *
toksim_imp_level_name(toksim_imp_level level); /* "Identification" ... */
TOKSIM_API const char *toksim_token_type_name(toksim_token_type type); /* "Primary" ... */

#ifdef __cplusplus
}
#endif
/**
 * The name of a group (privilege = false) or privilege attribute bit as
 * GetTokenInformation's documentation spells it without the SE_GROUP_ / SE_PRIVILEGE_
 * prefix ("Mandatory", "EnabledByDefault", "UseForDenyOnly", "LogonId",
 * "UsedForAccess"...): the i-th entry of the table, its bit (bits) in *bit (may be NULL);
 * NULL past the end.
 */
TOKSIM_API const char *toksim_token_attr_word(bool privilege, size_t i, uint32_t *bit);
/** Attributes as their words joined with '|' ("Mandatory|EnabledByDefault|Enabled"); ""
 * when none is set. Truncated to n - 1 bytes. */
TOKSIM_API void
toksim_token_attr_text(char *buf, size_t n, bool privilege, uint32_t attrs);

#endif
