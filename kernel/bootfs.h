#ifndef KERNEL_BOOTFS_H
#define KERNEL_BOOTFS_H
#include "../include/microtee/bootfs.h"
#include "kernel.h"

void bootfs_init(const void *base, size_t size);
/* Finds a program by name; returns MT_OK with its bytes, or MT_ENOENT. */
int bootfs_find(const char *name, size_t name_len, const void **data, size_t *size);
#endif
