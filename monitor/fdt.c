/* Flattened device tree editor (see fdt.h). The format: a 40-byte header of
 * big-endian words, the memory reservation map (pairs of 64-bit address and
 * size, ended by a zero pair), the structure block (a stream of 32-bit
 * tokens: BEGIN_NODE + NUL-terminated name, PROP + length + name offset +
 * value, END_NODE, NOP, END; everything padded to 4 bytes) and the strings
 * block (property names, NUL-terminated). */
#include "fdt.h"

#include <stddef.h>

#include "../common/kstring.h"

#define TOK_BEGIN_NODE 1U
#define TOK_END_NODE   2U
#define TOK_PROP       3U
#define TOK_NOP        4U
#define TOK_END        9U

/* Header fields, as word indexes. */
#define H_MAGIC        0
#define H_TOTALSIZE    1
#define H_OFF_STRUCT   2
#define H_OFF_STRINGS  3
#define H_OFF_RSVMAP   4
#define H_VERSION      5
#define H_LAST_COMP    6
#define H_BOOT_CPUID   7
#define H_SIZE_STRINGS 8
#define H_SIZE_STRUCT  9
#define HDR_SIZE       40U

#define ALIGN4(x) (((x) + 3U) & ~3U)

uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t fdt_be64(const void *p)
{
	return (uint64_t)fdt_be32(p) << 32 | fdt_be32((const uint8_t *)p + 4);
}

static void put_be32(void *p, uint32_t v)
{
	uint8_t *b = p;
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static uint32_t hdr(const struct fdt *f, int field)
{
	return fdt_be32(f->buf + 4 * field);
}

static void set_hdr(struct fdt *f, int field, uint32_t v)
{
	put_be32(f->buf + 4 * field, v);
}

static int strcmp_eq(const char *a, const char *b)
{
	size_t n = strlen(b) + 1;
	return strncmp(a, b, n) == 0;
}

/* Bounded strlen: the length of the string at s if a NUL occurs within max
 * bytes, else -1. */
static long str_within(const uint8_t *s, uint32_t max)
{
	for (uint32_t i = 0; i < max; i++)
		if (s[i] == 0)
			return (long)i;
	return -1;
}

/* The most properties one node may have: each new one is compared with
 * those before it, so this bounds the check of a hostile blob. QEMU's
 * nodes have fewer than 20. */
#define MAX_NODE_PROPS 256U

/* Whether a property of the name at strs + nameoff comes in the stream
 * between from and to (properties and NOPs only: a node's properties come
 * before its children). Names are NUL-terminated inside strs (checked). */
static int name_before(const uint8_t *st, uint32_t from, uint32_t to, const uint8_t *strs,
		       uint32_t nameoff)
{
	const char *name = (const char *)strs + nameoff;
	while (from < to) {
		uint32_t tok = fdt_be32(st + from);
		from += 4;
		if (tok != TOK_PROP)
			continue; /* a NOP */
		uint32_t len = fdt_be32(st + from), off = fdt_be32(st + from + 4);
		if (off == nameoff || strcmp_eq((const char *)strs + off, name))
			return 1;
		from = ALIGN4(from + 8 + len);
	}
	return 0;
}

/* Checks a structure block token stream; returns the size up to and
 * including its END token, or a negative error. */
static long check_struct(const uint8_t *st, uint32_t size, const uint8_t *strs, uint32_t strs_size)
{
	uint32_t pos = 0;
	unsigned depth = 0;
	int root_done = 0;
	/* Bit d - 1: the node open at depth d has had a child. Its properties
	 * must come before its children (the format says so, and the lookups
	 * here stop at the first token after a child that is not a node). */
	uint64_t had_child = 0;
	/* Where the properties of the node opened last begin, and how many it
	 * has: no two of a node's properties may have the same name (the
	 * format says so, and an edit or a lookup would see only the first). */
	uint32_t props_at = 0;
	unsigned nprops = 0;

	for (;;) {
		if (size < 4 || pos > size - 4)
			return FDT_ERR_BADBLOB;
		uint32_t tok = fdt_be32(st + pos);
		pos += 4;
		switch (tok) {
		case TOK_BEGIN_NODE: {
			if (root_done)
				return FDT_ERR_BADBLOB; /* a second root */
			long n = str_within(st + pos, size - pos);
			if (n < 0)
				return FDT_ERR_BADBLOB;
			pos = ALIGN4(pos + (uint32_t)n + 1);
			if (pos > size || depth >= 64)
				return FDT_ERR_BADBLOB;
			if (depth)
				had_child |= 1ULL << (depth - 1);
			depth++;
			had_child &= ~(1ULL << (depth - 1));
			props_at = pos;
			nprops = 0;
			break;
		}
		case TOK_END_NODE:
			if (depth == 0)
				return FDT_ERR_BADBLOB;
			if (--depth == 0)
				root_done = 1;
			break;
		case TOK_PROP: {
			if (depth == 0 || (had_child >> (depth - 1) & 1) || pos > size - 8)
				return FDT_ERR_BADBLOB;
			uint32_t len = fdt_be32(st + pos), nameoff = fdt_be32(st + pos + 4);
			uint32_t at = pos - 4;
			pos += 8;
			if (len > size - pos || nameoff >= strs_size ||
			    str_within(strs + nameoff, strs_size - nameoff) < 0)
				return FDT_ERR_BADBLOB;
			if (++nprops > MAX_NODE_PROPS || name_before(st, props_at, at, strs, nameoff))
				return FDT_ERR_BADBLOB;
			pos = ALIGN4(pos + len);
			if (pos > size)
				return FDT_ERR_BADBLOB;
			break;
		}
		case TOK_NOP:
			break;
		case TOK_END:
			if (!root_done || depth != 0)
				return FDT_ERR_BADBLOB;
			return (long)pos;
		default:
			return FDT_ERR_BADBLOB;
		}
	}
}

/* Validates the header and every block; fills in what the copy needs. */
static int check_blob(const uint8_t *b, uint32_t max, uint32_t *rsv_len, uint32_t *struct_len)
{
	if (max < HDR_SIZE || ((uintptr_t)b & 3) != 0)
		return FDT_ERR_BADBLOB;
	uint32_t total = fdt_be32(b + 4), off_st = fdt_be32(b + 8), off_str = fdt_be32(b + 12),
	         off_rsv = fdt_be32(b + 16), version = fdt_be32(b + 20),
	         last_comp = fdt_be32(b + 24), size_str = fdt_be32(b + 32),
	         size_st = fdt_be32(b + 36);
	if (fdt_be32(b) != FDT_MAGIC || total < HDR_SIZE || total > max)
		return FDT_ERR_BADBLOB;
	/* size_dt_struct exists from version 17; we write version 17. */
	if (version < 17 || last_comp > 17)
		return FDT_ERR_BADBLOB;
	if ((off_rsv & 7) || off_rsv < HDR_SIZE || off_rsv >= total)
		return FDT_ERR_BADBLOB;
	if ((off_st & 3) || off_st < HDR_SIZE || off_st > total || size_st > total - off_st)
		return FDT_ERR_BADBLOB;
	if (off_str < HDR_SIZE || off_str > total || size_str > total - off_str)
		return FDT_ERR_BADBLOB;
	/* The reservation map ends with a zero entry inside the blob. */
	uint32_t r = off_rsv;
	for (;;) {
		if (r > total - 16)
			return FDT_ERR_BADBLOB;
		int last = fdt_be64(b + r) == 0 && fdt_be64(b + r + 8) == 0;
		r += 16;
		if (last)
			break;
	}
	long n = check_struct(b + off_st, size_st, b + off_str, size_str);
	if (n < 0)
		return (int)n;
	if (rsv_len)
		*rsv_len = r - off_rsv;
	if (struct_len)
		*struct_len = (uint32_t)n;
	return 0;
}

int fdt_check(const void *blob, uint32_t max)
{
	return check_blob(blob, max, 0, 0);
}

int fdt_open_into(struct fdt *f, const void *src, uint32_t src_max, void *dst, uint32_t cap)
{
	const uint8_t *s = src;
	uint32_t rsv_len, st_len;
	int err = check_blob(s, src_max, &rsv_len, &st_len);
	if (err)
		return err;
	if (((uintptr_t)dst & 7) != 0)
		return FDT_ERR_BADARG;
	uint32_t str_len = fdt_be32(s + 32);
	uint64_t need = (uint64_t)HDR_SIZE + rsv_len + st_len + str_len;
	if (need > cap)
		return FDT_ERR_NOSPACE;

	uint8_t *d = dst;
	f->buf = d;
	f->cap = cap;
	uint32_t off_rsv = HDR_SIZE, off_st = off_rsv + rsv_len, off_str = off_st + st_len;
	memmove(d + off_rsv, s + fdt_be32(s + 16), rsv_len);
	memmove(d + off_st, s + fdt_be32(s + 8), st_len);
	memmove(d + off_str, s + fdt_be32(s + 12), str_len);
	uint32_t boot_cpu = fdt_be32(s + 28);
	set_hdr(f, H_MAGIC, FDT_MAGIC);
	set_hdr(f, H_TOTALSIZE, off_str + str_len);
	set_hdr(f, H_OFF_STRUCT, off_st);
	set_hdr(f, H_OFF_STRINGS, off_str);
	set_hdr(f, H_OFF_RSVMAP, off_rsv);
	set_hdr(f, H_VERSION, 17);
	set_hdr(f, H_LAST_COMP, 16);
	set_hdr(f, H_BOOT_CPUID, boot_cpu);
	set_hdr(f, H_SIZE_STRINGS, str_len);
	set_hdr(f, H_SIZE_STRUCT, st_len);
	return 0;
}

uint32_t fdt_totalsize(const struct fdt *f)
{
	return hdr(f, H_TOTALSIZE);
}

/* ---- walking the structure block (offsets relative to its start) ---- */

static uint8_t *st_base(const struct fdt *f)
{
	return f->buf + hdr(f, H_OFF_STRUCT);
}

static const char *string_at(const struct fdt *f, uint32_t nameoff)
{
	return (const char *)f->buf + hdr(f, H_OFF_STRINGS) + nameoff;
}

/* The token at off and the offset of the next one. The blob was validated
 * on open and every edit keeps it valid, so this only guards the size. */
static uint32_t token(const struct fdt *f, int off, int *next)
{
	const uint8_t *st = st_base(f);
	uint32_t size = hdr(f, H_SIZE_STRUCT);
	if (off < 0 || (uint32_t)off + 4 > size) {
		*next = -1;
		return TOK_END;
	}
	uint32_t tok = fdt_be32(st + off);
	uint32_t p = (uint32_t)off + 4;
	switch (tok) {
	case TOK_BEGIN_NODE:
		p = ALIGN4(p + (uint32_t)strlen((const char *)st + p) + 1);
		break;
	case TOK_PROP:
		p = ALIGN4(p + 8 + fdt_be32(st + p));
		break;
	default:
		break;
	}
	*next = (int)p;
	return tok;
}

static int is_node(const struct fdt *f, int node)
{
	int next;
	return node >= 0 && token(f, node, &next) == TOK_BEGIN_NODE;
}

const char *fdt_node_name(const struct fdt *f, int node)
{
	if (!is_node(f, node))
		return 0;
	return (const char *)st_base(f) + node + 4;
}

/* Offset of the first token after the node's properties. */
/* The offset just after the node's properties; *count: how many. */
static int after_props(const struct fdt *f, int node, unsigned *count)
{
	int off, next;
	unsigned n = 0;
	token(f, node, &off);
	for (;;) {
		uint32_t tok = token(f, off, &next);
		if (tok != TOK_PROP && tok != TOK_NOP) {
			if (count)
				*count = n;
			return off;
		}
		n += tok == TOK_PROP;
		off = next;
	}
}

/* Offset just past the node's END_NODE token. */
static int node_end(const struct fdt *f, int node)
{
	int off = node, next, depth = 0;
	for (;;) {
		uint32_t tok = token(f, off, &next);
		if (next < 0)
			return -1;
		if (tok == TOK_BEGIN_NODE)
			depth++;
		else if (tok == TOK_END_NODE && --depth == 0)
			return next;
		off = next;
	}
}

int fdt_first_subnode(const struct fdt *f, int parent)
{
	if (!is_node(f, parent))
		return FDT_ERR_BADARG;
	int off = after_props(f, parent, 0), next;
	return token(f, off, &next) == TOK_BEGIN_NODE ? off : FDT_ERR_NOTFOUND;
}

int fdt_next_subnode(const struct fdt *f, int node)
{
	if (!is_node(f, node))
		return FDT_ERR_BADARG;
	int off = node_end(f, node), next;
	for (;;) {
		uint32_t tok = token(f, off, &next);
		if (tok == TOK_BEGIN_NODE)
			return off;
		if (tok != TOK_NOP)
			return FDT_ERR_NOTFOUND;
		off = next;
	}
}

/* "cpu" matches "cpu" and "cpu@0"; "cpu@0" matches only itself. */
static int name_matches(const char *node_name, const char *want, size_t len)
{
	if (strncmp(node_name, want, len) != 0)
		return 0;
	if (node_name[len] == 0)
		return 1;
	for (size_t i = 0; i < len; i++)
		if (want[i] == '@')
			return 0;
	return node_name[len] == '@';
}

static int subnode_n(const struct fdt *f, int parent, const char *name, size_t len)
{
	for (int n = fdt_first_subnode(f, parent); n >= 0; n = fdt_next_subnode(f, n))
		if (name_matches(fdt_node_name(f, n), name, len))
			return n;
	return FDT_ERR_NOTFOUND;
}

int fdt_subnode(const struct fdt *f, int parent, const char *name)
{
	return subnode_n(f, parent, name, strlen(name));
}

int fdt_path_offset(const struct fdt *f, const char *path)
{
	if (path[0] != '/')
		return FDT_ERR_BADARG;
	int node = 0;
	if (!is_node(f, node))
		return FDT_ERR_BADBLOB;
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		size_t len = 0;
		while (p[len] && p[len] != '/')
			len++;
		node = subnode_n(f, node, p, len);
		if (node < 0)
			return node;
		p += len;
	}
	return node;
}

/* The PROP token of the named property, or a negative error. */
static int find_prop(const struct fdt *f, int node, const char *name)
{
	if (!is_node(f, node))
		return FDT_ERR_BADARG;
	int off, next;
	token(f, node, &off);
	for (;;) {
		uint32_t tok = token(f, off, &next);
		if (tok == TOK_PROP) {
			const uint8_t *p = st_base(f) + off;
			if (strcmp_eq(string_at(f, fdt_be32(p + 8)), name))
				return off;
		} else if (tok != TOK_NOP) {
			return FDT_ERR_NOTFOUND;
		}
		off = next;
	}
}

const void *fdt_getprop(const struct fdt *f, int node, const char *name, uint32_t *len)
{
	int off = find_prop(f, node, name);
	if (off < 0)
		return 0;
	const uint8_t *p = st_base(f) + off;
	if (len)
		*len = fdt_be32(p + 4);
	return p + 12;
}

/* ---- editing ---- */

/* Opens (n > 0) or closes (n < 0) a gap at structure offset `at`; the
 * strings block after it moves along. */
static int shift_struct(struct fdt *f, int at, long n)
{
	uint32_t total = hdr(f, H_TOTALSIZE);
	uint32_t pos = hdr(f, H_OFF_STRUCT) + (uint32_t)at;
	if (n > 0 && (uint64_t)total + (uint64_t)n > f->cap)
		return FDT_ERR_NOSPACE;
	if (n > 0)
		memmove(f->buf + pos + n, f->buf + pos, total - pos);
	else if (n < 0) {
		memmove(f->buf + pos, f->buf + pos - n, total - pos + n);
		/* What the blob no longer covers is zeroed: a deleted node or
		 * property must not linger past its end. */
		memset(f->buf + total + n, 0, (size_t)-n);
	}
	set_hdr(f, H_SIZE_STRUCT, (uint32_t)((long)hdr(f, H_SIZE_STRUCT) + n));
	set_hdr(f, H_OFF_STRINGS, (uint32_t)((long)hdr(f, H_OFF_STRINGS) + n));
	set_hdr(f, H_TOTALSIZE, (uint32_t)((long)total + n));
	return 0;
}

/* Offset of name in the strings block, adding it if it is not there. */
static long string_offset(struct fdt *f, const char *name)
{
	const uint8_t *strs = f->buf + hdr(f, H_OFF_STRINGS);
	uint32_t size = hdr(f, H_SIZE_STRINGS), len = (uint32_t)strlen(name) + 1;
	for (uint32_t i = 0; i + len <= size; i++)
		if (memcmp(strs + i, name, len) == 0)
			return (long)i;
	uint32_t total = hdr(f, H_TOTALSIZE);
	if ((uint64_t)total + len > f->cap)
		return FDT_ERR_NOSPACE;
	memcpy(f->buf + total, name, len);
	set_hdr(f, H_SIZE_STRINGS, size + len);
	set_hdr(f, H_TOTALSIZE, total + len);
	return (long)size;
}

static void write_value(uint8_t *p, const void *val, uint32_t len)
{
	memmove(p, val, len);
	memset(p + len, 0, ALIGN4(len) - len);
}

int fdt_setprop(struct fdt *f, int node, const char *name, const void *val, uint32_t len)
{
	if (!is_node(f, node) || !name[0])
		return FDT_ERR_BADARG;
	if (len > f->cap)
		return FDT_ERR_NOSPACE;
	int off = find_prop(f, node, name);
	if (off >= 0) {
		uint32_t old = fdt_be32(st_base(f) + off + 4);
		long delta = (long)ALIGN4(len) - (long)ALIGN4(old);
		int err = shift_struct(
		    f, off + 12 + (int)ALIGN4(old) - (delta < 0 ? (int)-delta : 0), delta);
		if (err)
			return err;
		uint8_t *p = st_base(f) + off;
		put_be32(p + 4, len);
		write_value(p + 12, val, len);
		return 0;
	}
	/* A new property goes after the node's last one. The name is added to
	 * the strings block first: that does not move the structure block. */
	unsigned count;
	off = after_props(f, node, &count);
	if (count >= MAX_NODE_PROPS)
		return FDT_ERR_NOSPACE; /* fdt_check would refuse the blob */
	uint32_t str_size = hdr(f, H_SIZE_STRINGS), total = hdr(f, H_TOTALSIZE);
	long nameoff = string_offset(f, name);
	if (nameoff < 0)
		return (int)nameoff;
	int err = shift_struct(f, off, 12 + (long)ALIGN4(len));
	if (err) {
		/* Undo a string we just added. */
		set_hdr(f, H_SIZE_STRINGS, str_size);
		set_hdr(f, H_TOTALSIZE, total);
		return err;
	}
	uint8_t *p = st_base(f) + off;
	put_be32(p, TOK_PROP);
	put_be32(p + 4, len);
	put_be32(p + 8, (uint32_t)nameoff);
	write_value(p + 12, val, len);
	return 0;
}

int fdt_setprop_u32(struct fdt *f, int node, const char *name, uint32_t v)
{
	uint8_t b[4];
	put_be32(b, v);
	return fdt_setprop(f, node, name, b, 4);
}

int fdt_setprop_u64(struct fdt *f, int node, const char *name, uint64_t v)
{
	uint8_t b[8];
	put_be32(b, (uint32_t)(v >> 32));
	put_be32(b + 4, (uint32_t)v);
	return fdt_setprop(f, node, name, b, 8);
}

int fdt_setprop_string(struct fdt *f, int node, const char *name, const char *s)
{
	return fdt_setprop(f, node, name, s, (uint32_t)strlen(s) + 1);
}

int fdt_delprop(struct fdt *f, int node, const char *name)
{
	int off = find_prop(f, node, name);
	if (off < 0)
		return off;
	uint32_t len = fdt_be32(st_base(f) + off + 4);
	return shift_struct(f, off, -(12 + (long)ALIGN4(len)));
}

int fdt_del_node(struct fdt *f, int node)
{
	if (node <= 0 || !is_node(f, node)) /* never the root */
		return FDT_ERR_BADARG;
	int end = node_end(f, node);
	if (end < 0)
		return FDT_ERR_BADBLOB;
	return shift_struct(f, node, -(long)(end - node));
}

int fdt_add_subnode(struct fdt *f, int parent, const char *name)
{
	if (!is_node(f, parent))
		return FDT_ERR_BADARG;
	size_t len = strlen(name);
	if (len == 0 || len > 255)
		return FDT_ERR_BADARG;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/')
			return FDT_ERR_BADARG;
	for (int n = fdt_first_subnode(f, parent); n >= 0; n = fdt_next_subnode(f, n))
		if (strcmp_eq(fdt_node_name(f, n), name))
			return n;
	/* The new node goes last among the parent's children, just before
	 * the parent's END_NODE. */
	int end = node_end(f, parent);
	if (end < 0)
		return FDT_ERR_BADBLOB;
	int at = end - 4;
	uint32_t name_sz = ALIGN4((uint32_t)len + 1);
	int err = shift_struct(f, at, 8 + (long)name_sz);
	if (err)
		return err;
	uint8_t *p = st_base(f) + at;
	put_be32(p, TOK_BEGIN_NODE);
	memset(p + 4, 0, name_sz);
	memcpy(p + 4, name, len);
	put_be32(p + 4 + name_sz, TOK_END_NODE);
	return at;
}
