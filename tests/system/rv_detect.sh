#!/usr/bin/env bash
# rv_detect.sh [MODEL...] — the runtime-verification monitors detect a wrong
# transition (docs/verification.md). For each monitor, a test build
# (RV_DROP=MODEL:STATE:EVENT, verify/verify.mk) leaves one transition out of
# its automaton, so that the code's own transition there is a wrong one for
# the monitor; a boot that takes it must show the report (model, object,
# state, event) and its consequence: the kernel panics, a service ends and
# init restarts it. The builds go to $RV_DETECT_B (default build/rvdetect,
# sharing build/cache), so the tree's own build is never touched. One QEMU
# at a time. Prints `ok - ...`/`FAIL - ...` and `N passed, M failed` last.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
B=${RV_DETECT_B:-build/rvdetect}
logs=${LOGDIR:-build/test-logs}/rv_detect
timeout_s=${TEST_TIMEOUT:-60}
mkdir -p "$B" "$logs" build/cache
[ -e "$B/cache" ] || ln -s "$root/build/cache" "$B/cache"

# model | the transition left out | boot command line | extra QEMU arguments
# | the report | the consequence (grep -E, on the secure console)
hex='0x[0-9a-f]+'
cases=(
	"ipc|ipc:idle:call_delivered|test=ipc||\\[rv\\] VIOLATION kernel: model ipc, object $hex, state idle, event call_delivered|\\[kernel\\] KERNEL PANIC: runtime verification: ipc"
	"thread|thread:inactive:ready|test=ipc||\\[rv\\] VIOLATION kernel: model thread, object $hex, state inactive, event ready|\\[kernel\\] KERNEL PANIC: runtime verification: thread"
	"nwcall|nwcall:running:complete|test=demo nw|-kernel @B@/nwtest.bin|\\[rv\\] VIOLATION kernel: model nwcall, object $hex, state running, event complete|\\[kernel\\] KERNEL PANIC: runtime verification: nwcall"
	"session|session:opening:open_ok|test=demo nw|-kernel @B@/nwtest.bin|\\[rv\\] VIOLATION gateway: model session, object $hex, state opening, event open_ok|\\[rv\\] gateway ends;\\[init\\] restarted gateway"
	"instance|instance:starting:started|test=demo nw|-kernel @B@/nwtest.bin|\\[rv\\] VIOLATION gateway: model instance, object $hex, state starting, event started|\\[rv\\] gateway ends;\\[init\\] restarted gateway"
	"commit|commit:clean:rec_body|test=storage||\\[rv\\] VIOLATION storage: model commit, object $hex, state clean, event rec_body|\\[rv\\] storage ends;\\[init\\] restarted storage"
)

passed=0
failed=0
verdict() { # verdict NAME PROBLEM...
	local name=$1
	shift
	if [ $# -eq 0 ]; then
		echo "ok - rv_detect/$name"
		passed=$((passed + 1))
	else
		echo "FAIL - rv_detect/$name: $*"
		failed=$((failed + 1))
	fi
}
for c in "${cases[@]}"; do
	IFS='|' read -r model drop cmdline extra report consequence <<<"$c"
	if [ $# -gt 0 ] && [[ " $* " != *" $model "* ]]; then
		continue
	fi
	log="$logs/$model.log"
	if ! make --no-print-directory -j2 B="$B" RV_DROP="$drop" "$B/microtee-test.bin" "$B/nwtest.bin" \
		>"$logs/$model.build.log" 2>&1; then
		verdict "$model" "the build without $drop failed (log: $logs/$model.build.log)"
		continue
	fi
	read -ra extra_args <<<"${extra//@B@/$B}"
	NW_CONSOLE="file:$logs/$model.nw.log" timeout "$timeout_s" scripts/run-qemu.sh \
		"$B/microtee-test.bin" "$cmdline" "${extra_args[@]}" >"$log" 2>&1 </dev/null
	problems=()
	grep -Eq "$report" "$log" || problems+=("no report /$report/ (log: $log)")
	IFS=';' read -ra pats <<<"$consequence"
	for p in "${pats[@]}"; do
		grep -Eq "$p" "$log" || problems+=("missing /$p/ (log: $log)")
	done
	# Exactly the injected one: every report names the left-out transition.
	n=$(grep -c '\[rv\] VIOLATION' "$log")
	[ "$(grep -Ec "$report" "$log")" -eq "$n" ] || problems+=("a report of another transition (log: $log)")
	verdict "$model" "${problems[@]}"
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
