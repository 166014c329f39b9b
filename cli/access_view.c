/*
 * PURPOSE: how the CLI shows the result of one access check, for every command that runs
 * one
 * (`toksim access`, `toksim token --check`): the same text lines and the same JSON
 * members everywhere, so a script written against one command reads the other.
 * Presentation only: the verdict, the codes and the trace sentences are libtoksim's.
 */
#include <cJSON.h>
#include <string.h>
#include "cli.h"

/* Symbolic Win32 name, or the number when the catalog does not know it. */
static const char *win32_text(uint32_t w, char *buf, size_t n)
{
    const char *s = toksim_win32_name(w);
    if (s)
        return s;
    snprintf(buf, n, "%u", w);
    return buf;
}

/* Symbolic NTSTATUS name, "" when the catalog does not know it. */
static const char *nt_text(uint32_t nt)
{
    if (nt == TOKSIM_STATUS_SUCCESS)
        return "STATUS_SUCCESS";
    const toksim_code_info *ci = toksim_code_by_ntstatus(nt);
    return ci && ci->nt_name ? ci->nt_name : "";
}

static size_t namer(char *buf, size_t n, const toksim_sid *sid, void *payload)
{
    return toksim_sid_display_name(buf, n, sid, payload);
}

cJSON *cli_access_result_json(const toksim_access_result *r)
{
    char buf[32], nb[16];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cli_hex32(buf, sizeof buf, r->granted);
    cJSON_AddStringToObject(o, "granted", buf);
    cJSON_AddStringToObject(o, "status", win32_text(r->win32, nb, sizeof nb));
    cJSON_AddNumberToObject(o, "win32", r->win32);
    cli_hex32(buf, sizeof buf, r->ntstatus);
    cJSON_AddStringToObject(o, "ntstatus", buf);
    cJSON_AddStringToObject(o, "ntstatus_name", nt_text(r->ntstatus));
    return o;
}

/* "0x%08X" without printf (the batch writes two per case). */
static char *hex32(char *p, uint32_t v)
{
    *p++ = '0';
    *p++ = 'x';
    for (int i = 7; i >= 0; i--)
        *p++ = "0123456789ABCDEF"[(v >> (4 * i)) & 0xF];
    return p;
}

void cli_access_result_write(cli_jbuf *b, const toksim_access_result *r)
{
    char nb[16], buf[64];
    cli_jbuf_cstr(b, ",\"granted\":\"");
    cli_jbuf_raw(b, buf, (size_t)(hex32(buf, r->granted) - buf));
    cli_jbuf_cstr(b, "\",\"status\":");
    cli_jbuf_str(b, win32_text(r->win32, nb, sizeof nb));
    char *p = buf + sizeof buf, *e = p; /* win32 in decimal, as %u */
    uint32_t w = r->win32;
    do
        *--p = (char)('0' + w % 10);
    while (w /= 10);
    cli_jbuf_cstr(b, ",\"win32\":");
    cli_jbuf_raw(b, p, (size_t)(e - p));
    cli_jbuf_cstr(b, ",\"ntstatus\":\"");
    cli_jbuf_raw(b, buf, (size_t)(hex32(buf, r->ntstatus) - buf));
    cli_jbuf_cstr(b, "\",\"ntstatus_name\":");
    cli_jbuf_str(b, nt_text(r->ntstatus));
}

static cJSON *event_json(const toksim_trace_event *e, const toksim_sid_context *ctx)
{
    char buf[32], line[1024];
    cJSON *ev = cJSON_CreateObject();
    const toksim_rule_info *ri = toksim_rule_get(e->rule);
    cJSON_AddStringToObject(ev, "rule", ri ? ri->id : "");
    cJSON_AddStringToObject(ev, "verdict", toksim_verdict_name(e->verdict));
    toksim_trace_event_text(line, sizeof line, e, namer, (void *)ctx);
    cJSON_AddStringToObject(ev, "text", line);
    if (e->index >= 0)
        cJSON_AddNumberToObject(ev, "index", e->index);
    if (e->mask) {
        cli_hex32(buf, sizeof buf, e->mask);
        cJSON_AddStringToObject(ev, "mask", buf);
    }
    if (e->has_sid) {
        char s[TOKSIM_SID_STRING_MAX];
        toksim_sid_format(s, sizeof s, &e->sid);
        cJSON_AddStringToObject(ev, "sid", s);
    }
    if (e->privilege) {
        const toksim_privilege_info *p = toksim_privilege_by_luid(e->privilege);
        cJSON_AddStringToObject(ev, "privilege", p ? p->name : "?");
    }
    if (e->status) {
        cli_hex32(buf, sizeof buf, e->status);
        cJSON_AddStringToObject(ev, "status", buf);
    }
    if (e->depth)
        cJSON_AddNumberToObject(ev, "depth", e->depth);
    return ev;
}

static int print_json(const toksim_access_result *r,
                      uint32_t desired,
                      const toksim_trace *tr,
                      const toksim_sid_context *ctx)
{
    char buf[32];
    cJSON *o = cli_access_result_json(r);
    if (!o)
        return EXIT_INTERNAL;
    cJSON_AddBoolToObject(o, "granted_all", r->granted_all);
    cJSON_AddBoolToObject(o, "call_ok", r->api_ok);
    cli_hex32(buf, sizeof buf, desired);
    cJSON_AddStringToObject(o, "desired", buf);
    cli_hex32(buf, sizeof buf, r->missing);
    cJSON_AddStringToObject(o, "missing", buf);
    cJSON *privs = cJSON_AddArrayToObject(o, "privileges_used");
    for (uint32_t l = 0; l < 64; l++) {
        const toksim_privilege_info *p = toksim_privilege_by_luid(l);
        if ((r->privileges_used & ((uint64_t)1 << l)) && p)
            cJSON_AddItemToArray(privs, cJSON_CreateString(p->name));
    }
    cJSON *arr = cJSON_AddArrayToObject(o, "trace");
    for (size_t i = 0; i < tr->count; i++)
        cJSON_AddItemToArray(arr, event_json(&tr->events[i], ctx));
    if (tr->truncated)
        cJSON_AddBoolToObject(o, "trace_truncated", true);
    return cli_print_json(o);
}

static void print_text(const toksim_access_result *r,
                       uint32_t desired,
                       toksim_object_type ot,
                       const toksim_trace *tr,
                       const toksim_sid_context *ctx)
{
    char names[512], nb[16];
    const char *nt = nt_text(r->ntstatus);
    printf("access:  %s\n", r->api_ok && r->granted_all ? "granted" : "denied");
    toksim_access_mask_describe(names, sizeof names, desired, ot);
    printf("desired: 0x%08X (%s)\n", desired, names);
    toksim_access_mask_describe(names, sizeof names, r->granted, ot);
    printf("granted: 0x%08X%s%s%s\n", r->granted, r->granted ? " (" : "",
           r->granted ? names : "", r->granted ? ")" : "");
    printf("status:  %s%s0x%08X (Win32 %u %s)%s\n", nt, nt[0] ? " " : "", r->ntstatus,
           r->win32, win32_text(r->win32, nb, sizeof nb),
           r->api_ok ? "" : " -- the call itself failed");
    if (r->privileges_used) {
        printf("privileges used:");
        for (uint32_t l = 0; l < 64; l++)
            if (r->privileges_used & ((uint64_t)1 << l)) {
                const toksim_privilege_info *p = toksim_privilege_by_luid(l);
                printf(" %s", p ? p->name : "?");
            }
        printf("\n");
    }
    printf("trace:\n");
    for (size_t i = 0; i < tr->count; i++) {
        char line[1024];
        toksim_trace_event_text(line, sizeof line, &tr->events[i], namer, (void *)ctx);
        printf("  %*s[%s] %s\n", 2 * tr->events[i].depth, "",
               toksim_verdict_name(tr->events[i].verdict), line);
    }
    if (tr->truncated)
        printf("  (trace truncated)\n");
}

int cli_print_access(const toksim_access_result *r,
                     uint32_t desired,
                     toksim_object_type ot,
                     const toksim_trace *tr,
                     const toksim_sid_context *ctx,
                     bool json)
{
    if (json)
        return print_json(r, desired, tr, ctx);
    print_text(r, desired, ot, tr, ctx);
    return EXIT_OK;
}
