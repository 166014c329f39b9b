/*
 * PURPOSE: hints about a security template that the caller may turn into warnings: a
 * template naming holders that exist only in a domain's directory (ENTERPRISE DOMAIN
 * CONTROLLERS, and the Builtin groups Account Operators, Server Operators, Print
 * Operators and Pre-Windows 2000 Compatible Access that only domain controllers have;
 * Microsoft Learn, "Active Directory security groups") comes from a domain controller,
 * and applying it to a client profile is probably not what was meant.
 */
#include "identity/identity_int.h"
#include "toksim/policy.h"

bool toksim_policy_looks_like_dc(const toksim_policy *tmpl,
                                 uint32_t *right,
                                 toksim_sid *holder)
{
    /* SDDL aliases of the well-known table (wellknown.inc): ED, AO, SO, PO, RU */
    static const char *const dc_only[] = {"ED", "AO", "SO", "PO", "RU"};
    toksim_sid dc[sizeof dc_only / sizeof dc_only[0]];
    for (size_t k = 0; k < sizeof dc_only / sizeof dc_only[0]; k++)
        if (toksim_sid_resolve(&dc[k], dc_only[k], NULL, NULL) != TOKSIM_OK)
            return false;
    for (size_t i = 0; tmpl && i < toksim_right_count(); i++) {
        uint32_t r = toksim_right_at(i)->right;
        size_t n = 0;
        const toksim_sid *h = toksim_policy_holders(tmpl, r, &n);
        for (size_t j = 0; j < n; j++)
            for (size_t k = 0; k < sizeof dc / sizeof dc[0]; k++)
                if (toksim_sid_equal(&h[j], &dc[k])) {
                    if (right)
                        *right = r;
                    if (holder)
                        *holder = h[j];
                    return true;
                }
    }
    return false;
}
