#!/usr/bin/env bash
# mkflash.sh FLASH FIRMWARE: puts FIRMWARE (build/microtee.bin) into the
# 64 MiB secure flash0 image FLASH that QEMU runs from
# (-drive if=pflash,unit=0,file=FLASH), creating FLASH if it does not exist.
#
# flash0 layout (platform/qemu-virt/platform.h):
#   [0, 64 MiB - 256 KiB)       firmware: FIRMWARE, then zeros. Rewritten here.
#   [64 MiB - 256 KiB, 64 MiB)  key area: the key service's non-volatile
#                               data (the hardware-unique key). Never touched
#                               here once the file exists, so the device keeps
#                               its identity across builds.
# A new FLASH is a new device: its key area is blank (zeros) and the key
# service provisions a fresh hardware-unique key on its first boot. A copy
# of FLASH is a clone of that device.
set -euo pipefail
flash=$1
fw=$2
size=$((64 * 1024 * 1024))
nv=$((size - 256 * 1024))

fwsize=$(stat -c %s "$fw")
if [ "$fwsize" -gt "$nv" ]; then
	echo "mkflash: $fw is $fwsize bytes; the firmware area holds $nv" >&2
	exit 1
fi
if [ ! -e "$flash" ]; then
	tmp="$flash.new.$$"
	truncate -s "$size" "$tmp"
	mv "$tmp" "$flash"
fi
if [ "$(stat -c %s "$flash")" -ne "$size" ]; then
	echo "mkflash: $flash is not a 64 MiB flash image" >&2
	exit 1
fi
# The firmware, then zeros up to the key area (a hole where the file system
# allows one).
dd if="$fw" of="$flash" bs=64k conv=notrunc status=none
if ! fallocate -p -o "$fwsize" -l $((nv - fwsize)) "$flash" 2>/dev/null; then
	# No hole punching here: write the zeros.
	head -c $((nv - fwsize)) /dev/zero | dd of="$flash" bs=64k seek="$fwsize" oflag=seek_bytes \
		conv=notrunc status=none
fi
