/* PURPOSE: umbrella header of libtoksim: includes every public module header. */
#ifndef TOKSIM_H
#define TOKSIM_H
#include "toksim/version.h"
#include "toksim/common.h"
#include "toksim/errors.h"
#include "toksim/sid.h"
#include "toksim/privilege.h"
#include "toksim/trace.h"
#include "toksim/token.h"
#include "toksim/sd.h"
#include "toksim/access.h"
#include "toksim/claims.h"
/* Layers above the core (kept apart by blank lines so parallel work merges cleanly). */

#include "toksim/world.h"
#include "toksim/world_json.h"

#include "toksim/world_claims.h"

#include "toksim/policy.h"

#include "toksim/logon.h"

#include "toksim/whoami.h"

#include "toksim/impersonate.h"
#include "toksim/token_open.h"
#include "toksim/pipe.h"

#include "toksim/token_api.h"

#include "toksim/systems.h"

#include "toksim/sso.h"

#include "toksim/scenario.h"
#include "toksim/json_check.h"

#include "toksim/paths.h"
#include "toksim/triage.h"
#endif
#include "toksim/diff.h"

#include "toksim/whocan.h"
