/*
 * PURPOSE: SHA-1 as described by FIPS 180-4 (sections 5.1.1 padding, 5.3.1 initial value,
 * 6.1.2 computation), written from the standard's description. Private to the library: it
 * exists so virtual-account SIDs can be computed the way Windows does (windows-model
 * §5.1).
 */
#include <string.h>
#include "sha1.h"

static uint32_t rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

void ts_sha1_init(ts_sha1_ctx *c)
{
    /* FIPS 180-4 5.3.1 */
    c->h[0] = 0x67452301u;
    c->h[1] = 0xEFCDAB89u;
    c->h[2] = 0x98BADCFEu;
    c->h[3] = 0x10325476u;
    c->h[4] = 0xC3D2E1F0u;
    c->total = 0;
    c->used = 0;
}

/* FIPS 180-4 6.1.2: one 512-bit block. */
static void compress(uint32_t h[5], const uint8_t *p)
{
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
               (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
    for (int t = 16; t < 80; t++)
        w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20) {
            f = (b & c) ^ (~b & d); /* Ch */
            k = 0x5A827999u;
        } else if (t < 40) {
            f = b ^ c ^ d; /* Parity */
            k = 0x6ED9EBA1u;
        } else if (t < 60) {
            f = (b & c) ^ (b & d) ^ (c & d); /* Maj */
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ c ^ d;
            k = 0xCA62C1D6u;
        }
        uint32_t tmp = rotl(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void ts_sha1_update(ts_sha1_ctx *c, const void *data, size_t len)
{
    const uint8_t *p = data;
    c->total += len;
    while (len) {
        size_t take = 64 - c->used;
        if (take > len)
            take = len;
        memcpy(c->block + c->used, p, take);
        c->used += take;
        p += take;
        len -= take;
        if (c->used == 64) {
            compress(c->h, c->block);
            c->used = 0;
        }
    }
}

void ts_sha1_final(ts_sha1_ctx *c, uint8_t out[TS_SHA1_DIGEST])
{
    /* FIPS 180-4 5.1.1: append 0x80, zeros to 56 mod 64, then the bit length big-endian.
     */
    uint64_t bits = c->total * 8;
    uint8_t pad = 0x80;
    ts_sha1_update(c, &pad, 1);
    pad = 0;
    while (c->used != 56)
        ts_sha1_update(c, &pad, 1);
    uint8_t len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (uint8_t)(bits >> (56 - 8 * i));
    ts_sha1_update(c, len, 8);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (uint8_t)(c->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)c->h[i];
    }
}

void ts_sha1(uint8_t out[TS_SHA1_DIGEST], const void *data, size_t len)
{
    ts_sha1_ctx c;
    ts_sha1_init(&c);
    ts_sha1_update(&c, data, len);
    ts_sha1_final(&c, out);
}
