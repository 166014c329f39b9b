/*
 * PURPOSE: selective authentication (issue 18): the "authentication firewall" a domain
 * applies to users of a trust configured with selective authentication. Their logon
 * carries Other Organization (S-1-5-1000), which makes the resource domain check that
 * the account holds the Allowed-To-Authenticate control access right on the computer
 * object of the machine it logs on to; without it the logon fails with
 * STATUS_AUTHENTICATION_FIREWALL_FAILED (1935). Sources: Microsoft Learn "Enable
 * selective authentication over a forest trust" / "Grant the Allowed to Authenticate
 * permission on computers in the trusting domain or forest", Forest.
 * GetSelectiveAuthenticationStatus remarks; MS-ADTS 5.1.3.2.1 (the right's GUID);
 * MS-ERREF 2.3.1.
 *
 * The check is the core access check (AccessCheckByType with the right's GUID as the
 * object type, ADS_RIGHT_DS_CONTROL_ACCESS) of the computer object's security descriptor
 * against every SID the logon carries.
 */
#include <stdio.h>
#include "identity/identity_int.h"

toksim_status ts_trust_firewall(const toksim_world *w,
                                const toksim_sid *user,
                                const toksim_sid *sids,
                                size_t n,
                                bool *allowed,
                                toksim_trace *t)
{
    *allowed = false;
    const toksim_sd *sd = toksim_world_computer_sd(w);
    if (!sd) {
        ts_trace(t, TOKSIM_RULE_LOGON_AUTHENTICATION_FIREWALL, TOKSIM_V_DENY, user, NULL,
                 0, 0, 0, TOKSIM_ERROR_AUTHENTICATION_FIREWALL_FAILED,
                 "no ACE of the computer object grants it (no computer object SD)");
        return TOKSIM_OK;
    }
    toksim_object_type_entry ot;
    uint32_t cr = 0;
    toksim_status rc = toksim_object_type_entry_parse(
        &ot, "0:" TOKSIM_GUID_ALLOWED_TO_AUTHENTICATE, NULL);
    if (rc == TOKSIM_OK)
        rc = toksim_sddl_parse_rights(&cr, "CR", NULL); /* ADS_RIGHT_DS_CONTROL_ACCESS */
    toksim_token *tok = NULL;
    if (rc == TOKSIM_OK)
        rc = toksim_token_new(&tok, user);
    /* the DC's view of the account: a Medium token (an unlabeled one would be Untrusted)
     */
    if (rc == TOKSIM_OK)
        rc = toksim_token_set_integrity(tok, TOKSIM_IL_MEDIUM);
    for (size_t i = 0; rc == TOKSIM_OK && i < n; i++)
        if (!toksim_sid_equal(&sids[i], user))
            rc = toksim_token_add_group(tok, &sids[i], TOKSIM_SE_GROUP_DEFAULT);
    toksim_access_result res;
    toksim_access_request req = {0};
    req.desired = cr;
    req.mode = TOKSIM_ACCESS_OPEN;
    req.object_type = TOKSIM_OBJ_DS;
    req.object_types = &ot;
    req.object_type_count = 1;
    if (rc == TOKSIM_OK)
        rc = toksim_access_check(&res, sd, tok, &req, NULL);
    toksim_token_free(tok);
    if (rc != TOKSIM_OK)
        return rc;
    *allowed = res.api_ok && res.granted_all;
    ts_trace(t, TOKSIM_RULE_LOGON_AUTHENTICATION_FIREWALL,
             *allowed ? TOKSIM_V_GRANT : TOKSIM_V_DENY, user, NULL, 0, 0, 0,
             *allowed ? 0 : TOKSIM_ERROR_AUTHENTICATION_FIREWALL_FAILED,
             *allowed ? "granted by the computer object's DACL"
                      : "not granted by the computer object's DACL");
    return TOKSIM_OK;
}
