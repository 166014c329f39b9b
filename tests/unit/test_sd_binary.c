/*
 * PURPOSE: the self-relative binary form (MS-DTYP 2.4.6, 2.4.5, 2.4.4.x): byte-exact
 * output for real Windows descriptors, the SACL/DACL/owner/group layout, object and
 * callback ACEs, and refusal of hostile bytes with the offset named.
 */
#include <stdio.h>
#include <stdlib.h>
#include "sddl_vectors.h"

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static toksim_sd *sd_of(const char *sddl)
{
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_sd_from_sddl(&sd, sddl, NULL, &e), TOKSIM_OK, "%s: %s", sddl,
                 e.message);
    return sd;
}

static void bin_of(const toksim_sd *sd, uint8_t **b, size_t *n)
{
    ts_assert_ok(toksim_sd_to_binary(b, n, sd), NULL);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* One line of binary.txt: the bytes Windows stored for an SDDL string (reg export). */
static void registry_vector(const char *sddl, const char *hex, int line)
{
    uint8_t *want = NULL, *got = NULL;
    size_t wn = 0, gn = 0;
    toksim_error e = {0};
    cr_assert_eq(toksim_hex_decode(&want, &wn, hex, &e), TOKSIM_OK, "line %d: %s", line,
                 e.message);
    toksim_sd *sd = sd_of(sddl);
    bin_of(sd, &got, &gn);
    cr_expect_eq(gn, wn, "%s: %zu bytes, want %zu", sddl, gn, wn);
    cr_expect(gn == wn && memcmp(got, want, wn) == 0, "%s: bytes differ", sddl);
    /* and back: the binary reads as the same descriptor and formats as the same SDDL */
    toksim_sd *back = NULL;
    cr_assert_eq(toksim_sd_from_binary(&back, want, wn, &e), TOKSIM_OK, "%s", e.message);
    cr_expect(toksim_sd_equal(sd, back));
    char *txt = NULL;
    ts_assert_ok(toksim_sd_to_sddl(&txt, back, NULL), NULL);
    cr_expect_str_eq(txt, sddl);
    free(txt);
    toksim_sd_free(back);
    toksim_sd_free(sd);
    free(want);
    free(got);
}

Test(sd_binary, real_registry_vectors_are_byte_exact)
{
    cr_assert_geq(ts_each_vector("tests/data/sddl/binary.txt", " -> ", registry_vector),
                  2);
}

Test(sd_binary, reg_export_with_continuations_decodes)
{
    uint8_t *b = NULL;
    size_t n = 0;
    toksim_error e = {0};
    cr_assert_eq(toksim_hex_decode(&b, &n, read_text("tests/data/sddl/ole.reg"), &e),
                 TOKSIM_OK, "%s @%zu", e.message, e.offset);
    cr_expect_eq(n, 124);
    toksim_sd *sd = NULL;
    cr_assert_eq(toksim_sd_from_binary(&sd, b, n, &e), TOKSIM_OK, "%s", e.message);
    char *txt = NULL;
    ts_assert_ok(toksim_sd_to_sddl(&txt, sd, NULL), NULL);
    cr_expect_str_eq(
        txt, "O:BAG:BAD:(A;;CCDCLCSWRP;;;BA)(A;;CCDCLCSWRP;;;IU)(A;;CCDCLCSWRP;;;SY)");
    free(txt);
    toksim_sd_free(sd);
    free(b);
}

Test(sd_binary, layout_is_sacl_dacl_owner_group)
{
    toksim_sd *sd = sd_of("O:BAG:SYD:(A;;GA;;;WD)S:(AU;SA;GA;;;WD)");
    uint8_t *b;
    size_t n;
    bin_of(sd, &b, &n);
    cr_expect_eq(b[0], 1);
    cr_expect_eq(b[2] | b[3] << 8, 0x8000 | 0x0010 | 0x0004,
                 "SELF_RELATIVE|SACL_PRESENT|DACL_PRESENT");
    uint32_t owner = rd32(b + 4), group = rd32(b + 8), sacl = rd32(b + 12),
             dacl = rd32(b + 16);
    cr_expect_eq(sacl, 20);
    cr_expect_eq(dacl, 20 + 28);
    cr_expect_eq(owner, dacl + 28);
    cr_expect_eq(group, owner + 16);
    cr_expect_eq(n, group + 12);
    cr_expect_eq(b[sacl], 2, "ACL_REVISION");
    free(b);
    toksim_sd_free(sd);
}

Test(sd_binary, object_ace_layout_and_revision_ds)
{
    toksim_sd *sd = sd_of("D:(OA;CI;CR;bf967aba-0de6-11d0-a285-00aa003049e2;;WD)");
    uint8_t *b;
    size_t n;
    bin_of(sd, &b, &n);
    const uint8_t *acl = b + 20, *ace = acl + 8;
    cr_expect_eq(acl[0], 4, "ACL_REVISION_DS when an object ACE is present");
    cr_expect_eq(ace[0], 0x05);
    cr_expect_eq(ace[1], 0x02);
    cr_expect_eq(ace[2] | ace[3] << 8, 4 + 4 + 4 + 16 + 12);
    cr_expect_eq(rd32(ace + 4), 0x100u);
    cr_expect_eq(rd32(ace + 8), 1u, "ACE_OBJECT_TYPE_PRESENT");
    static const uint8_t guid[16] = {0xba, 0x7a, 0x96, 0xbf, 0xe6, 0x0d, 0xd0, 0x11,
                                     0xa2, 0x85, 0x00, 0xaa, 0x00, 0x30, 0x49, 0xe2};
    cr_expect(memcmp(ace + 12, guid, 16) == 0,
              "GUID in binary layout (Data1-3 little-endian)");
    free(b);
    toksim_sd_free(sd);
}

Test(sd_binary, null_dacl_empty_dacl_and_no_dacl_differ)
{
    const char *v[] = {"D:NO_ACCESS_CONTROL", "D:", "O:BA"};
    for (int i = 0; i < 3; i++) {
        toksim_sd *sd = sd_of(v[i]), *back = NULL;
        uint8_t *b;
        size_t n;
        bin_of(sd, &b, &n);
        cr_expect_eq(rd32(b + 16), i == 1 ? 20u : 0u, "%s: DACL offset", v[i]);
        cr_expect_eq(!!(b[2] & 0x04), i < 2, "%s: DACL_PRESENT", v[i]);
        toksim_error e = {0};
        cr_assert_eq(toksim_sd_from_binary(&back, b, n, &e), TOKSIM_OK, "%s", e.message);
        cr_expect(toksim_sd_equal(sd, back), "%s", v[i]);
        toksim_sd_free(back);
        toksim_sd_free(sd);
        free(b);
    }
}

Test(sd_binary, callback_application_data_survives_byte_for_byte)
{
    /* A callback ACE whose payload is opaque to us: 8 bytes "artx" + 4 zero bytes of
     * padding. */
    static const uint8_t sd_bytes[] = {
        0x01, 0x00, 0x04, 0x80, 0,    0,    0,    0,    0, 0, 0, 0,
        0,    0,    0,    0,    0x14, 0,    0,    0,    /* header */
        0x02, 0x00, 0x24, 0x00, 0x01, 0x00, 0x00, 0x00, /* ACL: 36 bytes, 1 ACE */
        0x09, 0x00, 0x1c, 0x00, 0xa0, 0x00, 0x12, 0x00, /* XA, 28 bytes, FX */
        0x01, 0x01, 0,    0,    0,    0,    0,    1,    0, 0, 0, 0, /* S-1-1-0 */
        'a',  'r',  't',  'x',  0,    0,    0,    0};
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_sd_from_binary(&sd, sd_bytes, sizeof sd_bytes, &e), TOKSIM_OK,
                 "%s", e.message);
    cr_assert_eq(sd->dacl->aces[0].app_data_len, 8);
    uint8_t *b;
    size_t n;
    bin_of(sd, &b, &n);
    cr_expect_eq(n, sizeof sd_bytes);
    cr_expect(memcmp(b, sd_bytes, n) == 0);
    free(b);
    toksim_sd_free(sd);
}

/* Hostile input: each case names the offset the error must point at. */
Test(sd_binary, hostile_bytes_are_refused_with_offsets)
{
    uint8_t good[64];
    memset(good, 0, sizeof good);
    good[0] = 1;
    good[3] = 0x80;
    good[2] = 0x04;
    good[16] = 20; /* DACL at 20 */
    good[20] = 2;  /* ACL rev 2, size 8, 0 ACEs */
    good[22] = 8;
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_sd_from_binary(&sd, good, 28, &e), TOKSIM_OK, "%s", e.message);
    cr_expect(sd->dacl && sd->dacl->count == 0);
    toksim_sd_free(sd);

    struct {
        const char *what;
        size_t at, val, len;
        toksim_status rc;
        size_t want_offset;
    } c[] = {
        {"too short", 0, 1, 19, TOKSIM_EPARSE, 19},
        {"revision 2", 0, 2, 28, TOKSIM_EPARSE, 0},
        {"not self-relative", 3, 0x00, 28, TOKSIM_EPARSE, 2},
        {"DACL offset into header", 16, 8, 28, TOKSIM_EPARSE, 16},
        {"DACL offset past end", 16, 200, 28, TOKSIM_EPARSE, 16},
        {"DACL offset unaligned", 16, 22, 28, TOKSIM_EPARSE, 16},
        {"owner past end", 4, 24, 28, TOKSIM_EPARSE, 24},
        {"ACL size beyond buffer", 22, 64, 28, TOKSIM_EPARSE, 22},
        {"ACL size not multiple of 4", 22, 10, 28, TOKSIM_EPARSE, 22},
        {"ACL revision 9", 20, 9, 28, TOKSIM_EPARSE, 20},
        {"ACE count without ACEs", 24, 1, 28, TOKSIM_EPARSE, 28},
        {"ACE count above cap", 25, 0x20, 28, TOKSIM_ELIMIT, 24},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        uint8_t bad[64];
        memcpy(bad, good, sizeof bad);
        bad[c[i].at] = (uint8_t)c[i].val;
        toksim_error e2 = {0};
        sd = NULL;
        toksim_status rc = toksim_sd_from_binary(&sd, bad, c[i].len, &e2);
        cr_expect_eq(rc, c[i].rc, "%s: rc %d (%s)", c[i].what, rc, e2.message);
        cr_expect_eq(e2.offset, c[i].want_offset, "%s: offset %zu, want %zu (%s)",
                     c[i].what, e2.offset, c[i].want_offset, e2.message);
        cr_expect_null(sd);
    }
}

Test(sd_binary, hostile_ace_sizes)
{
    uint8_t b[48];
    memset(b, 0, sizeof b);
    b[0] = 1;
    b[2] = 0x04;
    b[3] = 0x80;
    b[16] = 20;
    b[20] = 2;
    b[22] = 28; /* ACL 28 bytes: one 20-byte ACE */
    b[24] = 1;
    b[28] = 0x00; /* A */
    b[30] = 20;
    b[36] = 1; /* SID rev 1, 1 sub-authority */
    b[37] = 1;
    b[43] = 1;
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    cr_assert_eq(toksim_sd_from_binary(&sd, b, 48, &e), TOKSIM_OK, "%s", e.message);
    toksim_sd_free(sd);
    uint8_t x[48];
    memcpy(x, b, sizeof x);
    x[30] = 0; /* AceSize 0 would loop forever in a naive reader */
    cr_expect_eq(toksim_sd_from_binary(&sd, x, 48, &e), TOKSIM_EPARSE);
    cr_expect_eq(e.offset, 30);
    memcpy(x, b, sizeof x);
    x[37] = 15; /* SID claims 15 sub-authorities inside a 20-byte ACE */
    cr_expect_eq(toksim_sd_from_binary(&sd, x, 48, &e), TOKSIM_EPARSE);
    cr_expect_geq(e.offset, 36);
    memcpy(x, b, sizeof x);
    x[28] = 0x04; /* compound ACE: not modelled */
    cr_expect_eq(toksim_sd_from_binary(&sd, x, 48, &e), TOKSIM_EUNSUPPORTED);
    cr_expect_eq(e.offset, 28);
    memcpy(x, b, sizeof x);
    x[30] = 22; /* not a multiple of 4 */
    cr_expect_eq(toksim_sd_from_binary(&sd, x, 48, &e), TOKSIM_EPARSE);
}

Test(sd_binary, every_ace_type_binary_round_trip)
{
    const char *v[] = {
        "D:(A;;GA;;;WD)(D;OICI;FA;;;BA)",
        "S:(AU;SAFA;FA;;;WD)(AL;SA;GA;;;WD)(ML;;NWNRNX;;;HI)",
        ("D:(OA;;CR;bf967aba-0de6-11d0-a285-00aa003049e2;bf967a86-0de6-11d0-a285-"
         "00aa003049e2;WD)"
         "(OD;;WP;;bf967a86-0de6-11d0-a285-00aa003049e2;AU)"),
        "S:(OU;SA;CR;bf967aba-0de6-11d0-a285-00aa003049e2;;WD)(OL;FA;CR;;;WD)",
        "S:(SP;;;;;S-1-17-1)(TL;;0x200;;;S-1-19-512-8192)",
        "D:(XA;;FX;;;WD)(XD;;FX;;;WD)"};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        toksim_sd *sd = sd_of(v[i]), *back = NULL;
        uint8_t *b;
        size_t n;
        bin_of(sd, &b, &n);
        toksim_error e = {0};
        cr_assert_eq(toksim_sd_from_binary(&back, b, n, &e), TOKSIM_OK, "%s: %s", v[i],
                     e.message);
        cr_expect(toksim_sd_equal(sd, back), "%s", v[i]);
        free(b);
        toksim_sd_free(sd);
        toksim_sd_free(back);
    }
}

Test(sd_binary, callback_object_ace_needs_revision_ds)
{
    toksim_sd *sd =
        sd_of("D:(ZA;;CR;bf967aba-0de6-11d0-a285-00aa003049e2;;WD;(@User.x == 1))");
    cr_expect_eq(sd->dacl->revision, 4, "ZA is an object ACE: ACL_REVISION_DS");
    uint8_t *b;
    size_t n;
    bin_of(sd, &b, &n);
    cr_expect_eq(b[20], 4);
    free(b);
    toksim_sd_free(sd);
}
