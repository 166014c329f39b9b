/*
 * PURPOSE: helpers shared by the identity layer's files (never exported): a small SID
 * vector with de-duplication, well-known SID constructors, and the profile table
 * interface of profiles.c.
 */
#ifndef TOKSIM_IDENTITY_INT_H
#define TOKSIM_IDENTITY_INT_H

#include <string.h>
#include "internal.h"

/** A growable list of distinct SIDs in insertion order. Zero-initialise. */
typedef struct ts_sidvec {
    toksim_sid *v;
    size_t n, cap;
} ts_sidvec;

bool ts_sidvec_has(const ts_sidvec *s, const toksim_sid *sid);
/** Append unless present. TOKSIM_ENOMEM / TOKSIM_ELIMIT (past `limit`, 0 = no cap). */
toksim_status ts_sidvec_add(ts_sidvec *s, const toksim_sid *sid, size_t limit);
bool ts_sidvec_remove(ts_sidvec *s, const toksim_sid *sid);
void ts_sidvec_free(ts_sidvec *s);
bool ts_sids_contain(const toksim_sid *v, size_t n, const toksim_sid *sid);

/** A ts_sidvec with a hash index: adding n SIDs is linear (holder lists of a template).
 */
typedef struct ts_sidset {
    ts_sidvec vec;
    struct ts_hix *ix; /* util/hix.h, allocated on the first add */
} ts_sidset;
/** Append unless present. TOKSIM_ENOMEM / TOKSIM_ELIMIT (past `limit`, 0 = no cap). */
toksim_status ts_sidset_add(ts_sidset *s, const toksim_sid *sid, size_t limit);
/** Free the index, keep the vector (the caller owns s->vec). */
void ts_sidset_drop_index(ts_sidset *s);

/** A SID value built directly (fixed well-known values: no parse, no status to ignore);
 * inline, so that constant arguments fold (issue 11: the TS_SID_* values below). */
static inline toksim_sid
ts_sid_make(uint64_t authority, const uint32_t *subs, uint8_t count)
{
    toksim_sid s;
    memset(&s, 0, sizeof s);
    s.revision = 1;
    s.count = count;
    for (int i = 0; i < 6; i++)
        s.authority[i] = (uint8_t)(authority >> (8 * (5 - i)));
    for (uint8_t i = 0; i < count; i++)
        s.sub[i] = subs[i];
    return s;
}

/** S-1-<auth>-<a>[-<b>]: fixed well-known SIDs without parsing. */
static inline toksim_sid ts_sid1(uint64_t authority, uint32_t a)
{
    return ts_sid_make(authority, &a, 1);
}
static inline toksim_sid ts_sid2(uint64_t authority, uint32_t a, uint32_t b)
{
    const uint32_t subs[2] = {a, b};
    return ts_sid_make(authority, subs, 2);
}
/** base + rid (no error: callers pass domain/machine SIDs with room left). */
toksim_sid ts_sid_rel(const toksim_sid *base, uint32_t rid);

/* Well-known SIDs the identity layer uses by name (values: windows-model §8.2). */
#define TS_SID_EVERYONE           ts_sid1(1, 0)
#define TS_SID_LOCAL              ts_sid1(2, 0)
#define TS_SID_CONSOLE_LOGON      ts_sid1(2, 1)
#define TS_SID_NETWORK            ts_sid1(5, 2)
#define TS_SID_BATCH              ts_sid1(5, 3)
#define TS_SID_INTERACTIVE        ts_sid1(5, 4)
#define TS_SID_SERVICE            ts_sid1(5, 6)
#define TS_SID_ANONYMOUS          ts_sid1(5, 7)
#define TS_SID_AUTH_USERS         ts_sid1(5, 11)
#define TS_SID_REMOTE_INTERACTIVE ts_sid1(5, 14)
#define TS_SID_THIS_ORG           ts_sid1(5, 15)
#define TS_SID_SYSTEM             ts_sid1(5, 18)
#define TS_SID_LOCAL_SERVICE      ts_sid1(5, 19)
#define TS_SID_NETWORK_SERVICE    ts_sid1(5, 20)
#define TS_SID_ADMINS             ts_sid2(5, 32, 544)
#define TS_SID_USERS              ts_sid2(5, 32, 545)
#define TS_SID_GUESTS             ts_sid2(5, 32, 546)
#define TS_RID_ADMINISTRATOR      500u
#define TS_RID_GUEST              501u

/** Is the SID S-1-5-32-x (a BUILTIN alias)? */
bool ts_sid_is_builtin(const toksim_sid *sid);
/** Is the SID <base>-RID with exactly one more sub-authority than base? */
bool ts_sid_is_rel(const toksim_sid *sid, const toksim_sid *base);

/* ---- world.c ---- */

/** The declarations of world_decl.c (pools, services, trusts; NULL until the first one),
 * owned by the world and freed with it. */
struct ts_world_decls;
struct ts_world_decls **ts_world_decls_slot(toksim_world *w);
const struct ts_world_decls *ts_world_decls_get(const toksim_world *w);
void ts_world_decls_free(struct ts_world_decls *d);
/** A deep copy (NULL copies to NULL). TOKSIM_ENOMEM. */
toksim_status ts_world_decls_copy(struct ts_world_decls **out,
                                  const struct ts_world_decls *src);
/** The copy's spelling of a trusted domain name `name` of `from` (the same string of
 * `to`, for accounts' domain pointers), or `name` itself when `from` does not hold it. */
const char *ts_world_decls_same_name(const struct ts_world_decls *from,
                                     const struct ts_world_decls *to,
                                     const char *name);
/** A deep copy of a world: the same accounts, memberships, indexes, policy,
 * declarations and claims, nothing shared (issue 11: a scenario run starts from a copy of
 * the world its file loaded, not from a second load). TOKSIM_ENOMEM. */
toksim_status ts_world_copy(toksim_world **out, const toksim_world *src);
/** An account of a trusted domain (scope TRUSTED; `domain` outlives the world's use). */
toksim_status ts_world_add_foreign(toksim_world *w,
                                   const char *domain,
                                   const toksim_account *spec,
                                   const toksim_sid *sid,
                                   toksim_error *err);

/** A direct member of `group` among sids[0..n), for explaining nested membership; false
 * if none. */
bool ts_world_direct_member_in(const toksim_world *w,
                               const toksim_sid *group,
                               const toksim_sid *sids,
                               size_t n,
                               toksim_sid *via);

/** toksim_world_expand of DISTINCT seeds (taken without a duplicate check), and in *via
 * (caller frees; n entries) for each SID it adds (out[i], i >= count) what
 * ts_world_direct_member_in(w, &out[i], out, i, &via[i]) gives, found during the walk
 * (issue 11: no probe per pair); an entry with revision 0: no such member (the seeds). */
toksim_status ts_world_expand_via(const toksim_world *w,
                                  const toksim_sid *sids,
                                  size_t count,
                                  toksim_sid **out,
                                  size_t *out_count,
                                  toksim_sid **via);

/** Append a trace event (NULL trace = no-op); sid/sid2 may be NULL, text may be NULL. */
void ts_trace(toksim_trace *t,
              toksim_rule rule,
              toksim_verdict v,
              const toksim_sid *sid,
              const toksim_sid *sid2,
              uint32_t priv,
              int64_t a,
              int64_t b,
              uint32_t status,
              const char *text);

/* ---- world_claims.c (issue 9) ---- */

struct ts_world_claims;
void ts_world_claims_free(struct ts_world_claims *c);
/** A deep copy (NULL copies to NULL). TOKSIM_ENOMEM. */
toksim_status ts_world_claims_copy(struct ts_world_claims **out,
                                   const struct ts_world_claims *src);
struct ts_world_claims **ts_world_claims_slot(toksim_world *w);
const struct ts_world_claims *ts_world_claims(const toksim_world *w);
/** A logon's token gets the user's claims and, when local_device (a non-network logon:
 * the device is this machine), the machine's device claims and groups (domain accounts
 * only); traces logon.claims. */
toksim_status ts_world_claims_apply(const toksim_world *w,
                                    toksim_token *tok,
                                    const toksim_sid *user,
                                    bool local_device,
                                    toksim_trace *t);

/* ---- logon.c / uac.c ---- */

/* What the account is, as far as the token recipe is concerned. */
typedef struct ts_acct_info {
    toksim_sid sid;
    bool known, is_user, builtin_service, is_virtual, is_iusr, domain_account, guest,
        rid500, computer, managed;
    const toksim_world_trust *trust; /* issue 18: account of a trusted domain, or NULL */
    uint32_t flags;
    const char *password;
} ts_acct_info;

/** Does the token hold a group or privilege of the UAC elevated set (uac.c, the one
 * table deciding both filtering and the High integrity of unfiltered tokens)? `others`:
 * the groups besides Administrators count too (TOKSIM_LOGON_UAC_DENY_ADMIN_LIKE). On
 * true, *what names the first group or privilege found (static text). */
bool ts_uac_token_elevated(const toksim_token *tok, bool others, const char **what);

/** Selective authentication (trust.c): does the computer object grant Allowed-To-
 * Authenticate to a logon carrying `sids` (user included)? Traces the decision. */
toksim_status ts_trust_firewall(const toksim_world *w,
                                const toksim_sid *user,
                                const toksim_sid *sids,
                                size_t n,
                                bool *allowed,
                                toksim_trace *t);

/** Default DACL from the token's owner: owner GENERIC_ALL + SYSTEM GENERIC_ALL. */
toksim_status ts_default_dacl(toksim_token *tok);
/** After the token of a logon is built: UAC split/filter decisions (uac.c). Replaces
 * *tok. */
toksim_status ts_uac_finish(toksim_token **tok,
                            const toksim_world *w,
                            const ts_acct_info *ai,
                            toksim_logon_type type,
                            const toksim_logon_options *opt,
                            toksim_trace *t);

/* ---- profiles.c ---- */

/** Fill `p` with the defaults of profile `name` (canonical or alias). TOKSIM_ENOTFOUND
 * when unknown. */
/** "win10, win7, server": the names of the profile table, for messages. */
void ts_os_profile_names(char *buf, size_t n);
toksim_status ts_profile_fill(toksim_policy *p,
                              const char *name,
                              const toksim_sid *machine_sid,
                              toksim_error *err);
/** SID texts already parsed, by text (profiles.c: a fill parses the table's holders,
 * which name a few SIDs many times; issue 11). Local to one fill: the texts must outlive
 * it. */
enum { TS_HOLDER_MEMO_SLOTS = 64, TS_HOLDER_MEMO_MAX = 32 };
typedef struct ts_holder_memo {
    uint8_t slot[TS_HOLDER_MEMO_SLOTS]; /* entry + 1, 0 = empty */
    size_t n;
    struct {
        const char *text;
        size_t len;
        toksim_sid sid;
    } e[TS_HOLDER_MEMO_MAX];
} ts_holder_memo;
void ts_holder_memo_init(ts_holder_memo *m);
/** toksim_sid_parse_n(out, s, l, err), answered from the memo when s was parsed before;
 * a text parsed without error is remembered (while there is room). */
toksim_status ts_holder_memo_parse(
    ts_holder_memo *m, toksim_sid *out, const char *s, size_t l, toksim_error *err);
/** Is `name` a client SKU profile (Administrator account disabled by default ...)? */
bool ts_profile_is_client(const char *name);

/** Mark every right defined (its holders as they are: none in a new policy), as a
 * profile does (profiles.c). */
void ts_policy_define_all(toksim_policy *p);
/** toksim_policy_grant(p, rights[i], &sids[i]) for each i in order, with the same
 * result; into a new policy, one allocation for all (profiles.c, issue 11). */
toksim_status ts_policy_grant_all(toksim_policy *p,
                                  const uint32_t *rights,
                                  const toksim_sid *sids,
                                  size_t count);
/** toksim_policy_privileges_of(p, sids, count), and for each privilege LUID it holds
 * first[luid] = toksim_policy_held_by_any(p, luid, sids, count) (NULL for the others),
 * in one pass over the holders (issue 11). */
uint64_t ts_policy_privilege_holders(const toksim_policy *p,
                                     const toksim_sid *sids,
                                     size_t count,
                                     const toksim_sid *first[TOKSIM_PRIV_MAX + 1]);
/** Record the template line that defined a right (inf.c; toksim_policy_source_line()). */
void ts_policy_set_source_line(toksim_policy *p, uint32_t right, int line);

#endif
