/* PURPOSE: the practitioner imports of issue 10: a GptTmpl.inf with placeholder account
 * names (STIG templates ship 'ADD YOUR DOMAIN ADMINS') refused by default, applied with
 * --unresolved warn|skip listing each skipped name at its line and column; a domain
 * controller's template applied to the default client profile warns that --os server is
 * probably meant; `toksim access` on an `sc sdshow` string (no owner, no group) says what
 * is missing and how to supply it. */
#include "../cli_helpers.h"

#define STIG "tests/data/inf/stig_placeholders.inf"
#define DC   "tests/data/inf/dc_default_policy.inf"

typedef struct skips {
    size_t n;
    char names[4][64];
    int lines[4], cols[4];
} skips;

static void on_skip(const char *name, const char *right, int line, int col, void *payload)
{
    skips *s = payload;
    cr_assert_str_eq(right, "SeDenyNetworkLogonRight");
    if (s->n < 4) {
        snprintf(s->names[s->n], sizeof s->names[0], "%s", name);
        s->lines[s->n] = line;
        s->cols[s->n] = col;
    }
    s->n++;
}

Test(inf_unresolved, placeholders_skipped_with_their_positions)
{
    FILE *f = fopen(STIG, "rb");
    cr_assert_not_null(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    toksim_policy *p = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_policy_parse_inf(&p, buf, n, STIG, NULL, &err), TOKSIM_ENOTFOUND);
    cr_assert_eq(err.line, 9);
    cr_assert_eq(err.column, 27);
    skips s = {0};
    toksim_inf_options io = {TOKSIM_INF_SKIP_UNRESOLVED, on_skip, &s};
    cr_assert_eq(
        toksim_policy_parse_inf_ex(&p, buf, n, STIG, NULL, &io, NULL, NULL, &err),
        TOKSIM_OK, "%s", err.message);
    cr_assert_eq(s.n, 2);
    cr_assert_str_eq(s.names[0], "ADD YOUR DOMAIN ADMINS");
    cr_assert_eq(s.lines[0], 9);
    cr_assert_eq(s.cols[0], 27);
    cr_assert_str_eq(s.names[1], "ADD YOUR ENTERPRISE ADMINS");
    cr_assert_eq(s.cols[1], 50);
    /* the rest of the line still applies: Guests keep the deny right */
    size_t nh = 0;
    const toksim_sid *h = toksim_policy_holders(p, TOKSIM_RIGHT_DENY_NETWORK_LOGON, &nh);
    cr_assert_eq(nh, 1);
    toksim_sid guests;
    cr_assert_eq(toksim_sid_parse(&guests, "S-1-5-32-546", NULL), TOKSIM_OK);
    cr_assert(toksim_sid_equal(&h[0], &guests));
    toksim_policy_free(p);
    /* a malformed SID is still an error, skip or not */
    static const char bad[] = "[Privilege Rights]\nSeDebugPrivilege = *S-1-5-x\n";
    cr_assert_eq(toksim_policy_parse_inf_ex(&p, bad, sizeof bad - 1, "b.inf", NULL, &io,
                                            NULL, NULL, &err),
                 TOKSIM_EPARSE);
}

Test(inf_unresolved, cli_error_warn_skip)
{
    ts_expect_cli("policy " STIG, 2,
                  STIG ":9:27: cannot resolve account 'ADD YOUR DOMAIN ADMINS'");
    ts_expect_cli("policy " STIG, 2, "--unresolved warn (or skip) leaves such names out");
    ts_expect_cli("policy --unresolved warn " STIG, 0,
                  STIG ":9:50: warning: skipped unresolvable holder 'ADD YOUR ENTERPRISE "
                       "ADMINS' of SeDenyNetworkLogonRight");
    ts_expect_cli("policy --unresolved skip " STIG, 0,
                  STIG ": 2 unresolvable holder(s) skipped");
    ts_expect_cli("policy --unresolved skip " STIG, 0,
                  STIG ":9:27: skipped unresolvable holder 'ADD YOUR DOMAIN ADMINS'");
    ts_expect_cli("policy --unresolved maybe " STIG, 2,
                  "--unresolved 'maybe': expected error, warn or skip");
}

Test(inf_hints, domain_controller_template_on_the_default_profile)
{
    static const char dc[] =
        "[Privilege Rights]\nSeNetworkLogonRight = *S-1-1-0,*S-1-5-9\n";
    static const char ws[] =
        "[Privilege Rights]\nSeNetworkLogonRight = *S-1-1-0,*S-1-5-32-544\n";
    toksim_policy *p = NULL;
    uint32_t right = 0;
    toksim_sid who;
    cr_assert_eq(toksim_policy_parse_inf(&p, dc, sizeof dc - 1, "dc.inf", NULL, NULL),
                 TOKSIM_OK);
    cr_assert(toksim_policy_looks_like_dc(p, &right, &who));
    cr_assert_eq(right, TOKSIM_RIGHT_NETWORK_LOGON);
    toksim_policy_free(p);
    cr_assert_eq(toksim_policy_parse_inf(&p, ws, sizeof ws - 1, "ws.inf", NULL, NULL),
                 TOKSIM_OK);
    cr_assert_not(toksim_policy_looks_like_dc(p, NULL, NULL));
    toksim_policy_free(p);
    ts_expect_cli("policy " DC, 0,
                  DC ":8: warning: this looks like a domain controller's template");
    ts_expect_cli("policy " DC, 0, "--os server is probably meant");
    static char out[1 << 16];
    cr_assert_eq(ts_run_cli(out, sizeof out, "policy --os server " DC), 0);
    cr_assert_null(strstr(out, "warning"), "%s", out);
    cr_assert_eq(
        ts_run_cli(out, sizeof out, "policy tests/data/inf/gpo_no_network_service.inf"),
        0);
    cr_assert_null(strstr(out, "domain controller"), "%s", out);
}

Test(access_hint, sc_sdshow_string_without_owner_and_group)
{
    const char *args =
        "access --sddl 'D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCLCSWLOCRRC;;;IU)' "
        "--user S-1-5-21-1-2-3-1001 --group IU --desired SERVICE_QUERY_STATUS "
        "--type service";
    char cmd[512];
    ts_expect_cli(args, 1, "ERROR_INVALID_SECURITY_DESCR");
    ts_expect_cli(args, 1, "hint: the descriptor has no owner (O:) and no group (G:)");
    ts_expect_cli(
        args, 1, "--sddl 'O:SYG:SYD:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCLCSWLOCRRC;;;IU)'");
    /* following the hint grants the access */
    snprintf(
        cmd, sizeof cmd, "%s",
        "access --sddl 'O:SYG:SYD:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCLCSWLOCRRC;;;IU)' "
        "--user S-1-5-21-1-2-3-1001 --group IU --desired SERVICE_QUERY_STATUS "
        "--type service");
    static char out[1 << 16];
    cr_assert_eq(ts_run_cli(out, sizeof out, cmd), 0, "%s", out);
    cr_assert_null(strstr(out, "hint:"), "%s", out);
    ts_expect_cli("access --sddl 'O:SYD:(A;;FR;;;WD)' --user WD --desired FR", 1,
                  "hint: the descriptor has no group (G:)");
}
