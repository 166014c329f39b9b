/*
 * PURPOSE: run the built toksim program from a Criterion test ($TOKSIM_CLI, set by make
 * unit) and check its exit code and output. Shared by every tests/unit/test_cli_*.c.
 */
#ifndef TOKSIM_TEST_CLI_HELPERS_H
#define TOKSIM_TEST_CLI_HELPERS_H
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "helpers.h"

/** Run `toksim <args>` through the shell (stderr merged into stdout); returns the exit
 * code. */
static inline int ts_run_cli(char *out, size_t n, const char *args)
{
    const char *cli = getenv("TOKSIM_CLI");
    cr_assert_not_null(cli, "TOKSIM_CLI is not set (run through make unit)");
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s 2>&1", cli, args);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t len = fread(out, 1, n - 1, p);
    out[len] = '\0';
    int st = pclose(p);
    cr_assert(WIFEXITED(st), "%s did not exit normally", cmd);
    return WEXITSTATUS(st);
}

/** Assert `toksim <args>` exits with rc and prints needle (stdout or stderr). */
static inline void ts_expect_cli(const char *args, int rc, const char *needle)
{
    static char out[1 << 18];
    int got = ts_run_cli(out, sizeof out, args);
    cr_assert_eq(got, rc, "toksim %s: exit %d, expected %d\n%s", args, got, rc, out);
    cr_assert(strstr(out, needle), "toksim %s: output lacks '%s':\n%s", args, needle,
              out);
}
#endif
