/*
 * PURPOSE: whether text output is coloured: `--color always|never|auto` (also spelt
 * --colour), where auto means stdout is a terminal and NO_COLOR is unset or empty
 * (https://no-color.org). The colours themselves are chosen by the library's renderers.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

int cli_parse_color(const char *val)
{
    if (strcmp(val, "auto") == 0)
        return -1;
    if (strcmp(val, "always") == 0)
        return 1;
    if (strcmp(val, "never") == 0)
        return 0;
    return -2;
}

bool cli_color_wanted(int choice)
{
    if (choice >= 0)
        return choice == 1;
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return false;
    return isatty(fileno(stdout)) == 1;
}
