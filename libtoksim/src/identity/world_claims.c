/*
 * PURPOSE: claims of a world (world_claims.h): user claims of domain accounts, device
 * claims and device groups of the machine, and the step of a logon that copies them into
 * the new token. Windows: the KDC issues a domain user's claims in the PAC
 * (PAC_CLIENT_CLAIMS_INFO, MS-PAC 2.11) and, with compound authentication, the device's
 * claims and groups (PAC_DEVICE_CLAIMS_INFO, PAC_DEVICE_INFO, MS-PAC 2.12-2.13); the LSA
 * puts them in TOKEN_USER_CLAIMS / TOKEN_DEVICE_CLAIMS / TOKEN_DEVICE_GROUPS. A local
 * (SAM) account has no claims. The KDC also puts CLAIMS_VALID (and, with device
 * information, COMPOUNDED_AUTHENTICATION) in the PAC's extra SIDs (MS-KILE 3.3.5.6.4.6,
 * 3.3.5.7.4), which the token holds as groups.
 * Simplified (UNCONFIRMED, docs/world-format.md): a non-network logon of a domain account
 * on the machine gets the machine's device claims and groups (the device is this
 * machine), whether or not compound authentication is configured; a network logon comes
 * from another device, whose claims the scenario's logon step gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "identity/identity_int.h"
#include "toksim/world_claims.h"

typedef struct ts_wclaim {
    toksim_sid owner; /* the account; unused for device entries */
    int kind;         /* 0 user claim, 1 device claim, 2 device group */
    char *text;       /* claim text (kinds 0, 1) */
    toksim_sid group; /* kind 2 */
} ts_wclaim;

struct ts_world_claims {
    ts_wclaim *v;
    size_t n, cap;
};

void ts_world_claims_free(struct ts_world_claims *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].text);
    free(c->v);
    free(c);
}

toksim_status ts_world_claims_copy(struct ts_world_claims **out,
                                   const struct ts_world_claims *src)
{
    *out = NULL;
    if (!src)
        return TOKSIM_OK;
    struct ts_world_claims *c = calloc(1, sizeof *c);
    if (!c || (src->n && !(c->v = calloc(src->n, sizeof *c->v)))) {
        free(c);
        return TOKSIM_ENOMEM;
    }
    c->cap = src->n;
    for (; c->n < src->n; c->n++) {
        c->v[c->n] = src->v[c->n];
        if (src->v[c->n].text && !(c->v[c->n].text = ts_strdup(src->v[c->n].text))) {
            ts_world_claims_free(c);
            return TOKSIM_ENOMEM;
        }
    }
    *out = c;
    return TOKSIM_OK;
}

/* Compile the text once on a scratch token: the error is the claim parser's. */
static toksim_status check_text(const char *text, toksim_error *err)
{
    toksim_token *tmp = NULL;
    toksim_sid any = ts_sid1(1, 0);
    toksim_status rc = toksim_token_new(&tmp, &any);
    if (rc)
        return ts_error_set(err, rc, 0, "out of memory");
    rc = toksim_token_add_claim(tmp, TOKSIM_CLAIMS_USER, text, err);
    toksim_token_free(tmp);
    return rc;
}

static toksim_status push(toksim_world *w, const ts_wclaim *e, toksim_error *err)
{
    struct ts_world_claims **slot = ts_world_claims_slot(w);
    if (!*slot && !(*slot = ts_calloc(1, sizeof **slot)))
        return ts_error_set(err, TOKSIM_ENOMEM, 0, "out of memory");
    struct ts_world_claims *c = *slot;
    if (!ts_grow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v))
        return ts_error_set(err, TOKSIM_ENOMEM, 0, "out of memory");
    c->v[c->n] = *e;
    if (e->text && !(c->v[c->n].text = ts_strdup(e->text)))
        return ts_error_set(err, TOKSIM_ENOMEM, 0, "out of memory");
    c->n++;
    return TOKSIM_OK;
}

toksim_status toksim_world_add_user_claim(toksim_world *w,
                                          const toksim_sid *account,
                                          const char *text,
                                          toksim_error *err)
{
    if (!w || !account || !text)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "a world, an account and a claim");
    toksim_account a;
    if (!toksim_world_lookup_sid(w, account, &a))
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0, "unknown account");
    const toksim_sid *dom = toksim_world_domain_sid(w);
    if (!dom || !ts_sid_is_rel(account, dom))
        return ts_error_set(
            err, TOKSIM_EINVAL, 0,
            "user claims come from Active Directory: only a domain account "
            "carries them (a local SAM account has none)");
    toksim_status rc = check_text(text, err);
    if (rc)
        return rc;
    ts_wclaim e = {*account, 0, (char *)text, {0}};
    return push(w, &e, err);
}

toksim_status
toksim_world_add_device_claim(toksim_world *w, const char *text, toksim_error *err)
{
    if (!w || !text)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "a world and a claim");
    if (!toksim_world_domain_sid(w))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "device claims come from the machine's Active Directory "
                            "account: the machine is not joined to a domain");
    toksim_status rc = check_text(text, err);
    if (rc)
        return rc;
    ts_wclaim e = {{0}, 1, (char *)text, {0}};
    return push(w, &e, err);
}

toksim_status
toksim_world_add_device_group(toksim_world *w, const toksim_sid *group, toksim_error *err)
{
    if (!w || !group)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "a world and a group");
    if (!toksim_world_domain_sid(w))
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "device groups come from the machine's Active Directory "
                            "account: the machine is not joined to a domain");
    ts_wclaim e = {{0}, 2, NULL, *group};
    return push(w, &e, err);
}

size_t toksim_world_user_claim_count(const toksim_world *w, const toksim_sid *account)
{
    const struct ts_world_claims *c = w ? ts_world_claims(w) : NULL;
    size_t n = 0;
    for (size_t i = 0; c && account && i < c->n; i++)
        n += c->v[i].kind == 0 && toksim_sid_equal(&c->v[i].owner, account);
    return n;
}

toksim_status ts_world_claims_apply(const toksim_world *w,
                                    toksim_token *tok,
                                    const toksim_sid *user,
                                    bool local_device,
                                    toksim_trace *t)
{
    const struct ts_world_claims *c = ts_world_claims(w);
    const toksim_sid *dom = toksim_world_domain_sid(w);
    if (!c || !dom || !ts_sid_is_rel(user, dom))
        return TOKSIM_OK; /* a SAM account or a well-known principal: no claims */
    size_t nu = 0, nd = 0, ng = 0;
    char names[160] = "";
    size_t len = 0;
    for (size_t i = 0; i < c->n; i++) {
        const ts_wclaim *e = &c->v[i];
        toksim_status rc = TOKSIM_OK;
        if (e->kind == 0 && toksim_sid_equal(&e->owner, user)) {
            rc = toksim_token_add_claim(tok, TOKSIM_CLAIMS_USER, e->text, NULL);
            nu++;
            /* the claim's name for the trace: the text starts with "Name" */
            const char *q = e->text[0] == '"' ? strchr(e->text + 1, '"') : NULL;
            if (q && len < sizeof names)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%.*s",
                                        len ? ", " : "", (int)(q - e->text - 1),
                                        e->text + 1);
        } else if (e->kind == 1 && local_device) {
            rc = toksim_token_add_claim(tok, TOKSIM_CLAIMS_DEVICE, e->text, NULL);
            nd++;
        } else if (e->kind == 2 && local_device) {
            rc = toksim_token_add_device_group(tok, &e->group);
            ng++;
        }
        if (rc)
            return rc;
    }
    /* MS-KILE 3.3.5.6.4.6 / 3.3.5.7.4: a PAC with claims carries CLAIMS_VALID
     * (S-1-5-21-0-0-0-497) in its extra SIDs, one with device information
     * COMPOUNDED_AUTHENTICATION (S-1-5-21-0-0-0-496) (MS-DTYP 2.4.2.4) */
    static const uint32_t claims_valid[] = {21, 0, 0, 0, 497},
                          compounded[] = {21, 0, 0, 0, 496};
    toksim_sid extra;
    if (nu && toksim_sid_make(&extra, 5, claims_valid, 5) == TOKSIM_OK) {
        toksim_status rc = toksim_token_add_group(tok, &extra, TOKSIM_SE_GROUP_DEFAULT);
        if (rc)
            return rc;
    }
    if ((nd || ng) && toksim_sid_make(&extra, 5, compounded, 5) == TOKSIM_OK) {
        toksim_status rc = toksim_token_add_group(tok, &extra, TOKSIM_SE_GROUP_DEFAULT);
        if (rc)
            return rc;
    }
    if (nu || nd || ng) {
        char text[320];
        snprintf(text, sizeof text,
                 "%zu user claim%s%s%s%s, %zu device claim%s, %zu device group%s", nu,
                 nu == 1 ? "" : "s", nu ? " (" : "", names, nu ? ")" : "", nd,
                 nd == 1 ? "" : "s", ng, ng == 1 ? "" : "s");
        ts_trace(t, TOKSIM_RULE_LOGON_CLAIMS, TOKSIM_V_INFO, user, NULL, 0, (int64_t)nu,
                 (int64_t)nd, 0, text);
    }
    return TOKSIM_OK;
}
