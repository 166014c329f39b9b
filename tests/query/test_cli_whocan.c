/*
 * PURPOSE: `toksim who-can` end to end: the worked example of the README (the UAC
 * scenario: the elevated token reads the SAM backup, the filtered one does not, and the
 * Effective Access tab says otherwise), JSON, --explain, and every bad input as exit 2
 * with a message naming what was wrong.
 */
#include "../cli_helpers.h"

#define UAC   "scenarios/tokens/admin-filtered-vs-elevated.json"
#define SAM   "'C:\\Windows\\System32\\config\\RegBack\\SAM'"
#define WORLD "tests/data/world/whocan.json"

Test(cli_whocan, uac_scenario_elevated_reads_filtered_does_not)
{
    ts_expect_cli("who-can --scenario " UAC " --path " SAM " --desired FR", 0,
                  "UIKOU-SEVEN\\uikou [user] interactive, elevated token: granted");
    static char out[1 << 18];
    int rc = ts_run_cli(out, sizeof out,
                        "who-can --scenario " UAC " --path " SAM " --desired FR");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert_null(strstr(out, "filtered token: granted"), "%s", out);
    ts_expect_cli("who-can --scenario " UAC " --path " SAM " --desired FR --effective "
                  "--principal uikou",
                  0, "is deny-only in the filtered token");
}

Test(cli_whocan, explain_prints_the_trace_and_exits_by_the_verdict)
{
    ts_expect_cli("who-can --scenario " UAC " --path " SAM " --desired FR --explain "
                  "uikou:interactive",
                  1, "[access.ace.deny_only_group]");
    ts_expect_cli("who-can --scenario " UAC " --path " SAM " --desired FR --explain "
                  "uikou:interactive:elevated",
                  0, "[access.granted]");
}

Test(cli_whocan, json_privilege_and_logon_right)
{
    ts_expect_cli("who-can --world " WORLD
                  " --privilege SeImpersonatePrivilege --format json",
                  0, "\"principal\":\t\"NT SERVICE\\\\Sync\"");
    ts_expect_cli("who-can --world " WORLD " --logon-right SeDenyNetworkLogonRight", 0,
                  "WS01\\dave [user] network, logon token: granted");
    ts_expect_cli("help who-can", 0, "usage: toksim who-can");
}

Test(cli_whocan, a_declared_share_limits_the_unc_object)
{
    /* the object's share_sddl grants read: writing over the share is nobody's, reading is
     * every network logon's, with share and NTFS masks shown */
    ts_expect_cli("who-can --scenario tests/data/scenario/whocan-unc-share.json --path "
                  "'\\\\FS01\\content\\report.xlsx' --desired FW",
                  1, "(nobody)");
    ts_expect_cli("who-can --scenario tests/data/scenario/whocan-unc-share.json --path "
                  "'\\\\FS01\\content\\report.xlsx' --desired FR",
                  0, "share permissions 0x00120089 (FILE_GENERIC_READ); NTFS 0x001F01FF");
    ts_expect_cli("who-can --scenario tests/data/scenario/whocan-unc-share.json --path "
                  "'\\\\FS01\\content\\report.xlsx' --desired FR --effective --principal "
                  "alice",
                  0, "differs: through the share, the share permissions grant 0x120089");
}

Test(cli_whocan, bad_input_is_exit_2_with_a_clear_message)
{
    ts_expect_cli("who-can --world " WORLD
                  " --sddl 'O:BAG:BAD:(A;;FR;;;WD)' --desired FR "
                  "--principal nobody",
                  2, "unknown account 'nobody'");
    ts_expect_cli("who-can --world " WORLD " --sddl 'O:BAG:BAD:(A;;FR;;;WD)' --desired "
                  "NOT_A_RIGHT",
                  2, "--desired");
    ts_expect_cli("who-can --scenario " UAC " --path 'C:\\nothing' --desired FR", 2,
                  "--path: 'C:\\nothing' is not an object of");
    ts_expect_cli("who-can --world " WORLD " --privilege SeImpersonatePrivilege --policy "
                  "tests/data/whocan-missing.inf",
                  2, "tests/data/whocan-missing.inf");
    ts_expect_cli("who-can --world " WORLD " --privilege SeImpersonatePrivilege --policy "
                  "tests/data/inf/bad_unknown_right.inf",
                  2, "tests/data/inf/bad_unknown_right.inf:");
    ts_expect_cli("who-can --world " WORLD " --privilege SeNetworkLogonRight", 2,
                  "unknown privilege 'SeNetworkLogonRight'");
    ts_expect_cli("who-can --world " WORLD, 2, "ask one question");
    ts_expect_cli("who-can --world " WORLD
                  " --privilege SeImpersonatePrivilege --logon-type "
                  "new-credentials",
                  2, "clones the caller's token");
    ts_expect_cli("who-can --world " WORLD
                  " --sddl 'O:BAG:BAD:(A;;FR;;;WD)' --desired FR "
                  "--principal BUILTIN\\\\Users",
                  2, "is not a principal that logs on");
    ts_expect_cli("who-can --world " WORLD
                  " --sddl 'O:BAG:BAD:(A;;FR;;;XX)' --desired FR",
                  2, "--sddl");
    ts_expect_cli("who-can --world " WORLD
                  " --sddl 'O:BAG:BAD:(A;;FR;;;WD)' --desired FR "
                  "--effective",
                  2, "--effective needs --principal");
}
