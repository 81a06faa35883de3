#!/usr/bin/env bash
# bench/boot/stamp.sh IN.cpio.gz OUT.cpio.gz — OUT is IN with bench/boot/
# init_stamp as /init and IN's own /init moved to /init.real, so that the
# first thing Linux runs records CNTVCT_EL0 in /init_stamp ("TICKS FREQ").
# The rc scripts print it as init_cntvct_ticks (bench/run.sh, bench/optee).
# A second gzip'd cpio archive is appended: the kernel unpacks both, later
# entries replacing earlier ones.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
in=$(realpath "$1") out=$(realpath "$2")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stamp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
${CROSS:-aarch64-linux-gnu-}gcc -Os -static -nostdlib -ffreestanding -fno-stack-protector \
	-o "$tmp/init" "$here/init_stamp.c"
mkdir "$tmp/x" "$tmp/root"
(cd "$tmp/x" && gzip -dc "$in" | cpio -id --quiet init)
cp "$tmp/x/init" "$tmp/root/init.real"
cp "$tmp/init" "$tmp/root/init"
chmod 755 "$tmp/root/init" "$tmp/root/init.real"
(cd "$tmp/root" && printf 'init\ninit.real\n' | cpio -o -H newc -R 0:0 --quiet | gzip -9) >"$tmp/add.gz"
cat "$in" "$tmp/add.gz" >"$tmp/out.gz"
mv "$tmp/out.gz" "$out"
