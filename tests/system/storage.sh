#!/usr/bin/env bash
# The storage service across reboots on one device (a flash0 image of its
# own under $LOGDIR/storage):
#   - boot 1 (test=storage_put) on a blank image: the service makes a new
#     store; two TAs write an object under the same id, and one writes and
#     deletes another;
#   - boot 2 (test=storage_check) on the same image: the store is mounted,
#     not made again; each TA reads its own object back, the deleted one
#     stays deleted;
#   - boot 3 (test=storage_check) on a new blank image: the check fails
#     (so the second boot's pass came from the flash, not from anywhere else).
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
grep -q "test_storage: 5 passed, 0 failed" "$dir/check.log"
check check_count $? "the second boot's checks"
boot blank "$dir/blank.img" storage_check
[ $? -ne 0 ] && grep -q "FAILED.*after the reboot" "$dir/blank.log"
check blank_fails $? "the check passed on a blank device (log $dir/blank.log)"
echo "storage: $passed passed, $failed failed"
[ $failed -eq 0 ]
