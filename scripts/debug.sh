#!/usr/bin/env bash
# debug.sh [--secure] [--batch FILE] [CMDLINE]: MicroTEE under QEMU's gdbstub,
# stopped at reset, with gdb-multiarch attached (make debug, make debug-secure).
#
#   (default)   the production image with Debian's Linux, as make run boots it
#               (the Linux console goes to $NW_CONSOLE, default
#               build/normal-console.log; NW_CONSOLE=pty gives a terminal)
#   --secure    the secure world alone, on the test image, with CMDLINE
#               (e.g. "test=crypto_vectors"), as make run-secure boots it
#   --batch F   run gdb's commands from F and exit (tests/system/debug.sh)
#
# The gdb script it writes (build/debug/microtee.gdb) connects, sources
# scripts/debug/microtee.py (mt-ps, mt-break-process, mt-break-ta,
# mt-symbols) and loads the monitor's and the kernel's symbols; the
# symbols of a service or a TA follow the process gdb stops in. The secure
# console goes to build/secure-console.log. docs/debugging.md has a worked
# example. Environment: GDB_PORT (default: a free one), SMP (default 1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
B=$root/build
secure=0
batch=
while [ $# -gt 0 ]; do
	case $1 in
	--secure) secure=1; shift ;;
	--batch) batch=$2; shift 2 ;;
	-h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) break ;;
	esac
done
cmdline=${1:-}
command -v gdb-multiarch >/dev/null || { echo "debug.sh: gdb-multiarch missing (scripts/deps.sh)" >&2; exit 1; }
port=${GDB_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
mkdir -p "$B/debug"
secure_log=$B/secure-console.log
if [ $secure -eq 1 ]; then
	image=$B/microtee-test.bin monitor=monitor-test.elf
	qemu=("$root/scripts/run-qemu.sh" "$image" "$cmdline")
else
	image=$B/microtee.bin monitor=monitor.elf
	"$root/scripts/nw/fetch-debs.sh" >/dev/null
	initrd=$B/nw/run.cpio.gz
	"$root/scripts/nw/mkinitramfs.sh" "$initrd" >/dev/null
	qemu=("$root/scripts/run-qemu.sh" "$image" "nw" -kernel "$B/cache/nw-kernel/Image" -initrd "$initrd"
		-append "console=ttyAMA0 panic=-1 quiet")
fi
script=$B/debug/microtee.gdb
cat >"$script" <<GDB
# Written by scripts/debug.sh for $image.
set pagination off
set confirm off
set architecture aarch64
target remote 127.0.0.1:$port
source $root/scripts/debug/microtee.py
python setup("$B", "$monitor")
GDB
nw_console=${NW_CONSOLE:-file:$B/normal-console.log}
SMP=${SMP:-1} SECURE_CONSOLE="file:$secure_log" NW_CONSOLE="$nw_console" \
	QEMU_CPU=${QEMU_CPU:-max,sve=off,sme=off,pauth-impdef=on} \
	QEMU_EXTRA="-gdb tcp:127.0.0.1:$port -S" "${qemu[@]}" </dev/null >"$B/debug/qemu.log" 2>&1 &
qpid=$!
trap 'kill $qpid 2>/dev/null || true' EXIT
for _ in $(seq 50); do # until QEMU listens
	python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1',$port)))" && break
	sleep 0.1
done
echo "debug.sh: QEMU stopped at reset (gdb port $port); secure console: $secure_log" >&2
if [ -n "$batch" ]; then
	gdb-multiarch -q -batch -x "$script" -x "$batch"
else
	gdb-multiarch -q -x "$script"
fi
