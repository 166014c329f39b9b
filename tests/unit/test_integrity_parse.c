/*
 * PURPOSE: toksim_integrity_parse, the one reader of integrity levels (CLI --integrity,
 * triage --client-integrity, scenario steps and token_info expectations): the label names
 * of toksim_integrity_name in any case with '-' for the space, and S-1-16-<rid> SIDs
 * (windows-model §3.5); nothing else.
 */
#include "../helpers.h"

Test(integrity_parse, names_spellings_and_label_sids)
{
    uint32_t rid = 0;
    cr_assert(toksim_integrity_parse("medium-plus", &rid));
    cr_assert_eq(rid, TOKSIM_IL_MEDIUM_PLUS);
    cr_assert(toksim_integrity_parse("Medium Plus", &rid));
    cr_assert_eq(rid, TOKSIM_IL_MEDIUM_PLUS);
    cr_assert(toksim_integrity_parse("HIGH", &rid));
    cr_assert_eq(rid, TOKSIM_IL_HIGH);
    cr_assert(toksim_integrity_parse("untrusted", &rid));
    cr_assert_eq(rid, TOKSIM_IL_UNTRUSTED);
    cr_assert(toksim_integrity_parse("S-1-16-4096", &rid));
    cr_assert_eq(rid, TOKSIM_IL_LOW);
}

Test(integrity_parse, refuses_everything_else)
{
    uint32_t rid = 7;
    cr_assert_not(toksim_integrity_parse("medium plus extra", &rid));
    cr_assert_not(toksim_integrity_parse("med", &rid));
    cr_assert_not(toksim_integrity_parse("", &rid));
    cr_assert_not(toksim_integrity_parse(NULL, &rid));
    cr_assert_not(toksim_integrity_parse("S-1-16-1-2", &rid), "one sub-authority only");
    cr_assert_not(toksim_integrity_parse("S-1-5-18", &rid));
    cr_assert_eq(rid, 7, "untouched on failure");
}
