#!/usr/bin/env bash
# mkcorpus.sh [BUILD_DIR] [flashstore] — regenerates the seed corpora under
# tests/fuzz/corpus/ from a built program (BUILD/progs/echo.elf) and a signed
# TA image (BUILD/ta/installed/*.ta), with tests/fuzz/mkcorpus.c. The
# corpora are committed; run this after a change of format. With
# `flashstore`, only that corpus (it needs nothing built).
set -euo pipefail
B=${1:-build}
cd "$(dirname "$0")/../.."
mkdir -p "$B/fuzz"
${HOSTCC:-gcc} -std=c11 -Wall -Wextra -Werror -O1 -I. tests/fuzz/mkcorpus.c \
	services/storage/flashstore.c -o "$B/fuzz/mkcorpus"
if [ "${2:-}" = flashstore ]; then
	rm -rf tests/fuzz/corpus/flashstore
	mkdir -p tests/fuzz/corpus/flashstore
	exec "$B/fuzz/mkcorpus" tests/fuzz/corpus --flashstore
fi
ta=$(ls "$B"/ta/installed/*.ta | head -n 1)
for h in elf shdr fdt nslayout bootfs gateway crypto keys flashstore; do
	rm -rf "tests/fuzz/corpus/$h"
	mkdir -p "tests/fuzz/corpus/$h"
done
"$B/fuzz/mkcorpus" tests/fuzz/corpus "$B/progs/echo.elf" "$ta"
