/*
 * PURPOSE: read a token capture — `whoami /all` output or WinDbg `!token` output — from a
 * file or standard input into a token, for `toksim token` and `toksim triage`: one
 * reader, one error report (file:line:col), one warning for lines after the capture.
 */
#include <stdlib.h>
#include <string.h>
#include <toksim.h>

#include "cli.h"

int cli_load_capture(const char *prog,
                     const char *file,
                     cli_capture_kind kind,
                     const toksim_sid_context *ctx,
                     toksim_token **tok,
                     toksim_whoami_info *info,
                     bool *is_windbg)
{
    size_t len = 0;
    char *text = cli_read_file(prog, file, TOKSIM_WHOAMI_MAX_BYTES + 1, &len);
    if (!text)
        return EXIT_USAGE;
    const char *where = strcmp(file, "-") == 0 ? "<stdin>" : file;
    bool windbg = kind == CLI_CAPTURE_WINDBG ||
                  (kind == CLI_CAPTURE_AUTO && toksim_text_is_windbg_token(text, len));
    toksim_error err = {0};
    toksim_status rc = windbg
                           ? toksim_token_from_windbg(tok, info, text, len, ctx, &err)
                           : toksim_token_from_whoami_ex(tok, info, text, len, ctx, &err);
    free(text);
    if (rc != TOKSIM_OK)
        return cli_report(prog, where, NULL, &err, rc);
    if (info->trailing_lines)
        cli_warn(prog,
                 "%s:%zu: warning: %zu line(s) after the %s output ignored (a pasted "
                 "prompt or command?)",
                 where, info->trailing_line, info->trailing_lines,
                 windbg ? "!token" : "whoami");
    if (is_windbg)
        *is_windbg = windbg;
    return EXIT_OK;
}
