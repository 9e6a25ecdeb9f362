/* anon_test.c: private anonymous memory: do_anonymous_page (a zero-filled
   page, or the shared zero page on a read), the write after a read
   (wp_page_copy), rss and its peak, x86 read rights.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

static void t_anon_read_then_write(void)
{
   struct vt_mm *mm = mm_new(1, true);
   int id = map_anon(mm, BASE, 4, RW);
   struct vt_mapping *m = mm->maps[id];
   /* First read: do_anonymous_page maps the shared zero page, read-only. */
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE));
   EXPECT_EQ(VT_RES_FAULT | VT_RES_CACHE_READ, last_res);
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_ZERO));
   EXPECT_FALSE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_EQ(0, mm->rss);                      /* the zero page is not RSS */
   EXPECT_EQ(1, mm->total.touched);
   EXPECT_FC(NOF, RD(mm, BASE + 8));
   EXPECT_EQ(VT_RES_CACHE_READ, last_res);
   /* Then a write: do_wp_page copies the zero page. */
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE + 16));
   EXPECT_EQ(VT_RES_FAULT | VT_RES_CACHE_READ | VT_RES_CACHE_WRITE, last_res);
   EXPECT_FALSE(pte_has(mm, BASE, VT_PTE_ZERO));
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_EQ(1, mm->rss);
   EXPECT_EQ(1, mm->peak_rss);
   EXPECT_EQ(1, m->resident);
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_FC(NOF, RD(mm, BASE));
   /* Counted once each; the page touched once. */
   EXPECT_EQ(1, mm->total.faults[VT_FC_ZERO]);
   EXPECT_EQ(1, mm->total.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(2, vt_counts_minor(&mm->total));
   EXPECT_EQ(0, vt_counts_major(&mm->total));
   EXPECT_EQ(1, mm->total.touched);
   EXPECT_EQ(1, m->c.faults[VT_FC_ZERO]);
   EXPECT_EQ(1, m->c.faults[VT_FC_WP_COPY]);
   EXPECT_EQ(1, m->c.touched);
   EXPECT_EQ(2, mm->phases[0].c.faults[VT_FC_ZERO] +
                mm->phases[0].c.faults[VT_FC_WP_COPY]);
   EXPECT_STR("main", mm->phases[0].name);
   mm_free(mm);
}

static void t_anon_write_first(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 4, RW);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + PG));
   EXPECT_EQ(1, mm->rss);
   EXPECT_TRUE(pte_has(mm, BASE + PG, VT_PTE_WRITE));
   EXPECT_TRUE(pte_has(mm, BASE + PG, VT_PTE_DIRTY));
   EXPECT_FC(NOF, RD(mm, BASE + PG));
   EXPECT_FC(NOF, WR(mm, BASE + PG + 100));
   /* Ten more pages written, five unmapped: rss 11 -> 6, peak 11. */
   vt_munmap(mm, BASE, 4 * PG);
   map_anon(mm, BASE, 16, RW);
   for (int i = 0; i < 10; i++)
      EXPECT_FC(VT_FC_ANON, WR(mm, BASE + (vt_addr)i * PG));
   EXPECT_EQ(10, mm->rss);
   RD(mm, BASE + 12 * PG);                     /* zero page: no rss */
   vt_munmap(mm, BASE, 5 * PG);
   EXPECT_EQ(5, mm->rss);
   EXPECT_EQ(10, mm->peak_rss);
   /* 1 + 10 pages written, plus the zero-page read: 12 touched. */
   EXPECT_EQ(12, mm->total.touched);
   EXPECT_EQ(11, mm->total.faults[VT_FC_ANON]);
   mm_free(mm);
}

/* When the peak was reached: the clock of the fault that first took RSS
   to its maximum (the summary's "peak ... at N instructions"). */
static void t_anon_peak_time(void)
{
   struct vt_mm *mm = mm_new(1, true);
   map_anon(mm, BASE, 16, RW);
   for (vt_u64 i = 0; i < 6; i++) {            /* pages 0-5 at times 100-105 */
      vt_set_clock(mm, 100 + i, 100 + i, 0);
      WR(mm, BASE + i * PG);
   }
   EXPECT_EQ(6, mm->peak_rss);
   EXPECT_EQ(105, mm->peak_rss_at);
   vt_set_clock(mm, 200, 200, 0);
   vt_munmap(mm, BASE, 3 * PG);                /* rss 3 */
   for (vt_u64 i = 0; i < 3; i++) {            /* back to 6 at 302: not above */
      vt_set_clock(mm, 300 + i, 300 + i, 0);
      WR(mm, BASE + (8 + i) * PG);
   }
   EXPECT_EQ(6, mm->rss);
   EXPECT_EQ(105, mm->peak_rss_at);
   vt_set_clock(mm, 400, 400, 0);
   RD(mm, BASE + 12 * PG);                     /* the zero page: no rss */
   EXPECT_EQ(105, mm->peak_rss_at);
   vt_set_clock(mm, 500, 500, 0);
   WR(mm, BASE + 13 * PG);                     /* 7: a new peak */
   EXPECT_EQ(7, mm->peak_rss);
   EXPECT_EQ(500, mm->peak_rss_at);
   mm_free(mm);
}

static void t_anon_no_zero_page(void)
{
   struct vt_mm *mm = mm_new(1, false);
   map_anon(mm, BASE, 2, RW);
   /* Without the zero page a read allocates the page at once, writable
      and dirty in a writable VMA (do_anonymous_page: pte_mkwrite(pte_mkdirty)). */
   EXPECT_FC(VT_FC_ANON, RD(mm, BASE));
   EXPECT_EQ(1, mm->rss);
   EXPECT_TRUE(pte_has(mm, BASE, VT_PTE_WRITE));
   EXPECT_FC(NOF, WR(mm, BASE));
   EXPECT_EQ(1, mm->total.faults[VT_FC_ANON]);
   EXPECT_EQ(0, mm->total.faults[VT_FC_WP_COPY]);
   /* In a read-only VMA, the page is mapped read-only. */
   map_anon(mm, BASE + 4 * PG, 1, R_);
   EXPECT_FC(VT_FC_ANON, RD(mm, BASE + 4 * PG));
   EXPECT_FALSE(pte_has(mm, BASE + 4 * PG, VT_PTE_WRITE));
   EXPECT_EQ(2, mm->rss);
   mm_free(mm);
}

static void t_anon_x86_read_rights(void)
{
   struct vt_mm *mm = mm_new(1, true);
   /* x86 cannot map write-only or exec-only: both can be read. */
   map_anon(mm, BASE, 1, W_);
   map_anon(mm, BASE + 2 * PG, 1, X_);
   map_anon(mm, BASE + 4 * PG, 1, 0);          /* PROT_NONE */
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE));
   EXPECT_FC(VT_FC_WP_COPY, WR(mm, BASE));
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 2 * PG));
   EXPECT_FC(NOF, EX(mm, BASE + 2 * PG));
   EXPECT_FC(VT_FC_INVALID, RD(mm, BASE + 4 * PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   EXPECT_FC(VT_FC_INVALID, WR(mm, BASE + 2 * PG));
   EXPECT_EQ(VT_INV_PROTECTION, R.reason);
   mm_free(mm);
}

void anon_tests(void)
{
   run_test("anon: read -> zero, write -> wp_copy", t_anon_read_then_write);
   run_test("anon: write first, rss and peak", t_anon_write_first);
   run_test("anon: the time of the peak", t_anon_peak_time);
   run_test("anon: zero_page=false", t_anon_no_zero_page);
   run_test("anon: x86 read rights (write-only, exec-only, none)",
            t_anon_x86_read_rights);
}
