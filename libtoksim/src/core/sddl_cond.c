/*
 * PURPOSE: conditional ACE expressions (MS-DTYP 2.4.4.17; "Security Descriptor Definition
 * Language for Conditional ACEs" on Microsoft Learn): SDDL text <-> the "artx" binary
 * form that callback ACEs carry as application data.
 *
 * The binary form is a reverse-Polish token stream after the 4-byte signature "artx",
 * padded with zero bytes to a multiple of 4. Token bytes (MS-DTYP 2.4.4.17.4-.8):
 * 0x01-0x04 integers (8-byte value, sign byte 1 '+' / 2 '-' / 3 none, base byte 1 octal /
 * 2 decimal / 3 hex), 0x10 UTF-16 string, 0x18 octet string, 0x50 composite, 0x51 SID
 * (each with a 4-byte byte length), 0xF8-0xFB local/user/resource/device attribute names,
 * 0x80-0x93 relational and membership operators, 0xA0 &&, 0xA1 ||, 0xA2 !. Checked
 * against binary ACEs Windows produced, recorded by Samba
 * (libcli/security/tests/windows/conditional_aces.txt.json): e.g. (@User.Title == "PM")
 * is "artx" F9 "Title" 10 "PM" 80 00 00 00, and Member_of{SID(AA)} stores a composite of
 * one SID.
 *
 * This file compiles text; sddl_cond_text.c writes the bytes back as text.
 * Left out: "%" escapes in attribute names, and claim-type checking of operands (Windows
 * rejects some operand mixes at run time).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sddl_int.h"

/* Operators by spelling (case-insensitive); kind 2 = binary relational, 1 = unary prefix.
 */
const ts_cond_op ts_cond_ops[] = {
    {"==", 0x80, 2},
    {"!=", 0x81, 2},
    {"<=", 0x83, 2},
    {">=", 0x85, 2},
    {"<", 0x82, 2},
    {">", 0x84, 2},
    {"Contains", 0x86, 2},
    {"Any_of", 0x88, 2},
    {"Not_Contains", 0x8E, 2},
    {"Not_Any_of", 0x8F, 2},
    {"Exists", 0x87, 1},
    {"Not_Exists", 0x8D, 1},
    {"Member_of", 0x89, 1},
    {"Device_Member_of", 0x8A, 1},
    {"Member_of_Any", 0x8B, 1},
    {"Device_Member_of_Any", 0x8C, 1},
    {"Not_Member_of", 0x90, 1},
    {"Not_Device_Member_of", 0x91, 1},
    {"Not_Member_of_Any", 0x92, 1},
    {"Not_Device_Member_of_Any", 0x93, 1},
};
const size_t ts_cond_nops = sizeof ts_cond_ops / sizeof ts_cond_ops[0];

bool ts_cond_name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '_' || ch == ':' || ch == '.' || ch == '/';
}

/* ---- compiling ---- */

typedef struct comp {
    const char *s;
    size_t len, pos, base;
    uint8_t *out;
    size_t n, cap;
    int depth;
    toksim_error *err;
} comp;

static toksim_status cerr(comp *c, size_t at, const char *msg, const char *detail)
{
    return ts_error_set(c->err, TOKSIM_EPARSE, c->base + at, "%s%s", msg,
                        detail ? detail : "");
}

static bool emit(comp *c, const void *p, size_t n)
{
    if (c->n + n > COND_MAX_BYTES)
        return false;
    if (!ts_grow((void **)&c->out, &c->cap, c->n + n, 1))
        return false;
    memcpy(c->out + c->n, p, n);
    c->n += n;
    return true;
}

static bool emit_u8(comp *c, uint8_t b)
{
    return emit(c, &b, 1);
}

static bool emit_u32(comp *c, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 24)};
    return emit(c, b, 4);
}

static void ws(comp *c)
{
    while (c->pos < c->len && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t' ||
                               c->s[c->pos] == '\r' || c->s[c->pos] == '\n'))
        c->pos++;
}

/* Case-insensitive keyword at pos, not followed by a name character. */
static bool keyword(const comp *c, const char *kw)
{
    size_t n = strlen(kw);
    if (c->len - c->pos < n || ts_strncasecmp(c->s + c->pos, kw, n) != 0)
        return false;
    bool alpha = (kw[0] >= 'A' && kw[0] <= 'Z') || (kw[0] >= 'a' && kw[0] <= 'z');
    return !alpha || c->pos + n >= c->len || !ts_cond_name_char(c->s[c->pos + n]);
}

/* UTF-8 text -> UTF-16LE, emitted with a 4-byte byte length in front. */
static toksim_status emit_utf16(comp *c, size_t a, size_t b)
{
    size_t len_at = c->n;
    if (!emit_u32(c, 0))
        return TOKSIM_ELIMIT;
    for (size_t i = a; i < b;) {
        uint32_t cp;
        size_t k;
        switch (ts_utf8_decode(c->s + i, b - i, &cp, &k)) {
        case TS_UTF8_OK:
            break;
        case TS_UTF8_TRUNCATED:
            return cerr(c, i, "truncated UTF-8 sequence", NULL);
        case TS_UTF8_BAD_CODE_POINT:
            return cerr(c, i, "invalid Unicode code point", NULL);
        case TS_UTF8_OVERLONG:
            return cerr(c, i, "overlong UTF-8 sequence", NULL);
        case TS_UTF8_BAD_CONTINUATION:
        case TS_UTF8_BAD_LEAD:
        default:
            return cerr(c, i + k, "invalid UTF-8 in a name or string", NULL);
        }
        uint8_t u[4];
        if (!emit(c, u, ts_utf16le_encode(u, cp)))
            return TOKSIM_ELIMIT;
        i += k;
    }
    uint32_t bytes = (uint32_t)(c->n - len_at - 4);
    for (int i = 0; i < 4; i++)
        c->out[len_at + (size_t)i] = (uint8_t)(bytes >> (8 * i));
    return TOKSIM_OK;
}

static toksim_status limit(comp *c)
{
    return ts_error_set(c->err, TOKSIM_ELIMIT, c->base + c->pos,
                        "condition compiles to more than %u bytes", COND_MAX_BYTES);
}

/* An attribute reference at pos: @User.x, @Device.x, @Resource.x or a local name. */
static toksim_status attribute(comp *c, bool *found)
{
    static const struct {
        const char *prefix;
        uint8_t token;
    } pre[] = {{"@User.", TK_USER}, {"@Device.", TK_DEVICE}, {"@Resource.", TK_RESOURCE}};
    *found = false;
    uint8_t tok = TK_LOCAL;
    size_t start = c->pos;
    if (c->pos < c->len && c->s[c->pos] == '@') {
        size_t k;
        for (k = 0; k < 3; k++) {
            size_t n = strlen(pre[k].prefix);
            if (c->len - c->pos >= n &&
                ts_strncasecmp(c->s + c->pos, pre[k].prefix, n) == 0) {
                tok = pre[k].token;
                c->pos += n;
                break;
            }
        }
        if (k == 3)
            return cerr(
                c, c->pos,
                "expected @User., @Device. or @Resource. before an attribute name", NULL);
    } else if (c->pos >= c->len || !(ts_cond_name_char(c->s[c->pos]) &&
                                     !(c->s[c->pos] >= '0' && c->s[c->pos] <= '9'))) {
        return TOKSIM_OK;
    }
    size_t a = c->pos;
    while (c->pos < c->len && ts_cond_name_char(c->s[c->pos]))
        c->pos++;
    if (a == c->pos)
        return cerr(c, a, "expected an attribute name", NULL);
    if (!emit_u8(c, tok))
        return limit(c);
    toksim_status rc = emit_utf16(c, a, c->pos);
    if (rc)
        return rc == TOKSIM_ELIMIT ? limit(c) : rc;
    (void)start;
    *found = true;
    return TOKSIM_OK;
}

static toksim_status value(comp *c);

static toksim_status sid_literal(comp *c)
{
    /* SID(BA) or SID(S-1-5-32-544) */
    size_t open = c->pos;
    c->pos += 3;
    ws(c);
    if (c->pos >= c->len || c->s[c->pos] != '(')
        return cerr(c, c->pos, "expected '(' after SID", NULL);
    c->pos++;
    ws(c);
    size_t a = c->pos;
    while (c->pos < c->len && c->s[c->pos] != ')' && c->s[c->pos] != ' ')
        c->pos++;
    size_t b = c->pos;
    ws(c);
    if (c->pos >= c->len || c->s[c->pos] != ')')
        return cerr(c, open, "SID( is not closed", NULL);
    c->pos++;
    toksim_sid sid;
    toksim_status rc;
    if (b - a == 2) {
        char al[3] = {c->s[a], c->s[a + 1], '\0'};
        for (int i = 0; i < 2; i++)
            if (al[i] >= 'a' && al[i] <= 'z')
                al[i] = (char)(al[i] - 'a' + 'A');
        const toksim_wellknown *w = toksim_wellknown_by_alias(al);
        if (!w)
            return ts_error_set(c->err, TOKSIM_ENOTFOUND, c->base + a,
                                "unknown SID alias '%s' in SID()", al);
        if (w->flags & (TOKSIM_WK_DOMAIN_RELATIVE | TOKSIM_WK_MACHINE_RELATIVE))
            return ts_error_set(c->err, TOKSIM_EUNSUPPORTED, c->base + a,
                                "domain/machine-relative alias '%s' inside a condition: "
                                "write the numeric SID",
                                al);
        rc = toksim_sid_parse(&sid, w->sid, NULL);
    } else {
        rc = toksim_sid_parse_n(&sid, c->s + a, b - a, c->err);
        if (rc && c->err)
            c->err->offset += c->base + a;
    }
    if (rc)
        return rc;
    uint8_t bin[TOKSIM_SID_BINARY_MAX];
    size_t n = toksim_sid_to_binary(bin, sizeof bin, &sid);
    if (!emit_u8(c, TK_SID) || !emit_u32(c, (uint32_t)n) || !emit(c, bin, n))
        return limit(c);
    return TOKSIM_OK;
}

static toksim_status int_literal(comp *c)
{
    size_t a = c->pos;
    uint8_t sign = 3, base = 2;
    if (c->s[c->pos] == '+' || c->s[c->pos] == '-') {
        sign = c->s[c->pos] == '+' ? 1 : 2;
        c->pos++;
    }
    unsigned radix = 10;
    if (c->pos + 1 < c->len && c->s[c->pos] == '0' &&
        (c->s[c->pos + 1] == 'x' || c->s[c->pos + 1] == 'X')) {
        radix = 16;
        base = 3;
        c->pos += 2;
    } else if (c->pos + 1 < c->len && c->s[c->pos] == '0' && c->s[c->pos + 1] >= '0' &&
               c->s[c->pos + 1] <= '9') {
        radix = 8;
        base = 1;
    }
    uint64_t v = 0;
    size_t digits = 0;
    for (; c->pos < c->len; c->pos++, digits++) {
        char ch = c->s[c->pos];
        unsigned d;
        if (ch >= '0' && ch <= '9')
            d = (unsigned)(ch - '0');
        else if (radix == 16 && ch >= 'a' && ch <= 'f')
            d = (unsigned)(ch - 'a' + 10);
        else if (radix == 16 && ch >= 'A' && ch <= 'F')
            d = (unsigned)(ch - 'A' + 10);
        else
            break;
        if (d >= radix)
            return cerr(c, c->pos, "digit not valid for the number's base", NULL);
        if (v > (UINT64_MAX - d) / radix)
            return cerr(c, a, "integer literal does not fit in 64 bits", NULL);
        v = v * radix + d;
    }
    if (!digits)
        return cerr(c, c->pos, "expected digits", NULL);
    if (v > (uint64_t)INT64_MAX + (sign == 2 ? 1u : 0u))
        return cerr(c, a, "integer literal does not fit in a signed 64-bit value", NULL);
    uint64_t stored = sign == 2 ? (uint64_t)0 - v : v;
    uint8_t b[10];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(stored >> (8 * i));
    b[8] = sign;
    b[9] = base;
    if (!emit_u8(c, TK_INT64) || !emit(c, b, 10))
        return limit(c);
    return TOKSIM_OK;
}

static toksim_status value(comp *c)
{
    ws(c);
    if (c->pos >= c->len)
        return cerr(c, c->pos, "expected a value", NULL);
    char ch = c->s[c->pos];
    if (++c->depth > COND_MAX_DEPTH)
        return ts_error_set(c->err, TOKSIM_ELIMIT, c->base + c->pos,
                            "condition nested deeper than %d", COND_MAX_DEPTH);
    toksim_status rc = TOKSIM_OK;
    if (ch == '"') {
        size_t a = ++c->pos;
        while (c->pos < c->len && c->s[c->pos] != '"')
            c->pos++;
        if (c->pos >= c->len)
            return cerr(c, a - 1, "string literal is not closed", NULL);
        if (!emit_u8(c, TK_UNICODE))
            return limit(c);
        rc = emit_utf16(c, a, c->pos);
        if (rc)
            return rc == TOKSIM_ELIMIT ? limit(c) : rc;
        c->pos++;
    } else if (ch == '#') {
        /* Windows reads a '#' among the digits as 0: "##1#2#3##" is 01 02 03 00 (Samba's
         * conditional_aces.txt.json, recorded on Windows) */
        size_t a = ++c->pos;
        while (c->pos < c->len &&
               ((c->s[c->pos] >= '0' && c->s[c->pos] <= '9') || c->s[c->pos] == '#' ||
                ((c->s[c->pos] | 0x20) >= 'a' && (c->s[c->pos] | 0x20) <= 'f')))
            c->pos++;
        if ((c->pos - a) % 2)
            return cerr(c, a, "octet string needs an even number of hex digits", NULL);
        if (!emit_u8(c, TK_OCTETS) || !emit_u32(c, (uint32_t)((c->pos - a) / 2)))
            return limit(c);
        for (size_t i = a; i < c->pos; i += 2) {
            char h[3] = {c->s[i] == '#' ? '0' : c->s[i],
                         c->s[i + 1] == '#' ? '0' : c->s[i + 1], '\0'};
            if (!emit_u8(c, (uint8_t)strtoul(h, NULL, 16)))
                return limit(c);
        }
    } else if (ch == '{') {
        c->pos++;
        if (!emit_u8(c, TK_COMPOSITE))
            return limit(c);
        size_t len_at = c->n;
        if (!emit_u32(c, 0))
            return limit(c);
        ws(c);
        if (c->pos < c->len && c->s[c->pos] == '}') {
            c->pos++;
        } else {
            for (;;) {
                if ((rc = value(c)))
                    return rc;
                ws(c);
                if (c->pos < c->len && c->s[c->pos] == ',') {
                    c->pos++;
                    continue;
                }
                if (c->pos < c->len && c->s[c->pos] == '}') {
                    c->pos++;
                    break;
                }
                return cerr(c, c->pos, "expected ',' or '}' in a {...} list", NULL);
            }
        }
        uint32_t bytes = (uint32_t)(c->n - len_at - 4);
        for (int i = 0; i < 4; i++)
            c->out[len_at + (size_t)i] = (uint8_t)(bytes >> (8 * i));
    } else if ((ch >= '0' && ch <= '9') || ch == '-' || ch == '+') {
        rc = int_literal(c);
    } else if (keyword(c, "SID") && c->pos + 3 < c->len) {
        rc = sid_literal(c);
    } else {
        bool found;
        if ((rc = attribute(c, &found)))
            return rc;
        if (!found)
            return cerr(c, c->pos,
                        "expected a value: number, \"string\", SID(...), #hex, {list} or "
                        "attribute",
                        NULL);
    }
    c->depth--;
    return rc;
}

static toksim_status or_expr(comp *c);

static toksim_status primary(comp *c)
{
    ws(c);
    if (c->pos >= c->len)
        return cerr(c, c->pos, "expected an expression", NULL);
    if (++c->depth > COND_MAX_DEPTH)
        return ts_error_set(c->err, TOKSIM_ELIMIT, c->base + c->pos,
                            "condition nested deeper than %d", COND_MAX_DEPTH);
    toksim_status rc;
    if (c->s[c->pos] == '!' && !(c->pos + 1 < c->len && c->s[c->pos + 1] == '=')) {
        c->pos++;
        if ((rc = primary(c)))
            return rc;
        if (!emit_u8(c, TK_NOT))
            return limit(c);
    } else if (c->s[c->pos] == '(') {
        size_t open = c->pos++;
        if ((rc = or_expr(c)))
            return rc;
        ws(c);
        if (c->pos >= c->len || c->s[c->pos] != ')')
            return cerr(c, open, "'(' is not closed", NULL);
        c->pos++;
    } else {
        /* unary operators: longest keyword first so Member_of_Any wins over Member_of */
        size_t best = ts_cond_nops, best_len = 0;
        for (size_t i = 0; i < ts_cond_nops; i++)
            if (ts_cond_ops[i].kind == 1 && keyword(c, ts_cond_ops[i].text) &&
                strlen(ts_cond_ops[i].text) > best_len) {
                best = i;
                best_len = strlen(ts_cond_ops[i].text);
            }
        if (best < ts_cond_nops) {
            c->pos += best_len;
            ws(c);
            /* Windows accepts the operand in parentheses: Member_of(SID(S-1-1-0)) is
             * Member_of SID(S-1-1-0) (Samba's conditional_aces.txt.json) */
            bool paren = c->pos < c->len && c->s[c->pos] == '(';
            size_t open = c->pos;
            if (paren)
                c->pos++;
            if ((rc = value(c)))
                return rc;
            ws(c);
            if (paren && (c->pos >= c->len || c->s[c->pos] != ')'))
                return cerr(c, open, "'(' is not closed", NULL);
            if (paren)
                c->pos++;
            if (!emit_u8(c, ts_cond_ops[best].token))
                return limit(c);
        } else {
            bool found;
            size_t at = c->pos;
            if ((rc = attribute(c, &found)))
                return rc;
            if (!found)
                return cerr(c, at, "expected an attribute, '(', '!', Exists or Member_of",
                            NULL);
            ws(c);
            for (size_t i = 0; i < ts_cond_nops; i++) {
                if (ts_cond_ops[i].kind != 2 || !keyword(c, ts_cond_ops[i].text))
                    continue;
                c->pos += strlen(ts_cond_ops[i].text);
                if ((rc = value(c)))
                    return rc;
                if (!emit_u8(c, ts_cond_ops[i].token))
                    return limit(c);
                break;
            }
        }
    }
    c->depth--;
    return TOKSIM_OK;
}

static toksim_status and_expr(comp *c)
{
    toksim_status rc = primary(c);
    for (;;) {
        if (rc)
            return rc;
        ws(c);
        if (!keyword(c, "&&"))
            return TOKSIM_OK;
        c->pos += 2;
        rc = primary(c);
        if (!rc && !emit_u8(c, TK_AND))
            return limit(c);
    }
}

static toksim_status or_expr(comp *c)
{
    toksim_status rc = and_expr(c);
    for (;;) {
        if (rc)
            return rc;
        ws(c);
        if (!keyword(c, "||"))
            return TOKSIM_OK;
        c->pos += 2;
        rc = and_expr(c);
        if (!rc && !emit_u8(c, TK_OR))
            return limit(c);
    }
}

toksim_status ts_cond_compile(uint8_t **out,
                              size_t *len,
                              const char *text,
                              size_t text_len,
                              size_t base,
                              toksim_error *err)
{
    comp c = {text, text_len, 0, base, NULL, 0, 0, 0, err};
    toksim_status rc = TOKSIM_OK;
    if (!emit(&c, "artx", 4))
        rc = TOKSIM_ENOMEM;
    if (!rc)
        rc = or_expr(&c);
    if (!rc) {
        ws(&c);
        if (c.pos < c.len)
            rc = cerr(&c, c.pos,
                      "unexpected text after the condition: expected && or || or the end",
                      NULL);
    }
    while (!rc && c.n % 4)
        if (!emit_u8(&c, 0))
            rc = limit(&c);
    if (rc) {
        free(c.out);
        return rc;
    }
    *out = c.out;
    *len = c.n;
    return TOKSIM_OK;
}
