#!/usr/bin/env bash
# mkflash.sh FLASH FIRMWARE: puts FIRMWARE (build/microtee.bin) into the
# 64 MiB secure flash0 image FLASH that QEMU runs from
# (-drive if=pflash,unit=0,file=FLASH), creating FLASH if it does not exist.
#
# flash0 layout (platform/qemu-virt/platform.h):
#   [0, 60 MiB)        firmware: FIRMWARE, then zeros. Rewritten here.
#   [60 MiB, 64 MiB)   the non-volatile area, which the flash driver
#                      (services/flash) serves: at its end the key area (the
#                      hardware-unique key), before that the TA anti-rollback
#                      counters. Never touched here once the file exists, so
#                      the device keeps its identity and its counters across
#                      builds.
# A new FLASH is a new device: its non-volatile area is blank (zeros); the
# key service provisions a fresh hardware-unique key on its first boot, and
# init makes fresh anti-rollback counters. A copy of FLASH is a clone of
# that device.
set -euo pipefail
flash=$1
fw=$2
size=$((64 * 1024 * 1024))
nv=$((size - 4 * 1024 * 1024))

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
