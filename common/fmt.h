/* Minimal formatted output for freestanding code (monitor, kernel). */
#ifndef COMMON_FMT_H
#define COMMON_FMT_H
#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_putc_fn)(void *ctx, char c);

/* Formats like printf for %d %i %u %x %X %p %s %c %% with l/ll/z and 0/width.
 * Returns the number of characters produced. */
int fmt_vformat(fmt_putc_fn out, void *ctx, const char *fmt, va_list ap);
/* snprintf equivalent: always NUL-terminates when size > 0. */
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
