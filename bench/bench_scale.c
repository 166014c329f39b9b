/*
 * PURPOSE: scaling figures of the input readers (issue 15): loading a world JSON of n
 * accounts (each in a group, so memberships grow with n too), loading and replaying a
 * scenario of n steps, and the strict JSON front end over n values. Each prints the CPU
 * time at three sizes and the growth exponent log(t2/t1)/log(n2/n1) between the
 * largest two: about 1 is linear, about 2 quadratic.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <toksim.h>
#include "bench.h"

static char *world_text(size_t n, size_t *len)
{
    size_t cap = 128 + n * 96;
    char *s = malloc(cap);
    *len = 0;
    if (!s)
        return NULL;
    size_t at =
        (size_t)snprintf(s, cap, "{\"groups\":[{\"name\":\"staff\"}],\"users\":[");
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(s + at, cap - at,
                               "%s{\"name\":\"user%zu\",\"groups\":[\"staff\"]}",
                               i ? "," : "", i);
    at += (size_t)snprintf(s + at, cap - at, "]}");
    *len = at;
    return s;
}

static char *scenario_text(size_t n, size_t *len)
{
    size_t cap = 256 + n * 96;
    char *s = malloc(cap);
    *len = 0;
    if (!s)
        return NULL;
    size_t at =
        (size_t)snprintf(s, cap,
                         "{\"toksim\":1,\"name\":\"bench\",\"title\":\"t\",\"world\":"
                         "{\"users\":[{\"name\":\"alice\"}]},\"steps\":[");
    for (size_t i = 0; i < n; i++)
        at += (size_t)snprintf(s + at, cap - at,
                               "%s{\"id\":\"s%zu\",\"op\":\"logon\",\"user\":\"alice\"}",
                               i ? "," : "", i);
    at += (size_t)snprintf(s + at, cap - at, "]}");
    *len = at;
    return s;
}

static double time_world(size_t n)
{
    size_t len = 0;
    char *t = world_text(n, &len);
    toksim_world *w = NULL;
    toksim_error err = {0};
    double t0 = bench_now_ns();
    toksim_status rc = toksim_world_from_json(&w, t, len, NULL, &err);
    double dt = bench_now_ns() - t0;
    if (rc)
        fprintf(stderr, "world of %zu: %s\n", n, err.message);
    toksim_world_free(w);
    free(t);
    return dt;
}

static double time_scenario(size_t n)
{
    size_t len = 0;
    char *t = scenario_text(n, &len);
    toksim_scenario *sc = NULL;
    toksim_run *run = NULL;
    toksim_error err = {0};
    double t0 = bench_now_ns();
    toksim_status rc = toksim_scenario_parse(&sc, t, len, "bench.json", ".", &err);
    if (!rc)
        rc = toksim_scenario_run(&run, sc, &err);
    double dt = bench_now_ns() - t0;
    if (rc)
        fprintf(stderr, "scenario of %zu steps: %s\n", n, err.message);
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
    free(t);
    return dt;
}

static double time_json(size_t n)
{
    size_t len = 0;
    char *t = world_text(n, &len);
    toksim_error err = {0};
    double t0 = bench_now_ns();
    toksim_status rc = toksim_json_check(t, len, &err);
    double dt = bench_now_ns() - t0;
    if (rc)
        fprintf(stderr, "json check: %s\n", err.message);
    free(t);
    return dt;
}

static void series(const char *what, double (*fn)(size_t), const size_t n[3])
{
    double t[3];
    for (int i = 0; i < 3; i++)
        t[i] = fn(n[i]);
    double e = log(t[2] / t[1]) / log((double)n[2] / (double)n[1]);
    printf("%-40s", what);
    for (int i = 0; i < 3; i++)
        printf(" n=%-7zu %9.1f ms", n[i], t[i] / 1e6);
    printf("   growth exponent %.2f\n", e);
}

void bench_scale(void)
{
    printf("\nscaling of the input readers (CPU time; exponent ~1 = linear)\n");
    static const size_t worlds[3] = {1000, 10000, 100000};
    static const size_t steps[3] = {100, 1000, 10000};
    series("world JSON load (accounts + memberships)", time_world, worlds);
    series("strict JSON front end (world text)", time_json, worlds);
    series("scenario load + replay (logon steps)", time_scenario, steps);
}
