/*
 * PURPOSE: the policy what-if engine (toksim/diff.h). Two security templates are compared
 * as user rights applied to an OS profile (who gains, who loses each right, at which
 * template line), and every scenario is replayed under each (the template applied as a
 * GPO over the scenario's world, toksim_scenario_run_policy()); a step differs when what
 * Windows would answer differs (success, HTTP, Win32/NTSTATUS/HRESULT, WBEM, granted
 * mask, impersonation level). Each differing step is attributed to the first decision of
 * its trace that differs and to the rights that differ in the scenario's world and that
 * its decisions looked at (a privilege an event names; all differing rights when no
 * event names one), each with its template line. Rendering is in diff_render.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/diff_int.h"
#include "scenario/render_int.h"
#include "scenario/world_glue.h"
#include "toksim/policy.h"
#include "toksim/world.h"

void ts_diff_outcome_of(ts_diff_outcome *o, const toksim_step_result *r)
{
    memset(o, 0, sizeof *o);
    o->ok = r->ok;
    o->win32 = r->win32;
    o->ntstatus = r->ntstatus;
    o->hresult = r->hresult;
    o->has_http = r->has_http;
    o->http = r->http;
    o->has_wbem = r->has_wbem;
    o->wbem = r->wbem;
    o->has_granted = r->has_granted;
    o->granted = r->granted;
    o->has_level = r->has_level;
    o->level = r->level;
    ts_result_error_name(o->error, sizeof o->error, r);
    ts_render_outcome(o->text, sizeof o->text, r);
    snprintf(o->summary, sizeof o->summary, "%s", r->summary ? r->summary : "");
}

/* The fields of the outcome that differ, as a list ("ok,http,level"). */
static void
changed_fields(char *buf, size_t n, const ts_diff_outcome *a, const ts_diff_outcome *b)
{
    buf[0] = '\0';
    size_t at = 0;
#define FIELD(cond, name)                                                                \
    if (cond)                                                                            \
    at += (size_t)snprintf(buf + at, at < n ? n - at : 0, "%s%s", at ? "," : "", name)
    FIELD(a->ok != b->ok, "ok");
    FIELD(a->has_http != b->has_http || (a->has_http && a->http != b->http), "http");
    FIELD(a->win32 != b->win32, "win32");
    FIELD(a->ntstatus != b->ntstatus, "ntstatus");
    FIELD(a->hresult != b->hresult, "hresult");
    FIELD(a->has_wbem != b->has_wbem || (a->has_wbem && a->wbem != b->wbem), "wbem");
    FIELD(a->has_granted != b->has_granted ||
              (a->has_granted && a->granted != b->granted),
          "granted");
    FIELD(a->has_level != b->has_level || (a->has_level && a->level != b->level),
          "impersonation_level");
#undef FIELD
    if (at >= n && n)
        buf[n - 1] = '\0';
}

static bool same_holders(const toksim_policy *a, const toksim_policy *b, uint32_t right)
{
    size_t na = 0, nb = 0;
    const toksim_sid *ha = toksim_policy_holders(a, right, &na);
    const toksim_sid *hb = toksim_policy_holders(b, right, &nb);
    for (size_t i = 0; i < na; i++)
        if (!toksim_policy_has(b, right, &ha[i]))
            return false;
    for (size_t i = 0; i < nb; i++)
        if (!toksim_policy_has(a, right, &hb[i]))
            return false;
    return true;
}

static toksim_status sid_list(ts_diff_sids *out,
                              const toksim_policy *from,
                              const toksim_policy *notin,
                              uint32_t right)
{
    size_t n = 0;
    const toksim_sid *h = toksim_policy_holders(from, right, &n);
    out->v = ts_calloc(n ? n : 1, sizeof *out->v);
    if (!out->v)
        return TOKSIM_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (!toksim_policy_has(notin, right, &h[i]))
            out->v[out->n++] = h[i];
    return TOKSIM_OK;
}

/* Every right whose holders differ between a and b, appended to *v. */
static toksim_status compare_rights(ts_diff_right **v,
                                    size_t *nv,
                                    const toksim_policy *a,
                                    const toksim_policy *b,
                                    const toksim_policy *ta,
                                    const toksim_policy *tb)
{
    for (size_t i = 0; i < toksim_right_count(); i++) {
        const toksim_right_info *ri = toksim_right_at(i);
        if (same_holders(a, b, ri->right))
            continue;
        ts_diff_right *nvv = realloc(*v, (*nv + 1) * sizeof **v);
        if (!nvv)
            return TOKSIM_ENOMEM;
        *v = nvv;
        ts_diff_right *r = &(*v)[(*nv)++];
        memset(r, 0, sizeof *r);
        r->right = ri->right;
        r->name = ri->name;
        r->line_a = toksim_policy_source_line(ta, ri->right);
        r->line_b = toksim_policy_source_line(tb, ri->right);
        if (sid_list(&r->gained, b, a, ri->right) || sid_list(&r->lost, a, b, ri->right))
            return TOKSIM_ENOMEM;
    }
    return TOKSIM_OK;
}

static void rights_free(ts_diff_right *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].gained.v);
        free(v[i].lost.v);
    }
    free(v);
}

toksim_status toksim_diff_new(toksim_diff **out,
                              const void *a,
                              size_t alen,
                              const char *a_name,
                              const void *b,
                              size_t blen,
                              const char *b_name,
                              const char *os,
                              toksim_error *err)
{
    if (!out || (!a && alen) || (!b && blen))
        return TOKSIM_EINVAL;
    *out = NULL;
    toksim_diff *d = ts_calloc(1, sizeof *d);
    if (!d)
        return TOKSIM_ENOMEM;
    d->os = ts_strdup(os ? os : "win10");
    d->file[0] = ts_strdup(a_name ? a_name : "<A>");
    d->file[1] = ts_strdup(b_name ? b_name : "<B>");
    d->data[0] = ts_calloc(alen + 1, 1);
    d->data[1] = ts_calloc(blen + 1, 1);
    toksim_status rc = (d->os && d->file[0] && d->file[1] && d->data[0] && d->data[1])
                           ? TOKSIM_OK
                           : TOKSIM_ENOMEM;
    if (!rc) {
        memcpy(d->data[0], a, alen);
        memcpy(d->data[1], b, blen);
        d->len[0] = alen;
        d->len[1] = blen;
    }
    for (int k = 0; !rc && k < 2; k++)
        rc = toksim_policy_parse_inf_ex(&d->tmpl[k], d->data[k], d->len[k], d->file[k],
                                        NULL, NULL, &d->warn[k], &d->nwarn[k], err);
    toksim_policy *base = NULL, *pa = NULL, *pb = NULL;
    if (!rc)
        rc = toksim_policy_new_profile(&base, d->os, NULL, err);
    if (!rc)
        rc = toksim_policy_copy(&pa, base);
    if (!rc)
        rc = toksim_policy_copy(&pb, base);
    if (!rc)
        rc = toksim_policy_apply(pa, d->tmpl[0]);
    if (!rc)
        rc = toksim_policy_apply(pb, d->tmpl[1]);
    if (!rc)
        rc = compare_rights(&d->rights, &d->nrights, pa, pb, d->tmpl[0], d->tmpl[1]);
    toksim_policy_free(base);
    toksim_policy_free(pa);
    toksim_policy_free(pb);
    if (rc) {
        toksim_diff_free(d);
        return rc;
    }
    *out = d;
    return TOKSIM_OK;
}

void toksim_diff_free(toksim_diff *d)
{
    if (!d)
        return;
    for (int k = 0; k < 2; k++) {
        free(d->file[k]);
        free(d->data[k]);
        toksim_policy_free(d->tmpl[k]);
        free(d->warn[k]);
    }
    free(d->os);
    rights_free(d->rights, d->nrights);
    for (size_t i = 0; i < d->nsteps; i++)
        free(d->steps[i].causes);
    free(d->steps);
    free(d);
}

/* The first event where the two traces part: differing rule or verdict. */
static void
first_divergence(ts_diff_step *s, const toksim_trace *a, const toksim_trace *b)
{
    size_t n = a->count < b->count ? a->count : b->count;
    size_t k = 0;
    while (k < n && a->events[k].rule == b->events[k].rule &&
           a->events[k].verdict == b->events[k].verdict)
        k++;
    s->rule_a = k < a->count ? toksim_rule_get(a->events[k].rule)->id : NULL;
    s->rule_b = k < b->count ? toksim_rule_get(b->events[k].rule)->id : NULL;
    s->verdict_a = k < a->count ? toksim_verdict_name(a->events[k].verdict) : NULL;
    s->verdict_b = k < b->count ? toksim_verdict_name(b->events[k].verdict) : NULL;
}

static bool names_privilege(const toksim_trace *t, uint32_t right)
{
    for (size_t k = 0; k < t->count; k++)
        if (t->events[k].privilege == right)
            return true;
    return false;
}

/* The policies of the scenario's world under A and under B, as the first step sees them.
 */
static toksim_status world_policies(const toksim_diff *d,
                                    const toksim_scenario *sc,
                                    toksim_world **wa,
                                    toksim_world **wb,
                                    toksim_error *err)
{
    toksim_status rc = ts_world_glue_instantiate(sc, wa, err);
    if (!rc)
        rc = ts_world_glue_instantiate(sc, wb, err);
    if (!rc)
        rc = toksim_policy_apply(toksim_world_policy(*wa), d->local[0]);
    if (!rc)
        rc = toksim_policy_apply(toksim_world_policy(*wb), d->local[1]);
    return rc;
}

static toksim_status add_step(toksim_diff *d,
                              const toksim_run *ra,
                              const toksim_run *rb,
                              size_t i,
                              const ts_diff_right *wr,
                              size_t nwr)
{
    const toksim_step_result *a = &ra->results[i], *b = &rb->results[i];
    ts_diff_outcome oa, ob;
    ts_diff_outcome_of(&oa, a);
    ts_diff_outcome_of(&ob, b);
    char fields[128];
    changed_fields(fields, sizeof fields, &oa, &ob);
    if (!fields[0])
        return TOKSIM_OK;
    ts_diff_step *nv = realloc(d->steps, (d->nsteps + 1) * sizeof *nv);
    if (!nv)
        return TOKSIM_ENOMEM;
    d->steps = nv;
    ts_diff_step *s = &d->steps[d->nsteps++];
    memset(s, 0, sizeof *s);
    const toksim_scenario *sc = ra->sc;
    s->scenario = sc->name;
    s->file = sc->where;
    s->step = a->id;
    s->op = a->op;
    s->line = sc->steps[i].line;
    s->column = sc->steps[i].column;
    s->a = oa;
    s->b = ob;
    snprintf(s->fields, sizeof s->fields, "%s", fields);
    first_divergence(s, &a->trace, &b->trace);
    /* the rights behind it: those the step's decisions name, else every differing one */
    s->causes = ts_calloc(nwr ? nwr : 1, sizeof *s->causes);
    if (!s->causes)
        return TOKSIM_ENOMEM;
    for (int pass = 0; pass < 2 && s->ncauses == 0; pass++)
        for (size_t k = 0; k < nwr; k++) {
            if (pass == 0 && !names_privilege(&a->trace, wr[k].right) &&
                !names_privilege(&b->trace, wr[k].right))
                continue;
            ts_diff_cause *c = &s->causes[s->ncauses++];
            c->right = wr[k].right;
            c->name = wr[k].name;
            c->line_a = wr[k].line_a;
            c->line_b = wr[k].line_b;
            c->guessed = pass == 1;
            /* the gained and lost holders, named the way the scenario's world does */
            const ts_diff_sids *l[2] = {&wr[k].gained, &wr[k].lost};
            char *dst[2] = {c->gained, c->lost};
            for (int g = 0; g < 2; g++) {
                size_t at = 0;
                dst[g][0] = '\0';
                for (size_t j = 0; j < l[g]->n && at < sizeof c->gained; j++) {
                    char nm[160];
                    toksim_scenario_sid_name(nm, sizeof nm, &l[g]->v[j], (void *)ra);
                    at += (size_t)snprintf(dst[g] + at, sizeof c->gained - at, "%s%s",
                                           j ? ", " : "", nm);
                }
            }
        }
    return TOKSIM_OK;
}

toksim_status
toksim_diff_add_scenario(toksim_diff *d, const toksim_scenario *sc, toksim_error *err)
{
    if (!d || !sc)
        return TOKSIM_EINVAL;
    const toksim_world *names = sc->world ? sc->world->world : NULL;
    toksim_run *ra = NULL, *rb = NULL;
    toksim_world *wa = NULL, *wb = NULL;
    ts_diff_right *wr = NULL;
    size_t nwr = 0;
    /* the templates again, their names resolved through this scenario's world */
    toksim_status rc = TOKSIM_OK;
    for (int k = 0; !rc && k < 2; k++)
        rc = toksim_policy_parse_inf(&d->local[k], d->data[k], d->len[k], d->file[k],
                                     names, err);
    if (!rc)
        rc = toksim_scenario_run_policy(&ra, sc, d->local[0], err);
    if (!rc)
        rc = toksim_scenario_run_policy(&rb, sc, d->local[1], err);
    if (!rc)
        rc = world_policies(d, sc, &wa, &wb, err);
    if (!rc)
        rc = compare_rights(&wr, &nwr, toksim_world_policy_const(wa),
                            toksim_world_policy_const(wb), d->local[0], d->local[1]);
    size_t before = d->nsteps;
    for (size_t i = 0; !rc && i < ra->nresults && i < rb->nresults; i++)
        rc = add_step(d, ra, rb, i, wr, nwr);
    if (!rc) {
        d->nscenarios++;
        d->nchanged += d->nsteps > before;
    }
    rights_free(wr, nwr);
    toksim_world_free(wa);
    toksim_world_free(wb);
    toksim_scenario_run_free(ra);
    toksim_scenario_run_free(rb);
    for (int k = 0; k < 2; k++) {
        toksim_policy_free(d->local[k]);
        d->local[k] = NULL;
    }
    return rc;
}

const toksim_policy *toksim_diff_template(const toksim_diff *d, size_t which)
{
    return d && which < 2 ? d->tmpl[which] : NULL;
}

const toksim_inf_warning *
toksim_diff_template_warnings(const toksim_diff *d, size_t which, size_t *count)
{
    size_t n = d && which < 2 ? d->nwarn[which] : 0;
    if (count)
        *count = n;
    return n ? d->warn[which] : NULL;
}

const char *toksim_diff_os_profile(const toksim_diff *d)
{
    const toksim_os_profile *p = d ? toksim_os_profile_find(d->os) : NULL;
    return p ? p->name : NULL;
}

size_t toksim_diff_right_count(const toksim_diff *d)
{
    return d ? d->nrights : 0;
}
size_t toksim_diff_step_count(const toksim_diff *d)
{
    return d ? d->nsteps : 0;
}
size_t toksim_diff_scenario_count(const toksim_diff *d)
{
    return d ? d->nscenarios : 0;
}
size_t toksim_diff_changed_scenario_count(const toksim_diff *d)
{
    return d ? d->nchanged : 0;
}
bool toksim_diff_changed(const toksim_diff *d)
{
    return d && (d->nrights || d->nsteps);
}
