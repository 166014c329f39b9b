/*
 * PURPOSE: `toksim triage --format text`: the error in its forms, the impersonation test
 * on the stated facts, then each possible cause (most likely first) with its state, the
 * rule that produces the error, what the capture showed and how to confirm it.
 */
#include <string.h>
#include "triage_view.h"

/* The test's events name two users: the caller (as the capture names it) and the
 * client as described (the model's stand-in token for it). */
static size_t namer(char *buf, size_t n, const toksim_sid *sid, void *payload)
{
    const triage_input *in = payload;
    if (toksim_sid_equal(sid, toksim_token_user(in->req->caller))) {
        if (in->user_name)
            return (size_t)snprintf(buf, n, "%s", in->user_name);
        return toksim_sid_display_name(buf, n, sid, in->ctx);
    }
    return (size_t)snprintf(buf, n, "the client");
}

static void line(const char *label, const char *value)
{
    printf("%s", label);
    cli_put_text(value);
    printf("\n");
}

int triage_print_text(const toksim_triage *t, const triage_input *in)
{
    char sid[TOKSIM_SID_STRING_MAX], buf[TOKSIM_ERROR_MESSAGE_SIZE];
    toksim_sid_format(sid, sizeof sid, toksim_token_user(in->req->caller));
    line("Token:    ", in->token_from);
    printf("Caller:   %s%s%s\n", in->user_name ? in->user_name : "",
           in->user_name ? " " : "", sid);
    printf("API:      %s\n", toksim_triage_api_name(t->api));
    printf("Error:    %s (%u, HRESULT 0x%08X; read as %s", t->name, (unsigned)t->win32,
           (unsigned)t->hresult, t->read_as);
    if (t->win32 && t->hresult == t->error)
        printf(": 0x%08X = HRESULT_FROM_WIN32(%u)", (unsigned)t->error,
               (unsigned)t->win32);
    printf(")\n");
    if (t->model_ran) {
        const toksim_rule_info *ri = toksim_rule_get(t->model.rule);
        printf("Model:    the impersonation test on the stated facts %s at %s (%s)\n",
               t->model.allowed ? "allows the client" : "refuses and downgrades",
               toksim_imp_level_name(t->model.level), ri ? ri->id : "?");
        for (size_t i = 0; i < in->trace->count; i++) {
            const toksim_trace_event *e = &in->trace->events[i];
            if (e->depth < 1)
                continue;
            toksim_trace_event_text(buf, sizeof buf, e, namer, (void *)in);
            printf("            ");
            cli_put_text(buf);
            printf("\n");
        }
    }
    if (!t->count) {
        printf("\nThe model knows no cause of %s for %s.\n", t->name,
               toksim_triage_api_name(t->api));
        return EXIT_OK;
    }
    printf("\nPossible causes, most likely first:\n");
    for (size_t i = 0; i < t->count; i++) {
        const toksim_triage_cause *c = &t->causes[i];
        const toksim_rule_info *ri = toksim_rule_get(c->rule);
        printf("\n%zu. [%s] %s%s\n", i + 1, toksim_triage_state_name(c->state), c->id,
               c->unconfirmed ? " (UNCONFIRMED rule)" : "");
        line("   ", c->title);
        printf("   rule:     %s\n", ri ? ri->id : "?");
        line("   capture:  ", c->evidence);
        line("   likely:   ", c->reason);
        line("   confirm:  ", c->confirm);
    }
    return EXIT_OK;
}
