/*
 * PURPOSE: TEACHING MODEL of escalation paths (query layer): from the process tokens of
 * a world or scenario (services, application pools), the identity chains that reach
 * SYSTEM (or another target identity), each edge with its stated preconditions, the rule
 * each rests on, whether it holds in this world, and the public write-up it comes from.
 * A model of preconditions, not an exploit.
 *
 * Edges (every decision is the lower layers'): the potato family through the systems
 * layer's teaching model (toksim_potato_run: print spooler, DCOM activation through
 * rpcss with a local OXID resolver for the OS profile, a remote OXID redirector); a
 * coerced SYSTEM token turned into a process with CreateProcessAsUser
 * (toksim_duplicate_token_ex, toksim_create_process_with_token:
 * SeAssignPrimaryTokenPrivilege); the Task Scheduler giving a LOCAL / NETWORK SERVICE
 * account its default privileges back (the account's token from this world's policy,
 * toksim_logon_builtin); the shared logon session of those accounts (Forshaw), whose
 * same-user impersonation the §2.2 test decides (toksim_imp_check).
 *
 * A precondition is `holds`, `fails` or `unknown` in this world (a fact the world does
 * not state, e.g. whether the Spooler runs, stays unknown unless the request states it).
 * An edge holds only when every precondition holds, fails when one fails; a path holds
 * only when every edge holds.
 *
 * Ownership: toksim_paths_find() returns a result freed with toksim_paths_free().
 */
#ifndef TOKSIM_PATHS_H
#define TOKSIM_PATHS_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "token.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

struct toksim_world;

/** Whether a precondition, an edge or a path holds in this world. */
typedef enum toksim_path_state {
    TOKSIM_PATH_HOLDS = 0,
    TOKSIM_PATH_UNKNOWN = 1, /**< conditional: depends on a fact not stated */
    TOKSIM_PATH_FAILS = 2
} toksim_path_state;

/** "holds", "unknown", "fails". */
TOKSIM_API const char *toksim_path_state_name(toksim_path_state s);

/** A machine fact a token does not show: not stated, yes, no. */
typedef enum toksim_path_fact {
    TOKSIM_PATH_FACT_UNKNOWN = 0,
    TOKSIM_PATH_FACT_YES = 1,
    TOKSIM_PATH_FACT_NO = 2
} toksim_path_fact;

/** A starting identity: a process and its primary token (borrowed). */
typedef struct toksim_path_source {
    const char *name; /**< "svc (NT AUTHORITY\NETWORK SERVICE)" */
    const toksim_token *token;
} toksim_path_source;

typedef struct toksim_paths_request {
    struct toksim_world *world; /**< OS profile, policy, built-in logons (required) */
    const toksim_path_source *sources;
    size_t source_count;
    /** "SYSTEM" (NULL = SYSTEM), or a node name / account name / SID string. */
    const char *target;
    /** The Print Spooler service runs (unknown: yes when the world declares a service
     * named "Spooler"). */
    toksim_path_fact spooler_running;
    toksim_path_fact remote_redirector; /**< a host answers the OXID resolution on 135 */
    /** The Task Scheduler service runs (unknown: yes when the world declares "Schedule").
     */
    toksim_path_fact task_scheduler;
    /** The potato lab's UNCONFIRMED switch (toksim_potato_request); default true. */
    bool write_restricted_blocks;
} toksim_paths_request;

/** Defaults: target SYSTEM, facts unknown, write_restricted_blocks true. */
TOKSIM_API void toksim_paths_request_init(toksim_paths_request *req);

#define TOKSIM_PATH_MAX_CONDITIONS 5
#define TOKSIM_PATH_NAME_SIZE      160
#define TOKSIM_PATH_DETAIL_SIZE    160

/** One stated precondition of an edge. */
typedef struct toksim_path_condition {
    const char *text; /**< static: what must hold */
    toksim_rule rule; /**< the model rule that decides it */
    toksim_path_state state;
    bool unconfirmed;                     /**< the rule is UNCONFIRMED in the model */
    char detail[TOKSIM_PATH_DETAIL_SIZE]; /**< why it holds / fails here */
} toksim_path_condition;

typedef struct toksim_path_edge {
    size_t from, to;       /**< node indexes */
    const char *id;        /**< stable: "spooler", "dcom_local", "dcom_remote", ... */
    const char *technique; /**< one line */
    const char *citation;  /**< the public write-ups it rests on */
    toksim_rule rule;      /**< the rule the edge rests on */
    toksim_path_condition conditions[TOKSIM_PATH_MAX_CONDITIONS];
    size_t condition_count;
    toksim_path_state state;
} toksim_path_edge;

typedef struct toksim_path_node {
    char name[TOKSIM_PATH_NAME_SIZE];
    toksim_sid sid;
    bool source; /**< one of the request's sources */
    bool target; /**< matches the request's target */
} toksim_path_node;

/** One chain from a source to the target: edge indexes in order. */
typedef struct toksim_path {
    size_t *edges;
    size_t count;
    toksim_path_state state;
} toksim_path;

typedef struct toksim_paths {
    toksim_path_node *nodes;
    size_t node_count;
    toksim_path_edge *edges;
    size_t edge_count;
    toksim_path *paths; /**< holding first, then unknown, then failing; shorter first */
    size_t path_count;
} toksim_paths;

/** Starting identities a world declares, with the tokens the lower layers build (owned).
 */
typedef struct toksim_path_sources {
    toksim_path_source *items; /**< names and tokens owned by this object */
    size_t count;
    size_t not_started; /**< declarations whose logon failed (they start no process) */
} toksim_path_sources;

/**
 * The process of every service (toksim_service_start_declared) and application pool
 * (toksim_iis_pool_start_declared) the world declares, named "ACCOUNT (service NAME)" /
 * "ACCOUNT (pool NAME)"; one that does not start is counted in not_started, one that runs
 * as LocalSystem is left out (it is the target already). A world that
 * declares neither gives its LOCAL SERVICE and NETWORK SERVICE service accounts
 * (toksim_logon_builtin). The world changes as the SCM and WAS change a machine.
 * @return TOKSIM_OK, TOKSIM_EINVAL, TOKSIM_ELIMIT (more than TOKSIM_PATH_MAX_SOURCES),
 * TOKSIM_ENOMEM, or the error of a declaration the SCM / WAS model refuses.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_paths_world_sources(
    toksim_path_sources **out, struct toksim_world *world, toksim_error *err);
TOKSIM_API void toksim_path_sources_free(toksim_path_sources *s);

/** Longest chain searched (edges). */
#define TOKSIM_PATH_MAX_DEPTH 4
/** Cap on sources (hostile input). */
#define TOKSIM_PATH_MAX_SOURCES 64

/**
 * Build the graph and list the chains. trace (may be NULL): "query.path.teaching_model",
 * one "query.path.edge" per edge (grant holds, deny fails, info unknown), one
 * "query.path.found" per chain (every identity the target names has a chain: the edge
 * that made it).
 * @return TOKSIM_OK, TOKSIM_EINVAL (no world, no source, a source without token),
 * TOKSIM_ELIMIT (more than TOKSIM_PATH_MAX_SOURCES), TOKSIM_ENOTFOUND (the target names
 * no node), TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_paths_find(toksim_paths **out,
                  const toksim_paths_request *req,
                  toksim_trace *trace,
                  toksim_error *err);
TOKSIM_API void toksim_paths_free(toksim_paths *p);

#ifdef __cplusplus
}
#endif
#endif
