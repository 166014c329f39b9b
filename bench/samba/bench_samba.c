/*
 * PURPOSE: `make bench-samba` (issue 11): times Samba's se_access_check() against
 * toksim_access_check() in one process, on the same cases (descriptors parsed by each
 * library from the same SDDL text, tokens holding the same SIDs), and prints the ratio.
 * Before timing, the two must give the same verdict and granted mask on every timed case.
 *
 * Samba is loaded at run time with dlopen (no build dependency): its private
 * libsamba-security (Debian: samba-libs, which python3-samba pulls in). Without it the
 * program prints why and exits 0. Samba's headers are not installed, so the two structs
 * the call needs are declared here from Samba's public IDL (librpc/idl/security.idl:
 * dom_sid and security_token as Samba 4.17 defines them) and the library's version is
 * checked first: other versions are skipped, since their security_token may differ.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <toksim.h>

#define SAMBA_DIR  "/usr/lib/x86_64-linux-gnu/samba/"
#define SAMBA_LIB  "libsamba-security-samba4.so.0"
#define TALLOC_LIB "libtalloc.so.2"
#define DOM        "S-1-5-21-1004336348-1177238915-682003330"

/* security.idl: dom_sid { uint8 sid_rev_num; int8 num_auths; uint8 id_auth[6];
 * uint32 sub_auths[15]; } and security_token { uint32 num_sids; dom_sid *sids;
 * udlong privilege_mask; uint32 rights_mask; } (Samba 4.17). */
typedef struct samba_sid {
    uint8_t rev;
    int8_t num_auths;
    uint8_t id_auth[6];
    uint32_t sub_auths[15];
} samba_sid;

typedef struct samba_token {
    uint32_t num_sids;
    samba_sid *sids;
    uint64_t privilege_mask;
    uint32_t rights_mask;
} samba_token;

typedef void *(*sddl_decode_fn)(void *mem_ctx, const char *sddl, const samba_sid *domain);
typedef uint32_t (*se_access_check_fn)(const void *sd,
                                       const samba_token *token,
                                       uint32_t desired,
                                       uint32_t *granted);
typedef bool (*dom_sid_parse_fn)(const char *text, samba_sid *out);
typedef void *(*talloc_named_const_fn)(const void *ctx, size_t size, const char *name);
typedef int (*talloc_free_fn)(void *ptr, const char *location);

static struct {
    sddl_decode_fn sddl_decode;
    se_access_check_fn se_access_check;
    dom_sid_parse_fn dom_sid_parse;
    talloc_named_const_fn talloc_named_const;
    talloc_free_fn talloc_free;
} S;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The Samba release the library belongs to, from its symbol version names
 * ("SAMBA_4.17.12..."): 0 when not found. minor gets the second number. */
static int samba_minor(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    static char buf[4 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    for (size_t i = 0; i + 12 < n; i++)
        if (memcmp(buf + i, "SAMBA_4.", 8) == 0 && buf[i + 8] >= '0' && buf[i + 8] <= '9')
            return atoi(buf + i + 8);
    return 0;
}

static bool load_samba(void)
{
    /* TOKSIM_SAMBA_LIB names another copy (or a missing one, to see the skip). */
    const char *path = getenv("TOKSIM_SAMBA_LIB");
    if (!path)
        path = SAMBA_DIR SAMBA_LIB;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    void *t = dlopen(TALLOC_LIB, RTLD_NOW | RTLD_LOCAL);
    if (!h || !t) {
        printf(
            "bench-samba: skipped: Samba's %s is not installed (Debian: apt-get install "
            "samba-libs, or python3-samba which pulls it in)\n",
            !h ? path : TALLOC_LIB);
        return false;
    }
    int minor = samba_minor(path);
    if (minor != 17 && minor != 18) {
        printf(
            "bench-samba: skipped: Samba 4.%d found; the security_token layout declared "
            "here is Samba 4.17's (accepted: 4.17, 4.18)\n",
            minor);
        return false;
    }
    S.sddl_decode = (sddl_decode_fn)(uintptr_t)dlsym(h, "sddl_decode");
    S.se_access_check = (se_access_check_fn)(uintptr_t)dlsym(h, "se_access_check");
    S.dom_sid_parse = (dom_sid_parse_fn)(uintptr_t)dlsym(h, "dom_sid_parse");
    S.talloc_named_const =
        (talloc_named_const_fn)(uintptr_t)dlsym(t, "talloc_named_const");
    S.talloc_free = (talloc_free_fn)(uintptr_t)dlsym(t, "_talloc_free");
    if (!S.sddl_decode || !S.se_access_check || !S.dom_sid_parse ||
        !S.talloc_named_const || !S.talloc_free) {
        printf(
            "bench-samba: skipped: %s lacks sddl_decode/se_access_check/dom_sid_parse\n",
            SAMBA_LIB);
        return false;
    }
    printf("Samba 4.%d (%s)\n", minor, path);
    return true;
}

/* The cases of bench_access.c as SDDL: n ACEs over a 64-SID token (domain RIDs
 * 2000..2062 + Everyone); even positions name SIDs the token lacks, odd ones its groups
 * alternating deny (0x100) and allow (0x80); the request (0x1) is granted by the last
 * ACE, or by the first when `first`. */
static char *case_sddl(size_t n, bool first)
{
    size_t cap = 128 + n * 80, at = 0;
    char *s = malloc(cap);
    at += (size_t)snprintf(s + at, cap - at, "O:%s-512G:%s-512D:", DOM, DOM);
    if (first)
        at += (size_t)snprintf(s + at, cap - at, "(A;;0x1;;;%s-2062)", DOM), n--;
    for (size_t i = 0; i + 1 < n; i++) {
        bool present = i % 2, deny = (i / 2) % 2;
        unsigned rid = present ? 2000u + (unsigned)(i * 7 % 63) : 5000u + (unsigned)i;
        unsigned mask = !present ? 0x1u : deny ? 0x100u : 0x80u;
        at += (size_t)snprintf(s + at, cap - at, "(%s;;0x%x;;;%s-%u)", deny ? "D" : "A",
                               mask, DOM, rid);
    }
    if (!first)
        at += (size_t)snprintf(s + at, cap - at, "(A;;0x1;;;%s-2062)", DOM);
    return s;
}

#define ROUNDS    31
#define PER_ROUND 4000

typedef struct one {
    const char *name;
    toksim_sd *tsd;
    void *ssd;
    uint32_t desired;
} one;

int main(void)
{
    if (!load_samba())
        return 0;
    void *mem = S.talloc_named_const(NULL, 0, "bench-samba");
    /* Tokens: toksim's (user + 63 groups + Everyone, Medium, impersonation) and Samba's
     * flat SID list (the same SIDs; Samba has no attributes or integrity). */
    char text[96];
    snprintf(text, sizeof text, "%s-1001", DOM);
    toksim_sid user;
    toksim_token *tok;
    if (toksim_sid_parse(&user, text, NULL) || toksim_token_new(&tok, &user))
        return 3;
    toksim_token_set_type(tok, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    samba_token st = {0, calloc(65, sizeof(samba_sid)), 0, 0};
    if (!S.dom_sid_parse(text, &st.sids[st.num_sids++]))
        return 3;
    for (unsigned i = 0; i < 64; i++) {
        if (i < 63)
            snprintf(text, sizeof text, "%s-%u", DOM, 2000 + i);
        else
            snprintf(text, sizeof text, "S-1-1-0");
        toksim_sid g;
        if (toksim_sid_parse(&g, text, NULL) ||
            toksim_token_add_group(tok, &g, TOKSIM_SE_GROUP_DEFAULT) ||
            !S.dom_sid_parse(text, &st.sids[st.num_sids++]))
            return 3;
    }
    if (toksim_token_set_integrity(tok, TOKSIM_IL_MEDIUM))
        return 3;
    samba_sid dom;
    if (!S.dom_sid_parse(DOM, &dom))
        return 3;

    static const struct {
        const char *name;
        size_t aces;
        bool first;
        uint32_t desired;
    } cases[] = {
        {"64 groups x 8 ACEs, FILE_READ_DATA", 8, false, 0x1},
        {"64 groups x 32 ACEs, FILE_READ_DATA", 32, false, 0x1},
        {"64 groups x 32 ACEs, MAXIMUM_ALLOWED", 32, false, 0x02000000},
        {"64 groups x 128 ACEs, FILE_READ_DATA", 128, false, 0x1},
        {"64 groups x 32 ACEs, 1st ACE grants", 32, true, 0x1},
    };
    size_t nc = sizeof cases / sizeof cases[0];
    one w[sizeof cases / sizeof cases[0]];
    for (size_t k = 0; k < nc; k++) {
        char *sddl = case_sddl(cases[k].aces, cases[k].first);
        toksim_sid_context ctx = {0};
        toksim_sid d;
        if (toksim_sid_parse(&d, DOM, NULL))
            return 3;
        ctx.domain = &d;
        w[k] =
            (one){cases[k].name, NULL, S.sddl_decode(mem, sddl, &dom), cases[k].desired};
        if (toksim_sd_from_sddl(&w[k].tsd, sddl, &ctx, NULL) || !w[k].ssd) {
            printf("bench-samba: case '%s': a library did not parse the SDDL\n",
                   w[k].name);
            return 1;
        }
        free(sddl);
        /* Equal verdicts first: status and granted mask. */
        toksim_access_request req = {0};
        req.desired = w[k].desired;
        req.object_type = TOKSIM_OBJ_FILE;
        toksim_access_result r;
        uint32_t sg = 0;
        if (toksim_access_check(&r, w[k].tsd, tok, &req, NULL))
            return 3;
        uint32_t ss = S.se_access_check(w[k].ssd, &st, w[k].desired, &sg);
        if (ss != r.ntstatus || (ss == 0 && sg != r.granted)) {
            printf(
                "bench-samba: case '%s': verdicts differ (toksim 0x%08X granted 0x%08X, "
                "Samba 0x%08X granted 0x%08X): not timed\n",
                w[k].name, r.ntstatus, r.granted, ss, sg);
            return 1;
        }
    }
    printf("equal verdicts on all %zu cases (NTSTATUS and granted mask)\n", nc);
    printf("%-38s %12s %12s %8s\n", "case (median of 31 rounds, alternating)",
           "toksim ns", "Samba ns", "ratio");
    for (size_t k = 0; k < nc; k++) {
        toksim_access_request req = {0};
        req.desired = w[k].desired;
        req.object_type = TOKSIM_OBJ_FILE;
        double tt[ROUNDS], ts[ROUNDS];
        volatile uint32_t sink = 0;
        for (int r = 0; r < ROUNDS; r++) { /* alternate, so load hits both alike */
            double t0 = now_ns();
            for (int i = 0; i < PER_ROUND; i++) {
                toksim_access_result res;
                if (toksim_access_check(&res, w[k].tsd, tok, &req, NULL))
                    abort();
                sink += res.granted;
            }
            double t1 = now_ns();
            for (int i = 0; i < PER_ROUND; i++) {
                uint32_t g = 0;
                sink += S.se_access_check(w[k].ssd, &st, w[k].desired, &g) + g;
            }
            double t2 = now_ns();
            tt[r] = (t1 - t0) / PER_ROUND;
            ts[r] = (t2 - t1) / PER_ROUND;
        }
        (void)sink;
        qsort(tt, ROUNDS, sizeof tt[0], cmp_double);
        qsort(ts, ROUNDS, sizeof ts[0], cmp_double);
        printf("%-38s %12.1f %12.1f %7.1fx\n", w[k].name, tt[ROUNDS / 2], ts[ROUNDS / 2],
               ts[ROUNDS / 2] / tt[ROUNDS / 2]);
        toksim_sd_free(w[k].tsd);
    }
    toksim_token_free(tok);
    free(st.sids);
    S.talloc_free(mem, __FILE__);
    return 0;
}
