/* The power-cut workload (tests/system/power.sh, docs/testing.md "Power
 * cuts under QEMU"), shared by its two drivers: the secure-world test
 * program (tests/progs/test_storage, scenarios power_*) and the
 * normal-world one (host/nw/storage_power.c). Both drive the storage test
 * TA's PUT, GET and DEL commands (storage_test_ta.h).
 *
 * Step s (1, 2, ...) changes object s % PC_OBJECTS, whose id is "pc/<j>":
 * a deletion when s % PC_DELETE_EVERY == 0, else a put (create with
 * OVERWRITE) of pc_len(j, s) bytes that pc_fill makes: a header naming the
 * object, the step and the length, then bytes that depend on all three. The
 * driver prints "power: commit <s>" once the TA answered the step's
 * command, and only then goes on: a step is committed when its line is
 * there. After a cut, object j must hold what the last committed step that
 * changed it left (absent if none, or if that step deleted it), or, if the
 * first uncommitted step changes j, what that step leaves. pc_parse reads
 * an object back: its step, or -1 if it is no object this workload wrote. */
#ifndef STORAGE_POWER_H
#define STORAGE_POWER_H

#include <stddef.h>
#include <stdint.h>

#define PC_OBJECTS      4
#define PC_DELETE_EVERY 7
#define PC_MAGIC        0x54554350U /* "PCUT" */
#define PC_LEN_MAX      (16 + 3000)

struct pc_header {
	uint32_t magic, object, step, len;
};
_Static_assert(sizeof(struct pc_header) == 16, "pc_header layout");

static inline uint32_t pc_object(uint32_t step)
{
	return step % PC_OBJECTS;
}

static inline int pc_deletes(uint32_t step)
{
	return step % PC_DELETE_EVERY == 0;
}

/* 16 to 3015 bytes: records of many sizes, some across a block's end. */
static inline size_t pc_len(uint32_t obj, uint32_t step)
{
	return 16 + (step * 977U + obj * 131U) % 3000U;
}

static inline uint8_t pc_byte(uint32_t obj, uint32_t step, size_t i)
{
	uint32_t x = (uint32_t)i * 2654435761U ^ step * 40503U ^ obj * 2246822519U;
	x ^= x >> 15;
	return (uint8_t)(x * 2246822519U >> 24);
}

/* Writes pc_len(obj, step) bytes to out. */
static inline void pc_fill(uint32_t obj, uint32_t step, uint8_t *out)
{
	size_t n = pc_len(obj, step);
	struct pc_header h = {PC_MAGIC, obj, step, (uint32_t)n};
	const uint8_t *hp = (const uint8_t *)&h;
	for (size_t i = 0; i < sizeof(h); i++)
		out[i] = hp[i];
	for (size_t i = sizeof(h); i < n; i++)
		out[i] = pc_byte(obj, step, i);
}

/* The step that wrote these n bytes of object obj, or -1. */
static inline long pc_parse(uint32_t obj, const uint8_t *d, size_t n)
{
	struct pc_header h;
	uint8_t *hp = (uint8_t *)&h;
	if (n < sizeof(h))
		return -1;
	for (size_t i = 0; i < sizeof(h); i++)
		hp[i] = d[i];
	if (h.magic != PC_MAGIC || h.object != obj || h.step == 0 || pc_object(h.step) != obj ||
	    pc_deletes(h.step) || h.len != n || pc_len(obj, h.step) != n)
		return -1;
	for (size_t i = sizeof(h); i < n; i++)
		if (d[i] != pc_byte(obj, h.step, i))
			return -1;
	return (long)h.step;
}

#endif
