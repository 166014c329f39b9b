/*
 * PURPOSE: the SID value type: string form (MS-DTYP 2.4.2.1), binary form
 * (MS-DTYP 2.4.2.2), comparison and hashing. Names, aliases and virtual accounts are in
 * sid_names.c.
 *
 * String grammar accepted, as ConvertStringSidToSid does: "S-1-" authority ("-"
 * sub){0,15}; the authority is decimal when below 2^32, or "0x" followed by at most 12
 * hex digits (MS-DTYP 2.4.2.1). Revision must be 1. Each sub-authority is a 32-bit
 * value, decimal or "0x" hex (the revision too: Wine's test_sid, "S-0x1-0XC-0x1a"). A SID
 * without sub-authorities ("S-1-5") is kept, although ConvertStringSidToSid refuses it
 * (docs/fidelity-notes.md F-SDDL-3: the binary form allows it and whoami prints it).
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "core/sid_int.h"

/* Longest SID string we accept: anything longer is not a SID (and may be hostile). */
#define SID_TEXT_MAX 256

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parse a decimal number at text[*pos..len) no larger than max. */
static toksim_status parse_decimal(uint64_t *out,
                                   const char *text,
                                   size_t len,
                                   size_t *pos,
                                   uint64_t max,
                                   const char *what,
                                   toksim_error *err)
{
    size_t start = *pos;
    uint64_t v = 0;
    if (*pos + 2 < len && text[*pos] == '0' &&
        (text[*pos + 1] == 'x' || text[*pos + 1] == 'X') &&
        ts_hex_digit(text[*pos + 2]) >= 0) {
        /* ConvertStringSidToSid reads "0x" parts as hex: Wine's test_sid asserts
         * "S-0x1-0XC-0x1a" is S-1-12-26 on Windows. */
        int h;
        *pos += 2;
        while (*pos < len && (h = ts_hex_digit(text[*pos])) >= 0) {
            v = v * 16 + (uint64_t)h;
            if (v > max)
                return ts_error_set(err, TOKSIM_EPARSE, start,
                                    "%s out of range (maximum %llu)", what,
                                    (unsigned long long)max);
            (*pos)++;
        }
        *out = v;
        return TOKSIM_OK;
    }
    if (*pos >= len || !is_digit(text[*pos]))
        return ts_error_set(err, TOKSIM_EPARSE, *pos, "expected a decimal %s", what);
    while (*pos < len && is_digit(text[*pos])) {
        v = v * 10 + (uint64_t)(text[*pos] - '0');
        if (v > max)
            return ts_error_set(err, TOKSIM_EPARSE, start,
                                "%s out of range (maximum %llu)", what,
                                (unsigned long long)max);
        (*pos)++;
    }
    *out = v;
    return TOKSIM_OK;
}

/* The common form, "S-1-" then decimal parts joined by '-' (the authority and at most
 * TOKSIM_SID_MAX_SUB sub-authorities), each of 1 to 10 digits and below 2^32; false for
 * anything else ("0x", empty parts, too long, too large), left to the full parser. One
 * pass over the text, no call per part (issue 11: profiles and worlds parse thousands).
 */
bool ts_sid_parse_fast(toksim_sid *out, const char *text, size_t len)
{
    if (!out || !text || len < 5 || len > SID_TEXT_MAX ||
        (text[0] != 'S' && text[0] != 's') || text[1] != '-' || text[2] != '1' ||
        text[3] != '-')
        return false;
    toksim_sid sid;
    memset(&sid, 0, sizeof sid);
    sid.revision = 1;
    const char *p = text + 4, *end = text + len;
    for (bool authority = true;; authority = false) {
        const char *start = p;
        uint64_t v = 0;
        while (p < end && (unsigned)(*p - '0') < 10u)
            v = v * 10 + (unsigned)(*p++ - '0');
        if (p == start || p - start > 10 || v > 0xFFFFFFFFu)
            return false; /* (more than 10 digits may wrap v: refused by their count) */
        if (authority) {
            for (int i = 0; i < 4; i++)
                sid.authority[5 - i] = (uint8_t)(v >> (8 * i));
        } else {
            if (sid.count == TOKSIM_SID_MAX_SUB)
                return false;
            sid.sub[sid.count++] = (uint32_t)v;
        }
        if (p == end)
            break;
        if (*p++ != '-')
            return false;
    }
    *out = sid;
    return true;
}

toksim_status
toksim_sid_parse_n(toksim_sid *out, const char *text, size_t len, toksim_error *err)
{
    /* The common form ("S-1-5-32-544") without error reporting first: OS profiles and
     * worlds parse thousands (issue 11); anything else goes the full way. */
    if (ts_sid_parse_fast(out, text, len))
        return TOKSIM_OK;
    return ts_sid_parse_full(out, text, len, err);
}

toksim_status
ts_sid_parse_full(toksim_sid *out, const char *text, size_t len, toksim_error *err)
{
    if (!out || !text)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no SID given");
    if (len > SID_TEXT_MAX)
        return ts_error_set(err, TOKSIM_ELIMIT, SID_TEXT_MAX,
                            "SID string longer than %d characters", SID_TEXT_MAX);
    toksim_sid sid;
    memset(&sid, 0, sizeof sid);
    size_t pos = 0;
    if (len < 2 || (text[0] != 'S' && text[0] != 's') || text[1] != '-')
        return ts_error_set(err, TOKSIM_EPARSE, 0, "a SID starts with \"S-\"");
    pos = 2;
    uint64_t v;
    toksim_status rc = parse_decimal(&v, text, len, &pos, 255, "revision", err);
    if (rc)
        return rc;
    if (v != 1)
        return ts_error_set(err, TOKSIM_EPARSE, 2, "SID revision must be 1");
    sid.revision = 1;
    if (pos >= len || text[pos] != '-')
        return ts_error_set(err, TOKSIM_EPARSE, pos,
                            "expected '-' before the identifier authority");
    pos++;
    uint64_t auth = 0;
    if (pos + 1 < len && text[pos] == '0' &&
        (text[pos + 1] == 'x' || text[pos + 1] == 'X')) {
        /* MS-DTYP 2.4.2.1: an authority of 2^32 or more is written as 0x + 12 hex digits.
         */
        size_t start = pos;
        pos += 2;
        size_t digits = 0;
        int h;
        while (pos < len && (h = ts_hex_digit(text[pos])) >= 0) {
            if (++digits > 12)
                return ts_error_set(err, TOKSIM_EPARSE, start,
                                    "hex identifier authority longer than 12 digits");
            auth = (auth << 4) | (uint64_t)h;
            pos++;
        }
        if (digits == 0)
            return ts_error_set(err, TOKSIM_EPARSE, pos, "expected hex digits after 0x");
    } else {
        rc = parse_decimal(&auth, text, len, &pos, 0xFFFFFFFFu, "identifier authority",
                           err);
        if (rc)
            return rc;
    }
    for (int i = 0; i < 6; i++)
        sid.authority[5 - i] = (uint8_t)(auth >> (8 * i));
    while (pos < len) {
        if (text[pos] != '-')
            return ts_error_set(err, TOKSIM_EPARSE, pos,
                                "unexpected character '%c' in SID", text[pos]);
        if (sid.count == TOKSIM_SID_MAX_SUB)
            return ts_error_set(err, TOKSIM_ELIMIT, pos, "more than %d sub-authorities",
                                TOKSIM_SID_MAX_SUB);
        pos++;
        rc = parse_decimal(&v, text, len, &pos, 0xFFFFFFFFu, "sub-authority", err);
        if (rc)
            return rc;
        sid.sub[sid.count++] = (uint32_t)v;
    }
    *out = sid;
    return TOKSIM_OK;
}

toksim_status toksim_sid_parse(toksim_sid *out, const char *text, toksim_error *err)
{
    if (!text)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no SID given");
    size_t len = strnlen(text, SID_TEXT_MAX + 1);
    return toksim_sid_parse_n(out, text, len, err);
}

uint64_t toksim_sid_authority(const toksim_sid *sid)
{
    const uint8_t *b = sid->authority; /* big-endian, six bytes (spelt out: issue 11) */
    return ((uint64_t)b[0] << 40) | ((uint64_t)b[1] << 32) | ((uint64_t)b[2] << 24) |
           ((uint64_t)b[3] << 16) | ((uint64_t)b[4] << 8) | (uint64_t)b[5];
}

uint32_t toksim_sid_rid(const toksim_sid *sid)
{
    return sid->count ? sid->sub[sid->count - 1] : 0;
}

/* v in decimal at p (no terminator): the number of digits written (at most 20). */
static size_t put_decimal(char *p, uint64_t v)
{
    char d[20];
    size_t k = 0;
    do {
        d[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < k; i++)
        p[i] = d[k - 1 - i];
    return k;
}

size_t toksim_sid_format(char *buf, size_t n, const toksim_sid *sid)
{
    /* Written by hand, not with snprintf: traces and names format SIDs all the time
     * (issue 11). The longest SID takes 186 bytes, under TOKSIM_SID_STRING_MAX. */
    char tmp[TOKSIM_SID_STRING_MAX];
    size_t len = 0;
    uint64_t auth = toksim_sid_authority(sid);
    /* RtlConvertSidToUnicodeString: an authority of 2^32 or more is written in upper-case
     * hex without padding ("S-1-0x28651FE848-12-72-9-110" in its documentation). */
    if (auth >= ((uint64_t)1 << 32)) {
        len = (size_t)snprintf(tmp, sizeof tmp, "S-%u-0x%llX", sid->revision,
                               (unsigned long long)auth);
    } else {
        tmp[len++] = 'S';
        tmp[len++] = '-';
        len += put_decimal(tmp + len, sid->revision);
        tmp[len++] = '-';
        len += put_decimal(tmp + len, auth);
    }
    for (unsigned i = 0; i < sid->count && i < TOKSIM_SID_MAX_SUB; i++) {
        tmp[len++] = '-';
        len += put_decimal(tmp + len, sid->sub[i]);
    }
    if (n) {
        size_t c = len < n - 1 ? len : n - 1;
        memcpy(buf, tmp, c);
        buf[c] = '\0';
    }
    return len;
}

size_t toksim_sid_to_binary(uint8_t *buf, size_t n, const toksim_sid *sid)
{
    size_t need = 8 + 4 * (size_t)sid->count;
    if (n < need)
        return 0;
    buf[0] = sid->revision;
    buf[1] = sid->count;
    memcpy(buf + 2, sid->authority, 6);
    for (unsigned i = 0; i < sid->count; i++) {
        uint32_t s =
            sid->sub[i]; /* sub-authorities are little-endian (MS-DTYP 2.4.2.2) */
        buf[8 + 4 * i] = (uint8_t)s;
        buf[9 + 4 * i] = (uint8_t)(s >> 8);
        buf[10 + 4 * i] = (uint8_t)(s >> 16);
        buf[11 + 4 * i] = (uint8_t)(s >> 24);
    }
    return need;
}

toksim_status toksim_sid_from_binary(
    toksim_sid *out, const uint8_t *buf, size_t n, size_t *used, toksim_error *err)
{
    if (!out || !buf)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no SID bytes given");
    if (n < 8)
        return ts_error_set(err, TOKSIM_EPARSE, 0,
                            "binary SID needs at least 8 bytes, %zu given", n);
    if (buf[0] != 1)
        return ts_error_set(err, TOKSIM_EPARSE, 0, "binary SID revision %u, expected 1",
                            buf[0]);
    if (buf[1] > TOKSIM_SID_MAX_SUB)
        return ts_error_set(err, TOKSIM_ELIMIT, 1,
                            "binary SID claims %u sub-authorities (maximum %d)", buf[1],
                            TOKSIM_SID_MAX_SUB);
    size_t need = 8 + 4 * (size_t)buf[1];
    if (n < need)
        return ts_error_set(err, TOKSIM_EPARSE, n,
                            "binary SID truncated: %zu bytes, %zu needed", n, need);
    toksim_sid sid;
    memset(&sid, 0, sizeof sid);
    sid.revision = 1;
    sid.count = buf[1];
    memcpy(sid.authority, buf + 2, 6);
    for (unsigned i = 0; i < sid.count; i++)
        sid.sub[i] = (uint32_t)buf[8 + 4 * i] | (uint32_t)buf[9 + 4 * i] << 8 |
                     (uint32_t)buf[10 + 4 * i] << 16 | (uint32_t)buf[11 + 4 * i] << 24;
    *out = sid;
    if (used)
        *used = need;
    return TOKSIM_OK;
}

bool toksim_sid_equal(const toksim_sid *a, const toksim_sid *b)
{
    if (a->count != b->count || a->revision != b->revision ||
        memcmp(a->authority, b->authority, 6) != 0)
        return false;
    return memcmp(a->sub, b->sub, sizeof(uint32_t) * a->count) == 0;
}

int toksim_sid_compare(const toksim_sid *a, const toksim_sid *b)
{
    int c = memcmp(a->authority, b->authority, 6);
    if (c)
        return c < 0 ? -1 : 1;
    unsigned n = a->count < b->count ? a->count : b->count;
    for (unsigned i = 0; i < n; i++)
        if (a->sub[i] != b->sub[i])
            return a->sub[i] < b->sub[i] ? -1 : 1;
    return a->count == b->count ? 0 : (a->count < b->count ? -1 : 1);
}

uint32_t toksim_sid_hash(const toksim_sid *sid)
{
    /* FNV-1a over count, authority and the sub-authorities actually used. */
    uint32_t h = 2166136261u;
    h = (h ^ sid->count) * 16777619u;
    for (int i = 0; i < 6; i++)
        h = (h ^ sid->authority[i]) * 16777619u;
    for (unsigned i = 0; i < sid->count; i++) {
        uint32_t s = sid->sub[i];
        for (int k = 0; k < 4; k++, s >>= 8)
            h = (h ^ (s & 0xFF)) * 16777619u;
    }
    return h;
}

toksim_status
toksim_sid_make(toksim_sid *out, uint64_t authority, const uint32_t *subs, size_t count)
{
    if (!out || (count && !subs) || authority >= ((uint64_t)1 << 48))
        return TOKSIM_EINVAL;
    if (count > TOKSIM_SID_MAX_SUB)
        return TOKSIM_ELIMIT;
    memset(out, 0, sizeof *out);
    out->revision = 1;
    out->count = (uint8_t)count;
    for (int i = 0; i < 6; i++)
        out->authority[5 - i] = (uint8_t)(authority >> (8 * i));
    for (size_t i = 0; i < count; i++)
        out->sub[i] = subs[i];
    return TOKSIM_OK;
}

toksim_status toksim_sid_append(toksim_sid *out, const toksim_sid *base, uint32_t rid)
{
    if (!out || !base)
        return TOKSIM_EINVAL;
    if (base->count >= TOKSIM_SID_MAX_SUB)
        return TOKSIM_ELIMIT;
    toksim_sid s = *base;
    s.sub[s.count++] = rid;
    *out = s;
    return TOKSIM_OK;
}
