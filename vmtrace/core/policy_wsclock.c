/* policy_wsclock.c: WSCLOCK replacement (Carr and Hennessy, 1981).

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   The working-set clock: the resident pages form a ring in the order they
   were brought in (as CLOCK's), and each page keeps its "time of last use"
   (struct wnode's use), the virtual time when it was brought in or when the
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
   Parameter: tau (0: every page not referenced since the hand's last pass
   is old).

   The sweep as written costs the whole ring at every fault where few pages
   are older than tau (working set larger than RAM: every fault goes round
   the ring; xz -9 at --ram=4M took 132 s of CPU for 1,024 frames).  Only
   two kinds of page make the hand do anything: referenced ones (cleared)
   and old unreferenced ones (written back or taken); the others are passed
   over, and count only for the fallback.  So while every frame is evictable
   (vt_sim_all_evictable: nothing locked, swap unlimited) and time does not
   go back, the victim is found without walking the ring, with the same
   answer, in O(1) steps a fault amortised:
     - the ring is kept in slots: each frame has one, increasing round the
       ring from any point (cyclically), with free slots between (twice
       as many slots as frames allocated); a bitmap (BM_OCC, with a
       summary bit over each word at every level, so that the next set
       bit is a few word reads away) finds the next frame round the ring.
       A frame enters just behind the hand, in the free slot after the
       frame there (after a victim, the victim's).  Without one (a frame
       enters without a victim while frames left elsewhere: munmap,
       exit), the frames between the nearest free slots behind and the
       hand move back over them (make_room(): if they are at most half
       the ring and those free slots at least a quarter of all), else
       every frame is placed afresh from the hand with every free slot
       behind it (relabel(), also when the frames grow).  Such an entry
       costs O(frames) at worst; the entries after it at the same hand
       find room at once;
     - BM_ACT: the frames the hand acts on (referenced, or old): the hand
       goes from one to the next set bit from its slot, at most once
       round;
     - by_use: every frame in the order of its time of last use, a queue:
       a new time is always the latest, so a frame given one goes to its
       tail.  Frames are old from its head up to `young', which aging
       moves on (each frame is found old once);
     - the fallback, after a whole turn: if any frame is old, every one
       was met in the turn and, unreferenced and not taken, dirty: written
       back, so now clean, and used before any young frame: the first old
       frame by (time of last use, place from the hand).  Else no frame
       was written back since it was given its time of last use, so every
       clean frame is on the clean list, a second queue by time of last
       use that a frame joins when given one if it is clean (those found
       dirty since leave it when met).  Ties: the frames of the queue's
       first time (cleared at one fault, or at several faults at one time)
       are marked in a bitmap of their own (BM_GRP_USE, BM_GRP_CLEAN: once
       per frame and time), and the first of them from the hand is the
       next set bit from the hand's slot;
     - else the frame under the hand.
   Each step is paid for by the reference that set a bit, by the write
   that made a page dirty, by the frame growing old or by the fault
   itself.  With a locked frame or limited swap the hand sweeps as written
   (the lists and bitmaps are kept up to date either way), and after time
   went back (a trace's times), always.  tests/sim compares both
   with a naive model, with times shared by several references.

   Memory: 28 bytes a frame (the time of last use, the slot, the clean
   list's links, and two slots' frames), vt_pframe.link[] for by_use, five
   bits of vt_pframe.pbits, and the four bitmaps over two slots a frame
   with their summaries (about one byte).  It was 32 with two treaps (0.84
   us a fault with eviction in vmtrace-sim's benchmark, half of it in the
   treaps; 0.12 now). */

#include "vt_sim.h"

#define NIL VT_SIM_NO_FRAME

/* vt_pframe.pbits */
#define IN_REF   1u                  /* referenced, as reference() told */
#define IN_OLD   2u                  /* found old by age() */
#define IN_USE   4u                  /* on the list by time of last use */
#define IN_CLEAN 8u                  /* on the list of clean frames */
#define WAS_ACT  16u                 /* relabel(): was in BM_ACT */

/* The bitmaps, over slots. */
enum { BM_OCC, BM_ACT, BM_GRP_USE, BM_GRP_CLEAN, NR_BMS };
/* The two lists by time of last use (and their groups of equal times). */
enum { K_USE, K_CLEAN };

struct wnode {
   uint32_t slot;                    /* the frame's place round the ring */
   uint32_t clink[2];                /* the clean list (prev, next) */
};

#define BM_LEVELS 6                  /* 64^6 bits: more than 2^32 slots */
struct bm {
   vt_u64  *w[BM_LEVELS];            /* level 0: a bit a slot; level l+1:
                                        a bit a non-zero word of level l */
   uint32_t nw[BM_LEVELS];
   int      levels;
};

struct wsc {
   struct vt_policy base;
   vt_u64           tau;
   struct wnode    *n;               /* by frame */
   vt_u64          *use;             /* by frame: the time of last use */
   uint32_t        *at;              /* by slot: its frame, or NIL */
   uint32_t         cap;             /* slots: twice the frames allocated */
   uint32_t         nr;              /* frames on the ring */
   uint32_t         hand;            /* a frame, or NIL */
   struct bm        bm[NR_BMS];
   vt_u64          *bm_mem;
   struct vt_flist  by_use;          /* every frame by time of last use,
                                        through vt_pframe.link[] */
   uint32_t         young;           /* the first of by_use not found old */
   uint32_t         chead, ctail;    /* the clean list */
   bool             grp[2];          /* BM_GRP_* holds the group ... */
   vt_u64           grp_use[2];      /* ... of this time of last use */
   vt_u64           last_use;        /* the latest time of last use given */
   bool             disordered;      /* time went back: sweep as written */
};

static inline unsigned pb(const struct wsc *st, uint32_t f)
{
   return st->base.fr[f].pbits;
}

static inline void pb_set(struct wsc *st, uint32_t f, unsigned bits, bool on)
{
   unsigned v = st->base.fr[f].pbits;
   st->base.fr[f].pbits = on ? (v | bits) : (v & ~bits);
}

/* ---- bitmaps with a summary above each level ---- */

static size_t bm_layout(struct bm *b, uint32_t bits, vt_u64 *mem)
{
   size_t total = 0;
   vt_u64 n = bits ? bits : 1;
   b->levels = 0;
   do {
      n = (n + 63) / 64;
      VT_ASSERT(b->levels < BM_LEVELS);
      b->nw[b->levels] = (uint32_t)n;
      b->w[b->levels] = mem ? mem + total : NULL;
      b->levels++;
      total += n;
   } while (n > 1);
   return total;
}

static inline bool bm_test(const struct bm *b, uint32_t i)
{
   return (b->w[0][i >> 6] >> (i & 63)) & 1;
}

static void bm_set(struct bm *b, uint32_t i)
{
   for (int l = 0; l < b->levels; l++) {
      vt_u64 was = b->w[l][i >> 6];
      b->w[l][i >> 6] = was | (vt_u64)1 << (i & 63);
      if (was)
         return;
      i >>= 6;
   }
}

static void bm_clear(struct bm *b, uint32_t i)
{
   for (int l = 0; l < b->levels; l++) {
      vt_u64 v = b->w[l][i >> 6] & ~((vt_u64)1 << (i & 63));
      b->w[l][i >> 6] = v;
      if (v)
         return;
      i >>= 6;
   }
}

/* The first set bit at or after i; NIL if none. */
static uint32_t bm_next(const struct bm *b, uint32_t i)
{
   int l = 0;
   vt_u64 x = i;
   for (;;) {
      vt_u64 w = x >> 6;
      if (w >= b->nw[l])
         return NIL;
      vt_u64 m = b->w[l][w] & (~(vt_u64)0 << (x & 63));
      if (m) {
         x = (w << 6) + (vt_u64)__builtin_ctzll(m);
         break;
      }
      if (++l == b->levels)
         return NIL;
      x = w + 1;
   }
   while (l-- > 0)
      x = (x << 6) + (vt_u64)__builtin_ctzll(b->w[l][x]);
   return (uint32_t)x;
}

/* The last set bit at or before i; NIL if none. */
static uint32_t bm_prev(const struct bm *b, uint32_t i)
{
   int l = 0;
   vt_u64 x = i;
   for (;;) {
      vt_u64 w = x >> 6;
      vt_u64 m = b->w[l][w] & (~(vt_u64)0 >> (63 - (x & 63)));
      if (m) {
         x = (w << 6) + 63 - (vt_u64)__builtin_clzll(m);
         break;
      }
      if (w == 0 || ++l == b->levels)
         return NIL;
      x = w - 1;
   }
   while (l-- > 0)
      x = (x << 6) + 63 - (vt_u64)__builtin_clzll(b->w[l][x]);
   return (uint32_t)x;
}

/* The last clear bit of level 0 at or before i; NIL if none. */
static uint32_t bm_prev_zero(const struct bm *b, uint32_t i)
{
   uint32_t w = i >> 6;
   vt_u64 m = ~b->w[0][w] & (~(vt_u64)0 >> (63 - (i & 63)));
   for (;;) {
      if (m)
         return (w << 6) + 63 - (uint32_t)__builtin_clzll(m);
      if (w == 0)
         return NIL;
      m = ~b->w[0][--w];
   }
}

/* Round the ring: the first set bit at or after i, wrapping. */
static inline uint32_t bm_next_wrap(const struct bm *b, uint32_t i)
{
   uint32_t s = bm_next(b, i);
   return s != NIL || i == 0 ? s : bm_next(b, 0);
}

/* The bitmaps for cap slots, all clear. */
static void bm_alloc(struct wsc *st, uint32_t cap)
{
   size_t words = 0;
   for (int i = 0; i < NR_BMS; i++)
      words += bm_layout(&st->bm[i], cap, NULL);
   vt_free(st->bm_mem);
   st->bm_mem = vt_alloc(words * sizeof(vt_u64));
   vt_memset(st->bm_mem, 0, words * sizeof(vt_u64));
   words = 0;
   for (int i = 0; i < NR_BMS; i++)
      words += bm_layout(&st->bm[i], cap, st->bm_mem + words);
   st->cap = cap;
}

/* ---- the two lists by time of last use, and their groups ---- */

static inline uint32_t k_head(const struct wsc *st, int k)
{
   return k == K_USE ? st->by_use.head : st->chead;
}

static inline uint32_t k_next(const struct wsc *st, int k, uint32_t f)
{
   return k == K_USE ? st->base.fr[f].link[1] : st->n[f].clink[1];
}

/* f joins or leaves list k: its bit in k's group, if it is of it. */
static inline void grp_mark(struct wsc *st, int k, uint32_t f, bool on)
{
   if (st->grp[k] && st->use[f] == st->grp_use[k]) {
      if (on)
         bm_set(&st->bm[BM_GRP_USE + k], st->n[f].slot);
      else
         bm_clear(&st->bm[BM_GRP_USE + k], st->n[f].slot);
   }
}

/* BM_GRP_k becomes the frames of list k used at t (the list's first
   ones: no frame is given an earlier time while time does not go back,
   so the group held before, if any is left of it, is there too). */
static void grp_load(struct wsc *st, int k, vt_u64 t)
{
   if (st->grp[k] && st->grp_use[k] == t)
      return;
   struct bm *b = &st->bm[BM_GRP_USE + k];
   if (st->grp[k])
      for (uint32_t f = k_head(st, k); f != NIL && st->use[f] <= st->grp_use[k];
           f = k_next(st, k, f))
         if (st->use[f] == st->grp_use[k])
            bm_clear(b, st->n[f].slot);
   for (uint32_t f = k_head(st, k); f != NIL && st->use[f] == t; f = k_next(st, k, f))
      bm_set(b, st->n[f].slot);
   st->grp[k] = true;
   st->grp_use[k] = t;
}

static void clean_del(struct wsc *st, uint32_t f)
{
   struct wnode *n = st->n;
   grp_mark(st, K_CLEAN, f, false);
   uint32_t p = n[f].clink[0], x = n[f].clink[1];
   if (p == NIL)
      st->chead = x;
   else
      n[p].clink[1] = x;
   if (x == NIL)
      st->ctail = p;
   else
      n[x].clink[0] = p;
   pb_set(st, f, IN_CLEAN, false);
}

static void clean_add(struct wsc *st, uint32_t f)
{
   struct wnode *n = st->n;
   n[f].clink[0] = st->ctail;
   n[f].clink[1] = NIL;
   if (st->ctail == NIL)
      st->chead = f;
   else
      n[st->ctail].clink[1] = f;
   st->ctail = f;
   pb_set(st, f, IN_CLEAN, true);
   grp_mark(st, K_CLEAN, f, true);
}

static void use_del(struct wsc *st, uint32_t f)
{
   grp_mark(st, K_USE, f, false);
   if (st->young == f)
      st->young = st->base.fr[f].link[1];
   vt_flist_del(st->base.fr, &st->by_use, f);
   pb_set(st, f, IN_USE, false);
}

/* ---- the frame's state ---- */

/* Is f one the hand acts on (referenced, or old)?  Then in BM_ACT. */
static void act_update(struct wsc *st, uint32_t f)
{
   if (pb(st, f) & (IN_REF | IN_OLD))
      bm_set(&st->bm[BM_ACT], st->n[f].slot);
   else
      bm_clear(&st->bm[BM_ACT], st->n[f].slot);
}

/* f's time of last use becomes t: it is young again, last by that time,
   and on the clean list if it is clean. */
static void set_use(struct wsc *st, uint32_t f, vt_u64 t)
{
   if (pb(st, f) & IN_USE)
      use_del(st, f);
   if (pb(st, f) & IN_CLEAN)
      clean_del(st, f);
   pb_set(st, f, IN_OLD, false);
   act_update(st, f);
   if (t < st->last_use)
      st->disordered = true;
   else
      st->last_use = t;
   st->use[f] = t;
   vt_flist_push_tail(st->base.fr, &st->by_use, f);
   pb_set(st, f, IN_USE, true);
   if (st->young == NIL)
      st->young = f;
   grp_mark(st, K_USE, f, true);
   if (vt_sim_clean(st->base.s, f))
      clean_add(st, f);
}

/* f leaves the lists and the ring. */
static void detach(struct wsc *st, uint32_t f)
{
   if (pb(st, f) & IN_USE)
      use_del(st, f);
   if (pb(st, f) & IN_CLEAN)
      clean_del(st, f);
   uint32_t s = st->n[f].slot;
   bm_clear(&st->bm[BM_ACT], s);
   bm_clear(&st->bm[BM_OCC], s);
   st->at[s] = NIL;
   st->base.fr[f].pbits = 0;
   if (--st->nr == 0)
      st->hand = NIL;
   else if (st->hand == f)
      st->hand = st->at[bm_next_wrap(&st->bm[BM_OCC], s)];
}

/* The hand clears f's referenced bit. */
static void wsc_clear(struct wsc *st, uint32_t f, vt_u64 now)
{
   vt_sim_clear_referenced(st->base.s, f);
   pb_set(st, f, IN_REF, false);
   set_use(st, f, now);
}

/* The hand schedules f's write: f, old, stays off the clean list (while
   time does not go back, every old frame is clean after a turn without
   a victim: wsc_victim looks for them on by_use). */
static void wsc_writeback(struct wsc *st, uint32_t f)
{
   vt_sim_writeback(st->base.s, f);
}

/* Frames whose time of last use is more than tau ago are old: those of
   by_use from young on, in order, up to now - tau - 1. */
static void age(struct wsc *st, vt_u64 now)
{
   if (now <= st->tau)
      return;
   vt_u64 upto = now - st->tau - 1;
   uint32_t f = st->young;
   while (f != NIL && st->use[f] <= upto) {
      pb_set(st, f, IN_OLD, true);
      bm_set(&st->bm[BM_ACT], st->n[f].slot);
      f = st->base.fr[f].link[1];
   }
   st->young = f;
}

/* ---- slots ---- */

/* Every frame placed afresh in slots 0, 1, ... from the hand, for cap
   slots (the free ones after the frame just behind the hand); the
   bitmaps rebuilt, the groups dropped. */
static void relabel(struct wsc *st, uint32_t cap)
{
   uint32_t n = st->nr;
   uint32_t *order = vt_alloc((size_t)(n ? n : 1) * sizeof *order);
   uint32_t s = n ? st->n[st->hand].slot : 0;
   for (uint32_t i = 0; i < n; i++) {
      s = bm_next_wrap(&st->bm[BM_OCC], s);
      uint32_t f = st->at[s];
      order[i] = f;
      pb_set(st, f, WAS_ACT, bm_test(&st->bm[BM_ACT], s));
      s = s + 1 == st->cap ? 0 : s + 1;
   }
   if (cap != st->cap)
      bm_alloc(st, cap);
   for (int i = 0; i < NR_BMS; i++)
      for (int l = 0; l < st->bm[i].levels; l++)
         vt_memset(st->bm[i].w[l], 0, st->bm[i].nw[l] * sizeof(vt_u64));
   st->grp[K_USE] = st->grp[K_CLEAN] = false;
   for (uint32_t i = 0; i < cap; i++)
      st->at[i] = NIL;
   for (uint32_t i = 0; i < n; i++) {
      uint32_t f = order[i];
      st->n[f].slot = i;
      st->at[i] = f;
      bm_set(&st->bm[BM_OCC], i);
      if (pb(st, f) & WAS_ACT)
         bm_set(&st->bm[BM_ACT], i);
      pb_set(st, f, WAS_ACT, false);
   }
   vt_free(order);
}

/* Frame f moves to free slot b, with its bits. */
static void move_slot(struct wsc *st, uint32_t f, uint32_t b)
{
   uint32_t a = st->n[f].slot;
   for (int i = 0; i < NR_BMS; i++)
      if (bm_test(&st->bm[i], a)) {
         bm_clear(&st->bm[i], a);
         bm_set(&st->bm[i], b);
      }
   st->at[a] = NIL;
   st->at[b] = f;
   st->n[f].slot = b;
}

/* The slot behind the hand is taken (frames left elsewhere, and a frame
   enters without a victim): the frames from the free slots nearest
   behind up to the hand move back over those free slots, if they are
   fewer than half the ring and the free slots there a quarter of them
   all (a relabel leaves at least half the slots free behind the hand, as
   twice as many slots as frames are kept); else every frame is placed
   afresh. */
static void make_room(struct wsc *st, uint32_t ps)
{
   uint32_t cap = st->cap;
   uint32_t q = bm_prev_zero(&st->bm[BM_OCC], ps);
   if (q == NIL)
      q = bm_prev_zero(&st->bm[BM_OCC], cap - 1);
   uint32_t o = bm_prev(&st->bm[BM_OCC], q);
   if (o == NIL)
      o = bm_prev(&st->bm[BM_OCC], cap - 1);
   uint32_t g = (q + cap - o) % cap, r = (ps + cap - q) % cap;
   if (r > st->nr / 2 || g < (cap - st->nr) / 4) {
      relabel(st, cap);
      return;
   }
   for (uint32_t i = 0, a = (q + 1) % cap; i < r; i++, a = (a + 1) % cap)
      move_slot(st, st->at[a], (a + cap - g) % cap);
}

/* f enters the ring just behind the hand (the hand stays). */
static void ring_insert(struct wsc *st, uint32_t f)
{
   uint32_t s;
   if (st->hand == NIL) {
      s = 0;
      st->hand = f;
   } else {
      for (;;) {
         /* the frame just behind the hand: the free slot after it */
         uint32_t hs = st->n[st->hand].slot;
         uint32_t p = hs ? bm_prev(&st->bm[BM_OCC], hs - 1) : NIL;
         if (p == NIL)
            p = bm_prev(&st->bm[BM_OCC], st->cap - 1);
         s = p + 1 == st->cap ? 0 : p + 1;
         if (s != hs)
            break;
         make_room(st, p);
      }
   }
   VT_ASSERT(st->at[s] == NIL);
   st->n[f].slot = s;
   st->at[s] = f;
   bm_set(&st->bm[BM_OCC], s);
   st->nr++;
}

/* ---- ops ---- */

static void *wsc_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   struct wsc *st = vt_policy_new(s, nr_frames, sizeof *st);
   vt_policy_frame_array(&st->base, &st->n, sizeof *st->n);
   vt_policy_frame_array(&st->base, &st->use, sizeof *st->use);
   vt_policy_frame_array(&st->base, &st->at, 2 * sizeof *st->at);
   st->tau = p->tau;
   st->hand = st->young = st->chead = st->ctail = NIL;
   vt_flist_init(&st->by_use);
   uint32_t cap = 2 * (nr_frames ? nr_frames : 1);
   bm_alloc(st, cap);
   for (uint32_t i = 0; i < cap; i++)
      st->at[i] = NIL;
   return st;
}

static void wsc_grow(void *v, uint32_t nr_frames)
{
   struct wsc *st = v;
   vt_policy_grow(st, nr_frames);
   relabel(st, 2 * nr_frames);
}

static void wsc_destroy(void *v)
{
   struct wsc *st = v;
   vt_free(st->bm_mem);
   vt_policy_destroy(st);
}

static void wsc_insert(void *v, uint32_t f)
{
   struct wsc *st = v;
   struct vt_pframe *fr = &st->base.fr[f];
   fr->pbits = 0;
   ring_insert(st, f);
   set_use(st, f, vt_sim_incoming_time(st->base.s));
   if (fr->referenced) {
      pb_set(st, f, IN_REF, true);
      act_update(st, f);
   }
}

static void wsc_reference(void *v, uint32_t f)
{
   struct wsc *st = v;
   if (st->base.fr[f].referenced) {
      pb_set(st, f, IN_REF, true);
      act_update(st, f);
   }
}

static void wsc_remove(void *v, uint32_t f)
{
   detach(v, f);
}

/* f is the victim: the hand stops just past it. */
static uint32_t wsc_take(struct wsc *st, uint32_t f)
{
   st->hand = f;
   detach(st, f);
   return f;
}

/* The sweep as written: with locked frames, or limited swap. */
static uint32_t victim_sweep(struct wsc *st, vt_u64 now)
{
   uint32_t n = st->nr, f = st->hand;
   /* The fallback is found during the turn: a page's state after the hand
      passed it does not change later in the same turn. */
   uint32_t best = NIL, first = NIL;
   for (uint32_t i = 0; i < n; i++) {
      uint32_t s = st->n[f].slot + 1;
      uint32_t next = st->at[bm_next_wrap(&st->bm[BM_OCC], s == st->cap ? 0 : s)];
      struct vt_pframe *fr = &st->base.fr[f];
      if (vt_sim_evictable(st->base.s, f)) {
         if (fr->referenced) {
            wsc_clear(st, f, now);
         } else if (now - st->use[f] > st->tau) {
            if (vt_sim_clean(st->base.s, f))
               return wsc_take(st, f);
            wsc_writeback(st, f);
         }
         if (first == NIL)
            first = f;
         if (vt_sim_clean(st->base.s, f) &&
             (best == NIL || st->use[f] < st->use[best]))
            best = f;
      }
      f = next;
   }
   /* A whole turn without a victim: the oldest clean page (which includes
      those written back in this turn), else the first from the hand. */
   if (best == NIL)
      best = first;
   if (best == NIL)
      return best;
   return wsc_take(st, best);
}

/* After a turn without a victim: the first clean frame by (time of last
   use, place from the hand at slot hs). */
static uint32_t oldest_clean(struct wsc *st, uint32_t hs)
{
   uint32_t f = st->by_use.head;
   if (f != NIL && (pb(st, f) & IN_OLD)) {
      /* Every old frame was met in the turn and, unreferenced, dirty
         (else it would be the victim): it was written back.  The old
         frames are the clean ones used longest ago. */
      grp_load(st, K_USE, st->use[f]);
      f = st->at[bm_next_wrap(&st->bm[BM_GRP_USE], hs)];
      VT_ASSERT(vt_sim_clean(st->base.s, f));
      return f;
   }
   /* No frame is old, so none was written back since its time of last
      use was given: every clean frame is on the clean list. */
   for (;;) {
      while ((f = st->chead) != NIL && !vt_sim_clean(st->base.s, f))
         clean_del(st, f);                /* written since */
      if (f == NIL)
         return NIL;
      grp_load(st, K_CLEAN, st->use[f]);
      f = st->at[bm_next_wrap(&st->bm[BM_GRP_CLEAN], hs)];
      if (vt_sim_clean(st->base.s, f))
         return f;
      clean_del(st, f);
   }
}

static uint32_t wsc_victim(void *v, vt_u64 now)
{
   struct wsc *st = v;
   uint32_t h = st->hand;
   if (now < st->last_use)
      st->disordered = true;
   if (st->disordered || !vt_sim_all_evictable(st->base.s))
      return victim_sweep(st, now);
   if (h == NIL)
      return NIL;
   age(st, now);
   uint32_t hs = st->n[h].slot;
   /* The hand's walk over the frames it acts on, from the hand, at most
      once round: a referenced one is cleared (and leaves the set), an old
      unreferenced dirty one written back, an old unreferenced clean one
      is the victim. */
   const struct bm *act = &st->bm[BM_ACT];
   uint32_t s = bm_next(act, hs);
   bool wrapped = false;
   for (;;) {
      if (s == NIL) {
         if (wrapped || hs == 0)
            break;
         wrapped = true;
         s = bm_next(act, 0);
         continue;
      }
      if (wrapped && s >= hs)
         break;                           /* a whole turn */
      uint32_t f = st->at[s];
      if (st->base.fr[f].referenced) {
         wsc_clear(st, f, now);
      } else if (pb(st, f) & IN_OLD) {
         if (vt_sim_clean(st->base.s, f))
            return wsc_take(st, f);
         wsc_writeback(st, f);
      } else {
         pb_set(st, f, IN_REF, false);    /* cleared by the simulation */
         act_update(st, f);
      }
      s = s + 1 < st->cap ? bm_next(act, s + 1) : NIL;
   }
   uint32_t victim = oldest_clean(st, hs);
   if (victim == NIL)
      victim = h;
   return wsc_take(st, victim);
}

static const struct vt_policy_param wsc_params[] = {
   VT_POLICY_PARAM("wsclock-tau", tau, 1000000, 0, ~0ull,
                   "WSClock working-set window, instructions"),
};

static vt_u64 wsc_word(const void *v, uint32_t f)
{
   return ((const struct wsc *)v)->use[f];
}

const struct vt_policy_ops vt_policy_wsclock = {
   .frame_word = wsc_word,
   .name = "wsclock", .needs = VT_POL_REFBIT, .create = wsc_create, .insert = wsc_insert,
   .reference = wsc_reference, .remove = wsc_remove, .victim = wsc_victim,
   .grow = wsc_grow, .destroy = wsc_destroy,
   .params = wsc_params, .nr_params = 1,
};
