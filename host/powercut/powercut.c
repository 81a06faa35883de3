/* powercut: a QEMU TCG plugin that cuts the power at a chosen instruction
 * count (tests/system/power.sh, docs/testing.md "Power cuts under QEMU").
 *
 * It counts the guest instructions of every CPU: at the start of each
 * translation block, the block's instruction count is added. With
 * `-icount shift=0` the run is deterministic, so a count names one point of
 * the run. Arguments (-plugin powercut.so,ARG=VALUE,...):
 *   out=FILE     where it reports (required)
 *   cut=N        at the first block that starts with N or more instructions
 *                counted, it writes "cut N at COUNT" and ends QEMU with
 *                _exit(CUT_STATUS): no device is flushed, no further guest
 *                instruction runs, as if the power went (what QEMU wrote to
 *                its image files before stays: the flash's programs, and
 *                the disk writes QEMU had made)
 *   from=INSN    counts the cut's N from the first execution of an
 *                instruction whose 32-bit encoding is INSN (hexadecimal)
 *                instead of from the start, and writes "from COUNT" then: a
 *                marker the guest runs (host/nw/storage_power: an
 *                unallocated HINT, a no-op), so that a cut lands at the
 *                same distance from it however long the boot before it took
 *   trace=LO:HI  writes "store COUNT PADDR" for each guest store to a
 *                physical address in [LO, HI) (hexadecimal), with COUNT the
 *                count after the store's block; a cut at COUNT then comes
 *                right after that store (an I/O store ends its block under
 *                -icount). May be given twice.
 * At the end of a run without a cut it writes "end COUNT".
 * The header is QEMU's own (qemu-plugin.h from Debian's qemu source,
 * scripts/power/fetch-plugin-header.sh). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define CUT_STATUS 113
#define MAX_RANGES 2

static FILE *pc_out;
static uint64_t pc_count, pc_cut = UINT64_MAX, pc_base;
static uint32_t pc_from;
static int pc_armed = 1; /* the cut counts (from=: once the marker came) */
static struct {
	uint64_t lo, hi;
} pc_ranges[MAX_RANGES];
static unsigned pc_nranges;

static void pc_tb_exec(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	if (pc_armed && pc_count - pc_base >= pc_cut) {
		fprintf(pc_out, "cut %" PRIu64 " at %" PRIu64 "\n", pc_cut, pc_count - pc_base);
		fflush(pc_out);
		_exit(CUT_STATUS);
	}
	pc_count += (uintptr_t)udata;
}

static void pc_store(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata)
{
	(void)vcpu;
	(void)udata;
	struct qemu_plugin_hwaddr *hw = qemu_plugin_get_hwaddr(info, vaddr);
	if (!hw)
		return;
	uint64_t pa = qemu_plugin_hwaddr_phys_addr(hw);
	for (unsigned i = 0; i < pc_nranges; i++)
		if (pa >= pc_ranges[i].lo && pa < pc_ranges[i].hi)
			fprintf(pc_out, "store %" PRIu64 " 0x%" PRIx64 "\n", pc_count, pa);
}

static void pc_marker(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	if (pc_armed)
		return;
	pc_armed = 1;
	pc_base = pc_count;
	fprintf(pc_out, "from %" PRIu64 "\n", pc_count);
}

static void pc_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	size_t n = qemu_plugin_tb_n_insns(tb);
	qemu_plugin_register_vcpu_tb_exec_cb(tb, pc_tb_exec, QEMU_PLUGIN_CB_NO_REGS,
	                                     (void *)(uintptr_t)n);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		if (pc_nranges)
			qemu_plugin_register_vcpu_mem_cb(insn, pc_store, QEMU_PLUGIN_CB_NO_REGS,
			                                 QEMU_PLUGIN_MEM_W, 0);
		uint32_t op;
		if (!pc_armed && qemu_plugin_insn_size(insn) == sizeof(op)) {
			memcpy(&op, qemu_plugin_insn_data(insn), sizeof(op));
			if (op == pc_from)
				qemu_plugin_register_vcpu_insn_exec_cb(insn, pc_marker,
				                                       QEMU_PLUGIN_CB_NO_REGS, 0);
		}
	}
}

static void pc_exit(qemu_plugin_id_t id, void *p)
{
	(void)id;
	(void)p;
	fprintf(pc_out, "end %" PRIu64 "\n", pc_count);
	fclose(pc_out);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                           char **argv)
{
	(void)info;
	const char *out = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		char *end;
		if (!strncmp(a, "out=", 4)) {
			out = a + 4;
		} else if (!strncmp(a, "cut=", 4)) {
			pc_cut = strtoull(a + 4, &end, 0);
			if (*end || end == a + 4)
				goto bad;
		} else if (!strncmp(a, "from=", 5)) {
			pc_from = (uint32_t)strtoul(a + 5, &end, 16);
			if (*end || end == a + 5)
				goto bad;
			pc_armed = 0;
		} else if (!strncmp(a, "trace=", 6) && pc_nranges < MAX_RANGES) {
			pc_ranges[pc_nranges].lo = strtoull(a + 6, &end, 16);
			if (*end != ':')
				goto bad;
			pc_ranges[pc_nranges].hi = strtoull(end + 1, &end, 16);
			if (*end)
				goto bad;
			pc_nranges++;
		} else {
			goto bad;
		}
		continue;
	bad:
		fprintf(stderr, "powercut: bad argument '%s'\n", a);
		return -1;
	}
	if (!out || !(pc_out = fopen(out, "w"))) {
		fprintf(stderr, "powercut: out=FILE is required (and must open)\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, pc_tb_trans);
	qemu_plugin_register_atexit_cb(id, pc_exit, 0);
	return 0;
}
