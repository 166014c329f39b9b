/*
 * PURPOSE: the SDDL and SID-string readers against Wine's conformance tests, whose ok()
 * lines run on Windows: test_ConvertStringSecurityDescriptor's cssd[] table and the calls
 * after it, the strings test_ConvertSecurityDescriptorToString and
 * test_PrivateObjectSecurity expect (tests/data/sddl/wine_cvt.txt), test_sid's
 * ConvertStringSidToSid tables (tests/data/sddl/wine_sid.txt). Rows marked skip/kept are
 * counted and listed in docs/fidelity-notes.md F-SDDL-3.
 */
#include <stdlib.h>
#include "sddl_vectors.h"

static int skipped;

static void cvt(const char *in, const char *want, int line)
{
    if (strncmp(want, "skip ", 5) == 0) {
        skipped++;
        return;
    }
    toksim_sid mach, dom;
    ts_assert_ok(toksim_sid_parse(&mach, TOKSIM_DEFAULT_MACHINE_SID, NULL), NULL);
    ts_assert_ok(toksim_sid_parse(&dom, "S-1-5-21-11-22-33", NULL), NULL);
    toksim_sid_context c = {0};
    c.machine = &mach;
    c.domain = &dom;
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    toksim_status rc = toksim_sd_from_sddl(&sd, in, &c, &e);
    if (strncmp(want, "refused", 7) == 0) {
        cr_expect_neq(rc, TOKSIM_OK, "wine_cvt.txt:%d: '%s' accepted, Windows refuses it",
                      line, in);
        cr_expect(rc == TOKSIM_OK || e.message[0], "wine_cvt.txt:%d: no message", line);
        toksim_sd_free(sd);
        return;
    }
    cr_assert_eq(rc, TOKSIM_OK,
                 "wine_cvt.txt:%d: '%s' refused (%s at %zu), Windows accepts it", line,
                 in, e.message, e.offset);
    const char *m = strstr(want, "mask=");
    if (m) {
        unsigned long mask = strtoul(m + 5, NULL, 16);
        cr_assert(sd->dacl && sd->dacl->count >= 1, "wine_cvt.txt:%d: no ACE", line);
        cr_expect_eq(sd->dacl->aces[0].mask, (uint32_t)mask,
                     "wine_cvt.txt:%d: mask 0x%x, Windows 0x%lx", line,
                     sd->dacl->aces[0].mask, mask);
    }
    const char *sd_text = strstr(want, "sddl=");
    if (sd_text) {
        char *out = NULL;
        ts_assert_ok(toksim_sd_to_sddl(&out, sd, &c), NULL);
        cr_expect_str_eq(out, sd_text + 5, "wine_cvt.txt:%d: wrote '%s'", line, out);
        free(out);
    }
    const char *sz = strstr(want, "size=");
    if (sz) {
        uint8_t *bin = NULL;
        size_t n = 0;
        ts_assert_ok(toksim_sd_to_binary(&bin, &n, sd), NULL);
        cr_expect_eq(n, strtoul(sz + 5, NULL, 10), "wine_cvt.txt:%d: %zu bytes", line, n);
        const toksim_acl *acl = sd->dacl ? sd->dacl : sd->sacl;
        cr_assert(acl, "wine_cvt.txt:%d: no ACL", line);
        cr_expect_eq(acl->count, 0u);
        const char *r = strstr(want, "acl=");
        cr_assert(r);
        /* the ACL header's revision byte, right after the 20-byte header */
        cr_expect_eq(bin[20], (uint8_t)atoi(r + 4), "wine_cvt.txt:%d: ACL revision %u",
                     line, bin[20]);
        free(bin);
    }
    toksim_sd_free(sd);
}

static void sid(const char *in, const char *want, int line)
{
    if (strncmp(want, "kept ", 5) == 0) {
        skipped++;
        return;
    }
    toksim_sid mach, dom, out;
    ts_assert_ok(toksim_sid_parse(&mach, TOKSIM_DEFAULT_MACHINE_SID, NULL), NULL);
    ts_assert_ok(toksim_sid_parse(&dom, "S-1-5-21-11-22-33", NULL), NULL);
    toksim_sid_context c = {0};
    c.machine = &mach;
    c.domain = &dom;
    toksim_error e = {0};
    toksim_status rc = toksim_sid_resolve(&out, in, &c, &e);
    if (strncmp(want, "refused", 7) == 0) {
        cr_expect_neq(rc, TOKSIM_OK, "wine_sid.txt:%d: '%s' accepted", line, in);
        return;
    }
    cr_assert_eq(rc, TOKSIM_OK, "wine_sid.txt:%d: '%s' refused: %s", line, in, e.message);
    char buf[TOKSIM_SID_STRING_MAX];
    toksim_sid_format(buf, sizeof buf, &out);
    if (strncmp(want, "machine ", 8) == 0) {
        toksim_sid exp;
        ts_assert_ok(toksim_sid_append(&exp, &mach, (uint32_t)atoi(want + 8)), NULL);
        cr_expect(toksim_sid_equal(&out, &exp), "wine_sid.txt:%d: %s", line, buf);
    } else if (strcmp(want, "optional") != 0) {
        cr_expect_str_eq(buf, want, "wine_sid.txt:%d: '%s' gave %s", line, in, buf);
    }
}

Test(sddl_wine, convert_string_security_descriptor_table)
{
    skipped = 0;
    int n = ts_each_vector("tests/data/sddl/wine_cvt.txt", " => ", cvt);
    cr_assert_geq(n, 51);
    cr_assert_eq(skipped, 1, "rows kept different: list them in F-SDDL-3");
}

Test(sddl_wine, convert_string_sid_to_sid_tables)
{
    skipped = 0;
    int n = ts_each_vector("tests/data/sddl/wine_sid.txt", " => ", sid);
    cr_assert_geq(n, 50);
    cr_assert_eq(skipped, 1, "rows kept different: list them in F-SDDL-3");
}
