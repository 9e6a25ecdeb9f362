/* brk_test.c: brk: the heap grows, shrinks, goes and comes back as one
   mapping.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static void t_brk(void)
{
   struct vt_mm *mm = mm_new(1, true);
   vt_addr B = BASE + 64 * PG;
   vt_set_brk(mm, B);                         /* the heap starts empty */
   EXPECT_EQ(0, mm->nr_vmas);
   vt_set_brk(mm, B + 3 * PG + 100);          /* PAGE_ALIGN: 4 pages */
   EXPECT_STR("64-68 rw-p m0", vmas_str(mm, BASE));
   int32_t h = mm->heap_vma_map;
   EXPECT_TRUE(h >= 0);
   struct vt_mapping *m = mm->maps[h];
   EXPECT_EQ(VT_MK_HEAP, m->kind);
   EXPECT_STR("[heap]", m->name);
   for (int i = 0; i < 4; i++)
      EXPECT_FC(VT_FC_ANON, WR(mm, B + (vt_addr)i * PG));
   /* Shrink to one page: pages 1..3 go. */
   vt_set_brk(mm, B + PG);
   EXPECT_STR("64-65 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(1, mm->rss);
   /* Grow again: still one VMA, one mapping; page 2 is new memory. */
   vt_set_brk(mm, B + 4 * PG);
   EXPECT_STR("64-68 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(h, mm->heap_vma_map);
   EXPECT_FC(NOF, WR(mm, B));
   EXPECT_FC(VT_FC_ANON, WR(mm, B + 2 * PG));
   EXPECT_EQ(5, m->c.faults[VT_FC_ANON]);
   EXPECT_EQ(5, m->c.touched);                 /* 4, then page 2 again */
   EXPECT_EQ(B + 4 * PG, m->end);
   /* Below start_brk: refused. */
   vt_set_brk(mm, B - PG);
   EXPECT_STR("64-68 rw-p m0", vmas_str(mm, BASE));
   /* Down to nothing and back: the same mapping lives again. */
   vt_set_brk(mm, B);
   EXPECT_EQ(0, mm->nr_vmas);
   EXPECT_TRUE(m->unmapped_at != 0);
   vt_set_brk(mm, B + 2 * PG);
   EXPECT_STR("64-66 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(0, m->unmapped_at);
   EXPECT_EQ(1, m->nr_vmas);
   EXPECT_FC(VT_FC_ANON, WR(mm, B));
   mm_free(mm);
}

void brk_tests(void)
{
   run_test("brk: grow, shrink, grow", t_brk);
}
