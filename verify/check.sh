#!/usr/bin/env bash
# make verify (docs/verification.md): the runtime-verification generator's
# own tests (verify/rvgen_test.py), the generated monitors compiled on and
# off, SPIN on the normal-world call protocol (verify/spin/nwcall.pml:
# safety, liveness, and each planted defect found) and on the gateway's
# instance ownership with nested TA-to-TA opens (verify/spin/instance.pml),
# then the monitors' detection tests in the secure world (tests/system/rv_detect.sh). make
# check runs it. Prints `ok - ...`/`FAIL - ...` and `N passed, M failed` last.
set -uo pipefail
B=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
out=$B/verify-check
rm -rf "$out"
mkdir -p "$out"
passed=0
failed=0
ok() {
	echo "ok - verify/$1"
	passed=$((passed + 1))
}
fail() {
	echo "FAIL - verify/$1"
	failed=$((failed + 1))
}
count() { # count LOG: adds a sub-suite's ok/FAIL lines, shows them (its
	# own summary as a comment: make check adds up summary lines)
	local line
	while IFS= read -r line; do
		case $line in
		"ok - "*) passed=$((passed + 1)) ;;
		"FAIL - "*) failed=$((failed + 1)) ;;
		[0-9]*" passed, "*" failed") line="# $(basename "$1" .log): $line" ;;
		esac
		echo "$line"
	done <"$1"
}

# The generator.
/usr/bin/python3 verify/rvgen_test.py "$out/gen" >"$out/rvgen.log" 2>&1
rc=$?
count "$out/rvgen.log"
[ $rc -eq 0 ] || grep -q '^FAIL' "$out/rvgen.log" || fail "rvgen_test.py exited with status $rc"

# The generated headers, with the monitors on and off: -Wall -Wextra -Werror.
make --no-print-directory -s B="$B" "$B/verify/stamp" >"$out/gen.log" 2>&1 || fail "the monitors did not generate"
printf '#include "rv_%s.h"\n' $(sed -n 's/^digraph \([a-z0-9_]*\).*/\1/p' verify/*.dot) >"$out/all.c"
echo 'int rv_check_tu(void) { return RV_NMODELS; }' >>"$out/all.c"
for on in 1 0; do
	if gcc -std=c11 -Wall -Wextra -Werror -I. -I"$B/verify" -DRV_ENABLED=$on -c "$out/all.c" \
		-o "$out/all$on.o" 2>"$out/cc$on.log"; then
		ok "the generated headers compile with RV_ENABLED=$on"
	else
		fail "the generated headers compile with RV_ENABLED=$on ($out/cc$on.log)"
	fi
done

# SPIN. spin (Debian's package, scripts/deps.sh) writes pan.c; gcc builds it.
spin_run() { # spin_run NAME MODEL EXPECT(pass|fail) "SPIN -D flags" "pan flags" "cc flags"
	local name=$1 model=$2 expect=$3 d=$out/spin-$1
	shift 3
	mkdir -p "$d"
	cp "verify/spin/$model.pml" "$d/"
	if ! (cd "$d" && spin -E-I"$root/$B/verify" $1 -a "$model.pml" >spin.log 2>&1 &&
		gcc -O2 $3 -o pan pan.c >cc.log 2>&1); then
		fail "spin $name: the verifier did not build ($d)"
		return
	fi
	(cd "$d" && ./pan -m2000000 $2 >pan.log 2>&1)
	local errors states
	errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' "$d/pan.log")
	states=$(sed -n 's/^ *\([0-9.e+]*\) states, stored.*/\1/p' "$d/pan.log")
	# (A search that found an error stops there: "not completed" then.)
	if [ -z "$errors" ] || { [ "$errors" -eq 0 ] &&
		grep -q 'Search not completed\|max search depth too small' "$d/pan.log"; }; then
		fail "spin $name: the search did not complete ($d/pan.log)"
	elif [ "$expect" = pass ] && [ "$errors" -eq 0 ]; then
		ok "spin $name: 0 errors, $states states"
	elif [ "$expect" = fail ] && [ "$errors" -gt 0 ]; then
		ok "spin $name: found ($(grep -m1 -o 'assertion violated.*\|acceptance cycle\|invalid end state' "$d/pan.log"))"
	else
		fail "spin $name: $errors errors, expected $expect ($d/pan.log)"
	fi
}
if command -v spin >/dev/null; then
	spin_run nwcall_safety nwcall pass "" "" "-DSAFETY"
	spin_run nwcall_liveness nwcall pass "-DLIVENESS" "-a -f" ""
	spin_run nwcall_bug_double_reply nwcall fail "-DBUG_DOUBLE_REPLY" "" "-DSAFETY"
	spin_run nwcall_bug_no_lock nwcall fail "-DBUG_NO_LOCK" "" "-DSAFETY"
	spin_run nwcall_bug_stays_active nwcall fail "-DBUG_STAYS_ACTIVE" "" "-DSAFETY"
	spin_run nwcall_bug_lost_reply nwcall fail "-DLIVENESS -DBUG_LOST_REPLY" "-a -f" ""
	spin_run instance_safety instance pass "" "" "-DSAFETY"
	spin_run instance_bug_no_cycle_check instance fail "-DBUG_NO_CYCLE_CHECK" "" "-DSAFETY"
else
	fail "spin: not installed (scripts/deps.sh installs Debian's spin)"
fi

# The monitors in the secure world: each detects its injected transition.
tests/system/rv_detect.sh >"$out/rv_detect.log" 2>&1
rc=$?
count "$out/rv_detect.log"
[ $rc -eq 0 ] || grep -q '^FAIL' "$out/rv_detect.log" || fail "rv_detect.sh exited with status $rc"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
