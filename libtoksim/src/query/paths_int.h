/*
 * PURPOSE: private to the paths query (src/query/paths*.c): the graph under
 * construction and the edge builders of paths_edges.c. Prefix ts_path_.
 */
#ifndef TOKSIM_PATHS_INT_H
#define TOKSIM_PATHS_INT_H

#include "internal.h"
#include "toksim/paths.h"

/** The graph being built: nodes own a process token (NULL for the target SYSTEM). */
typedef struct ts_path_graph {
    const toksim_paths_request *req;
    toksim_paths *out;
    toksim_token **tokens; /* per node, owned; NULL for SYSTEM */
    size_t node_cap, edge_cap;
    size_t system; /* index of NT AUTHORITY\SYSTEM */
    toksim_error *err;
} ts_path_graph;

/** Add a node (copied name; takes ownership of tok, which may be NULL). Returns its
 * index, or the index of the node of that name; SIZE_MAX when out of memory (tok freed).
 */
size_t ts_path_node(ts_path_graph *g, const char *name, toksim_token *tok, bool source);

/** Append an edge (conditions copied); its state is derived from its conditions. */
toksim_status ts_path_add_edge(ts_path_graph *g, const toksim_path_edge *e);

/** Build every edge leaving node `n` (adds derived nodes). */
toksim_status ts_path_edges_from(ts_path_graph *g, size_t n);

#endif
