"""The TLB model (--tlb=yes): misses and page walks of strided walks against
TLBs of known geometry, computed by the small LRU model below (written from
the geometry alone, not from vmtrace's code), a THP region, and the flushes
of munmap, mprotect, MADV_DONTNEED and exec.

How the figures arise.  tests/clients/tlb.c fills the region (its faults:
each flushes the faulting page's entries, Intel SDM 4.10.4.1, then the
retried access misses), flushes the whole TLB (munmap of 64 present pages:
more than tlb_single_page_flush_ceiling = 33, so flush_tlb_mm_range flushes
all), then walks the region with nothing else referenced in between.  What
the program referenced between the flush and the walk is older than every
region entry, so LRU evicts it first: a set's region entries are evicted
only when the set holds nothing else, as in an empty TLB.  The region's
label counts only the region's references, so its figures are those of the
region's reference string against an empty TLB: model() below.  Every
scenario runs with --fast-path=yes and =no, and tests/run asserts the
output files are the same (the filter drops only references that hit the
first level, and the model orders a set by the stamps they leave)."""

from vmtest import Expect, OutputError, find_label, label_range
from .scenario import scenario
from .checks import misplaced

PAGE = 4096
SHIFT = {"4K": 12, "2M": 21, "1G": 30}


class Level:
    """One TLB array: `entries` entries, `ways` ways, sets = entries / ways
    (any number), a page of the array's size at virtual address va in set
    (va >> shift) % sets, LRU within a set."""

    def __init__(self, entries, ways):
        self.ways = ways
        self.sets = [[] for _ in range(entries // ways)]   # most recent last

    def lookup(self, vpn):
        s = self.sets[vpn % len(self.sets)]
        if vpn in s:
            s.remove(vpn)
            s.append(vpn)
            return True
        return False

    def fill(self, vpn):
        s = self.sets[vpn % len(self.sets)]
        if len(s) == self.ways:
            s.pop(0)
        s.append(vpn)


def model(addrs, l1, l2=None, size="4K"):
    """(first-level misses, walks) of the references to addrs, in order,
    starting empty: a first-level miss looks in l2 (if any); a miss there
    walks and fills both, a hit fills the first level."""
    miss = walks = 0
    for a in addrs:
        vpn = a >> SHIFT[size]
        if l1.lookup(vpn):
            continue
        miss += 1
        if l2 is not None and l2.lookup(vpn):
            l1.fill(vpn)
            continue
        walks += 1
        if l2 is not None:
            l2.fill(vpn)
        l1.fill(vpn)
    return miss, walks


def tlb_of(out, label, phase):
    """A label's TLB figures in a phase (a phase in which the label had no
    fault and no miss is not listed: zeros)."""
    lab = find_label(out, label)
    phases = lab.get("phases") or {}
    if phase not in phases:
        return {"dtlb_misses": 0, "itlb_misses": 0, "dtlb_walks": 0, "itlb_walks": 0}
    got = phases[phase].get("tlb")
    if not isinstance(got, dict):
        raise OutputError("label %r phase %r has no tlb figures: %r"
                          % (label, phase, (lab.get("phases") or {}).get(phase)))
    return got


def expect_tlb(phase, misses, walks=None, label="region"):
    """The label's data TLB figures in the phase; misses and walks may be
    functions of the label's base address."""
    def check(out, r, extra):
        base, _ = label_range(out, label)
        m = misses(base) if callable(misses) else misses
        w = walks(base) if callable(walks) else walks
        if isinstance(m, tuple):
            m, w = m
        got = tlb_of(out, label, phase)
        want = {"dtlb_misses": m, "dtlb_walks": m if w is None else w}
        have = {k: got.get(k) for k in want}
        if have != want:
            return ["label %r phase %r: expected %s, got %s" % (label, phase, want, have)]
        return []
    return check


def timeline_sums(out, r, extra):
    """The timeline's per-sample series add up to the totals."""
    tl = (out.get("timeline") or {}).get("tlb")
    tot = (out.get("totals") or {}).get("tlb")
    if tl is None or tot is None:
        return ["timeline.tlb or totals.tlb missing"]
    errs = []
    for k in ("dtlb_misses", "itlb_misses", "dtlb_walks", "itlb_walks"):
        if sum(tl[k]) != tot[k]:
            errs.append("timeline.tlb.%s sums to %d, totals.tlb.%s is %d"
                        % (k, sum(tl[k]), k, tot[k]))
    sec = out.get("tlb") or {}
    if sec.get("data", {}).get("l1_misses") != tot["dtlb_misses"] or \
            sec.get("instruction", {}).get("walks") != tot["itlb_walks"]:
        errs.append("tlb section %s disagrees with totals.tlb %s" % (sec, tot))
    return errs


def top_order(out, r, extra):
    """tlb.instructions is ordered by misses (data and fetch), most first,
    equal counts by the instruction's address (docs/output-format.md)."""
    rows = (out.get("tlb") or {}).get("instructions") or []
    keys = [(-(x["dtlb_misses"] + x["itlb_misses"]), int(x["where"].split(":")[0], 16),
             -x["dtlb_misses"]) for x in rows]
    if keys != sorted(keys):
        return ["tlb.instructions out of order: %s"
                % [(x["where"], x["dtlb_misses"] + x["itlb_misses"]) for x in rows[:8]]]
    if len(set(k[0] for k in keys)) == len(keys):
        return ["tlb.instructions has no equal counts: the case tests no tie"]
    return []


def walk_addrs(n, rounds, stride):
    return lambda base: [base + i * stride * PAGE for _ in range(rounds) for i in range(n)]


def walk_case(name, n, rounds, stride, args, l1, l2=None, fill_misses=None):
    """walk N R S under the TLB options args; l1/l2: (entries, ways) of the
    data side's levels, for the model."""
    def figures(base):
        return model(walk_addrs(n, rounds, stride)(base), Level(*l1),
                     Level(*l2) if l2 else None)
    scenario("tlb/" + name, "tlb", ["walk", str(n), str(rounds), str(stride)], [
        Expect("region", "fill", pages=n, anon=n),
        Expect("region", "walk"),
    ], vm_args=["--tlb=yes"] + args,
        checks=[expect_tlb("walk", figures), timeline_sums,
                # the fill: one fault, one miss and one walk per page
                expect_tlb("fill", n if fill_misses is None else fill_misses)])


FA64 = ["--tlb-l1d=64:64", "--tlb-l2=none"]
# Fully associative, 64 entries, no second level (every miss walks).
# N = 32 <= 64 pages read 3 times: the first round's 32 misses only.
walk_case("walk fits", 32, 3, 1, FA64, (64, 64))
# N = 96 > 64 in a row, 3 times: LRU evicts each page before its next
# use, 96 * 3 = 288 misses.
walk_case("walk thrashes", 96, 3, 1, FA64, (64, 64))
# 64 entries, 4 ways: 16 sets; 16 pages apart every page is in one set.
# 4 of them fit its 4 ways: 4 misses; 5 thrash it: 5 * 5 = 25.
SET4 = ["--tlb-l1d=64:4:4K", "--tlb-l2=none"]
walk_case("walk one set fits", 4, 5, 16, SET4, (64, 4))
walk_case("walk one set thrashes", 5, 5, 16, SET4, (64, 4))
# Not a power of two: 24 entries, 4 ways, 6 sets (set = page mod 6).
# 24 pages in a row: 4 per set, all fit (24); 30: 5 per set, 30 * 3 = 90.
SET6 = ["--tlb-l1d=24:4:4K", "--tlb-l2=none"]
walk_case("walk 6 sets fits", 24, 3, 1, SET6, (24, 4))
walk_case("walk 6 sets thrashes", 30, 3, 1, SET6, (24, 4))
# Two levels: a 16-entry 4-way first level that 200 pages thrash (600
# misses) in front of a 1,536-entry 12-way second level (128 sets, at most
# 2 of the 200 pages per set) that holds them: 200 walks.  The instruction
# side has its own second level (--tlb-l2i), so code fetches stay out.
walk_case("walk two levels", 200, 3, 1,
          ["--tlb-l1d=16:4:4K", "--tlb-l2=1536:12:4K/2M", "--tlb-l2i=64:4"],
          (16, 4), (1536, 12))
# The Skylake preset (the default): 4 KiB data pages in a 64-entry 4-way
# first level and the 1,536-entry 12-way shared second level.  200 pages:
# 13 per first-level set (thrash, 600 misses), at most 2 per second-level
# set (200 walks); instruction fetches share the second level but cannot
# fill 10 of its 12 ways in one set.
walk_case("walk skylake", 200, 3, 1, [], (64, 4), (1536, 12))
# 2,048 pages against the same: 16 per second-level set, more than its 12
# ways: every reference walks, 2 * 2048.
walk_case("walk skylake thrashes", 2048, 2, 1, [], (64, 4), (1536, 12))


def hot_addrs(n, rounds, stride):
    return lambda base: [base + k * stride * PAGE for _ in range(rounds)
                         for i in range(1, n) for k in (0, i)]


def hot_case(name, n, rounds, stride, args, l1, l2=None):
    """hot N R S: page 0 read before each other page, R times over.  Page
    0's reads hit the first level, and the filter absorbs them, so LRU keeps
    page 0 only if the model learns of the hits the filter absorbed (their
    order, not only their count): page 0 would otherwise be the least
    recently used of its set at each fill and miss every time.  Many
    rounds cross many working-set epochs (4,096 instructions each)."""
    def figures(base):
        return model(hot_addrs(n, rounds, stride)(base), Level(*l1),
                     Level(*l2) if l2 else None)
    scenario("tlb/" + name, "tlb", ["hot", str(n), str(rounds), str(stride)], [
        Expect("region", "fill", pages=n, anon=n),
        Expect("region", "walk"),
    ], vm_args=["--tlb=yes"] + args,
        checks=[expect_tlb("walk", figures), timeline_sums, expect_tlb("fill", n)])


# One 4-way set, 5 pages: page 0 stays, pages 1-4 take turns in the other
# three ways: 1 + 4 misses in the first round, 4 in each later one (4 * 500
# + 1 = 2,001).
hot_case("hot one set", 5, 500, 16, SET4, (64, 4))
# Skylake: the same in the first level; the second level (128 sets) holds
# the 5 pages in 5 sets, so only the first round walks: 5 walks.
hot_case("hot skylake", 5, 500, 16, [], (64, 4), (1536, 12))


# A system call's reference to a page the filter holds under the open
# epoch (read()'s warm-up buffer on the stack, then the region) while a
# simulation takes every absorbed hit (LRU): the TLB sees it once.  It was
# counted twice (a first-level hit, then the walk's lookup), so the
# output's tlb.accesses differed between the fast path and the slow
# (yes==no).  The figures of syscalls/read hold.
scenario("tlb/syscall read with lru", "syscall_touch", ["read"], [
    Expect("buf", "call", pages=10, anon=10),
    Expect("buf", "after"),
], vm_args=["--tlb=yes", "--ram=1G", "--policy=lru"])


# ---- huge pages --------------------------------------------------------------
# 8 MiB, 2 MiB-aligned, MADV_HUGEPAGE under --thp=madvise: 4 `thp` faults
# (tests/scenarios/thp.py), one 2 MiB entry each.  The fill writes every
# 4 KiB page: the first write in each 2 MiB faults and misses (4), the
# other 511 hit its 2 MiB entry.  After the flush the walk reads all 2,048
# pages twice: one miss and one 3-level walk per 2 MiB (the Skylake
# preset's 2 MiB first-level array has 8 sets of 4 ways: 4 misses), the
# rest hit.  Nothing else in the process is huge: the process walked 8
# 2 MiB pages, walks_2m = 8.
def walks_2m(n):
    def check(out, r, extra):
        got = (out.get("tlb") or {}).get("data", {}).get("walks_2m")
        if got != n:
            return ["tlb.data.walks_2m: expected %d, got %s" % (n, got)]
        return []
    return check


scenario("tlb/thp", "tlb", ["thp"], [
    Expect("region", "fill", pages=2048, thp=4),
    Expect("region", "walk"),
], vm_args=["--tlb=yes", "--thp=madvise", "--thp-zero-page=yes"],
    checks=[expect_tlb("fill", 4), expect_tlb("walk", 4), walks_2m(8), timeline_sums])
# One first-level data array of 2 ways holding every size (--tlb-l1d=2:2,
# as the Zen presets' first levels hold all sizes), a 2 MiB entry beside
# 4 KiB ones: per round H S H H T H U (H the huge page's first byte, S T U
# the small pages).  LRU keeps H (referenced between any two small pages)
# and evicts the other small page: after the flush H misses once (and
# walks: the second level was flushed too), each small reference misses
# (3 R), and only the first round's walk (the second level, 128 sets,
# keeps them).  H's references after its first are the filter's, so the
# fill choosing the victim must count the 2 MiB entry's stamps in a set
# filled with a 4 KiB page (the model once did not: 749 misses of H in the
# walk with the fast path, 1 without).
scenario("tlb/thp mixed set", "tlb", ["thpmix", "500"], [
    Expect("region", "fill", pages=512, thp=1),
    Expect("small", "fill", pages=3, anon=3),
    Expect("region", "walk"),
    Expect("small", "walk"),
], vm_args=["--tlb=yes", "--thp=madvise", "--thp-zero-page=yes", "--tlb-l1d=2:2"],
    checks=[expect_tlb("walk", (1, 1)), expect_tlb("walk", (1500, 3), label="small"),
            walks_2m(2), top_order],
    # The studied phases are checked in both runs (expect_tlb); before
    # them, a first level of 2 entries registers every difference in the
    # program's start under Valgrind, whose references vary from run to
    # run by a few addresses with the same instructions (10,826 to 10,829
    # misses in all over 6 runs of one command, without address-space
    # randomization, in one directory; fast path or not).
    varying_tlb="a 2-entry first level sees the start's run-to-run variation")
# --thp=never: 2,048 4 KiB pages, the model's figures (every reference
# misses both levels: 4,096 of each).
scenario("tlb/thp thp=never", "tlb", ["thp"], [
    Expect("region", "fill", pages=2048, anon=2048),
    Expect("region", "walk"),
], vm_args=["--tlb=yes", "--thp=never"],
    checks=[expect_tlb("walk", lambda base: model(walk_addrs(2048, 2, 1)(base),
                                                  Level(64, 4), Level(1536, 12))),
            walks_2m(0)])

# 4 MiB mapped without an address, MADV_HUGEPAGE, written one byte every
# 4 KiB (tests/clients/thp.c, mode placed): the kernel would have put it
# 2 MiB-aligned (tests/scenarios/thp.py, thp/placed), Valgrind put it
# elsewhere (misplaced: the case tells).  Each of its two huge pages is one
# 2 MiB entry of the kernel's address, whatever Valgrind's address: the
# first write in each faults (`thp`) and misses (2 misses, 2 walks of 3
# levels), the other 1,022 hit.  Tagged by Valgrind's address, each huge
# page would lie across two 2 MiB frames and take two entries: 4 misses,
# 4 walks.
scenario("tlb/thp-placed", "thp", ["placed"], [
    Expect("region", "write", pages=1024, thp=2),
], vm_args=["--tlb=yes", "--thp=madvise", "--thp-zero-page=yes"],
    checks=[misplaced("region"), expect_tlb("write", 2), walks_2m(2)])

# ---- flushes -----------------------------------------------------------------
# A 64-entry fully associative first level, no second: 8 region pages stay
# cached across each step (the program's other pages, fewer than 56, cannot
# evict them) unless the step flushes them.  Each step's flush as the kernel
# does it (flush_tlb_mm_range over the span of the PTEs it changed): munmap
# or mprotect of 4 other pages flushes those 4 (0 misses after); of 64 others
# flushes everything (8); mprotect of the region flushes its 8 pages (8);
# MADV_DONTNEED of 64 others flushes all (8), of the region its pages, which
# the reads then fault back in from the zero page (8 `zero`, 8 misses).
# The region is written before it is labelled: its label sees no `anon`.
FLUSH = [("walk", 8), ("munmap-small", 0), ("munmap-big", 8), ("mprotect-small", 0),
         ("mprotect-big", 8), ("mprotect-self", 8), ("dontneed-big", 8),
         ("dontneed-self", 8)]
scenario("tlb/flush", "tlb", ["flush"],
         [Expect("region", ph, **({"zero": 8} if ph == "dontneed-self" else {}))
          for ph, _ in FLUSH],
         vm_args=["--tlb=yes"] + FA64,
         checks=[expect_tlb(ph, n) for ph, n in FLUSH] + [timeline_sums])


# ---- a write to the code's own page ------------------------------------------
# A page of code, written and then shared copy-on-write by fork (the child
# exits at once, so the parent's write reuses the page: `wp_reuse`).  The
# call fetches the page (the fork flushed the TLB: a miss and a walk),
# stores to it (the write fault flushes the page's entries, Intel SDM
# 4.10.4.1; the retried store misses and walks: 1 data miss, 1 walk), then
# fetches the next instruction from it: the instruction entry is gone, a
# miss, but the store's fill left the page in the shared second level: no
# walk.  Instruction side 2 misses, 1 walk; the same with and without the
# fast path (a second fetch from a page in a superblock is checked again
# after a data access).
def parent_tlb(phase, want):
    def check(tree, r, extra):
        got = tlb_of(tree.image((), -1).out, "region", phase)
        have = {k: got.get(k) for k in want}
        if have != want:
            return ["region %s: expected %s, got %s" % (phase, want, have)]
        return []
    return check


scenario("tlb/selfwrite", "tlb", ["selfwrite"], [
    Expect("region", "call", proc="parent", wp_reuse=1),
], procs={"parent": ((), -1)}, tree="exit(exit)", vm_args=["--tlb=yes"],
    checks=[parent_tlb("call", {"dtlb_misses": 1, "dtlb_walks": 1,
                                "itlb_misses": 2, "itlb_walks": 1})])
# The same code first run while its page is read-execute, storing to
# another page ("first": Valgrind translates it then and keeps the
# translation across mprotect), then made read-write-execute by mprotect
# (which flushes the page's entries): the same figures for the call.  A
# check left out of a translation made while the page was not writable
# would lose the second instruction miss here.
scenario("tlb/selfwrite mprotect", "tlb", ["selfwrite-mprotect"], [
    Expect("region", "first", proc="parent"),
    Expect("region", "call", proc="parent", wp_reuse=1),
], procs={"parent": ((), -1)}, tree="exit(exit)", vm_args=["--tlb=yes"],
    checks=[parent_tlb("call", {"dtlb_misses": 1, "dtlb_walks": 1,
                                "itlb_misses": 2, "itlb_walks": 1})])

# ---- exec ----------------------------------------------------------------------
# execve replaces the mm: the new image's TLB starts empty and counts
# afresh.  Each image writes 8 fresh pages (8 `anon`: 8 faults, 8 misses)
# and reads them (0 misses: the faults left them cached).
def image_tlb(position, image, phase, n):
    def check(tree, r, extra):
        out = tree.image(position, image).out
        got = tlb_of(out, "region", phase).get("dtlb_misses")
        if got != n:
            return ["image %d: region %s: expected %d data TLB misses, got %s"
                    % (image, phase, n, got)]
        return []
    return check


scenario("tlb/exec", "tlb", ["exec"], [
    Expect("region", "fill", pages=8, proc=role, anon=8) for role in ("before", "after")
] + [Expect("region", "walk", proc=role) for role in ("before", "after")],
    procs={"before": ((), 0), "after": ((), 1)}, tree="exec>exit",
    vm_args=["--trace-children=yes", "--tlb=yes"] + FA64,
    checks=[image_tlb((), i, ph, n) for i in (0, 1) for ph, n in (("fill", 8), ("walk", 0))])


# ---- fork ------------------------------------------------------------------------
# fork write-protects the parent's pages and flushes its whole TLB
# (dup_mmap's flush_tlb_mm); the child is a new mm with an empty TLB.
# The parent's 8 region pages: 8 misses after the flush ("walk"), 0 read
# again ("rewalk"); the child's read of them 8 (its TLB starts empty; the
# pages are shared copy-on-write, a read takes no fault); the parent's read
# after reaping the child 8 (the fork flushed them; without that flush 0).
scenario("tlb/fork", "tlb", ["fork"], [
    Expect("region", "walk", proc="parent"),
    Expect("region", "rewalk", proc="parent"),
    Expect("region", "child-walk", proc="child"),
    Expect("region", "after-fork", proc="parent"),
], procs={"parent": ((), -1), "child": ((0,), -1)}, tree="exit(exit)",
    vm_args=["--tlb=yes"] + FA64,
    checks=[image_tlb((), -1, "walk", 8), image_tlb((), -1, "rewalk", 0),
            image_tlb((0,), -1, "child-walk", 8), image_tlb((), -1, "after-fork", 8)])


# ---- the Cachegrind file ---------------------------------------------------------
# --cg-out-file: DTlbMiss ITlbMiss DTlbWalk ITlbWalk after the fault events;
# the summary's DTlbMiss is the process's first-level data misses, and the
# walk's line (tlb.c, the read in walk()) carries at least the region's 288.
def cg_tlb(out, r, extra):
    if "tlb.cg.out" not in r.files:
        return ["no tlb.cg.out written"]
    lines = r.files["tlb.cg.out"].splitlines()
    events = next(l for l in lines if l.startswith("events:")).split()[1:]
    summary = [int(x) for x in next(l for l in lines if l.startswith("summary:")).split()[1:]]
    errs = []
    if events[-4:] != ["DTlbMiss", "ITlbMiss", "DTlbWalk", "ITlbWalk"]:
        return ["cg events: %s" % events]
    sec = out.get("tlb") or {}
    want = [sec["data"]["l1_misses"], sec["instruction"]["l1_misses"],
            sec["data"]["walks"], sec["instruction"]["walks"]]
    if summary[-4:] != want:
        errs.append("cg summary TLB events %s, the output's %s" % (summary[-4:], want))
    best, fl = 0, None
    for l in lines:
        if l.startswith("fl="):
            fl = l[3:]
        elif l[:1].isdigit() and fl and fl.endswith("tlb.c"):
            best = max(best, int(l.split()[-4]))
    if best < 288:
        errs.append("no line of tlb.c with 288 DTlbMiss or more (best %d)" % best)
    return errs


scenario("tlb/cg", "tlb", ["walk", "96", "3", "1"], [
    Expect("region", "fill", pages=96, anon=96),
    Expect("region", "walk"),
], vm_args=["--tlb=yes", "--cg-out-file=@TMP@/tlb.cg.out"] + FA64,
    checks=[expect_tlb("walk", 288), cg_tlb])
