#!/usr/bin/env bash
# debug.sh — make debug-secure's gdb session, run unattended (scripts/debug.sh
# --batch tests/system/debug.gdb) on the test image with test=crypto_vectors:
#   - gdb stops in the crypto test TA's TA_InvokeCommandEntryPoint, with its
#     source file and the TA runtime's caller in the backtrace;
#   - mt-ps lists the services and marks the TA as the current process;
#   - a breakpoint on TEE_DigestDoFinal in the same TA stops there, called
#     from the TA's digest test, and `step` goes on inside lib/tee;
#   - a breakpoint on the crypto service's op_final stops in the crypto
#     service (mt-ps marks it), under crypto_serve;
#   - the secure world itself reported no trap or panic.
# Prints `ok - ...` / `FAIL - ...` and `N passed, M failed` last.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SUITE=debug
# shellcheck source=tests/system/checks.sh
source "$here/checks.sh"
log=$logs/debug.gdb.log
CHECK_NOTE="(log: $log)"
timeout "${DEBUG_TIMEOUT:-180}" "$root/scripts/debug.sh" --secure --batch "$here/debug.gdb" \
	"test=crypto_vectors" >"$log" 2>&1
rc=$?
# step N: the lines of the log from the marker of step N to the next one.
step() { awk -v s="mt-test: $1" 'index($0, "mt-test: ") == 1 { on = ($0 == s) } on' "$log"; }
has() { step "$1" | grep -Eq -- "$2"; }
ta=23921ad1-1fd1-480a-963a-a82f949
check "gdb ran the whole session (status $rc)" eval "[ $rc -eq 0 ] && grep -q '^mt-test: done' '$log'"
check "stops in the TA's TA_InvokeCommandEntryPoint, at its source" \
	has "break in the TA" '^#0  TA_InvokeCommandEntryPoint .* at .*ta/crypto_test/crypto_test_ta.c:[0-9]+'
check "the backtrace goes on into the TA runtime" has "break in the TA" '^#1  .* in call_ta .* at .*lib/tee/entry.c'
check "mt-ps lists the services" \
	eval 'for s in init gateway crypto keys storage; do has "break in the TA" " $s\$" || exit 1; done'
check "mt-ps marks the TA as the current process" has "break in the TA" "^\\* +[0-9]+ +[0-9]+ +.* $ta\$"
check "stops in TEE_DigestDoFinal, called from the TA's digest test" \
	eval 'has "on into TEE_DigestDoFinal" "^#0  TEE_DigestDoFinal .*lib/tee/operations.c" &&
	      has "on into TEE_DigestDoFinal" "^#1  .* in digest_vector .*ta/crypto_test/t_sym.c"'
# After `step`, the second "#0" line: a function of lib/tee other than
# TEE_DigestDoFinal itself.
check "step goes on inside lib/tee" \
	eval 'step "on into TEE_DigestDoFinal" | grep "^#0 " | sed -n 2p |
	      grep -Eq "^#0  [a-z_]+ .*lib/tee/" &&
	      ! step "on into TEE_DigestDoFinal" | grep "^#0 " | sed -n 2p | grep -q TEE_DigestDoFinal'
check "stops in the crypto service's op_final, under crypto_serve" \
	eval 'has "on into the crypto service" "^#0  op_final .*services/crypto/" &&
	      has "on into the crypto service" "^#[12]  .*crypto_serve \\("'
check "mt-ps marks the crypto service as current" has "on into the crypto service" '^\* +[0-9]+ +[0-9]+ +.* crypto$'
check "the secure world reported no trap or panic" \
	eval "[ -s '$B/secure-console.log' ] && ! grep -Eq 'KERNEL PANIC|\\[mon\\] unexpected' '$B/secure-console.log'"
summary
