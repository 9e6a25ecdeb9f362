/* policy_random.c: random replacement.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   The victim is drawn uniformly among the evictable resident pages with the
   simulation's seeded generator (vt_sim_random: xorshift64*, state =
   params.seed, 0 replaced by a fixed constant), so a run is reproducible.

   The draw, defined exactly so that a test can repeat it: the resident
   pages are kept in an array, a new page appended, a leaving page replaced
   by the last one.  Up to 64 times: r = vt_sim_random() % n; if page r is
   evictable it is the victim.  If all 64 draws hit locked pages, the
   evictable pages are counted (e) and the victim is the
   (vt_sim_random() % e)-th of them in array order.  Rejection keeps the
   choice uniform among evictable pages; the modulo bias is below 2^-40 for
   any realistic RAM size.  O(1) per fault when few pages are locked.
   References are of no interest (needs = 0).  Parameter: seed. */

#include "vt_sim.h"

struct rnd {
   struct vt_policy base;
   uint32_t        *pages, *pos, n;
};

static void *rnd_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   struct rnd *st = vt_policy_new(s, nr_frames, sizeof *st);
   vt_policy_frame_array(&st->base, &st->pages, sizeof *st->pages);
   vt_policy_frame_array(&st->base, &st->pos, sizeof *st->pos);
   return st;
}

static void rnd_insert(void *v, uint32_t f)
{
   struct rnd *st = v;
   st->pos[f] = st->n;
   st->pages[st->n++] = f;
}

static void rnd_remove(void *v, uint32_t f)
{
   struct rnd *st = v;
   uint32_t i = st->pos[f], last = st->pages[--st->n];
   st->pages[i] = last;
   st->pos[last] = i;
}

static uint32_t rnd_victim(void *v, vt_u64 now)
{
   struct rnd *st = v;
   uint32_t f = VT_SIM_NO_FRAME;
   (void)now;
   if (st->n == 0)
      return f;
   for (int tries = 0; tries < 64 && f == VT_SIM_NO_FRAME; tries++) {
      uint32_t g = st->pages[vt_sim_random(st->base.s) % st->n];
      if (vt_sim_evictable(st->base.s, g))
         f = g;
   }
   if (f == VT_SIM_NO_FRAME) {
      vt_u64 e = 0;
      for (uint32_t i = 0; i < st->n; i++)
         e += vt_sim_evictable(st->base.s, st->pages[i]);
      if (e == 0)
         return f;
      vt_u64 k = vt_sim_random(st->base.s) % e;
      for (uint32_t i = 0; i < st->n; i++)
         if (vt_sim_evictable(st->base.s, st->pages[i]) && k-- == 0) {
            f = st->pages[i];
            break;
         }
   }
   rnd_remove(st, f);
   return f;
}

static const struct vt_policy_param rnd_params[] = {
   VT_POLICY_PARAM("seed", seed, 1, 0, ~0ull, "random policy's seed"),
};

const struct vt_policy_ops vt_policy_random = {
   .name = "random", .needs = 0, .create = rnd_create, .insert = rnd_insert,
   .remove = rnd_remove, .victim = rnd_victim,
   .params = rnd_params, .nr_params = 1,
};
