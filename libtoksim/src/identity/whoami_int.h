/*
 * PURPOSE: private interface between the two files of the whoami /all importer:
 * whoami_text.c (encodings, lines, character columns, positioned errors) and
 * whoami_parse.c (sections, rows, the token). Never exported.
 */
#ifndef TOKSIM_WHOAMI_INT_H
#define TOKSIM_WHOAMI_INT_H

#include "identity/identity_int.h"
#include "toksim/whoami.h"

typedef struct wline {
    const char *p;
    size_t n;
} wline;

/* A cell of a row: text inside line `line` starting at byte `at` of that line. */
typedef struct wcell {
    size_t line, at;
    const char *p;
    size_t n;
} wcell;

typedef struct wgroup {
    toksim_sid sid;
    uint32_t attrs;
} wgroup;

typedef enum {
    SEC_NONE = 0,
    SEC_USER = 1,
    SEC_GROUPS = 2,
    SEC_PRIVS = 4,
    SEC_CLAIMS = 8
} sec_kind;

typedef struct wp {
    const unsigned char *raw; /* the caller's bytes */
    size_t rawlen;
    toksim_whoami_encoding enc;
    char *owned; /* UTF-8 decoded from UTF-16, or the 8-bit text with non-ASCII as '?' */
    const char *text;
    size_t len;
    bool utf8; /* count columns in code points */
    wline *lines;
    size_t nlines;
    const toksim_sid_context *ctx;
    toksim_error *err;
    toksim_whoami_info *info;
    bool have_user, have_label;
    toksim_sid user;
    uint32_t label_rid;
    wgroup *groups;
    size_t ngroups, capgroups;
    uint64_t priv_seen;
    uint32_t priv_attr[TOKSIM_PRIV_MAX + 1];
} wp;

/* Number of characters in s[0..n) (code points when the text is UTF-8, else bytes). */
size_t ts_whoami_chars_in(const wp *P, const char *s, size_t n);
/* Byte index of character `ch` of a line (the line length when the line is shorter). */
size_t ts_whoami_byte_of_char(const wp *P, const wline *l, size_t ch);
/* Record a failure at byte `at` of line `line` (0-based) as line:column (1-based, in
 * characters). */
toksim_status
ts_whoami_fail_at(wp *P, toksim_status code, size_t line, size_t at, const char *fmt, ...)
    TS_PRINTF(5, 6);
/* Copy the user's name s[0..n) into P->info->user_name (when the caller asked for info),
 * cut to at most `max` bytes at a character boundary: a cut inside a UTF-8 sequence
 * would hand invalid UTF-8 to JSON output. */
void ts_whoami_set_user_name(wp *P, const char *s, size_t n, size_t max);
/* Detect the encoding of P->raw and set P->text/len (UTF-16 is decoded into P->owned). */
toksim_status ts_whoami_decode(wp *P);
/* Cut P->text into P->lines (CRLF, LF, CR CR LF), enforcing TOKSIM_WHOAMI_MAX_LINE. */
toksim_status ts_whoami_split_lines(wp *P);

/* The token from what was read (user, groups, label, privileges), with what the input did
 * not show inferred as docs/whoami-import.md says (whoami_parse.c; also used by the
 * WinDbg !token importer, windbg_token_parse.c). */
toksim_status ts_whoami_build(toksim_token **out, wp *P);
/** The section parser of one import format (whoami /all, WinDbg !token). */
typedef toksim_status (*ts_whoami_parse_fn)(wp *P, void *payload);
/**
 * The import pipeline the formats share: size cap, decoding (UTF-8/UTF-16, BOM), line
 * split, the format's parser, then the token built from what it read; *info gets the
 * formats flag given and the encoding found. Frees its own state in every case.
 */
toksim_status ts_whoami_import(toksim_token **out,
                               toksim_whoami_info *info,
                               const char *text,
                               size_t len,
                               const toksim_sid_context *ctx,
                               toksim_error *err,
                               unsigned formats,
                               ts_whoami_parse_fn parse,
                               void *payload);

#endif
