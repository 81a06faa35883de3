#!/usr/bin/env bash
# The storage service across reboots on one device (a flash0 image of its
# own under $LOGDIR/storage):
#   - boot 1 (test=storage_put) on a blank image: the service makes a new
#     store; two TAs write an object under the same id, and one writes and
#     deletes another; one stores an AES, an RSA and an ECC key, each with
#     what its transient original computed (a ciphertext, a signature);
#   - boot 2 (test=storage_check) on the same image: the store is mounted,
#     not made again; each TA reads its own object back, the deleted one
#     stays deleted; the keys open, encrypt and sign as before the reboot
#     (the same ciphertext and RSA signature; the old ECDSA signature
#     verifies), and the other TA has none of them;
#   - boot 3 (test=storage_check) on a new blank image: the check fails
#     (so the second boot's pass came from the flash, not from anywhere else).
# The store's rollback counter (docs/storage.md, "Rollback"):
#   - the storage blocks of the device after boot 2 are saved (only the
#     storage region of flash0, its place taken from platform.h);
#   - boot 4 (test=storage_more) commits more; its counter matches its head;
#   - the saved storage blocks are put back, nothing else (the rollback
#     counters stay boot 4's);
#   - boot 5 (test=storage_rolled): the service finds the head below the
#     counter, logs the rollback, and every request is CORRUPT_OBJECT;
#   - boot 6 (test=storage_cut) on a new image: the service faults between
#     a commit and the counter's raise; restarted, it finds the head one
#     ahead, accepts the update and raises the counter;
#   - boot 7 (test=storage_cut_check) on that image: the counter matches.
# Usage: storage.sh IMAGE. Prints `ok - storage/NAME` or `FAIL - storage/NAME: why`,
# then `storage: N passed, M failed`.
set -uo pipefail
image=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
logs=${LOGDIR:-build/test-logs}
dir=$logs/storage
timeout_s=${TEST_TIMEOUT:-90}
rm -rf "$dir"
mkdir -p "$dir"
passed=0
failed=0
ok() { echo "ok - storage/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL - storage/$1: $2"; failed=$((failed + 1)); }
check() { if [ "$2" -eq 0 ]; then ok "$1"; else fail "$1" "$3"; fi; }
# shellcheck source=tests/system/platform.sh
source "$root/tests/system/platform.sh"
# The storage region of flash0: its offset and size in the image file.
store_base=$(plat PLAT_FLASH0_STORE_BASE)
store_size=$(plat PLAT_FLASH0_STORE_SIZE)
blocks_of() { # IMAGE OUT: copies the storage region of IMAGE to OUT
	dd if="$1" of="$2" bs=64k skip=$((store_base / 65536)) count=$((store_size / 65536)) \
		status=none
}
blocks_into() { # BLOCKS IMAGE: puts BLOCKS back as the storage region of IMAGE
	dd if="$1" of="$2" bs=64k seek=$((store_base / 65536)) conv=notrunc status=none
}
# "head H, rollback counter C" of a boot's first mount line: "H C".
head_counter() {
	grep -m1 -E "\[storage\] (mounted the store|made a new store):" "$1" |
		sed -nE 's/.* head ([0-9]+), rollback counter ([0-9]+).*/\1 \2/p'
}
boot() { # NAME FLASH SCENARIO
	FLASH=$2 timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=$3" \
		>"$dir/$1.log" 2>&1 </dev/null
	grep -q "\[init\] RESULT: PASS" "$dir/$1.log" && grep -q "\[mon\] SYSTEM_OFF" "$dir/$1.log"
}

boot put "$dir/dev.img" storage_put
check boot_put $? "the first boot (log $dir/put.log)"
grep -q "\[storage\] made a new store" "$dir/put.log"
check new_store $? "the first boot on a blank image did not make a store"
boot check "$dir/dev.img" storage_check
check reboot_check $? "the objects after a reboot on the same flash (log $dir/check.log)"
grep -Eq "\[storage\] mounted the store: .* [1-9][0-9]* objects and deletions" "$dir/check.log"
check mounted $? "the second boot did not mount the first boot's store"
grep -q "test_storage: 7 passed, 0 failed" "$dir/check.log"
check check_count $? "the second boot's checks"
boot blank "$dir/blank.img" storage_check
[ $? -ne 0 ] && grep -q "FAILED.*after the reboot" "$dir/blank.log"
check blank_fails $? "the check passed on a blank device (log $dir/blank.log)"

# ---- the rollback counter ----
[ "$store_base" = $((0x3C00000)) ] && [ "$store_size" = $((13 * 256 * 1024)) ]
check region $? "the storage region from platform.h: $store_base, $store_size bytes"
blocks_of "$dir/dev.img" "$dir/blocks.old"
boot more "$dir/dev.img" storage_more
check boot_more $? "more commits (log $dir/more.log)"
read -r h c < <(head_counter "$dir/more.log")
[ -n "${h:-}" ] && [ "$h" -gt 0 ] && [ "$h" = "$c" ] && ! grep -q "counter .* behind" "$dir/more.log"
check counter_matches $? "the mount after two boots: head ${h:-?}, counter ${c:-?}"
blocks_of "$dir/dev.img" "$dir/blocks.new"
! cmp -s "$dir/blocks.old" "$dir/blocks.new"
check blocks_changed $? "the third boot's commits did not change the storage blocks"
blocks_into "$dir/blocks.old" "$dir/dev.img"
boot rolled "$dir/dev.img" storage_rolled
check boot_rolled $? "the rolled-back store's boot (log $dir/rolled.log)"
grep -q "test_storage: 7 passed, 0 failed" "$dir/rolled.log"
check rolled_count $? "the checks on the rolled-back store"
# The saved blocks' head is the one boot 4 mounted; its commits raised the counter past it.
read -r rh rc < <(grep -m1 "\[storage\] ROLLBACK" "$dir/rolled.log" |
	sed -nE "s/.*the store's head ([0-9]+) is below its rollback counter ([0-9]+).*/\1 \2/p")
[ -n "${rh:-}" ] && [ "$rh" = "$h" ] && [ "$rc" -gt "$h" ]
check rollback_logged $? "the rollback line (head ${rh:-?}, counter ${rc:-?}; saved head $h) in $dir/rolled.log"
boot cut "$dir/cut.img" storage_cut
check boot_cut $? "a cut between a commit and its raise (log $dir/cut.log)"
grep -q "\[storage\] crashing between a commit and its raise" "$dir/cut.log" &&
	grep -Eq "\[init\] child storage \(pid [0-9]+\) faulted" "$dir/cut.log" &&
	grep -Eq "\[storage\] the rollback counter [0-9]+ is one behind the head [0-9]+ \(a cut" \
		"$dir/cut.log" &&
	sed -n '/one behind the head/,$p' "$dir/cut.log" >"$dir/cut.after" &&
	read -r h c < <(head_counter "$dir/cut.after") && [ "$h" = "$c" ]
check cut_accepted $? "the cut was not seen, or the counter not raised ($dir/cut.log)"
boot cut_check "$dir/cut.img" storage_cut_check
check boot_cut_check $? "the boot after the cut (log $dir/cut_check.log)"
read -r h c < <(head_counter "$dir/cut_check.log")
[ -n "${h:-}" ] && [ "$h" = "$c" ] && ! grep -q "counter .* behind" "$dir/cut_check.log"
check cut_counter $? "the mount after the cut: head ${h:-?}, counter ${c:-?}"
echo "storage: $passed passed, $failed failed"
[ $failed -eq 0 ]
