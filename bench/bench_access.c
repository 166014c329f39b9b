/*
 * PURPOSE: micro-benchmark of the access check (and, when built with the SDDL parser, of
 * SDDL parsing): median nanoseconds per toksim_access_check() for a 64-group token
 * against DACLs of 8, 32 and 128 ACEs (allow and deny mixed, half of the ACE SIDs absent
 * from the token), no trace. Figures are recorded in docs/PERFORMANCE.md. Run with `make
 * bench`.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <toksim.h>

#include "bench.h"

#define FILE_READ_DATA        0x1u
#define FILE_WRITE_ATTRIBUTES 0x100u

static toksim_sid domain_sid(uint32_t rid)
{
    uint32_t sub[] = {21, 1004336348u, 1177238915u, 682003330u, rid};
    toksim_sid s;
    if (toksim_sid_make(&s, 5, sub, 5))
        abort();
    return s;
}

/*
 * 64 groups: domain RIDs 2000..2062 (enabled) plus Everyone. Impersonation, Medium.
 * honest: RIDs 2000..2061 are deny-only (even RIDs, as in a UAC-filtered token) or
 * disabled (odd RIDs); 2062 stays enabled.
 */
static toksim_token *bench_token_ex(bool honest)
{
    toksim_sid user = domain_sid(1001);
    toksim_token *t;
    if (toksim_token_new(&t, &user))
        abort();
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    for (uint32_t i = 0; i < 63; i++) {
        toksim_sid g = domain_sid(2000 + i);
        uint32_t attrs = !honest || i == 62 ? TOKSIM_SE_GROUP_DEFAULT
                         : i % 2            ? 0u /* disabled */
                                            : TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY;
        if (toksim_token_add_group(t, &g, attrs))
            abort();
    }
    toksim_sid wd;
    if (toksim_sid_parse(&wd, "S-1-1-0", NULL) ||
        toksim_token_add_group(t, &wd, TOKSIM_SE_GROUP_DEFAULT) ||
        toksim_token_set_integrity(t, TOKSIM_IL_MEDIUM))
        abort();
    return t;
}

static toksim_token *bench_token(void)
{
    return bench_token_ex(false);
}

/*
 * n ACEs: even positions name SIDs the token lacks (RIDs 5000+), odd positions name its
 * groups and alternate deny (of a right the request does not ask for) and allow (of
 * another such right); the last ACE allows the requested right, so an ordinary check
 * walks the whole DACL.
 */
static toksim_sd *bench_sd_ex(size_t n, bool first)
{
    toksim_sd *sd;
    if (toksim_sd_new(&sd) || toksim_acl_new(&sd->dacl))
        abort();
    sd->control = TOKSIM_SE_DACL_PRESENT;
    sd->has_owner = sd->has_group = true;
    sd->owner = sd->group = domain_sid(512);
    toksim_sid grant = domain_sid(2062);
    if (first) { /* best case: the first ACE grants the request */
        if (toksim_acl_add(sd->dacl, TOKSIM_ACE_ACCESS_ALLOWED, 0, FILE_READ_DATA,
                           &grant))
            abort();
        n--;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        bool present = i % 2;
        toksim_sid s = present ? domain_sid(2000 + (uint32_t)(i * 7 % 63))
                               : domain_sid(5000 + (uint32_t)i);
        uint8_t type = (i / 2) % 2 ? TOKSIM_ACE_ACCESS_DENIED : TOKSIM_ACE_ACCESS_ALLOWED;
        uint32_t mask = type == TOKSIM_ACE_ACCESS_DENIED ? FILE_WRITE_ATTRIBUTES : 0x80u;
        if (!present)
            mask =
                FILE_READ_DATA; /* would grant the request, but the token lacks the SID */
        if (toksim_acl_add(sd->dacl, type, 0, mask, &s))
            abort();
    }
    if (!first &&
        toksim_acl_add(sd->dacl, TOKSIM_ACE_ACCESS_ALLOWED, 0, FILE_READ_DATA, &grant))
        abort();
    return sd;
}

/*
 * The honest worst case (with bench_token_ex(true)): every ACE's mask holds the requested
 * right, so no ACE can be passed over without probing the token. Even positions name SIDs
 * the token lacks (allow and deny alternate); odd positions name its deny-only groups
 * (allow ACEs: a deny-only SID matches deny ACEs only) and disabled groups (deny ACEs:
 * a disabled SID matches nothing), half each, so each of them finds a token SID and
 * changes nothing. The last ACE allows the right: the whole DACL is walked.
 */
static toksim_sd *bench_sd_honest(size_t n)
{
    toksim_sd *sd;
    if (toksim_sd_new(&sd) || toksim_acl_new(&sd->dacl))
        abort();
    sd->control = TOKSIM_SE_DACL_PRESENT;
    sd->has_owner = sd->has_group = true;
    sd->owner = sd->group = domain_sid(512);
    for (size_t i = 0; i + 1 < n; i++) {
        uint32_t k = (uint32_t)(i / 2 * 7 % 62); /* a group below 62, either parity */
        bool present = i % 2;
        toksim_sid s = present ? domain_sid(2000 + k) : domain_sid(5000 + (uint32_t)i);
        uint8_t type =
            present       ? (k % 2 ? TOKSIM_ACE_ACCESS_DENIED : TOKSIM_ACE_ACCESS_ALLOWED)
            : (i / 2) % 2 ? TOKSIM_ACE_ACCESS_DENIED
                          : TOKSIM_ACE_ACCESS_ALLOWED;
        if (toksim_acl_add(sd->dacl, type, 0, FILE_READ_DATA | 0x80u, &s))
            abort();
    }
    toksim_sid grant = domain_sid(2062);
    if (toksim_acl_add(sd->dacl, TOKSIM_ACE_ACCESS_ALLOWED, 0, FILE_READ_DATA, &grant))
        abort();
    return sd;
}

static toksim_sd *bench_sd(size_t n)
{
    return bench_sd_ex(n, false);
}

double bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID,
                  &ts); /* CPU time: the build machine is shared */
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define ROUNDS    101
#define PER_ROUND 20000

static double
time_check(const toksim_sd *sd, const toksim_token *t, uint32_t desired, bool expect)
{
    toksim_access_request req;
    memset(&req, 0, sizeof req);
    req.desired = desired;
    req.object_type = TOKSIM_OBJ_FILE;
    double samples[ROUNDS];
    volatile uint32_t sink = 0;
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = bench_now_ns();
        for (int i = 0; i < PER_ROUND; i++) {
            toksim_access_result res;
            if (toksim_access_check(&res, sd, t, &req, NULL))
                abort();
            sink += res.granted;
            if (res.granted_all != expect)
                abort();
        }
        samples[r] = (bench_now_ns() - t0) / PER_ROUND;
    }
    (void)sink;
    return bench_median(samples, ROUNDS);
}

/* Fixed-work mode for instruction counting under callgrind (time is meaningless there):
 * `toksim-bench --iterations N --case 64x32 [--max]` runs N checks and prints nothing
 * else.
 */
static int fixed_run(int argc, char **argv)
{
    unsigned long iters = 0, aces = 32;
    bool max = false, first = false, honest = false;
    for (int i = 1; i < argc; i++) {
        char *end;
        if (!strcmp(argv[i], "--iterations") && i + 1 < argc) {
            iters = strtoul(argv[++i], &end, 10);
            if (*end)
                return 2;
        } else if (!strcmp(argv[i], "--case") && i + 1 < argc) {
            const char *v = argv[++i];
            if (strncmp(v, "64x", 3) != 0)
                return 2;
            aces = strtoul(v + 3, &end, 10);
            if (*end || aces < 1 || aces > 4096)
                return 2;
        } else if (!strcmp(argv[i], "--max")) {
            max = true;
        } else if (!strcmp(argv[i], "--first")) {
            first = true;
        } else if (!strcmp(argv[i], "--honest")) {
            honest = true;
        } else {
            fprintf(stderr, "usage: toksim-bench [--iterations N --case 64xACES "
                            "[--max|--first|--honest]]\n");
            return 2;
        }
    }
    toksim_token *t = bench_token_ex(honest);
    toksim_sd *sd = honest ? bench_sd_honest(aces) : bench_sd_ex(aces, first);
    toksim_access_request req;
    memset(&req, 0, sizeof req);
    req.desired = max ? TOKSIM_MAXIMUM_ALLOWED : FILE_READ_DATA;
    req.object_type = TOKSIM_OBJ_FILE;
    volatile uint32_t sink = 0;
    for (unsigned long i = 0; i < iters; i++) {
        toksim_access_result res;
        if (toksim_access_check(&res, sd, t, &req, NULL) || !res.granted_all)
            abort();
        sink += res.granted;
    }
    (void)sink;
    printf("%lu checks, 64 groups x %lu ACEs%s, %s\n", iters, aces,
           honest ? " (every ACE relevant)" : "",
           max ? "MAXIMUM_ALLOWED" : "FILE_READ_DATA");
    toksim_sd_free(sd);
    toksim_token_free(t);
    return 0;
}

/* One row for FILE_READ_DATA and one for MAXIMUM_ALLOWED over sd (freed here), named
 * "<pre><aces><mid><label>". */
static void print_pair(toksim_sd *sd,
                       const toksim_token *t,
                       size_t aces,
                       const char *pre,
                       const char *mid,
                       const char *read_label,
                       const char *max_label)
{
    const uint32_t req[2] = {FILE_READ_DATA, TOKSIM_MAXIMUM_ALLOWED};
    const char *label[2] = {read_label, max_label};
    for (int i = 0; i < 2; i++) {
        double ns = time_check(sd, t, req[i], true);
        char name[64];
        snprintf(name, sizeof name, "%s%zu%s%s", pre, aces, mid, label[i]);
        printf("%-34s %10.1f %12.2f\n", name, ns, ns / (double)aces);
    }
    toksim_sd_free(sd);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--whocan") == 0) { /* who-can figures only */
        bench_whocan();
        return 0;
    }
    if (argc > 1)
        return fixed_run(argc, argv);

    toksim_token *t = bench_token();
    printf(
        "toksim %s access-check benchmark (median of %d rounds x %d checks, no trace)\n",
        toksim_version(), ROUNDS, PER_ROUND);
    printf("%-34s %10s %12s\n", "case", "ns/check", "ns/ACE");
    static const size_t sizes[] = {8, 32, 128};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        print_pair(bench_sd(sizes[k]), t, sizes[k], "64 groups x ", " ACEs, ",
                   "FILE_READ_DATA", "MAXIMUM_ALLOWED");
    toksim_sd *best = bench_sd_ex(32, true);
    double b = time_check(best, t, FILE_READ_DATA, true);
    printf("%-34s %10.1f %12s\n", "64 groups x 32 ACEs, 1st ACE grants", b, "-");
    toksim_sd_free(best);
    toksim_token_free(t);
    /* The honest worst case: every ACE's mask holds the request (see bench_sd_honest). */
    toksim_token *th = bench_token_ex(true);
    static const size_t hsizes[] = {32, 128};
    for (size_t k = 0; k < sizeof hsizes / sizeof hsizes[0]; k++)
        print_pair(bench_sd_honest(hsizes[k]), th, hsizes[k], "64x",
                   " every ACE relevant, ", "READ", "MAX");
    toksim_token_free(th);
    bench_token_build();
    bench_sddl();
    bench_scale();
    bench_whocan();
    return 0;
}
