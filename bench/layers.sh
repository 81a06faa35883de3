#!/usr/bin/env bash
# layers.sh: where the instructions of two calls from Linux go, layer by
# layer (issue 16), for make bench: a null invoke of the demo TA
# (TA_DEMO_CMD_GET_SESSION_COUNT, one value out) and a SHA-256 of 16 bytes
# through the crypto demo TA and the crypto service (two temporary memrefs).
# One boot of scripts/trace.sh (the production image, -smp 1, -icount
# shift=0, QEMU's plugin bench/prof/tbprof.so), one warmed-up call per
# window. Prints `layer_<call>_<layer>_insns: N` lines and a table:
#   linux_user, linux (the kernel with tee.ko and optee.ko), monitor_to_s
#   and monitor_to_ns (each direction), kernel_entry_exit (the code of
#   kernel/arch/aarch64/entry.S and common/fpsimd.S: vectors, saves,
#   restores, eret), kernel (the rest), gateway, ta_runtime (lib/tee,
#   lib/rt and the C library in the TA), ta (the TA's own code), crypto,
#   and any other process by name; then secure_share (all but Linux).
# Counts are QEMU's, block by block (bench/prof/README.md), so they differ a
# little from the PMU's medians of `invoke_roundtrip_insns`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
B=$root/build
out=$B/bench-layers
mkdir -p "$out"
nm=${CROSS:-aarch64-linux-gnu-}nm
names() { "$nm" --defined-only "$@" 2>/dev/null | awk 'NF == 3 && $2 ~ /^[tTwW]$/ {print $3}' | sort -u; }
names "$B/kern/kernel/arch/aarch64/entry.S.o" "$B/kern/common/fpsimd.S.o" >"$out/kernel-entry.names"
[ -s "$out/kernel-entry.names" ] || { echo "layers: no kernel objects in $B/kern (run make)" >&2; exit 1; }
split=(--split "kernel=entry_exit:$out/kernel-entry.names")
for ta in demo crypto_demo; do
	elf=$(ls "$B/ta/$ta"/*-*-*-*-*.elf | grep -v stripped | head -n1)
	names "$B/ta/$ta"/*.o >"$out/$ta.own.names"
	names "$elf" | comm -23 - "$out/$ta.own.names" >"$out/$ta.runtime.names"
	split+=(--split "ta:$ta=runtime:$out/$ta.runtime.names")
done
TRACE_OUT=$out TRACE_SYMBOLS=0 TRACE_PY_ARGS="${split[*]} --layers $out/layers.tsv --max-lines 0" \
	"$root/scripts/trace.sh" null , sha256 16 >"$out/trace.log" 2>&1 ||
	{ echo "layers: the traced boot failed (see $out/trace.log)" >&2; exit 1; }
python3 - "$out/layers.tsv" <<'PY'
import collections
import sys

calls = {1: 'null_invoke', 2: 'sha256_16'}
rows = collections.OrderedDict()
for line in open(sys.argv[1]):
    w, layer, n = line.rstrip('\n').split('\t')
    w, n = int(w), int(n)
    if w not in calls:
        continue
    key = {'linux-user': 'linux_user', 'monitor>S': 'monitor_to_s', 'monitor>NS': 'monitor_to_ns',
           'kernel entry_exit': 'kernel_entry_exit'}.get(layer)
    if key is None:
        if layer.startswith('linux'):
            key = 'linux'
        elif layer.startswith('ta:'):
            key = 'ta_runtime' if layer.endswith(' runtime') else 'ta'
        else:
            key = layer.replace(' ', '_').replace('-', '_')
    rows.setdefault(key, {}).setdefault(w, 0)
    rows[key][w] += n
order = ['linux_user', 'linux', 'monitor_to_s', 'kernel_entry_exit', 'kernel', 'gateway',
         'ta_runtime', 'ta', 'crypto', 'monitor_to_ns']
keys = [k for k in order if k in rows] + [k for k in rows if k not in order]
tot = {w: sum(r.get(w, 0) for r in rows.values()) for w in calls}
sec = {w: tot[w] - sum(rows.get(k, {}).get(w, 0) for k in ('linux_user', 'linux')) for w in calls}
if any(t == 0 for t in tot.values()):
    print('layers: a window is empty', file=sys.stderr)
    sys.exit(1)
for w, c in calls.items():
    for k in keys:
        print('layer_%s_%s_insns: %d' % (c, k, rows[k].get(w, 0)))
    print('layer_%s_secure_share_insns: %d' % (c, sec[w]))
    print('layer_%s_total_insns: %d' % (c, tot[w]))
print('# per layer, instructions of one call (QEMU plugin, block by block; -smp 1, -icount shift=0):')
print('# %-18s %12s %12s' % ('layer', 'null invoke', 'sha256 16'))
for k in keys:
    print('# %-18s %12d %12d' % (k, rows[k].get(1, 0), rows[k].get(2, 0)))
print('# %-18s %12d %12d' % ('secure share', sec[1], sec[2]))
print('# %-18s %12d %12d' % ('total', tot[1], tot[2]))
PY
