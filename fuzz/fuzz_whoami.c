/*
 * PURPOSE: libFuzzer target for the whoami /all importer (table, list and CSV layouts,
 * UTF-16 and 8-bit input). Properties: never crash; a failure carries a message and a
 * position inside the input; an accepted input gives a token whose whoami rendering
 * imports again to a token with the same user, groups, privileges and integrity (logon
 * SIDs aside: the renderer hides them); the user name and the rendering are well-formed
 * UTF-8 (an 8-bit capture's names included).
 */
#include "fuzz_common.h"

static void check_same(const toksim_token *a, const toksim_token *b)
{
    if (!toksim_sid_equal(toksim_token_user(a), toksim_token_user(b)) ||
        toksim_token_integrity(a) != toksim_token_integrity(b) ||
        toksim_token_privilege_count(a) != toksim_token_privilege_count(b))
        abort();
    for (size_t i = 0; i < toksim_token_group_count(a); i++) {
        const toksim_group *g = toksim_token_group_at(a, i);
        if ((g->attributes & TOKSIM_SE_GROUP_LOGON_ID) == TOKSIM_SE_GROUP_LOGON_ID)
            continue;
        const toksim_group *h = toksim_token_find_group(b, &g->sid);
        /* the renderer does not print "Local Group" (SE_GROUP_RESOURCE): compare without
         * it */
        if (!h || (g->attributes & ~TOKSIM_SE_GROUP_RESOURCE) !=
                      (h->attributes & ~TOKSIM_SE_GROUP_RESOURCE))
            abort();
    }
    for (size_t i = 0; i < toksim_token_privilege_count(a); i++) {
        uint32_t luid, attrs;
        if (!toksim_token_privilege_at(a, i, &luid, &attrs) ||
            toksim_token_privilege(b, luid) != (int64_t)attrs)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size, 65536);
    if (!text)
        return 0;
    toksim_token *tok = NULL;
    toksim_error err = {0};
    toksim_whoami_info info;
    toksim_status rc = toksim_token_from_whoami_ex(&tok, &info, text, size, NULL, &err);
    if (rc != TOKSIM_OK) {
        if (tok || (rc != TOKSIM_ENOMEM && !err.message[0]) || err.offset > size)
            abort();
        free(text);
        return 0;
    }
    /* names reach JSON output: they must be UTF-8 whatever the capture's encoding */
    FUZZ_CHECK(fuzz_utf8_ok(info.user_name));
    char *shown = NULL;
    if (toksim_token_render_whoami(&shown, tok, NULL) == TOKSIM_OK) {
        FUZZ_CHECK(fuzz_utf8_ok(shown));
        toksim_token *back = NULL;
        toksim_error e2 = {0};
        if (toksim_token_from_whoami(&back, shown, strlen(shown), NULL, &e2) != TOKSIM_OK)
            abort();
        check_same(tok, back);
        toksim_token_free(back);
    }
    free(shown);
    toksim_token_free(tok);
    free(text);
    return 0;
}
