/*
 * PURPOSE: security identifiers (MS-DTYP 2.4.2): a value type, its string and binary
 * forms, the table of well-known SIDs with account names and SDDL aliases, and
 * virtual-account SIDs.
 */
#ifndef TOKSIM_SID_H
#define TOKSIM_SID_H

#include <stdbool.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** SID_MAX_SUB_AUTHORITIES (MS-DTYP 2.4.2). */
#define TOKSIM_SID_MAX_SUB 15
/** Longest string form: "S-1-" + 14 hex digits authority + 15 * "-4294967295" + NUL. */
#define TOKSIM_SID_STRING_MAX 192
/** Longest binary form: 8 + 4 * 15 bytes. */
#define TOKSIM_SID_BINARY_MAX 68

/** A SID is a plain value: copy it with `=`, compare it with toksim_sid_equal(). */
typedef struct toksim_sid {
    uint8_t revision;     /**< always 1 */
    uint8_t count;        /**< number of sub-authorities, 0..15 */
    uint8_t authority[6]; /**< identifier authority, big-endian 48-bit */
    uint32_t sub[TOKSIM_SID_MAX_SUB];
} toksim_sid;

/**
 * Context for the SDDL aliases and names that are relative to a domain or to the machine
 * (`DA` = <domain>-512, `LA` = <machine>-500, `MACHINE\name` ...). Either pointer may be
 * NULL: an alias that needs the missing part is then an error (TOKSIM_ENOTFOUND), never a
 * guess.
 */
typedef struct toksim_sid_context {
    const toksim_sid *domain;  /**< domain SID, S-1-5-21-x-y-z, or NULL */
    const toksim_sid *machine; /**< machine (account domain) SID, or NULL */
} toksim_sid_context;

/**
 * The simulated machine that the command-line tools resolve machine-relative aliases (LA,
 * LG and the other local accounts) against when no --machine is given, as Windows
 * resolves them against the machine's own account domain: S-1-5-21-1000-2000-3000, so LA
 * is S-1-5-21-1000-2000-3000-500. It is also the default machine of toksim_world_new().
 */
#define TOKSIM_DEFAULT_MACHINE_SID "S-1-5-21-1000-2000-3000"

/** Flags of a well-known SID table row. */
enum {
    TOKSIM_WK_DOMAIN_RELATIVE = 0x1,  /**< RID appended to the domain SID */
    TOKSIM_WK_MACHINE_RELATIVE = 0x2, /**< RID appended to the machine SID */
    TOKSIM_WK_INTEGRITY = 0x4,        /**< mandatory label S-1-16-x */
    TOKSIM_WK_ALIAS = 0x8,            /**< a BUILTIN alias group (S-1-5-32-x) */
    TOKSIM_WK_GROUP = 0x10, /**< a group-like principal (usable as a group SID) */
    TOKSIM_WK_USER = 0x20,  /**< a user-like principal (SYSTEM, LOCAL SERVICE ...) */
    TOKSIM_WK_DOMAIN = 0x40 /**< a domain SID (SidTypeDomain), e.g. BUILTIN S-1-5-32 */
};

/** One row of the well-known SID table (borrowed, static storage). */
typedef struct toksim_wellknown {
    const char *sid;   /**< "S-1-5-32-568", or for relative rows the RID as "-568" */
    const char *alias; /**< SDDL alias ("IS") or NULL */
    const char
        *domain; /**< account domain part of the name ("BUILTIN", "NT AUTHORITY", "") */
    const char *name; /**< account name ("IIS_IUSRS") */
    uint32_t rid;     /**< RID for relative rows, else 0 */
    unsigned flags;   /**< TOKSIM_WK_* */
} toksim_wellknown;

/**
 * Parse "S-1-5-32-544" (decimal authority below 2^32, "0x" + 12 hex digits above, as
 * ConvertStringSidToSid accepts). Only the numeric form: see toksim_sid_resolve() for
 * aliases and names. Errors: TOKSIM_EPARSE with the offending offset, TOKSIM_ELIMIT for
 * more than 15 sub-authorities or an overlong string.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sid_parse(toksim_sid *out,
                                                           const char *text,
                                                           toksim_error *err);
/** Like toksim_sid_parse() but for a length-delimited buffer (need not be
 * NUL-terminated). */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sid_parse_n(toksim_sid *out,
                                                             const char *text,
                                                             size_t len,
                                                             toksim_error *err);

/**
 * Resolve what a user may type for a principal: a numeric SID, an SDDL alias ("BA",
 * "IS"), or a well-known account name ("NT AUTHORITY\SERVICE", "BUILTIN\IIS_IUSRS",
 * "SERVICE", "IUSR"), or "NT SERVICE\<svc>" / "IIS APPPOOL\<pool>" (computed). Names
 * compare case-insensitively. TOKSIM_OK; TOKSIM_ENOTFOUND for an unknown alias or name,
 * or a relative one ctx does not give the domain/machine for; TOKSIM_EPARSE /
 * TOKSIM_ELIMIT for malformed or overlong text; TOKSIM_EINVAL for NULL arguments. err
 * says what and where.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sid_resolve(
    toksim_sid *out, const char *text, const toksim_sid_context *ctx, toksim_error *err);

/** Format as "S-1-..." into buf (snprintf semantics). Returns the length it needed. */
TOKSIM_API size_t toksim_sid_format(char *buf, size_t n, const toksim_sid *sid);

/** MS-DTYP 2.4.2.2 binary form. Returns bytes written, or 0 when n is too small. */
TOKSIM_API size_t toksim_sid_to_binary(uint8_t *buf, size_t n, const toksim_sid *sid);
/**
 * Decode the binary form from buf[0..n); *used receives the byte length consumed.
 * TOKSIM_OK, TOKSIM_EPARSE (short, truncated or revision other than 1; err->offset is the
 * byte), TOKSIM_ELIMIT (more than 15 sub-authorities) or TOKSIM_EINVAL.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sid_from_binary(
    toksim_sid *out, const uint8_t *buf, size_t n, size_t *used, toksim_error *err);

/** Same authority and sub-authorities. */
TOKSIM_API bool toksim_sid_equal(const toksim_sid *a, const toksim_sid *b);
/** Total order (authority, then sub-authorities, then count); for sorting. */
TOKSIM_API int toksim_sid_compare(const toksim_sid *a, const toksim_sid *b);
/** Stable 32-bit hash of a SID (FNV-1a over the binary form); used by membership indexes.
 */
TOKSIM_API uint32_t toksim_sid_hash(const toksim_sid *sid);
/** Build a SID from an authority value (below 2^48) and sub-authorities. TOKSIM_OK,
 * TOKSIM_ELIMIT past 15 sub-authorities, TOKSIM_EINVAL for NULL arguments or a larger
 * authority. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sid_make(toksim_sid *out,
                                                          uint64_t authority,
                                                          const uint32_t *subs,
                                                          size_t count);
/** Append one RID (e.g. domain SID + 512). TOKSIM_ELIMIT past 15 sub-authorities. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sid_append(toksim_sid *out,
                                                            const toksim_sid *base,
                                                            uint32_t rid);
/** Identifier authority as an integer. */
TOKSIM_API uint64_t toksim_sid_authority(const toksim_sid *sid);
/** Last sub-authority (the RID), 0 when there is none. */
TOKSIM_API uint32_t toksim_sid_rid(const toksim_sid *sid);

/**
 * Look up a SID in the well-known table (absolute rows, and relative rows when ctx gives
 * the domain/machine they are relative to). Returns NULL when the SID is not well known.
 */
TOKSIM_API const toksim_wellknown *toksim_wellknown_by_sid(const toksim_sid *sid,
                                                           const toksim_sid_context *ctx);
/** Look up an SDDL alias (case-sensitive, as SDDL is). NULL when unknown. Table rows are
 * static storage: never freed, valid for the life of the program. */
TOKSIM_API const toksim_wellknown *toksim_wellknown_by_alias(const char *alias);
/** Number of rows and row i, for listing and generated views (docs, tests). */
TOKSIM_API size_t toksim_wellknown_count(void);
TOKSIM_API const toksim_wellknown *toksim_wellknown_at(size_t i);

/**
 * Account name for display: "NT AUTHORITY\NETWORK SERVICE", "BUILTIN\IIS_IUSRS",
 * "Mandatory Label\High Mandatory Level", "NT SERVICE\?" is never invented: a SID that is
 * neither well known nor virtual formats as its S-1-... string. snprintf semantics.
 */
TOKSIM_API size_t toksim_sid_display_name(char *buf,
                                          size_t n,
                                          const toksim_sid *sid,
                                          const toksim_sid_context *ctx);

/** Virtual-account SID families (MS-DTYP 2.4.2.4; SHA-1 of the UTF-16LE name). */
typedef enum toksim_virtual_kind {
    TOKSIM_VIRTUAL_SERVICE = 80,           /**< NT SERVICE\<name>: name upper-cased */
    TOKSIM_VIRTUAL_APPPOOL = 82,           /**< IIS APPPOOL\<name>: name lower-cased */
    TOKSIM_VIRTUAL_RESTRICTED_SERVICE = 99 /**< RESTRICTED SERVICES\<name>: upper-cased */
} toksim_virtual_kind;

/**
 * Compute a virtual-account SID the way Windows does (`sc showsid`): S-1-5-<kind>-
 * followed by the SHA-1 of the case-folded UTF-8 name re-encoded as UTF-16LE, read as
 * five little-endian 32-bit words. TOKSIM_EPARSE for invalid UTF-8 or an empty name.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sid_virtual(toksim_sid *out,
                                                             toksim_virtual_kind kind,
                                                             const char *name,
                                                             toksim_error *err);

#ifdef __cplusplus
}
#endif
#endif
