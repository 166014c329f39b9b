/*
 * PURPOSE: libFuzzer target for the SDDL parser and formatter. Invariants (abort() on
 * breach): parse -> format -> parse gives an equal descriptor and the canonical text is a
 * fixed point; whatever parsed can be written as binary (conditions were compiled while
 * parsing), and to_binary -> from_binary -> to_binary reproduces the same bytes, and the
 * same descriptor when no ACE carries condition text (which the binary form holds
 * compiled).
 */
#include "fuzz_common.h"

#define MAX_INPUT (64 * 1024)

static bool has_condition_text(const toksim_sd *sd)
{
    const toksim_acl *acls[2] = {sd->dacl, sd->sacl};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; acls[k] && i < acls[k]->count; i++)
            if (acls[k]->aces[i].sddl_extra)
                return true;
    return false;
}

static void binary_round_trip(const toksim_sd *a)
{
    uint8_t *b1 = NULL, *b2 = NULL;
    size_t n1 = 0, n2 = 0;
    toksim_status rc = toksim_sd_to_binary(&b1, &n1, a);
    if (rc == TOKSIM_ELIMIT || rc == TOKSIM_ENOMEM)
        return; /* an ACL above 64 KiB: AclSize is 16 bits */
    if (rc)
        abort();
    toksim_sd *c = NULL;
    if (toksim_sd_from_binary(&c, b1, n1, NULL) != TOKSIM_OK)
        abort();
    if (!has_condition_text(a) && !toksim_sd_equal(a, c))
        abort();
    if (toksim_sd_to_binary(&b2, &n2, c) != TOKSIM_OK || n1 != n2 ||
        memcmp(b1, b2, n1) != 0)
        abort();
    toksim_sd_free(c);
    free(b1);
    free(b2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size, MAX_INPUT);
    if (!text)
        return 0;
    toksim_sid dom, mach;
    if (toksim_sid_parse(&dom, "S-1-5-21-1-2-3", NULL) ||
        toksim_sid_parse(&mach, "S-1-5-21-4-5-6", NULL))
        abort();
    toksim_sid_context ctx = {&dom, &mach};
    toksim_sd *a = NULL, *b = NULL;
    toksim_error err = {0};
    if (toksim_sd_from_sddl(&a, text, &ctx, &err) == TOKSIM_OK) {
        char *t1 = NULL, *t2 = NULL;
        if (toksim_sd_to_sddl(&t1, a, &ctx) != TOKSIM_OK)
            abort();
        if (toksim_sd_from_sddl(&b, t1, &ctx, &err) != TOKSIM_OK)
            abort();
        if (!toksim_sd_equal(a, b))
            abort();
        if (toksim_sd_to_sddl(&t2, b, &ctx) != TOKSIM_OK || strcmp(t1, t2) != 0)
            abort();
        binary_round_trip(a);
        free(t1);
        free(t2);
        toksim_sd_free(a);
        toksim_sd_free(b);
    } else if (err.offset > size) {
        abort(); /* an error must point inside the input (or just past its end) */
    }
    /* the rights parser on its own */
    uint32_t mask;
    if (toksim_sddl_parse_rights(&mask, text, NULL) == TOKSIM_OK && size > 4096)
        abort(); /* the rights parser caps its input at 4096 characters */
    free(text);
    return 0;
}
