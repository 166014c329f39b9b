/*
 * PURPOSE: the project rule "every rule of the model has a test" made mechanical. For
 * every trace rule (toksim_rule_get over 1..TOKSIM_RULE__COUNT-1) some test source
 * (tests/ *.c and the shared fixture headers tests/ *.h, any depth) or scenario
 * (scenarios/ *.json, any depth) must name it: its stable id as a quoted string
 * ("logon.origin") or its enum name (TOKSIM_RULE_LOGON_ORIGIN) as a whole word. A new
 * rule without a test breaks the build with the list of unnamed ids.
 *
 * Paths are relative to the repository root, where `make unit` runs the suite. This file
 * is left out of the scan (its allow-list names ids on purpose).
 *
 * The allow-list below holds the ids no test can name honestly, each with its reason. It
 * must stay short: an allow-listed id that a test does name, or that is no rule id, fails
 * too, so the list shrinks as soon as the code is fixed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "../helpers.h"

/* Enum names of the rules, from the same X-macro rows as the library's table. */
static const struct {
    toksim_rule rule;
    const char *enum_name;
} enum_names[] = {
#define TOKSIM_RULE_ROW(e, id, summary, tmpl, cite) {TOKSIM_RULE_##e, "TOKSIM_RULE_" #e},
#include "toksim/rules_core.inc"
#include "toksim/rules_identity.inc"
#include "toksim/rules_imperson.inc"
#include "toksim/rules_systems.inc"
#include "toksim/rules_query.inc"
#undef TOKSIM_RULE_ROW
};

/* Rules no test can make the trace report, with the reason (see the file comment). */
static const struct {
    const char *id;
    const char *reason;
} allow_list[] = {
    /* Empty: every rule is named by a test. Add {"id", "reason"} rows above the sentinel
     * only for a rule no test can reach, and say why. */
    {NULL, NULL},
};

#define COV_MAX_FILE  (4u << 20)
#define COV_MAX_FILES 4096u

typedef struct corpus {
    char **text;
    size_t n;
} corpus;

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void add_file(corpus *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    char *buf = malloc(COV_MAX_FILE + 1);
    cr_assert_not_null(buf);
    size_t n = fread(buf, 1, COV_MAX_FILE, f);
    fclose(f);
    buf[n] = '\0';
    cr_assert(c->n < COV_MAX_FILES, "too many test files");
    c->text[c->n++] = buf;
}

/* Every file under `dir` (recursively) whose name ends with `suffix`, except `skip`. */
static void scan_dir(corpus *c, const char *dir, const char *suffix, const char *skip)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open directory %s (run from the repository root)", dir);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        int k = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        cr_assert(k > 0 && (size_t)k < sizeof path, "path too long under %s", dir);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            scan_dir(c, path, suffix, skip);
        else if (S_ISREG(st.st_mode) && ends_with(path, suffix) &&
                 strcmp(path, skip) != 0)
            add_file(c, path);
    }
    closedir(d);
}

static bool ident_char(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
           (ch >= '0' && ch <= '9') || ch == '_';
}

/* `word` occurs in `text` not followed by an identifier character. */
static bool has_word(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
        if (!ident_char(p[n]) && (p == text || !ident_char(p[-1])))
            return true;
    return false;
}

static bool named(const corpus *c, const char *id, const char *enum_name)
{
    char quoted[160];
    snprintf(quoted, sizeof quoted, "\"%s\"", id);
    for (size_t i = 0; i < c->n; i++)
        if (strstr(c->text[i], quoted) || (enum_name && has_word(c->text[i], enum_name)))
            return true;
    return false;
}

static const char *enum_name_of(toksim_rule r)
{
    for (size_t i = 0; i < sizeof enum_names / sizeof enum_names[0]; i++)
        if (enum_names[i].rule == r)
            return enum_names[i].enum_name;
    return NULL;
}

static bool allowed(const char *id)
{
    for (size_t i = 0; allow_list[i].id; i++)
        if (strcmp(allow_list[i].id, id) == 0)
            return true;
    return false;
}

Test(rules_coverage, every_rule_is_named_by_a_test)
{
    corpus c = {calloc(COV_MAX_FILES, sizeof(char *)), 0};
    cr_assert_not_null(c.text);
    scan_dir(&c, "tests", ".c", "tests/unit/test_rules_coverage.c");
    scan_dir(&c, "tests", ".h",
             ""); /* shared fixtures (access_fixtures.h ...) name rules too */
    scan_dir(&c, "scenarios", ".json", "");
    cr_assert_gt(c.n, 10u,
                 "found only %zu test sources: not run from the repository root?", c.n);

    cr_assert_eq(sizeof enum_names / sizeof enum_names[0],
                 (size_t)TOKSIM_RULE__COUNT - 1);
    size_t cap = 16384, used = 0, missing = 0, stale = 0;
    char *report = malloc(cap);
    cr_assert_not_null(report);
    report[0] = '\0';
    for (int r = 1; r < (int)TOKSIM_RULE__COUNT; r++) {
        const toksim_rule_info *ri = toksim_rule_get((toksim_rule)r);
        cr_assert_eq(ri->rule, (toksim_rule)r);
        bool is_named = named(&c, ri->id, enum_name_of((toksim_rule)r));
        bool ok = allowed(ri->id) ? !is_named : is_named;
        if (ok)
            continue;
        if (is_named)
            stale++;
        else
            missing++;
        int k = snprintf(
            report + used, cap - used, "\n  %s%s", ri->id,
            is_named
                ? " (allow-listed but a test names it: remove it from the allow-list)"
                : "");
        if (k > 0 && used + (size_t)k < cap)
            used += (size_t)k;
    }
    cr_expect_eq(missing + stale, 0u,
                 "%zu rule(s) no test or scenario names, %zu stale allow-list entr%s:%s",
                 missing, stale, stale == 1 ? "y" : "ies", report);
    /* every allow-listed id is a rule */
    for (size_t i = 0; allow_list[i].id; i++)
        cr_expect_not_null(toksim_rule_by_id(allow_list[i].id),
                           "allow-list: %s is no rule id", allow_list[i].id);
    free(report);
    for (size_t i = 0; i < c.n; i++)
        free(c.text[i]);
    free(c.text);
}
