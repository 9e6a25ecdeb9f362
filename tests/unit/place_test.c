/* place_test.c: where the kernel would have put a mapping that Valgrind
   placed itself (vm_koff: thp_get_unmapped_area's 2 MiB alignment), and
   the huge pages, mTHP folios and fault-around windows that follow from
   the kernel's address rather than the one the mapping has.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

/* A mapping the kernel places (no MAP_FIXED), with or without a hint it
   keeps to, or MAP_FIXED. */
static int place(struct vt_mm *mm, vt_addr start, vt_u64 npages, uint32_t flags,
                 struct vt_file *f, vt_u64 pgoff, bool fixed, bool hint)
{
   struct vt_mmap_req r;
   memset(&r, 0, sizeof r);
   r.start = start;
   r.len = npages * PG;
   r.vm_flags = flags;
   r.file = f;
   r.pgoff = pgoff;
   r.kind = VT_NR_MK;
   r.fixed = fixed;
   r.hint = hint;
   return vt_mmap(mm, &r);
}

static uint32_t koff_at(struct vt_mm *mm, vt_addr a)
{
   const struct vt_vma *v = vt_find_vma(mm, a);
   return v ? v->vm_koff : 0xffffffffu;
}

static unsigned count_huge(struct vt_mm *mm, vt_addr start, unsigned n)
{
   unsigned c = 0;
   for (unsigned i = 0; i < n; i++)
      c += pte_has(mm, start + (vt_addr)i * PG, VT_PTE_HUGE);
   return c;
}

/* Which mappings the kernel aligns (measured on Linux 6.18 by
   tests/native/run, test_kernel_placement): private anonymous ones of a multiple of
   2 MiB without a hint; regular files holding a whole 2 MiB-aligned
   stretch of the file, congruent to the offset; not shared memory, not
   MAP_FIXED (which keeps what it lands on), not a hint kept to. */
static void t_place_which(void)
{
   struct vt_mm *mm = mm_new(16, true);
   vt_addr a = BASE + 24 * PG;                       /* 96 KiB past 2 MiB */
   place(mm, a, 1024, RW, NULL, 0, false, false);
   EXPECT_EQ(MB2 - 24 * PG, koff_at(mm, a));         /* 4 MiB: aligned */
   place(mm, a + 4 * MB2, 768, RW, NULL, 0, false, false);
   EXPECT_EQ(0, koff_at(mm, a + 4 * MB2));           /* 3 MiB: not */
   place(mm, a + 8 * MB2, 1024, RW, NULL, 0, false, true);
   EXPECT_EQ(0, koff_at(mm, a + 8 * MB2));           /* a hint */
   struct vt_file *f = reg_file(mm, 4096 * PG);
   place(mm, a + 12 * MB2, 1024, R_, f, 1, false, false);
   EXPECT_EQ(MB2 - 23 * PG, koff_at(mm, a + 12 * MB2));  /* congruent to 4 KiB */
   place(mm, a + 16 * MB2, 512, R_, f, 1, false, false);
   EXPECT_EQ(0, koff_at(mm, a + 16 * MB2));          /* [4K, 2M+4K) holds no 2 MiB */
   place(mm, a + 20 * MB2, 511, R_, f, 0, false, false);
   EXPECT_EQ(0, koff_at(mm, a + 20 * MB2));          /* under 2 MiB */
   struct vt_file *s = shm_file(mm, 1024 * PG);
   place(mm, a + 24 * MB2, 1024, RW | S_, s, 0, false, false);
   EXPECT_EQ(0, koff_at(mm, a + 24 * MB2));          /* shmem */
   /* The loader's MAP_FIXED segments over the span it reserved keep the
      reservation's offset; MAP_FIXED on nothing has none. */
   place(mm, a + 28 * MB2, 1024, R_, f, 0, false, false);
   place(mm, a + 28 * MB2 + 100 * PG, 50, RW, f, 100, true, false);
   EXPECT_EQ(MB2 - 24 * PG, koff_at(mm, a + 28 * MB2 + 100 * PG));
   EXPECT_EQ(MB2 - 24 * PG, koff_at(mm, a + 28 * MB2 + 200 * PG));
   place(mm, a + 32 * MB2, 1024, RW, NULL, 0, true, false);
   EXPECT_EQ(0, koff_at(mm, a + 32 * MB2));
   /* ... nor MAP_FIXED at a 2 MiB boundary inside a reservation: the
      caller rounded up the address it got, which natively the kernel had
      aligned already (tests/native/client.c's thp-file) */
   place(mm, a + 40 * MB2, 1536, 0, NULL, 0, false, false);
   place(mm, BASE + 41 * MB2, 1024, R_, f, 0, true, false);
   EXPECT_EQ(0, koff_at(mm, BASE + 41 * MB2));
   /* ... or rounded up to 64 KiB from the reservation's start (96 KiB
      past 2 MiB, rounded to 128 KiB): where the kernel had put that
      start (tests/memsim/scan.c's file) */
   place(mm, a + 48 * MB2, 512, 0, NULL, 0, false, false);
   place(mm, BASE + 48 * MB2 + 32 * PG, 256, R_, f, 0, true, false);
   EXPECT_EQ(MB2 - 32 * PG, koff_at(mm, BASE + 48 * MB2 + 32 * PG));
   /* ... and MADV_HUGEPAGE from a 2 MiB boundary it rounded up to */
   place(mm, a + 44 * MB2, 1536, RW, NULL, 0, false, false);
   vt_madvise_hugepage(mm, BASE + 45 * MB2, 1024 * PG, true);
   EXPECT_EQ(0, koff_at(mm, BASE + 45 * MB2));
   EXPECT_EQ(MB2 - 24 * PG, koff_at(mm, a + 44 * MB2));
   /* 4 MiB asked for to align 2 MiB of it by hand: the head unmapped up
      to the client's 2 MiB boundary leaves memory aligned as the client
      sees it, as natively (where the kernel's placement left no head) */
   vt_addr r = a + 36 * MB2;
   place(mm, r, 1024, RW, NULL, 0, false, false);
   vt_munmap(mm, r + 1000 * PG, 24 * PG);               /* the tail first */
   EXPECT_EQ(MB2 - 24 * PG, koff_at(mm, r + 600 * PG));
   vt_munmap(mm, r, 488 * PG);                          /* r + 488 pages: 2 MiB */
   EXPECT_EQ(0, koff_at(mm, r + 488 * PG));
   mm_free(mm);
}

/* 4 MiB of anonymous memory Valgrind put 96 KiB past a 2 MiB boundary,
   MADV_HUGEPAGE, written page by page: the kernel would have aligned it,
   so two huge PMDs take the 1,024 pages in two faults (at our address
   only [2 MiB, 4 MiB) could be huge: 1 + 512 faults). */
static void t_place_anon_thp(void)
{
   for (int hint = 0; hint < 2; hint++) {
      struct vt_mm *mm = mm_new(1, true);
      vt_set_thp(mm, VT_THP_MADVISE, true, false);
      vt_addr a = BASE + 24 * PG;
      place(mm, a, 1024, RW, NULL, 0, false, hint);
      vt_madvise_hugepage(mm, a, 1024 * PG, true);
      for (unsigned i = 0; i < 1024; i++)
         WR(mm, a + i * PG);
      EXPECT_EQ(hint ? 1 : 2, mm->total.faults[VT_FC_THP]);
      EXPECT_EQ(hint ? 512 : 0, mm->total.faults[VT_FC_ANON]);
      EXPECT_EQ(hint ? 512 : 1024, vt_anon_huge_pages(mm));
      EXPECT_EQ(1024, mm->rss);
      if (!hint) {
         /* munmap of a page inside the first splits it alone */
         vt_munmap(mm, a + 100 * PG, PG);
         EXPECT_EQ(0, count_huge(mm, a, 512));
         EXPECT_EQ(512, count_huge(mm, a + 512 * PG, 512));
         EXPECT_EQ(1023, mm->rss);
         EXPECT_FC(NOF, WR(mm, a + 600 * PG));
         /* the huge zero page at the kernel's place, then a write */
         vt_munmap(mm, a, 1024 * PG);
         place(mm, a, 1024, RW, NULL, 0, false, false);
         vt_madvise_hugepage(mm, a, 1024 * PG, true);
         EXPECT_FC(VT_FC_THP_ZERO, RD(mm, a + 511 * PG));
         EXPECT_FC(NOF, RD(mm, a));
         EXPECT_FC(VT_FC_THP_WP_ZERO, WR(mm, a + 3 * PG));
         EXPECT_EQ(512, count_huge(mm, a, 512));
         EXPECT_EQ(512, mm->rss);
      }
      mm_free(mm);
   }
}

/* A 4 MiB file mapped 8 pages past a 2 MiB boundary, read page by page:
   the kernel's 16-page fault-around windows start at the mapping's first
   page (the kernel aligned it), 1,024 / 16 = 64 faults.  At our address
   the windows are aligned 8 pages off: the first, clamped to the VMA's
   start, moves up to [0, 16) of the mapping, and the next, [8, 24), finds
   only 8 pages unmapped; then 16 per window, the last 8 pages alone: 65. */
static void t_place_file_fault_around(void)
{
   for (int hint = 0; hint < 2; hint++) {
      struct vt_mm *mm = mm_new(16, true);
      struct vt_file *f = reg_file(mm, 1024 * PG);
      vt_addr a = BASE + 8 * PG;
      place(mm, a, 1024, R_, f, 0, false, hint);
      EXPECT_FC(VT_FC_FILE_READ, RD(mm, a));
      EXPECT_EQ(16, mm->rss);
      EXPECT_FC(VT_FC_FILE_READ, RD(mm, a + 16 * PG));
      EXPECT_EQ(hint ? 24 : 32, mm->rss);
      for (unsigned i = 1; i < 1024; i++)
         RD(mm, a + i * PG);
      EXPECT_EQ(hint ? 65 : 64, mm->total.faults[VT_FC_FILE_READ]);
      EXPECT_EQ(1024, mm->rss);
      mm_free(mm);
   }
}

/* A 64 MiB file dropped from the page cache, read through a private
   read-only mapping one page at a time, readahead 2,048 pages
   (tests/scenarios/folio.py derives the 436 faults): the last 6,144 pages
   come in twelve order-9 folios, each mapped by one PMD (do_set_pmd):
   FilePmdMapped 24,576 kB, measured so in tests/scenarios/folio.py.  At
   a place 0x89000 past 2 MiB (where Valgrind put python3's mmap.mmap) the
   kernel's placement gives the same; with a hint kept to there, no folio
   fits a PTE table: 887 faults, no PMD, and one more: the first fault in
   the last PTE table finds the folio that reaches the file's last page
   first, so fault-around maps nothing there (no table yet) and the fault
   its one page (finish_fault: the folio does not fit the table): 888.  PR_SET_THP_DISABLE: the folios
   are PTE-mapped whole, the same 436 faults, no PMD. */
static struct vt_mm *cold_mm(void)
{
   struct vt_mm *mm = mm_new(16, true);
   mm->cfg.cold_cache = true;
   mm->cfg.readahead_pages = 2048;
   vt_set_thp(mm, VT_THP_MADVISE, true, false);
   return mm;
}

static void t_file_pmd(void)
{
   for (int c = 0; c < 4; c++) {
      struct vt_mm *mm = cold_mm();
      if (c == 3)
         vt_set_thp(mm, VT_THP_MADVISE, true, true);
      struct vt_file *f = reg_file(mm, 16384 * PG);
      vt_addr a = BASE + (c == 0 ? 0 : 0x89000);
      place(mm, a, 16384, R_, f, 0, false, c == 2);
      for (unsigned i = 0; i < 16384; i++)
         RD(mm, a + i * PG);
      vt_u64 faults = mm->total.faults[VT_FC_FILE_READ] + mm->total.faults[VT_FC_FILE_MAJOR];
      EXPECT_EQ(c == 2 ? 888 : 436, faults);
      EXPECT_EQ(1, mm->total.faults[VT_FC_FILE_MAJOR]);
      EXPECT_EQ(c == 2 || c == 3 ? 0 : 6144, vt_file_pmd_pages(mm));
      EXPECT_EQ(16384, mm->rss);
      EXPECT_EQ(0, vt_anon_huge_pages(mm));
      mm_free(mm);
   }
}

/* MADV_HUGEPAGE on 8 MiB of a cold file: PMD-sized folios from the first
   fault on, each mapped by a PMD: 4 faults, all 2,048 pages.  A write to
   one page of a private mapping unmaps its PMD (a file's PMD split) and
   copies the page (file_cow): RSS 2,048 - 512 + 1; a read of another page
   there maps the folio again by PTEs (the PTE table is there now: no
   PMD), all of it as it fits: 1 fault.  A shared writable mapping's
   write fault on a PMD folio maps it writable by a PMD; munmap of a page
   inside unmaps the rest of it. */
static void t_file_pmd_write(void)
{
   struct vt_mm *mm = cold_mm();
   struct vt_file *f = reg_file(mm, 2048 * PG);
   place(mm, BASE, 2048, RW, f, 0, false, false);
   vt_madvise_hugepage(mm, BASE, 2048 * PG, true);
   for (unsigned i = 0; i < 2048; i++)
      RD(mm, BASE + i * PG);
   EXPECT_EQ(4, mm->total.faults[VT_FC_FILE_READ] + mm->total.faults[VT_FC_FILE_MAJOR]);
   EXPECT_EQ(2048, vt_file_pmd_pages(mm));
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE + 5 * PG));
   EXPECT_EQ(2048 - 512 + 1, mm->rss);
   EXPECT_EQ(1536, vt_file_pmd_pages(mm));
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 100 * PG));
   EXPECT_EQ(2048, mm->rss);
   EXPECT_EQ(1536, vt_file_pmd_pages(mm));
   EXPECT_FC(NOF, RD(mm, BASE + 511 * PG));
   mm_free(mm);

   mm = cold_mm();
   f = reg_file(mm, 2048 * PG);
   place(mm, BASE, 2048, RW | S_, f, 0, false, false);
   vt_madvise_hugepage(mm, BASE, 2048 * PG, true);
   EXPECT_FC(VT_FC_FILE_MAJOR, WR(mm, BASE + 7 * PG));
   EXPECT_EQ(512, vt_file_pmd_pages(mm));
   EXPECT_FC(NOF, WR(mm, BASE + 8 * PG));
   vt_munmap(mm, BASE + 9 * PG, PG);
   EXPECT_EQ(0, vt_file_pmd_pages(mm));
   EXPECT_EQ(0, mm->rss);
   mm_free(mm);
}

/* mremap that moves: where the kernel would put the range
   (vrm_set_new_addr -> get_unmapped_area, measured on Linux 6.18 by
   tests/scenarios/thp.py's thp/mremap-grow): grown to a multiple of 2 MiB
   where Valgrind chose, 2 MiB-aligned like a new mapping of that length,
   so its huge PMDs move whole (move_huge_pmd) even to an address of ours
   that is not aligned, and the grown tail takes a huge page; grown to
   5 MiB, placed anyhow (our address); moved MREMAP_FIXED, at the caller's
   address, where they split if it is not aligned as the old one. */
static void t_place_mremap(void)
{
   for (int c = 0; c < 3; c++) {
      struct vt_mm *mm = mm_new(1, true);
      vt_set_thp(mm, VT_THP_MADVISE, true, false);
      place(mm, BASE, 1024, RW, NULL, 0, true, false);
      vt_madvise_hugepage(mm, BASE, 1024 * PG, true);
      for (unsigned i = 0; i < 1024; i++)
         WR(mm, BASE + i * PG);
      EXPECT_EQ(2, mm->total.faults[VT_FC_THP]);
      vt_addr to = BASE + 8 * MB2 + 24 * PG;           /* 96 KiB past 2 MiB */
      vt_u64 n = c == 1 ? 1280 : 1536;
      vt_mremap(mm, BASE, 1024 * PG, to | (c < 2 ? VT_MREMAP_CHOSEN : 0), n * PG);
      EXPECT_EQ(c == 0 ? MB2 - 24 * PG : 0, koff_at(mm, to));
      EXPECT_EQ(c == 0 ? 1024 : 0, vt_anon_huge_pages(mm));
      EXPECT_EQ(1024, mm->rss);
      for (unsigned i = 0; i < n; i++)
         WR(mm, to + i * PG);
      /* the tail: a huge page at the kernel's aligned 2 MiB [4, 6) MiB;
         else 512 + 24 (or 256) pages, the kernel's tables split */
      EXPECT_EQ(c == 0 ? 3 : 2, mm->total.faults[VT_FC_THP]);
      EXPECT_EQ(c == 0 ? 0 : n - 1024, mm->total.faults[VT_FC_ANON]);
      EXPECT_EQ(c == 0 ? 1536 : 0, vt_anon_huge_pages(mm));
      /* PTE tables (a huge PMD's deposited one counted): 6 MiB at the
         kernel's aligned address, 3; 5 MiB (1,280 pages) and 6 MiB at
         ours, 24 pages past a boundary, 3 and 4; none left at BASE */
      EXPECT_EQ(c == 0 ? 3 : c == 1 ? 3 : 4, mm->nr_pt[3]);
      mm_free(mm);
   }
}

/* PTE tables counted where the kernel has them: 4 MiB of anonymous memory
   Valgrind put 96 KiB past a 2 MiB boundary (the kernel would have
   aligned it), 4 KiB pages, every page written: natively 2 tables
   ([0, 512) and [512, 1024) of the mapping), where the pages lie across 3
   of our tables.  A neighbour mapped MAP_FIXED right after it (vm_koff 0:
   natively it lies elsewhere) needs a table of its own, though its pages
   share one of ours with the region's, and keeps none of the region's. */
static void t_place_page_tables(void)
{
   struct vt_mm *mm = mm_new(1, true);
   vt_set_thp(mm, VT_THP_NEVER, true, false);
   vt_addr a = BASE + 24 * PG;
   place(mm, a, 1024, RW, NULL, 0, false, false);
   EXPECT_EQ(MB2 - 24 * PG, koff_at(mm, a));
   WR(mm, a);
   EXPECT_EQ(1, mm->nr_pt[3]);
   WR(mm, a + 511 * PG);                      /* past our boundary, same table */
   EXPECT_EQ(1, mm->nr_pt[3]);
   WR(mm, a + 512 * PG);
   EXPECT_EQ(2, mm->nr_pt[3]);
   for (unsigned i = 0; i < 1024; i++)
      WR(mm, a + i * PG);
   EXPECT_EQ(2, mm->nr_pt[3]);
   vt_addr n = a + 1024 * PG;
   place(mm, n, 8, RW, NULL, 0, true, false);
   EXPECT_EQ(0, koff_at(mm, n));
   WR(mm, n);
   EXPECT_EQ(3, mm->nr_pt[3]);
   /* the region's upper 2 MiB, the kernel's second table, unmapped */
   vt_munmap(mm, a + 512 * PG, 512 * PG);
   EXPECT_EQ(2, mm->nr_pt[3]);
   /* half of the first: its other half keeps the table */
   vt_munmap(mm, a, 256 * PG);
   EXPECT_EQ(2, mm->nr_pt[3]);
   vt_munmap(mm, n, 8 * PG);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   vt_munmap(mm, a, 1024 * PG);
   EXPECT_EQ(0, mm->nr_pt[3]);
   EXPECT_EQ(0, mm->nr_pt[2]);
   EXPECT_EQ(3, mm->peak_pt[3]);
   mm_free(mm);
}

void place_tests(void)
{
   run_test("place: mremap moves a range where the kernel would", t_place_mremap);
   run_test("place: which mappings the kernel would align", t_place_which);
   run_test("place: huge PMDs where the kernel would put them", t_place_anon_thp);
   run_test("place: PTE tables where the kernel would have them", t_place_page_tables);
   run_test("place: fault-around windows where the kernel would put them",
            t_place_file_fault_around);
   run_test("place: a cold file's 2 MiB folios mapped by PMDs", t_file_pmd);
   run_test("place: a write to a file's PMD unmaps it", t_file_pmd_write);
}
