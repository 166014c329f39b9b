/*
 * PURPOSE: the state of a scenario run shared by the runner and the operation files: the
 * fresh world, the named things steps create ("as": tokens, processes and their threads,
 * app pools, providers) and the per-step results. Layer headers are not included here
 * (the operation files include what they use), only their struct tags.
 */
#ifndef TS_RUN_INT_H
#define TS_RUN_INT_H

#include "scenario/scen_int.h"
#include "util/hix.h"

struct toksim_world;
struct toksim_process;
struct toksim_thread;
struct toksim_iis_pool;
struct ts_object;
struct ts_sso_run;

typedef enum ts_named_kind {
    TS_N_TOKEN = 0,
    TS_N_PROCESS, /* a process with its main thread; app pools and services are processes
                     too */
    TS_N_THREAD,  /* an extra thread "proc:name" */
    TS_N_PROVIDER /* a WMI provider registration */
} ts_named_kind;

typedef struct ts_named {
    char *name;
    ts_named_kind kind;
    const char
        *what; /* "token", "process", "service", "app pool", "thread", "provider" */
    toksim_token *token;          /* TS_N_TOKEN */
    struct toksim_process *proc;  /* TS_N_PROCESS */
    struct toksim_thread *thread; /* TS_N_PROCESS (main thread), TS_N_THREAD */
    struct toksim_iis_pool *pool; /* an app pool's worker (TS_N_PROCESS) */
    void *data;                   /* TS_N_PROVIDER: the registration */
    void (*free_data)(void *);
    uint32_t handle_access; /* TS_N_TOKEN opened by token.open: the handle's rights (0 =
                               TOKEN_ALL_ACCESS) */
} ts_named;

struct toksim_run {
    const toksim_scenario *sc;
    struct toksim_world *world;
    toksim_step_result *results;
    size_t nresults;
    char **summaries;      /* one per step, owned */
    toksim_token **tokens; /* snapshot of each step's token, owned */
    ts_named *named;
    size_t nnamed, capnamed;
    ts_hix named_ix; /* names by hash (util/hix.h): 10^4 named steps stay linear */
    size_t current;  /* index of the step running */
    /* the web SSO policy server (ops_sso.c), made by the first sso.* step */
    struct ts_sso_run *sso;
};

/** A run-time error about the running step: names file, line, step id. */
toksim_status
ts_run_fail(toksim_run *run, toksim_error *err, toksim_status code, const char *fmt, ...)
    TS_PRINTF(4, 5);
/** Set the step's one-line summary. */
void ts_summary(toksim_run *run, const char *fmt, ...) TS_PRINTF(2, 3);
/**
 * After a silent downgrade: append who holds SeImpersonatePrivilege in the world's
 * policy, so the chain reads "... lacks SeImpersonatePrivilege (held by:
 * BUILTIN\Administrators, SERVICE)".
 */
toksim_status ts_trace_holders(toksim_run *run, toksim_trace *trace);
/** Format holders into list (size bytes) as whole names, ending "and N more" when cut. */
void ts_holder_list(
    char *list, size_t size, const toksim_run *run, const toksim_sid *h, size_t n);
/**
 * Report a finding of the systems layer's table ("finding.silent_identify_downgrade") at
 * a generic step; once per step. TOKSIM_EINVAL when `id` is not a finding rule.
 */
/**
 * Append f's findings to the step's (allocated on the first one): all of them, the
 * truncated flag too, or with `dedup` only ids the step does not hold yet (then a full
 * list just stops). TOKSIM_ENOMEM when the step's list cannot be allocated.
 */
toksim_status
ts_result_add_findings(toksim_step_result *r, const toksim_findings *f, bool dedup);
toksim_status ts_add_finding(toksim_step_result *r,
                             const char *id,
                             const toksim_sid *subject,
                             const toksim_sid *client,
                             const char *context);
/** Name a SID through the run's world ("CONTOSO\alice"). */
size_t ts_run_sid_name(char *buf, size_t n, const toksim_run *run, const toksim_sid *sid);

/** Find a named thing; NULL when absent. */
ts_named *ts_named_find(toksim_run *run, const char *name);
/** Register a new name (fails with a message when taken). Takes ownership of nothing. */
toksim_status ts_named_add(toksim_run *run,
                           toksim_error *err,
                           const char *name,
                           ts_named_kind kind,
                           const char *what,
                           ts_named **out);

/**
 * The token a parameter names: a token, a process (its primary token) or a thread (its
 * impersonation token, or NULL when it is not impersonating; *thread_not_imp then true).
 */
toksim_status ts_lookup_token(toksim_run *run,
                              toksim_error *err,
                              const char *name,
                              const toksim_token **out,
                              toksim_token **mut);
/** The effective token of whatever a name denotes (thread: impersonation else primary).
 */
toksim_status ts_lookup_effective(toksim_run *run,
                                  toksim_error *err,
                                  const char *name,
                                  const toksim_token **out);
/** The thread a name denotes: "proc" (main thread), "proc:worker" (created on first use).
 */
toksim_status ts_lookup_thread(toksim_run *run,
                               toksim_error *err,
                               const char *name,
                               struct toksim_thread **out);
/** A declared object, with a run error when unknown. */
toksim_status ts_lookup_object(toksim_run *run,
                               toksim_error *err,
                               const char *path,
                               const struct ts_object **out);
/** Parse an access parameter (mask, "0x..", rights or names) for an object type. */
toksim_status ts_param_access(toksim_run *run,
                              toksim_error *err,
                              const ts_step *st,
                              const char *key,
                              toksim_object_type type,
                              uint32_t dflt,
                              uint32_t *out);
/** Parse an impersonation level name ("Identification" ...). */
bool ts_parse_level(const char *s, toksim_imp_level *out);
/** Create a process (and its main thread) from a token and register it under `name`. */
toksim_status ts_make_process(toksim_run *run,
                              toksim_error *err,
                              const char *name,
                              const char *what,
                              const toksim_token *token,
                              ts_named **out);

/** Give a named process a new primary token (pool recycle): its threads start over. */
toksim_status ts_replace_process(toksim_run *run,
                                 toksim_error *err,
                                 ts_named *n,
                                 const toksim_token *token);
/** The primary token of a named process (NULL for other kinds). */
const toksim_token *ts_named_primary(const ts_named *n);

/**
 * A lower layer refused a step's input (its message in e): a run error naming the step,
 * with e's message; TOKSIM_ENOMEM passes through unchanged.
 */
toksim_status ts_run_fail_lib(toksim_run *run,
                              toksim_error *err,
                              toksim_status rc,
                              const toksim_error *e);
/** Set a step's Windows outcome; hresult 0 = derived from win32 (HRESULT_FROM_WIN32). */
void ts_result_codes(
    toksim_step_result *r, bool ok, uint32_t win32, uint32_t ntstatus, uint32_t hresult);
/** A step that failed with a Win32 error (NTSTATUS and HRESULT derived from it). */
void ts_result_win32_failure(toksim_step_result *r, uint32_t win32);
/** The application pool started under `name` by an earlier step, with a run error when
 * none. */
toksim_status
ts_lookup_pool(toksim_run *run, toksim_error *err, const char *name, ts_named **out);

/** Error name of a result for messages ("ERROR_BAD_IMPERSONATION_LEVEL"; "none"). */
void ts_result_error_name(char *buf, size_t n, const toksim_step_result *r);

/* operations, by file */
toksim_status
ts_op_logon(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_policy_set(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_process_start(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status ts_op_thread_impersonate(toksim_run *,
                                       const ts_step *,
                                       toksim_step_result *,
                                       toksim_error *);
toksim_status
ts_op_thread_revert(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status ts_op_token_duplicate(toksim_run *,
                                    const ts_step *,
                                    toksim_step_result *,
                                    toksim_error *);
toksim_status ts_op_privilege_adjust(toksim_run *,
                                     const ts_step *,
                                     toksim_step_result *,
                                     toksim_error *);
toksim_status
ts_op_object_open(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_access_check(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_net_access(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_service_start(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_pool_start(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_pool_recycle(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_iis_request(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status ts_op_provider_register(toksim_run *,
                                      const ts_step *,
                                      toksim_step_result *,
                                      toksim_error *);
toksim_status
ts_op_com_call(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
/* ops_isapi.c */
toksim_status
ts_op_isapi_load(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_isapi_request(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_isapi_worker(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);

/* ops_token_open.c, ops_pipe.c (issue 16: the token API and named pipes) */
/** The rights of the handle a name denotes: a token.open handle's, else TOKEN_ALL_ACCESS.
 */
uint32_t ts_named_handle_access(toksim_run *run, const char *name);
toksim_status
ts_op_token_open(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status ts_op_token_nt_duplicate(toksim_run *,
                                       const ts_step *,
                                       toksim_step_result *,
                                       toksim_error *);
toksim_status ts_op_impersonate_anonymous(toksim_run *,
                                          const ts_step *,
                                          toksim_step_result *,
                                          toksim_error *);
toksim_status
ts_op_pipe_create(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_pipe_connect(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_pipe_write(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_pipe_read(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status ts_op_pipe_impersonate(toksim_run *,
                                     const ts_step *,
                                     toksim_step_result *,
                                     toksim_error *);

/* ops_reach.c (issue 8: scenario reach) */
struct toksim_iis_request;
struct toksim_iis_pool_config;
toksim_status
ts_op_token_linked(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
toksim_status
ts_op_wmi_connect(toksim_run *, const ts_step *, toksim_step_result *, toksim_error *);
/** iis.request: `package`, `spn`, and the UNC target when the object has a machine. */
toksim_status ts_reach_iis_remote(toksim_run *run,
                                  toksim_error *err,
                                  const ts_step *st,
                                  const struct ts_object *obj,
                                  struct toksim_iis_request *req,
                                  char *spn_buf,
                                  size_t spn_n);
struct toksim_com_call;
/** wmi.query: `namespace` (an object of type wmi) checked before the provider runs. */
toksim_status ts_reach_wmi_namespace(toksim_run *run,
                                     toksim_error *err,
                                     const ts_step *st,
                                     struct toksim_com_call *call);
/** Append who the file server saw to an iis.request summary (UNC content). */
void ts_reach_remote_summary(toksim_run *run,
                             const char *machine,
                             int hop_identity,
                             const toksim_sid *remote_user);
/** iis.app_pool.start: `delegation` and `allowed_spns` of the pool account. */
toksim_status ts_reach_pool_delegation(toksim_run *run,
                                       toksim_error *err,
                                       const ts_step *st,
                                       struct toksim_iis_pool_config *cfg);

#endif
