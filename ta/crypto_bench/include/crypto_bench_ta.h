/* The crypto benchmark TA's interface, shared by the TA (ta/crypto_bench)
 * and its client (host/nw/bench_crypto.c, run by `make bench`).
 *
 * The session holds, from TA_OpenSessionEntryPoint on, a SHA-256 digest
 * operation and an AES-128-GCM encryption operation whose key (the bytes
 * 00 01 02 ... 0f, CRYPTO_BENCH_KEY) is already set: what each command
 * measures is the per-message work only.
 *
 * Commands, with their parameters:
 * SHA256     [0] memref in: the message    [1] memref out: its SHA-256 (32 bytes)
 *            One TEE_DigestDoFinal on the memory reference.
 * GCM_ENC    [0] memref in: the plaintext  [1] memref out: ciphertext then the
 *            16-byte tag (size + 16 bytes)  [2] value in: a, b = the nonce counter
 *            One TEE_AEInit (the nonce CRYPTO_BENCH_NONCE makes of a, b; 128-bit tag, no
 *            AAD) and one TEE_AEEncryptFinal on the memory references.
 * SELF       [0] value in: a = CRYPTO_BENCH_ALG_*, b = message bytes (<= 16384)
 *            [1] value in: a = samples, b = operations per sample
 *            [2] value out: a = instructions per operation, median over the
 *                samples; b = the lowest sample
 *            [3] value out: a = the counter read's own cost, instructions
 *                (subtracted), b = counter frequency in Hz
 *            The TA times the operation itself, on its own buffers: each
 *            sample is `b` back-to-back operations between two reads of the
 *            system counter (mt_time: CNTPCT, which under QEMU -icount
 *            shift=0 advances one nanosecond per instruction executed,
 *            anywhere; at 62.5 MHz, 16 instructions per tick). */
#ifndef CRYPTO_BENCH_TA_H
#define CRYPTO_BENCH_TA_H

/* 64a5935d-5833-4306-a01e-af6f13d325bd, as a TEE_UUID / TEEC_UUID initialiser */
/* clang-format off */
#define TA_CRYPTO_BENCH_UUID \
	{ 0x64a5935d, 0x5833, 0x4306, { 0xa0, 0x1e, 0xaf, 0x6f, 0x13, 0xd3, 0x25, 0xbd } }
/* clang-format on */

#define TA_CRYPTO_BENCH_CMD_SHA256  0
#define TA_CRYPTO_BENCH_CMD_GCM_ENC 1
#define TA_CRYPTO_BENCH_CMD_SELF    2

#define CRYPTO_BENCH_ALG_SHA256  0
#define CRYPTO_BENCH_ALG_GCM_ENC 1

#define CRYPTO_BENCH_MAX_LEN 16384

/* The AES-128 key and the 12-byte nonce for counter (a, b). */
/* clang-format off */
#define CRYPTO_BENCH_KEY \
	{ 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, \
	  0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f }
/* clang-format on */
#define CRYPTO_BENCH_NONCE(n, a, b)                                                                \
	do {                                                                                       \
		(n)[0] = 0xca;                                                                     \
		(n)[1] = 0xfe;                                                                     \
		(n)[2] = 0xba;                                                                     \
		(n)[3] = 0xbe;                                                                     \
		for (int i_ = 0; i_ < 4; i_++) {                                                   \
			(n)[4 + i_] = (unsigned char)((b) >> (24 - 8 * i_));                       \
			(n)[8 + i_] = (unsigned char)((a) >> (24 - 8 * i_));                       \
		}                                                                                  \
	} while (0)

#endif
