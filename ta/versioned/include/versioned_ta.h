/* The anti-rollback test TA (ta/versioned): shared with its clients. */
#ifndef VERSIONED_TA_H
#define VERSIONED_TA_H

#define TA_VERSIONED_UUID                                  \
	{0xd2b2c2a0, 0x0000, 0x4000,                       \
	 {0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a}}

/* BUILD  [0] value out: a = the TA_VERSION_NUMBER it was built (and signed) with */
#define TA_VERSIONED_CMD_BUILD 0

#endif
