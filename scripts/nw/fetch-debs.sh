#!/usr/bin/env bash
# fetch-debs.sh — fetch the normal-world (Linux) side from Debian packages.
#
# Downloads, for arm64:
#   kernel suite (default bookworm): linux-image-arm64 and the linux-image-6.x-arm64
#                                    package its Depends names
#   user suite   (default trixie):   busybox-static libc6 libgcc-s1 libteec2
#                                    tee-supplicant optee-client-dev
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
APT_ETC=${NW_APT_ETC:-/etc/apt}     # where the machine's apt sources are read from
REFRESH=0
case ${1:-} in
    --refresh) REFRESH=1 ;;
    "") ;;
    *) nw_die "usage: $0 [--refresh]" ;;
esac

t_start=$(date +%s.%N)

# ---------------------------------------------------------------- host tools
# Commands this script and mkinitramfs.sh need, with the package providing each.
ensure_host_tools() {
    local -A pkg_of=(
        [apt-get]=apt [dpkg-deb]=dpkg [cpio]=cpio [gzip]=gzip [xz]=xz-utils
        [zstd]=zstd [readelf]=binutils [od]=coreutils [depmod]=kmod
    )
    local -a missing=()
    local cmd
    for cmd in "${!pkg_of[@]}"; do
        command -v "$cmd" >/dev/null || missing+=("${pkg_of[$cmd]}")
    done
    [[ -f $KEYRING ]] || missing+=(debian-archive-keyring)
    ((${#missing[@]})) || return 0
    nw_log "installing host packages: ${missing[*]}"
    ((EUID == 0)) || nw_die "need root to apt-get install ${missing[*]}"
    # The system lists may be empty on a fresh machine: update once on failure.
    apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
        { apt-get update -qq && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
}

# ---------------------------------------------------------------- mirror URI
# Print "URI<TAB>suite" for every enabled binary ("deb") source of the machine,
# from one-line *.list files and deb822 *.sources files.
system_sources() {
    local f
    for f in "$APT_ETC/sources.list" "$APT_ETC"/sources.list.d/*.list; do
        [[ -f $f ]] || continue
        # deb [opt=val ...] URI suite [component...]
        awk '$1 == "deb" {
                 i = 2
                 if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                 print $i "\t" $(i + 1)
             }' "$f"
    done
    for f in "$APT_ETC"/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        # Paragraphs separated by blank lines; "Field: value", continuation lines
        # start with white space; '#' starts a comment line.
        awk 'function flush(   n, m, u, s, us, ss) {
                 if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no") {
                     n = split(uris, us, " "); m = split(suites, ss, " ")
                     for (u = 1; u <= n; u++) for (s = 1; s <= m; s++) print us[u] "\t" ss[s]
                 }
                 types = uris = suites = enabled = ""; field = ""
             }
             /^[ \t]*#/ { next }
             /^[ \t]*$/ { flush(); next }
             /^[ \t]/   { val = $0; sub(/^[ \t]+/, "", val); cont(val); next }
             {
                 field = tolower($0); sub(/:.*/, "", field)
                 val = $0; sub(/^[^:]*:[ \t]*/, "", val); cont(val)
             }
             function cont(v) {
                 if (field == "types")   types   = types " " v
                 if (field == "uris")    uris    = uris " " v
                 if (field == "suites")  suites  = suites " " v
                 if (field == "enabled") enabled = v
             }
             END { flush() }' "$f"
    done
}

# The Debian mirror: the URI that serves the host's own release (its codename
# as a plain suite, not -security/-updates). NW_DEB_MIRROR overrides.
derive_mirror() {
    if [[ -n ${NW_DEB_MIRROR:-} ]]; then printf '%s\n' "$NW_DEB_MIRROR"; return; fi
    local codename uri
    codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
    [[ -n $codename ]] || nw_die "no VERSION_CODENAME in /etc/os-release; set NW_DEB_MIRROR"
    uri=$(system_sources | awk -F'\t' -v c="$codename" '$2 == c && $1 ~ /^https?:/ { print $1; exit }')
    [[ -n $uri ]] || nw_die "no apt source for suite '$codename' in $APT_ETC; set NW_DEB_MIRROR"
    printf '%s\n' "${uri%/}"
}

# ---------------------------------------------------------------- private apt
# apt_for SUITE ARGS... — run apt-get/apt-cache (first ARG) against a private
# configuration that knows only MIRROR/SUITE/main for arm64.
apt_dir() { printf '%s/apt-nw-%s\n' "$NW_CACHE" "$1"; }
apt_for() {
    local suite=$1 tool=$2; shift 2
    local d; d=$(apt_dir "$suite")
    "$tool" \
        -oAPT::Architecture=arm64 -oAPT::Architectures=arm64 \
        -oDir::Etc::SourceList=/dev/null -oDir::Etc::SourceParts="$d/parts" \
        -oDir::Etc::Preferences=/dev/null -oDir::Etc::PreferencesParts="$d/parts" \
        -oDir::State::Lists="$d/lists" -oDir::State::status="$d/status" \
        -oDir::Cache="$d/cache" -oAPT::Sandbox::User=root \
        -oAPT::Get::List-Cleanup=false -oDebug::NoLocking=true \
        "$@"
}

setup_suite() {
    local suite=$1 d; d=$(apt_dir "$suite")
    mkdir -p "$d/parts" "$d/lists/partial" "$d/cache/archives/partial"
    : >"$d/status"   # empty dpkg status: nothing is "installed" for arm64
    cat >"$d/parts/nw.sources" <<EOF
# Generated by scripts/nw/fetch-debs.sh from the machine's apt sources.
Types: deb
URIs: $MIRROR
Suites: $suite
Components: main
Architectures: arm64
Signed-By: $KEYRING
EOF
    nw_log "apt-get update ($suite, arm64)"
    apt_for "$suite" apt-get -qq update ||
        nw_die "apt-get update failed for $suite (check the keyring $KEYRING signs $suite)"
}

# Candidate version of PKG in SUITE.
candidate() {
    apt_for "$1" apt-cache policy "$2" | awk '/Candidate:/ { print $2 }'
}

# download SUITE PKG — fetch PKG's candidate into $NW_DEBS (skip if present);
# print "PKG VERSION SUITE FILE".
download() {
    local suite=$1 pkg=$2 ver file
    ver=$(candidate "$suite" "$pkg")
    [[ -n $ver && $ver != "(none)" ]] || nw_die "package $pkg not found in $suite/arm64"
    file=${pkg}_${ver//:/%3a}_arm64.deb      # apt-get download's naming
    if [[ ! -s $NW_DEBS/$file ]]; then
        # drop other versions of the same package
        find "$NW_DEBS" -maxdepth 1 -name "${pkg}_*_arm64.deb" ! -name "$file" -delete
        nw_log "downloading $pkg $ver ($suite)"
        (cd "$NW_DEBS" && apt_for "$suite" apt-get -qq download "$pkg=$ver") >&2
    fi
    [[ -s $NW_DEBS/$file ]] || nw_die "download of $pkg=$ver produced no $file"
    printf '%s %s %s %s\n' "$pkg" "$ver" "$suite" "$file"
}

# ---------------------------------------------------------------- main
ensure_host_tools

STAMP_KEY="kernel=$NW_KERNEL_SUITE:$NW_KERNEL_META user=$NW_USER_SUITE:${NW_USER_PKGS[*]} v1"
if ((!REFRESH)) && [[ -f $NW_STAMP && $(cat "$NW_STAMP") == "$STAMP_KEY" &&
        -d $NW_SYSROOT && -e $NW_KDIR/vmlinuz && -f $NW_MANIFEST ]]; then
    nw_log "cache complete ($NW_MANIFEST); --refresh to re-fetch"
    exit 0
fi
rm -f "$NW_STAMP"

MIRROR=$(derive_mirror)
nw_log "mirror from the machine's apt sources: $MIRROR"
mkdir -p "$NW_DEBS" "$NW_PARTS"

setup_suite "$NW_KERNEL_SUITE"
[[ $NW_USER_SUITE == "$NW_KERNEL_SUITE" ]] || setup_suite "$NW_USER_SUITE"

# The metapackage depends on exactly one versioned linux-image-<abi>-arm64 package.
kpkg=$(apt_for "$NW_KERNEL_SUITE" apt-cache depends "$NW_KERNEL_META" |
       awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
[[ -n $kpkg ]] || nw_die "cannot follow $NW_KERNEL_META to a linux-image-<version> package"

manifest=$(mktemp)
trap 'rm -f "$manifest"' EXIT
{
    download "$NW_KERNEL_SUITE" "$NW_KERNEL_META"
    download "$NW_KERNEL_SUITE" "$kpkg"
    for p in "${NW_USER_PKGS[@]}"; do download "$NW_USER_SUITE" "$p"; done
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

# Kernel: stable names for the image and the module tree.
kroot=$NW_PARTS/$kpkg
vmlinuz=$(find "$kroot/boot" -maxdepth 1 -name 'vmlinuz-*' | head -n1)
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
ln -s "$vmlinuz" "$NW_KDIR/vmlinuz"
ln -s "$moddir" "$NW_KDIR/modules"
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
