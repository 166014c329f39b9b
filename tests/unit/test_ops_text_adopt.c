/* PURPOSE: the issue-11 shortcuts of the systems and impersonation layers agree with the
 * slow paths they replace: ts_process_adopt() gives the process toksim_process_new()
 * would build from a copy (a primary token, same contents, same options) and frees the
 * token on failure; ts_put() copies a trace text exactly as snprintf("%s") did.
 */
#include <stdio.h>
#include "imp_fixtures.h"
#include "imperson/imp_adopt.h"
#include "internal.h"
#include "scenario/ops_params.h"

/* Adopting a token and copying it give the same process, for primary and
 * impersonation tokens at every level. */
Test(ops_text_adopt, adopt_matches_process_new)
{
    for (int imp = 0; imp < 2; imp++)
        for (int lvl = TOKSIM_IMP_ANONYMOUS; lvl <= TOKSIM_IMP_DELEGATION; lvl++) {
            tk_spec s = {.imp_priv = IMP_PRIV_ENABLED,
                         .auth_id = 0x1234,
                         .session = 2,
                         .impersonation = imp,
                         .level = (toksim_imp_level)lvl};
            toksim_token *orig = tk(s), *mine = tk(s);
            toksim_imp_options o;
            toksim_imp_options_init(&o);
            toksim_process *pa = NULL, *pb = NULL;
            cr_assert_eq(toksim_process_new(&pa, orig, &o), TOKSIM_OK);
            cr_assert_eq(ts_process_adopt(&pb, mine, &o), TOKSIM_OK);
            const toksim_token *ta = toksim_process_token(pa),
                               *tb = toksim_process_token(pb);
            cr_assert_eq(tb, mine, "the process holds the adopted token itself");
            cr_assert_eq(toksim_token_type_of(tb), TOKSIM_TOKEN_PRIMARY);
            cr_assert_eq(toksim_token_type_of(ta), toksim_token_type_of(tb));
            cr_assert_eq(toksim_token_level(ta), toksim_token_level(tb));
            cr_assert(toksim_sid_equal(toksim_token_user(ta), toksim_token_user(tb)));
            cr_assert_eq(toksim_token_auth_id(ta), toksim_token_auth_id(tb));
            cr_assert_eq(toksim_token_group_count(ta), toksim_token_group_count(tb));
            cr_assert_eq(toksim_token_privilege_count(ta),
                         toksim_token_privilege_count(tb));
            cr_assert_eq(toksim_token_privilege_enabled(ta, TOKSIM_PRIV_IMPERSONATE),
                         toksim_token_privilege_enabled(tb, TOKSIM_PRIV_IMPERSONATE));
            cr_assert_eq(
                memcmp(toksim_process_options(pa), toksim_process_options(pb), sizeof o),
                0);
            toksim_process_free(pa);
            toksim_process_free(pb);
            toksim_token_free(orig);
        }
}

/* Failures free the token (the sanitizer build sees a leak otherwise) and answer as
 * toksim_process_new does. */
Test(ops_text_adopt, adopt_failures)
{
    toksim_process *p = (toksim_process *)&p;
    cr_assert_eq(ts_process_adopt(&p, NULL, NULL), TOKSIM_EINVAL);
    cr_assert_null(p);
    toksim_imp_options bad;
    toksim_imp_options_init(&bad);
    bad.version = TOKSIM_IMP_OPTIONS_VERSION + 1;
    toksim_token *t = tk((tk_spec){0});
    toksim_process *q = NULL;
    cr_assert_eq(toksim_process_new(&q, t, &bad), TOKSIM_EINVAL);
    cr_assert_eq(ts_process_adopt(&p, t, &bad), TOKSIM_EINVAL); /* t freed */
    cr_assert_null(p);
    cr_assert_eq(ts_process_adopt(&p, tk((tk_spec){0}), NULL), TOKSIM_OK);
    cr_assert_eq(
        memcmp(toksim_process_options(p), toksim_process_options(NULL), sizeof bad), 0,
        "NULL options are the defaults");
    toksim_process_free(p);
}

/* ts_put(buf, n, 0, s) writes what snprintf(buf, n, "%s", s) writes, for every length
 * around the buffer size (the trace and finding texts it replaced). */
Test(ops_text_adopt, put_is_snprintf)
{
    char src[300];
    for (size_t i = 0; i < sizeof src - 1; i++)
        src[i] = (char)('a' + i % 26);
    for (size_t len = 0; len < sizeof src - 1; len += 7) {
        src[len] = '\0';
        for (size_t n = 1; n <= TOKSIM_TRACE_TEXT_SIZE + 2; n++) {
            char a[TOKSIM_TRACE_TEXT_SIZE + 2], b[TOKSIM_TRACE_TEXT_SIZE + 2];
            memset(a, 'x', sizeof a);
            memset(b, 'x', sizeof b);
            int want = snprintf(a, n, "%s", src);
            size_t got = ts_put(b, n, 0, src);
            cr_assert_eq(got, (size_t)want);
            cr_assert_eq(memcmp(a, b, sizeof a), 0, "len %zu n %zu", len, n);
        }
        src[len] = (char)('a' + len % 26);
    }
}
