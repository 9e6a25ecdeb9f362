/* thp_test.c: transparent huge pages for private anonymous memory: the
   huge fault and the huge zero page (do_huge_pmd_anonymous_page,
   do_huge_zero_wp_pmd), splits (a VMA boundary inside a huge PMD,
   MADV_DONTNEED of part of it) and multi-size THP folios
   (alloc_anon_folio).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

/* An mm under enabled=madvise with npages at BASE (2 MiB-aligned) given
   MADV_HUGEPAGE. */
static struct vt_mm *thp_mm(vt_u64 npages, bool zero)
{
   struct vt_mm *mm = mm_new(1, true);
   vt_set_thp(mm, VT_THP_MADVISE, zero, false);
   map_anon(mm, BASE, npages, RW);
   vt_madvise_hugepage(mm, BASE, npages * PG, true);
   return mm;
}

static unsigned count_huge(struct vt_mm *mm, vt_addr start, unsigned n)
{
   unsigned c = 0;
   for (unsigned i = 0; i < n; i++)
      c += pte_has(mm, start + (vt_addr)i * PG, VT_PTE_HUGE);
   return c;
}

static void t_thp_write(void)
{
   struct vt_mm *mm = thp_mm(1024, true);
   /* One fault maps all 512 pages of the first 2 MiB, writable. */
   EXPECT_FC(VT_FC_THP, WR(mm, BASE + 7 * PG));
   EXPECT_EQ(512, mm->rss);
   EXPECT_EQ(512, count_present(mm, BASE, 1024));
   EXPECT_EQ(512, count_huge(mm, BASE, 1024));
   EXPECT_EQ(512, vt_anon_huge_pages(mm));
   EXPECT_FC(NOF, WR(mm, BASE + 511 * PG));
   EXPECT_FC(NOF, RD(mm, BASE));
   /* The PTE table is counted, as Linux counts the one it deposits. */
   EXPECT_EQ(1, mm->nr_pt[3]);
   /* Without MADV_HUGEPAGE: 4 KiB pages. */
   vt_madvise_hugepage(mm, BASE + MB2, MB2, false);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + MB2));
   EXPECT_EQ(513, mm->rss);
   EXPECT_STR("0-512 rw-p m0, 512-1024 rw-p m0", vmas_str(mm, BASE));
   mm_free(mm);
}

static void t_thp_zero(void)
{
   struct vt_mm *mm = thp_mm(512, true);
   EXPECT_FC(VT_FC_THP_ZERO, RD(mm, BASE + 3 * PG));
   EXPECT_EQ(0, mm->rss);
   EXPECT_EQ(0, vt_anon_huge_pages(mm));
   EXPECT_FC(NOF, RD(mm, BASE + 100 * PG));
   EXPECT_FC(VT_FC_THP_WP_ZERO, WR(mm, BASE + 100 * PG));
   EXPECT_EQ(512, mm->rss);
   EXPECT_EQ(512, vt_anon_huge_pages(mm));
   EXPECT_FALSE(pte_has(mm, BASE + 3 * PG, VT_PTE_ZERO));
   EXPECT_FC(NOF, WR(mm, BASE + 3 * PG));
   mm_free(mm);
   /* use_zero_page 0: the read allocates the huge page. */
   mm = thp_mm(512, false);
   EXPECT_FC(VT_FC_THP, RD(mm, BASE));
   EXPECT_EQ(512, mm->rss);
   EXPECT_FC(NOF, WR(mm, BASE));
   mm_free(mm);
}

static void t_thp_split(void)
{
   struct vt_mm *mm = thp_mm(1024, true);
   EXPECT_FC(VT_FC_THP, WR(mm, BASE));
   EXPECT_FC(VT_FC_THP, WR(mm, BASE + MB2));
   /* munmap of one page inside the first: split, 511 left mapped. */
   vt_munmap(mm, BASE + PG, PG);
   EXPECT_EQ(1023, mm->rss);
   EXPECT_EQ(0, count_huge(mm, BASE, 512));
   EXPECT_EQ(512, count_huge(mm, BASE + MB2, 512));
   EXPECT_FC(NOF, WR(mm, BASE + 2 * PG));
   /* MADV_DONTNEED of all of the second: gone whole; the next touch is a
      huge page again. */
   vt_madvise_dontneed(mm, BASE + MB2, MB2);
   EXPECT_EQ(511, mm->rss);
   EXPECT_FC(VT_FC_THP, WR(mm, BASE + MB2 + 9 * PG));
   /* MADV_DONTNEED of part of it: split, that page faults alone. */
   vt_madvise_dontneed(mm, BASE + MB2 + PG, PG);
   EXPECT_EQ(1022, mm->rss);
   EXPECT_EQ(0, count_huge(mm, BASE + MB2, 512));
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + MB2 + PG));
   EXPECT_EQ(0, vt_anon_huge_pages(mm));
   mm_free(mm);
}

static void t_thp_mremap(void)
{
   struct vt_mm *mm = thp_mm(512, true);
   EXPECT_FC(VT_FC_THP, WR(mm, BASE));
   /* moved 2 MiB-aligned: still huge; then by 4 KiB: split */
   vt_mremap(mm, BASE, MB2, BASE + 4 * MB2, MB2);
   EXPECT_EQ(512, count_huge(mm, BASE + 4 * MB2, 512));
   vt_mremap(mm, BASE + 4 * MB2, MB2, BASE + 8 * MB2 + PG, MB2);
   EXPECT_EQ(0, count_huge(mm, BASE + 8 * MB2 + PG, 512));
   EXPECT_EQ(512, count_present(mm, BASE + 8 * MB2 + PG, 512));
   EXPECT_EQ(512, mm->rss);
   mm_free(mm);
}

static void t_mthp(void)
{
   /* 1 MiB: no room for a PMD; 16 KiB and 64 KiB folios always. */
   struct vt_mm *mm = mm_new(1, true);
   vt_set_thp(mm, VT_THP_NEVER, true, false);
   vt_set_thp_orders(mm, (1u << 2) | (1u << 4), 0, 1u << VT_PMD_ORDER);
   map_anon(mm, BASE, 256, RW);
   EXPECT_FC(VT_FC_ZERO, RD(mm, BASE + 5 * PG));       /* reads: the zero page */
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE));                /* [0,4): 16 KiB */
   EXPECT_EQ(4, mm->rss);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + 4 * PG));       /* beside page 5: 1 */
   EXPECT_EQ(5, mm->rss);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + 16 * PG));      /* [16,32): 64 KiB */
   EXPECT_EQ(21, mm->rss);
   EXPECT_EQ(16, count_present(mm, BASE + 16 * PG, 16));
   EXPECT_FALSE(pte_has(mm, BASE + 16 * PG, VT_PTE_HUGE));
   /* a guard marker keeps the folio out of its range */
   vt_madvise_guard(mm, BASE + 33 * PG, PG, true);
   EXPECT_FC(VT_FC_ANON, WR(mm, BASE + 32 * PG));      /* [32,36) holds it: 1 */
   EXPECT_EQ(22, mm->rss);
   mm_free(mm);
}

/* The filter's second address space (the tool's --thp-compare): a miss
   goes to both, and a page is cached only with the rights both allow. */
static unsigned also_calls;
static unsigned also_access(void *ctx, vt_addr page_addr, enum vt_access acc)
{
   also_calls++;
   return vt_access(ctx, page_addr, acc);
}
static unsigned also_nothing(void *ctx, vt_addr page_addr, enum vt_access acc)
{
   (void)ctx; (void)page_addr; (void)acc;
   also_calls++;
   return 0;                /* changed: nothing may be cached */
}

static void t_thp_filter_also(void)
{
   struct vt_mm *b = mm_new(1, true);             /* THP never */
   map_anon(b, BASE, 512, RW);
   vt_madvise_hugepage(b, BASE, 512 * PG, true);
   struct vt_mm *a = thp_mm(512, true);           /* madvise */
   struct vt_filter f;
   vt_filter_init(&f, a, true);
   f.also = also_access;
   f.also_ctx = b;
   also_calls = 0;
   /* the first write: a huge page here, a 4 KiB page there */
   vt_filter_ref(&f, BASE, VT_ACC_WRITE, 0);
   EXPECT_EQ(1, a->total.faults[VT_FC_THP]);
   EXPECT_EQ(1, b->total.faults[VT_FC_ANON]);
   EXPECT_EQ(1, also_calls);
   vt_filter_ref(&f, BASE, VT_ACC_WRITE, 0);      /* absorbed: both hold it */
   EXPECT_EQ(1, also_calls);
   /* the next page: nothing new for a, a fault for b */
   vt_filter_ref(&f, BASE + PG, VT_ACC_WRITE, 0);
   EXPECT_EQ(1, a->total.faults[VT_FC_THP]);
   EXPECT_EQ(2, b->total.faults[VT_FC_ANON]);
   EXPECT_EQ(2, also_calls);
   /* a second space that may cache nothing: every reference reaches it,
      though a alone would have let the page be cached */
   f.also = also_nothing;
   vt_filter_ref(&f, BASE + 3 * PG, VT_ACC_READ, 0);
   vt_filter_ref(&f, BASE + 3 * PG, VT_ACC_READ, 0);
   EXPECT_EQ(4, also_calls);
   vt_filter_destroy(&f);
   mm_free(a);
   mm_free(b);
}

/* MADV_COLLAPSE under enabled=madvise, no MADV_HUGEPAGE (tests/scenarios
   /thp.py measures each case on the kernel: thp_collapse_alloc,
   AnonHugePages, the faults after).  4 MiB at BASE prepared as the case
   says, the range collapsed, then every page written: how many huge pages
   (of 1,024 pages), the RSS after the collapse, the faults after. */
struct collapse_case {
   const char *what;
   int prep;                  /* 0 untouched, 1 all written, 2 one page a
                                 2 MiB written, 3 all read (zero page),
                                 4 all read, one page a 2 MiB written */
   vt_u64 off, len;           /* the range, in pages from BASE */
   int nohuge, disabled;
   unsigned huge, rss, faults_after;
};

static void t_collapse(void)
{
   static const struct collapse_case cs[] = {
      { "all written", 1, 0, 1024, 0, 0, 1024, 1024, 0 },
      { "untouched: no PTE table, nothing", 0, 0, 1024, 0, 0, 0, 0, 1024 },
      { "one page a 2 MiB: zero-filled", 2, 0, 1024, 0, 0, 1024, 1024, 0 },
      { "read: zero pages only, nothing (SCAN_PAGE_RO)", 3, 0, 1024, 0, 0, 0, 0, 1024 },
      { "read, one page a 2 MiB written: the zero pages replaced", 4, 0, 1024, 0, 0,
        1024, 1024, 0 },
      { "MADV_NOHUGEPAGE: refused", 1, 0, 1024, 1, 0, 0, 1024, 0 },
      { "PR_SET_THP_DISABLE: refused", 1, 0, 1024, 0, 1, 0, 1024, 0 },
      { "3 MiB: one 2 MiB", 1, 0, 768, 0, 0, 512, 1024, 0 },
      { "from +4 KiB: the second 2 MiB", 1, 1, 1023, 0, 0, 512, 1024, 0 },
   };
   for (unsigned k = 0; k < sizeof cs / sizeof *cs; k++) {
      const struct collapse_case *c = &cs[k];
      struct vt_mm *mm = mm_new(1, true);
      vt_set_thp(mm, VT_THP_MADVISE, true, c->disabled != 0);
      map_anon(mm, BASE, 1024, RW);
      if (c->nohuge)
         vt_madvise_hugepage(mm, BASE, 1024 * PG, false);
      for (unsigned i = 0; i < 1024; i++) {
         if (c->prep >= 3)
            RD(mm, BASE + i * PG);
         if (c->prep == 1 || ((c->prep == 2 || c->prep == 4) && i % 512 == 7))
            WR(mm, BASE + i * PG);
      }
      vt_madvise_collapse(mm, BASE + c->off * PG, c->len * PG);
      if (vt_anon_huge_pages(mm) != c->huge || mm->rss != c->rss)
         diagf("%s", c->what);
      EXPECT_EQ(c->huge, vt_anon_huge_pages(mm));
      EXPECT_EQ(c->rss, mm->rss);
      vt_u64 before = R.nfaults;
      for (unsigned i = 0; i < 1024; i++)
         WR(mm, BASE + i * PG);
      if (R.nfaults - before != c->faults_after)
         diagf("%s: faults after", c->what);
      EXPECT_EQ(c->faults_after, R.nfaults - before);
      mm_free(mm);
   }
}

/* The kernel's PMDs: 4 MiB Valgrind put 96 KiB past 2 MiB, which the
   kernel would have aligned, written, collapsed: two huge pages. */
static void t_collapse_placed(void)
{
   struct vt_mm *mm = mm_new(1, true);
   vt_set_thp(mm, VT_THP_MADVISE, true, false);
   struct vt_mmap_req r;
   memset(&r, 0, sizeof r);
   r.start = BASE + 24 * PG;
   r.len = 1024 * PG;
   r.vm_flags = RW;
   r.kind = VT_NR_MK;
   vt_mmap(mm, &r);
   for (unsigned i = 0; i < 1024; i++)
      WR(mm, r.start + i * PG);
   vt_madvise_collapse(mm, r.start, r.len);
   EXPECT_EQ(1024, vt_anon_huge_pages(mm));
   EXPECT_EQ(1024, mm->rss);
   mm_free(mm);
}

void thp_tests(void)
{
   run_test("thp: a write maps a huge PMD, 512 pages in one fault", t_thp_write);
   run_test("thp: the huge zero page, replaced by a write", t_thp_zero);
   run_test("thp: splits at munmap and MADV_DONTNEED of part", t_thp_split);
   run_test("thp: mremap moves a huge PMD whole only alike aligned", t_thp_mremap);
   run_test("thp: multi-size folios (alloc_anon_folio)", t_mthp);
   run_test("thp: the filter feeds a second address space (--thp-compare)",
            t_thp_filter_also);
   run_test("thp: MADV_COLLAPSE (madvise_collapse)", t_collapse);
   run_test("thp: MADV_COLLAPSE of the kernel's PMDs", t_collapse_placed);
}
