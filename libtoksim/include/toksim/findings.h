/*
 * PURPOSE: findings of the systems layer (IIS, SCM, COM/WMI): besides "allowed" or
 * "denied", a system step can reveal a risky pattern (a provider thread touching objects
 * as SYSTEM on a client's behalf, an impersonation silently downgraded to Identify ...).
 * A finding is data: a stable id, a severity, and the step that produced it. Every
 * finding is also a trace rule (rules_systems.inc, ids "finding.*"), so explanations
 * render it like any other decision.
 *
 * Also declares the world type the systems layer works in (identity layer, world.h).
 */
#ifndef TOKSIM_FINDINGS_H
#define TOKSIM_FINDINGS_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The simulated machine: accounts, SAM group memberships, the effective user-rights
 * policy and the logon-session counter (identity layer, world.h). Declared by its struct
 * tag so this header stands alone; world.h gives it its typedef.
 */
struct toksim_world;

/** How bad a finding is. Ordered: compare with < and >. */
typedef enum toksim_severity {
    TOKSIM_SEV_INFO = 0,
    TOKSIM_SEV_LOW = 1,
    TOKSIM_SEV_MEDIUM = 2,
    TOKSIM_SEV_HIGH = 3
} toksim_severity;

#define TOKSIM_FINDING_CONTEXT_SIZE 96
/** A result holds at most this many findings (further ones set `truncated`). */
#define TOKSIM_MAX_FINDINGS 16

/** One finding (a plain value). */
typedef struct toksim_finding {
    toksim_rule rule; /**< the "finding.*" trace rule */
    const char
        *id; /**< its stable id, e.g. "finding.reentrant_call_after_revert" (static) */
    toksim_severity severity;
    int step; /**< index of the provider action / request phase, or -1 */
    bool has_subject, has_client;
    toksim_sid subject; /**< identity the thread actually used (SYSTEM ...) */
    toksim_sid client;  /**< on whose behalf it acted */
    char
        context[TOKSIM_FINDING_CONTEXT_SIZE]; /**< object or step name, copied verbatim */
} toksim_finding;

/** The findings of one operation, in the order they were made. */
typedef struct toksim_findings {
    size_t count;
    bool truncated;
    toksim_finding items[TOKSIM_MAX_FINDINGS];
} toksim_findings;

/** "info", "low", "medium", "high". */
TOKSIM_API const char *toksim_severity_name(toksim_severity s);
/** Parse a severity name (case-insensitive). TOKSIM_ENOTFOUND for anything else. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_severity_parse(toksim_severity *out,
                                                                const char *name);
/**
 * Severity of a finding rule (its one place: the finding table of the systems layer).
 * Returns false when `rule` is not a finding rule.
 */
TOKSIM_API bool toksim_finding_severity(toksim_severity *out, toksim_rule rule);
/** The highest severity in a set, TOKSIM_SEV_INFO when empty. */
TOKSIM_API toksim_severity toksim_findings_max(const toksim_findings *f);
/** The first finding with this stable id, or NULL. */
TOKSIM_API const toksim_finding *toksim_findings_find(const toksim_findings *f,
                                                      const char *id);

#ifdef __cplusplus
}
#endif
#endif
