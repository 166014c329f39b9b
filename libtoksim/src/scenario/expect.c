/*
 * PURPOSE: the "expect" block of a scenario: load it (keyed by step id, every key known,
 * every value checked: error names against the error catalog, privileges against the
 * privilege table, accounts against the world) and compare a run with it, one expectation
 * per stated field.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/scen_int.h"
#include "scenario/run_int.h"
#include "scenario/world_glue.h"
#include "scenario/expect_token_info.h"

#define EXPECT_KEYS                                                                      \
    "ok,error,win32,ntstatus,hresult,wbem,http,granted,impersonation_level,token_has_"   \
    "group,"                                                                             \
    "token_lacks_group,token_has_privilege,token_lacks_privilege,finding,"               \
    "answer,token_info,rule"

static const char *const level_names[] = {"Anonymous", "Identification", "Impersonation",
                                          "Delegation"};

/* What a name of a names field resolves to: found once at load, read at check (issue 11:
 * the world's resolver and the privilege table cost ~2-3 k instructions a name). */
typedef struct ts_name_ref {
    toksim_sid sid; /* token_has_group, token_lacks_group */
    uint32_t luid;  /* token_has_privilege, token_lacks_privilege */
    int state;      /* 0, 1 ":enabled", 2 ":disabled" */
} name_ref;

/* Room for n names and their refs in one block (the names and ex->error are the
 * scenario's decoded strings, sc->strings, which the expectations are loaded after and
 * freed before: borrowed, not copied; issue 11). */
static bool names_new(ts_names *out, size_t n)
{
    size_t head = n * sizeof(char *), al = _Alignof(name_ref);
    head = (head + al - 1) / al * al;
    char *b = ts_calloc(1, head + n * sizeof(name_ref));
    if (!b)
        return false;
    out->v = (char **)(void *)b;
    out->refs = (name_ref *)(void *)(b + head);
    return true;
}

void ts_names_dispose(ts_names *n)
{
    free(n->v); /* refs too: one block */
    n->v = NULL;
    n->refs = NULL;
    n->n = 0;
}

void ts_expect_dispose(ts_expect *ex)
{
    ts_names_dispose(&ex->has_group);
    ts_names_dispose(&ex->lacks_group);
    ts_names_dispose(&ex->has_priv);
    ts_names_dispose(&ex->lacks_priv);
    ts_names_dispose(&ex->finding);
    ts_names_dispose(&ex->rule);
    ts_tokinfo_free(ex->tokinfo);
    ex->tokinfo = NULL;
}

/* A string or a list of strings. */
static toksim_status
load_names(ts_loader *L, const cJSON *it, const char *path, ts_names *out)
{
    if (cJSON_IsString(it)) {
        if (!names_new(out, 1))
            return TOKSIM_ENOMEM;
        out->v[0] = it->valuestring;
        out->n = 1;
        return TOKSIM_OK;
    }
    if (!cJSON_IsArray(it) || !it->child)
        return ts_load_fail(L, TOKSIM_EPARSE, it, false, path,
                            "expected a name or a non-empty list of names");
    int n = cJSON_GetArraySize(it);
    if (n > TS_SCEN_MAX_LIST)
        return ts_load_fail(L, TOKSIM_ELIMIT, it, false, path, "more than %d names",
                            TS_SCEN_MAX_LIST);
    if (!names_new(out, (size_t)n))
        return TOKSIM_ENOMEM;
    for (const cJSON *c = it->child; c; c = c->next) {
        if (!cJSON_IsString(c))
            return ts_load_fail(L, TOKSIM_EPARSE, c, false, path,
                                "expected a name (a string)");
        if (strlen(c->valuestring) > TS_SCEN_MAX_STRING)
            return ts_load_fail(L, TOKSIM_ELIMIT, c, false, path,
                                "name longer than %d bytes", TS_SCEN_MAX_STRING);
        out->v[out->n++] = c->valuestring;
    }
    return TOKSIM_OK;
}

static bool hex8(const char *s, uint32_t *out)
{
    if (!s || strlen(s) != 10 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return false;
    cJSON tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.type = cJSON_String;
    tmp.valuestring = (char *)s;
    return ts_parse_u32(&tmp, out);
}

/* The JSON value of the i-th name of a names field (one string, or an array of them). */
static const cJSON *names_item(const cJSON *c, size_t i)
{
    if (!cJSON_IsArray(c))
        return c;
    const cJSON *it = c->child;
    while (it && i--)
        it = it->next;
    return it ? it : c;
}

/* The expectations written as 8 hex digits. */
typedef struct hex_spec {
    const char *key;
    unsigned flag;
    const char *what, *example;
} hex_spec;

static const hex_spec hex_fields[] = {
    {"ntstatus", TS_EXP_NTSTATUS, "an NTSTATUS", "0xC00000A5"},
    {"hresult", TS_EXP_HRESULT, "an HRESULT", "0x80070542"},
    {"wbem", TS_EXP_WBEM, "a WBEM status", "0x80041003"},
};

static uint32_t *hex_slot(ts_expect *ex, unsigned flag)
{
    return flag == TS_EXP_NTSTATUS  ? &ex->ntstatus
           : flag == TS_EXP_HRESULT ? &ex->hresult
                                    : &ex->wbem;
}

/* strcmp(k, s) == 0, the first bytes compared without a call (issue 11: ~15 names are
 * tried for each expected field) */
static bool key_is(const char *k, const char *s)
{
    return k[0] == s[0] && strcmp(k, s) == 0;
}

static const hex_spec *hex_field(const char *key)
{
    for (size_t i = 0; i < sizeof hex_fields / sizeof hex_fields[0]; i++)
        if (key_is(key, hex_fields[i].key))
            return &hex_fields[i];
    return NULL;
}

/* "SeImpersonatePrivilege" or "SeImpersonatePrivilege:enabled" / ":disabled". */
static bool priv_spec(const char *spec, uint32_t *luid, int *state)
{
    char name[80];
    const char *colon = strchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    if (n >= sizeof name)
        return false;
    memcpy(name, spec, n);
    name[n] = '\0';
    *state = 0;
    if (colon) {
        if (strcmp(colon + 1, "enabled") == 0)
            *state = 1;
        else if (strcmp(colon + 1, "disabled") == 0)
            *state = 2;
        else
            return false;
    }
    const toksim_privilege_info *pi = toksim_privilege_by_name(name);
    if (!pi)
        return false;
    *luid = (uint32_t)pi->luid;
    return true;
}

/* "a.b" with b cut to max bytes, as snprintf(buf, n, "%s.%.<max>s", a, b) writes it: a
 * path made for every expectation and used by its error messages only (issue 11). */
static void dotted(char *buf, size_t n, const char *a, const char *b, size_t max)
{
    size_t at = ts_put(buf, n, ts_put(buf, n, 0, a), ".");
    size_t bl = strnlen(b, max);
    if (at < n) {
        size_t c = n - at - 1 < bl ? n - at - 1 : bl;
        memcpy(buf + at, b, c);
        buf[at + c] = '\0';
    }
}

static toksim_status
load_one(ts_loader *L, toksim_scenario *sc, const cJSON *obj, ts_expect *ex)
{
    /* the paths name values in error messages only: made when one is needed (issue 11) */
    char path[96], fpath[160];
#define PATH  (dotted(path, sizeof path, "expect", obj->string, 60), path)
#define FPATH (dotted(fpath, sizeof fpath, PATH, k, 40), fpath)
    if (!cJSON_IsObject(obj))
        return ts_load_fail(L, TOKSIM_EPARSE, obj, false, PATH,
                            "expected an object of expected fields");
    toksim_status rc = TOKSIM_OK;
    size_t count = 0;
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (++count > 32)
            return ts_load_fail(L, TOKSIM_ELIMIT, c, true, PATH, "too many fields");
        const char *k = c->string ? c->string : "";
        for (const cJSON *d = obj->child; d != c; d = d->next)
            if (key_is(d->string, k))
                return ts_load_fail(L, TOKSIM_EPARSE, c, true, PATH,
                                    "field \"%s\" appears twice", k);
        const hex_spec *hf;
        if (key_is(k, "ok")) {
            if (!cJSON_IsBool(c))
                return ts_load_fail(L, TOKSIM_EPARSE, c, false, FPATH,
                                    "expected true or false");
            ex->ok = cJSON_IsTrue(c);
            ex->has |= TS_EXP_OK;
        } else if (key_is(k, "error")) {
            if (!cJSON_IsString(c) || strlen(c->valuestring) > 80)
                return ts_load_fail(
                    L, TOKSIM_EPARSE, c, false, FPATH,
                    "expected a symbolic error name such as \"ERROR_ACCESS_DENIED\"");
            if (!toksim_code_by_name(c->valuestring))
                return ts_load_fail(L, TOKSIM_ENOTFOUND, c, false, FPATH,
                                    "unknown error name \"%s\" (expected a Win32, "
                                    "STATUS_, HRESULT or WBEM name "
                                    "from the catalog, see toksim error)",
                                    c->valuestring);
            ex->error = c->valuestring;
            ex->has |= TS_EXP_ERROR;
        } else if (key_is(k, "win32")) {
            if (!cJSON_IsNumber(c) || !ts_parse_u32(c, &ex->win32))
                return ts_load_fail(L, TOKSIM_EPARSE, c, false, FPATH,
                                    "expected a Win32 error number such as 1346");
            ex->has |= TS_EXP_WIN32;
        } else if ((hf = hex_field(k))) {
            if (!hex8(cJSON_IsString(c) ? c->valuestring : NULL, hex_slot(ex, hf->flag)))
                return ts_load_fail(L, TOKSIM_EPARSE, c, false, FPATH,
                                    "expected %s as 8 hex digits, such as \"%s\"",
                                    hf->what, hf->example);
            ex->has |= hf->flag;
        } else if (key_is(k, "http")) {
            uint32_t v;
            if (!cJSON_IsNumber(c) || !ts_parse_u32(c, &v) || v < 100 || v > 599)
                return ts_load_fail(L, TOKSIM_EPARSE, c, false, FPATH,
                                    "expected an HTTP status (100-599)");
            ex->http = (int)v;
            ex->has |= TS_EXP_HTTP;
        } else if (key_is(k, "granted")) {
            if (!ts_parse_u32(c, &ex->granted))
                return ts_load_fail(L, TOKSIM_EPARSE, c, false, FPATH,
                                    "expected an access mask (a number or \"0x...\")");
            ex->has |= TS_EXP_GRANTED;
        } else if (key_is(k, "impersonation_level")) {
            bool found = false;
            for (int i = 0; i < 4 && cJSON_IsString(c); i++)
                if (strcmp(c->valuestring, level_names[i]) == 0) {
                    ex->level = (toksim_imp_level)i;
                    found = true;
                }
            if (!found)
                return ts_load_fail(
                    L, TOKSIM_EPARSE, c, false, FPATH,
                    "expected Anonymous, Identification, Impersonation or Delegation");
            ex->has |= TS_EXP_LEVEL;
        } else if (key_is(k, "token_has_group") || key_is(k, "token_lacks_group")) {
            ts_names *names = k[6] == 'h' ? &ex->has_group : &ex->lacks_group;
            if ((rc = load_names(L, c, FPATH, names)))
                return rc;
            for (size_t i = 0; i < names->n; i++) {
                const cJSON *it = names_item(c, i);
                if (ts_world_glue_resolve(sc->world, names->v[i], &names->refs[i].sid,
                                          NULL) != TOKSIM_OK)
                    return ts_load_fail(L, TOKSIM_ENOTFOUND, it, false, FPATH,
                                        "unknown account or group \"%.80s\" (expected a "
                                        "name of the world, a "
                                        "well-known name, an SDDL alias or a SID)",
                                        names->v[i]);
            }
        } else if (key_is(k, "token_has_privilege") ||
                   key_is(k, "token_lacks_privilege")) {
            ts_names *names = k[6] == 'h' ? &ex->has_priv : &ex->lacks_priv;
            if ((rc = load_names(L, c, FPATH, names)))
                return rc;
            for (size_t i = 0; i < names->n; i++) {
                const cJSON *it = names_item(c, i);
                name_ref *ref = &names->refs[i];
                if (!priv_spec(names->v[i], &ref->luid, &ref->state) ||
                    (ref->state && names == &ex->lacks_priv))
                    return ts_load_fail(
                        L, TOKSIM_ENOTFOUND, it, false, FPATH,
                        "unknown privilege \"%.80s\" (expected a name such as "
                        "\"SeImpersonatePrivilege\"%s)",
                        names->v[i],
                        names == &ex->has_priv ? ", optionally with :enabled or :disabled"
                                               : "");
            }
        } else if (key_is(k, "finding")) {
            if ((rc = load_names(L, c, FPATH, &ex->finding)))
                return rc;
            /* a finding id is a "finding.*" trace rule: a typo must not make a check
             * vacuous */
            for (size_t i = 0; i < ex->finding.n; i++) {
                const cJSON *it = names_item(c, i);
                const toksim_rule_info *ri = toksim_rule_by_id(ex->finding.v[i]);
                toksim_severity sev;
                if (!ri || !toksim_finding_severity(&sev, ri->rule))
                    return ts_load_fail(
                        L, TOKSIM_ENOTFOUND, it, false, FPATH,
                        "unknown finding \"%.80s\" (expected a finding id such as "
                        "\"finding.silent_identify_downgrade\"; toksim rules lists them)",
                        ex->finding.v[i]);
            }
        } else if (key_is(k, "rule")) {
            if ((rc = load_names(L, c, FPATH, &ex->rule)))
                return rc;
            for (size_t i = 0; i < ex->rule.n; i++)
                if (!toksim_rule_by_id(ex->rule.v[i]))
                    return ts_load_fail(
                        L, TOKSIM_ENOTFOUND, names_item(c, i), false, FPATH,
                        "unknown rule \"%.80s\" (expected a trace rule id "
                        "such as \"sso.impersonate.chaining\"; toksim rules "
                        "lists them)",
                        ex->rule.v[i]);
        } else if (key_is(k, "answer")) {
            if (!cJSON_IsBool(c))
                return ts_load_fail(L, TOKSIM_EPARSE, c, false, FPATH,
                                    "expected true or false (the query's answer)");
            ex->has_answer = true;
            ex->answer = cJSON_IsTrue(c);
        } else if (key_is(k, "token_info")) {
            if ((rc = ts_tokinfo_load(L, sc, c, FPATH, &ex->tokinfo)))
                return rc;
        } else {
            return ts_load_fail(L, TOKSIM_EPARSE, c, true, PATH,
                                "unknown expectation \"%.40s\" (expected one of: %s)", k,
                                EXPECT_KEYS);
        }
    }
#undef FPATH
#undef PATH
    return TOKSIM_OK;
}

toksim_status ts_expect_load(ts_loader *L, toksim_scenario *sc, const cJSON *expect)
{
    if (!cJSON_IsObject(expect))
        return ts_load_fail(L, TOKSIM_EPARSE, expect, false, "expect",
                            "expected an object keyed by step id");
    int n = cJSON_GetArraySize(expect);
    if (n > TS_SCEN_MAX_STEPS)
        return ts_load_fail(L, TOKSIM_ELIMIT, expect, false, "expect",
                            "more than %d entries", TS_SCEN_MAX_STEPS);
    sc->expects = ts_calloc((size_t)n, sizeof *sc->expects);
    if (!sc->expects)
        return TOKSIM_ENOMEM;
    for (const cJSON *c = expect->child; c; c = c->next) {
        const char *k = c->string ? c->string : "";
        size_t idx = sc->nsteps;
        for (size_t i = sc->nsteps; i-- > 0;) /* the last step of that id */
            if (sc->steps[i].id[0] == k[0] && strcmp(sc->steps[i].id, k) == 0) {
                idx = i;
                break;
            }
        if (idx == sc->nsteps)
            return ts_load_fail(L, TOKSIM_ENOTFOUND, c, true, "expect",
                                "no step has the id \"%.60s\"", k);
        for (size_t j = 0; j < sc->nexpects; j++)
            if (sc->expects[j].step == idx)
                return ts_load_fail(L, TOKSIM_EPARSE, c, true, "expect",
                                    "step \"%s\" appears twice", k);
        ts_expect *ex = &sc->expects[sc->nexpects++];
        ex->step = idx;
        ex->offset =
            ts_jpos_of(&L->doc, c, true); /* line:column when a mismatch is told */
        toksim_status rc = load_one(L, sc, c, ex);
        if (rc)
            return rc;
    }
    return TOKSIM_OK;
}

static size_t count_one(const ts_expect *ex)
{
    size_t n = 0;
    for (unsigned b = ex->has; b; b &= b - 1)
        n++;
    return n + ex->has_group.n + ex->lacks_group.n + ex->has_priv.n + ex->lacks_priv.n +
           ex->finding.n + (ex->has_answer ? 1 : 0) + ts_tokinfo_count(ex->tokinfo) +
           ex->rule.n;
}

size_t toksim_scenario_expectation_count(const toksim_scenario *sc)
{
    size_t n = 0;
    for (size_t i = 0; sc && i < sc->nexpects; i++)
        n += count_one(&sc->expects[i]);
    return n;
}

/* ---- comparison ---- */

typedef struct checker {
    const toksim_run *run;
    const ts_expect *ex;
    const toksim_step_result *r;
    size_t passed, failed;
    toksim_mismatch_fn fn;
    void *payload;
} checker;

static void
verdict(checker *c, bool ok, const char *field, const char *expected, const char *got)
{
    if (ok) {
        c->passed++;
        return;
    }
    c->failed++;
    if (!c->fn)
        return;
    /* the expectation's line:column from the scenario's text, counted for a mismatch only
     * (issue 11: ~400 instructions an expectation when counted at load) */
    const toksim_scenario *sc = c->run->sc;
    int line, column;
    ts_text_linecol(sc->text, sc->len, c->ex->offset, &line, &column);
    toksim_mismatch m = {c->r->id, field, expected, got, line, column};
    c->fn(&m, c->payload);
}

static bool name_is(const char *want, const char *name)
{
    return name && *name && ts_strcasecmp(want, name) == 0;
}

static bool error_matches(const toksim_step_result *r, const char *want)
{
    const toksim_code_info *ci;
    if ((ci = toksim_code_by_win32(r->win32)) &&
        (name_is(want, ci->name) || name_is(want, ci->nt_name)))
        return true;
    if (r->ntstatus && (ci = toksim_code_by_ntstatus(r->ntstatus)) &&
        (name_is(want, ci->name) || name_is(want, ci->nt_name)))
        return true;
    if (r->hresult && (ci = toksim_code_by_hresult(r->hresult)) &&
        name_is(want, ci->name))
        return true;
    if (r->has_wbem && r->wbem && (ci = toksim_code_by_hresult(r->wbem)) &&
        name_is(want, ci->name))
        return true;
    return false;
}

void ts_result_error_name(char *buf, size_t n, const toksim_step_result *r)
{
    const toksim_code_info *ci = NULL;
    if (r->has_wbem && r->wbem && (ci = toksim_code_by_hresult(r->wbem)) &&
        ci->kind == TOKSIM_CODE_WBEM) {
        ts_fmt(buf, n, "%s", ci->name);
    } else if (r->hresult && (r->hresult >> 16) != 0x8007 &&
               (ci = toksim_code_by_hresult(r->hresult))) {
        ts_fmt(buf, n, "%s", ci->name);
    } else if (r->win32 && (ci = toksim_code_by_win32(r->win32))) {
        ts_fmt(buf, n, "%s", ci->name);
    } else if (r->ntstatus && (ci = toksim_code_by_ntstatus(r->ntstatus))) {
        ts_fmt(buf, n, "%s", ci->nt_name && *ci->nt_name ? ci->nt_name : ci->name);
    } else if (r->win32) {
        ts_fmt(buf, n, "%u", (unsigned)r->win32);
    } else if (r->hresult) {
        ts_fmt(buf, n, "0x%08X", (unsigned)r->hresult);
    } else {
        ts_fmt(buf, n, "none");
    }
}

static void
check_groups(checker *c, const ts_names *names, bool want_present, const char *field)
{
    for (size_t i = 0; i < names->n; i++) {
        const toksim_sid *sid = &names->refs[i].sid; /* resolved at load */
        bool present = false;
        if (c->r->token)
            present = toksim_sid_equal(toksim_token_user(c->r->token), sid) ||
                      toksim_token_find_group(c->r->token, sid) != NULL;
        const char *got = !c->r->token ? "the step has no token"
                          : present    ? "present in the token"
                                       : "not in the token";
        verdict(c, c->r->token && present == want_present, field, names->v[i], got);
    }
}

static void
check_privs(checker *c, const ts_names *names, bool want_present, const char *field)
{
    for (size_t i = 0; i < names->n; i++) {
        const name_ref *ref = &names->refs[i]; /* found at load */
        uint32_t luid = ref->luid;
        int state = ref->state;
        int64_t attrs = c->r->token ? toksim_token_privilege(c->r->token, luid) : -1;
        bool present = attrs >= 0;
        bool enabled = present && (attrs & TOKSIM_SE_PRIVILEGE_ENABLED);
        bool ok;
        if (!want_present)
            ok = !present;
        else
            ok = present &&
                 (state == 0 || (state == 1 && enabled) || (state == 2 && !enabled));
        const char *got = !c->r->token ? "the step has no token"
                          : !present   ? "not held"
                          : enabled    ? "held, enabled"
                                       : "held, disabled";
        verdict(c, c->r->token && ok, field, names->v[i], got);
    }
}

static void tokinfo_verdict(
    void *payload, bool ok, const char *field, const char *expected, const char *got)
{
    verdict(payload, ok, field, expected, got);
}

/* The expected and actual texts are read only for a mismatch someone is told of: made
 * then only (issue 11). */
static bool say(const checker *c, bool ok)
{
    return !ok && c->fn;
}

/* A value the step may lack (WBEM status, HTTP status, granted mask), written in hex or
 * decimal; `none` says it is missing. Texts are made only for a mismatch someone is told.
 */
static void put_value(char buf[128], bool hex, long long v)
{
    if (hex)
        ts_fmt(buf, 128, "0x%08X", (unsigned)v);
    else
        ts_fmt(buf, 128, "%d", (int)v);
}

static void check_opt(checker *c,
                      const char *field,
                      bool has,
                      long long got,
                      long long want,
                      bool hex,
                      const char *none)
{
    bool ok = has && got == want;
    char e[128] = "", g[128] = "";
    if (say(c, ok)) {
        put_value(e, hex, want);
        if (has)
            put_value(g, hex, got);
        else
            ts_fmt(g, sizeof g, "%s", none);
    }
    verdict(c, ok, field, e, g);
}

static void check_one(checker *c)
{
    const ts_expect *ex = c->ex;
    const toksim_step_result *r = c->r;
    char e[128] = "", g[128] = "";
    bool ok;
    if (ex->has & TS_EXP_OK)
        verdict(c, r->ok == ex->ok, "ok", ex->ok ? "true" : "false",
                r->ok ? "true" : "false");
    if (ex->has & TS_EXP_ERROR) {
        ok = error_matches(r, ex->error);
        if (say(c, ok))
            ts_result_error_name(g, sizeof g, r);
        verdict(c, ok, "error", ex->error, g);
    }
    if (ex->has & TS_EXP_WIN32) {
        if (say(c, ok = r->win32 == ex->win32)) {
            ts_fmt(e, sizeof e, "%u", (unsigned)ex->win32);
            ts_fmt(g, sizeof g, "%u", (unsigned)r->win32);
        }
        verdict(c, ok, "win32", e, g);
    }
    if (ex->has & TS_EXP_NTSTATUS) {
        if (say(c, ok = r->ntstatus == ex->ntstatus)) {
            ts_fmt(e, sizeof e, "0x%08X", (unsigned)ex->ntstatus);
            ts_fmt(g, sizeof g, "0x%08X", (unsigned)r->ntstatus);
        }
        verdict(c, ok, "ntstatus", e, g);
    }
    if (ex->has & TS_EXP_HRESULT) {
        if (say(c, ok = r->hresult == ex->hresult)) {
            ts_fmt(e, sizeof e, "0x%08X", (unsigned)ex->hresult);
            ts_fmt(g, sizeof g, "0x%08X", (unsigned)r->hresult);
        }
        verdict(c, ok, "hresult", e, g);
    }
    if (ex->has & TS_EXP_WBEM)
        check_opt(c, "wbem", r->has_wbem, r->wbem, ex->wbem, true, "no WBEM status");
    if (ex->has & TS_EXP_HTTP)
        check_opt(c, "http", r->has_http, r->http, ex->http, false, "no HTTP status");
    if (ex->has & TS_EXP_GRANTED)
        check_opt(c, "granted", r->has_granted, r->granted, ex->granted, true,
                  "no access mask");
    if (ex->has & TS_EXP_LEVEL) {
        if (say(c, ok = r->has_level && r->level == ex->level)) {
            ts_fmt(e, sizeof e, "%s", level_names[ex->level]);
            if (r->has_level && (unsigned)r->level < 4)
                ts_fmt(g, sizeof g, "%s", level_names[r->level]);
            else
                ts_fmt(g, sizeof g, "no impersonation level");
        }
        verdict(c, ok, "impersonation_level", e, g);
    }
    if (ex->has_answer)
        verdict(c, r->has_answer && r->answer == ex->answer, "answer",
                ex->answer ? "true" : "false",
                !r->has_answer ? "no answer"
                : r->answer    ? "true"
                               : "false");
    if (ex->tokinfo)
        ts_tokinfo_check(ex->tokinfo, r->token, c->run, tokinfo_verdict, c);
    check_groups(c, &ex->has_group, true, "token_has_group");
    check_groups(c, &ex->lacks_group, false, "token_lacks_group");
    check_privs(c, &ex->has_priv, true, "token_has_privilege");
    check_privs(c, &ex->lacks_priv, false, "token_lacks_privilege");
    for (size_t i = 0; i < ex->finding.n; i++) {
        bool found = false;
        for (size_t k = 0; k < r->findings->count; k++)
            if (strcmp(r->findings->items[k].id, ex->finding.v[i]) == 0)
                found = true;
        if (!say(c, found))
            ;
        else if (r->findings->count == 0)
            ts_fmt(g, sizeof g, "no finding");
        else
            ts_fmt(g, sizeof g, "%s%s", r->findings->items[0].id,
                   r->findings->count > 1 ? ", ..." : "");
        verdict(c, found, "finding", ex->finding.v[i], g);
    }
    for (size_t i = 0; i < ex->rule.n; i++) { /* the trace holds an event of the rule */
        const toksim_rule_info *ri = toksim_rule_by_id(ex->rule.v[i]);
        bool found = false;
        for (size_t k = 0; ri && k < r->trace.count; k++)
            found = found || r->trace.events[k].rule == ri->rule;
        verdict(c, found, "rule", ex->rule.v[i],
                found ? "in the trace" : "not in the trace");
    }
}

toksim_status toksim_scenario_check(size_t *passed,
                                    size_t *failed,
                                    const toksim_run *run,
                                    toksim_mismatch_fn on_mismatch,
                                    void *payload)
{
    if (!run)
        return TOKSIM_EINVAL;
    checker c = {run, NULL, NULL, 0, 0, on_mismatch, payload};
    const toksim_scenario *sc = run->sc;
    /* step order, then field order */
    for (size_t s = 0; s < sc->nsteps; s++)
        for (size_t i = 0; i < sc->nexpects; i++)
            if (sc->expects[i].step == s) {
                c.ex = &sc->expects[i];
                c.r = &run->results[s];
                check_one(&c);
            }
    if (passed)
        *passed = c.passed;
    if (failed)
        *failed = c.failed;
    return TOKSIM_OK;
}
