/*
 * PURPOSE: a named pipe between a client and a server thread, for the impersonation a
 * pipe server does: the pipe's security descriptor checked when the client opens it, the
 * client's SECURITY_QUALITY_OF_SERVICE (CreateFile SQOS flags: level, static or dynamic
 * context tracking, effective only; without SECURITY_SQOS_PRESENT: Impersonation, dynamic
 * tracking, effective only), the messages that carry the client's security context, and
 * ImpersonateNamedPipeClient, which impersonates the context of the last message read
 * (ERROR_CANNOT_IMPERSONATE 1368 before the first read).
 *
 * Sources (Windows-run): Wine dlls/kernel32/tests/pipe.c test_impersonation (no SQOS:
 * SecurityImpersonation, disabled privileges left out, the client's later token changes
 * seen; SQOS without SECURITY_CONTEXT_TRACKING: changes not seen; with it: seen);
 * Learn CreateNamedPipe (the default pipe security descriptor),
 * ImpersonateNamedPipeClient.
 *
 * One instance, one client: a second connect is refused (TOKSIM_EINVAL). Remote clients:
 * the token given is what the server's machine built for the network logon; the SQOS
 * flags are ignored and the level follows the server's delegation trust (§1.4). Results
 * as in toksim/impersonate.h. Not modelled: message boundaries, overlapped I/O,
 * FILE_FLAG_FIRST_PIPE_INSTANCE, PIPE_REJECT_REMOTE_CLIENTS.
 */
#ifndef TOKSIM_PIPE_H
#define TOKSIM_PIPE_H

#include <stdbool.h>
#include "common.h"
#include "token.h"
#include "sd.h"
#include "trace.h"
#include "impersonate.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct toksim_pipe toksim_pipe; /* opaque */

/** Cap on messages written and not yet read (hostile scenarios). */
#define TOKSIM_PIPE_MAX_MESSAGES 256u

/**
 * CreateNamedPipe(name, ..., lpSecurityAttributes). sd: the pipe's descriptor (copied),
 * or NULL for Windows' default: full control to LocalSystem, Administrators and the
 * creator owner (`creator`'s token owner), read access to Everyone and ANONYMOUS LOGON
 * (Learn CreateNamedPipe). name is copied (display only). Free with toksim_pipe_free().
 * @return TOKSIM_OK, TOKSIM_EINVAL, TOKSIM_ENOMEM
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_pipe_new(toksim_pipe **out,
                                                          const char *name,
                                                          const toksim_token *creator,
                                                          const toksim_sd *sd);
TOKSIM_API void toksim_pipe_free(toksim_pipe *pipe);
/** The pipe's security descriptor (borrowed). */
TOKSIM_API const toksim_sd *toksim_pipe_sd(const toksim_pipe *pipe);

/** How the client opens the pipe. Zero-initialise, then set. */
typedef struct toksim_pipe_client {
    /** dwFlagsAndAttributes SQOS bits (TOKSIM_SECURITY_*; 0 = no SQOS). */
    uint32_t sqos_flags;
    /** Desired access; 0 = GENERIC_READ | GENERIC_WRITE. */
    uint32_t desired;
    /** The client is on another machine: `remote_token` is its network-logon token. */
    bool remote;
    const toksim_token *remote_token;
    toksim_auth_package auth;           /**< remote: the package used */
    bool server_trusted_for_delegation; /**< remote: §1.4 */
} toksim_pipe_client;

/**
 * CreateFile on the pipe from `client` (a local thread; ignored when c->remote). The open
 * is a kernel open with the client's effective token (an Identify-level client thread
 * fails with 1346) against the pipe's SD; denied: ERROR_ACCESS_DENIED. On success the
 * static context is captured (EffectiveOnly applied when asked, or with no SQOS).
 * @return TOKSIM_OK, TOKSIM_EINVAL (NULL, already connected, remote without token),
 * TOKSIM_ENOMEM
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_pipe_connect(toksim_imp_result *out,
                                                              toksim_pipe *pipe,
                                                              const toksim_thread *client,
                                                              const toksim_pipe_client *c,
                                                              toksim_trace *trace);

/**
 * WriteFile by the client: the message carries the client's security context, the
 * connect-time one (static tracking, remote clients) or the client thread's effective
 * token now (dynamic tracking). `client` may be NULL for a remote client.
 * @return TOKSIM_OK, TOKSIM_EINVAL (not connected, no client thread for a local client),
 * TOKSIM_ELIMIT (TOKSIM_PIPE_MAX_MESSAGES unread), TOKSIM_ENOMEM
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_pipe_write(toksim_pipe *pipe,
                                                            const toksim_thread *client,
                                                            toksim_trace *trace);

/**
 * ReadFile by the server: the oldest unread message's context becomes the one
 * ImpersonateNamedPipeClient uses.
 * @return TOKSIM_OK, TOKSIM_ENOTFOUND (nothing to read: a real ReadFile would block)
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status toksim_pipe_read(toksim_pipe *pipe);

/**
 * ImpersonateNamedPipeClient(pipe) on a server thread: nothing read yet (or no client):
 * ERROR_CANNOT_IMPERSONATE 1368; else toksim_impersonate_named_pipe_client() with the
 * last read message's context (SQOS level or Impersonation, §1.4 for remote clients, the
 * §2.2 test and its silent downgrade).
 */
TOKSIM_API TOKSIM_NODISCARD toksim_status
toksim_pipe_impersonate_client(toksim_imp_result *out,
                               toksim_thread *server,
                               const toksim_pipe *pipe,
                               toksim_trace *trace);

#ifdef __cplusplus
}
#endif
#endif
