#!/usr/bin/env bash
# ta_kit.sh — the TA kit outside the tree (issue 17): `make ta-kit` installs
# the kit into a temporary folder; its example TA and client are copied to
# another one and built there with TA_DEV_KIT_DIR only; then the production
# image boots Linux with the TA in /lib/optee_armtz and the client run from
# /etc/rc.test, and the client's calls must succeed.
#   - the kit installs, with every part its README names;
#   - the kit's TA build reads nothing of the tree (its make files name no
#     path in it, and no compile or link command does);
#   - the example TA builds, signed, into OP-TEE's container with its UUID;
#   - the example client builds against the kit's client.mk;
#   - booted, the client passes and the TA was loaded from the normal world.
# Prints `ok - ...` / `FAIL - ...` and `N passed, M failed` last.
set -uo pipefail
SUITE=ta_kit
# shellcheck source=tests/system/checks.sh
source "$(dirname "$0")/checks.sh"
finish() {
	summary
	exit
}
tmp=$(mktemp -d /tmp/mt-ta-kit.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
kit=$tmp/kit
proj=$tmp/hello
uuid=f3a527ac-ab41-4bc2-806f-517e9a841859

make -s -C "$root" ta-kit DESTDIR="$kit" >"$logs/ta_kit.install.log" 2>&1
rc=$?
parts=(mk/ta_dev_kit.mk mk/sign.mk mk/client.mk include/tee_internal_api.h lib/crt0.o lib/rt.o
	lib/args.o lib/libtee.a lib/user.ld src/user_ta_header.c bin/tasign keys/ta_dev_key.pem
	examples/hello/ta/Makefile examples/hello/host/Makefile README.md)
missing=
for p in "${parts[@]}"; do [ -s "$kit/$p" ] || missing+=" $p"; done
check "make ta-kit installs every part (missing:${missing:- none}; log: $logs/ta_kit.install.log)" \
	eval "[ $rc -eq 0 ] && [ -z '$missing' ]"
[ $rc -eq 0 ] || finish
check "the kit's TA make files name no path in the tree" \
	eval "! grep -l '$root' '$kit/mk/ta_dev_kit.mk' '$kit/mk/sign.mk'"

cp -r "$kit/examples/hello" "$proj"
tlog=$logs/ta_kit.ta-build.log
make -C "$proj/ta" TA_DEV_KIT_DIR="$kit" V=1 >"$tlog" 2>&1
rc=$?
check "the example TA builds outside the tree (log: $tlog)" eval "[ $rc -eq 0 ] && [ -s '$proj/ta/out/$uuid.ta' ]"
check "no command of the TA build reads the tree" eval "[ $rc -eq 0 ] && ! grep -q '$root' '$tlog'"
# OP-TEE's container: magic "HSTO" and, after the 20-byte header, the hash
# and the signature, the TA's UUID.
ta=$proj/ta/out/$uuid.ta
hdr_uuid=$(od -An -tx1 -j $((20 + 32 + 256)) -N 16 "$ta" 2>/dev/null | tr -d ' \n')
check "the TA is signed in OP-TEE's container with its UUID" \
	eval "[ \"\$(head -c 4 '$ta' 2>/dev/null)\" = HSTO ] && [ '$hdr_uuid' = '${uuid//-/}' ]"
clog=$logs/ta_kit.client-build.log
make -C "$proj/host" TA_DEV_KIT_DIR="$kit" >"$clog" 2>&1
rc=$?
check "the example client builds with the kit's client.mk (log: $clog)" \
	eval "[ $rc -eq 0 ] && [ -x '$proj/host/out/hello' ]"
[ -s "$ta" ] && [ -x "$proj/host/out/hello" ] || finish

# Boot: the production image, Linux, the TA where tee-supplicant looks.
cat >"$tmp/rc.test" <<'RC'
#!/bin/sh
hello kit
echo "rc: hello exit status $?"
RC
initrd=$tmp/kit.cpio.gz
"$root/scripts/nw/mkinitramfs.sh" "$initrd" "$proj/host/out/hello:/usr/bin/" \
	"$ta:/usr/lib/optee_armtz/" "$tmp/rc.test:/etc/rc.test" >"$logs/ta_kit.initramfs.log" 2>&1
slog=$logs/ta_kit.secure.log
nlog=$logs/ta_kit.nw.log
rm -f "$slog" "$nlog"
SMP=2 SECURE_CONSOLE="file:$slog" NW_CONSOLE="file:$nlog" QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
	timeout "${KIT_TIMEOUT:-180}" "$root/scripts/run-qemu.sh" "$B/microtee.bin" nw \
	-kernel "$B/cache/nw-kernel/Image" -initrd "$initrd" -append "console=ttyAMA0 panic=-1 quiet" \
	</dev/null >/dev/null 2>&1
check "the kit-built client passes on the production image (logs: $nlog, $slog)" \
	eval "tr -d '\r' <'$nlog' | grep -q '^hello: PASS' && tr -d '\r' <'$nlog' | grep -q \"^hello: the TA says 'hello, kit'\""
check "the kit-built TA was loaded from /lib/optee_armtz and ran" \
	eval "grep -q '\[init\] TA $uuid.ta from the normal world' '$slog' && grep -q 'hello TA: session opened' '$slog'"
grep -Eq 'KERNEL PANIC|\[mon\] unexpected' "$slog" 2>/dev/null && check "secure world healthy" false
finish
