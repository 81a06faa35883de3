#!/usr/bin/env bash
# mk_ree_images.sh ROOT OUT — the TA images tests/system/nw_tee.sh installs in
# the normal world's /lib/optee_armtz, named <uuid>.ta (tee_test's
# test_ree_ta says what each must do):
#   ...0003  the installed TA (ta/installed), signed with the tree's key: works
#   ...0001  a TA's ELF file, not signed
#   ...0002  1.5 MiB: more than a TA image may be
#   ...0004  signed for 0004, then one byte of its ELF changed
#   ...0005  signed for 0005, then cut short by 100 bytes
#   ...0006  signed for 0006 with another RSA-2048 key
#   ...0007  signed for 0007, then its header's image size made one larger
#   ...0008  the installed TA's own image (signed for 0003), named 0008
#   ...0009  signed for 0009, well: its content is not an ELF file
# and, in OUT/versions/, the anti-rollback TA (ta/versioned, ...000a) built
# and signed as version 1 (v1.ta) and version 2 (v2.ta), which tee_test
# installs in turn.
set -euo pipefail
root=$1 out=$2
tasign=$root/build/host/tasign
key=$root/build/cache/keys/ta_dev_key.pem
installed=$root/build/ta/installed/d2b2c2a0-0000-4000-8000-000000000003
u() { printf 'd2b2c2a0-0000-4000-8000-00000000000%s' "$1"; }
rm -rf "$out"
mkdir -p "$out"
cp "$installed.ta" "$out/$(u 3).ta"
cp "$root/build/ta/demo/"*.stripped.elf "$out/$(u 1).ta"
head -c 1572864 /dev/zero >"$out/$(u 2).ta"
# Byte 400 is in the ELF file (the signed header and the UUID take 328).
"$tasign" sign "$key" "$(u 4)" 1 "$installed.stripped.elf" "$out/$(u 4).ta"
printf '\x5a' | dd of="$out/$(u 4).ta" bs=1 seek=400 conv=notrunc status=none
"$tasign" sign "$key" "$(u 5)" 1 "$installed.stripped.elf" "$out/t5"
head -c "$(($(stat -c %s "$out/t5") - 100))" "$out/t5" >"$out/$(u 5).ta"
rm "$out/t5"
openssl genrsa -out "$out/other.pem" 2048 2>/dev/null
"$tasign" sign "$out/other.pem" "$(u 6)" 1 "$installed.stripped.elf" "$out/$(u 6).ta"
rm "$out/other.pem"
"$tasign" sign "$key" "$(u 7)" 1 "$installed.stripped.elf" "$out/$(u 7).ta"
size=$(od -An -tu4 -j8 -N4 "$out/$(u 7).ta" | tr -d ' ')
printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(((size + 1) & 255)) $(((size + 1) >> 8 & 255)) \
	$(((size + 1) >> 16 & 255)) $(((size + 1) >> 24 & 255)))" |
	dd of="$out/$(u 7).ta" bs=1 seek=8 conv=notrunc status=none
cp "$installed.ta" "$out/$(u 8).ta"
head -c 4096 /dev/urandom >"$out/junk"
"$tasign" sign "$key" "$(u 9)" 1 "$out/junk" "$out/$(u 9).ta"
rm "$out/junk"
for v in 1 2; do
	make -s -C "$root/ta/versioned" TA_DEV_KIT_DIR="$root/ta/dev_kit" O="$out/build-v$v" \
		MT_LIB_OUT="$root/build/ta-lib" CFG_WERROR=y TA_CSTD=c11 TA_VERSION_NUMBER=$v
	mkdir -p "$out/versions"
	cp "$out/build-v$v/d2b2c2a0-0000-4000-8000-00000000000a.ta" "$out/versions/v$v.ta"
	rm -rf "$out/build-v$v"
done
ls -l "$out" "$out/versions"
