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
   struct vt_sim    *s;
   struct vt_pframe *fr;
   struct vt_fheap   h;
   vt_u64           *next;     /* next use per frame */
   uint32_t          nr;
   vt_u64          (*next_use)(void *ctx, vt_u64 key, vt_u64 now);
   void             *ctx;
};

static bool opt_before(void *ctx, uint32_t a, uint32_t b)
{
   struct opt *st = ctx;
   if (st->next[a] != st->next[b])
      return st->next[a] > st->next[b];
   if (st->fr[a].inserted != st->fr[b].inserted)
      return st->fr[a].inserted < st->fr[b].inserted;
   return st->fr[a].key < st->fr[b].key;
}

static void *opt_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   struct opt *st = vt_host_alloc(sizeof *st);
   st->s = s;
   st->fr = vt_sim_frames(s);
   st->nr = nr_frames;
   st->next = vt_host_alloc((size_t)nr_frames * sizeof *st->next);
   vt_fheap_init(&st->h, nr_frames, opt_before, st);
   return st;
}

static void opt_destroy(void *v)
{
   struct opt *st = v;
   vt_fheap_destroy(&st->h);
   vt_host_free(st->next);
   vt_host_free(st);
}

static vt_u64 opt_next(struct opt *st, uint32_t f)
{
   if (!st->next_use)
      return VT_SIM_NO_PAGE;
   return st->next_use(st->ctx, st->fr[f].key, st->fr[f].last_ref);
}

static void opt_insert(void *v, uint32_t f)
{
   struct opt *st = v;
   st->next[f] = opt_next(st, f);
   vt_fheap_push(&st->h, f);
}

static void opt_reference(void *v, uint32_t f)
{
   struct opt *st = v;
   st->next[f] = opt_next(st, f);
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
   uint32_t f = vt_fheap_first_evictable(&st->h, st->s);
   if (f != VT_SIM_NO_FRAME)
      vt_fheap_del(&st->h, f);
   return f;
}

static void opt_set_future(void *v, vt_u64 (*next_use)(void *ctx, vt_u64 key,
                                                       vt_u64 now), void *ctx)
{
   struct opt *st = v;
   st->next_use = next_use;
   st->ctx = ctx;
}

static void opt_grow(void *v, uint32_t nr_frames)
{
   struct opt *st = v;
   st->fr = vt_sim_frames(st->s);
   st->next = vt_realloc_array(st->next, st->nr, nr_frames,
                               sizeof *st->next);
   vt_fheap_grow(&st->h, st->nr, nr_frames);
   st->nr = nr_frames;
}

const struct vt_policy_ops vt_policy_opt = {
   .name = "opt",
   .needs = VT_POL_FUTURE | VT_POL_EVERY,
   .create = opt_create,
   .destroy = opt_destroy,
   .grow = opt_grow,
   .insert = opt_insert,
   .reference = opt_reference,
   .remove = opt_remove,
   .victim = opt_victim,
   .set_future = opt_set_future,
};
