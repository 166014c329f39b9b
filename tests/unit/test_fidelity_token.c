/*
 * PURPOSE: fidelity tests of the token object (docs/fidelity-notes.md F-TOK-1, F-TOK-2):
 * the Token type's own GenericMapping and the mandatory label a token object carries.
 * Sources: Wine server/token.c token_type mapping; public access-mask dumps of the Token
 * type; Wine advapi32 test_token_label and test_child_token_sd (run on Windows).
 */
#include "imp_fixtures.h"

#define ALICE "S-1-5-21-1111-2222-3333-1001"
#define ADMIN "S-1-5-21-1111-2222-3333-1002"

/* F-TOK-1: GENERIC_READ/WRITE/EXECUTE of a token map to the Token type's rights, not to
 * winnt.h's TOKEN_READ/WRITE/EXECUTE composites. */
Test(fidelity_token, token_type_generic_mapping)
{
    const toksim_generic_mapping *m = toksim_object_mapping(TOKSIM_OBJ_TOKEN);
    cr_assert_eq(m->read, 0x0002001Au);    /* READ_CONTROL|QUERY_SOURCE|QUERY|DUPLICATE */
    cr_assert_eq(m->write, 0x000201E0u);   /* ...|ADJUST_SESSIONID|DEFAULT|GROUPS|PRIVS */
    cr_assert_eq(m->execute, 0x00020005u); /* READ_CONTROL|IMPERSONATE|ASSIGN_PRIMARY */
    cr_assert_eq(m->all, 0x000F01FFu);
}

/* OpenProcessToken(GENERIC_READ) on one's own token: the handle holds TOKEN_DUPLICATE
 * too, enough for DuplicateTokenEx (with winnt.h's TOKEN_READ it held TOKEN_QUERY only).
 */
Test(fidelity_token, generic_read_open_can_duplicate)
{
    imp_world w = imp_world_new((tk_spec){.user = ALICE}, NULL);
    toksim_token_open_result r;
    toksim_token *tok = NULL;
    ts_assert_ok(toksim_open_process_token(&r, &tok, w.thread, w.proc,
                                           TOKSIM_GENERIC_READ, NULL, NULL),
                 NULL);
    cr_assert(r.api.ok);
    cr_assert_eq(r.granted, 0x0002001Au);
    cr_assert(r.granted & TOKSIM_TOKEN_ACCESS_DUPLICATE);
    toksim_token_free(tok);
    imp_world_free(&w);
}

/* F-TOK-2: the object's SACL holds exactly one label ACE: flags 0, NO_WRITE_UP, the
 * token's own level (test_token_label); a token at another level carries its own level
 * (test_child_token_sd). */
Test(fidelity_token, token_object_carries_its_own_label)
{
    const uint32_t levels[] = {TOKSIM_IL_LOW, TOKSIM_IL_MEDIUM, TOKSIM_IL_HIGH,
                               TOKSIM_IL_SYSTEM};
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        toksim_token *t = tk((tk_spec){.user = ALICE, .il = levels[i]});
        toksim_sd *sd = NULL;
        ts_assert_ok(toksim_token_object_sd(&sd, t), NULL);
        cr_assert(sd->control & TOKSIM_SE_SACL_PRESENT);
        cr_assert_not_null(sd->sacl);
        cr_assert_eq(sd->sacl->count, 1);
        const toksim_ace *ace = &sd->sacl->aces[0];
        cr_assert_eq(ace->type, TOKSIM_ACE_SYSTEM_MANDATORY_LABEL);
        cr_assert_eq(ace->flags, 0);
        cr_assert_eq(ace->mask, TOKSIM_MANDATORY_NO_WRITE_UP);
        cr_assert_eq(toksim_sid_rid(&ace->sid), levels[i]);
        toksim_sd_free(sd);
        toksim_token_free(t);
    }
}

/* A Low-integrity process may open its own (Low) token for TOKEN_ADJUST_PRIVILEGES, as on
 * Windows; without the label the token counted as Medium and the write right was cut. */
Test(fidelity_token, low_process_adjusts_its_own_token)
{
    imp_world w = imp_world_new((tk_spec){.user = ALICE, .il = TOKSIM_IL_LOW}, NULL);
    toksim_token_open_result r;
    toksim_token *tok = NULL;
    uint32_t want = TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES | TOKSIM_TOKEN_ACCESS_QUERY;
    ts_assert_ok(toksim_open_process_token(&r, &tok, w.thread, w.proc, want, NULL, NULL),
                 NULL);
    cr_assert(r.api.ok, "win32 %u", r.api.win32);
    cr_assert_eq(r.granted, want);
    toksim_token_free(tok);
    imp_world_free(&w);
}

/* A Low process opening a Medium token of the same user: the write class stays closed
 * (TOKEN_ADJUST_DEFAULT refused) and the read class open (TOKEN_QUERY granted). */
Test(fidelity_token, low_process_cannot_write_a_medium_token)
{
    imp_world med = imp_world_new((tk_spec){.user = ALICE}, NULL);
    imp_world low = imp_world_new((tk_spec){.user = ALICE, .il = TOKSIM_IL_LOW}, NULL);
    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_token_open_result r;
    toksim_token *tok = NULL;
    ts_assert_ok(toksim_open_process_token(&r, &tok, low.thread, med.proc,
                                           TOKSIM_TOKEN_ACCESS_ADJUST_DEFAULT, NULL, &tr),
                 NULL);
    cr_assert_not(r.api.ok);
    cr_assert_eq(r.api.win32, TOKSIM_ERROR_ACCESS_DENIED);
    cr_assert(imp_trace_has(&tr, "imp.token_object.label"));
    toksim_trace_dispose(&tr);
    ts_assert_ok(toksim_open_process_token(&r, &tok, low.thread, med.proc,
                                           TOKSIM_TOKEN_ACCESS_QUERY, NULL, NULL),
                 NULL);
    cr_assert(r.api.ok);
    toksim_token_free(tok);
    imp_world_free(&low);
    imp_world_free(&med);
}

/* An elevated (High) administrator opens a SYSTEM process token whose DACL lets
 * Administrators in: TOKEN_DUPLICATE|TOKEN_QUERY passes the System label (both are in the
 * Token type's read class; with winnt.h's TOKEN_READ, DUPLICATE was cut); the write class
 * does not (probe p5 of the review). */
Test(fidelity_token, high_admin_duplicates_a_system_token)
{
    toksim_token *systok = tk((tk_spec){.user = "S-1-5-18", .il = TOKSIM_IL_SYSTEM});
    toksim_acl *dacl = NULL;
    ts_assert_ok(toksim_acl_new(&dacl), NULL);
    toksim_sid sys = ts_test_sid("S-1-5-18"), ba = ts_test_sid("S-1-5-32-544");
    ts_assert_ok(
        toksim_acl_add(dacl, TOKSIM_ACE_ACCESS_ALLOWED, 0, TOKSIM_GENERIC_ALL, &sys),
        NULL);
    ts_assert_ok(
        toksim_acl_add(dacl, TOKSIM_ACE_ACCESS_ALLOWED, 0, TOKSIM_GENERIC_ALL, &ba),
        NULL);
    ts_assert_ok(toksim_token_set_default_dacl(systok, dacl), NULL);
    toksim_process *sysproc = NULL;
    cr_assert(toksim_process_new(&sysproc, systok, NULL) == TOKSIM_OK);

    toksim_token *admtok =
        tk((tk_spec){.user = ADMIN, .il = TOKSIM_IL_HIGH, .elevated = true});
    ts_assert_ok(toksim_token_add_group(admtok, &ba, TOKSIM_SE_GROUP_DEFAULT), NULL);
    toksim_process *admproc = NULL;
    toksim_thread *adm = NULL;
    cr_assert(toksim_process_new(&admproc, admtok, NULL) == TOKSIM_OK);
    cr_assert(toksim_thread_new(&adm, admproc) == TOKSIM_OK);

    toksim_trace tr;
    toksim_trace_init(&tr);
    toksim_token_open_result r;
    toksim_token *tok = NULL;
    uint32_t want = TOKSIM_TOKEN_ACCESS_DUPLICATE | TOKSIM_TOKEN_ACCESS_QUERY;
    ts_assert_ok(toksim_open_process_token(&r, &tok, adm, sysproc, want, NULL, &tr),
                 NULL);
    cr_assert(r.api.ok, "win32 %u", r.api.win32);
    cr_assert_eq(r.granted, want);
    cr_assert(imp_trace_has(&tr, "imp.token_object.label"));
    toksim_trace_dispose(&tr);
    toksim_token_free(tok);
    tok = NULL;

    ts_assert_ok(toksim_open_process_token(&r, &tok, adm, sysproc,
                                           TOKSIM_TOKEN_ACCESS_ADJUST_PRIVILEGES, NULL,
                                           NULL),
                 NULL);
    cr_assert_not(r.api.ok);
    cr_assert_null(tok);

    ts_assert_ok(toksim_open_process_token(&r, &tok, adm, sysproc, TOKSIM_MAXIMUM_ALLOWED,
                                           NULL, NULL),
                 NULL);
    cr_assert(r.api.ok);
    cr_assert_eq(r.granted, 0x0002001Fu); /* the read and execute classes */
    toksim_token_free(tok);

    toksim_thread_free(adm);
    toksim_process_free(admproc);
    toksim_token_free(admtok);
    toksim_process_free(sysproc);
    toksim_token_free(systok);
    toksim_acl_free(dacl);
}

/* F-SID-2: the one well-known table names S-1-5-32 "BUILTIN", a domain, not a group. */
Test(fidelity_token, builtin_domain_row)
{
    toksim_sid s = ts_test_sid("S-1-5-32");
    const toksim_wellknown *w = toksim_wellknown_by_sid(&s, NULL);
    cr_assert_not_null(w);
    cr_assert_str_eq(w->name, "BUILTIN");
    cr_assert(w->flags & TOKSIM_WK_DOMAIN);
    cr_assert_not(w->flags & (TOKSIM_WK_GROUP | TOKSIM_WK_ALIAS));
}
