/*
 * PURPOSE: WinDbg `!token` importer: the text the debugger extension prints for a token
 * (kernel `!token ADDRESS`, user-mode `!token [-n] [HANDLE]`) back into a toksim token,
 * like the `whoami /all` importer, with which it shares decoding, line splitting,
 * positioned errors and the token builder (whoami_int.h).
 *
 * Read (Microsoft Learn, "!token" debugger extension; seed 001 for the "Privs:" block):
 *  - "User: SID", "Primary Group: SID", each followed by the -n friendly name in
 * parentheses (ignored);
 *  - "Groups:" then per group " NN SID [(name)]" and "Attributes - WORDS" (on the next
 * line or the same one): Mandatory 0x1, Default 0x2, Enabled 0x4, Owner 0x8, DenyOnly or
 * UseForDenyOnly 0x10, GroupIntegrity 0x20, GroupIntegrityEnabled 0x40, Resource
 * 0x20000000, LogonId 0xC0000000 (SE_GROUP_*); the S-1-16-RID row is the integrity level;
 *  - "Privs:" then " NN 0xLUID Name Attributes - WORDS": Enabled, Default (enabled by
 * default), UsedForAccess, Removed; the LUID must be the privilege's;
 *  - "Auth ID: HIGH:LOW" (hex), "Impersonation Level: ...", "TokenType: Primary|
 * Impersonation", "TS Session ID: 0xN";
 *  - other "Key: value" lines (Source, Token ID, Modified ID, RestrictedSidCount,
 * OriginatingLogonSession, Mandatory Policy, ...) are read past; the debugger prompt, the
 * command and "_TOKEN ..."/"Thread is not impersonating" lines before the token are a
 * preamble; a prompt after it ends the token (reported as trailing text).
 * Left out: restricting SIDs, the default DACL, claims/security attributes (not printed
 * in a form this reads). The exact spelling of the deny-only and resource words is
 * UNCONFIRMED against a public capture: both spellings are accepted.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "identity/whoami_int.h"

typedef struct wdx {
    bool have_type, have_level, have_auth, have_session, have_pgroup;
    toksim_token_type type;
    toksim_imp_level level;
    uint64_t auth;
    uint32_t session;
    toksim_sid pgroup;
} wdx;

typedef enum { IN_NONE, IN_GROUPS, IN_PRIVS, IN_OTHER } wblock;

static bool sp(char c)
{
    return c == ' ' || c == '\t';
}

/* Does line l (from byte at) start with key (case-sensitive, as the debugger prints)? */
static bool key_at(const wline *l, size_t at, const char *key, size_t *after)
{
    size_t n = strlen(key);
    if (l->n - at < n || memcmp(l->p + at, key, n) != 0)
        return false;
    *after = at + n;
    while (*after < l->n && sp(l->p[*after]))
        (*after)++;
    return true;
}

/* The word starting at byte *at (up to blank or '('), advancing *at past it. */
static size_t word(const wline *l, size_t *at, const char **w)
{
    while (*at < l->n && sp(l->p[*at]))
        (*at)++;
    *w = l->p + *at;
    size_t s = *at;
    while (*at < l->n && !sp(l->p[*at]) && l->p[*at] != '(')
        (*at)++;
    return *at - s;
}

static toksim_status
sid_at(wp *P, size_t line, size_t *at, toksim_sid *out, const char *what)
{
    const wline *l = &P->lines[line];
    const char *w;
    size_t s = *at, n = word(l, at, &w);
    s = (size_t)(w - l->p);
    char buf[TOKSIM_SID_STRING_MAX + 8];
    toksim_error e = {0};
    if (n == 0 || n >= sizeof buf)
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, s, "expected %s (S-1-...)",
                                 what);
    memcpy(buf, w, n);
    buf[n] = '\0';
    if (toksim_sid_parse(out, buf, &e) != TOKSIM_OK)
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, s + e.offset, "%s: %s", what,
                                 e.message);
    return TOKSIM_OK;
}

static const struct {
    const char *word;
    uint32_t bit;
} GROUP_WORDS[] = {{"Mandatory", TOKSIM_SE_GROUP_MANDATORY},
                   {"Default", TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT},
                   {"Enabled", TOKSIM_SE_GROUP_ENABLED},
                   {"Owner", TOKSIM_SE_GROUP_OWNER},
                   {"DenyOnly", TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY},
                   {"UseForDenyOnly", TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY},
                   {"GroupIntegrity", TOKSIM_SE_GROUP_INTEGRITY},
                   {"GroupIntegrityEnabled", TOKSIM_SE_GROUP_INTEGRITY_ENABLED},
                   {"Resource", TOKSIM_SE_GROUP_RESOURCE},
                   {"GroupResource", TOKSIM_SE_GROUP_RESOURCE},
                   {"LogonId", TOKSIM_SE_GROUP_LOGON_ID}},
  PRIV_WORDS[] = {{"Enabled", TOKSIM_SE_PRIVILEGE_ENABLED},
                  {"Default", TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT},
                  {"UsedForAccess", TOKSIM_SE_PRIVILEGE_USED_FOR_ACCESS},
                  {"Removed", TOKSIM_SE_PRIVILEGE_REMOVED}};

/* "Attributes - W1 W2 ..." from byte *at; *found false when the line has no such part. */
static toksim_status
attrs_at(wp *P, size_t line, size_t at, bool group, uint32_t *out, bool *found)
{
    const wline *l = &P->lines[line];
    *out = 0;
    *found = false;
    while (at < l->n && sp(l->p[at]))
        at++;
    size_t after;
    if (!key_at(l, at, "Attributes -", &after) && !key_at(l, at, "Attributes-", &after))
        return TOKSIM_OK;
    *found = true;
    at = after;
    size_t nw = group ? sizeof GROUP_WORDS / sizeof GROUP_WORDS[0]
                      : sizeof PRIV_WORDS / sizeof PRIV_WORDS[0];
    for (;;) {
        const char *w;
        size_t n = word(l, &at, &w);
        if (n == 0)
            break;
        size_t k = 0;
        while (k < nw &&
               !(strlen(group ? GROUP_WORDS[k].word : PRIV_WORDS[k].word) == n &&
                 memcmp(group ? GROUP_WORDS[k].word : PRIV_WORDS[k].word, w, n) == 0))
            k++;
        if (k == nw)
            return ts_whoami_fail_at(
                P, TOKSIM_EPARSE, line, (size_t)(w - l->p),
                group
                    ? "unknown group attribute '%.*s' (expected Mandatory, Default, "
                      "Enabled, Owner, DenyOnly, GroupIntegrity, GroupIntegrityEnabled, "
                      "Resource or LogonId)"
                    : "unknown privilege attribute '%.*s' (expected Enabled, Default, "
                      "UsedForAccess or Removed)",
                (int)(n > 40 ? 40 : n), w);
        *out |= group ? GROUP_WORDS[k].bit : PRIV_WORDS[k].bit;
    }
    return TOKSIM_OK;
}

/* " NN " at the start of a block row: the row index; false when the line is not a row. */
static bool row_index(const wline *l, size_t *at)
{
    size_t i = 0;
    while (i < l->n && sp(l->p[i]))
        i++;
    size_t d = i;
    while (i < l->n && l->p[i] >= '0' && l->p[i] <= '9')
        i++;
    if (i == d || i - d > 4 || i >= l->n || !sp(l->p[i]))
        return false;
    *at = i;
    return true;
}

static toksim_status group_row(wp *P, size_t *line, size_t at)
{
    toksim_sid sid;
    size_t sid_col = at;
    while (sid_col < P->lines[*line].n && sp(P->lines[*line].p[sid_col]))
        sid_col++;
    toksim_status rc = sid_at(P, *line, &at, &sid, "a group SID");
    if (rc)
        return rc;
    /* skip the friendly name "(Alias: BUILTIN\Administrators)" of !token -n */
    const wline *l = &P->lines[*line];
    const char *attr = NULL;
    for (size_t i = at; i + 11 <= l->n; i++)
        if (memcmp(l->p + i, "Attributes", 10) == 0) {
            attr = l->p + i;
            break;
        }
    uint32_t attrs = 0;
    bool found = false;
    if (attr)
        rc = attrs_at(P, *line, (size_t)(attr - l->p), true, &attrs, &found);
    else if (*line + 1 < P->nlines) {
        rc = attrs_at(P, *line + 1, 0, true, &attrs, &found);
        if (!rc && found)
            (*line)++;
    }
    if (rc)
        return rc;
    if (!found)
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, *line, l->n,
                                 "expected \"Attributes - ...\" after the group SID");
    if (toksim_sid_authority(&sid) == 16) { /* the integrity level */
        if (sid.count != 1 || P->have_label)
            return ts_whoami_fail_at(P, TOKSIM_EPARSE, *line, sid_col,
                                     sid.count != 1 ? "a mandatory label SID has one "
                                                      "sub-authority (S-1-16-RID)"
                                                    : "a second mandatory label (a token "
                                                      "has one integrity level)");
        P->have_label = true;
        P->label_rid = sid.sub[0];
    } else {
        for (size_t i = 0; i < P->ngroups; i++)
            if (toksim_sid_equal(&P->groups[i].sid, &sid))
                return ts_whoami_fail_at(P, TOKSIM_EPARSE, *line, sid_col,
                                         "group listed twice");
        if (P->ngroups >= TOKSIM_TOKEN_MAX_GROUPS)
            return ts_whoami_fail_at(P, TOKSIM_ELIMIT, *line, sid_col,
                                     "more than %d groups", TOKSIM_TOKEN_MAX_GROUPS);
        if (!ts_grow((void **)&P->groups, &P->capgroups, P->ngroups + 1,
                     sizeof *P->groups))
            return TOKSIM_ENOMEM;
        P->groups[P->ngroups++] = (wgroup){sid, attrs};
        if (P->info && (attrs & TOKSIM_SE_GROUP_LOGON_ID) == TOKSIM_SE_GROUP_LOGON_ID)
            P->info->logon_sid_count++;
    }
    if (P->info)
        P->info->group_count++;
    return TOKSIM_OK;
}

static toksim_status priv_row(wp *P, size_t line, size_t at)
{
    const wline *l = &P->lines[line];
    const char *w;
    size_t n = word(l, &at, &w), hex_col = (size_t)(w - l->p);
    char buf[64];
    unsigned long luid = 0;
    char *end = NULL;
    if (n < 3 || n >= sizeof buf || w[0] != '0' || (w[1] != 'x' && w[1] != 'X'))
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, hex_col,
                                 "expected the privilege LUID (0x000000017)");
    memcpy(buf, w, n);
    buf[n] = '\0';
    luid = strtoul(buf + 2, &end, 16);
    if (!end || *end)
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, hex_col,
                                 "malformed privilege LUID '%s'", buf);
    n = word(l, &at, &w);
    size_t name_col = (size_t)(w - l->p);
    const toksim_privilege_info *pi = NULL;
    if (n && n < sizeof buf) {
        memcpy(buf, w, n);
        buf[n] = '\0';
        pi = toksim_privilege_by_name(buf);
    }
    if (!pi)
        return ts_whoami_fail_at(
            P, TOKSIM_ENOTFOUND, line, name_col,
            "unknown privilege '%.*s' (expected a privilege constant "
            "name such as SeImpersonatePrivilege)",
            (int)(n > 60 ? 60 : n), w);
    if ((unsigned long)pi->luid != luid)
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, hex_col,
                                 "%s has LUID 0x%x, not 0x%lx", pi->name,
                                 (unsigned)pi->luid, luid);
    if (pi->luid > TOKSIM_PRIV_MAX)
        return ts_whoami_fail_at(P, TOKSIM_EUNSUPPORTED, line, name_col,
                                 "privilege LUID %u is out of the modelled range",
                                 (unsigned)pi->luid);
    uint32_t attrs = 0;
    bool found = false;
    toksim_status rc = attrs_at(P, line, at, false, &attrs, &found);
    if (rc)
        return rc;
    if (!found)
        return ts_whoami_fail_at(
            P, TOKSIM_EPARSE, line, at,
            "expected \"Attributes - ...\" after the privilege name");
    uint32_t bit = (uint32_t)pi->luid;
    if (P->priv_seen & ((uint64_t)1 << bit))
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, name_col,
                                 "privilege %s listed twice", pi->name);
    if (attrs & TOKSIM_SE_PRIVILEGE_REMOVED)
        return TOKSIM_OK; /* a removed privilege is not in the token any more */
    P->priv_seen |= (uint64_t)1 << bit;
    P->priv_attr[bit] = attrs & ~TOKSIM_SE_PRIVILEGE_USED_FOR_ACCESS;
    if (P->info)
        P->info->privilege_count++;
    return TOKSIM_OK;
}

static bool is_prompt(const wline *l)
{
    /* "0:000> ", "kd> ", "lkd> ", "1: kd> " */
    for (size_t i = 0; i + 1 < l->n && i < 12; i++)
        if (l->p[i] == '>' && (i + 1 == l->n || sp(l->p[i + 1])))
            return i > 0;
    return false;
}

/* A "Key: value" line the importer reads past (a word, then ':' before any digit). */
static bool is_key_line(const wline *l)
{
    size_t i = 0;
    while (i < l->n &&
           ((l->p[i] >= 'A' && l->p[i] <= 'Z') || (l->p[i] >= 'a' && l->p[i] <= 'z') ||
            l->p[i] == ' ' || l->p[i] == '_' || l->p[i] == '-'))
        i++;
    return i > 1 && i < l->n && l->p[i] == ':';
}

static toksim_status parse_kv(wp *P, size_t line, wdx *x, bool *known)
{
    const wline *l = &P->lines[line];
    size_t at;
    *known = true;
    if (key_at(l, 0, "User:", &at)) {
        if (P->have_user)
            return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, 0,
                                     "a second \"User:\" line");
        P->have_user = true;
        if (P->info) { /* -n: "S-1-... (User: CONTOSO\alice)" names it */
            P->info->sections |= TOKSIM_WHOAMI_SEC_USER;
            const char *o = memchr(l->p + at, '(', l->n - at);
            const char *c = o ? memchr(o, ':', (size_t)(l->p + l->n - o)) : NULL;
            const char *e = c ? memchr(c, ')', (size_t)(l->p + l->n - c)) : NULL;
            const char *name = c ? c + 1 : NULL;
            while (e && name < e && sp(*name)) /* the space after ':' (if any) */
                name++;
            if (e && e > name) /* not c + 2: that skipped a name's first byte */
                ts_whoami_set_user_name(P, name, (size_t)(e - name), 200);
        }
        return sid_at(P, line, &at, &P->user, "the user SID");
    }
    if (key_at(l, 0, "Primary Group:", &at)) {
        x->have_pgroup = true;
        return sid_at(P, line, &at, &x->pgroup, "the primary group SID");
    }
    if (key_at(l, 0, "Impersonation Level:", &at)) {
        const char *w;
        size_t n = word(l, &at, &w);
        static const char *const lv[] = {"Anonymous", "Identification", "Impersonation",
                                         "Delegation"};
        for (int i = 0; i < 4; i++)
            if (strlen(lv[i]) == n && memcmp(lv[i], w, n) == 0) {
                x->have_level = true;
                x->level = (toksim_imp_level)i;
                return TOKSIM_OK;
            }
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, (size_t)(w - l->p),
                                 "expected Anonymous, Identification, Impersonation or "
                                 "Delegation");
    }
    if (key_at(l, 0, "TokenType:", &at)) {
        const char *w;
        size_t n = word(l, &at, &w);
        x->have_type = true;
        if (n == 7 && memcmp(w, "Primary", 7) == 0)
            x->type = TOKSIM_TOKEN_PRIMARY;
        else if (n == 13 && memcmp(w, "Impersonation", 13) == 0)
            x->type = TOKSIM_TOKEN_IMPERSONATION;
        else
            return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, (size_t)(w - l->p),
                                     "expected the token type Primary or Impersonation");
        return TOKSIM_OK;
    }
    if (key_at(l, 0, "Auth ID:", &at) || key_at(l, 0, "Authentication ID:", &at)) {
        /* "0:3e7" (kernel) or "(0,12d687)" (user mode): two hex numbers */
        uint32_t part[2] = {0, 0};
        size_t i = at;
        if (i < l->n && l->p[i] == '(')
            i++;
        for (int k = 0; k < 2; k++) {
            while (i < l->n && sp(l->p[i]))
                i++;
            size_t d = i;
            while (i < l->n && i - d < 8 &&
                   ((l->p[i] >= '0' && l->p[i] <= '9') ||
                    (l->p[i] >= 'a' && l->p[i] <= 'f') ||
                    (l->p[i] >= 'A' && l->p[i] <= 'F'))) {
                char ch = l->p[i++];
                part[k] = part[k] * 16u +
                          (uint32_t)(ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
            }
            if (i - d == 8 && i < l->n && isxdigit((unsigned char)l->p[i]))
                return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, d,
                                         "logon id half longer than 8 hex digits (a "
                                         "LUID is two 32-bit halves)");
            if (i == d || (k == 0 && (i >= l->n || (l->p[i] != ':' && l->p[i] != ','))))
                return ts_whoami_fail_at(
                    P, TOKSIM_EPARSE, line, i,
                    "expected the logon id as HIGH:LOW in hex (0:3e7)");
            if (k == 0)
                i++;
        }
        x->have_auth = true;
        x->auth = ((uint64_t)part[0] << 32) | part[1];
        return TOKSIM_OK;
    }
    if (key_at(l, 0, "TS Session ID:", &at)) { /* "0x1" or "1" */
        size_t i = at;
        unsigned base = 10;
        if (i + 1 < l->n && l->p[i] == '0' &&
            (l->p[i + 1] == 'x' || l->p[i + 1] == 'X')) {
            base = 16;
            i += 2;
        }
        size_t d = i;
        uint64_t v = 0;
        while (i < l->n) {
            char ch = l->p[i];
            unsigned dig = ch >= '0' && ch <= '9' ? (unsigned)(ch - '0')
                           : base == 16 && (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f'
                               ? (unsigned)((ch | 0x20) - 'a' + 10)
                               : 99u;
            if (dig >= base)
                break;
            v = v * base + dig;
            /* a session id is a ULONG: more digits are an error, not silently cut */
            if (v > 0xFFFFFFFFu)
                return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, d,
                                         "session number larger than 0xFFFFFFFF");
            i++;
        }
        if (i == d)
            return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, i,
                                     "expected a session number");
        x->have_session = true;
        x->session = (uint32_t)v;
        return TOKSIM_OK;
    }
    *known = false;
    return TOKSIM_OK;
}

static toksim_status parse_windbg(wp *P, wdx *x)
{
    bool started = false;
    wblock block = IN_NONE;
    for (size_t i = 0; i < P->nlines; i++) {
        const wline *l = &P->lines[i];
        size_t k = 0;
        while (k < l->n && sp(l->p[k]))
            k++;
        if (k == l->n)
            continue;
        wline t = {l->p + k, l->n - k}; /* the line without its indentation */
        size_t at;
        if (is_prompt(&t)) {
            if (!started) {
                if (P->info)
                    P->info->preamble_lines++;
                continue;
            }
            if (P->info) { /* the next command: the token ended */
                P->info->trailing_line = i + 1;
                for (size_t r = i; r < P->nlines; r++)
                    P->info->trailing_lines += P->lines[r].n > 0;
            }
            break;
        }
        if (key_at(&t, 0, "Groups:", &at) && at == t.n) {
            block = IN_GROUPS;
            started = true;
            if (P->info)
                P->info->sections |= TOKSIM_WHOAMI_SEC_GROUPS;
            continue;
        }
        if (key_at(&t, 0, "Privs:", &at) && at == t.n) {
            block = IN_PRIVS;
            started = true;
            if (P->info)
                P->info->sections |= TOKSIM_WHOAMI_SEC_PRIVS;
            continue;
        }
        if ((block == IN_GROUPS || block == IN_PRIVS) && row_index(l, &at)) {
            toksim_status rc =
                block == IN_GROUPS ? group_row(P, &i, at) : priv_row(P, i, at);
            if (rc)
                return rc;
            continue;
        }
        /* "key: value" lines are read at their indentation (kernel output indents none)
         */
        wline saved = P->lines[i];
        P->lines[i] = t;
        bool known = false;
        toksim_status rc = parse_kv(P, i, x, &known);
        P->lines[i] = saved;
        if (rc) { /* the column counted from the trimmed line: shift it back */
            if (P->err)
                P->err->column += (int)k;
            return rc;
        }
        if (known) {
            started = true;
            block = IN_NONE;
        } else if (is_key_line(&t)) {
            block = started ? IN_OTHER : IN_NONE; /* read past, with its indented rows */
            if (P->info && !started)
                P->info->preamble_lines++;
        } else if (!started || block == IN_OTHER) {
            if (P->info && !started)
                P->info->preamble_lines++; /* "_TOKEN e1bed030", "Thread is not ..." */
        } else {
            return ts_whoami_fail_at(P, TOKSIM_EPARSE, i, k,
                                     "unexpected text: expected a !token line (User:, "
                                     "Groups:, Primary Group:, Privs:, a numbered row, "
                                     "Attributes - ...)");
        }
    }
    if (!P->info ||
        !(P->info->sections &
          (TOKSIM_WHOAMI_SEC_USER | TOKSIM_WHOAMI_SEC_GROUPS | TOKSIM_WHOAMI_SEC_PRIVS)))
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, 0, 0,
                                 "no !token output found (expected \"User: S-1-...\", "
                                 "\"Groups:\" or \"Privs:\")");
    return TOKSIM_OK;
}

static toksim_status parse_windbg_cb(wp *P, void *payload)
{
    return parse_windbg(P, payload);
}

toksim_status toksim_token_from_windbg(toksim_token **out,
                                       toksim_whoami_info *info,
                                       const char *text,
                                       size_t len,
                                       const toksim_sid_context *ctx,
                                       toksim_error *err)
{
    wdx x;
    memset(&x, 0, sizeof x);
    toksim_status rc = ts_whoami_import(out, info, text, len, ctx, err,
                                        TOKSIM_WHOAMI_FMT_WINDBG, parse_windbg_cb, &x);
    if (rc == TOKSIM_OK) { /* what !token shows and whoami does not */
        if (x.have_type || x.have_level)
            toksim_token_set_type(*out, x.have_type ? x.type : TOKSIM_TOKEN_PRIMARY,
                                  x.have_level ? x.level : TOKSIM_IMP_ANONYMOUS);
        if (x.have_auth)
            toksim_token_set_auth_id(*out, x.auth);
        if (x.have_session)
            toksim_token_set_session_id(*out, x.session);
        if (x.have_pgroup)
            toksim_token_set_primary_group(*out, &x.pgroup);
    }
    return rc;
}

bool toksim_text_is_windbg_token(const char *text, size_t len)
{
    /* ASCII/UTF-8 and UTF-16LE alike: look for "Privs:" or "User: S-1-" in the text
     * with NULs skipped (no decoding needed to tell the two formats apart). */
    static const char *const marks[] = {"Privs:", "User: S-1-", "Groups:"};
    char win[16];
    size_t w = 0;
    for (size_t i = 0; i < len && i < (1u << 20); i++) {
        if (!text[i])
            continue;
        if (w == sizeof win - 1) {
            memmove(win, win + 1, sizeof win - 2);
            w--;
        }
        win[w++] = text[i];
        win[w] = '\0';
        for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
            size_t n = strlen(marks[m]);
            if (w >= n && memcmp(win + w - n, marks[m], n) == 0)
                return true;
        }
    }
    return false;
}
