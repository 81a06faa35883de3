#!/usr/bin/env bash
# mkdisk.sh OUT [MIB]: the normal world's disk, a raw image of MIB MiB
# (default 16) holding an ext4 file system made with e2fsprogs' mke2fs -d,
# without root: its root directory holds an empty `tee/`, tee-supplicant's
# storage folder. scripts/run-qemu.sh attaches it as a virtio-blk device
# when DISK=OUT is set, and an initramfs made with NW_DISK=1
# (scripts/nw/mkinitramfs.sh) mounts it on /var/lib/optee-client/data, the
# parent of Debian's tee-supplicant root (/var/lib/optee-client/data/tee):
# REE-FS objects then survive a reboot and a power cut, as on a device.
set -euo pipefail
out=${1:?usage: mkdisk.sh OUT [MIB]}
mib=${2:-16}
command -v mke2fs >/dev/null || { echo "mkdisk.sh: no mke2fs (e2fsprogs: scripts/deps.sh)" >&2; exit 1; }
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -m 700 "$tree/tee"
rm -f "$out"
# -E root_owner: root's files whatever user runs this; no lazy init, so the
# image is complete when mke2fs returns.
mke2fs -q -F -t ext4 -L microtee-ree -E root_owner=0:0,lazy_itable_init=0,lazy_journal_init=0 \
	-d "$tree" "$out" "${mib}M" >/dev/null
