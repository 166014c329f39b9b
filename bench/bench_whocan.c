/*
 * PURPOSE: who-can over a large world (issue 17): 10 000 domain users (half of them in a
 * group the file grants read, every tenth denied write over the network), the built-in
 * and two virtual accounts, every logon type; the CPU time of one toksim_whocan_run()
 * (median of 5) for an access question and for a privilege question. Target: well under
 * a second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <toksim.h>
#include "bench.h"

#define WC_USERS 10000

static toksim_world *big_world(size_t n, toksim_sid *staff)
{
    toksim_world *w = NULL;
    toksim_sid dom;
    toksim_error err = {0};
    if (toksim_world_new(&w, "WS01", NULL, "server", &err) ||
        toksim_sid_parse(&dom, "S-1-5-21-111-222-333", &err) ||
        toksim_world_join_domain(w, "CONTOSO", &dom, &err))
        return NULL;
    toksim_account g;
    memset(&g, 0, sizeof g);
    g.kind = TOKSIM_ACCOUNT_GROUP;
    g.scope = TOKSIM_SCOPE_DOMAIN;
    g.name = "Staff";
    if (toksim_world_add_account(w, &g, staff, &err))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "user%zu", i);
        toksim_account u;
        memset(&u, 0, sizeof u);
        u.kind = TOKSIM_ACCOUNT_USER;
        u.scope = TOKSIM_SCOPE_DOMAIN;
        u.name = name;
        toksim_sid sid;
        if (toksim_world_add_account(w, &u, &sid, &err))
            return NULL;
        if (i % 2 == 0 && toksim_world_add_member(w, staff, &sid, &err))
            return NULL;
    }
    if (toksim_world_add_virtual(w, "NT SERVICE\\MSSQLSERVER", NULL, &err) ||
        toksim_world_add_virtual(w, "IIS APPPOOL\\DefaultAppPool", NULL, &err))
        return NULL;
    return w;
}

static double time_query(toksim_world *w, const toksim_whocan_query *q, size_t *answers)
{
    double v[5];
    for (size_t r = 0; r < 5; r++) {
        toksim_whocan_result *res = NULL;
        toksim_error err = {0};
        double t0 = bench_now_ns();
        if (toksim_whocan_run(&res, w, q, &err) != TOKSIM_OK) {
            fprintf(stderr, "bench_whocan: %s\n", err.message);
            return -1;
        }
        v[r] = bench_now_ns() - t0;
        *answers = toksim_whocan_answer_count(res);
        toksim_whocan_result_free(res);
    }
    return bench_median(v, 5);
}

void bench_whocan(void)
{
    toksim_sid staff;
    size_t users = WC_USERS;
    const char *env =
        getenv("TOKSIM_BENCH_WHOCAN_USERS"); /* a smaller world for profiling */
    if (env && atoi(env) > 0)
        users = (size_t)atoi(env);
    double tw = bench_now_ns();
    toksim_world *w = big_world(users, &staff);
    tw = bench_now_ns() - tw;
    if (!w) {
        fprintf(stderr, "bench_whocan: cannot build the world\n");
        return;
    }
    char sddl[512], s[TOKSIM_SID_STRING_MAX];
    toksim_sid_format(s, sizeof s, &staff);
    snprintf(sddl, sizeof sddl,
             "O:BAG:SYD:(A;;FA;;;SY)(A;;FA;;;BA)(D;;FW;;;NU)(A;;FR;;;%s)(A;;FR;;;IU)", s);
    toksim_sd *sd = NULL;
    toksim_error err = {0};
    if (toksim_sd_from_sddl(&sd, sddl, NULL, &err)) {
        fprintf(stderr, "bench_whocan: %s\n", err.message);
        toksim_world_free(w);
        return;
    }
    toksim_whocan_query q;
    memset(&q, 0, sizeof q);
    q.kind = TOKSIM_WHOCAN_ACCESS;
    q.sd = sd;
    q.object_type = TOKSIM_OBJ_FILE;
    q.desired = 0x120089; /* FILE_GENERIC_READ */
    size_t na = 0, np = 0;
    double ta = time_query(w, &q, &na);
    q.kind = TOKSIM_WHOCAN_PRIVILEGE;
    q.right = 29; /* SeImpersonatePrivilege */
    double tp = time_query(w, &q, &np);
    printf(
        "\nwho-can over %zu accounts (+ built-in, 2 virtual), 5 logon types, median of 5"
        " (world built in %.1f ms):\n",
        users, tw / 1e6);
    printf("  %-40s %8.1f ms  (%zu answers)\n", "access FILE_GENERIC_READ", ta / 1e6, na);
    printf("  %-40s %8.1f ms  (%zu answers)\n", "privilege SeImpersonatePrivilege",
           tp / 1e6, np);
    toksim_sd_free(sd);
    toksim_world_free(w);
}
