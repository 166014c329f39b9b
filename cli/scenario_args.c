/*
 * PURPOSE: the command line and the loading shared by `toksim run` and `toksim check`
 * (scenario_args.h). No model logic: it only calls the scenario API.
 */
#include <stdlib.h>
#include <string.h>
#include "scenario_args.h"

/* "NAME=VALUE" of --switch: VALUE true/on 1, false/off 0, or a number (the library
 * judges the name and the range: toksim_scenario_set_switch). */
static bool switch_value(const char *s, int *v)
{
    const char *eq = strchr(s, '=');
    if (!eq || eq == s)
        return false;
    const char *t = eq + 1;
    if (strcmp(t, "true") == 0 || strcmp(t, "on") == 0)
        *v = 1;
    else if (strcmp(t, "false") == 0 || strcmp(t, "off") == 0)
        *v = 0;
    else {
        char *end;
        long n = strtol(t, &end, 10);
        if (!*t || *end || n < 0 || n > 1000)
            return false;
        *v = (int)n;
    }
    return true;
}

/* After an unknown model switch (a "model" member or --switch), whose message holds only
 * the names that fit: every name, from the one table of switches. */
static void hint_switches(const char *prog, const toksim_error *err)
{
    if (!strstr(err->message, "unknown switch"))
        return;
    fprintf(stderr, "%s: the model switches:", prog);
    const toksim_imp_option_info *in;
    for (size_t k = 0; (in = toksim_imp_option_at(k)); k++)
        fprintf(stderr, "%s %s", k ? "," : "", in->name);
    fprintf(stderr, "\n");
}

int scen_switch_arg(const char *prog, const char *val)
{
    int v;
    if (switch_value(val, &v))
        return -1;
    return cli_usage_error(prog,
                           "--switch '%s': expected NAME=VALUE, VALUE true, "
                           "false, on, off or a number",
                           val);
}

int scen_apply_switches(const char *prog,
                        char *const *switches,
                        size_t n,
                        toksim_scenario *sc)
{
    for (size_t i = 0; i < n; i++) {
        char name[80];
        int v = 0;
        snprintf(name, sizeof name, "%.*s", (int)strcspn(switches[i], "="), switches[i]);
        (void)switch_value(switches[i], &v); /* checked by scen_switch_arg */
        toksim_error err = {0};
        toksim_status rc = toksim_scenario_set_switch(sc, name, v, &err);
        if (rc) {
            int ex = cli_report(prog, "--switch", NULL, &err, rc);
            hint_switches(prog, &err);
            return ex;
        }
    }
    return EXIT_OK;
}

int scen_args_parse(scen_args *a,
                    int argc,
                    char **argv,
                    const char *prog,
                    bool allow_explain,
                    const char *formats,
                    void (*usage)(FILE *))
{
    memset(a, 0, sizeof *a);
    a->fmt = FMT_TEXT;
    a->format = "text";
    int color = -1; /* auto */
    cli_opts o;
    cli_opts_init(&o, argc, argv, prog);
    a->paths = calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof *a->paths);
    a->switches = calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof *a->switches);
    if (!a->paths || !a->switches) {
        scen_args_dispose(a);
        return EXIT_INTERNAL;
    }
    const char *name, *val;
    int r, ex = -1;
    while (ex < 0 && (r = cli_opts_next(&o, "format,color,switch", &name, &val)) >= 0) {
        if (r == 0) {
            a->paths[a->npaths++] = (char *)val;
        } else if (cli_is_help(name)) {
            usage(stdout);
            ex = EXIT_OK;
        } else if (strcmp(name, "format") == 0) {
            if (!cli_parse_format(prog, val, formats, &a->fmt))
                ex = EXIT_USAGE;
            a->format = val;
        } else if (strcmp(name, "color") == 0 || strcmp(name, "colour") == 0) {
            if ((color = cli_parse_color(val)) == -2)
                ex = cli_usage_error(prog, "--color '%s': expected auto, always or never",
                                     val);
        } else if (strcmp(name, "switch") == 0) {
            ex = scen_switch_arg(prog, val);
            a->switches[a->nswitches++] = (char *)val;
        } else if (allow_explain && strcmp(name, "explain") == 0) {
            a->explain = true;
        } else {
            ex = cli_usage_error(prog, "unknown option --%s", name);
        }
    }
    if (ex < 0 && r == -2)
        ex = EXIT_USAGE;
    if (ex < 0 && a->npaths == 0)
        ex = cli_usage_error(prog, "expected at least one scenario FILE or DIR");
    if (ex >= 0)
        scen_args_dispose(a);
    else
        a->color = cli_color_wanted(color);
    return ex;
}

void scen_args_dispose(scen_args *a)
{
    free(a->paths);
    free(a->switches);
    a->paths = NULL;
    a->switches = NULL;
    a->npaths = a->nswitches = 0;
}

int scen_each(const char *prog,
              const scen_args *args,
              scen_each_fn fn,
              void *payload,
              size_t *count)
{
    char *const *paths = args->paths;
    size_t n = 0;
    int ex = EXIT_OK;
    for (size_t a = 0; a < args->npaths && ex == EXIT_OK; a++) {
        char **files = NULL;
        size_t nf = 0;
        toksim_error err = {0};
        toksim_status rc =
            strcmp(paths[a], "-") == 0 /* standard input */
                ? ((files = calloc(1, sizeof *files)) && (files[0] = strdup("-"))
                       ? (nf = 1, TOKSIM_OK)
                       : TOKSIM_ENOMEM)
                : toksim_scenario_find_files(&files, &nf, paths[a], &err);
        if (rc)
            ex = cli_report(prog, err.where[0] ? err.where : paths[a], NULL, &err, rc);
        for (size_t i = 0; i < nf && ex == EXIT_OK; i++) {
            toksim_scenario *sc = NULL;
            toksim_run *run = NULL;
            toksim_error_clear(&err);
            rc = cli_scenario_load(&sc, files[i], &err);
            if (!rc && (ex = scen_apply_switches(prog, args->switches, args->nswitches,
                                                 sc)) != EXIT_OK) {
                toksim_scenario_free(sc);
                break;
            }
            if (!rc)
                rc = toksim_scenario_run(&run, sc, &err);
            if (rc) {
                ex = cli_report(prog,
                                err.where[0] ? err.where
                                : sc         ? toksim_scenario_where(sc)
                                             : files[i],
                                NULL, &err, rc);
                hint_switches(prog, &err);
            } else if (fn)
                ex = fn(sc, run, n, payload);
            n++;
            toksim_scenario_run_free(run);
            toksim_scenario_free(sc);
        }
        toksim_scenario_files_free(files, nf);
    }
    if (count)
        *count = n;
    return ex;
}

bool scen_args_format_is(const scen_args *a, const char *s)
{
    return strcmp(a->format, s) == 0;
}

int scen_load_all(const char *prog,
                  char *const *paths,
                  size_t npaths,
                  toksim_scenario ***out,
                  size_t *count)
{
    *out = NULL;
    *count = 0;
    toksim_scenario **v = NULL;
    size_t n = 0, cap = 0;
    int ex = EXIT_OK;
    for (size_t a = 0; a < npaths && ex != EXIT_INTERNAL; a++) {
        char **files = NULL;
        size_t nf = 0;
        toksim_error err = {0};
        toksim_status rc = toksim_scenario_find_files(&files, &nf, paths[a], &err);
        if (rc) {
            ex = cli_report(prog, err.where[0] ? err.where : paths[a], NULL, &err, rc);
            continue;
        }
        for (size_t i = 0; i < nf && ex != EXIT_INTERNAL; i++) {
            toksim_scenario *sc = NULL;
            toksim_error_clear(&err);
            rc = toksim_scenario_load_file(&sc, files[i], &err);
            if (rc) {
                ex =
                    cli_report(prog, err.where[0] ? err.where : files[i], NULL, &err, rc);
                continue;
            }
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                toksim_scenario **nv = realloc(v, ncap * sizeof *nv);
                if (!nv) {
                    toksim_scenario_free(sc);
                    ex = EXIT_INTERNAL;
                    break;
                }
                v = nv;
                cap = ncap;
            }
            v[n++] = sc;
        }
        toksim_scenario_files_free(files, nf);
    }
    *out = v;
    *count = n;
    return ex;
}

void scen_free_all(toksim_scenario **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        toksim_scenario_free(v[i]);
    free(v);
}
