/*
 * PURPOSE: the identity world a simulation runs in: one machine (name, machine SID, OS
 * profile), optionally joined to a domain (name, domain SID), user accounts, domain
 * groups, machine-local groups (aliases) with nested membership, and the machine's
 * user-rights policy (policy.h).
 *
 * Modelled: SAM/AD account lookup as LookupAccountName/LookupAccountSid answer it
 * (DOMAIN\name, MACHINE\name, BUILTIN\name, NT AUTHORITY\name, NT SERVICE\name, IIS
 * APPPOOL\name, bare names, S-1-... strings and SDDL aliases); BUILTIN aliases and
 * well-known principals exist without being declared; the default SAM memberships Windows
 * creates (Users holds INTERACTIVE and Authenticated Users, Administrators holds the
 * RID-500 account and, when joined, Domain Admins ...); transitive group expansion with
 * cycles allowed; trusted domains with their accounts, selective authentication and the
 * computer object's "Allowed to authenticate" ACEs (issue 18). Left out: transitive
 * trust paths, SID filtering, universal vs global group scoping rules, SID history,
 * fine-grained password policies, account lockout.
 *
 * Ownership: toksim_world_new() returns a world freed with toksim_world_free(). Account
 * records and names returned by getters are borrowed and stay valid until the world is
 * freed (accounts are never removed).
 */
#ifndef TOKSIM_WORLD_H
#define TOKSIM_WORLD_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct toksim_world toksim_world; /* opaque */
struct toksim_policy; /* policy.h (typedef there: C99 forbids repeating a typedef) */

/** What a SID names (SID_NAME_USE, winnt.h: SidTypeUser = 1 ...). */
typedef enum toksim_account_kind {
    TOKSIM_ACCOUNT_USER = 1,   /**< SidTypeUser: a user (or computer/virtual) account */
    TOKSIM_ACCOUNT_GROUP = 2,  /**< SidTypeGroup: a domain group (Domain Admins ...) */
    TOKSIM_ACCOUNT_DOMAIN = 3, /**< SidTypeDomain: the machine or domain itself */
    TOKSIM_ACCOUNT_ALIAS = 4,  /**< SidTypeAlias: BUILTIN or machine-local group */
    TOKSIM_ACCOUNT_WELL_KNOWN =
        5,                    /**< SidTypeWellKnownGroup: Everyone, SERVICE, SYSTEM ... */
    TOKSIM_ACCOUNT_LABEL = 10 /**< SidTypeLabel: integrity levels */
} toksim_account_kind;

/** Where an account lives. */
typedef enum toksim_account_scope {
    TOKSIM_SCOPE_MACHINE = 0, /**< machine SAM: MACHINE\name, SID <machine>-RID */
    TOKSIM_SCOPE_DOMAIN = 1,  /**< the domain: DOMAIN\name, SID <domain>-RID */
    TOKSIM_SCOPE_BUILTIN = 2, /**< BUILTIN aliases S-1-5-32-x */
    TOKSIM_SCOPE_WELL_KNOWN =
        3,                   /**< NT AUTHORITY, NT SERVICE, IIS APPPOOL, Everyone ... */
    TOKSIM_SCOPE_TRUSTED = 4 /**< a trusted domain (issue 18, "trusts"): FABRIKAM\name */
} toksim_account_scope;

/** userAccountControl-like flags of a user account. */
#define TOKSIM_ACCOUNT_DISABLED 0x1u /**< ACCOUNTDISABLE: logon fails with 1331 */
#define TOKSIM_ACCOUNT_SENSITIVE                                                         \
    0x2u /**< NOT_DELEGATED: "sensitive and cannot be delegated" */
#define TOKSIM_ACCOUNT_PROTECTED_USERS                                                   \
    0x4u /**< member of <domain>-525 Protected Users                                     \
          */
/* Account state LogonUser checks (MS-APDS 3.1.5 / MS-NRPC 3.2.5.x account checks; codes
 * MS-ERREF 2.3.1). The world loader derives EXPIRED and WORKSTATION_RESTRICTED from
 * "account_expires" and "workstations". */
/* 1909 STATUS_ACCOUNT_LOCKED_OUT */
#define TOKSIM_ACCOUNT_LOCKED_OUT 0x8u
/* 1793 STATUS_ACCOUNT_EXPIRED */
#define TOKSIM_ACCOUNT_EXPIRED 0x10u
/* 1330 STATUS_PASSWORD_EXPIRED */
#define TOKSIM_ACCOUNT_PASSWORD_EXPIRED 0x20u
/* 1907 STATUS_PASSWORD_MUST_CHANGE */
#define TOKSIM_ACCOUNT_MUST_CHANGE_PASSWORD 0x40u
/* 1328 STATUS_INVALID_LOGON_HOURS */
#define TOKSIM_ACCOUNT_OUTSIDE_LOGON_HOURS 0x80u
/* 1329 STATUS_INVALID_WORKSTATION: this machine is not in userWorkstations */
#define TOKSIM_ACCOUNT_WORKSTATION_RESTRICTED 0x100u
/* Account kinds besides a plain user (world "kind": "computer" / "gmsa"). A domain user
 * named NAME$ without TOKSIM_ACCOUNT_MANAGED_SERVICE is a computer account too.
 * COMPUTER: a workstation trust account: network logons only (1808), Domain Computers.
 * MANAGED_SERVICE: a (group) managed service account NAME$: primaryGroupID 515 Domain
 * Computers; not a computer account for the logon checks. */
#define TOKSIM_ACCOUNT_COMPUTER        0x200u
#define TOKSIM_ACCOUNT_MANAGED_SERVICE 0x400u

/**
 * An account record (borrowed from the world, or filled by the caller as the input of
 * toksim_world_add_account()). For input: `sid` all-zero (count 0) = assign the next free
 * RID (1000 and up on the machine, 1100 and up in the domain), `rid` != 0 = use that RID.
 */
typedef struct toksim_account {
    toksim_sid sid;
    toksim_account_kind kind;   /**< USER, GROUP (domain only) or ALIAS (machine only) */
    toksim_account_scope scope; /**< MACHINE or DOMAIN for declared accounts */
    uint32_t rid;               /**< input: explicit RID or 0 */
    const char *name;           /**< account name, e.g. "alice", "SQL Admins" */
    const char *domain;   /**< output: "CONTOSO", "WS01", "BUILTIN", "NT AUTHORITY" */
    uint32_t flags;       /**< TOKSIM_ACCOUNT_* */
    const char *password; /**< NULL = any password is accepted by LogonUser */
} toksim_account;

/** Caps on hostile worlds (docs/limits.md), sized for a large domain: loading is linear
 * (hash-indexed accounts and memberships), so the caps bound memory, not time. Built-in
 * accounts count towards the account cap. */
#define TOKSIM_WORLD_MAX_ACCOUNTS (1u << 20)
#define TOKSIM_WORLD_MAX_MEMBERS  (1u << 22)
#define TOKSIM_WORLD_MAX_NAME     256u

/**
 * Create a world for machine `machine_name` (NetBIOS name, e.g. "WS01"). `machine_sid`
 * NULL = the fixed S-1-5-21-1000-2000-3000 (deterministic). The world starts with the
 * default accounts of a SAM: Administrator (RID 500), Guest (RID 501, disabled),
 * DefaultAccount (503, disabled), the BUILTIN aliases with their default members, and the
 * policy of OS profile `os_profile` (NULL = "win10"; see toksim_os_profile_at()). Errors:
 * TOKSIM_ENOTFOUND for an unknown profile.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_new(toksim_world **out,
                                                           const char *machine_name,
                                                           const toksim_sid *machine_sid,
                                                           const char *os_profile,
                                                           toksim_error *err);
/** Free a world and everything it owns. NULL is accepted. */
TOKSIM_API void toksim_world_free(toksim_world *w);

/**
 * Join the machine to domain `name` (NetBIOS, e.g. "CONTOSO") with SID `domain_sid`
 * (S-1-5-21-x-y-z). Creates the default domain groups (Domain Admins 512, Domain Users
 * 513, Domain Guests 514, Domain Computers 515, Protected Users 525 ...), the machine
 * account DOMAIN\MACHINE$, and adds Domain Admins to Administrators, Domain Users to
 * Users, Domain Guests to Guests. TOKSIM_EINVAL when already joined.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_join_domain(
    toksim_world *w, const char *name, const toksim_sid *domain_sid, toksim_error *err);

/**
 * Replace the policy by the defaults of another OS profile (drops earlier template
 * changes). TOKSIM_ENOTFOUND for an unknown profile name.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_set_os_profile(toksim_world *w,
                                                                      const char *profile,
                                                                      toksim_error *err);
/** Canonical name of the world's OS profile ("win10" ...). */
TOKSIM_API const char *toksim_world_os_profile(const toksim_world *w);
TOKSIM_API const char *toksim_world_machine_name(const toksim_world *w);
TOKSIM_API const toksim_sid *toksim_world_machine_sid(const toksim_world *w);
/** Domain name / SID, NULL when the machine is not joined. */
TOKSIM_API const char *toksim_world_domain_name(const toksim_world *w);
TOKSIM_API const toksim_sid *toksim_world_domain_sid(const toksim_world *w);
/** The SDDL/alias context of this world (machine and domain SIDs), for
 * toksim_sid_resolve(). */
TOKSIM_API toksim_sid_context toksim_world_sid_context(const toksim_world *w);

/**
 * Declare a user or group. Name collisions inside one scope are TOKSIM_EINVAL; a RID that
 * is taken is TOKSIM_EINVAL. *out_sid (may be NULL) receives the account SID.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_add_account(
    toksim_world *w, const toksim_account *spec, toksim_sid *out_sid, toksim_error *err);
/** Change the flags of a declared account (TOKSIM_ENOTFOUND for an unknown SID). */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_world_set_account_flags(toksim_world *w, const toksim_sid *sid, uint32_t flags);
/**
 * Make `member` a member of `group` (a domain group or an alias, declared or BUILTIN).
 * Any SID may be a member (users, groups, aliases, well-known SIDs such as INTERACTIVE).
 * Cycles are legal. TOKSIM_EINVAL when `group` is not a group; adding an existing
 * membership is a no-op.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_world_add_member(toksim_world *w,
                        const toksim_sid *group,
                        const toksim_sid *member,
                        toksim_error *err);
/** Remove a membership (also a default one). TOKSIM_ENOTFOUND when it does not exist. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_remove_member(
    toksim_world *w, const toksim_sid *group, const toksim_sid *member);

/**
 * Resolve what a user types for a principal, as LookupAccountName does: "DOMAIN\name",
 * "MACHINE\name", "BUILTIN\name", "NT AUTHORITY\name", "NT SERVICE\svc", "IIS
 * APPPOOL\pool", a bare name (machine accounts first, then the domain, then well-known
 * names), "S-1-..." or an SDDL alias. Case-insensitive. TOKSIM_ENOTFOUND names the text
 * in err.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_resolve(const toksim_world *w,
                                                               const char *name,
                                                               toksim_sid *out,
                                                               toksim_error *err);
/**
 * Look up a SID as LookupAccountSid does: declared accounts, default SAM accounts,
 * BUILTIN aliases and well-known principals. Fills *out (its strings are borrowed from
 * the world or from static tables) and returns true; false when nothing is known about
 * the SID.
 */
TOKSIM_API bool toksim_world_lookup_sid(const toksim_world *w,
                                        const toksim_sid *sid,
                                        toksim_account *out);
/**
 * Display name "DOMAIN\name" of a SID as whoami/LookupAccountSid shows it ("Everyone" and
 * "LOCAL" have no domain part; unknown SIDs format as S-1-...). snprintf semantics.
 * The signature matches toksim_sid_namer (trace.h) with the world as payload.
 */
TOKSIM_API size_t toksim_world_sid_name(char *buf,
                                        size_t n,
                                        const toksim_sid *sid,
                                        void *world);
/** Kind of a SID for display (whoami "Type" column); USER for unknown SIDs of authority 5
 * RID-form. */
TOKSIM_API toksim_account_kind toksim_world_sid_kind(const toksim_world *w,
                                                     const toksim_sid *sid);

/**
 * Register a virtual account name ("NT SERVICE\svc", "IIS APPPOOL\pool") so that its SID
 * (computed as toksim_sid_virtual() does) displays by name in this world. *out_sid (may
 * be NULL) receives the SID. Registering twice is a no-op. TOKSIM_EINVAL for another
 * prefix.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_add_virtual(
    toksim_world *w, const char *qualified_name, toksim_sid *out_sid, toksim_error *err);

/** Number of declared + default accounts and the i-th (stable order of creation). */
TOKSIM_API size_t toksim_world_account_count(const toksim_world *w);
TOKSIM_API const toksim_account *toksim_world_account_at(const toksim_world *w, size_t i);

/**
 * Transitive group expansion: every group/alias that any of `sids` is a member of,
 * directly or through nesting (cycles are walked once). The result holds the input SIDs
 * first, then the groups found, without duplicates. *out is malloc'd, the caller frees it
 * with free().
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_expand(const toksim_world *w,
                                                              const toksim_sid *sids,
                                                              size_t count,
                                                              toksim_sid **out,
                                                              size_t *out_count);
/** Is `member` a (transitive) member of `group`? */
TOKSIM_API bool toksim_world_is_member(const toksim_world *w,
                                       const toksim_sid *group,
                                       const toksim_sid *member);

/**
 * The effective user-rights policy of the machine (the OS profile's defaults with every
 * template applied). Borrowed; change it through policy.h functions
 * (toksim_policy_apply() ...).
 */
TOKSIM_API struct toksim_policy *toksim_world_policy(toksim_world *w);
TOKSIM_API const struct toksim_policy *toksim_world_policy_const(const toksim_world *w);

/**
 * Allocate the next logon session LUID (deterministic: 0x10000, 0x10001 ... per world)
 * for logon.c. Exposed so that other layers that create logon sessions (SCM, IIS) share
 * one counter.
 */
TOKSIM_API uint64_t toksim_world_next_logon_id(toksim_world *w);

/**
 * UAC and LSA settings of the machine, by registry value name: EnableLUA,
 * FilterAdministratorToken, LocalAccountTokenFilterPolicy (logon flags of logon.h, which
 * every logon of the world then uses), EveryoneIncludesAnonymous (read with
 * toksim_world_everyone_includes_anonymous()). `value` is the DWORD. TOKSIM_ENOTFOUND for
 * another name.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_set_setting(toksim_world *w,
                                                                   const char *name,
                                                                   uint32_t value,
                                                                   toksim_error *err);
/** `flags` with the logon flags the world's settings state, except those in `fixed`
 * (switched explicitly by the caller). */
TOKSIM_API uint32_t toksim_world_apply_settings(const toksim_world *w,
                                                uint32_t flags,
                                                uint32_t fixed);
/** EveryoneIncludesAnonymous (default 0, the Windows default since XP/2003). */
TOKSIM_API bool toksim_world_everyone_includes_anonymous(const toksim_world *w);

/* ---- issue 18: application pools and services declared in the world ---- */

/** Cap on a declared service's required privileges (there are 35 privileges; duplicates
 * are allowed). */
#define TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES 64u

/**
 * An IIS application pool declared in the world ("app_pools", docs/world-format.md).
 * Plain data: the identity layer only stores it; the systems layer builds the worker
 * token from it as WAS does (toksim_iis_pool_start_declared(), iis.h). The scenario step
 * iis.app_pool.start fills the same struct, so both go through one parser
 * (toksim_iis_pool_config_from_decl()).
 */
typedef struct toksim_world_pool {
    const char
        *name; /**< pool name ("DefaultAppPool"); the pool SID is IIS APPPOOL\name */
    /** processModel identityType as applicationHost.config spells it:
     * "ApplicationPoolIdentity", "NetworkService", "LocalService", "LocalSystem",
     * "SpecificUser". NULL = ApplicationPoolIdentity, or SpecificUser when `user` is set.
     */
    const char *identity;
    const char *user;     /**< SpecificUser: the account (a name the world resolves) */
    const char *password; /**< SpecificUser: NULL = the stored password is right */
    bool manual_group_membership; /**< processModel manualGroupMembership: no IIS_IUSRS */
} toksim_world_pool;

/**
 * A Windows service declared in the world ("services"): plain data for the SCM model
 * (toksim_service_start_declared(), scm.h), shared with the scenario step service.start
 * (one parser: toksim_service_config_from_decl()).
 */
typedef struct toksim_world_service {
    const char *name; /**< service name ("MSSQLSERVER"); its SID is NT SERVICE\name */
    /** ObjectName: NULL or "LocalSystem", "LocalService", "NetworkService" (also the NT
     * AUTHORITY\ spellings), "NT SERVICE\<name>" (virtual account), or a user / gMSA
     * account the world resolves ("CONTOSO\svc_sql", "CONTOSO\gmsa_web$"). */
    const char *account;
    const char *password; /**< user account: NULL = the stored password is right */
    const char *sid_type; /**< "none" (NULL), "unrestricted" or "restricted" */
    /** SERVICE_REQUIRED_PRIVILEGES_INFO as LUIDs (privilege.h); 0 = none declared. */
    const uint32_t *required_privileges;
    size_t required_privilege_count;
} toksim_world_service;

/**
 * Declare a pool / a service. Everything is copied. The name is registered as a virtual
 * account (IIS APPPOOL\name, NT SERVICE\name) so that its SID displays by name.
 * TOKSIM_EINVAL: no name, a name declared twice (case-insensitive), more than
 * TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES privileges. The strings are not interpreted
 * here: toksim_iis_pool_config_from_decl() / toksim_service_config_from_decl() check
 * them.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_world_add_pool(toksim_world *w, const toksim_world_pool *spec, toksim_error *err);
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_add_service(
    toksim_world *w, const toksim_world_service *spec, toksim_error *err);

/**
 * Enumerate the declared pools / services, in declaration order:
 *
 *     for (size_t i = 0; i < toksim_world_pool_count(w); i++)
 *         use(toksim_world_pool_at(w, i)->name);
 *
 * Records and their strings are borrowed and stay valid until the world is freed (a
 * declaration is never removed). _at() returns NULL past the end.
 */
TOKSIM_API size_t toksim_world_pool_count(const toksim_world *w);
TOKSIM_API const toksim_world_pool *toksim_world_pool_at(const toksim_world *w, size_t i);
TOKSIM_API size_t toksim_world_service_count(const toksim_world *w);
TOKSIM_API const toksim_world_service *toksim_world_service_at(const toksim_world *w,
                                                               size_t i);
/** Find a declaration by name ("DefaultAppPool" or "IIS APPPOOL\DefaultAppPool";
 * "MSSQLSERVER" or "NT SERVICE\MSSQLSERVER"), case-insensitive. NULL when undeclared. */
TOKSIM_API const toksim_world_pool *toksim_world_find_pool(const toksim_world *w,
                                                           const char *name);
TOKSIM_API const toksim_world_service *toksim_world_find_service(const toksim_world *w,
                                                                 const char *name);

/* ---- issue 18: trusted domains ("trusts") and the computer object ---- */

/** trustDirection (MS-ADTS 6.1.6.7.12), as this domain sees the trust: OUTBOUND = this
 * domain trusts the other one, so its users can authenticate here. */
typedef enum toksim_trust_direction {
    TOKSIM_TRUST_INBOUND = 1,      /**< the other domain trusts this one (only) */
    TOKSIM_TRUST_OUTBOUND = 2,     /**< this domain trusts the other one */
    TOKSIM_TRUST_BIDIRECTIONAL = 3 /**< both */
} toksim_trust_direction;

/** A trust of the joined domain with another domain or forest. */
typedef struct toksim_world_trust {
    const char *name; /**< NetBIOS name of the other domain, "FABRIKAM" */
    toksim_sid sid;   /**< its domain SID S-1-5-21-x-y-z */
    toksim_trust_direction direction;
    bool forest; /**< forest trust (TRUST_ATTRIBUTE_FOREST_TRANSITIVE), else external */
    /** Selective authentication (TRUST_ATTRIBUTE_CROSS_ORGANIZATION): its users get Other
     * Organization S-1-5-1000 instead of This Organization and may log on here only when
     * the computer object grants them "Allowed to authenticate" (else 1935
     * ERROR_AUTHENTICATION_FIREWALL_FAILED). */
    bool selective_authentication;
} toksim_world_trust;

/** Control access right "Allowed-To-Authenticate" (MS-ADTS 5.1.3.2.1), the object type of
 * the computer-object ACE selective authentication checks. */
#define TOKSIM_GUID_ALLOWED_TO_AUTHENTICATE "68b1d179-0d15-4d4f-ab71-46152e79a7bc"

/**
 * Declare a trust (the machine must be joined). Creates the other domain's Domain Users
 * (RID 513) so its users have their primary group. TOKSIM_EINVAL: not joined, no name,
 * a name or SID equal to this machine's, this domain's or another trust's, a SID that is
 * not S-1-5-21-x-y-z, a direction outside 1..3.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_add_trust(
    toksim_world *w, const toksim_world_trust *spec, toksim_error *err);
/**
 * Declare an account of a trusted domain: spec->name (no backslash), spec->kind USER or
 * GROUP, spec->rid (0 = next free from 1100). Users join that domain's Domain Users.
 * Resolves as "TRUST\name"; displays with the trust's name. TOKSIM_ENOTFOUND for an
 * unknown trust, TOKSIM_EINVAL for a duplicate name or RID.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_world_add_trusted_account(toksim_world *w,
                                 const char *trust_name,
                                 const toksim_account *spec,
                                 toksim_sid *out_sid,
                                 toksim_error *err);
/** Enumerate / find trusts (borrowed, valid until the world is freed). */
TOKSIM_API size_t toksim_world_trust_count(const toksim_world *w);
TOKSIM_API const toksim_world_trust *toksim_world_trust_at(const toksim_world *w,
                                                           size_t i);
TOKSIM_API const toksim_world_trust *toksim_world_find_trust(const toksim_world *w,
                                                             const char *name);
/** The trust whose domain issued `sid` (domain SID + RID), or NULL. */
TOKSIM_API const toksim_world_trust *toksim_world_trust_of(const toksim_world *w,
                                                           const toksim_sid *sid);
/**
 * The security descriptor of this machine's computer object in the domain (the one
 * selective authentication checks for the Allowed-To-Authenticate right). Copied;
 * NULL clears it. Without one, no account of a selective-authentication trust may log on.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_world_set_computer_sd(toksim_world *w, const toksim_sd *sd);
/** Borrowed, NULL when none was set. */
TOKSIM_API const toksim_sd *toksim_world_computer_sd(const toksim_world *w);

#ifdef __cplusplus
}
#endif
#endif
