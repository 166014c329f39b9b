/*
 * PURPOSE: the renderers of `toksim triage` (one file per format: triage_text.c,
 * triage_json.c). They print a toksim_triage result; no model logic.
 */
#ifndef TOKSIM_CLI_TRIAGE_VIEW_H
#define TOKSIM_CLI_TRIAGE_VIEW_H

#include "cli.h"

/** What the command read, for the header of the output. */
typedef struct triage_input {
    const char *token_from; /* "whoami capture x.txt", "scenario f.json step svc" */
    const char *user_name;  /* the caller's account as named by the source, or NULL */
    const toksim_triage_request *req;
    const toksim_trace *trace;
    const toksim_sid_context *ctx;
} triage_input;

int triage_print_text(const toksim_triage *t, const triage_input *in);
int triage_print_json(const toksim_triage *t, const triage_input *in);

#endif
