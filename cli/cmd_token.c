/*
 * PURPOSE: `toksim token`: import the `whoami /all` output of a real Windows machine
 * (table, list or CSV; UTF-16 or UTF-8) as a token, show it as whoami / WinDbg !token
 * privileges / JSON / text, or replay an access check (SeAccessCheck, object-open mode)
 * with it against an SDDL descriptor. Presentation only: parsing, inference and the check
 * are libtoksim's (whoami.h, access.h).
 */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char *const PROG = "toksim token";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim token [options] FILE|-\n"
        "       toksim token --check --sddl SDDL --desired MASK [--type TYPE] FILE|-\n\n"
        "Imports what `whoami /all` printed on a Windows machine (also /user, /groups, "
        "/priv;\n"
        "or what WinDbg's !token printed: User:, Groups:, Privs: ..., recognised by "
        "itself;\n"
        "/fo table, list or csv; UTF-16 as PowerShell saves it, or UTF-8/ASCII; CRLF or "
        "LF)\n"
        "and prints the token, or checks an access with it. What whoami does not show "
        "(token\n"
        "type, owner, default DACL, logon id ...) is defaulted: see "
        "docs/whoami-import.md.\n\n"
        "options:\n"
        "  --format F         text (default), whoami, windbg (!token \"Privs:\"), json;\n"
        "                     with --check: text or json\n"
        "  --info             print the token as GetTokenInformation reports each class\n"
        "                     (TokenUser ... TokenIsAppContainer; text or json)\n"
        "  --check            run an access check (object open, SeAccessCheck) with the "
        "token\n"
        "  --sddl SDDL        security descriptor of the object (with --check)\n"
        "  --desired MASK     desired access: FILE_READ_DATA|SYNCHRONIZE, FR, "
        "GENERIC_WRITE, 0x1\n"
        "  --type TYPE        object type for names and generic mapping: file "
        "(default),\n"
        "                     directory, key, service, scmanager, process, thread, "
        "token,\n"
        "                     pipe, wmi, generic\n"
        "  --domain SID       domain SID for SDDL aliases such as DA, DU\n"
        "  --machine SID      machine SID for SDDL aliases LA, LG\n"
        "  --help             this text\n\n"
        "exit codes: 0 ok (with --check: access granted), 1 access denied (--check),\n"
        "            2 bad input (the message names file:line:column and what was "
        "expected),\n"
        "            3 internal error\n");
}

static const char *sections_text(unsigned s, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s%s", (s & TOKSIM_WHOAMI_SEC_USER) ? "user " : "",
             (s & TOKSIM_WHOAMI_SEC_GROUPS) ? "groups " : "",
             (s & TOKSIM_WHOAMI_SEC_PRIVS) ? "privileges " : "",
             (s & TOKSIM_WHOAMI_SEC_CLAIMS) ? "claims " : "");
    size_t l = strlen(buf);
    if (l)
        buf[l - 1] = '\0';
    return buf;
}

static const char *formats_text(unsigned f)
{
    switch (f) {
    case TOKSIM_WHOAMI_FMT_TABLE:
        return "table";
    case TOKSIM_WHOAMI_FMT_LIST:
        return "list";
    case TOKSIM_WHOAMI_FMT_CSV:
        return "csv";
    case TOKSIM_WHOAMI_FMT_WINDBG:
        return "windbg !token";
    default:
        return "mixed";
    }
}

static void print_text(const toksim_token *tok,
                       const toksim_whoami_info *info,
                       const char *where,
                       const toksim_sid_context *ctx)
{
    char sid[TOKSIM_SID_STRING_MAX], name[512], secs[64], words[160];
    printf("Source:      %s (%s layout, %s; sections: %s)\n", where,
           formats_text(info->formats), toksim_whoami_encoding_name(info->encoding),
           sections_text(info->sections, secs, sizeof secs));
    toksim_sid_format(sid, sizeof sid, toksim_token_user(tok));
    printf("User:        %s %s%s\n", info->user_name[0] ? info->user_name : "(none)", sid,
           info->user_inferred ? "  [no USER section: NULL SID]" : "");
    uint32_t il = toksim_token_integrity(tok);
    printf("Integrity:   0x%04X%s\n", il,
           info->integrity_inferred ? "  [inferred: no label row]" : "");
    printf("Type:        %s  [whoami does not show it]\n",
           toksim_token_type_name(toksim_token_type_of(tok)));
    toksim_sid_display_name(name, sizeof name, toksim_token_owner(tok), ctx);
    printf("Owner:       %s  [inferred]\n", name);
    size_t ng = toksim_token_group_count(tok);
    printf("Groups (%zu):\n", ng);
    for (size_t i = 0; i < ng; i++) {
        const toksim_group *g = toksim_token_group_at(tok, i);
        toksim_sid_format(sid, sizeof sid, &g->sid);
        toksim_sid_display_name(name, sizeof name, &g->sid, ctx);
        toksim_token_attr_text(words, sizeof words, false, g->attributes); /* one table */
        printf("  %-46s 0x%08X %s%s%s\n", sid, g->attributes, words,
               strcmp(name, sid) ? "  " : "", strcmp(name, sid) ? name : "");
    }
    size_t np = toksim_token_privilege_count(tok);
    printf("Privileges (%zu):\n", np);
    for (size_t i = 0; i < np; i++) {
        uint32_t luid = 0, a = 0;
        if (!toksim_token_privilege_at(tok, i, &luid, &a))
            continue;
        const toksim_privilege_info *pi = toksim_privilege_by_luid(luid);
        printf("  %-42s %s\n", pi ? pi->name : "?",
               (a & TOKSIM_SE_PRIVILEGE_ENABLED) ? "Enabled" : "Disabled");
    }
}

/* H4's token JSON (world_json.h) plus an "import" member: what was read and what was
 * inferred. */
static cJSON *token_json(const toksim_token *tok, const toksim_whoami_info *info)
{
    char *text = NULL;
    if (toksim_token_to_json(&text, tok, NULL) != TOKSIM_OK)
        return NULL;
    cJSON *o = cJSON_Parse(text);
    free(text);
    if (!o)
        return NULL;
    char secs[64];
    cJSON *im = cJSON_AddObjectToObject(o, "import");
    cJSON_AddStringToObject(im, "user_name", info->user_name);
    cJSON_AddStringToObject(im, "layout", formats_text(info->formats));
    cJSON_AddStringToObject(im, "encoding", toksim_whoami_encoding_name(info->encoding));
    cJSON_AddStringToObject(im, "sections",
                            sections_text(info->sections, secs, sizeof secs));
    cJSON_AddNumberToObject(im, "preamble_lines", (double)info->preamble_lines);
    cJSON_AddBoolToObject(im, "user_inferred", info->user_inferred);
    cJSON_AddBoolToObject(im, "integrity_inferred", info->integrity_inferred);
    cJSON_AddBoolToObject(im, "owner_inferred_admins", info->owner_inferred_admins);
    cJSON_AddBoolToObject(im, "claims_ignored", info->claims_ignored);
    return o;
}

static int run_check(const toksim_token *tok,
                     const char *sddl,
                     const char *desired,
                     toksim_object_type ot,
                     const toksim_sid_context *ctx,
                     bool json)
{
    toksim_error err = {0};
    toksim_sd *sd = NULL;
    toksim_status rc = toksim_sd_from_sddl(&sd, sddl, ctx, &err);
    if (rc != TOKSIM_OK)
        return cli_report(PROG, "--sddl", sddl, &err, rc);
    uint32_t mask = 0;
    toksim_error_clear(&err);
    rc = toksim_access_mask_parse(&mask, desired, ot, &err);
    if (rc != TOKSIM_OK) {
        toksim_sd_free(sd);
        return cli_report(PROG, "--desired", desired, &err, rc);
    }
    toksim_access_request req = {0};
    req.desired = mask;
    req.mode = TOKSIM_ACCESS_OPEN;
    req.object_type = ot;
    toksim_access_result res;
    toksim_trace tr;
    toksim_trace_init(&tr);
    rc = toksim_access_check(&res, sd, tok, &req, &tr);
    toksim_sd_free(sd);
    int x = rc == TOKSIM_OK ? cli_print_access(&res, mask, ot, &tr, ctx, json)
                            : cli_report(PROG, NULL, NULL, NULL, rc);
    toksim_trace_dispose(&tr);
    if (x != EXIT_OK)
        return x;
    return res.api_ok && res.granted_all ? EXIT_OK : EXIT_MISMATCH;
}

int cmd_token(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    const char *name, *val, *file = NULL, *fmt = "text", *sddl = NULL, *desired = NULL,
                            *type = "file";
    const char *dom_text = NULL, *mach_text = NULL;
    bool check = false, info_view = false;
    int r;
    while ((r = cli_opts_next(&o, "format,sddl,desired,type,domain,machine", &name,
                              &val)) >= 0) {
        if (r == 0) {
            if (file)
                return cli_usage_error(PROG, "one input at a time (got '%s' after '%s')",
                                       val, file);
            file = val;
        } else if (cli_is_help(name)) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(name, "format") == 0) {
            fmt = val;
        } else if (strcmp(name, "check") == 0) {
            check = true;
        } else if (strcmp(name, "info") == 0) {
            info_view = true;
        } else if (strcmp(name, "sddl") == 0) {
            sddl = val;
        } else if (strcmp(name, "desired") == 0) {
            desired = val;
        } else if (strcmp(name, "type") == 0) {
            type = val;
        } else if (strcmp(name, "domain") == 0) {
            dom_text = val;
        } else if (strcmp(name, "machine") == 0) {
            mach_text = val;
        } else {
            return cli_usage_error(PROG, "unknown option --%s", name);
        }
    }
    if (r == -2)
        return EXIT_USAGE;
    if (!file)
        return cli_usage_error(
            PROG, "expected a file holding whoami /all output (or - for stdin)");
    cli_format cf;
    if (!cli_parse_format(PROG, fmt, "whoami,windbg", &cf))
        return EXIT_USAGE;
    if (check && (!sddl || !desired))
        return cli_usage_error(PROG, "--check needs --sddl SDDL and --desired MASK");
    if (!check && (sddl || desired))
        return cli_usage_error(PROG, "--sddl and --desired go with --check");
    if (info_view && (check || cf == FMT_OTHER))
        return cli_usage_error(PROG, "--info prints text or json, without --check");
    if (check && cf == FMT_OTHER)
        return cli_usage_error(PROG, "--check prints text or json");
    toksim_object_type ot;
    if (!cli_parse_object_type(PROG, "--type", type, &ot))
        return EXIT_USAGE;
    cli_sid_context sc;
    if ((r = cli_sid_context_parse(PROG, dom_text, mach_text, &sc)) != EXIT_OK)
        return r;
    toksim_sid_context ctx = sc.ctx;

    const char *where = strcmp(file, "-") == 0 ? "<stdin>" : file;
    toksim_whoami_info info;
    toksim_token *tok = NULL;
    if ((r = cli_load_capture(PROG, file, CLI_CAPTURE_AUTO, &ctx, &tok, &info, NULL)) !=
        EXIT_OK)
        return r;

    int exit_code = EXIT_OK;
    if (info_view) {
        exit_code = cli_print_token_info(tok, &ctx, cf == FMT_JSON);
    } else if (check) {
        exit_code = run_check(tok, sddl, desired, ot, &ctx, cf == FMT_JSON);
    } else if (cf == FMT_JSON) {
        exit_code = cli_print_json(token_json(tok, &info));
    } else if (cf == FMT_OTHER) {
        char *out = NULL;
        toksim_status rc = strcmp(fmt, "whoami") == 0
                               ? toksim_token_render_whoami(&out, tok, NULL)
                               : toksim_token_render_windbg_privs(&out, tok);
        if (rc != TOKSIM_OK)
            exit_code = cli_report(PROG, NULL, NULL, NULL, rc);
        else
            cli_put_text(out);
        free(out);
    } else {
        print_text(tok, &info, where, &ctx);
    }
    toksim_token_free(tok);
    return exit_code;
}
