"""Extra checks on a scenario's output file: f(out, result, extra) -> [errors]."""

import os

from vmtest import (PAGE, OutputError, add_faults, check_consistency, compare_faults,
                    describe_vmas, faults, find_label, find_phase, label_range,
                    mapping_of_label, short)


# ===================================================================
# Extra checks on an output file (f(out, result, extra) -> [errors])

def vma_layout(label, layout):
    """The VMAs belonging to the mapping under `label` are exactly `layout`:
    [(first page, end page, perms)] relative to the label's start."""
    def check(out, r, extra):
        base, _ = label_range(out, label)
        m = mapping_of_label(out, label)
        vmas = sorted((v for v in out.get("vmas") or [] if v.get("mapping") == m["id"]),
                      key=lambda v: v["start"])
        got = [((v["start"] - base) // PAGE if (v["start"] - base) % PAGE == 0 else v["start"],
                (v["end"] - base) // PAGE if (v["end"] - base) % PAGE == 0 else v["end"],
                v.get("perms")) for v in vmas]
        if got != layout:
            return ["VMAs of mapping %s (label %r at base %#x): expected %d: %s; got %d: %s"
                    % (m["id"], label, base, len(layout),
                       "; ".join("[base%+d, base%+d pages) %s" % l for l in layout),
                       len(vmas), describe_vmas(vmas, base))]
        return []
    return check


def mapping_figures(label, resident=None, **classes):
    """Figures of the mapping under `label`: its faults (if classes are
    given, complete as in Expect) and resident_pages."""
    def check(out, r, extra):
        m = mapping_of_label(out, label)
        errs = []
        what = "mapping %s (%s, under label %r)" % (m["id"], m.get("kind"), label)
        if classes:
            errs += compare_faults(what, faults(**classes), m.get("faults"))
        if resident is not None and m.get("resident_pages") != resident:
            errs.append("%s: expected resident_pages %d, got %s"
                        % (what, resident, m.get("resident_pages")))
        return errs
    return check


def same_mapping(*labels):
    def check(out, r, extra):
        ids = {l: mapping_of_label(out, l)["id"] for l in labels}
        if len(set(ids.values())) != 1:
            return ["labels %s should lie in one mapping, got mappings %s"
                    % (list(labels), ids)]
        return []
    return check


def trampoline_page():
    """Valgrind gives every client one page of the tool's text (its
    trampoline: the return address of the signal frames it builds).  The
    program has no such mapping natively, so it is named as Valgrind's,
    never as the tool's executable (a file the program never mapped), and
    nothing in it is the program's: no page touched, no fault."""
    def check(out, r, extra):
        errs = []
        ms = out.get("mappings") or []
        own = [m for m in ms if "vmtrace-amd64-linux" in str(m.get("name"))
               or "vmtrace-amd64-linux" in str((m.get("file") or {}).get("path"))]
        if own:
            errs.append("mappings named after the tool's executable: %s"
                        % [(m.get("id"), m.get("name")) for m in own])
        tr = [m for m in ms if m.get("name") == "[vg-trampoline]"]
        if len(tr) != 1:
            errs.append("expected 1 [vg-trampoline] mapping, got %d" % len(tr))
        for m in tr:
            if m.get("pages_touched") or (m.get("faults") or {}).get("total"):
                errs.append("[vg-trampoline]: expected 0 pages touched and 0 faults, got %s "
                            "and %s" % (m.get("pages_touched"), m.get("faults")))
        return errs
    return check


def invalid_access(reason, access, exact_total=None):
    """invalid_accesses[0] is the client's store to INFO target."""
    def check(out, r, extra):
        errs = []
        tot = (out.get("totals") or {}).get("faults") or {}
        inv = tot.get("invalid")
        if exact_total is not None:
            if inv != exact_total:
                errs.append("totals.faults.invalid: expected %d, got %s" % (exact_total, inv))
        elif not isinstance(inv, int) or inv < 1:
            errs.append("totals.faults.invalid: expected >= 1, got %s" % inv)
        ia = out.get("invalid_accesses")
        if not ia:
            return errs + ["invalid_accesses is empty or missing: %s" % short(ia)]
        if exact_total is not None and len(ia) != exact_total:
            errs.append("invalid_accesses: expected %d entries, got %d"
                        % (exact_total, len(ia)))
        first = ia[0]
        target = r.info("target")
        if first.get("reason") != reason:
            errs.append("invalid_accesses[0].reason: expected %r, got %r"
                        % (reason, first.get("reason")))
        if first.get("access") != access:
            errs.append("invalid_accesses[0].access: expected %r, got %r"
                        % (access, first.get("access")))
        if target is None:
            errs.append("the client printed no INFO target= line")
        elif first.get("address") != target:
            errs.append("invalid_accesses[0].address: expected %#x (the client's "
                        "target), got %s" % (target, first.get("address") if not isinstance(
                            first.get("address"), int) else "%#x" % first["address"]))
        if not isinstance(first.get("stack"), list) or not first.get("stack"):
            errs.append("invalid_accesses[0].stack: expected a non-empty list, got %s"
                        % short(first.get("stack")))
        return errs
    return check


def invalid_logged(access, why):
    """The log's report of the invalid access names the client's INFO
    target, the byte it touched."""
    def check(out, r, extra):
        target = r.info("target")
        if target is None:
            return ["the client printed no INFO target= line"]
        want = "Invalid %s of address %#x (%s)" % (access, target, why)
        if want not in r.stderr:
            return ["the log has no line %r: %s" % (want, [l for l in r.stderr.split("\n")
                                                         if "Invalid" in l][:3])]
        return []
    return check


def cheap(max_seconds, max_extra_mib):
    """The run took at most max_seconds, and its peak RSS exceeds that of
    the baseline run (extra[0]) by at most max_extra_mib."""
    def check(out, r, extra):
        errs = []
        if r.wall is not None and r.wall > max_seconds:
            errs.append("took %.1f s, expected at most %d s" % (r.wall, max_seconds))
        base = extra[0]
        if base.maxrss_kib is None:
            errs.append("baseline run %s did not run: %s" % (base.spec.describe(), base.error))
        elif r.maxrss_kib - base.maxrss_kib > max_extra_mib * 1024:
            errs.append("peak RSS %d MiB, the baseline %s took %d MiB: more than %d MiB extra"
                        % (r.maxrss_kib // 1024, base.spec.describe(),
                           base.maxrss_kib // 1024, max_extra_mib))
        return errs
    return check


def tool_memory(pages, bytes_per_page, fixed_mib):
    """The tool's own memory for the run's pages, measured: its peak RSS
    above the baseline run's (extra[0]: the same program under vmtrace
    with one page), less what the client's own pages add under
    --tool=none (extra[1] with the pages, extra[2] with one), is at most
    bytes_per_page for each page beyond the first, plus fixed_mib."""
    def check(out, r, extra):
        runs = [r] + list(extra[:3])
        for x in runs:
            if x.maxrss_kib is None:
                return ["run %s did not run: %s" % (x.spec.describe(), x.error)]
        tool_kib = (r.maxrss_kib - extra[0].maxrss_kib) - \
                   (extra[1].maxrss_kib - extra[2].maxrss_kib)
        bound_kib = ((pages - 1) * bytes_per_page) // 1024 + fixed_mib * 1024
        if tool_kib > bound_kib:
            return ["the tool's memory grew by %d KiB for %d pages (%d bytes a page; peak RSS "
                    "%s: %d, %d, %d, %d KiB), expected at most %d KiB (%d bytes a page + %d MiB)"
                    % (tool_kib, pages - 1, tool_kib * 1024 // (pages - 1),
                       " / ".join(x.spec.describe() for x in runs),
                       r.maxrss_kib, extra[0].maxrss_kib, extra[1].maxrss_kib,
                       extra[2].maxrss_kib, bound_kib, bytes_per_page, fixed_mib)]
        return []
    return check


def phase_figures(phase, pages=None, **classes):
    """The whole phase (every page, labelled or not) has exactly these
    faults (complete as in Expect) and, if given, pages_touched."""
    def check(out, r, extra):
        ph = find_phase(out, phase)
        errs = compare_faults("phase %r (all pages)" % phase, faults(**classes),
                              ph.get("faults"))
        if pages is not None and ph.get("pages_touched") != pages:
            errs.append("phase %r (all pages): expected pages_touched %d, got %s"
                        % (phase, pages, ph.get("pages_touched")))
        return errs
    return check


def phase_order(*names):
    """The phases list names exactly these phases, in this order (a phase
    entered again continues; it is not listed twice)."""
    def check(out, r, extra):
        got = [ph.get("name") for ph in out.get("phases") or []]
        if got != list(names):
            return ["phases: expected %s, got %s" % (list(names), got)]
        return []
    return check


def no_invalid(out, r, extra):
    tot = (out.get("totals") or {}).get("faults") or {}
    errs = []
    if tot.get("invalid") != 0:
        errs.append("totals.faults.invalid: expected 0, got %s" % tot.get("invalid"))
    if out.get("invalid_accesses"):
        errs.append("invalid_accesses: expected none, got %s"
                    % short(out.get("invalid_accesses")))
    return errs


def consistent(out, r, extra):
    return check_consistency(out)


def label_ranges(label, ranges):
    """The label's `ranges` are exactly [[A + first*4096, A + end*4096]] for
    (info key of A, first page, end page) in ranges, in this order."""
    def check(out, r, extra):
        want = []
        for key, first, end in ranges:
            a = r.info(key)
            if a is None:
                return ["the client printed no INFO %s= line" % key]
            want.append([a + first * PAGE, a + end * PAGE])
        got = find_label(out, label).get("ranges")
        if got != want:
            return ["label %r: expected ranges %s, got %s"
                    % (label, [[hex(x) for x in w] for w in want],
                       [[hex(x) for x in g] if isinstance(g, list) and
                        all(isinstance(x, int) for x in g) else g for g in got or []])]
        return []
    return check


def mapping_kind(label, kind, name=None):
    def check(out, r, extra):
        m = mapping_of_label(out, label)
        errs = []
        if m.get("kind") != kind:
            errs.append("mapping %s under label %r: expected kind %r, got %r"
                        % (m.get("id"), label, kind, m.get("kind")))
        if name is not None and m.get("name") != name:
            errs.append("mapping %s under label %r: expected name %r, got %r"
                        % (m.get("id"), label, name, m.get("name")))
        return errs
    return check


def folded(max_entries):
    """Mappings unmapped in a loop are folded: fewer than max_entries
    entries, at least one standing for more than one mapping."""
    def check(out, r, extra):
        maps = out.get("mappings") or []
        errs = []
        if len(maps) >= max_entries:
            errs.append("mappings: %d entries, expected fewer than %d (folding)"
                        % (len(maps), max_entries))
        inst = [m.get("instances") for m in maps]
        if any(not isinstance(i, int) or i < 1 for i in inst):
            errs.append("mappings: every instances must be an integer >= 1, got %s"
                        % sorted({short(i) for i in inst if not isinstance(i, int) or i < 1}))
        elif max(inst, default=0) <= 1:
            errs.append("mappings: no entry has instances > 1 (nothing folded)")
        return errs
    return check


def output_named(suffix):
    """The output file is vmtrace.out.<run.pid><suffix>."""
    def check(out, r, extra):
        want = "vmtrace.out.%s%s" % ((out.get("run") or {}).get("pid"), suffix)
        got = os.path.basename(r.outputs[0][0])
        if got != want:
            return ["the output file is named %s, expected %s" % (got, want)]
        return []
    return check


def total_at_least(cls, n):
    def check(out, r, extra):
        got = ((out.get("totals") or {}).get("faults") or {}).get(cls)
        if not isinstance(got, int) or got < n:
            return ["totals.faults.%s: expected at least %d, got %s" % (cls, n, got)]
        return []
    return check


def stack_grown(label, info_key, pages, baseline_low):
    """The label lies in the [stack] mapping, which reaches exactly down to
    the label's start (INFO info_key); the baseline run (extra[0]) is the
    same program without the growth: its [stack] reaches down to
    label start + baseline_low pages only, and its [stack] figures are
    this run's minus `pages` first writes (`anon`, pages touched,
    resident pages)."""
    def stack_of(out, what):
        ms = [m for m in out.get("mappings") or [] if m.get("kind") == "stack"]
        if len(ms) != 1:
            raise OutputError("%s: expected one mapping of kind stack, got %d"
                              % (what, len(ms)))
        m = ms[0]
        vmas = [v for v in out.get("vmas") or [] if v.get("mapping") == m["id"]]
        if len(vmas) != 1:
            raise OutputError("%s: expected one VMA of the [stack] mapping, got %s"
                              % (what, describe_vmas(vmas)))
        return m, vmas[0]

    def check(out, r, extra):
        errs = []
        low = r.info(info_key)
        if low is None:
            return ["the client printed no INFO %s= line" % info_key]
        m = mapping_of_label(out, label)
        if m.get("kind") != "stack" or m.get("name") != "[stack]":
            errs.append("label %r lies in mapping %s of kind %r named %r, expected "
                        "the [stack]" % (label, m.get("id"), m.get("kind"), m.get("name")))
        m, v = stack_of(out, "this run")
        if v["start"] != low:
            errs.append("the [stack] VMA starts at %#x, expected %#x (the lowest "
                        "page the recursion wrote)" % (v["start"], low))
        base = extra[0]
        try:
            bout = base.the_output()
        except OutputError as e:
            return errs + ["baseline run %s: %s" % (base.spec.describe(), e)]
        if base.info(info_key) != low:
            errs.append("baseline run %s: INFO %s=%s, this run %s: the stack "
                        "should start at the same address in both"
                        % (base.spec.describe(), info_key, base.info(info_key), low))
        bm, bv = stack_of(bout, "baseline run %s" % base.spec.describe())
        if bv["start"] != low + baseline_low * PAGE:
            errs.append("baseline run %s: the [stack] VMA starts at %#x, expected "
                        "%#x" % (base.spec.describe(), bv["start"], low + baseline_low * PAGE))
        want = add_faults(bm.get("faults") or {}, faults(anon=pages))
        errs += compare_faults("[stack] figures of this run (those of the baseline "
                               "run plus %d anon)" % pages, want, m.get("faults"))
        for key in ("pages_touched", "resident_pages"):
            if not isinstance(bm.get(key), int) or m.get(key) != bm[key] + pages:
                errs.append("[stack] %s: %s, expected the baseline's %s + %d"
                            % (key, m.get(key), bm.get(key), pages))
        return errs
    return check


def total(key, n):
    """totals[key] of the output file is n (a figure at exit the kernel
    also gives, such as smaps' FilePmdMapped / 4 KiB: file_pmd_pages)."""
    def check(out, r, extra):
        got = (out.get("totals") or {}).get(key)
        if got != n:
            return ["totals.%s: expected %d, got %s" % (key, n, got)]
        return []
    return check


def misplaced(info_key, align=2 << 20):
    """Under vmtrace the client's mapping (INFO info_key) is not
    align-aligned: Valgrind placed it otherwise than the kernel would, so
    a case about where the kernel would have put it can tell (a case that
    passed with the mapping aligned by chance would prove nothing)."""
    def check(out, r, extra):
        a = r.info(info_key)
        if a is None:
            return ["the client printed no INFO %s= line" % info_key]
        if a % align == 0:
            return ["Valgrind put the mapping at %#x, %d-aligned: the case cannot tell"
                    % (a, align)]
        return []
    return check


def fault_lines(source, expected):
    """The faults whose innermost frame is a line of the client's source
    file tests/clients/SOURCE, by class and the marker comment (@name) on
    that line: exactly expected {(class, marker): count}, and none at any
    other marked line (each page's fault at the access that first touches
    it, not at another access of the same superblock)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", source)

    def check(out, r, extra):
        marks = {}
        with open(path) as f:
            for n, line in enumerate(f, 1):
                at = line.find("/* @")
                if at >= 0:
                    marks[line[at + 4:].split()[0]] = n
        names = {n: m for m, n in marks.items()}
        want = {}
        for (cls, mark), count in expected.items():
            if mark not in marks:
                return ["%s has no marker @%s" % (source, mark)]
            want[(cls, marks[mark])] = count
        got = {}
        tag = "(%s:" % source
        for site in out.get("fault_sites") or []:
            stack = site.get("stack") or []
            if not stack or tag not in stack[0]:
                continue
            line = int(stack[0].rsplit(":", 1)[1].rstrip(")"))
            if line not in names:
                continue            # the program's own set-up
            key = (site.get("class"), line)
            got[key] = got.get(key, 0) + (site.get("count") or 0)
        errs = []
        for key in sorted(set(want) | set(got), key=lambda k: (k[1], str(k[0]))):
            if want.get(key, 0) != got.get(key, 0):
                errs.append("fault_sites: %s faults at %s:%d (@%s): expected %d, got %d"
                            % (key[0], source, key[1], names.get(key[1], "?"),
                               want.get(key, 0), got.get(key, 0)))
        return errs
    return check
