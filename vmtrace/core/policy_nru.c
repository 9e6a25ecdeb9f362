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
   The victim search scans the resident pages in insertion order and stops
   at the first class-0 page: O(n) worst case per fault, as the algorithm
   is defined; a tick is O(n).  Parameter: period (0: bits never cleared,
   so the classes reduce to M). */

#include "vt_sim.h"

struct nru {
   struct vt_sim    *s;
   struct vt_pframe *fr;
   struct vt_flist   q;        /* insertion order, head oldest */
};

static void *nru_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)nr_frames, (void)p;
   struct nru *st = vt_host_alloc(sizeof *st);
   st->s = s;
   st->fr = vt_sim_frames(s);
   vt_flist_init(&st->q);
   return st;
}

static void nru_destroy(void *st) { vt_host_free(st); }

static void nru_insert(void *v, uint32_t f)
{
   struct nru *st = v;
   vt_flist_push_tail(st->fr, &st->q, f);
}

static void nru_reference(void *v, uint32_t f) { (void)v, (void)f; }

static void nru_remove(void *v, uint32_t f)
{
   struct nru *st = v;
   vt_flist_del(st->fr, &st->q, f);
}

static uint32_t nru_victim(void *v, vt_u64 now)
{
   struct nru *st = v;
   uint32_t best = VT_SIM_NO_FRAME;
   unsigned best_cls = 4;
   (void)now;
   for (uint32_t f = st->q.head; f != VT_SIM_NO_FRAME; f = st->fr[f].link[1]) {
      if (!vt_sim_evictable(st->s, f))
         continue;
      unsigned cls = 2u * (st->fr[f].referenced != 0) + (st->fr[f].dirty != 0);
      if (cls < best_cls) {
         best = f;
         best_cls = cls;
         if (cls == 0)
            break;
      }
   }
   if (best != VT_SIM_NO_FRAME)
      vt_flist_del(st->fr, &st->q, best);
   return best;
}

static void nru_tick(void *v, vt_u64 now)
{
   struct nru *st = v;
   (void)now;
   for (uint32_t f = st->q.head; f != VT_SIM_NO_FRAME; f = st->fr[f].link[1])
      if (st->fr[f].referenced)
         vt_sim_clear_referenced(st->s, f);
}

const struct vt_policy_ops vt_policy_nru = {
   .name = "nru",
   .needs = VT_POL_REFBIT,
   .create = nru_create,
   .destroy = nru_destroy,
   .insert = nru_insert,
   .reference = nru_reference,
   .remove = nru_remove,
   .victim = nru_victim,
   .tick = nru_tick,
};
