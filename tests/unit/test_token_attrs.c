/*
 * PURPOSE: the one table of token attribute words (core/token_attrs.c) that `token
 * --info` and the token_info expectation share.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <toksim.h>

Test(token_attrs, group_words_follow_winnt_bits)
{
    char b[256];
    toksim_token_attr_text(b, sizeof b, false, 0x7u); /* a default enabled group */
    cr_assert_str_eq(b, "Mandatory|EnabledByDefault|Enabled");
    toksim_token_attr_text(b, sizeof b, false, TOKSIM_SE_GROUP_USE_FOR_DENY_ONLY);
    cr_assert_str_eq(b, "UseForDenyOnly");
    /* LogonId is two bits (0xC0000000): one of them alone is not a logon SID */
    toksim_token_attr_text(b, sizeof b, false, 0x40000000u);
    cr_assert_str_eq(b, "");
    toksim_token_attr_text(b, sizeof b, false, TOKSIM_SE_GROUP_LOGON_ID | 0x7u);
    cr_assert_str_eq(b, "Mandatory|EnabledByDefault|Enabled|LogonId");
}

Test(token_attrs, privilege_words_and_table_end)
{
    char b[64];
    toksim_token_attr_text(b, sizeof b, true, 0x3u);
    cr_assert_str_eq(b, "EnabledByDefault|Enabled");
    uint32_t bit = 0;
    cr_assert_str_eq(toksim_token_attr_word(true, 2, &bit), "UsedForAccess");
    cr_assert_eq(bit, TOKSIM_SE_PRIVILEGE_USED_FOR_ACCESS);
    cr_assert_null(toksim_token_attr_word(true, 3, NULL));
    cr_assert_null(toksim_token_attr_word(false, 9, NULL));
    /* a short buffer is cut, never overrun */
    char small[6];
    toksim_token_attr_text(small, sizeof small, false, 0x7u);
    cr_assert_eq(strlen(small), 5);
}
