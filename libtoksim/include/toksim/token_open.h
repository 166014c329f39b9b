/*
 * PURPOSE: opening and duplicating token objects as a lab or a policy test calls them,
 * with Windows' results: OpenThreadToken / OpenProcessToken with a desired access checked
 * against the token object's own security descriptor (the granted access becomes the
 * handle's rights, which later calls need: DuplicateTokenEx needs TOKEN_DUPLICATE ...),
 * NtDuplicateToken with or without a SECURITY_QUALITY_OF_SERVICE and EffectiveOnly, and
 * the EffectiveOnly filter itself (also used by named-pipe clients, toksim/pipe.h).
 *
 * Results follow toksim/impersonate.h: a library status reports misuse and allocation
 * failure only; what Windows answers is in the toksim_imp_result. Decisions append
 * "imp.*" trace events (rules_imperson.inc).
 *
 * Not modelled: PROCESS_QUERY_INFORMATION on the process handle OpenProcessToken is
 * given, handle inheritance, the SACL of a token object, new token ids of duplicates.
 */
#ifndef TOKSIM_TOKEN_OPEN_H
#define TOKSIM_TOKEN_OPEN_H

#include <stdbool.h>
#include "common.h"
#include "token.h"
#include "sd.h"
#include "trace.h"
#include "impersonate.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The security descriptor Windows gives a token object when its creator passes none:
 * owner and primary group of the token, DACL = the token's default DACL
 * (NtDuplicateToken, ObjectAttributes: "created from the user group, primary group, and
 * DACL information that is stored in the caller's token"; the logon path builds a token's
 * default DACL as owner GENERIC_ALL + SYSTEM GENERIC_ALL). A token without a default DACL
 * gets that same pair. The caller frees *out with toksim_sd_free().
 * @return TOKSIM_OK, TOKSIM_EINVAL, TOKSIM_ENOMEM
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_token_object_sd(toksim_sd **out,
                                                                 const toksim_token *tok);

/** A handle opened by OpenThreadToken / OpenProcessToken. */
typedef struct toksim_token_open_result {
    toksim_imp_result api; /**< TRUE/FALSE, GetLastError, NTSTATUS */
    uint32_t granted;      /**< the access the handle holds (TOKSIM_TOKEN_ACCESS_*) */
} toksim_token_open_result;

/**
 * OpenThreadToken(target, desired, OpenAsSelf), extended form of
 * toksim_open_thread_token(): same failures (not impersonating: ERROR_NO_TOKEN 1008 /
 * STATUS_NO_TOKEN; Anonymous level: ERROR_CANT_OPEN_ANONYMOUS 1347, even with OpenAsSelf
 * [WINE-SEC]; Identification with OpenAsSelf=FALSE: 1346), then the access check of
 * `desired` (MAXIMUM_ALLOWED and generic rights accepted) against the token object's
 * security descriptor: `token_sd`, or toksim_token_object_sd() of the thread token when
 * NULL. The subject is the process token (OpenAsSelf) or the thread token. Denied:
 * ERROR_ACCESS_DENIED. On success *out_token is a copy of the thread token (caller frees)
 * and out->granted the handle's rights.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_open_thread_token_handle(toksim_token_open_result *out,
                                toksim_token **out_token,
                                const toksim_thread *target,
                                uint32_t desired,
                                bool open_as_self,
                                const toksim_sd *token_sd,
                                toksim_trace *trace);

/**
 * OpenProcessToken(target, desired) called from `caller`: the token object of the
 * target's primary token is opened with the caller's effective token (§0.1): a caller
 * impersonating below Impersonation fails with ERROR_BAD_IMPERSONATION_LEVEL 1346 (the
 * kernel open rule, §1.5), else the access check against `token_sd` (NULL =
 * toksim_token_object_sd() of the target's token): ERROR_ACCESS_DENIED when refused. On
 * success *out_token is a copy of the primary token (caller frees), out->granted the
 * handle's rights.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_open_process_token(toksim_token_open_result *out,
                          toksim_token **out_token,
                          const toksim_thread *caller,
                          const toksim_process *target,
                          uint32_t desired,
                          const toksim_sd *token_sd,
                          toksim_trace *trace);

/** NtDuplicateToken's inputs besides the source handle. Zero-initialise, then set. */
typedef struct toksim_nt_duplicate_request {
    toksim_token_type type; /**< TOKSIM_TOKEN_PRIMARY or TOKSIM_TOKEN_IMPERSONATION */
    /** ObjectAttributes->SecurityQualityOfService is given (its level is qos_level). */
    bool has_qos;
    toksim_imp_level qos_level;
    /** Only the enabled privileges and groups are carried over
     * (toksim_token_effective_only).
     */
    bool effective_only;
    /**
     * UNCONFIRMED switch: the level of an impersonation token made from a primary token
     * without a QoS. Learn's NtDuplicateToken page names no level (its sentence links the
     * SECURITY_IMPERSONATION_LEVEL type); ReactOS uses SecurityAnonymous. Default (zero):
     * TOKSIM_IMP_ANONYMOUS.
     */
    toksim_imp_level no_qos_primary_level;
} toksim_nt_duplicate_request;

/**
 * NtDuplicateToken(src, ObjectAttributes, EffectiveOnly, TokenType). Without a QoS the
 * duplicate of an impersonation token keeps the source's level (Learn NtDuplicateToken
 * remarks); of a primary token: req->no_qos_primary_level (UNCONFIRMED). Then the rules
 * of toksim_duplicate_token_ex(): no TOKEN_DUPLICATE on the handle: STATUS_ACCESS_DENIED
 * (ERROR_ACCESS_DENIED 5); above an impersonation source's level, or an impersonation
 * source below Impersonation to primary: STATUS_BAD_IMPERSONATION_LEVEL (1346). Finally
 * EffectiveOnly. out->ntstatus carries the NTSTATUS the native call returns.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_nt_duplicate_token(toksim_imp_result *out,
                          toksim_token **out_token,
                          const toksim_token_handle *src,
                          const toksim_nt_duplicate_request *req,
                          toksim_trace *trace);

/**
 * Keep only the effective part of a token (EffectiveOnly of NtDuplicateToken and of a
 * client's SECURITY_QUALITY_OF_SERVICE): privileges that are not enabled are deleted, and
 * groups that are neither enabled nor deny-only nor the integrity label are removed
 * (deny-only groups are kept: dropping them would widen access; UNCONFIRMED detail).
 * Emits "imp.effective_only" with the counts.
 * @return TOKSIM_OK, TOKSIM_EINVAL, TOKSIM_ENOMEM (trace)
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_token_effective_only(toksim_token *tok, toksim_trace *trace);

#ifdef __cplusplus
}
#endif
#endif
