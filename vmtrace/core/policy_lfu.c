/* policy_lfu.c: LFU replacement.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   Least frequently used: the victim is the page with the fewest references
   since it was brought in (vt_sim_refs, which counts the faulting
   reference; a prefaulted page starts at 0); among equal counts the least
   recently used (smallest last_ref, then last_order), then the one the
   policy learnt of first.  Counts start afresh each time a page is brought
   in (no history of evicted pages), so a page that was popular long ago
   keeps a high count while resident: the classic weakness of LFU.  Exact:
   it needs every reference (VT_POL_EVERY).  Locked pages are passed over.
   No parameters.

   Two shapes of one order.  While references arrive in order and one at a
   time (an offline replay), the pages are in buckets of equal count, the
   buckets on a list by count and each in the order of last reference
   (Shah, Mitra and Matani's O(1) LFU): a reference moves a page to the
   next bucket's MRU end, O(1); the victim is the LRU end of the first
   bucket.  A reference that arrives out of order, or several at once
   (vt_sim_note_hits: the tool's fast path), turns the buckets into a binary
   heap on (refs, last_ref, last_order) in O(n), and the policy stays a
   heap: O(log n) a reference delivered and a fault.  Same victims. */

#include "vt_sim.h"

#define NO_BUCKET VT_SIM_NO_FRAME

struct bucket {
   vt_u64          count;
   uint32_t        prev, next;       /* by count; next: free list too */
   struct vt_flist l;                /* head: least recently used */
};

struct lfu {
   struct vt_heap_policy hp;         /* its heap and seq exist once it is one */
   struct bucket *b;
   uint32_t       nb, free;          /* pool size, free list */
   uint32_t       first;             /* the bucket of least count */
   uint32_t      *fb;                /* per frame: its bucket */
   bool           heap;
};

static bool lfu_before(void *ctx, uint32_t a, uint32_t b)
{
   const struct vt_heap_policy *st = ctx;
   const struct vt_fstamp *x = &st->base.stamp[a], *y = &st->base.stamp[b];
   const vt_u64 *refs = st->base.refs;
   if (refs[a] != refs[b])
      return refs[a] < refs[b];
   int c = vt_lru_cmp(x, y);
   return c ? c < 0 : st->seq[a] < st->seq[b];
}

static void *lfu_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   struct lfu *st = vt_policy_new(s, nr_frames, sizeof *st);
   vt_policy_frame_array(&st->hp.base, &st->fb, sizeof *st->fb);
   st->free = st->first = NO_BUCKET;
   return st;
}

static void lfu_destroy(void *v)
{
   struct lfu *st = v;
   vt_free(st->b);
   vt_policy_destroy(st);
}

/* ---- buckets ---- */

/* A new bucket of count c linked after bucket `after` (NO_BUCKET: first). */
static uint32_t bucket_new(struct lfu *st, vt_u64 c, uint32_t after)
{
   if (st->free == NO_BUCKET) {
      uint32_t n = st->nb ? 2 * st->nb : 16;
      st->b = vt_realloc_array(st->b, st->nb, n, sizeof *st->b);
      for (uint32_t i = st->nb; i < n; i++)
         st->b[i].next = i + 1 < n ? i + 1 : NO_BUCKET;
      st->free = st->nb;
      st->nb = n;
   }
   uint32_t i = st->free;
   struct bucket *k = &st->b[i];
   st->free = k->next;
   k->count = c;
   vt_flist_init(&k->l);
   k->prev = after;
   k->next = after == NO_BUCKET ? st->first : st->b[after].next;
   if (k->next != NO_BUCKET)
      st->b[k->next].prev = i;
   if (after == NO_BUCKET)
      st->first = i;
   else
      st->b[after].next = i;
   return i;
}

static void bucket_free(struct lfu *st, uint32_t i)
{
   struct bucket *k = &st->b[i];
   if (k->prev == NO_BUCKET)
      st->first = k->next;
   else
      st->b[k->prev].next = k->next;
   if (k->next != NO_BUCKET)
      st->b[k->next].prev = k->prev;
   k->next = st->free;
   st->free = i;
}

/* The bucket of count c at or after `from` (NO_BUCKET: the first), made if
   there is none; NO_BUCKET if it lies more than a few buckets on (several
   references at once: the heap takes over). */
static uint32_t bucket_for(struct lfu *st, vt_u64 c, uint32_t from)
{
   uint32_t prev = NO_BUCKET, i = from == NO_BUCKET ? st->first : from;
   if (from != NO_BUCKET)
      prev = st->b[from].prev;
   for (int steps = 0; i != NO_BUCKET && st->b[i].count < c; steps++) {
      if (steps == 4)
         return NO_BUCKET;
      prev = i;
      i = st->b[i].next;
   }
   if (i != NO_BUCKET && st->b[i].count == c)
      return i;
   return bucket_new(st, c, prev);
}

/* May f go to the MRU end of bucket k? */
static bool in_order(const struct lfu *st, uint32_t k, uint32_t f)
{
   uint32_t m = st->b[k].l.tail;
   return m == VT_SIM_NO_FRAME || m == f ||
          vt_lru_cmp(&st->hp.base.stamp[f], &st->hp.base.stamp[m]) >= 0;
}

/* The buckets become the heap, in their order (seq: the order within a
   bucket, so ties keep it). */
static void to_heap(struct lfu *st)
{
   struct vt_heap_policy *hp = &st->hp;
   struct vt_pframe *fr = hp->base.fr;
   vt_policy_frame_heap(&hp->base, &hp->h, lfu_before, hp);
   vt_policy_frame_array(&hp->base, &hp->seq, sizeof *hp->seq);
   for (uint32_t k = st->first; k != NO_BUCKET; k = st->b[k].next)
      for (uint32_t f = st->b[k].l.head; f != VT_SIM_NO_FRAME; f = fr[f].link[1]) {
         hp->seq[f] = ++hp->clock;
         vt_fheap_push(&hp->h, f);
      }
   vt_free(st->b);
   st->b = NULL;
   st->nb = 0;
   st->free = st->first = NO_BUCKET;
   st->heap = true;
}

/* ---- ops ---- */

static void lfu_insert(void *v, uint32_t f)
{
   struct lfu *st = v;
   if (!st->heap) {
      uint32_t k = bucket_for(st, st->hp.base.refs[f], NO_BUCKET);
      if (k != NO_BUCKET && in_order(st, k, f)) {
         vt_flist_push_tail(st->hp.base.fr, &st->b[k].l, f);
         st->fb[f] = k;
         return;
      }
      if (k != NO_BUCKET && !st->b[k].l.n)
         bucket_free(st, k);
      to_heap(st);
   }
   vt_heap_policy_insert(&st->hp, f);
}

static void lfu_reference(void *v, uint32_t f)
{
   struct lfu *st = v;
   if (!st->heap) {
      struct vt_pframe *fr = st->hp.base.fr;
      uint32_t old = st->fb[f];
      /* f is still in its old bucket: the new one goes after it. */
      const vt_u64 *refs = st->hp.base.refs;
      uint32_t k = refs[f] == st->b[old].count
                   ? old : bucket_for(st, refs[f], old);
      if (k != NO_BUCKET && in_order(st, k, f)) {
         if (k != old || st->b[k].l.tail != f) {
            vt_flist_del(fr, &st->b[old].l, f);
            vt_flist_push_tail(fr, &st->b[k].l, f);
            st->fb[f] = k;
            if (!st->b[old].l.n)
               bucket_free(st, old);
         }
         return;
      }
      if (k != NO_BUCKET && !st->b[k].l.n)
         bucket_free(st, k);
      to_heap(st);            /* f is where its previous reference put it */
   }
   vt_heap_policy_reference(&st->hp, f);
}

static void lfu_remove(void *v, uint32_t f)
{
   struct lfu *st = v;
   if (st->heap) {
      vt_heap_policy_remove(&st->hp, f);
      return;
   }
   uint32_t k = st->fb[f];
   vt_flist_del(st->hp.base.fr, &st->b[k].l, f);
   if (!st->b[k].l.n)
      bucket_free(st, k);
}

static uint32_t lfu_victim(void *v, vt_u64 now)
{
   struct lfu *st = v;
   if (st->heap)
      return vt_heap_policy_victim(&st->hp, now);
   const struct vt_pframe *fr = st->hp.base.fr;
   for (uint32_t k = st->first; k != NO_BUCKET; k = st->b[k].next)
      for (uint32_t f = st->b[k].l.head; f != VT_SIM_NO_FRAME; f = fr[f].link[1])
         if (vt_sim_evictable(st->hp.base.s, f)) {
            lfu_remove(st, f);
            return f;
         }
   return VT_SIM_NO_FRAME;
}

const struct vt_policy_ops vt_policy_lfu = {
   .name = "lfu", .needs = VT_POL_EVERY | VT_POL_COUNTS, .create = lfu_create, .destroy = lfu_destroy,
   .insert = lfu_insert, .reference = lfu_reference,
   .remove = lfu_remove, .victim = lfu_victim,
};
