"""Machinery behind tests/run: finding the client programs in the build
tree, running them natively and under vmtrace, reading vmtrace output
files, and comparing figures.  The cases themselves (and the reasoning
behind every expected number) are in tests/scenarios/.  Python 3.11
standard library only."""

import concurrent.futures
import errno
import glob
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

PAGE = 4096

# ------------------------------------------------------------ the build tree

# The source tree, and the build tree that `make check` names in
# $VMTRACE_BUILDDIR (by default the source tree: an in-tree build, as
# README.md's).  make check builds the test programs there (check_PROGRAMS
# in Makefile.am); a runner started by hand first brings the ones it needs
# up to date with make (make_programs).
SRCDIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
BUILDDIR = os.environ.get("VMTRACE_BUILDDIR") or SRCDIR
CLIENTS = os.path.join(BUILDDIR, "tests", "clients")   # what "@BUILD@" stands for


def make_programs(targets):
    """Brings the test programs `targets` (paths relative to the build
    tree) up to date, unless make is running us (make check has built
    them); returns {target: error} for those that are missing or could not
    be built."""
    errs = {}
    if "MAKELEVEL" not in os.environ and os.path.exists(os.path.join(BUILDDIR, "Makefile")):
        argv = ["make", "-s", "-k", "-C", BUILDDIR] + sorted(set(targets))
        p = subprocess.run(argv, capture_output=True, text=True)
        if p.returncode != 0:
            for t in targets:
                # what make failed to build is still out of date
                if subprocess.run(["make", "-s", "-q", "-C", BUILDDIR, t],
                                  capture_output=True).returncode != 0:
                    errs[t] = "%s does not build:\n  $ %s\n%s" % (
                        t, " ".join(argv), (p.stdout + p.stderr).rstrip("\n"))
    for t in targets:
        if t not in errs and not os.access(os.path.join(BUILDDIR, t), os.X_OK):
            errs[t] = ("%s is not built in %s (make check builds it; set "
                       "VMTRACE_BUILDDIR to the build tree)" % (t, BUILDDIR))
    return errs



def read_fault_classes():
    """The fault classes, [(name, kind)] in their order, from the one list
    the C code and the report read too (vmtrace/core/fault_classes.def)."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.realpath(__file__)))), "vmtrace", "core", "fault_classes.def")
    with open(path) as f:
        text = f.read()
    return [(m.group(2), m.group(3).lower()) for m in re.finditer(
        r'^VT_FAULT_CLASS\(\s*(\w+),\s*"([^"]*)",\s*(\w+),', text, re.M)]


def machine_thp():
    """This machine's transparent huge pages, as vmtrace takes its --thp and
    --thp-zero-page defaults: (enabled, use_zero_page, PMD size), e.g.
    ("madvise", True, 2097152); ("never", False, 0) without THP."""
    base = "/sys/kernel/mm/transparent_hugepage/"
    try:
        with open(base + "enabled") as f:
            text = f.read()
    except OSError:
        return ("never", False, 0)
    m = re.search(r"\[(\w+)\]", text)
    enabled = m.group(1) if m else "never"
    try:
        with open(base + "use_zero_page") as f:
            zero = f.read().strip() == "1"
        with open(base + "hpage_pmd_size") as f:
            size = int(f.read())
    except (OSError, ValueError):
        zero, size = False, 0
    return (enabled, zero, size)


FAULT_CLASSES = read_fault_classes()
MINOR_CLASSES = [n for n, k in FAULT_CLASSES if k == "minor"]
MAJOR_CLASSES = [n for n, k in FAULT_CLASSES if k == "major"]
CLASSES = MINOR_CLASSES + MAJOR_CLASSES
FAULT_KEYS = CLASSES + ["minor", "major", "total", "invalid"]

# Keys of an output file that may differ between a --fast-path=yes and a
# --fast-path=no run of the same program.
FAST_PATH_IGNORED = {("run", "start_time"), ("run", "end_time"),
                     ("run", "pid"), ("run", "ppid"),
                     ("options", "fast_path"),
                     ("timeline", "wall_ms")}   # wall-clock times of samples


# ---------------------------------------------------------------- figures

def faults(**counts):
    """A complete faults object: the given classes (and `invalid`), every
    other class 0, minor/major/total summed as the format defines them."""
    for k in counts:
        if k not in CLASSES and k != "invalid":
            raise ValueError("unknown fault class %r" % k)
    f = {c: counts.get(c, 0) for c in CLASSES}
    f["minor"] = sum(f[c] for c in MINOR_CLASSES)
    f["major"] = sum(f[c] for c in MAJOR_CLASSES)
    f["total"] = f["minor"] + f["major"]
    f["invalid"] = counts.get("invalid", 0)
    return f


def add_faults(a, b):
    return {k: a.get(k, 0) + b.get(k, 0) for k in FAULT_KEYS}


def describe_faults(f):
    """'zero=500', 'anon=10 invalid=1', 'none' ..."""
    if not isinstance(f, dict):
        return repr(f)
    parts = ["%s=%s" % (c, f.get(c)) for c in CLASSES + ["invalid"]
             if f.get(c, 0) != 0]
    missing = [k for k in FAULT_KEYS if k not in f]
    if missing:
        parts.append("(missing keys: %s)" % ", ".join(missing))
    s = " ".join(parts) or "none"
    return s


def compare_faults(what, expected, got):
    """Errors (strings) when the faults object `got` differs from the
    complete object `expected` in any key."""
    if not isinstance(got, dict):
        return ["%s: faults is %r, not an object" % (what, got)]
    bad = [k for k in FAULT_KEYS if got.get(k) != expected[k]]
    if not bad:
        return []
    detail = ", ".join("%s %s/%s" % (k, expected[k], got.get(k, "missing"))
                       for k in bad)
    return ["%s: expected %s (every other class 0), got %s  [key expected/got: %s]"
            % (what, describe_faults(expected), describe_faults(got), detail)]


class Expect:
    """The figures of one label in one phase: fault counts by class (every
    class not named is expected to be 0) and, optionally, pages touched.
    Label None stands for pages outside every label: the kernel counts
    their faults in the phase's oracle; vmtrace's labels do not see them.
    proc names the process (its role) in a run of several processes: the
    label and phase are looked up in that process's output file, and its
    native figures come from the lines "ORACLE <proc>:<phase> ..."."""

    def __init__(self, label, phase, pages=None, proc=None, **counts):
        self.label = label
        self.phase = phase
        self.pages = pages
        self.proc = proc
        self.faults = faults(**counts)

    @property
    def key(self):
        """What the client's ORACLE line names: "phase" or "role:phase"."""
        return self.phase if self.proc is None else "%s:%s" % (self.proc, self.phase)


# ---------------------------------------------------------- output files

class OutputError(Exception):
    pass


def find_label(out, name):
    for lab in out.get("labels") or []:
        if isinstance(lab, dict) and lab.get("name") == name:
            return lab
    names = [lab.get("name") for lab in out.get("labels") or []
             if isinstance(lab, dict)]
    raise OutputError("no label %r in the output file (labels: %s)"
                      % (name, names or "none"))


def label_range(out, name):
    lab = find_label(out, name)
    try:
        s, e = lab["ranges"][0]
        return int(s), int(e)
    except Exception:
        raise OutputError("label %r: bad ranges %r" % (name, lab.get("ranges")))


def vmas_overlapping(out, start, end):
    return sorted((v for v in out.get("vmas") or []
                   if v["start"] < end and v["end"] > start),
                  key=lambda v: v["start"])


def mapping_by_id(out, mid):
    maps = out.get("mappings") or []
    if not isinstance(mid, int) or not 0 <= mid < len(maps):
        raise OutputError("vma refers to mapping %r; there are %d mappings"
                          % (mid, len(maps)))
    m = maps[mid]
    if m.get("id") != mid:
        raise OutputError("mappings[%d] has id %r" % (mid, m.get("id")))
    return m


def mapping_of_label(out, name):
    """The mapping whose VMAs cover the label's (first) range."""
    s, e = label_range(out, name)
    ids = sorted({v.get("mapping") for v in vmas_overlapping(out, s, e)})
    if len(ids) != 1:
        raise OutputError("label %r [%#x, %#x): expected the VMAs over it to "
                          "belong to one mapping, found mappings %s"
                          % (name, s, e, ids))
    return mapping_by_id(out, ids[0])


def describe_vmas(vmas, base=None):
    def a(x):
        if base is None:
            return "%#x" % x
        return "base%+d pages" % ((x - base) // PAGE) if (x - base) % PAGE == 0 \
            else "%#x" % x
    return "; ".join("[%s, %s) %s mapping %s" % (a(v["start"]), a(v["end"]),
                                                 v.get("perms"), v.get("mapping"))
                     for v in vmas) or "none"


def check_label_phases(out, expects, label_totals=True):
    """Errors for every (label, phase) figure that differs from its Expect,
    and, when label_totals, for labels whose overall figures are not the
    sum of their expected phases (i.e. faults outside the phases named)."""
    errs = []
    sums = {}
    for ex in expects:
        if ex.label is None:
            continue
        try:
            lab = find_label(out, ex.label)
        except OutputError as e:
            errs.append(str(e))
            continue
        phases = lab.get("phases") or {}
        ph = phases.get(ex.phase) if isinstance(phases, dict) else None
        what = "label %r, phase %r" % (ex.label, ex.phase)
        if ph is None:
            if ex.faults["total"] or ex.faults["invalid"] or ex.pages:
                errs.append("%s: the label has no entry for this phase "
                            "(phases present: %s); expected faults %s, "
                            "pages_touched %s"
                            % (what, sorted(phases) if isinstance(phases, dict)
                               else phases, describe_faults(ex.faults), ex.pages))
        else:
            errs += compare_faults(what, ex.faults, ph.get("faults"))
            if ex.pages is not None and ph.get("pages_touched") != ex.pages:
                errs.append("%s: expected pages_touched %d, got %s"
                            % (what, ex.pages, ph.get("pages_touched")))
        sums[ex.label] = add_faults(sums.get(ex.label, faults()), ex.faults)
    if label_totals:
        for name, total in sums.items():
            try:
                lab = find_label(out, name)
            except OutputError:
                continue
            errs += compare_faults("label %r over the whole run" % name,
                                   total, lab.get("faults"))
    return errs


def find_phase(out, name):
    for ph in out.get("phases") or []:
        if isinstance(ph, dict) and ph.get("name") == name:
            return ph
    names = [ph.get("name") for ph in out.get("phases") or [] if isinstance(ph, dict)]
    raise OutputError("no phase %r in the output file (phases: %s)"
                      % (name, names or "none"))


def check_consistency(out):
    """Sum over mappings and over phases of every fault key equals totals;
    minor/major/total are the sums the format defines."""
    errs = []
    tot = (out.get("totals") or {}).get("faults")
    if not isinstance(tot, dict):
        return ["totals.faults missing"]
    for k in FAULT_KEYS:
        if k not in tot:
            errs.append("totals.faults lacks %r" % k)
    if errs:
        return errs
    kinds = {c.get("name"): c.get("kind") for c in out.get("fault_classes") or []}
    for c in CLASSES:
        want = "minor" if c in MINOR_CLASSES else "major"
        if kinds.get(c) != want:
            errs.append("fault_classes: %r has kind %r, the format says %r"
                        % (c, kinds.get(c), want))
    for where, f in [("totals", tot)] + \
            [("mapping %s" % m.get("id"), m.get("faults")) for m in out.get("mappings") or []] + \
            [("phase %r" % p.get("name"), p.get("faults")) for p in out.get("phases") or []]:
        if not isinstance(f, dict) or any(k not in f for k in FAULT_KEYS):
            errs.append("%s: faults object incomplete: %r" % (where, f))
            continue
        if f["minor"] != sum(f[c] for c in MINOR_CLASSES) or \
                f["major"] != sum(f[c] for c in MAJOR_CLASSES) or \
                f["total"] != f["minor"] + f["major"]:
            errs.append("%s: minor/major/total (%s/%s/%s) are not the sums of "
                        "the classes (%s)" % (where, f["minor"], f["major"],
                                              f["total"], describe_faults(f)))
    if errs:
        return errs
    for listname in ("mappings", "phases"):
        items = out.get(listname) or []
        for k in FAULT_KEYS:
            s = sum(i["faults"][k] for i in items)
            # an invalid access outside every mapping is no mapping's
            if s != tot[k] and not (k == "invalid" and listname == "mappings" and
                                    s <= tot[k]):
                errs.append("sum over %s of %s is %d, totals.faults.%s is %d"
                            % (listname, k, s, k, tot[k]))
    return errs + check_touched(out)


def check_touched(out):
    """Every count of pages touched tells of the same pages: each page is
    counted once, in its mapping, in the phase of its first reference
    (while collecting) and, if labelled, in its label and the label's
    phase; the timeline's last sample has them all."""
    errs = []
    total = (out.get("totals") or {}).get("pages_touched")
    for listname in ("mappings", "phases"):
        s = sum(i.get("pages_touched", 0) for i in out.get(listname) or [])
        if s != total:
            errs.append("sum over %s of pages_touched is %s, totals.pages_touched is %s"
                        % (listname, s, total))
    for lab in out.get("labels") or []:
        s = sum(ph.get("pages_touched", 0) for ph in (lab.get("phases") or {}).values())
        if s != lab.get("pages_touched"):
            errs.append("label %r: its phases' pages_touched add up to %s, its own is %s"
                        % (lab.get("name"), s, lab.get("pages_touched")))
    tl = (out.get("timeline") or {}).get("touched")
    if tl and tl[-1] != total:
        errs.append("timeline.touched ends at %s, totals.pages_touched is %s"
                    % (tl[-1], total))
    return errs


# ---------------------------------------------------------- process trees
#
# A run of several processes leaves one output file per process image
# (docs/output-format.md, "Process trees"): vmtrace.out.PID for a process
# that exited, preceded by vmtrace.out.PID.exec1, .exec2 ... (status exec)
# for the images it replaced by execve.  run.ppid names the parent's pid;
# a forked child's run.fork_time is its parent's clock at the fork.

OUTPUT_NAME = re.compile(r"vmtrace\.out\.(\d+)(?:\.exec(\d+))?$")


def exit_token(exit):
    """run.exit as a short word: exit (code 0), exit:N, exec, signal:N."""
    if not isinstance(exit, dict):
        return "?%s" % short(exit, 40)
    st = exit.get("status")
    if st == "exit":
        return "exit" if exit.get("code") == 0 else "exit:%s" % exit.get("code")
    if st == "signal":
        return "signal:%s" % exit.get("signal")
    if st == "exec":
        return "exec"
    return "?%s" % short(exit, 40)


class Image:
    """One output file: one process image, from fork (or exec) to exit (or
    the next exec)."""

    def __init__(self, path, out, pid, execn):
        self.path = path
        self.name = os.path.basename(path)
        self.out = out
        self.pid = pid
        self.execn = execn          # N of FILE.execN; None for FILE

    @property
    def run(self):
        r = self.out.get("run")
        return r if isinstance(r, dict) else {}

    def status(self):
        return exit_token(self.run.get("exit"))


class Proc:
    """A process: its images in order, its children in the order they were
    forked (by run.fork_time), and its position: the indices of the
    children leading to it from the root, () for the root."""

    def __init__(self, pid):
        self.pid = pid
        self.images = []
        self.children = []
        self.parent = None
        self.position = None

    @property
    def ppid(self):
        return self.images[0].run.get("ppid")

    @property
    def fork_time(self):
        return self.images[0].run.get("fork_time")

    def shape(self):
        s = ">".join(im.status() for im in self.images)
        if self.children:
            s += "(%s)" % shape_list([c.shape() for c in self.children])
        return s


def shape_list(shapes):
    """'a, 3*b, a': runs of equal siblings collapsed."""
    out = []
    i = 0
    while i < len(shapes):
        j = i
        while j < len(shapes) and shapes[j] == shapes[i]:
            j += 1
        out.append(shapes[i] if j - i == 1 else "%d*%s" % (j - i, shapes[i]))
        i = j
    return ", ".join(out)


def position_name(position, image=None):
    s = "/".join(["root"] + [str(i) for i in position])
    return s if image is None else "%s#%d" % (s, image)


class ProcTree:
    """The output files of one run joined into a tree by run.pid and
    run.ppid.  problems lists what does not join: a file not named
    vmtrace.out.PID[.execN] for its own run.pid, images of one pid that
    disagree on ppid, gaps in .execN, an .execN image whose status is not
    exec (or a last image whose status is), not exactly one root, a root
    with a fork_time, a child whose first image has none or one beyond its
    parent's clock, an exec'd image with one.  shape() sums the tree up:
    each process's images' statuses joined by '>' (exec>exit: a process
    that exec'd a program that exited 0), its children in parentheses in
    fork order, e.g. 'exit(exit, exec>exit)'."""

    def __init__(self, outputs):
        self.problems = []
        procs = {}
        for path, data, err in outputs:
            name = os.path.basename(path)
            if err:
                raise OutputError("output file %s: %s" % (name, err))
            m = OUTPUT_NAME.match(name)
            if not m:
                self.problems.append("output file %s: not named vmtrace.out.PID[.execN]"
                                     % name)
                continue
            pid = int(m.group(1))
            im = Image(path, data, pid, int(m.group(2)) if m.group(2) else None)
            if im.run.get("pid") != pid:
                self.problems.append("output file %s: run.pid is %s, the name says %d"
                                     % (name, short(im.run.get("pid")), pid))
            procs.setdefault(pid, Proc(pid)).images.append(im)
        if not procs:
            raise OutputError("no output file")
        for p in procs.values():
            p.images.sort(key=lambda im: (im.execn is None, im.execn or 0))
            ns = [im.execn for im in p.images if im.execn is not None]
            if ns != list(range(1, len(ns) + 1)):
                self.problems.append("pid %d: exec images numbered %s, expected 1..%d"
                                     % (p.pid, ns, len(ns)))
            for im in p.images:
                if (im.execn is not None) != (im.status() == "exec"):
                    self.problems.append("output file %s: status %s%s"
                                         % (im.name, im.status(),
                                            ", expected exec" if im.execn is not None
                                            else " (a file without .execN is the last image)"))
            ppids = {im.run.get("ppid") for im in p.images}
            if len(ppids) != 1:
                self.problems.append("pid %d: its images disagree on run.ppid: %s"
                                     % (p.pid, ", ".join("%s %s" % (im.name, im.run.get("ppid"))
                                                        for im in p.images)))
        roots = []
        for p in sorted(procs.values(), key=lambda p: p.pid):
            parent = procs.get(p.ppid)
            if parent is None or parent is p:
                roots.append(p)
            else:
                p.parent = parent
                parent.children.append(p)
        for p in procs.values():
            p.children.sort(key=lambda c: (c.fork_time if isinstance(c.fork_time, int)
                                           else float("inf"), c.pid))
        self.procs = procs
        self.root = min(roots, key=lambda p: p.pid) if roots else None
        if len(roots) != 1:
            self.problems.append("expected one root process (whose ppid is no other "
                                 "file's pid), found %d: pids %s"
                                 % (len(roots), [p.pid for p in roots]))
        reached = set()
        for r in roots:
            self._place(r, () if r is self.root else None, reached)
        if len(reached) != len(procs):
            self.problems.append("pids %s are not reachable from a root (a ppid cycle)"
                                 % sorted(set(procs) - reached))
        for p in procs.values():
            ft = p.fork_time
            if p.parent is None:
                if p is self.root and ft is not None:
                    self.problems.append("%s (the first process): run.fork_time %s, "
                                         "expected null" % (p.images[0].name, short(ft)))
            elif not isinstance(ft, int) or ft < 0:
                self.problems.append("%s (a forked child): run.fork_time %s, expected "
                                     "the parent's clock at the fork" % (p.images[0].name,
                                                                         short(ft)))
            elif not any(isinstance(im.run.get("instructions"), int) and
                         ft <= im.run["instructions"] for im in p.parent.images):
                self.problems.append("%s: run.fork_time %d is beyond every image of its "
                                     "parent (run.instructions %s)"
                                     % (p.images[0].name, ft,
                                        [im.run.get("instructions") for im in p.parent.images]))
            for im in p.images[1:]:
                if im.run.get("fork_time") is not None:
                    self.problems.append("%s (an exec'd image): run.fork_time %s, "
                                         "expected null" % (im.name, short(im.run["fork_time"])))

    def _place(self, p, position, reached):
        stack = [(p, position)]
        while stack:
            q, pos = stack.pop()
            if q.pid in reached:
                continue
            reached.add(q.pid)
            q.position = pos
            for i, c in enumerate(q.children):
                stack.append((c, None if pos is None else pos + (i,)))

    def shape(self):
        return self.root.shape() if self.root else "(no root)"

    def walk(self):
        """Every process reachable from the root, depth first in fork order."""
        out = []
        stack = [self.root] if self.root else []
        while stack:
            p = stack.pop()
            out.append(p)
            stack.extend(reversed(p.children))
        return out

    def images(self):
        """[(position name, Image)] of every image, depth first."""
        return [(position_name(p.position, i), im) for p in self.walk()
                for i, im in enumerate(p.images)]

    def proc(self, position):
        p = self.root
        for depth, i in enumerate(position):
            if p is None or i >= len(p.children):
                raise OutputError("no process at %s: %s has %d children; the tree:\n%s"
                                  % (position_name(position), position_name(position[:depth]),
                                     len(p.children) if p else 0, self.describe()))
            p = p.children[i]
        if p is None:
            raise OutputError("no root process; the files:\n%s" % self.describe())
        return p

    def image(self, position, image=-1):
        p = self.proc(position)
        try:
            return p.images[image]
        except IndexError:
            raise OutputError("%s has %d images, no image %d; the tree:\n%s"
                              % (position_name(position), len(p.images), image,
                                 self.describe()))

    def describe(self):
        lines = []
        for p in sorted(self.procs.values(), key=lambda p: (p.position is None,
                                                             p.position or (), p.pid)):
            lines.append("  %s: pid %d ppid %s fork_time %s: %s"
                         % (position_name(p.position) if p.position is not None
                            else "(not under the root)", p.pid, p.ppid, short(p.fork_time),
                            " > ".join("%s (%s)" % (im.name, im.status())
                                       for im in p.images)))
        return "\n".join(lines)


# Keys holding virtual times, which depend on how many instructions the
# program executed, whatever vmtrace does.
TIME_KEYS = frozenset({"instructions", "memory_references", "created_at",
                       "unmapped_at", "time", "fork_time",
                       "peak_resident_at"})


def json_diff(a, b, path=(), ignore=frozenset(), limit=20, out=None,
              ignore_keys=frozenset()):
    """Paths at which two JSON values differ (at most `limit`).  `ignore`
    holds whole paths to skip, `ignore_keys` key names to skip anywhere."""
    if out is None:
        out = []
    if len(out) >= limit or path in ignore or (path and path[-1] in ignore_keys):
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                out.append((path + (k,), a.get(k, "<absent>"), b.get(k, "<absent>")))
            else:
                json_diff(a[k], b[k], path + (k,), ignore, limit, out, ignore_keys)
            if len(out) >= limit:
                break
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((path + ("len",), len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            json_diff(x, y, path + (i,), ignore, limit, out, ignore_keys)
            if len(out) >= limit:
                break
    elif a != b or type(a) is not type(b):
        out.append((path, a, b))
    return out


# Files each run creates anew, whose inode numbers differ from run to run:
# the run's own temporary files, SysV shared memory (the inode is the shmid)
# and memfds.
NEW_FILES = ("$TMP", "/SYSV", "/memfd:")


def normalise_tmp(value, tmpdir):
    """Replaces the run's temporary directory in every string by $TMP and
    the inode of files created by the run by '*' (NEW_FILES), and the
    device of those on a tmpfs the run mounted."""
    if isinstance(value, dict):
        d = {k: normalise_tmp(v, tmpdir) for k, v in value.items()}
        if isinstance(d.get("path"), str) and d["path"].startswith(NEW_FILES) \
                and "inode" in d:
            d["inode"] = "*"
            # a tmpfs the client mounts itself (shared_anon tmpfs) gets a
            # new anonymous device number each time: 40 in one run, 41 in
            # the other when they overlap
            if "/vmtest-tmpfs/" in d["path"] and "dev" in d:
                d["dev"] = "*"
        return d
    if isinstance(value, list):
        return [normalise_tmp(v, tmpdir) for v in value]
    if isinstance(value, str) and tmpdir:
        return value.replace(tmpdir, "$TMP")
    return value


WP_RACE = "wp_copy+wp_reuse"


def normalise_sharing(value, key=None):
    """What of an output file does not depend on how the processes of a run
    interleave.  Two processes that write the same copy-on-write page while
    both run (the stack and the data that fork's return path and the code
    after it write in parent and child) race, in the kernel as in vmtrace:
    the first write copies (`wp_copy`) and the other, finding the page its
    alone, reuses it (`wp_reuse`).  So wp_copy and wp_reuse are summed into
    one figure wherever they appear (fault sites merged likewise), and the
    sharing figures, which depend on what the others have done by then
    (totals.pss_pages and uss_pages, the timeline's pss_x1000 and uss), are
    left out.  Labels are kept as they are: the clients write labelled pages
    in steps ordered by pipes and waitpid."""
    if isinstance(value, list):
        return [normalise_sharing(v) for v in value]
    if not isinstance(value, dict):
        return value
    d = {}
    for k, v in value.items():
        if k in ("pss_pages", "uss_pages", "pss_x1000", "uss", "dup"):
            continue
        if k == "labels" or k == "fault_classes":
            d[k] = v
        elif k == "children" and isinstance(v, list):
            # pids differ from run to run; the tree's shape is compared apart
            d[k] = [dict(c, pid="*") if isinstance(c, dict) else c for c in v]
        elif k == "fault_sites" and isinstance(v, list):
            merged = {}
            for site in v:
                if not isinstance(site, dict):
                    continue
                cls = site.get("class")
                cls = WP_RACE if cls in ("wp_copy", "wp_reuse") else cls
                stack = tuple(site.get("stack") or [])
                merged[(cls, stack)] = merged.get((cls, stack), 0) + (site.get("count") or 0)
            d[k] = [{"class": c, "count": n, "stack": list(st)}
                    for (c, st), n in sorted(merged.items())]
        else:
            d[k] = normalise_sharing(v, k)
    if "wp_copy" in d and "wp_reuse" in d:
        a, b = d.pop("wp_copy"), d.pop("wp_reuse")
        if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            d[WP_RACE] = [x + y if isinstance(x, int) and isinstance(y, int) else [x, y]
                          for x, y in zip(a, b)]
        elif isinstance(a, int) and isinstance(b, int):
            d[WP_RACE] = a + b
        else:
            d[WP_RACE] = [a, b]
    return d


def fmt_path(path):
    return ".".join(str(p) if not isinstance(p, int) else "[%d]" % p
                    for p in path).replace(".[", "[")


def short(v, n=120):
    s = json.dumps(v) if not isinstance(v, str) else repr(v)
    return s if len(s) <= n else s[:n] + "..."


# ------------------------------------------------------------- running

class RunSpec:
    """One execution: a client natively (kind 'native'), a client or any
    program under vmtrace (kind 'vmtrace'), or under Valgrind's --tool=none
    (kind 'none': what Valgrind itself costs).  Equal specs run once."""

    def __init__(self, kind, program, args=(), vm_args=(), fast_path=None,
                 client=None, timeout=None, needs=()):
        self.kind = kind
        self.program = program      # client name, or an absolute path
        self.client = client if client is not None else not program.startswith("/")
        self.args = tuple(args)     # "@BUILD@" stands for the clients' directory
        self.needs = tuple(needs)   # other clients the run executes
        self.vm_args = tuple(vm_args)
        self.fast_path = fast_path
        self.timeout = timeout
        self.key = (kind, program, self.args, self.vm_args, fast_path)

    def describe(self):
        s = self.program + (" " + " ".join(self.args) if self.args else "")
        if self.kind in ("native", "none"):
            return self.kind + " " + s
        return "vmtrace %s%s" % (" ".join(self.vm_args + ("--fast-path=%s" % self.fast_path,)
                                         if self.fast_path else self.vm_args), " " + s)


class Result:
    def __init__(self, spec):
        self.spec = spec
        self.error = None        # why the run could not be made at all
        self.argv = None
        self.returncode = None
        self.stdout = ""
        self.stderr = ""
        self.wall = None         # seconds
        self.maxrss_kib = None
        self.tmpdir = None
        self.outputs = []        # [(path, parsed JSON or None, error or None)]
        self.leftovers = []      # files the run left besides its output files
        self.files = {}          # name -> text of the run's <tmp>/*.cg.out

    # -- conveniences for checks
    def status(self):
        rc = self.returncode
        if rc is None:
            return "not run"
        if rc < 0:
            try:
                name = signal.Signals(-rc).name
            except ValueError:
                name = "signal %d" % -rc
            return "killed by %s" % name
        return "exit %d" % rc

    def stderr_tail(self, n=12):
        lines = self.stderr.rstrip("\n").split("\n")
        if lines == [""]:
            return ["(stderr empty)"]
        lines = lines[-n:]
        return ["stderr: " + l for l in lines]

    def command(self):
        return " ".join(shlex.quote(a) for a in self.argv) if self.argv else "?"

    def lines(self, tag):
        """Lines 'TAG rest' of stdout, as a list of 'rest' strings."""
        return [l[len(tag) + 1:] for l in self.stdout.split("\n")
                if l.startswith(tag + " ")]

    def info(self, key):
        for l in self.lines("INFO"):
            k, _, v = l.partition("=")
            if k == key:
                return int(v)
        return None

    def the_output(self):
        """The single parsed output file, or raise OutputError."""
        if self.error:
            raise OutputError(self.error)
        if not self.outputs:
            raise OutputError("no output file: nothing matched %s/vmtrace.out.* "
                              "(%s)" % (self.tmpdir, self.status()))
        if len(self.outputs) > 1:
            raise OutputError("%d output files, expected 1: %s"
                              % (len(self.outputs), [p for p, _, _ in self.outputs]))
        path, data, err = self.outputs[0]
        if err:
            raise OutputError("output file %s: %s" % (os.path.basename(path), err))
        return data

    def tree(self):
        """The output files joined into a ProcTree, or raise OutputError."""
        if self.error:
            raise OutputError(self.error)
        if not self.outputs:
            raise OutputError("no output file: nothing matched %s/vmtrace.out.* "
                              "(%s)" % (self.tmpdir, self.status()))
        return ProcTree(self.outputs)


def stray_files(tmp):
    """What a run left in its scratch directory <tmp> besides what belongs
    there: anything in TMPDIR (<tmp>/tmp: the frame log of copy-on-write
    sharing, a temporary output file, a client's scratch file), anything
    in the working directory (<tmp>/cwd), and in <tmp> itself anything but
    the runner's .stdout and .stderr, files named as output files
    (vmtrace.out.PID[.execN]; a half-written vmtrace.out.PID.tmp.PID is
    stray) and the Cachegrind-format files a case asked for (*.cg.out).  Paths relative to <tmp>, sorted."""
    found = []
    for sub in ("tmp", "cwd"):
        top = os.path.join(tmp, sub)
        for dirpath, dirnames, filenames in os.walk(top):
            for n in dirnames + filenames:
                path = os.path.join(dirpath, n)
                if n in dirnames and os.listdir(path):
                    continue            # listed through what it holds
                found.append(os.path.relpath(path, tmp))
    for n in os.listdir(tmp):
        if n not in (".stdout", ".stderr", "tmp", "cwd") and not OUTPUT_NAME.match(n) \
                and not n.endswith(".cg.out"):
            found.append(n)
    return sorted(found)


_times_lock = threading.Lock()


def note_time(seconds, kind, what, cpu=None):
    """With VMTRACE_TEST_TIMES=FILE, appends "SECONDS KIND COMMAND" for each
    run and suite to FILE (to find what makes the suite slow: `sort -rn
    FILE | head`), and with cpu (the user + system seconds of the program
    and the children it waited for) "CPU KIND-cpu COMMAND" too: on a
    machine others share, the wall clock says more of them than of the
    test.  Timings never decide a test."""
    path = os.environ.get("VMTRACE_TEST_TIMES")
    if not path:
        return
    with _times_lock, open(path, "a") as f:
        f.write("%.2f\t%s\t%s\n" % (seconds, kind, what))
        if cpu is not None:
            f.write("%.2f\t%s-cpu\t%s\n" % (cpu, kind, what))


class Harness:
    def __init__(self, jobs=2, keep=False, timeout=180):
        self.jobs = jobs
        self.keep = keep
        self.timeout = timeout
        self.valgrind = os.environ.get("VMTRACE_VALGRIND") or \
            os.path.join(BUILDDIR, "vg-in-place")
        self.build = CLIENTS
        self.compile_errors = {}
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
        # a lane of its own for a suite that mostly waits (submit_unit's
        # beside): it runs alongside the jobs lanes, not in one of them
        self.side = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.futures = {}
        self.lock = threading.Lock()
        self.running = set()     # pids of the programs running now
        self.aborted = False

    # -- the client programs
    def client_path(self, name):
        return os.path.join(self.build, name)

    def compile(self, names):
        """Finds (and, run by hand, makes) the clients `names`."""
        targets = {"tests/clients/" + n: n for n in names}
        for t, err in make_programs(list(targets)).items():
            self.compile_errors[targets[t]] = err

    # -- running
    def submit(self, spec):
        with self.lock:
            f = self.futures.get(spec.key)
            if f is None:
                f = self.pool.submit(self.execute, spec)
                self.futures[spec.key] = f
            return f

    def vmtrace_missing(self):
        v = self.valgrind
        if not os.path.exists(v):
            return ("vmtrace not built: %s does not exist (build the tool, or "
                    "point VMTRACE_VALGRIND at a valgrind that has it)" % v)
        if not os.access(v, os.X_OK):
            return "vmtrace not built: %s is not executable" % v
        return None

    def execute(self, spec):
        r = Result(spec)
        for name in ((spec.program,) if spec.client else ()) + spec.needs:
            if name in self.compile_errors:
                r.error = self.compile_errors[name]
                return r
        prog = self.client_path(spec.program) if spec.client else spec.program
        if spec.kind == "native":
            argv = [prog] + list(spec.args)
        elif spec.kind == "none":
            argv = [self.valgrind, "--tool=none", prog] + list(spec.args)
        else:
            missing = self.vmtrace_missing()
            if missing:
                r.error = missing
                return r
            argv = [self.valgrind, "--tool=vmtrace"]
            if spec.fast_path:
                argv.append("--fast-path=%s" % spec.fast_path)
            argv += ["--vmtrace-out-file=@TMP@/vmtrace.out.%p"]
            argv += list(spec.vm_args) + [prog] + list(spec.args)
        # <tmp>/ holds stdout, stderr and the output files; the program runs
        # in the empty <tmp>/cwd with TMPDIR=<tmp>/tmp (where clients create
        # their files and Valgrind its own temporary files, which a program
        # listing its working directory must not see).  mkdtemp names have
        # the same length every time, so two runs of a program see
        # environments of the same size.
        tmp = tempfile.mkdtemp(prefix="vmtest-")
        r.tmpdir = tmp
        r.argv = [a.replace("@TMP@", tmp).replace("@BUILD@", self.build) for a in argv]
        cwd = os.path.join(tmp, "cwd")
        os.mkdir(cwd)
        os.mkdir(os.path.join(tmp, "tmp"))
        env = dict(os.environ)
        env["TMPDIR"] = os.path.join(tmp, "tmp")
        env["PWD"] = cwd
        env.pop("VALGRIND_OPTS", None)   # options come from the case only
        if spec.kind == "native":
            env.pop("VALGRIND_LIB", None)
        else:
            # Two runs of a program differ in one input, AT_RANDOM's 16
            # bytes, which Valgrind puts right after the environment's last
            # string: its own LD_PRELOAD when the environment has none.  The
            # dynamic loader's strcspn over LD_PRELOAD reads the random
            # bytes in the aligned word of its NUL and indexes a stack
            # table with them, so the page a reference goes to can follow
            # them (tests/trace/run, "--fast-path=no records the same
            # items").  An LD_PRELOAD given here ends in separators, where
            # every scan stops: a fast-path=yes and a =no run see the same.
            env["LD_PRELOAD"] = ":::"
        out_path = os.path.join(tmp, ".stdout")
        err_path = os.path.join(tmp, ".stderr")
        timeout = spec.timeout or self.timeout
        try:
            with open(out_path, "wb") as fo, open(err_path, "wb") as fe:
                t0 = time.monotonic()
                p = subprocess.Popen(r.argv, stdin=subprocess.DEVNULL, stdout=fo,
                                     stderr=fe, cwd=cwd, env=env,
                                     start_new_session=True)
                with self.lock:
                    self.running.add(p.pid)
                timed_out = False
                try:
                    while True:
                        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                        if pid:
                            break
                        if self.aborted or time.monotonic() - t0 > timeout:
                            timed_out = not self.aborted
                            os.killpg(p.pid, signal.SIGKILL)
                            pid, status, ru = os.wait4(p.pid, 0)
                            break
                        time.sleep(0.01)
                finally:
                    with self.lock:
                        self.running.discard(p.pid)
                p.returncode = os.waitstatus_to_exitcode(status)
                r.wall = time.monotonic() - t0
                r.maxrss_kib = ru.ru_maxrss
                note_time(r.wall, spec.kind, " ".join(r.argv), ru.ru_utime + ru.ru_stime)
                r.returncode = p.returncode
            with open(out_path, "rb") as f:
                r.stdout = f.read().decode("utf-8", "replace")
            with open(err_path, "rb") as f:
                r.stderr = f.read().decode("utf-8", "replace")
            if timed_out:
                r.error = "timed out after %ds and was killed" % timeout
            if spec.kind == "vmtrace":
                for path in sorted(glob.glob(os.path.join(tmp, "vmtrace.out.*"))):
                    try:
                        with open(path, "rb") as f:
                            raw = f.read()
                        data = json.loads(raw.decode("utf-8"))
                        if not isinstance(data, dict):
                            raise ValueError("top level is %s, not an object"
                                             % type(data).__name__)
                        r.outputs.append((path, data, None))
                    except (ValueError, UnicodeDecodeError) as e:
                        head = raw[:160].decode("utf-8", "replace") if raw else "(empty file)"
                        r.outputs.append((path, None, "corrupt: %s; it begins %r"
                                          % (e, head)))
                # a Cachegrind-format file the case asked for (@TMP@/NAME.cg.out)
                for path in sorted(glob.glob(os.path.join(tmp, "*.cg.out"))):
                    with open(path, "rb") as f:
                        r.files[os.path.basename(path)] = f.read().decode("utf-8", "replace")
            r.leftovers = stray_files(tmp)
        except OSError as e:
            r.error = "could not run %s: %s" % (r.argv[0], e)
        finally:
            if not self.keep:
                shutil.rmtree(tmp, ignore_errors=True)
        return r

    # -- the other suites (the core's unit tests, ...)
    def submit_unit(self, argv, prefix="unit", beside=False):
        """Runs the suite `argv` (tests/unit/run, tests/sim/run, ... and
        their arguments) once, in the pool (beside: in a lane of its own
        beside it), in the build tree; the future's result is [(name, ok,
        [diags], directive)], names prefixed with `prefix`/."""
        key = ("unit",) + tuple(argv)
        with self.lock:
            f = self.futures.get(key)
            if f is None:
                f = (self.side if beside else self.pool).submit(self.execute_unit,
                                                                 list(argv), prefix)
                self.futures[key] = f
            return f

    def execute_unit(self, argv, prefix="unit"):
        """Each 'ok N - name' / 'not ok N - name' line is a case named
        unit/<name> ('# SKIP' and '# TODO' directives count as passed, as
        TAP has it, and are kept); lines after a 'not ok' that begin with
        '#' or blanks are its diagnostics.  A run that fails (exit status,
        signal, timeout) without any 'not ok' line is one failed case,
        unit/run."""
        cmd = " ".join(shlex.quote(a) for a in argv)
        out_f = tempfile.TemporaryFile()
        # A suite is many runs (trace/run replays dozens of traces, golden/run
        # runs 180 cases): the per-run limit times the suites' own worst
        # case, so that a loaded machine fails no suite that is not stuck.
        limit = self.timeout * SUITE_RUNS
        t0 = time.monotonic()
        try:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out_f,
                                 stderr=subprocess.STDOUT, cwd=BUILDDIR,
                                 start_new_session=True)
        except OSError as e:
            return [(prefix + "/run", False, ["could not run %s: %s" % (cmd, e)], "")]
        with self.lock:
            self.running.add(p.pid)
        timed_out = False
        timing = bool(os.environ.get("VMTRACE_TEST_TIMES"))
        seen, last, partial = 0, t0, b""
        cpu = None
        try:
            while True:
                # wait4 rather than poll: the suite's CPU seconds, its
                # children's included, for VMTRACE_TEST_TIMES
                pid, status, ru = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    p.returncode = os.waitstatus_to_exitcode(status)
                    cpu = ru.ru_utime + ru.ru_stime
                    break
                if timing:
                    # each case line's time since the suite's previous one
                    chunk = os.pread(out_f.fileno(), 1 << 20, seen)
                    seen += len(chunk)
                    lines = (partial + chunk).split(b"\n")
                    partial = lines.pop()
                    for line in lines:
                        if re.match(rb"(not )?ok ", line):
                            now = time.monotonic()
                            note_time(now - last, "case", prefix + ": " +
                                      line.decode("utf-8", "replace"))
                            last = now
                if self.aborted or time.monotonic() - t0 > limit:
                    timed_out = not self.aborted
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
                    break
                time.sleep(0.05)
        finally:
            with self.lock:
                self.running.discard(p.pid)
        note_time(time.monotonic() - t0, "suite", cmd, cpu)
        out_f.seek(0)
        text = out_f.read().decode("utf-8", "replace")
        out_f.close()
        cases = []
        for line in text.split("\n"):
            m = re.match(r"(not ok|ok)\s+\d+\s*(?:-\s*)?(.*)$", line)
            if m:
                name, _, directive = m.group(2).partition(" # ")
                directive = directive.strip()
                ok = m.group(1) == "ok" or directive.upper().startswith(("TODO", "SKIP"))
                cases.append([prefix + "/" + name.strip(), ok, [], directive])
            elif cases and not cases[-1][1] and (line.startswith("#") or line[:1].isspace()) \
                    and line.strip():
                cases[-1][2].append(line.strip().lstrip("#").strip())
        rc = p.returncode
        if (timed_out or rc != 0) and all(c[1] for c in cases):
            why = "timed out after %ds and was killed" % limit if timed_out \
                else "exit %d" % rc if rc >= 0 else "killed by signal %d" % -rc
            tail = text.rstrip("\n").split("\n")[-12:]
            cases.append([prefix + "/run", False, ["%s: %s" % (cmd, why)] +
                          ["output: " + l for l in tail], ""])
        return [tuple(c) for c in cases]

    def close(self):
        self.pool.shutdown(wait=True)
        self.side.shutdown(wait=True)

    def abort(self):
        """Stops everything (on ^C: the programs run in sessions of their
        own, so the terminal's SIGINT does not reach them)."""
        self.aborted = True
        for f in self.futures.values():
            f.cancel()
        with self.lock:
            pids = list(self.running)
        for pid in pids:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.side.shutdown(wait=True, cancel_futures=True)


# ------------------------------------------------------------ cases

class Case:
    """A named check over the results of one or more runs.  check(results)
    returns a list of diagnostic strings; empty means the case passes."""

    def __init__(self, name, runs, check, attempts=1, retry_if=None):
        self.name = name
        self.runs = runs
        self.check = check
        # How many times the runs may be made before the case fails: more
        # than one only for a kernel count that depends on timing (I/O in
        # flight under load, khugepaged's scans), where a later run can
        # show the count the case predicts.  retry_if(results), if given,
        # says whether a failed attempt may be made again (the timing
        # showed itself in it).  Every failed attempt's diagnostics are
        # printed.
        self.attempts = attempts
        self.retry_if = retry_if


# How many single runs' time limits a whole suite gets (tests/trace/run, the
# longest, took over 900 s on a loaded machine of 2 cores on 2026-12-06).
SUITE_RUNS = 8


class Suite:
    """Another suite run alongside the cases (tests/unit/run, ...): argv
    runs it; each of its TAP-like lines is a case named <prefix>/<name>.
    `programs` are the test programs it runs (paths in the build tree),
    made first when tests/run is run by hand; `skip` says why it is not
    run at all (one "ok N - <prefix> # SKIP <skip>" line instead);
    `cost`, the seconds it takes (roughly, measured), orders the suites,
    the longest first; a suite that mostly waits (`waits`: for a browser
    to draw) runs in a lane of its own beside the others, whose CPU it
    would otherwise leave idle."""

    def __init__(self, prefix, argv, programs=(), skip=None, cost=0, waits=False):
        self.prefix = prefix
        self.argv = list(argv)
        self.programs = tuple(programs)
        self.skip = skip
        self.cost = cost
        self.waits = waits


def run_cases(harness, cases, suites=(), suite_filter=None, skipped=None):
    """Runs the cases (their runs in parallel), prints one TAP-like line per
    case in order.  Returns (passed, failed).  The Suites are run
    alongside; their cases (those suite_filter(name) accepts) are printed
    after the others.  A case skipped ('# SKIP', counted as passed, as TAP
    has it) is also counted in skipped, a dict if given: suite prefix ->
    {reason: cases}, so that the caller can say how many passes checked
    nothing."""
    clients = {s.program for c in cases for s in c.runs if s.client} | \
        {n for c in cases for s in c.runs for n in s.needs}
    # One make for everything (suites run by hand make their own
    # programs: two makes must not build the same one at once).
    make_programs([p for su in suites if not su.skip for p in su.programs])
    harness.compile(clients)
    # The suites by their cost, the longest first, then the cases' runs
    # (short, a second or two at most, in their hundreds): each lane takes
    # the next when it is free, so the longest start while the short runs
    # are still there to even the lanes out at the end (a long suite
    # started last, with nothing beside it, left a core idle).  Printed in
    # order.
    for su in sorted(suites, key=lambda su: -su.cost):
        if not su.skip:
            harness.submit_unit(su.argv, su.prefix, beside=su.waits)
    suite_results = []
    for su in suites:
        if su.skip:
            suite_results.append([(su.prefix, True, [], "SKIP " + su.skip)])
        else:
            suite_results.append(harness.submit_unit(su.argv, su.prefix))
    for c in cases:
        for s in c.runs:
            harness.submit(s)
    passed = failed = 0
    i = 0
    def check(c, results):
        try:
            return c.check(*results)
        except OutputError as e:
            return [str(e)]
        except Exception as e:  # a bug in a check, or an output of the wrong shape
            import traceback
            return ["check raised %s: %s" % (type(e).__name__, e)] + \
                traceback.format_exc().rstrip().split("\n")[-4:]

    for i, c in enumerate(cases, 1):
        results = [harness.futures[s.key].result() for s in c.runs]
        errs = check(c, results)
        earlier = []
        for attempt in range(2, c.attempts + 1):
            if not errs or any(r.error for r in results) or \
                    (c.retry_if and not c.retry_if(results)):
                break
            earlier.append("attempt %d of %d failed:" % (attempt - 1, c.attempts))
            earlier += ["  " + e for e in errs]
            results = [harness.execute(s) for s in c.runs]
            errs = check(c, results)
        if errs and earlier:
            errs = earlier + ["attempt %d of %d failed:" % (c.attempts, c.attempts)] + \
                ["  " + e for e in errs]
        if earlier and not errs:
            # passed on a later attempt: say so, as diagnostics of the ok line
            passed += 1
            print("ok %d - %s" % (i, c.name))
            for line in earlier:
                print("    # " + line)
            sys.stdout.flush()
            continue
        if errs:
            failed += 1
            print("not ok %d - %s" % (i, c.name))
            shown = []
            for e in errs:
                shown += str(e).rstrip("\n").split("\n")
            for r in results:
                if r.argv and not r.error:
                    shown.append("command: " + r.command() + "   (%s)" % r.status())
            for line in shown:
                print("    # " + line)
        else:
            passed += 1
            print("ok %d - %s" % (i, c.name))
        sys.stdout.flush()
    for res in suite_results:
        for name, ok, diags, directive in res if isinstance(res, list) else res.result():
            if suite_filter and not suite_filter(name):
                continue
            i += 1
            tail = " # " + directive if directive else ""
            if ok and skipped is not None and directive.upper().startswith("SKIP"):
                why = skipped.setdefault(name.split("/", 1)[0], {})
                reason = directive[4:].strip()
                why[reason] = why.get(reason, 0) + 1
            if ok:
                passed += 1
                print("ok %d - %s%s" % (i, name, tail))
            else:
                failed += 1
                print("not ok %d - %s%s" % (i, name, tail))
                for line in diags:
                    print("    # " + line)
        sys.stdout.flush()
    return passed, failed


# ---- memory cgroups ----------------------------------------------------

MEMCG_ROOT = "/sys/fs/cgroup/memory"


def memcg_unavailable():
    """Why a native run cannot be made in a memory cgroup of its own here
    (None if it can): the cgroup v1 memory controller must be mounted at
    MEMCG_ROOT and writable (root)."""
    if not os.path.isfile(os.path.join(MEMCG_ROOT, "memory.limit_in_bytes")):
        return "no cgroup v1 memory controller at %s" % MEMCG_ROOT
    if not os.access(MEMCG_ROOT, os.W_OK):
        return "%s is not writable (not root?)" % MEMCG_ROOT
    return None


class Memcg:
    """A child memory cgroup of MEMCG_ROOT limited to `limit` bytes, for
    the length of a `with`: a client told its path ($VMT_MEMCG) moves
    itself into it (tests/clients/memcg.c).  read() gives a control file's
    text; stat() memory.stat as a dict.  memsw, if given, is written to
    memory.memsw.limit_in_bytes (memory + swap): the limit itself for no
    swap at all, -1 for swap without a limit (a new cgroup's default).  On
    leaving, the cgroup is removed (cgroup v1 hands what it still holds
    charged, the page cache the run left, to its parent)."""

    def __init__(self, limit, memsw=None):
        self.limit = limit
        self.memsw = memsw
        self.path = os.path.join(MEMCG_ROOT, "vmtest-%d-%d" % (os.getpid(),
                                                               threading.get_ident() % 100000))

    def __enter__(self):
        os.mkdir(self.path)
        try:
            with open(os.path.join(self.path, "memory.limit_in_bytes"), "w") as f:
                f.write(str(self.limit))
            if self.memsw is not None:
                with open(os.path.join(self.path, "memory.memsw.limit_in_bytes"), "w") as f:
                    f.write(str(self.memsw))
        except OSError:
            os.rmdir(self.path)
            raise
        return self

    def read(self, name):
        with open(os.path.join(self.path, name)) as f:
            return f.read()

    def pages(self, name):
        return int(self.read(name)) // PAGE

    def stat(self):
        return {k: int(v) for k, v in (l.split() for l in self.read("memory.stat").splitlines())}

    def __exit__(self, *exc):
        for _ in range(100):
            try:
                os.rmdir(self.path)
                return False
            except OSError as e:
                if e.errno != errno.EBUSY:
                    raise
                time.sleep(0.05)      # a killed client still exiting
        os.rmdir(self.path)
        return False
