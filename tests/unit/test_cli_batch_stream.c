/*
 * PURPOSE: `toksim access --batch` as a stream (issue 11): any number of lines with
 * constant memory, a line over the per-line cap stops the batch with exit 2 naming the
 * line (after the answers before it), the batch's caches (descriptors by SDDL text,
 * tokens by their members, masks by text) never hand one case another case's answer, and
 * the fast line reader answers exactly as the strict path does.
 */
#include "../cli_helpers.h"

#define USER "S-1-5-21-1-2-3-1001"

/* Write `text` to a fresh temporary file; returns its path (static buffer). */
static const char *batch_file(const char *text, size_t len)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/toksim-stream-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_eq(fwrite(text, 1, len, f), len);
    fclose(f);
    return path;
}

/* Run the batch on `text`; output (stdout+stderr) into out; returns the exit code. */
static int run_batch(const char *text, size_t len, char *out, size_t n)
{
    const char *path = batch_file(text, len);
    char args[128];
    snprintf(args, sizeof args, "access --batch %s", path);
    int rc = ts_run_cli(out, n, args);
    remove(path);
    return rc;
}

/* Line i (1-based) of out, copied into line. */
static void nth_line(const char *out, int i, char *line, size_t n)
{
    const char *p = out;
    while (--i > 0) {
        p = strchr(p, '\n');
        cr_assert_not_null(p, "fewer lines than expected:\n%s", out);
        p++;
    }
    const char *e = strchr(p, '\n');
    size_t k = e ? (size_t)(e - p) : strlen(p);
    cr_assert_lt(k, n);
    memcpy(line, p, k);
    line[k] = '\0';
}

Test(batch_stream, line_over_the_cap_exit_2_naming_it_after_earlier_answers)
{
    const char *ok = "{\"id\":1,\"sddl\":\"O:BAG:BAD:(A;;FR;;;WD)\",\"user\":\"" USER
                     "\",\"groups\":[\"WD\"],\"desired\":\"FR\"}\n";
    size_t big = ((size_t)1 << 20) + 100;
    size_t n = strlen(ok);
    char *text = malloc(n + big + 2 + n);
    memcpy(text, ok, n);
    memset(text + n, 'x', big);
    text[n + big] = '\n';
    memcpy(text + n + big + 1, ok, n); /* never reached */
    static char out[1 << 16];
    int rc = run_batch(text, n + big + 1 + n, out, sizeof out);
    free(text);
    cr_assert_eq(rc, 2, "%s", out);
    cr_assert(strstr(out, "{\"id\":1,\"granted\":\"0x00120089\""), "%s", out);
    cr_assert(strstr(out, "line 2: longer than 1048576 bytes"), "%s", out);
    cr_assert_null(strstr(out, "{\"id\":1,\"granted\":\"0x00120089\"}\n{\"id\":1"),
                   "no answer after the long line");
}

Test(batch_stream, last_line_without_newline_over_the_cap)
{
    size_t big = ((size_t)1 << 20) + 1;
    char *text = malloc(big);
    memset(text, ' ', big);
    text[0] = '{';
    static char out[1 << 16];
    int rc = run_batch(text, big, out, sizeof out);
    free(text);
    cr_assert_eq(rc, 2, "%s", out);
    cr_assert(strstr(out, "line 1: longer than 1048576 bytes"), "%s", out);
}

Test(batch_stream, many_lines_more_than_one_read_buffer)
{
    /* 3000 lines of ~150 bytes: several reads of the 64 KiB buffer, lines cut across
     * reads. */
    size_t cap = 3000 * 200, len = 0;
    char *text = malloc(cap);
    for (int i = 0; i < 3000; i++)
        len +=
            (size_t)snprintf(text + len, cap - len,
                             "{\"id\":%d,\"sddl\":\"O:BAG:BAD:(A;;0x%x;;;WD)\",\"user\":"
                             "\"" USER "\",\"groups\":[\"WD\"],\"desired\":%d}\n",
                             i, 1 + i % 7, 1 + i % 4);
    static char out[1 << 20];
    int rc = run_batch(text, len, out, sizeof out);
    free(text);
    cr_assert_eq(rc, 0);
    for (int i = 0; i < 3000; i += 599) {
        char line[512], want[64];
        nth_line(out, i + 1, line, sizeof line);
        /* granted when the ACE's mask (1 + i%7) covers the request (1 + i%4) */
        unsigned m = 1u + (unsigned)(i % 7), d = 1u + (unsigned)(i % 4);
        snprintf(want, sizeof want, "{\"id\":%d,\"granted\":\"0x%08X\"", i,
                 (m & d) == d ? d : 0);
        cr_assert(strncmp(line, want, strlen(want)) == 0, "line %d: %s", i + 1, line);
    }
}

Test(batch_stream, same_sddl_different_tokens_and_same_token_different_sddl)
{
    const char *text =
        /* 1: SDDL A, token with BA -> granted */
        "{\"id\":1,\"sddl\":\"O:BAG:BAD:(A;;FR;;;BA)\",\"user\":\"" USER
        "\",\"groups\":[\"BA\"],\"desired\":\"FR\"}\n"
        /* 2: same SDDL, token without BA -> denied (not the cached token) */
        "{\"id\":2,\"sddl\":\"O:BAG:BAD:(A;;FR;;;BA)\",\"user\":\"" USER
        "\",\"groups\":[\"WD\"],\"desired\":\"FR\"}\n"
        /* 3: same SDDL, BA deny-only -> denied */
        "{\"id\":3,\"sddl\":\"O:BAG:BAD:(A;;FR;;;BA)\",\"user\":\"" USER
        "\",\"groups\":[\"BA:deny-only\"],\"desired\":\"FR\"}\n"
        /* 4: token of line 1, another SDDL -> denied (not the cached descriptor) */
        "{\"id\":4,\"sddl\":\"O:BAG:BAD:(A;;FR;;;SY)\",\"user\":\"" USER
        "\",\"groups\":[\"BA\"],\"desired\":\"FR\"}\n"
        /* 5: the same SDDL text in another domain: DU names another SID */
        "{\"id\":5,\"sddl\":\"O:BAG:BAD:(A;;FR;;;DU)\",\"user\":\"" USER
        "\",\"groups\":[\"S-1-5-21-1-2-3-513\"],\"domain\":\"S-1-5-21-1-2-3\","
        "\"desired\":\"FR\"}\n"
        "{\"id\":6,\"sddl\":\"O:BAG:BAD:(A;;FR;;;DU)\",\"user\":\"" USER
        "\",\"groups\":[\"S-1-5-21-1-2-3-513\"],\"domain\":\"S-1-5-21-9-9-9\","
        "\"desired\":\"FR\"}\n"
        /* 7: same desired text, another object type: another mask */
        "{\"id\":7,\"sddl\":\"O:BAG:BAD:(A;;GR;;;WD)\",\"user\":\"" USER
        "\",\"groups\":[\"WD\"],\"desired\":\"GR\",\"mode\":\"open\"}\n"
        "{\"id\":8,\"sddl\":\"O:BAG:BAD:(A;;GR;;;WD)\",\"user\":\"" USER
        "\",\"groups\":[\"WD\"],\"desired\":\"GR\",\"mode\":\"open\",\"type\":\"key\"}\n"
        /* 9, 10: a bad SDDL twice: the error each time (errors are not cached) */
        "{\"id\":9,\"sddl\":\"O:BAG:BAD:(A;;FR;;;ZZ)\",\"user\":\"" USER
        "\",\"desired\":\"FR\"}\n"
        "{\"id\":10,\"sddl\":\"O:BAG:BAD:(A;;FR;;;ZZ)\",\"user\":\"" USER
        "\",\"desired\":\"FR\"}\n";
    static char out[1 << 16];
    cr_assert_eq(run_batch(text, strlen(text), out, sizeof out), 0, "%s", out);
    const char *want[] = {
        "{\"id\":1,\"granted\":\"0x00120089\"", "{\"id\":2,\"granted\":\"0x00000000\"",
        "{\"id\":3,\"granted\":\"0x00000000\"", "{\"id\":4,\"granted\":\"0x00000000\"",
        "{\"id\":5,\"granted\":\"0x00120089\"", "{\"id\":6,\"granted\":\"0x00000000\"",
        "{\"id\":7,\"granted\":\"0x00120089\"", "{\"id\":8,\"granted\":\"0x00020019\"",
        "{\"id\":9,\"error\":\"line 9: sddl",   "{\"id\":10,\"error\":\"line 10: sddl"};
    for (int i = 0; i < 10; i++) {
        char line[1024];
        nth_line(out, i + 1, line, sizeof line);
        cr_assert(strncmp(line, want[i], strlen(want[i])) == 0, "line %d: %s", i + 1,
                  line);
    }
}

Test(batch_stream, fast_reader_and_strict_path_answer_alike)
{
    /* The same case spelt plainly (fast reader) and with escapes, white space and a
     * string id (strict path): the same answer, the id as given. */
    const char *text =
        "{\"id\":7,\"sddl\":\"O:BAG:BAD:(A;;FR;;;WD)\",\"user\":\"" USER
        "\",\"groups\":[\"WD\"],\"desired\":1}\n"
        "{ \"id\" : 7 , \"sddl\":\"O:BAG:BAD:(A;;FR;;;\\u0057D)\",\"user\":\"" USER
        "\",\"groups\":[\"WD\"],\"desired\":1.0e0}\n"
        "{\"id\":\"x\\\"y\",\"sddl\":\"O:BAG:BAD:(A;;FR;;;WD)\",\"user\":\"" USER
        "\",\"groups\":[\"WD\"],\"desired\":1}\n"
        "{\"id\":[1,{\"a\":null}],\"sddl\":\"O:BAG:BAD:(A;;FR;;;WD)\",\"user\":"
        "\"" USER "\",\"groups\":[\"WD\"],\"desired\":\"FR\",\"primary\":false}\n";
    static char out[1 << 16];
    cr_assert_eq(run_batch(text, strlen(text), out, sizeof out), 0, "%s", out);
    char l1[512], l2[512], l3[512], l4[512];
    nth_line(out, 1, l1, sizeof l1);
    nth_line(out, 2, l2, sizeof l2);
    nth_line(out, 3, l3, sizeof l3);
    nth_line(out, 4, l4, sizeof l4);
    cr_assert_str_eq(l1,
                     "{\"id\":7,\"granted\":\"0x00000001\",\"status\":\"ERROR_SUCCESS\","
                     "\"win32\":0,\"ntstatus\":\"0x00000000\",\"ntstatus_name\":"
                     "\"STATUS_SUCCESS\"}");
    cr_assert_str_eq(l2, l1);
    cr_assert(strncmp(l3, "{\"id\":\"x\\\"y\",\"granted\":\"0x00000001\"", 35) == 0, "%s",
              l3);
    cr_assert(strncmp(l4, "{\"id\":[1,{\"a\":null}],\"granted\":\"0x00120089\"", 43) == 0,
              "%s", l4);
}
