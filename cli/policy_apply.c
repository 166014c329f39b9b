/*
 * PURPOSE: apply a security template file (GptTmpl.inf) to a world's user-rights policy,
 * for the commands that take --policy FILE [--configure] (logon, who-can): merged as a
 * GPO refresh does, or configured as `secedit /configure` does (which re-adds the
 * defaults of SeImpersonatePrivilege, docs/practitioner-io.md).
 */
#include <stdlib.h>
#include "cli.h"

int cli_apply_policy(const char *prog, toksim_world *w, const char *path, bool configure)
{
    size_t len = 0;
    char *data = cli_read_file(prog, path, TOKSIM_INF_MAX_BYTES, &len);
    if (!data)
        return EXIT_USAGE;
    toksim_policy *tmpl = NULL;
    toksim_error err = {0};
    toksim_status rc = cli_parse_inf(prog, &tmpl, data, len, path, w, NULL, &err);
    free(data);
    if (rc != TOKSIM_OK)
        return cli_report(prog, err.where, NULL, &err, rc);
    rc = configure ? toksim_policy_configure(toksim_world_policy(w), tmpl,
                                             TOKSIM_SECEDIT_READD_IMPERSONATE, NULL)
                   : toksim_policy_apply(toksim_world_policy(w), tmpl);
    toksim_policy_free(tmpl);
    return rc == TOKSIM_OK ? EXIT_OK : cli_report(prog, path, NULL, NULL, rc);
}
