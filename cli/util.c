/*
 * PURPOSE: option scanning, error reporting with positions and file reading shared by the
 * subcommands (the CLI's own plumbing; the model is in libtoksim).
 */
#include <cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

void cli_opts_init(cli_opts *o, int argc, char **argv, const char *prog)
{
    o->argc = argc;
    o->argv = argv;
    o->i = 1;
    o->prog = prog;
    o->only_positional = false;
}

static bool in_list(const char *list, const char *name, size_t len)
{
    const char *p = list;
    while (p && *p) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        if (n == len && strncmp(p, name, n) == 0)
            return true;
        p = c ? c + 1 : NULL;
    }
    return false;
}

int cli_opts_next(cli_opts *o,
                  const char *with_value,
                  const char **name,
                  const char **val)
{
    *name = NULL;
    *val = NULL;
    if (o->i >= o->argc)
        return -1;
    char *a = o->argv[o->i++];
    if (o->only_positional || a[0] != '-' || strcmp(a, "-") == 0) {
        *name = "";
        *val = a;
        return 0;
    }
    if (strcmp(a, "--") == 0) {
        o->only_positional = true;
        return cli_opts_next(o, with_value, name, val);
    }
    const char *n = a + (a[1] == '-' ? 2 : 1);
    const char *eq = strchr(n, '=');
    size_t len = eq ? (size_t)(eq - n) : strlen(n);
    if (len == 0 || len >= sizeof o->namebuf) {
        cli_usage_error(o->prog, "malformed option '%s'", a);
        return -2;
    }
    memcpy(o->namebuf, n, len);
    o->namebuf[len] = '\0';
    *name = o->namebuf;
    if (in_list(with_value, o->namebuf, len)) {
        if (eq) {
            *val = eq + 1;
        } else if (o->i < o->argc) {
            *val = o->argv[o->i++];
        } else {
            cli_usage_error(o->prog, "option --%s needs a value", o->namebuf);
            return -2;
        }
    } else if (eq) {
        cli_usage_error(o->prog, "option --%s takes no value", o->namebuf);
        return -2;
    }
    return 1;
}

bool cli_is_help(const char *name)
{
    return strcmp(name, "help") == 0 || strcmp(name, "h") == 0;
}

int cli_usage_error(const char *prog, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see '%s --help')\n", prog);
    return EXIT_USAGE;
}

int cli_report(const char *prog,
               const char *where,
               const char *text,
               const toksim_error *err,
               toksim_status code)
{
    const char *msg = (err && err->message[0]) ? err->message : toksim_strerror(code);
    fprintf(stderr, "%s: ", prog);
    bool has_where = where && *where;
    if (has_where)
        fprintf(stderr, "%s:", where);
    if (err && err->line > 0)
        fprintf(stderr, "%d:%d:", err->line, err->column);
    else if (text && err)
        fprintf(stderr, "%soffset %zu:", has_where ? " " : "", err->offset);
    fprintf(stderr, " %s\n", msg);
    if (text && err && !strchr(text, '\n') && strlen(text) <= 200) {
        size_t off = err->offset <= strlen(text) ? err->offset : strlen(text);
        fprintf(stderr, "  %s\n  %*s^\n", text, (int)off, "");
    }
    return (code == TOKSIM_ENOMEM || code == TOKSIM_ERROR) ? EXIT_INTERNAL : EXIT_USAGE;
}

bool cli_parse_format(const char *prog,
                      const char *val,
                      const char *allowed,
                      cli_format *out)
{
    if (strcmp(val, "text") == 0)
        *out = FMT_TEXT;
    else if (strcmp(val, "json") == 0)
        *out = FMT_JSON;
    else if (strcmp(val, "junit") == 0 && in_list(allowed, val, strlen(val)))
        *out = FMT_JUNIT;
    else if (in_list(allowed, val, strlen(val)))
        *out = FMT_OTHER;
    else {
        cli_usage_error(prog, "unknown format '%s' (expected text, json%s%s)", val,
                        allowed && *allowed ? ", " : "", allowed ? allowed : "");
        return false;
    }
    return true;
}

char *cli_read_file(const char *prog, const char *path, size_t cap, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s: cannot open: %s\n", prog, path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: %s: is a directory (expected a file)\n", prog, path);
        if (f != stdin)
            fclose(f);
        return NULL;
    }
    size_t n = 0, sz = 4096;
    char *buf = malloc(sz + 1);
    while (buf) {
        if (n == sz) {
            if (sz >= cap) {
                fprintf(stderr, "%s: %s: file larger than the %zu-byte limit\n", prog,
                        path, cap);
                free(buf);
                buf = NULL;
                break;
            }
            sz = sz * 2 > cap ? cap : sz * 2;
            char *nb = realloc(buf, sz + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, sz - n, f);
        n += r;
        if (r == 0) {
            if (ferror(f)) {
                fprintf(stderr, "%s: %s: read error: %s\n", prog, path, strerror(errno));
                free(buf);
                buf = NULL;
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = n;
    }
    return buf;
}

int cli_print_json(cJSON *root)
{
    char *s = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!s)
        return EXIT_INTERNAL;
    printf("%s\n", s);
    cJSON_free(s);
    return EXIT_OK;
}

int cli_sid_context_parse(const char *prog,
                          const char *domain,
                          const char *machine,
                          cli_sid_context *sc)
{
    memset(sc, 0, sizeof *sc);
    const char *text[2] = {domain, machine};
    static const char *const opt[2] = {"--domain", "--machine"};
    toksim_sid *out[2] = {&sc->domain, &sc->machine};
    for (int i = 0; i < 2; i++) {
        if (!text[i])
            continue;
        toksim_error err = {0};
        toksim_status rc = toksim_sid_parse(out[i], text[i], &err);
        if (rc != TOKSIM_OK)
            return cli_report(prog, opt[i], text[i], &err, rc);
    }
    sc->ctx.domain = domain ? &sc->domain : NULL;
    sc->ctx.machine = machine ? &sc->machine : NULL;
    return EXIT_OK;
}

void cli_sid_context_default_machine(cli_sid_context *sc)
{
    if (sc->ctx.machine)
        return;
    if (toksim_sid_parse(&sc->machine, TOKSIM_DEFAULT_MACHINE_SID, NULL) == TOKSIM_OK)
        sc->ctx.machine = &sc->machine;
}

size_t cli_object_type_list(char *buf, size_t n)
{
    /* The object-specific types in table order, then generic (the no-mapping fallback).
     */
    size_t at = 0;
    if (n)
        buf[0] = '\0';
    for (int i = 1; i <= TOKSIM_OBJ__COUNT; i++) {
        toksim_object_type t = (toksim_object_type)(i % TOKSIM_OBJ__COUNT);
        const char *name = toksim_object_type_name(t);
        int k = snprintf(buf + (at < n ? at : n), at < n ? n - at : 0, "%s%s",
                         i == 1                   ? ""
                         : i == TOKSIM_OBJ__COUNT ? " or "
                                                  : ", ",
                         name ? name : "?");
        if (k > 0)
            at += (size_t)k;
    }
    return at;
}

bool cli_parse_object_type(const char *prog,
                           const char *opt,
                           const char *val,
                           toksim_object_type *out)
{
    if (toksim_object_type_parse(out, val) == TOKSIM_OK)
        return true;
    char list[256];
    cli_object_type_list(list, sizeof list);
    cli_usage_error(prog, "%s '%s': expected %s", opt, val, list);
    return false;
}

void cli_hex32(char *buf, size_t n, uint32_t v)
{
    snprintf(buf, n, "0x%08X", v);
}
