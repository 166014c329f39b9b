/* PURPOSE: the CI and picture formats of `toksim check` and `toksim run`: TAP (a failing
 * step is "not ok" with a YAML block naming the file, line and mismatch), SARIF 2.1.0
 * (results at the expectation's line and column, findings at the step's), Graphviz DOT
 * (processes, threads, tokens, impersonation edges with levels, failed steps red), and
 * colour in text output (off under NO_COLOR or --color never). The schemas and the TAP
 * parser check the same outputs structurally (tools/validate_outputs.py). */
#include <cJSON.h>
#include "../cli_helpers.h"

#define MBAM "scenarios/iis/mbam-iis-iusrs-removed.json"
#define BAD  "tests/data/scenario/mbam-wrong-expectation.json"

Test(cli_formats, tap_plan_points_and_yaml_block)
{
    static char out[1 << 16];
    int rc = ts_run_cli(out, sizeof out, "check --format tap " BAD);
    cr_assert_eq(rc, 1, "%s", out);
    /* the plan comes last (TAP allows it): scenarios are replayed one at a time */
    cr_assert(strncmp(out, "TAP version 14\nok 1 - mbam-wrong-expectation: pool", 48) ==
                  0,
              "%s", out);
    size_t n = strlen(out);
    cr_assert(n > 5 && strcmp(out + n - 5, "1..5\n") == 0, "%s", out);
    cr_assert(strstr(out, "not ok 2 - mbam-wrong-expectation: request (iis.request)\n"
                          "  ---\n"),
              "%s", out);
    cr_assert(strstr(out, "  file: \"tests/data/scenario/mbam-wrong-expectation.json\"\n"
                          "  line: 41\n"),
              "%s", out);
    cr_assert(strstr(out, "    - field: \"http\"\n      expected: \"200\"\n      got: "
                          "\"500\"\n      line: 72\n"),
              "%s", out);
    cr_assert(strstr(out, "  ...\nok 3 - "), "%s", out);
    /* the whole catalog passes: a plan over every step, no "not ok" */
    rc = ts_run_cli(out, sizeof out, "check --format tap scenarios");
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert_null(strstr(out, "not ok"), "%s", out);
}

Test(cli_formats, sarif_results_point_at_expectation_and_step)
{
    static char out[1 << 17];
    int rc = ts_run_cli(out, sizeof out, "check --format sarif " BAD);
    cr_assert_eq(rc, 1, "%s", out);
    cJSON *j = cJSON_Parse(out);
    cr_assert_not_null(j, "%s", out);
    cr_assert_str_eq(cJSON_GetObjectItem(j, "version")->valuestring, "2.1.0");
    cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), 0);
    cJSON *results = cJSON_GetObjectItem(run, "results");
    cJSON *first = cJSON_GetArrayItem(results, 0);
    cr_assert_str_eq(cJSON_GetObjectItem(first, "ruleId")->valuestring,
                     "toksim.expectation");
    cr_assert_str_eq(cJSON_GetObjectItem(first, "level")->valuestring, "error");
    cJSON *pl = cJSON_GetObjectItem(
        cJSON_GetArrayItem(cJSON_GetObjectItem(first, "locations"), 0),
        "physicalLocation");
    cr_assert_str_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(pl, "artifactLocation"), "uri")
            ->valuestring,
        BAD);
    cJSON *region = cJSON_GetObjectItem(pl, "region");
    cr_assert_eq(cJSON_GetObjectItem(region, "startLine")->valueint, 72);
    cr_assert_eq(cJSON_GetObjectItem(region, "startColumn")->valueint, 5);
    /* findings are results too, at the line of their step, with their rule described */
    bool downgrade = false;
    cJSON *r;
    cJSON_ArrayForEach(r, results)
    {
        if (strcmp(cJSON_GetObjectItem(r, "ruleId")->valuestring,
                   "finding.silent_identify_downgrade") == 0)
            downgrade = true;
    }
    cr_assert(downgrade, "%s", out);
    cJSON *rules = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(run, "tool"), "driver"), "rules");
    cr_assert_geq(cJSON_GetArraySize(rules), 2);
    cJSON_Delete(j);
    /* a passing catalog still reports its findings, and exits 0 */
    ts_expect_cli("check --format sarif " MBAM, 0, "finding.silent_identify_downgrade");
}

Test(cli_formats, dot_shows_impersonation_levels_and_failed_steps)
{
    static char out[1 << 16];
    int rc = ts_run_cli(out, sizeof out, "run --format dot " MBAM);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strncmp(out, "digraph \"mbam-iis-iusrs-removed\" {", 34) == 0, "%s", out);
    cr_assert(strstr(out, "label=\"w3wp\\n(app pool)\""), "%s", out);
    cr_assert(strstr(out, "label=\"thread w3wp:request\""), "%s", out);
    cr_assert(strstr(out, "label=\"token alice\\nCONTOSO\\\\alice\\nImpersonation\""),
              "%s", out);
    /* the silent downgrade: the edge says Identification and is red */
    cr_assert(strstr(out,
                     "n2 -> n1 [label=\"impersonate: impersonates at Identification\", "
                     "color=\"#c0392b\""),
              "%s", out);
    /* the failing request is filled red; the logon that worked is not */
    cr_assert(strstr(out, "s1 [shape=box, label=\"2. request\\niis.request\\nHTTP 500"),
              "%s", out);
    cr_assert(strstr(out, "fillcolor=\"#f4cccc\""), "%s", out);
    cr_assert(strstr(out, "s2 [shape=box, label=\"3. logon-alice\\nlogon\\ntoken at "
                          "Impersonation level\"];"),
              "%s", out);
    cr_assert(out[strlen(out) - 2] == '}', "%s", out);
    /* the restored pool impersonates at Impersonation level: a green edge */
    ts_expect_cli("run --format dot scenarios/iis/mbam-iis-iusrs-restored.json", 0,
                  "impersonates at Impersonation\", color=\"#1e8449\"");
}

Test(cli_formats, colour_on_request_off_by_default_and_under_no_color)
{
    ts_expect_cli("run --color always " MBAM, 0, "\033[32mok");
    ts_expect_cli("run --color always --explain " MBAM, 0, "\033[1;31mFAILED");
    ts_expect_cli("check --color always " MBAM, 0, "\033[32mok");
    static char out[1 << 17];
    /* through a pipe (not a terminal) auto means no colour; so do never and NO_COLOR */
    static const char *const plain[] = {"run --explain " MBAM, "run --color never " MBAM,
                                        "check " MBAM, "run --color auto " MBAM};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        ts_run_cli(out, sizeof out, plain[i]);
        cr_assert_null(strchr(out, '\033'), "toksim %s:\n%s", plain[i], out);
    }
    cr_assert_eq(ts_run_cli(out, sizeof out, "run --color sometimes " MBAM), 2);
    cr_assert(strstr(out, "--color 'sometimes': expected auto, always or never"), "%s",
              out);
    ts_expect_cli("run --format tap " MBAM, 2, "unknown format 'tap'");
}

Test(cli_formats, explain_json_tells_the_story_of_one_step)
{
    static char out[1 << 17];
    int rc = ts_run_cli(out, sizeof out, "explain --format json --step request " MBAM);
    cr_assert_eq(rc, 0, "%s", out);
    cJSON *j = cJSON_Parse(out);
    cr_assert_not_null(j, "%s", out);
    cJSON *steps = cJSON_GetObjectItem(j, "steps");
    cr_assert_eq(cJSON_GetArraySize(steps), 1);
    cJSON *st = cJSON_GetArrayItem(steps, 0);
    cr_assert_str_eq(cJSON_GetObjectItem(st, "id")->valuestring, "request");
    cr_assert_eq(cJSON_GetObjectItem(st, "line")->valueint, 41);
    cr_assert_str_eq(cJSON_GetObjectItem(st, "result")->valuestring, "failure");
    bool downgrade = false;
    cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(st, "reasons"))
    {
        if (strcmp(cJSON_GetObjectItem(e, "rule")->valuestring, "imp.downgrade") == 0)
            downgrade = true;
    }
    cr_assert(downgrade, "%s", out);
    cJSON_Delete(j);
    ts_expect_cli("explain --format json --step nope " MBAM, 2,
                  "no step has the id 'nope'");
    ts_expect_cli("explain --format xml " MBAM, 2, "unknown format 'xml'");
}

/* On a terminal (util-linux `script` gives the command one) auto colours, NO_COLOR turns
 * it off; skipped where `script` is missing. */
Test(cli_formats, colour_on_a_terminal_unless_no_color)
{
    if (system("command -v script >/dev/null 2>&1") != 0)
        cr_skip_test("util-linux script is not installed");
    const char *cli = getenv("TOKSIM_CLI");
    cr_assert_not_null(cli);
    char cmd[1024];
    static char out[1 << 16];
    for (int no_color = 0; no_color < 2; no_color++) {
        snprintf(cmd, sizeof cmd, "%sscript -qc '%s run " MBAM "' /dev/null",
                 no_color ? "NO_COLOR=1 " : "env -u NO_COLOR ", cli);
        FILE *p = popen(cmd, "r");
        cr_assert_not_null(p);
        size_t n = fread(out, 1, sizeof out - 1, p);
        out[n] = '\0';
        pclose(p);
        cr_assert(strstr(out, "FAILED"), "%s", out);
        if (no_color)
            cr_assert_null(strchr(out, '\033'), "NO_COLOR=1 still coloured:\n%s", out);
        else
            cr_assert_not_null(strstr(out, "\033[1;31mFAILED"), "no colour on a tty:\n%s",
                               out);
    }
}
