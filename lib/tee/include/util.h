/* Small helpers TAs commonly expect (bits, rounding, min/max). */
#ifndef MT_TEE_UTIL_H
#define MT_TEE_UTIL_H

#include <stdint.h>

#ifndef BIT32
#define BIT32(n) ((uint32_t)1 << (n))
#endif
#ifndef BIT64
#define BIT64(n) ((uint64_t)1 << (n))
#endif
#ifndef BIT
#define BIT(n) (1UL << (n))
#endif
#ifndef GENMASK_32
#define GENMASK_32(h, l) ((0xFFFFFFFFU << (l)) & (0xFFFFFFFFU >> (31 - (h))))
#endif
#ifndef GENMASK_64
#define GENMASK_64(h, l) ((~(uint64_t)0 << (l)) & (~(uint64_t)0 >> (63 - (h))))
#endif
#ifndef ROUNDUP
#define ROUNDUP(v, size) (((v) + ((size)-1)) & ~((__typeof__(v))(size)-1))
#endif
#ifndef ROUNDDOWN
#define ROUNDDOWN(v, size) ((v) & ~((__typeof__(v))(size)-1))
#endif
#ifndef IS_ALIGNED
#define IS_ALIGNED(x, a) (((x) & ((a)-1)) == 0)
#endif
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif
