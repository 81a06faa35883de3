#!/usr/bin/env bash
# fetch-debs.sh — fetch the normal-world (Linux) side from Debian packages.
#
# Downloads, for arm64:
#   kernel suite (default bookworm): linux-image-arm64 and the linux-image-6.x-arm64
#                                    package its Depends names
#   user suite   (default trixie):   busybox-static libc6 libgcc-s1 libteec2
#                                    tee-supplicant optee-client-dev, OpenSSL,
#                                    libc6-dev linux-libc-dev (the NW_USER_PKGS
#                                    list in nw-common.sh)
# into build/cache/debs/ and unpacks them (dpkg-deb -x) into build/cache/nw-root-parts/,
# build/cache/nw-sysroot/ (user space, merged) and build/cache/nw-kernel/ (see
# nw-common.sh for the layout). Versions go to build/cache/nw-packages.txt.
#
# The machine's apt configuration is never changed: apt runs with private
# sources/lists/cache directories under build/cache/apt-nw-<suite>/. The mirror
# URI comes from the machine's own apt sources at run time (override: NW_DEB_MIRROR).
#
# Usage: scripts/nw/fetch-debs.sh [--refresh]
#   --refresh   ignore the completed-fetch stamp; re-read the package lists and
#               fetch whatever versions the mirror has now.
# Environment: NW_CACHE, NW_KERNEL_SUITE, NW_USER_SUITE, NW_DEB_MIRROR, NW_KEYRING,
#              NW_APT_ETC (default /etc/apt).
set -euo pipefail

# shellcheck source=nw-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/nw-common.sh"

KEYRING=${NW_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
REFRESH=0
case ${1:-} in
    --refresh) REFRESH=1 ;;
    "") ;;
    *) nw_die "usage: $0 [--refresh]" ;;
esac

t_start=$(date +%s.%N)

# ---------------------------------------------------------------- host tools
# The commands this script and mkinitramfs.sh run come from the packages that
# scripts/deps.sh lists (its "check" profile); it installs what is missing.
ensure_host_tools() {
    "$NW_ROOT/scripts/deps.sh" check >/dev/null || nw_die "host packages missing (scripts/deps.sh)"
}

# ---------------------------------------------------------------- main
ensure_host_tools

STAMP_KEY="kernel=$NW_KERNEL_SUITE:$NW_KERNEL_META user=$NW_USER_SUITE:${NW_USER_PKGS[*]} v3"
if ((!REFRESH)) && [[ -f $NW_STAMP && $(cat "$NW_STAMP") == "$STAMP_KEY" &&
        -d $NW_SYSROOT && -e $NW_KDIR/vmlinuz && -f $NW_MANIFEST ]]; then
    nw_log "cache complete ($NW_MANIFEST); --refresh to re-fetch"
    exit 0
fi
rm -f "$NW_STAMP"

MIRROR=$(derive_mirror)
nw_log "mirror from the machine's apt sources: $MIRROR"
mkdir -p "$NW_DEBS" "$NW_PARTS"

nw_setup_suite "$NW_KERNEL_SUITE"
[[ $NW_USER_SUITE == "$NW_KERNEL_SUITE" ]] || nw_setup_suite "$NW_USER_SUITE"

# The metapackage depends on exactly one versioned linux-image-<abi>-arm64 package.
kpkg=$(nw_apt "$NW_KERNEL_SUITE" apt-cache depends "$NW_KERNEL_META" |
       awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ && !k { k = $2 } END { print k }')
[[ -n $kpkg ]] || nw_die "cannot follow $NW_KERNEL_META to a linux-image-<version> package"

manifest=$(mktemp)
trap 'rm -f "$manifest"' EXIT
{
    nw_download "$NW_KERNEL_SUITE" "$NW_KERNEL_META"
    nw_download "$NW_KERNEL_SUITE" "$kpkg"
    for p in "${NW_USER_PKGS[@]}"; do nw_download "$NW_USER_SUITE" "$p"; done
} >"$manifest"

# Unpack: one folder per package, and the user-space ones merged into the sysroot.
rm -rf "$NW_SYSROOT" "$NW_KDIR"
mkdir -p "$NW_SYSROOT" "$NW_KDIR"
while read -r pkg ver suite file; do
    rm -rf "${NW_PARTS:?}/$pkg"
    dpkg-deb -x "$NW_DEBS/$file" "$NW_PARTS/$pkg"
    if [[ $suite == "$NW_USER_SUITE" && $pkg != linux-image-* ]]; then
        dpkg-deb -x "$NW_DEBS/$file" "$NW_SYSROOT"
    fi
done <"$manifest"
# Merged /usr, as on the target: the C library's link scripts and the program
# interpreter name /lib/..., which the linker then looks up in the sysroot.
for d in bin sbin lib; do
    [[ -L $NW_SYSROOT/$d ]] && continue
    mkdir -p "$NW_SYSROOT/usr/$d"
    if [[ -d $NW_SYSROOT/$d ]]; then
        cp -a "$NW_SYSROOT/$d/." "$NW_SYSROOT/usr/$d/"
        rm -rf "${NW_SYSROOT:?}/$d"
    fi
    ln -s "usr/$d" "$NW_SYSROOT/$d"
done

# Kernel: stable names for the image and the module tree.
kroot=$NW_PARTS/$kpkg
vmlinuz=$(find "$kroot/boot" -maxdepth 1 -name 'vmlinuz-*' -print -quit)
[[ -n $vmlinuz ]] || nw_die "no /boot/vmlinuz-* in $kpkg"
kver=${vmlinuz##*/vmlinuz-}
moddir=
for d in "$kroot/lib/modules/$kver" "$kroot/usr/lib/modules/$kver"; do
    [[ -d $d ]] && { moddir=$d; break; }
done
[[ -n $moddir ]] || nw_die "no modules directory for $kver in $kpkg"
# Debian generates modules.dep at install time (postinst), so make it here.
depmod -b "${moddir%/lib/modules/*}" "$kver" ||
    nw_die "depmod failed for $kver"
# Relative links: the tree (and its cache) may be moved or copied.
ln -sr "$vmlinuz" "$NW_KDIR/vmlinuz"
ln -sr "$moddir" "$NW_KDIR/modules"
printf '%s\n' "$kver" >"$NW_KDIR/version"
# A raw arm64 Image too (for boot paths that cannot decompress, e.g. our monitor).
if gzip -t "$vmlinuz" 2>/dev/null; then
    gzip -dc "$vmlinuz" >"$NW_KDIR/Image"
else
    cp "$vmlinuz" "$NW_KDIR/Image"
fi

# Sanity: the OP-TEE client binaries find every library they need in the sysroot.
tsup=$(nw_find_in_sysroot /usr/sbin/tee-supplicant) || nw_die "tee-supplicant binary not found"
lteec=$NW_SYSROOT/$(nw_find_lib libteec.so.2) || nw_die "libteec.so.2 not found"
nw_lib_closure "$tsup" "$lteec" >/dev/null ||
    nw_die "runtime libraries missing: add their packages to NW_USER_PKGS in nw-common.sh"

{
    echo "# package version suite file sha256 — written by scripts/nw/fetch-debs.sh"
    while read -r pkg ver suite file; do
        printf '%s %s %s %s %s\n' "$pkg" "$ver" "$suite" "$file" \
            "$(sha256sum "$NW_DEBS/$file" | cut -d' ' -f1)"
    done <"$manifest"
    echo "# kernel $kver"
} >"$NW_MANIFEST"
printf '%s\n' "$STAMP_KEY" >"$NW_STAMP"

nw_log "done in $(awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s; kernel $kver"
grep -v '^#' "$NW_MANIFEST" | awk '{ printf "[nw]   %-32s %-26s %s\n", $1, $2, $3 }' >&2
