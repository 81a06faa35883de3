/* The installed TA (ta/installed): shared with its clients. */
#ifndef INSTALLED_TA_H
#define INSTALLED_TA_H

#define TA_INSTALLED_UUID                                  \
	{0xd2b2c2a0, 0x0000, 0x4000,                       \
	 {0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03}}

/* ADD    [0] value in: a, b   [1] value out: a = a + b + 1000 (so that its
 *                                answers are told from the demo TA's)
 * PANIC  the instance panics (the next open loads it again) */
#define TA_INSTALLED_CMD_ADD   0
#define TA_INSTALLED_CMD_PANIC 1

#endif
