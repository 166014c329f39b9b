/*
 * PURPOSE: resource attributes of RA ACEs (SYSTEM_RESOURCE_ATTRIBUTE_ACE,
 * MS-DTYP 2.4.4.15) between their SDDL text ("Name",TYPE,flags,value,...) and the
 * CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 bytes (MS-DTYP 2.4.10.1) the ACE carries after its
 * SID.
 *
 * Layout, checked against Windows-produced bytes recorded by Samba
 * (libcli/security/tests/windows/conditional_aces.txt.json): Name offset (4), ValueType
 * (2), Reserved (2), Flags (4), ValueCount (4), one 4-byte offset per value, then the
 * NUL-terminated UTF-16 name, then the values in order; offsets count from the start of
 * the structure.
 * ("colour",TS,0,"blue") -> 14000000 0300 0000 00000000 01000000 22000000 "colour\0"
 * "blue\0". Types: TI int64 (1), TU uint64 (2), TS string (3), TD SID (5, as {length,
 * bytes}), TB boolean (6), TX octet string (0x10, as {length, bytes}). The text spelling
 * of TD and TX values (SID(...) / #hex) and of non-zero flags (0x..) on output is
 * UNCONFIRMED; integer values are placed without alignment padding (UNCONFIRMED for
 * Windows).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sddl_int.h"

#define CLAIM_MAX_VALUES 1024

static const struct {
    const char *text;
    uint16_t type;
} claim_types[] = {{"TI", 1}, {"TU", 2}, {"TS", 3}, {"TD", 5}, {"TB", 6}, {"TX", 0x10}};

typedef struct cbuf {
    uint8_t *d;
    size_t n, cap;
    bool failed;
} cbuf;

static void put(cbuf *b, const void *p, size_t n)
{
    if (b->failed || b->n + n > 0xFFF0 ||
        !ts_grow((void **)&b->d, &b->cap, b->n + n, 1)) {
        b->failed = true;
        return;
    }
    memcpy(b->d + b->n, p, n);
    b->n += n;
}

static void put32(cbuf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 24)};
    put(b, x, 4);
}

static void set32(cbuf *b, size_t at, uint32_t v)
{
    if (b->failed)
        return;
    for (int i = 0; i < 4; i++)
        b->d[at + (size_t)i] = (uint8_t)(v >> (8 * i));
}

/* Plain ASCII/UTF-8 -> UTF-16LE + NUL (surrogates for 4-byte sequences). */
static bool put_utf16z(cbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k;
        if (ts_utf8_decode(s + i, n - i, &cp, &k) != TS_UTF8_OK || cp == 0)
            return false;
        uint8_t u[4];
        put(b, u, ts_utf16le_encode(u, cp));
        i += k;
    }
    uint8_t z[2] = {0, 0};
    put(b, z, 2);
    return !b->failed;
}

typedef struct tok {
    size_t a, b; /* trimmed span */
} tok;

/* Split text on commas outside double quotes and parentheses. */
static size_t split(const char *s, size_t n, tok *out, size_t max, bool *overflow)
{
    size_t count = 0, start = 0;
    int depth = 0;
    bool quoted = false;
    *overflow = false;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] == '"')
            quoted = !quoted;
        else if (i < n && !quoted && s[i] == '(')
            depth++;
        else if (i < n && !quoted && s[i] == ')')
            depth--;
        if (i == n || (!quoted && depth == 0 && s[i] == ',')) {
            if (count == max) {
                *overflow = true;
                return count;
            }
            size_t a = start, b = i;
            while (a < b && ts_is_ws(s[a]))
                a++;
            while (b > a && ts_is_ws(s[b - 1]))
                b--;
            out[count].a = a;
            out[count].b = b;
            count++;
            start = i + 1;
        }
    }
    return count;
}

static toksim_status parse_u64(uint64_t *v,
                               bool *neg,
                               const char *s,
                               size_t a,
                               size_t b,
                               size_t base,
                               toksim_error *err)
{
    *neg = false;
    if (a < b && (s[a] == '-' || s[a] == '+')) {
        *neg = s[a] == '-';
        a++;
    }
    unsigned radix = 10;
    if (b - a > 2 && s[a] == '0' && (s[a + 1] == 'x' || s[a + 1] == 'X')) {
        radix = 16;
        a += 2;
    } else if (b - a > 1 && s[a] == '0') {
        radix = 8;
    }
    if (a == b)
        return ts_error_set(err, TOKSIM_EPARSE, base + a, "expected a number");
    uint64_t x = 0;
    for (size_t i = a; i < b; i++) {
        char c = s[i];
        unsigned d = (c >= '0' && c <= '9')   ? (unsigned)(c - '0')
                     : (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10)
                     : (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10)
                                              : 99u;
        if (d >= radix)
            return ts_error_set(err, TOKSIM_EPARSE, base + i,
                                "unexpected '%c' in a number", c);
        if (x > (UINT64_MAX - d) / radix)
            return ts_error_set(err, TOKSIM_EPARSE, base + a,
                                "number does not fit in 64 bits");
        x = x * radix + d;
    }
    *v = x;
    return TOKSIM_OK;
}

toksim_status ts_claim_compile(
    uint8_t **out, size_t *len, const char *s, size_t n, size_t base, toksim_error *err)
{
    tok *t = ts_calloc(CLAIM_MAX_VALUES + 3, sizeof *t);
    if (!t)
        return TOKSIM_ENOMEM;
    bool overflow;
    size_t count = split(s, n, t, CLAIM_MAX_VALUES + 3, &overflow);
    toksim_status rc = TOKSIM_OK;
    cbuf b = {0};
    uint16_t type = 0;
    uint64_t flags = 0;
    bool neg;
    if (overflow)
        rc =
            ts_error_set(err, TOKSIM_ELIMIT, base,
                         "more than %d values in a resource attribute", CLAIM_MAX_VALUES);
    else if (count < 4)
        rc = ts_error_set(err, TOKSIM_EPARSE, base + n,
                          "a resource attribute is "
                          "(\"Name\",TYPE,flags,value[,value...]): too few fields");
    if (!rc && (t[0].b - t[0].a < 2 || s[t[0].a] != '"' || s[t[0].b - 1] != '"'))
        rc = ts_error_set(err, TOKSIM_EPARSE, base + t[0].a,
                          "expected the attribute name in double quotes");
    if (!rc) {
        size_t k;
        for (k = 0; k < sizeof claim_types / sizeof claim_types[0]; k++)
            if (t[1].b - t[1].a == 2 &&
                ts_strncasecmp(s + t[1].a, claim_types[k].text, 2) == 0)
                break;
        if (k == sizeof claim_types / sizeof claim_types[0])
            rc = ts_error_set(err, TOKSIM_EPARSE, base + t[1].a,
                              "expected a value type: TI, TU, TS, TD, TB or TX");
        else
            type = claim_types[k].type;
    }
    if (!rc && !(rc = parse_u64(&flags, &neg, s, t[2].a, t[2].b, base, err)) &&
        (neg || flags > 0xFFFFFFFFu))
        rc = ts_error_set(err, TOKSIM_EPARSE, base + t[2].a,
                          "flags must be a 32-bit unsigned number");
    size_t nvals = count - 3;
    if (!rc) {
        put32(&b, 0); /* name offset, set below */
        uint8_t th[4] = {(uint8_t)type, (uint8_t)(type >> 8), 0, 0};
        put(&b, th, 4);
        put32(&b, (uint32_t)flags);
        put32(&b, (uint32_t)nvals);
        for (size_t i = 0; i < nvals; i++)
            put32(&b, 0);
        set32(&b, 0, (uint32_t)b.n);
        if (!put_utf16z(&b, s + t[0].a + 1, t[0].b - t[0].a - 2))
            rc = ts_error_set(err, TOKSIM_EPARSE, base + t[0].a,
                              "attribute name is not valid UTF-8");
    }
    for (size_t i = 0; i < nvals && !rc; i++) {
        const tok *v = &t[3 + i];
        set32(&b, 16 + 4 * i, (uint32_t)b.n);
        if (type == 3) {
            if (v->b - v->a < 2 || s[v->a] != '"' || s[v->b - 1] != '"' ||
                !put_utf16z(&b, s + v->a + 1, v->b - v->a - 2))
                rc = ts_error_set(err, TOKSIM_EPARSE, base + v->a,
                                  "expected a \"string\" value");
        } else if (type == 1 || type == 2 || type == 6) {
            uint64_t x;
            if ((rc = parse_u64(&x, &neg, s, v->a, v->b, base, err)))
                break;
            if ((type != 1 && neg) ||
                (type == 1 && x > (uint64_t)INT64_MAX + (neg ? 1u : 0u)) ||
                (type == 6 && x > 1)) {
                rc = ts_error_set(err, TOKSIM_EPARSE, base + v->a,
                                  "value out of range for %s",
                                  type == 1   ? "TI"
                                  : type == 2 ? "TU"
                                              : "TB (0 or 1)");
                break;
            }
            if (neg)
                x = (uint64_t)0 - x;
            uint8_t q[8];
            for (int k = 0; k < 8; k++)
                q[k] = (uint8_t)(x >> (8 * k));
            put(&b, q, 8);
        } else if (type == 5) {
            size_t a = v->a, e = v->b;
            if (e - a > 5 && ts_strncasecmp(s + a, "SID(", 4) == 0 && s[e - 1] == ')') {
                a += 4;
                e--;
            }
            toksim_sid sid;
            const toksim_wellknown *w = NULL;
            if (e - a == 2) {
                char al[3] = {s[a], s[a + 1], '\0'};
                w = toksim_wellknown_by_alias(al);
            }
            if (w &&
                !(w->flags & (TOKSIM_WK_DOMAIN_RELATIVE | TOKSIM_WK_MACHINE_RELATIVE)))
                rc = toksim_sid_parse(&sid, w->sid, err);
            else if ((rc = toksim_sid_parse_n(&sid, s + a, e - a, err)) && err)
                err->offset += base + a;
            if (rc)
                break;
            uint8_t bin[TOKSIM_SID_BINARY_MAX];
            size_t sl = toksim_sid_to_binary(bin, sizeof bin, &sid);
            put32(&b, (uint32_t)sl);
            put(&b, bin, sl);
        } else { /* TX: #hex or hex */
            size_t a = v->a + (v->a < v->b && s[v->a] == '#');
            if ((v->b - a) % 2) {
                rc = ts_error_set(err, TOKSIM_EPARSE, base + a,
                                  "octet value needs an even number of hex digits");
                break;
            }
            put32(&b, (uint32_t)((v->b - a) / 2));
            for (size_t k = a; k < v->b && !rc; k += 2) {
                char h[3] = {s[k], s[k + 1], '\0'};
                char *end;
                unsigned long x = strtoul(h, &end, 16);
                /* two hex digits: strtoul alone would take a sign or a space ("-1" was
                 * 0xFF) */
                if (*end || !isxdigit((unsigned char)h[0]) ||
                    !isxdigit((unsigned char)h[1]))
                    rc = ts_error_set(err, TOKSIM_EPARSE, base + k,
                                      "expected hex digits in an octet value");
                uint8_t by = (uint8_t)x;
                put(&b, &by, 1);
            }
        }
    }
    while (!rc && b.n % 4) {
        uint8_t z = 0;
        put(&b, &z, 1);
    }
    if (!rc && b.failed)
        rc = ts_error_set(err, TOKSIM_ELIMIT, base,
                          "resource attribute larger than 64 KiB");
    free(t);
    if (rc) {
        free(b.d);
        return rc;
    }
    *out = b.d;
    *len = b.n;
    return TOKSIM_OK;
}

/* NUL-terminated UTF-16 at off -> UTF-8 (quoted=true rejects '"'); false when malformed.
 */
static bool get_utf16z(ts_buf *o, const uint8_t *p, size_t len, size_t off)
{
    for (size_t i = off;;) {
        uint32_t u;
        size_t used = i < len ? ts_utf16le_decode(p + i, len - i, &u) : 0;
        if (!used)
            return false;
        if (u == 0)
            return true;
        if (u == '"')
            return false;
        char c[4];
        ts_buf_appendn(o, c, ts_utf8_encode(c, u));
        i += used;
    }
}

toksim_status
ts_claim_decompile(char **out, const uint8_t *p, size_t len, toksim_error *err)
{
    if (len < 16)
        return ts_error_set(err, TOKSIM_EUNSUPPORTED, 0,
                            "resource attribute shorter than its 16-byte header");
    uint32_t name = ts_rd32le(p), flags = ts_rd32le(p + 8), count = ts_rd32le(p + 12);
    uint16_t type = (uint16_t)(p[4] | p[5] << 8);
    const char *tt = NULL;
    for (size_t k = 0; k < sizeof claim_types / sizeof claim_types[0]; k++)
        if (claim_types[k].type == type)
            tt = claim_types[k].text;
    if (!tt)
        return ts_error_set(err, TOKSIM_EUNSUPPORTED, 4,
                            "resource attribute value type 0x%x has no SDDL letters",
                            type);
    if (count == 0 || count > CLAIM_MAX_VALUES || 16 + 4 * (size_t)count > len)
        return ts_error_set(err, TOKSIM_EUNSUPPORTED, 12,
                            "resource attribute value count %u does not fit", count);
    ts_buf o = {0};
    ts_buf_append(&o, "\"");
    bool ok = name < len && get_utf16z(&o, p, len, name);
    ts_buf_printf(&o, "\",%s,%s", tt, "");
    if (flags)
        ts_buf_printf(&o, "0x%x", flags);
    else
        ts_buf_append(&o, "0");
    for (uint32_t i = 0; ok && i < count; i++) {
        uint32_t off = ts_rd32le(p + 16 + 4 * (size_t)i);
        ts_buf_append(&o, ",");
        if (off >= len) {
            ok = false;
        } else if (type == 3) {
            ts_buf_append(&o, "\"");
            ok = get_utf16z(&o, p, len, off);
            ts_buf_append(&o, "\"");
        } else if (type == 1 || type == 2 || type == 6) {
            if ((size_t)off + 8 > len) {
                ok = false;
                break;
            }
            uint64_t x = 0;
            for (int k = 7; k >= 0; k--)
                x = x << 8 | p[off + (size_t)k];
            if (type == 6 && x > 1) {
                ok = false; /* SDDL booleans are 0 or 1 */
                break;
            }
            if (type == 1 && (int64_t)x < 0)
                ts_buf_printf(&o, "-%llu", (unsigned long long)((uint64_t)0 - x));
            else
                ts_buf_printf(&o, "%llu", (unsigned long long)x);
        } else {
            if ((size_t)off + 4 > len || ts_rd32le(p + off) > len - off - 4) {
                ok = false;
                break;
            }
            uint32_t n = ts_rd32le(p + off);
            const uint8_t *q = p + off + 4;
            if (type == 5) {
                toksim_sid sid;
                size_t used = 0;
                char sbuf[TOKSIM_SID_STRING_MAX];
                if (toksim_sid_from_binary(&sid, q, n, &used, NULL) || used != n) {
                    ok = false;
                    break;
                }
                toksim_sid_format(sbuf, sizeof sbuf, &sid);
                ts_buf_printf(&o, "SID(%s)", sbuf);
            } else {
                ts_buf_append(&o, "#");
                for (uint32_t k = 0; k < n; k++)
                    ts_buf_printf(&o, "%02x", q[k]);
            }
        }
    }
    if (!ok) {
        ts_buf_dispose(&o);
        return ts_error_set(err, TOKSIM_EUNSUPPORTED, 0,
                            "resource attribute bytes are malformed");
    }
    char *s = ts_buf_take(&o);
    if (!s)
        return TOKSIM_ENOMEM;
    *out = s;
    return TOKSIM_OK;
}
