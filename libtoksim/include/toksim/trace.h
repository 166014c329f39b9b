/*
 * PURPOSE: decision traces. Every decision of the model (an access check, an
 * impersonation, a logon, a system step) appends events to a caller-owned trace. An event
 * is data: a rule with a stable string id ("access.ace.deny"), a verdict, and the values
 * the rule looked at. Front ends render events; the model never formats explanations
 * itself.
 *
 * Rule rows live in one table per layer (rules_*.inc), each row:
 *   TOKSIM_RULE_ROW(ENUM_NAME, "stable.id", "one-line summary", "sentence template",
 * "citation") The enum values may change between versions; the string ids never do.
 */
#ifndef TOKSIM_TRACE_H
#define TOKSIM_TRACE_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum toksim_rule {
    TOKSIM_RULE_NONE = 0,
#define TOKSIM_RULE_ROW(e, id, summary, tmpl, cite) TOKSIM_RULE_##e,
#include "rules_core.inc"
#include "rules_identity.inc"
#include "rules_imperson.inc"
#include "rules_systems.inc"
#include "rules_query.inc"
#undef TOKSIM_RULE_ROW
    TOKSIM_RULE__COUNT
} toksim_rule;

/** What an event did to the decision. */
typedef enum toksim_verdict {
    TOKSIM_V_INFO = 0,  /**< a fact the decision used */
    TOKSIM_V_GRANT = 1, /**< granted or allowed something */
    TOKSIM_V_DENY = 2,  /**< denied or refused something */
    TOKSIM_V_SKIP =
        3, /**< an input that was considered and ignored (inherit-only ACE ...) */
    TOKSIM_V_CHANGE =
        4 /**< changed a state (downgrade, group added, privilege enabled) */
} toksim_verdict;

#define TOKSIM_TRACE_TEXT_SIZE 96

/**
 * One event. Fields a rule does not use are zero (`has_sid` false, `index` -1). The
 * meaning of `a`/`b` is per rule and documented next to its row (levels, integrity RIDs,
 * logon types ...).
 */
typedef struct toksim_trace_event {
    toksim_rule rule;
    toksim_verdict verdict;
    int32_t index;      /**< ACE index, group index ... or -1 */
    uint32_t mask;      /**< access bits concerned */
    uint32_t privilege; /**< privilege LUID concerned, or 0 */
    int64_t a, b;       /**< rule-specific values */
    bool has_sid, has_sid2;
    toksim_sid sid;  /**< principal concerned (ACE SID, caller user ...) */
    toksim_sid sid2; /**< second principal (target user ...) */
    uint32_t status; /**< Win32 code (below 0x10000) or NTSTATUS/HRESULT the event
                        produced, or 0 */
    int depth;       /**< nesting: events of a sub-decision have depth + 1 */
    char text[TOKSIM_TRACE_TEXT_SIZE]; /**< an input name copied verbatim (object path,
                                          right name) */
} toksim_trace_event;

/** A growable list of events with a cap. Zero-initialise, or use toksim_trace_init(). */
typedef struct toksim_trace {
    toksim_trace_event *events;
    size_t count;
    size_t capacity;
    size_t limit;   /**< 0 = default cap (TOKSIM_TRACE_DEFAULT_LIMIT) */
    bool truncated; /**< events were dropped because the cap was hit */
    int depth;      /**< current nesting for new events */
} toksim_trace;

#define TOKSIM_TRACE_DEFAULT_LIMIT 4096

/** Zero a caller-owned trace (no events, default cap); release it with
 * toksim_trace_dispose(). */
TOKSIM_API void toksim_trace_init(toksim_trace *t);
/** Free the events; the struct itself belongs to the caller. NULL is accepted. */
TOKSIM_API void toksim_trace_dispose(toksim_trace *t);
/** Forget the events but keep their storage for reuse (count, truncated and depth back to
 * 0). */
TOKSIM_API void toksim_trace_clear(toksim_trace *t);
/** An event for `rule` with verdict `v` and every other field empty (index -1, no SID).
 */
TOKSIM_API toksim_trace_event toksim_trace_event_make(toksim_rule rule, toksim_verdict v);
/**
 * Append a copy of ev (its depth is set from t->depth). A NULL trace is a no-op, so the
 * model can trace unconditionally. TOKSIM_ENOMEM on allocation failure; hitting the cap
 * sets `truncated` and still returns TOKSIM_OK (a trace is an explanation, not the
 * decision).
 */
TOKSIM_API toksim_status toksim_trace_add(toksim_trace *t, const toksim_trace_event *ev);

/** Row data for a rule. */
typedef struct toksim_rule_info {
    toksim_rule rule;
    const char *id;       /**< stable id, e.g. "imp.downgrade_identify" */
    const char *summary;  /**< one-line text */
    const char *sentence; /**< template rendered by toksim_trace_event_text() */
    const char *citation; /**< public source, e.g. "MS-DTYP 2.5.3.2" */
} toksim_rule_info;

/** The row of a rule (static storage, never NULL: an out-of-range value gives row 0,
 * "none"). */
TOKSIM_API const toksim_rule_info *toksim_rule_get(toksim_rule rule);
/** The row with this stable id (static storage), or NULL when no rule has it. */
TOKSIM_API const toksim_rule_info *toksim_rule_by_id(const char *id);
/** "info", "grant", "deny", "skip", "change" (static strings). */
TOKSIM_API const char *toksim_verdict_name(toksim_verdict v);

/** Maps a SID to the name an explanation should use (snprintf semantics); payload last.
 */
typedef size_t (*toksim_sid_namer)(char *buf,
                                   size_t n,
                                   const toksim_sid *sid,
                                   void *payload);

/**
 * Render one event as a sentence from its rule's template (snprintf semantics; returns
 * the length needed). namer NULL = toksim_sid_display_name() without a domain context.
 */
TOKSIM_API size_t toksim_trace_event_text(char *buf,
                                          size_t n,
                                          const toksim_trace_event *ev,
                                          toksim_sid_namer namer,
                                          void *payload);

#ifdef __cplusplus
}
#endif
#endif
