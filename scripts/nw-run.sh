#!/usr/bin/env bash
# nw-run.sh [--demo]: boots MicroTEE with Debian's Linux in the normal
# world. Without --demo you get a Linux shell on this terminal (the demo
# client `microtee_demo` and the test program `tee_test` are installed;
# `poweroff -f` ends the session) and the secure console goes to
# build/secure-console.log. With --demo, nobody is needed: Linux runs the
# demo client and powers off; the exit status is 0 only if every step
# succeeded. CMDLINE adds words to the secure world's command line (e.g.
# CMDLINE="ta_log=4", ta/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
B=$root/build
demo=0
[ "${1:-}" = --demo ] && demo=1
"$root/scripts/nw/fetch-debs.sh" >/dev/null
make -s -C "$root" -f scripts/nw/nw.mk nw-demo nw-tee-test >/dev/null
initrd=$B/nw/run.cpio.gz
extras=("$B/nw/microtee_demo:/usr/bin/" "$B/nw/tee_test:/usr/bin/")
# TAs installed the way a device maker would: signed, in tee-supplicant's path.
for ta in "$B"/ta/installed/*.ta; do
	[ -f "$ta" ] && extras+=("$ta:/usr/lib/optee_armtz/")
done
[ $demo -eq 1 ] && extras+=("$root/scripts/rc.demo:/etc/rc.test") && initrd=$B/nw/demo.cpio.gz
"$root/scripts/nw/mkinitramfs.sh" "$initrd" "${extras[@]}" >/dev/null
secure_log=$B/secure-console.log
nw_log=$B/normal-console.log
qemu=(env SMP="${SMP:-2}" SECURE_CONSOLE="file:$secure_log"
	QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on
	"$root/scripts/run-qemu.sh" "$B/microtee.bin" "nw${CMDLINE:+ $CMDLINE}"
	-kernel "$B/cache/nw-kernel/Image" -initrd "$initrd" -append "console=ttyAMA0 panic=-1 quiet")
if [ $demo -eq 0 ]; then
	echo "MicroTEE: Linux shell below; the secure console is in $secure_log"
	NW_CONSOLE=stdio exec "${qemu[@]}"
fi
rm -f "$nw_log"
NW_CONSOLE="file:$nw_log" timeout "${DEMO_TIMEOUT:-120}" "${qemu[@]}" </dev/null || true
tr -d '\r' <"$nw_log" | grep -E '^(demo|rc):'
if grep -q '^demo: PASS' "$nw_log" && grep -q '\[mon\] SYSTEM_OFF' "$secure_log"; then
	echo "make demo: every step succeeded (secure console: $secure_log)"
	exit 0
fi
echo "make demo: FAILED (logs: $nw_log, $secure_log)"
exit 1
