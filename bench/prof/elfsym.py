"""elfsym.py: names the code that tbprof.so saw run (bench/prof/README.md).

A translated block is given to the ELF (MicroTEE's monitor, kernel,
services and TAs) whose code at that virtual address has the same bytes as
the block (user programs share addresses, so the bytes decide), or to Linux
(its System.map, booted with nokaslr), then to the function holding it.
symbolize.py (a profile) and trace.py (a timeline) share it."""
import bisect
import os
import struct
import subprocess


class Elf:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path).replace('.elf', '')
        # A TA's ELF is named by its UUID: show its folder (ta/NAME/) too.
        parent = os.path.basename(os.path.dirname(os.path.abspath(path)))
        if len(self.name) == 36 and self.name.count('-') == 4 and parent != 'ta':
            self.name = 'ta:' + parent
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


class Namer:
    """Gives (component, function) for a block from its address and bytes."""

    def __init__(self, elf_paths, sysmap=None):
        self.elfs = [Elf(p) for p in elf_paths]
        self.lsyms = []  # (address, name, module or None)
        if sysmap:  # a System.map or a copy of /proc/kallsyms
            for line in open(sysmap):
                p = line.split()
                if len(p) in (3, 4) and p[1] in 'tTwW':
                    mod = p[3].strip('[]') if len(p) == 4 else None
                    self.lsyms.append((int(p[0], 16), p[2], mod))
            self.lsyms.sort()
        self.laddrs = [s[0] for s in self.lsyms]

    def candidates(self, va, hexbytes):
        """Every MicroTEE ELF with these bytes at va, as (name, function)."""
        want = bytes.fromhex(hexbytes)
        want = want[:max(4, len(want.rstrip(b'\0')) // 4 * 4)]
        out = []
        for e in self.elfs:
            got = e.bytes_at(va, len(want))
            if got and got == want[:len(got)] and len(got) >= 4:
                out.append((e.name, e.sym(va)))
        return out

    def name(self, va, hexbytes):
        c = self.candidates(va, hexbytes)
        if c:
            return c[0]
        if va >= 0xffff000000000000:
            i = bisect.bisect_right(self.laddrs, va) - 1
            if i >= 0 and self.lsyms[i][2]:
                return 'linux:' + self.lsyms[i][2], self.lsyms[i][1]
            if self.lsyms and i >= 0 and va < 0xffff800008000000:
                return 'linux-module', 'module@%x' % (va & ~0xfff)
            if i >= 0:
                return 'linux', self.lsyms[i][1]
            return 'linux', '%x' % va
        return 'linux-user', '%x' % (va & ~0xfff)
