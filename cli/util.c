/*
 * PURPOSE: option scanning, error reporting with positions and file reading shared by the
 * subcommands (the CLI's own plumbing; the model is in libtoksim).
 */
#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
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
    o->bundle = NULL;
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

/* ---- global verbosity (-q / -v), set while options are scanned ---- */

static int verbosity; /* -1 quiet, 0 normal, 1 verbose: the CLI's one switch */

void cli_set_verbosity(int v)
{
    verbosity = v;
}

int cli_verbosity(void)
{
    return verbosity;
}

static bool take_global(const char *name)
{
    if (strcmp(name, "quiet") == 0)
        verbosity = -1;
    else if (strcmp(name, "verbose") == 0)
        verbosity = 1;
    else
        return false;
    return true;
}

/* The short options, getopt_long style: each letter names the long option the commands
 * already parse. `value`: the letter needs a value (-fjson or -f json), and is refused
 * by a command whose options do not list its long name. */
static const struct {
    char letter;
    const char *name;
    bool value;
} short_opts[] = {
    {'h', "help", false},    {'q', "quiet", false}, {'v', "verbose", false},
    {'e', "explain", false}, {'f', "format", true}, {'o', "output", true},
    {'w', "world", true},    {'p', "policy", true},
};

/* One letter of a short-option group at o->bundle: 1 option, 2 global (taken), -2 error
 */
static int
next_short(cli_opts *o, const char *with_value, const char **name, const char **val)
{
    char c = *o->bundle++;
    size_t k = 0, n = sizeof short_opts / sizeof short_opts[0];
    while (k < n && short_opts[k].letter != c)
        k++;
    const char *lname = k < n ? short_opts[k].name : NULL;
    bool takes = lname && in_list(with_value, lname, strlen(lname));
    if (!lname || (short_opts[k].value && !takes)) {
        o->bundle = NULL;
        if (c == '-' || (unsigned char)c < 0x21 || (unsigned char)c > 0x7e)
            cli_usage_error(o->prog, "malformed option '%s'", o->argv[o->i - 1]);
        else
            cli_usage_error(o->prog, "unknown option -%c", c);
        return -2;
    }
    snprintf(o->namebuf, sizeof o->namebuf, "%s", lname);
    *name = o->namebuf;
    if (takes) {
        if (*o->bundle) {
            *val = o->bundle;
        } else if (o->i < o->argc) {
            *val = o->argv[o->i++];
        } else {
            cli_usage_error(o->prog, "option -%c (--%s) needs a value", c, lname);
            return -2;
        }
        o->bundle = NULL;
    } else if (!*o->bundle) {
        o->bundle = NULL;
    }
    return take_global(lname) ? 2 : 1;
}

int cli_opts_next(cli_opts *o,
                  const char *with_value,
                  const char **name,
                  const char **val)
{
    *name = NULL;
    *val = NULL;
    if (o->bundle) {
        int r = next_short(o, with_value, name, val);
        return r == 2 ? cli_opts_next(o, with_value, name, val) : r;
    }
    if (o->i >= o->argc)
        return -1;
    char *a = o->argv[o->i++];
    /* "-" (standard input) and "-5" (a negative number) are arguments, not options */
    if (o->only_positional || a[0] != '-' || strcmp(a, "-") == 0 ||
        (a[1] >= '0' && a[1] <= '9')) {
        *name = "";
        *val = a;
        return 0;
    }
    if (strcmp(a, "--") == 0) {
        o->only_positional = true;
        return cli_opts_next(o, with_value, name, val);
    }
    if (a[1] != '-') { /* -x, a group -qe, -fjson: letter by letter */
        o->bundle = a + 1;
        return cli_opts_next(o, with_value, name, val);
    }
    const char *n = a + 2;
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
    } else if (take_global(o->namebuf)) {
        return cli_opts_next(o, with_value, name, val);
    }
    return 1;
}

void cli_warn(const char *prog, const char *fmt, ...)
{
    if (verbosity < 0)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char esc[8192];
    cli_escape(esc, sizeof esc, msg);
    fprintf(stderr, "%s: %s\n", prog, esc);
}

void cli_note(const char *prog, const char *fmt, ...)
{
    if (verbosity < 1)
        return;
    char msg[2048], esc[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cli_escape(esc, sizeof esc, msg);
    fprintf(stderr, "%s: %s\n", prog, esc);
}

bool cli_is_help(const char *name)
{
    return strcmp(name, "help") == 0 || strcmp(name, "h") == 0;
}

int cli_usage_error(const char *prog, const char *fmt, ...)
{
    /* the message often quotes an argument: escaped, like every echo of input */
    char msg[2048], esc[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cli_escape(esc, sizeof esc, msg);
    fprintf(stderr, "%s: %s\n(see '%s --help')\n", prog, esc, prog);
    return EXIT_USAGE;
}

/* Length of the well-formed UTF-8 sequence (RFC 3629) starting at p, 0 when the bytes
 * there are not one (a stray continuation byte, an overlong form, a surrogate, a
 * truncated sequence). */
static size_t utf8_seq_len(const unsigned char *p)
{
    unsigned c = p[0], need = c >= 0xC2 && c <= 0xDF   ? 1
                              : (c & 0xF0) == 0xE0     ? 2
                              : c >= 0xF0 && c <= 0xF4 ? 3
                                                       : 0;
    if (!need || (c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) ||
        (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
        return 0;
    for (unsigned j = 1; j <= need; j++) /* stops at the terminating NUL */
        if ((p[j] & 0xC0) != 0x80)
            return 0;
    return need + 1;
}

size_t cli_escape(char *out, size_t n, const char *s)
{
    size_t at = 0;
    if (!n)
        return 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        char e[8];
        size_t k;
        /* C0 controls, DEL and the C1 controls (U+0080-U+009F, UTF-8 C2 80..C2 9F: CSI is
         * C2 9B) would move the cursor or start a terminal escape sequence */
        size_t u;
        if (*p < 0x20 || *p == 0x7f)
            k = (size_t)snprintf(e, sizeof e, "\\x%02X", *p);
        else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            k = (size_t)snprintf(e, sizeof e, "\\u%04X", p[1]), p++;
        else if (*p < 0x80)
            e[0] = (char)*p, k = 1;
        else if ((u = utf8_seq_len(p)) != 0) /* a character: copied whole */
            memcpy(e, p, u), k = u, p += u - 1;
        else /* a byte that is not UTF-8 (a code-page file, binary): shown as its value */
            k = (size_t)snprintf(e, sizeof e, "\\x%02X", *p);
        if (at + k >= n)
            break;
        memcpy(out + at, e, k);
        at += k;
    }
    out[at] = '\0';
    return at;
}

int cli_report(const char *prog,
               const char *where,
               const char *text,
               const toksim_error *err,
               toksim_status code)
{
    /* Input echoed in a message is escaped: no raw newline or terminal escape reaches
     * the terminal. */
    char msg[TOKSIM_ERROR_MESSAGE_SIZE * 4], wh[TOKSIM_ERROR_WHERE_SIZE * 4];
    cli_escape(msg, sizeof msg,
               (err && err->message[0]) ? err->message : toksim_strerror(code));
    fprintf(stderr, "%s: ", prog);
    bool has_where = where && *where;
    if (has_where)
        fprintf(stderr, "%s:", (cli_escape(wh, sizeof wh, where), wh));
    if (err && err->line > 0)
        fprintf(stderr, "%d:%d:", err->line, err->column);
    else if (text && err)
        fprintf(stderr, "%soffset %zu:", has_where ? " " : "", err->offset);
    fprintf(stderr, " %s\n", msg);
    bool plain = true; /* the caret line only for printable text */
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++)
        plain = plain && *p >= 0x20 && *p < 0x7f;
    if (text && err && plain && strlen(text) <= 200) {
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

FILE *cli_open_input(const char *prog, const char *path)
{
    /* "-" is standard input (a pipe is fine there). A named file is opened non-blocking
     * and must be a regular file: a FIFO or device is refused before any read can block.
     */
    FILE *f = stdin;
    if (strcmp(path, "-") != 0) {
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
            fprintf(stderr, "%s: %s: cannot open: %s\n", prog, path, strerror(errno));
            return NULL;
        }
        struct stat st = {0};
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            fprintf(stderr, "%s: %s: %s\n", prog, path,
                    S_ISDIR(st.st_mode)    ? "is a directory (expected a file)"
                    : S_ISFIFO(st.st_mode) ? "cannot open: not a regular file (a FIFO)"
                                           : "cannot open: not a regular file");
            close(fd);
            return NULL;
        }
        int fl = fcntl(fd, F_GETFL);
        f = fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0 ? fdopen(fd, "rb")
                                                                 : NULL;
        if (!f) {
            fprintf(stderr, "%s: %s: cannot open: %s\n", prog, path, strerror(errno));
            close(fd);
            return NULL;
        }
    }
    return f;
}

char *cli_read_file(const char *prog, const char *path, size_t cap, size_t *len)
{
    FILE *f = cli_open_input(prog, path);
    if (!f)
        return NULL;
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
        cli_note(prog, "%s: read %zu bytes", strcmp(path, "-") ? path : "<stdin>", n);
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

/* ---- "-" is standard input for every file argument ---- */

static char *read_stdin(size_t cap, size_t *len, toksim_error *err)
{
    char *t = cli_read_file("toksim", "-", cap, len);
    if (!t && err) {
        err->code = TOKSIM_EIO;
        snprintf(err->message, sizeof err->message, "cannot read standard input");
        snprintf(err->where, sizeof err->where, "<stdin>");
    }
    return t;
}

toksim_status cli_scenario_load(toksim_scenario **sc, const char *path, toksim_error *err)
{
    cli_note("toksim", "%s: reading a scenario", strcmp(path, "-") ? path : "<stdin>");
    if (strcmp(path, "-") != 0)
        return toksim_scenario_load_file(sc, path, err);
    /* read once and kept: `run` and `check` replay their inputs twice (a check pass,
     * then the output pass), and standard input cannot be read again */
    static char *stdin_text;
    static size_t stdin_len;
    if (!stdin_text &&
        !(stdin_text = read_stdin(TOKSIM_SCENARIO_MAX_BYTES, &stdin_len, err)))
        return TOKSIM_EIO;
    return toksim_scenario_parse(sc, stdin_text, stdin_len, "<stdin>", ".", err);
}

toksim_status cli_world_load(toksim_world **w, const char *path, toksim_error *err)
{
    cli_note("toksim", "%s: reading a world", strcmp(path, "-") ? path : "<stdin>");
    if (strcmp(path, "-") != 0)
        return toksim_world_load_file(w, path, err);
    size_t len = 0;
    char *t = read_stdin(TOKSIM_WORLD_JSON_MAX_BYTES, &len, err);
    if (!t)
        return TOKSIM_EIO;
    toksim_status rc = toksim_world_from_json(w, t, len, "<stdin>", err);
    free(t);
    return rc;
}

FILE *cli_open_output(const char *prog, const char *path)
{
    if (strcmp(path, "-") == 0)
        return stdout;
    /* Non-blocking and without O_TRUNC until it is known to be a regular file: a FIFO
     * without a reader fails at once (ENXIO) instead of waiting, a device (/dev/null) is
     * written, never truncated. */
    int fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0666);
    struct stat st = {0};
    if (fd >= 0 && (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode))) {
        fprintf(stderr, "%s: %s: cannot write: a directory\n", prog, path);
        close(fd);
        return NULL;
    }
    int fl = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
    FILE *f = fl >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0 &&
                      (!S_ISREG(st.st_mode) || ftruncate(fd, 0) == 0)
                  ? fdopen(fd, "wb")
                  : NULL;
    if (!f) {
        fprintf(stderr, "%s: %s: cannot write: %s\n", prog, path, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    return f;
}

toksim_status cli_parse_inf(const char *prog,
                            toksim_policy **out,
                            const void *data,
                            size_t len,
                            const char *path,
                            const toksim_world *w,
                            const toksim_inf_options *opts,
                            toksim_error *err)
{
    toksim_inf_warning *warn = NULL;
    size_t n = 0;
    const char *where = strcmp(path, "-") == 0 ? "<stdin>" : path;
    toksim_status rc =
        toksim_policy_parse_inf_ex(out, data, len, where, w, opts, &warn, &n, err);
    char esc[TOKSIM_ERROR_WHERE_SIZE * 4];
    cli_escape(esc, sizeof esc, where);
    for (size_t i = 0; i < n; i++)
        cli_warn(prog, "%s:%d: warning: %s", esc, warn[i].line, warn[i].message);
    free(warn);
    return rc;
}

void cli_warn_dc_template(const char *prog,
                          const char *file,
                          const toksim_policy *tmpl,
                          const char *profile)
{
    uint32_t dc_right = 0;
    toksim_sid dc_sid;
    if (!toksim_policy_looks_like_dc(tmpl, &dc_right, &dc_sid))
        return;
    char nm[160];
    toksim_sid_display_name(nm, sizeof nm, &dc_sid, NULL);
    const toksim_right_info *ri = toksim_right_get(dc_right);
    cli_warn(prog,
             "%s:%d: warning: this looks like a domain controller's template "
             "(%s lists %s, which only domain controllers have), applied to the "
             "default profile %s: --os server is probably meant",
             file, toksim_policy_source_line(tmpl, dc_right), ri ? ri->name : "a right",
             nm, profile);
}

void cli_put_text(const char *s)
{
    cli_fput_text(stdout, s);
}

void cli_fput_text(FILE *out, const char *s)
{
    /* Line breaks and tabs are the text's own; any other control character came from
     * input (a name or note spelt with a \u001b escape) and is shown escaped. */
    const char *p = s ? s : "";
    while (*p) {
        size_t n = 0;
        while (p[n] && ((unsigned char)p[n] >= 0x20 || p[n] == '\n' || p[n] == '\t') &&
               (unsigned char)p[n] != 0x7f &&
               !((unsigned char)p[n] == 0xC2 && (unsigned char)p[n + 1] >= 0x80 &&
                 (unsigned char)p[n + 1] <= 0x9F))
            n++;
        fwrite(p, 1, n, out);
        p += n;
        if (*p == '\033' && p[1] == '[') { /* an SGR colour sequence (ESC [ digits ; m)
                                            * only changes colour: pass it; any other
                                            * escape sequence is shown escaped */
            size_t k = 2;
            while ((p[k] >= '0' && p[k] <= '9') || p[k] == ';')
                k++;
            if (p[k] == 'm') {
                fwrite(p, 1, k + 1, out);
                p += k + 1;
                continue;
            }
        }
        if (*p) { /* the same spelling as cli_escape */
            unsigned char c = (unsigned char)*p;
            char e[8];
            if (c == 0xC2) {
                snprintf(e, sizeof e, "\\u%04X", (unsigned char)p[1]);
                p += 2;
            } else {
                snprintf(e, sizeof e, "\\x%02X", c);
                p++;
            }
            fputs(e, out);
        }
    }
}
