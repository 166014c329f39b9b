/*
 * PURPOSE: the named OS profiles and their default User Rights Assignment (table in
 * profiles.inc, with its sources). A profile fills every right: rights it does not list
 * are defined and empty, as on a real machine where `secedit /export` omits them. Left
 * out: domain controller defaults (Default Domain Controllers Policy), Server Core
 * differences.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "identity/identity_int.h"

enum { W7 = 1, W10 = 2, SRV = 4 };

static const toksim_os_profile profiles[] = {
    {"win10", "win11,client,windows10,windows11", "Windows 10/11 client (workstation)",
     "secedit /export of a Windows 10/11 workstation; Microsoft User Rights Assignment "
     "pages"},
    {"win7", "windows7",
     "Windows 7 client (2010 era; no SeDelegateSessionUserImpersonatePrivilege)",
     "Windows 10 export minus later additions; checked against 2010 !token dumps "
     "(Microsoft Japan support blog)"},
    {"server", "ws2016,ws2019,ws2022,server2016,server2019,server2022,member-server",
     "Windows Server 2016-2022 member or stand-alone server",
     "Microsoft User Rights Assignment pages (member server column)"},
};
static const unsigned profile_mask[] = {W10, W7, SRV};

/* A right's value by its row id in the rights tables: profiles.inc names rights so. */
enum {
#define TOKSIM_PRIV_ROW(id, luid, name, display) TS_R_##id = luid,
#include "toksim/privileges.inc"
#undef TOKSIM_PRIV_ROW
#define TOKSIM_LOGON_RIGHT_ROW(id, value, name, bit, display) TS_R_##id = value,
#include "toksim/logon_rights.inc"
#undef TOKSIM_LOGON_RIGHT_ROW
};

static const struct {
    unsigned profiles;
    uint32_t right;
    const char *holders;
} defaults[] = {
#define TS_DEFAULT(mask, right, holders) {mask, TS_R_##right, holders},
#include "profiles.inc"
#undef TS_DEFAULT
};

size_t toksim_os_profile_count(void)
{
    return sizeof profiles / sizeof profiles[0];
}

const toksim_os_profile *toksim_os_profile_at(size_t i)
{
    return i < toksim_os_profile_count() ? &profiles[i] : NULL;
}

static bool in_alias_list(const char *list, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t l = c ? (size_t)(c - p) : strlen(p);
        if (l == nl && ts_strncasecmp(p, name, l) == 0)
            return true;
        p = c ? c + 1 : NULL;
    }
    return false;
}

static int profile_index(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < toksim_os_profile_count(); i++)
        if (ts_strcasecmp(profiles[i].name, name) == 0 ||
            in_alias_list(profiles[i].aliases, name))
            return (int)i;
    return -1;
}

const toksim_os_profile *toksim_os_profile_find(const char *name)
{
    int i = profile_index(name);
    return i < 0 ? NULL : &profiles[i];
}

bool ts_profile_is_client(const char *name)
{
    int i = profile_index(name);
    return i >= 0 && (profile_mask[i] & (W7 | W10));
}

void ts_os_profile_names(char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0, len = 0; i < toksim_os_profile_count() && len < n; i++)
        len +=
            (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", profiles[i].name);
}

static unsigned memo_slot(const char *s, size_t l)
{
    /* the length and the last three characters: the RID's digits, mostly */
    uint32_t h = (uint32_t)l * 0x9E3779B1u;
    for (size_t i = l > 3 ? l - 3 : 0; i < l; i++)
        h = (h ^ (unsigned char)s[i]) * 0x85EBCA6Bu;
    return (h >> 24) & (TS_HOLDER_MEMO_SLOTS - 1);
}

void ts_holder_memo_init(ts_holder_memo *m)
{
    memset(m->slot, 0, sizeof m->slot);
    m->n = 0;
}

toksim_status ts_holder_memo_parse(
    ts_holder_memo *m, toksim_sid *out, const char *s, size_t l, toksim_error *err)
{
    unsigned k = memo_slot(s, l);
    for (; m->slot[k]; k = (k + 1) & (TS_HOLDER_MEMO_SLOTS - 1)) {
        size_t at = m->slot[k] - 1u;
        if (m->e[at].len == l && memcmp(m->e[at].text, s, l) == 0) {
            *out = m->e[at].sid;
            return TOKSIM_OK;
        }
    }
    toksim_status rc = toksim_sid_parse_n(out, s, l, err);
    if (rc == TOKSIM_OK && m->n < TS_HOLDER_MEMO_MAX) { /* load stays <= 1/2 */
        m->e[m->n].text = s;
        m->e[m->n].len = l;
        m->e[m->n].sid = *out;
        m->slot[k] = (uint8_t)(++m->n);
    }
    return rc;
}

toksim_status ts_profile_fill(toksim_policy *p,
                              const char *name,
                              const toksim_sid *machine_sid,
                              toksim_error *err)
{
    int idx = profile_index(name);
    if (idx < 0) {
        char known[128];
        ts_os_profile_names(known, sizeof known);
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                            "unknown OS profile '%s' (known: %s)", name ? name : "(null)",
                            known);
    }
    /* Every right is decided by the profile (p is new: no right has a holder yet). */
    ts_policy_define_all(p);
    /* The holders are parsed first and granted together (one allocation: issue 11); a
     * table longer than the buffer is granted in several parts, with the same result. */
    enum { CHUNK = 128 };
    uint32_t rights[CHUNK];
    toksim_sid sids[CHUNK];
    size_t n = 0;
    ts_holder_memo memo; /* the table names a few SIDs many times (issue 11) */
    ts_holder_memo_init(&memo);
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        if (!(defaults[i].profiles & profile_mask[idx]))
            continue;
        for (const char *s = defaults[i].holders; *s;) {
            const char *c = strchr(s, ',');
            size_t l = c ? (size_t)(c - s) : strlen(s);
            if (s[0] == '@') {
                if (!machine_sid) { /* machine-relative holders need the machine SID */
                    s = c ? c + 1 : s + l;
                    continue;
                }
                sids[n] = ts_sid_rel(machine_sid, (uint32_t)strtoul(s + 1, NULL, 10));
            } else {
                toksim_status rc = ts_holder_memo_parse(&memo, &sids[n], s, l, err);
                if (rc != TOKSIM_OK)
                    return rc;
            }
            rights[n++] = defaults[i].right;
            if (n == CHUNK) {
                toksim_status rc = ts_policy_grant_all(p, rights, sids, n);
                if (rc != TOKSIM_OK)
                    return rc;
                n = 0;
            }
            s = c ? c + 1 : s + l;
        }
    }
    return ts_policy_grant_all(p, rights, sids, n);
}
