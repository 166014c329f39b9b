/*
 * PURPOSE: import the text of `whoami /all` (or `/user`, `/groups`, `/priv`) saved on a
 * real Windows machine as a toksim token, so that an administrator can replay access
 * checks with the token Windows actually built. The inverse of
 * toksim_token_render_whoami() (logon.h).
 *
 * Read: the English output of whoami.exe in its three formats (`/fo table`, the default,
 * whose column widths vary per machine and are taken from the "=====" line; `/fo list`;
 * `/fo csv`, with or without `/nh`), UTF-16LE/BE with BOM (PowerShell `whoami /all >
 * file`), UTF-8 with or without BOM, ASCII or a single-byte code page, CRLF or LF line
 * ends. What whoami does not show (token type and level, logon id, owner, primary group,
 * default DACL, restricting SIDs, session, the enabled-by-default bit of privileges) is
 * inferred or defaulted as docs/whoami-import.md says; toksim_whoami_info reports which
 * parts were read and which were inferred.
 *
 * Ownership: *out receives a new token the caller frees with toksim_token_free(). Nothing
 * is allocated on failure.
 */
#ifndef TOKSIM_WHOAMI_H
#define TOKSIM_WHOAMI_H

#include <stdbool.h>
#include "common.h"
#include "sid.h"
#include "token.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Caps on hostile input: whole input in bytes, one line in characters, columns of a
 * table. */
#define TOKSIM_WHOAMI_MAX_BYTES   (4u << 20)
#define TOKSIM_WHOAMI_MAX_LINE    8192u
#define TOKSIM_WHOAMI_MAX_COLUMNS 8u

/** Sections of whoami output (bits of toksim_whoami_info.sections). */
#define TOKSIM_WHOAMI_SEC_USER                                                           \
    0x1u /**< USER INFORMATION (or a CSV "User Name","SID" block) */
#define TOKSIM_WHOAMI_SEC_GROUPS 0x2u /**< GROUP INFORMATION */
#define TOKSIM_WHOAMI_SEC_PRIVS  0x4u /**< PRIVILEGES INFORMATION */
#define TOKSIM_WHOAMI_SEC_CLAIMS                                                         \
    0x8u /**< USER/DEVICE CLAIMS INFORMATION (read past, not modelled) */

/** Layouts met in the input (bits of toksim_whoami_info.formats): whoami /fo
 * table|list|csv. */
#define TOKSIM_WHOAMI_FMT_TABLE 0x1u
#define TOKSIM_WHOAMI_FMT_LIST  0x2u
#define TOKSIM_WHOAMI_FMT_CSV   0x4u
#define TOKSIM_WHOAMI_FMT_WINDBG                                                         \
    0x8u /**< WinDbg `!token` output (toksim_token_from_windbg()) */

/** Text encoding of the input as detected. */
typedef enum toksim_whoami_encoding {
    TOKSIM_WHOAMI_ENC_UTF8 = 0,     /**< UTF-8 or ASCII without BOM */
    TOKSIM_WHOAMI_ENC_UTF8_BOM = 1, /**< EF BB BF */
    TOKSIM_WHOAMI_ENC_UTF16LE = 2,  /**< FF FE, or NUL every second byte (no BOM) */
    TOKSIM_WHOAMI_ENC_UTF16BE = 3,  /**< FE FF */
    TOKSIM_WHOAMI_ENC_8BIT =
        4 /**< not well-formed UTF-8: a single-byte code page (cmd.exe > file); each
             byte past ASCII in a name reads as '?' (the code page is unknown) */
} toksim_whoami_encoding;

#define TOKSIM_WHOAMI_NAME_MAX 256

/** What an import read and what it had to assume. */
typedef struct toksim_whoami_info {
    unsigned sections; /**< TOKSIM_WHOAMI_SEC_* present in the input */
    unsigned formats;  /**< TOKSIM_WHOAMI_FMT_* used by those sections */
    toksim_whoami_encoding encoding;
    char user_name[TOKSIM_WHOAMI_NAME_MAX]; /**< the user name as printed ("" without USER
                                               section) */
    size_t group_count;     /**< group rows read (the label row included) */
    size_t privilege_count; /**< privilege rows read */
    size_t logon_sid_count; /**< groups kept as logon SIDs (S-1-5-5-X-Y,
                               SE_GROUP_LOGON_ID) */
    size_t
        preamble_lines; /**< non-blank lines before the first section (prompt, command) */
    bool user_inferred; /**< no USER section: the user is the NULL SID S-1-0-0 */
    bool integrity_inferred;    /**< no label row: Medium (System for SYSTEM/LOCAL/NETWORK
                                   SERVICE) */
    bool owner_inferred_admins; /**< owner set to BUILTIN\Administrators ("Group owner"
                                   row) */
    bool claims_ignored;   /**< a claims section held claims (they are not modelled) */
    size_t trailing_lines; /**< non-blank lines after the output (a pasted prompt ...),
                              ignored: callers should warn */
    size_t trailing_line;  /**< the 1-based line where that text starts (0: none) */
} toksim_whoami_info;

/**
 * Build a primary token from whoami text (`len` bytes, need not be NUL-terminated). `ctx`
 * (may be NULL) names SIDs in error messages. Errors carry the 1-based line and column
 * (in characters) and what was expected: TOKSIM_EPARSE (unparsable row, unknown attribute
 * word, bad SID, a section twice, no whoami output at all), TOKSIM_ENOTFOUND (unknown
 * privilege name), TOKSIM_ELIMIT (input, line or group count past the caps above),
 * TOKSIM_ENOMEM. A partial input (`whoami /priv`) gives a token holding only those parts
 * (see toksim_whoami_info for what was assumed). On TOKSIM_OK the caller frees *out with
 * toksim_token_free(); on failure *out is NULL. The caller keeps `text`.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_token_from_whoami(toksim_token **out,
                         const char *text,
                         size_t len,
                         const toksim_sid_context *ctx,
                         toksim_error *err);

/** The same, also filling *info (may be NULL) with what was read and what was inferred.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_token_from_whoami_ex(toksim_token **out,
                            toksim_whoami_info *info,
                            const char *text,
                            size_t len,
                            const toksim_sid_context *ctx,
                            toksim_error *err);

/**
 * Build a token from WinDbg `!token` output (kernel or user mode, with or without -n
 * friendly names, or just its "Privs:" block): user, groups with attributes, integrity
 * label, primary group, privileges, token type, impersonation level, logon id, session.
 * What it does not show is inferred as for whoami (owner, default DACL, elevation).
 * *info (may be NULL) reports what was read (formats = TOKSIM_WHOAMI_FMT_WINDBG), the
 * preamble (prompt, command) and trailing text (the next prompt). Errors carry line and
 * column: TOKSIM_EPARSE, TOKSIM_ENOTFOUND (unknown privilege), TOKSIM_ELIMIT,
 * TOKSIM_ENOMEM.
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_token_from_windbg(toksim_token **out,
                         toksim_whoami_info *info,
                         const char *text,
                         size_t len,
                         const toksim_sid_context *ctx,
                         toksim_error *err);
/** Does the text look like !token output rather than whoami ("Privs:", "Groups:" or
 * "User: S-1-" in it; UTF-16 too)? */
TOKSIM_API bool toksim_text_is_windbg_token(const char *text, size_t len);

/** "utf-8", "utf-8 (BOM)", "utf-16le", "utf-16be", "8-bit code page". */
TOKSIM_API const char *toksim_whoami_encoding_name(toksim_whoami_encoding enc);

#ifdef __cplusplus
}
#endif
#endif
