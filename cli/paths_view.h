/*
 * PURPOSE: the renderers of `toksim paths` (one file per format: paths_text.c,
 * paths_json.c, paths_dot.c, paths_opengraph.c). They print a toksim_paths result; no
 * model logic.
 */
#ifndef TOKSIM_CLI_PATHS_VIEW_H
#define TOKSIM_CLI_PATHS_VIEW_H

#include "cli.h"

/** What the command read, for the header of the output. */
typedef struct paths_input {
    const char *from;   /* "scenario f.json", "whoami capture x.txt", "world w.json" */
    const char *target; /* as asked ("SYSTEM") */
    const char *os;     /* the world's OS profile */
    bool all;           /* text: list failing chains too */
} paths_input;

/** The one-line label every format carries. */
#define PATHS_TEACHING_LABEL                                                             \
    "TEACHING MODEL: preconditions from public write-ups, decided by the toksim model; " \
    "not an exploit and not a statement about a real machine"

int paths_print_text(const toksim_paths *p, const paths_input *in);
int paths_print_json(const toksim_paths *p, const paths_input *in);
int paths_print_dot(const toksim_paths *p, const paths_input *in);
int paths_print_opengraph(const toksim_paths *p, const paths_input *in);

#endif
