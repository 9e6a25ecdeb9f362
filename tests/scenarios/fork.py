"""Processes: fork (copy-on-write copy or reuse), vfork, posix_spawn, exec,
many children, three generations, PSS and USS."""

from vmtest import Expect, RunSpec, mapping_of_label
from .scenario import scenario
from .proc_checks import (alone_at_exit, at, command_is, image_names, label_at,
                          labels_are, shared_with_one, sharing_vs_control)


# ---- processes: fork, vfork, exec ---------------------------------------------------------
# Each process writes its own file; tests/lib/vmtest.py's ProcTree joins
# them by run.pid and run.ppid, and the Expects name the process (proc=)
# whose file holds the figures: the role the client gives it in its
# ORACLE lines, placed in the tree by at(position): the root is at(),
# its children at(0), at(1) ... in fork order, an exec'd image
# at(..., image=1).  The clients order every step with pipes and waitpid,
# and fork through vmt_fork, which natively writes the prefaulted pages
# again in both processes (after fork they are all copy-on-write).
#
# Kernel background (mm/memory.c, Linux 6.x).  fork: copy_page_range
# copies the page tables of a private VMA only if it has an anon_vma
# (vma_needs_copy: it has had a private page); copy_present_pte then
# write-protects every anonymous page in both processes and clears its
# PageAnonExclusive.  A read of such a page costs nothing.  A write is
# do_wp_page: wp_can_reuse_anon_folio reuses the page (wp_page_reuse,
# `wp_reuse`) if its refcount shows no other holder, else wp_page_copy
# copies it (`wp_copy`), dropping this process's hold on the old one.  A
# process's exit (or exec) unmaps its pages and drops its holds before its
# parent's waitpid returns.  VMAs without anon_vma (file pages only read,
# shared mappings) are not copied: the child's page table is empty there
# and it faults the pages in anew.  getrusage counts a fault once whether
# it copies or reuses; which one it is shows natively in pagemap's
# PM_MMAP_EXCLUSIVE bit just before the write (FACT <role>:exclusive-...:
# pages mapped by this process alone, which the write can reuse).
# Every root here exits last, after every other process has exited or
# exec'd: it shares nothing then, PSS = USS = RSS (alone_at_exit).

# 300 pages written by the parent (300 `anon`), fork.  Child: reading
# pages 0..99 costs 0; writing 100..199 finds them shared with the
# parent, who still maps them (exclusive before: 0): 100 `wp_copy`.  The
# child exits.  Parent: pages 100..199, which the child copied away from,
# and 200..299, which it never touched, are mapped by the parent alone
# (exclusive: all 300) but still write-protected: 100 `wp_reuse` each.
scenario("fork/cow", "fork", ["cow"], [
    Expect("buf", "write", pages=300, proc="parent", anon=300),
    Expect("buf", "child-read", proc="child"),
    Expect("buf", "child-write", proc="child", wp_copy=100),
    Expect("buf", "after-child", proc="parent", wp_reuse=100),
    Expect("buf", "untouched", proc="parent", wp_reuse=100),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    facts={"child:exclusive-child-write": 0, "parent:exclusive-after-child": 300},
    checks=[alone_at_exit()])

# 4 pages written by the parent (4 `anon`), fork; the parent waits, so
# every page stays shared.  Child: one 8-byte store across pages 0 and 1
# copies both (2 `wp_copy` from one instruction); a read() of 8 bytes
# from a pipe into pages 2 and 3 is the kernel writing them: 2 more.
scenario("fork/straddle", "fork", ["straddle"], [
    Expect("buf", "write", pages=4, proc="parent", anon=4),
    Expect("buf", "child-straddle", proc="child", wp_copy=2),
    Expect("buf", "child-read-call", proc="child", wp_copy=2),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    checks=[alone_at_exit()])

# 100 pages written by the parent (100 `anon`), fork; the child blocks on
# a pipe.  Parent: the 100 pages are shared (exclusive: 0): 100 `wp_copy`;
# the parent now maps its copies, so the child's pages are its alone
# (exclusive: 100) but still write-protected: 100 `wp_reuse`.  After the
# child's exit the parent's copies are writable: 0.
scenario("fork/parent-writes-first", "fork", ["parent-first"], [
    Expect("buf", "write", pages=100, proc="parent", anon=100),
    Expect("buf", "parent-write", proc="parent", wp_copy=100),
    Expect("buf", "child-write", proc="child", wp_reuse=100),
    Expect("buf", "after-child", proc="parent"),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    facts={"parent:exclusive-parent-write": 0, "child:exclusive-child-write": 100},
    checks=[alone_at_exit()])

# A 64-page file mapped private read-only at a 64 KiB-aligned address:
# read, it faults once per 16-page fault-around window: 4 `file_read`
# (see file/read aligned); it has no anon_vma, so fork does not copy it
# and the child's read faults again: 4 `file_read`.  A 64-page
# MAP_SHARED|MAP_ANONYMOUS (shmem) mapping "shm" written by the parent: 64
# `file_shared` (see shm/write-first); shared, so not copied either.  The
# child's reads are do_read_fault on shmem, which has map_pages
# (shmem_vm_ops.map_pages = filemap_map_pages): fault-around, which found
# nothing to map in shm/read-write (no page existed yet), now finds all 64
# pages in the shmem file's page cache, where the parent's writes put
# them: one fault per 16-page window, 4 `file_read` (natively 4, not 64).
# The same the other way round, after the fork: the child writes a second
# shmem mapping "shm2" (64 `file_shared`) and exits; the pages stay in
# the shmem file, which the parent maps too: its reads fault around, 4
# `file_read`.
scenario("fork/file-and-shm", "fork", ["file"], [
    Expect("file", "read", pages=64, proc="parent", file_read=4),
    Expect("shm", "shm-write", pages=64, proc="parent", file_shared=64),
    Expect("file", "child-read-file", proc="child", file_read=4),
    Expect("shm", "child-read-shm", proc="child", file_read=4),
    Expect("shm2", "child-write-shm2", proc="child", file_shared=64),
    Expect("shm2", "read-shm2", pages=64, proc="parent", file_read=4),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    checks=[alone_at_exit()])

# Which pages of a shared memory object exist is known to every process
# of the run from the first fork on (the share log); a truncation or a
# punched hole must take its pages out of that knowledge too, not only
# out of the process's own view.  A 16-page memfd mapped shared, 64
# KiB-aligned ("m", one 16-page fault-around window); a first child exits
# at once (the log starts).  The parent writes the 16 pages: 16
# `file_shared`.  ftruncate to 8 pages and back to 16 (shmem_setattr:
# unmap_mapping_range, then shmem_truncate_range frees pages 8..15): the
# calls fault nothing.  Reading pages 12..15: holes; shmem_fault allocates
# each, and fault-around (filemap_map_pages) maps only pages in the page
# cache, none of 12..15: 4 `file_read`.  Fork; the child reads pages
# 8..11, holes too (the first fault maps 0..7 and 12..15 around): 4
# `file_read`.  The parent reads 8..11: the child made them, the first
# fault maps all 4: 1 `file_read`.  MADV_REMOVE of pages 0..3
# (shmem_fallocate punches them: 0 faults), read: 4 holes, 4 `file_read`.
# Before 2026-12-06 the log still counted the truncated and punched
# pages: fault-around mapped them as if cached, 1, 1 and 1 (natively 4,
# 4, 4; tests/kernelfuzz seeds 223 and 263).
scenario("fork/shm-truncate", "fork", ["shm-truncate"], [
    Expect("m", "write", pages=16, proc="parent", file_shared=16),
    Expect("m", "truncate", proc="parent"),
    Expect("m", "read-holes", proc="parent", file_read=4),
    Expect("m", "child-read-holes", pages=4, proc="child", file_read=4),
    Expect("m", "read-child", proc="parent", file_read=1),
    Expect("m", "remove", proc="parent"),
    Expect("m", "read-removed", proc="parent", file_read=4),
], procs={"parent": at(), "first": at(0), "child": at(1)}, tree="exit(2*exit)",
    checks=[alone_at_exit()])

# Pages taken away from under another process's mapping: Linux frees
# them and zaps every mapping of them in every process
# (unmap_mapping_range), so the other process faults on its next touch;
# the run's processes learn of it through the share log at their next
# system call (docs/manual.md, "Processes").  A 16-page object mapped
# shared, 64 KiB-aligned ("m"); fork; the child writes it (16
# `file_shared`: write faults do not fault around), tells the parent
# through a pipe and waits on another.  The parent waits until the child
# sleeps in that read (/proc/PID/syscall: else the child's sample as it
# begins to wait would show the pages mapped or not as the two race),
# takes pages 8..15 away (no fault) and lets the child go: the child's read() returns, and
# natively "m" maps 8 pages in it then (FACT rss-after, smaps).  Its
# reads of pages 8..15 find holes: shmem_fault allocates each, and
# fault-around (filemap_map_pages) maps only pages in the page cache,
# none of 9..15 until each is read: 8 `file_read`; pages 0..7 are still
# mapped: 0.  Before 2026-12-06 the child's page table kept all 16: 0
# and 0 (the measured case: natively 8).
#   truncate     ftruncate to 8 pages and back to 16 (shmem_setattr)
#   punch        fallocate(PUNCH_HOLE|KEEP_SIZE) of pages 8..15
#   remove       MADV_REMOVE of the parent's "m" pages 8..15
#   anon-remove  the same on MAP_SHARED|MAP_ANONYMOUS memory (no file:
#                the object is known by the id the share log gives it)
POLLS = "the parent polls /proc/PID/syscall until the child sleeps"
for how in ("truncate", "punch", "remove", "anon-remove"):
    scenario("fork/shootdown-%s" % how, "fork", ["shootdown", how], [
        Expect("m", "child-write", pages=16, proc="child", file_shared=16),
        Expect("m", "remove", proc="parent"),
        Expect("m", "child-read-holes", proc="child", file_read=8),
        Expect("m", "child-read-kept", proc="child"),
    ], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
        facts={"child:rss-after": 8}, checks=[alone_at_exit()], varying_time=POLLS)

# The same punch with a private read-only mapping "p" of the memfd that
# the child read after writing "m" (fault-around maps its 16 page-cache
# pages: 1 `file_read`).  unmap_mapping_range zaps page-cache pages in
# private mappings too (even_cows false: only copies stay), so "p"'s
# pages 8..15 fault again, holes each: 8 `file_read`; then "m"'s pages
# 8..15 exist (p's faults made them): the first fault maps all 8, 1
# `file_read`.  Before 2026-12-06: 0 and 8.
scenario("fork/shootdown-private", "fork", ["shootdown", "private"], [
    Expect("m", "child-write", pages=16, proc="child", file_shared=16),
    Expect("p", "child-read-private", pages=16, proc="child", file_read=1),
    Expect("m", "remove", proc="parent"),
    Expect("p", "child-read-private-holes", proc="child", file_read=8),
    Expect("m", "child-read-holes", proc="child", file_read=1),
    Expect("m", "child-read-kept", proc="child"),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    facts={"child:rss-after": 8}, checks=[alone_at_exit()], varying_time=POLLS)


def child_m_resident(n):
    """The child's mapping of "m" holds n resident pages at its exit."""
    def check(tree, r, extra):
        im = tree.image((0,))
        got = mapping_of_label(im.out, "m").get("resident_pages")
        if got != n:
            return ["child (%s): mapping of \"m\": expected resident_pages %d, got %s"
                    % (im.name, n, got)]
        return []
    return check


# A cached 16-page regular file mapped shared read-only: the child reads
# it (fault-around: 1 `file_read`).  The parent truncates it to 8 pages
# (truncate_pagecache: unmap_mapping_range from page 8): the child's
# read of page 8 is beyond the end of the file, SIGBUS (natively no
# minor fault counted; FACT sigbus=1: a handler jumps back); here 1
# invalid access, and the child's "m" holds 8 resident pages at its exit
# (16 before 2026-12-06: the page still mapped, no fault, no SIGBUS in
# the model while the kernel sent one).
scenario("fork/shootdown-file", "fork", ["shootdown", "file"], [
    Expect("m", "child-write", pages=16, proc="child", file_read=1),
    Expect("m", "remove", proc="parent"),
    Expect("m", "child-read-holes", proc="child", invalid=1),
    Expect("m", "child-read-kept", proc="child"),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    native_phases=["child:child-write", "parent:remove", "child:child-read-kept"],
    facts={"child:rss-after": 8, "child:sigbus": 1},
    checks=[alone_at_exit(), child_m_resident(8)], varying_time=POLLS)

# Two mmaps of 4 private anonymous pages side by side ("a"): Linux merges
# them into one VMA (vmtrace keeps the two mappings apart).  Reading page 5
# maps the zero page (1 `zero`, no anon_vma yet); writing page 0 (1 `anon`)
# gives the VMA, both halves, its anon_vma.  fork copies the PTEs of a VMA
# with an anon_vma (vma_needs_copy), page 5's zero page too: the child's
# read of page 5 costs nothing, of page 6 (never touched) 1 `zero`.  Before
# 2026-12-06 vmtrace gave the anon_vma to the written half only and the
# child faulted page 5 again: 2 (tests/kernelfuzz seed 2029, 150 steps,
# FORK 1 OPS 0x1ff: 2 against 1).
scenario("fork/zero-merged", "fork", ["zero-merged"], [
    Expect("a", "read", pages=1, proc="parent", zero=1),
    Expect("a", "write", pages=1, proc="parent", anon=1),
    Expect("a", "child-read", pages=2, proc="child", zero=1),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    checks=[alone_at_exit()])

# The same with the upper mmap MAP_NORESERVE: its VMA has VM_NORESERVE,
# the lower one VM_ACCOUNT (private and writable), so Linux keeps them
# apart; the write to page 0 gives the lower one alone an anon_vma, and
# the child's reads of pages 5 and 6 cost 1 `zero` each.  Before
# 2026-12-06 vmtrace took them for one VMA and copied page 5's zero page
# (1; tests/kernelfuzz seed 2014, 150 steps, FORK 1 OPS 0x1ff, the
# grandchild of s067: 20 against 22, a mapping beside fz's MAP_NORESERVE
# reservation).
scenario("fork/zero-noreserve", "fork", ["zero-noreserve"], [
    Expect("a", "read", pages=1, proc="parent", zero=1),
    Expect("a", "write", pages=1, proc="parent", anon=1),
    Expect("a", "child-read", pages=2, proc="child", zero=2),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    checks=[alone_at_exit()])

# VMAs that VM_LOCKED alone kept apart stay two in a forked child, whose
# copies are not locked (dup_mmap merges nothing).  "a", 8 read-only
# anonymous pages of one mmap: mlock of pages 4-7 splits the VMA and maps
# zero pages (4 `zero`); a guard marker on page 0 gives pages 0-3 alone an
# anon_vma; page 1 read (1 `zero`).  fork: the child has page 1 (copied:
# 0), not page 5 (1 `zero`); its child the same: page 1 copied again,
# page 5 faulted (1 `zero`).  Before 2026-12-06 vmtrace took the child's
# two unlocked VMAs for one and gave pages 4-7 the anon_vma at the second
# fork: 0 in the grandchild (tests/kernelfuzz seed 2005, 150 steps,
# FORK 1 OPS 0x1ff, the grandchild of s073: 0 against 2).  Needs Linux
# 6.13's MADV_GUARD_INSTALL.
scenario("fork/zero-locked", "fork", ["zero-locked"], [
    Expect("a", "mlock", proc="parent", zero=4),
    Expect("a", "read", pages=1, proc="parent", zero=1),
    Expect("a", "child-read", pages=2, proc="child", zero=1),
    Expect("a", "grandchild-read", pages=2, proc="grandchild", zero=1),
], procs={"parent": at(), "child": at(0), "grandchild": at(0, 0)},
    tree="exit(exit(exit))", checks=[alone_at_exit()])

# An anonymous VMA made read-only before it had a page of its own (no
# anon_vma) loses VM_ACCOUNT (mprotect_fixup); one that had keeps it, and
# the two are never one VMA again.  "a", 8 private anonymous read-write
# pages of one mmap: pages 4-7 made read-only (unaccounted), page 0
# written (1 `anon`: an anon_vma for pages 0-3 alone; the upper part,
# accounted no more, is not compatible), pages 0-3 made read-only: two
# VMAs (FACT vmas=2), alike but for VM_ACCOUNT.  Pages 1-7 read: 7
# `zero`.  fork copies the PTEs of the lower VMA alone (vma_needs_copy):
# the child's reads of pages 0-7 cost 4 `zero` (pages 4-7).  Before
# 2026-12-06 vmtrace kept VM_ACCOUNT, merged the two, and the child faulted
# none (tests/kernelfuzz seed 2590, 300 steps, FORK 1 OPS 0x1ff,
# FZNOMREMAP=1: the child of s061, pages 27-34, 15 natively, 8 here).
scenario("fork/zero-unaccounted", "fork", ["zero-unaccounted"], [
    Expect("a", "write", pages=1, proc="parent", anon=1),
    Expect("a", "read", pages=7, proc="parent", zero=7),
    Expect("a", "child-read", pages=8, proc="child", zero=4),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    facts={"parent:vmas": 2}, checks=[alone_at_exit()])

# The anon_vma of a VMA Linux merged from two mappings stays with both
# parts when the VMA is split again.  "a": the upper 4 pages mapped and
# page 4 written (1 `anon`: an anon_vma), then the lower 4 pages mapped
# beside them (vma_merge_new_range: one VMA, the anon_vma its own); "b":
# both halves mapped, page 0 written (1 `anon`: the whole VMA's
# anon_vma).  Unmapping a's upper half and b's lower half leaves halves
# that keep it; page 1 of "a" and page 5 of "b" read (1 `zero` each),
# fork copies those zero pages (vma_needs_copy): the child's reads of
# a's pages 1-2 and b's pages 5-6 cost 1 `zero` each.  Before 2026-12-06
# vmtrace shared the anon_vma between the parts only at a fork, when
# they were apart already: the child faulted 2 in each (tests/kernelfuzz
# seed 2046, 150 steps, FORK 1 OPS 0x1ff, the child of s141: 16 against
# 15; there an mmap merged with a written VMA and another mmap split it).
scenario("fork/zero-split", "fork", ["zero-split"], [
    Expect("a", "a-write", pages=1, proc="parent", anon=1),
    Expect("b", "b-write", pages=1, proc="parent", anon=1),
    Expect("a", "unmap", proc="parent"),
    Expect("b", "unmap", proc="parent"),
    Expect("a", "read", pages=1, proc="parent", zero=1),
    Expect("b", "read", pages=1, proc="parent", zero=1),
    Expect("a", "child-read", pages=2, proc="child", zero=1),
    Expect("b", "child-read", pages=2, proc="child", zero=1),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    checks=[alone_at_exit()])

# An anonymous VMA moved by mremap beside another is one VMA with it only
# where their page offsets follow on (an anonymous VMA's vm_pgoff is its
# address in pages at its mmap; copy_vma keeps it for a VMA with an
# anon_vma, gives one without its new address's).  "a": its lower 4
# pages mapped, page 1 read (1 `zero`, no anon_vma); "b", mapped
# elsewhere, page 0 written (1 `anon`: an anon_vma), moved over a's upper
# half: its offset is b's old address, the two stay apart (natively 2
# VMAs, FACT a-vmas=2), and fork does not copy a's lower half (no
# anon_vma, vma_needs_copy): the child's read of a's page 1 is 1 `zero`,
# of page 4 (b's page, copied) 0.  "c": page 0 written (an anon_vma);
# "d" elsewhere, page 1 read (a zero page, no anon_vma), moved over c's
# upper half: it takes its new address's offset and merges with c (FACT
# c-vmas=1), so fork copies its zero page: the child's reads of c's pages
# 0 and 5 cost 0.  Before 2026-12-06 vmtrace took anonymous VMAs side by
# side for one whatever their offsets, shared b's anon_vma with a's lower
# half and copied its zero page: the child read a at no cost.
scenario("fork/zero-moved", "fork", ["zero-moved"], [
    Expect("a", "a-read", pages=1, proc="parent", zero=1),
    Expect("b", "b-write", pages=1, proc="parent", anon=1),
    Expect("c", "c-write", pages=1, proc="parent", anon=1),
    Expect("d", "d-read", pages=1, proc="parent", zero=1),
    Expect("a", "move", proc="parent"),
    Expect("a", "child-read", pages=2, proc="child", zero=1),
    Expect("c", "child-read", pages=2, proc="child"),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    facts={"parent:a-vmas": 2, "parent:c-vmas": 1}, checks=[alone_at_exit()])

# vfork and posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK)) share the
# parent's address space (Valgrind runs them as a fork; vmtrace must not
# model one): nothing is write-protected.  300 pages written (300 `anon`);
# the vfork child calls _exit(0) at once (it writes nothing: in a vfork
# child that would be undefined); the posix_spawn child execs /bin/true
# (not traced: its image's file is FILE.exec1, status exec).  After the
# child has gone, the parent's 300 pages are still mapped writable:
# writing them costs 0.  The child's file inherits "buf" and has no fault
# on it.  The child borrows its parent's memory from its first sample on
# (issue 10: its first sample counted the parent's memory as its own, a
# tree peak of twice the real one): run.vfork is true in its file, false
# in the parent's, and every sample of its timeline shows PSS 0 and USS 0
# though its RSS is the parent's (> 300 pages: "buf").


def vfork_child_owns_nothing(tree, r, extra):
    errs = []
    parent, child = tree.image(()), tree.image((0,))
    if parent.out["run"].get("vfork") is not False:
        errs.append("the parent's run.vfork is %r, expected false"
                    % parent.out["run"].get("vfork"))
    if child.out["run"].get("vfork") is not True:
        errs.append("the child's run.vfork is %r, expected true" % child.out["run"].get("vfork"))
    tl = child.out.get("timeline") or {}
    n = len(tl.get("t") or [])
    if not n:
        errs.append("the child's timeline has no sample")
    for key in ("pss_x1000", "uss"):
        if any(v != 0 for v in tl.get(key) or []):
            errs.append("the child's timeline.%s is %s, expected 0 in every sample"
                        % (key, tl.get(key)[:8]))
    rss = [sum(col[i] for col in tl["rss"].values()) for i in range(n)]
    if not rss or min(rss) <= 300:
        errs.append("the child's RSS (its parent's) is %s, expected > 300 pages" % rss[:8])
    return errs


for mode, shape in (("vfork", "exit(exit)"), ("spawn", "exit(exec)")):
    scenario("fork/%s" % mode, "vfork", [mode], [
        Expect("buf", "write", pages=300, proc="parent", anon=300),
        Expect("buf", "after-child", proc="parent"),
        Expect("buf", "write", proc="child"),
    ], procs={"parent": at(), "child": at(0)}, tree=shape,
        native_phases=["parent:write", "parent:after-child"],
        checks=[alone_at_exit(), vfork_child_owns_nothing])

# A vfork child that writes: "lent", 8 pages the parent mapped and never
# touched.  The child writes pages 0..3 (4 `anon`, in the child's file:
# natively 4 minflt in the child's getrusage), then _exit(0).  Natively
# the memory is one and the parent is suspended until the child exits:
# the 4 pages are the parent's, present and dirty, and its writes of the
# 8 pages then fault on 4..7 only: 4 `anon`, natively minflt 4 (the 300
# pages of "buf" cost 0).  Valgrind runs vfork as a fork, so vmtrace's
# parent waits in the call for the child's exit and takes the pages the
# child faulted in, counted nowhere (until 2026-12-06: 8 `anon` here).
# vfork-exec: after its 4 pages the child execs a missing file (it fails:
# the child goes on, the parent still waits), writes pages 4..5 (2
# `anon`) and execs /bin/true; the parent's 8 writes fault on 6..7 only:
# 2 `anon`.  Followed (--trace-children=yes) or not, the same: the
# parent's wait ends at the exec that succeeds.
VFORK_WRITE = [
    Expect("buf", "write", pages=300, proc="parent", anon=300),
    Expect("lent", "child-write", proc="child", anon=4),
    Expect("buf", "after-child", proc="parent"),
]
scenario("fork/vfork-write", "vfork", ["vfork-write"], VFORK_WRITE + [
    Expect("lent", "after-child", proc="parent", anon=4),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    checks=[alone_at_exit()])
for name, extra in (("fork/vfork-exec", []), ("fork/vfork-exec-traced", ["--trace-children=yes"])):
    scenario(name, "vfork", ["vfork-exec"], VFORK_WRITE + [
        Expect("lent", "after-failed-exec", proc="child", anon=2),
        Expect("lent", "after-child", proc="parent", anon=2),
    ], procs={"parent": at(), "child": at(0, image=0)},
        tree="exit(exec>exit)" if extra else "exit(exec)", vm_args=extra,
        native=not extra, checks=[alone_at_exit()])

# fork then exec, followed with --trace-children=yes: the parent writes
# "mine" (10 `anon`) and forks; the child execs exec_target, whose image
# is a new address space: its own 10-page "region", 10 `anon`.  Files:
# the child's pre-exec image vmtrace.out.PID.exec1 (status exec, the
# parent's labels inherited, no fault on "mine"), then the exec'd
# program's vmtrace.out.PID (same pid, same ppid: the tree is root ->
# child with two images), whose only label is its own.  exec dropped the
# child's hold on the parent's pages: the parent's rewrite of "mine"
# finds them its alone (exclusive: 10), write-protected: 10 `wp_reuse`.
scenario("fork/exec", "fork_exec", [], [
    Expect("mine", "write", pages=10, proc="parent", anon=10),
    Expect("mine", "write", proc="child"),
    Expect("region", "write", pages=10, proc="exec", anon=10),
    Expect("mine", "after-child", proc="parent", wp_reuse=10),
], procs={"parent": at(), "child": at(0, image=0), "exec": at(0, image=1)},
    tree="exit(exec>exit)", vm_args=["--trace-children=yes"], needs=["exec_target"],
    native_phases=["parent:write", "exec:write", "parent:after-child"],
    facts={"parent:exclusive-after-child": 10},
    checks=[image_names((0,), [".exec1", ""]),
            command_is((0,), 0, ["@BUILD@/fork_exec"]),
            command_is((0,), 1, ["@BUILD@/exec_target", "exec"]),
            labels_are((0,), 1, ["region"]),
            alone_at_exit()], native=True)

# A shell's fork and exec: /bin/sh -c 'exec_target sh-child; true' under
# --trace-children=yes.  The command is not the last one, so the shell
# forks (dash: vfork) a child that execs exec_target (10 `anon` on its
# "region") and waits for it.  Three files, one tree: the shell (root),
# its child's pre-exec image (.exec1, status exec) and exec_target's
# (same pid), both with the shell's pid as ppid.
scenario("fork/shell", "/bin/sh", ["-c", "@BUILD@/exec_target sh-child; true"], [
    Expect("region", "write", pages=10, proc="sh-child", anon=10),
], procs={"sh": at(), "sh-fork": at(0, image=0), "sh-child": at(0, image=1)},
    tree="exit(exec>exit)", vm_args=["--trace-children=yes"], needs=["exec_target"],
    checks=[image_names((0,), [".exec1", ""]),
            command_is((), 0, ["/bin/sh", "-c", "@BUILD@/exec_target sh-child; true"]),
            command_is((0,), 1, ["@BUILD@/exec_target", "sh-child"]),
            labels_are((0,), 1, ["region"]),
            alone_at_exit()], native=True)

# 50 children of one parent: a 50-page "region" written by the parent
# (50 `anon`), then 50 children forked, all alive, each blocked on its
# own pipe; released one at a time, child i labels page i "slice" (the
# newer label takes the page from "region") and writes it: the parent
# and children i+1..49 map it: 1 `wp_copy`; the parent waits for its
# exit before releasing the next.  Afterwards every page is the parent's
# alone (exclusive: 50), write-protected: 50 `wp_reuse`.  51 files, the
# children in fork order, child i's slice on page i.
MANY = 50
scenario("fork/many-children", "fork", ["many"], [
    Expect("region", "write", pages=MANY, proc="parent", anon=MANY),
] + [e for i in range(MANY) for e in (
    Expect("slice", "slice", proc="child%d" % i, wp_copy=1),
    Expect("region", "slice", proc="child%d" % i),
)] + [
    Expect("region", "after-children", proc="parent", wp_reuse=MANY),
], procs=dict([("parent", at())] + [("child%d" % i, at(i)) for i in range(MANY)]),
    tree="exit(%d*exit)" % MANY,
    facts={"parent:exclusive-after-children": MANY},
    checks=[label_at((i,), "slice", "region", i, i + 1) for i in range(MANY)] +
    [alone_at_exit()])

# Three generations: a 20-page "region" written by the parent (20
# `anon`); the child forks a grandchild, which writes pages 0..9, mapped
# by all three: 10 `wp_copy`; once it has exited the child writes pages
# 10..19, mapped by the parent too: 10 `wp_copy`; once the child has
# exited the parent maps all 20 alone (exclusive: 20), write-protected:
# 20 `wp_reuse`.  The grandchild's run.ppid is the child's pid, its
# fork_time the child's clock at the fork.
scenario("fork/grandchild", "fork", ["tree"], [
    Expect("region", "write", pages=20, proc="parent", anon=20),
    Expect("region", "grandchild-write", proc="grandchild", wp_copy=10),
    Expect("region", "child-write", proc="child", wp_copy=10),
    Expect("region", "after-children", proc="parent", wp_reuse=20),
], procs={"parent": at(), "child": at(0), "grandchild": at(0, 0)},
    tree="exit(exit(exit))",
    facts={"parent:exclusive-after-children": 20},
    checks=[alone_at_exit()])

# PSS and USS.  N pages written by the parent (N `anon`), fork; the child
# writes nothing and exits while the parent waits.  At the child's exit
# the parent alone shares its pages: each page the child maps is its own
# or shared by two, so its PSS = USS + (RSS - USS) / 2.  Against the same
# program with N = 100 (the control run): the 200 more pages of "buf"
# are all shared by two: the child's RSS + 200, PSS + 100, USS + 0; the
# parent, alone at its exit, RSS = PSS = USS + 200.  Natively smaps shows
# the child's "buf" as Rss 300 pages, Pss 150, Private 0.
scenario("fork/pss", "fork", ["pss", "300"], [
    Expect("buf", "write", pages=300, proc="parent", anon=300),
    Expect("buf", "write", proc="child"),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    native_phases=["parent:write"],
    facts={"child:buf-rss": 300, "child:buf-pss": 150, "child:buf-private": 0},
    checks=[shared_with_one((0,)),
            sharing_vs_control((0,), resident=200, pss=100, uss=0),
            sharing_vs_control((), resident=200, pss=200, uss=200),
            alone_at_exit()],
    extra_runs=lambda fp: [RunSpec("vmtrace", "fork", ["pss", "100"], fast_path=fp)])

# The same with a file: a 64-page file mapped private read-only at a
# 64 KiB-aligned address, read by the parent (4 `file_read`), then by the
# child, whose page table fork did not copy (no anon_vma): 4 `file_read`,
# mapping the same page-cache pages as the parent.  PSS divides every
# page by the number of processes mapping it, whatever its kind
# (smaps_pte_entry -> smaps_account, mapcount of page-cache pages too),
# and a page another process maps is not unique: the child's "file" pages
# count 1/2 each in its PSS and 0 in its USS (natively smaps: Rss 64
# pages, Pss 32, Private 0).  Against a 16-page file (control run): RSS +
# 48, PSS + 24, USS + 0 for the child; the parent, alone at its exit,
# + 48 each.
scenario("fork/pss-file", "fork", ["pss-file", "64"], [
    Expect("file", "read", pages=64, proc="parent", file_read=4),
    Expect("file", "child-read", proc="child", file_read=4),
], procs={"parent": at(), "child": at(0)}, tree="exit(exit)",
    facts={"child:file-rss": 64, "child:file-pss": 32, "child:file-private": 0},
    checks=[sharing_vs_control((0,), resident=48, pss=24, uss=0),
            sharing_vs_control((), resident=48, pss=48, uss=48),
            alone_at_exit()],
    extra_runs=lambda fp: [RunSpec("vmtrace", "fork", ["pss-file", "16"], fast_path=fp)])

# One process, no fork: a page mapped in two places counts 1/2 in each
# (smaps_account divides by the page's mapcount, however many of the
# mappings are one process's).  An N-page file mapped shared and private
# read-only, each read (fault-around: N/16 `file_read` each); an N-page
# memfd mapped shared twice, written through the first (N `file_shared`),
# read through the second (fault-around over pages that exist: N/16
# `file_read`).  Natively smaps: each mapping Rss N, Pss N/2, Private 0.
# Against N = 16 (the control run), the 48 more pages of each object are
# mapped twice: RSS + 192, PSS + 96, USS + 0.  Until 2026-12-07 the
# model divided a page only among the run's processes, and a process that
# had never forked counted PSS = USS = RSS (+ 192 each).
scenario("fork/pss-twice", "fork", ["pss-twice", "64"], [
    Expect("a", "read", pages=64, proc="parent", file_read=4),
    Expect("b", "read", pages=64, proc="parent", file_read=4),
    Expect("m1", "write", pages=64, proc="parent", file_shared=64),
    Expect("m2", "read-m2", pages=64, proc="parent", file_read=4),
], procs={"parent": at()},
    facts={"parent:%s-%s" % (m, k): v for m in ("a", "b", "m1", "m2")
           for k, v in (("rss", 64), ("pss", 32), ("private", 0))},
    checks=[sharing_vs_control((), resident=192, pss=96, uss=0)],
    extra_runs=lambda fp: [RunSpec("vmtrace", "fork", ["pss-twice", "16"], fast_path=fp)])

# The same file read by a child that execs first: the parent reads the
# 64-page file (4 `file_read`), forks, and the child execs this client,
# followed with --trace-children=yes; the new image maps the file (the
# descriptor it inherited), 64 KiB-aligned, and reads it (4 `file_read`:
# an exec'd image's page table is new), while the parent, waiting for it,
# still maps the same page-cache pages.  PSS divides them between the two
# as for the forked child above (natively smaps: Rss 64, Pss 32, Private
# 0): the image's RSS + 48, PSS + 24, USS + 0 against a 16-page file; the
# parent, alone at its exit, + 48 each.  Until 2026-12-06 an exec'd image
# never shared the run's log: PSS + 48 and USS + 48, as if no other
# process mapped the file (make -j2's two cc1 each counted cc1's text
# whole in the tree's memory).
scenario("fork/pss-file-exec", "fork", ["pss-file-exec", "64"], [
    Expect("file", "read", pages=64, proc="parent", file_read=4),
    Expect("file", "image-read", pages=64, proc="image", file_read=4),
], procs={"parent": at(), "child": at(0, image=0), "image": at(0, image=1)},
    tree="exit(exec>exit)", vm_args=["--trace-children=yes"],
    facts={"image:file-rss": 64, "image:file-pss": 32, "image:file-private": 0},
    checks=[sharing_vs_control((0,), resident=48, pss=24, uss=0),
            sharing_vs_control((), resident=48, pss=48, uss=48),
            alone_at_exit()], native=True,
    extra_runs=lambda fp: [RunSpec("vmtrace", "fork", ["pss-file-exec", "16"], fast_path=fp,
                                   vm_args=["--trace-children=yes"])])
