/*
 * PURPOSE: policy what-if, in the spirit of Microsoft's Policy Analyzer: two security
 * templates (GptTmpl.inf, `secedit /export` output) A and B are compared (1) as
 * user-rights assignments applied to an OS profile's defaults: which rights differ, who
 * gains and who loses each, at which template line; and (2) by replaying scenarios under
 * each (the template applied as a GPO over the scenario's world): every step whose
 * outcome differs (success, HTTP, Win32/NTSTATUS/HRESULT, WBEM, granted mask,
 * impersonation level), the first decision of the trace that differs, and the rights
 * (with their template lines) that the step's decisions looked at.
 *
 * Ownership: toksim_diff_new() returns a diff freed with toksim_diff_free(). Scenarios
 * added are borrowed until the diff is freed. Rendered strings are malloc'ed; the caller
 * frees them.
 */
#ifndef TOKSIM_DIFF_H
#define TOKSIM_DIFF_H

#include <stdbool.h>
#include "common.h"
#include "scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct toksim_diff toksim_diff;

/**
 * Parse templates A (the baseline) and B (the change) and compare their user rights as
 * applied to OS profile `os` (NULL = "win10"). Template names are resolved as
 * well-known accounts here; each scenario resolves them again through its own world.
 * Errors: those of toksim_policy_parse_inf() (file, line, column in err),
 * TOKSIM_ENOTFOUND for an unknown profile, TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_diff_new(toksim_diff **out,
                                                          const void *a,
                                                          size_t alen,
                                                          const char *a_name,
                                                          const void *b,
                                                          size_t blen,
                                                          const char *b_name,
                                                          const char *os,
                                                          toksim_error *err);
TOKSIM_API void toksim_diff_free(toksim_diff *d);

/**
 * Replay a scenario under A and under B and record the steps whose outcome differs. A
 * template naming an account the scenario's world does not know, or a run error, fails
 * with err naming the file and line.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_diff_add_scenario(toksim_diff *d, const toksim_scenario *sc, toksim_error *err);

/** Number of rights whose holders differ, of steps whose outcome differs, of scenarios
 * replayed and of those with a differing step. */
TOKSIM_API size_t toksim_diff_right_count(const toksim_diff *d);
TOKSIM_API size_t toksim_diff_step_count(const toksim_diff *d);
TOKSIM_API size_t toksim_diff_scenario_count(const toksim_diff *d);
TOKSIM_API size_t toksim_diff_changed_scenario_count(const toksim_diff *d);
/** Something differs (a right or a step). */
TOKSIM_API bool toksim_diff_changed(const toksim_diff *d);

/** Template A (which 0) or B (1) as parsed (well-known names only), borrowed from the
 * diff; NULL otherwise. For the caller's own checks (toksim_policy_looks_like_dc). */
TOKSIM_API const struct toksim_policy *toksim_diff_template(const toksim_diff *d,
                                                            size_t which);
/** The suspicious lines of template A (which 0) or B (1) as toksim_policy_parse_inf_ex()
 * reports them (a right or a section given twice), borrowed from the diff; *count (may
 * be NULL) gets their number. NULL when there is none. */
TOKSIM_API const struct toksim_inf_warning *
toksim_diff_template_warnings(const toksim_diff *d, size_t which, size_t *count);
/** Canonical name of the OS profile the rights are compared on ("win10" ...). */
TOKSIM_API const char *toksim_diff_os_profile(const toksim_diff *d);

/** The report as text (caller frees *out); TOKSIM_RENDER_COLOR colours it. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_diff_render_text(char **out,
                                                                  const toksim_diff *d,
                                                                  unsigned flags);
/** The report as one JSON object (schemas/diff.schema.json); TOKSIM_RENDER_PRETTY. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_diff_render_json(char **out,
                                                                  const toksim_diff *d,
                                                                  unsigned flags);
/**
 * A SARIF 2.1.0 log: one result per differing right and per differing step, located at
 * the template line that causes it (B's line, else A's), the scenario step as a related
 * location.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_diff_render_sarif(char **out,
                                                                   const toksim_diff *d);

#ifdef __cplusplus
}
#endif
#endif
