/*
 * PURPOSE: claims of a world's accounts and of its machine (Dynamic Access Control):
 * user claims an Active Directory account carries (the KDC puts them in the PAC, MS-PAC
 * 2.11 PAC_CLIENT_CLAIMS_INFO; MS-ADTS 3.1.1.11.2 claim types) and the machine's device
 * claims and device groups (compound authentication, MS-KILE 3.3.5.7.4). A logon of a
 * domain account on the machine puts them in the token (TOKEN_USER_CLAIMS,
 * TOKEN_DEVICE_CLAIMS, TOKEN_DEVICE_GROUPS), where conditional ACEs read them
 * (claims.h). Claims are given in the text form of claims.h ("Name",TS,0,"value").
 */
#ifndef TOKSIM_WORLD_CLAIMS_H
#define TOKSIM_WORLD_CLAIMS_H

#include "claims.h"
#include "world.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Give a domain account a user claim. TOKSIM_ENOTFOUND (unknown account), TOKSIM_EINVAL
 * (not a domain account: claims come from Active Directory, a SAM account has none),
 * TOKSIM_EPARSE (bad claim text), TOKSIM_ENOMEM. A claim of the same name is replaced.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_add_user_claim(
    toksim_world *w, const toksim_sid *account, const char *text, toksim_error *err);

/**
 * Give the machine a device claim (scope TOKSIM_CLAIMS_DEVICE) or, with text NULL and
 * group set, a device group. TOKSIM_EINVAL when the machine is not joined to a domain.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_world_add_device_claim(toksim_world *w, const char *text, toksim_error *err);
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_world_add_device_group(
    toksim_world *w, const toksim_sid *group, toksim_error *err);

/** Number of user claims an account has in the world. */
TOKSIM_API size_t toksim_world_user_claim_count(const toksim_world *w,
                                                const toksim_sid *account);

#ifdef __cplusplus
}
#endif
#endif
