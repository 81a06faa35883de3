#!/usr/bin/env bash
# bench/tput.sh IMAGE — invoke_throughput_2cpu_ratio (issue 12): null
# invokes per second from two CPUs at once divided by the rate from one CPU,
# in wall time under multi-threaded TCG (no -icount), for MicroTEE and, the
# same way in the same run, for OP-TEE (the peer stack of bench/optee).
#
# Each boot is Debian's Linux with two CPUs running `bench_invoke tput MS
# ROUNDS` (host/nw/bench_invoke.c): per round, one thread pinned to one CPU
# and two threads pinned to CPUs 0 and 1 call ta/installed (an instance per
# session) back to back, and the same with a loop that never leaves Linux,
# each kind for MS ms, taking turns in 100 ms slices. The loop's ratio is
# the baseline of the
# same boot: what the host gives two vCPUs at once (QEMU runs each vCPU in a
# host thread, beside its I/O thread and whatever else the host runs). A
# TEE's ratio cannot exceed it by much on this host.
#
# Wall time is noise under TCG; every figure here is a ratio of two rates
# from the same boot, and the medians of TPUT_ROUNDS rounds are reported.
#
# Prints `name: value` lines; exits non-zero, saying why, if a boot fails.
# Environment: TPUT_MS (default 1500), TPUT_ROUNDS (default 5), BENCH_TIMEOUT
# (seconds per boot, default 300), TPUT_OPTEE (default 1; 0 skips OP-TEE).
set -euo pipefail
image=$1
B=$(cd "$(dirname "$image")" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
ms=${TPUT_MS:-1500}
rounds=${TPUT_ROUNDS:-5}
timeout_s=${BENCH_TIMEOUT:-300}
logs=$B/bench-tput
mkdir -p "$logs" "$B/nw"
fail() { # message [log]
	echo "bench/tput: FAILED: $1${2:+ (see $2)}" >&2
	exit 1
}
"$root/scripts/nw/fetch-debs.sh" >"$logs/fetch.log" 2>&1 || fail "fetching the normal-world packages" "$logs/fetch.log"
make -s -C "$root" -f scripts/nw/nw.mk nw-bench-invoke >"$logs/build.log" 2>&1 ||
	fail "building host/nw/bench_invoke.c" "$logs/build.log"
cat >"$logs/rc.tput" <<RC
#!/bin/sh
echo "rc: kernel \$(uname -r), \$(nproc) cpu(s)"
bench_invoke tput $ms $rounds
echo "rc: bench_invoke exited with \$?"
RC
value() { sed -n "s/^$1: \([0-9.][0-9.]*\)\$/\1/p" "$2" | tail -1; }
host_cpus=$(nproc)
load=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- MicroTEE: the test image, two CPUs, no -icount ----
installed=$(ls "$B"/ta/installed/*.ta 2>/dev/null | head -n1)
[ -s "$installed" ] || fail "no signed image of ta/installed (run make)"
initrd=$logs/tput.cpio.gz
"$root/scripts/nw/mkinitramfs.sh" "$initrd" "$logs/rc.tput:/etc/rc.test" \
	"$installed:/usr/lib/optee_armtz/" "$B/nw/bench_invoke:/usr/bin/" \
	>"$logs/initramfs.log" 2>&1 || fail "building the initramfs" "$logs/initramfs.log"
nwlog=$logs/linux.log
swlog=$logs/secure.log
rm -f "$nwlog" "$swlog"
qrc=0
SMP=2 NW_CONSOLE="file:$nwlog" QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
	timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=demo nw" \
	-accel tcg,thread=multi \
	-kernel "$root/build/cache/nw-kernel/Image" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1" >"$swlog" 2>&1 </dev/null || qrc=$?
touch "$nwlog"
tr -d '\r' <"$nwlog" >"$nwlog.txt" && mv "$nwlog.txt" "$nwlog"
[ "$qrc" -ne 124 ] || fail "QEMU timed out after ${timeout_s}s (BENCH_TIMEOUT)" "$nwlog, $swlog"
! grep -Eq 'KERNEL PANIC|\[mon\] unexpected' "$swlog" || fail "secure world failure" "$swlog"
! grep -Eq 'Kernel panic|Oops|BUG:' "$nwlog" || fail "Linux oops or panic" "$nwlog"
! grep -q '^bench_invoke: FAIL' "$nwlog" || fail "$(grep -m1 '^bench_invoke: FAIL' "$nwlog")" "$nwlog"
grep -q '^bench_invoke: done' "$nwlog" || fail "bench_invoke tput did not finish (QEMU status $qrc)" "$nwlog"
mt_ratio=$(value invoke_throughput_2cpu_ratio "$nwlog")
mt_spin=$(value linux_spin_2cpu_ratio "$nwlog")
mt_one=$(value invoke_throughput_1cpu_per_s "$nwlog")
mt_two=$(value invoke_throughput_2cpu_per_s "$nwlog")
mt_norm=$(value invoke_throughput_2cpu_ratio_per_spin "$nwlog")
[ -n "$mt_ratio" ] && [ -n "$mt_spin" ] && [ -n "$mt_one" ] && [ -n "$mt_two" ] && [ -n "$mt_norm" ] ||
	fail "results missing" "$nwlog"
echo "invoke_throughput_2cpu_ratio: $mt_ratio"
echo "invoke_throughput_linux_spin_2cpu_ratio: $mt_spin"
echo "invoke_throughput_1cpu_per_s: $mt_one"
echo "invoke_throughput_2cpu_per_s: $mt_two"
echo "invoke_throughput_2cpu_ratio_per_spin: $mt_norm"
sed -n 's/^bench_invoke: tput \(round .*\)/# microtee \1/p' "$nwlog"

# ---- OP-TEE: the same client, the same TA source, the same machine ----
if [ "${TPUT_OPTEE:-1}" != 0 ]; then
	"$root/scripts/optee/fetch-build.sh" >"$logs/optee-fetch-build.log" 2>&1 ||
		fail "fetching and building the OP-TEE stack" "$logs/optee-fetch-build.log"
	# shellcheck source=/dev/null
	source "$root/build/cache/optee/optee.env"
	make -C "$root" -f bench/optee/optee.mk optee-installed-ta >"$logs/optee-ta.log" 2>&1 ||
		fail "building ta/installed with Debian's optee-os-dev TA dev kit" "$logs/optee-ta.log"
	iuuid=$(sed -n 's/^BINARY *= *//p' "$root/ta/installed/Makefile")
	ota=$root/build/optee/ta/installed/$iuuid.ta
	[ -s "$ota" ] || fail "no $ota after the TA build" "$logs/optee-ta.log"
	oinitrd=$logs/tput-optee.cpio.gz
	"$root/scripts/nw/mkinitramfs.sh" "$oinitrd" "$logs/rc.tput:/etc/rc.test" \
		"$ota:/lib/optee_armtz/" "$B/nw/bench_invoke:/usr/bin/" \
		>"$logs/optee-initramfs.log" 2>&1 || fail "building the OP-TEE initramfs" "$logs/optee-initramfs.log"
	onwlog=$logs/optee-linux.log
	oswlog=$logs/optee-secure.log
	rm -f "$onwlog" "$oswlog"
	qrc=0
	# bench/optee/run.sh's machine and boot (BL33 = the Linux Image), two
	# CPUs, no -icount.
	timeout "$timeout_s" qemu-system-aarch64 \
		-machine "virt,secure=on,gic-version=$OPTEE_GIC,virtualization=off" \
		-cpu max,sve=off,sme=off,pauth-impdef=on -smp 2 -m 1024 -accel tcg,thread=multi \
		-nographic -monitor none -nic none -serial "file:$onwlog" -serial "file:$oswlog" \
		-bios "$OPTEE_FLASH_LINUX" -no-reboot \
		-kernel "$root/build/cache/nw-kernel/Image" \
		-device "loader,file=$oinitrd,addr=$OPTEE_LINUX_INITRD_ADDR,force-raw=on" \
		-append "console=ttyAMA0 panic=-1 initrd=$OPTEE_LINUX_INITRD_ADDR,$(stat -c %s "$oinitrd")" \
		</dev/null >"$logs/optee-qemu.log" 2>&1 || qrc=$?
	touch "$onwlog"
	tr -d '\r' <"$onwlog" >"$onwlog.txt" && mv "$onwlog.txt" "$onwlog"
	[ "$qrc" -ne 124 ] || fail "OP-TEE: QEMU timed out after ${timeout_s}s" "$onwlog"
	! grep -Eq 'Kernel panic|Oops|BUG:' "$onwlog" || fail "OP-TEE: Linux oops or panic" "$onwlog"
	grep -Eq 'optee: revision [0-9]' "$onwlog" || fail "optee.ko did not probe OP-TEE" "$onwlog"
	! grep -q '^bench_invoke: FAIL' "$onwlog" || fail "OP-TEE: $(grep -m1 '^bench_invoke: FAIL' "$onwlog")" "$onwlog"
	grep -q '^bench_invoke: done' "$onwlog" || fail "OP-TEE: bench_invoke tput did not finish (QEMU status $qrc)" "$onwlog"
	op_ratio=$(value invoke_throughput_2cpu_ratio "$onwlog")
	op_spin=$(value linux_spin_2cpu_ratio "$onwlog")
	op_one=$(value invoke_throughput_1cpu_per_s "$onwlog")
	op_two=$(value invoke_throughput_2cpu_per_s "$onwlog")
	op_norm=$(value invoke_throughput_2cpu_ratio_per_spin "$onwlog")
	[ -n "$op_ratio" ] && [ -n "$op_spin" ] && [ -n "$op_one" ] && [ -n "$op_two" ] && [ -n "$op_norm" ] ||
		fail "OP-TEE results missing" "$onwlog"
	echo "optee_invoke_throughput_2cpu_ratio: $op_ratio"
	echo "optee_invoke_throughput_linux_spin_2cpu_ratio: $op_spin"
	echo "optee_invoke_throughput_1cpu_per_s: $op_one"
	echo "optee_invoke_throughput_2cpu_per_s: $op_two"
	echo "optee_invoke_throughput_2cpu_ratio_per_spin: $op_norm"
	sed -n 's/^bench_invoke: tput \(round .*\)/# optee \1/p' "$onwlog"
fi
echo "# throughput: wall time under multi-threaded TCG (-smp 2, no -icount); medians of $rounds rounds of"
echo "# $ms ms per run; null invoke = ta/installed's ADD (an instance per session, one session per thread);"
echo "# linux_spin: a loop that never leaves Linux, the same boot's baseline of what the host gives two vCPUs;"
echo "# host: $host_cpus CPU(s), load average $load at the start; logs in $logs; target ratio >= 1.7"
