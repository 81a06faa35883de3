# shellcheck shell=bash disable=SC2034  # variables are used by the sourcing scripts
# nw-common.sh — shared settings and helpers for the normal-world (Linux) scripts.
# Sourced by fetch-debs.sh, mkinitramfs.sh and scripts/xtest/fetch.sh; not
# meant to be run directly.
#
# Everything lives under the git-ignored build/ cache:
#   $NW_CACHE/debs/                 downloaded .deb files
#   $NW_CACHE/apt-nw-<suite>/       private apt state (sources, lists, cache) per suite
#   $NW_CACHE/nw-root-parts/<pkg>/  each package unpacked on its own (dpkg-deb -x)
#   $NW_CACHE/nw-sysroot/           all user-space packages unpacked into one tree
#   $NW_CACHE/nw-kernel/            vmlinuz, Image (raw), version, modules -> ...
#   $NW_CACHE/nw-packages.txt       exact package versions fetched (manifest)

NW_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NW_ROOT=${MICROTEE_ROOT:-$(cd "$NW_SCRIPTS/../.." && pwd)}
NW_CACHE=${NW_CACHE:-$NW_ROOT/build/cache}

NW_DEBS=$NW_CACHE/debs
NW_PARTS=$NW_CACHE/nw-root-parts
NW_SYSROOT=$NW_CACHE/nw-sysroot
NW_KDIR=$NW_CACHE/nw-kernel
NW_MANIFEST=$NW_CACHE/nw-packages.txt
NW_STAMP=$NW_CACHE/nw-fetch.stamp

# Suites: the kernel from bookworm (Linux 6.1: a gzip'd Image that QEMU 7.2 loads
# directly), the OP-TEE client user space from trixie (optee-client 4.x).
NW_KERNEL_SUITE=${NW_KERNEL_SUITE:-bookworm}
NW_USER_SUITE=${NW_USER_SUITE:-trixie}
NW_KERNEL_META=${NW_KERNEL_META:-linux-image-arm64}
# libgcc-s1 is libc6's only dependency (glibc dlopen()s libgcc_s for unwinding
# in pthread_cancel/pthread_exit), so it ships too.
NW_USER_PKGS=(busybox-static libc6 libgcc-s1 libteec2 tee-supplicant optee-client-dev)
# OpenSSL's libcrypto (with its headers, and the libraries it links: zlib,
# zstd): the normal world's own ECDSA, to check the TA's signatures
# (host/nw/crypto_e2e.c).
NW_USER_PKGS+=(libssl3t64 libssl-dev zlib1g libzstd1)
# The C library's headers and link files, of the very glibc the initramfs
# ships: normal-world programs build against this pinned sysroot, never
# against a cross glibc that the host may or may not have (scripts/nw/nw.mk).
NW_USER_PKGS+=(libc6-dev linux-libc-dev)

# Multiarch library directories searched inside a sysroot, in ld.so's order.
NW_LIBDIRS=(usr/lib/aarch64-linux-gnu lib/aarch64-linux-gnu usr/lib lib)

nw_log() { printf '[nw] %s\n' "$*" >&2; }
nw_die() { printf '[nw] error: %s\n' "$*" >&2; exit 1; }

# nw_is_dynamic_elf FILE — true for an ELF file that has a dynamic section.
nw_is_dynamic_elf() {
    [[ -f $1 ]] && [[ $(head -c4 "$1" | od -An -c | tr -d ' ') == '177ELF' ]] &&
        readelf -d "$1" 2>/dev/null | grep '(NEEDED)' >/dev/null
}

# nw_needed FILE — the DT_NEEDED sonames of an ELF file, one per line.
nw_needed() {
    readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

# nw_interp FILE — the program interpreter (PT_INTERP) of an ELF file, if any.
nw_interp() {
    readelf -l "$1" 2>/dev/null | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]/\1/p'
}

# nw_find_in_sysroot PATH — the real file for an absolute PATH inside the sysroot.
# Debian trixie is merged-/usr, so /lib/x may be shipped as /usr/lib/x.
nw_find_in_sysroot() {
    local p=${1#/}
    for cand in "$NW_SYSROOT/$p" "$NW_SYSROOT/usr/$p"; do
        [[ -e $cand ]] && { printf '%s\n' "$cand"; return 0; }
    done
    return 1
}

# nw_find_lib SONAME — path of SONAME inside the sysroot, relative to it.
nw_find_lib() {
    local d
    for d in "${NW_LIBDIRS[@]}"; do
        [[ -e $NW_SYSROOT/$d/$1 ]] && { printf '%s\n' "$d/$1"; return 0; }
    done
    return 1
}

# nw_lib_closure FILE... — every library (sysroot-relative path) that the given
# ELF files need, transitively, plus their interpreter(s). Fails listing any
# soname that the sysroot cannot provide.
nw_lib_closure() {
    local -A seen=()
    local -a queue=("$@") missing=()
    local f so rel interp
    while ((${#queue[@]})); do
        f=${queue[0]}; queue=("${queue[@]:1}")
        nw_is_dynamic_elf "$f" || continue
        interp=$(nw_interp "$f")
        if [[ -n $interp && -z ${seen[interp:$interp]:-} ]]; then
            seen[interp:$interp]=1
            nw_find_in_sysroot "$interp" >/dev/null || missing+=("$interp (interpreter of ${f##*/})")
            printf 'interp %s\n' "$interp"
        fi
        while read -r so; do
            [[ -n $so && -z ${seen[$so]:-} ]] || continue
            seen[$so]=1
            if rel=$(nw_find_lib "$so"); then
                printf 'lib %s\n' "$rel"
                queue+=("$NW_SYSROOT/$rel")
            else
                missing+=("$so (needed by ${f##*/})")
            fi
        done < <(nw_needed "$f")
    done
    if ((${#missing[@]})); then
        nw_log "missing from $NW_SYSROOT: ${missing[*]}"
        return 1
    fi
}

# ---- the Debian mirror, from the machine's own apt sources ----
# (fetch-debs.sh for the normal world's packages, fresh-check.sh for the
# fresh root.) APT_ETC (default /etc/apt) is where the sources are read.
APT_ETC=${NW_APT_ETC:-/etc/apt}

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
    uri=$(system_sources | awk -F'\t' -v c="$codename" '$2 == c && $1 ~ /^https?:/ && !u { u = $1 } END { print u }')
    [[ -n $uri ]] || nw_die "no apt source for suite '$codename' in $APT_ETC; set NW_DEB_MIRROR"
    printf '%s\n' "${uri%/}"
}

# ---- private apt (fetch-debs.sh, scripts/xtest/fetch.sh) ----
# The caller sets MIRROR (derive_mirror) and KEYRING; nothing of the
# machine's own apt configuration is read or changed.
# nw_apt SUITE ARGS... — run apt-get/apt-cache (first ARG) against a private
# configuration that knows only MIRROR/SUITE/main for arm64.
nw_apt_dir() { printf '%s/apt-nw-%s\n' "$NW_CACHE" "$1"; }
nw_apt() {
    local suite=$1 tool=$2; shift 2
    local d; d=$(nw_apt_dir "$suite")
    "$tool" \
        -oAPT::Architecture=arm64 -oAPT::Architectures=arm64 \
        -oDir::Etc::SourceList=/dev/null -oDir::Etc::SourceParts="$d/parts" \
        -oDir::Etc::Preferences=/dev/null -oDir::Etc::PreferencesParts="$d/parts" \
        -oDir::State::Lists="$d/lists" -oDir::State::status="$d/status" \
        -oDir::Cache="$d/cache" -oAPT::Sandbox::User=root \
        -oAPT::Get::List-Cleanup=false -oDebug::NoLocking=true \
        "$@"
}

nw_setup_suite() {
    local suite=$1 d; d=$(nw_apt_dir "$suite")
    mkdir -p "$d/parts" "$d/lists/partial" "$d/cache/archives/partial"
    : >"$d/status"   # empty dpkg status: nothing is "installed" for arm64
    cat >"$d/parts/nw.sources" <<EOF
# Generated by scripts/nw (nw_setup_suite) from the machine's apt sources.
Types: deb
URIs: $MIRROR
Suites: $suite
Components: main
Architectures: arm64
Signed-By: $KEYRING
EOF
    nw_log "apt-get update ($suite, arm64)"
    nw_apt "$suite" apt-get -qq update ||
        nw_die "apt-get update failed for $suite (check the keyring $KEYRING signs $suite)"
}

# Candidate version of PKG in SUITE.
nw_candidate() {
    nw_apt "$1" apt-cache policy "$2" | awk '/Candidate:/ { print $2 }'
}

# nw_download SUITE PKG — fetch PKG's candidate into $NW_DEBS (skip if present);
# print "PKG VERSION SUITE FILE".
nw_download() {
    local suite=$1 pkg=$2 ver file arch
    ver=$(nw_candidate "$suite" "$pkg")
    [[ -n $ver && $ver != "(none)" ]] || nw_die "package $pkg not found in $suite/arm64"
    # apt-get download's naming; headers-only packages are Architecture: all.
    # (awk reads to the end: an early exit would kill apt-cache with SIGPIPE,
    # and under pipefail that ends the script, at random, with status 141.)
    arch=$(nw_apt "$suite" apt-cache show "$pkg=$ver" | awk '/^Architecture:/ && !a { a = $2 } END { print a }')
    [[ $arch == arm64 || $arch == all ]] || nw_die "package $pkg=$ver has architecture '$arch'"
    file=${pkg}_${ver//:/%3a}_${arch}.deb
    if [[ ! -s $NW_DEBS/$file ]]; then
        # drop other versions of the same package
        find "$NW_DEBS" -maxdepth 1 -name "${pkg}_*.deb" ! -name "$file" -delete
        nw_log "downloading $pkg $ver ($suite)"
        (cd "$NW_DEBS" && nw_apt "$suite" apt-get -qq download "$pkg=$ver") >&2
    fi
    [[ -s $NW_DEBS/$file ]] || nw_die "download of $pkg=$ver produced no $file"
    printf '%s %s %s %s\n' "$pkg" "$ver" "$suite" "$file"
}
