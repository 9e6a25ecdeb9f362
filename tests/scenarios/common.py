"""Checks common to every scenario: the output file's header and exit, the
vmtrace, native and fast-path yes==no verdicts, bad options, whole programs."""

import os
import re

from vmtest import (FAST_PATH_IGNORED, PAGE, TIME_KEYS, OutputError, check_consistency,
                    check_label_phases, describe_faults, fmt_path, json_diff, machine_thp,
                    normalise_sharing, normalise_tmp, position_name, short)
from .scenario import DEFAULT_FAULT_AROUND
from .proc_checks import sharing_bounds


# ===================================================================
# Checks common to the scenarios

def vm_option(vm_args, name, default):
    for a in vm_args:
        if a.startswith("--%s=" % name):
            return a.split("=", 1)[1]
    return default


def check_header(out, fast_path, vm_args):
    errs = []
    if out.get("format") != "vmtrace-out":
        errs.append("format: expected 'vmtrace-out', got %s" % short(out.get("format")))
    if out.get("version") != 1:
        errs.append("version: expected 1, got %s" % short(out.get("version")))
    if out.get("page_size") != PAGE:
        errs.append("page_size: expected 4096, got %s" % short(out.get("page_size")))
    opts = out.get("options")
    if not isinstance(opts, dict):
        return errs + ["options: expected an object, got %s" % short(opts)]
    want = {
        "fault_around_bytes": int(vm_option(vm_args, "fault-around", DEFAULT_FAULT_AROUND)),
        "zero_page": vm_option(vm_args, "zero-page", "yes") == "yes",
        "thp": vm_option(vm_args, "thp", machine_thp()[0]),
        "thp_zero_page": vm_option(vm_args, "thp-zero-page",
                                   "yes" if machine_thp()[1] else "no") == "yes",
        "collect_atstart": vm_option(vm_args, "collect-atstart", "yes") == "yes",
        "fault_stack_depth": int(vm_option(vm_args, "fault-stack-depth", "12")),
    }
    if fast_path:
        want["fast_path"] = fast_path == "yes"
    for k, v in want.items():
        if opts.get(k) != v:
            errs.append("options.%s: expected %s, got %s" % (k, short(v), short(opts.get(k))))
    return errs


def check_exit(out, exit):
    want = {"status": "exit", "code": exit[1]} if exit[0] == "exit" \
        else {"status": "exec"} if exit[0] == "exec" \
        else {"status": "signal", "signal": exit[1]}
    got = (out.get("run") or {}).get("exit")
    if got != want:
        return ["run.exit: expected %s, got %s" % (short(want), short(got))]
    return []


def expected_rc(exit):
    return -exit[1] if exit[0] == "signal" else exit[1]


def describe_exit(exit):
    return {"exit": "exit %d", "exec": "an exec of a program that exits %d",
            "signal": "death by signal %d"}[exit[0]] % exit[1]


def run_failed(r):
    """Errors when the run could not be made at all (with stderr)."""
    if r.error:
        errs = [r.error]
        if r.argv and r.returncode is not None:
            errs += r.stderr_tail()
        return errs
    return []


VGDB_FILES = re.compile(r"tmp/vgdb-pipe-")


def no_leftovers(r, killed=None):
    """The run left nothing but its output files (stray_files in
    tests/lib/vmtest.py): no frame log in TMPDIR (docs/manual.md: it never
    outlives the tree), no temporary output file, nothing in the working
    directory.  killed: why a process of the run dies of SIGKILL sent by
    another, or by itself to its whole group; Valgrind cannot clean up
    after such a process, whose vgdb FIFOs (TMPDIR/vgdb-pipe-*, made by
    Valgrind at every start) stay behind: those are tolerated then."""
    left = [f for f in r.leftovers if not (killed and VGDB_FILES.match(f))]
    if left:
        return ["the run left %s in its scratch directory; nothing but the output files "
                "may remain" % ", ".join(left)]
    return []


def vmtrace_check(sc, fast_path):
    def check(r, *extra):
        errs = run_failed(r)
        if errs:
            return errs
        if "failed to start tool" in r.stderr:
            return ["vmtrace not built: %s cannot start the tool" % r.spec.describe()] + \
                r.stderr_tail()
        if r.returncode != expected_rc(sc.exit):
            errs.append("valgrind: %s, expected %s" % (r.status(), describe_exit(sc.exit)))
            errs += r.stderr_tail()
        errs += no_leftovers(r, sc.killed)
        if sc.no_output:
            return errs + no_output_check(sc, r)
        if sc.procs is not None:
            return errs + vmtrace_tree_check(sc, fast_path, r, extra)
        try:
            out = r.the_output()
        except OutputError as e:
            return errs + [str(e)] + ([] if errs else r.stderr_tail())
        errs += check_header(out, fast_path, sc.vm_args)
        errs += check_exit(out, sc.exit)
        errs += check_label_phases(out, sc.expects, sc.label_totals)
        for c in sc.checks:
            try:
                errs += c(out, r, extra)
            except OutputError as e:
                errs.append(str(e))
        return errs
    return check


def no_output_check(sc, r):
    """A run that must write no output file: none is there, and the log
    says why (sc.no_output, a regular expression)."""
    errs = []
    if r.outputs:
        errs.append("expected no output file, found %s"
                    % ", ".join(os.path.basename(p) for p, _, _ in r.outputs))
    if not re.search(sc.no_output, r.stderr):
        errs.append("no line of the log matches %r" % sc.no_output)
        errs += r.stderr_tail()
    return errs


def vmtrace_tree_check(sc, fast_path, r, extra):
    """A run of several processes: the files join into the expected tree
    (ProcTree), whose root was started by this runner; every file has the
    right header, consistent sums and sane sharing figures; each role's
    file has its Expects; then the scenario's checks."""
    try:
        tree = r.tree()
    except OutputError as e:
        return [str(e)] + r.stderr_tail()
    errs = list(tree.problems)
    if sc.tree is not None and tree.shape() != sc.tree:
        errs.append("process tree: expected %s, got %s; the files:"
                    % (sc.tree, tree.shape()))
        errs += tree.describe().split("\n")
    if tree.root is not None and tree.root.ppid != os.getpid():
        errs.append("the root process %s: run.ppid %s, expected %d (this runner, "
                    "which started valgrind)" % (tree.root.images[0].name,
                                                 tree.root.ppid, os.getpid()))
    for pos, im in tree.images():
        for e in check_header(im.out, fast_path, sc.vm_args) + \
                check_consistency(im.out) + sharing_bounds(im.out):
            errs.append("%s (%s): %s" % (im.name, pos, e))
    for role, (position, image) in sc.procs.items():
        exs = [ex for ex in sc.expects if ex.proc == role]
        try:
            im = tree.image(position, image)
        except OutputError as e:
            errs.append("%s: %s" % (role, e))
            continue
        for e in check_label_phases(im.out, exs, sc.label_totals):
            errs.append("%s (%s, %s): %s"
                        % (role, position_name(position, None if image == -1 else image),
                           im.name, e))
    for c in sc.checks:
        try:
            errs += c(tree, r, extra)
        except OutputError as e:
            errs.append(str(e))
    return errs


def native_check(sc):
    def check(r):
        errs = run_failed(r)
        if errs:
            return errs
        if r.returncode != expected_rc(sc.exit):
            errs.append("native run: %s, expected %s" % (r.status(), describe_exit(sc.exit)))
            errs += r.stderr_tail()
        oracle = {}
        for line in r.lines("ORACLE"):
            parts = line.split()
            try:
                figs = dict(p.split("=", 1) for p in parts[1:])
                val = (int(figs["minflt"]), int(figs["majflt"]))
            except (ValueError, KeyError, IndexError):
                errs.append("unparsable ORACLE line: %r" % line)
                continue
            if parts[0] in oracle:
                if parts[0] not in sc.revisits:
                    errs.append("phase %r measured twice" % parts[0])
                val = (oracle[parts[0]][0] + val[0], oracle[parts[0]][1] + val[1])
            oracle[parts[0]] = val
        facts = {}
        for line in r.lines("FACT"):
            k, _, v = line.partition("=")
            facts[k] = int(v)

        def agrees(ph, got, want):
            """The kernel's figure is the expectation, or exceeds its
            minor faults within the case's slack, or after a huge PMD's
            reuse where the client's control saw spurious faults."""
            if got == want:
                return True
            if got[1] != want[1] or got[0] < want[0]:
                return False
            return got[0] <= want[0] + sc.native_slack or \
                (ph in sc.native_spurious and facts.get(sc.native_spurious[ph], 0) > 0)

        for ph in sc.native_phases:
            exs = [ex for ex in sc.native_expects if ex.key == ph]
            want = (sum(ex.faults["minor"] for ex in exs),
                    sum(ex.faults["major"] for ex in exs))
            got = oracle.get(ph)
            if got is None:
                errs.append("phase %r: no ORACLE line (expected minflt=%d majflt=%d)"
                            % (ph, want[0], want[1]))
            elif not agrees(ph, got, want):
                errs.append("phase %r: the kernel counted minflt=%d majflt=%d, "
                            "expected minflt=%d majflt=%d (%s)"
                            % (ph, got[0], got[1], want[0], want[1],
                               "; ".join("%s: %s" % (ex.label or "(unlabelled)",
                                                     describe_faults(ex.faults))
                                         for ex in exs)))
        if sc.native_folios is not None and facts.get("folios", sc.native_folios) != \
                sc.native_folios:
            errs.append("FACT folios: the kernel's page cache held %d folios for the "
                        "mapping, readahead's orders make %d (its large folios fell "
                        "back: free memory short or fragmented?)"
                        % (facts["folios"], sc.native_folios))
        for k, v in sc.facts.items():
            if facts.get(k) != v:
                errs.append("FACT %s: expected %d, the client observed %s"
                            % (k, v, facts.get(k, "nothing")))
        return errs
    return check


def diff_check(varying_time=None, tree=False, no_output=False, varying_tlb=None):
    """The fast-path yes==no comparison.  What it skips: with varying
    virtual times, what is sampled on the virtual clock (timeline, heatmap)
    varies with them; with varying_tlb, the TLB's figures."""
    if no_output:
        return diff_exits
    keys = frozenset()
    apart = ""
    if varying_time:
        keys |= TIME_KEYS | {"timeline", "heat"}
        apart += " apart from virtual times (%s)" % varying_time
    if varying_tlb:
        keys |= {"tlb"}
        apart += " apart from the TLB's figures (%s)" % varying_tlb
    diff = diff_trees if tree else diff_outputs
    return lambda a_r, b_r: diff(a_r, b_r, keys, apart)


def diff_exits(a_r, b_r):
    """Runs without output files: they end alike."""
    if a_r.returncode != b_r.returncode:
        return ["the runs ended differently: fast-path=yes %s, fast-path=no %s"
                % (a_r.status(), b_r.status())]
    return []


def diff_trees(a_r, b_r, ignore_keys, apart):
    """Several processes: the trees have the same shape, and the files at
    the same place in them are identical apart from what diff_outputs
    ignores and from what depends on how the processes interleave: which
    of two processes writing a shared page copies it and which reuses it,
    and the sharing figures (normalise_sharing)."""
    errs = []
    trees = []
    for r in (a_r, b_r):
        try:
            trees.append(r.tree())
        except OutputError as e:
            errs.append("cannot compare: the %s run has no usable output: %s"
                        % (r.spec.describe(), e))
    if errs:
        return errs
    if a_r.returncode != b_r.returncode:
        errs.append("the runs ended differently: fast-path=yes %s, fast-path=no %s"
                    % (a_r.status(), b_r.status()))
    if trees[0].shape() != trees[1].shape():
        return errs + ["the process trees differ: fast-path=yes %s, fast-path=no %s"
                       % (trees[0].shape(), trees[1].shape())]
    budget = 25
    for (pos, ia), (_, ib) in zip(trees[0].images(), trees[1].images()):
        a = normalise_sharing(normalise_tmp(ia.out, a_r.tmpdir))
        b = normalise_sharing(normalise_tmp(ib.out, b_r.tmpdir))
        diffs = json_diff(a, b, ignore=frozenset(FAST_PATH_IGNORED), limit=budget,
                          ignore_keys=ignore_keys)
        if diffs:
            errs.append("%s: the output files %s / %s differ (first %d differences, "
                        "yes / no)%s:" % (pos, ia.name, ib.name, len(diffs), apart))
            for path, x, y in diffs:
                errs.append("  %s: %s / %s" % (fmt_path(path), short(x, 70), short(y, 70)))
            budget -= len(diffs)
            if budget <= 0:
                break
    return errs


def diff_outputs(a_r, b_r, ignore_keys, apart):
    errs = []
    outs = []
    for r in (a_r, b_r):
        try:
            if r.error:
                raise OutputError(r.error)
            outs.append(r.the_output())
        except OutputError as e:
            errs.append("cannot compare: the %s run has no usable output: %s"
                        % (r.spec.describe(), e))
    if errs:
        return errs
    if a_r.returncode != b_r.returncode:
        errs.append("the runs ended differently: fast-path=yes %s, fast-path=no %s"
                    % (a_r.status(), b_r.status()))
    a = normalise_tmp(outs[0], a_r.tmpdir)
    b = normalise_tmp(outs[1], b_r.tmpdir)
    diffs = json_diff(a, b, ignore=frozenset(FAST_PATH_IGNORED), limit=25,
                      ignore_keys=ignore_keys)
    if diffs:
        errs.append("the output files differ (first %d differences, yes / no)%s:"
                    % (len(diffs), apart))
        for path, x, y in diffs:
            errs.append("  %s: %s / %s" % (fmt_path(path), short(x, 70), short(y, 70)))
    return errs


def bad_option_check(opt):
    name = opt[2:].split("=", 1)[0]

    def check(r):
        errs = run_failed(r)
        if errs:
            return errs
        if "failed to start tool" in r.stderr:
            return ["vmtrace not built: valgrind cannot start the tool"] + r.stderr_tail()
        # Valgrind's convention: exit 1, and one "Bad option:" line (an
        # option it does not know: "Unknown option:") that names the
        # option; a parse-time refusal adds Valgrind's line of explanation
        # and its "Use --help" line after it
        if r.returncode != 1:
            errs.append("expected exit status 1, got %s" % r.status())
        bad_lines = [ln for ln in r.stderr.split("\n")
                     if "Bad option:" in ln or "Unknown option:" in ln]
        if len(bad_lines) != 1 or name not in bad_lines[0]:
            errs.append("expected one 'Bad option:' line naming %r, got %d: %r"
                        % (name, len(bad_lines), bad_lines[:3]))
        for bad in ("the 'impossible' happened", "Assertion", "core dumped",
                    "Process terminating"):
            if bad in r.stderr:
                errs.append("stderr shows a crash (%r)" % bad)
        if not any(name in line for line in r.stderr.split("\n")):
            errs.append("no line of stderr names the option %r" % name)
        if "\\n" in r.stderr:
            errs.append("stderr holds a literal backslash-n")
        if errs:
            errs += r.stderr_tail()
        return errs
    return check


def program_check(fast_path):
    def check(r):
        errs = run_failed(r)
        if errs:
            return errs
        if "failed to start tool" in r.stderr:
            return ["vmtrace not built: valgrind cannot start the tool"] + r.stderr_tail()
        if r.returncode != 0:
            errs.append("valgrind: %s, expected exit 0" % r.status())
            errs += r.stderr_tail()
        try:
            out = r.the_output()
        except OutputError as e:
            return errs + [str(e)] + ([] if errs else r.stderr_tail())
        errs += check_header(out, fast_path, ())
        errs += check_exit(out, ("exit", 0))
        errs += no_leftovers(r)
        pt = (out.get("totals") or {}).get("pages_touched")
        if not isinstance(pt, int) or pt <= 0:
            errs.append("totals.pages_touched: expected > 0, got %s" % short(pt))
        errs += check_consistency(out)
        return errs
    return check
