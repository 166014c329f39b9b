/*
 * PURPOSE: libFuzzer target for the WinDbg !token importer (toksim_token_from_windbg).
 * Properties: never crash; a failure carries a message and a 1-based line and column
 * inside the input (line and column, or the byte offset of an encoding error); an
 * accepted input gives a token whose "Privs:" rendering
 * (toksim_token_render_windbg_privs) imports again to the same privileges.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size, 65536);
    if (!text)
        return 0;
    toksim_token *tok = NULL;
    toksim_whoami_info info;
    toksim_error err = {0};
    toksim_status rc = toksim_token_from_windbg(&tok, &info, text, size, NULL, &err);
    if (rc != TOKSIM_OK) {
        FUZZ_CHECK(tok == NULL);
        FUZZ_CHECK(err.message[0] != '\0');
        FUZZ_CHECK(rc == TOKSIM_ENOMEM || rc == TOKSIM_ELIMIT || err.line >= 1 ||
                   err.offset <= size);
        free(text);
        return 0;
    }
    FUZZ_CHECK(fuzz_utf8_ok(info.user_name)); /* shown and written as JSON */
    char *privs = NULL;
    if (toksim_token_render_windbg_privs(&privs, tok) == TOKSIM_OK &&
        toksim_token_privilege_count(tok) > 0) {
        toksim_token *back = NULL;
        FUZZ_CHECK(toksim_token_from_windbg(&back, NULL, privs, strlen(privs), NULL,
                                            NULL) == TOKSIM_OK);
        FUZZ_CHECK(toksim_token_privilege_count(back) ==
                   toksim_token_privilege_count(tok));
        for (size_t i = 0; i < toksim_token_privilege_count(tok); i++) {
            uint32_t luid, attrs;
            FUZZ_CHECK(toksim_token_privilege_at(tok, i, &luid, &attrs));
            /* the rendering shows Enabled and Default: compare those bits */
            FUZZ_CHECK((toksim_token_privilege(back, luid) & 3) == (int64_t)(attrs & 3));
        }
        toksim_token_free(back);
    }
    free(privs);
    toksim_token_free(tok);
    free(text);
    return 0;
}
