#!/usr/bin/env bash
# The key service across boots and devices, and its reports on the host.
# Each "device" is a flash0 image of its own under $LOGDIR/keys (a new image
# is a new device: its first boot provisions a hardware-unique key):
#   - device A booted twice: provisioned once, then the same device ID,
#     attestation key and TA keys;
#   - device B: different ones;
#   - host/attest verifies a report device A made (through the keys_test TA,
#     printed as hex on the secure console) against A's public key, the
#     nonce and the firmware image, and rejects a wrong nonce, a changed
#     byte anywhere, and B's key;
#   - a build rewrites the firmware part of a device's image, never its key
#     area; a device whose key record is damaged is not silently given a new
#     identity: the service runs on a marked development-fallback key and
#     the verifier rejects its reports.
# Usage: keys.sh IMAGE. Prints `ok - keys/NAME` or `FAIL - keys/NAME: why`
# per check, then `keys: N passed, M failed`.
set -uo pipefail
image=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../..
logs=${LOGDIR:-build/test-logs}
dir=$logs/keys
attest=$(dirname "$image")/host/attest
timeout_s=${TEST_TIMEOUT:-60}
rm -rf "$dir"
mkdir -p "$dir"

passed=0
failed=0
ok() { echo "ok - keys/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL - keys/$1: $2"; failed=$((failed + 1)); }
check() { # name condition-status why
	if [ "$2" -eq 0 ]; then ok "$1"; else fail "$1" "$3"; fi
}

# boot NAME FLASH: the keys_id scenario on that device; the log is $dir/NAME.log.
boot() {
	FLASH=$2 timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=keys_id" \
		>"$dir/$1.log" 2>&1 </dev/null
	grep -q "\[init\] RESULT: PASS" "$dir/$1.log" && grep -q "\[mon\] SYSTEM_OFF" "$dir/$1.log"
}
# (The console's lines end in CR LF.)
field() { tr -d '\r' <"$dir/$1.log" | sed -n "s/^keys: $2 //p" | head -n 1; }
report() { tr -d '\r' <"$dir/$1.log" | sed -n 's/^keys: report+ //p' | tr -d '\n' >"$dir/$1.report.hex"; }

boot a1 "$dir/devA.img"
check boot_a1 $? "device A, first boot (log $dir/a1.log)"
grep -q "\[keys\] provisioned a new hardware-unique key in flash" "$dir/a1.log"
check provision_a $? "device A's first boot did not provision a key"
boot a2 "$dir/devA.img"
check boot_a2 $? "device A, second boot (log $dir/a2.log)"
grep -q "\[keys\] hardware-unique key loaded from flash" "$dir/a2.log"
check reload_a $? "device A's second boot did not load its key"
boot b1 "$dir/devB.img"
check boot_b1 $? "device B (log $dir/b1.log)"

ta_a=9d476f81-cc6d-4bfb-b778-1dccbe6263a6
ta_b=f164cea2-b9aa-4fc5-b2ac-1b1f8da9be5b
for f in device pubkey "fp $ta_a" "fp $ta_b"; do
	name=${f// /_}
	name=${name%%-*}
	a1=$(field a1 "$f") a2=$(field a2 "$f") b1=$(field b1 "$f")
	[ -n "$a1" ] && [ "$a1" = "$a2" ]
	check "stable_${name}" $? "'$f' differs between two boots of device A ($a1 / $a2)"
	[ -n "$b1" ] && [ "$a1" != "$b1" ]
	check "unique_${name}" $? "'$f' is the same on devices A and B ($a1)"
done
[ "$(field a1 "fp $ta_a")" != "$(field a1 "fp $ta_b")" ]
check ta_keys_differ $? "two TAs derived the same key"

# ---- the host verifier ----
if [ ! -x "$attest" ]; then
	fail attest_tool "$attest was not built (libssl-dev missing?)"
else
	report a2
	report b1
	pub_a=$(field a2 pubkey) pub_b=$(field b1 pubkey) nonce=$(field a2 nonce)
	rep=$dir/a2.report.hex
	"$attest" verify --pubkey "$pub_a" --nonce "$nonce" --ta "$ta_a" --firmware "$image" "$rep" \
		>"$dir/verify.log" 2>&1
	check verify $? "host/attest rejected a good report ($dir/verify.log)"
	grep -q "^ta          $ta_a" "$dir/verify.log" && grep -q "^attest: OK" "$dir/verify.log" &&
		! grep -q "DIFFERS" "$dir/verify.log"
	check verify_prints $? "the verifier's output ($dir/verify.log)"
	"$attest" verify --pubkey "$pub_b" --nonce "$nonce" "$dir/b1.report.hex" >"$dir/verify_b.log" 2>&1
	[ $? -eq 1 ] && grep -q "nonce is not the one expected" "$dir/verify_b.log"
	check verify_b_own_key $? "B's report with B's key: its own nonce should be all that differs"
	"$attest" verify --pubkey "$pub_b" "$dir/b1.report.hex" >/dev/null 2>&1
	check verify_b $? "B's report does not verify with B's key"

	# rejected: exit status 1 and a REJECTED line
	rejected() { # name args...
		local name=$1
		shift
		"$attest" verify "$@" >"$dir/$name.log" 2>&1
		local rc=$?
		[ $rc -eq 1 ] && grep -q "^attest: REJECTED" "$dir/$name.log"
		check "$name" $? "accepted or failed otherwise (status $rc, $dir/$name.log)"
	}
	last=${nonce: -1}
	other=$([ "$last" = 0 ] && echo 1 || echo 0)
	rejected reject_nonce --pubkey "$pub_a" --nonce "${nonce%?}$other" "$rep"
	rejected reject_key --pubkey "$pub_b" --nonce "$nonce" "$rep"
	rejected reject_ta --pubkey "$pub_a" --nonce "$nonce" --ta "$ta_b" "$rep"
	# One changed byte, in each part: header, device ID, TA UUID, nonce,
	# a measurement, the signature's r and s.
	len=$(($(wc -c <"$rep") / 2))
	for at in 9 40 56 100 200 $((128 + 96 * 2 + 70)) $((len - 64)) $((len - 1)); do
		hex=$(cat "$rep")
		byte=${hex:$((2 * at)):2}
		new=$(printf '%02x' $((0x$byte ^ 0x01)))
		echo "${hex:0:$((2 * at))}$new${hex:$((2 * at + 2))}" >"$dir/tampered.hex"
		rejected "reject_byte_$at" --pubkey "$pub_a" --nonce "$nonce" "$dir/tampered.hex"
	done
	head -c $((2 * len - 2)) "$rep" >"$dir/short.hex"
	rejected reject_truncated --pubkey "$pub_a" "$dir/short.hex"
fi

# ---- the key area across builds, and a damaged one ----
nv=$((64 * 1024 * 1024 - 256 * 1024))
tail -c 262144 "$dir/devA.img" >"$dir/nv.before"
"$root/scripts/mkflash.sh" "$dir/devA.img" "$image"
tail -c 262144 "$dir/devA.img" >"$dir/nv.after"
cmp -s "$dir/nv.before" "$dir/nv.after" && [ "$(tr -d '\0' <"$dir/nv.before" | wc -c)" -gt 0 ]
check rebuild_keeps_key $? "writing the firmware changed the key area"
cmp -s -n "$(wc -c <"$image")" "$dir/devA.img" "$image"
check rebuild_writes_firmware $? "the flash image does not hold the firmware"

cp --sparse=always "$dir/devA.img" "$dir/devD.img"
# Flip one bit of the stored key.
off=$((nv + 8))
b=$(od -An -tx1 -j $off -N1 "$dir/devD.img" | tr -d ' ')
printf "$(printf '\\x%02x' $((0x$b ^ 0x10)))" | dd of="$dir/devD.img" bs=1 seek=$off conv=notrunc status=none
boot d1 "$dir/devD.img"
check boot_damaged $? "a device with a damaged key record (log $dir/d1.log)"
grep -q "holds no valid key record: not overwriting it" "$dir/d1.log" &&
	grep -q "DEVELOPMENT FALLBACK" "$dir/d1.log"
check damaged_marked $? "no development-fallback warning"
[ "$(field d1 device)" != "$(field a1 device)" ] && [ "$(field d1 state)" = 0x6 ]
check damaged_not_device_a $? "state $(field d1 state)"
tail -c 262144 "$dir/devD.img" | cmp -s - <(
	tail -c 262144 "$dir/devA.img" | head -c 8
	printf "$(printf '\\x%02x' $((0x$b ^ 0x10)))"
	tail -c 262144 "$dir/devA.img" | tail -c +10
)
check damaged_not_overwritten $? "the damaged record was overwritten"
if [ -x "$attest" ]; then
	report d1
	"$attest" verify --pubkey "$(field d1 pubkey)" "$dir/d1.report.hex" >"$dir/verify_d.log" 2>&1
	[ $? -eq 1 ] && grep -q "development-fallback" "$dir/verify_d.log"
	check reject_fallback $? "a report from a development-fallback key was accepted"
fi

echo "keys: $passed passed, $failed failed"
[ $failed -eq 0 ]
