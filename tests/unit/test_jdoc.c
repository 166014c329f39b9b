/*
 * PURPOSE: the strict reader's tree (ts_jdoc_parse, issue 11): the tree it builds in its
 * one pass must be the tree cJSON builds from the same text (types, keys, strings after
 * unescaping, numbers, member order, the prev links cJSON keeps), every node must carry
 * where its key and value stand in the text, and the value cap must be counted as the
 * loaders always counted it and give way to a syntax error found later.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../rules_helpers.h"
#include "scenario/scen_int.h"
#include "../json_same.h"

/* json_same_tree does not look at prev links; the first child's prev must be the last. */
static void assert_links(const cJSON *n)
{
    const cJSON *last = NULL;
    for (const cJSON *c = n->child; c; c = c->next) {
        if (c != n->child)
            cr_assert_eq(c->prev, last);
        assert_links(c);
        last = c;
    }
    if (n->child)
        cr_assert_eq(n->child->prev, last);
}

static void same_as_cjson(const char *text, size_t len)
{
    ts_jdoc d;
    toksim_error e;
    cr_assert_eq(ts_jdoc_parse(&d, text, len, SIZE_MAX, &e), TOKSIM_OK, "%s", e.message);
    cJSON *ref = cJSON_ParseWithLength(text, len);
    cr_assert_not_null(ref);
    cr_assert(json_same_tree(d.root, ref), "tree differs from cJSON's: %.80s", text);
    assert_links(d.root);
    cJSON_Delete(ref);
    ts_jdoc_dispose(&d);
}

Test(jdoc, tree_equals_cjson_on_tricky_values)
{
    static const char *docs[] = {
        "{\"a\":[1,-0,0.5,1e10,-2.5E-3,true,false,null,\"\\u00e9\\ud83d\\ude00\\n\"]}",
        " [ ] ",
        "\"x\"",
        "{}",
        "17",
        /* escapes in keys and values, nesting */
        ("{\"k\\\"ey\\\\\":\"v\\/\\b\\f\\r\\t\","
         "\"\\u0041\":{\"n\":[[],[{}],[1,[2,[3]]]]}}"),
        "[2147483647,2147483648,-2147483648,-2147483649,1.5e300,-0.0,123456789012]",
        "[1e999,-1e999,1e-999,0.1,3.14159265358979323846]",
        "{\"caf\xc3\xa9\":\"\xe6\x97\xa5\xe6\x9c\xac\",\"e\":\"\"}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        same_as_cjson(docs[i], strlen(docs[i]));
}

static int compare_dir(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t l = strlen(de->d_name);
        if (l > 5 && strcmp(de->d_name + l - 5, ".json") == 0) {
            FILE *f = fopen(path, "rb");
            cr_assert_not_null(f);
            static char buf[1 << 20];
            size_t len = fread(buf, 1, sizeof buf - 1, f);
            fclose(f);
            buf[len] = '\0';
            same_as_cjson(buf, len);
            n++;
        } else if (!strchr(de->d_name, '.')) {
            n += compare_dir(path);
        }
    }
    closedir(d);
    return n;
}

Test(jdoc, tree_equals_cjson_on_the_shipped_catalog)
{
    cr_assert_gt(compare_dir("scenarios"), 40);
}

Test(jdoc, nodes_carry_key_and_value_positions)
{
    const char *t = "{\n \"ab\" : [ 1 , \"x\" ],\"c\":{\"d\":null}}";
    ts_jdoc d;
    toksim_error e;
    cr_assert_eq(ts_jdoc_parse(&d, t, strlen(t), SIZE_MAX, &e), TOKSIM_OK);
    const cJSON *ab = cJSON_GetObjectItemCaseSensitive(d.root, "ab");
    cr_assert_eq(ts_jpos_of(&d, d.root, false), 0);
    cr_assert_eq(ts_jpos_end(&d, d.root), strlen(t));
    cr_assert_eq(ts_jpos_of(&d, ab, true), 3);         /* the key's opening quote */
    cr_assert_eq(ts_jpos_of(&d, ab, false), 10);       /* the '[' */
    cr_assert_eq(ts_jpos_end(&d, ab), 21);             /* one past the ']' */
    cr_assert_eq(ts_jpos_of(&d, ab->child, true), 12); /* no key: the value */
    cr_assert_eq(ts_jpos_of(&d, ab->child->next, false), 16);
    cr_assert_eq(ts_jpos_end(&d, ab->child->next), 19);
    const cJSON *dn = ts_json_path_node(d.root, "c.d");
    cr_assert(cJSON_IsNull(dn));
    cr_assert_eq(ts_jpos_of(&d, dn, true), 27);
    cr_assert_eq(ts_jpos_of(&d, dn, false), 31);
    cr_assert_eq(ts_jpos_end(&d, dn), 35);
    cr_assert_eq(ts_jpos_of(&d, NULL, false), 0);
    ts_jdoc_dispose(&d);
}

Test(jdoc, value_cap_counted_at_commas_and_after_syntax_errors)
{
    ts_jdoc d;
    toksim_error e;
    /* values = 1, '[' -> 2, the first ',' -> 3 > 2: reported at that comma */
    cr_assert_eq(ts_jdoc_parse(&d, "[1,2,3]", 7, 2, &e), TOKSIM_ELIMIT);
    cr_assert_eq(e.offset, 2);
    cr_assert(strstr(e.message, "more than 2 JSON values"), "%s", e.message);
    cr_assert_null(d.root);
    cr_assert_eq(ts_jdoc_parse(&d, "[1,2,3]", 7, 4, &e), TOKSIM_OK);
    ts_jdoc_dispose(&d);
    /* a syntax error later in the text is the one reported */
    cr_assert_eq(ts_jdoc_parse(&d, "[1,2,3,]", 8, 2, &e), TOKSIM_EPARSE);
    cr_assert(strstr(e.message, "trailing comma"), "%s", e.message);
    /* and the check alone has no cap */
    cr_assert_eq(toksim_json_check("[1,2,3]", 7, &e), TOKSIM_OK);
}

Test(jdoc, refusals_leave_the_document_empty)
{
    ts_jdoc d;
    toksim_error e;
    const char *t = "{\"a\":[1,{\"b\":2,\"b\":3}]}";
    cr_assert_eq(ts_jdoc_parse(&d, t, strlen(t), SIZE_MAX, &e), TOKSIM_EPARSE);
    cr_assert(strstr(e.message, "duplicate key \"b\""), "%s", e.message);
    cr_assert_null(d.root);
    cr_assert_null(d.chunks);
    cr_assert_null(d.strings);
    ts_jdoc_dispose(&d); /* harmless on an empty document */
}

Test(jdoc, lines_end_at_lf_crlf_and_a_lone_cr)
{
    const char *t = "{\r \"a\":1,\r\n \"b\":[\r\r  tru]}";
    toksim_error e;
    cr_assert_eq(toksim_json_check(t, strlen(t), &e), TOKSIM_EPARSE);
    cr_assert_eq(e.line, 5, "%d", e.line);
    cr_assert_eq(e.column, 3, "%d", e.column);
    int line = 0, col = 0;
    ts_text_linecol(t, strlen(t), 12, &line, &col); /* the '"' of "b", after a CRLF */
    cr_assert_eq(line, 3);
    cr_assert_eq(col, 2);
    line = 3, col = 1; /* carried on from just inside a CRLF: the LF is not a new line */
    ts_text_advance(t, 10, 12, true, &line, &col);
    cr_assert_eq(line, 3);
    cr_assert_eq(col, 2);
}
