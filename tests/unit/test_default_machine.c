/*
 * PURPOSE: the simulated default machine of the command-line tools. Windows resolves the
 * machine-relative SDDL aliases (LA, LG ...) against the machine's own account domain
 * ("SID Strings", Microsoft Learn: LA "Local administrator ... on the local computer");
 * without --machine the tools use TOKSIM_DEFAULT_MACHINE_SID, print such SIDs back as
 * LA/LG, and --machine still overrides.
 */
#include "../cli_helpers.h"
#include <toksim.h>

Test(default_machine, aliases_resolve_without_machine)
{
    ts_expect_cli("sid LA", 0, TOKSIM_DEFAULT_MACHINE_SID "-500");
    ts_expect_cli("sid LG", 0, TOKSIM_DEFAULT_MACHINE_SID "-501");
    ts_expect_cli("sddl --output sddl 'D:(A;;GA;;;" TOKSIM_DEFAULT_MACHINE_SID "-501)'",
                  0, "D:(A;;GA;;;LG)");
    ts_expect_cli("access --sddl 'O:BAG:BAD:(A;;FR;;;LA)' --user LA --desired FR", 0,
                  "access:  granted");
}

Test(default_machine, machine_option_overrides)
{
    ts_expect_cli("sid --machine S-1-5-21-4-5-6 LG", 0, "S-1-5-21-4-5-6-501");
    ts_expect_cli("sddl --output sddl --machine S-1-5-21-4-5-6 "
                  "'D:(A;;GA;;;" TOKSIM_DEFAULT_MACHINE_SID "-501)'",
                  0, "D:(A;;GA;;;" TOKSIM_DEFAULT_MACHINE_SID "-501)");
}

/* One simulated machine: the world's default machine is the tools' default. */
Test(default_machine, world_default_is_the_same_machine)
{
    toksim_world *w = NULL;
    toksim_error e = {0};
    ts_assert_ok(toksim_world_new(&w, "WS01", NULL, NULL, &e), NULL);
    char buf[80];
    toksim_sid_format(buf, sizeof buf, toksim_world_machine_sid(w));
    cr_assert_str_eq(buf, TOKSIM_DEFAULT_MACHINE_SID);
    toksim_world_free(w);
}
