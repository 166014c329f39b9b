/*
 * PURPOSE: security descriptors, ACLs and ACEs (MS-DTYP 2.4.4 - 2.4.6), their SDDL string
 * form
 * ([MS-DTYP] 2.5.1; "Security Descriptor String Format"), the self-relative binary form
 * (MS-DTYP 2.4.6), hex/base64 transport, and generic mappings per object type.
 *
 * The structs are readable by callers; build and change them through the functions here.
 * Ownership: every toksim_sd returned through an out-parameter is freed with
 * toksim_sd_free(), which frees its ACLs and ACE payloads.
 */
#ifndef TOKSIM_SD_H
#define TOKSIM_SD_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"

#ifdef __cplusplus
extern "C" {
#endif

/** ACE types (winnt.h *_ACE_TYPE). */
enum {
    TOKSIM_ACE_ACCESS_ALLOWED = 0x00,
    TOKSIM_ACE_ACCESS_DENIED = 0x01,
    TOKSIM_ACE_SYSTEM_AUDIT = 0x02,
    TOKSIM_ACE_SYSTEM_ALARM = 0x03,
    TOKSIM_ACE_ACCESS_ALLOWED_OBJECT = 0x05,
    TOKSIM_ACE_ACCESS_DENIED_OBJECT = 0x06,
    TOKSIM_ACE_SYSTEM_AUDIT_OBJECT = 0x07,
    TOKSIM_ACE_SYSTEM_ALARM_OBJECT = 0x08,
    TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK = 0x09,
    TOKSIM_ACE_ACCESS_DENIED_CALLBACK = 0x0A,
    TOKSIM_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT = 0x0B,
    TOKSIM_ACE_ACCESS_DENIED_CALLBACK_OBJECT = 0x0C,
    TOKSIM_ACE_SYSTEM_AUDIT_CALLBACK = 0x0D,
    TOKSIM_ACE_SYSTEM_ALARM_CALLBACK = 0x0E,
    TOKSIM_ACE_SYSTEM_AUDIT_CALLBACK_OBJECT = 0x0F,
    TOKSIM_ACE_SYSTEM_ALARM_CALLBACK_OBJECT = 0x10,
    TOKSIM_ACE_SYSTEM_MANDATORY_LABEL = 0x11,
    TOKSIM_ACE_SYSTEM_RESOURCE_ATTRIBUTE = 0x12,
    TOKSIM_ACE_SYSTEM_SCOPED_POLICY_ID = 0x13
};

/** ACE flags. */
#define TOKSIM_OBJECT_INHERIT_ACE         0x01u
#define TOKSIM_CONTAINER_INHERIT_ACE      0x02u
#define TOKSIM_NO_PROPAGATE_INHERIT_ACE   0x04u
#define TOKSIM_INHERIT_ONLY_ACE           0x08u
#define TOKSIM_INHERITED_ACE              0x10u
#define TOKSIM_SUCCESSFUL_ACCESS_ACE_FLAG 0x40u
#define TOKSIM_FAILED_ACCESS_ACE_FLAG     0x80u

/** Object ACE flags (which GUIDs are present). */
#define TOKSIM_ACE_OBJECT_TYPE_PRESENT           0x1u
#define TOKSIM_ACE_INHERITED_OBJECT_TYPE_PRESENT 0x2u

/** Mandatory label policy bits (mask of an ML ACE). */
#define TOKSIM_MANDATORY_NO_WRITE_UP   0x1u
#define TOKSIM_MANDATORY_NO_READ_UP    0x2u
#define TOKSIM_MANDATORY_NO_EXECUTE_UP 0x4u

/** Access mask bits (winnt.h). */
#define TOKSIM_DELETE                   0x00010000u
#define TOKSIM_READ_CONTROL             0x00020000u
#define TOKSIM_WRITE_DAC                0x00040000u
#define TOKSIM_WRITE_OWNER              0x00080000u
#define TOKSIM_SYNCHRONIZE              0x00100000u
#define TOKSIM_STANDARD_RIGHTS_REQUIRED 0x000F0000u
#define TOKSIM_ACCESS_SYSTEM_SECURITY   0x01000000u
#define TOKSIM_MAXIMUM_ALLOWED          0x02000000u
#define TOKSIM_GENERIC_ALL              0x10000000u
#define TOKSIM_GENERIC_EXECUTE          0x20000000u
#define TOKSIM_GENERIC_WRITE            0x40000000u
#define TOKSIM_GENERIC_READ             0x80000000u
#define TOKSIM_GENERIC_MASK             0xF0000000u

/** SECURITY_DESCRIPTOR_CONTROL bits. */
#define TOKSIM_SE_OWNER_DEFAULTED       0x0001u
#define TOKSIM_SE_GROUP_DEFAULTED       0x0002u
#define TOKSIM_SE_DACL_PRESENT          0x0004u
#define TOKSIM_SE_DACL_DEFAULTED        0x0008u
#define TOKSIM_SE_SACL_PRESENT          0x0010u
#define TOKSIM_SE_SACL_DEFAULTED        0x0020u
#define TOKSIM_SE_DACL_AUTO_INHERIT_REQ 0x0100u
#define TOKSIM_SE_SACL_AUTO_INHERIT_REQ 0x0200u
#define TOKSIM_SE_DACL_AUTO_INHERITED   0x0400u
#define TOKSIM_SE_SACL_AUTO_INHERITED   0x0800u
#define TOKSIM_SE_DACL_PROTECTED        0x1000u
#define TOKSIM_SE_SACL_PROTECTED        0x2000u
#define TOKSIM_SE_RM_CONTROL_VALID      0x4000u
#define TOKSIM_SE_SELF_RELATIVE         0x8000u

/** Caps on hostile input. */
#define TOKSIM_SDDL_MAX_LEN  (1u << 20) /**< 1 MiB of SDDL text */
#define TOKSIM_ACL_MAX_ACES  4096u
#define TOKSIM_SD_BINARY_MAX (1u << 20)

/** One ACE. Object GUIDs are raw 16-byte little-endian GUIDs (binary GUID layout). */
struct toksim_ace {
    uint8_t type;  /**< TOKSIM_ACE_* */
    uint8_t flags; /**< TOKSIM_*_ACE flags */
    uint32_t mask; /**< access mask (for ML: policy bits) */
    toksim_sid sid;
    uint32_t object_flags; /**< TOKSIM_ACE_*_PRESENT for object ACE types */
    uint8_t object_type[16];
    uint8_t inherited_object_type[16];
    /** Callback/conditional/resource-attribute payload in binary form (owned), or NULL.
     */
    uint8_t *app_data;
    size_t app_data_len;
    /** SDDL text of a condition or resource attribute, without the outer parentheses
     * (owned), or NULL. */
    char *sddl_extra;
};

/** Library-private compact record per ACE (the access check's walk reads these). */
struct toksim_ace_key;

/**
 * An ACL. Build and change it through toksim_acl_new/add/add_ace/copy: they keep `keys`
 * in step with aces[]. A caller that edits aces[] in place must
 * call toksim_acl_sync() before the ACL is checked again; an ACL assembled by hand (keys
 * NULL or keys_count != count) is still checked correctly, only more slowly.
 */
struct toksim_acl {
    uint8_t revision; /**< 2 (ACL_REVISION) or 4 (ACL_REVISION_DS, when object ACEs are
                         present) */
    size_t count;
    size_t capacity;
    toksim_ace *aces;
    struct toksim_ace_key *keys; /**< private, owned: one record per ACE, or NULL */
    size_t keys_count;           /**< records in step with aces[0..keys_count) */
};

/**
 * A security descriptor. DACL states: `control` lacks SE_DACL_PRESENT = no DACL
 * (everything granted); SE_DACL_PRESENT with dacl == NULL = NULL DACL (everything
 * granted); a dacl with count 0 = empty DACL (nothing granted). Same for the SACL.
 */
struct toksim_sd {
    uint16_t control;
    bool has_owner, has_group;
    toksim_sid owner, group;
    toksim_acl *dacl;
    toksim_acl *sacl;
};

/**
 * Allocate an empty descriptor (no owner, group, DACL or SACL; control 0) into *out.
 * TOKSIM_OK, TOKSIM_EINVAL (out NULL) or TOKSIM_ENOMEM. Free it with toksim_sd_free().
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sd_new(toksim_sd **out);
/** Free a descriptor and the ACLs it owns. NULL is fine. */
TOKSIM_API void toksim_sd_free(toksim_sd *sd);
/**
 * Deep copy of src (ACLs, ACE payloads, condition text) into *out, which the caller frees
 * with toksim_sd_free(). TOKSIM_OK, TOKSIM_EINVAL (NULL argument) or TOKSIM_ENOMEM (*out
 * untouched).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sd_copy(toksim_sd **out,
                                                         const toksim_sd *src);
/** Structural equality (control bits, owner, group, ACL contents in order). */
TOKSIM_API bool toksim_sd_equal(const toksim_sd *a, const toksim_sd *b);

/**
 * Allocate an empty ACL (revision 2, no ACEs) into *out; the caller frees it with
 * toksim_acl_free(), or hands it to a descriptor (sd->dacl / sd->sacl), which then owns
 * it. TOKSIM_OK, TOKSIM_EINVAL (out NULL) or TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_acl_new(toksim_acl **out);
/** Free an ACL and its ACEs' payloads. NULL is fine. */
TOKSIM_API void toksim_acl_free(toksim_acl *acl);
/** Deep copy of src into *out (caller frees with toksim_acl_free()). TOKSIM_OK,
 * TOKSIM_EINVAL or TOKSIM_ENOMEM. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_acl_copy(toksim_acl **out,
                                                          const toksim_acl *src);
/**
 * Append a simple ACE (no object GUIDs, no payload). TOKSIM_OK, TOKSIM_EINVAL (NULL
 * argument), TOKSIM_ELIMIT past TOKSIM_ACL_MAX_ACES, or TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_acl_add(
    toksim_acl *acl, uint8_t type, uint8_t flags, uint32_t mask, const toksim_sid *sid);
/** Append a deep copy of an ACE (the caller keeps `ace`). Same return codes as
 * toksim_acl_add(). */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_acl_add_ace(toksim_acl *acl,
                                                             const toksim_ace *ace);
/**
 * After editing acl->aces[] in place (type, flags, mask, SID, or count): recompute the
 * ACL's private per-ACE records. TOKSIM_OK, TOKSIM_EINVAL (NULL)
 * or TOKSIM_ENOMEM (the records are then dropped; checks stay correct, only slower).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_acl_sync(toksim_acl *acl);

/* ---- SDDL ---- */

/**
 * Parse SDDL. Aliases relative to a domain/machine resolve through ctx (NULL = none: such
 * an alias is then an error naming it). On TOKSIM_OK the caller frees *out with
 * toksim_sd_free(). On failure (TOKSIM_EPARSE, TOKSIM_ENOTFOUND for an unknown or
 * unresolvable alias, TOKSIM_ELIMIT past the caps, TOKSIM_EINVAL, TOKSIM_ENOMEM) *out is
 * NULL and err->offset is the byte offset of the problem.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sd_from_sddl(
    toksim_sd **out, const char *sddl, const toksim_sid_context *ctx, toksim_error *err);
/**
 * Canonical SDDL (the form ConvertSecurityDescriptorToStringSecurityDescriptor writes:
 * SID aliases where Windows has one, rights as aliases when the mask is exactly a
 * combination Windows prints, else 0x hex). Caller frees *out with free(). TOKSIM_OK,
 * TOKSIM_EINVAL, TOKSIM_EUNSUPPORTED (an ACE payload that cannot be written as SDDL) or
 * TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_sd_to_sddl(char **out, const toksim_sd *sd, const toksim_sid_context *ctx);
/** Format an access mask as SDDL rights ("FA", "CCDCLCSWRPWPDTLOCRSDRCWDWO", "0x1234").
 * snprintf semantics. */
TOKSIM_API size_t toksim_sddl_format_rights(char *buf, size_t n, uint32_t mask);
/**
 * Parse SDDL rights text (aliases, hex or decimal). TOKSIM_OK, TOKSIM_EPARSE (err names
 * the offset), TOKSIM_ELIMIT (text longer than 4096 characters) or TOKSIM_EINVAL.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sddl_parse_rights(uint32_t *out,
                                                                   const char *text,
                                                                   toksim_error *err);

/**
 * The condition of a conditional (callback) ACE as SDDL text, without the outer
 * parentheses, into *out (caller frees with free()): the text it was parsed from, or its
 * "artx" expression decompiled (e.g. of a 0x0C ACE read from binary, which SDDL cannot
 * write). TOKSIM_EINVAL when the ACE carries no conditional expression.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_ace_condition_text(char **out, const toksim_ace *ace);

/* ---- binary (self-relative, MS-DTYP 2.4.6) ---- */

/**
 * Encode self-relative. Caller frees *out with free(). TOKSIM_OK, TOKSIM_EINVAL,
 * TOKSIM_ELIMIT (an ACL above 64 KiB: AclSize is 16 bits), TOKSIM_EUNSUPPORTED (an ACE
 * whose condition text cannot be compiled) or TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sd_to_binary(uint8_t **out,
                                                              size_t *len,
                                                              const toksim_sd *sd);
/**
 * Decode a self-relative descriptor of len bytes into *out (caller frees with
 * toksim_sd_free(); *out stays NULL on failure). TOKSIM_OK, TOKSIM_EPARSE (err->offset is
 * the byte offset of the problem), TOKSIM_ELIMIT, TOKSIM_EUNSUPPORTED, TOKSIM_EINVAL or
 * TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sd_from_binary(toksim_sd **out,
                                                                const uint8_t *buf,
                                                                size_t len,
                                                                toksim_error *err);
/**
 * Hex (whitespace, commas and "hex:" prefixes of `reg query`/.reg exports tolerated) and
 * base64. Decoders: *out (caller frees with free()) and *len on TOKSIM_OK; TOKSIM_EPARSE
 * with the offset in err, TOKSIM_ELIMIT when the text or the bytes it decodes to pass the
 * caps (TOKSIM_SD_BINARY_MAX bytes), TOKSIM_EINVAL, TOKSIM_ENOMEM. Encoders: a
 * NUL-terminated *out (caller frees with free()); TOKSIM_EINVAL or TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_hex_decode(uint8_t **out,
                                                            size_t *len,
                                                            const char *text,
                                                            toksim_error *err);
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_hex_encode(char **out,
                                                            const uint8_t *buf,
                                                            size_t len);
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_base64_decode(uint8_t **out,
                                                               size_t *len,
                                                               const char *text,
                                                               toksim_error *err);
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_base64_encode(char **out,
                                                               const uint8_t *buf,
                                                               size_t len);

/* ---- generic mappings ---- */

typedef struct toksim_generic_mapping {
    uint32_t read, write, execute, all;
} toksim_generic_mapping;

typedef enum toksim_object_type {
    TOKSIM_OBJ_GENERIC =
        0, /**< no object-specific rights: GENERIC_x maps to STANDARD_RIGHTS_x */
    TOKSIM_OBJ_FILE,
    TOKSIM_OBJ_DIRECTORY,
    TOKSIM_OBJ_KEY,
    TOKSIM_OBJ_SERVICE,
    TOKSIM_OBJ_SCMANAGER,
    TOKSIM_OBJ_PROCESS,
    TOKSIM_OBJ_THREAD,
    TOKSIM_OBJ_TOKEN,
    TOKSIM_OBJ_PIPE,
    TOKSIM_OBJ_WMI_NAMESPACE,
    TOKSIM_OBJ_DS, /**< Active Directory object (ADS_RIGHTS_ENUM, DS generic mapping) */
    TOKSIM_OBJ__COUNT
} toksim_object_type;

/** The generic mapping of an object type (static storage, never freed); NULL for an
 * unknown type. */
TOKSIM_API const toksim_generic_mapping *toksim_object_mapping(toksim_object_type type);
/**
 * "file", "directory", "key", "service", "scmanager", "process", "thread", "token",
 * "pipe", "wmi", "generic" (static strings); NULL for an unknown type.
 */
TOKSIM_API const char *toksim_object_type_name(toksim_object_type type);
/**
 * Parse an object type name (any case; also "registry", "dir", "folder", "namedpipe",
 * "scm", "namespace", "wmi_namespace"). TOKSIM_OK, TOKSIM_ENOTFOUND or TOKSIM_EINVAL
 * (NULL argument).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_object_type_parse(toksim_object_type *out, const char *name);
/** Map GENERIC_* bits of mask through the mapping (MapGenericMask). */
TOKSIM_API uint32_t toksim_map_generic(uint32_t mask, const toksim_generic_mapping *map);

/**
 * Parse a desired-access string as users write it: SDDL right aliases ("FR", "GA",
 * "RCWD"), hex/decimal numbers, or names joined with '|' ("FILE_READ_DATA|SYNCHRONIZE",
 * "MAXIMUM_ALLOWED", "GENERIC_READ"). Object-specific names are looked up for `type`.
 * TOKSIM_OK, TOKSIM_EPARSE (err names the offset and what was expected), TOKSIM_ELIMIT
 * (more than 4096 characters), TOKSIM_EINVAL (NULL argument or unknown type).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_access_mask_parse(
    uint32_t *out, const char *text, toksim_object_type type, toksim_error *err);
/** Human listing of a mask for an object type
 * ("FILE_READ_DATA|READ_CONTROL|SYNCHRONIZE"); bits without a name as 0x hex. snprintf
 * semantics: returns the length needed. */
TOKSIM_API size_t toksim_access_mask_describe(char *buf,
                                              size_t n,
                                              uint32_t mask,
                                              toksim_object_type type);

#ifdef __cplusplus
}
#endif
#endif
