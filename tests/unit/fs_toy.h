/* A toy stand-in for the key service's sealing, for the flash store's unit
 * tests, fuzzer and seed corpus: a keystream XOR (reversible) and an 8-byte
 * check over the owner, the additional data and the plaintext. Any change
 * of one bit of the blob, the additional data or the owner fails unseal.
 * The check is compared without a branch per byte, so that a fuzzer's
 * comparison tracing cannot hand it the expected value. No secret: a test
 * double, not cryptography. */
#ifndef TESTS_UNIT_FS_TOY_H
#define TESTS_UNIT_FS_TOY_H

#include <stdint.h>

#include "services/storage/flashstore.h"

#define TOY_OVERHEAD 8

static inline uint64_t toy_mix(uint64_t h, const void *p, uint32_t n)
{
	const uint8_t *b = p;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001B3ULL;
	return h;
}

static inline uint64_t toy_key(const uint8_t owner[FS_OWNER_LEN], const void *aad, uint32_t aad_len)
{
	return toy_mix(toy_mix(0xCBF29CE484222325ULL, owner, FS_OWNER_LEN), aad, aad_len) | 1;
}

static inline void toy_stream(uint64_t k, const uint8_t *in, uint8_t *out, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		k ^= k << 13;
		k ^= k >> 7;
		k ^= k << 17;
		out[i] = in[i] ^ (uint8_t)(k >> 24);
	}
}

static inline int toy_seal(void *ctx, const uint8_t owner[FS_OWNER_LEN], const void *aad,
			   uint32_t aad_len, const void *in, uint32_t len, void *out)
{
	(void)ctx;
	uint64_t k = toy_key(owner, aad, aad_len);
	uint64_t tag = toy_mix(k, in, len);
	toy_stream(k, in, out, len);
	for (int i = 0; i < 8; i++)
		((uint8_t *)out)[len + i] = (uint8_t)(tag >> (8 * i));
	return 0;
}

static inline int toy_unseal(void *ctx, const uint8_t owner[FS_OWNER_LEN], const void *aad,
			     uint32_t aad_len, const void *in, uint32_t blob_len, void *out)
{
	(void)ctx;
	if (blob_len < TOY_OVERHEAD)
		return -1;
	uint32_t len = blob_len - TOY_OVERHEAD;
	uint64_t k = toy_key(owner, aad, aad_len);
	toy_stream(k, in, out, len);
	uint64_t tag = toy_mix(k, out, len), diff = 0;
	for (int i = 0; i < 8; i++)
		diff |= (uint64_t)(((const uint8_t *)in)[len + i] ^ (uint8_t)(tag >> (8 * i))) << (8 * i);
	return diff ? -1 : 0;
}

#endif
