/* PURPOSE: the indexed name lookups of issue 11 (toksim_code_by_name, toksim_rule_by_id)
 * answer exactly what a plain scan of the tables answers, for every name and for near
 * misses (other case, one byte more or less, one byte changed). */
#include "../helpers.h"
#include <ctype.h>
#include <stdio.h>

static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = *a >= 'A' && *a <= 'Z' ? *a + 32 : (unsigned char)*a;
        int cb = *b >= 'A' && *b <= 'Z' ? *b + 32 : (unsigned char)*b;
        if (ca != cb || !ca)
            return ca - cb;
    }
}

static const toksim_code_info *slow_code(const char *name)
{
    for (size_t i = 0; i < toksim_code_count(); i++) {
        const toksim_code_info *c = toksim_code_at(i);
        if (ascii_casecmp(c->name, name) == 0 ||
            (c->nt_name[0] && ascii_casecmp(c->nt_name, name) == 0))
            return c;
    }
    return NULL;
}

static const toksim_rule_info *slow_rule(const char *id)
{
    for (int r = 1; r < TOKSIM_RULE__COUNT; r++)
        if (strcmp(toksim_rule_get((toksim_rule)r)->id, id) == 0)
            return toksim_rule_get((toksim_rule)r);
    return NULL;
}

/* name, then variants of it: lower case, shorter, longer, last byte changed */
static void variants(const char *name, void (*check)(const char *))
{
    char v[300];
    size_t n = strlen(name);
    check(name);
    for (size_t i = 0; i <= n && i < sizeof v - 1; i++)
        v[i] = (char)tolower((unsigned char)name[i]);
    check(v);
    snprintf(v, sizeof v, "%.*s", (int)(n ? n - 1 : 0), name);
    check(v);
    snprintf(v, sizeof v, "%sX", name);
    check(v);
    snprintf(v, sizeof v, "%s", name);
    if (n) {
        v[n - 1] = (char)(v[n - 1] ^ 1);
        check(v);
        v[0] = (char)(v[0] ^ 0x20);
        check(v);
    }
}

static void check_code(const char *s)
{
    cr_assert_eq(toksim_code_by_name(s), slow_code(s), "\"%s\"", s);
}

static void check_rule(const char *s)
{
    cr_assert_eq(toksim_rule_by_id(s), slow_rule(s), "\"%s\"", s);
}

Test(name_lookup, code_by_name_matches_scan)
{
    for (size_t i = 0; i < toksim_code_count(); i++) {
        variants(toksim_code_at(i)->name, check_code);
        if (toksim_code_at(i)->nt_name[0])
            variants(toksim_code_at(i)->nt_name, check_code);
    }
    variants("", check_code);
    variants("E", check_code);
    cr_assert_null(toksim_code_by_name(NULL));
    cr_assert_not_null(toksim_code_by_name("error_access_denied"));
    cr_assert_str_eq(toksim_code_by_name("status_access_denied")->name,
                     "ERROR_ACCESS_DENIED");
    char big[400];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = 0;
    check_code(big);
}

Test(name_lookup, rule_by_id_matches_scan)
{
    for (int r = 1; r < TOKSIM_RULE__COUNT; r++)
        variants(toksim_rule_get((toksim_rule)r)->id, check_rule);
    variants("none", check_rule);
    cr_assert_null(toksim_rule_by_id("none"));
    cr_assert_null(toksim_rule_by_id(""));
    cr_assert_null(toksim_rule_by_id(NULL));
    cr_assert_eq(toksim_rule_by_id("imp.privilege.missing")->rule,
                 TOKSIM_RULE_IMP_PRIV_MISSING);
}
