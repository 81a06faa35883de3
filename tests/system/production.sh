#!/usr/bin/env bash
# production.sh — the production image (build/microtee.bin) holds the
# services and the demo TAs, and nothing made for tests; it boots Linux and
# serves the demo client. The test image (build/microtee-test.bin) adds the
# rest.
#   - the production boot file system lists exactly the services (init, flash,
#     gateway, crypto, keys, rpc, storage) and the demo TAs (demo, crypto_demo);
#   - the test image's has the test programs and test TAs besides;
#   - a test scenario asked of the production image finds no test program
#     (-8: MT_ENOENT);
#   - booted with Linux (scripts/nw-run.sh --demo, as make demo does), init
#     starts the services only, and the demo client passes.
# Prints `ok - ...` / `FAIL - ...` and `N passed, M failed` last.
set -uo pipefail
SUITE=production
# shellcheck source=tests/system/checks.sh
source "$(dirname "$0")/checks.sh"
uuid_of() { sed -n 's/^BINARY[ \t]*[:?]*=[ \t]*//p' "$root/ta/$1/Makefile"; }
want=$(printf '%s\n' init flash gateway crypto keys rpc storage utee "$(uuid_of demo).ta" "$(uuid_of crypto_demo).ta" | sort)
got=$("$B/host/mkbootfs" --list "$B/bootfs.img" | awk '{ print $1 }' | sort)
test_got=$("$B/host/mkbootfs" --list "$B/bootfs-test.img" | awk '{ print $1 }' | sort)
same() { [ "$1" = "$2" ]; }
check "production boot file system: the services and the demo TAs, nothing else" same "$got" "$want"
[ "$got" = "$want" ] || printf '# production image holds:\n%s\n' "$got"
has() { grep -qx "$2" <<<"$1"; }
check "test image: test programs and test TAs besides" \
	eval 'has "$test_got" test_ta && has "$test_got" "$(uuid_of hostile).ta" && has "$test_got" echo'
check "no TA is in the production image that is not a demo" \
	eval '! grep -q "$(uuid_of hostile)\|$(uuid_of crypto_test)\|$(uuid_of keys_test)\|$(uuid_of wait_test)\|$(uuid_of keepalive_test)\|$(uuid_of storage_test)\|$(uuid_of storage_peer)" <<<"$got"'

# A test scenario on the production image: there is no test program to run.
log=$logs/production.scenario.log
timeout 60 "$root/scripts/run-qemu.sh" "$B/microtee.bin" "test=ipc" >"$log" 2>&1 </dev/null
check "test=ipc on the production image finds no test program" \
	eval "grep -Eq 'cannot start (echo|test_ipc): -8' '$log' && grep -q 'RESULT: FAIL' '$log' && ! grep -q 'RESULT: PASS' '$log'"

# The production image with Linux: the demo client, as make demo runs it.
out=$logs/production.demo.log
"$root/scripts/nw-run.sh" --demo >"$out" 2>&1
rc=$?
check "make demo on the production image passes (log: $out)" eval "[ $rc -eq 0 ] && grep -q '^demo: PASS' '$out'"
check "production boot: services only, no scenario" \
	eval "grep -q 'production boot: the services are up' '$B/secure-console.log' &&
	      ! grep -q '\[init\] scenario ' '$B/secure-console.log' && ! grep -q 'started echo\|started counter' '$B/secure-console.log'"
check "production boot: the storage service is up, its store mounted" \
	eval "grep -q '\[init\] started storage' '$B/secure-console.log' &&
	      grep -Eq '\[storage\] (made a new store|mounted the store)' '$B/secure-console.log'"
summary
