"""microtee.py: gdb commands for MicroTEE under QEMU's gdbstub.

Sourced by the script that scripts/debug.sh writes (make debug, make
debug-secure); see docs/debugging.md. It loads the symbols of the monitor
and the kernel, and those of the S-EL0 process the CPU is in whenever gdb
stops: every service and TA is a static ELF linked at the same addresses
(lib/rt/user.ld), so only one of them can be loaded at a time.

Which process runs is read from TTBR0_EL1's ASID, which the kernel sets to
the process's slot + 1 (kernel/process.c). Kernel memory cannot be read
while the CPU is at EL0 (QEMU's gdbstub reads through the current
translation regime), so the process table is read when the CPU is in the
kernel: at every stop at EL1, and at a silent breakpoint on the entry of
process_setup_main(), which every process passes before it first runs.

Commands:
  mt-ps                          the secure world's processes (* = the current one)
  mt-break-process NAME [FUNC]   stop when process NAME reaches FUNC (default: its entry)
  mt-break-ta UUID [FUNC]        the same for the TA instance of that UUID
  mt-symbols NAME                load NAME's symbols (a program or a TA's UUID)
"""
import glob
import os

import gdb

_build = None
_names = {}        # ASID -> (pid, name), from the kernel's process table
_user_elf = None   # the S-EL0 ELF whose symbols are loaded
NAME_MAX = 31      # the kernel keeps 31 characters of a name


def _el():
    return (int(gdb.parse_and_eval("$cpsr")) >> 2) & 3


def _asid():
    return (int(gdb.parse_and_eval("$TTBR0_EL1")) >> 48) & 0xFFFF


def _elf_of(name):
    """The ELF file of program NAME, or of the TA whose UUID NAME starts with."""
    prog = os.path.join(_build, "progs", name + ".elf")
    if os.path.exists(prog):
        return prog
    uuid = name[:-3] if name.endswith(".ta") else name
    for path in glob.glob(os.path.join(_build, "ta", "*", "*.elf")):
        base = os.path.basename(path)
        if base.endswith(".stripped.elf"):
            continue
        if base[:-4].startswith(uuid) and len(uuid) >= 8:
            return path
    return None


def _same(kernel_name, name):
    """The kernel's (truncated) name is the name asked for."""
    return kernel_name == name[:NAME_MAX] or kernel_name == (name + ".ta")[:NAME_MAX]


def _read_procs():
    procs = gdb.parse_and_eval("procs")
    lo, hi = procs.type.range()
    out = []
    for i in range(lo, hi + 1):
        p = procs[i]
        state = int(p["state"])
        if state == 0:
            continue
        name = p["name"].string(length=32).split("\0")[0]
        asid = int(p["asid"])
        out.append((int(p["pid"]), name, asid, str(p["state"])))
        _names[asid] = (int(p["pid"]), name)
    return out


def _load_user(elf):
    global _user_elf
    if elf == _user_elf:
        return
    if _user_elf:
        gdb.execute("remove-symbol-file " + _user_elf, to_string=True)
        _user_elf = None
    if elf:
        gdb.execute("add-symbol-file " + elf, to_string=True)
        _user_elf = elf


def _objfile(elf):
    for o in gdb.objfiles():
        if o.filename and os.path.realpath(o.filename) == os.path.realpath(elf):
            return o
    return None


def _address(elf, func):
    """FUNC's address in ELF (its entry point when FUNC is None)."""
    if func is None:
        with open(elf, "rb") as f:
            head = f.read(32)
        return int.from_bytes(head[24:32], "little")
    _load_user(elf)
    o = _objfile(elf)
    sym = None
    if o is not None:
        sym = o.lookup_global_symbol(func) or o.lookup_static_symbol(func)
    if sym is None:
        raise gdb.GdbError("no function %s in %s" % (func, elf))
    return int(sym.value().address)


class _ProcessStart(gdb.Breakpoint):
    """Entry of process_setup_main(p, entry): learns p's name and ASID."""

    def __init__(self):
        super().__init__("*process_setup_main", type=gdb.BP_HARDWARE_BREAKPOINT, internal=True)
        self.silent = True

    def stop(self):
        try:
            p = gdb.parse_and_eval("(struct process *)$x0").dereference()
            name = p["name"].string(length=32).split("\0")[0]
            _names[int(p["asid"])] = (int(p["pid"]), name)
        except gdb.error:
            pass
        return False


class _InProcess(gdb.Breakpoint):
    """A hardware breakpoint at a user address that stops only in one process."""

    def __init__(self, addr, name, what):
        super().__init__("*0x%x" % addr, type=gdb.BP_HARDWARE_BREAKPOINT)
        self.mt_name = name
        self.mt_what = what

    def stop(self):
        if _el() != 0:
            return False
        who = _names.get(_asid())
        if who is None or not _same(who[1], self.mt_name):
            return False
        # Its symbols before gdb prints where it stopped.
        _load_user(_elf_of(who[1]))
        return True


def _on_stop(event):
    try:
        if _el() == 0:
            who = _names.get(_asid())
            if who:
                elf = _elf_of(who[1])
                if elf:
                    _load_user(elf)
        else:
            _read_procs()
    except gdb.error:
        pass


class _Ps(gdb.Command):
    """mt-ps: the secure world's processes; * marks the one the CPU is in."""

    def __init__(self):
        super().__init__("mt-ps", gdb.COMMAND_STATUS)

    def invoke(self, arg, from_tty):
        el = _el()
        cur = _asid()
        if el >= 1:
            rows = [(pid, name, asid, state) for pid, name, asid, state in _read_procs()]
            note = "from the kernel's table"
        else:
            rows = [(pid, name, asid, "?") for asid, (pid, name) in sorted(_names.items())]
            note = "as last read from the kernel (the CPU is at EL0)"
        print("MicroTEE processes, %s; the CPU is at EL%d" % (note, el))
        print("  %4s  %-4s  %-9s  %s" % ("pid", "asid", "state", "name"))
        for pid, name, asid, state in sorted(rows):
            mark = "*" if el == 0 and asid == cur else " "
            print("%s %4d  %-4d  %-9s  %s" % (mark, pid, asid, state, name))


class _BreakProcess(gdb.Command):
    """mt-break-process NAME [FUNCTION]: stop when process NAME (a program of
    the boot file system, or a TA's UUID) reaches FUNCTION, default its entry."""

    def __init__(self, cmd="mt-break-process"):
        super().__init__(cmd, gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not 1 <= len(args) <= 2:
            raise gdb.GdbError("usage: mt-break-process NAME [FUNCTION]")
        name = args[0]
        elf = _elf_of(name)
        if elf is None:
            raise gdb.GdbError("no ELF file for %s under %s" % (name, _build))
        func = args[1] if len(args) == 2 else None
        addr = _address(elf, func)
        if elf.startswith(os.path.join(_build, "ta")):
            name = os.path.basename(elf)[:-4] + ".ta"
        _InProcess(addr, name, func or "entry")
        print("mt: %s stops at %s (0x%x) in %s" % (name, func or "its entry", addr, elf))


class _BreakTa(_BreakProcess):
    """mt-break-ta UUID [FUNCTION]: mt-break-process for the TA of that UUID."""

    def __init__(self):
        super().__init__("mt-break-ta")


class _Symbols(gdb.Command):
    """mt-symbols NAME: load the symbols of program NAME or of a TA's UUID."""

    def __init__(self):
        super().__init__("mt-symbols", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        elf = _elf_of(arg.strip())
        if elf is None:
            raise gdb.GdbError("no ELF file for %s under %s" % (arg, _build))
        _load_user(elf)
        print("mt: symbols of %s" % elf)


def setup(build, monitor):
    """Called by the generated script once gdb is connected."""
    global _build
    _build = os.path.abspath(build)
    gdb.execute("add-symbol-file " + os.path.join(_build, monitor), to_string=True)
    gdb.execute("add-symbol-file " + os.path.join(_build, "kernel.elf"), to_string=True)
    _ProcessStart()
    gdb.events.stop.connect(_on_stop)
    _Ps()
    _BreakProcess()
    _BreakTa()
    _Symbols()
    print("mt: symbols of the monitor and the kernel; commands mt-ps, mt-break-process, "
          "mt-break-ta, mt-symbols (docs/debugging.md)")
