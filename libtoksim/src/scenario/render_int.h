/*
 * PURPOSE: what the scenario renderers share (render.c defines them): a step's outcome as
 * one line ("HTTP 500, ERROR_BAD_IMPERSONATION_LEVEL (HRESULT 0x80070542), ..."), a
 * finding as a sentence, an impersonation level's name, and the escaping helpers of the
 * machine formats (TAP's YAML blocks, SARIF URIs, DOT labels). Nothing here decides.
 */
#ifndef TS_RENDER_INT_H
#define TS_RENDER_INT_H

#include "scenario/run_int.h"

/** "Anonymous" ... "Delegation"; "?" out of range. */
const char *ts_render_level_name(toksim_imp_level l);
/** The step's outcome in one line (empty for a plain success). */
void ts_render_outcome(char *buf, size_t n, const toksim_step_result *r);
/** A finding as a sentence naming the run's accounts. */
void ts_render_finding_text(char *buf,
                            size_t n,
                            const toksim_run *run,
                            const toksim_finding *f);

/** A trace event as a sentence naming the run's accounts (its rule's summary when the
 * template renders nothing). */
void ts_render_event_text(char *buf,
                          size_t n,
                          const toksim_run *run,
                          const toksim_trace_event *ev);
/** Token-building details that the text views fold (render.c explains which). */
bool ts_render_folded(const toksim_step_result *r, const toksim_trace_event *ev);
/** Capital first letter and a final full stop. */
void ts_render_sentence(char *buf, size_t n);

/** Append s as a double-quoted string (escapes \ " and control characters; used by the
 * YAML of TAP and the labels of DOT, whose quoting agrees on these). */
void ts_render_quoted(ts_buf *b, const char *s);
/** Append a file name as a relative URI reference (RFC 3986: unreserved and '/' kept,
 * everything else percent-encoded). */
void ts_render_uri(ts_buf *b, const char *path);

#endif
