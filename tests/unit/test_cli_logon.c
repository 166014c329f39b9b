/* PURPOSE: `toksim logon` and `toksim policy` end to end: the NETWORK SERVICE case of the
 * WMI seed (SeImpersonatePrivilege Enabled by default, gone once a template removes
 * NETWORK SERVICE and SERVICE), errors naming file and line, LogonUser failures, INF
 * output. */
#include "../cli_helpers.h"

Test(cli_logon, network_service_has_impersonate_enabled_by_default)
{
    ts_expect_cli("logon --user \"NT AUTHORITY\\NETWORK SERVICE\" --type service", 0,
                  "SeImpersonatePrivilege        Impersonate a client after "
                  "authentication Enabled");
    ts_expect_cli(
        "logon --user \"NT AUTHORITY\\NETWORK SERVICE\" --type service --format windbg",
        0,
        "06 0x00000001d SeImpersonatePrivilege            Attributes - Enabled "
        "Default\n");
}

Test(cli_logon, template_removing_network_service_removes_the_privilege)
{
    static char out[1 << 16];
    int rc = ts_run_cli(out, sizeof out,
                        "logon --user \"NT AUTHORITY\\NETWORK SERVICE\" --type service "
                        "--policy tests/data/inf/gpo_no_network_service.inf");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "PRIVILEGES INFORMATION"), "%s", out);
    cr_assert_null(strstr(out, "SeImpersonatePrivilege"), "%s", out);
    cr_assert(strstr(out, "SeCreateGlobalPrivilege"),
              "other rights keep the profile's holders");
    /* secedit /configure puts SERVICE back, and with it the privilege */
    ts_expect_cli(
        "logon --user \"NT AUTHORITY\\NETWORK SERVICE\" --type service --configure "
        "--policy tests/data/inf/gpo_no_network_service.inf",
        0, "SeImpersonatePrivilege");
}

Test(cli_logon, world_file_and_json_output)
{
    ts_expect_cli("logon --world tests/data/world/contoso.json --user CONTOSO\\\\alice "
                  "--type network --format json",
                  0, "\"name\":\t\"CONTOSO\\\\SQL Admins\"");
    ts_expect_cli("logon --world tests/data/world/contoso.json --user localadmin "
                  "--elevated --format windbg",
                  0, "SeDebugPrivilege");
    ts_expect_cli("logon --world tests/data/world/contoso.json --user localadmin --trace",
                  0, "[uac.split]");
}

Test(cli_logon, windows_failures_exit_1)
{
    ts_expect_cli("logon --world tests/data/world/contoso.json --user CONTOSO\\\\bob", 1,
                  "error 1331 ERROR_ACCOUNT_DISABLED");
    ts_expect_cli(
        "logon --world tests/data/world/hardened.json --user svc_bad --type service", 1,
        "error 1385 ERROR_LOGON_TYPE_NOT_GRANTED");
    ts_expect_cli(
        "logon --world tests/data/world/contoso.json --user svc_sql --password nope", 1,
        "error 1326");
}

Test(cli_logon, bad_input_names_file_and_line)
{
    ts_expect_cli("logon --user bob --policy tests/data/inf/bad_unknown_right.inf", 2,
                  "tests/data/inf/bad_unknown_right.inf:5:");
    ts_expect_cli("logon --world tests/data/world/bad_member.json --user alice", 2,
                  "tests/data/world/bad_member.json:5:");
    ts_expect_cli("logon --user nobody", 2, "nobody");
    ts_expect_cli("logon --user bob --type sideways", 2, "sideways");
    ts_expect_cli("logon --help", 0, "usage: toksim logon");
    ts_expect_cli("policy --help", 0, "usage: toksim policy");
}

Test(cli_policy, text_json_and_inf)
{
    ts_expect_cli("policy tests/data/inf/gpo_no_network_service.inf", 0,
                  "* SeImpersonatePrivilege");
    ts_expect_cli("policy tests/data/inf/gpo_no_network_service.inf --format json", 0,
                  "\"from_template\":\ttrue");
    ts_expect_cli("policy --os win7 --format json", 0, "\"os_profile\":\t\"win7\"");
    ts_expect_cli("policy tests/data/inf/bad_sid.inf", 2,
                  "tests/data/inf/bad_sid.inf:2:");
    ts_expect_cli("policy --list-os", 0, "win10");
    static char out[1 << 16];
    int rc = ts_run_cli(out, sizeof out,
                        "policy tests/data/inf/secedit_export_utf16.inf --format inf | "
                        "od -An -tx1 | head -1");
    cr_assert_eq(rc, 0);
    cr_assert(strstr(out, "ff fe 5b 00 55 00"), "UTF-16LE BOM then \"[U\": %s", out);
}

Test(cli_logon, service_identities_default_to_a_service_logon)
{
    ts_expect_cli("logon --user \"NT AUTHORITY\\NETWORK SERVICE\"", 0,
                  "NT AUTHORITY\\SERVICE ");
    ts_expect_cli("logon --user \"NT AUTHORITY\\NETWORK SERVICE\" --type interactive", 1,
                  "error 1385");
    ts_expect_cli("logon --user \"NT SERVICE\\MSSQLSERVER\" --format json", 0,
                  "\"S-1-5-80-0\"");
}

Test(cli_logon, json_failure_report)
{
    ts_expect_cli(
        "logon --world tests/data/world/contoso.json --user CONTOSO\\\\bob --format json",
        1, "\"error_name\":\t\"ERROR_ACCOUNT_DISABLED\"");
}

Test(cli_logon, policy_output_errors_and_json)
{
    ts_expect_cli("policy --output /dev/full", 2, "/dev/full: write failed");
    ts_expect_cli("policy --output /nonexistent/dir/x.txt", 2,
                  "/nonexistent/dir/x.txt: cannot write");
    ts_expect_cli("policy --help", 0, "or an output that cannot be written");
    ts_expect_cli("policy --format json", 0, "\"SeImpersonatePrivilege\":");
}

Test(cli_logon, empty_template_is_refused)
{
    ts_expect_cli("policy tests/data/world/empty.json", 2,
                  "empty.json:1:1: empty template");
    ts_expect_cli("policy /dev/null", 2, "/dev/null: cannot open: not a regular file");
    ts_expect_cli("logon --user Administrator --policy tests/data/world/empty.json", 2,
                  "empty.json:1:1: empty template");
}

Test(cli_logon, list_os_does_not_hide_a_bad_option)
{
    ts_expect_cli("policy --list-os", 0, "win10");
    ts_expect_cli("policy --list-os --bogus", 2, "unknown option --bogus");
}

Test(cli_logon, unknown_os_profile_lists_the_known_ones)
{
    ts_expect_cli("logon --user x --os win3", 2,
                  "--os: unknown OS profile 'win3' (known: win10, win7, server)");
    ts_expect_cli("policy --os win3", 2, "(known: win10, win7, server)");
}

/* issue 18: the package SIDs by name in every format; a computer account's interactive
 * logon fails with 1808 (MS-ERREF STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT). */
Test(cli_logon, package_sids_and_computer_account)
{
    ts_expect_cli("logon --world tests/data/world/contoso.json --user CONTOSO\\\\alice",
                  0,
                  "Authentication authority asserted identity Well-known group S-1-18-1");
    ts_expect_cli("logon --world tests/data/world/contoso.json --user CONTOSO\\\\alice "
                  "--type network --package s4u --format json",
                  0, "\"name\":\t\"Service asserted identity\"");
    ts_expect_cli("logon --world tests/data/world/contoso.json --user localadmin "
                  "--package ntlm --elevated",
                  0, "NT AUTHORITY\\NTLM Authentication");
    ts_expect_cli("logon --world tests/data/world/contoso.json --user CONTOSO\\\\alice "
                  "--format windbg",
                  0,
                  " S-1-18-1 (Well Known Group: Authentication authority asserted "
                  "identity)\n    Attributes - Mandatory Default Enabled \n");
    ts_expect_cli("logon --world tests/data/world/contoso.json --user localadmin "
                  "--package ntlm --format windbg",
                  0, "S-1-5-64-10 (Well Known Group: NT AUTHORITY\\NTLM Authentication)");
    ts_expect_cli("logon --world tests/data/world/contoso.json --user localadmin "
                  "--package bogus",
                  2, "--package");
    ts_expect_cli("logon --world tests/data/world/contoso.json --user CONTOSO\\\\WS01$",
                  1, "error 1808 ERROR_NOLOGON_WORKSTATION_TRUST_ACCOUNT");
}
