/* PURPOSE: the `toksim sid` and `toksim error` commands end to end (popen of
 * $TOKSIM_CLI). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "../helpers.h"

/* Run `toksim <args>` (stderr merged into stdout); returns the exit code, output in out.
 */
static int run_cli(char *out, size_t n, const char *args)
{
    const char *cli = getenv("TOKSIM_CLI");
    cr_assert_not_null(cli, "TOKSIM_CLI is not set (run through make unit)");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", cli, args);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t len = fread(out, 1, n - 1, p);
    out[len] = '\0';
    int st = pclose(p);
    cr_assert(WIFEXITED(st), "%s did not exit normally", cmd);
    return WEXITSTATUS(st);
}

static void expect(const char *args, int rc, const char *needle)
{
    static char out[1 << 17];
    int got = run_cli(out, sizeof out, args);
    cr_assert_eq(got, rc, "toksim %s: exit %d, expected %d\n%s", args, got, rc, out);
    cr_assert(strstr(out, needle), "toksim %s: output lacks '%s':\n%s", args, needle,
              out);
}

Test(cli_sid, names_a_sid)
{
    expect("sid S-1-5-32-568", 0, "BUILTIN\\IIS_IUSRS");
    expect("sid S-1-5-32-568", 0, "Alias: IS");
    expect("sid IS", 0, "S-1-5-32-568");
    expect("sid 'NT AUTHORITY\\SERVICE'", 0, "S-1-5-6");
    expect("sid S-1-16-12288", 0, "Mandatory Label\\High Mandatory Level");
}

Test(cli_sid, virtual_accounts)
{
    expect("sid --service TrustedInstaller", 0,
           "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464");
    expect("sid --service TrustedInstaller", 0, "NT SERVICE\\TrustedInstaller");
    expect("sid --apppool DefaultAppPool", 0,
           "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415");
    expect("sid --restricted-service PrintSpoolerService", 0,
           "S-1-5-99-216390572-1995538116-3857911515-2404958512-2623887229");
    expect("sid 'IIS APPPOOL\\DefaultAppPool'", 0,
           "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415");
}

Test(cli_sid, relative_aliases_with_context)
{
    expect("sid --domain S-1-5-21-1-2-3 DA", 0, "S-1-5-21-1-2-3-512");
    expect("sid --machine S-1-5-21-4-5-6 LA", 0, "S-1-5-21-4-5-6-500");
    expect("sid DA", 2, "no domain SID was given");
    expect("sid S-1-5-21-1-2-3-512", 0,
           "RID 512 is 'Domain Admins' when S-1-5-21-1-2-3 is the domain SID");
    expect("sid --domain S-1-5-21-1-2-3 S-1-5-21-1-2-3-512", 0, "Name:  Domain Admins");
    expect("sid --domain S-1-5-x DA", 2, "--domain");
}

Test(cli_sid, json_list_help)
{
    expect("sid --format json IS", 0, "\"sid\":\t\"S-1-5-32-568\"");
    expect("sid --format json IS BA", 0, "S-1-5-32-544");
    expect("sid --list", 0, "BUILTIN\\IIS_IUSRS");
    expect("sid --list --format json", 0, "\"alias\":\t\"IS\"");
    expect("sid --help", 0, "usage: toksim sid");
    expect("sid --format xml IS", 2, "unknown format");
}

Test(cli_sid, bad_input_names_position)
{
    expect("sid S-1-5-x", 2, "offset 6");
    expect("sid S-1-5-x", 2, "        ^"); /* two-space indent + 6 */
    expect("sid ZZ", 2, "unknown SDDL alias 'ZZ'");
    expect("sid NoSuchAccount", 2, "NoSuchAccount");
    expect("sid", 2, "expected a SID");
    expect("sid --bogus", 2, "unknown option");
}

Test(cli_error, every_form)
{
    expect("error 0x80070542", 0, "ERROR_BAD_IMPERSONATION_LEVEL = 1346 (0x542)");
    expect("error 0x80070542", 0, "STATUS_BAD_IMPERSONATION_LEVEL = 0xC00000A5");
    expect("error 1346", 0, "0x80070542");
    expect("error ERROR_BAD_IMPERSONATION_LEVEL", 0, "0xC00000A5");
    expect("error 0xC00000A5", 0, "read as NTSTATUS");
    expect("error 0xC00000A5", 0, "1346");
    expect("error WBEM_E_ACCESS_DENIED", 0, "0x80041003");
    expect("error WBEM_E_ACCESS_DENIED", 0, "2147749891");
    expect("error E_ACCESSDENIED", 0, "ERROR_ACCESS_DENIED = 5");
    expect("error 5", 0, "read as Win32 error");
    expect("error 0xD000015B", 0, "ERROR_LOGON_TYPE_NOT_GRANTED");
    expect("error -2147024891", 0, "E_ACCESSDENIED");
    expect("error 0x40009", 0, "WBEM_S_ACCESS_DENIED");
}

Test(cli_error, json_list_and_errors)
{
    expect("error --format json 1346", 0, "\"hresult\":\t\"0x80070542\"");
    expect("error --list", 0, "ERROR_SERVICE_LOGON_FAILED");
    expect("error --list --format json", 0, "WBEM_E_PRIVILEGE_NOT_HELD");
    expect("error --help", 0, "usage: toksim error");
    expect("error 0x8BADF00D", 2, "not in the catalog");
    expect("error ERROR_NOPE", 2, "not in the catalog");
    expect("error 0x12G", 2, "offset 4");
    expect("error 99999999999", 2, "32 bits");
}
