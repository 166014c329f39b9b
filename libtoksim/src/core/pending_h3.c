/*
 * PURPOSE: TEMPORARY weak stand-ins for functions other helpers own (generic mappings: sd/sddl
 * owner; NTSTATUS->Win32: errors.c owner), so the access check builds and is tested before their
 * work lands in main. Every definition is weak: the real (strong) one wins at link time.
 * DELETE THIS FILE once main has sd mappings and errors.c (h3 removes it on merge).
 */
#include <string.h>
#include "internal.h"

#define TS_WEAK __attribute__((weak))

static const toksim_generic_mapping pending_maps[TOKSIM_OBJ__COUNT] = {
    [TOKSIM_OBJ_GENERIC] = {0x00020000u, 0x00020000u, 0x00020000u, 0x001F0000u},
    [TOKSIM_OBJ_FILE] = {0x00120089u, 0x00120116u, 0x001200A0u, 0x001F01FFu},
    [TOKSIM_OBJ_DIRECTORY] = {0x00120089u, 0x00120116u, 0x001200A0u, 0x001F01FFu},
    [TOKSIM_OBJ_KEY] = {0x00020019u, 0x00020006u, 0x00020019u, 0x000F003Fu},
    [TOKSIM_OBJ_SERVICE] = {0x0002008Du, 0x00020002u, 0x00020170u, 0x000F01FFu},
    [TOKSIM_OBJ_SCMANAGER] = {0x00020014u, 0x00020022u, 0x00020009u, 0x000F003Fu},
    [TOKSIM_OBJ_PROCESS] = {0x00020410u, 0x00020BEAu, 0x00121001u, 0x001FFFFFu},
    [TOKSIM_OBJ_THREAD] = {0x00020048u, 0x00020037u, 0x00121800u, 0x001FFFFFu},
    [TOKSIM_OBJ_TOKEN] = {0x00020008u, 0x000200E0u, 0x00020000u, 0x000F01FFu},
    [TOKSIM_OBJ_PIPE] = {0x00120089u, 0x00120116u, 0x001200A0u, 0x001F01FFu},
    [TOKSIM_OBJ_WMI_NAMESPACE] = {0x00020000u, 0x00020000u, 0x00020000u, 0x001F0000u},
};
static const char *const pending_names[TOKSIM_OBJ__COUNT] = {"generic", "file", "directory", "key",
                                                             "service", "scmanager", "process", "thread",
                                                             "token", "pipe", "wmi"};

TS_WEAK const toksim_generic_mapping *toksim_object_mapping(toksim_object_type type)
{
    return ((unsigned)type < TOKSIM_OBJ__COUNT) ? &pending_maps[type] : NULL;
}

TS_WEAK const char *toksim_object_type_name(toksim_object_type type)
{
    return ((unsigned)type < TOKSIM_OBJ__COUNT) ? pending_names[type] : "unknown";
}

TS_WEAK toksim_status toksim_object_type_parse(toksim_object_type *out, const char *name)
{
    for (unsigned i = 0; name && i < TOKSIM_OBJ__COUNT; i++) {
        if (ts_strcasecmp(name, pending_names[i]) == 0) {
            *out = (toksim_object_type)i;
            return TOKSIM_OK;
        }
    }
    return TOKSIM_ENOTFOUND;
}

TS_WEAK uint32_t toksim_map_generic(uint32_t mask, const toksim_generic_mapping *map)
{
    if (mask & TOKSIM_GENERIC_READ)
        mask |= map->read;
    if (mask & TOKSIM_GENERIC_WRITE)
        mask |= map->write;
    if (mask & TOKSIM_GENERIC_EXECUTE)
        mask |= map->execute;
    if (mask & TOKSIM_GENERIC_ALL)
        mask |= map->all;
    return mask & ~TOKSIM_GENERIC_MASK;
}

TS_WEAK uint32_t toksim_ntstatus_to_win32(uint32_t ntstatus)
{
    switch (ntstatus) {
    case TOKSIM_STATUS_SUCCESS: return 0;
    case TOKSIM_STATUS_ACCESS_DENIED: return 5;
    case TOKSIM_STATUS_PRIVILEGE_NOT_HELD: return 1314;
    case TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL: return 1346;
    case TOKSIM_STATUS_NO_IMPERSONATION_TOKEN: return 1309;
    case TOKSIM_STATUS_GENERIC_NOT_MAPPED: return 1360;
    case TOKSIM_STATUS_INVALID_SECURITY_DESCR: return 1338;
    }
    return 317; /* ERROR_MR_MID_NOT_FOUND */
}
