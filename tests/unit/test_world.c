/* PURPOSE: the identity world: default SAM accounts and memberships, name resolution in
 * every form Windows accepts, nested and cyclic group expansion, the world JSON loader
 * and its errors. */
#include "h4_test_util.h"
#include "scenario/world_json.h"

Test(world, default_sam_memberships)
{
    toksim_world *w = h4_world(NULL);
    toksim_sid users = ts_test_sid("S-1-5-32-545"), admins = ts_test_sid("S-1-5-32-544");
    toksim_sid inter = ts_test_sid("S-1-5-4"), au = ts_test_sid("S-1-5-11");
    toksim_sid adm = ts_test_sid("S-1-5-21-1000-2000-3000-500");
    cr_assert(toksim_world_is_member(w, &users, &inter));
    cr_assert(toksim_world_is_member(w, &users, &au));
    cr_assert(toksim_world_is_member(w, &admins, &adm));
    toksim_account a;
    cr_assert(toksim_world_lookup_sid(w, &adm, &a));
    cr_assert_str_eq(a.name, "Administrator");
    cr_assert(a.flags & TOKSIM_ACCOUNT_DISABLED,
              "client SKUs disable the built-in Administrator");
    toksim_world_free(w);
    w = h4_world("server");
    cr_assert(toksim_world_lookup_sid(w, &adm, &a));
    cr_assert_not(a.flags & TOKSIM_ACCOUNT_DISABLED);
    toksim_world_free(w);
}

Test(world, resolve_every_form)
{
    toksim_world *w = h4_load("tests/data/world/contoso.json");
    struct {
        const char *name, *sid;
    } v[] = {{"CONTOSO\\alice", "S-1-5-21-111-222-333-1105"},
             {"contoso\\ALICE", "S-1-5-21-111-222-333-1105"},
             {"alice", "S-1-5-21-111-222-333-1105"},
             {"WS01\\svc_sql", NULL},
             {".\\svc_sql", NULL},
             {"BUILTIN\\Administrators", "S-1-5-32-544"},
             {"Administrators", "S-1-5-32-544"},
             {"NT AUTHORITY\\NETWORK SERVICE", "S-1-5-20"},
             {"SERVICE", "S-1-5-6"},
             {"BA", "S-1-5-32-544"},
             {"S-1-5-32-568", "S-1-5-32-568"},
             {"CONTOSO\\Domain Admins", "S-1-5-21-111-222-333-512"},
             {"IIS APPPOOL\\DefaultAppPool",
              "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415"},
             {"NT SERVICE\\MSSQLSERVER",
              "S-1-5-80-3880718306-3832830129-1677859214-2598158968-1052248003"},
             {"WS01\\Administrator", "S-1-5-21-1000-2000-3000-500"}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        toksim_sid s;
        toksim_error e = {0};
        cr_assert_eq(toksim_world_resolve(w, v[i].name, &s, &e), TOKSIM_OK, "%s: %s",
                     v[i].name, e.message);
        if (v[i].sid) {
            char buf[TOKSIM_SID_STRING_MAX];
            toksim_sid_format(buf, sizeof buf, &s);
            cr_assert_str_eq(buf, v[i].sid, "%s", v[i].name);
        }
    }
    toksim_sid s;
    toksim_error e = {0};
    cr_assert_eq(toksim_world_resolve(w, "CONTOSO\\nobody", &s, &e), TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "nobody"));
    char name[128];
    toksim_sid pool =
        ts_test_sid("S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415");
    toksim_world_sid_name(name, sizeof name, &pool, w);
    cr_assert_str_eq(name, "IIS APPPOOL\\DefaultAppPool");
    toksim_world_free(w);
}

Test(world, nested_and_cyclic_membership)
{
    toksim_world *w = h4_load("tests/data/world/contoso.json");
    toksim_sid alice, rdu = ts_test_sid("S-1-5-32-555"), ring_a, ring_b, ops, svc;
    toksim_error e = {0};
    h4_ok(toksim_world_resolve(w, "alice", &alice, &e), e);
    h4_ok(toksim_world_resolve(w, "CONTOSO\\Ring A", &ring_a, &e), e);
    h4_ok(toksim_world_resolve(w, "CONTOSO\\Ring B", &ring_b, &e), e);
    h4_ok(toksim_world_resolve(w, "App Operators", &ops, &e), e);
    h4_ok(toksim_world_resolve(w, "CONTOSO\\ringer", &svc, &e), e);
    /* alice -> SQL Admins (domain group) -> Remote Desktop Users (a local group holds
     * domain groups, never another local group: issue 18) */
    cr_assert(toksim_world_is_member(w, &rdu, &alice));
    /* ringer -> Ring A <-> Ring B (domain groups) -> App Operators: the cycle
     * terminates */
    toksim_sid *all = NULL;
    size_t n = 0;
    h4_ok(toksim_world_expand(w, &svc, 1, &all, &n), e);
    cr_assert(n >= 5, "expanded %zu", n);
    bool a = false, b = false, o = false, r = false;
    for (size_t i = 0; i < n; i++) {
        a = a || toksim_sid_equal(&all[i], &ring_a);
        b = b || toksim_sid_equal(&all[i], &ring_b);
        o = o || toksim_sid_equal(&all[i], &ops);
        r = r || toksim_sid_equal(&all[i], &rdu);
        for (size_t k = 0; k < i; k++)
            cr_assert_not(toksim_sid_equal(&all[i], &all[k]), "duplicate in expansion");
    }
    cr_assert(a && b && o);
    (void)r;
    free(all);
    toksim_world_free(w);
}

Test(world, domain_join_defaults_and_flags)
{
    toksim_world *w = h4_load("tests/data/world/contoso.json");
    toksim_sid admins = ts_test_sid("S-1-5-32-544"),
               da = ts_test_sid("S-1-5-21-111-222-333-512");
    toksim_sid pu = ts_test_sid("S-1-5-21-111-222-333-525"), carol, dadmin;
    toksim_error e = {0};
    cr_assert(toksim_world_is_member(w, &admins, &da));
    h4_ok(toksim_world_resolve(w, "carol", &carol, &e), e);
    h4_ok(toksim_world_resolve(w, "dadmin", &dadmin, &e), e);
    cr_assert(toksim_world_is_member(w, &pu, &carol));
    cr_assert(toksim_world_is_member(w, &admins, &dadmin));
    toksim_account a;
    cr_assert(toksim_world_lookup_sid(w, &carol, &a));
    cr_assert(a.flags & TOKSIM_ACCOUNT_SENSITIVE);
    cr_assert_str_eq(a.domain, "CONTOSO");
    toksim_sid mach;
    h4_ok(toksim_world_resolve(w, "CONTOSO\\WS01$", &mach, &e), e);
    toksim_world_free(w);
}

Test(world, rejects_duplicates_and_bad_groups)
{
    toksim_world *w = h4_world(NULL);
    h4_add_user(w, "bob", NULL);
    toksim_account a = {0};
    a.kind = TOKSIM_ACCOUNT_USER;
    a.name = "BOB";
    toksim_error e = {0};
    cr_assert_eq(toksim_world_add_account(w, &a, NULL, &e), TOKSIM_EINVAL);
    cr_assert(strstr(e.message, "already exists"));
    toksim_sid bob, everyone = ts_test_sid("S-1-1-0");
    h4_ok(toksim_world_resolve(w, "bob", &bob, &e), e);
    cr_assert_eq(toksim_world_add_member(w, &everyone, &bob, &e), TOKSIM_EINVAL,
                 "Everyone is not a SAM group");
    toksim_world_free(w);
}

Test(world, json_errors_name_file_line_and_problem)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_world_load_file(&w, "tests/data/world/bad_member.json", &e),
                 TOKSIM_ENOTFOUND);
    cr_assert_str_eq(e.where, "tests/data/world/bad_member.json");
    cr_assert_eq(e.line, 5, "line %d: %s", e.line, e.message);
    cr_assert(strstr(e.message, "groups[0].members[1]") && strstr(e.message, "nobody"),
              "%s", e.message);
    cr_assert_eq(toksim_world_load_file(&w, "tests/data/world/bad_syntax.json", &e),
                 TOKSIM_EPARSE);
    cr_assert(e.line >= 3, "%d", e.line);
    const char *bad_os = "{\"machine\": {\"name\": \"X\", \"os\": \"vista\"}}";
    cr_assert_eq(toksim_world_from_json(&w, bad_os, strlen(bad_os), "inline.json", &e),
                 TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "vista"));
    cr_assert_eq(e.line, 1);
    const char *bad_right = "{\n\"rights\": {\"SeFooPrivilege\": []}}";
    cr_assert_eq(toksim_world_from_json(&w, bad_right, strlen(bad_right), "r.json", &e),
                 TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "SeFooPrivilege"));
    cr_assert_eq(e.line, 2);
    cr_assert_null(w);
}

Test(world, json_policy_inf_and_inline_rights)
{
    toksim_world *w = h4_load("tests/data/world/hardened.json");
    const toksim_policy *p = toksim_world_policy_const(w);
    toksim_sid ns = ts_test_sid("S-1-5-20"), svc = ts_test_sid("S-1-5-6"),
               ls = ts_test_sid("S-1-5-19");
    cr_assert_not(toksim_policy_has(p, TOKSIM_PRIV_IMPERSONATE, &ns));
    cr_assert_not(toksim_policy_has(p, TOKSIM_PRIV_IMPERSONATE, &svc));
    cr_assert(toksim_policy_has(p, TOKSIM_PRIV_IMPERSONATE, &ls));
    toksim_sid ok, bad;
    toksim_error e = {0};
    h4_ok(toksim_world_resolve(w, "svc_ok", &ok, &e), e);
    h4_ok(toksim_world_resolve(w, "svc_bad", &bad, &e), e);
    cr_assert(toksim_policy_has(p, TOKSIM_RIGHT_SERVICE_LOGON, &ok));
    cr_assert(toksim_policy_has(p, TOKSIM_RIGHT_DENY_SERVICE_LOGON, &bad));
    cr_assert_str_eq(toksim_world_os_profile(w), "server");
    toksim_world_free(w);
}

Test(world, prefixed_paths_locate_inside_an_enclosing_document)
{
    /* how the scenario engine loads a scenario's "world" member */
    const char *doc = "{\n  \"name\": \"scenario\",\n  \"world\": {\n    \"users\": [ "
                      "{\"name\": \"a\", \"groups\": [\"ghost\"]} ]\n  }\n}\n";
    ts_jdoc jd;
    toksim_error e = {0};
    cr_assert_eq(ts_jdoc_parse(&jd, doc, strlen(doc), SIZE_MAX, &e), TOKSIM_OK);
    toksim_world *w = NULL;
    cr_assert_eq(ts_world_from_cjson(&w, cJSON_GetObjectItem(jd.root, "world"), &jd,
                                     "s.json", NULL, "world.", &e),
                 TOKSIM_ENOTFOUND);
    cr_assert_eq(e.line, 4, "%d %s", e.line, e.message);
    cr_assert_eq(e.column, 41, "%d %s", e.column, e.message); /* the "ghost" string */
    cr_assert(strstr(e.message, "world.users[0].groups[0]"), "%s", e.message);
    cr_assert(strstr(e.message, "ghost"));
    cr_assert_str_eq(e.where, "s.json");
    ts_jdoc_dispose(&jd);
}

Test(world, group_kinds_and_unknown_members_rejected)
{
    const char *doc =
        "{\"machine\": {\"name\": \"MBAM01\", \"os\": \"server\"},"
        " \"domain\": {\"name\": \"CONTOSO\", \"sid\": \"S-1-5-21-7-8-9\"},"
        " \"groups\": [{\"name\": \"helpdesk\", \"scope\": \"domain\", \"rid\": 1106},"
        "  {\"name\": \"ops\"}],"
        " \"users\": [{\"name\": \"alice\", \"scope\": \"domain\", \"groups\": "
        "[\"CONTOSO\\\\helpdesk\"]}],"
        " \"objects\": [{\"path\": \"x\"}]}";
    toksim_world *w = NULL;
    toksim_error e = {0};
    h4_ok(toksim_world_from_json(&w, doc, strlen(doc), "s.json", &e), e);
    toksim_sid alice, hd, ops;
    h4_ok(toksim_world_resolve(w, "CONTOSO\\alice", &alice, &e), e);
    h4_ok(toksim_world_resolve(w, "CONTOSO\\helpdesk", &hd, &e), e);
    h4_ok(toksim_world_resolve(w, "MBAM01\\ops", &ops, &e), e);
    cr_assert(toksim_world_is_member(w, &hd, &alice));
    cr_assert_eq(toksim_world_sid_kind(w, &hd), TOKSIM_ACCOUNT_GROUP);
    cr_assert_eq(toksim_world_sid_kind(w, &ops), TOKSIM_ACCOUNT_ALIAS,
                 "a machine group is an alias");
    toksim_world_free(w);
    /* An unknown member anywhere is an error naming its JSON path and position. */
    const char *bad[][2] = {
        {"{\"accounts\": []}", "accounts"},
        {"{\"machine\": {\"nmae\": \"X\"}}", "machine.nmae"},
        {"{\"users\": [{\"name\": \"a\", \"member_of\": []}]}", "users[0].member_of"},
        {"{\"groups\": [{\"name\": \"g\", \"kind\": \"robot\"}]}", "robot"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(
            toksim_world_from_json(&w, bad[i][0], strlen(bad[i][0]), "b.json", &e),
            TOKSIM_EPARSE, "%s", bad[i][0]);
        cr_assert(strstr(e.message, bad[i][1]), "%s: %s", bad[i][0], e.message);
        cr_assert_null(w);
    }
}

Test(world, note_member_is_accepted_other_unknown_members_are_not)
{
    const char *ok =
        "{\"note\": \"why this world exists\", \"machine\": {\"name\": \"WS02\"}}";
    toksim_world *w = NULL;
    toksim_error e = {0};
    h4_ok(toksim_world_from_json(&w, ok, strlen(ok), "n.json", &e), e);
    cr_assert_str_eq(toksim_world_machine_name(w), "WS02");
    toksim_world_free(w);
    const char *bad = "{\"note\": \"x\",\n \"notes\": \"y\"}";
    cr_assert_eq(toksim_world_from_json(&w, bad, strlen(bad), "n.json", &e),
                 TOKSIM_EPARSE);
    cr_assert_eq(e.line, 2, "%d:%d %s", e.line, e.column, e.message);
    cr_assert_eq(e.column, 11, "%d:%d %s", e.line, e.column, e.message);
    cr_assert(strstr(e.message, "\"notes\""), "%s", e.message);
}

Test(world, wrongly_typed_members_are_errors_not_defaults)
{
    static const struct {
        const char *doc, *path;
    } v[] = {
        {"{\"users\": [{\"name\": \"a\", \"disabled\": \"yes\"}]}", "users[0].disabled"},
        {"{\"users\": [{\"name\": \"a\", \"sensitive\": 1}]}", "users[0].sensitive"},
        {"{\"groups\": [{\"name\": \"g\", \"kind\": 3}]}", "groups[0].kind"},
        {"{\"secedit_configure\": \"true\"}", "secedit_configure"},
        {"{\"virtual_accounts\": \"NT SERVICE\\\\x\"}", "virtual_accounts"},
        {"{\"users\": [{\"name\": \"a\"}], \"memberships\": "
         "[{\"group\": \"BUILTIN\\\\Users\", \"member\": \"a\", \"membr\": \"b\"}]}",
         "memberships[0].membr"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        toksim_world *w = NULL;
        toksim_error e = {0};
        cr_assert_eq(toksim_world_from_json(&w, v[i].doc, strlen(v[i].doc), "t.json", &e),
                     TOKSIM_EPARSE, "%s", v[i].doc);
        cr_assert_null(w);
        cr_assert(strstr(e.message, v[i].path), "%s: %s", v[i].doc, e.message);
        cr_assert_eq(e.line, 1, "%s", e.message);
        cr_assert_gt(e.column, 1, "%s", e.message);
    }
}

Test(world, overlong_policy_inf_path_is_refused_not_truncated)
{
    static char doc[6000];
    int n = snprintf(doc, sizeof doc, "{\"policy_inf\": \"");
    memset(doc + n, 'a', 5000);
    snprintf(doc + n + 5000, sizeof doc - (size_t)n - 5000, "\"}");
    toksim_world *w = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_world_from_json(&w, doc, strlen(doc), "dir/w.json", &e),
                 TOKSIM_ELIMIT, "%s", e.message);
    cr_assert(strstr(e.message, "policy_inf: security template path longer than"), "%s",
              e.message);
    cr_assert_eq(e.column, 16, "%s", e.message);
}
