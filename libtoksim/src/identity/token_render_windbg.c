/*
 * PURPOSE: the WinDbg `!token` view of a token with names: "User:", "User Groups:" (each
 * SID with its kind and DOMAIN\name, then its attribute words), "Primary Group:", the
 * "Privs:" listing of token_render.c, and the logon session, impersonation level and
 * token type lines. Kernel addresses (the "_TOKEN 0x..." line) are left out.
 *
 * Modelled: the layout of `!token` in the Debugging Tools for Windows (" NN S-1-...",
 * "    Attributes - Mandatory Default Enabled Owner LogonId", "GroupIntegrity
 * GroupIntegrityEnabled" for the label, "Authentication ID: (0,3e7)"). The
 * "(Kind: DOMAIN\name)" suffix follows recent debugger versions; its exact spelling for
 * SIDs without a domain is UNCONFIRMED (printed as the bare name).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "identity/identity_int.h"

static const char *kind_text(const toksim_world *w, const toksim_sid *sid)
{
    toksim_account a;
    if (toksim_sid_authority(sid) == 16)
        return "Label";
    if (toksim_sid_authority(sid) == 5 && sid->count == 3 && sid->sub[0] == 5)
        return "Logon Session";
    if (!toksim_world_lookup_sid(w, sid, &a))
        return NULL;
    switch (a.kind) {
    case TOKSIM_ACCOUNT_USER:
        return "User";
    case TOKSIM_ACCOUNT_GROUP:
        return "Group";
    case TOKSIM_ACCOUNT_ALIAS:
        return "Alias";
    case TOKSIM_ACCOUNT_WELL_KNOWN:
        return "Well Known Group";
    case TOKSIM_ACCOUNT_LABEL:
        return "Label";
    default:
        return NULL;
    }
}

static void sid_line(ts_buf *b, const toksim_world *w, const toksim_sid *sid)
{
    char s[TOKSIM_SID_STRING_MAX], name[TOKSIM_SID_STRING_MAX + 160];
    toksim_sid_format(s, sizeof s, sid);
    ts_buf_append(b, s);
    const char *kind = kind_text(w, sid);
    toksim_world_sid_name(name, sizeof name, sid, (void *)(uintptr_t)w);
    if (kind && strcmp(name, s) != 0)
        ts_buf_printf(b, " (%s: %s)", kind, name);
    ts_buf_append(b, "\n");
}

static void attr_words(ts_buf *b, uint32_t a)
{
    static const struct {
        uint32_t bit;
        const char *word;
    } words[] = {{TOKSIM_SE_GROUP_MANDATORY, "Mandatory"},
                 {TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT, "Default"},
                 {TOKSIM_SE_GROUP_ENABLED, "Enabled"},
                 {TOKSIM_SE_GROUP_OWNER, "Owner"},
                 {TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY, "DenyOnly"},
                 {TOKSIM_SE_GROUP_INTEGRITY, "GroupIntegrity"},
                 {TOKSIM_SE_GROUP_INTEGRITY_ENABLED, "GroupIntegrityEnabled"},
                 {TOKSIM_SE_GROUP_RESOURCE, "Resource"},
                 {TOKSIM_SE_GROUP_LOGON_ID, "LogonId"}};
    ts_buf_append(b, "    Attributes - ");
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if ((a & words[i].bit) == words[i].bit)
            ts_buf_printf(b, "%s ", words[i].word);
    ts_buf_append(b, "\n");
}

toksim_status
toksim_token_render_windbg(char **out, const toksim_token *tok, const toksim_world *world)
{
    if (!out || !tok)
        return TOKSIM_EINVAL;
    *out = NULL;
    ts_buf b = {0};
    ts_buf_printf(&b,
                  "TS Session ID: 0x%x\nUser: ", (unsigned)toksim_token_session_id(tok));
    sid_line(&b, world, toksim_token_user(tok));
    ts_buf_append(&b, "User Groups: \n");
    size_t n = toksim_token_group_count(tok), k = 0;
    for (size_t i = 0; i < n; i++, k++) {
        const toksim_group *g = toksim_token_group_at(tok, i);
        ts_buf_printf(&b, " %02u ", (unsigned)k);
        sid_line(&b, world, &g->sid);
        attr_words(&b, g->attributes);
    }
    uint32_t il = toksim_token_integrity(tok);
    const toksim_sid label = ts_sid1(16, il);
    if (!toksim_token_find_group(tok, &label)) {
        ts_buf_printf(&b, " %02u ", (unsigned)k);
        sid_line(&b, world, &label);
        attr_words(&b, TOKSIM_SE_GROUP_INTEGRITY | TOKSIM_SE_GROUP_INTEGRITY_ENABLED);
    }
    if (toksim_token_primary_group(tok)) {
        ts_buf_append(&b, "Primary Group: ");
        sid_line(&b, world, toksim_token_primary_group(tok));
    }
    char *privs = NULL;
    toksim_status rc = toksim_token_render_windbg_privs(&privs, tok);
    if (rc != TOKSIM_OK) {
        ts_buf_dispose(&b);
        return rc;
    }
    ts_buf_append(&b, privs);
    free(privs);
    uint64_t id = toksim_token_auth_id(tok);
    bool imp = toksim_token_type_of(tok) == TOKSIM_TOKEN_IMPERSONATION;
    static const char *const levels[] = {"Anonymous", "Identification", "Impersonation",
                                         "Delegation"};
    unsigned lv = (unsigned)toksim_token_level(tok);
    ts_buf_printf(&b,
                  "Authentication ID:         (%x,%x)\n"
                  "Impersonation Level:       %s\n"
                  "TokenType:                 %s\n",
                  (unsigned)(id >> 32), (unsigned)(id & 0xFFFFFFFFu),
                  imp && lv < 4 ? levels[lv] : "Anonymous",
                  imp ? "Impersonation" : "Primary");
    *out = ts_buf_take(&b);
    return *out ? TOKSIM_OK : TOKSIM_ENOMEM;
}
