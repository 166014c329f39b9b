/*
 * PURPOSE: libFuzzer target for the access check. The input bytes describe a token (user,
 * groups with enabled / deny-only / disabled attributes, privileges, integrity level,
 * restricting SIDs), a security descriptor built with toksim_acl_add (owner, DACL state
 * and ACEs of several types and flags, a mandatory label) and a request. Checked
 * invariants (abort() on violation):
 *   1. the same inputs twice give identical results;
 *   2. granted is within the (mapped) desired mask unless MAXIMUM_ALLOWED was asked;
 *   3. a MAXIMUM_ALLOWED result holds every right of the mapping's GenericAll that a
 * request for that right alone obtains (privilege-only rights WRITE_OWNER /
 * ACCESS_SYSTEM_SECURITY are excluded: privileges are consulted for explicitly requested
 * rights only);
 *   4. inserting a deny ACE anywhere in a DACL never grants more.
 */
#include "fuzz_common.h"

typedef struct {
    const uint8_t *p;
    size_t n;
} reader;

static uint8_t rd8(reader *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static uint32_t rd32(reader *r)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = (v << 8) | rd8(r);
    return v;
}

/* A small pool so that token SIDs and ACE SIDs collide often. */
static const char *const pool[] = {"S-1-5-21-1-2-3-1001",
                                   "S-1-1-0",
                                   "S-1-5-11",
                                   "S-1-5-32-544",
                                   "S-1-5-12",
                                   "S-1-3-4",
                                   "S-1-5-10",
                                   "S-1-5-21-1-2-3-513"};
#define POOL 8

static toksim_sid sid_at(unsigned i)
{
    toksim_sid s;
    if (toksim_sid_parse(&s, pool[i % POOL], NULL) != TOKSIM_OK)
        abort();
    return s;
}

static const uint32_t ils[] = {TOKSIM_IL_UNTRUSTED, TOKSIM_IL_LOW, TOKSIM_IL_MEDIUM,
                               TOKSIM_IL_HIGH, TOKSIM_IL_SYSTEM};
static const uint8_t ace_types[] = {
    TOKSIM_ACE_ACCESS_ALLOWED,          TOKSIM_ACE_ACCESS_DENIED,
    TOKSIM_ACE_ACCESS_ALLOWED,          TOKSIM_ACE_ACCESS_DENIED,
    TOKSIM_ACE_ACCESS_ALLOWED_OBJECT,   TOKSIM_ACE_ACCESS_DENIED_OBJECT,
    TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK, TOKSIM_ACE_SYSTEM_AUDIT};
static const uint32_t privs[] = {TOKSIM_PRIV_SECURITY, TOKSIM_PRIV_TAKE_OWNERSHIP,
                                 TOKSIM_PRIV_RELABEL, TOKSIM_PRIV_BACKUP,
                                 TOKSIM_PRIV_RESTORE};

/* Masks biased toward rights that matter: low specific bits, standard rights, generic
 * bits. */
static uint32_t mask_from(uint32_t raw)
{
    switch (raw >> 30) {
    case 0:
        return raw & 0x001F01FFu;
    case 1:
        return raw & 0xF01F01FFu;
    case 2:
        return raw & 0x031F003Fu;
    default:
        return raw;
    }
}

static toksim_token *build_token(reader *r)
{
    toksim_sid user = sid_at(rd8(r) & 1 ? 0 : 7);
    toksim_token *t;
    if (toksim_token_new(&t, &user))
        abort();
    uint8_t f = rd8(r);
    toksim_token_set_type(t, (f & 1) ? TOKSIM_TOKEN_PRIMARY : TOKSIM_TOKEN_IMPERSONATION,
                          (toksim_imp_level)((f >> 1) & 3));
    if (f & 0x8)
        toksim_token_set_user_attributes(t, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    if (toksim_token_set_integrity(t, ils[(f >> 4) % 5]))
        abort();
    if (f & 0x80)
        toksim_token_set_mandatory_policy(t, TOKSIM_TOKEN_MANDATORY_POLICY_OFF);
    unsigned ng = rd8(r) % 8;
    for (unsigned i = 0; i < ng; i++) {
        uint8_t g = rd8(r);
        static const uint32_t attrs[] = {
            TOKSIM_SE_GROUP_DEFAULT, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY,
            TOKSIM_SE_GROUP_MANDATORY, TOKSIM_SE_GROUP_DEFAULT | TOKSIM_SE_GROUP_OWNER};
        toksim_sid s = sid_at(g & 7);
        if (toksim_token_add_group(t, &s, attrs[(g >> 3) & 3]))
            abort();
    }
    uint8_t pv = rd8(r);
    for (unsigned i = 0; i < 5; i++)
        if (pv & (1u << i))
            if (toksim_token_set_privilege(t, privs[i],
                                           (pv & 0x80) ? 0 : TOKSIM_SE_PRIVILEGE_ENABLED))
                abort();
    uint8_t rs = rd8(r);
    for (unsigned i = 0; i < (rs & 3u); i++) {
        toksim_sid s = sid_at((rs >> (2 + 2 * i)) & 7);
        if (toksim_token_add_restricted_sid(t, &s, 0))
            abort();
    }
    if (rs & 0x80)
        toksim_token_set_write_restricted(t, true);
    if (rd8(r) & 1)
        toksim_token_set_appcontainer(t, true);
    return t;
}

static toksim_sd *build_sd(reader *r)
{
    toksim_sd *sd;
    if (toksim_sd_new(&sd))
        abort();
    uint8_t f = rd8(r);
    sd->has_owner = f & 1;
    sd->has_group = (f & 2) != 0;
    sd->owner = sid_at(f >> 5);
    sd->group = sid_at(3);
    unsigned dstate = (f >> 2) & 3; /* 0 absent, 1 NULL, 2-3 present */
    if (dstate >= 1)
        sd->control |= TOKSIM_SE_DACL_PRESENT;
    if (dstate >= 2) {
        if (toksim_acl_new(&sd->dacl))
            abort();
        unsigned na = rd8(r) % 12;
        for (unsigned i = 0; i < na; i++) {
            uint8_t a = rd8(r);
            uint8_t b = rd8(r);
            toksim_ace ace;
            memset(&ace, 0, sizeof ace);
            ace.type = ace_types[a & 7];
            ace.flags = (b & 0x80) ? TOKSIM_INHERIT_ONLY_ACE : 0;
            ace.mask = mask_from(rd32(r));
            ace.sid = sid_at(a >> 3);
            if ((b & 0x40) && ace.type == TOKSIM_ACE_ACCESS_ALLOWED_OBJECT)
                ace.object_flags = TOKSIM_ACE_OBJECT_TYPE_PRESENT;
            if (toksim_acl_add_ace(sd->dacl, &ace))
                abort();
        }
    }
    uint8_t l = rd8(r);
    if (l & 0x80) {
        if (toksim_acl_new(&sd->sacl))
            abort();
        sd->control |= TOKSIM_SE_SACL_PRESENT;
        uint32_t rid = ils[(l >> 3) % 5];
        toksim_sid s;
        if (toksim_sid_make(&s, 16, &rid, 1) ||
            toksim_acl_add(sd->sacl, TOKSIM_ACE_SYSTEM_MANDATORY_LABEL,
                           (l & 0x40) ? TOKSIM_INHERIT_ONLY_ACE : 0, l & 7, &s))
            abort();
    }
    return sd;
}

static toksim_access_result run(const toksim_sd *sd,
                                const toksim_token *t,
                                const toksim_access_request *req,
                                toksim_trace *trace)
{
    toksim_access_result res;
    toksim_status rc = toksim_access_check(&res, sd, t, req, trace);
    if (rc != TOKSIM_OK)
        abort();
    return res;
}

/* Copy of sd with a deny ACE inserted before position `at`. */
static toksim_sd *
with_deny(const toksim_sd *sd, size_t at, uint32_t mask, const toksim_sid *sid)
{
    toksim_sd *c;
    if (toksim_sd_copy(&c, sd))
        abort();
    toksim_acl *acl;
    if (toksim_acl_new(&acl))
        abort();
    for (size_t i = 0; i <= sd->dacl->count; i++) {
        if (i == at && toksim_acl_add(acl, TOKSIM_ACE_ACCESS_DENIED, 0, mask, sid))
            abort();
        if (i < sd->dacl->count && toksim_acl_add_ace(acl, &sd->dacl->aces[i]))
            abort();
    }
    toksim_acl_free(c->dacl);
    c->dacl = acl;
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    reader r = {data, size};
    toksim_token *t = build_token(&r);
    toksim_sd *sd = build_sd(&r);
    toksim_access_request req;
    memset(&req, 0, sizeof req);
    uint8_t m = rd8(&r);
    req.mode = (m & 1) ? TOKSIM_ACCESS_OPEN : TOKSIM_ACCESS_API;
    req.object_type = (toksim_object_type)((m >> 1) % TOKSIM_OBJ__COUNT);
    /* backup intent is an input of an open only (toksim_access_request_validate) */
    req.flags = (m & 0x41) == 0x41 ? TOKSIM_ACCESS_BACKUP_INTENT : 0;
    toksim_sid self = sid_at(0);
    if (m & 0x80)
        req.principal_self = &self;
    req.desired = mask_from(rd32(&r));
    const toksim_generic_mapping *map = toksim_object_mapping(req.object_type);

    /* 1. determinism, traced or not */
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_access_result a = run(sd, t, &req, &tr);
    toksim_access_result b = run(sd, t, &req, NULL);
    if (memcmp(&a, &b, sizeof a) != 0)
        abort();
    toksim_trace_dispose(&tr);

    /* 2. no more than asked */
    bool max = (req.desired & TOKSIM_MAXIMUM_ALLOWED) != 0;
    uint32_t mapped = toksim_map_generic(req.desired, map);
    if (a.granted_all && !max && (a.granted & ~mapped))
        abort();
    if (!a.granted_all && a.granted)
        abort();

    /* 3. MAXIMUM_ALLOWED holds every right obtainable alone */
    toksim_access_request mreq = req;
    mreq.desired = TOKSIM_MAXIMUM_ALLOWED;
    toksim_access_result mx = run(sd, t, &mreq, NULL);
    uint32_t probe = map->all & ~(TOKSIM_WRITE_OWNER | TOKSIM_ACCESS_SYSTEM_SECURITY);
    for (uint32_t bit = 1; bit; bit <<= 1) {
        if (!(probe & bit))
            continue;
        toksim_access_request one = req;
        one.desired = bit;
        toksim_access_result o = run(sd, t, &one, NULL);
        if (o.granted_all && (!mx.granted_all || !(mx.granted & bit)))
            abort();
    }

    /* 4. a deny ACE never grants more */
    if (sd->dacl) {
        uint8_t d = rd8(&r);
        toksim_sid s = sid_at(d & 7);
        size_t at = sd->dacl->count ? (size_t)(d >> 3) % (sd->dacl->count + 1) : 0;
        toksim_sd *sd2 = with_deny(sd, at, mask_from(rd32(&r)), &s);
        toksim_access_result c = run(sd2, t, &req, NULL);
        if (c.granted_all && (!a.granted_all || (c.granted & ~a.granted)))
            abort();
        toksim_access_result cmx = run(sd2, t, &mreq, NULL);
        if (cmx.granted_all && (!mx.granted_all || (cmx.granted & ~mx.granted)))
            abort();
        toksim_sd_free(sd2);
    }
    toksim_sd_free(sd);
    toksim_token_free(t);
    return 0;
}
