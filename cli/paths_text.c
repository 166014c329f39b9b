/*
 * PURPOSE: `toksim paths --format text`: the TEACHING MODEL label, the chains to the
 * target (holding, conditional, failing), then every edge they use with its
 * preconditions, whether each holds here, the rule and the write-up.
 */
#include <string.h>
#include "paths_view.h"

static const char *mark(toksim_path_state s)
{
    return s == TOKSIM_PATH_HOLDS   ? "holds"
           : s == TOKSIM_PATH_FAILS ? "fails"
                                    : "conditional";
}

int paths_print_text(const toksim_paths *p, const paths_input *in)
{
    printf("%s\n\n", PATHS_TEACHING_LABEL);
    printf("From:     ");
    cli_put_text(in->from);
    printf(" (OS profile %s)\nTarget:   ", in->os ? in->os : "?");
    cli_put_text(in->target);
    printf("\n");
    size_t n[3] = {0, 0, 0};
    for (size_t i = 0; i < p->path_count; i++)
        n[p->paths[i].state]++;
    printf("Chains:   %zu hold, %zu conditional, %zu fail\n", n[0], n[1], n[2]);
    bool used[4096] = {false};
    /* failing chains are listed on --all, or when nothing else reaches the target */
    bool show_fail = in->all || n[0] + n[1] == 0;
    for (size_t i = 0; i < p->path_count; i++) {
        const toksim_path *c = &p->paths[i];
        if (c->state == TOKSIM_PATH_FAILS && !show_fail)
            continue;
        printf("\n[%s] ", mark(c->state));
        cli_put_text(p->nodes[p->edges[c->edges[0]].from].name);
        for (size_t k = 0; k < c->count; k++) {
            const toksim_path_edge *e = &p->edges[c->edges[k]];
            printf("\n    --%s (%s)--> ", e->id, mark(e->state));
            cli_put_text(p->nodes[e->to].name);
            if (c->edges[k] < 4096)
                used[c->edges[k]] = true;
        }
        printf("\n");
    }
    if (!p->path_count)
        printf("\nNo chain of the model reaches the target.\n");
    else if (n[2] && !show_fail)
        printf("\n(%zu failing chain(s) not listed: --all lists them, --format json has "
               "them all)\n",
               n[2]);
    printf("\nEdges and their preconditions:\n");
    for (size_t i = 0; i < p->edge_count; i++) {
        const toksim_path_edge *e = &p->edges[i];
        if (i < 4096 && !used[i])
            continue;
        printf("\n%s: ", e->id);
        cli_put_text(p->nodes[e->from].name);
        printf(" -> ");
        cli_put_text(p->nodes[e->to].name);
        printf("  [%s]\n  ", mark(e->state));
        cli_put_text(e->technique);
        printf("\n  rests on: ");
        cli_put_text(e->citation);
        printf("\n");
        for (size_t k = 0; k < e->condition_count; k++) {
            const toksim_path_condition *c = &e->conditions[k];
            printf("  - [%s] ", toksim_path_state_name(c->state));
            cli_put_text(c->text);
            printf("\n      %s%s: ", toksim_rule_get(c->rule)->id,
                   c->unconfirmed ? " (UNCONFIRMED)" : "");
            cli_put_text(c->detail);
            printf("\n");
        }
    }
    return EXIT_OK;
}
