/*
 * PURPOSE: names of well-known Active Directory GUIDs (control access rights, validated
 * writes, property sets, classes, attributes) for object ACEs, from the one table
 * ad_guids.inc.
 */
#include <string.h>
#include "sddl_int.h"
#include "toksim/access.h"

static const struct {
    const char *guid, *name, *kind;
} ad_guids[] = {
#define TS_AD_GUID(g, n, k) {g, n, k},
#include "ad_guids.inc"
#undef TS_AD_GUID
};

const char *toksim_ad_guid_name(const uint8_t guid[16], const char **kind)
{
    if (!guid)
        return NULL;
    char text[37];
    ts_guid_format(text, guid);
    for (size_t i = 0; i < sizeof ad_guids / sizeof ad_guids[0]; i++)
        if (strcmp(text, ad_guids[i].guid) == 0) {
            if (kind)
                *kind = ad_guids[i].kind;
            return ad_guids[i].name;
        }
    return NULL;
}
