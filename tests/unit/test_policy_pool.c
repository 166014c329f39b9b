/* PURPOSE: the holder lists a profile or a copy fills in one block (issue 11): a profile
 * policy, its copy and the copy of the copy answer alike, right by right; each stays
 * independent when one of them is changed (grant, revoke down to nothing and grant again,
 * set, a template applied), as lists of their own would.
 */
#include "h4_test_util.h"

static toksim_policy *profile(const char *name)
{
    toksim_policy *p = NULL;
    toksim_error e = {0};
    toksim_sid m = ts_test_sid("S-1-5-21-1-2-3");
    h4_ok(toksim_policy_new_profile(&p, name, &m, &e), e);
    return p;
}

/* Same rights defined, same holders in the same order. */
static void assert_same(const toksim_policy *a, const toksim_policy *b)
{
    for (size_t i = 0; i < toksim_right_count(); i++) {
        uint32_t r = toksim_right_at(i)->right;
        cr_assert_eq(toksim_policy_defined(a, r), toksim_policy_defined(b, r));
        size_t na = 0, nb = 0;
        const toksim_sid *ha = toksim_policy_holders(a, r, &na);
        const toksim_sid *hb = toksim_policy_holders(b, r, &nb);
        cr_assert_eq(na, nb, "%s", toksim_right_at(i)->name);
        for (size_t k = 0; k < na; k++)
            cr_assert(toksim_sid_equal(&ha[k], &hb[k]), "%s[%zu]",
                      toksim_right_at(i)->name, k);
    }
}

Test(policy_pool, profile_lists_are_distinct_and_copies_are_equal)
{
    const char *names[] = {"win10", "win7", "server"};
    for (size_t n = 0; n < 3; n++) {
        toksim_policy *p = profile(names[n]), *c = NULL, *cc = NULL;
        for (size_t i = 0; i < toksim_right_count(); i++) {
            size_t cnt = 0;
            const toksim_sid *h =
                toksim_policy_holders(p, toksim_right_at(i)->right, &cnt);
            for (size_t a = 0; a < cnt; a++)
                for (size_t b = a + 1; b < cnt; b++)
                    cr_assert_not(toksim_sid_equal(&h[a], &h[b]), "%s: duplicate holder",
                                  toksim_right_at(i)->name);
        }
        ts_assert_ok(toksim_policy_copy(&c, p), NULL);
        ts_assert_ok(toksim_policy_copy(&cc, c), NULL);
        assert_same(p, c);
        assert_same(c, cc);
        toksim_policy_free(p);
        toksim_policy_free(c);
        toksim_policy_free(cc);
    }
}

Test(policy_pool, the_local_guest_of_win10_is_machine_relative)
{
    toksim_policy *p = profile("win10");
    toksim_sid guest = ts_test_sid("S-1-5-21-1-2-3-501");
    size_t n = 0;
    const toksim_sid *h = toksim_policy_holders(p, TOKSIM_RIGHT_INTERACTIVE_LOGON, &n);
    cr_assert_geq(n, 1u);
    cr_assert(toksim_sid_equal(&h[0], &guest), "export order: the Guest account first");
    toksim_policy_free(p);
}

Test(policy_pool, changed_lists_stay_independent)
{
    toksim_policy *p = profile("win10"), *c = NULL, *before = NULL;
    ts_assert_ok(toksim_policy_copy(&c, p), NULL);
    ts_assert_ok(toksim_policy_copy(&before, p), NULL);
    toksim_sid iis = ts_test_sid("S-1-5-32-568");
    uint32_t r = TOKSIM_PRIV_IMPERSONATE;
    /* grow a pooled list: the other policies keep theirs */
    ts_assert_ok(toksim_policy_grant(c, r, &iis), NULL);
    ts_assert_ok(toksim_policy_grant(c, r, &iis), NULL); /* once only */
    size_t nc = 0, np = 0;
    const toksim_sid *hc = toksim_policy_holders(c, r, &nc);
    (void)toksim_policy_holders(p, r, &np);
    cr_assert_eq(nc, np + 1);
    cr_assert(toksim_sid_equal(&hc[nc - 1], &iis));
    cr_assert_not(toksim_policy_has(p, r, &iis));
    /* empty a pooled list by revokes, then grant into it again */
    size_t nb = 0;
    const toksim_sid *hb = toksim_policy_holders(before, TOKSIM_PRIV_BACKUP, &nb);
    cr_assert_geq(nb, 1u);
    for (size_t k = 0; k < nb; k++)
        cr_assert(toksim_policy_revoke(p, TOKSIM_PRIV_BACKUP, &hb[k]));
    size_t n0 = 99;
    cr_assert_null(toksim_policy_holders(p, TOKSIM_PRIV_BACKUP, &n0));
    cr_assert_eq(n0, 0u);
    ts_assert_ok(toksim_policy_grant(p, TOKSIM_PRIV_BACKUP, &iis), NULL);
    const toksim_sid *h1 = toksim_policy_holders(p, TOKSIM_PRIV_BACKUP, &n0);
    cr_assert_eq(n0, 1u);
    cr_assert(toksim_sid_equal(&h1[0], &iis));
    /* replace a pooled list, and apply a template over a copy */
    ts_assert_ok(toksim_policy_set(p, TOKSIM_PRIV_DEBUG, &iis, 1), NULL);
    cr_assert(toksim_policy_has(p, TOKSIM_PRIV_DEBUG, &iis));
    toksim_policy *t = NULL, *d = NULL;
    ts_assert_ok(toksim_policy_new(&t), NULL);
    ts_assert_ok(toksim_policy_set(t, TOKSIM_PRIV_BACKUP, NULL, 0), NULL);
    ts_assert_ok(toksim_policy_copy(&d, c), NULL);
    ts_assert_ok(toksim_policy_apply(d, t), NULL);
    cr_assert_null(toksim_policy_holders(d, TOKSIM_PRIV_BACKUP, &n0));
    cr_assert(toksim_policy_defined(d, TOKSIM_PRIV_BACKUP));
    /* c, changed only by its grant, and the untouched copy still agree elsewhere */
    cr_assert(toksim_policy_revoke(c, r, &iis));
    assert_same(c, before);
    toksim_policy_free(t);
    toksim_policy_free(d);
    toksim_policy_free(p);
    toksim_policy_free(c);
    toksim_policy_free(before);
}
