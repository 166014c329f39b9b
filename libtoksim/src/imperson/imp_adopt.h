/*
 * PURPOSE: the impersonation layer's one entry point for upper layers that hold a token
 * of their own: a process that takes the token instead of a copy (issue 11: a token copy
 * is ~3 k instructions and the caller would free its token right after).
 */
#ifndef TOKSIM_IMP_ADOPT_H
#define TOKSIM_IMP_ADOPT_H

#include "toksim/impersonate.h"

/**
 * toksim_process_new() without the copy: the process owns `primary` from now on (made a
 * primary token as toksim_process_new makes its copy one). `primary` is freed on
 * failure (TOKSIM_EINVAL for a NULL token or options of another version, TOKSIM_ENOMEM).
 */
toksim_status ts_process_adopt(toksim_process **out,
                               toksim_token *primary,
                               const toksim_imp_options *opts);

#endif
