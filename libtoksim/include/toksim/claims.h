/*
 * PURPOSE: claims on access tokens (user claims, device claims, device groups) that
 * conditional ACEs test (MS-DTYP 2.4.4.17; "Security Descriptor Definition Language for
 * Conditional ACEs" on Microsoft Learn). The kernel's AccessCheck evaluates a conditional
 * (callback) ACE against the token's @User and @Device claims, its groups (Member_of),
 * its device groups (Device_Member_of) and the resource attributes of the object's SACL
 * (@Resource); see access.h.
 *
 * A claim is given in the text form of a resource attribute (MS-DTYP 2.5.1.1, the body
 * of an RA ACE): "Name",TYPE,flags,value[,value...] with TYPE TI (int64), TU (uint64),
 * TS (string), TD (SID, as SID(...)), TB (boolean 0/1) or TX (octets). Example:
 * "Title",TS,0,"PM" or "clearance",TI,0,3.
 */
#ifndef TOKSIM_CLAIMS_H
#define TOKSIM_CLAIMS_H

#include "common.h"
#include "errors.h"
#include "sid.h"
#include "token.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Which claim set of the token: @User (TOKEN_USER_CLAIMS), @Device, or the token's own
 * security attributes (TokenSecurityAttributes, e.g. WIN://SYSAPPID of a packaged app),
 * which a conditional expression names without a prefix: a local attribute (MS-DTYP
 * 2.4.4.17.4, token 0xF8; Windows' WindowsApps folder grants BUILTIN\Users read only
 * with "(Exists WIN://SYSAPPID)").
 */
typedef enum toksim_claim_scope {
    TOKSIM_CLAIMS_USER = 0,
    TOKSIM_CLAIMS_DEVICE = 1,
    TOKSIM_CLAIMS_LOCAL = 2
} toksim_claim_scope;

/**
 * Add one claim to the token from its text form (see above). A claim of the same name
 * (case-insensitive) in that scope is replaced. TOKSIM_EPARSE (err names the offset) on
 * bad text.
 */
TOKSIM_API toksim_status toksim_token_add_claim(toksim_token *tok,
                                                toksim_claim_scope scope,
                                                const char *text,
                                                toksim_error *err);

/**
 * Add a claim from the command-line spelling SCOPE:TEXT, SCOPE being "user", "device" or
 * "local" (a token security attribute; any case), or "devgroup:SID" for a device group
 * (Device_Member_of).
 */
TOKSIM_API toksim_status toksim_token_add_claim_spec(toksim_token *tok,
                                                     const char *spec,
                                                     toksim_error *err);

/** Add a device group (TOKEN_DEVICE_GROUPS), which Device_Member_of tests. */
TOKSIM_API toksim_status toksim_token_add_device_group(toksim_token *tok,
                                                       const toksim_sid *sid);

/** Number of claims in a scope. */
TOKSIM_API size_t toksim_token_claim_count(const toksim_token *tok,
                                           toksim_claim_scope scope);

/**
 * The i-th claim of a scope in its text form ("Name",TYPE,flags,value...), into *out
 * (caller frees with free()). TOKSIM_EINVAL when i is out of range, TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_claim_text(
    char **out, const toksim_token *tok, toksim_claim_scope scope, size_t i);

/** Number of device groups (TOKEN_DEVICE_GROUPS) and the i-th one (NULL past the end). */
TOKSIM_API size_t toksim_token_device_group_count(const toksim_token *tok);
TOKSIM_API const toksim_sid *toksim_token_device_group_at(const toksim_token *tok,
                                                          size_t i);

#ifdef __cplusplus
}
#endif
#endif
