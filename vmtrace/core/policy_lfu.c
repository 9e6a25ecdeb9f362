/* policy_lfu.c: LFU replacement.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   Least frequently used: the victim is the page with the fewest references
   since it was brought in (vt_pframe.refs, which counts the faulting
   reference; a prefaulted page starts at 0); among equal counts the least
   recently used (smallest last_ref), then the one the policy learnt of
   first.  Counts start afresh each time a page is brought in (no history
   of evicted pages), so a page that was popular long ago keeps a high
   count while resident: the classic weakness of LFU.  Exact: it needs
   every reference (VT_POL_EVERY); the pages are kept in a binary heap on
   (refs, last_ref): O(log n) per reference delivered and per fault.  Locked
   pages are passed over.  No parameters. */

#include "vt_sim.h"

struct lfu {
   struct vt_sim    *s;
   struct vt_pframe *fr;
   struct vt_fheap   h;
   vt_u64           *seq;
   vt_u64            clock;
   uint32_t          nr;
};

static bool lfu_before(void *ctx, uint32_t a, uint32_t b)
{
   struct lfu *st = ctx;
   const struct vt_pframe *x = &st->fr[a], *y = &st->fr[b];
   if (x->refs != y->refs)
      return x->refs < y->refs;
   if (x->last_ref != y->last_ref)
      return x->last_ref < y->last_ref;
   if (x->last_order != y->last_order)
      return x->last_order < y->last_order;
   return st->seq[a] < st->seq[b];
}

static void *lfu_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   struct lfu *st = vt_host_alloc(sizeof *st);
   st->s = s;
   st->fr = vt_sim_frames(s);
   st->nr = nr_frames;
   st->seq = vt_host_alloc((size_t)nr_frames * sizeof *st->seq);
   vt_fheap_init(&st->h, nr_frames, lfu_before, st);
   return st;
}

static void lfu_destroy(void *v)
{
   struct lfu *st = v;
   vt_fheap_destroy(&st->h);
   vt_host_free(st->seq);
   vt_host_free(st);
}

static void lfu_insert(void *v, uint32_t f)
{
   struct lfu *st = v;
   st->seq[f] = ++st->clock;
   vt_fheap_push(&st->h, f);
}

static void lfu_reference(void *v, uint32_t f)
{
   struct lfu *st = v;
   st->seq[f] = ++st->clock;
   vt_fheap_fix(&st->h, f);
}

static void lfu_remove(void *v, uint32_t f)
{
   struct lfu *st = v;
   vt_fheap_del(&st->h, f);
}

static uint32_t lfu_victim(void *v, vt_u64 now)
{
   struct lfu *st = v;
   (void)now;
   uint32_t f = vt_fheap_first_evictable(&st->h, st->s);
   if (f != VT_SIM_NO_FRAME)
      vt_fheap_del(&st->h, f);
   return f;
}

static void lfu_grow(void *v, uint32_t nr_frames)
{
   struct lfu *st = v;
   st->fr = vt_sim_frames(st->s);
   st->seq = vt_realloc_array(st->seq, st->nr, nr_frames, sizeof *st->seq);
   vt_fheap_grow(&st->h, st->nr, nr_frames);
   st->nr = nr_frames;
}

const struct vt_policy_ops vt_policy_lfu = {
   .name = "lfu",
   .needs = VT_POL_EVERY,
   .create = lfu_create,
   .destroy = lfu_destroy,
   .grow = lfu_grow,
   .insert = lfu_insert,
   .reference = lfu_reference,
   .remove = lfu_remove,
   .victim = lfu_victim,
};
