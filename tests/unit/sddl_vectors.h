/*
 * PURPOSE: the reader of the "a -> b" vector files under tests/data/sddl (canonical.txt,
 * binary.txt, conditional.txt: what Windows produced for an input), shared by the SDDL,
 * binary-form and conditional-expression tests.
 */
#ifndef TOKSIM_TEST_SDDL_VECTORS_H
#define TOKSIM_TEST_SDDL_VECTORS_H
#include <stdio.h>
#include <string.h>
#include "../helpers.h"

/**
 * Call fn(a, b, line) for each "a SEP b" line of a data file ('#' comments and blank
 * lines skipped, CR/LF stripped); a line without SEP fails the test. Returns the number
 * of vectors.
 */
static inline int ts_each_vector(const char *path,
                                 const char *sep,
                                 void (*fn)(const char *a, const char *b, int line))
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "cannot open %s (tests run from the repository root)", path);
    static char line[1 << 17]; /* Samba's longest AD descriptor is 56 KiB */
    int n = 0, lineno = 0;
    while (fgets(line, (int)sizeof line, f)) {
        lineno++;
        size_t l = strlen(line);
        while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
            line[--l] = '\0';
        if (line[0] == '#' || l == 0)
            continue;
        char *s = strstr(line, sep);
        cr_assert(s, "%s:%d: no '%s' separator", path, lineno, sep);
        *s = '\0';
        fn(line, s + strlen(sep), lineno);
        n++;
    }
    fclose(f);
    return n;
}
#endif
