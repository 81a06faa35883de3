#!/usr/bin/env bash
# storage_tamper.sh [IMAGE]: tampering and rollback, from the normal world
# and on the flash (docs/testing.md, "Tamper and rollback").
# 1. The secure flash, between boots, on the flash0 image file: a device
#    runs the power-cut workload (48 steps on TEE_STORAGE_PRIVATE_RPMB,
#    storage_power.h) and one more boot; then each case changes a copy of
#    its storage blocks (a bit of a block header, of a record's header, of
#    a blob, of the newest record; two records swapped; the newest record
#    erased; the blocks of the boot before put back; the region wiped) and
#    boots test=power_check: the boot must end cleanly (no fault, no
#    panic), the service must report the damage or the rollback, and every
#    object must answer TEE_ERROR_CORRUPT_OBJECT. The untouched image then
#    still reads.
# 2. The REE files, from Linux, on the normal world's ext4 disk
#    (tests/system/rc.tamper): bits flipped, files cut short, emptied,
#    grown, removed, another object's file in their place, two swapped, an
#    older copy in place or under its own name, the whole folder rolled
#    back: each is CORRUPT_OBJECT, and once the files are put back the
#    object reads again; damage left for a reboot is still caught after it,
#    and the TA overwrites the damaged objects.
# Prints ok/FAIL lines, the count of cases, and `tamper: N passed, M failed`
# (it runs inside tests/system/run.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
image=${1:-$root/build/microtee-test.bin}
logs=${LOGDIR:-$root/build/test-logs}
dir=$logs/tamper
timeout_s=${TEST_TIMEOUT:-120}
rm -rf "$dir"
mkdir -p "$dir"
passed=0
failed=0
cases=0
detected=0
ok() { echo "ok - tamper/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL - tamper/$1: $2"; failed=$((failed + 1)); }
finish() {
	echo "# tamper: $cases cases, $detected detected"
	echo "tamper: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
# shellcheck source=tests/system/platform.sh
source "$root/tests/system/platform.sh"
store_base=$(plat PLAT_FLASH0_STORE_BASE)
store_size=$(plat PLAT_FLASH0_STORE_SIZE)
sboot() { # LOG FLASH SCENARIO
	FLASH=$2 timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=$3" \
		>"$1" 2>&1 </dev/null
}
clean_end() { # LOG: the boot ended by itself, nothing crashed
	grep -q "\[mon\] SYSTEM_OFF" "$1" && ! grep -Eq "KERNEL PANIC|\[init\] child [a-z_]+ \(pid [0-9]+\) faulted" "$1"
}

# ---- 1. the secure flash ----
fdir=$dir/flash
mkdir -p "$fdir"
sboot "$fdir/work.log" "$fdir/one.img" power_work
cp "$fdir/one.img" "$fdir/two.img"
sboot "$fdir/two.log" "$fdir/two.img" power_check
if ! grep -q "\[init\] RESULT: PASS" "$fdir/work.log" || ! grep -q "\[init\] RESULT: PASS" "$fdir/two.log"; then
	fail flash_setup "the workload and the boot after it (logs $fdir/work.log, $fdir/two.log)"
	finish
fi
region() { # IMAGE OUT
	dd if="$1" of="$2" bs=64k skip=$((store_base / 65536)) count=$((store_size / 65536)) status=none
}
region_into() { # REGION IMAGE
	dd if="$1" of="$2" bs=64k seek=$((store_base / 65536)) conv=notrunc status=none
}
region "$fdir/one.img" "$fdir/one.bin"
region "$fdir/two.img" "$fdir/two.bin"
# The records (their magic, "MTFR") and block headers ("MTFS") of the region.
grep -obUa MTFR "$fdir/two.bin" | cut -d: -f1 >"$fdir/records.txt"
grep -obUa MTFS "$fdir/two.bin" | cut -d: -f1 >"$fdir/blocks.txt"
nrec=$(wc -l <"$fdir/records.txt")
if [ "$nrec" -lt 10 ] || [ ! -s "$fdir/blocks.txt" ]; then
	fail flash_records "$nrec records found in the storage region"
	finish
fi
first_rec=$(head -n 1 "$fdir/records.txt")
last_rec=$(tail -n 1 "$fdir/records.txt")
block=$(head -n 1 "$fdir/blocks.txt")
# The end of the newest record: the first blank word after it.
last_end=$(python3 -c '
import sys
d = open(sys.argv[1], "rb").read(); i = int(sys.argv[2])
blank = d[len(d) - 4:]
while d[i:i + 4] != blank: i += 4
print(i)' "$fdir/two.bin" "$last_rec")
# Two records of the same size (deletions of ids of one length), not the newest.
read -r swap_a swap_b swap_len < <(awk 'NR > 1 { len = $1 - p; if ((len in at) && !done) {
		print at[len], p, len; done = 1 } at[len] = p } { p = $1 }' "$fdir/records.txt")
flip() { # FILE OFFSET
	python3 -c '
import sys
f = open(sys.argv[1], "r+b"); o = int(sys.argv[2]); f.seek(o); b = f.read(1)[0]
f.seek(o); f.write(bytes([b ^ 0x10]))' "$1" "$2"
}
tamper_case() { # NAME: the case's region is $fdir/t.bin
	local name=$1
	cases=$((cases + 1))
	cp "$fdir/two.img" "$fdir/t.img"
	region_into "$fdir/t.bin" "$fdir/t.img"
	sboot "$fdir/$name.log" "$fdir/t.img" power_check
	local n
	n=$(grep -c "^power: object [0-3] error 0xf0100001" "$fdir/$name.log")
	if clean_end "$fdir/$name.log" && [ "$n" -eq 4 ] &&
		grep -Eq "\[storage\] (cannot mount the store|ROLLBACK)" "$fdir/$name.log"; then
		detected=$((detected + 1))
		ok "flash_$name"
	else
		fail "flash_$name" "$n of 4 objects CORRUPT_OBJECT, or no clean end (log $fdir/$name.log)"
	fi
}
cp "$fdir/two.bin" "$fdir/t.bin" && flip "$fdir/t.bin" $((block + 16)) && tamper_case bitflip_block_header
cp "$fdir/two.bin" "$fdir/t.bin" && flip "$fdir/t.bin" $((first_rec + 20)) && tamper_case bitflip_record_header
cp "$fdir/two.bin" "$fdir/t.bin" && flip "$fdir/t.bin" $((first_rec + 100)) && tamper_case bitflip_record_blob
cp "$fdir/two.bin" "$fdir/t.bin" && flip "$fdir/t.bin" $((last_rec + 60)) && tamper_case bitflip_newest_record
if [ -n "${swap_len:-}" ]; then
	cp "$fdir/two.bin" "$fdir/t.bin"
	python3 -c '
import sys
f = open(sys.argv[1], "r+b"); a, b, n = map(int, sys.argv[2:5])
f.seek(a); x = f.read(n); f.seek(b); y = f.read(n)
f.seek(a); f.write(y); f.seek(b); f.write(x)' "$fdir/t.bin" "$swap_a" "$swap_b" "$swap_len"
	tamper_case records_swapped
else
	fail flash_records_swapped "no two records of one size"
fi
cp "$fdir/two.bin" "$fdir/t.bin"
python3 -c '
import sys
f = open(sys.argv[1], "r+b"); a, e = int(sys.argv[2]), int(sys.argv[3])
f.seek(len(open(sys.argv[1], "rb").read()) - 4); blank = f.read(4)
f.seek(a); f.write(blank * ((e - a) // 4))' "$fdir/t.bin" "$last_rec" "$last_end"
tamper_case newest_record_erased
cp "$fdir/one.bin" "$fdir/t.bin" && tamper_case older_blocks_put_back
head -c "$store_size" /dev/zero >"$fdir/t.bin" && tamper_case region_wiped
# The untouched device still reads: the damage was in the copies only.
sboot "$fdir/untouched.log" "$fdir/two.img" power_check
grep -q "\[init\] RESULT: PASS" "$fdir/untouched.log" && grep -q "^power: check done" "$fdir/untouched.log"
if [ $? -eq 0 ]; then ok flash_untouched_reads; else fail flash_untouched_reads "log $fdir/untouched.log"; fi

# ---- 2. the REE files, from Linux ----
ndir=$dir/ree
mkdir -p "$ndir"
if ! "$root/scripts/nw/fetch-debs.sh" >"$ndir/fetch.log" 2>&1 ||
	! make -s -C "$root" -f scripts/nw/nw.mk nw-storage-power >"$ndir/build.log" 2>&1 ||
	! NW_DISK=1 "$root/scripts/nw/mkinitramfs.sh" "$ndir/initrd.cpio.gz" \
		"$here/rc.tamper:/etc/rc.test" "$root/build/nw/storage_power:/usr/bin/" \
		>"$ndir/initramfs.log" 2>&1 || ! "$root/scripts/nw/mkdisk.sh" "$ndir/disk.img"; then
	fail ree_build "the normal world (logs in $ndir)"
	finish
fi
nboot() { # NAME MODE
	QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on FLASH=$ndir/flash.img DISK=$ndir/disk.img NW_CONSOLE="file:$ndir/$1.nw" \
		timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=demo nw" \
		-kernel "$root/build/cache/nw-kernel/Image" -initrd "$ndir/initrd.cpio.gz" \
		-append "console=ttyAMA0 panic=-1 quiet tamper=$2" >"$ndir/$1.log" 2>&1 </dev/null
	touch "$ndir/$1.nw"
	tr -d '\r' <"$ndir/$1.nw" >"$ndir/$1.txt"
}
for b in setup after; do
	nboot "$b" "$b"
	n=0
	while read -r verdict name rest; do
		name=${name%:}
		n=$((n + 1))
		case $name in */*_undone | files | flash_object_untouched | after_reboot/pc[03] | \
			after_reboot/*_overwritten) ;;
		*) cases=$((cases + 1)) ;;
		esac
		if [ "$verdict" = ok ]; then
			case $name in */*_undone | files | flash_object_untouched | after_reboot/pc[03] | \
				after_reboot/*_overwritten) ;;
			*) detected=$((detected + 1)) ;;
			esac
			ok "ree_$name"
		else
			fail "ree_$name" "$rest (log $ndir/$b.txt)"
		fi
	done < <(sed -n 's/^tamper: //p' "$ndir/$b.txt")
	if [ "$n" -eq 0 ] || ! grep -q "^rc: done" "$ndir/$b.txt" || ! clean_end "$ndir/$b.log"; then
		fail "ree_$b" "the boot did not finish cleanly (logs $ndir/$b.txt, $ndir/$b.log)"
	fi
done
finish
