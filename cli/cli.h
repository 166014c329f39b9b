/*
 * PURPOSE: what the toksim subcommands share: exit codes, option scanning, error
 * reporting with positions, and output-format selection. No model logic lives in the CLI.
 */
#ifndef TOKSIM_CLI_H
#define TOKSIM_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <toksim.h>

/** Exit codes (documented in README and --help). */
enum {
    EXIT_OK = 0, /* success; for check: every expectation held */
    EXIT_MISMATCH =
        1,          /* an expectation failed / a check denied where the command says so */
    EXIT_USAGE = 2, /* bad input of any kind: usage, I/O, JSON/SDDL/SID/INF parse */
    EXIT_INTERNAL = 3 /* internal error (out of memory ...) */
};

#define CMD(name, fn, summary) int fn(int argc, char **argv);
/* A command whose name is not a C identifier ("who-can"): the name as a string. */
#define CMD_NAMED(name, fn, summary) int fn(int argc, char **argv);
#include "commands.def"
#undef CMD_NAMED
#undef CMD

/** Output formats a command may accept. */
typedef enum { FMT_TEXT, FMT_JSON, FMT_JUNIT, FMT_OTHER } cli_format;

/**
 * Minimal option scanner over argv[1..]: returns the next option name without dashes (for
 * "--name", "--name=value" or "-n") and its value in *val when `takes_value` reports it
 * needs one; positional arguments come back as "" with *val = the argument. NULL at the
 * end.
 */
typedef struct cli_opts {
    int argc;
    char **argv;
    int i;
    const char *prog;     /* "toksim sid" for messages */
    bool only_positional; /* after "--" */
    char namebuf[64];     /* the current option name */
    const char *bundle;   /* the letters left of a short-option group ("-qe") */
} cli_opts;
void cli_opts_init(cli_opts *o, int argc, char **argv, const char *prog);
/** spec: option names that take a value, e.g. "format,input,output". Returns 1 option, 0
 * positional, -1 end, -2 error (reported). */
int cli_opts_next(cli_opts *o,
                  const char *with_value,
                  const char **name,
                  const char **val);

/*
 * Short options (getopt_long style, one table in util.c): -h help, -f format, -o output,
 * -e explain, -w world, -p policy; a value attached (-fjson) or next (-f json); flag
 * letters group (-qe). An unknown letter is a usage error naming it. "-5" is an argument.
 * -q/--quiet and -v/--verbose are global: every command accepts them (they never reach
 * the command's loop) and they set the verbosity below.
 */
/** -1 quiet (--quiet), 0 normal, 1 verbose (--verbose). */
int cli_verbosity(void);
void cli_set_verbosity(int v);
/** "prog: message" on stderr unless --quiet: every warning goes through here (the
 * message carries its location and "warning:"); control characters escaped. */
void cli_warn(const char *prog, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** "prog: message" on stderr only with --verbose (which input files were read). */
void cli_note(const char *prog, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** True for the option names that ask for help ("--help", "-h"). */
bool cli_is_help(const char *name);

/** "toksim <cmd>: message" on stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *prog, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/**
 * Report a library error about an input: "toksim <cmd>: <where>:<line>:<col>: <message>"
 * and, when `text` is given (single-line input), the text and a caret under err->offset.
 * Returns EXIT_USAGE for input errors, EXIT_INTERNAL for ENOMEM/ERROR.
 */
int cli_report(const char *prog,
               const char *where,
               const char *text,
               const toksim_error *err,
               toksim_status code);
/** Copy s to out (n bytes, NUL-terminated) with control characters (C0, DEL, C1) written
 * as \xNN / \uNNNN, so echoed input cannot break a line or drive the terminal, and each
 * byte that is not part of well-formed UTF-8 as \xNN. Returns the length written. */
size_t cli_escape(char *out, size_t n, const char *s);
/** Write text to stdout with every control character but newline and tab escaped (as
 * cli_escape does): names and notes from input cannot drive the terminal. */
void cli_put_text(const char *s);
/** cli_put_text to another stream. */
void cli_fput_text(FILE *out, const char *s);
/** Parse "text|json" (+ extras listed in `allowed`, comma-separated). Reports and returns
 * false on error. */
bool cli_parse_format(const char *prog,
                      const char *val,
                      const char *allowed,
                      cli_format *out);
struct cJSON;
/** Print a JSON value (pretty, with a final newline) to stdout and free it. EXIT_OK, or
 * EXIT_INTERNAL when root is NULL or printing fails. */
int cli_print_json(struct cJSON *root);
/**
 * Read a whole file (or "-" = stdin) with a cap; reports errors (missing file, a
 * directory, too large, read failure) naming the path. Caller frees; NULL after an error.
 */
char *cli_read_file(const char *prog, const char *path, size_t cap, size_t *len);
/** Open `path` for reading as cli_read_file does ("-" = stdin; only a regular file);
 * reports and returns NULL on failure. Close it unless it is stdin. */
FILE *cli_open_input(const char *prog, const char *path);

/** Which reader a token capture goes through (cli_load_capture). */
typedef enum {
    CLI_CAPTURE_AUTO,   /* WinDbg !token output when it looks like it, else whoami /all */
    CLI_CAPTURE_WHOAMI, /* whoami /all (/groups, /priv ...) output */
    CLI_CAPTURE_WINDBG  /* WinDbg !token output */
} cli_capture_kind;
/**
 * Read a token capture from `file` ("-" = stdin) into *tok (caller frees) and *info; SID
 * names resolve in ctx (may be NULL). Errors are reported as file:line:col (exit 2);
 * lines after the capture are a warning. *is_windbg (may be NULL): the reader used.
 * EXIT_OK or the exit code.
 */
int cli_load_capture(const char *prog,
                     const char *file,
                     cli_capture_kind kind,
                     const toksim_sid_context *ctx,
                     toksim_token **tok,
                     toksim_whoami_info *info,
                     bool *is_windbg);

/** toksim_scenario_load_file / toksim_world_load_file, with "-" = standard input (named
 * "<stdin>" in messages, relative paths from the current directory). */
toksim_status
cli_scenario_load(toksim_scenario **sc, const char *path, toksim_error *err);
toksim_status cli_world_load(toksim_world **w, const char *path, toksim_error *err);

/** Open an output file ("-" = stdout) without blocking (a FIFO without a reader fails at
 * once); a regular file is truncated. Reports the error and returns NULL. */
FILE *cli_open_output(const char *prog, const char *path);

/** toksim_policy_parse_inf_ex (opts may be NULL), printing its warnings (a right or
 * section given twice) to stderr as "prog: FILE:LINE: warning: ...". */
/* Apply the template at path to w's policy (--policy FILE [--configure]); an exit code.
 */
int cli_apply_policy(const char *prog, toksim_world *w, const char *path, bool configure);
toksim_status cli_parse_inf(const char *prog,
                            toksim_policy **out,
                            const void *data,
                            size_t len,
                            const char *path,
                            const toksim_world *w,
                            const toksim_inf_options *opts,
                            toksim_error *err);

/** A template that names a holder only domain controllers have
 * (toksim_policy_looks_like_dc), applied to the default profile `profile` (no --os): warn
 * "FILE:LINE: warning: this looks like a domain controller's template ..." (cli_warn).
 * Used by `toksim policy` and `toksim diff`. */
void cli_warn_dc_template(const char *prog,
                          const char *file,
                          const toksim_policy *tmpl,
                          const char *profile);

/** The --domain / --machine SIDs of a command; ctx points into the struct (do not copy
 * it). */
typedef struct cli_sid_context {
    toksim_sid domain, machine;
    toksim_sid_context ctx;
} cli_sid_context;
/**
 * Parse --domain and --machine (either may be NULL = not given) into sc. Returns EXIT_OK,
 * or the exit code after reporting which option is malformed and where.
 */
int cli_sid_context_parse(const char *prog,
                          const char *domain,
                          const char *machine,
                          cli_sid_context *sc);
/** No --machine given: resolve LA, LG ... against the simulated default machine
 * (TOKSIM_DEFAULT_MACHINE_SID), as Windows resolves them against its own machine. */
void cli_sid_context_default_machine(cli_sid_context *sc);
/**
 * Parse an object type name for `opt` (e.g. "--type"); on an unknown name report it with
 * the list of accepted names and return false.
 */
bool cli_parse_object_type(const char *prog,
                           const char *opt,
                           const char *val,
                           toksim_object_type *out);
/** "file, directory, ... or generic": the object type names, for messages. snprintf
 * semantics. */
size_t cli_object_type_list(char *buf, size_t n);
/** A 32-bit value as Windows tools print codes and masks: "0x%08X". */
void cli_hex32(char *buf, size_t n, uint32_t v);

/*
 * One access check result as every command shows it (access_view.c). cli_print_access
 * prints text (verdict, desired and granted masks named for `ot`, status, privileges
 * used, the trace with accounts named through ctx) or JSON (the members of
 * cli_access_result_json plus granted_all, call_ok, desired, missing, privileges_used,
 * trace); returns EXIT_OK or EXIT_INTERNAL. The caller keeps r, tr and ctx.
 */
int cli_print_access(const toksim_access_result *r,
                     uint32_t desired,
                     toksim_object_type ot,
                     const toksim_trace *tr,
                     const toksim_sid_context *ctx,
                     bool json);
/** The core members {granted, status, win32, ntstatus, ntstatus_name}; caller frees (NULL
 * = no memory). */
struct cJSON *cli_access_result_json(const toksim_access_result *r);
/** A line of JSON output under construction (json_out.c): bytes as cJSON_PrintUnformatted
 * writes them. `failed` after an allocation failure. Zero-initialise; free(buf). */
typedef struct cli_jbuf {
    char *buf;
    size_t len, cap;
    bool failed;
} cli_jbuf;
void cli_jbuf_raw(cli_jbuf *b, const char *s, size_t n);
void cli_jbuf_cstr(cli_jbuf *b, const char *s);
/** A JSON string / any JSON value (NULL: null). */
void cli_jbuf_str(cli_jbuf *b, const char *s);
void cli_jbuf_value(cli_jbuf *b, const struct cJSON *v);
/** The members of cli_access_result_json() (",\"granted\":..." up to the last member, no
 * braces), appended to b. */
void cli_access_result_write(cli_jbuf *b, const toksim_access_result *r);

/**
 * `toksim token --info` (token_info_view.c): the token as GetTokenInformation reports
 * each class, as text or JSON; names through ctx. EXIT_OK or EXIT_INTERNAL.
 */
int cli_print_token_info(const toksim_token *tok,
                         const toksim_sid_context *ctx,
                         bool json);

/* ---- colour (color.c) ---- */
/** "auto" -1, "always" 1, "never" 0; -2 for anything else. */
int cli_parse_color(const char *val);
/** The decision for a parsed choice: auto = stdout is a terminal and NO_COLOR is unset or
 * empty. */
bool cli_color_wanted(int choice);

#endif
