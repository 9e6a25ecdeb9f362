"""The torture suite (issue 10): odd clients, each checked for the exit
the client has natively (the same status or signal under vmtrace, and in
run.exit), exactly one valid output file per process image and nothing
else left behind (tests/lib/vmtest.py's stray_files: no frame log, no
temporary file, nothing in TMPDIR or the working directory), and page and
fault figures from first principles where the client makes them knowable;
a subset again with --ram=2M --swap=8M --policy=all (POLICY_ALL: the same
exits, figures and files, and every simulation present in every file).

The clients are tests/clients/torture_*.c: torture_sig (ways of dying,
signals survived), torture_proc (process trees), torture_mem (address
space), torture_fd (descriptors and limits).  Each writes what it studies
in labelled ranges and brackets each step with ORACLE lines, as the other
clients do (tests/lib/vmtest.h), so the kernel checks every expectation
the native run can measure."""

import fnmatch
import re

from vmtest import PAGE, Expect, OutputError, RunSpec, exit_token, short
from .scenario import Scenario, SCENARIOS
from .proc_checks import alone_at_exit, at, command_is, image_names, label_at, labels_are
from .checks import (invalid_access, mapping_figures, mapping_kind, no_invalid,
                     vma_layout)

POLICIES = ["fifo", "lru", "lfu", "random", "clock", "nru", "aging", "wsclock", "linux",
            "arc"]
POLICY_ALL = ["--ram=2M", "--swap=8M", "--policy=all"]


# ===================================================================
# Checks

def info_is(key, value):
    """The client printed INFO key=value under vmtrace too (what it saw of
    its own signals; natively the FACT line of the same name is checked)."""
    def check(out, r, extra):
        got = r.info(key)
        if got != value:
            return ["the client printed INFO %s=%s under vmtrace, expected %d"
                    % (key, got, value)]
        return []
    return check


def log_has(pattern):
    """The log (stderr) matches the regular expression."""
    def check(out, r, extra):
        if not re.search(pattern, r.stderr):
            return ["no part of the log matches %r" % pattern] + r.stderr_tail()
        return []
    return check


def log_lacks(pattern):
    """No part of the log (stderr) matches the regular expression."""
    def check(out, r, extra):
        if re.search(pattern, r.stderr):
            return ["the log matches %r" % pattern] + r.stderr_tail()
        return []
    return check


def each_file(r):
    """(name, parsed output) of every output file of the run."""
    for path, data, err in r.outputs:
        if err:
            raise OutputError("output file %s: %s" % (path, err))
        yield path.rsplit("/", 1)[-1], data


def all_simulations(out_or_tree, r, extra):
    """--ram=2M --swap=8M --policy=all: every output file has one
    simulation per policy, in the order of --policy=all, each of 512 RAM
    pages and 2048 swap pages, none of them out of memory."""
    errs = []
    for name, out in each_file(r):
        sims = out.get("simulations")
        if not isinstance(sims, list):
            errs.append("%s: no simulations section" % name)
            continue
        got = [(s.get("policy"), s.get("ram_pages"), s.get("swap_pages")) for s in sims]
        want = [(p, 512, 2048) for p in POLICIES]
        if got != want:
            errs.append("%s: simulations (policy, ram_pages, swap_pages) %s, expected %s"
                        % (name, got, want))
        for s in sims:
            if s.get("oom_count") != 0:
                errs.append("%s: simulation %s ran out of memory (%s)"
                            % (name, s.get("policy"), short(s.get("oom_events"))))
    return errs


def children_exits(position, tokens):
    """The process's `children` section: the children it reaped, in the
    order it reaped them, ended as `tokens` say (exit, exit:N, signal:N;
    a child's wait status as the parent's wait4 saw it)."""
    def check(tree, r, extra):
        im = tree.image(position)
        got = [exit_token(c.get("exit")) for c in im.out.get("children") or []]
        if got != list(tokens):
            return ["%s: children's statuses %s, expected %s"
                    % (im.name, got, list(tokens))]
        return []
    return check


def torture(name, client, args=(), expects=(), policy=False, checks=(), **kw):
    """A torture case: the scenario, and with policy=True the same run
    under --ram=2M --swap=8M --policy=all (vmtrace only), whose figures,
    exits and files must be those of the first, with every simulation in
    every file."""
    SCENARIOS.append(Scenario("torture/" + name, client, args, expects,
                              checks=list(checks), **kw))
    if policy:
        kw = dict(kw)
        kw.pop("native_phases", None)
        kw.pop("facts", None)
        SCENARIOS.append(Scenario("torture/%s policy=all" % name, client, args, expects,
                                  vm_args=POLICY_ALL + list(kw.pop("vm_args", [])),
                                  checks=list(checks) + [all_simulations], **kw))


# ===================================================================
# torture_sig: ways of dying, signals survived
#
# Every mode first writes the 4 pages of a fresh private anonymous
# mapping "region", one store each: 4 first writes, 4 `anon`
# (do_anonymous_page), natively minflt 4 in phase "write".  The file a
# death leaves must hold them: the output is written as the process dies.
# The exit under vmtrace is Valgrind's own (it re-raises the fatal signal,
# or exits with the code), compared with the native run's; run.exit is
# what the tool tells from what it saw (vmtrace/tool/vt_signal.c).

def region(**kw):
    return [Expect("region", "write", pages=4, anon=4, **kw)]


# exit(N): the status is N & 0xff, natively as under vmtrace.
for code, status in ((3, 3), (256, 0), (-1, 255)):
    torture("sig/exit %d" % code, "torture_sig", ["exit", str(code)], region(),
            exit=("exit", status), policy=code == 3)
# main's return value is exit's argument.
torture("sig/return", "torture_sig", ["return"], region(), exit=("exit", 42))

# abort() raises SIGABRT (tgkill of itself), and, if a handler returns,
# resets the action to SIG_DFL and raises it again: signal 6 both times.
torture("sig/abort", "torture_sig", ["abort"], region(), exit=("signal", 6), policy=True)
torture("sig/abort-handled", "torture_sig", ["abort-handled"], region(),
        exit=("signal", 6))
# exit(4) in a SIGUSR1 handler: an exit like any other.
torture("sig/handler-exit", "torture_sig", ["handler-exit"], region(), exit=("exit", 4))


def guard(phase, **kw):
    return Expect("guard", phase, **kw)


# A store to a PROT_NONE page: access_error, SIGSEGV, which a handler on
# the alternate stack takes; it exits 5 (99 if it ran off that stack).
# One invalid access, no fault the kernel counts (the phase has no
# ORACLE line: the handler ends the process).
torture("sig/altstack-exit", "torture_sig", ["altstack-exit"],
        region() + [guard("crash", invalid=1)], exit=("exit", 5),
        native_phases=["write"])

# The alternate stack's 8 pages written first (8 `anon`), so the signal
# frames the kernel (natively) and Valgrind build there fault nothing;
# three stores to the PROT_NONE guard, each recovered by siglongjmp from
# the handler: 3 invalid, no fault counted (minflt 0); then the guard made
# writable and written: its first write, 1 `anon`.
torture("sig/segv-recover", "torture_sig", ["segv-recover"], region() + [
    Expect("altstack", "prep", pages=8, anon=8),
    Expect("altstack", "recover"),
    Expect("guard", "recover", invalid=3),
    Expect("guard", "fix", pages=1, anon=1),
], facts={"handled": 3}, checks=[info_is("handled", 3)], policy=True)

# A write to a pipe whose reading end is closed: EPIPE and SIGPIPE, which
# kills (13) unless ignored, blocked (then pending, and lost at exit) or
# asked away (send's MSG_NOSIGNAL): then the client sees EPIPE and exits 0.
torture("sig/sigpipe", "torture_sig", ["sigpipe"], region(), exit=("signal", 13))
for mode in ("ignored", "blocked", "nosignal"):
    torture("sig/sigpipe-%s" % mode, "torture_sig", ["sigpipe-" + mode], region(),
            facts={"epipe": 1}, checks=[info_is("epipe", 1)])

# An integer division by zero (#DE): SIGFPE, 8; ud2: SIGILL, 4; int3:
# SIGTRAP, 5.  With a handler that siglongjmps back, three of each are
# survived and the process exits 0.
torture("sig/sigfpe", "torture_sig", ["sigfpe"], region(), exit=("signal", 8))
torture("sig/sigfpe-recover", "torture_sig", ["sigfpe-recover"], region(),
        facts={"handled": 3}, checks=[info_is("handled", 3)])
torture("sig/sigill", "torture_sig", ["sigill"], region(), exit=("signal", 4))
torture("sig/sigill-recover", "torture_sig", ["sigill-recover"], region(),
        facts={"handled": 3}, checks=[info_is("handled", 3)])
torture("sig/sigtrap", "torture_sig", ["sigtrap"], region(), exit=("signal", 5))
torture("sig/raise-term", "torture_sig", ["raise-term"], region(), exit=("signal", 15))

# SIGKILL of itself: Valgrind ends the process in order (fini runs) and
# then kills it; sent to its own process group, the tool writes the file
# first.  Valgrind itself cannot remove its vgdb FIFOs then (killed).
torture("sig/kill9-self", "torture_sig", ["kill9-self"], region(), exit=("signal", 9),
        policy=True)
torture("sig/kill9-group", "torture_sig", ["kill9-group"], region(), exit=("signal", 9),
        killed="kill(0, SIGKILL): the process kills its own group, itself included")

THREADS = "thread scheduling under Valgrind follows real futex timing"
# _exit(7) in a thread is exit_group(7): the process exits 7.
torture("sig/thread-exit", "torture_sig", ["thread-exit"], region(), exit=("exit", 7),
        varying_time=THREADS)
# A thread that returned called exit(0) (the exit system call of one
# thread, not the last): no end of the process, which then dies of abort()
# (6), or of its own SIGKILL (9, though the exiting thread had blocked
# every signal: masks are per thread).
torture("sig/thread-then-abort", "torture_sig", ["thread-then-abort"], region(),
        exit=("signal", 6), varying_time=THREADS)
torture("sig/thread-then-kill9", "torture_sig", ["thread-then-kill9"], region(),
        exit=("signal", 9), varying_time=THREADS)
# The main thread ends first (pthread_exit); the other joins it and ends
# with the exit system call, code 9: the last thread's code is the
# process's (natively 9 too).
torture("sig/main-exits-first", "torture_sig", ["main-exits-first"], region(),
        exit=("exit", 9), varying_time=THREADS)


# ===================================================================
# torture_proc: process trees
#
# Kernel background as in fork.py: after fork every private anonymous page
# is shared copy-on-write; a write copies it (`wp_copy`) while another
# process still maps it, else reuses it (`wp_reuse`); a process's exit
# drops its holds before its parent's waitpid returns.  Files: one per
# process image (vmtrace.out.PID, .execN before each successful exec), the
# tree joined by run.ppid, each process's `children` listing the statuses
# its wait4 calls returned.

def command_like(position, image, patterns):
    """run.command of the image matches these shell patterns, one per
    argument (the scratch directory's name differs from run to run)."""
    def check(tree, r, extra):
        im = tree.image(position, image)
        got = im.run.get("command")
        if not isinstance(got, list) or len(got) != len(patterns) or \
                not all(fnmatch.fnmatchcase(g, p) for g, p in zip(got, patterns)):
            return ["%s: run.command %s, expected %s" % (im.name, short(got, 200), patterns)]
        return []
    return check


def invalid_in(position, n):
    """The process's file counts n invalid accesses."""
    def check(tree, r, extra):
        im = tree.image(position)
        got = ((im.out.get("totals") or {}).get("faults") or {}).get("invalid")
        if got != n:
            return ["%s: totals.faults.invalid %s, expected %d" % (im.name, got, n)]
        return []
    return check


# 16 children alive at once, released together: child i writes page i of
# the parent's 16-page region, which the parent (and the other children)
# still map: 1 `wp_copy` each, and exits with status i; the parent reaps
# them in fork order (its children section: exit 0, exit 1, ... exit 15),
# then finds all 16 pages its own, write-protected: 16 `wp_reuse`.
STORM = 16
torture("proc/storm", "torture_proc", ["storm", str(STORM)], [
    Expect("region", "write", pages=STORM, proc="parent", anon=STORM),
] + [e for i in range(STORM) for e in (
    Expect("slice", "slice", proc="child%d" % i, wp_copy=1),
    Expect("region", "slice", proc="child%d" % i),
)] + [
    Expect("region", "after-children", proc="parent", wp_reuse=STORM),
], procs=dict([("parent", at())] + [("child%d" % i, at(i)) for i in range(STORM)]),
    tree="exit(%s)" % ", ".join(["exit"] + ["exit:%d" % i for i in range(1, STORM)]),
    facts=dict(("parent:status%d" % i, i) for i in range(STORM)),
    checks=[label_at((i,), "slice", "region", i, i + 1) for i in range(STORM)] +
    [children_exits((), ["exit"] + ["exit:%d" % i for i in range(1, STORM)]),
     alone_at_exit()], policy=True)

# A chain of 6 generations below the root: level k writes page k-1 of the
# root's 6-page region, mapped by every ancestor (alive, waiting): 1
# `wp_copy`; it exits with its child's status + 1 (level 6: 0), so the
# root, which writes the 6 pages once all are gone (6 `wp_reuse`), exits 6.
DEPTH = 6
torture("proc/depth", "torture_proc", ["depth", str(DEPTH)], [
    Expect("region", "write", pages=DEPTH, proc="parent", anon=DEPTH),
] + [Expect("level%d" % k, "slice", proc="level%d" % k, wp_copy=1)
     for k in range(1, DEPTH + 1)] + [
    Expect("region", "after-children", proc="parent", wp_reuse=DEPTH),
], procs=dict([("parent", at())] + [("level%d" % k, at(*(0,) * k))
                                    for k in range(1, DEPTH + 1)]),
    tree="".join("exit:%d(" % (DEPTH - k) for k in range(DEPTH)) + "exit" + ")" * DEPTH,
    exit=("exit", DEPTH),
    checks=[children_exits((0,) * k, ["exit" if DEPTH - k - 1 == 0
                                      else "exit:%d" % (DEPTH - k - 1)])
            for k in range(DEPTH)] + [alone_at_exit()], policy=True)

# An orphan: the root (a child subreaper) writes 10 pages; its child exits
# at once after forking a grandchild, which the kernel reparents to the
# root.  Its file still names the middle process as its parent (run.ppid
# is read at its start), so the tree keeps it under the middle one.  It
# writes pages 0..4, which the root maps: 5 `wp_copy`, exits 3; the root
# reaps both (exit 0, exit 3: the orphan's status comes to the subreaper)
# and finds its 10 pages its own: 10 `wp_reuse`.
torture("proc/orphan", "torture_proc", ["orphan"], [
    Expect("region", "write", pages=10, proc="parent", anon=10),
    Expect("region", "orphan-write", proc="orphan", wp_copy=5),
    Expect("region", "after-children", proc="parent", wp_reuse=10),
], procs={"parent": at(), "middle": at(0), "orphan": at(0, 0)},
    tree="exit(exit(exit:3))",
    facts={"parent:status-middle": 0, "parent:status-orphan": 3, "orphan:reparented": 1},
    checks=[info_is("reparented", 1), children_exits((), ["exit", "exit:3"]),
            alone_at_exit()], policy=True)

# exec, three times over: each image writes 4 fresh pages (4 `anon`) and
# execs the next (the second first tries a missing file: ENOENT, nothing
# changes); the last exits 5.  Followed (--trace-children=yes): four
# files of one pid, .exec1 .exec2 .exec3 and the last, each with its own
# label only; not followed: only the first image's .exec1, and the run
# still ends with 5.
CHAIN = {"n%d" % n: at(image=3 - n) for n in range(4)}
torture("proc/exec-chain", "torture_proc", ["exec-chain", "3"],
        [Expect("region", "image", pages=4, proc=role, anon=4) for role in CHAIN],
        procs=CHAIN, tree="exec>exec>exec>exit:5", exit=("exit", 5),
        vm_args=["--trace-children=yes"], native=True,
        checks=[image_names((), [".exec1", ".exec2", ".exec3", ""])] +
        [labels_are((), i, ["region"]) for i in range(4)], policy=True)
torture("proc/exec-chain untraced", "torture_proc", ["exec-chain", "3"],
        [Expect("region", "image", pages=4, proc="n3", anon=4)],
        procs={"n3": at(image=0)}, tree="exec", exit=("exec", 5),
        checks=[image_names((), [".exec1"])])

# A failed execve changes nothing: pages 0..3 of an 8-page region written
# before (4 `anon`), the call fails (ENOENT 2; a file without execute
# permission EACCES 13, a directory EACCES 13; neither ELF nor #!: ENOEXEC
# 8, as for an ELF magic in a file shorter than an ELF header and for "#!"
# with blanks only, which Valgrind refuses before the kernel sees them),
# then pages 0..7 written: 0..3 are still mapped writable (0), 4..7 first
# writes (4 `anon`).  One file, status exit.
for kind, err in (("enoent", 2), ("eacces", 13), ("dir", 13), ("enoexec", 8),
                  ("short-elf", 8), ("blank-shebang", 8)):
    torture("proc/exec-fail %s" % kind, "torture_proc", ["exec-fail", kind], [
        Expect("region", "before", pages=4, proc="parent", anon=4),
        Expect("region", "after", pages=4, proc="parent", anon=4),
    ], procs={"parent": at()}, tree="exit", checks=[info_is("errno", err)])

# (/bin/sh, dash, when followed runs a few instructions more or fewer from
# one period to another, as in fork/shell: the golden sums of these two
# changed between two runs three minutes apart, nothing else changed)
SHELL = "/bin/sh (dash), followed, runs a few instructions more or fewer from one period to another"

# execvp("sh") along PATH /nonexistent (ENOENT), DIR/eacces (a sh without
# execute permission: EACCES, remembered), DIR/enoexec (an executable sh
# script without #!: ENOEXEC, on which glibc runs it with /bin/sh): one
# successful exec.  The script removes DIR and exits 7.  Followed, /bin/sh
# is an image of its own, which forks (dash) a child that execs /bin/rm:
# exec>exit:7 with one child exec>exit; not followed, only the first
# image's .exec1.
torture("proc/execvp-path", "torture_proc", ["execvp-path"], [
    Expect("region", "write", pages=4, proc="parent", anon=4),
], procs={"parent": at(image=0)}, tree="exec>exit:7(exec>exit)", exit=("exit", 7),
    vm_args=["--trace-children=yes"], native=True, varying_time=SHELL,
    checks=[image_names((), [".exec1", ""]), command_like((0,), 1, ["/bin/rm", "-r", "*/torture-path"])])
torture("proc/execvp-path untraced", "torture_proc", ["execvp-path"], [
    Expect("region", "write", pages=4, proc="parent", anon=4),
], procs={"parent": at(image=0)}, tree="exec", exit=("exec", 7))

# posix_spawnp("sh") along /nonexistent, DIR/eacces, /bin: the child
# (clone(CLONE_VM|CLONE_VFORK), a process of its own under Valgrind)
# fails twice and execs /bin/sh -c 'exit 3' once: its .exec1 and, followed,
# sh's file (exit 3); the parent reaps it: exit 3.
torture("proc/spawnp-path", "torture_proc", ["spawnp-path"], [
    Expect("region", "write", pages=4, proc="parent", anon=4),
], procs={"parent": at()}, tree="exit(exec>exit:3)",
    vm_args=["--trace-children=yes"], native=True, facts={"parent:status": 3},
    varying_time=SHELL,
    checks=[children_exits((), ["exit:3"]), image_names((0,), [".exec1", ""]),
            command_like((0,), 1, ["*/sh", "-c", "exit 3"])])
torture("proc/spawnp-path untraced", "torture_proc", ["spawnp-path"], [
    Expect("region", "write", pages=4, proc="parent", anon=4),
], procs={"parent": at()}, tree="exit(exec)", facts={"parent:status": 3},
    checks=[children_exits((), ["exit:3"])])

# env PATH=/nonexistent-a:/nonexistent-b:/usr/bin:/bin true: env's execvp
# misses twice and execs /usr/bin/true once: two files, env's .exec1 and
# true's (issue 10: it wrote one per PATH entry tried).
ENV = ["PATH=/nonexistent-a:/nonexistent-b:/usr/bin:/bin", "true"]
torture("proc/env-path", "/usr/bin/env", ENV, [], procs={"env": at(image=0)},
        tree="exec>exit", vm_args=["--trace-children=yes"], native=True,
        checks=[command_is((), 0, ["/usr/bin/env"] + ENV),
                command_is((), 1, ["/usr/bin/true"])])

# A vfork child whose exec fails calls _exit(127): it borrowed the
# parent's memory and wrote nothing, so the parent's 4 pages, written
# before (4 `anon`), are still its own and writable (0).
torture("proc/vfork-fail", "torture_proc", ["vfork-fail"], [
    Expect("region", "write", pages=4, proc="parent", anon=4),
    Expect("region", "after-child", proc="parent"),
    Expect("region", "write", proc="child"),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit:127)",
    native_phases=["parent:write", "parent:after-child"], facts={"parent:status": 127},
    checks=[children_exits((), ["exit:127"])])

# A forked child whose exec fails is still itself (issue 10: the failed
# exec was taken as one, releasing its copy-on-write frames).  The parent's
# 100 written pages (100 `anon`) are shared after fork; the child's execve
# fails with ENOENT (2) and changes nothing; its 100 writes find each page
# mapped by its living parent too: do_wp_page copies, 100 `wp_copy`.  The
# parent, after reaping it, is the pages' only user: 100 `wp_reuse`.
# getrusage agrees phase by phase.
torture("proc/fork-exec-fail", "torture_proc", ["fork-exec-fail"], [
    Expect("region", "write", pages=100, proc="parent", anon=100),
    Expect("region", "child-write", proc="child", wp_copy=100),
    Expect("region", "after-child", proc="parent", wp_reuse=100),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    native_phases=["parent:write", "child:child-write", "parent:after-child"],
    facts={"child:errno": 2, "parent:status": 0},
    checks=[children_exits((), ["exit"])], policy=True)

# A signal from another process: the child, waiting in pause(), dies of
# the parent's SIGTERM.  Valgrind tells the tool nothing of its origin: the
# child's file says signal null; the parent's wait4 saw signal 15.  With
# SIGKILL the child leaves no file at all (Valgrind gets no chance, and
# its vgdb FIFOs stay); the parent's children section has signal 9.
KILL_TIME = "the parent polls /proc/PID/syscall until the child waits in pause()"
torture("proc/sigterm-child", "torture_proc", ["sigterm-child"], [],
        procs={"parent": at()}, tree="exit(signal:None)", facts={"parent:status": 143},
        checks=[children_exits((), ["signal:15"])], varying_time=KILL_TIME)
torture("proc/sigkill-child", "torture_proc", ["sigkill-child"], [],
        procs={"parent": at()}, tree="exit", facts={"parent:status": 137},
        checks=[children_exits((), ["signal:9"])], varying_time=KILL_TIME,
        killed="the parent kills its child with SIGKILL")

# The tree's memory while its processes block (issue 10: a process that
# waits takes no sample while its memory changes elsewhere, so a 32 MiB
# parent whose child copies half while it copies a quarter showed 44.9 MiB
# at peak where 56 MiB were resident).  A 16384-page (64 MiB) region
# written by the parent (16384 `anon`); fork; the child writes the first
# half (8192 `wp_copy`) and waits in a read; the parent then writes the
# third quarter (4096 `wp_copy`: the child still maps those pages) and
# waits.  Then 16384 original frames + 8192 child copies + 4096 parent
# copies = 28672 pages are resident for the region; each process's region
# Pss is 8192 + 4096 + 4096 / 2 = 14336 pages (smaps, natively: FACTs).
# The tree's memory (tree_memory_peaks: the sum of the processes' PSS in
# their latest samples, as vmtrace-report adds them, and the sum of their
# RSS minus the latest sample's dup) must reach 28672 pages and stay below
# 28672 + 1024 (the two processes' other memory, libraries and stacks, is
# about 400 pages; counting a copy-on-write page twice would give 32768
# for the region alone).
def tree_memory_peaks(lo, hi):
    def check(tree, r, extra):
        ev = []
        for path, out, err in r.outputs:
            tl = out.get("timeline") or {}
            n = len(tl.get("t") or [])
            for i in range(n):
                rss = sum(col[i] for col in tl["rss"].values())
                ev.append((tl["wall_ms"][i], 0, path, tl["pss_x1000"][i], rss, tl["dup"][i]))
            ev.append((round(out["run"]["end_time"] * 1000), 1, path, 0, 0, None))
        ev.sort(key=lambda e: e[:2])
        pss, rss, dup, peaks = {}, {}, 0, [0, 0]
        for w, kind, path, p, r_, d in ev:
            pss[path], rss[path] = p, r_
            if d is not None:
                dup = d
            peaks[0] = max(peaks[0], sum(pss.values()) / 1000)
            peaks[1] = max(peaks[1], sum(rss.values()) - dup)
        errs = []
        for what, v in zip(("the sum of PSS", "the sum of RSS minus dup"), peaks):
            if not lo <= v < hi:
                errs.append("the tree's peak by %s: %s pages, expected %d <= peak < %d"
                            % (what, v, lo, hi))
        return errs
    return check


torture("proc/cow-peak", "torture_proc", ["cow-peak", "16384"], [
    Expect("region", "write", pages=16384, proc="parent", anon=16384),
    Expect("region", "child-write", proc="child", wp_copy=8192),
    Expect("region", "parent-write", proc="parent", wp_copy=4096),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    facts={"parent:region-pss": 14336, "child:region-pss": 14336},
    checks=[tree_memory_peaks(28672, 28672 + 1024), children_exits((), ["exit"])])

# Three children ending three ways: exit(3), abort() (6), a store to
# address 0 (11: one invalid access in its file).
torture("proc/wait-statuses", "torture_proc", ["wait-statuses"], [],
        procs={"parent": at()}, tree="exit(exit:3, signal:6, signal:11)",
        facts={"parent:status0": 3, "parent:status1": 134, "parent:status2": 139},
        checks=[children_exits((), ["exit:3", "signal:6", "signal:11"]),
                invalid_in((2,), 1), invalid_in((1,), 0)], policy=True)

# fork while two other threads live: they wrote 8 pages each (16 `anon`);
# the child (one thread: the forking one) writes the 16, which the parent
# maps: 16 `wp_copy`; after its exit the parent's 16 are its own: 16
# `wp_reuse`.
torture("proc/fork-threads", "torture_proc", ["fork-threads"], [
    Expect("region", "threads", pages=16, proc="parent", anon=16),
    Expect("region", "child-write", proc="child", wp_copy=16),
    Expect("region", "after-child", proc="parent", wp_reuse=16),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    facts={"parent:status": 0}, varying_time=THREADS,
    checks=[children_exits((), ["exit"]), alone_at_exit()], policy=True)

# Threads in a forked child: three threads write 8 fresh pages each (two
# measured: 16 `anon`; the third's 8 in a phase of their own, as it then
# ends the child with exit(6) while the main thread waits).  The parent's
# 10 pages, written before the fork (10 `anon`), are its own again once
# the child is gone: 10 `wp_reuse` (pagemap: 10 exclusive).
torture("proc/threads-in-child", "torture_proc", ["threads-in-child"], [
    Expect("mine", "write", pages=10, proc="parent", anon=10),
    Expect("region", "threads", pages=16, proc="child", anon=16),
    Expect("region", "exit-thread", pages=8, proc="child", anon=8),
    Expect("mine", "after-child", proc="parent", wp_reuse=10),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit:6)",
    native_phases=["parent:write", "child:threads", "parent:after-child"],
    facts={"parent:status": 6, "parent:exclusive-after-child": 10},
    varying_time=THREADS, checks=[children_exits((), ["exit:6"]), alone_at_exit()])


# ===================================================================
# torture_mem: odd address spaces
#
# One process (role "parent") unless said otherwise; its file is the
# tree's root.  First writes of private anonymous pages are `anon`
# (do_anonymous_page); a read of one never written maps the zero page
# (`zero`), and a write there then copies it (`wp_copy`).

def on_root(check):
    """A check of a single output file (f(out, r, extra)) made on the
    tree's root image."""
    return lambda tree, r, extra: check(tree.image(()).out, r, extra)


def page_tables_vs_control(**delta):
    """totals.page_tables at exit exceeds the control run's (extra[0]) by
    exactly these numbers of tables per level."""
    def check(tree, r, extra):
        mine = tree.image(()).out.get("totals", {}).get("page_tables") or {}
        try:
            base = extra[0].tree().image(()).out.get("totals", {}).get("page_tables") or {}
        except OutputError as e:
            return ["control run %s: %s" % (extra[0].spec.describe(), e)]
        errs = []
        for level in ("pgd", "pud", "pmd", "pte"):
            want = delta.get(level, 0)
            if not isinstance(mine.get(level), int) or not isinstance(base.get(level), int) \
                    or mine[level] - base[level] != want:
                errs.append("page_tables.%s: %s, the control run's %s: expected it %+d"
                            % (level, mine.get(level), base.get(level), want))
        return errs
    return check


def heap_pages(n):
    """The [heap] mapping reached exactly n pages (its largest extent)."""
    def check(tree, r, extra):
        heaps = [m for m in tree.image(()).out.get("mappings") or [] if m.get("kind") == "heap"]
        if len(heaps) != 1:
            return ["expected one mapping of kind heap, got %d" % len(heaps)]
        m = heaps[0]
        if (m["end"] - m["start"]) != n * PAGE:
            return ["[heap] reached %d pages, expected %d"
                    % ((m["end"] - m["start"]) // PAGE, n)]
        return []
    return check


def mem(name, args, expects, tree="exit", **kw):
    """A torture_mem case; the Expects' process is "parent" unless they
    name one."""
    torture("mem/" + name, "torture_mem", args, expects,
            procs=kw.pop("procs", {"parent": at()}), tree=tree, **kw)


def E(label, phase, proc="parent", **kw):
    return Expect(label, phase, proc=proc, **kw)


# mremap grow in place: pages 0..3 written (4 `anon`); the 4 pages above
# were unmapped, so the mapping grows where it is (natively too: FACT
# inplace); writing 0..7 faults only on the new 4..7 (4 `anon`): one VMA
# of 8 pages.
mem("mremap-grow", ["mremap-grow"], [
    E("region", "write", pages=4, anon=4),
    E("region", "after", pages=4, anon=4),
], facts={"parent:inplace": 1},
    checks=[on_root(vma_layout("region", [(0, 8, "rw-p")]))])
# mremap with MREMAP_MAYMOVE between PROT_NONE neighbours: moved
# (move_page_tables: the 4 present PTEs go with it, FACT moved), grown to
# 8: writing the 8 at the new place faults on the new 4 only (4 `anon`).
# The mapping keeps its figures: 8 `anon`, 8 resident, one 8-page VMA.
mem("mremap-move", ["mremap-move"], [
    E("region", "write", pages=4, anon=4),
    E("moved", "after", anon=4),
], facts={"parent:moved": 1},
    checks=[on_root(vma_layout("moved", [(0, 8, "rw-p")])),
            on_root(mapping_figures("moved", resident=8, anon=8))], policy=True)
# mremap shrinking 8 pages to 2: the 6 above are unmapped; the 2 left are
# still present (0 faults when written); 2 resident (natively mincore: 2).
mem("mremap-shrink", ["mremap-shrink"], [
    E("region", "write", pages=8, anon=8),
    E("region", "after"),
], facts={"parent:resident": 2},
    checks=[on_root(vma_layout("region", [(0, 2, "rw-p")])),
            on_root(mapping_figures("region", resident=2, anon=8))])
# mremap MREMAP_FIXED of a written 4-page region onto pages 1..4 of a
# written 6-page target: the target's pages there are unmapped, the
# region's move in.  Writing the 6 target pages faults nothing (pages 0
# and 5 the target's own, 1..4 the moved ones); the target's mapping
# keeps 2 resident pages, the region's has its 4 at the new place.
mem("mremap-fixed", ["mremap-fixed"], [
    E("region", "write", pages=4, anon=4),
    E("target", "write", pages=6, anon=6),
    E("target0", "after"),
    E("moved", "after"),
], checks=[on_root(mapping_figures("moved", resident=4, anon=4)),
           on_root(mapping_figures("target0", resident=2, anon=6))])
# MAP_FIXED over a written 10-page region: anonymous memory over pages
# 3..6 (their pages gone), a 2-page file (private) over 7..8.  Reading
# 7..8: one file read fault maps both (fault-around, within one aligned
# window and the VMA): 1 `file_read`.  Writing all 10: 3..6 are new
# anonymous pages (4 `anon`), 7..8 file pages mapped read-only, copied
# (2 `wp_copy`), 0..2 and 9 still the region's (0).
mem("fixed-over", ["fixed-over"], [
    E("region", "write", pages=10, anon=10),
    E("region", "read-file", pages=2, file_read=1),
    E("region", "rewrite", pages=4, anon=4, wp_copy=2),
], policy=True)

# MAP_GROWSDOWN with 16 MiB free below: its page written (1 `anon`), then
# the page just below (the kernel grows the VMA: expand_downwards, 1
# `anon`) and the one 3 pages below (grows again, 1 `anon`): a 4-page VMA
# (natively /proc/self/maps: 4 pages), no invalid access.
mem("growsdown", ["growsdown"], [
    E("stack", "grow", pages=3, anon=3),
], facts={"parent:vma-pages": 4},
    checks=[on_root(vma_layout("stack", [(0, 4, "rw-p")])), on_root(no_invalid)])

# A 16 GiB reservation, one writable page at the start of each of 8 whole
# GiB within one 512 GiB region: the first written (1 `anon`), then 7 more
# (7 `anon`), each in a GiB of its own: one new PTE table (2 MiB) and one
# new PMD table (1 GiB) each.  Natively VmPTE grows by 7 * (4 + 4) = 56
# KiB in "rest"; in the file, page tables at exit exceed those of the same
# run with only the first page (the control run) by 7 PTE and 7 PMD tables.
mem("sparse", ["sparse", "8"], [
    E("first", "first", pages=1, anon=1),
    E("rest", "rest", pages=7, anon=7),
], facts={"parent:pt-kib-rest": 56},
    checks=[page_tables_vs_control(pmd=7, pte=7)],
    extra_runs=lambda fp: [RunSpec("vmtrace", "torture_mem", ["sparse", "1"],
                                   fast_path=fp)])

# MADV_DONTNEED on pages 2..5 of 8 written ones: reading the 8 then finds
# 2..5 untouched anonymous memory (4 `zero`), writing them copies the zero
# page (4 `wp_copy`); 0, 1, 6, 7 cost nothing.
mem("madv-dontneed", ["madv-dontneed"], [
    E("region", "write", pages=8, anon=8),
    E("region", "read", zero=4),
    E("region", "rewrite", wp_copy=4),
])
# MADV_FREE without memory pressure: the kernel keeps the pages (mapped
# and writable, only marked clean): writing and reading them costs 0.
mem("madv-free", ["madv-free"], [
    E("region", "write", pages=8, anon=8),
    E("region", "rewrite"),
    E("region", "read"),
])

# MADV_WIPEONFORK on pages 2..5, then MADV_KEEPONFORK on 5: the child's
# pages 2..4 are empty (dup_mmap copies nothing of a VM_WIPEONFORK VMA):
# its reads map the zero page there (3 `zero`; they read 0, so the sum of
# the first bytes is 1+1+5+7+7+9+9 = 39, written as i|1), the others are
# shared copy-on-write (read: 0).  Its writes copy all 10 (3 zero pages,
# 7 pages the parent maps: 10 `wp_copy`).  After its exit the parent's 7
# write-protected pages are its own (7 `wp_reuse`); 2..4 were never
# write-protected (0).
mem("wipeonfork", ["wipeonfork"], [
    E("region", "write", pages=10, anon=10),
    E("region", "child-read", proc="child", zero=3),
    E("region", "child-write", proc="child", wp_copy=10),
    E("region", "after-child", wp_reuse=7),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    facts={"child:sum": 39, "parent:status": 0},
    checks=[info_is("sum", 39), children_exits((), ["exit"])], policy=True)
# MADV_DONTFORK on pages 2..5, then MADV_DOFORK on 5: the child lacks
# pages 2..4.  It writes 0, 1 and 5 (shared copy-on-write: 3 `wp_copy`),
# then reads page 2: no VMA, SIGSEGV (1 invalid access, signal 11).  The
# parent's 7 write-protected pages are then its own (7 `wp_reuse`).
mem("dontfork", ["dontfork"], [
    E("region", "write", pages=10, anon=10),
    E("region", "child-write", proc="child", wp_copy=3),
    E("region", "crash", proc="child", invalid=1),
    E("region", "after-child", wp_reuse=7),
], procs={"parent": at(), "child": at(0)}, tree="exit(signal:11)",
    native_phases=["parent:write", "child:child-write", "parent:after-child"],
    facts={"parent:status": 139}, checks=[children_exits((), ["signal:11"])])

# mlock populates (populate_vma_page_range writes a private writable
# mapping: 8 `anon`), so the writes then cost 0 (they are the program's
# first references: 8 pages touched).  fork: locks are not
# inherited, the pages are shared copy-on-write: the child's writes copy
# them (8 `wp_copy`), the parent's after its exit reuse them (8
# `wp_reuse`).
mem("mlock", ["mlock"], [
    E("locked", "lock", anon=8),
    E("locked", "write", pages=8),
    E("locked", "child-write", proc="child", wp_copy=8),
    E("locked", "after-child", wp_reuse=8),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)", policy=True)

# SysV shared memory (removed at once, alive while attached): written, 8
# shared faults (`file_shared`); the child's page table of it is empty
# (shared VMAs are not copied): its reads fault once per page (shm_vm_ops
# has no map_pages: no fault-around), 8 `file_read`, and its writes then
# cost 0 (no dirty tracking); the parent's reads cost 0.
mem("sysv", ["sysv"], [
    E("shm", "write", pages=8, file_shared=8),
    E("shm", "child-read", proc="child", file_read=8),
    E("shm", "child-write", proc="child"),
    E("shm", "after-child"),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)")
# A memfd (shmem) mapped twice, 64 KiB-aligned: writing "a" is 16
# `file_shared` (write faults do not fault around); reading "b", another
# mapping of the same pages, faults once for its 16-page window
# (filemap_map_pages finds them all cached): 1 `file_read`.  The child
# (shared VMAs not copied): reads "a", 1 `file_read`; writes "b", 16
# `file_shared`.
mem("memfd", ["memfd"], [
    E("a", "write-a", pages=16, file_shared=16),
    E("b", "read-b", pages=16, file_read=1),
    E("a", "child-read-a", proc="child", file_read=1),
    E("b", "child-write-b", proc="child", file_shared=16),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)", policy=True)

# A 4-page file mapped 64 KiB-aligned, read: 1 `file_read` (fault-around
# maps all 4).  ftruncate to 1 page unmaps pages 1..3 (the model shrinks
# the file); page 0 still mapped (0); page 2 is beyond the end: SIGBUS, 1
# invalid access (beyond_eof), the process dies of signal 7 or, with a
# handler that jumps back, goes on and exits 0.
mem("sigbus-shrink", ["sigbus-shrink"], [
    E("file", "read", pages=4, file_read=1),
    E("file", "read0"),
    E("file", "crash", invalid=1),
], tree="signal:7", exit=("signal", 7), native_phases=["parent:read", "parent:read0"],
    checks=[on_root(invalid_access("beyond_eof", "read", exact_total=1))], policy=True)
mem("sigbus-recover", ["sigbus-recover"], [
    E("file", "read", pages=4, file_read=1),
    E("file", "read0"),
    E("file", "crash", invalid=1),
], facts={"parent:handled": 1},
    checks=[info_is("handled", 1),
            on_root(invalid_access("beyond_eof", "read", exact_total=1))])

# Read-modify-write instructions on untouched anonymous pages, one a page:
# the CPU reports one fault, a write (the access is a locked or plain
# read-and-write of the same bytes), and Linux takes one: do_anonymous_page
# for a write, 1 `anon` a page, never a zero-page read followed by a copy
# (which would be 1 `zero` + 1 `wp_copy`, 2 faults).  addl $1,(mem) on 64
# pages: 64 `anon`, as getrusage counts natively (minflt 64); lock xadd on
# 64: 64; lock cmpxchg on 16: 16; incb on 16: 16.
mem("rmw", ["rmw"], [
    E("add", "add", pages=64, anon=64),
    E("xadd", "xadd", pages=64, anon=64),
    E("cmpxchg", "cmpxchg", pages=16, anon=16),
    E("inc", "inc", pages=16, anon=16),
], policy=True)

# Names the client chooses: a file named with bytes that are not UTF-8
# (ff fe), terminal escapes (ESC [31m ... ESC [0m), a newline and a tab,
# mapped private read-only, 64 KiB-aligned, 4 pages read: one fault,
# fault-around maps the other 3 (1 `file_read`, 4 pages touched); its
# label "lbl-" c3 28 ESC "]0;t" BEL (c3 begins a 2-byte sequence that 28
# does not continue).  The output file is valid UTF-8 JSON (the harness
# decodes it strictly); each byte that is not part of valid UTF-8 is the
# code point of its value (ff -> U+00FF), so the names read back as below.
# The log shows no control character and no byte that is not UTF-8: each
# as \xNN, the whole name (a label longer than its 20 columns is not cut
# inside an escape).  The mapping is named as at its mmap, after the
# unlink; its file's path is the name the file had when the process first
# met it: at its first write since 2026-12-07 (the warm page cache follows
# the writes of a file the run creates), " (deleted)" before.
ODD_FILE = "odd-\u00ff\u00fe-\x1b[31mred\x1b[0m-\n-\t.dat (deleted)"
ODD_PATH = ODD_FILE[:-len(" (deleted)")]
ODD_LABEL = "lbl-\u00c3(\x1b]0;t\x07"


def odd_names_out(out, r, extra):
    names = [m.get("name") for m in out.get("mappings") or []]
    paths = [(m.get("file") or {}).get("path") for m in out.get("mappings") or []]
    errs = []
    if not any(isinstance(n, str) and n.endswith("/" + ODD_FILE) for n in names):
        errs.append("no mapping named .../%r: %s" % (ODD_FILE, short(names)))
    if not any(isinstance(p, str) and p.endswith("/" + ODD_PATH) for p in paths):
        errs.append("no mapping's file.path is .../%r" % ODD_PATH)
    return errs


def odd_names_log(out, r, extra):
    # vmtrace's lines (==PID==), not Valgrind's own --PID-- lines: with -v
    # its debug-info reader warns about the file by its raw name
    log = "\n".join(l for l in r.stderr.split("\n") if not l.startswith("--"))
    errs = []
    for ch, what in (("\x1b", "ESC"), ("\x07", "BEL"), ("\t", "a tab"), ("\ufffd",
                     "a byte that is not UTF-8")):
        if ch in log:
            errs.append("the log holds %s" % what)
    for want in ("/odd-\\xff\\xfe-\\x1b[31mred\\x1b[0m-\\x0a-\\x09.dat (deleted)",
                 "  lbl-\\xc3(\\x1b]0;t\\x07 touched 4,"):
        if want not in log:
            errs.append("the log does not show %r" % want)
    return errs


mem("odd-names", ["odd-names"], [
    E(ODD_LABEL, "read", pages=4, file_read=1),
], vm_args=["-v"], native=True,    # -v: the summary lists every mapping
    checks=[on_root(odd_names_out), on_root(odd_names_log)])

# VMTRACE_LABEL of a range whose end wraps around the address space (a
# start 1 page below 2^64 and 2 pages long; a start of 1 page and a length
# of 2^64 - 1) and VMTRACE_UNLABEL of the first: each ignored with a
# warning naming the request, no label made; the run goes on (4 pages
# written: 4 `anon`), and the only label is "region".
def labels_only_region(out, r, extra):
    names = [l.get("name") for l in out.get("labels") or []]
    return [] if names == ["region"] else ["labels %s, expected ['region']" % names]


mem("label-wrap", ["label-wrap"], [
    E("region", "write", pages=4, anon=4),
], checks=[log_has(r"VMTRACE_LABEL: the range 0xfffffffffffff000 \+ 8192 wraps around "
                   r"the address space; ignored"),
           log_has(r"VMTRACE_LABEL: the range 0x1000 \+ 18446744073709551615 wraps"),
           log_has(r"VMTRACE_UNLABEL: the range 0xfffffffffffff000 \+ 8192 wraps"),
           on_root(labels_only_region)])

# brk 16 pages up from a page boundary: 16 first writes (16 `anon`); 8
# down (do_brk_munmap unmaps them) and 8 up again: the 8 are new, 8
# `anon` when written again.
mem("brk", ["brk"], [
    E("heap", "write", pages=16, anon=16),
    E("heap", "rewrite", anon=8),
], checks=[on_root(mapping_kind("heap", "heap", "[heap]")), log_lacks(r"warning: brk")],
    policy=True)
# Valgrind's brk limit: the heap cannot grow beyond 8 MiB - 4 KiB (2047
# pages, Valgrind's brk segment; natively it grows on: FACT); the
# [heap] mapping's largest extent is exactly that (docs/manual.md).  The
# log says so, once (until 2026-12-06 nothing did: gcc's cc1 ran on with
# malloc's mmap fallback, 2.3 % fewer faults than natively, unexplained).
mem("brk-limit", ["brk-limit"], [], facts={"parent:grew-past-8MiB": 1},
    checks=[info_is("grew-past-8MiB", 0), heap_pages(2047),
            log_has(r"warning: brk could not grow the heap past 8 MiB: Valgrind gives it a "
                    r"fixed segment, where Linux grows it on; malloc goes on with mmap, so the "
                    r"\[heap\]'s and anonymous mappings' figures are not the kernel's\n"
                    r"(?![\s\S]*warning: brk)")])

# RLIMIT_AS at the process's size + 64 MiB (under Valgrind its size is
# Valgrind's too): a 128 MiB mapping fails, a 16 MiB one succeeds, its
# first 16 pages written: 16 `anon`.  The tool's own memory fits in what
# is left.
mem("rlimit-as", ["rlimit-as"], [
    E("small", "write", pages=16, anon=16),
], checks=[info_is("as-big", 0), info_is("as-small", 1)])


# ===================================================================
# torture_fd: descriptors and limits
#
# A 10-page region written by the parent (10 `anon`); a first child forks
# and exits (the frame log exists from then on); the game; a second child
# writes the 10 pages, which the parent maps (10 `wp_copy`); after its exit
# the parent's are its own (10 `wp_reuse`).  The frame log sits where the
# client cannot reach it: the copies are copies, and the client's own file
# holds what it wrote only.

def fd_case(name, expects_after=True, **kw):
    exs = [Expect("region", "write", pages=10, proc="parent", anon=10)]
    if expects_after:
        exs += [Expect("region", "child-write", proc="child", wp_copy=10),
                Expect("region", "after-child", proc="parent", wp_reuse=10)]
    checks = kw.pop("checks", [])
    torture("fd/" + name, "torture_fd", [name], exs,
            procs={"parent": at(), "first": at(0), "child": at(1)},
            tree="exit(2*exit)",
            checks=[children_exits((), ["exit", "exit"]), alone_at_exit()] + checks, **kw)


# Descriptors 3..1023 closed, then a file opened: it gets 3; it must hold
# its 6 bytes only (the client exits 1 otherwise).
fd_case("close-high", checks=[info_is("fd", 3), info_is("intact", 1)], policy=True)
# Every descriptor closed, the standard ones too (the steps after that
# print no ORACLE line); the file gets descriptor 0.
fd_case("close-all", native_phases=["parent:write"])
# A pipe dup2'd over 3..9, /dev/null over 0, close_range(3, ~0U).
fd_case("dup2-low", checks=[info_is("close-range", 1)])
# RLIMIT_NOFILE's soft limit lowered to 8.
fd_case("nofile")

# RLIMIT_FSIZE lowered to 1000 bytes by the client (SIGXFSZ ignored): its
# own 2000-byte write writes 1000, the next fails with EFBIG.  With only
# the soft limit lowered the output file is whole (the tool raises it for
# its own write); with the hard one too it cannot be: the log says the
# write failed (EFBIG: "file too large", the reason said since 2026-12-06)
# and no file (not even a partial one) is left.
# (The log is a file too, which the limit binds: whole with the soft limit
# lowered; with the hard one, -q keeps it under 1000 bytes, so that the
# line saying why there is no output file is there.)
torture("fd/fsize-soft", "torture_fd", ["fsize-soft"], [],
        checks=[info_is("wrote", 1000), info_is("efbig", 1),
                # the summary whole, from its first section to its last
                # line (the report command), past 1000 bytes
                log_has(r"Mappings[^\n]*most faults first(.|\n)*mappings with activity, \d+ "
                        r"without(.|\n)*HTML report: +vmtrace-report ")])
torture("fd/fsize-hard", "torture_fd", ["fsize-hard"], [], vm_args=["-q"], native=True,
        no_output=r"error: writing vmtrace output file '[^']*' failed \(1000 of \d+ bytes "
                  r"written: file too large\): no file left")


# ===================================================================
# torture_unseen: what the kernel does that vmtrace does not see
#
# The process must say so, once, in the log and in run.unmodelled, rather
# than give figures that are not the kernel's without a word (before
# 2026-12-06 it gave them silently).

def unmodelled_is(value):
    def check(tree, r, extra):
        got = tree.image(()).run.get("unmodelled")
        return [] if got == value else ["run.unmodelled %s, expected %s" % (got, value)]
    return check


# One IORING_OP_READ of a cached 4-page file into pages 0..3 of an
# untouched 8-page buffer, one io_uring_enter that submits and waits; then
# the 8 read and written.  Natively the kernel's copy faults the 4 pages in
# (4 `anon` inside the call), the reads map the zero page on 4..7 (4
# `zero`), the writes copy it (4 `wp_copy`): the ORACLE lines, checked.
# Valgrind 3.19 announces none of what io_uring requests read or write, so
# vmtrace cannot count it (it counted 0, 8 `zero`, 8 `wp_copy`; and a
# fault on each page of rings mapped with mmap, where Linux takes none).
# The rings are in the program's memory (IORING_SETUP_NO_MMAP): io_uring's
# own mappings refuse every address hint, so under Valgrind they land where
# the kernel puts them, at random.
torture("unseen/io-uring", "torture_unseen", ["io-uring"], [], procs={"parent": at()},
        tree="exit",
        native_expects=[E(None, "enter", anon=4), E(None, "read", zero=4),
                        E(None, "write", wp_copy=4)],
        checks=[info_is("res", 4 * PAGE), unmodelled_is(["io_uring"]),
                log_has(r"warning: io_uring is not modelled: the kernel's reads and writes "
                        r"of the buffers its requests name are not seen, and rings mapped "
                        r"with mmap fault here, where Linux maps them whole: the figures of "
                        r"those pages are not the kernel's \(run.unmodelled\)")])

# A cached 16-page file mapped private read-only, 64 KiB-aligned, read: one
# fault maps the 16 (fault-around), 1 `file_read`.  MADV_PAGEOUT then
# reclaims them natively (mincore: 0 resident, FACT), and reading them again
# is a major fault (readahead reads the 16, the retried fault maps them
# around: majflt 1; a fault that comes while the I/O is in flight may map
# fewer, hence the slack).  The model keeps them (no reclaim without --ram):
# the reread is not the kernel's, and the process says so.
torture("unseen/pageout", "torture_unseen", ["pageout"],
        [E("file", "read", pages=16, file_read=1)], procs={"parent": at()}, tree="exit",
        native_expects=[E("file", "read", file_read=1), E("file", "reread", file_major=1)],
        native_slack=15, facts={"parent:resident-after": 0},
        checks=[unmodelled_is(["MADV_PAGEOUT"]),
                log_has(r"warning: MADV_PAGEOUT is not modelled: Linux reclaims the pages "
                        r"\(file pages, and with swap anonymous ones\), which the model keeps "
                        r"mapped: their next faults are not the kernel's \(run.unmodelled\)")])


# ===================================================================
# What Valgrind itself cannot run (docs/manual.md): vmtrace-only runs that
# pin what happens, so that a Valgrind that changes it is noticed.

# clone(CLONE_VM | SIGCHLD): natively a child sharing the memory, which
# returns 7; Valgrind ends the process at once with status 1, no file.
torture("valgrind/clone-vm", "torture_proc", ["clone-vm"], [], native=False,
        exit=("exit", 1), no_output=r"Unsupported clone\(\) flags")
# An exec of /proc/self/exe execs Valgrind's tool executable: status 1,
# the calling image's .exec1 only (natively the program runs again and
# exits 3).
torture("valgrind/exec-self", "torture_proc", ["exec-self"], [], native=False,
        procs={"parent": at(image=0)}, tree="exec", exit=("exec", 1),
        checks=[log_has(r"You cannot run '[^']*' directly")])
# 63 GiB can be reserved, 64 GiB cannot (natively both can: FACT); the
# log says so.
torture("valgrind/mmap-64gib", "torture_mem", ["mmap-64g"], [], procs={"parent": at()},
        tree="exit", facts={"parent:ok63": 1, "parent:ok64": 1},
        checks=[info_is("ok63", 1), info_is("ok64", 0),
                log_has(r"warning: mmap of 68,719,476,736 bytes failed \(EINVAL\): Valgrind "
                        r"cannot map 64 GiB or more at once")])
# A vfork child writes its parent's memory: pages 0..3 of an 8-page region
# the parent wrote (4 `anon`), 4..7 untouched, and a marker in page 5.
# Natively the memory is one: the child's 4 first writes fault (in its own
# min_flt), and the parent then finds the 8 pages present and writable (its
# writes: 0 faults, ORACLE) and the marker there (FACT seen=119).  Valgrind
# runs vfork as fork: the parent sees no marker (INFO seen=0: pinned,
# docs/manual.md, What Valgrind itself cannot run).  vmtrace's child
# borrows the parent's memory (its 8 writes: 4 `anon`, in the child's
# file), and the parent, waiting in vfork for the child's exit, takes the
# pages it faulted in: the parent's 8 writes then cost 0, as natively
# (until 2026-12-06 they faulted on 4..7 again: 4 `anon`).  Pages touched
# in "after": 4..7, the parent's first references to them.
torture("valgrind/vfork-write", "torture_unseen", ["vfork-write"], [
    E("region", "write", pages=4, anon=4),
    E("region", "child-write", proc="child", pages=8, anon=4),
    E("region", "after", pages=4),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    native_expects=[E("region", "write", anon=4), E("region", "after")],
    facts={"parent:seen": 119},
    checks=[info_is("seen", 0), children_exits((), ["exit"])])
