/* Debug output for TAs, in the shape OP-TEE TAs use: EMSG/IMSG/DMSG/FMSG
 * print through printf to the secure console when their level is at most
 * TRACE_LEVEL (the TA kit sets it from CFG_TEE_TA_LOG_LEVEL: what is built
 * in) and at most mt_trace_level (what is on at run time), prefixed with
 * the level, the TA and the calling function; the _RAW forms print the
 * message alone; MSG always prints. */
#ifndef MT_TEE_TRACE_H
#define MT_TEE_TRACE_H

#include <stdbool.h>

#define TRACE_MIN   0
#define TRACE_ERROR 1
#define TRACE_INFO  2
#define TRACE_DEBUG 3
#define TRACE_FLOW  4
#define TRACE_MAX   TRACE_FLOW

#ifndef TRACE_LEVEL
#define TRACE_LEVEL TRACE_INFO
#endif

void mt_trace_printf(const char *func, int line, int level, bool raw, const char *fmt, ...)
    __attribute__((__format__(__printf__, 5, 6)));

/* Function name form OP-TEE code sometimes calls directly. */
#define trace_printf(func, line, level, level_ok, ...)                                             \
	mt_trace_printf(func, line, level, false, __VA_ARGS__)
#define trace_printf_helper(level, level_ok, ...)                                                  \
	mt_trace_printf(__func__, __LINE__, level, false, __VA_ARGS__)
#define trace_printf_helper_raw(level, level_ok, ...)                                              \
	mt_trace_printf(__func__, __LINE__, level, true, __VA_ARGS__)

/* The level a message must not exceed at run time: the TA's own default
 * (CFG_TEE_TA_LOG_DEFAULT), or what the command line's ta_log= gave the
 * instance. Messages above TRACE_LEVEL are not even compiled in. */
extern int mt_trace_level;

/* The level checks happen here so that disabled messages cost nothing. */
#define MT_TRACE_(level, raw, ...)                                                                 \
	do {                                                                                       \
		if ((level) <= TRACE_LEVEL && (level) <= mt_trace_level)                           \
			mt_trace_printf(__func__, __LINE__, level, raw, __VA_ARGS__);              \
	} while (0)

#define MSG(...)      mt_trace_printf(__func__, __LINE__, TRACE_MIN, false, __VA_ARGS__)
#define MSG_RAW(...)  mt_trace_printf(__func__, __LINE__, TRACE_MIN, true, __VA_ARGS__)
#define EMSG(...)     MT_TRACE_(TRACE_ERROR, false, __VA_ARGS__)
#define IMSG(...)     MT_TRACE_(TRACE_INFO, false, __VA_ARGS__)
#define DMSG(...)     MT_TRACE_(TRACE_DEBUG, false, __VA_ARGS__)
#define FMSG(...)     MT_TRACE_(TRACE_FLOW, false, __VA_ARGS__)
#define EMSG_RAW(...) MT_TRACE_(TRACE_ERROR, true, __VA_ARGS__)
#define IMSG_RAW(...) MT_TRACE_(TRACE_INFO, true, __VA_ARGS__)
#define DMSG_RAW(...) MT_TRACE_(TRACE_DEBUG, true, __VA_ARGS__)
#define FMSG_RAW(...) MT_TRACE_(TRACE_FLOW, true, __VA_ARGS__)
#define INMSG(...)    FMSG("> " __VA_ARGS__)
#define OUTMSG(...)   FMSG("< " __VA_ARGS__)
#define OUTRMSG(r)                                                                                 \
	do {                                                                                       \
		OUTMSG("r=[%x]", (unsigned)(r));                                                   \
		return r;                                                                          \
	} while (0)

#endif
