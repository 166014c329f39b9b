/*
 * PURPOSE: `toksim check FILE|DIR...`: replay scenarios and compare every step with the
 * scenario's "expect" block, for CI. Prints each mismatch (file:line:col of the
 * expectation, step, field, expected, got) and closes with "N passed, N failed", counting
 * expectations (one per stated field of "expect"). Exit 0 all hold, 1 one failed, 2
 * unusable input.
 */
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "scenario_args.h"

static const char *const PROG = "toksim check";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim check [--format text|json|junit|tap|sarif] "
        "[--color auto|always|never]\n"
        "                    FILE|DIR...\n\n"
        "Replay scenario files (a directory is searched recursively for *.json, "
        "schema.json\n"
        "excepted) and compare each step's outcome with the scenario's \"expect\" "
        "block.\n"
        "Each field stated in \"expect\" is one expectation; the last line of text "
        "output is\n"
        "\"N passed, N failed\" over all expectations of all scenarios.\n\n"
        "  --format text   mismatches as FILE:LINE:COL: scenario: step ID: FIELD: "
        "expected X, got Y\n"
        "  --format json   {\"passed\", \"failed\", \"mismatches\": [{\"file\", "
        "\"line\", \"column\",\n"
        "                  \"scenario\", \"step\", \"field\", \"expected\", \"got\"}]}\n"
        "  --format junit  one test suite per scenario, one test case per step\n"
        "  --format tap    TAP version 14: one test point per step, a YAML block with\n"
        "                  file, line and each mismatch when it fails (prove reads it)\n"
        "  --format sarif  one SARIF 2.1.0 log: failed expectations and findings as\n"
        "                  results at the file/line/column of the expectation or step\n"
        "  --color WHEN    colour the text output: auto (default: on a terminal, unless\n"
        "                  NO_COLOR is set), always or never\n\n"
        "exit codes: 0 every expectation held, 1 an expectation failed,\n"
        "            2 bad input or usage, 3 internal error\n");
}

typedef struct report {
    cli_format fmt;
    const toksim_scenario *sc;
    cJSON *mismatches; /* json format: the array being filled */
    bool failed;       /* an allocation failed */
} report;

static void on_mismatch(const toksim_mismatch *m, void *payload)
{
    report *r = payload;
    if (r->fmt == FMT_TEXT) {
        printf("%s:%d:%d: %s: step \"%s\": %s: expected %s, got %s\n",
               toksim_scenario_where(r->sc), m->line, m->column,
               toksim_scenario_name(r->sc), m->step, m->field, m->expected, m->got);
        return;
    }
    if (r->fmt != FMT_JSON || !r->mismatches)
        return;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(r->mismatches, o) ||
        !cJSON_AddStringToObject(o, "file", toksim_scenario_where(r->sc)) ||
        !cJSON_AddNumberToObject(o, "line", m->line) ||
        !cJSON_AddNumberToObject(o, "column", m->column) ||
        !cJSON_AddStringToObject(o, "scenario", toksim_scenario_name(r->sc)) ||
        !cJSON_AddStringToObject(o, "step", m->step) ||
        !cJSON_AddStringToObject(o, "field", m->field) ||
        !cJSON_AddStringToObject(o, "expected", m->expected) ||
        !cJSON_AddStringToObject(o, "got", m->got))
        r->failed = true;
}

int cmd_check(int argc, char **argv)
{
    scen_args args;
    int ex = scen_args_parse(&args, argc, argv, PROG, false, "junit,tap,sarif", usage);
    if (ex >= 0)
        return ex;
    cli_format fmt = args.fmt;
    bool tap = scen_args_format_is(&args, "tap");
    bool sarif = scen_args_format_is(&args, "sarif");
    bool color = args.color;
    toksim_scenario **scs;
    size_t nsc;
    ex = scen_load_all(PROG, args.paths, args.npaths, &scs, &nsc);
    scen_args_dispose(&args);
    size_t passed = 0, failed = 0;
    toksim_run **runs = NULL;
    if (ex == EXIT_OK)
        ex = scen_run_all(PROG, scs, nsc, &runs);
    if (ex == EXIT_OK && fmt == FMT_JUNIT)
        printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"toksim "
               "check\">\n");
    if (ex == EXIT_OK && tap) {
        size_t total = 0;
        for (size_t i = 0; i < nsc; i++)
            total += toksim_scenario_run_step_count(runs[i]);
        printf("TAP version 14\n1..%zu\n", total);
    }
    if (ex == EXIT_OK && sarif) {
        char *log = NULL;
        toksim_status rc = toksim_scenario_render_sarif(
            &log, (const toksim_run *const *)runs, nsc, true);
        if (rc)
            ex = cli_report(PROG, NULL, NULL, NULL, rc);
        else
            fputs(log, stdout), putchar('\n');
        free(log);
    }
    size_t tap_next = 1;
    cJSON *mism = fmt == FMT_JSON ? cJSON_CreateArray() : NULL;
    if (fmt == FMT_JSON && !mism)
        ex = EXIT_INTERNAL;
    for (size_t i = 0; ex == EXIT_OK && i < nsc; i++) {
        const toksim_run *run = runs[i];
        report rep = {fmt, scs[i], mism, false};
        size_t p = 0, f = 0;
        toksim_status rc = toksim_scenario_check(&p, &f, run, on_mismatch, &rep);
        if (!rc && rep.failed)
            rc = TOKSIM_ENOMEM;
        if (!rc && tap) {
            char *pts = NULL;
            rc = toksim_scenario_render_tap(&pts, &tap_next, run, true, tap_next);
            if (!rc)
                fputs(pts, stdout);
            free(pts);
        }
        if (!rc && fmt == FMT_JUNIT) {
            char *xml = NULL;
            rc = toksim_scenario_render_junit(&xml, run, true);
            if (!rc)
                fputs(xml, stdout);
            free(xml);
        }
        if (rc) {
            ex = cli_report(PROG, toksim_scenario_where(scs[i]), NULL, NULL, rc);
            break;
        }
        if (fmt == FMT_TEXT)
            printf("%s%-4s%s %s (%zu of %zu expectations held)\n",
                   color ? (f ? "\033[1;31m" : "\033[32m") : "", f ? "FAIL" : "ok",
                   color ? "\033[0m" : "", toksim_scenario_name(scs[i]), p, p + f);
        passed += p;
        failed += f;
    }
    if (ex == EXIT_OK && fmt == FMT_JUNIT)
        printf("</testsuites>\n");
    if (ex == EXIT_OK && fmt == FMT_TEXT)
        printf("%zu passed, %zu failed\n", passed, failed);
    if (ex == EXIT_OK && fmt == FMT_JSON) {
        cJSON *root = cJSON_CreateObject();
        if (root && cJSON_AddNumberToObject(root, "passed", (double)passed) &&
            cJSON_AddNumberToObject(root, "failed", (double)failed) &&
            cJSON_AddItemToObject(root, "mismatches", mism)) {
            mism = NULL;
            ex = cli_print_json(root);
        } else {
            cJSON_Delete(root);
            ex = EXIT_INTERNAL;
        }
    }
    cJSON_Delete(mism);
    scen_free_runs(runs, nsc);
    scen_free_all(scs, nsc);
    if (ex != EXIT_OK)
        return ex;
    return failed ? EXIT_MISMATCH : EXIT_OK;
}
