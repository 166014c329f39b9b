/*
 * PURPOSE: tests of named-pipe impersonation (toksim/pipe.h), each against Wine's
 * dlls/kernel32/tests/pipe.c test_impersonation, which asserts Windows' results (an ok()
 * under todo_wine still asserts the Windows value): ImpersonateNamedPipeClient before the
 * first read fails with ERROR_CANNOT_IMPERSONATE; without SQOS the server gets
 * SecurityImpersonation, no disabled privileges (test_no_sqos_no_token: privilege count
 * 0) and the client's later changes (test_no_sqos); SQOS without context tracking keeps
 * the connect-time token (test_static_context), with it follows the client
 * (test_dynamic_context); the pipe's DACL decides who may open it (Learn
 * CreateNamedPipe).
 */
#include "imp_fixtures.h"

#define ALICE "S-1-5-21-1111-2222-3333-1001"
#define BOB   "S-1-5-21-1111-2222-3333-1002"

typedef struct pipe_lab {
    imp_world server, client;
    toksim_pipe *pipe;
} pipe_lab;

/* A SYSTEM server with SeImpersonatePrivilege and alice's client, on a pipe that grants
 * Everyone read/write (NULL sd) or the given SD. */
static pipe_lab lab_new(const toksim_sd *sd)
{
    pipe_lab l;
    l.server = imp_world_new((tk_spec){.user = "S-1-5-18",
                                       .imp_priv = IMP_PRIV_ENABLED,
                                       .il = TOKSIM_IL_SYSTEM},
                             NULL);
    l.client =
        imp_world_new((tk_spec){.user = ALICE, .imp_priv = IMP_PRIV_DISABLED}, NULL);
    toksim_sd *open = sd ? NULL : imp_sd_allow("S-1-1-0", 0x001F01FFu);
    ts_assert_ok(toksim_pipe_new(&l.pipe, "\\\\.\\pipe\\t",
                                 toksim_process_token(l.server.proc), sd ? sd : open),
                 NULL);
    toksim_sd_free(open);
    return l;
}

static void lab_free(pipe_lab *l)
{
    toksim_pipe_free(l->pipe);
    imp_world_free(&l->client);
    imp_world_free(&l->server);
}

static void connect_ok(pipe_lab *l, uint32_t sqos, toksim_trace *tr)
{
    toksim_pipe_client c = {.sqos_flags = sqos};
    toksim_imp_result r;
    ts_assert_ok(toksim_pipe_connect(&r, l->pipe, l->client.thread, &c, tr), NULL);
    cr_assert(r.ok, "connect failed with %u", r.win32);
}

static void message(pipe_lab *l, toksim_trace *tr)
{
    ts_assert_ok(toksim_pipe_write(l->pipe, l->client.thread, tr), NULL);
    ts_assert_ok(toksim_pipe_read(l->pipe), NULL);
}

/* The server thread's view of SeImpersonatePrivilege after impersonating: -1 = absent. */
static int64_t served_priv(pipe_lab *l)
{
    toksim_imp_result r;
    ts_assert_ok(toksim_pipe_impersonate_client(&r, l->server.thread, l->pipe, NULL),
                 NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    int64_t v = toksim_token_privilege(toksim_thread_token(l->server.thread),
                                       TOKSIM_PRIV_IMPERSONATE);
    toksim_revert_to_self(NULL, l->server.thread, NULL);
    return v;
}

static void client_enables(pipe_lab *l)
{
    ts_assert_ok(toksim_token_set_privilege(toksim_process_token_mut(l->client.proc),
                                            TOKSIM_PRIV_IMPERSONATE,
                                            TOKSIM_SE_PRIVILEGE_ENABLED),
                 NULL);
}

Test(pipe, impersonate_before_read_fails)
{
    pipe_lab l = lab_new(NULL);
    toksim_imp_result r;
    ts_assert_ok(toksim_pipe_impersonate_client(&r, l.server.thread, l.pipe, NULL), NULL);
    cr_assert_eq(r.win32, TOKSIM_ERROR_CANNOT_IMPERSONATE);
    connect_ok(&l, 0, NULL);
    ts_assert_ok(toksim_pipe_write(l.pipe, l.client.thread, NULL), NULL);
    ts_assert_ok(toksim_pipe_impersonate_client(&r, l.server.thread, l.pipe, NULL), NULL);
    cr_assert_eq(r.win32, TOKSIM_ERROR_CANNOT_IMPERSONATE); /* written, not read */
    cr_assert_eq(r.ntstatus, 0xC000010Du);
    ts_assert_ok(toksim_pipe_read(l.pipe), NULL);
    cr_assert_eq(toksim_pipe_read(l.pipe), TOKSIM_ENOTFOUND);
    ts_assert_ok(toksim_pipe_impersonate_client(&r, l.server.thread, l.pipe, NULL), NULL);
    cr_assert(r.ok);
    lab_free(&l);
}

/* test_no_sqos_no_token / test_no_sqos: effective only and dynamic by default */
Test(pipe, no_sqos_is_effective_only_and_dynamic)
{
    pipe_lab l = lab_new(NULL);
    toksim_trace tr;
    toksim_trace_init(&tr);
    connect_ok(&l, 0, &tr);
    cr_assert(imp_trace_has(&tr, "imp.pipe.connected"));
    message(&l, &tr);
    cr_assert(imp_trace_has(&tr, "imp.pipe.context_dynamic"));
    cr_assert(imp_trace_has(&tr, "imp.effective_only"));
    toksim_trace_dispose(&tr);
    cr_assert_lt(served_priv(&l), 0, "a disabled privilege is left out");
    client_enables(&l);
    message(&l, NULL);
    cr_assert_gt(served_priv(&l), 0, "the next message carries the change");
    lab_free(&l);
}

/* test_static_context: SQOS without SECURITY_CONTEXT_TRACKING */
Test(pipe, static_tracking_keeps_the_connect_time_token)
{
    pipe_lab l = lab_new(NULL);
    connect_ok(&l, TOKSIM_SECURITY_SQOS_PRESENT | TOKSIM_SECURITY_IMPERSONATION, NULL);
    client_enables(&l);
    toksim_trace tr;
    toksim_trace_init(&tr);
    message(&l, &tr);
    cr_assert(imp_trace_has(&tr, "imp.pipe.context_static"));
    cr_assert_not(imp_trace_has(&tr, "imp.pipe.context_dynamic"));
    toksim_trace_dispose(&tr);
    cr_assert_eq(served_priv(&l), 0, "held, disabled, as at connect time");
    lab_free(&l);
}

/* test_dynamic_context: with SECURITY_CONTEXT_TRACKING the change is seen */
Test(pipe, dynamic_tracking_with_sqos)
{
    pipe_lab l = lab_new(NULL);
    connect_ok(&l,
               TOKSIM_SECURITY_SQOS_PRESENT | TOKSIM_SECURITY_IMPERSONATION |
                   TOKSIM_SECURITY_CONTEXT_TRACKING,
               NULL);
    message(&l, NULL);
    cr_assert_eq(served_priv(&l), 0,
                 "no effective-only: the disabled privilege is there");
    client_enables(&l);
    message(&l, NULL);
    cr_assert_eq(served_priv(&l), TOKSIM_SE_PRIVILEGE_ENABLED);
    lab_free(&l);
}

/* SQOS Identification: the server's thread token is Identification (§1.3) */
Test(pipe, sqos_identification_level)
{
    pipe_lab l = lab_new(NULL);
    connect_ok(&l, TOKSIM_SECURITY_SQOS_PRESENT | TOKSIM_SECURITY_IDENTIFICATION, NULL);
    message(&l, NULL);
    toksim_imp_result r;
    ts_assert_ok(toksim_pipe_impersonate_client(&r, l.server.thread, l.pipe, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_IDENTIFICATION);
    lab_free(&l);
}

/* The pipe's SD is checked at CreateFile; the default one gives Everyone read only */
Test(pipe, pipe_dacl_decides_the_connect)
{
    imp_world server = imp_world_new((tk_spec){.user = BOB}, NULL);
    imp_world client = imp_world_new((tk_spec){.user = ALICE}, NULL);
    toksim_pipe *p = NULL;
    ts_assert_ok(toksim_pipe_new(&p, NULL, toksim_process_token(server.proc), NULL),
                 NULL);
    toksim_pipe_client c = {0};
    toksim_imp_result r;
    ts_assert_ok(toksim_pipe_connect(&r, p, client.thread, &c, NULL), NULL);
    cr_assert_not(r.ok);
    cr_assert_eq(r.win32, TOKSIM_ERROR_ACCESS_DENIED);
    c.desired = 0x00120089u; /* FILE_GENERIC_READ */
    ts_assert_ok(toksim_pipe_connect(&r, p, client.thread, &c, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(toksim_pipe_connect(&r, p, client.thread, &c, NULL), TOKSIM_EINVAL);
    toksim_pipe_free(p);
    imp_world_free(&client);
    imp_world_free(&server);
}

/* A remote client: the SQOS flags are ignored, the level follows delegation trust (§1.4)
 */
Test(pipe, remote_client_level)
{
    pipe_lab l = lab_new(NULL);
    toksim_token *net = tk((tk_spec){.user = BOB});
    toksim_pipe_client c = {.sqos_flags = TOKSIM_SECURITY_SQOS_PRESENT |
                                          TOKSIM_SECURITY_IDENTIFICATION,
                            .remote = true,
                            .remote_token = net,
                            .auth = TOKSIM_AUTH_NTLM};
    toksim_imp_result r;
    ts_assert_ok(toksim_pipe_connect(&r, l.pipe, NULL, &c, NULL), NULL);
    cr_assert(r.ok);
    ts_assert_ok(toksim_pipe_write(l.pipe, NULL, NULL), NULL);
    ts_assert_ok(toksim_pipe_read(l.pipe), NULL);
    ts_assert_ok(toksim_pipe_impersonate_client(&r, l.server.thread, l.pipe, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_IMPERSONATION);
    cr_assert(toksim_sid_equal(toksim_token_user(toksim_thread_token(l.server.thread)),
                               toksim_token_user(net)));
    toksim_revert_to_self(NULL, l.server.thread, NULL);
    lab_free(&l);
    /* Kerberos to a server trusted for delegation: Delegation, whatever the client asked
     */
    l = lab_new(NULL);
    c.auth = TOKSIM_AUTH_KERBEROS;
    c.server_trusted_for_delegation = true;
    ts_assert_ok(toksim_pipe_connect(&r, l.pipe, NULL, &c, NULL), NULL);
    ts_assert_ok(toksim_pipe_write(l.pipe, NULL, NULL), NULL);
    ts_assert_ok(toksim_pipe_read(l.pipe), NULL);
    ts_assert_ok(toksim_pipe_impersonate_client(&r, l.server.thread, l.pipe, NULL), NULL);
    cr_assert(r.ok);
    cr_assert_eq(r.level, TOKSIM_IMP_DELEGATION);
    toksim_token_free(net);
    lab_free(&l);
}
