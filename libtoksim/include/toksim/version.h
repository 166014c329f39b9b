/* PURPOSE: compile-time version of the toksim headers; toksim_version() gives the
 * run-time one. */
#ifndef TOKSIM_VERSION_H
#define TOKSIM_VERSION_H
#define TOKSIM_VERSION_MAJOR 0
#define TOKSIM_VERSION_MINOR 1
#define TOKSIM_VERSION_PATCH 0
#define TOKSIM_VERSION_NUMBER                                                            \
    (TOKSIM_VERSION_MAJOR * 10000 + TOKSIM_VERSION_MINOR * 100 + TOKSIM_VERSION_PATCH)
#define TOKSIM_VERSION_CHECK(a, b, c)                                                    \
    (TOKSIM_VERSION_NUMBER >= ((a)*10000 + (b)*100 + (c)))
#endif
