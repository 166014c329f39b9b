/*
 * PURPOSE: the error catalog: Win32 errors, NTSTATUS, HRESULT (HRESULT_FROM_WIN32 and
 * COM/RPC codes) and WBEM codes the models produce, with symbolic names, conversions and
 * short messages. Everything is generated from errors.inc.
 */
#ifndef TOKSIM_ERRORS_H
#define TOKSIM_ERRORS_H

#include <stdbool.h>
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Win32 error values: TOKSIM_ERROR_ACCESS_DENIED == 5 ... */
enum {
#define TOKSIM_ERR_ROW(w32, w32v, nt, ntv, msg) TOKSIM_##w32 = w32v,
#define TOKSIM_HR_ROW(name, v, kind, msg)
#include "errors.inc"
#undef TOKSIM_ERR_ROW
#undef TOKSIM_HR_ROW
    TOKSIM_WIN32__END
};

/** NTSTATUS values used by the core (the catalog holds them all). */
#define TOKSIM_STATUS_SUCCESS                 0x00000000u
#define TOKSIM_STATUS_ACCESS_DENIED           0xC0000022u
#define TOKSIM_STATUS_PRIVILEGE_NOT_HELD      0xC0000061u
#define TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL 0xC00000A5u
#define TOKSIM_STATUS_NO_IMPERSONATION_TOKEN  0xC000005Cu
#define TOKSIM_STATUS_GENERIC_NOT_MAPPED      0xC00000E6u
#define TOKSIM_STATUS_INVALID_SECURITY_DESCR  0xC0000079u

/** Which numbering a catalog row belongs to. */
typedef enum toksim_code_kind {
    TOKSIM_CODE_WIN32 = 0,
    TOKSIM_CODE_NTSTATUS = 1,
    TOKSIM_CODE_HRESULT = 2, /**< COM/RPC HRESULTs that are not HRESULT_FROM_WIN32 */
    TOKSIM_CODE_WBEM = 3
} toksim_code_kind;

/** A catalog entry (static storage). */
typedef struct toksim_code_info {
    toksim_code_kind kind;
    const char *name; /**< "ERROR_BAD_IMPERSONATION_LEVEL", "WBEM_E_ACCESS_DENIED" */
    uint32_t value;
    const char *nt_name; /**< NTSTATUS counterpart of a Win32 row, or "" */
    uint32_t ntstatus;
    const char *message;
} toksim_code_info;

/** HRESULT_FROM_WIN32: 0 stays 0; else 0x80070000 | (e & 0xFFFF). */
TOKSIM_API uint32_t toksim_hresult_from_win32(uint32_t win32);
/** HRESULT_FROM_NT: s | 0x10000000. */
TOKSIM_API uint32_t toksim_hresult_from_nt(uint32_t ntstatus);
/** RtlNtStatusToDosError for the catalogued statuses; unknown values give
 * ERROR_MR_MID_NOT_FOUND (317). */
TOKSIM_API uint32_t toksim_ntstatus_to_win32(uint32_t ntstatus);
/** NTSTATUS counterpart of a Win32 error, 0 when the catalog has none. */
TOKSIM_API uint32_t toksim_win32_to_ntstatus(uint32_t win32);

/* The lookups return catalog rows (static storage, never freed), or NULL when not
 * catalogued. */
/** The Win32 row with this value. */
TOKSIM_API const toksim_code_info *toksim_code_by_win32(uint32_t win32);
/** The Win32 row whose NTSTATUS counterpart is this value (its nt_name names the status).
 */
TOKSIM_API const toksim_code_info *toksim_code_by_ntstatus(uint32_t ntstatus);
/** HRESULT lookup: COM/RPC/WBEM rows, then FACILITY_WIN32 HRESULTs decoded to their Win32
 * row. */
TOKSIM_API const toksim_code_info *toksim_code_by_hresult(uint32_t hresult);
/** By symbolic name (Win32, STATUS_, HRESULT or WBEM name; case-insensitive). */
TOKSIM_API const toksim_code_info *toksim_code_by_name(const char *name);
/** Number of catalog rows, and row i in catalog order (NULL past the end). */
TOKSIM_API size_t toksim_code_count(void);
TOKSIM_API const toksim_code_info *toksim_code_at(size_t i);
/** Symbolic name of a Win32 error, or NULL when not catalogued. */
TOKSIM_API const char *toksim_win32_name(uint32_t win32);

#ifdef __cplusplus
}
#endif
#endif
