#!/usr/bin/env bash
# gate.sh — CI's regression gate over make xtest (docs/xtest.md): runs the
# whole suite (tests/system/xtest.sh on the production image), then holds
# its verdicts against tests/xtest/passing.txt, the cases that pass on
# MicroTEE today.
#   - every listed case must pass: a listed case that fails is a regression
#     (`not ok - xtest-gate/C: ...`);
#   - a case that passes and is not listed is reported (`# xtest-gate: C
#     passes now: add it to tests/xtest/passing.txt`) and counts as a pass;
#   - the harness itself must have worked: the run's report exists and
#     names every case of the list.
# make xtest's own lines (every case, the per-group counts) come first; the
# last line is this gate's `N passed, M failed`. make xtest alone stays the
# honest count, with every case that does not pass as a failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
B=$root/build
list=${XTEST_PASSING:-$root/tests/xtest/passing.txt}
# XTEST_GATE_REPORT: judge that report of an earlier run instead of running.
report=${XTEST_GATE_REPORT:-$B/test-logs/xtest.report}
if [[ -z ${XTEST_GATE_REPORT:-} ]]; then
	rm -f "$report"
	# (make xtest's own last line is left out: this gate's is the one counted.)
	XTEST_CASES=all "$root/tests/system/xtest.sh" "$B/microtee.bin" 2>&1 |
		grep --line-buffered -v -E '^[0-9]+ passed, [0-9]+ failed$'
fi
passed=0 failed=0
if [[ ! -s $report ]]; then
	echo "not ok - xtest-gate/report: make xtest left no report ($report)"
	echo "0 passed, 1 failed"
	exit 1
fi
mapfile -t want < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')
for c in "${want[@]}"; do
	line=$(grep -E "^(ok|not ok) - xtest/$c(:|$)" "$report" | head -n 1)
	if [[ $line == "ok - xtest/$c" ]]; then
		echo "ok - xtest-gate/$c"
		passed=$((passed + 1))
	elif [[ -z $line ]]; then
		echo "not ok - xtest-gate/$c: the run has no verdict for it"
		failed=$((failed + 1))
	else
		echo "not ok - xtest-gate/$c: passed before, now ${line#*: }"
		failed=$((failed + 1))
	fi
done
while read -r c; do
	printf '%s\n' "${want[@]}" | grep -qx "$c" && continue
	echo "# xtest-gate: $c passes now: add it to tests/xtest/passing.txt"
	passed=$((passed + 1))
done < <(sed -n 's/^ok - xtest\/\([^ :]*\)$/\1/p' "$report")
echo "# xtest-gate: ${#want[@]} cases listed in ${list#"$root/"}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
