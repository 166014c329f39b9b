/*
 * PURPOSE: `toksim who-can`: who gets an access to an object, a privilege or a logon
 * right in a world, under each logon type they can use (issue 17), the Effective Access
 * tab's answer next to the real ones (--effective), and one answer's full trace
 * (--explain). Parsing only: the query is libtoksim's (toksim/whocan.h), the world comes
 * from the world or scenario loader, the rendering is in whocan_text.c / whocan_json.c.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli.h"
#include "whocan_view.h"

static const char *const PROG = "toksim who-can";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim who-can [--world FILE.json | --scenario FILE.json] [--os "
        "PROFILE]\n"
        "                      [--policy FILE.inf [--configure]]\n"
        "                      (--path PATH | --sddl SDDL [--type TYPE]) --desired MASK\n"
        "                      [--share-sddl SDDL] [--remote]\n"
        "       toksim who-can [world options] --privilege NAME\n"
        "       toksim who-can [world options] --logon-right NAME\n"
        "       toksim who-can [world options] --effective --principal NAME (--path PATH "
        "|\n"
        "                      --sddl SDDL) --desired MASK\n\n"
        "Lists every principal of the world that would be granted the access, hold the\n"
        "privilege or the logon right: each user, computer and managed service account,\n"
        "SYSTEM, LOCAL SERVICE, NETWORK SERVICE, IUSR, ANONYMOUS LOGON and the virtual\n"
        "accounts (NT SERVICE\\x, IIS APPPOOL\\x, through the token their service "
        "manager\n"
        "builds), under each logon type the principal can really use (interactive,\n"
        "remote-interactive, batch, service, network: the logon rights and the account\n"
        "state decide), administrators with their UAC filtered and elevated tokens, "
        "with\n"
        "the granted mask and the decisive ACEs. Deny ACEs, deny-only and restricted "
        "SIDs,\n"
        "owner rights, integrity labels and privileges count: each answer is a real "
        "token\n"
        "put through the access check.\n\n"
        "world:\n"
        "  --world FILE       world JSON (docs/world-format.md); default: machine WS01\n"
        "  --scenario FILE    the world (and objects) of a scenario\n"
        "  --os PROFILE       OS profile of the default user rights: win10, win7, "
        "server\n"
        "  --policy FILE      apply a security template (GptTmpl.inf) to the policy\n"
        "  --configure        apply it as secedit /configure does\n"
        "question:\n"
        "  --path PATH        an object of the scenario's world (\"objects\"); a UNC "
        "path\n"
        "                     or an object on another machine is reached over the "
        "network\n"
        "  --sddl SDDL        the object's security descriptor (aliases resolve in the "
        "world)\n"
        "  --type TYPE        object type with --sddl: file (default), directory, key,\n"
        "                     service, scmanager, process, thread, token, pipe, wmi, "
        "generic\n"
        "  --desired MASK     rights: hex, SDDL aliases (FR, GA) or names joined with "
        "'|'\n"
        "  --share-sddl SDDL  share permissions: access over the share = share and NTFS\n"
        "  --remote           the object is reached over SMB (network logons only)\n"
        "  --privilege NAME   who holds SeXxxPrivilege in which token, enabled or not\n"
        "  --logon-right NAME who holds SeXxxLogonRight (or the Deny variant)\n"
        "filters:\n"
        "  --principal NAME   only this principal\n"
        "  --logon-type TYPE  only this logon type (interactive, remote-interactive, "
        "batch,\n"
        "                     service, network)\n"
        "  --all              also list the answers that are not granted, with why\n"
        "output:\n"
        "  --effective        with --principal: what Windows' Effective Access tab shows "
        "(no\n"
        "                     logon-type SIDs, no share permissions) next to each real\n"
        "                     logon type, and why they differ (docs/who-can.md)\n"
        "  --explain PRINCIPAL[:TYPE[:elevated]]\n"
        "                     the full decision trace of one answer\n"
        "  --format text|json default text\n"
        "  --help             this text\n\n"
        "exit codes: 0 someone is granted (--explain: that answer is granted), 1 "
        "nobody,\n"
        "            2 bad input, 3 internal error\n");
}

typedef struct wc_args {
    const char *world, *scenario, *os, *policy, *path, *sddl, *type, *desired, *share,
        *privilege, *logon_right, *principal, *logon_type, *explain, *format;
    bool configure, remote, all, effective;
} wc_args;

static int parse_args(wc_args *a, int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    const char *name, *val;
    int r;
    memset(a, 0, sizeof *a);
    a->format = "text";
    while (
        (r = cli_opts_next(&o,
                           "world,scenario,os,policy,path,sddl,type,desired,share-sddl,"
                           "privilege,logon-right,principal,logon-type,explain,format",
                           &name, &val)) >= 0) {
        if (r == 0)
            return cli_usage_error(PROG, "unexpected argument '%s'", val);
        static const struct {
            const char *name;
            size_t off;
        } str_opts[] = {
            {"world", offsetof(wc_args, world)},
            {"scenario", offsetof(wc_args, scenario)},
            {"os", offsetof(wc_args, os)},
            {"policy", offsetof(wc_args, policy)},
            {"path", offsetof(wc_args, path)},
            {"sddl", offsetof(wc_args, sddl)},
            {"type", offsetof(wc_args, type)},
            {"desired", offsetof(wc_args, desired)},
            {"share-sddl", offsetof(wc_args, share)},
            {"privilege", offsetof(wc_args, privilege)},
            {"logon-right", offsetof(wc_args, logon_right)},
            {"principal", offsetof(wc_args, principal)},
            {"logon-type", offsetof(wc_args, logon_type)},
            {"explain", offsetof(wc_args, explain)},
            {"format", offsetof(wc_args, format)},
        };
        bool done = false;
        for (size_t i = 0; i < sizeof str_opts / sizeof str_opts[0] && !done; i++)
            if (strcmp(name, str_opts[i].name) == 0) {
                *(const char **)((char *)a + str_opts[i].off) = val;
                done = true;
            }
        if (done)
            continue;
        if (cli_is_help(name)) {
            usage(stdout);
            return -2;
        } else if (strcmp(name, "configure") == 0) {
            a->configure = true;
        } else if (strcmp(name, "remote") == 0) {
            a->remote = true;
        } else if (strcmp(name, "all") == 0) {
            a->all = true;
        } else if (strcmp(name, "effective") == 0) {
            a->effective = true;
        } else {
            return cli_usage_error(PROG, "unknown option --%s", name);
        }
    }
    return r == -2 ? EXIT_USAGE : -1;
}

/* The checks that need no world. */
static int check_args(const wc_args *a, cli_format *fmt)
{
    if (!cli_parse_format(PROG, a->format, "", fmt))
        return EXIT_USAGE;
    int kinds = (a->path || a->sddl) + !!a->privilege + !!a->logon_right;
    if (kinds != 1)
        return cli_usage_error(PROG,
                               "ask one question: --path or --sddl (with --desired), "
                               "--privilege or --logon-right");
    if (a->path && a->sddl)
        return cli_usage_error(PROG, "--path and --sddl both name the object: give one");
    if ((a->path || a->sddl) && !a->desired)
        return cli_usage_error(PROG, "--desired MASK is required with --path / --sddl");
    if (a->world && a->scenario)
        return cli_usage_error(PROG,
                               "--world and --scenario both give the world: give one");
    if (a->path && !a->scenario)
        return cli_usage_error(PROG, "--path names an object of a scenario's world: give "
                                     "--scenario FILE (or --sddl with --type)");
    if (a->effective && (!a->principal || !(a->path || a->sddl)))
        return cli_usage_error(PROG, "--effective needs --principal NAME and an object "
                                     "(--path or --sddl)");
    if (a->configure && !a->policy)
        return cli_usage_error(PROG, "--configure applies --policy FILE: give it");
    return -1;
}

/* The world (and, for --scenario, the scenario kept for its objects). */
static int load_world(const wc_args *a, toksim_world **w, toksim_scenario **sc)
{
    toksim_error err = {0};
    toksim_status rc;
    if (a->scenario) {
        if ((rc = cli_scenario_load(sc, a->scenario, &err)) != TOKSIM_OK)
            return cli_report(PROG, err.where[0] ? err.where : a->scenario, NULL, &err,
                              rc);
        rc = toksim_scenario_world_new(*sc, w, &err);
        if (rc == TOKSIM_EINVAL)
            return cli_usage_error(PROG, "%s: the scenario has no world", a->scenario);
    } else if (a->world) {
        rc = cli_world_load(w, a->world, &err);
    } else {
        rc = toksim_world_new(w, "WS01", NULL, a->os, &err);
    }
    if (rc != TOKSIM_OK)
        return cli_report(PROG, err.where[0] ? err.where : (a->world ? a->world : "--os"),
                          NULL, &err, rc);
    if (a->os && (a->world || a->scenario) &&
        (rc = toksim_world_set_os_profile(*w, a->os, &err)) != TOKSIM_OK)
        return cli_report(PROG, "--os", NULL, &err, rc);
    return a->policy ? cli_apply_policy(PROG, *w, a->policy, a->configure) : EXIT_OK;
}

static int parse_sddl(const char *opt, const char *text, toksim_world *w, toksim_sd **out)
{
    toksim_error err = {0};
    toksim_sid_context ctx = toksim_world_sid_context(w);
    toksim_status rc = toksim_sd_from_sddl(out, text, &ctx, &err);
    return rc == TOKSIM_OK ? EXIT_OK : cli_report(PROG, opt, text, &err, rc);
}

/* The question: fills q (and the descriptors it borrows). */
static int build_query(const wc_args *a,
                       toksim_world *w,
                       const toksim_scenario *sc,
                       toksim_whocan_query *q,
                       toksim_sd **own_sd,
                       toksim_sd **own_share,
                       const char **object,
                       const char **right_name)
{
    memset(q, 0, sizeof *q);
    q->include_denied = a->all;
    if (a->privilege || a->logon_right) {
        const char *n = a->privilege ? a->privilege : a->logon_right;
        const toksim_right_info *ri = toksim_right_by_name(n);
        if (!ri || ri->is_privilege != (a->privilege != NULL))
            return cli_usage_error(PROG,
                                   "--%s: unknown %s '%s' (toksim policy --list shows "
                                   "them)",
                                   a->privilege ? "privilege" : "logon-right",
                                   a->privilege ? "privilege" : "logon right", n);
        q->kind = a->privilege ? TOKSIM_WHOCAN_PRIVILEGE : TOKSIM_WHOCAN_LOGON_RIGHT;
        q->right = ri->right;
        *right_name = ri->name;
        return EXIT_OK;
    }
    q->kind = TOKSIM_WHOCAN_ACCESS;
    q->object_type = TOKSIM_OBJ_FILE;
    if (a->path) {
        size_t i = 0, n = toksim_scenario_object_count(sc);
        const char *p = NULL, *machine = NULL;
        const toksim_sd *sd = NULL;
        for (; i < n; i++) {
            if (toksim_scenario_object_at(sc, i, &p, &q->object_type, &sd, &machine) &&
                strcasecmp(p, a->path) == 0)
                break;
        }
        if (i == n)
            return cli_usage_error(PROG,
                                   "--path: '%s' is not an object of %s (its world "
                                   "declares %zu)",
                                   a->path, a->scenario, n);
        q->sd = sd;
        q->share_sd = toksim_scenario_object_share(sc, i); /* --share-sddl overrides it */
        q->remote = machine != NULL || strncmp(a->path, "\\\\", 2) == 0 || q->share_sd;
        *object = p;
    } else {
        if (a->type && !cli_parse_object_type(PROG, "--type", a->type, &q->object_type))
            return EXIT_USAGE;
        int ex = parse_sddl("--sddl", a->sddl, w, own_sd);
        if (ex != EXIT_OK)
            return ex;
        q->sd = *own_sd;
        *object = "(--sddl)";
    }
    q->remote = q->remote || a->remote || a->share;
    if (a->share) {
        int ex = parse_sddl("--share-sddl", a->share, w, own_share);
        if (ex != EXIT_OK)
            return ex;
        q->share_sd = *own_share;
    }
    toksim_error err = {0};
    toksim_status rc =
        toksim_access_mask_parse(&q->desired, a->desired, q->object_type, &err);
    if (rc != TOKSIM_OK)
        return cli_report(PROG, "--desired", a->desired, &err, rc);
    return EXIT_OK;
}

static int resolve(toksim_world *w, const char *opt, const char *name, toksim_sid *out)
{
    toksim_error err = {0};
    toksim_status rc = toksim_world_resolve(w, name, out, &err);
    return rc == TOKSIM_OK ? EXIT_OK : cli_report(PROG, opt, NULL, &err, rc);
}

/* --explain PRINCIPAL[:TYPE[:elevated]]: the principal may itself hold a colon-free
 * name; the suffixes are taken from the right. */
static int parse_explain(toksim_world *w,
                         const char *spec,
                         toksim_sid *who,
                         toksim_logon_type *type,
                         toksim_whocan_token_kind *tk,
                         bool *has_type,
                         char *name,
                         size_t n)
{
    snprintf(name, n, "%s", spec);
    *tk = TOKSIM_WHOCAN_T_LOGON;
    *has_type = false;
    char *c = strrchr(name, ':');
    if (c && strcmp(c + 1, "elevated") == 0) {
        *tk = TOKSIM_WHOCAN_T_ELEVATED;
        *c = '\0';
        c = strrchr(name, ':');
    }
    if (c && toksim_logon_type_parse(type, c + 1) == TOKSIM_OK) {
        *has_type = true;
        *c = '\0';
    } else if (c && *tk == TOKSIM_WHOCAN_T_ELEVATED) {
        return cli_usage_error(PROG, "--explain: unknown logon type '%s'", c + 1);
    }
    int ex = resolve(w, "--explain", name, who);
    if (ex == EXIT_OK && !*has_type)
        *type = toksim_logon_default_type(who);
    return ex;
}

static int
run(const wc_args *a, toksim_world *w, const toksim_scenario *sc, cli_format fmt)
{
    toksim_whocan_query q;
    toksim_sd *sd = NULL, *share = NULL;
    const char *object = NULL, *right_name = NULL;
    toksim_sid principal;
    toksim_whocan_result *res = NULL;
    toksim_whocan_tab tab;
    toksim_trace *diffs = NULL;
    toksim_trace ex_trace;
    toksim_trace_init(&ex_trace);
    toksim_whocan_answer ex_answer;
    bool ex_found = false;
    char ex_name[512] = "";
    toksim_error err = {0};
    int ex = build_query(a, w, sc, &q, &sd, &share, &object, &right_name);
    if (ex == EXIT_OK && a->principal &&
        (ex = resolve(w, "--principal", a->principal, &principal)) == EXIT_OK)
        q.principal = &principal;
    if (ex == EXIT_OK && a->logon_type) {
        if (toksim_logon_type_parse(&q.logon_type, a->logon_type) != TOKSIM_OK)
            ex = cli_usage_error(PROG, "--logon-type: unknown logon type '%s'",
                                 a->logon_type);
        else if (q.logon_type == TOKSIM_LOGON_NEW_CREDENTIALS)
            ex = cli_usage_error(PROG,
                                 "--logon-type: a new-credentials logon clones the "
                                 "caller's token (no account of its own to ask about)");
        q.has_logon_type = true;
    }
    if (ex == EXIT_OK && a->effective)
        q.include_denied = true; /* every logon type is compared with the tab */
    toksim_status rc = TOKSIM_OK;
    if (ex == EXIT_OK && (rc = toksim_whocan_run(&res, w, &q, &err)) != TOKSIM_OK)
        ex = cli_report(PROG, a->principal ? "--principal" : NULL, NULL, &err, rc);
    size_t n = toksim_whocan_answer_count(res);
    if (ex == EXIT_OK && a->effective) {
        if ((rc = toksim_whocan_tab_run(&tab, w, &q, &principal, NULL, &err)) !=
            TOKSIM_OK)
            ex = cli_report(PROG, NULL, NULL, &err, rc);
        diffs = calloc(n ? n : 1, sizeof *diffs);
        if (!diffs && ex == EXIT_OK)
            ex = EXIT_INTERNAL;
        for (size_t i = 0; ex == EXIT_OK && i < n; i++) {
            toksim_trace_init(&diffs[i]);
            if (toksim_whocan_tab_explain(&tab, toksim_whocan_answer_at(res, i),
                                          &diffs[i]) != TOKSIM_OK)
                ex = EXIT_INTERNAL;
        }
    }
    if (ex == EXIT_OK && a->explain) {
        toksim_sid who;
        toksim_logon_type type;
        toksim_whocan_token_kind tk;
        bool has_type;
        ex = parse_explain(w, a->explain, &who, &type, &tk, &has_type, ex_name,
                           sizeof ex_name);
        if (ex == EXIT_OK &&
            (rc = toksim_whocan_explain(&ex_found, &ex_answer, w, &q, &who, type, tk,
                                        &ex_trace, &err)) != TOKSIM_OK)
            ex = cli_report(PROG, "--explain", NULL, &err, rc);
        if (ex == EXIT_OK && !ex_found)
            ex = cli_usage_error(PROG, "--explain: %s has no %s answer to this question",
                                 a->explain, toksim_logon_type_name(type));
    }
    if (ex == EXIT_OK) {
        wc_view v = {w,          &q,         object,
                     right_name, res,        a->effective,
                     &tab,       diffs,      a->explain != NULL,
                     ex_found,   &ex_answer, &ex_trace,
                     ex_name};
        ex = fmt == FMT_JSON ? whocan_render_json(&v) : whocan_render_text(&v);
        if (ex == EXIT_OK) {
            bool any = false;
            for (size_t i = 0; i < n; i++)
                any = any || toksim_whocan_answer_at(res, i)->granted;
            if (a->explain)
                any = ex_answer.granted;
            ex = any ? EXIT_OK : EXIT_MISMATCH;
        }
    }
    for (size_t i = 0; diffs && i < n; i++)
        toksim_trace_dispose(&diffs[i]);
    free(diffs);
    toksim_trace_dispose(&ex_trace);
    toksim_whocan_result_free(res);
    toksim_sd_free(sd);
    toksim_sd_free(share);
    return ex;
}

int cmd_who_can(int argc, char **argv)
{
    wc_args a;
    int ex = parse_args(&a, argc, argv);
    if (ex == -2)
        return EXIT_OK;
    if (ex != -1)
        return ex;
    cli_format fmt;
    if ((ex = check_args(&a, &fmt)) != -1)
        return ex;
    toksim_world *w = NULL;
    toksim_scenario *sc = NULL;
    ex = load_world(&a, &w, &sc);
    if (ex == EXIT_OK)
        ex = run(&a, w, sc, fmt);
    toksim_world_free(w);
    toksim_scenario_free(sc);
    return ex;
}
