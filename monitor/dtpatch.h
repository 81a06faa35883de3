/* The monitor's edits of the normal world's device tree (monitor/nsboot.c):
 * how to reach PSCI and the TEE, which CPUs PSCI starts, where the initrd
 * is and the command line. Pure code over the tree (monitor/dtpatch.c, with
 * monitor/fdt.c), so that the host builds of tests/unit/test_fdt.c and
 * tests/fuzz/fuzz_fdt.c run the very edits the monitor makes.
 *
 * Each node is edited through the offset its fdt_add_subnode() returned:
 * an edit of a node's properties moves only what follows the node, so the
 * offset stays valid. (Looking it up again by path is not the same: "/chosen"
 * also matches a "chosen@..." node placed before it, and the edits would be
 * split between two nodes.) */
#ifndef MONITOR_DTPATCH_H
#define MONITOR_DTPATCH_H

#include <stdint.h>

#include "fdt.h"

/* Edits f for the normal world; 0, or an FDT error. */
int ns_patch_dtb(struct fdt *f, uint64_t initrd_start, uint64_t initrd_end, const char *cmdline);


#endif
