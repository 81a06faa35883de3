#!/usr/bin/env bash
# profile.sh WHAT ALG SIZE [COUNT] — where the instructions of one kind of
# crypto operation go, by function and by component (monitor, kernel,
# services, TA, Linux), under QEMU -icount shift=0.
#   WHAT: ta (a TA calling the crypto service), nw_ta (Linux -> TA) or
#         afalg (Linux's AF_ALG); ALG: sha256 or aes128gcm; SIZE: bytes;
#   COUNT: operations in the window (default 512; at most 1024 for ta).
# profile.sh invoke [COUNT] — the same for a null TEEC_InvokeCommand
# (bench_invoke's, the demo TA's GET_SESSION_COUNT; default 512).
# profile.sh ipc — the same for 100 of ipc_bench's round trips (the secure
# world alone, test=ipc_bench; ipc_roundtrip_insns).
# Boots Linux with bench/prof/tbprof.so (a QEMU plugin counting the
# instructions of each translated block between two marker instructions
# that `bench_crypto prof` or `bench_invoke prof` executes around COUNT
# operations) and prints bench/prof/symbolize.py's report. Needs `make`
# (and the bench programs, built here) first. Output also in build/prof/.
# PROF_SMP (default 1): Linux's CPUs (the secure kernel then takes its lock).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ "${1:-}" = ipc ]; then
	B=$root/build
	mkdir -p "$B/prof"
	gcc -shared -fPIC -O2 -Wall -o "$B/prof/tbprof.so" "$here/tbprof.c"
	rm -f "$B/prof/ipc.tb"
	timeout "${PROF_TIMEOUT:-600}" "$root/scripts/run-qemu.sh" "$B/microtee-test.bin" test=ipc_bench \
		-icount shift=0 -plugin "$B/prof/tbprof.so,out=$B/prof/ipc.tb" >"$B/prof/ipc.log" 2>&1 </dev/null || true
	grep -q '^ipc_roundtrip_insns:' "$B/prof/ipc.log" || { echo "profile: the run failed (see $B/prof/ipc.log)" >&2; exit 1; }
	python3 "$here/symbolize.py" "$B/prof/ipc.tb" 100 "$B/monitor.elf" "$B/kernel.elf" "$B"/progs/*.elf |
		tee "$B/prof/ipc.txt"
	exit 0
elif [ "${1:-}" = invoke ]; then
	what=invoke count=${2:-512}
elif [ $# -ge 3 ]; then
	what=$1 alg=$2 size=$3 count=${4:-512}
else
	echo "usage: $0 {ta|nw_ta|afalg} {sha256|aes128gcm} SIZE [COUNT] | $0 invoke [COUNT] | $0 ipc" >&2
	exit 2
fi
B=$root/build
out=$B/prof
mkdir -p "$out" "$B/nw"
gcc -shared -fPIC -O2 -Wall -o "$out/tbprof.so" "$here/tbprof.c"
make -s -C "$root" -f bench/nw/bench.mk nw-bench >"$out/build.log" 2>&1 ||
	{ echo "profile: building the bench programs failed (see $out/build.log)" >&2; exit 1; }
if [ "$what" = invoke ]; then
	cat >"$out/rc.prof" <<RC
#!/bin/sh
bench_invoke prof $count
RC
	"$root/scripts/nw/mkinitramfs.sh" "$out/prof.cpio.gz" "$out/rc.prof:/etc/rc.test" \
		"$B/nw/bench_invoke:/usr/bin/" >"$out/initramfs.log" 2>&1
	tag=invoke prog=bench_invoke
else
	"$root/bench/nw/crypto-modules.sh" "$out/modules" >/dev/null
	mapfile -t modspecs <"$out/modules/specs"
	cat >"$out/rc.prof" <<RC
#!/bin/sh
while read -r mod; do insmod "\$mod"; done </etc/bench-modules
bench_crypto prof $what $alg $size $count
RC
	"$root/scripts/nw/mkinitramfs.sh" "$out/prof.cpio.gz" "$out/rc.prof:/etc/rc.test" \
		"$B/nw/bench_crypto:/usr/bin/" "${modspecs[@]}" >"$out/initramfs.log" 2>&1
	tag=$what-$alg-$size prog=bench_crypto
fi
rm -f "$out/$tag.tb"
SMP=${PROF_SMP:-1} NW_CONSOLE="file:$out/$tag.linux.log" QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
	timeout "${PROF_TIMEOUT:-600}" "$root/scripts/run-qemu.sh" "$B/microtee-test.bin" "test=demo nw" \
	-icount shift=0 -plugin "$out/tbprof.so,out=$out/$tag.tb" \
	-kernel "$B/cache/nw-kernel/Image" -initrd "$out/prof.cpio.gz" \
	-append "console=ttyAMA0 panic=-1 nokaslr" >"$out/$tag.secure.log" 2>&1 </dev/null || true
grep -q "^$prog: done" "$out/$tag.linux.log" ||
	{ echo "profile: the run failed (see $out/$tag.linux.log)" >&2; exit 1; }
grep '^bench_crypto: ta ' "$out/$tag.linux.log" || true
kver=$(cat "$B/cache/nw-kernel/version")
python3 "$here/symbolize.py" "$out/$tag.tb" "$count" \
	"$B/monitor.elf" "$B/kernel.elf" "$B"/progs/*.elf "$B"/ta/*/*.elf \
	--sysmap "$B/cache/nw-root-parts/linux-image-$kver/boot/System.map-$kver" | tee "$out/$tag.txt"
