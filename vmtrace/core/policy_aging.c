/* policy_aging.c: AGING replacement (software approximation of LRU).

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   Each page has an 8-bit age counter (an array of its own), 0 when the
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
   Counters change only at ticks, so the pages are kept in a heap on
   (counter, insertion order), rebuilt after each tick: O(log n) per fault,
   O(n) per tick (every counter shifts).  Parameter: period (0: no ticks,
   every counter stays 0: FIFO). */

#include "vt_sim.h"

struct aging {
   struct vt_heap_policy hp;
   uint8_t              *age;      /* per frame */
};

static bool aging_before(void *ctx, uint32_t a, uint32_t b)
{
   const struct aging *st = ctx;
   if (st->age[a] != st->age[b])
      return st->age[a] < st->age[b];
   return st->hp.seq[a] < st->hp.seq[b];
}

static void *aging_create(struct vt_sim *s, uint32_t nr_frames,
                          const struct vt_policy_params *p)
{
   (void)p;
   struct aging *st = vt_heap_policy_new(s, nr_frames, sizeof *st, aging_before);
   vt_policy_frame_array(&st->hp.base, &st->age, sizeof *st->age);
   return st;
}

static void aging_insert(void *v, uint32_t f)
{
   struct aging *st = v;
   st->age[f] = 0;
   vt_heap_policy_insert(&st->hp, f);
}

static void aging_tick(void *v, vt_u64 now)
{
   struct aging *st = v;
   (void)now;
   for (uint32_t i = 0; i < st->hp.h.n; i++) {
      uint32_t f = st->hp.h.heap[i];
      struct vt_pframe *fr = &st->hp.base.fr[f];
      st->age[f] = (uint8_t)((st->age[f] >> 1) | (fr->referenced ? 0x80u : 0u));
      if (fr->referenced)
         vt_sim_clear_referenced(st->hp.base.s, f);
   }
   vt_fheap_rebuild(&st->hp.h);
}

static const struct vt_policy_param aging_params[] = {
   VT_POLICY_PARAM("aging-period", period, 1000000, 0, ~0ull,
                   "aging shift period, instructions"),
};

static vt_u64 aging_word(const void *v, uint32_t f)
{
   return ((const struct aging *)v)->age[f];
}

const struct vt_policy_ops vt_policy_aging = {
   .frame_word = aging_word,
   .name = "aging", .needs = VT_POL_REFBIT, .create = aging_create,
   .insert = aging_insert, .remove = vt_heap_policy_remove,
   .victim = vt_heap_policy_victim, .tick = aging_tick,
   .params = aging_params, .nr_params = 1,
};
