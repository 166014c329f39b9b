/*
 * PURPOSE: the mandatory integrity stage of the access check (windows-model §3.5): find
 * the object's label, compare it with the token's integrity level, and compute which
 * rights the label's policy (no-write-up / no-read-up / no-execute-up) leaves to a
 * lower-integrity token.
 *
 * Windows behaviour modelled (Forshaw, Windows Security Internals ch. 7, the public
 * re-implementation of the kernel check, and NtApiDotNet's
 * GenericMapping.GetAllowedMandatoryAccess, whose rule is restated here in our own
 * terms):
 *  - the stage is skipped when the token's mandatory policy lacks
 * TOKEN_MANDATORY_POLICY_NO_WRITE_UP;
 *  - the label is the first SYSTEM_MANDATORY_LABEL ACE of the SACL that is not
 * inherit-only; an object without one counts as Medium with NO_WRITE_UP;
 *  - a token whose level is >= the label's passes; a lower one may only receive the
 * rights of the generic classes its policy leaves open. Standard rights follow their
 * class: READ_CONTROL goes with read, SYNCHRONIZE with execute, DELETE / WRITE_DAC /
 * WRITE_OWNER / ACCESS_SYSTEM_SECURITY with write; a right shared by an open class and a
 * closed class stays (FILE_GENERIC_WRITE contains READ_CONTROL and SYNCHRONIZE, which
 * NO_WRITE_UP therefore does not remove);
 *  - the stage cannot grant anything; a request holding a removed right is denied
 * outright, before privileges and the DACL are looked at;
 *  - SeRelabelPrivilege (enabled) lets WRITE_OWNER through;
 *  - an AppContainer token failing the stage is let through when the object is labelled
 * above Medium (the narrow exception of the reference implementation);
 *  - a label ACE with no policy bit lets through GenericAll of the mapping only
 * (TS_MIC_EMPTY_POLICY_ALLOWS_ALL, set from Forshaw's re-implementation). Modelling
 * choice (UNCONFIRMED, flip here): a token without an integrity group counts as
 * Untrusted, as toksim_token_integrity() reports. Process trust labels and access-filter
 * ACEs are not modelled.
 */
#include <string.h>
#include "access_int.h"

/* An ML ACE whose mask has none of NW/NR/NX lets through GenericAll of the mapping and
 * nothing outside it (0), as Forshaw's re-implementation and NtApiDotNet's
 * GetAllowedMandatoryAccess ("policy None -> GenericAll") do: docs/fidelity-notes.md
 * F-AC-1. 1 = nothing removed (the earlier UNCONFIRMED choice). */
#define TS_MIC_EMPTY_POLICY_ALLOWS_ALL 0

#define TS_MIC_POLICY_BITS                                                               \
    (TOKSIM_MANDATORY_NO_WRITE_UP | TOKSIM_MANDATORY_NO_READ_UP |                        \
     TOKSIM_MANDATORY_NO_EXECUTE_UP)

/* The three rights classes a label policy talks about, standard rights included. */
static uint32_t class_read(const toksim_generic_mapping *m)
{
    return m->read | TOKSIM_READ_CONTROL;
}

static uint32_t class_execute(const toksim_generic_mapping *m)
{
    return (m->execute & ~m->read) | TOKSIM_SYNCHRONIZE;
}

static uint32_t class_write(const toksim_generic_mapping *m)
{
    return m->write | TOKSIM_DELETE | TOKSIM_WRITE_DAC | TOKSIM_WRITE_OWNER |
           TOKSIM_ACCESS_SYSTEM_SECURITY;
}

uint32_t ts_mic_allowed(uint32_t policy, const toksim_generic_mapping *m)
{
    if (!(policy & TS_MIC_POLICY_BITS))
        return TS_MIC_EMPTY_POLICY_ALLOWS_ALL ? 0xFFFFFFFFu : m->all;
    bool can_read = !(policy & TOKSIM_MANDATORY_NO_READ_UP);
    bool can_write = !(policy & TOKSIM_MANDATORY_NO_WRITE_UP);
    bool can_exec = !(policy & TOKSIM_MANDATORY_NO_EXECUTE_UP);
    uint32_t r = class_read(m), w = class_write(m), x = class_execute(m);
    uint32_t open_r = can_read ? r : 0, open_w = can_write ? w : 0,
             open_x = can_exec ? x : 0;
    uint32_t allowed = (can_write ? m->all : 0) | m->read | m->execute |
                       TOKSIM_SYNCHRONIZE | TOKSIM_READ_CONTROL;
    /* A closed class loses only the rights no open class also holds. */
    if (!can_read)
        allowed &= ~(r & ~(open_w | open_x));
    if (!can_exec)
        allowed &= ~(x & ~(open_w | open_r));
    if (!can_write)
        allowed &= ~(w & ~(open_x | open_r));
    return allowed;
}

static toksim_status add(toksim_trace *trace,
                         toksim_rule rule,
                         toksim_verdict v,
                         uint32_t mask,
                         int64_t a,
                         int64_t b,
                         uint32_t priv)
{
    if (!trace)
        return TOKSIM_OK;
    toksim_trace_event e = toksim_trace_event_make(rule, v);
    e.mask = mask;
    e.a = a;
    e.b = b;
    e.privilege = priv;
    return toksim_trace_add(trace, &e);
}

/* First label ACE of the SACL that applies to this object. */
static const toksim_ace *find_label(const toksim_sd *sd)
{
    if (!sd->sacl)
        return NULL;
    for (size_t i = 0; i < sd->sacl->count; i++) {
        const toksim_ace *ace = &sd->sacl->aces[i];
        if (ace->type == TOKSIM_ACE_SYSTEM_MANDATORY_LABEL &&
            !(ace->flags & TOKSIM_INHERIT_ONLY_ACE))
            return ace;
    }
    return NULL;
}

toksim_status ts_mic_check(ts_mic_result *out,
                           const toksim_sd *sd,
                           const toksim_token *tok,
                           const toksim_generic_mapping *m,
                           uint32_t requested,
                           toksim_trace *trace)
{
    toksim_status rc = TOKSIM_OK;
    memset(out, 0, sizeof *out);
    out->permitted = 0xFFFFFFFFu;
    out->token_il = toksim_token_integrity(tok);
    if (!(toksim_token_mandatory_policy(tok) & TOKSIM_TOKEN_MANDATORY_POLICY_NO_WRITE_UP))
        return add(trace, TOKSIM_RULE_ACCESS_MIC_POLICY_OFF, TOKSIM_V_SKIP, 0,
                   out->token_il, 0, 0);

    const toksim_ace *label = find_label(sd);
    if (label) {
        out->labeled = true;
        out->object_il = toksim_sid_rid(&label->sid);
        out->policy = label->mask & TS_MIC_POLICY_BITS;
    } else {
        out->object_il = TOKSIM_IL_MEDIUM;
        out->policy = TOKSIM_MANDATORY_NO_WRITE_UP;
        if ((rc = add(trace, TOKSIM_RULE_ACCESS_MIC_UNLABELED, TOKSIM_V_INFO, 0, 0,
                      TOKSIM_IL_MEDIUM, 0)))
            return rc;
    }
    bool dominates = out->token_il >= out->object_il;
    if ((rc = add(trace, TOKSIM_RULE_ACCESS_MIC_LABEL,
                  dominates ? TOKSIM_V_GRANT : TOKSIM_V_INFO, 0, out->token_il,
                  out->object_il, 0)))
        return rc;
    if (dominates)
        return TOKSIM_OK;

    if (toksim_token_is_appcontainer(tok) && out->object_il > TOKSIM_IL_MEDIUM)
        return add(trace, TOKSIM_RULE_ACCESS_MIC_APPCONTAINER, TOKSIM_V_SKIP, 0,
                   out->token_il, out->object_il, 0);

    out->applies = true;
    uint32_t allowed = ts_mic_allowed(out->policy, m);
    uint32_t removed = requested & ~allowed;
    if ((removed & TOKSIM_WRITE_OWNER) &&
        toksim_token_privilege_enabled(tok, TOKSIM_PRIV_RELABEL)) {
        allowed |= TOKSIM_WRITE_OWNER;
        removed &= ~TOKSIM_WRITE_OWNER;
        if ((rc = add(trace, TOKSIM_RULE_ACCESS_PRIV_RELABEL, TOKSIM_V_GRANT,
                      TOKSIM_WRITE_OWNER, 0, 0, TOKSIM_PRIV_RELABEL)))
            return rc;
    }
    out->permitted = allowed;
    /* Name the policy bit responsible for each removed right (a right may belong to
     * several classes). */
    static const struct {
        uint32_t bit;
        toksim_rule rule;
        uint32_t (*cls)(const toksim_generic_mapping *);
    } why[] = {
        {TOKSIM_MANDATORY_NO_WRITE_UP, TOKSIM_RULE_ACCESS_MIC_NO_WRITE_UP, class_write},
        {TOKSIM_MANDATORY_NO_READ_UP, TOKSIM_RULE_ACCESS_MIC_NO_READ_UP, class_read},
        {TOKSIM_MANDATORY_NO_EXECUTE_UP, TOKSIM_RULE_ACCESS_MIC_NO_EXECUTE_UP,
         class_execute}};
    if (!(out->policy & TS_MIC_POLICY_BITS) && removed &&
        (rc = add(trace, TOKSIM_RULE_ACCESS_MIC_NO_POLICY, TOKSIM_V_DENY, removed,
                  out->token_il, out->object_il, 0)))
        return rc;
    for (size_t i = 0; i < sizeof why / sizeof why[0]; i++) {
        uint32_t bits = removed & why[i].cls(m);
        if ((out->policy & why[i].bit) && bits &&
            (rc = add(trace, why[i].rule, TOKSIM_V_DENY, bits, out->token_il,
                      out->object_il, 0)))
            return rc;
    }
    return TOKSIM_OK;
}
