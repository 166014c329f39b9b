/*
 * PURPOSE: lookups over the privilege table (privileges.inc): by LUID
 * (LookupPrivilegeName), by name (LookupPrivilegeValue, case-insensitive as on Windows),
 * and enumeration in LUID order. Logon rights are not privileges and are not here
 * (policy.h).
 */
#include <string.h>
#include "internal.h"

static const toksim_privilege_info priv_table[] = {
#define TOKSIM_PRIV_ROW(id, luid, name, display) {TOKSIM_PRIV_##id, name, display},
#include <toksim/privileges.inc> /* angle form: a public header, not a layer */
#undef TOKSIM_PRIV_ROW
};
#define PRIV_COUNT (sizeof priv_table / sizeof priv_table[0])

const toksim_privilege_info *toksim_privilege_by_luid(uint32_t luid)
{
    /* The rows are in LUID order starting at 2 with no gaps (winnt.h
     * SE_MIN_WELL_KNOWN_PRIVILEGE). */
    for (size_t i = 0; i < PRIV_COUNT; i++)
        if ((uint32_t)priv_table[i].luid == luid)
            return &priv_table[i];
    return NULL;
}

const toksim_privilege_info *toksim_privilege_by_name(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < PRIV_COUNT; i++)
        if (ts_strcasecmp(priv_table[i].name, name) == 0)
            return &priv_table[i];
    return NULL;
}

size_t toksim_privilege_count(void)
{
    return PRIV_COUNT;
}

const toksim_privilege_info *toksim_privilege_at(size_t i)
{
    return i < PRIV_COUNT ? &priv_table[i] : NULL;
}
