/*
 * PURPOSE: `toksim paths`: sources from a scenario's steps, a whoami capture and a
 * world; the TEACHING MODEL label in every format; facts stated on the command line;
 * exit 2 for bad input (no source, a target naming no identity, a step without a
 * process token).
 */
#include "../cli_helpers.h"

#define SPOOL "scenarios/potato/spooler-with-impersonate.json"
#define BLOCK "scenarios/potato/blocked-restricted-or-no-path.json"

Test(cli_paths, scenario_sources_and_facts)
{
    ts_expect_cli("paths --scenario " SPOOL, 0, "TEACHING MODEL");
    /* the scenario does not say the Spooler runs: conditional until stated */
    ts_expect_cli(
        "paths --scenario " SPOOL, 0,
        "[conditional] NT AUTHORITY\\NETWORK SERVICE (step svc, service.start)\n"
        "    --spooler (conditional)--> NT AUTHORITY\\SYSTEM");
    ts_expect_cli("paths --scenario " SPOOL " --spooler yes", 0,
                  "[holds] NT AUTHORITY\\NETWORK SERVICE (step svc, service.start)\n"
                  "    --spooler (holds)--> NT AUTHORITY\\SYSTEM");
    /* the write-restricted service: only through a restored token */
    ts_expect_cli("paths --scenario " BLOCK " --step restricted --spooler yes "
                  "--task-scheduler yes",
                  0,
                  "--task_scheduler (holds)--> NT AUTHORITY\\NETWORK SERVICE (scheduled "
                  "task with RequiredPrivileges)\n    --spooler (holds)");
    ts_expect_cli("paths --scenario " BLOCK " --step restricted --to 'NETWORK SERVICE'",
                  0, "--logon_session (conditional)");
}

Test(cli_paths, other_sources_and_formats)
{
    ts_expect_cli("paths --whoami tests/data/whoami/apppool_table.txt --os win7", 0,
                  "[holds] iis apppool\\contosoportal (whoami capture)\n"
                  "    --dcom_local (holds)");
    ts_expect_cli("paths --world tests/data/world/contoso.json", 0,
                  "NT AUTHORITY\\LOCAL SERVICE (a service)");
    ts_expect_cli("paths --scenario " SPOOL " --format dot", 0, "digraph toksim_paths {");
    ts_expect_cli("paths --scenario " SPOOL " --format opengraph", 0,
                  "\"source_kind\":\t\"Toksim\"");
    ts_expect_cli("paths --scenario " SPOOL " --format json", 0,
                  "\"teaching_model\":\t\"TEACHING MODEL");
}

Test(cli_paths, bad_input_exits_2)
{
    ts_expect_cli("paths", 2, "exactly one of");
    ts_expect_cli("paths --scenario " SPOOL " --to nobody", 2, "names no identity");
    ts_expect_cli(
        "paths --scenario scenarios/iis/mbam-iis-iusrs-restored.json --step fix", 2,
        "leaves no process token");
    ts_expect_cli("paths --scenario " SPOOL " --step nosuch", 2, "no step 'nosuch'");
    ts_expect_cli("paths --scenario " SPOOL " --spooler maybe", 2, "expects yes or no");
    ts_expect_cli("paths --scenario " SPOOL " --format svg", 2, "not text, json, dot");
    ts_expect_cli("paths --whoami tests/data/whoami/apppool_table.txt --os win95", 2,
                  "unknown OS profile");
    ts_expect_cli("paths --help", 0, "usage: toksim paths");
}

Test(cli_paths, world_declarations)
{
    ts_expect_cli("paths --world tests/data/world/pools_services.json", 0,
                  "[holds] IIS APPPOOL\\DefaultAppPool (pool DefaultAppPool)\n"
                  "    --spooler (holds)--> NT AUTHORITY\\SYSTEM");
    ts_expect_cli("paths --world tests/data/world/pools_services.json", 0,
                  "warning: 2 declared service(s) or pool(s) did not start");
}
