/*
 * PURPOSE: the "token_info" expectation (expect_token_info.c): what GetTokenInformation
 * reports for the step's token, one member per TOKEN_INFORMATION_CLASS, loaded with
 * positions and checked class by class. Used by expect.c only.
 */
#ifndef TS_EXPECT_TOKEN_INFO_H
#define TS_EXPECT_TOKEN_INFO_H

#include "scenario/scen_int.h"

typedef struct ts_tokinfo_exp ts_tokinfo_exp;

/** Parse the object at `obj` (path: JSON path for messages). */
toksim_status ts_tokinfo_load(ts_loader *L,
                              const toksim_scenario *sc,
                              const cJSON *obj,
                              const char *path,
                              ts_tokinfo_exp **out);
void ts_tokinfo_free(ts_tokinfo_exp *e);
/** Number of individual expectations it holds. */
size_t ts_tokinfo_count(const ts_tokinfo_exp *e);

typedef void (*ts_tokinfo_verdict)(
    void *payload, bool ok, const char *field, const char *expected, const char *got);
/** Check a token (NULL: the step has no token) against it, one verdict per expectation.
 * A verdict that holds (ok) comes with empty texts: fn must read them only when ok is
 * false (issue 11: texts are made for failures only).
 */
void ts_tokinfo_check(const ts_tokinfo_exp *e,
                      const toksim_token *tok,
                      const toksim_run *run,
                      ts_tokinfo_verdict fn,
                      void *payload);

#endif
