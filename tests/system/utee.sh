#!/usr/bin/env bash
# utee.sh — OP-TEE's own TA binaries, unmodified, on MicroTEE: boots Linux
# (Debian's kernel, optee.ko, libteec, tee-supplicant) with the `sims` TA of
# Debian's optee-test-qemu (fetched by scripts/xtest/fetch.sh, signed with
# OP-TEE's development key) in /lib/optee_armtz, and runs host/nw/utee_test.c
# against it: the signature check under OP-TEE's key, init's loader for
# position-independent images, the OP-TEE personality's entry path, value
# and memory-reference parameters, a shared single instance, the instance's
# end at the last close, and a TA panic (TEE_ERROR_TARGET_DEAD).
# Prints `ok - ...`/`FAIL - ...` and `N passed, M failed` last.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
image=${1:-$root/build/microtee-test.bin}
logs=${LOGDIR:-$root/build/test-logs}
timeout_s=${TEST_TIMEOUT:-120}
mkdir -p "$logs" "$root/build/nw"
passed=0
failed=0
fail() {
	echo "FAIL - utee: $*"
	failed=$((failed + 1))
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

if ! "$root/scripts/xtest/fetch.sh" >"$logs/utee.fetch.log" 2>&1; then
	fail "fetch OP-TEE's TAs (log: $logs/utee.fetch.log)"
	finish
fi
sims_uuid=e6a33ed4-562b-463a-bb7e-ff5e15a493c8
ta=$(find "$root/build/cache/xtest/root" -name "$sims_uuid.ta" -print -quit)
if [ -z "$ta" ]; then
	fail "no $sims_uuid.ta (sims) in build/cache/xtest/root"
	finish
fi
crypt_uuid=cb3e5ba0-adf1-11e0-998b-0002a5d5c51b
crypt_ta=$(find "$root/build/cache/xtest/root" -name "$crypt_uuid.ta" -print -quit)
if [ -z "$crypt_ta" ]; then
	fail "no $crypt_uuid.ta (crypt) in build/cache/xtest/root"
	finish
fi
storage_uuid=b689f2a7-8adf-477a-9f99-32e90c0ad0a2
storage_ta=$(find "$root/build/cache/xtest/root" -name "$storage_uuid.ta" -print -quit)
if [ -z "$storage_ta" ]; then
	fail "no $storage_uuid.ta (storage) in build/cache/xtest/root"
	finish
fi
os_test_uuid=5b9e0e40-2636-11e1-ad9e-0002a5d5c51b
os_lib_uuid=ffd2bded-ab7d-4988-95ee-e4962fff7154
os_test_ta=$(find "$root/build/cache/xtest/root" -name "$os_test_uuid.ta" -print -quit)
os_lib_ta=$(find "$root/build/cache/xtest/root" -name "$os_lib_uuid.ta" -print -quit)
if [ -z "$os_test_ta" ] || [ -z "$os_lib_ta" ]; then
	fail "no $os_test_uuid.ta (os_test) or $os_lib_uuid.ta (os_test_lib) in build/cache/xtest/root"
	finish
fi
if ! make -s -C "$root" -f scripts/nw/nw.mk nw-utee-test >"$logs/utee.build.log" 2>&1; then
	fail "build utee_test (log: $logs/utee.build.log)"
	finish
fi
initrd=$root/build/nw/utee.cpio.gz
if ! "$root/scripts/nw/mkinitramfs.sh" "$initrd" "$here/rc.utee:/etc/rc.test" \
	"$root/build/nw/utee_test:/usr/bin/" "$ta:/usr/lib/optee_armtz/" "$crypt_ta:/usr/lib/optee_armtz/" \
	"$storage_ta:/usr/lib/optee_armtz/" "$os_test_ta:/usr/lib/optee_armtz/" \
	"$os_lib_ta:/usr/lib/optee_armtz/" \
	>"$logs/utee.initramfs.log" 2>&1; then
	fail "build initramfs (log: $logs/utee.initramfs.log)"
	finish
fi
log=$logs/utee.log
nwlog=$logs/utee.nw.log
rm -f "$log" "$nwlog"
SMP=2 NW_CONSOLE="file:$nwlog" timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" \
	"test=demo nw" -kernel "$root/build/cache/nw-kernel/Image" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1" >"$log" 2>&1 </dev/null
rc=$?
touch "$nwlog"
tr -d '\r' <"$nwlog" >"$nwlog.txt" && mv "$nwlog.txt" "$nwlog"
sed -n 's/^\(ok\|FAIL\) - utee\//\1 - utee\//p' "$nwlog"
passed=$((passed + $(grep -c '^ok - utee/' "$nwlog")))
failed=$((failed + $(grep -c '^FAIL - utee/' "$nwlog")))
# The secure side saw what it must: the image accepted under OP-TEE's key
# and loaded by the personality's loader, the panic, no kernel panic.
for p in "\\[init\\] TA $sims_uuid\\.ta: OP-TEE binary, [0-9]+ bytes at 0x48000000, 1 module\\(s\\), [0-9]+ relocations" \
	"\\[init\\] TA $sims_uuid\\.ta from the normal world: [0-9]+ bytes" \
	"\\[utee\\] the TA panicked" "TEE_Panic\\(0x0000beef\\)" \
	"\\[init\\] TA $os_test_uuid\\.ta: OP-TEE binary, [0-9]+ bytes at 0x48000000, 2 module\\(s\\), [0-9]+ relocations" \
	"\\[init\\] leak check, no TA running: OK"; do
	if grep -Eq "$p" "$log"; then
		echo "ok - utee/secure: /$p/"
		passed=$((passed + 1))
	else
		fail "secure console lacks /$p/ (log: $log)"
	fi
done
grep -q '^utee: [0-9]* passed, 0 failed' "$nwlog" || fail "utee_test did not finish cleanly (log: $nwlog)"
grep -q "KERNEL PANIC" "$log" && fail "kernel panic (log: $log)"
grep -q '\[mon\] SYSTEM_OFF' "$log" || fail "no SYSTEM_OFF (QEMU status $rc, log: $log)"
finish
