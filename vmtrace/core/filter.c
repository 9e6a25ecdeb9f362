/* filter.c: the software TLB in front of vt_access, and the hits it
   absorbs (vt_core.h says what it may hold and why that is exact).
   SPDX-License-Identifier: GPL-2.0-or-later */
#include "vt_internal.h"

void vt_filter_init(struct vt_filter *f, struct vt_mm *mm, bool on)
{
   vt_memset(f, 0, sizeof *f);
   f->mm = mm;
   f->on = on;
   mm->filter = f;
   f->nr = VT_FILTER_ENTRIES;
   f->where = vt_alloc(3 * VT_FILTER_MAX * sizeof *f->where);
   f->occ = vt_alloc(VT_FILTER_OCC * sizeof *f->occ);
   f->in_occ = vt_alloc(3 * VT_FILTER_MAX);
   vt_memset(f->in_occ, 0, 3 * VT_FILTER_MAX);
   f->refetch_tag = VT_FILTER_EMPTY;
   for (int t = 0; t < 3; t++)
      for (unsigned i = 0; i < VT_FILTER_MAX; i++)
         f->tag[t][i] = VT_FILTER_EMPTY;
}

void vt_filter_destroy(struct vt_filter *f)
{
   vt_free(f->where);
   vt_free(f->occ);
   vt_free(f->in_occ);
   f->where = NULL;
   f->occ = NULL;
   f->in_occ = NULL;
}

void vt_filter_set_stamp_after(struct vt_filter *f)
{
   f->stamp_after = true;
   /* While a simulation takes every absorbed reference by a scan of the
      stamps before its decisions (vt_mm_sims_take_all: ARC, OPT, a tick),
      1,024 slots a kind: more than 256 for fewer misses (xz at
      --ram=1G,2G --policy=lru,clock,linux: 9.1 million with 256, 7.2
      million with 1,024), few enough for the scans.  Else nothing scans
      them but a flush (an unmapping of many pages, a fork): as many as
      without simulations. */
   f->nr = vt_mm_sims_take_all(f->mm) ? VT_FILTER_STAMPED : VT_FILTER_MAX;
}

void vt_filter_start(struct vt_filter *f)
{
   f->count_hits = f->on && f->mm->sims_every;
   f->count_n = f->count_hits && f->mm->sims_counts;
   /* the tables are empty yet: they may grow */
   f->nr = f->mm->tlb ? VT_FILTER_TLB : f->count_hits ? VT_FILTER_ENTRIES : VT_FILTER_MAX;
}

/* The hits of one slot, before it is emptied or refilled; true if there
   were any. */
static inline bool slot_deliver(struct vt_filter *f, unsigned t, unsigned i)
{
   if (!f->count_hits)       /* nothing stamps or counts the slots */
      return false;
   vt_u64 n = f->hit_count[t][i], stamp = f->hit_stamp[t][i];
   if (f->stamp_after && stamp) {
      /* no counts: a stamp is a new hit only above the slot's floor, and
         only in a slot that holds a page */
      f->hit_stamp[t][i] = 0;
      if (stamp <= f->hit_floor[t][i] || f->tag[t][i] == VT_FILTER_EMPTY)
         return false;
      f->hit_floor[t][i] = stamp;
      vt_mm_sims_note_hits(f->mm, VT_FILTER_TAG_PAGE(f->tag[t][i]), 1, stamp >> VT_STAMP_SHIFT,
                           stamp);
      return true;
   }
   /* a stamp without a count: the generated code's hits without count_n
      (a host's vt_filter_ref counts): one or more, as no policy run reads
      how many */
   if (stamp && !n)
      n = 1;
   if (!n)
      return false;
   f->hit_count[t][i] = 0;
   f->hit_stamp[t][i] = 0;
   vt_mm_sims_note_hits(f->mm, VT_FILTER_TAG_PAGE(f->tag[t][i]), n, stamp >> VT_STAMP_SHIFT,
                        stamp);
   return true;
}

bool vt_filter_deliver_page(struct vt_filter *f, vt_addr page_addr)
{
   if (!f->count_hits)
      return false;
   unsigned i = (unsigned)(page_addr >> VT_PAGE_SHIFT) & (f->nr - 1);
   bool any = false;
   for (unsigned t = 0; t < 3; t++)
      if (f->tag[t][i] != VT_FILTER_EMPTY && VT_FILTER_TAG_PAGE(f->tag[t][i]) == page_addr)
         any |= slot_deliver(f, t, i);
   return any;
}

/* The occupied list emptied: nothing held (after a flush), or made again
   from the tags if at most half the list's room would do. */
static void occ_reset(struct vt_filter *f, bool from_tags)
{
   if (f->occ_over)
      vt_memset(f->in_occ, 0, 3 * VT_FILTER_MAX);
   else
      for (unsigned j = 0; j < f->occ_n; j++)
         f->in_occ[f->occ[j]] = 0;
   f->occ_n = 0;
   f->occ_over = false;
   f->occ_scans = 0;
   /* (over again, in_occ is left part set: occ_note reads it only
      while not over, and the next reset clears it whole) */
   for (unsigned t = 0; from_tags && t < 3; t++)
      for (unsigned i = 0; i < f->nr; i++) {
         if (f->tag[t][i] == VT_FILTER_EMPTY)
            continue;
         if (f->occ_n == VT_FILTER_OCC / 2) {
            f->occ_over = true;
            return;
         }
         f->in_occ[t * VT_FILTER_MAX + i] = 1;
         f->occ[f->occ_n++] = (uint16_t)(t * VT_FILTER_MAX + i);
      }
}

/* Slot i of kind t may hold a page from now on. */
static inline void occ_note(struct vt_filter *f, unsigned t, unsigned i)
{
   unsigned k = t * VT_FILTER_MAX + i;
   if (!f->count_hits || f->occ_over || f->in_occ[k])
      return;
   if (f->occ_n == VT_FILTER_OCC) {
      f->occ_over = true;
      return;
   }
   f->in_occ[k] = 1;
   f->occ[f->occ_n++] = (uint16_t)k;
}

/* In any order: the policies order pages by the time and order delivered
   with them (then LFU by count), not by when they learn of them, and what
   they learn of last decides only between two pages of equal time and
   order (the arrival number, `seq`, or LFU's bucket lists).  No delivered
   hit is such a tie: a hit's order is its check's own (the superblock's
   time, its position in it), which no reference to another page has.
   Pages share an order only through references that reach the
   simulations one by one, in the order every mode gives them: a
   straddling access's pages (the tool's check misses it whole; a replay
   takes its pages as misses too, replay.c reference()), a system call's
   pages (VT_ORDER_KERNEL, never absorbed), the pages brought in or
   mapped around at one fault.  (A throw-away build that delivered the list
   backwards, 2026-12-07, gave the same figures as forwards and as
   --fast-path=no: gzip -6 of 180 KiB, --ram=64K --policy=lfu.) */
bool vt_filter_deliver(struct vt_filter *f)
{
   bool any = false;
   if (!f->count_hits)
      return false;
   if (!f->occ_over) {
      /* the listed slots (hits lie only in slots that hold a page, or
         stamp_after's in empty ones, which are no hits: a fill's floor
         or a flush drops them), those that still hold a page kept */
      unsigned n = 0;
      for (unsigned j = 0; j < f->occ_n; j++) {
         unsigned k = f->occ[j], t = k / VT_FILTER_MAX, i = k % VT_FILTER_MAX;
         any |= slot_deliver(f, t, i);
         if (f->tag[t][i] != VT_FILTER_EMPTY)
            f->occ[n++] = (uint16_t)k;
         else
            f->in_occ[k] = 0;
      }
      f->occ_n = n;
      return any;
   }
   if (++f->occ_scans >= VT_FILTER_OCC_RETRY)
      occ_reset(f, true);
   /* Called before every decision of a policy that needs every reference
      (once per fault): most slots hold no hits, so eight are tested at
      once. */
   for (unsigned t = 0; t < 3; t++) {
      /* a slot with hits has a stamp (VT_ORDER is never 0), or a count
         (a host's hit at a kernel reference's order 0) */
      const vt_u64 *c = f->hit_stamp[t], *h = f->hit_count[t];
      if (f->stamp_after) {     /* no counts: a cache line a step */
         for (const vt_u64 *p = c, *end = c + f->nr; p < end; p += 8) {
            if (!(p[0] | p[1] | p[2] | p[3] | p[4] | p[5] | p[6] | p[7]))
               continue;
            for (unsigned k = (unsigned)(p - c), e = k + 8; k < e; k++)
               any |= slot_deliver(f, t, k);
         }
         continue;
      }
      for (unsigned i = 0; i < f->nr; i += 8) {
         if (!(c[i] | c[i + 1] | c[i + 2] | c[i + 3] | c[i + 4] | c[i + 5] | c[i + 6] |
               c[i + 7] | h[i] | h[i + 1] | h[i + 2] | h[i + 3] | h[i + 4] | h[i + 5] |
               h[i + 6] | h[i + 7]))
            continue;
         for (unsigned k = i; k < i + 8; k++)
            any |= slot_deliver(f, t, k);
      }
   }
   return any;
}

void vt_filter_flush(struct vt_filter *f)
{
   vt_filter_deliver(f);
   f->refetch_tag = VT_FILTER_EMPTY;
   if (f->mm->tlb)
      vt_tlb_known_forget(f->mm, 0, (vt_addr)1 << 47);
   for (unsigned t = 0; t < 3; t++)
      for (unsigned i = 0; i < f->nr; i++)
         f->tag[t][i] = VT_FILTER_EMPTY;
   if (f->count_hits) {
      /* stamp_after's stamps in empty slots, which a scan would have
         cleared, go too (counted hits lie only in listed slots) */
      for (unsigned t = 0; f->stamp_after && t < 3; t++)
         for (unsigned i = 0; i < f->nr; i++)
            f->hit_stamp[t][i] = 0;
      occ_reset(f, false);
   }
}

void vt_filter_invalidate(struct vt_filter *f, vt_addr start, vt_addr end)
{
   vt_u64 p0 = start >> VT_PAGE_SHIFT, p1 = (end + VT_PAGE_SIZE - 1) >> VT_PAGE_SHIFT;
   if (p1 - p0 >= f->nr) {
      vt_filter_flush(f);
      return;
   }
   if (f->mm->tlb)
      vt_tlb_known_forget(f->mm, start, end);
   f->refetch_tag = VT_FILTER_EMPTY;
   for (vt_u64 p = p0; p < p1; p++) {
      unsigned i = (unsigned)(p & (f->nr - 1));
      vt_u64 tag = p << VT_PAGE_SHIFT;
      for (unsigned t = 0; t < 3; t++)
         if (VT_FILTER_TAG_PAGE(f->tag[t][i]) == tag) {
            slot_deliver(f, t, i);
            f->tag[t][i] = VT_FILTER_EMPTY;
         }
   }
}

void vt_filter_epoch_at(struct vt_filter *f, vt_u64 n)
{
   if (n < f->mark_base || n - f->mark_base >= VT_FILTER_MARKS - 1) {
      vt_filter_flush(f);
      f->mark_base = n;
   }
   f->mark = n & (VT_FILTER_MARKS - 1);
   f->mark_tag = VT_FILTER_TAG(0, f->mark);
   /* between superblocks: the next one's first fetch is checked */
   if (f->refetch_tag != VT_FILTER_EMPTY)
      f->refetch_tag = f->mark_tag;
}

/* A reference to the page that slot i of its kind holds under an earlier
   epoch's mark, with no simulation about to tick (vt_mm_sims_quiet; to
   them it is a hit the filter absorbed): the entry's rights still hold
   (invalidation empties entries of any mark), so vt_access would take no
   fault and change no PTE bit: what it does is only the working set's and
   the heatmap's count for the new epoch, here without the walk.  The
   entries it refills say no more than their rights: a data reference
   refills the read entry, and the write entry if it still holds the page
   (the write's rights imply the read's: vt_access lets a write's page be
   cached for reads). */
static inline __attribute__((always_inline)) void
epoch_ref(struct vt_filter *f, unsigned i, vt_addr page_addr, enum vt_access acc)
{
   struct vt_filter_where *w = &f->where[acc * VT_FILTER_MAX + i];
   if (f->mm->ws)
      vt_wset_ref_row(f->mm, w->m, page_addr, w->ptep, acc, &w->heat_row);
   f->tag[acc][i] = VT_FILTER_TAG(page_addr, f->mark);
   if (acc == VT_ACC_EXEC)
      return;
   vt_u64 *other = &f->tag[acc == VT_ACC_READ ? VT_ACC_WRITE : VT_ACC_READ][i];
   if (acc == VT_ACC_WRITE) {
      f->where[VT_ACC_READ * VT_FILTER_MAX + i] = *w;
      *other = VT_FILTER_TAG(page_addr, f->mark);
      occ_note(f, VT_ACC_READ, i);
   } else if (*other != VT_FILTER_EMPTY && VT_FILTER_TAG_PAGE(*other) == page_addr) {
      *other = VT_FILTER_TAG(page_addr, f->mark);
   }
}

bool vt_filter_epoch_miss(struct vt_filter *f, vt_addr page_addr, enum vt_access acc)
{
   unsigned i = (unsigned)(page_addr >> VT_PAGE_SHIFT) & (f->nr - 1);
   vt_u64 held = f->tag[acc][i];
   /* With simulations (the clock set for this reference), when none needs
      every reference and none is about to tick, what vt_filter_miss does */
   if (VT_FILTER_TAG_PAGE(held) != page_addr || held == VT_FILTER_EMPTY ||
       (f->count_hits && !f->stamp_after) ||
       (f->mm->tlb && (f->count_hits || !f->where[acc * VT_FILTER_MAX + i].ptep)) ||
       (vt_mm_sims_on(f->mm) && !vt_mm_sims_quiet(f->mm)))
      return false;
   /* --tlb=yes (the host set the reference's number): a page the filter
      holds is in the first level, a hit there, as in filter_miss */
   if (f->mm->tlb) {
      vt_tlb_held_ref(f->mm, page_addr, acc, f->where[acc * VT_FILTER_MAX + i].ptep);
      epoch_ref(f, i, page_addr, acc);
      return true;
   }
   /* With stamp_after the page stays (filter_miss) and this reference is
      a hit to the simulations: the stamp the generated code stores after
      the call (or a later fetch's from the page, refetch_flush) is above
      the slot's floor, as an absorbed hit's is, and reaches them before
      any decision.  The read slot a write refills gives up another page's
      hits first, as there. */
   if (f->stamp_after && acc == VT_ACC_WRITE &&
       VT_FILTER_TAG_PAGE(f->tag[VT_ACC_READ][i]) != page_addr)
      slot_deliver(f, VT_ACC_READ, i);
   epoch_ref(f, i, page_addr, acc);
   return true;
}

void vt_filter_drop(struct vt_filter *f, vt_addr page_addr, bool exec)
{
   unsigned i = (unsigned)(page_addr >> VT_PAGE_SHIFT) & (f->nr - 1);
   f->refetch_tag = VT_FILTER_EMPTY;
   for (unsigned t = exec ? VT_ACC_EXEC : VT_ACC_READ; t <= (exec ? VT_ACC_EXEC : VT_ACC_WRITE);
        t++)
      if (VT_FILTER_TAG_PAGE(f->tag[t][i]) == page_addr) {
         slot_deliver(f, t, i);
         f->tag[t][i] = VT_FILTER_EMPTY;
      }
}

/* --tlb=yes: a reference the filter let through (its entry went with the
   page's TLB entry, or the slot held another page) to a page the core
   would not change in this epoch (vt_tlb_known_ref): counted for the
   simulations as an absorbed hit would be, then the TLB's.  0 if the page
   is not known, else the rights the filter may cache (none: the TLB's
   first level has no array for the page's size). */
static unsigned vt_tlb_known(struct vt_filter *f, vt_addr page_addr, enum vt_access acc,
                             struct vt_filter_where *w)
{
   struct vt_mm *mm = f->mm;
   /* known in an earlier epoch: the working set's reference too, which is
      all vt_access_at would add, unless simulations or a second address
      space take references */
   bool old = !f->also && !vt_mm_sims_on(mm);
   unsigned res = vt_tlb_known_ref(mm, page_addr, acc, old, w);
   /* the reference the core does not see, for the simulations */
   if (res && f->count_hits)
      vt_mm_sims_note_hits(mm, page_addr, 1, mm->sim_order >> VT_STAMP_SHIFT, mm->sim_order);
   return res;
}

/* The simulations' part of a reference to a page the filter holds in an
   older epoch (vt_mm_sims_quiet), when one of them needs every reference:
   what vt_access_at would pass them, without its walk (the entry's PTE and
   mapping are beside it).  (To the others it would change nothing: each
   holds the page referenced, and dirty if the entry is for writes, and
   none ticks before it; so without hits counted it reaches none.)  Whether
   the entry may stay (it always can); if not, the reference is the
   working set's too, and the entry is left as it is. */
static bool sims_held_ref(struct vt_filter *f, vt_addr page_addr,
                          enum vt_access acc, const struct vt_filter_where *w)
{
   struct vt_mm *mm = f->mm;
   const struct vt_vma *v = vt_find_vma(mm, page_addr);
   unsigned res = VT_RES_CACHE_READ | VT_RES_CACHE_WRITE;
   vt_mm_sims_ref(mm, v, page_addr, *w->ptep, acc, -1, false, &res);
   if (res & VT_RES_CACHE_READ)
      return true;
   if (mm->ws)
      vt_wset_ref(mm, w->m, page_addr, w->ptep, acc);
   return false;
}

/* With stamp_after: the slot's stamps up to the reference being handled
   are accounted for. */
static inline void floor_at(struct vt_filter *f, unsigned t, unsigned i)
{
   if (f->stamp_after && f->mm->sim_order > f->hit_floor[t][i])
      f->hit_floor[t][i] = f->mm->sim_order;
}

void vt_filter_clock_reset(struct vt_filter *f)
{
   vt_memset(f->hit_floor, 0, sizeof f->hit_floor);
}

static inline void fill(struct vt_filter *f, enum vt_access t, unsigned i,
                        vt_addr page_addr, const struct vt_filter_where *w)
{
   floor_at(f, t, i);
   f->tag[t][i] = VT_FILTER_TAG(page_addr, f->mark);
   f->where[t * VT_FILTER_MAX + i] = *w;
   occ_note(f, t, i);
}

static void filter_miss(struct vt_filter *f, vt_addr page_addr, enum vt_access acc,
                        unsigned i)
{
   /* The hits held in the slots this reference may refill, or whose page
      it may change (a copy on write makes a file page anonymous): first,
      under the identity they had. */
   vt_u64 held = f->tag[acc][i];
   const struct vt_filter_where *hw = &f->where[acc * VT_FILTER_MAX + i];
   /* With stamp_after, a page the slot holds under an older mark stays
      (epoch_ref, below, or sims_held_ref leaves it), and this slot's hits,
      all before this reference, of its kind, with no decision since
      (vt_filter_deliver would have taken them), say nothing this reference
      does not say (no count is read), so they are not delivered: the
      floor below drops them.  The other kinds' slots keep theirs, as any
      slot this miss does not refill: only a write's epoch_ref refills one,
      the read slot, which may hold another page. */
   bool stays = f->stamp_after && held != VT_FILTER_EMPTY &&
                VT_FILTER_TAG_PAGE(held) == page_addr &&
                held != VT_FILTER_TAG(page_addr, f->mark) && vt_mm_sims_quiet(f->mm);
   if (f->count_hits && !stays)
      for (unsigned t = 0; t < 3; t++)
         slot_deliver(f, t, i);
   else if (stays && acc == VT_ACC_WRITE &&
            VT_FILTER_TAG_PAGE(f->tag[VT_ACC_READ][i]) != page_addr)
      slot_deliver(f, VT_ACC_READ, i);
   /* the stamp the generated code stores after this miss's call is this
      reference's own order: no hit */
   floor_at(f, acc, i);
   if (held != VT_FILTER_EMPTY && VT_FILTER_TAG_PAGE(held) == page_addr &&
       vt_mm_sims_quiet(f->mm) && (!f->mm->tlb || hw->ptep)) {
      if (f->count_hits && held == VT_FILTER_TAG(page_addr, f->mark))
         goto walk;          /* a system call's reference: as before (the
                                walk gives it to the TLB too) */
      /* --tlb=yes: a page the filter holds is in the first level of the
         TLB: a hit there, with the tables epoch_ref refills */
      if (f->mm->tlb)
         vt_tlb_held_ref(f->mm, page_addr, acc, hw->ptep);
      if (f->count_hits &&
          !sims_held_ref(f, page_addr, acc, &f->where[acc * VT_FILTER_MAX + i]))
         return;
      epoch_ref(f, i, page_addr, acc);
      return;
   }
walk:;
   struct vt_filter_where w = { 0 };
   unsigned res;
   if (f->mm->tlb && f->on && (res = vt_tlb_known(f, page_addr, acc, &w)) != 0) {
      /* --tlb=yes, a page the core would not change: the TLB's alone (the
         entry's `where` is the known table's) */
   } else {
      res = vt_access_at(f->mm, page_addr, acc, true, &w);
      if (f->also)      /* the second address space's rights too */
         res &= f->also(f->also_ctx, page_addr, acc) |
                ~(VT_RES_CACHE_READ | VT_RES_CACHE_WRITE);
      /* --tlb=yes: the filter may keep only pages whose TLB entry is in
         the first level (vt_tlb.h) */
      if (f->mm->tlb) {
         if (f->on)
            vt_tlb_known_set(f->mm, page_addr, acc, res, &w);
         if (!vt_tlb_ref(f->mm, page_addr, acc, res, w.ptep, w.m))
            res &= ~(VT_RES_CACHE_READ | VT_RES_CACHE_WRITE);
      }
   }
   if (!f->on)
      return;
   if (acc == VT_ACC_EXEC) {
      if (res & VT_RES_CACHE_READ)
         fill(f, VT_ACC_EXEC, i, page_addr, &w);
      return;
   }
   if (res & VT_RES_CACHE_READ)
      fill(f, VT_ACC_READ, i, page_addr, &w);
   if (res & VT_RES_CACHE_WRITE)
      fill(f, VT_ACC_WRITE, i, page_addr, &w);
}

void vt_filter_miss(struct vt_filter *f, vt_addr page_addr, enum vt_access acc)
{
   unsigned i = (unsigned)(page_addr >> VT_PAGE_SHIFT) & (f->nr - 1);
   filter_miss(f, page_addr, acc, i);
   /* a fetch that leaves its page out of the table (not cacheable, or
      held under an older mark): the superblock's later fetches from it
      must reach the simulator too */
   if (acc == VT_ACC_EXEC && f->tag[VT_ACC_EXEC][i] != VT_FILTER_TAG(page_addr, f->mark))
      f->refetch_tag = VT_FILTER_EMPTY;
}
