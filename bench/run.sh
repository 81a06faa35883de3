#!/usr/bin/env bash
# make bench: boots the benchmark scenarios under QEMU -icount shift=0 (one
# instruction = one tick, deterministic) and prints `name: value` lines.
# Instruction counts come from the PMU's instructions-retired event.
# Four boots: the secure-world IPC benchmark (test=ipc_bench), then Debian's
# Linux with bench/nw/rc.bench_invoke running host/nw/bench_invoke (TEE calls
# through libteec and optee.ko) and host/nw/bench_crypto (SHA-256 and
# AES-128-GCM in a TA, from Linux through the TA, and with Linux's AF_ALG;
# the table also goes to bench/CRYPTO.md), then the key-service benchmark
# (bench/keys.sh: attestation report, 4 KiB seal), the storage benchmark
# (bench/storage.sh: 4 KiB writes and reads, create and delete, on both
# backends, from Linux with the normal world's disk), a null invoke and a
# SHA-256 of 16 bytes traced layer by layer (bench/layers.sh), the OP-TEE
# peer (bench/optee/run.sh) and the two-CPU throughput of both
# (bench/tput.sh, wall time without -icount: ratios only). Exits non-zero,
# saying why, if any fails.
# Environment: BENCH_TIMEOUT (seconds per boot, default 300),
# BENCH_INVOKE_ARGS ("N_INVOKE N_OPEN_CLOSE", default "2000 200"),
# BENCH_CRYPTO_ARGS ("N SELF_SAMPLES SELF_PER_SAMPLE", default "301 201 16").
set -euo pipefail
image=$1
B=$(dirname "$image")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
timeout_s=${BENCH_TIMEOUT:-300}
# Everything printed also goes to $B/bench.out, which bench/report.sh reads.
exec > >(tee "$B/bench.out")
log=$B/bench-ipc.log
timeout "$timeout_s" "$here/../scripts/run-qemu.sh" "$image" "test=ipc_bench" -icount shift=0 >"$log" 2>&1 </dev/null || true
grep -q "\[init\] RESULT: PASS" "$log" || { echo "bench: ipc_bench failed, see $log" >&2; exit 1; }
# The secure world's counts need the PMU to count in the secure state, which
# only a monitor built with MON_SECURE_PMU=1 allows (make bench builds it).
grep -q "\[mon\] secure PMU counting on" "$log" || {
	echo "bench: $image was not built with MON_SECURE_PMU=1 (run make bench)" >&2
	exit 1
}
echo "# monitor built with MON_SECURE_PMU=1: MDCR_EL3.SPME set, the PMU counts in the secure state (off in every other build)"
# Which build: the runtime-verification monitors on (RV=1, the default, as
# in the production image) or off (docs/verification.md; make bench-rv
# measures both).
if grep -q '^\[rv\] kernel: monitors off' "$log"; then
	echo "# runtime-verification monitors: off (RV=0): not the default build"
elif grep -Eq '^\[rv\] kernel: [0-9]+ events checked' "$log"; then
	echo "# runtime-verification monitors: on (RV=1, the default build, as in the production image)"
else
	echo "bench: no runtime-verification tally in $log" >&2
	exit 1
fi

ipc=$(sed -n 's/^ipc_roundtrip_insns: \([0-9]*\).*/\1/p' "$log")
null=$(sed -n 's/^null_syscall_insns: \([0-9]*\).*/\1/p' "$log")
ram=$(sed -n 's/^\[init\] secure_ram_used_kib: \([0-9]*\).*/\1/p' "$log")
# Code and initialised data of the monitor (its .image section) and of the
# kernel (text, rodata, data); the boot file system of user programs is not
# counted.
size_of() { # elf section...
	local elf=$1
	shift
	local total=0
	for s in "$@"; do
		local hex
		hex=$(${CROSS:-aarch64-linux-gnu-}objdump -h "$elf" | awk -v s="$s" '$2 == s {print $3}')
		total=$((total + 0x${hex:-0}))
	done
	echo $total
}
mon=$(size_of "$B/monitor.elf" .image)
kern=$(size_of "$B/kernel.elf" .text .rodata .data)
echo "ipc_roundtrip_insns: $ipc"
echo "null_syscall_insns: $null"
echo "ipc_roundtrip_per_null_syscall: $(awk -v a="$ipc" -v b="$null" 'BEGIN {printf "%.2f", a / b}')"
echo "kernel_image_kib: $(((mon + kern + 1023) / 1024))"
echo "secure_ram_used_kib: $ram"
echo "# instructions retired (PMU event 0x08) under QEMU -icount shift=0, medians of 2000;"
echo "# baseline: a rejected system call in the same run. ipc target <= 400"
echo "# (for scale: seL4's fastpath on Cortex-A57 takes 406 cycles for the call, 423 for the reply)"

# ---- Linux -> TEE, and crypto: one boot of Debian's Linux ----
# One CPU, -icount shift=0. bench_invoke: a null TEEC_InvokeCommand and
# TEEC_Open/CloseSession; bench_crypto: SHA-256 and AES-128-GCM (a) in a TA,
# timed by the TA, (b) from Linux through the TA, (c) with Linux's own
# kernel crypto (AF_ALG). Both count with perf_event_open (instructions, no
# exclude bits: both worlds) and cross-check with CNTVCT.
nwfail() { # message [log]
	echo "bench: Linux benchmark failed: $1${2:+ (see $2)}" >&2
	exit 1
}
nwlogs=$B/bench-nw
mkdir -p "$nwlogs" "$B/nw"
"$root/scripts/nw/fetch-debs.sh" >"$nwlogs/fetch.log" 2>&1 ||
	nwfail "fetching the normal-world packages" "$nwlogs/fetch.log"
make -s -C "$root" -f bench/nw/bench.mk nw-bench >"$nwlogs/build.log" 2>&1 ||
	nwfail "building host/nw/bench_invoke.c and bench_crypto.c" "$nwlogs/build.log"

# The kernel modules AF_ALG needs (bench/nw/crypto-modules.sh).
kver=$(cat "$root/build/cache/nw-kernel/version")
modstage=$nwlogs/modules
"$here/nw/crypto-modules.sh" "$modstage" >"$nwlogs/modules.log" 2>&1 ||
	nwfail "unpacking the kernel crypto modules" "$nwlogs/modules.log"
mapfile -t modspecs <"$modstage/specs"

initrd=$B/nw/bench.cpio.gz
argsfile=$B/nw/bench_invoke.args
cargsfile=$B/nw/bench_crypto.args
echo "${BENCH_INVOKE_ARGS:-2000 200 21}" >"$argsfile"
echo "${BENCH_CRYPTO_ARGS:-301 201 16}" >"$cargsfile"
# ta_load_insns: the cold open of ta/installed, signed, from /lib/optee_armtz.
installed=$(ls "$B"/ta/installed/*.ta 2>/dev/null | head -n1)
[ -s "$installed" ] || nwfail "no signed image of ta/installed (run make)"
"$root/scripts/nw/mkinitramfs.sh" "$initrd" "$here/nw/rc.bench_invoke:/etc/rc.test" \
	"$installed:/usr/lib/optee_armtz/" \
	"$B/nw/bench_invoke:/usr/bin/" "$argsfile:/etc/bench_invoke.args" \
	"$B/nw/bench_crypto:/usr/bin/" "$cargsfile:/etc/bench_crypto.args" \
	"${modspecs[@]}" \
	>"$nwlogs/initramfs.log" 2>&1 || nwfail "building the initramfs" "$nwlogs/initramfs.log"
# /init records CNTVCT first thing (reset to Linux's init, bench/boot/stamp.sh).
"$here/boot/stamp.sh" "$initrd" "$initrd" >>"$nwlogs/initramfs.log" 2>&1 ||
	nwfail "stamping the initramfs's /init" "$nwlogs/initramfs.log"
swlog=$nwlogs/secure.log
nwlog=$nwlogs/linux.log
rm -f "$swlog" "$nwlog"
t0=$(date +%s.%N)
qrc=0
SMP=1 NW_CONSOLE="file:$nwlog" QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
	timeout "$timeout_s" "$root/scripts/run-qemu.sh" "$image" "test=demo nw" -icount shift=0 \
	-kernel "$root/build/cache/nw-kernel/Image" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1" >"$swlog" 2>&1 </dev/null || qrc=$?
t1=$(date +%s.%N)
touch "$nwlog"
tr -d '\r' <"$nwlog" >"$nwlog.txt" && mv "$nwlog.txt" "$nwlog"
[ "$qrc" -ne 124 ] || nwfail "QEMU timed out after ${timeout_s}s (BENCH_TIMEOUT)" "$nwlog, $swlog"
grep -Eq 'KERNEL PANIC|\[mon\] unexpected' "$swlog" && nwfail "secure world failure" "$swlog"
grep -Eq 'Kernel panic|Oops|BUG:' "$nwlog" && nwfail "Linux oops or panic" "$nwlog"
grep -q '^bench_invoke: done' "$nwlog" || nwfail "bench_invoke did not finish (QEMU status $qrc)" "$nwlog, $swlog"
fails=$(grep '^bench_crypto: FAIL' "$nwlog" | head -3 || true)
[ -z "$fails" ] || nwfail "${fails#bench_crypto: }" "$nwlog"
grep -q '^bench_crypto: done' "$nwlog" || nwfail "bench_crypto did not finish (QEMU status $qrc)" "$nwlog, $swlog"
grep -q '\[mon\] SYSTEM_OFF' "$swlog" || nwfail "no SYSTEM_OFF (QEMU status $qrc)" "$swlog"
value() { sed -n "s/^$1: \([0-9][0-9]*\)\$/\1/p" "$nwlog" | tail -1; }
nsys=$(value linux_null_syscall_insns)
inv=$(value invoke_roundtrip_insns)
oc=$(value open_close_session_insns)
load=$(value ta_load_insns)
load_bytes=$(value ta_load_image_bytes)
if [ -z "$nsys" ] || [ -z "$inv" ] || [ -z "$oc" ] || [ -z "$load" ]; then nwfail "results missing" "$nwlog"; fi
method=$(sed -n 's/^invoke_method: //p' "$nwlog" | tail -1)
boot=$(sed -n 's/^rc: kernel .* up \([0-9.]*\) s$/\1/p' "$nwlog")
echo "linux_null_syscall_insns: $nsys"
stamp=$(value init_cntvct_ticks)
[ -z "$stamp" ] || echo "reset_to_init_insns: $((stamp * 16))"
echo "invoke_roundtrip_insns: $inv"
echo "open_close_session_insns: $oc"
echo "ta_load_insns: $load"
echo "# ta_load: TEEC_OpenSession+TEEC_CloseSession of ta/installed, a $load_bytes-byte signed image in"
echo "# /lib/optee_armtz (tee-supplicant, signature check, load, instance start and end), median of $(cut -d' ' -f3 "$argsfile")"
echo "invoke_roundtrip_per_linux_null_syscall: $(awk -v a="$inv" -v b="$nsys" 'BEGIN {printf "%.2f", a / b}')"
echo "# Linux (Debian $kver, -smp 1, -icount shift=0) -> optee.ko -> MicroTEE -> demo TA;"
echo "# null invoke = TA_DEMO_CMD_GET_SESSION_COUNT (one value out); medians of $(cut -d' ' -f1 "$argsfile") invokes,"
echo "# $(cut -d' ' -f2 "$argsfile") open+close pairs, 2000 getppid() calls (the same-run baseline);"
echo "# counted with $method;"

# ---- crypto: the table ----
sizes="16 64 256 1024 4096 16384"
algs="sha256 aes128gcm"
cmethod=$(sed -n 's/^crypto_method: //p' "$nwlog" | tail -1)
csamples=$(sed -n 's/^crypto_samples: //p' "$nwlog" | tail -1)
shadrv=$(sed -n 's/^crypto_afalg_sha256_driver: //p' "$nwlog" | tail -1)
gcmdrv=$(sed -n 's/^crypto_afalg_gcm_driver: //p' "$nwlog" | tail -1)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
md=$B/bench-crypto.md
{
	echo "# Crypto: MicroTEE against Linux's kernel crypto"
	echo
	echo "Generated by \`make bench\` (bench/run.sh, host/nw/bench_crypto.c, ta/crypto_bench)."
	echo "Instructions per operation under QEMU \`-icount shift=0\` (one CPU, Debian Linux $kver),"
	echo "medians; lower is better. (a)/(c) and (b)/(c) below 1 mean MicroTEE needs fewer."
	echo
	echo "- **(a) TA**: a TA calling the crypto service through the GP API, timed inside the TA"
	echo "  (system counter, 16 instructions per tick; samples of back-to-back operations)."
	echo "- **(b) Linux→TA**: a Linux program, one \`TEEC_InvokeCommand\` per operation on"
	echo "  pre-allocated shared memory (libteec, optee.ko, the gateway, the TA, the crypto service)."
	echo "- **(c) Linux AF_ALG**: the same program using Linux's kernel crypto API, per operation"
	echo "  \`send\`/\`sendmsg\` + \`read\` on an already set-up socket (socket, bind, setkey and accept"
	echo "  are not counted). Drivers: sha256 → $shadrv; gcm(aes) → $gcmdrv."
	echo
	echo "One operation: SHA-256 = the digest of the whole buffer (\`TEE_DigestDoFinal\`);"
	echo "AES-128-GCM = encryption with the key already set: \`TEE_AEInit\` (12-byte nonce, 128-bit"
	echo "tag, no AAD) + \`TEE_AEEncryptFinal\`. Every size's output from the TA equals AF_ALG's."
	echo "(b) and (c) counted with $cmethod; $csamples."
	echo "(a) is checked from Linux too: the difference between two runs of the TA's own"
	echo "measurement that differ only in the number of operations, counted with perf (both worlds):"
	sed -n 's/^bench_crypto: cross-check of (a) \(.*\)/\1/p' "$nwlog" | sed 's/^/  - /'
	echo
	echo "| algorithm | bytes | (a) TA | (b) Linux→TA | (c) Linux AF_ALG | (a)/(c) | (b)/(c) |"
	echo "|---|--:|--:|--:|--:|--:|--:|"
} >"$md"
for alg in $algs; do
	for n in $sizes; do
		a=$(value "crypto_ta_${alg}_${n}_insns")
		b=$(value "crypto_nw_ta_${alg}_${n}_insns")
		c=$(value "crypto_afalg_${alg}_${n}_insns")
		if [ -z "$a" ] || [ -z "$b" ] || [ -z "$c" ] || [ "$c" -eq 0 ]; then
			nwfail "crypto results missing for $alg $n" "$nwlog"
		fi
		echo "crypto_ta_${alg}_${n}_insns: $a"
		echo "crypto_nw_ta_${alg}_${n}_insns: $b"
		echo "crypto_afalg_${alg}_${n}_insns: $c"
		echo "crypto_ta_per_afalg_${alg}_${n}: $(ratio "$a" "$c")"
		echo "crypto_nw_ta_per_afalg_${alg}_${n}: $(ratio "$b" "$c")"
		echo "| ${alg/aes128gcm/AES-128-GCM} | $n | $a | $b | $c | $(ratio "$a" "$c") | $(ratio "$b" "$c") |" |
			sed 's/| sha256 |/| SHA-256 |/' >>"$md"
	done
done
echo "# crypto: instructions per operation under QEMU -icount shift=0; (a) crypto_ta: a TA"
echo "# calling the crypto service, timed in the TA; (b) crypto_nw_ta: Linux -> TEEC_InvokeCommand"
echo "# -> TA; (c) crypto_afalg: Linux AF_ALG send+read, socket setup excluded; $csamples"
sed -n 's/^bench_crypto: \(cross-check of (a) .*\)/# \1/p' "$nwlog"
echo "# Linux up after ${boot:-?} s of virtual time; this boot took $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s wall (log: $nwlog)"
echo
cat "$md"
cp "$md" "$here/CRYPTO.md"
echo
echo "# table written to $md and bench/CRYPTO.md"

# ---- the key service (bench/keys.sh): attest_report_insns, seal_4k_insns ----
"$here/keys.sh" "$image"

# ---- secure storage (bench/storage.sh): storage_{ree,flash}_*_insns ----
"$here/storage.sh" "$image"

# ---- one call, layer by layer (bench/layers.sh; issue 16) ----
echo
"$here/layers.sh"

# ---- the peer: OP-TEE (bench/optee/run.sh), then bench/REPORT.md and plots ----
echo
echo "# OP-TEE from Debian packages (bench/optee/run.sh; a few minutes)"
"$here/optee/run.sh" | tee "$B/bench-optee.out"

# ---- throughput from two CPUs (bench/tput.sh): wall time, no -icount ----
echo
echo "# invoke throughput, one CPU against two, MicroTEE and OP-TEE (bench/tput.sh; a few minutes)"
"$here/tput.sh" "$image" | tee "$B/bench-tput.out"
"$here/report.sh" "$B"
