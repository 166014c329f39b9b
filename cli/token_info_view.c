/*
 * PURPOSE: `toksim token --info`: a token as GetTokenInformation reports it, class by
 * class (text, or JSON keyed by class name). Every value and every failure comes from
 * toksim_token_query() (token_api.h); this file only prints.
 */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* the attribute words come from the library's one table (toksim_token_attr_text) */
static void flag_words(char *buf, size_t n, uint32_t a, bool priv)
{
    toksim_token_attr_text(buf, n, priv, a);
}

static cJSON *words_json(uint32_t a, bool priv)
{
    cJSON *arr = cJSON_CreateArray();
    uint32_t bit;
    const char *w;
    for (size_t i = 0; arr && (w = toksim_token_attr_word(priv, i, &bit)); i++)
        if ((a & bit) == bit)
            cJSON_AddItemToArray(arr, cJSON_CreateString(w));
    return arr;
}

static const char *elevation_name(uint32_t v)
{
    return v == TOKSIM_ELEVATION_FULL      ? "Full"
           : v == TOKSIM_ELEVATION_LIMITED ? "Limited"
                                           : "Default";
}

typedef struct view {
    const toksim_token *tok;
    const toksim_sid_context *ctx;
    cJSON *root; /* JSON output, or NULL for text */
} view;

static void
sid_texts(const view *v, const toksim_sid *sid, char *s, size_t sn, char *nm, size_t nn)
{
    toksim_sid_format(s, sn, sid);
    toksim_sid_display_name(nm, nn, sid, v->ctx);
}

static cJSON *
sid_json(const view *v, const toksim_sid *sid, uint32_t attrs, bool with_attrs)
{
    char s[TOKSIM_SID_STRING_MAX], nm[256], hex[16];
    sid_texts(v, sid, s, sizeof s, nm, sizeof nm);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "sid", s);
    cJSON_AddStringToObject(o, "name", nm);
    if (with_attrs) {
        cli_hex32(hex, sizeof hex, attrs);
        cJSON_AddStringToObject(o, "attributes", hex);
        cJSON_AddItemToObject(o, "flags", words_json(attrs, false));
    }
    return o;
}

/* TokenGroups / TokenRestrictedSids. */
static void groups(const view *v, const char *cname, bool restricted)
{
    size_t n = restricted ? toksim_token_restricted_count(v->tok)
                          : toksim_token_group_count(v->tok);
    cJSON *arr = v->root ? cJSON_AddArrayToObject(v->root, cname) : NULL;
    if (!v->root)
        printf("%s (%zu):\n", cname, n);
    for (size_t i = 0; i < n; i++) {
        const toksim_group *g = restricted ? toksim_token_restricted_at(v->tok, i)
                                           : toksim_token_group_at(v->tok, i);
        if (arr) {
            cJSON_AddItemToArray(arr, sid_json(v, &g->sid, g->attributes, true));
            continue;
        }
        char s[TOKSIM_SID_STRING_MAX], nm[256], w[200];
        sid_texts(v, &g->sid, s, sizeof s, nm, sizeof nm);
        flag_words(w, sizeof w, g->attributes, false);
        printf("  %-46s 0x%08X %s%s%s\n", s, g->attributes, w, strcmp(nm, s) ? "  " : "",
               strcmp(nm, s) ? nm : "");
    }
}

static void privileges(const view *v)
{
    size_t n = toksim_token_privilege_count(v->tok);
    cJSON *arr = v->root ? cJSON_AddArrayToObject(v->root, "TokenPrivileges") : NULL;
    if (!v->root)
        printf("TokenPrivileges (%zu):\n", n);
    for (size_t i = 0; i < n; i++) {
        uint32_t luid = 0, a = 0;
        if (!toksim_token_privilege_at(v->tok, i, &luid, &a))
            continue;
        const toksim_privilege_info *pi = toksim_privilege_by_luid(luid);
        char w[120], hex[16];
        flag_words(w, sizeof w, a, true);
        if (arr) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", pi ? pi->name : "?");
            cJSON_AddNumberToObject(o, "luid", luid);
            cli_hex32(hex, sizeof hex, a);
            cJSON_AddStringToObject(o, "attributes", hex);
            cJSON_AddItemToObject(o, "flags", words_json(a, true));
            cJSON_AddItemToArray(arr, o);
        } else {
            printf("  %-42s 0x%08X %s\n", pi ? pi->name : "?", a,
                   w[0] ? w : "(disabled)");
        }
    }
}

/* One scalar class: the text form and the JSON value. */
static void scalar(const view *v, const char *cname, const char *text, cJSON *json)
{
    if (v->root)
        cJSON_AddItemToObject(v->root, cname, json);
    else {
        printf("%-24s %s\n", cname, text);
        cJSON_Delete(json);
    }
}

static void failure(const view *v, const char *cname, const toksim_imp_result *r)
{
    const toksim_code_info *ci = toksim_code_by_win32(r->win32);
    char text[200], nt[16];
    cli_hex32(nt, sizeof nt, r->ntstatus);
    snprintf(text, sizeof text, "fails: %s (%u, NTSTATUS %s)", ci ? ci->name : "?",
             (unsigned)r->win32, nt);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "error", ci ? ci->name : "?");
    cJSON_AddNumberToObject(o, "win32", r->win32);
    cJSON_AddStringToObject(o, "ntstatus", nt);
    scalar(v, cname, text, o);
}

static void
one_class(const view *v, toksim_token_info_class cls, const toksim_token_info *in)
{
    const char *cname = toksim_token_info_class_name(cls);
    char text[800], s[TOKSIM_SID_STRING_MAX], nm[256], w[200];
    if (!in->call.ok) {
        failure(v, cname, &in->call);
        return;
    }
    switch (cls) {
    case TOKSIM_TIC_GROUPS:
        groups(v, cname, false);
        return;
    case TOKSIM_TIC_RESTRICTED_SIDS:
        groups(v, cname, true);
        return;
    case TOKSIM_TIC_PRIVILEGES:
        privileges(v);
        return;
    case TOKSIM_TIC_USER:
    case TOKSIM_TIC_OWNER:
    case TOKSIM_TIC_PRIMARY_GROUP:
    case TOKSIM_TIC_INTEGRITY_LEVEL: {
        bool attrs = cls == TOKSIM_TIC_USER || cls == TOKSIM_TIC_INTEGRITY_LEVEL;
        sid_texts(v, &in->sid, s, sizeof s, nm, sizeof nm);
        flag_words(w, sizeof w, in->attributes, false);
        bool named = strcmp(nm, s) != 0;
        snprintf(text, sizeof text, "%s%s%s%s%s", s, named ? "  " : "", named ? nm : "",
                 attrs && w[0] ? "  " : "", attrs ? w : "");
        scalar(v, cname, text, sid_json(v, &in->sid, in->attributes, attrs));
        return;
    }
    case TOKSIM_TIC_TYPE:
        scalar(v, cname, toksim_token_type_name((toksim_token_type)in->value),
               cJSON_CreateString(toksim_token_type_name((toksim_token_type)in->value)));
        return;
    case TOKSIM_TIC_IMPERSONATION_LEVEL:
        scalar(v, cname, toksim_imp_level_name((toksim_imp_level)in->value),
               cJSON_CreateString(toksim_imp_level_name((toksim_imp_level)in->value)));
        return;
    case TOKSIM_TIC_ELEVATION_TYPE:
        scalar(v, cname, elevation_name(in->value),
               cJSON_CreateString(elevation_name(in->value)));
        return;
    case TOKSIM_TIC_ELEVATION:
    case TOKSIM_TIC_HAS_RESTRICTIONS:
    case TOKSIM_TIC_IS_APPCONTAINER:
        scalar(v, cname, in->value ? "true" : "false", cJSON_CreateBool(in->value != 0));
        return;
    case TOKSIM_TIC_SESSION_ID:
    case TOKSIM_TIC_MANDATORY_POLICY:
        snprintf(text, sizeof text, "%u", (unsigned)in->value);
        scalar(v, cname, text, cJSON_CreateNumber(in->value));
        return;
    case TOKSIM_TIC_ORIGIN:
        snprintf(text, sizeof text, "0x%llx", (unsigned long long)in->luid);
        scalar(v, cname, text, cJSON_CreateString(text));
        return;
    case TOKSIM_TIC_SOURCE:
        scalar(v, cname, toksim_token_source(v->tok),
               cJSON_CreateString(toksim_token_source(v->tok)));
        return;
    case TOKSIM_TIC_STATISTICS: {
        char id[32];
        snprintf(text, sizeof text,
                 "AuthenticationId 0x%llx, TokenId 0x%llx, %s, %s, %u groups, %u "
                 "privileges",
                 (unsigned long long)in->luid, (unsigned long long)in->token_id,
                 toksim_token_type_name(in->stats_type),
                 toksim_imp_level_name(in->stats_level), (unsigned)in->group_count,
                 (unsigned)in->privilege_count);
        cJSON *o = cJSON_CreateObject();
        snprintf(id, sizeof id, "0x%llx", (unsigned long long)in->luid);
        cJSON_AddStringToObject(o, "AuthenticationId", id);
        snprintf(id, sizeof id, "0x%llx", (unsigned long long)in->token_id);
        cJSON_AddStringToObject(o, "TokenId", id);
        cJSON_AddStringToObject(o, "TokenType", toksim_token_type_name(in->stats_type));
        cJSON_AddStringToObject(o, "ImpersonationLevel",
                                toksim_imp_level_name(in->stats_level));
        cJSON_AddNumberToObject(o, "GroupCount", in->group_count);
        cJSON_AddNumberToObject(o, "PrivilegeCount", in->privilege_count);
        scalar(v, cname, text, o);
        return;
    }
    case TOKSIM_TIC_LINKED_TOKEN: {
        const toksim_token *l = in->linked;
        snprintf(text, sizeof text, "%s token at %s, elevation %s%s",
                 toksim_token_type_name(toksim_token_type_of(l)),
                 toksim_imp_level_name(toksim_token_level(l)),
                 elevation_name(toksim_token_elevation_type(l)),
                 toksim_token_is_elevated(l) ? " (elevated)" : "");
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "TokenType",
                                toksim_token_type_name(toksim_token_type_of(l)));
        cJSON_AddStringToObject(o, "TokenImpersonationLevel",
                                toksim_imp_level_name(toksim_token_level(l)));
        cJSON_AddStringToObject(o, "TokenElevationType",
                                elevation_name(toksim_token_elevation_type(l)));
        cJSON_AddBoolToObject(o, "TokenElevation", toksim_token_is_elevated(l));
        scalar(v, cname, text, o);
        return;
    }
    default:
        return;
    }
}

int cli_print_token_info(const toksim_token *tok,
                         const toksim_sid_context *ctx,
                         bool json)
{
    view v = {tok, ctx, json ? cJSON_CreateObject() : NULL};
    if (json && !v.root)
        return EXIT_INTERNAL;
    toksim_token_handle h = {tok, TOKSIM_TOKEN_ACCESS_ALL};
    for (size_t i = 0; i < toksim_token_info_class_count(); i++) {
        toksim_token_info_class cls = toksim_token_info_class_at(i);
        toksim_token_info in;
        toksim_status rc = toksim_token_query(&in, &h, cls, NULL, NULL, NULL);
        if (rc != TOKSIM_OK) {
            cJSON_Delete(v.root);
            return EXIT_INTERNAL;
        }
        one_class(&v, cls, &in);
        toksim_token_info_dispose(&in);
    }
    return json ? cli_print_json(v.root) : EXIT_OK;
}
