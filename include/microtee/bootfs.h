/* The boot file system: the user programs built into the firmware image.
 * Written by host/mkbootfs, read by the microkernel. Little-endian. */
#ifndef MICROTEE_BOOTFS_H
#define MICROTEE_BOOTFS_H
#include <stdint.h>

#define BOOTFS_MAGIC 0x4642544DU /* "MTBF" */
#define BOOTFS_NAME_MAX 48 /* room for a TA's "<uuid>.ta" */

struct bootfs_header {
	uint32_t magic;
	uint32_t count;
};

struct bootfs_entry {
	char name[BOOTFS_NAME_MAX]; /* NUL-terminated */
	uint32_t offset;            /* from the start of the header */
	uint32_t size;
};

_Static_assert(sizeof(struct bootfs_header) == 8, "bootfs header");
_Static_assert(sizeof(struct bootfs_entry) == 56, "bootfs entry");
#endif
