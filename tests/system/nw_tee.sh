#!/usr/bin/env bash
# nw_tee.sh — end-to-end TEE tests from Linux: Debian's kernel, optee.ko,
# libteec and tee-supplicant, unmodified, drive the demo TA through
# MicroTEE's gateway. host/nw/tee_test.c holds the checks (open, invoke,
# close; value, registered, allocated, partial and temporary memory
# references; a 1 MiB non-contiguous buffer; unknown UUID; concurrent
# callers on every CPU; a normal-world timer that keeps running while a TA
# computes; another TA that answers promptly meanwhile (the concurrent
# gateway); cancellation of a TEE_Wait; a close while a call is in flight;
# requests made straight through /dev/tee0; a TA panic; TEE_STORAGE_PRIVATE_REE
# objects in tee-supplicant's files, tampered with from Linux).
# The -smp 2 boot also runs host/nw/crypto_e2e.c: the crypto demo TA's
# SHA-256, AES-CBC/GCM and ECDSA P-256 checked against Linux's AF_ALG and
# OpenSSL. Boots -smp 2 for everything (every CPU enters the secure kernel
# on its own: a long TA call from each CPU in turn with a 1 s ticker,
# isolation in time across two CPUs), -smp 1 for the foreign-interrupt case
# (one CPU: only FOREIGN_INTR lets Linux run during the TA's computation)
# and the time-limit and fair-share tests, -smp 4 for the concurrency and
# latency tests, and once more to check `reboot` (PSCI SYSTEM_RESET). No
# boot may show a soft lockup or an RCU stall in Linux's log. Each boot also reads
# secure RAM through /dev/mem from Linux, which must fault.
# Prints `ok - ...`/`FAIL - ...` and `N passed, M failed` last.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
image=${1:-$root/build/microtee-test.bin}
logs=${LOGDIR:-$root/build/test-logs}
timeout_s=${TEST_TIMEOUT:-120}
mkdir -p "$logs" "$root/build/nw"
passed=0
failed=0

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

if ! "$root/scripts/nw/fetch-debs.sh" >"$logs/nw_tee.fetch.log" 2>&1; then
	echo "FAIL - nw_tee: fetch normal-world packages (log: $logs/nw_tee.fetch.log)"
	failed=1
	finish
fi
if ! make -s -C "$root" -f scripts/nw/nw.mk nw-tee-test nw-crypto-e2e nw-fake-supp nw-test-plugin >"$logs/nw_tee.build.log" 2>&1; then
	echo "FAIL - nw_tee: build tee_test and crypto_e2e (log: $logs/nw_tee.build.log)"
	failed=1
	finish
fi

# The boots of one run share a flash image of their own, new for each run:
# a new device, whose anti-rollback counters the first boot starts and the
# later ones must remember (tee_test's test_rollback).
export FLASH=$root/build/nw/nw_tee.flash0.img
rm -f "$FLASH"

boot() { # boot NAME SMP [tee_test args]
	local name=$1 smp=$2 args=${3:-}
	# NW_TEE_BOOTS="smp4 reboot" runs only the boots named (when debugging).
	case " ${NW_TEE_BOOTS:-$name} " in *" $name "*) ;; *) return ;; esac
	local initrd=$root/build/nw/nw_tee.$name.cpio.gz
	local argsfile=$root/build/nw/tee_test.$name.args
	echo "$args" >"$argsfile"
	local extras=() modules=
	if [ -z "$args" ]; then
		# This boot also runs the end-to-end crypto test (rc.tee_test): its
		# program (with OpenSSL's libcrypto), and the kernel's AF_ALG
		# interfaces with the templates gcm(aes) needs.
		extras=("$root/build/nw/crypto_e2e:/usr/bin/")
		# And TAs that exist only in tee-supplicant's /lib/optee_armtz: the
		# installed TA, signed, and images that must each be refused
		# (tee_test's test_ree_ta), with a lying supplicant.
		if ! "$here/mk_ree_images.sh" "$root" "$root/build/nw/optee_armtz" \
			>"$logs/nw_tee.images.log" 2>&1; then
			echo "FAIL - nw_tee/$name: make the TA images for /lib/optee_armtz (log: $logs/nw_tee.images.log)"
			failed=$((failed + 1))
			return
		fi
		extras+=("$root/build/nw/fake_supp:/usr/bin/"
			"$root/build/nw/test_plugin.plugin:/usr/lib/tee-supplicant/plugins/")
		for f in "$root/build/nw/optee_armtz/"*.ta; do
			extras+=("$f:/usr/lib/optee_armtz/")
		done
		modules="af_alg algif_hash algif_skcipher algif_aead ctr ghash-generic gcm"
	fi
	if [ "$args" != reboot ]; then
		for f in "$root/build/nw/optee_armtz/versions/"*.ta; do
			extras+=("$f:/usr/lib/optee_armtz-versions/")
		done
	fi
	if ! NW_EXTRA_MODULES=$modules "$root/scripts/nw/mkinitramfs.sh" "$initrd" \
		"$here/rc.tee_test:/etc/rc.test" "$root/build/nw/tee_test:/usr/bin/" \
		"$argsfile:/etc/tee_test.args" "${extras[@]}" \
		>"$logs/nw_tee.$name.initramfs.log" 2>&1; then
		echo "FAIL - nw_tee/$name: build initramfs"
		failed=$((failed + 1))
		return
	fi
	local log=$logs/nw_tee.$name.log nwlog=$logs/nw_tee.$name.nw.log
	rm -f "$log" "$nwlog"
	# The 6 s budget only where tee_test checks the watchdog: elsewhere a
	# long storage self-test on a loaded machine could run past it.
	local budget=
	case ",$args," in *,budget,*) budget=" ta_budget_ms=6000" ;; esac
	# The timeout is a guard against a hang, not a bound on speed: four
	# vCPUs on a 2-core host, with the stress test, get twice as long.
	local limit=$timeout_s
	[ "$smp" -ge 4 ] && limit=$((timeout_s * 2))
	SMP=$smp NW_CONSOLE="file:$nwlog" QEMU_CPU=max,sve=off,sme=off,pauth-impdef=on \
		timeout "$limit" "$root/scripts/run-qemu.sh" "$image" \
		"test=demo nw$budget cancel_grace_ms=1500" \
		-kernel "$root/build/cache/nw-kernel/Image" -initrd "$initrd" \
		-append "console=ttyAMA0 panic=-1" >"$log" 2>&1 </dev/null
	local rc=$?
	touch "$nwlog"
	tr -d '\r' <"$nwlog" >"$nwlog.txt" && mv "$nwlog.txt" "$nwlog"
	# The program's own verdicts, renamed per boot.
	sed -n 's/^\(ok\|FAIL\) - nw\//\1 - nw_tee\/'"$name"'\//p; /^# /p' "$nwlog"
	passed=$((passed + $(grep -c '^ok - nw/' "$nwlog")))
	failed=$((failed + $(grep -c '^FAIL - nw/' "$nwlog")))
	local problems=()
	if [ "$args" = reboot ]; then
		# PSCI SYSTEM_RESET: with -no-reboot QEMU exits instead of rebooting.
		grep -q '\[mon\] SYSTEM_RESET' "$log" || problems+=("no SYSTEM_RESET (QEMU status $rc)")
	else
		grep -q '^nw: [0-9]* passed, 0 failed' "$nwlog" || problems+=("tee_test did not finish cleanly")
		if [ -z "$args" ]; then
			grep -q '^crypto_e2e: [0-9]* passed, 0 failed' "$nwlog" ||
				problems+=("crypto_e2e did not finish cleanly")
		fi
		grep -q '\[mon\] SYSTEM_OFF' "$log" || problems+=("no SYSTEM_OFF (QEMU status $rc)")
		# Reading secure RAM from Linux faulted every time (no value).
		[ "$(grep -c "^rc: devmem 0x0E.*: status [1-9][0-9]* value ''" "$nwlog")" -eq 3 ] ||
			problems+=("a normal-world read of secure RAM did not fault")
		# GlobalPlatform instance lifecycle seen from the secure side:
		# TAs destroyed on last close (exit 0) and the panicking one.
		if [ -z "$args" ]; then
			grep -Eq '\[init\] child TA \(pid [0-9]+\) exited, code 0' "$log" ||
				problems+=("no TA instance destroyed on last close")
			grep -Eq '\[init\] child TA \(pid [0-9]+\) exited, code 4295024301' "$log" ||
				problems+=("the TA panic was not seen by the supervisor")
			# Whenever no TA ran any more, everything the instances held
			# (the hostile one every kind of object it could make) was
			# back in the kernel's pools (issue 13 item 3).
			grep -q '\[init\] leak check, no TA running: OK' "$log" ||
				problems+=("no secure leak check with no TA running")
			grep -Eq '\[init\] leak check, no TA running: [0-9]' "$log" &&
				problems+=("secure leak: $(grep -m1 -E '\[init\] leak check, no TA running: [0-9]' "$log")")
			# The REE-FS objects' file command that found no
			# tee-supplicant (tee_test's ree_storage_no_supplicant_waits)
			# failed with an error the storage service reported.
			grep -q "\[storage\] the normal world's file system: 0x[0-9a-f]* (tee-supplicant failed or is not there)" "$log" ||
				problems+=("no storage error logged for the file command without a supplicant")
			grep -q '\[init\] anti-rollback: new counters' "$log" ||
				problems+=("the first boot of a new device did not start its anti-rollback counters")
		else
			grep -q '\[init\] anti-rollback: counters read' "$log" ||
				problems+=("a later boot did not read the anti-rollback counters")
		fi
		if ! grep -Eq '\[init\] TA d2b2c2a0-0000-4000-8000-00000000000a\.ta: signed version 1 is older than version 2, which has run: refused' "$log"; then
			problems+=("no refusal of the older version logged")
		fi
	fi
	grep -Eq 'KERNEL PANIC|\[mon\] unexpected' "$log" && problems+=("secure world failure")
	# The runtime-verification monitors (docs/verification.md): no
	# violation in any boot; the kernel's tally (at init's leak check with
	# no TA running) and the services' (each time their count doubles).
	grep -aq '\[rv\] VIOLATION' "$log" && problems+=("runtime verification: $(grep -a -m1 '\[rv\] VIOLATION' "$log")")
	if [ -z "$args" ]; then
		grep -aEq '^\[rv\] kernel: [0-9]+ events checked .*, 0 violations' "$log" ||
			problems+=("no runtime-verification tally of the kernel with 0 violations")
	fi
	local who
	for who in kernel gateway storage; do
		grep -aE "^\[rv\] $who: " "$log" | tail -n 1 | sed "s/^\[rv\] /# runtime verification, $name: /"
	done
	grep -aEq '\[crypto\] client [0-9a-f]+ left [0-9]+ bytes behind' "$log" &&
		problems+=("crypto service: a client left memory behind")
	grep -Eq 'Kernel panic|Oops|BUG:' "$nwlog" && problems+=("Linux oops or panic")
	grep -Eq 'soft lockup|rcu_sched self-detected stall|rcu: INFO: .* detected stalls' "$nwlog" &&
		problems+=("Linux soft lockup or RCU stall")
	if [ ${#problems[@]} -eq 0 ]; then
		echo "ok - nw_tee/$name: boot and shutdown"
		passed=$((passed + 1))
	else
		echo "FAIL - nw_tee/$name: ${problems[*]} (logs: $log, $nwlog)"
		failed=$((failed + 1))
	fi
}

boot smp2 2
boot smp1-foreign 1 foreign,isolation,smp_ticker,share,budget,rollback
boot smp4 4 basic,concurrent,foreign,isolation,smp_ticker,hotplug,cancel,budget,share,close_inflight,stress,rpc,revoke,rollback
boot reboot 1 reboot
finish
