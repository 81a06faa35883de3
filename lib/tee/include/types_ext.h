/* Address types OP-TEE-style TAs expect next to the standard integers. */
#ifndef MT_TEE_TYPES_EXT_H
#define MT_TEE_TYPES_EXT_H

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uintptr_t vaddr_t;
typedef uintptr_t paddr_t;
typedef uintptr_t paddr_size_t;

#endif
