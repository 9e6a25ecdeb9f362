/* fault_around_test.c: fault-around (do_fault_around) on read faults of
   files and shared memory: the window, its clamps, the pages it maps or
   skips; MAP_POPULATE with fault-around.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

/* Reads every page of [start, start + n pages) in order; returns the
   number of faults taken. */
static unsigned read_all(struct vt_mm *mm, vt_addr start, unsigned n)
{
   unsigned before = R.nfaults;
   for (unsigned i = 0; i < n; i++)
      RD(mm, start + i * PG);
   return R.nfaults - before;
}

static void t_fa_aligned(void)
{
   struct vt_mm *mm = mm_new(16, true);        /* 64 KiB fault-around */
   struct vt_file *f = reg_file(mm, 256 * PG);
   int id = map_file(mm, BASE, 256, R_, f, 0);
   /* The first read maps the aligned 16-page window [0, 16). */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_EQ(16, mm->rss);
   EXPECT_EQ(16, count_present(mm, BASE, 256));
   EXPECT_TRUE(present(mm, BASE + 15 * PG));
   EXPECT_FALSE(present(mm, BASE + 16 * PG));
   /* ... resident, but only the faulting page is touched. */
   EXPECT_EQ(1, mm->total.touched);
   EXPECT_FALSE(pte_has(mm, BASE + PG, VT_PTE_TOUCHED));
   EXPECT_TRUE(pte_has(mm, BASE + PG, VT_PTE_FILE));
   EXPECT_FALSE(pte_has(mm, BASE + PG, VT_PTE_WRITE));
   EXPECT_FC(NOF, RD(mm, BASE + PG));
   EXPECT_EQ(2, mm->total.touched);
   /* All 256 pages in order: 256 / 16 = 16 faults in all. */
   unsigned n = read_all(mm, BASE, 256);
   EXPECT_EQ(15, n);
   EXPECT_EQ(16, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(16, mm->maps[id]->c.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(256, mm->rss);
   EXPECT_EQ(256, mm->maps[id]->resident);
   EXPECT_EQ(256, mm->total.touched);
   mm_free(mm);
}

static void t_fa_unaligned(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 256 * PG);
   map_file(mm, BASE + PG, 256, R_, f, 0);
   /* The VMA starts at PTE index 1.  Linux's do_fault_around:
        from = max(ALIGN_DOWN(pte_off, 16), vma start) ; to = from + 16
      fault at vma page 0 (pte 1): from 1, to 17  -> vma pages 0..15
      fault at vma page 16 (pte 17): from 16, to 32 -> 17..31 new (15)
      then faults at ptes 32, 48, ..., 256 (vma pages 31, 47, ..., 255):
      1 + 16 = 17 faults. */
   EXPECT_EQ(17, read_all(mm, BASE + PG, 256));
   EXPECT_EQ(256, mm->rss);
   mm_free(mm);
   /* After the first fault the window reached past the aligned [0, 16):
      vma page 15 (pte 16) is mapped, vma page 16 is not. */
   mm = mm_new(16, true);
   f = reg_file(mm, 256 * PG);
   map_file(mm, BASE + PG, 256, R_, f, 0);
   RD(mm, BASE + PG);
   EXPECT_EQ(16, mm->rss);
   EXPECT_TRUE(present(mm, BASE + 16 * PG));
   EXPECT_FALSE(present(mm, BASE + 17 * PG));
   mm_free(mm);
}

static void t_fa_off(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, 256 * PG);
   map_file(mm, BASE, 256, R_, f, 0);
   EXPECT_EQ(256, read_all(mm, BASE, 256));   /* one fault per page */
   EXPECT_EQ(256, mm->rss);
   mm_free(mm);
   /* fault_around_pages 0 means off as well. */
   mm = mm_new(0, true);
   f = reg_file(mm, 256 * PG);
   map_file(mm, BASE, 256, R_, f, 0);
   EXPECT_EQ(256, read_all(mm, BASE, 256));
   mm_free(mm);
}

static void t_fa_max(void)
{
   struct vt_mm *mm = mm_new(512, true);      /* 2 MiB: a whole PTE table */
   struct vt_file *f = reg_file(mm, 256 * PG);
   map_file(mm, BASE + PG, 256, R_, f, 0);
   /* from = max(0, 1) = 1, to = min(1 + 512, 512, 1 + 256) = 257: all. */
   EXPECT_EQ(1, read_all(mm, BASE + PG, 256));
   EXPECT_EQ(256, mm->rss);
   mm_free(mm);
}

static void t_fa_clamp_vma(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 100 * PG);
   /* Lower clamp: a 32-page VMA at PTE index 4, read at vma page 10
      (pte 14): from = max(0, 4) = 4, to = 20: ptes 4..19 = vma 0..15. */
   map_file(mm, BASE + 4 * PG, 32, R_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 14 * PG));
   EXPECT_EQ(16, mm->rss);
   EXPECT_EQ(16, count_present(mm, BASE + 4 * PG, 16));
   /* vma page 16 (pte 20): from 16, to 32: new ptes 20..31 (12). */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 20 * PG));
   EXPECT_EQ(28, mm->rss);
   /* vma page 28 (pte 32): from 32, to min(48, 4 + 32 = 36): 4 pages. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 32 * PG));
   EXPECT_EQ(32, mm->rss);
   EXPECT_EQ(3, mm->total.faults[VT_FC_FILE_READ]);
   mm_free(mm);

   /* Upper clamp: a 20-page VMA at pte 0, read at page 17:
      from 16, to min(32, 20) = 20: 4 pages; page 15 stays unmapped. */
   mm = mm_new(16, true);
   f = reg_file(mm, 100 * PG);
   map_file(mm, BASE, 20, R_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 17 * PG));
   EXPECT_EQ(4, mm->rss);
   EXPECT_FALSE(present(mm, BASE + 15 * PG));
   EXPECT_TRUE(present(mm, BASE + 19 * PG));
   mm_free(mm);

   /* Two mappings of the same file back to back: where the second's
      offsets follow on from the first's, Linux merges them into one VMA
      (vma_merge_new_range) and a fault in the first maps the second's
      pages of the window too; where they do not, the window stops at the
      first (measured on 6.18: 16 pages present, one VMA; 8 present, two
      VMAs).  Before 2026-12-06 the model stopped at the first in both. */
   mm = mm_new(16, true);
   f = reg_file(mm, 100 * PG);
   map_file(mm, BASE, 8, R_, f, 0);
   map_file(mm, BASE + 8 * PG, 8, R_, f, 8);
   RD(mm, BASE);
   EXPECT_EQ(16, mm->rss);
   EXPECT_TRUE(present(mm, BASE + 15 * PG));
   mm_free(mm);

   mm = mm_new(16, true);
   f = reg_file(mm, 100 * PG);
   map_file(mm, BASE, 8, R_, f, 0);
   map_file(mm, BASE + 8 * PG, 8, R_, f, 20);
   RD(mm, BASE);
   EXPECT_EQ(8, mm->rss);
   EXPECT_FALSE(present(mm, BASE + 8 * PG));
   mm_free(mm);
}

static void t_fa_straddle_2mib(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 100 * PG);
   /* 32 pages starting 8 pages below a 2 MiB boundary: vma pages 0..7 are
      ptes 504..511 of one table, vma pages 8..31 ptes 0..23 of the next.
      vma page 0 (pte 504): from = max(496, 504) = 504,
                            to = min(520, 512, 536) = 512      -> 8 pages
      vma page 8 (pte 0):   from = max(0, 0) = 0,
                            to = min(16, 512, 0 + 32 - 8 = 24) -> 16 pages
      vma page 24 (pte 16): from 16, to min(32, 24) = 24       -> 8 pages
      3 faults; 2 without the table clamp. */
   vt_addr s = BASE + MB2 - 8 * PG;
   map_file(mm, s, 32, R_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, s));
   EXPECT_EQ(8, mm->rss);
   EXPECT_FALSE(present(mm, s + 8 * PG));
   EXPECT_EQ(2, read_all(mm, s, 32));
   EXPECT_EQ(3, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(32, mm->rss);
   EXPECT_EQ(2, mm->nr_pt[3]);
   mm_free(mm);

   /* Starting from the top: vma page 23 (pte 15 of the upper table,
      vma_off 23): from = max(0, 15 - min(15, 23) = 0) = 0,
      to = min(16, 512, 15 + 32 - 23 = 24) = 16: vma pages 8..23. */
   mm = mm_new(16, true);
   f = reg_file(mm, 100 * PG);
   map_file(mm, s, 32, R_, f, 0);
   RD(mm, s + 23 * PG);
   EXPECT_EQ(16, mm->rss);
   EXPECT_EQ(16, count_present(mm, s + 8 * PG, 16));
   /* vma page 7 (pte 511): from = max(496, 504) = 504, to = 512: 8. */
   RD(mm, s + 7 * PG);
   EXPECT_EQ(24, mm->rss);
   mm_free(mm);

   /* 512-page fault-around: vma page 0 -> from 504, to 512 (8 pages);
      vma page 8 -> from 0, to min(512, 24) = 24 (24 pages): 2 faults. */
   mm = mm_new(512, true);
   f = reg_file(mm, 100 * PG);
   map_file(mm, s, 32, R_, f, 0);
   EXPECT_EQ(2, read_all(mm, s, 32));
   mm_free(mm);
}

static void t_fa_eof(void)
{
   struct vt_mm *mm = mm_new(16, true);
   /* 20 pages of data (the last one partial: size rounds up). */
   struct vt_file *f = reg_file(mm, 20 * PG - 100);
   EXPECT_EQ(20, f->size_pages);
   int id = map_file(mm, BASE, 32, R_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));       /* pages 0..15 */
   EXPECT_EQ(16, mm->rss);
   /* window [16, 32) holds file pages 16..19 only */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 16 * PG));
   EXPECT_EQ(20, mm->rss);
   EXPECT_TRUE(present(mm, BASE + 19 * PG));
   EXPECT_FALSE(present(mm, BASE + 20 * PG));
   EXPECT_EQ(0, vt_get_pte(mm, BASE + 31 * PG));
   /* Beyond the end of the file: SIGBUS, an invalid access. */
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 20 * PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   EXPECT_EQ(VT_RES_INVALID, last_res);
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 31 * PG));
   EXPECT_EQ(20, mm->rss);
   EXPECT_EQ(2, vt_counts_minor(&mm->total));
   EXPECT_EQ(2, mm->total.faults[VT_FC_INVALID]);
   EXPECT_EQ(2, mm->maps[id]->c.faults[VT_FC_INVALID]);
   EXPECT_EQ(2, mm->total.touched);          /* invalid accesses touch nothing */
   mm_free(mm);

   /* A file offset: 16 pages from file page 10 of 20: vma pages 0..9 are
      in the file.  The first read maps them (window [0, 16) less 6). */
   mm = mm_new(16, true);
   f = reg_file(mm, 20 * PG);
   map_file(mm, BASE, 16, R_, f, 10);
   RD(mm, BASE);
   EXPECT_EQ(10, mm->rss);
   EXPECT_FC(NOF, RD(mm, BASE + 9 * PG));
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 10 * PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   /* Writes beyond the end are SIGBUS too, private or shared. */
   map_file(mm, BASE + 32 * PG, 4, RW, f, 19);
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE + 32 * PG));
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 33 * PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   map_file(mm, BASE + 40 * PG, 4, RW | S_, f, 19);
   EXPECT_FC(VT_FC_FILE_SHARED, WR(mm, BASE + 40 * PG));
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 41 * PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   mm_free(mm);
}

static void t_fa_skips_mapped(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 64 * PG);
   map_file(mm, BASE, 16, RW, f, 0);
   /* A private copy at page 3 first ... */
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE + 3 * PG));
   EXPECT_EQ(1, mm->rss);
   /* ... then a read fault maps the 15 others around it, not over it. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_EQ(16, mm->rss);
   EXPECT_FALSE(pte_has(mm, BASE + 3 * PG, VT_PTE_FILE));
   EXPECT_TRUE(pte_has(mm, BASE + 3 * PG, VT_PTE_WRITE));
   EXPECT_FC(NOF, WR(mm, BASE + 3 * PG));
   /* A write fault maps no neighbours (do_cow_fault has no fault-around). */
   map_file(mm, BASE + 32 * PG, 16, RW, f, 0);
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE + 32 * PG));
   EXPECT_EQ(17, mm->rss);
   EXPECT_FALSE(present(mm, BASE + 33 * PG));
   mm_free(mm);
}

static void t_fa_keeps_touched(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 64 * PG);
   map_file(mm, BASE, 16, R_, f, 0);
   RD(mm, BASE);
   RD(mm, BASE + 5 * PG);
   EXPECT_EQ(2, mm->total.touched);
   vt_madvise_dontneed(mm, BASE, 16 * PG);
   EXPECT_EQ(0, mm->rss);
   /* Page 0 faults again; fault-around brings back page 5, which keeps
      its "touched" mark: reading it counts nothing new. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_EQ(16, mm->rss);
   EXPECT_FC(NOF, RD(mm, BASE + 5 * PG));
   EXPECT_EQ(2, mm->total.touched);
   mm_free(mm);
}

/* Shared memory (tmpfs, memfd, shared anonymous) has a page cache too,
   but it starts empty: a page exists once a fault (read or write:
   shmem_fault -> shmem_get_folio_gfp(SGP_CACHE) allocates it) touched
   it, and fault-around (do_read_fault -> do_fault_around -> shmem's
   .map_pages, filemap_map_pages) maps only the pages found in the cache
   (SysV shm: see t_fa_sysv_shm_none).  Mapped fresh and read page by
   page, no neighbour exists yet: one fault per page, whatever the
   fault-around size. */
static void t_fa_shmem_fresh(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = shm_file(mm, 64 * PG);
   map_file(mm, BASE, 64, RW | S_, f, 0);
   /* The first read maps page 0 alone: pages 1..15 of the window do not
      exist. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_EQ(1, mm->rss);
   EXPECT_FALSE(present(mm, BASE + PG));
   /* Pages 1..63 in order: when page k faults, the pages below it exist
      but are mapped already, those above do not exist yet: each maps
      itself alone, 63 faults. */
   EXPECT_EQ(63, read_all(mm, BASE + PG, 63));
   EXPECT_EQ(64, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(64, mm->rss);
   /* Anonymous shared memory (/dev/zero, MAP_SHARED|MAP_ANONYMOUS)
      likewise: a fresh object per mapping, 32 pages, 32 faults. */
   struct vt_file *z = vt_file_new_shmem(mm, "/dev/zero (deleted)", 32 * PG);
   int id = map_file(mm, BASE + 128 * PG, 32, RW | S_, z, 0);
   EXPECT_EQ(VT_MK_SHM, mm->maps[id]->kind);
   EXPECT_EQ(32, read_all(mm, BASE + 128 * PG, 32));
   EXPECT_EQ(96, mm->rss);
   /* Read backwards, the same: when page k faults, pages k+1.. of its
      window exist and are already mapped, pages below k do not exist. */
   z = vt_file_new_shmem(mm, "/dev/zero (deleted)", 16 * PG);
   map_file(mm, BASE + 256 * PG, 16, RW | S_, z, 0);
   unsigned before = R.nfaults;
   for (int i = 15; i >= 0; i--)
      EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 256 * PG + (vt_addr)i * PG));
   EXPECT_EQ(16, R.nfaults - before);
   mm_free(mm);
}

/* The existing pages of shared memory come back through fault-around, as
   those of a regular file do (kernel-confirmed with a forked child, see
   t_fa_shmem_fork_child). */
static void t_fa_shmem_existing(void)
{
   struct vt_mm *mm = mm_new(16, true);
   /* 64 pages of shared anonymous memory at a 64 KiB-aligned address. */
   struct vt_file *z = vt_file_new_shmem(mm, "/dev/zero (deleted)", 64 * PG);
   int id = map_file(mm, BASE, 64, RW | S_, z, 0);
   /* Written page by page: do_shared_fault for each (a write fault maps
      no neighbours), 64 faults; every page exists now. */
   for (int i = 0; i < 64; i++)
      EXPECT_FC(VT_FC_FILE_SHARED, WR(mm, BASE + (vt_addr)i * PG));
   EXPECT_EQ(64, mm->rss);
   /* MADV_DONTNEED drops the PTEs, not the pages of the shmem object. */
   vt_madvise_dontneed(mm, BASE, 64 * PG);
   EXPECT_EQ(0, mm->rss);
   /* Read back: the faults at pages 0, 16, 32, 48 each map their aligned
      16-page window, all of whose pages exist: 64 / 16 = 4 faults. */
   EXPECT_EQ(4, read_all(mm, BASE, 64));
   EXPECT_EQ(4, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(4, mm->maps[id]->c.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(64, mm->rss);
   EXPECT_EQ(64, mm->maps[id]->resident);
   /* Touched by the writes already (the mark outlives MADV_DONTNEED). */
   EXPECT_EQ(64, mm->total.touched);
   /* No dirty tracking: the pages fault-around mapped are writable
      (vm_page_prot of a shared writable mapping without writenotify)
      and clean; writing them takes no fault. */
   EXPECT_TRUE(pte_has(mm, BASE + 17 * PG, VT_PTE_WRITE));
   EXPECT_FALSE(pte_has(mm, BASE + 17 * PG, VT_PTE_DIRTY));
   EXPECT_FC(NOF, WR(mm, BASE + 17 * PG));
   EXPECT_TRUE(pte_has(mm, BASE + 17 * PG, VT_PTE_DIRTY));
   mm_free(mm);

   /* Only the pages that exist: a 32-page memfd, pages 2, 5 and 9 written
      (3 faults), then unmapped from the page table. */
   mm = mm_new(16, true);
   struct vt_file *f = shm_file(mm, 32 * PG);
   map_file(mm, BASE, 32, RW | S_, f, 0);
   WR(mm, BASE + 2 * PG);
   WR(mm, BASE + 5 * PG);
   WR(mm, BASE + 9 * PG);
   vt_madvise_dontneed(mm, BASE, 32 * PG);
   /* A read of page 0: window [0, 16) holds the existing 2, 5, 9 and page
      0 itself (the fault creates it): 4 pages. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_EQ(4, mm->rss);
   EXPECT_EQ(4, count_present(mm, BASE, 32));
   EXPECT_TRUE(present(mm, BASE + 2 * PG));
   EXPECT_TRUE(present(mm, BASE + 5 * PG));
   EXPECT_TRUE(present(mm, BASE + 9 * PG));
   EXPECT_FALSE(present(mm, BASE + PG));
   /* Page 1 did not exist: a fault of its own, mapping page 1 only (0, 2,
      5, 9 are mapped already). */
   EXPECT_FC(NOF, RD(mm, BASE + 5 * PG));
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + PG));
   EXPECT_EQ(5, mm->rss);
   /* Window [16, 32): nothing there exists but the faulting page 20. */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 20 * PG));
   EXPECT_EQ(6, mm->rss);
   EXPECT_EQ(6, count_present(mm, BASE, 32));
   /* The pages exist in the file, not in a mapping: a second mapping of
      the memfd (64 KiB-aligned) finds the 6 (file pages 0, 1, 2, 5, 9,
      20).  A read of its page 3: window [0, 16) maps the existing 0, 1,
      2, 5, 9 and page 3 itself, 6 pages; a read of its page 16: window
      [16, 32) maps the existing 20 and page 16 itself, 2 more. */
   map_file(mm, BASE + 64 * PG, 32, R_ | S_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 67 * PG));
   EXPECT_EQ(6, count_present(mm, BASE + 64 * PG, 32));
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 80 * PG));
   EXPECT_EQ(8, count_present(mm, BASE + 64 * PG, 32));
   EXPECT_TRUE(present(mm, BASE + 84 * PG));
   /* Read-only shared: mapped read-only. */
   EXPECT_FALSE(pte_has(mm, BASE + 84 * PG, VT_PTE_WRITE));
   EXPECT_EQ(14, mm->rss);
   mm_free(mm);
}

/* The window is aligned in the virtual address space, not in the file:
   67 shmem pages written through one mapping, then read through others. */
static void t_fa_shmem_window(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = shm_file(mm, 67 * PG);
   map_file(mm, BASE + GB1, 67, RW | S_, f, 0);
   for (int i = 0; i < 67; i++)
      EXPECT_FC(VT_FC_FILE_SHARED, WR(mm, BASE + GB1 + (vt_addr)i * PG));
   vt_munmap(mm, BASE + GB1, 67 * PG);           /* the file keeps them */
   EXPECT_EQ(0, mm->rss);
   /* 64 pages from file page 3 at a 64 KiB-aligned address: windows
      [0, 16), [16, 32), [32, 48), [48, 64) of the VMA, whatever the file
      offset: 4 faults. */
   map_file(mm, BASE, 64, R_ | S_, f, 3);
   EXPECT_EQ(4, read_all(mm, BASE, 64));
   EXPECT_EQ(64, mm->rss);
   /* 64 pages from file page 0 at +4 KiB (VMA at PTE index 129): as in
      the regular-file case, windows start at max(aligned, VMA start):
        vma page 0  (pte 129): from 129, to 145 -> vma pages 0..15
        vma page 16 (pte 145): from 144 -> 145..159 new (vma 16..30)
        vma page 31 (pte 160): 160..175;  vma page 47 (pte 176): 176..191
        vma page 63 (pte 192): from 192, to min(208, 129 + 64) = 193
      5 faults. */
   map_file(mm, BASE + 129 * PG, 64, R_ | S_, f, 0);
   EXPECT_EQ(5, read_all(mm, BASE + 129 * PG, 64));
   EXPECT_EQ(128, mm->rss);
   /* Clamped to the PTE table: 32 pages across a 2 MiB boundary (8 below
      it), all existing: vma page 0 (pte 504) maps 504..511 (8 pages), vma
      page 8 (pte 0) maps 0..15, vma page 24 (pte 16) 16..23: 3 faults. */
   vt_addr s = BASE + MB2 - 8 * PG;
   map_file(mm, s, 32, R_ | S_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, s));
   EXPECT_EQ(8, count_present(mm, s, 32));
   EXPECT_EQ(2, read_all(mm, s, 32));
   EXPECT_EQ(160, mm->rss);
   /* Near the end of the file: a mapping of file pages 48..79 of the
      67-page file; a read of its page 16 (file page 64): window [16, 32)
      = file pages 64..79, of which 64, 65, 66 exist (no page can exist
      beyond the end of the file: a fault there is SIGBUS). */
   map_file(mm, BASE + 2 * MB2, 32, R_ | S_, f, 48);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 2 * MB2 + 16 * PG));
   EXPECT_EQ(3, count_present(mm, BASE + 2 * MB2, 32));   /* 64, 65, 66 */
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 2 * MB2 + 19 * PG));
   EXPECT_EQ(VT_INV_BEYOND_EOF, R.reason);
   mm_free(mm);
}

/* fork: a shared VMA's PTEs are not copied (vma_needs_copy: no anon_vma,
   not VM_PFNMAP...): the child faults them in again, from the pages of the
   shmem object its parent created (the kernel-confirmed case: a child
   reading its parent's 64 written pages of shared memory takes 4 faults). */
static void t_fa_shmem_fork_child(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *z = vt_file_new_shmem(mm, "/dev/zero (deleted)", 64 * PG);
   map_file(mm, BASE, 64, RW | S_, z, 0);
   for (int i = 0; i < 64; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(64, mm->total.faults[VT_FC_FILE_SHARED]);
   vt_fork_prepare(mm);
   vt_fork_child(mm, true);
   /* The child starts with none of them mapped and fresh figures. */
   EXPECT_EQ(0, mm->rss);
   EXPECT_EQ(0, mm->total.faults[VT_FC_FILE_SHARED]);
   /* 64 pages, all existing, through 16-page windows at a 64 KiB-aligned
      address: 4 faults (with no fault-around it would be 64). */
   EXPECT_EQ(4, read_all(mm, BASE, 64));
   EXPECT_EQ(4, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(64, mm->rss);
   EXPECT_EQ(64, mm->total.touched);
   /* Writable (no dirty tracking): writing them all takes no fault. */
   unsigned before = R.nfaults;
   for (int i = 0; i < 64; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(0, R.nfaults - before);
   mm_free(mm);
}

/* SysV shared memory is shmem too (shmget creates a tmpfs file, its pages
   exist once faulted), but shmat maps it with ipc/shm.c's shm_vm_ops,
   which wraps shmem's .fault and has no .map_pages: should_fault_around()
   ("No ->map_pages?  No way to fault around...") is false, so a read
   fault maps the faulting page only, existing neighbours or not.  The
   mapping as the tool makes it at shmat: a shmem file named "/SYSV"
   marked sysv_shm, kind VT_MK_SHM, name "/SYSV (deleted)". */
static void t_fa_sysv_shm_none(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = vt_file_new_shmem(mm, "/SYSV", 64 * PG);
   f->sysv_shm = true;
   struct vt_mmap_req q;
   memset(&q, 0, sizeof q);
   q.start = BASE;
   q.len = 64 * PG;
   q.vm_flags = RW | S_;
   q.file = f;
   q.kind = VT_MK_SHM;
   q.name = "/SYSV (deleted)";
   int id = vt_mmap(mm, &q);
   EXPECT_EQ(VT_MK_SHM, mm->maps[id]->kind);
   /* 64 pages written (64 do_shared_fault), dropped from the page table,
      read back at a 64 KiB-aligned address: every page exists, but
      without fault-around each read faults alone: 64 faults, not 4. */
   for (int i = 0; i < 64; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   vt_madvise_dontneed(mm, BASE, 64 * PG);
   EXPECT_EQ(64, read_all(mm, BASE, 64));
   EXPECT_EQ(64, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(64, mm->rss);
   mm_free(mm);
}

static void t_populate_fault_around(void)
{
   struct vt_mm *mm = mm_new(16, true);
   struct vt_file *f = reg_file(mm, 256 * PG);
   /* MAP_POPULATE of a read-only private file mapping: read faults through
      get_user_pages, with fault-around: 16 faults, 256 resident, nothing
      touched (populating is no reference). */
   map_req(mm, BASE, 256, R_, f, 0, true, VT_NR_MK);
   EXPECT_EQ(16, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(256, mm->rss);
   EXPECT_EQ(0, mm->total.touched);
   EXPECT_FC(NOF, RD(mm, BASE + 100 * PG));
   EXPECT_EQ(1, mm->total.touched);
   mm_free(mm);
}

/* A file written in 100 KiB write()s (generic_perform_write): the folios
   each step makes, as the kernel made them on Linux 6.18, ext4 (read from
   /proc/kpageflags after writing 1 MiB so and mapping it): runs of
   folios as (first page, order, how many).  Seen through faults without
   fault-around: a read fault maps the whole folio of its page
   (finish_fault), so each folio's first read maps 2^order pages. */
static void t_write_folios(void)
{
   static const struct { unsigned first, order, n; } runs[] = {
      { 0, 4, 1 }, { 16, 3, 1 }, { 24, 0, 2 }, { 26, 1, 1 }, { 28, 2, 1 },
      { 32, 4, 1 }, { 48, 1, 2 }, { 52, 2, 1 }, { 56, 3, 2 }, { 72, 1, 1 },
      { 74, 0, 2 }, { 76, 2, 1 }, { 80, 4, 1 }, { 96, 2, 2 }, { 104, 3, 2 },
      { 120, 2, 1 }, { 124, 0, 2 }, { 126, 1, 1 }, { 128, 4, 1 }, { 144, 2, 1 },
      { 148, 1, 2 }, { 152, 3, 2 }, { 168, 2, 1 }, { 172, 1, 1 }, { 174, 0, 2 },
      { 176, 4, 1 }, { 192, 3, 2 }, { 208, 4, 1 }, { 224, 0, 2 }, { 226, 1, 1 },
      { 228, 2, 1 }, { 232, 3, 2 }, { 248, 1, 2 }, { 252, 2, 1 },
   };
   struct vt_mm *mm = mm_new(1, true);          /* no fault-around */
   struct vt_file *f = reg_file(mm, 0);
   vt_u64 size = 0;
   for (vt_u64 left = 1 << 20; left;) {
      vt_u64 n = left < 102400 ? left : 102400;
      vt_file_write(mm, f->dev, f->ino, NULL, size, size, n, 9);
      size += n;
      left -= n;
   }
   EXPECT_EQ(256, f->size_pages);
   /* then written again in 1 MiB: every page is cached, nothing changes */
   vt_file_write(mm, f->dev, f->ino, NULL, size, 0, 1 << 20, 9);
   /* and appended to in one write of 2 MiB + 4 KiB: [256,512) order 8
      (the step ends at the 2 MiB chunk's end), [512,768) order 8 (1 MiB
      + 4 KiB left), page 768 alone */
   vt_file_write(mm, f->dev, f->ino, NULL, size, size, (2 << 20) + 4096, 9);
   size += (2 << 20) + 4096;
   EXPECT_EQ(769, f->size_pages);
   map_file(mm, BASE, 769, R_, f, 0);
   unsigned page = 0, faults = 0;
   for (unsigned r = 0; r < sizeof runs / sizeof runs[0]; r++) {
      EXPECT_EQ(runs[r].first, page);
      for (unsigned k = 0; k < runs[r].n; k++) {
         unsigned nr = 1u << runs[r].order;
         EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + page * PG));
         faults++;
         EXPECT_EQ(page + nr, count_present(mm, BASE, 769));
         EXPECT_TRUE(present(mm, BASE + (page + nr - 1) * PG));
         page += nr;
      }
   }
   EXPECT_EQ(256, page);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 300 * PG));
   EXPECT_EQ(512, count_present(mm, BASE, 769));
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 700 * PG));
   EXPECT_EQ(768, count_present(mm, BASE, 769));
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 768 * PG));
   EXPECT_EQ(769, count_present(mm, BASE, 769));
   EXPECT_EQ(faults + 3, mm->total.faults[VT_FC_FILE_READ]);
   mm_free(mm);
}

/* --page-cache=cold: writes bring their pages in (in the writes' folios),
   dirty until an fsync; POSIX_FADV_DONTNEED takes out the clean folios
   wholly inside its range that nothing maps. */
/* The warm page cache (the default): a file's pages when the model
   first meets it are cached; the pages the run adds past them (a hole
   ftruncate made, a write past the end) are not, unless written: a fault
   on one is major and reads around it (readahead off here: its page
   alone).  A truncation makes the pages it removes new if they come
   back. */
static void t_warm_new_pages(void)
{
   struct vt_mm *mm = mm_new(16, true);
   mm->cfg.readahead_pages = 0;
   /* 4 pages before the run, made 32 by ftruncate before any mapping */
   vt_file_grown(mm, 8, 900, "/data/grown", 4 * PG, 32 * PG);
   struct vt_file *f = mm->files;              /* the newest */
   EXPECT_TRUE(f != NULL && f->ino == 900);
   EXPECT_EQ(4, f->warm_pages);
   EXPECT_EQ(32, f->size_pages);
   /* a write past the warm part: page 20 cached, order 0 */
   EXPECT_TRUE(vt_file_write_matters(mm, 8, 900, 32 * PG, 20 * PG, 100, 0));
   EXPECT_FALSE(vt_file_write_matters(mm, 8, 900, 32 * PG, PG, 100, 0));
   vt_file_write(mm, 8, 900, NULL, 32 * PG, 20 * PG, 100, 0);
   map_file(mm, BASE, 32, R_, f, 0);
   /* the warm part: minor, fault-around maps [0,4) and nothing past it */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + PG));
   EXPECT_EQ(4, count_present(mm, BASE, 32));
   /* a hole: major, the page alone */
   EXPECT_FC(VT_FC_FILE_MAJOR, RD(mm, BASE + 8 * PG));
   EXPECT_EQ(5, count_present(mm, BASE, 32));
   /* the written page: minor, with the page the fault before read in */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 20 * PG));
   EXPECT_EQ(6, count_present(mm, BASE, 32));
   /* truncated to 2 pages and made 32 again: pages 2 and 3 are new */
   vt_file_resize(mm, 8, 900, 2 * PG);
   vt_file_resize(mm, 8, 900, 32 * PG);
   EXPECT_EQ(2, f->warm_pages);
   EXPECT_FC(VT_FC_FILE_MAJOR, RD(mm, BASE + 3 * PG));
   /* a file met as it is (mmap) keeps all of it warm */
   struct vt_file *g = reg_file(mm, 8 * PG);
   EXPECT_EQ(8, g->warm_pages);
   map_file(mm, BASE + 64 * PG, 8, R_, g, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 71 * PG));
   EXPECT_EQ(8, count_present(mm, BASE + 64 * PG, 8));
   mm_free(mm);
}

static void t_cold_write_drop(void)
{
   struct vt_mm *mm = mm_new(16, true);
   mm->cfg.cold_cache = true;
   mm->cfg.readahead_pages = 0;                /* a major fault reads its page alone */
   struct vt_file *f = reg_file(mm, 0);
   vt_file_write(mm, f->dev, f->ino, NULL, 0, 0, 16 * PG, 9);   /* [0,16) order 4 */
   for (unsigned i = 16; i < 20; i++)                           /* 16..19 order 0 */
      vt_file_write(mm, f->dev, f->ino, NULL, i * PG, i * PG, PG, 9);
   EXPECT_EQ(20, f->size_pages);
   map_file(mm, BASE, 20, R_, f, 0);
   /* cached: minor, fault-around maps [16,20) */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 17 * PG));
   EXPECT_EQ(4, count_present(mm, BASE, 20));
   /* written and not synced: dirty, nothing goes (generic_fadvise skips
      dirty folios and those under the writeback it starts) */
   vt_file_pages(mm, f->dev, f->ino, 0, 20, VT_FILE_DROPPED);
   vt_munmap(mm, BASE, 20 * PG);
   map_file(mm, BASE, 20, R_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE));
   EXPECT_EQ(16, count_present(mm, BASE, 20));
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 17 * PG));
   /* fsync: clean */
   vt_file_pages(mm, f->dev, f->ino, 0, 20, VT_FILE_CLEANED);
   vt_munmap(mm, BASE, 20 * PG);
   map_file(mm, BASE, 20, R_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 17 * PG));
   EXPECT_EQ(4, count_present(mm, BASE, 20));
   /* pages [0,18): the folio [0,16) goes; 16 and 17 are mapped */
   vt_file_pages(mm, f->dev, f->ino, 0, 18, VT_FILE_DROPPED);
   /* [0,20): 16..19 all mapped, nothing more goes */
   vt_file_pages(mm, f->dev, f->ino, 0, 20, VT_FILE_DROPPED);
   EXPECT_FC(VT_FC_FILE_MAJOR, RD(mm, BASE));
   EXPECT_EQ(5, count_present(mm, BASE, 20));
   EXPECT_FC(VT_FC_FILE_MAJOR, RD(mm, BASE + 15 * PG));
   /* unmapped now: [16,18) goes; 18 and 19, mapped at the drops above,
      are still cached (a minor fault), 16 is read again (major) */
   vt_munmap(mm, BASE, 20 * PG);
   vt_file_pages(mm, f->dev, f->ino, 16, 18, VT_FILE_DROPPED);
   map_file(mm, BASE, 20, R_, f, 0);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 18 * PG));
   EXPECT_FC(VT_FC_FILE_MAJOR, RD(mm, BASE + 16 * PG));
   /* 15, read back before, was outside [16,18): cached */
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 15 * PG));
   mm_free(mm);
}

void fault_around_tests(void)
{
   run_test("fault-around: 256 pages at a 64 KiB boundary = 16 faults",
            t_fa_aligned);
   run_test("fault-around: 256 pages at +4 KiB = 17 faults", t_fa_unaligned);
   run_test("page cache: the folios 100 KiB writes make (as Linux 6.18 on ext4)",
            t_write_folios);
   run_test("page cache: cold writes cached and dirty, POSIX_FADV_DONTNEED drops unmapped whole clean folios",
            t_cold_write_drop);
   run_test("page cache: warm files' pages the run adds are uncached, a fault there major",
            t_warm_new_pages);
   run_test("fault-around: off = 256 faults", t_fa_off);
   run_test("fault-around: 512 pages", t_fa_max);
   run_test("fault-around: clamped to the VMA", t_fa_clamp_vma);
   run_test("fault-around: clamped to the PTE table", t_fa_straddle_2mib);
   run_test("fault-around: end of file", t_fa_eof);
   run_test("fault-around: skips mapped pages, not on write faults",
            t_fa_skips_mapped);
   run_test("fault-around: keeps 'touched' over MADV_DONTNEED",
            t_fa_keeps_touched);
   run_test("fault-around: fresh shared memory, one fault per page (no neighbour exists)",
            t_fa_shmem_fresh);
   run_test("fault-around: shared memory maps the pages that exist (64 written, DONTNEED, 4 faults)",
            t_fa_shmem_existing);
   run_test("fault-around: shared memory window aligned in the address space, clamped",
            t_fa_shmem_window);
   run_test("fault-around: a forked child reads its parent's 64 shared pages in 4 faults",
            t_fa_shmem_fork_child);
   run_test("fault-around: none for SysV shm (shm_vm_ops has no map_pages)",
            t_fa_sysv_shm_none);
   run_test("populate: MAP_POPULATE with fault-around",
            t_populate_fault_around);
}
