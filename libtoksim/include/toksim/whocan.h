/*
 * PURPOSE: `who can`: the reverse of the access check (query layer, issue 17). Over a
 * world, for an object (security descriptor + type), a privilege or a logon right, list
 * every principal that would get it: each user, computer and managed service account,
 * the built-in service accounts, ANONYMOUS LOGON, the virtual accounts (NT SERVICE\x, IIS
 * APPPOOL\x), under each logon type the principal can really use (the logon rights and
 * account state decide, through LogonUser of logon.h), with the UAC filtered and elevated
 * tokens of administrators as two answers, and the granted mask with the decisive ACEs
 * (from the access check's own trace). Nothing is re-derived: each answer is a real
 * token (logon.h, scm.h, iis.h) put through toksim_access_check().
 *
 * Also the "Effective Access" tab of Windows' Advanced Security Settings, modelled as its
 * documentation describes it (a token of the account and its groups without the
 * logon-type and other well-known SIDs the tab leaves out, no share permissions), so that
 * a front end can show what the tab says next to what each logon type really gets.
 *
 * Ownership: toksim_whocan_run() returns a result freed with toksim_whocan_result_free();
 * answers, their traces and reasons are borrowed from it.
 */
#ifndef TOKSIM_WHOCAN_H
#define TOKSIM_WHOCAN_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "sd.h"
#include "token.h"
#include "trace.h"
#include "world.h"
#include "logon.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What is asked. */
typedef enum toksim_whocan_kind {
    TOKSIM_WHOCAN_ACCESS = 0,    /**< an access to an object (sd, object_type, desired) */
    TOKSIM_WHOCAN_PRIVILEGE = 1, /**< a privilege in the token (held / enabled) */
    TOKSIM_WHOCAN_LOGON_RIGHT = 2 /**< a logon right (SeXxxLogonRight) */
} toksim_whocan_kind;

/** What kind of principal an answer is about. */
typedef enum toksim_whocan_principal_kind {
    TOKSIM_WHOCAN_P_USER = 0,      /**< a user account of the machine or the domain */
    TOKSIM_WHOCAN_P_COMPUTER = 1,  /**< a computer account (NAME$) */
    TOKSIM_WHOCAN_P_GMSA = 2,      /**< a (group) managed service account */
    TOKSIM_WHOCAN_P_BUILTIN = 3,   /**< SYSTEM, LOCAL SERVICE, NETWORK SERVICE, IUSR */
    TOKSIM_WHOCAN_P_ANONYMOUS = 4, /**< ANONYMOUS LOGON (null session, network only) */
    TOKSIM_WHOCAN_P_VIRTUAL = 5    /**< NT SERVICE\x, IIS APPPOOL\x */
} toksim_whocan_principal_kind;

/** Which token of the principal an answer used. */
typedef enum toksim_whocan_token_kind {
    TOKSIM_WHOCAN_T_LOGON = 0,    /**< the (only) token LogonUser returns */
    TOKSIM_WHOCAN_T_FILTERED = 1, /**< UAC filtered token (administrators, medium) */
    TOKSIM_WHOCAN_T_ELEVATED = 2, /**< UAC full token linked to the filtered one */
    TOKSIM_WHOCAN_T_SERVICE = 3,  /**< process token the SCM builds for a service */
    TOKSIM_WHOCAN_T_APPPOOL = 4   /**< worker (w3wp) token WAS builds for a pool */
} toksim_whocan_token_kind;

/** Why an answer came out as it did: one decisive event of its trace (an ACE that
 * granted or denied, a deny-only group skipped, the owner rule, the integrity check, a
 * privilege, the share layer, the logon-right holder ...). */
typedef struct toksim_whocan_reason {
    toksim_rule rule;
    toksim_verdict verdict;
    int32_t index; /**< ACE index or -1 */
    uint32_t mask;
    uint32_t privilege;
    int64_t a, b; /**< the rule's values (integrity levels of a label check ...) */
    uint32_t status;
    bool has_sid;
    toksim_sid sid;
    char text[TOKSIM_TRACE_TEXT_SIZE]; /**< the event's input name (a right name ...) */
} toksim_whocan_reason;

#define TOKSIM_WHOCAN_MAX_REASONS 8

/** One principal under one logon type (and token). */
typedef struct toksim_whocan_answer {
    toksim_sid principal;
    toksim_whocan_principal_kind principal_kind;
    toksim_logon_type logon_type;
    toksim_whocan_token_kind token_kind;
    /** A declared service or application pool the token belongs to (its name), else "".
     */
    char via[TOKSIM_TRACE_TEXT_SIZE];
    /** The principal got a token of this logon type (else logon_win32 says why: 1385 no
     * logon right, 1331 disabled, 1808 computer account ...; granted is then false). */
    bool logon_ok;
    uint32_t logon_win32;
    /** ACCESS: every desired bit granted; PRIVILEGE: held; LOGON_RIGHT: granted. */
    bool granted;
    /** ACCESS: the granted mask of the check (the mapped desired mask on success). */
    uint32_t granted_mask;
    /** ACCESS: what a MAXIMUM_ALLOWED open would get (share-limited for a share). */
    uint32_t maximum_mask;
    /** ACCESS through a share: the share's and the file system's MAXIMUM_ALLOWED masks.
     */
    bool via_share;
    uint32_t share_mask, ntfs_mask;
    /** PRIVILEGE: enabled in the token (held but disabled = must be enabled first). */
    bool enabled;
    toksim_whocan_reason reasons[TOKSIM_WHOCAN_MAX_REASONS];
    size_t reason_count;
} toksim_whocan_answer;

/** The query. Zero-initialise, then set what is asked. */
typedef struct toksim_whocan_query {
    toksim_whocan_kind kind;
    /* ACCESS */
    const toksim_sd *sd;            /**< the object's descriptor (borrowed) */
    toksim_object_type object_type; /**< selects the generic mapping */
    uint32_t desired;               /**< the access asked for (generic bits mapped) */
    /** The object is reached over SMB (a UNC path on another machine): only network
     * logons reach it, and `share_sd` (if not NULL) limits what they get. */
    bool remote;
    const toksim_sd *share_sd;
    /* PRIVILEGE: a privilege LUID; LOGON_RIGHT: a TOKSIM_RIGHT_*_LOGON value */
    uint32_t right;
    /* filters */
    const toksim_sid *principal; /**< NULL = every principal of the world */
    bool has_logon_type;         /**< only this logon type */
    toksim_logon_type logon_type;
    bool
        include_denied; /**< also keep answers that are not granted (and failed logons) */
    /** 0 = TOKSIM_LOGON_DEFAULT_FLAGS (the world's settings apply on top). */
    uint32_t logon_flags;
    /** UNCONFIRMED switch: the Effective Access tab applies the object's mandatory label
     * as a Medium-integrity token would. Default false: the tab shows the DACL without
     * the label (its context carries no integrity level; modelled as System). */
    bool tab_applies_integrity;
} toksim_whocan_query;

typedef struct toksim_whocan_result toksim_whocan_result; /* opaque */

/**
 * Answer the query over `world` (its logon-session counter advances; nothing else
 * changes). Library failures only: TOKSIM_EINVAL (no world, no sd for ACCESS, a right
 * of the wrong kind), TOKSIM_ENOMEM. *out is freed with toksim_whocan_result_free().
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_whocan_run(toksim_whocan_result **out,
                                                            toksim_world *world,
                                                            const toksim_whocan_query *q,
                                                            toksim_error *err);
TOKSIM_API void toksim_whocan_result_free(toksim_whocan_result *r);
/** Answers in principal order (accounts in world order, then built-ins, then virtual
 * accounts), logon types in a fixed order within a principal. */
TOKSIM_API size_t toksim_whocan_answer_count(const toksim_whocan_result *r);
TOKSIM_API const toksim_whocan_answer *
toksim_whocan_answer_at(const toksim_whocan_result *r, size_t i);
/** How many principals were considered (before filtering by verdict). */
TOKSIM_API size_t toksim_whocan_principal_count(const toksim_whocan_result *r);
/** The query events of the run (query.whocan.*: services and pools, share layer ...). */
TOKSIM_API const toksim_trace *toksim_whocan_trace(const toksim_whocan_result *r);

/**
 * The full decision trace of one answer (the logon, then the access check, privilege or
 * logon-right decision), recomputed for principal `who` under `type` (`token` selects
 * the filtered / elevated token of a split administrator). *found is false when the
 * principal has no such answer. Events are appended to `trace`.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_whocan_explain(bool *found,
                      toksim_whocan_answer *answer,
                      toksim_world *world,
                      const toksim_whocan_query *q,
                      const toksim_sid *who,
                      toksim_logon_type type,
                      toksim_whocan_token_kind token,
                      toksim_trace *trace,
                      toksim_error *err);

/* ---- the Effective Access tab ---- */

/**
 * Is `sid` one of the well-known SIDs the Effective Access (Effective Permissions) tab
 * leaves out of its evaluation ("How Effective Permissions Are Determined", TechNet:
 * ANONYMOUS LOGON, BATCH, CREATOR GROUP, DIALUP, ENTERPRISE DOMAIN CONTROLLERS,
 * INTERACTIVE, NETWORK, PROXY, RESTRICTED, REMOTE INTERACTIVE LOGON, SERVICE, SYSTEM,
 * TERMINAL SERVER USER, Other Organization, This Organization)?
 */
TOKSIM_API bool toksim_whocan_tab_omits(const toksim_sid *sid);

/** What the tab shows for one principal. */
typedef struct toksim_whocan_tab {
    toksim_sid principal;
    uint32_t granted_mask; /**< MAXIMUM_ALLOWED of the tab's token against the NTFS SD */
    bool granted;          /**< the desired bits are all in granted_mask */
    toksim_whocan_reason reasons[TOKSIM_WHOCAN_MAX_REASONS];
    size_t reason_count;
} toksim_whocan_tab;

/**
 * The tab's answer for `who` (q->kind must be ACCESS): a token of the account, every
 * group the world puts it in (nested), Everyone and Authenticated Users, all enabled;
 * the privileges the policy gives those SIDs, enabled; no mandatory label check unless
 * q->tab_applies_integrity (UNCONFIRMED either way);
 * without the omitted SIDs above and without share permissions. Events (including one
 * query.whocan.tab_omits_sid per SID left out) are appended to `trace` (may be NULL).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_whocan_tab_run(toksim_whocan_tab *out,
                      toksim_world *world,
                      const toksim_whocan_query *q,
                      const toksim_sid *who,
                      toksim_trace *trace,
                      toksim_error *err);

/**
 * Why the tab and a real answer differ: appends query.whocan.tab_* events to `out`, one
 * per cause found in the real answer's decisive events: an ACE naming a SID the tab
 * leaves out (tab_omits_sid), a group the UAC filtered token holds for deny only
 * (tab_ignores_uac), the mandatory label (tab_ignores_integrity), the share
 * (share_limits), a privilege (tab_privilege), or no logon at all (tab_no_logon).
 * Nothing is appended when the masks agree.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_whocan_tab_explain(
    const toksim_whocan_tab *tab, const toksim_whocan_answer *real, toksim_trace *out);

/** "user", "computer", "gmsa", "builtin", "anonymous", "virtual". */
TOKSIM_API const char *toksim_whocan_principal_kind_name(toksim_whocan_principal_kind k);
/** "logon", "filtered", "elevated", "service", "apppool". */
TOKSIM_API const char *toksim_whocan_token_kind_name(toksim_whocan_token_kind k);

#ifdef __cplusplus
}
#endif
#endif
