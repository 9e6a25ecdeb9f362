/* policy_linux.c: a model of Linux's active/inactive LRU reclaim
   (mm/vmscan.c, mm/swap.c, mm/workingset.c; the classic two-list LRU, not
   the multi-generational one).

   Copyright (C) 2026 the vmtrace developers.
   SPDX-License-Identifier: GPL-2.0-or-later

   Four lists, as enum lru_list: inactive anon, active anon, inactive
   file, active file; each with its head the most recently added and its
   tail the next to scan.  Two reference signals, as in the kernel: the PTE
   accessed bit (vt_pframe.referenced, set by the hardware, tested and
   cleared by reclaim, like folio_referenced()) and the page flag
   PG_referenced (kept in an array of its own, pd).  The rules:

   - A page brought in goes to the head of the inactive list of its type
     (lru_cache_add; anonymous pages too, as since Linux 5.9).
   - Refault (mm/workingset.c): evicting a page stores in its shadow entry
     the "non-resident age", a counter incremented by every eviction and
     every activation.  When the page faults back, refault distance = age now
     - age at eviction; if it is at most the workingset size, the page starts
     on the active list and the activation counts in the age.  Workingset
     size as workingset_test_recent(): the active file list, plus for an
     anonymous refault the inactive file list, plus, while swap has a free
     slot, the active anon list and for a file refault the inactive anon
     list.
   - Choosing a victim (shrink_lruvec, one page at a time):
     1. Age the active lists (shrink_active_list): for the file lists, and
        for the anon lists while swap has a free slot, while the inactive
        list is low - inactive * ratio < active, ratio = int_sqrt(10 * GB)
        with GB the type's pages in GiB, or 1 below 1 GiB (inactive_is_low)
        - the tail of the active list moves to the head of the inactive
        list; its accessed bit is cleared (tested by folio_referenced),
        PG_referenced is kept.  A referenced file page of an executable
        mapping goes back to the head of the active list instead (code is
        kept active while used).
     2. Pick the type to scan (get_scan_count): anon is possible while swap
        has a free slot and anon pages are resident, file while file pages
        are resident; if both are, a smooth weighted round-robin chooses
        (ties to file), each type weighing its resident pages times its
        fraction: swappiness (anon) or 200 - swappiness (file), each
        scaled by (total cost + 1) / (its cost + 1) as the kernel's
        ap/fp.  The costs (lru_note_cost) are the pages of a type written
        out at eviction (swap-out or writeback) and its refaults within the
        workingset; both halve once they sum to more than a quarter of the
        resident pages.  So swappiness 0 scans file only while file pages
        exist and 200 anon only, a small list gives few victims, and a type
        that keeps coming back is spared.  If the chosen type yields no
        victim, the other is tried.
     3. Scan that type's inactive list from the tail (shrink_folio_list with
        folio_check_references): locked pages are passed over; a page whose
        accessed bit is set loses it and, if PG_referenced was set, is
        activated (head of the active list; counts in the age), and so is a
        file page of an executable mapping at its first reference (code is
        activated after first use), else the page gets
        PG_referenced and is rotated to the head of the inactive list (to
        be looked at again after the others); the first page found with the
        bit clear loses PG_referenced and is the victim.  If the inactive
        list has no candidate, active pages are deactivated from the tail
        (bit cleared) until one can be evicted.
   PG_referenced stays set on activation and deactivation, as the kernel
   leaves it, so a once-active page found referenced on the inactive list
   is activated at once.

   Not modelled: reclaim in batches of SWAP_CLUSTER_MAX and scan priority
   (scanning in proportion to the list sizes stands for them), cache trim
   mode, the file_is_tiny override, writeback throttling,
   mark_page_accessed for read()/write() (no system-call page cache
   accesses reach the simulation).  Learns of references through the
   accessed bit only (VT_POL_REFBIT).  O(1) amortised per fault; the aging
   loop and the rotation of referenced pages are bounded by the list
   lengths.  Parameter: swappiness (0..200, default 60). */

#include "vt_sim.h"

enum { LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE, LRU_ACTIVE_FILE,
       NR_LRU_LISTS };

/* The frame's pbits (pd): */
#define PD_LRU        3u       /* which list */
#define PD_REFERENCED 4u       /* PG_referenced */

/* Shadow words are the non-resident age's low 32 bits; as the age passes
   every multiple of SHADOW_CLAMP / 2 the words more than SHADOW_CLAMP
   behind are clamped to it (vt_sim_clamp_shadows), so a refault distance
   below 2^31 reads exactly and a larger one reads as at least 2^31: more
   than any workingset size (frames < 2^31). */
#define SHADOW_CLAMP ((uint32_t)1 << 31)

struct lnx {
   struct vt_policy  base;
   struct vt_flist   lru[NR_LRU_LISTS];
   vt_u64            nonresident_age;
   vt_s64            credit[2];     /* anon, file */
   vt_u64            cost[2];       /* anon, file: lru_note_cost */
   unsigned          swappiness;
};

static void *lnx_create(struct vt_sim *s, uint32_t nr_frames,
                        const struct vt_policy_params *p)
{
   struct lnx *st = vt_policy_new(s, nr_frames, sizeof *st);
   for (int i = 0; i < NR_LRU_LISTS; i++)
      vt_flist_init(&st->lru[i]);
   st->swappiness = p->swappiness > 200 ? 200 : (unsigned)p->swappiness;
   return st;
}

/* The non-resident age counts one more eviction or activation. */
static void age_inc(struct lnx *st)
{
   if ((uint32_t)++st->nonresident_age % (SHADOW_CLAMP / 2) == 0)
      vt_sim_clamp_shadows(st->base.s, (uint32_t)st->nonresident_age, SHADOW_CLAMP);
}

static bool swap_has_slot(const struct lnx *st)
{
   return !vt_sim_swap_full(st->base.s);
}

static void lru_add(struct lnx *st, uint32_t f, unsigned lru)
{
   st->base.fr[f].pbits = (st->base.fr[f].pbits & ~PD_LRU) | lru;
   vt_flist_push_head(st->base.fr, &st->lru[lru], f);
}

static void lru_del(struct lnx *st, uint32_t f)
{
   vt_flist_del(st->base.fr, &st->lru[st->base.fr[f].pbits & PD_LRU], f);
}

static void lru_move(struct lnx *st, uint32_t f, unsigned lru)
{
   lru_del(st, f);
   lru_add(st, f, lru);
}

static vt_u64 lru_size(const struct lnx *st)
{
   vt_u64 n = 0;
   for (int i = 0; i < NR_LRU_LISTS; i++)
      n += st->lru[i].n;
   return n;
}

/* What reclaiming a type cost (lru_note_cost): its pages written out, and
   its refaults; halved once the costs exceed a quarter of the LRU pages. */
static void note_cost(struct lnx *st, int file, vt_u64 n)
{
   st->cost[file] += n;
   if (st->cost[0] + st->cost[1] > lru_size(st) / 4) {
      st->cost[0] /= 2;
      st->cost[1] /= 2;
   }
}

static void lnx_insert(void *v, uint32_t f)
{
   struct lnx *st = v;
   bool file = !st->base.fr[f].anon;
   unsigned lru = file ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;
   uint32_t eviction;
   if (vt_sim_incoming_shadow(st->base.s, &eviction)) {
      uint32_t distance = (uint32_t)st->nonresident_age - eviction;
      vt_u64 ws = st->lru[LRU_ACTIVE_FILE].n;
      if (!file)
         ws += st->lru[LRU_INACTIVE_FILE].n;
      if (swap_has_slot(st)) {
         ws += st->lru[LRU_ACTIVE_ANON].n;
         if (file)
            ws += st->lru[LRU_INACTIVE_ANON].n;
      }
      if (distance < SHADOW_CLAMP && distance <= ws) {
         lru++;                          /* the active list */
         age_inc(st);
         note_cost(st, file, 1);         /* lru_note_cost_refault */
      }
   }
   st->base.fr[f].pbits = 0;
   lru_add(st, f, lru);
}

static void lnx_reference(void *v, uint32_t f) { (void)v, (void)f; }

static void lnx_remove(void *v, uint32_t f)
{
   lru_del(v, f);
}

static vt_u64 isqrt(vt_u64 x)
{
   vt_u64 r = 0, b = (vt_u64)1 << 62;
   while (b > x)
      b >>= 2;
   while (b) {
      if (x >= r + b) {
         x -= r + b;
         r = (r >> 1) + b;
      } else {
         r >>= 1;
      }
      b >>= 2;
   }
   return r;
}

static bool inactive_is_low(const struct lnx *st, unsigned inactive_lru)
{
   vt_u64 inactive = st->lru[inactive_lru].n;
   vt_u64 active = st->lru[inactive_lru + 1].n;
   vt_u64 gb = (inactive + active) >> (30 - VT_PAGE_SHIFT);
   vt_u64 ratio = gb ? isqrt(10 * gb) : 1;
   return inactive * ratio < active;
}

/* A file page mapped executable (kept on the active list while used, as
   shrink_active_list and folio_check_references keep code). */
static bool exec_file(const struct vt_pframe *fr)
{
   return fr->exec && !fr->anon;
}

/* Whether reclaim finds the page referenced: its accessed bit, unless it
   was referenced through a mapping without recency (MADV_RANDOM,
   MADV_SEQUENTIAL), which folio_referenced passes over (vma_has_recency,
   Linux 6.3 on): such a page is never seen referenced, its bit is left as
   it is, and it goes through the inactive list first in, first out. */
static bool seen_referenced(const struct vt_pframe *fr)
{
   return fr->referenced && !fr->norecency;
}

/* The tail of the active list to the head of the inactive list; a
   referenced executable file page goes back to the head of the active
   list instead (its accessed bit cleared).  The page deactivated, or
   VT_SIM_NO_FRAME. */
static uint32_t deactivate_tail(struct lnx *st, unsigned inactive_lru)
{
   uint32_t f = st->lru[inactive_lru + 1].tail;
   bool referenced = seen_referenced(&st->base.fr[f]);
   if (referenced)
      vt_sim_clear_referenced(st->base.s, f);
   if (referenced && exec_file(&st->base.fr[f])) {
      lru_move(st, f, inactive_lru + 1);
      return VT_SIM_NO_FRAME;
   }
   lru_move(st, f, inactive_lru);
   return f;
}

static uint32_t evict_page(struct lnx *st, uint32_t f)
{
   if (!vt_sim_clean(st->base.s, f))
      note_cost(st, !st->base.fr[f].anon, 1);   /* written out: swap or writeback */
   lru_del(st, f);
   /* The shadow entry: the eviction time (workingset_eviction). */
   vt_sim_set_shadow(st->base.s, (uint32_t)st->nonresident_age);
   age_inc(st);
   return f;
}

static uint32_t shrink_type(struct lnx *st, unsigned inactive_lru)
{
   struct vt_flist *l = &st->lru[inactive_lru];
   uint32_t f = l->tail;
   while (f != VT_SIM_NO_FRAME) {
      struct vt_pframe *fr = &st->base.fr[f];
      uint32_t prev = fr->link[0];
      if (!vt_sim_evictable(st->base.s, f)) {
         f = prev;
         continue;
      }
      if (!seen_referenced(fr)) {
         st->base.fr[f].pbits &= ~PD_REFERENCED;
         return evict_page(st, f);
      }
      vt_sim_clear_referenced(st->base.s, f);
      if ((st->base.fr[f].pbits & PD_REFERENCED) || exec_file(fr)) {
         /* referenced twice, or code after its first use: activate */
         st->base.fr[f].pbits |= PD_REFERENCED;
         lru_move(st, f, inactive_lru + 1);
         age_inc(st);
      } else {
         st->base.fr[f].pbits |= PD_REFERENCED;
         lru_move(st, f, inactive_lru);              /* rotate */
         if (prev == VT_SIM_NO_FRAME)
            prev = f;      /* it was the head: look at it again now */
      }
      f = prev;
   }
   while (st->lru[inactive_lru + 1].n > 0) {
      f = deactivate_tail(st, inactive_lru);
      if (f == VT_SIM_NO_FRAME)
         continue;              /* code, rotated: its bit is clear now */
      if (vt_sim_evictable(st->base.s, f)) {
         st->base.fr[f].pbits &= ~PD_REFERENCED;
         return evict_page(st, f);
      }
   }
   return VT_SIM_NO_FRAME;
}

static uint32_t lnx_victim(void *v, vt_u64 now)
{
   struct lnx *st = v;
   (void)now;
   bool swap_ok = swap_has_slot(st);
   if (swap_ok)
      while (inactive_is_low(st, LRU_INACTIVE_ANON))
         deactivate_tail(st, LRU_INACTIVE_ANON);
   while (inactive_is_low(st, LRU_INACTIVE_FILE))
      deactivate_tail(st, LRU_INACTIVE_FILE);

   bool anon_ok = swap_ok && st->lru[LRU_INACTIVE_ANON].n +
                             st->lru[LRU_ACTIVE_ANON].n > 0;
   bool file_ok = st->lru[LRU_INACTIVE_FILE].n + st->lru[LRU_ACTIVE_FILE].n > 0;
   int type;                                         /* 0 anon, 1 file */
   bool weighed = anon_ok && file_ok;
   vt_u64 weight = 0;
   if (weighed) {
      /* get_scan_count: each type is scanned in proportion to its size,
         times swappiness weighed by the inverse of its recent cost (a
         type whose pages keep coming back is scanned less) */
      vt_u64 total = st->cost[0] + st->cost[1];
      vt_u64 ac = total + st->cost[0], fc = total + st->cost[1];
      vt_u64 ap = st->swappiness * (ac + fc + 1) / (ac + 1);
      vt_u64 fp = (200 - st->swappiness) * (ac + fc + 1) / (fc + 1);
      ap *= st->lru[LRU_INACTIVE_ANON].n + st->lru[LRU_ACTIVE_ANON].n;
      fp *= st->lru[LRU_INACTIVE_FILE].n + st->lru[LRU_ACTIVE_FILE].n;
      weight = ap + fp;
      st->credit[0] += (vt_s64)ap;
      st->credit[1] += (vt_s64)fp;
      type = st->credit[0] > st->credit[1] ? 0 : 1;
   } else {
      type = anon_ok ? 0 : 1;
   }
   uint32_t f = VT_SIM_NO_FRAME;
   if (type == 0 ? anon_ok : file_ok)
      f = shrink_type(st, type ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON);
   if (f == VT_SIM_NO_FRAME && (type == 0 ? file_ok : anon_ok)) {
      type = !type;
      f = shrink_type(st, type ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON);
   }
   if (f != VT_SIM_NO_FRAME && weighed)
      st->credit[type] -= (vt_s64)weight;
   return f;
}

static const struct vt_policy_param lnx_params[] = {
   VT_POLICY_PARAM("swappiness", swappiness, 60, 0, 200,
                   "linux: anon vs file reclaim (0..200)"),
};

static vt_u64 lnx_word(const void *v, uint32_t f)
{
   return ((const struct lnx *)v)->base.fr[f].pbits;
}

const struct vt_policy_ops vt_policy_linux = {
   .frame_word = lnx_word,
   .name = "linux", .needs = VT_POL_REFBIT | VT_POL_SHADOW, .create = lnx_create, .insert = lnx_insert,
   .reference = lnx_reference, .remove = lnx_remove, .victim = lnx_victim,
   .params = lnx_params, .nr_params = 1,
};
