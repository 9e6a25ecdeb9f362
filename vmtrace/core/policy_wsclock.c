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
   (vt_sim_all_evictable: nothing locked, swap unlimited) the victim is
   found without walking the ring, with the same answer:
     - each frame has a label, increasing round the ring from any point
       (cyclically, in 64 bits); the order "from the hand" compares labels
       minus the hand's.  A frame enters just behind the hand, between two
       labels (all frames are labelled again when there is no room: rare);
     - the frames whose time of last use is within tau of now are on a
       list in the order that time was given (it only grows), and move to
       the set of old frames as now passes it plus tau;
     - three ordered sets (treaps on the labels): referenced frames, old
       frames, and frames that may be clean (by time of last use, then
       label; one found dirty since is dropped when met);
     - the victim is the first old frame from the hand that is
       unreferenced and clean; the old dirty unreferenced ones before it are
       written back, the referenced frames before it cleared; without one,
       every referenced frame is cleared and the fallback is the first
       clean frame by (time of last use, label from the hand), else the
       frame under the hand.
   Each step is O(log n), paid for by the reference that set a bit, by the
   write that made a page dirty or by the fault itself.  With a locked
   frame or limited swap the hand sweeps as written (the sets are kept up
   to date either way).  tests/sim compares both with a naive model. */

#include "vt_sim.h"

#define NIL VT_SIM_NO_FRAME

enum { T_REF, T_OLD, T_CLEAN, NR_TREES };
#define IN_YOUNG 8u                  /* on the list of young frames */
#define LABEL_STEP ((vt_u64)1 << 32) /* room left after a frame entering */

struct wnode {
   vt_u64   label;                   /* position round the ring */
   uint32_t yl[2];                   /* young list: prev, next */
   uint32_t kid[NR_TREES][2];        /* treap children */
   uint32_t in;                      /* 1 << tree, IN_YOUNG */
   vt_u64   use;                     /* time of last use */
};

struct wsc {
   struct vt_policy base;
   struct vt_fring  ring;
   vt_u64           tau;
   struct wnode    *n;
   uint32_t         root[NR_TREES];
   uint32_t         yhead, ytail;    /* young list, by time of last use */
   vt_u64           last_use;        /* the latest time of last use given */
   bool             disordered;      /* time went back: sweep as written */
};

/* ---- treaps of frames (priority: a hash of the frame) ---- */

static inline uint32_t prio(uint32_t f)
{
   return (uint32_t)(((vt_u64)f + 1) * 0x9E3779B97F4A7C15ull >> 32);
}

/* The key of f in tree t: (label, 0), or (time of last use, label). */
static inline void key_of(const struct wsc *st, int t, uint32_t f, vt_u64 *a, vt_u64 *b)
{
   if (t == T_CLEAN) {
      *a = st->n[f].use;
      *b = st->n[f].label;
   } else {
      *a = st->n[f].label;
      *b = 0;
   }
}

/* key(f) < (a, b)? */
static inline bool key_less(const struct wsc *st, int t, uint32_t f, vt_u64 a, vt_u64 b)
{
   vt_u64 x, y;
   key_of(st, t, f, &x, &y);
   return x != a ? x < a : y < b;
}

/* p split into keys below (a, b) and the rest. */
static void t_split(struct wsc *st, int t, uint32_t p, vt_u64 a, vt_u64 b,
                    uint32_t *l, uint32_t *r)
{
   if (p == NIL) {
      *l = *r = NIL;
   } else if (key_less(st, t, p, a, b)) {
      t_split(st, t, st->n[p].kid[t][1], a, b, &st->n[p].kid[t][1], r);
      *l = p;
   } else {
      t_split(st, t, st->n[p].kid[t][0], a, b, l, &st->n[p].kid[t][0]);
      *r = p;
   }
}

/* Every key of x below every key of y. */
static uint32_t t_merge(struct wsc *st, int t, uint32_t x, uint32_t y)
{
   if (x == NIL)
      return y;
   if (y == NIL)
      return x;
   if (prio(x) > prio(y)) {
      st->n[x].kid[t][1] = t_merge(st, t, st->n[x].kid[t][1], y);
      return x;
   }
   st->n[y].kid[t][0] = t_merge(st, t, x, st->n[y].kid[t][0]);
   return y;
}

static uint32_t t_insert_at(struct wsc *st, int t, uint32_t p, uint32_t f,
                            vt_u64 a, vt_u64 b)
{
   if (p == NIL)
      return f;
   if (prio(f) > prio(p)) {
      t_split(st, t, p, a, b, &st->n[f].kid[t][0], &st->n[f].kid[t][1]);
      return f;
   }
   int side = key_less(st, t, p, a, b) ? 1 : 0;
   st->n[p].kid[t][side] = t_insert_at(st, t, st->n[p].kid[t][side], f, a, b);
   return p;
}

static void t_insert(struct wsc *st, int t, uint32_t f)
{
   vt_u64 a, b;
   if (st->n[f].in & (1u << t))
      return;
   key_of(st, t, f, &a, &b);
   st->n[f].kid[t][0] = st->n[f].kid[t][1] = NIL;
   st->root[t] = t_insert_at(st, t, st->root[t], f, a, b);
   st->n[f].in |= 1u << t;
}

static uint32_t t_erase_at(struct wsc *st, int t, uint32_t p, uint32_t f,
                           vt_u64 a, vt_u64 b)
{
   VT_ASSERT(p != NIL);
   if (p == f)
      return t_merge(st, t, st->n[f].kid[t][0], st->n[f].kid[t][1]);
   int side = key_less(st, t, p, a, b) ? 1 : 0;
   st->n[p].kid[t][side] = t_erase_at(st, t, st->n[p].kid[t][side], f, a, b);
   return p;
}

static void t_erase(struct wsc *st, int t, uint32_t f)
{
   vt_u64 a, b;
   if (!(st->n[f].in & (1u << t)))
      return;
   key_of(st, t, f, &a, &b);
   st->root[t] = t_erase_at(st, t, st->root[t], f, a, b);
   st->n[f].in &= ~(1u << t);
}

/* The first frame of t whose key is at least (a, b); NIL if none. */
static uint32_t t_lower_bound(const struct wsc *st, int t, vt_u64 a, vt_u64 b)
{
   uint32_t p = st->root[t], res = NIL;
   while (p != NIL) {
      if (key_less(st, t, p, a, b)) {
         p = st->n[p].kid[t][1];
      } else {
         res = p;
         p = st->n[p].kid[t][0];
      }
   }
   return res;
}

static uint32_t t_min(const struct wsc *st, int t)
{
   uint32_t p = st->root[t];
   if (p != NIL)
      while (st->n[p].kid[t][0] != NIL)
         p = st->n[p].kid[t][0];
   return p;
}

/* The first frame of a label tree at or after label l round the ring. */
static uint32_t t_from(const struct wsc *st, int t, vt_u64 l)
{
   uint32_t f = t_lower_bound(st, t, l, 0);
   return f != NIL ? f : t_min(st, t);
}

/* ---- the young list ---- */

static void young_del(struct wsc *st, uint32_t f)
{
   struct wnode *x = &st->n[f];
   if (!(x->in & IN_YOUNG))
      return;
   if (x->yl[0] == NIL)
      st->yhead = x->yl[1];
   else
      st->n[x->yl[0]].yl[1] = x->yl[1];
   if (x->yl[1] == NIL)
      st->ytail = x->yl[0];
   else
      st->n[x->yl[1]].yl[0] = x->yl[0];
   x->in &= ~IN_YOUNG;
}

static void young_push(struct wsc *st, uint32_t f)
{
   struct wnode *x = &st->n[f];
   x->yl[0] = st->ytail;
   x->yl[1] = NIL;
   if (st->ytail == NIL)
      st->yhead = f;
   else
      st->n[st->ytail].yl[1] = f;
   st->ytail = f;
   x->in |= IN_YOUNG;
}

/* ---- the frame's state ---- */

/* f's time of last use becomes t: it is young again. */
static void set_use(struct wsc *st, uint32_t f, vt_u64 t)
{
   bool clean = st->n[f].in & (1u << T_CLEAN);
   if (clean)
      t_erase(st, T_CLEAN, f);
   t_erase(st, T_OLD, f);
   young_del(st, f);
   if (t < st->last_use)
      st->disordered = true;
   else
      st->last_use = t;
   st->n[f].use = t;
   young_push(st, f);
   if (clean)
      t_insert(st, T_CLEAN, f);
}

static void detach(struct wsc *st, uint32_t f)
{
   for (int t = 0; t < NR_TREES; t++)
      t_erase(st, t, f);
   young_del(st, f);
}

/* The hand clears f's referenced bit. */
static void wsc_clear(struct wsc *st, uint32_t f, vt_u64 now)
{
   vt_sim_clear_referenced(st->base.s, f);
   t_erase(st, T_REF, f);
   set_use(st, f, now);
}

/* The hand schedules f's write. */
static void wsc_writeback(struct wsc *st, uint32_t f)
{
   vt_sim_writeback(st->base.s, f);
   if (vt_sim_clean(st->base.s, f))
      t_insert(st, T_CLEAN, f);
}

/* Frames whose time of last use is more than tau ago are old. */
static void age(struct wsc *st, vt_u64 now)
{
   while (st->yhead != NIL && now - st->n[st->yhead].use > st->tau) {
      uint32_t f = st->yhead;
      young_del(st, f);
      t_insert(st, T_OLD, f);
   }
}

/* ---- labels ---- */

/* Every frame labelled afresh, evenly from the hand; the trees rebuilt. */
static void relabel(struct wsc *st)
{
   uint32_t n = st->ring.l.n, f = st->ring.hand;
   vt_u64 step = n ? ~(vt_u64)0 / (n + 1) : 0;
   for (uint32_t i = 0; i < n; i++) {
      st->n[f].label = (vt_u64)i * step;
      f = vt_flist_next_wrap(st->base.fr, &st->ring.l, f);
   }
   uint32_t in[NR_TREES];
   for (int t = 0; t < NR_TREES; t++)
      st->root[t] = NIL;
   f = st->ring.hand;
   for (uint32_t i = 0; i < n; i++) {
      for (int t = 0; t < NR_TREES; t++) {
         in[t] = st->n[f].in & (1u << t);
         st->n[f].in &= ~(1u << t);
      }
      for (int t = 0; t < NR_TREES; t++)
         if (in[t])
            t_insert(st, t, f);
      f = vt_flist_next_wrap(st->base.fr, &st->ring.l, f);
   }
}

/* A label for a frame entering just behind the hand. */
static vt_u64 label_behind_hand(struct wsc *st)
{
   uint32_t h = st->ring.hand;
   if (h == NIL)
      return 0;
   for (;;) {
      uint32_t p = st->base.fr[h].link[0];
      if (p == NIL)
         p = st->ring.l.tail;
      vt_u64 a = st->n[p].label, gap = st->n[h].label - a;
      if (p == h)
         return a + LABEL_STEP;
      if (gap >= 2)
         return a + (gap / 2 < LABEL_STEP ? gap / 2 : LABEL_STEP);
      relabel(st);
   }
}

/* ---- ops ---- */

static void *wsc_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   struct wsc *st = vt_policy_new(s, nr_frames, sizeof *st);
   vt_policy_frame_array(&st->base, &st->n, sizeof *st->n);
   vt_fring_init(&st->ring);
   st->tau = p->tau;
   for (int t = 0; t < NR_TREES; t++)
      st->root[t] = NIL;
   st->yhead = st->ytail = NIL;
   return st;
}

static void wsc_insert(void *v, uint32_t f)
{
   struct wsc *st = v;
   struct vt_pframe *fr = &st->base.fr[f];
   st->n[f].label = label_behind_hand(st);
   st->n[f].in = 0;
   vt_fring_insert(st->base.fr, &st->ring, f);
   set_use(st, f, vt_sim_incoming_time(st->base.s));
   if (fr->referenced)
      t_insert(st, T_REF, f);
   if (vt_sim_clean(st->base.s, f))
      t_insert(st, T_CLEAN, f);
}

static void wsc_reference(void *v, uint32_t f)
{
   struct wsc *st = v;
   if (st->base.fr[f].referenced)
      t_insert(st, T_REF, f);
}

static void wsc_remove(void *v, uint32_t f)
{
   struct wsc *st = v;
   detach(st, f);
   vt_fring_del(st->base.fr, &st->ring, f);
}

/* f is the victim: the hand stops just past it. */
static uint32_t wsc_take(struct wsc *st, uint32_t f)
{
   detach(st, f);
   vt_fring_take(st->base.fr, &st->ring, f);
   return f;
}

/* The sweep as written: with locked frames, or limited swap. */
static uint32_t victim_sweep(struct wsc *st, vt_u64 now)
{
   uint32_t n = st->ring.l.n, f = st->ring.hand;
   /* The fallback is found during the turn: a page's state after the hand
      passed it does not change later in the same turn. */
   uint32_t best = NIL, first = NIL;
   for (uint32_t i = 0; i < n; i++) {
      uint32_t next = vt_flist_next_wrap(st->base.fr, &st->ring.l, f);
      struct vt_pframe *fr = &st->base.fr[f];
      if (vt_sim_evictable(st->base.s, f)) {
         if (fr->referenced) {
            wsc_clear(st, f, now);
         } else if (now - st->n[f].use > st->tau) {
            if (vt_sim_clean(st->base.s, f))
               return wsc_take(st, f);
            wsc_writeback(st, f);
         }
         if (first == NIL)
            first = f;
         if (vt_sim_clean(st->base.s, f) &&
             (best == NIL || st->n[f].use < st->n[best].use))
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

/* The first clean frame by (time of last use, label from the hand h). */
static uint32_t oldest_clean(struct wsc *st, uint32_t h)
{
   for (;;) {
      uint32_t m = t_min(st, T_CLEAN);
      if (m == NIL)
         return NIL;
      if (!vt_sim_clean(st->base.s, m)) {
         t_erase(st, T_CLEAN, m);         /* written since */
         continue;
      }
      vt_u64 t = st->n[m].use;
      uint32_t c = t_lower_bound(st, T_CLEAN, t, st->n[h].label);
      if (c == NIL || st->n[c].use != t)
         return m;                        /* only behind the hand */
      if (vt_sim_clean(st->base.s, c))
         return c;
      t_erase(st, T_CLEAN, c);
   }
}

static uint32_t wsc_victim(void *v, vt_u64 now)
{
   struct wsc *st = v;
   uint32_t h = st->ring.hand;
   if (now < st->last_use)
      st->disordered = true;
   if (st->disordered || !vt_sim_all_evictable(st->base.s))
      return victim_sweep(st, now);
   if (h == NIL)
      return NIL;
   age(st, now);
   vt_u64 hl = st->n[h].label;
   /* The first old unreferenced clean frame from the hand; the dirty ones
      before it are written back.  The set of old frames does not change
      on the way. */
   uint32_t victim = NIL, start = t_from(st, T_OLD, hl);
   for (uint32_t f = start; f != NIL;) {
      if (!st->base.fr[f].referenced) {
         if (vt_sim_clean(st->base.s, f)) {
            victim = f;
            break;
         }
         wsc_writeback(st, f);
      }
      vt_u64 l = st->n[f].label;
      f = l == ~(vt_u64)0 ? NIL : t_lower_bound(st, T_OLD, l + 1, 0);
      if (f == NIL)
         f = t_min(st, T_OLD);
      if (f == start)
         break;
   }
   /* The referenced frames the hand passes (all of them in a whole turn). */
   for (;;) {
      uint32_t f = t_from(st, T_REF, hl);
      if (f == NIL ||
          (victim != NIL && st->n[f].label - hl >= st->n[victim].label - hl))
         break;
      wsc_clear(st, f, now);
   }
   if (victim == NIL)
      victim = oldest_clean(st, h);
   if (victim == NIL)
      victim = h;
   return wsc_take(st, victim);
}

static const struct vt_policy_param wsc_params[] = {
   VT_POLICY_PARAM("wsclock-tau", tau, 1000000, 1, ~0ull,
                   "WSClock working-set window, instructions"),
};

static vt_u64 wsc_word(const void *v, uint32_t f)
{
   return ((const struct wsc *)v)->n[f].use;
}

const struct vt_policy_ops vt_policy_wsclock = {
   .frame_word = wsc_word,
   .name = "wsclock", .needs = VT_POL_REFBIT, .create = wsc_create, .insert = wsc_insert,
   .reference = wsc_reference, .remove = wsc_remove, .victim = wsc_victim,
   .params = wsc_params, .nr_params = 1,
};
