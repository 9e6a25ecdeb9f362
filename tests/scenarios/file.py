"""A 256-page file in the page cache: fault-around, private and shared writes."""

from vmtest import Expect
from .scenario import scenario


# ---- 2. a 256-page (1 MiB) file, all in the page cache -------------
# A read fault on a file page goes through do_read_fault; fault-around
# (do_fault_around) maps, together with the faulting page, every cached
# page of the fault_around_bytes (64 KiB = 16 pages) window aligned in
# virtual address that contains it, clamped to the VMA (and to the PMD,
# which a 64 KiB-aligned window never crosses).  Pages already mapped are
# skipped, so reading pages 0..255 in order faults once per window:
#   aligned start A (A % 64 KiB == 0): windows [A + 64 KiB*k, +64 KiB),
#     k = 0..15, each fully inside the VMA: 256 / 16 = 16 faults.
#   skewed start A + 4 KiB: the first window [A, A+64K) holds file pages
#     0..14 (15 pages), then 15 full windows cover pages 15..254, and the
#     last window [A+1M, A+1M+64K) holds only page 255: 1 + 15 + 1 = 17.
# With --fault-around=4096 every page is its own window: 256.
# Write faults never fault around: a first write to a private file page
# copies it (do_cow_fault, `file_cow`), to a shared one makes it writable
# and dirty (do_shared_fault, `file_shared`): 256 either way.  After a read,
# the pages are mapped read-only (private: so they are copied on write,
# do_wp_page -> wp_page_copy, `wp_copy`; shared on ext4, which has
# page_mkwrite: the VMA wants write-notify for dirty tracking, so the first
# write of each page is do_wp_page -> wp_page_shared, `wp_shared`): 256.
FILE_READ = {"aligned": 16, "skewed": 17}
for layout in ("aligned", "skewed"):
    scenario("file/read %s" % layout, "file", [layout, "read"], [
        Expect("file", "read", pages=256, file_read=FILE_READ[layout]),
    ])
scenario("file/read aligned fault-around=4096", "file", ["aligned", "read"], [
    Expect("file", "read", pages=256, file_read=256),
], vm_args=["--fault-around=4096"])
scenario("file/read skewed fault-around=4096", "file", ["skewed", "read"], [
    Expect("file", "read", pages=256, file_read=256),
], vm_args=["--fault-around=4096"])
scenario("file/write-private", "file", ["aligned", "write-private"], [
    Expect("file", "write", pages=256, file_cow=256),
])
scenario("file/write-shared", "file", ["aligned", "write-shared"], [
    Expect("file", "write", pages=256, file_shared=256),
])
for layout in ("aligned", "skewed"):
    scenario("file/read-write-private %s" % layout, "file",
             [layout, "read-write-private"], [
                 Expect("file", "read", pages=256, file_read=FILE_READ[layout]),
                 Expect("file", "write", wp_copy=256),
             ])
    scenario("file/read-write-shared %s" % layout, "file",
             [layout, "read-write-shared"], [
                 Expect("file", "read", pages=256, file_read=FILE_READ[layout]),
                 Expect("file", "write", wp_shared=256),
             ])

# ---- 3. writeback write-protects what shared mappings dirtied -----------
# As a dirty page's writeback begins (folio_clear_dirty_for_io ->
# folio_mkclean), every shared mapping's PTE of it is cleaned and
# write-protected, so that the next write through it faults
# (do_wp_page -> wp_page_shared, `wp_shared`) and dirties it again.  The
# 256 pages written through a shared mapping (256 `file_shared`), then
# each way of writing pages back followed by a write of every page:
#   msync(MS_SYNC) of the mapping (vfs_fsync_range): 256
#   msync(MS_ASYNC): starts nothing (Linux 2.6.19 on): 0
#   fsync: 256
#   msync(MS_SYNC) of pages [64,128) (that part of the file): 64
#   sync_file_range(SYNC_FILE_RANGE_WRITE) of [0,128), not waited for: 128
#   POSIX_FADV_DONTNEED of [128,256) (it starts their writeback, and
#   keeps the mapped pages): 128
#   sync (every dirty page of every filesystem written back and waited
#   for: sync_inodes_sb): 256
#   syncfs of the file's filesystem: 256
# and after each an fsync and a write of every page: 256.  Until
# 2026-12-06 the model kept the PTEs writable (0 in every step), and
# did not follow sync and syncfs (0 in theirs).
SYNC_STEPS = {"msync": 256, "msync-async": 0, "fsync": 256, "msync-part": 64, "range": 128,
              "dontneed": 128, "sync": 256, "syncfs": 256}
scenario("file/write-sync", "file", ["aligned", "write-sync"], [
    Expect("file", "write", pages=256, file_shared=256),
] + [Expect("file", step, wp_shared=n) for step, n in SYNC_STEPS.items()]
  + [Expect("file", "fsync-" + step, wp_shared=256) for step in SYNC_STEPS])
scenario("file/write-sync cold", "file", ["aligned", "write-sync"], [
    Expect("file", "write", pages=256, file_shared=256),
] + [Expect("file", step, wp_shared=n) for step, n in SYNC_STEPS.items()]
  + [Expect("file", "fsync-" + step, wp_shared=256) for step in SYNC_STEPS],
    vm_args=["--page-cache=cold"], native=False)

# ---- 4. pages dirtied through a shared mapping, then advised away ------
# A write fault through a shared mapping marks the page-cache folio dirty
# (do_shared_fault / wp_page_shared -> fault_dirty_shared_page).  The 256
# pages written through the mapping (256 `file_shared`), the mapping
# unmapped, then POSIX_FADV_DONTNEED of the whole file without an fsync:
# generic_fadvise starts the dirty folios' writeback and invalidates only
# folios neither dirty nor under writeback, so every page stays, and the
# file mapped again privately and read takes the 16 fault-around windows
# of a cached file, none major.  With msync(MS_SYNC) before the munmap the
# pages are clean and go: the read faults them in again, read-around of
# 2,048 pages at page 0 covering the 256-page file in order-0 folios
# before its mark, then fault-around: 1 major + 15 minor.  Under
# --page-cache=cold only (the warm page cache drops nothing).  Until
# 2026-12-07 the model marked only write(2)'s pages dirty, and the advice
# dropped the pages written through the mapping (1 major + 15 in both).
from .folio import NATIVE as _RA_NATIVE, COLD as _COLD_RA

scenario("file/write-dontneed cold", "file", ["aligned", "write-dontneed"], [
    Expect("file", "write", pages=256, file_shared=256),
    Expect("file", "read", pages=256, file_read=16),
], vm_args=_COLD_RA, native=_RA_NATIVE)
scenario("file/write-msync-dontneed cold", "file", ["aligned", "write-msync-dontneed"], [
    Expect("file", "write", pages=256, file_shared=256),
    Expect("file", "read", pages=256, file_major=1, file_read=15),
], vm_args=_COLD_RA, native=_RA_NATIVE, native_slack=1)
# The same, and POSIX_FADV_WILLNEED of the whole file before it is mapped
# again: force_page_cache_ra reads the 256 pages back (at most
# max(io_pages, ra_pages) of them: 2,048 here) in order-0 folios
# (page_cache_ra_unbounded at the mapping's minimum order), so the read
# takes the 16 fault-around windows of a cached file, none major.
# MADV_WILLNEED of a file mapping (madvise_willneed) and readahead(2)
# (ksys_readahead) are the same advice.  Until 2026-12-07 the model did
# not see any of them: 1 major + 15.
for how in ("willneed", "madvise", "readahead"):
    scenario("file/write-msync-dontneed-%s cold" % how, "file",
             ["aligned", "write-msync-dontneed-" + how], [
                 Expect("file", "write", pages=256, file_shared=256),
                 Expect("file", "read", pages=256, file_read=16),
             ], vm_args=_COLD_RA, native=_RA_NATIVE)
