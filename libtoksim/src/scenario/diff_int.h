/*
 * PURPOSE: the state of a policy what-if (toksim/diff.h), shared by the engine (diff.c)
 * and its renderers (diff_render.c): both templates, the rights that differ on the OS
 * profile, and every step whose outcome differs with what caused it.
 */
#ifndef TS_DIFF_INT_H
#define TS_DIFF_INT_H

#include "scenario/run_int.h"
#include "toksim/diff.h"

/** What Windows answered at a step, copied out of a run. */
typedef struct ts_diff_outcome {
    bool ok;
    uint32_t win32, ntstatus, hresult, wbem, granted;
    bool has_http, has_wbem, has_granted, has_level;
    int http;
    toksim_imp_level level;
    char error[96];    /* "ERROR_BAD_IMPERSONATION_LEVEL", "none" */
    char text[512];    /* the outcome line of the text renderer */
    char summary[512]; /* the step's summary */
} ts_diff_outcome;

typedef struct ts_diff_sids {
    toksim_sid *v;
    size_t n;
} ts_diff_sids;

/** A right whose holders differ between A and B. */
typedef struct ts_diff_right {
    uint32_t right;
    const char *name;   /* "SeImpersonatePrivilege" (static) */
    int line_a, line_b; /* the template lines defining it, 0 = not in that template */
    ts_diff_sids gained, lost; /* holders under B but not A, under A but not B */
} ts_diff_right;

/** A right behind a step's change, with its holders named by the scenario's world. */
typedef struct ts_diff_cause {
    uint32_t right;
    const char *name;
    int line_a, line_b;
    bool guessed; /* no decision of the step names it: every differing right is listed */
    char gained[512], lost[512];
} ts_diff_cause;

typedef struct ts_diff_step {
    const char *scenario, *file, *step, *op; /* borrowed from the scenario */
    int line, column;
    ts_diff_outcome a, b;
    char fields[128];            /* "ok,http,impersonation_level" */
    const char *rule_a, *rule_b; /* the first decision that differs (NULL: trace ended) */
    const char *verdict_a, *verdict_b;
    ts_diff_cause *causes;
    size_t ncauses;
} ts_diff_step;

struct toksim_diff {
    char *os;
    char *file[2]; /* template names as given */
    char *data[2]; /* their bytes, to resolve names again per scenario */
    size_t len[2];
    toksim_policy *tmpl[2];  /* parsed with well-known names only */
    toksim_policy *local[2]; /* parsed through the scenario being added */
    ts_diff_right *rights;   /* on the OS profile */
    size_t nrights;
    ts_diff_step *steps;
    size_t nsteps;
    size_t nscenarios, nchanged;
    toksim_inf_warning *warn[2]; /* suspicious lines of each template (INF parser) */
    size_t nwarn[2];
};

/** Copy a step's outcome. */
void ts_diff_outcome_of(ts_diff_outcome *o, const toksim_step_result *r);

#endif
