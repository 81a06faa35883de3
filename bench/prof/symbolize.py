#!/usr/bin/env python3
"""symbolize.py: turns tbprof.so's output into a profile by function.

Usage: symbolize.py TBPROF_OUT OPS ELF... [--sysmap System.map]

Each block is attributed to the ELF (MicroTEE's monitor, kernel, services
and TAs) whose code at that virtual address has the same bytes as the block
(user programs share addresses, so the bytes decide), or to Linux (its
System.map, booted with nokaslr), then to the function containing it.
Prints instructions per operation (the window's total divided by OPS) by
function and by component, largest first."""
import bisect
import os
import struct
import subprocess
import sys


class Elf:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path).replace('.elf', '')
        data = open(path, 'rb').read()
        self.data = data
        phoff, = struct.unpack_from('<Q', data, 0x20)
        phentsize, phnum = struct.unpack_from('<HH', data, 0x36)
        self.segs = []
        for i in range(phnum):
            o = phoff + i * phentsize
            ptype, flags, off, vaddr, paddr, filesz = struct.unpack_from('<IIQQQQ', data, o)
            if ptype == 1 and flags & 1:
                self.segs.append((vaddr, off, filesz))
                if paddr != vaddr:
                    self.segs.append((paddr, off, filesz))
        out = subprocess.run(['aarch64-linux-gnu-nm', '-n', '--defined-only', path],
                             capture_output=True, text=True).stdout
        self.syms = []
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in 'tTwW':
                self.syms.append((int(p[0], 16), p[2]))
        self.addrs = [a for a, _ in self.syms]

    def bytes_at(self, va, n):
        for v, off, sz in self.segs:
            if v <= va < v + sz:
                k = min(n, v + sz - va)
                return self.data[off + va - v: off + va - v + k]
        return None

    def sym(self, va):
        i = bisect.bisect_right(self.addrs, va) - 1
        return self.syms[i][1] if i >= 0 else '?'


def main():
    args = sys.argv[1:]
    sysmap = None
    if '--sysmap' in args:
        i = args.index('--sysmap')
        sysmap = args[i + 1]
        del args[i:i + 2]
    prof, ops, elfs = args[0], int(args[1]), [Elf(p) for p in args[2:]]
    lsyms = []
    if sysmap:
        for line in open(sysmap):
            p = line.split()
            if len(p) == 3 and p[1] in 'tTwW':
                lsyms.append((int(p[0], 16), p[2]))
        lsyms.sort()
    laddrs = [a for a, _ in lsyms]
    by_fn, by_comp = {}, {}
    total = 0
    for line in open(prof):
        if line.startswith('#'):
            continue
        cnt, va, n, _haddr, hexb = line.split()
        cnt, va, n = int(cnt), int(va, 16), int(n)
        want = bytes.fromhex(hexb)
        want = want[:max(4, len(want.rstrip(b'\0')) // 4 * 4)]
        insns = cnt * n
        total += insns
        comp, fn = None, None
        for e in elfs:
            got = e.bytes_at(va, len(want))
            if got and got == want[:len(got)] and len(got) >= 4:
                comp, fn = e.name, e.sym(va)
                break
        if comp is None:
            if va >= 0xffff000000000000:
                i = bisect.bisect_right(laddrs, va) - 1
                if lsyms and i >= 0 and va < 0xffff800008000000:
                    comp, fn = 'linux-module', 'module@%x' % (va & ~0xfff)
                elif i >= 0:
                    comp, fn = 'linux', lsyms[i][1]
                else:
                    comp, fn = 'linux', '%x' % va
            else:
                comp, fn = 'linux-user?', '%x' % (va & ~0xfff)
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
