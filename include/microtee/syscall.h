/* MicroTEE system call ABI: the one definition shared by the microkernel and
 * the S-EL0 runtime.
 *
 * Calling convention: `svc #0` with the call number in x8 and arguments in
 * x0..x6. On return x0 holds a status (MT_OK or a negative MT_E*), and x1..x6
 * hold results. Registers the call does not name as results are preserved.
 */
#ifndef MICROTEE_SYSCALL_H
#define MICROTEE_SYSCALL_H

/* Status codes */
#define MT_OK 0
#define MT_EINVAL (-1)     /* bad argument value */
#define MT_EBADH (-2)      /* handle does not name an object of the right type */
#define MT_ENOMEM (-3)     /* out of memory or over the process's quota */
#define MT_EFAULT (-4)     /* user pointer/length outside what the caller has mapped */
#define MT_EPERM (-5)      /* handle lacks the right for this operation */
#define MT_EPEERDEAD (-6)  /* the other side of an IPC died */
#define MT_ENOSYS (-7)     /* no such system call */
#define MT_ENOENT (-8)     /* no such program / object */
#define MT_ENOSPACE (-9)   /* handle table or object pool full */
#define MT_EBUSY (-10)     /* address range already in use */
#define MT_ESTATE (-11)    /* object is not in a state that allows this */
#define MT_ETIMEDOUT (-12) /* the wait ended before anything arrived */
#define MT_EQUOTA (-13)    /* the caller's quota of that kind of kernel object is used up */
#define MT_EIO (-14)       /* a device reported an error (the flash driver's protocol) */

/* Call numbers */
#define SYS_DEBUG_WRITE 0  /* (buf, len) -> write to the secure console; needs the console right */
#define SYS_EXIT 1         /* (code) -> ends the calling process; does not return */
#define SYS_YIELD 2        /* () */
#define SYS_CALL 3         /* (ep, w0, w1, w2, w3, xfer) -> (st, w0..w3, xfer); see MT_XFER */
#define SYS_REPLY_RECV 4   /* (ep, w0..w3, xfer, flags) -> (st, w0..w3, xfer, badge) */
#define SYS_EP_CREATE 5    /* () -> (st, handle) */
#define SYS_HANDLE_CLOSE 6 /* (h) */
#define SYS_HANDLE_GRANT 7 /* (proc, h, rights, badge) -> (st, handle in proc) */
#define SYS_SPAWN 8        /* removed (MT_ENOSYS): init loads programs itself, SYS_PROC_CREATE */
/* The child's main thread starts with x0 = arg, x1 = arg2 (its mt_main's
 * two arguments); by the runtime's convention arg2 is 0 or the address of
 * a NUL-terminated argument string the parent wrote at MT_USER_ARGS. */
#define SYS_PROC_START 9   /* (proc, arg, arg2) */
#define SYS_WAIT_CHILD 10  /* (struct mt_child_event *out, timeout_ns or 0 = forever) */
#define SYS_MEM_MAP 11     /* (va, size, prot) map fresh zeroed pages */
#define SYS_MEM_UNMAP 12   /* (va, size) */
#define SYS_SHM_CREATE 13  /* (size) -> (st, handle) */
#define SYS_SHM_MAP 14     /* (shm, va, prot) -> (st, size mapped) */
#define SYS_THREAD_CREATE 15 /* (entry, stack_top, arg, prio) -> (st, handle) */
#define SYS_SLEEP 16       /* (ns) */
#define SYS_TIME 17        /* () -> (st, counter, counter_freq) */
#define SYS_POWEROFF 18    /* (spawner) */
#define SYS_PROC_KILL 19   /* (proc) */
#define SYS_PROC_INFO 20   /* (proc or 0 for self, struct mt_proc_info *out) */
#define SYS_BENCH_CTL 21   /* (spawner, op) kernel benchmark/PMU helpers */
#define SYS_THREAD_EXIT 22 /* () ends the calling thread */
#define SYS_NSSHM_CREATE 23 /* (nsmem, const uint64_t *pages, npages) -> (st, shm handle) */
#define SYS_DEVMEM_MAP 24  /* (devmem, va, offset, size, prot) map part of a device range */
#define SYS_DEVMEM_INFO 25 /* (devmem) -> (st, physical base, size, MT_DEVMEM_* flags) */
#define SYS_NW_RPC 26      /* (nwrpc, func, a1, a2) -> (st, a1, a2, a4, a5); see MT_NWRPC_HANDLE */
/* A user-level loader builds a process without the kernel reading any
 * image: an empty process whose main thread will start at entry, then
 * private pages mapped into it and filled from the loader's memory (its
 * read-only and executable pages too), while it has not started. */
#define SYS_PROC_CREATE 27 /* (spawner, name, name_len, prio, const struct mt_quota *, entry, flags) -> (st, proc) */
#define SYS_PROC_MAP 28    /* (proc, va, size, prot) zeroed private pages, charged to proc */
#define SYS_PROC_WRITE 29  /* (proc, va, src, len) copies our src[0..len) to proc's va */
/* Ends a shared-memory object for everyone: every mapping of it, in every
 * process, is removed at once, and no handle to it maps it again. */
#define SYS_SHM_REVOKE 30  /* (shm) needs MT_R_REVOKE */
/* What the CPU offers that S-EL0 may use but cannot probe (EL0 cannot read
 * the ID registers): MT_CPU_* bits. */
#define SYS_CPU_INFO 31    /* () -> (st, MT_CPU_* bits) */
/* System call user dispatch, for a personality that runs another system's
 * binaries in the same process (docs/syscalls.md): once set, an svc of the
 * calling thread whose address lies outside [lo, hi) is not a MicroTEE
 * call; the kernel saves the thread's registers in the frame (struct
 * mt_dispatch_frame, in the caller's memory) and resumes the thread at
 * handler, with sp = handler_sp and x0 = frame. lo = hi = 0 turns it off. */
#define SYS_DISPATCH_SET 32    /* (lo, hi, handler, frame, handler_sp) */
/* Resumes the context of the frame (as the handler may have changed it):
 * does not return to the caller on success. */
#define SYS_DISPATCH_RETURN 33 /* () */
#define SYS_COUNT 34

/* The registers of a thread whose svc was dispatched (SYS_DISPATCH_SET),
 * as the kernel saves them, and as SYS_DISPATCH_RETURN restores them: x0..x30,
 * sp, pc (the address after the svc), the condition flags (NZCV, bits
 * 31..28 of pstate; the rest of pstate is the kernel's) and TPIDR_EL0.
 * FP/SIMD registers are not in it: they stay as they are in the thread. */
struct mt_dispatch_frame {
	unsigned long x[31];
	unsigned long sp;
	unsigned long pc;
	unsigned long pstate;
	unsigned long tpidr;
	unsigned long pad;
};
_Static_assert(sizeof(struct mt_dispatch_frame) == 36 * 8,
	       "struct mt_dispatch_frame is part of the ABI");
#define MT_DISPATCH_NZCV 0xF0000000UL

/* SYS_CPU_INFO bits */
#define MT_CPU_RNDR (1U << 0) /* FEAT_RNG: RNDR and RNDRRS (s3_3_c2_c4_0/1) read at EL0 */

/* Handle rights */
#define MT_R_CALL (1U << 0)     /* endpoint: may call */
#define MT_R_RECV (1U << 1)     /* endpoint: may receive and reply */
#define MT_R_GRANT (1U << 2)    /* may be passed on (grant or IPC transfer) */
#define MT_R_MAP_R (1U << 3)    /* shared memory: may map readable */
#define MT_R_MAP_W (1U << 4)    /* shared memory: may map writable */
#define MT_R_CONTROL (1U << 5)  /* process: start, kill, grant into */
#define MT_R_REVOKE (1U << 6)   /* shared memory: may revoke it (SYS_SHM_REVOKE): its creator's */
#define MT_R_ALL 0x7FU

/* Memory protections for SYS_MEM_MAP / SYS_SHM_MAP. W and X never together. */
#define MT_PROT_R (1U << 0)
#define MT_PROT_W (1U << 1)
#define MT_PROT_X (1U << 2)

/* Handles sent with an IPC message: up to four, packed 16 bits each in the
 * handle word (0 = none). The receiver finds its own numbers for them,
 * packed the same way. */
#define MT_XFER_BITS 16
#define MT_XFER_MASK 0xFFFFUL
#define MT_XFER_MAX 4
#define MT_XFER(a, b, c, d)                                                          \
	((unsigned long)(a) | ((unsigned long)(b) << 16) | ((unsigned long)(c) << 32) | \
	 ((unsigned long)(d) << 48))
#define MT_XFER_GET(word, i) (((word) >> ((i)*MT_XFER_BITS)) & MT_XFER_MASK)

/* SYS_REPLY_RECV flags */
#define MT_RR_REPLY (1U << 0) /* reply to the pending caller first */
#define MT_RR_RECV (1U << 1)  /* then wait for the next message */

/* The user address space. */
#define MT_USER_BASE 0x40000000UL
#define MT_USER_HEAP 0x50000000UL
#define MT_USER_SHM 0x60000000UL
#define MT_USER_STACK_TOP 0x80000000UL
#define MT_USER_TOP 0x100000000UL
/* The top MT_USER_ARGS_MAX bytes of the main thread's stack are kept for
 * its arguments: every main thread starts with sp = MT_USER_ARGS. The
 * kernel puts the boot command line there for init; a parent may write an
 * argument string there (SYS_PROC_WRITE) before SYS_PROC_START. */
#define MT_USER_ARGS_MAX 256UL
#define MT_USER_ARGS (MT_USER_STACK_TOP - MT_USER_ARGS_MAX)
#define MT_PAGE_SIZE 4096UL

/* Child events reported by SYS_WAIT_CHILD. */
#define MT_CHILD_EXITED 1
#define MT_CHILD_FAULTED 2
#define MT_CHILD_KILLED 3

/* Fault kinds in mt_child_event.fault */
#define MT_FAULT_NONE 0
#define MT_FAULT_DATA_ABORT 1
#define MT_FAULT_INSN_ABORT 2
#define MT_FAULT_UNDEFINED 3
#define MT_FAULT_ALIGNMENT 4
#define MT_FAULT_OTHER 5

/* A faulted child's backtrace (mt_child_event.frames): the return
 * addresses of the frame records its frame pointer (x29) chains, innermost
 * first, read by the kernel at the fault. The kernel follows the chain only
 * through 8-byte aligned records, each above the last, in the child's own
 * EL0-readable secure memory, and at most MT_BT_MAX of them: a chain a
 * hostile process made up ends the walk and nothing more. Why it ended is
 * in mt_child_event.bt_end. */
#define MT_BT_MAX 16
#define MT_BT_END_ZERO 0       /* a frame pointer of 0: the outermost frame (crt0) */
#define MT_BT_END_MAX 1        /* MT_BT_MAX frames taken; there may be more */
#define MT_BT_END_MISALIGNED 2 /* a frame pointer not 8-byte aligned */
#define MT_BT_END_UNREADABLE 3 /* a frame pointer outside the child's readable memory */
#define MT_BT_END_NOT_UP 4     /* a frame record not above the one before it */

struct mt_child_event {
	unsigned long proc;   /* the parent's handle for the child */
	unsigned long pid;
	long reason;          /* MT_CHILD_* */
	long code;            /* exit code */
	unsigned long fault;  /* MT_FAULT_* */
	unsigned long addr;   /* faulting address */
	unsigned long esr;    /* syndrome */
	/* MT_CHILD_FAULTED only (0 otherwise): the faulting thread's pc, lr
	 * (x30), sp and frame pointer (x29), and its backtrace. */
	unsigned long pc, lr, sp, fp;
	unsigned long bt_end;  /* MT_BT_END_*: why the frame walk stopped */
	unsigned long nframes; /* entries of frames[] used */
	unsigned long frames[MT_BT_MAX];
};
_Static_assert(sizeof(struct mt_child_event) == (13 + MT_BT_MAX) * 8,
	       "struct mt_child_event is part of the ABI");

/* What a process may have the kernel hold for it: pages (its own, its page
 * tables, the pages of the shared-memory objects it created) and kernel
 * objects, each charged to the process that created it and refunded when it
 * is freed. A child's quota is carved out of its creator's at
 * SYS_PROC_CREATE and returns to it when the child ends, so no set of
 * quotas can add up to more than exists: the kernel gives init every pool
 * whole. Over the quota: MT_ENOMEM for pages, MT_EQUOTA for objects. */
#define MT_Q_PAGES 0     /* 4 KiB pages of secure RAM */
#define MT_Q_THREADS 1   /* threads, the main thread included */
#define MT_Q_ENDPOINTS 2 /* IPC endpoints (SYS_EP_CREATE) */
#define MT_Q_SHMS 3      /* shared-memory objects (SYS_SHM_CREATE, SYS_NSSHM_CREATE) */
#define MT_Q_PROCS 4     /* processes (SYS_PROC_CREATE) */
#define MT_Q_KINDS 5

struct mt_quota {
	unsigned long n[MT_Q_KINDS]; /* indexed by MT_Q_* */
};
_Static_assert(sizeof(struct mt_quota) == 40, "struct mt_quota is part of the ABI");

struct mt_proc_info {
	unsigned long pid;
	unsigned long pages_used;   /* user pages + page tables charged (used[MT_Q_PAGES]) */
	unsigned long page_quota;   /* quota[MT_Q_PAGES] */
	unsigned long threads;      /* threads alive */
	unsigned long handles;
	unsigned long kernel_free_pages; /* system wide */
	unsigned long kernel_total_pages;
	unsigned long used[MT_Q_KINDS];  /* charged to it: what it created and still exists */
	unsigned long lent[MT_Q_KINDS];  /* carved out of its quota for its living children */
	unsigned long quota[MT_Q_KINDS]; /* its quota: used + lent never exceed it */
	unsigned long kernel_free[MT_Q_KINDS]; /* free in the kernel's pools, system wide */
};
_Static_assert(sizeof(struct mt_proc_info) == 27 * 8, "struct mt_proc_info is part of the ABI");

/* Device memory (SYS_DEVMEM_*). A DEVMEM capability names a fixed physical
 * range of a device; the kernel creates them at boot and gives them to init,
 * which grants them on. MT_R_MAP_R allows read-only mappings, MT_R_MAP_W
 * read-write ones; nothing is ever mapped executable. */
#define MT_DEVMEM_DEVICE (1U << 0) /* mapped as Device-nGnRE (registers, flash commands);
				    * otherwise as normal memory (read-mostly contents) */

/* init's device-memory handles, after the three lib/rt/mt.h names: secure
 * flash0 as the firmware image lays it out (monitor/payload.S), and the
 * flash's non-volatile area at its end (platform.h). init hands all four to
 * the flash driver (services/flash). The first three have only
 * MT_R_MAP_R (and GRANT): the firmware is never writable. */
#define MT_DEVMEM_MONITOR_HANDLE 4 /* the monitor's load image, up to the kernel's page */
#define MT_DEVMEM_KERNEL_HANDLE 5  /* kernel.bin as the monitor loads it, to a page boundary */
#define MT_DEVMEM_BOOTFS_HANDLE 6  /* the boot file system, to a page boundary */
#define MT_DEVMEM_NV_HANDLE 7      /* the non-volatile area: the last 4 MiB of flash0, MAP_R | MAP_W */

/* The authority to issue OP-TEE RPCs to the normal world (SYS_NW_RPC),
 * init's handle 8 (CONTROL | GRANT). An RPC travels on the normal-world
 * call the calling thread works for: the kernel tags the stand-in thread of
 * each call and passes the tag along every IPC call made on its behalf
 * (the receiver of a call takes its caller's tag). The call's SMC returns
 * to the normal world with x0 = func (OPTEE_SMC_RETURN_RPC_ALLOC, _FREE or
 * _CMD), x1 = a1, x2 = a2, x3 = the call's thread id; the thread blocks
 * until the normal world resumes that call (CALL_RETURN_FROM_RPC), and then
 * gets the normal world's x1, x2, x4 and x5, unchecked: they are the normal
 * world's to choose. MT_ESTATE: the thread works for no call in progress,
 * or that call already has an RPC out; MT_EPEERDEAD: the call ended before
 * the RPC could be sent. */
#define MT_NWRPC_HANDLE 8

/* SYS_PROC_CREATE flags (x6). MT_SPAWN_CONSOLE: the new process may write to the
 * secure console (SYS_DEBUG_WRITE), if the spawner may; without it the
 * process's writes fail with MT_EPERM. The kernel gives init the right. */
#define MT_SPAWN_CONSOLE (1U << 0)

/* SYS_BENCH_CTL operations */
#define MT_BENCH_PMU_ENABLE 1 /* let EL0 read the PMU, count instructions in counter 0 */
#define MT_BENCH_KERNEL_INFO 2 /* -> (st, image_bytes, secure_ram_used_bytes) */
#define MT_BENCH_RV_REPORT 3   /* the kernel prints its runtime-verification tally */

#endif
