#!/usr/bin/env bash
# report_test.sh — host test of scripts/xtest/report.sh, the verdicts of an
# xtest run: console logs of our own making, in the format of xtest's
# output and of rc.xtest's markers, one kind of case each, and the lines
# and counts the report must give for them (the zero-subtest rule among
# them). Seconds; part of make check. Prints `ok - ...`/`FAIL - ...` and
# `N passed, M failed` last.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
report=$here/report.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { echo "ok - xtest_report/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL - xtest_report/$1"; failed=$((failed + 1)); }

# case_log ID SUBTESTS FAILED RESULT [BODY]: xtest's output for one case,
# as `xtest -t regression regression_ID` prints it, between the markers.
case_log() {
	local id=$1 n=$2 f=$3 result=$4 body=${5:-}
	cat <<EOF
xtest-case: begin $id
Test ID: regression_$id
Run test suite with level=0

TEE test application started over default TEE instance
######################################################
#
# regression
#
######################################################
 
* regression_$id A test case
o regression_$id.1 A subcase
$body
  regression_$id.1 OK
  regression_$id OK
+-----------------------------------------------------
Result of testsuite regression filtered by "regression_$id":
regression_$id $result
+-----------------------------------------------------
$n subtests of which $f failed
1 test case of which $([ "$f" -gt 0 ] && echo 1 || echo 0) failed
107 test cases were skipped
TEE test application done!
EOF
}

log=$tmp/log
{
	echo "xtest-host: boot 1, 12 case(s) left, 30 s"
	echo "xtest-run: start 12 case(s), timeout 120 s"
	# 1001: passes.
	case_log 1001 23 0 OK
	echo "xtest-case: end 1001 status 0 time 1.5 s"
	# 1002: zero subtests (a prerequisite missing): skipped, not passed.
	case_log 1002 0 0 OK " - 1002 -   skip test, pseudo TA not found"
	echo "xtest-case: end 1002 status 0 time 0.2 s"
	# 1003: zero subtests, no "skip" word: the first line xtest printed.
	case_log 1003 0 0 OK "init_storage_info() failed"
	echo "xtest-case: end 1003 status 0 time 0.2 s"
	# 4001: a failed check.
	case_log 4001 10 2 "FAILED first error at ./host/xtest/regression_4000.c:1390" \
		"./host/xtest/regression_4000.c:1390: res has an unexpected value: 0xffff000f = TEEC_ERROR_SECURITY, expected 0x0 = TEEC_SUCCESS"
	echo "xtest-case: end 4001 status 1 time 0.4 s"
	# 4007_ecc: xtest says SKIPPED.
	case_log 4007_ecc 0 0 'SKIPPED: "no ECC here"'
	echo "xtest-case: end 4007_ecc status 0 time 0.1 s"
	# 4002: the guest's timeout killed xtest (SIGKILL, status 137).
	echo "xtest-case: begin 4002"
	echo "* regression_4002 Test TEE Internal API Message Authentication Code operations"
	echo "xtest-case: end 4002 status 137 time 120.0 s"
	# 6001: xtest crashed (SIGSEGV) before its summary.
	echo "xtest-case: begin 6001"
	echo "* regression_6001 Test TEE_CreatePersistentObject"
	echo "xtest-case: end 6001 status 139 time 0.3 s"
	# 6002: the summary says nothing failed, but xtest exited with 3.
	case_log 6002 4 0 OK
	echo "xtest-case: end 6002 status 3 time 0.3 s"
	# 8001: no such case in this xtest (its filter matched nothing).
	echo "xtest-case: begin 8001"
	printf '%s\n' "0 subtest of which 0 failed" "0 test case of which 0 failed" "108 test cases were skipped"
	echo "xtest-case: end 8001 status 0 time 0.1 s"
	# 1004: hung; the host's watchdog killed the machine.
	echo "xtest-case: begin 1004"
	echo "* regression_1004 Test User Crypt TA"
	echo "xtest-host: killed 1004 after 181 s: the TEE or Linux hung (rebooted)"
	# The second boot, its lines with CR LF as a serial console gives them.
	echo "xtest-host: boot 2, 2 case(s) left, 20 s"
	case_log 1005 7 0 OK | sed 's/$/\r/'
	printf 'xtest-case: end 1005 status 0 time 2.0 s\r\n'
	# 1006: the machine stopped during the case (no end, no watchdog line).
	echo "xtest-case: begin 1006"
	echo "* regression_1006 Test Basic OS features"
	# 1007 never begins: the next boot reached no case.
	echo "xtest-host: boot 3, 1 case(s) left, 300 s"
	echo "xtest-host: not run: boot 3 reached no case"
} >"$log"
cases=$tmp/cases
printf '%s\n' 1001 1002 1003 1004 1005 1006 1007 4001 4002 4007_ecc 6001 6002 8001 >"$cases"
out=$("$report" "$cases" "$log")
rc=$?

expect() { # expect NAME EXACT-LINE: the report has that line
	if grep -qxF -- "$2" <<<"$out"; then ok "$1"; else fail "$1: no line '$2'"; fi
}
expect "a case with subtests and no failure passes" "ok - xtest/1001"
expect "zero subtests is skipped, with xtest's skip message" \
	"not ok - xtest/1002: skipped: ran zero subtests (xtest: - 1002 -   skip test, pseudo TA not found)"
expect "zero subtests is skipped, with xtest's first line" \
	"not ok - xtest/1003: skipped: ran zero subtests (xtest: init_storage_info() failed)"
expect "a failed check fails, with where and what" \
	"not ok - xtest/4001: 2 of 10 subtests failed, first at regression_4000.c:1390: 0xffff000f = TEEC_ERROR_SECURITY, expected 0x0 = TEEC_SUCCESS"
expect "xtest's SKIPPED is skipped" "not ok - xtest/4007_ecc: skipped: no ECC here"
expect "the guest's timeout fails" "not ok - xtest/4002: timeout: killed after 120.0 s"
expect "a crash before the summary fails" "not ok - xtest/6001: xtest died of signal 11 before its summary"
expect "a non-zero exit with no failed subtest fails" "not ok - xtest/6002: exit status 3 with no failed subtest"
expect "a case xtest does not have fails" "not ok - xtest/8001: no case regression_8001 in this xtest"
expect "a case the watchdog killed fails" \
	"not ok - xtest/1004: no result: after 181 s: the TEE or Linux hung (rebooted)"
expect "CR LF lines are read" "ok - xtest/1005"
expect "a case the machine stopped in fails" "not ok - xtest/1006: no result: the machine stopped during the case"
expect "a case no boot reached fails" "not ok - xtest/1007: not run: boot 3 reached no case"
expect "the 1xxx group" "xtest: 2 passed, 3 failed, 2 skipped (1xxx)"
expect "the 4xxx group" "xtest: 0 passed, 2 failed, 1 skipped (4xxx)"
expect "the 6xxx group" "xtest: 0 passed, 2 failed, 0 skipped (6xxx)"
expect "the 8xxx group" "xtest: 0 passed, 1 failed, 0 skipped (8xxx)"
expect "the total" "xtest: 2 passed, 8 failed, 3 skipped (total, 13 cases)"
if [ "$(tail -n 1 <<<"$out")" = "2 passed, 11 failed" ]; then
	ok "the last line counts skipped cases as failed"
else
	fail "the last line is '$(tail -n 1 <<<"$out")', not '2 passed, 11 failed'"
fi
if [ "$(grep -c '^\(ok\|not ok\) - xtest/' <<<"$out")" -eq 13 ]; then
	ok "one line per case"
else
	fail "$(grep -c '^\(ok\|not ok\) - xtest/' <<<"$out") case lines for 13 cases"
fi
if [ $rc -ne 0 ]; then ok "exit status non-zero when a case did not pass"; else fail "exit status 0 with failures"; fi

# Every case passes: exit status 0, and a case listed twice counts once.
printf '%s\n' 1001 1005 1001 >"$cases"
out=$("$report" "$cases" "$log")
rc=$?
if [ $rc -eq 0 ] && [ "$(tail -n 1 <<<"$out")" = "2 passed, 0 failed" ]; then
	ok "all passed: exit status 0"
else
	fail "all passed: exit status $rc, last line '$(tail -n 1 <<<"$out")'"
fi
# A later boot's result for a case replaces an earlier one.
{
	cat "$log"
	case_log 1004 3 0 OK
	echo "xtest-case: end 1004 status 0 time 1.0 s"
} >"$tmp/log2"
printf '1004\n' >"$cases"
out=$("$report" "$cases" "$tmp/log2")
if grep -qx "ok - xtest/1004" <<<"$out"; then ok "the last run of a case counts"; else fail "the last run of a case counts"; fi
# No log at all: a usage error, not a count.
if "$report" "$cases" "$tmp/missing" >/dev/null 2>&1; then
	fail "a missing log is refused"
else
	ok "a missing log is refused"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
