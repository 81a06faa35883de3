#!/usr/bin/env bash
# mkcorpus.sh [BUILD_DIR] — regenerates the seed corpora under
# tests/fuzz/corpus/ from a built program (BUILD/progs/echo.elf) and a signed
# TA image (BUILD/ta/installed/*.ta), with tests/fuzz/mkcorpus.c. The
# corpora are committed; run this after a change of format.
set -euo pipefail
B=${1:-build}
cd "$(dirname "$0")/../.."
ta=$(ls "$B"/ta/installed/*.ta | head -n 1)
mkdir -p "$B/fuzz"
${HOSTCC:-gcc} -std=c11 -Wall -Wextra -Werror -O1 -I. tests/fuzz/mkcorpus.c -o "$B/fuzz/mkcorpus"
for h in elf shdr fdt nslayout bootfs gateway crypto keys; do
	rm -rf "tests/fuzz/corpus/$h"
	mkdir -p "tests/fuzz/corpus/$h"
done
"$B/fuzz/mkcorpus" tests/fuzz/corpus "$B/progs/echo.elf" "$ta"
