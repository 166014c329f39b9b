/*
 * PURPOSE: a web single sign-on (web access management) policy server and its user
 * impersonation feature, modelled apart from Windows tokens. User directories hold user
 * DNs; policy domains list the directories their users come from and hold realms, each
 * protected by an authentication scheme with a protection level and giving its sessions
 * an idle timeout; a realm protected by an impersonation scheme begins impersonations;
 * policies bind users to the ImpersonateStart (impersonator) and ImpersonateStartUser
 * (impersonatee) events of such a realm. Sessions live on a clock in minutes the caller
 * advances, so idle timeouts are deterministic.
 *
 * Source: the policy server's "Security Considerations for Impersonation" page (seed
 * /work/shared/seeds/003_047cd29ec25bd091.txt): chaining ban, protection levels not
 * checked during an impersonation and enforced again at its end, the impersonator's
 * session idle timeout ending the impersonation, both event bindings required, the
 * impersonatee looked up in the directories of the realm's policy domain.
 * Not modelled: credentials (a login always presents correct ones), authorization
 * (OnAccess) rules, maximum session timeouts, resource filters, user groups.
 *
 * Ownership: toksim_sso_new() returns a model freed with toksim_sso_free(); strings
 * passed in are copied; session views are borrowed until the next call that changes the
 * model.
 */
#ifndef TOKSIM_SSO_H
#define TOKSIM_SSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct toksim_sso toksim_sso;

/** Impersonation events a policy rule can fire on (bit set). */
#define TOKSIM_SSO_EVENT_IMPERSONATE_START      0x1u /**< the impersonator's event */
#define TOKSIM_SSO_EVENT_IMPERSONATE_START_USER 0x2u /**< the impersonatee's event */

/** Switches for behaviour no public source confirms (docs/systems.md). */
typedef struct toksim_sso_options {
    /**
     * UNCONFIRMED. false (default): activity in an impersonated session does not refresh
     * the impersonator's original session, which can idle out during the impersonation
     * (the seed's reading: "the original session of the impersonator can possibly idle
     * out"). true: every impersonated request also refreshes the original session.
     */
    bool impersonated_activity_refreshes_original;
} toksim_sso_options;

/** A new, empty policy server at minute 0; opts NULL = defaults. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sso_new(toksim_sso **out,
                                                         const toksim_sso_options *opts);
/** NULL is accepted. */
TOKSIM_API void toksim_sso_free(toksim_sso *sso);

/*
 * Configuration. Names are unique per kind (TOKSIM_EINVAL when taken); a name referring
 * to an unknown object is TOKSIM_ENOTFOUND; err says which.
 */
/** A user directory holding these user DNs (compared case-insensitively). */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sso_add_directory(toksim_sso *sso,
                                                                   const char *name,
                                                                   const char *const *dns,
                                                                   size_t ndns,
                                                                   toksim_error *err);
/** A policy domain whose users are looked up in these directories, in this order. */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_sso_add_domain(toksim_sso *sso,
                      const char *name,
                      const char *const *directories,
                      size_t ndirectories,
                      toksim_error *err);

/** A realm of a policy domain. */
typedef struct toksim_sso_realm_config {
    const char *name;
    const char *domain;
    const char *scheme;   /**< the authentication scheme's name (shown in traces) */
    int protection_level; /**< of the scheme protecting the realm */
    bool
        impersonation; /**< protected by an impersonation scheme: begins impersonations */
    int64_t idle_timeout; /**< minutes; sessions authenticated here; 0 = none */
} toksim_sso_realm_config;
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sso_add_realm(
    toksim_sso *sso, const toksim_sso_realm_config *cfg, toksim_error *err);

/** A policy binding users (by DN, or every user of a directory) to rules of a realm. */
typedef struct toksim_sso_policy_config {
    const char *name;
    const char *realm; /**< the realm whose rules the policy holds */
    unsigned events;   /**< TOKSIM_SSO_EVENT_* the rules fire on */
    const char *const *users;
    size_t nusers;
    const char *const *directories; /**< every user of these directories */
    size_t ndirectories;
} toksim_sso_policy_config;
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sso_add_policy(
    toksim_sso *sso, const toksim_sso_policy_config *cfg, toksim_error *err);
/** "ImpersonateStart" / "ImpersonateStartUser" (case-insensitive) to its event bit. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sso_event_parse(unsigned *out,
                                                                 const char *name);

/** Advance the clock (minutes >= 0). */
TOKSIM_API void toksim_sso_advance(toksim_sso *sso, int64_t minutes);
/** Minutes since the model was created. */
TOKSIM_API int64_t toksim_sso_now(const toksim_sso *sso);

/** What the policy server answered. */
typedef struct toksim_sso_result {
    bool ok;            /**< logged in / served / impersonating / ended */
    toksim_rule reason; /**< the rule that decided (the refusal's rule when !ok) */
    size_t session;     /**< the session created (login, impersonate) */
} toksim_sso_result;

/*
 * Operations. A refusal is a result (ok false, reason = the refusing rule); a library
 * error (unknown realm or session, a realm that cannot begin impersonations, an
 * impersonation end on a session that is not impersonated) is a status with err set.
 */
/** A user authenticates at a realm: looked up in the directories of its policy domain. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sso_login(toksim_sso *sso,
                                                           toksim_sso_result *res,
                                                           const char *realm,
                                                           const char *user_dn,
                                                           toksim_trace *trace,
                                                           toksim_error *err);
/** A session requests a resource of a realm (idle timeouts, protection levels). */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sso_request(toksim_sso *sso,
                                                             toksim_sso_result *res,
                                                             size_t session,
                                                             const char *realm,
                                                             toksim_trace *trace,
                                                             toksim_error *err);
/** The holder of `session` asks an impersonation realm to impersonate `user_dn`. */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_sso_impersonate(toksim_sso *sso,
                                                                 toksim_sso_result *res,
                                                                 size_t session,
                                                                 const char *realm,
                                                                 const char *user_dn,
                                                                 toksim_trace *trace,
                                                                 toksim_error *err);
/** The impersonator ends an impersonated session. */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_sso_impersonate_end(toksim_sso *sso,
                           toksim_sso_result *res,
                           size_t session,
                           toksim_trace *trace,
                           toksim_error *err);

/** A session as the policy server holds it (strings borrowed). */
typedef struct toksim_sso_session_info {
    const char *user_dn;
    const char *directory;               /**< where the user was found */
    const char *realm;                   /**< where the session was authenticated */
    int protection_level;                /**< of that realm's scheme */
    int64_t idle_timeout, last_activity; /**< minutes */
    bool ended;
    bool impersonated;
    const char *impersonator_dn; /**< the extra fields of an impersonated session */
    const char *impersonator_directory; /**< (NULL otherwise) */
    size_t original;                    /**< the impersonator's session */
} toksim_sso_session_info;
/** false when `session` does not exist. */
TOKSIM_API bool toksim_sso_session_get(const toksim_sso *sso,
                                       size_t session,
                                       toksim_sso_session_info *out);

#ifdef __cplusplus
}
#endif
#endif
