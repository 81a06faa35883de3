#!/usr/bin/env bash
# smoke-test.sh — boot Debian's arm64 kernel with our initramfs in plain QEMU
# (no secure world) and check that user space works: busybox, the glibc loader,
# tee.ko/optee.ko loading, tee-supplicant and a libteec client (hello_teec).
# optee.ko finds no TEE here, so hello_teec's TEEC_InitializeContext fails with
# TEEC_ERROR_ITEM_NOT_FOUND: that is the expected result.
#
# Usage: scripts/nw/smoke-test.sh          (exit 0 on success)
set -euo pipefail

# shellcheck source=nw-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/nw-common.sh"

OUT=$NW_ROOT/build/nw
mkdir -p "$OUT"

"$NW_SCRIPTS/fetch-debs.sh"
make -s -f "$NW_SCRIPTS/nw.mk" nw-hello-teec
"$NW_SCRIPTS/mkinitramfs.sh" "$OUT/smoke.cpio.gz" \
    "$OUT/hello_teec:/usr/bin/" "$NW_SCRIPTS/rc.smoke:/etc/rc.test"

log=$OUT/smoke.log
t0=$(date +%s.%N)
# pauth-impdef=on: QEMU's cheap pointer-authentication algorithm instead of
# QARMA5; the kernel boots about 3x faster under TCG and behaves the same.
cpu=${NW_QEMU_CPU:-max,sve=off,sme=off,pauth-impdef=on}
timeout 120 qemu-system-aarch64 -machine virt,gic-version=3 -cpu "$cpu" \
    -m 1024 -nographic -nic none -no-reboot \
    -kernel "$NW_KDIR/vmlinuz" -initrd "$OUT/smoke.cpio.gz" \
    -append 'console=ttyAMA0 panic=-1' </dev/null >"$log" 2>&1 || true
t1=$(date +%s.%N)
tr -d '\r' <"$log" | grep -E '^(init|smoke|hello_teec):|SMOKE-DONE|Kernel panic' || true

ok=1
for want in 'init: insmod' 'SMOKE-DONE' 'hello_teec: TEEC_InitializeContext -> 0x' 'smoke: modules: optee tee'; do
    if [[ $want == 'init: insmod' ]]; then
        ! grep -q "$want" "$log" || { nw_log "FAIL: a module did not load"; ok=0; }
    else
        grep -q -- "$want" "$log" || { nw_log "FAIL: missing '$want' (full log: $log)"; ok=0; }
    fi
done
nw_log "boot to power-off: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s (host wall time)"
if ((ok)); then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
