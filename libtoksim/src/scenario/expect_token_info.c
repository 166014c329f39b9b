/*
 * PURPOSE: the "token_info" expectation: {"TokenType": "Primary", "TokenElevationType":
 * "Limited", "TokenGroups": {"BUILTIN\\Administrators": ["Mandatory", "UseForDenyOnly"]},
 * "TokenLinkedToken": {"TokenImpersonationLevel": "Identification"}, "TokenOrigin":
 * "0x3e7", "TokenImpersonationLevel": {"error": "ERROR_INVALID_PARAMETER"} ...}. Every
 * member is checked at load (class names, account and privilege names, attribute words,
 * error names) with file:line:col errors; at check time each class is queried through
 * toksim_token_query() (GetTokenInformation) and compared.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/expect_token_info.h"
#include "scenario/run_int.h"
#include "scenario/world_glue.h"
#include "scenario/ops_token_api.h"
#include "toksim/token_api.h"
#include "scenario/model_int.h"

typedef enum item_kind {
    K_ERROR, /* the call fails with `error` */
    K_SID,   /* TokenUser/Owner/PrimaryGroup */
    K_U32,   /* a number (type, level, session, elevation type, IL RID ...) */
    K_U64,   /* a LUID (TokenOrigin, AuthenticationId) */
    K_BOOL,  /* TokenElevation, TokenHasRestrictions, TokenIsAppContainer */
    K_GROUP, /* one group / restricting SID: attributes or absent */
    K_PRIV,  /* one privilege: attributes or absent */
    K_STAT,  /* one TokenStatistics member (stat) */
    K_NESTED /* TokenLinkedToken: classes of the linked token */
} item_kind;

enum { ST_AUTH_ID, ST_TOKEN_TYPE, ST_LEVEL, ST_GROUP_COUNT, ST_PRIV_COUNT, ST_N };
static const char *const stat_names[ST_N] = {"AuthenticationId", "TokenType",
                                             "ImpersonationLevel", "GroupCount",
                                             "PrivilegeCount"};

typedef struct item {
    toksim_token_info_class cls;
    item_kind kind;
    /* both borrowed from the scenario's decoded strings (sc->strings; issue 11) */
    const char *error; /* K_ERROR */
    const char *label; /* what the scenario wrote (account name, privilege ...) */
    toksim_sid sid;
    uint32_t u32; /* value, attributes, LUID of a privilege (K_PRIV: luid) */
    uint32_t attrs;
    bool absent;
    uint64_t u64;
    int stat;
    ts_tokinfo_exp *nested;
} item;

struct ts_tokinfo_exp {
    item *v;
    size_t n, cap;
};

static const char *const type_names[] = {"", "Primary", "Impersonation"};
static const char *const elev_names[] = {"", "Default", "Full", "Limited"};
static const char *const level_names[] = {"Anonymous", "Identification", "Impersonation",
                                          "Delegation"};

void ts_tokinfo_free(ts_tokinfo_exp *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n; i++) {
        ts_tokinfo_free(e->v[i].nested);
    }
    free(e->v);
    free(e);
}

size_t ts_tokinfo_count(const ts_tokinfo_exp *e)
{
    size_t n = 0;
    for (size_t i = 0; e && i < e->n; i++)
        n += e->v[i].kind == K_NESTED ? ts_tokinfo_count(e->v[i].nested) : 1;
    return n;
}

static item *push(ts_tokinfo_exp *e, toksim_token_info_class cls, item_kind kind)
{
    if (!ts_grow((void **)&e->v, &e->cap, e->n + 1, sizeof *e->v))
        return NULL;
    item *it = &e->v[e->n++];
    memset(it, 0, sizeof *it);
    it->cls = cls;
    it->kind = kind;
    return it;
}

/* ---- loading ---- */

static int name_index(const char *s, const char *const *names, int n)
{
    for (int i = 0; s && i < n; i++)
        if (names[i][0] && strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* An attribute value: "absent", a number, "0x...", or a list of words. */
static toksim_status
load_attrs(ts_loader *L, const cJSON *c, const char *path, bool priv, item *it)
{
    if (cJSON_IsString(c) && strcmp(c->valuestring, "absent") == 0) {
        it->absent = true;
        return TOKSIM_OK;
    }
    if (ts_parse_u32(c, &it->attrs))
        return TOKSIM_OK;
    if (cJSON_IsArray(c)) {
        int count = 0;
        for (const cJSON *w = c->child; w; w = w->next, count++) {
            bool found = false;
            uint32_t bit;
            const char *word;
            for (size_t k = 0;
                 cJSON_IsString(w) && (word = toksim_token_attr_word(priv, k, &bit));
                 k++) {
                if (strcmp(w->valuestring, word) == 0) {
                    it->attrs |= bit;
                    found = true;
                }
            }
            if (!found || count >= 32) {
                char names[256]; /* the words, from the one table */
                size_t used = 0;
                names[0] = '\0';
                for (size_t k = 0; (word = toksim_token_attr_word(priv, k, NULL)); k++) {
                    int n = ts_fmt(names + used, sizeof names - used, "%s%s",
                                   k ? ", " : "", word);
                    if (n < 0 || (size_t)n >= sizeof names - used)
                        break;
                    used += (size_t)n;
                }
                return ts_load_fail(L, TOKSIM_EPARSE, w, false, path,
                                    "expected an attribute word: %s", names);
            }
        }
        return TOKSIM_OK;
    }
    return ts_load_fail(L, TOKSIM_EPARSE, c, false, path,
                        "expected \"absent\", an attribute mask (a number or \"0x...\") "
                        "or a list of attribute words");
}

static toksim_status load_list(ts_loader *L,
                               const toksim_scenario *sc,
                               const cJSON *obj,
                               const char *path,
                               toksim_token_info_class cls,
                               ts_tokinfo_exp *e)
{
    bool priv = cls == TOKSIM_TIC_PRIVILEGES;
    if (!cJSON_IsObject(obj) || !obj->child)
        return ts_load_fail(L, TOKSIM_EPARSE, obj, false, path,
                            "expected a non-empty object of %s and their attributes",
                            priv ? "privilege names" : "account or group names");
    int count = 0;
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (++count > TS_SCEN_MAX_LIST)
            return ts_load_fail(L, TOKSIM_ELIMIT, c, true, path, "more than %d entries",
                                TS_SCEN_MAX_LIST);
        char fpath[512];
        ts_fmt(fpath, sizeof fpath, "%.300s.%.80s", path, c->string);
        item *it = push(e, cls, priv ? K_PRIV : K_GROUP);
        if (!it)
            return TOKSIM_ENOMEM;
        it->label = c->string;
        if (priv) {
            const toksim_privilege_info *pi = toksim_privilege_by_name(c->string);
            if (!pi)
                return ts_load_fail(
                    L, TOKSIM_ENOTFOUND, c, true, path,
                    "unknown privilege \"%.80s\" (expected a name such as "
                    "\"SeChangeNotifyPrivilege\")",
                    c->string);
            it->u32 = (uint32_t)pi->luid;
        } else if (ts_world_glue_resolve(sc->world, c->string, &it->sid, NULL) !=
                   TOKSIM_OK) {
            return ts_load_fail(L, TOKSIM_ENOTFOUND, c, true, path,
                                "unknown account or group \"%.80s\" (expected a name of "
                                "the world, a well-known name, an SDDL alias or a SID)",
                                c->string);
        }
        toksim_status rc = load_attrs(L, c, fpath, priv, it);
        if (rc)
            return rc;
    }
    return TOKSIM_OK;
}

static bool parse_luid(const cJSON *c, uint64_t *out)
{
    if (cJSON_IsNumber(c) && c->valuedouble >= 0 && c->valuedouble < 9.0e15) {
        *out = (uint64_t)c->valuedouble;
        return (double)*out == c->valuedouble;
    }
    if (!cJSON_IsString(c))
        return false;
    const char *s = c->valuestring;
    char *end = NULL;
    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2] || strlen(s) > 18)
        return false;
    *out = strtoull(s + 2, &end, 16);
    return end && !*end;
}

static toksim_status
load_stats(ts_loader *L, const cJSON *obj, const char *path, ts_tokinfo_exp *e)
{
    if (!cJSON_IsObject(obj) || !obj->child)
        return ts_load_fail(L, TOKSIM_EPARSE, obj, false, path,
                            "expected an object of TOKEN_STATISTICS members "
                            "(AuthenticationId, TokenType, ImpersonationLevel, "
                            "GroupCount, PrivilegeCount)");
    for (const cJSON *c = obj->child; c; c = c->next) {
        char fpath[512];
        ts_fmt(fpath, sizeof fpath, "%.300s.%.60s", path, c->string);
        int k = name_index(c->string, stat_names, ST_N);
        for (const cJSON *d = obj->child; d != c; d = d->next)
            if (strcmp(d->string, c->string) == 0)
                k = -2;
        if (k < 0)
            return ts_load_fail(L, TOKSIM_EPARSE, c, true, path,
                                k == -2
                                    ? "member \"%.60s\" appears twice"
                                    : "unknown TOKEN_STATISTICS member \"%.60s\" "
                                      "(expected AuthenticationId, TokenType, "
                                      "ImpersonationLevel, GroupCount, PrivilegeCount)",
                                c->string);
        item *it = push(e, TOKSIM_TIC_STATISTICS, K_STAT);
        if (!it)
            return TOKSIM_ENOMEM;
        it->stat = k;
        bool ok;
        if (k == ST_AUTH_ID)
            ok = parse_luid(c, &it->u64);
        else if (k == ST_TOKEN_TYPE)
            ok = (int)(it->u32 = (uint32_t)name_index(
                           cJSON_IsString(c) ? c->valuestring : NULL, type_names, 3)) > 0;
        else if (k == ST_LEVEL)
            ok = (int)(it->u32 =
                           (uint32_t)name_index(cJSON_IsString(c) ? c->valuestring : NULL,
                                                level_names, 4)) >= 0;
        else
            ok = cJSON_IsNumber(c) && ts_parse_u32(c, &it->u32);
        if (!ok)
            return ts_load_fail(
                L, TOKSIM_EPARSE, c, false, fpath, "expected %s",
                k == ST_AUTH_ID      ? "a logon session LUID such as \"0x3e7\""
                : k == ST_TOKEN_TYPE ? "Primary or Impersonation"
                : k == ST_LEVEL ? "Anonymous, Identification, Impersonation or Delegation"
                                : "a count (a number)");
    }
    return TOKSIM_OK;
}

static toksim_status load_classes(ts_loader *L,
                                  const toksim_scenario *sc,
                                  const cJSON *obj,
                                  const char *path,
                                  int depth,
                                  ts_tokinfo_exp *e);

/* One member: "TokenX": value. */
static toksim_status load_member(ts_loader *L,
                                 const toksim_scenario *sc,
                                 const cJSON *c,
                                 const char *path,
                                 int depth,
                                 ts_tokinfo_exp *e)
{
    toksim_token_info_class cls;
    if (!toksim_token_info_class_parse(&cls, c->string))
        return ts_load_fail(
            L, TOKSIM_EPARSE, c, true, path,
            "unknown token information class \"%.60s\" (expected a "
            "TOKEN_INFORMATION_CLASS name such as TokenUser, TokenGroups, "
            "TokenElevationType, TokenLinkedToken; toksim token --info lists "
            "them)",
            c->string);
    char fpath[512];
    ts_fmt(fpath, sizeof fpath, "%.300s.%.60s", path, c->string);
    const cJSON *err =
        cJSON_IsObject(c) ? cJSON_GetObjectItemCaseSensitive(c, "error") : NULL;
    if (err) {
        if (cJSON_GetArraySize(c) != 1 || !cJSON_IsString(err) ||
            !toksim_code_by_name(err->valuestring))
            return ts_load_fail(
                L, TOKSIM_EPARSE, err, false, fpath,
                "expected {\"error\": NAME} with a known error name such as "
                "\"ERROR_INVALID_PARAMETER\" and nothing else");
        item *it = push(e, cls, K_ERROR);
        if (!it)
            return TOKSIM_ENOMEM;
        it->error = err->valuestring;
        return TOKSIM_OK;
    }
    item *it;
    const char *want = NULL;
    const char *s = cJSON_IsString(c) ? c->valuestring : NULL;
    switch (cls) {
    case TOKSIM_TIC_USER:
    case TOKSIM_TIC_OWNER:
    case TOKSIM_TIC_PRIMARY_GROUP:
        if (!(it = push(e, cls, K_SID)))
            return TOKSIM_ENOMEM;
        if (!s || ts_world_glue_resolve(sc->world, s, &it->sid, NULL) != TOKSIM_OK)
            return ts_load_fail(L, s ? TOKSIM_ENOTFOUND : TOKSIM_EPARSE, c, false, fpath,
                                "expected an account or group name of the world, a "
                                "well-known name, an SDDL alias or a SID");
        it->label = s;
        return TOKSIM_OK;
    case TOKSIM_TIC_TYPE:
    case TOKSIM_TIC_IMPERSONATION_LEVEL:
    case TOKSIM_TIC_ELEVATION_TYPE: {
        if (!(it = push(e, cls, K_U32)))
            return TOKSIM_ENOMEM;
        int k = cls == TOKSIM_TIC_TYPE             ? name_index(s, type_names, 3)
                : cls == TOKSIM_TIC_ELEVATION_TYPE ? name_index(s, elev_names, 4)
                                                   : name_index(s, level_names, 4);
        want = cls == TOKSIM_TIC_TYPE ? "Primary or Impersonation"
               : cls == TOKSIM_TIC_ELEVATION_TYPE
                   ? "Default, Full or Limited"
                   : "Anonymous, Identification, Impersonation or Delegation";
        if (k < 0)
            break;
        it->u32 = (uint32_t)k;
        return TOKSIM_OK;
    }
    case TOKSIM_TIC_INTEGRITY_LEVEL:
        if (!(it = push(e, cls, K_U32)))
            return TOKSIM_ENOMEM;
        want = "an integrity level: Untrusted, Low, Medium, Medium Plus, High, System or "
               "S-1-16-<rid>";
        if (!toksim_integrity_parse(s, &it->u32))
            break;
        return TOKSIM_OK;
    case TOKSIM_TIC_SESSION_ID:
    case TOKSIM_TIC_MANDATORY_POLICY:
        if (!(it = push(e, cls, K_U32)))
            return TOKSIM_ENOMEM;
        want = "a number";
        if (!cJSON_IsNumber(c) || !ts_parse_u32(c, &it->u32))
            break;
        return TOKSIM_OK;
    case TOKSIM_TIC_ORIGIN:
        if (!(it = push(e, cls, K_U64)))
            return TOKSIM_ENOMEM;
        want = "a logon session LUID such as \"0x3e7\" (0 = no origin)";
        if (!parse_luid(c, &it->u64))
            break;
        return TOKSIM_OK;
    case TOKSIM_TIC_ELEVATION:
    case TOKSIM_TIC_HAS_RESTRICTIONS:
    case TOKSIM_TIC_IS_APPCONTAINER:
        if (!(it = push(e, cls, K_BOOL)))
            return TOKSIM_ENOMEM;
        want = "true or false";
        if (!cJSON_IsBool(c))
            break;
        it->u32 = cJSON_IsTrue(c) ? 1u : 0u;
        return TOKSIM_OK;
    case TOKSIM_TIC_GROUPS:
    case TOKSIM_TIC_PRIVILEGES:
    case TOKSIM_TIC_RESTRICTED_SIDS:
        return load_list(L, sc, c, fpath, cls, e);
    case TOKSIM_TIC_STATISTICS:
        return load_stats(L, c, fpath, e);
    case TOKSIM_TIC_LINKED_TOKEN:
        if (depth > 0)
            return ts_load_fail(L, TOKSIM_EPARSE, c, true, path,
                                "TokenLinkedToken cannot be nested in TokenLinkedToken");
        if (!(it = push(e, cls, K_NESTED)) ||
            !(it->nested = ts_calloc(1, sizeof *it->nested)))
            return TOKSIM_ENOMEM;
        return load_classes(L, sc, c, fpath, depth + 1, it->nested);
    default:
        return ts_load_fail(L, TOKSIM_EPARSE, c, true, path,
                            "%s can only be expected as {\"error\": NAME}", c->string);
    }
    return ts_load_fail(L, TOKSIM_EPARSE, c, false, fpath, "expected %s", want);
}

static toksim_status load_classes(ts_loader *L,
                                  const toksim_scenario *sc,
                                  const cJSON *obj,
                                  const char *path,
                                  int depth,
                                  ts_tokinfo_exp *e)
{
    if (!cJSON_IsObject(obj) || !obj->child)
        return ts_load_fail(
            L, TOKSIM_EPARSE, obj, false, path,
            "expected a non-empty object keyed by token information class "
            "(TokenUser, TokenGroups ...)");
    for (const cJSON *c = obj->child; c; c = c->next) {
        for (const cJSON *d = obj->child; d != c; d = d->next)
            if (strcmp(d->string, c->string) == 0)
                return ts_load_fail(L, TOKSIM_EPARSE, c, true, path,
                                    "class \"%.60s\" appears twice", c->string);
        toksim_status rc = load_member(L, sc, c, path, depth, e);
        if (rc)
            return rc;
    }
    return TOKSIM_OK;
}

toksim_status ts_tokinfo_load(ts_loader *L,
                              const toksim_scenario *sc,
                              const cJSON *obj,
                              const char *path,
                              ts_tokinfo_exp **out)
{
    ts_tokinfo_exp *e = ts_calloc(1, sizeof *e);
    if (!e)
        return TOKSIM_ENOMEM;
    toksim_status rc = load_classes(L, sc, obj, path, 0, e);
    if (rc) {
        ts_tokinfo_free(e);
        return rc;
    }
    *out = e;
    return TOKSIM_OK;
}

/* ---- checking ---- */

static void words(char *buf, size_t n, uint32_t a, bool priv)
{
    toksim_token_attr_text(buf, n, priv, a);
    if (!buf[0])
        ts_fmt(buf, n, "0 (none)");
}

static void u32_text(char *buf, size_t n, toksim_token_info_class cls, uint32_t v)
{
    const char *s = NULL;
    if (cls == TOKSIM_TIC_TYPE && v >= 1 && v <= 2)
        s = type_names[v];
    else if (cls == TOKSIM_TIC_ELEVATION_TYPE && v >= 1 && v <= 3)
        s = elev_names[v];
    else if (cls == TOKSIM_TIC_IMPERSONATION_LEVEL && v <= 3)
        s = level_names[v];
    else if (cls == TOKSIM_TIC_INTEGRITY_LEVEL)
        s = toksim_integrity_name(v);
    if (s)
        ts_fmt(buf, n, "%s", s);
    else
        ts_fmt(buf, n, "%u", (unsigned)v);
}

typedef struct ctx {
    const toksim_run *run;
    ts_tokinfo_verdict fn;
    void *payload;
    const char *prefix;
    const char *missing; /* why there is no token to query */
} ctx;

static void check_item(const ctx *x, const item *it, const toksim_token *tok);

static void check_all(const ctx *x, const ts_tokinfo_exp *e, const toksim_token *tok)
{
    for (size_t i = 0; e && i < e->n; i++)
        check_item(x, &e->v[i], tok);
}

/* The field an expectation names, for a failed verdict. */
static const char *field_of(char *field, size_t n, const ctx *x, const item *it)
{
    const char *cname = toksim_token_info_class_name(it->cls);
    if (it->label && it->kind != K_SID)
        ts_fmt(field, n, "token_info.%s%s[%s]", x->prefix, cname, it->label);
    else if (it->kind == K_STAT)
        ts_fmt(field, n, "token_info.%s%s.%s", x->prefix, cname, stat_names[it->stat]);
    else
        ts_fmt(field, n, "token_info.%s%s", x->prefix, cname);
    return field;
}

/* The texts of a verdict are read only when it fails (ts_tokinfo_verdict): a held
 * expectation makes none (issue 11). */
static void check_item(const ctx *x, const item *it, const toksim_token *tok)
{
    char fbuf[256], e[160] = "", g[160] = "";
#define FIELD field_of(fbuf, sizeof fbuf, x, it)
    if (!tok) {
        if (it->kind == K_NESTED) {
            ctx y = *x;
            y.prefix = "TokenLinkedToken.";
            check_all(&y, it->nested, NULL);
            return;
        }
        x->fn(x->payload, false, FIELD, "a value", x->missing);
        return;
    }
    toksim_token_handle h = {tok, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_token_info info;
    if (toksim_token_query(&info, &h, it->cls, NULL, ts_run_model(x->run), NULL) !=
        TOKSIM_OK) {
        x->fn(x->payload, false, FIELD, "a value", "the query could not run");
        return;
    }
    char ename[96] = "";
    if (!info.call.ok) {
        const toksim_code_info *ci = toksim_code_by_win32(info.call.win32);
        ts_fmt(ename, sizeof ename, "%s", ci ? ci->name : "an error");
    }
    if (it->kind == K_ERROR) {
        const toksim_code_info *want = toksim_code_by_name(it->error);
        bool ok = !info.call.ok && want &&
                  ((want->kind == TOKSIM_CODE_WIN32 && want->value == info.call.win32) ||
                   (info.call.ntstatus && want->ntstatus == info.call.ntstatus));
        x->fn(x->payload, ok, ok ? "" : FIELD, it->error,
              info.call.ok ? "success" : ename);
        toksim_token_info_dispose(&info);
        return;
    }
    if (!info.call.ok && it->kind == K_NESTED) { /* one failure per nested class */
        char why[160];
        ts_fmt(why, sizeof why, "GetTokenInformation(TokenLinkedToken) failed: %s",
               ename);
        ctx y = *x;
        y.prefix = "TokenLinkedToken.";
        y.missing = why;
        check_all(&y, it->nested, NULL);
        return;
    }
    if (!info.call.ok) {
        x->fn(x->payload, false, FIELD, "success", ename);
        toksim_token_info_dispose(&info);
        return;
    }
    bool ok = false;
    switch (it->kind) {
    case K_SID:
        if ((ok = toksim_sid_equal(&it->sid, &info.sid)))
            break;
        ts_run_sid_name(e, sizeof e, x->run, &it->sid);
        ts_run_sid_name(g, sizeof g, x->run, &info.sid);
        break;
    case K_U32:
    case K_BOOL:
        if ((ok = it->u32 == info.value))
            break;
        if (it->kind == K_BOOL) {
            ts_fmt(e, sizeof e, "%s", it->u32 ? "true" : "false");
            ts_fmt(g, sizeof g, "%s", info.value ? "true" : "false");
        } else {
            u32_text(e, sizeof e, it->cls, it->u32);
            u32_text(g, sizeof g, it->cls, info.value);
        }
        break;
    case K_U64:
        if ((ok = it->u64 == info.luid))
            break;
        ts_fmt(e, sizeof e, "0x%llx", (unsigned long long)it->u64);
        ts_fmt(g, sizeof g, "0x%llx", (unsigned long long)info.luid);
        break;
    case K_GROUP: {
        const toksim_group *gr = NULL;
        bool restricted = it->cls == TOKSIM_TIC_RESTRICTED_SIDS;
        size_t n = restricted ? toksim_token_restricted_count(tok)
                              : toksim_token_group_count(tok);
        for (size_t i = 0; i < n && !gr; i++) {
            const toksim_group *c = restricted ? toksim_token_restricted_at(tok, i)
                                               : toksim_token_group_at(tok, i);
            if (toksim_sid_equal(&c->sid, &it->sid))
                gr = c;
        }
        if ((ok = it->absent ? !gr : gr && gr->attributes == it->attrs))
            break;
        if (it->absent)
            ts_fmt(e, sizeof e, "absent");
        else
            words(e, sizeof e, it->attrs, false);
        if (!gr)
            ts_fmt(g, sizeof g, "absent");
        else
            words(g, sizeof g, gr->attributes, false);
        break;
    }
    case K_PRIV: {
        int64_t a = toksim_token_privilege(tok, it->u32);
        if ((ok = it->absent ? a < 0 : a >= 0 && (uint32_t)a == it->attrs))
            break;
        if (it->absent)
            ts_fmt(e, sizeof e, "absent");
        else
            words(e, sizeof e, it->attrs, true);
        if (a < 0)
            ts_fmt(g, sizeof g, "absent");
        else
            words(g, sizeof g, (uint32_t)a, true);
        break;
    }
    case K_STAT: {
        uint64_t want = it->stat == ST_AUTH_ID ? it->u64 : it->u32, got = 0;
        got = it->stat == ST_AUTH_ID       ? info.luid
              : it->stat == ST_TOKEN_TYPE  ? (uint64_t)info.stats_type
              : it->stat == ST_LEVEL       ? (uint64_t)info.stats_level
              : it->stat == ST_GROUP_COUNT ? info.group_count
                                           : info.privilege_count;
        if ((ok = want == got))
            break;
        if (it->stat == ST_AUTH_ID) {
            ts_fmt(e, sizeof e, "0x%llx", (unsigned long long)want);
            ts_fmt(g, sizeof g, "0x%llx", (unsigned long long)got);
        } else if (it->stat == ST_TOKEN_TYPE || it->stat == ST_LEVEL) {
            toksim_token_info_class c = it->stat == ST_TOKEN_TYPE
                                            ? TOKSIM_TIC_TYPE
                                            : TOKSIM_TIC_IMPERSONATION_LEVEL;
            u32_text(e, sizeof e, c, (uint32_t)want);
            u32_text(g, sizeof g, c, (uint32_t)got);
        } else {
            ts_fmt(e, sizeof e, "%llu", (unsigned long long)want);
            ts_fmt(g, sizeof g, "%llu", (unsigned long long)got);
        }
        break;
    }
    case K_NESTED: {
        ctx y = *x;
        y.prefix = "TokenLinkedToken.";
        check_all(&y, it->nested, info.linked);
        toksim_token_info_dispose(&info);
        return;
    }
    default:
        break;
    }
    toksim_token_info_dispose(&info);
    x->fn(x->payload, ok, ok ? "" : FIELD, e, g);
#undef FIELD
}

void ts_tokinfo_check(const ts_tokinfo_exp *e,
                      const toksim_token *tok,
                      const toksim_run *run,
                      ts_tokinfo_verdict fn,
                      void *payload)
{
    ctx x = {run, fn, payload, "", "the step has no token"};
    check_all(&x, e, tok);
}
