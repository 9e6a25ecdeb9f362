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
   Counters change only at ticks, so the pages are kept in a heap on
   (counter, insertion order), rebuilt after each tick: O(log n) per fault,
   O(n) per tick (every counter shifts).  Parameter: period (0: no ticks,
   every counter stays 0: FIFO). */

#include "vt_sim.h"

struct aging {
   struct vt_sim    *s;
   struct vt_pframe *fr;
   struct vt_fheap   h;
   vt_u64           *seq, clock;
   uint32_t          nr;
};

static bool aging_before(void *ctx, uint32_t a, uint32_t b)
{
   struct aging *st = ctx;
   if (st->fr[a].pdata != st->fr[b].pdata)
      return st->fr[a].pdata < st->fr[b].pdata;
   return st->seq[a] < st->seq[b];
}

static void *aging_create(struct vt_sim *s, uint32_t nr_frames,
                          const struct vt_policy_params *p)
{
   (void)p;
   struct aging *st = vt_host_alloc(sizeof *st);
   st->s = s;
   st->fr = vt_sim_frames(s);
   st->nr = nr_frames;
   st->seq = vt_host_alloc((size_t)nr_frames * sizeof *st->seq);
   vt_fheap_init(&st->h, nr_frames, aging_before, st);
   return st;
}

static void aging_destroy(void *v)
{
   struct aging *st = v;
   vt_fheap_destroy(&st->h);
   vt_host_free(st->seq);
   vt_host_free(st);
}

static void aging_insert(void *v, uint32_t f)
{
   struct aging *st = v;
   st->fr[f].pdata = 0;
   st->seq[f] = ++st->clock;
   vt_fheap_push(&st->h, f);
}

static void aging_reference(void *v, uint32_t f) { (void)v, (void)f; }

static void aging_remove(void *v, uint32_t f)
{
   struct aging *st = v;
   vt_fheap_del(&st->h, f);
}

static uint32_t aging_victim(void *v, vt_u64 now)
{
   struct aging *st = v;
   (void)now;
   uint32_t f = vt_fheap_first_evictable(&st->h, st->s);
   if (f != VT_SIM_NO_FRAME)
      vt_fheap_del(&st->h, f);
   return f;
}

static void aging_tick(void *v, vt_u64 now)
{
   struct aging *st = v;
   (void)now;
   for (uint32_t i = 0; i < st->h.n; i++) {
      uint32_t f = st->h.heap[i];
      struct vt_pframe *fr = &st->fr[f];
      fr->pdata = (fr->pdata >> 1) | (fr->referenced ? 0x80u : 0u);
      if (fr->referenced)
         vt_sim_clear_referenced(st->s, f);
   }
   vt_fheap_rebuild(&st->h);
}

static void aging_grow(void *v, uint32_t nr_frames)
{
   struct aging *st = v;
   st->fr = vt_sim_frames(st->s);
   st->seq = vt_realloc_array(st->seq, st->nr, nr_frames, sizeof *st->seq);
   vt_fheap_grow(&st->h, st->nr, nr_frames);
   st->nr = nr_frames;
}

const struct vt_policy_ops vt_policy_aging = {
   .name = "aging",
   .needs = VT_POL_REFBIT,
   .create = aging_create,
   .destroy = aging_destroy,
   .grow = aging_grow,
   .insert = aging_insert,
   .reference = aging_reference,
   .remove = aging_remove,
   .victim = aging_victim,
   .tick = aging_tick,
};
