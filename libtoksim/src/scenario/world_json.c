/*
 * PURPOSE: the JSON form of a world (docs/world-format.md): machine, domain, users,
 * groups, memberships, virtual accounts, OS profile, a security template ("policy_inf",
 * relative to the file) and inline right overrides ("rights"). Errors name the file, the
 * line/column of the offending value and what was wrong. Also the application pools and
 * services the machine declares (issue 18: "app_pools", "services"; plain data the
 * systems layer builds tokens from). Left out: a scenario's objects (the scenario
 * layer's).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/scen_int.h"
#include "scenario/world_json.h"
#include "scenario/run_int.h" /* ts_fmt */
#include "toksim/json_check.h"
#include "toksim/iis.h"
#include "toksim/scm.h"
#include "toksim/privilege.h"
#include "toksim/world_claims.h"
#include "scenario/claims_json.h"

/* ---- errors: positions come from the nodes of the parsed document (json_pos.c) ---- */

typedef struct jctx {
    const cJSON *root;  /* the world object: JSON paths in messages are relative to it */
    const ts_jdoc *doc; /* the document holding root, for positions (NULL: none) */
    const char *path;   /* base of relative "policy_inf" paths */
    const char *where;  /* file name for err->where */
    const char *prefix; /* prepended to JSON paths in messages ("world.") */
    toksim_error *err;
} jctx;

TS_PRINTF(4, 5)
static toksim_status
jfail(jctx *c, toksim_status code, const char *jpath, const char *fmt, ...)
{
    if (!c->err)
        return code;
    char msg[TOKSIM_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char full[320];
    ts_fmt(full, sizeof full, "%s%s", c->prefix ? c->prefix : "", jpath);
    size_t flen = strlen(full);
    if (flen && full[flen - 1] == '.')
        full[flen - 1] = '\0';
    size_t off = 0;
    int line = 0, col = 0;
    if (c->doc && c->doc->text) {
        off = ts_jpos_of(c->doc, ts_json_path_node(c->root, jpath), false);
        ts_text_linecol(c->doc->text, c->doc->len, off, &line, &col);
    }
    ts_error_set_pos(c->err, code, off, line, col, "%s: %s", *full ? full : "(root)",
                     msg);
    ts_fmt(c->err->where, sizeof c->err->where, "%s", c->where ? c->where : "<world>");
    return code;
}

static const char *get_str(const cJSON *o, const char *key)
{
    const cJSON *v = ts_jget(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A member that must be a string when present. */
static toksim_status
opt_str(jctx *c, const cJSON *o, const char *key, const char *jp, const char **out)
{
    const cJSON *v = ts_jget(o, key);
    *out = NULL;
    if (!v)
        return TOKSIM_OK;
    if (!cJSON_IsString(v)) {
        char p[256];
        ts_fmt(p, sizeof p, "%s%s%s", jp, *jp ? "." : "", key);
        return jfail(c, TOKSIM_EPARSE, p, "expected a string");
    }
    *out = v->valuestring;
    return TOKSIM_OK;
}

/* A member that must be true or false when present (a "yes" must not silently mean
 * false). */
static toksim_status
opt_bool(jctx *c, const cJSON *o, const char *key, const char *jp, bool *out)
{
    const cJSON *v = ts_jget(o, key);
    *out = cJSON_IsTrue(v);
    if (!v || cJSON_IsBool(v))
        return TOKSIM_OK;
    char p[256];
    ts_fmt(p, sizeof p, "%s%s%s", jp, *jp ? "." : "", key);
    return jfail(c, TOKSIM_EPARSE, p, "expected true or false");
}

static toksim_status
parse_sid_at(jctx *c, const char *text, const char *jp, toksim_sid *out)
{
    toksim_error e = {0};
    if (toksim_sid_parse(out, text, &e) != TOKSIM_OK)
        return jfail(c, TOKSIM_EPARSE, jp, "bad SID '%.60s': %.120s", text, e.message);
    return TOKSIM_OK;
}

static toksim_status resolve_at(
    jctx *c, const toksim_world *w, const char *name, const char *jp, toksim_sid *out)
{
    toksim_error e = {0};
    if (toksim_world_resolve(w, name, out, &e) != TOKSIM_OK)
        return jfail(c, TOKSIM_ENOTFOUND, jp, "unknown account '%.80s'", name);
    return TOKSIM_OK;
}

/* Declare the accounts of one array ("users" or "groups"). */
/* An unknown member is an error, never ignored: a typo must not silently change the
 * world. */
static toksim_status
check_keys(jctx *c, const cJSON *obj, const char *jpath, const char *const *allowed)
{
    for (const cJSON *it = obj ? obj->child : NULL; it; it = it->next) {
        bool known = false;
        for (size_t i = 0; allowed[i] && !known; i++)
            known = it->string && strcmp(it->string, allowed[i]) == 0;
        if (!known) {
            char p[128];
            ts_fmt(p, sizeof p, "%s%s%.60s", jpath, *jpath ? "." : "",
                   it->string ? it->string : "?");
            return jfail(c, TOKSIM_EPARSE, p, "unknown member \"%.60s\"",
                         it->string ? it->string : "?");
        }
    }
    return TOKSIM_OK;
}

/* ---- issue 18: the account state LogonUser checks (docs/world-format.md) ---- */

/* "YYYY-MM-DD" as a comparable number (YYYYMMDD); false when malformed. */
static bool parse_date(const char *s, long *out)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
        sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1601 || m < 1 ||
        m > 12 || d < 1 || d > 31)
        return false;
    *out = (long)y * 10000 + m * 100 + d;
    return true;
}

/* The simulated date: the world's "now" (default 2026-01-01, docs/world-format.md). */
static toksim_status world_now(jctx *c, long *now)
{
    const cJSON *v = ts_jget(c->root, "now");
    *now = 20260101L;
    if (!v)
        return TOKSIM_OK;
    if (!cJSON_IsString(v) || !parse_date(v->valuestring, now))
        return jfail(c, TOKSIM_EPARSE, "now", "expected a date \"YYYY-MM-DD\"");
    return TOKSIM_OK;
}

static toksim_status account_state(
    jctx *c, const cJSON *it, const char *jp, const toksim_world *w, uint32_t *f)
{
    static const struct {
        const char *key;
        uint32_t flag;
    } bools[] = {{"locked_out", TOKSIM_ACCOUNT_LOCKED_OUT},
                 {"password_expired", TOKSIM_ACCOUNT_PASSWORD_EXPIRED},
                 {"must_change_password", TOKSIM_ACCOUNT_MUST_CHANGE_PASSWORD},
                 {"outside_logon_hours", TOKSIM_ACCOUNT_OUTSIDE_LOGON_HOURS}};
    toksim_status rc = TOKSIM_OK;
    for (size_t i = 0; rc == TOKSIM_OK && i < sizeof bools / sizeof bools[0]; i++) {
        bool b = false;
        rc = opt_bool(c, it, bools[i].key, jp, &b);
        if (b)
            *f |= bools[i].flag;
    }
    const char *exp = NULL;
    if (rc == TOKSIM_OK)
        rc = opt_str(c, it, "account_expires", jp, &exp);
    char p[96];
    if (rc == TOKSIM_OK && exp) {
        long when, now;
        ts_fmt(p, sizeof p, "%s.account_expires", jp);
        if (!parse_date(exp, &when))
            return jfail(c, TOKSIM_EPARSE, p,
                         "expected a date \"YYYY-MM-DD\", not '%.40s'", exp);
        rc = world_now(c, &now);
        if (rc == TOKSIM_OK && when <= now) /* accountExpires: expired from that day */
            *f |= TOKSIM_ACCOUNT_EXPIRED;
    }
    const cJSON *ws = ts_jget(it, "workstations");
    if (rc == TOKSIM_OK && ws) {
        ts_fmt(p, sizeof p, "%s.workstations", jp);
        if (!cJSON_IsArray(ws))
            return jfail(c, TOKSIM_EPARSE, p, "expected an array of computer names");
        bool here = false;
        for (const cJSON *n = ws->child; n; n = n->next) {
            if (!cJSON_IsString(n))
                return jfail(c, TOKSIM_EPARSE, p, "expected an array of computer names");
            here =
                here || ts_strcasecmp(n->valuestring, toksim_world_machine_name(w)) == 0;
        }
        if (!here)
            *f |= TOKSIM_ACCOUNT_WORKSTATION_RESTRICTED;
    }
    return rc;
}

/* "settings": {"EnableLUA": 0, ...}: registry DWORDs of the machine (issue 18). */
static toksim_status settings(jctx *c, toksim_world *w)
{
    const cJSON *o = ts_jget(c->root, "settings");
    if (!o)
        return TOKSIM_OK;
    if (!cJSON_IsObject(o))
        return jfail(c, TOKSIM_EPARSE, "settings", "expected an object");
    for (const cJSON *it = o->child; it; it = it->next) {
        char p[96];
        ts_fmt(p, sizeof p, "settings.%.60s", it->string ? it->string : "?");
        if (!cJSON_IsNumber(it) || it->valuedouble < 0 ||
            it->valuedouble > 4294967295.0 ||
            it->valuedouble != (double)(uint32_t)it->valuedouble)
            return jfail(c, TOKSIM_EPARSE, p, "expected a DWORD (0 or 1)");
        toksim_error e = {0};
        if (toksim_world_set_setting(w, it->string, (uint32_t)it->valuedouble, &e) !=
            TOKSIM_OK)
            return jfail(c, TOKSIM_EPARSE, p, "%s", e.message);
    }
    return TOKSIM_OK;
}

static toksim_status
declare(jctx *c, toksim_world *w, const cJSON *arr, const char *key, bool users)
{
    if (!arr)
        return TOKSIM_OK;
    if (!cJSON_IsArray(arr))
        return jfail(c, TOKSIM_EPARSE, key, "expected an array");
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        char jp[64];
        ts_fmt(jp, sizeof jp, "%s[%d]", key, i);
        if (!cJSON_IsObject(it))
            return jfail(c, TOKSIM_EPARSE, jp, "expected an object");
        static const char *const user_keys[] = {
            "name", "scope", "password", "sid", "rid", "disabled", "sensitive",
            "protected_users", "groups",
            /* issue 18 */
            "locked_out", "password_expired", "must_change_password",
            "outside_logon_hours", "account_expires", "workstations", "kind",
            "claims" /* issue 9 */, NULL};
        static const char *const group_keys[] = {"name", "scope",   "sid",    "rid",
                                                 "kind", "members", "groups", NULL};
        toksim_status rc = check_keys(c, it, jp, users ? user_keys : group_keys);
        if (rc != TOKSIM_OK)
            return rc;
        const char *name = NULL, *scope = NULL, *pw = NULL, *sid = NULL;
        const char *kind = NULL;
        bool disabled = false, sensitive = false, protected_users = false;
        rc = opt_str(c, it, "name", jp, &name);
        if (rc == TOKSIM_OK)
            rc = opt_str(c, it, "scope", jp, &scope);
        if (rc == TOKSIM_OK)
            rc = opt_str(c, it, "kind", jp, &kind);
        if (rc == TOKSIM_OK)
            rc = opt_bool(c, it, "disabled", jp, &disabled);
        if (rc == TOKSIM_OK)
            rc = opt_bool(c, it, "sensitive", jp, &sensitive);
        if (rc == TOKSIM_OK)
            rc = opt_bool(c, it, "protected_users", jp, &protected_users);
        if (rc == TOKSIM_OK)
            rc = opt_str(c, it, "password", jp, &pw);
        if (rc == TOKSIM_OK)
            rc = opt_str(c, it, "sid", jp, &sid);
        if (rc != TOKSIM_OK)
            return rc;
        uint32_t kind_flags = 0; /* issue 18: account kinds of "users" */
        if (users && kind) {
            if (strcmp(kind, "computer") == 0)
                kind_flags = TOKSIM_ACCOUNT_COMPUTER;
            else if (strcmp(kind, "gmsa") == 0)
                kind_flags = TOKSIM_ACCOUNT_MANAGED_SERVICE;
            else if (strcmp(kind, "user") != 0) {
                char p[80];
                ts_fmt(p, sizeof p, "%s.kind", jp);
                return jfail(
                    c, TOKSIM_EPARSE, p,
                    "kind must be \"user\", \"computer\" or \"gmsa\", not '%.40s'", kind);
            }
            kind = "user";
        }
        if (!name || !*name) /* fuzz-hard: an empty name is not a missing one */
            return jfail(c, TOKSIM_EPARSE, jp,
                         name ? "\"name\" is empty (expected the account name)"
                              : "missing \"name\"");
        toksim_account a;
        memset(&a, 0, sizeof a);
        const char *bs = strchr(name, '\\');
        bool domain = scope && strcmp(scope, "domain") == 0;
        if (scope && !domain && strcmp(scope, "machine") != 0) {
            char p[80];
            ts_fmt(p, sizeof p, "%s.scope", jp);
            return jfail(c, TOKSIM_EPARSE, p,
                         "scope must be \"machine\" or \"domain\", not '%.40s'", scope);
        }
        if (bs) { /* "CONTOSO\alice" or "WS01\bob" picks the scope by its prefix */
            const char *dn = toksim_world_domain_name(w);
            size_t pl = (size_t)(bs - name);
            if (dn && strlen(dn) == pl && ts_strncasecmp(dn, name, pl) == 0)
                domain = true;
            else if (!(strlen(toksim_world_machine_name(w)) == pl &&
                       ts_strncasecmp(toksim_world_machine_name(w), name, pl) == 0))
                return jfail(c, TOKSIM_ENOTFOUND, jp,
                             "'%.80s': the prefix is neither the machine nor the domain",
                             name);
            name = bs + 1;
        }
        a.name = name;
        a.scope = domain ? TOKSIM_SCOPE_DOMAIN : TOKSIM_SCOPE_MACHINE;
        bool is_user = kind ? strcmp(kind, "user") == 0 : users;
        if (kind && !is_user && strcmp(kind, "group") != 0 &&
            strcmp(kind, "alias") != 0) {
            char p[80];
            ts_fmt(p, sizeof p, "%s.kind", jp);
            return jfail(c, TOKSIM_EPARSE, p,
                         "kind must be \"user\", \"group\" or \"alias\", not '%.40s'",
                         kind);
        }
        /* a machine "group" is an alias (SidTypeAlias), as SAM stores local groups */
        a.kind = is_user                                           ? TOKSIM_ACCOUNT_USER
                 : (kind && strcmp(kind, "alias") == 0) || !domain ? TOKSIM_ACCOUNT_ALIAS
                                                                   : TOKSIM_ACCOUNT_GROUP;
        a.password = pw;
        const cJSON *rid = ts_jget(it, "rid");
        if (rid) {
            if (!cJSON_IsNumber(rid) || rid->valuedouble < 1 ||
                rid->valuedouble > 4294967295.0 ||
                rid->valuedouble != (double)(uint32_t)rid->valuedouble) {
                char p[80];
                ts_fmt(p, sizeof p, "%s.rid", jp);
                return jfail(c, TOKSIM_EPARSE, p,
                             "rid must be an integer from 1 to 4294967295");
            }
            a.rid = (uint32_t)rid->valuedouble;
        }
        if (sid) {
            char p[80];
            ts_fmt(p, sizeof p, "%s.sid", jp);
            rc = parse_sid_at(c, sid, p, &a.sid);
            if (rc != TOKSIM_OK)
                return rc;
        }
        if (disabled)
            a.flags |= TOKSIM_ACCOUNT_DISABLED;
        if (sensitive)
            a.flags |= TOKSIM_ACCOUNT_SENSITIVE;
        if (protected_users)
            a.flags |= TOKSIM_ACCOUNT_PROTECTED_USERS;
        a.flags |= kind_flags;
        if (is_user) {
            rc = account_state(c, it, jp, w, &a.flags);
            if (rc != TOKSIM_OK)
                return rc;
        }
        toksim_error e = {0};
        rc = toksim_world_add_account(w, &a, NULL, &e);
        if (rc != TOKSIM_OK)
            return jfail(c, rc, jp, "%s", e.message);
    }
    return TOKSIM_OK;
}

/* Add memberships listed as names in `list` (array of strings) at jp. */
static toksim_status add_list(jctx *c,
                              toksim_world *w,
                              const cJSON *list,
                              const char *jp,
                              const toksim_sid *fixed,
                              bool fixed_is_group)
{
    if (!list)
        return TOKSIM_OK;
    if (!cJSON_IsArray(list))
        return jfail(c, TOKSIM_EPARSE, jp, "expected an array of account names");
    int i = 0;
    for (const cJSON *m = list->child; m; m = m->next, i++) {
        char p[128];
        ts_fmt(p, sizeof p, "%s[%d]", jp, i);
        if (!cJSON_IsString(m))
            return jfail(c, TOKSIM_EPARSE, p, "expected an account name");
        toksim_sid other;
        toksim_status rc = resolve_at(c, w, m->valuestring, p, &other);
        if (rc != TOKSIM_OK)
            return rc;
        toksim_error e = {0};
        rc = fixed_is_group ? toksim_world_add_member(w, fixed, &other, &e)
                            : toksim_world_add_member(w, &other, fixed, &e);
        if (rc != TOKSIM_OK)
            return jfail(c, rc, p, "%s", e.message);
    }
    return TOKSIM_OK;
}

static toksim_status memberships(jctx *c, toksim_world *w, const cJSON *root)
{
    /* groups[].members (the items are members) and users[]/groups[].groups (the items are
     * groups) */
    static const char *const arrays[] = {"groups", "users"};
    static const struct {
        const char *key;
        bool item_is_group;
    } lists[] = {{"members", true}, {"groups", false}};
    for (size_t k = 0; k < 2; k++) {
        const cJSON *arr = ts_jget(root, arrays[k]);
        int i = 0;
        for (const cJSON *it = arr ? arr->child : NULL; it; it = it->next, i++) {
            char jp[64], p[80];
            ts_fmt(jp, sizeof jp, "%s[%d]", arrays[k], i);
            const char *name = get_str(it, "name");
            toksim_sid sid;
            toksim_status rc = resolve_at(c, w, name, jp, &sid);
            for (size_t l = 0; rc == TOKSIM_OK && l < 2; l++) {
                ts_fmt(p, sizeof p, "%s.%s", jp, lists[l].key);
                rc = add_list(c, w, ts_jget(it, lists[l].key), p, &sid,
                              lists[l].item_is_group);
            }
            if (rc != TOKSIM_OK)
                return rc;
        }
    }
    const cJSON *ms = ts_jget(root, "memberships");
    if (ms && !cJSON_IsArray(ms))
        return jfail(c, TOKSIM_EPARSE, "memberships",
                     "expected an array of {\"group\", \"member\"}");
    int i = 0;
    for (const cJSON *it = ms ? ms->child : NULL; it; it = it->next, i++) {
        char jp[64], pg[80], pm[80];
        ts_fmt(jp, sizeof jp, "memberships[%d]", i);
        ts_fmt(pg, sizeof pg, "%s.group", jp);
        ts_fmt(pm, sizeof pm, "%s.member", jp);
        static const char *const keys[] = {"group", "member", NULL};
        toksim_status krc = cJSON_IsObject(it) ? check_keys(c, it, jp, keys) : TOKSIM_OK;
        if (krc != TOKSIM_OK)
            return krc;
        const char *g = get_str(it, "group"), *m = get_str(it, "member");
        if (!g || !m)
            return jfail(c, TOKSIM_EPARSE, jp,
                         "expected {\"group\": name, \"member\": name}");
        toksim_sid gs, msid;
        toksim_status rc = resolve_at(c, w, g, pg, &gs);
        if (rc == TOKSIM_OK)
            rc = resolve_at(c, w, m, pm, &msid);
        toksim_error e = {0};
        if (rc == TOKSIM_OK && toksim_world_add_member(w, &gs, &msid, &e) != TOKSIM_OK)
            rc = jfail(c, TOKSIM_EINVAL, pg, "%s", e.message);
        if (rc != TOKSIM_OK)
            return rc;
    }
    return TOKSIM_OK;
}

static toksim_status
load_inf(jctx *c, toksim_world *w, const char *rel, const char *jp, bool configure)
{
    char full[4096];
    const char *slash = c->path ? strrchr(c->path, '/') : NULL;
    int k = rel[0] == '/' || !slash ? ts_fmt(full, sizeof full, "%s", rel)
                                    : ts_fmt(full, sizeof full, "%.*s/%s",
                                             (int)(slash - c->path), c->path, rel);
    if (k < 0 || (size_t)k >= sizeof full) /* never open a truncated path */
        return jfail(c, TOKSIM_ELIMIT, jp, "security template path longer than %zu bytes",
                     sizeof full - 1);
    char *buf = NULL;
    size_t n = 0;
    toksim_error e = {0};
    toksim_status rc = ts_read_file(&buf, &n, full, TOKSIM_INF_MAX_BYTES, &e);
    if (rc == TOKSIM_ENOMEM)
        return rc;
    if (rc != TOKSIM_OK)
        return jfail(c, rc, jp, "security template '%.200s': %.200s", full, e.message);
    toksim_policy *tmpl = NULL;
    rc = toksim_policy_parse_inf(&tmpl, (const uint8_t *)buf, n, full, w, c->err);
    free(buf);
    if (rc != TOKSIM_OK)
        return rc; /* the INF error names the template file and its line */
    rc = configure ? toksim_policy_configure(toksim_world_policy(w), tmpl,
                                             TOKSIM_SECEDIT_READD_IMPERSONATE, NULL)
                   : toksim_policy_apply(toksim_world_policy(w), tmpl);
    toksim_policy_free(tmpl);
    return rc;
}

static toksim_status
policy_at(jctx *c, toksim_world *w, const cJSON *root, const char *prefix)
{
    bool configure = false;
    const cJSON *inf = ts_jget(root, "policy_inf");
    toksim_status rc = opt_bool(c, root, "secedit_configure", "", &configure);
    if (rc != TOKSIM_OK)
        return rc;
    if (cJSON_IsString(inf)) {
        char jp[64];
        ts_fmt(jp, sizeof jp, "%spolicy_inf", prefix);
        rc = load_inf(c, w, inf->valuestring, jp, configure);
    } else if (cJSON_IsArray(inf)) {
        int i = 0;
        for (const cJSON *it = inf->child; rc == TOKSIM_OK && it; it = it->next, i++) {
            char jp[64];
            ts_fmt(jp, sizeof jp, "%spolicy_inf[%d]", prefix, i);
            rc = cJSON_IsString(it) ? load_inf(c, w, it->valuestring, jp, configure)
                                    : jfail(c, TOKSIM_EPARSE, jp, "expected a file name");
        }
    } else if (inf) {
        char jp[64];
        ts_fmt(jp, sizeof jp, "%spolicy_inf", prefix);
        rc =
            jfail(c, TOKSIM_EPARSE, jp, "expected a file name or an array of file names");
    }
    const cJSON *rights = ts_jget(root, "rights");
    if (rc != TOKSIM_OK || !rights)
        return rc;
    char rp[64];
    ts_fmt(rp, sizeof rp, "%srights", prefix);
    if (!cJSON_IsObject(rights))
        return jfail(c, TOKSIM_EPARSE, rp,
                     "expected an object {\"SeXxxPrivilege\": [holders]}");
    for (const cJSON *r = rights->child; rc == TOKSIM_OK && r; r = r->next) {
        char jp[200];
        ts_fmt(jp, sizeof jp, "%s.%.100s", rp, r->string);
        const toksim_right_info *ri = toksim_right_by_name(r->string);
        if (!ri)
            return jfail(c, TOKSIM_ENOTFOUND, jp, "unknown right '%.100s'", r->string);
        if (!cJSON_IsArray(r))
            return jfail(c, TOKSIM_EPARSE, jp, "expected an array of holders");
        int given = cJSON_GetArraySize(r); /* room for what is given, up to the cap */
        size_t room = given < 1                                ? 1
                      : (size_t)given < TOKSIM_INF_MAX_HOLDERS ? (size_t)given
                                                               : TOKSIM_INF_MAX_HOLDERS;
        toksim_sid *sids = ts_calloc(room, sizeof *sids);
        if (!sids)
            return TOKSIM_ENOMEM;
        size_t n = 0;
        int i = 0;
        for (const cJSON *h = r->child; rc == TOKSIM_OK && h; h = h->next, i++) {
            char p[240];
            ts_fmt(p, sizeof p, "%s[%d]", jp, i);
            if (!cJSON_IsString(h))
                rc = jfail(c, TOKSIM_EPARSE, p, "expected an account name or SID");
            else if (n >= TOKSIM_INF_MAX_HOLDERS)
                rc = jfail(c, TOKSIM_ELIMIT, p, "too many holders");
            else
                rc = resolve_at(
                    c, w, h->valuestring[0] == '*' ? h->valuestring + 1 : h->valuestring,
                    p, &sids[n++]);
        }
        if (rc == TOKSIM_OK) /* replaces the list, as a GPO does */
            rc = toksim_policy_set(toksim_world_policy(w), ri->right, sids, n);
        free(sids);
    }
    return rc;
}

/* ---- issue 18: "app_pools" and "services" (docs/world-format.md) ----
 * Each entry becomes a world declaration (world.h); the systems layer's one parser
 * (toksim_iis_pool_config_from_decl / toksim_service_config_from_decl) checks it here, so
 * a bad identity or SID type is an error with its position, not a failure at use. */

/* The array `key` of the world, each element checked to be an object with `keys`. */
static toksim_status
decl_array(jctx *c, const char *key, const cJSON **out, const char *const *keys)
{
    *out = ts_jget(c->root, key);
    if (!*out)
        return TOKSIM_OK;
    if (!cJSON_IsArray(*out))
        return jfail(c, TOKSIM_EPARSE, key, "expected an array of objects");
    int i = 0;
    for (const cJSON *it = (*out)->child; it; it = it->next, i++) {
        char jp[64];
        ts_fmt(jp, sizeof jp, "%s[%d]", key, i);
        if (!cJSON_IsObject(it))
            return jfail(c, TOKSIM_EPARSE, jp, "expected an object with a \"name\"");
        toksim_status rc = check_keys(c, it, jp, keys);
        if (rc != TOKSIM_OK)
            return rc;
        const cJSON *n = ts_jget(it, "name");
        if (!cJSON_IsString(n) || !n->valuestring[0]) {
            char np[80];
            ts_fmt(np, sizeof np, "%s.name", jp);
            return jfail(c, TOKSIM_EPARSE, n ? np : jp, "expected a non-empty \"name\"");
        }
    }
    return TOKSIM_OK;
}

static toksim_status app_pools(jctx *c, toksim_world *w)
{
    static const char *const keys[] = {
        "name", "identity", "user", "password", "manual_group_membership", "note", NULL};
    const cJSON *arr;
    toksim_status rc = decl_array(c, "app_pools", &arr, keys);
    int i = 0;
    for (const cJSON *it = arr && !rc ? arr->child : NULL; it && !rc;
         it = it->next, i++) {
        char jp[64], fp[96];
        ts_fmt(jp, sizeof jp, "app_pools[%d]", i);
        toksim_world_pool d;
        memset(&d, 0, sizeof d);
        d.name = get_str(it, "name");
        const char *note = NULL;
        rc = opt_str(c, it, "identity", jp, &d.identity);
        if (!rc)
            rc = opt_str(c, it, "user", jp, &d.user);
        if (!rc)
            rc = opt_str(c, it, "password", jp, &d.password);
        if (!rc)
            rc = opt_str(c, it, "note", jp, &note);
        if (!rc)
            rc = opt_bool(c, it, "manual_group_membership", jp,
                          &d.manual_group_membership);
        toksim_iis_identity id;
        ts_fmt(fp, sizeof fp, "%s.identity", jp);
        if (!rc && d.identity && toksim_iis_identity_parse(&id, d.identity))
            return jfail(c, TOKSIM_EPARSE, fp,
                         "unknown identity '%.40s' (expected ApplicationPoolIdentity, "
                         "NetworkService, LocalService, LocalSystem or SpecificUser)",
                         d.identity);
        toksim_iis_pool_config cfg;
        toksim_error e = {0};
        if (!rc && toksim_iis_pool_config_from_decl(&cfg, &d, &e))
            return jfail(c, TOKSIM_EPARSE, jp, "%s", e.message);
        toksim_sid sid;
        ts_fmt(fp, sizeof fp, "%s.user", jp);
        if (!rc && d.user)
            rc = resolve_at(c, w, d.user, fp, &sid);
        if (!rc && toksim_world_add_pool(w, &d, &e))
            rc = jfail(c, TOKSIM_EPARSE, jp, "%s", e.message);
    }
    return rc;
}

/* "required_privileges": ["SeChangeNotifyPrivilege", ...] -> LUIDs. */
static toksim_status
required_privs(jctx *c, const cJSON *it, const char *jp, uint32_t *luids, size_t *n)
{
    const cJSON *rp = ts_jget(it, "required_privileges");
    char p[96];
    ts_fmt(p, sizeof p, "%s.required_privileges", jp);
    *n = 0;
    if (!rp)
        return TOKSIM_OK;
    if (!cJSON_IsArray(rp))
        return jfail(c, TOKSIM_EPARSE, p, "expected an array of privilege names");
    int j = 0;
    for (const cJSON *v = rp->child; v; v = v->next, j++) {
        char vp[112];
        ts_fmt(vp, sizeof vp, "%s[%d]", p, j);
        const toksim_privilege_info *pi =
            cJSON_IsString(v) ? toksim_privilege_by_name(v->valuestring) : NULL;
        if (!pi)
            return jfail(c, TOKSIM_EPARSE, vp,
                         "expected a privilege name such as \"SeChangeNotifyPrivilege\"");
        if (*n >= TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES)
            return jfail(c, TOKSIM_ELIMIT, vp, "more than %u required privileges",
                         TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES);
        luids[(*n)++] = pi->luid;
    }
    return TOKSIM_OK;
}

static toksim_status services(jctx *c, toksim_world *w)
{
    static const char *const keys[] = {
        "name", "account", "password", "sid_type", "required_privileges", "note", NULL};
    const cJSON *arr;
    toksim_status rc = decl_array(c, "services", &arr, keys);
    int i = 0;
    for (const cJSON *it = arr && !rc ? arr->child : NULL; it && !rc;
         it = it->next, i++) {
        char jp[64], fp[96];
        ts_fmt(jp, sizeof jp, "services[%d]", i);
        toksim_world_service d;
        memset(&d, 0, sizeof d);
        d.name = get_str(it, "name");
        const char *note = NULL;
        uint32_t luids[TOKSIM_WORLD_MAX_REQUIRED_PRIVILEGES];
        rc = opt_str(c, it, "account", jp, &d.account);
        if (!rc)
            rc = opt_str(c, it, "password", jp, &d.password);
        if (!rc)
            rc = opt_str(c, it, "sid_type", jp, &d.sid_type);
        if (!rc)
            rc = opt_str(c, it, "note", jp, &note);
        if (!rc)
            rc = required_privs(c, it, jp, luids, &d.required_privilege_count);
        d.required_privileges = luids;
        toksim_service_sid_type st;
        ts_fmt(fp, sizeof fp, "%s.sid_type", jp);
        if (!rc && d.sid_type && toksim_service_sid_type_parse(&st, d.sid_type))
            return jfail(c, TOKSIM_EPARSE, fp,
                         "unknown SID type '%.40s' (expected none, unrestricted or "
                         "restricted)",
                         d.sid_type);
        toksim_service_config cfg;
        toksim_error e = {0};
        ts_fmt(fp, sizeof fp, "%s.account", jp);
        if (!rc && toksim_service_config_from_decl(&cfg, &d, &e))
            return jfail(c, TOKSIM_EPARSE, fp, "%s", e.message);
        toksim_sid sid;
        if (!rc && cfg.account == TOKSIM_SVC_USER)
            rc = resolve_at(c, w, cfg.account_name, fp, &sid);
        if (!rc && toksim_world_add_service(w, &d, &e))
            rc = jfail(c, TOKSIM_EPARSE, jp, "%s", e.message);
    }
    return rc;
}

/* ---- issue 9: claims (Dynamic Access Control) ---- */

/* One claims object {"name": value, ...} at jp: each member becomes a claim. */
static toksim_status claims_object(
    jctx *c, toksim_world *w, const cJSON *o, const char *jp, const toksim_sid *user)
{
    if (!cJSON_IsObject(o))
        return jfail(c, TOKSIM_EPARSE, jp,
                     "expected an object {\"claim name\": value, ...}");
    for (const cJSON *it = o->child; it; it = it->next) {
        char p[200], text[1024], why[160];
        ts_fmt(p, sizeof p, "%s.%.100s", jp, it->string ? it->string : "?");
        if (!ts_claim_text_from_json(it, text, sizeof text, why, sizeof why))
            return jfail(c, TOKSIM_EPARSE, p, "expected %s", why);
        toksim_error e = {0};
        toksim_status rc = user ? toksim_world_add_user_claim(w, user, text, &e)
                                : toksim_world_add_device_claim(w, text, &e);
        if (rc == TOKSIM_ENOMEM)
            return rc;
        if (rc)
            return jfail(c, rc, p, "%s", e.message);
    }
    return TOKSIM_OK;
}

/* users[].claims, machine.device_claims and machine.device_groups, once every account
 * is declared (a claim needs a domain account; a device group is any name). */
static toksim_status world_claims(jctx *c, toksim_world *w, const cJSON *root)
{
    const cJSON *users = ts_jget(root, "users");
    int i = 0;
    for (const cJSON *it = cJSON_IsArray(users) ? users->child : NULL; it;
         it = it->next, i++) {
        const cJSON *cl = ts_jget(it, "claims");
        if (!cl)
            continue;
        char jp[64], p[80];
        ts_fmt(jp, sizeof jp, "users[%d]", i);
        ts_fmt(p, sizeof p, "%s.claims", jp);
        toksim_sid sid;
        toksim_status rc = resolve_at(c, w, get_str(it, "name"), jp, &sid);
        if (rc == TOKSIM_OK)
            rc = claims_object(c, w, cl, p, &sid);
        if (rc)
            return rc;
    }
    const cJSON *m = ts_jget(root, "machine");
    const cJSON *dc = m ? ts_jget(m, "device_claims") : NULL;
    toksim_status rc =
        dc ? claims_object(c, w, dc, "machine.device_claims", NULL) : TOKSIM_OK;
    const cJSON *dg = m ? ts_jget(m, "device_groups") : NULL;
    if (rc || !dg)
        return rc;
    if (!cJSON_IsArray(dg))
        return jfail(c, TOKSIM_EPARSE, "machine.device_groups",
                     "expected an array of group names or SIDs");
    i = 0;
    for (const cJSON *g = dg->child; g; g = g->next, i++) {
        char p[80];
        ts_fmt(p, sizeof p, "machine.device_groups[%d]", i);
        if (!cJSON_IsString(g))
            return jfail(c, TOKSIM_EPARSE, p, "expected a group name or SID");
        toksim_sid sid;
        toksim_error e = {0};
        if ((rc = resolve_at(c, w, g->valuestring, p, &sid)) != TOKSIM_OK)
            return rc;
        if ((rc = toksim_world_add_device_group(w, &sid, &e)) != TOKSIM_OK)
            return jfail(c, rc, p, "%s", e.message);
    }
    return TOKSIM_OK;
}

/* ---- issue 18: "trusts" and "computer_object" (docs/world-format.md) ---- */

/* The accounts of one trusted domain ("users" or "groups" of a trust entry). */
static toksim_status trust_accounts(jctx *c,
                                    toksim_world *w,
                                    const cJSON *tr,
                                    const char *tname,
                                    const char *jp,
                                    bool users)
{
    static const char *const ukeys[] = {"name", "rid", "note", NULL};
    static const char *const gkeys[] = {"name", "rid", "members", "note", NULL};
    const char *key = users ? "users" : "groups";
    const cJSON *arr = ts_jget(tr, key);
    char ap[96];
    ts_fmt(ap, sizeof ap, "%s.%s", jp, key);
    if (!arr)
        return TOKSIM_OK;
    if (!cJSON_IsArray(arr))
        return jfail(c, TOKSIM_EPARSE, ap, "expected an array of objects");
    int i = 0;
    for (const cJSON *it = arr->child; it; it = it->next, i++) {
        char ip[128], fp[160];
        ts_fmt(ip, sizeof ip, "%s[%d]", ap, i);
        toksim_status rc = cJSON_IsObject(it)
                               ? check_keys(c, it, ip, users ? ukeys : gkeys)
                               : jfail(c, TOKSIM_EPARSE, ip, "expected an object");
        if (rc != TOKSIM_OK)
            return rc;
        toksim_account a;
        memset(&a, 0, sizeof a);
        a.kind = users ? TOKSIM_ACCOUNT_USER : TOKSIM_ACCOUNT_GROUP;
        a.name = get_str(it, "name");
        const cJSON *rid = ts_jget(it, "rid");
        ts_fmt(fp, sizeof fp, "%s.rid", ip);
        if (rid && (!cJSON_IsNumber(rid) || rid->valuedouble < 1 ||
                    rid->valuedouble > 4294967295.0 ||
                    rid->valuedouble != (double)(uint32_t)rid->valuedouble))
            return jfail(c, TOKSIM_EPARSE, fp, "expected a RID (a positive integer)");
        a.rid = rid ? (uint32_t)rid->valuedouble : 0;
        toksim_error e = {0};
        ts_fmt(fp, sizeof fp, "%s.name", ip);
        if (!a.name)
            return jfail(c, TOKSIM_EPARSE, ts_jget(it, "name") ? fp : ip,
                         "expected a non-empty \"name\"");
        if (toksim_world_add_trusted_account(w, tname, &a, NULL, &e))
            return jfail(c, TOKSIM_EPARSE, fp, "%s", e.message);
    }
    return TOKSIM_OK;
}

/* Group members of a trust entry: names of that domain ("dave") or any name. */
static toksim_status trust_members(
    jctx *c, toksim_world *w, const cJSON *tr, const char *tname, const char *jp)
{
    const cJSON *arr = ts_jget(tr, "groups");
    int i = 0;
    for (const cJSON *g = cJSON_IsArray(arr) ? arr->child : NULL; g; g = g->next, i++) {
        const cJSON *mem = ts_jget(g, "members");
        char mp[160];
        ts_fmt(mp, sizeof mp, "%s.groups[%d].members", jp, i);
        if (!mem)
            continue;
        if (!cJSON_IsArray(mem))
            return jfail(c, TOKSIM_EPARSE, mp, "expected an array of account names");
        char q[2 * TOKSIM_WORLD_MAX_NAME + 2];
        ts_fmt(q, sizeof q, "%s\\%s", tname, get_str(g, "name"));
        toksim_sid gs, ms;
        toksim_error e = {0};
        if (toksim_world_resolve(w, q, &gs, &e))
            return jfail(c, TOKSIM_EPARSE, mp, "%s", e.message);
        int j = 0;
        for (const cJSON *m = mem->child; m; m = m->next, j++) {
            char ep[176];
            ts_fmt(ep, sizeof ep, "%s[%d]", mp, j);
            if (!cJSON_IsString(m))
                return jfail(c, TOKSIM_EPARSE, ep, "expected an account name");
            ts_fmt(q, sizeof q, "%s\\%s", tname, m->valuestring);
            toksim_status rc = TOKSIM_OK;
            if (strchr(m->valuestring, '\\') ||
                toksim_world_resolve(w, q, &ms, &e) != TOKSIM_OK)
                rc = resolve_at(c, w, m->valuestring, ep, &ms);
            if (rc == TOKSIM_OK && toksim_world_add_member(w, &gs, &ms, &e))
                rc = jfail(c, TOKSIM_EPARSE, ep, "%s", e.message);
            if (rc != TOKSIM_OK)
                return rc;
        }
    }
    return TOKSIM_OK;
}

static toksim_status trusts(jctx *c, toksim_world *w)
{
    static const char *const keys[] = {
        "name",  "sid",    "direction", "type", "selective_authentication",
        "users", "groups", "note",      NULL};
    const cJSON *arr;
    toksim_status rc = decl_array(c, "trusts", &arr, keys);
    int i = 0;
    for (const cJSON *it = arr && !rc ? arr->child : NULL; it && !rc;
         it = it->next, i++) {
        char jp[64], fp[96];
        ts_fmt(jp, sizeof jp, "trusts[%d]", i);
        toksim_world_trust t;
        memset(&t, 0, sizeof t);
        t.name = get_str(it, "name");
        t.direction = TOKSIM_TRUST_BIDIRECTIONAL;
        t.forest = true;
        const char *sid = NULL, *dir = NULL, *type = NULL, *note = NULL;
        rc = opt_str(c, it, "sid", jp, &sid);
        if (!rc)
            rc = opt_str(c, it, "direction", jp, &dir);
        if (!rc)
            rc = opt_str(c, it, "type", jp, &type);
        if (!rc)
            rc = opt_str(c, it, "note", jp, &note);
        if (!rc)
            rc = opt_bool(c, it, "selective_authentication", jp,
                          &t.selective_authentication);
        if (!rc && !sid)
            return jfail(c, TOKSIM_EPARSE, jp,
                         "a trust needs the \"sid\" of the trusted domain");
        ts_fmt(fp, sizeof fp, "%s.sid", jp);
        if (!rc)
            rc = parse_sid_at(c, sid, fp, &t.sid);
        static const char *const dirs[] = {"inbound", "outbound", "bidirectional"};
        ts_fmt(fp, sizeof fp, "%s.direction", jp);
        if (!rc && dir) {
            t.direction = 0;
            for (int d = 0; d < 3; d++)
                if (strcmp(dir, dirs[d]) == 0)
                    t.direction = (toksim_trust_direction)(d + 1);
            if (!t.direction)
                return jfail(c, TOKSIM_EPARSE, fp,
                             "expected inbound, outbound or bidirectional, not '%.40s'",
                             dir);
        }
        ts_fmt(fp, sizeof fp, "%s.type", jp);
        if (!rc && type) {
            if (strcmp(type, "forest") && strcmp(type, "external"))
                return jfail(c, TOKSIM_EPARSE, fp,
                             "expected forest or external, not '%.40s'", type);
            t.forest = strcmp(type, "forest") == 0;
        }
        toksim_error e = {0};
        if (!rc && toksim_world_add_trust(w, &t, &e))
            return jfail(c, TOKSIM_EPARSE, jp, "%s", e.message);
        if (!rc)
            rc = trust_accounts(c, w, it, t.name, jp, true);
        if (!rc)
            rc = trust_accounts(c, w, it, t.name, jp, false);
        if (!rc)
            rc = trust_members(c, w, it, t.name, jp);
    }
    return rc;
}

/* "computer_object": this machine's object in the domain, for selective authentication:
 * its "sddl", or the accounts "allowed_to_authenticate" (each an object ACE granting the
 * Allowed-To-Authenticate control access right). */
static toksim_status computer_object(jctx *c, toksim_world *w)
{
    static const char *const keys[] = {"sddl", "allowed_to_authenticate", "note", NULL};
    const cJSON *o = ts_jget(c->root, "computer_object");
    if (!o)
        return TOKSIM_OK;
    if (!cJSON_IsObject(o))
        return jfail(c, TOKSIM_EPARSE, "computer_object", "expected an object");
    const char *sddl = NULL, *note = NULL;
    toksim_status rc = check_keys(c, o, "computer_object", keys);
    if (!rc)
        rc = opt_str(c, o, "sddl", "computer_object", &sddl);
    if (!rc)
        rc = opt_str(c, o, "note", "computer_object", &note);
    const cJSON *ata = ts_jget(o, "allowed_to_authenticate");
    if (rc)
        return rc;
    if (!toksim_world_domain_name(w))
        return jfail(c, TOKSIM_EPARSE, "computer_object",
                     "only a joined machine has a computer object");
    if (sddl && ata)
        return jfail(c, TOKSIM_EPARSE, "computer_object.allowed_to_authenticate",
                     "give \"sddl\" or \"allowed_to_authenticate\", not both");
    if (ata && !cJSON_IsArray(ata))
        return jfail(c, TOKSIM_EPARSE, "computer_object.allowed_to_authenticate",
                     "expected an array of account names");
    /* Without an sddl: Domain Admins full control, Authenticated Users read (the ACEs
     * that matter here are the object ACEs added below). */
    /* each ACE: "(OA;;CR;" GUID ";;" SID ")" */
    size_t per_ace =
        16 + sizeof TOKSIM_GUID_ALLOWED_TO_AUTHENTICATE + TOKSIM_SID_STRING_MAX;
    size_t cap = 64 + (size_t)cJSON_GetArraySize(ata) * per_ace, len = 0;
    char *text = sddl ? NULL : malloc(cap);
    if (!sddl && !text)
        return jfail(c, TOKSIM_ENOMEM, "computer_object", "out of memory");
    if (text)
        len = (size_t)ts_fmt(text, cap, "O:DAG:DAD:(A;;GA;;;DA)(A;;RPLCLORC;;;AU)");
    int j = 0;
    for (const cJSON *m = ata ? ata->child : NULL; m && !rc; m = m->next, j++) {
        char ep[96];
        ts_fmt(ep, sizeof ep, "computer_object.allowed_to_authenticate[%d]", j);
        toksim_sid sid;
        char sidtext[TOKSIM_SID_STRING_MAX];
        rc = cJSON_IsString(m) ? resolve_at(c, w, m->valuestring, ep, &sid)
                               : jfail(c, TOKSIM_EPARSE, ep, "expected an account name");
        if (!rc) {
            toksim_sid_format(sidtext, sizeof sidtext, &sid);
            int k = ts_fmt(text + len, cap - len, "(OA;;CR;%s;;%s)",
                           TOKSIM_GUID_ALLOWED_TO_AUTHENTICATE, sidtext);
            if (k < 0 || (size_t)k >= cap - len) /* cannot happen: cap counts the worst */
                rc = jfail(c, TOKSIM_ELIMIT, ep, "computer object too large");
            else
                len += (size_t)k;
        }
    }
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    toksim_sid_context ctx = toksim_world_sid_context(w);
    if (!rc && toksim_sd_from_sddl(&sd, sddl ? sddl : text, &ctx, &e))
        rc = jfail(c, TOKSIM_EPARSE,
                   sddl ? "computer_object.sddl"
                        : "computer_object.allowed_to_authenticate",
                   "%s", e.message);
    if (!rc && toksim_world_set_computer_sd(w, sd))
        rc = jfail(c, TOKSIM_ENOMEM, "computer_object", "out of memory");
    toksim_sd_free(sd);
    free(text);
    return rc;
}

static toksim_status load_world(toksim_world **out, const cJSON *root, jctx c)
{
    *out = NULL;
    if (!cJSON_IsObject(root))
        return jfail(&c, TOKSIM_EPARSE, "", "a world is a JSON object");
    /* "objects" belongs to a scenario's world (the scenario layer reads it), not to the
     * identity model. */
    static const char *const top_keys[] = {"machine",
                                           "domain",
                                           "os",
                                           "users",
                                           "groups",
                                           "memberships",
                                           "virtual_accounts",
                                           "rights",
                                           "policy_inf",
                                           "secedit_configure",
                                           "objects",
                                           "note",
                                           "now",
                                           "settings",
                                           "app_pools",
                                           "services",
                                           "trusts",
                                           "computer_object",
                                           NULL};
    static const char *const machine_keys[] = {
        "name", "sid", "os", "device_claims", "device_groups" /* issue 9 */, NULL};
    static const char *const domain_keys[] = {"name", "sid", NULL};
    toksim_status krc = check_keys(&c, root, "", top_keys);
    if (krc == TOKSIM_OK && cJSON_IsObject(ts_jget(root, "machine")))
        krc = check_keys(&c, ts_jget(root, "machine"), "machine", machine_keys);
    if (krc == TOKSIM_OK && cJSON_IsObject(ts_jget(root, "domain")))
        krc = check_keys(&c, ts_jget(root, "domain"), "domain", domain_keys);
    long now_; /* issue 18: "now" is checked even when no account expires */
    if (krc == TOKSIM_OK)
        krc = world_now(&c, &now_);
    if (krc != TOKSIM_OK)
        return krc;
    const cJSON *m = ts_jget(root, "machine");
    if (m && !cJSON_IsObject(m))
        return jfail(&c, TOKSIM_EPARSE, "machine",
                     "expected an object {\"name\", \"sid\", \"os\"}");
    const char *mname = NULL, *msid = NULL, *os = NULL, *os2 = NULL;
    toksim_status rc = opt_str(&c, m, "name", "machine", &mname);
    if (rc == TOKSIM_OK)
        rc = opt_str(&c, m, "sid", "machine", &msid);
    if (rc == TOKSIM_OK)
        rc = opt_str(&c, m, "os", "machine", &os);
    if (rc == TOKSIM_OK)
        rc = opt_str(&c, root, "os", "", &os2);
    const char *note = NULL; /* documented free text: a string, like every "note" */
    if (rc == TOKSIM_OK)
        rc = opt_str(&c, root, "note", "", &note);
    if (rc != TOKSIM_OK)
        return rc;
    toksim_sid ms;
    if (msid && (rc = parse_sid_at(&c, msid, "machine.sid", &ms)) != TOKSIM_OK)
        return rc;
    char known[128] = ""; /* the profile table's names, not a copy of them */
    bool bad_os =
        (os && !toksim_os_profile_find(os)) || (os2 && !toksim_os_profile_find(os2));
    for (size_t i = 0, len = 0;
         bad_os && i < toksim_os_profile_count() && len < sizeof known; i++)
        len += (size_t)ts_fmt(known + len, sizeof known - len, "%s%s", i ? ", " : "",
                              toksim_os_profile_at(i)->name);
    if (os && !toksim_os_profile_find(os))
        return jfail(&c, TOKSIM_ENOTFOUND, "machine.os",
                     "unknown OS profile '%.40s' (known: %s)", os, known);
    if (os2 && !toksim_os_profile_find(os2))
        return jfail(&c, TOKSIM_ENOTFOUND, "os", "unknown OS profile '%.40s' (known: %s)",
                     os2, known);
    toksim_world *w = NULL;
    toksim_error e = {0};
    rc = toksim_world_new(&w, mname ? mname : "WS01", msid ? &ms : NULL, os ? os : os2,
                          &e);
    if (rc != TOKSIM_OK)
        return jfail(&c, rc, "machine", "%s", e.message);
    const cJSON *d = ts_jget(root, "domain");
    if (d) {
        const char *dn = get_str(d, "name"), *ds = get_str(d, "sid");
        toksim_sid dsid;
        if (!cJSON_IsObject(d) || !dn || !ds)
            rc = jfail(&c, TOKSIM_EPARSE, "domain",
                       "expected {\"name\": \"CONTOSO\", \"sid\": \"S-1-5-21-...\"}");
        else if ((rc = parse_sid_at(&c, ds, "domain.sid", &dsid)) == TOKSIM_OK &&
                 (rc = toksim_world_join_domain(w, dn, &dsid, &e)) != TOKSIM_OK)
            rc = jfail(&c, rc, "domain", "%s", e.message);
    }
    if (rc == TOKSIM_OK)
        rc = declare(&c, w, ts_jget(root, "groups"), "groups", false);
    if (rc == TOKSIM_OK)
        rc = declare(&c, w, ts_jget(root, "users"), "users", true);
    const cJSON *va = ts_jget(root, "virtual_accounts");
    if (rc == TOKSIM_OK && va && !cJSON_IsArray(va))
        rc = jfail(&c, TOKSIM_EPARSE, "virtual_accounts",
                   "expected an array of account names");
    int i = 0;
    for (const cJSON *it = (rc == TOKSIM_OK && cJSON_IsArray(va)) ? va->child : NULL;
         it && rc == TOKSIM_OK; it = it->next, i++) {
        char jp[64];
        ts_fmt(jp, sizeof jp, "virtual_accounts[%d]", i);
        if (!cJSON_IsString(it) ||
            toksim_world_add_virtual(w, it->valuestring, NULL, &e) != TOKSIM_OK)
            rc = jfail(&c, TOKSIM_EPARSE, jp,
                       "expected \"NT SERVICE\\\\name\" or \"IIS APPPOOL\\\\name\"");
    }
    if (rc == TOKSIM_OK)
        rc = trusts(&c,
                    w); /* issue 18: before memberships, which may name their accounts */
    if (rc == TOKSIM_OK)
        rc = memberships(&c, w, root);
    if (rc == TOKSIM_OK)
        rc = world_claims(&c, w, root); /* issue 9 */
    if (rc == TOKSIM_OK)
        rc = policy_at(&c, w, root, "");
    if (rc == TOKSIM_OK)
        rc = settings(&c, w); /* issue 18 */
    if (rc == TOKSIM_OK)
        rc = app_pools(&c, w); /* issue 18: pools and services declared in the world */
    if (rc == TOKSIM_OK)
        rc = services(&c, w);
    if (rc == TOKSIM_OK)
        rc = computer_object(&c, w);
    if (rc != TOKSIM_OK) {
        toksim_world_free(w);
        return rc;
    }
    *out = w;
    return TOKSIM_OK;
}

toksim_status ts_world_from_cjson(toksim_world **out,
                                  const cJSON *root,
                                  const ts_jdoc *doc,
                                  const char *path,
                                  const char *where,
                                  const char *json_prefix,
                                  toksim_error *err)
{
    jctx c = {root, doc, path, where ? where : path, json_prefix, err};
    return load_world(out, root, c);
}

toksim_status toksim_world_from_json(
    toksim_world **out, const char *text, size_t len, const char *path, toksim_error *err)
{
    if (!out || (!text && len))
        return TOKSIM_EINVAL;
    *out = NULL;
    jctx c = {NULL, NULL, path, path, NULL, err};
    if (len > TOKSIM_WORLD_JSON_MAX_BYTES)
        return jfail(&c, TOKSIM_ELIMIT, "",
                     "world file larger than 64 MiB (TOKSIM_WORLD_JSON_MAX_BYTES)");
    /* The one strict reader (json_strict.c): its messages say what is wrong. */
    ts_jdoc doc;
    toksim_status rc = ts_jdoc_parse(&doc, text ? text : "", len, SIZE_MAX, err);
    if (rc) {
        if (err)
            ts_fmt(err->where, sizeof err->where, "%s", path ? path : "<world>");
        return rc;
    }
    c.root = doc.root;
    c.doc = &doc;
    rc = load_world(out, doc.root, c);
    ts_jdoc_dispose(&doc);
    return rc;
}

toksim_status
toksim_world_load_file(toksim_world **out, const char *path, toksim_error *err)
{
    if (!out || !path)
        return TOKSIM_EINVAL;
    *out = NULL;
    char *buf = NULL;
    size_t n = 0;
    toksim_status rc = ts_read_file(&buf, &n, path, TOKSIM_WORLD_JSON_MAX_BYTES, err);
    if (rc != TOKSIM_OK)
        return rc; /* err names the file */
    rc = toksim_world_from_json(out, buf, n, path, err);
    free(buf);
    return rc;
}
