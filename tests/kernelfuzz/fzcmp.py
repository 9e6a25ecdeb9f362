#!/usr/bin/env python3
"""fzcmp.py SEED NSTEPS [FORK [OPS]] [VALGRIND OPTIONS...]: run
tests/kernelfuzz/fz natively and under vmtrace, and compare each step's
faults (getrusage's minflt/majflt around the step) with vmtrace's for the
label "arena" in the step's phase (a child's "child", a grandchild's
"gchild").  Prints MISMATCH lines and "seed N ok|BAD DIR".  Not part of
the test suite: a developer's differential search (README.md)."""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
VALGRIND = os.environ.get("VALGRIND", "valgrind")
seed, nsteps = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
fork = args.pop(0) if args and not args[0].startswith("-") else "1"
ops = args.pop(0) if args and not args[0].startswith("-") else "0"
extra = args
prog = os.path.join(HERE, "fz")
if not os.path.exists(prog):
    sys.exit("fzcmp.py: build it first: make -C %s" % HERE)
d = tempfile.mkdtemp(prefix="fz.")
# the file fz maps is made in TMPDIR (it must not be tmpfs): one of its
# own per run, so that runs side by side do not share it
env = dict(os.environ, TMPDIR=d)
nat = subprocess.run([prog, seed, nsteps, fork, ops], capture_output=True, text=True, cwd=d, env=env)
vg = subprocess.run([VALGRIND, "--tool=vmtrace", *extra, prog, seed, nsteps, fork, ops],
                    capture_output=True, text=True, cwd=d, env=env)


def lines(out):
    return [l for l in out.splitlines() if l.startswith(("STEP", "INFO"))]


nl, vl = lines(nat.stdout), lines(vg.stdout)
bad = False
if nat.returncode or vg.returncode:
    print("rc", nat.returncode, vg.returncode, nat.stderr[-300:], vg.stderr[-500:])
    bad = True
if nl != vl:
    for a, b in zip(nl, vl):
        if a != b:
            print("DIVERGE native %r vmtrace %r" % (a, b))
            break
    bad = True
orac = {}
for l in nat.stdout.splitlines():
    m = re.match(r"ORACLE (\S+) minflt=(\d+) majflt=(\d+)", l)
    if m:
        orac[m.group(1)] = (int(m.group(2)), int(m.group(3)))
vm = {}
for f in glob.glob(d + "/vmtrace.out.*"):
    o = json.load(open(f))
    names = [p["name"] for p in o["phases"]]
    # a child's file has the parent's phases too: only its own counts
    own = "gchild" if "gchild" in names else "child" if "child" in names else None
    for lab in o["labels"]:
        if lab["name"] != "arena":
            continue
        for pn, ph in (lab.get("phases") or {}).items():
            key = pn
            if own:
                # its phase, or with FZPAGES=1 a page's ("child.p12")
                if pn != own and not pn.startswith(own + ".p"):
                    continue
                forkph = [n for n in names if re.fullmatch(r"s\d+", n)][-1]
                key = "%s%s:%s" % (own[0], forkph, pn)
            fl = ph["faults"]
            vm[key] = (fl["minor"], fl["major"],
                       {k: v for k, v in fl.items() if v and k not in ("total", "minor", "major")})
steps = {}
for l in nat.stdout.splitlines():
    if l.startswith("STEP"):
        _, ph, desc = l.split(" ", 2)
        steps[ph] = desc
for k in orac:
    n = orac[k]
    v = vm.get(k, (0, 0, {}))
    if n != v[:2]:
        bad = True
        print("MISMATCH %s (%s): native minflt=%d majflt=%d, vmtrace %d %d %s"
              % (k, steps.get(k.split(":")[0].split(".")[0].lstrip("cg"), "?"), n[0], n[1], *v))
print("seed", seed, "BAD" if bad else "ok", d)
