/*
 * PURPOSE: the error catalog (errors.inc) as lookups and conversions: HRESULT_FROM_WIN32,
 * HRESULT_FROM_NT, RtlNtStatusToDosError for catalogued statuses, symbolic names and
 * messages.
 *
 * Modelled (windows-model §9.1): HRESULT_FROM_WIN32(e) = e when e is 0 (or already
 * negative as a 32-bit value), else 0x80070000 | (e & 0xFFFF); HRESULT_FROM_NT(s) = s |
 * 0x10000000. RtlNtStatusToDosError: 0 and customer-bit (0x20000000) values are returned
 * unchanged, 0xD... (an NTSTATUS carried as HRESULT_FROM_NT) is read as 0xC...,
 * catalogued statuses map through the table, 0xC001xxxx and 0x8007xxxx give their low
 * word, anything else ERROR_MR_MID_NOT_FOUND (the behaviour Wine's ntdll reproduces from
 * Windows). Left out: the thousands of codes no model produces; message texts are our own
 * short wording.
 */
#include <string.h>
#include "internal.h"

static const toksim_code_info code_table[] = {
#define TOKSIM_ERR_ROW(w32, w32v, nt, ntv, msg)                                          \
    {TOKSIM_CODE_WIN32, #w32, (uint32_t)(w32v), nt, (uint32_t)(ntv), msg},
#define TOKSIM_HR_ROW(name, v, kind, msg)                                                \
    {(kind)[0] == 'w' ? TOKSIM_CODE_WBEM : TOKSIM_CODE_HRESULT,                          \
     #name,                                                                              \
     (uint32_t)(v),                                                                      \
     "",                                                                                 \
     0,                                                                                  \
     msg},
#include <toksim/errors.inc> /* angle form: a public header, not a layer */
#undef TOKSIM_ERR_ROW
#undef TOKSIM_HR_ROW
};
#define CODE_COUNT (sizeof code_table / sizeof code_table[0])

uint32_t toksim_hresult_from_win32(uint32_t win32)
{
    /* (HRESULT)(x) <= 0 ? x : ... : 0 and values with the sign bit set pass through. */
    if (win32 == 0 || (win32 & 0x80000000u))
        return win32;
    return (win32 & 0xFFFFu) | 0x80070000u;
}

uint32_t toksim_hresult_from_nt(uint32_t ntstatus)
{
    return ntstatus | 0x10000000u;
}

const toksim_code_info *toksim_code_by_win32(uint32_t win32)
{
    for (size_t i = 0; i < CODE_COUNT; i++)
        if (code_table[i].kind == TOKSIM_CODE_WIN32 && code_table[i].value == win32)
            return &code_table[i];
    return NULL;
}

const toksim_code_info *toksim_code_by_ntstatus(uint32_t ntstatus)
{
    for (size_t i = 0; i < CODE_COUNT; i++)
        if (code_table[i].kind == TOKSIM_CODE_WIN32 && code_table[i].nt_name[0] &&
            code_table[i].ntstatus == ntstatus)
            return &code_table[i];
    return NULL;
}

uint32_t toksim_ntstatus_to_win32(uint32_t ntstatus)
{
    if (ntstatus == 0 || (ntstatus & 0x20000000u))
        return ntstatus;
    if ((ntstatus & 0xF0000000u) == 0xD0000000u)
        ntstatus &= ~0x10000000u;
    const toksim_code_info *c = toksim_code_by_ntstatus(ntstatus);
    if (c)
        return c->value;
    if ((ntstatus >> 16) == 0xC001u || (ntstatus >> 16) == 0x8007u)
        return ntstatus & 0xFFFFu;
    return TOKSIM_ERROR_MR_MID_NOT_FOUND;
}

uint32_t toksim_win32_to_ntstatus(uint32_t win32)
{
    const toksim_code_info *c = toksim_code_by_win32(win32);
    return c && c->nt_name[0] ? c->ntstatus : 0;
}

const toksim_code_info *toksim_code_by_hresult(uint32_t hresult)
{
    /* Named HRESULT rows first (E_ACCESSDENIED before ERROR_ACCESS_DENIED), COM/RPC then
     * WBEM. */
    for (size_t i = 0; i < CODE_COUNT; i++)
        if (code_table[i].kind == TOKSIM_CODE_HRESULT && code_table[i].value == hresult)
            return &code_table[i];
    for (size_t i = 0; i < CODE_COUNT; i++)
        if (code_table[i].kind == TOKSIM_CODE_WBEM && code_table[i].value == hresult)
            return &code_table[i];
    /* FACILITY_WIN32 (7) with the failure bit: the low word is the Win32 error. */
    if ((hresult & 0xFFFF0000u) == 0x80070000u)
        return toksim_code_by_win32(hresult & 0xFFFFu);
    /* HRESULT_FROM_NT: the NTSTATUS with FACILITY_NT_BIT set. */
    if (hresult & 0x10000000u)
        return toksim_code_by_ntstatus(hresult & ~0x10000000u);
    return NULL;
}

/* The lengths of each row's two names, in table order: name, nt_name (0 for ""), built
 * from the same rows at compile time. A case-insensitive ASCII match has the length of
 * the name it matches, so memchr finds the only rows worth comparing (issue 11: the
 * scan by ts_strcasecmp cost ~3.9 k instructions a lookup). */
static const unsigned char code_name_len[] = {
#define TOKSIM_ERR_ROW(w32, w32v, nt, ntv, msg) sizeof #w32 - 1, sizeof nt - 1,
#define TOKSIM_HR_ROW(name, v, kind, msg)       sizeof #name - 1, 0,
#include <toksim/errors.inc>
#undef TOKSIM_ERR_ROW
#undef TOKSIM_HR_ROW
};
_Static_assert(sizeof code_name_len == 2 * CODE_COUNT,
               "code_name_len: two lengths a row");
#define TOKSIM_ERR_ROW(w32, w32v, nt, ntv, msg)                                          \
    _Static_assert(sizeof #w32 < 256 && sizeof nt < 256, "code_name_len: a name < 255");
#define TOKSIM_HR_ROW(name, v, kind, msg)                                                \
    _Static_assert(sizeof #name < 256, "code_name_len: a name < 255");
#include <toksim/errors.inc>
#undef TOKSIM_ERR_ROW
#undef TOKSIM_HR_ROW

const toksim_code_info *toksim_code_by_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 255) /* no row has an empty or longer name */
        return NULL;
    const unsigned char *at = code_name_len, *end = code_name_len + sizeof code_name_len;
    while ((at = memchr(at, (int)n, (size_t)(end - at)))) {
        size_t k = (size_t)(at - code_name_len);
        const toksim_code_info *c = &code_table[k / 2];
        if (ts_strcasecmp(k % 2 ? c->nt_name : c->name, name) == 0)
            return c;
        at++;
    }
    return NULL;
}

size_t toksim_code_count(void)
{
    return CODE_COUNT;
}

const toksim_code_info *toksim_code_at(size_t i)
{
    return i < CODE_COUNT ? &code_table[i] : NULL;
}

const char *toksim_win32_name(uint32_t win32)
{
    const toksim_code_info *c = toksim_code_by_win32(win32);
    return c ? c->name : NULL;
}
