/*
 * PURPOSE: the "held by" note of a scenario trace: the holders of a user right named with
 * the run's world names, whole names only, ending "and N more" when the trace text field
 * (TOKSIM_TRACE_TEXT_SIZE) is full (issue 8: the list was cut mid-name).
 */
#include <stdio.h>
#include <string.h>
#include "scenario/run_int.h"

/*
 * The holders as "A, B and 3 more": whole names only. The trace text field is small
 * (TOKSIM_TRACE_TEXT_SIZE); a name that does not fit, with room kept for the "and N more"
 * tail, is counted instead of being cut mid-name.
 */
void ts_holder_list(
    char *list, size_t size, const toksim_run *run, const toksim_sid *h, size_t n)
{
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char nm[128], tail[32] = "";
        ts_run_sid_name(nm, sizeof nm, run, &h[i]);
        size_t left = n - i - 1; /* names after this one */
        if (left)
            ts_fmt(tail, sizeof tail, " and %zu more", left);
        size_t need = (i ? 2 : 0) + strlen(nm);
        if (used + need + strlen(tail) >= size) {
            ts_fmt(list + used, size - used, "%s%zu more", i ? " and " : "", n - i);
            return;
        }
        used += (size_t)ts_fmt(list + used, size - used, "%s%s", i ? ", " : "", nm);
    }
}
