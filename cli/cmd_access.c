/*
 * PURPOSE: `toksim access`: one AccessCheck (or kernel open check) of a token described
 * on the command line against an SDDL security descriptor, printed with its decision
 * trace; or a batch of such cases, one JSON object per line, answered one JSON line each
 * (for differential testing). Presentation only: the token, the descriptor and the check
 * are libtoksim's.
 */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "toksim/json_check.h"

static const char *const PROG = "toksim access";

/* Longest batch file, and longest line of it. */
#define BATCH_MAX_BYTES ((size_t)64 << 20)
#define BATCH_MAX_LINE  ((size_t)1 << 20)

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim access --sddl SDDL --user SID --desired MASK [options]\n"
        "       toksim access --batch FILE.jsonl|-\n\n"
        "Runs the Windows access check of a token against a security descriptor and "
        "explains it.\n\n"
        "token:\n"
        "  --user SID                     user SID, SDDL alias or account name "
        "(required)\n"
        "  --group SID[:deny-only|:disabled]  a group (enabled unless marked); "
        "repeatable\n"
        "  --restricted SID               a restricting SID (restricted token); "
        "repeatable\n"
        "  --write-restricted             the restricting SIDs apply to write access "
        "only\n"
        "  --privilege NAME[:disabled]    a privilege (enabled unless marked); "
        "repeatable\n"
        "  --integrity LEVEL              untrusted|low|medium|medium-plus|high|system|\n"
        "                                 protected|none (default medium)\n"
        "  --level LEVEL                  "
        "anonymous|identification|impersonation|delegation\n"
        "                                 (impersonation token level, default "
        "impersonation)\n"
        "  --claim SCOPE:CLAIM            a claim for conditional ACEs: user:CLAIM, "
        "device:CLAIM,\n"
        "                                 local:CLAIM (a token security attribute, "
        "e.g. WIN://SYSAPPID)\n"
        "                                 (CLAIM as an RA ACE writes it: "
        "\"Title\",TS,0,\"PM\")\n"
        "                                 or devgroup:SID (Device_Member_of); "
        "repeatable\n"
        "  --primary                      use a primary token (AccessCheck then fails "
        "with 1309)\n"
        "request:\n"
        "  --sddl SDDL                    the object's security descriptor (required)\n"
        "  --desired MASK                 rights: hex/decimal, SDDL aliases (FR, GA) or "
        "names\n"
        "                                 joined with '|' (FILE_READ_DATA|SYNCHRONIZE, "
        "MAXIMUM_ALLOWED)\n"
        "  --type TYPE                    object type for generic mapping: file, "
        "directory, key,\n"
        "                                 service, scmanager, process, thread, token, "
        "pipe, wmi,\n"
        "                                 generic (default file)\n"
        "  --object-type LEVEL:GUID       AccessCheckByType: an entry of the object-type "
        "list\n"
        "                                 (0 = the object class, 1 = property set, 2 = "
        "property);\n"
        "                                 repeatable, in tree order\n"
        "  --mode api|open                AccessCheck() (default) or the kernel check of "
        "an open\n"
        "  --backup-intent                FILE_FLAG_BACKUP_SEMANTICS (SeBackup/SeRestore "
        "count);\n"
        "                                 with --mode open only (AccessCheck() has no "
        "such input)\n"
        "  --domain SID                   domain SID for relative aliases (DA, DU ...)\n"
        "  --machine SID                  machine SID for LA, LG (default "
        "the simulated\n                                 "
        "machine " TOKSIM_DEFAULT_MACHINE_SID ")\n"
        "output:\n"
        "  --format text|json             default text\n"
        "  --batch FILE|-                 JSON lines, one case each: {id, sddl, user, "
        "groups,\n"
        "                                 restricted, write_restricted, privileges, "
        "claims, "
        "integrity,\n"
        "                                 desired, type, mode, level, primary, "
        "backup_intent,\n"
        "                                 domain, machine}; prints one line per case: "
        "{id, granted,\n"
        "                                 status, win32, ntstatus, ntstatus_name} or "
        "{id, "
        "error}\n"
        "  --help                         this text\n\n"
        "exit codes: 0 granted, 1 denied or the call failed, 2 bad input, 3 internal "
        "error\n"
        "            (--batch: 0 once the file is read; errors are reported per line)\n");
}

/* A case as text, from argv or from a JSON line. */
typedef struct acase {
    const char *sddl, *user, *desired, *type, *mode, *integrity, *level, *domain,
        *machine;
    const char **groups, **restricted, **privileges, **claims, **objtypes;
    size_t ngroups, nrestricted, nprivileges, nclaims, nobjtypes;
    bool primary, backup_intent, write_restricted;
} acase;

/* The built objects of a case. */
typedef struct built {
    toksim_sd *sd;
    toksim_token *tok;
    toksim_access_request req;
    toksim_sid domain, machine;
    toksim_sid_context ctx;             /* points at domain / machine */
    toksim_object_type_entry *objtypes; /* AccessCheckByType list, or NULL */
} built;

static void built_free(built *b)
{
    toksim_sd_free(b->sd);
    toksim_token_free(b->tok);
    free(b->objtypes);
    memset(b, 0, sizeof *b);
}

/* Split "SID:suffix" when suffix is one of `suffixes` (comma list); returns the suffix or
 * "". */
static const char *split_suffix(char *text, const char *const *suffixes)
{
    char *colon = strrchr(text, ':');
    if (!colon)
        return "";
    for (size_t i = 0; suffixes[i]; i++) {
        if (strcmp(colon + 1, suffixes[i]) == 0) {
            *colon = '\0';
            return suffixes[i];
        }
    }
    return "";
}

static bool parse_integrity(const char *s, uint32_t *rid, bool *none)
{
    static const struct {
        const char *name;
        uint32_t rid;
    } levels[] = {
        {"untrusted", TOKSIM_IL_UNTRUSTED}, {"low", TOKSIM_IL_LOW},
        {"medium", TOKSIM_IL_MEDIUM},       {"medium-plus", TOKSIM_IL_MEDIUM_PLUS},
        {"high", TOKSIM_IL_HIGH},           {"system", TOKSIM_IL_SYSTEM},
        {"protected", TOKSIM_IL_PROTECTED}};
    *none = strcmp(s, "none") == 0;
    if (*none)
        return true;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        if (strcmp(s, levels[i].name) == 0) {
            *rid = levels[i].rid;
            return true;
        }
    }
    return false;
}

static bool parse_level(const char *s, toksim_imp_level *out)
{
    static const char *const names[] = {"anonymous", "identification", "impersonation",
                                        "delegation"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (toksim_imp_level)i;
            return true;
        }
    }
    return false;
}

/* User text is quoted cut to 80 characters, so the reason after it always fits in msg. */
#define FAIL(...)                                                                        \
    do {                                                                                 \
        snprintf(msg, msgn, __VA_ARGS__);                                                \
        return EXIT_USAGE;                                                               \
    } while (0)

static int resolve(toksim_sid *out,
                   const char *what,
                   const char *text,
                   const toksim_sid_context *ctx,
                   char *msg,
                   size_t msgn)
{
    toksim_error e = {0};
    toksim_status rc = toksim_sid_resolve(out, text, ctx, &e);
    if (rc == TOKSIM_ENOMEM)
        return EXIT_INTERNAL;
    if (rc)
        FAIL("%s '%.80s': %s", what, text,
             e.message[0] ? e.message : toksim_strerror(rc));
    return EXIT_OK;
}

/* Build token, descriptor and request; on an input error write a message naming the
 * field. */
static int build(built *b, const acase *c, char *msg, size_t msgn)
{
    memset(b, 0, sizeof *b);
    toksim_error e = {0};
    toksim_status rc;
    if (c->domain) {
        if ((rc = toksim_sid_parse(&b->domain, c->domain, &e)))
            FAIL("domain '%.80s': %s", c->domain, e.message);
        b->ctx.domain = &b->domain;
    }
    if (c->machine) {
        if ((rc = toksim_sid_parse(&b->machine, c->machine, &e)))
            FAIL("machine '%.80s': %s", c->machine, e.message);
        b->ctx.machine = &b->machine;
    } else if (toksim_sid_parse(&b->machine, TOKSIM_DEFAULT_MACHINE_SID, NULL) ==
               TOKSIM_OK) {
        b->ctx.machine = &b->machine; /* the simulated default machine */
    }
    const toksim_sid_context ctx = b->ctx;
    if (!c->sddl || !c->user || !c->desired)
        FAIL("%s is required", !c->sddl ? "sddl" : !c->user ? "user" : "desired");

    toksim_object_type type = TOKSIM_OBJ_FILE;
    if (c->type && toksim_object_type_parse(&type, c->type)) {
        char list[256];
        cli_object_type_list(list, sizeof list);
        FAIL("type '%.80s': expected %s", c->type, list);
    }
    b->req.object_type = type;
    if (c->mode && strcmp(c->mode, "api") != 0 && strcmp(c->mode, "open") != 0)
        FAIL("mode '%.80s': expected api or open", c->mode);
    b->req.mode = (c->mode && strcmp(c->mode, "open") == 0) ? TOKSIM_ACCESS_OPEN
                                                            : TOKSIM_ACCESS_API;
    if (c->backup_intent && b->req.mode == TOKSIM_ACCESS_API)
        /* AccessCheck() has no such input: backup intent is an option of the open
         * (CreateFile FILE_FLAG_BACKUP_SEMANTICS, RegCreateKeyEx
         * REG_OPTION_BACKUP_RESTORE), where the kernel check honours it. */
        FAIL("backup_intent: AccessCheck() takes no backup intent; it belongs to an open "
             "(FILE_FLAG_BACKUP_SEMANTICS): use --mode open");
    b->req.flags = c->backup_intent ? TOKSIM_ACCESS_BACKUP_INTENT : 0;
    if (c->nobjtypes) { /* AccessCheckByType */
        if (!(b->objtypes = calloc(c->nobjtypes, sizeof *b->objtypes)))
            return EXIT_INTERNAL;
        for (size_t i = 0; i < c->nobjtypes; i++)
            if ((rc =
                     toksim_object_type_entry_parse(&b->objtypes[i], c->objtypes[i], &e)))
                FAIL("object-type '%.80s': %s", c->objtypes[i], e.message);
        b->req.object_types = b->objtypes;
        b->req.object_type_count = c->nobjtypes;
    }
    if ((rc = toksim_access_mask_parse(&b->req.desired, c->desired, type, &e)))
        FAIL("desired '%.80s': %s", c->desired,
             e.message[0] ? e.message : toksim_strerror(rc));

    if ((rc = toksim_sd_from_sddl(&b->sd, c->sddl, &ctx, &e))) {
        if (rc == TOKSIM_ENOMEM)
            return EXIT_INTERNAL;
        FAIL("sddl at offset %zu: %s", e.offset,
             e.message[0] ? e.message : toksim_strerror(rc));
    }

    toksim_sid user;
    int ec = resolve(&user, "user", c->user, &ctx, msg, msgn);
    if (ec)
        return ec;
    if (toksim_token_new(&b->tok, &user))
        return EXIT_INTERNAL;
    toksim_imp_level level = TOKSIM_IMP_IMPERSONATION;
    if (c->level && !parse_level(c->level, &level))
        FAIL("level '%.80s': expected anonymous, identification, impersonation or "
             "delegation",
             c->level);
    toksim_token_set_type(
        b->tok, c->primary ? TOKSIM_TOKEN_PRIMARY : TOKSIM_TOKEN_IMPERSONATION, level);
    uint32_t rid = TOKSIM_IL_MEDIUM;
    bool none = false;
    if (c->integrity && !parse_integrity(c->integrity, &rid, &none))
        FAIL("integrity '%.80s': expected untrusted, low, medium, medium-plus, high, "
             "system, protected or none",
             c->integrity);
    if (!none && toksim_token_set_integrity(b->tok, rid))
        return EXIT_INTERNAL;

    static const char *const group_suffixes[] = {"deny-only", "disabled", "enabled",
                                                 NULL};
    for (size_t i = 0; i < c->ngroups; i++) {
        char text[512];
        if (strlen(c->groups[i]) >= sizeof text)
            FAIL("group %zu: longer than %zu characters", i + 1, sizeof text - 1);
        snprintf(text, sizeof text, "%s", c->groups[i]);
        const char *suffix = split_suffix(text, group_suffixes);
        toksim_sid g;
        if ((ec = resolve(&g, "group", text, &ctx, msg, msgn)))
            return ec;
        uint32_t attrs = strcmp(suffix, "deny-only") == 0
                             ? TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY
                         : strcmp(suffix, "disabled") == 0 ? 0
                                                           : TOKSIM_SE_GROUP_DEFAULT;
        if ((rc = toksim_token_add_group(b->tok, &g, attrs)) == TOKSIM_ELIMIT)
            FAIL("group %zu ('%.80s'): a token holds at most %d groups "
                 "(TOKSIM_TOKEN_MAX_GROUPS, the user and the implicit groups included)",
                 i + 1, c->groups[i], TOKSIM_TOKEN_MAX_GROUPS);
        if (rc)
            FAIL("group '%.80s': %s", c->groups[i], toksim_strerror(rc));
    }
    for (size_t i = 0; i < c->nrestricted; i++) {
        toksim_sid r;
        if ((ec = resolve(&r, "restricted", c->restricted[i], &ctx, msg, msgn)))
            return ec;
        if ((rc = toksim_token_add_restricted_sid(b->tok, &r, 0)) == TOKSIM_ELIMIT)
            FAIL("restricted %zu ('%.80s'): a token holds at most %d restricted SIDs "
                 "(TOKSIM_TOKEN_MAX_GROUPS)",
                 i + 1, c->restricted[i], TOKSIM_TOKEN_MAX_GROUPS);
        if (rc)
            FAIL("restricted '%.80s': %s", c->restricted[i], toksim_strerror(rc));
    }
    toksim_token_set_write_restricted(b->tok, c->write_restricted);
    for (size_t i = 0; i < c->nclaims; i++) { /* conditional ACEs read these */
        toksim_error ce = {0};
        if ((rc = toksim_token_add_claim_spec(b->tok, c->claims[i], &ce)))
            FAIL("claim '%.80s': %s", c->claims[i],
                 ce.message[0] ? ce.message : toksim_strerror(rc));
    }
    static const char *const priv_suffixes[] = {"disabled", "enabled", NULL};
    for (size_t i = 0; i < c->nprivileges; i++) {
        char text[128];
        if (strlen(c->privileges[i]) >= sizeof text)
            FAIL("privilege %zu: longer than %zu characters", i + 1, sizeof text - 1);
        snprintf(text, sizeof text, "%s", c->privileges[i]);
        const char *suffix = split_suffix(text, priv_suffixes);
        const toksim_privilege_info *p = toksim_privilege_by_name(text);
        if (!p)
            FAIL("privilege '%.80s': no privilege has that name (e.g. SeBackupPrivilege)",
                 text);
        if (toksim_token_set_privilege(
                b->tok, p->luid,
                strcmp(suffix, "disabled") == 0 ? 0 : TOKSIM_SE_PRIVILEGE_ENABLED))
            return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

/* ---- batch ---- */

/* Collect a JSON array of strings into a fresh array (caller frees). NULL item = bad
 * input. */
static const char **string_array(
    const cJSON *a, size_t *n, const char *field, char *msg, size_t msgn, bool *bad)
{
    *n = 0;
    *bad = false;
    if (!a)
        return NULL;
    if (!cJSON_IsArray(a)) {
        snprintf(msg, msgn, "%s: expected an array of strings", field);
        *bad = true;
        return NULL;
    }
    size_t count = (size_t)cJSON_GetArraySize(a);
    const char **v = calloc(count ? count : 1, sizeof *v);
    if (!v) {
        *bad = true;
        snprintf(msg, msgn, "out of memory");
        return NULL;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, a)
    {
        if (!cJSON_IsString(it)) {
            snprintf(msg, msgn, "%s[%zu]: expected a string", field, *n);
            free(v);
            *bad = true;
            return NULL;
        }
        v[(*n)++] = it->valuestring;
    }
    return v;
}

static const char *
opt_string(const cJSON *o, const char *key, char *msg, size_t msgn, bool *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsString(v)) {
        snprintf(msg, msgn, "%s: expected a string", key);
        *bad = true;
        return NULL;
    }
    return v->valuestring;
}

/* Column (1-based, in bytes) of a member's key in a batch line, for messages; 1 when
 * the key is spelt with escapes. */
static size_t key_column(const char *line, size_t len, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl + 2 <= len; i++)
        if (line[i] == '"' && memcmp(line + i + 1, key, kl) == 0 &&
            line[i + 1 + kl] == '"')
            return i + 1;
    return 1;
}

/* The members a batch case may hold (docs: toksim access --help); anything else is an
 * error, never ignored: a misspelt "groups" would silently change the answer. */
static const char *const BATCH_KEYS[] = {
    "id",      "sddl",       "user",       "desired",       "type",
    "mode",    "integrity",  "level",      "domain",        "machine",
    "groups",  "restricted", "privileges", "backup_intent", "write_restricted",
    "primary", "claims",     NULL};

static bool batch_keys_ok(
    const cJSON *in, const char *line, size_t len, size_t lineno, char *err, size_t errn)
{
    for (const cJSON *m = in->child; m; m = m->next) {
        size_t i = 0;
        while (BATCH_KEYS[i] && strcmp(BATCH_KEYS[i], m->string) != 0)
            i++;
        if (!BATCH_KEYS[i]) {
            char shown[64], names[256];
            cli_escape(shown, sizeof shown, m->string);
            size_t used = 0; /* the list, from BATCH_KEYS itself */
            names[0] = '\0';
            for (size_t k = 0; BATCH_KEYS[k] && used < sizeof names; k++) {
                int w = snprintf(names + used, sizeof names - used, "%s%s", k ? ", " : "",
                                 BATCH_KEYS[k]);
                if (w < 0)
                    break;
                used += (size_t)w;
            }
            snprintf(err, errn,
                     "line %zu, column %zu: unknown key \"%s\" (expected one of: %s)",
                     lineno, key_column(line, len, m->string), shown, names);
            return false;
        }
    }
    return true;
}

/* A member that must be true or false when present ("yes" must not mean false). */
static bool opt_bool(const cJSON *o, const char *key, char *msg, size_t msgn, bool *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || *bad)
        return false;
    if (!cJSON_IsBool(v)) {
        snprintf(msg, msgn, "%s: expected true or false", key);
        *bad = true;
        return false;
    }
    return cJSON_IsTrue(v);
}

/* One batch line -> one output object (result or error). */
static cJSON *batch_line(const char *line, size_t len, size_t lineno)
{
    char msg[600] = "", err[700];
    cJSON *out = cJSON_CreateObject();
    /* The one strict JSON front end (toksim/json_check.h) judges the line first. */
    toksim_error jerr = {0};
    cJSON *in = toksim_json_check(line, len, &jerr) == TOKSIM_OK
                    ? cJSON_ParseWithLengthOpts(line, len, NULL, false)
                    : NULL;
    if (!in || !cJSON_IsObject(in) ||
        !batch_keys_ok(in, line, len, lineno, err, sizeof err)) {
        if (!in || !cJSON_IsObject(in))
            snprintf(err, sizeof err, "line %zu, column %d: %s", lineno,
                     in ? 1 : jerr.column,
                     in ? "expected a JSON object {\"id\", \"sddl\", \"user\", ...}"
                     : jerr.message[0] ? jerr.message
                                       : "out of memory");
        const cJSON *id =
            in && cJSON_IsObject(in) ? cJSON_GetObjectItemCaseSensitive(in, "id") : NULL;
        cJSON_AddItemToObject(out, "id",
                              id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
        cJSON_AddStringToObject(out, "error", err);
        cJSON_Delete(in);
        return out;
    }
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(in, "id");
    cJSON_AddItemToObject(out, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());

    acase c;
    memset(&c, 0, sizeof c);
    bool bad = false;
    char desired[32];
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(in, "desired");
    if (cJSON_IsNumber(d)) {
        /* an access mask is a 32-bit integer: 1.5 is an error, not 2 */
        if (!(d->valuedouble >= 0 && d->valuedouble <= 4294967295.0) ||
            d->valuedouble != (double)(uint32_t)d->valuedouble) {
            snprintf(msg, sizeof msg,
                     "desired: expected an integer from 0 to 4294967295 or a string");
            bad = true;
        }
        snprintf(desired, sizeof desired, "%.0f", d->valuedouble);
        c.desired = desired;
    } else {
        c.desired = opt_string(in, "desired", msg, sizeof msg, &bad);
    }
    if (!bad)
        c.sddl = opt_string(in, "sddl", msg, sizeof msg, &bad);
    if (!bad)
        c.user = opt_string(in, "user", msg, sizeof msg, &bad);
    if (!bad)
        c.type = opt_string(in, "type", msg, sizeof msg, &bad);
    if (!bad)
        c.mode = opt_string(in, "mode", msg, sizeof msg, &bad);
    if (!bad)
        c.integrity = opt_string(in, "integrity", msg, sizeof msg, &bad);
    if (!bad)
        c.level = opt_string(in, "level", msg, sizeof msg, &bad);
    if (!bad)
        c.domain = opt_string(in, "domain", msg, sizeof msg, &bad);
    if (!bad)
        c.machine = opt_string(in, "machine", msg, sizeof msg, &bad);
    if (!bad)
        c.groups = string_array(cJSON_GetObjectItemCaseSensitive(in, "groups"),
                                &c.ngroups, "groups", msg, sizeof msg, &bad);
    if (!bad)
        c.restricted = string_array(cJSON_GetObjectItemCaseSensitive(in, "restricted"),
                                    &c.nrestricted, "restricted", msg, sizeof msg, &bad);
    if (!bad)
        c.privileges = string_array(cJSON_GetObjectItemCaseSensitive(in, "privileges"),
                                    &c.nprivileges, "privileges", msg, sizeof msg, &bad);
    if (!bad)
        c.claims = string_array(cJSON_GetObjectItemCaseSensitive(in, "claims"),
                                &c.nclaims, "claims", msg, sizeof msg, &bad);
    c.backup_intent = opt_bool(in, "backup_intent", msg, sizeof msg, &bad);
    c.write_restricted = opt_bool(in, "write_restricted", msg, sizeof msg, &bad);
    c.primary = opt_bool(in, "primary", msg, sizeof msg, &bad);

    built b;
    memset(&b, 0, sizeof b);
    int ec = bad ? EXIT_USAGE : build(&b, &c, msg, sizeof msg);
    toksim_access_result r;
    if (!ec && toksim_access_check(&r, b.sd, b.tok, &b.req, NULL) != TOKSIM_OK) {
        ec = EXIT_INTERNAL;
        snprintf(msg, sizeof msg, "internal error in the access check");
    }
    if (ec) {
        snprintf(err, sizeof err, "line %zu: %s", lineno, msg[0] ? msg : "out of memory");
        cJSON_AddStringToObject(out, "error", err);
    } else {
        cJSON *res = cli_access_result_json(&r);
        cJSON *item;
        while ((item = cJSON_DetachItemViaPointer(res, res->child)) != NULL)
            cJSON_AddItemToObject(out, item->string, item);
        cJSON_Delete(res);
    }
    built_free(&b);
    free(c.groups);
    free(c.restricted);
    free(c.privileges);
    free(c.claims);
    cJSON_Delete(in);
    return out;
}

static int run_batch(const char *path)
{
    size_t len = 0;
    char *text = cli_read_file(PROG, path, BATCH_MAX_BYTES, &len);
    if (!text)
        return EXIT_USAGE;
    size_t lineno = 0;
    for (char *p = text; p < text + len;) {
        char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
        lineno++;
        size_t k = n;
        while (k && (p[k - 1] == '\r' || p[k - 1] == ' ' || p[k - 1] == '\t'))
            k--;
        size_t s = 0;
        while (s < k && (p[s] == ' ' || p[s] == '\t'))
            s++;
        if (s < k) { /* blank lines carry no case */
            cJSON *o;
            if (k - s > BATCH_MAX_LINE) {
                o = cJSON_CreateObject();
                cJSON_AddNullToObject(o, "id");
                char err[128];
                snprintf(err, sizeof err, "line %zu: longer than %zu bytes", lineno,
                         BATCH_MAX_LINE);
                cJSON_AddStringToObject(o, "error", err);
            } else {
                o = batch_line(p + s, k - s, lineno);
            }
            char *outs = cJSON_PrintUnformatted(o);
            if (outs)
                printf("%s\n", outs);
            free(outs);
            cJSON_Delete(o);
        }
        p += n + 1;
    }
    free(text);
    return EXIT_OK;
}

/* ---- main ---- */

/*
 * `sc sdshow` (and Get-Acl's Sddl of some objects) prints only "D:...S:...": the result
 * is a descriptor without owner and group, which AccessCheck refuses with
 * ERROR_INVALID_SECURITY_DESCR. Say what is missing and how to supply it.
 */
static void hint_no_owner_group(const toksim_sd *sd, const char *sddl)
{
    const char *missing = !sd->has_owner && !sd->has_group
                              ? "no owner (O:) and no group (G:)"
                          : !sd->has_owner ? "no owner (O:)"
                                           : "no group (G:)";
    fprintf(
        stderr,
        "%s: hint: the descriptor has %s. `sc sdshow` prints only the DACL and SACL "
        "(D: and S:), but\n"
        "  AccessCheck refuses a descriptor without owner and group "
        "(ERROR_INVALID_SECURITY_DESCR).\n"
        "  Put the object's owner and group in front of the string, for instance:\n"
        "    --sddl '%s%s%.200s'\n"
        "  (SY = SYSTEM; use the real owner where it matters: it is granted READ_CONTROL "
        "and WRITE_DAC)\n",
        PROG, missing, sd->has_owner ? "" : "O:SY", sd->has_group ? "" : "G:SY", sddl);
}

int cmd_access(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    acase c;
    memset(&c, 0, sizeof c);
    const char **lists = calloc(
        (size_t)argc * 5 + 5,
        sizeof *lists); /* groups | restricted | privileges | claims | object types */
    if (!lists)
        return EXIT_INTERNAL;
    c.groups = lists;
    c.restricted = lists + argc + 1;
    c.privileges = lists + 2 * (argc + 1);
    c.claims = lists + 3 * (argc + 1);
    c.objtypes = lists + 4 * (argc + 1);
    cli_format fmt = FMT_TEXT;
    const char *batch = NULL, *name, *val;
    int rc, ret = EXIT_USAGE;
    while ((rc = cli_opts_next(
                &o,
                "sddl,user,group,restricted,privilege,integrity,desired,"
                "type,mode,level,domain,machine,format,batch,claim,object-type",
                &name, &val)) >= 0) {
        if (rc == 0) {
            cli_usage_error(PROG, "unexpected argument '%s'", val);
            goto out;
        }
        if (cli_is_help(name)) {
            usage(stdout);
            ret = EXIT_OK;
            goto out;
        } else if (strcmp(name, "sddl") == 0)
            c.sddl = val;
        else if (strcmp(name, "user") == 0)
            c.user = val;
        else if (strcmp(name, "group") == 0)
            c.groups[c.ngroups++] = val;
        else if (strcmp(name, "restricted") == 0)
            c.restricted[c.nrestricted++] = val;
        else if (strcmp(name, "privilege") == 0)
            c.privileges[c.nprivileges++] = val;
        else if (strcmp(name, "claim") == 0)
            c.claims[c.nclaims++] = val;
        else if (strcmp(name, "object-type") == 0)
            c.objtypes[c.nobjtypes++] = val;
        else if (strcmp(name, "integrity") == 0)
            c.integrity = val;
        else if (strcmp(name, "desired") == 0)
            c.desired = val;
        else if (strcmp(name, "type") == 0)
            c.type = val;
        else if (strcmp(name, "mode") == 0)
            c.mode = val;
        else if (strcmp(name, "level") == 0)
            c.level = val;
        else if (strcmp(name, "domain") == 0)
            c.domain = val;
        else if (strcmp(name, "machine") == 0)
            c.machine = val;
        else if (strcmp(name, "batch") == 0)
            batch = val;
        else if (strcmp(name, "primary") == 0)
            c.primary = true;
        else if (strcmp(name, "backup-intent") == 0)
            c.backup_intent = true;
        else if (strcmp(name, "write-restricted") == 0)
            c.write_restricted = true;
        else if (strcmp(name, "format") == 0) {
            if (!cli_parse_format(PROG, val, "", &fmt))
                goto out;
        } else {
            cli_usage_error(PROG, "unknown option --%s", name);
            goto out;
        }
    }
    if (rc == -2)
        goto out;
    if (batch) {
        /* Each line carries its own case: a case option beside --batch would be ignored.
         */
        if (c.sddl || c.user || c.desired || c.type || c.mode || c.integrity || c.level ||
            c.domain || c.machine || c.ngroups || c.nrestricted || c.nprivileges ||
            c.nclaims || c.nobjtypes || c.primary || c.backup_intent ||
            c.write_restricted) {
            cli_usage_error(PROG, "--batch reads every case from its file: give no other "
                                  "case option");
            goto out;
        }
        ret = run_batch(batch);
        goto out;
    }
    if (!c.sddl || !c.user || !c.desired) {
        cli_usage_error(PROG, "missing --%s",
                        !c.sddl   ? "sddl"
                        : !c.user ? "user"
                                  : "desired");
        goto out;
    }
    built b;
    char msg[600] = "";
    if ((ret = build(&b, &c, msg, sizeof msg)) != EXIT_OK) {
        if (ret == EXIT_USAGE)
            cli_usage_error(PROG, "--%s", msg); /* msg starts with the field name */
        else
            fprintf(stderr, "%s: out of memory\n", PROG);
        built_free(&b);
        goto out;
    }
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_access_result r;
    if (toksim_access_check(&r, b.sd, b.tok, &b.req, &tr) != TOKSIM_OK) {
        fprintf(stderr, "%s: internal error in the access check\n", PROG);
        ret = EXIT_INTERNAL;
    } else {
        ret = cli_print_access(&r, b.req.desired, b.req.object_type, &tr, &b.ctx,
                               fmt == FMT_JSON);
        if (ret == EXIT_OK && !r.granted_all)
            ret = EXIT_MISMATCH;
        if (!b.sd->has_owner || !b.sd->has_group)
            hint_no_owner_group(b.sd, c.sddl);
    }
    toksim_trace_dispose(&tr);
    built_free(&b);
out:
    free(lists);
    return ret;
}
