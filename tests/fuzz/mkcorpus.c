/* Writes the seed corpora under tests/fuzz/corpus/ (run by
 * tests/fuzz/mkcorpus.sh, whose output is committed):
 *
 *   mkcorpus OUTDIR PROGRAM.elf SIGNED.ta
 *
 * The ELF seeds are a built program compacted (its headers, each loadable
 * segment cut to at most 256 bytes of file) and a minimal hand-made one; the
 * TA seeds are a signed image's header, hash, signature and UUID with its
 * ELF cut short; the other seeds are built here. Every seed is valid input
 * for its parser, so the fuzzers start from the accepting paths (the
 * service seeds are request sequences that reach every request, most of
 * them accepted).
 *
 *   mkcorpus OUTDIR --flashstore
 *
 * writes only the flash store's seeds (they need no built program): chip
 * images made by services/storage/flashstore.c itself, then operations. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "include/microtee/bootfs.h"
#include "include/microtee/crypto_ipc.h"
#include "include/microtee/key_ipc.h"
#include "include/microtee/optee_msg.h"
#include "include/microtee/ta_shdr.h"
#include "lib/tee/include/tee_api_defines.h"
#include "lib/tee/include/tee_api_defines_extensions.h"
#include "tests/fuzz/fs_fuzz.h"

static const char *outdir;

static void put(const char *harness, const char *name, const void *p, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, harness, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "mkcorpus: cannot write %s\n", path);
		exit(1);
	}
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0) {
		fprintf(stderr, "mkcorpus: cannot read %s\n", path);
		exit(1);
	}
	long n = ftell(f);
	rewind(f);
	uint8_t *b = malloc((size_t)n);
	if (fread(b, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
}
static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static void le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static uint64_t rd64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}
static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* ---- ELF ---- */

static void elf_seeds(const char *prog)
{
	size_t len;
	uint8_t *in = slurp(prog, &len);
	uint64_t phoff = rd64(in + 32);
	unsigned phnum = rd16(in + 56);
	static uint8_t out[16384];
	size_t n = 64 + phnum * 56;
	memcpy(out, in, 64);
	le64(out + 32, 64);                    /* program headers right after */
	le64(out + 40, 0), le16(out + 58, 64); /* no section headers */
	le16(out + 60, 0), le16(out + 62, 0);
	for (unsigned i = 0; i < phnum; i++) {
		uint8_t *ph = out + 64 + i * 56;
		memcpy(ph, in + phoff + i * 56, 56);
		if (rd64(ph) != 1 /* PT_LOAD, flags 0 */ && (ph[0] != 1 || ph[1] || ph[2] || ph[3]))
			continue;
		uint64_t off = rd64(ph + 8), filesz = rd64(ph + 32);
		uint64_t keep = filesz < 256 ? filesz : 256;
		memcpy(out + n, in + off, keep);
		le64(ph + 8, n);
		le64(ph + 32, keep);
		n += keep;
	}
	put("elf", "program", out, n);

	/* Minimal: one R+X segment at the window's start, entry there. */
	memset(out, 0, sizeof(out));
	memcpy(out, "\177ELF\2\1\1", 7);
	le16(out + 16, 2), le16(out + 18, 183), le32(out + 20, 1);
	le64(out + 24, 0x40000000), le64(out + 32, 64);
	le16(out + 52, 64), le16(out + 54, 56), le16(out + 56, 1);
	uint8_t *ph = out + 64;
	le32(ph, 1), le32(ph + 4, 5), le64(ph + 8, 120), le64(ph + 16, 0x40000000);
	le64(ph + 32, 8), le64(ph + 40, 0x1000);
	put("elf", "minimal", out, 128);
	/* Two segments: text, then data with bss, a page apart. */
	le16(out + 56, 2);
	le64(ph + 8, 176);
	uint8_t *ph2 = out + 120;
	le32(ph2, 1), le32(ph2 + 4, 6), le64(ph2 + 8, 184), le64(ph2 + 16, 0x40001000);
	le64(ph2 + 32, 16), le64(ph2 + 40, 0x2000);
	put("elf", "text-data", out, 200);
	free(in);
}

/* ---- signed TA ---- */

static void shdr_seeds(const char *ta)
{
	size_t len;
	uint8_t *in = slurp(ta, &len);
	const size_t img_off = sizeof(struct ta_shdr) + TA_SHDR_HASH_SIZE + TA_SHDR_SIG_SIZE +
			       sizeof(struct ta_shdr_boot);
	static uint8_t out[4096];
	size_t keep = 1024;
	memcpy(out, in, img_off + keep);
	le32(out + 8, (uint32_t)keep);
	put("shdr", "signed-ta", out, img_off + keep);
	le32(out + 12, TA_SHDR_ALG_RSA_PKCS1_SHA256);
	le32(out + 8, 64);
	put("shdr", "pkcs1-small", out, img_off + 64);
	free(in);
}

/* ---- FDT: a small writer ---- */

struct dtw {
	uint8_t st[2048], strs[512];
	uint32_t st_len, strs_len;
};

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}
static void tok(struct dtw *w, uint32_t v)
{
	be32(w->st + w->st_len, v);
	w->st_len += 4;
}
static void bytes(struct dtw *w, const void *p, uint32_t n)
{
	memcpy(w->st + w->st_len, p, n);
	w->st_len += n;
	while (w->st_len & 3)
		w->st[w->st_len++] = 0;
}
static void node(struct dtw *w, const char *name)
{
	tok(w, 1);
	bytes(w, name, (uint32_t)strlen(name) + 1);
}
static void prop(struct dtw *w, const char *name, const void *v, uint32_t n)
{
	uint32_t off = w->strs_len;
	memcpy(w->strs + off, name, strlen(name) + 1);
	w->strs_len += (uint32_t)strlen(name) + 1;
	tok(w, 3), tok(w, n), tok(w, off);
	bytes(w, v, n);
}
static void prop_u32(struct dtw *w, const char *name, uint32_t v)
{
	uint8_t b[4];
	be32(b, v);
	prop(w, name, b, 4);
}

/* Header, one reservation, structure, strings; 4 control bytes first. */
static void dt_put(const char *name, struct dtw *w, uint16_t slack, uint8_t pick, uint8_t vlen)
{
	static uint8_t out[4096];
	tok(w, 9);
	uint32_t rsv = 40, st = rsv + 32, str = st + w->st_len, total = str + w->strs_len;
	uint8_t *b = out + 4;
	memset(out, 0, sizeof(out));
	le16(out, slack), out[2] = pick, out[3] = vlen;
	be32(b, 0xd00dfeed), be32(b + 4, total), be32(b + 8, st), be32(b + 12, str);
	be32(b + 16, rsv), be32(b + 20, 17), be32(b + 24, 16), be32(b + 32, w->strs_len);
	be32(b + 36, w->st_len);
	be32(b + rsv + 4, 0x48000000), be32(b + rsv + 12, 0x1000);
	memcpy(b + st, w->st, w->st_len);
	memcpy(b + str, w->strs, w->strs_len);
	put("fdt", name, out, 4 + total);
}

static void qemu_like(struct dtw *w, int secure_chosen, int ncpus)
{
	uint8_t reg[16] = {0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0};
	node(w, "");
	prop_u32(w, "#address-cells", 2);
	prop_u32(w, "#size-cells", 2);
	prop(w, "compatible", "linux,dummy-virt", 17);
	node(w, "memory@40000000");
	prop(w, "device_type", "memory", 7);
	prop(w, "reg", reg, 16);
	tok(w, 2);
	node(w, "cpus");
	prop_u32(w, "#address-cells", 1);
	prop_u32(w, "#size-cells", 0);
	for (int i = 0; i < ncpus; i++) {
		char name[16];
		snprintf(name, sizeof(name), "cpu@%d", i);
		node(w, name);
		prop(w, "device_type", "cpu", 4);
		prop(w, "compatible", "arm,cortex-a57", 15);
		prop_u32(w, "reg", (uint32_t)i);
		tok(w, 2);
	}
	tok(w, 2);
	if (secure_chosen) {
		node(w, "secure-chosen");
		prop(w, "kaslr-seed", reg, 8);
		tok(w, 2);
	}
	node(w, "chosen");
	tok(w, 4); /* a NOP */
	prop(w, "stdout-path", "/pl011@9000000", 15);
	tok(w, 2);
	tok(w, 2);
}

static void fdt_seeds(void)
{
	struct dtw w;
	memset(&w, 0, sizeof(w));
	qemu_like(&w, 1, 2);
	dt_put("qemu-virt", &w, 2048, 3, 12);
	memset(&w, 0, sizeof(w));
	qemu_like(&w, 0, 4);
	dt_put("four-cpus-tight", &w, 64, 7, 0);
	memset(&w, 0, sizeof(w));
	node(&w, "");
	tok(&w, 2);
	dt_put("empty-root", &w, 512, 0, 5);
}

/* ---- Image header and boot sizes ---- */

static void ns_put(const char *name, uint8_t flags, uint64_t ram, uint32_t qdtb, uint32_t ksize,
		   uint32_t isize, uint32_t clen, uint64_t text, uint64_t image_size, uint64_t hflags,
		   int magic)
{
	uint8_t out[1 + 8 + 4 * 4 + 64];
	memset(out, 0, sizeof(out));
	out[0] = flags;
	le64(out + 1, ram);
	le32(out + 9, qdtb), le32(out + 13, ksize), le32(out + 17, isize), le32(out + 21, clen);
	uint8_t *h = out + 25;
	le32(h, 0xfa405a4d); /* the EFI stub's "MZ" branch, as Debian's Image has */
	le64(h + 8, text), le64(h + 16, image_size), le64(h + 24, hflags);
	if (magic)
		memcpy(h + 56, "ARM\x64", 4);
	put("nslayout", name, out, sizeof(out));
}

static void nslayout_seeds(void)
{
	ns_put("debian-6.1", 0, 0x40000000, 0x2000, 32956352, 2044915, 28, 0, 0x2010000, 0xa, 1);
	ns_put("no-initrd", 0, 0x40000000, 0x2000, 32956352, 0, 0, 0, 0x2010000, 0xa, 1);
	ns_put("pre-3.17", 0, 0x20000000, 0x1000, 12000000, 500000, 100, 0x80000, 0, 0, 1);
	ns_put("raw-image", 0, 0x08000000, 0x1000, 70000, 0, 10, 0, 0, 0, 0);
}

/* ---- boot file system ---- */

static void bootfs_put(const char *name, const char *want, const char *const *names, unsigned n,
		       int dup)
{
	static uint8_t out[4096];
	memset(out, 0, sizeof(out));
	size_t wl = strlen(want);
	out[0] = (uint8_t)wl;
	memcpy(out + 1, want, wl);
	uint8_t *fs = out + 1 + wl;
	struct bootfs_header h = {BOOTFS_MAGIC, n + (dup ? 1 : 0)};
	memcpy(fs, &h, sizeof(h));
	uint32_t data = (uint32_t)(sizeof(h) + h.count * sizeof(struct bootfs_entry));
	for (unsigned i = 0; i < h.count; i++) {
		struct bootfs_entry e;
		memset(&e, 0, sizeof(e));
		snprintf(e.name, sizeof(e.name), "%s", names[i < n ? i : 0]);
		e.offset = data;
		e.size = 16 + 8 * i;
		memset(fs + data, 'a' + (int)i, e.size);
		data += e.size;
		memcpy(fs + sizeof(h) + i * sizeof(e), &e, sizeof(e));
	}
	put("bootfs", name, out, 1 + wl + data);
}

static void bootfs_seeds(void)
{
	static const char *const prod[] = {"init", "gateway", "crypto", "keys", "rpc",
					   "435818f8-72c3-48c1-b10c-1d9fb3dbceb4.ta"};
	bootfs_put("production", "gateway", prod, 6, 0);
	bootfs_put("ta-name", "435818f8-72c3-48c1-b10c-1d9fb3dbceb4.ta", prod, 6, 0);
	bootfs_put("duplicate", "init", prod, 2, 1);
	bootfs_put("missing", "echo", prod, 3, 0);
}

/* ---- the gateway: control bytes, then normal-world RAM ---- */

#define GW_CTL 32
#define NSRAM 0x40000000ULL

struct gw_seed {
	uint8_t b[GW_CTL + 2 * 4096];
	size_t len;
};

static uint8_t *gw_ram(struct gw_seed *s)
{
	return s->b + GW_CTL;
}

/* A message at RAM offset off: header and parameters (attr, 3 words). */
static void gw_msg(struct gw_seed *s, size_t off, uint32_t cmd, uint32_t func, uint32_t session,
		   unsigned np, const uint64_t (*p)[4])
{
	uint8_t *m = gw_ram(s) + off;
	le32(m, cmd), le32(m + 4, func), le32(m + 8, session), le32(m + 28, np);
	for (unsigned i = 0; i < np; i++)
		for (unsigned j = 0; j < 4; j++)
			le64(m + 32 + 32 * i + 8 * j, p[i][j]);
	size_t end = GW_CTL + off + 32 + 32 * np;
	if (end > s->len)
		s->len = end;
}

static void gw_calls(struct gw_seed *s, unsigned n, const uint16_t *offs)
{
	s->b[0] = (uint8_t)(n - 1);
	for (unsigned i = 0; i < n; i++)
		le16(s->b + 1 + 2 * i, offs[i]);
}

/* REGISTER_SHM of 0x1800 bytes at offset 0x10 in pages 2 and 3, whose list
 * is page 1. */
static void gw_register(struct gw_seed *s, size_t off, uint64_t cookie)
{
	const uint64_t reg[1][4] = {{OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG,
				     NSRAM + 0x1000 + 0x10, 0x1800, cookie}};
	gw_msg(s, off, OPTEE_MSG_CMD_REGISTER_SHM, 0, 0, 1, reg);
	uint8_t *list = gw_ram(s) + 0x1000;
	le64(list, NSRAM + 0x2000), le64(list + 8, NSRAM + 0x3000), le64(list + 4088, 0);
	if (s->len < GW_CTL + 0x1000 + 16)
		s->len = GW_CTL + 0x1000 + 16;
}

static void gw_seeds(void)
{
	const uint64_t meta = OPTEE_MSG_ATTR_META | OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	struct gw_seed s;

	/* Register, open a session with a memory reference and a value,
	 * invoke, close. */
	memset(&s, 0, sizeof(s));
	gw_register(&s, 0, 0x1234);
	const uint64_t open[4][4] = {
	    {meta, 0x0123456789abcdefULL, 0x1122334455667788ULL, 0},
	    {meta, 0, 0, 0},
	    {OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 0x10, 0x100, 0x1234},
	    {OPTEE_MSG_ATTR_TYPE_VALUE_INOUT, 1, 2, 3}};
	gw_msg(&s, 0x100, OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 4, open);
	const uint64_t inv[3][4] = {{OPTEE_MSG_ATTR_TYPE_RMEM_INOUT, 0x800, 0x1000, 0x1234},
				    {OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT, 0, 0, 0},
				    {OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, 0, 0, 0}};
	gw_msg(&s, 0x300, OPTEE_MSG_CMD_INVOKE_COMMAND, 7, 1, 3, inv);
	gw_msg(&s, 0x500, OPTEE_MSG_CMD_CLOSE_SESSION, 0, 1, 0, 0);
	const uint16_t o1[4] = {0, 0x100, 0x300, 0x500};
	gw_calls(&s, 4, o1);
	put("gateway", "register-open-invoke-close", s.b, s.len);

	/* Register then unregister; a message across the page boundary. */
	memset(&s, 0, sizeof(s));
	gw_register(&s, 0, 0x99);
	const uint64_t unreg[1][4] = {{OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 0, 0, 0x99}};
	gw_msg(&s, 0x40, OPTEE_MSG_CMD_UNREGISTER_SHM, 0, 0, 1, unreg);
	const uint64_t two[2][4] = {{meta, 1, 2, 0}, {meta, 0, 0, 0}};
	gw_msg(&s, 0xfe0, OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 2, two);
	const uint16_t o2[3] = {0, 0x40, 0xfe0};
	gw_calls(&s, 3, o2);
	put("gateway", "register-unregister-straddle", s.b, s.len);

	/* Two sessions of one TA (the tape makes it single-instance and
	 * multi-session), then an unknown command. */
	memset(&s, 0, sizeof(s));
	gw_msg(&s, 0, OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 2, two);
	gw_msg(&s, 0x80, OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 2, two);
	gw_msg(&s, 0x100, 0x77, 0, 0, 0, 0);
	gw_msg(&s, 0x180, OPTEE_MSG_CMD_CANCEL, 0, 0, 0, 0);
	const uint16_t o3[4] = {0, 0x80, 0x100, 0x180};
	gw_calls(&s, 4, o3);
	s.b[9] = 0;           /* init starts the TA */
	s.b[10] = 0x0c << 2;  /* ATTACH: single instance, multi-session */
	put("gateway", "two-sessions", s.b, s.len);
}

/* ---- the crypto and key services ----
 * A request is 28 bytes (fuzz_crypto.c, fuzz_keys.c): selector, caller,
 * object, extra handles, w1, w2, w3; the window's bytes follow them. */

#define SVC_REQ 28
#define SVC_WIN 4096

struct svc_seed {
	uint8_t req[16 * SVC_REQ];
	unsigned n;
	uint8_t win[SVC_WIN];
	size_t win_len;
};

static void svc_req(struct svc_seed *s, uint8_t sel, uint8_t caller, uint8_t obj, uint64_t w1,
		    uint64_t w2, uint64_t w3)
{
	uint8_t *q = s->req + s->n++ * SVC_REQ;
	q[0] = sel, q[1] = caller, q[2] = obj, q[3] = 0;
	le64(q + 4, w1), le64(q + 12, w2), le64(q + 20, w3);
}

/* Bytes at a window offset. */
static void svc_at(struct svc_seed *s, size_t off, const void *p, size_t n)
{
	memcpy(s->win + off, p, n);
	if (off + n > s->win_len)
		s->win_len = off + n;
}

/* An attribute record (crypto_ipc.h) at off: a buffer, or a value. */
static size_t svc_attr(struct svc_seed *s, size_t off, uint32_t id, const void *p, uint32_t n)
{
	uint8_t h[8];
	le32(h, id), le32(h + 4, n);
	svc_at(s, off, h, 8);
	svc_at(s, off + 8, p, n);
	return off + 8 + ((n + 7) & ~7U);
}
static size_t svc_value(struct svc_seed *s, size_t off, uint32_t id, uint32_t a, uint32_t b)
{
	uint8_t v[8];
	le32(v, a), le32(v + 4, b);
	uint8_t h[8];
	le32(h, id), le32(h + 4, 0);
	svc_at(s, off, h, 8);
	svc_at(s, off + 8, v, 8);
	return off + 16;
}

static void svc_put(const char *harness, const char *name, const struct svc_seed *s)
{
	uint8_t b[1 + sizeof(s->req) + SVC_WIN];
	b[0] = (uint8_t)(s->n - 1);
	memcpy(b + 1, s->req, s->n * SVC_REQ);
	memcpy(b + 1 + s->n * SVC_REQ, s->win, s->win_len);
	put(harness, name, b, 1 + s->n * SVC_REQ + s->win_len);
}

/* fuzz_crypto.c's selectors (its `codes`) and callers. */
enum {
	C_ATTACH, C_DETACH, C_GONE, C_TA_VERIFY, C_OBJ_ALLOC, C_OBJ_FREE, C_OBJ_RESET,
	C_OBJ_POPULATE, C_OBJ_GENERATE, C_OBJ_GET_ATTR, C_OBJ_COPY, C_OBJ_INFO, C_ALLOC, C_FREE,
	C_SET_KEY, C_RESET, C_COPY, C_INIT, C_UPDATE, C_UPDATE_AAD, C_FINAL, C_FINAL_CHECK,
	C_ASYM, C_DERIVE, C_RANDOM, C_FI_UPDATE, C_FI_AAD, C_FI_FINAL, C_FI_CHECK,
};
enum { CL_A, CL_B, CL_SUP, CL_NONE };
#define SP(off, len) CRYPTO_SPAN(off, len)

static void crypto_seeds(void)
{
	static const uint8_t key16[16] = "0123456789abcdef", key32[32] = "0123456789abcdef0123456789ABCDEF";
	struct svc_seed s;

	/* Random bytes; a digest in three steps; the other client not
	 * attached; an unknown request. */
	memset(&s, 0, sizeof(s));
	svc_req(&s, C_ATTACH, CL_A, 1, 0, 0, 0);
	svc_req(&s, C_RANDOM, CL_A, 0, SP(0x400, 64), 0, 0);
	svc_req(&s, C_ALLOC, CL_A, 0, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	svc_req(&s, C_UPDATE, CL_A, 0, 1, SP(0x200, 64), SP(0, 0));
	svc_req(&s, C_FINAL, CL_A, 0, 1, SP(0x240, 3), SP(0x400, 32));
	svc_req(&s, C_RANDOM, CL_B, 0, SP(0, 16), 0, 0);
	svc_req(&s, 0x60, CL_A, 0, 0, 0, 0);
	svc_at(&s, 0x200, "abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabc", 67);
	svc_put("crypto", "random-digest", &s);

	/* AES-128-CBC: a key object, populated; an operation, keyed,
	 * initialised, updated, finished; its info. */
	memset(&s, 0, sizeof(s));
	svc_req(&s, C_ATTACH, CL_A, 1, 0, 0, 0);
	svc_req(&s, C_OBJ_ALLOC, CL_A, 0, TEE_TYPE_AES, 128, 0);
	svc_req(&s, C_OBJ_POPULATE, CL_A, 0, 1, SP(0, 24), 0);
	svc_req(&s, C_ALLOC, CL_A, 0, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT, 128);
	svc_req(&s, C_SET_KEY, CL_A, 0, 1, 1, 0);
	svc_req(&s, C_INIT, CL_A, 0, 1, SP(0x100, 16), 0);
	svc_req(&s, C_UPDATE, CL_A, 0, 1, SP(0x200, 40), SP(0x400, 48));
	svc_req(&s, C_FINAL, CL_A, 0, 1, SP(0x228, 8), SP(0x400, 48));
	svc_req(&s, C_OBJ_INFO, CL_A, 0, 1, 0, 0);
	svc_req(&s, C_OBJ_GET_ATTR, CL_A, 0, 1, TEE_ATTR_SECRET_VALUE, SP(0x800, 32));
	svc_req(&s, C_COPY, CL_A, 0, 1, 1, 0);
	svc_req(&s, C_OBJ_FREE, CL_A, 0, 1, 0, 0);
	svc_attr(&s, 0, TEE_ATTR_SECRET_VALUE, key16, 16);
	svc_at(&s, 0x100, key16, 16);
	svc_at(&s, 0x200, key32, 32);
	svc_at(&s, 0x220, key16, 16);
	svc_put("crypto", "aes-cbc", &s);

	/* AES-GCM, initialised with the request (F_INIT): AAD, then the
	 * final encryption; the same for decryption with the tag check. */
	memset(&s, 0, sizeof(s));
	svc_req(&s, C_ATTACH, CL_B, 1, 0, 0, 0);
	svc_req(&s, C_OBJ_ALLOC, CL_B, 0, TEE_TYPE_AES, 256, 0);
	svc_req(&s, C_OBJ_POPULATE, CL_B, 0, 1, SP(0, 40), 0);
	svc_req(&s, C_ALLOC, CL_B, 0, TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 256);
	svc_req(&s, C_SET_KEY, CL_B, 0, 1, 1, 0);
	svc_req(&s, C_FI_AAD, CL_B, 0, 1, SP(0x100, 16 + 16 + 20), 128);
	svc_req(&s, C_FINAL, CL_B, 0, 1, SP(0x200, 32), SP(0x400, 48));
	svc_req(&s, C_ALLOC, CL_B, 0, TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, 256);
	svc_req(&s, C_SET_KEY, CL_B, 0, 2, 1, 0);
	svc_req(&s, C_FI_CHECK, CL_B, 0, 2, SP(0x100, 16 + 16 + 32), SP(0x600, 32));
	svc_req(&s, C_UPDATE_AAD, CL_B, 0, 2, SP(0, 8), 0);
	svc_attr(&s, 0, TEE_ATTR_SECRET_VALUE, key32, 32);
	{
		uint8_t ir[16] = {0};
		le32(ir, 12), le64(ir + 8, 128);
		svc_at(&s, 0x100, ir, 16);
		svc_at(&s, 0x110, "nonce-twelve", 12);
		uint8_t cr[16] = {0};
		le32(cr, 16), le32(cr + 4, 0x800), le32(cr + 8, 64);
		svc_at(&s, 0x600, cr, 16);
	}
	svc_put("crypto", "aes-gcm-f-init", &s);

	/* HMAC-SHA256 compute, then the check; an HKDF derivation into a
	 * generic secret. */
	memset(&s, 0, sizeof(s));
	svc_req(&s, C_ATTACH, CL_A, 1, 0, 0, 0);
	svc_req(&s, C_OBJ_ALLOC, CL_A, 0, TEE_TYPE_HMAC_SHA256, 256, 0);
	svc_req(&s, C_OBJ_POPULATE, CL_A, 0, 1, SP(0, 40), 0);
	svc_req(&s, C_ALLOC, CL_A, 0, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 256);
	svc_req(&s, C_SET_KEY, CL_A, 0, 1, 1, 0);
	svc_req(&s, C_INIT, CL_A, 0, 1, SP(0, 0), 0);
	svc_req(&s, C_FINAL_CHECK, CL_A, 0, 1, SP(0x200, 20), SP(0x600, 48));
	svc_req(&s, C_OBJ_ALLOC, CL_A, 0, TEE_TYPE_GENERIC_SECRET, 256, 0);
	svc_req(&s, C_OBJ_POPULATE, CL_A, 0, 2, SP(0, 40), 0);
	svc_req(&s, C_ALLOC, CL_A, 0, TEE_ALG_HKDF_SHA256_DERIVE_KEY, TEE_MODE_DERIVE, 256);
	svc_req(&s, C_SET_KEY, CL_A, 0, 2, 2, 0);
	svc_req(&s, C_OBJ_ALLOC, CL_A, 0, TEE_TYPE_GENERIC_SECRET, 256, 0);
	svc_attr(&s, 0, TEE_ATTR_SECRET_VALUE, key32, 32);
	{
		uint8_t cr[16] = {0};
		le32(cr, 32);
		svc_at(&s, 0x600, cr, 16);
		size_t o = svc_attr(&s, 0x100, TEE_ATTR_HKDF_SALT, key16, 16);
		svc_value(&s, o, TEE_ATTR_HKDF_OKM_LENGTH, 32, 0);
	}
	svc_put("crypto", "hmac-hkdf", &s);
	/* The derivation itself (the same window). */
	s.n = 0;
	svc_req(&s, C_ATTACH, CL_A, 1, 0, 0, 0);
	svc_req(&s, C_OBJ_ALLOC, CL_A, 0, TEE_TYPE_GENERIC_SECRET, 256, 0);
	svc_req(&s, C_OBJ_POPULATE, CL_A, 0, 1, SP(0, 40), 0);
	svc_req(&s, C_ALLOC, CL_A, 0, TEE_ALG_HKDF_SHA256_DERIVE_KEY, TEE_MODE_DERIVE, 256);
	svc_req(&s, C_SET_KEY, CL_A, 0, 1, 1, 0);
	svc_req(&s, C_OBJ_ALLOC, CL_A, 0, TEE_TYPE_GENERIC_SECRET, 256, 0);
	svc_req(&s, C_DERIVE, CL_A, 0, 1, SP(0x100, 40), 2);
	svc_req(&s, C_OBJ_GET_ATTR, CL_A, 0, 2, TEE_ATTR_SECRET_VALUE, SP(0x800, 32));
	svc_put("crypto", "hkdf-derive", &s);

	/* ECDSA P-256: a generated key pair, a signature, its public half
	 * copied out and read; ECDH with the key's own public value. */
	memset(&s, 0, sizeof(s));
	svc_req(&s, C_ATTACH, CL_A, 1, 0, 0, 0);
	svc_req(&s, C_OBJ_ALLOC, CL_A, 0, TEE_TYPE_ECDSA_KEYPAIR, 256, 0);
	svc_req(&s, C_OBJ_GENERATE, CL_A, 0, 1, 256, SP(0, 16));
	svc_req(&s, C_ALLOC, CL_A, 0, TEE_ALG_ECDSA_SHA256, TEE_MODE_SIGN, 256);
	svc_req(&s, C_SET_KEY, CL_A, 0, 1, 1, 0);
	svc_req(&s, C_ASYM, CL_A, 0, 1, SP(0x200, 32), SP(0x300, 24));
	svc_req(&s, C_OBJ_ALLOC, CL_A, 0, TEE_TYPE_ECDSA_PUBLIC_KEY, 256, 0);
	svc_req(&s, C_OBJ_COPY, CL_A, 0, 2, 1, 0);
	svc_req(&s, C_OBJ_GET_ATTR, CL_A, 0, 2, TEE_ATTR_ECC_PUBLIC_VALUE_X, SP(0x800, 66));
	svc_req(&s, C_OBJ_RESET, CL_A, 0, 1, 0, 0);
	svc_req(&s, C_DETACH, CL_A, 0, 0, 0, 0);
	svc_value(&s, 0, TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0);
	{
		uint8_t ar[24] = {0};
		le32(ar, TEE_MODE_SIGN), le32(ar + 12, 0x400), le32(ar + 16, 128);
		svc_at(&s, 0x300, ar, 24);
		svc_at(&s, 0x200, key32, 32);
	}
	svc_put("crypto", "ecdsa", &s);

	/* RSA-512: generated, a PKCS#1 v1.5 signature, OAEP encryption. */
	memset(&s, 0, sizeof(s));
	svc_req(&s, C_ATTACH, CL_B, 1, 0, 0, 0);
	svc_req(&s, C_OBJ_ALLOC, CL_B, 0, TEE_TYPE_RSA_KEYPAIR, 512, 0);
	svc_req(&s, C_OBJ_GENERATE, CL_B, 0, 1, 512, SP(0, 0));
	svc_req(&s, C_ALLOC, CL_B, 0, TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_MODE_SIGN, 512);
	svc_req(&s, C_SET_KEY, CL_B, 0, 1, 1, 0);
	svc_req(&s, C_ASYM, CL_B, 0, 1, SP(0x200, 32), SP(0x300, 24));
	svc_req(&s, C_ALLOC, CL_B, 0, TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1, TEE_MODE_ENCRYPT, 512);
	svc_req(&s, C_SET_KEY, CL_B, 0, 2, 1, 0);
	svc_req(&s, C_ASYM, CL_B, 0, 2, SP(0x200, 16), SP(0x380, 24));
	{
		uint8_t ar[24] = {0};
		le32(ar, TEE_MODE_SIGN), le32(ar + 12, 0x400), le32(ar + 16, 128);
		svc_at(&s, 0x300, ar, 24);
		le32(ar, TEE_MODE_ENCRYPT), le32(ar + 12, 0x500);
		svc_at(&s, 0x380, ar, 24);
		svc_at(&s, 0x200, key32, 32);
	}
	svc_put("crypto", "rsa", &s);

	/* init: a client that has ended, one never seen, a TA image to
	 * check; a client naming init's requests. */
	memset(&s, 0, sizeof(s));
	svc_req(&s, C_ATTACH, CL_A, 2, 0, 0, 0);
	svc_req(&s, C_ATTACH, CL_A, 1, 0, 0, 0);
	svc_req(&s, C_GONE, CL_SUP, 0, 0, 0, 0);
	svc_req(&s, C_GONE, CL_SUP, 0, 1, 0, 0);
	svc_req(&s, C_TA_VERIFY, CL_SUP, 1, 512, 0x0123456789abcdefULL, 0);
	svc_req(&s, C_TA_VERIFY, CL_A, 1, 512, 0, 0);
	svc_req(&s, C_GONE, CL_B, 0, 0, 0, 0);
	svc_req(&s, C_ATTACH, CL_NONE, 1, 0, 0, 0);
	svc_req(&s, C_ATTACH, CL_B, 0x41, 0, 0, 0);
	svc_put("crypto", "init-and-attach", &s);
}

/* fuzz_keys.c's selectors and callers. */
enum { K_HELLO, K_INFO, K_DERIVE, K_SEAL, K_UNSEAL, K_ATTEST, K_CRASH };
enum { KC_A, KC_B, KC_NOBODY, KC_NONE };

static void keys_seeds(void)
{
	struct svc_seed s;

	/* Anyone: HELLO and the device information; a caller that is no TA
	 * asks for a key. */
	memset(&s, 0, sizeof(s));
	svc_req(&s, K_HELLO, KC_NOBODY, 0, 0, 0, 0);
	svc_req(&s, K_INFO, KC_NOBODY, 1, 0, KEY_SPAN(0x100, 96), 0);
	svc_req(&s, K_INFO, KC_A, 1, 0, KEY_SPAN(0x100, 95), 0);
	svc_req(&s, K_DERIVE, KC_NOBODY, 1, KEY_SPAN(0, 8), KEY_SPAN(0x100, 32), 0);
	svc_req(&s, 0x7E, KC_A, 0, 0, 0, 0);
	svc_req(&s, 200, KC_A, 0, 0, 0, 0);
	svc_at(&s, 0, "label-01", 8);
	svc_put("keys", "hello-info", &s);

	/* A TA's key, sealing and unsealing (a blob that does not
	 * authenticate), a short output. */
	memset(&s, 0, sizeof(s));
	svc_req(&s, K_DERIVE, KC_A, 1, KEY_SPAN(0, 8), KEY_SPAN(0x100, 32), 0);
	svc_req(&s, K_SEAL, KC_A, 1, KEY_SPAN(0, 100), KEY_SPAN(0x200, 148), 0);
	svc_req(&s, K_SEAL, KC_B, 1, KEY_SPAN(0, 100), KEY_SPAN(0x200, 100), 0);
	svc_req(&s, K_UNSEAL, KC_B, 1, KEY_SPAN(0x400, 48 + 16), KEY_SPAN(0x600, 16), 0);
	svc_req(&s, K_UNSEAL, KC_A, 0x41, KEY_SPAN(0x400, 48 + 16), KEY_SPAN(0x600, 16), 0);
	svc_at(&s, 0, "label-02 and some data to seal", 30);
	{
		uint8_t h[32] = {0};
		memcpy(h, KEY_SEAL_MAGIC, 4);
		le16(h + 4, KEY_SEAL_VERSION), le16(h + 6, KEY_SEAL_ALG_AES256_GCM), le32(h + 8, 16);
		svc_at(&s, 0x400, h, 32);
	}
	svc_put("keys", "derive-seal-unseal", &s);

	/* Reports for both TAs, one with too little room; a window past
	 * the largest. */
	memset(&s, 0, sizeof(s));
	svc_req(&s, K_ATTEST, KC_A, 1, KEY_SPAN(0, 32), KEY_SPAN(0x200, 1024), 0);
	svc_req(&s, K_ATTEST, KC_B, 2, KEY_SPAN(0, 7), KEY_SPAN(0x1000, 4096), 0);
	svc_req(&s, K_ATTEST, KC_B, 1, KEY_SPAN(0, 7), KEY_SPAN(0x200, 100), 0);
	svc_req(&s, K_SEAL, KC_A, 33, KEY_SPAN(0, 7), KEY_SPAN(0x200, 100), 0);
	svc_at(&s, 0, "a nonce of thirty-two bytes ....", 32);
	svc_put("keys", "attest", &s);
}

/* ---- the flash store ---- */

static struct fz_chip fs_chip;
static struct fs_store fs_st;
static struct fs_entry fs_tab[64];

static void fs_put_n(unsigned owner, unsigned id, uint32_t len, uint8_t salt)
{
	uint8_t ow[FS_OWNER_LEN], k[FS_ID_MAX], d[200];
	fz_owner(ow, owner);
	unsigned l = fz_id(k, id);
	fz_data(d, len, owner, salt);
	if (fs_put(&fs_st, ow, k, l, d, len) != FS_OK && !fs_chip.dead) {
		fprintf(stderr, "mkcorpus: flashstore put (%u, %u, %u) failed\n", owner, id, (unsigned)len);
		exit(1);
	}
}

/* The chip image, then a script: a power-cut byte, then operations of
 * three bytes (kind | owner << 2, id a | id b << 4, length). */
static void fs_seed(const char *name, const uint8_t *script, size_t n)
{
	static uint8_t b[FZ_IMAGE + 64];
	memcpy(b, fs_chip.mem, FZ_IMAGE);
	memcpy(b + FZ_IMAGE, script, n);
	put("flashstore", name, b, FZ_IMAGE + n);
}

static void flashstore_seeds(void)
{
	static const uint8_t ops[] = {0,    0x00, 0x10, 40,   0x07, 0x21, 0,  0x02, 0x10, 0,
				      0x03, 0x01, 0,    0x01, 0x00, 0,    0x04, 0x33, 90};
	fz_chip_init(&fs_chip);
	if (fs_mount(&fs_st, &fs_chip.ops, fs_tab, 64) != FS_OK)
		exit(1);
	fs_seed("formatted", ops, sizeof(ops));
	for (unsigned i = 0; i < 8; i++)
		fs_put_n(i % 2, i % FZ_IDS, 8 + i * 3, (uint8_t)i);
	fs_seed("objects", ops, sizeof(ops));
	uint8_t cut[sizeof(ops)];
	memcpy(cut, ops, sizeof(ops));
	cut[0] = 2 * 23 + 1; /* the power goes after 23 words */
	fs_seed("objects-cut", cut, sizeof(cut));
	/* Enough updates for several compactions, a rename, a delete. */
	for (unsigned i = 0; i < 150; i++)
		fs_put_n(i % 2, i % 3, 10 + (i * 7) % 30, (uint8_t)(i + 50));
	uint8_t ow[FS_OWNER_LEN], a[FS_ID_MAX], c[FS_ID_MAX];
	fz_owner(ow, 1);
	unsigned la = fz_id(a, 1), lc = fz_id(c, 4);
	if (fs_rename(&fs_st, ow, a, la, c, lc) != FS_OK || fs_delete(&fs_st, ow, c, lc) != FS_OK ||
	    fs_st.compactions < 2) {
		fprintf(stderr, "mkcorpus: flashstore: %u compactions\n", fs_st.compactions);
		exit(1);
	}
	fs_seed("compacted", ops, sizeof(ops));
	/* A put cut short: the newest block ends in a torn record. */
	static uint8_t before[FZ_IMAGE];
	memcpy(before, fs_chip.mem, FZ_IMAGE);
	for (long cut = 5;; cut++) {
		memcpy(fs_chip.mem, before, FZ_IMAGE);
		if (cut > 400 || fs_mount(&fs_st, &fs_chip.ops, fs_tab, 64) != FS_OK)
			exit(1);
		fs_chip.budget = cut;
		fs_put_n(0, 4, 60, 7);
		fs_chip.budget = -1;
		fs_chip.dead = 0;
		if (fs_mount(&fs_st, &fs_chip.ops, fs_tab, 64) != FS_OK)
			exit(1);
		if (fs_st.tail_closed)
			break;
	}
	fs_seed("torn-tail", ops, sizeof(ops));
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[2], "--flashstore") == 0) {
		outdir = argv[1];
		flashstore_seeds();
		return 0;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: mkcorpus OUTDIR PROGRAM.elf SIGNED.ta | mkcorpus OUTDIR --flashstore\n");
		return 2;
	}
	outdir = argv[1];
	elf_seeds(argv[2]);
	shdr_seeds(argv[3]);
	fdt_seeds();
	nslayout_seeds();
	bootfs_seeds();
	gw_seeds();
	crypto_seeds();
	keys_seeds();
	flashstore_seeds();
	return 0;
}
