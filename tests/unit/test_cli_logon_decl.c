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
