/* mremap_test.c: mremap: moves (across tables, with a neighbour, within one
   table), growing and shrinking.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

/* Writes n pages at a, then moves them to b; checks what a move must
   keep. */
static void check_move(vt_addr a, vt_addr b, unsigned n, int line)
{
   struct vt_mm *mm = cur_mm;
   int id = map_anon(mm, a, n, RW);
   for (unsigned i = 0; i < n; i++)
      WR(mm, a + i * PG);
   vt_u64 rss = mm->rss, faults = R.nfaults, touched = mm->total.touched;
   unsigned inv0 = R.ninv;
   vt_mremap(mm, a, n * PG, b, n * PG);
   if (!inval_covers(inv0, a, a + n * PG))
      fail_at(line, "invalidate covers the old range", "yes", "no");
   const struct vt_vma *v = vt_find_vma(mm, b);
   if (!v || v->vm_start != b || v->vm_end != b + n * PG ||
       v->mapping != (uint32_t)id)
      fail_at(line, "the moved VMA", "at the new address", "elsewhere");
   EXPECT_TRUE(vt_find_vma(mm, a) == NULL);
   EXPECT_EQ(rss, mm->rss);
   EXPECT_EQ(n, count_present(mm, b, n));
   EXPECT_EQ(0, count_present(mm, a, n));
   for (unsigned i = 0; i < n; i++)
      WR(mm, b + i * PG);
   if (R.nfaults != faults) {
      char e[32], g[32];
      snprintf(e, sizeof e, "%llu", (unsigned long long)faults);
      snprintf(g, sizeof g, "%llu", (unsigned long long)R.nfaults);
      fail_at(line, "faults after writing the moved pages", e, g);
   }
   EXPECT_EQ(rss, mm->rss);
   EXPECT_EQ(touched, mm->total.touched);
   EXPECT_EQ(n, mm->maps[id]->resident);
   EXPECT_EQ(b, mm->maps[id]->start);
   EXPECT_EQ(b + n * PG, mm->maps[id]->end);
   EXPECT_EQ(1, mm->maps[id]->nr_vmas);
   EXPECT_EQ(0, mm->maps[id]->unmapped_at);
   EXPECT_FC(VT_FC_INVALID, RD(mm, a));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
}

static void t_mremap_move_far(void)
{
   /* Old and new range in different 512 GiB regions. */
   struct vt_mm *mm = mm_new(1, true);
   check_move(BASE, BASE + GB512, 4, __LINE__);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   EXPECT_EQ(1, mm->nr_pt[1]);
   mm_free(mm);
}

static void t_mremap_move_with_neighbour(void)
{
   /* A VMA nearby keeps the tables around: the move within one PTE table
      then within one PMD table. */
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE + 100 * PG, 1, RW);
   check_move(BASE, BASE + 8 * PG, 4, __LINE__);
   check_move(BASE + 8 * PG, BASE + 4 * MB2, 4, __LINE__);
   mm_free(mm);
}

/* The same moves with nothing else mapped nearby. */
static void t_mremap_move_same_table(void)
{
   struct vt_mm *mm = mm_new(1, true);
   check_move(BASE, BASE + 8 * PG, 4, __LINE__);
   EXPECT_EQ(1, mm->nr_pt[3]);
   mm_free(mm);
}

static void t_mremap_move_same_pmd(void)
{
   struct vt_mm *mm = mm_new(1, true);
   check_move(BASE, BASE + 4 * MB2, 4, __LINE__);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   mm_free(mm);
}

static void t_mremap_grow_shrink(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 4, RW);
   for (int i = 0; i < 4; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   /* Grow in place: one VMA [0, 8), the old pages kept. */
   vt_mremap(mm, BASE, 4 * PG, BASE, 8 * PG);
   EXPECT_STR("0-8 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(BASE + 8 * PG, mm->maps[id]->end);
   EXPECT_FC(NOF, WR(mm, BASE + 3 * PG));
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + 4 * PG));
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 7 * PG));
   EXPECT_EQ(5, mm->rss);
   /* Shrink to 2 pages: the tail is unmapped (an unaligned old length
      is rounded up). */
   unsigned inv0 = R.ninv;
   vt_mremap(mm, BASE, 8 * PG - 100, BASE, 2 * PG);
   EXPECT_STR("0-2 rw-p m0", vmas_str(mm, BASE));
   EXPECT_EQ(2, mm->rss);
   EXPECT_TRUE(inval_covers(inv0, BASE + 2 * PG, BASE + 8 * PG));
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 2 * PG));
   EXPECT_EQ(VT_INV_UNMAPPED, R.reason);
   EXPECT_EQ(1, mm->maps[id]->nr_vmas);
   /* Move and grow: the 2 pages go along, the new 2 fault. */
   vt_mremap(mm, BASE, 2 * PG, BASE + GB512, 4 * PG);
   EXPECT_EQ(2, mm->rss);
   EXPECT_FC(NOF, WR(mm, BASE + GB512 + PG));
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + GB512 + 2 * PG));
   EXPECT_EQ(BASE + GB512 + 4 * PG, mm->maps[id]->end);
   mm_free(mm);
}

/* remap_move (Linux 6.17): a same-length move to a fixed address over
   three VMAs (the middle one locked) and a hole moves each part to the
   same offset: the PTEs with them, the flags kept, the old range empty. */
static void t_mremap_move_multi(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 6, RW);
   map_anon(mm, BASE + 7 * PG, 1, RW);
   for (int i = 0; i < 8; i++)
      if (i != 6)
         WR(mm, BASE + i * PG);
   vt_mlock(mm, BASE + 2 * PG, 2 * PG, true);
   vt_u64 anon = mm->total.faults[VT_FC_ANON];
   vt_mremap(mm, BASE, 8 * PG, BASE + 32 * PG, 8 * PG);
   EXPECT_STR("32-34 rw-p m0, 34-36 rw-pL m0, 36-38 rw-p m0, 39-40 rw-p m1",
              vmas_str(mm, BASE));
   for (int i = 0; i < 8; i++)
      if (i != 6)
         EXPECT_FC(NOF, WR(mm, BASE + (32 + i) * PG));
   EXPECT_EQ(anon, mm->total.faults[VT_FC_ANON]);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 3 * PG));
   mm_free(mm);
}

void mremap_tests(void)
{
   run_test("mremap: a move of several VMAs and a hole", t_mremap_move_multi);
   run_test("mremap: move to another 512 GiB region", t_mremap_move_far);
   run_test("mremap: move with a neighbouring VMA",
            t_mremap_move_with_neighbour);
   run_test("mremap: move within one PTE table, nothing else mapped",
            t_mremap_move_same_table);
   run_test("mremap: move within one PMD table, nothing else mapped",
            t_mremap_move_same_pmd);
   run_test("mremap: grow in place, shrink, move and grow",
            t_mremap_grow_shrink);
}
