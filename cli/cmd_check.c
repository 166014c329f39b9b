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
/* The report kept in memory before the second pass takes over (check_one). */
enum { CHECK_BUFFER_MAX = 1 << 20 };

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim check [--format text|json|junit|tap|sarif] "
        "[--color auto|always|never]\n"
        "                    [--switch NAME=VALUE]... FILE|DIR...\n\n"
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
        "                  NO_COLOR is set), always or never\n"
        "  --switch NAME=VALUE  set a model switch for every scenario (over its "
        "\"model\"\n"
        "                  member): check_session=on, restricted_rule=2 ...; "
        "repeatable\n\n"
        "exit codes: 0 every expectation held, 1 an expectation failed,\n"
        "            2 bad input or usage, 3 internal error\n");
}

typedef struct report {
    cli_format fmt;
    FILE *out; /* where text goes (check_out.out) */
    const toksim_scenario *sc;
    cJSON *mismatches; /* json format: the array being filled */
    bool failed;       /* an allocation failed */
} report;

static void on_mismatch(const toksim_mismatch *m, void *payload)
{
    report *r = payload;
    if (r->fmt == FMT_TEXT) {
        fprintf(r->out, "%s:%d:%d: %s: step \"%s\": %s: expected %s, got %s\n",
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
    bool tap, color;
    FILE *out; /* the per-scenario output: a memory stream, or stdout (second pass) */
    char *buf; /* the memory stream's bytes */
    size_t len;
    bool spill;     /* the memory stream passed CHECK_BUFFER_MAX: a second pass writes */
    bool fn_failed; /* check_one stopped the pass (not a load or run error) */
    toksim_sarif_log *sarif; /* --format sarif: the log being built */
    size_t tap_next;         /* --format tap: the next test point's number */
    cJSON *mism;
    size_t passed, failed;
} check_out;

/* fprintf("%zu") */
static void put_size(FILE *out, size_t v)
{
    char d[24], *p = d + sizeof d;
    *--p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    fputs(p, out);
}

static int check_one(const toksim_scenario *sc, const toksim_run *run, size_t i, void *p)
{
    (void)i;
    check_out *o = p;
    if (o->spill) /* first pass over the cap: replay only, the second pass reports */
        return EXIT_OK;
    report rep = {o->fmt, o->out, sc, o->mism, false};
    size_t np = 0, nf = 0;
    toksim_status rc = toksim_scenario_check(&np, &nf, run, on_mismatch, &rep);
    if (!rc && rep.failed)
        rc = TOKSIM_ENOMEM;
    if (!rc && o->tap) {
        char *pts = NULL;
        rc = toksim_scenario_render_tap(&pts, &o->tap_next, run, true, o->tap_next);
        if (!rc)
            fputs(pts, o->out);
        free(pts);
    }
    if (!rc && o->sarif)
        rc = toksim_sarif_log_add(o->sarif, run, true);
    if (!rc && o->fmt == FMT_JUNIT) {
        char *xml = NULL;
        rc = toksim_scenario_render_junit(&xml, run, true);
        if (!rc)
            fputs(xml, o->out);
        free(xml);
    }
    if (rc) {
        o->fn_failed = true;
        return cli_report(PROG, toksim_scenario_where(sc), NULL, NULL, rc);
    }
    if (o->fmt == FMT_TEXT && !o->tap && !o->sarif) {
        /* "%s%-4s%s " and " (%zu of %zu expectations held)\n" without fprintf (issue 11)
         */
        fputs(o->color ? (nf ? "\033[1;31m" : "\033[32m") : "", o->out);
        fputs(nf ? "FAIL" : "ok  ", o->out);
        fputs(o->color ? "\033[0m " : " ", o->out);
        cli_fput_text(o->out, toksim_scenario_name(sc));
        fputs(" (", o->out);
        put_size(o->out, np);
        fputs(" of ", o->out);
        put_size(o->out, np + nf);
        fputs(" expectations held)\n", o->out);
    }
    o->passed += np;
    o->failed += nf;
    if (o->out != stdout && (fflush(o->out) || o->len > CHECK_BUFFER_MAX))
        o->spill = true;
    return EXIT_OK;
}

/* The state of a reporting pass: the header lines, a fresh mismatch array and SARIF log.
 */
static int check_begin(check_out *o, const scen_args *args)
{
    if (scen_args_format_is(args, "sarif") &&
        toksim_sarif_log_new(&o->sarif) != TOKSIM_OK)
        return EXIT_INTERNAL;
    if (o->fmt == FMT_JUNIT)
        fprintf(o->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "
                        "name=\"toksim check\">\n");
    if (o->tap)
        fprintf(o->out, "TAP version 14\n");
    if (o->fmt == FMT_JSON && !(o->mism = cJSON_CreateArray()))
        return EXIT_INTERNAL;
    return EXIT_OK;
}

static void check_reset(check_out *o)
{
    toksim_sarif_log_free(o->sarif);
    cJSON_Delete(o->mism);
    o->sarif = NULL;
    o->mism = NULL;
    o->tap_next = 1;
    o->passed = o->failed = 0;
}

int cmd_check(int argc, char **argv)
{
    scen_args args;
    int ex = scen_args_parse(&args, argc, argv, PROG, false, "junit,tap,sarif", usage);
    if (ex >= 0)
        return ex;
    check_out o = {args.fmt,   scen_args_format_is(&args, "tap"),
                   args.color, NULL,
                   NULL,       0,
                   false,      false,
                   NULL,       1,
                   NULL,       0,
                   0};
    /* An error stops the command before any output. One pass replays every scenario,
     * one in memory at a time, with its report kept in a memory stream that reaches
     * stdout once all have loaded and run. Should the report pass CHECK_BUFFER_MAX
     * bytes, that pass only replays, and a second pass writes the report straight to
     * stdout (as every run did before issue 11): memory stays bounded by the largest
     * file, not by their number. SARIF keeps only its results; TAP puts its plan at the
     * end, as TAP allows, since the step count is known then. */
    o.out = open_memstream(&o.buf, &o.len);
    ex = o.out ? check_begin(&o, &args) : EXIT_INTERNAL;
    if (ex == EXIT_OK)
        ex = scen_each(PROG, &args, check_one, &o, NULL);
    if (o.out && fclose(o.out))
        o.spill = true;
    o.out = stdout;
    if ((ex == EXIT_OK && !o.spill) || (ex != EXIT_OK && o.fn_failed && !o.spill))
        fwrite(o.buf, 1, o.len, stdout); /* what a direct pass would have written */
    free(o.buf);
    if (ex == EXIT_OK && o.spill) {
        check_reset(&o);
        o.spill = false;
        ex = check_begin(&o, &args);
        if (ex == EXIT_OK)
            ex = scen_each(PROG, &args, check_one, &o, NULL);
    }
    scen_args_dispose(&args);
    if (ex == EXIT_OK && o.fmt == FMT_JUNIT)
        printf("</testsuites>\n");
    if (ex == EXIT_OK && o.tap)
        printf("1..%zu\n", o.tap_next - 1);
    if (ex == EXIT_OK && o.sarif) {
        char *log = NULL;
        toksim_status rc = toksim_sarif_log_finish(o.sarif, &log);
        if (rc)
            ex = cli_report(PROG, NULL, NULL, NULL, rc);
        else
            fputs(log, stdout), putchar('\n');
        free(log);
    }
    toksim_sarif_log_free(o.sarif);
    if (ex == EXIT_OK && o.fmt == FMT_TEXT && !o.tap && !o.sarif)
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
