/* The ABI headers under include/microtee/ name <stdint.h>; inside the Linux
 * kernel the same fixed-width types come from <linux/types.h>. */
#ifndef MTFUZZ_COMPAT_STDINT_H
#define MTFUZZ_COMPAT_STDINT_H
#include <linux/types.h>
#endif
