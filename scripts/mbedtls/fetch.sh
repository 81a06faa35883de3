#!/usr/bin/env bash
# Fetch Debian's source package `mbedtls` (3.6.x LTS, suite trixie) into
# build/cache/src/ without touching the machine's apt configuration.
#
# The mirror URI is derived at run time from the machine's own apt sources
# (deb822 files in /etc/apt/sources.list.d/ or one-line /etc/apt/sources.list);
# no registry host name is written anywhere in the repository.
#
# Usage: scripts/mbedtls/fetch.sh            (idempotent; instant when present)
# Result: build/cache/src/mbedtls-<upstream version>/ (unpacked, Debian patches
# applied), the symlink build/cache/src/mbedtls pointing at it, the Debian
# version in build/cache/src/mbedtls.version, and the stamp
# build/cache/src/mbedtls.dir (the folder's name, written last).  Prints the
# directory on stdout.
# Environment: MBEDTLS_CACHE (default build/cache), MBEDTLS_SUITE (trixie).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${MBEDTLS_CACHE:-$ROOT/build/cache}"
SRC="$CACHE/src"
APTDIR="$CACHE/apt-trixie-src"
SUITE="${MBEDTLS_SUITE:-trixie}"
WANT_MAJOR_MINOR="3.6"
STAMP="$SRC/mbedtls.dir"

log() { echo "fetch.sh: $*" >&2; }

# Fast path: already unpacked and sane.
if [[ -f "$STAMP" && -L "$SRC/mbedtls" ]]; then
  d="$SRC/$(cat "$STAMP")"   # a name relative to $SRC: the tree may move
  if [[ -f "$d/include/mbedtls/build_info.h" && -d "$d/library" ]]; then
    echo "$d"
    exit 0
  fi
fi

# dpkg-source (dpkg-dev) and the keyring: scripts/deps.sh's list.
"$ROOT/scripts/deps.sh" check >/dev/null || { log "host packages missing (scripts/deps.sh)"; exit 1; }

# --- derive the Debian archive URI and keyring from the system's sources -------
uri="" ; keyring=""
shopt -s nullglob
for f in /etc/apt/sources.list.d/*.sources; do
  # Walk deb822 stanzas; take the first Types: deb/deb-src stanza whose suites
  # are not -security / -updates-only (i.e. the main archive).
  while IFS=$'\t' read -r u k; do
    if [[ -z "$uri" && -n "$u" ]]; then uri="$u"; keyring="$k"; fi
  done < <(awk '
    function flush() {
      if (types ~ /deb/ && uris != "" && suites !~ /-security/ && uris !~ /security/)
        { split(uris, a, /[ \t]+/); printf "%s\t%s\n", a[1], signed }
      types = ""; uris = ""; suites = ""; signed = ""
    }
    /^[ \t]*#/ { next }
    /^[ \t]*$/ { flush(); next }
    tolower($1) == "types:"     { sub(/^[^:]*:[ \t]*/, ""); types = $0; next }
    tolower($1) == "uris:"      { sub(/^[^:]*:[ \t]*/, ""); uris = $0; next }
    tolower($1) == "suites:"    { sub(/^[^:]*:[ \t]*/, ""); suites = $0; next }
    tolower($1) == "signed-by:" { sub(/^[^:]*:[ \t]*/, ""); signed = $0; next }
    END { flush() }' "$f")
  [[ -n "$uri" ]] && break
done
if [[ -z "$uri" ]]; then
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    u="$(awk '$1 ~ /^deb(-src)?$/ {
            i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
            if ($i !~ /security/ && $(i+1) !~ /-security/) { print $i; exit } }' "$f")"
    if [[ -n "$u" ]]; then uri="$u"; break; fi
  done
fi
[[ -n "$uri" ]] || { log "could not derive an archive URI from /etc/apt sources"; exit 1; }
[[ -n "$keyring" && -f "$keyring" ]] || keyring="/usr/share/keyrings/debian-archive-keyring.gpg"
log "archive URI from system sources: $uri (suite $SUITE)"

# --- private apt state: sources, lists, cache --------------------------------
mkdir -p "$APTDIR/parts" "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$SRC"
cat > "$APTDIR/parts/$SUITE-src.sources" <<SRCS
Types: deb-src
URIs: $uri
Suites: $SUITE
Components: main
Signed-By: $keyring
SRCS

APT_OPTS=(
  -oDir::Etc::SourceList=/dev/null
  -oDir::Etc::SourceParts="$APTDIR/parts"
  -oDir::State::Lists="$APTDIR/lists"
  -oDir::Cache="$APTDIR/cache"
  -oDir::Cache::pkgcache= -oDir::Cache::srcpkgcache=
  -oAPT::Sandbox::User=root
  -oAcquire::Languages=none
)

# Refresh the private index only when it is missing or older than a day.
if ! compgen -G "$APTDIR/lists/*_Sources*" >/dev/null ||
   [[ -n "$(find "$APTDIR/lists" -maxdepth 1 -name '*_Sources*' -mtime +0 -print -quit)" ]]; then
  log "apt-get update (private lists)"
  apt-get "${APT_OPTS[@]}" -q update >&2
fi

cd "$SRC"
# Download only (.dsc + orig tarballs + debian tarball); no build-deps, no build.
log "apt-get source --download-only mbedtls"
apt-get "${APT_OPTS[@]}" -q --download-only source mbedtls >&2

dsc="$(ls -1 mbedtls_*.dsc | sort -V | tail -n1)"
ver="$(awk '/^Version:/ {print $2; exit}' "$dsc")"
upver="${ver#*:}"; upver="${upver%-*}"
case "$upver" in
  "$WANT_MAJOR_MINOR".*) ;;
  *) log "expected mbedtls $WANT_MAJOR_MINOR.x from $SUITE, got $ver"; exit 1 ;;
esac

dir="$SRC/mbedtls-$upver"
if [[ ! -f "$dir/include/mbedtls/build_info.h" ]]; then
  rm -rf "$dir"
  log "dpkg-source -x $dsc"
  # Signature of the .dsc is checked by apt via the Release file chain.
  dpkg-source --no-check -x "$dsc" "$dir" >&2
fi
# Stable name for the build: build/cache/src/mbedtls -> mbedtls-<version>
ln -sfn "$(basename "$dir")" "$SRC/mbedtls"
echo "$ver" > "$SRC/mbedtls.version"
basename "$dir" > "$STAMP"
log "mbedtls $ver ready in $dir"
echo "$dir"
