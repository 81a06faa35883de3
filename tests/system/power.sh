#!/usr/bin/env bash
# power.sh [MODE] [IMAGE]: power cuts under QEMU (docs/testing.md, "Power cuts
# under QEMU"). MODE quick (make check, through tests/system/run.sh) or full
# (make power, CI). The power is cut by host/powercut, a QEMU plugin that
# ends QEMU (no flush, no further guest instruction) once the guest has run
# a chosen number of instructions; the machine then boots again on the same
# flash0 image (and the same disk), and the workload's objects are checked.
#
# The workload (ta/storage_test/include/storage_power.h): steps that put or
# delete objects pc/0..pc/3 of the storage test TA, each logged
# ("power: commit S") once the TA answered, before the next one starts.
# After a cut an object must hold the state of the last logged step that
# changed it, or that of the first unlogged step if that one changes it:
# anything else, a store that does not mount, an object that does not read
# or an update refused after the cut is a FAIL.
#
# 1. The secure flash (TEE_STORAGE_PRIVATE_RPMB; boots of the secure world
#    alone, scenarios power_work and power_check): under -icount shift=0,
#    sleep=off and a fixed -seed the run is deterministic (the same count
#    cuts at the same point: checked). A first run traces every store to the
#    non-volatile area of flash0 with its instruction count; the cuts come
#    right after stores spread over the first PC_WINDOW steps' stores, each
#    from the same base image. A cut point's state is the non-volatile
#    area's contents after the cut; distinct states are counted.
# 2. The normal world's disk (Linux, host/nw/storage_power: objects 0..2 are
#    TEE_STORAGE_PRIVATE_REE files on an ext4 virtio disk, object 3 is on
#    the flash): a chain of boots on one flash image and one disk, each
#    checking what the cut before it left, then running the next steps until
#    its cut, at a count spread over the window a first, uncut boot measured
#    (the disk's I/O makes these runs less than exact). A state is the
#    flash's non-volatile area and the REE files as Linux lists them.
# Environment: POWER_FLASH_CUTS, POWER_REE_CUTS (defaults by MODE).
# Prints `ok - power/...` / `FAIL - power/...`; last line `N passed, M failed`
# in full mode, `power: N passed, M failed` in quick mode (inside run.sh).
set -uo pipefail
mode=quick
case ${1:-} in quick | full) mode=$1 && shift ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
image=${1:-$root/build/microtee-test.bin}
logs=${LOGDIR:-$root/build/test-logs}
dir=$logs/power
case $mode in
quick) flash_cuts=${POWER_FLASH_CUTS:-10} ree_cuts=${POWER_REE_CUTS:-1} ;;
full) flash_cuts=${POWER_FLASH_CUTS:-210} ree_cuts=${POWER_REE_CUTS:-40} ;;
esac
timeout_s=${TEST_TIMEOUT:-120}
rm -rf "$dir"
mkdir -p "$dir"
passed=0
failed=0
ok() { echo "ok - power/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL - power/$1: $2"; failed=$((failed + 1)); }
finish() {
	if [ "$mode" = full ]; then
		echo "$passed passed, $failed failed"
	else
		echo "power: $passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ]
	exit
}
plugin=$root/build/host/powercut.so
if ! make -s -C "$root" build/host/powercut.so >"$dir/plugin.log" 2>&1; then
	fail plugin "build host/powercut (log $dir/plugin.log)"
	finish
fi
# shellcheck source=tests/system/platform.sh
source "$root/tests/system/platform.sh"
# The non-volatile area of flash0 (storage, rollback counters, key area).
nv_base=$(plat PLAT_FLASH0_STORE_BASE)
nv_end=$((64 * 1024 * 1024))
nv_hash() { # IMAGE: the md5 of its non-volatile area
	dd if="$1" bs=64k skip=$((nv_base / 65536)) status=none | md5sum | cut -d' ' -f1
}
trace_arg=$(printf 'trace=%x:%x' "$nv_base" "$nv_end")
# Deterministic runs: instructions are the clock, idle time is skipped, and
# the guest's random numbers (RNDR) come from a fixed seed.
icount=(-seed 7 -icount shift=0,sleep=off)
steps=48   # test_storage's PC_STEPS
window=8   # the flash cuts come in the stores of the first steps

# The verdict on one cut: judge WORKLOG CHECKLOG [FIRST LAST STATELOG].
# WORKLOG has the cut run's "power: commit S" lines, CHECKLOG the check's
# "power: object J ..." lines. Steps FIRST..LAST were run (1..48 if not
# given); objects no committed step of the run changed must be as
# STATELOG's check lines say (absent if not given). Prints "consistent" or
# what was wrong.
judge() {
	local work=$1 check=$2 first=${3:-1} last=${4:-$steps} state=${5:-/dev/null}
	awk -v first="$first" -v last="$last" -v K=4 -v D=7 '
	function st(s) { return (s == 0 || s % D == 0) ? "absent" : "step " s }
	{ sub(/\r$/, "") }
	FILENAME == ARGV[1] && /^power: commit [0-9]+/ { L = $3 + 0 }
	FILENAME == ARGV[2] && /^power: object [0-9]+ / { o = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); base[o] = $0 }
	FILENAME == ARGV[3] && /^power: object [0-9]+ / { o = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); seen[o] = $0 }
	FILENAME == ARGV[3] && /^power: check done/ { done = 1 }
	END {
		if (!L) L = first - 1
		bad = ""
		for (j = 0; j < K; j++) {
			a = (j in base) ? base[j] : "absent"
			for (s = first; s <= L; s++) if (s % K == j) a = st(s)
			b = ""
			if (L + 1 <= last && (L + 1) % K == j) b = st(L + 1)
			if (!(j in seen)) { bad = bad " object " j " not checked;"; continue }
			if (seen[j] != a && seen[j] != b)
				bad = bad " object " j ": " seen[j] " (last commit " L ": " a (b != "" ? " or " b : "") ");"
		}
		if (!done) bad = bad " the check did not finish;"
		print bad == "" ? "consistent" : bad
	}' "$work" "$state" "$check"
}

# phase CUR NXT FIRST LAST: the cut's place in its boot's steps: how many steps
# were logged, whether the step in flight had taken effect, how many REE files
# the next boot found
phase() {
	awk -v first="$3" -v last="$4" -v K=4 -v D=7 '
	{ sub(/\r$/, "") }
	function st(s) { return (s == 0 || s % D == 0) ? "absent" : "step " s }
	FILENAME == ARGV[1] && /^power: commit [0-9]+/ { L = $3 + 0 }
	FILENAME == ARGV[2] && /^power: object [0-9]+ / { o = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); seen[o] = $0 }
	FILENAME == ARGV[2] && /^power: file before/ { n++ }
	END {
		if (!L) L = first - 1
		f = "none"
		if (L + 1 <= last) f = (seen[(L + 1) % K] == st(L + 1)) ? "taken" : "not-taken"
		print L - first + 1, f, n + 0
	}' "$1" "$2"
}

# ---- 1. the secure flash ----
# (POWER_PARTS="ree" or "flash" runs one part only, when debugging.)
parts=${POWER_PARTS:-flash ree}
flash_states=0 tried=0 consistent=0
if [[ " $parts " == *" flash "* ]]; then
sboot() { # LOG FLASH SCENARIO [qemu args]: a boot of the secure world alone
	local log=$1 flash=$2 scen=$3
	shift 3
	FLASH=$flash timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=$scen" "$@" \
		>"$log" 2>&1 </dev/null
}
pass_log() { grep -q "\[init\] RESULT: PASS" "$1" && grep -q "\[mon\] SYSTEM_OFF" "$1"; }
fdir=$dir/flash
mkdir -p "$fdir"
sboot "$fdir/base.log" "$fdir/base.img" power_check "${icount[@]}"
pass_log "$fdir/base.log" && [ "$(grep -c '^power: object [0-3] absent' "$fdir/base.log")" -eq 4 ]
if [ $? -ne 0 ]; then
	fail flash_base "a new device's check (log $fdir/base.log)"
	finish
fi
ok flash_base
# QEMU 7.2 sometimes crashes (SIGSEGV) at the start of a run with the
# plugin's memory callbacks (the traced runs only): such a run is made again,
# up to three times, and said so.
for try in 1 2 3; do
	cp "$fdir/base.img" "$fdir/run.img"
	sboot "$fdir/trace.log" "$fdir/run.img" power_work "${icount[@]}" \
		-plugin "$plugin,out=$fdir/trace.txt,$trace_arg"
	rc=$?
	[ $rc -ge 128 ] && [ $rc -ne 137 ] && [ $try -lt 3 ] || break
	echo "# power: QEMU died with status $rc in the traced run: again"
done
if ! pass_log "$fdir/trace.log" || [ "$(grep -c '^power: commit' "$fdir/trace.log")" -ne $steps ]; then
	fail flash_trace "the uncut workload (log $fdir/trace.log)"
	finish
fi
# The counts right after each store (one per translation block).
awk '$1 == "store" { print $2 }' "$fdir/trace.txt" | uniq >"$fdir/stores.txt"
nstores=$(wc -l <"$fdir/stores.txt")
end_count=$(awk '$1 == "end" { print $2 }' "$fdir/trace.txt")
ok flash_trace
echo "# power: flash: $nstores stores to the non-volatile area in $steps steps, $end_count instructions"
# Cut points: spread over the stores of the first $window steps.
limit=$((nstores * window / steps))
awk -v n="$flash_cuts" -v m="$limit" 'NR <= m { c[NR] = $1 }
	END { for (i = 0; i < n; i++) print c[1 + int(i * m / n)] }' "$fdir/stores.txt" | uniq >"$fdir/cuts.txt"
declare -A states=()
tried=0 consistent=0 repeat_ok=1
first_cut=
while read -r n; do
	tried=$((tried + 1))
	cp "$fdir/base.img" "$fdir/run.img"
	rm -f "$fdir/cut.txt"
	sboot "$fdir/cut.log" "$fdir/run.img" power_work "${icount[@]}" \
		-plugin "$plugin,out=$fdir/cut.txt,cut=$n"
	rc=$?
	if [ $rc -ne 113 ] || ! grep -q "^cut $n at" "$fdir/cut.txt"; then
		cp "$fdir/cut.log" "$fdir/cut.$n.log"
		fail "flash_cut_$n" "no cut at $n (QEMU status $rc, log $fdir/cut.$n.log)"
		continue
	fi
	h=$(nv_hash "$fdir/run.img")
	states[$h]=1
	# Deterministic: the first cut point again leaves the same flash.
	if [ -z "$first_cut" ]; then
		first_cut=$n first_hash=$h
	fi
	sboot "$fdir/check.log" "$fdir/run.img" power_check
	v=$(judge "$fdir/cut.log" "$fdir/check.log")
	if pass_log "$fdir/check.log" && [ "$v" = consistent ]; then
		consistent=$((consistent + 1))
		[ "$mode" = full ] || ok "flash_cut_$n"
	else
		cp "$fdir/cut.log" "$fdir/cut.$n.log"
		cp "$fdir/check.log" "$fdir/check.$n.log"
		fail "flash_cut_$n" "$v (logs $fdir/cut.$n.log, $fdir/check.$n.log)"
	fi
done <"$fdir/cuts.txt"
if [ -n "$first_cut" ]; then
	cp "$fdir/base.img" "$fdir/run.img"
	sboot "$fdir/again.log" "$fdir/run.img" power_work "${icount[@]}" \
		-plugin "$plugin,out=$fdir/again.txt,cut=$first_cut"
	h=$(nv_hash "$fdir/run.img")
	if [ "$h" = "$first_hash" ]; then ok flash_repeatable; else
		fail flash_repeatable "the cut at $first_cut left another flash the second time"; fi
fi
flash_states=${#states[@]}
echo "# power: flash: $tried cut points tried, $consistent consistent, $flash_states distinct states"
[ "$consistent" -eq "$tried" ] && [ "$tried" -gt 0 ]
check_result=$?
if [ $check_result -eq 0 ]; then ok flash_consistent; else fail flash_consistent "$consistent of $tried"; fi
[ "$mode" = quick ] || { [ "$flash_states" -ge 200 ] && ok flash_distinct ||
	fail flash_distinct "$flash_states distinct states (at least 200 wanted)"; }

fi

# ---- 2. the normal world's disk ----
ree_states=0 rtried=0 rconsistent=0
if [[ " $parts " == *" ree "* ]]; then
ndir=$dir/ree
mkdir -p "$ndir"
if ! "$root/scripts/nw/fetch-debs.sh" >"$ndir/fetch.log" 2>&1 ||
	! make -s -C "$root" -f scripts/nw/nw.mk nw-storage-power >"$ndir/build.log" 2>&1 ||
	! NW_DISK=1 "$root/scripts/nw/mkinitramfs.sh" "$ndir/initrd.cpio.gz" \
		"$here/rc.power:/etc/rc.test" "$root/build/nw/storage_power:/usr/bin/" \
		>"$ndir/initramfs.log" 2>&1; then
	fail ree_build "the normal world (logs in $ndir)"
	finish
fi
nboot() { # LOG ARGS [qemu args]: Linux with the disk; rc.power gets ARGS
	local log=$1 args=$2
	shift 2
	QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on FLASH=$ndir/flash.img DISK=$ndir/disk.img NW_CONSOLE="file:$log.nw" \
		timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=demo nw" "$@" \
		-kernel "$root/build/cache/nw-kernel/Image" -initrd "$ndir/initrd.cpio.gz" \
		-append "console=ttyAMA0 panic=-1 quiet power=$args" >"$log" 2>&1 </dev/null
	local rc=$?
	touch "$log.nw"
	tr -d '\r' <"$log.nw" >"$log.txt"
	return $rc
}
ree_steps=6
marker=d5032e3f # HINT #113: storage_power runs it before its first step
# The first boot: a new device and disk, checked (nothing yet), then steps
# 1..6 uncut, with their stores traced: the window of the cuts.
for try in 1 2 3; do
	rm -f "$ndir/flash.img"
	"$root/scripts/nw/mkdisk.sh" "$ndir/disk.img" || { fail ree_disk "mkdisk.sh"; finish; }
	nboot "$ndir/boot0.log" "1:$ree_steps" "${icount[@]}" \
		-plugin "$plugin,out=$ndir/trace.txt,$trace_arg,from=$marker"
	rc=$?
	[ $rc -ge 128 ] && [ $rc -ne 137 ] && [ $try -lt 3 ] || break
	echo "# power: QEMU died with status $rc in the traced run: again"
done
if ! grep -q "^init: mounted /dev/vda" "$ndir/boot0.log.txt" ||
	[ "$(grep -c '^power: commit' "$ndir/boot0.log.txt")" -ne $ree_steps ] ||
	! grep -q "^power: serving ok" "$ndir/boot0.log.txt"; then
	fail ree_trace "the uncut boot (log $ndir/boot0.log.txt)"
	finish
fi
ok ree_trace
# The window, counted from the marker storage_power runs before its first
# step (HINT #113), to the last store of the steps to the non-volatile area.
from=$(awk '$1 == "from" { print $2 }' "$ndir/trace.txt")
t1=$(awk '$1 == "store" { e = $2 } END { print e }' "$ndir/trace.txt")
if [ -z "$from" ] || [ -z "$t1" ] || [ "$t1" -le "$from" ]; then
	fail ree_window "no marker, or no store after it ($ndir/trace.txt)"
	finish
fi
start=0
span=$((t1 - from))
echo "# power: ree: the window is $span instructions from the marker"
declare -A rstates=() rphases=()
rtried=0 rconsistent=0 early=0
first=$((ree_steps + 1))
bounds=()
for k in $(seq 1 "$ree_cuts"); do
	last=$((first + ree_steps - 1))
	# An even spread over the window (golden-ratio steps).
	n=$(awk -v k="$k" -v s="$start" -v w="$span" 'BEGIN { f = k * 0.6180339887; f -= int(f); printf "%d", s + f * w }')
	nboot "$ndir/boot$k.log" "$first:$last" "${icount[@]}" -plugin "$plugin,out=$ndir/cut$k.txt,from=$marker,cut=$n"
	rc=$?
	if [ $rc -ne 113 ]; then
		fail "ree_cut_$k" "no cut at $n (QEMU status $rc, log $ndir/boot$k.log.txt)"
		break
	fi
	L=$(awk '/^power: commit/ { l = $3 } END { print l + 0 }' "$ndir/boot$k.log.txt")
	[ "$L" -ge "$first" ] || L=$((first - 1))
	bounds[k]="$first $last $(nv_hash "$ndir/flash.img")"
	first=$((L + 2))
done
# The boot after the last cut: its check only.
nboot "$ndir/final.log" check
nk=${#bounds[@]}
# A boot whose cut came before its own check finished changed no object:
# the cut before it is judged by the next check that finished, and it is
# not counted as a cut of the workload.
complete() { grep -q "^power: check done" "$1"; }
for k in $(seq 1 "$nk"); do
	cur=$ndir/boot$k.log.txt
	if ! complete "$cur"; then
		early=$((early + 1))
		continue
	fi
	read -r f l h <<<"${bounds[k]}"
	m=$((k + 1))
	while [ "$m" -le "$nk" ] && ! complete "$ndir/boot$m.log.txt"; do m=$((m + 1)); done
	nxt=$ndir/boot$m.log.txt
	[ "$m" -le "$nk" ] || nxt=$ndir/final.log.txt
	rtried=$((rtried + 1))
	rstates["$h $(grep '^power: file before' "$nxt" | md5sum | cut -d' ' -f1)"]=1
	rphases["$(phase "$cur" "$nxt" "$f" "$l")"]=1
	# Objects the run did not change are as its own check found them.
	v=$(judge "$cur" "$nxt" "$f" "$l" "$cur")
	if [ "$v" = consistent ] && grep -q "^power: serving ok" "$nxt" &&
		grep -q "^init: mounted /dev/vda" "$nxt"; then
		rconsistent=$((rconsistent + 1))
		[ "$mode" = full ] || ok "ree_cut_$k"
	else
		fail "ree_cut_$k" "$v (logs $cur, $nxt)"
	fi
done
[ "$early" -eq 0 ] || echo "# power: ree: $early cuts came before the boot's check ended (not counted)"
ree_states=${#rstates[@]}
echo "# power: ree: $rtried cut points tried, $rconsistent consistent, $ree_states distinct states"
# Each boot of the chain starts from another state, so every cut's state
# differs; its place in the steps says more: how many of its boot's steps
# were logged, whether the step in flight had taken effect, how many REE
# files the next boot found.
echo "# power: ree: ${#rphases[@]} distinct places in the steps (steps logged, step in flight taken, files)"
if [ "$rconsistent" -eq "$rtried" ] && [ "$rtried" -gt 0 ]; then ok ree_consistent; else
	fail ree_consistent "$rconsistent of $rtried"; fi
fi
echo "# power: $((tried + rtried)) cut points tried, $((consistent + rconsistent)) consistent, $((flash_states + ree_states)) distinct states"
finish
