/*
 * PURPOSE: conditional ACE expressions (MS-DTYP 2.4.4.17): SDDL text <-> "artx" binary form.
 * (placeholder: not yet implemented)
 */
#include "sddl_int.h"

toksim_status ts_cond_compile(uint8_t **out, size_t *len, const char *text, size_t text_len, size_t base,
                              toksim_error *err)
{
    (void)out; (void)len; (void)text; (void)text_len;
    return ts_error_set(err, TOKSIM_EUNSUPPORTED, base, "compiling conditional ACE expressions is not implemented");
}

toksim_status ts_cond_decompile(char **out, const uint8_t *buf, size_t len, toksim_error *err)
{
    (void)out; (void)buf; (void)len;
    return ts_error_set(err, TOKSIM_EUNSUPPORTED, 0, "decompiling conditional ACE expressions is not implemented");
}
