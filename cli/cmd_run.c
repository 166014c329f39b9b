/*
 * PURPOSE: `toksim run FILE|DIR...`: replay scenarios and print each step's outcome as
 * text, JSON or JUnit XML; --explain adds each step's decision chain. Every input is
 * loaded before anything runs, so a broken file stops the command (exit 2) before any
 * output.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char *const PROG = "toksim run";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: toksim run [--format text|json|junit] [--explain] FILE|DIR...\n\n"
            "Replay scenario files (a directory is searched recursively for *.json, "
            "schema.json\n"
            "excepted) and print what Windows would answer at each step.\n\n"
            "  --format text   one line per step and its outcome (default)\n"
            "  --format json   {\"scenario\", \"steps\": [{\"id\", \"op\", \"ok\", "
            "\"error\", \"win32\",\n"
            "                  \"ntstatus\", \"hresult\", \"http\"?, \"wbem\"?, "
            "\"findings\", \"trace\"}]};\n"
            "                  several scenarios: a JSON array of those objects\n"
            "  --format junit  one test case per step, failing when the step failed\n"
            "  --explain       add the decision chain of every step (text)\n\n"
            "exit codes: 0 replayed, 2 bad input or usage, 3 internal error\n"
            "The format of scenario files: docs/scenario-format.md\n");
}

/* Load every scenario named by the arguments; reports errors. Returns an exit code. */
static int load_all(char **paths, size_t npaths, toksim_scenario ***out, size_t *count)
{
    *out = NULL;
    *count = 0;
    toksim_scenario **v = NULL;
    size_t n = 0, cap = 0;
    int ex = EXIT_OK;
    for (size_t a = 0; a < npaths; a++) {
        char **files = NULL;
        size_t nf = 0;
        toksim_error err = {0};
        toksim_status rc = toksim_scenario_find_files(&files, &nf, paths[a], &err);
        if (rc) {
            ex = cli_report(PROG, err.where[0] ? err.where : paths[a], NULL, &err, rc);
            continue;
        }
        for (size_t i = 0; i < nf; i++) {
            toksim_scenario *sc = NULL;
            toksim_error_clear(&err);
            rc = toksim_scenario_load_file(&sc, files[i], &err);
            if (rc) {
                int e =
                    cli_report(PROG, err.where[0] ? err.where : files[i], NULL, &err, rc);
                if (ex != EXIT_INTERNAL)
                    ex = e;
                continue;
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                toksim_scenario **nv = realloc(v, cap * sizeof *nv);
                if (!nv) {
                    toksim_scenario_free(sc);
                    ex = EXIT_INTERNAL;
                    break;
                }
                v = nv;
            }
            v[n++] = sc;
        }
        toksim_scenario_files_free(files, nf);
    }
    *out = v;
    *count = n;
    return ex;
}

int cmd_run(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    cli_format fmt = FMT_TEXT;
    bool explain = false;
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0;
    if (!paths)
        return EXIT_INTERNAL;
    const char *name, *val;
    int r;
    while ((r = cli_opts_next(&o, "format", &name, &val)) >= 0) {
        if (r == 0) {
            paths[npaths++] = (char *)val;
        } else if (strcmp(name, "help") == 0 || strcmp(name, "h") == 0) {
            usage(stdout);
            free(paths);
            return EXIT_OK;
        } else if (strcmp(name, "format") == 0) {
            if (!cli_parse_format(PROG, val, "junit", &fmt)) {
                free(paths);
                return EXIT_USAGE;
            }
        } else if (strcmp(name, "explain") == 0) {
            explain = true;
        } else {
            free(paths);
            return cli_usage_error(PROG, "unknown option --%s", name);
        }
    }
    if (r == -2) {
        free(paths);
        return EXIT_USAGE;
    }
    if (npaths == 0) {
        free(paths);
        return cli_usage_error(PROG, "expected at least one scenario FILE or DIR");
    }
    toksim_scenario **scs;
    size_t nsc;
    int ex = load_all(paths, npaths, &scs, &nsc);
    free(paths);
    toksim_run **runs = calloc(nsc ? nsc : 1, sizeof *runs);
    if (!runs)
        ex = EXIT_INTERNAL;
    for (size_t i = 0; ex == EXIT_OK && i < nsc; i++) {
        toksim_error err = {0};
        toksim_status rc = toksim_scenario_run(&runs[i], scs[i], &err);
        if (rc)
            ex =
                cli_report(PROG, err.where[0] ? err.where : toksim_scenario_where(scs[i]),
                           NULL, &err, rc);
    }
    if (ex == EXIT_OK && fmt == FMT_JUNIT)
        printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"toksim "
               "run\">\n");
    if (ex == EXIT_OK && fmt == FMT_JSON && nsc > 1)
        printf("[\n");
    for (size_t i = 0; ex == EXIT_OK && i < nsc; i++) {
        char *text = NULL;
        toksim_status rc;
        if (fmt == FMT_JSON)
            rc = toksim_scenario_render_json(&text, runs[i], TOKSIM_RENDER_PRETTY);
        else if (fmt == FMT_JUNIT)
            rc = toksim_scenario_render_junit(&text, runs[i], false);
        else
            rc = toksim_scenario_render_text(&text, runs[i],
                                             explain ? TOKSIM_RENDER_EXPLAIN : 0);
        if (rc) {
            ex = cli_report(PROG, toksim_scenario_where(scs[i]), NULL, NULL, rc);
            break;
        }
        if (fmt == FMT_JSON)
            printf("%s%s\n", text, (nsc > 1 && i + 1 < nsc) ? "," : "");
        else
            fputs(text, stdout);
        free(text);
    }
    if (ex == EXIT_OK && fmt == FMT_JSON && nsc > 1)
        printf("]\n");
    if (ex == EXIT_OK && fmt == FMT_JUNIT)
        printf("</testsuites>\n");
    for (size_t i = 0; i < nsc; i++) {
        if (runs)
            toksim_scenario_run_free(runs[i]);
        toksim_scenario_free(scs[i]);
    }
    free(runs);
    free(scs);
    return ex;
}
