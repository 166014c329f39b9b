/* PURPOSE: `toksim access` end to end: options, verdicts, exit codes, text/JSON output,
 * batch mode. */
#include "../cli_helpers.h"

#define U "--user S-1-5-21-1-2-3-1001 "

Test(cli_access, help)
{
    ts_expect_cli("access --help", 0, "--batch");
}

Test(cli_access, granted_text_shows_trace)
{
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;FR;;;WD)' " U "--group WD --desired FR",
                  0, "ACE #0 allows");
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;FR;;;WD)' " U "--group WD --desired FR",
                  0, "ERROR_SUCCESS");
}

Test(cli_access, deny_only_group_denied_exit_1)
{
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;FR;;;BA)' " U
                  "--group BA:deny-only --desired FR",
                  1, "ERROR_ACCESS_DENIED");
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;FR;;;BA)' " U
                  "--group BA:disabled --desired FR",
                  1, "disabled group");
}

Test(cli_access, json_output)
{
    const char *args =
        "access --format json --sddl 'O:BAG:BAD:(D;;FW;;;WD)(A;;FA;;;WD)' " U
        "--group WD --desired 'FILE_WRITE_DATA'";
    ts_expect_cli(args, 1, "\"status\":\t\"ERROR_ACCESS_DENIED\"");
    ts_expect_cli(args, 1, "\"rule\":\t\"access.ace.deny\"");
    ts_expect_cli(args, 1, "\"granted\":\t\"0x00000000\"");
    ts_expect_cli(args, 1, "\"ntstatus\":\t\"0xC0000022\"");
}

Test(cli_access, api_failures)
{
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;GA;;;WD)' " U "--desired GENERIC_READ", 1,
                  "ERROR_GENERIC_NOT_MAPPED");
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;GA;;;WD)' " U "--primary --desired FR", 1,
                  "ERROR_NO_IMPERSONATION_TOKEN");
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;GA;;;WD)' " U
                  "--level anonymous --desired FR",
                  1, "ERROR_BAD_IMPERSONATION_LEVEL");
    /* The open path maps generic rights but refuses an Identification token. */
    ts_expect_cli("access --mode open --sddl 'D:(A;;GA;;;WD)' " U
                  "--group WD --desired GENERIC_READ",
                  0, "ERROR_SUCCESS");
    ts_expect_cli("access --mode open --level identification --sddl 'D:(A;;GA;;;WD)' " U
                  "--group WD --desired FR",
                  1, "ERROR_BAD_IMPERSONATION_LEVEL");
}

Test(cli_access, integrity_and_privileges)
{
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;FA;;;WD)S:(ML;;NW;;;HI)' " U
                  "--group WD --desired FILE_WRITE_DATA",
                  1, "no-write-up");
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;FA;;;WD)' " U
                  "--group WD --integrity low --desired FILE_WRITE_DATA",
                  1, "no label");
    ts_expect_cli("access --sddl 'O:BAG:BAD:' " U
                  "--privilege SeTakeOwnershipPrivilege --desired WRITE_OWNER",
                  0, "SeTakeOwnershipPrivilege");
    ts_expect_cli("access --sddl 'O:BAG:BAD:' " U
                  "--privilege SeSecurityPrivilege:disabled --desired "
                  "ACCESS_SYSTEM_SECURITY",
                  1, "ERROR_PRIVILEGE_NOT_HELD");
    ts_expect_cli("access --mode open --backup-intent --sddl 'O:BAG:BAD:' " U
                  "--privilege SeBackupPrivilege --desired FR",
                  0, "backup intent");
    /* AccessCheck() has no backup-intent input (issue 9): refused in api mode. */
    ts_expect_cli("access --backup-intent --sddl 'O:BAG:BAD:' " U
                  "--privilege SeBackupPrivilege --desired FR",
                  2, "backup_intent: AccessCheck() takes no backup intent");
}

Test(cli_access, restricted_token)
{
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;FR;;;WD)' " U
                  "--group WD --restricted RC --desired FR",
                  1, "restricting SIDs only");
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;FR;;;WD)' " U
                  "--group WD --restricted WD --desired FR",
                  0, "ERROR_SUCCESS");
}

Test(cli_access, input_errors_exit_2_naming_the_field)
{
    ts_expect_cli("access " U "--desired FR", 2, "missing --sddl");
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;FR;;;WD' " U "--desired FR", 2,
                  "sddl at offset");
    ts_expect_cli("access --sddl 'D:' --user NotAnAccount --desired FR", 2,
                  "user 'NotAnAccount'");
    ts_expect_cli("access --sddl 'D:' " U "--group 'S-1-5-x:deny-only' --desired FR", 2,
                  "group 'S-1-5-x'");
    ts_expect_cli("access --sddl 'D:' " U "--privilege SeNopePrivilege --desired FR", 2,
                  "SeNopePrivilege");
    ts_expect_cli("access --sddl 'D:' " U "--desired NOT_A_RIGHT", 2,
                  "desired 'NOT_A_RIGHT'");
    ts_expect_cli("access --sddl 'D:' " U "--desired FR --type sofa", 2, "type 'sofa'");
    ts_expect_cli("access --sddl 'D:' " U "--desired FR --integrity extreme", 2,
                  "integrity 'extreme'");
    ts_expect_cli("access --sddl 'D:' " U "--desired FR --mode kernel", 2,
                  "mode 'kernel'");
    ts_expect_cli("access --sddl 'D:' " U "--desired FR --bogus", 2,
                  "unknown option --bogus");
}

Test(cli_access, batch_one_line_per_case_in_order)
{
    char path[] = "/tmp/toksim-batch-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"id\":1,\"sddl\":\"O:BAG:BAD:(A;;FR;;;WD)\",\"user\":\"S-1-5-21-1-2-3-"
          "1001\",\"groups\":[\"WD\"],"
          "\"desired\":\"FR\"}\n"
          "\n"
          "{\"id\":\"two\",\"sddl\":\"O:BAG:BAD:(A;;FR;;;BA)\",\"user\":\"S-1-5-21-1-2-3-"
          "1001\","
          "\"groups\":[\"BA:deny-only\"],\"desired\":1}\n"
          "{broken\n"
          "{\"id\":4,\"sddl\":\"O:BAG:BAD:(A;;FR;;;WD)\",\"user\":\"S-1-5-21-1-2-3-"
          "1001\",\"groups\":\"WD\","
          "\"desired\":\"FR\"}\n"
          "{\"id\":5,\"sddl\":\"O:BAG:BAD:(A;;FR;;;WD)\",\"user\":\"S-1-5-21-1-2-3-"
          "1001\",\"desired\":\"FR\","
          "\"integrity\":\"low\",\"groups\":[\"WD\"],\"mode\":\"open\",\"type\":\"file\"}"
          "\n",
          f);
    fclose(f);
    static char out[1 << 16];
    char args[256];
    snprintf(args, sizeof args, "access --batch %s", path);
    int rc = ts_run_cli(out, sizeof out, args);
    remove(path);
    cr_assert_eq(rc, 0, "%s", out);
    const char *want[] = {
        "{\"id\":1,\"granted\":\"0x00120089\",\"status\":\"ERROR_SUCCESS\"",
        "{\"id\":\"two\",\"granted\":\"0x00000000\",\"status\":\"ERROR_ACCESS_DENIED\"",
        "{\"id\":null,\"error\":\"line 4",
        "{\"id\":4,\"error\":\"line 5: groups: expected an array of strings\"}",
        "{\"id\":5,\"granted\":\"0x00120089\",\"status\":\"ERROR_SUCCESS\"",
    };
    const char *p = out;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cr_assert(strncmp(p, want[i], strlen(want[i])) == 0, "line %zu: got %s", i + 1,
                  p);
        p = strchr(p, '\n');
        cr_assert_not_null(p);
        p++;
    }
    cr_assert_eq(*p, '\0', "extra output: %s", p);
}

Test(cli_access, batch_unreadable_file_exit_2)
{
    ts_expect_cli("access --batch /nonexistent/cases.jsonl", 2,
                  "/nonexistent/cases.jsonl");
}

Test(cli_access, machine_sid_names_local_accounts)
{
    ts_expect_cli("access --machine S-1-5-21-4-5-6 --sddl 'O:BAG:BAD:(A;;FR;;;LA)' "
                  "--user S-1-5-21-4-5-6-500 --desired FR",
                  0, "ACE #0 allows");
    ts_expect_cli("access --machine S-1-5-x --sddl 'D:' " U "--desired FR", 2,
                  "machine 'S-1-5-x'");
    ts_expect_cli("access --help", 0, "--machine SID");
}

Test(cli_access, batch_takes_no_case_options)
{
    ts_expect_cli("access --batch /dev/null --user BA", 2,
                  "--batch reads every case from its file");
    ts_expect_cli("access --batch tests/data", 2, "tests/data: is a directory");
}

Test(cli_access, json_names_the_desired_mask)
{
    ts_expect_cli("access --format json --sddl 'O:BAG:BAD:(A;;FA;;;WD)' " U
                  "--group WD --desired FR",
                  0, "\"desired\":\t\"0x00120089\"");
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;FA;;;WD)' " U "--group WD --desired FR",
                  0, "desired: 0x00120089 (FILE_GENERIC_READ)");
}

Test(cli_access, a_huge_value_does_not_hide_the_reason)
{
    /* The value is quoted cut to 80 characters, so the reason after it is always printed
     * (the message buffer holds 600). */
    static char args[4000];
    char big[3000];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    snprintf(args, sizeof args, "access --sddl 'D:' --desired FR --user %s", big);
    ts_expect_cli(args, 2, "AAAA': ");
    ts_expect_cli(args, 2, "longer than 512 characters");
}

Test(cli_access, errors_name_the_option)
{
    /* On the command line the field is named as the option; in --batch as the JSON key.
     */
    ts_expect_cli("access --sddl D: " U "--desired 1 --integrity bogus", 2,
                  "--integrity 'bogus': expected untrusted, low");
    ts_expect_cli("access --sddl D: " U "--desired 1 --restricted NoSuchSid", 2,
                  "--restricted 'NoSuchSid'");
    ts_expect_cli("access --sddl 'D:(' " U "--desired 1", 2, "--sddl at offset 3");
}

/* The backup-intent rule is the library's (toksim_access_request_validate): the CLI
 * reports its reason, in --batch with the line of the case. */
Test(cli_access, batch_backup_intent_refused_in_api_mode_with_its_line)
{
    char path[] = "/tmp/toksim-batch-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"id\":1,\"sddl\":\"O:BAG:BAD:\",\"user\":\"S-1-5-21-1-2-3-1001\","
          "\"privileges\":[\"SeBackupPrivilege\"],\"desired\":\"FR\","
          "\"mode\":\"open\",\"backup_intent\":true}\n"
          "{\"id\":2,\"sddl\":\"O:BAG:BAD:\",\"user\":\"S-1-5-21-1-2-3-1001\","
          "\"privileges\":[\"SeBackupPrivilege\"],\"desired\":\"FR\","
          "\"backup_intent\":true}\n",
          f);
    fclose(f);
    static char out[1 << 14];
    char args[256];
    snprintf(args, sizeof args, "access --batch %s", path);
    int rc = ts_run_cli(out, sizeof out, args);
    remove(path);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "{\"id\":1,\"granted\":\"0x00120089\""), "%s", out);
    cr_assert(strstr(out, "{\"id\":2,\"error\":\"line 2: backup_intent: AccessCheck() "
                          "takes no backup intent"),
              "%s", out);
}
