/*
 * PURPOSE: a small private SHA-1 (FIPS 180-4 section 6.1), used only to derive
 * virtual-account SIDs (NT SERVICE\x, IIS APPPOOL\x, RESTRICTED SERVICES\x;
 * MS-DTYP 2.4.2.4 / windows-model §5). Not for anything that needs collision resistance.
 * Prefix ts_.
 */
#ifndef TOKSIM_SHA1_H
#define TOKSIM_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define TS_SHA1_DIGEST 20

typedef struct ts_sha1_ctx {
    uint32_t h[5];
    uint64_t total; /* bytes hashed so far */
    uint8_t block[64];
    size_t used; /* bytes waiting in block */
} ts_sha1_ctx;

void ts_sha1_init(ts_sha1_ctx *c);
void ts_sha1_update(ts_sha1_ctx *c, const void *data, size_t len);
void ts_sha1_final(ts_sha1_ctx *c, uint8_t out[TS_SHA1_DIGEST]);
/** One-shot convenience. */
void ts_sha1(uint8_t out[TS_SHA1_DIGEST], const void *data, size_t len);

#endif
