#!/usr/bin/env bash
# nw_fuzz.sh [IMAGE] — the normal-world message fuzzer (issue 13): Debian's
# arm64 kernel, without optee.ko, loads our module tests/nwfuzz/mtfuzz.c,
# which drives MicroTEE's OP-TEE SMC ABI straight from both CPUs with
# random and mutated messages, page lists and RPC answers (docs/testing.md).
# Builds the module against Debian's linux-headers for the very kernel that
# boots (scripts/nw/fetch-kheaders.sh), boots -smp 2 (FUZZ_SMP), and checks the
# module's verdicts, that Linux and the secure world stayed up, and that no
# secure service faulted, died or restarted.
# Environment: FUZZ_CALLS (default 1000000, shared by the CPUs), FUZZ_SEED
# (default: random; the log prints it, give it back to replay),
# FUZZ_SMP (CPUs, default 2), FUZZ_ARGS (more module parameters, e.g.
# races=0 verbose=1), TEST_TIMEOUT (seconds, default scaled to
# FUZZ_CALLS).
# Prints `ok - ...`/`FAIL - ...` lines and `N passed, M failed` last.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
image=${1:-$root/build/microtee-test.bin}
logs=${LOGDIR:-$root/build/test-logs}
calls=${FUZZ_CALLS:-1000000}
seed=${FUZZ_SEED:-0}
smp=${FUZZ_SMP:-2}
# About 40 s of boot and checks, and generously 1 ms per call.
timeout_s=${TEST_TIMEOUT:-$((120 + calls / 1000))}
out=$root/build/nwfuzz
mkdir -p "$logs" "$out"
passed=0
failed=0

pass() { echo "ok - nw_fuzz: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL - nw_fuzz: $*"; failed=$((failed + 1)); }
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

# ---- the module, from Debian's headers for the booted kernel ----
if ! kdir=$("$root/scripts/nw/fetch-kheaders.sh" 2>"$logs/nw_fuzz.fetch.log"); then
	fail "fetch the kernel's headers (log: $logs/nw_fuzz.fetch.log)"
	finish
fi
# Built in a copy: kbuild writes its objects next to the sources.
rm -rf "$out/module" && mkdir -p "$out/module" && cp -r "$root/tests/nwfuzz/." "$out/module/"
if ! make -C "$kdir" M="$out/module" MT_ROOT="$root" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
	modules >"$logs/nw_fuzz.build.log" 2>&1; then
	fail "build mtfuzz.ko (log: $logs/nw_fuzz.build.log)"
	finish
fi
kver=$(cat "$root/build/cache/nw-kernel/version")
if modinfo -F vermagic "$out/module/mtfuzz.ko" | grep -q "^$kver "; then
	pass "mtfuzz.ko built for the booted kernel $kver"
else
	fail "mtfuzz.ko's vermagic '$(modinfo -F vermagic "$out/module/mtfuzz.ko")' is not $kver"
	finish
fi

# ---- the boot: no TEE driver, the module and its arguments ----
echo "calls=$calls seed=$seed ${FUZZ_ARGS:-}" >"$out/nw_fuzz.args"
initrd=$out/nw_fuzz.cpio.gz
if ! NW_BASE_MODULES="" "$root/scripts/nw/mkinitramfs.sh" "$initrd" \
	"$here/rc.nw_fuzz:/etc/rc.test" "$out/module/mtfuzz.ko:/lib/mtfuzz.ko" \
	"$out/nw_fuzz.args:/etc/nw_fuzz.args" >"$logs/nw_fuzz.initramfs.log" 2>&1; then
	fail "build the initramfs (log: $logs/nw_fuzz.initramfs.log)"
	finish
fi
log=$logs/nw_fuzz.log
nwlog=$logs/nw_fuzz.nw.log
rm -f "$log" "$nwlog"
export FLASH=$out/nw_fuzz.flash0.img
rm -f "$FLASH"
t0=$(date +%s)
SMP=$smp NW_CONSOLE="file:$nwlog" QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
	timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=demo nw" \
	-kernel "$root/build/cache/nw-kernel/Image" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1 loglevel=4" >"$log" 2>&1 </dev/null
rc=$?
t1=$(date +%s)
touch "$nwlog"
tr -d '\r' <"$nwlog" >"$nwlog.txt" && mv "$nwlog.txt" "$nwlog"
echo "# nw_fuzz: boot, $calls calls and power-off took $((t1 - t0)) s (QEMU status $rc)"
sed -n 's/^rc: fuzzing took/# nw_fuzz: fuzzing took/p; s/^mtfuzz: /# mtfuzz: /p' "$nwlog"

# ---- the module's own verdicts ----
verdicts=$(grep -cE '^(ok|not ok) - mtfuzz: ' "$nwlog")
# A failed verdict names the module's first failure report, and the log:
# the verdict line is what a shortened CI log keeps.
first=$(grep -m1 -E '^mtfuzz: cpu[0-9]+: FAILED ' "$nwlog" | sed 's/^mtfuzz: //')
sed -n 's/^ok - mtfuzz: /ok - nw_fuzz: /p; s/^not ok - mtfuzz: /FAIL - nw_fuzz: /p' "$nwlog" |
	while IFS= read -r line; do
		case $line in
		FAIL*) echo "$line; first: ${first:-none reported} (log: $nwlog)" ;;
		*) echo "$line" ;;
		esac
	done
passed=$((passed + $(grep -c '^ok - mtfuzz: ' "$nwlog")))
failed=$((failed + $(grep -c '^not ok - mtfuzz: ' "$nwlog")))
# 4 summary verdicts and 8 of the final checks.
grep -q "^mtfuzz: seed=[0-9]* calls=[0-9]* threads=$smp " "$nwlog" && pass "Linux brought all $smp CPUs up: one fuzzing thread on each" ||
	fail "not one fuzzing thread on each of $smp CPUs: $(grep -m1 '^mtfuzz: seed=' "$nwlog") (log: $nwlog)"
[ "$verdicts" -eq 12 ] || fail "the module gave $verdicts verdicts, not 12 (log: $nwlog)"
grep -q '^mtfuzz: done, seed=' "$nwlog" || fail "the module did not finish (log: $nwlog)"

# ---- both worlds survived ----
problems=()
grep -q '^rc: done' "$nwlog" || problems+=("Linux did not finish the test script")
grep -q '\[mon\] SYSTEM_OFF' "$log" || problems+=("no SYSTEM_OFF (QEMU status $rc)")
grep -Eq 'Kernel panic|Oops|BUG:|Internal error|rcu_sched|soft lockup|hung_task' "$nwlog" &&
	problems+=("Linux: $(grep -m1 -E 'Kernel panic|Oops|BUG:|Internal error|rcu_sched|soft lockup|hung_task' "$nwlog")")
grep -q '^rc: /dev/tee0 present' "$nwlog" && problems+=("optee.ko was loaded")
[ ${#problems[@]} -eq 0 ] && pass "Linux ran the fuzzer to the end and powered off" ||
	fail "${problems[*]} (logs: $log, $nwlog)"
problems=()
grep -aEq 'KERNEL PANIC|\[mon\] (unexpected|panic)' "$log" &&
	problems+=("$(grep -a -m1 -E 'KERNEL PANIC|\[mon\] (unexpected|panic)' "$log")")
# A secure service (anything but a TA) that faulted, died or restarted.
grep -aE '\[init\] (child service|restarted|.* keeps dying)' "$log" >"$out/services.txt"
[ -s "$out/services.txt" ] && problems+=("a secure service ended: $(head -n1 "$out/services.txt")")
grep -aEq '\[init\] child TA \(pid [0-9]+\) faulted' "$log" &&
	problems+=("a TA faulted: $(grep -a -m1 -E '\[init\] child TA \(pid [0-9]+\) faulted' "$log")")
grep -aEq '\[(gateway|rpc)\] receive failed' "$log" && problems+=("the gateway or the RPC service stopped serving")
grep -q '\[init\] leak check, no TA running: OK' "$log" || problems+=("no clean leak check with no TA running")
grep -Eq '\[init\] leak check, no TA running: [0-9]' "$log" &&
	problems+=("secure leak: $(grep -m1 -E '\[init\] leak check, no TA running: [0-9]' "$log")")
[ ${#problems[@]} -eq 0 ] && pass "the secure world: no panic, no trap, no service lost, no leak" ||
	fail "${problems[*]} (log: $log)"
finish
