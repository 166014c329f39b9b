/*
 * PURPOSE: load a scenario file (format version 1, docs/scenario-format.md) into the
 * engine's structures: header fields, references, the world (handed to the identity
 * layer's loader), the steps with their parameters checked against the operation table,
 * and the expectations.
 *
 * Hostile input: the size, the nesting depth, the number of JSON values, of steps, of
 * list items and the length of strings are capped while the strict reader builds the tree
 * (TOKSIM_ELIMIT), the text must be UTF-8 without NUL bytes, keys are case-sensitive, an
 * unknown or repeated key is an error. Every error names file, line, column and the JSON
 * path of the offending value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/scen_int.h"
#include "scenario/world_glue.h"
#include "toksim/json_check.h"
#include "util/hix.h"
#include "scenario/model_int.h"

/* The one formatter of load errors: "<path>: <message>" at a byte offset of the text. */
TS_PRINTF(5, 0)
static toksim_status vfail(ts_loader *L,
                           toksim_status code,
                           size_t off,
                           const char *path,
                           const char *fmt,
                           va_list ap)
{
    if (!L->err)
        return code;
    char msg[TOKSIM_ERROR_MESSAGE_SIZE];
    vsnprintf(msg, sizeof msg, fmt, ap);
    int line = 0, col = 0;
    ts_text_linecol(L->text, L->len, off, &line, &col);
    if (path && *path)
        ts_error_set_pos(L->err, code, off, line, col, "%s: %s", path, msg);
    else
        ts_error_set_pos(L->err, code, off, line, col, "%s", msg);
    snprintf(L->err->where, sizeof L->err->where, "%s", L->where);
    return code;
}

toksim_status ts_load_fail(ts_loader *L,
                           toksim_status code,
                           const cJSON *node,
                           bool key,
                           const char *path,
                           const char *fmt,
                           ...)
{
    va_list ap;
    va_start(ap, fmt);
    toksim_status rc = vfail(L, code, ts_jpos_of(&L->doc, node, key), path, fmt, ap);
    va_end(ap);
    return rc;
}

toksim_status ts_load_fail_at(
    ts_loader *L, toksim_status code, size_t off, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    toksim_status rc = vfail(L, code, off, path, fmt, ap);
    va_end(ap);
    return rc;
}

void ts_loader_linecol(ts_loader *L, size_t off, int *line, int *col)
{
    if (off > L->len)
        off = L->len;
    if (!L->lc_line || off < L->lc_off) {
        L->lc_off = 0;
        L->lc_line = L->lc_col = 1;
    }
    int l = L->lc_line, c = L->lc_col;
    ts_text_advance(L->text, L->lc_off, off, L->cr, &l, &c);
    L->lc_off = off;
    *line = L->lc_line = l;
    *col = L->lc_col = c;
}

/* ---- typed member access ---- */

/* Where `key` is one of the names of a list such as "a,b,c" or "a:s!,b:n" (a name ends at
 * ',', ':' or the end): the byte after the name, or NULL. One walk, no strchr per name
 * (issue 11: every key and parameter of a scenario is looked up so). */
static const char *list_find(const char *list, const char *key)
{
    for (const char *p = list; *p;) {
        const char *k = key;
        while (*p && *p == *k && *p != ',' && *p != ':') {
            p++;
            k++;
        }
        if (!*k && (!*p || *p == ',' || *p == ':'))
            return p;
        while (*p && *p != ',')
            p++;
        if (*p)
            p++;
    }
    return NULL;
}

/* Check an object's keys: all known, not too many. `allowed` is comma-separated. A
 * repeated key never gets here: the strict reader refuses it. */
toksim_status
ts_load_check_keys(ts_loader *L, const cJSON *obj, const char *path, const char *allowed)
{
    size_t count = 0;
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (++count > TS_SCEN_MAX_LIST)
            return ts_load_fail(L, TOKSIM_ELIMIT, c, true, path, "more than %d members",
                                TS_SCEN_MAX_LIST);
        const char *k = c->string ? c->string : "";
        if (!*k || !list_find(allowed, k)) {
            char list[TOKSIM_ERROR_MESSAGE_SIZE];
            size_t u = 0;
            for (const char *a = allowed; *a && u + 3 < sizeof list; a++) {
                list[u++] = *a;
                if (*a == ',')
                    list[u++] = ' ';
            }
            list[u] = '\0';
            return ts_load_fail(L, TOKSIM_EPARSE, c, true, path,
                                "unknown key \"%.60s\" (expected one of: %s)", k, list);
        }
    }
    return TOKSIM_OK;
}

/* A string member, borrowed from the document's decoded strings, which the scenario
 * keeps (sc->strings): no copy per string (issue 11). */
static toksim_status get_string(ts_loader *L,
                                const cJSON *obj,
                                const char *key,
                                const char *path,
                                bool required,
                                char **out)
{
    *out = NULL;
    const cJSON *it = ts_jget(obj, key);
    if (!it) {
        if (required)
            return ts_load_fail(L, TOKSIM_EPARSE, obj, false, path,
                                "missing \"%s\" (a string)", key);
        return TOKSIM_OK;
    }
    if (!cJSON_IsString(it) || !it->valuestring)
        return ts_load_fail(L, TOKSIM_EPARSE, it, false, path, "\"%s\" must be a string",
                            key);
    if (strlen(it->valuestring) > TS_SCEN_MAX_STRING)
        return ts_load_fail(L, TOKSIM_ELIMIT, it, false, path,
                            "\"%s\" is longer than %d bytes", key, TS_SCEN_MAX_STRING);
    *out = it->valuestring;
    return TOKSIM_OK;
}

bool ts_parse_u32(const cJSON *item, uint32_t *out)
{
    if (cJSON_IsNumber(item)) {
        double d = item->valuedouble;
        if (!(d >= 0 && d <= 4294967295.0) || d != (double)(uint32_t)d)
            return false;
        *out = (uint32_t)d;
        return true;
    }
    if (!cJSON_IsString(item) || !item->valuestring || !*item->valuestring)
        return false;
    const char *s = item->valuestring;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s || strlen(s) > 10)
        return false;
    unsigned long long v = 0;
    for (; *s; s++) {
        int d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return false;
        v = v * (unsigned)base + (unsigned)d;
        if (v > 0xFFFFFFFFull)
            return false;
    }
    *out = (uint32_t)v;
    return true;
}

/* ---- steps ---- */

static bool valid_id(const char *s)
{
    if (!*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
            return false;
    return true;
}

/* Find "key" in an op's parameter spec; returns its type char (0 when absent), *required
 * set. */
static char spec_lookup(const char *spec, const char *key, bool *required)
{
    const char *colon = *key && spec ? list_find(spec, key) : NULL;
    if (!colon || *colon != ':')
        return 0;
    *required = colon[2] == '!';
    return colon[1];
}

/* The list of parameter names of an op, for messages: "thread, token, level". */
static void spec_names(char *buf, size_t n, const char *spec)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const char *p = spec; p && *p;) {
        const char *colon = strchr(p, ':');
        const char *e = strchr(p, ',');
        if (!colon)
            break;
        int w = snprintf(buf + used, n - used, "%s%.*s", used ? ", " : "",
                         (int)(colon - p), p);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
        p = e ? e + 1 : NULL;
    }
}

static toksim_status
load_list(ts_loader *L, const cJSON *it, const char *path, ts_param *pm)
{
    int n = cJSON_GetArraySize(it);
    if (n > TS_SCEN_MAX_LIST)
        return ts_load_fail(L, TOKSIM_ELIMIT, it, false, path, "more than %d items",
                            TS_SCEN_MAX_LIST);
    pm->list = ts_calloc((size_t)n, sizeof *pm->list);
    if (!pm->list)
        return TOKSIM_ENOMEM;
    for (const cJSON *c = it->child; c; c = c->next) {
        if (!cJSON_IsString(c) || !c->valuestring)
            return ts_load_fail(L, TOKSIM_EPARSE, c, false, path,
                                "expected a list of strings");
        if (strlen(c->valuestring) > TS_SCEN_MAX_STRING)
            return ts_load_fail(L, TOKSIM_ELIMIT, c, false, path,
                                "string longer than %d bytes", TS_SCEN_MAX_STRING);
        pm->list[pm->nlist++] = c->valuestring; /* borrowed, as every string here */
    }
    pm->kind = TS_PV_LIST;
    return TOKSIM_OK;
}

static toksim_status
load_param(ts_loader *L, const cJSON *it, char type, const char *path, ts_param *pm)
{
    pm->offset = ts_jpos_of(&L->doc, it, false);
    bool is_str = cJSON_IsString(it) && it->valuestring;
    if (is_str && strlen(it->valuestring) > TS_SCEN_MAX_STRING)
        return ts_load_fail(L, TOKSIM_ELIMIT, it, false, path,
                            "string longer than %d bytes", TS_SCEN_MAX_STRING);
    switch (type) {
    case 's':
        if (!is_str)
            return ts_load_fail(L, TOKSIM_EPARSE, it, false, path, "expected a string");
        break;
    case 'n':
        if (!cJSON_IsNumber(it) || it->valuedouble != (double)(int)it->valuedouble ||
            it->valuedouble < -2147483647.0 || it->valuedouble > 2147483647.0)
            return ts_load_fail(L, TOKSIM_EPARSE, it, false, path, "expected an integer");
        pm->kind = TS_PV_NUMBER;
        pm->num = it->valuedouble;
        return TOKSIM_OK;
    case 'b':
        if (!cJSON_IsBool(it))
            return ts_load_fail(L, TOKSIM_EPARSE, it, false, path,
                                "expected true or false");
        pm->kind = TS_PV_BOOL;
        pm->b = cJSON_IsTrue(it);
        return TOKSIM_OK;
    case 'l':
        if (!cJSON_IsArray(it))
            return ts_load_fail(L, TOKSIM_EPARSE, it, false, path,
                                "expected a list of strings");
        return load_list(L, it, path, pm);
    case 'o':
        if (cJSON_IsArray(it))
            return load_list(L, it, path, pm);
        if (!is_str)
            return ts_load_fail(L, TOKSIM_EPARSE, it, false, path,
                                "expected a string or a list of strings");
        break;
    case 'm':
        if (cJSON_IsNumber(it)) {
            uint32_t v;
            if (!ts_parse_u32(it, &v))
                return ts_load_fail(L, TOKSIM_EPARSE, it, false, path,
                                    "access mask out of range");
            pm->kind = TS_PV_NUMBER;
            pm->num = v;
            return TOKSIM_OK;
        }
        if (!is_str)
            return ts_load_fail(L, TOKSIM_EPARSE, it, false, path,
                                "expected an access mask (a number, \"0x...\", or rights "
                                "such as \"FR\" or "
                                "\"GENERIC_READ\")");
        break;
    default:
        return ts_load_fail(L, TOKSIM_ERROR, it, false, path, "bad parameter spec");
    }
    pm->kind = TS_PV_STRING;
    pm->str = it->valuestring;
    return TOKSIM_OK;
}

/* "steps[12]" and "steps[12].token" (as snprintf would write them, cut to n - 1 bytes):
 * made for every step and parameter, used by the error messages only (issue 11). */
static void step_path(char buf[64], size_t index)
{
    char d[24];
    size_t k = 0;
    do {
        d[k++] = (char)('0' + index % 10);
        index /= 10;
    } while (index);
    memcpy(buf, "steps[", 6);
    for (size_t i = 0; i < k; i++)
        buf[6 + i] = d[k - 1 - i];
    buf[6 + k] = ']';
    buf[7 + k] = '\0';
}

static void join_path(char *buf, size_t n, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > n - 1)
        la = n - 1;
    memcpy(buf, a, la);
    size_t u = la;
    if (u < n - 1)
        buf[u++] = '.';
    if (lb > n - 1 - u)
        lb = n - 1 - u;
    memcpy(buf + u, b, lb);
    buf[u + lb] = '\0';
}

static toksim_status
load_step(ts_loader *L, toksim_scenario *sc, const cJSON *obj, size_t index, ts_hix *ids)
{
    char path[64];
    step_path(path, index);
    ts_step *st = &sc->steps[index];
    st->offset = ts_jpos_of(&L->doc, obj, false);
    ts_loader_linecol(L, st->offset, &st->line, &st->column);
    if (!cJSON_IsObject(obj))
        return ts_load_fail(L, TOKSIM_EPARSE, obj, false, path,
                            "a step must be an object {\"id\", \"op\", ...}");
    toksim_status rc = get_string(L, obj, "id", path, true, &st->id);
    if (rc)
        return rc;
    if (!valid_id(st->id))
        return ts_load_fail(
            L, TOKSIM_EPARSE, ts_jget(obj, "id"), false, path,
            "step id \"%.60s\" must be 1-64 letters, digits, '_', '-' or '.'", st->id);
    /* step ids are unique: a hash index keeps 10^4 steps linear (util/hix.h) */
    uint64_t h = ts_hix_bytes(TS_HIX_SEED, st->id, strlen(st->id));
    size_t it = 0, at;
    while ((at = ts_hix_next(ids, h, &it)))
        if (strcmp(sc->steps[at - 1].id, st->id) == 0)
            return ts_load_fail(L, TOKSIM_EPARSE, ts_jget(obj, "id"), false, path,
                                "step id \"%s\" is already used by steps[%zu]", st->id,
                                at - 1);
    if (!ts_hix_add(ids, h, index))
        return TOKSIM_ENOMEM;
    char *opname = NULL;
    if ((rc = get_string(L, obj, "op", path, true, &opname)))
        return rc;
    st->op = ts_op_find(opname);
    if (!st->op) {
        char names[TOKSIM_ERROR_MESSAGE_SIZE] = "";
        size_t used = 0;
        for (size_t i = 0; i < ts_op_count(); i++) {
            int w = snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                             ts_op_at(i)->name);
            if (w < 0 || (size_t)w >= sizeof names - used)
                break;
            used += (size_t)w;
        }
        rc = ts_load_fail(L, TOKSIM_EPARSE, ts_jget(obj, "op"), false, path,
                          "unknown operation \"%.40s\" (expected one of: %s)", opname,
                          names);
        return rc;
    }
    if ((rc = get_string(L, obj, "note", path, false, &st->note)))
        return rc;
    size_t count = 0;
    for (const cJSON *c = obj->child; c; c = c->next)
        count++;
    if (count > 64)
        return ts_load_fail(L, TOKSIM_ELIMIT, obj, false, path,
                            "more than 64 parameters");
    st->params = ts_calloc(count, sizeof *st->params);
    if (!st->params)
        return TOKSIM_ENOMEM;
    char ppath[128];
    size_t given_required = 0;
    for (const cJSON *c = obj->child; c; c = c->next) {
        const char *k = c->string ? c->string : "";
        if (strcmp(k, "id") == 0 || strcmp(k, "op") == 0 || strcmp(k, "note") == 0)
            continue;
        bool required = false;
        char type = spec_lookup(st->op->params, k, &required);
        given_required += required;
        if (!type) {
            char names[TOKSIM_ERROR_MESSAGE_SIZE];
            spec_names(names, sizeof names, st->op->params);
            return ts_load_fail(
                L, TOKSIM_EPARSE, c, true, path,
                "unknown parameter \"%.40s\" for %s (expected one of: id, op, note, %s)",
                k, st->op->name, names);
        }
        for (size_t j = 0; j < st->nparams; j++)
            if (strcmp(st->params[j].key, k) == 0)
                return ts_load_fail(L, TOKSIM_EPARSE, c, true, path,
                                    "parameter \"%s\" appears twice", k);
        join_path(ppath, sizeof ppath, path, k);
        ts_param *pm = &st->params[st->nparams++];
        pm->key = k; /* the scenario keeps the document's strings */
        if ((rc = load_param(L, c, type, ppath, pm)))
            return rc;
        /* "as" names are referred to by later steps; ':' separates a process from its
         * threads */
        if (strcmp(k, "as") == 0 && !valid_id(pm->str))
            return ts_load_fail(L, TOKSIM_EPARSE, c, false, ppath,
                                "a name must be 1-64 letters, digits, '_', '-' or '.'");
    }
    /* required parameters: when as many were given as the spec marks with '!', all were
     * (each key at most once); else name the first one missing */
    size_t marked = 0;
    for (const char *p = st->op->params; p && *p; p++)
        marked += *p == '!';
    if (given_required == marked)
        return TOKSIM_OK;
    for (const char *p = st->op->params; p && *p;) {
        const char *colon = strchr(p, ':');
        const char *e = strchr(p, ',');
        if (!colon)
            break;
        if (colon[2] == '!') {
            char key[32];
            size_t kl = (size_t)(colon - p) < sizeof key - 1 ? (size_t)(colon - p)
                                                             : sizeof key - 1;
            memcpy(key, p, kl);
            key[kl] = '\0';
            if (!ts_step_param(st, key))
                return ts_load_fail(L, TOKSIM_EPARSE, obj, false, path, "%s needs \"%s\"",
                                    st->op->name, key);
        }
        p = e ? e + 1 : NULL;
    }
    return TOKSIM_OK;
}

const ts_param *ts_step_param(const ts_step *st, const char *key)
{
    for (size_t i = 0; i < st->nparams; i++)
        if (st->params[i].key && strcmp(st->params[i].key, key) == 0)
            return &st->params[i];
    return NULL;
}

const char *ts_step_str(const ts_step *st, const char *key)
{
    const ts_param *p = ts_step_param(st, key);
    return p && p->kind == TS_PV_STRING ? p->str : NULL;
}

void ts_step_dispose(ts_step *st)
{
    for (size_t i = 0; i < st->nparams; i++)
        free(st->params[i].list); /* the strings are the scenario's (sc->strings) */
    free(st->params);
}

/* ---- the document ---- */

static toksim_status load_refs(ts_loader *L, toksim_scenario *sc, const cJSON *refs)
{
    if (!cJSON_IsArray(refs))
        return ts_load_fail(L, TOKSIM_EPARSE, refs, false, "references",
                            "expected a list of {\"title\", \"url\"}");
    int n = cJSON_GetArraySize(refs);
    if (n > TS_SCEN_MAX_REFS)
        return ts_load_fail(L, TOKSIM_ELIMIT, refs, false, "references",
                            "more than %d references", TS_SCEN_MAX_REFS);
    sc->refs = ts_calloc((size_t)n, sizeof *sc->refs);
    if (!sc->refs)
        return TOKSIM_ENOMEM;
    char path[48];
    for (const cJSON *c = refs->child; c; c = c->next) {
        snprintf(path, sizeof path, "references[%zu]", sc->nrefs);
        if (!cJSON_IsObject(c))
            return ts_load_fail(L, TOKSIM_EPARSE, c, false, path,
                                "expected {\"title\", \"url\"}");
        toksim_status rc = ts_load_check_keys(L, c, path, "title,url");
        ts_ref *r = &sc->refs[sc->nrefs++];
        if (rc || (rc = get_string(L, c, "title", path, true, &r->title)) ||
            (rc = get_string(L, c, "url", path, false, &r->url)))
            return rc;
        if (!r->url)
            r->url = (char *)"";
    }
    return TOKSIM_OK;
}

static toksim_status load_doc(ts_loader *L, toksim_scenario *sc, const cJSON *root)
{
    if (!cJSON_IsObject(root))
        return ts_load_fail(L, TOKSIM_EPARSE, root, false, "",
                            "a scenario must be a JSON object");
    toksim_status rc = ts_load_check_keys(
        L, root, "",
        "$schema,toksim,name,title,description,references,model,world,steps,expect");
    if (rc)
        return rc;
    const cJSON *ver = ts_jget(root, "toksim");
    if (!ver)
        return ts_load_fail(L, TOKSIM_EPARSE, root, false, "",
                            "missing \"toksim\": 1 (the format version)");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != (double)(int)ver->valuedouble)
        return ts_load_fail(L, TOKSIM_EPARSE, ver, false, "toksim",
                            "expected the format version number 1");
    if (ver->valuedouble != TOKSIM_SCENARIO_FORMAT)
        return ts_load_fail(
            L, TOKSIM_EUNSUPPORTED, ver, false, "toksim",
            "format version %g is not supported (this toksim reads version %d)",
            ver->valuedouble, TOKSIM_SCENARIO_FORMAT);
    char *schema = NULL; /* "$schema" names the JSON schema for editors: a string */
    if ((rc = get_string(L, root, "$schema", "", false, &schema)))
        return rc;
    if ((rc = get_string(L, root, "name", "", true, &sc->name)) ||
        (rc = get_string(L, root, "title", "", true, &sc->title)) ||
        (rc = get_string(L, root, "description", "", false, &sc->description)))
        return rc;
    if (!valid_id(sc->name))
        return ts_load_fail(L, TOKSIM_EPARSE, ts_jget(root, "name"), false, "name",
                            "must be 1-64 letters, digits, '_', '-' or '.'");
    if (!sc->description)
        sc->description = (char *)"";
    const cJSON *refs = ts_jget(root, "references");
    if (refs && (rc = load_refs(L, sc, refs)))
        return rc;
    const cJSON *model = ts_jget(root, "model");
    if (model && (rc = ts_model_load(L, sc, model))) /* model.c */
        return rc;
    const cJSON *world = ts_jget(root, "world");
    if (!world)
        return ts_load_fail(L, TOKSIM_EPARSE, root, false, "",
                            "missing \"world\" (an object)");
    if (!cJSON_IsObject(world))
        return ts_load_fail(L, TOKSIM_EPARSE, world, false, "world",
                            "expected an object");
    if ((rc = ts_world_glue_load(L, sc, world)))
        return rc;
    const cJSON *steps = ts_jget(root, "steps");
    if (!steps || !cJSON_IsArray(steps))
        return ts_load_fail(
            L, TOKSIM_EPARSE, steps ? steps : root, false, steps ? "steps" : "", "%s",
            steps ? "expected a list of steps" : "missing \"steps\" (a list)");
    int n = cJSON_GetArraySize(steps);
    if (n == 0)
        return ts_load_fail(L, TOKSIM_EPARSE, steps, false, "steps",
                            "a scenario needs at least one step");
    if (n > TS_SCEN_MAX_STEPS)
        return ts_load_fail(L, TOKSIM_ELIMIT, steps, false, "steps", "more than %d steps",
                            TS_SCEN_MAX_STEPS);
    sc->steps = ts_calloc((size_t)n, sizeof *sc->steps);
    if (!sc->steps)
        return TOKSIM_ENOMEM;
    ts_hix ids = {0};
    for (const cJSON *c = steps->child; c; c = c->next) {
        sc->nsteps++;
        if ((rc = load_step(L, sc, c, sc->nsteps - 1, &ids))) {
            ts_hix_free(&ids);
            return rc;
        }
    }
    ts_hix_free(&ids);
    const cJSON *expect = ts_jget(root, "expect");
    if (expect)
        return ts_expect_load(L, sc, expect);
    return TOKSIM_OK;
}

toksim_status toksim_scenario_parse(toksim_scenario **out,
                                    const char *text,
                                    size_t len,
                                    const char *where,
                                    const char *base_dir,
                                    toksim_error *err)
{
    if (!out || (!text && len))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "toksim_scenario_parse: NULL argument");
    *out = NULL;
    toksim_error_clear(err);
    ts_loader L = {
        text ? text : "", len, where ? where : "<input>", {0}, err, 0, 0, 0, true};
    if (len > TOKSIM_SCENARIO_MAX_BYTES) {
        ts_error_set(err, TOKSIM_ELIMIT, 0, "the scenario is larger than %zu bytes",
                     TOKSIM_SCENARIO_MAX_BYTES);
        if (err)
            snprintf(err->where, sizeof err->where, "%s", L.where);
        return TOKSIM_ELIMIT;
    }
    toksim_scenario *sc = ts_calloc(1, sizeof *sc);
    if (!sc)
        return TOKSIM_ENOMEM;
    sc->text = ts_strndup(L.text, len);
    sc->len = len;
    sc->where = ts_strdup(L.where);
    sc->base_dir = ts_strdup(base_dir ? base_dir : ".");
    if (!sc->text || !sc->where || !sc->base_dir) {
        toksim_scenario_free(sc);
        return TOKSIM_ENOMEM;
    }
    L.text = sc->text;
    /* The one strict reader (json_strict.c): RFC 8259 plus no duplicate keys, no
     * "\u0000", no UTF-16, at most TS_SCEN_MAX_NODES values; it builds the tree with
     * each value's position in the same pass. */
    toksim_error jerr = {0};
    if (ts_jdoc_parse(&L.doc, sc->text, len, TS_SCEN_MAX_NODES, &jerr) != TOKSIM_OK) {
        toksim_status rc =
            ts_load_fail_at(&L, jerr.code, jerr.offset, NULL, "%s", jerr.message);
        toksim_scenario_free(sc);
        return rc;
    }
    const cJSON *root = L.doc.root;
    L.cr = memchr(sc->text, '\r', len) != NULL;
    sc->strings = L.doc.strings; /* the steps and header borrow them */
    L.doc.strings = NULL;
    toksim_status rc = load_doc(&L, sc, root);
    ts_jdoc_dispose(&L.doc);
    if (rc) {
        if (rc == TOKSIM_ENOMEM)
            ts_error_set(err, rc, 0, "out of memory while loading the scenario");
        toksim_scenario_free(sc);
        return rc;
    }
    *out = sc;
    return TOKSIM_OK;
}

toksim_status
toksim_scenario_load_file(toksim_scenario **out, const char *path, toksim_error *err)
{
    if (!out || !path)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "toksim_scenario_load_file: NULL argument");
    *out = NULL;
    size_t len = 0;
    char *text = NULL;
    toksim_status rc = ts_read_file(&text, &len, path, TOKSIM_SCENARIO_MAX_BYTES, err);
    if (rc)
        return rc;
    char dir[1024];
    const char *slash = strrchr(path, '/');
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    rc = toksim_scenario_parse(out, text, len, path, dir, err);
    free(text);
    return rc;
}

void toksim_scenario_free(toksim_scenario *sc)
{
    if (!sc)
        return;
    free(sc->where);
    free(sc->base_dir);
    free(sc->refs); /* name, title, description, titles and urls are in sc->strings */
    for (size_t i = 0; i < sc->nsteps; i++)
        ts_step_dispose(&sc->steps[i]);
    free(sc->steps);
    for (size_t i = 0; i < sc->nexpects; i++)
        ts_expect_dispose(&sc->expects[i]);
    free(sc->expects);
    ts_world_glue_free(sc->world);
    ts_model_free(sc->model);
    free(sc->text);
    free(sc->strings);
    free(sc);
}

/* ---- accessors ---- */

const char *toksim_scenario_name(const toksim_scenario *sc)
{
    return sc ? sc->name : NULL;
}

const char *toksim_scenario_title(const toksim_scenario *sc)
{
    return sc ? sc->title : NULL;
}

const char *toksim_scenario_description(const toksim_scenario *sc)
{
    return sc ? sc->description : NULL;
}

const char *toksim_scenario_where(const toksim_scenario *sc)
{
    return sc ? sc->where : NULL;
}

size_t toksim_scenario_reference_count(const toksim_scenario *sc)
{
    return sc ? sc->nrefs : 0;
}

bool toksim_scenario_reference_at(const toksim_scenario *sc,
                                  size_t i,
                                  const char **title,
                                  const char **url)
{
    if (!sc || i >= sc->nrefs)
        return false;
    if (title)
        *title = sc->refs[i].title;
    if (url)
        *url = sc->refs[i].url;
    return true;
}

size_t toksim_scenario_step_count(const toksim_scenario *sc)
{
    return sc ? sc->nsteps : 0;
}

const char *toksim_scenario_step_id(const toksim_scenario *sc, size_t i)
{
    return sc && i < sc->nsteps ? sc->steps[i].id : NULL;
}

const char *toksim_scenario_step_op(const toksim_scenario *sc, size_t i)
{
    return sc && i < sc->nsteps ? sc->steps[i].op->name : NULL;
}

const char *toksim_scenario_step_note(const toksim_scenario *sc, size_t i)
{
    return sc && i < sc->nsteps ? sc->steps[i].note : NULL;
}
