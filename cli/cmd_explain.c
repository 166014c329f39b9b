/*
 * PURPOSE: `toksim explain FILE [--step ID]`: replay one scenario and tell its story in
 * plain sentences that name the world's accounts and groups (the decision chain of every
 * step, or of one step), for trainers and for the person debugging a real failure.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char *const PROG = "toksim explain";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: toksim explain FILE [--step ID] [--format text|json]\n\n"
            "Replay one scenario and tell what happened at each step, and why, in plain\n"
            "sentences naming the accounts and groups involved.\n\n"
            "  --step ID       only the step with this id\n"
            "  --format json   the story as {\"scenario\", \"title\", \"file\", "
            "\"description\",\n"
            "                  \"steps\": [{\"number\", \"id\", \"op\", \"line\", "
            "\"what_happened\",\n"
            "                  \"note\", \"reasons\", \"result\", \"outcome\", "
            "\"findings\"}], \"sources\"}\n"
            "                  (schemas/explain.schema.json)\n\n"
            "exit codes: 0 explained, 2 bad input or usage (unknown step), 3 internal "
            "error\n");
}

int cmd_explain(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    const char *file = NULL, *step = NULL;
    cli_format fmt = FMT_TEXT;
    const char *name, *val;
    int r;
    while ((r = cli_opts_next(&o, "step,format", &name, &val)) >= 0) {
        if (r == 0) {
            if (file)
                return cli_usage_error(
                    PROG, "expected one scenario FILE, got '%s' and '%s'", file, val);
            file = val;
        } else if (cli_is_help(name)) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(name, "step") == 0) {
            step = val;
        } else if (strcmp(name, "format") == 0) {
            if (!cli_parse_format(PROG, val, "", &fmt))
                return EXIT_USAGE;
        } else {
            return cli_usage_error(PROG, "unknown option --%s", name);
        }
    }
    if (r == -2)
        return EXIT_USAGE;
    if (!file)
        return cli_usage_error(PROG, "expected a scenario FILE");
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    toksim_status rc = cli_scenario_load(&sc, file, &err);
    if (rc)
        return cli_report(PROG, err.where[0] ? err.where : file, NULL, &err, rc);
    toksim_run *run = NULL;
    rc = toksim_scenario_run(&run, sc, &err);
    if (rc) {
        int ex = cli_report(PROG, err.where[0] ? err.where : file, NULL, &err, rc);
        toksim_scenario_free(sc);
        return ex;
    }
    char *text = NULL;
    rc = fmt == FMT_JSON
             ? toksim_scenario_render_story_json(&text, run, step, TOKSIM_RENDER_PRETTY)
             : toksim_scenario_render_story(&text, run, step);
    int ex = EXIT_OK;
    if (rc == TOKSIM_ENOTFOUND) {
        fprintf(stderr, "%s: %s: no step has the id '%s' (steps:", PROG, file, step);
        for (size_t i = 0; i < toksim_scenario_step_count(sc); i++)
            fprintf(stderr, " %s", toksim_scenario_step_id(sc, i));
        fprintf(stderr, ")\n");
        ex = EXIT_USAGE;
    } else if (rc) {
        ex = cli_report(PROG, file, NULL, NULL, rc);
    } else {
        if (fmt == FMT_JSON) {
            fputs(text, stdout);
            putchar('\n');
        } else {
            cli_put_text(text);
        }
    }
    free(text);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    return ex;
}
