#!/usr/bin/env bash
# xtest.sh — OP-TEE's own regression suite, Debian's `xtest` and the TAs of
# optee-test-qemu (unmodified, signed with OP-TEE's development key, in
# /lib/optee_armtz), run from Debian's Linux in the normal world against
# MicroTEE (`make xtest`) or against the OP-TEE peer stack of bench/optee
# (`make xtest-optee`, --optee), on the same QEMU machine.
#
# Each case runs on its own (`xtest -t regression regression_C`) under a
# timeout in the guest (scripts/xtest/rc.xtest). A host watchdog reboots the
# machine when a case gives no result in time (the TEE or Linux hung) and
# the run goes on with the next case; the hung case fails. Every boot starts
# from a new device (a blank flash image for MicroTEE; tee-supplicant's
# files are in the initramfs, so they are new too).
#
# The verdicts come from scripts/xtest/report.sh (its header has the rules:
# a case that ran zero subtests is skipped, never passed): one line per case,
# `xtest: N passed, M failed, K skipped (Gxxx)` per group and for the total,
# the regression run's wall time, and last `N passed, M failed`, where
# skipped cases and any failure of the harness itself (fetching, building,
# booting, a case list that disagrees with the binary) count as failed.
#
# Usage: tests/system/xtest.sh [--optee] [IMAGE]
#   IMAGE  MicroTEE's firmware (default build/microtee.bin, the production
#          image: no test program or test TA of ours is involved)
# Environment:
#   XTEST_CASES    cases (1001 4007_ecc ...), space-separated, or "all" (the
#                  default): every regression case of the xtest binary
#   XTEST_TIMEOUT  seconds per case (default 120 for MicroTEE, 600 for OP-TEE)
#   XTEST_BOOT_TIMEOUT  seconds from QEMU's start to the first case (300)
#   XTEST_GRACE    the watchdog's margin over a case's timeout (60 s)
#   XTEST_GUEST_TIMEOUT  the guest's own timeout per case (XTEST_TIMEOUT)
#   SMP (default 2), MEM (1024), QEMU_CPU (max,sve=off,sme=off,pauth-impdef=on)
#   LOGDIR (default build/test-logs; the logs are LOGDIR/xtest[-optee].*)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
stack=microtee
if [ "${1:-}" = --optee ]; then
	stack=optee
	shift
fi
image=${1:-$root/build/microtee.bin}
logs=${LOGDIR:-$root/build/test-logs}
name=xtest
[ $stack = microtee ] || name=xtest-optee
if [ $stack = optee ]; then def_timeout=600; else def_timeout=120; fi
case_timeout=${XTEST_TIMEOUT:-$def_timeout}
boot_timeout=${XTEST_BOOT_TIMEOUT:-300}
# The watchdog's margin over the guest's own timeout: killing xtest and
# printing the end marker takes a moment, more on a loaded machine.
grace=${XTEST_GRACE:-60}
# The guest's timeout is the case timeout; XTEST_GUEST_TIMEOUT sets it apart,
# longer, to see the watchdog reboot the machine (docs/xtest.md).
guest_timeout=${XTEST_GUEST_TIMEOUT:-$case_timeout}
smp=${SMP:-2}
mem=${MEM:-1024}
cpu=${QEMU_CPU:-max,sve=off,sme=off,pauth-impdef=on}
work=$root/build/xtest/$stack
xroot=$root/build/cache/xtest/root
mkdir -p "$logs" "$work"
rm -f "$logs/$name".*

harness_failed=0
hfail() { # a failure of the harness itself, not of a case
	echo "not ok - $name/$1"
	harness_failed=$((harness_failed + 1))
}
finish() { # no case could run: the harness failures are the count
	echo "0 passed, $harness_failed failed"
	exit 1
}

case $case_timeout$boot_timeout$grace$guest_timeout in
*[!0-9]*)
	echo "not ok - $name/XTEST_TIMEOUT, XTEST_BOOT_TIMEOUT, XTEST_GRACE, XTEST_GUEST_TIMEOUT are seconds"
	echo "0 passed, 1 failed"
	exit 1 ;;
esac

# ---- the pieces: Debian's packages, and the peer stack for --optee ----
if ! "$root/scripts/nw/fetch-debs.sh" >"$logs/$name.fetch.log" 2>&1 ||
	! "$root/scripts/xtest/fetch.sh" >>"$logs/$name.fetch.log" 2>&1; then
	hfail "fetch Debian's xtest packages (log: $logs/$name.fetch.log)"
	finish
fi
if [ $stack = optee ]; then
	if ! "$root/scripts/optee/fetch-build.sh" >"$logs/$name.optee-build.log" 2>&1; then
		hfail "fetch and build the OP-TEE stack (log: $logs/$name.optee-build.log)"
		finish
	fi
	# shellcheck source=/dev/null
	source "$root/build/cache/optee/optee.env"
elif [ ! -s "$image" ]; then
	hfail "no MicroTEE image $image (make all)"
	finish
fi
xtest_bin=$xroot/usr/bin/xtest
if [ ! -x "$xtest_bin" ] || ! compgen -G "$xroot/usr/lib/optee_armtz/*.ta" >/dev/null; then
	hfail "xtest or its TAs missing from $xroot"
	finish
fi

# ---- the case list: the binary's own regression cases ----
# Every case is registered by name (regression_NNNN), so the names are in
# the binary; the guest checks the count against xtest itself (rc.xtest).
all_cases=$work/all-cases
strings -a "$xtest_bin" | sed -En 's/^regression_([0-9]+(_[a-z0-9]+)?)$/\1/p' | LC_ALL=C sort -u >"$all_cases"
nall=$(grep -c . "$all_cases")
if [ "$nall" -eq 0 ]; then
	hfail "no regression case names in $xtest_bin"
	finish
fi
selection=${XTEST_CASES:-all}
cases=$work/cases
case $selection in
all) cp "$all_cases" "$cases" ;;
*) tr -s ' ,' '\n' <<<"$selection" | grep . >"$cases" ;;
esac
if grep -vqE '^[0-9]+(_[a-z0-9]+)?$' "$cases"; then
	hfail "XTEST_CASES holds something other than case names: $(grep -vE '^[0-9]+(_[a-z0-9]+)?$' "$cases" | head -3 | tr '\n' ' ')"
	finish
fi
ncases=$(grep -c . "$cases")

# ---- the initramfs ----
# Our usual one (scripts/nw/mkinitramfs.sh: Debian's busybox, optee.ko,
# tee-supplicant), with rc.xtest and the libraries xtest takes from the
# normal world's packages; then, appended as a second cpio archive (Linux
# unpacks each in turn), optee-test-qemu's files as Debian installs them:
# xtest, libckteec, the TAs in /lib/optee_armtz and the tee-supplicant
# plugin; and a third, small one per boot with the cases it is to run.
sysroot=$root/build/cache/nw-sysroot
base=$work/base.cpio.gz
if ! "$root/scripts/nw/mkinitramfs.sh" "$base" "$root/scripts/xtest/rc.xtest:/etc/rc.test" \
	"$sysroot/usr/lib/aarch64-linux-gnu/libcrypto.so.3:/usr/lib/aarch64-linux-gnu/" \
	"$sysroot/usr/lib/aarch64-linux-gnu/libm.so.6:/usr/lib/aarch64-linux-gnu/" \
	>"$logs/$name.initramfs.log" 2>&1; then
	hfail "build the initramfs (log: $logs/$name.initramfs.log)"
	finish
fi
overlay=$work/xtest.cpio.gz
if ! "$root/scripts/xtest/overlay.sh" "$xroot" "$base" "$overlay" >>"$logs/$name.initramfs.log" 2>&1; then
	hfail "pack xtest and its TAs (log: $logs/$name.initramfs.log)"
	finish
fi

# cases_cpio OUT LIST: the per-boot archive, /etc/xtest.cases and /etc/xtest.timeout.
cases_cpio() {
	local stage
	stage=$(mktemp -d)
	mkdir -p "$stage/etc"
	cp "$2" "$stage/etc/xtest.cases"
	echo "$guest_timeout" >"$stage/etc/xtest.timeout"
	(cd "$stage" && find etc/xtest.cases etc/xtest.timeout | cpio --quiet -o -H newc -R 0:0 --reproducible) |
		gzip -9n >"$1"
	rm -rf "$stage"
}

# ---- the boots ----
all_log=$logs/$name.log
: >"$all_log"
# boot N INITRD: one QEMU run, watched; its console goes to $nwlog.
boot() {
	local n=$1 initrd=$2
	nwlog=$logs/$name.boot$n.nw.log
	swlog=$logs/$name.boot$n.secure.log
	rm -f "$nwlog" "$swlog"
	: >"$nwlog"
	local qemu
	if [ $stack = optee ]; then
		qemu=(qemu-system-aarch64
			-machine "virt,secure=on,gic-version=$OPTEE_GIC,virtualization=off"
			-cpu "$cpu" -smp "$smp" -m "$mem" -nographic -monitor none -nic none
			-serial "file:$nwlog" -serial "file:$swlog"
			-bios "$OPTEE_FLASH_LINUX" -no-reboot
			-kernel "$root/build/cache/nw-kernel/Image"
			-device "loader,file=$initrd,addr=$OPTEE_LINUX_INITRD_ADDR,force-raw=on"
			-append "console=ttyAMA0 panic=-1 quiet initrd=$OPTEE_LINUX_INITRD_ADDR,$(stat -c %s "$initrd")")
	else
		# A new device for each boot: a blank flash image.
		rm -f "$work/flash0.img"
		qemu=(env SMP="$smp" MEM="$mem" QEMU_CPU="$cpu" FLASH="$work/flash0.img"
			NW_CONSOLE="file:$nwlog" SECURE_CONSOLE="file:$swlog"
			"$root/scripts/run-qemu.sh" "$image" "nw"
			-kernel "$root/build/cache/nw-kernel/Image" -initrd "$initrd"
			-append "console=ttyAMA0 panic=-1 quiet")
	fi
	printf '%q ' "${qemu[@]}" >"$logs/$name.boot$n.cmdline"
	"${qemu[@]}" </dev/null >"$logs/$name.boot$n.qemu.log" 2>&1 &
	local qpid=$! t_start now last="" nlast=0 since cur
	t_start=$(date +%s)
	since=$t_start
	killed=""
	while kill -0 "$qpid" 2>/dev/null; do
		sleep 1
		now=$(date +%s)
		local markers
		markers=$(tr -d '\r' <"$nwlog" | grep -aoE 'xtest-(case|run): .*')
		local m
		m=$(grep -c . <<<"$markers")
		if [ "$m" -ne "$nlast" ]; then
			nlast=$m
			last=$(tail -n 1 <<<"$markers")
			since=$now
		fi
		case $last in
		"") # not at the first case yet
			if [ $((now - t_start)) -gt "$boot_timeout" ]; then
				killed="boot: no xtest run after $boot_timeout s"
			fi ;;
		"xtest-case: begin "*)
			cur=${last#xtest-case: begin }
			if [ $((now - since)) -gt $((case_timeout + grace)) ]; then
				killed="$cur after $((now - since)) s: the TEE or Linux hung (rebooted)"
			fi ;;
		*) # between cases, or done and powering off
			if [ $((now - since)) -gt "$grace" ]; then
				killed="boot: stuck for $((now - since)) s after '$last'"
			fi ;;
		esac
		if [ -n "$killed" ]; then
			kill "$qpid" 2>/dev/null
			break
		fi
	done
	wait "$qpid" 2>/dev/null
	boot_secs=$(($(date +%s) - t_start))
}

t_run=$(date +%s)
remaining=$work/remaining
cp "$cases" "$remaining"
n=0
boots_ok=1
count_checked=0
while [ -s "$remaining" ]; do
	n=$((n + 1))
	initrd=$work/boot$n.cpio.gz
	cases_cpio "$work/cases$n.cpio.gz" "$remaining"
	cat "$base" "$overlay" "$work/cases$n.cpio.gz" >"$initrd"
	boot "$n" "$initrd"
	tr -d '\r' <"$nwlog" >"$nwlog.txt" && mv "$nwlog.txt" "$nwlog"
	[ ! -f "$swlog" ] || { tr -d '\r' <"$swlog" >"$swlog.txt" && mv "$swlog.txt" "$swlog"; }
	{
		echo "xtest-host: boot $n, $(grep -c . "$remaining") case(s) left, $boot_secs s"
		cat "$nwlog"
		case $killed in
		"") ;;
		boot:*) echo "xtest-host: ${killed}" ;;
		*) echo "xtest-host: killed $killed" ;;
		esac
	} >>"$all_log"
	# The guest's count of the binary's cases, once.
	if [ $count_checked -eq 0 ] && grep -q '^xtest-count: end' "$nwlog"; then
		count_checked=1
		got=$(sed -n '/^xtest-count: begin/,/^xtest-count: end/s/^\([0-9][0-9]*\) test cases* .*skipped.*/\1/p' "$nwlog" | head -1)
		if [ "$got" != "$nall" ]; then
			hfail "case list: xtest counts ${got:-no} regression cases, its binary names $nall (log: $nwlog)"
		fi
	fi
	# What is left: the cases this boot did not begin.
	begun=$(sed -En 's/^xtest-case: begin ([0-9][0-9a-z_]*)$/\1/p' "$nwlog")
	if [ -z "$begun" ]; then
		hfail "boot $n: Linux did not reach the first case (${killed:-QEMU exited}; logs: $nwlog, $swlog)"
		echo "xtest-host: not run: boot $n reached no case" >>"$all_log"
		boots_ok=0
		break
	fi
	grep -vxF -f <(echo "$begun") "$remaining" >"$remaining.new" || true
	mv "$remaining.new" "$remaining"
done
t_end=$(date +%s)
[ $count_checked -eq 1 ] || [ $boots_ok -eq 0 ] || hfail "case list: the guest did not count xtest's cases"

# ---- the verdicts ----
report=$("$root/scripts/xtest/report.sh" "$cases" "$all_log")
# Kept for scripts/xtest/compare.sh (docs/xtest.md's table).
echo "$report" >"$logs/$name.report"
grep -v -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$report"
if [ $stack = optee ]; then
	ver=$(sed -n 's/^I\/TC: OP-TEE version: \([^ ]*\).*/\1/p' "$logs/$name.boot1.secure.log" 2>/dev/null | head -1)
	what="OP-TEE ${ver:-?} (optee-os $OPTEE_VERSION, TF-A $TFA_VERSION)"
else
	what="MicroTEE $(git -C "$root" describe --always --dirty 2>/dev/null) ($(basename "$image"))"
fi
xver=$(awk '$1 == "optee-test-qemu" { print $2 }' "$root/build/cache/xtest/xtest-packages.txt")
echo "# $name: $what; optee-test-qemu $xver; Linux $(cat "$root/build/cache/nw-kernel/version"), -smp $smp"
echo "# $name: $ncases case(s), timeout $case_timeout s each; wall time $((t_end - t_run)) s in $n boot(s) (logs: $all_log)"
line=$(tail -n 1 <<<"$report")
p=${line%% passed*}
f=${line#* passed, }
f=${f%% failed}
echo "$p passed, $((f + harness_failed)) failed"
[ $((f + harness_failed)) -eq 0 ]
