#!/usr/bin/env bash
# linux_boot.sh — stock Debian Linux boots under the MicroTEE monitor and
# Debian's unmodified optee.ko binds to the TEE.
#
# Fetches the normal-world packages (scripts/nw, a no-op once cached), builds
# an initramfs whose /etc/rc.test is tests/system/rc.linux_boot, then boots
# it with `-kernel Image -initrd ... -append ...` under our firmware with
# -smp 1 and -smp 2 (Linux entered at NS-EL1), and with -smp 2 on CPUs that
# have EL2 (virtualization=on: Linux entered at NS-EL2, KVM available), and
# checks on both consoles:
#   - the monitor loaded the Linux Image and initrd from fw_cfg;
#   - Linux reached the rc script (kernel version printed), all CPUs started
#     at the expected EL;
#   - optee.ko probed ("optee: revision", "initialized driver") and /dev/tee0
#     exists; libteec opens a context (hello_teec, built against the pinned
#     normal-world sysroot, which the build may not leave);
#   - every CPU is online; /secure-chosen is in neither /sys/firmware/fdt nor
#     the live tree; both worlds' SCR_EL3 (as the monitor prints them) have
#     SIF set; with -smp 2 optee.ko probes again from CPU 1, its
#     calls entering the secure kernel on CPU 1 itself, PSCI reports that
#     the Trusted OS needs no migration (MIGRATE_INFO_TYPE 2), CPU 1 and
#     then CPU 0 go off and on again (PSCI CPU_OFF, AFFINITY_INFO,
#     CPU_ON), and optee.ko probes again on CPU 0 afterwards;
#   - QEMU exited through PSCI SYSTEM_OFF, with no EL3 trap, kernel panic or
#     Linux oops on the way.
# Prints `ok - ...` / `FAIL - ...` per check and `N passed, M failed` last;
# the exit status is non-zero on any failure.
#
# Usage: tests/system/linux_boot.sh [IMAGE]     (default build/microtee-test.bin)
# Environment: TEST_TIMEOUT (s per boot, default 60), LOGDIR (default
# build/test-logs), LINUX_BOOT_CONFIGS (default "smp1 smp2 el2-smp2 smp4"; a
# config is [el2-]smpN).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
image=${1:-$root/build/microtee-test.bin}
logs=${LOGDIR:-$root/build/test-logs}
timeout_s=${TEST_TIMEOUT:-60}
mkdir -p "$logs" "$root/build/nw"

passed=0
failed=0
ok() { echo "ok - linux_boot/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL - linux_boot/$1"; failed=$((failed + 1)); }
check() { # check NAME COMMAND...: ok if the command succeeds
	local name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name"; fi
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

# ---- normal-world pieces (cached under build/cache) ----
if ! "$root/scripts/nw/fetch-debs.sh" >"$logs/linux_boot.fetch.log" 2>&1; then
	fail "fetch normal-world packages (log: $logs/linux_boot.fetch.log)"
	finish
fi
kernel=$root/build/cache/nw-kernel/Image
kver=$(cat "$root/build/cache/nw-kernel/version")
extras=("$here/rc.linux_boot:/etc/rc.test")
# hello_teec, a libteec client, built against the pinned normal-world sysroot
# (scripts/nw/nw.mk). Not building it is a failure, never a skipped check.
build_hello() {
	rm -f "$root/build/nw/hello_teec"
	make -s -C "$root" -f scripts/nw/nw.mk nw-hello-teec >"$logs/linux_boot.hello.log" 2>&1
}
check "build hello_teec against the normal-world sysroot (log: $logs/linux_boot.hello.log)" build_hello
extras+=("$root/build/nw/hello_teec:/usr/bin/")
# Every header and library the build reads is the sysroot's or the compiler's
# own: a hosted or cross C library on this machine must not leak in.
check "normal-world build reads only the sysroot and the compiler's own files" \
	make -s -C "$root" -f scripts/nw/nw.mk nw-sysroot-check
initrd=$root/build/nw/linux_boot.cpio.gz
if ! "$root/scripts/nw/mkinitramfs.sh" "$initrd" "${extras[@]}" >"$logs/linux_boot.initramfs.log" 2>&1; then
	fail "build initramfs (log: $logs/linux_boot.initramfs.log)"
	finish
fi

# ---- boots ----
for t in ${LINUX_BOOT_CONFIGS:-smp1 smp2 el2-smp2 smp4}; do
	smp=${t##*smp}
	el=1 virt=off
	[[ $t == el2-* ]] && el=2 virt=on
	log=$logs/linux_boot.$t.log
	nwlog=$logs/linux_boot.$t.nw.log
	rm -f "$log" "$nwlog"
	t0=$(date +%s.%N)
	# pauth-impdef=on: QEMU's cheap pointer-authentication algorithm; Linux
	# boots about 3x faster under TCG and behaves the same.
	SMP=$smp VIRT=$virt NW_CONSOLE="file:$nwlog" QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
		timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=demo nw" \
		-kernel "$kernel" -initrd "$initrd" -append "console=ttyAMA0 panic=-1" \
		>"$log" 2>&1 </dev/null
	rc=$?
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	[ -f "$nwlog" ] && tr -d '\r' <"$nwlog" >"$nwlog.txt" && mv "$nwlog.txt" "$nwlog"
	touch "$nwlog"
	echo "# $t: boot to power-off ${secs}s host wall time, QEMU exit status $rc (logs: $log, $nwlog)"
	nw() { grep -Eq -- "$1" "$nwlog"; }
	sw() { grep -Eq -- "$1" "$log"; }

	check "$t: monitor loaded the Linux Image and initrd" \
		sw '\[mon\] normal-world image: Linux Image .* initrd [1-9][0-9]* bytes'
	check "$t: Linux reached the rc script" nw "^rc: kernel ${kver//./\\.}\$"
	check "$t: all CPUs started at EL$el" nw "CPU: All CPU\(s\) started at EL$el"
	check "$t: PSCI 1.1 over SMC found" nw 'psci: PSCIv1\.1 detected in firmware'
	# SCR_EL3.SIF (bit 9) in both worlds' SCR_EL3, as the monitor reports them.
	sif() { # sif PATTERN: the hex value after PATTERN has bit 9 set
		local v
		v=$(sed -n "s/.*$1 0x\([0-9a-f]*\).*/\1/p" "$log" | head -1)
		[ -n "$v" ] && (((16#$v >> 9) & 1))
	}
	check "$t: SCR_EL3.SIF set for the secure and the normal world" \
		eval "sif 'entering secure kernel at .*SCR_EL3' && sif 'normal world enters at EL[12], SCR_EL3'"
	check "$t: optee driver probed (revision, initialized driver)" \
		eval "nw '^rc: dmesg: .*optee: revision [0-9]+\.[0-9]+' && nw '^rc: dmesg: .*optee: initialized driver'"
	check "$t: /dev/tee0 exists" nw '^rc: /dev/tee0 present'
	check "$t: no /secure-chosen in Linux's device tree" nw '^rc: device tree: no secure-chosen$'
	ncpu=$(grep -c '^rc: cpuinfo: processor' "$nwlog")
	want_online=$([ "$smp" -eq 1 ] && echo 0 || echo "0-$((smp - 1))")
	check "$t: all $smp CPU(s) online" eval "[ $ncpu -eq $smp ] && nw '^rc: online cpus $want_online\$'"
	if [ "$smp" -ge 2 ]; then
		check "$t: optee probed again from CPU 1" nw '^rc: optee probed again from cpu 1'
		check "$t: CPU 1's calls entered the secure kernel on CPU 1 (none forwarded)" \
			sw '\[mon\] Trusted OS calls entered the secure kernel on CPU 0: [1-9][0-9]* 1: [1-9][0-9]*'
		check "$t: PSCI MIGRATE_INFO_TYPE 2 (Trusted OS migration not required)" \
			nw '^rc: psci: Trusted OS migration not required$'
		check "$t: CPU 0 hotplug too (no CPU is the Trusted OS's)" \
			nw "^rc: hotplug cpu0: online after off [1-9][0-9,-]*, after on 0-$((smp - 1))\$"
		check "$t: CPU 1 hotplug (PSCI CPU_OFF, AFFINITY_INFO, CPU_ON)" \
			nw "^rc: hotplug cpu1: online after off 0(,[2-9]|,[2-9]-[0-9]+)?, after on 0-$((smp - 1))\$"
	fi
	check "$t: libteec opens a context on /dev/tee0" \
		nw '^rc: hello_teec: TEEC_InitializeContext -> 0x00000000'
	if [ "$smp" -ge 2 ]; then
		check "$t: optee probes on CPU 0 after CPU 0's hotplug" \
			nw '^rc: optee probed on cpu 0 after its hotplug$'
	fi
	check "$t: rc script finished" nw '^rc: done'
	check "$t: QEMU exited through PSCI SYSTEM_OFF" \
		eval "[ $rc -eq 0 ] && sw '\[mon\] SYSTEM_OFF'"
	check "$t: secure world healthy (RESULT: PASS, no EL3 trap or panic)" \
		eval "sw '\[init\] RESULT: PASS' && ! sw 'unexpected exception|PANIC|KERNEL PANIC'"
	check "$t: no Linux oops, BUG or panic" \
		eval "! nw 'Kernel panic|Oops|BUG:|WARNING:|Unable to handle|rcu_sched self-detected|soft lockup'"
	check "$t: boot within ${timeout_s}s" eval "[ $rc -ne 124 ]"
done
finish
