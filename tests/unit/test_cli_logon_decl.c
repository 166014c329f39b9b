/* PURPOSE: issue 18: `toksim logon --pool` / `--service` (and "IIS APPPOOL\x" / "NT
 * SERVICE\x" of a declared pool or service as --user): the worker and service tokens WAS
 * and the SCM build from the world's declarations, with the injected SIDs named in every
 * format, their failures (exit 1) and bad input (exit 2). Sources: Microsoft Learn
 * "Application Pool Identities", "SERVICE_SID_INFO", "SERVICE_REQUIRED_PRIVILEGES_INFO".
 */
#include "../cli_helpers.h"

#define W "--world tests/data/world/pools_services.json "

Test(cli_logon_decl, pool_token_in_every_format)
{
    ts_expect_cli("logon " W "--pool DefaultAppPool", 0,
                  "BUILTIN\\IIS_IUSRS                    Alias            S-1-5-32-568");
    ts_expect_cli("logon " W "--pool DefaultAppPool --format text", 0,
                  "iis apppool\\defaultapppool S-1-5-82-");
    ts_expect_cli("logon " W "--pool Reports --format windbg", 0,
                  "(Well Known Group: IIS APPPOOL\\Reports)");
    ts_expect_cli("logon " W "--pool Reports --format json", 0,
                  "\"name\":\t\"IIS APPPOOL\\\\Reports\"");
    ts_expect_cli("logon " W "--pool Reports --format json", 0,
                  "\"name\":\t\"BUILTIN\\\\IIS_IUSRS\"");
    ts_expect_cli("logon " W "--pool DefaultAppPool --trace", 0, "[iis.pool.");
    /* whoami cannot name S-1-5-82-0: a blank name and "Unknown SID type", as in the real
     * app-pool capture tests/data/whoami/apppool_table.txt */
    ts_expect_cli("logon " W "--pool DefaultAppPool", 0,
                  "\n                                     Unknown SID type S-1-5-82-0   "
                  "Mandatory group");
}

Test(cli_logon_decl, declared_name_as_user_goes_through_was)
{
    /* the declared pool: WAS grants the pool SID the service logon right and injects
     * IIS_IUSRS; an explicit --type is a plain LogonUser, which does neither (this
     * world's SeServiceLogonRight names only ALL SERVICES and a gMSA) */
    ts_expect_cli("logon " W "--user \"IIS APPPOOL\\DefaultAppPool\"", 0, "IIS_IUSRS");
    ts_expect_cli("logon " W "--user \"IIS APPPOOL\\DefaultAppPool\" --type service", 1,
                  "LogonUser failed: error 1385");
    ts_expect_cli("logon " W "--user \"NT SERVICE\\MSSQLSERVER\" --format windbg", 0,
                  "(Well Known Group: NT SERVICE\\ALL SERVICES)");
}

Test(cli_logon_decl, service_token_in_every_format)
{
    ts_expect_cli("logon " W "--service W32Time", 0,
                  "NT SERVICE\\W32Time                     Well-known group S-1-5-80-");
    ts_expect_cli("logon " W "--service W32Time --format windbg", 0,
                  "SeSystemtimePrivilege");
    ts_expect_cli("logon " W "--service SQLAgent --format json", 0,
                  "\"name\":\t\"NT SERVICE\\\\SQLAgent\"");
    ts_expect_cli("logon " W "--service MSSQLSERVER", 0, "NT AUTHORITY\\SERVICE");
}

Test(cli_logon_decl, failures_exit_1)
{
    ts_expect_cli(
        "logon " W "--pool NoBatch", 1,
        "application pool did not start: error 1385 ERROR_LOGON_TYPE_NOT_GRANTED");
    ts_expect_cli("logon " W "--service Broken", 1,
                  "The logon behind it failed: error 1385");
    ts_expect_cli("logon " W "--service Broken --format json", 1,
                  "\"logon_error_name\":\t\"ERROR_LOGON_TYPE_NOT_GRANTED\"");
}

Test(cli_logon_decl, bad_input_exit_2)
{
    ts_expect_cli("logon " W "--service Nope", 2, "no service 'Nope' is declared");
    ts_expect_cli("logon " W "--pool Nope", 2, "no application pool 'Nope'");
    ts_expect_cli("logon " W "--pool DefaultAppPool --type batch", 2,
                  "WAS and the SCM choose the logon themselves");
    ts_expect_cli("logon " W "--pool DefaultAppPool --service W32Time", 2,
                  "give one of --user, --pool and --service");
    ts_expect_cli("logon --world tests/data/world/bad_pool_identity.json --pool A", 2,
                  "tests/data/world/bad_pool_identity.json:3:");
    ts_expect_cli("logon --world tests/data/world/bad_service_sid_type.json --service S",
                  2, "tests/data/world/bad_service_sid_type.json:4:");
}

/* A selective-authentication trust: Other Organization named in every format; the
 * authentication firewall's 1935 (MS-ERREF 0xC0000413). */
Test(cli_logon_decl, other_organization_in_every_format)
{
#define T "logon --world tests/data/world/trusts.json --type network "
    ts_expect_cli(
        T "--user FABRIKAM\\\\dave", 0,
        "NT AUTHORITY\\Other Organization            Well-known group S-1-5-1000");
    ts_expect_cli(T "--user FABRIKAM\\\\dave --format windbg", 0,
                  "S-1-5-1000 (Well Known Group: NT AUTHORITY\\Other Organization)");
    ts_expect_cli(T "--user FABRIKAM\\\\dave --format json", 0,
                  "\"name\":\t\"NT AUTHORITY\\\\Other Organization\"");
    ts_expect_cli(T "--user FABRIKAM\\\\dave --trace", 0, "[logon.other_organization]");
    ts_expect_cli(
        T "--user FABRIKAM\\\\frank", 1,
        "error 1935 ERROR_AUTHENTICATION_FIREWALL_FAILED (NTSTATUS 0xC0000413)");
    ts_expect_cli(T "--user FABRIKAM\\\\frank --format json", 1,
                  "\"error_name\":\t\"ERROR_AUTHENTICATION_FIREWALL_FAILED\"");
    ts_expect_cli("logon --world tests/data/world/bad_trust_no_sid.json --user x", 2,
                  "tests/data/world/bad_trust_no_sid.json:4:");
#undef T
}

/* Bad world input (issue 18): an exit-2 error naming file:line:col. */
Test(cli_logon_decl, bad_world_input_names_file_line_col)
{
    ts_expect_cli("logon --world tests/data/world/bad_kind.json --user x", 2,
                  "tests/data/world/bad_kind.json:2:37: users[0].kind");
    ts_expect_cli("logon --world tests/data/world/bad_expiry.json --user x", 2,
                  "tests/data/world/bad_expiry.json:2:48: users[0].account_expires");
    ts_expect_cli("logon --world tests/data/world/bad_setting.json --user x", 2,
                  "tests/data/world/bad_setting.json:2:30: settings.EnableLUA");
    ts_expect_cli("logon --world tests/data/world/bad_pool_identity.json --pool A", 2,
                  "bad_pool_identity.json:3:32: app_pools[0].identity: unknown identity");
    ts_expect_cli(
        "logon --world tests/data/world/bad_service_sid_type.json --service S", 2,
        "bad_service_sid_type.json:4:19: services[0].sid_type: unknown SID type");
}
