/*
 * bench_crypto — SHA-256 and AES-128-GCM on 16 to 16384 bytes, in
 * instructions per operation, three ways, in one run (bench/run.sh, under
 * QEMU -icount shift=0, one CPU, as root in the bench initramfs):
 *
 *  (a) ta:     a TA calling the crypto service. The benchmark TA
 *              (ta/crypto_bench) times the GP calls itself, on its own
 *              buffers (TA_CRYPTO_BENCH_CMD_SELF): medians of samples of
 *              back-to-back operations between two reads of the system
 *              counter (CNTPCT; one tick = 16 instructions under -icount
 *              shift=0). This program only asks and prints.
 *  (b) nw_ta:  this program calling that TA: one TEEC_InvokeCommand per
 *              operation (TA_CRYPTO_BENCH_CMD_SHA256 / _GCM_ENC), input and
 *              output in shared memory allocated once
 *              (TEEC_AllocateSharedMemory, partial memory references).
 *  (c) afalg:  this program using Linux's kernel crypto API through AF_ALG
 *              sockets ("hash"/"sha256", "aead"/"gcm(aes)"): per operation
 *              the two system calls a program needs on an already set-up
 *              socket: send (sendmsg for GCM: nonce, operation and AAD
 *              length as control messages) then read. Setting up (socket,
 *              bind, setkey, accept) is not counted.
 * Every operation of (a), (b) and (c) starts from the same state: the
 * digest from scratch, GCM with its key already set (AES-128, a new 12-byte
 * nonce, no AAD, 128-bit tag).
 *
 * (b) and (c) are counted like bench_invoke: perf_event_open(
 * PERF_COUNT_HW_INSTRUCTIONS) with no exclude bit (every EL of both worlds
 * while this thread runs), read before and after each operation, the cost
 * of the reads subtracted; the median of N. CNTVCT cross-checks them (and
 * is the method without perf).
 *
 * Before measuring, each size's TA output is checked against AF_ALG's:
 * the same digest, the same ciphertext and tag.
 *
 * Output: `bench_crypto: ...` detail lines, the `name: value` results
 *   crypto_{ta,nw_ta,afalg}_{sha256,aes128gcm}_SIZE_insns
 * then crypto_method, crypto_afalg_{sha256,gcm}_driver, and
 * `bench_crypto: done`. Exit status 0 on success.
 *
 * Usage: bench_crypto [N [SELF_SAMPLES [SELF_PER_SAMPLE]]]   (defaults 301 201 16)
 *        bench_crypto prof {ta|nw_ta|afalg} {sha256|aes128gcm} SIZE COUNT
 * The second form is for profiling (bench/prof/): it runs COUNT operations
 * of one kind between two marker instructions (HINT #125 and #126, NOPs)
 * that bench/prof/tbprof.so counts between, and measures nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_alg.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <tee_client_api.h>
#include <unistd.h>

#include "../../include/microtee/trace_mark.h"
#include "../../ta/crypto_bench/include/crypto_bench_ta.h"

#ifndef SOL_ALG
#define SOL_ALG 279
#endif

#define WARMUP 20
#define NSIZES 6
static const size_t sizes[NSIZES] = {16, 64, 256, 1024, 4096, 16384};
enum { SHA, GCM, NALGS };
static const char *const alg_names[NALGS] = {"sha256", "aes128gcm"};

static const TEEC_UUID bench_uuid = TA_CRYPTO_BENCH_UUID;
static TEEC_Context ctx;
static TEEC_Session sess;
static TEEC_SharedMemory shm_in, shm_out;

static int hash_fd = -1, aead_fd = -1;               /* AF_ALG operation sockets */
static uint8_t msg[CRYPTO_BENCH_MAX_LEN];            /* the message, both ways */
static uint8_t afalg_out[CRYPTO_BENCH_MAX_LEN + 16]; /* AF_ALG's output */
static uint32_t nonce_ctr = 1;

static size_t cur_len; /* the size being measured */

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		printf("bench_crypto: FAIL " __VA_ARGS__);                                         \
		printf("\n");                                                                      \
		exit(1);                                                                           \
	} while (0)

/* ---- counters (as in bench_invoke.c) ---- */

enum method { M_PERF, M_CNTVCT };
static int perf_fd = -1;
static uint64_t cntfrq;

static uint64_t read_perf(void)
{
	uint64_t v;
	if (read(perf_fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		FAIL("read(perf): %s", strerror(errno));
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
	perf_fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
	if (perf_fd < 0) {
		printf("bench_crypto: perf_event_open: %s\n", strerror(errno));
		return -1;
	}
	uint64_t t0 = read_perf();
	for (volatile int i = 0; i < 1000; i++)
		;
	if (read_perf() - t0 < 1000) {
		printf("bench_crypto: the perf instructions counter does not count\n");
		close(perf_fd);
		perf_fd = -1;
		return -1;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

typedef void (*op_fn)(void);

/* Median cost of fn() in instructions over n calls (after WARMUP), each
 * counted on its own; `overhead` counter units subtracted from each. */
static uint64_t measure(enum method m, op_fn fn, int n, uint64_t overhead)
{
	uint64_t *s = malloc(n * sizeof(*s));
	if (!s)
		FAIL("out of memory");
	for (int i = 0; i < WARMUP; i++)
		fn();
	for (int i = 0; i < n; i++) {
		uint64_t t0 = now(m);
		fn();
		uint64_t d = now(m) - t0;
		s[i] = d > overhead ? d - overhead : 0;
	}
	qsort(s, n, sizeof(s[0]), cmp_u64);
	uint64_t med = to_insns(m, s[n / 2]);
	free(s);
	return med;
}

static void op_nothing(void)
{
}

/* ---- (b): one TEEC_InvokeCommand per operation ---- */

static void invoke(uint32_t cmd, size_t len, size_t out_len, uint32_t ctr, size_t *got)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(
	    TEEC_MEMREF_PARTIAL_INPUT, TEEC_MEMREF_PARTIAL_OUTPUT,
	    cmd == TA_CRYPTO_BENCH_CMD_GCM_ENC ? TEEC_VALUE_INPUT : TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &shm_in;
	op.params[0].memref.size = len;
	op.params[1].memref.parent = &shm_out;
	op.params[1].memref.size = out_len;
	op.params[2].value.a = ctr;
	TEEC_Result r = TEEC_InvokeCommand(&sess, cmd, &op, &origin);
	if (r != TEEC_SUCCESS)
		FAIL("invoke %u on %zu bytes: 0x%x origin %u", cmd, len, r, origin);
	*got = op.params[1].memref.size;
}

static void nw_ta_sha(void)
{
	size_t got;
	invoke(TA_CRYPTO_BENCH_CMD_SHA256, cur_len, 32, 0, &got);
}

static void nw_ta_gcm(void)
{
	size_t got;
	invoke(TA_CRYPTO_BENCH_CMD_GCM_ENC, cur_len, cur_len + 16, nonce_ctr++, &got);
}

/* ---- (c): AF_ALG ---- */

static int alg_socket(const char *type, const char *name, const uint8_t *key, size_t keylen,
                      int authsize)
{
	struct sockaddr_alg sa;
	memset(&sa, 0, sizeof(sa));
	sa.salg_family = AF_ALG;
	strncpy((char *)sa.salg_type, type, sizeof(sa.salg_type) - 1);
	strncpy((char *)sa.salg_name, name, sizeof(sa.salg_name) - 1);
	int tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0)
		FAIL("socket(AF_ALG): %s (are af_alg and algif_%s loaded?)", strerror(errno), type);
	if (bind(tfm, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		FAIL("bind AF_ALG %s/%s: %s", type, name, strerror(errno));
	if (key && setsockopt(tfm, SOL_ALG, ALG_SET_KEY, key, keylen) < 0)
		FAIL("ALG_SET_KEY %s: %s", name, strerror(errno));
	if (authsize && setsockopt(tfm, SOL_ALG, ALG_SET_AEAD_AUTHSIZE, NULL, authsize) < 0)
		FAIL("ALG_SET_AEAD_AUTHSIZE %s: %s", name, strerror(errno));
	int op = accept(tfm, NULL, 0);
	if (op < 0)
		FAIL("accept AF_ALG %s: %s", name, strerror(errno));
	return op; /* the transform socket stays open with it */
}

static void afalg_sha_len(size_t len)
{
	if (send(hash_fd, msg, len, 0) != (ssize_t)len)
		FAIL("AF_ALG hash send: %s", strerror(errno));
	if (read(hash_fd, afalg_out, 32) != 32)
		FAIL("AF_ALG hash read: %s", strerror(errno));
}

static void afalg_gcm_len(size_t len, uint32_t ctr)
{
	/* Control messages: operation, nonce, AAD length. */
	union {
		char buf[CMSG_SPACE(sizeof(uint32_t)) * 2 +
		         CMSG_SPACE(sizeof(struct af_alg_iv) + 12)];
		struct cmsghdr align;
	} c;
	memset(&c, 0, sizeof(c));
	struct iovec iov = {msg, len};
	struct msghdr mh = {0};
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = c.buf;
	mh.msg_controllen = sizeof(c.buf);
	struct cmsghdr *h = CMSG_FIRSTHDR(&mh);
	h->cmsg_level = SOL_ALG;
	h->cmsg_type = ALG_SET_OP;
	h->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	*(uint32_t *)CMSG_DATA(h) = ALG_OP_ENCRYPT;
	h = CMSG_NXTHDR(&mh, h);
	h->cmsg_level = SOL_ALG;
	h->cmsg_type = ALG_SET_IV;
	h->cmsg_len = CMSG_LEN(sizeof(struct af_alg_iv) + 12);
	struct af_alg_iv *iv = (struct af_alg_iv *)CMSG_DATA(h);
	iv->ivlen = 12;
	CRYPTO_BENCH_NONCE(iv->iv, ctr, 0);
	h = CMSG_NXTHDR(&mh, h);
	h->cmsg_level = SOL_ALG;
	h->cmsg_type = ALG_SET_AEAD_ASSOCLEN;
	h->cmsg_len = CMSG_LEN(sizeof(uint32_t));
	*(uint32_t *)CMSG_DATA(h) = 0;
	if (sendmsg(aead_fd, &mh, 0) != (ssize_t)len)
		FAIL("AF_ALG aead sendmsg: %s", strerror(errno));
	if (read(aead_fd, afalg_out, len + 16) != (ssize_t)(len + 16))
		FAIL("AF_ALG aead read: %s", strerror(errno));
}

static void afalg_sha(void)
{
	afalg_sha_len(cur_len);
}

static void afalg_gcm(void)
{
	afalg_gcm_len(cur_len, nonce_ctr++);
}

/* The driver Linux picked for an algorithm: the highest-priority entry
 * of /proc/crypto with that name. */
static void linux_driver(const char *name, char *out, size_t cap)
{
	snprintf(out, cap, "?");
	FILE *f = fopen("/proc/crypto", "r");
	if (!f)
		return;
	char line[256], cur_name[128] = "", cur_drv[128] = "";
	int best = -1;
	while (fgets(line, sizeof(line), f)) {
		char v[128];
		int prio;
		if (sscanf(line, "name : %127s", v) == 1)
			snprintf(cur_name, sizeof(cur_name), "%s", v);
		else if (sscanf(line, "driver : %127s", v) == 1)
			snprintf(cur_drv, sizeof(cur_drv), "%s", v);
		else if (sscanf(line, "priority : %d", &prio) == 1 && !strcmp(cur_name, name) &&
		         prio > best) {
			best = prio;
			snprintf(out, cap, "%s (priority %d)", cur_drv, prio);
		}
	}
	fclose(f);
}

/* ---- correctness: the TA and AF_ALG agree ---- */

static void check_size(size_t len)
{
	size_t got;
	invoke(TA_CRYPTO_BENCH_CMD_SHA256, len, 32, 0, &got);
	afalg_sha_len(len);
	if (got != 32 || memcmp(shm_out.buffer, afalg_out, 32))
		FAIL("SHA-256 of %zu bytes: the TA and AF_ALG differ", len);
	invoke(TA_CRYPTO_BENCH_CMD_GCM_ENC, len, len + 16, 7, &got);
	afalg_gcm_len(len, 7);
	if (got != len + 16 || memcmp(shm_out.buffer, afalg_out, len + 16))
		FAIL("AES-128-GCM of %zu bytes: the TA and AF_ALG differ", len);
}

/* ---- (a): the TA times itself ---- */

static uint64_t ta_self(int alg, size_t len, int samples, int per, uint64_t *lowest,
                        uint64_t *overhead)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
	                                 TEEC_VALUE_OUTPUT);
	op.params[0].value.a = alg == SHA ? CRYPTO_BENCH_ALG_SHA256 : CRYPTO_BENCH_ALG_GCM_ENC;
	op.params[0].value.b = (uint32_t)len;
	op.params[1].value.a = (uint32_t)samples;
	op.params[1].value.b = (uint32_t)per;
	TEEC_Result r = TEEC_InvokeCommand(&sess, TA_CRYPTO_BENCH_CMD_SELF, &op, &origin);
	if (r != TEEC_SUCCESS)
		FAIL("the TA's own measurement (%s, %zu bytes): 0x%x origin %u", alg_names[alg],
		     len, r, origin);
	*lowest = op.params[2].value.b;
	*overhead = op.params[3].value.a;
	return op.params[2].value.a;
}

/* Cross-check of (a) from outside: Linux counts (perf, both worlds) two
 * invocations of the TA's own measurement that differ only in the number
 * of operations per sample; the difference per operation is what the TA
 * measured, without the TA's counter reads and the invoke itself. */
static double ta_cross_check(enum method m, int alg, size_t len)
{
	const int n = 32, per_lo = 1, per_hi = 17;
	uint64_t lowest, ov, cost[2];
	for (int k = 0; k < 2; k++) {
		uint64_t best = UINT64_MAX;
		for (int rep = 0; rep < 3; rep++) { /* the lowest of three: no interrupt */
			uint64_t t0 = now(m);
			ta_self(alg, len, n, k ? per_hi : per_lo, &lowest, &ov);
			uint64_t d = now(m) - t0;
			if (d < best)
				best = d;
		}
		cost[k] = to_insns(m, best);
	}
	return (double)(cost[1] - cost[0]) / (n * (per_hi - per_lo));
}

/* The profiler's window (bench/prof/tbprof.c). */
#define MARK_START() MT_TRACE_BEGIN()
#define MARK_STOP()  MT_TRACE_END()

static int profile(char **argv)
{
	const char *what = argv[0];
	int alg = strcmp(argv[1], "sha256") == 0 ? SHA : GCM;
	cur_len = (size_t)atoi(argv[2]);
	int count = atoi(argv[3]);
	if (cur_len > CRYPTO_BENCH_MAX_LEN || count < 1)
		FAIL("bad profile arguments");
	printf("bench_crypto: profiling %s %s %zu bytes x %d\n", what, alg_names[alg], cur_len,
	       count);
	if (!strcmp(what, "ta")) {
		uint64_t lowest, ov;
		/* warm up once, then the window: one invoke, `count` operations */
		ta_self(alg, cur_len, 1, 16, &lowest, &ov);
		MARK_START();
		uint64_t r = ta_self(alg, cur_len, 1, count, &lowest, &ov);
		MARK_STOP();
		printf("bench_crypto: ta %llu insns per operation\n", (unsigned long long)r);
	} else {
		op_fn fn = !strcmp(what, "nw_ta") ? (alg == SHA ? nw_ta_sha : nw_ta_gcm)
		                                  : (alg == SHA ? afalg_sha : afalg_gcm);
		for (int i = 0; i < WARMUP; i++)
			fn();
		MARK_START();
		for (int i = 0; i < count; i++)
			fn();
		MARK_STOP();
	}
	printf("bench_crypto: done\n");
	return 0;
}

int main(int argc, char **argv)
{
	int prof = argc > 5 && strcmp(argv[1], "prof") == 0;
	int n = argc > 1 && !prof ? atoi(argv[1]) : 301;
	int self_n = argc > 2 ? atoi(argv[2]) : 201;
	int self_per = argc > 3 ? atoi(argv[3]) : 16;
	if (n < 1)
		n = 1;
	if (self_n < 1)
		self_n = 1;
	if (self_per < 1)
		self_per = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(cntfrq));
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 1);

	/* The TA, and shared memory for its memory references. */
	TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);
	if (res != TEEC_SUCCESS)
		FAIL("TEEC_InitializeContext: 0x%x", res);
	uint32_t origin = 0;
	res = TEEC_OpenSession(&ctx, &sess, &bench_uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res != TEEC_SUCCESS)
		FAIL("TEEC_OpenSession(crypto_bench): 0x%x origin %u", res, origin);
	shm_in.size = CRYPTO_BENCH_MAX_LEN;
	shm_in.flags = TEEC_MEM_INPUT;
	shm_out.size = CRYPTO_BENCH_MAX_LEN + 16;
	shm_out.flags = TEEC_MEM_OUTPUT;
	if ((res = TEEC_AllocateSharedMemory(&ctx, &shm_in)) != TEEC_SUCCESS ||
	    (res = TEEC_AllocateSharedMemory(&ctx, &shm_out)) != TEEC_SUCCESS)
		FAIL("TEEC_AllocateSharedMemory: 0x%x", res);
	memcpy(shm_in.buffer, msg, sizeof(msg));

	/* AF_ALG, set up once. */
	static const uint8_t key[16] = CRYPTO_BENCH_KEY;
	hash_fd = alg_socket("hash", "sha256", NULL, 0, 0);
	aead_fd = alg_socket("aead", "gcm(aes)", key, sizeof(key), 16);
	char sha_drv[160], gcm_drv[160];
	linux_driver("sha256", sha_drv, sizeof(sha_drv));
	linux_driver("gcm(aes)", gcm_drv, sizeof(gcm_drv));
	printf("bench_crypto: AF_ALG drivers: sha256 -> %s, gcm(aes) -> %s\n", sha_drv, gcm_drv);

	if (prof)
		return profile(argv + 2);
	for (int i = 0; i < NSIZES; i++)
		check_size(sizes[i]);
	printf("bench_crypto: the TA's digests, ciphertexts and tags equal AF_ALG's at every "
	       "size\n");

	int have_perf = open_perf() == 0;
	enum method m = have_perf ? M_PERF : M_CNTVCT;
	uint64_t ov = have_perf ? measure(M_PERF, op_nothing, 2001, 0) : 0;
	printf("bench_crypto: cntfrq %llu Hz; counter read pair %llu insns (subtracted)\n",
	       (unsigned long long)cntfrq, (unsigned long long)ov);

	uint64_t res_a[NALGS][NSIZES], res_b[NALGS][NSIZES], res_c[NALGS][NSIZES];
	uint64_t vct_b[NALGS][NSIZES], vct_c[NALGS][NSIZES];
	static const op_fn fn_b[NALGS] = {nw_ta_sha, nw_ta_gcm},
	                   fn_c[NALGS] = {afalg_sha, afalg_gcm};
	for (int a = 0; a < NALGS; a++) {
		for (int i = 0; i < NSIZES; i++) {
			cur_len = sizes[i];
			uint64_t lowest, self_ov;
			res_a[a][i] = ta_self(a, cur_len, self_n, self_per, &lowest, &self_ov);
			res_b[a][i] = measure(m, fn_b[a], n, ov);
			res_c[a][i] = measure(m, fn_c[a], n, ov);
			/* Cross-check with virtual time (fewer samples). */
			vct_b[a][i] = measure(M_CNTVCT, fn_b[a], n / 3 + 1, 0);
			vct_c[a][i] = measure(M_CNTVCT, fn_c[a], n / 3 + 1, 0);
			printf(
			    "bench_crypto: %-9s %5zu B: ta %7llu (lowest %llu, counter pair %llu) "
			    " nw_ta %7llu (cntvct %llu)  afalg %7llu (cntvct %llu)\n",
			    alg_names[a], cur_len, (unsigned long long)res_a[a][i],
			    (unsigned long long)lowest, (unsigned long long)self_ov,
			    (unsigned long long)res_b[a][i], (unsigned long long)vct_b[a][i],
			    (unsigned long long)res_c[a][i], (unsigned long long)vct_c[a][i]);
		}
	}
	for (int a = 0; a < NALGS; a++)
		for (int i = 0; i < 3; i++)
			printf("bench_crypto: cross-check of (a) %s %zu B: counted from Linux %.0f "
			       "per "
			       "operation, by the TA %llu\n",
			       alg_names[a], sizes[i], ta_cross_check(m, a, sizes[i]),
			       (unsigned long long)res_a[a][i]);
	/* perf must see the secure world: compare with virtual time. */
	const char *method = have_perf ? "perf" : "cntvct";
	if (have_perf) {
		double ratio = (double)res_b[SHA][0] / (double)(vct_b[SHA][0] ? vct_b[SHA][0] : 1);
		printf("bench_crypto: nw_ta sha256 16 B perf/cntvct = %.3f\n", ratio);
		if (ratio < 0.9) {
			printf("bench_crypto: WARNING perf does not count the secure world; using "
			       "CNTVCT\n");
			method = "cntvct";
			memcpy(res_b, vct_b, sizeof(res_b));
			memcpy(res_c, vct_c, sizeof(res_c));
		}
	}

	for (int a = 0; a < NALGS; a++)
		for (int i = 0; i < NSIZES; i++) {
			printf("crypto_ta_%s_%zu_insns: %llu\n", alg_names[a], sizes[i],
			       (unsigned long long)res_a[a][i]);
			printf("crypto_nw_ta_%s_%zu_insns: %llu\n", alg_names[a], sizes[i],
			       (unsigned long long)res_b[a][i]);
			printf("crypto_afalg_%s_%zu_insns: %llu\n", alg_names[a], sizes[i],
			       (unsigned long long)res_c[a][i]);
		}
	printf("crypto_method: %s\n",
	       strcmp(method, "perf") == 0
	           ? "perf_event PERF_COUNT_HW_INSTRUCTIONS, no exclude bits (all ELs, both worlds)"
	           : "CNTVCT_EL0 virtual time under -icount shift=0 (16 insns per tick)");
	printf("crypto_samples: nw_ta and afalg medians of %d, ta medians of %d samples of %d "
	       "operations\n",
	       n, self_n, self_per);
	printf("crypto_afalg_sha256_driver: %s\n", sha_drv);
	printf("crypto_afalg_gcm_driver: %s\n", gcm_drv);

	TEEC_ReleaseSharedMemory(&shm_in);
	TEEC_ReleaseSharedMemory(&shm_out);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	close(hash_fd);
	close(aead_fd);
	if (perf_fd >= 0)
		close(perf_fd);
	printf("bench_crypto: done\n");
	return 0;
}
