/*
 * PURPOSE: SDDL text -> toksim_sd (MS-DTYP 2.5.1; "Security Descriptor String Format" and
 * "ACE Strings" on Microsoft Learn), as
 * ConvertStringSecurityDescriptorToSecurityDescriptor reads it.
 *
 * Modelled: O: G: D: S: in any order, once each; ACL flags P AR AI and NO_ACCESS_CONTROL
 * (NULL ACL); "D:" with nothing after it = empty ACL; every ACE type and flag of
 * sddl_rights.inc; rights as aliases or hex/octal/decimal numbers; object GUIDs; the
 * trailing "(...)" section of callback/conditional and resource-attribute ACEs, kept
 * verbatim in sddl_extra; SIDs as S-1-... or two-letter aliases from the well-known table
 * (domain/machine-relative ones through ctx). Like Windows (Samba's recorded vectors):
 * letters are case-insensitive, spaces between tokens are ignored, "OA" without GUIDs
 * becomes "A" (ACE Strings, ace_type note). Deliberately not copied: Windows truncates
 * masks above 0xFFFFFFFF and accepts negative masks; toksim rejects both with a message.
 */
#include <stdlib.h>
#include <string.h>
#include "sddl_int.h"

typedef struct parser {
    const char *s;
    size_t len;
    size_t pos;
    const toksim_sid_context *ctx;
    toksim_error *err;
} parser;

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len && ts_is_ws(p->s[p->pos]))
        p->pos++;
}

/* Trim whitespace around [*start, *end). */
static void trim(const char *s, size_t *start, size_t *end)
{
    while (*start < *end && ts_is_ws(s[*start]))
        (*start)++;
    while (*end > *start && ts_is_ws(s[*end - 1]))
        (*end)--;
}

/* Any white space in s[a..b)? */
static bool ws_inside(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (ts_is_ws(s[i]))
            return true;
    return false;
}

static bool eq2(const char *t, const char *lit)
{
    return upper(t[0]) == lit[0] && upper(t[1]) == lit[1];
}

/* ---- rights ---- */

typedef struct right_row {
    const char *text;
    uint32_t value;
} right_row;

static const right_row rights_table[] = {
#define TS_SDDL_RIGHT_BIT(t, v)   {t, v},
#define TS_SDDL_RIGHT_SET(t, v)   {t, v},
#define TS_SDDL_RIGHT_LABEL(t, v) {t, v},
#include "sddl_rights.inc"
};

/* One number of a rights field at text[*pos..b), as Windows reads it (base detection: 0x
 * hex, leading 0 octal, else decimal); stops at the first character that is not a digit.
 * A sign: Windows reads the magnitude (clamped as below) and negates it modulo 2^32: -99
 * is 0xffffff9d, -9876543210 is 1 (Samba, windows_is_weird.txt). */
static toksim_status parse_mask_number(uint32_t *out,
                                       const char *text,
                                       size_t *pos,
                                       size_t b,
                                       size_t base,
                                       toksim_error *err)
{
    size_t a = *pos;
    bool neg = false;
    if (text[a] == '-' || text[a] == '+') {
        neg = text[a] == '-';
        a++;
    }
    size_t i = a;
    unsigned radix = 10;
    if (b - a > 1 && text[a] == '0' && (text[a + 1] == 'x' || text[a + 1] == 'X')) {
        radix = 16;
        i += 2;
        if (i == b || ts_hex_digit(text[i]) < 0)
            return ts_error_set(err, TOKSIM_EPARSE, base + i,
                                "expected hex digits after 0x");
    } else if (text[a] == '0') {
        radix = 8;
    }
    uint64_t v = 0;
    for (; i < b; i++) {
        char c = text[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (radix == 16 && ts_hex_digit(c) >= 0)
            d = (unsigned)(upper(c) - 'A' + 10);
        else
            break;
        if (d >= radix)
            return ts_error_set(err, TOKSIM_EPARSE, base + i,
                                "digit '%c' is not valid in a base-%u access mask", c,
                                radix);
        /* Windows clamps a mask above 32 bits to 0xffffffff (Samba,
         * windows_is_weird.txt: 0x123456789 and 10^23 both read as 0xffffffff). */
        v = v > 0xFFFFFFFFu ? v : v * radix + d;
        if (v > 0xFFFFFFFFu)
            v = 0x100000000ull;
    }
    if (v > 0xFFFFFFFFu)
        v = 0xFFFFFFFFu;
    if (neg)
        v = (uint32_t)(0u - (uint32_t)v);
    *out = (uint32_t)v;
    *pos = i;
    return TOKSIM_OK;
}

toksim_status ts_sddl_parse_rights_n(
    uint32_t *out, const char *text, size_t len, size_t base, toksim_error *err)
{
    size_t a = 0, b = len;
    trim(text, &a, &b);
    uint32_t mask = 0;
    if (a == b) {
        *out = 0;
        return TOKSIM_OK;
    }
    /* Numbers and letters may follow each other: Wine's
     * test_ConvertStringSecurityDescriptor asserts that Windows accepts "GR0xFFFFFFFF",
     * "0xFFFFFFFFGR" and "0xFFFFFGR". toksim ORs the parts (the resulting mask is
     * UNCONFIRMED: the test checks only success). */
    size_t i = a;
    while (i < b) {
        if (ts_is_ws(text[i])) {
            i++;
            continue;
        }
        bool signed_num = i == a && (text[i] == '-' || text[i] == '+') && i + 1 < b &&
                          text[i + 1] >= '0' && text[i + 1] <= '9';
        if (signed_num || (text[i] >= '0' && text[i] <= '9')) {
            uint32_t v = 0;
            toksim_status rc = parse_mask_number(&v, text, &i, b, base, err);
            if (rc)
                return rc;
            mask |= v;
            continue;
        }
        if (i + 1 >= b || !is_alpha(text[i]) || !is_alpha(text[i + 1]))
            return ts_error_set(err, TOKSIM_EPARSE, base + i,
                                "expected a two-letter right (GA, GR, FA, KR, RC, WD "
                                "...) or a 0x number");
        size_t k;
        for (k = 0; k < sizeof rights_table / sizeof rights_table[0]; k++)
            if (eq2(text + i, rights_table[k].text))
                break;
        if (k == sizeof rights_table / sizeof rights_table[0])
            return ts_error_set(err, TOKSIM_EPARSE, base + i, "unknown right '%.2s'",
                                text + i);
        mask |= rights_table[k].value;
        i += 2;
    }
    *out = mask;
    return TOKSIM_OK;
}

toksim_status toksim_sddl_parse_rights(uint32_t *out, const char *text, toksim_error *err)
{
    if (!out || !text)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no rights text given");
    size_t len = strnlen(text, 4097);
    if (len > 4096)
        return ts_error_set(err, TOKSIM_ELIMIT, 4096,
                            "rights text longer than 4096 characters");
    return ts_sddl_parse_rights_n(out, text, len, 0, err);
}

/* ---- GUIDs ---- */

bool ts_guid_parse(uint8_t out[16], const char *s, size_t len)
{
    /* UuidToString layout; the first three groups are little-endian in the binary GUID.
     */
    static const int pos[16] = {6,  4,  2,  0,  11, 9,  16, 14,
                                19, 21, 24, 26, 28, 30, 32, 34};
    if (len != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
        return false;
    for (size_t i = 0; i < 36; i++)
        if (i != 8 && i != 13 && i != 18 && i != 23 && ts_hex_digit(s[i]) < 0)
            return false;
    for (int i = 0; i < 16; i++)
        out[i] = (uint8_t)(ts_hex_digit(s[pos[i]]) << 4 | ts_hex_digit(s[pos[i] + 1]));
    return true;
}

/* ---- SIDs ---- */

/*
 * Numeric SIDs as ConvertStringSecurityDescriptorToSecurityDescriptor reads them, beyond
 * the strict ConvertStringSidToSid form, as recorded from Windows by Samba
 * (libcli/security/tests/windows/non_canonical.txt, windows_is_weird.txt,
 * windows_is_less_fussy.txt, should_fail.txt): each part is read like wcstoul (white
 * space before it skipped, "0x" for hex); a hex revision ("S-0x1-") makes every later
 * part hex ("S-0x1-20-0-579" is S-1-32-0-1401); a sub-authority above 32 bits is clamped
 * to 4294967295; an identifier authority may be decimal up to 48 bits, and one above 48
 * bits is refused; the revision must be 1.
 */
static toksim_status
sid_lenient(toksim_sid *out, const char *t, size_t n, toksim_error *err)
{
    uint64_t vals[TOKSIM_SID_MAX_SUB + 2];
    size_t count = 0, i = 2;
    bool hex_all = false;
    while (i <= n) {
        while (i < n && ts_is_ws(t[i]))
            i++;
        unsigned radix = hex_all ? 16 : 10;
        if (i + 1 < n && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X')) {
            radix = 16;
            i += 2;
            hex_all = hex_all || count == 0;
        }
        uint64_t v = 0;
        bool over = false;
        size_t digits = 0;
        for (; i < n && t[i] != '-'; i++, digits++) {
            char c = upper(t[i]);
            unsigned d = (c >= '0' && c <= '9')   ? (unsigned)(c - '0')
                         : (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10)
                                                  : 99u;
            if (d >= radix)
                return TOKSIM_EPARSE;
            if (!over && (v = v * radix + d) > 0xFFFFFFFFFFFFull)
                over = true;
        }
        if (!digits || count == TOKSIM_SID_MAX_SUB + 2)
            return TOKSIM_EPARSE;
        if ((count == 0 && (over || v != 1)) || (count == 1 && over))
            return TOKSIM_EPARSE;
        if (count >= 2 && (over || v > 0xFFFFFFFFu))
            v = 0xFFFFFFFFu; /* clamped */
        vals[count++] = v;
        i++;
    }
    if (count < 2)
        return TOKSIM_EPARSE;
    uint32_t subs[TOKSIM_SID_MAX_SUB];
    for (size_t k = 2; k < count; k++)
        subs[k - 2] = (uint32_t)vals[k];
    toksim_status rc = toksim_sid_make(out, vals[1], subs, count - 2);
    if (rc == TOKSIM_OK && err)
        toksim_error_clear(err);
    return rc ? TOKSIM_EPARSE : TOKSIM_OK;
}

static toksim_status sid_from_text(toksim_sid *out,
                                   const char *t,
                                   size_t n,
                                   size_t off,
                                   const toksim_sid_context *ctx,
                                   toksim_error *err)
{
    if (n == 2 && is_alpha(t[0]) && is_alpha(t[1])) {
        char a[3] = {upper(t[0]), upper(t[1]), '\0'};
        const toksim_wellknown *w = toksim_wellknown_by_alias(a);
        if (!w)
            return ts_error_set(err, TOKSIM_ENOTFOUND, off, "unknown SID alias '%s'", a);
        if (w->flags & (TOKSIM_WK_DOMAIN_RELATIVE | TOKSIM_WK_MACHINE_RELATIVE)) {
            bool dom = (w->flags & TOKSIM_WK_DOMAIN_RELATIVE) != 0;
            const toksim_sid *basesid = ctx ? (dom ? ctx->domain : ctx->machine) : NULL;
            if (!basesid)
                return ts_error_set(
                    err, TOKSIM_ENOTFOUND, off,
                    "SID alias '%s' (%s) is relative to the %s: give the %s SID", a,
                    w->name, dom ? "domain" : "machine", dom ? "domain" : "machine");
            if (toksim_sid_append(out, basesid, w->rid))
                return ts_error_set(
                    err, TOKSIM_ELIMIT, off,
                    "SID alias '%s': base SID already has 15 sub-authorities", a);
            return TOKSIM_OK;
        }
        if (toksim_sid_parse(out, w->sid, NULL))
            return ts_error_set(err, TOKSIM_ERROR, off,
                                "well-known table row for '%s' has a bad SID", a);
        return TOKSIM_OK;
    }
    if (n >= 2 && (t[0] == 'S' || t[0] == 's') && t[1] == '-') {
        /* The SDDL reading first; the strict parser only to explain a failure. */
        toksim_status rc = sid_lenient(out, t, n, err);
        if (rc == TOKSIM_EPARSE && (rc = toksim_sid_parse_n(out, t, n, err)) == TOKSIM_OK)
            rc = ts_error_set(err, TOKSIM_EPARSE, 0, "SID '%.*s' is not one SDDL accepts",
                              (int)(n > 60 ? 60 : n),
                              t); /* strict accepts what SDDL refuses: keep the refusal */
        if (rc && err)
            err->offset += off;
        return rc;
    }
    return ts_error_set(
        err, TOKSIM_EPARSE, off,
        "expected a SID (S-1-...) or a two-letter SID alias (BA, SY, WD ...)");
}

/* Length of the SID token of an O:/G: component starting at p->pos (numeric or alias). */
static size_t sid_token_len(const parser *p)
{
    const char *s = p->s + p->pos;
    size_t n = p->len - p->pos;
    if (n >= 2 && (s[0] == 'S' || s[0] == 's') && s[1] == '-') {
        size_t i = 2;
        while (i < n && ts_is_ws(s[i]))
            i++;
        while (i < n) {
            if ((s[i] >= '0' && s[i] <= '9') || s[i] == '-') {
                i++;
                while (s[i - 1] == '-' && i < n && ts_is_ws(s[i]))
                    i++; /* "O:S- 1- 2-3" (windows_is_less_fussy.txt) */
            } else if ((s[i] == 'x' || s[i] == 'X') && s[i - 1] == '0') {
                i++;
                /* "...0xAB" directly followed by "D:" must leave the D for the DACL. */
                while (i < n && ts_hex_digit(s[i]) >= 0 &&
                       !(i + 1 < n && s[i + 1] == ':'))
                    i++;
            } else {
                break;
            }
        }
        return i;
    }
    return (n >= 2 && is_alpha(s[0]) && is_alpha(s[1])) ? 2 : 0;
}

/* ---- ACEs ---- */

typedef struct type_row {
    const char *text;
    uint8_t value;
} type_row;

static const type_row ace_types[] = {
#define TS_SDDL_ACE_TYPE(t, v) {t, v},
#include "sddl_rights.inc"
};

static const type_row ace_flags[] = {
#define TS_SDDL_ACE_FLAG(t, v) {t, v},
#include "sddl_rights.inc"
};

static const char *const field_names[6] = {
    "ACE type",   "ACE flags", "rights", "object GUID", "inherited object GUID",
    "account SID"};

/* Field 0 (type), 1 (flags) or 2 (rights) of an ACE, trimmed to [a, b). */
static toksim_status
parse_head_field(parser *p, toksim_ace *ace, int field, size_t a, size_t b)
{
    const char *s = p->s;
    size_t k;
    if (field == 0) {
        size_t tl = b - a;
        for (k = 0; k < sizeof ace_types / sizeof ace_types[0]; k++) {
            const char *t = ace_types[k].text;
            if (strlen(t) == tl && (tl == 1 ? upper(s[a]) == t[0] : eq2(s + a, t)))
                break;
        }
        if (k == sizeof ace_types / sizeof ace_types[0])
            return tl ? ts_error_set(p->err, TOKSIM_EPARSE, a, "unknown ACE type '%.*s'",
                                     (int)(tl > 8 ? 8 : tl), s + a)
                      : ts_error_set(p->err, TOKSIM_EPARSE, a,
                                     "missing ACE type (A, D, OA, AU, ML ...)");
        ace->type = ace_types[k].value;
        return TOKSIM_OK;
    }
    if (field == 1) {
        for (size_t i = a; i < b;) {
            if (ts_is_ws(s[i])) {
                i++;
                continue;
            }
            if (i + 1 >= b || !is_alpha(s[i + 1]))
                return ts_error_set(
                    p->err, TOKSIM_EPARSE, i,
                    "expected a two-letter ACE flag (OI CI NP IO ID SA FA ...)");
            for (k = 0; k < sizeof ace_flags / sizeof ace_flags[0]; k++)
                if (eq2(s + i, ace_flags[k].text))
                    break;
            if (k == sizeof ace_flags / sizeof ace_flags[0])
                return ts_error_set(p->err, TOKSIM_EPARSE, i, "unknown ACE flag '%.2s'",
                                    s + i);
            ace->flags |= ace_flags[k].value;
            i += 2;
        }
        return TOKSIM_OK;
    }
    return ts_sddl_parse_rights_n(&ace->mask, s + a, b - a, a, p->err);
}

static toksim_status parse_ace(parser *p, toksim_acl *acl)
{
    const char *s = p->s;
    size_t fs[6], fe[6];
    size_t extra_start = 0, extra_end = 0;
    bool has_extra = false;
    size_t open = p->pos;
    toksim_ace ace;
    memset(&ace, 0, sizeof ace);
    p->pos++; /* '(' */
    for (int i = 0; i < 6; i++) {
        fs[i] = p->pos;
        while (p->pos < p->len && s[p->pos] != ';' && s[p->pos] != ')' &&
               s[p->pos] != '(')
            p->pos++;
        fe[i] = p->pos;
        if (i <= 2) {
            /* Check type, flags and rights as soon as they end: a bad one explains more
             * than a missing ';'. */
            size_t a = fs[i], b = fe[i];
            trim(s, &a, &b);
            if (i == 0 && a < b &&
                ws_inside(s, a, fe[i])) /* Wine test: "D:(D ;;GA;;;WD)" */
                return ts_error_set(p->err, TOKSIM_EPARSE, a,
                                    "white space after the ACE type: Windows refuses it "
                                    "(\"D ;\")");
            /* Samba's Windows recordings: blanks before the rights and single spaces
             * between them are accepted ("; GA", "RP LCLO  RC"), blanks after them and
             * tabs among them refused ("GA ;", "RP LC\tLORC") */
            if (i == 2 && (b < fe[i] || memchr(s + a, '\t', b - a)))
                return ts_error_set(p->err, TOKSIM_EPARSE, b < fe[i] ? b : a,
                                    "white space after the rights, or a tab among them: "
                                    "Windows refuses it (\"GA ;\", \"RP\\tLC\")");
            toksim_status frc = parse_head_field(p, &ace, i, a, b);
            if (frc)
                return frc;
        }
        if (p->pos >= p->len)
            return ts_error_set(p->err, TOKSIM_EPARSE, p->pos,
                                "ACE opened at offset %zu is not closed: expected %s",
                                open, i < 5 ? "';'" : "')'");
        char c = s[p->pos];
        if (i < 5) {
            if (c != ';')
                return ts_error_set(p->err, TOKSIM_EPARSE, p->pos,
                                    "expected ';' after %s, found '%c'", field_names[i],
                                    c);
            p->pos++;
        } else if (c == ';') {
            has_extra = true;
            p->pos++;
        } else if (c != ')') {
            return ts_error_set(p->err, TOKSIM_EPARSE, p->pos,
                                "expected ')' or ';' after the account SID, found '%c'",
                                c);
        }
    }
    if (has_extra) {
        skip_ws(p);
        if (p->pos >= p->len || s[p->pos] != '(')
            return ts_error_set(
                p->err, TOKSIM_EPARSE, p->pos,
                "expected '(' to open the condition or resource attribute after the SID");
        size_t depth = 0, i = p->pos;
        for (; i < p->len; i++) {
            if (s[i] == '"') {
                size_t q = i + 1;
                while (q < p->len && s[q] != '"')
                    q++;
                if (q >= p->len)
                    return ts_error_set(p->err, TOKSIM_EPARSE, i,
                                        "string literal is not closed: expected '\"'");
                i = q;
            } else if (s[i] == '(') {
                depth++;
            } else if (s[i] == ')' && --depth == 0) {
                break;
            }
        }
        if (i >= p->len)
            return ts_error_set(p->err, TOKSIM_EPARSE, p->pos,
                                "'(' at offset %zu is never closed", p->pos);
        extra_start = p->pos + 1;
        extra_end = i;
        p->pos = i + 1;
        skip_ws(p);
        if (p->pos >= p->len || s[p->pos] != ')')
            return ts_error_set(p->err, TOKSIM_EPARSE, p->pos,
                                "expected ')' to close the ACE after its condition");
    }
    p->pos++; /* ')' */
    size_t raw_start[6], raw_end[6];
    for (int i = 0; i < 6; i++) {
        raw_start[i] = fs[i];
        raw_end[i] = fe[i];
        trim(s, &fs[i], &fe[i]);
    }
    /* Windows refuses white space around a GUID and after a numeric SID, but accepts it
     * elsewhere in a field (Samba, libcli/security/tests/windows/should_fail.txt and
     * windows_is_less_fussy.txt). */
    for (int g = 3; g <= 4; g++)
        if (fe[g] > fs[g] && ws_inside(s, raw_start[g], raw_end[g]))
            return ts_error_set(p->err, TOKSIM_EPARSE, fs[g],
                                "white space around a GUID: Windows refuses it");
    if (fe[5] - fs[5] > 2 && raw_end[5] != fe[5] && (s[fs[5]] == 'S' || s[fs[5]] == 's'))
        return ts_error_set(p->err, TOKSIM_EPARSE, fe[5],
                            "white space after a numeric SID: Windows refuses it");

    toksim_status rc;
    for (int g = 0; g < 2; g++) {
        size_t a = fs[3 + g], n = fe[3 + g] - a;
        if (!n)
            continue;
        if (!ts_ace_type_is_object(ace.type))
            return ts_error_set(
                p->err, TOKSIM_EPARSE, a,
                "%s given for a non-object ACE (only OA, OD, OU, OL and ZA carry GUIDs)",
                field_names[3 + g]);
        if (!ts_guid_parse(g ? ace.inherited_object_type : ace.object_type, s + a, n))
            return ts_error_set(
                p->err, TOKSIM_EPARSE, a,
                "expected a GUID like bf967aba-0de6-11d0-a285-00aa003049e2 as %s",
                field_names[3 + g]);
        ace.object_flags |=
            g ? TOKSIM_ACE_INHERITED_OBJECT_TYPE_PRESENT : TOKSIM_ACE_OBJECT_TYPE_PRESENT;
    }
    /* "If ace_type is ACCESS_ALLOWED_OBJECT_ACE_TYPE and neither object_guid nor
     * inherit_object_guid has a GUID specified, then
     * ConvertStringSecurityDescriptorToSecurityDescriptor converts ace_type to
     * ACCESS_ALLOWED_ACE_TYPE" (ACE Strings). */
    if (ace.type == TOKSIM_ACE_ACCESS_ALLOWED_OBJECT && !ace.object_flags)
        ace.type = TOKSIM_ACE_ACCESS_ALLOWED;
    if (fe[5] == fs[5])
        return ts_error_set(p->err, TOKSIM_EPARSE, fs[5],
                            "missing account SID in the ACE");
    rc = sid_from_text(&ace.sid, s + fs[5], fe[5] - fs[5], fs[5], p->ctx, p->err);
    if (rc)
        return rc;
    bool callback = ts_ace_type_is_callback(ace.type);
    if (has_extra && !callback && ace.type != TOKSIM_ACE_SYSTEM_RESOURCE_ATTRIBUTE)
        return ts_error_set(p->err, TOKSIM_EPARSE, extra_start - 1,
                            "only callback ACEs (XA XD ZA XU FL) and resource attribute "
                            "ACEs (RA) take a trailing "
                            "(...) section");
    if (ace.type == TOKSIM_ACE_SYSTEM_RESOURCE_ATTRIBUTE && !has_extra)
        return ts_error_set(p->err, TOKSIM_EPARSE, fe[5],
                            "a resource attribute ACE needs its attribute: "
                            "(RA;;;;;WD;(\"Name\",TS,0,\"value\"))");
    if (has_extra) {
        size_t a = extra_start, b = extra_end;
        trim(s, &a, &b);
        if (a == b)
            return ts_error_set(p->err, TOKSIM_EPARSE, extra_start,
                                "empty condition/attribute section");
        /* Compile now so a bad condition is reported at its position in the SDDL; the
         * binary form is rebuilt by toksim_sd_to_binary, the SD keeps the text. */
        uint8_t *bin = NULL;
        size_t blen = 0;
        rc = ace.type == TOKSIM_ACE_SYSTEM_RESOURCE_ATTRIBUTE
                 ? ts_claim_compile(&bin, &blen, s + a, b - a, a, p->err)
                 : ts_cond_compile(&bin, &blen, s + a, b - a, a, p->err);
        free(bin);
        if (rc)
            return rc;
        if (!(ace.sddl_extra = ts_strndup(s + a, b - a)))
            return TOKSIM_ENOMEM;
    }
    rc = toksim_acl_add_ace(acl, &ace);
    free(ace.sddl_extra);
    if (rc == TOKSIM_ELIMIT)
        return ts_error_set(p->err, TOKSIM_ELIMIT, open, "more than %u ACEs in one ACL",
                            TOKSIM_ACL_MAX_ACES);
    return rc ? ts_error_set(p->err, rc, open, "out of memory") : TOKSIM_OK;
}

/* ---- ACLs and the descriptor ---- */

static bool match_ci(const parser *p, const char *lit)
{
    size_t n = strlen(lit);
    if (p->len - p->pos < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (upper(p->s[p->pos + i]) != lit[i])
            return false;
    return true;
}

static toksim_status parse_acl(parser *p, toksim_sd *sd, bool sacl)
{
    bool null_acl = false;
    size_t null_at = 0;
    uint16_t control = sacl ? TOKSIM_SE_SACL_PRESENT : TOKSIM_SE_DACL_PRESENT;
    for (;;) {
        skip_ws(p);
        if (match_ci(p, "NO_ACCESS_CONTROL")) {
            null_acl = true;
            null_at = p->pos;
            p->pos += 17;
        } else if (match_ci(p, "AR")) {
            control |=
                sacl ? TOKSIM_SE_SACL_AUTO_INHERIT_REQ : TOKSIM_SE_DACL_AUTO_INHERIT_REQ;
            p->pos += 2;
        } else if (match_ci(p, "AI")) {
            control |=
                sacl ? TOKSIM_SE_SACL_AUTO_INHERITED : TOKSIM_SE_DACL_AUTO_INHERITED;
            p->pos += 2;
        } else if (p->pos < p->len && upper(p->s[p->pos]) == 'P' &&
                   !(p->pos + 1 < p->len && p->s[p->pos + 1] == ':')) {
            control |= sacl ? TOKSIM_SE_SACL_PROTECTED : TOKSIM_SE_DACL_PROTECTED;
            p->pos++;
        } else {
            break;
        }
    }
    toksim_acl *acl = NULL;
    if (!null_acl && toksim_acl_new(&acl))
        return TOKSIM_ENOMEM;
    while (p->pos < p->len && p->s[p->pos] == '(') {
        if (null_acl) {
            return ts_error_set(p->err, TOKSIM_EPARSE, p->pos,
                                "NO_ACCESS_CONTROL (at offset %zu) means a NULL ACL: it "
                                "cannot be followed by ACEs",
                                null_at);
        }
        if (!sacl && p->pos + 2 < p->len && p->s[p->pos] == '(' &&
            upper(p->s[p->pos + 1]) == 'A' &&
            (upper(p->s[p->pos + 2]) == 'U' || upper(p->s[p->pos + 2]) == 'L') &&
            p->pos + 3 < p->len &&
            (p->s[p->pos + 3] == ';' || ts_is_ws(p->s[p->pos + 3]))) {
            /* An audit or alarm ACE in a DACL: Windows refuses the string (Samba,
             * windows/windows_is_fussy.txt). */
            toksim_acl_free(acl);
            return ts_error_set(
                p->err, TOKSIM_EPARSE, p->pos + 1,
                "an audit/alarm ACE (AU, AL) belongs in the SACL (S:), not "
                "the DACL: Windows refuses it");
        }
        toksim_status rc = parse_ace(p, acl);
        if (rc) {
            toksim_acl_free(acl);
            return rc;
        }
        skip_ws(p);
    }
    sd->control |= control;
    if (sacl)
        sd->sacl = acl;
    else
        sd->dacl = acl;
    return TOKSIM_OK;
}

toksim_status toksim_sd_from_sddl(toksim_sd **out,
                                  const char *sddl,
                                  const toksim_sid_context *ctx,
                                  toksim_error *err)
{
    if (!out || !sddl)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no SDDL given");
    *out = NULL;
    size_t len = strnlen(sddl, (size_t)TOKSIM_SDDL_MAX_LEN + 1);
    if (len > TOKSIM_SDDL_MAX_LEN)
        return ts_error_set(err, TOKSIM_ELIMIT, TOKSIM_SDDL_MAX_LEN,
                            "SDDL longer than %u bytes", TOKSIM_SDDL_MAX_LEN);
    parser p = {sddl, len, 0, ctx, err};
    toksim_sd *sd;
    if (toksim_sd_new(&sd))
        return TOKSIM_ENOMEM;
    bool seen[4] = {false, false, false, false};
    toksim_status rc = TOKSIM_OK;
    for (;;) {
        skip_ws(&p);
        if (p.pos >= p.len)
            break;
        char c = sddl[p.pos];
        if (c >= 'a' && c <= 'z' && p.pos + 1 < p.len && sddl[p.pos + 1] == ':') {
            /* "d:(A;;GA;;;LG)" fails on Windows (Samba, windows/should_fail.txt) */
            rc = ts_error_set(err, TOKSIM_EPARSE, p.pos,
                              "component letters are upper case: '%c:' should be '%c:'",
                              c, upper(c));
            break;
        }
        const char *which = strchr("OGDS", c);
        if (which && c != '\0' && (p.pos + 1 >= p.len || sddl[p.pos + 1] != ':')) {
            rc =
                ts_error_set(err, TOKSIM_EPARSE, p.pos + 1, "expected ':' after '%c'", c);
            break;
        }
        if (!which || c == '\0') {
            rc = ts_error_set(err, TOKSIM_EPARSE, p.pos,
                              sddl[p.pos] == '('
                                  ? "ACE outside of a D: or S: component"
                                  : "expected O:, G:, D: or S: (or '(' to start an ACE)");
            break;
        }
        int idx = (int)(which - "OGDS");
        if (seen[idx]) {
            rc = ts_error_set(err, TOKSIM_EPARSE, p.pos, "%c: given twice", c);
            break;
        }
        seen[idx] = true;
        p.pos += 2;
        if (c == 'O' || c == 'G') {
            skip_ws(&p);
            size_t n = sid_token_len(&p);
            if (n == 0) {
                rc = ts_error_set(err, TOKSIM_EPARSE, p.pos,
                                  "expected a SID or SID alias after %c:", c);
                break;
            }
            toksim_sid *dst = c == 'O' ? &sd->owner : &sd->group;
            if ((rc = sid_from_text(dst, sddl + p.pos, n, p.pos, ctx, err)))
                break;
            if (c == 'O')
                sd->has_owner = true;
            else
                sd->has_group = true;
            p.pos += n;
        } else if ((rc = parse_acl(&p, sd, c == 'S'))) {
            break;
        }
    }
    if (rc) {
        toksim_sd_free(sd);
        return rc;
    }
    *out = sd;
    return TOKSIM_OK;
}
