/*
 * PURPOSE: `toksim token`: import of whoami /all captures (tests/data/whoami/), the
 * output formats (text, whoami, windbg, json), --check with exit 0 granted / 1 denied,
 * and errors that exit 2 naming file:line:column.
 */
#include "../cli_helpers.h"

#define WD "tests/data/whoami/"

Test(cli_token, help)
{
    ts_expect_cli("token --help", 0, "usage: toksim token");
    ts_expect_cli("--help", 0, "token");
}

Test(cli_token, text_view_of_a_utf16_capture)
{
    ts_expect_cli("token " WD "filtered_admin_utf16le.txt", 0, "utf-16le");
    ts_expect_cli(
        "token " WD "filtered_admin_utf16le.txt", 0,
        "S-1-5-32-544                                   0x00000010 UseForDenyOnly  "
        "BUILTIN\\Administrators");
    /* the words are the library's one table (token_attrs.c), as in `--info` */
    ts_expect_cli("token " WD "system_table.txt", 0,
                  "0x0000000E EnabledByDefault|Enabled|Owner  BUILTIN");
    ts_expect_cli("token " WD "priv_only.txt", 0, "[inferred: no label row]");
}

Test(cli_token, stdin_input)
{
    ts_expect_cli("token - < " WD "system_table.txt", 0, "Source:      <stdin>");
}

Test(cli_token, whoami_and_windbg_views)
{
    ts_expect_cli("token --format whoami " WD "apppool_table.txt", 0,
                  "Alias            S-1-5-32-568 Mandatory group, Enabled by default, "
                  "Enabled group\n");
    ts_expect_cli("token --format windbg " WD "apppool_table.txt", 0,
                  "06 0x00000001d SeImpersonatePrivilege            Attributes - Enabled "
                  "Default\n");
}

Test(cli_token, json_view)
{
    ts_expect_cli("token --format json " WD "domain_user_csv.txt", 0,
                  "\"integrity_rid\":\t8448");
    ts_expect_cli("token --format json " WD "priv_only.txt", 0,
                  "\"integrity_inferred\":\ttrue");
    ts_expect_cli("token --format json " WD "domain_user_csv.txt", 0,
                  "\"name\":\t\"SeMachineAccountPrivilege\"");
    ts_expect_cli("token --format json " WD "domain_user_list.txt", 0,
                  "\"layout\":\t\"list\"");
}

/* The app pool worker reads a file its IIS_IUSRS membership is granted; the UAC-filtered
 * admin cannot write where only Administrators may (deny-only group). Exit 0 granted, 1
 * denied. */
Test(cli_token, check_granted_and_denied)
{
    ts_expect_cli("token --check --sddl 'O:BAG:SYD:(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;IS)' "
                  "--desired FR " WD "apppool_table.txt",
                  0, "ACE #2 allows 0x120089 to BUILTIN\\IIS_IUSRS");
    ts_expect_cli("token --check --sddl 'O:BAG:SYD:(A;;FA;;;SY)(A;;FA;;;BA)' --desired "
                  "FILE_WRITE_DATA " WD "filtered_admin_utf16le.txt",
                  1, "deny-only");
    ts_expect_cli(
        "token --check --sddl 'O:BAG:SYD:(A;;FA;;;SY)(A;;FA;;;BA)' --desired "
        "FILE_WRITE_DATA " WD "filtered_admin_utf16le.txt",
        1, "status:  STATUS_ACCESS_DENIED 0xC0000022 (Win32 5 ERROR_ACCESS_DENIED)");
    ts_expect_cli("token --check --format json --sddl 'D:(A;;FA;;;BA)' --desired 1 " WD
                  "system_table.txt",
                  0, "\"granted_all\":\ttrue");
    /* Mandatory integrity: a Medium token cannot write up to a High-labelled object. */
    ts_expect_cli("token --check --sddl 'D:(A;;FA;;;WD)S:(ML;;NW;;;HI)' --desired "
                  "FILE_WRITE_DATA " WD "domain_user_list.txt",
                  1, "access:  denied");
}

Test(cli_token, errors_name_file_line_column)
{
    ts_expect_cli("token " WD "bad_privilege.txt", 2,
                  "toksim token: " WD
                  "bad_privilege.txt:7:1: unknown privilege 'SeFlyingPrivilege'");
    ts_expect_cli("token " WD "does_not_exist.txt", 2, "cannot open");
    ts_expect_cli("token", 2, "expected a file");
    ts_expect_cli("token --format yaml " WD "priv_only.txt", 2, "unknown format 'yaml'");
    ts_expect_cli("token --check " WD "priv_only.txt", 2, "--check needs --sddl");
    ts_expect_cli("token --check --sddl 'D:(A;;FA;;;QQ)' --desired FR " WD
                  "priv_only.txt",
                  2, "--sddl");
    ts_expect_cli("token --check --sddl 'D:' --desired NOPE " WD "priv_only.txt", 2,
                  "--desired");
    ts_expect_cli("token --check --sddl 'D:' --desired FR --type widget " WD
                  "priv_only.txt",
                  2, "--type 'widget': expected file, directory");
}

Test(cli_token, check_prints_what_access_prints)
{
    /* One result, one shape: `token --check` and `access` share their text and JSON. */
    ts_expect_cli("token --check --format json --sddl 'D:(A;;FA;;;BA)' --desired 1 " WD
                  "system_table.txt",
                  0, "\"granted\":\t\"0x00000001\"");
    ts_expect_cli("token --check --format json --sddl 'D:(A;;FA;;;BA)' --desired 1 " WD
                  "system_table.txt",
                  0, "\"status\":\t\"ERROR_SUCCESS\"");
    ts_expect_cli("token --check --sddl 'D:(A;;FA;;;BA)' --desired 1 " WD
                  "system_table.txt",
                  0, "[grant] ACE #0 allows");
    ts_expect_cli("token --check --sddl 'D:' --desired 1 " WD "does_not_exist.txt", 2,
                  "cannot open");
    ts_expect_cli("token " WD, 2, "is a directory (expected a file)");
}
