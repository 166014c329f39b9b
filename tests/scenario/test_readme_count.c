/*
 * PURPOSE: README.md's catalog count ("The catalog in `scenarios/` (N files)") is the
 * number of scenario files under scenarios/ (every *.json but schema.json), so the README
 * cannot drift as helpers add scenarios.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../helpers.h"

static size_t n_scenarios;

static int count_one(const char *path, const struct stat *sb, int type, struct FTW *f)
{
    (void)sb;
    const char *base = path + f->base;
    size_t n = strlen(base);
    if (type == FTW_F && n > 5 && strcmp(base + n - 5, ".json") == 0 &&
        strcmp(base, "schema.json") != 0)
        n_scenarios++;
    return 0;
}

Test(readme, catalog_count_matches_the_scenario_files)
{
    FILE *fp = fopen("README.md", "r");
    cr_assert_not_null(fp, "README.md (run from the repository root)");
    static char text[1 << 17];
    size_t len = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[len] = '\0';
    const char *lead = "The catalog in `scenarios/` (";
    const char *p = strstr(text, lead);
    cr_assert_not_null(p, "README.md lacks \"%s N files)\"", lead);
    char *end;
    long said = strtol(p + strlen(lead), &end, 10);
    cr_assert(strncmp(end, " files)", 7) == 0,
              "README.md: \"%s\" is not followed by N files)", lead);
    n_scenarios = 0;
    cr_assert_eq(nftw("scenarios", count_one, 16, FTW_PHYS), 0);
    cr_assert_eq((size_t)said, n_scenarios,
                 "README.md says the catalog holds %ld files, scenarios/ holds %zu "
                 "(every *.json but schema.json): fix the README",
                 said, n_scenarios);
}
