/*
 * PURPOSE: helpers shared inside the library (never exported): error reporting, bounded
 * string building, checked allocation. Prefix ts_.
 */
#ifndef TOKSIM_INTERNAL_H
#define TOKSIM_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "toksim.h"

#if defined(__GNUC__)
#define TS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TS_PRINTF(f, a)
#endif

/** Record a failure in err (NULL is fine) and return code, so callers can `return
 * ts_error_set(...)`. */
toksim_status
ts_error_set(toksim_error *err, toksim_status code, size_t offset, const char *fmt, ...)
    TS_PRINTF(4, 5);
/** Same, with a line/column position (1-based). */
toksim_status ts_error_set_pos(toksim_error *err,
                               toksim_status code,
                               size_t offset,
                               int line,
                               int column,
                               const char *fmt,
                               ...) TS_PRINTF(6, 7);

/** Growable, capped string buffer. Zero-initialise; ts_buf_take() hands the string to the
 * caller. */
typedef struct ts_buf {
    char *data;
    size_t len, cap;
    bool failed; /* an allocation failed or the cap was hit: the content is incomplete */
} ts_buf;
void ts_buf_append(ts_buf *b, const char *s);
void ts_buf_appendn(ts_buf *b, const char *s, size_t n);
void ts_buf_printf(ts_buf *b, const char *fmt, ...) TS_PRINTF(2, 3);
/** Returns the NUL-terminated string (caller frees) or NULL when the buffer failed. */
char *ts_buf_take(ts_buf *b);
void ts_buf_dispose(ts_buf *b);

/** calloc with overflow check of n * size. */
void *ts_calloc(size_t n, size_t size);
/** Grow *ptr (an array of elem-size items with *cap slots) to hold at least need items.
 */
bool ts_grow(void **ptr, size_t *cap, size_t need, size_t elem);
char *ts_strdup(const char *s);
char *ts_strndup(const char *s, size_t n);
/** ASCII case-insensitive comparison (names of accounts, privileges, rights). */
int ts_strcasecmp(const char *a, const char *b);
int ts_strncasecmp(const char *a, const char *b, size_t n);
/** Value of an ASCII hex digit (either case), or -1 when c is not one. */
int ts_hex_digit(char c);
/** ASCII white space of the text formats (space, tab, CR, LF). */
bool ts_is_ws(char c);
/**
 * Append s at buf[at] with snprintf semantics (truncates, always NUL-terminates when n >
 * 0) and return at + strlen(s), the length the whole text needs.
 */
size_t ts_put(char *buf, size_t n, size_t at, const char *s);

/** Room for `more` events past a trace's count (NULL trace: nothing; never past its
 * limit) in one allocation, for a caller that knows how many it records: a logon some 20
 * to 40, where growth from an empty trace would take 3 or 4 reallocations (issue 11). A
 * failed allocation is no error: toksim_trace_add reports it when it needs the room. */
struct toksim_trace;
void ts_trace_reserve(struct toksim_trace *t, size_t more);

/** vsnprintf(buf, n, fmt, ap) with the same bytes and result, written without stdio when
 * fmt holds only %s %.Ns %.*s, %d %i %u with z or l, %x %X %u with a 0width, and %% (any
 * other conversion or a NULL string goes to vsnprintf). Issue 11: summaries, paths and
 * messages built for every step, value and expectation (util/fmt.c). ts_fmt is its
 * snprintf. */
int ts_vfmt(char *buf, size_t n, const char *fmt, va_list ap) TS_PRINTF(3, 0);
int ts_fmt(char *buf, size_t n, const char *fmt, ...) TS_PRINTF(3, 4);

/* ---- Unicode and little-endian reads (util/unicode.c) ---- */

typedef enum ts_utf8_status {
    TS_UTF8_OK = 0,
    TS_UTF8_BAD_LEAD,         /* s[0] starts no sequence (C0, C1, F5..FF included) */
    TS_UTF8_TRUNCATED,        /* the sequence runs past n */
    TS_UTF8_BAD_CONTINUATION, /* s[*len] is not a continuation byte */
    TS_UTF8_OVERLONG,         /* a longer spelling than the code point needs */
    TS_UTF8_BAD_CODE_POINT    /* a surrogate or above U+10FFFF */
} ts_utf8_status;
/** Decode the UTF-8 sequence at s[0..n) (n >= 1): *cp and its byte length in *len. */
ts_utf8_status ts_utf8_decode(const char *s, size_t n, uint32_t *cp, size_t *len);
/** The length to keep of s[0..n) so that a cut there splits no UTF-8 sequence (n, or the
 * start of a sequence that s[0..n) holds only part of). */
size_t ts_utf8_cut(const char *s, size_t n);
/** Encode a code point (at most U+10FFFF) as UTF-8; returns the byte count (1-4). */
size_t ts_utf8_encode(char out[4], uint32_t cp);
/**
 * Decode one UTF-16LE code point from p[0..n) (surrogate pairs joined); returns the bytes
 * used (2 or 4), or 0 when truncated or an unpaired surrogate.
 */
size_t ts_utf16le_decode(const uint8_t *p, size_t n, uint32_t *cp);
/** Encode a code point as UTF-16LE (a surrogate pair above U+FFFF); returns 2 or 4. */
size_t ts_utf16le_encode(uint8_t out[4], uint32_t cp);
uint16_t ts_rd16le(const uint8_t *p);
uint32_t ts_rd32le(const uint8_t *p);

#endif
