#!/usr/bin/env bash
# make check: host unit tests, make verify (verify/check.sh: the
# runtime-verification monitors' generator, SPIN, the monitors' detection
# tests), a short run of each fuzzing harness
# (tests/fuzz/run.sh, FUZZ_CHECK_SECONDS each), the system tests that boot QEMU, and the
# boot of Debian's Linux under MicroTEE, the TEE tests run from it (OP-TEE's own
# binary TAs too: tests/system/utee.sh), and the
# monitor's refusal of crafted normal-world images, all on the test image
# (build/microtee-test.bin); then the production image's contents and boot,
# the TA kit used from outside the tree (tests/system/ta_kit.sh), a gdb
# session of make debug-secure (tests/system/debug.sh), a traced call of
# make trace (tests/system/trace.sh) and the host test of
# make xtest's verdicts (scripts/xtest/report_test.sh).
# The last line is the total: `N passed, M failed`.
set -uo pipefail
B=${1:-build}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
suites=0
suite() { # runs one suite, which ends with its own `N passed, M failed`
	suites=$((suites + 1))
	"$@" 2>&1 | tee -a "$out" || status=1
}
suite make --no-print-directory -f tests/unit/unit.mk B="$B"
suite verify/check.sh "$B"
suite tests/fuzz/run.sh "$B" "${FUZZ_CHECK_SECONDS:-18}"
suite tests/system/run.sh "$B/microtee-test.bin"
suite tests/system/linux_boot.sh "$B/microtee-test.bin"
suite tests/system/nw_tee.sh "$B/microtee-test.bin"
suite tests/system/utee.sh "$B/microtee-test.bin"
suite tests/system/ns_image.sh "$B/microtee-test.bin"
suite tests/system/production.sh
suite tests/system/ta_kit.sh
suite tests/system/debug.sh
suite tests/system/trace.sh
suite scripts/xtest/report_test.sh
p=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$out" | awk '{p+=$1} END {print p+0}')
f=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$out" | awk '{f+=$3} END {print f+0}')
# A suite that died before its summary counts as a failure.
[ "$(grep -Ec '^[0-9]+ passed, [0-9]+ failed' "$out")" -eq "$suites" ] || { f=$((f + 1)); status=1; }
[ "$f" -eq 0 ] || status=1
# The failures again, just above the total, so that a log cut short (CI's,
# or make check-fresh's tail) still names them.
grep -E '^(FAIL|not ok)\b|: FAILED: ' "$out" | head -n 20 | sed 's/^/# failed: /'
echo "$p passed, $f failed"
# For make check-fresh, which compares its count with this one: the commit,
# when the tracked files are exactly that commit's.
if git diff --quiet HEAD -- 2>/dev/null; then
	echo "$(git rev-parse HEAD) $p passed, $f failed" >"$B/check-summary.txt"
else
	rm -f "$B/check-summary.txt"
fi
exit $status
