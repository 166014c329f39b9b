/*
 * PURPOSE: `whoami /all` importer: the text whoami.exe prints (table, list or CSV layout,
 * any encoding Windows saves it in) back into a token, for replaying access checks with
 * the token a real machine built. Inverse of toksim_token_render_whoami()
 * (token_render.c).
 *
 * Modelled (from public whoami outputs: IIS APPPOOL\DefaultAppPool on Windows 10/11
 * [OBS-APPPOOL], NT AUTHORITY\SYSTEM [OBS-SYSTEM], UAC-filtered administrators, domain
 * users with "Local Group"):
 *  - table columns sized per machine: positions come from the "=====" line, a cell may be
 * empty (the name of an "Unknown SID type" row such as S-1-5-82-0), names contain spaces;
 * rows that do not line up (collapsed blanks in a paste, `/nh` without "=====") are split
 * on their content instead: the SID is the first S-1- word, the Type column a known
 * whoami type word;
 *  - the attribute words of whoami map to SE_GROUP_* ("SID Attributes in an Access
 * Token"): Mandatory group 0x1, Enabled by default 0x2, Enabled group 0x4, Group owner
 * 0x8, Group used for deny only 0x10, Local Group 0x20000000 (SE_GROUP_RESOURCE); the
 * label row "Mandatory Label\X Mandatory Level" S-1-16-RID (empty attributes) is the
 * integrity level; a logon SID S-1-5-5-X-Y (or Type "Logon ID") keeps SE_GROUP_LOGON_ID
 * (windows-model §4.2);
 *  - privilege State Enabled/Disabled; names looked up in privileges.inc.
 * Left out: localized whoami output (headers and attribute words are English), claims
 * (read past, reported in toksim_whoami_info), what whoami never prints
 * (docs/whoami-import.md lists the defaults: primary token, owner, primary group, default
 * DACL, auth id, elevation).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "identity/whoami_int.h"

static const char *const HEADS_USER[] = {"User Name", "SID"};
static const char *const HEADS_GROUPS[] = {"Group Name", "Type", "SID", "Attributes"};
static const char *const HEADS_PRIVS[] = {"Privilege Name", "Description", "State"};

static size_t ncols_of(sec_kind k)
{
    return k == SEC_USER ? 2 : k == SEC_GROUPS ? 4 : 3;
}
static const char *const *heads_of(sec_kind k)
{
    return k == SEC_USER ? HEADS_USER : k == SEC_GROUPS ? HEADS_GROUPS : HEADS_PRIVS;
}
static const char *title_of(sec_kind k)
{
    return k == SEC_USER     ? "USER INFORMATION"
           : k == SEC_GROUPS ? "GROUP INFORMATION"
                             : "PRIVILEGES INFORMATION";
}

static toksim_status
fail_cell(wp *P, toksim_status code, const wcell *c, const char *fmt, ...)
    TS_PRINTF(4, 5);
static toksim_status
fail_cell(wp *P, toksim_status code, const wcell *c, const char *fmt, ...)
{
    char msg[TOKSIM_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ts_whoami_fail_at(P, code, c->line, c->at, "%s", msg);
}

/* Cells are quoted in messages, cut to 60 bytes. */
#define CUT(n) ((int)((n) > 60 ? 60 : (n)))

/* ---- text helpers ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static void trim(const char **p, size_t *n)
{
    while (*n && is_space(**p))
        (*p)++, (*n)--;
    while (*n && is_space((*p)[*n - 1]))
        (*n)--;
}

static bool eq_ci(const char *p, size_t n, const char *lit)
{
    return strlen(lit) == n && ts_strncasecmp(p, lit, n) == 0;
}

static bool is_blank(const wline *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (!is_space(l->p[i]))
            return false;
    return true;
}

static sec_kind title_kind(const wline *l)
{
    const char *p = l->p;
    size_t n = l->n;
    trim(&p, &n);
    if (eq_ci(p, n, "USER INFORMATION"))
        return SEC_USER;
    if (eq_ci(p, n, "GROUP INFORMATION"))
        return SEC_GROUPS;
    if (eq_ci(p, n, "PRIVILEGES INFORMATION"))
        return SEC_PRIVS;
    if (n >= 18 && n <= 40 &&
        eq_ci(p + n - 18, 18, "CLAIMS INFORMATION")) /* USER / DEVICE CLAIMS */
        return SEC_CLAIMS;
    return SEC_NONE;
}

/* A line made of '=' runs separated by blanks ("===== ==== ..."), or of dashes (a title's
 * underline). */
static bool is_rule(const wline *l, char ch)
{
    if (l->n == 0 || l->p[0] != ch)
        return false;
    for (size_t i = 0; i < l->n; i++)
        if (l->p[i] != ch && !is_space(l->p[i]))
            return false;
    return true;
}

/* ---- rows -> token parts ---- */

static toksim_status
parse_sid_cell(wp *P, const wcell *c, toksim_sid *out, const char *what)
{
    toksim_error e;
    toksim_error_clear(&e);
    if (c->n == 0 || toksim_sid_parse_n(out, c->p, c->n, &e) != TOKSIM_OK)
        return fail_cell(P, TOKSIM_EPARSE, c,
                         "expected %s (S-1-...) in the SID column, found '%.*s'", what,
                         CUT(c->n), c->p);
    return TOKSIM_OK;
}

static toksim_status accept_user(wp *P, const wcell *c)
{
    toksim_sid sid;
    toksim_status rc = parse_sid_cell(P, &c[1], &sid, "the user's SID");
    if (rc != TOKSIM_OK)
        return rc;
    if (P->have_user)
        return fail_cell(P, TOKSIM_EPARSE, &c[1],
                         "a second user row (whoami prints one user)");
    P->have_user = true;
    P->user = sid;
    ts_whoami_set_user_name(P, c[0].p, c[0].n, 255);
    return TOKSIM_OK;
}

static const struct {
    const char *word;
    uint32_t bit;
} ATTR_WORDS[] = {{"Mandatory group", TOKSIM_SE_GROUP_MANDATORY},
                  {"Enabled by default", TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT},
                  {"Enabled group", TOKSIM_SE_GROUP_ENABLED},
                  {"Group owner", TOKSIM_SE_GROUP_OWNER},
                  {"Group used for deny only", TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY},
                  {"Local Group", TOKSIM_SE_GROUP_RESOURCE},
                  {"Logon ID", TOKSIM_SE_GROUP_LOGON_ID}};

static toksim_status parse_attrs(wp *P, const wcell *c, uint32_t *out)
{
    *out = 0;
    size_t i = 0;
    while (i < c->n) {
        size_t j = i;
        while (j < c->n && c->p[j] != ',')
            j++;
        const char *w = c->p + i;
        size_t n = j - i;
        trim(&w, &n);
        wcell at = {c->line, c->at + (size_t)(w - c->p), w, n};
        size_t k = 0;
        while (k < sizeof ATTR_WORDS / sizeof ATTR_WORDS[0] &&
               !eq_ci(w, n, ATTR_WORDS[k].word))
            k++;
        if (k == sizeof ATTR_WORDS / sizeof ATTR_WORDS[0])
            return fail_cell(
                P, TOKSIM_EPARSE, &at,
                "unknown group attribute '%.*s' (expected Mandatory group, Enabled by "
                "default, Enabled "
                "group, Group owner, Group used for deny only or Local Group)",
                CUT(n), w);
        *out |= ATTR_WORDS[k].bit;
        i = j + 1;
        if (j < c->n && j + 1 >= c->n) {
            wcell comma = {c->line, c->at + j, c->p + j, 1};
            return fail_cell(P, TOKSIM_EPARSE, &comma,
                             "attribute list ends with a comma");
        }
    }
    return TOKSIM_OK;
}

static bool is_logon_sid(const toksim_sid *s)
{
    return toksim_sid_authority(s) == 5 && s->count == 3 && s->sub[0] == 5;
}

static toksim_status accept_group(wp *P, const wcell *c)
{
    toksim_sid sid;
    uint32_t attrs = 0;
    toksim_status rc = parse_sid_cell(P, &c[2], &sid, "a group SID");
    if (rc == TOKSIM_OK)
        rc = parse_attrs(P, &c[3], &attrs);
    if (rc != TOKSIM_OK)
        return rc;
    char name[TOKSIM_SID_STRING_MAX + 128];
    if (toksim_sid_authority(&sid) == 16) {
        /* The label row: "Mandatory Label\High Mandatory Level  Label  S-1-16-12288" (no
         * attributes). */
        if (sid.count != 1)
            return fail_cell(P, TOKSIM_EPARSE, &c[2],
                             "a mandatory label SID has one sub-authority (S-1-16-RID)");
        if (attrs)
            return fail_cell(P, TOKSIM_EPARSE, &c[3],
                             "whoami prints no attributes for the mandatory label");
        if (P->have_label)
            return fail_cell(
                P, TOKSIM_EPARSE, &c[2],
                "a second mandatory label row (a token has one integrity level)");
        P->have_label = true;
        P->label_rid = sid.sub[0];
    } else {
        for (size_t i = 0; i < P->ngroups; i++)
            if (toksim_sid_equal(&P->groups[i].sid, &sid)) {
                toksim_sid_display_name(name, sizeof name, &sid, P->ctx);
                return fail_cell(P, TOKSIM_EPARSE, &c[2], "group %s listed twice", name);
            }
        if (P->ngroups >= TOKSIM_TOKEN_MAX_GROUPS)
            return fail_cell(P, TOKSIM_ELIMIT, &c[2], "more than %d groups",
                             TOKSIM_TOKEN_MAX_GROUPS);
        if (eq_ci(c[1].p, c[1].n, "Logon ID") || is_logon_sid(&sid))
            attrs |= TOKSIM_SE_GROUP_LOGON_ID;
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

static toksim_status accept_priv(wp *P, const wcell *c)
{
    char name[64];
    const toksim_privilege_info *pi = NULL;
    if (c[0].n < sizeof name) {
        memcpy(name, c[0].p, c[0].n);
        name[c[0].n] = '\0';
        pi = toksim_privilege_by_name(name);
    }
    if (!pi)
        return fail_cell(P, TOKSIM_ENOTFOUND, &c[0],
                         "unknown privilege '%.*s' (expected a privilege constant name "
                         "such as SeImpersonatePrivilege)",
                         CUT(c[0].n), c[0].p);
    uint32_t attrs;
    if (eq_ci(c[2].p, c[2].n, "Enabled"))
        attrs = TOKSIM_SE_PRIVILEGE_ENABLED |
                TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT; /* see docs/whoami-import.md */
    else if (eq_ci(c[2].p, c[2].n, "Disabled"))
        attrs = 0;
    else
        return fail_cell(P, TOKSIM_EPARSE, &c[2],
                         "expected the privilege state Enabled or Disabled, found '%.*s'",
                         CUT(c[2].n), c[2].p);
    uint32_t luid = (uint32_t)pi->luid;
    if (luid > TOKSIM_PRIV_MAX)
        return fail_cell(P, TOKSIM_EUNSUPPORTED, &c[0],
                         "privilege LUID %u is out of the modelled range", luid);
    if (P->priv_seen & ((uint64_t)1 << luid))
        return fail_cell(P, TOKSIM_EPARSE, &c[0], "privilege %s listed twice", pi->name);
    P->priv_seen |= (uint64_t)1 << luid;
    P->priv_attr[luid] = attrs;
    if (P->info)
        P->info->privilege_count++;
    return TOKSIM_OK;
}

static toksim_status accept_row(wp *P, sec_kind k, const wcell *c)
{
    return k == SEC_USER     ? accept_user(P, c)
           : k == SEC_GROUPS ? accept_group(P, c)
                             : accept_priv(P, c);
}

/* ---- table layout ---- */

/* Column starts (in characters) of a "=====" line. */
static size_t rule_columns(const wp *P, const wline *l, size_t *cols)
{
    size_t n = 0, ch = 0;
    bool in = false;
    for (size_t i = 0; i < l->n; i++) {
        bool eq = l->p[i] == '=';
        if (eq && !in && n < TOKSIM_WHOAMI_MAX_COLUMNS + 1)
            cols[n++] = ch;
        in = eq;
        ch += !P->utf8 || ((unsigned char)l->p[i] & 0xC0u) != 0x80u;
    }
    return n;
}

static wcell make_cell(size_t line, const wline *l, size_t b0, size_t b1)
{
    const char *p = l->p + b0;
    size_t n = b1 - b0;
    trim(&p, &n);
    return (wcell){line, (size_t)(p - l->p), p, n};
}

/* Cut a row at the column starts; false when a word straddles a column boundary. */
static bool
split_columns(const wp *P, size_t line, const size_t *cols, size_t ncol, wcell *c)
{
    const wline *l = &P->lines[line];
    for (size_t i = 0; i < ncol; i++) {
        size_t b0 = ts_whoami_byte_of_char(P, l, cols[i]);
        size_t b1 = i + 1 < ncol ? ts_whoami_byte_of_char(P, l, cols[i + 1]) : l->n;
        if (i > 0 && b0 > 0 && b0 < l->n && !is_space(l->p[b0 - 1]))
            return false;
        c[i] = make_cell(line, l, b0, b1);
    }
    if (cols[0] > 0) {
        wcell lead = make_cell(line, l, 0, ts_whoami_byte_of_char(P, l, cols[0]));
        if (lead.n)
            return false;
    }
    return true;
}

/* whoami's Type words, longest first (a suffix match must not take "Group" out of
 * "Well-known group"). */
static const char *const TYPE_WORDS[] = {"Well-known group",
                                         "Unknown SID type",
                                         "Deleted account",
                                         "Logon ID",
                                         "Computer",
                                         "Invalid",
                                         "Domain",
                                         "Label",
                                         "Alias",
                                         "Group",
                                         "User"};

/* Split a row on its content (no usable columns): see the file comment. */
static bool split_free(const wp *P, size_t line, sec_kind k, wcell *c)
{
    const wline *l = &P->lines[line];
    size_t ws[64], we[64], nw = 0;
    for (size_t i = 0; i < l->n;) {
        while (i < l->n && is_space(l->p[i]))
            i++;
        if (i >= l->n)
            break;
        if (nw == 64)
            return false;
        ws[nw] = i;
        while (i < l->n && !is_space(l->p[i]))
            i++;
        we[nw++] = i;
    }
    if (nw == 0)
        return false;
    if (k == SEC_USER) {
        c[0] = nw > 1 ? make_cell(line, l, ws[0], we[nw - 2])
                      : make_cell(line, l, ws[0], ws[0]);
        c[1] = make_cell(line, l, ws[nw - 1], we[nw - 1]);
        return true;
    }
    if (k == SEC_PRIVS) {
        if (nw < 2)
            return false;
        c[0] = make_cell(line, l, ws[0], we[0]);
        c[1] = nw > 2 ? make_cell(line, l, ws[1], we[nw - 2])
                      : make_cell(line, l, we[0], we[0]);
        c[2] = make_cell(line, l, ws[nw - 1], we[nw - 1]);
        return true;
    }
    size_t s = 0;
    while (s < nw && !(we[s] - ws[s] > 4 && ts_strncasecmp(l->p + ws[s], "S-1-", 4) == 0))
        s++;
    if (s == nw)
        return false;
    size_t left_end = s ? we[s - 1] : ws[s];
    wcell left = make_cell(line, l, 0, left_end);
    c[0] = left, c[1] = make_cell(line, l, left_end, left_end);
    for (size_t t = 0; t < sizeof TYPE_WORDS / sizeof TYPE_WORDS[0]; t++) {
        size_t tn = strlen(TYPE_WORDS[t]);
        if (left.n >= tn &&
            ts_strncasecmp(left.p + left.n - tn, TYPE_WORDS[t], tn) == 0 &&
            (left.n == tn || is_space(left.p[left.n - tn - 1]))) {
            size_t tb = (size_t)(left.p - l->p) + left.n - tn;
            c[1] = make_cell(line, l, tb, tb + tn);
            c[0] = make_cell(line, l, (size_t)(left.p - l->p), tb);
            break;
        }
    }
    c[2] = make_cell(line, l, ws[s], we[s]);
    c[3] =
        s + 1 < nw ? make_cell(line, l, ws[s + 1], l->n) : make_cell(line, l, l->n, l->n);
    return true;
}

static const char *row_shape(sec_kind k)
{
    return k == SEC_USER     ? "a user row (name, SID)"
           : k == SEC_GROUPS ? "a group row (name, type, SID, attributes)"
                             : "a privilege row (name, description, state)";
}

/*
 * One table row: cut at the columns of the ===== line; when the row does not line up (or
 * there is no ===== line), split it on its words. When the columns cut cleanly but the
 * row is rejected, the word split gets a second chance and the column error is kept if
 * that fails too.
 */
static toksim_status
table_row(wp *P, sec_kind k, size_t line, const size_t *cols, size_t ncol)
{
    wcell c[TOKSIM_WHOAMI_MAX_COLUMNS];
    if (ncol && split_columns(P, line, cols, ncol, c)) {
        toksim_status rc = accept_row(P, k, c);
        if (rc != TOKSIM_EPARSE)
            return rc;
        toksim_error keep = *P->err;
        if (split_free(P, line, k, c) && accept_row(P, k, c) == TOKSIM_OK)
            return TOKSIM_OK;
        *P->err = keep;
        return rc;
    }
    if (!split_free(P, line, k, c))
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, 0, "expected %s%s", row_shape(k),
                                 ncol ? " lined up with the ===== columns" : "");
    return accept_row(P, k, c);
}

static toksim_status parse_table(wp *P, size_t *j, sec_kind k)
{
    size_t cols[TOKSIM_WHOAMI_MAX_COLUMNS + 1], ncol = 0, want = ncols_of(k);
    size_t i = *j, header = (size_t)-1;
    if (i + 1 < P->nlines && is_rule(&P->lines[i + 1], '='))
        header = i++;
    if (is_rule(&P->lines[i], '=')) {
        ncol = rule_columns(P, &P->lines[i], cols);
        if (ncol != want)
            return ts_whoami_fail_at(
                P, TOKSIM_EPARSE, i, 0,
                "expected %zu columns in the ===== line of %s, found %zu", want,
                title_of(k), ncol);
        i++;
    }
    if (header != (size_t)-1) {
        wcell c[TOKSIM_WHOAMI_MAX_COLUMNS];
        bool ok = split_columns(P, header, cols, ncol, c);
        for (size_t h = 0; ok && h < want; h++)
            ok = eq_ci(c[h].p, c[h].n, heads_of(k)[h]);
        if (!ok)
            return ts_whoami_fail_at(P, TOKSIM_EPARSE, header, 0,
                                     "expected the column headers of %s ('%s', '%s'%s) "
                                     "of English whoami output",
                                     title_of(k), heads_of(k)[0], heads_of(k)[1],
                                     want > 2 ? ", ..." : "");
    }
    for (;
         i < P->nlines && !is_blank(&P->lines[i]) && title_kind(&P->lines[i]) == SEC_NONE;
         i++) {
        toksim_status rc = table_row(P, k, i, cols, ncol);
        if (rc != TOKSIM_OK)
            return rc;
    }
    *j = i;
    if (P->info)
        P->info->formats |= TOKSIM_WHOAMI_FMT_TABLE;
    return TOKSIM_OK;
}

/* ---- list layout (/fo list): "Group Name: x" / "Type: y" / "SID: z" / "Attributes: w"
 * records ---- */

static int list_key(const wline *l, sec_kind k, wcell *val, size_t line)
{
    const char *colon = memchr(l->p, ':', l->n);
    if (!colon)
        return -1;
    const char *p = l->p;
    size_t n = (size_t)(colon - l->p);
    trim(&p, &n);
    for (size_t h = 0; h < ncols_of(k); h++)
        if (eq_ci(p, n, heads_of(k)[h])) {
            *val = make_cell(line, l, (size_t)(colon - l->p) + 1, l->n);
            return (int)h;
        }
    return -1;
}

static toksim_status
list_flush(wp *P, sec_kind k, wcell *rec, unsigned *have, size_t start)
{
    if (!*have)
        return TOKSIM_OK;
    for (size_t h = 0; h < ncols_of(k); h++)
        if (!(*have & (1u << h)))
            return ts_whoami_fail_at(P, TOKSIM_EPARSE, start, 0,
                                     "this record lacks its '%s:' line", heads_of(k)[h]);
    *have = 0;
    return accept_row(P, k, rec);
}

static toksim_status parse_list(wp *P, size_t *j, sec_kind k)
{
    wcell rec[TOKSIM_WHOAMI_MAX_COLUMNS], val;
    unsigned have = 0;
    size_t start = *j, i = *j;
    for (; i < P->nlines && title_kind(&P->lines[i]) == SEC_NONE; i++) {
        const wline *l = &P->lines[i];
        toksim_status rc = TOKSIM_OK;
        if (is_blank(l)) {
            rc = list_flush(P, k, rec, &have, start);
        } else {
            int h = list_key(l, k, &val, i);
            if (h < 0 && !have)
                break; /* end of the section: the caller decides what this line is */
            if (h < 0)
                return ts_whoami_fail_at(P, TOKSIM_EPARSE, i, 0,
                                         "expected a '%s:' line of the %s list",
                                         heads_of(k)[0], title_of(k));
            if (h == 0 && have)
                rc = list_flush(P, k, rec, &have, start);
            if (rc == TOKSIM_OK && (have & (1u << h)))
                return ts_whoami_fail_at(P, TOKSIM_EPARSE, i, 0,
                                         "'%s:' appears twice in one record",
                                         heads_of(k)[h]);
            if (!have)
                start = i;
            rec[h] = val;
            have |= 1u << h;
        }
        if (rc != TOKSIM_OK)
            return rc;
    }
    toksim_status rc = list_flush(P, k, rec, &have, start);
    *j = i;
    if (P->info)
        P->info->formats |= TOKSIM_WHOAMI_FMT_LIST;
    return rc;
}

/* ---- CSV layout (/fo csv): "a","b",... with "" for a quote; blocks separated by blank
 * lines ---- */

static toksim_status csv_split(wp *P, size_t line, wcell *f, size_t *nf)
{
    const wline *l = &P->lines[line];
    size_t i = 0;
    *nf = 0;
    for (;;) {
        if (*nf == TOKSIM_WHOAMI_MAX_COLUMNS)
            return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, i, "more than %u CSV fields",
                                     TOKSIM_WHOAMI_MAX_COLUMNS);
        size_t b0 = i, b1;
        if (i < l->n && l->p[i] == '"') {
            b0 = ++i;
            for (;; i++) {
                if (i >= l->n)
                    return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, b0 - 1,
                                             "unterminated quoted CSV field");
                if (l->p[i] == '"' && i + 1 < l->n && l->p[i + 1] == '"')
                    i++;
                else if (l->p[i] == '"')
                    break;
            }
            b1 = i++;
        } else {
            while (i < l->n && l->p[i] != ',')
                i++;
            b1 = i;
        }
        f[(*nf)++] = make_cell(line, l, b0, b1);
        if (i >= l->n)
            return TOKSIM_OK;
        if (l->p[i] != ',')
            return ts_whoami_fail_at(
                P, TOKSIM_EPARSE, line, i,
                "expected ',' or the end of the line after a CSV field");
        i++;
    }
}

static toksim_status mark_section(wp *P, sec_kind k, size_t line)
{
    if (k != SEC_CLAIMS &&
        (P->info->sections & (unsigned)k)) /* USER and DEVICE CLAIMS may both appear */
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, line, 0, "a second %s section",
                                 k == SEC_CLAIMS ? "claims" : title_of(k));
    P->info->sections |= (unsigned)k;
    return TOKSIM_OK;
}

static toksim_status parse_csv(wp *P, size_t *j, sec_kind k)
{
    size_t i = *j;
    bool marked = k != SEC_NONE;
    for (;
         i < P->nlines && !is_blank(&P->lines[i]) && title_kind(&P->lines[i]) == SEC_NONE;
         i++) {
        wcell f[TOKSIM_WHOAMI_MAX_COLUMNS];
        size_t nf;
        toksim_status rc = csv_split(P, i, f, &nf);
        if (rc != TOKSIM_OK)
            return rc;
        sec_kind hk = eq_ci(f[0].p, f[0].n, "User Name")        ? SEC_USER
                      : eq_ci(f[0].p, f[0].n, "Group Name")     ? SEC_GROUPS
                      : eq_ci(f[0].p, f[0].n, "Privilege Name") ? SEC_PRIVS
                                                                : SEC_NONE;
        if (hk != SEC_NONE && k != SEC_NONE && hk != k)
            return ts_whoami_fail_at(P, TOKSIM_EPARSE, i, 0,
                                     "a %s header inside the %s block", title_of(hk),
                                     title_of(k));
        if (k == SEC_NONE)
            k = hk != SEC_NONE ? hk
                : nf == 2      ? SEC_USER
                : nf == 4      ? SEC_GROUPS
                : nf == 3      ? SEC_PRIVS
                               : SEC_NONE;
        if (k == SEC_NONE)
            return ts_whoami_fail_at(
                P, TOKSIM_EPARSE, i, 0,
                "expected a whoami CSV row of 2 (user), 4 (group) or 3 (privilege) "
                "fields, found %zu",
                nf);
        if (!marked && (rc = mark_section(P, k, i)) != TOKSIM_OK)
            return rc;
        marked = true;
        if (nf != ncols_of(k))
            return ts_whoami_fail_at(P, TOKSIM_EPARSE, i, 0,
                                     "expected %zu CSV fields in a %s row, found %zu",
                                     ncols_of(k), title_of(k), nf);
        if (hk != SEC_NONE) {
            for (size_t h = 0; h < nf; h++)
                if (!eq_ci(f[h].p, f[h].n, heads_of(k)[h]))
                    return fail_cell(P, TOKSIM_EPARSE, &f[h],
                                     "expected the CSV header '%s'", heads_of(k)[h]);
            continue;
        }
        if ((rc = accept_row(P, k, f)) != TOKSIM_OK)
            return rc;
    }
    *j = i;
    if (P->info)
        P->info->formats |= TOKSIM_WHOAMI_FMT_CSV;
    return TOKSIM_OK;
}

/* ---- sections ---- */

static bool is_known_claims_line(const wline *l)
{
    const char *p = l->p;
    size_t n = l->n;
    trim(&p, &n);
    return eq_ci(p, n, "User claims unknown.") || eq_ci(p, n, "Device claims unknown.") ||
           eq_ci(p, n,
                 "Kerberos support for Dynamic Access Control on this device has been "
                 "disabled.");
}

static toksim_status parse_section(wp *P, size_t *j, sec_kind k)
{
    size_t title = *j, i = *j + 1;
    toksim_status rc = mark_section(P, k, title);
    if (rc != TOKSIM_OK)
        return rc;
    if (i < P->nlines && is_rule(&P->lines[i], '-'))
        i++;
    if (k ==
        SEC_CLAIMS) { /* claims are not modelled: read past them up to the next title */
        for (; i < P->nlines && title_kind(&P->lines[i]) == SEC_NONE; i++)
            if (!is_blank(&P->lines[i]) && !is_known_claims_line(&P->lines[i]) && P->info)
                P->info->claims_ignored = true;
        *j = i;
        return TOKSIM_OK;
    }
    while (i < P->nlines && is_blank(&P->lines[i]))
        i++;
    if (i >= P->nlines || title_kind(&P->lines[i]) != SEC_NONE)
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, i < P->nlines ? i : title, 0,
                                 "expected the %s table after its title", title_of(k));
    const wline *l = &P->lines[i];
    wcell v;
    *j = i;
    if (l->n && l->p[0] == '"')
        return parse_csv(P, j, k);
    if (list_key(l, k, &v, i) == 0)
        return parse_list(P, j, k);
    return parse_table(P, j, k);
}

static toksim_status parse_all(wp *P)
{
    size_t i = 0;
    bool any = false;
    while (i < P->nlines) {
        const wline *l = &P->lines[i];
        sec_kind k = title_kind(l);
        toksim_status rc = TOKSIM_OK;
        if (is_blank(l)) {
            i++;
        } else if (k != SEC_NONE) {
            rc = parse_section(P, &i, k);
            any = true;
        } else if (l->p[0] == '"') {
            rc = parse_csv(P, &i, SEC_NONE);
            any = true;
        } else if (!any) {
            if (P->info)
                P->info->preamble_lines++; /* a prompt or the command line pasted with the
                                              output */
            i++;
        } else {
            /* Text after the output (a pasted prompt, the next command): accepted, and
             * reported through info, unless a section follows it (then it sits in the
             * middle of the output and is refused). */
            size_t k2 = i;
            while (k2 < P->nlines && title_kind(&P->lines[k2]) == SEC_NONE &&
                   !(P->lines[k2].n && P->lines[k2].p[0] == '"'))
                k2++;
            if (k2 < P->nlines)
                return ts_whoami_fail_at(
                    P, TOKSIM_EPARSE, i, 0,
                    "unexpected text: expected a section title (USER INFORMATION, GROUP "
                    "INFORMATION, "
                    "PRIVILEGES INFORMATION) or the end of the whoami output");
            if (P->info) {
                P->info->trailing_line = i + 1;
                for (size_t t = i; t < P->nlines; t++)
                    P->info->trailing_lines += !is_blank(&P->lines[t]);
            }
            break;
        }
        if (rc != TOKSIM_OK)
            return rc;
    }
    if (!P->info || !(P->info->sections & (SEC_USER | SEC_GROUPS | SEC_PRIVS)))
        return ts_whoami_fail_at(P, TOKSIM_EPARSE, 0, 0,
                                 "no whoami output found (expected USER INFORMATION, "
                                 "GROUP INFORMATION or PRIVILEGES "
                                 "INFORMATION, or whoami /fo csv rows)");
    return TOKSIM_OK;
}

/* ---- the token ---- */

toksim_status ts_whoami_build(toksim_token **out, wp *P)
{
    toksim_whoami_info *info = P->info;
    const toksim_sid nobody = ts_sid1(0, 0), sys = TS_SID_SYSTEM, admins = TS_SID_ADMINS;
    const toksim_sid lsvc = TS_SID_LOCAL_SERVICE, nsvc = TS_SID_NETWORK_SERVICE,
                     anon = TS_SID_ANONYMOUS;
    const toksim_sid *user = P->have_user ? &P->user : &nobody;
    info->user_inferred = !P->have_user;
    toksim_token *tok = NULL;
    toksim_status rc = toksim_token_new(&tok, user);
    for (size_t i = 0; rc == TOKSIM_OK && i < P->ngroups; i++)
        rc = toksim_token_add_group(tok, &P->groups[i].sid, P->groups[i].attrs);
    for (uint32_t luid = 0; rc == TOKSIM_OK && luid <= TOKSIM_PRIV_MAX; luid++)
        if (P->priv_seen & ((uint64_t)1 << luid))
            rc = toksim_token_set_privilege(tok, luid, P->priv_attr[luid]);
    /* What whoami does not print (docs/whoami-import.md). */
    bool service = toksim_sid_equal(user, &sys) || toksim_sid_equal(user, &lsvc) ||
                   toksim_sid_equal(user, &nsvc);
    uint32_t il = P->have_label ? P->label_rid
                  : service     ? TOKSIM_IL_SYSTEM
                                : TOKSIM_IL_MEDIUM;
    info->integrity_inferred = !P->have_label;
    if (rc == TOKSIM_OK)
        rc = toksim_token_set_integrity(tok, il);
    toksim_token_set_type(tok, TOKSIM_TOKEN_PRIMARY, TOKSIM_IMP_ANONYMOUS);
    const toksim_group *ag = tok ? toksim_token_find_group(tok, &admins) : NULL;
    bool admin_enabled = ag && (ag->attributes & TOKSIM_SE_GROUP_ENABLED);
    if (rc == TOKSIM_OK && ag && (ag->attributes & TOKSIM_SE_GROUP_OWNER) &&
        admin_enabled) {
        rc = toksim_token_set_owner(
            tok, &admins); /* LSA's default owner for administrators (§4.2) */
        info->owner_inferred_admins = true;
    }
    if (rc == TOKSIM_OK && toksim_sid_authority(user) == 5 && user->count == 5 &&
        user->sub[0] == 21) {
        toksim_sid pg = *user; /* <domain>-513: Domain Users, or the machine's None */
        pg.sub[4] = 513;
        if (toksim_token_find_group(tok, &pg))
            toksim_token_set_primary_group(tok, &pg);
    }
    if (rc == TOKSIM_OK)
        rc = ts_default_dacl(tok);
    if (rc == TOKSIM_OK) {
        uint64_t auth = toksim_sid_equal(user, &sys)    ? TOKSIM_SYSTEM_LUID
                        : toksim_sid_equal(user, &lsvc) ? TOKSIM_LOCALSERVICE_LUID
                        : toksim_sid_equal(user, &nsvc) ? TOKSIM_NETWORKSERVICE_LUID
                        : toksim_sid_equal(user, &anon) ? TOKSIM_ANONYMOUS_LOGON_LUID
                                                        : 0;
        toksim_token_set_auth_id(tok, auth);
        bool filtered = ag && (ag->attributes & TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
        toksim_token_set_elevation(tok,
                                   filtered                    ? TOKSIM_ELEVATION_LIMITED
                                   : admin_enabled && !service ? TOKSIM_ELEVATION_FULL
                                                               : TOKSIM_ELEVATION_DEFAULT,
                                   admin_enabled || service);
    }
    if (rc != TOKSIM_OK) {
        toksim_token_free(tok);
        if (rc == TOKSIM_ELIMIT)
            return ts_error_set(P->err, rc, 0, "the token would exceed %d groups",
                                TOKSIM_TOKEN_MAX_GROUPS);
        return rc;
    }
    *out = tok;
    return TOKSIM_OK;
}

toksim_status ts_whoami_import(toksim_token **out,
                               toksim_whoami_info *info,
                               const char *text,
                               size_t len,
                               const toksim_sid_context *ctx,
                               toksim_error *err,
                               unsigned formats,
                               ts_whoami_parse_fn parse,
                               void *payload)
{
    if (!out || (!text && len))
        return TOKSIM_EINVAL;
    *out = NULL;
    toksim_error scratch;
    toksim_whoami_info local;
    toksim_error_clear(&scratch);
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    info->formats = formats;
    wp P;
    memset(&P, 0, sizeof P);
    P.raw = (const unsigned char *)(text ? text : "");
    P.rawlen = len;
    P.ctx = ctx;
    P.err = err ? err : &scratch;
    P.info = info;
    if (len > TOKSIM_WHOAMI_MAX_BYTES)
        return ts_error_set(P.err, TOKSIM_ELIMIT, TOKSIM_WHOAMI_MAX_BYTES,
                            "input larger than %u bytes", TOKSIM_WHOAMI_MAX_BYTES);
    toksim_status rc = ts_whoami_decode(&P);
    info->encoding = P.enc;
    if (rc == TOKSIM_OK)
        rc = ts_whoami_split_lines(&P);
    if (rc == TOKSIM_OK)
        rc = parse(&P, payload);
    if (rc == TOKSIM_OK)
        rc = ts_whoami_build(out, &P);
    free(P.owned);
    free(P.lines);
    free(P.groups);
    return rc;
}

static toksim_status parse_whoami(wp *P, void *payload)
{
    (void)payload;
    return parse_all(P);
}

toksim_status toksim_token_from_whoami_ex(toksim_token **out,
                                          toksim_whoami_info *info,
                                          const char *text,
                                          size_t len,
                                          const toksim_sid_context *ctx,
                                          toksim_error *err)
{
    return ts_whoami_import(out, info, text, len, ctx, err, 0, parse_whoami, NULL);
}

toksim_status toksim_token_from_whoami(toksim_token **out,
                                       const char *text,
                                       size_t len,
                                       const toksim_sid_context *ctx,
                                       toksim_error *err)
{
    return toksim_token_from_whoami_ex(out, NULL, text, len, ctx, err);
}

const char *toksim_whoami_encoding_name(toksim_whoami_encoding enc)
{
    switch (enc) {
    case TOKSIM_WHOAMI_ENC_UTF8:
        return "utf-8";
    case TOKSIM_WHOAMI_ENC_UTF8_BOM:
        return "utf-8 (BOM)";
    case TOKSIM_WHOAMI_ENC_UTF16LE:
        return "utf-16le";
    case TOKSIM_WHOAMI_ENC_UTF16BE:
        return "utf-16be";
    case TOKSIM_WHOAMI_ENC_8BIT:
        return "8-bit code page";
    }
    return "?";
}
