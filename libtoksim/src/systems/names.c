/*
 * PURPOSE: names and parsers of the systems layer's enums (service accounts, service SID
 * types, IIS identity types and authentication schemes, WMI hosting models, COM actions)
 * and the COM client impersonation-level default resolution. Names follow what
 * administrators type: sc.exe / services.msc account names, applicationHost.config
 * identityType values, __Win32Provider.HostingModel strings.
 */
#include <stdio.h>
#include <string.h>
#include "systems/sys_int.h"

typedef struct name_row {
    int value;
    const char *name;
} name_row;

static const char *
row_name(const name_row *rows, size_t n, int value, const char *fallback)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].value == value)
            return rows[i].name;
    return fallback;
}

static bool row_parse(int *out, const name_row *rows, size_t n, const char *text)
{
    if (!text)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ts_strcasecmp(rows[i].name, text) == 0) {
            *out = rows[i].value;
            return true;
        }
    return false;
}

#define NROWS(a) (sizeof(a) / sizeof((a)[0]))

/* The first row of each value is its canonical name; later rows are accepted spellings.
 */
static const name_row service_accounts[] = {
    {TOKSIM_SVC_LOCAL_SYSTEM, "LocalSystem"},
    {TOKSIM_SVC_LOCAL_SERVICE, "LocalService"},
    {TOKSIM_SVC_NETWORK_SERVICE, "NetworkService"},
    {TOKSIM_SVC_USER, "User"},
    {TOKSIM_SVC_VIRTUAL, "Virtual"},
    {TOKSIM_SVC_LOCAL_SYSTEM, "SYSTEM"},
    {TOKSIM_SVC_LOCAL_SYSTEM, "NT AUTHORITY\\SYSTEM"},
    {TOKSIM_SVC_LOCAL_SERVICE, "NT AUTHORITY\\LocalService"},
    {TOKSIM_SVC_LOCAL_SERVICE, "NT AUTHORITY\\LOCAL SERVICE"},
    {TOKSIM_SVC_LOCAL_SERVICE, "LOCAL SERVICE"},
    {TOKSIM_SVC_NETWORK_SERVICE, "NT AUTHORITY\\NetworkService"},
    {TOKSIM_SVC_NETWORK_SERVICE, "NT AUTHORITY\\NETWORK SERVICE"},
    {TOKSIM_SVC_NETWORK_SERVICE, "NETWORK SERVICE"},
    {TOKSIM_SVC_VIRTUAL, "VirtualAccount"},
};

const char *toksim_service_account_name(toksim_service_account a)
{
    return row_name(service_accounts, NROWS(service_accounts), (int)a, "?");
}

toksim_status toksim_service_account_parse(toksim_service_account *out, const char *name)
{
    int v;
    if (!out || !name)
        return TOKSIM_EINVAL;
    if (!row_parse(&v, service_accounts, NROWS(service_accounts), name))
        return TOKSIM_ENOTFOUND;
    *out = (toksim_service_account)v;
    return TOKSIM_OK;
}

static const name_row sid_types[] = {
    {TOKSIM_SERVICE_SID_TYPE_NONE, "none"},
    {TOKSIM_SERVICE_SID_TYPE_UNRESTRICTED, "unrestricted"},
    {TOKSIM_SERVICE_SID_TYPE_RESTRICTED, "restricted"},
};

const char *toksim_service_sid_type_name(toksim_service_sid_type t)
{
    return row_name(sid_types, NROWS(sid_types), (int)t, "?");
}

toksim_status toksim_service_sid_type_parse(toksim_service_sid_type *out,
                                            const char *name)
{
    int v;
    if (!out || !name)
        return TOKSIM_EINVAL;
    if (!row_parse(&v, sid_types, NROWS(sid_types), name))
        return TOKSIM_ENOTFOUND;
    *out = (toksim_service_sid_type)v;
    return TOKSIM_OK;
}

static const name_row iis_identities[] = {
    {TOKSIM_IIS_LOCAL_SYSTEM, "LocalSystem"},
    {TOKSIM_IIS_LOCAL_SERVICE, "LocalService"},
    {TOKSIM_IIS_NETWORK_SERVICE, "NetworkService"},
    {TOKSIM_IIS_SPECIFIC_USER, "SpecificUser"},
    {TOKSIM_IIS_APPPOOL_IDENTITY, "ApplicationPoolIdentity"},
};

const char *toksim_iis_identity_name(toksim_iis_identity id)
{
    return row_name(iis_identities, NROWS(iis_identities), (int)id, "?");
}

toksim_status toksim_iis_identity_parse(toksim_iis_identity *out, const char *name)
{
    int v;
    if (!out || !name)
        return TOKSIM_EINVAL;
    if (!row_parse(&v, iis_identities, NROWS(iis_identities), name))
        return TOKSIM_ENOTFOUND;
    *out = (toksim_iis_identity)v;
    return TOKSIM_OK;
}

static const name_row iis_auths[] = {
    {TOKSIM_IIS_AUTH_ANONYMOUS, "anonymous"},
    {TOKSIM_IIS_AUTH_BASIC, "basic"},
    {TOKSIM_IIS_AUTH_WINDOWS, "windows"},
};

const char *toksim_iis_auth_name(toksim_iis_auth a)
{
    return row_name(iis_auths, NROWS(iis_auths), (int)a, "?");
}

toksim_status toksim_iis_auth_parse(toksim_iis_auth *out, const char *name)
{
    int v;
    if (!out || !name)
        return TOKSIM_EINVAL;
    if (!row_parse(&v, iis_auths, NROWS(iis_auths), name))
        return TOKSIM_ENOTFOUND;
    *out = (toksim_iis_auth)v;
    return TOKSIM_OK;
}

static const name_row iis_accesses[] = {
    {TOKSIM_IIS_ACCESS_IMPERSONATE, "impersonate"},
    {TOKSIM_IIS_ACCESS_PROCESS, "process"},
    {TOKSIM_IIS_ACCESS_ISAPI_PENDING, "isapi_pending"},
    {TOKSIM_IIS_ACCESS_ISAPI_TOKEN, "isapi_token"},
};

const char *toksim_iis_access_name(toksim_iis_access a)
{
    return row_name(iis_accesses, NROWS(iis_accesses), (int)a, "?");
}

toksim_status toksim_iis_access_parse(toksim_iis_access *out, const char *name)
{
    int v;
    if (!out || !name)
        return TOKSIM_EINVAL;
    if (!row_parse(&v, iis_accesses, NROWS(iis_accesses), name))
        return TOKSIM_ENOTFOUND;
    *out = (toksim_iis_access)v;
    return TOKSIM_OK;
}

/* __Win32Provider.HostingModel values (Provider Hosting and Security, windows-model
 * §10.5.4). */
static const name_row hostings[] = {
    {TOKSIM_WMI_HOST_DEFAULT, ""},
    {TOKSIM_WMI_HOST_NETWORK_SERVICE, "NetworkServiceHost"},
    {TOKSIM_WMI_HOST_NETWORK_SERVICE_OR_SELF, "NetworkServiceHostOrSelfHost"},
    {TOKSIM_WMI_HOST_LOCAL_SERVICE, "LocalServiceHost"},
    {TOKSIM_WMI_HOST_LOCAL_SYSTEM, "LocalSystemHost"},
    {TOKSIM_WMI_HOST_LOCAL_SYSTEM_OR_SELF, "LocalSystemHostOrSelfHost"},
    {TOKSIM_WMI_HOST_SELF, "SelfHost"},
    {TOKSIM_WMI_HOST_DECOUPLED, "Decoupled:Com"},
};

const char *toksim_wmi_hosting_name(toksim_wmi_hosting h)
{
    if (h == TOKSIM_WMI_HOST_DEFAULT)
        return "(default)";
    return row_name(hostings, NROWS(hostings), (int)h, "?");
}

/** Longest HostingModel text accepted (a name, ':' and a host group). */
#define HOSTING_MAX_LEN 256

toksim_status toksim_wmi_hosting_parse(toksim_wmi_hosting *out,
                                       char *group_buf,
                                       size_t group_n,
                                       const char *text,
                                       toksim_error *err)
{
    if (!out || !text)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no HostingModel text");
    size_t len = strlen(text);
    if (len > HOSTING_MAX_LEN)
        return ts_error_set(err, TOKSIM_ELIMIT, HOSTING_MAX_LEN,
                            "HostingModel longer than %d characters", HOSTING_MAX_LEN);
    if (group_buf && group_n)
        group_buf[0] = '\0';
    /* "Decoupled:Com" and "Decoupled:Com:FoldIdentity(FALSE)" contain ':' themselves. */
    if (ts_strncasecmp(text, "Decoupled:Com", 13) == 0 &&
        (text[13] == '\0' || text[13] == ':')) {
        *out = TOKSIM_WMI_HOST_DECOUPLED;
        return TOKSIM_OK;
    }
    const char *colon = strchr(text, ':');
    size_t name_len = colon ? (size_t)(colon - text) : len;
    char name[HOSTING_MAX_LEN + 1];
    memcpy(name, text, name_len);
    name[name_len] = '\0';
    int v;
    if (!row_parse(&v, hostings, NROWS(hostings), name))
        return ts_error_set(
            err, TOKSIM_EPARSE, 0,
            "unknown HostingModel \"%s\": expected NetworkServiceHost, "
            "LocalServiceHost, LocalSystemHost, their OrSelfHost forms, SelfHost "
            "or Decoupled:Com",
            name);
    if (colon) {
        if (colon[1] == '\0')
            return ts_error_set(err, TOKSIM_EPARSE, name_len + 1,
                                "HostingModel \"%s\": empty host group after ':'", text);
        if (group_buf && group_n)
            (void)ts_put(group_buf, group_n, 0, colon + 1);
    }
    *out = (toksim_wmi_hosting)v;
    return TOKSIM_OK;
}

static const name_row com_actions[] = {
    {TOKSIM_COM_IMPERSONATE, "impersonate"},
    {TOKSIM_COM_REVERT, "revert"},
    {TOKSIM_COM_OPEN, "open"},
    {TOKSIM_COM_CALL_WMI, "call_wmi"},
    {TOKSIM_COM_INITIALIZE, "initialize"},
    {TOKSIM_COM_INIT_DONE, "init_done"},
    {TOKSIM_COM_IMPERSONATE, "CoImpersonateClient"},
    {TOKSIM_COM_REVERT, "CoRevertToSelf"},
};

const char *toksim_com_action_name(toksim_com_action_kind k)
{
    return row_name(com_actions, NROWS(com_actions), (int)k, "?");
}

toksim_status toksim_com_action_parse(toksim_com_action_kind *out, const char *name)
{
    int v;
    if (!out || !name)
        return TOKSIM_EINVAL;
    if (!row_parse(&v, com_actions, NROWS(com_actions), name))
        return TOKSIM_ENOTFOUND;
    *out = (toksim_com_action_kind)v;
    return TOKSIM_OK;
}

int toksim_com_effective_level(int requested,
                               toksim_com_client_kind kind,
                               int registry_default_level)
{
    /* The RPC_C_IMP_LEVEL_* macros of impersonate.h are unsigned; levels here are 0..4.
     */
    const int def = (int)TOKSIM_RPC_C_IMP_LEVEL_DEFAULT,
              anon = (int)TOKSIM_RPC_C_IMP_LEVEL_ANONYMOUS,
              ident = (int)TOKSIM_RPC_C_IMP_LEVEL_IDENTIFY,
              deleg = (int)TOKSIM_RPC_C_IMP_LEVEL_DELEGATE;
    int level = requested;
    if (level == def) {
        /* windows-model §10.2.1: COM falls back to LegacyImpersonationLevel (Identify
         * when absent); §10.5.1: WMI scripting reads its own registry default
         * (Impersonate as set up). */
        if (registry_default_level >= anon && registry_default_level <= deleg)
            level = registry_default_level;
        else
            level = kind == TOKSIM_COM_CLIENT_WMI_SCRIPT
                        ? (int)TOKSIM_WMI_SCRIPT_IMP_LEVEL_DEFAULT
                        : (int)TOKSIM_COM_LEGACY_IMP_LEVEL_DEFAULT;
    }
    /* §10.5.2: WMI scripting silently raises Anonymous to Identify. */
    if (kind == TOKSIM_COM_CLIENT_WMI_SCRIPT && level == anon)
        level = ident;
    return level;
}
