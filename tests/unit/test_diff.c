/* PURPOSE: the policy what-if (toksim/diff.h and `toksim diff`): rights that differ with
 * who gains and who loses and their template lines; steps whose outcome differs when a
 * scenario is replayed under each template, with the first decision that differs and the
 * right behind it; no difference (exit 0) for a template against itself; JSON and SARIF
 * that point at the INF line; bad templates refused with file:line:col (exit 2). */
#include <cJSON.h>
#include "../cli_helpers.h"

#define HARDEN  "scenarios/iis/gpo/MBAM-Hardening-GptTmpl.inf"
#define RESTORE "scenarios/iis/gpo/Default-Impersonate-GptTmpl.inf"
#define MBAM    "scenarios/iis/mbam-iis-iusrs-removed.json"

static const char INF_A[] = "[Unicode]\nUnicode=yes\n[Privilege Rights]\n"
                            "SeImpersonatePrivilege = *S-1-5-32-544,*S-1-5-6\n";
static const char INF_B[] = "[Unicode]\nUnicode=yes\n[Privilege Rights]\n"
                            "SeDebugPrivilege = *S-1-5-32-544\n"
                            "SeImpersonatePrivilege = *S-1-5-32-544,*S-1-5-6,*S-1-5-20\n";

Test(diff, source_line_of_each_right)
{
    toksim_policy *p = NULL;
    cr_assert_eq(
        toksim_policy_parse_inf(&p, INF_B, sizeof INF_B - 1, "b.inf", NULL, NULL),
        TOKSIM_OK);
    cr_assert_eq(toksim_policy_source_line(p, TOKSIM_PRIV_DEBUG), 4);
    cr_assert_eq(toksim_policy_source_line(p, TOKSIM_PRIV_IMPERSONATE), 5);
    cr_assert_eq(toksim_policy_source_line(p, TOKSIM_PRIV_TCB), 0);
    toksim_policy *c = NULL;
    cr_assert_eq(toksim_policy_copy(&c, p), TOKSIM_OK);
    cr_assert_eq(toksim_policy_source_line(c, TOKSIM_PRIV_IMPERSONATE), 5);
    toksim_policy_free(c);
    toksim_policy_free(p);
}

Test(diff, rights_gained_and_lost_on_the_profile)
{
    toksim_diff *d = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_diff_new(&d, INF_A, sizeof INF_A - 1, "a.inf", INF_B,
                                 sizeof INF_B - 1, "b.inf", "win10", &err),
                 TOKSIM_OK, "%s", err.message);
    /* SeImpersonatePrivilege: NETWORK SERVICE gained; SeDebugPrivilege: B defines
     * Administrators only, as the win10 default has it, so it does not differ */
    cr_assert_eq(toksim_diff_right_count(d), 1);
    cr_assert(toksim_diff_changed(d));
    char *t = NULL;
    cr_assert_eq(toksim_diff_render_text(&t, d, 0), TOKSIM_OK);
    cr_assert(strstr(t, "  SeImpersonatePrivilege\n    A: a.inf:4\n    B: b.inf:5\n"
                        "    gains under B: NT AUTHORITY\\NETWORK SERVICE\n"
                        "    loses under B: -\n"),
              "%s", t);
    free(t);
    toksim_diff_free(d);
    /* the same template twice: nothing differs */
    cr_assert_eq(toksim_diff_new(&d, INF_A, sizeof INF_A - 1, "a.inf", INF_A,
                                 sizeof INF_A - 1, "a.inf", NULL, &err),
                 TOKSIM_OK);
    cr_assert_not(toksim_diff_changed(d));
    toksim_diff_free(d);
}

Test(diff, bad_template_names_file_and_line)
{
    static const char bad[] =
        "[Privilege Rights]\nSeImpersonatePrivilege = *S-1-5-32-544\n"
        "SeBogusPrivilege = *S-1-5-6\n";
    toksim_diff *d = NULL;
    toksim_error err = {0};
    cr_assert_eq(toksim_diff_new(&d, INF_A, sizeof INF_A - 1, "a.inf", bad,
                                 sizeof bad - 1, "b.inf", NULL, &err),
                 TOKSIM_ENOTFOUND);
    cr_assert_null(d);
    cr_assert_str_eq(err.where, "b.inf");
    cr_assert_eq(err.line, 3);
    cr_assert_eq(err.column, 1);
    cr_assert_eq(toksim_diff_new(&d, INF_A, sizeof INF_A - 1, "a.inf", INF_A,
                                 sizeof INF_A - 1, "a.inf", "vista", &err),
                 TOKSIM_ENOTFOUND);
}

Test(diff, cli_steps_that_change_and_why)
{
    static char out[1 << 17];
    int rc = ts_run_cli(out, sizeof out,
                        "diff --policy " HARDEN " --policy " RESTORE " " MBAM);
    cr_assert_eq(rc, 1, "%s", out);
    cr_assert(strstr(out, MBAM ":41:5: mbam-iis-iusrs-removed: step \"request\" "
                               "(iis.request)\n"
                               "    A: failure, HTTP 500, ERROR_BAD_IMPERSONATION_LEVEL"),
              "%s", out);
    cr_assert(
        strstr(out, "    B: success, HTTP 200, thread token at Impersonation level\n"),
        "%s", out);
    cr_assert(strstr(out,
                     "first decision that differs: A imp.privilege.missing (info), B "
                     "imp.allow.privilege (grant)"),
              "%s", out);
    cr_assert(strstr(out, "because of SeImpersonatePrivilege: A " HARDEN ":9, B " RESTORE
                          ":10\n      gains under B: NT AUTHORITY\\LOCAL SERVICE, NT "
                          "AUTHORITY\\NETWORK SERVICE, BUILTIN\\IIS_IUSRS\n"),
              "%s", out);
    /* the pool start and the logon do not change: they are not listed */
    cr_assert_null(strstr(out, "step \"pool\""), "%s", out);
    cr_assert_null(strstr(out, "step \"logon-alice\""), "%s", out);
    ts_expect_cli("diff --policy " HARDEN " --policy " HARDEN " scenarios", 0,
                  "0 right(s) differ; 0 step(s) differ in 0 of ");
}

Test(diff, cli_json_and_sarif_point_at_the_inf_line)
{
    static char out[1 << 18];
    int rc =
        ts_run_cli(out, sizeof out,
                   "diff --format json --policy " HARDEN " --policy " RESTORE " " MBAM);
    cr_assert_eq(rc, 1, "%s", out);
    cJSON *j = cJSON_Parse(out);
    cr_assert_not_null(j, "%s", out);
    cJSON *st = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "steps"), 0);
    cr_assert_str_eq(cJSON_GetObjectItem(st, "step")->valuestring, "request");
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(st, "a"), "http")->valueint,
                 500);
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(st, "b"), "http")->valueint,
                 200);
    cJSON *cause = cJSON_GetArrayItem(cJSON_GetObjectItem(st, "causes"), 0);
    cr_assert_str_eq(cJSON_GetObjectItem(cause, "right")->valuestring,
                     "SeImpersonatePrivilege");
    cr_assert_eq(cJSON_GetObjectItem(cause, "line_b")->valueint, 10);
    cJSON_Delete(j);

    rc = ts_run_cli(out, sizeof out,
                    "diff --format sarif --policy " HARDEN " --policy " RESTORE " " MBAM);
    cr_assert_eq(rc, 1, "%s", out);
    j = cJSON_Parse(out);
    cr_assert_not_null(j, "%s", out);
    cJSON *results = cJSON_GetObjectItem(
        cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), 0), "results");
    cJSON *r;
    bool step_at_inf = false;
    cJSON_ArrayForEach(r, results)
    {
        if (strcmp(cJSON_GetObjectItem(r, "ruleId")->valuestring, "toksim.diff.step"))
            continue;
        cJSON *pl = cJSON_GetObjectItem(
            cJSON_GetArrayItem(cJSON_GetObjectItem(r, "locations"), 0),
            "physicalLocation");
        const char *uri =
            cJSON_GetObjectItem(cJSON_GetObjectItem(pl, "artifactLocation"), "uri")
                ->valuestring;
        int line =
            cJSON_GetObjectItem(cJSON_GetObjectItem(pl, "region"), "startLine")->valueint;
        if (strcmp(uri, RESTORE) == 0 && line == 10 &&
            cJSON_GetObjectItem(r, "relatedLocations"))
            step_at_inf = true;
    }
    cr_assert(step_at_inf, "%s", out);
    cJSON_Delete(j);
}

Test(diff, cli_bad_input_exits_2)
{
    ts_expect_cli("diff --policy " HARDEN " " MBAM, 2,
                  "expected --policy A.inf --policy B.inf");
    ts_expect_cli("diff --policy " HARDEN
                  " --policy tests/data/inf/bad_unknown_right.inf",
                  2, "tests/data/inf/bad_unknown_right.inf:");
    ts_expect_cli("diff --policy " HARDEN " --policy /nonexistent.inf", 2,
                  "/nonexistent.inf");
    ts_expect_cli("diff --policy " HARDEN " --policy " RESTORE " --os vista", 2, "vista");
    ts_expect_cli("diff --policy " HARDEN " --policy " RESTORE " --format junit", 2,
                  "unknown format 'junit'");
    ts_expect_cli("diff --help", 0,
                  "exit codes: 0 nothing differs, 1 a right or a step differs");
}

/* A domain controller's template compared on the default (client) profile: `toksim diff`
 * warns as `toksim policy` does (one helper, cli_warn_dc_template); not with --os. */
Test(diff, cli_warns_of_a_dc_template_on_the_default_profile)
{
#define DCINF "tests/data/inf/dc_default_policy.inf"
    ts_expect_cli(
        "diff --policy " RESTORE " --policy " DCINF, 1,
        "toksim diff: " DCINF ":8: warning: this looks like a domain "
        "controller's template (SeInteractiveLogonRight lists BUILTIN\\Account "
        "Operators, which only domain controllers have), applied to the default "
        "profile win10: --os server is probably meant");
    static char out[1 << 16];
    ts_run_cli(out, sizeof out, "diff --os server --policy " RESTORE " --policy " DCINF);
    cr_assert_null(strstr(out, "warning"), "%s", out);
    ts_run_cli(out, sizeof out, "diff --policy " RESTORE " --policy " HARDEN);
    cr_assert_null(strstr(out, "domain controller"), "%s", out);
    toksim_diff *d = NULL;
    cr_assert_eq(toksim_diff_new(&d, INF_A, sizeof INF_A - 1, "a.inf", INF_B,
                                 sizeof INF_B - 1, "b.inf", "win11", NULL),
                 TOKSIM_OK);
    cr_assert_eq(toksim_policy_source_line(toksim_diff_template(d, 1), TOKSIM_PRIV_DEBUG),
                 4);
    cr_assert_null(toksim_diff_template(d, 2));
    cr_assert_str_eq(toksim_diff_os_profile(d), "win10"); /* the canonical name */
    toksim_diff_free(d);
    cr_assert_null(toksim_diff_os_profile(NULL));
#undef DCINF
}
