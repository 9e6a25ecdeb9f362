/* labels_test.c: labels, phases and collection on/off: the figures per
   label, per phase and per label per phase.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static void t_labels(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 16, RW);
   vt_label(mm, BASE, 4 * PG, "a");
   for (int i = 0; i < 6; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   struct vt_label *a = label_named(mm, "a");
   EXPECT_TRUE(a != NULL);
   if (!a) {
      mm_free(mm);
      return;
   }
   EXPECT_EQ(4, a->c.faults[VT_FC_ANON]);
   EXPECT_EQ(4, a->c.touched);
   EXPECT_EQ(6, mm->total.faults[VT_FC_ANON]);
   EXPECT_EQ(4, lphase(mm, a, "main", VT_FC_ANON));
   /* Invalid accesses in a labelled range count for the label. */
   vt_mprotect(mm, BASE, PG, R_);
   WR(mm, BASE);
   EXPECT_EQ(1, a->c.faults[VT_FC_INVALID]);
   /* Naming the label again adds a range. */
   vt_label(mm, BASE + 10 * PG, PG, "a");
   a = label_named(mm, "a");
   EXPECT_EQ(1, mm->nr_labels);
   EXPECT_EQ(2, a->nr_ranges);
   EXPECT_EQ(BASE + 10 * PG, a->ranges[1][0]);
   EXPECT_EQ(BASE + 11 * PG, a->ranges[1][1]);
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 10 * PG));
   EXPECT_EQ(1, a->c.faults[VT_FC_ZERO]);
   EXPECT_EQ(5, a->c.touched);
   mm_free(mm);
}

static void t_labels_overlap(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 16, RW);
   vt_label(mm, BASE, 8 * PG, "A");
   vt_label(mm, BASE + 4 * PG, 8 * PG, "B");       /* takes [4, 8) */
   for (int i = 0; i < 16; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   struct vt_label *A = label_named(mm, "A"), *B = label_named(mm, "B");
   EXPECT_TRUE(A && B);
   if (!A || !B) {
      mm_free(mm);
      return;
   }
   EXPECT_EQ(4, A->c.faults[VT_FC_ANON]);          /* [0, 4) */
   EXPECT_EQ(8, B->c.faults[VT_FC_ANON]);          /* [4, 12) */
   EXPECT_EQ(16, mm->total.faults[VT_FC_ANON]);
   /* The ranges as labelled are kept for the output. */
   EXPECT_EQ(1, A->nr_ranges);
   EXPECT_EQ(BASE + 8 * PG, A->ranges[0][1]);
   EXPECT_EQ(2, mm->nr_lranges);
   mm_free(mm);

   /* A later label inside an earlier one splits it; unlabel splits too. */
   mm = mm_new(1, true);
   map_anon(mm, BASE, 16, RW);
   vt_label(mm, BASE, 12 * PG, "A");
   vt_label(mm, BASE + 2 * PG, 2 * PG, "B");       /* A: [0,2) [4,12) */
   vt_unlabel(mm, BASE + 6 * PG, 2 * PG);          /* A: [0,2) [4,6) [8,12) */
   EXPECT_EQ(4, mm->nr_lranges);
   for (int i = 0; i < 16; i++)
      WR(mm, BASE + (vt_addr)i * PG);
   A = label_named(mm, "A");
   B = label_named(mm, "B");
   EXPECT_EQ(2 + 2 + 4, A->c.faults[VT_FC_ANON]);
   EXPECT_EQ(2, B->c.faults[VT_FC_ANON]);
   EXPECT_EQ(8, A->c.touched);
   /* Unlabelling everything: nothing counts any more. */
   vt_unlabel(mm, BASE, 16 * PG);
   EXPECT_EQ(0, mm->nr_lranges);
   vt_madvise_dontneed(mm, BASE, 16 * PG);
   WR(mm, BASE);
   EXPECT_EQ(8, A->c.faults[VT_FC_ANON]);
   /* An empty label is ignored. */
   vt_label(mm, BASE, 0, "C");
   EXPECT_TRUE(label_named(mm, "C") == NULL);
   mm_free(mm);
}

static void t_phases(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 16, RW);
   vt_label(mm, BASE, 16 * PG, "L");
   struct vt_label *L = label_named(mm, "L");
   WR(mm, BASE);                                   /* main: 1 */
   vt_set_phase(mm, "p1");
   WR(mm, BASE + PG);                              /* p1: 2 */
   WR(mm, BASE + 2 * PG);
   vt_set_phase(mm, "p2");
   WR(mm, BASE + 3 * PG);                          /* p2: 1 */
   vt_set_phase(mm, "p1");                         /* continues p1: 3 */
   WR(mm, BASE + 4 * PG);
   EXPECT_EQ(3, mm->nr_phases);
   EXPECT_EQ(1, mm->phases[phase_id(mm, "main")].c.faults[VT_FC_ANON]);
   EXPECT_EQ(3, mm->phases[phase_id(mm, "p1")].c.faults[VT_FC_ANON]);
   EXPECT_EQ(1, mm->phases[phase_id(mm, "p2")].c.faults[VT_FC_ANON]);
   EXPECT_EQ(3, mm->phases[phase_id(mm, "p1")].c.touched);
   EXPECT_EQ(1, lphase(mm, L, "main", VT_FC_ANON));
   EXPECT_EQ(3, lphase(mm, L, "p1", VT_FC_ANON));
   EXPECT_EQ(1, lphase(mm, L, "p2", VT_FC_ANON));
   EXPECT_EQ(3, lphase(mm, L, "p1", -1));
   /* Many phases: the label's per-phase array grows with them. */
   char name[16];
   for (int i = 0; i < 20; i++) {
      snprintf(name, sizeof name, "q%d", i);
      vt_set_phase(mm, name);
      WR(mm, BASE + (vt_addr)(5 + i % 10) * PG);   /* 10 new pages, then none */
   }
   L = label_named(mm, "L");
   EXPECT_EQ(23, mm->nr_phases);
   EXPECT_EQ(1, lphase(mm, L, "q9", VT_FC_ANON));
   EXPECT_EQ(0, lphase(mm, L, "q19", VT_FC_ANON));
   EXPECT_EQ(1, lphase(mm, L, "main", VT_FC_ANON));  /* kept over growth */
   EXPECT_EQ(3, lphase(mm, L, "p1", VT_FC_ANON));
   EXPECT_EQ(15, L->c.faults[VT_FC_ANON]);
   /* The phase sums equal the total. */
   vt_u64 sum = 0;
   for (uint32_t i = 0; i < mm->nr_phases; i++)
      sum += mm->phases[i].c.faults[VT_FC_ANON];
   EXPECT_EQ(mm->total.faults[VT_FC_ANON], sum);
   /* A label made after many phases exist works in the latest one. */
   vt_label(mm, BASE + 15 * PG, PG, "late");
   WR(mm, BASE + 15 * PG);
   EXPECT_EQ(1, lphase(mm, label_named(mm, "late"), "q19", VT_FC_ANON));
   mm_free(mm);
}

static void t_collecting(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 4, RW);
   vt_label(mm, BASE, 4 * PG, "L");
   vt_set_collecting(mm, false);
   unsigned res = vt_access(mm, BASE, VT_ACC_WRITE);
   vt_access(mm, BASE + 3 * PG, VT_ACC_WRITE);
   vt_access(mm, BASE - PG, VT_ACC_READ);          /* invalid, uncounted */
   /* The state changes; the figures do not, and on_fault is silent. */
   EXPECT_TRUE(res & VT_RES_FAULT);
   EXPECT_TRUE(present(mm, BASE));
   EXPECT_EQ(2, mm->rss);
   EXPECT_EQ(0, R.nfaults);
   EXPECT_EQ(0, mm->total.faults[VT_FC_ANON]);
   EXPECT_EQ(0, mm->total.faults[VT_FC_INVALID]);
   EXPECT_EQ(0, mm->total.touched);
   EXPECT_EQ(0, mm->maps[id]->c.faults[VT_FC_ANON]);
   EXPECT_EQ(0, mm->maps[id]->c.touched);
   EXPECT_EQ(0, label_named(mm, "L")->c.faults[VT_FC_ANON]);
   EXPECT_EQ(0, mm->phases[0].c.faults[VT_FC_ANON]);
   vt_set_collecting(mm, true);
   /* The fault taken while paused is not taken again; the page is touched
      by its first reference while collecting (no fault), once; a page
      referenced only while paused (BASE + 3 pages) is not. */
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_EQ(1, mm->total.touched);
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_EQ(1, mm->total.touched);
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + PG));
   EXPECT_EQ(2, mm->total.touched);
   EXPECT_EQ(2, label_named(mm, "L")->c.touched);
   EXPECT_EQ(2, mm->maps[id]->c.touched);
   EXPECT_EQ(1, label_named(mm, "L")->c.faults[VT_FC_ZERO]);
   mm_free(mm);
}

void labels_tests(void)
{
   run_test("labels: counts, invalid accesses, ranges added", t_labels);
   run_test("labels: overlap and unlabel", t_labels_overlap);
   run_test("phases: per phase, per label per phase, continuing", t_phases);
   run_test("collection off: no figures, state still changes", t_collecting);
}
