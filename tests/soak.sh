#!/usr/bin/env bash
# make soak: the long runs that do not fit in make check. Each part is a
# suite of its own that prints `ok - ...` or `FAIL - ...`/`not ok - ...`
# lines and ends with `N passed, M failed`; this script runs the parts in
# turn, says how long each took, and adds their counts up into its last
# line, `N passed, M failed`. A part that ends without its summary line,
# exits non-zero with no failure counted, or runs no check at all counts
# one more failure; so does a soak that ran no check.
#
# Usage: tests/soak.sh [BUILD_DIR [PART...]] (default: build, every part).
# Environment: SOAK_FUZZ_SECONDS (each libFuzzer harness, default 60),
# SOAK_SYSCALL_TIMEOUT (the 10^6-call boot's limit, default 600 s),
# FUZZ_CALLS and FUZZ_SEED (the normal-world fuzzer's, tests/system/nw_fuzz.sh).
#
# Adding a part: write a function part_NAME that runs it (from the top of
# the tree, the build in $B) and add NAME to `parts` below.
set -uo pipefail
B=${1:-build}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")/.."

parts=(syscall_fuzz nw_fuzz libfuzzer)

# test=fuzz with 10^6 system calls from a fresh seed (tests/system/run.sh's
# on-request test fuzz_1m), then the seed and how to replay the run.
part_syscall_fuzz() {
	local logs=$B/test-logs
	LOGDIR=$logs TEST_TIMEOUT=${SOAK_SYSCALL_TIMEOUT:-600} \
		tests/system/run.sh "$B/microtee-test.bin" fuzz_1m
	local rc=$? seedline timing
	seedline=$(grep -a -m1 '^test_fuzz: seed ' "$logs/fuzz_1m.log" 2>/dev/null)
	timing=$(grep -a -m1 -Eo '^test_fuzz: [0-9]+ ms' "$logs/fuzz_1m.log" 2>/dev/null)
	echo "# ${seedline:-test_fuzz printed no seed (log: $logs/fuzz_1m.log)}"
	[ -n "$timing" ] && echo "# ${timing} for the calls (the guest's counter)"
	if [ -n "$seedline" ]; then
		local replay=${seedline#*replay with: }
		echo "# replay: make run-secure CMDLINE=\"$replay\""
	fi
	return $rc
}

# The normal-world message fuzzer: 10^6 OP-TEE calls from a module of
# Debian's kernel on both CPUs (tests/system/nw_fuzz.sh; FUZZ_CALLS and
# FUZZ_SEED pass through).
part_nw_fuzz() {
	LOGDIR=$B/test-logs tests/system/nw_fuzz.sh "$B/microtee-test.bin"
}

# Every libFuzzer harness for SOAK_FUZZ_SECONDS (make check gives each 18 s).
part_libfuzzer() {
	tests/fuzz/run.sh "$B" "${SOAK_FUZZ_SECONDS:-60}"
}

[ $# -gt 0 ] && parts=("$@")
passed=0
failed=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for part in "${parts[@]}"; do
	if ! declare -F "part_$part" >/dev/null; then
		echo "not ok - soak/$part: no such part"
		failed=$((failed + 1))
		continue
	fi
	t0=$(date +%s)
	"part_$part" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	echo "# soak/$part: $(($(date +%s) - t0)) s"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "not ok - soak/$part: ended without its summary line (status $rc)"
		failed=$((failed + 1))
		continue
	fi
	p=${line%% passed*}
	f=${line#* passed, }
	f=${f%% failed}
	passed=$((passed + p))
	failed=$((failed + f))
	if [ $((p + f)) -eq 0 ]; then
		echo "not ok - soak/$part: ran no checks"
		failed=$((failed + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - soak/$part: exited with status $rc"
		failed=$((failed + 1))
	fi
done
if [ $((passed + failed)) -eq 0 ]; then
	echo "not ok - soak: no checks ran"
	failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
