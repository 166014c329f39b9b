/*
 * PURPOSE: the fast reader of `toksim access --batch` lines (issue 11): one pass over a
 * line of the common shape (an object of known keys, each once; plain ASCII strings
 * without escapes; small non-negative integers; true/false; arrays of such strings).
 * Anything else is refused, and the caller then runs the strict path (the strict JSON
 * front end + cJSON), which alone words every error: the fast reader never reports one.
 */
#ifndef TOKSIM_CLI_BATCH_FAST_H
#define TOKSIM_CLI_BATCH_FAST_H
#include <stdbool.h>
#include <stddef.h>

enum { FAST_ABSENT = 0, FAST_STR, FAST_INT, FAST_BOOL, FAST_ARR };

#define FAST_MAX_KEYS 32

typedef struct fast_val {
    int kind;
    const char *str; /* FAST_STR: the text; FAST_INT: its decimal digits (in num) */
    char num[12];
    bool b;             /* FAST_BOOL */
    const char **items; /* FAST_ARR: the strings */
    size_t n;
} fast_val;

/* Scratch reused from line to line (the caller zero-initialises it and disposes of it).
 */
typedef struct fast_line {
    char *buf; /* a copy of the line, strings cut in place */
    size_t cap;
    const char **items;
    size_t icap;
    fast_val vals[FAST_MAX_KEYS]; /* by index in `keys` */
} fast_line;

/** Read line[0..len) against keys[0..nkeys) (nkeys <= FAST_MAX_KEYS); true when the line
 * has the common shape (fl->vals then hold it), false otherwise. */
bool fast_parse(
    fast_line *fl, const char *line, size_t len, const char *const *keys, size_t nkeys);
void fast_line_dispose(fast_line *fl);
#endif
