#!/usr/bin/env bash
# make bench: boots the benchmark scenarios under QEMU -icount shift=0 (one
# instruction = one tick, deterministic) and prints `name: value` lines.
# Instruction counts come from the PMU's instructions-retired event.
set -euo pipefail
image=$1
B=$(dirname "$image")
here=$(cd "$(dirname "$0")" && pwd)
log=$B/bench-ipc.log
timeout 300 "$here/../scripts/run-qemu.sh" "$image" "test=ipc_bench" -icount shift=0 >"$log" 2>&1 </dev/null || true
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
