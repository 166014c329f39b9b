/*
 * PURPOSE: what `toksim run` and `toksim check` share: their command line (--format, the
 * scenario FILE|DIR arguments, and --explain for run) and loading every scenario those
 * name before anything runs.
 */
#ifndef TOKSIM_CLI_SCENARIO_ARGS_H
#define TOKSIM_CLI_SCENARIO_ARGS_H

#include "cli.h"

typedef struct scen_args {
    cli_format fmt;     /* text (default), json, junit, or FMT_OTHER (see format) */
    const char *format; /* the --format value ("text" when not given) */
    bool color;         /* --color always, or auto on a terminal without NO_COLOR */
    bool explain;       /* --explain (only when allowed) */
    char **paths;       /* the FILE|DIR arguments (point into argv; the array is owned) */
    size_t npaths;
} scen_args;

/**
 * Parse the command line (`formats`: the formats beyond text and json, comma-separated;
 * --color auto|always|never is accepted by every command that renders text). Returns -1
 * when the command should go on (a->paths holds at least one path; release with
 * scen_args_dispose), otherwise the exit code to return at once: EXIT_OK after --help
 * (usage printed to stdout), EXIT_USAGE after a reported usage error (unknown option, bad
 * --format, no path), EXIT_INTERNAL when out of memory.
 */
int scen_args_parse(scen_args *a,
                    int argc,
                    char **argv,
                    const char *prog,
                    bool allow_explain,
                    const char *formats,
                    void (*usage)(FILE *));
/** True when s names the format (a->format) chosen. */
bool scen_args_format_is(const scen_args *a, const char *s);
void scen_args_dispose(scen_args *a);

/**
 * Load every scenario the paths name (a directory: its *.json files, recursively),
 * reporting each broken one (file:line:col) on stderr. *out gets the loaded ones (free
 * with scen_free_all) even when some failed. Returns EXIT_OK, EXIT_USAGE or
 * EXIT_INTERNAL.
 */
int scen_load_all(const char *prog,
                  char *const *paths,
                  size_t npaths,
                  toksim_scenario ***out,
                  size_t *count);
void scen_free_all(toksim_scenario **v, size_t n);

/**
 * Replay every loaded scenario before anything is printed, so that a step naming
 * something that does not exist stops the command (exit 2, file:line:col of the step)
 * before any output. *out gets one run per scenario (free with scen_free_runs). Returns
 * EXIT_OK, EXIT_USAGE or EXIT_INTERNAL.
 */
int scen_run_all(const char *prog,
                 toksim_scenario *const *scs,
                 size_t nsc,
                 toksim_run ***out);
void scen_free_runs(toksim_run **runs, size_t n);

#endif
