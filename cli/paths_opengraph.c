/*
 * PURPOSE: `toksim paths --format opengraph`: BloodHound OpenGraph JSON ({"graph":
 * {"nodes", "edges"}, "metadata": {"source_kind"}}), schemas/paths-opengraph.schema.json.
 * Nodes have kinds ["Toksim_Identity"] and flat properties; each edge's kind is the
 * technique in PascalCase ("ToksimSpooler"), its preconditions are edge properties
 * (homogeneous string arrays: text, state, rule), and every node and edge says
 * teaching_model = true.
 */
#include <cJSON.h>
#include <ctype.h>
#include "paths_view.h"

static void node_id(char *buf, size_t n, const toksim_paths *p, size_t i)
{
    char sid[TOKSIM_SID_STRING_MAX];
    toksim_sid_format(sid, sizeof sid, &p->nodes[i].sid);
    snprintf(buf, n, "TOKSIM-%zu-%s", i, sid);
}

/* "dcom_local" -> "ToksimDcomLocal" */
static void edge_kind(char *buf, size_t n, const char *id)
{
    size_t at = (size_t)snprintf(buf, n, "Toksim");
    bool up = true;
    for (; *id && at + 1 < n; id++) {
        if (*id == '_' || *id == '-') {
            up = true;
            continue;
        }
        buf[at++] = up ? (char)toupper((unsigned char)*id) : *id;
        up = false;
    }
    buf[at] = '\0';
}

static cJSON *endpoint(const char *id)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "value", id);
    cJSON_AddStringToObject(e, "match_by", "id");
    return e;
}

int paths_print_opengraph(const toksim_paths *p, const paths_input *in)
{
    char id[TOKSIM_SID_STRING_MAX + 32], sid[TOKSIM_SID_STRING_MAX], kind[64];
    cJSON *o = cJSON_CreateObject();
    cJSON *graph = cJSON_AddObjectToObject(o, "graph");
    cJSON *nodes = cJSON_AddArrayToObject(graph, "nodes");
    for (size_t i = 0; i < p->node_count; i++) {
        cJSON *n = cJSON_CreateObject();
        node_id(id, sizeof id, p, i);
        cJSON_AddStringToObject(n, "id", id);
        cJSON *k = cJSON_AddArrayToObject(n, "kinds");
        cJSON_AddItemToArray(k, cJSON_CreateString("Toksim_Identity"));
        cJSON *pr = cJSON_AddObjectToObject(n, "properties");
        cJSON_AddStringToObject(pr, "name", p->nodes[i].name);
        cJSON_AddStringToObject(pr, "displayname", p->nodes[i].name);
        toksim_sid_format(sid, sizeof sid, &p->nodes[i].sid);
        cJSON_AddStringToObject(pr, "objectid", sid);
        cJSON_AddBoolToObject(pr, "source", p->nodes[i].source);
        cJSON_AddBoolToObject(pr, "target", p->nodes[i].target);
        cJSON_AddBoolToObject(pr, "teaching_model", true);
        cJSON_AddItemToArray(nodes, n);
    }
    cJSON *edges = cJSON_AddArrayToObject(graph, "edges");
    for (size_t i = 0; i < p->edge_count; i++) {
        const toksim_path_edge *e = &p->edges[i];
        cJSON *j = cJSON_CreateObject();
        edge_kind(kind, sizeof kind, e->id);
        cJSON_AddStringToObject(j, "kind", kind);
        node_id(id, sizeof id, p, e->from);
        cJSON_AddItemToObject(j, "start", endpoint(id));
        node_id(id, sizeof id, p, e->to);
        cJSON_AddItemToObject(j, "end", endpoint(id));
        cJSON *pr = cJSON_AddObjectToObject(j, "properties");
        cJSON_AddStringToObject(pr, "state", toksim_path_state_name(e->state));
        cJSON_AddStringToObject(pr, "technique", e->technique);
        cJSON_AddStringToObject(pr, "citation", e->citation);
        cJSON_AddStringToObject(pr, "rule", toksim_rule_get(e->rule)->id);
        cJSON_AddBoolToObject(pr, "teaching_model", true);
        cJSON_AddStringToObject(pr, "teaching_model_note", PATHS_TEACHING_LABEL);
        cJSON *ct = cJSON_AddArrayToObject(pr, "conditions");
        cJSON *cs = cJSON_AddArrayToObject(pr, "condition_states");
        cJSON *cr = cJSON_AddArrayToObject(pr, "condition_rules");
        for (size_t k = 0; k < e->condition_count; k++) {
            cJSON_AddItemToArray(ct, cJSON_CreateString(e->conditions[k].text));
            cJSON_AddItemToArray(
                cs, cJSON_CreateString(toksim_path_state_name(e->conditions[k].state)));
            cJSON_AddItemToArray(
                cr, cJSON_CreateString(toksim_rule_get(e->conditions[k].rule)->id));
        }
        cJSON_AddItemToArray(edges, j);
    }
    (void)in;
    cJSON *m = cJSON_AddObjectToObject(o, "metadata");
    cJSON_AddStringToObject(m, "source_kind", "Toksim");
    return cli_print_json(o);
}
