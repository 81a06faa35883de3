#!/usr/bin/env bash
# bench/optee/run.sh — the peer measurement: the same Linux benchmark as
# bench/run.sh (host/nw/bench_invoke: null TEEC_InvokeCommand, open+close
# session, getppid() as the same-run baseline) against OP-TEE instead of
# MicroTEE, on the same QEMU machine, under -icount shift=0.
#
# The stack, all Debian packages (scripts/optee/fetch-build.sh):
#   TF-A (source package arm-trusted-firmware, built PLAT=qemu SPD=opteed),
#   OP-TEE OS (optee-os, vexpress-qemu_armv8a) as BL32, and as BL33 either
#   Debian's kernel itself (OPTEE_BL33=linux, the default: no boot loader, as
#   with MicroTEE; the initramfs is put in RAM by -device loader and named by
#   initrd=ADDR,SIZE on the command line) or U-Boot from u-boot-qemu
#   (OPTEE_BL33=uboot: it boots the kernel from fw_cfg, i.e. the very
#   -kernel/-initrd/-append options of MicroTEE's boot);
#   the demo TA (ta/demo, unmodified) built with optee-os-dev and signed with
#   its default key, loaded by tee-supplicant from /lib/optee_armtz/.
#
# Prints `optee_*: N` lines (instructions unless the name says otherwise) and
# `#` comment lines describing the run; exits non-zero with a message naming the
# log when any step fails.
#
# Environment: BENCH_TIMEOUT (seconds for the boot, default 300),
#   BENCH_INVOKE_ARGS (default "2000 200": invokes, open+close pairs),
#   QEMU_CPU (default max,sve=off,sme=off,pauth-impdef=on, as bench/run.sh),
#   OPTEE_BL33 (linux or uboot, see above),
#   SMP (1), MEM (1024), QEMU_EXTRA (more QEMU arguments, split on spaces),
#   BENCH_BOOTS (default 1; N > 1 boots N times with QEMU -seed 1..N and
#   reports the median of the per-boot medians), OPTEE_BENCH_LOGS (default
#   build/bench-optee).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
timeout_s=${BENCH_TIMEOUT:-300}
logs=${OPTEE_BENCH_LOGS:-$root/build/bench-optee}
out=$root/build/optee
mkdir -p "$logs" "$out"
rm -f "$logs"/linux*.log "$logs"/secure*.log "$logs"/qemu*.log "$logs"/qemu-cmdline*.txt

fail() { # message [log]
	echo "bench/optee: FAILED: $1${2:+ (see $2)}" >&2
	exit 1
}
step() { # name log command...
	local name=$1 log=$2
	shift 2
	"$@" >"$log" 2>&1 || fail "$name" "$log"
}

t0=$(date +%s.%N)
step "fetching and building the OP-TEE stack from Debian packages" "$logs/fetch-build.log" \
	"$root/scripts/optee/fetch-build.sh"
# shellcheck source=/dev/null
source "$root/build/cache/optee/optee.env"
bl33=${OPTEE_BL33:-linux}
case $bl33 in linux | uboot) ;; *) fail "OPTEE_BL33 must be linux or uboot, not '$bl33'" ;; esac
step "building host/nw/bench_invoke.c" "$logs/build-bench.log" \
	make -s -C "$root" -f scripts/nw/nw.mk nw-bench-invoke
step "building host/nw/bench_crypto.c" "$logs/build-bench-crypto.log" \
	make -s -C "$root" -f bench/nw/bench.mk nw-bench-crypto
step "building bench/optee/optee_check.c" "$logs/build-check.log" \
	make -s -C "$root" -f bench/optee/optee.mk optee-check optee-ta-self-diff
step "building ta/demo with Debian's optee-os-dev TA dev kit" "$logs/build-ta.log" \
	make -C "$root" -f bench/optee/optee.mk optee-demo-ta
step "building ta/crypto_bench with Debian's optee-os-dev TA dev kit" "$logs/build-crypto-ta.log" \
	make -C "$root" -f bench/optee/optee.mk optee-crypto-ta
step "building ta/installed with Debian's optee-os-dev TA dev kit" "$logs/build-installed-ta.log" \
	make -C "$root" -f bench/optee/optee.mk optee-installed-ta
iuuid=$(sed -n 's/^BINARY *= *//p' "$root/ta/installed/Makefile")
ita=$out/ta/installed/$iuuid.ta
[ -s "$ita" ] || fail "no $ita after the TA build" "$logs/build-installed-ta.log"
cuuid=$(sed -n 's/^BINARY *= *//p' "$root/ta/crypto_bench/Makefile")
cta=$out/ta/crypto_bench/$cuuid.ta
[ -s "$cta" ] || fail "no $cta after the TA build" "$logs/build-crypto-ta.log"
step "unpacking the kernel crypto modules" "$logs/modules.log" \
	"$root/bench/nw/crypto-modules.sh" "$out/modules"
mapfile -t modspecs <"$out/modules/specs"
uuid=$(sed -n 's/^BINARY *= *//p' "$root/ta/demo/Makefile")
ta=$out/ta/demo/$uuid.ta
[ -s "$ta" ] || fail "no $ta after the TA build" "$logs/build-ta.log"
ta_warnings=$(grep -c 'warning:' "$logs/build-ta.log" || true)

argsfile=$out/bench_invoke.args
echo "${BENCH_INVOKE_ARGS:-2000 200 21}" >"$argsfile"
cargsfile=$out/bench_crypto.args
echo "${BENCH_CRYPTO_ARGS:-301 201 16}" >"$cargsfile"
initrd=$out/bench_optee.cpio.gz
step "building the initramfs" "$logs/initramfs.log" \
	"$root/scripts/nw/mkinitramfs.sh" "$initrd" "$here/rc.optee_bench:/etc/rc.test" \
	"$root/build/nw/bench_invoke:/usr/bin/" "$out/optee_check:/usr/bin/" "$out/ta_self_diff:/usr/bin/" \
	"$argsfile:/etc/bench_invoke.args" "$ta:/lib/optee_armtz/" \
	"$root/build/nw/bench_crypto:/usr/bin/" "$cargsfile:/etc/bench_crypto.args" \
	"$cta:/lib/optee_armtz/" "$ita:/lib/optee_armtz/" "${modspecs[@]}"
step "stamping the initramfs's /init (bench/boot/stamp.sh)" "$logs/stamp.log" \
	"$root/bench/boot/stamp.sh" "$initrd" "$initrd"
t_prep=$(date +%s.%N)

# ---- boot: the machine options of bench/run.sh (scripts/run-qemu.sh) ----
# boot N [QEMU args...]: one boot; logs $logs/linux[.N].log (UART0: TF-A,
# U-Boot, Linux) and $logs/secure[.N].log (UART1: OP-TEE); fails with a message
# unless everything ran. Sets nwlog, swlog, cmdline.
boot() {
	local n=$1 sfx=
	shift
	[ "$boots" -eq 1 ] || sfx=.$n
	nwlog=$logs/linux$sfx.log
	swlog=$logs/secure$sfx.log
	rm -f "$nwlog" "$swlog"
	local qemu=(qemu-system-aarch64
		-machine "virt,secure=on,gic-version=$OPTEE_GIC,virtualization=off"
		-cpu "${QEMU_CPU:-max,sve=off,sme=off,pauth-impdef=on}" -smp "${SMP:-1}" -m "${MEM:-1024}"
		-nographic -monitor none -nic none -serial "file:$nwlog" -serial "file:$swlog")
	case $bl33 in
	linux)
		# -kernel only because QEMU takes -append only with it; Linux is BL33 in
		# the FIP and the fw_cfg copy is not used.
		qemu+=(-bios "$OPTEE_FLASH_LINUX" -no-reboot -icount shift=0
			-kernel "$root/build/cache/nw-kernel/Image"
			-device "loader,file=$initrd,addr=$OPTEE_LINUX_INITRD_ADDR,force-raw=on"
			-append "console=ttyAMA0 panic=-1 initrd=$OPTEE_LINUX_INITRD_ADDR,$(stat -c %s "$initrd")")
		;;
	uboot)
		qemu+=(-bios "$OPTEE_FLASH_UBOOT"
			-drive "if=pflash,unit=1,format=raw,readonly=on,file=$OPTEE_UBOOT_ENV"
			-no-reboot -icount shift=0
			-kernel "$root/build/cache/nw-kernel/Image" -initrd "$initrd"
			-append "console=ttyAMA0 panic=-1")
		;;
	esac
	qemu+=("$@")
	# shellcheck disable=SC2206 # QEMU_EXTRA is a list of arguments
	qemu+=(${QEMU_EXTRA:-})
	local a
	for a in "${qemu[@]}"; do # the command line, quoted for a POSIX shell
		case $a in
		*[!A-Za-z0-9_./:=,+-]*) printf "'%s' " "$a" ;;
		*) printf '%s ' "$a" ;;
		esac
	done | sed 's/ $//' >"$logs/qemu-cmdline$sfx.txt"
	echo >>"$logs/qemu-cmdline$sfx.txt"
	cmdline=$(cat "$logs/qemu-cmdline$sfx.txt")
	local qrc=0
	timeout "$timeout_s" "${qemu[@]}" </dev/null >"$logs/qemu$sfx.log" 2>&1 || qrc=$?
	touch "$nwlog" "$swlog"
	tr -d '\r' <"$nwlog" >"$nwlog.txt" && mv "$nwlog.txt" "$nwlog"
	tr -d '\r' <"$swlog" >"$swlog.txt" && mv "$swlog.txt" "$swlog"

	[ "$qrc" -ne 124 ] || fail "QEMU timed out after ${timeout_s}s" "$nwlog, $swlog"
	! grep -Eq 'Panic|E/TC:.*(panic|abort)' "$swlog" || fail "OP-TEE panicked" "$swlog"
	! grep -Eq 'Kernel panic|Oops|BUG:' "$nwlog" || fail "Linux oops or panic" "$nwlog"
	grep -q 'Booting Linux on physical CPU' "$nwlog" ||
		fail "Linux did not start (BL33 = $bl33, QEMU status $qrc)" "$nwlog"
	grep -Eq 'optee: revision [0-9]' "$nwlog" || fail "optee.ko did not probe OP-TEE" "$nwlog"
	grep -q '^rc: /dev/tee0 present' "$nwlog" || fail "no /dev/tee0" "$nwlog"
	grep -q '^optee_check: done' "$nwlog" || fail "optee_check failed (libteec against OP-TEE)" "$nwlog"
	grep -q '^bench_invoke: done' "$nwlog" || fail "bench_invoke did not finish (QEMU status $qrc)" "$nwlog"
	local cf
	cf=$(grep '^bench_crypto: FAIL' "$nwlog" | head -3 || true)
	[ -z "$cf" ] || fail "${cf#bench_crypto: }" "$nwlog"
	grep -q '^bench_crypto: done' "$nwlog" || fail "bench_crypto did not finish (QEMU status $qrc)" "$nwlog"
	! grep -q '^ta_self_diff: FAIL' "$nwlog" || fail "ta_self_diff failed" "$nwlog"
	grep -q '^ta_self_diff: done' "$nwlog" || fail "ta_self_diff did not finish" "$nwlog"
	grep -q 'QEMU System Power off' "$nwlog" || fail "no PSCI SYSTEM_OFF (QEMU status $qrc)" "$nwlog"
}
value() { sed -n "s/^$1: \([0-9][0-9]*\)\$/\1/p" "$nwlog" | tail -1; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# One boot as bench/run.sh does, or BENCH_BOOTS boots with QEMU -seed 1..N (the
# guest's random numbers, hence OP-TEE's, the TA's and Linux's address-space
# randomisation, differ from boot to boot and move the medians by ~1%).
boots=${BENCH_BOOTS:-1}
nsys_all='' inv_all='' oc_all='' load_all=''
for n in $(seq 1 "$boots"); do
	if [ "$boots" -eq 1 ]; then boot 1; else boot "$n" -seed "$n"; fi
	nsys=$(value linux_null_syscall_insns)
	inv=$(value invoke_roundtrip_insns)
	oc=$(value open_close_session_insns)
	load=$(value ta_load_insns)
	if [ -z "$nsys" ] || [ -z "$inv" ] || [ -z "$oc" ] || [ -z "$load" ]; then
		fail "results missing" "$nwlog"
	fi
	nsys_all+=" $nsys" inv_all+=" $inv" oc_all+=" $oc" load_all+=" $load"
done
load=$(echo "$load_all" | median)
t_boot=$(date +%s.%N)
nsys=$(echo "$nsys_all" | median)
inv=$(echo "$inv_all" | median)
oc=$(echo "$oc_all" | median)
method=$(sed -n 's/^invoke_method: //p' "$nwlog" | tail -1)
rev=$(sed -n 's/.*optee: revision \([0-9.]*\).*/\1/p' "$nwlog" | head -1)
optee_ver=$(sed -n 's/^I\/TC: OP-TEE version: //p' "$swlog" | head -1)
boot=$(sed -n 's/^rc: kernel .* up \([0-9.]*\) s$/\1/p' "$nwlog")
heap=$(value optee_heap_allocated_bytes)
heap_size=$(value optee_heap_size_bytes)
kib() { echo $((($(cat "$@" | wc -c) + 1023) / 1024)); }
d=$OPTEE_IMAGES
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b - a}'; }

echo "optee_linux_null_syscall_insns: $nsys"
echo "optee_invoke_roundtrip_insns: $inv"
echo "optee_open_close_session_insns: $oc"
echo "optee_ta_load_insns: $load"
echo "optee_invoke_roundtrip_per_linux_null_syscall: $(awk -v a="$inv" -v b="$nsys" 'BEGIN {printf "%.2f", a / b}')"
[ -z "$heap" ] || echo "optee_heap_allocated_bytes: $heap"
[ -z "$heap_size" ] || echo "optee_heap_size_bytes: $heap_size"
# SHA-256 and AES-128-GCM (host/nw/bench_crypto.c, ta/crypto_bench built with
# the kit; from the last boot): (a) timed in the TA with CNTVCT_EL0, (b) Linux
# -> TEEC_InvokeCommand -> TA, (c) Linux AF_ALG in the same boot.
for alg in sha256 aes128gcm; do
	for sz in 16 64 256 1024 4096 16384; do
		for w in ta_diff nw_ta afalg; do
			v=$(value "crypto_${w}_${alg}_${sz}_insns")
			[ -n "$v" ] || fail "crypto result crypto_${w}_${alg}_${sz}_insns missing" "$nwlog"
			echo "optee_crypto_${w/ta_diff/ta}_${alg}_${sz}_insns: $v"
		done
	done
done
stamp=$(value init_cntvct_ticks)
[ -z "$stamp" ] || echo "optee_reset_to_init_insns: $((stamp * 16))"
echo "optee_core_image_kib: $(kib "$d"/tee-header_v2.bin "$d"/tee-pager_v2.bin "$d"/tee-pageable_v2.bin)"
echo "optee_tfa_bl31_kib: $(kib "$d/$bl33/bl31.bin")"
echo "# instructions under QEMU -icount shift=0; counted with $method"
echo "# Linux (Debian $(cat "$root/build/cache/nw-kernel/version"), -smp ${SMP:-1}) -> optee.ko -> TF-A BL31 -> OP-TEE -> demo TA;"
echo "# null invoke = TA_DEMO_CMD_GET_SESSION_COUNT; medians of $(cut -d' ' -f1 "$argsfile") invokes, $(cut -d' ' -f2 "$argsfile") open+close pairs"
[ "$boots" -eq 1 ] || echo "# median over $boots boots (-seed 1..$boots): invoke$inv_all; open+close$oc_all"
echo "# OP-TEE $optee_ver (optee-os $OPTEE_VERSION, optee.ko sees revision $rev); optee-os-dev $OPTEE_DEV_VERSION;"
if [ "$bl33" = uboot ]; then
	echo "# TF-A arm-trusted-firmware $TFA_VERSION (built here); BL33 U-Boot u-boot-qemu $UBOOT_VERSION"
else
	echo "# TF-A arm-trusted-firmware $TFA_VERSION (built here); BL33 the Linux Image itself"
fi
echo "# crypto: $(sed -n 's/^crypto_method: //p' "$nwlog" | tail -1); $(sed -n 's/^crypto_samples: //p' "$nwlog" | tail -1)"
echo "# crypto (a): ta/crypto_bench built with optee-os-dev; OP-TEE traps CNTVCT_EL0 at S-EL0 and TEE_GetSystemTime has ms resolution,"
echo "# so (a) is counted from Linux (bench/optee/ta_self_diff.c: CNTVCT around two SELF calls differing only in the number of operations)"
echo "# reset_to_init: CNTVCT_EL0 x 16 read by the first instruction of /init (bench/boot/init_stamp.c): virtual ns since reset"
echo "# demo TA built with optee-os-dev, unmodified sources, $ta_warnings compiler warning(s) (log: $logs/build-ta.log)"
echo "# Linux up after ${boot:-?} s of virtual time (its own clock); prepare $(secs "$t0" "$t_prep") s, boot+bench $(secs "$t_prep" "$t_boot") s wall"
echo "# qemu: $cmdline"
