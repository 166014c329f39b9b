/*
 * PURPOSE: `toksim error`: show a Win32 error, NTSTATUS, HRESULT or WBEM code in every
 * form (symbolic names, decimal, hex, the conversions between them, a short message), or
 * list the catalog. Presentation only: the catalog and conversions are libtoksim's
 * (errors.h).
 */
#include <cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char *const PROG = "toksim error";

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: toksim error [--format text|json] <code|name>...\n"
        "       toksim error --list [--format text|json]\n\n"
        "Shows a Win32 error (1346), NTSTATUS (0xC00000A5), HRESULT (0x80070542) or WBEM "
        "code\n"
        "(WBEM_E_ACCESS_DENIED), by value or symbolic name, in every form it takes.\n"
        "Numbers are decimal, 0x-hex, or negative decimal (a signed HRESULT). A value "
        "with the\n"
        "severity bits set is read as an NTSTATUS (0xC..., 0xD... = HRESULT_FROM_NT) or "
        "an\n"
        "HRESULT (0x8...); a value below 0x10000 is read as a Win32 error first.\n\n"
        "options:\n"
        "  --list              print the whole catalog\n"
        "  --format text|json  output format (default text)\n"
        "  --help              this text\n\n"
        "exit codes: 0 ok, 2 bad input or a code not in the catalog, 3 internal error\n");
}

static const char *kind_name(toksim_code_kind k)
{
    switch (k) {
    case TOKSIM_CODE_WIN32:
        return "win32";
    case TOKSIM_CODE_NTSTATUS:
        return "ntstatus";
    case TOKSIM_CODE_HRESULT:
        return "hresult";
    case TOKSIM_CODE_WBEM:
        return "wbem";
    }
    return "?";
}

/* Parse decimal, 0x-hex or negative decimal into 32 bits. Returns false when not a
 * number. */
static bool parse_number(const char *s, uint32_t *out, size_t *bad_at)
{
    const char *p = s;
    bool neg = false;
    int base = 10;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    const char *digits = p;
    if (!*digits) {
        *bad_at = (size_t)(p - s);
        return false;
    }
    for (const char *q = digits; *q; q++) {
        bool ok = base == 16 ? ((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f') ||
                                (*q >= 'A' && *q <= 'F'))
                             : (*q >= '0' && *q <= '9');
        if (!ok) {
            *bad_at = (size_t)(q - s);
            return false;
        }
    }
    errno = 0;
    char *end;
    unsigned long long v = strtoull(digits, &end, base);
    if (errno || (neg ? v > 0x80000000ull : v > 0xFFFFFFFFull)) {
        *bad_at = 0;
        return false;
    }
    *out = neg ? (uint32_t)(0u - (uint32_t)v) : (uint32_t)v;
    return true;
}

typedef struct {
    const toksim_code_info *row;
    const char *read_as; /* how the number was interpreted, NULL for a name */
} lookup;

/* Resolve a number to a catalog row, following the interpretation rules of the usage
 * text. */
static lookup by_number(uint32_t v)
{
    lookup l = {NULL, NULL};
    if ((v & 0xF0000000u) == 0xD0000000u) {
        l.row = toksim_code_by_hresult(v);
        l.read_as = "HRESULT_FROM_NT of an NTSTATUS";
    } else if ((v & 0xC0000000u) == 0xC0000000u) {
        l.row = toksim_code_by_ntstatus(v);
        l.read_as = "NTSTATUS";
        if (!l.row && (l.row = toksim_code_by_hresult(v)) != NULL)
            l.read_as = "HRESULT";
    } else if (v & 0x80000000u) {
        l.row = toksim_code_by_hresult(v);
        l.read_as = "HRESULT";
    } else if (v <= 0xFFFFu) {
        l.row = toksim_code_by_win32(v);
        l.read_as = "Win32 error";
        if (!l.row && (l.row = toksim_code_by_ntstatus(v)) != NULL)
            l.read_as = "NTSTATUS (success or informational)";
        if (!l.row && (l.row = toksim_code_by_hresult(v)) != NULL)
            l.read_as = "HRESULT (success)";
    } else {
        l.row = toksim_code_by_hresult(v);
        l.read_as = "HRESULT (success)";
        if (!l.row && (l.row = toksim_code_by_ntstatus(v)) != NULL)
            l.read_as = "NTSTATUS (success or informational)";
    }
    return l;
}

static cJSON *row_json(const toksim_code_info *c, const char *input, const char *read_as)
{
    char h[16];
    cJSON *o = cJSON_CreateObject();
    if (input)
        cJSON_AddStringToObject(o, "input", input);
    if (read_as)
        cJSON_AddStringToObject(o, "read_as", read_as);
    cJSON_AddStringToObject(o, "name", c->name);
    cJSON_AddStringToObject(o, "kind", kind_name(c->kind));
    const toksim_code_info *w32 = c->kind == TOKSIM_CODE_WIN32 ? c : NULL;
    if (!w32 && (c->value & 0xFFFF0000u) == 0x80070000u)
        w32 = toksim_code_by_win32(c->value & 0xFFFFu);
    if (w32) {
        cJSON *w = cJSON_AddObjectToObject(o, "win32");
        cJSON_AddStringToObject(w, "name", w32->name);
        cJSON_AddNumberToObject(w, "value", w32->value);
        snprintf(h, sizeof h, "0x%X", w32->value);
        cJSON_AddStringToObject(w, "hex", h);
    }
    uint32_t hr =
        c->kind == TOKSIM_CODE_WIN32 ? toksim_hresult_from_win32(c->value) : c->value;
    cli_hex32(h, sizeof h, hr);
    cJSON_AddStringToObject(o, "hresult", h);
    cJSON_AddNumberToObject(o, "hresult_unsigned", hr);
    cJSON_AddNumberToObject(o, "hresult_signed", (double)(int32_t)hr);
    if (w32 && w32->nt_name[0]) {
        cJSON *nt = cJSON_AddObjectToObject(o, "ntstatus");
        cJSON_AddStringToObject(nt, "name", w32->nt_name);
        cli_hex32(h, sizeof h, w32->ntstatus);
        cJSON_AddStringToObject(nt, "value", h);
        cli_hex32(h, sizeof h, toksim_hresult_from_nt(w32->ntstatus));
        cJSON_AddStringToObject(nt, "hresult_from_nt", h);
    } else {
        cJSON_AddNullToObject(o, "ntstatus");
    }
    cJSON_AddStringToObject(o, "message", c->message);
    return o;
}

static void
row_text(const toksim_code_info *c, const char *input, const char *read_as, bool first)
{
    if (!first)
        printf("\n");
    printf("%s\n", c->name);
    if (input && read_as)
        printf("  Input:    %s (read as %s)\n", input, read_as);
    const toksim_code_info *w32 = c->kind == TOKSIM_CODE_WIN32 ? c : NULL;
    if (!w32 && (c->value & 0xFFFF0000u) == 0x80070000u)
        w32 = toksim_code_by_win32(c->value & 0xFFFFu);
    if (c->kind == TOKSIM_CODE_WIN32) {
        uint32_t hr = toksim_hresult_from_win32(c->value);
        printf("  Win32:    %s = %u (0x%X)\n", c->name, c->value, c->value);
        printf("  HRESULT:  0x%08X (HRESULT_FROM_WIN32; signed %d)\n", hr, (int32_t)hr);
    } else {
        printf("  %-9s 0x%08X (unsigned %u, signed %d)\n",
               c->kind == TOKSIM_CODE_WBEM ? "WBEM:" : "HRESULT:", c->value, c->value,
               (int32_t)c->value);
        if (w32)
            printf("  Win32:    %s = %u (0x%X)\n", w32->name, w32->value, w32->value);
    }
    if (w32 && w32->nt_name[0])
        printf("  NTSTATUS: %s = 0x%08X (HRESULT_FROM_NT 0x%08X)\n", w32->nt_name,
               w32->ntstatus, toksim_hresult_from_nt(w32->ntstatus));
    else if (c->kind == TOKSIM_CODE_WIN32)
        printf("  NTSTATUS: (none catalogued)\n");
    printf("  Message:  %s\n", c->message);
}

static int list_catalog(cli_format fmt)
{
    if (fmt == FMT_JSON) {
        cJSON *arr = cJSON_CreateArray();
        for (size_t i = 0; i < toksim_code_count(); i++)
            cJSON_AddItemToArray(arr, row_json(toksim_code_at(i), NULL, NULL));
        return cli_print_json(arr);
    }
    printf("%-36s %-7s %-10s %-10s %-47s %s\n", "NAME", "KIND", "VALUE", "HRESULT",
           "NTSTATUS", "MESSAGE");
    for (size_t i = 0; i < toksim_code_count(); i++) {
        const toksim_code_info *c = toksim_code_at(i);
        char val[16], hr[16], nt[96];
        if (c->kind == TOKSIM_CODE_WIN32) {
            snprintf(val, sizeof val, "%u", c->value);
            cli_hex32(hr, sizeof hr, toksim_hresult_from_win32(c->value));
        } else {
            cli_hex32(val, sizeof val, c->value);
            snprintf(hr, sizeof hr, "-");
        }
        if (c->nt_name[0])
            snprintf(nt, sizeof nt, "0x%08X %s", c->ntstatus, c->nt_name);
        else
            snprintf(nt, sizeof nt, "-");
        printf("%-36s %-7s %-10s %-10s %-47s %s\n", c->name, kind_name(c->kind), val, hr,
               nt, c->message);
    }
    return EXIT_OK;
}

int cmd_error(int argc, char **argv)
{
    cli_opts o;
    cli_opts_init(&o, argc, argv, PROG);
    const char *name, *val;
    int r;
    cli_format fmt = FMT_TEXT;
    bool list = false;
    const char *inputs[64];
    int argn[64]; /* position of each input on the command line, for messages */
    const size_t max = sizeof inputs / sizeof inputs[0];
    size_t n = 0;
    while ((r = cli_opts_next(&o, "format", &name, &val)) >= 0) {
        /* "-2147024894" is a negative decimal HRESULT, not an option. */
        bool negative = r == 1 && name[0] >= '0' && name[0] <= '9';
        if (r == 0 || negative) {
            if (n == max)
                return cli_usage_error(PROG, "too many inputs (at most %zu)", max);
            argn[n] = o.i - 1;
            inputs[n++] = negative ? o.argv[o.i - 1] : val;
        } else if (cli_is_help(name)) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(name, "format") == 0) {
            if (!cli_parse_format(PROG, val, "", &fmt))
                return EXIT_USAGE;
        } else if (strcmp(name, "list") == 0) {
            list = true;
        } else {
            return cli_usage_error(PROG, "unknown option --%s", name);
        }
    }
    if (r == -2)
        return EXIT_USAGE;
    if (list) {
        if (n)
            return cli_usage_error(PROG, "--list takes no other input");
        return list_catalog(fmt);
    }
    if (n == 0)
        return cli_usage_error(PROG, "expected an error code or a symbolic name");
    /* Look every input up before printing anything: one bad input fails the command with
     * no partial output. */
    lookup found[64];
    for (size_t i = 0; i < n; i++) {
        const char *in = inputs[i];
        found[i].row = NULL;
        found[i].read_as = NULL;
        if ((in[0] >= '0' && in[0] <= '9') || in[0] == '-') {
            uint32_t v;
            size_t bad = 0;
            if (!parse_number(in, &v, &bad)) {
                toksim_error e = {0};
                e.offset = bad;
                snprintf(e.message, sizeof e.message,
                         "expected a decimal number, 0x followed by hex digits, or a "
                         "symbolic name (the value must fit in 32 bits)");
                char where[32];
                snprintf(where, sizeof where, "argument %d", argn[i]);
                return cli_report(PROG, where, in, &e, TOKSIM_EPARSE);
            }
            found[i] = by_number(v);
        } else {
            found[i].row = toksim_code_by_name(in);
        }
        if (!found[i].row) {
            fprintf(
                stderr,
                "%s: argument %d: '%s' is not in the catalog%s%s%s\n(see 'toksim error "
                "--list')\n",
                PROG, argn[i], in, found[i].read_as ? " (read as " : "",
                found[i].read_as ? found[i].read_as : "", found[i].read_as ? ")" : "");
            return EXIT_USAGE;
        }
    }
    if (fmt == FMT_JSON) {
        cJSON *root = n > 1 ? cJSON_CreateArray()
                            : row_json(found[0].row, inputs[0], found[0].read_as);
        for (size_t i = 0; n > 1 && root && i < n; i++)
            cJSON_AddItemToArray(root,
                                 row_json(found[i].row, inputs[i], found[i].read_as));
        return cli_print_json(root);
    }
    for (size_t i = 0; i < n; i++)
        row_text(found[i].row, found[i].read_as ? inputs[i] : NULL, found[i].read_as,
                 i == 0);
    return EXIT_OK;
}
