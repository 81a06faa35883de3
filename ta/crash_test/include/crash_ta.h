/* The crash TA's interface, shared with the program that drives it
 * (tests/progs/test_crash). Each command ends the instance: the driver
 * starts one per command. */
#ifndef CRASH_TA_H
#define CRASH_TA_H

/* a11e35c4-874d-4dcb-85a2-24e9653b5af0 */
/* clang-format off */
#define TA_CRASH_UUID \
	{ 0xa11e35c4, 0x874d, 0x4dcb, { 0x85, 0xa2, 0x24, 0xe9, 0x65, 0x3b, 0x5a, 0xf0 } }
/* clang-format on */
#define TA_CRASH_UUID_STR "a11e35c4-874d-4dcb-85a2-24e9653b5af0"

/* Commands (no parameters):
 * NESTED         crash_a() calls crash_b() calls crash_c(), which writes to
 *                address 0: a data abort three calls deep.
 * FP_KERNEL      the same fault with x29 pointing at the kernel's image
 * FP_UNMAPPED    ... at an unmapped user address
 * FP_MISALIGNED  ... at a misaligned address on the stack
 * FP_LOOP        ... at a frame record that names itself as its caller
 * PANIC          crash_a() calls crash_b() calls TEE_Panic(TA_CRASH_PANIC_CODE) */
#define TA_CRASH_CMD_NESTED 0
#define TA_CRASH_CMD_FP_KERNEL 1
#define TA_CRASH_CMD_FP_UNMAPPED 2
#define TA_CRASH_CMD_FP_MISALIGNED 3
#define TA_CRASH_CMD_FP_LOOP 4
#define TA_CRASH_CMD_PANIC 5
#define TA_CRASH_CMDS 6

#define TA_CRASH_PANIC_CODE 0xc4a5

#endif
