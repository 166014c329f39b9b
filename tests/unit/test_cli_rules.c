/* PURPOSE: `toksim rules`, the generated index of the model's trace rules. */
#include "../cli_helpers.h"

Test(cli_rules, lists_ids_with_sources)
{
    ts_expect_cli("rules --prefix access.ace.deny", 0, "access.ace.deny");
    ts_expect_cli("rules --prefix access.ace.deny", 0, "MS-DTYP 2.5.3.2");
    ts_expect_cli("rules --format json --prefix access.owner", 0,
                  "\"id\":\t\"access.owner.implicit\"");
    ts_expect_cli("rules --format markdown", 0, "| `access.dacl.null` |");
}

Test(cli_rules, usage_errors_exit_2)
{
    ts_expect_cli("rules --bogus", 2, "unknown option --bogus");
    ts_expect_cli("rules --format yaml", 2, "unknown format 'yaml'");
    ts_expect_cli("rules --help", 0, "usage: toksim rules");
}

Test(cli_main, help_names_a_command)
{
    /* `toksim help <cmd>` is `toksim <cmd> --help`; unknown names are named. */
    ts_expect_cli("help rules", 0, "usage: toksim rules");
    ts_expect_cli("help sddl", 0, "usage: toksim sddl");
    ts_expect_cli("help nope", 2, "unknown command 'nope'");
    ts_expect_cli("frobnicate", 2, "unknown command 'frobnicate' (see 'toksim --help')");
    ts_expect_cli("help", 0, "commands:");
    ts_expect_cli("--version", 0, "toksim ");
}
