"""mlock and MAP_POPULATE: faults taken inside the call."""

from vmtest import Expect
from .scenario import scenario
from .checks import mapping_figures


# ---- mlock and MAP_POPULATE ------------------------------------------------
# mlock populates the range (populate_vma_page_range -> __get_user_pages):
# for a private writable VMA with FOLL_WRITE, so that the pages are private
# already and a later write cannot fault: each untouched page takes a write
# fault, do_anonymous_page, 10 `anon` (GUP faults count in min_flt too:
# mm_account_fault counts before looking at regs).  The writes that follow
# find writable PTEs: 0.  munlock only clears VM_LOCKED; the pages stay
# mapped writable: reading and writing them costs 0.  MAP_POPULATE
# populates the same way inside mmap: 10 `anon` in the mmap call, 0 on the
# writes.  A private read-only file mapping is populated with read faults
# (no FOLL_WRITE): do_read_fault with fault-around maps the 16 cached pages
# of the 64 KiB window: a 32-page mapping at a 64 KiB-aligned address
# takes 2 faults, `file_read`, and reading the pages afterwards 0.  The
# pages are referenced by the program first in the phase after the
# populating one (populating is the kernel's doing, not a reference).
scenario("populate/mlock", "populate", ["mlock"], [
    Expect("region", "mlock", anon=10),
    Expect("region", "write", pages=10),
    Expect("region", "munlock"),
    Expect("region", "access"),
], checks=[mapping_figures("region", resident=10, anon=10)])
scenario("populate/map-populate", "populate", ["map-populate"], [
    Expect("region", "mmap", anon=10),
    Expect("region", "write", pages=10),
], checks=[mapping_figures("region", resident=10, anon=10)])
scenario("populate/file", "populate", ["file-populate"], [
    Expect("region", "mmap", file_read=2),
    Expect("region", "read", pages=32),
], checks=[mapping_figures("region", resident=32, file_read=2)])
# mlockall(MCL_ONFAULT): apply_mlockall_flags gives what it locks
# VM_LOCKED | VM_LOCKONFAULT, and populate_vma_page_range leaves a
# VM_LOCKONFAULT VMA alone ("never used faultin_page()"), whoever asks:
# under MCL_FUTURE | MCL_ONFAULT an mmap (mm->def_flags) is locked but
# not populated, with MAP_POPULATE too: 0 in the mmap call, and each
# first write is do_anonymous_page, 10 `anon`.  MCL_CURRENT | MCL_ONFAULT
# locks every VMA without faulting a page: 0 in the call, 10 `anon` on
# the writes; the call also ends an earlier MCL_FUTURE (the mm's
# def_flags are cleared first), so a later mmap is not populated: 0,
# then 10 `anon`.
scenario("populate/lockall-onfault-future", "populate", ["lockall-onfault-future"], [
    Expect("region", "mmap"),
    Expect("region", "write", pages=10, anon=10),
    Expect("populated", "mmap-populate"),
    Expect("populated", "write-populated", pages=10, anon=10),
], checks=[mapping_figures("region", resident=10, anon=10),
           mapping_figures("populated", resident=10, anon=10)])
scenario("populate/lockall-onfault-current", "populate", ["lockall-onfault-current"], [
    Expect("region", "lockall"),
    Expect("region", "write", pages=10, anon=10),
    Expect("later", "mmap"),
    Expect("later", "write-later", pages=10, anon=10),
], checks=[mapping_figures("region", resident=10, anon=10),
           mapping_figures("later", resident=10, anon=10)])
# mremap growing a VM_LOCKED VMA populates the new part (mm_populate of
# [addr + old_len, addr + new_len), in place or moved): mlock of the 10
# pages takes 10 write faults, `anon`; growing in place to 20 pages 10
# more, `anon`; writing all 20 then costs 0.  Moved as it grows
# (MREMAP_FIXED), the 10 pages move with their PTEs and the 10 new ones
# at the new place are populated: the same.
scenario("populate/mlock-grow", "populate", ["mlock-grow"], [
    Expect("region", "mlock", anon=10),
    Expect("region", "grow", anon=10),
    Expect("region", "write", pages=20),
], checks=[mapping_figures("region", resident=20, anon=20)])
scenario("populate/mlock-grow-move", "populate", ["mlock-grow-move"], [
    Expect("region", "mlock", anon=10),
    Expect("moved", "grow", anon=10),
    Expect("moved", "write", pages=20),
], checks=[mapping_figures("moved", resident=20, anon=20)])
# mprotect_fixup populates a private VM_LOCKED VMA that becomes writable
# ("trigger COW to avoid major fault on access"), with write faults as
# mlock's own populating does for a writable VMA.  mlock of a read-only
# private mapping reads: 10 `zero`; mprotect(PROT_READ | PROT_WRITE) then
# writes each page: do_wp_page copies the zero page, 10 `wp_copy` in the
# mprotect call, and the writes after it cost 0.  A PROT_NONE mapping made
# with MAP_LOCKED is not populated (populate_vma_page_range: GUP refuses a
# VMA that is not accessible, and mmap's populating ignores the error):
# 0 in the mmap; made writable, each page takes a write fault in the
# mprotect call, do_anonymous_page, 10 `anon`; the writes after: 0.
# Before 2026-12-06 vmtrace populated nothing in mprotect: 0 there and the
# faults in the writes (10 `wp_copy`, 10 `anon`).
scenario("populate/mlock-mprotect", "populate", ["mlock-mprotect"], [
    Expect("region", "mlock", zero=10),
    Expect("region", "mprotect", wp_copy=10),
    Expect("region", "write", pages=10),
    Expect("none", "mmap-none"),
    Expect("none", "mprotect-none", anon=10),
    Expect("none", "write-none", pages=10),
], checks=[mapping_figures("region", resident=10, zero=10, wp_copy=10),
           mapping_figures("none", resident=10, anon=10)])
# An mlock that fails with ENOMEM has done part of its work (do_mlock):
# apply_vma_lock_flags locks the VMAs from the start and stops at a hole
# (ENOMEM, nothing populated); with no hole all are locked and
# __mm_populate, which for mlock does not ignore errors, faults the pages
# in up to the first it cannot: GUP refuses a PROT_NONE VMA (no
# FOLL_FORCE for it), and the EFAULT is returned as ENOMEM.  6 pages, the
# last 2 PROT_NONE: the 4 writable ones take a write fault each, 4 `anon`;
# the PROT_NONE VMA is locked, so making it writable populates it, 2
# `anon` in the mprotect; writing the 6: 0.  6 pages with a hole after the
# third: the 3 are locked, not populated: 0 in the mlock; made read-only
# and writable again, the locked ones are populated in the second
# mprotect, 3 `anon` (the 2 after the hole are not locked: 0); writing
# the 5: the 2 unlocked ones take 2 `anon`.  Before 2026-12-06 vmtrace
# modelled nothing of a failed mlock: 0, 0, 6 `anon`, then 0, 0, 5 `anon`.
scenario("populate/mlock-fail", "populate", ["mlock-fail"], [
    Expect("region", "mlock", anon=4),
    Expect("region", "mprotect", anon=2),
    Expect("region", "write", pages=6),
    Expect("hole", "mlock-hole"),
    Expect("hole", "relock", anon=3),
    Expect("hole", "write-hole", pages=5, anon=2),
], checks=[mapping_figures("region", resident=6, anon=6),
           mapping_figures("hole", resident=5, anon=5)])
