/* PURPOSE: the privilege table and its lookups (winnt.h SE_*_PRIVILEGE, windows-model
 * §6.1, §13.2). */
#include "../helpers.h"

Test(privilege, impersonate_is_29)
{
    const toksim_privilege_info *p = toksim_privilege_by_name("SeImpersonatePrivilege");
    cr_assert_not_null(p);
    cr_assert_eq(p->luid, 29);
    cr_assert_eq(p->luid, 0x1d);
    cr_assert_eq(TOKSIM_PRIV_IMPERSONATE, 29);
    cr_assert_str_eq(p->display, "Impersonate a client after authentication");
    cr_assert_eq(toksim_privilege_by_luid(29), p);
}

/* windows-model §13.2 constants. */
Test(privilege, constants_13_2)
{
    const struct {
        const char *name;
        uint32_t luid;
    } v[] = {{"SeCreateGlobalPrivilege", 30},
             {"SeChangeNotifyPrivilege", 23},
             {"SeTcbPrivilege", 7},
             {"SeCreateTokenPrivilege", 2},
             {"SeAssignPrimaryTokenPrivilege", 3},
             {"SeBackupPrivilege", 17},
             {"SeRestorePrivilege", 18},
             {"SeDebugPrivilege", 20},
             {"SeSecurityPrivilege", 8},
             {"SeTakeOwnershipPrivilege", 9},
             {"SeRelabelPrivilege", 32},
             {"SeDelegateSessionUserImpersonatePrivilege", 36}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const toksim_privilege_info *p = toksim_privilege_by_luid(v[i].luid);
        cr_assert_not_null(p, "luid %u", v[i].luid);
        cr_assert_str_eq(p->name, v[i].name);
    }
    cr_assert_str_eq(toksim_privilege_by_luid(30)->name, "SeCreateGlobalPrivilege");
    cr_assert_eq(toksim_privilege_at(toksim_privilege_count() - 1)->luid,
                 TOKSIM_PRIV_MAX);
}

Test(privilege, name_lookup_is_case_insensitive)
{
    cr_assert_eq(toksim_privilege_by_name("seimpersonateprivilege"),
                 toksim_privilege_by_luid(29));
    cr_assert_eq(toksim_privilege_by_name("SEDEBUGPRIVILEGE"),
                 toksim_privilege_by_luid(20));
}

Test(privilege, unknown_is_null)
{
    cr_assert_null(toksim_privilege_by_name("SeNoSuchPrivilege"));
    cr_assert_null(toksim_privilege_by_name("SeImpersonate"));
    cr_assert_null(toksim_privilege_by_name(""));
    cr_assert_null(toksim_privilege_by_name(NULL));
    /* Logon rights are not privileges (windows-model §6). */
    cr_assert_null(toksim_privilege_by_name("SeServiceLogonRight"));
    cr_assert_null(toksim_privilege_by_luid(0));
    cr_assert_null(toksim_privilege_by_luid(1));
    cr_assert_null(toksim_privilege_by_luid(37));
    cr_assert_null(toksim_privilege_at(toksim_privilege_count()));
}

Test(privilege, every_row_round_trips_in_luid_order)
{
    size_t n = toksim_privilege_count();
    cr_assert_eq(n, 35); /* LUIDs 2..36 */
    for (size_t i = 0; i < n; i++) {
        const toksim_privilege_info *p = toksim_privilege_at(i);
        cr_assert_eq((uint32_t)p->luid, (uint32_t)(i + 2));
        cr_assert_eq(toksim_privilege_by_name(p->name), p, "%s", p->name);
        cr_assert_eq(toksim_privilege_by_luid((uint32_t)p->luid), p);
        cr_assert(strncmp(p->name, "Se", 2) == 0 && strstr(p->name, "Privilege"), "%s",
                  p->name);
        cr_assert(p->display[0]);
    }
}
