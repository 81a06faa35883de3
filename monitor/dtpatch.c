/* The monitor's edits of the normal world's device tree (dtpatch.h). */
#include "dtpatch.h"

#include "../common/kstring.h"

int ns_patch_dtb(struct fdt *f, uint64_t initrd_start, uint64_t initrd_end, const char *cmdline)
{
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int err, node;

	/* QEMU's /secure-chosen carries the secure world's own random seeds:
	 * not for the normal world's eyes. Every node the path matches goes
	 * (each pass deletes one, so this ends). */
	while ((node = fdt_path_offset(f, "/secure-chosen")) >= 0)
		if ((err = fdt_del_node(f, node)) < 0)
			return err;

	if ((node = fdt_add_subnode(f, 0, "psci")) < 0)
		return node;
	if ((err = fdt_setprop(f, node, "compatible", psci_compat, sizeof(psci_compat))) < 0 ||
	    (err = fdt_setprop_string(f, node, "method", "smc")) < 0)
		return err;

	int cpus = fdt_path_offset(f, "/cpus");
	for (int c = cpus < 0 ? cpus : fdt_first_subnode(f, cpus); c >= 0;
	     c = fdt_next_subnode(f, c)) {
		uint32_t len;
		const char *type = fdt_getprop(f, c, "device_type", &len);
		if (type && len == 4 && memcmp(type, "cpu", 4) == 0 &&
		    (err = fdt_setprop_string(f, c, "enable-method", "psci")) < 0)
			return err;
	}

	if ((node = fdt_add_subnode(f, 0, "firmware")) < 0 ||
	    (node = fdt_add_subnode(f, node, "optee")) < 0)
		return node;
	if ((err = fdt_setprop_string(f, node, "compatible", "linaro,optee-tz")) < 0 ||
	    (err = fdt_setprop_string(f, node, "method", "smc")) < 0)
		return err;

	if ((node = fdt_add_subnode(f, 0, "chosen")) < 0)
		return node;
	if (initrd_end > initrd_start &&
	    ((err = fdt_setprop_u64(f, node, "linux,initrd-start", initrd_start)) < 0 ||
	     (err = fdt_setprop_u64(f, node, "linux,initrd-end", initrd_end)) < 0))
		return err;
	uint32_t len;
	const char *args = fdt_getprop(f, node, "bootargs", &len);
	if (cmdline[0] && (!args || len <= 1) &&
	    (err = fdt_setprop_string(f, node, "bootargs", cmdline)) < 0)
		return err;
	return 0;
}
