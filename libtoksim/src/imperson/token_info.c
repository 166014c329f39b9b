/*
 * PURPOSE: GetTokenInformation, one TOKEN_INFORMATION_CLASS at a time, with Windows'
 * results: the values a token reports for each class the model answers, the handle right
 * each class needs (TOKEN_QUERY; TokenSource: TOKEN_QUERY_SOURCE) and the class that
 * fails on a primary token (TokenImpersonationLevel: ERROR_INVALID_PARAMETER, NTSTATUS
 * STATUS_INVALID_INFO_CLASS as ReactOS's NtQueryInformationToken returns it; Wine's
 * server answers STATUS_INVALID_PARAMETER, which maps to the same Win32 error).
 * TokenLinkedToken is toksim_get_linked_token() (duplicate.c).
 */
#include "imperson/imp_int.h"
#include "toksim/token_api.h"

/* STATUS_INVALID_INFO_CLASS (ntstatus.h); RtlNtStatusToDosError maps it to
 * ERROR_INVALID_PARAMETER (Wine dlls/ntdll/error.c table). */
#define TS_STATUS_INVALID_INFO_CLASS 0xC0000003u

static const struct {
    toksim_token_info_class cls;
    const char *name;
} classes[] = {
#define TOKSIM_TIC_ROW(e, num, name) {TOKSIM_TIC_##e, name},
#include "toksim/token_info_classes.inc"
#undef TOKSIM_TIC_ROW
};
#define NCLASSES (sizeof classes / sizeof classes[0])

bool toksim_token_info_class_parse(toksim_token_info_class *out, const char *name)
{
    for (size_t i = 0; name && i < NCLASSES; i++)
        if (strcmp(classes[i].name, name) == 0) {
            if (out)
                *out = classes[i].cls;
            return true;
        }
    return false;
}

const char *toksim_token_info_class_name(toksim_token_info_class cls)
{
    for (size_t i = 0; i < NCLASSES; i++)
        if (classes[i].cls == cls)
            return classes[i].name;
    return NULL;
}

size_t toksim_token_info_class_count(void)
{
    return NCLASSES;
}

toksim_token_info_class toksim_token_info_class_at(size_t i)
{
    return i < NCLASSES ? classes[i].cls : (toksim_token_info_class)0;
}

void toksim_token_info_dispose(toksim_token_info *info)
{
    if (!info)
        return;
    toksim_token_free(info->linked);
    info->linked = NULL;
}

/* The label group of the token (its SID and attributes), if it has one. */
static bool label_of(const toksim_token *tok, toksim_sid *sid, uint32_t *attrs)
{
    for (size_t i = 0; i < toksim_token_group_count(tok); i++) {
        const toksim_group *g = toksim_token_group_at(tok, i);
        if (g->attributes & TOKSIM_SE_GROUP_INTEGRITY) {
            *sid = g->sid;
            *attrs = g->attributes;
            return true;
        }
    }
    return false;
}

static void fill(toksim_token_info *out, const toksim_token *t)
{
    switch (out->cls) {
    case TOKSIM_TIC_USER:
        out->sid = *toksim_token_user(t);
        out->attributes = toksim_token_user_attributes(t);
        break;
    case TOKSIM_TIC_OWNER:
        out->sid = *toksim_token_owner(t);
        break;
    case TOKSIM_TIC_PRIMARY_GROUP:
        if (toksim_token_primary_group(t))
            out->sid = *toksim_token_primary_group(t);
        break;
    case TOKSIM_TIC_TYPE:
        out->value = (uint32_t)toksim_token_type_of(t);
        break;
    case TOKSIM_TIC_IMPERSONATION_LEVEL:
        out->value = (uint32_t)toksim_token_level(t);
        break;
    case TOKSIM_TIC_STATISTICS:
        out->luid = toksim_token_auth_id(t);
        out->token_id = toksim_token_id(t);
        out->group_count = (uint32_t)toksim_token_group_count(t);
        out->privilege_count = (uint32_t)toksim_token_privilege_count(t);
        out->stats_level = toksim_token_level(t);
        out->stats_type = toksim_token_type_of(t);
        break;
    case TOKSIM_TIC_SESSION_ID:
        out->value = toksim_token_session_id(t);
        break;
    case TOKSIM_TIC_ORIGIN:
        out->luid = toksim_token_origin(t);
        break;
    case TOKSIM_TIC_ELEVATION_TYPE:
        out->value = (uint32_t)toksim_token_elevation_type(t);
        break;
    case TOKSIM_TIC_ELEVATION:
        out->value = toksim_token_is_elevated(t) ? 1u : 0u;
        break;
    case TOKSIM_TIC_HAS_RESTRICTIONS: /* "nonzero if the token has ever been filtered" */
        out->value =
            toksim_token_is_filtered(t) || toksim_token_is_restricted(t) ? 1u : 0u;
        break;
    case TOKSIM_TIC_INTEGRITY_LEVEL:
        out->value = toksim_token_integrity(t);
        if (!label_of(t, &out->sid, &out->attributes) &&
            toksim_sid_make(&out->sid, 16, &out->value, 1) == TOKSIM_OK)
            out->attributes =
                TOKSIM_SE_GROUP_INTEGRITY | TOKSIM_SE_GROUP_INTEGRITY_ENABLED;
        break;
    case TOKSIM_TIC_MANDATORY_POLICY:
        out->value = toksim_token_mandatory_policy(t);
        break;
    case TOKSIM_TIC_IS_APPCONTAINER:
        out->value = toksim_token_is_appcontainer(t) ? 1u : 0u;
        break;
    default: /* groups, privileges, restricting SIDs, source: read from the token */
        break;
    }
}

toksim_status toksim_token_query(toksim_token_info *out,
                                 const toksim_token_handle *token,
                                 toksim_token_info_class cls,
                                 const toksim_token *caller_primary,
                                 const toksim_imp_options *opts,
                                 toksim_trace *trace)
{
    if (!out)
        return TOKSIM_EINVAL;
    memset(out, 0, sizeof *out);
    const char *name = toksim_token_info_class_name(cls);
    if (!token || !token->token || !name)
        return TOKSIM_EINVAL;
    out->cls = cls;
    out->call.ok = true;
    const toksim_token *t = token->token;
    toksim_trace_event ev = ts_imp_ev(TOKSIM_RULE_NONE, TOKSIM_V_INFO);
    ts_imp_ev_sid2(&ev, toksim_token_user(t));
    ts_imp_ev_text(&ev, name);
    uint32_t need = cls == TOKSIM_TIC_SOURCE ? TOKSIM_TOKEN_ACCESS_QUERY_SOURCE
                                             : TOKSIM_TOKEN_ACCESS_QUERY;
    if (!(token->access & need)) {
        ev.mask = need;
        return ts_imp_fail(&out->call, TOKSIM_ERROR_ACCESS_DENIED, 0,
                           TOKSIM_RULE_IMP_HANDLE_ACCESS, &ev, trace);
    }
    if (cls == TOKSIM_TIC_IMPERSONATION_LEVEL &&
        toksim_token_type_of(t) != TOKSIM_TOKEN_IMPERSONATION)
        return ts_imp_fail(&out->call, TOKSIM_ERROR_INVALID_PARAMETER,
                           TS_STATUS_INVALID_INFO_CLASS,
                           TOKSIM_RULE_TOK_INFO_LEVEL_PRIMARY, &ev, trace);
    if (cls == TOKSIM_TIC_LINKED_TOKEN) {
        toksim_token *anyone = NULL;
        const toksim_token *caller = caller_primary;
        toksim_status st = TOKSIM_OK;
        if (!caller) { /* a caller without SeTcbPrivilege: the token's own user */
            if ((st = toksim_token_new(&anyone, toksim_token_user(t))))
                return st;
            caller = anyone;
        }
        st =
            toksim_get_linked_token(&out->call, &out->linked, caller, token, opts, trace);
        toksim_token_free(anyone);
        return st;
    }
    fill(out, t);
    toksim_status st = TOKSIM_OK;
    if (cls == TOKSIM_TIC_HAS_RESTRICTIONS && !out->value &&
        ts_imp_opts(opts)->uac_limited_is_filtered &&
        toksim_token_elevation_type(t) == TOKSIM_ELEVATION_LIMITED) {
        out->value = 1u; /* the Limited half of a UAC split was filtered (UNCONFIRMED) */
        toksim_trace_event e =
            ts_imp_ev(TOKSIM_RULE_TOK_INFO_UAC_FILTERED, TOKSIM_V_INFO);
        ts_imp_ev_sid2(&e, toksim_token_user(t));
        ts_imp_emit(&st, trace, &e);
    }
    ev.rule = TOKSIM_RULE_TOK_INFO_QUERY;
    ts_imp_emit(&st, trace, &ev);
    return st;
}
