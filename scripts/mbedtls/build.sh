#!/usr/bin/env bash
# Build build/cache/mbedtls/libmbedcrypto.a (secure world, AArch64, freestanding)
# from Debian's mbedtls 3.6 source with services/crypto/mbedtls/mbedtls_config.h.
# Installs the host packages if missing (scripts/deps.sh), fetches the source if
# missing, then runs the makefile fragment.  Extra arguments go to make
# (e.g. `scripts/mbedtls/build.sh mbedtls-linkcheck`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

"$ROOT/scripts/deps.sh" check >/dev/null

# The objects' dependency files name the tree's absolute paths: when the tree
# has moved (or was copied), build them anew rather than trust another tree's.
OUT="${MBEDTLS_CACHE:-$ROOT/build/cache}/mbedtls"
if [[ -f "$OUT/tree" && "$(cat "$OUT/tree")" != "$ROOT" ]]; then
  echo "build.sh: the tree moved from $(cat "$OUT/tree"); rebuilding $OUT" >&2
  rm -rf "$OUT"
fi
mkdir -p "$OUT"
echo "$ROOT" > "$OUT/tree"

"$ROOT/scripts/mbedtls/fetch.sh" >/dev/null
exec make --no-print-directory -f "$ROOT/services/crypto/mbedtls/mbedtls.mk" \
  -j"$(nproc)" MBEDTLS_TOP="$ROOT" "${@:-mbedtls-lib}"
