/*
 * PURPOSE: token building figures (issue 11): CPU time to build a token of n groups with
 * toksim_token_add_group() at three sizes, per group, and the growth exponent between
 * the largest two (about 1 = linear; the index used to be rebuilt on every add, which
 * made it about 2). glibc is told to keep freed memory (no trimming, no mmap): otherwise
 * every round of the 1000-group case pays fresh page faults for its ~140 KB, which on
 * this virtual machine cost more than the work measured.
 */
#include <math.h>
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <toksim.h>
#include "bench.h"

static double build_ns(size_t n, int rounds)
{
    uint32_t sub[] = {21, 1004336348u, 1177238915u, 682003330u, 1001};
    toksim_sid user;
    if (toksim_sid_make(&user, 5, sub, 5))
        abort();
    double best = 1e30;
    for (int r = 0; r < rounds; r++) {
        double t0 = bench_now_ns();
        toksim_token *t;
        if (toksim_token_new(&t, &user))
            abort();
        for (size_t i = 0; i < n; i++) {
            toksim_sid g;
            sub[4] = 2000 + (uint32_t)i;
            if (toksim_sid_make(&g, 5, sub, 5) ||
                toksim_token_add_group(t, &g, TOKSIM_SE_GROUP_DEFAULT))
                abort();
        }
        toksim_token_free(t);
        double dt = bench_now_ns() - t0;
        if (dt < best)
            best = dt;
    }
    return best;
}

void bench_token_build(void)
{
    static const size_t sizes[] = {64, 256, 1000};
    double t[3];
#ifdef M_TRIM_THRESHOLD
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
#endif
    printf(
        "\ntoken building (toksim_token_new + n x toksim_token_add_group, best of 51)\n");
    printf("%-34s %10s %12s\n", "groups", "us/token", "ns/group");
    for (size_t k = 0; k < 3; k++) {
        t[k] = build_ns(sizes[k], 51);
        printf("%-34zu %10.1f %12.1f\n", sizes[k], t[k] / 1e3, t[k] / (double)sizes[k]);
    }
    printf("growth exponent 256 -> 1000 groups: %.2f (1 = linear)\n",
           log(t[2] / t[1]) / log((double)sizes[2] / (double)sizes[1]));
}
