/*
 * PURPOSE: the SDDL reader against what Windows itself does with odd strings, as Samba
 * recorded from ConvertStringSecurityDescriptorToSecurityDescriptorW runs on Windows
 * (samba-team/samba libcli/security/tests/windows/): white space where Windows accepts
 * and refuses it, hex and clamped numbers in SIDs and access masks, signed masks,
 * component letter case, audit ACEs in a DACL. Vectors: tests/data/sddl/samba_windows.txt
 * (accepted: what Windows wrote back) and samba_windows_fail.txt (refused).
 */
#include <stdlib.h>
#include "sddl_vectors.h"

static toksim_sid_context ctx(toksim_sid *dom, toksim_sid *mach)
{
    ts_assert_ok(toksim_sid_parse(dom, "S-1-5-21-11-22-33", NULL), NULL);
    ts_assert_ok(toksim_sid_parse(mach, "S-1-5-21-4-5-6", NULL), NULL);
    toksim_sid_context c = {0};
    c.domain = dom;
    c.machine = mach;
    return c;
}

static void accepted(const char *in, const char *want, int line)
{
    toksim_sid d, m;
    toksim_sid_context c = ctx(&d, &m);
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_sd_from_sddl(&sd, in, &c, &e);
    cr_expect_eq(rc, TOKSIM_OK, "samba_windows.txt:%d: '%s' refused: %s (offset %zu)",
                 line, in, e.message, e.offset);
    if (rc)
        return;
    char *out = NULL;
    ts_assert_ok(toksim_sd_to_sddl(&out, sd, &c), NULL);
    cr_expect_str_eq(out, want, "samba_windows.txt:%d: '%s' gave '%s', Windows '%s'",
                     line, in, out, want);
    free(out);
    toksim_sd_free(sd);
}

static void refused(const char *in, const char *what, int line)
{
    (void)what;
    toksim_sid d, m;
    toksim_sid_context c = ctx(&d, &m);
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_sd_from_sddl(&sd, in, &c, &e);
    cr_expect_neq(rc, TOKSIM_OK, "samba_windows_fail.txt:%d: '%s' was accepted", line,
                  in);
    cr_expect(rc == TOKSIM_OK || e.message[0], "line %d: no message", line);
    toksim_sd_free(sd);
}

Test(sddl_windows, samba_recorded_accepted_vectors)
{
    int n = ts_each_vector("tests/data/sddl/samba_windows.txt", " -> ", accepted);
    cr_assert_geq(n, 60);
}

Test(sddl_windows, samba_recorded_refused_vectors)
{
    int n = ts_each_vector("tests/data/sddl/samba_windows_fail.txt", " => ", refused);
    cr_assert_geq(n, 40);
}
