#!/usr/bin/env bash
# make check: host unit tests, a short run of each fuzzing harness
# (tests/fuzz/run.sh, FUZZ_CHECK_SECONDS each), the system tests that boot QEMU, and the
# boot of Debian's Linux under MicroTEE, the TEE tests run from it, and the
# monitor's refusal of crafted normal-world images, all on the test image
# (build/microtee-test.bin); then the production image's contents and boot,
# and the host test of make xtest's verdicts (scripts/xtest/report_test.sh).
# The last line is the total: `N passed, M failed`.
set -uo pipefail
B=${1:-build}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
make --no-print-directory -f tests/unit/unit.mk B="$B" 2>&1 | tee -a "$out" || status=1
tests/fuzz/run.sh "$B" "${FUZZ_CHECK_SECONDS:-18}" 2>&1 | tee -a "$out" || status=1
tests/system/run.sh "$B/microtee-test.bin" 2>&1 | tee -a "$out" || status=1
tests/system/linux_boot.sh "$B/microtee-test.bin" 2>&1 | tee -a "$out" || status=1
tests/system/nw_tee.sh "$B/microtee-test.bin" 2>&1 | tee -a "$out" || status=1
tests/system/ns_image.sh "$B/microtee-test.bin" 2>&1 | tee -a "$out" || status=1
tests/system/production.sh 2>&1 | tee -a "$out" || status=1
scripts/xtest/report_test.sh 2>&1 | tee -a "$out" || status=1
p=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$out" | awk '{p+=$1} END {print p+0}')
f=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$out" | awk '{f+=$3} END {print f+0}')
# A suite that died before its summary counts as a failure.
[ "$(grep -Ec '^[0-9]+ passed, [0-9]+ failed' "$out")" -eq 8 ] || { f=$((f + 1)); status=1; }
[ "$f" -eq 0 ] || status=1
echo "$p passed, $f failed"
# For make check-fresh, which compares its count with this one: the commit,
# when the tracked files are exactly that commit's.
if git diff --quiet HEAD -- 2>/dev/null; then
	echo "$(git rev-parse HEAD) $p passed, $f failed" >"$B/check-summary.txt"
else
	rm -f "$B/check-summary.txt"
fi
exit $status
