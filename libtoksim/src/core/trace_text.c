/*
 * PURPOSE: render a trace event as a sentence from its rule's template (rules_*.inc).
 * This is the only place where trace data becomes words; front ends choose the SID namer
 * (a scenario's namer knows its world's account names).
 *
 * Placeholders: {sid} {sid2} {mask} {priv} {index} {a} {b} {level_a} {level_b} {il_a}
 * {il_b} {logon_a} {logon_b} {status} {text}. An unknown placeholder is copied through
 * unchanged so a template mistake is visible, never silently dropped.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* SECURITY_LOGON_TYPE values (event 4624 documentation). */
static const char *logon_name(int64_t v)
{
    switch (v) {
    case 2:
        return "Interactive";
    case 3:
        return "Network";
    case 4:
        return "Batch";
    case 5:
        return "Service";
    case 7:
        return "Unlock";
    case 8:
        return "NetworkCleartext";
    case 9:
        return "NewCredentials";
    case 10:
        return "RemoteInteractive";
    case 11:
        return "CachedInteractive";
    }
    return NULL;
}

static void
put_sid(ts_buf *b, const toksim_sid *sid, bool has, toksim_sid_namer namer, void *payload)
{
    char name[256];
    if (!has) {
        ts_buf_append(b, "(nobody)");
        return;
    }
    if (namer)
        namer(name, sizeof name, sid, payload);
    else
        toksim_sid_display_name(name, sizeof name, sid, NULL);
    ts_buf_append(b, name);
}

/* The status field holds a Win32 code (below 0x10000) or an NTSTATUS/HRESULT. */
static void put_status(ts_buf *b, uint32_t status)
{
    const toksim_code_info *ci = status < 0x10000u ? toksim_code_by_win32(status)
                                                   : toksim_code_by_ntstatus(status);
    if (!ci && status >= 0x10000u)
        ci = toksim_code_by_hresult(status);
    if (status < 0x10000u) {
        if (ci)
            ts_buf_printf(b, "%s (%u, HRESULT 0x%08X)", ci->name, status,
                          toksim_hresult_from_win32(status));
        else
            ts_buf_printf(b, "error %u", status);
    } else if (ci && ci->kind == TOKSIM_CODE_WIN32) {
        ts_buf_printf(b, "%s (0x%08X)", ci->nt_name, status);
    } else if (ci) {
        ts_buf_printf(b, "%s (0x%08X)", ci->name, status);
    } else {
        ts_buf_printf(b, "0x%08X", status);
    }
}

static bool put_placeholder(ts_buf *b,
                            const char *name,
                            size_t n,
                            const toksim_trace_event *ev,
                            toksim_sid_namer namer,
                            void *payload)
{
#define IS(s) (n == sizeof(s) - 1 && memcmp(name, s, n) == 0)
    if (IS("sid")) {
        put_sid(b, &ev->sid, ev->has_sid, namer, payload);
    } else if (IS("sid2")) {
        put_sid(b, &ev->sid2, ev->has_sid2, namer, payload);
    } else if (IS("mask")) {
        ts_buf_printf(b, "0x%X", ev->mask);
    } else if (IS("priv")) {
        const toksim_privilege_info *pi = toksim_privilege_by_luid(ev->privilege);
        if (pi)
            ts_buf_append(b, pi->name);
        else
            ts_buf_printf(b, "privilege %u", ev->privilege);
    } else if (IS("index")) {
        ts_buf_printf(b, "%d", ev->index);
    } else if (IS("a") || IS("b")) {
        ts_buf_printf(b, "%lld", (long long)(name[0] == 'a' ? ev->a : ev->b));
    } else if (IS("level_a") || IS("level_b")) {
        ts_buf_append(
            b, toksim_imp_level_name((toksim_imp_level)(name[6] == 'a' ? ev->a : ev->b)));
    } else if (IS("il_a") || IS("il_b")) {
        int64_t v = name[3] == 'a' ? ev->a : ev->b;
        const char *s =
            v >= 0 && v <= 0xFFFFFFFF ? toksim_integrity_name((uint32_t)v) : NULL;
        if (s)
            ts_buf_append(b, s);
        else
            ts_buf_printf(b, "integrity 0x%llX", (long long)v);
    } else if (IS("logon_a") || IS("logon_b")) {
        int64_t v = name[6] == 'a' ? ev->a : ev->b;
        const char *s = logon_name(v);
        if (s)
            ts_buf_append(b, s);
        else
            ts_buf_printf(b, "logon type %lld", (long long)v);
    } else if (IS("status")) {
        put_status(b, ev->status);
    } else if (IS("text")) {
        ts_buf_appendn(b, ev->text, strnlen(ev->text, sizeof ev->text));
    } else {
        return false;
    }
    return true;
#undef IS
}

size_t toksim_trace_event_text(char *buf,
                               size_t n,
                               const toksim_trace_event *ev,
                               toksim_sid_namer namer,
                               void *payload)
{
    ts_buf b = {0};
    const toksim_rule_info *ri = toksim_rule_get(ev->rule);
    const char *t = (ri->sentence && *ri->sentence) ? ri->sentence : ri->summary;
    while (*t) {
        const char *open = strchr(t, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            ts_buf_append(&b, t);
            break;
        }
        ts_buf_appendn(&b, t, (size_t)(open - t));
        if (!put_placeholder(&b, open + 1, (size_t)(close - open - 1), ev, namer,
                             payload))
            ts_buf_appendn(&b, open, (size_t)(close - open + 1));
        t = close + 1;
    }
    size_t len = b.failed ? 0 : b.len;
    if (n) {
        size_t c = len < n - 1 ? len : n - 1;
        if (c)
            memcpy(buf, b.data, c);
        buf[c] = '\0';
    }
    ts_buf_dispose(&b);
    return len;
}
