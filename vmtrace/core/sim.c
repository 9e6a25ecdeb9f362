/* sim.c: simulated physical memory: frames, swap slots, eviction and the
   classification of the faults a RAM limit adds (vt_sim.h).

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   A simulation holds ram_pages frames (0: unlimited, grown on demand, no
   policy involved: nothing is ever evicted).  Resident pages are found by
   key through a table of frame indexes (the resident table, below); free
   frames are a stack threaded through link[0].  Pages evicted and not yet
   faulted back or dropped are remembered in a second table (the "evicted
   set": whether the page is anonymous and, for a VT_POL_SHADOW policy, its
   shadow word), so a later reference is told apart as a major fault
   (VT_FC_SWAP_IN / VT_FC_FILE_MAJOR) and counted as a refault.  Accounting
   rules: docs/policies.md.

   Memory (issue 12's goals: at most 64 bytes a resident frame and 16 an
   evicted page): a frame is 24 bytes (struct vt_pframe), its reference
   history 16 more only for VT_POL_EVERY policies that read it (not OPT:
   VT_POL_NOSTAMP; struct vt_fstamp; 24 with LFU's count, vt_sim_refs),
   the resident table 8, the evicted set 10.2 to 15.2 an evicted page
   (12.8 to 16 with the 32-bit words of LINUX's shadows and ARC's ghosts,
   VT_POL_SHADOW, VT_POL_GHOSTS);
   the policies' own arrays come on top (tests/perf/sim-mem measures each,
   tests/perf/README.md has the figures).

   With a key limit (vt_sim_config.key_limit: the host numbers its pages
   densely, as vmtrace-sim does), the two hashes are arrays indexed by key
   instead: the frame + 1 of each resident page (4 bytes a page), the
   evicted set as a byte of flags a page and, once a victim leaves a
   non-zero shadow word, an array of them.  Same answers (vmtrace-sim's
   --key-map=hash runs the tables: its tests compare the two), one memory
   access where a table probes (when they were vt_hashes of 24-byte
   entries, vmtrace-sim's LRU at 100,000 pages on 10M references to 1.8M
   pages took 0.65 s instead of 2.2 s, reading the trace included, and 87
   MB instead of 242 MB). */

#include "vt_sim.h"

/* One more event of the statistics' field, unless the host collects no
   figures now (quiet). */
#define COUNT(s, field) do { if (!(s)->quiet) (s)->st.field++; } while (0)

#define EV_ANON 1u                   /* evicted set aux: swap-backed */
#define EV_OUT  2u                   /* dense evicted set: evicted */
#define EV_GONE 4u                   /* dense evicted set: a ghost only */
/* In the shadow word of a VT_POL_GHOSTS policy's entry: the page was
   dropped while evicted and is no longer evicted; the entry stays for the
   policy's word (its ghost) until the policy clears it. */
#define GHOST_GONE (1u << 31)

/* ---- the resident table: frame indexes, keys read from the frames ------

   Open addressing with linear probing, but a slot is a 4-byte frame index
   (RT_EMPTY: none): the key is the frame's.  Twice as many slots as
   frames allocated (a key's home: its Fibonacci hash scaled to them), so
   at most half full: 8 bytes a frame, made anew when the frames grow.
   Deleted with backward shift. */

#define RT_EMPTY (~(uint32_t)0)
struct rtab { uint32_t *slot; vt_u64 cap; };

/* Key's home slot among cap (at most 2^32): its Fibonacci hash, scaled. */
static inline vt_u64 tab_home(vt_u64 key, vt_u64 cap)
{
   return (((key * 0x9E3779B97F4A7C15ull) >> 32) * cap) >> 32;
}

static void rtab_alloc(struct rtab *t, uint32_t nr_frames)
{
   vt_u64 cap = 2 * (vt_u64)nr_frames;
   if (cap < 16)
      cap = 16;
   VT_ASSERT(cap <= ((vt_u64)1 << 32));
   t->slot = vt_alloc((size_t)cap * sizeof *t->slot);
   vt_memset(t->slot, 0xff, (size_t)cap * sizeof *t->slot);
   t->cap = cap;
}

static inline vt_u64 rt_next(const struct rtab *t, vt_u64 i)
{
   return i + 1 == t->cap ? 0 : i + 1;
}

static inline uint32_t rtab_get(const struct rtab *t, const struct vt_pframe *fr,
                                vt_u64 key)
{
   for (vt_u64 i = tab_home(key, t->cap);; i = rt_next(t, i)) {
      uint32_t f = t->slot[i];
      if (f == RT_EMPTY || fr[f].key == key)
         return f;
   }
}

static inline void rtab_put(struct rtab *t, vt_u64 key, uint32_t f)
{
   vt_u64 i = tab_home(key, t->cap);
   while (t->slot[i] != RT_EMPTY)
      i = rt_next(t, i);
   t->slot[i] = f;
}

static void rtab_del(struct rtab *t, const struct vt_pframe *fr, vt_u64 key)
{
   vt_u64 i = tab_home(key, t->cap), cap = t->cap;
   while (t->slot[i] == RT_EMPTY || fr[t->slot[i]].key != key) {
      VT_ASSERT(t->slot[i] != RT_EMPTY);
      i = rt_next(t, i);
   }
   /* Backward shift: a later entry of the run moves to i unless its home
      lies in (i, j]. */
   for (vt_u64 j = rt_next(t, i); t->slot[j] != RT_EMPTY; j = rt_next(t, j)) {
      vt_u64 h = tab_home(fr[t->slot[j]].key, cap);
      if ((j + cap - h) % cap >= (j + cap - i) % cap) {
         t->slot[i] = t->slot[j];
         i = j;
      }
   }
   t->slot[i] = RT_EMPTY;
}

/* ---- the evicted set: keys, a bit of EV_ANON, shadow words ---------------

   Open addressing with Robin Hood linear probing (an entry placed further
   from its home than the one in a slot takes the slot, and carries that
   one on; a lookup stops at an entry closer to its home than it would
   be), the keys in one array (VT_HASH_EMPTY: none), whether the page is in
   swap in a bitmap beside it, and the shadow words in a third array, kept
   only for a policy that reads them (VT_POL_SHADOW).  The capacity is any
   number of slots (a key's home slot: its Fibonacci hash scaled to it).
   Without shadow words it grows by half when four fifths are in use, so
   between 8/15 and 4/5 of the slots are: 10.2 to 15.2 bytes an evicted
   page.  With them (12 bytes a slot) by a quarter when 19/20 are, so
   between 19/25 and 19/20 are: 12.8 to 16 bytes an evicted page (issue
   12's 16), which Robin Hood's short probes at that load allow (plain
   linear probing, which this was, needs four times as many). */

struct etab {
   vt_u64  *key;
   uint32_t *shadow;                 /* NULL if not kept */
   vt_u64  *anon;                    /* bitmap: EV_ANON */
   vt_u64   n, cap;
   bool     shadows;
};

static inline vt_u64 etab_home(const struct etab *t, vt_u64 key)
{
   return tab_home(key, t->cap);
}

/* How far slot i is from key's home. */
static inline vt_u64 etab_dist(const struct etab *t, vt_u64 i, vt_u64 key)
{
   vt_u64 h = etab_home(t, key);
   return i >= h ? i - h : i + t->cap - h;
}

static void etab_alloc(struct etab *t, vt_u64 cap)
{
   VT_ASSERT(cap <= ((vt_u64)1 << 32));
   t->cap = cap;
   t->key = vt_alloc((size_t)cap * sizeof *t->key);
   for (vt_u64 i = 0; i < cap; i++)
      t->key[i] = VT_HASH_EMPTY;
   t->anon = vt_alloc((size_t)(cap + 63) / 64 * sizeof *t->anon);
   t->shadow = t->shadows ? vt_alloc((size_t)cap * sizeof *t->shadow) : NULL;
   t->n = 0;
}

static void etab_free(struct etab *t)
{
   vt_free(t->key);
   vt_free(t->anon);
   vt_free(t->shadow);
}

static inline unsigned etab_aux(const struct etab *t, vt_u64 i)
{
   return (t->anon[i / 64] >> (i % 64)) & 1 ? EV_ANON : 0;
}

static inline void etab_set(struct etab *t, vt_u64 i, vt_u64 key, unsigned aux,
                            uint32_t shadow)
{
   t->key[i] = key;
   if (aux & EV_ANON)
      t->anon[i / 64] |= (vt_u64)1 << (i % 64);
   else
      t->anon[i / 64] &= ~((vt_u64)1 << (i % 64));
   if (t->shadow)
      t->shadow[i] = shadow;
}

/* The slot of key; t->cap if it is not in the set. */
static inline vt_u64 etab_find(const struct etab *t, vt_u64 key)
{
   vt_u64 i = etab_home(t, key);
   for (vt_u64 d = 0;; d++) {
      vt_u64 k = t->key[i];
      if (k == key)
         return i;
      if (k == VT_HASH_EMPTY || etab_dist(t, i, k) < d)
         return t->cap;
      i = i + 1 == t->cap ? 0 : i + 1;
   }
}

/* Key, not in the set, goes in (there is room). */
static void etab_insert(struct etab *t, vt_u64 key, unsigned aux, uint32_t shadow)
{
   vt_u64 i = etab_home(t, key), d = 0;
   for (;;) {
      vt_u64 k = t->key[i];
      if (k == VT_HASH_EMPTY) {
         etab_set(t, i, key, aux, shadow);
         break;
      }
      vt_u64 dk = etab_dist(t, i, k);
      if (dk < d) {                  /* it takes the slot, k moves on */
         unsigned ak = etab_aux(t, i);
         uint32_t sk = t->shadow ? t->shadow[i] : 0;
         etab_set(t, i, key, aux, shadow);
         key = k, aux = ak, shadow = sk, d = dk;
      }
      i = i + 1 == t->cap ? 0 : i + 1;
      d++;
   }
   t->n++;
}

static void etab_put(struct etab *t, vt_u64 key, unsigned aux, uint32_t shadow)
{
   VT_ASSERT(key != VT_HASH_EMPTY);
   vt_u64 i = etab_find(t, key);
   if (i != t->cap) {
      etab_set(t, i, key, aux, shadow);
      return;
   }
   bool full = t->shadows ? 20 * (t->n + 1) > 19 * t->cap : 5 * (t->n + 1) > 4 * t->cap;
   if (full) {
      struct etab old = *t;
      etab_alloc(t, old.cap + (t->shadows ? old.cap / 4 : old.cap / 2));
      for (vt_u64 k = 0; k < old.cap; k++)
         if (old.key[k] != VT_HASH_EMPTY)
            etab_insert(t, old.key[k], etab_aux(&old, k), old.shadow ? old.shadow[k] : 0);
      etab_free(&old);
   }
   etab_insert(t, key, aux, shadow);
}

/* Backward shift: the entries after i move back one slot, up to an empty
   one or one in its home slot. */
static void etab_del_at(struct etab *t, vt_u64 i)
{
   vt_u64 cap = t->cap;
   for (vt_u64 j = i + 1 == cap ? 0 : i + 1;
        t->key[j] != VT_HASH_EMPTY && etab_dist(t, j, t->key[j]) > 0;
        j = j + 1 == cap ? 0 : j + 1) {
      etab_set(t, i, t->key[j], etab_aux(t, j), t->shadow ? t->shadow[j] : 0);
      i = j;
   }
   t->key[i] = VT_HASH_EMPTY;
   t->n--;
}

struct vt_sim {
   struct vt_sim_config cfg;
   struct vt_sim_owner  owner;
   const struct vt_policy_ops *ops;  /* NULL: unlimited RAM */
   void                *pol;

   struct vt_pframe    *frames;
   struct vt_fstamp    *stamps;      /* VT_POL_EVERY policies only */
   vt_u64              *refs;        /* VT_POL_COUNTS policies only */
   uint32_t             nr_frames;   /* allocated (the RAM size if limited) */
   uint32_t             free_head;   /* free-frame stack via link[0] */
   uint32_t             nr_free;

   struct rtab          resident;    /* key -> frame */
   struct etab          evicted;     /* key -> aux EV_*, shadow */
   /* with cfg.key_limit: */
   uint32_t            *dres;        /* key -> frame + 1, 0: not resident */
   uint8_t             *dev;         /* key -> EV_OUT | EV_ANON */
   uint32_t            *dshadow;     /* key -> shadow (NULL: all 0) */

   struct vt_sim_stats  st;
   /* The host collects no figures now (vt_sim_set_quiet): the events'
      counts (faults, evictions, swap-outs, write-backs, refaults, and
      by mapping) stand still while the memory goes on. */
   bool                 quiet;
   vt_u64               nr_resident;
   vt_u64               nr_anon;     /* resident and swap-backed */
   vt_u64               swap_used;
   uint32_t             nr_locked;   /* resident frames locked */

   /* per mapping id: [2m] evictions, [2m + 1] refaults (the major faults
      of pages this simulation evicted, counted under the mapping that
      faults them back) */
   vt_u64              *ev_map;
   uint32_t             ev_map_n;    /* mapping ids it has room for */

   vt_u64               rng;
   vt_u64               now;
   vt_u64               next_tick;   /* 0: no ticks */

   vt_u64               order;       /* vt_sim_set_order */
   vt_u64               incoming;    /* key being brought in */
   vt_u64               in_time;     /* ... at this time */
   vt_u64               ref_time;    /* the reference delivered */
   bool                 in_refault;  /* ... and it refaults, with: */
   uint32_t             in_shadow;
   bool                 ghosts;      /* the policy is VT_POL_GHOSTS */
   vt_u64               nr_gone;     /* entries of dropped pages kept for
                                        their ghosts */
   bool                 in_ghost_set; /* during insert(): its word was */
   uint32_t             in_ghost;     /* ... this (VT_POL_GHOSTS) */
   uint32_t             out_shadow;  /* vt_sim_set_shadow */
};

/* ---- the simulation ------------------------------------------------------- */

static void frames_init(struct vt_sim *s, uint32_t from, uint32_t to)
{
   /* Push in reverse so frames are handed out in index order. */
   for (uint32_t f = to; f-- > from;) {
      s->frames[f].key = VT_SIM_NO_PAGE;
      s->frames[f].link[0] = s->free_head;
      s->frames[f].link[1] = VT_SIM_NO_FRAME;
      s->free_head = f;
      s->nr_free++;
   }
}

struct vt_sim *vt_sim_create(const struct vt_sim_config *cfg,
                             const struct vt_sim_owner *owner)
{
   struct vt_sim *s = vt_alloc(sizeof *s);
   s->cfg = *cfg;
   if (owner)
      s->owner = *owner;
   VT_ASSERT(cfg->ram_pages < VT_SIM_NO_FRAME);
   s->rng = cfg->params.seed ? cfg->params.seed : 0x9E3779B97F4A7C15ull;
   s->incoming = VT_SIM_NO_PAGE;
   s->free_head = VT_SIM_NO_FRAME;
   /* Frames are allocated as pages come in, doubling up to the RAM size,
      so a large --ram costs only what the process touches. */
   s->nr_frames = cfg->ram_pages && cfg->ram_pages < 4
                  ? (uint32_t)cfg->ram_pages : 4;
   s->frames = vt_alloc((size_t)s->nr_frames * sizeof *s->frames);
   if (cfg->ram_pages && (cfg->policy->needs & (VT_POL_EVERY | VT_POL_NOSTAMP)) == VT_POL_EVERY)
      s->stamps = vt_alloc((size_t)s->nr_frames * sizeof *s->stamps);
   if (s->stamps && (cfg->policy->needs & VT_POL_COUNTS))
      s->refs = vt_alloc((size_t)s->nr_frames * sizeof *s->refs);
   frames_init(s, 0, s->nr_frames);
   if (cfg->key_limit) {
      s->dres = vt_alloc((size_t)cfg->key_limit * sizeof *s->dres);
      s->dev = vt_alloc((size_t)cfg->key_limit);
   } else {
      rtab_alloc(&s->resident, s->nr_frames);
      s->evicted.shadows = cfg->policy &&
                           (cfg->policy->needs & (VT_POL_SHADOW | VT_POL_GHOSTS));
      etab_alloc(&s->evicted, 16);
   }
   if (cfg->ram_pages) {
      VT_ASSERT(cfg->policy != NULL);
      s->ops = cfg->policy;
      s->ghosts = (s->ops->needs & VT_POL_GHOSTS) != 0;
      s->pol = s->ops->create(s, s->nr_frames, &cfg->params);
      if (s->ops->tick && cfg->params.period)
         s->next_tick = cfg->params.period;
   }
   return s;
}

void vt_sim_set_owner(struct vt_sim *s, const struct vt_sim_owner *owner)
{
   s->owner = *owner;
}

void vt_sim_set_quiet(struct vt_sim *s, bool quiet)
{
   s->quiet = quiet;
}

void vt_sim_clear_stats(struct vt_sim *s)
{
   vt_memset(&s->st, 0, sizeof s->st);
   s->st.peak_resident = s->nr_resident;
   /* the evictions and refaults by mapping too, which add up to them */
   if (s->ev_map)
      vt_memset(s->ev_map, 0, 2 * (size_t)s->ev_map_n * sizeof *s->ev_map);
}

void vt_sim_destroy(struct vt_sim *s)
{
   if (!s)
      return;
   if (s->ops)
      (s->ops->destroy ? s->ops->destroy : vt_policy_destroy)(s->pol);
   if (s->cfg.key_limit) {
      vt_free(s->dres);
      vt_free(s->dev);
      vt_free(s->dshadow);
   } else {
      vt_free(s->resident.slot);
      etab_free(&s->evicted);
   }
   vt_free(s->frames);
   vt_free(s->stamps);
   vt_free(s->refs);
   vt_free(s->ev_map);
   vt_free(s);
}

/* ---- where pages are: the hashes, or the arrays of a key limit --------- */

/* The frame of resident page key, VT_SIM_NO_FRAME if none. */
static inline uint32_t res_get(const struct vt_sim *s, vt_u64 key)
{
   if (s->cfg.key_limit) {
      VT_ASSERT(key < s->cfg.key_limit);
      return s->dres[key] - 1;      /* 0 - 1 = VT_SIM_NO_FRAME */
   }
   return rtab_get(&s->resident, s->frames, key);   /* RT_EMPTY = VT_SIM_NO_FRAME */
}

static inline void res_put(struct vt_sim *s, vt_u64 key, uint32_t f)
{
   if (s->cfg.key_limit)
      s->dres[key] = f + 1;
   else
      rtab_put(&s->resident, key, f);
}

static inline void res_del(struct vt_sim *s, vt_u64 key)
{
   if (s->cfg.key_limit)
      s->dres[key] = 0;
   else
      rtab_del(&s->resident, s->frames, key);
}

/* Was key evicted (and not faulted back or dropped since)?  *aux: EV_ANON
   if it is in swap; *shadow: the policy's word from its eviction. */
static inline bool ev_get(const struct vt_sim *s, vt_u64 key, unsigned *aux,
                          uint32_t *shadow)
{
   if (s->cfg.key_limit) {
      VT_ASSERT(key < s->cfg.key_limit);
      if (!(s->dev[key] & EV_OUT))
         return false;
      *aux = s->dev[key] & EV_ANON;
      *shadow = s->dshadow ? s->dshadow[key] : 0;
      return true;
   }
   vt_u64 i = etab_find(&s->evicted, key);
   if (i == s->evicted.cap)
      return false;
   *shadow = s->evicted.shadow ? s->evicted.shadow[i] : 0;
   if ((*shadow & GHOST_GONE) && s->ghosts)
      return false;
   *aux = etab_aux(&s->evicted, i);
   return true;
}

/* The word of key's entry in the evicted set, evicted or a ghost only
   (with GHOST_GONE); false if it has none. */
static inline bool ev_word(const struct vt_sim *s, vt_u64 key, uint32_t *w)
{
   if (s->cfg.key_limit) {
      VT_ASSERT(key < s->cfg.key_limit);
      if (!(s->dev[key] & (EV_OUT | EV_GONE)))
         return false;
      *w = (s->dshadow ? s->dshadow[key] : 0) |
           (s->dev[key] & EV_GONE ? GHOST_GONE : 0);
      return true;
   }
   vt_u64 i = etab_find(&s->evicted, key);
   if (i == s->evicted.cap)
      return false;
   *w = s->evicted.shadow ? s->evicted.shadow[i] : 0;
   return true;
}

/* Key's entry keeps word w (the entry exists; dense: dshadow does). */
static inline void ev_set_word(struct vt_sim *s, vt_u64 key, uint32_t w)
{
   if (s->cfg.key_limit) {
      VT_ASSERT(s->dshadow != NULL);
      s->dshadow[key] = w & ~GHOST_GONE;
      return;
   }
   vt_u64 i = etab_find(&s->evicted, key);
   VT_ASSERT(i != s->evicted.cap && s->evicted.shadow);
   s->evicted.shadow[i] = w;
}

static inline void ev_put(struct vt_sim *s, vt_u64 key, unsigned aux, uint32_t shadow)
{
   if (s->cfg.key_limit) {
      s->dev[key] = (uint8_t)(EV_OUT | aux);
      if (shadow && !s->dshadow)
         s->dshadow = vt_alloc((size_t)s->cfg.key_limit * sizeof *s->dshadow);
      if (s->dshadow)
         s->dshadow[key] = shadow;
      return;
   }
   etab_put(&s->evicted, key, aux, shadow);
}

static inline void ev_del(struct vt_sim *s, vt_u64 key)
{
   if (s->cfg.key_limit) {
      s->dev[key] = 0;
      if (s->dshadow)
         s->dshadow[key] = 0;
   } else {
      vt_u64 i = etab_find(&s->evicted, key);
      if (i != s->evicted.cap)
         etab_del_at(&s->evicted, i);
   }
}

/* Evicted key is dropped: it keeps an entry only for a ghost's word. */
static void ev_drop(struct vt_sim *s, vt_u64 key, uint32_t shadow)
{
   if (!s->ghosts || !shadow ||
       (s->ops->ghost_live && !s->ops->ghost_live(s->pol, key, shadow))) {
      ev_del(s, key);
      return;
   }
   s->nr_gone++;
   if (s->cfg.key_limit) {
      s->dev[key] = EV_GONE;
      return;
   }
   vt_u64 i = etab_find(&s->evicted, key);
   etab_set(&s->evicted, i, key, 0, shadow | GHOST_GONE);
}

uint32_t vt_sim_ghost_word(const struct vt_sim *s, vt_u64 key)
{
   uint32_t w;
   if (s->in_ghost_set && key == s->incoming)
      return s->in_ghost;
   return ev_word(s, key, &w) ? w & ~GHOST_GONE : 0;
}

void vt_sim_set_ghost_word(struct vt_sim *s, vt_u64 key, uint32_t w)
{
   uint32_t old = 0;
   bool found = ev_word(s, key, &old);
   VT_ASSERT(found && !(w & GHOST_GONE));
   if (!w && (old & GHOST_GONE)) {
      ev_del(s, key);
      s->nr_gone--;
   } else {
      ev_set_word(s, key, w | (old & GHOST_GONE));
   }
}

void vt_sim_forget_ghost(struct vt_sim *s, vt_u64 key)
{
   uint32_t w;
   if (s->nr_gone && ev_word(s, key, &w) && (w & GHOST_GONE)) {
      ev_del(s, key);
      s->nr_gone--;
   }
}

bool vt_sim_swap_full(const struct vt_sim *s)
{
   return s->cfg.no_swap || (s->cfg.swap_pages && s->swap_used >= s->cfg.swap_pages);
}

/* vm_swap_full: fewer than half the swap slots free (never with unlimited
   swap). */
static bool swap_half_full(const struct vt_sim *s)
{
   return s->cfg.swap_pages && 2 * (s->cfg.swap_pages - s->swap_used) < s->cfg.swap_pages;
}

bool vt_sim_evictable(const struct vt_sim *s, uint32_t f)
{
   if (f >= s->nr_frames)
      return false;
   const struct vt_pframe *fr = &s->frames[f];
   if (fr->key == VT_SIM_NO_PAGE || fr->locked)
      return false;
   return !(fr->anon && !fr->swapcopy && vt_sim_swap_full(s));
}

bool vt_sim_all_evictable(const struct vt_sim *s)
{
   return !s->nr_locked && !s->cfg.swap_pages && !s->cfg.no_swap;
}

static void set_locked(struct vt_sim *s, struct vt_pframe *fr, bool locked)
{
   if (locked != (fr->locked != 0)) {
      if (locked)
         s->nr_locked++;
      else
         s->nr_locked--;
   }
   fr->locked = locked;
}

bool vt_sim_clean(const struct vt_sim *s, uint32_t f)
{
   const struct vt_pframe *fr = &s->frames[f];
   return fr->anon ? fr->swapcopy : !fr->dirty;
}

bool vt_sim_writeback(struct vt_sim *s, uint32_t f)
{
   struct vt_pframe *fr = &s->frames[f];
   if (vt_sim_clean(s, f)) {
      fr->dirty = 0;
      return true;
   }
   if (fr->anon) {
      if (vt_sim_swap_full(s))
         return false;
      s->swap_used++;
      fr->swapcopy = 1;
      COUNT(s, swap_outs);
   } else {
      COUNT(s, writebacks);
   }
   vt_sim_take_hits(s, f);       /* they came before the write-back */
   fr->dirty = 0;
   /* The next write must reach us to make it dirty again. */
   if (s->owner.invalidate)
      s->owner.invalidate(s->owner.ctx, fr->key);
   return true;
}

vt_u64 vt_sim_random(struct vt_sim *s)
{
   /* xorshift64* (Marsaglia; Vigna's multiplier). */
   vt_u64 x = s->rng;
   x ^= x >> 12;
   x ^= x << 25;
   x ^= x >> 27;
   s->rng = x;
   return x * 0x2545F4914F6CDD1Dull;
}

struct vt_pframe *vt_sim_frames(struct vt_sim *s) { return s->frames; }
struct vt_fstamp *vt_sim_stamps(struct vt_sim *s) { return s->stamps; }
vt_u64 *vt_sim_refs(struct vt_sim *s) { return s->refs; }
uint32_t vt_sim_nr_frames(const struct vt_sim *s) { return s->nr_frames; }
const struct vt_sim_stats *vt_sim_stats(const struct vt_sim *s) { return &s->st; }
const struct vt_sim_config *vt_sim_config(const struct vt_sim *s) { return &s->cfg; }
vt_u64 vt_sim_resident(const struct vt_sim *s) { return s->nr_resident; }
vt_u64 vt_sim_swap_used(const struct vt_sim *s) { return s->swap_used; }
vt_u64 vt_sim_resident_anon(const struct vt_sim *s) { return s->nr_anon; }
vt_u64 vt_sim_incoming(const struct vt_sim *s) { return s->incoming; }
vt_u64 vt_sim_incoming_time(const struct vt_sim *s) { return s->in_time; }
vt_u64 vt_sim_reference_time(const struct vt_sim *s) { return s->ref_time; }

vt_u64 vt_sim_policy_word(const struct vt_sim *s, uint32_t f)
{
   return s->ops && s->ops->frame_word ? s->ops->frame_word(s->pol, f) : 0;
}

bool vt_sim_incoming_shadow(const struct vt_sim *s, uint32_t *shadow)
{
   if (s->in_refault && shadow)
      *shadow = s->in_shadow;
   return s->in_refault;
}

void vt_sim_set_shadow(struct vt_sim *s, uint32_t shadow)
{
   s->out_shadow = shadow;
}

void vt_sim_clamp_shadows(struct vt_sim *s, uint32_t now, uint32_t limit)
{
   uint32_t *w = s->cfg.key_limit ? s->dshadow : s->evicted.shadow;
   vt_u64 n = s->cfg.key_limit ? s->cfg.key_limit : s->evicted.cap;
   if (!w)
      return;
   for (vt_u64 i = 0; i < n; i++)
      if ((uint32_t)(now - w[i]) > limit)
         w[i] = now - limit;
}

void vt_sim_move_evicted(struct vt_sim *s, vt_u64 from, vt_u64 to)
{
   unsigned aux;
   uint32_t shadow;
   uint32_t w;
   if (from == to || res_get(s, from) != VT_SIM_NO_FRAME ||
       !ev_get(s, from, &aux, &shadow))
      return;
   /* A policy with ghost lists (ARC) knows its evicted pages by key as
      well: it renames its ghost (ghost_moved).  Where the new key has an
      entry of its own already (the word of a ghost dropped there), the
      page is dropped and brought in again at its new key (the host's drop
      and prefault), as before 2026-12-07. */
   if (s->ghosts && (!s->ops->ghost_moved || ev_word(s, to, &w)))
      return;
   ev_del(s, from);
   ev_put(s, to, aux, shadow);
   if (s->ghosts)
      s->ops->ghost_moved(s->pol, from, to, shadow & ~GHOST_GONE);
}

bool vt_sim_movable(const struct vt_sim *s, vt_u64 from, vt_u64 to)
{
   uint32_t w;
   if (from == to)
      return true;
   if (res_get(s, from) != VT_SIM_NO_FRAME || (s->ghosts && ev_word(s, from, &w)))
      return res_get(s, to) == VT_SIM_NO_FRAME && !ev_word(s, to, &w) &&
             (!s->ghosts || s->ops->ghost_moved);
   return true;
}

void vt_sim_move(struct vt_sim *s, vt_u64 from, vt_u64 to)
{
   uint32_t f = res_get(s, from);
   if (from == to)
      return;
   if (f == VT_SIM_NO_FRAME) {
      vt_sim_move_evicted(s, from, to);
      return;
   }
   VT_ASSERT(res_get(s, to) == VT_SIM_NO_FRAME);
   res_del(s, from);
   res_put(s, to, f);
   s->frames[f].key = to;
   if (s->ops && s->ops->moved)
      s->ops->moved(s->pol, f, s->now);
}

void vt_sim_clear_referenced(struct vt_sim *s, uint32_t f)
{
   struct vt_pframe *fr = &s->frames[f];
   /* the page's absorbed references came before: after the clear, its
      invalidation would deliver them as later ones and set the bit again */
   vt_sim_take_hits(s, f);
   fr->referenced = 0;
   if (s->owner.invalidate)
      s->owner.invalidate(s->owner.ctx, fr->key);
}

void vt_sim_evictions_by_mapping(const struct vt_sim *s, vt_u64 *counts,
                                 uint32_t n)
{
   for (uint32_t i = 0; i < n; i++)
      counts[i] = i < s->ev_map_n ? s->ev_map[2 * i] : 0;
}

void vt_sim_refaults_by_mapping(const struct vt_sim *s, vt_u64 *counts,
                                uint32_t n)
{
   for (uint32_t i = 0; i < n; i++)
      counts[i] = i < s->ev_map_n ? s->ev_map[2 * i + 1] : 0;
}

/* count more evictions (what = 0) or refaults (what = 1) of pages of
   mapping. */
static void add_by_mapping(struct vt_sim *s, uint32_t mapping, unsigned what, vt_u64 count)
{
   if (mapping >= s->ev_map_n) {
      uint32_t n = s->ev_map_n ? s->ev_map_n : 16;
      while (n <= mapping)
         n *= 2;
      s->ev_map = vt_realloc_array(s->ev_map, 2 * (size_t)s->ev_map_n, 2 * (size_t)n,
                                   sizeof *s->ev_map);
      s->ev_map_n = n;
   }
   s->ev_map[2 * mapping + what] += count;
}

/* One more eviction (what = 0) or refault (what = 1) of a page of
   mapping, if counted. */
static void count_by_mapping(struct vt_sim *s, uint32_t mapping, unsigned what)
{
   if (!s->quiet)
      add_by_mapping(s, mapping, what, 1);
}

/* The host folded mapping `from` into `to` and may reuse id `from`: its
   counts and its pages still in memory (a file's, cached after the unmap)
   go to `to`. */
void vt_sim_rename_mapping(struct vt_sim *s, uint32_t from, uint32_t to)
{
   for (uint32_t f = 0; f < s->nr_frames; f++)
      if (s->frames[f].key != VT_SIM_NO_PAGE && s->frames[f].mapping == from)
         s->frames[f].mapping = to;
   if (from >= s->ev_map_n)
      return;
   for (unsigned w = 0; w < 2; w++) {
      vt_u64 c = s->ev_map[2 * from + w];
      s->ev_map[2 * from + w] = 0;
      if (c)
         add_by_mapping(s, to, w, c);
   }
}

/* Ticks at every multiple of the period up to now.  A jump over many
   periods delivers only the last 64 ticks: more change nothing for NRU
   (one reset) or AGING (8-bit counters). */
void vt_sim_advance(struct vt_sim *s, vt_u64 now)
{
   if (now > s->now)
      s->now = now;
   if (!s->next_tick || now < s->next_tick)
      return;
   if (s->owner.flush_hits)
      s->owner.flush_hits(s->owner.ctx, s);
   vt_u64 period = s->cfg.params.period;
   vt_u64 last = now - now % period;          /* last multiple <= now */
   if ((last - s->next_tick) / period > 64)
      s->next_tick = last - 64 * period;
   for (; s->next_tick <= last; s->next_tick += period)
      s->ops->tick(s->pol, s->next_tick);
}

bool vt_sim_set_future(struct vt_sim *s,
                       vt_u64 (*next_use)(void *ctx, vt_u64 key, vt_u64 now),
                       void *ctx)
{
   if (!s->ops || !s->ops->set_future)
      return false;
   s->ops->set_future(s->pol, next_use, ctx);
   return true;
}

vt_u64 vt_sim_next_tick(const struct vt_sim *s)
{
   return s->next_tick ? s->next_tick : VT_SIM_NO_PAGE;
}

static void free_frame(struct vt_sim *s, uint32_t f)
{
   struct vt_pframe *fr = &s->frames[f];
   res_del(s, fr->key);
   s->nr_resident--;
   s->nr_anon -= fr->anon;
   set_locked(s, fr, false);
   fr->key = VT_SIM_NO_PAGE;
   fr->link[0] = s->free_head;
   fr->link[1] = VT_SIM_NO_FRAME;
   s->free_head = f;
   s->nr_free++;
}

static void evict(struct vt_sim *s, uint32_t f)
{
   struct vt_pframe *fr = &s->frames[f];
   vt_u64 key = fr->key;
   VT_ASSERT(vt_sim_evictable(s, f));
   if (fr->anon) {
      /* Every anonymous eviction writes to swap, into a new slot, unless
         the page still holds a valid copy (vt_sim_writeback). */
      if (!fr->swapcopy) {
         s->swap_used++;
         COUNT(s, swap_outs);
      }
      fr->swapcopy = 0;
   } else if (fr->dirty) {
      COUNT(s, writebacks);
   }
   COUNT(s, evictions);
   count_by_mapping(s, fr->mapping, 0);
   ev_put(s, key, fr->anon ? EV_ANON : 0, s->out_shadow);
   free_frame(s, f);
   if (s->owner.invalidate)
      s->owner.invalidate(s->owner.ctx, key);
}

static void frames_grow(struct vt_sim *s)
{
   uint32_t n = s->nr_frames;
   vt_u64 m = 2 * (vt_u64)n;
   if (s->cfg.ram_pages && m > s->cfg.ram_pages)
      m = s->cfg.ram_pages;
   VT_ASSERT(m > n && m < VT_SIM_NO_FRAME);
   s->frames = vt_realloc_array(s->frames, n, (size_t)m, sizeof *s->frames);
   if (s->stamps)
      s->stamps = vt_realloc_array(s->stamps, n, (size_t)m, sizeof *s->stamps);
   if (s->refs)
      s->refs = vt_realloc_array(s->refs, n, (size_t)m, sizeof *s->refs);
   s->nr_frames = (uint32_t)m;
   frames_init(s, n, (uint32_t)m);
   if (!s->cfg.key_limit) {
      /* The frames moved: the table is made anew for their number. */
      vt_free(s->resident.slot);
      rtab_alloc(&s->resident, s->nr_frames);
      for (uint32_t f = 0; f < n; f++)
         if (s->frames[f].key != VT_SIM_NO_PAGE)
            rtab_put(&s->resident, s->frames[f].key, f);
   }
   if (s->ops)
      (s->ops->grow ? s->ops->grow : vt_policy_grow)(s->pol, s->nr_frames);
}

/* What the simulation must have learnt before a page comes in (to a free
   frame or a victim's): every reference the fast path absorbed
   (flush_hits), or only those pending for settled pages (flush_pending: a
   system call's references share an order, and the page learnt of first
   goes first among equals), or nothing.
   - A policy that needs every reference: all of them before it chooses a
     victim, and before a page comes in if it reads the others' state then
     (VT_POL_INSERT_READS: ARC's case analysis reads |T1|); else the
     pending ones.  LRU (VT_POL_LAZY_HITS) the pending ones before a
     victim too: its victim takes its candidate's (vt_sim_take_hits), and
     the other pages' could only make them more recent.
   - The referenced bit's policies (CLOCK, LINUX...), before a victim, the
     pending ones: an absorbed hit is to a page every simulation holds
     referenced (its filter entry goes when that changes), and reaches them
     before a bit is cleared (vt_sim_clear_referenced).
   An owner without take_hits or flush_pending gives flush_hits instead. */
static void learn_before_frame(struct vt_sim *s)
{
   unsigned needs = s->ops->needs;
   bool every = (needs & VT_POL_EVERY) != 0, all;
   if (!s->owner.flush_hits || (s->nr_free && !every))
      return;
   if (!s->owner.flush_pending)
      all = true;
   else if (s->nr_free)
      all = (needs & VT_POL_INSERT_READS) != 0;
   else
      all = !s->owner.take_hits || (every && !(needs & VT_POL_LAZY_HITS));
   (all ? s->owner.flush_hits : s->owner.flush_pending)(s->owner.ctx, s);
}

/* A frame for key: a free one, or a victim's.  VT_SIM_NO_FRAME: OOM. */
static uint32_t get_frame(struct vt_sim *s, vt_u64 key, vt_u64 now)
{
   if (!s->nr_free && (!s->ops || s->nr_frames < s->cfg.ram_pages))
      frames_grow(s);
   if (s->ops) {
      learn_before_frame(s);
      if (!s->nr_free) {
         s->incoming = key;
         s->out_shadow = 0;
         uint32_t v = s->ops->victim(s->pol, now);
         s->incoming = VT_SIM_NO_PAGE;
         if (v == VT_SIM_NO_FRAME)
            return VT_SIM_NO_FRAME;
         evict(s, v);
      }
   }
   uint32_t f = s->free_head;
   s->free_head = s->frames[f].link[0];
   s->nr_free--;
   return f;
}

/* Bring key in.  ref: the reference that faulted it (else a prefault, or
   with VT_SIMA_READAHEAD a read-around's page); was_evicted: the page is
   in the evicted set. */
static uint32_t bring_in(struct vt_sim *s, vt_u64 key, unsigned flags,
                         uint32_t mapping, vt_u64 now, bool ref, bool was_evicted)
{
   uint32_t f = get_frame(s, key, now);
   if (f == VT_SIM_NO_FRAME)
      return f;
   struct vt_pframe *fr = &s->frames[f];
   vt_memset(fr, 0, sizeof *fr);
   fr->key = key;
   if (s->stamps) {
      struct vt_fstamp *sp = &s->stamps[f];
      sp->last_ref = now;
      sp->last_order = s->order;
   }
   if (s->refs)
      s->refs[f] = ref ? 1 : 0;
   fr->mapping = mapping;
   /* A prefaulted page is referenced too: on x86 the kernel makes every
      PTE young, fault-around's and populate's included (set_pte_range
      makes a prefaulted one old only where arch_wants_old_prefaulted_pte,
      arm64), so reclaim finds it referenced, as it does a page read.  It
      is no reference of the program's: refs 0, not dirty.  A read-around's
      page is mapped by no PTE: not referenced. */
   fr->referenced = !(flags & VT_SIMA_READAHEAD);
   fr->unmapped = (flags & VT_SIMA_READAHEAD) != 0;
   fr->readahead = (flags & (VT_SIMA_READAHEAD | VT_SIMA_RA_MARK)) ==
                   (VT_SIMA_READAHEAD | VT_SIMA_RA_MARK);
   fr->dirty = ref && (flags & VT_SIMA_WRITE);
   fr->anon = (flags & VT_SIMA_ANON) != 0;
   set_locked(s, fr, (flags & VT_SIMA_LOCKED) != 0);
   fr->exec = (flags & VT_SIMA_EXEC) != 0;
   fr->norecency = (flags & VT_SIMA_NORECENCY) != 0;
   fr->link[0] = fr->link[1] = VT_SIM_NO_FRAME;
   fr->swapcopy = 0;
   res_put(s, key, f);
   s->nr_resident++;
   s->nr_anon += fr->anon;
   if (s->nr_resident > s->st.peak_resident)
      s->st.peak_resident = s->nr_resident;
   /* Read the evicted set after get_frame, which may have evicted (and
      moved a hash's entries). */
   unsigned aux;
   uint32_t shadow;
   if (was_evicted && ev_get(s, key, &aux, &shadow)) {
      s->in_refault = true;
      s->in_shadow = shadow;
      if (aux & EV_ANON) {
         VT_ASSERT(s->swap_used > 0);
         /* do_swap_page frees the slot only where
            should_try_to_free_swap says: swap more than half full
            (vm_swap_full), the VMA locked, or a write fault.  Else the
            page keeps it, a valid copy while the page stays clean: its
            next eviction writes nothing (the kernel writes each page
            once, measured: tests/memcg's swap cases). */
         if (ref && fr->anon && !(flags & VT_SIMA_WRITE) && !fr->locked &&
             !swap_half_full(s))
            fr->swapcopy = 1;
         else
            s->swap_used--;     /* freed on swap-in */
      }
      ev_del(s, key);
      /* (a read-around's page: a refault for the policy, as for the
         kernel's workingset_refault, but no fault: not counted) */
      if (ref) {
         COUNT(s, refaults);
         count_by_mapping(s, mapping, 1);
      }
   }
   if (s->ghosts) {
      /* The policy's word goes with the entry: insert() reads it. */
      uint32_t w;
      s->in_ghost_set = true;
      s->in_ghost = 0;
      if (s->in_refault)
         s->in_ghost = s->in_shadow;
      else if (ev_word(s, key, &w)) {   /* a ghost only (dropped) */
         s->in_ghost = w & ~GHOST_GONE;
         ev_del(s, key);
         s->nr_gone--;
      }
   }
   if (s->ops) {
      s->incoming = key;
      s->in_time = now;
      s->ops->insert(s->pol, f);
      s->incoming = VT_SIM_NO_PAGE;
   }
   s->in_refault = false;
   s->in_ghost_set = false;
   return f;
}

/* Resident frame f mapped without a reference (fault-around, populate):
   its new PTE is young, as a prefaulted page's (bring_in); a policy that
   learns of references by the bit hears of it as of a reference's, one
   that needs every reference does not (the program made none). */
static void map_young(struct vt_sim *s, uint32_t f, vt_u64 now)
{
   struct vt_pframe *fr = &s->frames[f];
   fr->unmapped = 0;
   if (!fr->referenced) {
      fr->referenced = 1;
      if (s->ops && s->ops->reference && !(s->ops->needs & VT_POL_EVERY)) {
         s->ref_time = now;
         s->ops->reference(s->pol, f);
      }
   }
}

static unsigned cacheable(const struct vt_pframe *fr, unsigned flags)
{
   return fr->referenced && (!(flags & VT_SIMA_WRITE) || fr->dirty)
          ? VT_SIMR_CACHEABLE : 0;
}

unsigned vt_sim_access(struct vt_sim *s, vt_u64 key, unsigned flags,
                       uint32_t mapping, vt_u64 now, int base_cls, int *cls)
{
   int dummy;
   if (!cls)
      cls = &dummy;
   *cls = -1;
   VT_ASSERT(base_cls < VT_NR_FC);
   vt_sim_advance(s, now);
   if (base_cls == VT_FC_INVALID)
      return 0;                   /* SIGSEGV: no memory was touched */

   if (flags & VT_SIMA_ZERO) {
      /* The shared zero page: no frame, nothing a later read changes. */
      if (base_cls >= 0) {
         *cls = base_cls;
         COUNT(s, faults[base_cls]);
         return VT_SIMR_FAULT | VT_SIMR_CACHEABLE;
      }
      return VT_SIMR_CACHEABLE;
   }

   uint32_t f = res_get(s, key);
   if (flags & VT_SIMA_READAHEAD) {
      /* The kernel's read-around reads every page of its window that is
         not cached; here, the pages this simulation evicted (those it
         never held, the unlimited model's page cache holds or not).  Not
         under ARC, whose ghost lists stand for pages fetched on demand. */
      unsigned aux;
      uint32_t shadow;
      if (f != VT_SIM_NO_FRAME || s->ghosts || !ev_get(s, key, &aux, &shadow) ||
          (aux & EV_ANON))
         return 0;
      return bring_in(s, key, flags, mapping, now, false, true) == VT_SIM_NO_FRAME
             ? VT_SIMR_OOM : 0;
   }
   if (f != VT_SIM_NO_FRAME) {
      struct vt_pframe *fr = &s->frames[f];
      unsigned r = 0;
      if (fr->unmapped && !(flags & VT_SIMA_PREFAULT)) {
         /* cached here, mapped by no PTE: the reference faults (minor)
            and maps it (filemap_fault finds it in the page cache), the
            unlimited model's class if it took one */
         fr->unmapped = 0;
         if (base_cls < 0)
            base_cls = (flags & VT_SIMA_WRITE) ? VT_FC_FILE_SHARED : VT_FC_FILE_READ;
         r |= VT_SIMR_MAPPED;
         if (fr->readahead) {
            /* do_async_mmap_readahead finds PG_readahead: cleared, and
               the host reads the next window */
            fr->readahead = 0;
            r |= VT_SIMR_READAHEAD;
         }
      }
      if (flags & VT_SIMA_PREFAULT) {
         /* mapped again (fault-around over a page still cached), but for
            a page marked PG_readahead, which fault-around leaves to the
            fault that starts the next window (next_uptodate_folio) */
         if (!(fr->unmapped && fr->readahead))
            map_young(s, f, now);
         return 0;
      }
      if (base_cls >= 0) {
         *cls = base_cls;
         COUNT(s, faults[base_cls]);
         r |= VT_SIMR_FAULT;
      }
      bool anon = (flags & VT_SIMA_ANON) != 0;
      set_locked(s, fr, (flags & VT_SIMA_LOCKED) != 0);
      fr->exec = (flags & VT_SIMA_EXEC) != 0;
      fr->norecency = (flags & VT_SIMA_NORECENCY) != 0;
      if (anon != (fr->anon != 0)) {
         /* The page changed kind (a private file page copied on write):
            a new page in the same frame. */
         if (s->ops)
            s->ops->remove(s->pol, f);
         if (fr->swapcopy) {
            fr->swapcopy = 0;
            s->swap_used--;
         }
         s->nr_anon += (vt_u64)anon - fr->anon;
         fr->anon = anon;
         if (s->stamps)
            s->stamps[f].last_ref = now;
         if (s->refs)
            s->refs[f] = 1;
         fr->referenced = 1;
         fr->dirty = (flags & VT_SIMA_WRITE) != 0;
         fr->mapping = mapping;
         fr->pbits = 0;
         if (s->ops) {
            s->incoming = key;
            s->in_time = now;
            s->ops->insert(s->pol, f);
            s->incoming = VT_SIM_NO_PAGE;
         }
         return r | cacheable(fr, flags);
      }
      bool was_ref = fr->referenced;
      if (s->stamps) {
         struct vt_fstamp *sp = &s->stamps[f];
         if (now > sp->last_ref)
            sp->last_ref = now;
         if (s->order > sp->last_order)
            sp->last_order = s->order;
      }
      if (s->refs)
         s->refs[f]++;
      fr->referenced = 1;
      if (flags & VT_SIMA_WRITE) {
         fr->dirty = 1;
         if (fr->swapcopy) {        /* the swap copy is stale now */
            fr->swapcopy = 0;
            s->swap_used--;
         }
      }
      if (s->ops && s->ops->reference && ((s->ops->needs & VT_POL_EVERY) || !was_ref)) {
         s->ref_time = now;
         s->ops->reference(s->pol, f);
      }
      return r | cacheable(fr, flags);
   }

   unsigned aux = 0;
   uint32_t shadow;
   bool ev = ev_get(s, key, &aux, &shadow);
   if (flags & VT_SIMA_PREFAULT) {
      /* Fault-around maps only pages in memory: an evicted page stays
         out until referenced.  No frame to spare: not mapped, no OOM. */
      if (!ev)
         bring_in(s, key, flags, mapping, now, false, false);
      return 0;
   }
   int c;
   if (ev)
      c = (aux & EV_ANON) ? VT_FC_SWAP_IN : VT_FC_FILE_MAJOR;
   else if (base_cls >= 0)
      c = base_cls;
   else
      c = (flags & VT_SIMA_ANON) ? VT_FC_ANON : VT_FC_FILE_READ;
   *cls = c;
   f = bring_in(s, key, flags, mapping, now, true, ev);
   if (f == VT_SIM_NO_FRAME) {
      s->st.oom_events++;
      if (s->owner.oom)
         s->owner.oom(s->owner.ctx, s, key);
      return VT_SIMR_OOM;
   }
   COUNT(s, faults[c]);
   return VT_SIMR_FAULT | cacheable(&s->frames[f], flags);
}

void vt_sim_set_order(struct vt_sim *s, vt_u64 order)
{
   s->order = order;
}

bool vt_sim_take_hits(struct vt_sim *s, uint32_t f)
{
   return s->owner.take_hits && s->owner.take_hits(s->owner.ctx, s, s->frames[f].key);
}

void vt_sim_note_hits(struct vt_sim *s, vt_u64 key, vt_u64 n, vt_u64 last,
                      vt_u64 order)
{
   uint32_t f = res_get(s, key);
   if (f == VT_SIM_NO_FRAME || n == 0)
      return;
   struct vt_pframe *fr = &s->frames[f];
   bool was_ref = fr->referenced;
   if (s->stamps) {
      struct vt_fstamp *sp = &s->stamps[f];
      if (last > sp->last_ref)
         sp->last_ref = last;
      if (order > sp->last_order)
         sp->last_order = order;
   }
   if (s->refs)
      s->refs[f] += n;
   fr->referenced = 1;
   if (s->ops && s->ops->reference && ((s->ops->needs & VT_POL_EVERY) || !was_ref)) {
      s->ref_time = last;
      s->ops->reference(s->pol, f);
   }
}

unsigned vt_sim_cacheable(const struct vt_sim *s, vt_u64 key, unsigned flags)
{
   uint32_t f = res_get(s, key);
   return f == VT_SIM_NO_FRAME ? 0 : cacheable(&s->frames[f], flags);
}

bool vt_sim_map_cached(struct vt_sim *s, vt_u64 key, vt_u64 now)
{
   uint32_t f = res_get(s, key);
   if (f == VT_SIM_NO_FRAME || !s->frames[f].unmapped || s->frames[f].readahead)
      return false;
   map_young(s, f, now);
   return true;
}

bool vt_sim_has(const struct vt_sim *s, vt_u64 key)
{
   return res_get(s, key) != VT_SIM_NO_FRAME;
}

void vt_sim_drop(struct vt_sim *s, vt_u64 key)
{
   uint32_t f = res_get(s, key);
   if (f != VT_SIM_NO_FRAME) {
      if (s->ops)
         s->ops->remove(s->pol, f);
      struct vt_pframe *fr = &s->frames[f];
      if (fr->swapcopy) {
         fr->swapcopy = 0;
         s->swap_used--;
      }
      free_frame(s, f);
      return;
   }
   unsigned aux;
   uint32_t shadow;
   if (ev_get(s, key, &aux, &shadow)) {
      if (aux & EV_ANON)
         s->swap_used--;
      ev_drop(s, key, shadow);
   }
}

void vt_sim_lock(struct vt_sim *s, vt_u64 key, bool locked)
{
   uint32_t f = res_get(s, key);
   if (f != VT_SIM_NO_FRAME)
      set_locked(s, &s->frames[f], locked);
}
