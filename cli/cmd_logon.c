/*
 * PURPOSE: `toksim logon`: the token LogonUser would return for an account of a world,
 * shown as `whoami /all`, WinDbg `!token` (with names) or JSON, with the decision trace
 * on request. Presentation only: the world, policy and logon model are libtoksim's
 * (world.h, policy.h, logon.h).
 */
#include <cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char *const PROG = "toksim logon";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim logon [--world FILE.json] --user NAME [--type TYPE] [--policy "
        "FILE.inf]\n"
        "       toksim logon --world FILE.json --pool POOL | --service NAME [--policy "
        "FILE.inf]\n"
        "                    [--configure] [--os PROFILE] [--elevated] [--password PW]\n"
        "                    [--package negotiate|ntlm|kerberos|s4u]\n"
        "                    [--no-console] [--flag NAME[=on|off]] [--trace]\n"
        "                    [--format whoami|windbg|json]\n\n"
        "Builds the token Windows LogonUser returns for NAME (DOMAIN\\name, "
        "MACHINE\\name, BUILTIN\\...,\n"
        "\"NT AUTHORITY\\NETWORK SERVICE\", a bare name or a SID) and shows it.\n\n"
        "options:\n"
        "  --world FILE      world JSON (docs/world-format.md); default: machine WS01, "
        "no domain\n"
        "  --user NAME       account to log on; \"IIS APPPOOL\\X\" / \"NT SERVICE\\X\" "
        "of a pool or\n"
        "                    service the world declares is the same as --pool X / "
        "--service X\n"
        "  --pool POOL       the w3wp token WAS builds for an application pool the world "
        "declares\n"
        "                    (\"app_pools\": identity, IIS_IUSRS and the pool SID "
        "injected)\n"
        "  --service NAME    the process token the SCM builds for a service the world "
        "declares\n"
        "                    (\"services\": account, SERVICE, service SID per SID type, "
        "required\n"
        "                    privileges)\n"
        "  --type TYPE       interactive, network, batch, service, network-cleartext,\n"
        "                    new-credentials, remote-interactive, cached-interactive, "
        "unlock\n"
        "                    (default: service for SYSTEM, LOCAL/NETWORK SERVICE, NT "
        "SERVICE\\x and\n"
        "                    IIS APPPOOL\\x; interactive for everyone else)\n"
        "  --policy FILE     apply a security template (GptTmpl.inf / secedit export) to "
        "the policy\n"
        "  --configure       apply it as `secedit /configure` does (re-adds "
        "Administrators and\n"
        "                    SERVICE to SeImpersonatePrivilege)\n"
        "  --os PROFILE      OS profile of the default user rights: win10 (default), "
        "win7, server\n"
        "                    (replaces the world's policy before --policy is applied)\n"
        "  --elevated        for an administrator's split token, show the full "
        "(elevated) token\n"
        "  --password PW     check PW against the account's password (wrong -> 1326)\n"
        "  --package P       negotiate (default: NTLM for local accounts, Kerberos for "
        "domain\n"
        "                    accounts), ntlm, kerberos, s4u: decides NTLM "
        "Authentication,\n"
        "                    Authentication authority / Service asserted identity\n"
        "  --no-console      interactive logon not at the console (no CONSOLE LOGON "
        "group)\n"
        "  --flag NAME       switch an UNCONFIRMED rule: network-all-enabled, "
        "newcred-skips-rights,\n"
        "                    system-implicit-rights, localservice-implicit-service,\n"
        "                    uac-deny-admin-like, filter-administrator-token,\n"
        "                    local-account-token-filter, uac-disabled, "
        "no-default-admin-owner,\n"
        "                    modern-groups, networkservice-implicit-service, "
        "local-account-sids,\n"
        "                    service-accounts-service-only\n"
        "                    (NAME=off to clear)\n"
        "  --trace           print the decision trace after the token\n"
        "  --format F        whoami (default, same as text), windbg (!token), json\n"
        "  --help            this text\n\n"
        "exit codes: 0 logon succeeded, 1 LogonUser failed (1326, 1331, 1385, 1808: "
        "printed;\n"
        "            a pool that stays stopped, a service that fails with 1069),\n"
        "            2 bad input or usage, 3 internal error\n");
}

static const struct {
    const char *name;
    uint32_t bit;
} flag_names[] = {
    {"network-all-enabled", TOKSIM_LOGON_NETWORK_ALL_ENABLED},
    {"newcred-skips-rights", TOKSIM_LOGON_NEWCRED_SKIPS_RIGHTS},
    {"system-implicit-rights", TOKSIM_LOGON_SYSTEM_IMPLICIT_RIGHTS},
    {"localservice-implicit-service", TOKSIM_LOGON_LOCALSERVICE_IMPLICIT_SERVICE},
    {"uac-deny-admin-like", TOKSIM_LOGON_UAC_DENY_ADMIN_LIKE},
    {"filter-administrator-token", TOKSIM_LOGON_FILTER_ADMINISTRATOR_TOKEN},
    {"local-account-token-filter", TOKSIM_LOGON_LOCAL_ACCOUNT_TOKEN_FILTER},
    {"uac-disabled", TOKSIM_LOGON_UAC_DISABLED},
    {"no-default-admin-owner", TOKSIM_LOGON_NO_DEFAULT_ADMIN_OWNER},
    {"modern-groups", TOKSIM_LOGON_MODERN_GROUPS},
    {"networkservice-implicit-service", TOKSIM_LOGON_NETWORKSERVICE_IMPLICIT_SERVICE},
    {"local-account-sids", TOKSIM_LOGON_LOCAL_ACCOUNT_SIDS},
    {"service-accounts-service-only", TOKSIM_LOGON_SERVICE_ACCOUNTS_SERVICE_ONLY}};

static bool set_flag(uint32_t *flags, uint32_t *fixed, const char *spec)
{
    const char *eq = strchr(spec, '=');
    size_t n = eq ? (size_t)(eq - spec) : strlen(spec);
    bool on = !eq || strcmp(eq + 1, "on") == 0;
    if (eq && !on && strcmp(eq + 1, "off") != 0)
        return false;
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
        if (strlen(flag_names[i].name) == n &&
            strncmp(flag_names[i].name, spec, n) == 0) {
            *flags = on ? (*flags | flag_names[i].bit) : (*flags & ~flag_names[i].bit);
            *fixed |= flag_names[i].bit; /* wins over the world's "settings" */
            return true;
        }
    return false;
}

static void print_trace(const toksim_trace *t, toksim_world *w)
{
    printf("\nTRACE\n");
    for (size_t i = 0; i < t->count; i++) {
        char line[512];
        toksim_trace_event_text(line, sizeof line, &t->events[i], toksim_world_sid_name,
                                w);
        const toksim_rule_info *ri = toksim_rule_get(t->events[i].rule);
        printf("%*s- [%s] %s\n", 2 * t->events[i].depth, "", ri->id, line);
    }
}

/* The trace as a JSON array of {"rule", "depth", "text"} (NULL when out of memory). */
static cJSON *trace_json(const toksim_trace *t, toksim_world *w)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < t->count; i++) {
        char line[512];
        toksim_trace_event_text(line, sizeof line, &t->events[i], toksim_world_sid_name,
                                w);
        cJSON *ev = cJSON_CreateObject();
        if (!ev || !cJSON_AddItemToArray(arr, ev)) {
            cJSON_Delete(ev);
            cJSON_Delete(arr);
            return NULL;
        }
        if (!cJSON_AddStringToObject(ev, "rule",
                                     toksim_rule_get(t->events[i].rule)->id) ||
            !cJSON_AddNumberToObject(ev, "depth", t->events[i].depth) ||
            !cJSON_AddStringToObject(ev, "text", line)) {
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

/* Print a JSON result (root is consumed), with the trace when asked. */
static int
print_json_result(cJSON *root, bool with_trace, const toksim_trace *t, toksim_world *w)
{
    if (root && with_trace) {
        cJSON *tr = trace_json(t, w);
        if (!tr || !cJSON_AddItemToObject(root, "trace", tr)) {
            cJSON_Delete(tr);
            cJSON_Delete(root);
            root = NULL;
        }
    }
    return cli_print_json(root);
}

/* ---- issue 18: the token of a pool / service the world declares (WAS, the SCM) ---- */

/* What the systems layer answered: a token (borrowed or owned) or a failure. */
typedef struct declared_outcome {
    const toksim_token *token; /* NULL when it did not start */
    toksim_token *owned;       /* the service token (freed by the caller) */
    toksim_iis_pool *pool;     /* the started pool (owns its token) */
    uint32_t win32,
        ntstatus;         /* failure: 1069 for a service, the logon error for a pool */
    uint32_t logon_win32; /* the logon error behind it */
    const char *what;     /* "application pool" / "service" */
} declared_outcome;

/* The pool or service `user` names when it is "IIS APPPOOL\X" / "NT SERVICE\X" of a
 * declaration; sets *pool / *service. */
static bool has_prefix(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
            return false;
    return true;
}

static void declared_principal(const toksim_world *w,
                               const char *user,
                               const char **pool,
                               const char **service)
{
    if (!user)
        return;
    if (has_prefix(user, "IIS APPPOOL\\") && toksim_world_find_pool(w, user))
        *pool = user;
    else if (has_prefix(user, "NT SERVICE\\") && toksim_world_find_service(w, user))
        *service = user;
}

static toksim_status start_declared(declared_outcome *o,
                                    toksim_world *w,
                                    const char *pool,
                                    const char *service,
                                    toksim_trace *trace,
                                    toksim_error *err)
{
    memset(o, 0, sizeof *o);
    toksim_status rc;
    if (pool) {
        toksim_iis_pool_result res;
        o->what = "application pool";
        rc = toksim_iis_pool_start_declared(&o->pool, &res, w, pool, trace, err);
        if (rc == TOKSIM_OK) {
            o->token = toksim_iis_pool_token(o->pool);
            o->win32 = o->logon_win32 = res.logon_win32;
            o->ntstatus = res.logon_ntstatus;
        }
        return rc;
    }
    toksim_service_result res;
    o->what = "service";
    rc = toksim_service_start_declared(&res, &o->owned, w, service, trace, err);
    if (rc == TOKSIM_OK) {
        o->token = o->owned;
        o->win32 = res.win32;
        o->logon_win32 = res.logon_win32;
        o->ntstatus = res.logon_ntstatus;
    }
    return rc;
}

int cmd_logon(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    const char *name, *val;
    const char *world_path = NULL, *user = NULL, *type_name = NULL, *policy_path = NULL,
               *os = NULL;
    const char *format = "whoami";
    const char *pool = NULL, *service = NULL; /* issue 18: declared in the world */
    bool logon_opts = false; /* an option WAS and the SCM decide themselves was given */
    bool configure = false, show_trace = false;
    toksim_logon_options opt;
    toksim_logon_options_init(&opt);
    int r;
    while ((r = cli_opts_next(
                &o, "world,user,type,policy,os,format,password,flag,package,pool,service",
                &name, &val)) >= 0) {
        if (r == 0)
            return cli_usage_error(PROG, "unexpected argument '%s'", val);
        if (cli_is_help(name)) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(name, "world") == 0) {
            world_path = val;
        } else if (strcmp(name, "user") == 0) {
            user = val;
        } else if (strcmp(name, "pool") == 0) {
            pool = val;
        } else if (strcmp(name, "service") == 0) {
            service = val;
        } else if (strcmp(name, "type") == 0) {
            type_name = val;
        } else if (strcmp(name, "policy") == 0) {
            policy_path = val;
        } else if (strcmp(name, "os") == 0) {
            os = val;
        } else if (strcmp(name, "format") == 0) {
            format = val;
        } else if (strcmp(name, "password") == 0) {
            opt.password = val;
        } else if (strcmp(name, "package") == 0) {
            if (toksim_auth_package_parse(&opt.package, val) != TOKSIM_OK)
                return cli_usage_error(
                    PROG,
                    "--package: unknown package '%s' (negotiate, ntlm, kerberos, s4u)",
                    val);
        } else if (strcmp(name, "flag") == 0) {
            if (!set_flag(&opt.flags, &opt.flags_fixed, val))
                return cli_usage_error(PROG, "unknown --flag '%s'", val);
        } else if (strcmp(name, "configure") == 0) {
            configure = true;
        } else if (strcmp(name, "elevated") == 0) {
            opt.elevated = true;
        } else if (strcmp(name, "no-console") == 0) {
            opt.console = false;
        } else if (strcmp(name, "trace") == 0) {
            show_trace = true;
        } else {
            return cli_usage_error(PROG, "unknown option --%s", name);
        }
    }
    if (r == -2)
        return EXIT_USAGE;
    logon_opts = type_name || opt.password || opt.package != TOKSIM_AUTH_DEFAULT ||
                 opt.flags_fixed || opt.elevated || !opt.console;
    if (!!user + !!pool + !!service > 1)
        return cli_usage_error(PROG, "give one of --user, --pool and --service");
    if (!user && !pool && !service)
        return cli_usage_error(PROG, "--user NAME (or --pool / --service) is required");
    if ((pool || service) && logon_opts)
        return cli_usage_error(PROG,
                               "--%s: WAS and the SCM choose the logon themselves "
                               "(--type, --password, --package, --flag, --elevated and "
                               "--no-console do not apply)",
                               pool ? "pool" : "service");
    if (strcmp(format, "whoami") && strcmp(format, "text") && strcmp(format, "windbg") &&
        strcmp(format, "json"))
        return cli_usage_error(
            PROG, "unknown format '%s' (expected whoami, windbg or json)", format);
    toksim_logon_type type = TOKSIM_LOGON_INTERACTIVE;
    if (type_name && toksim_logon_type_parse(&type, type_name) != TOKSIM_OK)
        return cli_usage_error(PROG, "--type: unknown logon type '%s'", type_name);
    toksim_world *w = NULL;
    toksim_error err = {0};
    toksim_status rc = world_path ? cli_world_load(&w, world_path, &err)
                                  : toksim_world_new(&w, "WS01", NULL, os, &err);
    if (rc != TOKSIM_OK)
        return cli_report(PROG,
                          err.where[0] ? err.where : (world_path ? world_path : "--os"),
                          NULL, &err, rc);
    if (os && world_path &&
        (rc = toksim_world_set_os_profile(w, os, &err)) != TOKSIM_OK) {
        toksim_world_free(w);
        return cli_report(PROG, "--os", NULL, &err, rc);
    }
    int ex = policy_path ? cli_apply_policy(PROG, w, policy_path, configure) : EXIT_OK;
    if (ex == EXIT_OK && !logon_opts)
        declared_principal(w, user, &pool, &service);
    toksim_sid sid;
    toksim_trace trace;
    toksim_trace_init(&trace);
    toksim_logon_result res = {0};
    declared_outcome dec = {0};
    if (ex == EXIT_OK && (pool || service)) {
        if ((rc = start_declared(&dec, w, pool, service, &trace, &err)) != TOKSIM_OK)
            ex = cli_report(PROG, pool ? "--pool" : "--service", NULL, &err, rc);
        res.success = dec.token != NULL;
        res.win32_error = dec.win32;
        res.ntstatus = dec.ntstatus;
    } else {
        if (ex == EXIT_OK &&
            (rc = toksim_world_resolve(w, user, &sid, &err)) != TOKSIM_OK)
            ex = cli_report(PROG, "--user", NULL, &err, rc);
        if (ex == EXIT_OK && !type_name)
            type = toksim_logon_default_type(&sid);
        if (ex == EXIT_OK && (rc = toksim_logon_user_sid(&res, w, &sid, type, &opt,
                                                         &trace, &err)) != TOKSIM_OK)
            ex = cli_report(PROG, "--user", NULL, &err, rc);
        dec.token = res.token;
    }
    if (ex == EXIT_OK && !res.success) {
        const char *sym = toksim_win32_name(res.win32_error);
        const toksim_code_info *ci = toksim_code_by_win32(res.win32_error);
        /* A service's 1069 has a logon error behind it (the SCM's event 7038/7000). */
        bool behind = dec.logon_win32 && dec.logon_win32 != res.win32_error;
        const char *lsym = behind ? toksim_win32_name(dec.logon_win32) : NULL;
        if (strcmp(format, "json") == 0) {
            cJSON *jo = cJSON_CreateObject();
            char nt[16];
            snprintf(nt, sizeof nt, "0x%08X", (unsigned)res.ntstatus);
            if (jo && !(cJSON_AddBoolToObject(jo, "success", 0) &&
                        cJSON_AddNumberToObject(jo, "win32_error", res.win32_error) &&
                        cJSON_AddStringToObject(jo, "error_name", sym ? sym : "") &&
                        cJSON_AddStringToObject(jo, "ntstatus", nt) &&
                        cJSON_AddStringToObject(jo, "message", ci ? ci->message : "") &&
                        (!behind || (cJSON_AddNumberToObject(jo, "logon_win32_error",
                                                             dec.logon_win32) &&
                                     cJSON_AddStringToObject(jo, "logon_error_name",
                                                             lsym ? lsym : ""))))) {
                cJSON_Delete(jo);
                jo = NULL;
            }
            int pe = print_json_result(jo, show_trace, &trace, w);
            ex = pe == EXIT_OK ? EXIT_MISMATCH : pe;
        } else {
            if (dec.what)
                printf("The %s did not start: error %u %s (NTSTATUS 0x%08X): %s\n",
                       dec.what, (unsigned)res.win32_error, sym ? sym : "",
                       (unsigned)res.ntstatus, ci ? ci->message : "");
            else
                printf("LogonUser failed: error %u %s (NTSTATUS 0x%08X): %s\n",
                       (unsigned)res.win32_error, sym ? sym : "", (unsigned)res.ntstatus,
                       ci ? ci->message : "");
            if (behind)
                printf("The logon behind it failed: error %u %s\n",
                       (unsigned)dec.logon_win32, lsym ? lsym : "");
            ex = EXIT_MISMATCH;
        }
    } else if (ex == EXIT_OK) {
        char *text = NULL;
        if (strcmp(format, "windbg") == 0)
            rc = toksim_token_render_windbg(&text, dec.token, w);
        else if (strcmp(format, "json") == 0)
            rc = toksim_token_to_json(&text, dec.token, w);
        else
            rc = toksim_token_render_whoami(&text, dec.token, w);
        if (rc != TOKSIM_OK)
            ex = cli_report(PROG, NULL, NULL, NULL, rc);
        else if (strcmp(format, "json") == 0)
            ex = print_json_result(cJSON_Parse(text), show_trace, &trace, w);
        else
            cli_put_text(text);
        free(text);
    }
    /* JSON carries the trace as a member; the text formats print it after the token */
    if (show_trace && ex != EXIT_USAGE && ex != EXIT_INTERNAL &&
        strcmp(format, "json") != 0)
        print_trace(&trace, w);
    toksim_trace_dispose(&trace);
    toksim_token_free(res.token);
    toksim_token_free(dec.owned);
    toksim_iis_pool_free(dec.pool);
    toksim_world_free(w);
    return ex;
}
