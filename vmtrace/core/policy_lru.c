/* policy_lru.c: exact LRU replacement.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   Least recently used: the victim is the page whose last reference is the
   oldest (smallest vt_fstamp.last_ref, then last_order; equal: the one
   whose last reference or insertion the policy learnt of first).  Exact:
   it needs every reference (VT_POL_EVERY).  Locked pages are passed over
   (the next least recently used goes).  No parameters.  A stack algorithm:
   no Belady anomaly.

   Two shapes of one order.  While every reference arrives in order (each
   at or after the most recent one, as an offline replay delivers them, and
   the tool until its fast path delivers absorbed hits late), the pages are
   on a list, most recent at the head: O(1) a reference and a fault.  The
   first reference that arrives out of order (a late delivery through
   vt_sim_note_hits, with a last_ref older than the head's) turns the list
   into a binary heap keyed by last_ref, in O(n) (the list is already in
   heap order from its tail), and the policy stays a heap: O(log n) a
   reference delivered and a fault.  Both give the same victims: the list's
   order is the heap's. */

#include "vt_sim.h"

struct lru {
   struct vt_heap_policy hp;    /* its heap and seq exist once it is one */
   struct vt_flist       l;     /* head: most recent */
   bool                  heap;
};

static bool lru_before(void *ctx, uint32_t a, uint32_t b)
{
   const struct vt_heap_policy *st = ctx;
   int c = vt_lru_cmp(&st->base.stamp[a], &st->base.stamp[b]);
   return c ? c < 0 : st->seq[a] < st->seq[b];
}

static void *lru_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   struct lru *st = vt_policy_new(s, nr_frames, sizeof *st);
   vt_flist_init(&st->l);
   return st;
}

/* Out of order: the list becomes the heap, oldest first, each page's seq
   its place (so that equal times keep the list's order). */
static void to_heap(struct lru *st)
{
   struct vt_heap_policy *hp = &st->hp;
   struct vt_pframe *fr = hp->base.fr;
   vt_policy_frame_heap(&hp->base, &hp->h, lru_before, hp);
   vt_policy_frame_array(&hp->base, &hp->seq, sizeof *hp->seq);
   for (uint32_t f = st->l.tail; f != VT_SIM_NO_FRAME; f = fr[f].link[0]) {
      hp->seq[f] = ++hp->clock;
      vt_fheap_push(&hp->h, f);   /* after its parent: no sifting */
   }
   vt_flist_init(&st->l);
   st->heap = true;
}

/* May f go to the head: is its last reference at or after the head's? */
static bool in_order(const struct lru *st, uint32_t f)
{
   uint32_t h = st->l.head;
   return h == VT_SIM_NO_FRAME || h == f ||
          vt_lru_cmp(&st->hp.base.stamp[f], &st->hp.base.stamp[h]) >= 0;
}

static void lru_insert(void *v, uint32_t f)
{
   struct lru *st = v;
   if (!st->heap && !in_order(st, f))
      to_heap(st);
   if (st->heap)
      vt_heap_policy_insert(&st->hp, f);
   else
      vt_flist_push_head(st->hp.base.fr, &st->l, f);
}

static void lru_reference(void *v, uint32_t f)
{
   struct lru *st = v;
   if (!st->heap && !in_order(st, f)) {
      /* f is on the list where its previous reference put it: the list
         is in order without this reference, which the heap then takes. */
      to_heap(st);
   }
   if (st->heap) {
      vt_heap_policy_reference(&st->hp, f);
   } else if (st->l.head != f) {
      vt_flist_del(st->hp.base.fr, &st->l, f);
      vt_flist_push_head(st->hp.base.fr, &st->l, f);
   }
}

static void lru_remove(void *v, uint32_t f)
{
   struct lru *st = v;
   if (st->heap)
      vt_heap_policy_remove(&st->hp, f);
   else
      vt_flist_del(st->hp.base.fr, &st->l, f);
}

/* The evictable page whose last reference is the oldest, as far as the
   policy knows */
static uint32_t candidate(struct lru *st)
{
   if (st->heap)
      return vt_fheap_first_evictable(&st->hp.h, st->hp.base.s);
   const struct vt_pframe *fr = st->hp.base.fr;
   for (uint32_t f = st->l.tail; f != VT_SIM_NO_FRAME; f = fr[f].link[0])
      if (vt_sim_evictable(st->hp.base.s, f))
         return f;
   return VT_SIM_NO_FRAME;
}

/* The candidate, once no reference the fast path absorbed to its page is
   left undelivered (VT_POL_LAZY_HITS): the others' could only make them
   more recent than they are known to be. */
static uint32_t lru_victim(void *v, vt_u64 now)
{
   struct lru *st = v;
   (void)now;
   uint32_t f;
   while ((f = candidate(st)) != VT_SIM_NO_FRAME && vt_sim_take_hits(st->hp.base.s, f))
      ;                /* its hits reached the policy: choose again */
   if (f == VT_SIM_NO_FRAME)
      return f;
   if (st->heap)
      vt_fheap_del(&st->hp.h, f);
   else
      vt_flist_del(st->hp.base.fr, &st->l, f);
   return f;
}

const struct vt_policy_ops vt_policy_lru = {
   .name = "lru", .needs = VT_POL_EVERY | VT_POL_LAZY_HITS, .create = lru_create,
   .insert = lru_insert, .reference = lru_reference,
   .remove = lru_remove, .victim = lru_victim,
};
