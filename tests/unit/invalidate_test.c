/* invalidate_test.c: the invalidate host op: every change that takes rights
   away (munmap, mprotect, MADV_DONTNEED, mremap, brk, MAP_FIXED) reports its
   range; faults and added rights do not.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static void t_invalidate(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 16, RW);
   for (int i = 0; i < 16; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   unsigned n;

   n = R.ninv;
   vt_munmap(mm, BASE + 14 * PG, 2 * PG);
   EXPECT_TRUE(R.ninv > n);
   EXPECT_TRUE(inval_covers(n, BASE + 14 * PG, BASE + 16 * PG));

   n = R.ninv;
   vt_mprotect(mm, BASE, 4 * PG, R_);              /* write removed */
   EXPECT_TRUE(inval_covers(n, BASE, BASE + 4 * PG));
   n = R.ninv;
   vt_mprotect(mm, BASE + 4 * PG, 2 * PG, 0);      /* everything removed */
   EXPECT_TRUE(inval_covers(n, BASE + 4 * PG, BASE + 6 * PG));

   n = R.ninv;
   vt_madvise_dontneed(mm, BASE + 6 * PG, 2 * PG);
   EXPECT_TRUE(inval_covers(n, BASE + 6 * PG, BASE + 8 * PG));

   n = R.ninv;
   vt_mremap(mm, BASE + 8 * PG, 2 * PG, BASE + GB512, 2 * PG);
   EXPECT_TRUE(inval_covers(n, BASE + 8 * PG, BASE + 10 * PG));

   n = R.ninv;
   vt_set_brk(mm, BASE + 100 * PG);
   vt_set_brk(mm, BASE + 104 * PG);
   WR(mm, BASE + 103 * PG);
   vt_set_brk(mm, BASE + 101 * PG);                /* brk shrink */
   EXPECT_TRUE(inval_covers(n, BASE + 101 * PG, BASE + 104 * PG));

   n = R.ninv;
   map_anon(mm, BASE + 10 * PG, 2, RW);            /* MAP_FIXED over */
   EXPECT_TRUE(inval_covers(n, BASE + 10 * PG, BASE + 12 * PG));

   /* Faults and adding rights need no invalidation. */
   n = R.ninv;
   WR(mm, BASE + 12 * PG + 1);
   RD(mm, BASE + 10 * PG);
   EXPECT_EQ(n, R.ninv);
   mm_free(mm);
}

void invalidate_tests(void)
{
   run_test("invalidate: munmap, mprotect, DONTNEED, mremap, brk, MAP_FIXED",
            t_invalidate);
}
