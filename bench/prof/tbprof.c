/* tbprof: a QEMU TCG plugin that counts the instructions executed in each
 * translated block between two marker instructions, for profiling the
 * benchmarks (bench/prof/README.md). The markers are the unallocated hint
 * instructions HINT #125 (start) and HINT #126 (stop), NOPs everywhere
 * else; host/nw/bench_crypto executes them around what it profiles.
 *
 * At exit it writes, to the file named by the argument out=FILE, one line
 * per block that ran in the window:
 *   count vaddr n_insns host_addr first_bytes(hex, up to 16)
 * (host_addr tells apart blocks at the same virtual address in different
 * address spaces.) bench/prof/symbolize.py turns that into a profile.
 *
 * With the argument trace=FILE it also writes, to FILE, the order in which
 * the blocks ran in the windows (bench/prof/trace.py makes a timeline of
 * it): first one line per block, `b index vaddr n_insns host_addr bytes`,
 * then `w` at the start of each window and one line per block execution,
 * its index. Up to TRACE_MAX executions are kept; `# cut` says more ran.
 *
 * Only the few plugin API calls it needs are declared here (QEMU 7.2,
 * plugin API version 1). Build: cc -shared -fPIC -O2 -o tbprof.so tbprof.c */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
typedef void (*tb_trans_cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*vcpu_udata_cb)(unsigned int vcpu_index, void *userdata);
typedef void (*udata_cb)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tb_trans_cb cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, int op, void *ptr,
                                              uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, vcpu_udata_cb cb,
                                            int flags, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void *qemu_plugin_insn_haddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, udata_cb cb, void *userdata);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, vcpu_udata_cb cb, int flags,
                                          void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define MARK_START 0xd5032fbfU /* hint #125 */
#define MARK_STOP  0xd5032fdfU /* hint #126 */

struct block {
	uint64_t vaddr;
	void *haddr;
	uint64_t n;
	uint64_t execs; /* incremented inline */
	uint64_t at_start, total;
	uint8_t bytes[16];
	uint32_t index; /* in blocks[] */
	struct block *next;
};

#define HASH 65536
static struct block *table[HASH];
static const char *out_path = "tbprof.out";
static const char *trace_path; /* trace=FILE: the order of execution too */
static int on, windows;

/* The trace: block indexes in execution order, UINT32_MAX at each window's
 * start. */
#define TRACE_MAX (16u << 20)
static uint32_t *trace;
static size_t ntrace;
static int trace_cut;

static void trace_put(uint32_t v)
{
	if (ntrace < TRACE_MAX)
		trace[ntrace++] = v;
	else
		trace_cut = 1;
}

static struct block *find(uint64_t vaddr, void *haddr, size_t n)
{
	unsigned h = (unsigned)((vaddr >> 2) ^ ((uintptr_t)haddr >> 2)) & (HASH - 1);
	for (struct block *b = table[h]; b; b = b->next)
		if (b->vaddr == vaddr && b->haddr == haddr && b->n == n)
			return b;
	struct block *b = calloc(1, sizeof(*b));
	b->vaddr = vaddr;
	b->haddr = haddr;
	b->n = n;
	b->next = table[h];
	table[h] = b;
	return b;
}

/* Every block, for snapshots: a growable array. */
static struct block **blocks;
static size_t nblocks, capblocks;

static void mark(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	uint32_t which = (uint32_t)(uintptr_t)udata;
	if (which == MARK_START && !on) {
		for (size_t i = 0; i < nblocks; i++)
			blocks[i]->at_start = blocks[i]->execs;
		on = 1;
		if (trace)
			trace_put(UINT32_MAX);
	} else if (which == MARK_STOP && on) {
		for (size_t i = 0; i < nblocks; i++) {
			blocks[i]->total += blocks[i]->execs - blocks[i]->at_start;
			blocks[i]->at_start = blocks[i]->execs;
		}
		on = 0;
		windows++;
	}
}

/* A block starts: in a window, its index goes into the trace. */
static void ran(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	if (on)
		trace_put(((struct block *)udata)->index);
}

static void trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	size_t n = qemu_plugin_tb_n_insns(tb);
	if (!n)
		return;
	struct qemu_plugin_insn *first = qemu_plugin_tb_get_insn(tb, 0);
	struct block *b = find(qemu_plugin_tb_vaddr(tb), qemu_plugin_insn_haddr(first), n);
	if (!b->bytes[0] && !b->bytes[1] && !b->bytes[2] && !b->bytes[3]) {
		size_t k = 0;
		for (size_t i = 0; i < n && k < sizeof(b->bytes); i++) {
			struct qemu_plugin_insn *in = qemu_plugin_tb_get_insn(tb, i);
			size_t s = qemu_plugin_insn_size(in);
			if (k + s > sizeof(b->bytes))
				break;
			memcpy(b->bytes + k, qemu_plugin_insn_data(in), s);
			k += s;
		}
		if (nblocks == capblocks) {
			capblocks = capblocks ? capblocks * 2 : 4096;
			blocks = realloc(blocks, capblocks * sizeof(*blocks));
		}
		b->index = (uint32_t)nblocks;
		blocks[nblocks++] = b;
		b->at_start = b->execs;
	}
	qemu_plugin_register_vcpu_tb_exec_inline(tb, 0 /* ADD_U64 */, &b->execs, 1);
	if (trace)
		qemu_plugin_register_vcpu_tb_exec_cb(tb, ran, 0 /* QEMU_PLUGIN_CB_NO_REGS */, b);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *in = qemu_plugin_tb_get_insn(tb, i);
		uint32_t w;
		if (qemu_plugin_insn_size(in) != 4)
			continue;
		memcpy(&w, qemu_plugin_insn_data(in), 4);
		if (w == MARK_START || w == MARK_STOP)
			qemu_plugin_register_vcpu_insn_exec_cb(in, mark, 0, (void *)(uintptr_t)w);
	}
}

static void write_trace(void)
{
	FILE *f = fopen(trace_path, "w");
	if (!f)
		return;
	/* Only the blocks that ran in a window, renumbered densely. */
	uint32_t *id = calloc(nblocks ? nblocks : 1, sizeof(*id));
	uint32_t next = 0;
	for (size_t i = 0; i < ntrace; i++) {
		uint32_t v = trace[i];
		if (v == UINT32_MAX || id[v])
			continue;
		id[v] = ++next;
		struct block *b = blocks[v];
		fprintf(f, "b %u %llx %llu %llx ", next - 1, (unsigned long long)b->vaddr,
		        (unsigned long long)b->n, (unsigned long long)(uintptr_t)b->haddr);
		for (size_t k = 0; k < sizeof(b->bytes); k++)
			fprintf(f, "%02x", b->bytes[k]);
		fprintf(f, "\n");
	}
	for (size_t i = 0; i < ntrace; i++) {
		if (trace[i] == UINT32_MAX)
			fprintf(f, "w\n");
		else
			fprintf(f, "%u\n", id[trace[i]] - 1);
	}
	if (trace_cut)
		fprintf(f, "# cut\n");
	fclose(f);
	free(id);
}

static void finish(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	if (on)
		mark(0, (void *)(uintptr_t)MARK_STOP);
	FILE *f = fopen(out_path, "w");
	if (!f)
		return;
	fprintf(f, "# windows %d\n", windows);
	for (size_t i = 0; i < nblocks; i++) {
		struct block *b = blocks[i];
		if (!b->total)
			continue;
		fprintf(f, "%llu %llx %llu %llx ", (unsigned long long)b->total,
		        (unsigned long long)b->vaddr, (unsigned long long)b->n,
		        (unsigned long long)(uintptr_t)b->haddr);
		for (size_t k = 0; k < sizeof(b->bytes); k++)
			fprintf(f, "%02x", b->bytes[k]);
		fprintf(f, "\n");
	}
	fclose(f);
	if (trace)
		write_trace();
}

__attribute__((visibility("default"))) int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			out_path = argv[i] + 4;
		else if (!strncmp(argv[i], "trace=", 6))
			trace_path = argv[i] + 6;
	if (trace_path && !(trace = malloc(TRACE_MAX * sizeof(*trace))))
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, trans);
	qemu_plugin_register_atexit_cb(id, finish, 0);
	return 0;
}
