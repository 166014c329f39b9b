/*
 * PURPOSE: libFuzzer target for scenario files: arbitrary bytes go through the whole
 * loader (UTF-8 and NUL checks, nesting/value/step/string caps, cJSON, positions, the
 * world section, parameters, expectations); a scenario that loads is replayed, checked
 * and rendered in every format (each rendering well-formed UTF-8). Must never crash, leak
 * or grow without bound (deep nesting and huge arrays are capped before cJSON builds its
 * tree).
 */
#include "fuzz_common.h"

static void ignore_mismatch(const toksim_mismatch *m, void *payload)
{
    (void)m;
    (*(size_t *)payload)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > TOKSIM_SCENARIO_MAX_BYTES + 16)
        return 0;
    /* a copy without a terminator: the loader must respect the length */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    toksim_scenario *sc = NULL;
    toksim_error err = {0};
    if (toksim_scenario_parse(&sc, text, size, "fuzz.json", ".", &err) != TOKSIM_OK) {
        FUZZ_CHECK(err.message[0] != '\0'); /* every failure must say what went wrong */
        free(text);
        return 0;
    }
    toksim_run *run = NULL;
    toksim_status rrc = toksim_scenario_run(&run, sc, &err);
    /* a run error names the step (its line) and says what went wrong */
    FUZZ_CHECK(rrc == TOKSIM_OK || rrc == TOKSIM_ENOMEM ||
               (err.message[0] && err.line > 0));
    if (rrc == TOKSIM_OK) {
        size_t passed = 0, failed = 0, seen = 0;
        /* each failed expectation is reported once */
        FUZZ_CHECK(toksim_scenario_check(&passed, &failed, run, ignore_mismatch, &seen) !=
                       TOKSIM_OK ||
                   seen == failed);
        FUZZ_CHECK(passed + failed == toksim_scenario_expectation_count(sc));
        char *out = NULL;
        if (toksim_scenario_render_text(&out, run, TOKSIM_RENDER_EXPLAIN) == TOKSIM_OK) {
            FUZZ_CHECK(fuzz_utf8_ok(out)); /* names are cut on character boundaries */
            free(out);
        }
        out = NULL;
        if (toksim_scenario_render_json(&out, run, 0) == TOKSIM_OK) {
            FUZZ_CHECK(fuzz_utf8_ok(out)); /* names are cut on character boundaries */
            free(out);
        }
        out = NULL;
        if (toksim_scenario_render_junit(&out, run, true) == TOKSIM_OK) {
            FUZZ_CHECK(fuzz_utf8_ok(out)); /* names are cut on character boundaries */
            free(out);
        }
        out = NULL;
        if (toksim_scenario_render_story(&out, run, NULL) == TOKSIM_OK) {
            FUZZ_CHECK(fuzz_utf8_ok(out)); /* names are cut on character boundaries */
            free(out);
        }
        toksim_scenario_run_free(run);
    }
    toksim_scenario_free(sc);
    free(text);
    return 0;
}
