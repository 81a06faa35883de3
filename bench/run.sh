#!/usr/bin/env bash
# make bench: boots the benchmark scenarios under QEMU -icount shift=0 (one
# instruction = one tick, deterministic) and prints `name: value` lines.
# Instruction counts come from the PMU's instructions-retired event.
# Two boots: the secure-world IPC benchmark (test=ipc_bench), then Debian's
# Linux with bench/nw/rc.bench_invoke running host/nw/bench_invoke (TEE calls
# through libteec and optee.ko). Exits non-zero, saying why, if either fails.
# Environment: BENCH_TIMEOUT (seconds per boot, default 300).
set -euo pipefail
image=$1
B=$(dirname "$image")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
timeout_s=${BENCH_TIMEOUT:-300}
log=$B/bench-ipc.log
timeout "$timeout_s" "$here/../scripts/run-qemu.sh" "$image" "test=ipc_bench" -icount shift=0 >"$log" 2>&1 </dev/null || true
grep -q "\[init\] RESULT: PASS" "$log" || { echo "bench: ipc_bench failed, see $log" >&2; exit 1; }

ipc=$(sed -n 's/^ipc_roundtrip_insns: \([0-9]*\).*/\1/p' "$log")
null=$(sed -n 's/^null_syscall_insns: \([0-9]*\).*/\1/p' "$log")
ram=$(sed -n 's/^\[init\] secure_ram_used_kib: \([0-9]*\).*/\1/p' "$log")
# Code and initialised data of the monitor (its .image section) and of the
# kernel (text, rodata, data); the boot file system of user programs is not
# counted.
size_of() { # elf section...
	local elf=$1
	shift
	local total=0
	for s in "$@"; do
		local hex
		hex=$(${CROSS:-aarch64-linux-gnu-}objdump -h "$elf" | awk -v s="$s" '$2 == s {print $3}')
		total=$((total + 0x${hex:-0}))
	done
	echo $total
}
mon=$(size_of "$B/monitor.elf" .image)
kern=$(size_of "$B/kernel.elf" .text .rodata .data)
echo "ipc_roundtrip_insns: $ipc"
echo "null_syscall_insns: $null"
echo "ipc_roundtrip_per_null_syscall: $(awk -v a="$ipc" -v b="$null" 'BEGIN {printf "%.2f", a / b}')"
echo "kernel_image_kib: $(((mon + kern + 1023) / 1024))"
echo "secure_ram_used_kib: $ram"
echo "# instructions retired (PMU event 0x08) under QEMU -icount shift=0, medians of 2000;"
echo "# baseline: a rejected system call in the same run. ipc target <= 400"
echo "# (for scale: seL4's fastpath on Cortex-A57 takes 406 cycles for the call, 423 for the reply)"

# ---- Linux -> TEE: a null TEEC_InvokeCommand and TEEC_Open/CloseSession ----
# One CPU, -icount shift=0; bench_invoke counts with perf_event_open
# (instructions, no exclude bits: both worlds) and cross-checks with CNTVCT.
nwfail() { # message [log]
	echo "bench: Linux TEE benchmark failed: $1${2:+ (see $2)}" >&2
	exit 1
}
nwlogs=$B/bench-nw
mkdir -p "$nwlogs" "$B/nw"
"$root/scripts/nw/fetch-debs.sh" >"$nwlogs/fetch.log" 2>&1 ||
	nwfail "fetching the normal-world packages" "$nwlogs/fetch.log"
make -s -C "$root" -f scripts/nw/nw.mk nw-bench-invoke >"$nwlogs/build.log" 2>&1 ||
	nwfail "building host/nw/bench_invoke.c" "$nwlogs/build.log"
initrd=$B/nw/bench_invoke.cpio.gz
argsfile=$B/nw/bench_invoke.args
echo "${BENCH_INVOKE_ARGS:-2000 200}" >"$argsfile"
"$root/scripts/nw/mkinitramfs.sh" "$initrd" "$here/nw/rc.bench_invoke:/etc/rc.test" \
	"$B/nw/bench_invoke:/usr/bin/" "$argsfile:/etc/bench_invoke.args" \
	>"$nwlogs/initramfs.log" 2>&1 || nwfail "building the initramfs" "$nwlogs/initramfs.log"
swlog=$nwlogs/secure.log
nwlog=$nwlogs/linux.log
rm -f "$swlog" "$nwlog"
t0=$(date +%s.%N)
qrc=0
SMP=1 NW_CONSOLE="file:$nwlog" QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
	timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=demo nw" -icount shift=0 \
	-kernel "$root/build/cache/nw-kernel/Image" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1" >"$swlog" 2>&1 </dev/null || qrc=$?
t1=$(date +%s.%N)
touch "$nwlog"
tr -d '\r' <"$nwlog" >"$nwlog.txt" && mv "$nwlog.txt" "$nwlog"
[ "$qrc" -ne 124 ] || nwfail "QEMU timed out after ${timeout_s}s" "$nwlog, $swlog"
grep -Eq 'KERNEL PANIC|\[mon\] unexpected' "$swlog" && nwfail "secure world failure" "$swlog"
grep -Eq 'Kernel panic|Oops|BUG:' "$nwlog" && nwfail "Linux oops or panic" "$nwlog"
grep -q '^bench_invoke: done' "$nwlog" || nwfail "bench_invoke did not finish (QEMU status $qrc)" "$nwlog, $swlog"
grep -q '\[mon\] SYSTEM_OFF' "$swlog" || nwfail "no SYSTEM_OFF (QEMU status $qrc)" "$swlog"
value() { sed -n "s/^$1: \([0-9][0-9]*\)\$/\1/p" "$nwlog" | tail -1; }
nsys=$(value linux_null_syscall_insns)
inv=$(value invoke_roundtrip_insns)
oc=$(value open_close_session_insns)
if [ -z "$nsys" ] || [ -z "$inv" ] || [ -z "$oc" ]; then nwfail "results missing" "$nwlog"; fi
method=$(sed -n 's/^invoke_method: //p' "$nwlog" | tail -1)
boot=$(sed -n 's/^rc: kernel .* up \([0-9.]*\) s$/\1/p' "$nwlog")
echo "linux_null_syscall_insns: $nsys"
echo "invoke_roundtrip_insns: $inv"
echo "open_close_session_insns: $oc"
echo "invoke_roundtrip_per_linux_null_syscall: $(awk -v a="$inv" -v b="$nsys" 'BEGIN {printf "%.2f", a / b}')"
echo "# Linux (Debian $(cat "$root/build/cache/nw-kernel/version"), -smp 1, -icount shift=0) -> optee.ko -> MicroTEE -> demo TA;"
echo "# null invoke = TA_DEMO_CMD_GET_SESSION_COUNT (one value out); medians of $(cut -d' ' -f1 "$argsfile") invokes,"
echo "# $(cut -d' ' -f2 "$argsfile") open+close pairs, 2000 getppid() calls (the same-run baseline);"
echo "# counted with $method;"
echo "# Linux up after ${boot:-?} s of virtual time; this boot took $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s wall (log: $nwlog)"
