/* The key-service test TAs' interface, shared with the secure-world test
 * program (tests/progs/test_keys). keys_test and keys_peer are the same code
 * under two UUIDs: two TAs, so that one can try the other's sealed data. */
#ifndef KEYS_TEST_TA_H
#define KEYS_TEST_TA_H

/* clang-format off */
#define TA_KEYS_TEST_UUID \
	{ 0x9d476f81, 0xcc6d, 0x4bfb, { 0xb7, 0x78, 0x1d, 0xcc, 0xbe, 0x62, 0x63, 0xa6 } }
#define TA_KEYS_PEER_UUID \
	{ 0xf164cea2, 0xb9aa, 0x4fc5, { 0xb2, 0xac, 0x1b, 0x1f, 0x8d, 0xa9, 0xbe, 0x5b } }
/* clang-format on */
#define TA_KEYS_TEST_UUID_STR "9d476f81-cc6d-4bfb-b778-1dccbe6263a6"
#define TA_KEYS_PEER_UUID_STR "f164cea2-b9aa-4fc5-b2ac-1b1f8da9be5b"

/* Commands, with their parameters (results are the key service's):
 * SEAL      [0] memref in: data          [1] memref out: sealed blob
 * UNSEAL    [0] memref in: sealed blob   [1] memref out: data
 * DERIVE    [0] memref in: label         [1] memref out: the key (its size is the key length)
 * ATTEST    [0] memref in: nonce         [1] memref out: the signed report
 * DEVICE    [0] memref out: device ID (16 bytes) || attestation public key (65 bytes)
 *           [1] value out: a = the key service's KEY_STATE_* flags
 * SELFTEST  [0] value out: a = checks failed, b = checks run (the TA's own view of
 *           lib/tee's key API: sealing, tampering, derivation, reports, properties)
 * PANIC     none: TEE_Panic(TA_KEYS_TEST_PANIC_CODE)
 * BENCH     [0] value in: a = rounds  [1] value out: a = median instructions of one
 *           TEE_GetAttestationReport, b = of one TEE_SealData of 4 KiB (the PMU must
 *           be on: scenario keys_bench) */
#define TA_KEYS_CMD_SEAL     0
#define TA_KEYS_CMD_UNSEAL   1
#define TA_KEYS_CMD_DERIVE   2
#define TA_KEYS_CMD_ATTEST   3
#define TA_KEYS_CMD_DEVICE   4
#define TA_KEYS_CMD_SELFTEST 5
#define TA_KEYS_CMD_PANIC    6
#define TA_KEYS_CMD_BENCH    7

#define TA_KEYS_TEST_PANIC_CODE 0x4b455953

#endif
