#!/usr/bin/env bash
# Crash reports, symbolized: one boot (test=crash_report) in which the crash
# TA (ta/crash_test) faults three calls deep, faults with four forged frame
# chains, and panics two calls deep (tests/progs/test_crash); then
# scripts/symbolize reads the secure console, and each report must name the
# right functions at the right lines of ta/crash_test/crash_ta.c (the lines
# its CRASH-LINE markers are on), and each forged chain must give a short
# backtrace that says why it was cut, with no kernel fault.
# Usage: crash.sh IMAGE. Prints `ok - crash/NAME` or `FAIL - crash/NAME: why`,
# then `crash: N passed, M failed`.
set -uo pipefail
image=$1
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
logs=${LOGDIR:-build/test-logs}
timeout_s=${TEST_TIMEOUT:-60}
mkdir -p "$logs"
log=$logs/crash_report.log
sym=$logs/crash_report.sym.log
src=ta/crash_test/crash_ta.c
passed=0
failed=0
ok() { echo "ok - crash/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL - crash/$1: $2"; failed=$((failed + 1)); }
check() { if [ "$2" -eq 0 ]; then ok "$1"; else fail "$1" "$3"; fi; }

timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=crash_report" >"$log" 2>&1 </dev/null
grep -q "\[mon\] SYSTEM_OFF" "$log" && grep -q "\[init\] RESULT: PASS" "$log" &&
	grep -q "test_crash: PASS" "$log" && ! grep -q "KERNEL PANIC\|kernel exception" "$log"
check boot $? "the boot (log $log)"

"$root/scripts/symbolize" -d "$(dirname "$image")" <"$log" >"$sym"
check symbolize $? "scripts/symbolize failed (log $log)"

line() { grep -n "CRASH-LINE $1\b" "$root/$src" | cut -d: -f1; }
fault=$(line fault) call_c=$(line "call c") call_b=$(line "call b") panic=$(line panic)
nested=$(line "invoke nested") invoke_panic=$(line "invoke panic")
# report N: the Nth report's lines (1-based), from its first line to its
# "(...)" end line.
report() {
	awk -v n="$1" '/crash: (TA|process) /{k++} k==n{print} k==n && /crash:   \(/ && !/symbolize/{exit}' "$sym"
}
# has N REGEX...: every regex is found, in order, in report N.
has() {
	local n=$1 r
	shift
	local text
	text=$(report "$n")
	for r in "$@"; do
		text=$(printf '%s\n' "$text" | sed -n "/$r/,\$p")
		[ -n "$text" ] || return 1
	done
}
frames() { report "$1" | grep -c "crash:   #[0-9]"; }

uuid=a11e35c4-874d-4dcb-85a2-24e9653b5af0
has 1 "crash: TA $uuid (pid [0-9]*) faulted" "data abort: .* on write at 0x0$" \
	"build id [0-9a-f]\{40\}$" "(symbolize: build\/ta\/crash_test\/$uuid.elf)"
check nested_report $? "the nested fault's report: TA, fault, build id (see $sym)"
has 1 "#0 0x[0-9a-f]* crash_c at ${src//\//\\/}:$fault$" \
	"#1 0x[0-9a-f]* crash_b at ${src//\//\\/}:$call_c$" \
	"#2 0x[0-9a-f]* crash_a at ${src//\//\\/}:$call_b$" \
	"#3 0x[0-9a-f]* TA_InvokeCommandEntryPoint at ${src//\//\\/}:$nested$" \
	"_start at lib\/rt\/crt0.S" "(end of the chain)"
check nested_symbolized $? "crash_c at :$fault, crash_b at :$call_c, crash_a at :$call_b (see $sym)"

# The forged chains: x29 at the kernel, unmapped, misaligned, a loop.
has 2 "fp 0xe080000 " "#0 0x[0-9a-f]* crash_with_fp at" \
	"(cut: a frame pointer outside the process's readable memory)" && [ "$(frames 2)" = 1 ]
check fp_kernel $? "x29 at the kernel's image (see $sym)"
has 3 "fp 0x70000000 " "#0 0x[0-9a-f]* crash_with_fp at" \
	"(cut: a frame pointer outside the process's readable memory)" && [ "$(frames 3)" = 1 ]
check fp_unmapped $? "x29 unmapped (see $sym)"
has 4 "#0 0x[0-9a-f]* crash_with_fp at" "(cut: a frame pointer not 8-byte aligned)" &&
	[ "$(frames 4)" = 1 ]
check fp_misaligned $? "x29 misaligned (see $sym)"
has 5 "#0 0x[0-9a-f]* crash_with_fp at" "(cut: a frame record not above the one before)" &&
	[ "$(frames 5)" = 2 ]
check fp_loop $? "a frame record naming itself (see $sym)"
[ "$(grep -c "\[kernel\] fault: pid" "$log")" = 5 ]
check kernel_faults $? "five process faults, and nothing else the kernel reports as a fault"

# The panic (TEE_Panic's own report, in the same form).
has 6 "crash: TA $uuid panicked: TEE_Panic(0x0000c4a5)" "(symbolize: build\/ta\/crash_test\/$uuid.elf)" \
	"#0 0x[0-9a-f]* TEE_Panic at lib\/tee\/misc.c" \
	"#1 0x[0-9a-f]* crash_b at ${src//\//\\/}:$panic$" \
	"#2 0x[0-9a-f]* crash_a at ${src//\//\\/}:$call_b$" \
	"#3 0x[0-9a-f]* TA_InvokeCommandEntryPoint at ${src//\//\\/}:$invoke_panic$" "(end of the chain)"
check panic_symbolized $? "TEE_Panic, crash_b at :$panic, crash_a at :$call_b (see $sym)"

echo "crash: $passed passed, $failed failed"
[ $failed -eq 0 ]
