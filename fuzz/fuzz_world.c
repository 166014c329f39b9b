/*
 * PURPOSE: libFuzzer target for the world JSON loader: load arbitrary text
 * (NUL-terminated copy); for an accepted world, log on every declared user interactively
 * and render the token, so the membership expansion (cycles), the policy and the
 * renderers run on hostile worlds too; start the declared pools and services (issue 18)
 * through WAS and the SCM.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size, 1u << 16);
    if (!text)
        return 0;
    toksim_world *w = NULL;
    toksim_error err = {0};
    /* no path: a "policy_inf" member then names a file relative to the current directory
     */
    toksim_status rc = toksim_world_from_json(&w, text, size, NULL, &err);
    /* a rejection says what and where (the line, or a limit of the whole file) */
    FUZZ_CHECK(rc == TOKSIM_OK || rc == TOKSIM_ENOMEM ||
               (err.message[0] && (err.line >= 1 || rc == TOKSIM_ELIMIT)));
    if (rc == TOKSIM_OK) {
        size_t n = toksim_world_account_count(w);
        for (size_t i = 0; i < n && i < 16; i++) {
            const toksim_account *a = toksim_world_account_at(w, i);
            if (a->kind != TOKSIM_ACCOUNT_USER)
                continue;
            toksim_sid sid = a->sid;
            toksim_logon_result r;
            if (toksim_logon_user_sid(&r, w, &sid, TOKSIM_LOGON_INTERACTIVE, NULL, NULL,
                                      &err) == TOKSIM_OK &&
                r.success) {
                char *s = NULL;
                if (toksim_token_render_whoami(&s, r.token, w) == TOKSIM_OK) {
                    FUZZ_CHECK(fuzz_utf8_ok(s));
                    free(s);
                }
                if (toksim_token_to_json(&s, r.token, w) == TOKSIM_OK) {
                    FUZZ_CHECK(fuzz_utf8_ok(s));
                    free(s);
                }
                toksim_token_free(r.token);
            }
        }
        for (size_t i = 0; i < toksim_world_pool_count(w) && i < 4; i++) {
            toksim_iis_pool *pool = NULL;
            toksim_iis_pool_result pr;
            if (toksim_iis_pool_start_declared(&pool, &pr, w,
                                               toksim_world_pool_at(w, i)->name, NULL,
                                               &err) == TOKSIM_OK)
                toksim_iis_pool_free(pool);
        }
        for (size_t i = 0; i < toksim_world_service_count(w) && i < 4; i++) {
            toksim_service_result sr;
            toksim_token *t = NULL;
            if (toksim_service_start_declared(&sr, &t, w,
                                              toksim_world_service_at(w, i)->name, NULL,
                                              &err) == TOKSIM_OK)
                toksim_token_free(t);
        }
        toksim_world_free(w);
    }
    free(text);
    return 0;
}
