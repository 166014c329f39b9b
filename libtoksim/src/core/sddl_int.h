/*
 * PURPOSE: private helpers shared by the SDDL parser/formatter, the binary codec and the
 * conditional-expression codec (core layer, prefix ts_).
 */
#ifndef TOKSIM_SDDL_INT_H
#define TOKSIM_SDDL_INT_H

#include "internal.h"

/* ACE types sd.h does not name (winnt.h). */
#define TS_ACE_PROCESS_TRUST_LABEL 0x14
#define TS_ACE_ACCESS_FILTER       0x15
#define TS_ACE_TYPE_MAX            0x15

/** ACE body layout (MS-DTYP 2.4.4.x). */
bool ts_ace_type_known(uint8_t type);
/** Object ACE layout: Flags + optional GUIDs before the SID (types 5-8, 0x0B, 0x0C, 0x0F,
 * 0x10). */
bool ts_ace_type_is_object(uint8_t type);
/** Carries a conditional expression as application data (callback types and FL). */
bool ts_ace_type_is_callback(uint8_t type);

/** Format a binary GUID (little-endian fields) as 36 lowercase characters + NUL. */
void ts_guid_format(char out[37], const uint8_t g[16]);
/** Parse exactly 36 characters "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (any case). */
bool ts_guid_parse(uint8_t out[16], const char *s, size_t len);

/** Rights text of one ACE as Windows writes it (ML ACEs use NW/NR/NX). snprintf
 * semantics. */
size_t ts_sddl_format_ace_rights(char *buf, size_t n, uint8_t ace_type, uint32_t mask);
/**
 * Parse an SDDL rights field text[0..len): aliases (any case, spaces between them
 * allowed), or a hex/octal/decimal number. `base` is added to error offsets.
 */
toksim_status ts_sddl_parse_rights_n(
    uint32_t *out, const char *text, size_t len, size_t base, toksim_error *err);

/**
 * Conditional expressions (MS-DTYP 2.4.4.17): compile SDDL text (without the outer
 * parentheses) to the "artx" binary form, and decompile it back. Defined in sddl_cond.c.
 */
toksim_status ts_cond_compile(uint8_t **out,
                              size_t *len,
                              const char *text,
                              size_t text_len,
                              size_t base,
                              toksim_error *err);
toksim_status
ts_cond_decompile(char **out, const uint8_t *buf, size_t len, toksim_error *err);

/* Conditional expression tokens and limits shared by sddl_cond.c and sddl_cond_text.c. */
#define COND_MAX_BYTES 0xFFF0 /* an ACE is at most 64 KiB */
#define COND_MAX_DEPTH 64
/* The decompiler writes at most this much nesting, so that its text always compiles again
 * (each level of output costs the compiler up to two levels of COND_MAX_DEPTH). */
#define DECOMP_MAX_DEPTH 24

enum {
    TK_INT64 = 0x04,
    TK_UNICODE = 0x10,
    TK_OCTETS = 0x18,
    TK_COMPOSITE = 0x50,
    TK_SID = 0x51,
    TK_LOCAL = 0xF8,
    TK_USER = 0xF9,
    TK_RESOURCE = 0xFA,
    TK_DEVICE = 0xFB,
    TK_AND = 0xA0,
    TK_OR = 0xA1,
    TK_NOT = 0xA2
};

typedef struct ts_cond_op {
    const char *text;
    uint8_t token;
    int kind; /* 2 = binary relational, 1 = unary prefix */
} ts_cond_op;
extern const ts_cond_op ts_cond_ops[];
extern const size_t ts_cond_nops;
/** Characters of an attribute name in SDDL conditions. */
bool ts_cond_name_char(char ch);

/** Resource attributes of RA ACEs (sddl_claims.c): text inside the parentheses <-> claim
 * bytes. */
toksim_status ts_claim_compile(uint8_t **out,
                               size_t *len,
                               const char *text,
                               size_t text_len,
                               size_t base,
                               toksim_error *err);
toksim_status
ts_claim_decompile(char **out, const uint8_t *buf, size_t len, toksim_error *err);

#endif
