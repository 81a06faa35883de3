#!/usr/bin/env bash
# bench/storage.sh IMAGE: the storage benchmark (make bench runs it from
# bench/run.sh). One boot of Debian's Linux with the normal world's disk
# (scripts/nw/mkdisk.sh, ext4 on virtio-blk), one CPU, QEMU -icount
# shift=0. host/nw/storage_power calls the storage test TA through libteec
# and counts the instructions of each call with perf (PMU event 0x08, every
# process on the one CPU, tee-supplicant's file I/O included, both worlds:
# the image must be built with MON_SECURE_PMU=1, as make bench does),
# medians of BENCH_STORAGE_ROUNDS (15), for both backends:
#   storage_{ree,flash}_write_4k_insns       a PUT (create, OVERWRITE) of 4 KiB
#                                            over a 4 KiB object: one update
#   storage_{ree,flash}_read_4k_insns        a GET: open, read 4 KiB, close
#   storage_{ree,flash}_create_delete_insns  a PUT of an empty new object + DEL
#   storage_{ree,flash}_open_missing_insns   the same run's baseline: a GET
#                                            of an id that does not exist
# Environment: BENCH_TIMEOUT (seconds, default 300), BENCH_STORAGE_ROUNDS.
set -euo pipefail
image=$1
B=$(dirname "$image")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
logs=$B/bench-storage
mkdir -p "$logs"
fail() { echo "bench: storage benchmark failed: $1${2:+ (see $2)}" >&2; exit 1; }
make -s -C "$root" -f scripts/nw/nw.mk nw-storage-power >"$logs/build.log" 2>&1 ||
	fail "building host/nw/storage_power.c" "$logs/build.log"
echo "${BENCH_STORAGE_ROUNDS:-15}" >"$logs/rounds"
NW_DISK=1 "$root/scripts/nw/mkinitramfs.sh" "$logs/initrd.cpio.gz" \
	"$here/nw/rc.bench_storage:/etc/rc.test" "$B/nw/storage_power:/usr/bin/" \
	"$logs/rounds:/etc/bench_storage.args" >"$logs/initramfs.log" 2>&1 ||
	fail "building the initramfs" "$logs/initramfs.log"
"$root/scripts/nw/mkdisk.sh" "$logs/disk.img" || fail "making the disk"
rm -f "$logs/flash.img" "$logs/linux.log"
SMP=1 FLASH=$logs/flash.img DISK=$logs/disk.img NW_CONSOLE="file:$logs/linux.log" \
	QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
	timeout "${BENCH_TIMEOUT:-300}" "$root/scripts/run-qemu.sh" "$image" "test=demo nw" \
	-icount shift=0 -kernel "$root/build/cache/nw-kernel/Image" -initrd "$logs/initrd.cpio.gz" \
	-append "console=ttyAMA0 panic=-1 quiet" >"$logs/secure.log" 2>&1 </dev/null || true
grep -q "\[mon\] secure PMU counting on" "$logs/secure.log" ||
	fail "$image was not built with MON_SECURE_PMU=1 (run make bench)" "$logs/secure.log"
touch "$logs/linux.log"
tr -d '\r' <"$logs/linux.log" >"$logs/linux.txt"
grep -q "^rc: the disk is mounted" "$logs/linux.txt" || fail "the disk was not mounted" "$logs/linux.txt"
! grep -q "^storage_bench: FAIL" "$logs/linux.txt" || fail "$(grep -m1 '^storage_bench: FAIL' "$logs/linux.txt")" "$logs/linux.txt"
for b in ree flash; do
	for m in write_4k read_4k create_delete open_missing; do
		v=$(sed -n "s/^storage_${b}_${m}_insns: \([0-9]*\)$/\1/p" "$logs/linux.txt")
		[ -n "$v" ] && [ "$v" -gt 0 ] || fail "no storage_${b}_${m}_insns" "$logs/linux.txt"
		echo "storage_${b}_${m}_insns: $v"
		eval "${b}_$m=$v"
	done
	# Per the baseline of the same run.
	for m in write_4k read_4k create_delete; do
		eval "v=\$${b}_$m base=\$${b}_open_missing"
		echo "storage_${b}_${m}_per_open_missing: $(awk -v a="$v" -v b="$base" 'BEGIN {printf "%.2f", a / b}')"
	done
done
echo "# storage: instructions per TEEC_InvokeCommand of the storage test TA from Linux (one CPU,"
echo "# -icount shift=0; perf on CPU 0: every process, both worlds), medians of ${BENCH_STORAGE_ROUNDS:-15};"
echo "# ree = TEE_STORAGE_PRIVATE_REE (tee-supplicant's files on an ext4 virtio disk), flash ="
echo "# TEE_STORAGE_PRIVATE_RPMB (the secure flash); baseline: a GET of a missing id (log: $logs/linux.txt)"
