/*
 * PURPOSE: `toksim access`: one AccessCheck (or kernel open check) of a token described
 * on the command line against an SDDL security descriptor, printed with its decision
 * trace; or a batch of such cases, one JSON object per line, answered one JSON line each
 * (for differential testing). Presentation only: the token, the descriptor and the check
 * are libtoksim's.
 */
#include <cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "batch_cache.h"
#include "batch_fast.h"
#include "cli.h"
#include "toksim/json_check.h"

static const char *const PROG = "toksim access";

/* Longest line of a batch (the batch itself is streamed: any length, constant memory). */
#define BATCH_MAX_LINE ((size_t)1 << 20)
/* The batch's caches: parsed descriptors keyed by SDDL text, built tokens keyed by the
 * token members; emptied when either bound is reached (docs/PERFORMANCE.md). */
#define BATCH_CACHE_ENTRIES   1024
#define BATCH_CACHE_KEY_BYTES ((size_t)16 << 20)

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
        "            (--batch: 0 once the file is read; errors are reported per line;\n"
        "            2 at a line longer than 1 MiB, after the answers before it)\n");
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
    bool shared_sd, shared_tok;         /* sd / tok belong to the batch's caches */
} built;

/* A SID text parsed last, and its SID. */
typedef struct sid_memo {
    char *text; /* the last text parsed, or NULL */
    toksim_sid sid;
} sid_memo;

/* What a batch keeps from one case to the next (NULL outside --batch). */
typedef struct batch_caches {
    cli_cache *sds, *toks, *masks; /* masks: desired text + type -> access mask */
    cli_key key;
    fast_line fl;             /* the fast line reader's scratch */
    cli_jbuf ob;              /* the answer line being written */
    sid_memo domain, machine; /* the last domain / machine SID texts */
    bool has_default_machine; /* default_machine holds TOKSIM_DEFAULT_MACHINE_SID */
    toksim_sid default_machine;
} batch_caches;

/* toksim_sid_parse(), remembering the last text that parsed (errors are not kept). */
static toksim_status
parse_memo(sid_memo *m, toksim_sid *out, const char *text, toksim_error *e)
{
    if (m && m->text && strcmp(m->text, text) == 0) {
        *out = m->sid;
        return TOKSIM_OK;
    }
    toksim_status rc = toksim_sid_parse(out, text, e);
    if (!rc && m) {
        char *t = strdup(text);
        if (t) {
            free(m->text);
            m->text = t;
            m->sid = *out;
        }
    }
    return rc;
}

static void built_free(built *b)
{
    if (!b->shared_sd)
        toksim_sd_free(b->sd);
    if (!b->shared_tok)
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
    *none = strcmp(s, "none") == 0;
    return *none || toksim_integrity_parse(s, rid);
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

/* Cache keys: the text a built object depends on (the SID context included). */
static void sd_key(cli_key *k, const acase *c)
{
    cli_key_reset(k);
    cli_key_str(k, c->domain);
    cli_key_str(k, c->machine);
    cli_key_str(k, c->sddl);
}

static void key_list(cli_key *k, const char *const *v, size_t n)
{
    cli_key_num(k, n);
    for (size_t i = 0; i < n; i++)
        cli_key_str(k, v[i]);
}

static void tok_key(cli_key *k, const acase *c)
{
    cli_key_reset(k);
    cli_key_str(k, c->domain);
    cli_key_str(k, c->machine);
    cli_key_str(k, c->user);
    cli_key_str(k, c->level);
    cli_key_str(k, c->integrity);
    cli_key_num(k, (size_t)c->primary * 2 + (size_t)c->write_restricted);
    key_list(k, c->groups, c->ngroups);
    key_list(k, c->restricted, c->nrestricted);
    key_list(k, c->claims, c->nclaims);
    key_list(k, c->privileges, c->nprivileges);
}

static void free_sd(void *p)
{
    toksim_sd_free(p);
}

static void free_tok(void *p)
{
    toksim_token_free(p);
}

static int build_token(built *b, const acase *c, char *msg, size_t msgn);

/* Build token, descriptor and request; on an input error write a message naming the
 * field. With caches (--batch), a descriptor or token built before for the same text is
 * reused: only successes are cached, so every error is still found and worded as without
 * them. */
static int build(built *b, const acase *c, batch_caches *bc, char *msg, size_t msgn)
{
    memset(b, 0, sizeof *b);
    toksim_error e = {0};
    toksim_status rc;
    if (c->domain) {
        if ((rc = parse_memo(bc ? &bc->domain : NULL, &b->domain, c->domain, &e)))
            FAIL("domain '%.80s': %s", c->domain, e.message);
        b->ctx.domain = &b->domain;
    }
    if (c->machine) {
        if ((rc = parse_memo(bc ? &bc->machine : NULL, &b->machine, c->machine, &e)))
            FAIL("machine '%.80s': %s", c->machine, e.message);
        b->ctx.machine = &b->machine;
    } else if (bc && bc->has_default_machine) {
        b->machine = bc->default_machine;
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
    b->req.flags = c->backup_intent ? TOKSIM_ACCESS_BACKUP_INTENT : 0;
    if ((rc = toksim_access_request_validate(&b->req, &e))) /* the library's rule */
        FAIL("backup_intent: %s", e.message);
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
    const uint32_t *known = NULL;
    if (bc) {
        cli_key_reset(&bc->key);
        cli_key_num(&bc->key, (size_t)type);
        cli_key_str(&bc->key, c->desired);
        if (bc->key.failed)
            return EXIT_INTERNAL;
        known = cli_cache_get(bc->masks, bc->key.buf, bc->key.len);
    }
    if (known) {
        b->req.desired = *known;
    } else {
        if ((rc = toksim_access_mask_parse(&b->req.desired, c->desired, type, &e)))
            FAIL("desired '%.80s': %s", c->desired,
                 e.message[0] ? e.message : toksim_strerror(rc));
        uint32_t *keep = bc ? malloc(sizeof *keep) : NULL;
        if (keep) { /* a cache miss only costs time: ignore a failure to keep it */
            *keep = b->req.desired;
            cli_cache_put(bc->masks, bc->key.buf, bc->key.len, keep);
        }
    }

    if (bc) {
        sd_key(&bc->key, c);
        if (bc->key.failed)
            return EXIT_INTERNAL;
        b->sd = cli_cache_get(bc->sds, bc->key.buf, bc->key.len);
        b->shared_sd = b->sd != NULL;
    }
    if (!b->sd) {
        if ((rc = toksim_sd_from_sddl(&b->sd, c->sddl, &ctx, &e))) {
            if (rc == TOKSIM_ENOMEM)
                return EXIT_INTERNAL;
            FAIL("sddl at offset %zu: %s", e.offset,
                 e.message[0] ? e.message : toksim_strerror(rc));
        }
        if (bc) {
            b->shared_sd = true; /* the cache owns it now, even when put fails */
            if (!cli_cache_put(bc->sds, bc->key.buf, bc->key.len, b->sd)) {
                b->sd = NULL;
                return EXIT_INTERNAL;
            }
        }
    }

    if (bc) {
        tok_key(&bc->key, c);
        if (bc->key.failed)
            return EXIT_INTERNAL;
        b->tok = cli_cache_get(bc->toks, bc->key.buf, bc->key.len);
        if (b->tok) {
            b->shared_tok = true;
            return EXIT_OK;
        }
    }
    int ec = build_token(b, c, msg, msgn);
    if (ec || !bc)
        return ec;
    b->shared_tok = true;
    if (!cli_cache_put(bc->toks, bc->key.buf, bc->key.len, b->tok)) {
        b->tok = NULL;
        return EXIT_INTERNAL;
    }
    return EXIT_OK;
}

/* The token of a case (build() step). */
static int build_token(built *b, const acase *c, char *msg, size_t msgn)
{
    const toksim_sid_context ctx = b->ctx;
    toksim_status rc;
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

/* A case's id as the input gave it: a cJSON item (strict path) or a fast_val. */
typedef struct out_id {
    const cJSON *j;
    const fast_val *f;
} out_id;

static void put_id(cli_jbuf *ob, const out_id *id)
{
    ob->len = 0;
    cli_jbuf_cstr(ob, "{\"id\":");
    if (id->f && id->f->kind == FAST_STR)
        cli_jbuf_str(ob, id->f->str);
    else if (id->f && id->f->kind == FAST_INT)
        cli_jbuf_cstr(ob, id->f->str); /* 0..999999999, as cJSON prints it */
    else
        cli_jbuf_value(ob, id->j); /* NULL: null */
}

/* The line assembled in ob, ended. */
static void put_line(FILE *out, cli_jbuf *ob)
{
    cli_jbuf_raw(ob, "}\n", 2);
    if (ob->failed) {
        fputs("{\"id\":null,\"error\":\"out of memory\"}\n", out);
        ob->failed = false;
        return;
    }
    fwrite(ob->buf, 1, ob->len, out);
}

/* {"id": id, "error": err}, as one output line. */
static void put_error(FILE *out, cli_jbuf *ob, const out_id *id, const char *err)
{
    put_id(ob, id);
    cli_jbuf_cstr(ob, ",\"error\":");
    cli_jbuf_str(ob, err);
    put_line(out, ob);
}

/* Build, check and answer one case read from line `lineno` (bad: reading it failed,
 * msg says why). */
static void answer(FILE *out,
                   const acase *c,
                   bool bad,
                   char *msg,
                   size_t msgn,
                   const out_id *id,
                   size_t lineno,
                   batch_caches *bc)
{
    char err[700];
    built b;
    memset(&b, 0, sizeof b);
    int ec = bad ? EXIT_USAGE : build(&b, c, bc, msg, msgn);
    toksim_access_result r;
    if (!ec && toksim_access_check(&r, b.sd, b.tok, &b.req, NULL) != TOKSIM_OK) {
        ec = EXIT_INTERNAL;
        snprintf(msg, msgn, "internal error in the access check");
    }
    if (ec) {
        snprintf(err, sizeof err, "line %zu: %s", lineno, msg[0] ? msg : "out of memory");
        put_error(out, &bc->ob, id, err);
    } else {
        put_id(&bc->ob, id);
        cli_access_result_write(&bc->ob, &r);
        put_line(out, &bc->ob);
    }
    built_free(&b);
}

/* BATCH_KEYS positions, in the table's order. */
enum {
    BK_ID,
    BK_SDDL,
    BK_USER,
    BK_DESIRED,
    BK_TYPE,
    BK_MODE,
    BK_INTEGRITY,
    BK_LEVEL,
    BK_DOMAIN,
    BK_MACHINE,
    BK_GROUPS,
    BK_RESTRICTED,
    BK_PRIVILEGES,
    BK_BACKUP_INTENT,
    BK_WRITE_RESTRICTED,
    BK_PRIMARY,
    BK_CLAIMS,
    BK__COUNT
};

/* A case from the fast reader's values; false when a member has a type the strict path
 * must judge (it then words the error). */
static bool fast_case(const fast_line *fl, acase *c)
{
    static const int want[BK__COUNT] = {
        [BK_GROUPS] = FAST_ARR,         [BK_RESTRICTED] = FAST_ARR,
        [BK_PRIVILEGES] = FAST_ARR,     [BK_CLAIMS] = FAST_ARR,
        [BK_BACKUP_INTENT] = FAST_BOOL, [BK_WRITE_RESTRICTED] = FAST_BOOL,
        [BK_PRIMARY] = FAST_BOOL}; /* 0: a string (id and desired: or an integer) */
    const fast_val *v = fl->vals;
    for (int i = 0; i < BK__COUNT; i++) {
        int k = v[i].kind, w = want[i] ? want[i] : FAST_STR;
        if (k != FAST_ABSENT && k != w &&
            !(k == FAST_INT && (i == BK_ID || i == BK_DESIRED)))
            return false;
    }
    memset(c, 0, sizeof *c);
    c->sddl = v[BK_SDDL].str;
    c->user = v[BK_USER].str;
    c->desired = v[BK_DESIRED].str;
    c->type = v[BK_TYPE].str;
    c->mode = v[BK_MODE].str;
    c->integrity = v[BK_INTEGRITY].str;
    c->level = v[BK_LEVEL].str;
    c->domain = v[BK_DOMAIN].str;
    c->machine = v[BK_MACHINE].str;
    c->groups = v[BK_GROUPS].items;
    c->ngroups = v[BK_GROUPS].n;
    c->restricted = v[BK_RESTRICTED].items;
    c->nrestricted = v[BK_RESTRICTED].n;
    c->privileges = v[BK_PRIVILEGES].items;
    c->nprivileges = v[BK_PRIVILEGES].n;
    c->claims = v[BK_CLAIMS].items;
    c->nclaims = v[BK_CLAIMS].n;
    c->backup_intent = v[BK_BACKUP_INTENT].b;
    c->write_restricted = v[BK_WRITE_RESTRICTED].b;
    c->primary = v[BK_PRIMARY].b;
    return true;
}

/* One batch line -> one output line (result or error), written straight to `out` with
 * the bytes cJSON_PrintUnformatted gave when the answer was a cJSON object. */
static void
batch_line(FILE *out, const char *line, size_t len, size_t lineno, batch_caches *bc)
{
    char msg[600] = "", err[700];
    acase c;
    /* The common shape first (batch_fast.h): it reads nothing the strict path would read
     * otherwise, and leaves every error to it. */
    if (bc && fast_parse(&bc->fl, line, len, BATCH_KEYS, BK__COUNT) &&
        fast_case(&bc->fl, &c)) {
        out_id fid = {NULL, &bc->fl.vals[BK_ID]};
        answer(out, &c, false, msg, sizeof msg, &fid, lineno, bc);
        return;
    }
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
        out_id id = {in && cJSON_IsObject(in) ? cJSON_GetObjectItemCaseSensitive(in, "id")
                                              : NULL,
                     NULL};
        put_error(out, &bc->ob, &id, err);
        cJSON_Delete(in);
        return;
    }
    out_id id = {cJSON_GetObjectItemCaseSensitive(in, "id"), NULL};

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
    answer(out, &c, bad, msg, sizeof msg, &id, lineno, bc);
    free(c.groups);
    free(c.restricted);
    free(c.privileges);
    free(c.claims);
    cJSON_Delete(in);
}

/* A line reader over a stream with a bounded buffer: constant memory whatever the
 * input's length. */
typedef struct line_reader {
    FILE *f;
    char *buf;
    size_t cap, start, end, total; /* total: bytes read */
    bool eof;
} line_reader;

/* The next line (without its '\n') in *line, *len: 1; end of input: 0; a line longer
 * than BATCH_MAX_LINE: -1; read error or out of memory: -2. */
static int next_line(line_reader *r, const char **line, size_t *len)
{
    for (;;) {
        char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
        if (nl || (r->eof && r->start < r->end)) {
            char *e = nl ? nl : r->buf + r->end;
            *line = r->buf + r->start;
            *len = (size_t)(e - *line);
            if (*len > BATCH_MAX_LINE)
                return -1;
            r->start = (size_t)(e - r->buf) + (nl != NULL);
            return 1;
        }
        if (r->eof)
            return 0;
        if (r->end - r->start > BATCH_MAX_LINE)
            return -1;  /* no newline within the limit */
        if (r->start) { /* keep the partial line, drop what was consumed */
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->start = 0;
        }
        if (r->end == r->cap) {
            size_t cap = r->cap * 2;
            if (cap > BATCH_MAX_LINE + 2)
                cap = BATCH_MAX_LINE + 2; /* room for the longest line and its newline */
            char *b = realloc(r->buf, cap);
            if (!b)
                return -2;
            r->buf = b;
            r->cap = cap;
        }
        size_t got = fread(r->buf + r->end, 1, r->cap - r->end, r->f);
        r->end += got;
        r->total += got;
        if (got == 0) {
            if (ferror(r->f))
                return -2;
            r->eof = true;
        }
    }
}

static int run_batch(const char *path)
{
    line_reader rd = {cli_open_input(PROG, path), NULL, 64 << 10, 0, 0, 0, false};
    if (!rd.f)
        return EXIT_USAGE;
    batch_caches bc = {
        cli_cache_new(BATCH_CACHE_ENTRIES, BATCH_CACHE_KEY_BYTES, free_sd),
        cli_cache_new(BATCH_CACHE_ENTRIES, BATCH_CACHE_KEY_BYTES, free_tok),
        cli_cache_new(BATCH_CACHE_ENTRIES, BATCH_CACHE_KEY_BYTES, free),
        {0},
        {0},
        {0},
        {0},
        {0},
        false,
        {0}};
    bc.has_default_machine =
        toksim_sid_parse(&bc.default_machine, TOKSIM_DEFAULT_MACHINE_SID, NULL) ==
        TOKSIM_OK;
    int ret = EXIT_OK;
    rd.buf = malloc(rd.cap);
    if (!rd.buf || !bc.sds || !bc.toks || !bc.masks) {
        fprintf(stderr, "%s: out of memory\n", PROG);
        ret = EXIT_INTERNAL;
        goto done;
    }
    const char *p;
    size_t n, lineno = 0;
    int got;
    while ((got = next_line(&rd, &p, &n)) > 0) {
        lineno++;
        size_t k = n;
        while (k && (p[k - 1] == '\r' || p[k - 1] == ' ' || p[k - 1] == '\t'))
            k--;
        size_t s = 0;
        while (s < k && (p[s] == ' ' || p[s] == '\t'))
            s++;
        if (s < k) /* blank lines carry no case */
            batch_line(stdout, p + s, k - s, lineno, &bc);
    }
    if (got == -1) {
        fflush(stdout); /* the answers so far, then the reason for stopping */
        fprintf(stderr,
                "%s: %s: line %zu: longer than %zu bytes (the limit of one line)\n", PROG,
                path, lineno + 1, BATCH_MAX_LINE);
        ret = EXIT_USAGE;
    } else if (got == -2) {
        fflush(stdout);
        fprintf(stderr, "%s: %s: read error: %s\n", PROG, path,
                ferror(rd.f) ? strerror(errno) : "out of memory");
        ret = EXIT_USAGE;
    } else {
        cli_note(PROG, "%s: read %zu bytes", strcmp(path, "-") ? path : "<stdin>",
                 rd.total);
    }
done:
    if (rd.f && rd.f != stdin)
        fclose(rd.f);
    free(rd.buf);
    cli_cache_free(bc.sds);
    cli_cache_free(bc.toks);
    cli_cache_free(bc.masks);
    free(bc.domain.text);
    free(bc.machine.text);
    cli_key_dispose(&bc.key);
    fast_line_dispose(&bc.fl);
    free(bc.ob.buf);
    return ret;
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
    if ((ret = build(&b, &c, NULL, msg, sizeof msg)) != EXIT_OK) {
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
