#!/usr/bin/env bash
# report.sh — the verdicts of an xtest run (tests/system/xtest.sh), from the
# normal world's console log of its boots.
#
# Usage: scripts/xtest/report.sh CASES LOG
#   CASES  the cases that were to run, one a line: the part of xtest's
#          name after regression_ (1001, 4007_ecc)
#   LOG    the boots' console logs, one after the other (CRs removed), with
#          scripts/xtest/rc.xtest's markers and the host's own lines:
#            xtest-case: begin C / xtest-case: end C status S time T s
#            xtest-host: killed C after T s: REASON   (the watchdog)
#            xtest-host: not run: REASON              (no boot got that far)
#
# A case's verdict, from xtest's output between its two markers:
#   pass  its summary says 1 test case, 0 failed, and it ran at least one
#         subtest, and xtest exited with 0;
#   skip  xtest said SKIPPED, or the case ran zero subtests (xtest returns
#         early, with no check, when a prerequisite is missing: that is not
#         a pass);
#   fail  anything else: a failed subtest, no summary (xtest crashed), a
#         non-zero exit, the case's timeout, no end marker (the machine hung
#         or stopped and was rebooted), the case never ran, or this xtest
#         has no such case.
# Prints one line per case, `ok - xtest/C` or `not ok - xtest/C: REASON`
# (skipped cases too are `not ok`, their reason starting with "skipped"),
# then `xtest: N passed, M failed, K skipped (Gxxx)` per group (the first
# digit of the case), `xtest: N passed, M failed, K skipped (total)`,
# and last the project's `N passed, M failed`, in which a skipped case
# counts as failed (a check that did not run is not a pass). The exit
# status is 0 only if every case passed.
set -euo pipefail
(($# == 2)) || { echo "usage: $0 CASES LOG" >&2; exit 2; }
cases=$1
log=$2
[[ -r $cases ]] || { echo "$0: cannot read $cases" >&2; exit 2; }
[[ -r $log ]] || { echo "$0: cannot read $log" >&2; exit 2; }

awk '
function reset_case() {
	subtests = -1; subfailed = -1; ncases = -1; casefailed = -1
	result = ""; why = ""; firsterr = ""; hint = ""; other = ""; firstmsg = ""; aborted = 0; incase = 0
}
function clip(t) {
	sub(/^[ \t]+/, "", t); sub(/[ \t]+$/, "", t)
	return length(t) > 100 ? substr(t, 1, 100) "..." : t
}
# The first pass reads the case list, the second the log.
FNR == NR {
	if ($1 ~ /^[0-9][0-9a-z_]*$/ && !($1 in wanted)) { wanted[$1] = 1; order[++n] = $1 }
	next
}
{ sub(/\r$/, "") }
match($0, /xtest-host: not run: .*/) {
	notrun = substr($0, RSTART + 21, RLENGTH - 21)
	next
}
match($0, /xtest-host: killed [0-9][0-9a-z_]* after [0-9.]+ s: .*/) {
	split(substr($0, RSTART, RLENGTH), w, " ")
	c = w[3]
	if (c in begun && !(c in verdict)) {
		r = substr($0, RSTART, RLENGTH); sub(/^xtest-host: killed [0-9][0-9a-z_]* /, "", r)
		verdict[c] = "fail"; reason[c] = "no result: " r
	}
	cur = ""
	next
}
match($0, /xtest-case: begin [0-9][0-9a-z_]*/) {
	split(substr($0, RSTART, RLENGTH), w, " ")
	cur = w[3]; begun[cur] = 1; delete verdict[cur]; delete reason[cur]
	reset_case()
	next
}
match($0, /xtest-case: end [0-9][0-9a-z_]* status [0-9]+( time [0-9.]+ s)?/) {
	split(substr($0, RSTART, RLENGTH), w, " ")
	c = w[3]; st = w[5] + 0; secs = w[7]
	if (c != cur) next      # an end without its begin: ignore it
	cur = ""
	if (st == 137 || st == 124) {
		v = "fail"; r = "timeout: killed after " secs " s"
	} else if (ncases < 0) {
		v = "fail"
		r = st > 128 ? "xtest died of signal " (st - 128) " before its summary" \
			     : "no xtest summary (exit status " st ")"
	} else if (ncases == 0) {
		v = "fail"; r = "no case regression_" c " in this xtest"
	} else if (ncases > 1) {
		v = "fail"; r = "regression_" c " names " ncases " cases, not one"
	} else if (result == "SKIPPED") {
		v = "skip"; r = "skipped: " (why != "" ? why : "xtest says SKIPPED")
	} else if (aborted || subfailed > 0 || casefailed > 0 || result == "FAILED") {
		v = "fail"
		r = (subfailed > 0 ? subfailed " of " subtests " subtests failed" : "case failed")
		if (firsterr != "") { sub(/^\.\/host\/xtest\//, "", firsterr); r = r ", first at " firsterr }
		if (firstmsg != "") r = r ": " firstmsg
		if (aborted) r = r ", suite aborted"
	} else if (subtests == 0) {
		v = "skip"; r = "skipped: ran zero subtests"
		if (hint == "") hint = other
		if (hint != "") r = r " (xtest: " hint ")"
	} else if (st != 0) {
		v = "fail"; r = "exit status " st " with no failed subtest"
	} else {
		v = "pass"; r = ""
	}
	verdict[c] = v; reason[c] = r
	next
}
cur == "" { next }
# Inside a case: xtest (adbg) output.
match($0, /[0-9]+ subtests? of which [0-9]+ failed/) {
	split(substr($0, RSTART, RLENGTH), w, " "); subtests = w[1] + 0; subfailed = w[5] + 0
	next
}
match($0, /[0-9]+ test cases? of which [0-9]+ failed/) {
	split(substr($0, RSTART, RLENGTH), w, " "); ncases = w[1] + 0; casefailed = w[6] + 0
	next
}
/Test suite was ABORTED/ { aborted = 1; next }
match($0, "regression_" cur " SKIPPED: .*") {
	result = "SKIPPED"; why = substr($0, RSTART + length("regression_" cur " SKIPPED: "))
	gsub(/^"|"$/, "", why)
	next
}
match($0, "^regression_" cur " FAILED( first error at .*)?$") {
	result = "FAILED"
	if (match($0, /first error at .*/)) firsterr = substr($0, RSTART + 15)
	next
}
$0 == "regression_" cur " OK" { if (result == "") result = "OK"; next }
# What xtest said, for a case that ran no subtest: its first line with
# "skip", else its first line of its own (not one of the framework).
/^\* regression_/ { incase = 1; next }
# The first failed check: what xtest got and what it expected.
firstmsg == "" && match($0, /has an unexpected value: .*/) {
	firstmsg = clip(substr($0, RSTART + 24))
	next
}
/^(\+-|Result of testsuite|  regression_|o regression_|regression_)/ { next }
incase && /[^ \t]/ && !/test cases? .*skipped/ {
	if (hint == "" && /[Ss]kip/) hint = clip($0)
	if (other == "") other = clip($0)
	next
}
END {
	for (i = 1; i <= n; i++) {
		c = order[i]; g = substr(c, 1, 1) "xxx"
		if (!(g in gseen)) { gseen[g] = 1; gorder[++ng] = g }
		if (!(c in verdict)) {
			if (c in begun) { v = "fail"; r = "no result: the machine stopped during the case" }
			else { v = "fail"; r = "not run" (notrun != "" ? ": " notrun : "") }
		} else { v = verdict[c]; r = reason[c] }
		if (v == "pass") print "ok - xtest/" c
		else print "not ok - xtest/" c ": " r
		cnt[g, v]++; cnt["total", v]++
	}
	for (i = 1; i <= ng; i++) {
		g = gorder[i]
		printf "xtest: %d passed, %d failed, %d skipped (%s)\n", cnt[g, "pass"], cnt[g, "fail"], cnt[g, "skip"], g
	}
	printf "xtest: %d passed, %d failed, %d skipped (total, %d cases)\n", cnt["total", "pass"], cnt["total", "fail"], cnt["total", "skip"], n
	printf "%d passed, %d failed\n", cnt["total", "pass"], cnt["total", "fail"] + cnt["total", "skip"]
	exit (n > 0 && cnt["total", "pass"] == n) ? 0 : 1
}
' "$cases" "$log"
