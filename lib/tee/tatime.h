/* TA persistent time (GP's TEE_GetTAPersistentTime and
 * TEE_SetTAPersistentTime) as arithmetic on the system time: the TA's time
 * is the system time plus an offset the TA set. Pure, so that it runs on
 * the host too (tests/unit/test_tatime.c). */
#ifndef LIB_TEE_TATIME_H
#define LIB_TEE_TATIME_H

#include <stdbool.h>
#include <stdint.h>

/* The offset (milliseconds) that makes the TA's time sec.ms when the
 * system time is now_ms. ms must be below 1000 (false otherwise). */
bool tee_tatime_offset(uint32_t sec, uint32_t ms, uint64_t now_ms, int64_t *offset_ms);
/* The TA's time at system time now_ms, in *sec and *ms; true if the
 * seconds went past UINT32_MAX (GP's TEE_ERROR_OVERFLOW: *sec is then
 * the count modulo 2^32). */
bool tee_tatime_read(int64_t offset_ms, uint64_t now_ms, uint32_t *sec, uint32_t *ms);

#endif
