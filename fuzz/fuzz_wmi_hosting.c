/*
 * PURPOSE: libFuzzer target for the systems layer's text parsers:
 * __Win32Provider.HostingModel (toksim_wmi_hosting_parse: a known model must print back
 * to a name that parses to the same value; the host group must fit its buffer and be
 * NUL-terminated; every failure explains itself) and the enum-name parsers (service
 * account, service SID type, IIS identity, authentication and access mode, COM action,
 * severity): what parses must print back.
 */
#include "fuzz_common.h"

#define MAX_INPUT 1024

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size, MAX_INPUT);
    if (!text)
        return 0;

    toksim_wmi_hosting h;
    char group[16];
    toksim_error err;
    memset(&err, 0, sizeof err);
    if (toksim_wmi_hosting_parse(&h, group, sizeof group, text, &err) == TOKSIM_OK) {
        FUZZ_CHECK(memchr(group, '\0', sizeof group) != NULL);
        toksim_wmi_hosting back;
        const char *name = h == TOKSIM_WMI_HOST_DEFAULT ? "" : toksim_wmi_hosting_name(h);
        FUZZ_CHECK(toksim_wmi_hosting_parse(&back, NULL, 0, name, NULL) == TOKSIM_OK);
        FUZZ_CHECK(back == h);
    } else {
        FUZZ_CHECK(err.message[0] != '\0');
    }

    toksim_service_account a;
    if (toksim_service_account_parse(&a, text) == TOKSIM_OK)
        FUZZ_CHECK(strcmp(toksim_service_account_name(a), "?") != 0);
    toksim_service_sid_type st;
    if (toksim_service_sid_type_parse(&st, text) == TOKSIM_OK)
        FUZZ_CHECK(strcmp(toksim_service_sid_type_name(st), "?") != 0);
    toksim_iis_identity id;
    if (toksim_iis_identity_parse(&id, text) == TOKSIM_OK)
        FUZZ_CHECK(strcmp(toksim_iis_identity_name(id), "?") != 0);
    toksim_iis_auth au;
    if (toksim_iis_auth_parse(&au, text) == TOKSIM_OK)
        FUZZ_CHECK(strcmp(toksim_iis_auth_name(au), "?") != 0);
    toksim_iis_access ac;
    if (toksim_iis_access_parse(&ac, text) == TOKSIM_OK)
        FUZZ_CHECK(strcmp(toksim_iis_access_name(ac), "?") != 0);
    toksim_com_action_kind k;
    if (toksim_com_action_parse(&k, text) == TOKSIM_OK)
        FUZZ_CHECK(strcmp(toksim_com_action_name(k), "?") != 0);
    toksim_severity sev, sev2;
    if (toksim_severity_parse(&sev, text) == TOKSIM_OK) {
        FUZZ_CHECK(toksim_severity_parse(&sev2, toksim_severity_name(sev)) == TOKSIM_OK);
        FUZZ_CHECK(sev2 == sev);
    }
    free(text);
    return 0;
}
