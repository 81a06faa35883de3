/* Lookup in the boot file system (include/microtee/bootfs.h): pure code
 * over bytes, shared by the kernel (which finds init there) and init's
 * loader (every other program and the firmware's TAs), and run on the host
 * by the unit tests. The image comes from secure flash, but every offset is
 * still checked against its size. */
#ifndef COMMON_BOOTFS_H
#define COMMON_BOOTFS_H
#include <stddef.h>
#include <stdint.h>

#include "../include/microtee/bootfs.h"
#include "../include/microtee/syscall.h"

/* Finds name[0..name_len) in fs[0..fs_size); MT_OK with the entry's offset
 * from fs and its size, or MT_ENOENT. */
int bootfs_lookup(const uint8_t *fs, size_t fs_size, const char *name, size_t name_len,
		  size_t *offset, size_t *size);

/* The kernel's boot file system (set once at boot), for bootfs_find. */
void bootfs_init(const void *base, size_t size);
/* bootfs_lookup in it; returns MT_OK with the program's bytes, or MT_ENOENT. */
int bootfs_find(const char *name, size_t name_len, const void **data, size_t *size);
#endif
