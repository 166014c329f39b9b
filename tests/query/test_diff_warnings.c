/*
 * PURPOSE: `toksim diff` shows the template warnings `toksim policy` prints (a right or a
 * section given twice, from the INF parser), named by file and line, and the diff API
 * returns them per template (toksim_diff_template_warnings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../cli_helpers.h"

#define DUP  "tests/data/inf/dup_right.inf"
#define GOOD "tests/data/inf/gpo_no_network_service.inf"

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "%s", path);
    static char buf[2][1 << 16];
    static int which;
    char *b = buf[which++ & 1];
    *len = fread(b, 1, sizeof buf[0], fp);
    fclose(fp);
    return b;
}

Test(diff_warnings, the_api_returns_each_templates_warnings)
{
    size_t alen, blen;
    const char *a = slurp(DUP, &alen), *b = slurp(GOOD, &blen);
    toksim_diff *d = NULL;
    toksim_error err = {0}, *ep = &err;
    ts_assert_ok(toksim_diff_new(&d, a, alen, DUP, b, blen, GOOD, NULL, ep), ep);
    size_t n = 9;
    const toksim_inf_warning *w = toksim_diff_template_warnings(d, 0, &n);
    cr_assert_eq(n, 1);
    cr_assert_not_null(w);
    cr_assert_eq(w[0].line, 5);
    cr_assert_eq(w[0].first_line, 4);
    cr_assert(strstr(w[0].message, "SeImpersonatePrivilege is defined twice"), "%s",
              w[0].message);
    cr_assert_null(toksim_diff_template_warnings(d, 1, &n));
    cr_assert_eq(n, 0);
    cr_assert_null(toksim_diff_template_warnings(d, 2, &n));
    toksim_diff_free(d);
}

Test(diff_warnings, the_cli_prints_them_like_policy)
{
    /* exit 1: the templates differ */
    ts_expect_cli("diff --policy " DUP " --policy " GOOD, 1,
                  "toksim diff: " DUP
                  ":5: warning: SeImpersonatePrivilege is defined twice "
                  "(lines 4 and 5)");
    ts_expect_cli("diff --policy " GOOD " --policy " DUP, 1,
                  "toksim diff: " DUP
                  ":5: warning: SeImpersonatePrivilege is defined twice");
    ts_expect_cli("policy " DUP, 0,
                  "toksim policy: " DUP
                  ":5: warning: SeImpersonatePrivilege is defined twice");
}
