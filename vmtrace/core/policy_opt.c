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
   over.  No parameters.

   A page's next use is asked about at the time of its last reference,
   the largest of the times delivered (references may arrive out of time
   order).  next_use does not decrease with the time asked about, so the
   largest of the answers is the answer at the largest time: OPT keeps
   that, and no time of last reference (VT_POL_NOSTAMP: the simulation
   keeps no struct vt_fstamp for it).  Memory: 24 bytes a frame, the heap
   (8), the next use (8) and the time brought in (8); it was 56 with the
   simulation's 24-byte stamps and the heap policies' insertion numbers,
   which OPT's order does not read. */

#include "vt_sim.h"

struct opt {
   struct vt_policy  base;
   struct vt_fheap   h;
   vt_u64           *next;     /* next use per frame */
   vt_u64           *inserted; /* per frame: when it was brought in */
   vt_u64          (*next_use)(void *ctx, vt_u64 key, vt_u64 now);
   void             *ctx;
};

static bool opt_before(void *ctx, uint32_t a, uint32_t b)
{
   const struct opt *st = ctx;
   const struct vt_pframe *fr = st->base.fr;
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
   struct opt *st = vt_policy_new(s, nr_frames, sizeof *st);
   vt_policy_frame_heap(&st->base, &st->h, opt_before, st);
   vt_policy_frame_array(&st->base, &st->next, sizeof *st->next);
   vt_policy_frame_array(&st->base, &st->inserted, sizeof *st->inserted);
   return st;
}

static vt_u64 opt_next(const struct opt *st, uint32_t f, vt_u64 t)
{
   return st->next_use ? st->next_use(st->ctx, st->base.fr[f].key, t) : VT_SIM_NO_PAGE;
}

static void opt_insert(void *v, uint32_t f)
{
   struct opt *st = v;
   vt_u64 t = vt_sim_incoming_time(st->base.s);
   st->inserted[f] = t;
   st->next[f] = opt_next(st, f, t);
   vt_fheap_push(&st->h, f);
}

static void opt_reference(void *v, uint32_t f)
{
   struct opt *st = v;
   vt_u64 n = opt_next(st, f, vt_sim_reference_time(st->base.s));
   if (n > st->next[f]) {
      st->next[f] = n;
      vt_fheap_fix(&st->h, f);
   }
}

/* mremap gave the page a new key: its next use is the new key's (the old
   key's references after the move are another page's, if any), asked
   at the time of the move; the heap's order by key changes too. */
static void opt_moved(void *v, uint32_t f, vt_u64 now)
{
   struct opt *st = v;
   st->next[f] = opt_next(st, f, now);
   vt_fheap_fix(&st->h, f);
}

static void opt_remove(void *v, uint32_t f)
{
   struct opt *st = v;
   vt_fheap_del(&st->h, f);
}

static uint32_t opt_victim(void *v, vt_u64 now)
{
   struct opt *st = v;
   (void)now;
   return vt_fheap_take_evictable(&st->h, st->base.s);
}

static void opt_set_future(void *v, vt_u64 (*next_use)(void *ctx, vt_u64 key,
                                                       vt_u64 now), void *ctx)
{
   struct opt *st = v;
   st->next_use = next_use;
   st->ctx = ctx;
}

const struct vt_policy_ops vt_policy_opt = {
   .name = "opt", .needs = VT_POL_FUTURE | VT_POL_EVERY | VT_POL_NOSTAMP | VT_POL_INSERT_READS,
   .create = opt_create, .insert = opt_insert, .reference = opt_reference,
   .remove = opt_remove, .victim = opt_victim, .set_future = opt_set_future,
   .moved = opt_moved,
};
