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

#endif
