/* The TA-to-TA test TAs' interface (test image only): ta2ta_test and
 * ta2ta_peer are the same code under two UUIDs. host/nw/tee_test.c
 * (test_ta2ta) asks ta2ta_test for its self-test, which opens sessions to
 * ta2ta_peer (lib/tee/ta2ta.c, the gateway's TA_RPC_* requests). */
#ifndef TA2TA_TEST_TA_H
#define TA2TA_TEST_TA_H

/* clang-format off */
#define TA_TA2TA_TEST_UUID \
	{ 0x7a042988, 0xf679, 0x4c1f, { 0xac, 0x83, 0xe9, 0x38, 0x0f, 0x7c, 0xfe, 0x7a } }
#define TA_TA2TA_PEER_UUID \
	{ 0xaf6305bb, 0x811a, 0x42bc, { 0x95, 0x20, 0x17, 0x1f, 0x3e, 0x6c, 0x62, 0x09 } }
/* clang-format on */

/* Commands:
 * SELFTEST  [0] value out: a = checks failed, b = checks run. Opens
 *           sessions to the peer and checks values, memory references in
 *           and out (short buffers too), the client identity the peer sees,
 *           a call back to ourselves (A calls B calls A: TEE_ERROR_BUSY),
 *           a session to ourselves, an unknown UUID, the cancellation
 *           timeout, empty references and the peer's panic.
 * IDENTITY  [0] value out: a = the client's login; [1] memref out: the
 *           client's UUID (16 bytes, TEE_UUID)
 * XFORM     [0] memref inout: each byte + 1; [1] value inout: a + b -> a;
 *           [2] memref out: the first [0] bytes reversed (SHORT_BUFFER with
 *           the size needed if it is smaller)
 * CALL_BACK [0] value out: a = what opening a session to the calling TA
 *           (the peer of this one) returned, b = its origin
 * PANIC     TEE_Panic(0x7a2)
 * WAIT      [0] value in: a = ms to TEE_Wait with cancellation unmasked;
 *           returns what TEE_Wait returned
 * EMPTY     [0] memref in, of size 0; [1] value out: a = 1 if its buffer is
 *           not NULL */
#define TA_TA2TA_CMD_SELFTEST  0
#define TA_TA2TA_CMD_IDENTITY  1
#define TA_TA2TA_CMD_XFORM     2
#define TA_TA2TA_CMD_CALL_BACK 3
#define TA_TA2TA_CMD_PANIC     4
#define TA_TA2TA_CMD_WAIT      5
#define TA_TA2TA_CMD_EMPTY     6

#endif
