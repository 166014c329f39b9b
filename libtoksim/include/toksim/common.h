/*
 * PURPOSE: export macros, library status codes and the error-detail record shared by
 * every module.
 *
 * A library status says whether the simulator could do its job. What Windows would answer
 * (access denied, bad impersonation level, ...) is a *result* and lives in each
 * operation's out-struct, never in the status.
 */
#ifndef TOKSIM_COMMON_H
#define TOKSIM_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && !defined(TOKSIM_STATIC)
#ifdef TOKSIM_BUILDING
#define TOKSIM_API __declspec(dllexport)
#else
#define TOKSIM_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define TOKSIM_API __attribute__((visibility("default")))
#else
#define TOKSIM_API
#endif

#if defined(__GNUC__)
#define TOKSIM_NODISCARD __attribute__((warn_unused_result))
#else
#define TOKSIM_NODISCARD
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Library status. Never renumbered; new codes are appended before TOKSIM__LAST. */
typedef enum toksim_status {
    TOKSIM_OK = 0,
    TOKSIM_ERROR = -1,        /**< internal error */
    TOKSIM_ENOMEM = -2,       /**< allocation failed */
    TOKSIM_EINVAL = -3,       /**< invalid argument (API misuse) */
    TOKSIM_EPARSE = -4,       /**< malformed input text or bytes */
    TOKSIM_ENOTFOUND = -5,    /**< unknown name, alias, account, privilege ... */
    TOKSIM_ELIMIT = -6,       /**< input exceeds a documented cap */
    TOKSIM_EUNSUPPORTED = -7, /**< valid input the simulator does not model */
    TOKSIM_EIO = -8,          /**< a file could not be read or written */
    TOKSIM__LAST = -9         /* never use */
} toksim_status;

/** Size of toksim_error.message: reporting never allocates. */
#define TOKSIM_ERROR_MESSAGE_SIZE 256
#define TOKSIM_ERROR_WHERE_SIZE   160

/**
 * Detail of the last failure of a parser or operation. Callers pass a pointer (or NULL
 * when they do not want detail). `offset` is a byte offset into the input the failing
 * function was given; `line`/`column` are 1-based and 0 when unknown. `where` names the
 * input (file name, JSON path).
 */
typedef struct toksim_error {
    toksim_status code;
    size_t offset;
    int line;
    int column;
    char where[TOKSIM_ERROR_WHERE_SIZE];
    char message[TOKSIM_ERROR_MESSAGE_SIZE];
} toksim_error;

/* Forward declarations of the library's object types (defined in their module headers).
 */
typedef struct toksim_token toksim_token; /* token.h (opaque) */
typedef struct toksim_acl toksim_acl;     /* sd.h */
typedef struct toksim_sd toksim_sd;       /* sd.h */
typedef struct toksim_ace toksim_ace;     /* sd.h */

/** Static text for a library status ("malformed input", ...). Never NULL. */
TOKSIM_API const char *toksim_strerror(toksim_status code);

/** Reset an error record to "no error". NULL is accepted. */
TOKSIM_API void toksim_error_clear(toksim_error *err);

/** Library version string, e.g. "0.1.0". */
TOKSIM_API const char *toksim_version(void);

#ifdef __cplusplus
}
#endif
#endif
