/*
 * PURPOSE: `toksim paths`: TEACHING MODEL of escalation paths. Takes the process tokens
 * of a scenario's steps (services, application pools, processes), of a whoami / !token
 * capture, or the built-in service accounts of a world, and prints the chains that reach
 * SYSTEM (or --to TARGET) with libtoksim's paths query (paths.h): each edge with its
 * preconditions, whether they hold here, the rule and the write-up behind them. Parsing
 * and printing only.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli.h"
#include "paths_view.h"

static const char *const PROG = "toksim paths";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim paths (--scenario FILE [--step ID] | --whoami FILE | --windbg "
        "FILE |\n"
        "                     --world FILE) [--to TARGET] [facts] [--format F]\n\n"
        "TEACHING MODEL: the identity chains from the given processes to SYSTEM (or "
        "TARGET),\n"
        "each edge with its stated preconditions, whether each holds in this world, "
        "the rule\n"
        "that decides it and the public write-up it rests on (PrintSpoofer, "
        "Juicy/RoguePotato,\n"
        "CreateProcessAsUser, the Task Scheduler restoring privileges, the shared "
        "logon\n"
        "session). A chain holds only where every precondition holds.\n\n"
        "sources (one of):\n"
        "  --scenario FILE   the process tokens its steps make (service.start,\n"
        "                    iis.app_pool.start, process.start ...); --step ID picks "
        "one step\n"
        "  --whoami FILE     a whoami /all capture of the process (world: --os "
        "profile)\n"
        "  --windbg FILE     a WinDbg !token capture of the process\n"
        "  --world FILE      a world: the services and app pools it declares (else its\n"
        "                    LOCAL SERVICE and NETWORK SERVICE service accounts)\n\n"
        "options:\n"
        "  --to TARGET          SYSTEM (default), or an identity such as 'NETWORK "
        "SERVICE'\n"
        "  --os PROFILE         OS profile for --whoami/--windbg: win7, win10 "
        "(default), server\n"
        "  --spooler yes|no     the Print Spooler runs (not given: yes when the world\n"
        "                       declares a service named Spooler, else unknown)\n"
        "  --redirector yes|no  a remote host redirects OXID resolution (RoguePotato)\n"
        "  --task-scheduler yes|no  the Task Scheduler runs (not given: yes when the\n"
        "                       world declares a service named Schedule, else unknown)\n"
        "  --write-restricted-blocks yes|no  the potato lab's UNCONFIRMED switch "
        "(default yes)\n"
        "  --format F           text (default), json, dot (Graphviz), opengraph "
        "(BloodHound)\n"
        "  --all                text: list the failing chains too\n"
        "  --help               this text\n\n"
        "exit codes: 0 chains listed (or none), 2 bad input (no source, a target "
        "naming no\n"
        "            identity, a step without a process token), 3 internal error\n");
}

typedef struct opts {
    const char *scenario, *step, *whoami, *windbg, *world, *to, *os, *format;
    bool all;
    toksim_paths_request req;
} opts;

static bool yes_no(const char *opt, const char *v, toksim_path_fact *f)
{
    if (strcasecmp(v, "yes") == 0)
        *f = TOKSIM_PATH_FACT_YES;
    else if (strcasecmp(v, "no") == 0)
        *f = TOKSIM_PATH_FACT_NO;
    else {
        cli_usage_error(PROG, "--%s expects yes or no, got '%s'", opt, v);
        return false;
    }
    return true;
}

static int parse_args(opts *o, int argc, char **argv)
{
    cli_opts co;
    cli_opts_init(&co, argc, argv, PROG);
    const char *name, *val;
    int r;
    while ((r = cli_opts_next(&co,
                              "scenario,step,whoami,windbg,world,to,os,format,spooler,"
                              "redirector,task-scheduler,write-restricted-blocks",
                              &name, &val)) >= 0) {
        toksim_path_fact wr = TOKSIM_PATH_FACT_YES;
        if (r == 0)
            return cli_usage_error(PROG, "unexpected argument '%s'", val);
        if (cli_is_help(name)) {
            usage(stdout);
            return -1;
        }
        if (strcmp(name, "scenario") == 0)
            o->scenario = val;
        else if (strcmp(name, "step") == 0)
            o->step = val;
        else if (strcmp(name, "whoami") == 0)
            o->whoami = val;
        else if (strcmp(name, "windbg") == 0)
            o->windbg = val;
        else if (strcmp(name, "world") == 0)
            o->world = val;
        else if (strcmp(name, "to") == 0)
            o->to = val;
        else if (strcmp(name, "os") == 0)
            o->os = val;
        else if (strcmp(name, "format") == 0)
            o->format = val;
        else if (strcmp(name, "all") == 0)
            o->all = true;
        else if (strcmp(name, "spooler") == 0) {
            if (!yes_no(name, val, &o->req.spooler_running))
                return EXIT_USAGE;
        } else if (strcmp(name, "redirector") == 0) {
            if (!yes_no(name, val, &o->req.remote_redirector))
                return EXIT_USAGE;
        } else if (strcmp(name, "task-scheduler") == 0) {
            if (!yes_no(name, val, &o->req.task_scheduler))
                return EXIT_USAGE;
        } else if (strcmp(name, "write-restricted-blocks") == 0) {
            if (!yes_no(name, val, &wr))
                return EXIT_USAGE;
            o->req.write_restricted_blocks = wr == TOKSIM_PATH_FACT_YES;
        } else
            return cli_usage_error(PROG, "unknown option --%s", name);
    }
    if (r == -2)
        return EXIT_USAGE;
    if (!!o->scenario + !!o->whoami + !!o->windbg + !!o->world != 1)
        return cli_usage_error(PROG, "give the starting processes with exactly one of "
                                     "--scenario, --whoami, --windbg, --world");
    if (o->step && !o->scenario)
        return cli_usage_error(PROG, "--step goes with --scenario");
    if (o->os && (o->scenario || o->world))
        return cli_usage_error(PROG, "--os goes with --whoami or --windbg (a scenario or "
                                     "world names its own OS profile)");
    return EXIT_OK;
}

/* Sources collected from the input: names are owned here, tokens borrowed or owned. */
typedef struct sources {
    toksim_path_source v[TOKSIM_PATH_MAX_SOURCES];
    char names[TOKSIM_PATH_MAX_SOURCES][TOKSIM_PATH_NAME_SIZE];
    toksim_token *owned[TOKSIM_PATH_MAX_SOURCES];
    size_t n;
} sources;

static void
add_source(sources *s, const char *name, const toksim_token *tok, toksim_token *own)
{
    if (s->n >= TOKSIM_PATH_MAX_SOURCES) {
        toksim_token_free(own);
        return;
    }
    snprintf(s->names[s->n], sizeof s->names[s->n], "%s", name);
    s->v[s->n].name = s->names[s->n];
    s->v[s->n].token = tok;
    s->owned[s->n] = own;
    s->n++;
}

/* Ops whose token is a process's primary token. */
static bool process_op(const char *op)
{
    static const char *const ops[] = {"service.start",          "iis.app_pool.start",
                                      "iis.app_pool.recycle",   "process.start",
                                      "process.create_as_user", "com.activate"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(op, ops[i]) == 0)
            return true;
    return false;
}

static int scenario_sources(const opts *o, const toksim_run *run, sources *s)
{
    char acct[256], name[TOKSIM_PATH_NAME_SIZE];
    size_t n = toksim_scenario_run_step_count(run);
    for (size_t i = 0; i < n; i++) {
        const toksim_step_result *r = toksim_scenario_run_step(run, i);
        bool picked = o->step && strcmp(o->step, r->id) == 0;
        if (o->step ? !picked : !process_op(r->op))
            continue;
        if (!r->token || toksim_token_type_of(r->token) != TOKSIM_TOKEN_PRIMARY) {
            if (picked)
                return cli_usage_error(PROG, "%s: step '%s' (%s) leaves no process token",
                                       o->scenario, r->id, r->op);
            continue;
        }
        toksim_scenario_sid_name(acct, sizeof acct, toksim_token_user(r->token),
                                 (void *)run);
        if (strcmp(acct, "NT AUTHORITY\\SYSTEM") == 0 && !picked)
            continue; /* already the target */
        snprintf(name, sizeof name, "%.80s (step %.40s, %s)", acct, r->id, r->op);
        add_source(s, name, r->token, NULL);
    }
    if (o->step && s->n == 0)
        return cli_usage_error(PROG, "%s: no step '%s'", o->scenario, o->step);
    if (s->n == 0)
        return cli_usage_error(PROG,
                               "%s: no step starts a process (service.start, "
                               "iis.app_pool.start, process.start ...): give --step",
                               o->scenario);
    return EXIT_OK;
}

static int capture_source(const opts *o, sources *s)
{
    const char *file = o->whoami ? o->whoami : o->windbg;
    size_t len = 0;
    char *text = cli_read_file(PROG, file, TOKSIM_WHOAMI_MAX_BYTES + 1, &len);
    if (!text)
        return EXIT_USAGE;
    toksim_error err = {0};
    toksim_whoami_info info;
    toksim_token *tok = NULL;
    toksim_status rc =
        o->windbg ? toksim_token_from_windbg(&tok, &info, text, len, NULL, &err)
                  : toksim_token_from_whoami_ex(&tok, &info, text, len, NULL, &err);
    free(text);
    if (rc != TOKSIM_OK)
        return cli_report(PROG, strcmp(file, "-") == 0 ? "<stdin>" : file, NULL, &err,
                          rc);
    char name[TOKSIM_PATH_NAME_SIZE];
    snprintf(name, sizeof name, "%.100s (%s capture)",
             info.user_name[0] ? info.user_name : "?", o->whoami ? "whoami" : "!token");
    add_source(s, name, tok, tok);
    return EXIT_OK;
}

/* The world's declared services and pools (or its built-in service accounts). */
static int world_sources(toksim_world *w, sources *s, toksim_path_sources **ws)
{
    toksim_error err = {0};
    toksim_status rc = toksim_paths_world_sources(ws, w, &err);
    if (rc != TOKSIM_OK)
        return cli_report(PROG, NULL, NULL, &err, rc);
    for (size_t i = 0; i < (*ws)->count; i++)
        add_source(s, (*ws)->items[i].name, (*ws)->items[i].token, NULL);
    if ((*ws)->not_started)
        cli_warn(PROG,
                 "warning: %zu declared service(s) or pool(s) did not start (their "
                 "logon failed): no process, no chain",
                 (*ws)->not_started);
    return EXIT_OK;
}

static int render(const opts *o, const toksim_paths *p, const paths_input *in)
{
    if (strcmp(o->format, "json") == 0)
        return paths_print_json(p, in);
    if (strcmp(o->format, "dot") == 0)
        return paths_print_dot(p, in);
    if (strcmp(o->format, "opengraph") == 0)
        return paths_print_opengraph(p, in);
    return paths_print_text(p, in);
}

int cmd_paths(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    o.format = "text";
    toksim_paths_request_init(&o.req);
    int x = parse_args(&o, argc, argv);
    if (x == -1)
        return EXIT_OK;
    if (x != EXIT_OK)
        return x;
    if (strcmp(o.format, "text") && strcmp(o.format, "json") && strcmp(o.format, "dot") &&
        strcmp(o.format, "opengraph"))
        return cli_usage_error(PROG, "--format: '%s' is not text, json, dot or opengraph",
                               o.format);
    static sources s;
    memset(&s, 0, sizeof s);
    toksim_scenario *sc = NULL;
    toksim_run *run = NULL;
    toksim_world *own_world = NULL, *w = NULL;
    toksim_path_sources *ws = NULL;
    toksim_error err = {0};
    toksim_status rc;
    char from[600];
    if (o.scenario) {
        if ((rc = cli_scenario_load(&sc, o.scenario, &err)) == TOKSIM_OK)
            rc = toksim_scenario_run(&run, sc, &err);
        if (rc != TOKSIM_OK) {
            x = cli_report(PROG, o.scenario, NULL, &err, rc);
            goto done;
        }
        if ((x = scenario_sources(&o, run, &s)) != EXIT_OK)
            goto done;
        /* a copy of the scenario's starting world: the query logs on in it */
        if ((rc = toksim_scenario_world_new(sc, &own_world, &err)) != TOKSIM_OK) {
            x = cli_report(PROG, o.scenario, NULL, &err, rc);
            goto done;
        }
        w = own_world;
        snprintf(from, sizeof from, "scenario %s", o.scenario);
    } else if (o.world) {
        if ((rc = cli_world_load(&own_world, o.world, &err)) != TOKSIM_OK) {
            x = cli_report(PROG, o.world, NULL, &err, rc);
            goto done;
        }
        w = own_world;
        if ((x = world_sources(w, &s, &ws)) != EXIT_OK)
            goto done;
        snprintf(from, sizeof from, "world %s", o.world);
    } else {
        rc = toksim_world_new(&own_world, "HOST", NULL, o.os, &err);
        if (rc != TOKSIM_OK) {
            x = rc == TOKSIM_ENOTFOUND
                    ? cli_usage_error(PROG, "--os: unknown OS profile '%s'", o.os)
                    : cli_report(PROG, NULL, NULL, &err, rc);
            goto done;
        }
        w = own_world;
        if ((x = capture_source(&o, &s)) != EXIT_OK)
            goto done;
        snprintf(from, sizeof from, "%s capture %s", o.whoami ? "whoami" : "!token",
                 o.whoami ? o.whoami : o.windbg);
    }
    o.req.world = w;
    o.req.sources = s.v;
    o.req.source_count = s.n;
    o.req.target = o.to;
    toksim_paths *p = NULL;
    rc = toksim_paths_find(&p, &o.req, NULL, &err);
    if (rc == TOKSIM_ENOTFOUND)
        x = cli_usage_error(PROG, "--to %s: %s", o.to ? o.to : "SYSTEM", err.message);
    else if (rc != TOKSIM_OK)
        x = cli_report(PROG, NULL, NULL, &err, rc);
    else {
        paths_input in = {from, o.to ? o.to : "SYSTEM", toksim_world_os_profile(w),
                          o.all};
        x = render(&o, p, &in);
    }
    toksim_paths_free(p);
done:
    for (size_t i = 0; i < s.n; i++)
        toksim_token_free(s.owned[i]);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    toksim_path_sources_free(ws);
    toksim_world_free(own_world);
    return x;
}
