/*
 * PURPOSE: the LSA user-rights policy ("User Rights Assignment"): for every privilege and
 * logon right, the set of SIDs that hold it. Default assignments per OS profile, import
 * of secedit/GPO security templates (GptTmpl.inf, `secedit /export` output) with GPO
 * replacement semantics, export back to the same INF form, and the queries the logon
 * model needs (which privileges a set of SIDs holds, whether a logon right is granted or
 * denied).
 *
 * Modelled: [Privilege Rights] only; a right defined in a template replaces the whole
 * holder list (windows-model §7.4); `secedit /configure`'s re-adding of Administrators
 * and SERVICE to SeImpersonatePrivilege as a switchable behaviour of
 * toksim_policy_configure() only. Left out: [System Access], [Event Audit], [Registry
 * Values], [Group Membership], [Service General Setting] sections (accepted and ignored
 * on import), GPO precedence between several GPOs (apply templates in order instead),
 * `&`-relative names.
 *
 * Ownership: every toksim_policy returned through an out-parameter is freed with
 * toksim_policy_free(). Holder arrays returned by getters are borrowed until the policy
 * changes.
 */
#ifndef TOKSIM_POLICY_H
#define TOKSIM_POLICY_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "privilege.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct toksim_policy toksim_policy; /* opaque */
struct toksim_world;                        /* world.h */

/**
 * A user right: a privilege (value = its LUID, 2..36, see privilege.h) or a logon right
 * (64..73, logon_rights.inc).
 */
typedef enum toksim_right {
    TOKSIM_RIGHT_NONE = 0,
#define TOKSIM_LOGON_RIGHT_ROW(id, value, name, bit, display) TOKSIM_RIGHT_##id = value,
#include "logon_rights.inc"
#undef TOKSIM_LOGON_RIGHT_ROW
    TOKSIM_RIGHT__END = 74 /**< one past the largest right value */
} toksim_right;

/** Row of the rights table (static storage). */
typedef struct toksim_right_info {
    uint32_t right; /**< toksim_right value (a privilege LUID or TOKSIM_RIGHT_*_LOGON) */
    const char *name;    /**< "SeImpersonatePrivilege", "SeServiceLogonRight" */
    const char *display; /**< secpol display name */
    bool is_privilege;
    uint32_t access_bit; /**< SECURITY_ACCESS_* bit for logon rights, 0 for privileges */
} toksim_right_info;

/** Right by name (case-insensitive, privileges and logon rights). NULL when unknown. */
TOKSIM_API const toksim_right_info *toksim_right_by_name(const char *name);
/** Right by value; NULL when the value is neither a privilege nor a logon right. */
TOKSIM_API const toksim_right_info *toksim_right_get(uint32_t right);
/** Every right: privileges in LUID order, then logon rights. */
TOKSIM_API size_t toksim_right_count(void);
TOKSIM_API const toksim_right_info *toksim_right_at(size_t i);

/* ---- OS profiles (default User Rights Assignment) ---- */

/** A named OS profile with its default rights (static storage). */
typedef struct toksim_os_profile {
    const char *name;        /**< canonical name: "win10", "win7", "server" */
    const char *aliases;     /**< comma-separated other accepted names ("win11,client") */
    const char *description; /**< "Windows 10/11 client (workstation)" */
    const char *sources;     /**< where the default lists come from */
} toksim_os_profile;

TOKSIM_API size_t toksim_os_profile_count(void);
TOKSIM_API const toksim_os_profile *toksim_os_profile_at(size_t i);
/** Profile by name or alias (case-insensitive). NULL when unknown. */
TOKSIM_API const toksim_os_profile *toksim_os_profile_find(const char *name);

/* ---- policy objects ---- */

/** An empty policy: no right defined. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_policy_new(toksim_policy **out);
/**
 * The default policy of an OS profile; every right is "defined" (the profile decides all
 * of them). `machine_sid` is needed for machine-relative defaults (Guest in the Deny
 * rights); NULL drops them. TOKSIM_ENOTFOUND for an unknown profile name (named in err).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_policy_new_profile(toksim_policy **out,
                          const char *profile,
                          const toksim_sid *machine_sid,
                          toksim_error *err);
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_policy_copy(toksim_policy **out,
                                                             const toksim_policy *src);
TOKSIM_API void toksim_policy_free(toksim_policy *p);

/**
 * The 1-based line of the template that defined the right (toksim_policy_parse_inf()), 0
 * when the right was not defined by a parsed template line. Survives
 * toksim_policy_copy().
 */
TOKSIM_API int toksim_policy_source_line(const toksim_policy *p, uint32_t right);
/** Is the right defined in this policy (a template defines only the rights it lists)? */
TOKSIM_API bool toksim_policy_defined(const toksim_policy *p, uint32_t right);
/** Holders of a right in assignment order (borrowed); count 0 and NULL when none /
 * undefined. */
TOKSIM_API const toksim_sid *
toksim_policy_holders(const toksim_policy *p, uint32_t right, size_t *count);
/** Replace the holder list (defines the right; duplicates dropped). TOKSIM_EINVAL for a
 * bad right. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_policy_set(toksim_policy *p,
                                                            uint32_t right,
                                                            const toksim_sid *sids,
                                                            size_t count);
/** Add one holder (defines the right); no-op when present. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_policy_grant(toksim_policy *p,
                                                              uint32_t right,
                                                              const toksim_sid *sid);
/** Remove one holder; returns true when it was there. */
TOKSIM_API bool
toksim_policy_revoke(toksim_policy *p, uint32_t right, const toksim_sid *sid);
/** Does `sid` itself hold the right (no group expansion)? */
TOKSIM_API bool
toksim_policy_has(const toksim_policy *p, uint32_t right, const toksim_sid *sid);
/**
 * The first of `sids` that holds the right, or NULL. Callers pass every SID of a token
 * (user and groups, already expanded): LSA grants a right held by any of them.
 */
TOKSIM_API const toksim_sid *toksim_policy_held_by_any(const toksim_policy *p,
                                                       uint32_t right,
                                                       const toksim_sid *sids,
                                                       size_t count);
/**
 * The privileges the SID set holds: bit n set = privilege with LUID n (SeImpersonate =
 * bit 29). This is how LSA fills a new token's privileges: the union over user and
 * groups.
 */
TOKSIM_API uint64_t toksim_policy_privileges_of(const toksim_policy *p,
                                                const toksim_sid *sids,
                                                size_t count);

/**
 * GPO application: every right *defined* in `tmpl` replaces that right's holder list in
 * `base` (an empty defined right empties it). Rights `tmpl` does not define are
 * untouched.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_policy_apply(toksim_policy *base,
                                                              const toksim_policy *tmpl);

/** Behaviour switches of toksim_policy_configure(). */
#define TOKSIM_SECEDIT_READD_IMPERSONATE                                                 \
    0x1u /**< re-add Administrators and SERVICE to SeImpersonatePrivilege */

/**
 * `secedit /configure` of a template: toksim_policy_apply(), then, with
 * TOKSIM_SECEDIT_READD_IMPERSONATE, the adjustment scesrv.log reports
 * ("SeImpersonatePrivilege must be assigned to administrators. This setting is adjusted."
 * and the same for SERVICE) when the template defines SeImpersonatePrivilege without them
 * (windows-model §7.4, §13.7). *adjusted (may be NULL) receives how many SIDs were
 * re-added.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_policy_configure(
    toksim_policy *base, const toksim_policy *tmpl, unsigned flags, size_t *adjusted);

/**
 * toksim_policy_configure() with a decision trace: one "policy.right.replaced" event per
 * right the template defines (a = new holder count, b = old count, text = right name) and
 * one "policy.secedit.readd_impersonate" event per SID re-added. flags 0 = plain GPO
 * application. trace may be NULL.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_policy_apply_traced(toksim_policy *base,
                           const toksim_policy *tmpl,
                           unsigned flags,
                           size_t *adjusted,
                           toksim_trace *trace);

/* ---- INF (security template) import / export ---- */

/** Caps on hostile templates. */
#define TOKSIM_INF_MAX_BYTES   (4u << 20) /**< 4 MiB */
#define TOKSIM_INF_MAX_LINE    65536u     /**< bytes per line after decoding */
#define TOKSIM_INF_MAX_HOLDERS 1024u      /**< SIDs per right */

/**
 * Parse a security template into a policy that defines exactly the rights listed in its
 * [Privilege Rights] section. Accepts UTF-16LE with BOM FF FE, UTF-8 with or without BOM,
 * CRLF or LF, `;` comments, blank lines, empty values ("SeTcbPrivilege ="), other
 * sections (ignored). Holders: "*S-1-...", "S-1-...", or names resolved through `world`
 * ("Guest", "BUILTIN\Administrators", "CONTOSO\alice"; well-known names when world is
 * NULL). Errors name the file (`filename`, copied into err->where), the 1-based line and
 * what was wrong: unknown right name, unresolvable account, malformed SID, line outside a
 * section, missing '=', bad encoding, size caps. TOKSIM_EPARSE / TOKSIM_ENOTFOUND /
 * TOKSIM_ELIMIT.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_policy_parse_inf(toksim_policy **out,
                        const void *data,
                        size_t len,
                        const char *filename,
                        const struct toksim_world *world,
                        toksim_error *err);

/** A template line that parses but is suspicious: a right or a section given twice. */
typedef struct toksim_inf_warning {
    int line;       /**< the later definition (1-based) */
    int first_line; /**< the earlier one */
    char message[256];
} toksim_inf_warning;

/** Options of toksim_policy_parse_inf_ex(). */
#define TOKSIM_INF_SKIP_UNRESOLVED                                                       \
    0x1u /**< leave out account names that do not resolve instead of failing */
/** Called for each holder left out: the name as written, the right, its 1-based line
 * and column. */
typedef void (*toksim_inf_skip_fn)(
    const char *name, const char *right, int line, int column, void *payload);
typedef struct toksim_inf_options {
    unsigned flags;             /**< TOKSIM_INF_* */
    toksim_inf_skip_fn on_skip; /**< may be NULL */
    void *payload;
} toksim_inf_options;

/**
 * toksim_policy_parse_inf() with options and warnings. opts may be NULL (no options):
 * with TOKSIM_INF_SKIP_UNRESOLVED a holder written as a name that neither the world nor
 * the well-known table resolves (the placeholders of published templates, "ADD YOUR
 * DOMAIN ADMINS"; accounts of another domain) is left out of its right and reported
 * through on_skip; malformed SIDs ("*S-1-x") are still errors. warnings / nwarnings may
 * be NULL; otherwise *warnings receives the suspicious lines (caller frees it with
 * free()): a right defined twice (the later line takes effect: each assignment replaces
 * the list; UNCONFIRMED which one secedit keeps) and a section given twice (its entries
 * are read as one section).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_policy_parse_inf_ex(toksim_policy **out,
                           const void *data,
                           size_t len,
                           const char *filename,
                           const struct toksim_world *world,
                           const toksim_inf_options *opts,
                           toksim_inf_warning **warnings,
                           size_t *nwarnings,
                           toksim_error *err);

/**
 * Does the template name a holder that only a domain controller has (ENTERPRISE DOMAIN
 * CONTROLLERS, Account/Server/Print Operators, Pre-Windows 2000 Compatible Access)? Then
 * it was exported from a DC and the "server" profile is probably the one to apply it to.
 * *right and *holder (either may be NULL) receive the first such assignment.
 */
TOKSIM_API bool toksim_policy_looks_like_dc(const toksim_policy *tmpl,
                                            uint32_t *right,
                                            toksim_sid *holder);

/**
 * Export as `secedit /export` writes it: UTF-16LE with BOM, CRLF, "[Unicode]"
 * "Unicode=yes",
 * "[Version]" "signature=\"$CHICAGO$\"" "Revision=1", "[Privilege Rights]" with one line
 * per right that has holders ("SeX = *S-1-...,*S-1-..."), rights without holders omitted.
 * Rights are written in the table order of toksim_right_at(); SIDs in holder order. *out
 * is malloc'd (caller frees); *len is its byte length.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_policy_to_inf(uint8_t **out,
                                                               size_t *len,
                                                               const toksim_policy *p);
/** The same text as UTF-8 with LF line ends (for display and diffs). Caller frees. */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_policy_to_inf_text(char **out, const toksim_policy *p);

#ifdef __cplusplus
}
#endif
#endif
