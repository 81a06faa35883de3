#define _GNU_SOURCE /* memmem */
/* monitor/fdt.c: the device tree editor the monitor uses to describe PSCI,
 * OP-TEE and the initrd to the normal-world OS. Blobs are built here with
 * a tiny sequential writer, edited, and checked both through the editor's
 * own lookups and by re-validating the result. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "monitor/dtpatch.h"
#include "monitor/fdt.h"

/* ---- a minimal FDT writer (header, empty reservation map, struct, strings) ---- */

struct writer {
	uint8_t st[8192];
	uint32_t st_len;
	char strs[4096];
	uint32_t strs_len;
};

static void w32(struct writer *w, uint32_t v)
{
	w->st[w->st_len++] = (uint8_t)(v >> 24);
	w->st[w->st_len++] = (uint8_t)(v >> 16);
	w->st[w->st_len++] = (uint8_t)(v >> 8);
	w->st[w->st_len++] = (uint8_t)v;
}

static void wbytes(struct writer *w, const void *p, uint32_t n)
{
	memcpy(w->st + w->st_len, p, n);
	w->st_len += n;
	while (w->st_len & 3)
		w->st[w->st_len++] = 0;
}

static void begin(struct writer *w, const char *name)
{
	w32(w, 1);
	wbytes(w, name, (uint32_t)strlen(name) + 1);
}

static void end(struct writer *w)
{
	w32(w, 2);
}

static void prop(struct writer *w, const char *name, const void *val, uint32_t len)
{
	uint32_t off = (uint32_t)w->strs_len;
	strcpy(w->strs + w->strs_len, name);
	w->strs_len += (uint32_t)strlen(name) + 1;
	w32(w, 3);
	w32(w, len);
	w32(w, off);
	if (len)
		wbytes(w, val, len);
}

static void prop_u32(struct writer *w, const char *name, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	prop(w, name, b, 4);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Lays out header, reservation map (one entry + terminator), struct, strings
 * into out (aligned); slack bytes of free space are left at the end and
 * counted in totalsize, as QEMU's blobs have. Returns totalsize. */
static uint32_t finish(struct writer *w, uint8_t *out, uint32_t slack)
{
	w32(w, 9);
	uint32_t off_rsv = 40, off_st = off_rsv + 32, off_str = off_st + w->st_len;
	uint32_t total = off_str + w->strs_len + slack;
	memset(out, 0, total);
	put32(out + 0, FDT_MAGIC);
	put32(out + 4, total);
	put32(out + 8, off_st);
	put32(out + 12, off_str);
	put32(out + 16, off_rsv);
	put32(out + 20, 17);
	put32(out + 24, 16);
	put32(out + 28, 0);
	put32(out + 32, w->strs_len);
	put32(out + 36, w->st_len);
	put32(out + off_rsv + 4, 0x48000000); /* one reservation: 0x48000000 + 4 KiB */
	put32(out + off_rsv + 12, 0x1000);
	memcpy(out + off_st, w->st, w->st_len);
	memcpy(out + off_str, w->strs, w->strs_len);
	return total;
}

/* A tree shaped like QEMU virt's (trimmed). */
static uint32_t build_virt(uint8_t *out, uint32_t slack)
{
	static struct writer w;
	memset(&w, 0, sizeof(w));
	begin(&w, "");
	prop_u32(&w, "#address-cells", 2);
	prop_u32(&w, "#size-cells", 2);
	prop(&w, "compatible", "linux,dummy-virt", 17);
	begin(&w, "chosen");
	prop(&w, "stdout-path", "/pl011@9000000", 15);
	end(&w);
	begin(&w, "memory@40000000");
	prop(&w, "device_type", "memory", 7);
	end(&w);
	begin(&w, "cpus");
	prop_u32(&w, "#address-cells", 1);
	prop_u32(&w, "#size-cells", 0);
	begin(&w, "cpu@0");
	prop(&w, "device_type", "cpu", 4);
	prop_u32(&w, "reg", 0);
	end(&w);
	begin(&w, "cpu@1");
	prop(&w, "device_type", "cpu", 4);
	prop_u32(&w, "reg", 1);
	end(&w);
	end(&w);
	end(&w);
	return finish(&w, out, slack);
}

static _Alignas(8) uint8_t src[8192];
static _Alignas(8) uint8_t dst[16384];

static int prop_is_str(const struct fdt *f, int node, const char *name, const char *want)
{
	uint32_t len;
	const char *v = fdt_getprop(f, node, name, &len);
	return v && len == strlen(want) + 1 && memcmp(v, want, len) == 0;
}

static void test_open_and_lookup(void)
{
	uint32_t total = build_virt(src, 100);
	struct fdt f;
	CHECK_EQ(fdt_check(src, total), 0);
	CHECK_EQ(fdt_open_into(&f, src, sizeof(src), dst, sizeof(dst)), 0);
	/* The copy is packed: the slack is gone. */
	CHECK_EQ(fdt_totalsize(&f), total - 100);
	CHECK_EQ(fdt_check(dst, sizeof(dst)), 0);
	CHECK_EQ(fdt_path_offset(&f, "/"), 0);
	CHECK(fdt_path_offset(&f, "/chosen") > 0);
	CHECK(fdt_path_offset(&f, "/memory") > 0); /* matches memory@40000000 */
	CHECK(fdt_path_offset(&f, "/memory@40000000") > 0);
	CHECK_EQ(fdt_path_offset(&f, "/memory@4"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_path_offset(&f, "/psci"), FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_path_offset(&f, "chosen"), FDT_ERR_BADARG);
	int cpu1 = fdt_path_offset(&f, "/cpus/cpu@1");
	CHECK(cpu1 > 0);
	CHECK_STR(fdt_node_name(&f, cpu1), "cpu@1");
	uint32_t len = 0;
	const uint8_t *reg = fdt_getprop(&f, cpu1, "reg", &len);
	CHECK(reg != NULL);
	CHECK_EQ(len, 4);
	CHECK_EQ(reg ? fdt_be32(reg) : 99, 1);
	CHECK(fdt_getprop(&f, cpu1, "enable-method", &len) == NULL);
	/* The reservation map survives. */
	CHECK_EQ(fdt_be32(dst + 40 + 4), 0x48000000);
	int n = 0;
	for (int c = fdt_first_subnode(&f, fdt_path_offset(&f, "/cpus")); c >= 0;
	     c = fdt_next_subnode(&f, c))
		n++;
	CHECK_EQ(n, 2);
}

/* What the monitor does to QEMU's tree before starting Linux. */
static void test_monitor_edits(void)
{
	uint32_t total = build_virt(src, 0);
	struct fdt f;
	CHECK_EQ(fdt_open_into(&f, src, total, dst, sizeof(dst)), 0);

	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int psci = fdt_add_subnode(&f, 0, "psci");
	CHECK(psci > 0);
	CHECK_EQ(fdt_setprop(&f, psci, "compatible", psci_compat, sizeof(psci_compat)), 0);
	psci = fdt_path_offset(&f, "/psci");
	CHECK_EQ(fdt_setprop_string(&f, psci, "method", "smc"), 0);

	int cpus = fdt_path_offset(&f, "/cpus");
	for (int c = fdt_first_subnode(&f, cpus); c >= 0; c = fdt_next_subnode(&f, c))
		CHECK_EQ(fdt_setprop_string(&f, c, "enable-method", "psci"), 0);

	int fw = fdt_add_subnode(&f, 0, "firmware");
	CHECK(fw > 0);
	int optee = fdt_add_subnode(&f, fw, "optee");
	CHECK(optee > 0);
	CHECK_EQ(fdt_setprop_string(&f, optee, "compatible", "linaro,optee-tz"), 0);
	optee = fdt_path_offset(&f, "/firmware/optee");
	CHECK_EQ(fdt_setprop_string(&f, optee, "method", "smc"), 0);
	/* Adding an existing node returns it. */
	CHECK_EQ(fdt_add_subnode(&f, fdt_path_offset(&f, "/firmware"), "optee"),
	         fdt_path_offset(&f, "/firmware/optee"));

	int chosen = fdt_path_offset(&f, "/chosen");
	CHECK_EQ(fdt_setprop_u64(&f, chosen, "linux,initrd-start", 0x48000000), 0);
	chosen = fdt_path_offset(&f, "/chosen");
	CHECK_EQ(fdt_setprop_u64(&f, chosen, "linux,initrd-end", 0x48212345), 0);
	chosen = fdt_path_offset(&f, "/chosen");
	CHECK_EQ(fdt_setprop_string(&f, chosen, "bootargs", "console=ttyAMA0"), 0);

	CHECK_EQ(fdt_check(dst, fdt_totalsize(&f)), 0);
	/* Everything reads back, the old content included. */
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/psci"), "method", "smc"));
	uint32_t len;
	const char *compat = fdt_getprop(&f, fdt_path_offset(&f, "/psci"), "compatible", &len);
	CHECK(compat && len == sizeof(psci_compat) && memcmp(compat, psci_compat, len) == 0);
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/firmware/optee"), "compatible",
	                  "linaro,optee-tz"));
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/cpus/cpu@0"), "enable-method", "psci"));
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/cpus/cpu@1"), "enable-method", "psci"));
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/cpus/cpu@1"), "device_type", "cpu"));
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/chosen"), "stdout-path", "/pl011@9000000"));
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/chosen"), "bootargs", "console=ttyAMA0"));
	const uint8_t *v =
	    fdt_getprop(&f, fdt_path_offset(&f, "/chosen"), "linux,initrd-end", &len);
	CHECK(v && len == 8 && fdt_be64(v) == 0x48212345);
	CHECK(prop_is_str(&f, 0, "compatible", "linux,dummy-virt"));
	/* "method" is in the strings block once as a string of its own. */
	const char *strs = (const char *)dst + fdt_be32(dst + 12);
	uint32_t strs_len = fdt_be32(dst + 32), count = 0;
	for (uint32_t i = 0; i + 7 <= strs_len; i++)
		count += (i == 0 || strs[i - 1] == 0) && memcmp(strs + i, "method", 7) == 0;
	CHECK_EQ(count, 1);
	/* Properties precede subnodes: /firmware's first child is optee. */
	CHECK_STR(fdt_node_name(&f, fdt_first_subnode(&f, fdt_path_offset(&f, "/firmware"))),
	          "optee");
}

static void test_replace_and_delete(void)
{
	uint32_t total = build_virt(src, 0);
	struct fdt f;
	CHECK_EQ(fdt_open_into(&f, src, total, dst, sizeof(dst)), 0);
	uint32_t size0 = fdt_totalsize(&f);
	int chosen = fdt_path_offset(&f, "/chosen");
	/* Grow, shrink, same size, empty. */
	CHECK_EQ(fdt_setprop_string(&f, chosen, "stdout-path", "/a/much/longer/path/than/before"),
	         0);
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/chosen"), "stdout-path",
	                  "/a/much/longer/path/than/before"));
	CHECK_EQ(fdt_check(dst, fdt_totalsize(&f)), 0);
	chosen = fdt_path_offset(&f, "/chosen");
	CHECK_EQ(fdt_setprop_string(&f, chosen, "stdout-path", "/x"), 0);
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/chosen"), "stdout-path", "/x"));
	CHECK_EQ(fdt_check(dst, fdt_totalsize(&f)), 0);
	CHECK_EQ(fdt_setprop(&f, fdt_path_offset(&f, "/chosen"), "empty", "", 0), 0);
	uint32_t len = 99;
	CHECK(fdt_getprop(&f, fdt_path_offset(&f, "/chosen"), "empty", &len) != NULL);
	CHECK_EQ(len, 0);
	CHECK_EQ(fdt_delprop(&f, fdt_path_offset(&f, "/chosen"), "empty"), 0);
	CHECK(fdt_getprop(&f, fdt_path_offset(&f, "/chosen"), "empty", &len) == NULL);
	CHECK_EQ(fdt_delprop(&f, fdt_path_offset(&f, "/chosen"), "empty"), FDT_ERR_NOTFOUND);
	CHECK_EQ(
	    fdt_setprop_string(&f, fdt_path_offset(&f, "/chosen"), "stdout-path", "/pl011@9000000"),
	    0);
	/* Back to the original structure size (the new names stay in the
	 * strings block). */
	CHECK_EQ(fdt_be32(dst + 36), fdt_be32(src + 36));
	CHECK(fdt_totalsize(&f) >= size0);
	CHECK_EQ(fdt_check(dst, fdt_totalsize(&f)), 0);
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/cpus/cpu@1"), "device_type", "cpu"));
}

static void test_delete_node(void)
{
	uint32_t total = build_virt(src, 0);
	struct fdt f;
	CHECK_EQ(fdt_open_into(&f, src, total, dst, sizeof(dst)), 0);
	CHECK_EQ(fdt_del_node(&f, 0), FDT_ERR_BADARG); /* not the root */
	CHECK_EQ(fdt_del_node(&f, fdt_path_offset(&f, "/cpus/cpu@0")), 0);
	CHECK_EQ(fdt_check(dst, fdt_totalsize(&f)), 0);
	CHECK_EQ(fdt_path_offset(&f, "/cpus/cpu@0"), FDT_ERR_NOTFOUND);
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/cpus/cpu@1"), "device_type", "cpu"));
	/* A subtree goes as a whole; what follows it stays. */
	CHECK_EQ(fdt_del_node(&f, fdt_path_offset(&f, "/cpus")), 0);
	CHECK_EQ(fdt_check(dst, fdt_totalsize(&f)), 0);
	CHECK_EQ(fdt_path_offset(&f, "/cpus"), FDT_ERR_NOTFOUND);
	CHECK(fdt_path_offset(&f, "/memory") > 0);
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/chosen"), "stdout-path", "/pl011@9000000"));
	CHECK_EQ(fdt_del_node(&f, fdt_path_offset(&f, "/chosen")), 0);
	CHECK_EQ(fdt_del_node(&f, fdt_path_offset(&f, "/memory")), 0);
	CHECK_EQ(fdt_check(dst, fdt_totalsize(&f)), 0);
	CHECK_EQ(fdt_first_subnode(&f, 0), FDT_ERR_NOTFOUND);
	CHECK(prop_is_str(&f, 0, "compatible", "linux,dummy-virt"));
}

/* What an edit frees is zeroed: a deleted node's or property's bytes do not
 * linger past the blob's new end (the monitor deletes /secure-chosen). */
static int zero_from(uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++)
		if (dst[i])
			return 0;
	return 1;
}

static void test_delete_zeroes(void)
{
	uint32_t total = build_virt(src, 0);
	struct fdt f;
	memset(dst, 0, sizeof(dst));
	CHECK_EQ(fdt_open_into(&f, src, total, dst, sizeof(dst)), 0);
	uint32_t t0 = fdt_totalsize(&f);
	CHECK(memmem(dst, sizeof(dst), "/pl011@9000000", 14) != NULL);
	CHECK_EQ(fdt_del_node(&f, fdt_path_offset(&f, "/chosen")), 0);
	uint32_t t1 = fdt_totalsize(&f);
	CHECK(t1 < t0);
	CHECK(zero_from(t1, t0));
	CHECK(memmem(dst, sizeof(dst), "/pl011@9000000", 14) == NULL);
	CHECK_EQ(fdt_delprop(&f, 0, "compatible"), 0);
	uint32_t t2 = fdt_totalsize(&f);
	CHECK(t2 < t1);
	CHECK(zero_from(t2, t1));
	CHECK(memmem(dst, sizeof(dst), "linux,dummy-virt", 16) == NULL);
	CHECK_EQ(fdt_check(dst, t2), 0);
}

static void test_no_space(void)
{
	uint32_t total = build_virt(src, 0);
	struct fdt f;
	/* Too small for the blob itself. */
	CHECK_EQ(fdt_open_into(&f, src, total, dst, total - 8), FDT_ERR_NOSPACE);
	/* Exactly the blob: any growth fails and leaves it intact. */
	CHECK_EQ(fdt_open_into(&f, src, total, dst, total), 0);
	CHECK_EQ(fdt_add_subnode(&f, 0, "psci"), FDT_ERR_NOSPACE);
	CHECK_EQ(fdt_setprop_string(&f, fdt_path_offset(&f, "/chosen"), "bootargs", "x"),
	         FDT_ERR_NOSPACE);
	CHECK_EQ(fdt_setprop_string(&f, fdt_path_offset(&f, "/chosen"), "stdout-path",
	                            "/a/longer/value/than/the/old/one"),
	         FDT_ERR_NOSPACE);
	CHECK_EQ(fdt_totalsize(&f), total);
	CHECK_EQ(fdt_check(dst, total), 0);
	CHECK(prop_is_str(&f, fdt_path_offset(&f, "/chosen"), "stdout-path", "/pl011@9000000"));
	/* A new name fits in the strings block but its property does not: the
	 * name is taken back out. */
	CHECK_EQ(fdt_open_into(&f, src, total, dst, total + 12), 0);
	CHECK_EQ(fdt_setprop_u32(&f, 0, "abc", 1), FDT_ERR_NOSPACE);
	CHECK_EQ(fdt_totalsize(&f), total);
	CHECK_EQ(fdt_check(dst, total), 0);
	/* Bad arguments. */
	CHECK_EQ(fdt_open_into(&f, src, total, dst, sizeof(dst)), 0);
	CHECK_EQ(fdt_add_subnode(&f, 0, "a/b"), FDT_ERR_BADARG);
	CHECK_EQ(fdt_add_subnode(&f, 0, ""), FDT_ERR_BADARG);
	CHECK_EQ(fdt_setprop_u32(&f, 5, "x", 1), FDT_ERR_BADARG); /* not a node */
}

static void set32(uint8_t *p, uint32_t v)
{
	put32(p, v);
}

static void test_bad_blobs(void)
{
	struct fdt f;
	uint32_t total = build_virt(src, 0);
	static uint8_t bad[8192];
#define MUTATE(off, val)                                                                           \
	do {                                                                                       \
		memcpy(bad, src, total);                                                           \
		set32(bad + (off), (val));                                                         \
	} while (0)
#define REJECTS(what)                                                                              \
	CHECK_EQ(fdt_open_into(&f, bad, total, dst, sizeof(dst)) == FDT_ERR_BADBLOB, 1)

	CHECK_EQ(fdt_open_into(&f, src, total - 1, dst, sizeof(dst)),
	         FDT_ERR_BADBLOB); /* truncated */
	CHECK_EQ(fdt_open_into(&f, src, 20, dst, sizeof(dst)), FDT_ERR_BADBLOB);
	MUTATE(0, 0xd00dfeee);
	REJECTS("magic");
	MUTATE(4, total + 4);
	REJECTS("totalsize beyond the buffer");
	MUTATE(20, 16);
	REJECTS("version 16");
	MUTATE(8, total - 4);
	REJECTS("struct block beyond the end");
	MUTATE(36, 0xfffffff0);
	REJECTS("struct size overflow");
	MUTATE(12, total);
	REJECTS("strings beyond the end");
	MUTATE(16, 44);
	REJECTS("misaligned reservation map");
	MUTATE(16, total - 8);
	REJECTS("reservation map without terminator");

	uint32_t off_st = fdt_be32(src + 8);
	MUTATE(off_st, 7);
	REJECTS("unknown token");
	MUTATE(off_st, 2);
	REJECTS("END_NODE at top level");
	/* The root's first property: an out-of-range name offset, then a
	 * length running past the block. */
	MUTATE(off_st + 8 + 8, 0x10000);
	REJECTS("name offset");
	MUTATE(off_st + 8 + 4, 0x7fffffff);
	REJECTS("property length");
	/* The last token (END) turned into NOP: no END. */
	uint32_t size_st = fdt_be32(src + 36);
	MUTATE(off_st + size_st - 4, 4);
	REJECTS("no END");
	/* END_NODE of the root turned into NOP: unbalanced. */
	MUTATE(off_st + size_st - 8, 4);
	REJECTS("unbalanced");
	/* A node name without its NUL: fill the root's name word and beyond. */
	memcpy(bad, src, total);
	memset(bad + fdt_be32(src + 12), 'x', fdt_be32(src + 32));
	CHECK_EQ(fdt_open_into(&f, bad, total, dst, sizeof(dst)), FDT_ERR_BADBLOB);
	/* Random corruption never crashes, and whatever opens passes check. */
	srand(1);
	for (int i = 0; i < 3000; i++) {
		memcpy(bad, src, total);
		int flips = 1 + rand() % 4;
		for (int j = 0; j < flips; j++)
			bad[rand() % total] ^= (uint8_t)(1 + rand() % 255);
		if (fdt_open_into(&f, bad, total, dst, sizeof(dst)) == 0) {
			CHECK_EQ(fdt_check(dst, fdt_totalsize(&f)), 0);
			/* and can be edited */
			int p = fdt_add_subnode(&f, 0, "psci");
			if (p >= 0)
				fdt_setprop_string(&f, p, "method", "smc");
			if (fdt_check(dst, fdt_totalsize(&f)) != 0)
				CHECK(!"edit of a fuzzed blob left it malformed");
		}
	}
}

/* A property after a child node is refused (found by tests/fuzz/fuzz_fdt.c:
 * such a blob passed the check, but the lookups stop at that property, so a
 * node added after it, the monitor's /psci for one, could not be found and
 * would be added again). Before its children, the same property is fine. */
static void test_prop_after_child(void)
{
	static struct writer w;
	static uint8_t blob[4096] __attribute__((aligned(8)));
	struct fdt f;
	for (int after = 0; after < 2; after++) {
		memset(&w, 0, sizeof(w));
		begin(&w, "");
		if (!after)
			prop_u32(&w, "late", 1);
		begin(&w, "cpus");
		prop_u32(&w, "#size-cells", 0);
		end(&w);
		if (after)
			prop_u32(&w, "late", 1);
		end(&w);
		uint32_t len = finish(&w, blob, 0);
		CHECK_EQ(fdt_check(blob, len), after ? FDT_ERR_BADBLOB : 0);
		CHECK_EQ(fdt_open_into(&f, blob, len, dst, sizeof(dst)), after ? FDT_ERR_BADBLOB : 0);
	}
	/* The same one level down: a child's property after its own child. */
	memset(&w, 0, sizeof(w));
	begin(&w, "");
	begin(&w, "cpus");
	begin(&w, "cpu@0");
	end(&w);
	prop_u32(&w, "#size-cells", 0);
	end(&w);
	end(&w);
	uint32_t len = finish(&w, blob, 0);
	CHECK_EQ(fdt_check(blob, len), FDT_ERR_BADBLOB);
}

/* No two properties of a node share a name, whether they share the string
 * or not (found by tests/fuzz/fuzz_fdt.c: a blob with "fuzz,prop" twice in
 * a node kept one after fdt_delprop, and an edit of "bootargs" would change
 * one of two). The same name in two nodes is fine. A node has at most 256
 * properties; an edit that would add one more is refused. */
static void test_duplicate_props(void)
{
	static struct writer w;
	static uint8_t blob[16384] __attribute__((aligned(8)));
	struct fdt f;
	for (int kind = 0; kind < 4; kind++) {
		memset(&w, 0, sizeof(w));
		begin(&w, "");
		prop_u32(&w, "a", 1);
		begin(&w, "chosen");
		prop(&w, "bootargs", "x", 2);
		if (kind == 1)
			w32(&w, 4); /* a NOP between */
		if (kind <= 1) {
			prop(&w, "bootargs", "y", 2); /* a second string of that name */
		} else if (kind == 2) {
			w32(&w, 3); /* the same string again */
			w32(&w, 0);
			w32(&w, 2);
		}
		prop_u32(&w, "a", 2); /* the root's name, in another node */
		end(&w);
		end(&w);
		uint32_t len = finish(&w, blob, 0);
		int want = kind == 3 ? 0 : FDT_ERR_BADBLOB;
		CHECK_EQ(fdt_check(blob, len), want);
		CHECK_EQ(fdt_open_into(&f, blob, len, dst, sizeof(dst)), want);
	}
	for (unsigned n = 255; n <= 257; n++) {
		memset(&w, 0, sizeof(w));
		begin(&w, "");
		for (unsigned i = 0; i < n; i++) {
			char name[12];
			snprintf(name, sizeof(name), "p%u", i & 0xfff);
			prop(&w, name, 0, 0);
		}
		end(&w);
		uint32_t len = finish(&w, blob, 0);
		CHECK_EQ(fdt_check(blob, len), n <= 256 ? 0 : FDT_ERR_BADBLOB);
		if (n > 256 || fdt_open_into(&f, blob, len, dst, sizeof(dst)) != 0)
			continue;
		CHECK_EQ(fdt_setprop_u32(&f, 0, "new", 1), n < 256 ? 0 : FDT_ERR_NOSPACE);
		CHECK_EQ(fdt_setprop_u32(&f, 0, "p0", 7), 0); /* a replacement adds none */
		CHECK_EQ(fdt_check(f.buf, fdt_totalsize(&f)), 0);
	}
}

/* The monitor's own edits (monitor/dtpatch.h) on a tree where a node with a
 * unit address comes before the plain one it edits: "/chosen" also matches
 * "chosen@40000000", "/firmware" also "firmware@0". Every edit must land in
 * the node fdt_add_subnode() returned (found by tests/fuzz/fuzz_fdt.c: the
 * initrd's end and the command line went to chosen@40000000, and the OP-TEE
 * node's method to a lookup under firmware@0, which failed the boot; and
 * of two secure-chosen nodes, one was left for the normal world). */
static void test_patch_unit_address_first(void)
{
	static struct writer w;
	static uint8_t src[4096] __attribute__((aligned(8)));
	static uint8_t dst[8192] __attribute__((aligned(8)));
	memset(&w, 0, sizeof(w));
	begin(&w, "");
	begin(&w, "chosen@40000000");
	end(&w);
	begin(&w, "firmware@0");
	end(&w);
	begin(&w, "psci@0");
	end(&w);
	begin(&w, "secure-chosen@0");
	end(&w);
	begin(&w, "chosen");
	end(&w);
	begin(&w, "secure-chosen");
	end(&w);
	end(&w);
	uint32_t len = finish(&w, src, 0);
	struct fdt f;
	CHECK_EQ(fdt_open_into(&f, src, len, dst, sizeof(dst)), 0);
	CHECK_EQ(ns_patch_dtb(&f, 0x48000000, 0x48200000, "console=ttyAMA0"), 0);
	CHECK_EQ(fdt_check(dst, fdt_totalsize(&f)), 0);
	CHECK(fdt_path_offset(&f, "/secure-chosen") < 0); /* both went */
	int chosen = fdt_subnode(&f, 0, "chosen@40000000"), plain = -1;
	for (int n = fdt_first_subnode(&f, 0); n >= 0; n = fdt_next_subnode(&f, n))
		if (strcmp(fdt_node_name(&f, n), "chosen") == 0)
			plain = n;
	CHECK(chosen >= 0 && plain >= 0);
	uint32_t l = 0;
	const uint8_t *v = fdt_getprop(&f, plain, "linux,initrd-start", &l);
	CHECK(v && l == 8 && fdt_be64(v) == 0x48000000);
	v = fdt_getprop(&f, plain, "linux,initrd-end", &l);
	CHECK(v && l == 8 && fdt_be64(v) == 0x48200000);
	const char *args = fdt_getprop(&f, plain, "bootargs", &l);
	CHECK(args && l == 16 && strcmp(args, "console=ttyAMA0") == 0);
	CHECK(fdt_getprop(&f, chosen, "linux,initrd-end", 0) == 0);
	CHECK(fdt_getprop(&f, chosen, "bootargs", 0) == 0);
	/* The new /psci and /firmware/optee carry their method themselves. */
	for (int n = fdt_first_subnode(&f, 0); n >= 0; n = fdt_next_subnode(&f, n)) {
		const char *name = fdt_node_name(&f, n);
		if (strcmp(name, "psci") == 0) {
			const char *m = fdt_getprop(&f, n, "method", &l);
			CHECK(m && strcmp(m, "smc") == 0);
		} else if (strcmp(name, "firmware") == 0) {
			int o = fdt_subnode(&f, n, "optee");
			const char *m = o >= 0 ? fdt_getprop(&f, o, "method", &l) : 0;
			CHECK(m && strcmp(m, "smc") == 0);
		} else if (strcmp(name, "psci@0") == 0 || strcmp(name, "firmware@0") == 0) {
			CHECK(fdt_getprop(&f, n, "method", 0) == 0 && fdt_first_subnode(&f, n) < 0);
		}
	}
}

int main(void)
{
	test_open_and_lookup();
	test_monitor_edits();
	test_replace_and_delete();
	test_delete_node();
	test_delete_zeroes();
	test_no_space();
	test_bad_blobs();
	test_patch_unit_address_first();
	test_prop_after_child();
	test_duplicate_props();
	return harness_report("fdt");
}
