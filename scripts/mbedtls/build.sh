#!/usr/bin/env bash
# Build build/cache/mbedtls/libmbedcrypto.a (secure world, AArch64, freestanding)
# from Debian's mbedtls 3.6 source with services/crypto/mbedtls/mbedtls_config.h.
# Installs the cross toolchain / picolibc if missing, fetches the source if
# missing, then runs the makefile fragment.  Extra arguments go to make
# (e.g. `scripts/mbedtls/build.sh mbedtls-linkcheck`).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

need=()
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need+=(gcc-aarch64-linux-gnu)
[[ -f /usr/lib/picolibc/aarch64-linux-gnu/include/string.h ]] || need+=(picolibc-aarch64-linux-gnu)
command -v dpkg-source >/dev/null 2>&1 || need+=(dpkg-dev)
command -v make >/dev/null 2>&1 || need+=(make)
if ((${#need[@]})); then
  echo "build.sh: installing ${need[*]}" >&2
  SUDO=""
  [[ "$(id -u)" -eq 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y --no-install-recommends "${need[@]}" >&2 ||
    { $SUDO apt-get update >&2 && $SUDO apt-get install -y --no-install-recommends "${need[@]}" >&2; }
fi

"$ROOT/scripts/mbedtls/fetch.sh" >/dev/null
exec make --no-print-directory -f "$ROOT/services/crypto/mbedtls/mbedtls.mk" \
  -j"$(nproc)" MBEDTLS_TOP="$ROOT" "${@:-mbedtls-lib}"
