/*
 * PURPOSE: the playground's C API (web/toksim_wasm.c), natively: what the browser page
 * gets back for a scenario replay, an access check and a policy what-if, so `make test`
 * covers it without Emscripten or Chromium; and toksim_scenario_world(), the starting
 * policy the what-if changes.
 */
#include <cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <toksim.h>

char *tw_scenario_run(const char *text, const char *where, const char *base_dir);
char *tw_access_check(const char *request);
char *tw_whatif(const char *request);
void tw_free(char *p);

#define MBAM "scenarios/iis/mbam-iis-iusrs-removed.json"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    cr_assert(b && fread(b, 1, (size_t)n, f) == (size_t)n);
    b[n] = '\0';
    fclose(f);
    return b;
}

/* Parse an answer (consumed). */
static cJSON *answer(char *s)
{
    cr_assert(s);
    cJSON *j = cJSON_Parse(s);
    tw_free(s);
    cr_assert(j);
    return j;
}

static const cJSON *step_of(const cJSON *steps, const char *id)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, steps)
    {
        if (strcmp(cJSON_GetObjectItem(s, "id")->valuestring, id) == 0)
            return s;
    }
    cr_assert_fail("no step %s", id);
    return NULL;
}

Test(web_api, replay_gives_outcome_explanation_and_check)
{
    char *text = slurp(MBAM);
    cJSON *j = answer(tw_scenario_run(text, MBAM, "scenarios/iis"));
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "ok")));
    const cJSON *req =
        step_of(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "run"), "steps"), "request");
    cr_assert_eq(cJSON_GetObjectItem(req, "http")->valueint, 500);
    cr_assert_str_eq(cJSON_GetObjectItem(req, "hresult")->valuestring, "0x80070542");
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "check"), "failed")->valueint,
                 0);
    cr_assert(strstr(cJSON_GetObjectItem(j, "story")->valuestring, "Identification"));
    /* The picture gets each step's token: the thread of "impersonate" holds alice's. */
    const cJSON *imp = step_of(cJSON_GetObjectItem(j, "steps"), "impersonate");
    const cJSON *user = cJSON_GetObjectItem(cJSON_GetObjectItem(imp, "token"), "user");
    cr_assert_str_eq(cJSON_GetObjectItem(user, "name")->valuestring, "CONTOSO\\alice");
    cJSON_Delete(j);
    free(text);
}

Test(web_api, bad_scenario_is_an_error_with_its_position)
{
    cJSON *j = answer(tw_scenario_run("{\"toksim\": 1,,}", "<input>", NULL));
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "ok")));
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "error"), "line")->valueint,
                 1);
    cJSON_Delete(j);
}

Test(web_api, access_check_names_the_deciding_ace)
{
    cJSON *j = answer(
        tw_access_check("{\"sddl\":\"O:BAG:SYD:(D;;FW;;;IU)(A;;FA;;;BU)\",\"user\":\"S-1-"
                        "5-21-1-2-3-1107\","
                        "\"groups\":[\"BU\",\"IU\"],\"desired\":\"FILE_WRITE_DATA\"}"));
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "granted_all")));
    cr_assert_str_eq(cJSON_GetObjectItem(j, "ntstatus_name")->valuestring,
                     "STATUS_ACCESS_DENIED");
    bool ace = false;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, cJSON_GetObjectItem(j, "trace"))
    {
        ace = ace || (strcmp(cJSON_GetObjectItem(ev, "rule")->valuestring,
                             "access.ace.deny") == 0 &&
                      cJSON_GetObjectItem(ev, "index")->valueint == 0);
    }
    cr_assert(ace, "ACE #0 denies");
    cr_assert_str_eq(cJSON_GetObjectItem(j, "sddl")->valuestring,
                     "O:BAG:SYD:(D;;FW;;;IU)(A;;FA;;;BU)");
    cJSON_Delete(j);
    j = answer(
        tw_access_check("{\"sddl\":\"O:BAG:SYD:(A;;FA;;;BU)\",\"whoami\":\"nonsense\","
                        "\"desired\":\"FR\"}"));
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "ok")));
    cJSON_Delete(j);
}

Test(web_api, whatif_returns_the_changed_outcomes)
{
    char *text = slurp(MBAM);
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "scenario", text);
    cJSON_AddStringToObject(req, "base_dir", "scenarios/iis");
    cJSON_AddStringToObject(req, "right", "SeImpersonatePrivilege");
    cJSON_AddItemToObject(
        req, "add", cJSON_CreateStringArray((const char *[]){"BUILTIN\\IIS_IUSRS"}, 1));
    char *rs = cJSON_PrintUnformatted(req);
    cJSON *j = answer(tw_whatif(rs));
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "ok")));
    const cJSON *s = step_of(cJSON_GetObjectItem(j, "steps"), "request");
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(s, "changed")));
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "before"), "http")->valueint,
                 500);
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "after"), "http")->valueint,
                 200);
    s = step_of(cJSON_GetObjectItem(j, "steps"), "logon-alice");
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(s, "changed")));
    cJSON_Delete(j);
    free(rs);
    cJSON_Delete(req);
    free(text);
}

Test(web_api, scenario_world_is_the_starting_policy)
{
    toksim_scenario *sc = NULL;
    cr_assert_eq(toksim_scenario_load_file(&sc, MBAM, NULL), TOKSIM_OK);
    const toksim_world *w = toksim_scenario_world(sc);
    cr_assert(w);
    size_t n = 0;
    const toksim_sid *h =
        toksim_policy_holders(toksim_world_policy_const(w), TOKSIM_PRIV_IMPERSONATE, &n);
    cr_assert_eq(n, 2, "the GPO leaves Administrators and SERVICE");
    char s[TOKSIM_SID_STRING_MAX];
    toksim_sid_format(s, sizeof s, &h[0]);
    cr_assert_str_eq(s, "S-1-5-32-544");
    cr_assert_null(toksim_scenario_world(NULL));
    toksim_scenario_free(sc);
}
