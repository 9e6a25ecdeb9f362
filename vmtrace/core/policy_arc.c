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
   reference, O(log n) per reference delivered, as policy_lru.c.  Ghosts
   (at most 2c) live in a pool of 16-byte entries (key, LRU links) that
   grows on demand, with a byte of list each, found through a table of
   4-byte ghost indexes (the key is the ghost's), twice as many slots as
   the pool has entries, or, when the host numbers its pages below a key
   limit (vt_sim_config.key_limit), an array of ghost index + 1 per key:
   25 to 50 bytes a ghost (it was a vt_hash of 24-byte entries, at most
   half full, beside 24-byte ghosts: 72 to 144).  Pages dropped while
   evicted keep their ghost until it ages out.  No parameters. */

#include "vt_sim.h"

#define IN_T1 1
#define IN_T2 2
#define NONE  (~(uint32_t)0)

struct ghost { vt_u64 key; uint32_t prev, next; };
struct glist { uint32_t head, tail, n; };     /* head: LRU */

struct arc {
   struct vt_policy  base;
   vt_u64            c, p;
   struct vt_flist   t1;                      /* head: LRU */
   struct vt_flist   t2l;                     /* T2 while in order; head: LRU */
   struct vt_fheap   t2;                      /* T2 once not (t2_heap) */
   bool              t2_heap;
   vt_u64           *seq, clock;
   uint8_t          *in;                      /* per frame: IN_T1, IN_T2 */
   struct ghost     *g;
   uint8_t          *gl;                      /* per ghost: its list, 0: free */
   uint32_t          gfree, ng;
   struct glist      b[3];                    /* b[1] = B1, b[2] = B2 */
   uint32_t         *gtab;                    /* key -> ghost index (GT_EMPTY) */
   vt_u64            gcap;                    /* its slots: 2 * ng */
   uint32_t         *gidx;                    /* with a key limit: + 1 */
   vt_u64            pend_key;                /* miss handled by victim() */
};

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
   vt_policy_frame_array(&st->base, &st->in, sizeof *st->in);
   st->c = vt_sim_config(s)->ram_pages;
   vt_flist_init(&st->t1);
   vt_flist_init(&st->t2l);
   st->gfree = NONE;
   for (int i = 0; i < 3; i++)
      st->b[i].head = st->b[i].tail = NONE, st->b[i].n = 0;
   if (vt_sim_config(s)->key_limit)
      st->gidx = vt_alloc((size_t)vt_sim_config(s)->key_limit * sizeof *st->gidx);
   st->pend_key = VT_SIM_NO_PAGE;
   return st;
}

static void arc_destroy(void *v)
{
   struct arc *st = v;
   vt_free(st->gidx);
   vt_free(st->gtab);
   vt_free(st->g);
   vt_free(st->gl);
   vt_policy_destroy(st);
}

/* ---- ghosts ---- */

/* The ghost table: open addressing with linear probing over 4-byte ghost
   indexes, a key's home its Fibonacci hash scaled to the slots, made anew
   when the pool grows; deleted with backward shift. */
#define GT_EMPTY (~(uint32_t)0)

static inline vt_u64 gt_home(const struct arc *st, vt_u64 key)
{
   return (((key * 0x9E3779B97F4A7C15ull) >> 32) * st->gcap) >> 32;
}

static inline vt_u64 gt_next(const struct arc *st, vt_u64 i)
{
   return i + 1 == st->gcap ? 0 : i + 1;
}

/* The slot of key's ghost, or the empty slot where it would go. */
static vt_u64 gt_find(const struct arc *st, vt_u64 key)
{
   vt_u64 i = gt_home(st, key);
   while (st->gtab[i] != GT_EMPTY && st->g[st->gtab[i]].key != key)
      i = gt_next(st, i);
   return i;
}

static void gt_del(struct arc *st, vt_u64 key)
{
   vt_u64 i = gt_find(st, key), cap = st->gcap;
   VT_ASSERT(st->gtab[i] != GT_EMPTY);
   /* Backward shift: j's entry moves to i unless its home lies in (i, j]. */
   for (vt_u64 j = gt_next(st, i); st->gtab[j] != GT_EMPTY; j = gt_next(st, j)) {
      vt_u64 h = gt_home(st, st->g[st->gtab[j]].key);
      if ((j + cap - h) % cap >= (j + cap - i) % cap) {
         st->gtab[i] = st->gtab[j];
         i = j;
      }
   }
   st->gtab[i] = GT_EMPTY;
}

static int ghost_list(const struct arc *st, vt_u64 key, uint32_t *gi)
{
   if (st->gidx) {
      if (!st->gidx[key])
         return 0;
      *gi = st->gidx[key] - 1;
      return st->gl[*gi];
   }
   if (!st->gtab)
      return 0;
   uint32_t i = st->gtab[gt_find(st, key)];
   if (i == GT_EMPTY)
      return 0;
   *gi = i;
   return st->gl[i];
}

static void ghost_del(struct arc *st, uint32_t i)
{
   struct ghost *g = &st->g[i];
   struct glist *l = &st->b[st->gl[i]];
   if (g->prev == NONE)
      l->head = g->next;
   else
      st->g[g->prev].next = g->next;
   if (g->next == NONE)
      l->tail = g->prev;
   else
      st->g[g->next].prev = g->prev;
   l->n--;
   if (st->gidx)
      st->gidx[g->key] = 0;
   else
      gt_del(st, g->key);
   st->gl[i] = 0;
   g->next = st->gfree;
   st->gfree = i;
}

static void ghost_add(struct arc *st, int list, vt_u64 key)
{
   if (st->gfree == NONE) {             /* the pool grows on demand */
      uint32_t n = st->ng ? 2 * st->ng : 16;
      VT_ASSERT(st->ng < NONE / 4);
      st->g = vt_realloc_array(st->g, st->ng, n, sizeof *st->g);
      st->gl = vt_realloc_array(st->gl, st->ng, n, sizeof *st->gl);
      for (uint32_t j = st->ng; j < n; j++) {
         st->g[j].next = j + 1 < n ? j + 1 : NONE;
         st->gl[j] = 0;
      }
      st->gfree = st->ng;
      st->ng = n;
      if (!st->gidx) {                  /* the table, made anew */
         vt_free(st->gtab);
         st->gcap = 2 * (vt_u64)n;
         st->gtab = vt_alloc((size_t)st->gcap * sizeof *st->gtab);
         vt_memset(st->gtab, 0xff, (size_t)st->gcap * sizeof *st->gtab);
         for (uint32_t j = 0; j < st->gfree; j++)
            if (st->gl[j])
               st->gtab[gt_find(st, st->g[j].key)] = j;
      }
   }
   uint32_t i = st->gfree;
   struct ghost *g = &st->g[i];
   struct glist *l = &st->b[list];
   st->gfree = g->next;
   g->key = key;
   st->gl[i] = (uint8_t)list;
   g->next = NONE;
   g->prev = l->tail;
   if (l->tail == NONE)
      l->head = i;
   else
      st->g[l->tail].next = i;
   l->tail = i;
   l->n++;
   if (st->gidx)
      st->gidx[key] = i + 1;
   else
      st->gtab[gt_find(st, key)] = i;
}

static void ghost_drop_lru(struct arc *st, int list)
{
   if (st->b[list].n)
      ghost_del(st, st->b[list].head);
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
   st->in[f] = IN_T2;
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
   st->in[f] = IN_T1;
   vt_flist_push_tail(st->base.fr, &st->t1, f);
}

static void res_del(struct arc *st, uint32_t f)
{
   if (st->in[f] == IN_T1)
      vt_flist_del(st->base.fr, &st->t1, f);
   else if (st->t2_heap)
      vt_fheap_del(&st->t2, f);
   else
      vt_flist_del(st->base.fr, &st->t2l, f);
   st->in[f] = 0;
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
      ghost_add(st, from, st->base.fr[f].key);
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
      ghost_del(st, gi);
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
   if (st->in[f] == IN_T1) {
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
   return ((const struct arc *)v)->in[f];
}

const struct vt_policy_ops vt_policy_arc = {
   .frame_word = arc_word,
   .name = "arc", .needs = VT_POL_EVERY, .create = arc_create, .destroy = arc_destroy,
   .insert = arc_insert, .reference = arc_reference, .remove = arc_remove,
   .victim = arc_victim,
};
