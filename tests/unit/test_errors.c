/* PURPOSE: the error catalog and its conversions (windows-model §9, §13.2). */
#include "../helpers.h"

Test(errors, hresult_from_win32_13_2)
{
    const uint32_t v[][2] = {
        {5, 0x80070005u},    {1008, 0x800703F0u}, {1314, 0x80070522u},
        {1326, 0x8007052Eu}, {1346, 0x80070542u}, {1347, 0x80070543u},
        {1349, 0x80070545u}, {1368, 0x80070558u}, {1385, 0x80070569u},
        {1725, 0x800706BDu}, {1069, 0x8007042Du}, {740, 0x800702E4u},
        {1375, 0x8007055Fu}, {1312, 0x80070520u}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        cr_assert_eq(toksim_hresult_from_win32(v[i][0]), v[i][1], "%u", v[i][0]);
    cr_assert_eq(toksim_hresult_from_win32(0), 0);
    cr_assert_eq(toksim_hresult_from_win32(0x80041003u),
                 0x80041003u); /* already an HRESULT */
}

Test(errors, hresult_from_nt)
{
    cr_assert_eq(toksim_hresult_from_nt(0xC000015Bu), 0xD000015Bu);
    const toksim_code_info *c = toksim_code_by_hresult(0xD000015Bu);
    cr_assert_not_null(c);
    cr_assert_str_eq(c->name, "ERROR_LOGON_TYPE_NOT_GRANTED");
}

Test(errors, bad_impersonation_level_every_form)
{
    cr_assert_eq(TOKSIM_ERROR_BAD_IMPERSONATION_LEVEL, 1346);
    cr_assert_eq(toksim_hresult_from_win32(1346), 0x80070542u);
    cr_assert_eq(toksim_ntstatus_to_win32(0xC00000A5u), 1346);
    cr_assert_eq(toksim_win32_to_ntstatus(1346), 0xC00000A5u);
    cr_assert_eq(toksim_win32_to_ntstatus(1346), TOKSIM_STATUS_BAD_IMPERSONATION_LEVEL);
    const toksim_code_info *c = toksim_code_by_hresult(0x80070542u);
    cr_assert_not_null(c);
    cr_assert_eq(c->kind, TOKSIM_CODE_WIN32);
    cr_assert_str_eq(c->name, "ERROR_BAD_IMPERSONATION_LEVEL");
    cr_assert_str_eq(c->nt_name, "STATUS_BAD_IMPERSONATION_LEVEL");
    cr_assert_eq(toksim_code_by_name("STATUS_BAD_IMPERSONATION_LEVEL"), c);
    cr_assert_eq(toksim_code_by_name("error_bad_impersonation_level"), c);
    cr_assert_eq(toksim_code_by_ntstatus(0xC00000A5u), c);
    cr_assert_str_eq(toksim_win32_name(1346), "ERROR_BAD_IMPERSONATION_LEVEL");
}

/* E_ACCESSDENIED is the HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED) alias; named rows win the
 * lookup. */
Test(errors, e_accessdenied_alias)
{
    const toksim_code_info *c = toksim_code_by_name("E_ACCESSDENIED");
    cr_assert_not_null(c);
    cr_assert_eq(c->value, 0x80070005u);
    cr_assert_eq(c->value, toksim_hresult_from_win32(TOKSIM_ERROR_ACCESS_DENIED));
    cr_assert_eq(toksim_code_by_hresult(0x80070005u), c);
    cr_assert_str_eq(toksim_code_by_win32(5)->name, "ERROR_ACCESS_DENIED");
}

Test(errors, wbem_codes)
{
    const toksim_code_info *c = toksim_code_by_name("WBEM_E_ACCESS_DENIED");
    cr_assert_not_null(c);
    cr_assert_eq(c->kind, TOKSIM_CODE_WBEM);
    cr_assert_eq(c->value, 0x80041003u);
    cr_assert_eq(c->value, 2147749891u);
    cr_assert_eq(toksim_code_by_hresult(0x80041003u), c);
    c = toksim_code_by_name("WBEM_S_ACCESS_DENIED");
    cr_assert_eq(c->value, 0x40009u);
    cr_assert_eq(c->value, 262153u);
    cr_assert_eq(toksim_code_by_name("WBEM_E_PRIVILEGE_NOT_HELD")->value, 0x80041062u);
    cr_assert_eq(toksim_code_by_name("WBEM_S_NO_ERROR")->value, 0);
}

Test(errors, catalog_values_9_2)
{
    const struct {
        const char *name;
        uint32_t w32, nt;
    } v[] = {{"ERROR_SERVICE_LOGON_FAILED", 1069, 0},
             {"ERROR_ELEVATION_REQUIRED", 740, 0xC000042Cu},
             {"ERROR_CANNOT_IMPERSONATE", 1368, 0xC000010Du},
             {"ERROR_TOKEN_ALREADY_IN_USE", 1375, 0xC000012Bu},
             {"ERROR_INVALID_OWNER", 1307, 0xC000005Au},
             {"ERROR_NO_SUCH_LOGON_SESSION", 1312, 0xC000005Fu},
             {"ERROR_ACCOUNT_RESTRICTION", 1327, 0xC000006Eu},
             {"ERROR_ACCOUNT_DISABLED", 1331, 0xC0000072u},
             {"ERROR_INVALID_HANDLE", 6, 0xC0000008u},
             {"ERROR_NOT_SUPPORTED", 50, 0xC00000BBu},
             {"RPC_S_NO_CALL_ACTIVE", 1725, 0},
             {"ERROR_NO_SUCH_USER", 1317, 0xC0000064u},
             {"ERROR_NOT_ALL_ASSIGNED", 1300, 0x106u},
             {"ERROR_LOGON_TYPE_NOT_GRANTED", 1385, 0xC000015Bu},
             {"ERROR_NO_TOKEN", 1008, 0xC000007Cu},
             {"ERROR_PRIVILEGE_NOT_HELD", 1314, 0xC0000061u}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const toksim_code_info *c = toksim_code_by_name(v[i].name);
        cr_assert_not_null(c, "%s", v[i].name);
        cr_assert_eq(c->value, v[i].w32, "%s", v[i].name);
        cr_assert_eq(toksim_win32_to_ntstatus(v[i].w32), v[i].nt, "%s", v[i].name);
    }
}

Test(errors, com_rpc_values_9_3)
{
    const struct {
        const char *name;
        uint32_t v;
    } v[] = {{"RPC_E_CANTCALLOUT_ININPUTSYNCCALL", 0x8001010Du},
             {"RPC_E_CHANGED_MODE", 0x80010106u},
             {"RPC_E_CALL_COMPLETE", 0x80010117u},
             {"RPC_E_UNSECURE_CALL", 0x80010118u},
             {"RPC_E_TOO_LATE", 0x80010119u},
             {"RPC_E_NO_GOOD_SECURITY_PACKAGES", 0x8001011Au},
             {"RPC_E_ACCESS_DENIED", 0x8001011Bu},
             {"RPC_E_NO_CONTEXT", 0x8001011Eu},
             {"CO_E_FAILEDTOIMPERSONATE", 0x80010123u},
             {"CO_E_FAILEDTOGETSECCTX", 0x80010124u},
             {"CO_E_FAILEDTOOPENTHREADTOKEN", 0x80010125u},
             {"CO_E_FAILEDTOGETTOKENINFO", 0x80010126u},
             {"CO_E_ACCESSCHECKFAILED", 0x8001012Au},
             {"CO_E_SERVER_EXEC_FAILURE", 0x80080005u}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        const toksim_code_info *c = toksim_code_by_name(v[i].name);
        cr_assert_not_null(c, "%s", v[i].name);
        cr_assert_eq(c->kind, TOKSIM_CODE_HRESULT);
        cr_assert_eq(c->value, v[i].v, "%s", v[i].name);
    }
}

/* RtlNtStatusToDosError special cases (Wine ntdll error.c behaviour). */
Test(errors, ntstatus_to_win32_special_cases)
{
    cr_assert_eq(toksim_ntstatus_to_win32(0), 0);
    cr_assert_eq(toksim_ntstatus_to_win32(0xD00000A5u), 1346); /* 0xD... read as 0xC... */
    cr_assert_eq(toksim_ntstatus_to_win32(0xC0070542u & 0xFFFFFFFFu),
                 317);                                         /* not a mapped family */
    cr_assert_eq(toksim_ntstatus_to_win32(0x80070542u), 1346); /* 0x8007xxxx: low word */
    cr_assert_eq(toksim_ntstatus_to_win32(0xC0010005u), 5);    /* 0xC001xxxx: low word */
    cr_assert_eq(toksim_ntstatus_to_win32(0xE0000001u),
                 0xE0000001u); /* customer bit: unchanged */
    cr_assert_eq(toksim_ntstatus_to_win32(0xC0DEC0DEu), TOKSIM_ERROR_MR_MID_NOT_FOUND);
    cr_assert_eq(toksim_ntstatus_to_win32(0xC000006Au),
                 86); /* STATUS_WRONG_PASSWORD -> ERROR_INVALID_PASSWORD */
    cr_assert_eq(toksim_ntstatus_to_win32(0x106u), 1300);
}

Test(errors, unknown_codes)
{
    cr_assert_null(toksim_code_by_win32(99999));
    cr_assert_null(toksim_code_by_ntstatus(0xC0DEC0DEu));
    cr_assert_null(toksim_code_by_hresult(0x8BADF00Du));
    cr_assert_null(toksim_code_by_hresult(0x8007FFFFu));
    cr_assert_null(toksim_code_by_name("ERROR_NOPE"));
    cr_assert_null(toksim_code_by_name(NULL));
    cr_assert_null(toksim_win32_name(99999));
    cr_assert_eq(toksim_win32_to_ntstatus(1069), 0);
    cr_assert_null(toksim_code_at(toksim_code_count()));
}

/* Every row: name lookup finds it, its value finds it back, conversions are consistent.
 */
Test(errors, every_row_round_trips)
{
    size_t n = toksim_code_count();
    cr_assert_gt(n, 80);
    for (size_t i = 0; i < n; i++) {
        const toksim_code_info *c = toksim_code_at(i);
        cr_assert(c->name[0] && c->message[0]);
        cr_assert_eq(toksim_code_by_name(c->name), c, "%s", c->name);
        for (size_t j = 0; j < i; j++)
            cr_assert(strcmp(toksim_code_at(j)->name, c->name) != 0, "duplicate %s",
                      c->name);
        switch (c->kind) {
        case TOKSIM_CODE_WIN32:
            cr_assert_eq(toksim_code_by_win32(c->value), c, "%s", c->name);
            cr_assert_lt(c->value, 0x10000u, "%s", c->name);
            if (c->nt_name[0]) {
                cr_assert_eq(toksim_code_by_ntstatus(c->ntstatus), c, "%s", c->nt_name);
                cr_assert_eq(toksim_ntstatus_to_win32(c->ntstatus), c->value, "%s",
                             c->nt_name);
                cr_assert_eq(toksim_code_by_name(c->nt_name), c, "%s", c->nt_name);
                cr_assert_eq(toksim_code_by_hresult(toksim_hresult_from_nt(c->ntstatus)),
                             c, "%s", c->nt_name);
            } else {
                cr_assert_eq(c->ntstatus, 0, "%s", c->name);
            }
            if (c->value) {
                const toksim_code_info *h =
                    toksim_code_by_hresult(toksim_hresult_from_win32(c->value));
                cr_assert(h == c || (h->kind == TOKSIM_CODE_HRESULT &&
                                     h->value == toksim_hresult_from_win32(c->value)),
                          "%s", c->name);
            }
            break;
        case TOKSIM_CODE_HRESULT:
            cr_assert_eq(toksim_code_by_hresult(c->value), c, "%s", c->name);
            break;
        case TOKSIM_CODE_WBEM:
            if (c->value != 0) /* WBEM_S_NO_ERROR shares 0 with S_OK */
                cr_assert_eq(toksim_code_by_hresult(c->value), c, "%s", c->name);
            break;
        default:
            cr_assert_fail("row %s of unknown kind", c->name);
        }
    }
}
