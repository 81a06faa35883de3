/* libFuzzer harness: monitor/fdt.c, the monitor's device tree editor, on a
 * fuzzed blob in place of QEMU's. The input is 4 control bytes (free space
 * for the copy; which node to edit; a value length) and then the blob. The
 * harness opens it as the monitor does, walks and looks up every node, makes
 * edits of its own and then the monitor's (monitor/dtpatch.h: PSCI, OP-TEE,
 * chosen), and after every edit requires the blob to re-validate and what
 * was written to read back, in the node it was written to. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/dtpatch.h"
#include "monitor/fdt.h"

#define MAX_NODES 128

/* A broken promise: say which, then abort (the fuzzer saves the input). */
static void broken(const char *what, int line)
{
	fprintf(stderr, "fuzz_fdt.c:%d: broken: %s\n", line, what);
	abort();
}
#define require(ok) ((ok) ? (void)0 : broken(#ok, __LINE__))

static struct fdt f;

/* After an edit: still a well-formed blob inside the buffer. */
static void still_valid(void)
{
	uint32_t total = fdt_totalsize(&f);
	require(total <= f.cap);
	require(fdt_check(f.buf, total) == 0);
}

/* A value written with fdt_setprop reads back (the node found again by
 * path, since an edit moves offsets). */
static void reads_back(int node, const char *name, const void *val, uint32_t len)
{
	uint32_t got = 0;
	const uint8_t *v = fdt_getprop(&f, node, name, &got);
	require(v && got == len && (len == 0 || memcmp(v, val, len) == 0));
}

/* Every node, depth first, with each one's name and common properties. */
static unsigned walk(int node, int depth, int *nodes, unsigned n)
{
	require(depth <= 64);
	const char *name = fdt_node_name(&f, node);
	require(name != 0);
	uint32_t len;
	fdt_getprop(&f, node, "reg", &len);
	fdt_getprop(&f, node, "compatible", &len);
	if (n < MAX_NODES)
		nodes[n] = node;
	n++;
	for (int c = fdt_first_subnode(&f, node); c >= 0; c = fdt_next_subnode(&f, c)) {
		require(c > node);
		n = walk(c, depth + 1, nodes, n);
	}
	return n;
}

static unsigned walk_all(int *nodes)
{
	return fdt_node_name(&f, 0) ? walk(0, 0, nodes, 0) : 0;
}

static void edit_setprop(int node, const char *name, const void *val, uint32_t len)
{
	if (fdt_setprop(&f, node, name, val, len) == 0)
		reads_back(node, name, val, len);
	still_valid();
}

/* The root's child of exactly this name (no unit-address match). */
static int child(int parent, const char *name)
{
	for (int n = fdt_first_subnode(&f, parent); n >= 0; n = fdt_next_subnode(&f, n))
		if (strcmp(fdt_node_name(&f, n), name) == 0)
			return n;
	return -1;
}

static void has_string(int node, const char *name, const char *want)
{
	require(node >= 0);
	reads_back(node, name, want, (uint32_t)strlen(want) + 1);
}

/* The monitor's own edits (monitor/dtpatch.h, run by monitor/nsboot.c):
 * if they succeed, everything they promise is there, in the nodes of
 * exactly those names. */
static void monitor_edits(void)
{
	static const char cmdline[] = "console=ttyAMA0 root=/dev/vda";
	int had_args = 0;
	int chosen = child(0, "chosen");
	uint32_t len;
	if (chosen >= 0) {
		const char *a = fdt_getprop(&f, chosen, "bootargs", &len);
		had_args = a && len > 1;
	}
	int err = ns_patch_dtb(&f, 0x48000000ULL, 0x48200000ULL, cmdline);
	still_valid();
	if (err != 0)
		return;
	require(fdt_path_offset(&f, "/secure-chosen") < 0);
	has_string(child(0, "psci"), "method", "smc");
	int fw = child(0, "firmware");
	require(fw >= 0);
	has_string(child(fw, "optee"), "compatible", "linaro,optee-tz");
	has_string(child(fw, "optee"), "method", "smc");
	chosen = child(0, "chosen");
	require(chosen >= 0);
	const uint8_t *v = fdt_getprop(&f, chosen, "linux,initrd-start", &len);
	require(v && len == 8 && fdt_be64(v) == 0x48000000ULL);
	v = fdt_getprop(&f, chosen, "linux,initrd-end", &len);
	require(v && len == 8 && fdt_be64(v) == 0x48200000ULL);
	if (!had_args)
		has_string(chosen, "bootargs", cmdline);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4 || size > (1U << 20))
		return 0;
	uint32_t slack = ((uint32_t)data[0] | (uint32_t)data[1] << 8) & 0x1fff;
	unsigned pick = data[2];
	uint32_t vlen = data[3];
	uint32_t len = (uint32_t)(size - 4);
	/* The blob at an aligned address, in a block of exactly its size. */
	uint8_t *src = malloc(len ? len : 1);
	memcpy(src, data + 4, len);
	uint32_t cap = (len + slack + 7) & ~7U;
	uint8_t *dst = malloc(cap ? cap : 8);

	int checked = fdt_check(src, len);
	int rc = fdt_open_into(&f, src, len, dst, cap);
	if (checked != 0)
		require(rc == checked);
	else
		require(rc == 0 || rc == FDT_ERR_NOSPACE);
	if (rc != 0)
		goto out;
	still_valid();

	int nodes[MAX_NODES];
	unsigned n = walk_all(nodes);
	/* Lookups the monitor makes. */
	static const char *const paths[] = {"/", "/memory", "/cpus", "/chosen", "/psci",
					    "/firmware/optee", "/secure-chosen", "/cpus/cpu@0"};
	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int node = fdt_path_offset(&f, paths[i]);
		require(node < 0 || fdt_node_name(&f, node) != 0);
	}

	if (n > 0) {
		/* A property of our own on a chosen node: set, grow, delete. */
		int node = nodes[pick % (n < MAX_NODES ? n : MAX_NODES)];
		uint8_t val[256];
		for (uint32_t i = 0; i < vlen; i++)
			val[i] = (uint8_t)(i * 7 + 1);
		edit_setprop(node, "fuzz,prop", val, vlen);
		n = walk_all(nodes);
		node = nodes[pick % (n < MAX_NODES ? n : MAX_NODES)];
		edit_setprop(node, "fuzz,prop", val, vlen / 2 + 3);
		n = walk_all(nodes);
		node = nodes[pick % (n < MAX_NODES ? n : MAX_NODES)];
		if (fdt_delprop(&f, node, "fuzz,prop") == 0)
			require(fdt_getprop(&f, node, "fuzz,prop", 0) == 0);
		still_valid();
		/* Remove a node (never the root), then look at the rest. */
		n = walk_all(nodes);
		if (n > 1) {
			node = nodes[1 + (pick >> 1) % ((n < MAX_NODES ? n : MAX_NODES) - 1)];
			fdt_del_node(&f, node);
			still_valid();
			walk_all(nodes);
		}
	}
	monitor_edits();
	walk_all(nodes);
out:
	free(dst);
	free(src);
	return 0;
}
