#!/usr/bin/env bash
# fetch.sh — OP-TEE's own test suite from Debian packages, for issue 14's
# xtest runs and for loading OP-TEE's binary TAs.
#
# Fetches, for arm64 from $NW_USER_SUITE (trixie), by package name:
#   optee-test-qemu   xtest and the TAs it drives, built by OP-TEE 4.5's kit for
#                     QEMU and signed with OP-TEE's default development key
#   libckteec0t64     the PKCS#11 client library xtest links (its other
#                     libraries, libteec2 and libssl3t64, are in the normal
#                     world's set already: scripts/nw/nw-common.sh)
#   optee-os-dev      OP-TEE's TA development kit, for its signing key
# into build/cache/debs/ (beside the normal world's packages), and unpacks:
#   $XTEST_CACHE/root/                 the xtest packages merged, as on the target
#   $XTEST_CACHE/optee_ta_key.pem      the public half of the kit's TA key
#   $XTEST_CACHE/xtest-packages.txt    versions and sha256 of what was fetched
# The machine's apt configuration is never touched; the mirror is the one
# scripts/nw/fetch-debs.sh derives from the machine's apt sources.
#
# Usage: scripts/xtest/fetch.sh [--refresh]
# Environment: XTEST_CACHE (build/cache/xtest), NW_DEB_MIRROR, NW_KEYRING.
set -euo pipefail

# shellcheck source=scripts/nw/nw-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../nw/nw-common.sh"

XTEST_CACHE=${XTEST_CACHE:-$NW_CACHE/xtest}
XTEST_PKGS=(optee-test-qemu libckteec0t64)
KIT_PKG=optee-os-dev
KEYRING=${NW_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
MANIFEST=$XTEST_CACHE/xtest-packages.txt
STAMP=$XTEST_CACHE/fetch.stamp
STAMP_KEY="suite=$NW_USER_SUITE pkgs=${XTEST_PKGS[*]} kit=$KIT_PKG v1"

REFRESH=0
case ${1:-} in
    --refresh) REFRESH=1 ;;
    "") ;;
    *) nw_die "usage: $0 [--refresh]" ;;
esac

if ((!REFRESH)) && [[ -f $STAMP && $(cat "$STAMP") == "$STAMP_KEY" &&
        -s $XTEST_CACHE/optee_ta_key.pem && -d $XTEST_CACHE/root ]]; then
    nw_log "xtest cache complete ($MANIFEST); --refresh to re-fetch"
    exit 0
fi
rm -f "$STAMP"

# The normal world's packages first: its private apt state for the user
# suite (sources, lists) is what this script downloads with.
"$NW_SCRIPTS/fetch-debs.sh" || nw_die "scripts/nw/fetch-debs.sh failed"
command -v openssl >/dev/null || nw_die "openssl missing (scripts/deps.sh)"
MIRROR=$(derive_mirror)
mkdir -p "$NW_DEBS" "$XTEST_CACHE"
[[ -d $(nw_apt_dir "$NW_USER_SUITE")/lists ]] || nw_setup_suite "$NW_USER_SUITE"
if ((REFRESH)); then nw_setup_suite "$NW_USER_SUITE"; fi

manifest=$(mktemp)
trap 'rm -f "$manifest"' EXIT
{
    for p in "${XTEST_PKGS[@]}" "$KIT_PKG"; do nw_download "$NW_USER_SUITE" "$p"; done
} >"$manifest"

rm -rf "$XTEST_CACHE/root" "$XTEST_CACHE/kit"
mkdir -p "$XTEST_CACHE/root" "$XTEST_CACHE/kit"
while read -r pkg _ _ file; do
    if [[ $pkg == "$KIT_PKG" ]]; then
        dpkg-deb -x "$NW_DEBS/$file" "$XTEST_CACHE/kit"
    else
        dpkg-deb -x "$NW_DEBS/$file" "$XTEST_CACHE/root"
    fi
done <"$manifest"

# The kit ships the development key pair; only its public half is kept.
key=$(find "$XTEST_CACHE/kit" -path '*/keys/default_ta.pem' -print -quit)
[[ -n $key ]] || nw_die "no keys/default_ta.pem in $KIT_PKG"
openssl rsa -in "$key" -pubout -out "$XTEST_CACHE/optee_ta_key.pem" 2>/dev/null ||
    nw_die "cannot read the public key of $key"
rm -rf "$XTEST_CACHE/kit"

xtest=$(find "$XTEST_CACHE/root" -type f -name xtest -print -quit)
[[ -n $xtest ]] || nw_die "no xtest program in ${XTEST_PKGS[0]}"
ntas=$(find "$XTEST_CACHE/root" -name '*.ta' | wc -l)
((ntas > 0)) || nw_die "no *.ta files in ${XTEST_PKGS[0]}"

{
    echo "# package version suite file sha256 — written by scripts/xtest/fetch.sh"
    while read -r pkg ver suite file; do
        printf '%s %s %s %s %s\n' "$pkg" "$ver" "$suite" "$file" \
            "$(sha256sum "$NW_DEBS/$file" | cut -d' ' -f1)"
    done <"$manifest"
    echo "# xtest ${xtest#"$XTEST_CACHE/root"}, $ntas TAs"
} >"$MANIFEST"
printf '%s\n' "$STAMP_KEY" >"$STAMP"
nw_log "xtest: ${xtest#"$XTEST_CACHE/root"} and $ntas TAs in $XTEST_CACHE/root; key $XTEST_CACHE/optee_ta_key.pem"
