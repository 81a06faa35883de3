#!/usr/bin/env bash
# compare.sh — the two pass lists side by side, as the Markdown table of
# docs/xtest.md, from the outputs of `make xtest` and `make xtest-optee`
# (tests/system/xtest.sh saves them as build/test-logs/xtest.report and
# build/test-logs/xtest-optee.report).
#
# Usage: scripts/xtest/compare.sh [MICROTEE_REPORT [OPTEE_REPORT]]
# One row per case: pass/fail/skip on each stack and, where MicroTEE does
# not pass, the cause as far as its log tells (a few known patterns, else
# the report's own reason); then the counts.
set -euo pipefail
logs=$(cd "$(dirname "$0")/../.." && pwd)/build/test-logs
mt=${1:-$logs/xtest.report}
op=${2:-$logs/xtest-optee.report}
for f in "$mt" "$op"; do
	[[ -r $f ]] || { echo "compare: cannot read $f (run make xtest and make xtest-optee)" >&2; exit 1; }
done
awk '
function verdict(line,   r) {
	if (line ~ /^ok - /) return "pass"
	r = line; sub(/^not ok - xtest\/[^:]*: /, "", r)
	return r ~ /^skipped/ ? "skip" : "fail"
}
function reason(line) { sub(/^(not )?ok - xtest\/[^:]*(: )?/, "", line); gsub(/\|/, "\\|", line); return line }
# The cause, as far as the log tells, for the results seen so far; any other
# result is given as the report put it.
function cause(r) {
	if (r ~ /TEEC_ERROR_SECURITY/) return "TA load refused: an OP-TEE-signed binary TA (secure log: bad signature)"
	if (r ~ /pseudo TA not found/) return "needs an OP-TEE pseudo-TA (not found)"
	if (r ~ /init_storage_info/) return "the storage TA is refused, so xtest'"'"'s storage probe fails before any subtest"
	if (r ~ /OUT_OF_MEMORY - ignored/) return "the large TA did not load (TEEC_ERROR_OUT_OF_MEMORY, which xtest ignores)"
	if (r ~ /fTPM TA not present/) return "no fTPM TA (none in optee-test-qemu)"
	return r
}
/^(not )?ok - xtest\/[0-9]/ {
	c = $0; sub(/^(not )?ok - xtest\//, "", c); sub(/:.*/, "", c)
	if (FILENAME == mt) { m[c] = verdict($0); mr[c] = reason($0) }
	else { o[c] = verdict($0) }
	if (!(c in seen)) { seen[c] = 1; order[++n] = c }
}
END {
	print "| case | MicroTEE | OP-TEE | why not on MicroTEE (from the log) |"
	print "|---|---|---|---|"
	for (i = 1; i <= n; i++) {
		c = order[i]
		mv = (c in m) ? m[c] : "-"; ov = (c in o) ? o[c] : "-"
		printf "| %s | %s | %s | %s |\n", c, mv, ov, (mv != "pass" ? cause(mr[c]) : "")
		cm[mv]++; co[ov]++
		if (ov == "pass" && mv != "pass") gap++
	}
	printf "\nMicroTEE: %d passed, %d failed, %d skipped; OP-TEE: %d passed, %d failed, %d skipped, of %d cases.\n", \
		cm["pass"], cm["fail"], cm["skip"], co["pass"], co["fail"], co["skip"], n
	printf "Cases OP-TEE passes and MicroTEE does not: %d.\n", gap
}
' mt="$mt" "$mt" "$op"
