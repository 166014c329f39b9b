/*
 * PURPOSE: `toksim policy`: the effective user rights after a security template
 * (GptTmpl.inf or `secedit /export` output) is applied to an OS profile's defaults (or to
 * a world's policy), shown as text, JSON, or written back as a template. Presentation
 * only: policy.h does the work.
 */
#include <cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char *const PROG = "toksim policy";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim policy [FILE.inf] [--os PROFILE] [--world FILE.json] "
        "[--configure]\n"
        "                     [--format text|json|inf] [--output FILE] "
        "[--unresolved error|warn|skip]\n\n"
        "Applies a security template to the default User Rights Assignment of an OS "
        "profile (or\n"
        "to the policy of a world) and shows the effective rights. A right the "
        "template defines\n"
        "replaces the whole list (GPO semantics); other rights keep the profile's "
        "holders.\n\n"
        "options:\n"
        "  FILE.inf          template: UTF-16LE with BOM (as secedit writes) or "
        "UTF-8; '-' = stdin\n"
        "  --os PROFILE      win10 (default), win7, server; --list-os shows them\n"
        "  --world FILE      resolve account names through this world and start from "
        "its policy\n"
        "  --configure       apply as `secedit /configure` (re-adds Administrators "
        "and SERVICE to\n"
        "                    SeImpersonatePrivilege, as scesrv.log reports)\n"
        "  --format F        text (default), json, inf (UTF-16LE with BOM and CRLF, "
        "as secedit)\n"
        "  --output FILE     write there instead of stdout\n"
        "  --unresolved M    a holder name nothing resolves (a placeholder such as\n"
        "                    'ADD YOUR DOMAIN ADMINS'): error (default), warn (skip it,\n"
        "                    one warning per name with its line) or skip (skip it, list\n"
        "                    the names and their lines, then a count)\n"
        "  --list-os         list the OS profiles and their sources\n"
        "  --help            this text\n\n"
        "exit codes: 0 ok, 2 bad input or usage (the message names file, line and "
        "what was wrong)\n"
        "            or an output that cannot be written, 3 internal error\n");
}

static int list_os(void)
{
    for (size_t i = 0; i < toksim_os_profile_count(); i++) {
        const toksim_os_profile *p = toksim_os_profile_at(i);
        printf("%-8s %s\n         aliases: %s\n         sources: %s\n", p->name,
               p->description, p->aliases, p->sources);
    }
    return EXIT_OK;
}

static char *render_text(const toksim_policy *p,
                         const toksim_policy *tmpl,
                         toksim_world *w,
                         const char *os,
                         const char *file)
{
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
#define EMIT(...)                                                                        \
    do {                                                                                 \
        int k_ = snprintf(out + len, cap - len, __VA_ARGS__);                            \
        if (k_ < 0)                                                                      \
            break;                                                                       \
        while ((size_t)k_ >= cap - len) {                                                \
            char *nb_ = realloc(out, cap * 2);                                           \
            if (!nb_) {                                                                  \
                free(out);                                                               \
                return NULL;                                                             \
            }                                                                            \
            out = nb_;                                                                   \
            cap *= 2;                                                                    \
            k_ = snprintf(out + len, cap - len, __VA_ARGS__);                            \
        }                                                                                \
        len += (size_t)k_;                                                               \
    } while (0)
    EMIT("Effective user rights: OS profile %s%s%s\n", os, file ? " + " : "",
         file ? file : "");
    EMIT("('*' = defined by the template, replacing the profile's list)\n\n");
    for (size_t i = 0; i < toksim_right_count(); i++) {
        const toksim_right_info *r = toksim_right_at(i);
        size_t n = 0;
        const toksim_sid *h = toksim_policy_holders(p, r->right, &n);
        bool from_tmpl = tmpl && toksim_policy_defined(tmpl, r->right);
        EMIT("%c %s (%s)\n", from_tmpl ? '*' : ' ', r->name, r->display);
        if (!n)
            EMIT("      (no one)\n");
        for (size_t k = 0; k < n; k++) {
            char sid[TOKSIM_SID_STRING_MAX], nm[512];
            toksim_sid_format(sid, sizeof sid, &h[k]);
            toksim_world_sid_name(nm, sizeof nm, &h[k], w);
            if (strcmp(sid, nm) == 0)
                EMIT("      %s\n", sid);
            else
                EMIT("      %-40s %s\n", nm, sid);
        }
    }
#undef EMIT
    return out;
}

static char *render_json(const toksim_policy *p,
                         const toksim_policy *tmpl,
                         toksim_world *w,
                         const char *os,
                         const char *file)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *rights = NULL;
    bool ok = o && cJSON_AddStringToObject(o, "os_profile", os) &&
              (!file || cJSON_AddStringToObject(o, "template", file)) &&
              (rights = cJSON_AddObjectToObject(o, "rights"));
    for (size_t i = 0; ok && i < toksim_right_count(); i++) {
        const toksim_right_info *r = toksim_right_at(i);
        size_t n = 0;
        const toksim_sid *h = toksim_policy_holders(p, r->right, &n);
        cJSON *ro = cJSON_AddObjectToObject(rights, r->name), *ha = NULL;
        ok = ro && cJSON_AddBoolToObject(ro, "privilege", r->is_privilege) &&
             cJSON_AddBoolToObject(ro, "from_template",
                                   tmpl && toksim_policy_defined(tmpl, r->right)) &&
             (ha = cJSON_AddArrayToObject(ro, "holders"));
        for (size_t k = 0; ok && k < n; k++) {
            char sid[TOKSIM_SID_STRING_MAX], nm[512];
            toksim_sid_format(sid, sizeof sid, &h[k]);
            toksim_world_sid_name(nm, sizeof nm, &h[k], w);
            cJSON *ho = cJSON_CreateObject();
            if (!ho || !cJSON_AddItemToArray(ha, ho)) {
                cJSON_Delete(ho);
                ok = false;
                break;
            }
            ok = cJSON_AddStringToObject(ho, "sid", sid) &&
                 cJSON_AddStringToObject(ho, "name", nm);
        }
    }
    char *s = ok ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    return s;
}

/* --unresolved warn|skip: each holder the template names but nothing resolves. */
typedef struct skip_report {
    const char *file;
    bool warn; /* warn: one line per name; skip: the names, then a count */
    size_t count;
} skip_report;

static void on_skip(const char *name, const char *right, int line, int col, void *payload)
{
    skip_report *r = payload;
    r->count++;
    if (r->warn) /* a warning (silenced by -q); skip mode's list was asked for */
        cli_warn(PROG, "%s:%d:%d: warning: skipped unresolvable holder '%s' of %s",
                 r->file, line, col, name, right);
    else
        fprintf(stderr,
                "toksim policy: %s:%d:%d: skipped unresolvable holder '%s' of %s\n",
                r->file, line, col, name, right);
}

int cmd_policy(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    const char *name, *val, *file = NULL, *os = NULL, *world_path = NULL,
                            *format = "text", *output = NULL;
    bool configure = false, list = false;
    int r;
    const char *unresolved = "error";
    while ((r = cli_opts_next(&o, "os,world,format,output,unresolved", &name, &val)) >=
           0) {
        if (r == 0) {
            if (file)
                return cli_usage_error(PROG, "only one template file, got '%s' and '%s'",
                                       file, val);
            file = val;
        } else if (cli_is_help(name)) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(name, "list-os") == 0) {
            list = true;
        } else if (strcmp(name, "os") == 0) {
            os = val;
        } else if (strcmp(name, "world") == 0) {
            world_path = val;
        } else if (strcmp(name, "format") == 0) {
            format = val;
        } else if (strcmp(name, "output") == 0) {
            output = val;
        } else if (strcmp(name, "configure") == 0) {
            configure = true;
        } else if (strcmp(name, "unresolved") == 0) {
            if (strcmp(val, "error") && strcmp(val, "warn") && strcmp(val, "skip"))
                return cli_usage_error(
                    PROG, "--unresolved '%s': expected error, warn or skip", val);
            unresolved = val;
        } else {
            return cli_usage_error(PROG, "unknown option --%s", name);
        }
    }
    if (r == -2)
        return EXIT_USAGE;
    if (list) /* after the whole command line is checked: a typo next to it is still
                 reported */
        return list_os();
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "inf"))
        return cli_usage_error(PROG, "unknown format '%s' (expected text, json or inf)",
                               format);
    toksim_world *w = NULL;
    toksim_error err = {0};
    toksim_status rc = world_path ? cli_world_load(&w, world_path, &err)
                                  : toksim_world_new(&w, "WS01", NULL, os, &err);
    if (rc != TOKSIM_OK)
        return cli_report(PROG, err.where[0] ? err.where : "--os", NULL, &err, rc);
    if (world_path && os &&
        (rc = toksim_world_set_os_profile(w, os, &err)) != TOKSIM_OK) {
        toksim_world_free(w);
        return cli_report(PROG, "--os", NULL, &err, rc);
    }
    toksim_policy *tmpl = NULL;
    int ex = EXIT_OK;
    if (file) {
        size_t len = 0;
        char *data = cli_read_file(PROG, file, TOKSIM_INF_MAX_BYTES, &len);
        if (!data) {
            toksim_world_free(w);
            return EXIT_USAGE;
        }
        skip_report sr = {file, strcmp(unresolved, "warn") == 0, 0};
        toksim_inf_options io = {
            strcmp(unresolved, "error") ? TOKSIM_INF_SKIP_UNRESOLVED : 0, on_skip, &sr};
        rc = cli_parse_inf(PROG, &tmpl, data, len, file, w, &io, &err);
        free(data);
        if (rc == TOKSIM_OK && sr.count && !sr.warn)
            fprintf(stderr, "%s: %s: %zu unresolvable holder(s) skipped\n", PROG, file,
                    sr.count);
        if (rc == TOKSIM_OK && !os && !world_path)
            cli_warn_dc_template(PROG, file, tmpl, toksim_world_os_profile(w));
        if (rc != TOKSIM_OK) {
            ex = cli_report(PROG, err.where, NULL, &err, rc);
            if (strstr(err.message, "cannot resolve account"))
                fprintf(stderr,
                        "%s: a placeholder or another domain's account? "
                        "--unresolved warn (or skip) leaves such names out\n",
                        PROG);
        } else if (configure)
            rc = toksim_policy_configure(toksim_world_policy(w), tmpl,
                                         TOKSIM_SECEDIT_READD_IMPERSONATE, NULL);
        else
            rc = toksim_policy_apply(toksim_world_policy(w), tmpl);
        if (ex == EXIT_OK && rc != TOKSIM_OK)
            ex = cli_report(PROG, file, NULL, NULL, rc);
    }
    if (ex == EXIT_OK) {
        const toksim_policy *p = toksim_world_policy(w);
        uint8_t *bytes = NULL;
        size_t nbytes = 0;
        char *text = NULL;
        if (strcmp(format, "inf") == 0) {
            rc = toksim_policy_to_inf(&bytes, &nbytes, p);
        } else {
            text = strcmp(format, "json") == 0
                       ? render_json(p, tmpl, w, toksim_world_os_profile(w), file)
                       : render_text(p, tmpl, w, toksim_world_os_profile(w), file);
            rc = text ? TOKSIM_OK : TOKSIM_ENOMEM;
            bytes = (uint8_t *)text;
            nbytes = text ? strlen(text) : 0;
        }
        FILE *f =
            rc == TOKSIM_OK ? (output ? cli_open_output(PROG, output) : stdout) : NULL;
        if (rc != TOKSIM_OK) {
            ex = cli_report(PROG, NULL, NULL, NULL, rc);
        } else if (!f) {
            ex = EXIT_USAGE; /* reported */
        } else {
            bool wrote = fwrite(bytes, 1, nbytes, f) == nbytes &&
                         (strcmp(format, "json") != 0 || fputc('\n', f) != EOF);
            wrote = (f != stdout ? fclose(f) == 0 : fflush(f) == 0) && wrote;
            if (!wrote) {
                fprintf(stderr, "%s: %s: write failed: %s\n", PROG,
                        output ? output : "stdout", strerror(errno));
                ex = EXIT_USAGE;
            }
        }
        free(bytes);
    }
    toksim_policy_free(tmpl);
    toksim_world_free(w);
    return ex;
}
