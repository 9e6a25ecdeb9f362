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
   The pages are kept in one heap ordered by their class as last recorded
   (vt_pframe.pbits), then by insertion.  Between ticks a page's class can
   only rise (R and M get set, never cleared), so a recorded class is a
   lower bound: the victim search takes the first page of the heap (the
   oldest of the lowest recorded class) and, if its class has risen,
   records the new class, moves it down the heap and looks again.
   O(log n) per fault amortised (a page moves at most three times per
   period); a tick clears every R, records classes 2 and 3 as 0 and 1 and
   rebuilds the heap: O(n).  Parameter: period (0: bits never cleared, so
   the classes reduce to M).

   Memory: 16 bytes a frame (the heap and its positions, 8; the insertion
   number, 8); frames the search passes over as not evictable wait on a
   list through vt_pframe.link, which NRU does not otherwise use.  (Four
   heaps, one per class, with the class and the waiting frames in arrays
   of their own took 45.) */

#include "vt_sim.h"

#define NIL VT_SIM_NO_FRAME

struct nru {
   struct vt_policy  base;
   struct vt_fheap   h;        /* by (recorded class, seq) */
   vt_u64           *seq, clock;
};

static unsigned class_of(const struct vt_pframe *fr)
{
   return 2u * (fr->referenced != 0) + (fr->dirty != 0);
}

static bool nru_before(void *ctx, uint32_t a, uint32_t b)
{
   struct nru *st = ctx;
   const struct vt_pframe *fr = st->base.fr;
   if (fr[a].pbits != fr[b].pbits)
      return fr[a].pbits < fr[b].pbits;
   return st->seq[a] < st->seq[b];
}

static void *nru_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   struct nru *st = vt_policy_new(s, nr_frames, sizeof *st);
   vt_policy_frame_heap(&st->base, &st->h, nru_before, st);
   vt_policy_frame_array(&st->base, &st->seq, sizeof *st->seq);
   return st;
}

static void nru_insert(void *v, uint32_t f)
{
   struct nru *st = v;
   st->seq[f] = ++st->clock;
   st->base.fr[f].pbits = class_of(&st->base.fr[f]) & 3;
   vt_fheap_push(&st->h, f);
}

static void nru_remove(void *v, uint32_t f)
{
   struct nru *st = v;
   vt_fheap_del(&st->h, f);
}

static uint32_t nru_victim(void *v, vt_u64 now)
{
   struct nru *st = v;
   struct vt_pframe *fr = st->base.fr;
   uint32_t victim = NIL, waiting = NIL;
   (void)now;
   while (st->h.n > 0) {
      uint32_t f = st->h.heap[0];
      unsigned a = class_of(&fr[f]);
      if (a != fr[f].pbits) {          /* risen since it was recorded */
         fr[f].pbits = a & 3;
         vt_fheap_fix(&st->h, f);
      } else if (!vt_sim_evictable(st->base.s, f)) {
         vt_fheap_del(&st->h, f);
         fr[f].link[0] = waiting;
         waiting = f;
      } else {
         victim = f;
         vt_fheap_del(&st->h, f);
         break;
      }
   }
   while (waiting != NIL) {
      uint32_t f = waiting;
      waiting = fr[f].link[0];
      fr[f].link[0] = NIL;
      vt_fheap_push(&st->h, f);
   }
   return victim;
}

static void nru_tick(void *v, vt_u64 now)
{
   struct nru *st = v;
   (void)now;
   for (uint32_t i = 0; i < st->h.n; i++) {
      uint32_t f = st->h.heap[i];
      struct vt_pframe *fr = &st->base.fr[f];
      if (fr->referenced)
         vt_sim_clear_referenced(st->base.s, f);
      fr->pbits &= 1;
   }
   vt_fheap_rebuild(&st->h);
}

static const struct vt_policy_param nru_params[] = {
   VT_POLICY_PARAM("nru-period", period, 1000000, 0, ~0ull,
                   "NRU reference-bit reset, instructions"),
};

const struct vt_policy_ops vt_policy_nru = {
   .name = "nru", .needs = VT_POL_REFBIT, .create = nru_create, .insert = nru_insert,
   .remove = nru_remove, .victim = nru_victim, .tick = nru_tick,
   .params = nru_params, .nr_params = 1,
};
