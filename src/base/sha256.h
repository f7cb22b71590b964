/*
 * sha256.h - SHA-256 (FIPS 180-4) for content fingerprints of stored files
 * (evidence attachments). Not for passwords: those use argon2id.
 *
 * The context is caller-owned and needs no cleanup. Hashing is O(len) with
 * no allocation.
 */
#ifndef HOCTAP_BASE_SHA256_H
#define HOCTAP_BASE_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
  uint32_t state[8];
  uint64_t bytes;    /* message length so far */
  uint8_t block[64]; /* pending input, block_used bytes of it */
  size_t block_used;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
/* Writes the 32-byte digest; the context must be initialised again before reuse. */
void sha256_final(sha256_ctx *c, uint8_t digest[32]);
/* The digest of data[0..len) as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);
/* The digest of the file at path, read in 64 KiB blocks, as hex; 0, or -1
 * (out "") when it cannot be read. */
int sha256_file(const char *path, char out[65]);

#endif
