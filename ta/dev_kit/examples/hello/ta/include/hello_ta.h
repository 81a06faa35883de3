/* The hello TA's interface, shared by the TA and its clients. */
#ifndef HELLO_TA_H
#define HELLO_TA_H

/* f3a527ac-ab41-4bc2-806f-517e9a841859 */
#define TA_HELLO_UUID                                                                              \
	{                                                                                          \
		0xf3a527ac, 0xab41, 0x4bc2,                                                        \
		{                                                                                  \
			0x80, 0x6f, 0x51, 0x7e, 0x9a, 0x84, 0x18, 0x59                             \
		}                                                                                  \
	}

/* GREET  [0] memref in: a name   [1] memref out: "hello, <name>"
 *        (TEE_ERROR_SHORT_BUFFER with the size needed if [1] is too small)
 * COUNT  [0] value out: a = how many GREETs this session has answered */
#define TA_HELLO_CMD_GREET 0
#define TA_HELLO_CMD_COUNT 1

#endif
