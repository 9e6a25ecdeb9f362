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
     - two ordered sets (treaps): the frames the hand would act on
       (referenced, or old) by label, and every frame by (time of last use,
       label), each node knowing whether its subtree holds a frame that may
       be clean (one found dirty since is marked when met);
     - a frame is old once its time of last use is more than tau ago: the
       frames of the second set up to the last time found old are
       (aged_upto), those after it are not, so aging walks that set on
       from there;
     - the hand walks the first set from where it is: a referenced frame is
       cleared (and leaves the set), an old dirty one written back, and the
       first old unreferenced clean one is the victim; without one (a whole
       turn), the fallback is the first frame that is clean by (time of
       last use, label from the hand), else the frame under the hand.
   Each step is O(log n), paid for by the reference that set a bit, by the
   write that made a page dirty, by the frame growing old or by the fault
   itself.  With a locked frame or limited swap the hand sweeps as written
   (the sets are kept up to date either way).  tests/sim compares both with
   a naive model.

   Memory: 32 bytes a frame (two treap nodes of 8, the label, the time of
   last use) and five bits of vt_pframe.pbits.  It was 56 (a young list by
   time of last use, three treaps: referenced, old and maybe-clean frames,
   a word of flags). */

#include "vt_sim.h"

#define NIL VT_SIM_NO_FRAME

enum { T_ACT, T_USE, NR_TREES };     /* acted on (by label); all (by use) */
/* vt_pframe.pbits */
#define IN_REF   1u                  /* referenced, as reference() told */
#define IN_OLD   2u                  /* found old by age() */
#define IN_CLEAN 4u                  /* may be clean */
#define AGG_CLEAN 8u                 /* some frame of its T_USE subtree
                                        may be clean */
#define IN_TREE(t) (16u << (t))      /* in tree t */
#define LABEL_STEP ((vt_u64)1 << 32) /* room left after a frame entering */

struct wnode {
   uint32_t kid[NR_TREES][2];        /* treap children */
   vt_u64   label;                   /* position round the ring */
   vt_u64   use;                     /* time of last use */
};

struct wsc {
   struct vt_policy base;
   struct vt_fring  ring;
   vt_u64           tau;
   struct wnode    *n;
   uint32_t         root[NR_TREES];
   vt_u64           aged_upto;       /* frames used at or before it are old */
   bool             aged;            /* ... (none yet if false) */
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

/* ---- treaps of frames (priority: a hash of the frame) ---- */

static inline uint32_t prio(uint32_t f)
{
   return (uint32_t)(((vt_u64)f + 1) * 0x9E3779B97F4A7C15ull >> 32);
}

/* The key of f in tree t: (label, 0), or (time of last use, label). */
static inline void key_of(const struct wsc *st, int t, uint32_t f, vt_u64 *a, vt_u64 *b)
{
   if (t == T_USE) {
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

static inline bool agg(const struct wsc *st, uint32_t p)
{
   return p != NIL && (pb(st, p) & AGG_CLEAN);
}

/* p's T_USE aggregate from its own flag and its children's. */
static inline void pull(struct wsc *st, int t, uint32_t p)
{
   if (t != T_USE || p == NIL)
      return;
   bool c = (pb(st, p) & IN_CLEAN) || agg(st, st->n[p].kid[t][0]) ||
            agg(st, st->n[p].kid[t][1]);
   pb_set(st, p, AGG_CLEAN, c);
}

/* p split into keys below (a, b) and the rest. */
static void t_split(struct wsc *st, int t, uint32_t p, vt_u64 a, vt_u64 b,
                    uint32_t *l, uint32_t *r)
{
   if (p == NIL) {
      *l = *r = NIL;
   } else if (key_less(st, t, p, a, b)) {
      t_split(st, t, st->n[p].kid[t][1], a, b, &st->n[p].kid[t][1], r);
      pull(st, t, p);
      *l = p;
   } else {
      t_split(st, t, st->n[p].kid[t][0], a, b, l, &st->n[p].kid[t][0]);
      pull(st, t, p);
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
      pull(st, t, x);
      return x;
   }
   st->n[y].kid[t][0] = t_merge(st, t, x, st->n[y].kid[t][0]);
   pull(st, t, y);
   return y;
}

static uint32_t t_insert_at(struct wsc *st, int t, uint32_t p, uint32_t f,
                            vt_u64 a, vt_u64 b)
{
   if (p == NIL) {
      pull(st, t, f);
      return f;
   }
   if (prio(f) > prio(p)) {
      t_split(st, t, p, a, b, &st->n[f].kid[t][0], &st->n[f].kid[t][1]);
      pull(st, t, f);
      return f;
   }
   int side = key_less(st, t, p, a, b) ? 1 : 0;
   st->n[p].kid[t][side] = t_insert_at(st, t, st->n[p].kid[t][side], f, a, b);
   pull(st, t, p);
   return p;
}

static void t_insert(struct wsc *st, int t, uint32_t f)
{
   vt_u64 a, b;
   if (pb(st, f) & IN_TREE(t))
      return;
   key_of(st, t, f, &a, &b);
   st->n[f].kid[t][0] = st->n[f].kid[t][1] = NIL;
   st->root[t] = t_insert_at(st, t, st->root[t], f, a, b);
   pb_set(st, f, IN_TREE(t), true);
}

static uint32_t t_erase_at(struct wsc *st, int t, uint32_t p, uint32_t f,
                           vt_u64 a, vt_u64 b)
{
   VT_ASSERT(p != NIL);
   if (p == f)
      return t_merge(st, t, st->n[f].kid[t][0], st->n[f].kid[t][1]);
   int side = key_less(st, t, p, a, b) ? 1 : 0;
   st->n[p].kid[t][side] = t_erase_at(st, t, st->n[p].kid[t][side], f, a, b);
   pull(st, t, p);
   return p;
}

static void t_erase(struct wsc *st, int t, uint32_t f)
{
   vt_u64 a, b;
   if (!(pb(st, f) & IN_TREE(t)))
      return;
   key_of(st, t, f, &a, &b);
   st->root[t] = t_erase_at(st, t, st->root[t], f, a, b);
   pb_set(st, f, IN_TREE(t), false);
}

/* f's IN_CLEAN flag changed: the aggregates on its path again. */
static void refresh_at(struct wsc *st, uint32_t p, uint32_t f, vt_u64 a, vt_u64 b)
{
   VT_ASSERT(p != NIL);
   if (p != f)
      refresh_at(st, st->n[p].kid[T_USE][key_less(st, T_USE, p, a, b) ? 1 : 0], f, a, b);
   pull(st, T_USE, p);
}

static void set_clean_flag(struct wsc *st, uint32_t f, bool on)
{
   if (!(pb(st, f) & IN_CLEAN) == !on)
      return;
   pb_set(st, f, IN_CLEAN, on);
   if (pb(st, f) & IN_TREE(T_USE)) {
      vt_u64 a, b;
      key_of(st, T_USE, f, &a, &b);
      refresh_at(st, st->root[T_USE], f, a, b);
   }
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

/* The first frame of T_USE's subtree p that may be clean. */
static uint32_t clean_min(const struct wsc *st, uint32_t p)
{
   while (agg(st, p)) {
      uint32_t l = st->n[p].kid[T_USE][0];
      if (agg(st, l))
         p = l;
      else if (pb(st, p) & IN_CLEAN)
         return p;
      else
         p = st->n[p].kid[T_USE][1];
   }
   return NIL;
}

/* The first frame of T_USE's subtree p at or after (a, b) that may be
   clean. */
static uint32_t clean_from(const struct wsc *st, uint32_t p, vt_u64 a, vt_u64 b)
{
   if (!agg(st, p))
      return NIL;
   if (key_less(st, T_USE, p, a, b))
      return clean_from(st, st->n[p].kid[T_USE][1], a, b);
   uint32_t r = clean_from(st, st->n[p].kid[T_USE][0], a, b);
   if (r != NIL)
      return r;
   if (pb(st, p) & IN_CLEAN)
      return p;
   return clean_min(st, st->n[p].kid[T_USE][1]);
}

/* ---- the frame's state ---- */

/* Is f one the hand acts on (referenced, or old)?  Then in T_ACT. */
static void act_update(struct wsc *st, uint32_t f)
{
   if (pb(st, f) & (IN_REF | IN_OLD))
      t_insert(st, T_ACT, f);
   else
      t_erase(st, T_ACT, f);
}

/* f's time of last use becomes t: it is young again. */
static void set_use(struct wsc *st, uint32_t f, vt_u64 t)
{
   t_erase(st, T_USE, f);
   pb_set(st, f, IN_OLD, false);
   act_update(st, f);
   if (t < st->last_use)
      st->disordered = true;
   else
      st->last_use = t;
   st->n[f].use = t;
   t_insert(st, T_USE, f);
}

static void detach(struct wsc *st, uint32_t f)
{
   for (int t = 0; t < NR_TREES; t++)
      t_erase(st, t, f);
   st->base.fr[f].pbits = 0;
}

/* The hand clears f's referenced bit. */
static void wsc_clear(struct wsc *st, uint32_t f, vt_u64 now)
{
   vt_sim_clear_referenced(st->base.s, f);
   pb_set(st, f, IN_REF, false);
   set_use(st, f, now);
}

/* The hand schedules f's write. */
static void wsc_writeback(struct wsc *st, uint32_t f)
{
   vt_sim_writeback(st->base.s, f);
   if (vt_sim_clean(st->base.s, f))
      set_clean_flag(st, f, true);
}

/* Frames whose time of last use is more than tau ago are old: those of
   T_USE after aged_upto, in order, up to now - tau - 1. */
static void age(struct wsc *st, vt_u64 now)
{
   if (now <= st->tau)
      return;
   vt_u64 upto = now - st->tau - 1;
   if (st->aged && upto <= st->aged_upto)
      return;
   /* In order from the first frame used after aged_upto: the path to it
      on a stack (T_USE does not change on the way); a treap deeper than
      the stack is walked by searches instead. */
   uint32_t path[96], depth = 0, f = NIL;
   vt_u64 from = st->aged ? st->aged_upto + 1 : 0;
   bool deep = false;
   for (uint32_t p = st->root[T_USE]; p != NIL;) {
      if (key_less(st, T_USE, p, from, 0)) {
         p = st->n[p].kid[T_USE][1];
      } else {
         if (depth == 96) {
            deep = true;
            break;
         }
         path[depth++] = p;
         p = st->n[p].kid[T_USE][0];
      }
   }
   if (deep)
      depth = 0;
   f = deep ? t_lower_bound(st, T_USE, from, 0) : depth ? path[depth - 1] : NIL;
   while (f != NIL && st->n[f].use <= upto) {
      pb_set(st, f, IN_OLD, true);
      act_update(st, f);
      if (!deep) {
         /* the successor: the leftmost of f's right subtree, else the
            nearest ancestor on the stack */
         depth--;
         uint32_t p = st->n[f].kid[T_USE][1];
         while (p != NIL && depth < 96) {
            path[depth++] = p;
            p = st->n[p].kid[T_USE][0];
         }
         if (p == NIL) {
            f = depth ? path[depth - 1] : NIL;
            continue;
         }
         deep = true;
      }
      vt_u64 u = st->n[f].use, l = st->n[f].label;
      f = l == ~(vt_u64)0 ? t_lower_bound(st, T_USE, u + 1, 0)
                          : t_lower_bound(st, T_USE, u, l + 1);
   }
   st->aged_upto = upto;
   st->aged = true;
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
   unsigned in;
   for (int t = 0; t < NR_TREES; t++)
      st->root[t] = NIL;
   f = st->ring.hand;
   for (uint32_t i = 0; i < n; i++) {
      in = pb(st, f);
      for (int t = 0; t < NR_TREES; t++) {
         pb_set(st, f, IN_TREE(t), false);
         if (in & IN_TREE(t))
            t_insert(st, t, f);
      }
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
   return st;
}

static void wsc_insert(void *v, uint32_t f)
{
   struct wsc *st = v;
   struct vt_pframe *fr = &st->base.fr[f];
   st->n[f].label = label_behind_hand(st);
   fr->pbits = 0;
   vt_fring_insert(st->base.fr, &st->ring, f);
   set_use(st, f, vt_sim_incoming_time(st->base.s));
   if (fr->referenced) {
      pb_set(st, f, IN_REF, true);
      act_update(st, f);
   }
   if (vt_sim_clean(st->base.s, f))
      set_clean_flag(st, f, true);
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
      uint32_t m = clean_min(st, st->root[T_USE]);
      if (m == NIL)
         return NIL;
      if (!vt_sim_clean(st->base.s, m)) {
         set_clean_flag(st, m, false);    /* written since */
         continue;
      }
      vt_u64 t = st->n[m].use;
      uint32_t c = clean_from(st, st->root[T_USE], t, st->n[h].label);
      if (c == NIL || st->n[c].use != t)
         return m;                        /* only behind the hand */
      if (vt_sim_clean(st->base.s, c))
         return c;
      set_clean_flag(st, c, false);
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
   vt_u64 hl = st->n[h].label, dprev = 0;
   bool started = false;
   /* The hand's walk over the frames it acts on, from the hand, at most
      once round: a referenced one is cleared (and leaves the set), an old
      unreferenced dirty one written back, an old unreferenced clean one
      is the victim. */
   uint32_t victim = NIL;
   for (uint32_t f = t_from(st, T_ACT, hl); f != NIL;) {
      vt_u64 l = st->n[f].label, d = l - hl;
      if (started && d <= dprev)
         break;                           /* a whole turn */
      started = true;
      dprev = d;
      if (st->base.fr[f].referenced) {
         wsc_clear(st, f, now);
      } else if (pb(st, f) & IN_OLD) {
         if (vt_sim_clean(st->base.s, f)) {
            victim = f;
            break;
         }
         wsc_writeback(st, f);
      }
      f = l == ~(vt_u64)0 ? NIL : t_lower_bound(st, T_ACT, l + 1, 0);
      if (f == NIL)
         f = t_min(st, T_ACT);
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
