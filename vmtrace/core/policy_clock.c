/* policy_clock.c: CLOCK (second chance) replacement.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   Corbató's clock: the resident pages form a ring in the order they were
   brought in, and a hand points at the oldest.  To choose a victim the hand
   sweeps: a page whose referenced bit is set loses it (through
   vt_sim_clear_referenced, so the host's filter lets the next reference
   through) and the hand moves on; the first page found with the bit clear
   is the victim, and the hand stops just past it.  A new page enters the
   ring just behind the hand (the victim's place), with its bit set by the
   reference that faulted it (a prefaulted page: clear).  This is FIFO
   with a second chance for every page referenced since the hand last
   passed.  Locked pages are passed over with their bit untouched; after
   two full turns without a victim every page is locked: none.

   Learns of references through the referenced bit only (VT_POL_REFBIT).
   O(1) per fault amortised over the sweep.  No parameters. */

#include "vt_sim.h"

struct clk {
   struct vt_policy base;
   struct vt_fring  ring;
};

static void *clk_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   struct clk *st = vt_policy_new(s, nr_frames, sizeof *st);
   vt_fring_init(&st->ring);
   return st;
}

static void clk_insert(void *v, uint32_t f)
{
   struct clk *st = v;
   vt_fring_insert(st->base.fr, &st->ring, f);
}

static void clk_remove(void *v, uint32_t f)
{
   struct clk *st = v;
   vt_fring_del(st->base.fr, &st->ring, f);
}

static uint32_t clk_victim(void *v, vt_u64 now)
{
   struct clk *st = v;
   (void)now;
   for (vt_u64 steps = 2 * (vt_u64)st->ring.l.n + 1; steps-- > 0;) {
      uint32_t f = st->ring.hand;
      if (f == VT_SIM_NO_FRAME)
         break;
      if (!vt_sim_evictable(st->base.s, f)) {
         vt_fring_advance(st->base.fr, &st->ring);
      } else if (st->base.fr[f].referenced) {
         vt_sim_clear_referenced(st->base.s, f);
         vt_fring_advance(st->base.fr, &st->ring);
      } else {
         vt_fring_del(st->base.fr, &st->ring, f);
         return f;
      }
   }
   return VT_SIM_NO_FRAME;
}

const struct vt_policy_ops vt_policy_clock = {
   .name = "clock", .needs = VT_POL_REFBIT, .create = clk_create, .insert = clk_insert,
   .remove = clk_remove, .victim = clk_victim,
};
