/*
 * PURPOSE: what the toksim subcommands share: exit codes, option scanning, error reporting with
 * positions, and output-format selection. No model logic lives in the CLI.
 */
#ifndef TOKSIM_CLI_H
#define TOKSIM_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <toksim.h>

/** Exit codes (documented in README and --help). */
enum {
    EXIT_OK = 0,       /* success; for check: every expectation held */
    EXIT_MISMATCH = 1, /* an expectation failed / a check denied where the command says so */
    EXIT_USAGE = 2,    /* bad input of any kind: usage, I/O, JSON/SDDL/SID/INF parse */
    EXIT_INTERNAL = 3  /* internal error (out of memory ...) */
};

#define CMD(name, fn, summary) int fn(int argc, char **argv);
#include "commands.def"
#undef CMD

/** Output formats a command may accept. */
typedef enum { FMT_TEXT, FMT_JSON, FMT_JUNIT, FMT_OTHER } cli_format;

/**
 * Minimal option scanner over argv[1..]: returns the next option name without dashes (for
 * "--name", "--name=value" or "-n") and its value in *val when `takes_value` reports it needs
 * one; positional arguments come back as "" with *val = the argument. NULL at the end.
 */
typedef struct cli_opts {
    int argc;
    char **argv;
    int i;
    const char *prog;      /* "toksim sid" for messages */
    bool only_positional;  /* after "--" */
    char namebuf[64];      /* the current option name */
} cli_opts;
void cli_opts_init(cli_opts *o, int argc, char **argv, const char *prog);
/** spec: option names that take a value, e.g. "format,input,output". Returns 1 option, 0 positional, -1 end, -2 error (reported). */
int cli_opts_next(cli_opts *o, const char *with_value, const char **name, const char **val);

/** "toksim <cmd>: message" on stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/**
 * Report a library error about an input: "toksim <cmd>: <where>:<line>:<col>: <message>" and,
 * when `text` is given (single-line input), the text and a caret under err->offset.
 * Returns EXIT_USAGE for input errors, EXIT_INTERNAL for ENOMEM/ERROR.
 */
int cli_report(const char *prog, const char *where, const char *text, const toksim_error *err,
               toksim_status code);
/** Parse "text|json" (+ extras listed in `allowed`, comma-separated). Reports and returns false on error. */
bool cli_parse_format(const char *prog, const char *val, const char *allowed, cli_format *out);
struct cJSON;
/** Print a JSON value (pretty, with a final newline) to stdout and free it. EXIT_OK, or EXIT_INTERNAL when root is NULL or printing fails. */
int cli_print_json(struct cJSON *root);
/** Read a whole file (or "-" = stdin) with a cap; reports errors. Caller frees. */
char *cli_read_file(const char *prog, const char *path, size_t cap, size_t *len);

#endif
