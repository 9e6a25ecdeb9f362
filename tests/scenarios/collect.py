"""Collection paused and resumed by client requests."""

import re

from vmtest import (Expect, OutputError, RunSpec, find_label, mapping_of_label,
                    position_name, short)
from .scenario import scenario
from .proc_checks import at
from .checks import consistent, phase_figures


# ---- collection -------------------------------------------------------------
# Three untouched 10-page private anonymous regions a, b, c.  The kernel
# counts every step: "before" writes a, 10 `anon`; "during" writes a again
# (0) and b, 10 `anon`; "paused" reads c, 10 `zero`; "after" writes c,
# which maps the zero page: 10 `wp_copy`.  vmtrace counts only while
# collecting, but its memory follows the program all the time: with
# --collect-atstart=no, "before" counts nothing although it maps a's pages
# writable, so rewriting them in "during" costs 0 (counted: 0) and a never
# gets a fault; b: 10 `anon` in "during"; nothing while paused; c's pages
# map the zero page since "paused", so "after" counts 10 `wp_copy`.  A
# page is touched by its first reference while collecting: a's 10 and b's
# 10 in "during", c's 10 in "after" (until 2026-12-06 a page first
# referenced while paused was never touched: a 0, c 0 with 10 faults).
# "main" and "paused" count nothing at all; "before" and "during" count
# besides the labels the code and stack pages first referenced once
# START_COLLECTION returned (so only their faults are pinned).  With
# collection on at the start, only "paused" is silent, and c's pages, first
# referenced there, are touched in "after".
COLLECT_NATIVE = [
    Expect("a", "before", anon=10),
    Expect("b", "during", anon=10),
    Expect("c", "paused", zero=10),
    Expect("c", "after", wp_copy=10),
]
scenario("collect/atstart=no", "collect", [], [
    Expect("a", "before"),
    Expect("a", "during", pages=10),
    Expect("b", "during", pages=10, anon=10),
    Expect("c", "paused"),
    Expect("c", "after", pages=10, wp_copy=10),
], vm_args=["--collect-atstart=no"], checks=[
    phase_figures("main", pages=0),
    phase_figures("before"),
    phase_figures("during", anon=10),
    phase_figures("paused", pages=0),
    consistent,
])
scenario("collect/atstart=yes", "collect", [], [
    Expect("a", "before", pages=10, anon=10),
    Expect("a", "during"),
    Expect("b", "during", pages=10, anon=10),
    Expect("c", "paused"),
    Expect("c", "after", pages=10, wp_copy=10),
], native=True, native_expects=COLLECT_NATIVE, checks=[
    phase_figures("paused", pages=0),
    consistent,
])


# ---- pages referenced while paused, while collecting, or both ---------------
# "Touched", the working set and the heatmap count the references made
# while collecting; the memory (page tables, the zero page, copies) follows
# every reference.  collect_pages mix, four private anonymous regions,
# each page referenced once in each step that names it (tests/clients/
# collect_pages.c), N = 1007 pages of "paused".  The kernel counts every
# step (getrusage):
#   p1 (paused): "paused" N written, N `anon`; "both" 4 written, 4 `anon`;
#      "zero" 6 read, 6 `zero`;
#   c1: "collecting" 5 written, 5 `anon`; "both" read, 0;
#   p2 (paused): "paused" written again, 0; "zero" pages 0..1 written over
#      the zero page, 2 `wp_copy`;
#   c2: "zero" all 6 written: pages 2..5 still map the zero page, 4
#      `wp_copy`.
# With --collect-atstart=no, p1 and p2 are paused: "paused" is never
# referenced while collecting (touched 0, no fault, no heat, though its N
# pages are resident); "collecting": 5 touched and 5 `anon` in c1; "both":
# first referenced while collecting in c1 (a read: 4 touched, no fault);
# "zero": first referenced while collecting in c2, 6 touched there, 4
# `wp_copy` (a page's faults come with its touch: no "touched 0, faults
# 10" as before 2026-12-06, when a page first referenced while paused was
# never touched).  Phases p1 and p2 count no fault (the code and stack
# pages first referenced after START_COLLECTION returns count as touched
# in them).  Heat: each page is referenced once in each step, so in one
# epoch: "collecting" 5 page-epochs, "both" 4 (its read in c1 counts,
# whether or not p1's write fell in the same epoch), "zero" 6, "paused" 0.
# With --collect-atstart=yes, only p2 is paused: "paused" N touched, N
# `anon` in p1 (N page-epochs); "both" 4 touched, 4 `anon` in p1, nothing
# in c1; "zero" 6
# touched, 6 `zero` in p1, 4 `wp_copy` in c2.  (Their heat is 4 to 8 and
# 6 to 12 page-epochs there, as p1 falls in the epochs of c1 or c2 or not.)
# Against a control run with 7 pages of "paused" (7 instead of 1007): the
# pages touched, the working set and the faults grow by 1000 when p1 is
# counted, else not at all.
COLLECT_PAGES_NATIVE = [
    Expect("paused", "p1", anon=1007),
    Expect("both", "p1", anon=4),
    Expect("zero", "p1", zero=6),
    Expect("collecting", "c1", anon=5),
    Expect("both", "c1"),
    Expect("paused", "p2"),
    Expect("zero", "p2", wp_copy=2),
    Expect("zero", "c2", wp_copy=4),
]


def heat_of(out, label):
    """Page-epochs of the heatmap's rows of the label's mapping."""
    m = mapping_of_label(out, label)["id"]
    return sum(sum(cell[1:]) for row in (out.get("heat") or {}).get("rows") or []
               if row.get("mapping") == m for cell in row.get("cells") or [])


def label_heat(**want):
    """The heat (page-epochs) of each named label's mapping."""
    def check(out, r, extra):
        errs = []
        for label, n in sorted(want.items()):
            got = heat_of(out, label)
            if got != n:
                errs.append("heatmap rows of label %r's mapping: expected %d page-epochs, "
                            "got %d" % (label, n, got))
        return errs
    return check


def label_touched(**want):
    """Each named label's pages_touched over the whole run."""
    def check(out, r, extra):
        errs = []
        for label, n in sorted(want.items()):
            got = find_label(out, label).get("pages_touched")
            if got != n:
                errs.append("label %r: expected pages_touched %d, got %s" % (label, n, got))
        return errs
    return check


def label_resident(**want):
    """The resident pages at exit of each named label's mapping: the memory
    follows the program, collecting or not."""
    def check(out, r, extra):
        errs = []
        for label, n in sorted(want.items()):
            got = mapping_of_label(out, label).get("resident_pages")
            if got != n:
                errs.append("mapping of label %r: expected resident_pages %d, got %s"
                            % (label, n, got))
        return errs
    return check


def collection(started, nr_periods):
    """run.collection: whether collection ever started, its periods, each
    within the run and after the last, and their instructions."""
    def check(out, r, extra):
        c = (out.get("run") or {}).get("collection")
        if not isinstance(c, dict):
            return ["run.collection: expected an object, got %s" % short(c)]
        errs = []
        if c.get("started") is not started:
            errs.append("run.collection.started: expected %s, got %s"
                        % (started, c.get("started")))
        per = c.get("periods") or []
        if c.get("nr_periods") != nr_periods or len(per) != nr_periods:
            errs.append("run.collection: expected %d periods, got nr_periods %s, periods %s"
                        % (nr_periods, c.get("nr_periods"), short(per)))
        end = (out.get("run") or {}).get("instructions")
        last = 0
        for p in per:
            if not (last <= p[0] <= p[1] <= end):
                errs.append("run.collection.periods: %s out of order or beyond the run's "
                            "%s instructions" % (short(per), end))
                break
            last = p[1]
        if c.get("instructions") != sum(p[1] - p[0] for p in per):
            errs.append("run.collection.instructions %s: the periods %s add up to %d"
                        % (c.get("instructions"), short(per), sum(p[1] - p[0] for p in per)))
        return errs
    return check


def ws_last(out, kind):
    """WS(t, tau) of the one window asked for at the last sample."""
    return out["timeline"]["wss"][0][kind][-1]


def more_paused_pages(extra_pages, counted):
    """Against the control run (extra[0]: the same with extra_pages more
    pages of "paused", referenced only in p1 and p2): totals.pages_touched,
    the data working set at the end (a window longer than the run: the
    distinct pages referenced) and the heat of "paused" exceed the
    control's by extra_pages if those steps were counted (`counted`: p1's
    write), else not at all; the faults by extra_pages `anon` or 0."""
    def check(out, r, extra):
        try:
            base = extra[0].the_output()
        except OutputError as e:
            return ["control run: %s" % e]
        d = extra_pages if counted else 0
        errs = []
        for what, f in (("totals.pages_touched", lambda o: o["totals"]["pages_touched"]),
                        ("data working set at the end", lambda o: ws_last(o, "data")),
                        ("heat of label 'paused'", lambda o: heat_of(o, "paused")),
                        ("totals.faults.anon", lambda o: o["totals"]["faults"]["anon"])):
            if f(out) - f(base) != d:
                errs.append("%s: %s, the control run's %s: expected it + %d"
                            % (what, f(out), f(base), d))
        return errs
    return check


def sims_as_counted(out, r, extra):
    """A simulation with RAM for every page (--ram=64M: nothing evicted)
    takes exactly the faults the model counts, by class, and so counts
    nothing while paused either (the 1M ones are cg_as_counted's)."""
    tot = out["totals"]["faults"]
    errs = []
    for s in out.get("simulations") or []:
        if s.get("ram") != "64M":
            continue
        if s.get("faults") != tot or s.get("evictions") != 0:
            errs.append("simulation %s %s: faults %s, evictions %s; expected the totals' %s, 0"
                        % (s.get("policy"), s.get("ram"), short(s.get("faults")),
                           s.get("evictions"), short(tot)))
    if not out.get("simulations"):
        errs.append("no simulations")
    return errs


def cg_as_counted(out, r, extra):
    """--cg-out-file's summary: the faults counted (MinFlt, MajFlt, CowFlt:
    wp_copy + wp_reuse + file_cow + thp_wp_zero + thp_wp_reuse) and each
    simulation's major faults, as the output file counts them: nothing
    while paused there either."""
    if "collect.cg.out" not in r.files:
        return ["no collect.cg.out written"]
    lines = r.files["collect.cg.out"].splitlines()
    events = next(l for l in lines if l.startswith("events:")).split()[1:]
    got = dict(zip(events, (int(x) for x in next(
        l for l in lines if l.startswith("summary:")).split()[1:])))
    f = out["totals"]["faults"]
    want = {"MinFlt": f["minor"], "MajFlt": f["major"],
            "CowFlt": sum(f[k] for k in ("wp_copy", "wp_reuse", "file_cow", "thp_wp_zero",
                                         "thp_wp_reuse"))}
    for s in out.get("simulations") or []:
        want["Maj.%s.%s" % (s["policy"], s["ram"])] = s["faults"]["major"]
    have = {k: got.get(k) for k in want}
    return [] if have == want else ["cg summary %s, the output file's %s" % (have, want)]


# One window, longer than the run; a simulation with RAM for every page,
# one with too little; the Cachegrind file.
COLLECT_OPTS = ["--ws-tau=1G", "--ram=64M,1M", "--policy=lru,clock",
                "--cg-out-file=@TMP@/collect.cg.out"]
scenario("collect/pages atstart=no", "collect_pages", ["mix", "1007"], [
    Expect("paused", "p1"),
    Expect("both", "p1"),
    Expect("zero", "p1"),
    Expect("collecting", "c1", pages=5, anon=5),
    Expect("both", "c1", pages=4),
    Expect("paused", "p2"),
    Expect("zero", "p2"),
    Expect("zero", "c2", pages=6, wp_copy=4),
], vm_args=["--collect-atstart=no"] + COLLECT_OPTS, checks=[
    phase_figures("main", pages=0),
    phase_figures("p1"),
    phase_figures("p2"),
    label_touched(paused=0, collecting=5, both=4, zero=6),
    label_resident(paused=1007, collecting=5, both=4, zero=6),
    label_heat(paused=0, collecting=5, both=4, zero=6),
    collection(True, 2),
    more_paused_pages(1000, counted=False),
    sims_as_counted,
    cg_as_counted,
    consistent,
], extra_runs=lambda fp: [RunSpec("vmtrace", "collect_pages", ["mix", "7"],
                                  vm_args=["--collect-atstart=no"] + COLLECT_OPTS,
                                  fast_path=fp)])
scenario("collect/pages atstart=yes", "collect_pages", ["mix", "1007"], [
    Expect("paused", "p1", pages=1007, anon=1007),
    Expect("both", "p1", pages=4, anon=4),
    Expect("zero", "p1", pages=6, zero=6),
    Expect("collecting", "c1", pages=5, anon=5),
    Expect("both", "c1"),
    Expect("paused", "p2"),
    Expect("zero", "p2"),
    Expect("zero", "c2", wp_copy=4),
], vm_args=COLLECT_OPTS, native=True, native_expects=COLLECT_PAGES_NATIVE, checks=[
    phase_figures("p2"),
    label_touched(paused=1007, collecting=5, both=4, zero=6),
    label_heat(paused=1007, collecting=5),
    collection(True, 2),
    more_paused_pages(1000, counted=True),
    sims_as_counted,
    cg_as_counted,
    consistent,
], extra_runs=lambda fp: [RunSpec("vmtrace", "collect_pages", ["mix", "7"],
                                  vm_args=COLLECT_OPTS, fast_path=fp)])


# ---- fork while paused ----------------------------------------------------------
# collect_pages fork, --collect-atstart=no: an 8-page "buf" written while
# paused (the kernel: 8 `anon`), then fork while paused: every page shared
# copy-on-write.  The child, paused, writes pages 0..2 (the kernel: 3
# `wp_copy`, the parent still maps them); it starts collecting and writes
# pages 0..5: 0..2 are its own copies already (no fault), 3..5 are copied
# (3 `wp_copy`); touched: 6, its first references while collecting.  The
# parent, once the child has exited, starts collecting and writes all 8:
# it maps each alone now, write-protected: 8 `wp_reuse`, 8 touched.  Each
# process's figures start at its own start (the child's at the fork), and
# so does its run.collection: one period each, the child's from its own
# START_COLLECTION on its own clock, not from the fork.
COLLECT_FORK = [
    Expect("buf", "write", proc="parent"),
    Expect("buf", "child-paused", proc="child"),
    Expect("buf", "child-on", pages=6, proc="child", wp_copy=3),
    Expect("buf", "after-child", pages=8, proc="parent", wp_reuse=8),
]


def tree_collection(position, started, nr_periods, from_start):
    """run.collection of the process at position: as collection() says,
    and whether its one period begins at its own start (0)."""
    plain = collection(started, nr_periods)

    def check(tree, r, extra):
        out = tree.image(position).out
        errs = ["%s: %s" % (position_name(position), e) for e in plain(out, r, extra)]
        per = ((out.get("run") or {}).get("collection") or {}).get("periods") or []
        if per and (per[0][0] == 0) != from_start:
            errs.append("%s: run.collection.periods %s: expected the first to begin %s"
                        % (position_name(position), short(per),
                           "at 0" if from_start else "after 0"))
        return errs
    return check


scenario("collect/fork paused", "collect_pages", ["fork"], COLLECT_FORK,
         vm_args=["--collect-atstart=no"], procs={"parent": at(), "child": at(0)},
         tree="exit(exit)", native=True, native_expects=[
             Expect("buf", "write", proc="parent", anon=8),
             Expect("buf", "child-paused", proc="child", wp_copy=3),
             Expect("buf", "child-on", proc="child", wp_copy=3),
             Expect("buf", "after-child", proc="parent", wp_reuse=8),
         ], checks=[tree_collection((), True, 1, False),
                    tree_collection((0,), True, 1, False)])


# ---- collection never started ---------------------------------------------------
# collect_pages never, --collect-atstart=no: a 5-page "never" written (the
# kernel: 5 `anon`), and collection never starts.  Nothing is counted:
# no fault, no page touched, no working set, no heat, anywhere; the file
# says so (run.collection.started false, no period), and the memory still
# followed the program: the 5 pages are resident.
def nothing_counted(out, r, extra):
    errs = []
    t = out["totals"]
    if t["pages_touched"] != 0 or t["faults"]["total"] != 0 or t["faults"]["invalid"] != 0:
        errs.append("totals: expected nothing counted, got pages_touched %s, faults %s"
                    % (t["pages_touched"], short(t["faults"])))
    tl = out.get("timeline") or {}
    for w in tl.get("wss") or []:
        if any(w["code"]) or any(w["data"]):
            errs.append("timeline.wss tau=%s: expected all 0, got code %s, data %s"
                        % (w["tau"], short(w["code"]), short(w["data"])))
    if any(tl.get("touched") or []):
        errs.append("timeline.touched: expected all 0, got %s" % short(tl.get("touched")))
    rows = (out.get("heat") or {}).get("rows") or []
    if rows:
        errs.append("heat: expected no row, got %d: %s" % (len(rows), short(rows)))
    return errs


scenario("collect/never started", "collect_pages", ["never"], [
    Expect("never", "write"),
], vm_args=["--collect-atstart=no"], native=True,
    native_expects=[Expect("never", "write", anon=5)],
    checks=[collection(False, 0), nothing_counted, label_resident(never=5), consistent])


# collect_pages fork-never, --collect-atstart=no: the same steps as fork
# paused's, collection never started in either process (the kernel: 8
# `anon`; 3 `wp_copy` in the child; 8 `wp_reuse` after it).  Each file says
# collection never started and counts nothing; neither log shows a
# Copy-on-write: line of 0s (until 2026-12-06 a forked child always had
# one), each says "Collection: never started" and "Working set: not
# collected".
def logs_say_never(tree, r, extra):
    errs = []
    for what, pat, n in (("Copy-on-write:", r"Copy-on-write:", 0),
                         ("Collection: never started", r"Collection: +never started", 2),
                         ("Working set: not collected", r"Working set: +not collected", 2)):
        got = len(re.findall(pat, r.stderr))
        if got != n:
            errs.append("the logs have %d %r lines, expected %d" % (got, what, n))
    return errs


def tree_nothing_counted(position):
    def check(tree, r, extra):
        return ["%s: %s" % (position_name(position), e)
                for e in nothing_counted(tree.image(position).out, r, extra)]
    return check


scenario("collect/fork never started", "collect_pages", ["fork-never"], [
    Expect("buf", "write", proc="parent"),
    Expect("buf", "child-write", proc="child"),
    Expect("buf", "after-child", proc="parent"),
], vm_args=["--collect-atstart=no"], procs={"parent": at(), "child": at(0)},
    tree="exit(exit)", native=True, native_expects=[
        Expect("buf", "write", proc="parent", anon=8),
        Expect("buf", "child-write", proc="child", wp_copy=3),
        Expect("buf", "after-child", proc="parent", wp_reuse=8),
    ], checks=[tree_collection((), False, 0, False), tree_collection((0,), False, 0, False),
               tree_nothing_counted(()), tree_nothing_counted((0,)), logs_say_never])
