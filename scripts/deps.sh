#!/usr/bin/env bash
# deps.sh [PROFILE...] — installs, through apt, every Debian package that a
# MicroTEE build, test or benchmark step uses. The one list of them.
#
# Profiles (default: check):
#   check   build the image, `make check`, `make run`, `make demo`
#   bench   `make bench`: the above, plus the OP-TEE peer build and the report
#   fresh   `make check-fresh`: the above "check", plus debootstrap
#
# Packages are checked by their installed state (dpkg-query), not by whether
# some command happens to exist. Whatever is missing is installed with
# --no-install-recommends (so nothing may rely on a Recommends), then every
# command the steps run is looked up again: one that is still missing is an
# error naming its package. When everything is present, it installs and
# fetches nothing and prints one line. Uses sudo when not run as root.
set -euo pipefail

# ---- the packages, by profile ----
# Host compilers and libraries: gcc/libc6-dev for the host tools and the
# unit tests (with ASan/UBSan, whose runtimes come with gcc), libssl-dev for
# the attestation verifier (host/attest).
pkgs_check=(make gcc libc6-dev libssl-dev
	# The secure world and its user programs: the cross compiler and picolibc.
	# The normal-world programs do not use a host C library for arm64: they
	# build against a sysroot of Debian's arm64 libc6-dev (scripts/nw/nw.mk).
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu picolibc-aarch64-linux-gnu
	# The machine, run with -nic none (no option ROMs needed).
	qemu-system-arm
	# Fetching Debian packages with a private apt configuration (mbedTLS's
	# source package, the normal world's arm64 packages) and unpacking them.
	apt dpkg dpkg-dev debian-archive-keyring ca-certificates
	# Building the initramfs: cpio, compressors, readelf for the library
	# closure, depmod for the kernel's modules.
	cpio gzip xz-utils zstd binutils kmod coreutils
	# tests/system/keys_nw.sh makes a foreign key pair.
	openssl
	# The normal world's disk (scripts/nw/mkdisk.sh: mke2fs -d, no root).
	e2fsprogs
	# scripts/symbolize (tests/system/crash.sh reads crash reports with it),
	# verify/rvgen.py, which generates the runtime-verification monitors, and
	# make trace (bench/prof/trace.py).
	python3
	# make verify: SPIN checks the protocols' Promela models (verify/spin/).
	spin
	# make debug: gdb for AArch64 with Python (scripts/debug/microtee.py;
	# tests/system/debug.sh runs a session).
	gdb-multiarch
	# The fuzzing harnesses (tests/fuzz/): clang with libFuzzer, ASan, UBSan
	# (clang's sanitizer and fuzzer runtimes are in libclang-rt-14-dev, which
	# clang only recommends).
	clang libfuzzer-14-dev libclang-rt-14-dev)
# The OP-TEE peer stack (scripts/optee/fetch-build.sh: TF-A's build, the
# U-Boot environment, OP-TEE's TA signing script) and the report's plots.
pkgs_bench=(python3 python3-cryptography gnuplot-nox)
# make check-fresh: a Debian root to run the README's commands in.
pkgs_fresh=(debootstrap)

# ---- the commands the steps run, with the package that provides each ----
declare -A cmd_pkg=(
	[make]=make [gcc]=gcc [aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu
	[aarch64-linux-gnu-objcopy]=binutils-aarch64-linux-gnu
	[qemu-system-aarch64]=qemu-system-arm [apt-get]=apt [apt-cache]=apt
	[dpkg-deb]=dpkg [dpkg-query]=dpkg [dpkg-source]=dpkg-dev [cpio]=cpio
	[gzip]=gzip [xz]=xz-utils [zstd]=zstd [readelf]=binutils [depmod]=kmod
	[od]=coreutils [sha256sum]=coreutils [timeout]=coreutils [openssl]=openssl
	[python3]=python3 [gdb-multiarch]=gdb-multiarch
	[clang]=clang [spin]=spin [mke2fs]=e2fsprogs
)
declare -A file_pkg=(
	[/usr/lib/picolibc/aarch64-linux-gnu/picolibc.specs]=picolibc-aarch64-linux-gnu
	[/usr/include/stdio.h]=libc6-dev
	[/usr/include/openssl/evp.h]=libssl-dev
	[/usr/share/keyrings/debian-archive-keyring.gpg]=debian-archive-keyring
)
declare -A bench_cmd_pkg=([python3]=python3 [gnuplot]=gnuplot-nox)
declare -A fresh_cmd_pkg=([debootstrap]=debootstrap)

profiles=("$@")
[ ${#profiles[@]} -gt 0 ] || profiles=(check)
want=()
for p in "${profiles[@]}"; do
	case $p in
	check) want+=("${pkgs_check[@]}") ;;
	bench) want+=("${pkgs_check[@]}" "${pkgs_bench[@]}")
		for c in "${!bench_cmd_pkg[@]}"; do cmd_pkg[$c]=${bench_cmd_pkg[$c]}; done ;;
	fresh) want+=("${pkgs_check[@]}" "${pkgs_fresh[@]}")
		for c in "${!fresh_cmd_pkg[@]}"; do cmd_pkg[$c]=${fresh_cmd_pkg[$c]}; done ;;
	*) echo "deps: unknown profile '$p' (check, bench, fresh)" >&2; exit 2 ;;
	esac
done
mapfile -t want < <(printf '%s\n' "${want[@]}" | sort -u)

installed() { # PKG: true if dpkg has it fully installed
	[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]
}

need=()
for p in "${want[@]}"; do installed "$p" || need+=("$p"); done

if [ ${#need[@]} -gt 0 ]; then
	echo "deps: installing ${need[*]}" >&2
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	log=$(mktemp)
	trap 'rm -f "$log"' EXIT
	# A fresh machine's package lists may be empty: read them first.
	if ! $SUDO apt-get update -q >"$log" 2>&1; then
		cat "$log" >&2
		echo "deps: error: apt-get update failed (is a Debian mirror reachable?)" >&2
		exit 1
	fi
	if ! $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >"$log" 2>&1; then
		cat "$log" >&2
		for p in "${need[@]}"; do
			installed "$p" || echo "deps: error: cannot install Debian package '$p'" >&2
		done
		exit 1
	fi
fi

# What the steps run must now be there; name the package of anything that is not.
missing=0
for c in "${!cmd_pkg[@]}"; do
	command -v "$c" >/dev/null 2>&1 && continue
	echo "deps: error: command '$c' is missing; it comes with Debian package '${cmd_pkg[$c]}'" >&2
	missing=1
done
for f in "${!file_pkg[@]}"; do
	[ -e "$f" ] && continue
	echo "deps: error: $f is missing; it comes with Debian package '${file_pkg[$f]}'" >&2
	missing=1
done
[ $missing -eq 0 ] || exit 1
if [ ${#need[@]} -gt 0 ]; then
	echo "deps: installed ${#need[@]} package(s); all ${#want[@]} present (${profiles[*]})"
else
	echo "deps: all ${#want[@]} packages present (${profiles[*]})"
fi
