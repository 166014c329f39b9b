/*
 * PURPOSE: `toksim run FILE|DIR...`: replay scenarios and print each step's outcome as
 * text, JSON or JUnit XML; --explain adds each step's decision chain. Every input is
 * loaded and replayed before anything is printed, so a broken file stops the command
 * (exit 2) before any output.
 */
#include <stdlib.h>
#include <string.h>
#include "scenario_args.h"

static const char *const PROG = "toksim run";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim run [--format text|json|junit|dot] [--explain] "
        "[--color auto|always|never]\n"
        "                  [--switch NAME=VALUE]... FILE|DIR...\n\n"
        "Replay scenario files (a directory is searched recursively for *.json, "
        "schema.json\n"
        "excepted) and print what Windows would answer at each step.\n\n"
        "  --format text   one line per step and its outcome (default)\n"
        "  --format json   {\"scenario\", \"title\", \"file\", \"steps\": [{\"id\", "
        "\"op\",\n"
        "                  \"ok\", \"error\", \"win32\", \"ntstatus\", \"hresult\", "
        "\"http\"?,\n"
        "                  \"wbem\"?, \"granted\"?, \"impersonation_level\"?, "
        "\"summary\",\n"
        "                  \"findings\", \"trace\"}]};\n"
        "                  several scenarios: a JSON array of those objects\n"
        "  --format junit  one test case per step, failing when the step failed\n"
        "  --format dot    a Graphviz digraph per scenario (dot -Tsvg): processes,\n"
        "                  threads, tokens, impersonation edges with their levels,\n"
        "                  failed steps in red\n"
        "  --color WHEN    colour the text output: auto (default: on a terminal, unless\n"
        "                  NO_COLOR is set), always or never\n"
        "  --explain       add the decision chain of every step (text format; the JSON\n"
        "                  always carries \"trace\")\n"
        "  --switch NAME=VALUE  set a model switch for every scenario (over its "
        "\"model\"\n"
        "                  member): check_session=on, restricted_rule=2 ...; "
        "repeatable\n\n"
        "exit codes: 0 replayed, even when a step failed on Windows' side (access\n"
        "            denied, a bad impersonation level...: that is a result, shown in\n"
        "            the output; `toksim check` compares results with expectations),\n"
        "            2 bad input or usage, 3 internal error\n"
        "The format of scenario files: docs/scenario-format.md\n");
}

typedef struct run_out {
    cli_format fmt;
    bool dot;
    unsigned text_flags;
    size_t total; /* scenarios in all (from the check pass) */
} run_out;

static int render_one(const toksim_scenario *sc, const toksim_run *run, size_t i, void *p)
{
    const run_out *o = p;
    char *text = NULL;
    toksim_status rc;
    if (o->fmt == FMT_JSON)
        rc = toksim_scenario_render_json(&text, run, TOKSIM_RENDER_PRETTY);
    else if (o->fmt == FMT_JUNIT)
        rc = toksim_scenario_render_junit(&text, run, false);
    else if (o->dot)
        rc = toksim_scenario_render_dot(&text, run);
    else
        rc = toksim_scenario_render_text(&text, run, o->text_flags);
    if (rc)
        return cli_report(PROG, toksim_scenario_where(sc), NULL, NULL, rc);
    if (o->fmt == FMT_JSON)
        printf("%s%s\n", text, (o->total > 1 && i + 1 < o->total) ? "," : "");
    else if (o->fmt == FMT_TEXT && !o->dot)
        cli_put_text(text);
    else
        fputs(text, stdout);
    free(text);
    return EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
    scen_args args;
    int ex = scen_args_parse(&args, argc, argv, PROG, true, "junit,dot", usage);
    if (ex >= 0)
        return ex;
    run_out o = {args.fmt, scen_args_format_is(&args, "dot"),
                 (args.explain ? TOKSIM_RENDER_EXPLAIN : 0) |
                     (args.color ? TOKSIM_RENDER_COLOR : 0),
                 0};
    /* Two passes, one scenario in memory at a time: the first replays everything so an
     * error stops the command before any output (no half-written JSON/JUnit document);
     * the second renders. */
    ex = scen_each(PROG, &args, NULL, NULL, &o.total);
    if (ex == EXIT_OK && o.fmt == FMT_JUNIT)
        printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"toksim "
               "run\">\n");
    if (ex == EXIT_OK && o.fmt == FMT_JSON && o.total > 1)
        printf("[\n");
    if (ex == EXIT_OK)
        ex = scen_each(PROG, &args, render_one, &o, NULL);
    if (ex == EXIT_OK && o.fmt == FMT_JSON && o.total > 1)
        printf("]\n");
    if (ex == EXIT_OK && o.fmt == FMT_JUNIT)
        printf("</testsuites>\n");
    scen_args_dispose(&args);
    return ex;
}
