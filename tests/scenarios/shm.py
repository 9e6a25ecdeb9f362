"""Shared anonymous memory (shmem)."""

from vmtest import Expect
from .scenario import scenario
from .checks import mapping_figures, mapping_kind


# ---- shared anonymous memory ------------------------------------------------------
# MAP_SHARED|MAP_ANONYMOUS is shmem: a read of a page not mapped is
# do_read_fault -> shmem_fault, which allocates the page in the shmem file
# (no zero page); fault-around (shmem has map_pages) finds none of the
# other pages in the page cache yet, so each read faults: 10 `file_read`.
# shmem has no page_mkwrite and no writeback, so the VMA wants no
# write-notify: its vm_page_prot is writable and the read faults mapped
# the pages writable: writing them costs 0 (natively 0: no dirty
# tracking).  Writing first: do_shared_fault, 10 `file_shared`; again: 0.
scenario("shm/read-write", "shared_anon", ["read-write"], [
    Expect("shm", "read", pages=10, file_read=10),
    Expect("shm", "write"),
], checks=[
    mapping_kind("shm", "shm"),
    mapping_figures("shm", resident=10, file_read=10),
])
scenario("shm/write-first", "shared_anon", ["write-first"], [
    Expect("shm", "write", pages=10, file_shared=10),
    Expect("shm", "rewrite"),
], checks=[
    mapping_kind("shm", "shm"),
    mapping_figures("shm", resident=10, file_shared=10),
])
# MADV_REMOVE punches a hole in shared memory (shmem_fallocate:
# unmap_mapping_range over every mapping of the object, then
# shmem_truncate_range).  A 16-page memfd mapped twice, each 64 KiB-aligned:
# writing "a" allocates every page, 16 `file_shared`; reading "b",
# fault-around maps the 16 existing pages at the first fault: 1
# `file_read`.  Removing pages 0..7 through "a" zaps them in "a" and in
# "b" and frees them: the call itself faults nothing.  Reading "b" again:
# pages 0..7 are holes, each read allocates one and fault-around finds
# none of the others there (pages 8..15 are still mapped): 8 `file_read`.
# Reading "a": its pages 0..7 now exist again ("b" made them), so the
# first fault maps all 8: 1 `file_read`; writing "a" then costs 0 (shmem
# maps read faults writable).
scenario("shm/remove", "shared_anon", ["remove"], [
    Expect("a", "write-a", pages=16, file_shared=16),
    Expect("b", "read-b", pages=16, file_read=1),
    Expect("a", "remove"),
    Expect("b", "reread-b", file_read=8),
    Expect("a", "reread-a", file_read=1),
    Expect("a", "rewrite-a"),
])
# The same punch with a private read-only mapping "p" of the memfd:
# reading it after "a" was written, fault-around maps its 16 page-cache
# pages, 1 `file_read`.  unmap_mapping_range zaps page-cache pages in
# private mappings too (zap_details.even_cows false: only their copies
# would stay), so rereading "p" finds pages 0..7 holes, each read
# allocates one and fault-around finds none of the others: 8
# `file_read`; pages 8..15 are still mapped.  Before 2026-12-06 "p" kept
# pages 0..7 mapped: 0.
scenario("shm/remove-private", "shared_anon", ["remove-private"], [
    Expect("a", "write-a", pages=16, file_shared=16),
    Expect("p", "read-p", pages=16, file_read=1),
    Expect("a", "remove"),
    Expect("p", "reread-p", file_read=8),
])

# Shared memory changed by system calls rather than through a mapping.  A
# memfd of 8 pages mapped 16 pages long, 64 KiB-aligned ("m").  pwrite of
# pages 0-3 puts them in the object (shmem_write_begin), uptodate: reading
# them, the first fault's fault-around maps all 4, 1 `file_read`.
# fallocate of pages 8-15 grows the object to 16 pages: reading them
# works, and each is a fault of its own (fallocated pages are not
# uptodate, and filemap_map_pages skips them): 8 `file_read`.
# fallocate(FALLOC_FL_PUNCH_HOLE) of pages 0-1 unmaps and frees them
# (shmem_fallocate, as MADV_REMOVE): rereading 0-3 costs 2 (holes, each
# allocated; 2-3 still mapped).  A cached 2-page regular file mapped 8
# pages long ("f"): pwrite of 2 pages at its end grows it to 4, and
# reading its pages 0-3 is one fault mapping all 4 (a warm page cache).
# fallocate of pages 4-5, then of 4-7: a page an earlier fallocate
# allocated is made uptodate by the second (shmem_get_folio with
# SGP_FALLOC initializes it), a new one is not: reading 4-7, page 4's
# fault maps 5 too, 6 and 7 fault on their own: 3 `file_read`.  A second
# memfd of 16 pages written (pages 4-5) and fallocated (8-9 twice, 12-13
# once) before it is mapped ("n"): reading its 16 pages, the first fault
# maps the 4 uptodate ones: 12 `file_read` (vmtrace asks the kernel which
# pages hold data, SEEK_DATA, before the mmap).  (Natively the same.)
# A third memfd of 16 pages, its pages 8-11 fallocated before it is mapped
# ("o", not uptodate: SEEK_DATA counts them as holes), then 8-15 after:
# 8-11 are made uptodate, 12-15 are new.  Reading the 16 pages, page 0's
# fault maps 8-11 too: 8 (pages 0-7, holes) + 4 (12-15) = 12 `file_read`.
# Before 2026-12-06 (later that day) vmtrace did not follow a fallocate of
# an object never mapped: 16 (tests/kernelfuzz seed 2021, 150 steps, FORK
# 1 OPS 0x1ff, s054: 2 against 1).
# Before 2026-12-06 vmtrace followed none of these calls: read-low 1
# fault per page (4), read-high 8 invalid (SIGBUS past the old end),
# reread-low 0, read-mid 4, read-f 1 and 2 invalid, read-n 16 (found by
# tests/kernelfuzz's fallocate and pwrite operations, seeds 6 and 21 with
# OPS 0x1ff).
scenario("shm/syscalls", "shared_anon", ["syscalls"], [
    Expect("m", "pwrite"),
    Expect("m", "read-low", pages=4, file_read=1),
    Expect("m", "grow"),
    Expect("m", "read-high", pages=8, file_read=8),
    Expect("m", "punch"),
    Expect("m", "reread-low", file_read=2),
    Expect("m", "falloc"),
    Expect("m", "read-mid", pages=4, file_read=3),
    Expect("f", "append"),
    Expect("f", "read-f", pages=4, file_read=1),
    Expect("n", "read-n", pages=16, file_read=12),
    Expect("o", "falloc-o"),
    Expect("o", "read-o", pages=16, file_read=12),
])

# A write into shared memory whose buffer is a shared mapping of the same
# memfd (generic_perform_write, Linux 6.18: ->write_begin makes each page
# before the copy into it, which runs with page faults disabled; a copy
# that fails for a source page not mapped gives the page back as it is,
# zeroed and uptodate (shmem_write_end), then faults the source page in
# and copies again).  A memfd of 8 pages mapped whole ("m", 64 KiB-
# aligned), page 0 written by pwrite, 1-7 holes; pwrite of m's pages 0-2
# to pages 2-4.  Page 2 is made, the source page 0 faults (`file_read`),
# its fault-around maps 0 and 2; page 3 is made, the source page 1 (a
# hole) faults, fault-around maps 3 and shmem_fault allocates 1; page 4
# is made, its source page 2 mapped already: 2 `file_read`.  Reading
# pages 0-3 then costs 0; 4-7: 4 (page 4 exists but was made after the
# last fault; 5-7 are holes, each its own; pages 0-2 were touched by the
# write, so read-low touches 1 page first).  Before 2026-12-07 vmtrace
# read the whole buffer before the write made any page: write-self 3
# (pages 0, 1 and 2, each alone), read-low 1 (page 3, whose fault maps 4)
# and read-high 3 (tests/kernelfuzz seed 2713, 300 steps, FORK 0, OPS
# 0x1ff, FZNOMREMAP=1, s206: 2 natively, 3 here).
scenario("shm/write-self", "shared_anon", ["write-self"], [
    Expect("m", "write-self", pages=3, file_read=2),
    Expect("m", "read-low", pages=1),
    Expect("m", "read-high", pages=4, file_read=4),
])

# A file on a tmpfs mounted anywhere (here in a mount namespace of the
# client's own, on a new folder of $TMPDIR) is shared memory as much as
# one under /dev/shm: shmem_fault, no readahead, no major fault, no dirty
# tracking.  "s", 16 pages made by ftruncate, read whole by pread()
# first (shmem_file_read_iter allocates nothing for a hole), then mapped
# MAP_SHARED read-write: each read fault allocates its page and
# fault-around finds no other: 16 `file_read`; writing them costs 0 (the
# read faults mapped them writable: no write-notify).  "w", 16 pages
# written by write() before the mmap: the first read fault maps all 16,
# 1 `file_read`; writing them, 0.  The same under --page-cache=cold
# (nothing of tmpfs is read from a disk).  Before 2026-12-06 vmtrace took
# only /dev/shm and memfd files for shared memory, and a tmpfs file
# elsewhere for a disk's: read-s 1 `file_read` (under cold too: the
# pread had read the file ahead into the model's page cache), write-s
# and write-w 16 `wp_shared` each.
TMPFS = [
    Expect("s", "read-s", pages=16, file_read=16),
    Expect("s", "write-s"),
    Expect("w", "read-w", pages=16, file_read=1),
    Expect("w", "write-w"),
]
scenario("shm/tmpfs", "shared_anon", ["tmpfs"], TMPFS)
scenario("shm/tmpfs cold", "shared_anon", ["tmpfs"], TMPFS, vm_args=["--page-cache=cold"])
