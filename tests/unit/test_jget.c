/* PURPOSE: ts_jget (issue 11: member lookups compare a first byte before strcmp) returns
 * the node cJSON_GetObjectItemCaseSensitive returns, for every member name of several
 * objects, near misses, empty names, repeated names, arrays, NULL. */
#include "../helpers.h"
#include <cJSON.h>
#include "scenario/world_json.h"

static void same_all(const cJSON *o)
{
    static const char *const probes[] = {"",      "a",     "ab",  "abc", "b",   "name",
                                         "Name",  "names", "nam", "sid", "rid", "x",
                                         "users", "user",  "dup", "é",   NULL};
    for (size_t i = 0; probes[i]; i++)
        cr_assert_eq(ts_jget(o, probes[i]),
                     cJSON_GetObjectItemCaseSensitive(o, probes[i]), "key \"%s\"",
                     probes[i]);
    for (const cJSON *it = o ? o->child : NULL; it; it = it->next)
        if (it->string)
            cr_assert_eq(ts_jget(o, it->string),
                         cJSON_GetObjectItemCaseSensitive(o, it->string), "key \"%s\"",
                         it->string);
    cr_assert_eq(ts_jget(o, NULL), cJSON_GetObjectItemCaseSensitive(o, NULL));
}

Test(jget, matches_cjson)
{
    static const char *const docs[] = {
        "{}",
        "{\"a\":1,\"ab\":2,\"abc\":3,\"b\":4}",
        "{\"name\":\"x\",\"Name\":1,\"names\":[],\"sid\":\"S-1-5-18\",\"rid\":500}",
        "{\"dup\":1,\"dup\":2,\"\":3,\"\\u00e9\":4}",
        "[1,2,3]",
        "\"text\"",
        "{\"users\":[{\"name\":\"alice\"}],\"user\":null}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        cJSON *o = cJSON_Parse(docs[i]);
        cr_assert_not_null(o, "%s", docs[i]);
        same_all(o);
        for (const cJSON *it = o->child; it; it = it->next)
            same_all(it);
        cJSON_Delete(o);
    }
    same_all(NULL);
    cJSON *dup = cJSON_Parse("{\"dup\":1,\"dup\":2}");
    cr_assert_eq(ts_jget(dup, "dup")->valueint, 1); /* the first of a repeated name */
    cJSON_Delete(dup);
}
