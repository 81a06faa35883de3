#!/usr/bin/env bash
# bench/keys.sh IMAGE: the key service's benchmark (make bench runs it from
# bench/run.sh). One secure-world boot, test=keys_bench, under QEMU
# -icount shift=0; the keys_test TA counts instructions retired with the PMU
# (event 0x08, every exception level of the secure world) around
#   attest_report_insns  one TEE_GetAttestationReport: IPC to the key service,
#                        the report with every boot measurement, ECDSA P-256
#   seal_4k_insns        one TEE_SealData of 4 KiB: IPC, HKDF, AES-256-GCM
# and reports the medians of 15 of each.
# Environment: BENCH_TIMEOUT (seconds, default 300).
set -euo pipefail
image=$1
here=$(cd "$(dirname "$0")" && pwd)
log=$(dirname "$image")/bench-keys.log
timeout "${BENCH_TIMEOUT:-300}" "$here/../scripts/run-qemu.sh" "$image" "test=keys_bench" \
	-icount shift=0 >"$log" 2>&1 </dev/null || true
grep -q "\[init\] RESULT: PASS" "$log" || { echo "bench: keys_bench failed, see $log" >&2; exit 1; }
for m in attest_report_insns seal_4k_insns; do
	echo "$m: $(sed -n "s/^keys_bench: $m \([0-9]*\).*/\1/p" "$log")"
done
echo "# key service: instructions retired in the keys_test TA (PMU) under -icount shift=0,"
echo "# medians of 15 (log: $log)"
