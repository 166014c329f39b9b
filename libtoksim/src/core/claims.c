/*
 * PURPOSE: claims on tokens (claims.h): the user and device claim sets and the device
 * groups that conditional ACEs read (MS-DTYP 2.4.4.17; TOKEN_USER_CLAIMS,
 * TOKEN_DEVICE_CLAIMS, TOKEN_DEVICE_GROUPS), kept as CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1
 * bytes (MS-DTYP 2.4.10.1, compiled by sddl_claims.c), and their decoder.
 */
#include <stdlib.h>
#include <string.h>
#include "claims_int.h"
#include "sddl_int.h"
#include "toksim/claims.h"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

void ts_claims_free(ts_claims *c)
{
    if (!c)
        return;
    for (int s = 0; s < 3; s++) {
        for (size_t i = 0; i < c->n[s]; i++)
            free(c->set[s][i].d);
        free(c->set[s]);
    }
    free(c->devgroups);
    free(c);
}

ts_claims *ts_claims_copy(const ts_claims *c, bool *ok)
{
    *ok = true;
    if (!c)
        return NULL;
    ts_claims *d = ts_calloc(1, sizeof *d);
    if (!d)
        goto fail;
    for (int s = 0; s < 3; s++) {
        if (!c->n[s])
            continue;
        if (!(d->set[s] = ts_calloc(c->n[s], sizeof *d->set[s])))
            goto fail;
        d->cap[s] = c->n[s];
        for (size_t i = 0; i < c->n[s]; i++) {
            if (!(d->set[s][i].d = malloc(c->set[s][i].n)))
                goto fail;
            memcpy(d->set[s][i].d, c->set[s][i].d, c->set[s][i].n);
            d->set[s][i].n = c->set[s][i].n;
            d->n[s] = i + 1;
        }
    }
    if (c->ndev) {
        if (!(d->devgroups = ts_calloc(c->ndev, sizeof *d->devgroups)))
            goto fail;
        memcpy(d->devgroups, c->devgroups, c->ndev * sizeof *d->devgroups);
        d->ndev = d->capdev = c->ndev;
    }
    return d;
fail:
    ts_claims_free(d);
    *ok = false;
    return NULL;
}

bool ts_utf16_eq_ci(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
    if (an != bn)
        return false;
    for (size_t i = 0; i + 1 < an; i += 2) {
        unsigned x = a[i] | (unsigned)a[i + 1] << 8, y = b[i] | (unsigned)b[i + 1] << 8;
        if (x >= 'A' && x <= 'Z')
            x += 32;
        if (y >= 'A' && y <= 'Z')
            y += 32;
        if (x != y)
            return false;
    }
    return true;
}

/* Length in bytes of the NUL-terminated UTF-16 at d[off..n), or SIZE_MAX. */
static size_t u16z_len(const uint8_t *d, size_t n, size_t off)
{
    for (size_t i = off; i + 1 < n; i += 2)
        if (!d[i] && !d[i + 1])
            return i - off;
    return SIZE_MAX;
}

bool ts_claim_view_of(ts_claim_view *v, const uint8_t *d, size_t n)
{
    if (!d || n < 16)
        return false;
    uint32_t noff = rd32(d), count = rd32(d + 12);
    if (count > (n - 16) / 4 || noff >= n)
        return false;
    size_t nl = u16z_len(d, n, noff);
    if (nl == SIZE_MAX)
        return false;
    v->name = d + noff;
    v->name_len = nl;
    v->type = (uint16_t)(d[4] | d[5] << 8);
    v->count = count;
    v->base = d;
    v->len = n;
    return true;
}

bool ts_claim_value(
    const ts_claim_view *v, uint32_t i, int64_t *iv, const uint8_t **p, size_t *pn)
{
    if (i >= v->count)
        return false;
    size_t off = rd32(v->base + 16 + 4 * (size_t)i);
    if (off >= v->len)
        return false;
    switch (v->type) {
    case 1:
    case 2:
    case 6: {
        if (v->len - off < 8)
            return false;
        uint64_t x = 0;
        for (int k = 7; k >= 0; k--)
            x = x << 8 | v->base[off + (size_t)k];
        *iv = (int64_t)x;
        return true;
    }
    case 3: {
        size_t l = u16z_len(v->base, v->len, off);
        if (l == SIZE_MAX)
            return false;
        *p = v->base + off;
        *pn = l;
        return true;
    }
    case 5:
    case 0x10: {
        if (v->len - off < 4)
            return false;
        uint32_t l = rd32(v->base + off);
        if (l > v->len - off - 4)
            return false;
        *p = v->base + off + 4;
        *pn = l;
        return true;
    }
    default:
        return false;
    }
}

static ts_claims *claims_of(toksim_token *tok)
{
    ts_claims **slot = ts_token_claims_slot(tok);
    if (!*slot)
        *slot = ts_calloc(1, sizeof **slot);
    return *slot;
}

toksim_status toksim_token_add_claim(toksim_token *tok,
                                     toksim_claim_scope scope,
                                     const char *text,
                                     toksim_error *err)
{
    if (!tok || !text ||
        (scope != TOKSIM_CLAIMS_USER && scope != TOKSIM_CLAIMS_DEVICE &&
         scope != TOKSIM_CLAIMS_LOCAL))
        return ts_error_set(err, TOKSIM_EINVAL, 0, "a token, a scope and a claim text");
    uint8_t *d;
    size_t n;
    toksim_status rc = ts_claim_compile(&d, &n, text, strlen(text), 0, err);
    if (rc)
        return rc;
    ts_claims *c = claims_of(tok);
    ts_claim_view nv;
    if (!c || !ts_claim_view_of(&nv, d, n)) {
        free(d);
        return ts_error_set(err, TOKSIM_ENOMEM, 0, "out of memory");
    }
    int s = (int)scope;
    for (size_t i = 0; i < c->n[s]; i++) { /* same name: replace */
        ts_claim_view ov;
        if (ts_claim_view_of(&ov, c->set[s][i].d, c->set[s][i].n) &&
            ts_utf16_eq_ci(ov.name, ov.name_len, nv.name, nv.name_len)) {
            free(c->set[s][i].d);
            c->set[s][i].d = d;
            c->set[s][i].n = n;
            return TOKSIM_OK;
        }
    }
    if (!ts_grow((void **)&c->set[s], &c->cap[s], c->n[s] + 1, sizeof *c->set[s])) {
        free(d);
        return ts_error_set(err, TOKSIM_ENOMEM, 0, "out of memory");
    }
    c->set[s][c->n[s]].d = d;
    c->set[s][c->n[s]].n = n;
    c->n[s]++;
    return TOKSIM_OK;
}

toksim_status toksim_token_add_device_group(toksim_token *tok, const toksim_sid *sid)
{
    if (!tok || !sid)
        return TOKSIM_EINVAL;
    ts_claims *c = claims_of(tok);
    if (!c ||
        !ts_grow((void **)&c->devgroups, &c->capdev, c->ndev + 1, sizeof *c->devgroups))
        return TOKSIM_ENOMEM;
    c->devgroups[c->ndev++] = *sid;
    return TOKSIM_OK;
}

toksim_status
toksim_token_add_claim_spec(toksim_token *tok, const char *spec, toksim_error *err)
{
    if (!tok || !spec)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "a token and a claim");
    const char *colon = strchr(spec, ':');
    size_t k = colon ? (size_t)(colon - spec) : 0;
    if (colon && k == 4 && ts_strncasecmp(spec, "user", 4) == 0)
        return toksim_token_add_claim(tok, TOKSIM_CLAIMS_USER, colon + 1, err);
    if (colon && k == 6 && ts_strncasecmp(spec, "device", 6) == 0)
        return toksim_token_add_claim(tok, TOKSIM_CLAIMS_DEVICE, colon + 1, err);
    if (colon && k == 5 && ts_strncasecmp(spec, "local", 5) == 0)
        return toksim_token_add_claim(tok, TOKSIM_CLAIMS_LOCAL, colon + 1, err);
    if (colon && k == 8 && ts_strncasecmp(spec, "devgroup", 8) == 0) {
        toksim_sid sid;
        toksim_status rc = toksim_sid_resolve(&sid, colon + 1, NULL, err);
        return rc ? rc : toksim_token_add_device_group(tok, &sid);
    }
    return ts_error_set(
        err, TOKSIM_EPARSE, 0,
        "expected user:CLAIM, device:CLAIM, local:CLAIM or devgroup:SID, CLAIM being "
        "\"Name\",TYPE,flags,value[,value...]");
}

size_t toksim_token_claim_count(const toksim_token *tok, toksim_claim_scope scope)
{
    const ts_claims *c = tok ? ts_token_claims(tok) : NULL;
    return c && (scope == TOKSIM_CLAIMS_USER || scope == TOKSIM_CLAIMS_DEVICE ||
                 scope == TOKSIM_CLAIMS_LOCAL)
               ? c->n[scope]
               : 0;
}

toksim_status toksim_token_claim_text(char **out,
                                      const toksim_token *tok,
                                      toksim_claim_scope scope,
                                      size_t i)
{
    if (!out)
        return TOKSIM_EINVAL;
    *out = NULL;
    const ts_claims *c = tok ? ts_token_claims(tok) : NULL;
    if (!c ||
        (scope != TOKSIM_CLAIMS_USER && scope != TOKSIM_CLAIMS_DEVICE &&
         scope != TOKSIM_CLAIMS_LOCAL) ||
        i >= c->n[scope])
        return TOKSIM_EINVAL;
    return ts_claim_decompile(out, c->set[scope][i].d, c->set[scope][i].n, NULL);
}

size_t toksim_token_device_group_count(const toksim_token *tok)
{
    const ts_claims *c = tok ? ts_token_claims(tok) : NULL;
    return c ? c->ndev : 0;
}

const toksim_sid *toksim_token_device_group_at(const toksim_token *tok, size_t i)
{
    const ts_claims *c = tok ? ts_token_claims(tok) : NULL;
    return c && i < c->ndev ? &c->devgroups[i] : NULL;
}
