/*
 * PURPOSE: what people type and read for SIDs: the well-known SID table (wellknown.inc)
 * with SDDL aliases (MS-DTYP 2.5.1.1, "SID Strings") and account names as
 * LookupAccountSid / whoami show them, resolution of aliases and names
 * (toksim_sid_resolve), display names, and the virtual-account SIDs NT SERVICE\x, IIS
 * APPPOOL\x and RESTRICTED SERVICES\x (windows-model §5).
 *
 * Modelled: ConvertStringSidToSid accepts SDDL aliases as well as S-1-... (windows-model
 * §8.1, Wine test_ConvertStringSidToSid); aliases are case-sensitive as in SDDL; account
 * names compare case-insensitively as LookupAccountName does; logon SIDs S-1-5-5-X-Y
 * display as "NT AUTHORITY\LogonSessionId_X_Y" as whoami shows them. Left out: names of
 * real (non-well-known) accounts, which belong to the identity layer; the NetBIOS name of
 * a domain (relative rows display as their bare account name); Windows' full NLS case
 * tables (see fold_upper() for the subset modelled).
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "sha1.h"

/* Longest name or SID text toksim_sid_resolve() looks at; anything longer is rejected. */
#define RESOLVE_TEXT_MAX 512
/* Longest virtual-account name, in bytes of UTF-8 (SCM service names are at most 256
 * chars). */
#define VIRTUAL_NAME_MAX 1024

static const toksim_wellknown wk_table[] = {
#define TOKSIM_WK(sid, alias, domain, name, rid, flags)                                  \
    {sid, alias, domain, name, rid, flags},
#define TOKSIM_WK_SYNONYM(name, sid)
#include "wellknown.inc"
#undef TOKSIM_WK
#undef TOKSIM_WK_SYNONYM
};
#define WK_COUNT (sizeof wk_table / sizeof wk_table[0])

/* The length of each absolute row's SID text, 0 for a relative row
 * (toksim_wellknown_by_sid compares it first, and only it: issue 11). */
static const uint8_t wk_abs_len[] = {
#define TOKSIM_WK(sid, alias, domain, name, rid, flags)                                  \
    ((flags) & (TOKSIM_WK_DOMAIN_RELATIVE | TOKSIM_WK_MACHINE_RELATIVE))                 \
        ? 0                                                                              \
        : sizeof(sid) - 1,
#define TOKSIM_WK_SYNONYM(name, sid)
#include "wellknown.inc"
#undef TOKSIM_WK
#undef TOKSIM_WK_SYNONYM
};

typedef struct {
    const char *name; /* full spelling, with domain when it has one */
    const char *sid;
} wk_synonym;

static const wk_synonym wk_synonyms[] = {
#define TOKSIM_WK(sid, alias, domain, name, rid, flags)
#define TOKSIM_WK_SYNONYM(name, sid) {name, sid},
#include "wellknown.inc"
#undef TOKSIM_WK
#undef TOKSIM_WK_SYNONYM
};
#define SYN_COUNT (sizeof wk_synonyms / sizeof wk_synonyms[0])

size_t toksim_wellknown_count(void)
{
    return WK_COUNT;
}

const toksim_wellknown *toksim_wellknown_at(size_t i)
{
    return i < WK_COUNT ? &wk_table[i] : NULL;
}

static bool is_relative(const toksim_wellknown *w)
{
    return (w->flags & (TOKSIM_WK_DOMAIN_RELATIVE | TOKSIM_WK_MACHINE_RELATIVE)) != 0;
}

const toksim_wellknown *toksim_wellknown_by_alias(const char *alias)
{
    /* Every SDDL alias is two letters (MS-DTYP 2.5.1.1; test_logon_fast_paths.c asserts
     * it of every row): any other text matches none, without the scan (issue 11: names
     * are tried as aliases first). */
    if (!alias || !alias[0] || !alias[1] || alias[2])
        return NULL;
    for (size_t i = 0; i < WK_COUNT;
         i++) /* the first byte first: no call for most rows */
        if (wk_table[i].alias && wk_table[i].alias[0] == alias[0] &&
            strcmp(wk_table[i].alias, alias) == 0)
            return &wk_table[i];
    return NULL;
}

/* base + one RID == sid ? */
static bool is_child_of(const toksim_sid *sid, const toksim_sid *base)
{
    if (!base || sid->count != base->count + 1)
        return false;
    if (memcmp(sid->authority, base->authority, 6) != 0)
        return false;
    return memcmp(sid->sub, base->sub, sizeof(uint32_t) * base->count) == 0;
}

const toksim_wellknown *toksim_wellknown_by_sid(const toksim_sid *sid,
                                                const toksim_sid_context *ctx)
{
    if (!sid)
        return NULL;
    char text[TOKSIM_SID_STRING_MAX];
    size_t len = toksim_sid_format(text, sizeof text, sid);
    /* The rows of that length found with memchr over the lengths, then the last digit,
     * then the whole text (issue 11: no test per row); the first such row answers. */
    const uint8_t *at = wk_abs_len, *end = wk_abs_len + WK_COUNT;
    while (len <= UINT8_MAX && at < end &&
           (at = memchr(at, (int)len, (size_t)(end - at))) != NULL) {
        size_t i = (size_t)(at - wk_abs_len);
        if (wk_table[i].sid[len - 1] == text[len - 1] &&
            memcmp(wk_table[i].sid, text, len) == 0)
            return &wk_table[i];
        at++;
    }
    if (!ctx)
        return NULL;
    uint32_t rid = toksim_sid_rid(sid);
    bool in_machine = is_child_of(sid, ctx->machine);
    bool in_domain = is_child_of(sid, ctx->domain);
    for (size_t i = 0; i < WK_COUNT; i++) {
        const toksim_wellknown *w = &wk_table[i];
        if (w->rid != rid)
            continue;
        if ((w->flags & TOKSIM_WK_MACHINE_RELATIVE) && in_machine)
            return w;
        if ((w->flags & TOKSIM_WK_DOMAIN_RELATIVE) && in_domain)
            return w;
    }
    return NULL;
}

/* SID of a row, given the context relative rows need. */
static toksim_status row_sid(toksim_sid *out,
                             const toksim_wellknown *w,
                             const toksim_sid_context *ctx,
                             const char *what,
                             toksim_error *err)
{
    if (!is_relative(w)) {
        toksim_status rc = toksim_sid_parse(out, w->sid, err);
        return rc ? ts_error_set(err, TOKSIM_ERROR, 0,
                                 "well-known table row %s is malformed", w->sid)
                  : rc;
    }
    bool machine = (w->flags & TOKSIM_WK_MACHINE_RELATIVE) != 0;
    const toksim_sid *base = ctx ? (machine ? ctx->machine : ctx->domain) : NULL;
    if (!base)
        return ts_error_set(
            err, TOKSIM_ENOTFOUND, 0,
            "'%s' (%s, RID %u) is relative to the %s SID, and no %s SID was given", what,
            w->name, (unsigned)w->rid, machine ? "machine" : "domain",
            machine ? "machine" : "domain");
    toksim_status rc = toksim_sid_append(out, base, w->rid);
    if (rc)
        return ts_error_set(err, rc, 0, "the %s SID has no room for RID %u",
                            machine ? "machine" : "domain", (unsigned)w->rid);
    return TOKSIM_OK;
}

/* ---- display names
 * ---------------------------------------------------------------------- */

static size_t copy_out(char *buf, size_t n, const char *s)
{
    size_t len = strlen(s);
    if (n) {
        size_t c = len < n - 1 ? len : n - 1;
        memcpy(buf, s, c);
        buf[c] = '\0';
    }
    return len;
}

size_t toksim_sid_display_name(char *buf,
                               size_t n,
                               const toksim_sid *sid,
                               const toksim_sid_context *ctx)
{
    char tmp[TOKSIM_SID_STRING_MAX + 64];
    const toksim_wellknown *w = toksim_wellknown_by_sid(sid, ctx);
    if (w && w->name[0]) {
        if (w->domain[0])
            snprintf(tmp, sizeof tmp, "%s\\%s", w->domain, w->name);
        else
            snprintf(tmp, sizeof tmp, "%s", w->name);
        return copy_out(buf, n, tmp);
    }
    /* Logon SID S-1-5-5-X-Y: whoami shows NT AUTHORITY\LogonSessionId_X_Y. */
    if (toksim_sid_authority(sid) == 5 && sid->count == 3 && sid->sub[0] == 5) {
        snprintf(tmp, sizeof tmp, "NT AUTHORITY\\LogonSessionId_%u_%u", sid->sub[1],
                 sid->sub[2]);
        return copy_out(buf, n, tmp);
    }
    toksim_sid_format(tmp, sizeof tmp, sid);
    return copy_out(buf, n, tmp);
}

/* ---- virtual accounts (windows-model §5)
 * -------------------------------------------------- */

/*
 * Case mapping of the name before hashing. Windows upper-cases service names with its NLS
 * upcase table (RtlUpcaseUnicodeString); IIS lower-cases pool names. ASCII is what the
 * test vectors of windows-model §13.1 cover. Beyond ASCII we map the simple one-to-one
 * pairs of Latin-1, Latin Extended-A, Greek, Cyrillic and fullwidth Latin, and leave
 * every other code point unchanged (UNCONFIRMED against a real machine; Windows never
 * maps one character to two, so 'ß' stays 'ß').
 */
static uint32_t fold_upper(uint32_t c)
{
    if (c >= 'a' && c <= 'z')
        return c - 32;
    if (c < 0x80)
        return c;
    if ((c >= 0xE0 && c <= 0xFE && c != 0xF7))
        return c - 32;
    if (c == 0xFF)
        return 0x178;
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
        (c >= 0x14A && c <= 0x177))
        return (c & 1) ? c - 1 : c;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1) ? c : c - 1;
    if ((c >= 0x3B1 && c <= 0x3C1) || (c >= 0x3C3 && c <= 0x3CB))
        return c - 32;
    if (c == 0x3C2)
        return 0x3A3; /* final sigma */
    if (c == 0x3AC)
        return 0x386;
    if (c >= 0x3AD && c <= 0x3AF)
        return c - 37;
    if (c == 0x3CC)
        return 0x38C;
    if (c == 0x3CD || c == 0x3CE)
        return c - 63;
    if (c >= 0x430 && c <= 0x44F)
        return c - 32;
    if (c >= 0x450 && c <= 0x45F)
        return c - 80;
    if (c >= 0xFF41 && c <= 0xFF5A)
        return c - 32;
    return c;
}

static uint32_t fold_lower(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c < 0x80)
        return c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c == 0x178)
        return 0xFF;
    if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
        (c >= 0x14A && c <= 0x177))
        return (c & 1) ? c : c + 1;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1) ? c + 1 : c;
    if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB))
        return c + 32;
    if (c == 0x386)
        return 0x3AC;
    if (c >= 0x388 && c <= 0x38A)
        return c + 37;
    if (c == 0x38C)
        return 0x3CC;
    if (c == 0x38E || c == 0x38F)
        return c + 63;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if (c >= 0xFF21 && c <= 0xFF3A)
        return c + 32;
    return c;
}

toksim_status toksim_sid_virtual(toksim_sid *out,
                                 toksim_virtual_kind kind,
                                 const char *name,
                                 toksim_error *err)
{
    if (!out || !name)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no virtual-account name given");
    if (kind != TOKSIM_VIRTUAL_SERVICE && kind != TOKSIM_VIRTUAL_APPPOOL &&
        kind != TOKSIM_VIRTUAL_RESTRICTED_SERVICE)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "unknown virtual-account kind %d",
                            (int)kind);
    size_t len = strnlen(name, VIRTUAL_NAME_MAX + 1);
    if (len == 0)
        return ts_error_set(err, TOKSIM_EPARSE, 0, "empty virtual-account name");
    if (len > VIRTUAL_NAME_MAX)
        return ts_error_set(err, TOKSIM_ELIMIT, VIRTUAL_NAME_MAX,
                            "virtual-account name longer than %d bytes",
                            VIRTUAL_NAME_MAX);
    /* Each UTF-8 byte yields at most 2 bytes of UTF-16LE (4-byte sequences give 4 bytes).
     */
    uint8_t u16[2 * VIRTUAL_NAME_MAX];
    size_t n16 = 0, pos = 0;
    while (pos < len) {
        size_t at = pos, k;
        uint32_t c;
        if (ts_utf8_decode(name + pos, len - pos, &c, &k) != TS_UTF8_OK)
            return ts_error_set(err, TOKSIM_EPARSE, at,
                                "invalid UTF-8 in virtual-account name at byte %zu", at);
        pos += k;
        /* windows-model §5.1/§5.5: services and restricted services upper-case, app pools
         * lower-case. */
        c = kind == TOKSIM_VIRTUAL_APPPOOL ? fold_lower(c) : fold_upper(c);
        n16 += ts_utf16le_encode(u16 + n16, c);
    }
    uint8_t dig[TS_SHA1_DIGEST];
    ts_sha1(dig, u16, n16);
    /* S-1-5-<kind>- then the digest read as five little-endian 32-bit words
     * (windows-model §5.1). */
    uint32_t subs[6];
    subs[0] = (uint32_t)kind;
    for (int i = 0; i < 5; i++)
        subs[1 + i] = (uint32_t)dig[4 * i] | (uint32_t)dig[4 * i + 1] << 8 |
                      (uint32_t)dig[4 * i + 2] << 16 | (uint32_t)dig[4 * i + 3] << 24;
    return toksim_sid_make(out, 5, subs, 6);
}

/* ---- resolution of typed text
 * --------------------------------------------------------------- */

/* Domains whose accounts are all in the table or computed: a name under them is never
 * relative. */
static const char *const fixed_domains[] = {"NT AUTHORITY",
                                            "BUILTIN",
                                            "NT SERVICE",
                                            "IIS APPPOOL",
                                            "RESTRICTED SERVICES",
                                            "Mandatory Label",
                                            "APPLICATION PACKAGE AUTHORITY",
                                            "NT VIRTUAL MACHINE",
                                            "Window Manager"};

static bool is_fixed_domain(const char *d, size_t n)
{
    for (size_t i = 0; i < sizeof fixed_domains / sizeof fixed_domains[0]; i++)
        if (strlen(fixed_domains[i]) == n && ts_strncasecmp(fixed_domains[i], d, n) == 0)
            return true;
    return false;
}

/* Do a and b start with the same letter, as ts_strcasecmp folds it (ASCII)? A cheap
 * test before the comparison (issue 11: the name loops below compare every row). */
static bool same_first_ci(const char *a, const char *b)
{
    unsigned char ca = (unsigned char)a[0], cb = (unsigned char)b[0];
    return (ca >= 'A' && ca <= 'Z' ? ca + ('a' - 'A') : ca) ==
           (cb >= 'A' && cb <= 'Z' ? cb + ('a' - 'A') : cb);
}

static bool eq_ci_n(const char *a, const char *b, size_t blen)
{
    return strlen(a) == blen && ts_strncasecmp(a, b, blen) == 0;
}

/* "LogonSessionId_X_Y" -> S-1-5-5-X-Y; false when the name is not of that shape. */
static bool logon_session_name(toksim_sid *out, const char *name)
{
    static const char prefix[] = "LogonSessionId_";
    if (ts_strncasecmp(name, prefix, sizeof prefix - 1) != 0)
        return false;
    const char *p = name + sizeof prefix - 1;
    uint32_t v[2];
    for (int k = 0; k < 2; k++) {
        uint64_t x = 0;
        size_t digits = 0;
        while (*p >= '0' && *p <= '9') {
            x = x * 10 + (uint64_t)(*p - '0');
            if (x > 0xFFFFFFFFu || ++digits > 10)
                return false;
            p++;
        }
        if (!digits || *p != (k == 0 ? '_' : '\0'))
            return false;
        if (k == 0)
            p++;
        v[k] = (uint32_t)x;
    }
    uint32_t subs[3] = {5, v[0], v[1]};
    return toksim_sid_make(out, 5, subs, 3) == TOKSIM_OK;
}

/* A virtual-account domain: NT SERVICE\x, IIS APPPOOL\x, RESTRICTED SERVICES\x. */
static toksim_status resolve_virtual(toksim_sid *out,
                                     toksim_virtual_kind kind,
                                     const char *name,
                                     size_t name_offset,
                                     toksim_error *err)
{
    toksim_status rc = toksim_sid_virtual(out, kind, name, err);
    if (rc && err)
        err->offset += name_offset;
    return rc;
}

toksim_status toksim_sid_resolve(toksim_sid *out,
                                 const char *text,
                                 const toksim_sid_context *ctx,
                                 toksim_error *err)
{
    if (!out || !text)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no SID, alias or account name given");
    size_t len = strnlen(text, RESOLVE_TEXT_MAX + 1);
    if (len > RESOLVE_TEXT_MAX)
        return ts_error_set(err, TOKSIM_ELIMIT, RESOLVE_TEXT_MAX,
                            "principal longer than %d characters", RESOLVE_TEXT_MAX);
    if (len == 0)
        return ts_error_set(err, TOKSIM_EPARSE, 0,
                            "empty principal: expected a SID, an SDDL alias or a name");
    /* Numeric form: "S-" then a digit (a name may start with "S-" only if followed by a
     * non-digit). */
    if ((text[0] == 'S' || text[0] == 's') && text[1] == '-' && text[2] >= '0' &&
        text[2] <= '9')
        return toksim_sid_parse(out, text, err);
    /* SDDL alias: two letters, case-sensitive. */
    const toksim_wellknown *w = toksim_wellknown_by_alias(text);
    if (w)
        return row_sid(out, w, ctx, text, err);

    const char *bs = strchr(text, '\\');
    const char *name = bs ? bs + 1 : text;
    size_t dlen = bs ? (size_t)(bs - text) : 0;
    if (bs) {
        if (eq_ci_n("NT SERVICE", text, dlen) && ts_strcasecmp(name, "ALL SERVICES") != 0)
            return resolve_virtual(out, TOKSIM_VIRTUAL_SERVICE, name, dlen + 1, err);
        if (eq_ci_n("IIS APPPOOL", text, dlen))
            return resolve_virtual(out, TOKSIM_VIRTUAL_APPPOOL, name, dlen + 1, err);
        if (eq_ci_n("RESTRICTED SERVICES", text, dlen) &&
            ts_strcasecmp(name, "All Restricted Services") != 0)
            return resolve_virtual(out, TOKSIM_VIRTUAL_RESTRICTED_SERVICE, name, dlen + 1,
                                   err);
        if (eq_ci_n("NT AUTHORITY", text, dlen) && logon_session_name(out, name))
            return TOKSIM_OK;
    } else if (logon_session_name(out, name)) {
        return TOKSIM_OK;
    }
    for (size_t i = 0; i < SYN_COUNT; i++)
        if ((same_first_ci(wk_synonyms[i].name, text) &&
             ts_strcasecmp(wk_synonyms[i].name, text) == 0) ||
            (bs && dlen == 1 && text[0] == '.' &&
             same_first_ci(wk_synonyms[i].name, name) &&
             !strchr(wk_synonyms[i].name, '\\') &&
             ts_strcasecmp(wk_synonyms[i].name, name) == 0))
            return toksim_sid_parse(out, wk_synonyms[i].sid, err);
    /* Absolute rows: "DOMAIN\name" exactly, or the bare name. */
    for (size_t i = 0; i < WK_COUNT; i++) {
        w = &wk_table[i];
        if (is_relative(w) || !w->name[0] || !same_first_ci(w->name, name) ||
            ts_strcasecmp(w->name, name) != 0)
            continue;
        if (!bs || eq_ci_n(w->domain, text, dlen))
            return row_sid(out, w, ctx, text, err);
    }
    /* Relative rows: bare, ".\name" or "<any domain that is not a fixed authority>\name".
     */
    if (!bs || !is_fixed_domain(text, dlen)) {
        for (size_t i = 0; i < WK_COUNT; i++) {
            w = &wk_table[i];
            if (is_relative(w) && same_first_ci(w->name, name) &&
                ts_strcasecmp(w->name, name) == 0)
                return row_sid(out, w, ctx, text, err);
        }
    }
    if (len == 2 && !bs) {
        for (size_t i = 0; i < WK_COUNT; i++)
            if (wk_table[i].alias && ts_strcasecmp(wk_table[i].alias, text) == 0)
                return ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                                    "unknown SDDL alias '%s' (aliases are "
                                    "case-sensitive: did you mean '%s'?)",
                                    text, wk_table[i].alias);
        if (text[0] >= 'A' && text[0] <= 'Z' && text[1] >= 'A' && text[1] <= 'Z')
            return ts_error_set(err, TOKSIM_ENOTFOUND, 0, "unknown SDDL alias '%s'",
                                text);
    }
    return ts_error_set(
        err, TOKSIM_ENOTFOUND, 0,
        "'%s' is neither a SID, an SDDL alias nor a well-known account name", text);
}
