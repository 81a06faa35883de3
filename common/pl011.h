/* PL011 UART output, polled. */
#ifndef COMMON_PL011_H
#define COMMON_PL011_H
#include <stdint.h>

static inline void pl011_putc(uintptr_t base, char c)
{
	volatile uint32_t *dr = (volatile uint32_t *)base;
	volatile uint32_t *fr = (volatile uint32_t *)(base + 0x18);
	while (*fr & (1U << 5)) /* TXFF */
		;
	*dr = (uint32_t)(unsigned char)c;
}

static inline void pl011_init(uintptr_t base)
{
	volatile uint32_t *cr = (volatile uint32_t *)(base + 0x30);
	*cr = (1U << 0) | (1U << 8) | (1U << 9); /* UARTEN, TXE, RXE */
}
#endif
