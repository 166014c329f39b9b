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
    char **switches; /* --switch NAME=VALUE model overrides (into argv; array owned) */
    size_t nswitches;
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
/** Check one --switch value (NAME=VALUE, VALUE true, false, on, off or a number): -1 when
 * it is well formed, otherwise EXIT_USAGE after reporting it. `toksim explain` uses it
 * too. */
int scen_switch_arg(const char *prog, const char *val);
/** Set each NAME=VALUE (checked by scen_switch_arg) on sc (toksim_scenario_set_switch):
 * EXIT_OK, or the exit code after reporting an unknown name or a bad value (listing the
 * switches). */
int scen_apply_switches(const char *prog,
                        char *const *switches,
                        size_t n,
                        toksim_scenario *sc);
/** True when s names the format (a->format) chosen. */
bool scen_args_format_is(const scen_args *a, const char *s);
void scen_args_dispose(scen_args *a);

/**
 * Load every scenario the paths name (a directory: its *.json files, recursively),
 * reporting each broken one (file:line:col) on stderr. *out gets the loaded ones (free
 * with scen_free_all) even when some failed. Returns EXIT_OK, EXIT_USAGE or
 * EXIT_INTERNAL. All of them stay in memory: for `toksim diff`, which replays each twice.
 */
int scen_load_all(const char *prog,
                  char *const *paths,
                  size_t npaths,
                  toksim_scenario ***out,
                  size_t *count);
void scen_free_all(toksim_scenario **v, size_t n);

/**
 * Load and replay every scenario of a->paths one at a time, with a->switches set
 * (toksim_scenario_set_switch), calling fn (NULL: none) with
 * each scenario and its run before both are freed: memory is bounded by the largest
 * file, not by how many there are. Stops at the first error (reported; its exit code is
 * returned) or at a non-zero return of fn. *count (may be NULL) gets the number replayed.
 */
typedef int (*scen_each_fn)(const toksim_scenario *sc,
                            const toksim_run *run,
                            size_t index,
                            void *payload);
int scen_each(
    const char *prog, const scen_args *a, scen_each_fn fn, void *payload, size_t *count);

#endif
