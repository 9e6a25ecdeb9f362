/* policy_nru.c: NRU (not recently used) replacement.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   Each page falls into one of four classes by its referenced bit R and
   its dirty bit M (vt_pframe.dirty: written since it was brought in or
   written back): class 0 = !R !M, 1 = !R M, 2 = R !M, 3 = R M.  Every
   params.period time units (a tick) all referenced bits are cleared, so R
   means "referenced in the current period".  The victim comes from the
   lowest non-empty class; within a class, the page brought in first
   (FIFO).  M is never cleared by the tick.  Locked pages are not
   candidates.

   Learns of references through the referenced bit only (VT_POL_REFBIT).
   The pages are kept in four heaps ordered by insertion, one per class as
   last recorded.  Between ticks a page's class can only rise (R and M get
   set, never cleared), so a recorded class is a lower bound: the victim
   search takes the oldest page of the lowest heap and, if its class has
   risen, moves it to the right heap and looks again.  O(log n) per fault
   amortised (a page moves at most three times per period); a tick clears
   every R and merges heaps 2 and 3 into 0 and 1: O(n).  Parameter: period
   (0: bits never cleared, so the classes reduce to M). */

#include "vt_sim.h"

struct nru {
   struct vt_policy  base;
   struct vt_fheap   cls[4];   /* by recorded class, oldest first */
   uint8_t          *rec;      /* recorded class per frame */
   vt_u64           *seq, clock;
   uint32_t         *stash;
};

static unsigned class_of(const struct vt_pframe *fr)
{
   return 2u * (fr->referenced != 0) + (fr->dirty != 0);
}

static bool nru_before(void *ctx, uint32_t a, uint32_t b)
{
   struct nru *st = ctx;
   return st->seq[a] < st->seq[b];
}

static void *nru_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   struct nru *st = vt_policy_new(s, nr_frames, sizeof *st);
   for (int c = 0; c < 4; c++)
      vt_policy_frame_heap(&st->base, &st->cls[c], nru_before, st);
   vt_policy_frame_array(&st->base, &st->rec, 1);
   vt_policy_frame_array(&st->base, &st->seq, sizeof *st->seq);
   vt_policy_frame_array(&st->base, &st->stash, sizeof *st->stash);
   return st;
}

static void nru_put(struct nru *st, uint32_t f, unsigned c)
{
   st->rec[f] = (uint8_t)c;
   vt_fheap_push(&st->cls[c], f);
}

static void nru_insert(void *v, uint32_t f)
{
   struct nru *st = v;
   st->seq[f] = ++st->clock;
   nru_put(st, f, class_of(&st->base.fr[f]));
}

static void nru_remove(void *v, uint32_t f)
{
   struct nru *st = v;
   vt_fheap_del(&st->cls[st->rec[f]], f);
}

static uint32_t nru_victim(void *v, vt_u64 now)
{
   struct nru *st = v;
   uint32_t victim = VT_SIM_NO_FRAME, n = 0;
   unsigned c = 0;
   (void)now;
   while (c < 4 && victim == VT_SIM_NO_FRAME) {
      struct vt_fheap *h = &st->cls[c];
      if (h->n == 0) {
         c++;
         continue;
      }
      uint32_t f = h->heap[0];
      unsigned a = class_of(&st->base.fr[f]);
      vt_fheap_del(h, f);
      if (a != c) {                    /* risen since it was recorded */
         nru_put(st, f, a);
         if (a < c)                    /* (not between ticks; to be safe) */
            c = a;
      } else if (!vt_sim_evictable(st->base.s, f)) {
         st->stash[n++] = f;
      } else {
         victim = f;
      }
   }
   while (n > 0) {
      uint32_t f = st->stash[--n];
      vt_fheap_push(&st->cls[st->rec[f]], f);
   }
   return victim;
}

static void nru_tick(void *v, vt_u64 now)
{
   struct nru *st = v;
   (void)now;
   for (int c = 0; c < 4; c++)
      for (uint32_t i = 0; i < st->cls[c].n; i++) {
         uint32_t f = st->cls[c].heap[i];
         if (st->base.fr[f].referenced)
            vt_sim_clear_referenced(st->base.s, f);
         if (c >= 2)
            st->rec[f] = (uint8_t)(c - 2);
      }
   vt_fheap_absorb(&st->cls[0], &st->cls[2]);
   vt_fheap_absorb(&st->cls[1], &st->cls[3]);
}

static const struct vt_policy_param nru_params[] = {
   VT_POLICY_PARAM("nru-period", period, 1000000, 1, ~0ull,
                   "NRU reference-bit reset, instructions"),
};

const struct vt_policy_ops vt_policy_nru = {
   .name = "nru", .needs = VT_POL_REFBIT, .create = nru_create, .insert = nru_insert,
   .remove = nru_remove, .victim = nru_victim, .tick = nru_tick,
   .params = nru_params, .nr_params = 1,
};
