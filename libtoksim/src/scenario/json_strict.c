/*
 * PURPOSE: the strict RFC 8259 reader shared by every JSON reader (scenario loader,
 * world files, `access --batch` lines). One pass over the text checks it and, for the
 * scenario and world loaders, builds the cJSON tree with each value's source position
 * (ts_jdoc_parse; issue 11: one pass instead of check, cJSON parse and position walk).
 * It refuses, with the byte offset of the first offending byte, what a lenient parser
 * would accept silently: a "\u0000" escape (it truncates the string, so the ACEs
 * of an SDDL after it would vanish), raw control characters, invalid escapes, lone
 * surrogates, invalid UTF-8, leading zeros ("01"), trailing commas, a key given twice in
 * one object (compared after unescaping, so "a" and "\u0061" collide), trailing text, a
 * byte-order mark and UTF-16 text, and nesting beyond TOKSIM_JSON_MAX_DEPTH.
 *
 * Memory: one block of the input's size for decoded strings (only the keys of the open
 * objects when just checking), one record per key of the open objects and, when building,
 * one node per value (capped by the caller's value limit); recursion depth is capped by
 * TOKSIM_JSON_MAX_DEPTH.
 */
#include <locale.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/scen_int.h"
#include "toksim/json_check.h"
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#endif

typedef struct jkey {
    size_t aoff, alen; /* decoded bytes in j->str */
    size_t src;        /* offset of the key's opening quote */
    const char *p;     /* j->str + aoff, filled just before sorting */
} jkey;

/* Nodes come from chunks that are never moved, so a cJSON pointer stays valid; a chunk
 * holds twice the nodes of the one before. */
struct ts_jchunk {
    struct ts_jchunk *next;
    size_t used, cap;
    ts_jnode node[];
};

typedef struct jcheck {
    const char *s;
    size_t n, i;
    /* Decoded strings, each NUL-terminated: a string never decodes to more bytes than
     * its quoted source, so n + 1 bytes hold them all. Checking only keeps the keys of
     * the open objects (for the duplicate test); building keeps every string. */
    char *str;
    size_t slen;
    jkey *keys;
    size_t nkeys, capkeys;
    ts_jdoc *doc; /* building: the document, else NULL */
    bool build;   /* still building (false once the value limit is passed) */
    size_t values, max_values, limit_off;
    toksim_status rc;
    size_t err_off;
    char msg[TOKSIM_ERROR_MESSAGE_SIZE];
} jcheck;

TS_PRINTF(4, 5)
static bool fail(jcheck *j, toksim_status code, size_t off, const char *fmt, ...)
{
    if (j->rc)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->msg, sizeof j->msg, fmt, ap);
    va_end(ap);
    j->rc = code;
    j->err_off = off;
    return false;
}

/* What stands at offset i, for messages: "'x'", "end of input", "byte 0x01". */
static const char *what_at(const jcheck *j, size_t i, char buf[16])
{
    if (i >= j->n)
        return "end of input";
    unsigned char c = (unsigned char)j->s[i];
    if (c == 0)
        return "NUL byte";
    if (c > 0x20 && c < 0x7f)
        snprintf(buf, 16, "'%c'", c);
    else
        snprintf(buf, 16, "byte 0x%02X", c);
    return buf;
}

static void skip_ws(jcheck *j)
{
    const char *s = j->s; /* locals: the loop runs over every indentation (issue 11) */
    size_t i = j->i, n = j->n;
    while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
        i++;
    j->i = i;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at s[i..i+4); -1 when they are not. */
static long hex4(const jcheck *j, size_t i)
{
    if (i + 4 > j->n)
        return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hexval(j->s[i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* How many bytes from p (before end) are plain string bytes: 0x20-0x7F but '"' and
 * '\\'. 16 bytes a step with SSE2 (a signed compare below 0x20 also catches 0x80 and
 * above): most of a scenario's text is such runs (issue 11). */
static size_t plain_run(const char *p, const char *end)
{
    const char *s = p;
#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                  space = _mm_set1_epi8(0x20);
    for (; end - p >= 16; p += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(x, space), _mm_cmpeq_epi8(x, quote)),
                         _mm_cmpeq_epi8(x, bslash)));
        if (m)
            return (size_t)(p - s) + (unsigned)__builtin_ctz(m);
    }
#endif
    while (p < end && (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x80 &&
           *p != '"' && *p != '\\')
        p++;
    return (size_t)(p - s);
}

/* A string at j->i (the opening quote). With `keep`, its decoded bytes and a NUL go to
 * j->str at *aoff (*alen bytes without the NUL). */
static bool string(jcheck *j, bool keep, size_t *aoff, size_t *alen)
{
    size_t start = j->i++;
    char *out = keep ? j->str + j->slen : NULL;
    size_t d = 0; /* decoded bytes so far */
    for (;;) {
        if (j->i >= j->n) {
            int line, col;
            ts_text_linecol(j->s, j->n, start, &line, &col);
            return fail(
                j, TOKSIM_EPARSE, j->n,
                "malformed JSON: unterminated string (it opens at line %d, column "
                "%d; expected a closing '\"')",
                line, col);
        }
        unsigned char c = (unsigned char)j->s[j->i];
        if (c == '"') {
            j->i++;
            if (out) {
                out[d] = '\0';
                *aoff = j->slen;
                *alen = d;
                j->slen += d + 1;
            }
            return true;
        }
        if (c < 0x20)
            return fail(j, TOKSIM_EPARSE, j->i,
                        c == 0 ? "malformed JSON: NUL byte inside a string"
                               : "malformed JSON: raw control character 0x%02X inside a "
                                 "string (write it as an escape such as \\n or \\u00XX)",
                        c);
        if (c == '\\') {
            size_t esc = j->i;
            if (j->i + 1 >= j->n)
                return fail(j, TOKSIM_EPARSE, j->n,
                            "malformed JSON: unterminated string (ends in a lone '\\')");
            char e = j->s[j->i + 1];
            const char *simple = strchr("\"\\/bfnrt", e);
            if (e && simple) {
                static const char map[] = "\"\\/\b\f\n\r\t";
                if (out)
                    out[d] = map[simple - "\"\\/bfnrt"];
                d++;
                j->i += 2;
                continue;
            }
            if (e != 'u')
                return fail(
                    j, TOKSIM_EPARSE, esc,
                    "malformed JSON: invalid escape (expected one of \\\" \\\\ \\/ "
                    "\\b \\f \\n \\r \\t \\uXXXX)");
            long u = hex4(j, j->i + 2);
            if (u < 0)
                return fail(j, TOKSIM_EPARSE, esc,
                            "malformed JSON: \\u must be followed by four hex digits");
            j->i += 6;
            uint32_t cp = (uint32_t)u;
            if (cp == 0)
                return fail(j, TOKSIM_EPARSE, esc,
                            "\\u0000 (a NUL character) inside a string is not accepted: "
                            "it would cut the string short");
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return fail(j, TOKSIM_EPARSE, esc,
                            "malformed JSON: lone low surrogate \\u%04X (expected a high "
                            "surrogate \\uD800-\\uDBFF before it)",
                            (unsigned)cp);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = j->i + 1 < j->n && j->s[j->i] == '\\' && j->s[j->i + 1] == 'u'
                              ? hex4(j, j->i + 2)
                              : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return fail(j, TOKSIM_EPARSE, esc,
                                "malformed JSON: lone high surrogate \\u%04X (expected a "
                                "low surrogate \\uDC00-\\uDFFF after it)",
                                (unsigned)cp);
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                j->i += 6;
            }
            char u8[4];
            size_t k = ts_utf8_encode(u8, cp);
            if (out)
                memcpy(out + d, u8, k);
            d += k;
            continue;
        }
        if (c < 0x80) { /* a run of printable ASCII, copied at once (issue 11) */
            size_t k = j->i + 1 + plain_run(j->s + j->i + 1, j->s + j->n);
            if (out)
                memcpy(out + d, j->s + j->i, k - j->i);
            d += k - j->i;
            j->i = k;
            continue;
        }
        uint32_t cp;
        size_t len;
        if (ts_utf8_decode(j->s + j->i, j->n - j->i, &cp, &len) != TS_UTF8_OK)
            return fail(j, TOKSIM_EPARSE, j->i,
                        "malformed JSON: invalid UTF-8 byte sequence inside a string");
        if (out)
            memcpy(out + d, j->s + j->i, len);
        d += len;
        j->i += len;
    }
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A number at j->i; when building, its value in *v as cJSON reads it (strtod with the
 * locale's decimal point). */
static bool number(jcheck *j, double *v)
{
    size_t start = j->i;
    if (j->s[j->i] == '-')
        j->i++;
    if (j->i >= j->n || !is_digit(j->s[j->i]))
        return fail(j, TOKSIM_EPARSE, j->i, "malformed JSON: expected a digit after '-'");
    if (j->s[j->i] == '0' && j->i + 1 < j->n && is_digit(j->s[j->i + 1]))
        return fail(j, TOKSIM_EPARSE, j->i,
                    "malformed JSON: leading zero in a number (write 1, not 01)");
    while (j->i < j->n && is_digit(j->s[j->i]))
        j->i++;
    if (j->i < j->n && j->s[j->i] == '.') {
        j->i++;
        if (j->i >= j->n || !is_digit(j->s[j->i]))
            return fail(j, TOKSIM_EPARSE, j->i,
                        "malformed JSON: expected a digit after the decimal point");
        while (j->i < j->n && is_digit(j->s[j->i]))
            j->i++;
    }
    if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
        j->i++;
        if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
            j->i++;
        if (j->i >= j->n || !is_digit(j->s[j->i]))
            return fail(j, TOKSIM_EPARSE, j->i,
                        "malformed JSON: expected a digit in the exponent");
        while (j->i < j->n && is_digit(j->s[j->i]))
            j->i++;
    }
    if (j->i - start > TOKSIM_JSON_MAX_NUMBER)
        return fail(j, TOKSIM_ELIMIT, start, "a number longer than %d characters",
                    TOKSIM_JSON_MAX_NUMBER);
    if (j->build) {
        char buf[TOKSIM_JSON_MAX_NUMBER + 1];
        size_t k = j->i - start;
        memcpy(buf, j->s + start, k);
        buf[k] = '\0';
        const char *dp = localeconv()->decimal_point;
        char *dot = strchr(buf, '.');
        if (dot && dp && dp[0] && !dp[1])
            *dot = dp[0];
        *v = strtod(buf, NULL);
    }
    return true;
}

static int cmp_key(const void *a, const void *b)
{
    const jkey *x = a, *y = b;
    size_t m = x->alen < y->alen ? x->alen : y->alen;
    int c = memcmp(x->p, y->p, m);
    if (c)
        return c;
    if (x->alen != y->alen)
        return x->alen < y->alen ? -1 : 1;
    return x->src < y->src ? -1 : x->src > y->src;
}

/* The keys of the object just closed are keys[from..nkeys): any two equal? */
static bool unique_keys(jcheck *j, size_t from)
{
    size_t k = j->nkeys - from;
    if (k < 2)
        return true;
    jkey *v = j->keys + from;
    for (size_t i = 0; i < k; i++)
        v[i].p = j->str + v[i].aoff;
    size_t dup = (size_t)-1, first = 0, at = 0;
    if (k <= 16) {
        /* A small object (most are): each key against the ones before it, in source
         * order, without sorting (issue 11). The first key met again is the pair the
         * sort below reports: the earliest later occurrence and the one before it. */
        for (size_t i = 1; i < k && dup == (size_t)-1; i++)
            for (size_t e = 0; e < i; e++)
                if (v[i].alen == v[e].alen && memcmp(v[i].p, v[e].p, v[i].alen) == 0) {
                    dup = v[i].src;
                    first = v[e].src;
                    at = i;
                    break;
                }
    } else {
        qsort(v, k, sizeof *v, cmp_key);
        for (size_t i = 1; i < k; i++)
            if (v[i].alen == v[i - 1].alen &&
                memcmp(v[i].p, v[i - 1].p, v[i].alen) == 0 &&
                (dup == (size_t)-1 || v[i].src < dup)) {
                dup = v[i].src; /* the later of the two (sorted by offset among equals) */
                first = v[i - 1].src;
                at = i;
            }
    }
    if (dup == (size_t)-1)
        return true;
    char name[64]; /* the key as text, printable ASCII only */
    size_t u = 0;
    for (size_t i = 0; i < v[at].alen && u + 5 < sizeof name; i++) {
        unsigned char c = (unsigned char)v[at].p[i];
        u += (size_t)snprintf(
            name + u, sizeof name - u,
            c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? "%c" : "\\x%02X", c);
    }
    name[u] = '\0';
    int line, col;
    ts_text_linecol(j->s, j->n, first, &line, &col);
    return fail(j, TOKSIM_EPARSE, dup,
                "duplicate key \"%s\": given twice in one object (first at line %d, "
                "column %d)",
                name, line, col);
}

/* ---- the tree (building only) ---- */

/* A node for a value starting at `off`; NULL (with the error set) when out of memory. The
 * first chunk is sized for a value every 64 bytes (the catalog has one every 69). */
static ts_jnode *node_new(jcheck *j, int type, size_t off)
{
    ts_jdoc *d = j->doc;
    struct ts_jchunk *c = d->chunks;
    if (!c || c->used == c->cap) {
        size_t cap = c ? (c->cap < 65536 ? 2 * c->cap : c->cap) : j->n / 64 + 16;
        if (cap > 65536)
            cap = 65536;
        struct ts_jchunk *nc = malloc(sizeof *nc + cap * sizeof nc->node[0]);
        if (!nc) {
            fail(j, TOKSIM_ENOMEM, off, "out of memory building the JSON tree");
            return NULL;
        }
        nc->next = c;
        nc->used = 0;
        nc->cap = cap;
        d->chunks = c = nc;
    }
    ts_jnode *n = &c->node[c->used++];
    memset(n, 0, sizeof *n);
    n->c.type = type;
    n->value_off = n->key_off = n->value_end = off;
    return n;
}

/* Append a child the way cJSON links one: the first child's prev is the last child. */
static void link_child(ts_jnode *parent, ts_jnode *child)
{
    cJSON *p = &parent->c, *c = &child->c;
    if (!p->child) {
        p->child = c;
        c->prev = c;
        return;
    }
    cJSON *last = p->child->prev;
    last->next = c;
    c->prev = last;
    p->child->prev = c;
}

static bool value(jcheck *j, int depth, ts_jnode **out);

static bool container(jcheck *j, int depth, ts_jnode **out)
{
    bool obj = j->s[j->i] == '{';
    size_t open = j->i;
    if (depth >= TOKSIM_JSON_MAX_DEPTH)
        return fail(j, TOKSIM_ELIMIT, open, "nesting deeper than %d levels",
                    TOKSIM_JSON_MAX_DEPTH);
    ts_jnode *self = NULL;
    if (j->build && !(self = node_new(j, obj ? cJSON_Object : cJSON_Array, open)))
        return false;
    *out = self;
    j->values++;
    j->i++;
    size_t key_from = j->nkeys, str_from = j->slen;
    char close = obj ? '}' : ']';
    char buf[16];
    skip_ws(j);
    if (j->i < j->n && j->s[j->i] == close) {
        j->i++;
        if (self)
            self->value_end = j->i;
        return true;
    }
    for (;;) {
        skip_ws(j);
        size_t kidx = 0;
        if (obj) {
            if (j->i >= j->n || j->s[j->i] != '"')
                return fail(j, TOKSIM_EPARSE, j->i,
                            "malformed JSON: expected a string key in double quotes, "
                            "found %s",
                            what_at(j, j->i, buf));
            if (!ts_grow((void **)&j->keys, &j->capkeys, j->nkeys + 1, sizeof *j->keys))
                return fail(j, TOKSIM_ENOMEM, j->i, "out of memory");
            kidx = j->nkeys;
            jkey *k = &j->keys[kidx];
            k->src = j->i;
            if (!string(j, true, &k->aoff, &k->alen))
                return false;
            j->nkeys++;
            skip_ws(j);
            if (j->i >= j->n || j->s[j->i] != ':')
                return fail(j, TOKSIM_EPARSE, j->i,
                            "malformed JSON: expected ':' after the key, found %s",
                            what_at(j, j->i, buf));
            j->i++;
        }
        ts_jnode *child = NULL;
        if (!value(j, depth + 1, &child))
            return false;
        if (child && self) {
            if (obj) { /* the nested values are closed: keys[kidx] is still this key */
                child->c.string = j->str + j->keys[kidx].aoff;
                child->c.type |= cJSON_StringIsConst;
                child->key_off = j->keys[kidx].src;
            }
            link_child(self, child);
        }
        skip_ws(j);
        if (j->i < j->n && j->s[j->i] == ',') {
            size_t comma = j->i++;
            /* The caller's cap on values, counted as the loaders always have: one per
             * '[', '{' and ','; reported only when the text is otherwise valid. */
            if (++j->values > j->max_values && j->limit_off == SIZE_MAX) {
                j->limit_off = comma;
                j->build = false;
            }
            skip_ws(j);
            if (j->i < j->n && (j->s[j->i] == '}' || j->s[j->i] == ']'))
                return fail(j, TOKSIM_EPARSE, comma,
                            "malformed JSON: trailing comma before '%c' (remove it)",
                            j->s[j->i]);
            continue;
        }
        if (j->i < j->n && j->s[j->i] == close)
            break;
        if (j->i >= j->n) {
            int ol, oc;
            ts_text_linecol(j->s, j->n, open, &ol, &oc);
            return fail(j, TOKSIM_EPARSE, j->n,
                        "malformed JSON: unexpected end of input (the %s opened at line "
                        "%d, column %d is not closed; expected ',' or '%c')",
                        obj ? "object" : "array", ol, oc, close);
        }
        return fail(j, TOKSIM_EPARSE, j->i,
                    "malformed JSON: expected ',' or '%c', found %s", close,
                    what_at(j, j->i, buf));
    }
    j->i++;
    if (self)
        self->value_end = j->i;
    if (obj && !unique_keys(j, key_from))
        return false;
    j->nkeys = key_from;
    if (!j->doc) /* checking only: the keys of a closed object are no longer needed */
        j->slen = str_from;
    return true;
}

static bool literal(jcheck *j, const char *word)
{
    size_t l = strlen(word);
    if (j->n - j->i < l || memcmp(j->s + j->i, word, l) != 0)
        return false;
    j->i += l;
    return true;
}

/* A scalar node from start to j->i. */
static bool scalar(jcheck *j, int type, size_t start, ts_jnode **out)
{
    if (!j->build)
        return true;
    ts_jnode *n = node_new(j, type, start);
    if (!n)
        return false;
    n->value_end = j->i;
    *out = n;
    return true;
}

static bool value(jcheck *j, int depth, ts_jnode **out)
{
    char buf[16];
    skip_ws(j);
    if (j->i >= j->n)
        return fail(j, TOKSIM_EPARSE, j->n,
                    "malformed JSON: unexpected end of input (expected a value)");
    size_t start = j->i;
    char c = j->s[j->i];
    if (c == '{' || c == '[')
        return container(j, depth, out);
    if (c == '"') {
        size_t aoff = 0, alen = 0;
        if (!string(j, j->build, &aoff, &alen) ||
            !scalar(j, cJSON_String | cJSON_IsReference, start, out))
            return false;
        if (*out)
            (*out)->c.valuestring = j->str + aoff;
        return true;
    }
    if (c == '-' || is_digit(c)) {
        double v = 0;
        if (!number(j, &v) || !scalar(j, cJSON_Number, start, out))
            return false;
        if (*out) { /* cJSON saturates valueint */
            (*out)->c.valuedouble = v;
            (*out)->c.valueint = v >= INT_MAX ? INT_MAX : v <= INT_MIN ? INT_MIN : (int)v;
        }
        return true;
    }
    if (literal(j, "true")) {
        if (!scalar(j, cJSON_True, start, out))
            return false;
        if (*out)
            (*out)->c.valueint = 1;
        return true;
    }
    if (literal(j, "false"))
        return scalar(j, cJSON_False, start, out);
    if (literal(j, "null"))
        return scalar(j, cJSON_NULL, start, out);
    if (c == '\0')
        return fail(j, TOKSIM_EPARSE, j->i, "NUL byte in the JSON text");
    return fail(j, TOKSIM_EPARSE, j->i,
                "malformed JSON: expected a value (object, array, string, number, true, "
                "false or null), found %s",
                what_at(j, j->i, buf));
}

/* UTF-16 text, recognised by its byte-order mark or by a NUL in every other byte of an
 * ASCII start ("{\0\"\0..."). */
static bool looks_utf16(const unsigned char *s, size_t n)
{
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return true;
    return n >= 4 &&
           ((s[0] && !s[1] && s[2] && !s[3]) || (!s[0] && s[1] && !s[2] && s[3]));
}

/* Check text and, with a document, build its tree; max_values caps the values built. */
static toksim_status read_json(
    const char *text, size_t len, ts_jdoc *doc, size_t max_values, toksim_error *err)
{
    toksim_error_clear(err);
    if (!text && len)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "toksim_json_check: NULL text");
    jcheck j = {.s = text ? text : "",
                .n = len,
                .doc = doc,
                .build = doc != NULL,
                .values = 1,
                .max_values = max_values,
                .limit_off = SIZE_MAX};
    const unsigned char *u = (const unsigned char *)j.s;
    ts_jnode *root = NULL;
    if (len == SIZE_MAX || !(j.str = malloc(len + 1)))
        fail(&j, TOKSIM_ENOMEM, 0, "out of memory reading the JSON text");
    else if (looks_utf16(u, len))
        fail(&j, TOKSIM_EPARSE, 0,
             "the text is UTF-16; JSON input must be UTF-8 (convert it, e.g. iconv -f "
             "UTF-16 -t UTF-8)");
    else if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        fail(&j, TOKSIM_EPARSE, 0,
             "a UTF-8 byte-order mark starts the text; JSON input must not carry one "
             "(RFC 8259 section 8.1)");
    else {
        skip_ws(&j);
        if (j.i >= j.n)
            fail(&j, TOKSIM_EPARSE, j.n,
                 "malformed JSON: empty input (expected a JSON value)");
        else if (value(&j, 0, &root)) {
            skip_ws(&j);
            char buf[16];
            if (j.i < j.n)
                fail(&j, TOKSIM_EPARSE, j.i,
                     "malformed JSON: unexpected %s after the end of the JSON value",
                     what_at(&j, j.i, buf));
        }
    }
    free(j.keys);
    if (!j.rc && j.limit_off != SIZE_MAX)
        fail(&j, TOKSIM_ELIMIT, j.limit_off, "more than %zu JSON values", max_values);
    if (!j.rc && doc) {
        doc->strings = j.str;
        doc->root = &root->c;
        return TOKSIM_OK;
    }
    free(j.str);
    if (!j.rc)
        return TOKSIM_OK;
    if (doc)
        ts_jdoc_dispose(doc);
    int line = 0, col = 0;
    ts_text_linecol(j.s, j.n, j.err_off, &line, &col);
    return ts_error_set_pos(err, j.rc, j.err_off, line, col, "%s", j.msg);
}

toksim_status toksim_json_check(const char *text, size_t len, toksim_error *err)
{
    return read_json(text, len, NULL, SIZE_MAX, err);
}

toksim_status ts_jdoc_parse(
    ts_jdoc *doc, const char *text, size_t len, size_t max_values, toksim_error *err)
{
    memset(doc, 0, sizeof *doc);
    doc->text = text;
    doc->len = len;
    return read_json(text, len, doc, max_values, err);
}

void ts_jdoc_dispose(ts_jdoc *doc)
{
    for (struct ts_jchunk *c = doc->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(doc->strings);
    memset(doc, 0, sizeof *doc);
}
