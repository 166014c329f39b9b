/*
 * PURPOSE: SDDL parse throughput for docs/PERFORMANCE.md: median time to parse
 * descriptors of typical shapes (a file DACL with a label, a service DACL, a 128-ACE
 * DACL), no SID context.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <toksim.h>

#include "bench.h"

#define ROUNDS    31
#define PER_ROUND 2000

static void one(const char *name, const char *sddl)
{
    double samples[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        double t0 = bench_now_ns();
        for (int i = 0; i < PER_ROUND; i++) {
            toksim_sd *sd;
            if (toksim_sd_from_sddl(&sd, sddl, NULL, NULL) != TOKSIM_OK)
                abort();
            toksim_sd_free(sd);
        }
        samples[r] = (bench_now_ns() - t0) / PER_ROUND;
    }
    double ns = bench_median(samples, ROUNDS);
    printf("%-34s %10.0f %9.1f MB/s (%zu bytes)\n", name, ns,
           (double)strlen(sddl) / ns * 1e3, strlen(sddl));
}

void bench_sddl(void)
{
    printf("\nSDDL parse (median of %d rounds x %d parses)\n%-34s %10s\n", ROUNDS,
           PER_ROUND, "case", "ns/parse");
    one("file DACL, 6 ACEs + label", "O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;"
                                     "OICIIO;GA;;;CO)(A;OICI;0x1200a9;;;BU)"
                                     "(A;CI;LC;;;BU)(A;CIIO;DC;;;BU)S:(ML;OICI;NW;;;HI)");
    one("service DACL (sc sdshow)",
        "D:(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;"
        "CCLCSWLOCRRC;;;IU)"
        "(A;;CCLCSWLOCRRC;;;SU)S:(AU;FA;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;WD)");
    static char big[16384];
    size_t at = (size_t)snprintf(big, sizeof big, "O:BAG:BAD:");
    for (int i = 0; i < 128 && at < sizeof big - 80; i++)
        at += (size_t)snprintf(big + at, sizeof big - at,
                               "(%s;;0x%x;;;S-1-5-21-1004336348-1177238915-682003330-%d)",
                               i % 3 ? "A" : "D", 0x1u << (i % 20), 2000 + i);
    one("128 ACEs with domain SIDs", big);
}
