/* policy_aging.c: AGING replacement (software approximation of LRU).

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   Each page has an 8-bit age counter (kept in vt_pframe.pdata), 0 when the
   page is brought in.  Every params.period time units (a tick) every
   counter is shifted right by one and the page's referenced bit is ORed
   into bit 7, and the bit is cleared (vt_sim_clear_referenced).  So the
   counter holds the page's reference history over the last eight periods,
   most recent in the high bit.  The victim is the page with the smallest
   counter; among equal counters the page brought in first (FIFO).  The
   referenced bit of the current, unfinished period does not count (as in
   Tanenbaum's description: the counters change only at ticks).  Locked
   pages are not candidates.

   Learns of references through the referenced bit only (VT_POL_REFBIT).
   Victim search and tick are O(n) scans, as the algorithm is defined.
   Parameter: period (0: no ticks, every counter stays 0: FIFO). */

#include "vt_sim.h"

struct aging {
   struct vt_sim    *s;
   struct vt_pframe *fr;
   struct vt_flist   q;        /* insertion order, head oldest */
};

static void *aging_create(struct vt_sim *s, uint32_t nr_frames,
                          const struct vt_policy_params *p)
{
   (void)nr_frames, (void)p;
   struct aging *st = vt_host_alloc(sizeof *st);
   st->s = s;
   st->fr = vt_sim_frames(s);
   vt_flist_init(&st->q);
   return st;
}

static void aging_destroy(void *st) { vt_host_free(st); }

static void aging_insert(void *v, uint32_t f)
{
   struct aging *st = v;
   st->fr[f].pdata = 0;
   vt_flist_push_tail(st->fr, &st->q, f);
}

static void aging_reference(void *v, uint32_t f) { (void)v, (void)f; }

static void aging_remove(void *v, uint32_t f)
{
   struct aging *st = v;
   vt_flist_del(st->fr, &st->q, f);
}

static uint32_t aging_victim(void *v, vt_u64 now)
{
   struct aging *st = v;
   uint32_t best = VT_SIM_NO_FRAME;
   (void)now;
   for (uint32_t f = st->q.head; f != VT_SIM_NO_FRAME; f = st->fr[f].link[1]) {
      if (!vt_sim_evictable(st->s, f))
         continue;
      if (best == VT_SIM_NO_FRAME || st->fr[f].pdata < st->fr[best].pdata) {
         best = f;
         if (st->fr[f].pdata == 0)
            break;
      }
   }
   if (best != VT_SIM_NO_FRAME)
      vt_flist_del(st->fr, &st->q, best);
   return best;
}

static void aging_tick(void *v, vt_u64 now)
{
   struct aging *st = v;
   (void)now;
   for (uint32_t f = st->q.head; f != VT_SIM_NO_FRAME; f = st->fr[f].link[1]) {
      struct vt_pframe *fr = &st->fr[f];
      fr->pdata = (fr->pdata >> 1) | (fr->referenced ? 0x80u : 0u);
      if (fr->referenced)
         vt_sim_clear_referenced(st->s, f);
   }
}

const struct vt_policy_ops vt_policy_aging = {
   .name = "aging",
   .needs = VT_POL_REFBIT,
   .create = aging_create,
   .destroy = aging_destroy,
   .insert = aging_insert,
   .reference = aging_reference,
   .remove = aging_remove,
   .victim = aging_victim,
   .tick = aging_tick,
};
