/*
 * PURPOSE: private interface between the access check (access.c) and its
 * mandatory-integrity stage (integrity.c). Prefix ts_.
 */
#ifndef TOKSIM_CORE_ACCESS_INT_H
#define TOKSIM_CORE_ACCESS_INT_H

#include "internal.h"

/** Outcome of the mandatory integrity stage (windows-model §3.5). */
typedef struct ts_mic_result {
    bool applies;       /**< the token is below the object's label and its policy has
                           NO_WRITE_UP */
    uint32_t permitted; /**< rights the stage lets through; 0xFFFFFFFF when it does not
                           apply */
    uint32_t token_il, object_il,
        policy;   /**< what was compared (policy: the label's NW/NR/NX bits) */
    bool labeled; /**< the SACL holds a label (else implicit Medium + NO_WRITE_UP) */
} ts_mic_result;

/**
 * Rights that a label policy (TOKSIM_MANDATORY_NO_*_UP bits) leaves to a token whose
 * integrity is below the label's, for an object with generic mapping m.
 */
uint32_t ts_mic_allowed(uint32_t policy, const toksim_generic_mapping *m);

/**
 * Run the mandatory integrity stage for a request of `requested` rights (MAXIMUM_ALLOWED
 * bit ignored) and append its trace events. Returns TOKSIM_ENOMEM only when tracing
 * failed.
 */
toksim_status ts_mic_check(ts_mic_result *out,
                           const toksim_sd *sd,
                           const toksim_token *tok,
                           const toksim_generic_mapping *m,
                           uint32_t requested,
                           toksim_trace *trace);

#endif
