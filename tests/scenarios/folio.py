"""Large folios in the page cache of a file read through a mapping: how
readahead makes them and how a read fault maps them (Linux 6.18, ext4)."""

import os

from vmtest import Expect
from .scenario import scenario
from .checks import misplaced, total
from .proc_checks import at

# Kernel background (mm/readahead.c, mm/filemap.c).  A read fault on a
# page that is not cached (filemap_fault -> do_sync_mmap_readahead) reads
# around it: ra_pages pages (the disk's read_ahead_kb / 4) from
# max(0, page - ra_pages/2), order-0 folios, the page ra_pages/4 before
# the end marked PG_readahead.  A fault that reaches the marked folio
# (do_async_mmap_readahead -> page_cache_async_ra) reads the next window
# (as large as the last, growing towards ra_pages) in folios two orders
# larger than the last window's, up to the PMD's order 9, and marks its
# first folio.  Read faults map the cached pages of the 16-page
# fault-around window (do_fault_around -> filemap_map_pages), and each
# large folio the window reaches whole when it fits in the VMA and the
# PTE table: one fault per 64-page or 256-page folio, one per 2 MiB
# folio.  The first fault is major; the async ones are minor.
#
# The kernel's count is a few minor faults higher when a fault comes while
# readahead's I/O is still in flight: it finds those folios not uptodate
# and fault-around maps fewer pages (436 to 442 of 435 here, quiet or
# not, and 442 in a CI run).  So natively the client waits after each
# faulting page until the disk has no read in flight (tests/clients/folio.c):
# then 435, now and then 436.  native_slack (1% of the figure) allows for
# what the wait cannot see (another process's reads keep the device busy
# past its 200 ms), and the native run is made up to three times in all.
#
# The figures below are for ra_pages = 2048 (read_ahead_kb 8192, as the
# disk of the machine these tests were written on has); on a machine
# whose disk says otherwise the cases run under vmtrace only (with
# --readahead=2048) and the kernel is not asked.
RA_PAGES = 2048


def machine_ra_pages():
    """ra_pages of the disk that holds $TMPDIR (where the client's file
    lives): its bdi's read_ahead_kb / 4; None if unknown."""
    try:
        st = os.stat(os.environ.get("TMPDIR") or "/tmp")
        with open("/sys/class/bdi/%d:%d/read_ahead_kb"
                  % (os.major(st.st_dev), os.minor(st.st_dev))) as f:
            return int(f.read()) // 4
    except (OSError, ValueError):
        return None


NATIVE = machine_ra_pages() == RA_PAGES
COLD = ["--page-cache=cold", "--readahead=%d" % RA_PAGES]

# 64 MiB (16,384 pages), dropped from the cache, read page by page:
#   [0, 2048)       read-around at page 0, order 0: 128 windows, 128
#                   faults (the first major); page 1536 marked
#   [2048, 4096)    read at 1536, order 2: 16-page windows, 128 faults
#   [4096, 6144)    order 4 (16 pages): 128 faults
#   [6144, 8192)    order 6 (64 pages): one fault per folio, 32
#   [8192, 10240)   order 8 (256 pages): 8
#   [10240, 16384)  order 9 (2 MiB, three windows): 12
# 1 major + 435 minor = 436 faults, not the 16,384 / 16 = 1,024 of
# fault-around over order-0 pages.
scenario("folio/cold 64M", "folio", ["cold", "16384"], [
    Expect("file", "read", pages=16384, file_major=1, file_read=435),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_slack=5)

# 1 MiB (256 pages): the read-around reaches the end of the file before
# its mark: all order 0, 16 windows: 1 major + 15 minor (16 minor once,
# under load: a fault during the read-around's I/O, native_slack).
scenario("folio/cold 1M", "folio", ["cold", "256"], [
    Expect("file", "read", pages=256, file_major=1, file_read=15),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_slack=1)

# A folio that reaches the file's last page is mapped by fault-around only
# within the window (filemap_map_pages, Linux 6.18: file_end >=
# folio_next_index, so that no PTE lies past i_size).  32 MiB (8,192
# pages) read as the 64 MiB above: [0,6144) 384 faults, the first major;
# [6144,8192) in 64-page folios, 31 mapped one fault each, the last,
# [8128,8192), in four 16-page windows: 1 major + 418 minor.  (A 2 MiB
# folio there, first in its PTE table, is mapped whole all the same:
# fault-around maps nothing without a table and finish_fault maps the
# folio, as in the 64 MiB case.)  vmtrace mapped the last folio whole
# until 2026-12-06: 415 minor.
scenario("folio/cold 32M", "folio", ["cold", "8192"], [
    Expect("file", "read", pages=8192, file_major=1, file_read=418),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_slack=4)

# MADV_RANDOM (VM_RAND_READ): no readahead; each fault reads its one page
# and fault-around finds nothing else cached: 256 major faults in 1 MiB.
scenario("folio/random 1M", "folio", ["random", "256"], [
    Expect("file", "read", pages=256, file_major=256),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0})

# MADV_HUGEPAGE (VM_HUGEPAGE): the fault at page 0 reads two PMD-sized
# folios from the aligned index, the second marked; each later window is
# PMD-sized folios too.  Every folio is mapped whole by its first fault
# (PTE-mapped: the client disabled THP for itself, which stops only the
# PMD mapping): 8 MiB, 4 faults, 1 major (64 MiB: 32, 1 major).
scenario("folio/huge 8M", "folio", ["huge", "2048"], [
    Expect("file", "read", pages=2048, file_major=1, file_read=3),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0},
    checks=[total("file_pmd_pages", 0)])

# The same 1 MiB, but its first page read with pread(2) before the reads
# through the mapping (sqlite reads a database's header so; the mapping
# shares the descriptor's readahead state, file->f_ra).  The read misses:
# page_cache_sync_ra at index 0 for 1 page starts a stream, window
# get_init_ra_size(1) = 4 pages [0,4), async_size 3: page 1 marked.  Then
# through the mapping (16-page fault-around windows; a larger folio is
# mapped whole):
#   0   cached by the read: minor, maps 0, 2, 3 (1 is marked)
#   1   marked: page_cache_async_ra, the next window 16 pages [4,20) in
#       order-2 folios, [4,8) marked; maps 1 and [8,16)
#   4   marked: [20,80), 64 pages less 4 to end aligned to 16, order 4
#       ([20,24) order 2, marked; [24,32) order 3; then 16-page folios);
#       maps 4..7
#   16  [16,20): maps it and [24,32)
#   20  marked: [80,320) cut at the end of the file, order 6 ([80,96)
#       order 4, marked; [96,128) order 5; [128,192), [192,256)); maps
#       20..23
#   32, 48, 64, 80, 96, 128: one fault a folio
#   192, 208, 224, 240: [192,256) reaches the file's last page, so
#       fault-around maps it only within its window (below)
# 15 faults, none major (the read brought the first page in), against the
# 1 + 15 without the read: vmtrace follows read(2)'s readahead under
# --page-cache=cold since 2026-12-06 (before: 16, the read unseen).
scenario("folio/pread 1M", "folio", ["pread", "256"], [
    Expect("file", "read", pages=256, file_read=15),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0})

# The same, but the page read through the descriptor the file was written
# with, and the file then opened again and mapped through the new open
# file (sqlite's shell reads a database's header so, then opens it again):
# the read left [0,4) cached (FACT cached-before: get_init_ra_size(1) = 4)
# with page 1 marked, and the new open file's readahead state is fresh
# (file_ra_state_init).  Through the mapping:
#   0   minor, maps 0, 2, 3
#   1   marked, but no window to match: the next window starts at the
#       first page not cached, 4, and is (4 - 1) + ra_pages, at most
#       ra_pages: [4,2052) cut at the end of the file, order 2 (0 + 2),
#       [4,8) marked; maps 1 and [8,16)
#   4   marked, the expected page: the next window lies past the end;
#       maps 4..7
#   16, 32, ..., 240: 16-page windows over order-2 folios, 15
# 18 faults, none major.  The model keeps one readahead state a file and
# starts it afresh at each open (since 2026-12-06; before, the mapping
# went on with the read's window: 15 faults, the pread case's).
scenario("folio/reopen 1M", "folio", ["reopen", "256"], [
    Expect("file", "read", pages=256, file_read=18),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 4})

# posix_fadvise's hints of the open file (generic_fadvise, Linux 6.18):
# POSIX_FADV_SEQUENTIAL sets file->f_ra.ra_pages to twice the disk's,
# POSIX_FADV_RANDOM sets FMODE_RANDOM, POSIX_FADV_NORMAL restores the
# disk's window and clears FMODE_RANDOM (and FMODE_NOREUSE).  The mapping
# shares the open file's f_ra, so the doubled window is every readahead's
# there, the read-around's too.  FMODE_RANDOM is read only by
# page_cache_sync_ra (read(2)'s readahead, and the fault of a
# VM_SEQ_READ mapping), which then reads just the pages asked for
# (force_page_cache_ra, at most max(io_pages, ra_pages), order 0,
# unmarked); the read-around of a plain mapping and the asynchronous
# readahead of a marked folio do not look at it.  The client gives the
# advice after dropping the file, before mapping it.
#
# SEQUENTIAL, 64 MiB (16,384 pages), ra_pages 2 x 2,048 = 4,096:
#   [0, 4096)       read-around at page 0: [0,4096) order 0, page 3072
#                   marked: 256 faults (the first major)
#   [4096, 8192)    read at 3072, order 2: 256 faults; 4096 marked
#   [8192, 12288)   order 4 (16 pages): 256 faults; 8192 marked
#   [12288, 16384)  order 6 (64 pages): 63 folios one fault each, the
#                   last, [16320,16384), reaching the file's last page, in
#                   four 16-page windows (as "cold 32M"): 67
# 1 major + 834 minor, against "cold 64M"'s 1 + 435.
scenario("folio/fadvise sequential 64M", "folio", ["fadvise", "16384", "sequential"], [
    Expect("file", "read", pages=16384, file_major=1, file_read=834),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_slack=8)

# SEQUENTIAL, then the file opened again and mapped through the new open
# file: its window is the disk's (file_ra_state_init), its mode without
# hints: "cold 64M"'s 1 + 435.  (The model keeps the hints per file and
# starts them afresh at each open.)
scenario("folio/fadvise sequential-reopen 64M", "folio",
         ["fadvise", "16384", "sequential,reopen"], [
    Expect("file", "read", pages=16384, file_major=1, file_read=435),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_slack=5)

# SEQUENTIAL then NORMAL: the disk's window again, "cold 64M"'s 1 + 435.
scenario("folio/fadvise sequential-normal 64M", "folio",
         ["fadvise", "16384", "sequential,normal"], [
    Expect("file", "read", pages=16384, file_major=1, file_read=435),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_slack=5)

# RANDOM and a plain mapping: the read-around does not look at
# FMODE_RANDOM, so the reads are "cold 1M"'s: 1 major + 15 minor (not one
# major fault a page, which MADV_RANDOM's VM_RAND_READ gives: "random 1M").
scenario("folio/fadvise random 1M", "folio", ["fadvise", "256", "random"], [
    Expect("file", "read", pages=256, file_major=1, file_read=15),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_slack=1)

# RANDOM and a mapping advised MADV_SEQUENTIAL, 16 MiB (4,096 pages): the
# VM_SEQ_READ fault calls page_cache_sync_ra for ra_pages = 2,048 pages,
# which FMODE_RANDOM forces: [0,2048) order 0, unmarked (io_pages, 1,024
# here, is the smaller).  Fault-around maps 16 pages a fault: [0,2048) in
# 128 faults, the first major; page 2048 is not cached: major, [2048,4096)
# the same way: 2 major + 254 minor.  Without the advice ("madv-seq",
# below) the sync readahead marks page 1024, whose fault reads [2048,4096)
# ahead in order-2 folios: 1 major + 255 minor.
scenario("folio/fadvise random-madv-seq 16M", "folio", ["fadvise", "4096", "random,madv-seq"], [
    Expect("file", "read", pages=4096, file_major=2, file_read=254),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_slack=3)

scenario("folio/fadvise madv-seq 16M", "folio", ["fadvise", "4096", "madv-seq"], [
    Expect("file", "read", pages=4096, file_major=1, file_read=255),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_slack=3)

# RANDOM, NORMAL, then the same mapping: NORMAL cleared FMODE_RANDOM, so
# the reads are "madv-seq"'s: 1 major + 255 minor.
scenario("folio/fadvise random-normal-madv-seq 16M", "folio",
         ["fadvise", "4096", "random,normal,madv-seq"], [
    Expect("file", "read", pages=4096, file_major=1, file_read=255),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_slack=3)

# The whole 16 MiB read with pread(2), 64 KiB a call, before the mapping,
# without advice: readahead (page_cache_sync_ra, page_cache_async_ra as
# the reads reach each marked folio; ra_pages 2,048):
#   read at 0 (16 pages): window get_init_ra_size(16) = 64, [0,64) order
#       0, page 16 marked
#   16: the next window 4 x 64 = 256, [64,320) order 2, 64 marked
#   64: 2 x 256, [320,832) order 4; 320: 1,024, [832,1856) order 6
#   832: 2,048 cut to end aligned to 256: [1856,3840), order 8 where
#       aligned: [1856,1920) order 6, [1920,2048) order 7, then seven
#       256-page folios
#   1856: [3840,4096) one 256-page folio, reaching the file's last page
# Through the mapping: [0,64) 4 faults, [64,320) 16, [320,832) 32 (a
# 16-page folio a window), [832,1856) 16, [1856,2048) 2, [2048,3840) 7,
# the last folio 16 windows (mapped only within them, as "cold 32M"): 93
# minor faults, none major.
scenario("folio/fadvise read 16M", "folio", ["fadvise", "4096", "read"], [
    Expect("file", "read", pages=4096, file_major=0, file_read=93),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 4096})

# RANDOM, then the whole 16 MiB read with pread(2), 64 KiB a call, before
# the mapping: each read misses, and page_cache_sync_ra, forced, reads its
# 16 pages alone, order 0, unmarked; every page is cached (FACT
# cached-before 4,096).  Through the mapping, fault-around maps 16 cached
# pages a fault: 4,096 / 16 = 256 minor faults, none major, against
# "read 16M"'s 93.  (The model takes the advice since 2026-12-07: before,
# 93 here, and "sequential 64M" 1 + 435, "random-madv-seq" 1 + 255.)
scenario("folio/fadvise random-read 16M", "folio", ["fadvise", "4096", "random,read"], [
    Expect("file", "read", pages=4096, file_major=0, file_read=256),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 4096})

# A file written a page at a time stays in order-0 folios (ext4 gives a
# write a folio no larger than it) and cached: 16-page fault-around
# windows, 1,024 / 16 = 64 faults, as vmtrace's warm cache assumes.
scenario("folio/pages 4M", "folio", ["pages", "1024"], [
    Expect("file", "read", pages=1024, file_read=64),
])

# ---- a file written in large writes, left cached ----------------------
#
# A buffered write (generic_perform_write, ext4 since Linux 6.16) goes a
# folio at a time, each step at most to the end of the 2 MiB chunk the
# position lies in; a page not cached gets a new folio of the largest
# order whose size the step's bytes reach (fgf_set_order), smaller if its
# index is not aligned to that order, and smaller again while the range
# holds a cached page; the step ends at the folio's end.  Read faults then
# map those folios as readahead's (above).  On a filesystem without large
# folios (TMPDIR on tmpfs, ext4 before 6.16) every folio is a page, and
# 16-page fault-around gives pages / 16 faults: vmtrace looks the
# filesystem up as the kernel's behaviour differs, so the cases expect
# that there.  Until 2026-12-06 vmtrace took every written page as order 0
# (the "order 0" figures below) on every filesystem.


def large_write_folios():
    """Whether files in $TMPDIR get large folios from writes: ext4 on
    Linux 6.16 or later, XFS on 6.6 or later (as the tool decides)."""
    try:
        st = os.stat(os.environ.get("TMPDIR") or "/tmp")
        want = "%d:%d" % (os.major(st.st_dev), os.minor(st.st_dev))
        fstype = None
        with open("/proc/self/mountinfo") as f:
            for line in f:
                left, _, right = line.partition(" - ")
                if left.split()[2] == want:
                    fstype = right.split()[0]
                    break
        rel = tuple(int(x) for x in os.uname().release.split("-")[0].split(".")[:2])
    except (OSError, ValueError, IndexError):
        return False
    return (fstype == "ext4" and rel >= (6, 16)) or (fstype == "xfs" and rel >= (6, 6))


LARGE = large_write_folios()


def written(name, args, pages, large, **kw):
    scenario("folio/" + name, "folio", args, [
        Expect("file", "read", pages=pages, file_read=large if LARGE else -(-pages // 16)),
    ], **kw)


# 64 MiB in 1 MiB write()s: 64 folios of 256 pages.  Each of the first 63
# is mapped whole by the fault on its first page (it lies in one PTE table
# and ends before the file's last page); the last reaches the last page,
# so fault-around maps it only within its 16-page windows: 63 + 16 = 79
# faults (order 0: 1,024).
written("written 64M", ["written", "16384", "1048576"], 16384, 79)

# 8 MiB in 4 MiB writes: each write is two steps of 2 MiB, so four 2 MiB
# folios (order 9).  The first three are mapped whole by one fault each
# (PTE-mapped: the client disabled THP for itself); the last reaches the
# file's last page, so fault-around maps nothing there without a PTE
# table, and finish_fault maps the folio whole: 4 faults (order 0: 128).
written("written 8M", ["written", "2048", "4194304"], 2048, 4,
        checks=[total("file_pmd_pages", 0)])

# The same with THP left enabled: each 2 MiB folio the kernel's PMD covers
# exactly is mapped by one PMD (do_set_pmd), the last one too (by
# finish_fault): 4 faults, FilePmdMapped 8,192 kB.
written("written-thp 8M", ["written-thp", "2048", "4194304"], 2048, 4,
        facts={"file-pmd-kb": 8192 if LARGE else 0},
        checks=[total("file_pmd_pages", 2048 if LARGE else 0)])

# The same four 2 MiB folios mapped shared and writable, THP left enabled.
# A shared writable mapping of ext4 tracks writes (write-notify), so the
# read faults map each folio by a read-only PMD (do_set_pmd): 4.  A write
# through one (wp_huge_pmd) finds no huge_fault on ext4 and splits the
# PMD, which for a file only clears it, and the fault goes on at PTE
# level: do_shared_fault, whose finish_fault maps the folio by a
# writable PMD again: 4 `file_shared`.  fsync's writeback write-protects
# the PMDs (folio_mkclean -> page_vma_mkclean_one), so the next writes
# fault so again: 4; once more, none.  FilePmdMapped stays 8,192 kB.
# Until 2026-12-07 the model left a PMD-mapped folio writable after the
# writeback: 0 in "fsync".
if LARGE:
    scenario("folio/written-thp-shared 8M", "folio",
             ["written-thp-shared", "2048", "4194304"], [
                 Expect("file", "read", pages=2048, file_read=4),
                 Expect("file", "write", pages=0, file_shared=4),
                 Expect("file", "fsync", pages=0, file_shared=4),
                 Expect("file", "again", pages=0),
             ], facts={"file-pmd-kb": 8192}, checks=[total("file_pmd_pages", 2048)])

# 4 MiB in 3 MiB writes: the first write's steps end at the 2 MiB chunk's
# end, [0,512) order 9, then [512,768) order 8; the second, 1 MiB at page
# 768, [768,1024) order 8, which reaches the last page: 1 + 1 + 16 = 18
# faults (order 0: 64).
written("written 4M by 3M", ["written", "1024", "3145728"], 1024, 18)

# 1 MiB written in one write after its page 5 alone: the folio at page 0
# cannot be order 8 (its range holds page 5), nor 7 ... 3; it is [0,4)
# order 2, then 4 alone, 5 as it was, [6,8) order 1 (6 is not aligned to
# more), [8,16), [16,32), [32,64), [64,128), [128,256).  Faults: 0 (maps
# [0,16)), 16, 32, 64, then [128,256) reaches the last page: 8 windows;
# 12 faults (order 0: 16).
written("written around a page", ["written", "256", "1048576", "0", "5"], 256, 12)

# 514 pages: page 0 alone, then 1 MiB pwrite()s from byte 5000 (page 1,
# not page-aligned): page 1 order 0 (index 1 allows no more), [2,4) order
# 1, [4,8) order 2, ..., [128,256) order 7, 256 and 257 order 0 (the
# write's last 5,000 bytes), the second write after page 257 (the first
# one's): [258,260) order 1 ... [384,512) order 7, 512 and 513 order 0.
# Faults: 0 (maps [0,16)), 16, 32, 64, 128, 256 (maps [256,272)), 272,
# 288, 320, 384, 512: 11 (order 0: 33).
written("written unaligned", ["written", "514", "1048576", "5000", "0"], 514, 11)

# 4 MiB written a page at a time, then again in 1 MiB writes: the second
# writes find every page cached in an order-0 folio and keep them: 64
# faults, as order 0.
written("written over pages", ["written", "1024", "1048576", "0", "all"], 1024, 64)

# Under --page-cache=cold the run's writes bring their pages into the
# cache too (since 2026-12-06; before, a page written and not dropped was
# read again from the file: here 1 major fault and readahead's windows),
# and the cases above that drop their file (POSIX_FADV_DONTNEED after
# fsync) check that the drop takes them out again.
written("written 64M cold", ["written", "16384", "1048576"], 16384, 79, vm_args=COLD,
        native=True)
written("written unaligned cold", ["written", "514", "1048576", "5000", "0"], 514, 11,
        vm_args=COLD, native=True)
# POSIX_FADV_DONTNEED without an fsync first (generic_fadvise): it starts
# the dirty folios' writeback and then invalidates only folios neither
# dirty nor under writeback, so every folio the writes made stays: 79
# faults, none major.  (Until 2026-12-06 the model took every page as
# clean and dropped the file: 1 major + 435, as "cold 64M".)  fsync'd and
# advised again, the file goes: the reads are "cold 64M"'s.
written("written 64M unsynced cold", ["written", "16384", "1048576", "0", "unsynced"], 16384,
        79, vm_args=COLD, native=True)
scenario("folio/written 64M unsynced-sync cold", "folio",
         ["written", "16384", "1048576", "0", "unsynced-sync"], [
             Expect("file", "read", pages=16384, file_major=1, file_read=435),
         ], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_slack=5)

# 4 MiB written a page at a time, mapped and read (64 faults), then
# truncated by an open with O_TRUNC (truncate_pagecache: its pages leave
# the cache and the mapping) and written again in 1 MiB writes: four
# 256-page folios, the last reaching the last page: the same mapping's
# second read takes 3 + 16 = 19 faults.  (Until 2026-12-06 vmtrace did not
# see the truncation: the second read took none.)
scenario("folio/written after O_TRUNC", "folio", ["written", "1024", "1048576", "0", "trunc"], [
    Expect("file", "before", pages=1024, file_read=64),
    # pages touched for the first time: none, the first read touched them
    Expect("file", "read", pages=0, file_read=19 if LARGE else 64),
])

# The same 64 MiB cold file mapped where the kernel chooses (no address
# asked for).  The kernel puts a file mapping that holds a whole 2 MiB of
# the file at an address congruent to its offset modulo 2 MiB
# (thp_get_unmapped_area), so the folios fit the PTE tables as above: 436
# faults; and with THP left enabled (the client turns it back on natively)
# each of the twelve 2 MiB folios is mapped by a PMD (do_set_pmd):
# FilePmdMapped 24,576 kB.  Valgrind chose an address of its own (the
# check below makes sure it is not 2 MiB-aligned, so the case tells):
# vmtrace reckons with where the kernel would have put it (vm_koff); at
# Valgrind's address itself the folios would straddle the tables: 887.
scenario("folio/placed 64M", "folio", ["placed", "16384"], [
    Expect("file", "read", pages=16384, file_major=1, file_read=435),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0, "file-pmd-kb": 24576},
    native_slack=5, checks=[misplaced("file"), total("file_pmd_pages", 24576 // 4)])

# ---- the page cache as the machine holds it (--page-cache=machine) -----
#
# A file another process made: the warm model cannot know its folios (it
# takes every page as order 0) and the cold one takes it as uncached.
# Under --page-cache=machine the tool asks the machine's page cache when
# the process first meets the file (vmtrace-pcache: mincore for the pages
# cached, /proc/kpageflags for their folios and PG_readahead), and starts
# the file from that.  The cases make the file in a child that exits
# before the parent opens it.
MACHINE = ["--page-cache=machine"] + ([] if NATIVE else ["--readahead=%d" % RA_PAGES])
# 64 MiB written by the child in 1 MiB write()s: 64 folios of 256 pages,
# as "written 64M": 63 + 16 = 79 faults (order 0, the warm model's, and
# a filesystem without large folios: 1,024).
scenario("folio/other 64M", "folio", ["other", "16384", "1048576"], [
    Expect("file", "read", proc="parent", pages=16384, file_read=79 if LARGE else 1024),
], vm_args=MACHINE, native=True, procs={"parent": at(), "child": at(0)}, tree="exit(exit)")
# The same, the parent reading a byte of the file (the probe comes here)
# and then advising POSIX_FADV_DONTNEED without an fsync: the child's
# pages are dirty still (the flusher writes them back after 30 s), so
# every folio stays, as the probe said (KPF_DIRTY): 79 faults, none
# major.  (Taken as clean, the file would go: 1 major + 435.)
scenario("folio/other 64M dontneed", "folio", ["other", "16384", "1048576", "dontneed"], [
    Expect("file", "read", proc="parent", pages=16384, file_read=79 if LARGE else 1024),
], vm_args=MACHINE, native=True, procs={"parent": at(), "child": at(0)}, tree="exit(exit)")
# 1 MiB written by the child, dropped, and its first page read with
# pread(2) there: [0,4) cached, page 1 marked PG_readahead (FACT
# cached-before).  The parent's open file starts a fresh readahead state,
# so its reads through the mapping go as "reopen 1M": 18 faults, none
# major (the cold model, which knows nothing cached: 1 major + 15).
scenario("folio/other-pread 1M", "folio", ["other-pread", "256"], [
    Expect("file", "read", proc="parent", pages=256, file_read=18),
], vm_args=MACHINE, native=NATIVE, facts={"parent:cached-before": 4},
    procs={"parent": at(), "child": at(0)}, tree="exit(exit)")
# ---- a file copied with sendfile, copy_file_range or splice ------------
#
# The client writes 64 MiB (16,384 pages) in 1 MiB writes, drops it from
# the cache (FACT cached-before: no page cached before the copy) and
# copies it into a new file (tests/clients/folio.c, "copy"), from byte 0
# or 5,000; then it reads the source ("src") or the copy ("dst"; "early":
# the copy mapped before the copy, while it was empty) through a mapping.
# The kernel moves the bytes through the page cache (fs/splice.c): the
# source read (filemap_splice_read, with readahead) as much at a time as
# the pipe has room for, the copy written (iter_file_splice_write ->
# generic_perform_write) as much as the pipe holds.  sendfile to a file
# and copy_file_range (ext4: splice_copy_file_range) go through
# do_splice_direct's pipe of 16 pages: reads and writes of 64 KiB.  The
# folios below were read from /proc/kpageflags after such copies (Linux
# 6.18, ext4).  vmtrace follows these calls since 2026-12-06; before, it
# saw neither side: under --page-cache=cold the mapping read the source
# and the copy from the disk (1 major fault, 435 minor), the warm cache
# took the copy's folios as order 0 (1,024 faults where a 1 MiB pipe's
# writes make 79), and a mapping of the copy made before the copy kept the
# empty file's size (16,384 invalid reads, beyond its end).
#
# The copy of 64 KiB writes from byte 0: 1,024 folios of 16 pages, one
# fault each (as fault-around's 16-page windows over order 0 would be).


def copy(name, args, faults, major=0, cold=True):
    """A "folio copy" case: the mapped file's read phase takes `faults`
    minor faults (and `major` major ones)."""
    kw = dict(vm_args=COLD, native=NATIVE) if cold else dict(native=True)
    pages = 16383 if len(args) > 2 and args[-1] == "5000" and args[1] != "src" else 16384
    scenario("folio/copy " + name, "folio", ["copy", "16384"] + args, [
        Expect("file", "read", pages=pages, file_read=faults, file_major=major),
    ], facts={"cached-before": 0}, **kw)


copy("sendfile dst", ["sendfile", "dst"], 1024)
copy("copy_file_range dst", ["cfr", "dst"], 1024)

# The source read in 64 KiB steps from page 0 (ra_pages 2048): the first
# misses, and page_cache_sync_ra for its 16 pages makes a window of
# get_init_ra_size(16) = 64 pages, order 0; each step that reaches the
# marked page reads the next window, larger, in folios of two orders more
# (page_cache_async_ra): [0,64) order 0, [64,320) order 2, [320,832) order
# 4, [832,1920) order 6 (17 folios), [1920,2048) order 7, [2048,4096)
# order 8, [4096,16384) order 9 (24 folios).  The mapping's faults:
# fault-around's 16-page windows over [0,832), 4 + 16 + 32; then one a
# folio, 17 + 1 + 8 + 24 (the last 2 MiB folio, first in its PTE table, is
# mapped whole by finish_fault): 102, none major (the copy read it all).
copy("sendfile src", ["sendfile", "src"], 102)
copy("splice src", ["splice", "src"], 102)

# From byte 5,000 (sendfile's offset pointer; copy_file_range's off_in;
# splice's off_in): page 0 is never read by the copy, and the mapping's
# fault there is major; the read-ahead from page 1 with 17 pages asked
# (64 KiB from an offset in page 1 reaches page 17) gives other windows:
# 1 major + 98 minor.
copy("sendfile src from 5000", ["sendfile", "src", "5000"], 98, major=1)
copy("copy_file_range src from 5000", ["cfr", "src", "5000"], 98, major=1)
copy("splice src from 5000", ["splice", "src", "5000"], 98, major=1)

# sendfile into a pipe (splice_file_to_pipe: one read a call, of what the
# pipe has room for, 16 pages here; vmtrace infers the room from what the
# call moved) reads the source as splice does.
copy("sendfile to a pipe src", ["sendfile-pipe", "src"], 102)
copy("sendfile to a pipe src from 5000", ["sendfile-pipe", "src", "5000"], 98, major=1)

# Through a pipe of 1 MiB (F_SETPIPE_SZ): 1 MiB reads, get_init_ra_size(256)
# = 512 pages first: [0,512) order 0, [512,1536) order 2, [1536,3584) order
# 4, [3584,5632) order 6, [5632,7680) order 8, [7680,16384) order 9: 32 +
# 64 + 128 faults in 16-page windows, then 32 + 8 + 17 folios: 281.
copy("splice 1M src", ["splice-1M", "src"], 281)

# The copy through a 1 MiB pipe: 1 MiB writes, 64 folios of 256 pages, the
# last mapped within its windows (as "written 64M"): 63 + 16 = 79.
copy("splice 1M dst", ["splice-1M", "dst"], 79)
copy("splice 1M dst warm", ["splice-1M", "dst"], 79, cold=False)

# From byte 5,000 through the 1 MiB pipe: the first splice moves 256
# buffers, 1 MiB less the 904 bytes of page 1 before byte 5,000, written
# at byte 0 of the copy: folios [0,128) order 7, [128,192) order 6,
# [192,224) order 5, [224,240) order 4, [240,248) order 3, [248,252)
# order 2, [252,254) order 1, 254 and 255 order 0 (the step's bytes
# halving, generic_perform_write); every later 1 MiB write starts 904
# bytes before a 256-page boundary and makes the same.  Per 256 pages 5
# faults: one for each of the orders 7, 6, 5, 4 and one for the window
# [240,256); 64 x 5 = 320 (the copy has 16,383 pages, its last window
# [16368,16383)).
copy("splice 1M dst from 5000", ["splice-1M", "dst", "5000"], 320)

# The copy mapped before it was made, while it was empty: Linux maps the
# pages it gets (the mapping's reach is the file's size at the fault),
# 1,024 faults as "sendfile dst".
copy("sendfile early warm", ["sendfile", "early"], 1024, cold=False)
copy("copy_file_range early from 5000 warm", ["cfr", "early", "5000"], 1024, cold=False)
copy("splice early cold", ["splice", "early"], 1024)

# A new file extended by ftruncate (nothing of it cached: a hole), mapped
# shared and written a byte per page (the output file of a linker that
# maps it, as ld.gold and ld.lld do).  A write fault on a page not cached
# reads around it as a read fault does (do_shared_fault -> filemap_fault:
# ext4 reads a hole as zeroes, no I/O, but the folios and their orders are
# readahead's), and finish_fault maps the whole folio of the page,
# writable and dirty, where it fits in the VMA and the PTE table (write
# faults do not fault around).  16 MiB (4,096 pages):
#   [0, 2048)     read-around at page 0, order 0: 2,048 faults (the first
#                 major); page 1536 marked
#   [2048, 4096)  read at 1536, order 2: one fault a folio, 512
# 1 major + 2,559 = 2,560, not 4,096 (vmtrace mapped one page a fault
# until 2026-12-07): a fault a folio, and natively the client counts the
# folios (native_folios; a CI run once met 3,246 + 2 majors in "fresh 64M",
# its large folios fallen back).
scenario("folio/fresh 16M", "folio", ["fresh", "4096"], [
    Expect("file", "write", pages=4096, file_major=1, file_shared=2559),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_folios=2560)

# 64 MiB (16,384 pages): [0,2048) 2,048, [2048,4096) order 2: 512,
# [4096,6144) order 4: 128, [6144,8192) order 6: 32, [8192,10240) order 8:
# 8, [10240,16384) order 9: 12 (PTE-mapped: the client disabled THP for
# itself; the last folio reaches the file's end, which finish_fault, unlike
# fault-around, allows): 1 major + 2,739, one a folio.
scenario("folio/fresh 64M", "folio", ["fresh", "16384"], [
    Expect("file", "write", pages=16384, file_major=1, file_shared=2739),
], vm_args=COLD, native=NATIVE, facts={"cached-before": 0}, native_folios=2740)

# ---- new pages under the warm page cache (the default) ------------------
#
# The warm model takes a file's pages as cached when the run meets the
# file; the pages the run adds to it (ftruncate or fallocate past its end,
# a write past its end, or all of a file it creates or truncates) were
# never read nor written, so none is cached natively: they are met as the
# cold model meets every page (readahead, large folios), while the pages
# the run writes with write(2) are cached as it wrote them.  Until
# 2026-12-07 the warm model took the new pages as cached in order-0 folios
# too: one fault a page for a shared write (4,096 here, none major), and
# no major fault for a read (a linker writing its output through a mapping
# took 15 to 22% more faults than natively, docs/validation.md).  The
# figures are the cold ones above ("fresh 16M": 1 major + 2,559), with the
# disk's readahead window (--readahead where the kernel is not asked).
WARM = [] if NATIVE else ["--readahead=%d" % RA_PAGES]


def fresh(name, args, phase, major, folios=2560, **counts):
    scenario("folio/fresh " + name, "folio", ["fresh", "4096"] + args, [
        Expect("file", phase, pages=4096, file_major=major, **counts),
    ], vm_args=WARM, native=NATIVE, native_folios=folios)


# The new file made 16 MiB by ftruncate or fallocate (mode 0: unwritten
# extents, read as zeroes as a hole is) and written through a shared
# mapping: "fresh 16M"'s 1 major + 2,559.
fresh("16M warm", ["ftruncate", "write"], "write", 1, file_shared=2559)
fresh("16M fallocate warm", ["fallocate", "write"], "write", 1, file_shared=2559)

# Made 16 MiB by a pwrite(2) of its last byte: that page is cached (order
# 0), so readahead's last order-2 folio [4092,4096) cannot be made
# (-EEXIST) and [4092,4095) are read as order-0 pages: 3 faults more.
fresh("16M pwrite warm", ["pwrite", "write"], "write", 1, folios=2563, file_shared=2562)

# Its first 4 MiB (1,024 pages) written a page at a time first (cached,
# order 0; FACT cached-before), then made 16 MiB by ftruncate: a fault a
# page over the written part (a shared write fault maps one page of an
# order-0 folio), the first fault past it major and reading around it: the
# window [0,2048) finds page 0 cached, so all of it is order 0 (page_cache_
# ra_order stops at the first cached page and page_cache_ra_unbounded
# fills in the rest), page 1536 marked; then [2048,4096) order 2: 1,024 +
# 1,024 + 512 faults, 1 of them major.
scenario("folio/fresh 16M over 4M written warm", "folio",
         ["fresh", "4096", "ftruncate", "write", "1024"], [
             Expect("file", "write", pages=4096, file_major=1, file_shared=2559),
         ], vm_args=WARM, native=NATIVE, facts={"cached-before": 1024},
         native_folios=2560)

# Read through a shared or a private mapping: 16-page fault-around windows
# over readahead's folios (order 0, then order 2): 4,096 / 16 = 256
# faults, the first major (the warm model: 256, none major).  Written
# through a private mapping: each write fault copies its page (do_cow_fault
# maps no folio), 4,096, the first reading around it: major (the mapped
# pages are the copies: 4,096 order-0 folios).
fresh("16M read warm", ["ftruncate", "read"], "read", 1, file_read=255)
fresh("16M private-read warm", ["ftruncate", "private-read"], "read", 1, file_read=255)
fresh("16M private-write warm", ["ftruncate", "private-write"], "write", 1, folios=4096,
      file_cow=4095)

# A new file of 16 pages written a page at a time (cached), mapped shared
# and written (16 `file_shared`), then truncated to 8 pages (its last 8
# leave the page cache and the mapping: truncate_pagecache) and made 16
# again by ftruncate: those 8 are a hole now.  Read: pages 0 to 7 are
# mapped still; the fault at page 8 is major, reads around it (order 0 up
# to the end of the file) and maps the window's 8 pages: 1 major.
# Written again: the 8 pages read are mapped read-only (write-notify): 8
# `wp_shared`.  Until 2026-12-07 the warm model took the 8 pages back as
# cached: the read's fault was a minor `file_read`.
scenario("folio/retrunc 16 pages warm", "folio", ["retrunc", "16"], [
    Expect("file", "write", pages=16, file_shared=16),
    Expect("file", "read", pages=0, file_major=1),
    Expect("file", "again", pages=0, wp_shared=8),
], vm_args=WARM, native=NATIVE)
