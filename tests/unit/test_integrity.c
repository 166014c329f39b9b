/*
 * PURPOSE: mandatory integrity control in the access check (windows-model §3.5): which
 * rights each label policy removes from a lower-integrity token, bit by bit, for file
 * objects (mapping R 0x120089, W 0x120116, X 0x1200A0), plus the policy-off, relabel and
 * AppContainer rules.
 */
#include "../helpers.h"

#define USER            "S-1-5-21-1-2-3-1001"
#define FILE_READ_DATA  0x1u
#define FILE_WRITE_DATA 0x2u
#define FILE_EXECUTE    0x20u
#define FILE_ALL        0x1F01FFu

static toksim_sd *sd_labeled(int il, uint32_t policy)
{
    toksim_sd *sd;
    ts_assert_ok(toksim_sd_new(&sd), NULL);
    sd->has_owner = sd->has_group = true;
    sd->owner = sd->group = ts_test_sid("S-1-5-32-544");
    sd->control = TOKSIM_SE_DACL_PRESENT;
    ts_assert_ok(toksim_acl_new(&sd->dacl), NULL);
    toksim_sid wd = ts_test_sid("S-1-1-0");
    ts_assert_ok(toksim_acl_add(sd->dacl, TOKSIM_ACE_ACCESS_ALLOWED, 0,
                                FILE_ALL | TOKSIM_ACCESS_SYSTEM_SECURITY, &wd),
                 NULL);
    if (il >= 0) {
        sd->control |= TOKSIM_SE_SACL_PRESENT;
        ts_assert_ok(toksim_acl_new(&sd->sacl), NULL);
        uint32_t rid = (uint32_t)il;
        toksim_sid s;
        ts_assert_ok(toksim_sid_make(&s, 16, &rid, 1), NULL);
        ts_assert_ok(
            toksim_acl_add(sd->sacl, TOKSIM_ACE_SYSTEM_MANDATORY_LABEL, 0, policy, &s),
            NULL);
    }
    return sd;
}

static toksim_token *tok_at(uint32_t il)
{
    toksim_sid u = ts_test_sid(USER), wd = ts_test_sid("S-1-1-0");
    toksim_token *t;
    ts_assert_ok(toksim_token_new(&t, &u), NULL);
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    ts_assert_ok(toksim_token_add_group(t, &wd, TOKSIM_SE_GROUP_DEFAULT), NULL);
    ts_assert_ok(toksim_token_set_integrity(t, il), NULL);
    return t;
}

/* Run a file check; returns the result and whether rule `id` (may be NULL) was traced as
 * a denial. */
static toksim_access_result run(const toksim_sd *sd,
                                const toksim_token *t,
                                uint32_t desired,
                                const char *id,
                                bool *traced)
{
    toksim_access_request req = {0};
    req.desired = desired;
    req.object_type = TOKSIM_OBJ_FILE;
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_access_result r;
    ts_assert_ok(toksim_access_check(&r, sd, t, &req, &tr), NULL);
    if (traced) {
        *traced = false;
        const toksim_rule_info *ri = toksim_rule_by_id(id);
        cr_assert_not_null(ri);
        for (size_t i = 0; i < tr.count; i++)
            if (tr.events[i].rule == ri->rule)
                *traced = true;
    }
    toksim_trace_dispose(&tr);
    return r;
}

static bool allowed(const toksim_sd *sd, const toksim_token *t, uint32_t desired)
{
    return run(sd, t, desired, NULL, NULL).granted_all;
}

Test(integrity, no_write_up_bit_by_bit)
{
    toksim_sd *sd = sd_labeled(TOKSIM_IL_MEDIUM, TOKSIM_MANDATORY_NO_WRITE_UP);
    toksim_token *t = tok_at(TOKSIM_IL_LOW);
    /* Kept: read and execute classes, and the standard rights they contain. */
    cr_assert(allowed(sd, t, FILE_READ_DATA));
    cr_assert(allowed(sd, t, FILE_EXECUTE));
    cr_assert(allowed(sd, t, TOKSIM_READ_CONTROL));
    cr_assert(allowed(sd, t, TOKSIM_SYNCHRONIZE));
    /* Removed: write class and the write-only standard rights. */
    bool nw;
    cr_assert_not(run(sd, t, FILE_WRITE_DATA, "access.mic.no_write_up", &nw).granted_all);
    cr_assert(nw);
    cr_assert_not(allowed(sd, t, 0x4));   /* FILE_APPEND_DATA */
    cr_assert_not(allowed(sd, t, 0x100)); /* FILE_WRITE_ATTRIBUTES */
    cr_assert_not(allowed(sd, t, TOKSIM_DELETE));
    cr_assert_not(allowed(sd, t, TOKSIM_WRITE_DAC));
    cr_assert_not(allowed(sd, t, TOKSIM_WRITE_OWNER));
    toksim_sd_free(sd);
    toksim_token_free(t);
}

Test(integrity, no_read_up_keeps_rights_shared_with_write)
{
    toksim_sd *sd = sd_labeled(TOKSIM_IL_MEDIUM, TOKSIM_MANDATORY_NO_READ_UP);
    toksim_token *t = tok_at(TOKSIM_IL_LOW);
    bool nr;
    cr_assert_not(run(sd, t, FILE_READ_DATA, "access.mic.no_read_up", &nr).granted_all);
    cr_assert(nr);
    cr_assert_not(allowed(sd, t, 0x8));  /* FILE_READ_EA */
    cr_assert_not(allowed(sd, t, 0x80)); /* FILE_READ_ATTRIBUTES */
    /* READ_CONTROL and SYNCHRONIZE are in FILE_GENERIC_WRITE too, which stays open. */
    cr_assert(allowed(sd, t, TOKSIM_READ_CONTROL));
    cr_assert(allowed(sd, t, TOKSIM_SYNCHRONIZE));
    cr_assert(allowed(sd, t, FILE_WRITE_DATA)); /* no NW bit in this label */
    cr_assert(allowed(sd, t, FILE_EXECUTE));
    toksim_sd_free(sd);
    toksim_token_free(t);
}

Test(integrity, no_execute_up)
{
    toksim_sd *sd = sd_labeled(TOKSIM_IL_HIGH, TOKSIM_MANDATORY_NO_EXECUTE_UP |
                                                   TOKSIM_MANDATORY_NO_WRITE_UP);
    toksim_token *t = tok_at(TOKSIM_IL_MEDIUM);
    bool nx;
    cr_assert_not(run(sd, t, FILE_EXECUTE, "access.mic.no_execute_up", &nx).granted_all);
    cr_assert(nx);
    cr_assert(allowed(sd, t, FILE_READ_DATA));
    cr_assert(allowed(sd, t, TOKSIM_SYNCHRONIZE)); /* also in FILE_GENERIC_READ */
    cr_assert_not(allowed(sd, t, FILE_WRITE_DATA));
    toksim_sd_free(sd);
    toksim_token_free(t);
}

Test(integrity, all_three_policies)
{
    toksim_sd *sd = sd_labeled(TOKSIM_IL_SYSTEM, 0x7);
    toksim_token *t = tok_at(TOKSIM_IL_HIGH);
    cr_assert_not(allowed(sd, t, FILE_READ_DATA));
    cr_assert_not(allowed(sd, t, FILE_EXECUTE));
    cr_assert_not(allowed(sd, t, FILE_WRITE_DATA));
    cr_assert_not(allowed(sd, t, TOKSIM_READ_CONTROL));
    cr_assert_not(allowed(sd, t, TOKSIM_SYNCHRONIZE));
    toksim_sd_free(sd);
    toksim_token_free(t);
}

Test(integrity, equal_or_higher_token_passes)
{
    toksim_sd *sd = sd_labeled(TOKSIM_IL_HIGH, 0x7);
    toksim_token *t = tok_at(TOKSIM_IL_HIGH);
    cr_assert(allowed(sd, t, FILE_ALL));
    toksim_token_free(t);
    t = tok_at(TOKSIM_IL_SYSTEM);
    cr_assert(allowed(sd, t, FILE_ALL));
    toksim_sd_free(sd);
    toksim_token_free(t);
}

Test(integrity, policy_off_skips_the_check)
{
    toksim_sd *sd = sd_labeled(TOKSIM_IL_HIGH, TOKSIM_MANDATORY_NO_WRITE_UP);
    toksim_token *t = tok_at(TOKSIM_IL_LOW);
    cr_assert_not(allowed(sd, t, FILE_WRITE_DATA));
    toksim_token_set_mandatory_policy(t, TOKSIM_TOKEN_MANDATORY_POLICY_OFF);
    bool off;
    cr_assert(run(sd, t, FILE_WRITE_DATA, "access.mic.policy_off", &off).granted_all);
    cr_assert(off);
    toksim_sd_free(sd);
    toksim_token_free(t);
}

Test(integrity, relabel_privilege_lets_write_owner_through)
{
    toksim_sd *sd = sd_labeled(TOKSIM_IL_HIGH, TOKSIM_MANDATORY_NO_WRITE_UP);
    toksim_token *t = tok_at(TOKSIM_IL_MEDIUM);
    cr_assert_not(allowed(sd, t, TOKSIM_WRITE_OWNER));
    ts_assert_ok(
        toksim_token_set_privilege(t, TOKSIM_PRIV_RELABEL, TOKSIM_SE_PRIVILEGE_ENABLED),
        NULL);
    bool rl;
    cr_assert(run(sd, t, TOKSIM_WRITE_OWNER, "access.priv.relabel", &rl).granted_all);
    cr_assert(rl);
    cr_assert_not(allowed(sd, t, TOKSIM_WRITE_DAC));
    toksim_sd_free(sd);
    toksim_token_free(t);
}

Test(integrity, appcontainer_exception_above_medium)
{
    toksim_sd *high = sd_labeled(TOKSIM_IL_HIGH, TOKSIM_MANDATORY_NO_WRITE_UP);
    toksim_sd *med = sd_labeled(TOKSIM_IL_MEDIUM, TOKSIM_MANDATORY_NO_WRITE_UP);
    toksim_token *t = tok_at(TOKSIM_IL_LOW);
    toksim_token_set_appcontainer(t, true);
    bool ex;
    cr_assert(run(high, t, FILE_WRITE_DATA, "access.mic.appcontainer_exception", &ex)
                  .granted_all);
    cr_assert(ex);
    cr_assert_not(allowed(med, t, FILE_WRITE_DATA));
    toksim_sd_free(high);
    toksim_sd_free(med);
    toksim_token_free(t);
}

Test(integrity, inherit_only_label_does_not_apply)
{
    toksim_sd *sd = sd_labeled(-1, 0);
    ts_assert_ok(toksim_acl_new(&sd->sacl), NULL);
    sd->control |= TOKSIM_SE_SACL_PRESENT;
    toksim_sid hi = ts_test_sid("S-1-16-12288");
    ts_assert_ok(toksim_acl_add(sd->sacl, TOKSIM_ACE_SYSTEM_MANDATORY_LABEL,
                                TOKSIM_INHERIT_ONLY_ACE | TOKSIM_OBJECT_INHERIT_ACE, 0x7,
                                &hi),
                 NULL);
    toksim_token *t = tok_at(TOKSIM_IL_MEDIUM);
    bool unl;
    cr_assert(run(sd, t, FILE_READ_DATA | FILE_WRITE_DATA, "access.mic.unlabeled", &unl)
                  .granted_all);
    cr_assert(unl);
    toksim_sd_free(sd);
    toksim_token_free(t);
}

Test(integrity, maximum_allowed_is_capped)
{
    toksim_sd *sd = sd_labeled(-1, 0);
    toksim_token *t = tok_at(TOKSIM_IL_LOW);
    toksim_access_result r = run(sd, t, TOKSIM_MAXIMUM_ALLOWED, NULL, NULL);
    cr_assert(r.granted_all);
    cr_assert_eq(r.granted, 0x1200A9u, "granted 0x%x",
                 r.granted); /* FILE_GENERIC_READ | FILE_GENERIC_EXECUTE */
    toksim_sd_free(sd);
    toksim_token_free(t);
}

Test(integrity, system_security_is_write_class)
{
    /* A lower token never gets ACCESS_SYSTEM_SECURITY past NO_WRITE_UP, privilege or not.
     */
    toksim_sd *sd = sd_labeled(-1, 0);
    toksim_token *t = tok_at(TOKSIM_IL_LOW);
    ts_assert_ok(
        toksim_token_set_privilege(t, TOKSIM_PRIV_SECURITY, TOKSIM_SE_PRIVILEGE_ENABLED),
        NULL);
    toksim_access_result r = run(sd, t, TOKSIM_ACCESS_SYSTEM_SECURITY, NULL, NULL);
    cr_assert_not(r.granted_all);
    cr_assert_eq(r.ntstatus, TOKSIM_STATUS_ACCESS_DENIED);
    toksim_token_free(t);
    t = tok_at(TOKSIM_IL_MEDIUM);
    ts_assert_ok(
        toksim_token_set_privilege(t, TOKSIM_PRIV_SECURITY, TOKSIM_SE_PRIVILEGE_ENABLED),
        NULL);
    cr_assert(allowed(sd, t, TOKSIM_ACCESS_SYSTEM_SECURITY));
    toksim_sd_free(sd);
    toksim_token_free(t);
}

Test(integrity, token_without_label_counts_as_untrusted)
{
    toksim_sd *sd = sd_labeled(-1, 0);
    toksim_sid u = ts_test_sid(USER), wd = ts_test_sid("S-1-1-0");
    toksim_token *t;
    ts_assert_ok(toksim_token_new(&t, &u), NULL);
    toksim_token_set_type(t, TOKSIM_TOKEN_IMPERSONATION, TOKSIM_IMP_IMPERSONATION);
    ts_assert_ok(toksim_token_add_group(t, &wd, TOKSIM_SE_GROUP_DEFAULT), NULL);
    cr_assert(allowed(sd, t, FILE_READ_DATA));
    cr_assert_not(allowed(sd, t, FILE_WRITE_DATA));
    toksim_sd_free(sd);
    toksim_token_free(t);
}
