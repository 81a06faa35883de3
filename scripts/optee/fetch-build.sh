#!/usr/bin/env bash
# fetch-build.sh — the peer stack for the benchmarks: OP-TEE on QEMU virt,
# built only from Debian packages, into the git-ignored cache.
#
# What it fetches (suite $OPTEE_SUITE, default trixie), by package name:
#   arm-trusted-firmware  source package (apt-get source): TF-A, built here for
#                         PLAT=qemu with the OP-TEE dispatcher (SPD=opteed)
#   optee-os              binary (arm64): OP-TEE OS, its vexpress-qemu_armv8a build
#                         (tee-header_v2.bin + tee-pager_v2.bin [+ tee-pageable_v2.bin])
#   optee-os-dev          binary (arm64): the TA development kit for that build,
#                         with the default TA signing key
#   u-boot-qemu           binary (all): qemu_arm64/u-boot.bin, a BL33 that loads
#                         Linux from QEMU's fw_cfg (-kernel/-initrd/-append), the
#                         route OP-TEE's own QEMU v8 setup takes
# and it runs scripts/nw/fetch-debs.sh for the normal world (the same Debian
# kernel, libteec and tee-supplicant that MicroTEE is tested with).
#
# Boot layout (TF-A docs for PLAT=qemu, "Booting via flash based firmware"): a
# flash image with bl1.bin at 0 and fip.bin at 0x40000 (256 KiB), given to QEMU
# with -bios; the FIP holds BL2, BL31, BL32 (= tee-header_v2.bin), BL32_EXTRA1
# (= tee-pager_v2.bin) and BL33. BL2 adds /psci to QEMU's DTB at 0x40000000,
# OP-TEE adds /firmware/optee and its reserved memory. Two builds, by BL33:
#   flash-linux.bin  BL33 = Debian's kernel Image (ARM_LINUX_KERNEL_AS_BL33=1,
#                    entered with x0 = the DTB): no boot loader, like MicroTEE.
#                    QEMU puts the initramfs in RAM with -device loader at
#                    OPTEE_LINUX_INITRD_ADDR and the command line names it
#                    (initrd=ADDR,SIZE); -kernel is still given, only because
#                    QEMU allows -append only with it (the copy in fw_cfg is unused).
#   flash-uboot.bin  BL33 = U-Boot, which boots the kernel from fw_cfg: the very
#                    -kernel/-initrd/-append options of MicroTEE's boot. Needs
#                    uboot-env.img as -drive if=pflash,unit=1: Debian U-Boot's own
#                    default environment with bootdelay=0, since the 2 s autoboot
#                    countdown costs ~2e9 instructions of busy waiting under
#                    -icount shift=0.
#
# Results (build/cache/optee/):
#   out/flash-linux.bin out/flash-uboot.bin out/uboot-env.img   what QEMU boots
#   out/{linux,uboot}/{bl1,bl2,bl31,fip}.bin out/tee*.bin out/u-boot.bin  the parts
#   ta_dev_kit -> the optee-os-dev kit (TA_DEV_KIT_DIR) for vexpress-qemu_armv8a
#   optee.env                       shell variables for the boot scripts
#   optee-packages.txt              versions and sha256 of every .deb/.dsc, TF-A's
#                                   make command lines
#   tfa-build-{linux,uboot}.log     TF-A build logs
# The machine's apt configuration is never touched: apt runs with private
# sources/lists/cache under build/cache/optee/apt/, pointed at the mirror that
# scripts/nw/fetch-debs.sh derived from the machine's own apt sources
# (override: NW_DEB_MIRROR).
#
# Usage: scripts/optee/fetch-build.sh [--refresh]
#   --refresh   re-read the package lists and rebuild even if the cache is complete
# Environment: OPTEE_SUITE (trixie), OPTEE_CACHE (build/cache/optee), NW_DEB_MIRROR,
#              NW_KEYRING, OPTEE_JOBS (make -j, default nproc).
set -euo pipefail

# shellcheck source=scripts/nw/nw-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../nw/nw-common.sh"

OPTEE_SUITE=${OPTEE_SUITE:-trixie}
OPTEE_CACHE=${OPTEE_CACHE:-$NW_CACHE/optee}
KEYRING=${NW_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
JOBS=${OPTEE_JOBS:-$(nproc)}
OPTEE_PLAT=vexpress-qemu_armv8a        # the optee-os flavour QEMU virt runs
BIN_PKGS=(optee-os optee-os-dev u-boot-qemu)
SRC_PKG=arm-trusted-firmware
STAMP_VERSION=v2                          # bump when the build recipe changes

log() { printf '[optee] %s\n' "$*" >&2; }
die() { printf '[optee] error: %s\n' "$*" >&2; exit 1; }

REFRESH=0
case ${1:-} in
    --refresh) REFRESH=1 ;;
    "") ;;
    *) die "usage: $0 [--refresh]" ;;
esac
t_start=$(date +%s.%N)

APT=$OPTEE_CACHE/apt
DEBS=$OPTEE_CACHE/debs
PKGS=$OPTEE_CACHE/pkgs
SRC=$OPTEE_CACHE/src
TFA_BUILD=$OPTEE_CACHE/tfa-build
OUT=$OPTEE_CACHE/out
MANIFEST=$OPTEE_CACHE/optee-packages.txt
ENVFILE=$OPTEE_CACHE/optee.env
STAMP=$OPTEE_CACHE/build.stamp

# ---------------------------------------------------------------- host tools
# TF-A's build (gcc, the cross gcc, fiptool over libcrypto), the U-Boot
# environment (python3) and OP-TEE's TA signing script (python3-cryptography,
# run by Debian's /usr/bin/python3): scripts/deps.sh's "bench" profile.
ensure_host_tools() {
    "$NW_ROOT/scripts/deps.sh" bench >/dev/null || die "host packages missing (scripts/deps.sh bench)"
}

# ---------------------------------------------------------------- private apt
apt_run() {   # apt_run TOOL ARGS... — apt-get/apt-cache against $APT only
    local tool=$1; shift
    "$tool" \
        -oAPT::Architecture=arm64 -oAPT::Architectures=arm64 \
        -oDir::Etc::SourceList=/dev/null -oDir::Etc::SourceParts="$APT/parts" \
        -oDir::Etc::Preferences=/dev/null -oDir::Etc::PreferencesParts="$APT/parts" \
        -oDir::State::Lists="$APT/lists" -oDir::State::status="$APT/status" \
        -oDir::Cache="$APT/cache" -oAPT::Sandbox::User=root \
        -oAPT::Get::List-Cleanup=false -oDebug::NoLocking=true \
        -oAcquire::Languages=none \
        "$@"
}

# The mirror URI that scripts/nw/fetch-debs.sh derived from the machine's apt
# sources (it wrote it into its private sources file), or NW_DEB_MIRROR.
mirror_uri() {
    if [[ -n ${NW_DEB_MIRROR:-} ]]; then printf '%s\n' "${NW_DEB_MIRROR%/}"; return; fi
    local f uri
    for f in "$NW_CACHE/apt-nw-$NW_USER_SUITE/parts/nw.sources" "$NW_CACHE"/apt-nw-*/parts/nw.sources; do
        [[ -f $f ]] || continue
        uri=$(awk 'tolower($1) == "uris:" { print $2; exit }' "$f")
        [[ -n $uri ]] && { printf '%s\n' "${uri%/}"; return; }
    done
    die "no mirror URI: scripts/nw/fetch-debs.sh did not leave $NW_CACHE/apt-nw-*/parts/nw.sources; set NW_DEB_MIRROR"
}

setup_apt() {
    local mirror=$1
    mkdir -p "$APT/parts" "$APT/lists/partial" "$APT/cache/archives/partial"
    : >"$APT/status"
    cat >"$APT/parts/optee.sources" <<EOF
# Generated by scripts/optee/fetch-build.sh; URI from the machine's apt sources.
Types: deb deb-src
URIs: $mirror
Suites: $OPTEE_SUITE
Components: main
Architectures: arm64
Signed-By: $KEYRING
EOF
    log "apt-get update ($OPTEE_SUITE, arm64 + sources)"
    apt_run apt-get -qq update || die "apt-get update failed for $OPTEE_SUITE at $mirror"
}

candidate() { apt_run apt-cache policy "$1" | awk '/Candidate:/ { print $2 }'; }
src_version() {
    apt_run apt-cache showsrc "$1" |
        awk '/^Version:/ { print $2 }' | sort -V | tail -n1
}

# deb_file PKG VER — name of the downloaded .deb in $DEBS (any architecture), if any.
deb_file() {
    find "$DEBS" -maxdepth 1 -name "${1}_${2//:/%3a}_*.deb" -printf '%f\n' | head -n1
}

# fetch_bin PKG — download PKG's candidate into $DEBS; print "PKG VER FILE".
fetch_bin() {
    local pkg=$1 ver file
    ver=$(candidate "$pkg")
    [[ -n $ver && $ver != "(none)" ]] || die "package $pkg not found in $OPTEE_SUITE (arm64/all)"
    file=$(deb_file "$pkg" "$ver")
    if [[ -z $file ]]; then
        find "$DEBS" -maxdepth 1 -name "${pkg}_*.deb" -delete
        log "downloading $pkg $ver"
        (cd "$DEBS" && apt_run apt-get -qq download "$pkg=$ver") >&2 ||
            die "apt-get download $pkg=$ver failed"
        file=$(deb_file "$pkg" "$ver")
    fi
    [[ -n $file && -s $DEBS/$file ]] || die "download of $pkg=$ver produced no .deb"
    printf '%s %s %s\n' "$pkg" "$ver" "$file"
}

# The kernel Image is part of flash-linux.bin: its identity is part of the key.
kernel_key() {
    printf 'kernel=%s:%s' "$(cat "$NW_KDIR/version")" \
        "$(sha256sum "$NW_KDIR/Image" | cut -c1-16)"
}

# ---------------------------------------------------------------- fast path
ensure_host_tools
"$NW_SCRIPTS/fetch-debs.sh" || die "scripts/nw/fetch-debs.sh failed"
[[ -s $NW_KDIR/Image ]] || die "no $NW_KDIR/Image from scripts/nw/fetch-debs.sh"
KERNEL_KEY=$(kernel_key)

if ((!REFRESH)) && [[ -f $STAMP && -f $ENVFILE && -f $MANIFEST && -s $OUT/flash-linux.bin &&
        -s $OUT/flash-uboot.bin && -s $OUT/uboot-env.img && -d $OPTEE_CACHE/ta_dev_kit/mk ]]; then
    # The stamp names the exact inputs; anything else means rebuild.
    stamp=$(cat "$STAMP")
    if [[ $stamp == "$(sed -n 's/^# key: //p' "$MANIFEST")" && $stamp == *" $KERNEL_KEY" ]]; then
        log "cache complete ($MANIFEST); --refresh to re-fetch and rebuild"
        exit 0
    fi
fi
rm -f "$STAMP"

MIRROR=$(mirror_uri)
log "mirror (from the machine's apt sources via scripts/nw): $MIRROR"
mkdir -p "$DEBS" "$PKGS" "$SRC" "$OUT"
setup_apt "$MIRROR"

# ---------------------------------------------------------------- binaries
declare -A VER FILE
for p in "${BIN_PKGS[@]}"; do
    line=$(fetch_bin "$p") || exit 1
    read -r _ v f <<<"$line"
    VER[$p]=$v; FILE[$p]=$f
    rm -rf "${PKGS:?}/$p"
    dpkg-deb -x "$DEBS/$f" "$PKGS/$p" || die "dpkg-deb -x $f failed"
done

OPTEE_DIR=$PKGS/optee-os/usr/lib/optee/$OPTEE_PLAT
KIT=$PKGS/optee-os-dev/usr/lib/optee-os-dev/$OPTEE_PLAT
UBOOT=$PKGS/u-boot-qemu/usr/lib/u-boot/qemu_arm64/u-boot.bin
[[ -d $OPTEE_DIR ]] || die "optee-os ${VER[optee-os]} has no $OPTEE_PLAT build (has: $(find "$PKGS/optee-os/usr/lib/optee" -mindepth 1 -maxdepth 1 -printf '%f '))"
[[ -f $KIT/mk/ta_dev_kit.mk ]] || die "optee-os-dev ${VER[optee-os-dev]} has no $OPTEE_PLAT TA dev kit"
[[ -f $KIT/keys/default_ta.pem ]] || die "optee-os-dev has no keys/default_ta.pem (TA signing key)"
[[ -s $UBOOT ]] || die "u-boot-qemu ${VER[u-boot-qemu]} has no qemu_arm64/u-boot.bin"
ln -sfn "${KIT#"$OPTEE_CACHE"/}" "$OPTEE_CACHE/ta_dev_kit"

# BL32 images: the v2 header + pager (+ pageable when the pager is on), or a
# plain tee.bin (BL32 only).
BL32_ARGS=()
if [[ -s $OPTEE_DIR/tee-header_v2.bin && -s $OPTEE_DIR/tee-pager_v2.bin ]]; then
    BL32_ARGS+=(BL32="$OPTEE_DIR/tee-header_v2.bin" BL32_EXTRA1="$OPTEE_DIR/tee-pager_v2.bin")
    [[ -s $OPTEE_DIR/tee-pageable_v2.bin ]] && BL32_ARGS+=(BL32_EXTRA2="$OPTEE_DIR/tee-pageable_v2.bin")
elif [[ -s $OPTEE_DIR/tee.bin ]]; then
    BL32_ARGS+=(BL32="$OPTEE_DIR/tee.bin")
else
    die "no tee-header_v2.bin/tee-pager_v2.bin or tee.bin in $OPTEE_DIR"
fi

# The GIC OP-TEE was built for decides TF-A's GIC driver and QEMU's gic-version.
kitconf=$KIT/host_include/conf.mk
[[ -f $kitconf ]] || kitconf=$KIT/mk/conf.mk
if grep -q '^CFG_ARM_GICV3=y' "$kitconf"; then GIC=3; else GIC=2; fi

# ---------------------------------------------------------------- TF-A source
SRCVER=$(src_version "$SRC_PKG")
[[ -n $SRCVER ]] || die "source package $SRC_PKG not found in $OPTEE_SUITE"
dsc=${SRC_PKG}_${SRCVER#*:}.dsc
if [[ ! -f $SRC/$dsc ]]; then
    log "apt-get source --download-only $SRC_PKG=$SRCVER"
    (cd "$SRC" && apt_run apt-get -qq --download-only source "$SRC_PKG=$SRCVER") >&2 ||
        die "apt-get source $SRC_PKG=$SRCVER failed"
fi
TFA_SRC=$SRC/$SRC_PKG-${SRCVER#*:}
if [[ ! -f $TFA_SRC/plat/qemu/qemu/platform.mk ]]; then
    rm -rf "$TFA_SRC"
    log "dpkg-source -x $dsc"
    # The .dsc's checksums are verified by apt through the signed Release chain.
    (cd "$SRC" && dpkg-source --no-check -x "$dsc" "$TFA_SRC") >/dev/null ||
        die "dpkg-source -x $dsc failed"
fi
[[ -f $TFA_SRC/plat/qemu/qemu/platform.mk ]] || die "$SRC_PKG $SRCVER has no plat/qemu"

# ---------------------------------------------------------------- TF-A build
# Debian's own rules build TF-A with CROSS_COMPILE=aarch64-linux-gnu-,
# CFLAGS=--param=min-pagesize=0 and an empty LDFLAGS; same here. BUILD_STRING
# is set so TF-A does not take `git describe` of the enclosing repository.
TFA_COMMON=(
    CROSS_COMPILE=aarch64-linux-gnu- CFLAGS=--param=min-pagesize=0 LDFLAGS=
    PLAT=qemu DEBUG=0 SPD=opteed BL32_RAM_LOCATION=tdram
    "QEMU_USE_GIC_DRIVER=QEMU_GICV$GIC" "${BL32_ARGS[@]}"
    BUILD_STRING="debian-$SRCVER"
)
shown() {   # the arguments for the record, file paths shortened to names
    local a out=()
    for a in "$@"; do
        case $a in *=/*) out+=("${a%%=*}=${a##*/}") ;; *) out+=("$a") ;; esac
    done
    printf '%s\n' "${out[*]}"
}
# build_tfa NAME ARGS... — one TF-A build into $TFA_BUILD/NAME; its flash image
# (bl1.bin at 0, fip.bin at 0x40000) becomes $OUT/flash-NAME.bin.
TFA_RECORD=()
build_tfa() {
    local name=$1; shift
    local args=("${TFA_COMMON[@]}" "$@" BUILD_BASE="$TFA_BUILD/$name")
    local blog=$OPTEE_CACHE/tfa-build-$name.log t r f
    log "building TF-A $SRCVER ($name): make $(shown "${args[@]}") all fip"
    TFA_RECORD+=("# TF-A ($name): make $(shown "${args[@]}") all fip")
    rm -rf "${TFA_BUILD:?}/$name"
    t=$(date +%s.%N)
    make -C "$TFA_SRC" -j"$JOBS" "${args[@]}" all fip >"$blog" 2>&1 ||
        { tail -n 30 "$blog" >&2; die "TF-A build ($name) failed (log: $blog)"; }
    r=$TFA_BUILD/$name/qemu/release
    for f in bl1.bin bl2.bin bl31.bin fip.bin qemu_fw.bios; do
        [[ -s $r/$f ]] || die "TF-A build ($name) produced no $f (log: $blog)"
    done
    cp "$r/qemu_fw.bios" "$OUT/flash-$name.bin"
    (($(stat -c %s "$OUT/flash-$name.bin") <= 64 << 20)) ||
        die "flash-$name.bin exceeds QEMU's 64 MiB flash0"
    mkdir -p "$OUT/$name"
    cp "$r/bl1.bin" "$r/bl2.bin" "$r/bl31.bin" "$r/fip.bin" "$OUT/$name/"
    log "TF-A ($name) built in $(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
}

rm -rf "${OUT:?}"/* "$TFA_BUILD" "$OPTEE_CACHE"/tfa-build*.log
# BL33 = U-Boot: Linux comes from fw_cfg (-kernel/-initrd/-append), the same
# QEMU options as MicroTEE's boot.
build_tfa uboot BL33="$UBOOT"
# BL33 = Linux itself (ARM_LINUX_KERNEL_AS_BL33=1: BL31 enters it with x0 = the
# DTB at 0x40000000): no boot loader, as with MicroTEE's monitor. The Image is
# in the FIP; the initramfs is put in RAM by QEMU (-device loader) and named on
# the command line (initrd=ADDR,SIZE).
build_tfa linux BL33="$NW_KDIR/Image" ARM_LINUX_KERNEL_AS_BL33=1
cp "$OPTEE_DIR"/tee*.bin "$OUT/"
cp "$UBOOT" "$OUT/u-boot.bin"

# U-Boot environment for flash1: Debian U-Boot's built-in default environment
# (read out of u-boot.bin) with bootdelay=0. Layout (CONFIG_ENV_IS_IN_FLASH,
# CONFIG_ENV_ADDR=0x4000000 = flash1, CONFIG_ENV_SIZE=0x40000): CRC32 (LE) of
# the data area, then NUL-separated name=value pairs ending in an empty one.
python3 - "$UBOOT" "$OUT/uboot-env.img" <<'PY' || die "cannot make the U-Boot environment image"
import struct, sys, zlib
ub, out = sys.argv[1], sys.argv[2]
blob = open(ub, "rb").read()
start = blob.find(b"\0bootcmd=")
if start < 0:
    sys.exit("no default environment (bootcmd=...) found in " + ub)
start += 1
end = blob.find(b"\0\0", start)
pairs = [p.decode() for p in blob[start:end].split(b"\0")]
env = dict(p.split("=", 1) for p in pairs)
for need in ("bootdelay", "kernel_addr_r", "ramdisk_addr_r", "boot_targets"):
    if need not in env:
        sys.exit("default environment lacks " + need)
env["bootdelay"] = "0"
size = 0x40000
data = b"".join(f"{k}={v}".encode() + b"\0" for k, v in env.items()) + b"\0"
data = data.ljust(size - 4, b"\0")
with open(out, "wb") as f:
    f.write(struct.pack("<I", zlib.crc32(data) & 0xFFFFFFFF) + data)
    f.truncate(64 << 20)   # QEMU's flash1 is 64 MiB
PY

# ---------------------------------------------------------------- manifest
key="$STAMP_VERSION suite=$OPTEE_SUITE"
for p in "${BIN_PKGS[@]}"; do key+=" $p=${VER[$p]}"; done
key+=" $SRC_PKG=$SRCVER gic=$GIC $KERNEL_KEY"
{
    echo "# package version kind file sha256 — written by scripts/optee/fetch-build.sh"
    for p in "${BIN_PKGS[@]}"; do
        printf '%s %s binary %s %s\n' "$p" "${VER[$p]}" "${FILE[$p]}" \
            "$(sha256sum "$DEBS/${FILE[$p]}" | cut -d' ' -f1)"
    done
    printf '%s %s source %s %s\n' "$SRC_PKG" "$SRCVER" "$dsc" "$(sha256sum "$SRC/$dsc" | cut -d' ' -f1)"
    printf '%s\n' "${TFA_RECORD[@]}"
    echo "# cross compiler: $(aarch64-linux-gnu-gcc --version | head -n1)"
    echo "# OP-TEE: $OPTEE_PLAT, CFG_ARM_GICV3=$( ((GIC == 3)) && echo y || echo n)"
    echo "# key: $key"
} >"$MANIFEST"

# Paths relative to the file's own folder: the tree may be moved or copied.
cat >"$ENVFILE" <<EOF
# Written by scripts/optee/fetch-build.sh: what the OP-TEE boot needs.
# Sourced by bash; the paths are relative to this file's folder.
_optee_here=\$(cd "\$(dirname "\${BASH_SOURCE[0]}")" && pwd)
OPTEE_FLASH_LINUX=\$_optee_here/${OUT#"$OPTEE_CACHE"/}/flash-linux.bin
OPTEE_LINUX_INITRD_ADDR=0x48000000
OPTEE_FLASH_UBOOT=\$_optee_here/${OUT#"$OPTEE_CACHE"/}/flash-uboot.bin
OPTEE_UBOOT_ENV=\$_optee_here/${OUT#"$OPTEE_CACHE"/}/uboot-env.img
OPTEE_IMAGES=\$_optee_here/${OUT#"$OPTEE_CACHE"/}
OPTEE_TA_DEV_KIT=\$_optee_here/${KIT#"$OPTEE_CACHE"/}
OPTEE_GIC=$GIC
OPTEE_VERSION=${VER[optee-os]}
OPTEE_DEV_VERSION=${VER[optee-os-dev]}
TFA_VERSION=$SRCVER
UBOOT_VERSION=${VER[u-boot-qemu]}
EOF
printf '%s\n' "$key" >"$STAMP"

log "all done in $(awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
grep -v '^#' "$MANIFEST" | awk '{ printf "[optee]   %-22s %-22s %s\n", $1, $2, $3 }' >&2
log "boot images: $OUT/flash-linux.bin, $OUT/flash-uboot.bin (+ uboot-env.img); TA kit: $KIT"
