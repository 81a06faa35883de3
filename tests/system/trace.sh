#!/usr/bin/env bash
# trace.sh — make trace (issue 17: a trace of one call through every layer).
# scripts/trace.sh boots the production image with Linux under the tracing
# plugin and traces one SHA-256 of 16 bytes from a Linux program through the
# crypto demo TA and the crypto service (Linux's symbols skipped, for time).
# Checks, from the timeline (build/test-logs/trace/):
#   - the traced call succeeded, with the right digest;
#   - one window, whose segments tile it: each starts where the one before
#     ended, and the lengths, the header's total and the per-layer lines agree;
#   - the layers come in the call's order: Linux user space, Linux, the
#     monitor into the secure world, the kernel, the gateway, the TA, the
#     crypto service, the TA, the gateway, the monitor back, Linux, user space;
#   - every monitor segment into the secure world is followed by the kernel,
#     every one back by Linux;
#   - the TA ran TA_InvokeCommandEntryPoint; SHA-256's compression function ran
#     in the crypto service and in no TA.
# Prints `ok - ...` / `FAIL - ...` and `N passed, M failed` last.
set -uo pipefail
SUITE=trace
# shellcheck source=tests/system/checks.sh
source "$(dirname "$0")/checks.sh"
out=$logs/trace
rm -rf "$out"
TRACE_OUT=$out TRACE_SYMBOLS=0 "$root/scripts/trace.sh" sha256 16 >"$logs/trace.log" 2>&1
rc=$?
want=$(python3 -c 'import hashlib; print(hashlib.sha256(b"a" * 16).hexdigest()[:8])')
check "the traced call succeeds (log: $logs/trace.log)" eval "[ $rc -eq 0 ]"
check "the traced call's digest is SHA-256's ($want...)" \
	grep -q "^mt_trace: sha256 of 16 bytes: $want\.\.\.$" "$logs/trace.log"
seg=$out/segments.tsv
if [ ! -s "$seg" ]; then
	check "the trace has segments ($seg)" false
	summary
	exit
fi
check "one window" eval "[ \"\$(cut -f1 '$seg' | sort -u)\" = 1 ]"
check "the segments tile the window" \
	awk -F'\t' 'NR == 1 && $2 != 0 { exit 1 } NR > 1 && $2 != end { exit 1 } { end = $2 + $3 }' "$seg"
total=$(awk -F'\t' '{ s += $3 } END { print s }' "$seg")
header=$(sed -n 's/^window 1: \([0-9]*\) instructions.*/\1/p' "$out/trace.txt")
layers=$(sed -n '/per layer:/,$p' "$out/trace.txt" | awk '$2 ~ /%$/ { s += $1 } END { print s }')
check "the total agrees: segments $total, header $header, layers $layers" \
	eval "[ '$total' = '$header' ] && [ '$total' = '$layers' ] && [ '$total' -gt 0 ]"
order=$(cut -f4 "$seg" | tr '\n' ' ')
in_order() { # the words of $1 appear in $order in this order
	local rest=" $order" w
	for w in $1; do
		case $rest in *" $w "*) rest=${rest#*" $w "} ;; *) return 1 ;; esac
		rest=" $rest"
	done
}
check "the layers come in the call's order" in_order \
	"linux-user linux monitor>S kernel gateway ta:crypto_demo crypto ta:crypto_demo gateway monitor>NS linux linux-user"
check "it starts and ends in Linux user space" \
	eval "[ \"\$(head -n1 '$seg' | cut -f4)\" = linux-user ] && [ \"\$(tail -n1 '$seg' | cut -f4)\" = linux-user ]"
check "the monitor enters the kernel and returns to Linux" \
	awk -F'\t' 'prev == "monitor>S" && $4 != "kernel" { exit 1 }
		prev == "monitor>NS" && $4 != "linux" { exit 1 } { prev = $4 }
		END { if (prev ~ /^monitor/) exit 1 }' "$seg"
check "the TA ran TA_InvokeCommandEntryPoint" \
	awk -F'\t' '$4 == "ta:crypto_demo" && $5 ~ /(^|,)TA_InvokeCommandEntryPoint(,|$)/ { f = 1 } END { exit !f }' "$seg"
check "SHA-256 ran in the crypto service" \
	awk -F'\t' '$4 == "crypto" && $5 ~ /mbedtls_internal_sha256_process/ { f = 1 } END { exit !f }' "$seg"
check "and in no TA" \
	awk -F'\t' '$4 ~ /^ta:/ && $5 ~ /sha256/ { f = 1 } END { exit f }' "$seg"
summary
