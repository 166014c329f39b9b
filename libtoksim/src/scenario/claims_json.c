/*
 * PURPOSE: JSON claims -> claim text (claims_json.h). The text is what toksim/claims.h
 * reads (MS-DTYP 2.5.1.1 resource-attribute syntax), so one parser checks every claim.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "scenario/claims_json.h"

static bool plain(const char *s)
{
    for (; *s; s++)
        if (*s == '"' || (unsigned char)*s < 0x20)
            return false;
    return true;
}

/* Append one value of type `ty` ('S' string, 'I' integer, 'B' boolean, 'U', 'D' SID). */
static bool put_value(const cJSON *v, char ty, char *buf, size_t n, size_t *len)
{
    int k;
    if ((ty == 'S' || ty == 'D') && cJSON_IsString(v) && plain(v->valuestring))
        k = ty == 'S' ? snprintf(buf + *len, n - *len, ",\"%s\"", v->valuestring)
                      : snprintf(buf + *len, n - *len, ",SID(%s)", v->valuestring);
    else if (ty == 'B' && cJSON_IsBool(v))
        k = snprintf(buf + *len, n - *len, ",%d", cJSON_IsTrue(v) ? 1 : 0);
    else if ((ty == 'I' || ty == 'U') && cJSON_IsNumber(v) &&
             v->valuedouble >= -9007199254740992.0 &&
             v->valuedouble <= 9007199254740992.0 &&
             v->valuedouble == (double)(int64_t)v->valuedouble &&
             (ty == 'I' || v->valuedouble >= 0))
        k = snprintf(buf + *len, n - *len, ",%.0f", v->valuedouble);
    else
        return false;
    if (k < 0 || (size_t)k >= n - *len)
        return false;
    *len += (size_t)k;
    return true;
}

static char kind_of(const cJSON *v)
{
    if (cJSON_IsString(v))
        return 'S';
    if (cJSON_IsBool(v))
        return 'B';
    if (cJSON_IsNumber(v))
        return 'I';
    return 0;
}

bool ts_claim_text_from_json(const cJSON *it, char *buf, size_t n, char *why, size_t wn)
{
    if (!it->string || !*it->string || !plain(it->string)) {
        snprintf(why, wn, "a claim name without '\"' or control characters");
        return false;
    }
    const cJSON *vals = it;
    char ty = 0;
    if (cJSON_IsObject(it)) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "type");
        vals = cJSON_GetObjectItemCaseSensitive(it, "values");
        int members = cJSON_GetArraySize(it);
        static const char types[] = "ISBUD";
        if (members != 2 || !cJSON_IsString(t) || strlen(t->valuestring) != 2 ||
            t->valuestring[0] != 'T' || !strchr(types, t->valuestring[1]) ||
            !t->valuestring[1] || !cJSON_IsArray(vals)) {
            snprintf(why, wn,
                     "{\"type\": \"TI\"|\"TU\"|\"TS\"|\"TD\"|\"TB\", \"values\": [...]}");
            return false;
        }
        ty = t->valuestring[1];
    } else {
        ty = kind_of(cJSON_IsArray(it) ? it->child : it);
    }
    if (!ty || (cJSON_IsArray(vals) && !vals->child)) {
        snprintf(why, wn,
                 "a string, an integer, a boolean, a non-empty array of one of them, or "
                 "{\"type\", \"values\"}");
        return false;
    }
    size_t len = 0;
    int k = snprintf(buf, n, "\"%s\",T%c,0", it->string, ty == 'S' ? 'S' : ty);
    if (k < 0 || (size_t)k >= n) {
        snprintf(why, wn, "a shorter claim");
        return false;
    }
    len = (size_t)k;
    const cJSON *v = cJSON_IsArray(vals) ? vals->child : vals;
    for (; v; v = cJSON_IsArray(vals) ? v->next : NULL) {
        if (!put_value(v, ty, buf, n, &len)) {
            snprintf(why, wn, "every value of the claim of one type (%s), without '\"'",
                     ty == 'S'   ? "strings"
                     : ty == 'B' ? "booleans"
                     : ty == 'D' ? "SID strings"
                                 : "integers");
            return false;
        }
    }
    return true;
}
