/*
 * PURPOSE: hex and base64 transport of binary descriptors, tolerant of the ways Windows
 * tools print them: `reg export` (.reg files: "hex:01,00,04,80,\" with backslash-newline
 * line continuations and indentation, "hex(3):" typed values, an optional "Name"= in
 * front), `reg query` (Name  REG_BINARY  010004805C...), plain hex with
 * spaces/commas/colons, and base64 (standard alphabet, '=' padding optional, whitespace
 * anywhere). Output: lowercase contiguous hex; padded base64 without line breaks.
 */
#include <stdlib.h>
#include <string.h>
#include "sddl_int.h"

static bool is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ':' ||
           c == '-';
}

/* Find needle case-insensitively in text[0..len); returns its offset or len. */
static size_t find_ci(const char *text, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (ts_strncasecmp(text + i, needle, n) == 0)
            return i;
    return len;
}

toksim_status
toksim_hex_decode(uint8_t **out, size_t *len, const char *text, toksim_error *err)
{
    if (!out || !len || !text)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no hex text given");
    *out = NULL;
    *len = 0;
    size_t tl = strnlen(text, (size_t)TOKSIM_SD_BINARY_MAX * 4 + 1);
    if (tl > (size_t)TOKSIM_SD_BINARY_MAX * 4)
        return ts_error_set(err, TOKSIM_ELIMIT, tl, "hex text longer than %u characters",
                            TOKSIM_SD_BINARY_MAX * 4);
    size_t i = 0;
    /* `reg query` line: everything up to and including REG_BINARY is the value's name and
     * type. */
    size_t at = find_ci(text, tl, "REG_BINARY");
    if (at < tl)
        i = at + 10;
    /* .reg line: "Name"=hex:..., hex(3):... (REG_BINARY), or a bare hex: prefix. */
    for (size_t from = i; from < tl;) {
        at = find_ci(text + from, tl - from, "hex");
        if (at >= tl - from)
            break;
        size_t j = from + at + 3;
        if (j < tl && text[j] == '(') {
            while (j < tl && text[j] != ')')
                j++;
            j++;
        }
        if (j < tl && text[j] == ':') {
            i = j + 1;
            break;
        }
        from += at + 3;
    }
    uint8_t *buf = malloc(tl / 2 + 1);
    if (!buf)
        return TOKSIM_ENOMEM;
    size_t n = 0;
    while (i < tl) {
        char c = text[i];
        if (c == '\\') {
            /* .reg continuation: backslash, optional trailing blanks, newline */
            size_t j = i + 1;
            while (j < tl && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
                j++;
            if (j < tl && text[j] != '\n') {
                free(buf);
                return ts_error_set(
                    err, TOKSIM_EPARSE, i,
                    "'\\' in hex data must end the line (.reg continuation)");
            }
            i = j;
            continue;
        }
        if (is_sep(c)) {
            i++;
            continue;
        }
        if (c == '0' && i + 1 < tl && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
            i += 2; /* 0x prefix of a number group */
            continue;
        }
        size_t start = i;
        while (i < tl && ts_hex_digit(text[i]) >= 0)
            i++;
        if (i == start) {
            free(buf);
            return ts_error_set(
                err, TOKSIM_EPARSE, i,
                "unexpected character '%c' in hex data (expected hex digits)", c);
        }
        if ((i - start) % 2) {
            free(buf);
            return ts_error_set(
                err, TOKSIM_EPARSE, start,
                "odd number of hex digits (%zu) in the group at offset %zu", i - start,
                start);
        }
        for (size_t k = start; k < i; k += 2)
            buf[n++] = (uint8_t)(ts_hex_digit(text[k]) << 4 | ts_hex_digit(text[k + 1]));
    }
    if (n == 0) {
        free(buf);
        return ts_error_set(err, TOKSIM_EPARSE, i, "no hex digits found");
    }
    if (n > TOKSIM_SD_BINARY_MAX) {
        free(buf);
        return ts_error_set(err, TOKSIM_ELIMIT, 0,
                            "hex data decodes to more than %u bytes",
                            TOKSIM_SD_BINARY_MAX);
    }
    *out = buf;
    *len = n;
    return TOKSIM_OK;
}

toksim_status toksim_hex_encode(char **out, const uint8_t *buf, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    if (!out || (!buf && len) || len > ((size_t)-1) / 2 - 1)
        return TOKSIM_EINVAL;
    char *s = malloc(len * 2 + 1);
    if (!s)
        return TOKSIM_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        s[2 * i] = digits[buf[i] >> 4];
        s[2 * i + 1] = digits[buf[i] & 15];
    }
    s[len * 2] = '\0';
    *out = s;
    return TOKSIM_OK;
}

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

toksim_status
toksim_base64_decode(uint8_t **out, size_t *len, const char *text, toksim_error *err)
{
    if (!out || !len || !text)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no base64 text given");
    *out = NULL;
    *len = 0;
    size_t tl = strnlen(text, (size_t)TOKSIM_SD_BINARY_MAX * 2 + 1);
    if (tl > (size_t)TOKSIM_SD_BINARY_MAX * 2)
        return ts_error_set(err, TOKSIM_ELIMIT, tl,
                            "base64 text longer than %u characters",
                            TOKSIM_SD_BINARY_MAX * 2);
    uint8_t *buf = malloc(tl / 4 * 3 + 3);
    if (!buf)
        return TOKSIM_ENOMEM;
    size_t n = 0, quad = 0, pad_at = tl;
    uint32_t acc = 0;
    for (size_t i = 0; i < tl; i++) {
        char c = text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            if (pad_at == tl)
                pad_at = i;
            continue;
        }
        int v = b64val(c);
        if (v < 0 || pad_at != tl) {
            free(buf);
            return ts_error_set(err, TOKSIM_EPARSE, i,
                                v < 0 ? "unexpected character '%c' in base64 data "
                                        "(standard alphabet A-Z a-z 0-9 + /)"
                                      : "base64 character '%c' after '=' padding",
                                c);
        }
        acc = acc << 6 | (uint32_t)v;
        if (++quad == 4) {
            buf[n++] = (uint8_t)(acc >> 16);
            buf[n++] = (uint8_t)(acc >> 8);
            buf[n++] = (uint8_t)acc;
            quad = 0;
            acc = 0;
        }
    }
    if (quad == 1) {
        free(buf);
        return ts_error_set(err, TOKSIM_EPARSE, tl,
                            "base64 data ends with a lone 6-bit group (truncated?)");
    }
    if (quad == 2) {
        buf[n++] = (uint8_t)(acc >> 4);
    } else if (quad == 3) {
        buf[n++] = (uint8_t)(acc >> 10);
        buf[n++] = (uint8_t)(acc >> 2);
    }
    if (n == 0) {
        free(buf);
        return ts_error_set(err, TOKSIM_EPARSE, 0, "no base64 data found");
    }
    *out = buf;
    *len = n;
    return TOKSIM_OK;
}

toksim_status toksim_base64_encode(char **out, const uint8_t *buf, size_t len)
{
    static const char a[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (!out || (!buf && len) || len > ((size_t)-1) / 2)
        return TOKSIM_EINVAL;
    char *s = malloc((len + 2) / 3 * 4 + 1);
    if (!s)
        return TOKSIM_ENOMEM;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)buf[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)buf[i + 1] << 8;
        if (i + 2 < len)
            v |= buf[i + 2];
        s[o++] = a[v >> 18 & 63];
        s[o++] = a[v >> 12 & 63];
        s[o++] = i + 1 < len ? a[v >> 6 & 63] : '=';
        s[o++] = i + 2 < len ? a[v & 63] : '=';
    }
    s[o] = '\0';
    *out = s;
    return TOKSIM_OK;
}
