"""The address space at its edges (issue 15): calls that fail half-way
having done their first half, MADV_POPULATE_READ/WRITE up to a hole, guard
regions, the kind of anonymous memory next to a file's data, and reads
Valgrind announces for a call that succeeded without them."""

import os
import re

from vmtest import Expect, label_range
from .scenario import scenario
from .proc_checks import at
from .checks import invalid_access, mapping_figures, mapping_kind, no_invalid, vma_layout


def kernel_at_least(major, minor):
    m = re.match(r"(\d+)\.(\d+)", os.uname().release)
    return m is not None and (int(m.group(1)), int(m.group(2))) >= (major, minor)


def adjacent(first, second):
    """The label `second` begins where the label `first` ends."""
    def check(out, r, extra):
        _, end = label_range(out, first)
        start, _ = label_range(out, second)
        if start != end:
            return ["label %r begins at %#x, not where %r ends (%#x): the kernel did "
                    "not take the hint" % (second, start, first, end)]
        return []
    return check


def info_is(key, value):
    def check(out, r, extra):
        if r.info(key) != value:
            return ["the client printed INFO %s=%s, expected %s" % (key, r.info(key), value)]
        return []
    return check


# ---- a call that fails half-way has done its first half --------------------
# "a" (2 pages), a hole, "b" (2 pages), all written: 4 first writes, 2
# `anon` each.  mprotect(PROT_READ) over the 5 pages: do_mprotect_pkey walks
# the VMAs from the start, changes a's, meets the hole and returns ENOMEM;
# b's VMA is never reached.  Writing the 4 pages again: a's are read-only
# now, access_error -> SIGSEGV for each (2 invalid, not counted in min_flt;
# the client catches them); b's are written as before (0).
scenario("edges/mprotect-hole", "edges", ["mprotect-hole"], [
    Expect("a", "write", pages=2, anon=2),
    Expect("b", "write", pages=2, anon=2),
    Expect("a", "after", invalid=2),
    Expect("b", "after"),
], facts={"segv-a": 2, "segv-b": 0}, checks=[
    vma_layout("a", [(0, 2, "r--p")]),
    vma_layout("b", [(0, 2, "rw-p")]),
    invalid_access("protection", "write", exact_total=2),
])
# "a" (2 pages, private anonymous, PROT_NONE, MAP_LOCKED: nothing
# populated), "b" (2 pages of a file opened read-only, shared PROT_READ: no
# VM_MAYWRITE) and "c" (2 pages, private anonymous, PROT_READ), one after
# the other.  mprotect(PROT_READ|PROT_WRITE) over the 6 pages: the walk
# changes a's VMA, and mprotect_fixup populates it for writing (a private
# VM_LOCKED VMA becoming writable: 2 `anon`); at b, the new flags want
# VM_WRITE without VM_MAYWRITE: EACCES, b and c untouched.  Writing a and c
# then: a's pages are mapped writable (0), c's are read-only (2 invalid,
# SIGSEGV caught).  Before 2026-12-06 vmtrace left every VMA unchanged
# after EACCES: 0 faults in "mprotect", a's writes invalid (tests/kernelfuzz
# seed 97 FORK 1 OPS 0x1ff s050: 1 fault natively, 0 here).
scenario("edges/mprotect-eacces", "edges", ["mprotect-eacces"], [
    Expect("a", "mprotect", anon=2),
    Expect("a", "write", pages=2),
    Expect("c", "write", invalid=2),
], facts={"present-a": 2, "segv-a": 0, "segv-c": 2}, checks=[
    vma_layout("a", [(0, 2, "rw-p")]),
    vma_layout("b", [(0, 2, "r--s")]),
    vma_layout("c", [(0, 2, "r--p")]),
    invalid_access("protection", "write", exact_total=2),
])
# madvise(MADV_DONTNEED) over the same layout: madvise_walk_vmas gives the
# advice to every VMA of the range, skipping the hole, and only then fails
# with ENOMEM: all 4 pages are dropped, and written again each is a fresh
# zero-filled page: 2 `anon` on each side.
scenario("edges/dontneed-hole", "edges", ["dontneed-hole"], [
    Expect("a", "write", pages=2, anon=2),
    Expect("b", "write", pages=2, anon=2),
    Expect("a", "rewrite", anon=2),
    Expect("b", "rewrite", anon=2),
], checks=[
    mapping_figures("a", resident=2, anon=4),
    mapping_figures("b", resident=2, anon=4),
])

# madvise(MADV_DONTNEED) over "a", "b" and "c" (2 pages each, adjacent),
# "b" mlock()ed: madvise_walk_vmas gives the advice VMA by VMA and stops
# at the first error: a's pages are zapped, then b, being VM_LOCKED, is
# refused (madvise_dontneed_free_valid_vma) and the call fails with EINVAL
# there, c untouched.  Written again: a's 2 pages are fresh zero-filled
# ones, 2 `anon`; b's and c's cost 0.  Before 2026-12-06 vmtrace took an
# EINVAL for "nothing done": 0 for a too.
scenario("edges/dontneed-locked", "edges", ["dontneed-locked"], [
    Expect("a", "write", pages=2, anon=2),
    Expect("b", "write", pages=2, anon=2),
    Expect("c", "write", pages=2, anon=2),
    Expect("a", "rewrite", anon=2),
    Expect("b", "rewrite"),
    Expect("c", "rewrite"),
], checks=[
    mapping_figures("a", resident=2, anon=4),
    mapping_figures("b", resident=2, anon=2),
    mapping_figures("c", resident=2, anon=2),
])

# MADV_REMOVE stops likewise at the first VMA madvise_remove refuses: one
# without a file (EINVAL), one not shared (EACCES); the VMAs before it are
# punched.  A 4-page memfd: "a" maps its pages 0-1 shared, "b" is private
# anonymous memory after it; each page written: 2 `file_shared` (a hole of
# shared memory written: do_shared_fault) and 2 `anon`.  MADV_REMOVE over
# both punches pages 0-1 out of the memfd (a's PTEs zapped), then fails
# with EINVAL at b.  "c" maps pages 2-3 shared, "d" pages 0-1 private,
# after it; written: 2 `file_shared`, and 2 `file_cow` (do_cow_fault reads
# the memfd's page, allocating the punched pages 0-1 again, and copies
# it).  MADV_REMOVE over c and d punches 2-3, then fails with EACCES at d.
# Read: a's pages exist again (d's faults made them): one read fault maps
# both (fault-around), 1 `file_read`; b's and d's are mapped: 0; c's are
# holes: each read allocates one, and fault-around maps only pages that
# exist: 2 `file_read`.  Before 2026-12-06 vmtrace took the failures for
# "nothing done": 0 on every read.
scenario("edges/remove-partway", "edges", ["remove-partway"], [
    Expect("a", "write", pages=2, file_shared=2),
    Expect("b", "write", pages=2, anon=2),
    Expect("c", "write2", pages=2, file_shared=2),
    Expect("d", "write2", pages=2, file_cow=2),
    Expect("a", "read-a", file_read=1),
    Expect("b", "read-b"),
    Expect("c", "read-c", file_read=2),
    Expect("d", "read-d"),
])

# A shared mapping without VM_MAYWRITE refuses MADV_REMOVE (EACCES:
# vma_is_shared_maywrite) too: a SysV segment attached SHM_RDONLY, a file
# (here a memfd) mapped shared through a descriptor opened O_RDONLY
# (do_mmap clears VM_MAYWRITE and VM_SHARED).  A 4-page memfd: "a" maps
# its pages 0-1 shared, the attach follows; "c" maps pages 2-3 shared, the
# memfd's pages 0-1 follow, mapped read-only through the read-only
# descriptor.  a and c written: 4 `file_shared`.  MADV_REMOVE over a and
# the attach punches pages 0-1, then fails with EACCES; over c and the
# read-only mapping, punches 2-3, then fails.  Read, each page of a and c
# is a hole again: 2 `file_read` each (fault-around maps only pages that
# exist).  Before 2026-12-06 vmtrace did not know VM_MAYWRITE, took those
# failures for "nothing done", and read a and c at no cost (tests/kernelfuzz
# seed 2186, 150 steps, FORK 1 OPS 0x1ff: s100's MADV_REMOVE stopped at a
# SHM_RDONLY attach; the grandchild of s106 read the punched page at 1
# fault natively, 0 here).
scenario("edges/remove-maywrite", "edges", ["remove-maywrite"], [
    Expect("a", "write", pages=2, file_shared=2),
    Expect("c", "write", pages=2, file_shared=2),
    Expect("a", "read-a", file_read=2),
    Expect("c", "read-c", file_read=2),
])

# mremap(MREMAP_MAYMOVE | MREMAP_FIXED) of a range of several VMAs without
# resizing it: Linux 6.17's remap_move moves each VMA of the range to the
# same offset from the new address (before 6.17: EFAULT).  "src", 6
# written pages, pages 2-3 mlock()ed (three VMAs), moved whole to "dst":
# the PTEs move, writing the 6 at dst costs 0; src is unmapped, each write
# there is a SIGSEGV: 6 invalid accesses.  Before 2026-12-06 vmtrace moved
# the first VMA only (with every PTE of the range): the writes at dst cost
# 0 all the same, but src's last 4 pages stayed mapped, empty, and their
# writes were 4 `anon` faults, 2 invalid.
scenario("edges/mremap-multi", "edges", ["mremap-multi"], [
    Expect("src", "write", pages=6, anon=6),
    Expect("dst", "move"),
    Expect("dst", "move-write"),
    Expect("src", "src-write", invalid=6),
], facts={"segv-src": 6})

# MADV_WIPEONFORK likewise stops at the first VMA madvise_vma_behavior
# refuses it (EINVAL: one with a file, or shared), the VMAs before it
# advised.  "a": 2 private anonymous pages, "b": a 2-page memfd mapped
# shared after it; written: 2 `anon`, 2 `file_shared`.  MADV_WIPEONFORK
# over both marks a, then fails at b.  Fork: a is wiped in the child (no
# page, no PTE): its reads map the zero page, 2 `zero`; b is shared
# without an anon_vma, so fork copies none of its PTEs: the first read
# faults and fault-around maps both pages, 1 `file_read`.  Before
# 2026-12-06 vmtrace took the failure for "nothing done": the child had
# a's pages, 0 faults (tests/kernelfuzz seed 47 with 150 steps).
scenario("edges/wipeonfork-partway", "edges", ["wipeonfork-partway"], [
    Expect("a", "write", pages=2, proc="parent", anon=2),
    Expect("b", "write", pages=2, proc="parent", file_shared=2),
    Expect("a", "child-read-a", proc="child", zero=2),
    Expect("b", "child-read-b", proc="child", file_read=1),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)")

# mremap in place resizes the VMA that holds the range (vma_to_resize;
# growing: vma_expand), never splitting it where the range starts.  "f":
# a 64-page file's pages 0-5 mapped private read-only, 64 KiB-aligned, the
# 2 pages after unmapped.  mremap of pages 4-5 to the same 2 pages: one
# VMA still, so the first read fault maps all 6 around it (the 16-page
# window): 1 `file_read`.  mremap of pages 4-5 to 4 pages grows the VMA
# over pages 6-7; MADV_DONTNEED over the 8, read: 1 `file_read` again.
# Before 2026-12-06 vmtrace split the VMA at page 4 for good: 2 and 2
# (tests/kernelfuzz seed 46 with 150 steps: a child's read of a split
# file mapping, 2 faults where Linux took 1).
scenario("edges/mremap-inplace", "edges", ["mremap-inplace"], [
    Expect("f", "read", pages=6, file_read=1),
    Expect("f", "read-grown", pages=2, file_read=1),
])

# ---- mlock merges the VMAs before it populates --------------------------------
# "f": a 64-page cached file's pages 0-7 mapped shared PROT_NONE, 64 KiB-
# aligned.  mlock of pages 4-7 fails with ENOMEM (GUP refuses PROT_NONE),
# leaving them a locked VMA of their own; mprotect(PROT_READ) of the 8
# keeps the two apart (VM_LOCKED differs) and populates nothing (not
# writable).  mlock of the 8: mlock_fixup locks 0-3, vma_modify_flags
# merges them with 4-7, then __mm_populate faults page 0: fault-around maps
# all 8 (one VMA now): 1 `file_read`, and reading them costs nothing.
# Before 2026-12-06 vmtrace populated before merging: fault-around stopped
# at page 4, 2 faults (tests/kernelfuzz seed 1379 s024: 3 against 2).
scenario("edges/mlock-merge", "edges", ["mlock-merge"], [
    Expect("f", "mlock", file_read=1),
    Expect("f", "read", pages=8),
])

# ---- MADV_POPULATE_READ/WRITE up to a hole ------------------------------------
# "a" (8 pages), a hole, "b" (8 pages), untouched.  MADV_POPULATE_READ over
# the 17 pages: faultin_page_range -> get_user_pages from a's first page,
# one read fault a page: do_anonymous_page maps the zero page, 8 `zero`;
# at the hole GUP finds no VMA (and grows none), the call fails with
# ENOMEM: b is not populated (pagemap: 8 present in a, 0 in b).
# MADV_POPULATE_WRITE the same way: FOLL_WRITE on a's present zero-page
# PTEs: do_wp_page copies, 8 `wp_copy`, then ENOMEM at the hole.
# Populating is the kernel's doing, no reference of the program's: a's
# pages are first referenced when written afterwards (8 pages touched),
# writable already (0 faults).
scenario("edges/populate-hole", "edges", ["populate-hole"], [
    Expect("a", "populate-read", zero=8),
    Expect("b", "populate-read"),
    Expect("a", "populate-write", wp_copy=8),
    Expect("b", "populate-write"),
    Expect("a", "write", pages=8),
], facts={"present-a-read": 8, "present-b-read": 0, "present-a-write": 8}, checks=[
    mapping_figures("a", resident=8, zero=8, wp_copy=8),
    mapping_figures("b", resident=0),
])

# ---- guard regions ------------------------------------------------------------
# "region", 8 pages, written: 8 `anon`.  MADV_GUARD_INSTALL (Linux 6.13) on
# its first 4 pages zaps them (4 resident left, pagemap) and leaves guard
# markers: each write to them is VM_FAULT_SIGSEGV from handle_pte_marker,
# no fault counted, 4 SIGSEGVs (invalid, reason guard).  MADV_DONTNEED over
# the 8 pages keeps the markers (only unmapping drops them): 4 SIGSEGVs
# again.  MADV_GUARD_REMOVE clears the markers; writing the 8 pages then
# faults each in afresh (DONTNEED dropped the other 4): 8 `anon`.
# A kernel without guard regions refuses both calls with EINVAL and
# changes nothing: the first 4 pages stay mapped and writable (0, no
# SIGSEGV); after MADV_DONTNEED 4 `anon`, and the rewrite 4 `anon` more.
if kernel_at_least(6, 13):
    scenario("edges/guard", "edges", ["guard"], [
        Expect("region", "write", pages=8, anon=8),
        Expect("region", "install"),
        Expect("region", "write-guard", invalid=4),
        Expect("region", "write-guard2", invalid=4),
        Expect("region", "remove"),
        Expect("region", "rewrite", anon=8),
    ], facts={"resident-install": 4, "segv-guard": 4, "segv-guard2": 4}, checks=[
        info_is("guard", 1),
        mapping_figures("region", resident=8, anon=16, invalid=8),
        invalid_access("guard", "write", exact_total=8),
    ])
else:
    scenario("edges/guard", "edges", ["guard"], [
        Expect("region", "write", pages=8, anon=8),
        Expect("region", "install"),
        Expect("region", "write-guard"),
        Expect("region", "write-guard2", anon=4),
        Expect("region", "remove"),
        Expect("region", "rewrite", anon=4),
    ], facts={"resident-install": 8, "segv-guard": 0, "segv-guard2": 0}, checks=[
        info_is("guard", 0),
        mapping_figures("region", resident=8, anon=16),
        no_invalid,
    ])

# Guard regions in a shared mapping, then fork (Linux 6.15 on, which
# takes guards in file and shared VMAs).  Installing them prepares an
# anon_vma even there, so vma_needs_copy is true and fork copies the VMA's
# page tables: the markers, and the present PTEs of the 12 shared pages
# the parent wrote.  The child's reads of those 12 cost nothing (without
# the guards the child would fault them in again), and its writes to the
# 4 guarded pages are 4 SIGSEGVs (invalid, reason guard), no fault.  The
# SIGSEGVs' own faults (the signal frame on the child's copy-on-write
# stack) are outside the region, so that phase's ORACLE is not compared.
def child_guard_segvs(n):
    """The child's output: n invalid accesses, each a write to a guard."""
    def check(tree, r, extra):
        out = tree.image((0,), -1).out
        inv = ((out.get("totals") or {}).get("faults") or {}).get("invalid")
        ia = [(a.get("reason"), a.get("access")) for a in out.get("invalid_accesses") or []]
        if inv != n or ia != [("guard", "write")] * n:
            return ["child: expected %d invalid writes to a guard, got totals.faults."
                    "invalid %s and invalid_accesses %s" % (n, inv, ia)]
        return []
    return check


def guard_fork(kind, parent_class):
    scenario("edges/guard-fork " + kind, "edges", ["guard-fork", kind], [
        Expect("region", "write", pages=16, proc="parent", **{parent_class: 16}),
        Expect("region", "child-read", proc="child"),
        Expect("region", "child-write-guard", proc="child", invalid=4),
    ], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
        native_phases=["parent:write", "child:child-read"],
        facts={"child:segv-guard": 4}, checks=[
            info_is("guard", 1),
            child_guard_segvs(4),
        ])


if kernel_at_least(6, 15):
    guard_fork("shared-anon", "file_shared")
    guard_fork("shared-file", "file_shared")

# Fault-around maps no page over a guard marker: filemap_map_pages maps a
# page only where the PTE is none, and a marker is not.  A cached 16-page
# file mapped private read-write, 64 KiB-aligned, guard markers on its
# pages 4-5 before any fault.  Reading page 0: 1 `file_read`, whose
# fault-around maps the other 14 (FACT present-read=14, pagemap).  Writing
# pages 4-5: 2 SIGSEGVs (invalid, reason guard), no fault.  With the
# markers removed, reading pages 4-5: 1 `file_read` (page 4's fault-around
# maps page 5).  Before 2026-12-06 vmtrace's fault-around mapped pages 4-5
# over the markers and wiped them: the writes were 2 `wp_copy` and no
# SIGSEGV, the reread 0 (tests/kernelfuzz seed 2257, 300 steps, FORK 1 OPS
# 0x1ff, FZNOMREMAP=1: s260's MADV_POPULATE_WRITE over guarded pages of a
# shared file mapping, EFAULT at once natively, 2 `wp_shared` here).
if kernel_at_least(6, 15):
    scenario("edges/guard-around", "edges", ["guard-around"], [
        Expect("region", "read", pages=1, file_read=1),
        Expect("region", "write-guard", invalid=2),
        Expect("region", "remove"),
        Expect("region", "reread", pages=2, file_read=1),
    ], facts={"present-read": 14, "segv-guard": 2}, checks=[
        info_is("guard", 1),
        invalid_access("guard", "write", exact_total=2),
    ])

# Fault-around's window is clamped to the kernel's VMA, which may hold
# mappings vmtrace keeps apart: a cached 16-page file mapped private
# read-only, 64 KiB-aligned, then its pages 4-7 mapped again over it at
# the same offsets (MAP_FIXED): Linux merges the three parts into one VMA
# (FACT vmas=1), and reading the 16 pages costs 1 `file_read`, whose
# window maps them all.  Before 2026-12-06 vmtrace clamped the window to
# its own VMA of the faulting page: 3 (pages 0, 4 and 8; tests/kernelfuzz
# seed 2493, 300 steps, FORK 1 OPS 0x1ff, FZNOMREMAP=1, s294, and seeds
# 2247 and 2430 the same way).
scenario("edges/around-merged", "edges", ["around-merged"], [
    Expect("f", "read", pages=16, file_read=1),
], facts={"vmas": 1})

# Two VMAs merge only if at most one has an anon_vma or both the same
# (is_mergeable_anon_vma).  A cached 16-page file mapped private
# read-write twice, 64 KiB-aligned.  "l": mlock of pages 8-15 splits it
# and populates them, writable private: 8 `file_cow` (an anon_vma for
# 8-15, whose neighbour differs by VM_LOCKED: not compatible, a new one).
# "p": pages 8-15 made PROT_EXEC as well.  Writing pages 0 and 8 of each:
# l's page 0 and p's 0 and 8, 3 `file_cow` (l's page 8 is its copy
# already); p's upper part reuses the lower part's anon_vma
# (find_mergeable_anon_vma ignores the access flags).  munlock and
# mprotect back: l stays two VMAs (two anon_vmas: FACT vmas-l=2), p
# merges (vmas-p=1).  After MADV_DONTNEED, reading all 32 pages: 2
# `file_read` for l (the window stops at its VMA's end), 1 for p.
# Before 2026-12-06 vmtrace knew only whether a VMA had an anon_vma and
# merged l's parts: 1 (tests/kernelfuzz seed 2456, 300 steps, FORK 1 OPS
# 0x1ff, FZNOMREMAP=1: the child of s149, 2 natively, 1 here).
scenario("edges/anon-vma-apart", "edges", ["anon-vma-apart"], [
    Expect("l", "lock", file_cow=8),
    Expect("l", "write", pages=2, file_cow=1),
    Expect("p", "write", pages=2, file_cow=2),
    Expect("l", "read", file_read=2),
    Expect("p", "read", file_read=1),
], facts={"vmas-l": 2, "vmas-p": 1})

# A SysV segment's VMAs have shm_vm_ops, whose ->close forbids a merge
# that would remove one of them (can_merge_remove_vma): an mprotect that
# makes a whole VMA of an attach alike to its neighbour leaves two VMAs,
# one that changes part of a VMA moves the boundary (the neighbour grows).
# "s" and "t", 4-page segments: s's pages 2-3 made read-only and read-write
# again: two VMAs (vmas-s=2, 0-1 and 2-3); t's pages 2-3 read-only, then
# page 2 read-write: 0-2 and 3 (vmas-t=2; without the merge, three).
# Written (s's 4 pages, t's 0-2: 7 `file_shared`), t's page 3 read (1
# `file_read`; SysV has no ->map_pages, so no fault-around anywhere here).
# A guard marker on page 0 of each gives that VMA alone an anon_vma
# (madvise_guard_install), so fork copies its PTEs (vma_needs_copy), not
# the other VMA's: the child's reads of pages 1-3 cost s 2 `file_read`
# (pages 2-3), t 1 (page 3).  Before 2026-12-06 vmtrace took s's two
# VMAs for one, gave pages 2-3 the anon_vma and copied them: 0
# (tests/kernelfuzz seed 2465, 300 steps, FORK 1 OPS 0x1ff, FZNOMREMAP=1:
# the children of s237, s238 and s248, pages 38-39 of an attach split by
# mprotect, 1 fault each natively, 0 here).
if kernel_at_least(6, 15):
    scenario("edges/sysv-apart", "edges", ["sysv-apart"], [
        Expect("s", "write", pages=4, proc="parent", file_shared=4),
        Expect("t", "write", pages=4, proc="parent", file_shared=3, file_read=1),
        Expect("s", "child-read", pages=3, proc="child", file_read=2),
        Expect("t", "child-read", pages=3, proc="child", file_read=1),
    ], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
        facts={"parent:vmas-s": 2, "parent:vmas-t": 2})

# ---- the kind of anonymous memory -------------------------------------------
# A private writable file mapping is a data segment.  Anonymous memory the
# kernel places right after it (a hint, no MAP_FIXED) is plain anonymous
# memory; only what is mapped there with MAP_FIXED, as ld.so maps a bss
# (_dl_map_segments), is a bss.  Each written: 2 `anon`.
scenario("edges/kinds", "edges", ["kinds"], [
    Expect("placed", "write", pages=2, anon=2),
    Expect("bss", "write", pages=2, anon=2),
], checks=[
    adjacent("data", "placed"),
    mapping_kind("data", "data"),
    mapping_kind("placed", "anon", ""),
    mapping_kind("bss", "bss", ""),
])

# ---- reads announced for a call that succeeded without them -----------------
# mbind(MPOL_DEFAULT, nodemask NULL, maxnode 64) and set_mempolicy: the
# kernel's get_nodes takes a NULL mask for an empty set and reads nothing;
# Valgrind's wrappers announce 8 bytes at address 0 all the same.  Both
# calls succeed: nothing was read, no invalid access (a bad address would
# have made the call fail with EFAULT), no fault.
scenario("edges/mbind-null", "edges", ["mbind-null"], [
    Expect("region", "write", pages=1, anon=1),
    Expect("region", "call"),
], checks=[no_invalid])

# A write fault on a private file page past the end of the file is
# do_cow_fault, which prepares the VMA's anon_vma (vmf_anon_prepare) before
# ->fault finds no page (SIGBUS, counted nowhere): the VMA keeps it, and
# fork copies its PTEs (vma_needs_copy).  A memfd of 1 page; "w", "p" and
# "m" map its pages 1-4 private, all past the end: a store to w's page 0
# (SIGBUS caught: invalid 1), MADV_POPULATE_WRITE of p's page 0 (fails),
# and m, PROT_NONE and MAP_LOCKED, made read-write (mprotect_fixup
# populates a locked private VMA made writable, writing: the fault fails
# the same way).  The memfd grown to 8 pages, page 0 of each read: 1
# `file_read` each (a hole: fault-around finds no neighbour).  The child
# reads them again: 0 (copied).  Before 2026-12-06 vmtrace gave no
# anon_vma for a write past the end: 1 `file_read` each in the child
# (tests/kernelfuzz seed 2327, 300 steps, FORK 1 OPS 0x1ff, FZNOMREMAP=1:
# the grandchild of s151, page 35, a private memfd mapping made writable
# while locked at s130, past the end until s144's ftruncate: 0 natively,
# 1 here).
scenario("edges/eof-cow", "edges", ["eof-cow"], [
    Expect("w", "eof", proc="parent", invalid=1),
    Expect("p", "eof", proc="parent"),
    Expect("m", "eof", proc="parent"),
    Expect("w", "read", pages=1, proc="parent", file_read=1),
    Expect("p", "read", pages=1, proc="parent", file_read=1),
    Expect("m", "read", pages=1, proc="parent", file_read=1),
    Expect("w", "child-read", pages=1, proc="child"),
    Expect("p", "child-read", pages=1, proc="child"),
    Expect("m", "child-read", pages=1, proc="child"),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    facts={"parent:sigbus-w": 1})

# Fault-around maps no page past the end of the file: filemap_map_pages
# clamps its window at i_size, for shared memory too, whose pages may lie
# past it (fallocate FALLOC_FL_KEEP_SIZE).  A memfd of 2 pages, both
# written; its pages 2-3 allocated past the end twice (the second call
# makes them uptodate: fault-around maps them, where it skips a page
# allocated once).  "f" maps the 4 pages shared, 64 KiB-aligned: a load
# from page 2 is SIGBUS (invalid 1, no fault counted), its fault-around
# maps pages 0-1 (present 2), not 2-3.  Grown to 4 pages, the 4 read:
# page 2 faults (1 `file_read`), its fault-around maps page 3.  Before
# 2026-12-06 vmtrace's fault-around mapped pages 2-3 at the SIGBUS: 0
# (tests/kernelfuzz seed 2786, 300 steps, FORK 0 OPS 0x1ff, FZNOMREMAP=1:
# s089's mlock failed at a memfd page past the end, allocated there twice
# by s052 and s075; s102's mlock of it after s098's ftruncate, 3 faults
# natively, 2 here).
scenario("edges/eof-falloc", "edges", ["eof-falloc"], [
    Expect("f", "sigbus", invalid=1),
    Expect("f", "read", pages=4, file_read=1),
], facts={"sigbus": 1, "present": 2})

# ---- calls of 0 bytes --------------------------------------------------------
# madvise, mprotect, MADV_POPULATE_WRITE, mlock and munlock of 0 bytes
# succeed and change nothing (madvise and mprotect return 0 for len 0
# before looking at a VMA, mlock's range is empty): the 4 pages written
# first (4 `anon`) stay resident and writable, written again with no fault
# (and no page touched for the first time).
scenario("edges/zero-length", "edges", ["zero-length"], [
    Expect("region", "write", pages=4, anon=4),
    Expect("region", "calls"),
    Expect("region", "after"),
], checks=[no_invalid, mapping_figures("region", resident=4, anon=4)])

# ---- a read fault past the end of a file still faults around -------------
# A cached file of 2 pages, mapped 8 pages long three times, each in a
# 64 KiB-aligned fault-around window.  A read fault on a page past the end
# of the file is do_read_fault: do_fault_around first, and
# filemap_map_pages maps the cached pages of the window up to the end of
# the file; only then does ->fault find no page: SIGBUS, counted nowhere
# (mm_account_fault leaves out errors).  "f": a load from page 4, SIGBUS
# caught (invalid 1, no fault); pages 0-1 are mapped by it (present 2), so
# reading them costs 0 (page 1 was read once before the label, warming
# the jump up, and dropped: touched then, so read-f touches 1).  "g": MADV_POPULATE_READ from page 2 fails with
# EFAULT at once, but its read fault maps pages 0-1 the same way: reading
# them costs 0.  "h" (private, writable): a store past the end is
# do_cow_fault, which does not fault around: nothing mapped (present 0),
# reading pages 0-1 costs one `file_read` (its fault-around maps both).
# Before 2026-12-06 vmtrace mapped nothing for a page past the end: 1
# `file_read` in read-f and in read-g (found by tests/kernelfuzz, seed
# 501: a MADV_POPULATE_READ that failed at once).
scenario("edges/eof-around", "edges", ["eof-around"], [
    Expect("f", "sigbus", invalid=1),
    Expect("f", "read-f", pages=1),
    Expect("g", "populate"),
    Expect("g", "read-g", pages=2),
    Expect("h", "sigbus-write", invalid=1),
    Expect("h", "read-h", pages=2, file_read=1),
], facts={"sigbus-f": 1, "present-f": 2, "present-g": 2, "sigbus-h": 1, "present-h": 0})
