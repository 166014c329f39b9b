/* PURPOSE: an error message cut at TOKSIM_ERROR_MESSAGE_SIZE ends on a character
 * boundary: the message quotes names from the input, and a cut inside a UTF-8 sequence
 * would hand invalid UTF-8 to the caller (JSON output, a terminal). */
#include <stdio.h>
#include "../helpers.h"

static bool utf8_ok(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        size_t need = *s < 0x80    ? 0
                      : *s >= 0xF0 ? 3
                      : *s >= 0xE0 ? 2
                      : *s >= 0xC2 ? 1
                                   : 9;
        if (need == 9)
            return false;
        for (size_t j = 1; j <= need; j++)
            if ((s[j] & 0xC0) != 0x80)
                return false;
        s += need + 1;
    }
    return true;
}

/* A step naming a thread with a long non-ASCII name: the run's message quotes it and
 * is cut; whatever the ASCII prefix length, the cut never splits an 'é' (C3 A9). */
Test(error_utf8, long_message_cut_on_a_character_boundary)
{
    for (int k = 0; k < 4; k++) {
        char text[1024];
        int n = snprintf(text, sizeof text,
                         "{\"toksim\":1,\"name\":\"x\",\"title\":\"t\",\"world\":{},"
                         "\"steps\":[{\"id\":"
                         "\"s\",\"op\":\"thread.revert\",\"thread\":\"%.*s",
                         k, "aaa");
        for (int i = 0; i < 150; i++)
            n += snprintf(text + n, sizeof text - (size_t)n, "\xC3\xA9");
        snprintf(text + n, sizeof text - (size_t)n, "\"}]}");
        toksim_scenario *sc = NULL;
        toksim_error err = {0};
        toksim_status prc =
            toksim_scenario_parse(&sc, text, strlen(text), "t.json", ".", &err);
        cr_assert_eq(prc, TOKSIM_OK, "%s", err.message);
        toksim_run *run = NULL;
        cr_assert_neq(toksim_scenario_run(&run, sc, &err),
                      TOKSIM_OK); /* no such thread */
        toksim_scenario_free(sc);
        cr_assert_gt(strlen(err.message), TOKSIM_ERROR_MESSAGE_SIZE - 5,
                     "the message is not cut: %s", err.message);
        cr_assert(utf8_ok(err.message), "k=%d: message ends inside a character: %s", k,
                  err.message);
    }
}
