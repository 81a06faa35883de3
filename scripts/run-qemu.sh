#!/usr/bin/env bash
# run-qemu.sh IMAGE [CMDLINE] [extra qemu args...]: boots MicroTEE on QEMU
# virt with the secure world on. The secure console (UART1) goes to
# $SECURE_CONSOLE (default stdio); the normal-world console (UART0) to
# $NW_CONSOLE (default: discarded).
# IMAGE is the firmware (build/microtee.bin) or a whole 64 MiB flash0 image.
# The machine runs from a file-backed secure flash0, so that the key area at
# its end (the device's hardware-unique key) persists between runs: a
# firmware IMAGE is first written into the flash image $FLASH (default:
# flash0.img beside IMAGE, created if missing; see scripts/mkflash.sh),
# leaving its key area as it was. Give each device its own FLASH file.
# Environment: SMP (CPUs, default 1), MEM (MiB, default 1024), QEMU_CPU (the
# -cpu model, default max,sve=off,sme=off), VIRT (on: the CPUs have EL2 and
# the normal world starts there; default off), SECURE_CONSOLE, NW_CONSOLE,
# FLASH, QEMU_EXTRA, DISK (a raw image, e.g. from scripts/nw/mkdisk.sh: the
# normal world's disk, a virtio-blk device, /dev/vda in Linux).
set -euo pipefail
image=$1
cmdline=${2:-}
shift $(( $# >= 2 ? 2 : 1 ))
if [ "$(stat -c %s "$image")" -eq $((64 * 1024 * 1024)) ]; then
	flash=$image
else
	flash=${FLASH:-$(dirname "$image")/flash0.img}
	"$(dirname "$0")/mkflash.sh" "$flash" "$image"
fi
# No image lock: test runs may share the build's flash image. QEMU writes
# back only the sectors the secure world programs (the key area), and the
# build rewrites only the firmware area.
args=(-machine virt,secure=on,gic-version=3,virtualization=${VIRT:-off}
	-cpu "${QEMU_CPU:-max,sve=off,sme=off}" -smp "${SMP:-1}" -m "${MEM:-1024}"
	-nographic -monitor none -nic none
	-serial "${NW_CONSOLE:-null}" -serial "${SECURE_CONSOLE:-stdio}"
	-drive "if=pflash,unit=0,format=raw,file=$flash,file.locking=off" -no-reboot)
if [ -n "${DISK:-}" ]; then
	args+=(-drive "if=none,id=nwdisk,format=raw,file=$DISK,file.locking=off"
		-device virtio-blk-device,drive=nwdisk)
fi
if [ -n "$cmdline" ]; then
	args+=(-fw_cfg "name=opt/microtee/cmdline,string=$cmdline")
fi
exec qemu-system-aarch64 "${args[@]}" ${QEMU_EXTRA:-} "$@"
