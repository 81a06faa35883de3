#!/usr/bin/env bash
# Installs the host packages MicroTEE needs to build and test, through apt.
# Idempotent: does nothing when everything is present.
set -euo pipefail

need=()
check() { # command package
	command -v "$1" >/dev/null 2>&1 || need+=("$2")
}
check aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
check qemu-system-aarch64 qemu-system-arm
check gcc gcc
check make make
[ -f /usr/lib/picolibc/aarch64-linux-gnu/picolibc.specs ] || need+=(picolibc-aarch64-linux-gnu)
# host/attest, the attestation verifier, links OpenSSL's libcrypto.
[ -f /usr/include/openssl/evp.h ] || need+=(libssl-dev)

if [ ${#need[@]} -gt 0 ]; then
	echo "deps: installing ${need[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -q >/dev/null
	$SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
