/*
 * PURPOSE: toksim_sd -> canonical SDDL, the text
 * ConvertSecurityDescriptorToStringSecurityDescriptor writes for OWNER|GROUP|DACL|SACL
 * information.
 *
 * Rules (learned from Wine's conformance test, which runs on Windows, and from Samba's
 * Windows-recorded vectors in libcli/security/tests/windows/): components in the order O
 * G D S; ACL flags in the order P AR AI; "NO_ACCESS_CONTROL" for a NULL ACL; an empty
 * descriptor is ""; ACE flags in the order OI CI NP IO ID SA FA; rights: an exact FA FR
 * FW FX KA KR KW mask prints that alias, else one-bit aliases in ascending bit order when
 * every bit has one, else 0x%x (lowercase, no padding); ML ACEs print NW NR NX; SIDs
 * print their alias when the well-known table has one (domain/machine-relative aliases
 * only when ctx says the SID is in that domain); GUIDs lowercase. Callback ACEs write
 * their condition: the text kept from SDDL, or the binary expression decompiled
 * (sddl_cond.c). Left out: SDDL cannot express the *_DEFAULTED and RM_CONTROL_VALID
 * control bits, which are dropped as Windows drops them. TOKSIM_EUNSUPPORTED: an ACE
 * type without SDDL letters, or an AU/AL ACE in the DACL (no SDDL reads back to it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sddl_int.h"

typedef struct frow {
    const char *text;
    uint32_t value;
} frow;

static const frow type_rows[] = {
#define TS_SDDL_ACE_TYPE(t, v) {t, v},
#include "sddl_rights.inc"
};
static const frow flag_rows[] = {
#define TS_SDDL_ACE_FLAG(t, v) {t, v},
#include "sddl_rights.inc"
};
static const frow bit_rows[] = {
#define TS_SDDL_RIGHT_BIT(t, v) {t, v},
#include "sddl_rights.inc"
};
static const frow set_rows[] = {
#define TS_SDDL_RIGHT_SET(t, v) {t, v},
#include "sddl_rights.inc"
};
static const frow label_rows[] = {
#define TS_SDDL_RIGHT_LABEL(t, v) {t, v},
#include "sddl_rights.inc"
};
#define NROWS(a) (sizeof(a) / sizeof((a)[0]))

void ts_guid_format(char out[37], const uint8_t g[16])
{
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", g[3],
             g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12],
             g[13], g[14], g[15]);
}

static size_t by_bits(char *buf, size_t n, uint32_t mask, const frow *rows, size_t nrows)
{
    uint32_t covered = 0;
    for (size_t i = 0; i < nrows; i++)
        covered |= rows[i].value;
    if (mask & ~covered) {
        char hex[16];
        snprintf(hex, sizeof hex, "0x%x", mask);
        return ts_put(buf, n, 0, hex);
    }
    size_t at = 0;
    if (n)
        buf[0] = '\0';
    for (size_t i = 0; i < nrows; i++)
        if (mask & rows[i].value)
            at = ts_put(buf, n, at, rows[i].text);
    return at;
}

size_t ts_sddl_format_ace_rights(char *buf, size_t n, uint8_t ace_type, uint32_t mask)
{
    if (mask == 0)
        return ts_put(buf, n, 0, "");
    if (ace_type == TOKSIM_ACE_SYSTEM_MANDATORY_LABEL)
        return by_bits(buf, n, mask, label_rows, NROWS(label_rows));
    for (size_t i = 0; i < NROWS(set_rows); i++)
        if (set_rows[i].value == mask)
            return ts_put(buf, n, 0, set_rows[i].text);
    return by_bits(buf, n, mask, bit_rows, NROWS(bit_rows));
}

size_t toksim_sddl_format_rights(char *buf, size_t n, uint32_t mask)
{
    return ts_sddl_format_ace_rights(buf, n, TOKSIM_ACE_ACCESS_ALLOWED, mask);
}

static void put_sid(ts_buf *b, const toksim_sid *sid, const toksim_sid_context *ctx)
{
    const toksim_wellknown *w = toksim_wellknown_by_sid(sid, ctx);
    if (w && w->alias && w->alias[0]) {
        ts_buf_append(b, w->alias);
        return;
    }
    char tmp[TOKSIM_SID_STRING_MAX];
    toksim_sid_format(tmp, sizeof tmp, sid);
    ts_buf_append(b, tmp);
}

static toksim_status
put_ace(ts_buf *b, const toksim_ace *ace, const toksim_sid_context *ctx)
{
    const char *type = NULL;
    for (size_t i = 0; i < NROWS(type_rows); i++)
        if (type_rows[i].value == ace->type)
            type = type_rows[i].text;
    if (!type)
        return TOKSIM_EUNSUPPORTED; /* e.g. 0x0C: SDDL has no letters for it */
    ts_buf_append(b, "(");
    ts_buf_append(b, type);
    ts_buf_append(b, ";");
    for (size_t i = 0; i < NROWS(flag_rows); i++) {
        if (!(ace->flags & flag_rows[i].value))
            continue;
        bool tp = strcmp(flag_rows[i].text, "TP") == 0,
             sa = strcmp(flag_rows[i].text, "SA") == 0;
        if ((tp && ace->type != TS_ACE_ACCESS_FILTER) ||
            (sa && ace->type == TS_ACE_ACCESS_FILTER))
            continue;
        ts_buf_append(b, flag_rows[i].text);
    }
    char rights[160];
    ts_sddl_format_ace_rights(rights, sizeof rights, ace->type, ace->mask);
    ts_buf_printf(b, ";%s;", rights);
    char g[37];
    if (ts_ace_type_is_object(ace->type) &&
        (ace->object_flags & TOKSIM_ACE_OBJECT_TYPE_PRESENT)) {
        ts_guid_format(g, ace->object_type);
        ts_buf_append(b, g);
    }
    ts_buf_append(b, ";");
    if (ts_ace_type_is_object(ace->type) &&
        (ace->object_flags & TOKSIM_ACE_INHERITED_OBJECT_TYPE_PRESENT)) {
        ts_guid_format(g, ace->inherited_object_type);
        ts_buf_append(b, g);
    }
    ts_buf_append(b, ";");
    put_sid(b, &ace->sid, ctx);
    if (ace->sddl_extra) {
        ts_buf_printf(b, ";(%s)", ace->sddl_extra);
    } else if (ace->app_data_len && ts_ace_type_is_callback(ace->type)) {
        char *text = NULL;
        toksim_status rc =
            ts_cond_decompile(&text, ace->app_data, ace->app_data_len, NULL);
        if (rc)
            return rc;
        ts_buf_printf(b, ";(%s)", text);
        free(text);
    } else if (ace->type == TOKSIM_ACE_SYSTEM_RESOURCE_ATTRIBUTE) {
        char *text = NULL;
        toksim_status rc =
            ts_claim_decompile(&text, ace->app_data, ace->app_data_len, NULL);
        if (rc)
            return rc;
        ts_buf_printf(b, ";(%s)", text);
        free(text);
    }
    ts_buf_append(b, ")");
    return TOKSIM_OK;
}

static toksim_status put_acl(ts_buf *b,
                             const toksim_acl *acl,
                             uint16_t control,
                             bool sacl,
                             const toksim_sid_context *ctx)
{
    ts_buf_append(b, sacl ? "S:" : "D:");
    if (control & (sacl ? TOKSIM_SE_SACL_PROTECTED : TOKSIM_SE_DACL_PROTECTED))
        ts_buf_append(b, "P");
    if (control &
        (sacl ? TOKSIM_SE_SACL_AUTO_INHERIT_REQ : TOKSIM_SE_DACL_AUTO_INHERIT_REQ))
        ts_buf_append(b, "AR");
    if (control & (sacl ? TOKSIM_SE_SACL_AUTO_INHERITED : TOKSIM_SE_DACL_AUTO_INHERITED))
        ts_buf_append(b, "AI");
    if (!acl) {
        ts_buf_append(b, "NO_ACCESS_CONTROL");
        return TOKSIM_OK;
    }
    for (size_t i = 0; i < acl->count; i++) {
        /* an audit or alarm ACE in a DACL (binary allows it): the SDDL would be one the
         * parser, like Windows, refuses (Samba windows/windows_is_fussy.txt) */
        if (!sacl && (acl->aces[i].type == TOKSIM_ACE_SYSTEM_AUDIT ||
                      acl->aces[i].type == TOKSIM_ACE_SYSTEM_ALARM))
            return TOKSIM_EUNSUPPORTED;
        toksim_status rc = put_ace(b, &acl->aces[i], ctx);
        if (rc)
            return rc;
    }
    return TOKSIM_OK;
}

toksim_status
toksim_sd_to_sddl(char **out, const toksim_sd *sd, const toksim_sid_context *ctx)
{
    if (!out || !sd)
        return TOKSIM_EINVAL;
    *out = NULL;
    ts_buf b = {0};
    toksim_status rc = TOKSIM_OK;
    if (sd->has_owner) {
        ts_buf_append(&b, "O:");
        put_sid(&b, &sd->owner, ctx);
    }
    if (sd->has_group) {
        ts_buf_append(&b, "G:");
        put_sid(&b, &sd->group, ctx);
    }
    if (sd->control & TOKSIM_SE_DACL_PRESENT)
        rc = put_acl(&b, sd->dacl, sd->control, false, ctx);
    if (!rc && (sd->control & TOKSIM_SE_SACL_PRESENT))
        rc = put_acl(&b, sd->sacl, sd->control, true, ctx);
    if (!rc && !b.data)
        ts_buf_append(&b, ""); /* the empty descriptor is "" (Wine test) */
    if (rc) {
        ts_buf_dispose(&b);
        return rc;
    }
    char *s = ts_buf_take(&b);
    if (!s)
        return TOKSIM_ENOMEM;
    *out = s;
    return TOKSIM_OK;
}
