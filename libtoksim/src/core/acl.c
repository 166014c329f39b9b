/*
 * PURPOSE: lifecycle of security descriptors, ACLs and ACEs: create, copy, append,
 * compare, free. Parsing and formatting are in sddl.c and sd_binary.c.
 */
#include <stdlib.h>
#include <string.h>
#include "access_int.h" /* ts_ace_key: the per-ACE records of the access check */

static void ace_dispose(toksim_ace *ace)
{
    free(ace->app_data);
    free(ace->sddl_extra);
    ace->app_data = NULL;
    ace->sddl_extra = NULL;
}

/* Deep-copy src into dst (dst is uninitialised). */
static toksim_status ace_copy(toksim_ace *dst, const toksim_ace *src)
{
    *dst = *src;
    dst->app_data = NULL;
    dst->sddl_extra = NULL;
    if (src->app_data_len) {
        dst->app_data = malloc(src->app_data_len);
        if (!dst->app_data)
            return TOKSIM_ENOMEM;
        memcpy(dst->app_data, src->app_data, src->app_data_len);
    }
    if (src->sddl_extra && !(dst->sddl_extra = ts_strdup(src->sddl_extra))) {
        ace_dispose(dst);
        return TOKSIM_ENOMEM;
    }
    return TOKSIM_OK;
}

toksim_status toksim_acl_new(toksim_acl **out)
{
    if (!out)
        return TOKSIM_EINVAL;
    toksim_acl *acl = ts_calloc(1, sizeof *acl);
    if (!acl)
        return TOKSIM_ENOMEM;
    acl->revision = 2; /* ACL_REVISION */
    *out = acl;
    return TOKSIM_OK;
}

void toksim_acl_free(toksim_acl *acl)
{
    if (!acl)
        return;
    for (size_t i = 0; i < acl->count; i++)
        ace_dispose(&acl->aces[i]);
    free(acl->aces);
    free(acl->keys);
    free(acl);
}

toksim_status toksim_acl_add_ace(toksim_acl *acl, const toksim_ace *ace)
{
    if (!acl || !ace)
        return TOKSIM_EINVAL;
    if (acl->count >= TOKSIM_ACL_MAX_ACES)
        return TOKSIM_ELIMIT;
    size_t oldcap = acl->capacity;
    if (acl->count == acl->capacity) {
        /* from 4 ACEs, doubling: a token's default DACL has two or three, and each ACE
         * is 136 bytes (issue 11: memory is page faults) */
        size_t cap = acl->capacity ? 2 * acl->capacity : 4;
        toksim_ace *v = realloc(acl->aces, cap * sizeof *v);
        if (!v)
            return TOKSIM_ENOMEM;
        acl->aces = v;
        acl->capacity = cap;
    }
    /* The records hold `capacity` + 1 entries while they are in step (keys_count ==
     * count; the one past the last record is the tail, ts_ace_key_tail); an ACL whose
     * records are not in step is left so (the access check copes). */
    bool keyed = acl->keys_count == acl->count;
    if (keyed && (!acl->keys || acl->capacity != oldcap)) {
        ts_ace_key *k = realloc(acl->keys, (acl->capacity + 1) * sizeof *k);
        if (!k)
            return TOKSIM_ENOMEM; /* nothing appended: the ACL is unchanged */
        if (!acl->keys)           /* in step without records: the ACL is empty */
            ts_ace_key_tail(&k[0], 0);
        acl->keys = k;
    }
    toksim_status rc = ace_copy(&acl->aces[acl->count], ace);
    if (rc)
        return rc;
    if (keyed) {
        size_t plain = acl->keys[acl->count].mask; /* the tail, about to move */
        ts_ace_key_fill(&acl->keys[acl->count], &acl->aces[acl->count]);
        ts_ace_key_tail(&acl->keys[acl->count + 1],
                        ts_ace_key_plain(acl->keys, acl->count + 1, plain));
        acl->keys_count = acl->count + 1;
    }
    /* ACL_REVISION_DS is required once an object ACE is present (MS-DTYP 2.4.5), callback
     * object ACEs (0x0B, 0x0C, 0x0F, 0x10) included. */
    if ((ace->type >= TOKSIM_ACE_ACCESS_ALLOWED_OBJECT &&
         ace->type <= TOKSIM_ACE_SYSTEM_ALARM_OBJECT) ||
        ace->type == TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT ||
        ace->type == TOKSIM_ACE_ACCESS_DENIED_CALLBACK_OBJECT ||
        ace->type == TOKSIM_ACE_SYSTEM_AUDIT_CALLBACK_OBJECT ||
        ace->type == TOKSIM_ACE_SYSTEM_ALARM_CALLBACK_OBJECT)
        acl->revision = 4;
    acl->count++;
    return TOKSIM_OK;
}

toksim_status toksim_acl_sync(toksim_acl *acl)
{
    if (!acl || (acl->count && !acl->aces))
        return TOKSIM_EINVAL;
    size_t n = acl->capacity > acl->count ? acl->capacity : acl->count;
    free(acl->keys);
    acl->keys = NULL;
    acl->keys_count = 0;
    if (!n)
        return TOKSIM_OK;
    ts_ace_key *k = malloc((n + 1) * sizeof *k);
    if (!k)
        return TOKSIM_ENOMEM;
    size_t plain = 0;
    for (size_t i = 0; i < acl->count; i++) {
        ts_ace_key_fill(&k[i], &acl->aces[i]);
        plain = ts_ace_key_plain(k, i + 1, plain);
    }
    ts_ace_key_tail(&k[acl->count], plain);
    acl->keys = k;
    acl->keys_count = acl->count;
    return TOKSIM_OK;
}

toksim_status toksim_acl_add(
    toksim_acl *acl, uint8_t type, uint8_t flags, uint32_t mask, const toksim_sid *sid)
{
    if (!sid)
        return TOKSIM_EINVAL;
    toksim_ace ace;
    memset(&ace, 0, sizeof ace);
    ace.type = type;
    ace.flags = flags;
    ace.mask = mask;
    ace.sid = *sid;
    return toksim_acl_add_ace(acl, &ace);
}

toksim_status toksim_acl_copy(toksim_acl **out, const toksim_acl *src)
{
    if (!out || !src)
        return TOKSIM_EINVAL;
    toksim_acl *acl;
    toksim_status rc = toksim_acl_new(&acl);
    if (rc)
        return rc;
    /* exactly as many ACEs as the source (a token copy copies its default DACL) */
    if (src->count && !(acl->aces = malloc(src->count * sizeof *acl->aces))) {
        toksim_acl_free(acl);
        return TOKSIM_ENOMEM;
    }
    acl->capacity = src->count;
    for (size_t i = 0; i < src->count; i++) {
        if ((rc = toksim_acl_add_ace(acl, &src->aces[i]))) {
            toksim_acl_free(acl);
            return rc;
        }
    }
    acl->revision = src->revision;
    *out = acl;
    return TOKSIM_OK;
}

static bool ace_equal(const toksim_ace *a, const toksim_ace *b)
{
    if (a->type != b->type || a->flags != b->flags || a->mask != b->mask ||
        !toksim_sid_equal(&a->sid, &b->sid) || a->object_flags != b->object_flags ||
        a->app_data_len != b->app_data_len)
        return false;
    if ((a->object_flags & TOKSIM_ACE_OBJECT_TYPE_PRESENT) &&
        memcmp(a->object_type, b->object_type, 16) != 0)
        return false;
    if ((a->object_flags & TOKSIM_ACE_INHERITED_OBJECT_TYPE_PRESENT) &&
        memcmp(a->inherited_object_type, b->inherited_object_type, 16) != 0)
        return false;
    if (a->app_data_len && memcmp(a->app_data, b->app_data, a->app_data_len) != 0)
        return false;
    if ((a->sddl_extra == NULL) != (b->sddl_extra == NULL))
        return false;
    return !a->sddl_extra || strcmp(a->sddl_extra, b->sddl_extra) == 0;
}

static bool acl_equal(const toksim_acl *a, const toksim_acl *b)
{
    if (!a || !b)
        return a == b;
    if (a->count != b->count)
        return false;
    for (size_t i = 0; i < a->count; i++)
        if (!ace_equal(&a->aces[i], &b->aces[i]))
            return false;
    return true;
}

toksim_status toksim_sd_new(toksim_sd **out)
{
    if (!out)
        return TOKSIM_EINVAL;
    toksim_sd *sd = ts_calloc(1, sizeof *sd);
    if (!sd)
        return TOKSIM_ENOMEM;
    *out = sd;
    return TOKSIM_OK;
}

void toksim_sd_free(toksim_sd *sd)
{
    if (!sd)
        return;
    toksim_acl_free(sd->dacl);
    toksim_acl_free(sd->sacl);
    free(sd);
}

toksim_status toksim_sd_copy(toksim_sd **out, const toksim_sd *src)
{
    if (!out || !src)
        return TOKSIM_EINVAL;
    toksim_sd *sd;
    toksim_status rc = toksim_sd_new(&sd);
    if (rc)
        return rc;
    *sd = *src;
    sd->dacl = sd->sacl = NULL;
    if ((src->dacl && (rc = toksim_acl_copy(&sd->dacl, src->dacl))) ||
        (src->sacl && (rc = toksim_acl_copy(&sd->sacl, src->sacl)))) {
        toksim_sd_free(sd);
        return rc;
    }
    *out = sd;
    return TOKSIM_OK;
}

bool toksim_sd_equal(const toksim_sd *a, const toksim_sd *b)
{
    /* SE_SELF_RELATIVE only records the storage form, not the content. */
    if ((a->control & ~TOKSIM_SE_SELF_RELATIVE) !=
        (b->control & ~TOKSIM_SE_SELF_RELATIVE))
        return false;
    if (a->has_owner != b->has_owner ||
        (a->has_owner && !toksim_sid_equal(&a->owner, &b->owner)))
        return false;
    if (a->has_group != b->has_group ||
        (a->has_group && !toksim_sid_equal(&a->group, &b->group)))
        return false;
    return acl_equal(a->dacl, b->dacl) && acl_equal(a->sacl, b->sacl);
}
