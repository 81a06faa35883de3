#!/usr/bin/env bash
# mkinitramfs.sh — build the normal-world initramfs (gzip'd newc cpio).
#
# Usage: scripts/nw/mkinitramfs.sh OUT.cpio.gz [SRC:DEST ...]
#
# Contents, all from the Debian packages fetched by fetch-debs.sh (run first,
# or let this script run it):
#   /usr/bin/busybox (static; /bin/sh link, every applet linked by /init at boot)
#   /usr/sbin/tee-supplicant, libteec.so.2, and the glibc loader + libraries
#     they need (found by walking DT_NEEDED)
#   tee.ko, optee.ko (or $NW_BASE_MODULES; and $NW_EXTRA_MODULES) with their dependencies per
#     modules.dep (decompressed)
#   /init: mounts proc/sys/dev, insmods the modules, mounts the disk (below),
#     starts tee-supplicant if /dev/teepriv0 exists, then runs /etc/rc.test if
#     present (and powers off when it returns), else an interactive shell on
#     the console.
# NW_DISK=1: the image also mounts the normal world's disk (/dev/vda, an ext4
#   image from scripts/nw/mkdisk.sh that scripts/run-qemu.sh attaches with
#   DISK=FILE) on /var/lib/optee-client/data before tee-supplicant starts, so
#   that tee-supplicant's files live on it; with the modules that needs
#   (virtio_mmio, virtio_blk, ext4 and its crc32c).
# Each SRC:DEST copies one of our own files to DEST in the image (DEST ending in
# '/' keeps SRC's name). Dynamically linked extras get their libraries too.
# A /etc/rc.test of one's own is given as e.g. tests/foo.sh:/etc/rc.test.
set -euo pipefail

# shellcheck source=nw-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/nw-common.sh"

(($# >= 1)) || nw_die "usage: $0 OUT.cpio.gz [SRC:DEST ...]"
OUT=$1; shift
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac

# Modules to load, in order; their dependencies are added in front.
# NW_BASE_MODULES replaces the default pair (empty: no TEE driver at all,
# for a test that speaks the SMC ABI itself, tests/system/nw_fuzz.sh).
read -ra NW_MODULES <<<"${NW_BASE_MODULES-tee optee}"
# NW_EXTRA_MODULES (names, space-separated) are loaded after them, e.g. the
# AF_ALG interfaces and crypto templates a test uses.
read -ra nw_extra_modules <<<"${NW_EXTRA_MODULES:-}"
NW_MODULES+=("${nw_extra_modules[@]}")
NW_DISK_DIR=/var/lib/optee-client/data
[[ ${NW_DISK:-0} == 1 ]] && NW_MODULES+=(virtio_mmio virtio_blk crc32c_generic ext4)

"$NW_SCRIPTS/fetch-debs.sh"      # fast no-op once the cache is complete
KVER=$(cat "$NW_KDIR/version")
MODDIR=$(readlink -f "$NW_KDIR/modules")

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/nw-initramfs.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

# ---------------------------------------------------------------- skeleton
# Merged-/usr layout like Debian: /bin, /sbin, /lib are links into /usr.
mkdir -p "$STAGE"/{usr/bin,usr/sbin,usr/lib/aarch64-linux-gnu,proc,sys,dev,tmp,run,root,etc,mnt} \
         "$STAGE"/var/lib/optee-client/data "$STAGE"/usr/lib/optee_armtz
ln -s usr/bin "$STAGE/bin"
ln -s usr/sbin "$STAGE/sbin"
ln -s usr/lib "$STAGE/lib"
chmod 1777 "$STAGE/tmp"

# copy_from_sysroot REL — copy sysroot-relative REL to the same place in the
# image, keeping symbolic links and copying what they point to as well.
copy_from_sysroot() {
    local rel=${1#/} target
    while :; do
        [[ -e $STAGE/$rel || -L $STAGE/$rel ]] && return 0
        [[ -e $NW_SYSROOT/$rel || -L $NW_SYSROOT/$rel ]] ||
            nw_die "not in sysroot: /$rel"
        mkdir -p "$STAGE/$(dirname "$rel")"
        cp -a "$NW_SYSROOT/$rel" "$STAGE/$rel"
        [[ -L $NW_SYSROOT/$rel ]] || return 0
        target=$(readlink "$NW_SYSROOT/$rel")
        case $target in
            /*) rel=${target#/} ;;
            *)  rel=$(dirname "$rel")/$target ;;
        esac
        rel=$(realpath -m --relative-to=/ "/$rel")   # fold '..' and '.'
    done
}

# copy_libs_for FILE... — the loader and every library the ELF files need.
copy_libs_for() {
    local kind path closure
    closure=$(nw_lib_closure "$@") || nw_die "unresolved libraries (see above)"
    while read -r kind path; do
        [[ -n $kind ]] || continue
        case $kind in
            lib) copy_from_sysroot "$path" ;;
            interp)   # /lib/ld-linux-*.so.1: /lib is a link to usr/lib in the image
                path=${path#/}; [[ $path == usr/* ]] || path=usr/$path
                copy_from_sysroot "$path" ;;
        esac
    done <<<"$closure"
}

# ---------------------------------------------------------------- user space
copy_from_sysroot usr/bin/busybox
ln -s busybox "$STAGE/usr/bin/sh"
copy_from_sysroot usr/sbin/tee-supplicant
copy_from_sysroot usr/lib/aarch64-linux-gnu/libteec.so.2
copy_libs_for "$NW_SYSROOT/usr/sbin/tee-supplicant" "$NW_SYSROOT/usr/lib/aarch64-linux-gnu/libteec.so.2"
# glibc dlopen()s libgcc_s for pthread_cancel/unwinding: ship it when present.
if rel=$(nw_find_lib libgcc_s.so.1); then copy_from_sysroot "$rel"; fi

# ---------------------------------------------------------------- modules
# modules.dep lines: "kernel/a/b.ko[.xz]: kernel/dep1.ko kernel/dep2.ko"; each
# line lists all dependencies, the one to load first last.
modpath() {   # module name -> path relative to $MODDIR
    awk -F: -v n="$1" '{ p = $1; sub(/.*\//, "", p); sub(/\.ko(\.[a-z]+)?$/, "", p);
                         gsub(/-/, "_", p); m = n; gsub(/-/, "_", m)
                         if (p == m) { print $1; exit } }' "$MODDIR/modules.dep"
}
moddeps() {   # module path -> its dependencies, load order
    awk -F: -v k="$1" '$1 == k { n = split($2, d, " "); for (i = n; i >= 1; i--) print d[i] }' \
        "$MODDIR/modules.dep"
}
declare -a load_order=()
declare -A queued=()
for m in "${NW_MODULES[@]}"; do
    p=$(modpath "$m"); [[ -n $p ]] || nw_die "module $m not in $MODDIR/modules.dep"
    for q in $(moddeps "$p") "$p"; do
        [[ -z ${queued[$q]:-} ]] || continue
        queued[$q]=1; load_order+=("$q")
    done
done
mkdir -p "$STAGE/lib/modules/$KVER"
: >"$STAGE/etc/nw-modules"
for q in "${load_order[@]}"; do
    dest=lib/modules/$KVER/${q%.xz}; dest=${dest%.zst}; dest=${dest%.gz}
    mkdir -p "$STAGE/$(dirname "$dest")"
    case $q in      # insmod wants a plain ELF module
        *.xz)  xz -dc "$MODDIR/$q" >"$STAGE/$dest" ;;
        *.zst) zstd -qdc "$MODDIR/$q" >"$STAGE/$dest" ;;
        *.gz)  gzip -dc "$MODDIR/$q" >"$STAGE/$dest" ;;
        *)     cp "$MODDIR/$q" "$STAGE/$dest" ;;
    esac
    echo "/$dest" >>"$STAGE/etc/nw-modules"
done
[[ ${NW_DISK:-0} == 1 ]] && echo "/dev/vda $NW_DISK_DIR" >"$STAGE/etc/nw-disk"

# ---------------------------------------------------------------- /init
cat >"$STAGE/init" <<'EOF'
#!/bin/sh
# MicroTEE normal-world init (generated by scripts/nw/mkinitramfs.sh).
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run

echo "init: $(uname -sr) $(uname -m)"
while read -r mod; do
    insmod "$mod" || echo "init: insmod $mod failed"
done </etc/nw-modules

# The normal world's disk (NW_DISK=1): tee-supplicant's files on it.
if [ -f /etc/nw-disk ]; then
    read -r disk_dev disk_dir </etc/nw-disk
    for _ in $(seq 50); do
        [ -b "$disk_dev" ] && break
        sleep 0.1
    done
    mkdir -p "$disk_dir"
    if mount -t ext4 "$disk_dev" "$disk_dir"; then
        echo "init: mounted $disk_dev on $disk_dir"
    else
        echo "init: mounting $disk_dev on $disk_dir failed"
    fi
fi

# tee-supplicant serves the OP-TEE driver's RPCs (normal-world storage, TA files).
# optee.ko probes during insmod; give udev-less devtmpfs a moment only when the
# device tree announces an OP-TEE firmware node at all.
if [ -d /sys/firmware/devicetree/base/firmware/optee ]; then
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        [ -e /dev/teepriv0 ] && break
        sleep 0.1
    done
fi
if [ -e /dev/teepriv0 ]; then
    echo "init: starting tee-supplicant"
    tee-supplicant &
else
    echo "init: no /dev/teepriv0 (no TEE), tee-supplicant not started"
fi

if [ -f /etc/rc.test ]; then
    echo "init: running /etc/rc.test"
    sh /etc/rc.test
    echo "init: /etc/rc.test exited with $?, powering off"
    [ -f /etc/nw-disk ] && { sync; umount "$disk_dir" || echo "init: umount $disk_dir failed"; }
    poweroff -f
fi
echo "init: no /etc/rc.test, starting a shell"
exec setsid cttyhack sh -l
EOF
chmod 755 "$STAGE/init"

# ---------------------------------------------------------------- extras
for spec in "$@"; do
    [[ $spec == *:* ]] || nw_die "extra file '$spec' is not SRC:DEST"
    src=${spec%%:*}; dest=${spec#*:}
    [[ -f $src ]] || nw_die "extra file $src not found"
    [[ $dest == */ ]] && dest=$dest$(basename "$src")
    dest=${dest#/}
    mkdir -p "$STAGE/$(dirname "$dest")"
    cp -L "$src" "$STAGE/$dest"
    if nw_is_dynamic_elf "$src"; then copy_libs_for "$src"; fi
done

# ---------------------------------------------------------------- archive
mkdir -p "$(dirname "$OUT")"
(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort |
    cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9n >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
nw_log "wrote $OUT ($(du -h "$OUT" | cut -f1), kernel $KVER, modules: ${load_order[*]##*/})"
