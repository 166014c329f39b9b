/*
 * PURPOSE: `toksim triage`: captures in tests/data/triage/ (the apppool capture of
 * tests/data/whoami/ with SeImpersonatePrivilege disabled, or removed), a scenario
 * step's token, and exit 2 for bad input (unknown API, an error in no form of the
 * catalog, no token source).
 */
#include "../cli_helpers.h"

#define TD "tests/data/triage/"

Test(cli_triage, disabled_privilege_capture)
{
    ts_expect_cli("triage --whoami " TD "impersonate_disabled.txt --api "
                  "ImpersonateLoggedOnUser --error 0x80070542",
                  0, "1. [confirmed] privilege-disabled");
    ts_expect_cli("triage --whoami " TD "impersonate_missing.txt --api "
                  "ImpersonateLoggedOnUser --error ERROR_BAD_IMPERSONATION_LEVEL",
                  0, "1. [confirmed] privilege-missing");
    ts_expect_cli(
        "triage --whoami " TD "impersonate_missing.txt --api "
        "CoImpersonateClient --error 1346 --client-level Identify --format json",
        0, "\"state\":\t\"confirmed\"");
}

Test(cli_triage, scenario_step_token)
{
    /* the MBAM worker after the GPO lost SeImpersonatePrivilege (the scenario's expect
     * block says so: token_lacks_privilege on step "pool") */
    ts_expect_cli(
        "triage --scenario scenarios/iis/mbam-iis-iusrs-removed.json --step pool "
        "--api ImpersonateLoggedOnUser --error 0x80070542",
        0, "[confirmed] privilege-missing");
}

Test(cli_triage, bad_input_exits_2)
{
    ts_expect_cli("triage --whoami " TD
                  "impersonate_missing.txt --api Impersonate --error "
                  "1346",
                  2, "unknown API 'Impersonate'");
    ts_expect_cli("triage --whoami " TD "impersonate_missing.txt --api SetThreadToken "
                  "--error 0xZZ",
                  2, "--error: '0xZZ' is not a number");
    ts_expect_cli("triage --whoami " TD "impersonate_missing.txt --api SetThreadToken "
                  "--error 0x12345678",
                  2, "in no form of the error catalog");
    ts_expect_cli("triage --api SetThreadToken --error 1346", 2, "exactly one of");
    ts_expect_cli("triage --help", 0, "usage: toksim triage");
}

Test(cli_triage, windbg_and_partial_captures)
{
    /* !token of a filtered admin (no SeImpersonatePrivilege); the NTSTATUS form */
    ts_expect_cli("triage --windbg tests/data/windbg/filtered_admin_n.txt --api "
                  "ImpersonateLoggedOnUser --error 0xC00000A5",
                  0, "read as NTSTATUS");
    ts_expect_cli("triage --windbg tests/data/windbg/filtered_admin_n.txt --api "
                  "ImpersonateLoggedOnUser --error 0xC00000A5",
                  0, "1. [confirmed] privilege-missing");
    /* whoami /groups only: the privileges are not in the capture, so unknown */
    ts_expect_cli(
        "triage --whoami tests/data/whoami/groups_csv_nh.txt --api SetThreadToken "
        "--error 1346",
        0, "capture:  the capture has no privileges section");
    ts_expect_cli(
        "triage --whoami tests/data/whoami/groups_csv_nh.txt --api SetThreadToken "
        "--error 1346 --format json",
        0, "\"privileges_known\":\tfalse");
}
