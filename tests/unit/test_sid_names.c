/* PURPOSE: well-known SID table, alias and name resolution, display names and
 * virtual-account SIDs (MS-DTYP 2.4.2.4, "SID Strings", windows-model §5, §8, §13.1,
 * §13.2). */
#include <stdio.h>
#include "../helpers.h"

/* ts_assert_ok with an error record held by value. */
#define assert_ok_e(expr, e)                                                             \
    do {                                                                                 \
        toksim_status rc_ = (expr);                                                      \
        cr_assert(rc_ == TOKSIM_OK, "%s failed: %s (%s)", #expr, toksim_strerror(rc_),   \
                  (e).message);                                                          \
    } while (0)

static void
expect_resolve(const char *text, const toksim_sid_context *ctx, const char *want)
{
    toksim_sid s;
    toksim_error e = {0};
    toksim_status rc = toksim_sid_resolve(&s, text, ctx, &e);
    cr_assert_eq(rc, TOKSIM_OK, "resolve '%s': %s", text, e.message);
    char buf[TOKSIM_SID_STRING_MAX];
    toksim_sid_format(buf, sizeof buf, &s);
    cr_assert_str_eq(buf, want, "resolve '%s'", text);
}

static void expect_virtual(toksim_virtual_kind k, const char *name, const char *want)
{
    toksim_sid s;
    toksim_error e = {0};
    assert_ok_e(toksim_sid_virtual(&s, k, name, &e), e);
    char buf[TOKSIM_SID_STRING_MAX];
    toksim_sid_format(buf, sizeof buf, &s);
    cr_assert_str_eq(buf, want, "virtual %d '%s'", (int)k, name);
}

static void
expect_display(const char *sid, const toksim_sid_context *ctx, const char *want)
{
    toksim_sid s = ts_test_sid(sid);
    char buf[256];
    size_t n = toksim_sid_display_name(buf, sizeof buf, &s, ctx);
    cr_assert_str_eq(buf, want);
    cr_assert_eq(n, strlen(want));
}

/* windows-model §13.1, every row. */
Test(sid_names, service_sids_13_1)
{
    const struct {
        const char *name, *sid;
    } v[] = {
        {"TrustedInstaller",
         "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"},
        {"trustedinstaller",
         "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"},
        {"TRUSTEDINSTALLER",
         "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"},
        {"WdiServiceHost",
         "S-1-5-80-3139157870-2983391045-3678747466-658725712-1809340420"},
        {"MSSQLSERVER",
         "S-1-5-80-3880718306-3832830129-1677859214-2598158968-1052248003"},
        {"WinDefend", "S-1-5-80-1913148863-3492339771-4165695881-2087618961-4109116736"},
        {"Spooler", "S-1-5-80-3951239711-1671533544-1416304335-3763227691-3930497994"},
        {"EventLog", "S-1-5-80-880578595-1860270145-482643319-2788375705-1540778122"},
        {"Schedule", "S-1-5-80-4125092361-1567024937-842823819-2091237918-836075745"},
        {"W32Time", "S-1-5-80-4267341169-2882910712-659946508-2704364837-2204554466"},
        {"WinRM", "S-1-5-80-569256582-2953403351-2909559716-1301513147-412116970"},
        {"W3SVC", "S-1-5-80-989796750-4090848350-2040919084-978865222-2182970707"},
        {"WAS", "S-1-5-80-1061825232-167646333-2456899247-4014030508-1274102580"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        expect_virtual(TOKSIM_VIRTUAL_SERVICE, v[i].name, v[i].sid);
}

Test(sid_names, restricted_service_and_apppool_sids_13_1)
{
    expect_virtual(TOKSIM_VIRTUAL_RESTRICTED_SERVICE, "PrintSpoolerService",
                   "S-1-5-99-216390572-1995538116-3857911515-2404958512-2623887229");
    expect_virtual(TOKSIM_VIRTUAL_APPPOOL, "DefaultAppPool",
                   "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415");
    expect_virtual(TOKSIM_VIRTUAL_APPPOOL, "DEFAULTAPPPOOL",
                   "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415");
    expect_virtual(TOKSIM_VIRTUAL_APPPOOL, "Classic .NET AppPool",
                   "S-1-5-82-1036420768-1044797643-1061213386-2937092688-4282445334");
    expect_virtual(TOKSIM_VIRTUAL_APPPOOL, ".NET v4.5",
                   "S-1-5-82-271721585-897601226-2024613209-625570482-296978595");
    expect_virtual(TOKSIM_VIRTUAL_APPPOOL, ".NET v4.5 Classic",
                   "S-1-5-82-3876422241-1344743610-1729199087-774402673-2621913236");
    expect_virtual(TOKSIM_VIRTUAL_APPPOOL, "MyNewAppPool",
                   "S-1-5-82-1731100739-1225501145-3194365897-555074969-2002406294");
}

/* windows-model §5.5: upper-casing an app-pool name gives a wrong SID that must never
 * come out. */
Test(sid_names, apppool_is_lower_cased_never_upper)
{
    toksim_sid s, wrong = ts_test_sid(
                      "S-1-5-82-3351764326-1707831393-3926725467-2775714168-1921910078");
    const char *names[] = {"DefaultAppPool", "DEFAULTAPPPOOL", "defaultapppool"};
    for (size_t i = 0; i < 3; i++) {
        ts_assert_ok(toksim_sid_virtual(&s, TOKSIM_VIRTUAL_APPPOOL, names[i], NULL),
                     NULL);
        cr_assert_not(toksim_sid_equal(&s, &wrong), "%s produced the upper-cased value",
                      names[i]);
    }
}

Test(sid_names, virtual_rejects_bad_names)
{
    toksim_sid s;
    toksim_error e = {0};
    cr_assert_eq(toksim_sid_virtual(&s, TOKSIM_VIRTUAL_SERVICE, "", &e), TOKSIM_EPARSE);
    cr_assert_eq(toksim_sid_virtual(&s, TOKSIM_VIRTUAL_SERVICE, "ab\xC3(", &e),
                 TOKSIM_EPARSE);
    cr_assert_eq(e.offset, 2);
    cr_assert_eq(toksim_sid_virtual(&s, TOKSIM_VIRTUAL_SERVICE, "\xC0\xAF", &e),
                 TOKSIM_EPARSE); /* overlong */
    cr_assert_eq(toksim_sid_virtual(&s, TOKSIM_VIRTUAL_SERVICE, "\xED\xA0\x80", &e),
                 TOKSIM_EPARSE); /* surrogate */
    cr_assert_eq(toksim_sid_virtual(&s, (toksim_virtual_kind)81, "x", &e), TOKSIM_EINVAL);
    char big[1100];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cr_assert_eq(toksim_sid_virtual(&s, TOKSIM_VIRTUAL_SERVICE, big, &e), TOKSIM_ELIMIT);
}

/* Non-ASCII: the case mapping applies to Latin-1 (é/É) and the name is hashed as
 * UTF-16LE. */
Test(sid_names, virtual_non_ascii_case_folds)
{
    toksim_sid a, b, c;
    ts_assert_ok(toksim_sid_virtual(&a, TOKSIM_VIRTUAL_SERVICE, "caf\xC3\xA9", NULL),
                 NULL);
    ts_assert_ok(toksim_sid_virtual(&b, TOKSIM_VIRTUAL_SERVICE, "CAF\xC3\x89", NULL),
                 NULL);
    cr_assert(toksim_sid_equal(&a, &b));
    ts_assert_ok(toksim_sid_virtual(&c, TOKSIM_VIRTUAL_SERVICE, "CAFE", NULL), NULL);
    cr_assert_not(toksim_sid_equal(&a, &c));
    ts_assert_ok(
        toksim_sid_virtual(&a, TOKSIM_VIRTUAL_APPPOOL, "\xD0\x9F\xD1\x83\xD0\xBB", NULL),
        NULL);
    ts_assert_ok(
        toksim_sid_virtual(&b, TOKSIM_VIRTUAL_APPPOOL, "\xD0\xBF\xD1\x83\xD0\xBB", NULL),
        NULL);
    cr_assert(toksim_sid_equal(&a, &b));
    /* A code point above the BMP is accepted (surrogate pair). */
    ts_assert_ok(toksim_sid_virtual(&a, TOKSIM_VIRTUAL_APPPOOL, "\xF0\x9F\x98\x80", NULL),
                 NULL);
}

/* windows-model §13.2 alias resolution, plus ConvertStringSidToSid("BA"). */
Test(sid_names, aliases_13_2)
{
    const char *v[][2] = {{"IS", "S-1-5-32-568"},
                          {"SU", "S-1-5-6"},
                          {"OW", "S-1-3-4"},
                          {"NU", "S-1-5-2"},
                          {"IU", "S-1-5-4"},
                          {"AN", "S-1-5-7"},
                          {"ME", "S-1-16-8192"},
                          {"HI", "S-1-16-12288"},
                          {"SI", "S-1-16-16384"},
                          {"LW", "S-1-16-4096"},
                          {"MP", "S-1-16-8448"},
                          {"WR", "S-1-5-33"},
                          {"RC", "S-1-5-12"},
                          {"BA", "S-1-5-32-544"},
                          {"WD", "S-1-1-0"},
                          {"SY", "S-1-5-18"},
                          {"LS", "S-1-5-19"},
                          {"NS", "S-1-5-20"},
                          {"AU", "S-1-5-11"},
                          {"AC", "S-1-15-2-1"},
                          {"AS", "S-1-18-1"},
                          {"SS", "S-1-18-2"},
                          {"UD", "S-1-5-84-0-0-0-0-0"},
                          {"RM", "S-1-5-32-580"},
                          {"ER", "S-1-5-32-573"},
                          {"LU", "S-1-5-32-559"},
                          {"PS", "S-1-5-10"}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        expect_resolve(v[i][0], NULL, v[i][1]);
}

Test(sid_names, relative_aliases_need_context)
{
    toksim_sid dom = ts_test_sid("S-1-5-21-1004336348-1177238915-682003330");
    toksim_sid mach = ts_test_sid("S-1-5-21-1-2-3");
    toksim_sid_context ctx = {&dom, &mach};
    expect_resolve("DA", &ctx, "S-1-5-21-1004336348-1177238915-682003330-512");
    expect_resolve("DU", &ctx, "S-1-5-21-1004336348-1177238915-682003330-513");
    expect_resolve("RO", &ctx, "S-1-5-21-1004336348-1177238915-682003330-498");
    expect_resolve("RS", &ctx, "S-1-5-21-1004336348-1177238915-682003330-553");
    expect_resolve("LA", &ctx, "S-1-5-21-1-2-3-500");
    expect_resolve("LG", &ctx, "S-1-5-21-1-2-3-501");
    expect_resolve("CONTOSO\\Domain Admins", &ctx,
                   "S-1-5-21-1004336348-1177238915-682003330-512");
    expect_resolve(".\\Administrator", &ctx, "S-1-5-21-1-2-3-500");
    toksim_sid s;
    toksim_error e = {0};
    cr_assert_eq(toksim_sid_resolve(&s, "DA", NULL, &e), TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "domain SID"), "%s", e.message);
    toksim_sid_context only_dom = {&dom, NULL};
    cr_assert_eq(toksim_sid_resolve(&s, "LA", &only_dom, &e), TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "machine SID"), "%s", e.message);
}

Test(sid_names, names_resolve_case_insensitively)
{
    expect_resolve("NT AUTHORITY\\SERVICE", NULL, "S-1-5-6");
    expect_resolve("nt authority\\network service", NULL, "S-1-5-20");
    expect_resolve("BUILTIN\\IIS_IUSRS", NULL, "S-1-5-32-568");
    expect_resolve("IIS_IUSRS", NULL, "S-1-5-32-568");
    expect_resolve("SERVICE", NULL, "S-1-5-6");
    expect_resolve("IUSR", NULL, "S-1-5-17");
    expect_resolve("Everyone", NULL, "S-1-1-0");
    expect_resolve("LOCAL", NULL, "S-1-2-0");
    expect_resolve("CONSOLE LOGON", NULL, "S-1-2-1");
    expect_resolve("NT AUTHORITY\\This Organization", NULL, "S-1-5-15");
    expect_resolve("Mandatory Label\\High Mandatory Level", NULL, "S-1-16-12288");
    expect_resolve("NT SERVICE\\ALL SERVICES", NULL, "S-1-5-80-0");
    expect_resolve("NT SERVICE\\TrustedInstaller", NULL,
                   "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464");
    expect_resolve("IIS APPPOOL\\DefaultAppPool", NULL,
                   "S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415");
    expect_resolve("RESTRICTED SERVICES\\PrintSpoolerService", NULL,
                   "S-1-5-99-216390572-1995538116-3857911515-2404958512-2623887229");
    expect_resolve("NT AUTHORITY\\LogonSessionId_0_176335", NULL, "S-1-5-5-0-176335");
    expect_resolve("LocalSystem", NULL, "S-1-5-18");
    expect_resolve("NT AUTHORITY\\LocalService", NULL, "S-1-5-19");
    expect_resolve("NT AUTHORITY\\NetworkService", NULL, "S-1-5-20");
    expect_resolve("s-1-5-32-544", NULL, "S-1-5-32-544");
    expect_resolve("Authentication authority asserted identity", NULL, "S-1-18-1");
}

Test(sid_names, unknown_names_and_aliases_are_named)
{
    toksim_sid s;
    toksim_error e = {0};
    cr_assert_eq(toksim_sid_resolve(&s, "ZZ", NULL, &e), TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "'ZZ'"), "%s", e.message);
    cr_assert_eq(toksim_sid_resolve(&s, "ba", NULL, &e), TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "'BA'"), "%s", e.message);
    cr_assert_eq(toksim_sid_resolve(&s, "NoSuchAccount", NULL, &e), TOKSIM_ENOTFOUND);
    cr_assert(strstr(e.message, "NoSuchAccount"), "%s", e.message);
    /* A name under a fixed authority is not taken for a relative account. */
    cr_assert_eq(toksim_sid_resolve(&s, "BUILTIN\\Domain Admins", NULL, &e),
                 TOKSIM_ENOTFOUND);
    cr_assert_eq(toksim_sid_resolve(&s, "S-1-5-x", NULL, &e), TOKSIM_EPARSE);
    cr_assert_eq(e.offset, 6);
    cr_assert_eq(toksim_sid_resolve(&s, "", NULL, &e), TOKSIM_EPARSE);
    cr_assert_eq(toksim_sid_resolve(&s, "IIS APPPOOL\\", NULL, &e), TOKSIM_EPARSE);
    cr_assert_eq(e.offset, strlen("IIS APPPOOL\\"));
}

Test(sid_names, display_names_as_windows_shows_them)
{
    expect_display("S-1-5-20", NULL, "NT AUTHORITY\\NETWORK SERVICE");
    expect_display("S-1-5-32-568", NULL, "BUILTIN\\IIS_IUSRS");
    expect_display("S-1-1-0", NULL, "Everyone");
    expect_display("S-1-16-12288", NULL, "Mandatory Label\\High Mandatory Level");
    expect_display("S-1-5-11", NULL, "NT AUTHORITY\\Authenticated Users");
    expect_display("S-1-5-5-0-176335", NULL, "NT AUTHORITY\\LogonSessionId_0_176335");
    expect_display("S-1-5-82-0", NULL,
                   "S-1-5-82-0"); /* whoami cannot name it [OBS-APPPOOL] */
    expect_display("S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", NULL,
                   "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464");
    toksim_sid dom = ts_test_sid("S-1-5-21-7-8-9");
    toksim_sid_context ctx = {&dom, NULL};
    expect_display("S-1-5-21-7-8-9-512", &ctx, "Domain Admins");
    expect_display("S-1-5-21-7-8-9-512", NULL, "S-1-5-21-7-8-9-512");
    char small[8];
    toksim_sid s = ts_test_sid("S-1-5-20");
    cr_assert_eq(toksim_sid_display_name(small, sizeof small, &s, NULL),
                 strlen("NT AUTHORITY\\NETWORK SERVICE"));
    cr_assert_str_eq(small, "NT AUTH");
}

/* Every row: its SID parses, aliases are unique and resolve back to the row, names
 * resolve. */
Test(sid_names, every_row_round_trips)
{
    toksim_sid dom = ts_test_sid("S-1-5-21-11-22-33"),
               mach = ts_test_sid("S-1-5-21-44-55-66");
    toksim_sid_context ctx = {&dom, &mach};
    size_t n = toksim_wellknown_count();
    cr_assert_gt(n, 100);
    for (size_t i = 0; i < n; i++) {
        const toksim_wellknown *w = toksim_wellknown_at(i);
        toksim_sid s;
        if (w->flags & (TOKSIM_WK_DOMAIN_RELATIVE | TOKSIM_WK_MACHINE_RELATIVE)) {
            cr_assert_eq(w->sid[0], '-', "%s", w->sid);
            ts_assert_ok(
                toksim_sid_append(
                    &s, (w->flags & TOKSIM_WK_DOMAIN_RELATIVE) ? &dom : &mach, w->rid),
                NULL);
        } else {
            s = ts_test_sid(w->sid);
            cr_assert_eq(w->rid, 0);
        }
        cr_assert_eq(toksim_wellknown_by_sid(&s, &ctx), w, "row %s", w->sid);
        if (w->alias) {
            cr_assert_eq(toksim_wellknown_by_alias(w->alias), w, "alias %s", w->alias);
            toksim_sid r;
            ts_assert_ok(toksim_sid_resolve(&r, w->alias, &ctx, NULL), NULL);
            cr_assert(toksim_sid_equal(&r, &s), "alias %s", w->alias);
        }
        if (w->name[0]) {
            char full[200];
            snprintf(full, sizeof full, "%s%s%s", w->domain, w->domain[0] ? "\\" : "",
                     w->name);
            toksim_sid r;
            toksim_error e = {0};
            assert_ok_e(toksim_sid_resolve(&r, full, &ctx, &e), e);
            cr_assert(toksim_sid_equal(&r, &s), "name %s", full);
            assert_ok_e(toksim_sid_resolve(&r, w->name, &ctx, &e), e);
            cr_assert(toksim_sid_equal(&r, &s), "bare name %s", w->name);
        }
    }
    cr_assert_null(toksim_wellknown_at(n));
    cr_assert_null(toksim_wellknown_by_alias("XX"));
    cr_assert_null(toksim_wellknown_by_alias("ba"));
}

/* Every SDDL SID alias of "SID Strings" is present (the list as of Windows 11). */
Test(sid_names, every_sddl_alias_present)
{
    const char *all[] = {"AA", "AC", "AN", "AO", "AP", "AS", "AU", "BA", "BG", "BO",
                         "BU", "CA", "CD", "CG", "CN", "CO", "CY", "DA", "DC", "DD",
                         "DG", "DU", "EA", "ED", "EK", "ER", "ES", "HA", "HI", "IS",
                         "IU", "KA", "LA", "LG", "LS", "LU", "LW", "ME", "MP", "MS",
                         "MU", "NO", "NS", "NU", "OW", "PA", "PO", "PS", "PU", "RA",
                         "RC", "RD", "RE", "RM", "RO", "RS", "RU", "SA", "SI", "SO",
                         "SS", "SU", "SY", "UD", "WD", "WR"};
    size_t count = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        cr_assert_not_null(toksim_wellknown_by_alias(all[i]), "alias %s missing", all[i]);
    for (size_t i = 0; i < toksim_wellknown_count(); i++)
        count += toksim_wellknown_at(i)->alias != NULL;
    cr_assert_eq(count, sizeof all / sizeof all[0], "table has aliases not in the list");
}
