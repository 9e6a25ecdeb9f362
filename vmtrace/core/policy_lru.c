/* policy_lru.c: exact LRU replacement.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   Least recently used: the victim is the page whose last reference is the
   oldest (smallest vt_pframe.last_ref; equal times: the one whose last
   reference or insertion the policy learnt of first).  Exact: it needs
   every reference (VT_POL_EVERY).  The fast path absorbs repeated hits and
   delivers them later through vt_sim_note_hits with their true last time,
   possibly out of time order across pages, so the pages are kept in a
   binary heap keyed by last_ref rather than on a move-to-front list:
   O(log n) per reference delivered and per fault.  Locked pages are passed
   over (the next least recently used goes).  No parameters.  A stack
   algorithm: no Belady anomaly. */

#include "vt_sim.h"

struct lru {
   struct vt_sim    *s;
   struct vt_pframe *fr;
   struct vt_fheap   h;
   vt_u64           *seq;      /* order learnt, for equal last_ref */
   vt_u64            clock;
   uint32_t          nr;
};

static bool lru_before(void *ctx, uint32_t a, uint32_t b)
{
   struct lru *st = ctx;
   if (st->fr[a].last_ref != st->fr[b].last_ref)
      return st->fr[a].last_ref < st->fr[b].last_ref;
   if (st->fr[a].last_order != st->fr[b].last_order)
      return st->fr[a].last_order < st->fr[b].last_order;
   return st->seq[a] < st->seq[b];
}

static void *lru_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   struct lru *st = vt_host_alloc(sizeof *st);
   st->s = s;
   st->fr = vt_sim_frames(s);
   st->nr = nr_frames;
   st->seq = vt_host_alloc((size_t)nr_frames * sizeof *st->seq);
   vt_fheap_init(&st->h, nr_frames, lru_before, st);
   return st;
}

static void lru_destroy(void *v)
{
   struct lru *st = v;
   vt_fheap_destroy(&st->h);
   vt_host_free(st->seq);
   vt_host_free(st);
}

static void lru_insert(void *v, uint32_t f)
{
   struct lru *st = v;
   st->seq[f] = ++st->clock;
   vt_fheap_push(&st->h, f);
}

static void lru_reference(void *v, uint32_t f)
{
   struct lru *st = v;
   st->seq[f] = ++st->clock;
   vt_fheap_fix(&st->h, f);
}

static void lru_remove(void *v, uint32_t f)
{
   struct lru *st = v;
   vt_fheap_del(&st->h, f);
}

static uint32_t lru_victim(void *v, vt_u64 now)
{
   struct lru *st = v;
   (void)now;
   uint32_t f = vt_fheap_first_evictable(&st->h, st->s);
   if (f != VT_SIM_NO_FRAME)
      vt_fheap_del(&st->h, f);
   return f;
}

static void lru_grow(void *v, uint32_t nr_frames)
{
   struct lru *st = v;
   st->fr = vt_sim_frames(st->s);
   st->seq = vt_realloc_array(st->seq, st->nr, nr_frames, sizeof *st->seq);
   vt_fheap_grow(&st->h, st->nr, nr_frames);
   st->nr = nr_frames;
}

const struct vt_policy_ops vt_policy_lru = {
   .name = "lru",
   .needs = VT_POL_EVERY,
   .create = lru_create,
   .destroy = lru_destroy,
   .grow = lru_grow,
   .insert = lru_insert,
   .reference = lru_reference,
   .remove = lru_remove,
   .victim = lru_victim,
};
