/* Reading the argument string a program was started with (mt_main's
 * arg2; lib/rt/args.c). */
#ifndef MT_RT_ARGS_H
#define MT_RT_ARGS_H

#include <stdint.h>

/* In a space-separated argument string (0 allowed), the text after the
 * first word that starts with `key` (say "seed="), or 0 if there is none. */
const char *mt_arg(const char *args, const char *key);
/* The number after `key` in args, decimal or 0x-prefixed hexadecimal, up
 * to the next space or the end: MT_OK, MT_ENOENT if the key is absent,
 * MT_EINVAL if what follows is not such a number or does not fit in 64
 * bits (*out is then unchanged). */
long mt_arg_u64(const char *args, const char *key, uint64_t *out);

#endif
