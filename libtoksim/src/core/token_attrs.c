/*
 * PURPOSE: the names of token group and privilege attribute bits (winnt.h SE_GROUP_* and
 * SE_PRIVILEGE_* without their prefixes), in one table for every view that spells them as
 * GetTokenInformation's documentation does: `toksim token` (text and `--info`) and the
 * scenario expectation `token_info`.
 */
#include <stdio.h>
#include "toksim/token.h"

typedef struct attr_word {
    uint32_t bit;
    const char *word;
} attr_word;

/* TOKEN_GROUPS attributes (Learn: SID_AND_ATTRIBUTES / TOKEN_GROUPS); LogonId is two bits
 */
static const attr_word group_words[] = {
    {TOKSIM_SE_GROUP_MANDATORY, "Mandatory"},
    {TOKSIM_SE_GROUP_ENABLED_BY_DEFAULT, "EnabledByDefault"},
    {TOKSIM_SE_GROUP_ENABLED, "Enabled"},
    {TOKSIM_SE_GROUP_OWNER, "Owner"},
    {TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY, "UseForDenyOnly"},
    {TOKSIM_SE_GROUP_INTEGRITY, "Integrity"},
    {TOKSIM_SE_GROUP_INTEGRITY_ENABLED, "IntegrityEnabled"},
    {TOKSIM_SE_GROUP_RESOURCE, "Resource"},
    {TOKSIM_SE_GROUP_LOGON_ID, "LogonId"}};
/* TOKEN_PRIVILEGES attributes (Learn: LUID_AND_ATTRIBUTES) */
static const attr_word priv_words[] = {
    {TOKSIM_SE_PRIVILEGE_ENABLED_BY_DEFAULT, "EnabledByDefault"},
    {TOKSIM_SE_PRIVILEGE_ENABLED, "Enabled"},
    {TOKSIM_SE_PRIVILEGE_USED_FOR_ACCESS, "UsedForAccess"}};

const char *toksim_token_attr_word(bool privilege, size_t i, uint32_t *bit)
{
    const attr_word *t = privilege ? priv_words : group_words;
    size_t n = privilege ? sizeof priv_words / sizeof priv_words[0]
                         : sizeof group_words / sizeof group_words[0];
    if (i >= n)
        return NULL;
    if (bit)
        *bit = t[i].bit;
    return t[i].word;
}

void toksim_token_attr_text(char *buf, size_t n, bool privilege, uint32_t attrs)
{
    if (!buf || !n)
        return;
    size_t len = 0;
    buf[0] = '\0';
    uint32_t bit;
    const char *w;
    for (size_t i = 0; len < n && (w = toksim_token_attr_word(privilege, i, &bit)); i++) {
        if ((attrs & bit) != bit)
            continue;
        int k = snprintf(buf + len, n - len, "%s%s", len ? "|" : "", w);
        if (k > 0)
            len += (size_t)k;
    }
}
