#!/usr/bin/env python3
"""trace.py: the timeline of what ran between tbprof's markers.

Usage: trace.py TRACE_FILE ELF... [--sysmap System.map] [--max-lines N]
                [--segments FILE] [--split GLOB=LABEL:NAMES]... [--layers FILE]

TRACE_FILE is what tbprof.so wrote with trace=FILE. Each executed block is
named by elfsym.py; consecutive blocks of one layer (Linux user space,
the Linux kernel with its modules, the monitor, the kernel, a service, a TA)
make a segment.
For each window this prints one line per segment: its first instruction's
offset from the window's start, its length in instructions, the component
and the functions it ran (first ... last, and the one that took the most
instructions if it is neither), then the instructions per layer (Linux's modules,
such as tee and optee, apart).
The monitor's segments are told apart by direction: into the secure world
(`monitor>S`) or back to Linux (`monitor>NS`). Offsets count instructions
exactly as QEMU's -icount does, block by block (a block left early by an
exception counts whole, which is rare)."""
import collections
import fnmatch
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from elfsym import Namer  # noqa: E402




def load(path, namer):
    blocks, windows, cut = {}, [], False
    cur = None
    raw = {}
    for line in open(path):
        p = line.split()
        if not p:
            continue
        if p[0] == 'b':
            raw[int(p[1])] = (int(p[2], 16), int(p[3]), int(p[4], 16), p[5])
        elif p[0] == 'w':
            cur = []
            windows.append(cur)
        elif p[0] == '#':
            cut = cut or 'cut' in p
        elif cur is not None:
            cur.append(int(p[0]))
    # Code shared by several ELFs at the same address (lib/tee in every TA,
    # the user runtime in every service) has the same bytes in each: the
    # host page of the block, which is one physical page, decides among
    # them, by the ELF that the other blocks of that page belong to.
    page_votes = collections.defaultdict(collections.Counter)
    cands = {}
    for i, (va, n, haddr, hexb) in raw.items():
        c = namer.candidates(va, hexb)
        cands[i] = c
        if len(c) == 1:
            page_votes[haddr >> 12][c[0][0]] += 1
    for i, (va, n, haddr, hexb) in raw.items():
        c = cands[i]
        if len(c) > 1:
            votes = page_votes[haddr >> 12]
            c = sorted(c, key=lambda x: -votes[x[0]])
        comp, fn = c[0] if c else namer.name(va, hexb)
        blocks[i] = (comp, fn, n)
    return blocks, windows, cut


def layer(comp):
    """The timeline's unit: Linux's kernel and its modules are one layer."""
    return 'linux' if comp.startswith('linux:') or comp == 'linux-module' else comp


def segments(blocks, seq):
    segs = []  # [layer, start, length, first_fn, last_fn]
    t = 0
    for i in seq:
        comp, fn, n = blocks[i]
        comp = layer(comp)
        if segs and segs[-1][0] == comp:
            segs[-1][2] += n
            segs[-1][4] = fn
        else:
            segs.append([comp, t, n, fn, fn, collections.Counter()])
        segs[-1][5][fn] += n
        t += n
    # The monitor's direction: into the secure world or back to Linux.
    for k, s in enumerate(segs):
        if s[0] != 'monitor':
            continue
        nxt = next((x[0] for x in segs[k + 1:] if x[0] != 'monitor'), None)
        s[0] = 'monitor>NS' if nxt is None or nxt.startswith('linux') else 'monitor>S'
    return segs, t


def main():
    args = sys.argv[1:]
    sysmap, max_lines = None, 400
    if '--sysmap' in args:
        i = args.index('--sysmap')
        sysmap = args[i + 1]
        del args[i:i + 2]
    if '--max-lines' in args:
        i = args.index('--max-lines')
        max_lines = int(args[i + 1])
        del args[i:i + 2]
    seg_file = layer_file = None
    if '--segments' in args:
        i = args.index('--segments')
        seg_file = open(args[i + 1], 'w')
        del args[i:i + 2]
    if '--layers' in args:
        i = args.index('--layers')
        layer_file = open(args[i + 1], 'w')
        del args[i:i + 2]
    splits = []  # (glob, label, set of function names)
    while '--split' in args:
        i = args.index('--split')
        glob, rest = args[i + 1].split('=', 1)
        label, path = rest.split(':', 1)
        splits.append((glob, label, set(x.strip() for x in open(path) if x.strip())))
        del args[i:i + 2]
    namer = Namer(args[1:], sysmap)
    blocks, windows, cut = load(args[0], namer)
    if not windows:
        print('trace: no window (the markers never ran)')
        return 1
    for w, seq in enumerate(windows):
        segs, total = segments(blocks, seq)
        print('window %d: %d instructions, %d segments' % (w + 1, total, len(segs)))
        print('  %8s %8s  %-14s %s' % ('at', 'insns', 'component', 'functions'))
        if seg_file:
            for comp, start, n, _f0, _f1, per_fn in segs:
                seg_file.write('%d\t%d\t%d\t%s\t%s\n' % (w + 1, start, n, comp, ','.join(per_fn)))
        for k, (comp, start, n, f0, f1, per_fn) in enumerate(segs):
            if k == max_lines:
                print('  ... %d more segments' % (len(segs) - k))
                break
            fns = f0 if f0 == f1 else '%s ... %s' % (f0, f1)
            top = per_fn.most_common(1)[0][0]
            if top not in (f0, f1):
                fns += ' (most in %s)' % top
            print('  %8d %8d  %-14s %s' % (start, n, comp, fns))
        by = collections.Counter()
        for comp, _s, n, _f0, _f1, _per_fn in segs:
            if comp.startswith('monitor'):  # with its direction
                by[comp] += n
        for i in seq:
            comp, fn, n = blocks[i]
            if comp == 'monitor':
                continue
            for glob, label, names in splits:
                if fnmatch.fnmatchcase(comp, glob) and fn in names:
                    comp = '%s %s' % (comp, label)
                    break
            by[comp] += n
        print('  per layer:')
        for comp, n in by.most_common():
            print('  %8d %5.1f%%  %s' % (n, 100.0 * n / total if total else 0, comp))
            if layer_file:
                layer_file.write('%d\t%s\t%d\n' % (w + 1, comp, n))
    if cut:
        print('trace: cut short (more blocks ran than tbprof keeps)')
    return 0


sys.exit(main())
