/* PURPOSE: the command lines of `toksim run`, `check` and `explain` (and the JSON of
 * `logon`): help text that states the exit codes, unknown options named, unusable inputs
 * (empty file, directory, device, binary) refused with exit 2 and a position, JSON output
 * that parses and is the same on every run. */
#include <unistd.h>
#include <cJSON.h>
#include "../cli_helpers.h"

#define MBAM "scenarios/iis/mbam-iis-iusrs-removed.json"

Test(cli_scenario, run_exits_0_when_a_step_fails_on_windows_side)
{
    ts_expect_cli("run --help", 0,
                  "0 replayed, even when a step failed on Windows' side");
    /* the MBAM request answers HTTP 500: a result of the replay, not an error of the tool
     */
    ts_expect_cli("run " MBAM, 0, "HTTP 500");
    ts_expect_cli("check --help", 0,
                  "exit codes: 0 every expectation held, 1 an expectation failed");
}

Test(cli_scenario, unknown_options_and_arguments_are_named)
{
    ts_expect_cli("run --bogus " MBAM, 2, "unknown option --bogus");
    ts_expect_cli("check --explain " MBAM, 2, "unknown option --explain");
    ts_expect_cli("explain " MBAM " " MBAM, 2, "expected one scenario FILE");
    ts_expect_cli("explain --bogus " MBAM, 2, "unknown option --bogus");
    ts_expect_cli("run --format xml " MBAM, 2, "unknown format 'xml'");
}

Test(cli_scenario, unusable_inputs_exit_2_naming_the_file)
{
    ts_expect_cli("run /dev/null", 2, "/dev/null: cannot open: not a regular file");
    ts_expect_cli("explain tests/data/world", 2,
                  "tests/data/world: cannot open: a directory");
    ts_expect_cli("check tests/data/world/empty.json", 2,
                  "tests/data/world/empty.json:1:1: malformed JSON");
    ts_expect_cli("run tests/data/world/binary.json", 2,
                  "tests/data/world/binary.json:1:12: NUL byte");
    ts_expect_cli("logon --user x --world /dev/null", 2,
                  "/dev/null: cannot open: not a regular file");
    ts_expect_cli("logon --user x --world tests/data/world/empty.json", 2,
                  "empty.json:1:1: malformed JSON: empty input");
    ts_expect_cli("logon --user x --policy tests/data/world/binary.json", 2,
                  "binary.json:1:12: NUL byte");
}

static cJSON *json_of(const char *args, char *out, size_t n)
{
    int rc = ts_run_cli(out, n, args);
    cr_assert(rc == 0 || rc == 1, "toksim %s: exit %d\n%s", args, rc, out);
    cJSON *j = cJSON_Parse(out);
    cr_assert_not_null(j, "toksim %s: not JSON:\n%s", args, out);
    return j;
}

Test(cli_scenario, json_outputs_parse_and_are_deterministic)
{
    static char a[1 << 18], b[1 << 18];
    static const char *const cmds[] = {
        "run --format json " MBAM,
        "check --format json " MBAM,
        "logon --user \"NT AUTHORITY\\NETWORK SERVICE\" --format json --trace",
        /* a failed logon in JSON, with the trace as a member (not text after the JSON) */
        "logon --user \"NT AUTHORITY\\NETWORK SERVICE\" --type interactive --format json "
        "--trace",
        "policy --format json --os server tests/data/inf/gpo_no_network_service.inf",
        "run --format json scenarios/iis",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        cJSON *j = json_of(cmds[i], a, sizeof a);
        cJSON_Delete(j);
        cJSON_Delete(json_of(cmds[i], b, sizeof b));
        cr_assert_str_eq(a, b, "toksim %s differs between two runs", cmds[i]);
    }
    cJSON *j = json_of(cmds[3], a, sizeof a);
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "success")), "%s", a);
    cr_assert(cJSON_GetArraySize(cJSON_GetObjectItem(j, "trace")) > 0, "%s", a);
    cJSON_Delete(j);
}

Test(cli_scenario, oversized_inputs_are_refused_by_size)
{
    char path[] = "/tmp/toksim_huge_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    /* sparse: past both caps (16 MiB scenarios, 64 MiB worlds) without using the disk */
    cr_assert_eq(ftruncate(fd, (off_t)65 << 20), 0);
    close(fd);
    char args[256];
    snprintf(args, sizeof args, "run %s", path);
    ts_expect_cli(args, 2, "larger than 16777216 bytes");
    snprintf(args, sizeof args, "logon --user x --world %s", path);
    ts_expect_cli(args, 2, "larger than 67108864 bytes");
    unlink(path);
}

Test(cli_scenario, a_run_error_stops_before_any_output)
{
    /* loads fine, but its step names a thread no step created: exit 2 naming the step's
     * position, and no half-written JUnit/JSON document on stdout */
    char path[] = "/tmp/toksim_ghost_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *doc = "{\"toksim\": 1, \"name\": \"ghost\", \"title\": \"t\",\n"
                      " \"world\": {},\n"
                      " \"steps\": [{\"id\": \"s1\", \"op\": \"thread.revert\", "
                      "\"thread\": \"ghost\"}]}\n";
    cr_assert_eq(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
    close(fd);
    static const char *const cmds[] = {"check --format junit", "check --format json",
                                       "run --format junit", "run --format json",
                                       "check"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char args[256];
        static char out[1 << 16];
        snprintf(args, sizeof args, "%s %s", cmds[i], path);
        int rc = ts_run_cli(out, sizeof out, args);
        cr_assert_eq(rc, 2, "toksim %s: exit %d\n%s", args, rc, out);
        cr_assert(strstr(out, ":3:12: steps[0] (s1, thread.revert)"), "toksim %s:\n%s",
                  args, out);
        cr_assert_null(strstr(out, "<?xml"), "toksim %s:\n%s", args, out);
        cr_assert_null(strstr(out, "passed"), "toksim %s:\n%s", args, out);
    }
    unlink(path);
}
