#!/usr/bin/env bash
# bench/rv.sh (make bench-rv): the runtime-verification monitors' cost
# (docs/verification.md). Builds the test image without and with the
# monitors (RV=0, then RV=1, the default; both MON_SECURE_PMU=1, so that the
# PMU counts in the secure state) and boots each under -icount shift=0:
# test=ipc_bench (ipc_roundtrip_insns) and Debian's Linux, -smp 1, with
# host/nw/bench_invoke (invoke_roundtrip_insns). Both builds are measured in
# the same run; instructions retired, medians. Prints `name: value` lines
# and the overheads. Leaves the tree built with RV=1 and MON_SECURE_PMU=1
# (as make bench does; the next make rebuilds the default monitor).
# Environment: BENCH_TIMEOUT (seconds per boot, default 300),
# BENCH_INVOKE_ARGS (default "2000 20 0").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
B=${B:-build}
image=$B/microtee-test.bin
timeout_s=${BENCH_TIMEOUT:-300}
logs=$B/bench-rv
mkdir -p "$logs" "$B/nw"
fail() {
	echo "bench-rv: $1${2:+ (see $2)}" >&2
	exit 1
}
scripts/nw/fetch-debs.sh >"$logs/fetch.log" 2>&1 || fail "fetching the normal-world packages" "$logs/fetch.log"
make -s -f bench/nw/bench.mk nw-bench >"$logs/nwbuild.log" 2>&1 || fail "building bench_invoke" "$logs/nwbuild.log"
# bench_invoke alone (no cold TA loads): the rc's bench_crypto is not in
# this initramfs.
initrd=$B/nw/bench-rv.cpio.gz
echo "${BENCH_INVOKE_ARGS:-2000 20 0}" >"$B/nw/bench-rv.args"
scripts/nw/mkinitramfs.sh "$initrd" "bench/nw/rc.bench_invoke:/etc/rc.test" \
	"$B/nw/bench_invoke:/usr/bin/" \
	"$B/nw/bench-rv.args:/etc/bench_invoke.args" >"$logs/initramfs.log" 2>&1 ||
	fail "building the initramfs" "$logs/initramfs.log"

declare -A ipc inv
for rv in 0 1; do
	make --no-print-directory -j2 all MON_SECURE_PMU=1 RV=$rv >"$logs/build$rv.log" 2>&1 ||
		fail "building RV=$rv" "$logs/build$rv.log"
	log=$logs/ipc$rv.log
	timeout "$timeout_s" scripts/run-qemu.sh "$image" "test=ipc_bench" -icount shift=0 \
		>"$log" 2>&1 </dev/null || true
	grep -q "\[init\] RESULT: PASS" "$log" || fail "ipc_bench, RV=$rv" "$log"
	grep -q "\[mon\] secure PMU counting on" "$log" || fail "the PMU does not count in the secure state" "$log"
	if [ $rv = 1 ]; then
		grep -Eq '^\[rv\] kernel: [0-9]+ events checked .*, 0 violations' "$log" ||
			fail "RV=1 without the kernel's tally" "$log"
	else
		grep -q '^\[rv\] kernel: monitors off' "$log" || fail "RV=0 with monitors" "$log"
	fi
	ipc[$rv]=$(sed -n 's/^ipc_roundtrip_insns: \([0-9]*\).*/\1/p' "$log")
	sw=$logs/invoke$rv.secure.log
	nw=$logs/invoke$rv.linux.log
	rm -f "$nw"
	SMP=1 NW_CONSOLE="file:$nw" QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
		timeout "$timeout_s" scripts/run-qemu.sh "$image" "test=demo nw" -icount shift=0 \
		-kernel build/cache/nw-kernel/Image -initrd "$initrd" \
		-append "console=ttyAMA0 panic=-1" >"$sw" 2>&1 </dev/null || true
	touch "$nw"
	grep -q '^bench_invoke: done' "$nw" || fail "bench_invoke did not finish, RV=$rv" "$nw"
	grep -q '\[rv\] VIOLATION' "$sw" && fail "a violation, RV=$rv" "$sw"
	inv[$rv]=$(tr -d '\r' <"$nw" | sed -n 's/^invoke_roundtrip_insns: \([0-9][0-9]*\)$/\1/p' | tail -1)
	[ -n "${ipc[$rv]}" ] && [ -n "${inv[$rv]}" ] || fail "results missing, RV=$rv" "$log, $nw"
done
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%+.1f %%", (b - a) * 100 / a}'; }
echo "# monitors off (RV=0) and on (RV=1, the default), both MON_SECURE_PMU=1, measured in this run;"
echo "# instructions retired under QEMU -icount shift=0, medians (ipc: 2000 round trips; invoke: $(cut -d' ' -f1 "$B/nw/bench-rv.args") null invokes, -smp 1)"
echo "ipc_roundtrip_insns_rv0: ${ipc[0]}"
echo "ipc_roundtrip_insns_rv1: ${ipc[1]}"
echo "ipc_roundtrip_rv_overhead: $((ipc[1] - ipc[0])) insns, $(pct "${ipc[0]}" "${ipc[1]}")"
echo "invoke_roundtrip_insns_rv0: ${inv[0]}"
echo "invoke_roundtrip_insns_rv1: ${inv[1]}"
echo "invoke_roundtrip_rv_overhead: $((inv[1] - inv[0])) insns, $(pct "${inv[0]}" "${inv[1]}")"
