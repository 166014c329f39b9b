/*
 * PURPOSE: security templates (GptTmpl.inf and `secedit /export` output): import of the
 * [Privilege Rights] section into a policy that defines exactly the rights listed, and
 * export in the form secedit writes.
 *
 * Modelled: windows-model §7.4 and §13.7: UTF-16LE with BOM FF FE (what secedit writes),
 * UTF-8 with or without BOM, UTF-16LE without BOM (detected from the NUL high bytes),
 * CRLF or LF,
 * `;` comments, empty values (the right is defined with no holder), holders as *S-1-...,
 * S-1-..., or account names (resolved through the world), several forms on one line. Left
 * out: the other sections (skipped), string substitution (%...%), `&`-relative names,
 * line continuation with a trailing backslash.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "identity/identity_int.h"

/* ---- decoding ---- */

/* A decoding error at byte `off`, with the line and column (in characters) of that byte.
 */
static toksim_status decode_fail(toksim_error *err,
                                 const uint8_t *d,
                                 size_t start,
                                 size_t off,
                                 bool utf16,
                                 const char *msg)
{
    int line = 1, col = 1;
    for (size_t i = start; i < off; i += utf16 ? 2 : 1) {
        bool nl = d[i] == '\n' && (!utf16 || (i + 1 < off && d[i + 1] == 0));
        if (nl) {
            line++;
            col = 1;
        } else if (utf16 ? !(i + 1 < off && d[i + 1] >= 0xDC && d[i + 1] <= 0xDF)
                         : (d[i] & 0xC0) != 0x80) {
            col++; /* count characters: not UTF-16 low surrogates, not UTF-8 continuation
                      bytes */
        }
    }
    return ts_error_set_pos(err, TOKSIM_EPARSE, off, line, col, "%s", msg);
}

static toksim_status decode(char **out, const uint8_t *d, size_t len, toksim_error *err)
{
    ts_buf b = {0};
    *out = NULL;
    bool utf16 = false;
    size_t start = 0;
    if (len >= 2 && d[0] == 0xFE && d[1] == 0xFF)
        return ts_error_set_pos(
            err, TOKSIM_EPARSE, 0, 1, 1,
            "UTF-16 big-endian template: secedit reads UTF-16LE (BOM FF FE) or UTF-8");
    if (len >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
        utf16 = true;
        start = 2;
    } else if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
        start = 3;
    } else if (len >= 2 && d[0] != 0 && d[1] == 0) {
        utf16 = true; /* UTF-16LE without BOM: ASCII text with NUL high bytes */
    }
    if (utf16) {
        if ((len - start) % 2)
            return decode_fail(
                err, d, start, len - 1, true,
                "UTF-16LE template has an odd number of bytes (truncated?)");
        for (size_t i = start; i + 1 < len;) {
            uint32_t u = 0;
            size_t used = ts_utf16le_decode(d + i, len - i, &u);
            if (!used) {
                ts_buf_dispose(&b);
                bool low = d[i + 1] >= 0xDC && d[i + 1] <= 0xDF;
                return decode_fail(err, d, start, i, true,
                                   low ? "invalid UTF-16: unpaired low surrogate"
                                       : "invalid UTF-16: unpaired high surrogate");
            }
            if (u == 0) {
                ts_buf_dispose(&b);
                return decode_fail(err, d, start, i, true,
                                   "NUL character in the template");
            }
            char u8[4];
            ts_buf_appendn(&b, u8, ts_utf8_encode(u8, u));
            i += used;
        }
    } else {
        const uint8_t *nul = memchr(d + start, 0, len - start);
        if (nul)
            return decode_fail(err, d, start, (size_t)(nul - d), false,
                               "NUL byte in a UTF-8 template");
        ts_buf_appendn(&b, (const char *)d + start, len - start);
    }
    if (b.failed || !b.data) {
        bool empty = !b.failed;
        ts_buf_dispose(&b);
        if (!empty)
            return TOKSIM_ENOMEM;
        *out = ts_strdup("");
        return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
    }
    *out = ts_buf_take(&b);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}

/* ---- parsing ---- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Strip a `;` comment that is not inside double quotes. */
static void strip_comment(char *s)
{
    bool q = false;
    for (; *s; s++) {
        if (*s == '"')
            q = !q;
        else if (*s == ';' && !q) {
            *s = '\0';
            return;
        }
    }
}

typedef struct inf_ctx {
    const char *file;
    const toksim_world *world;
    toksim_error *err;
    int line;
    int right_line[TOKSIM_RIGHT__END]; /* where each right was last defined, 0 = not */
    toksim_inf_warning *warn;          /* NULL when the caller wants no warnings */
    size_t nwarn, capwarn;
    bool want_warnings;
    const toksim_inf_options *opts; /* NULL: refuse unresolvable names */
    const char *right;              /* the right of the line being read */
} inf_ctx;

/* Record a warning (dropped silently past TOKSIM_INF_MAX_WARNINGS or without memory:
 * a warning never turns into a failure). */
#define TOKSIM_INF_MAX_WARNINGS 256
TS_PRINTF(4, 5)
static void warn(inf_ctx *c, int line, int first, const char *fmt, ...)
{
    if (!c->want_warnings || c->nwarn >= TOKSIM_INF_MAX_WARNINGS ||
        !ts_grow((void **)&c->warn, &c->capwarn, c->nwarn + 1, sizeof *c->warn))
        return;
    toksim_inf_warning *w = &c->warn[c->nwarn++];
    w->line = line;
    w->first_line = first;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->message, sizeof w->message, fmt, ap);
    va_end(ap);
}

static toksim_status
fail(inf_ctx *c, toksim_status code, int col, const char *what, const char *detail)
{
    toksim_status rc = ts_error_set_pos(c->err, code, 0, c->line, col, "%s%s", what,
                                        detail ? detail : "");
    if (c->err)
        snprintf(c->err->where, sizeof c->err->where, "%s", c->file);
    return rc;
}

static toksim_status
parse_holder(inf_ctx *c, char *item, int col, toksim_sid *out, bool *skipped)
{
    *skipped = false;
    size_t n = strlen(item);
    if (n >= 2 && item[0] == '"' && item[n - 1] == '"') {
        item[n - 1] = '\0';
        item++;
        item = trim(item);
    }
    toksim_error e2 = {0};
    if (item[0] == '*') {
        if (toksim_sid_parse(out, item + 1, &e2) != TOKSIM_OK) {
            char msg[200];
            snprintf(msg, sizeof msg, "'%.80s': %.100s", item, e2.message);
            return fail(c, TOKSIM_EPARSE, col, "malformed SID ", msg);
        }
        return TOKSIM_OK;
    }
    toksim_status rc;
    if (c->world) {
        rc = toksim_world_resolve(c->world, item, out, &e2);
    } else {
        rc = toksim_sid_resolve(out, item, NULL, &e2);
    }
    if (rc == TOKSIM_OK)
        return TOKSIM_OK;
    if (rc != TOKSIM_ENOMEM && c->opts && (c->opts->flags & TOKSIM_INF_SKIP_UNRESOLVED)) {
        /* a placeholder ("ADD YOUR DOMAIN ADMINS") or an account of another domain */
        *skipped = true;
        if (c->opts->on_skip)
            c->opts->on_skip(item, c->right, c->line, col, c->opts->payload);
        return TOKSIM_OK;
    }
    char msg[200];
    snprintf(msg, sizeof msg, "'%.80s' (%.100s)", item,
             e2.message[0] ? e2.message : toksim_strerror(rc));
    return fail(c, rc == TOKSIM_EPARSE ? TOKSIM_EPARSE : TOKSIM_ENOTFOUND, col,
                "cannot resolve account ", msg);
}

static toksim_status
parse_right_line(inf_ctx *c, toksim_policy *p, char *line, char *base)
{
    char *eq = strchr(line, '=');
    if (!eq)
        return fail(c, TOKSIM_EPARSE, (int)(line - base) + 1,
                    "expected '<RightName> = <holders>' in [Privilege Rights]", NULL);
    *eq = '\0';
    char *name = trim(line);
    const toksim_right_info *r = toksim_right_by_name(name);
    if (!r) {
        char msg[140];
        snprintf(msg, sizeof msg, "'%.100s' (not a privilege or logon right)", name);
        return fail(c, TOKSIM_ENOTFOUND, (int)(name - base) + 1, "unknown right ", msg);
    }
    if (r->right < TOKSIM_RIGHT__END) {
        int first = c->right_line[r->right];
        if (first)
            warn(c, c->line, first,
                 "%s is defined twice (lines %d and %d); line %d takes effect and the "
                 "holders of line %d are dropped",
                 r->name, first, c->line, c->line, first);
        c->right_line[r->right] = c->line;
    }
    ts_sidset v = {0}; /* hash-indexed: a 1024-holder line is linear */
    toksim_status rc = TOKSIM_OK;
    char *s = eq + 1;
    while (rc == TOKSIM_OK && s && *s) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = '\0';
        char *item = trim(s);
        if (*item) {
            toksim_sid sid;
            bool skipped = false;
            c->right = r->name;
            rc = parse_holder(c, item, (int)(item - base) + 1, &sid, &skipped);
            if (rc == TOKSIM_OK && !skipped) {
                rc = ts_sidset_add(&v, &sid, TOKSIM_INF_MAX_HOLDERS);
                if (rc == TOKSIM_ELIMIT) {
                    char lim[48]; /* the message names the limit */
                    snprintf(lim, sizeof lim, " (at most %u, TOKSIM_INF_MAX_HOLDERS)",
                             TOKSIM_INF_MAX_HOLDERS);
                    rc = fail(c, rc, (int)(item - base) + 1,
                              "too many holders for one right", lim);
                }
            }
        }
        s = comma ? comma + 1 : NULL;
    }
    ts_sidset_drop_index(&v);
    if (rc == TOKSIM_OK)
        rc = toksim_policy_set(p, r->right, v.vec.v, v.vec.n);
    if (rc == TOKSIM_OK)
        ts_policy_set_source_line(p, r->right, c->line);
    ts_sidvec_free(&v.vec);
    return rc;
}

toksim_status toksim_policy_parse_inf(toksim_policy **out,
                                      const void *data,
                                      size_t len,
                                      const char *filename,
                                      const toksim_world *world,
                                      toksim_error *err)
{
    return toksim_policy_parse_inf_ex(out, data, len, filename, world, NULL, NULL, NULL,
                                      err);
}

static toksim_status parse_inf(
    inf_ctx *c0, toksim_policy **out, const void *data, size_t len, toksim_error *err);

toksim_status toksim_policy_parse_inf_ex(toksim_policy **out,
                                         const void *data,
                                         size_t len,
                                         const char *filename,
                                         const toksim_world *world,
                                         const toksim_inf_options *opts,
                                         toksim_inf_warning **warnings,
                                         size_t *nwarnings,
                                         toksim_error *err)
{
    if (warnings)
        *warnings = NULL;
    if (nwarnings)
        *nwarnings = 0;
    if (!out)
        return TOKSIM_EINVAL;
    inf_ctx *c = ts_calloc(1, sizeof *c);
    if (!c)
        return TOKSIM_ENOMEM;
    c->file = filename ? filename : "<template>";
    c->world = world;
    c->err = err;
    c->opts = opts;
    c->want_warnings = warnings != NULL;
    toksim_status rc = parse_inf(c, out, data, len, err);
    if (rc == TOKSIM_OK && warnings) {
        *warnings = c->warn;
        if (nwarnings)
            *nwarnings = c->nwarn;
        c->warn = NULL;
    }
    free(c->warn);
    free(c);
    return rc;
}

static toksim_status parse_inf(
    inf_ctx *c0, toksim_policy **out, const void *data, size_t len, toksim_error *err)
{
    *out = NULL;
    if (!data && len)
        return TOKSIM_EINVAL;
    if (len > TOKSIM_INF_MAX_BYTES)
        return fail(c0, TOKSIM_ELIMIT, 1, "template larger than 4 MiB", NULL);
    char *text = NULL;
    toksim_status rc = decode(&text, data, len, err);
    if (rc != TOKSIM_OK) {
        if (err)
            snprintf(err->where, sizeof err->where, "%s", c0->file);
        return rc;
    }
    toksim_policy *p = NULL;
    rc = toksim_policy_new(&p);
    enum { OUTSIDE, PRIVS, OTHER } section = OUTSIDE;
    int privs_line = 0;
    char *s = text;
    while (rc == TOKSIM_OK && s && *s) {
        c0->line++;
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        if (strlen(s) > TOKSIM_INF_MAX_LINE) {
            rc = fail(c0, TOKSIM_ELIMIT, 1, "line longer than 65536 bytes", NULL);
            break;
        }
        /* a CR that does not end the line: CR-only line endings (classic Mac OS) would
         * make the whole file one line and report its first entry as malformed */
        char *cr = strchr(s, '\r');
        if (cr && cr[strspn(cr, "\r")]) {
            rc = fail(c0, TOKSIM_EPARSE, (int)(cr - s) + 1,
                      "carriage return inside a line (expected CRLF or LF line endings, "
                      "as secedit writes)",
                      NULL);
            break;
        }
        char *base = s;
        strip_comment(s);
        char *line = trim(s);
        if (*line == '[') {
            char *close = strchr(line, ']');
            if (!close || trim(close + 1)[0]) {
                rc = fail(c0, TOKSIM_EPARSE, (int)(line - base) + 1,
                          "malformed section header (expected '[Name]')", NULL);
                break;
            }
            *close = '\0';
            section =
                ts_strcasecmp(trim(line + 1), "Privilege Rights") == 0 ? PRIVS : OTHER;
            if (section == PRIVS && privs_line)
                warn(c0, c0->line, privs_line,
                     "section [Privilege Rights] is given twice (lines %d and %d); "
                     "the entries of both are read, a right defined in both takes the "
                     "later line",
                     privs_line, c0->line);
            if (section == PRIVS && !privs_line)
                privs_line = c0->line;
        } else if (*line) {
            if (section == OUTSIDE)
                rc = fail(c0, TOKSIM_EPARSE, (int)(line - base) + 1,
                          "text before the first [section]", NULL);
            else if (section == PRIVS)
                rc = parse_right_line(c0, p, line, base);
        }
        s = nl ? nl + 1 : NULL;
    }
    if (rc == TOKSIM_OK &&
        section ==
            OUTSIDE) { /* empty, blank or comments only: /dev/null is no template */
        c0->line = 1;
        rc = fail(c0, TOKSIM_EPARSE, 1,
                  "empty template: no [section] (secedit writes [Unicode], [Version] and "
                  "[Privilege Rights])",
                  NULL);
    }
    free(text);
    if (rc != TOKSIM_OK) {
        toksim_policy_free(p);
        return rc;
    }
    *out = p;
    return TOKSIM_OK;
}

/* ---- export ---- */

static toksim_status render(char **out, const toksim_policy *p, const char *eol)
{
    ts_buf b = {0};
    ts_buf_printf(&b,
                  "[Unicode]%sUnicode=yes%s[Version]%ssignature=\"$CHICAGO$\"%sRevision="
                  "1%s[Privilege Rights]%s",
                  eol, eol, eol, eol, eol, eol);
    for (size_t i = 0; i < toksim_right_count(); i++) {
        const toksim_right_info *r = toksim_right_at(i);
        size_t n = 0;
        const toksim_sid *h = toksim_policy_holders(p, r->right, &n);
        if (!n)
            continue; /* secedit omits rights without holders */
        ts_buf_printf(&b, "%s = ", r->name);
        for (size_t k = 0; k < n; k++) {
            char sid[TOKSIM_SID_STRING_MAX];
            toksim_sid_format(sid, sizeof sid, &h[k]);
            ts_buf_printf(&b, "%s*%s", k ? "," : "", sid);
        }
        ts_buf_append(&b, eol);
    }
    *out = ts_buf_take(&b);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}

toksim_status toksim_policy_to_inf_text(char **out, const toksim_policy *p)
{
    return render(out, p, "\n");
}

toksim_status toksim_policy_to_inf(uint8_t **out, size_t *len, const toksim_policy *p)
{
    char *text = NULL;
    toksim_status rc = render(&text, p, "\r\n");
    if (rc != TOKSIM_OK)
        return rc;
    size_t n = strlen(text);            /* ASCII only: SIDs and right names */
    uint8_t *buf = ts_calloc(n + 1, 2); /* BOM + n UTF-16 units, overflow-checked */
    if (!buf) {
        free(text);
        return TOKSIM_ENOMEM;
    }
    buf[0] = 0xFF;
    buf[1] = 0xFE;
    for (size_t i = 0; i < n; i++) {
        buf[2 + 2 * i] = (uint8_t)text[i];
        buf[3 + 2 * i] = 0;
    }
    free(text);
    *out = buf;
    *len = 2 + 2 * n;
    return TOKSIM_OK;
}
