/* vs_mrc.c: exact miss-ratio curves of LRU and OPT over every size, in one
   pass over a stream each.

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   Both are stack algorithms (Mattson, Gecsei, Slutz, Traiger 1970): a cache
   of c pages holds the top c pages of one stack, so a reference hits at
   every size at or above its stack distance, and the curve is the
   histogram of stack distances, summed from the right:
   misses(c) = cold + #{references with distance > c}.

   The LRU stack is ordered by last reference.  Each page holds a slot, the
   time of its last reference, and its distance is 1 + the number of pages
   whose slot is newer: an order-statistics count (below, a bitmap of live
   slots with a Fenwick tree over 512-slot blocks; O(log n) a reference,
   the tree small enough to stay in cache).  Slots are handed out newest
   lowest, counting down, and renumbered when they run out, so memory
   follows the distinct pages, not the references.

   The OPT stack (priority: the sooner the next reference, the higher) is
   the LRU stack's order plus markers: Bilardi, Ekanadham and Pattnaik
   ("Optimal on-line computation of stack distances for MIN and OPT", CF
   2017) show that OPT's distance of a reference depends on the past only,
   through one critical marker per capacity c >= 1, M(c), an LRU-stack
   depth.  With D the LRU depth of the page referenced (0-based),
   beta(i) = #{c : M(c) <= i} - i (never negative), z = the largest i < D
   with beta(i) = 0 and c* = the smallest c with M(c) > z, the reference's
   OPT distance is c* + 1; then every marker at depth <= D moves one
   deeper and M(c*) = 1.  A new page moves every marker one deeper and adds
   one at depth 1.  (This is the rule that gives Belady's misses at every
   size on thousands of random strings, by brute force; the published
   pseudo-code is 1-based and easy to misread.)  Here a marker is attached
   to the page at its depth, so the LRU rotation moves the markers above D
   for nothing: only those of the page referenced move, to the page just
   below it (melded into that page's heap of markers; below the deepest
   page is a sentinel that holds markers deeper than the stack), and c*
   moves to the page that was on top.  A segment tree over the slots
   keeps, per range, the sum and least prefix sum of (markers - 1) over
   live slots (z: the last prefix minimum) and the least capacity marked
   (c*): O(log n) a reference.  tests/vmtrace-sim checks the curve against
   the OPT simulation at every size. */

#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vs.h"

/* ---- slots: order statistics over a bitmap ----------------------------------

   Slot s is live if some page's last reference holds it; pages are newer
   the lower their slot.  fen[] is a Fenwick tree of live counts per block
   of 512 slots (8 words). */
#define BLK_SHIFT 9
#define BLK_WORDS 8

/* Population count without a library call (the build targets every
   x86-64, which need not have POPCNT): SWAR, a dozen instructions. */
static inline unsigned pop64(uint64_t x)
{
   x -= (x >> 1) & 0x5555555555555555ull;
   x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
   x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
   return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

struct ost {
   uint64_t *bits;
   uint32_t *fen;                    /* 1-based, nblk entries */
   uint64_t  cap;                    /* slots, a multiple of 512 */
   uint32_t  nblk;
   uint64_t  live;
};

static void ost_init(struct ost *o, uint64_t cap)
{
   o->cap = cap;
   o->nblk = (uint32_t)(cap >> BLK_SHIFT);
   o->bits = vs_alloc(cap / 8);
   o->fen = vs_alloc(((size_t)o->nblk + 1) * sizeof *o->fen);
   o->live = 0;
}

static void ost_free(struct ost *o)
{
   free(o->bits);
   free(o->fen);
}

static inline void fen_add(struct ost *o, uint64_t blk, int d)
{
   for (uint64_t i = blk + 1; i <= o->nblk; i += i & -i)
      o->fen[i] += (uint32_t)d;
}

static inline bool ost_live(const struct ost *o, uint64_t s)
{
   return (o->bits[s >> 6] >> (s & 63)) & 1;
}

static inline void ost_set(struct ost *o, uint64_t s)
{
   o->bits[s >> 6] |= 1ull << (s & 63);
   fen_add(o, s >> BLK_SHIFT, 1);
   o->live++;
}

static inline void ost_clear(struct ost *o, uint64_t s)
{
   o->bits[s >> 6] &= ~(1ull << (s & 63));
   fen_add(o, s >> BLK_SHIFT, -1);
   o->live--;
}

/* Live slots below s (the pages newer than the one in s). */
static inline uint64_t ost_below(const struct ost *o, uint64_t s)
{
   uint64_t blk = s >> BLK_SHIFT, n = 0;
   for (uint64_t i = blk; i > 0; i -= i & -i)
      n += o->fen[i];
   uint64_t w = blk * BLK_WORDS, last = s >> 6;
   for (; w < last; w++)
      n += (uint64_t)pop64(o->bits[w]);
   return n + (uint64_t)pop64(o->bits[last] & ((1ull << (s & 63)) - 1));
}

/* The live slot with k live slots below it (k < live). */
static uint64_t ost_select(const struct ost *o, uint64_t k)
{
   uint64_t pos = 0;                 /* blocks passed */
   uint64_t step = 1;
   while (step * 2 <= o->nblk)
      step *= 2;
   for (; step; step /= 2)
      if (pos + step <= o->nblk && o->fen[pos + step] <= k) {
         pos += step;
         k -= o->fen[pos];
      }
   for (uint64_t w = pos * BLK_WORDS;; w++) {
      uint64_t x = o->bits[w];
      unsigned c = pop64(x);
      if (k < c) {
         for (; k; k--)
            x &= x - 1;
         return w * 64 + (uint64_t)__builtin_ctzll(x);
      }
      k -= c;
   }
}

/* The slots [from, cap) live, the others free, and the tree recounted. */
static void ost_fill(struct ost *o, uint64_t from)
{
   memset(o->bits, 0, o->cap / 8);
   for (uint64_t s = from; s < o->cap; s++)
      if (!(s & 63) && s + 64 <= o->cap) {
         o->bits[s >> 6] = ~0ull;
         s += 63;
      } else {
         o->bits[s >> 6] |= 1ull << (s & 63);
      }
   memset(o->fen, 0, ((size_t)o->nblk + 1) * sizeof *o->fen);
   for (uint32_t b = 0; b < o->nblk; b++) {
      uint32_t c = 0;
      for (unsigned w = 0; w < BLK_WORDS; w++)
         c += (uint32_t)pop64(o->bits[(uint64_t)b * BLK_WORDS + w]);
      o->fen[b + 1] += c;
      uint64_t parent = (uint64_t)(b + 1) + ((b + 1) & -(b + 1));
      if (parent <= o->nblk)
         o->fen[parent] += o->fen[b + 1];
   }
   o->live = o->cap - from;
}

/* The first live slot after s (there is one: the sentinel): a look at the
   next few words, else by rank. */
static inline uint64_t next_live(const struct ost *o, uint64_t s)
{
   uint64_t w = s >> 6, x = (s & 63) == 63 ? 0 : o->bits[w] & (~0ull << ((s & 63) + 1));
   for (int k = 0; !x; k++) {
      if (k == 8)
         return ost_select(o, ost_below(o, s) + 1);
      x = o->bits[++w];
   }
   return w * 64 + (uint64_t)__builtin_ctzll(x);
}

/* Renumbering: cum[w] = live slots in the words before w, so that a live
   slot's rank among the live ones is cum[w] + those below it in its word. */
static uint32_t *ost_ranks(const struct ost *o)
{
   uint64_t nw = o->cap / 64;
   uint32_t *cum = vs_alloc((nw + 1) * sizeof *cum);
   for (uint64_t w = 0; w < nw; w++)
      cum[w + 1] = cum[w] + (uint32_t)pop64(o->bits[w]);
   return cum;
}

static inline uint64_t ost_rank(const struct ost *o, const uint32_t *cum, uint64_t s)
{
   return cum[s >> 6] +
          (uint64_t)pop64(o->bits[s >> 6] & ((1ull << (s & 63)) - 1));
}

/* Slots enough for live pages and as many references again before the
   next renumbering (amortised: O(1) a reference). */
static uint64_t slots_for(uint64_t live)
{
   uint64_t cap = (2 * live + 4096 + 511) & ~(uint64_t)511;
   if (cap >= UINT32_MAX)
      vs_die("more distinct pages than an exact curve can follow (2^31)");
   return cap;
}

static uint64_t heap_bytes(void)
{
   struct mallinfo2 m = mallinfo2();
   return m.uordblks + m.hblkhd;
}

/* ---- LRU ------------------------------------------------------------------ */

/* A page that leaves the address space (vs_stream.drop_at) frees its
   frame in every simulation: a hole in the stack where it was.  A cache of
   c pages holding the hole (depth h <= c) takes its next miss into the
   free frame instead of evicting: so a reference of stack distance D (a
   new page: infinite) fills the shallowest hole h < D, the pages above h
   move one deeper, those between keep their depths, and the page's old
   place D becomes the hole (at sizes >= D the hit left the frame free).
   The stack keeps its inclusion property, distances count the holes, and
   a hole is a live slot no page holds; holes[] is a min-heap of their
   slots (the shallowest is the least). */
struct lru_mrc {
   struct ost o;
   uint32_t  *page_slot;             /* [npages]: slot + 1, 0: never seen */
   uint64_t   next;                  /* slots below next are free */
   uint64_t  *holes;
   uint64_t   nholes, hcap;
};

static void hole_push(struct lru_mrc *m, uint64_t slot)
{
   if (m->nholes == m->hcap) {
      m->hcap = m->hcap ? 2 * m->hcap : 64;
      m->holes = vs_realloc(m->holes, m->hcap * sizeof *m->holes);
   }
   uint64_t i = m->nholes++;
   for (; i && m->holes[(i - 1) / 2] > slot; i = (i - 1) / 2)
      m->holes[i] = m->holes[(i - 1) / 2];
   m->holes[i] = slot;
}

/* Takes the shallowest hole out of the stack. */
static void hole_fill(struct lru_mrc *m)
{
   ost_clear(&m->o, m->holes[0]);
   uint64_t x = m->holes[--m->nholes], i = 0;
   for (;;) {
      uint64_t c = 2 * i + 1;
      if (c >= m->nholes)
         break;
      if (c + 1 < m->nholes && m->holes[c + 1] < m->holes[c])
         c++;
      if (m->holes[c] >= x)
         break;
      m->holes[i] = m->holes[c];
      i = c;
   }
   if (m->nholes)
      m->holes[i] = x;
}

/* Renumbers the live slots to the top of a fresh range, in order. */
static void lru_compact(struct lru_mrc *m, uint32_t npages)
{
   uint32_t *cum = ost_ranks(&m->o);
   uint64_t live = m->o.live, cap = slots_for(live), base = cap - live;
   for (uint32_t p = 0; p < npages; p++)
      if (m->page_slot[p])
         m->page_slot[p] = (uint32_t)(base + ost_rank(&m->o, cum, m->page_slot[p] - 1) + 1);
   for (uint64_t h = 0; h < m->nholes; h++)      /* in order: still a heap */
      m->holes[h] = base + ost_rank(&m->o, cum, m->holes[h]);
   free(cum);
   ost_free(&m->o);
   ost_init(&m->o, cap);
   ost_fill(&m->o, base);
   m->next = base;
}

/* A reference made while its process's collection was paused (a vmtrace
   trace's, --collect-atstart=no, VMTRACE_STOP_COLLECTION): the stacks
   follow it as the simulations' memory does, and the curve counts it
   nowhere, as the simulations count no fault then. */
static inline bool paused(const struct vs_stream *s, uint64_t i)
{
   return s->fl && (s->fl[i] & VS_PAUSED);
}

void vs_lru_distances(const struct vs_stream *s, uint64_t *hist, uint64_t *mem,
                      uint64_t counted[2])
{
   counted[0] = counted[1] = 0;
   struct lru_mrc m;
   memset(&m, 0, sizeof m);
   ost_init(&m.o, slots_for(0));
   m.page_slot = vs_alloc((size_t)(s->npages ? s->npages : 1) * sizeof *m.page_slot);
   m.next = m.o.cap;
   uint64_t kd = 0;
   for (uint64_t i = 0; i < s->n; i++) {
      for (; kd < s->ndrops && s->drop_at[kd] <= i; kd++) {
         uint32_t q = s->drop_id[kd];
         if (m.page_slot[q]) {
            hole_push(&m, m.page_slot[q] - 1);
            m.page_slot[q] = 0;
         }
      }
      uint32_t p = s->id[i];
      uint64_t old = m.page_slot[p];
      bool count = !paused(s, i);
      counted[0] += count;
      counted[1] += count && !old;
      if (old) {
         if (count)
            hist[ost_below(&m.o, old - 1)]++;       /* distance - 1 */
         if (m.nholes && m.holes[0] < old - 1) {
            hole_fill(&m);                          /* the shallowest ... */
            hole_push(&m, old - 1);                 /* ... moves down here */
         } else {
            ost_clear(&m.o, old - 1);
         }
      } else if (m.nholes) {
         hole_fill(&m);
      }
      if (!m.next)
         lru_compact(&m, s->npages);
      uint64_t t = --m.next;
      ost_set(&m.o, t);
      m.page_slot[p] = (uint32_t)(t + 1);
   }
   if (mem)
      *mem = heap_bytes();
   ost_free(&m.o);
   free(m.page_slot);
   free(m.holes);
}

/* ---- OPT ------------------------------------------------------------------ */

#define NONE_CAP UINT32_MAX
#define NO_MIN   (1 << 30)           /* least prefix of a range without live slots */

/* Of the live slots of a range (one word of the bitmap, 64 slots, or a
   node's words): the sum of (markers - 1), its least prefix sum, and the
   least capacity marked there. */
struct seg { int32_t sum, mn; uint32_t cap; };

struct opt_mrc {
   struct ost  o;
   uint32_t   *root;                 /* [cap]: the slot's heap of markers */
   uint32_t   *nmark;                /* [cap]: markers in it */
   struct seg *t;                    /* [2 tn]: leaves at tn + word */
   uint64_t    tn;                   /* leaves: words, to a power of two */
   uint32_t   *page_slot;            /* [npages]: slot + 1 */
   uint64_t    next;                 /* slots below next are free */
   /* A leftist heap per slot of the capacities marked there: node c is the
      marker of capacity c (>= 1); 0 is no node. */
   uint32_t   *left, *right;
   uint8_t    *rank;
};

static inline struct seg combine(struct seg a, struct seg b)
{
   struct seg r;
   r.sum = a.sum + b.sum;
   r.mn = a.mn;
   if (b.mn != NO_MIN && a.sum + b.mn < r.mn)
      r.mn = a.sum + b.mn;
   r.cap = a.cap < b.cap ? a.cap : b.cap;
   return r;
}

/* A word's summary, from its live slots (a scan of at most 64). */
static struct seg word_seg(const struct opt_mrc *m, uint64_t w)
{
   struct seg r = { 0, NO_MIN, NONE_CAP };
   int32_t run = 0;
   for (uint64_t x = m->o.bits[w]; x; x &= x - 1) {
      uint64_t s = w * 64 + (uint64_t)__builtin_ctzll(x);
      run += (int32_t)m->nmark[s] - 1;
      if (run < r.mn)
         r.mn = run;
      if (m->root[s] && m->root[s] < r.cap)
         r.cap = m->root[s];
   }
   r.sum = run;
   return r;
}

static bool seg_eq(struct seg a, struct seg b)
{
   return a.sum == b.sum && a.mn == b.mn && a.cap == b.cap;
}

/* The words of slots s[0..n) changed: their leaves, then their ancestors
   level by level, each only if a child changed.  A reference leaves the
   total unchanged (it adds a marker and a slot, or moves both), so the
   changes seldom climb far. */
static void words_update(struct opt_mrc *m, const uint64_t *s, int n)
{
   uint64_t set[8];
   int k = 0;
   for (int i = 0; i < n; i++) {
      uint64_t node = m->tn + (s[i] >> 6);
      bool dup = false;
      for (int j = 0; j < i; j++)
         dup |= (s[j] >> 6) == (s[i] >> 6);
      if (dup)
         continue;
      struct seg v = word_seg(m, s[i] >> 6);
      if (seg_eq(v, m->t[node]))
         continue;
      m->t[node] = v;
      if (!k || set[k - 1] != node / 2)
         set[k++] = node / 2;
   }
   while (k) {
      int nk = 0;
      for (int i = 0; i < k; i++) {
         uint64_t node = set[i];
         bool dup = false;
         for (int j = 0; j < i; j++)
            dup |= set[j] == node;
         if (dup || !node)
            continue;
         struct seg v = combine(m->t[2 * node], m->t[2 * node + 1]);
         if (seg_eq(v, m->t[node]))
            continue;
         m->t[node] = v;
         if (node > 1)
            set[nk++] = node / 2;
      }
      k = nk;
   }
}

static void tree_build(struct opt_mrc *m)
{
   uint64_t nw = m->o.cap / 64;
   m->tn = 1;
   while (m->tn < nw)
      m->tn *= 2;
   free(m->t);
   m->t = vs_alloc(2 * m->tn * sizeof *m->t);
   for (uint64_t w = 0; w < m->tn; w++)
      m->t[m->tn + w] = w < nw ? word_seg(m, w) : (struct seg){ 0, NO_MIN, NONE_CAP };
   for (uint64_t i = m->tn; i-- > 1;)
      m->t[i] = combine(m->t[2 * i], m->t[2 * i + 1]);
}

/* The sum over the words before word w. */
static int32_t words_sum(const struct opt_mrc *m, uint64_t w)
{
   int32_t sum = 0;
   for (uint64_t l = m->tn, r = m->tn + w; l < r; l /= 2, r /= 2) {
      if (l & 1)
         sum += m->t[l++].sum;
      if (r & 1)
         sum += m->t[--r].sum;
   }
   return sum;
}

/* The last word before word `limit` whose least prefix (from slot 0) is at
   most -1; node covers words [lo, hi), off is the sum before lo. */
static int64_t last_word(const struct opt_mrc *m, uint64_t node, uint64_t lo, uint64_t hi,
                         uint64_t limit, int32_t off, int32_t *woff)
{
   const struct seg *n = &m->t[node];
   if (lo >= limit || n->mn == NO_MIN || off + n->mn > -1)
      return -1;
   if (hi - lo == 1) {
      *woff = off;
      return (int64_t)lo;
   }
   uint64_t mid = lo + (hi - lo) / 2;
   int64_t r = last_word(m, 2 * node + 1, mid, hi, limit, off + m->t[2 * node].sum, woff);
   return r >= 0 ? r : last_word(m, 2 * node, lo, mid, limit, off, woff);
}

/* The last live slot before `to` in word w whose prefix is at most -1
   (off: the sum before the word), -1 if none. */
static int64_t last_in_word(const struct opt_mrc *m, uint64_t w, uint64_t to, int32_t off)
{
   int64_t best = -1;
   uint64_t x = m->o.bits[w];
   if (to < w * 64 + 64)
      x &= (1ull << (to & 63)) - 1;
   for (; x; x &= x - 1) {
      uint64_t s = w * 64 + (uint64_t)__builtin_ctzll(x);
      off += (int32_t)m->nmark[s] - 1;
      if (off <= -1)
         best = (int64_t)s;
   }
   return best;
}

/* z: the last live slot before p with prefix sum <= -1 (beta = 0). */
static int64_t last_zero(const struct opt_mrc *m, uint64_t p)
{
   uint64_t w = p >> 6;
   int32_t off = words_sum(m, w);
   int64_t z = last_in_word(m, w, p, off);
   if (z >= 0)
      return z;
   int64_t v = last_word(m, 1, 0, m->tn, w, 0, &off);
   return v < 0 ? -1 : last_in_word(m, (uint64_t)v, (uint64_t)v * 64 + 64, off);
}

/* The slot holding the least capacity marked in slots >= from. */
static uint64_t least_marked(const struct opt_mrc *m, uint64_t from, uint32_t *cap)
{
   uint64_t w = from >> 6, best = UINT64_MAX;
   uint32_t bc = NONE_CAP;
   for (uint64_t x = m->o.bits[w] & (~0ull << (from & 63)); x; x &= x - 1) {
      uint64_t s = w * 64 + (uint64_t)__builtin_ctzll(x);
      if (m->root[s] && m->root[s] < bc) {
         bc = m->root[s];
         best = s;
      }
   }
   /* The words after w: the tree's canonical nodes. */
   uint64_t node = 0;
   uint32_t nc = NONE_CAP;
   for (uint64_t l = m->tn + w + 1, r = 2 * m->tn; l < r; l /= 2, r /= 2) {
      if (l & 1) {
         if (m->t[l].cap < nc) {
            nc = m->t[l].cap;
            node = l;
         }
         l++;
      }
      if (r & 1) {
         r--;
         if (m->t[r].cap < nc) {
            nc = m->t[r].cap;
            node = r;
         }
      }
   }
   if (nc < bc) {
      while (node < m->tn)
         node = m->t[2 * node].cap == nc ? 2 * node : 2 * node + 1;
      uint64_t v = node - m->tn;
      for (uint64_t x = m->o.bits[v]; x; x &= x - 1) {
         uint64_t s = v * 64 + (uint64_t)__builtin_ctzll(x);
         if (m->root[s] == nc)
            best = s;
      }
      bc = nc;
   }
   *cap = bc;
   return best;
}

static uint32_t meld(struct opt_mrc *m, uint32_t a, uint32_t b)
{
   if (!a)
      return b;
   if (!b)
      return a;
   if (b < a) {
      uint32_t x = a;
      a = b;
      b = x;
   }
   m->right[a] = meld(m, m->right[a], b);
   uint8_t rl = m->left[a] ? m->rank[m->left[a]] : 0;
   uint8_t rr = m->rank[m->right[a]];
   if (rl < rr) {
      uint32_t x = m->left[a];
      m->left[a] = m->right[a];
      m->right[a] = x;
      rr = rl;
   }
   m->rank[a] = (uint8_t)(rr + 1);
   return a;
}

static void mark(struct opt_mrc *m, uint64_t s, uint32_t c)
{
   m->left[c] = m->right[c] = 0;
   m->rank[c] = 1;
   m->root[s] = meld(m, m->root[s], c);
   m->nmark[s]++;
}

/* Renumbers the live slots (the sentinel last) to the top of a fresh range,
   their markers with them. */
static void opt_compact(struct opt_mrc *m, uint32_t npages)
{
   uint32_t *cum = ost_ranks(&m->o);
   uint64_t live = m->o.live, cap = slots_for(live), base = cap - live, k = 0;
   uint32_t *root = vs_alloc(cap * sizeof *root), *nmark = vs_alloc(cap * sizeof *nmark);
   for (uint64_t w = 0; w < m->o.cap / 64; w++)
      for (uint64_t x = m->o.bits[w]; x; x &= x - 1, k++) {
         uint64_t s = w * 64 + (uint64_t)__builtin_ctzll(x);
         root[base + k] = m->root[s];
         nmark[base + k] = m->nmark[s];
      }
   for (uint32_t p = 0; p < npages; p++)
      if (m->page_slot[p])
         m->page_slot[p] = (uint32_t)(base + ost_rank(&m->o, cum, m->page_slot[p] - 1) + 1);
   free(cum);
   free(m->root);
   free(m->nmark);
   m->root = root;
   m->nmark = nmark;
   ost_free(&m->o);
   ost_init(&m->o, cap);
   ost_fill(&m->o, base);
   tree_build(m);
   m->next = base;
}

void vs_opt_distances(const struct vs_stream *s, uint64_t *hist, uint64_t *mem,
                      uint64_t counted[2])
{
   counted[0] = counted[1] = 0;
   struct opt_mrc m;
   memset(&m, 0, sizeof m);
   size_t np = (size_t)(s->npages ? s->npages : 1) + 1;
   size_t nc = (size_t)vs_stream_cold(s) + 1;     /* capacities */
   m.page_slot = vs_alloc(np * sizeof *m.page_slot);
   m.left = vs_alloc(nc * sizeof *m.left);
   m.right = vs_alloc(nc * sizeof *m.right);
   m.rank = vs_alloc(nc);
   uint64_t cap = slots_for(0);
   ost_init(&m.o, cap);
   m.root = vs_alloc(cap * sizeof *m.root);
   m.nmark = vs_alloc(cap * sizeof *m.nmark);
   /* The sentinel: always the deepest live slot. */
   m.next = cap - 1;
   ost_set(&m.o, m.next);
   tree_build(&m);
   uint32_t nmarkers = 0;            /* capacities 1..nmarkers exist */
   uint64_t kd = 0;
   for (uint64_t i = 0; i < s->n; i++) {
      /* A page that left the address space stays in the stack as a page
         never referenced again: OPT evicts such a page, or another never
         referenced again, at the next miss where the simulation uses the
         freed frame: the same misses at every size. */
      for (; kd < s->ndrops && s->drop_at[kd] <= i; kd++)
         m.page_slot[s->drop_id[kd]] = 0;
      uint32_t p = s->id[i];
      uint64_t old = m.page_slot[p];
      bool count = !paused(s, i);
      counted[0] += count;
      counted[1] += count && !old;
      /* The page on top holds the newest slot, next (the sentinel is
         alone at first). */
      if (old && old - 1 == m.next) {
         hist[0] += count;            /* on top: a hit at every size */
         continue;
      }
      if (!m.next) {
         opt_compact(&m, s->npages);
         old = m.page_slot[p];
      }
      uint64_t top = m.o.live > 1 ? m.next : UINT64_MAX;
      uint64_t dirty[5];
      int nd = 0;
      uint32_t c;
      if (!old) {
         /* A new page: every marker one deeper (the pages move for them)
            and a marker for the next capacity at depth 1, on the page
            that was on top. */
         c = top == UINT64_MAX ? 0 : ++nmarkers;
      } else {
         uint64_t po = old - 1;
         int64_t z = last_zero(&m, po);
         if (z < 0)
            vs_die("internal error: OPT curve: no zero of beta above slot %llu",
                   (unsigned long long)po);
         uint64_t q = least_marked(&m, (uint64_t)z + 1, &c);
         if (q == UINT64_MAX)
            vs_die("internal error: OPT curve: no marker below slot %llu",
                   (unsigned long long)z);
         hist[c] += count;            /* distance c + 1 */
         /* c leaves its page (it is the least there) ... */
         m.root[q] = meld(&m, m.left[c], m.right[c]);
         m.nmark[q]--;
         /* ... the markers at depth D go one deeper, to the page below
            (those above move with their pages) ... */
         uint64_t below = next_live(&m.o, po);
         m.root[below] = meld(&m, m.root[below], m.root[po]);
         m.nmark[below] += m.nmark[po];
         m.root[po] = 0;
         m.nmark[po] = 0;
         ost_clear(&m.o, po);
         dirty[nd++] = q;
         dirty[nd++] = below;
         dirty[nd++] = po;
      }
      /* ... and c goes to depth 1: the page that was on top. */
      if (c)
         mark(&m, top, c);
      uint64_t t = --m.next;
      ost_set(&m.o, t);
      m.page_slot[p] = (uint32_t)(t + 1);
      dirty[nd++] = t;
      if (c)
         dirty[nd++] = top;
      words_update(&m, dirty, nd);
   }
   if (mem)
      *mem = heap_bytes();
   ost_free(&m.o);
   free(m.t);
   free(m.root);
   free(m.nmark);
   free(m.page_slot);
   free(m.left);
   free(m.right);
   free(m.rank);
}

/* ---- curves ------------------------------------------------------------------ */

uint64_t vs_sample_scale(uint64_t v, double rate)
{
   return rate > 0 && rate < 1 ? (uint64_t)llround((double)v / rate) : v;
}

/* The smallest size whose sample size, max(1, round(size x R)) as the
   simulations and the error estimate take it, is at least s: where the
   step of the sample's curve at s stands on the whole trace's sizes, so
   that the curve read at a size gives the sample's misses at
   round(size x R), as a simulation at that size counts them. */
static uint64_t unsample_size(uint64_t s, double rate)
{
   if (s <= 1)
      return 1;
   double x = ceil(((double)s - 0.5) / rate);
   uint64_t c = x < 1 ? 1 : (uint64_t)x;
   while (c > 1 && (uint64_t)llround((double)(c - 1) * rate) >= s)
      c--;
   while ((uint64_t)llround((double)c * rate) < s)
      c++;
   return c;
}

void vs_curve_unsample(struct vs_curve *c, double rate)
{
   if (!(rate > 0 && rate < 1))
      return;
   uint32_t k = 0;
   for (uint32_t i = 0; i < c->n; i++) {
      uint64_t size = unsample_size(c->sizes[i], rate);
      uint64_t m = vs_sample_scale(c->misses[i], rate);
      if (k && size <= c->sizes[k - 1]) {   /* two steps rounded together */
         c->misses[k - 1] = m;
         continue;
      }
      c->sizes[k] = k ? size : 1;
      c->misses[k++] = m;
   }
   c->n = k;
   c->refs = vs_sample_scale(c->refs, rate);
   c->cold = vs_sample_scale(c->cold, rate);
}

void vs_curve_from_hist(struct vs_curve *c, const uint64_t *hist, const uint64_t counted[2],
                        uint64_t bound)
{
   memset(c, 0, sizeof *c);
   c->refs = counted[0];
   c->cold = counted[1];
   uint64_t cold = counted[1];
   /* misses(k) = cold + sum of hist[d - 1] for d > k. */
   uint64_t npts = 0;
   for (uint64_t d = 1; d < bound; d++)
      npts += hist[d] != 0;
   c->sizes = vs_alloc((npts + 1) * sizeof *c->sizes);
   c->misses = vs_alloc((npts + 1) * sizeof *c->misses);
   uint64_t beyond = 0;
   for (uint64_t d = 1; d < bound; d++)
      beyond += hist[d];
   uint64_t k = 0, m = cold + beyond;
   c->sizes[k] = 1;
   c->misses[k++] = m;
   for (uint64_t d = 1; d < bound; d++)
      if (hist[d]) {
         m -= hist[d];
         c->sizes[k] = d + 1;
         c->misses[k++] = m;
      }
   c->n = (uint32_t)k;
}

uint64_t vs_curve_at(const struct vs_curve *c, uint64_t size)
{
   uint32_t lo = 0, hi = c->n;          /* the last step at or below size */
   while (hi - lo > 1) {
      uint32_t mid = lo + (hi - lo) / 2;
      if (c->sizes[mid] <= size)
         lo = mid;
      else
         hi = mid;
   }
   return c->misses[lo];
}

void vs_curve_free(struct vs_curve *c)
{
   free(c->sizes);
   free(c->misses);
   memset(c, 0, sizeof *c);
}

void vs_sample_error(const struct vs_stream *full, const struct vs_stream *smp, double rate,
                     const uint64_t *sizes, unsigned n, double *emax, double *emean)
{
   uint64_t *h1 = vs_alloc(((size_t)vs_stream_cold(full) + 1) * sizeof *h1);
   uint64_t *h2 = vs_alloc(((size_t)vs_stream_cold(smp) + 1) * sizeof *h2);
   uint64_t n1[2], n2[2];
   vs_lru_distances(full, h1, NULL, n1);
   vs_lru_distances(smp, h2, NULL, n2);
   struct vs_curve c1, c2;
   vs_curve_from_hist(&c1, h1, n1, vs_stream_cold(full));
   vs_curve_from_hist(&c2, h2, n2, vs_stream_cold(smp));
   double max = 0, sum = 0;
   for (unsigned k = 0; k < n; k++) {
      uint64_t ss = (uint64_t)llround((double)sizes[k] * rate);
      double exact = c1.refs ? (double)vs_curve_at(&c1, sizes[k]) / (double)c1.refs : 0;
      double est = c2.refs ? (double)vs_curve_at(&c2, ss ? ss : 1) / (double)c2.refs : 1;
      double e = fabs(exact - est);
      max = e > max ? e : max;
      sum += e;
   }
   *emax = max;
   *emean = n ? sum / n : 0;
   vs_curve_free(&c1);
   vs_curve_free(&c2);
   free(h1);
   free(h2);
}
