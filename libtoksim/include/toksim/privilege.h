/*
 * PURPOSE: Windows privileges: LUID values, constant names, display names and attribute
 * bits. Privileges only; logon rights (SeServiceLogonRight ...) are account rights of the
 * LSA policy and live in policy.h (they never appear in a token).
 */
#ifndef TOKSIM_PRIVILEGE_H
#define TOKSIM_PRIVILEGE_H

#include <stdbool.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Privilege LUID low parts (HighPart is always 0), winnt.h SE_*_PRIVILEGE. */
typedef enum toksim_privilege {
    TOKSIM_PRIV_NONE = 0,
#define TOKSIM_PRIV_ROW(id, luid, name, display) TOKSIM_PRIV_##id = luid,
#include "privileges.inc"
#undef TOKSIM_PRIV_ROW
    TOKSIM_PRIV_MAX = 36 /**< SE_MAX_WELL_KNOWN_PRIVILEGE */
} toksim_privilege;

/** SE_PRIVILEGE_* attribute bits (winnt.h). */
#define TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT 0x00000001u
#define TOKSIM_SE_PRIVILEGE_ENABLED            0x00000002u
#define TOKSIM_SE_PRIVILEGE_REMOVED            0x00000004u
#define TOKSIM_SE_PRIVILEGE_USED_FOR_ACCESS    0x80000000u

/** A row of the privilege table (static storage). */
typedef struct toksim_privilege_info {
    toksim_privilege luid;
    const char *name;    /**< "SeImpersonatePrivilege" */
    const char *display; /**< "Impersonate a client after authentication" */
} toksim_privilege_info;

/* Rows are static storage (never freed, valid for the life of the program). */
/** Row for a LUID, NULL when the value is not a privilege. */
TOKSIM_API const toksim_privilege_info *toksim_privilege_by_luid(uint32_t luid);
/** Row for a name (case-insensitive, as LookupPrivilegeValue is). NULL when unknown. */
TOKSIM_API const toksim_privilege_info *toksim_privilege_by_name(const char *name);
/** Every privilege, in LUID order: the count, and row i (NULL past the end). */
TOKSIM_API size_t toksim_privilege_count(void);
TOKSIM_API const toksim_privilege_info *toksim_privilege_at(size_t i);

#ifdef __cplusplus
}
#endif
#endif
