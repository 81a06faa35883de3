/* init_stamp — the first program Linux runs (/init of the bench initramfs):
 * reads CNTVCT_EL0 and CNTFRQ_EL0 first thing, writes them to /init_stamp,
 * then execs the initramfs's real init (/init.real, the script
 * scripts/nw/mkinitramfs.sh writes). Under QEMU -icount shift=0 the counter
 * is virtual time since reset: one nanosecond per instruction executed
 * (plus any idle time QEMU skips while every CPU waits), 16 per tick at
 * 62.5 MHz. No C library: static, raw system calls (bench/boot/stamp.sh). */
typedef unsigned long u64;

static long sys(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b,
	              x2 __asm__("x2") = c, x3 __asm__("x3") = d;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}

static char *put(char *p, u64 v)
{
	char t[24];
	int n = 0;
	do
		t[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		*p++ = t[--n];
	return p;
}

void _start_c(long *sp)
{
	u64 vct, frq;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(vct)::"memory");
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));
	char buf[64], *p = buf;
	p = put(p, vct);
	*p++ = ' ';
	p = put(p, frq);
	*p++ = '\n';
	/* openat(AT_FDCWD, "/init_stamp", O_WRONLY|O_CREAT|O_TRUNC, 0644) */
	long fd = sys(56, -100, (long)"/init_stamp", 01 | 0100 | 01000, 0644);
	if (fd >= 0) {
		sys(64, fd, (long)buf, p - buf, 0);
		sys(57, fd, 0, 0, 0);
	}
	char **argv = (char **)(sp + 1);
	char **envp = argv + sp[0] + 1;
	argv[0] = "/init.real";
	sys(221, (long)"/init.real", (long)argv, (long)envp, 0); /* execve */
	sys(93, 127, 0, 0, 0);
}

__asm__(".globl _start\n_start:\n\tmov x0, sp\n\tbl _start_c\n");
