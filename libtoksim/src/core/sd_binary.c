/*
 * PURPOSE: the self-relative binary security descriptor (MS-DTYP 2.4.6
 * SECURITY_DESCRIPTOR, 2.4.5 ACL, 2.4.4.x ACE layouts) in both directions.
 *
 * Writing follows what Windows produces
 * (ConvertStringSecurityDescriptorToSecurityDescriptor, MakeSelfRelativeSD): 20-byte
 * header, then SACL, DACL, owner, group (MS-DTYP 2.4.6 footnote; real registry values
 * such as HKLM\SOFTWARE\Microsoft\Ole\DefaultLaunchPermission have the DACL at 0x14 and
 * owner/group after it); SE_SELF_RELATIVE set; ACL revision 2, or 4 (ACL_REVISION_DS)
 * when an object ACE is present; every ACE padded to a multiple of 4 bytes. Callback ACEs
 * carry their application data (conditional expressions, MS-DTYP 2.4.4.17) byte for byte;
 * a condition known only as SDDL text is compiled by sddl_cond.c.
 *
 * Reading treats the bytes as hostile: every offset, size and count is checked against
 * the buffer and the caps of sd.h, and errors name the byte offset. Unknown ACE types
 * (and the compound ACE 0x04) are refused with TOKSIM_EUNSUPPORTED rather than carried
 * opaquely.
 */
#include <stdlib.h>
#include <string.h>
#include "sddl_int.h"

bool ts_ace_type_known(uint8_t t)
{
    return t <= TS_ACE_TYPE_MAX && t != 0x04;
}

bool ts_ace_type_is_object(uint8_t t)
{
    return (t >= 0x05 && t <= 0x08) || t == 0x0B || t == 0x0C || t == 0x0F || t == 0x10;
}

bool ts_ace_type_is_callback(uint8_t t)
{
    return (t >= 0x09 && t <= 0x10) || t == TS_ACE_ACCESS_FILTER;
}

static void wr16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- encoding ---- */

/* Bytes of one ACE body after the header and mask, and the condition to append (compiled
 * or borrowed). */
typedef struct ace_plan {
    size_t size;
    const uint8_t *extra;
    size_t extra_len;
    uint8_t *owned; /* compiled condition, freed by the caller */
} ace_plan;

static toksim_status plan_ace(ace_plan *pl, const toksim_ace *ace)
{
    memset(pl, 0, sizeof *pl);
    size_t n = 8;
    if (ts_ace_type_is_object(ace->type)) {
        n += 4;
        if (ace->object_flags & TOKSIM_ACE_OBJECT_TYPE_PRESENT)
            n += 16;
        if (ace->object_flags & TOKSIM_ACE_INHERITED_OBJECT_TYPE_PRESENT)
            n += 16;
    }
    n += 8 + 4 * (size_t)ace->sid.count;
    if (ace->app_data_len) {
        pl->extra = ace->app_data;
        pl->extra_len = ace->app_data_len;
    } else if (ace->sddl_extra) {
        toksim_status rc;
        if (ace->type == TOKSIM_ACE_SYSTEM_RESOURCE_ATTRIBUTE)
            rc = ts_claim_compile(&pl->owned, &pl->extra_len, ace->sddl_extra,
                                  strlen(ace->sddl_extra), 0, NULL);
        else if (ts_ace_type_is_callback(ace->type))
            rc = ts_cond_compile(&pl->owned, &pl->extra_len, ace->sddl_extra,
                                 strlen(ace->sddl_extra), 0, NULL);
        else
            rc = TOKSIM_EUNSUPPORTED;
        if (rc)
            return rc;
        pl->extra = pl->owned;
    }
    n += pl->extra_len;
    n = (n + 3) & ~(size_t)3;
    if (n > 0xFFFF) {
        free(pl->owned);
        return TOKSIM_ELIMIT;
    }
    pl->size = n;
    return TOKSIM_OK;
}

static size_t write_ace(uint8_t *p, const toksim_ace *ace, const ace_plan *pl)
{
    memset(p, 0, pl->size);
    p[0] = ace->type;
    p[1] = ace->flags;
    wr16(p + 2, (uint32_t)pl->size);
    wr32(p + 4, ace->mask);
    size_t q = 8;
    if (ts_ace_type_is_object(ace->type)) {
        uint32_t of = ace->object_flags & (TOKSIM_ACE_OBJECT_TYPE_PRESENT |
                                           TOKSIM_ACE_INHERITED_OBJECT_TYPE_PRESENT);
        wr32(p + q, of);
        q += 4;
        if (of & TOKSIM_ACE_OBJECT_TYPE_PRESENT) {
            memcpy(p + q, ace->object_type, 16);
            q += 16;
        }
        if (of & TOKSIM_ACE_INHERITED_OBJECT_TYPE_PRESENT) {
            memcpy(p + q, ace->inherited_object_type, 16);
            q += 16;
        }
    }
    q += toksim_sid_to_binary(p + q, pl->size - q, &ace->sid);
    if (pl->extra_len)
        memcpy(p + q, pl->extra, pl->extra_len);
    return pl->size;
}

/* Encode an ACL into a fresh buffer. */
static toksim_status encode_acl(uint8_t **out, size_t *len, const toksim_acl *acl)
{
    size_t total = 8;
    bool object = false;
    ace_plan *plans = acl->count ? ts_calloc(acl->count, sizeof *plans) : NULL;
    if (acl->count && !plans)
        return TOKSIM_ENOMEM;
    toksim_status rc = TOKSIM_OK;
    size_t i;
    for (i = 0; i < acl->count; i++) {
        if ((rc = plan_ace(&plans[i], &acl->aces[i])))
            break;
        total += plans[i].size;
        object |= ts_ace_type_is_object(acl->aces[i].type);
    }
    if (!rc && total > 0xFFFF)
        rc = TOKSIM_ELIMIT; /* AclSize is 16 bits (MS-DTYP 2.4.5) */
    uint8_t *b = rc ? NULL : malloc(total);
    if (!rc && !b)
        rc = TOKSIM_ENOMEM;
    if (!rc) {
        uint8_t rev = (acl->revision >= 2 && acl->revision <= 4) ? acl->revision : 2;
        if (object && rev < 4)
            rev = 4; /* ACL_REVISION_DS (MS-DTYP 2.4.5) */
        b[0] = rev;
        b[1] = 0;
        wr16(b + 2, (uint32_t)total);
        wr16(b + 4, (uint32_t)acl->count);
        wr16(b + 6, 0);
        size_t at = 8;
        for (size_t k = 0; k < acl->count; k++)
            at += write_ace(b + at, &acl->aces[k], &plans[k]);
        *out = b;
        *len = total;
    }
    for (size_t k = 0; k < i && k < acl->count; k++)
        free(plans[k].owned);
    free(plans);
    return rc;
}

toksim_status toksim_sd_to_binary(uint8_t **out, size_t *len, const toksim_sd *sd)
{
    if (!out || !len || !sd)
        return TOKSIM_EINVAL;
    *out = NULL;
    *len = 0;
    uint8_t *acl_bytes[2] = {NULL, NULL}; /* SACL, DACL */
    size_t acl_len[2] = {0, 0};
    const toksim_acl *acls[2] = {(sd->control & TOKSIM_SE_SACL_PRESENT) ? sd->sacl : NULL,
                                 (sd->control & TOKSIM_SE_DACL_PRESENT) ? sd->dacl
                                                                        : NULL};
    toksim_status rc = TOKSIM_OK;
    for (int i = 0; i < 2 && !rc; i++)
        if (acls[i])
            rc = encode_acl(&acl_bytes[i], &acl_len[i], acls[i]);
    size_t owner_len = sd->has_owner ? 8 + 4 * (size_t)sd->owner.count : 0;
    size_t group_len = sd->has_group ? 8 + 4 * (size_t)sd->group.count : 0;
    size_t total = 20 + acl_len[0] + acl_len[1] + owner_len + group_len;
    uint8_t *b = NULL;
    if (!rc && total > TOKSIM_SD_BINARY_MAX)
        rc = TOKSIM_ELIMIT;
    if (!rc && !(b = calloc(1, total)))
        rc = TOKSIM_ENOMEM;
    if (!rc) {
        uint16_t control = (uint16_t)(sd->control | TOKSIM_SE_SELF_RELATIVE);
        b[0] = 1; /* SECURITY_DESCRIPTOR_REVISION */
        wr16(b + 2, control);
        size_t at = 20;
        /* Header fields: Owner @4, Group @8, Sacl @12, Dacl @16; body order SACL, DACL,
         * owner, group. */
        for (int i = 0; i < 2; i++) {
            if (!acl_bytes[i])
                continue;
            wr32(b + (i == 0 ? 12 : 16), (uint32_t)at);
            memcpy(b + at, acl_bytes[i], acl_len[i]);
            at += acl_len[i];
        }
        if (sd->has_owner) {
            wr32(b + 4, (uint32_t)at);
            at += toksim_sid_to_binary(b + at, owner_len, &sd->owner);
        }
        if (sd->has_group) {
            wr32(b + 8, (uint32_t)at);
            at += toksim_sid_to_binary(b + at, group_len, &sd->group);
        }
        *out = b;
        *len = total;
    }
    free(acl_bytes[0]);
    free(acl_bytes[1]);
    return rc;
}

/* ---- decoding ---- */

static toksim_status
check_offset(uint32_t off, size_t field, const char *what, size_t len, toksim_error *err)
{
    if (off < 20)
        return ts_error_set(
            err, TOKSIM_EPARSE, field,
            "%s offset 0x%x (field at byte %zu) points into the 20-byte header", what,
            off, field);
    if (off >= len)
        return ts_error_set(err, TOKSIM_EPARSE, field,
                            "%s offset 0x%x (field at byte %zu) points past the end of "
                            "the %zu-byte descriptor",
                            what, off, field, len);
    if (off % 4)
        return ts_error_set(err, TOKSIM_EPARSE, field,
                            "%s offset 0x%x (field at byte %zu) is not 4-byte aligned",
                            what, off, field);
    return TOKSIM_OK;
}

static toksim_status read_sid_at(toksim_sid *sid,
                                 const uint8_t *buf,
                                 size_t len,
                                 size_t off,
                                 size_t limit,
                                 size_t *used,
                                 toksim_error *err)
{
    toksim_status rc = toksim_sid_from_binary(sid, buf + off, limit - off, used, err);
    if (rc && err)
        err->offset += off;
    (void)len;
    return rc;
}

static toksim_status decode_ace(toksim_acl *acl,
                                const uint8_t *buf,
                                size_t len,
                                size_t p,
                                size_t size,
                                size_t idx,
                                toksim_error *err)
{
    toksim_ace ace;
    memset(&ace, 0, sizeof ace);
    ace.type = buf[p];
    ace.flags = buf[p + 1];
    if (!ts_ace_type_known(ace.type))
        return ts_error_set(
            err, TOKSIM_EUNSUPPORTED, p,
            "ACE %zu at offset %zu has type 0x%02x, which toksim does not model", idx, p,
            ace.type);
    size_t end = p + size, q = p + 8;
    if (size < 8)
        return ts_error_set(err, TOKSIM_EPARSE, p + 2,
                            "ACE %zu at offset %zu: size %zu is too small for a mask",
                            idx, p, size);
    ace.mask = ts_rd32le(buf + p + 4);
    if (ts_ace_type_is_object(ace.type)) {
        if (q + 4 > end)
            return ts_error_set(
                err, TOKSIM_EPARSE, q,
                "object ACE %zu at offset %zu: no room for its Flags field", idx, p);
        uint32_t of = ts_rd32le(buf + q);
        if (of & ~3u)
            return ts_error_set(
                err, TOKSIM_EPARSE, q,
                "object ACE %zu: Flags 0x%x at offset %zu (only 0x1 and 0x2 are defined)",
                idx, of, q);
        ace.object_flags = of;
        q += 4;
        for (int g = 0; g < 2; g++) {
            if (!(of & (g ? 2u : 1u)))
                continue;
            if (q + 16 > end)
                return ts_error_set(
                    err, TOKSIM_EPARSE, q,
                    "object ACE %zu: GUID at offset %zu runs past the ACE", idx, q);
            memcpy(g ? ace.inherited_object_type : ace.object_type, buf + q, 16);
            q += 16;
        }
    }
    size_t used = 0;
    toksim_status rc = read_sid_at(&ace.sid, buf, len, q, end, &used, err);
    if (rc)
        return rc;
    q += used;
    if (q < end) {
        /* Application data (callback conditions, claim attributes) or slack: kept byte
         * for byte. */
        ace.app_data_len = end - q;
        if (!(ace.app_data = malloc(ace.app_data_len)))
            return TOKSIM_ENOMEM;
        memcpy(ace.app_data, buf + q, ace.app_data_len);
    }
    rc = toksim_acl_add_ace(acl, &ace);
    free(ace.app_data);
    return rc;
}

static toksim_status decode_acl(toksim_acl **out,
                                const uint8_t *buf,
                                size_t len,
                                uint32_t off,
                                const char *what,
                                toksim_error *err)
{
    if ((size_t)off + 8 > len)
        return ts_error_set(err, TOKSIM_EPARSE, off,
                            "%s at offset %u: the 8-byte ACL header runs past the end",
                            what, off);
    uint8_t rev = buf[off];
    uint16_t size = ts_rd16le(buf + off + 2), count = ts_rd16le(buf + off + 4);
    if (rev < 2 || rev > 4)
        return ts_error_set(err, TOKSIM_EPARSE, off,
                            "%s at offset %u: ACL revision %u (expected 2 or 4)", what,
                            off, rev);
    if (size < 8 || size % 4)
        return ts_error_set(
            err, TOKSIM_EPARSE, (size_t)off + 2,
            "%s at offset %u: AclSize %u is not a multiple of 4 of at least 8", what, off,
            size);
    if ((size_t)off + size > len)
        return ts_error_set(err, TOKSIM_EPARSE, (size_t)off + 2,
                            "%s at offset %u claims %u bytes but only %zu remain", what,
                            off, size, len - off);
    if (count > TOKSIM_ACL_MAX_ACES)
        return ts_error_set(err, TOKSIM_ELIMIT, (size_t)off + 4,
                            "%s at offset %u claims %u ACEs (maximum %u)", what, off,
                            count, TOKSIM_ACL_MAX_ACES);
    toksim_acl *acl;
    if (toksim_acl_new(&acl))
        return TOKSIM_ENOMEM;
    size_t p = (size_t)off + 8, end = (size_t)off + size;
    toksim_status rc = TOKSIM_OK;
    for (size_t i = 0; i < count && !rc; i++) {
        if (p + 4 > end) {
            rc = ts_error_set(
                err, TOKSIM_EPARSE, p,
                "%s: ACE %zu of %u at offset %zu starts past the end of the ACL", what, i,
                count, p);
            break;
        }
        size_t asz = ts_rd16le(buf + p + 2);
        if (asz < 4 || asz % 4 || p + asz > end) {
            rc = ts_error_set(err, TOKSIM_EPARSE, p + 2,
                              "%s: ACE %zu at offset %zu has AceSize %zu (needs a "
                              "multiple of 4 that fits the ACL)",
                              what, i, p, asz);
            break;
        }
        rc = decode_ace(acl, buf, len, p, asz, i, err);
        p += asz;
    }
    if (rc) {
        toksim_acl_free(acl);
        return rc;
    }
    acl->revision = rev;
    *out = acl;
    return TOKSIM_OK;
}

toksim_status
toksim_sd_from_binary(toksim_sd **out, const uint8_t *buf, size_t len, toksim_error *err)
{
    if (!out || (!buf && len))
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no descriptor bytes given");
    *out = NULL;
    if (len > TOKSIM_SD_BINARY_MAX)
        return ts_error_set(err, TOKSIM_ELIMIT, TOKSIM_SD_BINARY_MAX,
                            "descriptor larger than %u bytes", TOKSIM_SD_BINARY_MAX);
    if (len < 20)
        return ts_error_set(
            err, TOKSIM_EPARSE, len,
            "a self-relative descriptor needs at least 20 bytes, %zu given", len);
    if (buf[0] != 1)
        return ts_error_set(err, TOKSIM_EPARSE, 0,
                            "descriptor revision %u at offset 0, expected 1", buf[0]);
    uint16_t control = ts_rd16le(buf + 2);
    if (!(control & TOKSIM_SE_SELF_RELATIVE))
        return ts_error_set(err, TOKSIM_EPARSE, 2,
                            "control 0x%04x at offset 2 lacks SE_SELF_RELATIVE (0x8000): "
                            "an absolute descriptor holds "
                            "pointers, not offsets",
                            control);
    toksim_sd *sd;
    if (toksim_sd_new(&sd))
        return TOKSIM_ENOMEM;
    sd->control = control;
    static const char *const names[4] = {"owner", "group", "SACL", "DACL"};
    toksim_status rc = TOKSIM_OK;
    for (int i = 0; i < 4 && !rc; i++) {
        uint32_t off = ts_rd32le(buf + 4 + 4 * i);
        bool present =
            i < 2 ||
            (control & (i == 2 ? TOKSIM_SE_SACL_PRESENT : TOKSIM_SE_DACL_PRESENT));
        if (!present || off == 0)
            continue; /* an ACL offset without its *_PRESENT bit is ignored, as Windows
                         ignores it */
        if ((rc = check_offset(off, 4 + 4 * (size_t)i, names[i], len, err)))
            break;
        if (i < 2) {
            rc = read_sid_at(i == 0 ? &sd->owner : &sd->group, buf, len, off, len, NULL,
                             err);
            if (!rc)
                *(i == 0 ? &sd->has_owner : &sd->has_group) = true;
        } else {
            rc = decode_acl(i == 2 ? &sd->sacl : &sd->dacl, buf, len, off, names[i], err);
        }
    }
    if (rc) {
        toksim_sd_free(sd);
        return rc;
    }
    *out = sd;
    return TOKSIM_OK;
}
