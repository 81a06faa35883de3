/* A small flattened device tree (FDT, DTB) editor: enough for the monitor to
 * add the nodes and properties the normal-world OS needs to the tree QEMU
 * generates. Freestanding and allocation-free; also built on the host for
 * its unit test (tests/unit/test_fdt.c).
 *
 * fdt_open_into() validates a blob and copies it into a buffer with room to
 * grow, in a canonical layout (header, memory reservations, structure
 * block, strings block). Edits then move the tail of the buffer as needed.
 * Nodes are named by the offset of their FDT_BEGIN_NODE token in the
 * structure block; an edit that inserts or removes bytes invalidates every
 * offset after the edit point, so look nodes up again after an edit. */
#ifndef MONITOR_FDT_H
#define MONITOR_FDT_H
#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedU

/* Errors (all negative). */
#define FDT_ERR_BADBLOB  (-1) /* malformed or truncated input */
#define FDT_ERR_NOSPACE  (-2) /* the buffer is too small for the edit */
#define FDT_ERR_NOTFOUND (-3) /* no such node or property */
#define FDT_ERR_BADARG   (-4) /* bad name or path */

struct fdt {
	uint8_t *buf;
	uint32_t cap; /* bytes usable at buf */
};

/* Validates the blob at src (at most src_max bytes readable) and copies it
 * into dst (cap bytes, 8-byte aligned, not overlapping src). */
int fdt_open_into(struct fdt *f, const void *src, uint32_t src_max, void *dst, uint32_t cap);
/* Full structural check of a blob in place (header bounds, token stream,
 * name and string offsets); 0 if well formed. */
int fdt_check(const void *blob, uint32_t max);
uint32_t fdt_totalsize(const struct fdt *f);

/* Node lookup: path is absolute ("/", "/cpus", "/firmware/optee"). A path
 * component without '@' also matches a node "name@unit". */
int fdt_path_offset(const struct fdt *f, const char *path);
int fdt_subnode(const struct fdt *f, int parent, const char *name);
int fdt_first_subnode(const struct fdt *f, int parent);
int fdt_next_subnode(const struct fdt *f, int node);
const char *fdt_node_name(const struct fdt *f, int node);

/* Properties: returns the value (len set) or 0. */
const void *fdt_getprop(const struct fdt *f, int node, const char *name, uint32_t *len);
int fdt_setprop(struct fdt *f, int node, const char *name, const void *val, uint32_t len);
int fdt_setprop_u32(struct fdt *f, int node, const char *name, uint32_t v);
int fdt_setprop_u64(struct fdt *f, int node, const char *name, uint64_t v);
int fdt_setprop_string(struct fdt *f, int node, const char *name, const char *s);
int fdt_delprop(struct fdt *f, int node, const char *name);

/* Adds a child node (or returns the existing one of that exact name). */
int fdt_add_subnode(struct fdt *f, int parent, const char *name);
/* Removes a node and everything below it (not the root). */
int fdt_del_node(struct fdt *f, int node);

uint32_t fdt_be32(const void *p);
uint64_t fdt_be64(const void *p);
#endif
