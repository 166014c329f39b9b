/*
 * PURPOSE: entry point of the toksim program: dispatches to the subcommands of
 * commands.def.
 */
#include <errno.h>
#include <string.h>
#include "cli.h"

typedef struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} command;

static const command commands[] = {
#define CMD(name, fn, summary)       {#name, fn, summary},
#define CMD_NAMED(name, fn, summary) {name, fn, summary},
#include "commands.def"
#undef CMD_NAMED
#undef CMD
    {NULL, NULL, NULL}};

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim [-q|-v] <command> [options]   (toksim help <command> for "
        "details)\n"
        "       toksim --version\n\n"
        "Simulates the Windows access-token security model: tokens, privileges,\n"
        "impersonation levels, access checks, and replays scenarios of real failures.\n\n"
        "commands:\n");
    for (size_t i = 0; commands[i].name; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(
        out,
        "\noptions of every command (getopt_long style):\n"
        "  -q, --quiet     no warnings on stderr (errors still print)\n"
        "  -v, --verbose   name each input file read on stderr\n"
        "  short forms: -h --help, -f --format, -o --output, -e --explain, -w --world,\n"
        "  -p --policy (where the command has that option); a value attached (-fjson)\n"
        "  or next (-f json); flag letters group (-qe); -- ends the options; - is "
        "stdin\n");
    fprintf(out, "\nexit codes: 0 ok, 1 expectation failed or access denied (where a "
                 "command says so),\n"
                 "            2 bad input or usage, 3 internal error\n");
}

static int dispatch(int argc, char **argv)
{
    /* -q / -v before the command ("toksim -q run x") as after it */
    while (argc >= 2 &&
           (strcmp(argv[1], "-q") == 0 || strcmp(argv[1], "--quiet") == 0 ||
            strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "--verbose") == 0)) {
        cli_set_verbosity(argv[1][1] == 'q' || argv[1][2] == 'q' ? -1 : 1);
        argv[1] = argv[0];
        argc--, argv++;
    }
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "help") == 0 && argc == 3) {
        /* `toksim help sid` = `toksim sid --help` */
        for (size_t i = 0; commands[i].name; i++)
            if (strcmp(argv[2], commands[i].name) == 0) {
                char *args[] = {argv[2], (char *)"--help", NULL};
                return commands[i].fn(2, args);
            }
        fprintf(stderr, "toksim: unknown command '%s' (see 'toksim --help')\n", argv[2]);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        (strcmp(argv[1], "help") == 0 && argc == 2)) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0) {
        fprintf(stderr, "toksim: help takes one command name (see 'toksim --help')\n");
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("toksim %s\n", toksim_version());
        return EXIT_OK;
    }
    for (size_t i = 0; commands[i].name; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "toksim: unknown command '%s' (see 'toksim --help')\n", argv[1]);
    return EXIT_USAGE;
}

/* Every command's output ends here: a write that failed at any point (a full disk, a
 * closed pipe) leaves stdout's error flag set or fails the final flush/close, and the
 * run then exits 2 instead of pretending the output was written. */
int main(int argc, char **argv)
{
    int ex = dispatch(argc, argv);
    bool failed = ferror(stdout) != 0;
    errno = 0;
    if (fflush(stdout) != 0)
        failed = true;
    int saved = errno;
    if (fclose(stdout) != 0) {
        failed = true;
        if (!saved)
            saved = errno;
    }
    if (failed) {
        fprintf(stderr, "toksim: stdout: write failed: %s\n",
                saved ? strerror(saved) : "an earlier write was lost (I/O error)");
        return EXIT_USAGE;
    }
    return ex;
}
