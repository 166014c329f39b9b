/*
 * PURPOSE: what `toksim who-can` hands its renderers (whocan_text.c, whocan_json.c): the
 * query, its answers, the Effective Access tab's answer with the differences per logon
 * type, and one explained answer. Rendering only: every value comes from libtoksim.
 */
#ifndef TOKSIM_CLI_WHOCAN_VIEW_H
#define TOKSIM_CLI_WHOCAN_VIEW_H

#include "cli.h"

typedef struct wc_view {
    toksim_world *world;
    const toksim_whocan_query *q;
    const char *object; /* --path, or "(--sddl)"; NULL for privileges and logon rights */
    const char *right_name; /* --privilege / --logon-right */
    const toksim_whocan_result *res;
    /* --effective */
    bool effective;
    const toksim_whocan_tab *tab;
    const toksim_trace *diffs; /* one per answer of res */
    /* --explain */
    bool explain;
    bool ex_found;
    const toksim_whocan_answer *ex_answer;
    const toksim_trace *ex_trace;
    const char *ex_name;
} wc_view;

int whocan_render_text(const wc_view *v);
int whocan_render_json(const wc_view *v);

/* Shared by both renderers: "0x%08X" plus the names of the bits for the object type. */
void wc_mask_text(char *buf, size_t n, uint32_t mask, const wc_view *v);
/* The sentence of one reason (its rule's template, accounts named by the world). */
void wc_reason_text(char *buf, size_t n, const toksim_whocan_reason *r, const wc_view *v);
/* The principal's display name. */
void wc_name(char *buf, size_t n, const toksim_sid *sid, const wc_view *v);

#endif
