/*
 * bench_invoke — what a null TEEC_InvokeCommand costs from Linux, in
 * instructions, with a Linux system call measured the same way in the same
 * run as the reference. Run by bench/run.sh under QEMU -icount shift=0, one
 * CPU, as root in the bench initramfs (tee-supplicant running).
 *
 * The "null" invoke is the demo TA's TA_DEMO_CMD_GET_SESSION_COUNT: one
 * value output parameter, the TA stores a counter in it. Each call goes
 * libteec -> ioctl(TEE_IOC_INVOKE) -> optee.ko -> SMC -> monitor -> gateway
 * -> TA and all the way back.
 *
 * Counting: perf_event_open(PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS)
 * with no exclude_* bit, bound to this thread, read with read(2) before and
 * after each call; the median cost of two back-to-back reads is subtracted.
 * Linux then programs the event to count at EL0, EL1 and EL2 of the normal
 * world and (PMEVTYPER.P/U/M all 0) at S-EL0, S-EL1 and EL3; the monitor sets
 * MDCR_EL3.SPME so that counting in the secure state is not prohibited.
 * QEMU implements this event only under precise -icount.
 *
 * Cross-check, and fallback when perf is unavailable: CNTVCT_EL0. Under
 * -icount shift=0 every instruction, in any world, advances virtual time by
 * 1 ns, and the counter ticks at CNTFRQ (62.5 MHz: 16 ns per tick), so
 * ticks * 1e9 / CNTFRQ estimates instructions (16-instruction resolution).
 * If the perf numbers fall clearly short of the CNTVCT ones for the invoke
 * (i.e. the secure world was not counted), CNTVCT becomes the method.
 *
 * Output: `bench_invoke: ...` detail lines, then the `name: value` results
 * (linux_null_syscall_insns, invoke_roundtrip_insns,
 * open_close_session_insns, invoke_method), then `bench_invoke: done`.
 * Exit status 0 on success.
 *
 * Usage: bench_invoke [N_INVOKE [N_OPEN_CLOSE]]   (defaults 2000, 200)
 *        bench_invoke prof COUNT
 *        bench_invoke tput MS ROUNDS
 * The second form is for profiling (bench/prof/profile.sh invoke): after a
 * warm-up it runs COUNT null invokes between the marker instructions that
 * bench/prof/tbprof.so counts between, and measures nothing.
 *
 * The third is the throughput benchmark (bench/tput.sh), in wall time
 * (CLOCK_MONOTONIC) under multi-threaded TCG, without -icount, on a
 * machine with at least two CPUs. Each round runs four kinds for MS
 * milliseconds each, taking turns in slices of 100 ms (so that each sees
 * the same share of a loaded host): one thread pinned to one CPU (CPU 0
 * and CPU 1 in turn) making null invokes back to back; two threads pinned
 * to CPUs 0 and 1 at once; and the same two with a loop that never leaves
 * Linux (the CPU-bound baseline: what the host gives two vCPUs at once).
 * A kind's rate is each thread's operations over its own time, summed over
 * its threads. Each thread
 * has its own session to ta/installed (an instance per session, so the two
 * CPUs' calls need not wait for one TA instance; TA_INSTALLED_CMD_ADD: one
 * value in, one out). It prints each round and the medians over the rounds:
 * invoke_throughput_1cpu_per_s, invoke_throughput_2cpu_per_s,
 * invoke_throughput_2cpu_ratio (the median of the rounds' 2-CPU/1-CPU
 * ratios), linux_spin_2cpu_ratio (the same for the loop) and
 * invoke_throughput_2cpu_ratio_per_spin (the median of each round's invoke
 * ratio divided by its loop ratio: the scaling the host left room for).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <tee_client_api.h>
#include <time.h>
#include <unistd.h>

#include "../../ta/demo/include/demo_ta.h"
#include "../../ta/installed/include/installed_ta.h"

#define WARMUP 100

static const TEEC_UUID demo_uuid = TA_DEMO_UUID;
static TEEC_Context ctx;
static TEEC_Session sess;

/* ---- counters ---- */

enum method { M_PERF, M_CNTVCT };
static int perf_fd = -1;
static uint64_t cntfrq;

static uint64_t read_perf(void)
{
	uint64_t v;
	if (read(perf_fd, &v, sizeof(v)) != (ssize_t)sizeof(v)) {
		printf("bench_invoke: FAIL read(perf): %s\n", strerror(errno));
		exit(1);
	}
	return v;
}

static uint64_t read_cntvct(void)
{
	uint64_t v;
	__asm__ volatile("isb; mrs %0, cntvct_el0; isb" : "=r"(v)::"memory");
	return v;
}

static uint64_t now(enum method m)
{
	return m == M_PERF ? read_perf() : read_cntvct();
}

/* Counter units to instructions (CNTVCT: ticks to ns = instructions). */
static uint64_t to_insns(enum method m, uint64_t d)
{
	return m == M_PERF ? d : d * 1000000000ull / cntfrq;
}

static int open_perf(void)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_HARDWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_HW_INSTRUCTIONS;
	/* No exclude_user/kernel/hv/idle/host/guest: count every EL and both
	 * worlds while this thread runs. */
	perf_fd =
	    (int)syscall(SYS_perf_event_open, &a, 0 /* this thread */, -1 /* any CPU */, -1, 0);
	if (perf_fd < 0) {
		printf("bench_invoke: perf_event_open(PERF_COUNT_HW_INSTRUCTIONS): %s\n",
		       strerror(errno));
		return -1;
	}
	/* Does it count at all? (Without -icount QEMU has no instructions event.) */
	uint64_t t0 = read_perf();
	for (volatile int i = 0; i < 1000; i++)
		;
	uint64_t t1 = read_perf();
	if (t1 - t0 < 1000) {
		printf("bench_invoke: perf instructions counter does not count (%llu for a "
		       "1000-iteration loop)\n",
		       (unsigned long long)(t1 - t0));
		close(perf_fd);
		perf_fd = -1;
		return -1;
	}
	return 0;
}

/* ---- statistics ---- */

struct stats {
	uint64_t min, median, max;
	int n;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static struct stats summarise(uint64_t *s, int n)
{
	qsort(s, n, sizeof(s[0]), cmp_u64);
	return (struct stats){s[0], s[n / 2], s[n - 1], n};
}

/* ---- the operations measured ---- */

typedef int (*op_fn)(void);

static int op_nothing(void)
{
	return 0;
}

static int op_getppid(void)
{
	return syscall(SYS_getppid) > 0 ? 0 : -1;
}

static int op_invoke(void)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	TEEC_Result r = TEEC_InvokeCommand(&sess, TA_DEMO_CMD_GET_SESSION_COUNT, &op, &origin);
	if (r != TEEC_SUCCESS || op.params[0].value.a < 1) {
		printf("bench_invoke: FAIL invoke: 0x%x origin %u count %u\n", r, origin,
		       op.params[0].value.a);
		return -1;
	}
	return 0;
}

/* A cold open: ta/installed is in no boot file system and keeps no instance,
 * so each open has tee-supplicant read /lib/optee_armtz/<uuid>.ta, the
 * secure world check its signature and load it, and each close end it. */
static const TEEC_UUID installed_uuid = TA_INSTALLED_UUID;

static int op_ta_load(void)
{
	TEEC_Session s;
	uint32_t origin = 0;
	TEEC_Result r =
	    TEEC_OpenSession(&ctx, &s, &installed_uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (r != TEEC_SUCCESS) {
		printf("bench_invoke: FAIL open of the installed TA: 0x%x origin %u\n", r, origin);
		return -1;
	}
	TEEC_CloseSession(&s);
	return 0;
}

static int op_open_close(void)
{
	TEEC_Session s;
	uint32_t origin = 0;
	TEEC_Result r =
	    TEEC_OpenSession(&ctx, &s, &demo_uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (r != TEEC_SUCCESS) {
		printf("bench_invoke: FAIL open session: 0x%x origin %u\n", r, origin);
		return -1;
	}
	TEEC_CloseSession(&s);
	return 0;
}

/* Measures `fn` n times, each call individually, after `warmup` unmeasured
 * calls; `overhead` (counter units) is subtracted from every sample.
 * Returns 0 and the statistics in instructions, or -1 if a call failed. */
static int measure(enum method m, op_fn fn, int n, int warmup, uint64_t overhead, struct stats *out)
{
	uint64_t *s = malloc(n * sizeof(*s));
	if (!s) {
		printf("bench_invoke: FAIL out of memory\n");
		return -1;
	}
	for (int i = 0; i < warmup; i++) {
		if (fn()) {
			free(s);
			return -1;
		}
	}
	for (int i = 0; i < n; i++) {
		uint64_t t0 = now(m);
		int rc = fn();
		uint64_t t1 = now(m);
		if (rc) {
			free(s);
			return -1;
		}
		uint64_t d = t1 - t0;
		s[i] = d > overhead ? d - overhead : 0;
	}
	struct stats st = summarise(s, n);
	free(s);
	out->min = to_insns(m, st.min);
	out->median = to_insns(m, st.median);
	out->max = to_insns(m, st.max);
	out->n = n;
	return 0;
}

struct result {
	struct stats syscall, invoke, open_close, ta_load;
	uint64_t overhead; /* instructions */
};

static int n_load; /* cold opens of the installed TA (argv[3]; 0: none) */

static int run_all(enum method m, int n_invoke, int n_open, struct result *r)
{
	struct stats ov;
	if (measure(m, op_nothing, 2000, 10, 0, &ov))
		return -1;
	/* Subtract in counter units: for CNTVCT the read pair costs well under
	 * one tick, so nothing is subtracted there. */
	uint64_t overhead_units = m == M_PERF ? ov.median : 0;
	r->overhead = ov.median;
	if (measure(m, op_getppid, 2000, WARMUP, overhead_units, &r->syscall))
		return -1;
	if (measure(m, op_invoke, n_invoke, WARMUP, overhead_units, &r->invoke))
		return -1;
	if (n_open > 0 && measure(m, op_open_close, n_open, 10, overhead_units, &r->open_close))
		return -1;
	if (n_load > 0 && measure(m, op_ta_load, n_load, 2, overhead_units, &r->ta_load))
		return -1;
	return 0;
}

static void show(const char *method, const char *what, const struct stats *s)
{
	printf("bench_invoke: %-6s %-34s n=%-5d min %8llu  median %8llu  max %9llu\n", method, what,
	       s->n, (unsigned long long)s->min, (unsigned long long)s->median,
	       (unsigned long long)s->max);
}

static void show_all(const char *method, const struct result *r, int n_open)
{
	printf("bench_invoke: %-6s counter read pair costs %llu insns (median%s)\n", method,
	       (unsigned long long)r->overhead,
	       strcmp(method, "perf") == 0 ? ", subtracted from each sample"
	                                   : ", below one tick: not subtracted");
	show(method, "getppid() syscall", &r->syscall);
	show(method, "TEEC_InvokeCommand(GET_SESSION_COUNT)", &r->invoke);
	if (n_open > 0)
		show(method, "TEEC_OpenSession+TEEC_CloseSession", &r->open_close);
	if (n_load > 0)
		show(method, "cold open+close of ta/installed", &r->ta_load);
}

#define MARK_START() __asm__ volatile("hint #125" ::: "memory")
#define MARK_STOP()  __asm__ volatile("hint #126" ::: "memory")

/* COUNT null invokes between the profiler's markers (bench/prof/). */
static int profile(int count)
{
	printf("bench_invoke: profiling %d null invokes\n", count);
	for (int i = 0; i < WARMUP; i++)
		if (op_invoke())
			return 1;
	MARK_START();
	for (int i = 0; i < count; i++)
		if (op_invoke())
			return 1;
	MARK_STOP();
	printf("bench_invoke: done\n");
	return 0;
}

/* ---- throughput: wall time, one or two CPUs at once ---- */

struct tput_thread {
	pthread_t th;
	int cpu;
	int spin; /* the Linux-only loop instead of invokes */
	TEEC_Session sess;
	uint64_t n;     /* operations done */
	double seconds; /* over which the thread did them */
	int failed;
};

static volatile int tput_go, tput_stop;

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One unit of the CPU-bound baseline: arithmetic in registers, no memory
 * traffic, no system call. */
static uint64_t spin_unit(uint64_t x)
{
	for (int i = 0; i < 1000; i++)
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	return x;
}

static volatile uint64_t spin_sink;

static void *tput_body(void *arg)
{
	struct tput_thread *t = arg;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(t->cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0 ||
	    sched_getcpu() != t->cpu) {
		printf("bench_invoke: FAIL could not pin a thread to CPU %d\n", t->cpu);
		t->failed = 1;
		return NULL;
	}
	while (!tput_go)
		;
	uint64_t x = (uint64_t)t->cpu + 1, n = 0;
	double t0 = mono_s();
	while (!tput_stop) {
		if (t->spin) {
			x = spin_unit(x);
		} else {
			TEEC_Operation op;
			uint32_t origin = 0;
			memset(&op, 0, sizeof(op));
			op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
			                                 TEEC_NONE, TEEC_NONE);
			op.params[0].value.a = (uint32_t)n;
			op.params[0].value.b = (uint32_t)t->cpu;
			TEEC_Result r =
			    TEEC_InvokeCommand(&t->sess, TA_INSTALLED_CMD_ADD, &op, &origin);
			if (r != TEEC_SUCCESS ||
			    op.params[1].value.a != (uint32_t)n + (uint32_t)t->cpu + 1000) {
				printf(
				    "bench_invoke: FAIL invoke on CPU %d: 0x%x origin %u, a = %u\n",
				    t->cpu, r, origin, op.params[1].value.a);
				t->failed = 1;
				return NULL;
			}
		}
		n++;
	}
	t->seconds = mono_s() - t0;
	t->n = n;
	spin_sink = x;
	return NULL;
}

/* The operations and seconds of each thread of some slices of one kind;
 * slot 0 for a one-thread kind, whichever CPU it ran on. */
struct tput_acc {
	double ops[2], secs[2];
};

/* One slice: a thread on each CPU of cpus[0..ncpu) for ms milliseconds,
 * added to a; -1 on failure. */
static int tput_slice(struct tput_thread *ts, const int *cpus, int ncpu, int spin, int ms,
                      struct tput_acc *a)
{
	tput_go = tput_stop = 0;
	for (int i = 0; i < ncpu; i++) {
		ts[cpus[i]].spin = spin;
		ts[cpus[i]].n = 0;
		ts[cpus[i]].failed = 0;
		if (pthread_create(&ts[cpus[i]].th, NULL, tput_body, &ts[cpus[i]]) != 0) {
			printf("bench_invoke: FAIL pthread_create\n");
			return -1;
		}
	}
	usleep(5000); /* every thread on its CPU and waiting */
	tput_go = 1;
	usleep((useconds_t)ms * 1000);
	tput_stop = 1;
	int failed = 0;
	for (int i = 0; i < ncpu; i++) {
		struct tput_thread *t = &ts[cpus[i]];
		pthread_join(t->th, NULL);
		failed |= t->failed; /* (a thread the host started late may count nothing) */
		a->ops[i] += (double)t->n;
		a->secs[i] += t->seconds;
	}
	return failed ? -1 : 0;
}

/* Operations per second of the threads of a, all together. */
static double tput_rate(const struct tput_acc *a, int nthreads)
{
	double r = 0;
	for (int i = 0; i < nthreads; i++)
		r += a->secs[i] > 0 ? a->ops[i] / a->secs[i] : 0;
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median_d(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define TPUT_MAX_ROUNDS 32
#define TPUT_SLICE_MS   100

static int throughput(int ms, int rounds)
{
	if (ms < 10 || rounds < 1 || rounds > TPUT_MAX_ROUNDS) {
		printf("bench_invoke: FAIL tput MS ROUNDS: MS >= 10, 1 <= ROUNDS <= %d\n",
		       TPUT_MAX_ROUNDS);
		return 1;
	}
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpus < 2) {
		printf("bench_invoke: FAIL tput needs two CPUs, Linux has %ld\n", ncpus);
		return 1;
	}
	struct tput_thread ts[2];
	memset(ts, 0, sizeof(ts));
	static const TEEC_UUID uuid = TA_INSTALLED_UUID;
	for (int c = 0; c < 2; c++) {
		uint32_t origin = 0;
		ts[c].cpu = c;
		TEEC_Result r = TEEC_OpenSession(&ctx, &ts[c].sess, &uuid, TEEC_LOGIN_PUBLIC, NULL,
		                                 NULL, &origin);
		if (r != TEEC_SUCCESS) {
			printf("bench_invoke: FAIL open of the installed TA: 0x%x origin %u\n", r,
			       origin);
			return 1;
		}
	}
	printf(
	    "bench_invoke: throughput: %d rounds of %d ms per run, wall time (CLOCK_MONOTONIC)\n",
	    rounds, ms);
	double one[TPUT_MAX_ROUNDS], two[TPUT_MAX_ROUNDS], ratio[TPUT_MAX_ROUNDS],
	    sratio[TPUT_MAX_ROUNDS], nratio[TPUT_MAX_ROUNDS];
	static const int both[2] = {0, 1};
	/* A short warm-up of each kind: translated code, TA instances. */
	struct tput_acc warm = {{0, 0}, {0, 0}};
	if (tput_slice(ts, both, 2, 0, TPUT_SLICE_MS, &warm) < 0 ||
	    tput_slice(ts, both, 2, 1, TPUT_SLICE_MS, &warm) < 0)
		return 1;
	int slices = ms / TPUT_SLICE_MS > 0 ? ms / TPUT_SLICE_MS : 1;
	for (int r = 0; r < rounds; r++) {
		/* The four kinds take turns in short slices, so that each sees
		 * the same host: a loaded host's share changes within seconds. */
		struct tput_acc acc[4];
		memset(acc, 0, sizeof(acc));
		for (int j = 0; j < slices; j++) {
			const int *solo = &both[j % 2];
			if (tput_slice(ts, solo, 1, 0, TPUT_SLICE_MS, &acc[0]) < 0 ||
			    tput_slice(ts, both, 2, 0, TPUT_SLICE_MS, &acc[1]) < 0 ||
			    tput_slice(ts, solo, 1, 1, TPUT_SLICE_MS, &acc[2]) < 0 ||
			    tput_slice(ts, both, 2, 1, TPUT_SLICE_MS, &acc[3]) < 0)
				return 1;
		}
		double i1 = tput_rate(&acc[0], 1), i2 = tput_rate(&acc[1], 2);
		double s1 = tput_rate(&acc[2], 1), s2 = tput_rate(&acc[3], 2);
		if (i1 <= 0 || i2 <= 0 || s1 <= 0 || s2 <= 0) {
			printf("bench_invoke: FAIL tput round %d counted nothing\n", r + 1);
			return 1;
		}
		one[r] = i1;
		two[r] = i2;
		ratio[r] = i2 / i1;
		sratio[r] = s2 / s1;
		nratio[r] = ratio[r] / sratio[r];
		printf(
		    "bench_invoke: tput round %d: invokes/s 1 CPU %.0f, 2 CPUs %.0f, ratio %.3f; "
		    "Linux loop units/s 1 CPU %.0f, 2 CPUs %.0f, ratio %.3f\n",
		    r + 1, i1, i2, ratio[r], s1, s2, sratio[r]);
	}
	printf("invoke_throughput_1cpu_per_s: %.0f\n", median_d(one, rounds));
	printf("invoke_throughput_2cpu_per_s: %.0f\n", median_d(two, rounds));
	printf("invoke_throughput_2cpu_ratio: %.3f\n", median_d(ratio, rounds));
	printf("linux_spin_2cpu_ratio: %.3f\n", median_d(sratio, rounds));
	printf("invoke_throughput_2cpu_ratio_per_spin: %.3f\n", median_d(nratio, rounds));
	for (int c = 0; c < 2; c++)
		TEEC_CloseSession(&ts[c].sess);
	printf("bench_invoke: done\n");
	return 0;
}

int main(int argc, char **argv)
{
	int prof = argc > 2 && strcmp(argv[1], "prof") == 0;
	int tput = argc > 3 && strcmp(argv[1], "tput") == 0;
	int n_invoke = argc > 1 && !prof && !tput ? atoi(argv[1]) : 2000;
	int n_open = argc > 2 ? atoi(argv[2]) : 200;
	n_load = argc > 3 ? atoi(argv[3]) : 0;
	if (n_invoke < 1)
		n_invoke = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(cntfrq));

	TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);
	if (res != TEEC_SUCCESS) {
		printf("bench_invoke: FAIL TEEC_InitializeContext: 0x%x\n", res);
		return 1;
	}
	/* (Only ta/installed: the demo TA need not be there, as under OP-TEE.) */
	if (tput)
		return throughput(atoi(argv[2]), atoi(argv[3]));
	uint32_t origin = 0;
	res = TEEC_OpenSession(&ctx, &sess, &demo_uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res != TEEC_SUCCESS) {
		printf("bench_invoke: FAIL TEEC_OpenSession: 0x%x origin %u\n", res, origin);
		return 1;
	}
	if (prof) {
		int count = atoi(argv[2]);
		return profile(count > 0 ? count : 1);
	}

	int have_perf = open_perf() == 0;
	struct result perf = {0}, vct = {0};
	if (have_perf && run_all(M_PERF, n_invoke, n_open, &perf))
		return 1;
	/* CNTVCT: the cross-check (or the method, without perf). */
	if (run_all(M_CNTVCT, n_invoke, n_open, &vct))
		return 1;

	printf("bench_invoke: cntfrq %llu Hz; CNTVCT ticks converted at %llu insns/tick "
	       "(-icount shift=0)\n",
	       (unsigned long long)cntfrq, (unsigned long long)(1000000000ull / cntfrq));
	if (have_perf)
		show_all("perf", &perf, n_open);
	show_all("cntvct", &vct, n_open);

	const char *method = "cntvct";
	const struct result *use = &vct;
	if (have_perf) {
		uint64_t ref = vct.invoke.median ? vct.invoke.median : 1;
		double ratio = (double)perf.invoke.median / (double)ref;
		printf("bench_invoke: invoke median perf/cntvct = %.3f\n", ratio);
		if (ratio < 0.9) {
			printf("bench_invoke: WARNING perf counts only %.0f%% of the instructions "
			       "CNTVCT sees: the secure world is not being counted; using CNTVCT\n",
			       ratio * 100);
		} else {
			method = "perf";
			use = &perf;
		}
	}
	if (use->invoke.median < 2 * use->syscall.median)
		printf(
		    "bench_invoke: WARNING invoke (%llu) is not far above a null syscall (%llu)\n",
		    (unsigned long long)use->invoke.median,
		    (unsigned long long)use->syscall.median);

	printf("linux_null_syscall_insns: %llu\n", (unsigned long long)use->syscall.median);
	printf("invoke_roundtrip_insns: %llu\n", (unsigned long long)use->invoke.median);
	if (n_open > 0)
		printf("open_close_session_insns: %llu\n",
		       (unsigned long long)use->open_close.median);
	if (n_load > 0) {
		printf("ta_load_insns: %llu\n", (unsigned long long)use->ta_load.median);
		struct stat st;
		char path[96];
		snprintf(path, sizeof(path), "/lib/optee_armtz/%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x.ta",
		         installed_uuid.timeLow, installed_uuid.timeMid, installed_uuid.timeHiAndVersion,
		         installed_uuid.clockSeqAndNode[0], installed_uuid.clockSeqAndNode[1],
		         installed_uuid.clockSeqAndNode[2], installed_uuid.clockSeqAndNode[3],
		         installed_uuid.clockSeqAndNode[4], installed_uuid.clockSeqAndNode[5],
		         installed_uuid.clockSeqAndNode[6], installed_uuid.clockSeqAndNode[7]);
		if (stat(path, &st) == 0)
			printf("ta_load_image_bytes: %lld\n", (long long)st.st_size);
	}
	printf("invoke_method: %s\n",
	       strcmp(method, "perf") == 0
	           ? "perf_event PERF_COUNT_HW_INSTRUCTIONS, no exclude bits (all ELs, both worlds)"
	           : "CNTVCT_EL0 virtual time under -icount shift=0 (16 insns per tick)");

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	if (perf_fd >= 0)
		close(perf_fd);
	printf("bench_invoke: done\n");
	return 0;
}
