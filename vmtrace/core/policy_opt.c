/* policy_opt.c: OPT, Belady's optimal replacement (MIN).

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   The victim is the resident page whose next reference lies farthest in
   the future; a page never referenced again is the farthest of all.
   Among pages with the same next use (in practice: several never used
   again) the one brought in first, then the smallest key.  This minimises
   the number of faults for a given RAM size (Belady 1966; Mattson et al.
   1970): a lower bound for every other policy on the same trace.

   It needs the future: only an offline replay of a recorded trace can
   supply it (VT_POL_FUTURE), through set_future(next_use, ctx), where
   next_use(ctx, key, t) is the time of the first reference to key after
   time t, VT_SIM_NO_PAGE if none.  Each page's next use is computed when
   it is brought in and again at every reference (VT_POL_EVERY: the replay
   may absorb repeated hits and deliver them with their last time, which is
   what next_use is asked about), and the pages are kept in a heap on it:
   O(log n) per reference plus the cost of next_use.  Without set_future
   every page counts as never used again: FIFO.  Locked pages are passed
   over.  No parameters. */

#include "vt_sim.h"

struct opt {
   struct vt_heap_policy hp;
   vt_u64               *next;     /* next use per frame */
   vt_u64               *inserted; /* per frame: when it was brought in */
   vt_u64              (*next_use)(void *ctx, vt_u64 key, vt_u64 now);
   void                 *ctx;
};

static bool opt_before(void *ctx, uint32_t a, uint32_t b)
{
   const struct opt *st = ctx;
   const struct vt_pframe *fr = st->hp.base.fr;
   if (st->next[a] != st->next[b])
      return st->next[a] > st->next[b];
   if (st->inserted[a] != st->inserted[b])
      return st->inserted[a] < st->inserted[b];
   return fr[a].key < fr[b].key;
}

static void *opt_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   struct opt *st = vt_heap_policy_new(s, nr_frames, sizeof *st, opt_before);
   vt_policy_frame_array(&st->hp.base, &st->next, sizeof *st->next);
   vt_policy_frame_array(&st->hp.base, &st->inserted, sizeof *st->inserted);
   return st;
}

static void opt_update(struct opt *st, uint32_t f)
{
   const struct vt_pframe *fr = &st->hp.base.fr[f];
   st->next[f] = st->next_use ? st->next_use(st->ctx, fr->key, st->hp.base.stamp[f].last_ref)
                              : VT_SIM_NO_PAGE;
}

static void opt_insert(void *v, uint32_t f)
{
   struct opt *st = v;
   st->inserted[f] = vt_sim_incoming_time(st->hp.base.s);
   opt_update(v, f);
   vt_heap_policy_insert(v, f);
}

static void opt_reference(void *v, uint32_t f)
{
   opt_update(v, f);
   vt_heap_policy_reference(v, f);
}

static void opt_set_future(void *v, vt_u64 (*next_use)(void *ctx, vt_u64 key,
                                                       vt_u64 now), void *ctx)
{
   struct opt *st = v;
   st->next_use = next_use;
   st->ctx = ctx;
}

const struct vt_policy_ops vt_policy_opt = {
   .name = "opt", .needs = VT_POL_FUTURE | VT_POL_EVERY, .create = opt_create,
   .insert = opt_insert, .reference = opt_reference, .remove = vt_heap_policy_remove,
   .victim = vt_heap_policy_victim, .set_future = opt_set_future,
};
