/*
 * PURPOSE: tests of the scenario engine: loader errors (position, JSON path, what was
 * expected), caps, expectations (each field can fail), rendering (deterministic, JSON
 * shape), and the run/check/explain commands' exit codes and output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../helpers.h"
#include "../cli_helpers.h"

/* A small world and steps that only need the core, identity and impersonation layers. */
#define WORLD                                                                            \
    "\"world\": {\"machine\": {\"name\": \"WS01\", \"sid\": \"S-1-5-21-1-2-3\", "        \
    "\"os\": \"win10\"},"                                                                \
    " \"users\": [{\"name\": \"alice\", \"rid\": 1001}],"                                \
    " \"objects\": [{\"path\": \"C:\\\\data\\\\a.txt\", \"type\": \"file\","             \
    " \"sddl\": \"O:BAG:SYD:(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;BU)\"}]}"

#define STEPS                                                                            \
    "\"steps\": [{\"id\": \"logon\", \"op\": \"logon\", \"user\": \"WS01\\\\alice\", "   \
    "\"as\": \"alice\"},"                                                                \
    " {\"id\": \"proc\", \"op\": \"process.start\", \"token\": \"alice\", \"as\": "      \
    "\"notepad\"},"                                                                      \
    " {\"id\": \"open\", \"op\": \"object.open\", \"thread\": \"notepad\", \"path\": "   \
    "\"C:\\\\data\\\\a.txt\","                                                           \
    " \"access\": \"FR\"},"                                                              \
    " {\"id\": \"write\", \"op\": \"object.open\", \"thread\": \"notepad\", \"path\": "  \
    "\"c:\\\\DATA\\\\a.txt\","                                                           \
    " \"access\": \"FILE_WRITE_DATA\"}]"

/* Assert a call succeeded, showing the error record's message. */
#define OK(expr, err)                                                                    \
    do {                                                                                 \
        toksim_status rc_ = (expr);                                                      \
        cr_assert(rc_ == TOKSIM_OK, "%s failed: %s (%s)", #expr, toksim_strerror(rc_),   \
                  (err).message);                                                        \
    } while (0)
#define OK0(expr)                                                                        \
    do {                                                                                 \
        toksim_status rc_ = (expr);                                                      \
        cr_assert(rc_ == TOKSIM_OK, "%s failed: %s", #expr, toksim_strerror(rc_));       \
    } while (0)

static toksim_status parse(toksim_scenario **sc, const char *text, toksim_error *err)
{
    return toksim_scenario_parse(sc, text, strlen(text), "t.json", ".", err);
}

static toksim_scenario *load_ok(const char *text)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    OK(parse(&sc, text, &err), err);
    return sc;
}

static toksim_run *run_ok(const toksim_scenario *sc)
{
    toksim_run *run = NULL;
    toksim_error err = {0};
    OK(toksim_scenario_run(&run, sc, &err), err);
    return run;
}

Test(scenario, unknown_parameter_names_line_column_and_path)
{
    const char *text = "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n " WORLD ",\n"
                       "  \"steps\": [{\"id\": \"a\", \"op\": \"logon\", \"levle\": 1}]}";
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    cr_assert_eq(parse(&sc, text, &err), TOKSIM_EPARSE);
    cr_assert_null(sc);
    cr_assert_eq(err.line, 3, "line %d: %s", err.line, err.message);
    cr_assert_eq(err.column, 40, "column %d: %s", err.column, err.message);
    cr_assert(strstr(err.message, "steps[0]") && strstr(err.message, "\"levle\"") &&
                  strstr(err.message, "user"),
              "%s", err.message);
    cr_assert_str_eq(err.where, "t.json");
}

Test(scenario, malformed_json_points_at_the_problem)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    cr_assert_eq(parse(&sc, "{\"toksim\": 1,\n  \"name\": }", &err), TOKSIM_EPARSE);
    cr_assert_eq(err.line, 2);
    cr_assert_eq(err.column, 11, "column %d", err.column);
    cr_assert(strstr(err.message, "malformed JSON"), "%s", err.message);
    cr_assert_eq(parse(&sc, "{\"toksim\": 1, \"steps\": [", &err), TOKSIM_EPARSE);
    cr_assert(strstr(err.message, "end of input"), "%s", err.message);
}

Test(scenario, columns_count_characters_not_bytes)
{
    /* "é" is two bytes: the column after it is one more, not two */
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    cr_assert_eq(
        parse(&sc,
              "{\"toksim\": 1, \"name\": \"x\", \"title\": \"\xc3\xa9\", \"bogus\": 1}",
              &err),
        TOKSIM_EPARSE);
    cr_assert_eq(err.column, 42, "column %d (%s)", err.column, err.message);
}

Test(scenario, other_format_version_is_refused)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    cr_assert_eq(parse(&sc, "{\"toksim\": 2, \"name\": \"x\"}", &err),
                 TOKSIM_EUNSUPPORTED);
    cr_assert(strstr(err.message, "version 2"), "%s", err.message);
    cr_assert_eq(parse(&sc, "{\"name\": \"x\"}", &err), TOKSIM_EPARSE);
    cr_assert(strstr(err.message, "\"toksim\""), "%s", err.message);
}

Test(scenario, text_must_be_utf8_without_nul)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    const char bad[] = "{\"toksim\": 1, \"name\": \"\xff\"}";
    cr_assert_eq(toksim_scenario_parse(&sc, bad, sizeof bad - 1, "t.json", ".", &err),
                 TOKSIM_EPARSE);
    cr_assert_eq(err.offset, 23);
    const char nul[] = "{\"toksim\": 1}\0{";
    cr_assert_eq(toksim_scenario_parse(&sc, nul, sizeof nul - 1, "t.json", ".", &err),
                 TOKSIM_EPARSE);
    cr_assert(strstr(err.message, "NUL"), "%s", err.message);
}

Test(scenario, length_is_respected_without_terminator)
{
    const char *doc =
        "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\", " WORLD ", " STEPS "}";
    size_t len = strlen(doc);
    char *buf = malloc(len + 8);
    cr_assert_not_null(buf);
    memcpy(buf, doc, len);
    memcpy(buf + len, "garbage!", 8); /* no NUL after the document */
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    OK(toksim_scenario_parse(&sc, buf, len, "t.json", ".", &err), err);
    cr_assert_eq(toksim_scenario_step_count(sc), 4);
    toksim_scenario_free(sc);
    free(buf);
}

Test(scenario, caps_on_depth_steps_and_strings)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    char deep[200];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 99);
    deep[199] = '\0';
    cr_assert_eq(parse(&sc, deep, &err), TOKSIM_ELIMIT);
    cr_assert(strstr(err.message, "nesting"), "%s", err.message);

    {
        size_t cap = 16400 * 64 + 512;
        char *many = malloc(cap);
        cr_assert_not_null(many);
        size_t u = (size_t)snprintf(many, cap,
                                    "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\", "
                                    "\"world\": {}, \"steps\": [");
        for (int i = 0; i < 16385; i++)
            u += (size_t)snprintf(
                many + u, cap - u,
                "%s{\"id\":\"s%d\",\"op\":\"thread.revert\",\"thread\":\"p\"}",
                i ? "," : "", i);
        snprintf(many + u, cap - u, "]}");
        cr_assert_eq(parse(&sc, many, &err), TOKSIM_ELIMIT);
        cr_assert(strstr(err.message, "16384 steps"), "%s", err.message);
        free(many);
    }
    size_t n = 5000;
    char *longs = malloc(n + 100);
    cr_assert_not_null(longs);
    int k = snprintf(longs, n + 100, "{\"toksim\": 1, \"name\": \"x\", \"title\": \"");
    memset(longs + k, 'a', n);
    snprintf(longs + k + n, 100, "\"}");
    cr_assert_eq(parse(&sc, longs, &err), TOKSIM_ELIMIT);
    free(longs);
}

Test(scenario, duplicate_and_unknown_keys_are_errors)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    cr_assert_eq(parse(&sc, "{\"toksim\": 1, \"name\": \"x\", \"name\": \"y\"}", &err),
                 TOKSIM_EPARSE);
    cr_assert(strstr(err.message, "duplicate key \"name\""), "%s", err.message);
    cr_assert_eq(parse(&sc, "{\"toksim\": 1, \"Name\": \"x\"}", &err), TOKSIM_EPARSE);
    cr_assert(strstr(err.message, "unknown key \"Name\""), "%s", err.message);
}

Test(scenario, expectations_are_validated_at_load)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    const char *head = "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\", " WORLD
                       ", " STEPS ", \"expect\": ";
    char doc[4096];
    snprintf(doc, sizeof doc, "%s{\"open\": {\"okay\": true}}}", head);
    cr_assert_eq(parse(&sc, doc, &err), TOKSIM_EPARSE);
    cr_assert(strstr(err.message, "unknown expectation \"okay\""), "%s", err.message);
    snprintf(doc, sizeof doc, "%s{\"open\": {\"error\": \"ERROR_NOPE\"}}}", head);
    cr_assert_eq(parse(&sc, doc, &err), TOKSIM_ENOTFOUND);
    snprintf(doc, sizeof doc, "%s{\"nostep\": {\"ok\": true}}}", head);
    cr_assert_eq(parse(&sc, doc, &err), TOKSIM_ENOTFOUND);
    cr_assert(strstr(err.message, "nostep"), "%s", err.message);
    snprintf(doc, sizeof doc, "%s{\"open\": {\"finding\": \"finding.no_such_thing\"}}}",
             head);
    cr_assert_eq(parse(&sc, doc, &err), TOKSIM_ENOTFOUND);
    cr_assert(strstr(err.message, "finding.no_such_thing"), "%s", err.message);
    snprintf(doc, sizeof doc, "%s{\"open\": {\"hresult\": \"80070542\"}}}", head);
    cr_assert_eq(parse(&sc, doc, &err), TOKSIM_EPARSE);
    snprintf(doc, sizeof doc, "%s{\"open\": {\"token_has_group\": \"WS01\\\\nobody\"}}}",
             head);
    cr_assert_eq(parse(&sc, doc, &err), TOKSIM_ENOTFOUND);
    snprintf(doc, sizeof doc,
             "%s{\"open\": {\"token_has_privilege\": \"SeImpersonatePrivilege:on\"}}}",
             head);
    cr_assert_eq(parse(&sc, doc, &err), TOKSIM_ENOTFOUND);
}

Test(scenario, world_note_is_accepted)
{
    /* the scenario layer allows "note" in its world; the world loader must agree */
    toksim_scenario *sc =
        load_ok("{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n"
                "  \"world\": {\"note\": \"n\", \"users\": [{\"name\": \"a\"}]},\n"
                "  \"steps\": [{\"id\": \"s\", \"op\": \"logon\", \"user\": \"a\"}]}");
    toksim_scenario_run_free(
        run_ok(sc)); /* each run loads the world again, note and all */
    toksim_scenario_free(sc);
}

Test(scenario, world_errors_point_into_the_scenario)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    cr_assert_eq(
        parse(&sc,
              "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n"
              "  \"world\": {\"users\": [{\"name\": \"a\", \"groups\": [\"nobody\"]}]},\n"
              "  \"steps\": [{\"id\": \"s\", \"op\": \"logon\", \"user\": \"a\"}]}",
              &err),
        TOKSIM_ENOTFOUND);
    cr_assert_eq(err.line, 2, "%d:%d %s", err.line, err.column, err.message);
    cr_assert_eq(err.column, 48, "%d:%d %s", err.line, err.column, err.message);
    cr_assert(strstr(err.message, "nobody"), "%s", err.message);
    /* unknown world members are errors in a scenario (a world file may ignore them) */
    cr_assert_eq(
        parse(&sc,
              "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n  \"world\": "
              "{\"rigths\": {}},\n"
              "  \"steps\": [{\"id\": \"s\", \"op\": \"logon\", \"user\": \"a\"}]}",
              &err),
        TOKSIM_EPARSE);
    cr_assert_eq(err.line, 2);
    cr_assert(strstr(err.message, "\"rigths\"") && strstr(err.message, "rights"), "%s",
              err.message);
    /* an SDDL error points at the character inside the string */
    cr_assert_neq(
        parse(&sc,
              "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\",\n  \"world\": "
              "{\"objects\": [{\"path\": "
              "\"a\", \"sddl\": \"O:BAG:SYD:(A;;FA;;;XX)\"}]},\n"
              "  \"steps\": [{\"id\": \"s\", \"op\": \"logon\", \"user\": \"a\"}]}",
              &err),
        TOKSIM_OK);
    cr_assert_eq(err.line, 2);
    cr_assert_eq(err.column, 67, "%d:%d %s", err.line, err.column, err.message);
    cr_assert(strstr(err.message, "world.objects[0].sddl"), "%s", err.message);
}

typedef struct seen {
    int n;
    char field[64], expected[64], got[64], step[32];
} seen;

static void record(const toksim_mismatch *m, void *payload)
{
    seen *s = payload;
    s->n++;
    snprintf(s->field, sizeof s->field, "%s", m->field);
    snprintf(s->expected, sizeof s->expected, "%s", m->expected);
    snprintf(s->got, sizeof s->got, "%s", m->got);
    snprintf(s->step, sizeof s->step, "%s", m->step);
}

/* One expectation on the step "open" / "write"; returns the mismatch seen (n = 0: it
 * held). */
static seen check_one(const char *expect)
{
    char doc[4096];
    snprintf(doc, sizeof doc,
             "{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\", " WORLD ", " STEPS
             ", \"expect\": %s}",
             expect);
    toksim_scenario *sc = load_ok(doc);
    toksim_run *run = run_ok(sc);
    seen s = {0};
    size_t passed = 0, failed = 0;
    OK0(toksim_scenario_check(&passed, &failed, run, record, &s));
    cr_assert_eq((size_t)s.n, failed);
    cr_assert_eq(passed + failed, toksim_scenario_expectation_count(sc));
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    return s;
}

Test(scenario, expectations_hold_and_fail)
{
    /* a standard user reads the file (granted FILE_GENERIC_READ) and cannot write it */
    cr_assert_eq(
        check_one(
            "{\"open\": {\"ok\": true, \"win32\": 0, \"granted\": \"0x00120089\"},"
            " \"write\": {\"ok\": false, \"error\": \"ERROR_ACCESS_DENIED\", \"win32\": "
            "5,"
            " \"ntstatus\": \"0xC0000022\", \"hresult\": \"0x80070005\"},"
            " \"logon\": {\"token_has_group\": [\"BUILTIN\\\\Users\", \"WS01\\\\alice\"],"
            " \"token_lacks_group\": \"BUILTIN\\\\Administrators\","
            " \"token_has_privilege\": \"SeChangeNotifyPrivilege:enabled\","
            " \"token_lacks_privilege\": \"SeDebugPrivilege\"}}")
            .n,
        0);
    seen s = check_one("{\"write\": {\"ok\": true}}");
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.field, "ok");
    cr_assert_str_eq(s.step, "write");
    cr_assert_str_eq(s.got, "false");
    s = check_one("{\"write\": {\"error\": \"ERROR_BAD_IMPERSONATION_LEVEL\"}}");
    cr_assert_str_eq(s.got, "ERROR_ACCESS_DENIED");
    s = check_one("{\"write\": {\"hresult\": \"0x80070542\"}}");
    cr_assert_str_eq(s.expected, "0x80070542");
    cr_assert_str_eq(s.got, "0x80070005");
    cr_assert_eq(check_one("{\"write\": {\"http\": 500}}").n, 1);
    cr_assert_eq(check_one("{\"write\": {\"wbem\": \"0x80041003\"}}").n, 1);
    cr_assert_eq(check_one("{\"open\": {\"granted\": 1}}").n, 1);
    cr_assert_eq(check_one("{\"open\": {\"impersonation_level\": \"Impersonation\"}}").n,
                 1);
    cr_assert_eq(
        check_one("{\"logon\": {\"token_has_group\": \"BUILTIN\\\\Administrators\"}}").n,
        1);
    cr_assert_eq(
        check_one("{\"logon\": {\"token_lacks_group\": \"BUILTIN\\\\Users\"}}").n, 1);
    cr_assert_eq(check_one("{\"logon\": {\"token_has_privilege\": "
                           "\"SeChangeNotifyPrivilege:disabled\"}}")
                     .n,
                 1);
    cr_assert_eq(
        check_one("{\"logon\": {\"token_lacks_privilege\": \"SeChangeNotifyPrivilege\"}}")
            .n,
        1);
    cr_assert_eq(
        check_one("{\"open\": {\"finding\": \"finding.silent_identify_downgrade\"}}").n,
        1);
}

Test(scenario, unknown_name_stops_the_run_with_the_step)
{
    toksim_scenario *sc =
        load_ok("{\"toksim\": 1, \"name\": \"x\", \"title\": \"t\", " WORLD ",\n"
                " \"steps\": [{\"id\": \"s1\", \"op\": \"thread.revert\", \"thread\": "
                "\"ghost\"}]}");
    toksim_run *run = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_scenario_run(&run, sc, &err), TOKSIM_ENOTFOUND);
    cr_assert_null(run);
    cr_assert_eq(err.line, 2);
    cr_assert(strstr(err.message, "s1") && strstr(err.message, "ghost"), "%s",
              err.message);
    toksim_scenario_free(sc);
}

Test(scenario, renders_are_deterministic_and_complete)
{
    const char *doc =
        "{\"toksim\": 1, \"name\": \"det\", \"title\": \"t\", " WORLD ", " STEPS "}";
    char *a[4] = {0}, *b[4] = {0};
    for (int pass = 0; pass < 2; pass++) {
        toksim_scenario *sc = load_ok(doc);
        toksim_run *run = run_ok(sc);
        char **o = pass ? b : a;
        OK0(toksim_scenario_render_text(&o[0], run, TOKSIM_RENDER_EXPLAIN));
        OK0(toksim_scenario_render_json(&o[1], run, TOKSIM_RENDER_PRETTY));
        OK0(toksim_scenario_render_junit(&o[2], run, false));
        OK0(toksim_scenario_render_story(&o[3], run, "write"));
        char *none = NULL;
        cr_assert_eq(toksim_scenario_render_story(&none, run, "nope"), TOKSIM_ENOTFOUND);
        toksim_scenario_run_free(run);
        toksim_scenario_free(sc);
    }
    for (int i = 0; i < 4; i++) {
        cr_assert_str_eq(a[i], b[i]);
        free(a[i]);
    }
    cr_assert(strstr(b[1], "\"scenario\":\t\"det\"") ||
                  strstr(b[1], "\"scenario\": \"det\""),
              "%s", b[1]);
    cr_assert(strstr(b[1], "\"hresult\":\t\"0x80070005\""), "%s", b[1]);
    cr_assert(strstr(b[1], "\"trace\""), "%s", b[1]);
    cr_assert(strstr(b[2], "failures=\"1\""), "%s", b[2]);
    cr_assert(strstr(b[3], "WS01\\alice"), "story names the account:\n%s", b[3]);
    for (int i = 0; i < 4; i++)
        free(b[i]);
}

Test(scenario, find_files_recurses_sorted_and_skips_the_schema)
{
    char **files = NULL;
    size_t n = 0;
    toksim_error err = {0};
    OK(toksim_scenario_find_files(&files, &n, "scenarios", &err), err);
    cr_assert_geq(n, 8);
    for (size_t i = 0; i < n; i++) {
        cr_assert_null(strstr(files[i], "schema.json"));
        if (i)
            cr_assert_lt(strcmp(files[i - 1], files[i]), 0);
    }
    toksim_scenario_files_free(files, n);
    cr_assert_eq(toksim_scenario_find_files(&files, &n, "no/such/dir", &err), TOKSIM_EIO);
}

/* ---- the commands ---- */

Test(scenario_cli, mbam_request_in_json)
{
    ts_expect_cli("run scenarios/iis/mbam-iis-iusrs-removed.json --format json", 0,
                  "\"hresult\":\t\"0x80070542\"");
    ts_expect_cli("run scenarios/iis/mbam-iis-iusrs-removed.json --format json", 0,
                  "\"http\":\t500");
}

Test(scenario_cli, run_explain_tells_why)
{
    ts_expect_cli("run --explain scenarios/iis/mbam-iis-iusrs-removed.json", 0,
                  "lacks SeImpersonatePrivilege");
    ts_expect_cli("run scenarios/iis/mbam-iis-iusrs-removed.json --format junit", 0,
                  "<testsuite name=\"mbam-iis");
}

Test(scenario_cli, check_exit_codes)
{
    ts_expect_cli("check scenarios/", 0, " passed, 0 failed");
    char path[] = "/tmp/toksim-check-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *doc =
        "{\"toksim\": 1, \"name\": \"wrong\", \"title\": \"t\", " WORLD ", " STEPS ",\n"
        " \"expect\": {\"write\": {\"ok\": true, \"win32\": 5}}}";
    cr_assert_eq(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
    close(fd);
    char args[256];
    snprintf(args, sizeof args, "check %s", path);
    ts_expect_cli(args, 1, "step \"write\": ok: expected true, got false");
    ts_expect_cli(args, 1, "1 passed, 1 failed");
    snprintf(args, sizeof args, "check --format junit %s", path);
    ts_expect_cli(args, 1, "<failure");
    snprintf(args, sizeof args, "explain %s --step nope", path);
    ts_expect_cli(args, 2, "no step has the id 'nope'");
    unlink(path);
    ts_expect_cli("check /no/such/file.json", 2, "cannot open");
    ts_expect_cli("check", 2, "expected at least one scenario");
    ts_expect_cli("run --help", 0, "usage: toksim run");
    ts_expect_cli("check --format yaml scenarios/", 2, "unknown format");
}

Test(scenario_cli, explain_one_step)
{
    ts_expect_cli("explain scenarios/iis/mbam-iis-iusrs-removed.json --step request", 0,
                  "Result: failure, HTTP 500");
    /* who holds the privilege is told right where the process is found lacking it */
    ts_expect_cli(
        "explain scenarios/iis/mbam-iis-iusrs-removed.json --step request", 0,
        "lacks SeImpersonatePrivilege.\n   - SeImpersonatePrivilege is held by: "
        "BUILTIN\\Administrators, NT AUTHORITY\\SERVICE.");
}

/* The token operations' Windows refusals, through the engine (windows-model §13.3
 * I11/I17/I21, A11). */
#define API_DOC                                                                          \
    "{\"toksim\": 1, \"name\": \"api\", \"title\": \"t\", " WORLD ", \"steps\": ["       \
    "{\"id\": \"logon\", \"op\": \"logon\", \"user\": \"WS01\\\\alice\", \"as\": "       \
    "\"a\"},"                                                                            \
    "{\"id\": \"svc\", \"op\": \"service.start\", \"service\": \"Svc\", \"as\": "        \
    "\"svc\"},"                                                                          \
    "{\"id\": \"stt-primary\", \"op\": \"thread.impersonate\", \"thread\": \"svc:t1\","  \
    " \"token\": \"a\", \"api\": \"SetThreadToken\"},"                                   \
    "{\"id\": \"self\", \"op\": \"thread.impersonate\", \"thread\": \"svc:t2\","         \
    " \"api\": \"ImpersonateSelf\", \"level\": \"Identification\"},"                     \
    "{\"id\": \"dup-id\", \"op\": \"token.duplicate\", \"token\": \"a\", \"level\":"     \
    " \"Identification\", \"as\": \"a-id\"},"                                            \
    "{\"id\": \"dup-primary\", \"op\": \"token.duplicate\", \"token\": \"a-id\","        \
    " \"type\": \"primary\", \"as\": \"a-p\"},"                                          \
    "{\"id\": \"ac-primary\", \"op\": \"access_check\", \"token\": \"a\", \"sddl\":"     \
    " \"O:BAG:SYD:(A;;FA;;;WD)\", \"access\": \"FILE_READ_DATA\"},"                      \
    "{\"id\": \"ac-identify\", \"op\": \"access_check\", \"token\": \"a-id\", \"sddl\":" \
    " \"O:BAG:SYD:(A;;FA;;;WD)\", \"access\": \"FILE_READ_DATA\"},"                      \
    "{\"id\": \"drop\", \"op\": \"privilege.adjust\", \"token\": \"a\", \"remove\":"     \
    " [\"SeChangeNotifyPrivilege\"]},"                                                   \
    "{\"id\": \"revert\", \"op\": \"thread.revert\", \"thread\": \"svc:t2\"}"            \
    "], \"expect\": "

Test(scenario, token_api_refusals)
{
    char doc[8192];
    snprintf(
        doc, sizeof doc, "%s%s}", API_DOC,
        "{\"stt-primary\": {\"ok\": false, \"error\": \"ERROR_BAD_TOKEN_TYPE\", "
        "\"win32\": 1349},"
        " \"self\": {\"ok\": true, \"impersonation_level\": \"Identification\"},"
        " \"dup-id\": {\"ok\": true, \"impersonation_level\": \"Identification\"},"
        " \"dup-primary\": {\"ok\": false, \"error\": \"ERROR_BAD_IMPERSONATION_LEVEL\"},"
        " \"ac-primary\": {\"ok\": false, \"error\": \"ERROR_NO_IMPERSONATION_TOKEN\"},"
        " \"ac-identify\": {\"ok\": true, \"granted\": 1},"
        " \"drop\": {\"ok\": true, \"win32\": 0, \"token_lacks_privilege\": "
        "\"SeChangeNotifyPrivilege\"},"
        " \"revert\": {\"ok\": true}}");
    toksim_scenario *sc = load_ok(doc);
    toksim_run *run = run_ok(sc);
    seen s = {0};
    size_t passed = 0, failed = 0;
    OK0(toksim_scenario_check(&passed, &failed, run, record, &s));
    cr_assert_eq(failed, 0, "%s: %s expected %s, got %s", s.step, s.field, s.expected,
                 s.got);
    cr_assert_eq(passed, 17);
    /* the step's token is a snapshot: "revert" shows the process token, not an Identify
     * copy */
    const toksim_step_result *r = toksim_scenario_run_find(run, "revert");
    cr_assert_not_null(r);
    cr_assert_eq(toksim_token_type_of(r->token), TOKSIM_TOKEN_PRIMARY);
    r = toksim_scenario_run_find(run, "self");
    cr_assert_eq(toksim_token_type_of(r->token), TOKSIM_TOKEN_IMPERSONATION);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
}
