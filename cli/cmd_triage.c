/*
 * PURPOSE: `toksim triage`: "SeImpersonatePrivilege is there, so why 1346?" Reads the
 * calling process's token (whoami /all, WinDbg !token, or a scenario step's token), the
 * API that failed, the error seen and what is known of the client token, and prints the
 * possible causes of libtoksim's triage query (triage.h), most likely first. Parsing and
 * printing only.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli.h"
#include "triage_view.h"

static const char *const PROG = "toksim triage";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim triage (--whoami FILE | --windbg FILE | --scenario FILE --step "
        "ID)\n"
        "                     --api API --error CODE [client facts] [--format "
        "text|json]\n\n"
        "Lists the possible causes of an impersonation or token error, most likely "
        "first,\n"
        "each marked confirmed / ruled out / unknown from the calling process's token, "
        "with\n"
        "the model rule that produces the error and how to confirm it.\n\n"
        "the calling process's token (one of):\n"
        "  --whoami FILE        whoami /all output saved in the failing process (- = "
        "stdin)\n"
        "  --windbg FILE        WinDbg !token output of the failing process\n"
        "  --scenario FILE      a scenario, with --step ID (a step id or its 1-based "
        "number):\n"
        "                       the token that step is about\n\n"
        "the failure:\n"
        "  --api API            ImpersonateLoggedOnUser, SetThreadToken,\n"
        "                       ImpersonateNamedPipeClient, RpcImpersonateClient,\n"
        "                       CoImpersonateClient, DuplicateTokenEx, OpenThreadToken,\n"
        "                       CreateProcessAsUser, CreateProcessWithTokenW, "
        "object-open\n"
        "  --error CODE         1346, 0x542, 0x80070542, 0xC00000A5, "
        "ERROR_ACCESS_DENIED ...\n\n"
        "what is known of the client token (each optional; unknown when left out):\n"
        "  --client-level L         Anonymous, Identification, Impersonation, "
        "Delegation\n"
        "  --client-integrity IL    untrusted, low, medium, medium-plus, high, "
        "system, or 0x2000\n"
        "  --client-session N       its terminal-services session id\n"
        "  --client-user same|other the caller's own user or another\n"
        "  --client-logon same|other made by LogonUser in the caller's logon session "
        "or\n"
        "                           elsewhere (an SSPI network logon ...)\n"
        "  --client-elevated yes|no a UAC full (elevated) token\n"
        "  --client-source NAME     its TOKEN_SOURCE (NtLmSsp, Kerberos, Advapi)\n\n"
        "model:\n"
        "  --switch NAME=V      an impersonation-model switch, e.g. check_session=1\n"
        "  --format text|json   output format (default text)\n"
        "  --help               this text\n\n"
        "exit codes: 0 causes listed (or none known), 2 bad input (unknown API, an "
        "error\n"
        "            in no form of the catalog, no token source), 3 internal error\n");
}

typedef struct opts {
    const char *whoami, *windbg, *scenario, *step, *api, *error, *format;
    toksim_triage_request req;
    toksim_imp_options imp;
    bool switched;
} opts;

/* Decimal, 0x-hex, negative decimal (a signed HRESULT) or a catalog name. */
static bool parse_code(const char *s, uint32_t *out)
{
    const toksim_code_info *row = toksim_code_by_name(s);
    if (row) {
        *out = row->value;
        return true;
    }
    const char *p = s;
    bool neg = *p == '-';
    p += neg;
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    if (!*p)
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(p, &end, base);
    if (*end || errno || *p == '-' || *p == '+' ||
        (neg ? v > 0x80000000ull : v > 0xFFFFFFFFull))
        return false;
    *out = neg ? (uint32_t)(0u - (uint32_t)v) : (uint32_t)v;
    return true;
}

static bool parse_integrity(const char *s, uint32_t *rid)
{
    if (toksim_integrity_parse(s, rid))
        return true;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    /* digits only: strtoul would skip spaces and negate "-N" (wrapping to a small RID) */
    if (!isxdigit((unsigned char)*s) || *end || errno || v > 0xFFFFu)
        return false;
    *rid = (uint32_t)v;
    return true;
}

static bool
parse_fact(const char *s, const char *yes, const char *no, toksim_triage_fact *f)
{
    if (strcasecmp(s, yes) == 0)
        *f = TOKSIM_TRIAGE_FACT_YES;
    else if (strcasecmp(s, no) == 0)
        *f = TOKSIM_TRIAGE_FACT_NO;
    else
        return false;
    return true;
}

static int set_switch(opts *o, const char *val)
{
    char name[64];
    const char *eq = strchr(val, '=');
    if (!eq || (size_t)(eq - val) >= sizeof name ||
        (eq[1] != '0' && eq[1] != '1' && eq[1] != '2') || eq[2])
        return cli_usage_error(PROG,
                               "--switch expects NAME=0|1 (restricted_rule 0-2), got "
                               "'%s'",
                               val);
    memcpy(name, val, (size_t)(eq - val));
    name[eq - val] = '\0';
    toksim_error err = {0};
    if (toksim_imp_options_set(&o->imp, name, eq[1] - '0', &err) != TOKSIM_OK)
        return cli_usage_error(PROG, "--switch %s: %s", val, err.message);
    o->switched = true;
    return EXIT_OK;
}

static int client_option(opts *o, const char *name, const char *val)
{
    toksim_triage_client *c = &o->req.client;
    if (strcmp(name, "client-level") == 0) {
        if (toksim_imp_level_parse(&c->level, val) != TOKSIM_OK)
            return cli_usage_error(PROG,
                                   "--client-level: '%s' is no impersonation level "
                                   "(Anonymous, Identification, Impersonation, "
                                   "Delegation)",
                                   val);
        c->has_level = true;
    } else if (strcmp(name, "client-integrity") == 0) {
        if (!parse_integrity(val, &c->integrity))
            return cli_usage_error(PROG,
                                   "--client-integrity: '%s' is no integrity level "
                                   "(low, medium, high, system, or a RID)",
                                   val);
        c->has_integrity = true;
    } else if (strcmp(name, "client-session") == 0) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(val, &end, 10);
        if (!isdigit((unsigned char)*val) || *end || errno || v > 0xFFFFFFFFul)
            return cli_usage_error(PROG, "--client-session: '%s' is no session number",
                                   val);
        c->session = (uint32_t)v;
        c->has_session = true;
    } else if (strcmp(name, "client-user") == 0) {
        if (!parse_fact(val, "same", "other", &c->same_user))
            return cli_usage_error(PROG, "--client-user expects same or other, got '%s'",
                                   val);
    } else if (strcmp(name, "client-logon") == 0) {
        if (!parse_fact(val, "same", "other", &c->own_logon_session))
            return cli_usage_error(PROG, "--client-logon expects same or other, got '%s'",
                                   val);
    } else if (strcmp(name, "client-elevated") == 0) {
        if (!parse_fact(val, "yes", "no", &c->elevated))
            return cli_usage_error(PROG, "--client-elevated expects yes or no, got '%s'",
                                   val);
    } else if (strcmp(name, "client-source") == 0) {
        c->source = val;
    } else {
        return cli_usage_error(PROG, "unknown option --%s", name);
    }
    return EXIT_OK;
}

static int parse_args(opts *o, int argc, char **argv)
{
    cli_opts co;
    cli_opts_init(&co, argc, argv, PROG);
    const char *name, *val;
    int r, x;
    while ((r = cli_opts_next(&co,
                              "whoami,windbg,scenario,step,api,error,format,switch,"
                              "client-level,client-integrity,client-session,client-user,"
                              "client-logon,client-elevated,client-source",
                              &name, &val)) >= 0) {
        if (r == 0)
            return cli_usage_error(PROG,
                                   "unexpected argument '%s' (the token comes from "
                                   "--whoami, --windbg or --scenario)",
                                   val);
        if (cli_is_help(name)) {
            usage(stdout);
            return -1;
        }
        if (strcmp(name, "whoami") == 0)
            o->whoami = val;
        else if (strcmp(name, "windbg") == 0)
            o->windbg = val;
        else if (strcmp(name, "scenario") == 0)
            o->scenario = val;
        else if (strcmp(name, "step") == 0)
            o->step = val;
        else if (strcmp(name, "api") == 0)
            o->api = val;
        else if (strcmp(name, "error") == 0)
            o->error = val;
        else if (strcmp(name, "format") == 0)
            o->format = val;
        else if (strcmp(name, "switch") == 0) {
            if ((x = set_switch(o, val)) != EXIT_OK)
                return x;
        } else if ((x = client_option(o, name, val)) != EXIT_OK)
            return x;
    }
    return r == -2 ? EXIT_USAGE : EXIT_OK;
}

static int check_args(opts *o)
{
    int sources = !!o->whoami + !!o->windbg + !!o->scenario;
    if (sources != 1)
        return cli_usage_error(PROG,
                               "give the calling process's token with exactly one of "
                               "--whoami FILE, --windbg FILE, --scenario FILE --step "
                               "ID");
    if (!o->scenario != !o->step)
        return cli_usage_error(PROG, "--scenario and --step go together");
    if (!o->api)
        return cli_usage_error(PROG, "--api is required (e.g. --api "
                                     "ImpersonateLoggedOnUser)");
    if (toksim_triage_api_parse(&o->req.api, o->api) != TOKSIM_OK)
        return cli_usage_error(
            PROG,
            "--api: unknown API '%s' (ImpersonateLoggedOnUser, SetThreadToken, "
            "ImpersonateNamedPipeClient, RpcImpersonateClient, CoImpersonateClient, "
            "DuplicateTokenEx, OpenThreadToken, CreateProcessAsUser, "
            "CreateProcessWithTokenW, object-open)",
            o->api);
    if (!o->error)
        return cli_usage_error(PROG,
                               "--error is required (e.g. --error 1346 or 0x80070542)");
    if (!parse_code(o->error, &o->req.error))
        return cli_usage_error(PROG,
                               "--error: '%s' is not a number (decimal, 0x-hex) or "
                               "an error name",
                               o->error);
    return EXIT_OK;
}

/* The token of a whoami or !token capture (caller frees). */
static int load_capture(opts *o, toksim_token **tok, char *user, size_t n)
{
    const char *file = o->whoami ? o->whoami : o->windbg;
    toksim_whoami_info info;
    int x =
        cli_load_capture(PROG, file, o->windbg ? CLI_CAPTURE_WINDBG : CLI_CAPTURE_WHOAMI,
                         NULL, tok, &info, NULL);
    if (x != EXIT_OK)
        return x;
    o->req.caller_privileges_known = (info.sections & TOKSIM_WHOAMI_SEC_PRIVS) != 0;
    snprintf(user, n, "%s", info.user_name);
    return EXIT_OK;
}

/* The step a --step names: its id, or its 1-based number. */
static const toksim_step_result *find_step(const toksim_run *run, const char *step)
{
    const toksim_step_result *s = toksim_scenario_run_find(run, step);
    if (s)
        return s;
    char *end;
    unsigned long i = strtoul(step, &end, 10);
    if (isdigit((unsigned char)*step) && !*end && i >= 1 &&
        i <= toksim_scenario_run_step_count(run))
        return toksim_scenario_run_step(run, i - 1);
    return NULL;
}

int cmd_triage(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    o.format = "text";
    toksim_triage_request_init(&o.req);
    toksim_imp_options_init(&o.imp);
    int x = parse_args(&o, argc, argv);
    if (x == -1)
        return EXIT_OK;
    if (x != EXIT_OK || (x = check_args(&o)) != EXIT_OK)
        return x;
    cli_format cf;
    if (!cli_parse_format(PROG, o.format, NULL, &cf))
        return EXIT_USAGE;
    if (o.switched)
        o.req.opts = &o.imp;

    toksim_token *own = NULL;
    toksim_scenario *sc = NULL;
    toksim_run *run = NULL;
    char user[TOKSIM_WHOAMI_NAME_MAX] = "", from[512];
    toksim_error err = {0};
    if (o.scenario) {
        toksim_status rc = cli_scenario_load(&sc, o.scenario, &err);
        if (rc == TOKSIM_OK)
            rc = toksim_scenario_run(&run, sc, &err);
        if (rc != TOKSIM_OK) {
            x = cli_report(PROG, o.scenario, NULL, &err, rc);
            goto done;
        }
        const toksim_step_result *s = find_step(run, o.step);
        if (!s) {
            x = cli_usage_error(PROG, "%s: no step '%s'", o.scenario, o.step);
            goto done;
        }
        if (!s->token) {
            x = cli_usage_error(PROG, "%s: step '%s' (%s) leaves no token to triage",
                                o.scenario, o.step, s->op);
            goto done;
        }
        o.req.caller = s->token;
        toksim_scenario_sid_name(user, sizeof user, toksim_token_user(s->token), run);
        snprintf(from, sizeof from, "scenario %s, step %s (%s)", o.scenario, s->id,
                 s->op);
    } else {
        if ((x = load_capture(&o, &own, user, sizeof user)) != EXIT_OK)
            goto done;
        o.req.caller = own;
        snprintf(from, sizeof from, "%s capture %s", o.whoami ? "whoami" : "!token",
                 o.whoami ? o.whoami : o.windbg);
    }
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_triage *t = NULL;
    toksim_status rc = toksim_triage_run(&t, &o.req, &tr, &err);
    if (rc == TOKSIM_ENOTFOUND) {
        x = cli_usage_error(PROG, "--error %s: %s", o.error, err.message);
    } else if (rc != TOKSIM_OK) {
        x = cli_report(PROG, NULL, NULL, &err, rc);
    } else {
        toksim_sid_context ctx = {NULL, NULL};
        triage_input in = {from, user[0] ? user : NULL, &o.req, &tr, &ctx};
        x = cf == FMT_JSON ? triage_print_json(t, &in) : triage_print_text(t, &in);
    }
    toksim_triage_free(t);
    toksim_trace_dispose(&tr);
done:
    toksim_token_free(own);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    return x;
}
