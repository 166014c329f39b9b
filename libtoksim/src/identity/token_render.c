/*
 * PURPOSE: text views of a token as Windows tools print them: `whoami /all` (user, groups
 * with type and attribute words, privileges with state) and the "Privs:" part of WinDbg
 * `!token`.
 *
 * Modelled: whoami's column layout (each column as wide as its widest cell, '='
 * underlines, one space between columns), its lower-cased user name, its hiding of the
 * logon SID, the label row with empty attributes; WinDbg's "NN 0x00000000N Name
 * Attributes - Enabled Default" lines, reproduced byte for byte from the 2010 dumps of
 * [MSJP-WMI4] (tests/unit/test_token_render.c). Left out: USER CLAIMS INFORMATION, the
 * rest of `!token` (it prints kernel addresses).
 */
#include "toksim/claims.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "identity/identity_int.h"

static const char *type_text(const toksim_world *w, const toksim_sid *sid)
{
    toksim_account a;
    if (toksim_sid_authority(sid) == 16)
        return "Label";
    if (!toksim_world_lookup_sid(w, sid, &a) || !a.name || !a.name[0])
        return "Unknown SID type"; /* LookupAccountSid fails: S-1-5-82-0 [OBS-APPPOOL] */
    switch (a.kind) {
    case TOKSIM_ACCOUNT_USER:
        return "User";
    case TOKSIM_ACCOUNT_GROUP:
        return "Group";
    case TOKSIM_ACCOUNT_DOMAIN:
        return "Domain";
    case TOKSIM_ACCOUNT_ALIAS:
        return "Alias";
    case TOKSIM_ACCOUNT_WELL_KNOWN:
        return "Well-known group";
    case TOKSIM_ACCOUNT_LABEL:
        return "Label";
    }
    return "Unknown SID type";
}

static void attr_text(char *buf, size_t n, uint32_t a)
{
    static const struct {
        uint32_t bit;
        const char *text;
    } words[] = {{TOKSIM_SE_GROUP_MANDATORY, "Mandatory group"},
                 {TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT, "Enabled by default"},
                 {TOKSIM_SE_GROUP_ENABLED, "Enabled group"},
                 {TOKSIM_SE_GROUP_OWNER, "Group owner"},
                 {TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY, "Group used for deny only"},
                 {TOKSIM_SE_GROUP_RESOURCE, "Local Group"}}; /* a domain-local group */
    buf[0] = '\0';
    if (a & TOKSIM_SE_GROUP_INTEGRITY)
        return; /* whoami leaves the label's attributes empty */
    size_t len = 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (a & words[i].bit) {
            int k = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", words[i].text);
            if (k < 0 || (size_t)k >= n - len)
                return;
            len += (size_t)k;
        }
}

typedef struct cell_row {
    char c[4][200];
} cell_row;

static void table(ts_buf *b,
                  const char *title,
                  const char *const *heads,
                  size_t ncol,
                  const cell_row *rows,
                  size_t nrows)
{
    size_t wid[4] = {0};
    for (size_t c = 0; c < ncol; c++) {
        wid[c] = strlen(heads[c]);
        for (size_t r = 0; r < nrows; r++)
            if (strlen(rows[r].c[c]) > wid[c])
                wid[c] = strlen(rows[r].c[c]);
    }
    ts_buf_printf(b, "\n%s\n", title);
    for (size_t i = 0; i < strlen(title); i++)
        ts_buf_append(b, "-");
    ts_buf_append(b, "\n\n");
    for (size_t c = 0; c < ncol; c++) {
        if (c + 1 < ncol)
            ts_buf_printf(b, "%-*s ", (int)wid[c], heads[c]);
        else
            ts_buf_printf(b, "%s\n", heads[c]);
    }
    for (size_t c = 0; c < ncol; c++) {
        for (size_t i = 0; i < wid[c]; i++)
            ts_buf_append(b, "=");
        ts_buf_append(b, c + 1 < ncol ? " " : "\n");
    }
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < ncol; c++) {
            if (c + 1 < ncol)
                ts_buf_printf(b, "%-*s ", (int)wid[c], rows[r].c[c]);
            else
                ts_buf_printf(b, "%s\n", rows[r].c[c]);
        }
    ts_buf_append(b, "\n");
}

/* issue 9: "USER CLAIMS INFORMATION" / "DEVICE CLAIMS INFORMATION" (whoami /claims), only
 * when the token has claims. Column layout UNCONFIRMED (no public capture with claims):
 * name, claim type, flags and values as the claim text holds them. */
static toksim_status claims_sections(ts_buf *b, const toksim_token *tok)
{
    static const char *const titles[2] = {"USER CLAIMS INFORMATION",
                                          "DEVICE CLAIMS INFORMATION"};
    static const struct {
        const char *code, *word;
    } types[] = {{"TI", "Integer"}, {"TU", "Unsigned Integer"}, {"TS", "String"},
                 {"TD", "SID"},     {"TB", "Boolean"},          {"TX", "Octet String"}};
    for (int s = 0; s < 2; s++) {
        size_t n = toksim_token_claim_count(tok, (toksim_claim_scope)s);
        if (!n)
            continue;
        cell_row *rows = ts_calloc(n, sizeof *rows);
        if (!rows)
            return TOKSIM_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            char *t = NULL;
            if (toksim_token_claim_text(&t, tok, (toksim_claim_scope)s, i) != TOKSIM_OK) {
                free(rows);
                return TOKSIM_ENOMEM;
            }
            /* "Name",TT,flags,values */
            const char *q = strchr(t + 1, '"');
            const char *c1 = q ? strchr(q, ',') : NULL;
            const char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
            const char *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
            if (!q || !c1 || !c2 || !c3) {
                snprintf(rows[i].c[0], sizeof rows[i].c[0], "%s", t);
                free(t);
                continue;
            }
            snprintf(rows[i].c[0], sizeof rows[i].c[0], "%.*s", (int)(q - t - 1), t + 1);
            const char *word = "?";
            for (size_t k = 0; k < sizeof types / sizeof types[0]; k++)
                if (strncmp(c1 + 1, types[k].code, 2) == 0)
                    word = types[k].word;
            snprintf(rows[i].c[1], sizeof rows[i].c[1], "%s", word);
            snprintf(rows[i].c[2], sizeof rows[i].c[2], "%.*s", (int)(c3 - c2 - 1),
                     c2 + 1);
            snprintf(rows[i].c[3], sizeof rows[i].c[3], "%s", c3 + 1);
            free(t);
        }
        static const char *const ch[] = {"Claim Name", "Claim Type", "Flags",
                                         "Claim Value(s)"};
        table(b, titles[s], ch, 4, rows, n);
        free(rows);
    }
    return TOKSIM_OK;
}

toksim_status
toksim_token_render_whoami(char **out, const toksim_token *tok, const toksim_world *world)
{
    if (!out || !tok)
        return TOKSIM_EINVAL;
    ts_buf b = {0};
    void *w = (void *)(uintptr_t)
        world; /* toksim_sid_namer takes a non-const payload; it only reads */
    cell_row user;
    memset(&user, 0, sizeof user);
    toksim_world_sid_name(user.c[0], sizeof user.c[0], toksim_token_user(tok), w);
    for (char *p = user.c[0]; *p; p++)
        *p = (char)tolower(
            (unsigned char)*p); /* whoami prints the user name in lower case */
    toksim_sid_format(user.c[1], sizeof user.c[1], toksim_token_user(tok));
    static const char *const uh[] = {"User Name", "SID"};
    table(&b, "USER INFORMATION", uh, 2, &user, 1);

    size_t ng = toksim_token_group_count(tok);
    cell_row *rows = ts_calloc(ng ? ng : 1, sizeof *rows);
    if (!rows) {
        ts_buf_dispose(&b);
        return TOKSIM_ENOMEM;
    }
    size_t nr = 0, label = (size_t)-1;
    for (size_t i = 0; i < ng; i++) {
        const toksim_group *g = toksim_token_group_at(tok, i);
        if ((g->attributes & TOKSIM_SE_GROUP_LOGON_ID) == TOKSIM_SE_GROUP_LOGON_ID)
            continue; /* whoami /groups does not list the logon SID */
        if (g->attributes & TOKSIM_SE_GROUP_INTEGRITY) {
            label = i;
            continue; /* printed last, as whoami does */
        }
        cell_row *r = &rows[nr++];
        const char *type = type_text(world, &g->sid);
        /* whoami leaves the name empty where LookupAccountSid fails (real app-pool
         * captures: S-1-5-82-0 has a blank name and "Unknown SID type") */
        if (strcmp(type, "Unknown SID type") != 0)
            toksim_world_sid_name(r->c[0], sizeof r->c[0], &g->sid, w);
        snprintf(r->c[1], sizeof r->c[1], "%s", type);
        toksim_sid_format(r->c[2], sizeof r->c[2], &g->sid);
        attr_text(r->c[3], sizeof r->c[3], g->attributes);
    }
    if (label != (size_t)-1) {
        const toksim_group *g = toksim_token_group_at(tok, label);
        cell_row *r = &rows[nr++];
        toksim_world_sid_name(r->c[0], sizeof r->c[0], &g->sid, w);
        snprintf(r->c[1], sizeof r->c[1], "Label");
        toksim_sid_format(r->c[2], sizeof r->c[2], &g->sid);
    }
    static const char *const gh[] = {"Group Name", "Type", "SID", "Attributes"};
    table(&b, "GROUP INFORMATION", gh, 4, rows, nr);
    free(rows);

    size_t np = toksim_token_privilege_count(tok);
    rows = ts_calloc(np ? np : 1, sizeof *rows);
    if (!rows) {
        ts_buf_dispose(&b);
        return TOKSIM_ENOMEM;
    }
    for (size_t i = 0; i < np; i++) {
        uint32_t luid = 0, attrs = 0;
        (void)toksim_token_privilege_at(tok, i, &luid, &attrs);
        const toksim_privilege_info *pi = toksim_privilege_by_luid(luid);
        snprintf(rows[i].c[0], sizeof rows[i].c[0], "%s", pi ? pi->name : "?");
        snprintf(rows[i].c[1], sizeof rows[i].c[1], "%s", pi ? pi->display : "");
        snprintf(rows[i].c[2], sizeof rows[i].c[2], "%s",
                 (attrs & TOKSIM_SE_PRIVILEGE_ENABLED) ? "Enabled" : "Disabled");
    }
    static const char *const ph[] = {"Privilege Name", "Description", "State"};
    table(&b, "PRIVILEGES INFORMATION", ph, 3, rows, np);
    free(rows);
    toksim_status crc = claims_sections(&b, tok); /* issue 9 */
    if (crc) {
        ts_buf_dispose(&b);
        return crc;
    }
    *out = ts_buf_take(&b);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}

toksim_status toksim_token_render_windbg_privs(char **out, const toksim_token *tok)
{
    if (!out || !tok)
        return TOKSIM_EINVAL;
    ts_buf b = {0};
    ts_buf_append(&b, "Privs:\n");
    size_t np = toksim_token_privilege_count(tok);
    for (size_t i = 0; i < np; i++) {
        uint32_t luid = 0, attrs = 0;
        (void)toksim_token_privilege_at(tok, i, &luid, &attrs);
        const toksim_privilege_info *pi = toksim_privilege_by_luid(luid);
        /* Name padded to 33 columns plus one space: the 2010 dumps put "Attributes" at
         * column 34 after every name they show (the longest, 31 characters); longer names
         * keep one space. */
        ts_buf_printf(&b, "%02u 0x%09x %-33s Attributes -%s%s\n", (unsigned)i,
                      (unsigned)luid, pi ? pi->name : "?",
                      (attrs & TOKSIM_SE_PRIVILEGE_ENABLED) ? " Enabled" : "",
                      (attrs & TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT) ? " Default" : "");
    }
    *out = ts_buf_take(&b);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}
