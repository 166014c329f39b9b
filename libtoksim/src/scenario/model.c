/*
 * PURPOSE: a scenario's model switches: the top-level "model" member ({"check_session":
 * true}) and toksim_scenario_set_switch() (the CLI's --switch) set switches of the
 * impersonation model (toksim_imp_options, named by the one table of switches in
 * imperson/options.c) for every run of the scenario; the renderers show the switches
 * that differ from the model's defaults, saying which rules are UNCONFIRMED. A scenario
 * without changed switches runs with the defaults (NULL options) and renders as before.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario/model_int.h"
#include "scenario/run_int.h"
#include "toksim/impersonate.h"

struct ts_model {
    toksim_imp_options opts;
};

static toksim_status model_of(toksim_scenario *sc, struct ts_model **out)
{
    if (!sc->model) {
        if (!(sc->model = ts_calloc(1, sizeof *sc->model)))
            return TOKSIM_ENOMEM;
        toksim_imp_options_init(&sc->model->opts);
    }
    *out = sc->model;
    return TOKSIM_OK;
}

void ts_model_free(struct ts_model *m)
{
    free(m);
}

static const toksim_imp_option_info *switch_info(const char *name)
{
    const toksim_imp_option_info *in;
    for (size_t i = 0; (in = toksim_imp_option_at(i)); i++)
        if (strcmp(in->name, name) == 0)
            return in;
    return NULL;
}

/* Edit distance of two short names (capped at 64 characters each). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strnlen(a, 64), lb = strnlen(b, 64), row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* "unknown switch ..." with the nearest name and the names of the one table (as many as
 * the message holds). */
static void unknown_text(char *buf, size_t n, const char *name)
{
    const toksim_imp_option_info *in, *near = NULL;
    size_t best = 4; /* only a near miss is suggested */
    for (size_t i = 0; (in = toksim_imp_option_at(i)); i++) {
        size_t d = distance(name, in->name);
        if (d < best) {
            best = d;
            near = in;
        }
    }
    int w =
        snprintf(buf, n, "unknown switch \"%.40s\" (%s%s%sswitches: ", name,
                 near ? "did you mean " : "", near ? near->name : "", near ? "? " : "");
    size_t used = w > 0 && (size_t)w < n ? (size_t)w : n - 1;
    for (size_t i = 0; (in = toksim_imp_option_at(i)); i++) {
        w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", in->name);
        if (w < 0 || (size_t)w + 5 >= n - used) {
            snprintf(buf + used, n - used, ", ...");
            break;
        }
        used += (size_t)w;
    }
    used = strlen(buf);
    if (used + 1 < n)
        snprintf(buf + used, n - used, ")");
}

toksim_status ts_model_load(ts_loader *L, toksim_scenario *sc, const cJSON *model)
{
    if (!cJSON_IsObject(model))
        return ts_load_fail(L, TOKSIM_EPARSE, model, false, "model",
                            "expected an object of model switches {\"check_session\": "
                            "true, ...}");
    struct ts_model *m;
    toksim_status rc = model_of(sc, &m);
    if (rc)
        return rc;
    for (const cJSON *c = model->child; c; c = c->next) {
        const char *name = c->string ? c->string : "";
        const toksim_imp_option_info *in = switch_info(name);
        if (!in) {
            char msg[TOKSIM_ERROR_MESSAGE_SIZE - 8];
            unknown_text(msg, sizeof msg, name);
            return ts_load_fail(L, TOKSIM_EPARSE, c, true, "model", "%s", msg);
        }
        char path[80];
        snprintf(path, sizeof path, "model.%s", in->name);
        int value;
        if (in->max_value == 1) {
            if (!cJSON_IsBool(c))
                return ts_load_fail(L, TOKSIM_EPARSE, c, false, path,
                                    "expected true or false (default %s)",
                                    in->default_value ? "true" : "false");
            value = cJSON_IsTrue(c);
        } else {
            if (!cJSON_IsNumber(c) || c->valuedouble < 0 ||
                c->valuedouble > in->max_value ||
                c->valuedouble != (double)(int)c->valuedouble)
                return ts_load_fail(L, TOKSIM_EPARSE, c, false, path,
                                    "expected an integer 0 to %d (%s)", in->max_value,
                                    in->summary);
            value = (int)c->valuedouble;
        }
        if ((rc = toksim_imp_options_set(&m->opts, in->name, value, NULL)))
            return rc;
    }
    return TOKSIM_OK;
}

toksim_status toksim_scenario_set_switch(toksim_scenario *sc,
                                         const char *name,
                                         int value,
                                         toksim_error *err)
{
    if (!sc || !name)
        return ts_error_set(err, TOKSIM_EINVAL, 0, "no scenario or no switch name");
    if (!switch_info(name)) {
        char msg[TOKSIM_ERROR_MESSAGE_SIZE];
        unknown_text(msg, sizeof msg, name);
        return ts_error_set(err, TOKSIM_ENOTFOUND, 0, "%s", msg);
    }
    toksim_imp_options probe; /* range check before the scenario changes */
    toksim_imp_options_init(&probe);
    toksim_status rc = toksim_imp_options_set(&probe, name, value, err);
    struct ts_model *m;
    if (rc || (rc = model_of(sc, &m)))
        return rc;
    return toksim_imp_options_set(&m->opts, name, value, err);
}

/* The value of switch i when it differs from the default. */
static bool changed_at(const toksim_scenario *sc,
                       size_t i,
                       const toksim_imp_option_info **info,
                       int *value)
{
    const toksim_imp_option_info *in = toksim_imp_option_at(i);
    if (!in || !sc->model ||
        toksim_imp_options_get(&sc->model->opts, in->name, value) != TOKSIM_OK)
        return false;
    *info = in;
    return *value != in->default_value;
}

const toksim_imp_options *ts_run_model(const toksim_run *run)
{
    const toksim_imp_option_info *in;
    int v;
    if (!run || !run->sc->model) /* no "model" member: no switch to look at (issue 11) */
        return NULL;
    for (size_t i = 0; i < toksim_imp_option_count(); i++)
        if (changed_at(run->sc, i, &in, &v))
            return &run->sc->model->opts;
    return NULL; /* the defaults: what every run without switches passes */
}

static void value_text(char *buf, size_t n, const toksim_imp_option_info *in, int v)
{
    if (in->max_value == 1)
        snprintf(buf, n, "%s", v ? "on" : "off");
    else
        snprintf(buf, n, "%d", v);
}

bool ts_model_text(ts_buf *b, const toksim_scenario *sc, const char *lead)
{
    const toksim_imp_option_info *in;
    int v;
    bool any = false;
    for (size_t i = 0; i < toksim_imp_option_count(); i++) {
        if (!changed_at(sc, i, &in, &v))
            continue;
        char now[16], def[16];
        value_text(now, sizeof now, in, v);
        value_text(def, sizeof def, in, in->default_value);
        ts_buf_printf(b, "%s%s %s (default %s%s)", any ? ", " : lead, in->name, now, def,
                      in->unconfirmed ? "; UNCONFIRMED" : "");
        any = true;
    }
    if (any)
        ts_buf_append(b, "\n");
    return any;
}

bool ts_model_json(cJSON *root, const toksim_scenario *sc)
{
    const toksim_imp_option_info *in;
    int v;
    cJSON *arr = NULL;
    for (size_t i = 0; i < toksim_imp_option_count(); i++) {
        if (!changed_at(sc, i, &in, &v))
            continue;
        if (!arr && !(arr = cJSON_AddArrayToObject(root, "model")))
            return false;
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o) ||
            !cJSON_AddStringToObject(o, "switch", in->name) ||
            !(in->max_value == 1 ? cJSON_AddBoolToObject(o, "value", v)
                                 : cJSON_AddNumberToObject(o, "value", v)) ||
            !(in->max_value == 1
                  ? cJSON_AddBoolToObject(o, "default", in->default_value)
                  : cJSON_AddNumberToObject(o, "default", in->default_value)) ||
            !cJSON_AddStringToObject(o, "rule", in->rule) ||
            !cJSON_AddBoolToObject(o, "unconfirmed", in->unconfirmed))
            return false;
    }
    return true;
}
