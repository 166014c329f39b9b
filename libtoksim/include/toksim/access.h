/*
 * PURPOSE: the access check: MS-DTYP 2.5.3.2 with Windows' extensions (mandatory
 * integrity, privilege overrides, owner rights, restricted tokens), in the two flavours
 * Windows has: the AccessCheck API (server-side check with an impersonation token) and
 * the kernel check made when a thread opens an object (SeAccessCheck).
 */
#ifndef TOKSIM_ACCESS_H
#define TOKSIM_ACCESS_H

#include <stdbool.h>
#include "common.h"
#include "sd.h"
#include "token.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum toksim_access_mode {
    /**
     * AccessCheck(): the token must be an impersonation token at Identification or above,
     * the desired mask must hold no GENERIC_* bit, the SD must have an owner and a group.
     */
    TOKSIM_ACCESS_API = 0,
    /**
     * Kernel object open (SeAccessCheck): generic bits of the desired mask are mapped,
     * any token type is accepted, but an impersonation token below Impersonation fails
     * with STATUS_BAD_IMPERSONATION_LEVEL (Identify-level tokens cannot open objects).
     */
    TOKSIM_ACCESS_OPEN = 1
} toksim_access_mode;

/** Request flags. */
#define TOKSIM_ACCESS_BACKUP_INTENT                                                      \
    0x1u /**< FILE_FLAG_BACKUP_SEMANTICS / REG_OPTION_BACKUP_RESTORE */

/** One entry of an object-type list (OBJECT_TYPE_LIST, AccessCheckByType): level 0 is
 * the object (its class), 1 a property set, 2 a property, in tree order. */
typedef struct toksim_object_type_entry {
    uint16_t level;
    uint8_t guid[16]; /**< binary GUID (little-endian fields, as in object ACEs) */
} toksim_object_type_entry;

/** Parse "LEVEL:GUID" (e.g. "1:77b5b886-944a-11d1-aebd-0000f80367c1"; LEVEL 0-4, as
 * ACCESS_MAX_LEVEL allows) into an entry. TOKSIM_EPARSE with err on bad text. */
/** Name of a well-known Active Directory GUID (binary form) that object ACEs carry
 * (control access right, validated write, property set, class, attribute), or NULL;
 * *kind (if given) receives which of these it is. */
TOKSIM_API const char *toksim_ad_guid_name(const uint8_t guid[16], const char **kind);
TOKSIM_API toksim_status toksim_object_type_entry_parse(toksim_object_type_entry *out,
                                                        const char *text,
                                                        toksim_error *err);

typedef struct toksim_access_request {
    uint32_t desired;
    toksim_access_mode mode;
    toksim_object_type object_type;        /**< selects the generic mapping */
    const toksim_generic_mapping *mapping; /**< overrides object_type when not NULL */
    uint32_t flags;                        /**< TOKSIM_ACCESS_* */
    const toksim_sid
        *principal_self; /**< replaces PRINCIPAL_SELF (S-1-5-10) in ACEs, or NULL */
    uint32_t previously_granted;
    /** AccessCheckByType (MS-DTYP 2.5.3.2 with an object-type list): the list, or NULL
     * for a plain AccessCheck. The verdict is the one for the root (level 0) entry. */
    const toksim_object_type_entry *object_types;
    size_t object_type_count;
} toksim_access_request;

/** What Windows would answer. */
typedef struct toksim_access_result {
    /**
     * false when the call itself fails (GENERIC_NOT_MAPPED, NO_IMPERSONATION_TOKEN,
     * BAD_IMPERSONATION_LEVEL, INVALID_SECURITY_DESCR): `ntstatus` holds that error and
     * the check did not run. true when the check ran: `ntstatus` is the verdict
     * (STATUS_SUCCESS, STATUS_ACCESS_DENIED, STATUS_PRIVILEGE_NOT_HELD).
     */
    bool api_ok;
    bool granted_all; /**< the verdict: access granted */
    uint32_t granted; /**< granted mask (0 on denial, as Windows reports) */
    uint32_t missing; /**< requested bits not granted (diagnostic; Windows does not report
                         it) */
    uint32_t ntstatus;
    uint32_t win32;           /**< RtlNtStatusToDosError(ntstatus) */
    uint64_t privileges_used; /**< bit n = privilege LUID n was used to grant access */
} toksim_access_result;

/**
 * Judge a request before a check: TOKSIM_EINVAL, with err (may be NULL) naming the
 * reason, for an unknown mode or flag, or backup intent in TOKSIM_ACCESS_API mode:
 * AccessCheck() takes no backup intent (it is an option of an open: CreateFile
 * FILE_FLAG_BACKUP_SEMANTICS, NtOpenFile FILE_OPEN_FOR_BACKUP_INTENT, RegCreateKeyEx
 * REG_OPTION_BACKUP_RESTORE). toksim_access_check() makes the same judgement.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_access_request_validate(const toksim_access_request *req, toksim_error *err);

/**
 * Run the check. Library errors only for misuse (NULL arguments or a request that
 * toksim_access_request_validate() refuses: TOKSIM_EINVAL) or
 * allocation failure of the trace (TOKSIM_ENOMEM); Windows failures are results in *out.
 * `trace` may be NULL; events are appended to it (the caller owns it and disposes of it).
 * Nothing is allocated for the caller, and sd, token and req are only read.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_access_check(toksim_access_result *out,
                    const toksim_sd *sd,
                    const toksim_token *token,
                    const toksim_access_request *req,
                    toksim_trace *trace);

#ifdef __cplusplus
}
#endif
#endif
