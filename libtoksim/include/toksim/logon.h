/*
 * PURPOSE: LogonUser as LSA answers it: the logon-right check per logon type (deny beats
 * grant), account state and password failures, and the token Windows builds: user, groups
 * (logon-type SID, LOCAL, CONSOLE LOGON, Everyone, Authenticated Users, This
 * Organization, logon SID, NTLM Authentication, nested SAM/domain groups), privileges
 * from the user-rights policy with their initial enable state, integrity level, owner,
 * default DACL, token type, auth id and origin; UAC split tokens for administrators; the
 * built-in service accounts' process tokens; and the text views of a token (`whoami
 * /all`, WinDbg `!token` "Privs:").
 *
 * Modelled: windows-model §4.1-§4.5, §6.4, §7. Every UNCONFIRMED rule of the reference is
 * behind a TOKSIM_LOGON_* flag below (default = what the reference describes), so a test
 * can flip it. Left out: Kerberos/S4U, cached credentials, smart cards, claims and device
 * groups, PAC contents, restricted-admin RDP, Credential Guard, logon hours and
 * workstation restrictions.
 *
 * Ownership: a successful logon puts a token the caller frees with toksim_token_free() in
 * result->token (its linked token, if any, is owned by it). Rendered text is malloc'd;
 * the caller frees it with free().
 */
#ifndef TOKSIM_LOGON_H
#define TOKSIM_LOGON_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "token.h"
#include "trace.h"
#include "world.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/** LOGON32_LOGON_* = SECURITY_LOGON_TYPE values (event 4624 "Logon Type"). */
typedef enum toksim_logon_type {
    TOKSIM_LOGON_INTERACTIVE = 2,
    TOKSIM_LOGON_NETWORK = 3,
    TOKSIM_LOGON_BATCH = 4,
    TOKSIM_LOGON_SERVICE = 5,
    TOKSIM_LOGON_UNLOCK = 7,
    TOKSIM_LOGON_NETWORK_CLEARTEXT = 8,
    TOKSIM_LOGON_NEW_CREDENTIALS = 9,
    TOKSIM_LOGON_REMOTE_INTERACTIVE = 10,
    TOKSIM_LOGON_CACHED_INTERACTIVE = 11
} toksim_logon_type;

/** "interactive", "network", "batch", "service", "unlock", "network-cleartext",
 * "new-credentials", "remote-interactive", "cached-interactive". */
TOKSIM_API const char *toksim_logon_type_name(toksim_logon_type type);
/** Parse a logon type name (above, case-insensitive; also "2".."11"). TOKSIM_ENOTFOUND
 * otherwise. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_logon_type_parse(toksim_logon_type *out,
                                                                  const char *name);
/** Logon-type SID added to the token (INTERACTIVE, NETWORK, BATCH, SERVICE); false for
 * types that add none. */
TOKSIM_API bool toksim_logon_type_sid(toksim_logon_type type, toksim_sid *out);
/**
 * The logon type a tool uses when none is given: service for SYSTEM, LOCAL SERVICE,
 * NETWORK SERVICE, NT SERVICE\x and IIS APPPOOL\x (how the SCM and WAS log them on),
 * interactive for every other account (and for NULL).
 */
TOKSIM_API toksim_logon_type toksim_logon_default_type(const toksim_sid *sid);
/**
 * The token another machine builds for a network logon of `user` when all it knows of the
 * account is its SID (the far side of a network hop): the user, Everyone, Authenticated
 * Users and NETWORK (enabled, mandatory), Medium integrity, an impersonation token at
 * Impersonation level. The caller frees *out with toksim_token_free(). Left out: the
 * account's groups on that machine.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_logon_remote_network_token(toksim_token **out, const toksim_sid *user);
/** The allow and deny rights gating a logon type (TOKSIM_RIGHT_NONE for types not gated).
 */
TOKSIM_API void toksim_logon_type_rights(toksim_logon_type type,
                                         uint32_t *allow_right,
                                         uint32_t *deny_right);

/* ---- behaviour switches (UNCONFIRMED items of the reference, and registry policies)
 * ---- */

/** §4.3: network logons start with every privilege enabled (UNCONFIRMED as a general
 * rule). Default on. */
#define TOKSIM_LOGON_NETWORK_ALL_ENABLED 0x0001u
/** §4.1: NewCredentials checks no logon right (UNCONFIRMED). Default on. */
#define TOKSIM_LOGON_NEWCRED_SKIPS_RIGHTS 0x0002u
/** §4.1/§7.1: LocalSystem implicitly holds every logon right (UNCONFIRMED). Default on.
 */
#define TOKSIM_LOGON_SYSTEM_IMPLICIT_RIGHTS 0x0004u
/** §4.1/§7.1: LOCAL SERVICE holds SeServiceLogonRight implicitly (UNCONFIRMED). Default
 * on. */
#define TOKSIM_LOGON_LOCALSERVICE_IMPLICIT_SERVICE 0x0008u
/** §4.4: admin-like groups other than Administrators become deny-only in the filtered
 * token (UNVERIFIED list). Default on. */
#define TOKSIM_LOGON_UAC_DENY_ADMIN_LIKE 0x0010u
/** Registry FilterAdministratorToken=1: the RID-500 Administrator also gets a split
 * token. Default off. */
#define TOKSIM_LOGON_FILTER_ADMINISTRATOR_TOKEN 0x0020u
/** Registry LocalAccountTokenFilterPolicy=1: remote logons of local admins get the full
 * token. Default off. */
#define TOKSIM_LOGON_LOCAL_ACCOUNT_TOKEN_FILTER 0x0040u
/** EnableLUA=0: UAC off, administrators get one full token. Default off. */
#define TOKSIM_LOGON_UAC_DISABLED 0x0080u
/** Registry NoDefaultAdminOwner != 0 semantics (UNCONFIRMED): the user stays the owner.
 * Default off. */
#define TOKSIM_LOGON_NO_DEFAULT_ADMIN_OWNER 0x0100u
/** §4.2: LOCAL S-1-2-0 and CONSOLE LOGON S-1-2-1 on local logons (per-type rules
 * UNVERIFIED). Default on. */
#define TOKSIM_LOGON_MODERN_GROUPS 0x0200u
/** NETWORK SERVICE holds SeServiceLogonRight "by definition" (§4.1, documented). Default
 * on. */
#define TOKSIM_LOGON_NETWORKSERVICE_IMPLICIT_SERVICE 0x0400u

/**
 * Windows 8.1 and later (KB 2871997): local accounts get "Local account" S-1-5-113 and,
 * when in Administrators, "Local account and member of Administrators group" S-1-5-114
 * (deny-only in the filtered token). Not on the win7 profile. UNVERIFIED in
 * windows-model. Default on.
 */
#define TOKSIM_LOGON_LOCAL_ACCOUNT_SIDS 0x0800u

/**
 * LocalSystem, LOCAL SERVICE, NETWORK SERVICE and virtual accounts log on only as
 * services: any other logon type fails with 1385 (UNCONFIRMED: exact error of LogonUser
 * for them). Default on.
 */
#define TOKSIM_LOGON_SERVICE_ACCOUNTS_SERVICE_ONLY 0x1000u

/** The defaults: what the reference describes. */
#define TOKSIM_LOGON_DEFAULT_FLAGS                                                       \
    (TOKSIM_LOGON_NETWORK_ALL_ENABLED | TOKSIM_LOGON_NEWCRED_SKIPS_RIGHTS |              \
     TOKSIM_LOGON_SYSTEM_IMPLICIT_RIGHTS | TOKSIM_LOGON_LOCALSERVICE_IMPLICIT_SERVICE |  \
     TOKSIM_LOGON_UAC_DENY_ADMIN_LIKE | TOKSIM_LOGON_MODERN_GROUPS |                     \
     TOKSIM_LOGON_NETWORKSERVICE_IMPLICIT_SERVICE | TOKSIM_LOGON_LOCAL_ACCOUNT_SIDS |    \
     TOKSIM_LOGON_SERVICE_ACCOUNTS_SERVICE_ONLY)

/** Authentication package of a network logon (decides the S-1-5-64-x SID). */
typedef enum toksim_auth_package {
    TOKSIM_AUTH_DEFAULT =
        0, /**< Negotiate: NTLM for local accounts, Kerberos for domain accounts */
    TOKSIM_AUTH_NTLM = 1, /**< adds NTLM Authentication S-1-5-64-10 (any logon type) */
    TOKSIM_AUTH_KERBEROS =
        2, /**< adds Authentication authority asserted identity S-1-18-1 */
    TOKSIM_AUTH_DIGEST = 3,   /**< S-1-5-64-21 */
    TOKSIM_AUTH_SCHANNEL = 4, /**< S-1-5-64-14 */
    TOKSIM_AUTH_LOCAL =
        5,              /**< local connection (ncalrpc, local pipe): no network package */
    TOKSIM_AUTH_S4U = 6 /**< Kerberos S4U (LsaLogonUser without a password): adds
                           Service asserted identity S-1-18-2 instead of S-1-18-1 */
} toksim_auth_package;

/** Parse the package names of `toksim logon --package` and the scenario "package"
 * parameter: negotiate (TOKSIM_AUTH_DEFAULT), ntlm, kerberos, s4u (case-insensitive).
 * TOKSIM_ENOTFOUND for anything else, TOKSIM_EINVAL for NULL. */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_auth_package_parse(toksim_auth_package *out, const char *name);

/** Options of a logon. Initialise with toksim_logon_options_init() (or
 * TOKSIM_LOGON_OPTIONS_INIT). */
typedef struct toksim_logon_options {
    uint32_t flags; /**< TOKSIM_LOGON_*; TOKSIM_LOGON_DEFAULT_FLAGS after init */
    const char
        *password; /**< NULL = not checked; else compared with the account's password */
    bool elevated; /**< UAC admin: return the full token (linked to the filtered one) */
    toksim_auth_package package;
    bool
        console; /**< interactive logon at the physical console (CONSOLE LOGON S-1-2-1) */
    uint32_t session_id; /**< terminal session of the new token (1 for interactive by
                            default) */
    uint64_t
        caller_logon_id; /**< LogonUser caller's AuthenticationId: becomes TOKEN_ORIGIN
                            (any type); 0 = network authentication (SSPI), origin 0 */
    const toksim_token
        *caller; /**< NEW_CREDENTIALS: the caller's token to clone (required then) */
    const toksim_group *extra_groups; /**< groups injected by the caller (SCM: SERVICE,
                                         service SID; IIS: IIS_IUSRS, pool SID) */
    size_t extra_group_count;
    uint32_t flags_fixed; /**< flags the caller switched explicitly: the world's settings
                             (toksim_world_set_setting) do not override them */
} toksim_logon_options;

#define TOKSIM_LOGON_OPTIONS_INIT                                                        \
    {                                                                                    \
        TOKSIM_LOGON_DEFAULT_FLAGS, NULL, false, TOKSIM_AUTH_DEFAULT, true, 1, 0, NULL,  \
            NULL, 0, 0                                                                   \
    }
TOKSIM_API void toksim_logon_options_init(toksim_logon_options *opt);

/** Outcome of a logon-right check. */
typedef struct toksim_logon_right_check {
    bool granted;
    uint32_t right; /**< the allow right consulted (TOKSIM_RIGHT_NONE when the type is not
                       gated) */
    uint32_t deny_right;
    bool denied_explicitly; /**< a SID held the Deny right */
    bool implicit;          /**< granted by an implicit (non-policy) rule */
    bool has_sid;
    toksim_sid sid; /**< the SID that matched the deny or the allow right */
} toksim_logon_right_check;

/**
 * Check the logon right of `type` for a SID set (user + expanded groups, as the new token
 * would hold them): Deny wins over allow; implicit rights per flags. Appends trace
 * events.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_logon_check_right(toksim_logon_right_check *out,
                         const toksim_policy *policy,
                         toksim_logon_type type,
                         const toksim_sid *sids,
                         size_t count,
                         uint32_t flags,
                         toksim_trace *trace);

/** Result of a logon: a Windows verdict, not a library failure. */
typedef struct toksim_logon_result {
    bool success;
    uint32_t win32_error; /**< 0, ERROR_LOGON_FAILURE 1326, ERROR_ACCOUNT_DISABLED 1331,
                             ERROR_LOGON_TYPE_NOT_GRANTED 1385 */
    uint32_t ntstatus;    /**< matching NTSTATUS (0xC000006D, 0xC0000072, 0xC000015B) */
    toksim_token *token;  /**< on success; caller frees with toksim_token_free() */
    uint64_t logon_id;    /**< the new logon session (AuthenticationId) */
} toksim_logon_result;

/**
 * LogonUser(name, password, type). `name` is resolved with toksim_world_resolve().
 * Well-known service accounts ("NT AUTHORITY\NETWORK SERVICE", SYSTEM, LOCAL SERVICE,
 * IUSR) and virtual accounts (NT SERVICE\x, IIS APPPOOL\x) take no password. An unknown
 * name, a group, a bad password (1326), a disabled account (1331) or a missing/denied
 * logon right (1385) are Windows verdicts in *out; library failures (ENOMEM, EINVAL) are
 * statuses. *out is zeroed first, so out->token is NULL whenever the logon did not
 * succeed (freeing it is always safe).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_logon_user(toksim_logon_result *out,
                  toksim_world *world,
                  const char *name,
                  toksim_logon_type type,
                  const toksim_logon_options *opt,
                  toksim_trace *trace,
                  toksim_error *err);
/** The same for an account given by SID. */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_logon_user_sid(toksim_logon_result *out,
                      toksim_world *world,
                      const toksim_sid *user,
                      toksim_logon_type type,
                      const toksim_logon_options *opt,
                      toksim_trace *trace,
                      toksim_error *err);

/** Built-in accounts whose process tokens the system builds itself (§4.5). */
typedef enum toksim_builtin_account {
    TOKSIM_BUILTIN_SYSTEM = 18,         /**< S-1-5-18, logon id 0x3E7 */
    TOKSIM_BUILTIN_LOCAL_SERVICE = 19,  /**< S-1-5-19, logon id 0x3E5 */
    TOKSIM_BUILTIN_NETWORK_SERVICE = 20 /**< S-1-5-20, logon id 0x3E4 */
} toksim_builtin_account;

/**
 * The primary token of a process the SCM starts as SYSTEM / LOCAL SERVICE / NETWORK
 * SERVICE: a service logon (logon id 0x3E7/0x3E5/0x3E4, System integrity, SERVICE group
 * for LOCAL/NETWORK SERVICE), privileges from the world's policy (so removing NETWORK
 * SERVICE and SERVICE from SeImpersonatePrivilege removes it from the token). opt may be
 * NULL; extra groups are added.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_logon_builtin(toksim_token **out,
                     toksim_world *world,
                     toksim_builtin_account which,
                     const toksim_logon_options *opt,
                     toksim_trace *trace,
                     toksim_error *err);

/* ---- UAC ---- */

/**
 * Build the UAC filtered token of a full administrator token (§4.4): Administrators (and,
 * with TOKSIM_LOGON_UAC_DENY_ADMIN_LIKE, the other admin-like groups) deny-only, Medium
 * integrity, only the privileges a filtered token keeps (SeChangeNotify, SeShutdown,
 * SeUndock, SeIncreaseWorkingSet, SeTimeZone), elevation type Limited. `full` is not
 * changed; *out is a new token without link.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_uac_filter(toksim_token **out,
                                                            const toksim_token *full,
                                                            uint32_t flags,
                                                            toksim_trace *trace);
/** Does this SID set make a token "administrative" (needs a split token)? */
TOKSIM_API bool
toksim_uac_is_admin_set(const toksim_world *world, const toksim_sid *sids, size_t count);

/* ---- text views ---- */

/**
 * `whoami /all` text: USER INFORMATION, GROUP INFORMATION (Group Name, Type "Well-known
 * group" / "Alias" / "Group" / "Label", SID, Attributes "Mandatory group, Enabled by
 * default, Enabled group, Group owner" or "Group used for deny only"), PRIVILEGES
 * INFORMATION (Name, Description, State). Names through `world` (may be NULL). CRLF-free
 * (LF). Caller frees *out.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_render_whoami(
    char **out, const toksim_token *tok, const toksim_world *world);
/**
 * WinDbg `!token` "Privs:" listing exactly as the debugger prints it:
 * "Privs:\n00 0x000000005 SeIncreaseQuotaPrivilege          Attributes - \n...", one line
 * per held privilege in LUID order ("Attributes - Enabled Default" when enabled by
 * default). Caller frees.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_token_render_windbg_privs(char **out, const toksim_token *tok);
/**
 * The whole WinDbg `!token` view with names (issue 18): "User:", "User Groups:" (each SID
 * as "S-1-... (Kind: DOMAIN\name)" and its "Attributes - ..." words, the integrity label
 * last), "Primary Group:", the "Privs:" listing above, "Authentication ID:",
 * "Impersonation Level:", "TokenType:". Names through `world` (may be NULL). Caller
 * frees.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_render_windbg(
    char **out, const toksim_token *tok, const toksim_world *world);

#ifdef __cplusplus
}
#endif
#endif
