/* The storage test TAs' interface, shared with the secure-world test
 * program (tests/progs/test_storage). storage_test and storage_peer are the
 * same code under two UUIDs: two TAs, so that the tests can show that the
 * same object id names two separate objects. */
#ifndef STORAGE_TEST_TA_H
#define STORAGE_TEST_TA_H

/* clang-format off */
#define TA_STORAGE_TEST_UUID \
	{ 0x042daf01, 0xab4d, 0x4eb8, { 0x95, 0x12, 0x78, 0x98, 0xea, 0x34, 0xb4, 0x93 } }
#define TA_STORAGE_PEER_UUID \
	{ 0x093d0778, 0x15b6, 0x4186, { 0x96, 0x17, 0x86, 0xfb, 0xa8, 0xd4, 0x44, 0x32 } }
/* clang-format on */

/* Commands (objects in TEE_STORAGE_PRIVATE, or in the storage that a value
 * input parameter names where one is shown; results are the API's):
 * SELFTEST  [0] value out: a = checks failed, b = checks run (every storage
 *           function and its GP error cases, from inside the TA)
 *           [1] optional value in: a = the storage id to test (default
 *           TEE_STORAGE_PRIVATE), b = 1 if a normal world with tee-supplicant
 *           is behind the call (else TEE_STORAGE_PRIVATE_REE must answer
 *           TEE_ERROR_STORAGE_NOT_AVAILABLE)
 * PUT       [0] memref in: id  [1] memref in: data (create, OVERWRITE)
 *           [2] optional value in: a = storage id
 * GET       [0] memref in: id  [1] memref out: data (its size is the length read)
 *           [2] optional value in: a = storage id
 * DEL       [0] memref in: id  [2] optional value in: a = storage id
 * COUNT     [0] value out: a = how many objects the TA has (enumeration)
 * HOLD      [0] memref in: id: opens it READ|WRITE without sharing and keeps
 *           the handle (one at a time)
 * HELD_WRITE [0] memref in: data: written at the held handle's position
 * RELEASE   closes the held handle
 * PANIC_READ [0] memref in: id: opens it write-only and reads it: GP says the
 *           TA panics (TEE_PANIC_ID_TEE_READOBJECTDATA) */
#define TA_STORAGE_CMD_SELFTEST   0
#define TA_STORAGE_CMD_PUT        1
#define TA_STORAGE_CMD_GET        2
#define TA_STORAGE_CMD_DEL        3
#define TA_STORAGE_CMD_COUNT      4
#define TA_STORAGE_CMD_HOLD       5
#define TA_STORAGE_CMD_HELD_WRITE 6
#define TA_STORAGE_CMD_RELEASE    7
#define TA_STORAGE_CMD_PANIC_READ 8
/* Stored attributes (persistent keys):
 * KEYTEST   as SELFTEST, for stored attributes; [1] value b bits 8..15:
 *           the part (0: an AES key, its data, usage, damage; 1: an RSA key
 *           pair; 2: an ECC key pair), each against its transient original
 * KEYBLOB   [0] memref in: id  [1] memref out: stores a fixed AES-256 key
 *           under id (flash) and gives back the attributes as stored
 *           (read below the GP API: the header and the sealed blob)
 * KEYREPLAY [0] memref in: id  [1] memref in: attributes from KEYBLOB
 *           (this TA's or another's): imports the blob into the crypto
 *           service directly, and stores it under id below the GP API and
 *           opens that with TEE_OpenPersistentObject; returns the result
 *           both gave (TEE_ERROR_GENERIC if they differ); the object goes
 * KEYPUT    stores an AES, an RSA and an ECC key under "boot/aes",
 *           "boot/rsa", "boot/ecc", each with what its transient original
 *           computed (a ciphertext, a signature) as data
 * KEYCHECK  opens them (after a reboot) and checks them against that data;
 *           TEE_SUCCESS or the first failure */
#define TA_STORAGE_CMD_KEYBLOB    9
#define TA_STORAGE_CMD_KEYREPLAY  10
#define TA_STORAGE_CMD_KEYPUT     11
#define TA_STORAGE_CMD_KEYCHECK   12
#define TA_STORAGE_CMD_KEYTEST    13

#endif
