/*
 * PURPOSE: `toksim sddl`: read a security descriptor as SDDL, hex (reg export / reg query
 * output) or base64, and print it as canonical SDDL, hex, base64, a readable ACE listing
 * or JSON. Presentation only: parsing, formatting, the binary form and right names are
 * libtoksim's.
 */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* The control word as GetSecurityDescriptorControl reports it for what this command
 * shows: a converted (ConvertStringSecurityDescriptorToSecurityDescriptor) or binary
 * descriptor, which is self-relative, so SE_SELF_RELATIVE 0x8000 is set (Wine
 * test_PrivateObjectSecurity: 0x9014 for a converted P-DACL + SACL descriptor;
 * test_token_label; docs/fidelity-notes.md F-SDDL-5). */
static uint32_t shown_control(const toksim_sd *sd)
{
    return (uint32_t)sd->control | TOKSIM_SE_SELF_RELATIVE;
}
static const char *const PROG = "toksim sddl";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim sddl [options] <SDDL|HEX|BASE64|->\n"
        "       toksim sddl [options] --file FILE\n\n"
        "Reads a security descriptor and prints it as Windows would write it\n"
        "(ConvertSecurityDescriptorToStringSecurityDescriptor), with each ACE decoded.\n"
        "Hex may be a .reg export (hex:01,00,04,80,\\ ...) or `reg query` output.\n\n"
        "options:\n"
        "  --input auto|sddl|hex|base64   how to read the input (default auto)\n"
        "  --output text|sddl|hex|base64|json\n"
        "                                 what to print (default text: SDDL + ACE "
        "listing)\n"
        "  --format F                     same as --output F\n"
        "  --file FILE                    read the input from FILE ('-' = stdin)\n"
        "  --type TYPE                    object type for naming rights: file, "
        "directory, key,\n"
        "                                 service, scmanager, process, thread, token, "
        "pipe, wmi,\n"
        "                                 generic (default generic)\n"
        "  --domain SID                   domain SID for DA, DU, DC ... aliases\n"
        "  --machine SID                  machine SID for LA, LG (default "
        "the simulated\n                                 "
        "machine " TOKSIM_DEFAULT_MACHINE_SID ")\n"
        "  --help                         this text\n\n"
        "examples:\n"
        "  toksim sddl 'O:BAG:SYD:(A;OICI;FA;;;SY)(A;OICI;0x1200a9;;;IS)' --type "
        "directory\n"
        "  toksim sddl --file ole.reg --output sddl\n\n"
        "exit codes: 0 ok, 2 bad input (with its position), 3 internal error\n");
}

typedef enum { IN_AUTO, IN_SDDL, IN_HEX, IN_B64 } in_kind;
typedef enum { OUT_TEXT, OUT_SDDL, OUT_HEX, OUT_B64, OUT_JSON } out_kind;

static const struct {
    unsigned type;
    const char *name;
} ace_type_names[] = {
    {0x00, "ACCESS_ALLOWED"},
    {0x01, "ACCESS_DENIED"},
    {0x02, "SYSTEM_AUDIT"},
    {0x03, "SYSTEM_ALARM"},
    {0x05, "ACCESS_ALLOWED_OBJECT"},
    {0x06, "ACCESS_DENIED_OBJECT"},
    {0x07, "SYSTEM_AUDIT_OBJECT"},
    {0x08, "SYSTEM_ALARM_OBJECT"},
    {0x09, "ACCESS_ALLOWED_CALLBACK"},
    {0x0A, "ACCESS_DENIED_CALLBACK"},
    {0x0B, "ACCESS_ALLOWED_CALLBACK_OBJECT"},
    {0x0C, "ACCESS_DENIED_CALLBACK_OBJECT"},
    {0x0D, "SYSTEM_AUDIT_CALLBACK"},
    {0x0E, "SYSTEM_ALARM_CALLBACK"},
    {0x0F, "SYSTEM_AUDIT_CALLBACK_OBJECT"},
    {0x10, "SYSTEM_ALARM_CALLBACK_OBJECT"},
    {0x11, "SYSTEM_MANDATORY_LABEL"},
    {0x12, "SYSTEM_RESOURCE_ATTRIBUTE"},
    {0x13, "SYSTEM_SCOPED_POLICY_ID"},
    {0x14, "SYSTEM_PROCESS_TRUST_LABEL"},
    {0x15, "SYSTEM_ACCESS_FILTER"},
};

static const char *type_name(unsigned t)
{
    for (size_t i = 0; i < sizeof ace_type_names / sizeof ace_type_names[0]; i++)
        if (ace_type_names[i].type == t)
            return ace_type_names[i].name;
    return "UNKNOWN";
}

static const char *const flag_names[8] = {
    "OBJECT_INHERIT", "CONTAINER_INHERIT", "NO_PROPAGATE_INHERIT", "INHERIT_ONLY",
    "INHERITED",      "CRITICAL",          "SUCCESSFUL_ACCESS",    "FAILED_ACCESS"};

static void flags_text(char *buf, size_t n, unsigned flags)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < 8; i++)
        if (flags & (1u << i))
            at += (size_t)snprintf(buf + at, at < n ? n - at : 0, "%s%s", at ? "|" : "",
                                   flag_names[i]);
    if (!at)
        snprintf(buf, n, "-");
}

static void guid_text(char out[37], const uint8_t g[16])
{
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", g[3],
             g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12],
             g[13], g[14], g[15]);
}

static void rights_text(char *buf, size_t n, const toksim_ace *a, toksim_object_type ot)
{
    if (a->type == TOKSIM_ACE_SYSTEM_MANDATORY_LABEL) {
        snprintf(buf, n, "%s%s%s%s", a->mask & 1 ? "NO_WRITE_UP " : "",
                 a->mask & 2 ? "NO_READ_UP " : "", a->mask & 4 ? "NO_EXECUTE_UP " : "",
                 a->mask & ~7u ? "(other bits)" : "");
        size_t l = strlen(buf);
        if (l && buf[l - 1] == ' ')
            buf[l - 1] = '\0';
        return;
    }
    toksim_access_mask_describe(buf, n, a->mask, ot);
}

static cJSON *acl_json(const toksim_sd *sd,
                       bool sacl,
                       const toksim_sid_context *ctx,
                       toksim_object_type ot)
{
    uint16_t present = sacl ? TOKSIM_SE_SACL_PRESENT : TOKSIM_SE_DACL_PRESENT;
    const toksim_acl *acl = sacl ? sd->sacl : sd->dacl;
    if (!(sd->control & present))
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "null_acl", acl == NULL);
    cJSON_AddBoolToObject(o, "protected",
                          (sd->control & (sacl ? TOKSIM_SE_SACL_PROTECTED
                                               : TOKSIM_SE_DACL_PROTECTED)) != 0);
    cJSON_AddBoolToObject(o, "auto_inherited",
                          (sd->control & (sacl ? TOKSIM_SE_SACL_AUTO_INHERITED
                                               : TOKSIM_SE_DACL_AUTO_INHERITED)) != 0);
    cJSON *aces = cJSON_AddArrayToObject(o, "aces");
    for (size_t i = 0; acl && i < acl->count; i++) {
        const toksim_ace *a = &acl->aces[i];
        cJSON *j = cJSON_CreateObject();
        char buf[512];
        cJSON_AddStringToObject(j, "type", type_name(a->type));
        flags_text(buf, sizeof buf, a->flags);
        cJSON_AddStringToObject(j, "flags", buf);
        snprintf(buf, sizeof buf, "0x%08X", a->mask);
        cJSON_AddStringToObject(j, "mask", buf);
        toksim_sddl_format_rights(buf, sizeof buf, a->mask);
        cJSON_AddStringToObject(j, "sddl_rights", buf);
        rights_text(buf, sizeof buf, a, ot);
        cJSON_AddStringToObject(j, "rights", buf);
        toksim_sid_format(buf, sizeof buf, &a->sid);
        cJSON_AddStringToObject(j, "sid", buf);
        toksim_sid_display_name(buf, sizeof buf, &a->sid, ctx);
        cJSON_AddStringToObject(j, "account", buf);
        if (a->object_flags & TOKSIM_ACE_OBJECT_TYPE_PRESENT) {
            guid_text(buf, a->object_type);
            cJSON_AddStringToObject(j, "object_type", buf);
        }
        if (a->object_flags & TOKSIM_ACE_INHERITED_OBJECT_TYPE_PRESENT) {
            guid_text(buf, a->inherited_object_type);
            cJSON_AddStringToObject(j, "inherited_object_type", buf);
        }
        if (a->sddl_extra)
            cJSON_AddStringToObject(j, "condition", a->sddl_extra);
        if (a->app_data_len)
            cJSON_AddNumberToObject(j, "application_data_bytes", (double)a->app_data_len);
        cJSON_AddItemToArray(aces, j);
    }
    return o;
}

static void
principal_text(const char *label, const toksim_sid *sid, const toksim_sid_context *ctx)
{
    char s[TOKSIM_SID_STRING_MAX], name[512];
    toksim_sid_format(s, sizeof s, sid);
    toksim_sid_display_name(name, sizeof name, sid, ctx);
    if (strcmp(s, name) == 0)
        printf("%-7s %s\n", label, s);
    else
        printf("%-7s %s (%s)\n", label, name, s);
}

static void acl_text(const toksim_sd *sd,
                     bool sacl,
                     const toksim_sid_context *ctx,
                     toksim_object_type ot)
{
    uint16_t present = sacl ? TOKSIM_SE_SACL_PRESENT : TOKSIM_SE_DACL_PRESENT;
    const toksim_acl *acl = sacl ? sd->sacl : sd->dacl;
    const char *label = sacl ? "SACL:" : "DACL:";
    if (!(sd->control & present)) {
        printf("%-7s absent%s\n", label,
               sacl ? "" : " (no DACL: everyone gets every access)");
        return;
    }
    if (!acl) {
        printf("%-7s NULL%s\n", label,
               sacl ? "" : " (NO_ACCESS_CONTROL: everyone gets every access)");
        return;
    }
    printf("%-7s %zu ACE%s%s%s\n", label, acl->count, acl->count == 1 ? "" : "s",
           (sd->control & (sacl ? TOKSIM_SE_SACL_PROTECTED : TOKSIM_SE_DACL_PROTECTED))
               ? ", protected"
               : "",
           !sacl && acl->count == 0
               ? " (empty DACL: nobody but the owner's implicit rights)"
               : "");
    for (size_t i = 0; i < acl->count; i++) {
        const toksim_ace *a = &acl->aces[i];
        char flags[256], rights[512], sddl_rights[160], sid[TOKSIM_SID_STRING_MAX],
            name[512];
        flags_text(flags, sizeof flags, a->flags);
        rights_text(rights, sizeof rights, a, ot);
        toksim_sddl_format_rights(sddl_rights, sizeof sddl_rights, a->mask);
        toksim_sid_format(sid, sizeof sid, &a->sid);
        toksim_sid_display_name(name, sizeof name, &a->sid, ctx);
        printf("  [%zu] %s %s\n", i, type_name(a->type), strcmp(name, sid) ? name : sid);
        if (strcmp(name, sid))
            printf("      sid:    %s\n", sid);
        printf("      flags:  %s\n", flags);
        printf("      rights: 0x%08X %s%s%s%s\n", a->mask, rights,
               a->type == TOKSIM_ACE_SYSTEM_MANDATORY_LABEL ? "" : " (SDDL ",
               a->type == TOKSIM_ACE_SYSTEM_MANDATORY_LABEL ? "" : sddl_rights,
               a->type == TOKSIM_ACE_SYSTEM_MANDATORY_LABEL ? "" : ")");
        char g[37];
        const char *gname, *gkind = NULL;
        if (a->object_flags & TOKSIM_ACE_OBJECT_TYPE_PRESENT) {
            guid_text(g, a->object_type);
            gname = toksim_ad_guid_name(a->object_type, &gkind);
            printf("      object type:           %s%s%s%s%s%s\n", g, gname ? " (" : "",
                   gname ? gname : "", gname ? ", " : "", gname ? gkind : "",
                   gname ? ")" : "");
        }
        if (a->object_flags & TOKSIM_ACE_INHERITED_OBJECT_TYPE_PRESENT) {
            guid_text(g, a->inherited_object_type);
            gname = toksim_ad_guid_name(a->inherited_object_type, &gkind);
            printf("      inherited object type: %s%s%s%s%s%s\n", g, gname ? " (" : "",
                   gname ? gname : "", gname ? ", " : "", gname ? gkind : "",
                   gname ? ")" : "");
        }
        char *cond = NULL;
        if (a->type != TOKSIM_ACE_SYSTEM_RESOURCE_ATTRIBUTE &&
            toksim_ace_condition_text(&cond, a) == TOKSIM_OK)
            printf("      condition: (%s)\n", cond);
        else if (a->sddl_extra)
            printf("      condition: (%s)\n", a->sddl_extra);
        else if (a->app_data_len)
            printf("      application data: %zu bytes\n", a->app_data_len);
        free(cond);
    }
}

/* Decide how to read `text` when --input auto. */
static in_kind sniff(const char *text)
{
    while (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')
        text++;
    if (*text == '\0')
        return IN_SDDL;
    if (strchr("OGDSogds", *text) && text[1] == ':')
        return IN_SDDL;
    uint8_t *b = NULL;
    size_t n = 0;
    if (toksim_hex_decode(&b, &n, text, NULL) == TOKSIM_OK) {
        free(b);
        return IN_HEX;
    }
    if (toksim_base64_decode(&b, &n, text, NULL) == TOKSIM_OK) {
        free(b);
        return IN_B64;
    }
    return IN_SDDL; /* report the SDDL parser's error: it says what was expected */
}

int cmd_sddl(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    const char *name, *val, *input = NULL, *file = NULL, *dom_text = NULL,
                            *mach_text = NULL;
    in_kind ik = IN_AUTO;
    out_kind ok = OUT_TEXT;
    toksim_object_type ot = TOKSIM_OBJ_GENERIC;
    int r;
    while ((r = cli_opts_next(&o, "input,output,format,file,type,domain,machine", &name,
                              &val)) >= 0) {
        if (r == 0) {
            if (input)
                return cli_usage_error(
                    PROG, "one descriptor at a time (got '%s' after '%s')", val, input);
            input = val;
        } else if (cli_is_help(name)) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(name, "input") == 0) {
            if (strcmp(val, "auto") == 0)
                ik = IN_AUTO;
            else if (strcmp(val, "sddl") == 0)
                ik = IN_SDDL;
            else if (strcmp(val, "hex") == 0)
                ik = IN_HEX;
            else if (strcmp(val, "base64") == 0)
                ik = IN_B64;
            else
                return cli_usage_error(
                    PROG, "--input '%s': expected auto, sddl, hex or base64", val);
        } else if (strcmp(name, "output") == 0 || strcmp(name, "format") == 0) {
            if (strcmp(val, "text") == 0)
                ok = OUT_TEXT;
            else if (strcmp(val, "json") == 0)
                ok = OUT_JSON;
            else if (strcmp(val, "sddl") == 0)
                ok = OUT_SDDL;
            else if (strcmp(val, "hex") == 0)
                ok = OUT_HEX;
            else if (strcmp(val, "base64") == 0)
                ok = OUT_B64;
            else
                return cli_usage_error(
                    PROG, "--%s '%s': expected text, sddl, hex, base64 or json", name,
                    val);
        } else if (strcmp(name, "file") == 0) {
            file = val;
        } else if (strcmp(name, "type") == 0) {
            if (!cli_parse_object_type(PROG, "--type", val, &ot))
                return EXIT_USAGE;
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
    if (input && file)
        return cli_usage_error(
            PROG, "give the descriptor as an argument or with --file, not both");
    if (input && strcmp(input, "-") == 0) {
        file = "-";
        input = NULL;
    }
    if (!input && !file)
        return cli_usage_error(
            PROG,
            "expected a descriptor (SDDL, hex or base64), --file FILE, or - for stdin");

    cli_sid_context sc;
    if ((r = cli_sid_context_parse(PROG, dom_text, mach_text, &sc)) != EXIT_OK)
        return r;
    cli_sid_context_default_machine(&sc);
    const toksim_sid_context ctx = sc.ctx;
    char *owned = NULL;
    const char *where = "argument";
    if (file) {
        size_t len = 0;
        owned = cli_read_file(PROG, file, (size_t)TOKSIM_SDDL_MAX_LEN * 4, &len);
        if (!owned)
            return EXIT_USAGE;
        input = owned;
        where = strcmp(file, "-") == 0 ? "<stdin>" : file;
        /* A descriptor is text: a NUL means a binary file (the raw self-relative bytes
         * want `xxd -p` or base64 first), and an empty file is a failed export, not the
         * empty descriptor (give '' as the argument for that). */
        const char *nul = memchr(owned, '\0', len);
        size_t blank = 0;
        while (blank < len && strchr(" \t\r\n", owned[blank]))
            blank++;
        if (nul || blank == len) {
            const unsigned char *u = (const unsigned char *)owned;
            bool utf16 = len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                                      (u[0] == 0xFE && u[1] == 0xFF) ||
                                      (len >= 4 && u[0] && !u[1] && u[2] && !u[3]));
            if (nul && utf16) /* as `Get-Acl ... | Out-File` writes it on Windows */
                fprintf(stderr,
                        "%s: %s: offset 0: the file is UTF-16 text; SDDL files must be "
                        "UTF-8 or ASCII (convert it, e.g. iconv -f UTF-16 -t UTF-8)\n",
                        PROG, where);
            else if (nul)
                fprintf(
                    stderr,
                    "%s: %s: offset %zu: NUL byte: expected SDDL, hex or base64 text\n",
                    PROG, where, (size_t)(nul - owned));
            else
                fprintf(stderr,
                        "%s: %s: empty: expected a descriptor (SDDL, hex or base64)\n",
                        PROG, where);
            free(owned);
            return EXIT_USAGE;
        }
    }
    if (ik == IN_AUTO)
        ik = sniff(input);

    toksim_error err = {0};
    toksim_status rc;
    toksim_sd *sd = NULL;
    int exit_code = EXIT_OK;
    if (ik == IN_SDDL) {
        /* trailing newline of a file is not part of the descriptor */
        size_t l = strlen(input);
        while (owned && l && (owned[l - 1] == '\n' || owned[l - 1] == '\r'))
            owned[--l] = '\0';
        rc = toksim_sd_from_sddl(&sd, input, &ctx, &err);
        if (rc) {
            exit_code = cli_report(PROG, where, input, &err, rc);
            goto out;
        }
    } else {
        uint8_t *bytes = NULL;
        size_t n = 0;
        rc = ik == IN_HEX ? toksim_hex_decode(&bytes, &n, input, &err)
                          : toksim_base64_decode(&bytes, &n, input, &err);
        if (rc) {
            exit_code = cli_report(PROG, where, input, &err, rc);
            goto out;
        }
        rc = toksim_sd_from_binary(&sd, bytes, n, &err);
        free(bytes);
        if (rc) {
            char w[300];
            snprintf(w, sizeof w, "%s: byte offset %zu (of %zu decoded bytes)", where,
                     err.offset, n);
            exit_code = cli_report(PROG, w, NULL, &err, rc);
            goto out;
        }
    }

    char *sddl = NULL;
    toksim_status src = toksim_sd_to_sddl(&sddl, sd, &ctx);
    if (ok == OUT_HEX || ok == OUT_B64) {
        uint8_t *bytes = NULL;
        size_t n = 0;
        char *txt = NULL;
        rc = toksim_sd_to_binary(&bytes, &n, sd);
        if (rc == TOKSIM_OK)
            rc = ok == OUT_HEX ? toksim_hex_encode(&txt, bytes, n)
                               : toksim_base64_encode(&txt, bytes, n);
        free(bytes);
        if (rc) {
            fprintf(
                stderr, "%s: %s: cannot write the binary form: %s%s\n", PROG, where,
                toksim_strerror(rc),
                rc == TOKSIM_EUNSUPPORTED
                    ? " (a condition or resource attribute toksim cannot compile)"
                : rc == TOKSIM_ELIMIT
                    ? " (limit: an ACL of at most 65535 bytes, AclSize being a 16-bit "
                      "field, MS-DTYP 2.4.5; a descriptor of at most 1048576 bytes, "
                      "TOKSIM_SD_BINARY_MAX)"
                    : "");
            exit_code = rc == TOKSIM_ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
        } else {
            printf("%s\n", txt);
        }
        free(txt);
    } else if (src && ok != OUT_JSON && ok != OUT_TEXT) {
        fprintf(stderr, "%s: cannot write SDDL for this descriptor: %s\n", PROG,
                toksim_strerror(src));
        exit_code = src == TOKSIM_ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    } else if (ok == OUT_SDDL) {
        printf("%s\n", sddl);
    } else if (ok == OUT_JSON) {
        cJSON *root = cJSON_CreateObject();
        if (src == TOKSIM_OK)
            cJSON_AddStringToObject(root, "sddl", sddl);
        else
            cJSON_AddNullToObject(root, "sddl");
        char buf[512];
        snprintf(buf, sizeof buf, "0x%04X", shown_control(sd));
        cJSON_AddStringToObject(root, "control", buf);
        for (int i = 0; i < 2; i++) {
            bool has = i ? sd->has_group : sd->has_owner;
            const toksim_sid *s = i ? &sd->group : &sd->owner;
            if (!has) {
                cJSON_AddNullToObject(root, i ? "group" : "owner");
                continue;
            }
            cJSON *p = cJSON_AddObjectToObject(root, i ? "group" : "owner");
            toksim_sid_format(buf, sizeof buf, s);
            cJSON_AddStringToObject(p, "sid", buf);
            toksim_sid_display_name(buf, sizeof buf, s, &ctx);
            cJSON_AddStringToObject(p, "account", buf);
        }
        cJSON_AddStringToObject(root, "object_type", toksim_object_type_name(ot));
        cJSON_AddItemToObject(root, "dacl", acl_json(sd, false, &ctx, ot));
        cJSON_AddItemToObject(root, "sacl", acl_json(sd, true, &ctx, ot));
        exit_code = cli_print_json(root);
    } else {
        if (src == TOKSIM_OK)
            printf("SDDL:   %s\n", sddl[0] ? sddl : "(empty descriptor)");
        else
            printf("SDDL:   (cannot be written: %s)\n", toksim_strerror(src));
        if (sd->has_owner)
            principal_text("Owner:", &sd->owner, &ctx);
        else
            printf("Owner:  absent\n");
        if (sd->has_group)
            principal_text("Group:", &sd->group, &ctx);
        else
            printf("Group:  absent\n");
        printf("Control: 0x%04X\n", shown_control(sd));
        acl_text(sd, false, &ctx, ot);
        if (sd->control & TOKSIM_SE_SACL_PRESENT)
            acl_text(sd, true, &ctx, ot);
    }
    free(sddl);
out:
    toksim_sd_free(sd);
    free(owned);
    return exit_code;
}
