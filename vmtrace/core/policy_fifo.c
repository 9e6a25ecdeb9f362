/* policy_fifo.c: FIFO replacement.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   First in, first out: the victim is the page that has been resident
   longest (smallest insertion time), whatever its references.  Pages are
   kept on one list in the order they were brought in; the victim is the
   first evictable page from the old end, so a locked page keeps its place
   and the next oldest goes instead.  O(1) per fault (plus the locked pages
   passed over).  References are of no interest (needs = 0): the fast path
   may absorb all of them.  No parameters.  Exhibits Belady's anomaly. */

#include "vt_sim.h"

struct fifo {
   struct vt_policy base;
   struct vt_flist  q;        /* head: oldest */
};

static void *fifo_create(struct vt_sim *s, uint32_t nr_frames,
                         const struct vt_policy_params *p)
{
   (void)p;
   struct fifo *st = vt_policy_new(s, nr_frames, sizeof *st);
   vt_flist_init(&st->q);
   return st;
}

static void fifo_insert(void *v, uint32_t f)
{
   struct fifo *st = v;
   vt_flist_push_tail(st->base.fr, &st->q, f);
}

static void fifo_remove(void *v, uint32_t f)
{
   struct fifo *st = v;
   vt_flist_del(st->base.fr, &st->q, f);
}

static uint32_t fifo_victim(void *v, vt_u64 now)
{
   struct fifo *st = v;
   (void)now;
   for (uint32_t f = st->q.head; f != VT_SIM_NO_FRAME; f = st->base.fr[f].link[1])
      if (vt_sim_evictable(st->base.s, f)) {
         vt_flist_del(st->base.fr, &st->q, f);
         return f;
      }
   return VT_SIM_NO_FRAME;
}

const struct vt_policy_ops vt_policy_fifo = {
   .name = "fifo", .needs = 0, .create = fifo_create, .insert = fifo_insert,
   .remove = fifo_remove, .victim = fifo_victim,
};
