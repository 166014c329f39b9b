/*
 * PURPOSE: the text layer of the whoami /all importer: which encoding Windows saved the
 * output in (UTF-16LE/BE with BOM as PowerShell writes it, UTF-16LE without BOM, UTF-8
 * with or without BOM, a single-byte code page as cmd.exe redirection writes it), lines
 * (CRLF, LF, CR CR LF), columns counted in characters as whoami pads them, and errors
 * that name line:column plus the byte offset in the caller's input. Left out: OEM code
 * page conversion: which code page a redirected capture used is not in the file (437,
 * 850, 866, 1252... give the same byte different letters), so in an 8-bit capture each
 * byte past ASCII reads as '?', as WideCharToMultiByte's default character does, rather
 * than as a guessed letter. SIDs, privilege names and attribute words are ASCII, so
 * only names lose letters; the encoding is reported (toksim_whoami_info.encoding).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "identity/whoami_int.h"

/* ---- positions and errors ---- */

size_t ts_whoami_chars_in(const wp *P, const char *s, size_t n)
{
    if (!P->utf8)
        return n;
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0u) != 0x80u;
    return c;
}

size_t ts_whoami_byte_of_char(const wp *P, const wline *l, size_t ch)
{
    if (!P->utf8)
        return ch < l->n ? ch : l->n;
    size_t c = 0;
    for (size_t i = 0; i < l->n; i++)
        if (((unsigned char)l->p[i] & 0xC0u) != 0x80u) {
            if (c == ch)
                return i;
            c++;
        }
    return l->n;
}

/* Byte offset in the caller's input of character `col` (0-based) of line `line`. */
static size_t raw_offset(const wp *P, size_t line, size_t at, size_t col)
{
    if (P->enc != TOKSIM_WHOAMI_ENC_UTF16LE && P->enc != TOKSIM_WHOAMI_ENC_UTF16BE) {
        size_t base = P->enc == TOKSIM_WHOAMI_ENC_UTF8_BOM ? 3 : 0;
        if (line >= P->nlines)
            return P->rawlen;
        return base + (size_t)(P->lines[line].p - P->text) + at;
    }
    bool be = P->enc == TOKSIM_WHOAMI_ENC_UTF16BE;
    size_t pos = (P->rawlen >= 2 && (P->raw[0] == 0xFF || P->raw[0] == 0xFE) &&
                  (P->raw[1] == 0xFE || P->raw[1] == 0xFF))
                     ? 2
                     : 0;
    for (size_t seen = 0; seen < line && pos + 1 < P->rawlen; pos += 2) {
        unsigned u = be ? ((unsigned)P->raw[pos] << 8 | P->raw[pos + 1])
                        : ((unsigned)P->raw[pos + 1] << 8 | P->raw[pos]);
        if (u == '\n')
            seen++;
    }
    size_t off = pos + 2 * col; /* BMP characters: one code unit each */
    return off < P->rawlen ? off : P->rawlen;
}

toksim_status
ts_whoami_fail_at(wp *P, toksim_status code, size_t line, size_t at, const char *fmt, ...)
{
    char msg[TOKSIM_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t col = 0;
    if (line < P->nlines)
        col = ts_whoami_chars_in(P, P->lines[line].p,
                                 at < P->lines[line].n ? at : P->lines[line].n);
    return ts_error_set_pos(P->err, code, raw_offset(P, line, at, col), (int)line + 1,
                            (int)col + 1, "%s", msg);
}

/* ---- input decoding ---- */

static toksim_status decode_utf16(wp *P, size_t start, bool be)
{
    const unsigned char *b = P->raw;
    size_t n = P->rawlen;
    if ((n - start) % 2)
        return ts_error_set(
            P->err, TOKSIM_EPARSE, n - 1,
            "byte offset %zu: UTF-16 input has an odd number of bytes (%zu): "
            "the last byte is half a code unit (truncated file?)",
            n - 1, n);
    size_t units = (n - start) / 2;
    P->owned = malloc(units * 3 + 1);
    if (!P->owned)
        return TOKSIM_ENOMEM;
    size_t k = 0;
    int line = 1, col = 1;
    for (size_t i = start; i + 1 < n; i += 2) {
        uint32_t u =
            be ? ((uint32_t)b[i] << 8 | b[i + 1]) : ((uint32_t)b[i + 1] << 8 | b[i]);
        if (u == 0)
            return ts_error_set_pos(P->err, TOKSIM_EPARSE, i, line, col,
                                    "NUL character in the text (binary data?)");
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            uint32_t lo = be ? ((uint32_t)b[i + 2] << 8 | b[i + 3])
                             : ((uint32_t)b[i + 3] << 8 | b[i + 2]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            } else {
                u = 0xFFFD;
            }
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            u = 0xFFFD; /* lone surrogate */
        }
        k += ts_utf8_encode(P->owned + k, u);
        if (u == '\n')
            line++, col = 1;
        else
            col++;
    }
    P->text = P->owned;
    P->len = k;
    P->utf8 = true;
    return TOKSIM_OK;
}

void ts_whoami_set_user_name(wp *P, const char *s, size_t n, size_t max)
{
    if (!P->info)
        return;
    if (max > sizeof P->info->user_name - 1)
        max = sizeof P->info->user_name - 1;
    if (n > max)
        n = ts_utf8_cut(s, max);
    memcpy(P->info->user_name, s, n);
    P->info->user_name[n] = '\0';
}

/* Well-formed UTF-8 (RFC 3629, ts_utf8_decode: no overlong form, no UTF-16 surrogate,
 * nothing past U+10FFFF): anything else is an 8-bit code page, whose names would reach
 * the token (and its JSON rendering) as invalid UTF-8. */
static bool valid_utf8(const unsigned char *s, size_t n)
{
    uint32_t cp;
    size_t len;
    for (size_t i = 0; i < n; i += len)
        if (ts_utf8_decode((const char *)s + i, n - i, &cp, &len) != TS_UTF8_OK)
            return false;
    return true;
}

toksim_status ts_whoami_decode(wp *P)
{
    const unsigned char *b = P->raw;
    size_t n = P->rawlen;
    if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        P->enc = TOKSIM_WHOAMI_ENC_UTF16LE;
        return decode_utf16(P, 2, false);
    }
    if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        P->enc = TOKSIM_WHOAMI_ENC_UTF16BE;
        return decode_utf16(P, 2, true);
    }
    if (n >= 4 && b[0] && !b[1] && b[2] &&
        !b[3]) { /* "U\0S\0": UTF-16LE saved without a BOM */
        P->enc = TOKSIM_WHOAMI_ENC_UTF16LE;
        return decode_utf16(P, 0, false);
    }
    size_t start = 0;
    P->enc = TOKSIM_WHOAMI_ENC_UTF8;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        start = 3, P->enc = TOKSIM_WHOAMI_ENC_UTF8_BOM;
    P->text = (const char *)b + start;
    P->len = n - start;
    const char *nul = memchr(P->text, 0, P->len);
    if (nul) {
        int line = 1, col = 1;
        for (const char *q = P->text; q < nul; q++) {
            if (*q == '\n')
                line++, col = 1;
            else
                col++;
        }
        return ts_error_set_pos(
            P->err, TOKSIM_EPARSE, start + (size_t)(nul - P->text), line, col,
            "NUL byte in the text (binary data, or UTF-16 without a byte-order mark?)");
    }
    P->utf8 = valid_utf8((const unsigned char *)P->text, P->len);
    if (!P->utf8) {
        /* A single-byte code page (cmd.exe redirection writes the OEM code page): which
         * one is unknown, so a byte past ASCII in a name becomes '?' rather than reaching
         * the token (and its JSON rendering) as invalid UTF-8. Byte for byte: columns and
         * error offsets stay those of the input. */
        P->enc = TOKSIM_WHOAMI_ENC_8BIT;
        P->owned = malloc(P->len + 1);
        if (!P->owned)
            return TOKSIM_ENOMEM;
        for (size_t i = 0; i < P->len; i++)
            P->owned[i] = (unsigned char)P->text[i] < 0x80 ? P->text[i] : '?';
        P->owned[P->len] = '\0';
        P->text = P->owned;
    }
    return TOKSIM_OK;
}

toksim_status ts_whoami_split_lines(wp *P)
{
    size_t count = 1;
    for (size_t i = 0; i < P->len; i++)
        count += P->text[i] == '\n';
    P->lines = ts_calloc(count, sizeof *P->lines);
    if (!P->lines)
        return TOKSIM_ENOMEM;
    const char *s = P->text, *end = P->text + P->len;
    while (s <= end && P->nlines < count) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        size_t n = (size_t)(e - s);
        while (n &&
               s[n - 1] == '\r') /* CRLF, and the CR CR LF some redirections produce */
            n--;
        P->lines[P->nlines++] = (wline){s, n};
        if (ts_whoami_chars_in(P, s, n) > TOKSIM_WHOAMI_MAX_LINE)
            return ts_whoami_fail_at(P, TOKSIM_ELIMIT, P->nlines - 1, 0,
                                     "line longer than %u characters",
                                     TOKSIM_WHOAMI_MAX_LINE);
        if (!nl)
            break;
        s = nl + 1;
    }
    return TOKSIM_OK;
}
