/* pgtable_test.c: the page tables: a table per level built at fault time,
   freed with the VMAs that covered it (free_pgtables), the peak;
   vt_walk_ptes.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static void t_pt_one_page(void)
{
   struct vt_mm *mm = mm_new(1, true);
   /* A fresh address space has its PGD only. */
   EXPECT_EQ(1, mm->nr_pt[0]);
   EXPECT_EQ(0, mm->nr_pt[1] + mm->nr_pt[2] + mm->nr_pt[3]);
   map_anon(mm, BASE, 1, RW);
   /* mmap allocates no table: Linux builds them at fault time. */
   EXPECT_EQ(0, mm->nr_pt[1] + mm->nr_pt[2] + mm->nr_pt[3]);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE));
   /* One page needs one table per level below the PGD. */
   EXPECT_EQ(1, mm->nr_pt[0]);
   EXPECT_EQ(1, mm->nr_pt[1]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->peak_pt[3]);
   mm_free(mm);
}

static void t_pt_2mib_apart(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 1024, RW);               /* 4 MiB, 2 PTE tables' worth */
   WR(mm, BASE);
   WR(mm, BASE + 511 * PG);                    /* same 2 MiB: same table */
   EXPECT_EQ(1, mm->nr_pt[3]);
   WR(mm, BASE + MB2);                         /* page 512: the next table */
   EXPECT_EQ(1, mm->nr_pt[1]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   EXPECT_EQ(2, mm->nr_pt[3]);
   /* Unmapping the upper 2 MiB frees its PTE table only. */
   vt_munmap(mm, BASE + MB2, MB2);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   EXPECT_TRUE(present(mm, BASE + 511 * PG));
   /* Unmapping a part of the lower one keeps it: [256, 512) still uses it. */
   vt_munmap(mm, BASE, 256 * PG);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_TRUE(present(mm, BASE + 511 * PG));
   /* The whole range gone: everything but the PGD is freed. */
   vt_munmap(mm, BASE, 1024 * PG);
   EXPECT_EQ(1, mm->nr_pt[0]);
   EXPECT_EQ(0, mm->nr_pt[1]);
   EXPECT_EQ(0, mm->nr_pt[2]);
   EXPECT_EQ(0, mm->nr_pt[3]);
   /* peak_pt keeps the maximum: 1 pud, 1 pmd, 2 pte. */
   EXPECT_EQ(1, mm->peak_pt[0]);
   EXPECT_EQ(1, mm->peak_pt[1]);
   EXPECT_EQ(1, mm->peak_pt[2]);
   EXPECT_EQ(2, mm->peak_pt[3]);
   mm_free(mm);
}

static void t_pt_neighbour_keeps(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 4, RW);                  /* A: pages 0..3 */
   map_anon(mm, BASE + 8 * PG, 4, RW);         /* B: pages 8..11, same 2 MiB */
   for (int i = 0; i < 4; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   WR(mm, BASE + 8 * PG);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(5, mm->rss);
   vt_munmap(mm, BASE, 4 * PG);
   /* B still lies in the table's 2 MiB: free_pgtables keeps it. */
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->rss);
   EXPECT_TRUE(present(mm, BASE + 8 * PG));
   EXPECT_FC(NOF, WR(mm, BASE + 8 * PG));
   /* An untouched neighbour keeps it too: the rule is VMA coverage. */
   map_anon(mm, BASE + 20 * PG, 1, RW);
   vt_munmap(mm, BASE + 8 * PG, 4 * PG);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   vt_munmap(mm, BASE + 20 * PG, PG);
   EXPECT_EQ(0, mm->nr_pt[3]);
   EXPECT_EQ(0, mm->nr_pt[2]);
   EXPECT_EQ(0, mm->nr_pt[1]);
   EXPECT_EQ(0, mm->rss);
   mm_free(mm);
}

static void t_pt_levels(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 1, RW);
   map_anon(mm, BASE + GB1, 1, RW);            /* another PMD table */
   map_anon(mm, BASE + GB512, 1, RW);          /* another PUD table */
   WR(mm, BASE);
   WR(mm, BASE + GB1);
   WR(mm, BASE + GB512);
   /* BASE and BASE+1G share a PUD table (one 512 GiB PGD entry) but need a
      PMD table each; BASE+512G needs its own PUD, PMD and PTE tables. */
   EXPECT_EQ(1, mm->nr_pt[0]);
   EXPECT_EQ(2, mm->nr_pt[1]);
   EXPECT_EQ(3, mm->nr_pt[2]);
   EXPECT_EQ(3, mm->nr_pt[3]);
   vt_munmap(mm, BASE + GB1, PG);
   EXPECT_EQ(2, mm->nr_pt[1]);
   EXPECT_EQ(2, mm->nr_pt[2]);
   EXPECT_EQ(2, mm->nr_pt[3]);
   vt_munmap(mm, BASE + GB512, PG);
   EXPECT_EQ(1, mm->nr_pt[1]);
   EXPECT_EQ(1, mm->nr_pt[2]);
   EXPECT_EQ(1, mm->nr_pt[3]);
   EXPECT_EQ(2, mm->peak_pt[1]);
   EXPECT_EQ(3, mm->peak_pt[2]);
   EXPECT_EQ(3, mm->peak_pt[3]);
   mm_free(mm);
}

struct walk_acc { unsigned n; vt_addr first, last; };
static void walk_cb(void *ctx, vt_addr a, vt_pte *p)
{
   struct walk_acc *w = ctx;
   (void)p;
   if (!w->n)
      w->first = a;
   w->last = a;
   w->n++;
}

static void t_pt_walk(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 1024, RW);
   WR(mm, BASE + 3 * PG);
   WR(mm, BASE + 700 * PG);
   RD(mm, BASE + 900 * PG);                    /* the zero page: non-zero PTE */
   struct walk_acc w = { 0, 0, 0 };
   vt_walk_ptes(mm, BASE, BASE + 1024 * PG, walk_cb, &w);
   EXPECT_EQ(3, w.n);
   EXPECT_EQ(BASE + 3 * PG, w.first);
   EXPECT_EQ(BASE + 900 * PG, w.last);
   memset(&w, 0, sizeof w);
   vt_walk_ptes(mm, BASE + 4 * PG, BASE + 900 * PG, walk_cb, &w);
   EXPECT_EQ(1, w.n);                          /* only page 700 */
   EXPECT_EQ(BASE + 700 * PG, w.first);
   mm_free(mm);
}

void pgtable_tests(void)
{
   run_test("page tables: one page needs one table per level", t_pt_one_page);
   run_test("page tables: 2 MiB apart, partial and full munmap, peak",
            t_pt_2mib_apart);
   run_test("page tables: a neighbouring VMA keeps the PTE table",
            t_pt_neighbour_keeps);
   run_test("page tables: PMD and PUD levels", t_pt_levels);
   run_test("page tables: vt_walk_ptes", t_pt_walk);
}
