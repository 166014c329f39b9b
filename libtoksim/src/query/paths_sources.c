/*
 * PURPOSE: the starting identities of the paths TEACHING MODEL from a world: every
 * declared service and application pool started through the systems layer
 * (toksim_service_start_declared, toksim_iis_pool_start_declared), so the tokens carry
 * what the SCM and WAS put in them (SERVICE, the service SID type, required privileges,
 * IIS_IUSRS); without declarations, the built-in LOCAL / NETWORK SERVICE accounts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "query/paths_int.h"

typedef struct ts_src_store {
    toksim_path_sources pub;
    size_t cap;
} ts_src_store;

void toksim_path_sources_free(toksim_path_sources *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->count; i++) {
        free((char *)s->items[i].name);
        toksim_token_free((toksim_token *)s->items[i].token);
    }
    free(s->items);
    free(s);
}

/* Takes ownership of tok. */
static toksim_status
add(ts_src_store *st, toksim_world *w, const char *what, toksim_token *tok)
{
    const toksim_sid *u = toksim_token_user(tok);
    if (u->count == 1 && u->authority[5] == 5 && u->sub[0] == 18) {
        toksim_token_free(tok); /* a LocalSystem service is already the target */
        return TOKSIM_OK;
    }
    if (st->pub.count >= TOKSIM_PATH_MAX_SOURCES) {
        toksim_token_free(tok);
        return TOKSIM_ELIMIT;
    }
    char acct[128], name[TOKSIM_PATH_NAME_SIZE];
    toksim_world_sid_name(acct, sizeof acct, toksim_token_user(tok), w);
    snprintf(name, sizeof name, "%s (%s)", acct, what);
    char *dup = ts_strdup(name);
    if (!dup || !ts_grow((void **)&st->pub.items, &st->cap, st->pub.count + 1,
                         sizeof *st->pub.items)) {
        free(dup);
        toksim_token_free(tok);
        return TOKSIM_ENOMEM;
    }
    st->pub.items[st->pub.count].name = dup;
    st->pub.items[st->pub.count].token = tok;
    st->pub.count++;
    return TOKSIM_OK;
}

static toksim_status services(ts_src_store *st, toksim_world *w, toksim_error *err)
{
    char what[TOKSIM_PATH_NAME_SIZE];
    for (size_t i = 0; i < toksim_world_service_count(w); i++) {
        const toksim_world_service *d = toksim_world_service_at(w, i);
        toksim_service_result r;
        toksim_token *tok = NULL;
        toksim_status rc = toksim_service_start_declared(&r, &tok, w, d->name, NULL, err);
        if (rc != TOKSIM_OK)
            return rc;
        if (!r.started || !tok) {
            toksim_token_free(tok);
            st->pub.not_started++;
            continue;
        }
        snprintf(what, sizeof what, "service %.100s", d->name);
        if ((rc = add(st, w, what, tok)) != TOKSIM_OK)
            return rc;
    }
    return TOKSIM_OK;
}

static toksim_status pools(ts_src_store *st, toksim_world *w, toksim_error *err)
{
    char what[TOKSIM_PATH_NAME_SIZE];
    for (size_t i = 0; i < toksim_world_pool_count(w); i++) {
        const toksim_world_pool *d = toksim_world_pool_at(w, i);
        toksim_iis_pool *pool = NULL;
        toksim_iis_pool_result r;
        toksim_status rc =
            toksim_iis_pool_start_declared(&pool, &r, w, d->name, NULL, err);
        toksim_token *tok = NULL;
        if (rc == TOKSIM_OK && r.started && toksim_iis_pool_token(pool))
            rc = toksim_token_copy(&tok, toksim_iis_pool_token(pool));
        else if (rc == TOKSIM_OK)
            st->pub.not_started++;
        toksim_iis_pool_free(pool);
        if (rc != TOKSIM_OK)
            return rc;
        if (!tok)
            continue;
        snprintf(what, sizeof what, "pool %.100s", d->name);
        if ((rc = add(st, w, what, tok)) != TOKSIM_OK)
            return rc;
    }
    return TOKSIM_OK;
}

static toksim_status builtins(ts_src_store *st, toksim_world *w, toksim_error *err)
{
    static const toksim_builtin_account b[] = {TOKSIM_BUILTIN_LOCAL_SERVICE,
                                               TOKSIM_BUILTIN_NETWORK_SERVICE};
    for (size_t i = 0; i < 2; i++) {
        toksim_token *tok = NULL;
        toksim_status rc = toksim_logon_builtin(&tok, w, b[i], NULL, NULL, err);
        if (rc == TOKSIM_OK)
            rc = add(st, w, "a service", tok);
        if (rc != TOKSIM_OK)
            return rc;
    }
    return TOKSIM_OK;
}

toksim_status toksim_paths_world_sources(toksim_path_sources **out,
                                         toksim_world *world,
                                         toksim_error *err)
{
    if (out)
        *out = NULL;
    if (!out || !world)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "paths: no world");
    ts_src_store *st = ts_calloc(1, sizeof *st);
    if (!st)
        return TOKSIM_ENOMEM;
    toksim_status rc = services(st, world, err);
    if (rc == TOKSIM_OK)
        rc = pools(st, world, err);
    if (rc == TOKSIM_OK && !toksim_world_service_count(world) &&
        !toksim_world_pool_count(world))
        rc = builtins(st, world, err);
    if (rc == TOKSIM_ELIMIT)
        ts_error_set(err, rc, 0, "paths: the world declares more than %u processes",
                     (unsigned)TOKSIM_PATH_MAX_SOURCES);
    if (rc != TOKSIM_OK) {
        toksim_path_sources_free(&st->pub);
        return rc;
    }
    *out = &st->pub;
    return TOKSIM_OK;
}
