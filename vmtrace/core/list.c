/* list.c: doubly-linked lists of frames threaded through their
   vt_pframe.link[] words, for the policies (FIFO's queue, CLOCK's ring,
   LINUX's LRU lists).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_sim.h"

void vt_flist_init(struct vt_flist *l)
{
   l->head = l->tail = VT_SIM_NO_FRAME;
   l->n = 0;
}

/* prev and next become neighbours (VT_SIM_NO_FRAME: the list's end). */
static void link(struct vt_pframe *fr, struct vt_flist *l, uint32_t prev, uint32_t next)
{
   if (prev == VT_SIM_NO_FRAME)
      l->head = next;
   else
      fr[prev].link[1] = next;
   if (next == VT_SIM_NO_FRAME)
      l->tail = prev;
   else
      fr[next].link[0] = prev;
}

void vt_flist_insert_before(struct vt_pframe *fr, struct vt_flist *l,
                            uint32_t at, uint32_t f)
{
   uint32_t prev = at == VT_SIM_NO_FRAME ? l->tail : fr[at].link[0];
   link(fr, l, prev, f);
   link(fr, l, f, at);
   l->n++;
}

void vt_flist_push_head(struct vt_pframe *fr, struct vt_flist *l, uint32_t f)
{
   vt_flist_insert_before(fr, l, l->head, f);
}

void vt_flist_push_tail(struct vt_pframe *fr, struct vt_flist *l, uint32_t f)
{
   vt_flist_insert_before(fr, l, VT_SIM_NO_FRAME, f);
}

void vt_flist_del(struct vt_pframe *fr, struct vt_flist *l, uint32_t f)
{
   link(fr, l, fr[f].link[0], fr[f].link[1]);
   fr[f].link[0] = fr[f].link[1] = VT_SIM_NO_FRAME;
   VT_ASSERT(l->n > 0);
   l->n--;
}

uint32_t vt_flist_next_wrap(const struct vt_pframe *fr,
                            const struct vt_flist *l, uint32_t f)
{
   uint32_t n = fr[f].link[1];
   return n == VT_SIM_NO_FRAME ? l->head : n;
}

/* ---- rings with a hand ---- */

void vt_fring_init(struct vt_fring *r)
{
   vt_flist_init(&r->l);
   r->hand = VT_SIM_NO_FRAME;
}

void vt_fring_insert(struct vt_pframe *fr, struct vt_fring *r, uint32_t f)
{
   if (r->hand == VT_SIM_NO_FRAME) {
      vt_flist_push_tail(fr, &r->l, f);
      r->hand = f;
   } else {
      vt_flist_insert_before(fr, &r->l, r->hand, f);
   }
}

void vt_fring_del(struct vt_pframe *fr, struct vt_fring *r, uint32_t f)
{
   if (r->hand == f) {
      r->hand = vt_flist_next_wrap(fr, &r->l, f);
      if (r->hand == f)
         r->hand = VT_SIM_NO_FRAME;
   }
   vt_flist_del(fr, &r->l, f);
}

void vt_fring_take(struct vt_pframe *fr, struct vt_fring *r, uint32_t f)
{
   r->hand = f;
   vt_fring_del(fr, r, f);
}

void vt_fring_advance(const struct vt_pframe *fr, struct vt_fring *r)
{
   r->hand = vt_flist_next_wrap(fr, &r->l, r->hand);
}
