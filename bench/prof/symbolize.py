#!/usr/bin/env python3
"""symbolize.py: turns tbprof.so's output into a profile by function.

Usage: symbolize.py TBPROF_OUT OPS ELF... [--sysmap System.map]

Each block is named by elfsym.py (the ELF or Linux, then the function).
Prints instructions per operation (the window's total divided by OPS) by
function and by component, largest first."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from elfsym import Namer  # noqa: E402


def main():
    args = sys.argv[1:]
    sysmap = None
    if '--sysmap' in args:
        i = args.index('--sysmap')
        sysmap = args[i + 1]
        del args[i:i + 2]
    prof, ops = args[0], int(args[1])
    namer = Namer(args[2:], sysmap)
    by_fn, by_comp = {}, {}
    total = 0
    for line in open(prof):
        if line.startswith('#'):
            continue
        cnt, va, n, _haddr, hexb = line.split()
        cnt, va, n = int(cnt), int(va, 16), int(n)
        insns = cnt * n
        total += insns
        comp, fn = namer.name(va, hexb)
        by_fn[(comp, fn)] = by_fn.get((comp, fn), 0) + insns
        by_comp[comp] = by_comp.get(comp, 0) + insns
    print('total: %.0f instructions per operation (%d in the window, %d operations)' %
          (total / ops, total, ops))
    print('\nby component:')
    for c, v in sorted(by_comp.items(), key=lambda x: -x[1]):
        print('  %9.1f  %5.1f%%  %s' % (v / ops, 100.0 * v / total, c))
    print('\nby function:')
    for (c, f), v in sorted(by_fn.items(), key=lambda x: -x[1]):
        if v / ops < 2:
            break
        print('  %9.1f  %5.1f%%  %-14s %s' % (v / ops, 100.0 * v / total, c, f))


main()
