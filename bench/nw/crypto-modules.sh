#!/usr/bin/env bash
# crypto-modules.sh DIR — the Linux kernel modules bench_crypto needs for
# AF_ALG, unpacked into DIR for the initramfs: AF_ALG's hash and AEAD
# interfaces, and the ARMv8 crypto-extension drivers that a Debian system's
# udev loads from the CPU's features (SHA-256, AES, GHASH and gcm(aes)), with
# the generic gcm/ctr templates as fallbacks; dependencies first (from
# modules.dep). Writes DIR/list (the modules' paths in the image, in load
# order: /etc/bench-modules) and DIR/specs (SRC:DEST lines for
# scripts/nw/mkinitramfs.sh, the list included).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
kver=$(cat "$root/build/cache/nw-kernel/version")
moddir=$(readlink -f "$root/build/cache/nw-kernel/modules")
rm -rf "$out"
mkdir -p "$out"
: >"$out/list"
: >"$out/specs"
declare -A seen=()
modpath() { # name -> its path in modules.dep
	awk -F: -v n="$1" '{ p = $1; sub(/.*\//, "", p); sub(/\.ko(\.[a-z]+)?$/, "", p);
		gsub(/-/, "_", p); m = n; gsub(/-/, "_", m); if (p == m) { print $1; exit } }' \
		"$moddir/modules.dep"
}
for m in af_alg algif_hash algif_aead sha256-arm64 sha2-ce aes-ce-cipher aes-ce-blk \
	gf128mul ghash-ce ctr gcm; do
	p=$(modpath "$m")
	[ -n "$p" ] || { echo "crypto-modules: $m is not in $moddir/modules.dep" >&2; exit 1; }
	for q in $(awk -F: -v k="$p" '$1 == k { n = split($2, d, " "); for (i = n; i >= 1; i--) print d[i] }' \
		"$moddir/modules.dep") "$p"; do
		[ -z "${seen[$q]:-}" ] || continue
		seen[$q]=1
		base=$(basename "$q")
		base=${base%.xz}
		base=${base%.zst}
		base=${base%.gz}
		case $q in
		*.xz) xz -dc "$moddir/$q" >"$out/$base" ;;
		*.zst) zstd -qdc "$moddir/$q" >"$out/$base" ;;
		*.gz) gzip -dc "$moddir/$q" >"$out/$base" ;;
		*) cp "$moddir/$q" "$out/$base" ;;
		esac
		echo "$out/$base:/lib/modules/$kver/bench/$base" >>"$out/specs"
		echo "/lib/modules/$kver/bench/$base" >>"$out/list"
	done
done
echo "$out/list:/etc/bench-modules" >>"$out/specs"
