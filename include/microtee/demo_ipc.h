/* IPC protocols of the demo services (echo, counter). Word 0 of a request
 * is the operation; replies carry a status in word 0. */
#ifndef MICROTEE_DEMO_IPC_H
#define MICROTEE_DEMO_IPC_H

/* echo */
#define ECHO_OP_PING 1  /* w1 = value -> w1 = value + 1, w2 = caller's badge */
#define ECHO_OP_UPPER 2 /* handle = shared memory, w1 = length -> w1 = bytes changed */
#define ECHO_OP_CRASH 3 /* the service faults while handling the call (test hook) */
#define ECHO_OP_PEEK 4  /* w1 = address in the service -> w1 = the word there (test hook) */

/* counter */
#define COUNTER_OP_INC 1 /* -> w1 = new value */
#define COUNTER_OP_GET 2 /* -> w1 = value */

#define DEMO_EBADOP (-100)

/* How init passes endpoint handles to a client in its start argument. */
#define DEMO_ARG(test, echo_h, counter_h) \
	((unsigned long)(test) | ((unsigned long)(echo_h) << 8) | ((unsigned long)(counter_h) << 16))
#define DEMO_ARG_TEST(a) ((a)&0xff)
#define DEMO_ARG_ECHO(a) (((a) >> 8) & 0xff)
#define DEMO_ARG_COUNTER(a) (((a) >> 16) & 0xff)
#endif
