#!/usr/bin/env bash
# fresh-check.sh — `make check-fresh`: the README's commands, run as a new user
# would run them, on a Debian 12 machine where nothing else was installed.
#
#  1. debootstrap builds a minimal Debian 12 root (--variant=minbase) in
#     $FRESH_DIR/root, from the mirror of this machine's own apt sources;
#  2. a clean `git archive HEAD` of this tree goes into /root/microtee there;
#  3. /proc, /sys, /dev and /dev/pts are mounted in it (QEMU needs them), and
#     the commands of README.md's fresh-check block run in it, one by one,
#     under chroot, as root, with an empty environment;
#  4. every command must exit 0, `make check` must end `N passed, 0 failed`,
#     and N must equal the count of `make check` outside, on this machine,
#     for the same commit (from build/check-summary.txt, which tests/check.sh
#     writes; without one for HEAD, `make check` runs outside first);
#  5. whatever happens, it kills what still runs in the root, unmounts, and
#     deletes the root.
# The last line is `N passed, M failed` over those checks. Logs:
# $FRESH_DIR/fresh-check.log (everything the commands printed).
#
# Needs root (or sudo) and debootstrap (scripts/deps.sh fresh installs it).
# Environment: FRESH_DIR (default build/fresh), FRESH_SUITE (bookworm),
# FRESH_TIMEOUT (seconds for all the commands, default 2400), NW_DEB_MIRROR.
set -uo pipefail
root_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$root_dir" || exit 1
# shellcheck source=nw/nw-common.sh
source scripts/nw/nw-common.sh

if [ "$(id -u)" -ne 0 ]; then
	exec sudo -E "$0" "$@"
fi

suite=${FRESH_SUITE:-bookworm}
dir=${FRESH_DIR:-$root_dir/build/fresh}
case $dir in /*) ;; *) dir=$root_dir/$dir ;; esac
froot=$dir/root
log=$dir/fresh-check.log
limit=${FRESH_TIMEOUT:-2400}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
t0=$(date +%s)

passed=0
failed=0
ok() { echo "ok - fresh/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL - fresh/$1"; failed=$((failed + 1)); }
elapsed() { echo "$(($(date +%s) - t0)) s"; }

# ---- cleanup: nothing may be left running or mounted ----
mounts_under() { # the mount points at or below $1, deepest first
	awk -v r="$1" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}
kill_inside() { # every process whose root is the fresh root
	local p r sig
	for sig in TERM KILL; do
		for p in /proc/[0-9]*; do
			r=$(readlink "$p/root" 2>/dev/null) || continue
			[ "$r" = "$froot" ] && kill -s $sig "${p#/proc/}" 2>/dev/null
		done
		[ $sig = TERM ] && sleep 1
	done
}
cleanup() {
	[ -d "$froot" ] || return 0
	kill_inside
	local m
	for m in $(mounts_under "$froot"); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	if [ -n "$(mounts_under "$froot")" ]; then
		echo "fresh-check: still mounted under $froot, not deleting it:" >&2
		mounts_under "$froot" >&2
		return 1
	fi
	rm -rf --one-file-system "$froot"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$dir"
cleanup || { fail "clean up an earlier root"; echo "$passed passed, $failed failed"; exit 1; }
: >"$log"

# ---- the commands: README.md's fresh-check block ----
mapfile -t cmds < <(awk '/<!-- fresh-check/ { on = 1; next }
	on && /^```/ { if (++fence == 2) exit; next }
	on && fence == 1 { sub(/[ \t]+#.*$/, ""); if ($0 != "") print }' README.md)
if [ ${#cmds[@]} -eq 0 ]; then
	fail "README.md has a fresh-check block of commands"
	echo "$passed passed, $failed failed"
	exit 1
fi
echo "# fresh-check: README commands: $(printf '%s; ' "${cmds[@]}")"

# ---- the count outside, for this commit ----
# The root gets HEAD: uncommitted changes would be tested outside only.
head=$(git rev-parse HEAD 2>/dev/null) || { fail "this is a git tree"; echo "$passed passed, $failed failed"; exit 1; }
if ! git diff --quiet HEAD --; then
	fail "the tree has no uncommitted changes (the fresh root gets HEAD: commit first)"
	echo "$passed passed, $failed failed"
	exit 1
fi
summary=build/check-summary.txt # "COMMIT N passed, M failed", from tests/check.sh
outside() { [ -f $summary ] && awk -v h="$head" '$1 == h { sub(/^[^ ]+ /, ""); print; exit }' $summary; }
out_line=$(outside)
if [ -z "$out_line" ]; then
	echo "# fresh-check: no make check result outside for $head; running it first"
	make --no-print-directory check >"$dir/outside-check.log" 2>&1
	# Its own output, not the summary file: that names whatever commit is
	# checked out when it ends.
	out_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$dir/outside-check.log" | tail -n 1)
	echo "# fresh-check: outside: $out_line"
fi
out_passed=${out_line%% passed*}

# ---- the fresh root ----
mirror=$(derive_mirror) || { fail "mirror from this machine's apt sources"; echo "$passed passed, $failed failed"; exit 1; }
echo "# fresh-check: debootstrap $suite (minbase) from $mirror into $froot"
if debootstrap --variant=minbase --keyring="$keyring" "$suite" "$froot" "$mirror" >>"$log" 2>&1; then
	ok "debootstrap a minimal Debian $suite root ($(elapsed))"
else
	fail "debootstrap a minimal Debian $suite root (log: $log)"
	echo "$passed passed, $failed failed"
	exit 1
fi
cp /etc/resolv.conf "$froot/etc/resolv.conf"
mkdir -p "$froot/root/microtee"
git archive --format=tar HEAD | tar -x -C "$froot/root/microtee"
mount -t proc proc "$froot/proc"
mount -t sysfs sysfs "$froot/sys"
mount --bind /dev "$froot/dev"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$froot/dev/pts"

# ---- the README's commands, in order ----
inside_line=
deadline=$(($(date +%s) + limit))
for c in "${cmds[@]}"; do
	left=$((deadline - $(date +%s)))
	[ $left -gt 0 ] || left=1
	echo "# fresh-check: \$ $c" | tee -a "$log"
	t1=$(date +%s)
	timeout "$left" chroot "$froot" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd /root/microtee && $c" </dev/null >"$dir/cmd.log" 2>&1
	rc=$?
	cat "$dir/cmd.log" >>"$log"
	secs=$(($(date +%s) - t1))
	if [ $rc -eq 0 ]; then
		ok "\`$c\` exits 0 (${secs} s)"
	else
		tail -n 20 "$dir/cmd.log" | sed 's/^/#   /'
		# The failing checks by name, in the FAIL line itself: CI keeps
		# only part of a long log.
		what=$(grep -E '^(FAIL|not ok)\b|: FAILED: ' "$dir/cmd.log" | head -n 5 | cut -c1-160 | paste -sd';' -)
		fail "\`$c\` exits 0 (status $rc after ${secs} s${what:+; failed: $what}; log: $log)"
	fi
	case $c in
	"make check"*) inside_line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$dir/cmd.log" | tail -n 1) ;;
	esac
done

# ---- the counts ----
echo "# fresh-check: make check inside: ${inside_line:-(none)}; outside: ${out_line:-(none)}"
if [ -n "$inside_line" ] && [ "${inside_line#* passed, }" = "0 failed" ]; then
	ok "make check in the fresh root: $inside_line"
else
	fail "make check in the fresh root ends 'N passed, 0 failed' (got '${inside_line:-nothing}')"
fi
if [ -n "$out_passed" ] && [ "${inside_line%% passed*}" = "$out_passed" ]; then
	ok "same pass count inside and outside ($out_passed)"
else
	fail "same pass count inside and outside (inside '${inside_line:-none}', outside '${out_line:-none}')"
fi

echo "# fresh-check: took $(elapsed) in all (log: $log)"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
