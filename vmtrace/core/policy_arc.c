/* policy_arc.c: ARC, the Adaptive Replacement Cache (Megiddo and Modha,
   "ARC: A Self-Tuning, Low Overhead Replacement Cache", FAST 2003).

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   c = the number of frames.  Resident pages are on T1 (seen once since
   they entered the cache) or T2 (seen at least twice); ghost lists B1 and
   B2 remember the keys of pages recently evicted from T1 and T2 (no
   frames).  p, the target size of T1, adapts:
     hit in T1 or T2: the page moves to the MRU end of T2;
     miss, x in B1 (case II): p = min(p + d1, c), d1 = 1 if |B1| >= |B2|
       else |B2| / |B1|; REPLACE; x moves from B1 to the MRU end of T2;
     miss, x in B2 (case III): p = max(p - d2, 0), d2 = 1 if |B2| >= |B1|
       else |B1| / |B2|; REPLACE; x moves from B2 to the MRU end of T2;
     miss elsewhere (case IV): if |T1| + |B1| = c: if |T1| < c, drop the
       LRU ghost of B1 and REPLACE, else evict the LRU page of T1 without
       a ghost; otherwise, if the cache is full and |T1|+|T2|+|B1|+|B2| =
       2c, drop the LRU ghost of B2, and REPLACE; x goes to the MRU end of
       T1.
     REPLACE(x, p): if |T1| >= 1 and (|T1| > p or (x in B2 and |T1| = p)),
       the LRU page of T1 is evicted and its key goes to the MRU end of B1,
       else the LRU page of T2 to B2.
   The divisions are integer divisions (p is a whole number of pages).

   The paper's cases run in victim(), which reads the incoming key through
   vt_sim_incoming, and are committed only when a victim is found (so an
   OOM leaves the state unchanged).  The engine asks for a victim only
   when no frame is free; a miss with a free frame (the cache filling up,
   or after pages were dropped) adapts p for a ghost hit as above, and in
   case IV drops the LRU ghost of B1 if |T1| + |B1| >= c, else that of B2
   if the directory holds 2c pages, and evicts nothing.  Locked pages (and
   anonymous pages while swap is full) are passed over: REPLACE takes the
   least recently used evictable page of the list it chose, or of the
   other list if that has none.  A prefaulted page enters T1 like a miss;
   its first reference is a hit.

   T1 is a list in insertion order (its pages have not been referenced
   since they entered).  T2 is in the order of the last reference: a list
   (most recent at the tail) while references arrive in order, as an
   offline replay delivers them, O(1); from the first reference that
   arrives out of order (the fast path's absorbed hits come late, in time
   order per page only: VT_POL_EVERY) a heap on the time of the last
   reference, O(log n) per reference delivered, as policy_lru.c.  Which
   list a frame is on is in its pbits.

   A ghost is a page this policy evicted (or one dropped since, which the
   ghost outlives until it ages out): it lives in the simulation's evicted
   set (VT_POL_GHOSTS), whose 32-bit word for the page says which list it
   is on and where, and in that list's ring of keys in LRU order (head:
   LRU; a ghost leaving from the middle, a hit, leaves a hole that is
   skipped; a ghost that goes leaves its word behind, which is no longer
   its page's once the slot it names holds another key or a hole).  A full ring is copied to a new one with the ghosts in order
   and room for a quarter more (the words of the ghosts moved rewritten),
   so it holds at most 5/4 as many slots as ghosts at its largest, plus
   16: 10 bytes a ghost, and the evicted set's 12.125-byte slot that every
   evicted page has (it was a pool of 16-byte ghosts, a byte of list each
   and a table of 4-byte indexes: 25 to 50 bytes a ghost, 86.6 bytes a
   frame while evicting in tests/perf/sim-mem).  No parameters. */

#include "vt_sim.h"

#define IN_T1 1
#define IN_T2 2

/* B1 (b[1]) or B2 (b[2]): ghost keys from head (LRU) to tail, VT_SIM_NO_PAGE
   in a hole, slot head + i (mod cap) for i < span. */
struct gring {
   vt_u64   *key;
   uint32_t  head, span, cap, n;    /* n: ghosts (span less the holes) */
};

struct arc {
   struct vt_policy  base;
   vt_u64            c, p;
   struct vt_flist   t1;                      /* head: LRU */
   struct vt_flist   t2l;                     /* T2 while in order; head: LRU */
   struct vt_fheap   t2;                      /* T2 once not (t2_heap) */
   bool              t2_heap;
   vt_u64           *seq, clock;
   struct gring      b[3];                    /* b[1] = B1, b[2] = B2 */
   vt_u64            pend_key;                /* miss handled by victim() */
};

#define IN(st, f) ((st)->base.fr[f].pbits)

static bool t2_before(void *ctx, uint32_t a, uint32_t b)
{
   const struct arc *st = ctx;
   int c = vt_lru_cmp(&st->base.stamp[a], &st->base.stamp[b]);
   return c ? c < 0 : st->seq[a] < st->seq[b];
}

static void *arc_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   (void)p;
   struct arc *st = vt_policy_new(s, nr_frames, sizeof *st);
   st->c = vt_sim_config(s)->ram_pages;
   vt_flist_init(&st->t1);
   vt_flist_init(&st->t2l);
   st->pend_key = VT_SIM_NO_PAGE;
   return st;
}

static void arc_destroy(void *v)
{
   struct arc *st = v;
   vt_free(st->b[1].key);
   vt_free(st->b[2].key);
   vt_policy_destroy(st);
}

/* ---- ghosts ---- */

/* A ghost's word: its slot + 1 and its list. */
static inline uint32_t gword(int list, uint32_t slot)
{
   return (slot + 1) << 1 | (uint32_t)(list - 1);
}

/* Is w key's ghost: does the slot it names hold key?  (A word is left
   behind when its ghost goes; the slot then holds another key or a hole,
   and key can be in a ring again only by an eviction, which gives it a
   new word.) */
static int word_list(const struct arc *st, vt_u64 key, uint32_t w, uint32_t *slot)
{
   if (!w)
      return 0;
   int list = (int)(w & 1) + 1;
   *slot = (w >> 1) - 1;
   const struct gring *r = &st->b[list];
   return *slot < r->cap && r->key[*slot] == key ? list : 0;
}

/* The list of key's ghost (0: none) and its slot. */
static int ghost_list(const struct arc *st, vt_u64 key, uint32_t *slot)
{
   return word_list(st, key, vt_sim_ghost_word(st->base.s, key), slot);
}

static bool arc_ghost_live(const void *v, vt_u64 key, uint32_t w)
{
   uint32_t slot;
   return word_list(v, key, w, &slot) != 0;
}

/* mremap moved the evicted page: its ghost, if w is one, is to's now. */
static void arc_ghost_moved(void *v, vt_u64 from, vt_u64 to, uint32_t w)
{
   struct arc *st = v;
   uint32_t slot;
   int list = word_list(st, from, w, &slot);
   if (list)
      st->b[list].key[slot] = to;
}

/* The ghost in slot of list leaves its ring (its entry's word stays
   behind, if the entry is still there). */
static void ghost_del(struct arc *st, int list, uint32_t slot)
{
   struct gring *r = &st->b[list];
   r->key[slot] = VT_SIM_NO_PAGE;
   r->n--;
   while (r->span && r->key[r->head] == VT_SIM_NO_PAGE) {
      r->head = r->head + 1 == r->cap ? 0 : r->head + 1;
      r->span--;
   }
   if (!r->span)
      r->head = 0;
}

/* A ghost for key at the tail of list; its word (for vt_sim_set_shadow:
   key is being evicted). */
static uint32_t ghost_add(struct arc *st, int list, vt_u64 key)
{
   struct gring *r = &st->b[list];
   if (r->span == r->cap) {
      /* Full: the ghosts move, in order, to a ring with room. */
      /* A ring's slot + 1 fits the word's 31 bits: there are at most as
         many ghosts as pages evicted, not as frames (the RAM may be any
         size; only 2^31 ghosts at once, 40 GiB of them, would not fit) */
      vt_u64 cap64 = (vt_u64)r->n + r->n / 4 + 16;
      VT_ASSERT(cap64 < (1u << 31) - 1);
      uint32_t cap = (uint32_t)cap64;
      if (cap < r->cap)
         cap = r->cap;
      vt_u64 *k = vt_alloc((size_t)cap * sizeof *k);
      uint32_t n = 0;
      for (uint32_t i = 0, j = r->head; i < r->span; i++, j = j + 1 == r->cap ? 0 : j + 1)
         if (r->key[j] != VT_SIM_NO_PAGE) {
            k[n] = r->key[j];
            vt_sim_set_ghost_word(st->base.s, k[n], gword(list, n));
            n++;
         }
      VT_ASSERT(n == r->n);
      for (uint32_t j = n; j < cap; j++)   /* holes: no word names key 0 */
         k[j] = VT_SIM_NO_PAGE;
      vt_free(r->key);
      r->key = k;
      r->cap = cap;
      r->head = 0;
      r->span = n;
   }
   uint32_t slot = r->head + r->span;
   if (slot >= r->cap)
      slot -= r->cap;
   r->key[slot] = key;
   r->span++;
   r->n++;
   return gword(list, slot);
}

/* The LRU ghost of list (if any) goes. */
static void ghost_drop_lru(struct arc *st, int list)
{
   struct gring *r = &st->b[list];
   if (!r->n)
      return;
   vt_u64 key = r->key[r->head];
   ghost_del(st, list, r->head);
   vt_sim_forget_ghost(st->base.s, key);
}

/* ---- resident lists ---- */

static uint32_t t2_n(const struct arc *st)
{
   return st->t2_heap ? st->t2.n : st->t2l.n;
}

/* T2's list becomes its heap, oldest first (seq: the list's order). */
static void t2_to_heap(struct arc *st)
{
   struct vt_pframe *fr = st->base.fr;
   vt_policy_frame_heap(&st->base, &st->t2, t2_before, st);
   vt_policy_frame_array(&st->base, &st->seq, sizeof *st->seq);
   for (uint32_t f = st->t2l.head; f != VT_SIM_NO_FRAME; f = fr[f].link[1]) {
      st->seq[f] = ++st->clock;
      vt_fheap_push(&st->t2, f);
   }
   vt_flist_init(&st->t2l);
   st->t2_heap = true;
}

/* May f go to T2's MRU end: is its last reference at or after the most
   recent one there? */
static bool t2_in_order(const struct arc *st, uint32_t f)
{
   uint32_t m = st->t2l.tail;
   return m == VT_SIM_NO_FRAME || m == f ||
          vt_lru_cmp(&st->base.stamp[f], &st->base.stamp[m]) >= 0;
}

static void t2_add(struct arc *st, uint32_t f)
{
   IN(st, f) = IN_T2;
   if (!st->t2_heap && !t2_in_order(st, f))
      t2_to_heap(st);
   if (st->t2_heap) {
      st->seq[f] = ++st->clock;
      vt_fheap_push(&st->t2, f);
   } else {
      vt_flist_push_tail(st->base.fr, &st->t2l, f);
   }
}

static void t1_add(struct arc *st, uint32_t f)
{
   IN(st, f) = IN_T1;
   vt_flist_push_tail(st->base.fr, &st->t1, f);
}

static void res_del(struct arc *st, uint32_t f)
{
   if (IN(st, f) == IN_T1)
      vt_flist_del(st->base.fr, &st->t1, f);
   else if (st->t2_heap)
      vt_fheap_del(&st->t2, f);
   else
      vt_flist_del(st->base.fr, &st->t2l, f);
   IN(st, f) = 0;
}

static uint32_t t1_lru_evictable(struct arc *st)
{
   for (uint32_t f = st->t1.head; f != VT_SIM_NO_FRAME; f = st->base.fr[f].link[1])
      if (vt_sim_evictable(st->base.s, f))
         return f;
   return VT_SIM_NO_FRAME;
}

static uint32_t t2_lru_evictable(struct arc *st)
{
   if (st->t2_heap)
      return vt_fheap_first_evictable(&st->t2, st->base.s);
   for (uint32_t f = st->t2l.head; f != VT_SIM_NO_FRAME; f = st->base.fr[f].link[1])
      if (vt_sim_evictable(st->base.s, f))
         return f;
   return VT_SIM_NO_FRAME;
}

static vt_u64 adapt(const struct arc *st, int hit_list)
{
   vt_u64 b1 = st->b[1].n, b2 = st->b[2].n;
   if (hit_list == 1) {
      vt_u64 d = b1 >= b2 ? 1 : b2 / b1;
      return st->p + d < st->c ? st->p + d : st->c;
   }
   vt_u64 d = b2 >= b1 ? 1 : b1 / b2;
   return st->p > d ? st->p - d : 0;
}

/* ---- ops ---- */

static uint32_t arc_victim(void *v, vt_u64 now)
{
   struct arc *st = v;
   (void)now;
   vt_u64 x = vt_sim_incoming(st->base.s);
   uint32_t gi;
   int in = ghost_list(st, x, &gi);
   vt_u64 t1 = st->t1.n, t2 = t2_n(st), b1 = st->b[1].n, b2 = st->b[2].n;
   vt_u64 np = in ? adapt(st, in) : st->p;
   int drop = 0;                 /* ghost list whose LRU entry goes */
   bool replace = true;
   if (!in) {
      if (t1 + b1 >= st->c) {
         if (t1 < st->c)
            drop = 1;
         else
            replace = false;     /* evict T1's LRU page, no ghost */
      } else if (t1 + t2 + b1 + b2 >= 2 * st->c) {
         drop = 2;
      }
   }
   uint32_t f;
   int from;                     /* 1: T1, 2: T2 */
   if (!replace) {
      f = t1_lru_evictable(st);
      from = 0;
   } else {
      from = t1 >= 1 && (t1 > np || (in == 2 && t1 == np)) ? 1 : 2;
      f = from == 1 ? t1_lru_evictable(st) : t2_lru_evictable(st);
      if (f == VT_SIM_NO_FRAME) {
         from = 3 - from;
         f = from == 1 ? t1_lru_evictable(st) : t2_lru_evictable(st);
      }
   }
   if (f == VT_SIM_NO_FRAME)
      return f;
   st->p = np;
   st->pend_key = x;             /* insert() must not adapt again */
   if (drop)
      ghost_drop_lru(st, drop);
   res_del(st, f);
   if (from)
      vt_sim_set_shadow(st->base.s, ghost_add(st, from, st->base.fr[f].key));
   return f;
}

static void arc_insert(void *v, uint32_t f)
{
   struct arc *st = v;
   vt_u64 x = st->base.fr[f].key;
   uint32_t gi;
   int in = ghost_list(st, x, &gi);
   bool adapted = st->pend_key == x;
   st->pend_key = VT_SIM_NO_PAGE;
   if (in) {
      if (!adapted)
         st->p = adapt(st, in);
      ghost_del(st, in, gi);      /* its entry went as it came in */
      t2_add(st, f);
      return;
   }
   if (!adapted) {
      /* Case IV with a free frame: keep the directory within bounds. */
      if (st->t1.n + st->b[1].n >= st->c && st->b[1].n)
         ghost_drop_lru(st, 1);
      else if (st->t1.n + t2_n(st) + st->b[1].n + st->b[2].n >= 2 * st->c)
         ghost_drop_lru(st, 2);
   }
   t1_add(st, f);
}

static void arc_reference(void *v, uint32_t f)
{
   struct arc *st = v;
   if (IN(st, f) == IN_T1) {
      vt_flist_del(st->base.fr, &st->t1, f);
      t2_add(st, f);
   } else {
      if (!st->t2_heap && !t2_in_order(st, f))
         t2_to_heap(st);      /* f is where its previous reference put it */
      if (st->t2_heap) {
         st->seq[f] = ++st->clock;
         vt_fheap_fix(&st->t2, f);
      } else if (st->t2l.tail != f) {
         vt_flist_del(st->base.fr, &st->t2l, f);
         vt_flist_push_tail(st->base.fr, &st->t2l, f);
      }
   }
}

static void arc_remove(void *v, uint32_t f)
{
   res_del(v, f);
}

static vt_u64 arc_word(const void *v, uint32_t f)
{
   return ((const struct arc *)v)->base.fr[f].pbits;
}

const struct vt_policy_ops vt_policy_arc = {
   .frame_word = arc_word, .ghost_live = arc_ghost_live, .ghost_moved = arc_ghost_moved,
   .name = "arc", .needs = VT_POL_EVERY | VT_POL_GHOSTS | VT_POL_INSERT_READS, .create = arc_create, .destroy = arc_destroy,
   .insert = arc_insert, .reference = arc_reference, .remove = arc_remove,
   .victim = arc_victim,
};
