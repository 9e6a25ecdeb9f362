/* madvise_test.c: MADV_DONTNEED: the pages go, a touch faults them in again,
   and "touched" is kept; calls over a hole (mprotect, MADV_DONTNEED) that
   did their work before failing; MADV_POPULATE_READ/WRITE; guard regions
   (MADV_GUARD_INSTALL/REMOVE); vt_access_ok.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static void t_madv_dontneed(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 4, RW);
   for (int i = 0; i < 4; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(4, mm->rss);
   unsigned inv0 = R.ninv;
   vt_madvise_dontneed(mm, BASE + PG, 2 * PG);
   EXPECT_TRUE(inval_covers(inv0, BASE + PG, BASE + 3 * PG));
   EXPECT_EQ(2, mm->rss);
   EXPECT_EQ(2, mm->maps[id]->resident);
   EXPECT_FALSE(present(mm, BASE + PG));
   EXPECT_STR("0-4 rw-p m0", vmas_str(mm, BASE));   /* VMAs unchanged */
   /* The next touch faults again, but is no new page touched. */
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + PG));
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 2 * PG));
   EXPECT_EQ(4, mm->total.touched);
   EXPECT_EQ(5, mm->total.faults[VT_FC_ANON]);
   EXPECT_EQ(3, mm->rss);
   EXPECT_EQ(4, mm->peak_rss);
   /* A private file copy is dropped: the file's page comes back. */
   struct vt_file *f = reg_file(mm, 16 * PG);
   map_file(mm, BASE + 16 * PG, 4, RW, f, 0);
   EXPECT_FC(VT_FC_FILE_COW, WR(mm, BASE + 16 * PG));
   vt_madvise_dontneed(mm, BASE + 16 * PG, PG);
   EXPECT_FC(VT_FC_FILE_READ, RD(mm, BASE + 16 * PG));
   EXPECT_TRUE(pte_has(mm, BASE + 16 * PG, VT_PTE_FILE));
   /* A range over a hole is fine. */
   vt_madvise_dontneed(mm, BASE, 32 * PG);
   EXPECT_EQ(0, mm->rss);
   mm_free(mm);
}

/* do_mprotect_pkey: [0, 2) and [3, 5) with a hole at 2; mprotect of
   [0, 5) read-only changes [0, 2), then fails with ENOMEM at the hole:
   [3, 5) stays writable.  Starting in the hole changes nothing. */
static void t_mprotect_hole(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 2, RW);
   map_anon(mm, BASE + 3 * PG, 2, RW);
   for (int i = 0; i < 5; i++)
      if (i != 2)
         EXPECT_FC(VT_FC_ANON, WR(mm, BASE + (vt_addr)i * PG));
   vt_mprotect(mm, BASE, 5 * PG, R_);
   EXPECT_STR("0-2 r--p m0, 3-5 rw-p m1", vmas_str(mm, BASE));
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_FC(NOF, WR(mm, BASE + 4 * PG));
   vt_mprotect(mm, BASE + 2 * PG, 3 * PG, R_);
   EXPECT_STR("0-2 r--p m0, 3-5 rw-p m1", vmas_str(mm, BASE));
   /* A range ending inside the second run of VMAs stops at its end. */
   vt_mprotect(mm, BASE + 3 * PG, PG, R_);
   EXPECT_STR("0-2 r--p m0, 3-4 r--p m1, 4-5 rw-p m1", vmas_str(mm, BASE));
   mm_free(mm);
}

/* madvise_walk_vmas skips holes: MADV_DONTNEED over [0, 2) hole [3, 5)
   drops the pages on both sides (the call fails with ENOMEM after). */
static void t_dontneed_hole(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 2, RW);
   map_anon(mm, BASE + 3 * PG, 2, RW);
   for (int i = 0; i < 5; i++)
      if (i != 2)
         WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(4, mm->rss);
   vt_madvise_dontneed(mm, BASE, 5 * PG);
   EXPECT_EQ(0, mm->rss);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + PG));
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + 3 * PG));
   mm_free(mm);
}

/* MADV_POPULATE_READ over 8 pages, a hole, 8 pages: GUP read faults on the
   first 8 (do_anonymous_page maps the zero page: 8 `zero`), none after the
   hole; no page is touched (the kernel's doing).  POPULATE_WRITE then
   breaks the zero page of each (8 `wp_copy`) and again finds them done
   (0).  Populating stops at a VMA without the right (EINVAL natively), a
   guard marker or the end of a file (EFAULT), after the pages before. */
static void t_populate(void)
{
   struct vt_mm *mm = mm_new(16, true);
   map_anon(mm, BASE, 8, RW);
   map_anon(mm, BASE + 9 * PG, 8, RW);
   EXPECT_EQ(8, vt_madvise_populate(mm, BASE, 17 * PG, false));
   EXPECT_EQ(8, mm->total.faults[VT_FC_ZERO]);
   EXPECT_EQ(8, count_present(mm, BASE, 8));
   EXPECT_EQ(0, count_present(mm, BASE + 9 * PG, 8));
   EXPECT_EQ(0, mm->total.touched);
   EXPECT_EQ(0, mm->total.faults[VT_FC_INVALID]);
   EXPECT_EQ(8, vt_madvise_populate(mm, BASE, 17 * PG, true));
   EXPECT_EQ(8, mm->total.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(8, mm->rss);
   EXPECT_EQ(8, vt_madvise_populate(mm, BASE, 8 * PG, true));
   EXPECT_EQ(8, vt_madvise_populate(mm, BASE, 8 * PG, false));
   EXPECT_EQ(16, R.nfaults);
   /* A write finds the written pages writable: no fault, but touched. */
   EXPECT_FC(NOF, WR(mm, BASE));
   /* Starting in the hole: nothing. */
   EXPECT_EQ(0, vt_madvise_populate(mm, BASE + 8 * PG, 2 * PG, true));
   EXPECT_EQ(0, count_present(mm, BASE + 9 * PG, 8));
   /* Read-write then PROT_NONE: 2 pages, then EINVAL. */
   map_anon(mm, BASE + 32 * PG, 2, RW);
   map_anon(mm, BASE + 34 * PG, 2, 0);
   EXPECT_EQ(2, vt_madvise_populate(mm, BASE + 32 * PG, 4 * PG, false));
   /* Writing: a read-only VMA stops it. */
   map_anon(mm, BASE + 40 * PG, 2, RW);
   map_anon(mm, BASE + 42 * PG, 2, R_);
   EXPECT_EQ(2, vt_madvise_populate(mm, BASE + 40 * PG, 4 * PG, true));
   EXPECT_EQ(0, count_present(mm, BASE + 42 * PG, 2));
   /* A 2-page file mapped 4 pages: one read fault maps both (fault-around
      clamped to the file), then EFAULT at page 2. */
   struct vt_file *f = reg_file(mm, 2 * PG);
   map_file(mm, BASE + 64 * PG, 4, R_, f, 0);
   vt_u64 fr = mm->total.faults[VT_FC_FILE_READ];
   EXPECT_EQ(2, vt_madvise_populate(mm, BASE + 64 * PG, 4 * PG, false));
   EXPECT_EQ(fr + 1, mm->total.faults[VT_FC_FILE_READ]);
   EXPECT_EQ(2, count_present(mm, BASE + 64 * PG, 4));
   /* Writing a private file mapping: do_cow_fault, a page at a time. */
   map_file(mm, BASE + 80 * PG, 2, RW, f, 0);
   EXPECT_EQ(2, vt_madvise_populate(mm, BASE + 80 * PG, 2 * PG, true));
   EXPECT_EQ(2, mm->total.faults[VT_FC_FILE_COW]);
   EXPECT_EQ(0, mm->total.faults[VT_FC_INVALID]);
   mm_free(mm);
}

/* Guard regions: installing over written pages zaps them (the resident
   count falls, their contents are gone) and leaves markers: any access is
   invalid (reason guard), no fault counted.  MADV_DONTNEED and mprotect
   keep the markers; populate and mlock stop at them; removing restores
   demand paging (a write is a fresh `anon`); munmap drops them. */
static void t_guard(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 8, RW);
   for (int i = 0; i < 8; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   EXPECT_EQ(8, mm->rss);
   unsigned inv0 = R.ninv;
   vt_madvise_guard(mm, BASE, 4 * PG, true);
   EXPECT_TRUE(inval_covers(inv0, BASE, BASE + 4 * PG));
   EXPECT_EQ(4, mm->rss);
   EXPECT_EQ(4, mm->maps[id]->resident);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));     /* no VMA change */
   vt_u64 anon = mm->total.faults[VT_FC_ANON];
   for (int i = 0; i < 4; i++) {
      EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + (vt_addr)i * PG));
      EXPECT_EQ(VT_INV_GUARD, R.reason);
      EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + (vt_addr)i * PG));
   }
   EXPECT_EQ(8, mm->total.faults[VT_FC_INVALID]);
   EXPECT_EQ(anon, mm->total.faults[VT_FC_ANON]);
   EXPECT_FALSE(vt_access_ok(mm, BASE, VT_ACC_READ));
   EXPECT_TRUE(vt_access_ok(mm, BASE + 4 * PG, VT_ACC_WRITE));
   /* protection is checked first (access_error before the PTE) */
   vt_mprotect(mm, BASE, 8 * PG, R_);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   vt_mprotect(mm, BASE, 8 * PG, RW);
   vt_madvise_dontneed(mm, BASE, 8 * PG);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 3 * PG));
   EXPECT_EQ(VT_INV_GUARD, R.reason);
   EXPECT_EQ(0, vt_madvise_populate(mm, BASE, 8 * PG, true));
   EXPECT_EQ(4, vt_madvise_populate(mm, BASE + 4 * PG, 4 * PG, true));
   /* mlock populates around the markers, without an invalid access */
   vt_u64 inv = mm->total.faults[VT_FC_INVALID];
   vt_mlock(mm, BASE, 8 * PG, true);
   EXPECT_EQ(inv, mm->total.faults[VT_FC_INVALID]);
   vt_mlock(mm, BASE, 8 * PG, false);
   /* Removing [1, 3): those two fault in afresh, 0 and 3 stay guarded. */
   vt_madvise_guard(mm, BASE + PG, 2 * PG, false);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + PG));
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 2 * PG));
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE));
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 3 * PG));
   /* munmap drops the markers: a new mapping there is plain memory. */
   vt_munmap(mm, BASE, 8 * PG);
   map_anon(mm, BASE, 8, RW);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE));
   /* Over a hole: both sides guarded (the call fails with ENOMEM after);
      an mlocked VMA stops the install there (EINVAL). */
   map_anon(mm, BASE + 16 * PG, 2, RW);
   map_anon(mm, BASE + 19 * PG, 2, RW);
   vt_madvise_guard(mm, BASE + 16 * PG, 5 * PG, true);
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 17 * PG));
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 20 * PG));
   map_anon(mm, BASE + 32 * PG, 2, RW);
   map_anon(mm, BASE + 34 * PG, 2, RW);
   vt_mlock(mm, BASE + 34 * PG, 2 * PG, true);
   map_anon(mm, BASE + 36 * PG, 2, RW);
   vt_madvise_guard(mm, BASE + 32 * PG, 6 * PG, true);
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 33 * PG));
   EXPECT_FC(NOF, RD(mm, BASE + 34 * PG));       /* populated by mlock */
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 36 * PG));
   mm_free(mm);
}

/* vt_access_ok: what a system call that succeeded can have read. */
static void t_access_ok(void)
{
   struct vt_mm *mm = mm_new(1, true);
   struct vt_file *f = reg_file(mm, PG);
   map_anon(mm, BASE, 2, RW);
   map_anon(mm, BASE + 2 * PG, 1, 0);
   map_file(mm, BASE + 4 * PG, 2, R_, f, 0);
   EXPECT_TRUE(vt_access_ok(mm, BASE, VT_ACC_READ));
   EXPECT_TRUE(vt_access_ok(mm, BASE + PG, VT_ACC_WRITE));
   EXPECT_FALSE(vt_access_ok(mm, BASE + 2 * PG, VT_ACC_READ));   /* PROT_NONE */
   EXPECT_FALSE(vt_access_ok(mm, BASE + 3 * PG, VT_ACC_READ));   /* a hole */
   EXPECT_TRUE(vt_access_ok(mm, BASE + 4 * PG, VT_ACC_READ));
   EXPECT_FALSE(vt_access_ok(mm, BASE + 4 * PG, VT_ACC_WRITE));
   EXPECT_FALSE(vt_access_ok(mm, BASE + 5 * PG, VT_ACC_READ));   /* past EOF */
   EXPECT_FALSE(vt_access_ok(mm, 0, VT_ACC_READ));
   EXPECT_FALSE(vt_access_ok(mm, (vt_addr)1 << 47, VT_ACC_READ));
   EXPECT_EQ(0, R.nfaults);                     /* a question, no access */
   EXPECT_EQ(0, mm->total.faults[VT_FC_INVALID]);
   mm_free(mm);
}

void madvise_tests(void)
{
   run_test("madvise: MADV_DONTNEED refaults, touched kept", t_madv_dontneed);
   run_test("mprotect: over a hole, the VMAs before it change", t_mprotect_hole);
   run_test("madvise: MADV_DONTNEED over a hole drops both sides", t_dontneed_hole);
   run_test("madvise: MADV_POPULATE_READ/WRITE up to where GUP stops", t_populate);
   run_test("madvise: guard regions installed, kept, removed", t_guard);
   run_test("access_ok: served or not, nothing changed", t_access_ok);
}
