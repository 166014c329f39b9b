/*
 * PURPOSE: `toksim sid`: name a SID, resolve an SDDL alias or a well-known account name,
 * compute service / app-pool / restricted-service SIDs, list the well-known table.
 * Presentation only: the table, resolution and hashing are libtoksim's (sid.h).
 */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char *const PROG = "toksim sid";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim sid [options] <SID|alias|name>...\n"
        "       toksim sid --service NAME | --apppool NAME | --restricted-service NAME\n"
        "       toksim sid --list\n\n"
        "Names a SID (S-1-5-32-568), resolves an SDDL alias (IS, BA, DA ...) or a "
        "well-known\n"
        "account name (\"NT AUTHORITY\\SERVICE\", IIS_IUSRS, \"NT "
        "SERVICE\\TrustedInstaller\",\n"
        "\"IIS APPPOOL\\DefaultAppPool\"), and computes virtual-account SIDs as Windows "
        "does.\n\n"
        "options:\n"
        "  --service NAME             SID of NT SERVICE\\NAME (S-1-5-80-..., name "
        "upper-cased)\n"
        "  --apppool NAME             SID of IIS APPPOOL\\NAME (S-1-5-82-..., name "
        "lower-cased)\n"
        "  --restricted-service NAME  SID of RESTRICTED SERVICES\\NAME (S-1-5-99-...)\n"
        "  --domain SID               domain SID for relative aliases and names (DA, DU, "
        "RS ...)\n"
        "  --machine SID              machine SID for LA, LG, Administrator, Guest\n"
        "                             (default the simulated "
        "machine " TOKSIM_DEFAULT_MACHINE_SID ")\n"
        "  --list                     print the table of well-known SIDs\n"
        "  --format text|json         output format (default text)\n"
        "  --help                     this text\n\n"
        "exit codes: 0 ok, 2 bad input (unknown alias/name, malformed SID), 3 internal "
        "error\n");
}

typedef struct {
    const char *input;
    toksim_sid sid;
    char name[512];
    const char *alias;
    const char *kind;
    char hint[256]; /* a relative account this SID would be, given the right context */
} sid_view;

/* Kind label of a table row, as whoami /groups words its Type column where it can. */
static const char *row_kind(const toksim_wellknown *w)
{
    if (w->flags & TOKSIM_WK_INTEGRITY)
        return "label (mandatory integrity level)";
    if (w->flags & TOKSIM_WK_DOMAIN)
        return "domain (SidTypeDomain)";
    if (w->flags & TOKSIM_WK_ALIAS)
        return "alias (BUILTIN local group)";
    if (w->flags & TOKSIM_WK_DOMAIN_RELATIVE)
        return "group (relative to the domain SID)";
    if (w->flags & TOKSIM_WK_MACHINE_RELATIVE)
        return "user (relative to the machine SID)";
    if (w->flags & TOKSIM_WK_USER)
        return "well-known user";
    if (w->flags & TOKSIM_WK_GROUP)
        return "well-known group";
    return "well-known SID (placeholder, never in a token)";
}

/* A virtual-account family recognised by its shape S-1-5-{80,82,99}-a-b-c-d-e. */
static const char *virtual_domain(const toksim_sid *s)
{
    if (toksim_sid_authority(s) != 5 || s->count != 6)
        return NULL;
    switch (s->sub[0]) {
    case TOKSIM_VIRTUAL_SERVICE:
        return "NT SERVICE";
    case TOKSIM_VIRTUAL_APPPOOL:
        return "IIS APPPOOL";
    case TOKSIM_VIRTUAL_RESTRICTED_SERVICE:
        return "RESTRICTED SERVICES";
    default:
        return NULL;
    }
}

static void describe(sid_view *v,
                     const toksim_sid_context *ctx,
                     const char *vdomain,
                     const char *vname)
{
    const toksim_wellknown *w = toksim_wellknown_by_sid(&v->sid, ctx);
    v->alias = w ? w->alias : NULL;
    toksim_sid_display_name(v->name, sizeof v->name, &v->sid, ctx);
    if (w) {
        v->kind = row_kind(w);
        return;
    }
    const char *vd = virtual_domain(&v->sid);
    if (vd) {
        v->kind = "virtual account (SHA-1 of the name; the name cannot be recovered from "
                  "the SID)";
        if (vdomain && vname)
            snprintf(v->name, sizeof v->name, "%s\\%s", vdomain, vname);
        else if (v->input && strchr(v->input, '\\'))
            snprintf(v->name, sizeof v->name, "%s", v->input);
        else
            snprintf(v->name, sizeof v->name, "%s\\?", vd);
        return;
    }
    if (toksim_sid_authority(&v->sid) == 5 && v->sid.count == 3 && v->sid.sub[0] == 5) {
        v->kind = "logon SID (one per logon session)";
        return;
    }
    v->kind = "not a well-known SID";
    /* S-1-5-21-a-b-c-RID whose RID is a relative row: say which one it would be, and how
     * to confirm. */
    if (toksim_sid_authority(&v->sid) == 5 && v->sid.count == 5 && v->sid.sub[0] == 21) {
        uint32_t rid = toksim_sid_rid(&v->sid);
        for (size_t i = 0; i < toksim_wellknown_count(); i++) {
            const toksim_wellknown *row = toksim_wellknown_at(i);
            if (row->rid != rid)
                continue;
            bool machine = (row->flags & TOKSIM_WK_MACHINE_RELATIVE) != 0;
            snprintf(
                v->hint, sizeof v->hint,
                "RID %u is '%s' when S-1-5-21-%u-%u-%u is the %s SID (confirm with --%s)",
                (unsigned)rid, row->name, v->sid.sub[1], v->sid.sub[2], v->sid.sub[3],
                machine ? "machine" : "domain", machine ? "machine" : "domain");
            break;
        }
    }
}

static cJSON *view_json(const sid_view *v)
{
    char buf[TOKSIM_SID_STRING_MAX];
    toksim_sid_format(buf, sizeof buf, &v->sid);
    cJSON *o = cJSON_CreateObject();
    if (v->input)
        cJSON_AddStringToObject(o, "input", v->input);
    cJSON_AddStringToObject(o, "sid", buf);
    cJSON_AddStringToObject(o, "name", v->name);
    if (v->alias)
        cJSON_AddStringToObject(o, "alias", v->alias);
    else
        cJSON_AddNullToObject(o, "alias");
    cJSON_AddStringToObject(o, "kind", v->kind);
    if (v->hint[0])
        cJSON_AddStringToObject(o, "hint", v->hint);
    return o;
}

static void view_text(const sid_view *v, bool first)
{
    char buf[TOKSIM_SID_STRING_MAX];
    toksim_sid_format(buf, sizeof buf, &v->sid);
    if (!first)
        printf("\n");
    printf("SID:   %s\n", buf);
    printf("Name:  %s\n", v->name);
    printf("Alias: %s\n", v->alias ? v->alias : "(none)");
    printf("Kind:  %s\n", v->kind);
    if (v->hint[0])
        printf("Hint:  %s\n", v->hint);
}

static int list_table(cli_format fmt)
{
    cJSON *arr = fmt == FMT_JSON ? cJSON_CreateArray() : NULL;
    if (!arr)
        printf("%-28s %-5s %-44s %s\n", "SID", "ALIAS", "NAME", "KIND");
    for (size_t i = 0; i < toksim_wellknown_count(); i++) {
        const toksim_wellknown *w = toksim_wellknown_at(i);
        char sid[64], name[256];
        if (w->flags & TOKSIM_WK_DOMAIN_RELATIVE)
            snprintf(sid, sizeof sid, "<domain>%s", w->sid);
        else if (w->flags & TOKSIM_WK_MACHINE_RELATIVE)
            snprintf(sid, sizeof sid, "<machine>%s", w->sid);
        else
            snprintf(sid, sizeof sid, "%s", w->sid);
        snprintf(name, sizeof name, "%s%s%s", w->domain,
                 w->domain[0] && w->name[0] ? "\\" : "",
                 w->name[0] ? w->name : "(no name)");
        if (arr) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "sid", sid);
            if (w->alias)
                cJSON_AddStringToObject(o, "alias", w->alias);
            else
                cJSON_AddNullToObject(o, "alias");
            cJSON_AddStringToObject(o, "name", name);
            cJSON_AddStringToObject(o, "kind", row_kind(w));
            cJSON_AddItemToArray(arr, o);
        } else {
            printf("%-28s %-5s %-44s %s\n", sid, w->alias ? w->alias : "-", name,
                   row_kind(w));
        }
    }
    return arr ? cli_print_json(arr) : EXIT_OK;
}

int cmd_sid(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    const char *name, *val;
    int r;
    cli_format fmt = FMT_TEXT;
    bool list = false;
    const char *dom_text = NULL, *mach_text = NULL;
    /* Inputs in command-line order: kind 0 = resolve, else a toksim_virtual_kind. */
    struct {
        int kind;
        const char *text;
        int argn; /* position on the command line, for messages */
    } in[64];
    size_t n = 0;
    while (
        (r = cli_opts_next(&o, "format,service,apppool,restricted-service,domain,machine",
                           &name, &val)) >= 0) {
        int vk = 0;
        if (r == 0) {
            vk = 0;
        } else if (cli_is_help(name)) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(name, "format") == 0) {
            if (!cli_parse_format(PROG, val, "", &fmt))
                return EXIT_USAGE;
            continue;
        } else if (strcmp(name, "list") == 0) {
            list = true;
            continue;
        } else if (strcmp(name, "domain") == 0) {
            dom_text = val;
            continue;
        } else if (strcmp(name, "machine") == 0) {
            mach_text = val;
            continue;
        } else if (strcmp(name, "service") == 0) {
            vk = TOKSIM_VIRTUAL_SERVICE;
        } else if (strcmp(name, "apppool") == 0) {
            vk = TOKSIM_VIRTUAL_APPPOOL;
        } else if (strcmp(name, "restricted-service") == 0) {
            vk = TOKSIM_VIRTUAL_RESTRICTED_SERVICE;
        } else {
            return cli_usage_error(PROG, "unknown option --%s", name);
        }
        if (n == sizeof in / sizeof in[0])
            return cli_usage_error(PROG, "too many inputs (at most %zu)",
                                   sizeof in / sizeof in[0]);
        in[n].kind = vk;
        in[n].text = val;
        in[n].argn = o.i - 1;
        n++;
    }
    if (r == -2)
        return EXIT_USAGE;
    if (list) {
        if (n)
            return cli_usage_error(PROG, "--list takes no other input");
        return list_table(fmt);
    }
    if (n == 0)
        return cli_usage_error(PROG, "expected a SID, an SDDL alias or an account name");

    cli_sid_context sc;
    if ((r = cli_sid_context_parse(PROG, dom_text, mach_text, &sc)) != EXIT_OK)
        return r;
    cli_sid_context_default_machine(&sc);
    const toksim_sid_context ctx = sc.ctx;
    toksim_error err = {0};
    toksim_status rc;

    /* Resolve every input before printing anything: a bad one fails the command with no
     * partial output. */
    sid_view *views = calloc(n, sizeof *views);
    if (!views)
        return EXIT_INTERNAL;
    for (size_t i = 0; i < n; i++) {
        sid_view *v = &views[i];
        v->input = in[i].text;
        const char *vdomain = NULL;
        toksim_error_clear(&err);
        if (in[i].kind) {
            rc = toksim_sid_virtual(&v->sid, (toksim_virtual_kind)in[i].kind, in[i].text,
                                    &err);
            vdomain = virtual_domain(&v->sid);
        } else {
            rc = toksim_sid_resolve(&v->sid, in[i].text, &ctx, &err);
        }
        if (rc != TOKSIM_OK) {
            free(views);
            char where[64];
            snprintf(where, sizeof where, "%s %d",
                     in[i].kind == TOKSIM_VIRTUAL_SERVICE   ? "--service at argument"
                     : in[i].kind == TOKSIM_VIRTUAL_APPPOOL ? "--apppool at argument"
                     : in[i].kind ? "--restricted-service at argument"
                                  : "argument",
                     in[i].argn);
            return cli_report(PROG, where, in[i].text, &err, rc);
        }
        describe(v, &ctx, vdomain, in[i].kind ? in[i].text : NULL);
    }
    int ret = EXIT_OK;
    if (fmt == FMT_JSON) {
        cJSON *root = n > 1 ? cJSON_CreateArray() : view_json(&views[0]);
        for (size_t i = 0; n > 1 && root && i < n; i++)
            cJSON_AddItemToArray(root, view_json(&views[i]));
        ret = cli_print_json(root);
    } else {
        for (size_t i = 0; i < n; i++)
            view_text(&views[i], i == 0);
    }
    free(views);
    return ret;
}
