/* ipc_bench: instructions for one IPC round trip (call + reply) between
 * two processes in different address spaces, counted with the PMU's
 * instructions-retired event. init enables the counter for this scenario;
 * run under QEMU -icount shift=0. The echo service is the other side. */
#include <stdio.h>
#include <stdlib.h>

#include "../../include/microtee/demo_ipc.h"
#include "mt.h"

#define ROUNDS 2000

static uint64_t samples[ROUNDS];

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t median(void)
{
	qsort(samples, ROUNDS, sizeof(samples[0]), cmp);
	return samples[ROUNDS / 2];
}

int mt_main(unsigned long arg, unsigned long arg2)
{
	(void)arg2;
	mt_handle_t echo = DEMO_ARG_ECHO(arg);

	/* What reading the counter itself costs. */
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t t0 = mt_pmu_insns();
		uint64_t t1 = mt_pmu_insns();
		samples[i] = t1 - t0;
	}
	uint64_t overhead = median();

	/* Baseline in the same run: a system call the kernel rejects at once
	 * (entry, dispatch, exit; no address-space switch). */
	for (int i = 0; i < ROUNDS; i++) {
		unsigned long a[7] = {0};
		uint64_t t0 = mt_pmu_insns();
		mt_syscall(SYS_COUNT + 100, a);
		uint64_t t1 = mt_pmu_insns();
		samples[i] = t1 - t0 - overhead;
	}
	uint64_t null_syscall = median();

	for (int i = 0; i < ROUNDS; i++) {
		/* bench/prof/profile.sh ipc counts what runs between these
		 * markers (NOPs: HINT #125 and #126), 100 round trips. */
		if (i == ROUNDS / 2)
			__asm__ volatile("hint #125" ::: "memory");
		if (i == ROUNDS / 2 + 100)
			__asm__ volatile("hint #126" ::: "memory");
		struct mt_msg m = {{ECHO_OP_PING, (uint64_t)i}, 0, 0};
		uint64_t t0 = mt_pmu_insns();
		long rc = mt_call(echo, &m);
		uint64_t t1 = mt_pmu_insns();
		if (rc != MT_OK || m.w[1] != (uint64_t)i + 1) {
			printf("ipc_bench: call failed: %ld\n", rc);
			return 1;
		}
		samples[i] = t1 - t0 - overhead;
	}
	uint64_t med = median();
	printf("ipc_bench: %d round trips, min %lu, median %lu, max %lu\n", ROUNDS,
	       (unsigned long)samples[0], (unsigned long)med, (unsigned long)samples[ROUNDS - 1]);
	printf("ipc_roundtrip_insns: %lu\n", (unsigned long)med);
	printf("null_syscall_insns: %lu\n", (unsigned long)null_syscall);
	return med ? 0 : 1;
}
