/* PURPOSE: helpers shared by the benchmark files (timing and medians). */
#ifndef TOKSIM_BENCH_H
#define TOKSIM_BENCH_H
#include <stddef.h>

/** This thread's CPU time in nanoseconds (robust against a loaded, shared machine). */
double bench_now_ns(void);
/** Median of v[0..n) (sorts v). */
double bench_median(double *v, size_t n);
/** Print the SDDL parse figures (bench_sddl.c). */
void bench_sddl(void);
/** Print the input-reader scaling figures (bench_scale.c). */
void bench_scale(void);
/** Print the token building figures (bench_token.c). */
void bench_token_build(void);
/** Print the who-can figures over a 10 000-account world (bench_whocan.c). */
void bench_whocan(void);
#endif
