/* PURPOSE: the `toksim sid` and `toksim error` commands end to end (popen of
 * $TOKSIM_CLI). */
#include "../cli_helpers.h"

Test(cli_sid, names_a_sid)
{
    ts_expect_cli("sid S-1-5-32-568", 0, "BUILTIN\\IIS_IUSRS");
    ts_expect_cli("sid S-1-5-32-568", 0, "Alias: IS");
    ts_expect_cli("sid IS", 0, "S-1-5-32-568");
    ts_expect_cli("sid 'NT AUTHORITY\\SERVICE'", 0, "S-1-5-6");
    ts_expect_cli("sid S-1-16-12288", 0, "Mandatory Label\\High Mandatory Level");
}

Test(cli_sid, virtual_accounts)
{
    ts_expect_cli("sid --service TrustedInstaller", 0,
                  "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464");
    ts_expect_cli("sid --service TrustedInstaller", 0, "NT SERVICE\\TrustedInstaller");
    ts_expect_cli("sid --apppool DefaultAppPool", 0,
                  "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415");
    ts_expect_cli("sid --restricted-service PrintSpoolerService", 0,
                  "S-1-5-99-216390572-1995538116-3857911515-2404958512-2623887229");
    ts_expect_cli("sid 'IIS APPPOOL\\DefaultAppPool'", 0,
                  "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415");
}

Test(cli_sid, relative_aliases_with_context)
{
    ts_expect_cli("sid --domain S-1-5-21-1-2-3 DA", 0, "S-1-5-21-1-2-3-512");
    ts_expect_cli("sid --machine S-1-5-21-4-5-6 LA", 0, "S-1-5-21-4-5-6-500");
    ts_expect_cli("sid DA", 2, "no domain SID was given");
    ts_expect_cli("sid S-1-5-21-1-2-3-512", 0,
                  "RID 512 is 'Domain Admins' when S-1-5-21-1-2-3 is the domain SID");
    ts_expect_cli("sid --domain S-1-5-21-1-2-3 S-1-5-21-1-2-3-512", 0,
                  "Name:  Domain Admins");
    ts_expect_cli("sid --domain S-1-5-x DA", 2, "--domain");
}

Test(cli_sid, json_list_help)
{
    ts_expect_cli("sid --format json IS", 0, "\"sid\":\t\"S-1-5-32-568\"");
    ts_expect_cli("sid --format json IS BA", 0, "S-1-5-32-544");
    ts_expect_cli("sid --list", 0, "BUILTIN\\IIS_IUSRS");
    ts_expect_cli("sid --list --format json", 0, "\"alias\":\t\"IS\"");
    ts_expect_cli("sid --help", 0, "usage: toksim sid");
    ts_expect_cli("sid --format xml IS", 2, "unknown format");
}

Test(cli_sid, bad_input_names_position)
{
    ts_expect_cli("sid S-1-5-x", 2, "offset 6");
    ts_expect_cli("sid S-1-5-x", 2, "        ^"); /* two-space indent + 6 */
    ts_expect_cli("sid ZZ", 2, "unknown SDDL alias 'ZZ'");
    ts_expect_cli("sid NoSuchAccount", 2, "NoSuchAccount");
    ts_expect_cli("sid", 2, "expected a SID");
    ts_expect_cli("sid --bogus", 2, "unknown option");
}

Test(cli_error, every_form)
{
    ts_expect_cli("error 0x80070542", 0, "ERROR_BAD_IMPERSONATION_LEVEL = 1346 (0x542)");
    ts_expect_cli("error 0x80070542", 0, "STATUS_BAD_IMPERSONATION_LEVEL = 0xC00000A5");
    ts_expect_cli("error 1346", 0, "0x80070542");
    ts_expect_cli("error ERROR_BAD_IMPERSONATION_LEVEL", 0, "0xC00000A5");
    ts_expect_cli("error 0xC00000A5", 0, "read as NTSTATUS");
    ts_expect_cli("error 0xC00000A5", 0, "1346");
    ts_expect_cli("error WBEM_E_ACCESS_DENIED", 0, "0x80041003");
    ts_expect_cli("error WBEM_E_ACCESS_DENIED", 0, "2147749891");
    ts_expect_cli("error E_ACCESSDENIED", 0, "ERROR_ACCESS_DENIED = 5");
    ts_expect_cli("error 5", 0, "read as Win32 error");
    ts_expect_cli("error 0xD000015B", 0, "ERROR_LOGON_TYPE_NOT_GRANTED");
    ts_expect_cli("error -2147024891", 0, "E_ACCESSDENIED");
    ts_expect_cli("error 0x40009", 0, "WBEM_S_ACCESS_DENIED");
}

Test(cli_error, json_list_and_errors)
{
    ts_expect_cli("error --format json 1346", 0, "\"hresult\":\t\"0x80070542\"");
    ts_expect_cli("error --list", 0, "ERROR_SERVICE_LOGON_FAILED");
    ts_expect_cli("error --list --format json", 0, "WBEM_E_PRIVILEGE_NOT_HELD");
    ts_expect_cli("error --help", 0, "usage: toksim error");
    ts_expect_cli("error 0x8BADF00D", 2, "not in the catalog");
    ts_expect_cli("error ERROR_NOPE", 2, "not in the catalog");
    ts_expect_cli("error 0x12G", 2, "offset 4");
    ts_expect_cli("error 99999999999", 2, "32 bits");
}

/* Run `toksim <args>`; assert the exit code, that `needle` is printed and `absent` is
 * not. */
static void
expect_cli_without(const char *args, int rc, const char *needle, const char *absent)
{
    static char out[1 << 16];
    int got = ts_run_cli(out, sizeof out, args);
    cr_assert_eq(got, rc, "toksim %s: exit %d, expected %d\n%s", args, got, rc, out);
    cr_assert(strstr(out, needle), "toksim %s: output lacks '%s':\n%s", args, needle,
              out);
    cr_assert(!strstr(out, absent), "toksim %s: output has '%s':\n%s", args, absent, out);
}

Test(cli_sid, a_bad_input_fails_before_any_output)
{
    /* The good first input is not printed: the command fails as a whole, naming the
     * argument that is wrong. */
    expect_cli_without("sid S-1-5-32-544 NoSuchAccount", 2,
                       "argument 2: offset 0:", "BUILTIN\\Administrators");
    expect_cli_without("sid --format json BA --apppool ''", 2, "--apppool at argument 5",
                       "S-1-5-32-544");
}

Test(cli_error, a_bad_input_fails_before_any_output)
{
    expect_cli_without("error 5 NOPE", 2, "argument 2: 'NOPE' is not in the catalog",
                       "ERROR_ACCESS_DENIED");
    expect_cli_without("error --format json 5 0x12G", 2,
                       "argument 4: offset 4:", "ERROR_ACCESS_DENIED");
    /* A negative decimal HRESULT is an input, not an option, wherever it stands. */
    ts_expect_cli("error 5 -2147024894", 0, "ERROR_FILE_NOT_FOUND");
}
