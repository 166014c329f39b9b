/* PURPOSE: fidelity fixes seen through the CLI (docs/fidelity-notes.md F-SDDL-5,
 * F-SID-2): the control word `toksim sddl` shows for a converted (self-relative)
 * descriptor, and the BUILTIN domain SID S-1-5-32 named as LookupAccountSid names it. */
#include "../cli_helpers.h"

/* Wine test_PrivateObjectSecurity (run on Windows): GetSecurityDescriptorControl of a
 * descriptor ConvertStringSecurityDescriptorToSecurityDescriptor made from an SDDL string
 * with a protected DACL and a SACL is 0x9014: SE_SELF_RELATIVE|SE_DACL_PROTECTED|
 * SE_SACL_PRESENT|SE_DACL_PRESENT. */
Test(cli_fidelity, sddl_control_is_self_relative)
{
    ts_expect_cli("sddl 'O:SYG:BAD:P(A;;GA;;;SY)S:(AU;SA;GA;;;WD)'", 0,
                  "Control: 0x9014");
    ts_expect_cli("sddl --format json 'O:BAG:BAD:(A;;GA;;;SY)'", 0, "\"0x8004\"");
}

/* LookupAccountSid(S-1-5-32): "BUILTIN", SidTypeDomain (Learn "Well-known SIDs": S-1-5-32
 * Builtin, a built-in domain). */
Test(cli_fidelity, builtin_domain_sid_is_named)
{
    ts_expect_cli("sid S-1-5-32", 0, "Name:  BUILTIN");
    ts_expect_cli("sid S-1-5-32", 0, "domain (SidTypeDomain)");
    ts_expect_cli("sid BUILTIN", 0, "SID:   S-1-5-32");
    ts_expect_cli("sid 'BUILTIN\\Administrators'", 0, "S-1-5-32-544");
}

/* token.adjust_groups: an unknown group name is bad input (exit 2, file:line:col). */
Test(cli_fidelity, adjust_groups_bad_name)
{
    ts_expect_cli(
        "check tests/data/scenario/bad_adjust_groups.json", 2,
        "bad_adjust_groups.json:4:73: steps[1] (g, token.adjust_groups): disable: "
        "unknown account or group \"Nobody Here\"");
}
