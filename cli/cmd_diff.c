/*
 * PURPOSE: `toksim diff --policy A.inf --policy B.inf [--os P] [FILE|DIR...]`: the policy
 * what-if (the question Microsoft's Policy Analyzer answers for GPOs, asked of outcomes):
 * the user rights that differ between two security templates, and every scenario step
 * whose outcome differs when replayed under each, with the template line behind it. Text,
 * JSON or SARIF. Exit 0 nothing differs, 1 something does, 2 bad input.
 */
#include <stdlib.h>
#include <string.h>
#include "scenario_args.h"

static const char *const PROG = "toksim diff";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim diff --policy A.inf --policy B.inf [--os PROFILE]\n"
        "                   [--format text|json|sarif] [--color auto|always|never] "
        "[FILE|DIR...]\n\n"
        "Policy what-if: compare two security templates (GptTmpl.inf, secedit /export\n"
        "output). A is the baseline, B the change.\n"
        "  1. the user rights whose holders differ when each template is applied (as "
        "a GPO)\n"
        "     to the OS profile's defaults: who gains, who loses, at which template "
        "line;\n"
        "  2. with scenario files (a directory is searched for *.json): every step "
        "whose\n"
        "     outcome (success, HTTP, Win32/NTSTATUS/HRESULT, WBEM, granted access,\n"
        "     impersonation level) differs when the scenario is replayed with each "
        "template\n"
        "     applied over its world, the first decision that differs, and the "
        "right(s)\n"
        "     and template lines behind it.\n\n"
        "  --policy FILE   a template; give it twice (A, then B)\n"
        "  --os PROFILE    profile for the rights comparison: win10 (default), win7, "
        "server\n"
        "  --format text   the report (default)\n"
        "  --format json   {\"policies\", \"os_profile\", \"changed\", \"scenarios\",\n"
        "                  \"changed_scenarios\", \"rights\": [...], \"steps\": [...]}\n"
        "                  (schemas/diff.schema.json)\n"
        "  --format sarif  SARIF 2.1.0: each change located at the template line "
        "behind it\n"
        "  --color WHEN    auto (default: on a terminal, unless NO_COLOR is set), "
        "always, never\n\n"
        "exit codes: 0 nothing differs, 1 a right or a step differs,\n"
        "            2 bad input or usage, 3 internal error\n");
}

static int read_policy(const char *path, char **data, size_t *len)
{
    *data = cli_read_file(PROG, path, TOKSIM_INF_MAX_BYTES, len);
    return *data ? EXIT_OK : EXIT_USAGE;
}

int cmd_diff(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    const char *pol[2] = {NULL, NULL}, *os = NULL, *format = "text";
    int npol = 0, color = -1, ex = -1;
    char **paths = calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof *paths);
    size_t npaths = 0;
    if (!paths)
        return EXIT_INTERNAL;
    const char *name, *val;
    int r;
    cli_format fmt = FMT_TEXT;
    while (ex < 0 &&
           (r = cli_opts_next(&o, "policy,os,format,color", &name, &val)) >= 0) {
        if (r == 0)
            paths[npaths++] = (char *)val;
        else if (cli_is_help(name)) {
            usage(stdout);
            ex = EXIT_OK;
        } else if (strcmp(name, "policy") == 0) {
            if (npol == 2)
                ex = cli_usage_error(PROG, "--policy given more than twice (A and B)");
            else
                pol[npol++] = val;
        } else if (strcmp(name, "os") == 0) {
            os = val;
        } else if (strcmp(name, "format") == 0) {
            if (!cli_parse_format(PROG, val, "sarif", &fmt))
                ex = EXIT_USAGE;
            format = val;
        } else if (strcmp(name, "color") == 0 || strcmp(name, "colour") == 0) {
            if ((color = cli_parse_color(val)) == -2)
                ex = cli_usage_error(PROG, "--color '%s': expected auto, always or never",
                                     val);
        } else {
            ex = cli_usage_error(PROG, "unknown option --%s", name);
        }
    }
    if (ex < 0 && r == -2)
        ex = EXIT_USAGE;
    if (ex < 0 && npol != 2)
        ex = cli_usage_error(PROG, "expected --policy A.inf --policy B.inf");
    if (ex >= 0) {
        free(paths);
        return ex;
    }
    char *data[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    ex = read_policy(pol[0], &data[0], &len[0]);
    if (ex == EXIT_OK)
        ex = read_policy(pol[1], &data[1], &len[1]);
    toksim_diff *d = NULL;
    toksim_error err = {0};
    if (ex == EXIT_OK) {
        toksim_status rc = toksim_diff_new(&d, data[0], len[0], pol[0], data[1], len[1],
                                           pol[1], os, &err);
        if (rc)
            ex = cli_report(PROG, err.where[0] ? err.where : NULL, NULL, &err, rc);
        for (size_t k = 0; ex == EXIT_OK && k < 2; k++) { /* as `toksim policy` */
            size_t nw = 0;
            const toksim_inf_warning *w = toksim_diff_template_warnings(d, k, &nw);
            char esc[TOKSIM_ERROR_WHERE_SIZE * 4];
            cli_escape(esc, sizeof esc, strcmp(pol[k], "-") == 0 ? "<stdin>" : pol[k]);
            for (size_t i = 0; i < nw; i++)
                cli_warn(PROG, "%s:%d: warning: %s", esc, w[i].line, w[i].message);
        }
        for (size_t k = 0; ex == EXIT_OK && !os && k < 2; k++) /* as `toksim policy` */
            cli_warn_dc_template(PROG, pol[k], toksim_diff_template(d, k),
                                 toksim_diff_os_profile(d));
    }
    toksim_scenario **scs = NULL;
    size_t nsc = 0;
    if (ex == EXIT_OK && npaths)
        ex = scen_load_all(PROG, paths, npaths, &scs, &nsc);
    for (size_t i = 0; ex == EXIT_OK && i < nsc; i++) {
        toksim_error_clear(&err);
        toksim_status rc = toksim_diff_add_scenario(d, scs[i], &err);
        if (rc)
            ex =
                cli_report(PROG, err.where[0] ? err.where : toksim_scenario_where(scs[i]),
                           NULL, &err, rc);
    }
    if (ex == EXIT_OK) {
        char *text = NULL;
        toksim_status rc =
            fmt == FMT_JSON ? toksim_diff_render_json(&text, d, TOKSIM_RENDER_PRETTY)
            : strcmp(format, "sarif") == 0
                ? toksim_diff_render_sarif(&text, d)
                : toksim_diff_render_text(
                      &text, d, cli_color_wanted(color) ? TOKSIM_RENDER_COLOR : 0);
        if (rc)
            ex = cli_report(PROG, NULL, NULL, NULL, rc);
        else
            printf("%s%s", text, fmt == FMT_TEXT ? "" : "\n");
        free(text);
        if (ex == EXIT_OK && toksim_diff_changed(d))
            ex = EXIT_MISMATCH;
    }
    toksim_diff_free(d);
    scen_free_all(scs, nsc);
    free(data[0]);
    free(data[1]);
    free(paths);
    return ex;
}
