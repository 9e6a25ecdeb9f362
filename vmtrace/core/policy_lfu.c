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

static bool lfu_before(void *ctx, uint32_t a, uint32_t b)
{
   const struct vt_heap_policy *st = ctx;
   const struct vt_pframe *x = &st->base.fr[a], *y = &st->base.fr[b];
   if (x->refs != y->refs)
      return x->refs < y->refs;
   int c = vt_lru_cmp(x, y);
   return c ? c < 0 : st->seq[a] < st->seq[b];
}

static void *lfu_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   return vt_heap_policy_new(s, nr_frames, sizeof(struct vt_heap_policy), lfu_before);
}

const struct vt_policy_ops vt_policy_lfu = {
   .name = "lfu", .needs = VT_POL_EVERY, .create = lfu_create,
   .insert = vt_heap_policy_insert, .reference = vt_heap_policy_reference,
   .remove = vt_heap_policy_remove, .victim = vt_heap_policy_victim,
};
