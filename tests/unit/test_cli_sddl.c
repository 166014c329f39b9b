/* PURPOSE: the `toksim sddl` command end to end (popen of $TOKSIM_CLI). */
#include "../cli_helpers.h"

Test(cli_sddl, canonical_sddl_and_listing)
{
    ts_expect_cli("sddl 'D:(A;;RPLCLORC;;;AU)'", 0, "SDDL:   D:(A;;LCRPLORC;;;AU)");
    ts_expect_cli("sddl 'O:BAG:SYD:(A;OICI;FA;;;SY)'", 0,
                  "Owner:  BUILTIN\\Administrators (S-1-5-32-544)");
    ts_expect_cli("sddl 'D:(A;OICI;0x1200a9;;;IS)' --type directory", 0,
                  "FILE_LIST_DIRECTORY|FILE_READ_EA|FILE_TRAVERSE|FILE_READ_ATTRIBUTES|"
                  "READ_CONTROL|SYNCHRONIZE");
    ts_expect_cli("sddl 'D:(A;;KR;;;BU)' --type key", 0, "KEY_READ");
    ts_expect_cli("sddl 'D:(A;;GA;;;WD)' --output sddl", 0, "D:(A;;GA;;;WD)\n");
    ts_expect_cli("sddl 'D:NO_ACCESS_CONTROL'", 0, "NULL (NO_ACCESS_CONTROL");
    ts_expect_cli("sddl 'D:'", 0, "empty DACL");
}

Test(cli_sddl, binary_forms_in_and_out)
{
    ts_expect_cli(
        "sddl --file tests/data/sddl/ole.reg --output sddl", 0,
        "O:BAG:BAD:(A;;CCDCLCSWRP;;;BA)(A;;CCDCLCSWRP;;;IU)(A;;CCDCLCSWRP;;;SY)");
    ts_expect_cli(
        "sddl 'O:BAG:BAD:(A;;CCDCLCSWRP;;;BA)(A;;CCDCLCSWRP;;;IU)(A;;CCDCLCSWRP;;;SY)' "
        "--output hex",
        0, "010004805c0000006c000000000000001400000002004800");
    ts_expect_cli("sddl 'D:(A;;FA;;;SY)' --output base64", 0,
                  "AQAEgAAAAAAAAAAAAAAAABQAAAACABwAAQAAAAAAFAD/AR8AAQEAAAAAAAUSAAAA");
    ts_expect_cli("sddl AQAEgAAAAAAAAAAAAAAAABQAAAACABwAAQAAAAAAFAD/AR8AAQEAAAAAAAUSAAAA "
                  "--output sddl",
                  0, "D:(A;;FA;;;SY)");
    ts_expect_cli("sddl --input hex 01000480 ", 2, "at least 20 bytes");
    ts_expect_cli("sddl - --output sddl < tests/data/sddl/stdin.sddl", 0,
                  "D:(A;;FA;;;BA)");
    ts_expect_cli("sddl --help", 0, "usage: toksim sddl");
}

Test(cli_sddl, json_output)
{
    ts_expect_cli("sddl 'D:(A;;FA;;;SY)' --output json --type file", 0,
                  "\"rights\":\t\"FILE_ALL_ACCESS\"");
    ts_expect_cli("sddl 'D:(A;;FA;;;SY)' --format json", 0,
                  "\"account\":\t\"NT AUTHORITY\\\\SYSTEM\"");
}

Test(cli_sddl, errors_exit_2_with_position_and_caret)
{
    ts_expect_cli("sddl 'D:(A;;FA;;;SY)(A;;XX;;;BA)'", 2,
                  "offset 18: unknown right 'XX'");
    ts_expect_cli("sddl 'D:(A;;FA;;;SY)(A;;XX;;;BA)'", 2, "                    ^");
    ts_expect_cli("sddl 'O:DA'", 2, "relative to the domain");
    ts_expect_cli("sddl --domain S-1-5-21-1-2-3 'O:DA' --output sddl", 0, "O:DA");
    ts_expect_cli("sddl --type mailbox 'D:'", 2, "--type 'mailbox'");
    ts_expect_cli("sddl", 2, "expected a descriptor");
    ts_expect_cli("sddl --file /nonexistent/x.reg", 2, "cannot open");
    ts_expect_cli("sddl --input hex 'zz'", 2, "unexpected character 'z'");
}

Test(cli_sddl, format_and_output_are_synonyms)
{
    ts_expect_cli("sddl 'D:(A;;GA;;;WD)' --format sddl", 0, "D:(A;;GA;;;WD)\n");
    ts_expect_cli("sddl 'D:(A;;FA;;;SY)' --format base64", 0,
                  "AQAEgAAAAAAAAAAAAAAAABQAAAACABwAAQAAAAAAFAD/AR8AAQEAAAAAAAUSAAAA");
    ts_expect_cli("sddl 'D:' --format yaml", 2,
                  "--format 'yaml': expected text, sddl, hex, base64 or json");
}

Test(cli_sddl, unusable_files_are_named)
{
    /* An empty file is a failed export, not the empty descriptor (that is the argument
     * ''). */
    ts_expect_cli("sddl --file tests/data/world/empty.json", 2,
                  "empty.json: empty: expected a descriptor (SDDL, hex or base64)");
    ts_expect_cli("sddl --file /dev/null", 2,
                  "/dev/null: cannot open: not a regular file");
    ts_expect_cli("sddl ''", 0, "(empty descriptor)");
    ts_expect_cli("sddl --file tests/data", 2,
                  "tests/data: is a directory (expected a file)");
    ts_expect_cli("sddl --file tests/data/sddl/nul_byte.bin", 2,
                  "nul_byte.bin: offset 14: NUL byte: expected SDDL, hex or base64 text");
    ts_expect_cli("sddl --type widget 'D:'", 2,
                  "--type 'widget': expected file, directory, key, service");
}

Test(cli_sddl, masks_are_printed_as_every_command_prints_them)
{
    /* 0x%08X, as access, token and error print codes and masks; the SDDL text itself
     * keeps the lower-case hex Windows writes. */
    ts_expect_cli("sddl --format json 'D:(A;;0x1200a9;;;IS)'", 0,
                  "\"mask\":\t\"0x001200A9\"");
    ts_expect_cli("sddl 'D:(A;;0x1200a9;;;IS)'", 0, "rights: 0x001200A9");
    ts_expect_cli("sddl 'D:(A;;0x1200a9;;;IS)' --output sddl", 0, "D:(A;;0x1200a9;;;IS)");
}
