#!/usr/bin/env bash
# run.sh BUILD_DIR SECONDS [HARNESS...] — builds the libFuzzer harnesses
# (tests/fuzz/fuzz.mk) and runs each for SECONDS from its committed seed
# corpus (tests/fuzz/corpus/<harness>/, read only: what the fuzzer finds
# goes to BUILD/fuzz/corpus/<harness>/, kept between runs). Prints
# `ok - fuzz/<harness>: N execs, no crash` per harness and `N passed, M
# failed` last. A harness that does not build, has no seeds, does not run or
# runs nothing fails; so does a crash, naming the reproducer (rerun it with
# BUILD/fuzz/fuzz_<harness> FILE). make fuzz: 300 s each; make check: 18 s.
set -uo pipefail
B=${1:?usage: run.sh BUILD_DIR SECONDS [HARNESS...]}
secs=${2:?usage: run.sh BUILD_DIR SECONDS [HARNESS...]}
shift 2
cd "$(dirname "$0")/../.."
all=(elf shdr fdt nslayout bootfs gateway crypto keys flashstore)
[ $# -gt 0 ] && all=("$@")
out=$B/fuzz
mkdir -p "$out"
pass=0
fail=0
ok() { echo "ok - fuzz/$1: $2"; pass=$((pass + 1)); }
notok() { echo "not ok - fuzz/$1: $2"; fail=$((fail + 1)); }

# The largest input each harness takes (the gateway: 32 control bytes and
# four pages of normal-world RAM; the services: a count, their most
# requests, and a page of window contents).
max_len() {
	case $1 in
	gateway) echo 16416 ;;
	crypto) echo 4433 ;;
	keys) echo 4321 ;;
	shdr) echo 4096 ;;
	flashstore) echo 8250 ;; # an 8 KiB chip image, then the operations
	*) echo 2048 ;;
	esac
}

for h in "${all[@]}"; do
	log=$out/fuzz_$h.log
	if ! make --no-print-directory -f tests/fuzz/fuzz.mk B="$B" FUZZ_HARNESSES="$h" >"$out/build_$h.log" 2>&1; then
		cat "$out/build_$h.log"
		notok "$h" "did not build (see $out/build_$h.log)"
		continue
	fi
	seeds=tests/fuzz/corpus/$h
	if [ -z "$(ls -A "$seeds" 2>/dev/null)" ]; then
		notok "$h" "no seed corpus in $seeds"
		continue
	fi
	work=$out/corpus/$h
	art=$out/artifacts/$h
	rm -rf "$art"
	mkdir -p "$work" "$art"
	# The harness stops itself at -max_total_time; timeout only guards a hang.
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
		timeout $((secs + 120)) "$out/fuzz_$h" -max_total_time="$secs" -print_final_stats=1 \
		-max_len="$(max_len "$h")" -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$art/" "$work" "$seeds" >"$log" 2>&1
	rc=$?
	crash=$(ls "$art" 2>/dev/null | head -n 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | grep -Eo 'cov: [0-9]+' | awk '{print $2}')
	ft=$(echo "$last" | grep -Eo 'ft: [0-9]+' | awk '{print $2}')
	if [ -n "$crash" ]; then
		grep -E 'ERROR|SUMMARY|fuzz_[a-z]+\.c:[0-9]+|runtime error' "$log" | head -n 5
		# The input itself, when small: CI's build folder does not last.
		if [ "$(stat -c %s "$art/$crash")" -le 4096 ]; then
			echo "# fuzz/$h: reproducer, base64: $(base64 -w0 "$art/$crash")"
		fi
		why=$(grep -m1 -E 'fuzz_[a-z]+\.c:[0-9]+: broken|runtime error|ERROR: AddressSanitizer' "$log")
		notok "$h" "crashed${why:+ ($why)}; reproducer $art/$crash (log $log)"
	elif [ $rc -ne 0 ]; then
		tail -n 5 "$log"
		notok "$h" "exited with status $rc (log $log)"
	elif [ -z "$execs" ] || [ "$execs" -eq 0 ]; then
		notok "$h" "ran no inputs (log $log)"
	else
		echo "# fuzz/$h: cov ${cov:-?} ft ${ft:-?} in ${secs} s, corpus $(ls "$work" | wc -l) inputs"
		ok "$h" "$execs execs, no crash"
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
