/*
 * PURPOSE: claims written as JSON (a world's users[].claims, machine.device_claims:
 * {"department": "Finance", "clearance": 3, "projects": ["A", "B"], "vip": true}) turned
 * into the claim text of toksim/claims.h ("department",TS,0,"Finance").
 */
#ifndef TOKSIM_SCENARIO_CLAIMS_JSON_H
#define TOKSIM_SCENARIO_CLAIMS_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <cJSON.h>

/**
 * Write the claim text of member `it` (its key is the claim name) into buf. Value kinds:
 * a string (TS), an integer (TI), a boolean (TB), a non-empty array of one of those
 * (multi-valued), or {"type": "TI|TU|TS|TD|TB", "values": [...]} (TD: SID strings). On
 * failure returns false and writes what was expected into why.
 */
bool ts_claim_text_from_json(const cJSON *it, char *buf, size_t n, char *why, size_t wn);
#endif
