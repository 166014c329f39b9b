/*
 * PURPOSE: building a SARIF 2.1.0 log with cJSON (render_sarif.c), shared by the scenario
 * renderer and the policy what-if (diff.c): one run of one tool, its rules, results with
 * a physical location (file, line, column) and related locations.
 */
#ifndef TS_SARIF_INT_H
#define TS_SARIF_INT_H

#include "scenario/scen_int.h"
#include "toksim/findings.h"

typedef struct ts_sarif {
    cJSON *root;    /* the log */
    cJSON *rules;   /* runs[0].tool.driver.rules */
    cJSON *results; /* runs[0].results */
    bool failed;    /* an allocation failed on the way */
} ts_sarif;

toksim_status ts_sarif_begin(ts_sarif *s, const char *tool_name);
/** The index of rule `id` in tool.driver.rules, added with its texts on first use; -1
 * (and s->failed) when out of memory. */
int ts_sarif_rule(ts_sarif *s, const char *id, const char *text, const char *help);
/** Append a result located at file:line:column; NULL (and s->failed) when out of memory.
 * The result is borrowed from the log. */
cJSON *ts_sarif_result(ts_sarif *s,
                       int rule_index,
                       const char *rule_id,
                       const char *level,
                       const char *message,
                       const char *file,
                       int line,
                       int column);
/** Add a related location with a message to a result; false when out of memory. */
bool ts_sarif_related(
    cJSON *result, int id, const char *text, const char *file, int line, int column);
/** Print the log (pretty) into *out (malloc'ed) and free it. */
toksim_status ts_sarif_finish(ts_sarif *s, char **out);
/** "error" (high), "warning" (medium), "note" (low, info). */
const char *ts_sarif_level(toksim_severity sev);

#endif
