/* PURPOSE: generic mappings per object type (winnt.h), MapGenericMask, and access masks
 * as text. */
#include "../helpers.h"

Test(mapping, winnt_generic_mappings)
{
    const toksim_generic_mapping *f = toksim_object_mapping(TOKSIM_OBJ_FILE);
    cr_assert(f);
    cr_expect_eq(f->read, 0x120089u);
    cr_expect_eq(f->write, 0x120116u);
    cr_expect_eq(f->execute, 0x1200A0u);
    cr_expect_eq(f->all, 0x1F01FFu);
    const toksim_generic_mapping *k = toksim_object_mapping(TOKSIM_OBJ_KEY);
    cr_expect_eq(k->read, 0x20019u);
    cr_expect_eq(k->write, 0x20006u);
    cr_expect_eq(k->execute, 0x20019u);
    cr_expect_eq(k->all, 0xF003Fu);
    cr_expect_eq(toksim_object_mapping(TOKSIM_OBJ_TOKEN)->all, 0xF01FFu);
    cr_expect_eq(toksim_object_mapping(TOKSIM_OBJ_SERVICE)->all, 0xF01FFu);
    cr_expect_eq(toksim_object_mapping(TOKSIM_OBJ_SCMANAGER)->all, 0xF003Fu);
    cr_expect_eq(toksim_object_mapping(TOKSIM_OBJ_GENERIC)->read, 0x20000u);
    const toksim_generic_mapping *p = toksim_object_mapping(TOKSIM_OBJ_PROCESS);
    cr_expect(p->read == 0x20410u && p->write == 0x20BEAu && p->execute == 0x121001u &&
              p->all == 0x1FFFFFu);
    const toksim_generic_mapping *th = toksim_object_mapping(TOKSIM_OBJ_THREAD);
    cr_expect(th->read == 0x20048u && th->write == 0x20437u && th->execute == 0x121800u &&
              th->all == 0x1FFFFFu);
    for (int t = 0; t < TOKSIM_OBJ__COUNT; t++) {
        cr_expect_not_null(toksim_object_mapping((toksim_object_type)t), "type %d", t);
        const char *name = toksim_object_type_name((toksim_object_type)t);
        toksim_object_type back;
        cr_assert_not_null(name);
        ts_assert_ok(toksim_object_type_parse(&back, name), NULL);
        cr_expect_eq((int)back, t);
    }
    cr_expect_null(toksim_object_mapping(TOKSIM_OBJ__COUNT));
    toksim_object_type t;
    cr_expect_eq(toksim_object_type_parse(&t, "mailbox"), TOKSIM_ENOTFOUND);
    ts_assert_ok(toksim_object_type_parse(&t, "Registry"), NULL);
    cr_expect_eq(t, TOKSIM_OBJ_KEY);
}

Test(mapping, map_generic_ors_then_clears_generic_bits)
{
    const toksim_generic_mapping *f = toksim_object_mapping(TOKSIM_OBJ_FILE);
    cr_expect_eq(toksim_map_generic(TOKSIM_GENERIC_READ, f), 0x120089u);
    cr_expect_eq(toksim_map_generic(
                     TOKSIM_GENERIC_READ | TOKSIM_GENERIC_EXECUTE | TOKSIM_DELETE, f),
                 0x1300A9u);
    cr_expect_eq(toksim_map_generic(TOKSIM_GENERIC_ALL | TOKSIM_MAXIMUM_ALLOWED, f),
                 0x1F01FFu | TOKSIM_MAXIMUM_ALLOWED);
    cr_expect_eq(toksim_map_generic(0x1, f), 0x1u);
}

static uint32_t parse(const char *t, toksim_object_type ty)
{
    uint32_t m = 0;
    toksim_error e = {0};
    cr_assert_eq(toksim_access_mask_parse(&m, t, ty, &e), TOKSIM_OK, "'%s': %s", t,
                 e.message);
    return m;
}

Test(mapping, access_mask_parse_accepts_names_aliases_numbers)
{
    cr_expect_eq(parse("FILE_READ_DATA|SYNCHRONIZE", TOKSIM_OBJ_FILE), 0x100001u);
    cr_expect_eq(parse("file_read_data | synchronize", TOKSIM_OBJ_FILE), 0x100001u);
    cr_expect_eq(parse("GENERIC_READ", TOKSIM_OBJ_FILE), 0x80000000u);
    cr_expect_eq(parse("MAXIMUM_ALLOWED", TOKSIM_OBJ_GENERIC), 0x02000000u);
    cr_expect_eq(parse("READ_CONTROL|ACCESS_SYSTEM_SECURITY", TOKSIM_OBJ_KEY),
                 0x01020000u);
    cr_expect_eq(parse("FR", TOKSIM_OBJ_FILE), 0x120089u);
    cr_expect_eq(parse("RCWD", TOKSIM_OBJ_FILE), 0x60000u);
    cr_expect_eq(parse("0x120089", TOKSIM_OBJ_FILE), 0x120089u);
    cr_expect_eq(parse("1179785", TOKSIM_OBJ_FILE), 0x120089u);
    cr_expect_eq(parse("KEY_READ", TOKSIM_OBJ_KEY), 0x20019u);
    cr_expect_eq(parse("SERVICE_START|SERVICE_QUERY_STATUS", TOKSIM_OBJ_SERVICE), 0x14u);
    cr_expect_eq(parse("SC_MANAGER_CONNECT", TOKSIM_OBJ_SCMANAGER), 0x1u);
    cr_expect_eq(parse("PROCESS_QUERY_LIMITED_INFORMATION", TOKSIM_OBJ_PROCESS), 0x1000u);
    cr_expect_eq(parse("THREAD_IMPERSONATE", TOKSIM_OBJ_THREAD), 0x100u);
    cr_expect_eq(parse("TOKEN_QUERY|TOKEN_IMPERSONATE|TOKEN_DUPLICATE", TOKSIM_OBJ_TOKEN),
                 0xEu);
    cr_expect_eq(parse("WBEM_ENABLE|WBEM_REMOTE_ACCESS", TOKSIM_OBJ_WMI_NAMESPACE),
                 0x21u);
    cr_expect_eq(parse("FILE_TRAVERSE|FILE_READ_DATA", TOKSIM_OBJ_DIRECTORY), 0x21u);
    cr_expect_eq(parse("FILE_CREATE_PIPE_INSTANCE", TOKSIM_OBJ_PIPE), 0x4u);
}

Test(mapping, access_mask_parse_errors)
{
    uint32_t m;
    toksim_error e = {0};
    cr_expect_eq(toksim_access_mask_parse(&m, "KEY_READ", TOKSIM_OBJ_FILE, &e),
                 TOKSIM_EPARSE);
    cr_expect(strstr(e.message, "file") != NULL, "%s", e.message);
    cr_expect_eq(
        toksim_access_mask_parse(&m, "READ_CONTROL||DELETE", TOKSIM_OBJ_FILE, &e),
        TOKSIM_EPARSE);
    cr_expect_eq(e.offset, 13);
    cr_expect_eq(toksim_access_mask_parse(&m, "0x1FFFFFFFF", TOKSIM_OBJ_FILE, &e),
                 TOKSIM_EPARSE);
    cr_expect_eq(toksim_access_mask_parse(&m, "", TOKSIM_OBJ_FILE, &e), TOKSIM_EPARSE);
}

Test(mapping, describe_per_object_type)
{
    char buf[256];
    toksim_access_mask_describe(buf, sizeof buf, 0x120089, TOKSIM_OBJ_FILE);
    cr_expect_str_eq(buf, "FILE_GENERIC_READ");
    toksim_access_mask_describe(buf, sizeof buf, 0x100001, TOKSIM_OBJ_FILE);
    cr_expect_str_eq(buf, "FILE_READ_DATA|SYNCHRONIZE");
    toksim_access_mask_describe(buf, sizeof buf, 0x21, TOKSIM_OBJ_DIRECTORY);
    cr_expect_str_eq(buf, "FILE_LIST_DIRECTORY|FILE_TRAVERSE");
    toksim_access_mask_describe(buf, sizeof buf, 0x20019, TOKSIM_OBJ_KEY);
    cr_expect_str_eq(buf, "KEY_READ");
    toksim_access_mask_describe(buf, sizeof buf, 0x12000000u | 0x8000, TOKSIM_OBJ_TOKEN);
    cr_expect_str_eq(buf, "MAXIMUM_ALLOWED|GENERIC_ALL|0x8000");
    toksim_access_mask_describe(buf, sizeof buf, 0, TOKSIM_OBJ_FILE);
    cr_expect_str_eq(buf, "0");
    toksim_access_mask_describe(buf, sizeof buf, 0x21, TOKSIM_OBJ_WMI_NAMESPACE);
    cr_expect_str_eq(buf, "WBEM_ENABLE|WBEM_REMOTE_ACCESS");
}
