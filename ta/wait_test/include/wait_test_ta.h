/* The wait test TA's interface (ta/wait_test), shared with its client,
 * host/nw/tee_test.c. */
#ifndef WAIT_TEST_TA_H
#define WAIT_TEST_TA_H

/* 7c0a5e31-4d2b-4f6e-9a1c-5b3e8d2f0c47 */
/* clang-format off */
#define TA_WAIT_TEST_UUID \
	{ 0x7c0a5e31, 0x4d2b, 0x4f6e, { 0x9a, 0x1c, 0x5b, 0x3e, 0x8d, 0x2f, 0x0c, 0x47 } }
/* clang-format on */

/* Commands, with their parameters:
 * SPIN   [0] value in: a = milliseconds to compute without sleeping
 *            (0xFFFFFFFF: for ever), b = 1 to unmask cancellation first
 *            (and then ignore it)
 *        [1] value out: a = milliseconds spent
 * WAIT   [0] value in: a = milliseconds for TEE_Wait (0xFFFFFFFF: forever),
 *            b = 1 to unmask cancellation first
 *        [1] value out: a = milliseconds the wait took, b = what
 *            TEE_GetCancellationFlag said after it
 *        Returns what TEE_Wait returned (TEE_ERROR_CANCEL when cancelled).
 * MASKS  [0] value out: a = the results of TEE_UnmaskCancellation,
 *            TEE_UnmaskCancellation, TEE_MaskCancellation and
 *            TEE_MaskCancellation, in that order, one bit each from bit 0
 *            (GP: 0b1001, masked when the entry point starts) */
#define TA_WAIT_TEST_CMD_SPIN  0
#define TA_WAIT_TEST_CMD_WAIT  1
#define TA_WAIT_TEST_CMD_MASKS 2

#endif
