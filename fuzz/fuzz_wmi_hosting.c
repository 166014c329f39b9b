/*
 * PURPOSE: libFuzzer target for the systems layer's text parsers:
 * __Win32Provider.HostingModel (toksim_wmi_hosting_parse: a known model must print back
 * to a name that parses to the same value; the host group must fit its buffer and be
 * NUL-terminated) and the enum-name parsers (service account, service SID type, IIS
 * identity and authentication, COM action, severity).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <toksim.h>

#define MAX_INPUT 1024

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    toksim_wmi_hosting h;
    char group[16];
    toksim_error err;
    if (toksim_wmi_hosting_parse(&h, group, sizeof group, text, &err) == TOKSIM_OK) {
        if (memchr(group, '\0', sizeof group) == NULL)
            abort();
        toksim_wmi_hosting back;
        const char *name = h == TOKSIM_WMI_HOST_DEFAULT ? "" : toksim_wmi_hosting_name(h);
        if (toksim_wmi_hosting_parse(&back, NULL, 0, name, NULL) != TOKSIM_OK ||
            back != h)
            abort();
    } else if (err.message[0] == '\0') {
        abort(); /* every failure explains itself */
    }

    toksim_service_account a;
    if (toksim_service_account_parse(&a, text) == TOKSIM_OK &&
        strcmp(toksim_service_account_name(a), "?") == 0)
        abort();
    toksim_service_sid_type st;
    if (toksim_service_sid_type_parse(&st, text) == TOKSIM_OK &&
        strcmp(toksim_service_sid_type_name(st), "?") == 0)
        abort();
    toksim_iis_identity id;
    if (toksim_iis_identity_parse(&id, text) == TOKSIM_OK &&
        strcmp(toksim_iis_identity_name(id), "?") == 0)
        abort();
    toksim_iis_auth au;
    if (toksim_iis_auth_parse(&au, text) == TOKSIM_OK &&
        strcmp(toksim_iis_auth_name(au), "?") == 0)
        abort();
    toksim_iis_access ac;
    if (toksim_iis_access_parse(&ac, text) == TOKSIM_OK &&
        strcmp(toksim_iis_access_name(ac), "?") == 0)
        abort();
    toksim_com_action_kind k;
    if (toksim_com_action_parse(&k, text) == TOKSIM_OK &&
        strcmp(toksim_com_action_name(k), "?") == 0)
        abort();
    toksim_severity sev, sev2;
    if (toksim_severity_parse(&sev, text) == TOKSIM_OK &&
        (toksim_severity_parse(&sev2, toksim_severity_name(sev)) != TOKSIM_OK ||
         sev2 != sev))
        abort();
    free(text);
    return 0;
}
