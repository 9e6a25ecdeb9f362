/* policy_wsclock.c: WSCLOCK replacement (Carr and Hennessy, 1981).

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   The working-set clock: the resident pages form a ring in the order they
   were brought in (as CLOCK's), and each page keeps its "time of last use"
   (vt_pframe.pdata), the virtual time when it was brought in or when the
   hand last found its referenced bit set.  The working set is the pages
   used within the last tau time units (params.tau).  To choose a victim
   the hand sweeps at most once round the ring; at each evictable page:
     - referenced: clear the bit, time of last use = now, move on;
     - else, if its age (now - time of last use) exceeds tau:
         clean (evicting it writes nothing, vt_sim_clean): the victim;
         dirty: schedule its write (vt_sim_writeback: the write completes
         at once, the page becomes clean and stays) and move on;
     - else (in the working set): move on.
   If a whole turn finds no victim: the clean evictable page with the
   oldest time of last use (first from the hand among equals) - which
   includes the pages whose writes this turn scheduled - or, if there is no
   clean page, the first evictable page from the hand.  The hand stops just
   past the victim; a new page enters just behind the hand.  Locked pages
   are passed over untouched.

   Learns of references through the referenced bit only (VT_POL_REFBIT).
   The hand's sweep is the algorithm's cost: O(1) amortised while pages
   age past tau as fast as RAM turns over, but O(n) per fault when few
   pages are older than tau (working set larger than RAM: every fault goes
   round the ring); choose tau below the time RAM takes to turn over.
   Parameter: tau (0: every page not referenced since the hand's last pass
   is old). */

#include "vt_sim.h"

struct wsc {
   struct vt_policy base;
   struct vt_fring  ring;
   vt_u64           tau;
};

static void *wsc_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   struct wsc *st = vt_policy_new(s, nr_frames, sizeof *st);
   vt_fring_init(&st->ring);
   st->tau = p->tau;
   return st;
}

static void wsc_insert(void *v, uint32_t f)
{
   struct wsc *st = v;
   st->base.fr[f].pdata = st->base.fr[f].inserted;
   vt_fring_insert(st->base.fr, &st->ring, f);
}

static void wsc_remove(void *v, uint32_t f)
{
   struct wsc *st = v;
   vt_fring_del(st->base.fr, &st->ring, f);
}

/* f is the victim: the hand stops just past it. */
static uint32_t wsc_take(struct wsc *st, uint32_t f)
{
   vt_fring_take(st->base.fr, &st->ring, f);
   return f;
}

static uint32_t wsc_victim(void *v, vt_u64 now)
{
   struct wsc *st = v;
   uint32_t n = st->ring.l.n, f = st->ring.hand;
   /* The fallback is found during the turn: a page's state after the hand
      passed it does not change later in the same turn. */
   uint32_t best = VT_SIM_NO_FRAME, first = VT_SIM_NO_FRAME;
   for (uint32_t i = 0; i < n; i++) {
      uint32_t next = vt_flist_next_wrap(st->base.fr, &st->ring.l, f);
      struct vt_pframe *fr = &st->base.fr[f];
      if (vt_sim_evictable(st->base.s, f)) {
         if (fr->referenced) {
            vt_sim_clear_referenced(st->base.s, f);
            fr->pdata = now;
         } else if (now - fr->pdata > st->tau) {
            if (vt_sim_clean(st->base.s, f))
               return wsc_take(st, f);
            vt_sim_writeback(st->base.s, f);
         }
         if (first == VT_SIM_NO_FRAME)
            first = f;
         if (vt_sim_clean(st->base.s, f) &&
             (best == VT_SIM_NO_FRAME || fr->pdata < st->base.fr[best].pdata))
            best = f;
      }
      f = next;
   }
   /* A whole turn without a victim: the oldest clean page (which includes
      those written back in this turn), else the first from the hand. */
   if (best == VT_SIM_NO_FRAME)
      best = first;
   if (best == VT_SIM_NO_FRAME)
      return best;
   return wsc_take(st, best);
}

static const struct vt_policy_param wsc_params[] = {
   VT_POLICY_PARAM("wsclock-tau", tau, 1000000, 1, ~0ull,
                   "WSClock working-set window, instructions"),
};

const struct vt_policy_ops vt_policy_wsclock = {
   .name = "wsclock", .needs = VT_POL_REFBIT, .create = wsc_create, .insert = wsc_insert,
   .remove = wsc_remove, .victim = wsc_victim,
   .params = wsc_params, .nr_params = 1,
};
