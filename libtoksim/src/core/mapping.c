/*
 * PURPOSE: generic mappings per object type (MapGenericMask) and access masks as people
 * write them: SDDL aliases ("FR", "RCWD"), numbers, or winnt.h names joined with '|'
 * ("FILE_READ_DATA|SYNCHRONIZE", "GENERIC_READ", "MAXIMUM_ALLOWED", "KEY_READ",
 * "WBEM_ENABLE"). The values live in mapping.inc; this file only looks them up.
 */
#include <stdio.h>
#include <string.h>
#include "sddl_int.h"

typedef struct obj_row {
    toksim_object_type type;
    const char *name;
    toksim_generic_mapping map;
} obj_row;

static const obj_row objs[] = {
#define TS_OBJ(e, n, r, w, x, a) {e, n, {r, w, x, a}},
#include "mapping.inc"
};

typedef struct name_row {
    toksim_object_type type;
    const char *name;
    size_t len; /* strlen(name), compared first (issue 11: scenarios parse masks often) */
    uint32_t value;
} name_row;

static const name_row names[] = {
#define TS_RIGHT(e, n, v) {e, n, sizeof(n) - 1, v},
#include "mapping.inc"
};

#define NOBJS  (sizeof objs / sizeof objs[0])
#define NNAMES (sizeof names / sizeof names[0])

static const obj_row *obj_of(toksim_object_type t)
{
    if ((size_t)t < NOBJS && objs[t].type == t) /* rows in enum order: one load */
        return &objs[t];
    for (size_t i = 0; i < NOBJS; i++)
        if (objs[i].type == t)
            return &objs[i];
    return NULL;
}

const toksim_generic_mapping *toksim_object_mapping(toksim_object_type type)
{
    const obj_row *o = obj_of(type);
    return o ? &o->map : NULL;
}

const char *toksim_object_type_name(toksim_object_type type)
{
    const obj_row *o = obj_of(type);
    return o ? o->name : NULL;
}

toksim_status toksim_object_type_parse(toksim_object_type *out, const char *name)
{
    static const struct {
        const char *alias;
        toksim_object_type type;
    } extra[] = {{"registry", TOKSIM_OBJ_KEY},
                 {"dir", TOKSIM_OBJ_DIRECTORY},
                 {"folder", TOKSIM_OBJ_DIRECTORY},
                 {"namedpipe", TOKSIM_OBJ_PIPE},
                 {"scm", TOKSIM_OBJ_SCMANAGER},
                 {"namespace", TOKSIM_OBJ_WMI_NAMESPACE},
                 {"wmi_namespace", TOKSIM_OBJ_WMI_NAMESPACE}};
    if (!out || !name)
        return TOKSIM_EINVAL;
    for (size_t i = 0; i < NOBJS; i++)
        if (ts_strcasecmp(name, objs[i].name) == 0) {
            *out = objs[i].type;
            return TOKSIM_OK;
        }
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (ts_strcasecmp(name, extra[i].alias) == 0) {
            *out = extra[i].type;
            return TOKSIM_OK;
        }
    return TOKSIM_ENOTFOUND;
}

uint32_t toksim_map_generic(uint32_t mask, const toksim_generic_mapping *map)
{
    /* MapGenericMask: OR in the mapped rights, then clear the four generic bits. */
    if (!map)
        return mask;
    if (mask & TOKSIM_GENERIC_READ)
        mask |= map->read;
    if (mask & TOKSIM_GENERIC_WRITE)
        mask |= map->write;
    if (mask & TOKSIM_GENERIC_EXECUTE)
        mask |= map->execute;
    if (mask & TOKSIM_GENERIC_ALL)
        mask |= map->all;
    return mask & ~TOKSIM_GENERIC_MASK;
}

/* Name rows consulted for type t, in priority order: its own, FILE for directories and
 * pipes, common. */
static bool row_in_pass(const name_row *r, toksim_object_type t, int pass)
{
    if (pass == 0)
        return r->type == t && t != TOKSIM_OBJ_GENERIC;
    if (pass == 1)
        return r->type == TOKSIM_OBJ_FILE &&
               (t == TOKSIM_OBJ_DIRECTORY || t == TOKSIM_OBJ_PIPE);
    return r->type == TOKSIM_OBJ_GENERIC;
}

static bool is_single_bit(uint32_t v)
{
    return v && !(v & (v - 1));
}

static bool lookup_name(uint32_t *v, const char *s, size_t n, toksim_object_type t)
{
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < NNAMES; i++)
            if (names[i].len == n && row_in_pass(&names[i], t, pass) &&
                ts_strncasecmp(names[i].name, s, n) == 0) {
                *v = names[i].value;
                return true;
            }
    return false;
}

/* A number (0x hex, 0 octal, else decimal) above 32 bits? */
static bool number_too_big(const char *t, size_t n)
{
    unsigned radix = 10;
    size_t i = 0;
    if (n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        radix = 16;
        i = 2;
    } else if (n > 1 && t[0] == '0') {
        radix = 8;
    }
    uint64_t v = 0;
    for (; i < n; i++) {
        int d = ts_hex_digit(t[i]);
        if (d < 0 || (unsigned)d >= radix)
            return false; /* not a plain number: the parser explains */
        v = v * radix + (unsigned)d;
        if (v > 0xFFFFFFFFu)
            return true;
    }
    return false;
}

toksim_status toksim_access_mask_parse(uint32_t *out,
                                       const char *text,
                                       toksim_object_type type,
                                       toksim_error *err)
{
    if (!out || !text)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no access mask given");
    const obj_row *o = obj_of(type);
    if (!o)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "unknown object type %d", (int)type);
    size_t len = strnlen(text, 4097);
    if (len > 4096)
        return ts_error_set(err, TOKSIM_ELIMIT, 4096,
                            "access mask text longer than 4096 characters");
    uint32_t mask = 0;
    size_t i = 0;
    for (;;) {
        size_t a = i;
        while (i < len && text[i] != '|')
            i++;
        size_t b = i;
        while (a < b && (text[a] == ' ' || text[a] == '\t'))
            a++;
        while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
            b--;
        if (a == b)
            return ts_error_set(err, TOKSIM_EPARSE, a,
                                a == 0 && i == len
                                    ? "empty access mask"
                                    : "expected a right name or number before '|'");
        uint32_t v = 0;
        if (text[a] >= '0' && text[a] <= '9' && number_too_big(text + a, b - a))
            /* SDDL clamps such a mask (Windows does); a requested mask is a DWORD. */
            return ts_error_set(err, TOKSIM_EPARSE, a,
                                "access mask %.*s exceeds 0xFFFFFFFF",
                                (int)(b - a > 40 ? 40 : b - a), text + a);
        if (!lookup_name(&v, text + a, b - a, type)) {
            bool has_underscore = memchr(text + a, '_', b - a) != NULL;
            toksim_error e2 = {0};
            if (has_underscore || ts_sddl_parse_rights_n(&v, text + a, b - a, a, &e2)) {
                if (text[a] >= '0' && text[a] <= '9')
                    return ts_error_set(err, e2.code ? e2.code : TOKSIM_EPARSE, e2.offset,
                                        "%s", e2.message);
                return ts_error_set(
                    err, TOKSIM_EPARSE, a,
                    "unknown access right '%.*s' for %s objects (expected a name such as "
                    "READ_CONTROL or GENERIC_READ, SDDL letters such as FR, or a number)",
                    (int)(b - a > 60 ? 60 : b - a), text + a, o->name);
            }
        }
        mask |= v;
        if (i >= len)
            break;
        i++;
    }
    *out = mask;
    return TOKSIM_OK;
}

size_t
toksim_access_mask_describe(char *buf, size_t n, uint32_t mask, toksim_object_type type)
{
    if (n)
        buf[0] = '\0';
    if (mask == 0)
        return ts_put(buf, n, 0, "0");
    /* An exact object-specific composite (FILE_ALL_ACCESS, KEY_READ ...) reads best as
     * itself. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < NNAMES; i++)
            if (row_in_pass(&names[i], type, pass) && !is_single_bit(names[i].value) &&
                names[i].value == mask)
                return ts_put(buf, n, 0, names[i].name);
    size_t at = 0;
    uint32_t rest = mask;
    for (int bit = 0; bit < 32; bit++) {
        uint32_t v = 1u << bit;
        if (!(mask & v))
            continue;
        const char *name = NULL;
        for (int pass = 0; pass < 3 && !name; pass++)
            for (size_t i = 0; i < NNAMES && !name; i++)
                if (row_in_pass(&names[i], type, pass) && names[i].value == v)
                    name = names[i].name;
        if (!name)
            continue;
        if (at)
            at = ts_put(buf, n, at, "|");
        at = ts_put(buf, n, at, name);
        rest &= ~v;
    }
    if (rest) {
        char hex[16];
        snprintf(hex, sizeof hex, "0x%x", rest);
        if (at)
            at = ts_put(buf, n, at, "|");
        at = ts_put(buf, n, at, hex);
    }
    return at;
}
