/* PURPOSE: a security template past TOKSIM_INF_MAX_HOLDERS is refused with a message that
 * names the limit and the line:column of the first holder too many. */
#include <stdio.h>
#include <stdlib.h>
#include "../helpers.h"

Test(inf_limits, too_many_holders_names_the_limit)
{
    size_t cap = 64 * 1024;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    int n = snprintf(text, cap,
                     "[Unicode]\nUnicode=yes\n[Privilege Rights]\nSeDebugPrivilege = ");
    for (unsigned i = 0; i <= TOKSIM_INF_MAX_HOLDERS; i++) /* one SID too many */
        n += snprintf(text + n, cap - (size_t)n, "%s*S-1-5-21-1-2-3-%u", i ? "," : "",
                      1000 + i);
    snprintf(text + n, cap - (size_t)n, "\n");
    toksim_policy *p = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_policy_parse_inf(&p, (const uint8_t *)text, strlen(text), "t.inf",
                                         NULL, &err),
                 TOKSIM_ELIMIT);
    cr_assert_eq(err.line, 4);
    cr_assert(strstr(err.message, "at most 1024, TOKSIM_INF_MAX_HOLDERS"), "%s",
              err.message);
    free(text);
}
