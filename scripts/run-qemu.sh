#!/usr/bin/env bash
# run-qemu.sh IMAGE [CMDLINE] [extra qemu args...]: boots MicroTEE on QEMU
# virt with the secure world on. The secure console (UART1) goes to
# $SECURE_CONSOLE (default stdio); the normal-world console (UART0) to
# $NW_CONSOLE (default: discarded).
# Environment: SMP (CPUs, default 1), MEM (MiB, default 1024), QEMU_CPU (the
# -cpu model, default max,sve=off,sme=off), VIRT (on: the CPUs have EL2 and
# the normal world starts there; default off), SECURE_CONSOLE, NW_CONSOLE,
# QEMU_EXTRA.
set -euo pipefail
image=$1
cmdline=${2:-}
shift $(( $# >= 2 ? 2 : 1 ))
args=(-machine virt,secure=on,gic-version=3,virtualization=${VIRT:-off}
	-cpu "${QEMU_CPU:-max,sve=off,sme=off}" -smp "${SMP:-1}" -m "${MEM:-1024}"
	-nographic -monitor none
	-serial "${NW_CONSOLE:-null}" -serial "${SECURE_CONSOLE:-stdio}"
	-bios "$image" -no-reboot)
if [ -n "$cmdline" ]; then
	args+=(-fw_cfg "name=opt/microtee/cmdline,string=$cmdline")
fi
exec qemu-system-aarch64 "${args[@]}" ${QEMU_EXTRA:-} "$@"
