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
        "usage: toksim check [--format text|json|junit] FILE|DIR...\n\n"
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
        "  --format junit  one test suite per scenario, one test case per step\n\n"
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

typedef struct check_out {
    cli_format fmt;
    cJSON *mism;
    size_t passed, failed;
} check_out;

static int check_one(const toksim_scenario *sc, const toksim_run *run, size_t i, void *p)
{
    (void)i;
    check_out *o = p;
    report rep = {o->fmt, sc, o->mism, false};
    size_t np = 0, nf = 0;
    toksim_status rc = toksim_scenario_check(&np, &nf, run, on_mismatch, &rep);
    if (!rc && rep.failed)
        rc = TOKSIM_ENOMEM;
    if (!rc && o->fmt == FMT_JUNIT) {
        char *xml = NULL;
        rc = toksim_scenario_render_junit(&xml, run, true);
        if (!rc)
            fputs(xml, stdout);
        free(xml);
    }
    if (rc)
        return cli_report(PROG, toksim_scenario_where(sc), NULL, NULL, rc);
    if (o->fmt == FMT_TEXT)
        printf("%-4s %s (%zu of %zu expectations held)\n", nf ? "FAIL" : "ok",
               toksim_scenario_name(sc), np, np + nf);
    o->passed += np;
    o->failed += nf;
    return EXIT_OK;
}

int cmd_check(int argc, char **argv)
{
    scen_args args;
    int ex = scen_args_parse(&args, argc, argv, PROG, false, usage);
    if (ex >= 0)
        return ex;
    check_out o = {args.fmt, NULL, 0, 0};
    /* Two passes, one scenario in memory at a time (memory bounded by the largest file,
     * not by their number): the first replays everything so an error stops the command
     * before any output, the second compares and reports. */
    ex = scen_each(PROG, args.paths, args.npaths, NULL, NULL, NULL);
    if (ex == EXIT_OK && o.fmt == FMT_JUNIT)
        printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"toksim "
               "check\">\n");
    if (ex == EXIT_OK && o.fmt == FMT_JSON && !(o.mism = cJSON_CreateArray()))
        ex = EXIT_INTERNAL;
    if (ex == EXIT_OK)
        ex = scen_each(PROG, args.paths, args.npaths, check_one, &o, NULL);
    scen_args_dispose(&args);
    if (ex == EXIT_OK && o.fmt == FMT_JUNIT)
        printf("</testsuites>\n");
    if (ex == EXIT_OK && o.fmt == FMT_TEXT)
        printf("%zu passed, %zu failed\n", o.passed, o.failed);
    if (ex == EXIT_OK && o.fmt == FMT_JSON) {
        cJSON *root = cJSON_CreateObject();
        if (root && cJSON_AddNumberToObject(root, "passed", (double)o.passed) &&
            cJSON_AddNumberToObject(root, "failed", (double)o.failed) &&
            cJSON_AddItemToObject(root, "mismatches", o.mism)) {
            o.mism = NULL;
            ex = cli_print_json(root);
        } else {
            cJSON_Delete(root);
            ex = EXIT_INTERNAL;
        }
    }
    cJSON_Delete(o.mism);
    if (ex != EXIT_OK)
        return ex;
    return o.failed ? EXIT_MISMATCH : EXIT_OK;
}
