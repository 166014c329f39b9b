/*
 * PURPOSE: a step's findings are a pointer (issue 11: 16 inline findings made every step
 * result 4.4 KB): never NULL, the shared empty list for a step that noticed nothing, the
 * step's own list once it has one; merging a system's findings keeps both policies the
 * ops relied on (all with the truncated flag, or new ids only, stopping when full).
 */
#include <stdlib.h>
#include <string.h>
#include "../rules_helpers.h"
#include "scenario/run_int.h"

static toksim_findings list_of(size_t n, bool truncated)
{
    toksim_findings f;
    memset(&f, 0, sizeof f);
    static const char *ids[] = {"finding.silent_identify_downgrade",
                                "finding.system_context_on_behalf"};
    for (size_t i = 0; i < n && i < TOKSIM_MAX_FINDINGS; i++)
        f.items[f.count++].id = ids[i % 2];
    f.truncated = truncated;
    return f;
}

Test(step_findings, a_step_without_findings_has_an_empty_list)
{
    toksim_scenario *sc = NULL;
    toksim_error e = {0};
    cr_assert_eq(
        toksim_scenario_load_file(&sc, "scenarios/potato/juicy-local-oxid-win7.json", &e),
        TOKSIM_OK, "%s", e.message);
    toksim_run *run = NULL;
    cr_assert_eq(toksim_scenario_run(&run, sc, &e), TOKSIM_OK, "%s", e.message);
    size_t with = 0;
    for (size_t i = 0; i < toksim_scenario_step_count(sc); i++) {
        const toksim_step_result *r = toksim_scenario_run_step(run, i);
        cr_assert_not_null(r->findings, "step %zu", i);
        with += r->findings->count > 0;
    }
    cr_assert_gt(with, 0); /* the potato path reports a finding */
    cr_assert_lt(with, toksim_scenario_step_count(sc));
    toksim_scenario_run_free(run);
    toksim_scenario_free(sc);
}

Test(step_findings, merging_all_keeps_the_truncated_flag)
{
    toksim_step_result r;
    memset(&r, 0, sizeof r);
    toksim_findings none = list_of(0, false);
    cr_assert_eq(ts_result_add_findings(&r, &none, false), TOKSIM_OK);
    cr_assert_null(r.findings); /* nothing to add: nothing allocated */
    toksim_findings three = list_of(3, true);
    cr_assert_eq(ts_result_add_findings(&r, &three, false), TOKSIM_OK);
    cr_assert_eq(r.findings->count, 3); /* repeats kept */
    cr_assert(r.findings->truncated);
    free((void *)(uintptr_t)r.findings);
}

Test(step_findings, merging_new_ids_stops_when_full)
{
    toksim_step_result r;
    memset(&r, 0, sizeof r);
    toksim_findings three = list_of(3, true);
    cr_assert_eq(ts_result_add_findings(&r, &three, true), TOKSIM_OK);
    cr_assert_eq(r.findings->count, 2); /* the third repeats the first id */
    cr_assert_not(r.findings->truncated);
    toksim_findings *mine = (toksim_findings *)(uintptr_t)r.findings;
    for (size_t i = mine->count; i < TOKSIM_MAX_FINDINGS; i++) /* fill it */
        mine->items[i].id = "finding.other";
    mine->count = TOKSIM_MAX_FINDINGS;
    toksim_findings one = list_of(1, false);
    one.items[0].id = "finding.new";
    cr_assert_eq(ts_result_add_findings(&r, &one, true), TOKSIM_OK);
    cr_assert_eq(r.findings->count, TOKSIM_MAX_FINDINGS);
    cr_assert(r.findings->truncated);
    free((void *)(uintptr_t)r.findings);
}
