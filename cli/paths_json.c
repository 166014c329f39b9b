/*
 * PURPOSE: `toksim paths --format json` (schemas/paths.schema.json): the TEACHING MODEL
 * label, the nodes, every edge with its preconditions and the chains to the target.
 */
#include <cJSON.h>
#include "paths_view.h"

int paths_print_json(const toksim_paths *p, const paths_input *in)
{
    char sid[TOKSIM_SID_STRING_MAX];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "teaching_model", PATHS_TEACHING_LABEL);
    cJSON_AddStringToObject(o, "from", in->from);
    cJSON_AddStringToObject(o, "os_profile", in->os ? in->os : "");
    cJSON_AddStringToObject(o, "target", in->target);
    cJSON *nodes = cJSON_AddArrayToObject(o, "nodes");
    for (size_t i = 0; i < p->node_count; i++) {
        cJSON *n = cJSON_CreateObject();
        cJSON_AddNumberToObject(n, "index", (double)i);
        cJSON_AddStringToObject(n, "name", p->nodes[i].name);
        toksim_sid_format(sid, sizeof sid, &p->nodes[i].sid);
        cJSON_AddStringToObject(n, "sid", sid);
        cJSON_AddBoolToObject(n, "source", p->nodes[i].source);
        cJSON_AddBoolToObject(n, "target", p->nodes[i].target);
        cJSON_AddItemToArray(nodes, n);
    }
    cJSON *edges = cJSON_AddArrayToObject(o, "edges");
    for (size_t i = 0; i < p->edge_count; i++) {
        const toksim_path_edge *e = &p->edges[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "index", (double)i);
        cJSON_AddStringToObject(j, "kind", e->id);
        cJSON_AddNumberToObject(j, "from", (double)e->from);
        cJSON_AddNumberToObject(j, "to", (double)e->to);
        cJSON_AddStringToObject(j, "state", toksim_path_state_name(e->state));
        cJSON_AddStringToObject(j, "technique", e->technique);
        cJSON_AddStringToObject(j, "citation", e->citation);
        cJSON_AddStringToObject(j, "rule", toksim_rule_get(e->rule)->id);
        cJSON *cs = cJSON_AddArrayToObject(j, "conditions");
        for (size_t k = 0; k < e->condition_count; k++) {
            const toksim_path_condition *c = &e->conditions[k];
            cJSON *cj = cJSON_CreateObject();
            cJSON_AddStringToObject(cj, "text", c->text);
            cJSON_AddStringToObject(cj, "rule", toksim_rule_get(c->rule)->id);
            cJSON_AddStringToObject(cj, "state", toksim_path_state_name(c->state));
            cJSON_AddBoolToObject(cj, "unconfirmed", c->unconfirmed);
            cJSON_AddStringToObject(cj, "detail", c->detail);
            cJSON_AddItemToArray(cs, cj);
        }
        cJSON_AddItemToArray(edges, j);
    }
    cJSON *paths = cJSON_AddArrayToObject(o, "paths");
    for (size_t i = 0; i < p->path_count; i++) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "state", toksim_path_state_name(p->paths[i].state));
        cJSON *es = cJSON_AddArrayToObject(j, "edges");
        for (size_t k = 0; k < p->paths[i].count; k++)
            cJSON_AddItemToArray(es, cJSON_CreateNumber((double)p->paths[i].edges[k]));
        cJSON_AddItemToArray(paths, j);
    }
    return cli_print_json(o);
}
