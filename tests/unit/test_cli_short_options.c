/* PURPOSE: the CLI's getopt_long conventions (cli/util.c cli_opts_next): short options
 * mapped to the long names (-f json, -fjson, -o, -w, -p, -e, -h), grouped flag letters
 * (-qe), unknown letters and single-dash long names refused naming the letter (exit 2),
 * "-5" read as a number, and the global -q/--quiet (no warnings, errors still print) and
 * -v/--verbose (each input file read named on stderr), before or after the command. */
#include "../cli_helpers.h"

#define SCEN "scenarios/iis/mbam-iis-iusrs-removed.json"
#define DC   "tests/data/inf/dc_default_policy.inf"

Test(cli_short_options, format_attached_or_next_same_as_long)
{
    static char a[1 << 16], b[1 << 16], c[1 << 16];
    cr_assert_eq(ts_run_cli(a, sizeof a, "run --format json " SCEN), 0, "%s", a);
    cr_assert_eq(ts_run_cli(b, sizeof b, "run -f json " SCEN), 0, "%s", b);
    cr_assert_eq(ts_run_cli(c, sizeof c, "run -fjson " SCEN), 0, "%s", c);
    cr_assert(a[0] == '{', "%s", a);
    cr_assert_str_eq(a, b);
    cr_assert_str_eq(a, c);
}

Test(cli_short_options, help_explain_world_policy_output)
{
    ts_expect_cli("run -h", 0, "usage: toksim run");
    ts_expect_cli("sid -h", 0, "usage: toksim sid");
    static char a[1 << 18], b[1 << 18];
    cr_assert_eq(ts_run_cli(a, sizeof a, "run --explain " SCEN), 0, "%s", a);
    cr_assert_eq(ts_run_cli(b, sizeof b, "run -e " SCEN), 0, "%s", b);
    cr_assert_str_eq(a, b);
    /* -w world, -o output file (policy), -p policy (diff) */
    ts_expect_cli("policy -w /nonexistent.json " DC, 2, "/nonexistent.json");
    ts_expect_cli("diff -p /nonexistent.inf -p /nonexistent.inf " SCEN, 2,
                  "/nonexistent.inf");
    ts_expect_cli("policy -q --os server -o /nonexistent-dir/x " DC, 2,
                  "/nonexistent-dir/x");
}

Test(cli_short_options, grouped_flags)
{
    static char a[1 << 18], b[1 << 18];
    cr_assert_eq(ts_run_cli(a, sizeof a, "run --explain " SCEN), 0, "%s", a);
    cr_assert_eq(ts_run_cli(b, sizeof b, "run -qe " SCEN), 0, "%s", b);
    cr_assert_str_eq(a, b);
    /* a value letter ends the group: the rest is its value */
    cr_assert_eq(ts_run_cli(b, sizeof b, "run -efjson " SCEN), 0, "%s", b);
    cr_assert(b[0] == '{' && strstr(b, "\"trace\""), "%s", b);
}

Test(cli_short_options, unknown_or_misplaced_letters_are_usage_errors)
{
    ts_expect_cli("run -x " SCEN, 2, "toksim run: unknown option -x");
    ts_expect_cli("run -qx " SCEN, 2, "unknown option -x");
    /* a value letter the command has no long option for */
    ts_expect_cli("sid -w w.json S-1-5-18", 2, "toksim sid: unknown option -w");
    ts_expect_cli("run -f", 2, "option -f (--format) needs a value");
    /* getopt_long: a single-dash long name is letters, -format = -f ormat */
    ts_expect_cli("run -format json " SCEN, 2, "unknown format 'ormat'");
    ts_expect_cli("error -list", 2, "unknown option -l");
}

Test(cli_short_options, negative_number_and_dash_are_arguments)
{
    ts_expect_cli("error -2147024894", 0, "ERROR_FILE_NOT_FOUND");
    ts_expect_cli("run -q - < scenarios/com/cloaking-none-vs-dynamic.json", 0,
                  "cloaking");
    ts_expect_cli("run -- -x", 2, "-x");
}

Test(cli_short_options, quiet_silences_warnings_not_errors)
{
    static char out[1 << 16];
    cr_assert_eq(ts_run_cli(out, sizeof out, "policy " DC " -o /dev/null"), 0, "%s", out);
    cr_assert(strstr(out, "warning: this looks like a domain controller"), "%s", out);
    for (int i = 0; i < 3; i++) {
        const char *args[] = {"policy -q " DC " -o /dev/null",
                              "policy --quiet " DC " -o /dev/null",
                              "-q policy " DC " -o /dev/null"};
        cr_assert_eq(ts_run_cli(out, sizeof out, args[i]), 0, "%s", out);
        cr_assert_str_eq(out, "", "%s: %s", args[i], out);
    }
    ts_expect_cli("policy -q /nonexistent.inf", 2, "/nonexistent.inf: cannot open");
}

Test(cli_short_options, verbose_names_the_files_read)
{
    static char out[1 << 16];
    cr_assert_eq(ts_run_cli(out, sizeof out, "policy -v " DC " -o /dev/null"), 0, "%s",
                 out);
    cr_assert(strstr(out, "toksim policy: " DC ": read 258 bytes"), "%s", out);
    ts_expect_cli("--verbose run " SCEN " 2>&1 >/dev/null | cat", 0,
                  SCEN ": reading a scenario");
    cr_assert_eq(ts_run_cli(out, sizeof out, "run " SCEN " 2>&1 >/dev/null | cat"), 0,
                 "%s", out);
    cr_assert_str_eq(out, "");
}
