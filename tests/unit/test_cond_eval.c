/*
 * PURPOSE: conditional (callback) ACE evaluation in the access check against token
 * claims, groups, device groups and resource attributes. Expected values follow MS-DTYP
 * 2.4.4.17.6-.8 (operator semantics, three-valued logic, NULL attributes) and 2.5.3.2
 * (TRUE applies the ACE, FALSE skips it, UNKNOWN skips an allow ACE and applies a deny
 * ACE), and the examples of "Security Descriptor Definition Language for Conditional
 * ACEs" (Microsoft Learn), e.g. (@User.Title=="PM").
 */
#include <stdio.h>
#include "access_fixtures.h"

enum { T = 1, F = 0, U = 2 };

typedef struct cond_vec {
    const char *expr;   /* the condition, as in (XA;;FR;;;WD;(expr)) */
    const char *claims; /* ';'-separated --claim specs, or NULL */
    const char *group;  /* an extra enabled group, or NULL */
    const char *sacl;   /* S: part, or NULL */
    int want;
} cond_vec;

static const cond_vec vecs[] = {
    {"@User.Title == \"PM\"", "user:\"Title\",TS,0,\"PM\"", NULL, NULL, T},
    {"@User.Title == \"PM\"", "user:\"title\",TS,0,\"pm\"", NULL, NULL, T}, /* any case */
    {"@User.Title == \"PM\"", "user:\"Title\",TS,0,\"Dev\"", NULL, NULL, F},
    {"@User.Title == \"PM\"", NULL, NULL, NULL, U}, /* no such claim: NULL */
    {"@User.Title != \"PM\"", NULL, NULL, NULL, U},
    {"@User.Title < \"Q\"", "user:\"Title\",TS,0,\"PM\"", NULL, NULL, T},
    {"@User.Title == 5", "user:\"Title\",TS,0,\"PM\"", NULL, NULL, U}, /* mixed types */
    {"Member_of {SID(BA)}", NULL, BA, NULL, T},
    {"Member_of {SID(BA)}", NULL, NULL, NULL, F},
    {"Member_of {SID(WD), SID(BA)}", NULL, NULL, NULL, F}, /* all of them */
    {"Member_of_Any {SID(WD), SID(BA)}", NULL, NULL, NULL, T},
    {"Not_Member_of {SID(BA)}", NULL, NULL, NULL, T},
    {"Not_Member_of_Any {SID(WD), SID(BA)}", NULL, NULL, NULL, F},
    {"Device_Member_of {SID(BA)}", "devgroup:BA", NULL, NULL, T},
    {"Device_Member_of {SID(BA)}", NULL, BA, NULL,
     F}, /* a user group is not a device's */
    {"Device_Member_of_Any {SID(BA), SID(BU)}", "devgroup:BU", NULL, NULL, T},
    {"Not_Device_Member_of {SID(BA)}", NULL, NULL, NULL, T},
    {"@User.clearance >= 3", "user:\"clearance\",TI,0,5", NULL, NULL, T},
    {"@User.clearance >= 3", "user:\"clearance\",TI,0,2", NULL, NULL, F},
    {"@User.clearance > -1", "user:\"clearance\",TI,0,0", NULL, NULL, T},
    {"@User.clearance <= 0x10", "user:\"clearance\",TU,0,16", NULL, NULL, T},
    {"@User.Project Contains {\"a\", \"b\"}", "user:\"Project\",TS,0,\"a\",\"b\",\"c\"",
     NULL, NULL, T},
    {"@User.Project Contains {\"a\", \"d\"}", "user:\"Project\",TS,0,\"a\",\"b\",\"c\"",
     NULL, NULL, F},
    {"@User.Project Not_Contains {\"a\", \"d\"}", "user:\"Project\",TS,0,\"a\",\"b\"",
     NULL, NULL, T},
    {"@User.Project Any_of {\"x\", \"C\"}", "user:\"Project\",TS,0,\"a\",\"b\",\"c\"",
     NULL, NULL, T},
    {"@User.Project Not_Any_of {\"x\", \"y\"}", "user:\"Project\",TS,0,\"a\"", NULL, NULL,
     T},
    {"@User.Project == {\"b\", \"a\"}", "user:\"Project\",TS,0,\"a\",\"b\"", NULL, NULL,
     T},
    {"Exists @User.Title", "user:\"Title\",TS,0,\"PM\"", NULL, NULL, T},
    {"Exists @User.Title", NULL, NULL, NULL, F}, /* Exists is never UNKNOWN */
    {"Not_Exists @User.Title", NULL, NULL, NULL, T},
    {"(@User.Title == \"PM\") || (Member_of {SID(WD)})", NULL, NULL, NULL, T},
    {"(@User.Title == \"PM\") && (Member_of {SID(WD)})", NULL, NULL, NULL, U},
    {"(@User.Title == \"PM\") && (Member_of {SID(BA)})", NULL, NULL, NULL, F},
    {"!(@User.Title == \"PM\")", NULL, NULL, NULL, U},
    {"!(Member_of {SID(BA)})", NULL, NULL, NULL, T},
    {"@Device.managed == 1", "device:\"managed\",TB,0,1", NULL, NULL, T},
    {"@Device.managed == 1", "user:\"managed\",TB,0,1", NULL, NULL, U}, /* wrong scope */
    {"@User.sid == SID(BA)", "user:\"sid\",TD,0,SID(BA)", NULL, NULL, T},
    {"@Resource.dept == @User.dept", "user:\"dept\",TS,0,\"HR\"", NULL,
     "S:(RA;;;;;WD;(\"dept\",TS,0,\"hr\"))", T},
    {"@Resource.dept Any_of {\"it\", \"ops\"}", NULL, NULL,
     "S:(RA;;;;;WD;(\"dept\",TS,0,\"hr\"))", F},
    {"@Resource.dept == \"hr\"", NULL, NULL, NULL, U}, /* no RA ACE */
    /* Local attributes (no prefix; MS-DTYP 2.4.4.17.4 token 0xF8) are the token's
     * security attributes. The default DACL of %ProgramFiles%\WindowsApps on Windows
     * 10/11 holds (XA;;0x1200a9;;;BU;(Exists WIN://SYSAPPID)): only packaged-app tokens,
     * which carry WIN://SYSAPPID, read it (superuser.com 1288014, a real ACL). */
    {"Exists WIN://SYSAPPID", "local:\"WIN://SYSAPPID\",TS,0,\"App_8wekyb3d8bbwe\"", NULL,
     NULL, T},
    {"Exists WIN://SYSAPPID", NULL, NULL, NULL, F},
    {"Exists WIN://SYSAPPID", "user:\"WIN://SYSAPPID\",TS,0,\"x\"", NULL, NULL,
     F}, /* a user claim is not a local attribute */
    {"Title == \"PM\"", "local:\"Title\",TS,0,\"pm\"", NULL, NULL, T},
    {"Title == \"PM\"", "user:\"Title\",TS,0,\"PM\"", NULL, NULL, U}, /* missing: NULL */
    {"@User.Title == \"PM\"", "local:\"Title\",TS,0,\"PM\"", NULL, NULL, U},
};

static toksim_sd *sd_of(const char *text)
{
    toksim_sd *sd;
    toksim_error e = {0};
    toksim_error *ep = &e;
    ts_assert_ok(toksim_sd_from_sddl(&sd, text, NULL, ep), ep);
    return sd;
}

static toksim_token *tok_of(const cond_vec *v)
{
    toksim_token *t = tok_new();
    if (v->group)
        tok_group(t, v->group, TOKSIM_SE_GROUP_DEFAULT);
    if (v->claims) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s", v->claims);
        for (char *save = NULL, *s = strtok_r(buf, ";", &save); s;
             s = strtok_r(NULL, ";", &save)) {
            toksim_error e = {0};
            toksim_error *ep = &e;
            ts_assert_ok(toksim_token_add_claim_spec(t, s, ep), ep);
        }
    }
    return t;
}

static const char *rule_of(int want)
{
    return want == T   ? "access.ace.condition.true"
           : want == F ? "access.ace.condition.false"
                       : "access.ace.condition.unknown";
}

Test(cond_eval, vectors_on_an_allow_ace)
{
    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++) {
        const cond_vec *v = &vecs[i];
        char text[512];
        snprintf(text, sizeof text, "O:BAG:BAD:(XA;;FR;;;WD;(%s))%s", v->expr,
                 v->sacl ? v->sacl : "");
        toksim_sd *sd = sd_of(text);
        toksim_token *t = tok_of(v);
        run x = check(sd, t, FILE_READ_DATA);
        cr_log_info("vector %zu: %s", i, v->expr);
        cr_assert(find(&x, rule_of(v->want), -1) >= 0, "vector %zu (%s): expected %s", i,
                  v->expr, rule_of(v->want));
        cr_assert_eq(x.r.granted_all, v->want == T, "vector %zu (%s)", i, v->expr);
        done(&x, sd, t);
    }
}

/* The same expressions on a deny ACE before an allow: UNKNOWN applies the deny. */
Test(cond_eval, vectors_on_a_deny_ace)
{
    for (size_t i = 0; i < sizeof vecs / sizeof vecs[0]; i++) {
        const cond_vec *v = &vecs[i];
        char text[512];
        snprintf(text, sizeof text, "O:BAG:BAD:(XD;;FR;;;WD;(%s))(A;;FR;;;WD)%s", v->expr,
                 v->sacl ? v->sacl : "");
        toksim_sd *sd = sd_of(text);
        toksim_token *t = tok_of(v);
        run x = check(sd, t, FILE_READ_DATA);
        cr_assert(find(&x, rule_of(v->want), -1) >= 0, "vector %zu (%s)", i, v->expr);
        cr_assert_eq(x.r.granted_all, v->want == F, "vector %zu (%s)", i, v->expr);
        done(&x, sd, t);
    }
}

/* A deny-only group counts for Member_of in a deny ACE, not in an allow ACE (MS-DTYP
 * 2.4.4.17.8 evaluates Member_of with SidInToken, which matches deny-only SIDs for deny
 * ACEs). */
Test(cond_eval, deny_only_group_counts_for_deny_aces_only)
{
    toksim_token *t = tok_new();
    tok_group(t, BA, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    toksim_sd *sd = sd_of("O:BAG:BAD:(XA;;FR;;;WD;(Member_of {SID(BA)}))");
    run x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.ace.condition.false");
    toksim_trace_dispose(&x.trace);
    toksim_sd_free(sd);
    sd = sd_of("O:BAG:BAD:(XD;;FR;;;WD;(Member_of {SID(BA)}))(A;;FR;;;WD)");
    x = check(sd, t, FILE_READ_DATA);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS(x, "access.ace.condition.true");
    done(&x, sd, t);
}

/* The trace shows the expression text. */
Test(cond_eval, trace_names_the_expression)
{
    toksim_token *t = tok_new();
    toksim_sd *sd = sd_of("O:BAG:BAD:(XA;;FR;;;WD;(@User.Title == \"PM\"))");
    run x = check(sd, t, FILE_READ_DATA);
    int i = find(&x, "access.ace.condition.unknown", TOKSIM_V_SKIP);
    cr_assert(i >= 0);
    cr_assert_str_eq(x.trace.events[i].text, "@User.Title == \"PM\"");
    done(&x, sd, t);
}

/* A token copy keeps its claims; a claim of the same name is replaced. */
Test(cond_eval, claims_copy_and_replace)
{
    toksim_token *t = tok_new();
    toksim_error e = {0};
    toksim_error *ep = &e;
    ts_assert_ok(
        toksim_token_add_claim(t, TOKSIM_CLAIMS_USER, "\"Title\",TS,0,\"Dev\"", ep), ep);
    ts_assert_ok(
        toksim_token_add_claim(t, TOKSIM_CLAIMS_USER, "\"TITLE\",TS,0,\"PM\"", ep), ep);
    cr_assert_eq(toksim_token_claim_count(t, TOKSIM_CLAIMS_USER), 1);
    cr_assert_eq(toksim_token_claim_count(t, TOKSIM_CLAIMS_DEVICE), 0);
    toksim_token *c;
    ts_assert_ok(toksim_token_copy(&c, t), NULL);
    toksim_sd *sd = sd_of("O:BAG:BAD:(XA;;FR;;;WD;(@User.Title == \"PM\"))");
    run x = check(sd, c, FILE_READ_DATA);
    granted(&x, FILE_READ_DATA);
    toksim_token_free(t);
    done(&x, sd, c);
    toksim_token *t2 = tok_new();
    cr_assert_neq(toksim_token_add_claim_spec(t2, "nobody:x", ep), TOKSIM_OK);
    toksim_token_free(t2);
}
