#!/usr/bin/env bash
# trace.sh [null | sha256 [BYTES] | -- CMD ...]: the trace of one call
# through every layer (Linux, the monitor, the kernel, the gateway, the TA,
# the crypto service), with offsets in instructions (docs/debugging.md,
# "Tracing a call"). make trace runs it (TRACE="sha256 64", say).
# It boots the production image with Debian's Linux, as make run does, at
# -smp 1 under -icount shift=0 with QEMU's plugin bench/prof/tbprof.so in
# trace mode; Linux runs `mt_trace ARGS` (host/nw/mt_trace.c), which marks
# the window; bench/prof/trace.py prints the timeline and the instructions
# per layer. Default: sha256 16. Output also in build/trace/.
# A command of one's own (`-- CMD`) must be in the initramfs: give it with
# TRACE_EXTRA="path/to/prog:/usr/bin/" (mkinitramfs.sh's FILE:DIR specs).
# TRACE_SYMBOLS=0 skips Linux's symbols (their dump doubles the run's time):
# Linux's code is then named by address.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
B=$root/build
out=${TRACE_OUT:-$B/trace}
[ $# -gt 0 ] || set -- sha256 16
mkdir -p "$out"
gcc -shared -fPIC -O2 -Wall -Wextra -Werror -o "$out/tbprof.so" "$root/bench/prof/tbprof.c"
"$root/scripts/nw/fetch-debs.sh" >/dev/null
make -s -C "$root" -f scripts/nw/nw.mk nw-mt-trace >"$out/build.log" 2>&1 ||
	{ echo "trace: building mt_trace failed (see $out/build.log)" >&2; exit 1; }
args=$(printf ' %q' "$@")
# After the call, Linux's own symbols (Debian's image package has no
# System.map; with nokaslr, /proc/kallsyms gives the same addresses).
cat >"$out/rc.trace" <<RC
#!/bin/sh
mt_trace$args
RC
[ "${TRACE_SYMBOLS:-1}" = 0 ] || cat >>"$out/rc.trace" <<'RC'
echo "mt_trace: kallsyms begin"
grep ' [tT] ' /proc/kallsyms
echo "mt_trace: kallsyms end"
RC
extras=("$out/rc.trace:/etc/rc.test" "$B/nw/mt_trace:/usr/bin/")
for ta in "$B"/ta/installed/*.ta; do
	[ -f "$ta" ] && extras+=("$ta:/usr/lib/optee_armtz/")
done
# shellcheck disable=SC2206 # FILE:DIR words, split on purpose
[ -n "${TRACE_EXTRA:-}" ] && extras+=(${TRACE_EXTRA})
"$root/scripts/nw/mkinitramfs.sh" "$out/trace.cpio.gz" "${extras[@]}" >"$out/initramfs.log" 2>&1
rm -f "$out/trace.seq" "$out/normal.log"
SMP=1 NW_CONSOLE="file:$out/normal.log" SECURE_CONSOLE="file:$out/secure.log" \
	QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
	timeout "${TRACE_TIMEOUT:-600}" "$root/scripts/run-qemu.sh" "$B/microtee.bin" "nw" \
	-icount shift=0 -plugin "$out/tbprof.so,out=$out/trace.tb,trace=$out/trace.seq" \
	-kernel "$B/cache/nw-kernel/Image" -initrd "$out/trace.cpio.gz" \
	-append "console=ttyAMA0 panic=-1 quiet nokaslr" </dev/null >"$out/qemu.log" 2>&1 || true
tr -d '\r' <"$out/normal.log" | grep '^mt_trace:' || true
grep -q '^mt_trace: done' <(tr -d '\r' <"$out/normal.log") ||
	{ echo "trace: the traced call failed (see $out/normal.log, $out/secure.log)" >&2; exit 1; }
tr -d '\r' <"$out/normal.log" |
	sed -n '/^mt_trace: kallsyms begin/,/^mt_trace: kallsyms end/p' | { grep -v '^mt_trace' || true; } >"$out/kallsyms"
tas=()
for elf in "$B"/ta/*/*.elf; do
	case $elf in *.stripped.elf) ;; *) tas+=("$elf") ;; esac
done
python3 "$root/bench/prof/trace.py" "$out/trace.seq" \
	"$B/monitor.elf" "$B/kernel.elf" "$B"/progs/*.elf "${tas[@]}" \
	--sysmap "$out/kallsyms" --segments "$out/segments.tsv" | tee "$out/trace.txt"
