/*
 * PURPOSE: the switches of toksim_imp_options by name (for scenario files and the CLI),
 * and parsing of impersonation level names. One table row per switch; the defaults
 * themselves live in TOKSIM_IMP_OPTIONS_INIT (impersonate.h) and a unit test checks the
 * two agree.
 */
#include <stddef.h>
#include "imperson/imp_int.h"

typedef struct opt_row {
    toksim_imp_option_info info;
    size_t offset; /* of a bool field; SIZE_MAX for restricted_rule */
} opt_row;

#define BOOL_ROW(field, summary, rule, unconf, def)                                      \
    {                                                                                    \
        {#field, summary, rule, unconf, def, 1}, offsetof(toksim_imp_options, field)     \
    }

static const opt_row opt_rows[] = {
    BOOL_ROW(allow_below_impersonate,
             "a level below Impersonation is always allowed",
             "§2.2 step 1",
             false,
             1),
    BOOL_ROW(
        anonymous_logon_any_route,
        "a token of the anonymous logon session is allowed on every route (off: only via "
        "ImpersonateAnonymousToken)",
        "§2.2 step 2",
        true,
        1),
    BOOL_ROW(allow_privilege,
             "SeImpersonatePrivilege, enabled in the process token, allows",
             "§2.2 step 4",
             false,
             1),
    BOOL_ROW(check_integrity,
             "the process integrity must dominate the client token's",
             "§2.2 step 5",
             false,
             1),
    BOOL_ROW(allow_explicit_credentials,
             "a token made with explicit credentials from the caller's logon session is "
             "allowed",
             "§2.2 step 6",
             false,
             1),
    BOOL_ROW(allow_same_user,
             "a token of the caller's own user is allowed (after the same-user checks)",
             "§2.2 steps 7-9",
             false,
             1),
    BOOL_ROW(check_uac_elevation,
             "a non-elevated process cannot impersonate its elevated token",
             "§2.2 step 8a",
             true,
             1),
    {{"restricted_rule",
      "restricted-token rule: 0 off, 1 Windows refinement, 2 ReactOS equality",
      "§2.2 step 8c", true, TOKSIM_IMP_RESTRICTED_WINDOWS, 2},
     SIZE_MAX},
    BOOL_ROW(check_session,
             "a session-0 client token is refused to a process of another session "
             "(UNCONFIRMED, off by default)",
             "§2.2 step 8d",
             true,
             0),
    BOOL_ROW(check_appcontainer,
             "an AppContainer process may impersonate AppContainer tokens only",
             "§2.2 steps 2, 8b",
             true,
             1),
    BOOL_ROW(anonymous_stays_anonymous,
             "a downgraded Anonymous-level client stays Anonymous",
             "§2.3.1",
             true,
             1),
    BOOL_ROW(privilege_integrity_minimum,
             "enabling a privilege needs a minimum token integrity",
             "§3.5",
             true,
             0),
    BOOL_ROW(rpc_unauthenticated_fails,
             "RpcImpersonateClient fails on an unauthenticated call "
             "(RPC_S_NO_CONTEXT_AVAILABLE)",
             "§10.3.1",
             true,
             1),
    BOOL_ROW(ntlm_hop_fails,
             "the NTLM double hop fails instead of arriving as ANONYMOUS LOGON",
             "§11.1",
             true,
             0),
    BOOL_ROW(kcd_needs_delegation_level,
             "constrained delegation needs a Delegation-level token",
             "§11.2",
             true,
             0),
    BOOL_ROW(
        linked_token_needs_tcb,
        "TokenLinkedToken is Identification-level unless the caller has SeTcbPrivilege",
        "§2.7.2",
        true,
        1),
    BOOL_ROW(uac_limited_is_filtered,
             "TokenHasRestrictions is nonzero for the UAC split's Limited token (it was "
             "filtered; UNCONFIRMED)",
             "TOKEN_INFORMATION_CLASS TokenHasRestrictions",
             true,
             1),
};

#define OPT_COUNT (sizeof opt_rows / sizeof opt_rows[0])

size_t toksim_imp_option_count(void)
{
    return OPT_COUNT;
}

const toksim_imp_option_info *toksim_imp_option_at(size_t i)
{
    return i < OPT_COUNT ? &opt_rows[i].info : NULL;
}

static const opt_row *find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < OPT_COUNT; i++)
        if (strcmp(opt_rows[i].info.name, name) == 0)
            return &opt_rows[i];
    return NULL;
}

toksim_status toksim_imp_options_set(toksim_imp_options *opts,
                                     const char *name,
                                     int value,
                                     toksim_error *err)
{
    if (!opts || !name)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no options or no switch name");
    const opt_row *r = find(name);
    if (!r)
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0,
                            "unknown impersonation switch \"%.60s\"", name);
    if (value < 0 || value > r->info.max_value)
        return ts_error_set(err, TOKSIM_EINVAL, 0,
                            "switch %s: value %d out of range 0..%d", name, value,
                            r->info.max_value);
    if (r->offset == SIZE_MAX)
        opts->restricted_rule = (toksim_imp_restricted_rule)value;
    else
        *(bool *)((char *)opts + r->offset) = value != 0;
    return TOKSIM_OK;
}

toksim_status
toksim_imp_options_get(const toksim_imp_options *opts, const char *name, int *value)
{
    if (!opts || !value)
        return TOKSIM_EINVAL;
    const opt_row *r = find(name);
    if (!r)
        return TOKSIM_ENOTFOUND;
    if (r->offset == SIZE_MAX)
        *value = (int)opts->restricted_rule;
    else
        *value = *(const bool *)((const char *)opts + r->offset) ? 1 : 0;
    return TOKSIM_OK;
}

toksim_status toksim_imp_level_parse(toksim_imp_level *out, const char *text)
{
    static const struct {
        const char *name;
        toksim_imp_level level;
    } names[] = {
        {"anonymous", TOKSIM_IMP_ANONYMOUS},
        {"identification", TOKSIM_IMP_IDENTIFICATION},
        {"identify", TOKSIM_IMP_IDENTIFICATION},
        {"impersonation", TOKSIM_IMP_IMPERSONATION},
        {"impersonate", TOKSIM_IMP_IMPERSONATION},
        {"delegation", TOKSIM_IMP_DELEGATION},
        {"delegate", TOKSIM_IMP_DELEGATION},
    };
    if (!out || !text)
        return TOKSIM_EINVAL;
    if (text[0] >= '0' && text[0] <= '3' && text[1] == '\0') {
        *out = (toksim_imp_level)(text[0] - '0');
        return TOKSIM_OK;
    }
    const char *t = ts_strncasecmp(text, "Security", 8) == 0 ? text + 8 : text;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (ts_strcasecmp(t, names[i].name) == 0) {
            *out = names[i].level;
            return TOKSIM_OK;
        }
    }
    return TOKSIM_EPARSE;
}
