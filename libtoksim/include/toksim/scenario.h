/*
 * PURPOSE: scenarios: a JSON file (format version 1, docs/scenario-format.md) describing
 * a world (machine, domain, accounts, user-rights policy, objects), a sequence of
 * operations (logons, processes, impersonation, object opens, IIS requests, COM/WMI
 * calls) and what Windows is expected to answer. The engine replays the steps against the
 * model, records each step's outcome and decision trace, compares them with the
 * expectations and renders them.
 *
 * Ownership: toksim_scenario_parse()/toksim_scenario_load_file() return a scenario freed
 * with toksim_scenario_free(); toksim_scenario_run() returns a run freed with
 * toksim_scenario_run_free(). A run borrows its scenario: free the run first. Step
 * results and findings are borrowed from their run. Rendered strings are malloc'ed; the
 * caller frees them.
 */
#ifndef TOKSIM_SCENARIO_H
#define TOKSIM_SCENARIO_H

#include <stdbool.h>
#include "common.h"
#include "token.h"
#include "sd.h"
#include "trace.h"
#include "findings.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The format version this library reads ("toksim": 1). */
#define TOKSIM_SCENARIO_FORMAT 1
/** Largest scenario file accepted (bytes). */
#define TOKSIM_SCENARIO_MAX_BYTES ((size_t)16 << 20)

typedef struct toksim_scenario toksim_scenario;
typedef struct toksim_run toksim_run;

/**
 * Parse a scenario from text (need not be NUL-terminated). `where` names the input in
 * messages (a file name); `base_dir` is the directory relative paths (policy_inf) are
 * resolved against, NULL for the current directory. Errors: TOKSIM_EPARSE (malformed
 * JSON, wrong type, unknown key or operation) and TOKSIM_ELIMIT (a cap), with
 * err->line/column/where set and the message starting with the JSON path
 * ("steps[2].level: ..."); TOKSIM_ENOTFOUND for an unknown account, privilege or step;
 * TOKSIM_EUNSUPPORTED for another format version; TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_scenario_parse(toksim_scenario **out,
                                                                const char *text,
                                                                size_t len,
                                                                const char *where,
                                                                const char *base_dir,
                                                                toksim_error *err);
/** Read and parse a file (TOKSIM_EIO when it cannot be read). */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_scenario_load_file(toksim_scenario **out,
                                                                    const char *path,
                                                                    toksim_error *err);
/** NULL is accepted. */
TOKSIM_API void toksim_scenario_free(toksim_scenario *sc);

/**
 * The scenario files a command-line argument names: a file is taken as it is; a directory
 * is searched recursively (8 levels) for "*.json" files, except "schema.json" and
 * dot-files, sorted by path (byte order, so output is deterministic). *out is freed with
 * toksim_scenario_files_free(). TOKSIM_EIO (cannot open), TOKSIM_ENOTFOUND (a directory
 * without scenarios), TOKSIM_ELIMIT (more than 4096 files), TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_scenario_find_files(char ***out,
                                                                     size_t *count,
                                                                     const char *path,
                                                                     toksim_error *err);
TOKSIM_API void toksim_scenario_files_free(char **files, size_t count);

TOKSIM_API const char *toksim_scenario_name(const toksim_scenario *sc);
TOKSIM_API const char *toksim_scenario_title(const toksim_scenario *sc);
TOKSIM_API const char *toksim_scenario_description(const toksim_scenario *sc);
/** The file name given when loading (or "<input>"). */
TOKSIM_API const char *toksim_scenario_where(const toksim_scenario *sc);
TOKSIM_API size_t toksim_scenario_reference_count(const toksim_scenario *sc);
/** Reference i: title and url (either may be ""). false past the end. */
TOKSIM_API bool toksim_scenario_reference_at(const toksim_scenario *sc,
                                             size_t i,
                                             const char **title,
                                             const char **url);
TOKSIM_API size_t toksim_scenario_step_count(const toksim_scenario *sc);
/** Step id and operation name ("iis.request"); NULL past the end. */
TOKSIM_API const char *toksim_scenario_step_id(const toksim_scenario *sc, size_t i);
TOKSIM_API const char *toksim_scenario_step_op(const toksim_scenario *sc, size_t i);
/** The step's free-text "note", or NULL. */
TOKSIM_API const char *toksim_scenario_step_note(const toksim_scenario *sc, size_t i);
/** Number of individual expectations (one per stated field) in "expect". */
TOKSIM_API size_t toksim_scenario_expectation_count(const toksim_scenario *sc);

/** The outcome of one step: what Windows would have answered. Borrowed from its run. */
typedef struct toksim_step_result {
    const char *id;
    const char *op;
    bool ok;           /**< the operation succeeded (as Windows reports success) */
    uint32_t win32;    /**< GetLastError() value afterwards (0 on plain success) */
    uint32_t ntstatus; /**< NTSTATUS counterpart, or 0 */
    uint32_t hresult;  /**< HRESULT a COM/IIS caller sees, or 0 */
    bool has_http;
    int http; /**< HTTP status (iis.request) */
    bool has_wbem;
    uint32_t wbem; /**< WBEM status (wmi.query) */
    bool has_granted;
    uint32_t granted; /**< granted access mask (object.open, access_check) */
    bool has_level;
    toksim_imp_level level; /**< impersonation level of the thread or token afterwards */
    /** The token the step is about (logon result, process token, thread token ...), or
     * NULL. */
    const toksim_token *token;
    const char *summary; /**< one line: what happened */
    /** What the engine and the system models noticed; never NULL (an empty list when
     * nothing). A pointer, not the list itself: most steps notice nothing, and 16 inline
     * findings made every step's result 4.4 KB. */
    const toksim_findings *findings;
    toksim_trace trace; /**< the decisions behind the outcome */
    /** A query's yes/no answer: CheckTokenMembership's IsMember, PrivilegeCheck's
     * pfResult, IsTokenRestricted's return value. */
    bool has_answer;
    bool answer;
} toksim_step_result;

/**
 * Set a switch of the impersonation model (toksim_imp_option_at() names it: the field of
 * toksim_imp_options, e.g. "check_session"; value 0/1, 0..2 for restricted_rule) for
 * every later run of sc, as the scenario's "model" member does (this call overrides the
 * file's value). Runs and their renderers show the switches that differ from the
 * defaults. TOKSIM_ENOTFOUND (unknown name: err names the nearest and the switches),
 * TOKSIM_EINVAL (value out of range), TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_scenario_set_switch(toksim_scenario *sc,
                                                                     const char *name,
                                                                     int value,
                                                                     toksim_error *err);

/**
 * Replay every step. Windows failures are step results, not library errors; a library
 * error (TOKSIM_ENOMEM, or TOKSIM_ENOTFOUND/EUNSUPPORTED for a step naming something that
 * does not exist or is not modelled) stops the run, with err naming the file, line and
 * step.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_scenario_run(toksim_run **out,
                                                              const toksim_scenario *sc,
                                                              toksim_error *err);
TOKSIM_API void toksim_scenario_run_free(toksim_run *run);
TOKSIM_API const toksim_scenario *toksim_scenario_run_scenario(const toksim_run *run);
TOKSIM_API size_t toksim_scenario_run_step_count(const toksim_run *run);
TOKSIM_API const toksim_step_result *toksim_scenario_run_step(const toksim_run *run,
                                                              size_t i);
/** The result of the step with this id, or NULL. */
TOKSIM_API const toksim_step_result *toksim_scenario_run_find(const toksim_run *run,
                                                              const char *id);

/**
 * Name a SID the way the scenario's world does ("CONTOSO\mbam_iis", "BUILTIN\IIS_IUSRS",
 * "IIS APPPOOL\MBAM HelpDesk"), falling back to the S-1-... form. Has the
 * toksim_sid_namer signature: pass the run as payload.
 */
TOKSIM_API size_t toksim_scenario_sid_name(char *buf,
                                           size_t n,
                                           const toksim_sid *sid,
                                           void *payload);

/** One expectation that did not hold. Strings are valid during the callback only. */
typedef struct toksim_mismatch {
    const char *step;     /**< step id */
    const char *field;    /**< "hresult", "token_has_group" ... */
    const char *expected; /**< rendered expected value */
    const char *got;      /**< rendered actual value */
    int line, column;     /**< position of the expectation in the file */
} toksim_mismatch;

typedef void (*toksim_mismatch_fn)(const toksim_mismatch *m, void *payload);

/**
 * Compare a run with its scenario's "expect" object. Each stated field is one
 * expectation; *passed and *failed count them (either may be NULL). on_mismatch (may be
 * NULL) is called for each failure in step order, then field order. TOKSIM_ENOMEM only.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_scenario_check(size_t *passed,
                      size_t *failed,
                      const toksim_run *run,
                      toksim_mismatch_fn on_mismatch,
                      void *payload);

/** Render flags. */
#define TOKSIM_RENDER_EXPLAIN 0x1u /**< add each step's decision chain */
#define TOKSIM_RENDER_PRETTY  0x2u /**< JSON: indented */

/** Each step's outcome as text, one block per step (caller frees *out). */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_scenario_render_text(char **out, const toksim_run *run, unsigned flags);
/**
 * The run as one JSON object {"scenario", "title", "steps":
 * [{"id","op","ok","error","win32",
 * "ntstatus","hresult","http"?,"wbem"?,"granted"?,"impersonation_level"?,"answer"?,"summary",
 * "findings",
 * "trace"}]} (caller frees *out).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_scenario_render_json(char **out, const toksim_run *run, unsigned flags);
/**
 * A JUnit <testsuite> element for the run. With check = true each step is a test case
 * failing on its mismatched expectations; otherwise a step fails when it did not succeed.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_scenario_render_junit(char **out, const toksim_run *run, bool check);
/**
 * The story of the scenario (or of one step when step_id is not NULL) in plain sentences
 * that name accounts and groups. TOKSIM_ENOTFOUND when step_id names no step.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_scenario_render_story(char **out, const toksim_run *run, const char *step_id);

/* ---- CI and picture formats (render_tap.c, render_sarif.c, render_dot.c) ---- */

/** Render flag: ANSI colours in text output (ok green, FAILED and denials red). */
#define TOKSIM_RENDER_COLOR 0x4u

/**
 * TAP test points (TAP version 14, readable by TAP 13 consumers), one per step, numbered
 * from first_number (>= 1): "ok N - scenario: step (op)", or "not ok N - ..." with a YAML
 * block (message, file, line, column, outcome and, with check, each mismatched
 * expectation). With check = true a step fails on a mismatched expectation, otherwise
 * when it did not succeed. The caller prints "TAP version 14" and the plan "1..TOTAL";
 * *next_number (may be NULL) receives the number after the last point. Caller frees *out.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_scenario_render_tap(char **out,
                           size_t *next_number,
                           const toksim_run *run,
                           bool check,
                           size_t first_number);
/**
 * One SARIF 2.1.0 log over several runs: every finding (at its step's line and column)
 * and, with check = true, every expectation that did not hold (at the expectation, the
 * step as a related location) is a result; tool.driver.rules describes each ruleId.
 * Caller frees *out.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_scenario_render_sarif(
    char **out, const toksim_run *const *runs, size_t nruns, bool check);
/**
 * The same log built one run at a time, so that a caller replaying many scenarios keeps
 * only the results, not the runs: toksim_sarif_log_new, then toksim_sarif_log_add per run
 * (check as above), then toksim_sarif_log_finish (caller frees *out) once; free the log
 * with toksim_sarif_log_free (accepts NULL) in every case.
 */
typedef struct toksim_sarif_log toksim_sarif_log;
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sarif_log_new(toksim_sarif_log **out);
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sarif_log_add(toksim_sarif_log *log,
                                                               const toksim_run *run,
                                                               bool check);
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sarif_log_finish(toksim_sarif_log *log,
                                                                  char **out);
TOKSIM_API void toksim_sarif_log_free(toksim_sarif_log *log);
/**
 * A Graphviz digraph of the run: processes with their primary tokens, threads, named
 * tokens, impersonation edges labelled with the level the thread ended at (red below
 * Impersonation), the steps in order with failed ones filled red. Caller frees *out.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_scenario_render_dot(char **out, const toksim_run *run);

/**
 * The story of toksim_scenario_render_story() as one JSON object
 * (schemas/explain.schema.json): scenario, title, file, description, steps [{number, id,
 * op, line, column, what_happened, note, reasons [{rule, verdict, depth, detail,
 * sentence}], result, outcome, findings}], sources. TOKSIM_RENDER_PRETTY indents.
 * TOKSIM_ENOTFOUND when step_id names no step.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_scenario_render_story_json(
    char **out, const toksim_run *run, const char *step_id, unsigned flags);

/* ---- what-if replays (diff.h compares two of them) ---- */

struct toksim_policy;
/**
 * toksim_scenario_run() with a security template applied, as a GPO, over the world's own
 * policy (profile defaults, "policy_inf", "rights") before the first step; tmpl NULL =
 * toksim_scenario_run(). The template is borrowed.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_scenario_run_policy(toksim_run **out,
                           const toksim_scenario *sc,
                           const struct toksim_policy *tmpl,
                           toksim_error *err);
/**
 * The world as the scenario loaded it, before any step ran (accounts, names, the
 * starting user-rights policy); borrowed from the scenario, NULL for NULL. Runs work on
 * fresh copies: steps never change it.
 */
TOKSIM_API const struct toksim_world *toksim_scenario_world(const toksim_scenario *sc);

/* ---- the scenario's world for queries (toksim who-can, issue 17) ---- */
/**
 * A fresh copy of the scenario's world, as every run starts from (a query logs on in it,
 * which advances its logon-session counter), with the app pools and services its steps
 * declare (iis.app_pool.start, service.start) added as world declarations where the world
 * does not declare them itself: the first step naming one wins. A step declaration the
 * systems layer refuses is an error naming the step and its line. The caller frees *out
 * with toksim_world_free(). Errors as toksim_world_from_json().
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_scenario_world_new(
    const toksim_scenario *sc, struct toksim_world **out, toksim_error *err);
/** Number of objects the scenario's world declares ("objects"). */
TOKSIM_API size_t toksim_scenario_object_count(const toksim_scenario *sc);
/**
 * Object i: its path, object type, security descriptor and machine (NULL = the world's
 * own machine), each borrowed from the scenario (any out-parameter may be NULL). false
 * past the end.
 */
TOKSIM_API bool toksim_scenario_object_at(const toksim_scenario *sc,
                                          size_t i,
                                          const char **path,
                                          toksim_object_type *type,
                                          const toksim_sd **sd,
                                          const char **machine);
/** The share permissions of object i ("share_sddl", for an object reached through an SMB
 * share), borrowed; NULL when none are declared or past the end. */
TOKSIM_API const toksim_sd *toksim_scenario_object_share(const toksim_scenario *sc,
                                                         size_t i);

#ifdef __cplusplus
}
#endif
#endif
