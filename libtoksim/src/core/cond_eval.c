/*
 * PURPOSE: evaluation of conditional ACE expressions (MS-DTYP 2.4.4.17.6-.8 and the
 * conditional-ACE step of 2.5.3.2) against a token's user and device claims, groups and
 * device groups, and the resource attributes (RA ACEs) of the object's SACL. Returns
 * TRUE, FALSE or UNKNOWN; the access check applies an allow ACE only on TRUE and a deny
 * ACE on TRUE or UNKNOWN.
 *
 * Semantics modelled (MS-DTYP 2.4.4.17.6 relational, .7 logical, .8 membership; Learn,
 * "Security Descriptor Definition Language for Conditional ACEs"):
 * - a missing attribute is NULL: every relational and membership operator on it is
 *   UNKNOWN; Exists/Not_Exists test presence; local attributes (no prefix) are the
 *   token's security attributes (TOKSIM_CLAIMS_LOCAL: WIN://SYSAPPID ...);
 * - ==, != compare sets (a multi-valued claim against a composite: same values); <, <=,
 *   >, >= need single values; integers numerically, strings case-insensitively, SIDs and
 *   octets for (in)equality only; mixed types are UNKNOWN;
 * - Contains: every right-hand value is among the attribute's; Any_of: some value of the
 *   attribute is among the right-hand ones; the Not_ forms negate (UNKNOWN stays);
 * - Member_of / Member_of_Any: every / any SID of the operand is an enabled group or the
 *   user of the token (a deny-only group counts for a deny ACE, as SidInToken does);
 *   Device_Member_of(_Any) ask the device groups;
 * - &&, ||, ! are three-valued (Kleene); an integer attribute used as a boolean is TRUE
 *   when non-zero. A malformed stream is UNKNOWN.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "claims_int.h"
#include "cond_int.h"
#include "sddl_int.h"
#include "token_int.h"

enum { S_INT, S_STR, S_SID, S_OCT };
typedef struct sc {
    uint8_t t;
    int64_t i;
    const uint8_t *p;
    size_t n;
} sc;

enum { K_NULL, K_SET, K_RES };
typedef struct val {
    uint8_t k;
    bool attr; /* read from an attribute token (Exists asks this) */
    int r;     /* K_RES: TS_COND_* */
    size_t first, n;
} val;

typedef struct ev {
    const toksim_token *tok;
    const toksim_sd *sd;
    bool deny;
    sc *pool;
    size_t np, cap;
    val st[COND_MAX_DEPTH + 2];
    int sp;
    uint8_t **owned; /* compiled RA attributes the pool points into */
    size_t nowned, capowned;
} ev;

static bool keep(ev *e, uint8_t *buf)
{
    if (!ts_grow((void **)&e->owned, &e->capowned, e->nowned + 1, sizeof *e->owned))
        return false;
    e->owned[e->nowned++] = buf;
    return true;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static bool add(ev *e, sc s)
{
    if (!ts_grow((void **)&e->pool, &e->cap, e->np + 1, sizeof *e->pool))
        return false;
    e->pool[e->np++] = s;
    return true;
}

/* One literal token at buf[*pos]: appended to the pool. false when malformed. */
static bool literal(ev *e, const uint8_t *b, size_t len, size_t *pos, int depth)
{
    uint8_t t = b[*pos];
    size_t at = *pos + 1;
    if (t >= 0x01 && t <= 0x04) {
        if (len - at < 10)
            return false;
        uint64_t x = 0;
        for (int k = 7; k >= 0; k--)
            x = x << 8 | b[at + (size_t)k];
        *pos = at + 10;
        return add(e, (sc){S_INT, (int64_t)x, NULL, 0});
    }
    if (len - at < 4)
        return false;
    uint32_t n = rd32(b + at);
    at += 4;
    if (n > len - at)
        return false;
    *pos = at + n;
    switch (t) {
    case TK_UNICODE:
        return add(e, (sc){S_STR, 0, b + at, n});
    case TK_OCTETS:
        return add(e, (sc){S_OCT, 0, b + at, n});
    case TK_SID:
        return add(e, (sc){S_SID, 0, b + at, n});
    case TK_COMPOSITE: {
        if (depth > 2)
            return false;
        size_t p = at;
        while (p < at + n)
            if (!literal(e, b, at + n, &p, depth + 1))
                return false;
        return true;
    }
    default:
        return false;
    }
}

/* The claim named name[0..nl) of a list of claim blobs, or NULL. */
static bool find_claim(
    ts_claim_view *out, const ts_blob *list, size_t n, const uint8_t *name, size_t nl)
{
    for (size_t i = 0; i < n; i++)
        if (ts_claim_view_of(out, list[i].d, list[i].n) &&
            ts_utf16_eq_ci(out->name, out->name_len, name, nl))
            return true;
    return false;
}

/* An attribute token: push its values, or NULL when the attribute is missing. */
static bool attribute(ev *e, uint8_t t, const uint8_t *name, size_t nl, val *v)
{
    ts_claim_view cv;
    bool found = false;
    const ts_claims *c = ts_token_claims(e->tok);
    if (t == TK_USER || t == TK_DEVICE || t == TK_LOCAL) {
        /* a local attribute (no prefix) is one of the token's security attributes */
        int s = t == TK_USER ? 0 : t == TK_DEVICE ? 1 : 2;
        found = c && find_claim(&cv, c->set[s], c->n[s], name, nl);
    } else if (t == TK_RESOURCE && e->sd->sacl) {
        const toksim_acl *sacl = e->sd->sacl;
        for (size_t i = 0; i < sacl->count && !found; i++) {
            const toksim_ace *a = &sacl->aces[i];
            const uint8_t *d;
            size_t dn;
            uint8_t *owned;
            if (a->type != TOKSIM_ACE_SYSTEM_RESOURCE_ATTRIBUTE ||
                !ts_ace_payload(a, &d, &dn, &owned))
                continue;
            if (owned && !keep(e, owned)) {
                free(owned);
                return false;
            }
            ts_blob bl = {(uint8_t *)(uintptr_t)d, dn};
            found = find_claim(&cv, &bl, 1, name, nl);
        }
    }
    *v = (val){K_NULL, true, 0, e->np, 0};
    if (!found)
        return true;
    for (uint32_t i = 0; i < cv.count; i++) {
        int64_t iv = 0;
        const uint8_t *p = NULL;
        size_t pn = 0;
        if (!ts_claim_value(&cv, i, &iv, &p, &pn))
            return false;
        uint8_t st = (cv.type == 1 || cv.type == 2 || cv.type == 6) ? S_INT
                     : cv.type == 3                                 ? S_STR
                     : cv.type == 5                                 ? S_SID
                                                                    : S_OCT;
        if (!add(e, (sc){st, iv, p, pn}))
            return false;
    }
    v->k = K_SET;
    v->n = e->np - v->first;
    return true;
}

/* Case-insensitive ordering of UTF-16LE strings (ASCII letters folded). */
static int str_cmp(const sc *a, const sc *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    for (size_t i = 0; i + 1 < n; i += 2) {
        unsigned x = a->p[i] | (unsigned)a->p[i + 1] << 8;
        unsigned y = b->p[i] | (unsigned)b->p[i + 1] << 8;
        x += (x >= 'A' && x <= 'Z') ? 32 : 0;
        y += (y >= 'A' && y <= 'Z') ? 32 : 0;
        if (x != y)
            return x < y ? -1 : 1;
    }
    return a->n == b->n ? 0 : a->n < b->n ? -1 : 1;
}

/* Compare two scalars: *cmp set; false when the types do not compare. */
static bool scalar_cmp(const sc *a, const sc *b, int *cmp)
{
    if (a->t != b->t)
        return false;
    switch (a->t) {
    case S_INT:
        *cmp = a->i == b->i ? 0 : a->i < b->i ? -1 : 1;
        return true;
    case S_STR:
        *cmp = str_cmp(a, b);
        return true;
    default: /* SIDs and octets: equality only */
        *cmp = (a->n == b->n && memcmp(a->p, b->p, a->n) == 0) ? 0 : 2;
        return true;
    }
}

/* Is x among set[first..first+n)? -1 when a type does not compare. */
static int member(const ev *e, const sc *x, size_t first, size_t n)
{
    int cmp;
    for (size_t i = 0; i < n; i++) {
        if (!scalar_cmp(x, &e->pool[first + i], &cmp))
            return -1;
        if (cmp == 0)
            return 1;
    }
    return 0;
}

/* Every value of a among b's (-1 on a type mismatch). */
static int subset(const ev *e, const val *a, const val *b)
{
    for (size_t i = 0; i < a->n; i++) {
        int m = member(e, &e->pool[a->first + i], b->first, b->n);
        if (m != 1)
            return m;
    }
    return 1;
}

static int negate(int r)
{
    return r == TS_COND_UNKNOWN ? r : !r;
}

static int relational(const ev *e, uint8_t op, const val *l, const val *r)
{
    if (l->k != K_SET || r->k != K_SET)
        return TS_COND_UNKNOWN;
    int m;
    switch (op) {
    case 0x80: /* == */
    case 0x81: /* != */
        if ((m = subset(e, l, r)) < 0)
            return TS_COND_UNKNOWN;
        if (m == 1 && (m = subset(e, r, l)) < 0)
            return TS_COND_UNKNOWN;
        return op == 0x80 ? m : !m;
    case 0x86: /* Contains */
    case 0x8E:
        if ((m = subset(e, r, l)) < 0)
            return TS_COND_UNKNOWN;
        return op == 0x86 ? m : !m;
    case 0x88: /* Any_of */
    case 0x8F: {
        int any = 0;
        for (size_t i = 0; i < l->n && !any; i++)
            if ((m = member(e, &e->pool[l->first + i], r->first, r->n)) < 0)
                return TS_COND_UNKNOWN;
            else
                any = m;
        return op == 0x88 ? any : !any;
    }
    default: { /* < <= > >=: single values that order */
        int cmp;
        if (l->n != 1 || r->n != 1 ||
            !scalar_cmp(&e->pool[l->first], &e->pool[r->first], &cmp) || cmp == 2)
            return TS_COND_UNKNOWN;
        return op == 0x82   ? cmp < 0
               : op == 0x83 ? cmp <= 0
               : op == 0x84 ? cmp > 0
                            : cmp >= 0;
    }
    }
}

/* Is the SID (binary) in the token's groups (device: its device groups)? */
static bool sid_in(const ev *e, const sc *s, bool device)
{
    toksim_sid sid;
    size_t used;
    if (toksim_sid_from_binary(&sid, s->p, s->n, &used, NULL) || used != s->n)
        return false;
    if (device) {
        const ts_claims *c = ts_token_claims(e->tok);
        for (size_t i = 0; c && i < c->ndev; i++)
            if (toksim_sid_equal(&c->devgroups[i], &sid))
                return true;
        return false;
    }
    int cls = ts_index_probe(ts_token_index(e->tok, false), &sid);
    return cls == TOKSIM_MATCH_ALLOW || (e->deny && cls == TOKSIM_MATCH_DENY_ONLY);
}

static int membership(const ev *e, uint8_t op, const val *v)
{
    if (v->k != K_SET || !v->n)
        return TS_COND_UNKNOWN;
    bool device = op == 0x8A || op == 0x8C || op == 0x91 || op == 0x93;
    bool any = op == 0x8B || op == 0x8C || op == 0x92 || op == 0x93;
    bool neg = op >= 0x90;
    int hits = 0;
    for (size_t i = 0; i < v->n; i++) {
        const sc *s = &e->pool[v->first + i];
        if (s->t != S_SID)
            return TS_COND_UNKNOWN;
        hits += sid_in(e, s, device);
    }
    int r = any ? hits > 0 : (size_t)hits == v->n;
    return neg ? !r : r;
}

/* A value used as a boolean. */
static int truth(const ev *e, const val *v)
{
    if (v->k == K_RES)
        return v->r;
    if (v->k == K_SET && v->n == 1 && e->pool[v->first].t == S_INT)
        return e->pool[v->first].i != 0;
    return TS_COND_UNKNOWN;
}

static int run(ev *e, const uint8_t *b, size_t len)
{
    if (len < 4 || memcmp(b, "artx", 4) != 0)
        return TS_COND_UNKNOWN;
    size_t pos = 4;
    while (pos < len) {
        uint8_t t = b[pos];
        if (t == 0x00) { /* padding */
            pos++;
            continue;
        }
        if (e->sp >= COND_MAX_DEPTH)
            return TS_COND_UNKNOWN;
        val *top = &e->st[e->sp];
        if (t >= TK_LOCAL && t <= TK_DEVICE) {
            if (len - pos < 5)
                return TS_COND_UNKNOWN;
            uint32_t n = rd32(b + pos + 1);
            if (n > len - pos - 5 || !attribute(e, t, b + pos + 5, n, top))
                return TS_COND_UNKNOWN;
            pos += 5 + n;
            e->sp++;
        } else if ((t >= 0x01 && t <= 0x04) || t == TK_UNICODE || t == TK_OCTETS ||
                   t == TK_COMPOSITE || t == TK_SID) {
            size_t first = e->np;
            if (!literal(e, b, len, &pos, 0))
                return TS_COND_UNKNOWN;
            *top = (val){K_SET, false, 0, first, e->np - first};
            e->sp++;
        } else if (t == TK_NOT || (t >= 0x87 && t <= 0x8D && t != 0x88) ||
                   (t >= 0x90 && t <= 0x93)) { /* unary */
            if (e->sp < 1)
                return TS_COND_UNKNOWN;
            val *a = &e->st[e->sp - 1];
            int r = t == TK_NOT ? negate(truth(e, a))
                    : t == 0x87 ? (a->attr ? a->k != K_NULL : TS_COND_UNKNOWN)
                    : t == 0x8D ? (a->attr ? a->k == K_NULL : TS_COND_UNKNOWN)
                                : membership(e, t, a);
            *a = (val){K_RES, false, r, 0, 0};
            pos++;
        } else if ((t >= 0x80 && t <= 0x88) || t == 0x8E || t == 0x8F || t == TK_AND ||
                   t == TK_OR) { /* binary */
            if (e->sp < 2)
                return TS_COND_UNKNOWN;
            val *l = &e->st[e->sp - 2], *r = &e->st[e->sp - 1];
            int res;
            if (t == TK_AND || t == TK_OR) {
                int x = truth(e, l), y = truth(e, r);
                int dom = t == TK_AND ? 0 : 1; /* FALSE decides &&, TRUE decides || */
                res = (x == dom || y == dom)                           ? dom
                      : (x == TS_COND_UNKNOWN || y == TS_COND_UNKNOWN) ? TS_COND_UNKNOWN
                                                                       : !dom;
            } else {
                res = relational(e, t, l, r);
            }
            e->sp--;
            *l = (val){K_RES, false, res, 0, 0};
            pos++;
        } else {
            return TS_COND_UNKNOWN;
        }
    }
    return e->sp == 1 ? truth(e, &e->st[0]) : TS_COND_UNKNOWN;
}

int ts_cond_eval(const uint8_t *buf,
                 size_t len,
                 const toksim_token *tok,
                 const toksim_sd *sd,
                 bool deny_ace)
{
    ev e;
    memset(&e, 0, sizeof e);
    e.tok = tok;
    e.sd = sd;
    e.deny = deny_ace;
    int r = buf ? run(&e, buf, len) : TS_COND_UNKNOWN;
    free(e.pool);
    for (size_t i = 0; i < e.nowned; i++)
        free(e.owned[i]);
    free(e.owned);
    return r;
}

bool ts_ace_is_conditional(const toksim_ace *ace)
{
    if (ace->app_data_len)
        return ace->app_data_len >= 4 && memcmp(ace->app_data, "artx", 4) == 0;
    return ace->sddl_extra != NULL; /* parsed from SDDL: the text is kept */
}

bool ts_ace_payload(const toksim_ace *ace, const uint8_t **p, size_t *n, uint8_t **owned)
{
    *owned = NULL;
    if (ace->app_data_len) {
        *p = ace->app_data;
        *n = ace->app_data_len;
        return true;
    }
    if (!ace->sddl_extra)
        return false;
    size_t len = strlen(ace->sddl_extra);
    toksim_status rc = ace->type == TOKSIM_ACE_SYSTEM_RESOURCE_ATTRIBUTE
                           ? ts_claim_compile(owned, n, ace->sddl_extra, len, 0, NULL)
                           : ts_cond_compile(owned, n, ace->sddl_extra, len, 0, NULL);
    if (rc)
        return false;
    *p = *owned;
    return true;
}
