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

static bool lru_before(void *ctx, uint32_t a, uint32_t b)
{
   const struct vt_heap_policy *st = ctx;
   int c = vt_lru_cmp(&st->base.fr[a], &st->base.fr[b]);
   return c ? c < 0 : st->seq[a] < st->seq[b];
}

static void *lru_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   return vt_heap_policy_new(s, nr_frames, sizeof(struct vt_heap_policy), lru_before);
}

const struct vt_policy_ops vt_policy_lru = {
   .name = "lru", .needs = VT_POL_EVERY, .create = lru_create,
   .insert = vt_heap_policy_insert, .reference = vt_heap_policy_reference,
   .remove = vt_heap_policy_remove, .victim = vt_heap_policy_victim,
};
