#!/usr/bin/env bash
# keys_nw.sh IMAGE: attestation end to end from Linux. The host picks a
# nonce; Debian's Linux boots on MicroTEE (a flash image of its own: a new
# device) and host/attest/nw_attest asks the keys_test TA, through libteec,
# optee.ko and the gateway, for a report on it, and seals and unseals
# through the TA; the report comes back on the normal-world console as hex.
# On the host, host/attest verifies it against the device's public key, the
# nonce, the TA and the firmware image, and rejects it with another nonce,
# with a changed byte, and under another key.
# Prints `ok - keys_nw/NAME` or `FAIL - keys_nw/NAME: why` per check, then
# `keys_nw: N passed, M failed`.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
image=${1:-$root/build/microtee-test.bin}
logs=${LOGDIR:-$root/build/test-logs}
dir=$logs/keys_nw
attest=$(dirname "$image")/host/attest
timeout_s=${TEST_TIMEOUT:-120}
rm -rf "$dir"
mkdir -p "$dir" "$root/build/nw"
passed=0
failed=0
ok() { echo "ok - keys_nw/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL - keys_nw/$1: $2"; failed=$((failed + 1)); }
check() { if [ "$2" -eq 0 ]; then ok "$1"; else fail "$1" "$3"; fi; }
finish() {
	echo "keys_nw: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

if ! "$root/scripts/nw/fetch-debs.sh" >"$dir/fetch.log" 2>&1 ||
	! make -s -C "$root" -f host/attest/nw.mk nw-attest >"$dir/build.log" 2>&1; then
	fail setup "fetching the normal-world packages or building nw_attest (logs in $dir)"
	finish
fi
nonce=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
echo "$nonce" >"$dir/nonce"
initrd=$dir/keys_nw.cpio.gz
if ! "$root/scripts/nw/mkinitramfs.sh" "$initrd" "$here/rc.keys_nw:/etc/rc.test" \
	"$root/build/nw/nw_attest:/usr/bin/" "$dir/nonce:/etc/keys_nonce" >"$dir/initramfs.log" 2>&1; then
	fail setup "building the initramfs ($dir/initramfs.log)"
	finish
fi
log=$dir/secure.log
nwlog=$dir/linux.log
FLASH=$dir/dev.img SMP=2 NW_CONSOLE="file:$nwlog" QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
	timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=demo nw" \
	-kernel "$root/build/cache/nw-kernel/Image" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1" >"$log" 2>&1 </dev/null
rc=$?
touch "$nwlog"
tr -d '\r' <"$nwlog" >"$nwlog.txt" && mv "$nwlog.txt" "$nwlog"
grep -q '\[mon\] SYSTEM_OFF' "$log" && ! grep -q 'KERNEL PANIC' "$log"
check boot $? "QEMU status $rc, no clean power-off ($log)"
grep -q '^nw_attest: PASS' "$nwlog"
check client $? "the Linux client failed ($nwlog)"
grep -q '^keys: seal from Linux ok' "$nwlog"
check seal_from_linux $? "sealing through the TA from Linux ($nwlog)"

field() { sed -n "s/^keys: $1 //p" "$nwlog" | head -n 1; }
sed -n 's/^keys: report+ //p' "$nwlog" | tr -d '\n' >"$dir/report.hex"
pub=$(field pubkey)
# The key service names its device on the secure console; the key the
# client reported must be that device's (the verifier checks ID = H(key)).
dev_secure=$(tr -d '\r' <"$log" | sed -n 's/.*\[keys\] .*; device \([0-9a-f-]*\)$/\1/p' | head -n 1 | tr -d '-')
[ -n "$dev_secure" ] && [ "$(field device)" = "$dev_secure" ] && [ "$(field nonce)" = "$nonce" ]
check identity $? "device $(field device) / secure console $dev_secure, nonce $(field nonce)"

ta=9d476f81-cc6d-4bfb-b778-1dccbe6263a6
if [ ! -x "$attest" ]; then
	fail verify "$attest was not built"
	finish
fi
"$attest" verify --pubkey "$pub" --nonce "$nonce" --ta "$ta" --firmware "$image" "$dir/report.hex" \
	>"$dir/verify.log" 2>&1 && grep -q '^attest: OK' "$dir/verify.log"
check verify $? "host/attest rejected the report ($dir/verify.log)"
rejected() { # name args...
	local name=$1
	shift
	"$attest" verify "$@" >"$dir/$name.log" 2>&1
	local st=$?
	[ $st -eq 1 ] && grep -q '^attest: REJECTED' "$dir/$name.log"
	check "$name" $? "accepted or failed otherwise (status $st, $dir/$name.log)"
}
other=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
rejected reject_nonce --pubkey "$pub" --nonce "$other" "$dir/report.hex"
hex=$(cat "$dir/report.hex")
at=$((${#hex} / 4)) # a byte in the measurements
byte=${hex:$((2 * at)):2}
echo "${hex:0:$((2 * at))}$(printf '%02x' $((0x$byte ^ 0x80)))${hex:$((2 * at + 2))}" >"$dir/tampered.hex"
rejected reject_tampered --pubkey "$pub" --nonce "$nonce" "$dir/tampered.hex"
# Another key: a fresh P-256 key pair, as another device would have.
wrong=$(openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null |
	openssl ec -pubout -conv_form uncompressed -outform DER 2>/dev/null | tail -c 65 | od -An -tx1 | tr -d ' \n')
if [ ${#wrong} -eq 130 ]; then
	rejected reject_key --pubkey "$wrong" --nonce "$nonce" "$dir/report.hex"
else
	fail reject_key "openssl could not make a key pair"
fi
finish
