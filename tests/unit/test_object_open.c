/* PURPOSE: object opens from a thread (windows-model §0.1, §1.5, §2.3.2): the effective
 * token, Identify/Anonymous-level tokens failing with 1346 / 0xC00000A5 / 0x80070542
 * while a server-side AccessCheck with the same token works, and the MBAM seed end to
 * end. */
#include "imp_fixtures.h"

#define SERVER         .user = IMP_SID_SERVER
#define CLIENT         .user = IMP_SID_CLIENT
#define FILE_READ_DATA 0x1u

static toksim_open_request open_req(const toksim_sd *sd, const char *name)
{
    toksim_open_request q;
    memset(&q, 0, sizeof q);
    q.sd = sd;
    q.name = name;
    q.access.desired = FILE_READ_DATA;
    q.access.object_type = TOKSIM_OBJ_FILE;
    return q;
}

static void impersonate(imp_world *w, const toksim_token *c)
{
    toksim_token_handle h = {c, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_logged_on_user(&r, w->thread, &h, NULL), NULL);
    cr_assert(r.ok);
}

/* the process token is used when the thread does not impersonate; the client's when it
 * does */
Test(object_open, effective_token)
{
    imp_world w = imp_world_new((tk_spec){SERVER, .imp_priv = IMP_PRIV_ENABLED}, NULL);
    toksim_sd *sd = imp_sd_allow(IMP_SID_CLIENT, FILE_READ_DATA);
    toksim_open_request q = open_req(sd, "report.docx");
    toksim_open_result o;
    ts_assert_ok(toksim_thread_open_object(&o, w.thread, &q, NULL), NULL);
    cr_assert_not(o.ok); /* the server account is not in the DACL */
    cr_assert_not(o.used_thread_token);
    cr_assert_eq(o.win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert_eq(o.hresult, 0x80070005u);
    toksim_token *c = tk((tk_spec){CLIENT});
    impersonate(&w, c); /* I2: privilege -> Impersonation */
    ts_assert_ok(toksim_thread_open_object(&o, w.thread, &q, NULL), NULL);
    cr_assert(o.ok);
    cr_assert(o.used_thread_token);
    cr_assert_eq(o.level, TOKSIM_IMP_IMPERSONATION);
    cr_assert_eq(o.granted & FILE_READ_DATA, FILE_READ_DATA);
    cr_assert_eq(o.win32, 0);
    toksim_revert_to_self(NULL, w.thread, NULL);
    ts_assert_ok(toksim_thread_open_object(&o, w.thread, &q, NULL), NULL);
    cr_assert_not(o.ok);
    toksim_token_free(c);
    toksim_sd_free(sd);
    imp_world_free(&w);
}

/* Identify-level token: the open fails with 1346, AccessCheck with the same token works
 */
Test(object_open, identify_fails_open_but_passes_access_check)
{
    imp_world w = imp_world_new((tk_spec){SERVER}, NULL); /* no privilege -> I1 */
    toksim_sd *sd = imp_sd_allow(IMP_SID_CLIENT, FILE_READ_DATA);
    toksim_token *c = tk((tk_spec){CLIENT});
    impersonate(&w, c);
    cr_assert_eq(toksim_token_level(toksim_thread_token(w.thread)),
                 TOKSIM_IMP_IDENTIFICATION);
    toksim_open_request q = open_req(sd, "site.css");
    toksim_open_result o;
    ts_assert_ok(toksim_thread_open_object(&o, w.thread, &q, NULL), NULL);
    cr_assert_not(o.ok);
    cr_assert_eq(o.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    cr_assert_eq(o.ntstatus, 0xC00000A5u);
    cr_assert_eq(o.hresult, 0x80070542u);
    cr_assert_eq(o.level, TOKSIM_IMP_IDENTIFICATION);

    toksim_access_request aq;
    memset(&aq, 0, sizeof aq);
    aq.desired = FILE_READ_DATA;
    aq.mode = TOKSIM_ACCESS_API;
    aq.object_type = TOKSIM_OBJ_FILE;
    toksim_access_result ar;
    ts_assert_ok(toksim_access_check(&ar, sd, toksim_thread_token(w.thread), &aq, NULL),
                 NULL);
    cr_assert(ar.api_ok);
    cr_assert(ar.granted_all);
    toksim_token_free(c);
    toksim_sd_free(sd);
    imp_world_free(&w);
}

/* Anonymous level: the kernel rule "level < SecurityImpersonation" covers it too */
Test(object_open, anonymous_level_fails_open)
{
    imp_world w = imp_world_new((tk_spec){SERVER}, NULL);
    toksim_sd *sd = imp_sd_allow("S-1-1-0", FILE_READ_DATA);
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_self(&r, w.thread, TOKSIM_IMP_ANONYMOUS, NULL), NULL);
    toksim_open_request q = open_req(sd, NULL);
    toksim_open_result o;
    ts_assert_ok(toksim_thread_open_object(&o, w.thread, &q, NULL), NULL);
    cr_assert_not(o.ok);
    cr_assert_eq(o.win32, TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL);
    /* Impersonation level of the same token opens it */
    ts_assert_ok(toksim_impersonate_self(&r, w.thread, TOKSIM_IMP_IMPERSONATION, NULL),
                 NULL);
    ts_assert_ok(toksim_thread_open_object(&o, w.thread, &q, NULL), NULL);
    cr_assert(o.ok);
    toksim_sd_free(sd);
    imp_world_free(&w);
}

Test(object_open, misuse)
{
    imp_world w = imp_world_new((tk_spec){SERVER}, NULL);
    toksim_open_request q = open_req(NULL, "x");
    toksim_open_result o;
    cr_assert_eq(toksim_thread_open_object(&o, w.thread, &q, NULL), TOKSIM_EINVAL);
    cr_assert_eq(toksim_thread_open_object(&o, NULL, &q, NULL), TOKSIM_EINVAL);
    cr_assert_eq(toksim_thread_open_object(NULL, w.thread, &q, NULL), TOKSIM_EINVAL);
    imp_world_free(&w);
}

/* the MBAM seed: IIS_IUSRS removed from SeImpersonatePrivilege -> 0x80070542 on site.css
 */
Test(object_open, mbam_seed_story)
{
    imp_world w = imp_world_new((tk_spec){SERVER}, NULL);
    toksim_process_set_privilege_holders(w.proc, "Administrators, SERVICE");
    toksim_sd *sd = imp_sd_allow(IMP_SID_CLIENT, FILE_READ_DATA);
    toksim_token *c = tk((tk_spec){CLIENT});
    toksim_token_handle h = {c, TOKSIM_TOKEN_ACCESS_ALL};
    toksim_trace t;
    toksim_trace_init(&t);
    toksim_imp_result r;
    ts_assert_ok(toksim_impersonate_logged_on_user(&r, w.thread, &h, &t), NULL);
    cr_assert(r.ok && r.downgraded);
    toksim_open_request q = open_req(sd, "site.css");
    toksim_open_result o;
    ts_assert_ok(toksim_thread_open_object(&o, w.thread, &q, &t), NULL);
    cr_assert_eq(o.hresult, 0x80070542u);
    char *story = imp_trace_story(&t);
    cr_log_info("%s", story);
    const char *order[] = {"lacks SeImpersonatePrivilege",
                           "held by: Administrators, SERVICE",
                           "no exception applies",
                           "downgraded to Identification",
                           "opening site.css needs Impersonation",
                           "ERROR_BAD_IMPERSONATION_LEVEL",
                           "0x80070542"};
    const char *at = story;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *p = strstr(at, order[i]);
        cr_assert(p, "'%s' missing or out of order in: %s", order[i], story);
        at = p;
    }
    free(story);
    toksim_trace_dispose(&t);
    toksim_token_free(c);
    toksim_sd_free(sd);
    imp_world_free(&w);
}
