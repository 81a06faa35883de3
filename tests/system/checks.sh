# shellcheck shell=bash
# checks.sh — sourced by the system test scripts that print their own
# checks: set SUITE (the name before the slash) first.
#   check NAME COMMAND...   runs COMMAND; prints `ok - SUITE/NAME` or
#                           `FAIL - SUITE/NAME` (with $CHECK_NOTE after it)
#   summary                 prints `N passed, M failed`; status 0 if none failed
# Also sets root (the tree), B (its build folder) and logs (the test logs).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$root/build
logs=${LOGDIR:-$B/test-logs}
mkdir -p "$logs"
passed=0
failed=0
check() {
	local name=$1
	shift
	if "$@"; then
		echo "ok - $SUITE/$name"
		passed=$((passed + 1))
	else
		echo "FAIL - $SUITE/$name${CHECK_NOTE:+ $CHECK_NOTE}"
		failed=$((failed + 1))
	fi
}
summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
