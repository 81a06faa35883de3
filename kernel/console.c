/* The secure console: UART1, which only the secure world can reach. */
#include <stdarg.h>

#include "../common/fmt.h"
#include "../common/pl011.h"
#include "../platform/qemu-virt/platform.h"
#include "arch.h"
#include "kernel.h"

static void con_putc(void *ctx, char c)
{
	(void)ctx;
	if (c == '\n')
		pl011_putc(PLAT_UART1_BASE, '\r');
	pl011_putc(PLAT_UART1_BASE, c);
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(con_putc, 0, fmt, ap);
	va_end(ap);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		con_putc(0, s[i]);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	printk("[kernel] KERNEL PANIC: ");
	va_start(ap, fmt);
	fmt_vformat(con_putc, 0, fmt, ap);
	va_end(ap);
	printk("\n");
	arch_poweroff();
}
