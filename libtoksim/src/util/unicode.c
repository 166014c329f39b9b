/*
 * PURPOSE: the UTF-8 / UTF-16LE conversions and little-endian reads of the binary formats
 * (conditional-ACE and claim payloads store UTF-16LE strings, MS-DTYP 2.4.4.17; the CLI
 * and SDDL text are UTF-8). One code point at a time, so each caller keeps its own error
 * messages and limits. UTF-8 is read strictly (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), so one code point has exactly one spelling.
 */
#include "internal.h"

ts_utf8_status ts_utf8_decode(const char *s, size_t n, uint32_t *cp, size_t *len)
{
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    unsigned char c = (unsigned char)s[0];
    /* C0/C1 could only start overlong forms; F5..FF would pass U+10FFFF (RFC 3629 §4). */
    size_t k = c < 0x80                 ? 1
               : c >= 0xC2 && c <= 0xDF ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    *len = 0;
    if (!k)
        return TS_UTF8_BAD_LEAD;
    if (k > n)
        return TS_UTF8_TRUNCATED;
    uint32_t v = k == 1 ? c : k == 2 ? (c & 0x1Fu) : k == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t j = 1; j < k; j++) {
        if (((unsigned char)s[j] & 0xC0) != 0x80) {
            *len = j;
            return TS_UTF8_BAD_CONTINUATION;
        }
        v = v << 6 | ((unsigned char)s[j] & 0x3Fu);
    }
    if (v < min[k])
        return TS_UTF8_OVERLONG;
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return TS_UTF8_BAD_CODE_POINT;
    *cp = v;
    *len = k;
    return TS_UTF8_OK;
}

size_t ts_utf8_cut(const char *s, size_t n)
{
    size_t lead = n;
    while (lead > 0 && n - lead < 4 && ((unsigned char)s[lead - 1] & 0xC0u) == 0x80u)
        lead--; /* back over continuation bytes to the lead byte */
    if (lead == 0)
        return n;
    unsigned char c = (unsigned char)s[--lead];
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return n - lead < need ? lead : n;
}

size_t ts_utf8_encode(char out[4], uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t ts_utf16le_decode(const uint8_t *p, size_t n, uint32_t *cp)
{
    if (n < 2)
        return 0;
    uint32_t u = ts_rd16le(p);
    if (u >= 0xDC00 && u <= 0xDFFF)
        return 0; /* a low surrogate with no high one before it */
    if (u < 0xD800 || u > 0xDBFF) {
        *cp = u;
        return 2;
    }
    if (n < 4)
        return 0;
    uint32_t lo = ts_rd16le(p + 2);
    if (lo < 0xDC00 || lo > 0xDFFF)
        return 0;
    *cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
    return 4;
}

size_t ts_utf16le_encode(uint8_t out[4], uint32_t cp)
{
    if (cp < 0x10000) {
        out[0] = (uint8_t)cp;
        out[1] = (uint8_t)(cp >> 8);
        return 2;
    }
    uint32_t v = cp - 0x10000, hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);
    out[0] = (uint8_t)hi;
    out[1] = (uint8_t)(hi >> 8);
    out[2] = (uint8_t)lo;
    out[3] = (uint8_t)(lo >> 8);
    return 4;
}

uint16_t ts_rd16le(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t ts_rd32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}
