/*
 * PURPOSE: `toksim explain FILE [--step ID]`: replay one scenario and tell its story in
 * plain sentences that name the world's accounts and groups (the decision chain of every
 * step, or of one step), for trainers and for the person debugging a real failure.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "scenario_args.h"

static const char *const PROG = "toksim explain";

static void usage(FILE *out)
{
    fprintf(out,
            "usage: toksim explain FILE [--step ID] [--format text|json]\n"
            "                      [--switch NAME=VALUE]...\n\n"
            "Replay one scenario and tell what happened at each step, and why, in plain\n"
            "sentences naming the accounts and groups involved.\n\n"
            "  --step ID       only the step with this id\n"
            "  --format json   the story as {\"scenario\", \"title\", \"file\", "
            "\"description\",\n"
            "                  \"steps\": [{\"number\", \"id\", \"op\", \"line\", "
            "\"what_happened\",\n"
            "                  \"note\", \"reasons\", \"result\", \"outcome\", "
            "\"findings\"}], \"sources\"}\n"
            "                  (schemas/explain.schema.json)\n"
            "  --switch NAME=VALUE  set a model switch (over the file's \"model\"; "
            "repeatable)\n\n"
            "exit codes: 0 explained, 2 bad input or usage (unknown step), 3 internal "
            "error\n");
}

/* Load FILE, set the --switch values, replay it and print its story. */
static int explain(const char *file,
                   const char *step,
                   cli_format fmt,
                   char *const *switches,
                   size_t nswitches)
{
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    toksim_status rc = cli_scenario_load(&sc, file, &err);
    if (rc)
        return cli_report(PROG, err.where[0] ? err.where : file, NULL, &err, rc);
    int ex = scen_apply_switches(PROG, switches, nswitches, sc);
    if (ex != EXIT_OK) {
        toksim_scenario_free(sc);
        return ex;
    }
    toksim_run *run = NULL;
    rc = toksim_scenario_run(&run, sc, &err);
    if (rc) {
        ex = cli_report(PROG, err.where[0] ? err.where : file, NULL, &err, rc);
        toksim_scenario_free(sc);
        return ex;
    }
    char *text = NULL;
    rc = fmt == FMT_JSON
             ? toksim_scenario_render_story_json(&text, run, step, TOKSIM_RENDER_PRETTY)
             : toksim_scenario_render_story(&text, run, step);
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

int cmd_explain(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    const char *file = NULL, *step = NULL;
    cli_format fmt = FMT_TEXT;
    const char *name, *val;
    int r = 0;
    char **switches = calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof *switches);
    size_t nswitches = 0;
    if (!switches)
        return EXIT_INTERNAL;
    int ex = -1;
    while (ex < 0 && (r = cli_opts_next(&o, "step,format,switch", &name, &val)) >= 0) {
        if (r == 0) {
            if (file)
                ex = cli_usage_error(
                    PROG, "expected one scenario FILE, got '%s' and '%s'", file, val);
            file = val;
        } else if (cli_is_help(name)) {
            usage(stdout);
            ex = EXIT_OK;
        } else if (strcmp(name, "step") == 0) {
            step = val;
        } else if (strcmp(name, "format") == 0) {
            if (!cli_parse_format(PROG, val, "", &fmt))
                ex = EXIT_USAGE;
        } else if (strcmp(name, "switch") == 0) {
            ex = scen_switch_arg(PROG, val);
            switches[nswitches++] = (char *)val;
        } else {
            ex = cli_usage_error(PROG, "unknown option --%s", name);
        }
    }
    if (ex < 0 && r == -2)
        ex = EXIT_USAGE;
    if (ex < 0 && !file)
        ex = cli_usage_error(PROG, "expected a scenario FILE");
    if (ex < 0)
        ex = explain(file, step, fmt, switches, nswitches);
    free(switches);
    return ex;
}
