/*
 * PURPOSE: `toksim paths --format dot`: the graph for Graphviz, labelled TEACHING MODEL;
 * an edge is solid where it holds, dashed where it is conditional, dotted grey where it
 * fails; its label names the technique and the preconditions that are not met.
 */
#include <string.h>
#include "paths_view.h"

/* A DOT string body: quotes and backslashes escaped, control characters dropped. */
static void q(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c >= 0x20 && c != 0x7F)
            putchar(c);
    }
}

int paths_print_dot(const toksim_paths *p, const paths_input *in)
{
    printf("digraph toksim_paths {\n  rankdir=LR;\n  label=\"");
    q(PATHS_TEACHING_LABEL);
    printf("\\n");
    q(in->from);
    printf(" -> ");
    q(in->target);
    printf("\";\n  node [shape=box, fontname=\"Helvetica\"];\n");
    for (size_t i = 0; i < p->node_count; i++) {
        printf("  n%zu [label=\"", i);
        q(p->nodes[i].name);
        printf("\"%s];\n", p->nodes[i].target   ? ", style=bold, color=red"
                           : p->nodes[i].source ? ", style=filled, fillcolor=lightgrey"
                                                : "");
    }
    for (size_t i = 0; i < p->edge_count; i++) {
        const toksim_path_edge *e = &p->edges[i];
        printf("  n%zu -> n%zu [label=\"%s (%s)", e->from, e->to, e->id,
               toksim_path_state_name(e->state));
        for (size_t k = 0; k < e->condition_count; k++)
            if (e->conditions[k].state != TOKSIM_PATH_HOLDS) {
                printf("\\n%s: ", toksim_path_state_name(e->conditions[k].state));
                q(toksim_rule_get(e->conditions[k].rule)->id);
            }
        printf("\", style=%s];\n", e->state == TOKSIM_PATH_HOLDS ? "solid"
                                   : e->state == TOKSIM_PATH_UNKNOWN
                                       ? "dashed"
                                       : "dotted, color=grey");
    }
    printf("}\n");
    return EXIT_OK;
}
