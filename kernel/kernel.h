/* Core definitions shared by every part of the microkernel. */
#ifndef KERNEL_H
#define KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "../common/kstring.h"
#include "../include/microtee/syscall.h"

typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;

#define PAGE_SIZE 4096UL
#define PAGE_SHIFT 12
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define kassert(c)                                                                   \
	do {                                                                         \
		if (!(c))                                                            \
			panic("assertion '%s' failed at %s:%d", #c, __FILE__, __LINE__); \
	} while (0)

/* Identity mapping: the kernel sees secure RAM at its physical address. */
static inline void *pa_to_va(paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}
static inline paddr_t va_to_pa(const void *va)
{
	return (paddr_t)(uintptr_t)va;
}

#endif
