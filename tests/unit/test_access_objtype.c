/*
 * PURPOSE: AccessCheckByType with an object-type list (MS-DTYP 2.5.3.2;
 * "AccessCheckByType" and "OBJECT_TYPE_LIST" on Microsoft Learn; Forshaw, Windows
 * Security Internals ch. 7) on an Active Directory user object: class user
 * bf967aba-0de6-11d0-a285-00aa003049e2, property set Personal-Information
 * 77b5b886-944a-11d1-aebd-0000f80367c1 holding telephoneNumber
 * bf967a49-0de6-11d0-a285-00aa003049e2, property set General-Information
 * 59ba2f42-79a2-11d0-9020-00c04fc2d3cf (GUIDs: MS-ADTS / the AD schema on Learn). Rights:
 * RP 0x10, WP 0x20 (ADS_RIGHTS_ENUM).
 */
#include <stdio.h>
#include "../cli_helpers.h"
#include "access_fixtures.h"

#define USER_CLASS "bf967aba-0de6-11d0-a285-00aa003049e2"
#define PERSONAL   "77b5b886-944a-11d1-aebd-0000f80367c1"
#define PHONE      "bf967a49-0de6-11d0-a285-00aa003049e2"
#define GENERAL    "59ba2f42-79a2-11d0-9020-00c04fc2d3cf"
#define WP         0x20u

static toksim_sd *sd_of(const char *text)
{
    toksim_sd *sd;
    toksim_error e = {0};
    toksim_error *ep = &e;
    ts_assert_ok(toksim_sd_from_sddl(&sd, text, NULL, ep), ep);
    return sd;
}

/* A list entry: the GUID read through the SDDL parser (binary GUID layout). */
static toksim_object_type_entry entry(uint16_t level, const char *guid)
{
    char text[128];
    snprintf(text, sizeof text, "D:(OA;;RP;%s;;WD)", guid);
    toksim_sd *sd = sd_of(text);
    toksim_object_type_entry e;
    e.level = level;
    memcpy(e.guid, sd->dacl->aces[0].object_type, 16);
    toksim_sd_free(sd);
    return e;
}

static run by_type(const toksim_sd *sd,
                   const toksim_token *t,
                   uint32_t desired,
                   const toksim_object_type_entry *list,
                   size_t n)
{
    toksim_access_request req = {0};
    req.desired = desired;
    req.object_type = TOKSIM_OBJ_GENERIC;
    req.object_types = list;
    req.object_type_count = n;
    return check_req(sd, t, req);
}

Test(objtype, allow_on_a_property_set_grants_the_properties_asked_for)
{
    toksim_sd *sd = sd_of("O:BAG:BAD:(OA;;WP;" PERSONAL ";;WD)");
    toksim_token *t = tok_new();
    toksim_object_type_entry l1[] = {entry(0, USER_CLASS), entry(1, PERSONAL),
                                     entry(2, PHONE)};
    run x = by_type(sd, t, WP, l1, 3);
    granted(&x, WP);
    HAS_V(x, "access.object_type.node", TOKSIM_V_GRANT);
    toksim_trace_dispose(&x.trace);
    /* Asking also about General-Information: that set is not granted, so the object as a
     * whole is not. */
    toksim_object_type_entry l2[] = {entry(0, USER_CLASS), entry(1, PERSONAL),
                                     entry(2, PHONE), entry(1, GENERAL)};
    x = by_type(sd, t, WP, l2, 4);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    toksim_trace_dispose(&x.trace);
    /* A plain AccessCheck (no list): the object ACE grants nothing. */
    x = check_req(
        sd, t, (toksim_access_request){.desired = WP, .object_type = TOKSIM_OBJ_GENERIC});
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    done(&x, sd, t);
}

Test(objtype, deny_on_a_property_denies_the_object)
{
    toksim_sd *sd = sd_of("O:BAG:BAD:(OD;;WP;" PHONE ";;WD)(A;;WP;;;WD)");
    toksim_token *t = tok_new();
    toksim_object_type_entry l1[] = {entry(0, USER_CLASS), entry(1, PERSONAL),
                                     entry(2, PHONE)};
    run x = by_type(sd, t, WP, l1, 3);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS_V(x, "access.object_type.node", TOKSIM_V_DENY);
    toksim_trace_dispose(&x.trace);
    /* The denied property is not asked about: the deny ACE is skipped. */
    toksim_object_type_entry l2[] = {entry(0, USER_CLASS), entry(1, GENERAL)};
    x = by_type(sd, t, WP, l2, 2);
    granted(&x, WP);
    HAS_V(x, "access.object_type.not_in_list", TOKSIM_V_SKIP);
    done(&x, sd, t);
}

Test(objtype, maximum_allowed_collects_the_root)
{
    toksim_sd *sd = sd_of("O:BAG:BAD:(OA;;WP;" PERSONAL ";;WD)(A;;RP;;;WD)");
    toksim_token *t = tok_new();
    toksim_object_type_entry l1[] = {entry(0, USER_CLASS), entry(1, PERSONAL)};
    run x = by_type(sd, t, TOKSIM_MAXIMUM_ALLOWED, l1, 2);
    granted(&x, WP | 0x10u);
    done(&x, sd, t);
}

/* The CLI: toksim access --object-type LEVEL:GUID runs AccessCheckByType. */
Test(objtype, cli_object_type_list)
{
    ts_expect_cli("access --sddl 'O:BAG:BAD:(OA;;WP;" PERSONAL ";;WD)' --user "
                  "S-1-5-21-1-2-3-1000 --group WD --type generic --desired 0x20 "
                  "--object-type 0:" USER_CLASS " --object-type 1:" PERSONAL,
                  0, "access:  granted");
    ts_expect_cli("access --sddl 'O:BAG:BAD:(OA;;WP;" PERSONAL ";;WD)' --user "
                  "S-1-5-21-1-2-3-1000 --group WD --type generic --desired 0x20",
                  1, "access:  denied");
    ts_expect_cli("access --sddl 'O:BAG:BAD:' --user S-1-5-21-1-2-3-1000 --desired 0x20 "
                  "--object-type 9:x",
                  2, "LEVEL:GUID");
}

/* AD GUIDs are named from one table (Learn, "Control Access Rights", "Property Sets"). */
Test(objtype, ad_guids_are_named)
{
    toksim_object_type_entry e = entry(1, PERSONAL);
    const char *kind = NULL;
    cr_assert_str_eq(toksim_ad_guid_name(e.guid, &kind), "Personal-Information");
    cr_assert_str_eq(kind, "property set");
    e = entry(0, "00000000-0000-0000-0000-000000000001");
    cr_assert_null(toksim_ad_guid_name(e.guid, NULL));
    ts_expect_cli("sddl 'D:(OA;;CR;1131f6ad-9c07-11d1-f79f-00c04fc2dcd2;" USER_CLASS
                  ";ED)'",
                  0, "(DS-Replication-Get-Changes-All, control access right)");
    ts_expect_cli("sddl 'D:(OA;;CR;1131f6ad-9c07-11d1-f79f-00c04fc2dcd2;" USER_CLASS
                  ";ED)'",
                  0, "(user, class)");
}

/* --type ds: the DS generic mapping and ADS_RIGHTS_ENUM names (ntdsapi.h DS_GENERIC_*;
 * Learn ADS_RIGHTS_ENUM). */
Test(objtype, ds_object_type_names_and_maps_rights)
{
    const toksim_generic_mapping *m = toksim_object_mapping(TOKSIM_OBJ_DS);
    cr_assert_not_null(m);
    cr_assert_eq(m->read, 0x20094u);
    cr_assert_eq(m->write, 0x20028u);
    cr_assert_eq(m->execute, 0x20004u);
    cr_assert_eq(m->all, 0xF01FFu);
    uint32_t v;
    toksim_error e = {0};
    ts_assert_ok(
        toksim_access_mask_parse(&v, "ADS_RIGHT_DS_CONTROL_ACCESS|RP", TOKSIM_OBJ_DS, &e),
        NULL);
    cr_assert_eq(v, 0x110u);
    ts_expect_cli(
        "sddl --type ds 'D:(A;;RPWPCR;;;WD)'", 0,
        "ADS_RIGHT_DS_READ_PROP|ADS_RIGHT_DS_WRITE_PROP|ADS_RIGHT_DS_CONTROL_ACCESS");
}

/*
 * issue 9: callback object ACEs (MS-DTYP 2.4.4.6 ACCESS_ALLOWED_CALLBACK_OBJECT_ACE 0x0B,
 * SDDL "ZA"; 2.4.4.7 ACCESS_DENIED_CALLBACK_OBJECT_ACE 0x0C, no SDDL letters) are object
 * ACEs with a condition: in AccessCheckByType they are scoped to their object type and
 * apply only when the condition does (2.5.3.2: TRUE applies, FALSE skips, UNKNOWN skips
 * an allow and applies a deny).
 */
static toksim_token *with_claim(const char *spec)
{
    toksim_token *t = tok_new();
    if (spec) {
        toksim_error e = {0};
        toksim_error *ep = &e;
        ts_assert_ok(toksim_token_add_claim_spec(t, spec, ep), ep);
    }
    return t;
}

Test(objtype, callback_object_allow_needs_its_type_and_its_condition)
{
    toksim_sd *sd = sd_of("O:BAG:BAD:(ZA;;WP;" PERSONAL ";;WD;(@User.dept == \"HR\"))");
    toksim_object_type_entry l[] = {entry(0, USER_CLASS), entry(1, PERSONAL),
                                    entry(2, PHONE)};
    toksim_token *hr = with_claim("user:\"dept\",TS,0,\"hr\"");
    run x = by_type(sd, hr, WP, l, 3);
    granted(&x, WP);
    HAS_V(x, "access.ace.condition.true", TOKSIM_V_INFO);
    HAS_V(x, "access.object_type.node", TOKSIM_V_GRANT);
    toksim_trace_dispose(&x.trace);
    /* the condition is FALSE for another department: skipped */
    toksim_token *it = with_claim("user:\"dept\",TS,0,\"IT\"");
    x = by_type(sd, it, WP, l, 3);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS_V(x, "access.ace.condition.false", TOKSIM_V_SKIP);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(it);
    /* UNKNOWN (no claim) skips the allow */
    toksim_token *none = with_claim(NULL);
    x = by_type(sd, none, WP, l, 3);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS_V(x, "access.ace.condition.unknown", TOKSIM_V_SKIP);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(none);
    /* the right condition but another property set asked for: not granted */
    toksim_object_type_entry g[] = {entry(0, USER_CLASS), entry(1, GENERAL)};
    x = by_type(sd, hr, WP, g, 2);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS_V(x, "access.object_type.not_in_list", TOKSIM_V_SKIP);
    toksim_trace_dispose(&x.trace);
    /* a plain AccessCheck: an allow object ACE naming a type grants nothing (as OA) */
    x = check_req(
        sd, hr,
        (toksim_access_request){.desired = WP, .object_type = TOKSIM_OBJ_GENERIC});
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    done(&x, sd, hr);
    /* without an object type, ZA is XA: the condition decides */
    sd = sd_of("O:BAG:BAD:(ZA;;WP;;;WD;(@User.dept == \"HR\"))");
    hr = with_claim("user:\"dept\",TS,0,\"HR\"");
    x = check_req(
        sd, hr,
        (toksim_access_request){.desired = WP, .object_type = TOKSIM_OBJ_GENERIC});
    granted(&x, WP);
    done(&x, sd, hr);
}

/* 0x0C has no SDDL letters: built from binary (a ZA ACE with its type byte changed). */
Test(objtype, callback_object_deny_from_binary)
{
    toksim_sd *za = sd_of("O:BAG:BAD:(ZA;;WP;" PHONE
                          ";;WD;(@User.clearance < 3))(OA;;WP;" PERSONAL ";;WD)");
    uint8_t *bin = NULL;
    size_t n = 0;
    ts_assert_ok(toksim_sd_to_binary(&bin, &n, za), NULL);
    toksim_sd_free(za);
    size_t dacl = (size_t)bin[16] | (size_t)bin[17] << 8; /* OffsetDacl */
    cr_assert_eq(bin[dacl + 8], 0x0B);
    bin[dacl + 8] = 0x0C; /* ACCESS_DENIED_CALLBACK_OBJECT_ACE_TYPE */
    toksim_sd *sd = NULL;
    toksim_error e = {0};
    toksim_error *ep = &e;
    ts_assert_ok(toksim_sd_from_binary(&sd, bin, n, ep), ep);
    free(bin);
    cr_assert_eq(sd->dacl->aces[0].type, TOKSIM_ACE_ACCESS_DENIED_CALLBACK_OBJECT);
    char *cond = NULL; /* SDDL cannot write 0x0C, but its condition reads back */
    ts_assert_ok(toksim_ace_condition_text(&cond, &sd->dacl->aces[0]), NULL);
    cr_assert_str_eq(cond, "@User.clearance < 3");
    free(cond);
    cr_assert_eq(toksim_ace_condition_text(&cond, &sd->dacl->aces[1]), TOKSIM_EINVAL);
    /* the binary form survives a round trip byte for byte */
    uint8_t *b2 = NULL;
    size_t n2 = 0;
    ts_assert_ok(toksim_sd_to_binary(&b2, &n2, sd), NULL);
    cr_assert_eq(n2, n);
    free(b2);
    toksim_object_type_entry l[] = {entry(0, USER_CLASS), entry(1, PERSONAL),
                                    entry(2, PHONE)};
    /* clearance 1: the deny applies to telephoneNumber and its ancestors */
    toksim_token *low = with_claim("user:\"clearance\",TI,0,1");
    run x = by_type(sd, low, WP, l, 3);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS_V(x, "access.ace.condition.true", TOKSIM_V_INFO);
    HAS_V(x, "access.object_type.node", TOKSIM_V_DENY);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(low);
    /* clearance 5: FALSE, skipped; the property set's allow grants */
    toksim_token *high = with_claim("user:\"clearance\",TI,0,5");
    x = by_type(sd, high, WP, l, 3);
    granted(&x, WP);
    toksim_trace_dispose(&x.trace);
    toksim_token_free(high);
    /* no claim: UNKNOWN applies a deny */
    toksim_token *none = with_claim(NULL);
    x = by_type(sd, none, WP, l, 3);
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    HAS_V(x, "access.ace.condition.unknown", TOKSIM_V_INFO);
    toksim_trace_dispose(&x.trace);
    /* a plain AccessCheck: a deny object ACE denies like a plain one, condition first */
    x = check_req(
        sd, none,
        (toksim_access_request){.desired = WP, .object_type = TOKSIM_OBJ_GENERIC});
    denied(&x, TOKSIM_STATUS_ACCESS_DENIED, 5);
    done(&x, sd, none);
}
