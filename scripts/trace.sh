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
# TRACE_PY_ARGS adds options of bench/prof/trace.py (bench/layers.sh).
# TRACE_SYMBOLS=0 skips Linux's symbols: Linux's code is then named by
# address. The first run with symbols dumps them, which doubles its time;
# later runs reuse build/cache/nw-kernel/kallsyms-VERSION.
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
# One mt_trace per call: the arguments, split at each lone ','.
{
	echo '#!/bin/sh'
	line=
	for a in "$@" ,; do
		if [ "$a" = , ]; then
			[ -n "$line" ] && echo "mt_trace$line"
			line=
		else
			line+=$(printf ' %q' "$a")
		fi
	done
} >"$out/rc.trace"
# After the calls, Linux's own symbols (Debian's image package has no
# System.map; with nokaslr, /proc/kallsyms gives the same addresses, and
# the same modules load in the same order): dumped by the first run, then
# kept with the kernel.
kver=$(cat "$B/cache/nw-kernel/version")
syms=$B/cache/nw-kernel/kallsyms-$kver
dump=0
[ "${TRACE_SYMBOLS:-1}" = 0 ] || [ -s "$syms" ] || dump=1
[ $dump -eq 0 ] || cat >>"$out/rc.trace" <<'RC'
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
calls=$(grep -c '^mt_trace' "$out/rc.trace")
[ "$(tr -d '\r' <"$out/normal.log" | grep -c '^mt_trace: done')" -eq "$calls" ] ||
	{ echo "trace: a traced call failed (see $out/normal.log, $out/secure.log)" >&2; exit 1; }
if [ $dump -eq 1 ]; then
	tr -d '\r' <"$out/normal.log" |
		sed -n '/^mt_trace: kallsyms begin/,/^mt_trace: kallsyms end/p' | { grep -v '^mt_trace' || true; } >"$syms.tmp"
	if grep -q '^mt_trace: kallsyms end' <(tr -d '\r' <"$out/normal.log"); then mv "$syms.tmp" "$syms"; else rm -f "$syms.tmp"; fi
fi
: >"$out/kallsyms"
[ "${TRACE_SYMBOLS:-1}" = 0 ] || [ ! -s "$syms" ] || cp "$syms" "$out/kallsyms"
tas=()
for elf in "$B"/ta/*/*.elf; do
	case $elf in *.stripped.elf) ;; *) tas+=("$elf") ;; esac
done
python3 "$root/bench/prof/trace.py" "$out/trace.seq" \
	"$B/monitor.elf" "$B/kernel.elf" "$B"/progs/*.elf "${tas[@]}" \
	--sysmap "$out/kallsyms" --segments "$out/segments.tsv" ${TRACE_PY_ARGS:-} | tee "$out/trace.txt"
