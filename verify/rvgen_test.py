#!/usr/bin/python3
"""rvgen_test.py OUT -- checks verify/rvgen.py (make verify, docs/verification.md).

For every model in verify/*.dot, the generated C table must hold exactly the
automaton's transitions (every state and event pair, RV_BAD elsewhere) and
the Promela inline the same ones; --drop must remove exactly the one named;
malformed models and unknown transitions to drop must be refused. Prints
`ok - ...`/`FAIL - ...` lines and `N passed, M failed` last."""
import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, HERE)
import rvgen  # noqa: E402

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print(f'ok - rvgen/{what}')
    else:
        failed += 1
        print(f'FAIL - rvgen/{what}')


def run(args):
    return subprocess.run([sys.executable, os.path.join(HERE, 'rvgen.py')] + args,
                          capture_output=True, text=True)


def c_table(text, name):
    """{(state, event): next} read back from rv_NAME.h."""
    N = name.upper()
    states = re.findall(rf'^\tRV_{N}_S_([A-Z0-9_]+),$', text, re.M)
    rows = re.findall(rf'^\t\[RV_{N}_([A-Z0-9_]+)\] = \{{([^}}]*)\}},$', text, re.M)
    got = {}
    for ev, row in rows:
        cells = [c.strip() for c in row.split(',')]
        if len(cells) != len(states):
            return None
        for s, cell in zip(states, cells):
            if cell != 'RV_BAD':
                got[(s.lower(), ev.lower())] = cell[len(f'RV_{N}_S_'):].lower()
    return got


def pml_table(text, name):
    N = name.upper()
    return {(s.lower(), e.lower()): n.lower() for s, e, n in re.findall(
        rf':: st == {N}_([A-Z0-9_]+) && ev == {N}_EV_([A-Z0-9_]+) -> st = {N}_([A-Z0-9_]+)', text)}


def main(out):
    os.makedirs(out, exist_ok=True)
    dots = sorted(glob.glob(os.path.join(HERE, '*.dot')))
    check(len(dots) >= 6, f'{len(dots)} models in verify/')
    r = run([out] + dots)
    check(r.returncode == 0, 'the models generate')
    for d in dots:
        name, states, events, delta = rvgen.parse(d)
        text = open(os.path.join(out, f'rv_{name}.h')).read()
        check(c_table(text, name) == delta, f'{name}: the C table is the automaton '
              f'({len(states)} states, {len(events)} events, {len(delta)} transitions)')
        check(pml_table(open(os.path.join(out, f'rv_{name}.pml')).read(), name) == delta,
              f'{name}: the Promela inline is the automaton')
        check(0 < len(states) < 128, f'{name}: its states number below RV_BAD (0x80)')
    # --drop takes out exactly one transition.
    name, states, events, delta = rvgen.parse(os.path.join(HERE, 'nwcall.dot'))
    drop_out = os.path.join(out, 'drop')
    os.makedirs(drop_out, exist_ok=True)
    r = run(['--drop', 'nwcall:running:complete', drop_out] + dots)
    got = c_table(open(os.path.join(drop_out, 'rv_nwcall.h')).read(), 'nwcall') if r.returncode == 0 else None
    want = dict(delta)
    del want[('running', 'complete')]
    check(got == want, '--drop nwcall:running:complete removes that transition only')
    r = run(['--drop', 'nwcall:free:complete', drop_out] + dots)
    check(r.returncode == 1 and 'no such transition' in r.stderr, '--drop of a transition that does not exist is refused')
    # Malformed models are refused, each with its reason.
    bad = {
        'no_init': ('digraph m {\n\ta -> b [label="e"];\n}\n', 'no __init edge'),
        'two_targets': ('digraph m {\n\t__init -> a;\n\ta -> b [label="e"];\n\ta -> c [label="e"];\n}\n',
                        'both'),
        'no_label': ('digraph m {\n\t__init -> a;\n\ta -> b;\n}\n', 'has no event'),
        'bad_event': ('digraph m {\n\t__init -> a;\n\ta -> b [label="E-1"];\n}\n', 'bad event name'),
        'not_subset': ('digraph m {\n\t__init -> a;\n\ta -> b [color=red];\n}\n', 'not an edge'),
        'no_head': ('graph m {\n\t__init -> a;\n}\n', 'digraph'),
    }
    for what, (text, reason) in bad.items():
        p = os.path.join(out, f'bad_{what}.dot')
        with open(p, 'w') as f:
            f.write(text)
        r = run([os.path.join(out, 'bad'), p])
        check(r.returncode == 1 and reason in r.stderr, f'a malformed model is refused: {what}')
    print(f'{passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else 'build/verify-test'))
