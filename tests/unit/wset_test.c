/* wset_test.c: the working set and the heatmap (wset.c) against a naive
   model that keeps every reference: WS(t, tau) is the number of distinct
   pages referenced (by code, by data) in the last ceil(tau / g) epochs of
   g instructions, the open one included (Denning's WS(t, tau) at epoch
   granularity), and a heatmap cell is, summed over the epochs of its
   column, the pages of its row referenced in each epoch.  A random
   reference string, with unmaps, over many sample merges, heatmap merges
   and renumberings of the pages' epochs; and the granularity's rule.
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "unit.h"

#define NPAGES   40
#define G        256                 /* the epoch */
#define MAXREFS  600000

static struct ref { vt_u64 epoch; unsigned page; bool code; } refs[MAXREFS];
static unsigned nrefs;
static bool mapped[NPAGES + 1];   /* NPAGES: a page unmapped since */

static vt_u64 xs = 88172645463325252ull;
static vt_u64 rnd(vt_u64 n)
{
   xs ^= xs << 13;
   xs ^= xs >> 7;
   xs ^= xs << 17;
   return xs % n;
}

/* Distinct mapped pages with a reference of that kind in epochs
   (open - win, open]. */
static vt_u64 naive_ws(vt_u64 open, vt_u64 win, bool code)
{
   bool seen[NPAGES] = { false };
   vt_u64 n = 0;
   for (unsigned i = nrefs; i-- > 0;) {
      if (refs[i].epoch + win <= open)
         break;
      unsigned p = refs[i].page;
      if (refs[i].code == code && mapped[p] && !seen[p]) {
         seen[p] = true;
         n++;
      }
   }
   return n;
}

/* A page leaves (munmap): its references leave the model's windows. */
static void naive_unmap(unsigned page)
{
   mapped[page] = false;
   for (unsigned i = 0; i < nrefs; i++)
      if (refs[i].page == page)
         refs[i].page = NPAGES;     /* no page: never counted again */
}

static void t_ws_against_model(void)
{
   struct vt_mm *mm = mm_new(1, false);
   struct vt_wset_config cfg;
   memset(&cfg, 0, sizeof cfg);
   cfg.interval = 4 * G;
   cfg.max_samples = 32;            /* merges every few thousand instructions */
   cfg.epoch = G;
   cfg.nr_tau = 4;
   cfg.tau[0] = G;                  /* 1 epoch */
   cfg.tau[1] = 3 * G;
   cfg.tau[2] = 10 * G + 1;         /* not a multiple: 11 epochs */
   cfg.tau[3] = 40 * G;
   cfg.max_heat_rows = 128;         /* a row a page: chunks of 1 page */
   cfg.max_heat_cols = 8;
   cfg.epoch_limit = 100;           /* renumbered every ~58 epochs */
   vt_wset_init(mm, &cfg);
   struct vt_wset *w = mm->ws;
   EXPECT_EQ(41, w->nr_ring);       /* the longest window and the one that left it */
   EXPECT_EQ(11, w->win[2]);
   map_anon(mm, BASE, NPAGES, R_ | W_ | X_);
   for (unsigned p = 0; p < NPAGES; p++)
      mapped[p] = true;
   nrefs = 0;
   /* heat[page][epoch] for the naive heatmap */
   enum { MAXEP = 40000 };
   static unsigned char heat[NPAGES][MAXEP];
   memset(heat, 0, sizeof heat);
   vt_u64 counted[NPAGES] = { 0 };  /* the epoch (+1) the page last counted in */
   vt_u64 t = 0, mism = 0, checks = 0;
   unsigned renumbers = 0, last_ep = w->ep;
   vt_u64 extra_interval = ~0ull;
   while (nrefs < MAXREFS - 1 && t / G < MAXEP - 1) {
      t += 1 + rnd(40);
      /* A sample between the regular ones (a fork, a blocking call) now
         and then, at most one a sampling interval as the tool takes them:
         its window ends inside the open epoch. */
      bool extra = rnd(8) == 0 && t / w->interval != extra_interval;
      if (extra)
         extra_interval = t / w->interval;
      while (extra || t >= vt_wset_next(mm) || t >= vt_wset_next_epoch(mm)) {
         if (extra || t >= vt_wset_next(mm)) {
            vt_u64 at = extra ? t : vt_wset_next(mm);
            extra = false;
            struct vt_sample_host h = { 0, 0, 0, 0 };
            vt_wset_sample(mm, at, &h);
            /* the sample closes the epoch that ends at `at`; after a
               merge too, it is the last one kept */
            uint32_t k = w->nr - 1;
            for (uint32_t i = 0; i < cfg.nr_tau; i++) {
               vt_u64 dc = naive_ws(w->epoch_abs, w->win[i], true);
               vt_u64 dd = naive_ws(w->epoch_abs, w->win[i], false);
               checks++;
               if (w->ws_code[i][k] != dc || w->ws_data[i][k] != dd) {
                  if (!mism++)
                     diagf("at %llu (epoch %llu), tau %llu: code %llu data %llu, "
                           "model %llu %llu", (unsigned long long)at,
                           (unsigned long long)w->epoch_abs,
                           (unsigned long long)cfg.tau[i],
                           (unsigned long long)w->ws_code[i][k],
                           (unsigned long long)w->ws_data[i][k],
                           (unsigned long long)dc, (unsigned long long)dd);
               }
            }
         }
         if (t >= vt_wset_next_epoch(mm)) {
            /* the sums at every epoch's end, as a sample there would read */
            for (uint32_t i = 0; i < cfg.nr_tau; i++) {
               checks++;
               if (w->sum_code[i] != naive_ws(w->epoch_abs, w->win[i], true) ||
                   w->sum_data[i] != naive_ws(w->epoch_abs, w->win[i], false))
                  if (!mism++)
                     diagf("epoch %llu, tau %llu: sums %llu %llu\n",
                           (unsigned long long)w->epoch_abs,
                           (unsigned long long)cfg.tau[i],
                           (unsigned long long)w->sum_code[i],
                           (unsigned long long)w->sum_data[i]);
            }
            vt_wset_epoch(mm, vt_wset_next_epoch(mm));
            if (w->ep < last_ep)
               renumbers++;
            last_ep = w->ep;
         }
      }
      unsigned p = (unsigned)rnd(NPAGES);
      if (rnd(20000) == 0) {        /* unmapped, mapped again: a new mapping */
         vt_munmap(mm, BASE + p * PG, PG);
         naive_unmap(p);
         counted[p] = 0;
         map_anon(mm, BASE + p * PG, 1, R_ | W_ | X_);
         mapped[p] = true;
         continue;
      }
      int kind = (int)rnd(3);
      enum vt_access acc = kind == 0 ? VT_ACC_EXEC : kind == 1 ? VT_ACC_READ : VT_ACC_WRITE;
      acc_line(__LINE__, mm, BASE + p * PG + rnd(PG), acc);
      refs[nrefs].epoch = w->epoch_abs;
      refs[nrefs].page = p;
      refs[nrefs].code = acc == VT_ACC_EXEC;
      nrefs++;
      /* a page mapped again is a new page: its first reference in an
         epoch counts again */
      if (counted[p] != w->epoch_abs + 1) {
         heat[p][w->epoch_abs]++;
         counted[p] = w->epoch_abs + 1;
      }
   }
   EXPECT_EQ(0, mism);
   EXPECT_TRUE(checks > 100000);    /* 4 windows at every epoch and sample */
   EXPECT_TRUE(renumbers >= 100);
   EXPECT_TRUE(w->col_epochs >= 64);       /* the heatmap merged 6 times */
   EXPECT_TRUE(w->interval >= 64 * G);     /* the samples 4 times */
   /* The heatmap: a row a page (chunks of one page, no shared row). */
   EXPECT_EQ(0, w->chunk_shift);
   vt_u64 bad = 0;
   uint32_t ncols = vt_wset_heat_cols(mm);
   for (uint32_t r = 0; r < w->nr_rows; r++)
      EXPECT_TRUE(w->rows[r].mapping != VT_HEAT_OTHER);
   /* Summed over the rows of each page (a page remapped has a row per
      mapping), each column equals the model's. */
   vt_wset_heat_sync(mm);
   for (uint32_t c = 0; c < ncols; c++) {
      vt_u64 e0 = (vt_u64)c * w->col_epochs;
      vt_u64 e1 = e0 + vt_wset_heat_col_epochs(mm, c);
      for (unsigned p = 0; p < NPAGES; p++) {
         vt_u64 model = 0, got = 0;
         for (vt_u64 e = e0; e < e1; e++)
            model += heat[p][e];
         for (uint32_t r = 0; r < w->nr_rows; r++) {
            const struct vt_mapping *m = mm->maps[w->rows[r].mapping];
            if (((m->start - BASE) >> 12) + w->rows[r].chunk == p)
               got += w->rows[r].counts[c];
         }
         if (got != model && !bad++)
            diagf("column %u page %u: %llu page-epochs, model %llu", c, p,
                  (unsigned long long)got, (unsigned long long)model);
      }
   }
   EXPECT_EQ(0, bad);
   mm_free(mm);
}

/* The granularity: the largest power of two at most the interval and at
   most the smallest tau / 16; none below 256 or beyond 2^20 epochs. */
static void t_granularity(void)
{
   vt_u64 d[3] = { 100000, 1000000, 10000000 };
   EXPECT_EQ(4096, vt_wset_granularity(d, 3, 16384));     /* 6250 -> 4096 */
   vt_u64 big[1] = { 1000000 };
   EXPECT_EQ(16384, vt_wset_granularity(big, 1, 16384));  /* the interval */
   vt_u64 small[1] = { 4096 };
   EXPECT_EQ(256, vt_wset_granularity(small, 1, 16384));
   vt_u64 tiny[1] = { 4095 };
   EXPECT_EQ(0, vt_wset_granularity(tiny, 1, 16384));
   vt_u64 wide[2] = { 4096, 256ull << 20 };                 /* 2^20 epochs */
   EXPECT_EQ(256, vt_wset_granularity(wide, 2, 16384));
   wide[1]++;
   EXPECT_EQ(0, vt_wset_granularity(wide, 2, 16384));
}

void wset_tests(void)
{
   run_test("wset: WS(t, tau) and heatmap against a model that keeps every reference",
            t_ws_against_model);
   run_test("wset: the granularity of the windows", t_granularity);
}
