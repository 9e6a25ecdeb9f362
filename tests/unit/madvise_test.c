/* madvise_test.c: MADV_DONTNEED: the pages go, a touch faults them in again,
   and "touched" is kept.
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

void madvise_tests(void)
{
   run_test("madvise: MADV_DONTNEED refaults, touched kept", t_madv_dontneed);
}
