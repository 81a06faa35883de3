#!/usr/bin/env bash
# ns_image.sh — the monitor refuses crafted normal-world images and writes
# nothing of them to secure RAM (monitor/nslayout.c, issue 13 item 1).
#
# Each case boots MicroTEE with a `-kernel` file whose arm64 Image header was
# crafted: Debian's Image (build/cache/nw-kernel/Image) with header fields
# patched, or a tiny synthetic Image. Every size in them is one the normal
# world's side controls: text_offset, image_size, flags, the command line.
# For each refused image it checks on the secure console that
#   - the monitor refused it with `[mon] refusing the normal-world image:`
#     and the expected reason, and did not start the normal world;
#   - the monitor's own check found its code and the kernel image in secure
#     RAM equal to flash (`[mon] secure RAM check: ... intact`);
#   - the secure world then ran its scenario (test=demo) to RESULT: PASS and
#     powered off, with no EL3 trap or panic; nothing ran in the normal world.
# A last case boots a tiny well-formed Image: the monitor loads it, and it
# powers the machine off through PSCI (the checks accept what is good).
# Prints `ok - ...` / `FAIL - ...` per check and `N passed, M failed` last.
# Usage: tests/system/ns_image.sh [IMAGE]   (default build/microtee-test.bin)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
image=${1:-$root/build/microtee-test.bin}
logs=${LOGDIR:-$root/build/test-logs}/ns_image
timeout_s=${TEST_TIMEOUT:-60}
mkdir -p "$logs"

passed=0
failed=0
ok() { echo "ok - ns_image/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL - ns_image/$1"; failed=$((failed + 1)); }
check() { # check NAME COMMAND...
	local name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name"; fi
}

# put64 FILE OFFSET VALUE: a little-endian 64-bit field (VALUE in hex).
put64() {
	local v=$((16#${3#0x})) s="" i
	for ((i = 0; i < 8; i++)); do
		s+=$(printf '\\x%02x' $(((v >> (8 * i)) & 0xff)))
	done
	printf "$s" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
put32() {
	local v=$((16#${3#0x})) s="" i
	for ((i = 0; i < 4; i++)); do
		s+=$(printf '\\x%02x' $(((v >> (8 * i)) & 0xff)))
	done
	printf "$s" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# tiny FILE: a 4 KiB Image whose code branches past the header and calls
# PSCI SYSTEM_OFF: text_offset 0, image_size 64 KiB, flags 0xa (little
# endian, 4 KiB pages, anywhere in RAM), magic "ARM\x64".
tiny() {
	head -c 4096 /dev/zero >"$1"
	put32 "$1" 0 14000010  # b +64
	put64 "$1" 16 10000
	put64 "$1" 24 a
	put32 "$1" 56 644d5241
	put32 "$1" 64 52800100 # mov w0, #0x8
	put32 "$1" 68 72b08000 # movk w0, #0x8400, lsl #16: PSCI_SYSTEM_OFF
	put32 "$1" 72 d4000003 # smc #0
	put32 "$1" 76 14000000 # b .
}
debian() { cp "$root/build/cache/nw-kernel/Image" "$1"; }

kernel=$root/build/cache/nw-kernel/Image
if [ ! -s "$kernel" ] && ! "$root/scripts/nw/fetch-debs.sh" >"$logs/fetch.log" 2>&1; then
	fail "fetch Debian's kernel (log: $logs/fetch.log)"
fi

# name | base (tiny or debian) | header patches (offset=hex ...) | RAM MiB |
# expected reason (grep -E) | -append length
cases=(
	"huge_image_size|debian|16=fffffffffffff000|1024|kernel image .* does not fit in normal RAM|0"
	"dtb_into_secure_ram|debian|16=ffffffffcde00000|1024|kernel image .* does not fit in normal RAM|0"
	"text_offset_wraps_to_secure_ram|tiny|8=ffffffffcde00000|1024|text_offset beyond normal RAM|0"
	"text_offset_huge|tiny|8=8000000000000000|1024|text_offset beyond normal RAM|0"
	"text_offset_misaligned|tiny|8=80001|1024|text_offset not 4 KiB aligned|0"
	"image_size_zero_too_big|debian|16=0|64|kernel image .* does not fit in normal RAM|0"
	"image_size_beyond_ram|tiny|16=80000000|1024|kernel image .* does not fit in normal RAM|0"
	"big_endian|tiny|24=b|1024|big-endian kernel|0"
	"cmdline_too_long|tiny||1024|command line longer than 2047 bytes|2100"
)
for c in "${cases[@]}"; do
	IFS='|' read -r name base patches mem reason alen <<<"$c"
	img=$logs/$name.Image
	log=$logs/$name.log
	nwlog=$logs/$name.nw.log
	rm -f "$log" "$nwlog"
	"$base" "$img"
	for p in $patches; do put64 "$img" "${p%%=*}" "${p#*=}"; done
	append=()
	[ "$alen" -gt 0 ] && append=(-append "$(head -c "$alen" /dev/zero | tr '\0' x)")
	MEM=$mem NW_CONSOLE="file:$nwlog" timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" \
		"test=demo" -kernel "$img" "${append[@]}" >"$log" 2>&1 </dev/null
	rc=$?
	touch "$nwlog"
	sw() { grep -Eq -- "$1" "$log"; }
	check "$name: refused with its reason" sw "^\[mon\] refusing the normal-world image: .*$reason"
	check "$name: normal world not started" \
		eval "sw '^\[mon\] normal world not started' && ! sw '^\[mon\] normal-world image:|normal world enters' && [ ! -s '$nwlog' ]"
	check "$name: secure RAM unchanged (monitor code, kernel image)" \
		sw '^\[mon\] secure RAM check: monitor code and kernel image intact'
	check "$name: secure world healthy (RESULT: PASS, SYSTEM_OFF, no trap or panic)" \
		eval "[ $rc -eq 0 ] && sw '\[init\] RESULT: PASS' && sw '\[mon\] SYSTEM_OFF' && ! sw 'unexpected exception|PANIC|overwritten'"
done

# A well-formed tiny Image is loaded and runs (it powers off by itself).
name=good_tiny_image
img=$logs/$name.Image
log=$logs/$name.log
tiny "$img"
MEM=1024 timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=demo nw" -kernel "$img" \
	>"$log" 2>&1 </dev/null
rc=$?
check "$name: loaded" grep -Eq '^\[mon\] normal-world image: Linux Image 4096 bytes at 0x40200000-0x40210000' "$log"
check "$name: ran and powered off through PSCI" \
	eval "[ $rc -eq 0 ] && grep -q '\[init\] RESULT: PASS' '$log' && grep -q '\[mon\] SYSTEM_OFF' '$log' && ! grep -Eq 'refusing|unexpected exception|PANIC' '$log'"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
