#!/usr/bin/env bash
# overlay.sh — the xtest part of the normal world's initramfs: a gzip'd newc
# cpio archive of optee-test-qemu's files as Debian installs them (the xtest
# program, libckteec, the TAs in /usr/lib/optee_armtz, the tee-supplicant
# plugin), to be appended to an initramfs of scripts/nw/mkinitramfs.sh
# (Linux unpacks concatenated archives one after the other).
#
# Usage: scripts/xtest/overlay.sh ROOT BASE OUT
#   ROOT  the unpacked packages (scripts/xtest/fetch.sh: build/cache/xtest/root)
#   BASE  the initramfs it goes with: every library an ELF file of ROOT
#         needs must be in BASE or in ROOT, else this fails and names it
#   OUT   the archive to write
set -euo pipefail
(($# == 3)) || { echo "usage: $0 ROOT BASE OUT" >&2; exit 2; }
xroot=$1 base=$2 out=$3
die() { echo "overlay: $*" >&2; exit 1; }
[[ -x $xroot/usr/bin/xtest ]] || die "no usr/bin/xtest in $xroot"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# Only usr/bin and usr/lib: the base's /lib is a link to usr/lib, and the
# documentation is of no use in the guest.
mkdir -p "$stage/usr"
for d in usr/bin usr/lib; do
	[[ -d $xroot/$d ]] && cp -a "$xroot/$d" "$stage/usr/"
done
nta=$(find "$stage/usr/lib/optee_armtz" -name '*.ta' 2>/dev/null | wc -l)
((nta > 0)) || die "no TAs in $xroot/usr/lib/optee_armtz"

# The libraries: what the base initramfs has, and what the overlay adds.
have=$(mktemp)
{
	zcat "$base" | cpio --quiet -t | sed -n 's|.*/||p'
	find "$stage" \( -type f -o -type l \) -printf '%f\n'
} | sort -u >"$have"
missing=()
while IFS= read -r -d '' f; do
	[[ $(head -c4 "$f" | od -An -c | tr -d ' ') == '177ELF' ]] || continue
	while read -r so; do
		[[ -n $so ]] || continue
		grep -qxF "$so" "$have" || missing+=("$so (needed by ${f#"$stage"/})")
	done < <(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
done < <(find "$stage" -type f ! -name '*.ta' -print0)
rm -f "$have"
((${#missing[@]} == 0)) || die "libraries in neither the base nor the overlay: ${missing[*]}"

mkdir -p "$(dirname "$out")"
(cd "$stage" && find usr -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9n >"$out.tmp"
mv "$out.tmp" "$out"
echo "overlay: wrote $out ($(du -h "$out" | cut -f1)): xtest, $nta TAs"
